"""Keeping what is typed: a form's content is saved as a draft (encrypted, in the case file)
shortly after each change, so a crash or power loss loses at most the last second of typing.

Usage in a form: ``self.keeper = DraftKeeper(service, key, kind, title, self.draft_payload)``
then call ``self.keeper.touch()`` from every change signal, ``keeper.discard()`` after a
successful save or an explicit cancel. On opening, ``DraftService.get(key)`` offers it back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer

from wijkteam_app.services.drafts import DraftService

log = logging.getLogger(__name__)

DRAFT_DELAY_MS = 800


class DraftKeeper(QObject):
    def __init__(self, service: DraftService, key: str, kind: str, title: str,
                 payload: Callable[[], dict[str, Any]], parent: QObject | None = None,
                 delay_ms: int = DRAFT_DELAY_MS) -> None:
        super().__init__(parent)
        self._service = service
        self.key = key
        self._kind = kind
        self._title = title
        self._payload = payload
        self._enabled = True
        self._held = False  # the app is locked: the case file is closed
        self.saves = 0  # how many times a draft was written (tests and diagnostics)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.flush)

    def touch(self) -> None:
        """Something changed: save the draft after a short pause in typing."""
        if self._enabled and not self._held:
            self._timer.start()

    def flush(self) -> None:
        """Save the draft now (also called when the form closes)."""
        self._timer.stop()
        if not self._enabled or self._held:
            return
        try:
            self._service.keep(self.key, self._kind, self._title, self._payload())
            self.saves += 1
        except Exception as exc:  # a draft must never take the form down
            log.warning("draft not kept: %s", type(exc).__name__)

    def hold(self) -> None:
        """The app is about to lock: keep what is typed now (encrypted, in the case file),
        then write nothing until `release` (the case file is closed meanwhile)."""
        if self._enabled and not self._held and self._timer.isActive():
            self.flush()  # typed since the last draft was written
        self._held = True

    def release(self) -> None:
        self._held = False

    def discard(self) -> None:
        """The real save succeeded (or the worker threw the work away): forget the draft."""
        self._timer.stop()
        self._enabled = False
        self._service.discard(self.key)
