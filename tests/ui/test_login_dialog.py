"""The in-app login dialog, driven by keyboard: typing, Tab and Return.

A small fake stands in for SyncService: the dialog only calls `login` and `is_logged_in`;
the real server path is covered by tests/sync.
"""

from __future__ import annotations

import dataclasses
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLineEdit, QMenu
from pytestqt.qtbot import QtBot

from tests.ui.test_mnemonics import clashes
from wijkteam_app.services.profile import Workspace
from wijkteam_app.services.sync import LoginResult
from wijkteam_app.sync.transport import AuthenticationFailed
from wijkteam_app.ui.dialogs import first_run_wizard
from wijkteam_app.ui.dialogs import login_dialog as module
from wijkteam_app.ui.dialogs.login_dialog import LoginDialog
from wijkteam_app.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

SERVER = "https://wijkteam.voorbeeldstad.nl"
PASSWORD = "geheim-123"
RESULT = LoginResult(user_id="u1", username="fatima", display_name="Fatima Bakker",
                     role="medewerker", team_id="t1", team_name="Wijkteam Noord",
                     device_id="d1", adopted_local_identity=True)


@dataclass
class FakeService:
    """Records the logins it was asked for; raises `errors` first, one per attempt."""

    errors: list[Exception] = field(default_factory=list)
    calls: list[tuple[str, str, str]] = field(default_factory=list)
    logged_in: bool = False

    def login(self, url: str, username: str, password: str) -> LoginResult:
        self.calls.append((url, username, password))
        if self.errors:
            raise self.errors.pop(0)
        self.logged_in = True
        return RESULT

    def is_logged_in(self) -> bool:
        return self.logged_in


@pytest.fixture(autouse=True)
def no_preset(monkeypatch: pytest.MonkeyPatch) -> None:
    """No server address configured by IT."""
    monkeypatch.delenv(first_run_wizard.SERVER_URL_ENV, raising=False)
    monkeypatch.setattr(first_run_wizard, "config_files", lambda: [])


@pytest.fixture
def confirmations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The "you are logged in" texts, instead of a modal message box."""
    shown: list[str] = []
    monkeypatch.setattr(LoginDialog, "confirm",
                        lambda self, result: shown.append(self.confirmation_text(result)))
    return shown


def open_dialog(qtbot: QtBot, service: FakeService) -> LoginDialog:
    dialog = LoginDialog(service)
    qtbot.addWidget(dialog)
    with qtbot.waitExposed(dialog):
        dialog.show()
    dialog.activateWindow()
    return dialog


def fill_in(qtbot: QtBot, dialog: LoginDialog, url: str, username: str = "fatima",
            password: str = PASSWORD) -> None:
    """Type into the form from the address field on, moving on with Tab, then Return."""
    assert dialog.focusWidget() is dialog.url
    qtbot.keyClicks(dialog.url, url)
    qtbot.keyClick(dialog.url, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.username
    qtbot.keyClicks(dialog.username, username)
    qtbot.keyClick(dialog.username, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.password
    qtbot.keyClicks(dialog.password, password)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)


def test_the_form_is_accessible(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, FakeService())
    for edit in (dialog.url, dialog.username, dialog.password):
        assert edit.accessibleName()
    assert dialog.password.echoMode() == QLineEdit.EchoMode.Password
    assert clashes(dialog) == {}


def test_an_invalid_url_is_refused_at_the_field(qtbot: QtBot) -> None:
    service = FakeService()
    dialog = open_dialog(qtbot, service)
    fill_in(qtbot, dialog, "http://wijkteam.voorbeeldstad.nl")

    assert service.calls == []
    assert dialog.isVisible() and dialog.result() == 0
    assert dialog.url_error.isVisibleTo(dialog)
    assert "https://" in dialog.url_error.text()
    assert dialog.url.accessibleDescription() == dialog.url_error.text()
    assert dialog.focusWidget() is dialog.url

    # Corrected by keyboard, it goes through.
    qtbot.keyClick(dialog.url, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.url, "wijkteam.voorbeeldstad.nl")
    qtbot.keyClick(dialog.url, Qt.Key.Key_Tab)
    assert not dialog.url_error.isVisibleTo(dialog)


def test_a_sync_error_is_shown_in_dutch_and_the_dialog_stays_open(
        qtbot: QtBot, confirmations: list[str]) -> None:
    service = FakeService(errors=[AuthenticationFailed("401 from server")])
    dialog = open_dialog(qtbot, service)
    fill_in(qtbot, dialog, SERVER)

    assert service.calls == [(SERVER, "fatima", PASSWORD)]
    assert dialog.isVisible() and dialog.result() == 0
    assert dialog.general_error.text() == "Gebruikersnaam of wachtwoord is onjuist."
    assert "401" not in dialog.general_error.text()
    assert dialog.password.text() == ""
    assert dialog.focusWidget() is dialog.password
    assert confirmations == []

    # Try again with the right password: Return in the password field submits.
    qtbot.keyClicks(dialog.password, "goed-wachtwoord")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert service.calls[-1] == (SERVER, "fatima", "goed-wachtwoord")
    assert dialog.result() == LoginDialog.DialogCode.Accepted.value


def test_another_error_shows_a_general_message_without_its_text(qtbot: QtBot) -> None:
    service = FakeService(errors=[RuntimeError("ssl: certificate verify failed at 10.0.0.1")])
    dialog = open_dialog(qtbot, service)
    fill_in(qtbot, dialog, SERVER)

    assert dialog.isVisible()
    text = dialog.general_error.text()
    assert text.startswith("Aanmelden is niet gelukt")
    assert "ssl" not in text and "10.0.0.1" not in text


def test_success_says_who_is_logged_in_and_accepts(qtbot: QtBot,
                                                   confirmations: list[str]) -> None:
    service = FakeService()
    dialog = open_dialog(qtbot, service)
    fill_in(qtbot, dialog, "wijkteam.voorbeeldstad.nl/")  # https:// is added

    assert service.calls == [(SERVER, "fatima", PASSWORD)]
    assert dialog.result() == LoginDialog.DialogCode.Accepted.value
    assert not dialog.isVisible()
    assert dialog.result_login == RESULT
    assert len(confirmations) == 1
    assert "Fatima Bakker" in confirmations[0] and "Wijkteam Noord" in confirmations[0]


def test_empty_fields_are_required(qtbot: QtBot) -> None:
    service = FakeService()
    dialog = open_dialog(qtbot, service)
    qtbot.keyClick(dialog.url, Qt.Key.Key_Return)
    assert service.calls == []
    assert dialog.isVisible()
    for error in (dialog.url_error, dialog.username_error, dialog.password_error):
        assert error.isVisibleTo(dialog)


# --- the main window ---------------------------------------------------------------------


def test_main_window_offers_login_while_not_logged_in(
        qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    action = window.login_action
    # Once the sync status is known (right after the caseload is shown): a fresh case file
    # is local only.
    qtbot.waitUntil(action.isEnabled)
    menu = next(o for o in action.associatedObjects() if isinstance(o, QMenu))
    assert menu.title() == "&Synchronisatie"
    keys = [QKeySequence.mnemonic(a.text()).toString()
            for a in menu.actions() if not a.isSeparator()]
    assert len(keys) == len(set(keys))

    started: list[bool] = []

    def accept_as_server_worker(_dialog: LoginDialog) -> int:
        # What SyncService.login does on success: adopt the server's worker and team.
        workspace.worker = dataclasses.replace(workspace.worker, display_name="Anouk Server")
        workspace.team = dataclasses.replace(workspace.team, name="Team Server")
        return LoginDialog.DialogCode.Accepted.value

    monkeypatch.setattr(module.LoginDialog, "exec", accept_as_server_worker)
    monkeypatch.setattr(window.sync_service, "is_logged_in", lambda: True)
    monkeypatch.setattr(window.sync, "start", lambda: started.append(True))
    action.trigger()
    assert started == [True]
    assert not action.isEnabled()
    assert window.windowTitle() == "Wijkteam — Team Server"
    assert "Anouk Server" in window.worker_label.text()
    window.close()
