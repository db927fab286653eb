"""A BSN that is already registered in another household is flagged where it is typed, in the
intake wizard and in the person dialog: a clear Dutch note naming that household, which
blocks nothing."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.test_household_page import make_family
from tests.ui.test_intake import (
    click,
    enter,
    fill_address,
    fill_member,
    fill_referral,
    open_wizard,
)
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.people import Address, Household, HouseholdRole, Person
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.dialogs.household_dialogs import PersonDialog

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier


def test_the_intake_flags_a_bsn_of_another_household_and_still_saves(
        qtbot: QtBot, workspace: Workspace) -> None:
    family = make_family(workspace)  # Anouk Voorbeeld has BSN 999999990
    wizard = open_wizard(qtbot, workspace)
    fill_referral(qtbot, wizard)
    fill_address(qtbot, wizard)
    row = wizard.member_rows[0]
    fill_member(qtbot, wizard, 0, "Anouk", "Proefmans", "02-03-1984", "99999999")
    assert not row.bsn_warning.isVisible()  # eight digits: not this BSN (yet)
    qtbot.keyClicks(row.bsn, "0")
    assert row.bsn_warning.isVisible()
    text = row.bsn_warning.text()
    assert text.startswith("Let op: dit BSN staat ook bij Anouk Voorbeeld in huishouden "
                           "‘Huishouden Voorbeeld’.")
    assert "opslaan kan gewoon" in text
    assert row.bsn_warning.accessibleName() == text
    # Another BSN: the note goes.
    qtbot.keyClick(row.bsn, Qt.Key.Key_Backspace)
    assert not row.bsn_warning.isVisible()
    qtbot.keyClicks(row.bsn, "0")
    # Not blocking: the intake goes on and is saved with this BSN.
    enter(qtbot, row.bsn)
    qtbot.keyClick(wizard.qs_help, Qt.Key.Key_Return, CTRL)
    with qtbot.waitSignal(wizard.householdRegistered, timeout=10_000) as signal:
        click(qtbot, wizard.save_button)
    saved = HouseholdService(workspace).get(signal.args[0])
    assert saved.members[0].bsn == "999999990"
    assert saved.household.id != family.household.id


def test_the_person_dialog_flags_it_too(qtbot: QtBot, workspace: Workspace) -> None:
    family = make_family(workspace)
    other = Household(new_id(), "Huishouden Proefmans",
                      Address("Testlaan", 3, "", "5678 CD", "Bedachtdorp"), "Zuid")
    bram = Person(new_id(), other.id, "Bram", "Proefmans", HouseholdRole.HOOFDBEWONER)
    HouseholdService(workspace).create(other, [bram])
    dialog = PersonDialog(workspace, other.id, (), bram)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not dialog.bsn_warning.isVisible()
    qtbot.keyClicks(dialog.bsn, "999999990")
    assert dialog.bsn_warning.isVisible()
    assert "Anouk Voorbeeld in huishouden ‘Huishouden Voorbeeld’" in dialog.bsn_warning.text()
    # The household's own members do not count: Anouk's own dialog shows no note.
    own = PersonDialog(workspace, family.household.id, (), family.mother)
    qtbot.addWidget(own)
    own.show()
    assert own.bsn.text() == "999999990"
    assert own.bsn_warning.isHidden()
