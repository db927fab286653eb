"""Dutch display labels for the domain's enum values: one place, passed through Qt's translator.

Every page, table and form that shows a status, a referral source, an urgency criterion, a
problem area, a contact kind or a household role takes its label from here, so a term is
worded (and translated) the same everywhere.

The texts are marked with `QT_TRANSLATE_NOOP("labels", ...)` in dictionaries (so `lupdate`
finds them) and looked up through `QCoreApplication.translate("labels", text)` when shown, so a
translation file can override them.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from wijkteam_app.domain.cases import (
    CaseStatus,
    Complexity,
    ContactKind,
    ProblemArea,
    ReferralSource,
    UrgencyCriterion,
)
from wijkteam_app.domain.people import HouseholdRole

CONTEXT = "labels"


def _t(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 (lupdate's marker name)
    """Marks a literal for `lupdate` (the name is what it looks for); translated when shown."""
    del context
    return text


_STATUS: dict[CaseStatus, str] = {
    CaseStatus.AANGEMELD: QT_TRANSLATE_NOOP("labels", "Aangemeld"),
    CaseStatus.QUICKSCAN: QT_TRANSLATE_NOOP("labels", "Quickscan"),
    CaseStatus.KEUKENTAFELGESPREK: QT_TRANSLATE_NOOP("labels", "Keukentafelgesprek"),
    CaseStatus.PLAN: QT_TRANSLATE_NOOP("labels", "Plan"),
    CaseStatus.UITVOERING: QT_TRANSLATE_NOOP("labels", "Uitvoering"),
    CaseStatus.EVALUATIE: QT_TRANSLATE_NOOP("labels", "Evaluatie"),
    CaseStatus.NAZORG: QT_TRANSLATE_NOOP("labels", "Nazorg"),
    CaseStatus.AFGESLOTEN: QT_TRANSLATE_NOOP("labels", "Afgesloten"),
}

_COMPLEXITY: dict[Complexity, str] = {
    Complexity.ENKELVOUDIG: QT_TRANSLATE_NOOP("labels", "Enkelvoudig"),
    Complexity.MEERVOUDIG: QT_TRANSLATE_NOOP("labels", "Meervoudig"),
}

_COMPLEXITY_HINT: dict[Complexity, str] = {
    Complexity.ENKELVOUDIG: QT_TRANSLATE_NOOP("labels", "Eén vraag: een snel, licht antwoord."),
    Complexity.MEERVOUDIG: QT_TRANSLATE_NOOP(
        "labels", "Complex of meerdere vragen: huisbezoek, vraagverheldering en een regisseur."),
}

_REFERRAL: dict[ReferralSource, str] = {
    ReferralSource.INWONER: QT_TRANSLATE_NOOP("labels", "Inwoner zelf"),
    ReferralSource.HUISARTS: QT_TRANSLATE_NOOP("labels", "Huisarts"),
    ReferralSource.SCHOOL: QT_TRANSLATE_NOOP("labels", "School"),
    ReferralSource.POLITIE: QT_TRANSLATE_NOOP("labels", "Politie"),
    ReferralSource.WONINGCORPORATIE: QT_TRANSLATE_NOOP("labels", "Woningcorporatie"),
    ReferralSource.BUREN: QT_TRANSLATE_NOOP("labels", "Buren"),
    ReferralSource.NETWERK: QT_TRANSLATE_NOOP("labels", "Familie of netwerk"),
    ReferralSource.ZORGAANBIEDER: QT_TRANSLATE_NOOP("labels", "Zorgaanbieder"),
    ReferralSource.GEMEENTE: QT_TRANSLATE_NOOP("labels", "Gemeente"),
    ReferralSource.VEILIG_THUIS: QT_TRANSLATE_NOOP("labels", "Veilig Thuis"),
    ReferralSource.OVERIG: QT_TRANSLATE_NOOP("labels", "Overig"),
}

_URGENCY: dict[UrgencyCriterion, str] = {
    UrgencyCriterion.TERMINALE_SITUATIE: QT_TRANSLATE_NOOP("labels", "Terminale situatie"),
    UrgencyCriterion.SUICIDALITEIT: QT_TRANSLATE_NOOP("labels", "Suïcidaliteit"),
    UrgencyCriterion.HUISELIJK_GEWELD: QT_TRANSLATE_NOOP("labels", "Huiselijk geweld"),
    UrgencyCriterion.KWETSBAARHEID: QT_TRANSLATE_NOOP("labels", "Kwetsbaarheid"),
    UrgencyCriterion.DAKLOOSHEID: QT_TRANSLATE_NOOP("labels", "Dakloosheid"),
    UrgencyCriterion.VOORMALIGE_VET_ZAAK: QT_TRANSLATE_NOOP("labels", "Voormalige VET-zaak"),
}

_PROBLEM: dict[ProblemArea, str] = {
    ProblemArea.INKOMEN: QT_TRANSLATE_NOOP("labels", "Inkomen"),
    ProblemArea.BESTEDING: QT_TRANSLATE_NOOP("labels", "Besteding"),
    ProblemArea.HUISVESTING: QT_TRANSLATE_NOOP("labels", "Huisvesting"),
    ProblemArea.VORMING_OPLEIDING: QT_TRANSLATE_NOOP("labels", "Vorming en opleiding"),
    ProblemArea.ARBEID: QT_TRANSLATE_NOOP("labels", "Arbeid"),
    ProblemArea.GEZONDHEID: QT_TRANSLATE_NOOP("labels", "Gezondheid"),
    ProblemArea.ECHTSCHEIDING: QT_TRANSLATE_NOOP("labels", "Echtscheiding"),
    ProblemArea.RELATIE_PARTNER: QT_TRANSLATE_NOOP("labels", "Relatie tot partner"),
    ProblemArea.RELATIE_OUDER_KIND: QT_TRANSLATE_NOOP("labels", "Relatie ouder/kind"),
    ProblemArea.RELATIE_ANDEREN: QT_TRANSLATE_NOOP("labels", "Relatie tot anderen"),
    ProblemArea.RELATIE_ORGANISATIES: QT_TRANSLATE_NOOP(
        "labels", "Relatie tot maatschappelijke organisaties"),
    ProblemArea.VERWERKING: QT_TRANSLATE_NOOP("labels", "Verwerking"),
    ProblemArea.EENZAAMHEID: QT_TRANSLATE_NOOP("labels", "Eenzaamheid"),
    ProblemArea.IDENTITEIT: QT_TRANSLATE_NOOP("labels", "Identiteit"),
    ProblemArea.PSYCHISCHE_PROBLEMEN: QT_TRANSLATE_NOOP("labels", "Psychische problemen"),
    ProblemArea.CULTUURVERSCHILLEN: QT_TRANSLATE_NOOP("labels", "Cultuurverschillen"),
    ProblemArea.SLACHTOFFER_GEWELD: QT_TRANSLATE_NOOP(
        "labels", "Slachtoffer machtsmisbruik of geweld"),
}

_CONTACT: dict[ContactKind, str] = {
    ContactKind.HUISBEZOEK: QT_TRANSLATE_NOOP("labels", "Huisbezoek"),
    ContactKind.KANTOOR: QT_TRANSLATE_NOOP("labels", "Op kantoor"),
    ContactKind.TELEFONISCH: QT_TRANSLATE_NOOP("labels", "Telefonisch"),
    ContactKind.BEELDBELLEN: QT_TRANSLATE_NOOP("labels", "Beeldbellen"),
    ContactKind.EMAIL: QT_TRANSLATE_NOOP("labels", "E-mail"),
    ContactKind.OVERLEG: QT_TRANSLATE_NOOP("labels", "Overleg met professionals"),
    ContactKind.OVERIG: QT_TRANSLATE_NOOP("labels", "Overig"),
}

_ROLE: dict[HouseholdRole, str] = {
    HouseholdRole.HOOFDBEWONER: QT_TRANSLATE_NOOP("labels", "Hoofdbewoner"),
    HouseholdRole.PARTNER: QT_TRANSLATE_NOOP("labels", "Partner"),
    HouseholdRole.KIND: QT_TRANSLATE_NOOP("labels", "Kind"),
    HouseholdRole.PLEEGKIND: QT_TRANSLATE_NOOP("labels", "Pleegkind"),
    HouseholdRole.OUDER: QT_TRANSLATE_NOOP("labels", "Ouder"),
    HouseholdRole.HUISGENOOT: QT_TRANSLATE_NOOP("labels", "Huisgenoot"),
    HouseholdRole.OVERIG: QT_TRANSLATE_NOOP("labels", "Overig"),
}

_CLIENT_PROFILE: dict[int, str] = {
    1: QT_TRANSLATE_NOOP("labels", "Eén persoon, enkelvoudig probleem"),
    2: QT_TRANSLATE_NOOP("labels", "Cliëntsysteem (meer personen), enkelvoudig probleem"),
    3: QT_TRANSLATE_NOOP("labels", "Eén persoon, meervoudige problematiek"),
    4: QT_TRANSLATE_NOOP("labels", "Meer personen met verweven meervoudige problematiek"),
    5: QT_TRANSLATE_NOOP("labels", "Complexe problematiek, zorgmijdend of tussen wal en schip"),
}

_CONSENT_FORM: dict[str, str] = {
    "mondeling": QT_TRANSLATE_NOOP("labels", "Mondeling"),
    "schriftelijk": QT_TRANSLATE_NOOP("labels", "Schriftelijk"),
}


def status_label(status: CaseStatus) -> str:
    return _t(_STATUS[status])


def complexity_label(complexity: Complexity | None) -> str:
    """'Enkelvoudig' / 'Meervoudig'; 'Nog niet bepaald' when unknown."""
    if complexity is None:
        return QCoreApplication.translate("labels", "Nog niet bepaald")
    return _t(_COMPLEXITY[complexity])


def complexity_hint(complexity: Complexity) -> str:
    """One line explaining what the triage choice means for the way of working."""
    return _t(_COMPLEXITY_HINT[complexity])


def referral_label(source: ReferralSource) -> str:
    return _t(_REFERRAL[source])


def urgency_label(criterion: UrgencyCriterion) -> str:
    """The plain name of the criterion, without marking."""
    return _t(_URGENCY[criterion])


def urgency_marked_label(criterion: UrgencyCriterion) -> str:
    """The criterion's name, with '(crisisgevoelig)' added for the crisis-sensitive ones."""
    if criterion.crisis_sensitive:
        text = QCoreApplication.translate("labels", "%1 (crisisgevoelig)")
        return text.replace("%1", urgency_label(criterion))
    return urgency_label(criterion)


def crisis_sensitive_text() -> str:
    """The word used to mark crisis-sensitive criteria."""
    return QCoreApplication.translate("labels", "crisisgevoelig")


def problem_area_label(area: ProblemArea) -> str:
    return _t(_PROBLEM[area])


def contact_kind_label(kind: ContactKind) -> str:
    return _t(_CONTACT[kind])


def role_label(role: HouseholdRole) -> str:
    return _t(_ROLE[role])


def client_profile_label(profile: int | None) -> str:
    """'3 – Eén persoon, meervoudige problematiek'; 'Nog niet bepaald' when unknown."""
    if profile is None or profile not in _CLIENT_PROFILE:
        return QCoreApplication.translate("labels", "Nog niet bepaald")
    return f"{profile} – {_t(_CLIENT_PROFILE[profile])}"


def client_profile_meaning(profile: int) -> str:
    """The meaning of a client profile 1-5 without its number."""
    return _t(_CLIENT_PROFILE[profile])


def consent_form_label(form: str) -> str:
    text = _CONSENT_FORM.get(form)
    return _t(text) if text else form


def duration_label(minutes: int) -> str:
    """Minutes as Dutch hours and minutes: '45 min', '2 u', '12 u 30 min'."""
    hours, rest = divmod(max(minutes, 0), 60)
    if hours and rest:
        text = QCoreApplication.translate("labels", "%1 u %2 min")
        return text.replace("%1", str(hours)).replace("%2", str(rest))
    if hours:
        return QCoreApplication.translate("labels", "%1 u").replace("%1", str(hours))
    return QCoreApplication.translate("labels", "%1 min").replace("%1", str(rest))


def house_number_text(number: int, suffix: str) -> str:
    """House number and suffix as written on a letter: '12A', '3-2', '7 bis'."""
    suffix = suffix.strip()
    if not number:
        return suffix
    joined = (len(suffix) == 1 and suffix.isalpha()) or suffix.startswith("-")
    return f"{number}{suffix}" if joined or not suffix else f"{number} {suffix}"
