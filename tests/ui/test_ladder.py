"""The participatieladder form, driven by keys and clicks, and its place in the history."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.helpers.factories import household, person
from wijkteam_app.domain.instruments import LADDER_ITEM_CODE, PARTICIPATIELADDER_ID
from wijkteam_app.domain.people import Person
from wijkteam_app.services.assessments import AssessmentService
from wijkteam_app.services.drafts import DraftService
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.forms.ladder_form import LadderDialog, draft_key
from wijkteam_app.ui.pages.assessments_panel import AssessmentsPanel

pytestmark = pytest.mark.gui


@pytest.fixture
def member(workspace: Workspace) -> Person:
    home = household("Familie Trede")
    adult = person(home.id, "Sanne", birth=date(1979, 9, 12))
    HouseholdService(workspace).create(home, [adult])
    return adult


def open_dialog(qtbot: QtBot, workspace: Workspace, member: Person) -> LadderDialog:
    dialog = LadderDialog(workspace, member.household_id, member.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def test_ladder_entry_saved_by_keyboard_and_shown_in_history(
        qtbot: QtBot, workspace: Workspace, member: Person) -> None:
    dialog = open_dialog(qtbot, workspace, member)
    assert dialog.windowTitle() == "Participatieladder — Sanne Proefmans"
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.current)

    qtbot.keyClick(dialog.current, Qt.Key.Key_2)
    assert dialog.current.score() == 2
    qtbot.keyClick(dialog.current, Qt.Key.Key_Up)  # one rung higher
    assert dialog.current.score() == 3
    qtbot.keyClick(dialog.current, Qt.Key.Key_Right)  # to the potential column
    assert dialog.focusWidget() is dialog.potential
    qtbot.keyClick(dialog.potential, Qt.Key.Key_5)
    horizon = workspace.today() + timedelta(days=180)
    qtbot.keyClicks(dialog.horizon, horizon.strftime("%d-%m-%Y"))
    qtbot.keyClicks(dialog.notes, "Vrijwilligerswerk bij de buurtkamer lijkt haalbaar.")
    qtbot.keyClick(dialog.notes, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert dialog.result() == LadderDialog.DialogCode.Accepted
    history = AssessmentService(workspace).history(person_id=member.id)
    assert len(history) == 1
    stored = history[0]
    assert stored.definition_id == PARTICIPATIELADDER_ID
    entry = stored.score_for(LADDER_ITEM_CODE)
    assert entry is not None
    assert (entry.score, entry.target_score) == (3, 5)
    assert stored.target_date == horizon
    assert stored.notes.startswith("Vrijwilligerswerk")

    panel = AssessmentsPanel(workspace)
    qtbot.addWidget(panel)
    panel.show_household(member.household_id)
    panel.select_subject(member.id)
    assert panel.model.rowCount() == 1
    assert panel.model.row(0).instrument == "Participatieladder 2008"
    assert panel.model.row(0).summary.startswith("Trede 3")
    assert "haalbaar: 5" in panel.model.row(0).summary
    assert [(p.value, p.target) for p in panel.ladder_chart.points] == [(3, 5)]
    assert "haalbaar 5" in panel.ladder_chart.accessibleDescription()


def test_missing_rung_is_shown_at_the_field_and_nothing_is_stored(
        qtbot: QtBot, workspace: Workspace, member: Person) -> None:
    dialog = open_dialog(qtbot, workspace, member)
    qtbot.keyClick(dialog.potential, Qt.Key.Key_4)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.current_error.text() == "Kies de huidige trede."
    assert dialog.focusWidget() is dialog.current
    assert AssessmentService(workspace).history(person_id=member.id) == []

    qtbot.keyClicks(dialog.horizon, workspace.today().strftime("%d-%m-%Y"))
    qtbot.keyClick(dialog.current, Qt.Key.Key_1)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.horizon_error.text() == "Kies een horizon na de meetdatum."
    assert AssessmentService(workspace).history(person_id=member.id) == []


def test_potential_can_stay_open(qtbot: QtBot, workspace: Workspace,
                                 member: Person) -> None:
    dialog = open_dialog(qtbot, workspace, member)
    qtbot.keyClick(dialog.current, Qt.Key.Key_6)
    qtbot.keyClick(dialog.potential, Qt.Key.Key_N)
    assert dialog.potential.is_answered() and dialog.potential.score() is None
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    entry = AssessmentService(workspace).history(person_id=member.id)[0].items[0]
    assert (entry.score, entry.target_score) == (6, None)


def test_ladder_draft_offered_back(qtbot: QtBot, workspace: Workspace,
                                   member: Person) -> None:
    dialog = open_dialog(qtbot, workspace, member)
    qtbot.keyClick(dialog.current, Qt.Key.Key_4)
    qtbot.keyClick(dialog.current, Qt.Key.Key_Escape)
    assert DraftService(workspace).get(draft_key(member.id)) is not None

    again = open_dialog(qtbot, workspace, member)
    assert again.draft_offer.isVisible()
    qtbot.mouseClick(again.draft_offer.yes_button, Qt.MouseButton.LeftButton)
    assert again.current.score() == 4
    qtbot.mouseClick(again.save_button, Qt.MouseButton.LeftButton)
    assert DraftService(workspace).get(draft_key(member.id)) is None
    assert len(AssessmentService(workspace).history(person_id=member.id)) == 1


def test_each_field_has_its_own_alt_letter(qtbot: QtBot, workspace: Workspace,
                                           member: Person) -> None:
    """Horizon and Huidige trede used to share Alt+H (Qt then only hops between them)."""
    dialog = open_dialog(qtbot, workspace, member)
    alt = Qt.KeyboardModifier.AltModifier
    for key, target in ((Qt.Key.Key_R, dialog.horizon), (Qt.Key.Key_H, dialog.current),
                        (Qt.Key.Key_T, dialog.potential), (Qt.Key.Key_M, dialog.assessed_on),
                        (Qt.Key.Key_O, dialog.notes)):
        qtbot.keyClick(dialog.current, key, alt)
        assert dialog.focusWidget() is target, key


def type_keys(qtbot: QtBot, dialog: LadderDialog, *keys: Qt.Key) -> None:
    """Keys as a person types them: each one goes to whatever has the focus now."""
    for key in keys:
        target = dialog.focusWidget()
        assert target is not None
        qtbot.keyClick(target, key)


def test_arrow_keys_do_what_the_help_says_2_right_4_is_2_and_4(
        qtbot: QtBot, workspace: Workspace, member: Person) -> None:
    """Observed: "2 → 4" saved current 4 and no potential; → sent the focus back."""
    dialog = open_dialog(qtbot, workspace, member)
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.current)
    type_keys(qtbot, dialog, Qt.Key.Key_2, Qt.Key.Key_Right, Qt.Key.Key_4)
    assert (dialog.current.score(), dialog.potential.score()) == (2, 4)
    # ← goes to the current rung and stays there; → to the potential and stays there.
    type_keys(qtbot, dialog, Qt.Key.Key_Left, Qt.Key.Key_Left)
    assert dialog.focusWidget() is dialog.current
    type_keys(qtbot, dialog, Qt.Key.Key_Right, Qt.Key.Key_Right)
    assert dialog.focusWidget() is dialog.potential
    # Both values are shown before saving.
    assert "Huidige trede: 2 Sociale contacten buitenshuis" in dialog.summary.text()
    assert "Haalbare trede: 4 Onbetaald werk" in dialog.summary.text()
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    entry = AssessmentService(workspace).history(person_id=member.id)[0].items[0]
    assert (entry.score, entry.target_score) == (2, 4)


def test_summary_says_when_the_potential_is_not_chosen(
        qtbot: QtBot, workspace: Workspace, member: Person) -> None:
    dialog = open_dialog(qtbot, workspace, member)
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.current)
    assert "Huidige trede: nog niet gekozen" in dialog.summary.text()
    type_keys(qtbot, dialog, Qt.Key.Key_3)
    assert "Huidige trede: 3" in dialog.summary.text()
    assert "Haalbare trede: nog niet gekozen" in dialog.summary.text()
