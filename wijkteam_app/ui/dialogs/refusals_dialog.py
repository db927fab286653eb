"""Geweigerd door de server: the change-sets the municipal server refused, and its warnings.

Per change-set the household, what was done, when, and why in Dutch with what to do
(`wijkteam_app.messages.refusal_message`). Nothing was thrown away: the refused data stays
on this laptop, readable (a refused plan shows read-only on the household's Plan tab), and
"Huishouden openen" goes there. Reached from the status bar's "geweigerd" indicator and the
Synchronisatie menu.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from html import escape

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wijkteam_app.messages import refusal_message, warning_message
from wijkteam_app.services.sync import RefusalView, SyncService, SyncWarningView
from wijkteam_app.ui.i18n import MESSAGES_CONTEXT
from wijkteam_app.ui.labels import QT_TRANSLATE_NOOP
from wijkteam_app.ui.models.row_model import ColumnSpec, RowTableModel
from wijkteam_app.ui.widgets import RowDelegate, heading_label, muted_label

_CONTEXT = "RefusalsDialog"


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


_ACTIONS: dict[str, str] = {
    "aanmelding.registreren": QT_TRANSLATE_NOOP("RefusalsDialog", "Aanmelding geregistreerd"),
    "huishouden.registreren": QT_TRANSLATE_NOOP("RefusalsDialog", "Huishouden geregistreerd"),
    "huishouden.wijzigen": QT_TRANSLATE_NOOP("RefusalsDialog", "Huishouden gewijzigd"),
    "persoon.opslaan": QT_TRANSLATE_NOOP("RefusalsDialog", "Persoon opgeslagen"),
    "netwerk.opslaan": QT_TRANSLATE_NOOP("RefusalsDialog", "Netwerklid opgeslagen"),
    "netwerk.verwijderen": QT_TRANSLATE_NOOP("RefusalsDialog", "Netwerklid verwijderd"),
    "professional.opslaan": QT_TRANSLATE_NOOP("RefusalsDialog", "Professional opgeslagen"),
    "professional.verwijderen": QT_TRANSLATE_NOOP("RefusalsDialog", "Professional verwijderd"),
    "casus.opslaan": QT_TRANSLATE_NOOP("RefusalsDialog", "Casus opgeslagen"),
    "contact.opslaan": QT_TRANSLATE_NOOP("RefusalsDialog", "Contact opgeslagen"),
    "toestemming.opslaan": QT_TRANSLATE_NOOP("RefusalsDialog", "Toestemming opgeslagen"),
    "zrm.vastleggen": QT_TRANSLATE_NOOP("RefusalsDialog", "ZRM vastgelegd"),
    "ladder.vastleggen": QT_TRANSLATE_NOOP("RefusalsDialog", "Participatieladder vastgelegd"),
    "plan.aanmaken": QT_TRANSLATE_NOOP("RefusalsDialog", "Ondersteuningsplan begonnen"),
    "plan.concept_opslaan": QT_TRANSLATE_NOOP("RefusalsDialog", "Concept van het plan opgeslagen"),
    "plan.nieuwe_versie": QT_TRANSLATE_NOOP("RefusalsDialog", "Nieuwe versie van het plan"),
    "plan.indienen": QT_TRANSLATE_NOOP("RefusalsDialog", "Plan ingediend bij de teamcoach"),
    "plan.goedkeuren": QT_TRANSLATE_NOOP("RefusalsDialog", "Plan goedgekeurd"),
    "plan.terugsturen": QT_TRANSLATE_NOOP("RefusalsDialog", "Plan teruggestuurd"),
    "plan.toets": QT_TRANSLATE_NOOP("RefusalsDialog", "Gemeentelijke toets vastgelegd"),
    "plan.ter_ondertekening": QT_TRANSLATE_NOOP("RefusalsDialog", "Plan naar ondertekening"),
    "plan.ondertekenen": QT_TRANSLATE_NOOP("RefusalsDialog", "Ondertekening vastgelegd"),
    "plan.uitvoering": QT_TRANSLATE_NOOP("RefusalsDialog", "Uitvoering gestart"),
    "plan.evalueren": QT_TRANSLATE_NOOP("RefusalsDialog", "Plan geëvalueerd"),
    "plan.afsluiten": QT_TRANSLATE_NOOP("RefusalsDialog", "Plan afgesloten"),
    "regie.opschalen": QT_TRANSLATE_NOOP("RefusalsDialog", "Opgeschaald"),
    "regie.afschalen": QT_TRANSLATE_NOOP("RefusalsDialog", "Afgeschaald"),
}


def action_label(action: str) -> str:
    """What the worker did, in Dutch (the save's action name when unknown)."""
    text = _ACTIONS.get(action)
    return _tr(text) if text else action


def moment_text(moment: datetime) -> str:
    """A UTC moment of the case file in local time, as a Dutch date and time."""
    local = moment.replace(tzinfo=UTC).astimezone()
    return local.strftime("%d-%m-%Y %H:%M")


def refusal_text(code: str | None) -> str:
    return QCoreApplication.translate(MESSAGES_CONTEXT, refusal_message(code))


def warning_text(code: str) -> str:
    return QCoreApplication.translate(MESSAGES_CONTEXT, warning_message(code))


def _household(name: str | None) -> str:
    return name or _tr("(huishouden niet meer op deze laptop)")


class RefusalsModel(RowTableModel[RefusalView]):
    """Refused change-sets, newest first: household, what, when."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self._columns: list[ColumnSpec[RefusalView]] = [
            ColumnSpec(self.tr("Huishouden"), lambda r: _household(r.household_name)),
            ColumnSpec(self.tr("Wijziging"), lambda r: action_label(r.action)),
            ColumnSpec(self.tr("Gemaakt op"), lambda r: moment_text(r.made_at)),
            ColumnSpec(self.tr("Geweigerd op"), lambda r: moment_text(r.refused_at)),
        ]

    def columns(self) -> Sequence[ColumnSpec[RefusalView]]:
        return self._columns

    def ordered(self, rows: Sequence[RefusalView]) -> list[RefusalView]:
        return sorted(rows, key=lambda r: r.made_at, reverse=True)

    def object_id(self, item: RefusalView) -> str:
        return item.changeset_id

    def tooltip(self, item: RefusalView, column: int) -> str:
        return refusal_text(item.reason)


class WarningsModel(RowTableModel[SyncWarningView]):
    """Accepted change-sets the server flagged, newest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self._columns: list[ColumnSpec[SyncWarningView]] = [
            ColumnSpec(self.tr("Huishouden"), lambda w: _household(w.household_name)),
            ColumnSpec(self.tr("Wijziging"), lambda w: action_label(w.action)),
            ColumnSpec(self.tr("Gemaakt op"), lambda w: moment_text(w.made_at)),
        ]

    def columns(self) -> Sequence[ColumnSpec[SyncWarningView]]:
        return self._columns

    def ordered(self, rows: Sequence[SyncWarningView]) -> list[SyncWarningView]:
        return sorted(rows, key=lambda w: w.made_at, reverse=True)

    def object_id(self, item: SyncWarningView) -> str:
        return f"{item.changeset_id}:{item.code}"

    def tooltip(self, item: SyncWarningView, column: int) -> str:
        return warning_text(item.code)


def _table(model: RowTableModel[RefusalView] | RowTableModel[SyncWarningView],
           name: str) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setItemDelegate(RowDelegate(view))
    view.setAlternatingRowColors(True)
    view.setTabKeyNavigation(False)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return view


class RefusalsDialog(QDialog):
    """The server's refusals and warnings; `householdRequested(id)` opens a household."""

    householdRequested = Signal(str)  # noqa: N815 (Qt signal naming)

    def __init__(self, service: SyncService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.setWindowTitle(self.tr("Geweigerd door de server"))
        self.resize(900, 560)

        self.refusals_model = RefusalsModel(self)
        self.refusals_table = _table(self.refusals_model,
                                     self.tr("Wijzigingen die de server weigerde"))
        self.warnings_model = WarningsModel(self)
        self.warnings_table = _table(self.warnings_model, self.tr("Meldingen van de server"))
        self.warnings_heading = heading_label(self.tr("Meldingen van de server"), 1.5)
        self.empty_label = muted_label(self.tr(
            "De server heeft geen wijzigingen van deze laptop geweigerd."))
        self.detail = QLabel()
        self.detail.setObjectName("refusalDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setStyleSheet("QLabel#refusalDetail { background: #fdecea; border: 1px "
                                  "solid #b42318; border-radius: 4px; padding: 8px 10px; }")
        self.detail.setMinimumHeight(72)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        self.open_button = QPushButton(self.tr("Huishouden &openen"))
        self.open_button.setAutoDefault(False)
        self.open_button.clicked.connect(self.open_household)
        self.close_button = QPushButton(self.tr("&Sluiten"))
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.setSpacing(8)
        layout.addWidget(heading_label(self.tr("Geweigerd door de server"), 3.0))
        layout.addWidget(muted_label(self.tr(
            "De server van de gemeente heeft deze wijzigingen niet overgenomen. Er is niets "
            "weggegooid: uw gegevens blijven op deze laptop bewaard en leesbaar. Kies een regel "
            "voor de uitleg en wat u kunt doen.")))
        layout.addWidget(self.empty_label)
        layout.addWidget(self.refusals_table, 3)
        layout.addWidget(self.warnings_heading)
        layout.addWidget(self.warnings_table, 1)
        layout.addWidget(self.detail)
        layout.addLayout(buttons)

        self._selected_household: str | None = None
        for table in (self.refusals_table, self.warnings_table):
            table.selectionModel().selectionChanged.connect(
                lambda _new, _old, table=table: self._picked(table))
        self.refusals_table.activated.connect(lambda _index: self.open_household())
        self.warnings_table.activated.connect(lambda _index: self.open_household())
        self.reload()

    def reload(self) -> None:
        refusals = self.service.refusals()
        warnings = self.service.warnings()
        self.refusals_model.set_rows(refusals)
        self.warnings_model.set_rows(warnings)
        self.refusals_table.setVisible(bool(refusals))
        self.empty_label.setVisible(not refusals)
        self.warnings_heading.setVisible(bool(warnings))
        self.warnings_table.setVisible(bool(warnings))
        self._selected_household = None
        self.detail.setVisible(False)
        self.open_button.setEnabled(False)
        if refusals:
            self.refusals_table.selectRow(0)
            self.refusals_table.setFocus()
        elif warnings:
            self.warnings_table.selectRow(0)
            self.warnings_table.setFocus()

    def _picked(self, table: QTableView) -> None:
        """One row of either list is chosen at a time; the explanation is that row's."""
        rows = table.selectionModel().selectedRows()
        if not rows:
            return
        if table is self.refusals_table:
            self.warnings_table.clearSelection()
            self._show_refusal(rows[0].row())
        else:
            self.refusals_table.clearSelection()
            self._show_warning(rows[0].row())

    def _show_refusal(self, row: int) -> None:
        if not 0 <= row < self.refusals_model.rowCount():
            return
        item = self.refusals_model.item(row)
        self._show_detail(
            self.tr("%1 — %2").replace("%1", escape(_household(item.household_name)))
            .replace("%2", escape(action_label(item.action))),
            refusal_text(item.reason), item.household_id if item.household_name else None,
            refused=True)

    def _show_warning(self, row: int) -> None:
        if not 0 <= row < self.warnings_model.rowCount():
            return
        item = self.warnings_model.item(row)
        self._show_detail(
            self.tr("%1 — %2").replace("%1", escape(_household(item.household_name)))
            .replace("%2", escape(action_label(item.action))),
            warning_text(item.code), item.household_id if item.household_name else None,
            refused=False)

    def _show_detail(self, title: str, text: str, household_id: str | None,
                     refused: bool) -> None:
        colours = ("#fdecea", "#b42318") if refused else ("#fff7e0", "#e0b44c")
        self.detail.setStyleSheet(
            f"QLabel#refusalDetail {{ background: {colours[0]}; border: 1px solid "
            f"{colours[1]}; border-radius: 4px; padding: 8px 10px; }}")
        self.detail.setText(f"<b>{title}</b><br>{escape(text)}")
        self.detail.setAccessibleName(text)
        self.detail.setVisible(True)
        self._selected_household = household_id
        self.open_button.setEnabled(household_id is not None)

    def explanation(self) -> str:
        """The explanation now shown (plain text)."""
        return "" if self.detail.isHidden() else self.detail.accessibleName()

    def open_household(self) -> None:
        if self._selected_household:
            self.householdRequested.emit(self._selected_household)
            self.accept()
