"""Typed input survives: drafts are kept while typing and offered back.

The main test kills a child process (SIGKILL) right after it typed into the intake wizard,
then opens the same profile here and takes the offer.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton
from pytestqt.qtbot import QtBot

from tests.conftest import FAST_KDF, PASSPHRASE
from tests.helpers import draft_typist
from tests.helpers.file_keyring import ENV_VAR, FileKeyring
from wijkteam_app.domain.cases import Case, CaseStatus, ReferralSource
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.people import Address, Household, HouseholdRole, Person
from wijkteam_app.paths import ProfilePaths
from wijkteam_app.services.drafts import DraftService
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import Workspace, init_profile, unlock
from wijkteam_app.ui.dialogs.household_dialogs import ContactDialog
from wijkteam_app.ui.dialogs.intake_wizard import DRAFT_KEY, STEP_HOUSEHOLD, IntakeWizard

pytestmark = pytest.mark.gui

REPO = Path(__file__).resolve().parents[2]
CHILD_TIMEOUT = 60.0


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=button.rect().center())


def show(qtbot: QtBot, widget: IntakeWizard | ContactDialog) -> None:
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)


@pytest.fixture
def file_keyring(tmp_path: Path) -> Iterator[Path]:
    """A keyring in a file, shared with the child process."""
    path = tmp_path / "keyring.json"
    previous = keyring.get_keyring()
    keyring.set_keyring(FileKeyring(path))
    yield path
    keyring.set_keyring(previous)


def read_line(proc: subprocess.Popen[str], timeout: float) -> str:
    """The child's next stdout line, waiting at most `timeout` seconds."""
    assert proc.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if selector.select(timeout=deadline - time.monotonic()):
                return proc.stdout.readline().strip()
            if proc.poll() is not None:
                break
    finally:
        selector.close()
    return ""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_draft_restored_after_the_app_is_killed_mid_typing(
        qtbot: QtBot, tmp_path: Path, file_keyring: Path) -> None:
    paths = ProfilePaths(tmp_path / "profiel")
    init_profile(paths, PASSPHRASE, kdf=FAST_KDF)
    passphrase_file = tmp_path / "wachtwoord.txt"
    passphrase_file.write_text(PASSPHRASE + "\n", encoding="utf-8")

    env = {k: v for k, v in os.environ.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
    env.update({
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHON_KEYRING_BACKEND": "tests.helpers.file_keyring.FileKeyring",
        ENV_VAR: str(file_keyring),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
    })
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.draft_typist", str(paths.root),
         str(passphrase_file)],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = read_line(proc, CHILD_TIMEOUT)
        if line != "TYPED":
            proc.kill()
            _, err = proc.communicate(timeout=10)
            pytest.fail(f"child did not type: {line!r}\n{err[-2000:]}")
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        if proc.stdout:
            proc.stdout.close()
        if proc.stderr:
            proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL

    workspace = unlock(paths, PASSPHRASE)
    try:
        assert DraftService(workspace).get(DRAFT_KEY) is not None
        wizard = IntakeWizard(workspace)
        show(qtbot, wizard)
        assert wizard.offer.isVisible()
        assert "Er is niet-opgeslagen invoer van" in wizard.offer.text.text()
        assert "Verder gaan waar u was?" in wizard.offer.text.text()
        assert not wizard.stack.isEnabled()  # nothing can overwrite the draft before the answer

        click(qtbot, wizard.offer.yes_button)

        assert not wizard.offer.isVisible()
        assert wizard.stack.isEnabled()
        assert wizard.stack.currentIndex() == STEP_HOUSEHOLD
        assert wizard.street.text() == draft_typist.STREET
        assert wizard.member_rows[0].first_name.text() == draft_typist.FIRST_NAME
        assert wizard.member_rows[0].last_name.text() == draft_typist.LAST_NAME
        assert wizard.referrer.text() == draft_typist.REFERRER
        assert wizard.household_name.text() == f"Huishouden {draft_typist.LAST_NAME}"
        wizard.close()
    finally:
        workspace.close()


def test_declining_the_offer_starts_empty_and_forgets_the_draft(
        qtbot: QtBot, workspace: Workspace) -> None:
    first = IntakeWizard(workspace)
    show(qtbot, first)
    qtbot.keyClicks(first.referrer, "Buurvrouw")
    qtbot.waitUntil(lambda: first.keeper.saves > 0, timeout=5_000)
    qtbot.keyClick(first.referrer, Qt.Key.Key_Escape)  # closing keeps the draft
    assert not first.isVisible()
    assert DraftService(workspace).get(DRAFT_KEY) is not None

    second = IntakeWizard(workspace)
    show(qtbot, second)
    assert second.offer.isVisible()
    click(qtbot, second.offer.no_button)
    assert second.referrer.text() == ""
    assert DraftService(workspace).get(DRAFT_KEY) is None


def test_contact_dialog_keeps_a_draft_and_offers_it_back(
        qtbot: QtBot, workspace: Workspace) -> None:
    service = HouseholdService(workspace)
    household = Household(new_id(), "Huishouden Proefmans",
                          Address("Testlaan", 3, "", "5678 CD", "Bedachtdorp"), "Zuid")
    service.create(household, [Person(new_id(), household.id, "Bram", "Proefmans",
                                      HouseholdRole.HOOFDBEWONER)])
    case = Case(new_id(), household.id, workspace.team.id, workspace.actor_id,
                CaseStatus.AANGEMELD, ReferralSource.INWONER, workspace.today())
    service.save_case(case)

    dialog = ContactDialog(workspace, case.id)
    show(qtbot, dialog)
    qtbot.keyClicks(dialog.with_whom, "Bram en zijn zus")
    qtbot.keyClicks(dialog.notes_edit, "Afspraken over de post.")
    qtbot.waitUntil(lambda: dialog.keeper.saves > 0, timeout=5_000)
    dialog.keeper.flush()
    # The app goes away without the dialog being closed (a crash): nothing discards the draft.
    dialog.hide()

    again = ContactDialog(workspace, case.id)
    show(qtbot, again)
    assert again.offer.isVisible()
    assert not again.save_button.isEnabled()
    click(qtbot, again.offer.yes_button)
    assert again.with_whom.text() == "Bram en zijn zus"
    assert again.notes_edit.toPlainText() == "Afspraken over de post."
    assert again.save_button.isEnabled()
