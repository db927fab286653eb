"""Auto-lock: an unattended Wijkteam locks itself (municipal idle time, default 5 minutes) or
on request; the case file closes, the key is dropped, every window is covered, and what was
being typed is kept (as an encrypted draft and in the form) and back after the passphrase.

No sleeping: the idle timer is driven directly (a short interval, or `expire()`).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from tests.conftest import PASSPHRASE
from wijkteam_app.errors import CaseFileLocked
from wijkteam_app.paths import ProfilePaths
from wijkteam_app.persistence.schema import AuditRecord
from wijkteam_app.services import municipal
from wijkteam_app.services.drafts import DraftService
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import Workspace, unlock
from wijkteam_app.ui.dialogs.intake_wizard import DRAFT_KEY, IntakeWizard
from wijkteam_app.ui.dialogs.lock_screen import LockCover, LockScreen
from wijkteam_app.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot: QtBot, workspace: Workspace) -> Iterator[MainWindow]:
    win = MainWindow(workspace)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close_workspace()


def type_passphrase(qtbot: QtBot, screen: LockScreen, text: str) -> None:
    qtbot.keyClicks(screen.passphrase, text)
    qtbot.keyClick(screen.passphrase, Qt.Key.Key_Return)


def covers() -> list[LockCover]:
    return [c for w in QApplication.topLevelWidgets() for c in w.findChildren(LockCover)
            if c.isVisible()]


def test_idle_time_comes_from_the_municipal_setting_default_five_minutes(
        qtbot: QtBot, profile: ProfilePaths) -> None:
    ws = unlock(profile, PASSPHRASE)
    first = MainWindow(ws)
    qtbot.addWidget(first)
    assert first.locker.idle.timer.interval() == 5 * 60_000
    first.close_workspace()

    ws = unlock(profile, PASSPHRASE)
    municipal.store_settings(ws.casefile, {"idle_lock_minutes": 2})
    second = MainWindow(ws)
    qtbot.addWidget(second)
    assert second.locker.idle.timer.interval() == 2 * 60_000
    second.close_workspace()


def test_idle_lock_closes_the_case_file_and_the_passphrase_opens_it_again(
        qtbot: QtBot, window: MainWindow, workspace: Workspace) -> None:
    window.locker.idle.timer.setInterval(30)  # a short idle time; the timer runs for real
    window.locker.idle.start()
    qtbot.waitUntil(lambda: window.locker.locked, timeout=5_000)

    screen = window.locker.screen
    assert screen is not None and screen.isVisible()
    assert "niets is gedaan" in screen.intro.text()
    assert covers(), "the main window is covered"
    assert window.windowTitle() == "Wijkteam (vergrendeld)"
    with pytest.raises(CaseFileLocked):
        HouseholdService(workspace).list()

    qtbot.keyClick(screen.passphrase, Qt.Key.Key_Escape)  # Escape does not unlock
    assert screen.isVisible() and workspace.locked

    type_passphrase(qtbot, screen, "niet het goede wachtwoord")
    assert screen.error.isVisible() and "wachtwoord klopt niet" in screen.error.text()
    assert workspace.locked

    type_passphrase(qtbot, screen, PASSPHRASE)
    assert not workspace.locked, screen.error.text()
    assert not window.locker.locked
    assert not covers()
    assert window.windowTitle().startswith("Wijkteam — ")
    HouseholdService(workspace).list()  # the case file is open again
    assert window.locker.idle.timer.isActive()  # and the countdown runs again
    with workspace.casefile.read() as session:
        actions = list(session.scalars(select(AuditRecord.action).order_by(AuditRecord.id)))
    assert actions[-2:] == ["dossier.vergrendelen", "dossier.ontgrendelen"]


def test_input_restarts_the_countdown(qtbot: QtBot, window: MainWindow) -> None:
    timer = window.locker.idle.timer
    timer.setInterval(600_000)
    timer.start()
    first = timer.remainingTime()
    qtbot.waitUntil(lambda: timer.remainingTime() < first - 100, timeout=5_000)
    assert window.locker.idle.quiet_ms() >= 100  # (what the dashboard warmer waits on)
    qtbot.mouseMove(window.search, window.search.rect().center())
    assert timer.remainingTime() > first - 50  # a moving pointer restarts the countdown...
    assert window.locker.idle.quiet_ms() >= 100  # ... but asks nothing of the app
    first = timer.remainingTime()
    qtbot.waitUntil(lambda: timer.remainingTime() < first - 100, timeout=5_000)
    qtbot.keyClicks(window.search, "a")
    assert timer.remainingTime() > first - 50
    assert window.locker.idle.quiet_ms() < 100
    assert not window.locker.locked


def test_lock_on_request_keeps_what_was_typed_in_an_open_form(
        qtbot: QtBot, window: MainWindow, workspace: Workspace) -> None:
    wizard = IntakeWizard(workspace, window)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    qtbot.keyClicks(wizard.referrer, "Huisarts Proefmans")
    assert DraftService(workspace).get(DRAFT_KEY) is None  # not yet written (typing pause)

    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert window.locker.locked
    screen = window.locker.screen
    assert screen is not None and "omdat" not in screen.intro.text()
    assert wizard.windowTitle() == "Wijkteam (vergrendeld)"
    assert any(c.parentWidget() is wizard for c in covers())

    type_passphrase(qtbot, screen, PASSPHRASE)
    assert not window.locker.locked
    # The draft was written (encrypted) before the file closed, and the form kept its input.
    draft = DraftService(workspace).get(DRAFT_KEY)
    assert draft is not None and "Huisarts Proefmans" in str(draft.payload)
    assert wizard.isVisible() and wizard.referrer.text() == "Huisarts Proefmans"
    qtbot.keyClicks(wizard.referrer, " (dr. Voorbeeld)")
    qtbot.waitUntil(lambda: "dr. Voorbeeld" in str(DraftService(workspace).get(DRAFT_KEY)),
                    timeout=5_000)  # the form keeps its draft again after unlocking
    wizard.close()


def test_lock_menu_item(qtbot: QtBot, window: MainWindow) -> None:
    assert window.lock_action.shortcut().toString() == "Ctrl+Shift+L"
    assert window.lock_action in window.menuBar().actions()[0].menu().actions()
    window.lock_action.trigger()
    assert window.locker.locked
    screen = window.locker.screen
    assert screen is not None
    type_passphrase(qtbot, screen, PASSPHRASE)
    assert not window.locker.locked
