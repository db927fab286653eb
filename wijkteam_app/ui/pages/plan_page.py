"""The ondersteuningsplan of one household: its versions, the editor and the workflow.

`PlanPage.show_household(household_id)` shows the current version (number, status, short
fingerprint), all versions, and the actions valid in the current status; `set_household`
does the same once the page is shown (the main window's plan tab is read only when opened).
One editor is made per page and reused for every version and household. Only a CONCEPT can
be edited; any other version is shown read-only with a banner saying so (a change means a
new version). While a concept is edited a draft is kept (key ``plan:<version id>``) and
offered back when the page opens the concept again.

The editor follows the order of the plan itself: who took part, the question in the
resident's own words, the situation per life domain (with the latest ZRM scores and ladder
rung), goals with per goal zelf → netwerk → voorliggende voorzieningen → professionele
ondersteuning (items outside the regisseur's mandate are marked: they need a gemeentelijke
toets), the regisseur, evaluation dates, the resident's view, and consent for sharing.
Validation is the domain's (`validate_content`, `validate_for_submission`); messages appear at
the fields and nothing is stored while a field is invalid.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeySequence, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.plans import (
    MAX_LEVEL,
    MIN_LEVEL,
    DomainSituation,
    EigenBijdrage,
    Financing,
    Goal,
    Horizon,
    Mandate,
    NetworkAgreement,
    OtherAgreement,
    Participants,
    PlanContent,
    PlanRuleViolation,
    PlanSection,
    PlanStatus,
    PlanVersion,
    ProfessionalSupport,
    ProvisionAgreement,
    ResidentAgreement,
    ResidentView,
    SharingConsent,
    Situation,
    diff_versions,
    to_plain,
    validate_content,
    validate_for_submission,
)
from wijkteam_app.domain.provisions import LEVEL_ORDER, Law
from wijkteam_app.domain.validation import FieldError, ValidationFailed
from wijkteam_app.errors import FileNotOnDevice, NotFound, StaleVersion
from wijkteam_app.reports.document import ReportSettings
from wijkteam_app.services.access_log import AccessLogService
from wijkteam_app.services.authority import Action
from wijkteam_app.services.drafts import DraftService
from wijkteam_app.services.plans import PlanService, RefusedVersion, SignedPdfMissing
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.casework_labels import eigen_bijdrage_label, financing_label
from wijkteam_app.ui.dialogs.plan_dialogs import (
    ChangeRow,
    EvaluationDialog,
    PdfPreviewDialog,
    PlanContext,
    RegieDialog,
    SigningDialog,
    ToetsDialog,
    agreement_label,
    default_report_settings,
    describe_change,
    euro,
    fingerprint_text,
    horizon_label,
    load_context,
    plan_status_label,
    provision_level_label,
    rule_text,
    section_label,
    tr,
)
from wijkteam_app.ui.dialogs.refusals_dialog import refusal_text
from wijkteam_app.ui.drafts import DraftKeeper
from wijkteam_app.ui.form_drafts import DraftOfferBar
from wijkteam_app.ui.i18n import error_text
from wijkteam_app.ui.models.row_model import ColumnSpec, RowTableModel
from wijkteam_app.ui.widgets import ErrorLabel, RowDelegate, heading_label, muted_label
from wijkteam_app.ui.widgets.fields import (
    DateField,
    FieldErrors,
    format_dutch_date,
    malformed_date_message,
)

DRAFT_KIND = "plan"
NO_DATE = date.min  # stands in for a date field left empty; never stored (refused first)

EDITOR_STYLE = """
QFrame#planSection { background: #ffffff; border: 1px solid #d3dae1; border-radius: 4px; }
QFrame#goalBox { background: #f7f9fb; border: 1px solid #d3dae1; border-radius: 4px; }
QFrame#planRow { border: none; }
QLabel#subHeading { font-weight: 600; color: #243b53; }
QLabel#mandateWarning { color: #8a4b00; font-weight: 600; }
QLabel#mandateBanner { background: #eef5ee; border: 1px solid #9cc59c; border-radius: 4px;
                       padding: 6px 10px; }
QLabel#mandateBanner[needed="true"] { background: #fff7e0; border: 1px solid #e0b44c; }
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"], QComboBox[invalid="true"],
QSpinBox[invalid="true"], QDoubleSpinBox[invalid="true"] { border: 1px solid #b42318; }
"""

READ_ONLY_STYLE = ("QLabel#readOnlyBanner { background: #e8f0f7; border: 1px solid #2f6690;"
                   " border-radius: 4px; padding: 8px 12px; }")
REFUSED_STYLE = ("QLabel#refusedBanner { background: #fdecea; border: 1px solid #b42318;"
                 " border-radius: 4px; padding: 6px 10px; }")
NOTICE_STYLE = ("QLabel#planNotice { background: #fff7e0; border: 1px solid #e0b44c;"
                " border-radius: 4px; padding: 6px 10px; }")

Confirm = Callable[[QWidget, str, str], bool]


def draft_key(version_id: str) -> str:
    return f"plan:{version_id}"


def date_to_plain(value: date) -> str:
    return "" if value == NO_DATE else value.isoformat()


def _date(text: object) -> date:
    try:
        return date.fromisoformat(str(text)) if text else NO_DATE
    except ValueError:
        return NO_DATE


def _enum(kind: Any, value: object) -> Any:
    try:
        return kind(str(value)) if value else None
    except ValueError:
        return None


def _opt_date(value: object) -> date | None:
    day = _date(value)
    return None if day == NO_DATE else day


def content_from_plain(data: dict[str, Any]) -> PlanContent:
    """The inverse of `to_plain` for plan content (drafts are stored as plain JSON)."""
    def strs(value: object) -> tuple[str, ...]:
        return tuple(str(v) for v in value) if isinstance(value, list) else ()

    def dicts(value: object) -> list[dict[str, Any]]:
        return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []

    def opt_int(value: object, default: int = 0) -> int:
        return value if isinstance(value, int) and not isinstance(value, bool) else default

    p = data.get("participants") or {}
    s = data.get("situation") or {}
    goals = []
    for g in dicts(data.get("goals")):
        try:
            horizon = Horizon(str(g.get("horizon")))
        except ValueError:
            horizon = Horizon.DRIE_MAANDEN
        goals.append(Goal(
            id=str(g.get("id") or new_id()), domain_code=str(g.get("domain_code") or ""),
            description=str(g.get("description") or ""),
            current_level=opt_int(g.get("current_level"), MIN_LEVEL),
            target_level=opt_int(g.get("target_level"), MIN_LEVEL), horizon=horizon,
            zelf=str(g.get("zelf") or ""),
            netwerk=tuple(NetworkAgreement(str(n.get("network_member_id") or ""),
                                           str(n.get("task") or ""))
                          for n in dicts(g.get("netwerk"))),
            voorzieningen=tuple(ProvisionAgreement(str(v.get("provision_id") or ""),
                                                   str(v.get("note") or ""))
                                for v in dicts(g.get("voorzieningen"))),
            professioneel=tuple(ProfessionalSupport(
                str(x.get("product_code") or ""), str(x.get("product_name") or ""),
                str(x.get("provider") or ""), opt_int(x.get("volume")),
                str(x.get("unit_code") or ""), str(x.get("frequency_code") or ""),
                _date(x.get("start")), _date(x.get("end")), opt_int(x.get("cost_cents")),
                _enum(Financing, x.get("financing")), _enum(EigenBijdrage, x.get(
                    "eigen_bijdrage")))
                for x in dicts(g.get("professioneel"))),
            for_person_ids=strs(g.get("for_person_ids")),
            afspraken=tuple(OtherAgreement(str(a.get("who") or ""), str(a.get("what") or ""),
                                           _opt_date(a.get("due")))
                            for a in dicts(g.get("afspraken"))),
        ))
    view = data.get("resident_view") or {}
    try:
        agreement = ResidentAgreement(str(view.get("agreement"))) if view.get(
            "agreement") else None
    except ValueError:
        agreement = None
    return PlanContent(
        participants=Participants(strs(p.get("person_ids")), strs(p.get("network_member_ids")),
                                  strs(p.get("professional_ids")), str(p.get("others") or "")),
        question=str(data.get("question") or ""),
        situation=Situation(
            tuple(DomainSituation(str(d.get("domain_code")), str(d.get("text") or ""))
                  for d in dicts(s.get("domains"))),
            strs(s.get("zrm_assessment_ids")), strs(s.get("ladder_assessment_ids"))),
        goals=tuple(goals),
        regisseur_id=str(data.get("regisseur_id") or ""),
        evaluation_dates=tuple(d for d in (_date(x) for x in strs(data.get("evaluation_dates")))
                               if d != NO_DATE),
        resident_view=ResidentView(agreement, str(view.get("own_words") or "")),
        consents=tuple(SharingConsent(str(c.get("recipient") or ""), str(c.get("purpose") or ""),
                                      str(c.get("given_by_person_id") or ""))
                       for c in dicts(data.get("consents"))),
    )


# --- small widget helpers ------------------------------------------------------------------


def _in_stored_order(stored: Sequence[str], checks: dict[str, QCheckBox]) -> tuple[str, ...]:
    """The ticked ids: those stored before in their stored order, then new ones."""
    ticked = [i for i, c in checks.items() if c.isChecked()]
    return tuple([i for i in stored if i in ticked] + [i for i in ticked if i not in stored])



def _text_edit(name: str, height: int = 64) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setAccessibleName(name)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(height)
    return edit


def _small_button(text: str, accessible: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setAutoDefault(False)
    button.setProperty("editOnly", True)
    if accessible:
        button.setAccessibleName(accessible)
    return button


def _sub_heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("subHeading")
    return label


def _shrinkable(combo: QComboBox, chars: int = 18) -> QComboBox:
    """A combo box that may be narrower than its longest entry (the list stays wide)."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(chars)
    return combo


def _set_combo(combo: QComboBox, data: object) -> None:
    index = combo.findData(data)
    combo.setCurrentIndex(index if index >= 0 else 0)


class _Fields:
    """The inputs of one editor part with their error labels, registered under a path."""

    def __init__(self) -> None:
        self.items: list[tuple[str, QWidget, ErrorLabel]] = []

    def wrap(self, suffix: str, widget: QWidget, stretch: bool = True) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        label = ErrorLabel(box)
        layout.addWidget(label)
        if not stretch:
            box.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self.items.append((suffix, widget, label))
        return box

    def register(self, errors: FieldErrors, prefix: str) -> None:
        for suffix, widget, label in self.items:
            errors.register(f"{prefix}.{suffix}" if prefix else suffix, widget, label)


class _Row(QFrame):
    """A removable row inside a goal or the consent list."""

    removeRequested = Signal(object)  # noqa: N815 (Qt signal naming)
    changed = Signal()

    def __init__(self, remove_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planRow")
        self.fields = _Fields()
        self.remove_button = _small_button("✕", remove_text)
        self.remove_button.setToolTip(remove_text)
        self.remove_button.setFixedWidth(32)
        self.remove_button.clicked.connect(lambda: self.removeRequested.emit(self))
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(8)
        self.grid.setVerticalSpacing(2)

    def watch(self, *widgets: QWidget) -> None:
        for widget in widgets:
            _watch(widget, self.changed.emit)

    def set_context(self, ctx: PlanContext) -> None:
        """Another household (or the same one read again): refill the choices it offers."""

    def set_value(self, value: object | None) -> None:
        """Show this value (None: empty), reusing the row's widgets."""


def _watch(widget: QWidget, callback: Callable[[], None]) -> None:
    if isinstance(widget, QLineEdit):
        widget.textEdited.connect(lambda _t: callback())
    elif isinstance(widget, QPlainTextEdit):
        widget.textChanged.connect(callback)
    elif isinstance(widget, QComboBox):
        widget.currentIndexChanged.connect(lambda _i: callback())
    elif isinstance(widget, QSpinBox | QDoubleSpinBox):
        widget.valueChanged.connect(lambda _v: callback())
    elif isinstance(widget, QAbstractButton):
        widget.toggled.connect(lambda _c: callback())


class NetworkRow(_Row):
    def __init__(self, ctx: PlanContext, value: NetworkAgreement | None = None) -> None:
        super().__init__(tr("Netwerkafspraak verwijderen"))
        self.member = _shrinkable(QComboBox())
        self.member.setAccessibleName(self.tr("Netwerklid"))
        self.set_context(ctx)
        self.task = QLineEdit()
        self.task.setAccessibleName(self.tr("Taak van het netwerklid"))
        self.task.setPlaceholderText(self.tr("Wat doet deze persoon?"))
        self.grid.addWidget(self.fields.wrap("network_member_id", self.member), 0, 0)
        self.grid.addWidget(self.fields.wrap("task", self.task), 0, 1)
        self.grid.addWidget(self.remove_button, 0, 2, Qt.AlignmentFlag.AlignTop)
        self.grid.setColumnStretch(0, 2)
        self.grid.setColumnStretch(1, 3)
        self.set_value(value)
        self.watch(self.member, self.task)

    def set_context(self, ctx: PlanContext) -> None:
        chosen = self.member.currentData()
        self.member.blockSignals(True)
        self.member.clear()
        self.member.addItem(self.tr("— kies iemand uit het netwerk —"), "")
        for m in ctx.detail.network:
            self.member.addItem(f"{m.name} ({m.relation})" if m.relation else m.name, m.id)
        _set_combo(self.member, chosen)
        self.member.blockSignals(False)

    def set_value(self, value: object | None) -> None:
        agreement = value if isinstance(value, NetworkAgreement) else None
        _set_combo(self.member, agreement.network_member_id if agreement else "")
        self.task.setText(agreement.task if agreement else "")

    def value(self) -> NetworkAgreement:
        return NetworkAgreement(str(self.member.currentData() or ""), self.task.text().strip())


class ProvisionRow(_Row):
    """A voorliggende voorziening from the sociale kaart of the household's wijk, grouped
    light to heavy with the level in the list."""

    def __init__(self, ctx: PlanContext, value: ProvisionAgreement | None = None) -> None:
        super().__init__(tr("Voorziening verwijderen"))
        self.provision = _shrinkable(QComboBox(), 24)
        self.provision.setAccessibleName(self.tr("Voorziening uit de sociale kaart"))
        self._ctx = ctx
        self._offered_for: str | None = None
        self._fill_provisions(value.provision_id if value else "")
        self.level = QLabel()
        self.level.setStyleSheet("color: #52606d;")
        self.note = QLineEdit()
        self.note.setAccessibleName(self.tr("Afspraak bij de voorziening"))
        self.note.setPlaceholderText(self.tr("Afspraak (optioneel)"))
        self.grid.addWidget(self.fields.wrap("provision_id", self.provision), 0, 0)
        self.grid.addWidget(self.level, 0, 1, Qt.AlignmentFlag.AlignTop)
        self.grid.addWidget(self.fields.wrap("note", self.note), 0, 2)
        self.grid.addWidget(self.remove_button, 0, 3, Qt.AlignmentFlag.AlignTop)
        self.grid.setColumnStretch(0, 3)
        self.grid.setColumnStretch(2, 2)
        self.set_value(value)
        self.provision.currentIndexChanged.connect(self._show_level)
        self._show_level()
        self.watch(self.provision, self.note)

    def _fill_provisions(self, keep: str) -> None:
        """The wijk's voorliggende voorzieningen (and `keep`, if it is from elsewhere)."""
        self.provision.blockSignals(True)
        self.provision.clear()
        self.provision.addItem(self.tr("— kies uit de sociale kaart —"), "")
        offered = list(self._ctx.wijk_provisions)
        if keep and all(p.id != keep for p in offered):
            offered += [p for p in self._ctx.provisions if p.id == keep]
        for level in LEVEL_ORDER:
            group = [p for p in offered if p.level is level]
            if not group:
                continue
            self.provision.insertSeparator(self.provision.count())
            self.provision.addItem(f"{level.rank}. {provision_level_label(level)}", None)
            header = self.provision.model().index(self.provision.count() - 1, 0)
            self.provision.model().setData(header, 0, Qt.ItemDataRole.UserRole - 1)  # disabled
            for p in group:
                cost = euro(p.cost_cents) if p.cost_cents else self.tr("gratis")
                self.provision.addItem(f"{p.name} · {p.provider} · {cost}", p.id)
                self.provision.setItemData(self.provision.count() - 1,
                                           provision_level_label(level),
                                           Qt.ItemDataRole.ToolTipRole)
        self._offered_for = keep if keep and keep not in {
            p.id for p in self._ctx.wijk_provisions} else None
        _set_combo(self.provision, keep)
        self.provision.blockSignals(False)

    def set_context(self, ctx: PlanContext) -> None:
        if ctx.wijk_provisions != self._ctx.wijk_provisions:
            self._ctx = ctx
            self._fill_provisions(str(self.provision.currentData() or ""))
        self._ctx = ctx

    def set_value(self, value: object | None) -> None:
        agreement = value if isinstance(value, ProvisionAgreement) else None
        chosen = agreement.provision_id if agreement else ""
        if self.provision.findData(chosen) < 0 or self._offered_for not in (None, chosen):
            self._fill_provisions(chosen)
        self.provision.blockSignals(True)
        _set_combo(self.provision, chosen)
        self.provision.blockSignals(False)
        self.note.setText(agreement.note if agreement else "")
        self._show_level()

    def _show_level(self, _index: int = 0) -> None:
        """The chosen provision's place in the light-to-heavy order, beside it."""
        chosen = str(self.provision.currentData() or "")
        found = next((p for p in self._ctx.provisions if p.id == chosen), None)
        self.level.setText(f"{found.level.rank}. {provision_level_label(found.level)}"
                           if found else "")

    def value(self) -> ProvisionAgreement:
        return ProvisionAgreement(str(self.provision.currentData() or ""),
                                  self.note.text().strip())


class SupportRow(_Row):
    """Maatwerk: product, provider, volume with unit and frequency, period and cost."""

    def __init__(self, ctx: PlanContext, value: ProfessionalSupport | None = None) -> None:
        super().__init__(tr("Professionele ondersteuning verwijderen"))
        self.setObjectName("supportRow")
        self._ctx = ctx
        self._initial = value
        self.product = _shrinkable(QComboBox(), 24)
        self.product.setAccessibleName(self.tr("Product"))
        self.product.addItem(self.tr("— kies een product —"), "")
        lists = ctx.lists
        if lists is not None:
            for law, title in ((Law.WMO, self.tr("Wmo")), (Law.JEUGDWET, self.tr("Jeugdwet"))):
                products = lists.products_for(law)
                if not products:
                    continue
                self.product.insertSeparator(self.product.count())
                self.product.addItem(title, None)
                header = self.product.model().index(self.product.count() - 1, 0)
                self.product.model().setData(header, 0, Qt.ItemDataRole.UserRole - 1)
                for product in products:
                    self.product.addItem(f"{product.code} {product.name}", product.code)
        self.provider = QLineEdit()
        self.provider.setAccessibleName(self.tr("Aanbieder"))
        self.provider.setPlaceholderText(self.tr("Aanbieder"))
        self.volume = QSpinBox()
        self.volume.setRange(0, 9999)
        self.volume.setAccessibleName(self.tr("Omvang"))
        self.unit = _shrinkable(QComboBox(), 8)
        self.unit.setAccessibleName(self.tr("Eenheid"))
        self.frequency = _shrinkable(QComboBox(), 10)
        self.frequency.setAccessibleName(self.tr("Frequentie"))
        for combo, codes in ((self.unit, lists.units if lists else ()),
                             (self.frequency, lists.frequencies if lists else ())):
            combo.addItem("—", "")
            for code in codes:
                combo.addItem(code.name, code.code)
        self.start = DateField()
        self.start.setAccessibleName(self.tr("Begindatum"))
        self.end = DateField()
        self.end.setAccessibleName(self.tr("Einddatum"))
        self.cost = QDoubleSpinBox()
        self.cost.setRange(0, 1_000_000)
        self.cost.setDecimals(2)
        self.cost.setPrefix("€ ")
        self.cost.setGroupSeparatorShown(True)
        self.cost.setLocale(QLocale(QLocale.Language.Dutch, QLocale.Country.Netherlands))
        self.cost.setAccessibleName(self.tr("Kosten in euro"))
        self.financing = _shrinkable(QComboBox(), 16)
        self.financing.setAccessibleName(self.tr("Financiering"))
        self.financing.addItem(self.tr("— kies —"), "")
        for financing in Financing:
            self.financing.addItem(financing_label(financing), financing.value)
        self.eigen_bijdrage = _shrinkable(QComboBox(), 16)
        self.eigen_bijdrage.setAccessibleName(self.tr("Eigen bijdrage"))
        self.eigen_bijdrage.addItem(self.tr("— kies —"), "")
        for contribution in EigenBijdrage:
            self.eigen_bijdrage.addItem(eigen_bijdrage_label(contribution), contribution.value)
        self.mandate_warning = QLabel()
        self.mandate_warning.setObjectName("mandateWarning")
        self.mandate_warning.setWordWrap(True)
        self.mandate_warning.setVisible(False)

        def caption(text: str) -> QLabel:
            label = QLabel(text)
            label.setStyleSheet("color: #52606d;")
            return label

        g = self.grid
        g.addWidget(caption(self.tr("Product")), 0, 0)
        g.addWidget(caption(self.tr("Aanbieder")), 0, 2)
        g.addWidget(self.fields.wrap("product_code", self.product), 1, 0, 1, 2)
        g.addWidget(self.fields.wrap("provider", self.provider), 1, 2, 1, 2)
        g.addWidget(self.remove_button, 1, 4, Qt.AlignmentFlag.AlignTop)
        volume_row = QHBoxLayout()
        volume_row.setSpacing(6)
        for label, field, suffix in (
            (self.tr("Omvang"), self.volume, "volume"),
            (self.tr("Eenheid"), self.unit, "unit_code"),
            (self.tr("Frequentie"), self.frequency, "frequency_code"),
            (self.tr("Van"), self.start, "start"),
            (self.tr("Tot"), self.end, "end"),
            (self.tr("Kosten"), self.cost, "cost_cents"),
        ):
            cell = QVBoxLayout()
            cell.setSpacing(1)
            cell.addWidget(caption(label))
            cell.addWidget(self.fields.wrap(suffix, field))
            cell.addStretch(1)
            volume_row.addLayout(cell, {"volume": 0, "frequency_code": 2}.get(suffix, 1))
        self.start.setMinimumWidth(96)
        self.end.setMinimumWidth(96)
        g.addLayout(volume_row, 2, 0, 1, 4)
        paid_row = QHBoxLayout()
        paid_row.setSpacing(6)
        for label, field, suffix in ((self.tr("Financiering"), self.financing, "financing"),
                                     (self.tr("Eigen bijdrage"), self.eigen_bijdrage,
                                      "eigen_bijdrage")):
            cell = QVBoxLayout()
            cell.setSpacing(1)
            cell.addWidget(caption(label))
            cell.addWidget(self.fields.wrap(suffix, field))
            paid_row.addLayout(cell, 1)
        paid_row.addStretch(1)
        g.addLayout(paid_row, 3, 0, 1, 4)
        g.addWidget(self.mandate_warning, 4, 0, 1, 4)
        for column in range(4):
            g.setColumnStretch(column, 1)
        self.set_value(value)
        self.eigen_bijdrage.activated.connect(self._contribution_picked)
        self.product.currentIndexChanged.connect(self._product_chosen)
        self.watch(self.product, self.provider, self.volume, self.unit, self.frequency,
                   self.start, self.end, self.cost, self.financing, self.eigen_bijdrage)

    def _contribution_picked(self, _index: int) -> None:
        self._contribution_chosen = True

    def set_context(self, ctx: PlanContext) -> None:
        self._ctx = ctx  # the product lists are the same for every household

    def set_value(self, value: object | None) -> None:
        support = value if isinstance(value, ProfessionalSupport) else None
        self.product.blockSignals(True)  # a stored row keeps its own unit and provider
        _set_combo(self.product, support.product_code if support else "")
        self.product.blockSignals(False)
        self.provider.setText(support.provider if support else "")
        self.volume.setValue(support.volume if support else 0)
        _set_combo(self.unit, support.unit_code if support else "")
        _set_combo(self.frequency, support.frequency_code if support else "")
        start = support.start if support else NO_DATE
        end = support.end if support else NO_DATE
        self.start.set_value(None if start == NO_DATE else start)
        self.end.set_value(None if end == NO_DATE else end)
        self.cost.setValue(support.cost_cents / 100 if support else 0)
        financing = support.financing if support else None
        contribution = support.eigen_bijdrage if support else None
        _set_combo(self.financing, financing.value if financing else "")
        _set_combo(self.eigen_bijdrage, contribution.value if contribution else "")
        self._contribution_chosen = contribution is not None
        self._initial = support

    def _product_chosen(self, _index: int) -> None:
        code = str(self.product.currentData() or "")
        lists = self._ctx.lists
        if not code or lists is None:
            return
        product = lists.product(code)
        if product.default_unit and not self.unit.currentData():
            _set_combo(self.unit, product.default_unit)
        if product.default_frequency and not self.frequency.currentData():
            _set_combo(self.frequency, product.default_frequency)
        if not self.financing.currentData():
            # Zorg in natura unless decided otherwise: a PGB is the exception (seed 003).
            _set_combo(self.financing, Financing.ZORG_IN_NATURA.value)
        if not self._contribution_chosen:
            # The Jeugdwet has no eigen bijdrage; Wmo maatwerk pays the abonnementstarief.
            # Follows the product until the worker picks a value themselves.
            _set_combo(self.eigen_bijdrage, (EigenBijdrage.GEEN if product.law is Law.JEUGDWET
                                             else EigenBijdrage.ABONNEMENTSTARIEF).value)
        if not self.provider.text().strip():
            match = next((p for p in self._ctx.provisions if p.product_code == code), None)
            if match is not None:
                self.provider.setText(match.provider)

    def product_name(self) -> str:
        code = str(self.product.currentData() or "")
        lists = self._ctx.lists
        if self._initial is not None and code == self._initial.product_code:
            return self._initial.product_name  # unchanged choice: keep the name as stored
        if not code or lists is None:
            return ""
        try:
            return lists.product(code).name
        except KeyError:
            return code

    def value(self) -> tuple[ProfessionalSupport, dict[str, str]]:
        extra: dict[str, str] = {}
        for suffix, field in (("start", self.start), ("end", self.end)):
            if field.is_malformed():
                extra[suffix] = malformed_date_message()
            elif field.value() is None:
                extra[suffix] = self.tr("Vul een datum in.")
        support = ProfessionalSupport(
            product_code=str(self.product.currentData() or ""),
            product_name=self.product_name(),
            provider=self.provider.text().strip(),
            volume=self.volume.value(),
            unit_code=str(self.unit.currentData() or ""),
            frequency_code=str(self.frequency.currentData() or ""),
            start=self.start.value() or NO_DATE,
            end=self.end.value() or NO_DATE,
            cost_cents=round(self.cost.value() * 100),
            financing=_enum(Financing, self.financing.currentData()),
            eigen_bijdrage=_enum(EigenBijdrage, self.eigen_bijdrage.currentData()),
        )
        return support, extra

    def is_pgb(self) -> bool:
        return bool(self.financing.currentData() == Financing.PGB.value)

    def show_mandate(self, outside: bool, pgb: bool = False) -> None:
        texts = []
        if outside:
            texts.append(self.tr("⚠ Buiten het mandaat van de regisseur: hiervoor is een "
                                 "gemeentelijke toets nodig."))
        if pgb:
            texts.append(self.tr("⚠ Een persoonsgebonden budget vraagt altijd een "
                                 "gemeentelijke toets."))
        self.mandate_warning.setText("\n".join(texts))
        self.mandate_warning.setVisible(bool(texts))


class OtherAgreementRow(_Row):
    """An agreement with someone else (school, huisarts, a colleague): who, what, by when."""

    def __init__(self, ctx: PlanContext, value: OtherAgreement | None = None) -> None:
        super().__init__(tr("Afspraak verwijderen"))
        self.setObjectName("otherAgreementRow")
        self.who = QLineEdit()
        self.who.setMaxLength(200)
        self.who.setAccessibleName(self.tr("Met wie"))
        self.who.setPlaceholderText(self.tr("Met wie (bijvoorbeeld de huisarts)"))
        self.what = QLineEdit()
        self.what.setAccessibleName(self.tr("Wat is afgesproken"))
        self.what.setPlaceholderText(self.tr("Wat is afgesproken"))
        self.due = DateField()
        self.due.setAccessibleName(self.tr("Uiterlijk op"))
        self.due.setToolTip(self.tr("Uiterlijk op (mag leeg blijven)"))
        self.due.setMaximumWidth(110)
        self.grid.addWidget(self.fields.wrap("who", self.who), 0, 0)
        self.grid.addWidget(self.fields.wrap("what", self.what), 0, 1)
        self.grid.addWidget(self.fields.wrap("due", self.due, stretch=False), 0, 2)
        self.grid.addWidget(self.remove_button, 0, 3, Qt.AlignmentFlag.AlignTop)
        self.grid.setColumnStretch(0, 2)
        self.grid.setColumnStretch(1, 5)
        self.set_value(value)
        self.watch(self.who, self.what, self.due)

    def set_value(self, value: object | None) -> None:
        agreement = value if isinstance(value, OtherAgreement) else None
        self.who.setText(agreement.who if agreement else "")
        self.what.setText(agreement.what if agreement else "")
        self.due.set_value(agreement.due if agreement else None)

    def value(self) -> tuple[OtherAgreement, dict[str, str]]:
        extra = {"due": malformed_date_message()} if self.due.is_malformed() else {}
        return OtherAgreement(self.who.text().strip(), self.what.text().strip(),
                              self.due.value()), extra


class ConsentRow(_Row):
    def __init__(self, ctx: PlanContext, value: SharingConsent | None = None) -> None:
        super().__init__(tr("Toestemming verwijderen"))
        self.recipient = QLineEdit()
        self.recipient.setAccessibleName(self.tr("Ontvanger"))
        self.recipient.setPlaceholderText(self.tr("Ontvanger, bijv. huisarts"))
        self.purpose = QLineEdit()
        self.purpose.setAccessibleName(self.tr("Doel"))
        self.purpose.setPlaceholderText(self.tr("Doel van het delen"))
        self.given_by = _shrinkable(QComboBox())
        self.given_by.setAccessibleName(self.tr("Gegeven door"))
        self.set_context(ctx)
        self.grid.addWidget(self.fields.wrap("recipient", self.recipient), 0, 0)
        self.grid.addWidget(self.fields.wrap("purpose", self.purpose), 0, 1)
        self.grid.addWidget(self.fields.wrap("given_by_person_id", self.given_by), 0, 2)
        self.grid.addWidget(self.remove_button, 0, 3, Qt.AlignmentFlag.AlignTop)
        self.grid.setColumnStretch(0, 2)
        self.grid.setColumnStretch(1, 3)
        self.grid.setColumnStretch(2, 2)
        self.set_value(value)
        self.watch(self.recipient, self.purpose, self.given_by)

    def set_context(self, ctx: PlanContext) -> None:
        chosen = self.given_by.currentData()
        self.given_by.blockSignals(True)
        self.given_by.clear()
        self.given_by.addItem(self.tr("— gegeven door —"), "")
        for p in ctx.detail.members:
            self.given_by.addItem(p.full_name, p.id)
        _set_combo(self.given_by, chosen)
        self.given_by.blockSignals(False)

    def set_value(self, value: object | None) -> None:
        consent = value if isinstance(value, SharingConsent) else None
        self.recipient.setText(consent.recipient if consent else "")
        self.purpose.setText(consent.purpose if consent else "")
        _set_combo(self.given_by, consent.given_by_person_id if consent else "")

    def value(self) -> SharingConsent:
        return SharingConsent(self.recipient.text().strip(), self.purpose.text().strip(),
                              str(self.given_by.currentData() or ""))


class _RowList(QWidget):
    """A vertical list of rows of one kind, with an "add" button under it."""

    changed = Signal()

    def __init__(self, make: Callable[[object | None], _Row], add_text: str,
                 empty_text: str = "") -> None:
        super().__init__()
        self._make = make
        self.rows: list[_Row] = []
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(4)
        self.empty = muted_label(empty_text) if empty_text else None
        if self.empty is not None:
            self.layout_.addWidget(self.empty)
        self.add_button = _small_button(add_text)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addStretch(1)
        self.layout_.addLayout(row)
        self.add_button.clicked.connect(self._add_clicked)

    def _add_clicked(self) -> None:
        row = self.add(None)
        focus = row.fields.items[0][1] if row.fields.items else row
        focus.setFocus()
        self.changed.emit()

    def add(self, value: object | None) -> _Row:
        row = self._make(value)
        row.removeRequested.connect(self._remove)
        row.changed.connect(self.changed.emit)
        self.layout_.insertWidget(len(self.rows) + (1 if self.empty is not None else 0), row)
        self.rows.append(row)
        row.show()  # shown now, not after the next event-loop turn
        self._update_empty()
        return row

    def _remove(self, row: object) -> None:
        if isinstance(row, _Row) and row in self.rows:
            self.rows.remove(row)
            row.setParent(None)
            row.deleteLater()
            self._update_empty()
            self.changed.emit()

    def clear(self) -> None:
        self.set_values(())

    def set_values(self, values: Sequence[object]) -> None:
        """Show these values, reusing the rows there are and removing the rest."""
        for row, value in zip(self.rows, values, strict=False):
            row.set_value(value)
        for value in values[len(self.rows):]:
            self.add(value)
        for row in self.rows[len(values):]:
            row.setParent(None)
            row.deleteLater()
        del self.rows[len(values):]
        self._update_empty()

    def set_context(self, ctx: PlanContext) -> None:
        for row in self.rows:
            row.set_context(ctx)

    def set_empty_text(self, text: str) -> None:
        if self.empty is not None:
            self.empty.setText(text)

    def _update_empty(self) -> None:
        if self.empty is not None:
            self.empty.setVisible(not self.rows)


class GoalEditor(QFrame):
    """One goal: domain, description, current and target level, horizon; then who does what
    in the eigen-kracht order: zelf, netwerk, voorliggende voorzieningen, professioneel."""

    removeRequested = Signal(object)  # noqa: N815 (Qt signal naming)
    changed = Signal()

    def __init__(self, ctx: PlanContext, goal: Goal | None = None) -> None:
        super().__init__()
        self.setObjectName("goalBox")
        self._ctx = ctx
        self.goal_id = goal.id if goal else new_id()
        self._stored_for: tuple[str, ...] = goal.for_person_ids if goal else ()
        self._level_touched = goal is not None
        self._loading = True
        self.fields = _Fields()

        self.title = _sub_heading("")
        self.remove_button = _small_button(self.tr("Doel verwijderen"))
        self.remove_button.clicked.connect(lambda: self.removeRequested.emit(self))
        self.domain = QComboBox()
        self.domain.setAccessibleName(self.tr("Leefgebied (ZRM-domein)"))
        self._fill_domains(goal.domain_code if goal else "")
        self.description = QLineEdit()
        self.description.setAccessibleName(self.tr("Omschrijving van het doel"))
        self.description.setPlaceholderText(self.tr("Concreet: wat is er bereikt?"))
        self.current = QSpinBox()
        self.current.setRange(MIN_LEVEL, MAX_LEVEL)
        self.current.setAccessibleName(self.tr("Huidig niveau"))
        self.target = QSpinBox()
        self.target.setRange(MIN_LEVEL, MAX_LEVEL)
        self.target.setAccessibleName(self.tr("Doelniveau"))
        self.horizon = QComboBox()
        self.horizon.setAccessibleName(self.tr("Termijn"))
        for h in Horizon:
            self.horizon.addItem(horizon_label(h), h.value)
        self.zrm_hint = muted_label("")
        self.zelf = _text_edit(self.tr("Wat doet de inwoner zelf?"), 52)
        # For whom: a box per member; none ticked is the household as a whole.
        self.for_whom_checks: dict[str, QCheckBox] = {}
        for_whom = QWidget()
        for_whom_row = QHBoxLayout(for_whom)
        for_whom_row.setContentsMargins(0, 0, 0, 0)
        for_whom_row.setSpacing(14)
        caption = QLabel(self.tr("Voor wie:"))
        caption.setStyleSheet("color: #52606d;")
        for_whom_row.addWidget(caption)
        self._for_whom_row = for_whom_row
        self.for_whom_note = muted_label(self.tr("(niets aangevinkt: het hele huishouden)"))
        for_whom_row.addWidget(self.for_whom_note)
        for_whom_row.addStretch(1)
        self._fill_for_whom()

        # Rows are made with the editor's context at the time (it changes with set_context).
        self.netwerk = _RowList(lambda v: NetworkRow(self._ctx, v if isinstance(
            v, NetworkAgreement) else None), self.tr("+ Netwerkafspraak"),
            self._network_empty_text(ctx))
        self.voorzieningen = _RowList(lambda v: ProvisionRow(self._ctx, v if isinstance(
            v, ProvisionAgreement) else None), self.tr("+ Voorziening"),
            self.tr("Geen voorliggende voorziening."))
        self.professioneel = _RowList(lambda v: SupportRow(self._ctx, v if isinstance(
            v, ProfessionalSupport) else None), self.tr("+ Professionele ondersteuning"),
            self.tr("Geen professionele ondersteuning (maatwerk)."))
        self.afspraken = _RowList(lambda v: OtherAgreementRow(ctx, v if isinstance(
            v, OtherAgreement) else None), self.tr("+ Afspraak met anderen"),
            self.tr("Geen afspraken met anderen (bijvoorbeeld uit een overleg)."))

        top = QGridLayout()
        top.setHorizontalSpacing(10)
        top.setVerticalSpacing(2)
        captions = (self.tr("Leefgebied"), self.tr("Doel"), self.tr("Nu"), self.tr("Doel­niveau"),
                    self.tr("Termijn"))
        for col, text in enumerate(captions):
            label = QLabel(text)
            label.setStyleSheet("color: #52606d;")
            top.addWidget(label, 0, col)
        top.addWidget(self.fields.wrap("domain_code", self.domain), 1, 0)
        top.addWidget(self.fields.wrap("description", self.description), 1, 1)
        top.addWidget(self.fields.wrap("current_level", self.current), 1, 2)
        top.addWidget(self.fields.wrap("target_level", self.target), 1, 3)
        top.addWidget(self.fields.wrap("horizon", self.horizon), 1, 4)
        top.setColumnStretch(0, 2)
        top.setColumnStretch(1, 5)
        top.addWidget(self.zrm_hint, 2, 0, 1, 5)
        top.addWidget(self.fields.wrap("for_person_ids", for_whom), 3, 0, 1, 5)

        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(6)
        layout.addLayout(head)
        layout.addLayout(top)
        layout.addWidget(_sub_heading(self.tr("1. Zelf — wat doet de inwoner zelf?")))
        layout.addWidget(self.fields.wrap("zelf", self.zelf))
        layout.addWidget(_sub_heading(self.tr("2. Netwerk — wie uit de omgeving helpt?")))
        layout.addWidget(self.netwerk)
        self.provisions_heading = _sub_heading("")
        layout.addWidget(self.provisions_heading)
        layout.addWidget(self.voorzieningen)
        layout.addWidget(_sub_heading(self.tr("4. Professionele ondersteuning (maatwerk)")))
        layout.addWidget(self.professioneel)
        layout.addWidget(_sub_heading(self.tr(
            "Afspraken met anderen — school, huisarts, collega's (bijvoorbeeld uit een "
            "overleg)")))
        layout.addWidget(self.afspraken)

        self._show_wijk()
        self.set_goal(goal)
        self._loading = True
        self.domain.currentIndexChanged.connect(self._domain_chosen)
        self.current.valueChanged.connect(self._level_edited)
        for widget in (self.domain, self.description, self.current, self.target, self.horizon,
                       self.zelf):
            _watch(widget, self.changed.emit)
        for rows in (self.netwerk, self.voorzieningen, self.professioneel, self.afspraken):
            rows.changed.connect(self.changed.emit)
        self._show_hint()
        self._loading = False

    def _network_empty_text(self, ctx: PlanContext) -> str:
        return (self.tr("Nog geen afspraken met het netwerk.") if ctx.detail.network else
                self.tr("Er zijn geen netwerkleden vastgelegd (tabblad Netwerk)."))

    def _fill_domains(self, keep: str) -> None:
        self.domain.blockSignals(True)
        self.domain.clear()
        self.domain.addItem(self.tr("— kies een leefgebied —"), "")
        for info in self._ctx.domains:
            self.domain.addItem(info.name, info.code)
        if keep and self.domain.findData(keep) < 0:
            self.domain.addItem(self._ctx.domain_name(keep), keep)
        _set_combo(self.domain, keep)
        self.domain.blockSignals(False)

    def _show_wijk(self) -> None:
        self.provisions_heading.setText(self.tr(
            "3. Voorliggende voorzieningen — uit de sociale kaart van wijk %1")
            .replace("%1", self._ctx.detail.household.wijk))

    def _fill_for_whom(self) -> None:
        """A box per household member (between the caption and the note)."""
        ticked = {i for i, c in self.for_whom_checks.items() if c.isChecked()}
        for check in self.for_whom_checks.values():
            self._for_whom_row.removeWidget(check)
            check.setParent(None)
            check.deleteLater()
        self.for_whom_checks = {}
        for n, member in enumerate(self._ctx.detail.members, start=1):
            check = QCheckBox(member.full_name)
            check.setAccessibleName(self.tr("Doel voor %1").replace("%1", member.full_name))
            check.setChecked(member.id in ticked)
            self.for_whom_checks[member.id] = check
            self._for_whom_row.insertWidget(n, check)
            _watch(check, self.changed.emit)

    def set_context(self, ctx: PlanContext) -> None:
        """Another household (or the same one read again): refill what it offers."""
        members = [(m.id, m.full_name) for m in self._ctx.detail.members]
        self._ctx = ctx
        if members != [(m.id, m.full_name) for m in ctx.detail.members]:
            self._fill_for_whom()
        self._fill_domains(str(self.domain.currentData() or ""))
        self._show_wijk()
        self.netwerk.set_empty_text(self._network_empty_text(ctx))
        for rows in (self.netwerk, self.voorzieningen, self.professioneel):
            rows.set_context(ctx)
        self._show_hint()

    def set_goal(self, goal: Goal | None) -> None:
        """Show this goal (None: a new, empty one), reusing the widgets and rows."""
        self._loading = True
        self.goal_id = goal.id if goal else new_id()
        self._level_touched = goal is not None
        code = goal.domain_code if goal else ""
        if code and self.domain.findData(code) < 0:
            self._fill_domains(code)
        self.domain.blockSignals(True)
        _set_combo(self.domain, code)
        self.domain.blockSignals(False)
        self.description.setText(goal.description if goal else "")
        self.current.setValue(goal.current_level if goal else MIN_LEVEL)
        self.target.setValue(goal.target_level if goal else MIN_LEVEL)
        _set_combo(self.horizon, (goal.horizon if goal else Horizon.DRIE_MAANDEN).value)
        self.zelf.setPlainText(goal.zelf if goal else "")
        self._stored_for = goal.for_person_ids if goal else ()
        for person_id, check in self.for_whom_checks.items():
            check.setChecked(person_id in self._stored_for)
        self.netwerk.set_values(goal.netwerk if goal else ())
        self.voorzieningen.set_values(goal.voorzieningen if goal else ())
        self.professioneel.set_values(goal.professioneel if goal else ())
        self.afspraken.set_values(goal.afspraken if goal else ())
        self._show_hint()
        self._loading = False

    def set_number(self, number: int) -> None:
        self.title.setText(self.tr("Doel %1").replace("%1", str(number)))
        self.setAccessibleName(self.title.text())

    def _level_edited(self, _value: int) -> None:
        if not self._loading:
            self._level_touched = True

    def _domain_chosen(self, _index: int) -> None:
        info = self._ctx.domain(str(self.domain.currentData() or ""))
        if info is not None and info.lowest is not None and not self._level_touched:
            self._loading = True
            self.current.setValue(info.lowest)
            if self.target.value() < info.lowest:
                self.target.setValue(min(info.lowest + 1, MAX_LEVEL))
            self._loading = False
        self._show_hint()

    def _show_hint(self) -> None:
        info = self._ctx.domain(str(self.domain.currentData() or ""))
        if info is None or not info.scores:
            self.zrm_hint.setVisible(False)
            return
        scores = ", ".join(f"{who} {score if score is not None else '–'}"
                           for who, score in info.scores)
        self.zrm_hint.setText(self.tr("Laatste ZRM: %1").replace("%1", scores))
        self.zrm_hint.setVisible(True)

    def register(self, errors: FieldErrors, prefix: str) -> None:
        self.fields.register(errors, prefix)
        for j, row in enumerate(self.netwerk.rows):
            row.fields.register(errors, f"{prefix}.netwerk.{j}")
        for j, row in enumerate(self.voorzieningen.rows):
            row.fields.register(errors, f"{prefix}.voorzieningen.{j}")
        for j, row in enumerate(self.professioneel.rows):
            # The domain reports "professional.<j>"; "professioneel" is the content's name.
            row.fields.register(errors, f"{prefix}.professional.{j}")
            row.fields.register(errors, f"{prefix}.professioneel.{j}")
        for j, row in enumerate(self.afspraken.rows):
            row.fields.register(errors, f"{prefix}.afspraken.{j}")

    def value(self) -> tuple[Goal, dict[str, str]]:
        extra: dict[str, str] = {}
        supports = []
        for j, row in enumerate(self.professioneel.rows):
            assert isinstance(row, SupportRow)
            support, problems = row.value()
            supports.append(support)
            extra.update({f"professional.{j}.{k}": v for k, v in problems.items()})
        others = []
        for j, row in enumerate(self.afspraken.rows):
            assert isinstance(row, OtherAgreementRow)
            other, problems = row.value()
            others.append(other)
            extra.update({f"afspraken.{j}.{k}": v for k, v in problems.items()})
        goal = Goal(
            id=self.goal_id,
            domain_code=str(self.domain.currentData() or ""),
            description=self.description.text().strip(),
            current_level=self.current.value(),
            target_level=self.target.value(),
            horizon=Horizon(str(self.horizon.currentData())),
            zelf=self.zelf.toPlainText().strip(),
            netwerk=tuple(r.value() for r in self.netwerk.rows if isinstance(r, NetworkRow)),
            voorzieningen=tuple(r.value() for r in self.voorzieningen.rows
                                if isinstance(r, ProvisionRow)),
            professioneel=tuple(supports),
            for_person_ids=_in_stored_order(self._stored_for, self.for_whom_checks),
            afspraken=tuple(others),
        )
        return goal, extra

    def support_rows(self) -> list[SupportRow]:
        return [r for r in self.professioneel.rows if isinstance(r, SupportRow)]


class _Section(QFrame):
    def __init__(self, title: str, hint: str = "") -> None:
        super().__init__()
        self.setObjectName("planSection")
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(14, 10, 14, 12)
        self.body.setSpacing(6)
        self.heading = heading_label(title, 2.0)
        self.body.addWidget(self.heading)
        if hint:
            self.body.addWidget(muted_label(hint))


class PlanEditor(QWidget):
    """The plan content as a form. `set_content` fills it, `collect` reads it back (with the
    messages for date fields that are empty or malformed), `set_editable(False)` makes it
    read-only. `errors` shows validation messages at the fields."""

    changed = Signal()

    def __init__(self, ctx: PlanContext, mandate_of: Callable[[str], Mandate],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(EDITOR_STYLE)
        self.ctx = ctx
        self._mandate_of = mandate_of
        self._loading = False
        self.editable = True
        self.errors = FieldErrors()
        self.fields = _Fields()
        self._situation_ids: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
        self._situation_layout: tuple[object, ...] | None = None
        # The participants in the order they were stored: ticking nobody new is no change.
        self._stored_participants: tuple[tuple[str, ...], ...] = ((), (), ())
        self.goals: list[GoalEditor] = []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.setSpacing(10)
        layout.addWidget(self._build_participants())
        layout.addWidget(self._build_question())
        self.situation_section = _Section(section_label(PlanSection.SITUATIE), self.tr(
            "Per leefgebied: hoe is het nu? Naast elk leefgebied de laatste ZRM-scores."))
        self.ladder_label = muted_label("")
        self.situation_section.body.addWidget(self.ladder_label)
        self.situation_grid = QGridLayout()
        self.situation_grid.setHorizontalSpacing(12)
        self.situation_grid.setVerticalSpacing(4)
        self.situation_grid.setColumnStretch(1, 1)
        self.situation_section.body.addLayout(self.situation_grid)
        self.situation_edits: dict[str, QPlainTextEdit] = {}
        layout.addWidget(self.situation_section)
        layout.addWidget(self._build_goals())
        layout.addWidget(self._build_regie())
        layout.addWidget(self._build_evaluation())
        layout.addWidget(self._build_view())
        layout.addWidget(self._build_consents())
        layout.addStretch(1)
        self._reregister()

    # --- building ----------------------------------------------------------------------------

    def _build_participants(self) -> QWidget:
        section = _Section(section_label(PlanSection.DEELNEMERS),
                           self.tr("Wie hebben meegedacht over dit plan?"))
        self.person_checks: dict[str, QCheckBox] = {}
        self.network_checks: dict[str, QCheckBox] = {}
        self.professional_checks: dict[str, QCheckBox] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        self._participant_columns: list[QVBoxLayout] = []
        for col in range(3):
            box = QWidget()
            inner = QVBoxLayout(box)
            inner.setContentsMargins(0, 0, 0, 0)
            inner.setSpacing(2)
            self._participant_columns.append(inner)
            if col == 0:
                box = self.fields.wrap("participants", box)
            grid.addWidget(box, 0, col, Qt.AlignmentFlag.AlignTop)
        self._fill_participants()
        section.body.addLayout(grid)
        self.others = QLineEdit()
        self.others.setAccessibleName(self.tr("Anderen die meededen"))
        self.others.setPlaceholderText(self.tr("Anderen, bijv. tolk of cliëntondersteuner"))
        _watch(self.others, self._changed)
        section.body.addWidget(self.fields.wrap("participants.others", self.others))
        return section

    def _participant_entries(self, ctx: PlanContext) -> list[list[tuple[str, str]]]:
        return [[(p.id, p.full_name) for p in ctx.detail.members],
                [(n.id, n.name) for n in ctx.detail.network],
                [(p.id, ctx.professional_name(p.id)) for p in ctx.detail.professionals]]

    def _fill_participants(self) -> None:
        """One check box per household member, network member and professional."""
        titles = (self.tr("Huishouden"), self.tr("Netwerk"), self.tr("Professionals"))
        all_checks = (self.person_checks, self.network_checks, self.professional_checks)
        entries = self._participant_entries(self.ctx)
        for inner, title, checks, column in zip(self._participant_columns, titles, all_checks,
                                                entries, strict=True):
            while inner.count():
                item = inner.takeAt(0)
                widget = item.widget() if item is not None else None
                if widget is not None:
                    widget.setParent(None)
                    widget.deleteLater()
            checks.clear()
            inner.addWidget(_sub_heading(title))
            for entry_id, name in column:
                check = QCheckBox(name)
                check.setObjectName(f"participant_{entry_id}")
                checks[entry_id] = check
                inner.addWidget(check)
                _watch(check, self._changed)
            if not column:
                inner.addWidget(muted_label(self.tr("(geen)")))
            inner.addStretch(1)

    def set_context(self, ctx: PlanContext) -> None:
        """Show another household, or the same one read again, in this editor (its widgets
        are reused): the parts built from the household are rebuilt only when they differ.
        `set_content` fills in a version next."""
        old, self.ctx = self.ctx, ctx
        if self._participant_entries(old) != self._participant_entries(ctx):
            self._fill_participants()
        if dict(old.worker_names) != dict(ctx.worker_names):
            self._fill_regisseurs()
        for goal in self.goals:
            goal.set_context(ctx)
        self.consents.set_context(ctx)

    def _build_question(self) -> QWidget:
        section = _Section(section_label(PlanSection.HULPVRAAG),
                           self.tr("De vraag in de eigen woorden van de inwoner."))
        self.question = _text_edit(self.tr("Hulpvraag in eigen woorden"), 72)
        _watch(self.question, self._changed)
        section.body.addWidget(self.fields.wrap("question", self.question))
        return section

    def _build_goals(self) -> QWidget:
        section = _Section(section_label(PlanSection.DOELEN), self.tr(
            "Concrete doelen per leefgebied. Per doel eerst wat de inwoner zelf doet, dan het "
            "netwerk, dan voorliggende voorzieningen en pas daarna professionele hulp."))
        self.mandate_banner = QLabel()
        self.mandate_banner.setObjectName("mandateBanner")
        self.mandate_banner.setWordWrap(True)
        self.mandate_banner.setMinimumHeight(self.mandate_banner.fontMetrics().lineSpacing() * 2
                                             + 16)
        self.mandate_banner.setVisible(False)
        self._toets_needed = False
        section.body.addWidget(self.mandate_banner)
        self.goals_box = QVBoxLayout()
        self.goals_box.setSpacing(10)
        section.body.addLayout(self.goals_box)
        self.no_goals = muted_label(self.tr("Nog geen doelen."))
        section.body.addWidget(self.fields.wrap("goals", self.no_goals))
        self.add_goal_button = _small_button(self.tr("+ &Doel toevoegen"))
        self.add_goal_button.clicked.connect(self._add_goal_clicked)
        row = QHBoxLayout()
        row.addWidget(self.add_goal_button)
        row.addStretch(1)
        section.body.addLayout(row)
        return section

    def _build_regie(self) -> QWidget:
        section = _Section(section_label(PlanSection.REGIE))
        self.regisseur = QComboBox()
        self.regisseur.setAccessibleName(self.tr("Regisseur"))
        self._fill_regisseurs()
        self.regisseur.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.mandate_label = muted_label("")
        _watch(self.regisseur, self._changed)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Regisseur")))
        row.addWidget(self.fields.wrap("regisseur_id", self.regisseur, stretch=False))
        row.addWidget(self.mandate_label, 1)
        section.body.addLayout(row)
        return section

    def _fill_regisseurs(self) -> None:
        self.regisseur.blockSignals(True)
        self.regisseur.clear()
        self.regisseur.addItem(self.tr("— kies —"), "")
        for worker_id, name in sorted(self.ctx.worker_names.items(),
                                      key=lambda kv: kv[1].casefold()):
            self.regisseur.addItem(name, worker_id)
        self.regisseur.blockSignals(False)

    def _build_evaluation(self) -> QWidget:
        section = _Section(section_label(PlanSection.EVALUATIE), self.tr(
            "Wanneer kijkt u samen terug? Bij de evaluatie wordt opnieuw een ZRM afgenomen."))
        self.evaluation_fields = [DateField() for _ in range(3)]
        row = QHBoxLayout()
        row.setSpacing(10)
        self._evaluation_labels: list[ErrorLabel] = []
        for n, field in enumerate(self.evaluation_fields, start=1):
            field.setAccessibleName(self.tr("Evaluatiedatum %1").replace("%1", str(n)))
            field.setMaximumWidth(130)
            _watch(field, self._changed)
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(QLabel(self.tr("%1e evaluatie").replace("%1", str(n))))
            box.addWidget(field)
            label = ErrorLabel()
            box.addWidget(label)
            self._evaluation_labels.append(label)
            row.addLayout(box)
        row.addStretch(1)
        section.body.addLayout(row)
        return section

    def _build_view(self) -> QWidget:
        section = _Section(section_label(PlanSection.ZIENSWIJZE), self.tr(
            "Is de inwoner het eens met dit plan? Ook onenigheid hoort in het plan."))
        self.view_group = QButtonGroup(self)
        self.view_buttons: dict[str, QRadioButton] = {}
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        for key, text in (("", agreement_label(None)),
                          *((a.value, agreement_label(a)) for a in ResidentAgreement)):
            button = QRadioButton(text)
            self.view_group.addButton(button)
            self.view_buttons[key] = button
            row.addWidget(button)
            _watch(button, self._changed)
        row.addStretch(1)
        self.view_buttons[""].setChecked(True)
        section.body.addWidget(self.fields.wrap("resident_view.agreement", box))
        self.own_words = _text_edit(self.tr("Zienswijze in eigen woorden"), 60)
        _watch(self.own_words, self._changed)
        section.body.addWidget(QLabel(self.tr("In eigen woorden")))
        section.body.addWidget(self.fields.wrap("resident_view.own_words", self.own_words))
        return section

    def _build_consents(self) -> QWidget:
        section = _Section(section_label(PlanSection.TOESTEMMING), self.tr(
            "Toestemming om gegevens te delen: per ontvanger en doel, en wie die gaf."))
        self.consents = _RowList(lambda v: ConsentRow(self.ctx, v if isinstance(
            v, SharingConsent) else None), self.tr("+ &Toestemming"),
            self.tr("Geen toestemming om gegevens te delen vastgelegd."))
        self.consents.changed.connect(self._structure_changed)
        section.body.addWidget(self.consents)
        return section

    # --- structure ---------------------------------------------------------------------------

    def _add_goal_clicked(self) -> None:
        goal = self.add_goal(None)
        goal.domain.setFocus()
        self._structure_changed()

    def add_goal(self, goal: Goal | None) -> GoalEditor:
        editor = GoalEditor(self.ctx, goal)
        editor.removeRequested.connect(self._remove_goal)
        editor.changed.connect(self._structure_changed)
        self.goals_box.addWidget(editor)
        self.goals.append(editor)
        editor.show()
        self._renumber()
        return editor

    def _remove_goal(self, editor: object) -> None:
        if isinstance(editor, GoalEditor) and editor in self.goals:
            self.goals.remove(editor)
            editor.setParent(None)
            editor.deleteLater()
            self._renumber()
            self._structure_changed()

    def _renumber(self) -> None:
        for n, editor in enumerate(self.goals, start=1):
            editor.set_number(n)
        self.no_goals.setVisible(not self.goals)

    def _reregister(self) -> None:
        errors = FieldErrors()
        self.fields.register(errors, "")
        for code, edit in self.situation_edits.items():
            label = edit.property("errorLabel")
            if isinstance(label, ErrorLabel):
                errors.register(f"situation.{code}", edit, label)
        for i, goal in enumerate(self.goals):
            goal.register(errors, f"goals.{i}")
        for j, row in enumerate(self.consents.rows):
            row.fields.register(errors, f"consents.{j}")
        filled = [f for f in self.evaluation_fields if f.text().strip()]
        labels = dict(zip(self.evaluation_fields, self._evaluation_labels, strict=True))
        errors.register("evaluation_dates", self.evaluation_fields[0], self._evaluation_labels[0])
        for i, field in enumerate(filled):
            errors.register(f"evaluation_dates.{i}", field, labels[field])
        for field in self.evaluation_fields:
            errors.register(f"evaluation_field.{self.evaluation_fields.index(field)}", field,
                            labels[field])
        self.errors = errors

    def _structure_changed(self) -> None:
        if self._loading:
            return  # set_content registers and checks the mandate once, at its end
        self._reregister()
        self._update_mandate()
        self._changed()

    def _changed(self) -> None:
        if not self._loading:
            self._update_mandate()
            self.changed.emit()

    # --- content -----------------------------------------------------------------------------

    def _fill_situation(self, content: PlanContent) -> None:
        texts = {d.domain_code: d.text for d in content.situation.domains}
        codes = [d.code for d in self.ctx.domains]
        codes += [c for c in texts if c not in codes]
        layout_key = tuple((code, self.ctx.domain(code)) for code in codes)
        if layout_key == self._situation_layout:  # same domains and scores: only the texts
            for code, edit in self.situation_edits.items():
                edit.setPlainText(texts.get(code, ""))
            self._show_ladders()
            return
        self._situation_layout = layout_key
        while self.situation_grid.count():
            item = self.situation_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()
        self.situation_edits.clear()
        for row, code in enumerate(codes):
            info = self.ctx.domain(code)
            name = QLabel(f"<b>{self.ctx.domain_name(code)}</b>")
            scores = ""
            if info is not None and info.scores:
                scores = ", ".join(
                    f"{who} {score if score is not None else '–'}" for who, score in info.scores)
            name_box = QVBoxLayout()
            name_box.setSpacing(0)
            holder = QWidget()
            holder.setLayout(name_box)
            holder.setFixedWidth(200)
            name_box.setContentsMargins(0, 0, 0, 0)
            name.setWordWrap(True)
            name_box.addWidget(name)
            if scores:
                score_label = QLabel(self.tr("ZRM: %1").replace("%1", scores))
                score_label.setWordWrap(True)
                score_label.setStyleSheet("color: #52606d;")
                name_box.addWidget(score_label)
            name_box.addStretch(1)
            edit = _text_edit(self.tr("Situatie %1").replace("%1", self.ctx.domain_name(code)),
                              48)
            edit.setPlainText(texts.get(code, ""))
            _watch(edit, self._changed)
            error = ErrorLabel()
            edit.setProperty("errorLabel", error)
            cell = QVBoxLayout()
            cell.setSpacing(2)
            cell.addWidget(edit)
            cell.addWidget(error)
            cell_widget = QWidget()
            cell_widget.setLayout(cell)
            cell.setContentsMargins(0, 0, 0, 0)
            self.situation_grid.addWidget(holder, row, 0, Qt.AlignmentFlag.AlignTop)
            self.situation_grid.addWidget(cell_widget, row, 1)
            self.situation_edits[code] = edit
        self._show_ladders()

    def _show_ladders(self) -> None:
        ladders = ", ".join(self.tr("%1: trede %2 (%3)").replace("%1", lad.person_name)
                            .replace("%2", str(lad.rung)).replace("%3", lad.rung_name)
                            for lad in self.ctx.ladders)
        self.ladder_label.setText(self.tr("Participatieladder — %1").replace("%1", ladders))
        self.ladder_label.setVisible(bool(ladders))

    def set_content(self, content: PlanContent) -> None:
        self._loading = True
        try:
            parts = content.participants
            self._stored_participants = (parts.person_ids, parts.network_member_ids,
                                         parts.professional_ids)
            for checks, chosen in ((self.person_checks, parts.person_ids),
                                   (self.network_checks, parts.network_member_ids),
                                   (self.professional_checks, parts.professional_ids)):
                for entry_id, check in checks.items():
                    check.setChecked(entry_id in chosen)
            self.others.setText(parts.others)
            self.question.setPlainText(content.question)
            self._situation_ids = (content.situation.zrm_assessment_ids,
                                   content.situation.ladder_assessment_ids)
            self._fill_situation(content)
            # Reuse the goal editors there are; add or remove only the difference.
            for editor, goal in zip(self.goals, content.goals, strict=False):
                editor.set_goal(goal)
            for goal in content.goals[len(self.goals):]:
                self.add_goal(goal)
            for editor in self.goals[len(content.goals):]:
                editor.setParent(None)
                editor.deleteLater()
            del self.goals[len(content.goals):]
            self._renumber()
            if self.regisseur.findData(content.regisseur_id) < 0 and content.regisseur_id:
                self.regisseur.addItem(self.ctx.worker_name(content.regisseur_id),
                                       content.regisseur_id)
            _set_combo(self.regisseur, content.regisseur_id)
            for n, field in enumerate(self.evaluation_fields):
                field.set_value(content.evaluation_dates[n]
                                if n < len(content.evaluation_dates) else None)
            agreement = content.resident_view.agreement
            self.view_buttons[agreement.value if agreement else ""].setChecked(True)
            self.own_words.setPlainText(content.resident_view.own_words)
            self.consents.set_values(content.consents)
        finally:
            self._loading = False
        self._reregister()
        self.errors.clear()
        self._update_mandate()
        self.set_editable(self.editable)

    def collect(self) -> tuple[PlanContent, dict[str, str]]:
        """The content as typed, and Dutch messages for date fields that cannot be read."""
        self._reregister()
        extra: dict[str, str] = {}
        goals = []
        for i, editor in enumerate(self.goals):
            goal, problems = editor.value()
            goals.append(goal)
            extra.update({f"goals.{i}.{k}": v for k, v in problems.items()})
        dates = []
        for n, field in enumerate(self.evaluation_fields):
            if field.is_malformed():
                extra[f"evaluation_field.{n}"] = malformed_date_message()
            elif field.value() is not None:
                dates.append(field.value())
        checked = next((k for k, b in self.view_buttons.items() if b.isChecked()), "")
        zrm_ids, ladder_ids = self._situation_ids
        if self.editable:  # a concept refers to the latest measurements
            zrm_ids, ladder_ids = self.ctx.latest_zrm_ids, self.ctx.latest_ladder_ids
        content = PlanContent(
            participants=Participants(
                _in_stored_order(self._stored_participants[0], self.person_checks),
                _in_stored_order(self._stored_participants[1], self.network_checks),
                _in_stored_order(self._stored_participants[2], self.professional_checks),
                self.others.text().strip()),
            question=self.question.toPlainText().strip(),
            situation=Situation(
                tuple(DomainSituation(code, edit.toPlainText().strip())
                      for code, edit in self.situation_edits.items()
                      if edit.toPlainText().strip()),
                zrm_ids, ladder_ids),
            goals=tuple(goals),
            regisseur_id=str(self.regisseur.currentData() or ""),
            evaluation_dates=tuple(d for d in dates if d is not None),
            resident_view=ResidentView(ResidentAgreement(checked) if checked else None,
                                       self.own_words.toPlainText().strip()),
            consents=tuple(r.value() for r in self.consents.rows if isinstance(r, ConsentRow)),
        )
        return content, extra

    def show_errors(self, errors: Sequence[FieldError], extra: dict[str, str]) -> list[str]:
        """Messages at the fields; a domain message is left out where the editor already has
        a better one (e.g. an empty date). Returns the paths without a field."""
        self._reregister()
        shown = [e for e in errors if not any(e.field == p or e.field.startswith(p + ".")
                                              for p in extra)]
        return self.errors.show(shown, extra)

    def raw_dates(self) -> dict[str, str]:
        """Date fields as typed (also half-typed), for the draft."""
        out = {f"evaluation.{n}": f.text() for n, f in enumerate(self.evaluation_fields)}
        for i, goal in enumerate(self.goals):
            for j, row in enumerate(goal.support_rows()):
                out[f"goals.{i}.{j}.start"] = row.start.text()
                out[f"goals.{i}.{j}.end"] = row.end.text()
        return out

    def restore_raw_dates(self, raw: dict[str, Any]) -> None:
        for n, field in enumerate(self.evaluation_fields):
            text = raw.get(f"evaluation.{n}")
            if isinstance(text, str):
                field.setText(text)
        for i, goal in enumerate(self.goals):
            for j, row in enumerate(goal.support_rows()):
                for key, field in (("start", row.start), ("end", row.end)):
                    text = raw.get(f"goals.{i}.{j}.{key}")
                    if isinstance(text, str):
                        field.setText(text)

    # --- mandate -----------------------------------------------------------------------------

    def _update_mandate(self) -> None:
        regisseur_id = str(self.regisseur.currentData() or "")
        mandate = self._mandate_of(regisseur_id) if regisseur_id else Mandate(0)
        products = ", ".join(sorted(mandate.product_codes)) or self.tr("geen")
        self.mandate_label.setText(self.tr("Mandaat: tot %1; producten: %2")
                                   .replace("%1", euro(mandate.max_amount_cents))
                                   .replace("%2", products))
        total = 0
        outside: list[str] = []
        pgb: list[str] = []
        for goal in self.goals:
            for row in goal.support_rows():
                code = str(row.product.currentData() or "")
                is_outside = bool(code) and code not in mandate.product_codes
                row.show_mandate(is_outside, row.is_pgb())
                if is_outside and code not in outside:
                    outside.append(code)
                if row.is_pgb() and code not in pgb:
                    pgb.append(code or "?")
                total += round(row.cost.value() * 100)
        reasons = []
        if outside:
            reasons.append(self.tr("%1 valt buiten het mandaat van de regisseur")
                           .replace("%1", ", ".join(outside)))
        if pgb:
            reasons.append(self.tr("%1 wordt betaald uit een persoonsgebonden budget")
                           .replace("%1", ", ".join(pgb)))
        if total > mandate.max_amount_cents:
            reasons.append(self.tr("het totaal (%1) is hoger dan het mandaat (%2)")
                           .replace("%1", euro(total))
                           .replace("%2", euro(mandate.max_amount_cents)))
        self._toets_needed = bool(reasons)
        if reasons:
            text = self.tr("⚠ Gemeentelijke toets nodig: %1. Een collega die niet de regisseur "
                           "is, toetst het plan voordat het ter ondertekening kan.").replace(
                "%1", "; ".join(reasons))
        else:
            text = self.tr("✓ Alle professionele ondersteuning valt binnen het mandaat van de "
                           "regisseur; een gemeentelijke toets is niet nodig.")
        self.mandate_banner.setProperty("needed", bool(reasons))
        self.mandate_banner.style().unpolish(self.mandate_banner)
        self.mandate_banner.style().polish(self.mandate_banner)
        self.mandate_banner.setText(text)
        # Always there, two lines high: choosing a product never moves the fields below it
        # (and the one under the cursor) down.
        self.mandate_banner.setVisible(bool(self.goals))

    def toets_needed(self) -> bool:
        return self._toets_needed

    # --- read-only ---------------------------------------------------------------------------

    def set_editable(self, editable: bool) -> None:
        """Only a concept can change; otherwise every input is read-only and the add and
        remove buttons are gone."""
        self.editable = editable
        for widget in self.findChildren(QWidget):
            if isinstance(widget, QLineEdit | QPlainTextEdit):
                widget.setReadOnly(not editable)
            elif isinstance(widget, QAbstractSpinBox):
                widget.setReadOnly(not editable)
                widget.setButtonSymbols(
                    QAbstractSpinBox.ButtonSymbols.UpDownArrows if editable
                    else QAbstractSpinBox.ButtonSymbols.NoButtons)
            elif isinstance(widget, QComboBox | QCheckBox | QRadioButton):
                widget.setEnabled(editable)
            elif isinstance(widget, QPushButton) and widget.property("editOnly"):
                widget.setVisible(editable)


# --- models --------------------------------------------------------------------------------


class VersionsModel(RowTableModel[PlanVersion]):
    """All versions of a plan, newest first: number, status, date (made by in the tip)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self._names: dict[str, str] = {}
        self._refused: set[str] = set()  # versions outside the plan: the server refused them
        self._columns: list[ColumnSpec[PlanVersion]] = [
            ColumnSpec(self.tr("Versie"), lambda v: str(v.number), align=None),
            ColumnSpec(self.tr("Status"), self._status, align=None),
            ColumnSpec(self.tr("Gemaakt op"), lambda v: format_dutch_date(v.created_at.date()),
                       align=None),
        ]

    def columns(self) -> Sequence[ColumnSpec[PlanVersion]]:
        return self._columns

    def _status(self, version: PlanVersion) -> str:
        if version.id in self._refused:
            return self.tr("Geweigerd")
        return plan_status_label(version.status)

    def ordered(self, rows: Sequence[PlanVersion]) -> list[PlanVersion]:
        return sorted(rows, key=lambda v: (v.id not in self._refused, v.number), reverse=True)

    def set_rows(self, rows: Iterable[PlanVersion], names: dict[str, str] | None = None,
                 refused: Iterable[str] = ()) -> None:
        if names is not None:
            self._names = names
        self._refused = set(refused)
        super().set_rows(list(rows))

    def tooltip(self, item: PlanVersion, column: int) -> str:
        status = plan_status_label(item.status)
        if item.id in self._refused:
            status = self.tr("geweigerd door de server (%1)").replace("%1", status.lower())
        return self.tr("Versie %1 · %2 · gemaakt door %3 · vingerafdruk %4") \
            .replace("%1", str(item.number)).replace("%2", status) \
            .replace("%3", self._names.get(item.created_by, "")) \
            .replace("%4", fingerprint_text(item))


class ChangesModel(RowTableModel[ChangeRow]):
    """Differences between two versions: section, field, old, new (coloured by kind)."""

    COLOURS: ClassVar[dict[str, str]] = {
        "toegevoegd": "#e6f4ea", "verwijderd": "#fdecea", "gewijzigd": "#fff7e0"}
    id_role = None  # a change has no id of its own

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self._columns: list[ColumnSpec[ChangeRow]] = [
            ColumnSpec(self.tr("Onderdeel"), lambda r: r.section_text, align=None),
            ColumnSpec(self.tr("Veld"), lambda r: r.field_text, align=None),
            ColumnSpec(self.tr("Oud"), lambda r: r.old, align=None),
            ColumnSpec(self.tr("Nieuw"), lambda r: r.new, align=None),
        ]

    def columns(self) -> Sequence[ColumnSpec[ChangeRow]]:
        return self._columns

    def set_rows(self, rows: Iterable[ChangeRow]) -> None:
        super().set_rows(list(rows))

    def tooltip(self, item: ChangeRow, column: int) -> str:
        return self._columns[column].text(item)

    def background(self, item: ChangeRow, column: int) -> QBrush | None:
        return QBrush(QColor(self.COLOURS[item.kind.value])) if column >= 2 else None


def change_rows(ctx: PlanContext, old: PlanVersion | PlanContent,
                new: PlanVersion | PlanContent) -> list[ChangeRow]:
    a = old.content if isinstance(old, PlanVersion) else old
    b = new.content if isinstance(new, PlanVersion) else new
    titles = {g.id: g.description for g in a.goals}
    titles.update({g.id: g.description for g in b.goals})
    return [describe_change(ctx, c, titles) for c in diff_versions(a, b)]


class _WrapDelegate(RowDelegate):
    """Row heights from the wrapped text at the column's current width."""

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(self, option: QStyleOptionViewItem,  # noqa: N802 (Qt override)
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        width = self._view.columnWidth(index.column()) - 14
        text = str(index.data() or "")
        if width <= 0 or not text:
            return hint
        rect = option.fontMetrics.boundingRect(
            QRect(0, 0, width, 100_000), int(Qt.TextFlag.TextWordWrap), text)
        return QSize(hint.width(), max(hint.height(), rect.height() + 12))


def table_view(model: QAbstractTableModel, name: str, wrap: bool = False) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(not wrap)
    view.setWordWrap(wrap)
    view.setTabKeyNavigation(False)
    view.setItemDelegate(_WrapDelegate(view) if wrap else RowDelegate(view))
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if wrap:
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    else:
        view.verticalHeader().setDefaultSectionSize(28)
    return view


class VersionCompareDialog(QDialog):
    """Two versions side by side: per section and field what it was and what it became."""

    def __init__(self, ctx: PlanContext, versions: Sequence[PlanVersion], old_id: str,
                 new_id_: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.versions = {v.id: v for v in versions}
        self.setWindowTitle(self.tr("Versies vergelijken"))
        self.resize(1100, 620)
        self.old = QComboBox()
        self.new = QComboBox()
        for combo, name in ((self.old, self.tr("Oude versie")),
                            (self.new, self.tr("Nieuwe versie"))):
            combo.setAccessibleName(name)
            for v in sorted(versions, key=lambda v: v.number):
                combo.addItem(self.tr("Versie %1 — %2").replace("%1", str(v.number))
                              .replace("%2", plan_status_label(v.status)), v.id)
        _set_combo(self.old, old_id)
        _set_combo(self.new, new_id_)
        self.model = ChangesModel(self)
        self.table = table_view(self.model, self.tr("Verschillen"), wrap=True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((170, 250)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.sectionResized.connect(lambda *_args: self.table.resizeRowsToContents())
        self.summary = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("&Van")))
        top.itemAt(0).widget().setBuddy(self.old)  # type: ignore[union-attr]
        top.addWidget(self.old)
        top.addWidget(QLabel(self.tr("naar")))
        top.addWidget(self.new)
        top.addSpacing(16)
        top.addWidget(self.summary, 1)
        close = QPushButton(self.tr("&Sluiten"))
        close.setDefault(True)
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addWidget(muted_label(self.tr(
            "Groen: toegevoegd · rood: verwijderd · geel: gewijzigd.")), 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.old.currentIndexChanged.connect(self.refresh)
        self.new.currentIndexChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        old = self.versions.get(str(self.old.currentData()))
        new = self.versions.get(str(self.new.currentData()))
        if old is None or new is None:
            return
        rows = change_rows(self.ctx, old, new)
        self.model.set_rows(rows)
        self.summary.setText(self.tr("%1 verschil(len)").replace("%1", str(len(rows)))
                             if rows else self.tr("Geen verschillen in de inhoud."))
        self.table.resizeRowsToContents()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self.table.resizeRowsToContents()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self.table.resizeRowsToContents()


# --- the page ------------------------------------------------------------------------------


def ask_yes_no(parent: QWidget, title: str, text: str) -> bool:
    from wijkteam_app.ui.pages.household_page import ask_yes_no as ask

    return ask(parent, title, text)


class PlanPage(QWidget):
    """One household's plan. The lead hosts it as the household page's "Plan" tab."""

    planChanged = Signal(str)  # noqa: N815  household id, after any stored change

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self.service = PlanService(workspace)
        self._drafts = DraftService(workspace)
        self.report_settings: ReportSettings = default_report_settings(workspace)
        self.confirm: Confirm = ask_yes_no
        self.household_id = ""
        self.ctx: PlanContext | None = None
        self.versions: list[PlanVersion] = []
        self.shown: PlanVersion | None = None
        self.editor: PlanEditor | None = None
        self.keeper: DraftKeeper | None = None
        self.active_dialog: QDialog | None = None
        self._offered: dict[str, Any] | None = None
        self._dirty = False
        self._stale = False  # a household is set but not read yet (the page was hidden)
        self._selecting = False
        self._mandates: dict[str, Mandate] = {}
        self.refused: dict[str, RefusedVersion] = {}  # version id -> the server's refusal
        self.allowed: frozenset[Action] = frozenset()  # plan steps this worker may take
        self.setAccessibleName(self.tr("Ondersteuningsplan"))

        self.title = heading_label(self.tr("Ondersteuningsplan"), 3.0)
        self.status_label = QLabel()
        self.status_label.setObjectName("planStatus")
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.read_only_banner = QLabel()
        self.read_only_banner.setObjectName("readOnlyBanner")
        self.read_only_banner.setStyleSheet(READ_ONLY_STYLE)
        self.read_only_banner.setWordWrap(True)
        self.read_only_banner.setVisible(False)
        self.refused_banner = QLabel()
        self.refused_banner.setObjectName("refusedBanner")
        self.refused_banner.setStyleSheet(REFUSED_STYLE)
        self.refused_banner.setWordWrap(True)
        self.refused_banner.setVisible(False)
        self.notice = QLabel()
        self.notice.setObjectName("planNotice")
        self.notice.setStyleSheet(NOTICE_STYLE)
        self.notice.setWordWrap(True)
        self.notice.setVisible(False)
        self.draft_offer = DraftOfferBar()
        self.draft_offer.restoreChosen.connect(self._restore_draft)
        self.draft_offer.discardChosen.connect(self._discard_offer)

        b = self._action
        self.new_plan_button = b(self.tr("&Nieuw plan"), self.new_plan)
        self.save_button = b(self.tr("&Opslaan (concept)"), self.save_concept)
        self.submit_button = b(self.tr("&Indienen bij teamcoach"), self.submit)
        self.new_version_button = b(self.tr("Nieuwe &versie"), self.new_version)
        self.toets_button = b(self.tr("&Toets vastleggen…"), self.open_toets)
        self.to_signing_button = b(self.tr("Naar &ondertekening"), self.to_signing)
        self.pdf_button = b(self.tr("&PDF bekijken/afdrukken…"), self.preview_pdf)
        self.share_button = b(self.tr("De&len met…"), self.share_plan)
        self.sign_button = b(self.tr("Onder&tekening vastleggen…"), self.open_signing)
        self.execute_button = b(self.tr("&Start uitvoering"), self.start_execution)
        self.evaluate_button = b(self.tr("&Evalueren…"), self.open_evaluation)
        self.close_button = b(self.tr("&Afsluiten"), self.close_plan)
        self.up_button = b(self.tr("Op&schalen…"), lambda: self.open_regie(True))
        self.down_button = b(self.tr("Af&schalen…"), lambda: self.open_regie(False))
        self.compare_button = b(self.tr("&Vergelijken…"), self.open_compare)
        self.workflow_buttons = [
            self.new_plan_button, self.save_button, self.submit_button, self.new_version_button,
            self.toets_button, self.to_signing_button, self.sign_button, self.execute_button,
            self.evaluate_button, self.close_button, self.pdf_button, self.share_button]
        actions = QHBoxLayout()
        actions.setSpacing(6)
        for button in self.workflow_buttons:
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.up_button)
        actions.addWidget(self.down_button)

        self.versions_model = VersionsModel(self)
        self.versions_table = table_view(self.versions_model, self.tr("Versies van het plan"))
        self.versions_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.versions_table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 52), (2, 100)):
            header.resizeSection(column, width)
        self.versions_table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.versions_table.selectionModel().currentRowChanged.connect(self._version_picked)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(heading_label(self.tr("Versies"), 1.5))
        # A plan has a handful of versions: the list takes what they need (up to six rows),
        # and the banners stand under it, so the editor keeps the height of the screen.
        self.versions_table.setMaximumHeight(
            self.versions_table.verticalHeader().defaultSectionSize() * 6 + 34)
        left_layout.addWidget(self.versions_table)
        compare_row = QHBoxLayout()
        compare_row.addWidget(self.compare_button)
        compare_row.addStretch(1)
        left_layout.addLayout(compare_row)
        self.history_label = muted_label("")
        self.history_label.setTextFormat(Qt.TextFormat.RichText)
        left_layout.addWidget(self.history_label)

        self.comments_box = QLabel()
        self.comments_box.setObjectName("coachComments")
        self.comments_box.setWordWrap(True)
        self.comments_box.setTextFormat(Qt.TextFormat.RichText)
        self.comments_box.setStyleSheet("QLabel#coachComments { background: #fdf2e9; border: 1px"
                                        " solid #e08a4c; border-radius: 4px; padding: 8px; }")
        self.comments_box.setVisible(False)
        self.empty_label = muted_label(self.tr(
            "Dit huishouden heeft nog geen ondersteuningsplan. Kies ‘Nieuw plan’ om te "
            "beginnen."))
        self.editor_scroll = QScrollArea()
        self.editor_scroll.setWidgetResizable(True)
        self.editor_scroll.setFrameShape(QFrame.Shape.NoFrame)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.draft_offer)
        right_layout.addWidget(self.empty_label)
        right_layout.addWidget(self.editor_scroll, 1)
        left_layout.addWidget(self.refused_banner)
        left_layout.addWidget(self.read_only_banner)
        left_layout.addWidget(self.comments_box)
        left_layout.addStretch(1)

        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([340, 1000])
        self.splitter.setChildrenCollapsible(False)

        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addSpacing(12)
        head.addWidget(self.status_label, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)
        layout.addLayout(head)
        layout.addLayout(actions)
        layout.addWidget(self.notice)
        layout.addWidget(self.splitter, 1)
        save = QShortcut(QKeySequence.StandardKey.Save, self)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.activated.connect(self.save_concept)
        self._update_actions()

    def _action(self, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)
        button.clicked.connect(lambda: slot())
        return button

    # --- showing -----------------------------------------------------------------------------

    def show_household(self, household_id: str) -> None:
        """Show this household's plan now: the current version, or the offer to start one."""
        self.set_household(household_id)
        if self._stale:
            self.reload()

    def set_household(self, household_id: str) -> None:
        """The household whose plan this page shows. Read and filled when the page is shown
        (the household page's "Plan" tab), at once while it is visible."""
        self._leave_editor()
        self.household_id = household_id
        self._mandates.clear()
        self.ctx = None
        self.versions = []
        self.shown = None
        self._say("")
        self._stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._stale and self.household_id:
            self.reload()

    def current_version(self) -> PlanVersion | None:
        return self.versions[-1] if self.versions else None

    def reload(self, select_id: str | None = None) -> None:
        if not self.household_id:
            return
        self._stale = False
        self.loaded_at = time.monotonic()  # what was saved before this is shown
        try:
            self.ctx = load_context(self._ws, self.household_id)
            self.versions, refused = self.service.versions_and_refused(self.household_id)
            self.allowed = self.service.allowed_actions(self.household_id, self.versions)
        except NotFound:
            self._say(error_text("not_found"))
            return
        self.refused = {r.version.id: r for r in refused}
        outside = [r.version for r in refused if not r.in_plan]
        self.versions_model.set_rows([*self.versions, *outside], dict(self.ctx.worker_names),
                                     refused=[v.id for v in outside])
        if self.ctx.catalog_problem:
            self._say(self.ctx.catalog_problem)
        current = self.current_version() or (outside[-1] if outside else None)
        target = select_id or (current.id if current else None)
        self._prepare_editor()
        if target is None:
            self._show(None)
            return
        row = self.versions_model.row_of(target)
        self._selecting = True  # one fill below, not one more from the selection signal
        try:
            self.versions_table.selectRow(row)
            self.versions_table.setCurrentIndex(self.versions_model.index(row, 0))
        finally:
            self._selecting = False
        self._show(self.versions_model.item(row))

    def live_refresh(self) -> None:
        """Something this page shows changed (a sync or a save elsewhere): show it now, or
        when the page is shown next. What the worker typed in the editor and where the page
        was scrolled stay as they were."""
        if not self.household_id:
            return
        if not self.isVisible():
            self._stale = True
            return
        try:
            ctx = load_context(self._ws, self.household_id)
            versions = self.service.versions(self.household_id)
        except NotFound:
            self._say(error_text("not_found"))
            return
        if versions == self.versions and ctx == self.ctx:
            return  # nothing this page shows
        shown = self.shown
        typed: dict[str, Any] | None = None
        if self._dirty and self.editor is not None and shown is not None:
            typed = self._draft_payload()
            if self.keeper is not None:
                self.keeper.flush()  # also in the drafts, should anything go wrong now
        if self.keeper is not None:
            self.keeper.deleteLater()
            self.keeper = None
        bar = self.editor_scroll.verticalScrollBar()
        position = bar.value()
        self.reload(select_id=shown.id if shown is not None else None)
        again = self.shown
        if typed is not None and again is not None and shown is not None \
                and again.id == shown.id and self.editor is not None and self.editor.editable:
            self.editor.set_content(content_from_plain(typed["content"]))
            self.editor.restore_raw_dates(typed["raw_dates"])
            self._dirty = True
            self._offered = None
            self.draft_offer.setVisible(False)
            if again.content != shown.content:
                self._say(self.tr("Dit plan is intussen elders gewijzigd. Uw wijzigingen staan "
                                  "nog in het formulier; bij opslaan ziet u of ze botsen."))
        QTimer.singleShot(0, lambda: bar.setValue(position))  # once the layout is done
        bar.setValue(position)

    def _prepare_editor(self) -> None:
        """The editor is made once and reused for every version and household."""
        assert self.ctx is not None
        if self.editor is None:
            self.editor = PlanEditor(self.ctx, self._mandate_of)
            self.editor.changed.connect(self._edited)
            self.editor_scroll.setWidget(self.editor)
        else:
            self.editor.set_context(self.ctx)

    def reference_data_changed(self, settings: ReportSettings) -> None:
        """The municipality's reference data changed (a sync brought a new version): print
        with its name and logo from now on, and check the open editor against the new
        mandates at once (unsaved input stays as it is)."""
        self.report_settings = settings
        self._mandates.clear()
        if self.editor is not None:
            self.editor._update_mandate()

    def _mandate_of(self, worker_id: str) -> Mandate:
        if worker_id not in self._mandates:
            self._mandates[worker_id] = self.service.mandate(worker_id)
        return self._mandates[worker_id]

    def _version_picked(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._selecting or not current.isValid():
            return
        version = self.versions_model.item(current.row())
        if self.shown is None or version.id != self.shown.id:
            self._leave_editor()
            self._show(version)

    def _show(self, version: PlanVersion | None) -> None:
        previous, self.shown = self.shown, version
        if version is None or previous is None or previous.id != version.id:
            self.editor_scroll.verticalScrollBar().setValue(0)  # another version: from the top
        self._dirty = False
        self.draft_offer.setVisible(False)
        self._offered = None
        editor = self.editor
        self.empty_label.setVisible(version is None)
        self.editor_scroll.setVisible(version is not None)
        refusal = self.refused.get(version.id) if version is not None else None
        self._show_refusal(refusal)
        if version is None or editor is None:
            self.status_label.setText("")
            self.read_only_banner.setVisible(False)
            self.comments_box.setVisible(False)
            self.history_label.setText("")
            self._update_actions()
            return
        is_current = version is self.current_version() or (
            self.current_version() is not None and version.id == self.current_version().id  # type: ignore[union-attr]
        )
        editable = (version.editable and is_current and Action.PLAN_WRITE in self.allowed
                    and refusal is None)
        editor.editable = editable
        editor.set_content(version.content)
        status = plan_status_label(version.status)
        if refusal is not None and not refusal.in_plan:
            status = self.tr("Geweigerd door de server (%1)").replace("%1", status.lower())
        self.status_label.setText(self.tr("Versie %1 · %2 · vingerafdruk %3")
                                  .replace("%1", str(version.number))
                                  .replace("%2", status)
                                  .replace("%3", fingerprint_text(version)))
        self.status_label.setAccessibleName(self.status_label.text())
        if editable or (refusal is not None and not refusal.in_plan):
            self.read_only_banner.setVisible(False)  # the refusal banner says it
        else:
            text = self.tr("Alleen-lezen: versie %1 is %2 en kan niet meer worden gewijzigd. "
                           "Wilt u iets veranderen, maak dan een nieuwe versie.") \
                .replace("%1", str(version.number)) \
                .replace("%2", plan_status_label(version.status).lower())
            if not is_current and self.current_version() is not None:
                text = self.tr("Alleen-lezen: dit is een eerdere versie (%1). De huidige "
                               "versie is %2.").replace("%1", str(version.number)).replace(
                    "%2", str(self.current_version().number))  # type: ignore[union-attr]
            elif Action.PLAN_WRITE not in self.allowed:
                text = self.tr("Alleen-lezen: %1").replace(
                    "%1", error_text("not_allowed.plan_write"))
            self.read_only_banner.setText(text)
            self.read_only_banner.setAccessibleName(text)
            self.read_only_banner.setVisible(True)
        self._show_comments(version)
        self._show_history(version)
        self._update_actions()
        if editable:
            self._start_keeper(version)

    def _show_refusal(self, refusal: RefusedVersion | None) -> None:
        """A version the server refused: why, and what to do; it stays readable here."""
        if refusal is None:
            self.refused_banner.setVisible(False)
            return
        moment = format_dutch_date(refusal.refused_at.date())
        if refusal.in_plan:
            head = self.tr("Geweigerd door de server (%1): een wijziging van deze versie is "
                           "niet overgenomen.").replace("%1", moment)
        elif self.current_version() is not None:
            head = self.tr("Alleen-lezen. Geweigerd door de server (%1): dit plan is niet "
                           "overgenomen; het geldende plan staat bovenaan de lijst met "
                           "versies.").replace("%1", moment)
        else:
            head = self.tr("Alleen-lezen. Geweigerd door de server (%1): dit plan is niet "
                           "overgenomen.").replace("%1", moment)
        text = f"{head} {refusal_text(refusal.reason)}"
        self.refused_banner.setText(text)
        self.refused_banner.setAccessibleName(text)
        self.refused_banner.setVisible(True)

    def _show_comments(self, version: PlanVersion) -> None:
        """The coach's comments while they are to be worked on: on the returned version and
        on the concept made from it; gone once that concept is sent in again."""
        source = version if version.status is PlanStatus.TERUGGESTUURD else None
        if source is None and version.based_on_id and version.status is PlanStatus.CONCEPT:
            based = next((v for v in self.versions if v.id == version.based_on_id), None)
            if based is not None and based.status is PlanStatus.TERUGGESTUURD:
                source = based
        review = source.last_review if source else None
        if source is None or review is None or not review.comments:
            self.comments_box.setVisible(False)
            return
        from html import escape

        lines = [self.tr("<b>Teruggestuurd door %1 (versie %2):</b>")
                 .replace("%1", escape(self.ctx.worker_name(review.reviewer_id)  # type: ignore[union-attr]
                                       ))
                 .replace("%2", str(source.number))]
        for comment in review.comments:
            lines.append(f"• <i>{escape(section_label(comment.section))}</i>: "
                         f"{escape(comment.text)}")
        self.comments_box.setText("<br>".join(lines))
        self.comments_box.setVisible(True)

    def _show_history(self, version: PlanVersion) -> None:
        ctx = self.ctx
        assert ctx is not None
        lines = []
        for change in version.history:
            lines.append(f"{format_dutch_date(change.at.date())} · "
                         f"{plan_status_label(change.to_status)} · "
                         f"{ctx.worker_name(change.actor_id)}")
        if version.toets is not None:
            t = version.toets
            lines.append(self.tr("Toets %1 door %2 op %3").replace(
                "%1", self.tr("positief") if t.decision.value == "positief"
                else self.tr("negatief")).replace("%2", ctx.worker_name(t.toetser_id))
                .replace("%3", format_dutch_date(t.decided_at.date())))
        if version.signature is not None:
            s = version.signature
            lines.append(self.tr("Ondertekend op %1 in %2 (PDF %3)")
                         .replace("%1", format_dutch_date(s.signed_on)).replace("%2", s.place)
                         .replace("%3", s.pdf_sha256[:12]))
        self.history_label.setText("<br>".join(lines))

    def _say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setAccessibleName(text)
        self.notice.setVisible(bool(text))

    def _update_actions(self) -> None:
        current = self.current_version()
        shown = self.shown
        on_current = shown is not None and current is not None and shown.id == current.id
        status = current.status if current else None
        may = self.allowed.__contains__  # the service's answer: no rules here
        visible = {
            self.new_plan_button: current is None and bool(self.household_id)
            and not self.refused and may(Action.PLAN_WRITE),
            self.save_button: on_current and status is PlanStatus.CONCEPT
            and may(Action.PLAN_WRITE),
            self.submit_button: on_current and status is PlanStatus.CONCEPT
            and may(Action.PLAN_SUBMIT),
            self.new_version_button: on_current and status not in (
                None, PlanStatus.CONCEPT, PlanStatus.TER_BEOORDELING, PlanStatus.AFGESLOTEN)
            and may(Action.PLAN_WRITE),
            self.toets_button: on_current and status in (
                PlanStatus.TER_BEOORDELING, PlanStatus.GOEDGEKEURD) and current is not None
            and may(Action.PLAN_TOETS) and self.service.toets_needed(current),
            self.to_signing_button: on_current and status is PlanStatus.GOEDGEKEURD
            and may(Action.PLAN_TO_SIGNING),
            self.sign_button: on_current and status is PlanStatus.TER_ONDERTEKENING
            and may(Action.PLAN_SIGN),
            self.execute_button: on_current and status is PlanStatus.ONDERTEKEND
            and may(Action.PLAN_EXECUTE),
            self.evaluate_button: on_current and status is PlanStatus.IN_UITVOERING
            and may(Action.PLAN_EVALUATE),
            self.close_button: on_current and status is PlanStatus.GEEVALUEERD
            and may(Action.PLAN_CLOSE),
            self.pdf_button: shown is not None,
            # Sharing is the regisseur's and the case team's step, never of a refused version.
            self.share_button: shown is not None and shown.id not in self.refused
            and may(Action.PLAN_WRITE),
            self.up_button: current is not None and status is not PlanStatus.AFGESLOTEN
            and may(Action.MOVE_REGIE),
            self.down_button: current is not None and status is not PlanStatus.AFGESLOTEN
            and may(Action.MOVE_REGIE),
            self.compare_button: len(self.versions) > 1,
        }
        for button, show in visible.items():
            button.setVisible(bool(show))

    # --- drafts ------------------------------------------------------------------------------

    def _draft_payload(self) -> dict[str, Any]:
        assert self.editor is not None
        content, _extra = self.editor.collect()
        plain = to_plain(content)
        assert isinstance(plain, dict)
        return {"content": plain, "raw_dates": self.editor.raw_dates()}

    def _start_keeper(self, version: PlanVersion) -> None:
        self.keeper = DraftKeeper(self._drafts, draft_key(version.id), DRAFT_KIND,
                                  self.tr("Ondersteuningsplan versie %1")
                                  .replace("%1", str(version.number)),
                                  self._draft_payload, self)
        draft = self._drafts.get(draft_key(version.id))
        if draft is not None:
            self._offered = draft.payload
            self.draft_offer.offer(draft.updated_at)

    def _restore_draft(self) -> None:
        payload, self._offered = self._offered, None
        if not payload or self.editor is None:
            return
        content = payload.get("content")
        if isinstance(content, dict):
            self.editor.set_content(content_from_plain(content))
        raw = payload.get("raw_dates")
        if isinstance(raw, dict):
            self.editor.restore_raw_dates(raw)
        self._dirty = True

    def _discard_offer(self) -> None:
        self._offered = None
        if self.shown is not None:
            self._drafts.discard(draft_key(self.shown.id))

    def _edited(self) -> None:
        self._dirty = True
        if self.keeper is not None and self._offered is None:
            self.keeper.touch()

    def _leave_editor(self) -> None:
        """Keep what was typed as a draft when the page shows something else."""
        if self.keeper is not None:
            if self._dirty and self._offered is None:
                self.keeper.flush()
            self.keeper.deleteLater()
            self.keeper = None

    def has_unsaved_changes(self) -> bool:
        return self._dirty

    # --- actions -----------------------------------------------------------------------------

    def _guard(self, action: Callable[[], PlanVersion | None]) -> PlanVersion | None:
        try:
            result = action()
        except ValidationFailed as exc:
            assert self.editor is not None
            unplaced = self.editor.show_errors(exc.errors, {})
            self._say(self.tr("Het plan is nog niet compleet of bevat fouten; zie de "
                              "meldingen bij de velden.") if not unplaced else
                      self.tr("Het plan bevat fouten (%1).").replace("%1", ", ".join(unplaced)))
            return None
        except PlanRuleViolation as exc:
            self._say(rule_text(exc))
            return None
        except StaleVersion:
            self._say(error_text("stale_version"))
            self.reload()
            return None
        except NotFound:
            self._say(error_text("not_found"))
            return None
        self._say("")
        if result is not None:
            self.planChanged.emit(self.household_id)
        return result

    def new_plan(self) -> None:
        if not self.household_id:
            return
        version = self._guard(lambda: self.service.start(self.household_id))
        if version is not None:
            self.reload(version.id)
            if self.editor is not None:
                self.editor.question.setFocus()

    def _valid_content(self, for_submission: bool) -> PlanContent | None:
        """The editor's content when it passes validation; else messages at the fields."""
        assert self.editor is not None
        content, extra = self.editor.collect()
        refs = self.service.references(self.household_id)
        errors = (validate_for_submission(content, refs) if for_submission
                  else validate_content(content, refs))
        if errors or extra:
            unplaced = self.editor.show_errors(errors, extra)
            message = self.tr("Niet opgeslagen: verbeter eerst de gemarkeerde velden.")
            if for_submission:
                message = self.tr("Nog niet klaar om in te dienen: vul de gemarkeerde velden "
                                  "aan.")
            if unplaced:
                message += " " + self.tr("(%1)").replace("%1", ", ".join(unplaced))
            self._say(message)
            return None
        self.editor.errors.clear()
        return content

    def save_concept(self) -> bool:
        """Store the concept; False (and messages at the fields) while anything is invalid."""
        version = self.shown
        if version is None or self.editor is None or not self.editor.editable:
            return False
        content = self._valid_content(False)
        if content is None:
            return False
        saved = self._guard(lambda: self.service.save_concept(version, content))
        if saved is None:
            return False
        if self.keeper is not None:
            self.keeper.discard()
            self.keeper = None
        self._drafts.discard(draft_key(version.id))
        self._dirty = False
        position = self.editor_scroll.verticalScrollBar().value()
        self.reload(saved.id)
        self._keep_scroll_position(position)
        self._say(self.tr("Concept opgeslagen."))
        return True

    def _keep_scroll_position(self, position: int) -> None:
        """The rebuilt editor at the place the worker was (its height is known once Qt has
        laid it out, so the range is settled first)."""
        editor = self.editor
        if editor is None:
            return
        editor.adjustSize()
        editor.resize(self.editor_scroll.viewport().width(), editor.sizeHint().height())
        bar = self.editor_scroll.verticalScrollBar()
        bar.setRange(0, max(0, editor.sizeHint().height()
                            - self.editor_scroll.viewport().height()))
        bar.setValue(position)

    def submit(self) -> None:
        version = self.shown
        if version is None or self.editor is None or not self.editor.editable:
            return
        content = self._valid_content(True)
        if content is None:
            return
        saved = self._guard(lambda: self.service.save_concept(version, content))
        if saved is None:
            return
        submitted = self._guard(lambda: self.service.submit(saved))
        if self.keeper is not None:
            self.keeper.discard()
            self.keeper = None
        self._drafts.discard(draft_key(version.id))
        self._dirty = False
        self.reload((submitted or saved).id)
        if submitted is not None:
            self._say(self.tr("Versie %1 is ingediend bij de teamcoach.")
                      .replace("%1", str(submitted.number)))

    def new_version(self) -> None:
        current = self.current_version()
        if current is None:
            return
        fresh = self._guard(lambda: self.service.new_version(current))
        if fresh is not None:
            self.reload(fresh.id)
            self._say(self.tr("Versie %1 is gemaakt als concept, op basis van versie %2.")
                      .replace("%1", str(fresh.number)).replace("%2", str(current.number)))

    def to_signing(self) -> None:
        current = self.current_version()
        if current is None:
            return
        done = self._guard(lambda: self.service.to_signing(current))
        if done is not None:
            self.reload(done.id)

    def start_execution(self) -> None:
        current = self.current_version()
        if current is None:
            return
        done = self._guard(lambda: self.service.start_execution(current))
        if done is not None:
            self.reload(done.id)

    def close_plan(self) -> None:
        current = self.current_version()
        if current is None:
            return
        if not self.confirm(self, self.tr("Plan afsluiten"), self.tr(
                "Het plan afsluiten? Daarna kan er geen nieuwe versie meer worden gemaakt.")):
            return
        done = self._guard(lambda: self.service.close(current))
        if done is not None:
            self.reload(done.id)

    def pdf_bytes(self, version: PlanVersion) -> bytes:
        """The signed PDF exactly as signed, else a fresh rendering of the version."""
        return self.service.pdf(version, self.report_settings).data

    def preview_pdf(self) -> None:
        version = self.shown
        if version is None:
            return
        try:
            pdf = self.service.pdf(version, self.report_settings)
        except FileNotOnDevice:
            self._say(error_text("file_not_on_device"))
            return
        except SignedPdfMissing:
            self._say(self.tr("Deze versie is ondertekend, maar de ondertekende PDF staat niet "
                              "in dit dossier. Er wordt geen nieuwe PDF gemaakt: die zou niet "
                              "zijn wat er is ondertekend."))
            return
        title = self.tr("Ondersteuningsplan versie %1").replace("%1", str(version.number))
        if pdf.signed:
            title = self.tr("Ondersteuningsplan versie %1 — de ondertekende PDF, ongewijzigd") \
                .replace("%1", str(version.number))
        dialog = PdfPreviewDialog(pdf.data, title, self,
                                  f"ondersteuningsplan-v{version.number}.pdf",
                                  on_output=lambda printed: AccessLogService(self._ws)
                                  .plan_output(version.household_id, version.id, printed))
        self._open(dialog)

    def share_plan(self) -> None:
        """Share the shown version with a recipient, only where consent covers it."""
        from wijkteam_app.ui.dialogs.share_dialog import SharePlanDialog

        if self.shown is not None:
            self._open(SharePlanDialog(self._ws, self.shown, self.report_settings, self))

    def open_toets(self) -> None:
        current = self.current_version()
        if current is not None:
            self._open(ToetsDialog(self._ws, current, self))

    def open_signing(self) -> None:
        current = self.current_version()
        if current is not None:
            self._open(SigningDialog(self._ws, current, self.report_settings, self,
                                     context=self.ctx))

    def open_evaluation(self) -> None:
        current = self.current_version()
        if current is not None:
            self._open(EvaluationDialog(self._ws, current, self, context=self.ctx))

    def open_regie(self, up: bool) -> None:
        current = self.current_version()
        regisseur = current.content.regisseur_id if current else ""
        self._open(RegieDialog(self._ws, self.household_id, up, self,
                               current_regisseur_id=regisseur))

    def open_compare(self) -> None:
        if self.ctx is None or len(self.versions) < 2:
            return
        shown = self.shown or self.versions[-1]
        older = [v for v in self.versions if v.number < shown.number]
        base = older[-1] if older else self.versions[0]
        new = shown if older else self.versions[-1]
        self._open(VersionCompareDialog(self.ctx, self.versions, base.id, new.id, self))

    def _open(self, dialog: QDialog) -> QDialog:
        self.active_dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._dialog_finished)
        dialog.open()
        return dialog

    def _dialog_finished(self, result: int) -> None:
        dialog = self.active_dialog
        self.active_dialog = None
        if result == QDialog.DialogCode.Accepted and not isinstance(
                dialog, PdfPreviewDialog | VersionCompareDialog):
            self._mandates.clear()
            self.planChanged.emit(self.household_id)
            keep = self.shown.id if self.shown else None
            self.reload(keep)
            if isinstance(dialog, RegieDialog):
                self._say(self.tr("De regie is overgedragen."))


