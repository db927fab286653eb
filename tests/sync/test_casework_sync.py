"""Issue 13's records travel with the sync (real laptops, a real server; SQLite and
PostgreSQL): the keukentafel report, a case conference taken into the plan, the plan's
financing, client-experience answers, and the stuck case with the brandpuntfunctionaris who
sees the household only while it is flagged and may only record the decision."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.server.conftest import Server
from wijkteam_app.domain.client_experience import QUESTIONS, Moment
from wijkteam_app.domain.conferences import (
    CaseConference,
    ConferenceAgreement,
    ConferenceKind,
    Party,
    PartyKind,
)
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.kitchen_table import (
    IssueMethod,
    KitchenTableContent,
    ReportDraft,
    ReportParticipants,
)
from wijkteam_app.domain.people import NetworkMember
from wijkteam_app.domain.plans import Financing
from wijkteam_app.domain.workers import Role
from wijkteam_app.services.authority import NotAllowed
from wijkteam_app.services.client_experience import ClientExperienceService
from wijkteam_app.services.conferences import ConferenceService
from wijkteam_app.services.demo import demo_plan_content
from wijkteam_app.services.kitchen_table import KitchenTableService
from wijkteam_app.services.plans import PlanService
from wijkteam_app.services.stuck import StuckService
from wijkteam_server.models import EntityRow


def server_rows(server: Server, entity: str, household_id: str) -> list[EntityRow]:
    with Session(server.engine) as session:
        rows = list(session.scalars(select(EntityRow).where(
            EntityRow.entity == entity, EntityRow.household_id == household_id)))
        for row in rows:
            session.expunge(row)
        return rows


def test_reports_conferences_financing_and_answers_reach_server_and_coach(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    team = server.team()
    worker = make_laptop(server.account(team))
    coach = make_laptop(server.account(team, "teamcoach"))
    hh, case_id = worker.new_household("Huishouden Casework")
    ws = worker.workspace
    worker.households.save_network_member(NetworkMember(new_id(), hh, "Ria Proefmans",
                                                        "moeder", "helpt"))
    detail = worker.households.get(hh)
    case = worker.households.cases(hh)[0].case
    today = ws.today()

    # Offline at the kitchen table: the report, a conference, a plan, the resident's answers.
    worker.net.offline = True
    report = KitchenTableService(ws).record(hh, case_id, ReportDraft(
        held_on=today - timedelta(days=3), location="thuis",
        participants=ReportParticipants((detail.members[0].id,)),
        content=KitchenTableContent(help="Bij de post.", needs="Rust."),
        issued_on=today, issued_how=IssueMethod.MEEGEGEVEN))
    resident = Party(PartyKind.INWONER, detail.members[0].full_name, detail.members[0].id)
    ria = Party(PartyKind.NETWERK, "Ria Proefmans", detail.network[0].id)
    me = Party(PartyKind.MEDEWERKER, ws.worker.display_name, ws.worker.id)
    conference = ConferenceService(ws).save(CaseConference(
        new_id(), hh, today - timedelta(days=1), ConferenceKind.EIGEN_KRACHT_CONFERENTIE,
        ws.actor_id, case_id, participants=(resident, ria, me),
        agreements=(ConferenceAgreement(new_id(), "Helpt met de post.", ria),),
        casemanager=me))
    plans = PlanService(ws)
    version = plans.start(hh, demo_plan_content(ws, hh))
    version, conference = ConferenceService(ws).take_into_plan(
        conference, [conference.agreements[0].id], version.content.goals[0].id)
    ClientExperienceService(ws).record(case.id, Moment.EVALUATIE,
                                       {q.code: 4 for q in QUESTIONS}, "Goed geholpen.")
    assert worker.sync.sync_once().offline
    worker.net.offline = False
    assert worker.sync_ok().rejected == 0

    [stored_report] = server_rows(server, "kitchen_table_report", hh)
    assert stored_report.data["content"]["help"] == "Bij de post."
    [stored_conf] = server_rows(server, "case_conference", hh)
    assert stored_conf.data["kind"] == "eigen_kracht_conferentie"
    assert stored_conf.data["agreements"][0]["plan_goal_id"] == version.content.goals[0].id
    [stored_plan] = server_rows(server, "plan_version", hh)
    supports = [s for g in stored_plan.data["content"]["goals"] for s in g["professioneel"]]
    assert [s["financing"] for s in supports] == ["voucher", "pgb"]
    [stored_answers] = server_rows(server, "client_experience", hh)
    assert stored_answers.data["answers"][0] == {"question": "gehoord", "score": 4}

    # The coach's laptop gets all of it.
    coach.sync_ok()
    [on_coach] = KitchenTableService(coach.workspace).reports(hh)
    assert on_coach.content.help == "Bij de post." and on_coach.number == report.number
    [conf_on_coach] = ConferenceService(coach.workspace).conferences(hh)
    assert conf_on_coach.casemanager == me
    assert conf_on_coach.agreements[0].plan_goal_id == version.content.goals[0].id
    plan_on_coach = PlanService(coach.workspace).current(hh)
    assert plan_on_coach is not None
    assert plan_on_coach.content.goals[0].netwerk[-1].task.endswith("Helpt met de post.")
    assert [s.financing for s in plan_on_coach.content.professional_support()] == [
        Financing.VOUCHER, Financing.PGB]
    assert len(ClientExperienceService(coach.workspace).for_household(hh)) == 1


def test_a_stuck_case_reaches_the_brandpuntfunctionaris_only_while_flagged(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    team = server.team()
    worker = make_laptop(server.account(team))
    coach = make_laptop(server.account(team, "teamcoach"))
    brandpunt = make_laptop(server.account(team, "brandpuntfunctionaris"))
    assert brandpunt.workspace.worker.role is Role.BRANDPUNTFUNCTIONARIS
    hh, _case_id = worker.new_household("Huishouden Vast")
    worker.sync_ok()
    brandpunt.sync_ok()
    assert not brandpunt.has_household(hh)  # nothing stuck: not in scope

    case = worker.households.cases(hh)[0].case
    flag = StuckService(worker.workspace).flag(case, "Corporatie en schuldhulp wachten.")
    worker.sync_ok()
    [stored_flag] = server_rows(server, "stuck_flag", hh)
    assert stored_flag.data["reason"] == "Corporatie en schuldhulp wachten."

    brandpunt.sync_ok()
    assert brandpunt.has_household(hh)
    service = StuckService(brandpunt.workspace)
    [flagged] = service.flagged_cases()
    assert flagged.flag.id == flag.id and flagged.household_name == "Huishouden Vast"

    # The brandpuntfunctionaris may only record the decision: the laptop refuses an edit of
    # the household as the server would (tests/server/test_casework_authority.py).
    with pytest.raises(NotAllowed):
        brandpunt.edit(hh, city="Elders")
    decision = service.decide(flagged.flag, "Doorzettingsmacht: de corporatie wacht tot "
                              "1 mei.", doorzettingsmacht=True)
    report = brandpunt.sync.sync_once()
    assert report.rejected == 0
    [stored_decision] = server_rows(server, "stuck_decision", hh)
    assert stored_decision.data["flag_id"] == flag.id
    assert stored_decision.data["doorzettingsmacht"] is True
    assert stored_decision.data["decided_by"] == brandpunt.user_id
    assert server_rows(server, "household", hh)[0].data["city"] == "Voorbeeldstad"

    # Decided: the household leaves the brandpuntfunctionaris' scope on the server.
    brandpunt.sync.sync_once()
    with Session(server.engine) as session:
        from wijkteam_server.models import HouseholdAccess

        grants = set(session.scalars(select(HouseholdAccess.principal).where(
            HouseholdAccess.household_id == hh)))
    assert not any(g.startswith("brandpunt:") for g in grants)

    # The worker and the coach see the whole history.
    for laptop in (worker, coach):
        laptop.sync_ok()
        state = StuckService(laptop.workspace).state(hh)
        assert [e.kind.value for e in state.events] == ["gemeld", "besloten"]
        assert state.events[1].text == decision.decision and state.open == ()


def test_a_coach_decides_and_an_append_only_flag_never_merges(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    team = server.team()
    worker = make_laptop(server.account(team))
    coach = make_laptop(server.account(team, "teamcoach"))
    hh, _case_id = worker.new_household("Huishouden Coach")
    case = worker.households.cases(hh)[0].case
    flag = StuckService(worker.workspace).flag(case, "Geen voortgang.")
    worker.sync_ok()
    coach.sync_ok()
    [flagged] = StuckService(coach.workspace).flagged_cases()
    StuckService(coach.workspace).decide(flagged.flag, "Gezinsbegeleider erbij.")
    assert coach.sync_ok().rejected == 0
    worker.sync_ok()
    assert StuckService(worker.workspace).open_flag(hh, case.id) is None
    # Rewriting the flag afterwards (by hand, bypassing the services) becomes a conflict
    # that keeps the server's record: flags are append-only.
    from wijkteam_app.persistence.schema import StuckFlagRecord

    with worker.workspace.casefile.save(worker.user_id, "test.herschrijven", "casus",
                                        case.id) as ctx:
        record = ctx.session.get(StuckFlagRecord, flag.id)
        assert record is not None
        record.reason = "Andere reden."
    report = worker.sync_ok()
    assert report.conflicts == 1
    [stored] = server_rows(server, "stuck_flag", hh)
    assert stored.data["reason"] == "Geen voortgang."
