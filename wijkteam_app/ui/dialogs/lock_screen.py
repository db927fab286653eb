"""The lock screen: Wijkteam is locked (idle, or on request); the passphrase opens it again.

It cannot be dismissed without the passphrase (Escape does nothing). Behind it every window is
covered by a `LockCover`, so nothing of a case shows while the worker is away.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wijkteam_app.errors import WijkteamError
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.dialogs.unlock_dialog import busy
from wijkteam_app.ui.i18n import error_text
from wijkteam_app.ui.widgets import ErrorLabel, fit_height, heading_label, muted_label

log = logging.getLogger(__name__)


class LockCover(QWidget):
    """An opaque sheet over one window while the app is locked; follows its size."""

    def __init__(self, target: QWidget) -> None:
        super().__init__(target)
        self.setObjectName("lockCover")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("QWidget#lockCover { background: #e4e9ee; }")
        label = QLabel(self.tr("Wijkteam is vergrendeld"), self)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setStyleSheet("color: #52606d; font-size: 14pt;")
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        self._target = target
        self._title = target.windowTitle()
        target.setWindowTitle(self.tr("Wijkteam (vergrendeld)"))
        target.installEventFilter(self)
        self.setGeometry(target.rect())
        self.raise_()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self._target and event.type() in (QEvent.Type.Resize,
                                                          QEvent.Type.ChildAdded):
            self.setGeometry(self._target.rect())
            self.raise_()
        return False

    def remove(self) -> None:
        self._target.removeEventFilter(self)
        self._target.setWindowTitle(self._title)
        self.hide()
        self.deleteLater()


class LockScreen(QDialog):
    """Asks for the passphrase of the locked case file. Emits `unlocked` when it opened."""

    unlocked = Signal()

    def __init__(self, workspace: Workspace, worker_name: str, reason: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self.setObjectName("lockScreen")
        self.setWindowTitle(self.tr("Wijkteam is vergrendeld"))
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self.setFixedWidth(480)

        title = heading_label(self.tr("Vergrendeld"), 8.0)
        why = (self.tr("Wijkteam is vergrendeld omdat er een tijd niets is gedaan.")
               if reason == "idle" else self.tr("Wijkteam is vergrendeld."))
        self.intro = muted_label(why + " " + self.tr(
            "Het dossier is gesloten. Wat u aan het invullen was, is versleuteld bewaard en "
            "staat weer klaar na het ontgrendelen."))
        self.worker = muted_label(self.tr("Medewerker: {name}").format(name=worker_name))

        field_label = QLabel(self.tr("&Wachtwoord"))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(self.tr("Wachtwoord"))
        self.passphrase.setMinimumHeight(32)
        field_label.setBuddy(self.passphrase)
        self.error = ErrorLabel()

        self.buttons = QDialogButtonBox()
        self.unlock_button = QPushButton(self.tr("&Ontgrendelen"))
        self.buttons.addButton(self.unlock_button, QDialogButtonBox.ButtonRole.AcceptRole)
        # Return in the field and the button both try once; no default-button juggling
        # (a button disabled during the key derivation may lose its default state).
        self.unlock_button.setAutoDefault(False)
        self.unlock_button.clicked.connect(self._attempt)
        self.passphrase.returnPressed.connect(self._attempt)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(6)
        layout.addWidget(title)
        layout.addWidget(self.intro)
        layout.addSpacing(4)
        layout.addWidget(self.worker)
        layout.addSpacing(14)
        layout.addWidget(field_label)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.error)
        layout.addSpacing(14)
        layout.addWidget(self.buttons)
        self.passphrase.setFocus()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        fit_height(self)
        self.passphrase.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() == Qt.Key.Key_Escape:
            return  # the lock screen only goes away with the passphrase
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return  # the field's returnPressed already tried; no second (default) attempt
        super().keyPressEvent(event)

    def reject(self) -> None:
        """Closing the window does not unlock anything."""

    def _attempt(self) -> None:
        passphrase = self.passphrase.text()
        if not passphrase:
            self._fail(self.tr("Vul uw wachtwoord in."))
            return
        try:
            with busy(self.passphrase, self.buttons):
                self._workspace.unlock_again(passphrase)
        except WijkteamError as exc:
            log.info("unlock after lock refused: %s", exc.code)
            self._fail(error_text(exc.code))
            return
        self.passphrase.clear()
        self.error.clear_message()
        self.accept()
        self.unlocked.emit()

    def _fail(self, message: str) -> None:
        self.error.show_message(message)
        self.passphrase.setAccessibleDescription(message)
        self.passphrase.clear()
        self.passphrase.setFocus()
        fit_height(self)
