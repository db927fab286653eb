"""The main window: the searchable household list of the unlocked case file."""

from __future__ import annotations

import logging

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wijkteam_app import __version__
from wijkteam_app.errors import WijkteamError
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.i18n import error_text
from wijkteam_app.ui.models.household_table_model import Column, HouseholdTableModel
from wijkteam_app.ui.widgets import RowDelegate, heading_label, muted_label

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 200
LIST_LIMIT = 500

# Initial widths in pixels; the name column takes the remaining space.
_COLUMN_WIDTHS = {
    Column.ADDRESS: 210,
    Column.POSTCODE: 94,
    Column.CITY: 124,
    Column.WIJK: 100,
    Column.MEMBERS: 70,
    Column.STATUS: 160,
    Column.UNSYNCED: 176,
}


class MainWindow(QMainWindow):
    """Lists the households; the case-work pages build on this window later."""

    householdActivated = Signal(str)  # noqa: N815 (Qt signal naming)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self._service = HouseholdService(workspace)
        self._closed = False

        self.setWindowTitle(self.tr("Wijkteam — {team}").format(team=workspace.team.name))
        self.resize(1200, 760)
        self.setMinimumSize(900, 560)

        self._build_menus()

        self.search = QLineEdit()
        self.search.setPlaceholderText(
            self.tr("Zoek op naam, postcode + huisnummer, BSN of geboortedatum"))
        self.search.setAccessibleName(self.tr("Zoeken in huishoudens"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(460)
        self.search.setMinimumHeight(32)

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

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.setSpacing(10)
        layout.addLayout(header)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.offline_label = QLabel(self.tr("Offline — lokaal dossier"))
        self.count_label = QLabel()
        self.worker_label = QLabel(
            self.tr("Medewerker: {name}").format(name=workspace.worker.display_name))
        status = self.statusBar()
        status.addWidget(self.offline_label)
        status.addWidget(self._separator())
        status.addWidget(self.count_label)
        status.addPermanentWidget(self.worker_label)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self._search_now)
        find = QShortcut(QKeySequence("Ctrl+F"), self)
        find.activated.connect(self.focus_search)

        self.refresh()
        self.search.setFocus()

    # --- building --------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&Bestand"))
        quit_action = QAction(self.tr("&Afsluiten"), self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about_action = QAction(self.tr("&Over Wijkteam"), self)
        about_action.setMenuRole(QAction.MenuRole.AboutRole)
        about_action.triggered.connect(self.show_about)
        help_menu.addAction(about_action)
        self.quit_action = quit_action
        self.about_action = about_action

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
        header.setMinimumSectionSize(60)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
        for column, width in _COLUMN_WIDTHS.items():
            header.resizeSection(column, width)
        header.setSortIndicator(Column.NAME, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)
        table.activated.connect(self._activate)

    @staticmethod
    def _separator() -> QLabel:
        label = QLabel("·")
        label.setAccessibleName("")
        return label

    # --- behaviour -------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _search_now(self) -> None:
        self._search_timer.stop()
        self.refresh()

    def refresh(self) -> None:
        """Run the current search and show its result."""
        text = self.search.text()
        try:
            rows = self._service.list(text, limit=LIST_LIMIT)
        except WijkteamError as exc:
            log.warning("household search failed: %s", exc.code)
            self.statusBar().showMessage(error_text(exc.code), 8000)
            return
        self.model.set_rows(rows)
        self._update_counts(len(rows), searching=bool(text.strip()))

    def _update_counts(self, count: int, searching: bool) -> None:
        if count >= LIST_LIMIT:
            text = self.tr("Eerste {count} huishoudens — verfijn de zoekopdracht").format(
                count=count)
        elif count == 1:
            text = self.tr("1 huishouden")
        else:
            text = self.tr("{count} huishoudens").format(count=count)
        self.count_label.setText(text)
        if count:
            self.stack.setCurrentIndex(0)
            return
        if searching:
            self.empty_hint.setText(self.tr(
                "Controleer de spelling, of zoek op postcode en huisnummer, bijvoorbeeld "
                "1234 AB 12."))
        else:
            self.empty_hint.setText(self.tr("Er staan nog geen huishoudens in dit dossier."))
        self.stack.setCurrentIndex(1)

    def _activate(self, index: QModelIndex) -> None:
        if index.isValid():
            self.householdActivated.emit(self.model.summary(index.row()).id)

    def show_about(self) -> None:
        QMessageBox.about(self, self.tr("Over Wijkteam"), self.tr(
            "<p><b>Wijkteam {version}</b></p>"
            "<p>Dossier en ondersteuningsplan voor het sociaal wijkteam.</p>"
            "<p>Alle gegevens staan versleuteld op deze laptop.</p>"
        ).format(version=__version__))

    def close_workspace(self) -> None:
        """Close the case file once; safe to call more than once."""
        if not self._closed:
            self._closed = True
            self._search_timer.stop()
            self._workspace.close()
            log.info("workspace closed")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self.close_workspace()
        super().closeEvent(event)
