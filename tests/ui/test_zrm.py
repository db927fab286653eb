"""The ZRM form, driven as a worker does: digits and keys on the domains, clicks, typing."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tests.helpers.factories import household, person
from wijkteam_app.domain.instruments import (
    ZRM_2013_ID,
    ZRM_2017_ID,
    ZRM_HUISHOUDENS_ID,
    ZRM_JONGEREN_ID,
)
from wijkteam_app.domain.people import HouseholdRole, Person
from wijkteam_app.domain.validation import ErrorCode
from wijkteam_app.messages import field_message
from wijkteam_app.services.assessments import AssessmentService
from wijkteam_app.services.drafts import DraftService
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.forms.common import ScorePicker
from wijkteam_app.ui.forms.zrm_form import ZrmDialog, draft_key

pytestmark = pytest.mark.gui


@dataclass
class Family:
    household_id: str
    adult: Person
    teen: Person
    child: Person


def years_ago(today: date, years: int) -> date:
    return date(today.year - years, 1, 1)


@pytest.fixture
def family(workspace: Workspace) -> Family:
    today = workspace.today()
    home = household("Familie Proefmans")
    adult = person(home.id, "Anouk", birth=date(1980, 5, 17))
    teen = person(home.id, "Daan", birth=years_ago(today, 15), role=HouseholdRole.KIND)
    child = person(home.id, "Mila", birth=years_ago(today, 6), role=HouseholdRole.KIND)
    HouseholdService(workspace).create(home, [adult, teen, child])
    return Family(home.id, adult, teen, child)


@pytest.fixture
def single(workspace: Workspace) -> Family:
    """A household of one adult (no children)."""
    home = household("Huishouden Alleen", number=3)
    adult = person(home.id, "Bram", birth=date(1961, 2, 3))
    HouseholdService(workspace).create(home, [adult])
    return Family(home.id, adult, adult, adult)


def open_dialog(qtbot: QtBot, workspace: Workspace, household_id: str,
                person_id: str | None, **kwargs: object) -> ZrmDialog:
    dialog = ZrmDialog(workspace, household_id, person_id, **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def digit(value: int) -> Qt.Key:
    return Qt.Key(Qt.Key.Key_0 + value)


def score_by_keyboard(qtbot: QtBot, dialog: ZrmDialog, keys: list[Qt.Key]) -> None:
    """Type one key per domain into the focused domain; the form moves on by itself."""
    for key in keys:
        focused = dialog.focusWidget()
        assert isinstance(focused, ScorePicker)
        qtbot.keyClick(focused, key)


@pytest.fixture
def dialog_adult(qtbot: QtBot, workspace: Workspace, family: Family) -> Iterator[ZrmDialog]:
    dialog = open_dialog(qtbot, workspace, family.household_id, family.adult.id)
    qtbot.waitUntil(lambda: isinstance(dialog.focusWidget(), ScorePicker))
    yield dialog


# --- scoring and reopening ------------------------------------------------------------------

def test_adult_zrm_scored_by_keyboard_saved_and_reopened(
        qtbot: QtBot, workspace: Workspace, family: Family, dialog_adult: ZrmDialog) -> None:
    dialog = dialog_adult
    assert dialog.definition is not None
    assert dialog.definition.id == ZRM_2017_ID
    assert dialog.instrument.currentText() == "ZRM 2017"
    assert dialog.guidance.text().startswith("Begin bij elk domein bij 5")
    codes = list(dialog.rows)
    assert len(codes) == 13
    assert dialog.focusWidget() is dialog.rows[codes[0]].picker

    wanted = [(index % 5) + 1 for index in range(len(codes))]
    score_by_keyboard(qtbot, dialog, [digit(v) for v in wanted])
    # Up goes back one domain; Left steps its score down by one.
    last = dialog.rows[codes[-1]].picker
    assert dialog.focusWidget() is not last  # after the last domain the focus moved on
    last.setFocus()
    qtbot.keyClick(last, Qt.Key.Key_Up)
    assert dialog.focusWidget() is dialog.rows[codes[-2]].picker
    qtbot.keyClick(dialog.rows[codes[-2]].picker, Qt.Key.Key_Left)
    wanted[-2] -= 1

    # A target score for the first domain, a target date, a zwaartefactor, notes.
    first_target = dialog.rows[codes[0]].target
    first_target.setFocus()
    qtbot.keyClick(first_target, Qt.Key.Key_End)
    assert first_target.currentText().startswith("5 ")
    target_day = workspace.today() + timedelta(days=180)
    qtbot.keyClicks(dialog.target_date, target_day.strftime("%d-%m-%Y"))
    factor_code, factor_box = next(iter(dialog.factor_boxes.items()))
    qtbot.mouseClick(factor_box, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.notes, "Gesprek aan de keukentafel.")

    qtbot.keyClick(dialog.notes, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == ZrmDialog.DialogCode.Accepted

    history = AssessmentService(workspace).history(person_id=family.adult.id)
    assert len(history) == 1
    stored = history[0]
    assert stored.definition_key == (ZRM_2017_ID, "2017")
    assert stored.assessed_on == workspace.today()
    assert stored.assessor_id == workspace.worker.id
    assert {s.item_code: s.score for s in stored.items} == dict(zip(codes, wanted, strict=True))
    target = stored.score_for(codes[0])
    assert target is not None and target.target_score == 5
    assert stored.target_date == target_day
    assert stored.zwaartefactoren == (factor_code,)
    assert stored.notes == "Gesprek aan de keukentafel."
    assert DraftService(workspace).get(draft_key(family.adult.id)) is None

    reopened = open_dialog(qtbot, workspace, family.household_id, family.adult.id,
                           assessment=stored)
    assert reopened.read_only
    assert reopened.instrument.currentText() == "ZRM 2017"
    assert {c: r.picker.score() for c, r in reopened.rows.items()} == dict(
        zip(codes, wanted, strict=True))
    assert reopened.rows[codes[0]].target_score() == 5
    assert reopened.factor_boxes[factor_code].isChecked()
    assert reopened.notes.toPlainText() == "Gesprek aan de keukentafel."
    assert not reopened.save_button.isVisible()
    assert reopened.based_on_button.isVisible()
    # Read-only: digits do not change anything.
    picker = reopened.rows[codes[0]].picker
    qtbot.keyClick(picker, Qt.Key.Key_2)
    assert picker.score() == wanted[0]


def test_new_assessment_based_on_an_existing_one(
        qtbot: QtBot, workspace: Workspace, family: Family, dialog_adult: ZrmDialog) -> None:
    score_by_keyboard(qtbot, dialog_adult, [Qt.Key.Key_3] * len(dialog_adult.rows))
    qtbot.mouseClick(dialog_adult.save_button, Qt.MouseButton.LeftButton)
    first = AssessmentService(workspace).history(person_id=family.adult.id)[0]

    view = open_dialog(qtbot, workspace, family.household_id, family.adult.id,
                       assessment=first)
    qtbot.mouseClick(view.based_on_button, Qt.MouseButton.LeftButton)
    assert not view.read_only
    assert view.save_button.isVisible()
    code = next(iter(view.rows))
    qtbot.keyClick(view.rows[code].picker, Qt.Key.Key_4)
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)

    history = AssessmentService(workspace).history(person_id=family.adult.id)
    assert len(history) == 2
    newest = next(a for a in history if a.id != first.id)
    assert newest.definition_key == first.definition_key
    assert newest.score_for(code) is not None
    assert newest.score_for(code).score == 4  # type: ignore[union-attr]


def test_not_discussed_is_stored_as_none(
        qtbot: QtBot, workspace: Workspace, family: Family, dialog_adult: ZrmDialog) -> None:
    count = len(dialog_adult.rows)
    keys = [Qt.Key.Key_N, Qt.Key.Key_0] + [Qt.Key.Key_4] * (count - 2)
    score_by_keyboard(qtbot, dialog_adult, keys)
    codes = list(dialog_adult.rows)
    assert dialog_adult.rows[codes[0]].picker.button(None).isChecked()
    qtbot.mouseClick(dialog_adult.save_button, Qt.MouseButton.LeftButton)

    stored = AssessmentService(workspace).history(person_id=family.adult.id)[0]
    scores = {s.item_code: s.score for s in stored.items}
    assert scores[codes[0]] is None
    assert scores[codes[1]] is None
    assert all(scores[c] == 4 for c in codes[2:])


def test_clicking_a_level_scores_the_domain(
        qtbot: QtBot, dialog_adult: ZrmDialog) -> None:
    row = next(iter(dialog_adult.rows.values()))
    qtbot.mouseClick(row.picker.button(2), Qt.MouseButton.LeftButton)
    assert row.picker.score() == 2
    assert dialog_adult.focusWidget() is row.picker


# --- validation -----------------------------------------------------------------------------

def test_missing_domain_shows_message_there_and_stores_nothing(
        qtbot: QtBot, workspace: Workspace, family: Family, dialog_adult: ZrmDialog) -> None:
    codes = list(dialog_adult.rows)
    score_by_keyboard(qtbot, dialog_adult, [Qt.Key.Key_5, Qt.Key.Key_4])
    qtbot.keyClick(dialog_adult.focusWidget(), Qt.Key.Key_Down)  # skip the third domain
    score_by_keyboard(qtbot, dialog_adult, [Qt.Key.Key_3] * (len(codes) - 3))

    qtbot.mouseClick(dialog_adult.save_button, Qt.MouseButton.LeftButton)

    assert dialog_adult.isVisible()
    missing = dialog_adult.rows[codes[2]]
    assert missing.error.isVisible()
    assert missing.error.text() == "Kies een score of 'Niet besproken'."
    assert dialog_adult.summary.text() == "1 domein heeft nog geen score."
    assert not dialog_adult.rows[codes[0]].error.isVisible()
    assert dialog_adult.focusWidget() is missing.picker
    assert AssessmentService(workspace).history(person_id=family.adult.id) == []

    qtbot.keyClick(missing.picker, Qt.Key.Key_2)
    qtbot.mouseClick(dialog_adult.save_button, Qt.MouseButton.LeftButton)
    assert len(AssessmentService(workspace).history(person_id=family.adult.id)) == 1


def test_future_date_and_typo_are_refused_at_the_date(
        qtbot: QtBot, workspace: Workspace, family: Family, dialog_adult: ZrmDialog) -> None:
    score_by_keyboard(qtbot, dialog_adult, [Qt.Key.Key_4] * len(dialog_adult.rows))
    dialog_adult.assessed_on.selectAll()
    tomorrow = workspace.today() + timedelta(days=1)
    qtbot.keyClicks(dialog_adult.assessed_on, tomorrow.strftime("%d-%m-%Y"))
    qtbot.mouseClick(dialog_adult.save_button, Qt.MouseButton.LeftButton)
    assert dialog_adult.date_error.text() == field_message(ErrorCode.DATE_IN_FUTURE)

    dialog_adult.assessed_on.selectAll()
    qtbot.keyClicks(dialog_adult.assessed_on, "31-02-20")
    qtbot.mouseClick(dialog_adult.save_button, Qt.MouseButton.LeftButton)
    assert "dd-mm-jjjj" in dialog_adult.date_error.text()
    assert AssessmentService(workspace).history(person_id=family.adult.id) == []


def test_target_date_must_follow_the_assessment_date(
        qtbot: QtBot, workspace: Workspace, family: Family, dialog_adult: ZrmDialog) -> None:
    score_by_keyboard(qtbot, dialog_adult, [Qt.Key.Key_4] * len(dialog_adult.rows))
    before = workspace.today() - timedelta(days=3)
    qtbot.keyClicks(dialog_adult.target_date, before.strftime("%d-%m-%Y"))
    qtbot.mouseClick(dialog_adult.save_button, Qt.MouseButton.LeftButton)
    assert dialog_adult.target_date_error.text() == "Kies een doeldatum na de meetdatum."
    assert AssessmentService(workspace).history(person_id=family.adult.id) == []


# --- which instrument -----------------------------------------------------------------------

def test_suggestion_follows_age_and_team_setting(
        qtbot: QtBot, workspace: Workspace, family: Family,
        monkeypatch: pytest.MonkeyPatch) -> None:
    teen = open_dialog(qtbot, workspace, family.household_id, family.teen.id)
    assert teen.definition is not None and teen.definition.id == ZRM_JONGEREN_ID
    assert teen.instrument.currentText() == "ZRM-Jongeren 1.0"
    assert teen.suggestion.text() == "Voorgesteld bij 15 jaar: ZRM-Jongeren 1.0"

    adult = open_dialog(qtbot, workspace, family.household_id, family.adult.id)
    assert adult.definition is not None and adult.definition.id == ZRM_2017_ID

    monkeypatch.setattr(workspace, "team",
                        dataclasses.replace(workspace.team, prefers_zrm_2013=True))
    adult_2013 = open_dialog(qtbot, workspace, family.household_id, family.adult.id)
    assert adult_2013.definition is not None and adult_2013.definition.id == ZRM_2013_ID
    assert adult_2013.instrument.currentText() == "ZRM 2013"
    assert len(adult_2013.rows) == 11

    small = open_dialog(qtbot, workspace, family.household_id, family.child.id)
    assert "onder de 12" in small.suggestion.text()


def test_choosing_another_version_clears_scores_only_after_confirmation(
        qtbot: QtBot, dialog_adult: ZrmDialog) -> None:
    score_by_keyboard(qtbot, dialog_adult, [Qt.Key.Key_2, Qt.Key.Key_3])
    asked: list[str] = []
    answer = [False]

    def confirm(title: str, text: str) -> bool:
        asked.append(text)
        return answer[0]

    dialog_adult.confirm = confirm
    combo = dialog_adult.instrument
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Up)  # ZRM 2017 -> ZRM 2013
    assert asked and "worden gewist" in asked[0]
    assert combo.currentText() == "ZRM 2017"  # refused: nothing changed
    assert dialog_adult.definition is not None and dialog_adult.definition.id == ZRM_2017_ID
    assert sum(r.picker.is_answered() for r in dialog_adult.rows.values()) == 2

    answer[0] = True
    qtbot.keyClick(combo, Qt.Key.Key_Up)
    assert combo.currentText() == "ZRM 2013"
    assert dialog_adult.definition is not None and dialog_adult.definition.id == ZRM_2013_ID
    assert len(dialog_adult.rows) == 11
    assert not any(r.picker.is_answered() for r in dialog_adult.rows.values())


def test_household_zrm_shows_child_domains_only_with_minors(
        qtbot: QtBot, workspace: Workspace, family: Family, single: Family) -> None:
    with_children = open_dialog(qtbot, workspace, family.household_id, None)
    assert with_children.definition is not None
    assert with_children.definition.id == ZRM_HUISHOUDENS_ID
    assert len(with_children.rows) == 11
    assert "(huishouden)" in with_children.title.text()

    without = open_dialog(qtbot, workspace, single.household_id, None)
    assert len(without.rows) == 5
    score_by_keyboard(qtbot, without, [Qt.Key.Key_4] * 5)
    qtbot.mouseClick(without.save_button, Qt.MouseButton.LeftButton)
    stored = AssessmentService(workspace).history(household_id=single.household_id)
    assert len(stored) == 1 and stored[0].person_id is None
    assert len(stored[0].items) == 5


# --- drafts ---------------------------------------------------------------------------------

def test_half_scored_draft_is_offered_back_after_closing_without_saving(
        qtbot: QtBot, workspace: Workspace, family: Family, dialog_adult: ZrmDialog) -> None:
    codes = list(dialog_adult.rows)
    score_by_keyboard(qtbot, dialog_adult, [Qt.Key.Key_2, Qt.Key.Key_N, Qt.Key.Key_5])
    qtbot.keyClicks(dialog_adult.notes, "Half af")
    qtbot.keyClick(dialog_adult.notes, Qt.Key.Key_Escape)
    assert not dialog_adult.isVisible()
    assert DraftService(workspace).get(draft_key(family.adult.id)) is not None
    assert AssessmentService(workspace).history(person_id=family.adult.id) == []

    again = open_dialog(qtbot, workspace, family.household_id, family.adult.id)
    assert again.draft_offer.isVisible()
    assert not any(r.picker.is_answered() for r in again.rows.values())
    qtbot.mouseClick(again.draft_offer.yes_button, Qt.MouseButton.LeftButton)
    assert [again.rows[c].picker.is_answered() for c in codes[:4]] == [True, True, True, False]
    assert again.rows[codes[0]].picker.score() == 2
    assert again.rows[codes[1]].picker.score() is None
    assert again.rows[codes[2]].picker.score() == 5
    assert again.notes.toPlainText() == "Half af"

    for code in codes[3:]:
        qtbot.keyClick(again.rows[code].picker, Qt.Key.Key_3)
    qtbot.mouseClick(again.save_button, Qt.MouseButton.LeftButton)
    assert len(AssessmentService(workspace).history(person_id=family.adult.id)) == 1
    assert DraftService(workspace).get(draft_key(family.adult.id)) is None


def test_refusing_the_offered_draft_starts_fresh(
        qtbot: QtBot, workspace: Workspace, family: Family, dialog_adult: ZrmDialog) -> None:
    score_by_keyboard(qtbot, dialog_adult, [Qt.Key.Key_2])
    dialog_adult.reject()
    again = open_dialog(qtbot, workspace, family.household_id, family.adult.id)
    qtbot.mouseClick(again.draft_offer.no_button, Qt.MouseButton.LeftButton)
    assert not again.draft_offer.isVisible()
    assert DraftService(workspace).get(draft_key(family.adult.id)) is None
    assert not any(r.picker.is_answered() for r in again.rows.values())


# --- accessibility and size -----------------------------------------------------------------

def test_every_control_has_an_accessible_name(dialog_adult: ZrmDialog) -> None:
    kinds = (ScorePicker, QComboBox, QLineEdit, QPlainTextEdit, QCheckBox, QAbstractButton)
    unnamed = [
        type(w).__name__ for w in dialog_adult.findChildren(QWidget)
        if isinstance(w, kinds) and w.isVisibleTo(dialog_adult)
        and not isinstance(w.parent(), QComboBox) and not w.accessibleName()
    ]
    assert unnamed == []


def test_domains_fit_without_horizontal_scrolling(
        qtbot: QtBot, dialog_adult: ZrmDialog) -> None:
    for width in (1366, 1093, 911):  # 1366 px at 100 %, 125 % and 150 % scaling
        dialog_adult.resize(width - 24, 640)
        qtbot.wait(10)
        viewport = dialog_adult.scroll_area.viewport().width()
        assert dialog_adult.scroll_area.widget().width() <= viewport
        picker = next(iter(dialog_adult.rows.values())).picker
        for value in (1, 5, None):
            button = picker.button(value)
            right = button.mapTo(picker, button.rect().topRight()).x()
            assert right <= picker.width(), (width, value)
