"""Prepares the Team dashboard in the background, so it is there the moment it is asked for.

The dashboard of a big team costs about half a second to prepare (loading QtCharts and the
page's module, reading the case file, computing the figures; docs/performance.md). None of
that belongs in the start-up path, and none of it should wait for the click either. So once
the main window has been on screen and idle for a moment (`START_DELAY_MS`), a worker thread
loads the modules and computes the default dashboard (this half-year, every wijk and
worker), and the `SteeringService` keeps it. Opening Team then only checks that the case file
has not changed (`SteeringService.ready`) and paints.

While the Team page is not on screen, the warmer looks every `CHECK_MS` whether the case
file changed (a save, a sync) and, once it has then stayed unchanged for `QUIET_MS` (a sync
still arriving waits), prepares the dashboard again, so the next visit is quick as well. The
reads use a snapshot connection of their own (`CaseFile.snapshot`): a save on the UI thread
never waits for them. The lock screen pauses it (`pause`/`resume`).

Imports of the dashboard stay out of this module: importing it loads nothing of QtCharts,
the steering service or the indicators.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.controllers.background import Background

if TYPE_CHECKING:
    from wijkteam_app.services.steering import SteeringService

START_DELAY_MS = 500
CHECK_MS = 3000
QUIET_MS = 1000


class DashboardWarmer(QObject):
    prepared = Signal()  # the default dashboard is at hand

    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self._service: SteeringService | None = None
        self._made = threading.Lock()
        self._background = Background(self)
        self._started = False
        self._stopped = False
        self._last_marker: int | None = None
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
        self.timer.stop()
        self._background.wait()

    def resume(self) -> None:
        if self._started and not self._stopped:
            self.timer.start(CHECK_MS)

    def _tick(self) -> None:
        if self._stopped or self._background.busy:
            return
        if self.page_visible:
            self.timer.start(CHECK_MS)
            return
        self._background.run(self._prepare, self._prepared, lambda _exc: None)

    def _prepare(self) -> Any:
        """On the worker thread: the modules, then the default dashboard when the case file
        has been quiet since the last look (a sync that is still arriving waits)."""
        import wijkteam_app.ui.pages.team_page  # noqa: F401 - QtCharts and the page's code
        from wijkteam_app.services.steering import DashboardFilter

        service = self.service()
        marker = service.marker()
        quiet = marker == self._last_marker or self._last_marker is None
        self._last_marker = marker
        if quiet:
            service.dashboard(DashboardFilter(service.default_period()))
        return quiet

    def _prepared(self, quiet: object) -> None:
        if quiet:
            self.prepared.emit()
        if not self._stopped:
            self.timer.start(CHECK_MS if quiet else QUIET_MS)
