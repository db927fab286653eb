"""The caseload: my households (or all in this case file), searchable and filterable.

Search runs in SQL after a short pause in typing; sorting is done by the model itself
(no proxy model), so the list stays quick with tens of thousands of persons.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wijkteam_app.domain.cases import CaseStatus, UrgencyCriterion
from wijkteam_app.errors import WijkteamError
from wijkteam_app.services.deadlines import DeadlineService
from wijkteam_app.services.households import CaseloadFilter, HouseholdService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui import labels
from wijkteam_app.ui.i18n import error_text
from wijkteam_app.ui.models.household_table_model import (
    Column,
    HouseholdTableModel,
    column_title,
)
from wijkteam_app.ui.pages.todo_panel import TodoPanel
from wijkteam_app.ui.widgets import RowDelegate, heading_label, muted_label

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 200
LIST_LIMIT = 500

_COLUMN_WIDTHS = {
    Column.ADDRESS: 172,
    Column.POSTCODE: 84,
    Column.WIJK: 90,
    Column.STATUS: 150,
    Column.URGENCY: 150,
    Column.NEXT_EVALUATION: 140,
    Column.MEMBERS: 62,
    Column.UNSYNCED: 120,
    Column.DEADLINES: 112,
}


# Room a header section needs beside its title: the stylesheet's padding (9 + 6 px), the
# sort indicator of a sorted column and a little air.
HEADER_EXTRA = 9 + 6 + 20 + 6


def title_width(header: QHeaderView, column: Column) -> int:
    """The width at which a column's title shows whole, also with the sort indicator (a
    narrower section clipped "Niet gesynchroniseerd" to "t gesynchronise")."""
    font = header.font()
    font.setBold(True)  # some styles draw the sorted section's title bold
    return QFontMetrics(font).horizontalAdvance(column_title(column)) + HEADER_EXTRA


class CaseloadPage(QWidget):
    householdActivated = Signal(str)  # noqa: N815 (Qt signal naming)
    newIntakeRequested = Signal()  # noqa: N815
    countChanged = Signal(str)  # noqa: N815

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self._service = HouseholdService(workspace)
        self.may_register = True  # set by the window from the service (`set_may_register`)

        self.search = QLineEdit()
        self.search.setPlaceholderText(
            self.tr("Zoek op naam, postcode + huisnummer, BSN of geboortedatum"))
        self.search.setAccessibleName(self.tr("Zoeken in huishoudens"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(420)
        self.search.setMinimumHeight(32)

        self.scope = self._combo(self.tr("Welke huishoudens"))
        self.scope.addItem(self.tr("Mijn caseload"), "mine")
        self.scope.addItem(self.tr("Alle huishoudens in dit dossier"), "all")
        self.status = self._combo(self.tr("Filter op status"))
        self.status.addItem(self.tr("Alle statussen"), None)
        for status in CaseStatus:
            self.status.addItem(labels.status_label(status), status.value)
        self.wijk = self._combo(self.tr("Filter op wijk"))
        self.urgency = self._combo(self.tr("Filter op urgentie"))
        self.urgency.addItem(self.tr("Alle urgenties"), None)
        for criterion in UrgencyCriterion:
            self.urgency.addItem(labels.urgency_label(criterion), criterion.value)
        self.wijk.addItem(self.tr("Alle wijken"), None)  # the others come with reload()

        self.new_intake = QPushButton(self.tr("&Nieuwe aanmelding"))
        self.new_intake.setToolTip(self.tr("Een nieuw huishouden aanmelden (Ctrl+N)"))
        self.new_intake.clicked.connect(self.newIntakeRequested)

        self.model = HouseholdTableModel(parent=self)
        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Huishoudens"))
        self._configure_table()

        self.empty_title = QLabel(self.tr("Geen huishoudens gevonden."))
        self.empty_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.empty_title.font()
        font.setPointSizeF(font.pointSizeF() + 2)
        self.empty_title.setFont(font)
        self.empty_hint = muted_label("")
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty = QFrame()
        empty.setObjectName("emptyState")
        empty_layout = QVBoxLayout(empty)
        empty_layout.addStretch(2)
        empty_layout.addWidget(self.empty_title)
        empty_layout.addWidget(self.empty_hint)
        empty_layout.addStretch(3)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(empty)

        header = QHBoxLayout()
        header.setSpacing(12)
        header.addWidget(heading_label(self.tr("Huishoudens"), 5.0))
        header.addStretch(1)
        header.addWidget(self.search)

        filters = QHBoxLayout()
        filters.setSpacing(8)
        for widget in (self.scope, self.status, self.wijk, self.urgency):
            filters.addWidget(widget)
        filters.addStretch(1)
        filters.addWidget(self.new_intake)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.setSpacing(10)
        layout.addLayout(header)
        self.todo = TodoPanel(workspace)  # "Te doen": deadlines from the case file
        self._deadlines = DeadlineService(workspace)
        layout.addWidget(self.todo)
        layout.addLayout(filters)
        layout.addWidget(self.stack, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(lambda: self.refresh(todo=False))
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self._search_now)
        for combo in (self.scope, self.status, self.wijk, self.urgency):
            combo.currentIndexChanged.connect(self._search_now)
        self.setTabOrder(self.search, self.scope)
        self.setTabOrder(self.scope, self.status)
        self.setTabOrder(self.status, self.wijk)
        self.setTabOrder(self.wijk, self.urgency)
        self.setTabOrder(self.urgency, self.new_intake)
        self.setTabOrder(self.new_intake, self.table)
        self._shown_filter: CaseloadFilter | None = None
        # Nothing is read yet: the main window calls reload() once it has painted.

    # --- building --------------------------------------------------------------------------

    def _combo(self, accessible: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(accessible)
        combo.setToolTip(accessible)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        return combo

    def _fill_wijken(self) -> None:
        current = self.wijk.currentData()
        self.wijk.blockSignals(True)
        self.wijk.clear()
        self.wijk.addItem(self.tr("Alle wijken"), None)
        for name in sorted(set(self._service.wijken()) | set(self._workspace.team.wijken)):
            self.wijk.addItem(name, name)
        index = self.wijk.findData(current)
        self.wijk.setCurrentIndex(max(index, 0))
        self.wijk.blockSignals(False)

    def _configure_table(self) -> None:
        table = self.table
        table.setModel(self.model)
        table.setItemDelegate(RowDelegate(table))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setShowGrid(False)
        table.setWordWrap(False)
        table.setTabKeyNavigation(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = table.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        row_height = table.fontMetrics().height() + 14
        rows.setDefaultSectionSize(row_height)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setMinimumHeight(row_height + 2)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(56)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
        for column, width in _COLUMN_WIDTHS.items():
            header.resizeSection(column, max(width, title_width(header, column)))
        header.setSortIndicator(Column.NAME, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)
        table.activated.connect(self._activate)

    # --- behaviour -------------------------------------------------------------------------

    def current_filter(self) -> CaseloadFilter:
        mine = self.scope.currentData() == "mine"
        return CaseloadFilter(
            text=self.search.text(),
            worker_id=self._workspace.worker.id if mine else None,
            status=self.status.currentData(),
            wijk=self.wijk.currentData(),
            urgency=self.urgency.currentData(),
            limit=LIST_LIMIT,
        )

    def set_may_register(self, may: bool) -> None:
        """Without intakes (a toetser): no "Nieuwe aanmelding", and the list starts with every
        household on this laptop, since such a worker has no caseload of their own."""
        self.may_register = may
        self.new_intake.setVisible(may)
        if not may and self.scope.currentData() == "mine":
            self.scope.blockSignals(True)  # the caller reads the list (once, not here too)
            self.scope.setCurrentIndex(self.scope.findData("all"))
            self.scope.blockSignals(False)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _search_now(self) -> None:
        self._search_timer.stop()
        self.refresh(todo=False)  # a search or filter does not change what is due

    def refresh(self, todo: bool = True) -> None:
        """Run the search again: ids and the first rows now, the rest as the list scrolls,
        each row with its deadline marks; the "Te doen" list too
        unless the refresh comes from the search field or a filter. With the same search as
        before (a sync or a save changed the list) the selected household and the scroll
        position stay where they were."""
        flt = self.current_filter()
        self.loaded_at = time.monotonic()  # what was saved before this is shown
        same = flt == self._shown_filter
        selected = self._selected_id() if same else None
        top = self.table.rowAt(0) if same else -1
        try:
            result = self._service.caseload_result(flt)
        except WijkteamError as exc:
            log.warning("caseload query failed: %s", exc.code)
            self.countChanged.emit(error_text(exc.code))
            return
        self._shown_filter = flt
        try:
            self.model.set_result(result.ids, result.rows, self._service.summaries,
                                  self._deadlines.marks)
        except WijkteamError as exc:
            log.warning("caseload marks failed: %s", exc.code)
            self.countChanged.emit(error_text(exc.code))
            return
        if todo:
            self.todo.refresh()
        self._show_counts(self.model.total(), filtered=bool(flt.text.strip()) or any(
            (flt.status, flt.wijk, flt.urgency)))
        if selected:
            row = self.model.row_of(selected)
            if row >= 0:
                self.table.selectionModel().setCurrentIndex(
                    self.model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)
        if top > 0:  # last: the rows above stay above, as the worker left them
            while self.model.rowCount() <= top and self.model.canFetchMore():
                self.model.fetchMore()
            self.table.scrollTo(self.model.index(min(top, self.model.rowCount() - 1), 0),
                                QAbstractItemView.ScrollHint.PositionAtTop)

    def _selected_id(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.summary(index.row()).id

    def reload(self, select_id: str | None = None) -> None:
        """The first load, and after a save elsewhere: the wijk list and the rows,
        optionally selecting one."""
        self._fill_wijken()
        self.refresh()
        if select_id:
            self.select(select_id)

    def select(self, household_id: str) -> None:
        row = self.model.row_of(household_id)
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def _show_counts(self, count: int, filtered: bool) -> None:
        if count >= LIST_LIMIT:
            text = self.tr("Eerste {count} huishoudens — verfijn de zoekopdracht").format(
                count=count)
        elif count == 1:
            text = self.tr("1 huishouden")
        else:
            text = self.tr("{count} huishoudens").format(count=count)
        self.countChanged.emit(text)
        if count:
            self.stack.setCurrentIndex(0)
            return
        if filtered:
            self.empty_hint.setText(self.tr(
                "Controleer de spelling of de filters, of zoek op postcode en huisnummer, "
                "bijvoorbeeld 1234 AB 12."))
        elif not self.may_register:
            self.empty_hint.setText(self.tr(
                "Er staan (nog) geen huishoudens voor u op deze laptop; ze komen mee met de "
                "synchronisatie."))
        else:
            self.empty_hint.setText(self.tr(
                "Er staan nog geen huishoudens in uw caseload. Kies ‘Nieuwe aanmelding’ "
                "(Ctrl+N) om er een toe te voegen."))
        self.stack.setCurrentIndex(1)

    def _activate(self, index: QModelIndex) -> None:
        if index.isValid():
            self.householdActivated.emit(self.model.summary(index.row()).id)

    def stop(self) -> None:
        """Before the lock screen or closing: no more reads of the case file."""
        self._search_timer.stop()
        self.todo.stop()

    def resume(self) -> None:
        self.todo.resume()
