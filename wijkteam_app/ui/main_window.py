"""The main window: a thin shell around the caseload and the household page.

Menus, shortcuts and the status bar live here; each page owns its own behaviour.

Start-up is built to paint first. The window can start without a case file (`opener`): it
paints a busy page at once, then unlocks, builds the pages and loads the caseload. Given an
open workspace it builds the pages at once but loads the caseload after its first paint
either way. `is_ready`/`ready` say when the caseload is shown. Modules the first screen does
not need (the pages' services, the sync stack, the dialogs) are imported when used; the
sync service starts right after the caseload is shown.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QGuiApplication,
    QKeySequence,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wijkteam_app import __version__
from wijkteam_app.domain.workers import Role
from wijkteam_app.errors import WijkteamError
from wijkteam_app.ui.widgets import heading_label, muted_label

if TYPE_CHECKING:
    from wijkteam_app.services.access_log import AccessLogService
    from wijkteam_app.services.drafts import DraftService
    from wijkteam_app.services.profile import Workspace
    from wijkteam_app.services.sync import SyncReport, SyncService, SyncStatus
    from wijkteam_app.ui.controllers.dashboard_warmer import DashboardWarmer
    from wijkteam_app.ui.controllers.lock_controller import AppLocker
    from wijkteam_app.ui.controllers.sync_controller import SyncController
    from wijkteam_app.ui.models.household_table_model import HouseholdTableModel
    from wijkteam_app.ui.pages.assessments_panel import AssessmentsPanel
    from wijkteam_app.ui.pages.caseload_page import CaseloadPage
    from wijkteam_app.ui.pages.casework_pages import (
        StuckCasesPage,
    )
    from wijkteam_app.ui.pages.household_page import HouseholdPage
    from wijkteam_app.ui.pages.plan_page import PlanPage
    from wijkteam_app.ui.pages.review_page import ReviewPage
    from wijkteam_app.ui.pages.team_page import TeamPage

log = logging.getLogger(__name__)

Opener = Callable[[], "Workspace"]

PREBUILD_DELAY_MS = 250  # after the caseload is shown: the other pages are made then


def _ask_experience(parent: QWidget) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, parent.tr("Klantervaring"), parent.tr(
        "Het plan is geëvalueerd of afgesloten. Wilt u de inwoner nu de vragen over de "
        "klantervaring stellen?"), parent=parent)
    yes = box.addButton(parent.tr("&Ja"), QMessageBox.ButtonRole.YesRole)
    no = box.addButton(parent.tr("&Later"), QMessageBox.ButtonRole.NoRole)
    box.setDefaultButton(no)
    box.exec()
    return box.clickedButton() is yes


class MainWindow(QMainWindow):
    householdActivated = Signal(str)  # noqa: N815 (Qt signal naming)
    ready = Signal()  # the caseload is shown (after the first paint)
    _saved = Signal(object)  # household ids of a committed save (from any thread)

    def __init__(self, workspace: Workspace | None = None, parent: QWidget | None = None, *,
                 opener: Opener | None = None) -> None:
        super().__init__(parent)
        self._closed = False
        self._painted = False
        self._attached = False
        self._ready = False
        self._opener = opener
        self._sync_service: SyncService | None = None
        self._sync: SyncController | None = None
        self.open_error: BaseException | None = None  # what `opener` raised, if anything
        self._changed_households: set[str] = set()
        self._changed_at = 0.0  # monotonic time of the latest change not yet shown
        self._live_timer = QTimer(self)  # collects the changes of one action or sync
        self._live_timer.setSingleShot(True)
        self._live_timer.setInterval(0)
        self._live_timer.timeout.connect(self._refresh_live)
        self._saved.connect(self._households_changed)  # queued when saved off the GUI thread

        self.setWindowTitle(self.tr("Wijkteam"))
        self.resize(1280, 760)
        self.setMinimumSize(960, 560)
        self.setCentralWidget(self._build_busy_page())
        QGuiApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        if workspace is not None:
            self._attach(workspace)
        # Not shown (tests, scripts): no paint will come, so load on the next turn.
        QTimer.singleShot(0, self._start_if_hidden)

    # --- start-up --------------------------------------------------------------------------

    @property
    def is_ready(self) -> bool:
        """True once the caseload is shown."""
        return self._ready

    def _build_busy_page(self) -> QWidget:
        page = QFrame()
        page.setObjectName("emptyState")
        layout = QVBoxLayout(page)
        layout.addStretch(2)
        self.busy_title = heading_label(self.tr("Wijkteam"), 5.0)
        self.busy_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.busy_text = muted_label(self.tr("Uw dossier wordt geopend…"))
        self.busy_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.busy_title)
        layout.addWidget(self.busy_text)
        layout.addStretch(3)
        self.statusBar().showMessage(self.tr("Bezig met openen…"))
        return page

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._painted:
            self._painted = True
            QTimer.singleShot(0, self._continue_start)  # after this first paint
        return super().event(event)

    def _start_if_hidden(self) -> None:
        if not self.isVisible() and not self._painted:
            self._continue_start()

    def _continue_start(self) -> None:
        """After the first paint: open the case file if needed, then show the caseload."""
        if self._ready or self._closed:
            return
        if not self._attached:
            opener, self._opener = self._opener, None
            if opener is None:
                return
            try:
                workspace = opener()
            except Exception as exc:  # handed back to the caller of run() (the CLI)
                self.open_error = exc
                self._finish_busy()
                self._closed = True  # there is no case file to close
                self.close()
                return
            self._attach(workspace)
        self.caseload.reload()
        self._update_drafts_banner()
        self.caseload.search.setFocus()
        self._finish_busy()
        self._ready = True
        # Everything the start-up made lives as long as the window (modules, widgets, the
        # mappings: ~200,000 objects); out of the cyclic collector's view, a full
        # collection no longer scans them all (~100 ms on the UI thread, now and then in
        # the middle of opening a household). See also DashboardWarmer._prepared.
        gc.freeze()
        self.ready.emit()
        self.locker.start()
        if self.isVisible():  # (a window never shown prepares nothing in the background)
            self.dashboard_warmer.start()
        QTimer.singleShot(0, self._start_sync)
        QTimer.singleShot(PREBUILD_DELAY_MS, self._prebuild)
        if self._workspace.worker.role is Role.BRANDPUNTFUNCTIONARIS:
            self.show_stuck_cases()  # their work is the stuck cases, not a caseload

    def _finish_busy(self) -> None:
        if QGuiApplication.overrideCursor() is not None:
            QGuiApplication.restoreOverrideCursor()
        self.statusBar().clearMessage()

    def _attach(self, workspace: Workspace) -> None:
        """Build the pages on an open workspace (the caseload is loaded after painting)."""
        from wijkteam_app.services.access_log import AccessLogService
        from wijkteam_app.services.drafts import DraftService
        from wijkteam_app.ui.controllers.dashboard_warmer import DashboardWarmer
        from wijkteam_app.ui.controllers.lock_controller import AppLocker
        from wijkteam_app.ui.pages.caseload_page import CaseloadPage

        self._attached = True
        self._workspace = workspace
        self._drafts: DraftService = DraftService(workspace)
        self.access_log: AccessLogService = AccessLogService(workspace)
        self.locker: AppLocker = AppLocker(
            workspace, self, before_lock=self._before_lock, after_unlock=self._after_unlock,
            worker_name=lambda: self._workspace.worker.display_name)

        self.setWindowTitle(self.window_title())

        # The caseload is the first screen; the household pages (with the assessments and the
        # plan) and the review page are made when first needed, or shortly after the caseload
        # is shown (`_prebuild`).
        self.caseload: CaseloadPage = CaseloadPage(workspace)
        self._household: HouseholdPage | None = None
        self._assessments: AssessmentsPanel | None = None
        self._plan: PlanPage | None = None
        self._review: ReviewPage | None = None
        self._stuck_cases: StuckCasesPage | None = None
        self.team: TeamPage | None = None  # made when the Team menu is first used
        self.confirm_experience = _ask_experience
        # ... and prepared in the background once this window is idle (docs/performance.md).
        self.dashboard_warmer: DashboardWarmer = DashboardWarmer(
            workspace, self, user_quiet_ms=lambda: self.locker.idle.quiet_ms())
        self.pages = QStackedWidget()
        self.pages.addWidget(self.caseload)

        self.drafts_banner = self._build_drafts_banner()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.drafts_banner)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self._build_menus()
        self.statusBar().clearMessage()  # (widgets added under a message would stay hidden)
        self._build_status_bar()

        self.caseload.countChanged.connect(self.count_label.setText)
        self.caseload.householdActivated.connect(self.open_household)
        self.caseload.householdActivated.connect(self.householdActivated)
        self.caseload.newIntakeRequested.connect(self.new_intake)
        self.caseload.todo.householdActivated.connect(self.open_household)

        QShortcut(QKeySequence("Ctrl+F"), self).activated.connect(self.focus_search)
        QShortcut(QKeySequence("Alt+Left"), self).activated.connect(self.show_caseload)
        QShortcut(QKeySequence("Ctrl+7"), self).activated.connect(self.show_plan_tab)
        self._save_listener = self._saved.emit
        workspace.add_save_listener(self._save_listener)

        self._apply_role()
        self.count_label.setText(self.tr("Caseload wordt geladen…"))
        if workspace.backup_path is not None:
            self.statusBar().showMessage(QCoreApplication.translate(
                "app", "Uw dossier is bijgewerkt voor Wijkteam {version}. Vooraf is een "
                "versleutelde reservekopie gemaakt: {path}").format(
                    version=__version__, path=workspace.backup_path), 0)

    # --- the pages made when first needed -------------------------------------------------

    @property
    def household(self) -> HouseholdPage:
        if self._household is None:
            self._build_household_pages()
        assert self._household is not None
        return self._household

    @property
    def assessments(self) -> AssessmentsPanel:
        if self._assessments is None:
            self._build_household_pages()
        assert self._assessments is not None
        return self._assessments

    @property
    def plan(self) -> PlanPage:
        if self._plan is None:
            self._build_household_pages()
        assert self._plan is not None
        return self._plan

    @property
    def review(self) -> ReviewPage:
        if self._review is None:
            from wijkteam_app.ui.pages.review_page import ReviewPage

            review = ReviewPage(self._workspace)
            self.pages.addWidget(review)
            review.reviewed.connect(lambda _version, _outcome: self.caseload.refresh())
            self._review = review
        return self._review

    @property
    def stuck_cases(self) -> StuckCasesPage:
        if self._stuck_cases is None:
            from wijkteam_app.ui.pages.casework_pages import StuckCasesPage

            page = StuckCasesPage(self._workspace)
            self.pages.addWidget(page)
            page.householdRequested.connect(self.open_household)
            page.decided.connect(lambda _household_id: self.caseload.refresh())
            self._stuck_cases = page
        return self._stuck_cases

    def _build_household_pages(self) -> None:
        """The household page with its tabs, the assessments panel and the plan."""
        from wijkteam_app.services.settings import SettingsService
        from wijkteam_app.ui.pages.assessments_panel import AssessmentsPanel
        from wijkteam_app.ui.pages.household_page import HouseholdPage
        from wijkteam_app.ui.pages.plan_page import PlanPage

        workspace = self._workspace
        household = HouseholdPage(workspace)
        assessments = AssessmentsPanel(workspace)
        container_layout = household.assessments_container.layout()
        if container_layout is None:
            container_layout = QVBoxLayout(household.assessments_container)
            container_layout.setContentsMargins(0, 0, 0, 0)
        container_layout.addWidget(assessments)
        plan = PlanPage(workspace)
        plan.report_settings = SettingsService(workspace).report_settings()
        household.tabs.addTab(plan, self.tr("Plan"))
        household.tabs.setTabToolTip(household.tabs.count() - 1, self.tr("Ctrl+7"))
        self.pages.addWidget(household)

        household.backRequested.connect(self.show_caseload)
        household.zrmRequested.connect(self.score_zrm)
        household.ladderRequested.connect(self._ladder_for_person)
        assessments.zrmRequested.connect(self.score_zrm)
        assessments.ladderRequested.connect(self._ladder_for_person)
        assessments.ladderCorrectionRequested.connect(self._correct_ladder)
        plan.planChanged.connect(lambda _household_id: self.caseload.refresh())
        self._household, self._assessments, self._plan = household, assessments, plan
        self._add_casework(workspace)

    def _prebuild(self) -> None:
        """Make the other pages while the worker looks at the list, so the first household
        opens as fast as the next."""
        if not self._closed and self._attached:
            _ = self.household, self.review

    # --- sync (started after the caseload is shown) ---------------------------------------

    @property
    def sync_service(self) -> SyncService:
        if self._sync_service is None:
            from wijkteam_app.services.sync import SyncService

            self._sync_service = SyncService(self._workspace)
        return self._sync_service

    @property
    def sync(self) -> SyncController:
        if self._sync is None:
            from wijkteam_app.ui.controllers.sync_controller import SyncController

            controller = SyncController(self.sync_service, self)
            controller.status_changed.connect(self._show_sync_status)
            controller.status_changed.connect(lambda _status: self._update_login_action())
            controller.status_changed.connect(self._update_refused_indicator)
            controller.finished.connect(lambda _report: self._refresh_caseload())
            controller.finished.connect(self._reference_data_arrived)
            controller.households_changed.connect(self._households_changed)
            controller.wiped.connect(self._device_wiped)
            self._sync = controller
        return self._sync

    def _start_sync(self) -> None:
        if self._closed or self._workspace.locked:  # locked: unlocking resumes the sync
            return
        self._update_login_action()
        self.sync.start()

    def _sync_now(self) -> None:
        self.sync.sync_now()

    # --- live pages ------------------------------------------------------------------------

    def _households_changed(self, household_ids: object) -> None:
        """A save or a sync changed records of these households: the open pages showing
        them refresh once the current action is done (changes of one action are collected)."""
        if isinstance(household_ids, set | frozenset):
            self._changed_households |= {str(h) for h in household_ids}
        self._changed_at = time.monotonic()
        self._live_timer.start()

    def _refresh_live(self) -> None:
        """Refresh the open pages that show a changed household, unless a page read its
        data again after the change anyway (the page that saved reloads itself)."""
        changed, self._changed_households = self._changed_households, set()
        if self._closed or not self._attached or not changed:
            return

        def stale(page: QWidget) -> bool:
            return float(getattr(page, "loaded_at", 0.0)) < self._changed_at

        if stale(self.caseload):
            self._refresh_caseload()
        household, assessments, plan = self._household, self._assessments, self._plan
        shown = household.current_household_id() if household is not None else ""
        if household is not None and assessments is not None and plan is not None \
                and shown and shown in changed:
            if self.pages.currentWidget() is household and stale(household):
                household.live_reload()
            if stale(assessments):
                assessments.set_household(shown)  # read now if visible, else when shown
            if stale(plan):
                plan.live_refresh()
        if self._review is not None and stale(self._review):
            self._review.live_refresh()

    def _refresh_caseload(self) -> None:
        """The list as it is now, keeping the worker's place (hidden: refreshed when shown)."""
        if not self._closed and self._attached and self.pages.currentWidget() is self.caseload:
            self.caseload.refresh()

    def window_title(self) -> str:
        """"Wijkteam — Team Noord"; a team that is itself called "Wijkteam Noord" is not
        introduced by the app's name a second time."""
        team = self._workspace.team.name.strip()
        if team.casefold().startswith("wijkteam"):
            return team
        return self.tr("Wijkteam — {team}").format(team=team)

    def _reference_data_arrived(self, report: SyncReport) -> None:
        """A sync brought new reference data (name, logo, mandates): the plan page uses it
        (a plan page made later reads it itself)."""
        if report.reference_updated and self._plan is not None:
            from wijkteam_app.services.settings import SettingsService

            self._plan.reference_data_changed(SettingsService(self._workspace).report_settings())

    # --- compatibility accessors used by tests and scripts ---------------------------------

    @property
    def search(self) -> QLineEdit:
        return self.caseload.search

    @property
    def table(self) -> QTableView:
        return self.caseload.table

    @property
    def model(self) -> HouseholdTableModel:
        return self.caseload.model

    # --- issue 13: keukentafel, overleg, vastgelopen, klantervaring, te doen -----------------

    def _add_casework(self, workspace: Workspace) -> None:
        """The keukentafel and overleg tabs and the case panel, made with the household
        page."""
        from wijkteam_app.services.settings import SettingsService
        from wijkteam_app.ui.pages.casework_pages import (
            CaseExtrasPanel,
            ConferencesPanel,
            KitchenTablePanel,
        )

        settings = SettingsService(workspace).report_settings()
        self.kitchen_table = KitchenTablePanel(workspace)
        self.conferences = ConferencesPanel(workspace)
        for panel, title, keys in ((self.kitchen_table, self.tr("Keukentafel"), "Ctrl+8"),
                                   (self.conferences, self.tr("Overleg"), "Ctrl+9")):
            panel.report_settings = settings
            self.household.tabs.addTab(panel, title)
            self.household.tabs.setTabToolTip(self.household.tabs.count() - 1, keys)
            QShortcut(QKeySequence(keys), self).activated.connect(
                lambda panel=panel: self._show_household_tab(panel))
        self.case_extras = CaseExtrasPanel(workspace)
        self.household.case_extras.addWidget(self.case_extras)
        for changing in (self.kitchen_table, self.conferences, self.case_extras):
            changing.changed.connect(lambda _household_id: self.caseload.refresh())
        self.conferences.changed.connect(self._plan_may_have_changed)
        self.plan.planChanged.connect(self._offer_experience)

    def _show_household_tab(self, panel: QWidget) -> None:
        if self.pages.currentWidget() is self.household:
            self.household.tabs.setCurrentWidget(panel)

    def _plan_may_have_changed(self, household_id: str) -> None:
        if household_id == self.plan.household_id and not self.plan.has_unsaved_changes():
            self.plan.reload()

    def _offer_experience(self, household_id: str) -> None:
        """After an evaluation or closing of the plan: ask the resident's experience."""
        from wijkteam_app.domain.client_experience import Moment
        from wijkteam_app.domain.plans import PlanStatus
        from wijkteam_app.services.client_experience import ClientExperienceService
        from wijkteam_app.services.plans import PlanService

        version = PlanService(self._workspace).current(household_id)
        if version is None or version.status not in (PlanStatus.GEEVALUEERD,
                                                     PlanStatus.AFGESLOTEN):
            return
        moment = (Moment.EVALUATIE if version.status is PlanStatus.GEEVALUEERD
                  else Moment.AFSLUITING)
        since = version.history[-1].at.date() if version.history else version.created_at.date()
        answers = ClientExperienceService(self._workspace).for_household(household_id)
        if any(a.moment is moment and a.answered_on >= since for a in answers):
            return
        if self.case_extras.household_id == household_id and self.confirm_experience(self):
            self.case_extras.ask_experience(moment)

    def show_stuck_cases(self) -> None:
        self.stuck_cases.reload()
        self.pages.setCurrentWidget(self.stuck_cases)
        self.stuck_cases.table.setFocus()

    def show_experience_summary(self) -> None:
        from wijkteam_app.services.client_experience import ClientExperienceService
        from wijkteam_app.ui.dialogs.casework_dialogs import ExperienceSummaryDialog

        summary = ClientExperienceService(self._workspace).summary()
        ExperienceSummaryDialog(summary, self).exec()

    # --- building --------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&Bestand"))
        self.new_intake_action = QAction(self.tr("&Nieuwe aanmelding…"), self)
        self.new_intake_action.setShortcut(QKeySequence("Ctrl+N"))
        self.new_intake_action.triggered.connect(self.new_intake)
        file_menu.addAction(self.new_intake_action)
        self.settings_action = QAction(self.tr("&Instellingen…"), self)
        self.settings_action.triggered.connect(self.show_settings)
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        self.lock_action = QAction(self.tr("&Vergrendelen"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.lock_action.triggered.connect(lambda: self.locker.lock("request"))
        file_menu.addAction(self.lock_action)
        self.quit_action = QAction(self.tr("&Afsluiten"), self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)

        view_menu = self.menuBar().addMenu(self.tr("B&eeld"))
        self.caseload_action = QAction(self.tr("&Caseload"), self)
        self.caseload_action.setShortcut(QKeySequence("Ctrl+L"))
        self.caseload_action.triggered.connect(self.show_caseload)
        view_menu.addAction(self.caseload_action)
        self.review_action = QAction(self.tr("Plannen &beoordelen"), self)
        self.review_action.setShortcut(QKeySequence("Ctrl+B"))
        self.review_action.triggered.connect(self.show_review)
        view_menu.addAction(self.review_action)
        self.stuck_action = QAction(self.tr("&Vastgelopen casussen"), self)
        self.stuck_action.setShortcut(QKeySequence("Ctrl+Shift+B"))
        self.stuck_action.triggered.connect(self.show_stuck_cases)
        view_menu.addAction(self.stuck_action)
        self.experience_action = QAction(self.tr("&Klantervaring (anoniem overzicht)…"), self)
        self.experience_action.triggered.connect(self.show_experience_summary)
        view_menu.addAction(self.experience_action)

        team_menu = self.menuBar().addMenu(self.tr("Tea&m"))
        self.team_action = QAction(self.tr("&Dashboard"), self)
        self.team_action.setShortcut(QKeySequence("Ctrl+T"))
        self.team_action.triggered.connect(self.show_team)
        team_menu.addAction(self.team_action)
        self.report_action = QAction(self.tr("&Rapportage maken…"), self)
        self.report_action.triggered.connect(self.make_report)
        team_menu.addAction(self.report_action)
        view_menu.addSeparator()
        self.access_log_action = QAction(self.tr("Wie heeft dit dossier &ingezien…"), self)
        self.access_log_action.setShortcut(QKeySequence("Ctrl+Shift+I"))
        self.access_log_action.triggered.connect(self.show_access_log)
        view_menu.addAction(self.access_log_action)
        self.rights_action = QAction(self.tr("R&echten van de inwoner…"), self)
        self.rights_action.triggered.connect(self.show_rights)
        view_menu.addAction(self.rights_action)

        sync_menu = self.menuBar().addMenu(self.tr("&Synchronisatie"))
        self.sync_action = QAction(self.tr("&Nu synchroniseren"), self)
        self.sync_action.setShortcut(QKeySequence("F5"))
        self.sync_action.triggered.connect(self._sync_now)
        sync_menu.addAction(self.sync_action)
        self.conflicts_action = QAction(self.tr("&Conflicten…"), self)
        self.conflicts_action.triggered.connect(self.show_conflicts)
        sync_menu.addAction(self.conflicts_action)
        self.refusals_action = QAction(self.tr("&Geweigerd door de server…"), self)
        self.refusals_action.triggered.connect(self.show_refusals)
        sync_menu.addAction(self.refusals_action)
        self.quarantine_action = QAction(self.tr("&Quarantaine bekijken…"), self)
        self.quarantine_action.setEnabled(False)
        self.quarantine_action.triggered.connect(self.show_quarantine)
        sync_menu.addAction(self.quarantine_action)
        self.login_action = QAction(self.tr("&Aanmelden bij de server…"), self)
        self.login_action.triggered.connect(self.log_in)
        sync_menu.addAction(self.login_action)
        self.login_action.setEnabled(False)  # until the sync status is known

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        shortcuts = QAction(self.tr("&Sneltoetsen"), self)
        shortcuts.setShortcut(QKeySequence("F1"))
        shortcuts.triggered.connect(self.show_shortcuts)
        help_menu.addAction(shortcuts)
        self.about_action = QAction(self.tr("&Over Wijkteam"), self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        help_menu.addAction(self.about_action)

    def _build_status_bar(self) -> None:
        self.offline_label = QLabel(self.tr("Offline — lokaal dossier"))
        self.count_label = QLabel()
        self.worker_label = QLabel(
            self.tr("Medewerker: {name}").format(name=self._workspace.worker.display_name))
        status = self.statusBar()
        status.addWidget(self.offline_label)
        dot = QLabel("·")
        status.addWidget(dot)
        status.addWidget(self.count_label)
        self.refused_button = QPushButton()
        self.refused_button.setObjectName("refusedIndicator")
        self.refused_button.setFlat(True)
        self.refused_button.setStyleSheet("QPushButton#refusedIndicator { color: #b42318;"
                                          " font-weight: 600; padding: 0 6px; }")
        self.refused_button.setToolTip(self.tr("Bekijk wat de server weigerde en waarom"))
        self.refused_button.clicked.connect(self.show_refusals)
        self.refused_button.setVisible(False)
        status.addPermanentWidget(self.refused_button)
        status.addPermanentWidget(self.worker_label)

    def _build_drafts_banner(self) -> QFrame:
        banner = QFrame()
        banner.setObjectName("draftsBanner")
        row = QHBoxLayout(banner)
        row.setContentsMargins(16, 8, 16, 8)
        self.drafts_label = QLabel()
        self.drafts_label.setWordWrap(True)
        self.drafts_open = QPushButton(self.tr("Aanmelding &hervatten"))
        self.drafts_open.clicked.connect(self.new_intake)
        row.addWidget(self.drafts_label, 1)
        row.addWidget(self.drafts_open)
        banner.setVisible(False)
        return banner

    # --- navigation ------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.show_caseload()
        self.caseload.focus_search()

    def show_caseload(self) -> None:
        if self.pages.currentWidget() is not self.caseload:
            self.pages.setCurrentWidget(self.caseload)
            self.caseload.refresh()
        self.caseload.table.setFocus()

    def open_household(self, household_id: str) -> None:
        """The household page on its first tab; the assessments and the plan are read when
        their tab is shown."""
        self.access_log.viewed_household(household_id)  # NEN 7513: every view is logged
        self.household.show_household(household_id)
        self.assessments.set_household(household_id)
        self.plan.set_household(household_id)
        for panel in (self.kitchen_table, self.conferences, self.case_extras):
            panel.show_household(household_id)
        self.pages.setCurrentWidget(self.household)

    def show_plan_tab(self) -> None:
        if self.pages.currentWidget() is self.household:
            self.household.tabs.setCurrentWidget(self.plan)

    def show_access_log(self) -> None:
        """'Wie heeft dit dossier ingezien' for the household shown."""
        from wijkteam_app.services.households import HouseholdService
        from wijkteam_app.ui.dialogs.access_log_dialog import AccessLogDialog

        household_id = self.household.current_household_id()
        if self.pages.currentWidget() is not self.household or not household_id:
            self.statusBar().showMessage(self.tr("Open eerst een huishouden."), 5000)
            return
        name = HouseholdService(self._workspace).get(household_id).household.name
        fetch = None
        if self.sync_service.is_logged_in():
            def fetch(done: Any, failed: Any) -> None:
                self.sync.run_job(lambda: self.sync_service.access_log(household_id), done,
                                  failed)
        AccessLogDialog(self.access_log, household_id, name, fetch, self).exec()

    def show_rights(self) -> None:
        """Inzage, erasure and correction on a resident's request, for the household shown."""
        from wijkteam_app.services.households import HouseholdService
        from wijkteam_app.ui.dialogs.rights_dialog import RightsDialog

        household_id = self.household.current_household_id()
        if self.pages.currentWidget() is not self.household or not household_id:
            self.statusBar().showMessage(self.tr("Open eerst een huishouden."), 5000)
            return
        members = HouseholdService(self._workspace).get(household_id).members
        RightsDialog(self._workspace, household_id, members, self).exec()
        self.household.show_household(household_id)

    def show_review(self) -> None:
        self.review.reload()
        self.pages.setCurrentWidget(self.review)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._ready:  # (before, the start-up does it once the caseload is shown)
            self.dashboard_warmer.start()  # the first time only: prepares once idle

    def show_team(self) -> None:
        """The team dashboard; its module (QtCharts) is loaded when the warmer prepares it in
        the background, or on first use."""
        if self.team is None:
            from wijkteam_app.ui.pages.team_page import TeamPage

            self.team = TeamPage(self._workspace, self.dashboard_warmer.service())
            self.team.householdActivated.connect(self.open_household)
            self.team.reportRequested.connect(self.make_report)
            self.pages.addWidget(self.team)
            self.pages.currentChanged.connect(self._team_page_shown)
        else:
            self.team.refresh()
        self.pages.setCurrentWidget(self.team)
        self.team.period.setFocus()

    def _team_page_shown(self, _index: int) -> None:
        self.dashboard_warmer.page_visible = self.pages.currentWidget() is self.team

    def make_report(self) -> None:
        from wijkteam_app.ui.dialogs.report_dialog import ReportDialog

        period = self.team.period.currentData() if self.team is not None else None
        dialog = ReportDialog(self.dashboard_warmer.service(), self.plan.report_settings,
                              self, period)
        if dialog.exec() == ReportDialog.DialogCode.Accepted.value and dialog.saved_to:
            self.statusBar().showMessage(self.tr("Rapportage opgeslagen: {path}").format(
                path=dialog.saved_to), 8000)

    def new_intake(self) -> None:
        if not self.new_intake_action.isEnabled():  # the role does not do intakes
            return
        from wijkteam_app.ui.dialogs.intake_wizard import IntakeWizard

        wizard = IntakeWizard(self._workspace, self)
        registered: list[str] = []
        wizard.householdRegistered.connect(registered.append)
        wizard.exec()
        self._update_drafts_banner()
        if registered:
            self.caseload.reload(select_id=registered[-1])
            self.open_household(registered[-1])

    def score_zrm(self, person_id: str, household_id: str) -> None:
        from wijkteam_app.ui.forms.zrm_form import ZrmDialog

        dialog = ZrmDialog(self._workspace, household_id, person_id or None, self)
        dialog.exec()
        self._after_assessment(household_id)

    def _ladder_for_person(self, person_id: str) -> None:
        household_id = self.household.current_household_id()
        if not household_id:
            return
        from wijkteam_app.ui.forms.ladder_form import LadderDialog

        dialog = LadderDialog(self._workspace, household_id, person_id, self)
        dialog.exec()
        self._after_assessment(household_id)

    def _correct_ladder(self, assessment: object) -> None:
        from wijkteam_app.domain.instruments import Assessment
        from wijkteam_app.ui.forms.ladder_form import LadderDialog

        household_id = self.household.current_household_id()
        if not household_id or not isinstance(assessment, Assessment) or not assessment.person_id:
            return
        dialog = LadderDialog(self._workspace, household_id, assessment.person_id, self,
                              corrects=assessment)
        dialog.exec()
        self._after_assessment(household_id)

    def _after_assessment(self, household_id: str) -> None:
        tab = self.household.tabs.currentIndex()  # stay where the form was opened from
        self.household.show_household(household_id)
        self.household.tabs.setCurrentIndex(tab)
        self.assessments.set_household(household_id)
        self._update_drafts_banner()

    def _update_drafts_banner(self) -> None:
        drafts = self._drafts.all()
        intake = [d for d in drafts if d.kind == "intake"]
        if not drafts:
            self.drafts_banner.setVisible(False)
            return
        titles = ", ".join(d.title for d in drafts[:3])
        more = len(drafts) - 3
        text = self.tr("Er is niet-opgeslagen werk bewaard: {titles}").format(titles=titles)
        if more > 0:
            text += self.tr(" en nog {n}").format(n=more)
        self.drafts_label.setText(text)
        self.drafts_open.setVisible(bool(intake) and self.new_intake_action.isEnabled())
        self.drafts_banner.setVisible(True)

    # --- sync ------------------------------------------------------------------------------

    def _apply_role(self) -> None:
        """Offer only what the worker's role may do (the services know the rules): a toetser
        does no intake (and has no caseload of their own: the list shows every household)."""
        from wijkteam_app.services.intake import IntakeService

        may_register = IntakeService(self._workspace).may_register()
        self.new_intake_action.setEnabled(may_register)
        self.new_intake_action.setVisible(may_register)
        self.caseload.set_may_register(may_register)
        self._update_drafts_banner()

    def show_refusals(self) -> None:
        from wijkteam_app.ui.dialogs.refusals_dialog import RefusalsDialog

        dialog = RefusalsDialog(self.sync_service, self)
        dialog.householdRequested.connect(self.open_household)
        dialog.exec()
        self.sync.refresh_status()

    def _update_refused_indicator(self, status: SyncStatus) -> None:
        """The status bar's "geweigerd" indicator: refused change-sets and server warnings."""
        if self._closed:
            return
        refused = status.rejected_changes
        warnings = len(self.sync_service.warnings())
        parts = []
        if refused:
            parts.append(self.tr("{n} geweigerd").format(n=refused))
        if warnings:
            parts.append(self.tr("{n} melding(en)").format(n=warnings))
        text = " · ".join(parts)
        self.refused_button.setText(text)
        self.refused_button.setAccessibleName(
            self.tr("Door de server geweigerd of gemeld: {text}").format(text=text))
        self.refused_button.setVisible(bool(parts))

    def _show_sync_status(self, status: SyncStatus) -> None:
        if self._closed:
            return
        self.offline_label.setText(self.sync.status_text(status))
        quarantine = self.sync.quarantine_text() if status.quarantined else ""
        self.offline_label.setToolTip(quarantine)
        self.quarantine_action.setEnabled(bool(status.quarantined))

    def quarantine_box(self) -> QMessageBox:
        text = self.sync.quarantine_text(limit=50) or self.tr(
            "Er staan geen gegevens in quarantaine.")
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Quarantaine"), text,
                          QMessageBox.StandardButton.Ok, self)
        box.setStyleSheet("QLabel#qt_msgbox_label { min-width: 34em; }")
        return box

    def show_quarantine(self) -> None:
        self.quarantine_box().exec()

    def show_conflicts(self) -> None:
        from wijkteam_app.ui.dialogs.conflict_dialog import ConflictDialog

        ConflictDialog(self.sync_service, self.sync, self).exec()
        self.sync.refresh_status()
        self.caseload.refresh()

    def _update_login_action(self) -> None:
        if self._closed or not self._attached or self._workspace.locked:  # the file is shut
            return
        self.login_action.setEnabled(not self.sync_service.is_logged_in())

    def log_in(self) -> None:
        from wijkteam_app.ui.dialogs.login_dialog import LoginDialog

        if LoginDialog(self.sync_service, self).exec() != LoginDialog.DialogCode.Accepted.value:
            return
        self._update_login_action()
        self._show_identity()  # the login adopted the server's worker and team
        self._apply_role()
        self.sync.start()
        self.caseload.refresh()

    def _show_identity(self) -> None:
        self.setWindowTitle(self.window_title())
        self.worker_label.setText(
            self.tr("Medewerker: {name}").format(name=self._workspace.worker.display_name))

    def _device_wiped(self) -> None:
        """The server revoked this laptop: the case file is gone; say so and close."""
        QMessageBox.warning(self, self.tr("Apparaat ingetrokken"), self.tr(
            "Dit apparaat is door de gemeente ingetrokken. Het dossier is van deze laptop "
            "verwijderd. Neem contact op met de functioneel beheerder."))
        self.close()

    # --- lock --------------------------------------------------------------------------------

    def _before_lock(self) -> None:
        self.caseload.stop()
        self.sync.pause()
        self.dashboard_warmer.pause()

    def _after_unlock(self) -> None:
        self.sync.resume()
        self.dashboard_warmer.resume()
        self.caseload.resume()
        self.caseload.refresh()
        self._update_drafts_banner()

    # --- dialogs ---------------------------------------------------------------------------

    def shortcuts_html(self) -> str:
        """The keys as a two-column table; the cell padding keeps "Ctrl+7" and its
        description apart (they ran together as "Ctrl+7Tabbladen")."""
        rows = [
            ("<b>Ctrl+N</b>", self.tr("Nieuwe aanmelding")),
            ("<b>Ctrl+F</b>", self.tr("Zoeken in huishoudens")),
            ("<b>Ctrl+L</b>, <b>Alt+←</b>", self.tr("Terug naar de caseload")),
            ("<b>Enter</b>", self.tr("Geselecteerd huishouden openen")),
            ("<b>Ctrl+1 … Ctrl+7</b>", self.tr("Tabbladen van het huishouden (7 = plan)")),
            ("<b>Ctrl+B</b>", self.tr("Plannen beoordelen (teamcoach)")),
            ("<b>Ctrl+T</b>", self.tr("Team: cijfers en rapportage")),
            ("<b>Ctrl+8</b>, <b>Ctrl+9</b>", self.tr("Keukentafelgesprek, overleg")),
            ("<b>Ctrl+Shift+B</b>", self.tr("Vastgelopen casussen")),
            ("<b>Ctrl+Shift+N</b>", self.tr("Persoon toevoegen")),
            ("<b>Ctrl+Shift+Z</b>", self.tr("ZRM voor de geselecteerde persoon")),
            ("<b>Ctrl+Shift+P</b>", self.tr("Participatieladder")),
            ("<b>Ctrl+Shift+E</b>", self.tr("Netwerklid toevoegen")),
            ("<b>Ctrl+Shift+C</b>", self.tr("Contact toevoegen (journaal)")),
            ("<b>Ctrl+S</b>", self.tr("Opslaan in een formulier")),
            ("<b>1–5</b>, <b>0</b>", self.tr("ZRM-score kiezen, niet besproken")),
            ("<b>Ctrl+Shift+I</b>", self.tr("Wie heeft dit dossier ingezien")),
            ("<b>F5</b>", self.tr("Nu synchroniseren")),
            ("<b>Ctrl+Shift+L</b>", self.tr("Vergrendelen")),
            ("<b>Ctrl+Q</b>", self.tr("Afsluiten")),
        ]
        body = "".join(f"<tr><td style='padding-right:18px' nowrap>{keys}</td>"
                       f"<td nowrap>{text}</td></tr>"
                       for keys, text in rows)
        return f"<table cellspacing='0' cellpadding='3'>{body}</table>"

    def show_shortcuts(self) -> None:
        QMessageBox.information(self, self.tr("Sneltoetsen"), self.shortcuts_html())

    def show_settings(self) -> None:
        from wijkteam_app.services.settings import SettingsService
        from wijkteam_app.ui.dialogs.settings_dialog import SettingsDialog

        service = SettingsService(self._workspace)
        dialog = SettingsDialog(service, self)
        dialog.exec()
        if dialog.saved and self._plan is not None:  # (a later plan page reads them itself)
            self._plan.report_settings = service.report_settings()

    def show_about(self) -> None:
        QMessageBox.about(self, self.tr("Over Wijkteam"), self.tr(
            "<p><b>Wijkteam {version}</b></p>"
            "<p>Dossier en ondersteuningsplan voor het sociaal wijkteam.</p>"
            "<p>Alle gegevens staan versleuteld op deze laptop.</p>"
        ).format(version=__version__))

    # --- closing ---------------------------------------------------------------------------

    def close_workspace(self) -> None:
        """Close the case file once; safe to call more than once."""
        if not self._closed and not self._attached:
            self._closed = True  # closed while still opening: nothing is open
            self._opener = None
            self._finish_busy()
        if not self._closed:
            self._closed = True
            self._finish_busy()
            self._live_timer.stop()
            self._workspace.remove_save_listener(self._save_listener)
            self.caseload.stop()
            self.locker.stop()
            self.dashboard_warmer.stop()
            if self.team is not None:
                self.team.wait()
            if not self._workspace.locked and self._workspace.casefile.damage is None:
                try:
                    self.dashboard_warmer.keep_for_next_session()
                except WijkteamError as exc:  # a cache: the next session computes anew
                    log.warning("dashboard not kept: %s", exc.code)
            if not self.sync_service.wiped and not self._workspace.locked:
                self.sync.sync_before_close()  # nothing recorded stays behind if online
            self.sync.wait()
            self.sync_service.close()
            if not self.sync_service.wiped:
                self._workspace.close()
            gc.unfreeze()  # what lived as long as this window may now be collected
            log.info("workspace closed")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self.close_workspace()
        super().closeEvent(event)

