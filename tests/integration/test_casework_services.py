"""Issue 13 through its services on a real, encrypted case file: financing in the plan and
its PDF, the keukentafel report as versions, case conferences into the plan, the stuck case,
the resident's voice, and the "Te doen" deadlines. Every save leaves one change-set and one
audit entry; refusals change nothing."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import PASSPHRASE
from tests.helpers import factories
from wijkteam_app.domain.cases import Case, CaseStatus, Complexity, ReferralSource
from wijkteam_app.domain.client_experience import QUESTIONS, Moment
from wijkteam_app.domain.conferences import (
    CaseConference,
    ConferenceAgreement,
    ConferenceKind,
    Party,
    PartyKind,
)
from wijkteam_app.domain.deadlines import DeadlineKind
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.kitchen_table import (
    IssueMethod,
    KitchenTableContent,
    ReportDraft,
    ReportParticipants,
)
from wijkteam_app.domain.people import NetworkMember, Professional
from wijkteam_app.domain.plans import Financing, PlanStatus
from wijkteam_app.domain.rules import NotAllowed, RuleViolation
from wijkteam_app.domain.stuck import StuckRuleViolation
from wijkteam_app.domain.validation import ErrorCode, ValidationFailed
from wijkteam_app.domain.workers import Role, Worker
from wijkteam_app.errors import StaleVersion
from wijkteam_app.paths import ProfilePaths
from wijkteam_app.persistence import repositories as repo
from wijkteam_app.persistence.schema import AuditRecord, OutboxRecord
from wijkteam_app.services.client_experience import ClientExperienceService
from wijkteam_app.services.conferences import ConferenceService
from wijkteam_app.services.deadlines import Cancelled, DeadlineService
from wijkteam_app.services.demo import demo_plan_content
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.kitchen_table import KitchenTableService
from wijkteam_app.services.plans import PlanService
from wijkteam_app.services.profile import Workspace, unlock
from wijkteam_app.services.settings import SettingsService
from wijkteam_app.services.stuck import StuckService


def add_worker(ws: Workspace, role: Role, name: str) -> Worker:
    worker = Worker(new_id(), name.lower().replace(" ", "."), name, role, ws.team.id)
    with ws.casefile.save(ws.actor_id, "test.medewerker", "medewerker", worker.id) as ctx:
        repo.save_worker(ctx.session, worker)
    return worker


def acting_as(ws: Workspace, worker: Worker) -> Worker:
    previous = ws.worker
    ws.worker = worker
    return previous


def counts(ws: Workspace) -> tuple[int, int]:
    with ws.casefile.read() as session:
        return (session.scalar(select(func.count()).select_from(OutboxRecord)) or 0,
                session.scalar(select(func.count()).select_from(AuditRecord)) or 0)


@pytest.fixture
def family(workspace: Workspace) -> tuple[str, Case]:
    """A household with two adults, a network member, a professional and a case."""
    households = HouseholdService(workspace)
    household = factories.household("Huishouden Proefmans")
    sandra = factories.person(household.id, "Sandra")
    mark = factories.person(household.id, "Mark", birth=date(1978, 2, 3))
    households.create(household, [sandra, mark])
    households.save_network_member(NetworkMember(new_id(), household.id, "Ria Proefmans",
                                                 "moeder", "helpt met de post"))
    households.save_professional(Professional(new_id(), household.id, "Huisartsenpraktijk",
                                              "Dr. Peters", "huisarts"))
    case = Case(new_id(), household.id, workspace.team.id, workspace.worker.id,
                CaseStatus.KEUKENTAFELGESPREK, ReferralSource.HUISARTS,
                workspace.today() - timedelta(days=50), complexity=Complexity.MEERVOUDIG)
    households.save_case(case)
    return household.id, case


def pdftotext(pdf: bytes, tmp_path: Path) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext is not installed")
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([tool, "-enc", "UTF-8", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    return re.sub(r"\s+", " ", out)


def draft(ws: Workspace, household_id: str, help_text: str = "Bij de schulden.") -> ReportDraft:
    detail = HouseholdService(ws).get(household_id)
    return ReportDraft(
        held_on=ws.today() - timedelta(days=7), location="thuis",
        participants=ReportParticipants(tuple(m.id for m in detail.members),
                                        (detail.network[0].id,)),
        content=KitchenTableContent(help=help_text, self_="De boodschappen lukken."),
        issued_on=ws.today(), issued_how=IssueMethod.PER_POST)


# --- financing -------------------------------------------------------------------------------


def test_the_plan_refuses_submission_without_financing_and_prints_it_per_provision(
        workspace: Workspace, family: tuple[str, Case], tmp_path: Path) -> None:
    household_id, _case = family
    plans = PlanService(workspace)
    content = demo_plan_content(workspace, household_id)
    bare = dataclasses.replace(content, goals=tuple(
        dataclasses.replace(g, professioneel=tuple(
            dataclasses.replace(s, financing=None, eigen_bijdrage=None)
            for s in g.professioneel)) for g in content.goals))
    version = plans.start(household_id, bare)
    before = counts(workspace)
    with pytest.raises(ValidationFailed) as refused:
        plans.submit(version)
    assert {e.field for e in refused.value.errors} >= {
        "goals.0.professional.0.financing", "goals.0.professional.0.eigen_bijdrage"}
    assert counts(workspace) == before  # nothing stored
    version = plans.save_concept(version, content)
    submitted = plans.submit(version)
    assert submitted.status is PlanStatus.TER_BEOORDELING
    stored = plans.version(version.id).content
    financing = [s.financing for g in stored.goals for s in g.professioneel]
    assert financing == [Financing.VOUCHER, Financing.PGB]
    assert plans.toets_needed(submitted)  # the PGB
    text = pdftotext(plans.render_pdf(submitted,
                                      SettingsService(workspace).report_settings()), tmp_path)
    assert "Financiering: Voucher (ondersteuningsbudget)" in text
    assert "Financiering: Persoonsgebonden budget (pgb)" in text
    assert "een persoonsgebonden budget vraagt altijd een toets" in text
    assert "leveringsvorm 2" in text and "leveringsvorm 1" in text


# --- keukentafel report ----------------------------------------------------------------------


def test_the_report_is_stored_as_versions_that_survive_a_restart(
        workspace: Workspace, family: tuple[str, Case], paths: ProfilePaths,
        tmp_path: Path) -> None:
    household_id, case = family
    service = KitchenTableService(workspace)
    before = counts(workspace)
    first = service.record(household_id, case.id, draft(workspace, household_id))
    assert counts(workspace) == (before[0] + 1, before[1] + 1)
    second = service.record(household_id, case.id,
                            draft(workspace, household_id, "Bij de schulden en de post."))
    assert (first.number, second.number, second.based_on_id) == (1, 2, first.id)
    workspace.close()
    reopened = unlock(paths, PASSPHRASE)
    try:
        stored = KitchenTableService(reopened).reports(household_id)
        assert [r.content.help for r in stored] == ["Bij de schulden.",
                                                    "Bij de schulden en de post."]
        assert stored[1].issued_how is IssueMethod.PER_POST
        pdf = KitchenTableService(reopened).render_pdf(
            stored[1], SettingsService(reopened).report_settings())
        text = pdftotext(pdf, tmp_path)
        assert "Verslag van het keukentafelgesprek" in text
        assert "Waarbij heeft u hulp nodig?" in text and "Bij de schulden en de post." in text
        assert "Versie 2 (vervangt versie 1)" in text
    finally:
        reopened.close()


def test_a_report_without_the_help_question_or_by_a_toetser_changes_nothing(
        workspace: Workspace, family: tuple[str, Case]) -> None:
    household_id, case = family
    service = KitchenTableService(workspace)
    before = counts(workspace)
    with pytest.raises(ValidationFailed) as refused:
        service.record(household_id, case.id, draft(workspace, household_id, help_text=" "))
    assert [e.field for e in refused.value.errors] == ["content.help"]
    toetser = add_worker(workspace, Role.TOETSER, "Toetser Smit")
    after_worker = counts(workspace)
    acting_as(workspace, toetser)
    with pytest.raises(NotAllowed):
        service.record(household_id, case.id, draft(workspace, household_id))
    assert counts(workspace) == after_worker and after_worker[0] == before[0] + 1


# --- case conferences ------------------------------------------------------------------------


def conference_for(ws: Workspace, household_id: str, case: Case) -> CaseConference:
    detail = HouseholdService(ws).get(household_id)
    sandra = Party(PartyKind.INWONER, detail.members[0].full_name, detail.members[0].id)
    ria = Party(PartyKind.NETWERK, detail.network[0].name, detail.network[0].id)
    arts = Party(PartyKind.PROFESSIONAL, "Dr. Peters", detail.professionals[0].id)
    me = Party(PartyKind.MEDEWERKER, ws.worker.display_name, ws.worker.id)
    held = ws.today() - timedelta(days=2)
    return CaseConference(
        new_id(), household_id, held, ConferenceKind.ZORGOVERLEG, ws.actor_id, case.id,
        participants=(sandra, ria, arts, me), reason="Hulp sluit niet aan.",
        agreements=(ConferenceAgreement(new_id(), "Post openen.", sandra, held + timedelta(7)),
                    ConferenceAgreement(new_id(), "Helpt met de post.", ria),
                    ConferenceAgreement(new_id(), "Verwijst door.", arts, held + timedelta(9))),
        casemanager=arts)


def test_agreements_of_a_conference_become_plan_actions_in_one_save(
        workspace: Workspace, family: tuple[str, Case], tmp_path: Path) -> None:
    household_id, case = family
    conferences = ConferenceService(workspace)
    saved = conferences.save(conference_for(workspace, household_id, case))
    assert saved.version == 1 and saved.casemanager is not None
    plans = PlanService(workspace)
    version = plans.start(household_id, demo_plan_content(workspace, household_id))
    goal = version.content.goals[0]
    before = counts(workspace)
    updated, marked = conferences.take_into_plan(
        saved, [a.id for a in saved.agreements], goal.id)
    assert counts(workspace) == (before[0] + 1, before[1] + 1)  # plan and conference at once
    with workspace.casefile.read() as session:
        last = session.scalars(select(OutboxRecord).order_by(OutboxRecord.seq.desc())).first()
        assert last is not None
        assert {c["entity"] for c in last.changes} == {"plan_version", "case_conference"}
    new_goal = updated.content.goal(goal.id)
    assert new_goal.zelf.endswith("Post openen. (uiterlijk "
                                  f"{saved.agreements[0].due:%d-%m-%Y})")  # type: ignore[str-format]
    assert any("Helpt met de post." in n.task for n in new_goal.netwerk)
    assert [(a.who, a.what) for a in new_goal.afspraken] == [("Dr. Peters", "Verwijst door.")]
    assert all(a.plan_goal_id == goal.id for a in marked.agreements)
    with pytest.raises(RuleViolation) as caught:  # nothing left to take
        conferences.take_into_plan(marked, [a.id for a in marked.agreements], goal.id)
    assert caught.value.reason == "nothing_to_take"
    plans.submit(updated)
    fresh = conferences.save(conference_for(workspace, household_id, case))
    with pytest.raises(RuleViolation) as caught:
        conferences.take_into_plan(fresh, [fresh.agreements[0].id], goal.id)
    assert caught.value.reason == "plan_not_concept"
    text = pdftotext(conferences.render_pdf(marked, SettingsService(workspace)
                                            .report_settings()), tmp_path)
    assert "Verslag zorgoverleg" in text and "Casemanager Dr. Peters (huisarts" in text
    assert "open, in het plan" in text


def test_an_edit_made_on_an_old_copy_is_refused(
        workspace: Workspace, family: tuple[str, Case]) -> None:
    household_id, case = family
    conferences = ConferenceService(workspace)
    saved = conferences.save(conference_for(workspace, household_id, case))
    conferences.save(dataclasses.replace(saved, discussion="Eerste wijziging."))
    with pytest.raises(StaleVersion):
        conferences.save(dataclasses.replace(saved, discussion="Op een oude kopie."))
    assert conferences.conference(saved.id).discussion == "Eerste wijziging."
    ekc = dataclasses.replace(conference_for(workspace, household_id, case), id=new_id(),
                              kind=ConferenceKind.EIGEN_KRACHT_CONFERENTIE,
                              participants=(Party(PartyKind.ANDERS, "Buurman"),),
                              agreements=(), casemanager=None)
    with pytest.raises(ValidationFailed) as refused:
        conferences.save(ekc)
    assert refused.value.errors[0].code is ErrorCode.RESIDENT_REQUIRED


# --- the stuck case --------------------------------------------------------------------------


def test_a_stuck_case_is_flagged_decided_by_someone_else_and_its_history_stays(
        workspace: Workspace, family: tuple[str, Case]) -> None:
    household_id, case = family
    stuck = StuckService(workspace)
    coach = add_worker(workspace, Role.TEAMCOACH, "Coach Jansen")
    brandpunt = add_worker(workspace, Role.BRANDPUNTFUNCTIONARIS, "Brandpunt Bakker")
    with pytest.raises(ValidationFailed):
        stuck.flag(case, "  ")
    flag = stuck.flag(case, "Woningcorporatie en schuldhulp wachten op elkaar.")
    with pytest.raises(StuckRuleViolation, match="already flagged"):
        stuck.flag(case, "Nog een keer.")
    with pytest.raises(StuckRuleViolation) as caught:  # the flagger is a wijkwerker
        stuck.decide(flag, "Zelf besloten.")
    assert caught.value.reason == "decide_role"
    me = acting_as(workspace, coach)
    flagged = stuck.flagged_cases()
    assert [(f.household_name, f.flagged_by_name) for f in flagged] == [
        ("Huishouden Proefmans", me.display_name)]
    first = stuck.decide(flag, "De corporatie schort de ontruiming op.")
    assert stuck.flagged_cases() == []
    acting_as(workspace, me)
    again = stuck.flag(case, "De schuldhulp stopt het traject.")
    acting_as(workspace, brandpunt)
    stuck.decide(again, "Doorzettingsmacht: traject loopt door.", doorzettingsmacht=True)
    with pytest.raises(StuckRuleViolation) as caught:
        stuck.decide(again, "Nog een besluit.")
    assert caught.value.reason == "flag_closed"
    state = stuck.state(household_id)
    assert [e.kind.value for e in state.events] == ["gemeld", "besloten", "gemeld", "besloten"]
    assert state.events[1].text == first.decision and state.events[3].doorzettingsmacht
    assert state.open == ()


# --- client experience -----------------------------------------------------------------------


def test_answers_are_stored_per_case_and_only_counted_anonymously(
        workspace: Workspace, family: tuple[str, Case]) -> None:
    household_id, case = family
    service = ClientExperienceService(workspace)
    with pytest.raises(ValidationFailed):
        service.record(case.id, Moment.AFSLUITING, {})
    for n in range(4):
        service.record(case.id, Moment.EVALUATIE, {q.code: 4 for q in QUESTIONS},
                       f"Opmerking {n}")
    assert len(service.for_household(household_id)) == 4
    assert service.summary().suppressed  # four answers: nothing shown
    service.record(case.id, Moment.AFSLUITING, {"gehoord": 2}, "Opmerking 4")
    summary = service.summary()
    assert not summary.suppressed and summary.responses == 5
    assert summary.questions[0].average == 3.6
    assert "Opmerking" not in repr(summary) and household_id not in repr(summary)


# --- deadlines -------------------------------------------------------------------------------


def test_the_todo_list_follows_the_case_file(
        workspace: Workspace, family: tuple[str, Case]) -> None:
    household_id, case = family
    deadlines = DeadlineService(workspace)
    todo = deadlines.todo()
    assert {(t.household_name, t.deadline.kind) for t in todo} == {
        ("Huishouden Proefmans", DeadlineKind.VERSLAG),
        ("Huishouden Proefmans", DeadlineKind.BESLUIT)}
    assert deadlines.overdue([household_id])[household_id][0].kind is DeadlineKind.VERSLAG
    KitchenTableService(workspace).record(household_id, case.id, draft(workspace, household_id))
    assert {t.deadline.kind for t in deadlines.todo()} == {DeadlineKind.BESLUIT}
    flag = StuckService(workspace).flag(case, "Vastgelopen.")
    assert DeadlineKind.VASTGELOPEN not in {t.deadline.kind for t in deadlines.todo()}
    coach = add_worker(workspace, Role.TEAMCOACH, "Coach Jansen")
    acting_as(workspace, coach)  # the household is not in the coach's own caseload
    assert [t.deadline.detail for t in deadlines.todo()] == [flag.reason]


def test_working_out_the_todo_list_stops_when_the_caller_stops_asking(
        workspace: Workspace, family: tuple[str, Case]) -> None:
    deadlines = DeadlineService(workspace)
    with pytest.raises(Cancelled):  # (closing or locking while a big caseload is worked out)
        deadlines.todo(cancelled=lambda: True)
    assert deadlines.todo(cancelled=lambda: False)  # the same call, not stopped, answers
