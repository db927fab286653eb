"""The aggregate report format shared by the app and the municipal server.

Both the app (the coach's half-year report, computed by `domain.indicators` over the case
file) and the server (`wijkteam_server.reporting`, computed in SQL over its records) produce
the same thing: rows of *(group, indicator, category, value, basis)* for one period. This
module is what the two share, like the sync protocol: the periods, the indicator catalogue
(stable keys, Dutch labels and definitions for the method section, units), the rule that
hides small counts, and the CSV layout. The computations themselves are separate (the
server cannot import the app's domain); ``tests/server/test_report_agreement.py`` proves
they agree on the same data.

Pure standard library: no Qt, no database, no HTTP.

Suppression (small numbers): a figure that rests on 1 to 4 households, cases, persons or
clients is never shown exactly. A count is shown as ``"<5"``; a derived figure (share,
mean, median) whose basis is under 5 is shown as ``"–"`` with its basis ``"<5"``. Zero is
shown. Figures about workers (number of regisseurs, time per worker) are not about
residents and are not suppressed.
"""

from __future__ import annotations

import csv
import enum
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

THRESHOLD = 5
SUPPRESSED = "<5"
NOT_SHOWN = "–"

# Conventions both sides read the records with.
ZRM_PREFIX = "zrm"  # every ZRM definition id starts with this (zrm-2013, zrm-2017, ...)
LADDER_ID = "participatieladder"
LADDER_ITEM = "trede"
REVIEW_STATUS = "ter_beoordeling"
TOETS_STATUSES = ("ter_beoordeling", "goedgekeurd")
ESCALATION_UP = "opschalen"
RELAPSE_DAYS = 365
NO_PROFILE = "onbekend"
NO_URGENCY = "geen"
UNKNOWN_GROUP = "onbekend"
LADDER_ROSE, LADDER_STABLE, LADDER_FELL = "gestegen", "gelijk", "gedaald"
LADDER_CATEGORIES = (LADDER_ROSE, LADDER_STABLE, LADDER_FELL)
PROFILE_CATEGORIES = ("1", "2", "3", "4", "5", NO_PROFILE)
URGENCY_CRITERIA = ("terminale_situatie", "suicidaliteit", "huiselijk_geweld", "kwetsbaarheid",
                    "dakloosheid", "voormalige_vet_zaak")  # equal to domain.cases (tested)
URGENCY_CATEGORIES = (*URGENCY_CRITERIA, NO_URGENCY)
# Klantervaring: the questionnaire and its questions (equal to domain.client_experience,
# tested); a score of EXPERIENCE_AGREE or more is "eens" or "helemaal eens".
EXPERIENCE_QUESTIONNAIRE = "klantervaring/1"
EXPERIENCE_QUESTIONS = ("gehoord", "eigen_regie", "netwerk", "passend", "zelfredzaam")
EXPERIENCE_SCALE_MAX = 5
EXPERIENCE_AGREE = 4
EXPERIENCE_LABELS = {
    "gehoord": "Gehoord en serieus genomen",
    "eigen_regie": "Zelf mee beslist over het plan",
    "netwerk": "Mensen om mij heen betrokken zoals gewenst",
    "passend": "Ondersteuning past bij wat nodig is",
    "zelfredzaam": "Kan zaken nu beter zelf regelen",
}

# Dutch names of the categories, for reports (keys stay in the CSV).
CATEGORY_LABELS: dict[str, dict[str, str]] = {
    "client_profile": {
        "1": "Profiel 1: één persoon, enkelvoudige vraag",
        "2": "Profiel 2: cliëntsysteem, enkelvoudige vraag",
        "3": "Profiel 3: één persoon, meervoudige problematiek",
        "4": "Profiel 4: meerdere personen, verweven problematiek",
        "5": "Profiel 5: complexe problematiek, hulp mijdend",
        NO_PROFILE: "Geen profiel vastgelegd",
    },
    "urgency": {
        "terminale_situatie": "Terminale situatie",
        "suicidaliteit": "Suïcidaliteit",
        "huiselijk_geweld": "Huiselijk geweld",
        "kwetsbaarheid": "Kwetsbaarheid",
        "dakloosheid": "Dakloosheid",
        "voormalige_vet_zaak": "Voormalige VET-zaak",
        NO_URGENCY: "Geen urgentiecriterium",
    },
    "ladder_movement": {LADDER_ROSE: "Gestegen", LADDER_STABLE: "Gelijk gebleven",
                        LADDER_FELL: "Gedaald"},
    "experience_mean": EXPERIENCE_LABELS,
    "experience_agree_share": EXPERIENCE_LABELS,
}


def category_label(indicator: str, category: str) -> str:
    return CATEGORY_LABELS.get(indicator, {}).get(category, category)


class Grouping(enum.StrEnum):
    WIJK = "wijk"
    TEAM = "team"
    GEMEENTE = "gemeente"


class Unit(enum.StrEnum):
    HUISHOUDENS = "huishoudens"
    CASUSSEN = "casussen"
    CLIENTEN = "cliënten"  # persons, or households scored as a whole (ZRM-Huishoudens)
    PERSONEN = "personen"
    MEDEWERKERS = "medewerkers"
    DAGEN = "dagen"
    MINUTEN = "minuten"
    PROCENT = "procent"
    PUNTEN = "scorepunten"
    SCORE = "score 1-5"
    VRAGENLIJSTEN = "vragenlijsten"  # klantervaring: one resident's answers at one moment


PROTECTED_UNITS = frozenset({Unit.HUISHOUDENS, Unit.CASUSSEN, Unit.CLIENTEN, Unit.PERSONEN,
                             Unit.VRAGENLIJSTEN})


class Kind(enum.StrEnum):
    COUNT = "count"  # value is a number of `basis_unit`; value == basis
    SHARE = "share"  # a percentage of `basis`
    MEAN = "mean"
    MEDIAN = "median"
    TOTAL = "total"  # a sum (minutes) over `basis`


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    key: str
    label: str  # Dutch, as the report prints it
    kind: Kind
    unit: Unit  # of the value
    basis_unit: Unit  # of the basis (what the figure rests on)
    definition: str  # Dutch, for the method section
    server: bool = True  # computed by the server report too

    @property
    def protected(self) -> bool:
        return self.basis_unit in PROTECTED_UNITS


def _spec(key: str, label: str, kind: Kind, unit: Unit, basis_unit: Unit | None,
          definition: str, *, server: bool = True) -> IndicatorSpec:
    return IndicatorSpec(key, label, kind, unit, basis_unit or unit, definition, server)


H, C, CL, P, M = Unit.HUISHOUDENS, Unit.CASUSSEN, Unit.CLIENTEN, Unit.PERSONEN, Unit.MEDEWERKERS

INDICATORS: tuple[IndicatorSpec, ...] = (
    _spec("households_in_view", "Huishoudens in beeld", Kind.COUNT, H, None,
          "Huishoudens met een casus die in de periode liep: aangemeld uiterlijk op de "
          "peildatum en niet afgesloten vóór het begin van de periode."),
    _spec("referrals_new", "Nieuwe aanmeldingen", Kind.COUNT, C, None,
          "Casussen met een aanmelddatum in de periode (tot en met de peildatum)."),
    _spec("cases_closed", "Afgesloten casussen", Kind.COUNT, C, None,
          "Casussen afgesloten in de periode."),
    _spec("open_on_peildatum", "Open huishoudens op de peildatum", Kind.COUNT, H, None,
          "Huishoudens in beeld waarvan de casus op de peildatum nog open was."),
    _spec("regisseurs", "Regisseurs", Kind.COUNT, M, None,
          "Medewerkers die op de peildatum regisseur waren van ten minste één open "
          "huishouden."),
    _spec("caseload_mean", "Caseload per regisseur, gemiddeld", Kind.MEAN, H, H,
          "Open huishoudens op de peildatum gedeeld door het aantal regisseurs."),
    _spec("caseload_max", "Caseload per regisseur, hoogste", Kind.COUNT, H, None,
          "Het grootste aantal open huishoudens van één regisseur op de peildatum."),
    _spec("plans_waiting_review", "Plannen die wachten op beoordeling", Kind.COUNT, H, None,
          "Huishoudens waarvan de laatste planversie op de peildatum de status ‘ter "
          "beoordeling’ had (status volgens de statusgeschiedenis van de versie)."),
    _spec("plans_waiting_toets", "Plannen die wachten op een toets", Kind.COUNT, H, None,
          "Huishoudens waarvan de laatste planversie op de peildatum ter beoordeling of "
          "goedgekeurd was, een gemeentelijke toets nodig heeft (maatwerk buiten het mandaat "
          "van de regisseur of boven het maximumbedrag; zonder bekend mandaat is elke inzet "
          "van maatwerk toetsplichtig) en nog geen toets had."),
    _spec("evaluations_overdue", "Evaluaties over tijd", Kind.COUNT, H, None,
          "Huishoudens waarvan de casus op de peildatum open was en de volgende "
          "evaluatiedatum vóór de peildatum lag."),
    _spec("first_contact_days_median", "Dagen van aanmelding tot eerste contact (mediaan)",
          Kind.MEDIAN, Unit.DAGEN, C,
          "Voor casussen aangemeld in de periode: dagen van de aanmelddatum tot het eerste "
          "contactmoment op of na die datum (uiterlijk op de peildatum)."),
    _spec("first_contact_days_mean", "Dagen van aanmelding tot eerste contact (gemiddeld)",
          Kind.MEAN, Unit.DAGEN, C, "Als de mediaan, maar het gemiddelde."),
    _spec("first_contact_waiting", "Aanmeldingen nog zonder contact", Kind.COUNT, C, None,
          "Casussen aangemeld in de periode zonder contactmoment tot en met de peildatum."),
    _spec("signed_plan_days_median",
          "Dagen van aanmelding tot ondertekend plan (mediaan)", Kind.MEDIAN, Unit.DAGEN, C,
          "Voor casussen aangemeld in de periode: dagen van de aanmelddatum tot de eerste "
          "ondertekening van een plan van het huishouden op of na die datum (uiterlijk op "
          "de peildatum)."),
    _spec("signed_plan_days_mean", "Dagen van aanmelding tot ondertekend plan (gemiddeld)",
          Kind.MEAN, Unit.DAGEN, C, "Als de mediaan, maar het gemiddelde."),
    _spec("client_profile", "Huishoudens per cliëntprofiel", Kind.COUNT, H, None,
          "Huishoudens in beeld naar het cliëntprofiel (1 tot 5) van hun casus; "
          "‘onbekend’ als er geen profiel is vastgelegd."),
    _spec("urgency", "Huishoudens per urgentiecriterium", Kind.COUNT, H, None,
          "Huishoudens in beeld naar de urgentiecriteria van hun casus (een huishouden kan "
          "onder meer criteria vallen); ‘geen’ zonder criterium."),
    _spec("zrm_rose", "ZRM: gestegen", Kind.COUNT, CL, None,
          "Per instrumentversie en leefgebied: cliënten (personen, of huishoudens bij de "
          "ZRM-Huishoudens) met ten minste twee metingen met dezelfde instrumentversie, "
          "van wie de laatste meting in de periode valt; de score van de eerste meting "
          "vergeleken met die van de laatste. Alleen leefgebieden die beide keren zijn "
          "gescoord (niet ‘niet besproken’). Metingen met verschillende versies worden "
          "nooit met elkaar vergeleken."),
    _spec("zrm_stable", "ZRM: gelijk gebleven", Kind.COUNT, CL, None, "Zie ‘ZRM: gestegen’."),
    _spec("zrm_fell", "ZRM: gedaald", Kind.COUNT, CL, None, "Zie ‘ZRM: gestegen’."),
    _spec("zrm_mean_change", "ZRM: gemiddelde verandering", Kind.MEAN, Unit.PUNTEN, CL,
          "Gemiddelde van (laatste score − eerste score) per leefgebied."),
    _spec("ladder_movement", "Participatieladder: beweging", Kind.COUNT, P, None,
          "Personen met ten minste twee metingen op de participatieladder (zelfde versie), "
          "van wie de laatste in de periode valt: trede van de laatste meting vergeleken "
          "met die van de eerste (gestegen, gelijk, gedaald)."),
    _spec("ladder_rise_or_stable_share", "Participatieladder: gestegen of gelijk",
          Kind.SHARE, Unit.PROCENT, P,
          "Het deel van die personen dat steeg of gelijk bleef (Almere: ‘stijging of "
          "stabilisatie op de participatieladder’)."),
    _spec("escalation_individual", "Huishoudens met individuele ondersteuning", Kind.COUNT,
          H, None,
          "Huishoudens in beeld met een ondertekend plan (ondertekend uiterlijk op de "
          "peildatum) met professionele ondersteuning (maatwerk) waarvan de looptijd de "
          "periode raakt."),
    _spec("escalation_heavy", "Huishoudens met zware ondersteuning (opgeschaald)",
          Kind.COUNT, H, None,
          "Huishoudens in beeld waarvan de laatste regiewisseling tot en met de peildatum "
          "een opschaling naar een gezinsbegeleider was."),
    _spec("escalation", "Huishoudens met individuele of zware ondersteuning", Kind.COUNT, H,
          None, "Huishoudens die onder ten minste één van de twee vorige vallen."),
    _spec("escalation_share", "Escalatie: aandeel individuele of zware ondersteuning",
          Kind.SHARE, Unit.PROCENT, H,
          "Huishoudens met individuele of zware ondersteuning als deel van de huishoudens "
          "in beeld (Almere: ‘minder escalatie’)."),
    _spec("relapse", "Terugval: heropend binnen een jaar", Kind.COUNT, H, None,
          f"Huishoudens met een casus aangemeld in de periode terwijl een eerdere casus van "
          f"hetzelfde huishouden ten hoogste {RELAPSE_DAYS} dagen daarvoor was afgesloten."),
    _spec("relapse_share", "Terugval: aandeel", Kind.SHARE, Unit.PROCENT, H,
          "Terugval als deel van de huishoudens met een nieuwe aanmelding in de periode."),
    _spec("time_total_minutes", "Geregistreerde tijd", Kind.TOTAL, Unit.MINUTEN, C,
          "Minuten van contactmomenten in de periode op casussen van huishoudens in beeld "
          "(tijd wordt per casus geregistreerd, niet per dienst)."),
    _spec("time_per_case_mean", "Tijd per casus, gemiddeld", Kind.MEAN, Unit.MINUTEN, C,
          "Geregistreerde tijd gedeeld door het aantal casussen dat in de periode liep."),
    _spec("time_workers", "Medewerkers met geregistreerde tijd", Kind.COUNT, M, None,
          "Medewerkers met ten minste één contactmoment in de periode."),
    _spec("time_per_worker_mean", "Tijd per medewerker, gemiddeld", Kind.MEAN, Unit.MINUTEN,
          M, "Geregistreerde tijd gedeeld door het aantal medewerkers met tijd."),
    _spec("experience_responses", "Klantervaring: ingevulde vragenlijsten", Kind.COUNT,
          Unit.VRAGENLIJSTEN, None,
          "Vragenlijsten klantervaring ingevuld in de periode (bij een evaluatie of bij de "
          "afsluiting) door inwoners van huishoudens in beeld. Anoniem: alleen aantallen, "
          "gemiddelden en aandelen; nooit een huishouden, datum of toelichting."),
    _spec("experience_mean", "Klantervaring: gemiddelde score", Kind.MEAN, Unit.SCORE,
          Unit.VRAGENLIJSTEN,
          "Per stelling het gemiddelde antwoord op de schaal 1 (helemaal oneens) tot 5 "
          "(helemaal eens), over de vragenlijsten van de periode waarin de stelling is "
          "beantwoord. De stellingen: ‘Ik voelde me gehoord en serieus genomen’, ‘Ik heb "
          "zelf mee kunnen beslissen over de afspraken in mijn plan’, ‘De mensen om mij heen "
          "zijn betrokken zoals ik dat wilde’, ‘De ondersteuning past bij wat ik nodig heb’, "
          "‘Door de ondersteuning kan ik mijn zaken nu beter zelf regelen’."),
    _spec("experience_agree_share", "Klantervaring: eens of helemaal eens", Kind.SHARE,
          Unit.PROCENT, Unit.VRAGENLIJSTEN,
          "Per stelling het deel van de antwoorden dat ‘eens’ of ‘helemaal eens’ was (4 of "
          "5)."),
    _spec("usage_share", "Aandeel in het gebruik (huishoudens)", Kind.SHARE, Unit.PROCENT, H,
          "Alleen per gemeente: de huishoudens in beeld van de gemeente als deel van alle "
          "huishoudens in beeld op deze server (voor een verdeling van kosten naar gebruik)."),
)

SPECS: dict[str, IndicatorSpec] = {spec.key: spec for spec in INDICATORS}
ORDER: dict[str, int] = {spec.key: n for n, spec in enumerate(INDICATORS)}


@dataclass(frozen=True, slots=True)
class Row:
    """One figure. ``value`` None: nothing to compute (e.g. the median of no cases)."""

    group: str
    indicator: str
    category: str
    value: int | float | None
    basis: int

    @property
    def spec(self) -> IndicatorSpec:
        return SPECS[self.indicator]

    def sort_key(self) -> tuple[str, int, str]:
        return (self.group, ORDER.get(self.indicator, len(ORDER)), self.category)


def zrm_category(definition_id: str, version: str, item_code: str) -> str:
    return f"{definition_id}/{version}/{item_code}"


def split_zrm_category(category: str) -> tuple[str, str, str]:
    definition_id, version, item_code = category.split("/", 2)
    return definition_id, version, item_code


# --------------------------------------------------------------------------- suppression


def is_suppressed(row: Row) -> bool:
    """True when the figure rests on 1 to 4 residents' households, cases or persons."""
    return row.spec.protected and 0 < row.basis < THRESHOLD


def public_value(row: Row) -> int | float | str | None:
    """The value as a report may show it: exact, ``"<5"`` or ``"–"`` (see module doc)."""
    if is_suppressed(row):
        return SUPPRESSED if row.spec.kind is Kind.COUNT else NOT_SHOWN
    if isinstance(row.value, float):
        return round(row.value, 1)
    return row.value


def public_basis(row: Row) -> int | str:
    return SUPPRESSED if is_suppressed(row) else row.basis


def dutch_number(value: int | float | str | None) -> str:
    """12,5 and 1.234 (Dutch notation); strings pass through; None is empty."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    whole = f"{value:,.1f}"
    return whole.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


# --------------------------------------------------------------------------- periods

_PERIOD = re.compile(r"^(\d{4})(H[12])?$")
_HALF_LABEL = {"H1": "eerste halfjaar", "H2": "tweede halfjaar"}


class PeriodError(ValueError):
    """A period code that is not YYYY, YYYYH1 or YYYYH2 (message in Dutch)."""


@dataclass(frozen=True, slots=True)
class Period:
    code: str
    start: date
    end: date

    @property
    def label(self) -> str:
        match = _PERIOD.match(self.code)
        assert match is not None
        year, half = match.groups()
        return f"{_HALF_LABEL[half]} {year}" if half else f"jaar {year}"

    def peildatum(self, today: date) -> date:
        """The day the figures describe: the end of the period, or today if that is
        earlier (a period that is still running)."""
        return min(self.end, today)

    def started(self, today: date) -> bool:
        return today >= self.start


def parse_period(code: str) -> Period:
    """``2026`` (the year), ``2026H1`` (January-June) or ``2026H2`` (July-December)."""
    match = _PERIOD.match(code.strip().upper())
    if match is None or not 1900 <= int(match.group(1)) <= 2999:
        raise PeriodError(f"Onbekende periode ‘{code}’. Gebruik bijvoorbeeld 2026H2 of 2026.")
    year = int(match.group(1))
    half = match.group(2)
    if half == "H1":
        return Period(f"{year}H1", date(year, 1, 1), date(year, 6, 30))
    if half == "H2":
        return Period(f"{year}H2", date(year, 7, 1), date(year, 12, 31))
    return Period(str(year), date(year, 1, 1), date(year, 12, 31))


def recent_periods(today: date, count: int = 6) -> list[Period]:
    """The half-years and years that have started, most recent first (for a period menu)."""
    periods: list[Period] = []
    year = today.year
    while len(periods) < count:
        for code in (f"{year}H2", f"{year}H1", str(year)):
            period = parse_period(code)
            if period.started(today) and len(periods) < count:
                periods.append(period)
        year -= 1
    return periods


def day_after(day: date) -> str:
    """ISO text of the next day: a moment ``at`` lies on or before `day` iff
    ``at < day_after(day)`` (ISO texts compare in time order)."""
    return (day + timedelta(days=1)).isoformat()


# --------------------------------------------------------------------------- CSV

CSV_COLUMNS = ("periode", "peildatum", "groepering", "groep", "indicator", "omschrijving",
               "categorie", "waarde", "basis", "eenheid", "basiseenheid")


def csv_text(rows: Iterable[Row], period: Period, peildatum: date, grouping: str) -> str:
    """The rows as CSV for spreadsheets set to Dutch: semicolons, decimal commas, UTF-8.
    Suppression is applied; the first line names the columns."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in sorted(rows, key=Row.sort_key):
        spec = row.spec
        writer.writerow([
            period.code, peildatum.isoformat(), grouping, row.group, row.indicator,
            spec.label, row.category, dutch_number(public_value(row)),
            dutch_number(public_basis(row)), spec.unit.value, spec.basis_unit.value,
        ])
    return out.getvalue()


def method_paragraphs(period: Period, peildatum: date,
                      instrument_versions: Sequence[str]) -> list[str]:
    """The short method section both reports print (Dutch)."""
    versions = ", ".join(instrument_versions) if instrument_versions else "geen metingen"
    return [
        f"Periode: {period.label} ({period.start:%d-%m-%Y} tot en met {period.end:%d-%m-%Y}). "
        f"Peildatum: {peildatum:%d-%m-%Y}. Gebeurtenissen na de peildatum tellen niet mee; "
        "de werkvoorraad (plannen, evaluaties, caseload) is de stand op de peildatum.",
        "Een huishouden hoort bij de wijk van zijn adres en bij het team van zijn meest "
        "recente casus die in de periode liep; die casus geeft ook profiel, urgentie, "
        "regisseur en evaluatiedatum.",
        f"Kleine aantallen: een aantal van 1 tot en met {THRESHOLD - 1} staat als "
        f"‘{SUPPRESSED}’; een gemiddelde, mediaan of percentage dat op minder dan {THRESHOLD} "
        f"huishoudens, casussen of personen rust staat als ‘{NOT_SHOWN}’. Namen, BSN, "
        "adressen en geboortedata komen niet in deze rapportage.",
        f"Instrumentversies van de vergeleken metingen: {versions}. ZRM-scores worden alleen "
        "binnen dezelfde versie vergeleken.",
        f"Klantervaring: de vragenlijst ‘{EXPERIENCE_QUESTIONNAIRE}’ (vijf stellingen, "
        "antwoord 1 tot 5) die inwoners bij een evaluatie of de afsluiting invullen. Alleen "
        f"aantallen en gemiddelden; onder {THRESHOLD} ingevulde vragenlijsten of antwoorden "
        "staat er geen cijfer.",
    ]


__all__ = [
    "CSV_COLUMNS",
    "INDICATORS",
    "NOT_SHOWN",
    "SPECS",
    "SUPPRESSED",
    "THRESHOLD",
    "Grouping",
    "IndicatorSpec",
    "Kind",
    "Period",
    "PeriodError",
    "Row",
    "Unit",
    "category_label",
    "csv_text",
    "day_after",
    "dutch_number",
    "is_suppressed",
    "method_paragraphs",
    "parse_period",
    "public_basis",
    "public_value",
    "recent_periods",
    "split_zrm_category",
    "zrm_category",
]
