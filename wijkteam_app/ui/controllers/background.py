"""Running a slow call off the UI thread, with its result delivered back on the UI thread.

`Background` owns a `QThreadPool` of one thread (so its calls run one after another, in the
order asked) and turns each call's result or failure into a callback on the thread that made
the `Background` (the UI thread): Qt delivers the signal of a worker thread queued. Nothing of
Qt's widget world is touched on the worker thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)  # the exception


class _Job(QRunnable):
    def __init__(self, call: Callable[[], Any]) -> None:
        super().__init__()
        self.call = call
        self.signals = _Signals()
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.call()
        except Exception as exc:  # reported on the UI thread, never lost in the pool
            log.exception("background job failed")
            self.signals.failed.emit(exc)
            return
        self.signals.done.emit(result)


class Background(QObject):
    """One worker thread; `run` queues a call, `wait` lets running work finish (closing)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._jobs: set[_Job] = set()

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def run(self, call: Callable[[], Any], on_done: Callable[[Any], None],
            on_failed: Callable[[Exception], None] | None = None) -> None:
        job = _Job(call)
        self._jobs.add(job)

        def done(result: Any) -> None:
            self._jobs.discard(job)
            on_done(result)

        def failed(exc: Exception) -> None:
            self._jobs.discard(job)
            if on_failed is not None:
                on_failed(exc)

        job.signals.done.connect(done)
        job.signals.failed.connect(failed)
        self.pool.start(job)

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Block until the queued calls have run (their callbacks are then pending)."""
        return self.pool.waitForDone(timeout_ms)
