"""Open pages follow what a sync brings (real server, offscreen main windows): the worker's
plan page shows the coach's return without reopening the household, the coach's review page
lists a newly submitted plan, the household page and the caseload show a colleague's change;
what the worker typed and where the pages were scrolled stay as they were."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.server.conftest import Server
from tests.sync.conftest import Laptop
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.people import NetworkMember
from wijkteam_app.domain.plans import PlanSection, ReviewOutcome
from wijkteam_app.services.demo import demo_plan_content
from wijkteam_app.services.plans import PlanService
from wijkteam_app.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def window_of(qtbot: QtBot, laptop: Laptop) -> MainWindow:
    window = MainWindow(laptop.workspace)
    qtbot.addWidget(window)
    window.resize(1366, 800)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.is_ready)
    window.activateWindow()
    first = window.sync  # the window's own background sync, started after the caseload
    qtbot.waitUntil(lambda: first.last_status is not None and not first.running,
                    timeout=60_000)
    return window


def sync_now(qtbot: QtBot, window: MainWindow) -> None:
    """F5, as the worker would; wait for the background sync to finish."""
    with qtbot.waitSignal(window.sync.finished, timeout=60_000) as blocker:
        window.sync_action.trigger()
    assert blocker.args[0].ok, blocker.args[0].errors


def test_open_pages_follow_a_sync_keeping_input_and_scroll(
        qtbot: QtBot, server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    if server.database_url.startswith("postgresql"):
        pytest.skip("the UI is the same for both databases")
    team = server.team()
    bert_account = server.account(team)
    worker = make_laptop(server.account(team))
    bert = make_laptop(bert_account)  # a colleague on the case team
    coach = make_laptop(server.account(team, "teamcoach"))
    hh, _case = worker.new_household("Huishouden Live", case_team=(bert_account.id,))
    plans = PlanService(worker.workspace)
    first = plans.submit(plans.start(hh, demo_plan_content(worker.workspace, hh)))
    worker.sync_ok()
    coach.sync_ok()
    bert.sync_ok()

    # The worker has the plan open; the coach the review page, typing a comment.
    mine = window_of(qtbot, worker)
    mine.open_household(hh)
    mine.show_plan_tab()
    assert "Ter beoordeling" in mine.plan.status_label.text()
    theirs = window_of(qtbot, coach)
    theirs.show_review()
    assert theirs.review.model.rowCount() == 1
    typed = "Doel 1 mag concreter."
    theirs.review.comment_edits[PlanSection.DOELEN].setPlainText(typed)

    # A second plan is submitted for another household; the coach's page lists it after
    # the sync, still showing the plan and the comment the coach was working on.
    other, _ = worker.new_household("Huishouden Tweede", case_team=(bert_account.id,))
    plans.submit(plans.start(other, demo_plan_content(worker.workspace, other)))
    sync_now(qtbot, mine)
    sync_now(qtbot, theirs)
    qtbot.waitUntil(lambda: theirs.review.model.rowCount() == 2)
    assert theirs.review.current is not None
    assert theirs.review.current.version.id == first.id
    assert theirs.review.comment_edits[PlanSection.DOELEN].toPlainText() == typed

    # The coach returns the first plan; after the worker's sync the open plan page says so
    # (it said "Ter beoordeling" until the household was reopened).
    assert theirs.review.decide(ReviewOutcome.TERUGSTUREN)
    sync_now(qtbot, theirs)
    sync_now(qtbot, mine)
    qtbot.waitUntil(lambda: "Teruggestuurd" in mine.plan.status_label.text())
    assert typed in mine.plan.comments_box.text()
    assert mine.plan.new_version_button.isVisible()

    # The worker starts version 2, types without saving and scrolls down; a colleague adds
    # a network member meanwhile. After the sync the new member is offered as participant,
    # the typed text and the scroll position are still there.
    mine.plan.new_version()
    editor = mine.plan.editor
    assert editor is not None
    editor.question.setFocus()
    editor.question.selectAll()
    qtbot.keyClicks(editor.question, "Nog niet opgeslagen tekst")
    QApplication.processEvents()
    bar = mine.plan.editor_scroll.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    scrolled = bar.value()
    assert scrolled > 0
    bert.households.save_network_member(NetworkMember(new_id(), hh, "Tante Live", "Tante"))
    bert.sync_ok()
    sync_now(qtbot, mine)
    qtbot.waitUntil(lambda: any("Tante Live" in c.text()
                                for c in editor.network_checks.values()))
    assert mine.plan.editor is editor
    assert editor.question.toPlainText() == "Nog niet opgeslagen tekst"
    assert mine.plan.has_unsaved_changes()
    qtbot.waitUntil(lambda: bar.value() == scrolled)
    # The household page behind it shows the new member too.
    assert mine.household.tabs.tabText(1) == "Netwerk (1)"

    # Back to the caseload (Ctrl+L): both households, the second one new since it opened.
    qtbot.keyClick(mine, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    names = {mine.model.summary(r).name for r in range(mine.model.rowCount())}
    assert names >= {"Huishouden Live", "Huishouden Tweede"}
