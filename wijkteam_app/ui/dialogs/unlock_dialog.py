"""The first thing a returning worker sees: the passphrase prompt for the case file."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtGui import QCursor, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wijkteam_app import __version__
from wijkteam_app.errors import WijkteamError
from wijkteam_app.paths import ProfilePaths
from wijkteam_app.services import profile
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.i18n import error_text
from wijkteam_app.ui.widgets import ErrorLabel, fit_height, heading_label, muted_label

log = logging.getLogger(__name__)

UnlockFunction = Callable[[ProfilePaths, str], Workspace]


@contextmanager
def busy(*widgets: QWidget) -> Iterator[None]:
    """Wait cursor and disabled controls while a slow, blocking step (key derivation) runs."""
    for widget in widgets:
        widget.setEnabled(False)
    QApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
    QApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()
        for widget in widgets:
            widget.setEnabled(True)


class UnlockDialog(QDialog):
    """Asks for the passphrase; on success `workspace` holds the unlocked profile."""

    def __init__(self, paths: ProfilePaths, unlock: UnlockFunction = profile.unlock,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._paths = paths
        self._unlock = unlock
        self.workspace: Workspace | None = None

        self.setWindowTitle(self.tr("Wijkteam ontgrendelen"))
        self.setFixedWidth(460)

        title = heading_label(self.tr("Wijkteam"), 8.0)
        intro = muted_label(self.tr("Voer uw wachtwoord in om het dossier te openen."))

        field_label = QLabel(self.tr("&Wachtwoord"))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(self.tr("Wachtwoord"))
        self.passphrase.setMinimumHeight(32)
        field_label.setBuddy(self.passphrase)
        self.error = ErrorLabel()

        self.buttons = QDialogButtonBox()
        self.unlock_button = QPushButton(self.tr("Ontgrendelen"))
        self.unlock_button.setDefault(True)
        self.unlock_button.setAutoDefault(True)
        self.quit_button = QPushButton(self.tr("Afsluiten"))
        self.quit_button.setAutoDefault(False)
        self.buttons.addButton(self.unlock_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._attempt)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(6)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addSpacing(16)
        layout.addWidget(field_label)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.error)
        layout.addSpacing(18)
        layout.addWidget(self.buttons)
        self.version = muted_label(self.tr("Wijkteam versie {version}").format(
            version=__version__))
        self.version.setObjectName("versionLabel")
        layout.addSpacing(6)
        layout.addWidget(self.version)

        self.passphrase.setFocus()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        fit_height(self)

    def _attempt(self) -> None:
        passphrase = self.passphrase.text()
        if not passphrase:
            self._fail(self.tr("Vul uw wachtwoord in."))
            return
        try:
            with busy(self.passphrase, self.buttons):
                workspace = self._unlock(self._paths, passphrase)
        except WijkteamError as exc:
            log.info("unlock refused: %s", exc.code)
            self._fail(error_text(exc.code))
            return
        self.workspace = workspace
        self.error.clear_message()
        self.accept()

    def _fail(self, message: str) -> None:
        self.error.show_message(message)
        self.passphrase.setAccessibleDescription(message)
        self.passphrase.clear()
        self.passphrase.setFocus()
        fit_height(self)
