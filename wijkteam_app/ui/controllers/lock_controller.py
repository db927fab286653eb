"""Auto-lock: after a quiet spell (municipal setting ``idle_lock_minutes``, default 5) or on
request (Ctrl+Shift+L, Bestand > Vergrendelen) Wijkteam locks.

Locking, in this order:
1. every open form keeps what was typed as an encrypted draft (`DraftKeeper.hold`);
2. the window pauses its background work (sync) — `before_lock`;
3. the case file is closed and the data key dropped (`Workspace.lock`, audited);
4. every window is covered (`LockCover`) and the lock screen asks for the passphrase.
Open forms stay open under their cover with their input, so after unlocking the worker goes
on where they were; should the app die meanwhile, the drafts bring the input back.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from wijkteam_app.services import municipal
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.dialogs.lock_screen import LockCover, LockScreen
from wijkteam_app.ui.drafts import DraftKeeper

log = logging.getLogger(__name__)

MIN_MINUTES, MAX_MINUTES = 1, 240

_INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate,
    QEvent.Type.TabletPress,
})
# Input that asks the app to do something (a pointer merely moving does not).
_ACTION_EVENTS = _INPUT_EVENTS - {QEvent.Type.MouseMove, QEvent.Type.TouchUpdate}


def idle_minutes(workspace: Workspace) -> int:
    """The municipal idle time, within 1..240 minutes (default 5)."""
    return municipal.int_setting(workspace.casefile, "idle_lock_minutes", MIN_MINUTES,
                                 MAX_MINUTES)


class IdleWatcher(QObject):
    """Emits `idle` after `interval_ms` without keyboard, mouse or touch input anywhere in
    the application. Tests drive `timer` directly (a short interval, or `expire()`)."""

    idle = Signal()

    def __init__(self, interval_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)  # remainingTime() is meaningful
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.idle)
        # When the last key, click or wheel came and whether the countdown runs, as plain
        # values: read by the dashboard warmer's thread (`quiet_ms`), where the timer may not
        # be touched.
        self._last_action = time.monotonic()
        self._counting = False
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def start(self) -> None:
        self._counting = True
        self._last_action = time.monotonic()
        self.timer.start()

    def stop(self) -> None:
        self._counting = False
        self.timer.stop()

    def quiet_ms(self) -> int | None:
        """Milliseconds since the last key, click, wheel or touch: the worker asking the app
        for something (a pointer that merely moves restarts the lock's countdown but does
        not count here). None while not counting: before `start`, or locked. Safe on any
        thread."""
        if not self._counting:
            return None
        return int((time.monotonic() - self._last_action) * 1000)

    def expire(self) -> None:
        """The idle time is over now (what the timer does when it runs out)."""
        self._counting = False
        self.timer.stop()
        self.idle.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() in _INPUT_EVENTS:
            if event.type() in _ACTION_EVENTS:
                self._last_action = time.monotonic()
            if self.timer.isActive():
                self.timer.start()  # input: the countdown begins again
        return False

    def detach(self) -> None:
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.stop()


class AppLocker(QObject):
    """Locks and unlocks the app around one workspace; owned by the main window."""

    locked_changed = Signal(bool)

    def __init__(self, workspace: Workspace, window: QWidget, *,
                 before_lock: Callable[[], None], after_unlock: Callable[[], None],
                 worker_name: Callable[[], str]) -> None:
        super().__init__(window)
        self._workspace = workspace
        self._window = window
        self._before_lock = before_lock
        self._after_unlock = after_unlock
        self._worker_name = worker_name
        self._covers: list[LockCover] = []
        self._held: list[DraftKeeper] = []
        self.screen: LockScreen | None = None
        self.idle = IdleWatcher(idle_minutes(workspace) * 60_000, self)
        self.idle.idle.connect(lambda: self.lock("idle"))

    @property
    def locked(self) -> bool:
        return self.screen is not None

    def start(self) -> None:
        self.idle.start()

    def stop(self) -> None:
        self.idle.detach()

    def lock(self, reason: str = "request") -> None:
        if self.locked or self._workspace.locked:
            return
        self.idle.stop()
        windows = [w for w in QApplication.topLevelWidgets()
                   if w.isVisible() and not isinstance(w, LockScreen)]
        self._held = [k for w in windows for k in w.findChildren(DraftKeeper)]
        for keeper in self._held:
            keeper.hold()
        self._before_lock()
        # Deliver what background work queued for this thread while the file is still open.
        QCoreApplication.sendPostedEvents()
        self._workspace.lock()
        self._covers = [LockCover(w) for w in windows]
        self.screen = LockScreen(self._workspace, self._worker_name(), reason, self._window)
        self.screen.unlocked.connect(self._unlocked)
        self.screen.open()
        log.info("app locked (%s)", reason)
        self.locked_changed.emit(True)

    def _unlocked(self) -> None:
        for cover in self._covers:
            cover.remove()
        self._covers = []
        for keeper in self._held:
            keeper.release()
        self._held = []
        if self.screen is not None:
            self.screen.deleteLater()
            self.screen = None
        # Refresh the idle time: a new municipal setting may have arrived before the lock.
        self.idle.timer.setInterval(idle_minutes(self._workspace) * 60_000)
        self._after_unlock()
        self.idle.start()
        log.info("app unlocked")
        self.locked_changed.emit(False)
