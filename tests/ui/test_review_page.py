"""The teamcoach's review page, driven by keys and clicks: return with a comment, the worker
makes a new version and resubmits, the coach sees what changed and approves; a worker who is
not a teamcoach gets an explanation instead of the buttons; the model under the tester."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.test_household_page import Family, make_family
from tests.ui.test_plan_page import (
    acting_as,
    add_worker,
    click,
    retype,
    submitted_plan,
    valid_content,
)
from wijkteam_app.domain.plans import PlanSection, PlanStatus, ReviewOutcome
from wijkteam_app.domain.workers import Role, Worker
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.plans import PlanService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.pages.plan_page import PlanPage
from wijkteam_app.ui.pages.review_page import ReviewPage, WaitingModel, WaitingRow

pytestmark = pytest.mark.gui


@pytest.fixture
def family(workspace: Workspace) -> Family:
    return make_family(workspace)


@pytest.fixture
def coach(workspace: Workspace) -> Worker:
    return add_worker(workspace, Role.TEAMCOACH, "Coach Test")


def review_page(qtbot: QtBot, workspace: Workspace) -> ReviewPage:
    page = ReviewPage(workspace)
    qtbot.addWidget(page)
    page.resize(1366, 720)
    page.show()
    qtbot.waitExposed(page)
    return page


def test_return_new_version_resubmit_and_approve(
        qtbot: QtBot, workspace: Workspace, family: Family, coach: Worker) -> None:
    service = PlanService(workspace)
    first = submitted_plan(workspace, family)
    worker_name = workspace.worker.display_name

    with acting_as(workspace, coach):
        page = review_page(qtbot, workspace)
        assert page.model.rowCount() == 1
        assert page.model.index(0, 0).data() == "Huishouden Voorbeeld"
        assert page.model.index(0, 1).data() == "1"
        assert page.model.index(0, 2).data() == worker_name
        assert page.current is not None and page.current.version.id == first.id
        assert "Schulden op een rij" in page.plan_view.toPlainText()
        assert "alles is nieuw" in page.plan_view.toPlainText()
        assert page.approve_button.isVisible() and not page.explanation.isVisible()

        # A return needs a comment.
        click(qtbot, page.return_button)
        assert page.notice.text().startswith("Terugsturen kan alleen met minstens één opmerking")
        assert service.version(first.id).status is PlanStatus.TER_BEOORDELING
        qtbot.keyClicks(page.comment_edits[PlanSection.HULPVRAAG],
                        "Schrijf de vraag in de woorden van Anouk.")
        with qtbot.waitSignal(page.reviewed) as signal:
            click(qtbot, page.return_button)
        assert signal.args == [first.id, "terugsturen"]
        assert page.model.rowCount() == 0 and page.empty_label.isVisible()
        assert "teruggestuurd" in page.notice.text()

    returned = service.version(first.id)
    assert returned.status is PlanStatus.TERUGGESTUURD
    review = returned.last_review
    assert review is not None
    assert (review.version_id, review.reviewer_id, review.outcome) == (
        first.id, coach.id, ReviewOutcome.TERUGSTUREN)
    assert [(c.section, c.text) for c in review.comments] == [
        (PlanSection.HULPVRAAG, "Schrijf de vraag in de woorden van Anouk.")]

    # The worker sees the comment, makes a new version, changes the question, resubmits.
    plan_page = PlanPage(workspace)
    qtbot.addWidget(plan_page)
    plan_page.resize(1366, 720)
    plan_page.show()
    plan_page.show_household(family.household.id)
    assert "Schrijf de vraag in de woorden van Anouk." in plan_page.comments_box.text()
    assert plan_page.new_version_button.isVisible()
    click(qtbot, plan_page.new_version_button)
    editor = plan_page.editor
    assert editor is not None and editor.editable
    retype(qtbot, editor.question, "Ik wil weer slapen zonder zorgen over geld.")
    click(qtbot, plan_page.submit_button)
    second = service.current(family.household.id)
    assert second is not None and second.number == 2
    assert second.status is PlanStatus.TER_BEOORDELING
    assert second.based_on_id == first.id

    with acting_as(workspace, coach):
        page.reload()
        assert page.model.rowCount() == 1
        assert page.current is not None and page.current.version.id == second.id
        # Observed: "Eerste versie ter beoordeling: alles is nieuw". A rework is compared
        # with the version the coach returned, her comments beside what changed.
        assert page.base is not None and page.base.id == first.id
        assert page.changed_sections() == {PlanSection.HULPVRAAG}
        text = page.plan_view.toPlainText()
        assert "alles is nieuw" not in text
        assert "gewijzigd sinds versie 1, die Coach Test terugstuurde" in text
        assert "Opmerking bij versie 1: Schrijf de vraag in de woorden van Anouk." in text
        assert "Ik wil weer slapen zonder zorgen over geld." in text
        earlier = page.earlier_labels[PlanSection.HULPVRAAG]
        assert earlier.isVisible()
        assert earlier.text() == "Bij versie 1: Schrijf de vraag in de woorden van Anouk."
        assert not page.earlier_labels[PlanSection.DOELEN].isVisible()
        click(qtbot, page.approve_button)
        assert "goedgekeurd" in page.notice.text()
    approved = service.version(second.id)
    assert approved.status is PlanStatus.GOEDGEKEURD
    assert approved.last_review is not None
    assert approved.last_review.version_id == second.id
    assert service.version(first.id).status is PlanStatus.TERUGGESTUURD


def test_changes_since_the_last_approved_version_are_highlighted(
        qtbot: QtBot, workspace: Workspace, family: Family, coach: Worker) -> None:
    service = PlanService(workspace)
    first = submitted_plan(workspace, family)
    with acting_as(workspace, coach):
        service.review(first, ReviewOutcome.GOEDKEUREN)
    fresh = service.new_version(service.version(first.id))
    fresh = service.save_concept(fresh, replace(fresh.content, question="Een nieuwe vraag"))
    service.submit(fresh)
    with acting_as(workspace, coach):
        page = review_page(qtbot, workspace)
        assert page.base is not None and page.base.id == first.id
        assert page.changed_sections() == {PlanSection.HULPVRAAG}
        label = page.findChild(type(page.plan_title), "commentLabel_hulpvraag")
        assert label is not None and label.text() == "Hulpvraag — gewijzigd"
        text = page.plan_view.toPlainText()
        assert "gewijzigd sinds versie 1" in text
        assert "We willen weer rust in huis." in text and "Een nieuwe vraag" in text


def test_a_worker_who_is_not_a_teamcoach_gets_an_explanation(
        qtbot: QtBot, workspace: Workspace, family: Family) -> None:
    assert workspace.worker.role is not Role.TEAMCOACH
    version = submitted_plan(workspace, family)
    page = review_page(qtbot, workspace)
    assert page.model.rowCount() == 1
    assert page.explanation.isVisible()
    assert page.explanation.text().startswith("Alleen een teamcoach van het team kan plannen")
    assert not page.approve_button.isVisible() and not page.return_button.isVisible()
    assert page.comment_edits[PlanSection.DOELEN].isReadOnly()
    assert page.decide(ReviewOutcome.GOEDKEUREN) is False
    assert PlanService(workspace).version(version.id).status is PlanStatus.TER_BEOORDELING


def test_a_coach_does_not_review_a_plan_they_are_regisseur_of(
        qtbot: QtBot, workspace: Workspace, family: Family, coach: Worker) -> None:
    service = PlanService(workspace)
    version = service.start(family.household.id)
    content = replace(valid_content(workspace, family), regisseur_id=coach.id)
    service.save_concept(version, content)
    service.submit(service.version(version.id))
    with acting_as(workspace, coach):
        page = review_page(qtbot, workspace)
        assert page.explanation.isVisible()
        assert "U bent de regisseur van dit plan" in page.explanation.text()
        assert not page.approve_button.isVisible()


def test_waiting_model_passes_the_model_tester(
        workspace: Workspace, family: Family) -> None:
    version = submitted_plan(workspace, family)
    model = WaitingModel()
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    names = HouseholdService(workspace).worker_names()
    rows = [WaitingRow(version, "Huishouden Voorbeeld", names[workspace.actor_id],
                       version.created_at)]
    model.set_rows(rows)
    assert model.rowCount() == 1 and model.columnCount() == 4
    assert model.headerData(2, Qt.Orientation.Horizontal) == "Ingediend door"
    assert "versie 1" in model.index(0, 0).data(Qt.ItemDataRole.AccessibleTextRole)
    model.set_rows([])
    model.set_rows(rows * 3)
    assert model.rowCount() == 3
    assert tester is not None


def main_window_review(qtbot: QtBot, workspace: Workspace):  # type: ignore[no-untyped-def]
    from wijkteam_app.ui.main_window import MainWindow

    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.resize(1366, 740)  # a 1366x768 laptop screen minus the title bar
    window.show()
    qtbot.waitExposed(window)
    window.show_review()
    for _ in range(5):
        QApplication.processEvents()
    return window


def test_at_1366x768_every_comment_box_is_in_view_and_the_decision_note_stays_small(
        qtbot: QtBot, workspace: Workspace, family: Family, coach: Worker) -> None:
    """Observed: the last comment field was below the fold; after the decision its
    confirmation filled half the screen."""
    submitted_plan(workspace, family)
    with acting_as(workspace, coach):
        window = main_window_review(qtbot, workspace)
        page = window.review
        viewport = page.comments_scroll.viewport()
        for section, edit in page.comment_edits.items():
            top_left = edit.mapTo(viewport, edit.rect().topLeft())
            bottom = top_left.y() + edit.height()
            assert top_left.y() >= 0 and bottom <= viewport.height(), section
        last = page.comment_edits[PlanSection.TOESTEMMING]
        qtbot.mouseClick(last, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(last, "Noem het doel van het delen.")
        qtbot.waitUntil(lambda: last.height() > 40)
        bottom = last.mapTo(viewport, last.rect().bottomLeft()).y()
        assert bottom <= viewport.height()
        last.clear()
        assert page.decide(ReviewOutcome.GOEDKEUREN)
        for _ in range(5):
            QApplication.processEvents()
        assert "De beslissing is vastgelegd" in page.notice.text()
        assert page.notice.height() < 90
