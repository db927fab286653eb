"""What the server refuses reaches the worker and stays on the laptop (real laptops, real
server; SQLite and PostgreSQL): two plans started offline for one household — the server keeps
the first, the second laptop shows the server's plan as THE plan and its own read-only as
refused (plan_exists), with the refusal in its list; nothing of it is dropped."""

from __future__ import annotations

import dataclasses

import pytest
from pytestqt.qtbot import QtBot

from tests.server.conftest import Server
from wijkteam_app.services.demo import demo_plan_content
from wijkteam_app.services.plans import PlanService
from wijkteam_app.ui.dialogs.refusals_dialog import RefusalsDialog
from wijkteam_app.ui.pages.plan_page import PlanPage


def test_two_plans_started_offline_the_second_is_refused_and_kept(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    team = server.team()
    bert_account = server.account(team)
    anna = make_laptop(server.account(team))
    bert = make_laptop(bert_account)
    hh, _case = anna.new_household("Huishouden Tweeplan", case_team=(bert_account.id,))
    anna.sync_ok()
    bert.sync_ok()

    anna.net.offline = bert.net.offline = True
    theirs = PlanService(anna.workspace).start(hh, demo_plan_content(anna.workspace, hh))
    content = dataclasses.replace(demo_plan_content(bert.workspace, hh),
                                  question="Bert schreef deze vraag offline.")
    mine = PlanService(bert.workspace).start(hh, content)
    anna.net.offline = bert.net.offline = False

    assert anna.sync_ok().rejected == 0
    report = bert.sync.sync_once()
    assert report.rejected == 1  # told, not silently dropped

    plans = PlanService(bert.workspace)
    assert [v.id for v in plans.versions(hh)] == [theirs.id]  # the server's plan is THE plan
    [refused] = plans.refused_versions(hh)
    assert refused.version.id == mine.id and refused.reason == "plan_exists"
    assert plans.version(mine.id).content.question == "Bert schreef deze vraag offline."
    [view] = bert.sync.refusals()
    assert (view.household_name, view.action, view.reason) == (
        "Huishouden Tweeplan", "plan.aanmaken", "plan_exists")
    assert bert.sync.status().rejected_changes == 1
    # Anna's laptop has one plan only: the refused one never reached the server.
    assert [v.id for v in PlanService(anna.workspace).versions(hh)] == [theirs.id]
    anna.sync_ok()
    assert PlanService(anna.workspace).refused_versions(hh) == []


@pytest.mark.gui
def test_the_refused_plan_on_screen(qtbot: QtBot, server: Server,  # type: ignore[no-untyped-def]
                                    make_laptop) -> None:
    if server.database_url.startswith("postgresql"):
        pytest.skip("the UI is the same for both databases")
    team = server.team()
    bert_account = server.account(team)
    anna = make_laptop(server.account(team))
    bert = make_laptop(bert_account)
    hh, _case = anna.new_household("Huishouden Tweeplan", case_team=(bert_account.id,))
    anna.sync_ok()
    bert.sync_ok()
    bert.net.offline = True
    PlanService(anna.workspace).start(hh, demo_plan_content(anna.workspace, hh))
    mine = PlanService(bert.workspace).start(hh, demo_plan_content(bert.workspace, hh))
    bert.net.offline = False
    anna.sync_ok()
    bert.sync.sync_once()

    page = PlanPage(bert.workspace)
    qtbot.addWidget(page)
    page.show()
    page.show_household(hh)
    assert not page.refused_banner.isVisible()
    assert page.versions_model.rowCount() == 2
    page.versions_table.selectRow(page.versions_model.row_of(mine.id))
    assert page.refused_banner.isVisible()
    assert "al een ondersteuningsplan van een collega" in page.refused_banner.text()
    dialog = RefusalsDialog(bert.sync)
    qtbot.addWidget(dialog)
    assert dialog.refusals_model.rowCount() == 1
    assert "neem uw tekst over in dat plan" in dialog.explanation()
