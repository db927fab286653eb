"""First start on a laptop: create the encrypted case file and choose its passphrase."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wijkteam_app.domain.validation import ErrorCode
from wijkteam_app.errors import PassphraseTooWeak, WijkteamError
from wijkteam_app.paths import ProfilePaths
from wijkteam_app.services import profile
from wijkteam_app.services.profile import LocalIdentity, Workspace
from wijkteam_app.ui.dialogs.unlock_dialog import UnlockFunction, busy
from wijkteam_app.ui.i18n import error_text, field_text
from wijkteam_app.ui.widgets import ErrorLabel, fit_height, heading_label, muted_label

log = logging.getLogger(__name__)

InitFunction = Callable[[ProfilePaths, str, LocalIdentity], None]
DemoFunction = Callable[[Workspace], int]


def _init_profile(paths: ProfilePaths, passphrase: str, identity: LocalIdentity) -> None:
    profile.init_profile(paths, passphrase, identity)


def _fill_demo(workspace: Workspace) -> int:
    from wijkteam_app.services.demo import fill_demo  # optional feature, loaded when asked

    return fill_demo(workspace)


class CreateProfileDialog(QDialog):
    """Creates the profile; on success `workspace` holds it, already unlocked."""

    def __init__(
        self,
        paths: ProfilePaths,
        init_profile: InitFunction = _init_profile,
        unlock: UnlockFunction = profile.unlock,
        fill_demo: DemoFunction = _fill_demo,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._paths = paths
        self._init_profile = init_profile
        self._unlock = unlock
        self._fill_demo = fill_demo
        self.workspace: Workspace | None = None

        self.setWindowTitle(self.tr("Nieuw dossier aanmaken"))
        self.setFixedWidth(520)

        title = heading_label(self.tr("Nieuw dossier aanmaken"), 6.0)
        intro = muted_label(self.tr(
            "Op deze laptop staat nog geen dossier. Het wachtwoord dat u nu kiest, beveiligt "
            "alle gegevens die u op deze laptop vastlegt. Wijkteam kan een vergeten wachtwoord "
            "niet herstellen: zonder wachtwoord zijn de gegevens niet meer te openen."
        ))

        self.name = self._line_edit(self.tr("Uw naam"))
        self.team = self._line_edit(self.tr("Naam van het team"))
        self.passphrase = self._line_edit(self.tr("Wachtwoord"), secret=True)
        self.repeat = self._line_edit(self.tr("Herhaal wachtwoord"), secret=True)
        self.name_error = ErrorLabel()
        self.team_error = ErrorLabel()
        self.passphrase_error = ErrorLabel()
        self.repeat_error = ErrorLabel()
        self.general_error = ErrorLabel()
        hint = muted_label(self.tr(
            "Minstens 10 tekens. Een zin van een paar woorden is sterk en goed te onthouden."))

        self.demo = QCheckBox(self.tr("Vul met fictieve voorbeeldgegevens (demo)"))
        self.demo.setToolTip(self.tr(
            "Voegt verzonnen huishoudens toe om het programma te verkennen. Gebruik dit niet "
            "voor een dossier met echte cliënten."))

        self.buttons = QDialogButtonBox()
        self.create_button = QPushButton(self.tr("Aanmaken"))
        self.create_button.setDefault(True)
        self.quit_button = QPushButton(self.tr("Afsluiten"))
        self.quit_button.setAutoDefault(False)
        self.buttons.addButton(self.create_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._attempt)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(6)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addSpacing(10)
        self._add_field(layout, self.tr("&Uw naam"), self.name, self.name_error)
        self._add_field(layout, self.tr("Naam van het &team"), self.team, self.team_error)
        self._add_field(layout, self.tr("W&achtwoord"), self.passphrase, self.passphrase_error,
                        hint)
        self._add_field(layout, self.tr("&Herhaal wachtwoord"), self.repeat, self.repeat_error)
        layout.addSpacing(6)
        layout.addWidget(self.demo)
        layout.addWidget(self.general_error)
        layout.addSpacing(14)
        layout.addWidget(self.buttons)

        self.name.setFocus()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        fit_height(self)

    # --- building --------------------------------------------------------------------------

    @staticmethod
    def _line_edit(accessible_name: str, secret: bool = False) -> QLineEdit:
        edit = QLineEdit()
        edit.setAccessibleName(accessible_name)
        edit.setMinimumHeight(30)
        if secret:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit

    @staticmethod
    def _add_field(layout: QVBoxLayout, caption: str, edit: QLineEdit, error: ErrorLabel,
                   hint: QLabel | None = None) -> None:
        label = QLabel(caption)
        label.setBuddy(edit)
        layout.addSpacing(8)
        layout.addWidget(label)
        layout.addWidget(edit)
        if hint is not None:
            layout.addWidget(hint)
        layout.addWidget(error)

    # --- creating --------------------------------------------------------------------------

    def _attempt(self) -> None:
        for label in (self.name_error, self.team_error, self.passphrase_error,
                      self.repeat_error, self.general_error):
            label.clear_message()
        for edit in (self.name, self.team, self.passphrase, self.repeat):
            edit.setAccessibleDescription("")
        name = self.name.text().strip()
        team = self.team.text().strip()
        passphrase = self.passphrase.text()
        invalid: list[QLineEdit] = []
        if not name:
            self._mark(self.name, self.name_error, field_text(ErrorCode.REQUIRED), invalid)
        if not team:
            self._mark(self.team, self.team_error, field_text(ErrorCode.REQUIRED), invalid)
        if not passphrase:
            self._mark(self.passphrase, self.passphrase_error, field_text(ErrorCode.REQUIRED),
                       invalid)
        elif passphrase != self.repeat.text():
            self._mark(self.repeat, self.repeat_error, error_text("passphrase_mismatch"),
                       invalid)
            self.repeat.clear()
        if invalid:
            self._finish_failure(invalid[0])
            return

        identity = LocalIdentity(display_name=name, team_name=team)
        try:
            with busy(self):
                self._init_profile(self._paths, passphrase, identity)
                workspace = self._unlock(self._paths, passphrase)
        except PassphraseTooWeak as exc:
            self._mark(self.passphrase, self.passphrase_error, error_text(exc.code), [])
            self.passphrase.clear()
            self.repeat.clear()
            self._finish_failure(self.passphrase)
            return
        except WijkteamError as exc:
            log.warning("profile creation refused: %s", exc.code)
            self.general_error.show_message(error_text(exc.code))
            self._finish_failure(self.passphrase)
            return
        log.info("profile created from the UI")

        if self.demo.isChecked():
            self._add_demo_data(workspace)
        self.workspace = workspace
        self.accept()

    def _add_demo_data(self, workspace: Workspace) -> None:
        try:
            with busy(self):
                count = self._fill_demo(workspace)
        except (WijkteamError, ImportError) as exc:
            log.warning("demo data not added: %s", type(exc).__name__)
            QMessageBox.warning(self, self.tr("Voorbeeldgegevens"), self.tr(
                "De voorbeeldgegevens konden niet worden toegevoegd. Het dossier zelf is wel "
                "aangemaakt."))
            return
        log.info("demo data added: %d households", count)

    @staticmethod
    def _mark(edit: QLineEdit, error: ErrorLabel, message: str,
              invalid: list[QLineEdit]) -> None:
        error.show_message(message)
        edit.setAccessibleDescription(message)
        invalid.append(edit)

    def _finish_failure(self, focus: QLineEdit) -> None:
        focus.setFocus()
        fit_height(self)
