"""Each role is offered only what it may do (the services answer from `sync.authority`; the
widgets hold no rules): buttons and menu entries are absent, and their keyboard shortcuts do
nothing.

- toetser: no intake, no household/member/case edits; only the toets on a plan waiting for it;
- wijkwerker (regisseur): edits and writes the plan, no review or toets;
- teamcoach: edits and reviews, no toets;
- a colleague outside the case team: looks, changes nothing.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.test_household_page import Family, make_family, outbox_count
from tests.ui.test_plan_page import acting_as, add_worker, approved_plan, submitted_plan
from wijkteam_app.domain.workers import Role, Worker
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.dialogs import intake_wizard
from wijkteam_app.ui.main_window import MainWindow
from wijkteam_app.ui.pages.household_page import HouseholdPage
from wijkteam_app.ui.pages.plan_page import PlanPage
from wijkteam_app.ui.pages.review_page import ReviewPage

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def family(workspace: Workspace) -> Family:
    return make_family(workspace)


@pytest.fixture
def wizards(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Intake wizards the window tried to open (recorded instead of shown modally)."""
    opened: list[object] = []

    def record(wizard: object) -> int:
        opened.append(wizard)
        return 0

    monkeypatch.setattr(intake_wizard.IntakeWizard, "exec", record)
    return opened


def as_worker(workspace: Workspace, role: Role, name: str) -> Iterator[Worker]:
    worker = add_worker(workspace, role, name)
    with acting_as(workspace, worker):
        yield worker


@pytest.fixture
def toetser(workspace: Workspace) -> Iterator[Worker]:
    yield from as_worker(workspace, Role.TOETSER, "Toetser Test")


def window_for(qtbot: QtBot, workspace: Workspace) -> MainWindow:
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: window.is_ready)  # the caseload is read after the first paint
    return window


def household_page(qtbot: QtBot, workspace: Workspace, family: Family,
                   active: bool = False) -> HouseholdPage:
    page = HouseholdPage(workspace)
    qtbot.addWidget(page)
    page.resize(1366, 720)
    page.show()
    qtbot.waitExposed(page)
    if active:  # for the keyboard
        page.activateWindow()
        qtbot.waitUntil(page.isActiveWindow)
    page.show_household(family.household.id)
    return page


def plan_page(qtbot: QtBot, workspace: Workspace, family: Family) -> PlanPage:
    page = PlanPage(workspace)
    qtbot.addWidget(page)
    page.resize(1366, 720)
    page.show()
    qtbot.waitExposed(page)
    page.show_household(family.household.id)
    return page


def visible_edit_buttons(page: HouseholdPage) -> list[str]:
    return [b.text() for b in page.edit_buttons() if not b.isHidden()]


# --- toetser -------------------------------------------------------------------------------


def test_the_toetser_gets_no_intake(qtbot: QtBot, workspace: Workspace, family: Family,
                                    toetser: Worker, wizards: list[object]) -> None:
    window = window_for(qtbot, workspace)
    assert not window.new_intake_action.isVisible()
    assert not window.new_intake_action.isEnabled()
    assert not window.caseload.new_intake.isVisible()
    assert window.caseload.scope.currentData() == "all"  # no caseload of their own
    assert window.caseload.model.rowCount() == 1  # the household is listed
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    window.new_intake()  # what a stray signal would do
    QApplication.processEvents()
    assert wizards == []


def test_the_toetser_looks_at_a_household_and_changes_nothing(
        qtbot: QtBot, workspace: Workspace, family: Family, toetser: Worker) -> None:
    before = outbox_count(workspace)
    page = household_page(qtbot, workspace, family, active=True)
    assert page.members_model.rowCount() == 3  # the toetser sees the household
    assert visible_edit_buttons(page) == []
    assert page.read_only_label.isVisible()
    assert "inzien, maar niet wijzigen" in page.read_only_label.text()
    # Shortcuts and double clicks do nothing.
    page.members_table.setFocus()
    for key in (Qt.Key.Key_N, Qt.Key.Key_E, Qt.Key.Key_C):
        qtbot.keyClick(page.members_table, key, CTRL_SHIFT)
        assert page.active_dialog is None
    signals: list[object] = []
    page.zrmRequested.connect(lambda *args: signals.append(args))
    page.ladderRequested.connect(lambda *args: signals.append(args))
    qtbot.keyClick(page.members_table, Qt.Key.Key_Z, CTRL_SHIFT)
    qtbot.keyClick(page.members_table, Qt.Key.Key_P, CTRL_SHIFT)
    page.edit_person()
    page.edit_household()
    page.remove_network_member()
    assert page.active_dialog is None and signals == []
    assert outbox_count(workspace) == before


def test_the_toetser_records_only_the_toets(qtbot: QtBot, workspace: Workspace,
                                            family: Family) -> None:
    coach = add_worker(workspace, Role.TEAMCOACH, "Coach Test")
    approved_plan(workspace, family, coach)
    toetser = add_worker(workspace, Role.TOETSER, "Toetser Test")
    with acting_as(workspace, toetser):
        page = plan_page(qtbot, workspace, family)
        assert page.toets_button.isVisible()
        shown = [b.text() for b in page.workflow_buttons if b.isVisible()]
        assert sorted(shown) == sorted([page.toets_button.text(), page.pdf_button.text()])
        assert not page.up_button.isVisible() and not page.down_button.isVisible()
        assert page.editor is not None and not page.editor.editable
        before = outbox_count(workspace)
        save = QKeySequence(QKeySequence.StandardKey.Save)
        [shortcut] = [s for s in page.findChildren(QShortcut) if s.key() == save]
        shortcut.activated.emit()  # Ctrl+S does nothing
        assert page.save_concept() is False
        assert outbox_count(workspace) == before


# --- wijkwerker (the regisseur) -------------------------------------------------------------


def test_the_regisseur_gets_no_toets_and_no_review(qtbot: QtBot, workspace: Workspace,
                                                   family: Family) -> None:
    version = submitted_plan(workspace, family)
    page = plan_page(qtbot, workspace, family)
    assert not page.toets_button.isVisible()
    assert page.up_button.isVisible()  # the regisseur moves the regie
    review = ReviewPage(workspace)
    qtbot.addWidget(review)
    review.show()
    assert review.current is not None and review.current.version.id == version.id
    assert not review.approve_button.isVisible() and not review.return_button.isVisible()
    household = household_page(qtbot, workspace, family)
    assert len(visible_edit_buttons(household)) == len(household.edit_buttons())
    assert not household.read_only_label.isVisible()


# --- teamcoach -----------------------------------------------------------------------------


def test_the_teamcoach_reviews_and_edits_but_records_no_toets(
        qtbot: QtBot, workspace: Workspace, family: Family) -> None:
    submitted_plan(workspace, family)
    coach = add_worker(workspace, Role.TEAMCOACH, "Coach Test")
    with acting_as(workspace, coach):
        review = ReviewPage(workspace)
        qtbot.addWidget(review)
        review.show()
        assert review.approve_button.isVisible() and review.approve_button.isEnabled()
        plan = plan_page(qtbot, workspace, family)
        assert not plan.toets_button.isVisible()
        assert not plan.save_button.isVisible() and not plan.submit_button.isVisible()
        assert plan.up_button.isVisible()  # opschalen: the regisseur or the coach
        household = household_page(qtbot, workspace, family)
        assert len(visible_edit_buttons(household)) == len(household.edit_buttons())


# --- a colleague outside the case team -------------------------------------------------------


def test_a_colleague_outside_the_case_team_only_looks(
        qtbot: QtBot, workspace: Workspace, family: Family, wizards: list[object]) -> None:
    colleague = add_worker(workspace, Role.WIJKWERKER, "Collega Elders")
    with acting_as(workspace, colleague):
        window = window_for(qtbot, workspace)
        assert window.new_intake_action.isVisible()  # a wijkwerker does intakes
        qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
        assert len(wizards) == 1
        window.open_household(family.household.id)
        assert visible_edit_buttons(window.household) == []
        # The measurements are read when their tab is shown.
        window.household.tabs.setCurrentWidget(window.household.assessments_tab)
        assert window.assessments.new_zrm_button.isHidden()
        assert not window.plan.new_plan_button.isVisible()
        qtbot.keyClick(window.household.members_table, Qt.Key.Key_N, CTRL_SHIFT)
        assert window.household.active_dialog is None
