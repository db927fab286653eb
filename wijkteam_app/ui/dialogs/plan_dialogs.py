"""Dialogs around the ondersteuningsplan: the gemeentelijke toets, signing, evaluation,
op- en afschalen, and the in-app PDF preview with printing.

Also the pieces the plan page and the review page share: Dutch labels for the plan's enum
values, `PlanContext` (everything about a household a plan screen needs to show names instead
of ids) and the readable form of one difference between two versions.

Every dialog takes its service calls through `PlanService`; the rules (four eyes for the toets,
who signs for a minor, what an evaluation needs) are the domain's, the dialogs only make them
visible in Dutch before the service is asked.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QPointF, QSize, Qt
from PySide6.QtGui import QGuiApplication, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from wijkteam_app.catalogs import CatalogFileError
from wijkteam_app.domain.instruments import (
    LADDER_ITEM_CODE,
    Assessment,
    InstrumentDefinition,
    InstrumentKind,
    latest_of,
)
from wijkteam_app.domain.people import HouseholdDetail, Person
from wijkteam_app.domain.plans import (
    ChangeKind,
    FieldChange,
    Financing,
    GoalEvaluation,
    GoalResult,
    Horizon,
    IllegalEscalation,
    Mandate,
    PlanRuleViolation,
    PlanSection,
    PlanStatus,
    PlanVersion,
    RequiredSigner,
    ResidentAgreement,
    Signer,
    SignerReason,
    ToetsByRegisseur,
    ToetsDecision,
    pdf_sha256,
    required_signers,
    short_fingerprint,
    toets_reasons,
)
from wijkteam_app.domain.provisions import CodeLists, Provision, ProvisionLevel
from wijkteam_app.domain.validation import FieldError, ValidationFailed
from wijkteam_app.errors import NotFound
from wijkteam_app.reports.document import ReportSettings
from wijkteam_app.services.assessments import installed_definitions
from wijkteam_app.services.authority import Action
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.plans import NotAllowed, PlanService, code_lists
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.casework_labels import financing_label
from wijkteam_app.ui.forms.common import definition_label
from wijkteam_app.ui.i18n import error_text
from wijkteam_app.ui.widgets import ErrorLabel, fit_height, heading_label, muted_label
from wijkteam_app.ui.widgets.fields import (
    DateField,
    FieldErrors,
    format_dutch_date,
    malformed_date_message,
    with_error,
)

CONTEXT = "plan"


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 (lupdate's marker name)
    """Marks a literal for `lupdate`; translated (through `tr`) when shown."""
    del context
    return text


# --- labels --------------------------------------------------------------------------------

_STATUS: dict[PlanStatus, str] = {
    PlanStatus.CONCEPT: QT_TRANSLATE_NOOP("plan", "Concept"),
    PlanStatus.TER_BEOORDELING: QT_TRANSLATE_NOOP("plan", "Ter beoordeling bij teamcoach"),
    PlanStatus.GOEDGEKEURD: QT_TRANSLATE_NOOP("plan", "Goedgekeurd"),
    PlanStatus.TERUGGESTUURD: QT_TRANSLATE_NOOP("plan", "Teruggestuurd"),
    PlanStatus.TER_ONDERTEKENING: QT_TRANSLATE_NOOP("plan", "Ter ondertekening"),
    PlanStatus.ONDERTEKEND: QT_TRANSLATE_NOOP("plan", "Ondertekend"),
    PlanStatus.IN_UITVOERING: QT_TRANSLATE_NOOP("plan", "In uitvoering"),
    PlanStatus.GEEVALUEERD: QT_TRANSLATE_NOOP("plan", "Geëvalueerd"),
    PlanStatus.AFGESLOTEN: QT_TRANSLATE_NOOP("plan", "Afgesloten"),
}

_HORIZON: dict[Horizon, str] = {
    Horizon.EERSTE_STAP: QT_TRANSLATE_NOOP("plan", "Eerste stap"),
    Horizon.DRIE_MAANDEN: QT_TRANSLATE_NOOP("plan", "Over 3 maanden"),
    Horizon.EEN_JAAR: QT_TRANSLATE_NOOP("plan", "Over 1 jaar"),
}

_AGREEMENT: dict[ResidentAgreement, str] = {
    ResidentAgreement.AKKOORD: QT_TRANSLATE_NOOP("plan", "Akkoord"),
    ResidentAgreement.AKKOORD_ONDER_PROTEST: QT_TRANSLATE_NOOP("plan", "Akkoord onder protest"),
    ResidentAgreement.NIET_AKKOORD: QT_TRANSLATE_NOOP("plan", "Niet akkoord"),
}

_RESULT: dict[GoalResult, str] = {
    GoalResult.BEHAALD: QT_TRANSLATE_NOOP("plan", "Behaald"),
    GoalResult.DEELS: QT_TRANSLATE_NOOP("plan", "Deels behaald"),
    GoalResult.NIET_BEHAALD: QT_TRANSLATE_NOOP("plan", "Niet behaald"),
}

_SECTION: dict[PlanSection, str] = {
    PlanSection.DEELNEMERS: QT_TRANSLATE_NOOP("plan", "Wie deden mee"),
    PlanSection.HULPVRAAG: QT_TRANSLATE_NOOP("plan", "Hulpvraag"),
    PlanSection.SITUATIE: QT_TRANSLATE_NOOP("plan", "Situatie per leefgebied"),
    PlanSection.DOELEN: QT_TRANSLATE_NOOP("plan", "Doelen en afspraken"),
    PlanSection.REGIE: QT_TRANSLATE_NOOP("plan", "Regie"),
    PlanSection.EVALUATIE: QT_TRANSLATE_NOOP("plan", "Evaluatie"),
    PlanSection.ZIENSWIJZE: QT_TRANSLATE_NOOP("plan", "Zienswijze van de inwoner"),
    PlanSection.TOESTEMMING: QT_TRANSLATE_NOOP("plan", "Toestemming voor delen"),
}

_LEVEL: dict[ProvisionLevel, str] = {
    ProvisionLevel.ALGEMEEN: QT_TRANSLATE_NOOP("plan", "Algemene voorziening"),
    ProvisionLevel.COLLECTIEF: QT_TRANSLATE_NOOP("plan", "Collectieve voorziening"),
    ProvisionLevel.INDIVIDUEEL_LICHT: QT_TRANSLATE_NOOP("plan", "Individueel, licht"),
    ProvisionLevel.INDIVIDUEEL_ZWAAR: QT_TRANSLATE_NOOP("plan", "Individueel, zwaar"),
    ProvisionLevel.ANDERE_INSTANTIE: QT_TRANSLATE_NOOP("plan", "Via een andere instantie"),
}

_SIGNER: dict[SignerReason, str] = {
    SignerReason.VOLWASSENE: QT_TRANSLATE_NOOP("plan", "inwoner"),
    SignerReason.JEUGDIGE_VANAF_16: QT_TRANSLATE_NOOP("plan", "jeugdige van 16 jaar of ouder"),
    SignerReason.JEUGDIGE_12_TOT_16: QT_TRANSLATE_NOOP("plan", "jeugdige van 12 tot 16 jaar"),
    SignerReason.GEZAG: QT_TRANSLATE_NOOP("plan", "ouder/verzorger met gezag"),
    SignerReason.GEZAG_ONBEKEND: QT_TRANSLATE_NOOP("plan", "gezaghebbende, nog vast te stellen"),
    SignerReason.LEEFTIJD_ONBEKEND: QT_TRANSLATE_NOOP("plan", "inwoner (leeftijd onbekend)"),
    SignerReason.PROFESSIONAL: QT_TRANSLATE_NOOP("plan", "regisseur"),
}

# Field names of the plan content as the worker reads them (diffs, review).
_FIELD: dict[str, str] = {
    "person_ids": QT_TRANSLATE_NOOP("plan", "Leden van het huishouden"),
    "network_member_ids": QT_TRANSLATE_NOOP("plan", "Netwerk"),
    "professional_ids": QT_TRANSLATE_NOOP("plan", "Professionals"),
    "others": QT_TRANSLATE_NOOP("plan", "Anderen"),
    "question": QT_TRANSLATE_NOOP("plan", "Vraag in eigen woorden"),
    "zrm_assessment_ids": QT_TRANSLATE_NOOP("plan", "ZRM-metingen"),
    "ladder_assessment_ids": QT_TRANSLATE_NOOP("plan", "Participatieladder-metingen"),
    "volgorde": QT_TRANSLATE_NOOP("plan", "Volgorde van de doelen"),
    "domain_code": QT_TRANSLATE_NOOP("plan", "Leefgebied"),
    "description": QT_TRANSLATE_NOOP("plan", "Omschrijving"),
    "current_level": QT_TRANSLATE_NOOP("plan", "Huidig niveau"),
    "target_level": QT_TRANSLATE_NOOP("plan", "Doelniveau"),
    "horizon": QT_TRANSLATE_NOOP("plan", "Termijn"),
    "zelf": QT_TRANSLATE_NOOP("plan", "Zelf"),
    "netwerk": QT_TRANSLATE_NOOP("plan", "Netwerk"),
    "voorzieningen": QT_TRANSLATE_NOOP("plan", "Voorliggende voorzieningen"),
    "professioneel": QT_TRANSLATE_NOOP("plan", "Professionele ondersteuning"),
    "for_person_ids": QT_TRANSLATE_NOOP("plan", "Voor wie"),
    "afspraken": QT_TRANSLATE_NOOP("plan", "Afspraken met anderen"),
    "regisseur_id": QT_TRANSLATE_NOOP("plan", "Regisseur"),
    "evaluation_dates": QT_TRANSLATE_NOOP("plan", "Evaluatiedatum(s)"),
    "agreement": QT_TRANSLATE_NOOP("plan", "Akkoord"),
    "own_words": QT_TRANSLATE_NOOP("plan", "In eigen woorden"),
    "consents": QT_TRANSLATE_NOOP("plan", "Toestemmingen"),
}

_CHANGE: dict[ChangeKind, str] = {
    ChangeKind.TOEGEVOEGD: QT_TRANSLATE_NOOP("plan", "toegevoegd"),
    ChangeKind.VERWIJDERD: QT_TRANSLATE_NOOP("plan", "verwijderd"),
    ChangeKind.GEWIJZIGD: QT_TRANSLATE_NOOP("plan", "gewijzigd"),
}


def plan_status_label(status: PlanStatus) -> str:
    return tr(_STATUS[status])


def horizon_label(horizon: Horizon) -> str:
    return tr(_HORIZON[horizon])


def agreement_label(agreement: ResidentAgreement | None) -> str:
    return tr(_AGREEMENT[agreement]) if agreement else tr("Nog niet gevraagd")


def result_label(result: GoalResult) -> str:
    return tr(_RESULT[result])


def section_label(section: PlanSection) -> str:
    return tr(_SECTION[section])


def provision_level_label(level: ProvisionLevel) -> str:
    return tr(_LEVEL[level])


def signer_reason_label(reason: SignerReason) -> str:
    return tr(_SIGNER[reason])


def change_kind_label(kind: ChangeKind) -> str:
    return tr(_CHANGE[kind])


def euro(cents: int) -> str:
    """Cents as a Dutch amount: '€ 1.234,50'."""
    whole, rest = divmod(abs(cents), 100)
    text = f"{whole:,}".replace(",", ".")
    return f"{'-' if cents < 0 else ''}€ {text},{rest:02d}"


def fingerprint_text(version: PlanVersion) -> str:
    from wijkteam_app.domain.plans import fingerprint

    return short_fingerprint(fingerprint(version))


def default_report_settings(workspace: Workspace) -> ReportSettings:
    """The municipality's name and logo as set (server reference data or Instellingen), the
    worker as author."""
    from wijkteam_app.services.settings import SettingsService

    return SettingsService(workspace).report_settings()


# --- what a plan screen knows about the household ------------------------------------------


@dataclass(frozen=True, slots=True)
class DomainInfo:
    """One life domain (ZRM item) with the latest scores of everyone it was scored for."""

    code: str
    name: str
    scores: tuple[tuple[str, int | None], ...]  # (subject name, score) from the latest ZRMs

    @property
    def lowest(self) -> int | None:
        values = [s for _name, s in self.scores if s is not None]
        return min(values) if values else None


@dataclass(frozen=True, slots=True)
class LadderInfo:
    person_name: str
    rung: int
    rung_name: str


@dataclass(frozen=True, slots=True)
class PlanContext:
    """A household as the plan screens need it, read once per household."""

    detail: HouseholdDetail
    assessments: tuple[Assessment, ...]
    worker_names: Mapping[str, str]
    definitions: Mapping[tuple[str, str], InstrumentDefinition]
    domains: tuple[DomainInfo, ...]
    ladders: tuple[LadderInfo, ...]
    latest_zrm_ids: tuple[str, ...]
    latest_ladder_ids: tuple[str, ...]
    provisions: tuple[Provision, ...]  # the whole sociale kaart (for names)
    wijk_provisions: tuple[Provision, ...]  # voorliggende, for the household's wijk
    lists: CodeLists | None
    catalog_problem: str = ""

    @property
    def persons(self) -> dict[str, Person]:
        return {p.id: p for p in self.detail.members}

    def person_name(self, person_id: str) -> str:
        person = self.persons.get(person_id)
        return person.full_name if person else tr("(onbekend)")

    def network_name(self, member_id: str) -> str:
        for member in self.detail.network:
            if member.id == member_id:
                return member.name
        return tr("(onbekend)")

    def professional_name(self, pro_id: str) -> str:
        for pro in self.detail.professionals:
            if pro.id == pro_id:
                return pro.organisation + (f" ({pro.name})" if pro.name else "")
        return tr("(onbekend)")

    def provision_name(self, provision_id: str) -> str:
        for provision in self.provisions:
            if provision.id == provision_id:
                return provision.name
        return provision_id

    def domain_name(self, code: str) -> str:
        for info in self.domains:
            if info.code == code:
                return info.name
        for defn in self.definitions.values():
            for item in defn.items:
                if item.code == code:
                    return item.name
        return code

    def domain(self, code: str) -> DomainInfo | None:
        return next((d for d in self.domains if d.code == code), None)

    def worker_name(self, worker_id: str) -> str:
        return self.worker_names.get(worker_id, tr("(onbekend)"))


def load_context(workspace: Workspace, household_id: str) -> PlanContext:
    """Read the household, its assessments, the workers, the sociale kaart and the code lists
    (not the journal: the plan does not show it)."""
    households = HouseholdService(workspace)
    detail = households.get(household_id)
    assessments = households.assessments(household_id)
    definitions = installed_definitions()
    latest: dict[tuple[str, str], Assessment] = {}
    for a in assessments:  # oldest first: later ones overwrite
        defn = definitions.get(a.definition_key)
        if defn is None:
            continue
        latest[(defn.kind.value, a.person_id or "huishouden")] = a
    persons = {p.id: p for p in detail.members}
    domain_order: list[str] = []
    names: dict[str, str] = {}
    scores: dict[str, list[tuple[str, int | None]]] = {}
    zrm_ids: list[str] = []
    ladders: list[LadderInfo] = []
    ladder_ids: list[str] = []
    for (kind, subject), a in latest.items():
        defn = definitions[a.definition_key]
        if subject == "huishouden":
            who = tr("Huishouden")
        else:
            who = persons[subject].first_name if subject in persons else tr("(onbekend)")
        if kind == InstrumentKind.ZRM.value:
            zrm_ids.append(a.id)
            for item in defn.items:
                score = a.score_for(item.code)
                if score is None:
                    continue
                if item.code not in names:
                    domain_order.append(item.code)
                    names[item.code] = item.name
                scores.setdefault(item.code, []).append((who, score.score))
        elif kind == InstrumentKind.LADDER.value:
            score = a.score_for(LADDER_ITEM_CODE)
            if score is not None and score.score is not None and defn.has_level(score.score):
                ladder_ids.append(a.id)
                ladders.append(LadderInfo(who, score.score, defn.level(score.score).name))
    if not domain_order:  # no ZRM yet: offer the domains of the current adult ZRM
        try:
            fallback = latest_of(definitions, "zrm-2017")
            for item in fallback.items:
                domain_order.append(item.code)
                names[item.code] = item.name
        except LookupError:
            pass
    domains = tuple(DomainInfo(c, names[c], tuple(scores.get(c, ()))) for c in domain_order)
    problem = ""
    lists: CodeLists | None = None
    provisions: tuple[Provision, ...] = ()
    try:
        provisions = PlanService(workspace).sociale_kaart()
        lists = code_lists()
    except CatalogFileError:
        problem = tr("De sociale kaart of de codelijsten konden niet worden gelezen. "
                     "Neem contact op met de functioneel beheerder.")
    from wijkteam_app.domain.provisions import provisions_for_wijk, voorliggende

    wijk = detail.household.wijk
    return PlanContext(
        detail=detail,
        assessments=assessments,
        worker_names=households.worker_names(),
        definitions=definitions,
        domains=domains,
        ladders=tuple(ladders),
        latest_zrm_ids=tuple(zrm_ids),
        latest_ladder_ids=tuple(ladder_ids),
        provisions=provisions,
        wijk_provisions=voorliggende(provisions_for_wijk(provisions, wijk)),
        lists=lists,
        catalog_problem=problem,
    )


def value_text(ctx: PlanContext, field: str, value: object) -> str:
    """A stored (plain JSON) value of a plan field in words, with names instead of ids."""
    if value is None or value == "" or value == []:
        return "—"
    if field in ("person_ids", "for_person_ids") and isinstance(value, list):
        return ", ".join(ctx.person_name(str(v)) for v in value)
    if field == "network_member_ids" and isinstance(value, list):
        return ", ".join(ctx.network_name(str(v)) for v in value)
    if field == "professional_ids" and isinstance(value, list):
        return ", ".join(ctx.professional_name(str(v)) for v in value)
    if field == "regisseur_id":
        return ctx.worker_name(str(value))
    if field == "domain_code":
        return ctx.domain_name(str(value))
    if field == "horizon":
        try:
            return horizon_label(Horizon(str(value)))
        except ValueError:
            return str(value)
    if field == "agreement":
        try:
            return agreement_label(ResidentAgreement(str(value)))
        except ValueError:
            return str(value)
    if field == "evaluation_dates" and isinstance(value, list):
        return ", ".join(_iso_to_dutch(str(v)) for v in value)
    if field == "netwerk" and isinstance(value, list):
        return "; ".join(f"{ctx.network_name(str(v.get('network_member_id')))}: {v.get('task')}"
                         for v in value if isinstance(v, dict))
    if field == "voorzieningen" and isinstance(value, list):
        return "; ".join(ctx.provision_name(str(v.get("provision_id")))
                         for v in value if isinstance(v, dict))
    if field == "professioneel" and isinstance(value, list):
        parts = []
        for v in value:
            if isinstance(v, dict):
                cost = v.get("cost_cents")
                text = (f"{v.get('product_name')} ({v.get('provider')}), "
                        f"{euro(cost if isinstance(cost, int) else 0)}")
                if v.get("financing"):
                    text += ", " + _financing_text(v.get("financing"))
                parts.append(text)
        return "; ".join(parts)
    if field == "afspraken" and isinstance(value, list):
        return "; ".join(f"{v.get('who')}: {v.get('what')}" + (
            f" ({_iso_to_dutch(str(v.get('due')))})" if v.get("due") else "")
            for v in value if isinstance(v, dict))
    if field == "consents" and isinstance(value, list):
        return "; ".join(f"{v.get('recipient')}: {v.get('purpose')}"
                         for v in value if isinstance(v, dict))
    if field in ("zrm_assessment_ids", "ladder_assessment_ids", "volgorde") and isinstance(
            value, list):
        return tr("%1 item(s)").replace("%1", str(len(value)))
    if isinstance(value, dict):  # a whole goal
        return str(value.get("description", ""))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _financing_text(value: object) -> str:
    try:
        return financing_label(Financing(str(value)))
    except ValueError:
        return str(value)


def _iso_to_dutch(text: str) -> str:
    try:
        return format_dutch_date(date.fromisoformat(text))
    except ValueError:
        return text


@dataclass(frozen=True, slots=True)
class ChangeRow:
    """One difference between two versions, in words."""

    section: PlanSection
    section_text: str
    field_text: str
    old: str
    new: str
    kind: ChangeKind


def describe_change(ctx: PlanContext, change: FieldChange, goal_titles: Mapping[str, str]
                    ) -> ChangeRow:
    """`goal_titles`: goal id → its description (from either version) to name the goal."""
    if change.goal_id is not None:
        title = goal_titles.get(change.goal_id, "")
        if change.field:
            field = tr("Doel “%1”: %2").replace("%1", title).replace(
                "%2", tr(_FIELD.get(change.field, change.field)))
        else:
            field = tr("Doel “%1”").replace("%1", title)
    elif change.section is PlanSection.SITUATIE and change.field not in _FIELD:
        field = ctx.domain_name(change.field)
    else:
        field = tr(_FIELD.get(change.field, change.field))
    return ChangeRow(change.section, section_label(change.section), field,
                     value_text(ctx, change.field, change.before),
                     value_text(ctx, change.field, change.after), change.kind)


# --- shared dialog parts -------------------------------------------------------------------


def _buttons(ok_text: str, parent: QDialog) -> tuple[QPushButton, QPushButton, QHBoxLayout]:
    ok = QPushButton(ok_text)
    ok.setDefault(True)
    cancel = QPushButton(tr("&Annuleren"))
    cancel.setAutoDefault(False)
    cancel.clicked.connect(parent.reject)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(ok)
    row.addWidget(cancel)
    return ok, cancel, row


def _notice(parent: QWidget | None = None) -> ErrorLabel:
    label = ErrorLabel(parent)
    label.setObjectName("dialogNotice")
    return label


def rule_text(exc: PlanRuleViolation) -> str:
    """A refused plan step in Dutch (the domain's messages are English, for developers)."""
    texts = {
        "illegal_transition": tr("Deze stap is in deze fase van het plan niet mogelijk."),
        "immutable_version": tr("Deze versie is niet meer te wijzigen. Maak een nieuwe versie."),
        "toets_by_regisseur": tr("De gemeentelijke toets moet door iemand anders dan de "
                                 "regisseur van het plan worden gedaan."),
        "toets_wrong_status": tr("Een toets kan alleen worden vastgelegd als het plan ter "
                                 "beoordeling ligt of is goedgekeurd."),
        "review_role": tr("Alleen een teamcoach kan plannen beoordelen."),
        "review_own_plan": tr("U bent de regisseur van dit plan en kunt het niet zelf "
                              "beoordelen."),
        "plan_exists": tr("Dit huishouden heeft al een plan."),
        "escalation_level": tr("Dit kan nu niet: opschalen kan alleen vanuit het wijkteam, "
                               "afschalen alleen vanuit gezinsbegeleiding."),
        "escalation_no_regisseur": tr("Kies de nieuwe regisseur."),
        "escalation_no_reason": tr("Geef een reden op."),
    }
    if exc.reason == "illegal_transition":
        message = str(exc)
        if "toets is needed" in message:
            return tr("Er is eerst een positieve gemeentelijke toets nodig.")
        if "toets was negative" in message:
            return tr("De gemeentelijke toets was negatief. Pas het plan aan in een nieuwe "
                      "versie.")
        if "comment" in message:
            return tr("Terugsturen kan alleen met minstens één opmerking.")
    return texts.get(exc.reason, error_text(exc.reason))  # not_allowed.*: messages.py


# --- gemeentelijke toets -------------------------------------------------------------------


class ToetsDialog(QDialog):
    """Record the gemeentelijke toets on a version. Refused, with the reason in Dutch, when
    the current worker may not (not a toetser of the team, or the plan's regisseur)."""

    def __init__(self, workspace: Workspace, version: PlanVersion,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self.version = version
        self.result_version: PlanVersion | None = None
        self.service = PlanService(workspace)
        self.setWindowTitle(self.tr("Gemeentelijke toets vastleggen"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(heading_label(self.tr("Gemeentelijke toets"), 3.0))
        mandate = self.service.mandate(version.content.regisseur_id)
        layout.addWidget(muted_label(self._reasons_text(mandate)))

        self.refusal = QLabel()
        self.refusal.setObjectName("refusal")
        self.refusal.setWordWrap(True)
        self.refusal.setStyleSheet("QLabel#refusal { background: #fdecea; border: 1px solid "
                                   "#b42318; border-radius: 4px; padding: 8px; }")
        self.refusal.setVisible(False)
        layout.addWidget(self.refusal)

        self.positive = QRadioButton(self.tr("&Positief: de ondersteuning mag worden ingezet"))
        self.negative = QRadioButton(self.tr("&Negatief: niet inzetten"))
        group = QButtonGroup(self)
        group.addButton(self.positive)
        group.addButton(self.negative)
        self.positive.setChecked(True)
        self.note = QPlainTextEdit()
        self.note.setAccessibleName(self.tr("Toelichting bij de toets"))
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(90)
        self.errors = FieldErrors()
        form = QFormLayout()
        form.addRow(self.tr("Besluit"), self.positive)
        form.addRow("", self.negative)
        form.addRow(self.tr("&Toelichting"), with_error(self.note, self.errors, "note"))
        layout.addLayout(form)
        self.notice = _notice()
        layout.addWidget(self.notice)
        self.save_button, self.cancel_button, row = _buttons(self.tr("Toets &vastleggen"), self)
        self.save_button.clicked.connect(self.save)
        layout.addLayout(row)

        why_not = self.service.why_not(version, Action.PLAN_TOETS)
        if why_not == "toets_by_regisseur":
            self._refuse(self.tr("U bent de regisseur van dit plan. De gemeentelijke toets moet "
                                 "door een andere medewerker worden gedaan (vier ogen)."))
        elif why_not is not None:
            self._refuse(error_text(why_not))
        elif version.status not in (PlanStatus.TER_BEOORDELING, PlanStatus.GOEDGEKEURD):
            self._refuse(self.tr("Een toets kan alleen worden vastgelegd als het plan ter "
                                 "beoordeling ligt of is goedgekeurd."))

    def _reasons_text(self, mandate: Mandate) -> str:
        reasons = toets_reasons(self.version.content, mandate)
        lines = [self.tr("Versie %1 van het plan. Totale kosten professionele ondersteuning: "
                         "%2; mandaat van de regisseur: tot %3.")
                 .replace("%1", str(self.version.number))
                 .replace("%2", euro(reasons.total_cost_cents))
                 .replace("%3", euro(mandate.max_amount_cents))]
        if reasons.products_outside_mandate:
            lines.append(self.tr("Buiten het mandaat: %1.").replace(
                "%1", ", ".join(reasons.products_outside_mandate)))
        if reasons.above_max_amount:
            lines.append(self.tr("Het totaal ligt boven het maximumbedrag van het mandaat."))
        if not reasons.needed:
            lines.append(self.tr("Alles valt binnen het mandaat; een toets is niet nodig."))
        return " ".join(lines)

    def _refuse(self, text: str) -> None:
        self.refusal.setText(text)
        self.refusal.setAccessibleName(text)
        self.refusal.setVisible(True)
        for widget in (self.positive, self.negative, self.note, self.save_button):
            widget.setEnabled(False)
        self.cancel_button.setText(self.tr("&Sluiten"))
        self.cancel_button.setDefault(True)

    @property
    def refused(self) -> bool:
        return not self.refusal.isHidden()

    def decision(self) -> ToetsDecision:
        return ToetsDecision.POSITIEF if self.positive.isChecked() else ToetsDecision.NEGATIEF

    def save(self) -> None:
        if self.refused:
            return
        note = self.note.toPlainText().strip()
        if self.decision() is ToetsDecision.NEGATIEF and not note:
            self.errors.show([], {"note": self.tr("Licht een negatief besluit toe.")})
            return
        self.errors.clear()
        try:
            self.result_version = self.service.record_toets(self.version, self.decision(), note)
        except ToetsByRegisseur as exc:
            self._refuse(rule_text(exc))
            return
        except PlanRuleViolation as exc:
            self.notice.show_message(rule_text(exc))
            return
        self.accept()


# --- signing -------------------------------------------------------------------------------

SCAN_TYPES: dict[str, str] = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
}

ChooseFile = Callable[[QWidget], str]


def choose_scan_file(parent: QWidget) -> str:
    path, _filter = QFileDialog.getOpenFileName(
        parent, tr("Gescande, ondertekende kopie kiezen"), "",
        tr("PDF of afbeelding (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)"))
    return path


class SigningDialog(QDialog):
    """Record who signed, when and where, with the scanned signed copy.

    The PDF for signing is rendered once when the dialog opens (`pdf_bytes`); exactly those
    bytes are stored and hashed. `choose_file` can be replaced (tests) to pick the scan.
    """

    def __init__(self, workspace: Workspace, version: PlanVersion, settings: ReportSettings,
                 parent: QWidget | None = None, *, pdf_bytes: bytes | None = None,
                 context: PlanContext | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self.version = version
        self.service = PlanService(workspace)
        self.result_version: PlanVersion | None = None
        self.choose_file: ChooseFile = choose_scan_file
        self.preview: PdfPreviewDialog | None = None
        self.scan_path = ""
        self.ctx = context or load_context(workspace, version.household_id)
        self.pdf_bytes = pdf_bytes if pdf_bytes is not None else self.service.render_pdf(
            version, settings)
        self.pdf_hash = pdf_sha256(self.pdf_bytes)
        self.setWindowTitle(self.tr("Ondertekening vastleggen"))
        self.setMinimumWidth(640)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(heading_label(self.tr("Ondertekening vastleggen"), 3.0))
        layout.addWidget(muted_label(self.tr(
            "Versie %1 · vingerafdruk %2 · PDF-controlegetal %3. Laat precies deze PDF "
            "ondertekenen; elke latere wijziging vraagt een nieuwe versie en een nieuwe "
            "handtekening.")
            .replace("%1", str(version.number)).replace("%2", fingerprint_text(version))
            .replace("%3", short_fingerprint(self.pdf_hash))))
        self.preview_button = QPushButton(self.tr("PDF voor ondertekening &bekijken…"))
        self.preview_button.setAutoDefault(False)
        self.preview_button.clicked.connect(self.show_preview)
        top = QHBoxLayout()
        top.addWidget(self.preview_button)
        top.addStretch(1)
        layout.addLayout(top)

        self.errors = FieldErrors()
        signers_box = QWidget()
        grid = QVBoxLayout(signers_box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(4)
        intro = QLabel(self.tr("<b>Wie hebben ondertekend?</b> Volgens de Jeugdwet tekenen "
                               "onder 12 jaar de ouders met gezag, van 12 tot 16 het kind én "
                               "de ouders, vanaf 16 de jongere zelf."))
        intro.setWordWrap(True)
        grid.addWidget(intro)
        self.signer_checks: list[tuple[QCheckBox, RequiredSigner]] = []
        self.unknown_gezag: list[RequiredSigner] = []
        for required in self.required():
            roles = ", ".join(signer_reason_label(r) for r in required.reasons)
            if required.person_id is None and required.worker_id is None:
                children = ", ".join(self.ctx.person_name(i) for i in required.for_person_ids)
                warn = QLabel(self.tr("⚠ Gezag voor %1 is niet vastgelegd: leg eerst vast wie "
                                      "het gezag heeft.").replace("%1", children))
                warn.setWordWrap(True)
                warn.setStyleSheet("color: #b42318;")
                grid.addWidget(warn)
                self.unknown_gezag.append(required)
                continue
            name = (self.ctx.worker_name(required.worker_id) if required.worker_id
                    else self.ctx.person_name(required.person_id or ""))
            extra = ""
            others = [i for i in required.for_person_ids if i != required.person_id]
            if others:
                extra = self.tr(" (ook voor %1)").replace(
                    "%1", ", ".join(self.ctx.person_name(i) for i in others))
            check = QCheckBox(f"{name} — {roles}{extra}")
            check.setAccessibleName(self.tr("%1 heeft ondertekend").replace("%1", name))
            grid.addWidget(check)
            self.signer_checks.append((check, required))
        layout.addWidget(with_error(signers_box, self.errors, "signers"))

        self.signed_on = DateField()
        self.signed_on.set_value(workspace.today())
        self.signed_on.setAccessibleName(self.tr("Datum van ondertekening"))
        self.place = QLineEdit()
        self.place.setAccessibleName(self.tr("Plaats van ondertekening"))
        self.place.setText(self.ctx.detail.household.address.city)
        self.scan_label = QLabel(self.tr("Nog geen bestand gekozen"))
        self.scan_label.setWordWrap(True)
        self.scan_button = QPushButton(self.tr("Bestand &kiezen…"))
        self.scan_button.setAutoDefault(False)
        self.scan_button.clicked.connect(self.pick_scan)
        scan_row = QWidget()
        scan_layout = QHBoxLayout(scan_row)
        scan_layout.setContentsMargins(0, 0, 0, 0)
        scan_layout.addWidget(self.scan_button)
        scan_layout.addWidget(self.scan_label, 1)
        form = QFormLayout()
        form.addRow(self.tr("&Datum"), with_error(self.signed_on, self.errors, "signed_on"))
        form.addRow(self.tr("&Plaats"), with_error(self.place, self.errors, "place"))
        form.addRow(self.tr("Gescande kopie"), with_error(scan_row, self.errors, "scan"))
        layout.addLayout(form)
        layout.addWidget(muted_label(self.tr(
            "De scan (PDF of afbeelding) en de PDF worden versleuteld in het dossier "
            "bewaard.")))
        self.notice = _notice()
        layout.addWidget(self.notice)
        self.save_button, self.cancel_button, row = _buttons(
            self.tr("Ondertekening &vastleggen"), self)
        self.save_button.clicked.connect(self.save)
        layout.addLayout(row)
        self.resize(self.minimumWidth(), 100)
        fit_height(self)

    def required(self) -> tuple[RequiredSigner, ...]:
        content = self.version.content
        persons = self.ctx.persons
        in_plan = [persons[i] for i in content.participants.person_ids if i in persons] or list(
            self.ctx.detail.members)
        return required_signers(in_plan, self._ws.today(), content.regisseur_id or None)

    def show_preview(self) -> None:
        self.preview = PdfPreviewDialog(
            self.pdf_bytes, self.tr("Plan versie %1 voor ondertekening")
            .replace("%1", str(self.version.number)), self)
        self.preview.open()

    def pick_scan(self) -> None:
        path = self.choose_file(self)
        if not path:
            return
        self.scan_path = path
        self.scan_label.setText(Path(path).name)
        self.scan_label.setAccessibleName(Path(path).name)

    def signers(self) -> list[Signer]:
        out = []
        for check, required in self.signer_checks:
            if not check.isChecked():
                continue
            roles = ", ".join(signer_reason_label(r) for r in required.reasons)
            if required.worker_id:
                out.append(Signer(self.ctx.worker_name(required.worker_id), roles,
                                  worker_id=required.worker_id))
            else:
                pid = required.person_id or ""
                out.append(Signer(self.ctx.person_name(pid), roles, person_id=pid))
        return out

    def save(self) -> None:
        extra: dict[str, str] = {}
        if self.unknown_gezag:
            extra["signers"] = self.tr("Van een kind onder 16 is niet vastgelegd wie het gezag "
                                       "heeft. Leg dat eerst vast bij de persoon.")
        elif any(not check.isChecked() for check, _r in self.signer_checks):
            extra["signers"] = self.tr("Iedereen die moet tekenen, moet hebben ondertekend.")
        day = self.signed_on.value()
        if self.signed_on.is_malformed():
            extra["signed_on"] = malformed_date_message()
        elif day is None:
            extra["signed_on"] = self.tr("Vul de datum van ondertekening in.")
        elif day > self._ws.today():
            extra["signed_on"] = self.tr("Deze datum ligt in de toekomst.")
        if not self.place.text().strip():
            extra["place"] = self.tr("Vul de plaats van ondertekening in.")
        scan = b""
        mime = SCAN_TYPES.get(Path(self.scan_path).suffix.lower(), "") if self.scan_path else ""
        if not self.scan_path:
            extra["scan"] = self.tr("Kies de gescande, ondertekende kopie.")
        elif not mime:
            extra["scan"] = self.tr("Kies een PDF of een afbeelding (PNG, JPEG of TIFF).")
        else:
            try:
                scan = Path(self.scan_path).read_bytes()
            except OSError:
                extra["scan"] = self.tr("Dit bestand kan niet worden gelezen.")
            else:
                if not scan:
                    extra["scan"] = self.tr("Dit bestand is leeg.")
        if extra:
            self.errors.show([], extra)
            fit_height(self)
            return
        self.errors.clear()
        assert day is not None
        try:
            self.result_version = self.service.record_signature(
                self.version, self.pdf_bytes, self.signers(), day, self.place.text().strip(),
                scan, Path(self.scan_path).name, mime)
        except PlanRuleViolation as exc:
            self.notice.show_message(rule_text(exc))
            return
        self.accept()


# --- evaluation ----------------------------------------------------------------------------


def plan_start(version: PlanVersion) -> date:
    """The day the plan went into execution (else the day the version was made)."""
    for change in version.history:
        if change.to_status is PlanStatus.IN_UITVOERING:
            return change.at.date()
    return version.created_at.date()


class EvaluationDialog(QDialog):
    """Per goal: behaald / deels / niet behaald, a note and the fresh ZRM it rests on."""

    def __init__(self, workspace: Workspace, version: PlanVersion,
                 parent: QWidget | None = None, *, context: PlanContext | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self.version = version
        self.service = PlanService(workspace)
        self.result_version: PlanVersion | None = None
        self.ctx = context or load_context(workspace, version.household_id)
        self.setWindowTitle(self.tr("Plan evalueren"))
        self.resize(760, 560)
        start = plan_start(version)
        self.fresh = [a for a in self.ctx.assessments
                      if a.assessed_on >= start and self._is_zrm(a)]
        layout = QVBoxLayout(self)
        layout.addWidget(heading_label(self.tr("Evaluatie van versie %1")
                                       .replace("%1", str(version.number)), 3.0))
        layout.addWidget(muted_label(self.tr(
            "Per doel: is het behaald? Kies de nieuwe ZRM waarop het oordeel rust (afgenomen "
            "op of na %1, de start van het plan).").replace("%1", format_dutch_date(start))))
        if not self.fresh:
            layout.addWidget(muted_label(self.tr(
                "Er is nog geen nieuwe ZRM afgenomen sinds de start van het plan. Neem eerst "
                "een ZRM af op het tabblad Metingen.")))
        self.errors = FieldErrors()
        body = QWidget()
        grid = QGridLayout(body)
        grid.setColumnStretch(3, 1)
        for col, text in enumerate((self.tr("Doel"), self.tr("Resultaat"), self.tr("Nieuwe ZRM"),
                                    self.tr("Toelichting"))):
            grid.addWidget(QLabel(f"<b>{text}</b>"), 0, col)
        self.rows: list[tuple[str, QComboBox, QComboBox, QLineEdit]] = []
        for n, goal in enumerate(version.content.goals, start=1):
            title = QLabel(f"{self.ctx.domain_name(goal.domain_code)}: {goal.description}")
            title.setWordWrap(True)
            title.setMaximumWidth(240)
            result = QComboBox()
            for value in GoalResult:
                result.addItem(result_label(value), value.value)
            result.setAccessibleName(self.tr("Resultaat doel %1").replace("%1", str(n)))
            zrm = QComboBox()
            zrm.addItem(self.tr("— kies —"), "")
            for a in reversed(self.fresh):
                who = (self.ctx.person_name(a.person_id) if a.person_id else self.tr("Huishouden"))
                defn = self.ctx.definitions.get(a.definition_key)
                zrm.addItem(f"{format_dutch_date(a.assessed_on)} · {who} · "
                            f"{definition_label(defn) if defn else a.definition_id}", a.id)
            if len(self.fresh) >= 1:
                zrm.setCurrentIndex(1)
            zrm.setAccessibleName(self.tr("Nieuwe ZRM doel %1").replace("%1", str(n)))
            note = QLineEdit()
            note.setAccessibleName(self.tr("Toelichting doel %1").replace("%1", str(n)))
            path = f"evaluations.{goal.id}"
            grid.addWidget(title, n, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(with_error(result, self.errors, path), n, 1, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(with_error(zrm, self.errors, f"{path}.zrm_assessment_id"), n, 2,
                           Qt.AlignmentFlag.AlignTop)
            grid.addWidget(with_error(note, self.errors, f"{path}.note"), n, 3,
                           Qt.AlignmentFlag.AlignTop)
            self.rows.append((goal.id, result, zrm, note))
        grid.setRowStretch(len(self.rows) + 1, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        layout.addWidget(scroll, 1)
        self.notice = _notice()
        layout.addWidget(self.notice)
        self.save_button, self.cancel_button, row = _buttons(self.tr("Evaluatie &vastleggen"),
                                                             self)
        self.save_button.clicked.connect(self.save)
        layout.addLayout(row)

    def _is_zrm(self, a: Assessment) -> bool:
        defn = self.ctx.definitions.get(a.definition_key)
        return defn is not None and defn.kind is InstrumentKind.ZRM

    def evaluations(self) -> list[GoalEvaluation]:
        today = self._ws.today()
        return [GoalEvaluation(goal_id, GoalResult(str(result.currentData())),
                               note.text().strip(), str(zrm.currentData() or ""), today,
                               self._ws.actor_id)
                for goal_id, result, zrm, note in self.rows]

    def save(self) -> None:
        try:
            self.result_version = self.service.evaluate(self.version, self.evaluations())
        except ValidationFailed as exc:
            self.errors.show(exc.errors)
            return
        except PlanRuleViolation as exc:
            self.notice.show_message(rule_text(exc))
            return
        self.accept()


# --- op- en afschalen ----------------------------------------------------------------------


class RegieDialog(QDialog):
    """Opschalen to a gezinsbegeleider, or afschalen back: the regie and mandate move."""

    def __init__(self, workspace: Workspace, household_id: str, up: bool,
                 parent: QWidget | None = None, *, current_regisseur_id: str = "") -> None:
        super().__init__(parent)
        self._ws = workspace
        self.household_id = household_id
        self.up = up
        self.service = PlanService(workspace)
        self.moved = False
        self.setWindowTitle(self.tr("Opschalen") if up else self.tr("Afschalen"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.addWidget(heading_label(self.windowTitle(), 3.0))
        layout.addWidget(muted_label(
            self.tr("Een gezinsbegeleider neemt de regie en het mandaat over.") if up else
            self.tr("De regie en het mandaat gaan terug naar een wijkwerker van het wijkteam.")))
        self.worker = QComboBox()
        self.worker.setAccessibleName(self.tr("Nieuwe regisseur"))
        self.worker.addItem(self.tr("— kies —"), "")
        names = HouseholdService(workspace).worker_names()
        for worker_id, name in sorted(names.items(), key=lambda kv: kv[1].casefold()):
            if worker_id != current_regisseur_id:
                self.worker.addItem(name, worker_id)
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName(self.tr("Reden"))
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(90)
        self.errors = FieldErrors()
        form = QFormLayout()
        form.addRow(self.tr("&Nieuwe regisseur"), with_error(self.worker, self.errors, "worker"))
        form.addRow(self.tr("&Reden"), with_error(self.reason, self.errors, "reason"))
        layout.addLayout(form)
        self.notice = _notice()
        layout.addWidget(self.notice)
        self.save_button, self.cancel_button, row = _buttons(
            self.tr("&Opschalen") if up else self.tr("&Afschalen"), self)
        self.save_button.clicked.connect(self.save)
        layout.addLayout(row)

    def save(self) -> None:
        extra = {}
        worker_id = str(self.worker.currentData() or "")
        if not worker_id:
            extra["worker"] = self.tr("Kies de nieuwe regisseur.")
        if not self.reason.toPlainText().strip():
            extra["reason"] = self.tr("Geef een reden op.")
        if extra:
            self.errors.show([], extra)
            return
        self.errors.clear()
        try:
            self.service.move_regie(self.household_id, self.up, worker_id,
                                    self.reason.toPlainText().strip())
        except (IllegalEscalation, NotAllowed) as exc:
            self.notice.show_message(rule_text(exc))
            return
        except NotFound:
            self.notice.show_message(error_text("not_found"))
            return
        self.moved = True
        self.accept()


# --- PDF preview and printing --------------------------------------------------------------

AskPrinter = Callable[[QPrinter, QWidget], bool]
AskSavePath = Callable[[QWidget, str], str]


def ask_printer(printer: QPrinter, parent: QWidget) -> bool:
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(tr("Plan afdrukken"))
    return dialog.exec() == QDialog.DialogCode.Accepted


def ask_save_path(parent: QWidget, suggested: str) -> str:
    path, _filter = QFileDialog.getSaveFileName(parent, tr("PDF opslaan als"), suggested,
                                                tr("PDF-bestanden (*.pdf)"))
    return path


class PdfPreviewDialog(QDialog):
    """Shows PDF bytes inside the app, prints them through the system print dialog and saves
    them as a file. The bytes are shown as they are: what is printed is what was rendered."""

    def __init__(self, pdf_bytes: bytes, title: str, parent: QWidget | None = None,
                 suggested_name: str = "ondersteuningsplan.pdf",
                 on_output: Callable[[bool], None] | None = None) -> None:
        super().__init__(parent)
        self.pdf_bytes = pdf_bytes
        # Called after each print (True) or save as a file (False): the access log.
        self.on_output = on_output
        self.suggested_name = suggested_name
        self.ask_printer: AskPrinter = ask_printer
        self.ask_save_path: AskSavePath = ask_save_path
        self.setWindowTitle(title)
        screen = QGuiApplication.primaryScreen()
        available = screen.availableGeometry().size() if screen else QSize(1366, 768)
        self.resize(min(900, available.width() - 40), min(760, available.height() - 40))

        self._data = QByteArray(pdf_bytes)
        self._buffer = QBuffer(self._data, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        # QtPdf (and libQt6Network, which it needs loaded first) only when a PDF is shown.
        from PySide6.QtNetwork import QNetworkInterface  # noqa: F401
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPdfWidgets import QPdfView

        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setAccessibleName(self.tr("Voorbeeld van de PDF"))
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        layout = QVBoxLayout(self)
        info = QLabel(self.tr("%1 pagina's · controlegetal %2")
                      .replace("%1", str(self.document.pageCount()))
                      .replace("%2", short_fingerprint(hashlib.sha256(pdf_bytes).hexdigest())))
        info.setObjectName("pdfInfo")
        self.print_button = QPushButton(self.tr("&Afdrukken…"))
        self.save_button = QPushButton(self.tr("&Opslaan als…"))
        self.close_button = QPushButton(self.tr("&Sluiten"))
        for button in (self.print_button, self.save_button):
            button.setAutoDefault(False)
        self.close_button.setDefault(True)
        self.print_button.clicked.connect(self.print_pdf)
        self.save_button.clicked.connect(self.save_pdf)
        self.close_button.clicked.connect(self.accept)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setVisible(False)
        row = QHBoxLayout()
        row.addWidget(info, 1)
        row.addWidget(self.print_button)
        row.addWidget(self.save_button)
        row.addWidget(self.close_button)
        layout.addLayout(row)
        layout.addWidget(self.notice)
        layout.addWidget(self.view, 1)
        if self.document.status() is not QPdfDocument.Status.Ready:
            self._say(self.tr("Deze PDF kan niet worden getoond."))
            self.print_button.setEnabled(False)

    def page_count(self) -> int:
        return self.document.pageCount()

    def _say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def print_pdf(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.windowTitle())
        if self.ask_printer(printer, self):
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> int:
        """Paint every page, rendered at the printer's resolution; returns pages printed."""
        painter = QPainter()
        if not painter.begin(printer):
            self._say(self.tr("De printer kan niet worden gebruikt."))
            return 0
        printed = 0
        try:
            dpi = printer.resolution()
            for index in range(self.document.pageCount()):
                if index:
                    printer.newPage()
                points = self.document.pagePointSize(index)
                size = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
                image = self.document.render(index, size)
                target = painter.viewport()
                scale = min(target.width() / max(size.width(), 1),
                            target.height() / max(size.height(), 1))
                painter.save()
                painter.scale(scale, scale)
                painter.drawImage(QPointF(0, 0), image)
                painter.restore()
                printed += 1
        finally:
            painter.end()
        self._say(self.tr("%1 pagina's naar de printer gestuurd.").replace("%1", str(printed)))
        if printed and self.on_output is not None:
            self.on_output(True)
        return printed

    def save_pdf(self) -> None:
        path = self.ask_save_path(self, self.suggested_name)
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            Path(path).write_bytes(self.pdf_bytes)
        except OSError:
            self._say(self.tr("Het bestand kan hier niet worden opgeslagen. Kies een andere "
                              "map."))
            return
        self._say(self.tr("Opgeslagen als %1.").replace("%1", Path(path).name))
        if self.on_output is not None:
            self.on_output(False)


def errors_for(errors: Sequence[FieldError], prefix: str) -> list[FieldError]:
    """The errors under `prefix.` with the prefix removed."""
    cut = len(prefix) + 1
    return [FieldError(e.field[cut:], e.code) for e in errors
            if e.field.startswith(prefix + ".")]
