"""Issue 13's screens, driven by keys (and a few clicks) like a person: the keukentafel report,
a case conference and its agreements into the plan, flagging a stuck case and deciding on
it, the client-experience questionnaire, financing in the plan editor, and the "Te doen"
list with the caseload's overdue marks."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.test_household_page import Family, make_family
from tests.ui.test_mnemonics import clashes
from wijkteam_app.domain.client_experience import QUESTIONS, Moment
from wijkteam_app.domain.conferences import ConferenceKind, PartyKind
from wijkteam_app.domain.deadlines import DeadlineKind
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.plans import EigenBijdrage, Financing, PlanStatus
from wijkteam_app.domain.workers import Role, Worker
from wijkteam_app.persistence.plan_repository import save_version
from wijkteam_app.persistence.repositories import save_worker
from wijkteam_app.services.client_experience import ClientExperienceService
from wijkteam_app.services.conferences import ConferenceService
from wijkteam_app.services.demo import demo_plan_content
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.kitchen_table import KitchenTableService
from wijkteam_app.services.plans import PlanService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.services.stuck import StuckService
from wijkteam_app.ui.dialogs.casework_dialogs import (
    ClientExperienceDialog,
    ConferenceDialog,
    ExperienceSummaryDialog,
    KitchenTableDialog,
    StuckDecisionDialog,
    StuckFlagDialog,
    TakeIntoPlanDialog,
)
from wijkteam_app.ui.main_window import MainWindow
from wijkteam_app.ui.models.household_table_model import Column
from wijkteam_app.ui.pages.casework_pages import (
    CaseExtrasPanel,
    ConferencesPanel,
    KitchenTablePanel,
    StuckCasesPage,
)
from wijkteam_app.ui.pages.plan_page import PlanPage, SupportRow

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def add_worker(workspace: Workspace, role: Role, name: str) -> Worker:
    worker = Worker(new_id(), name.lower().replace(" ", "."), name, role, workspace.team.id)
    with workspace.casefile.save(workspace.actor_id, "medewerker.test", "medewerker",
                                 worker.id) as ctx:
        save_worker(ctx.session, worker)
    return worker


@contextmanager
def acting_as(workspace: Workspace, worker: Worker) -> Iterator[None]:
    me = workspace.worker
    workspace.worker = worker
    try:
        yield
    finally:
        workspace.worker = me


def shown(qtbot: QtBot, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.resize(1366, 720)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def press(qtbot: QtBot, button: QAbstractButton) -> None:
    """Activate a button from the keyboard (focus, then the space bar)."""
    QApplication.processEvents()
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)


def retype(qtbot: QtBot, widget: QWidget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, CTRL)
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    qtbot.keyClicks(widget, text)


def choose(qtbot: QtBot, combo: QComboBox, data: object) -> None:
    target = combo.findData(data)
    assert target >= 0, data
    combo.setFocus()
    for _ in range(100):
        if combo.currentIndex() == target:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up)
    raise AssertionError(data)


def active(qtbot: QtBot, dialog: QWidget | None) -> None:
    """The dialog is on screen and the active window (its Ctrl+S works)."""
    assert dialog is not None
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5_000)


def save_by_key(qtbot: QtBot, dialog: QWidget, field: QWidget) -> None:
    """Ctrl+S in the dialog, waiting until it closed."""
    with qtbot.waitSignal(dialog.finished, timeout=5_000):  # type: ignore[attr-defined]
        qtbot.keyClick(field, Qt.Key.Key_S, CTRL)


@pytest.fixture
def family(workspace: Workspace) -> Family:
    return make_family(workspace)


# --- keukentafelgesprek ----------------------------------------------------------------------


def test_the_kitchen_table_report_is_written_refused_without_help_and_versioned(
        qtbot: QtBot, workspace: Workspace, family: Family) -> None:
    panel = shown(qtbot, KitchenTablePanel(workspace))
    assert isinstance(panel, KitchenTablePanel)
    panel.show_household(family.household.id)
    assert panel.model.rowCount() == 0 and panel.new_button.isEnabled()
    press(qtbot, panel.new_button)
    dialog = panel.active_dialog
    assert isinstance(dialog, KitchenTableDialog)
    active(qtbot, dialog)
    assert dialog.focusWidget() is dialog.held_on  # starts on the first field
    retype(qtbot, dialog.held_on, (workspace.today() - timedelta(days=3)).strftime("%d-%m-%Y"))
    qtbot.keyClicks(dialog.location, ", in de keuken")
    # The child was not at the table: untick with the space bar.
    dialog.participants.setFocus()
    dialog.participants.setCurrentRow(2)
    qtbot.keyClick(dialog.participants, Qt.Key.Key_Space)
    qtbot.keyClicks(dialog.topics["self_"], "De boodschappen lukken goed.")
    qtbot.keyClicks(dialog.topics["contribution"], "Abonnementstarief voor begeleiding.")

    # Without "Waarbij heeft u hulp nodig?" nothing is stored, and it says so at the field.
    qtbot.keyClick(dialog.topics["self_"], Qt.Key.Key_S, CTRL)
    assert dialog.isVisible()
    assert dialog.errors.message_for("content.help") == "Dit veld is verplicht."
    assert KitchenTableService(workspace).reports(family.household.id) == []
    assert dialog.focusWidget() is dialog.topics["help"]

    qtbot.keyClicks(dialog.topics["help"], "Bij de schulden.")
    choose(qtbot, dialog.issued_how, "per_post")
    save_by_key(qtbot, dialog, dialog.issued_how)
    [report] = KitchenTableService(workspace).reports(family.household.id)
    assert report.number == 1 and report.content.help == "Bij de schulden."
    assert set(report.participants.person_ids) == {family.mother.id, family.father.id}
    assert report.location == "bij de inwoner thuis, in de keuken"
    assert panel.model.rowCount() == 1 and not panel.new_button.isEnabled()
    assert "Bij de schulden." in panel.text.toPlainText()

    # A correction is a new version, prefilled from the one before.
    press(qtbot, panel.version_button)
    again = panel.active_dialog
    assert isinstance(again, KitchenTableDialog)
    active(qtbot, again)
    assert again.topics["help"].toPlainText() == "Bij de schulden."
    qtbot.keyClicks(again.topics["help"], " En bij de post.")
    save_by_key(qtbot, again, again.topics["help"])
    versions = KitchenTableService(workspace).reports(family.household.id)
    assert [v.number for v in versions] == [1, 2]
    assert versions[1].based_on_id == versions[0].id
    assert [panel.model.item(r).number for r in range(2)] == [2, 1]  # newest first


# --- case conferences ------------------------------------------------------------------------


def test_a_conference_is_recorded_and_its_agreements_go_into_the_plan(
        qtbot: QtBot, workspace: Workspace, family: Family) -> None:
    panel = shown(qtbot, ConferencesPanel(workspace))
    assert isinstance(panel, ConferencesPanel)
    panel.show_household(family.household.id)
    press(qtbot, panel.new_button)
    dialog = panel.active_dialog
    assert isinstance(dialog, ConferenceDialog)
    active(qtbot, dialog)
    choose(qtbot, dialog.kind, ConferenceKind.ZORGOVERLEG.value)
    # The household and the worker are ticked already; add the huisarts from the list.
    dialog.participants.setFocus()
    dialog.participants.setCurrentRow(5)  # 3 members, oma, then the first professional
    qtbot.keyClick(dialog.participants, Qt.Key.Key_Space)
    qtbot.keyClicks(dialog.others, "Wijkagent Jansen")
    qtbot.keyClicks(dialog.reason, "Zeven organisaties, geen afstemming.")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_A, CTRL | SHIFT)  # a new agreement row
    row = dialog.rows[0]
    assert dialog.focusWidget() is row.what
    qtbot.keyClicks(row.what, "Post elke maandag openen")
    choose(qtbot, row.who, f"inwoner:{family.mother.id}")
    qtbot.keyClicks(row.due, (workspace.today() + timedelta(days=7)).strftime("%d-%m-%Y"))
    qtbot.keyClick(row.due, Qt.Key.Key_A, CTRL | SHIFT)
    second = dialog.rows[1]
    qtbot.keyClicks(second.what, "Afstemmen met de school")
    choose(qtbot, second.who, f"medewerker:{workspace.worker.id}")
    choose(qtbot, dialog.casemanager, f"medewerker:{workspace.worker.id}")
    save_by_key(qtbot, dialog, second.what)

    [conference] = ConferenceService(workspace).conferences(family.household.id)
    assert conference.kind is ConferenceKind.ZORGOVERLEG
    assert {p.kind for p in conference.participants} == {
        PartyKind.INWONER, PartyKind.PROFESSIONAL, PartyKind.MEDEWERKER, PartyKind.ANDERS}
    assert [a.what for a in conference.agreements] == ["Post elke maandag openen",
                                                       "Afstemmen met de school"]
    assert conference.casemanager is not None
    assert conference.casemanager.ref_id == workspace.worker.id
    assert panel.model.rowCount() == 1 and "Wijkagent Jansen" in panel.text.toPlainText()

    # No plan yet: the button says what to do first.
    press(qtbot, panel.plan_button)
    assert panel.notice.text().startswith("Dit huishouden heeft nog geen ondersteuningsplan")
    plans = PlanService(workspace)
    version = plans.start(family.household.id, demo_plan_content(workspace, family.household.id))
    press(qtbot, panel.plan_button)
    take = panel.active_dialog
    assert isinstance(take, TakeIntoPlanDialog)
    active(qtbot, take)
    assert clashes(take) == {}
    with qtbot.waitSignal(take.finished, timeout=5_000):
        qtbot.keyClick(take.goal, Qt.Key.Key_Return)
    goal = plans.version(version.id).content.goals[0]
    assert goal.zelf.endswith("Post elke maandag openen (uiterlijk "
                              f"{(workspace.today() + timedelta(days=7)):%d-%m-%Y})")
    assert [a.what for a in goal.afspraken] == ["Afstemmen met de school"]
    assert "in het plan" in panel.text.toPlainText()


def test_conference_dialog_refuses_an_eigen_kracht_conferentie_without_the_household(
        qtbot: QtBot, workspace: Workspace, family: Family) -> None:
    panel = shown(qtbot, ConferencesPanel(workspace))
    assert isinstance(panel, ConferencesPanel)
    panel.show_household(family.household.id)
    press(qtbot, panel.new_button)
    dialog = panel.active_dialog
    assert isinstance(dialog, ConferenceDialog)
    active(qtbot, dialog)
    choose(qtbot, dialog.kind, ConferenceKind.EIGEN_KRACHT_CONFERENTIE.value)
    dialog.participants.setFocus()
    for row in range(3):  # untick the three members
        dialog.participants.setCurrentRow(row)
        qtbot.keyClick(dialog.participants, Qt.Key.Key_Space)
    qtbot.keyClick(dialog.reason, Qt.Key.Key_S, CTRL)
    assert dialog.isVisible()
    assert dialog.errors.message_for("participants") == (
        "Bij een eigen-kracht-conferentie is iemand van het huishouden aanwezig.")
    assert ConferenceService(workspace).conferences(family.household.id) == []


# --- the stuck case --------------------------------------------------------------------------


def test_a_worker_flags_and_the_coach_decides_on_the_stuck_cases_page(
        qtbot: QtBot, workspace: Workspace, family: Family) -> None:
    extras = shown(qtbot, CaseExtrasPanel(workspace))
    assert isinstance(extras, CaseExtrasPanel)
    extras.show_household(family.household.id)
    assert extras.flag_button.isVisible() and not extras.banner.isVisible()
    press(qtbot, extras.flag_button)
    dialog = extras.active_dialog
    assert isinstance(dialog, StuckFlagDialog)
    active(qtbot, dialog)
    qtbot.keyClick(dialog.reason, Qt.Key.Key_S, CTRL)  # no reason: refused
    assert dialog.errors.message_for("reason") == "Dit veld is verplicht."
    qtbot.keyClicks(dialog.reason, "Corporatie en schuldhulp wachten op elkaar.")
    save_by_key(qtbot, dialog, dialog.reason)
    assert extras.banner.isVisible()
    assert "Corporatie en schuldhulp wachten op elkaar." in extras.banner.text()
    assert not extras.flag_button.isVisible()
    assert not extras.decide_button.isVisible()  # a wijkwerker does not decide

    coach = add_worker(workspace, Role.TEAMCOACH, "Coach Jansen")
    with acting_as(workspace, coach):
        page = shown(qtbot, StuckCasesPage(workspace))
        assert isinstance(page, StuckCasesPage)
        page.reload()
        assert page.model.rowCount() == 1
        assert page.model.item(0).household_name == "Huishouden Voorbeeld"
        page.table.setFocus()
        qtbot.keyClick(page.table, Qt.Key.Key_Return)  # Enter on the row: decide
        decision = page.active_dialog
        assert isinstance(decision, StuckDecisionDialog)
        active(qtbot, decision)
        assert clashes(decision) == {}
        qtbot.keyClicks(decision.decision, "Opgeschaald naar de corporatie; ontruiming "
                                           "opgeschort.")
        decision.doorzettingsmacht.setFocus()
        qtbot.keyClick(decision.doorzettingsmacht, Qt.Key.Key_Space)
        save_by_key(qtbot, decision, decision.doorzettingsmacht)
        assert page.model.rowCount() == 0 and page.empty.isVisible()
    state = StuckService(workspace).state(family.household.id)
    assert [e.kind.value for e in state.events] == ["gemeld", "besloten"]
    assert state.events[1].doorzettingsmacht and state.events[1].actor_id == coach.id
    extras.reload()
    assert not extras.banner.isVisible() and extras.history.isVisible()
    assert "besluit van Coach Jansen (doorzettingsmacht)" in extras.history.text()


def test_the_worker_who_flagged_cannot_decide(qtbot: QtBot, workspace: Workspace,
                                             family: Family) -> None:
    coach = add_worker(workspace, Role.TEAMCOACH, "Coach Jansen")
    with acting_as(workspace, coach):
        StuckService(workspace).flag(family.case, "Niemand pakt het op.")
        page = shown(qtbot, StuckCasesPage(workspace))
        assert isinstance(page, StuckCasesPage)
        page.reload()
        assert not page.decide_button.isEnabled()
        assert "zelf als vastgelopen gemeld" in page.decide_button.toolTip()
        page.table.setFocus()
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
        assert page.active_dialog is None
        assert "een collega (teamcoach of brandpuntfunctionaris)" in page.notice.text()
    brandpunt = add_worker(workspace, Role.BRANDPUNTFUNCTIONARIS, "Brandpunt Bakker")
    with acting_as(workspace, brandpunt):
        page.reload()
        assert page.decide_button.isVisible() and page.decide_button.isEnabled()


# --- the resident's voice --------------------------------------------------------------------


def test_the_questionnaire_is_answered_with_digits_and_needs_one_score(
        qtbot: QtBot, workspace: Workspace, family: Family) -> None:
    extras = shown(qtbot, CaseExtrasPanel(workspace))
    assert isinstance(extras, CaseExtrasPanel)
    extras.show_household(family.household.id)
    press(qtbot, extras.experience_button)
    dialog = extras.active_dialog
    assert isinstance(dialog, ClientExperienceDialog)
    active(qtbot, dialog)
    assert clashes(dialog) == {}
    first = dialog.scores[QUESTIONS[0].code]
    assert dialog.focusWidget() is first
    qtbot.keyClick(first, Qt.Key.Key_S, CTRL)  # nothing answered: refused
    assert dialog.isVisible()
    assert "Vul bij minstens één vraag een score in." in dialog.general_error.text()
    assert ClientExperienceService(workspace).for_household(family.household.id) == []
    for question, digit in zip(QUESTIONS, "45354", strict=True):
        combo = dialog.scores[question.code]
        combo.setFocus()
        qtbot.keyClicks(combo, digit)  # a digit picks "4 – eens"
    qtbot.keyClicks(dialog.comment, "Fijn dat er geluisterd werd.")
    choose(qtbot, dialog.moment, Moment.AFSLUITING.value)
    save_by_key(qtbot, dialog, dialog.comment)
    [answers] = ClientExperienceService(workspace).for_household(family.household.id)
    assert answers.moment is Moment.AFSLUITING
    assert [a.score for a in answers.answers] == [4, 5, 3, 5, 4]
    assert answers.comment == "Fijn dat er geluisterd werd."
    assert "Klantervaring: bij het afsluiten" in extras.experience_label.text()

    summary = shown(qtbot, ExperienceSummaryDialog(ClientExperienceService(workspace)
                                                   .summary()))
    assert isinstance(summary, ExperienceSummaryDialog)
    assert "Pas vanaf 5 antwoorden" in summary.explanation.text()
    assert summary.table.item(0, 2).text() == "—"  # one answer: no average shown


# --- financing in the plan editor ------------------------------------------------------------


def test_financing_is_chosen_per_provision_and_a_pgb_asks_for_a_toets(
        qtbot: QtBot, workspace: Workspace, family: Family) -> None:
    page = shown(qtbot, PlanPage(workspace))
    assert isinstance(page, PlanPage)
    page.show_household(family.household.id)
    press(qtbot, page.new_plan_button)
    editor = page.editor
    assert editor is not None
    press(qtbot, editor.add_goal_button)
    goal = editor.goals[0]
    press(qtbot, goal.professioneel.add_button)
    support = goal.professioneel.rows[0]
    assert isinstance(support, SupportRow)
    assert support.financing.currentData() == ""  # nothing chosen yet
    choose(qtbot, support.product, "L02BI1")
    assert support.financing.currentData() == Financing.ZORG_IN_NATURA.value  # the default
    assert support.eigen_bijdrage.currentData() == EigenBijdrage.ABONNEMENTSTARIEF.value
    choose(qtbot, support.product, "L45JA2")  # a Jeugdwet product: no eigen bijdrage
    assert support.eigen_bijdrage.currentData() == EigenBijdrage.GEEN.value
    choose(qtbot, support.financing, Financing.PGB.value)
    assert "persoonsgebonden budget vraagt altijd" in support.mandate_warning.text()
    assert "persoonsgebonden budget" in editor.mandate_banner.text()
    content, _extra = editor.collect()
    [stored] = content.goals[0].professioneel
    assert (stored.financing, stored.eigen_bijdrage) == (Financing.PGB, EigenBijdrage.GEEN)


# --- "Te doen" and the caseload's marks ------------------------------------------------------


def test_the_start_page_lists_what_is_due_and_marks_what_is_late(
        qtbot: QtBot, workspace: Workspace, family: Family) -> None:
    households = HouseholdService(workspace)
    current = households.cases(family.household.id)[0].case
    overdue = dataclasses.replace(current, next_evaluation=workspace.today() - timedelta(days=5))
    households.save_case(overdue)
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    todo = window.caseload.todo
    waited_for_todo: list[bool] = []
    says_all_in_order: list[bool] = []
    window.ready.connect(lambda: (waited_for_todo.append(not todo.pending),
                                  says_all_in_order.append(todo.empty.isVisible())))
    window.show()
    active(qtbot, window)
    qtbot.waitUntil(lambda: window.is_ready)  # the caseload comes after painting ...
    assert waited_for_todo == [False]  # ... without waiting for "Te doen" (a big caseload's
    assert says_all_in_order == [False]  # (nor "all in order" before it knows)
    qtbot.waitUntil(lambda: not todo.pending)  # list is worked out on a worker thread)
    texts = [todo.list.item(n).text() for n in range(todo.list.count())]
    assert any("Evaluatie" in t and "5 dagen te laat" in t and t.startswith("⚠")
               for t in texts), texts
    row = next(r for r in range(window.model.rowCount())
               if window.model.summary(r).id == family.household.id)
    marks = window.model.index(row, Column.DEADLINES).data()
    assert marks == "⚠ evaluatie"
    assert [d.kind for d in window.model.marks(family.household.id)] == [
        DeadlineKind.EVALUATIE]
    todo.list.setFocus()
    todo.list.setCurrentRow(0)
    qtbot.keyClick(todo.list, Qt.Key.Key_Return)  # opens the household
    assert window.pages.currentWidget() is window.household
    assert window.household.household_id == family.household.id
    # Ctrl+8 and Ctrl+9 go to the Keukentafel and Overleg tabs.
    qtbot.keyClick(window.household.members_table, Qt.Key.Key_8, CTRL)
    assert window.household.tabs.currentWidget() is window.kitchen_table
    qtbot.keyClick(window.kitchen_table.table, Qt.Key.Key_9, CTRL)
    assert window.household.tabs.currentWidget() is window.conferences
    window.close()


def test_the_todo_list_is_worked_out_again_only_after_a_change(
        qtbot: QtBot, workspace: Workspace, family: Family) -> None:
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.show()
    active(qtbot, window)
    todo = window.caseload.todo
    qtbot.waitUntil(lambda: window.is_ready and not todo.pending)
    before = [todo.list.item(n).text() for n in range(todo.list.count())]
    window.open_household(family.household.id)  # a view is logged, nothing is changed
    window.show_caseload()
    assert not todo.pending  # back on the caseload: the list on screen is still right
    households = HouseholdService(workspace)
    current = households.cases(family.household.id)[0].case
    households.save_case(dataclasses.replace(
        current, next_evaluation=workspace.today() - timedelta(days=3)))
    window.caseload.refresh()  # (as after any save)
    assert todo.pending
    qtbot.waitUntil(lambda: not todo.pending)
    after = [todo.list.item(n).text() for n in range(todo.list.count())]
    assert any("3 dagen te laat" in t for t in after) and after != before
    window.close()


def test_the_todo_list_waits_while_another_page_is_shown(
        qtbot: QtBot, workspace: Workspace, family: Family) -> None:
    """A save made while the worker is on another page (a household, the Team dashboard)
    is worked into "Te doen" when the caseload shows again, not behind the page in use."""
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.show()
    active(qtbot, window)
    todo = window.caseload.todo
    qtbot.waitUntil(lambda: window.is_ready and not todo.pending)
    window.open_household(family.household.id)
    households = HouseholdService(workspace)
    current = households.cases(family.household.id)[0].case
    households.save_case(dataclasses.replace(
        current, next_evaluation=workspace.today() - timedelta(days=4)))
    window.caseload.refresh()  # (as after any save), while the caseload is off screen
    assert not todo.pending  # nothing worked out behind the household page
    window.show_caseload()
    qtbot.waitUntil(lambda: not todo.pending)
    texts = [todo.list.item(n).text() for n in range(todo.list.count())]
    assert any("4 dagen te laat" in t for t in texts), texts
    window.close()


def test_after_an_evaluation_the_window_offers_the_questionnaire(
        qtbot: QtBot, workspace: Workspace, family: Family) -> None:
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    asked: list[bool] = []

    def answer(_parent: QWidget) -> bool:
        asked.append(True)
        return True

    window.confirm_experience = answer
    window.show()
    window.open_household(family.household.id)
    plans = PlanService(workspace)
    version = plans.start(family.household.id, demo_plan_content(workspace, family.household.id))
    window._offer_experience(family.household.id)  # a concept: nothing to ask
    assert asked == []
    assert version.status is PlanStatus.CONCEPT
    evaluated = plans.version(version.id)  # the status set directly: the steps are tested
    with workspace.casefile.save(workspace.actor_id, "test", "planversie", version.id) as ctx:
        save_version(ctx.session, dataclasses.replace(evaluated, status=PlanStatus.GEEVALUEERD))
    window._offer_experience(family.household.id)
    assert asked == [True]
    dialog = window.case_extras.active_dialog
    assert isinstance(dialog, ClientExperienceDialog)
    assert dialog.moment.currentData() == Moment.EVALUATIE.value
    dialog.reject()
    window.close()


@pytest.mark.parametrize("name", ["keukentafel", "overleg", "vastgelopen", "klantervaring"])
def test_new_dialogs_have_unique_mnemonics(qtbot: QtBot, workspace: Workspace, family: Family,
                                           name: str) -> None:
    detail = HouseholdService(workspace).get(family.household.id)
    make = {
        "keukentafel": lambda: KitchenTableDialog(workspace, family.household.id, family.case.id,
                                                  detail.members, detail.network),
        "overleg": lambda: ConferenceDialog(workspace, family.household.id, family.case.id),
        "vastgelopen": lambda: StuckFlagDialog(workspace, family.case),
        "klantervaring": lambda: ClientExperienceDialog(workspace, family.case.id),
    }
    dialog = shown(qtbot, make[name]())
    if isinstance(dialog, ConferenceDialog):
        dialog.add_row()  # with an agreement row on screen too
    assert clashes(dialog) == {}
