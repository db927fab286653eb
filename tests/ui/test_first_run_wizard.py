"""The first-run wizard, driven by keyboard as a person would: typing, Tab, Return, Alt+key.

Runs offscreen with the in-memory keyring of tests/conftest.py and a fast key derivation.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QWidget, QWizard
from pytestqt.qtbot import QtBot

from wijkteam_app import __version__
from wijkteam_app.errors import WijkteamError
from wijkteam_app.messages import error_message
from wijkteam_app.paths import ProfilePaths
from wijkteam_app.services.profile import (
    KdfParams,
    LocalIdentity,
    Workspace,
    init_profile,
    profile_exists,
    unlock,
)
from wijkteam_app.ui.dialogs import first_run_wizard as module
from wijkteam_app.ui.dialogs.first_run_wizard import (
    PAGE_LOGIN,
    PAGE_PASSPHRASE,
    PAGE_WELCOME,
    FirstRunWizard,
    normalise_server_url,
    preset_server_url,
)
from wijkteam_app.ui.dialogs.unlock_dialog import UnlockDialog

pytestmark = pytest.mark.gui

PASSPHRASE = "een lange zin als wachtwoord"
FAST_KDF = KdfParams(time_cost=1, memory_cost_kib=1024, parallelism=1)
SERVER = "https://wijkteam.voorbeeldstad.nl"


def fast_init(paths: ProfilePaths, passphrase: str, identity: LocalIdentity) -> None:
    init_profile(paths, passphrase, identity, kdf=FAST_KDF)


@dataclass
class FakeLogin:
    """Stands in for SyncService.login; records what it saw when it was called."""

    paths: ProfilePaths
    refuse: int = 0  # refuse this many attempts first
    calls: list[tuple[str, str, str]] = field(default_factory=list)
    profile_existed: list[bool] = field(default_factory=list)
    workspaces: list[Workspace] = field(default_factory=list)

    def __call__(self, workspace: Workspace, url: str, username: str, password: str) -> str:
        self.calls.append((url, username, password))
        self.profile_existed.append(profile_exists(self.paths))
        self.workspaces.append(workspace)
        if self.refuse:
            self.refuse -= 1
            raise WijkteamError("refused")
        return "token"


@pytest.fixture
def new_paths(tmp_path: Path) -> ProfilePaths:
    return ProfilePaths(tmp_path / "nieuw")


@pytest.fixture(autouse=True)
def no_preset(monkeypatch: pytest.MonkeyPatch) -> None:
    """No server address configured by IT unless a test sets one."""
    monkeypatch.delenv(module.SERVER_URL_ENV, raising=False)
    monkeypatch.setattr(module, "config_files", lambda: [])


def open_wizard(qtbot: QtBot, paths: ProfilePaths, **kwargs: object) -> FirstRunWizard:
    wizard = FirstRunWizard(paths, init=fast_init, **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(wizard)
    with qtbot.waitExposed(wizard):
        wizard.show()
    qtbot.waitUntil(lambda: wizard.focusWidget() in (wizard.welcome.url,
                                                     wizard.welcome.local_choice))
    return wizard


def focused(wizard: FirstRunWizard) -> QWidget:
    widget = wizard.focusWidget()
    assert widget is not None
    return widget


def type_text(qtbot: QtBot, wizard: FirstRunWizard, text: str) -> None:
    qtbot.keyClicks(focused(wizard), text)


def press(qtbot: QtBot, wizard: FirstRunWizard, key: Qt.Key,
          modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(wizard), key, modifier)


def fill_passphrase_page(qtbot: QtBot, wizard: FirstRunWizard, repeat: str = PASSPHRASE,
                         demo: bool = False) -> None:
    page = wizard.passphrase_page
    assert focused(wizard) is page.name
    type_text(qtbot, wizard, "Fenna Testmedewerker")
    press(qtbot, wizard, Qt.Key.Key_Tab)
    assert focused(wizard) is page.team
    type_text(qtbot, wizard, "Team Noord")
    press(qtbot, wizard, Qt.Key.Key_Tab)
    assert focused(wizard) is page.passphrase
    type_text(qtbot, wizard, PASSPHRASE)
    press(qtbot, wizard, Qt.Key.Key_Tab)
    assert focused(wizard) is page.repeat
    type_text(qtbot, wizard, repeat)
    if demo:
        press(qtbot, wizard, Qt.Key.Key_Tab)
        assert focused(wizard) is page.demo
        press(qtbot, wizard, Qt.Key.Key_Space)
        assert page.demo.isChecked()
        page.repeat.setFocus()


def choose_local(qtbot: QtBot, wizard: FirstRunWizard) -> None:
    """From the address field: Shift+Tab to the checked radio button, arrow down to
    "Alleen lokaal werken" (Tab reaches only the checked button of a group, as usual)."""
    assert focused(wizard) is wizard.welcome.url
    press(qtbot, wizard, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert focused(wizard) is wizard.welcome.server_choice
    press(qtbot, wizard, Qt.Key.Key_Down)
    assert focused(wizard) is wizard.welcome.local_choice
    assert wizard.welcome.local_choice.isChecked()
    assert not wizard.welcome.url.isEnabled()


# --- local only --------------------------------------------------------------------------

def test_local_only_creates_the_profile_and_never_logs_in(
        qtbot: QtBot, new_paths: ProfilePaths) -> None:
    login = FakeLogin(new_paths)
    wizard = open_wizard(qtbot, new_paths, login=login)
    assert wizard.currentId() == PAGE_WELCOME
    choose_local(qtbot, wizard)
    press(qtbot, wizard, Qt.Key.Key_Return)
    assert wizard.currentId() == PAGE_PASSPHRASE
    assert "alle gegevens verloren" in wizard.passphrase_page.forgotten.text()
    # Without a server this is the last page: its button creates the profile.
    assert wizard.button(QWizard.WizardButton.FinishButton).isVisible()
    fill_passphrase_page(qtbot, wizard)
    press(qtbot, wizard, Qt.Key.Key_Return)

    assert wizard.result() == QDialog.DialogCode.Accepted
    assert profile_exists(new_paths)
    assert wizard.workspace is not None
    assert wizard.workspace.worker.display_name == "Fenna Testmedewerker"
    assert wizard.workspace.team.name == "Team Noord"
    assert wizard.server_url is None
    assert login.calls == []
    wizard.workspace.close()
    unlock(new_paths, PASSPHRASE).close()  # the chosen passphrase opens it


def test_without_a_login_function_only_local_work_is_offered(
        qtbot: QtBot, new_paths: ProfilePaths) -> None:
    wizard = open_wizard(qtbot, new_paths)
    assert wizard.welcome.local_choice.isChecked()
    assert not wizard.welcome.server_choice.isEnabled()
    assert focused(wizard) is wizard.welcome.local_choice
    press(qtbot, wizard, Qt.Key.Key_Return)
    assert wizard.currentId() == PAGE_PASSPHRASE


def test_demo_data_can_be_added_from_the_wizard(qtbot: QtBot, new_paths: ProfilePaths) -> None:
    filled: list[Workspace] = []

    def demo(workspace: Workspace) -> int:
        filled.append(workspace)
        return 3

    wizard = open_wizard(qtbot, new_paths, demo_fill=demo)
    press(qtbot, wizard, Qt.Key.Key_Return)
    fill_passphrase_page(qtbot, wizard, demo=True)
    press(qtbot, wizard, Qt.Key.Key_Return)
    assert wizard.result() == QDialog.DialogCode.Accepted
    assert filled == [wizard.workspace]
    assert wizard.workspace is not None
    wizard.workspace.close()


# --- with the municipal server -------------------------------------------------------------

def test_server_path_logs_in_after_the_profile_exists(
        qtbot: QtBot, new_paths: ProfilePaths) -> None:
    login = FakeLogin(new_paths)
    wizard = open_wizard(qtbot, new_paths, login=login)
    assert wizard.welcome.server_choice.isChecked()
    type_text(qtbot, wizard, SERVER + "/")
    press(qtbot, wizard, Qt.Key.Key_Return)
    assert wizard.currentId() == PAGE_PASSPHRASE
    assert "gesynchroniseerd" in wizard.passphrase_page.forgotten.text()
    assert wizard.passphrase_page.isCommitPage()
    fill_passphrase_page(qtbot, wizard)
    assert not profile_exists(new_paths)
    press(qtbot, wizard, Qt.Key.Key_Return)

    assert wizard.currentId() == PAGE_LOGIN
    assert profile_exists(new_paths)  # created when leaving the passphrase page
    assert login.calls == []
    assert SERVER in wizard.login_page.server.text()
    type_text(qtbot, wizard, "fenna")
    press(qtbot, wizard, Qt.Key.Key_Tab)
    assert focused(wizard) is wizard.login_page.password
    type_text(qtbot, wizard, "account-wachtwoord")
    press(qtbot, wizard, Qt.Key.Key_Return)

    assert login.calls == [(SERVER, "fenna", "account-wachtwoord")]
    assert login.profile_existed == [True]
    assert login.workspaces == [wizard.workspace]
    assert wizard.result() == QDialog.DialogCode.Accepted
    assert wizard.logged_in
    assert wizard.login_result == "token"
    assert wizard.server_url == SERVER
    assert wizard.workspace is not None
    wizard.workspace.close()


def test_a_refused_login_is_shown_in_dutch_and_can_be_retried(
        qtbot: QtBot, new_paths: ProfilePaths) -> None:
    login = FakeLogin(new_paths, refuse=1)
    wizard = open_wizard(qtbot, new_paths, login=login, server_url=SERVER)
    press(qtbot, wizard, Qt.Key.Key_Return)
    fill_passphrase_page(qtbot, wizard)
    press(qtbot, wizard, Qt.Key.Key_Return)
    type_text(qtbot, wizard, "fenna")
    press(qtbot, wizard, Qt.Key.Key_Tab)
    type_text(qtbot, wizard, "fout")
    press(qtbot, wizard, Qt.Key.Key_Return)

    page = wizard.login_page
    assert wizard.isVisible() and wizard.currentId() == PAGE_LOGIN
    assert page.general_error.isVisible()
    assert page.general_error.text().startswith("Inloggen is niet gelukt.")
    assert page.password.text() == ""
    assert focused(wizard) is page.password
    type_text(qtbot, wizard, "goed")
    press(qtbot, wizard, Qt.Key.Key_Return)
    assert [c[2] for c in login.calls] == ["fout", "goed"]
    assert wizard.result() == QDialog.DialogCode.Accepted
    assert wizard.workspace is not None
    wizard.workspace.close()


def test_an_unreachable_server_gets_a_generic_dutch_message(
        qtbot: QtBot, new_paths: ProfilePaths) -> None:
    def unreachable(workspace: Workspace, url: str, username: str, password: str) -> None:
        raise ConnectionError("no route to host 10.0.0.1")

    wizard = open_wizard(qtbot, new_paths, login=unreachable, server_url=SERVER)
    press(qtbot, wizard, Qt.Key.Key_Return)
    fill_passphrase_page(qtbot, wizard)
    press(qtbot, wizard, Qt.Key.Key_Return)
    type_text(qtbot, wizard, "fenna")
    press(qtbot, wizard, Qt.Key.Key_Tab)
    type_text(qtbot, wizard, "geheim")
    press(qtbot, wizard, Qt.Key.Key_Return)
    message = wizard.login_page.general_error.text()
    assert "niet bereikbaar" in message
    assert "10.0.0.1" not in message


class FakeSyncError(Exception):
    """Shaped like wijkteam_app.sync.transport.SyncError: a code and a Dutch message."""

    code = "login_failed"
    message = "Gebruikersnaam of wachtwoord klopt niet."


def test_a_sync_error_shows_its_dutch_message(qtbot: QtBot, new_paths: ProfilePaths) -> None:
    def refuse(workspace: Workspace, url: str, username: str, password: str) -> None:
        raise FakeSyncError("401 from https://server/api/v1/login")

    wizard = open_wizard(qtbot, new_paths, login=refuse, server_url=SERVER)
    press(qtbot, wizard, Qt.Key.Key_Return)
    fill_passphrase_page(qtbot, wizard)
    press(qtbot, wizard, Qt.Key.Key_Return)
    type_text(qtbot, wizard, "fenna")
    press(qtbot, wizard, Qt.Key.Key_Tab)
    type_text(qtbot, wizard, "geheim")
    press(qtbot, wizard, Qt.Key.Key_Return)
    assert wizard.login_page.general_error.text() == FakeSyncError.message


def test_login_can_be_postponed_with_escape_keeping_the_profile(
        qtbot: QtBot, new_paths: ProfilePaths) -> None:
    login = FakeLogin(new_paths)
    wizard = open_wizard(qtbot, new_paths, login=login, server_url=SERVER)
    press(qtbot, wizard, Qt.Key.Key_Return)
    fill_passphrase_page(qtbot, wizard)
    press(qtbot, wizard, Qt.Key.Key_Return)
    assert wizard.currentId() == PAGE_LOGIN
    assert wizard.button(QWizard.WizardButton.CustomButton1).isVisible()  # "Later inloggen"
    assert not wizard.button(QWizard.WizardButton.CancelButton).isVisible()
    press(qtbot, wizard, Qt.Key.Key_Escape)
    assert wizard.result() == QDialog.DialogCode.Accepted
    assert login.calls == []
    assert not wizard.logged_in
    assert wizard.workspace is not None
    wizard.workspace.close()


def test_an_invalid_server_address_is_refused_at_the_field(
        qtbot: QtBot, new_paths: ProfilePaths) -> None:
    wizard = open_wizard(qtbot, new_paths, login=FakeLogin(new_paths))
    welcome = wizard.welcome
    for typed, expected in [
        ("", "Vul het adres van de server in"),
        ("http://wijkteam.voorbeeldstad.nl", "https://"),
        ("https://geen adres", "geen geldig serveradres"),
    ]:
        welcome.url.setFocus()
        welcome.url.selectAll()
        press(qtbot, wizard, Qt.Key.Key_Backspace)
        type_text(qtbot, wizard, typed)
        press(qtbot, wizard, Qt.Key.Key_Return)
        assert wizard.currentId() == PAGE_WELCOME
        assert welcome.url_error.isVisible()
        assert expected in welcome.url_error.text()
        assert welcome.url.accessibleDescription() == welcome.url_error.text()
        assert focused(wizard) is welcome.url
    assert not profile_exists(new_paths)


def test_mismatching_passphrases_are_refused(qtbot: QtBot, new_paths: ProfilePaths) -> None:
    wizard = open_wizard(qtbot, new_paths)
    press(qtbot, wizard, Qt.Key.Key_Return)
    fill_passphrase_page(qtbot, wizard, repeat="een andere zin als wachtwoord")
    press(qtbot, wizard, Qt.Key.Key_Return)
    page = wizard.passphrase_page
    assert wizard.currentId() == PAGE_PASSPHRASE
    assert page.repeat_error.isVisible()
    assert page.repeat_error.text() == error_message("passphrase_mismatch")
    assert page.repeat.accessibleDescription() == error_message("passphrase_mismatch")
    assert page.repeat.text() == ""
    assert focused(wizard) is page.repeat
    assert not profile_exists(new_paths)
    assert wizard.workspace is None


def test_a_weak_passphrase_is_refused_at_the_field(qtbot: QtBot, new_paths: ProfilePaths) -> None:
    wizard = open_wizard(qtbot, new_paths)
    press(qtbot, wizard, Qt.Key.Key_Return)
    page = wizard.passphrase_page
    for edit, text in ((page.name, "Fenna"), (page.team, "Noord"), (page.passphrase, "kort"),
                       (page.repeat, "kort")):
        edit.setFocus()
        type_text(qtbot, wizard, text)
    press(qtbot, wizard, Qt.Key.Key_Return)
    assert wizard.currentId() == PAGE_PASSPHRASE
    assert page.passphrase_error.text() == error_message("passphrase_too_weak")
    assert focused(wizard) is page.passphrase
    assert not profile_exists(new_paths)


def test_cancelling_before_the_passphrase_leaves_nothing(
        qtbot: QtBot, new_paths: ProfilePaths) -> None:
    wizard = open_wizard(qtbot, new_paths)
    press(qtbot, wizard, Qt.Key.Key_Escape)
    assert wizard.result() == QDialog.DialogCode.Rejected
    assert wizard.workspace is None
    assert not new_paths.root.exists()


# --- accessibility and fit -----------------------------------------------------------------

def test_fields_have_accessible_names_and_labelled_mnemonics(
        qtbot: QtBot, new_paths: ProfilePaths) -> None:
    wizard = open_wizard(qtbot, new_paths, login=FakeLogin(new_paths))
    for page in (wizard.welcome, wizard.passphrase_page, wizard.login_page):
        for edit in page.findChildren(QLineEdit):
            assert edit.accessibleName(), edit
    assert wizard.width() <= 1366 and wizard.height() <= 700


def test_the_version_is_shown_in_the_wizard_and_the_unlock_dialog(
        qtbot: QtBot, new_paths: ProfilePaths, profile: ProfilePaths) -> None:
    wizard = open_wizard(qtbot, new_paths)
    assert any(__version__ in label.text() for label in wizard.welcome.findChildren(
        type(wizard.login_page.server)))
    dialog = UnlockDialog(profile)
    qtbot.addWidget(dialog)
    assert __version__ in dialog.version.text()


# --- the server address --------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "expected"), [
    ("https://wijkteam.gemeente.nl", "https://wijkteam.gemeente.nl"),
    ("  https://wijkteam.gemeente.nl/  ", "https://wijkteam.gemeente.nl"),
    ("wijkteam.gemeente.nl", "https://wijkteam.gemeente.nl"),
    ("https://wijkteam.gemeente.nl:8443/api", "https://wijkteam.gemeente.nl:8443/api"),
    ("https://localhost:8443", "https://localhost:8443"),
    ("http://wijkteam.gemeente.nl", None),
    ("ftp://wijkteam.gemeente.nl", None),
    ("https://", None),
    ("https://gebruiker@wijkteam.gemeente.nl", None),
    ("https://wijkteam.gemeente.nl/?x=1", None),
    ("https://geen adres.nl", None),
    ("", None),
])
def test_server_addresses(typed: str, expected: str | None) -> None:
    url, message = normalise_server_url(typed)
    assert url == expected
    assert bool(message) == (expected is None)


def test_it_can_preset_the_server_address(
        qtbot: QtBot, new_paths: ProfilePaths, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    ini = tmp_path / "wijkteam.ini"
    ini.write_text("[server]\nurl = https://ini.voorbeeldstad.nl\n", encoding="utf-8")
    monkeypatch.setattr(module, "config_files", lambda: [tmp_path / "ontbreekt.ini", ini])
    assert preset_server_url() == "https://ini.voorbeeldstad.nl"
    monkeypatch.setenv(module.SERVER_URL_ENV, "https://env.voorbeeldstad.nl")
    assert preset_server_url() == "https://env.voorbeeldstad.nl"
    wizard = open_wizard(qtbot, new_paths, login=FakeLogin(new_paths))
    assert wizard.welcome.url.text() == "https://env.voorbeeldstad.nl"
