"""Runs synchronisation in the background and tells the window how things stand.

`SyncController` owns no data: it calls `SyncService.sync_once` on a `QThreadPool` worker —
on demand (`sync_now`), on a `QTimer` while the laptop is online (and, less often, while it is
offline, to notice the network coming back) and once more before the window closes
(`sync_before_close`) — and emits `status_changed` for the status bar, `finished` with the
`SyncReport` and `households_changed` with the households whose records the sync applied
(open pages showing them refresh).

Why the UI never freezes: the network calls run on the worker thread, and the sync engine
takes the case file's lock only for short transactions (one batch of pulled items, sized to
hold it about 25 ms; one batch of verdicts; see bench/sync.py), never across a network call.
A save from the UI thread therefore waits at most one such transaction. Only one sync runs at a
time; asking again while one runs schedules exactly one more.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QRunnable, QThreadPool, QTimer, Signal

from wijkteam_app.messages import ENTITY_LABELS, QUARANTINE_REASONS
from wijkteam_app.services.sync import SyncReport, SyncService, SyncStatus

log = logging.getLogger(__name__)

ONLINE_INTERVAL_MS = 5 * 60 * 1000
OFFLINE_RETRY_MS = 60 * 1000


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(str)


class _Job(QRunnable):
    """Runs one callable on the pool; the result arrives in the GUI thread via signals."""

    def __init__(self, call: Callable[[], Any]) -> None:
        super().__init__()
        self.call = call
        self.signals = _Signals()
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.call()
        except Exception as exc:  # reported, never lost in the pool thread
            log.exception("background job failed")
            self.signals.failed.emit(type(exc).__name__)
            return
        self.signals.done.emit(result)


class SyncController(QObject):
    status_changed = Signal(object)  # SyncStatus
    finished = Signal(object)  # SyncReport
    busy_changed = Signal(bool)
    households_changed = Signal(object)  # set[str]: records of these households were applied
    wiped = Signal()  # the device was revoked: the case file is gone, close the window

    def __init__(self, service: SyncService, parent: QObject | None = None, *,
                 online_interval_ms: int = ONLINE_INTERVAL_MS,
                 offline_retry_ms: int = OFFLINE_RETRY_MS) -> None:
        super().__init__(parent)
        self.service = service
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._online_ms = online_interval_ms
        self._offline_ms = offline_retry_ms
        self._running = False
        self._again = False
        self._closing = False
        self._paused = False  # the app is locked: the case file is closed
        self._jobs: set[_Job] = set()
        self.last_report: SyncReport | None = None
        self.last_status: SyncStatus | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.sync_now)

    # ------------------------------------------------------------------ control

    @property
    def running(self) -> bool:
        return self._running

    def start(self) -> None:
        """Show the current status and sync once now; the timer takes it from there."""
        self.refresh_status()
        if self.service.is_logged_in():
            self.sync_now()

    def stop(self) -> None:
        self.timer.stop()

    def pause(self) -> None:
        """The app locks: no sync until `resume`; waits for one under way to finish."""
        self._paused = True
        self.stop()
        self.wait()

    def resume(self) -> None:
        self._paused = False
        self.start()

    def sync_now(self) -> None:
        if self._closing or self._paused or self.service.wiped:
            return
        if not self.service.is_logged_in():
            self.refresh_status()
            return
        if self._running:
            self._again = True
            return
        self._running = True
        self.busy_changed.emit(True)
        self.timer.stop()
        self.run_job(self._sync_and_status, self._on_synced, self._on_failed)

    def run_job(self, call: Callable[[], Any], on_done: Callable[[Any], None],
                on_failed: Callable[[str], None] | None = None) -> None:
        """Run any service call on the pool (the conflict dialog resolves through this)."""
        job = _Job(call)
        self._jobs.add(job)

        def done(result: Any) -> None:
            self._jobs.discard(job)
            on_done(result)

        def failed(name: str) -> None:
            self._jobs.discard(job)
            if on_failed is not None:
                on_failed(name)

        job.signals.done.connect(done)
        job.signals.failed.connect(failed)
        self.pool.start(job)

    def refresh_status(self) -> None:
        self.run_job(self.service.status, self._emit_status)

    def sync_before_close(self, timeout_ms: int = 15_000) -> SyncReport | None:
        """One last sync (if logged in), waiting at most `timeout_ms` with the event loop
        running (the window stays responsive). Unsynced work stays in the case file either
        way; this only delivers it sooner."""
        self.stop()
        if self.service.wiped or not self.service.is_logged_in():
            self._closing = True
            return None
        loop = QEventLoop()
        outcome: list[SyncReport | None] = []

        def done(report: Any) -> None:
            outcome.append(report)
            loop.quit()

        if self._running:
            # Wait for the sync under way, then do not start another.
            self.finished.connect(done)
        else:
            self._running = True

            def synced(result: Any) -> None:
                self._on_synced(result)
                done(result[0])

            self.run_job(self._sync_and_status, synced, lambda _name: done(None))
        self._closing = True
        QTimer.singleShot(timeout_ms, loop.quit)
        if not outcome:
            loop.exec()
        return outcome[0] if outcome else None

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Block until background work is done (tests, shutdown)."""
        return bool(self.pool.waitForDone(timeout_ms))

    # ------------------------------------------------------------------ results

    def _sync_and_status(self) -> tuple[SyncReport, SyncStatus]:
        report = self.service.sync_once()
        return report, self.service.status()

    def _emit_status(self, status: Any) -> None:
        self.last_status = status
        self.status_changed.emit(status)

    def _on_synced(self, result: Any) -> None:
        report, status = result
        self._running = False
        self.busy_changed.emit(False)
        self.last_report = report
        self._emit_status(status)
        if report.changed_households:
            self.households_changed.emit(set(report.changed_households))
        self.finished.emit(report)
        if report.wiped:
            self.wiped.emit()
            return
        if self._closing or self._paused:
            return
        if self._again:
            self._again = False
            self.sync_now()
            return
        self.timer.start(self._offline_ms if report.offline else self._online_ms)

    def _on_failed(self, name: str) -> None:
        self._running = False
        self.busy_changed.emit(False)
        log.warning("sync job failed: %s", name)
        if not self._closing and not self._paused:
            self.timer.start(self._offline_ms)

    # ------------------------------------------------------------------ text

    def status_text(self, status: SyncStatus) -> str:
        """One line for the status bar (Dutch, through Qt's translator)."""
        if not status.logged_in:
            text = self.tr("Offline — lokaal dossier (niet aangemeld bij de server)")
        elif status.online is False and status.last_error == "untrusted_certificate":
            text = self.tr("Geen verbinding: het certificaat van de server wordt niet "
                           "vertrouwd (IT-afdeling)")
        elif status.online is False:
            text = self.tr("Offline")
        elif status.online is None:
            text = self.tr("Nog niet gesynchroniseerd")
        else:
            text = self.tr("Online")
        parts = [text]
        if status.last_sync_at is not None:
            local = status.last_sync_at.replace(tzinfo=UTC).astimezone()
            parts.append(self.tr("laatst gesynchroniseerd {moment}").format(
                moment=local.strftime("%d-%m-%Y %H:%M")))
        if status.pending_changes:
            parts.append(self.tr("{n} wijziging(en) nog niet verstuurd").format(
                n=status.pending_changes))
        # Refused change-sets have their own clickable indicator in the window's status bar.
        if status.open_conflicts:
            parts.append(self.tr("{n} open conflict(en)").format(n=status.open_conflicts))
        if status.quarantined:
            parts.append(self.tr("{n} gegeven(s) in quarantaine").format(n=status.quarantined))
        return " · ".join(parts)

    def quarantine_text(self, limit: int = 12) -> str:
        """What is in quarantine, for a tooltip or a dialog (Dutch: the kind of record, the
        household as this laptop knows it, and why; never the refused values). Empty when
        nothing is."""
        entries = self.service.quarantine()
        if not entries:
            return ""
        lines = [self.tr("Gegevens van de server die deze laptop niet kon verwerken "
                         "(in quarantaine):"), ""]
        for entry in entries[:limit]:
            kind = self.tr(ENTITY_LABELS.get(entry.entity, entry.entity))
            reason = self.tr(QUARANTINE_REASONS.get(entry.reason, entry.reason))
            household = entry.household_name or (entry.household_id or "")[:8]
            if entry.entity == "household":
                what = self.tr("huishouden {name}").format(
                    name=entry.household_name or entry.entity_id[:8])
            elif household:
                what = self.tr("{kind} {id} van huishouden {household}").format(
                    kind=kind, id=entry.entity_id[:8], household=household)
            else:
                what = f"{kind} {entry.entity_id[:8]}"
            lines.append(self.tr("• {what}: {reason}").format(what=what, reason=reason))
        if len(entries) > limit:
            lines.append(self.tr("… en nog {n}").format(n=len(entries) - limit))
        lines.append("")
        lines.append(self.tr("Al het andere is wel bijgewerkt. Meld dit aan de functioneel "
                             "beheerder; het gegeven komt vanzelf binnen zodra de server een "
                             "correcte versie heeft."))
        return "\n".join(lines)
