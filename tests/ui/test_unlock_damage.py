"""The unlock dialog with a damaged case file (what happened, restore from backups/ or start
fresh) and after repeated wrong passphrases (a countdown)."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.conftest import PASSPHRASE
from tests.helpers.factories import household
from wijkteam_app.messages import error_message
from wijkteam_app.paths import ProfilePaths
from wijkteam_app.services import recovery
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import unlock
from wijkteam_app.ui.dialogs.unlock_dialog import FRESH_START, UnlockDialog

pytestmark = pytest.mark.gui


def open_dialog(qtbot: QtBot, paths: ProfilePaths) -> UnlockDialog:
    dialog = UnlockDialog(paths)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def type_passphrase(qtbot: QtBot, dialog: UnlockDialog, text: str) -> None:
    qtbot.keyClicks(dialog.passphrase, text)
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)


@pytest.fixture
def damaged(profile: ProfilePaths) -> ProfilePaths:
    ws = unlock(profile, PASSPHRASE)
    HouseholdService(ws).create(household("Huishouden Hersteld"))
    ws.close()
    profile.backups.mkdir(exist_ok=True)
    shutil.copyfile(profile.casefile, profile.backups / "dossier-20261201T080000Z-x.wijkteam")
    with profile.casefile.open("r+b") as handle:
        handle.seek(100)
        handle.write(b"\0" * 200)  # the first page
    return profile


def test_a_damaged_file_says_so_and_restores_the_newest_backup(
        qtbot: QtBot, damaged: ProfilePaths) -> None:
    dialog = open_dialog(qtbot, damaged)
    type_passphrase(qtbot, dialog, PASSPHRASE)
    assert dialog.error.text() == error_message("casefile_damaged_first_page")
    assert "sleutel past niet" not in dialog.error.text()
    assert dialog.restore_button.isVisible() and dialog.fresh_button.isVisible()
    assert dialog.restore_button.text().startswith("&Reservekopie van ")
    damaged_bytes = damaged.casefile.read_bytes()
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == UnlockDialog.DialogCode.Accepted
    assert dialog.workspace is not None
    try:
        assert [h.name for h in HouseholdService(dialog.workspace).list()] == [
            "Huishouden Hersteld"]
    finally:
        dialog.workspace.close()
    aside = next((damaged.root / recovery.ASIDE_FOLDER).iterdir())
    assert (aside / damaged.casefile.name).read_bytes() == damaged_bytes


def test_start_fresh_sets_the_file_and_key_aside(qtbot: QtBot, damaged: ProfilePaths) -> None:
    for backup in damaged.backups.iterdir():
        backup.unlink()
    dialog = open_dialog(qtbot, damaged)
    type_passphrase(qtbot, dialog, PASSPHRASE)
    assert not dialog.restore_button.isVisible()
    assert "geen reservekopie" in dialog.recovery_note.text()
    qtbot.mouseClick(dialog.fresh_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == FRESH_START
    assert not damaged.casefile.exists() and not damaged.keyfile.exists()
    aside = next((damaged.root / recovery.ASIDE_FOLDER).iterdir())
    assert {p.name for p in aside.iterdir()} >= {damaged.casefile.name, damaged.keyfile.name}


def test_after_three_wrong_passphrases_the_dialog_counts_down(
        qtbot: QtBot, profile: ProfilePaths) -> None:
    dialog = open_dialog(qtbot, profile)
    for _ in range(3):
        type_passphrase(qtbot, dialog, "niet het goede wachtwoord")
    assert not dialog.passphrase.isEnabled() and not dialog.unlock_button.isEnabled()
    assert "te vaak achter elkaar onjuist" in dialog.error.text()
    assert "over 5 seconden" in dialog.error.text() or "over 4 seconden" in dialog.error.text()
    qtbot.waitUntil(dialog.passphrase.isEnabled, timeout=8000)
    type_passphrase(qtbot, dialog, PASSPHRASE)
    assert dialog.result() == UnlockDialog.DialogCode.Accepted
    assert dialog.workspace is not None
    dialog.workspace.close()


