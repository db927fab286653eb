"""The first thing a returning worker sees: the passphrase prompt for the case file.

Besides a wrong passphrase it says truthfully what else is wrong: a damaged, empty or
truncated case file, a missing key file or case file, a full disk, a read-only folder. For a
damaged or missing case file it offers what can be done without touching it: restore the
newest backup from ``backups/`` (the damaged file is set aside), or start fresh and fetch the
dossier from the municipal server again (`FRESH_START` as the dialog's result). After three
wrong passphrases in a row each next attempt waits, with a countdown.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QEventLoop, Qt, QTimer
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
from wijkteam_app.errors import (
    CaseFileDamaged,
    CaseFileGone,
    UnlockThrottled,
    WijkteamError,
    WrongPassphrase,
)
from wijkteam_app.paths import ProfilePaths
from wijkteam_app.services import profile, recovery
from wijkteam_app.services.profile import UnlockThrottle, Workspace
from wijkteam_app.ui.i18n import error_text
from wijkteam_app.ui.widgets import ErrorLabel, fit_height, heading_label, muted_label

log = logging.getLogger(__name__)

UnlockFunction = Callable[[ProfilePaths, str], Workspace]
FRESH_START = 2  # the dialog's result: set the file aside and run the first-run wizard


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

        # What can be done about a damaged or missing case file (hidden until then).
        self.restore_button = QPushButton()
        self.restore_button.setAutoDefault(False)
        self.restore_button.clicked.connect(self.restore_newest_backup)
        self.fresh_button = QPushButton(self.tr("Opnieuw beginnen en ophalen van de &server"))
        self.fresh_button.setAutoDefault(False)
        self.fresh_button.setToolTip(self.tr(
            "Het beschadigde bestand wordt opzij gezet (niet gewist). Daarna maakt u een nieuw "
            "dossier en haalt u uw huishoudens opnieuw op bij de gemeentelijke server."))
        self.fresh_button.clicked.connect(self.start_fresh)
        self.recovery_note = muted_label("")
        for widget in (self.restore_button, self.fresh_button, self.recovery_note):
            widget.setVisible(False)
        layout.insertWidget(layout.indexOf(self.buttons), self.recovery_note)
        layout.insertWidget(layout.indexOf(self.buttons), self.restore_button)
        layout.insertWidget(layout.indexOf(self.buttons), self.fresh_button)

        self._throttle = UnlockThrottle(paths)
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)
        self.passphrase.setFocus()
        waiting = self._throttle.seconds_left()
        if waiting:
            self._wait(waiting)

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
        except UnlockThrottled as exc:
            log.info("unlock refused: throttled")
            self._wait(exc.seconds)
            return
        except WrongPassphrase as exc:
            log.info("unlock refused: %s", exc.code)
            self._fail(error_text(exc.code))
            waiting = self._throttle.seconds_left()
            if waiting:
                self._wait(waiting)
            return
        except (CaseFileDamaged, CaseFileGone) as exc:
            log.info("unlock refused: %s", exc.code)
            self._fail(error_text(exc.code))
            self._offer_recovery(passphrase)
            return
        except WijkteamError as exc:
            log.info("unlock refused: %s", exc.code)
            self._fail(error_text(exc.code))
            return
        self.workspace = workspace
        self.error.clear_message()
        self.accept()

    # --- a growing wait after wrong passphrases ------------------------------------------

    def _wait(self, seconds: int) -> None:
        self._seconds_left = seconds
        self.passphrase.setEnabled(False)
        self.unlock_button.setEnabled(False)
        self._show_wait()
        self._countdown.start()

    def _show_wait(self) -> None:
        text = self.tr("Het wachtwoord is te vaak achter elkaar onjuist ingevoerd. U kunt het "
                       "over {n} seconden opnieuw proberen; er is niets gewijzigd.").format(
            n=self._seconds_left)
        self.error.show_message(text)
        self.passphrase.setAccessibleDescription(text)
        fit_height(self)

    def _tick(self) -> None:
        self._seconds_left = self._throttle.seconds_left()
        if self._seconds_left > 0:
            self._show_wait()
            return
        self._countdown.stop()
        self.passphrase.setEnabled(True)
        self.unlock_button.setEnabled(True)
        self.unlock_button.setDefault(True)
        self.error.show_message(self.tr("U kunt het opnieuw proberen."))
        self.passphrase.setFocus()

    # --- a damaged or missing case file ----------------------------------------------------

    def _offer_recovery(self, passphrase: str) -> None:
        self._recovery_passphrase = passphrase
        newest = next(iter(recovery.backups(self._paths)), None)
        self._backup = newest
        if newest is not None:
            self.restore_button.setText(self.tr("&Reservekopie van {moment} terugzetten").format(
                moment=newest.made_at.strftime("%d-%m-%Y %H:%M")))
        self.restore_button.setVisible(newest is not None)
        self.fresh_button.setVisible(True)
        self.recovery_note.setText(self.tr(
            "Het beschadigde bestand wordt niet gewijzigd of gewist: het gaat opzij naar de map "
            "'beschadigd', zodat de IT-afdeling er nog naar kan kijken.") if newest else
            self.tr("Er is geen reservekopie in de map 'backups'. Het beschadigde bestand gaat "
                    "opzij naar de map 'beschadigd' (niet gewist); daarna haalt u uw dossier "
                    "opnieuw op bij de server."))
        self.recovery_note.setVisible(True)
        fit_height(self)

    def restore_newest_backup(self) -> None:
        backup = getattr(self, "_backup", None)
        if backup is None:
            return
        try:
            with busy(self.restore_button, self.fresh_button, self.buttons):
                workspace = recovery.restore_backup(self._paths, backup,
                                                    self._recovery_passphrase)
        except WijkteamError as exc:
            log.info("restore refused: %s", exc.code)
            self.error.show_message(self.tr("De reservekopie kon niet worden teruggezet: "
                                            "{reason}").format(reason=error_text(exc.code)))
            fit_height(self)
            return
        self.workspace = workspace
        self.accept()

    def start_fresh(self) -> None:
        recovery.start_fresh(self._paths)
        self.done(FRESH_START)

    def _fail(self, message: str) -> None:
        # Disabling the buttons while the key is derived can cost the unlock button its
        # "default" (Qt); without it, Return after the second wrong passphrase did nothing.
        self.unlock_button.setDefault(True)
        self.error.show_message(message)
        self.passphrase.setAccessibleDescription(message)
        self.passphrase.clear()
        self.passphrase.setFocus()
        fit_height(self)
