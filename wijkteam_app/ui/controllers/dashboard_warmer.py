"""Prepares the Team dashboard in the background, so it is there the moment it is asked for.

The dashboard of a big team costs about half a second to prepare (loading QtCharts and the
page's module, reading the case file, computing the figures; docs/performance.md). None of
that belongs in the start-up path, and none of it should wait for the click either. So once
the main window has been on screen for a moment (`START_DELAY_MS`) and the worker has not
typed or clicked for `USER_BUSY_MS` (the preparing competes with what they do for the
processor: a search typed right after start-up stays quick), a worker thread loads the modules
and computes the default dashboard (this half-year, every wijk and worker), and the
`SteeringService` keeps it. Between its steps (modules, reading, computing) it gives way
again while the worker types or clicks. Opening Team then only checks that the case file has
not changed (`SteeringService.ready`) and paints.

While the Team page is not on screen, the warmer looks every `CHECK_MS` whether the case file
changed (a save, a sync) and, once it has then stayed unchanged for `QUIET_MS` (a sync still
arriving waits), prepares the dashboard again, so the next visit is quick as well. The reads
use a snapshot connection of their own (`CaseFile.snapshot`): a save on the UI thread never
waits for them. The lock screen pauses it (`pause`/`resume`).

Imports of the dashboard stay out of this module: importing it loads nothing of QtCharts, the
steering service or the indicators.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.controllers.background import Background

if TYPE_CHECKING:
    from wijkteam_app.services.steering import SteeringService

START_DELAY_MS = 1000
CHECK_MS = 3000
QUIET_MS = 1000
USER_BUSY_MS = 1500  # a key or click this recent: the worker is busy, the preparing waits


class DashboardWarmer(QObject):
    prepared = Signal()  # the default dashboard is at hand

    def __init__(self, workspace: Workspace, parent: QObject | None = None,
                 user_quiet_ms: Callable[[], int | None] | None = None) -> None:
        super().__init__(parent)
        self._workspace = workspace
        # Time since the worker's last input (the idle watcher of the auto-lock): the
        # preparing competes for the processor with what the worker is doing, so it waits
        # while they type or click.
        self._user_quiet_ms = user_quiet_ms
        self._service: SteeringService | None = None
        self._made = threading.Lock()
        self._background = Background(self)
        self._started = False
        self._stopped = False
        self._last_marker: int | None = None
        self._paused = False
        self.page_visible = False  # set by the main window; no preparing while shown
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._tick)

    def service(self) -> SteeringService:
        """The one steering service of this window (made on first use, on any thread)."""
        with self._made:
            if self._service is None:
                from wijkteam_app.services.steering import SteeringService

                self._service = SteeringService(self._workspace)
            return self._service

    @property
    def busy(self) -> bool:
        return self._background.busy

    def start(self, delay_ms: int = START_DELAY_MS) -> None:
        """Prepare once `delay_ms` have passed (the first call only; later calls do
        nothing)."""
        if not self._started and not self._stopped:
            self._started = True
            self.timer.start(delay_ms)

    def stop(self) -> None:
        """No more preparing; waits for a running preparation (before the file closes)."""
        self._stopped = True
        self.timer.stop()
        self._background.wait()

    def keep_for_next_session(self) -> None:
        """When the window closes: the last default dashboard stays in the case file for
        the next session's first open (`SteeringService.keep_for_next_session`); nothing
        when the dashboard was never prepared in this session."""
        if self._service is not None:
            self._service.keep_for_next_session()

    def pause(self) -> None:
        """The lock screen: no reads until `resume` (waits for a running preparation)."""
        self._paused = True
        self.timer.stop()
        self._background.wait()

    def resume(self) -> None:
        self._paused = False
        if self._started and not self._stopped:
            self.timer.start(CHECK_MS)

    def _tick(self) -> None:
        if self._stopped or self._paused or self._background.busy:
            return
        if self.page_visible:
            self.timer.start(CHECK_MS)
            return
        quiet = self._user_quiet_ms() if self._user_quiet_ms is not None else None
        if quiet is not None and quiet < USER_BUSY_MS:
            self.timer.start(USER_BUSY_MS - quiet)
            return
        self._background.run(self._prepare, self._prepared, lambda _exc: None)

    def _prepare(self) -> Any:
        """On the worker thread: the modules, then the default dashboard when the case file
        has been quiet since the last look (a sync that is still arriving waits). Between
        the steps (each a few tenths of a second on a big caseload) it gives way to the
        worker (`_give_way`)."""
        if not self._give_way():
            return False
        import wijkteam_app.ui.pages.team_page  # noqa: F401 - QtCharts and the page's code
        from wijkteam_app.services.steering import DashboardFilter

        service = self.service()
        marker = service.marker()
        quiet = marker == self._last_marker or self._last_marker is None
        self._last_marker = marker
        if quiet:
            period = service.default_period()
            if not self._give_way():
                return False
            service.facts(period)  # read (the service keeps them for the dashboard)
            if not self._give_way():
                return False
            service.dashboard(DashboardFilter(period))
        return quiet

    def _give_way(self) -> bool:
        """On the worker thread, between steps: while the worker types or clicks, wait.
        Python work on this thread takes the interpreter from the UI thread in turns (the
        GIL), which makes a search or a page that normally paints in 10-50 ms take several
        times that; a pause of the worker's is the moment to go on. No waiting when the page
        wants the figures now. False when stopping or locking: the preparing ends here
        (they wait for this thread)."""
        while not (self._stopped or self._paused or self.page_visible):
            quiet = self._user_quiet_ms() if self._user_quiet_ms is not None else None
            if quiet is None or quiet >= USER_BUSY_MS:
                break
            time.sleep(min(USER_BUSY_MS - quiet, 100) / 1000)
        return not (self._stopped or self._paused)

    def _prepared(self, quiet: object) -> None:
        if quiet:
            # What lives on from here (the modules, the window, the figures and the facts
            # they came from: hundreds of thousands of objects on a big caseload) leaves the
            # cyclic collector's view: a full collection scanned it all in 70-130 ms on the
            # UI thread, now and then in the middle of opening a household. They are still
            # freed by reference counting when replaced (plain records, no cycles).
            gc.freeze()
            self.prepared.emit()
        if not (self._stopped or self._paused):
            self.timer.start(CHECK_MS if quiet else QUIET_MS)
