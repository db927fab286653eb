"""The intake wizard, driven as a worker at a kitchen table would: typing, Enter, shortcuts
and clicks. Nothing here sets a widget's value directly."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QDialog, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from wijkteam_app.domain.cases import CaseStatus, Complexity, ReferralSource, UrgencyCriterion
from wijkteam_app.domain.people import HouseholdRole
from wijkteam_app.domain.validation import ErrorCode
from wijkteam_app.messages import field_message
from wijkteam_app.persistence.schema import OutboxRecord
from wijkteam_app.services.drafts import DraftService
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.dialogs.intake_wizard import (
    DRAFT_KEY,
    STEP_HOUSEHOLD,
    STEP_QUICKSCAN,
    STEP_REFERRAL,
    STEP_SUMMARY,
    IntakeWizard,
)

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def outbox_count(workspace: Workspace) -> int:
    with workspace.casefile.read() as session:
        return session.scalar(select(func.count()).select_from(OutboxRecord)) or 0


def click(qtbot: QtBot, widget: QAbstractButton) -> None:
    """Click a button, or a check/radio box on its indicator (where a person clicks)."""
    pos = QPoint(9, widget.height() // 2) if widget.isCheckable() else widget.rect().center()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)


def open_wizard(qtbot: QtBot, workspace: Workspace) -> IntakeWizard:
    wizard = IntakeWizard(workspace)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    return wizard


def enter(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def fill_referral(qtbot: QtBot, wizard: IntakeWizard) -> None:
    assert wizard.stack.currentIndex() == STEP_REFERRAL
    # "Huisarts" is the second source: one step down in the list.
    qtbot.keyClick(wizard.referral_source, Qt.Key.Key_Down)
    qtbot.keyClicks(wizard.referrer, "Huisartsenpraktijk Voorbeeldstad")
    qtbot.keyClicks(wizard.referral_note, "Zorgen over de thuissituatie.")
    enter(qtbot, wizard.referrer)
    assert wizard.stack.currentIndex() == STEP_HOUSEHOLD


def fill_address(qtbot: QtBot, wizard: IntakeWizard) -> None:
    qtbot.keyClicks(wizard.street, "Proefstraat")
    qtbot.keyClicks(wizard.house_number, "12")
    qtbot.keyClicks(wizard.suffix, "A")
    qtbot.keyClicks(wizard.postcode, "1234ab")
    qtbot.keyClicks(wizard.city, "Verzinstad")
    line = wizard.wijk.lineEdit()
    assert line is not None
    qtbot.keyClicks(line, "Noord")


def fill_member(qtbot: QtBot, wizard: IntakeWizard, index: int, first: str, last: str,
                born: str, bsn: str = "") -> None:
    row = wizard.member_rows[index]
    qtbot.keyClicks(row.first_name, first)
    qtbot.keyClicks(row.last_name, last)
    qtbot.keyClicks(row.birth_date, born)
    if bsn:
        qtbot.keyClicks(row.bsn, bsn)


def test_intake_from_empty_to_saved_household_with_two_members(
        qtbot: QtBot, workspace: Workspace) -> None:
    wizard = open_wizard(qtbot, workspace)
    assert wizard.windowTitle() == "Nieuwe aanmelding"
    assert wizard.referral_date.text() == workspace.today().strftime("%d-%m-%Y")

    fill_referral(qtbot, wizard)
    fill_address(qtbot, wizard)
    fill_member(qtbot, wizard, 0, "Anouk", "Voorbeeld", "02-03-1984", "999999990")
    # The household name follows the first member's surname.
    assert wizard.household_name.text() == "Huishouden Voorbeeld"

    qtbot.keyClick(wizard.member_rows[0].bsn, Qt.Key.Key_N, CTRL_SHIFT)
    assert len(wizard.member_rows) == 2
    assert wizard.member_rows[1].first_name.hasFocus()
    child_born = (workspace.today() - timedelta(days=365 * 9)).strftime("%d-%m-%Y")
    fill_member(qtbot, wizard, 1, "Daan", "Voorbeeld", child_born)
    child = wizard.member_rows[1]
    assert child.gezag_box.isVisible()
    assert list(child.gezag_checks) == [wizard.member_rows[0].person_id]
    click(qtbot, next(iter(child.gezag_checks.values())))

    enter(qtbot, child.first_name)
    assert wizard.stack.currentIndex() == STEP_QUICKSCAN
    qtbot.keyClicks(wizard.qs_self, "Boodschappen doen")
    qtbot.keyClicks(wizard.qs_help, "Overzicht over de schulden")
    click(qtbot, wizard.complexity_multi)
    click(qtbot, wizard.urgency_checks[UrgencyCriterion.HUISELIJK_GEWELD])

    qtbot.keyClick(wizard.qs_help, Qt.Key.Key_Return, CTRL)
    assert wizard.stack.currentIndex() == STEP_SUMMARY
    assert "Keukentafelgesprek" in wizard.summary.text()

    with qtbot.waitSignal(wizard.householdRegistered, timeout=10_000) as signal:
        click(qtbot, wizard.save_button)
    household_id = signal.args[0]
    assert wizard.result() == QDialog.DialogCode.Accepted

    page = HouseholdService(workspace).page(household_id)
    h = page.detail.household
    assert h.name == "Huishouden Voorbeeld"
    assert (h.address.street, h.address.house_number, h.address.house_number_suffix,
            h.address.postcode, h.address.city, h.wijk) == (
        "Proefstraat", 12, "A", "1234 AB", "Verzinstad", "Noord")
    members = {p.first_name: p for p in page.detail.members}
    assert set(members) == {"Anouk", "Daan"}
    assert members["Anouk"].bsn == "999999990"
    assert members["Anouk"].birth_date == date(1984, 3, 2)
    assert members["Anouk"].household_role is HouseholdRole.HOOFDBEWONER
    assert members["Daan"].household_role is HouseholdRole.KIND  # suggested from the age
    assert members["Daan"].gezag_holder_ids == (members["Anouk"].id,)
    (overview,) = page.cases
    case = overview.case
    assert case.status is CaseStatus.KEUKENTAFELGESPREK
    assert case.complexity is Complexity.MEERVOUDIG
    assert case.urgency == (UrgencyCriterion.HUISELIJK_GEWELD,)
    assert case.referral_source is ReferralSource.HUISARTS
    assert case.referral_date == workspace.today()
    assert "Huisartsenpraktijk Voorbeeldstad" in case.referral_note
    assert case.quickscan.self_ == "Boodschappen doen"
    assert case.regisseur_id == workspace.worker.id
    assert case.team_id == workspace.team.id
    assert DraftService(workspace).get(DRAFT_KEY) is None


def test_invalid_bsn_is_refused_at_the_field_and_nothing_is_stored(
        qtbot: QtBot, workspace: Workspace) -> None:
    service = HouseholdService(workspace)
    before = outbox_count(workspace)
    wizard = open_wizard(qtbot, workspace)
    fill_referral(qtbot, wizard)
    fill_address(qtbot, wizard)
    fill_member(qtbot, wizard, 0, "Bram", "Proefmans", "23-11-1950", "123456789")

    enter(qtbot, wizard.member_rows[0].bsn)
    assert wizard.stack.currentIndex() == STEP_HOUSEHOLD
    message = field_message(ErrorCode.BSN_INVALID)
    assert wizard.errors.message_for("members.0.bsn") == message
    label = wizard.member_rows[0].slots["bsn"][1]
    assert label.isVisible() and label.text() == message
    assert wizard.member_rows[0].bsn.hasFocus()

    # Saving straight away (Ctrl+S) is refused the same way.
    qtbot.keyClick(wizard.member_rows[0].bsn, Qt.Key.Key_S, CTRL)
    assert wizard.isVisible()
    assert wizard.errors.message_for("members.0.bsn") == message
    assert service.list() == []
    assert outbox_count(workspace) == before

    # Correcting it lets the intake through.
    bsn = wizard.member_rows[0].bsn
    qtbot.keyClick(bsn, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(bsn, "999999990")
    enter(qtbot, bsn)
    assert wizard.stack.currentIndex() == STEP_QUICKSCAN
    assert wizard.errors.message_for("members.0.bsn") == ""


def test_birth_date_in_the_future_is_refused_at_the_field(
        qtbot: QtBot, workspace: Workspace) -> None:
    wizard = open_wizard(qtbot, workspace)
    fill_referral(qtbot, wizard)
    fill_address(qtbot, wizard)
    future = (workspace.today() + timedelta(days=30)).strftime("%d-%m-%Y")
    fill_member(qtbot, wizard, 0, "Eva", "Verzinner", future)
    enter(qtbot, wizard.member_rows[0].birth_date)
    assert wizard.stack.currentIndex() == STEP_HOUSEHOLD
    assert wizard.errors.message_for("members.0.birth_date") == field_message(
        ErrorCode.DATE_IN_FUTURE)
    qtbot.keyClick(wizard.member_rows[0].birth_date, Qt.Key.Key_S, CTRL)
    assert HouseholdService(workspace).list() == []


def test_typo_in_a_date_and_missing_fields_are_shown_at_their_fields(
        qtbot: QtBot, workspace: Workspace) -> None:
    wizard = open_wizard(qtbot, workspace)
    fill_referral(qtbot, wizard)
    qtbot.keyClicks(wizard.postcode, "12345")
    fill_member(qtbot, wizard, 0, "Eva", "Verzinner", "31-02-1990")
    enter(qtbot, wizard.postcode)
    assert wizard.stack.currentIndex() == STEP_HOUSEHOLD
    assert wizard.errors.message_for("household.street") == "Dit veld is verplicht."
    assert wizard.errors.message_for("household.postcode") == field_message(
        ErrorCode.POSTCODE_INVALID)
    assert "dd-mm-jjjj" in wizard.errors.message_for("members.0.birth_date")


def test_save_jumps_to_the_step_with_the_first_error(qtbot: QtBot,
                                                     workspace: Workspace) -> None:
    wizard = open_wizard(qtbot, workspace)
    fill_referral(qtbot, wizard)
    fill_address(qtbot, wizard)
    fill_member(qtbot, wizard, 0, "Sem", "Verzinner", "01-08-2015")
    enter(qtbot, wizard.member_rows[0].first_name)
    assert wizard.stack.currentIndex() == STEP_QUICKSCAN
    # Go back to the first step and break the referral date, then save from the summary.
    qtbot.keyClick(wizard.qs_self, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(wizard.qs_self, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert wizard.stack.currentIndex() == STEP_REFERRAL
    qtbot.keyClick(wizard.referral_date, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(wizard.referral_date, "01-01-2099")
    qtbot.keyClick(wizard.referral_date, Qt.Key.Key_S, CTRL)
    assert wizard.stack.currentIndex() == STEP_REFERRAL
    assert wizard.errors.message_for("case.referral_date") == field_message(
        ErrorCode.DATE_IN_FUTURE)
    assert HouseholdService(workspace).list() == []


def test_removing_a_member_renumbers_and_keeps_one(qtbot: QtBot, workspace: Workspace) -> None:
    wizard = open_wizard(qtbot, workspace)
    fill_referral(qtbot, wizard)
    click(qtbot, wizard.add_member_button)
    click(qtbot, wizard.add_member_button)
    assert [r.title.text() for r in wizard.member_rows] == ["Persoon 1", "Persoon 2",
                                                              "Persoon 3"]
    click(qtbot, wizard.member_rows[1].remove_button)
    assert [r.title.text() for r in wizard.member_rows] == ["Persoon 1", "Persoon 2"]


def tab_path(qtbot: QtBot, wizard: IntakeWizard, start: QWidget, count: int) -> list[QWidget]:
    """The widgets Tab visits from `start` (the focus after each of `count` Tabs)."""
    start.setFocus()
    path = []
    for _ in range(count):
        focus = wizard.focusWidget()
        assert focus is not None
        qtbot.keyClick(focus, Qt.Key.Key_Tab)
        after = wizard.focusWidget()
        assert after is not None
        path.append(after)
    return path


def test_tab_goes_from_the_address_through_the_persons_to_the_buttons(
        qtbot: QtBot, workspace: Workspace) -> None:
    wizard = open_wizard(qtbot, workspace)
    fill_referral(qtbot, wizard)
    fill_address(qtbot, wizard)
    qtbot.keyClick(wizard.city, Qt.Key.Key_N, CTRL_SHIFT)  # a second person
    first, second = wizard.member_rows
    assert wizard.members_scroll.focusPolicy() == Qt.FocusPolicy.NoFocus
    # Stadsdeel beside Wijk; the household's name (filled from the first last name) after
    # the persons it is made from.
    wanted = [wizard.stadsdeel,
              first.first_name, first.name_prefix, first.last_name, first.birth_date,
              first.bsn, first.role, first.remove_button,
              second.first_name, second.name_prefix, second.last_name, second.birth_date,
              second.bsn, second.role, second.remove_button, wizard.household_name,
              wizard.add_member_button, wizard.cancel_button, wizard.back_button,
              wizard.next_button, wizard.save_button, wizard.street]
    assert tab_path(qtbot, wizard, wizard.wijk, len(wanted)) == wanted

    # A child's gezag boxes come after its role, before its Verwijderen.
    fill_member(qtbot, wizard, 0, "Anouk", "Voorbeeld", "02-03-1984")
    child_born = (workspace.today() - timedelta(days=365 * 9)).strftime("%d-%m-%Y")
    fill_member(qtbot, wizard, 1, "Daan", "Voorbeeld", child_born)
    gezag = second.gezag_checks[first.person_id]
    assert tab_path(qtbot, wizard, second.role, 3) == [gezag, second.remove_button,
                                                        wizard.household_name]


def test_ticking_gezag_keeps_the_box_and_the_focus(qtbot: QtBot, workspace: Workspace) -> None:
    wizard = open_wizard(qtbot, workspace)
    fill_referral(qtbot, wizard)
    fill_address(qtbot, wizard)
    fill_member(qtbot, wizard, 0, "Anouk", "Voorbeeld", "02-03-1984")
    qtbot.keyClick(wizard.city, Qt.Key.Key_N, CTRL_SHIFT)
    fill_member(qtbot, wizard, 1, "Bram", "Voorbeeld", "14-07-1981")
    qtbot.keyClick(wizard.city, Qt.Key.Key_N, CTRL_SHIFT)
    child_born = (workspace.today() - timedelta(days=365 * 9)).strftime("%d-%m-%Y")
    fill_member(qtbot, wizard, 2, "Daan", "Voorbeeld", child_born)
    adult1, adult2, child = wizard.member_rows
    boxes = dict(child.gezag_checks)
    assert list(boxes) == [adult1.person_id, adult2.person_id]

    # Alt+Z ("Ge&zag bij:") moves to the first box without ticking it.
    qtbot.keyClick(child.birth_date, Qt.Key.Key_Z, Qt.KeyboardModifier.AltModifier)
    first = boxes[adult1.person_id]
    assert wizard.focusWidget() is first
    qtbot.wait(150)  # longer than Qt's animated click of a button buddy
    assert child.gezag_ids() == []

    qtbot.keyClick(first, Qt.Key.Key_Space)
    assert child.gezag_checks == boxes  # the same boxes, not new ones
    assert wizard.focusWidget() is first
    qtbot.keyClick(first, Qt.Key.Key_Tab)
    assert wizard.focusWidget() is boxes[adult2.person_id]
    qtbot.keyClick(boxes[adult2.person_id], Qt.Key.Key_Space)
    assert wizard.focusWidget() is boxes[adult2.person_id]
    assert child.gezag_ids() == [adult1.person_id, adult2.person_id]

    # Renaming an adult renames the box; removing one removes only its box.
    qtbot.keyClicks(adult2.first_name, "-Jan")
    assert boxes[adult2.person_id].text() == "Bram-Jan Voorbeeld"
    assert child.gezag_checks == boxes
    click(qtbot, adult1.remove_button)
    assert list(child.gezag_checks) == [adult2.person_id]
    assert child.gezag_checks[adult2.person_id] is boxes[adult2.person_id]
    assert child.gezag_ids() == [adult2.person_id]


def test_mnemonics_of_the_household_step(qtbot: QtBot, workspace: Workspace) -> None:
    """The letters a worker uses on step Huishouden (no two share one; see test_mnemonics)."""
    wizard = open_wizard(qtbot, workspace)
    fill_referral(qtbot, wizard)
    row = wizard.member_rows[0]
    alt = Qt.KeyboardModifier.AltModifier
    for key, target in ((Qt.Key.Key_A, wizard.city), (Qt.Key.Key_C, row.last_name),
                        (Qt.Key.Key_E, wizard.suffix), (Qt.Key.Key_G, row.birth_date),
                        (Qt.Key.Key_H, wizard.house_number),
                        (Qt.Key.Key_U, wizard.household_name), (Qt.Key.Key_V, row.first_name)):
        qtbot.keyClick(wizard.street, key, alt)
        assert wizard.focusWidget() is target, key
    qtbot.keyClick(wizard.street, Qt.Key.Key_N, alt)  # "Persoo&n toevoegen"
    qtbot.waitUntil(lambda: len(wizard.member_rows) == 2)


def test_client_profile_problem_areas_and_stadsdeel_are_set_in_the_intake(
        qtbot: QtBot, workspace: Workspace) -> None:
    """Observed: client profile and problem areas could only be set after the intake, and a
    household had no stadsdeel beside its wijk."""
    from wijkteam_app.domain.cases import ProblemArea

    wizard = open_wizard(qtbot, workspace)
    fill_referral(qtbot, wizard)
    fill_address(qtbot, wizard)
    wizard.wijk.setFocus()
    qtbot.keyClick(wizard.focusWidget(), Qt.Key.Key_Tab)
    assert wizard.focusWidget() is wizard.stadsdeel
    qtbot.keyClicks(wizard.stadsdeel, "Stad-Oost")
    fill_member(qtbot, wizard, 0, "Anouk", "Voorbeeld", "02-03-1984")
    qtbot.keyClick(wizard.focusWidget(), Qt.Key.Key_Return, CTRL)
    assert wizard.stack.currentIndex() == STEP_QUICKSCAN
    qtbot.keyClick(wizard.focusWidget(), Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    assert wizard.focusWidget() is wizard.client_profile
    for _ in range(3):
        qtbot.keyClick(wizard.client_profile, Qt.Key.Key_Down)
    qtbot.keyClick(wizard.focusWidget(), Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)
    assert wizard.focusWidget() is wizard.problem_areas
    for _area in range(2):  # inkomen, then besteding
        qtbot.keyClick(wizard.problem_areas, Qt.Key.Key_Space)
        qtbot.keyClick(wizard.problem_areas, Qt.Key.Key_Down)
    qtbot.keyClick(wizard.focusWidget(), Qt.Key.Key_Return, CTRL)
    assert wizard.stack.currentIndex() == STEP_SUMMARY
    assert "Stad-Oost" in wizard.summary.text()
    wizard.save()
    detail = HouseholdService(workspace).get(wizard.household_id)
    assert detail.household.stadsdeel == "Stad-Oost"
    case = HouseholdService(workspace).cases(wizard.household_id)[0].case
    assert case.client_profile == 3
    assert set(case.problem_areas) == set(list(ProblemArea)[:2])
    # A second household in the same wijk gets the stadsdeel offered.
    again = open_wizard(qtbot, workspace)
    again.wijk.setEditText(detail.household.wijk)
    assert again.stadsdeel.currentText() == "Stad-Oost"
