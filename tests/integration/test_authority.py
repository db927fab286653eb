"""The app's services mirror the server's authorization matrix (`sync.authority`): a worker
whose role or relation to the household does not allow a step is refused with a Dutch
message, and nothing is stored."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import func, select

from wijkteam_app.domain.cases import Consent
from wijkteam_app.domain.consent import STANDARD_PURPOSE, Use
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.people import NetworkMember
from wijkteam_app.domain.plans import (
    PlanStatus,
    PlanVersion,
    ReviewOutcome,
    ToetsDecision,
)
from wijkteam_app.domain.workers import Role, Team, Worker
from wijkteam_app.messages import ERROR_MESSAGES, error_message
from wijkteam_app.persistence import repositories as repo
from wijkteam_app.persistence.schema import AuditRecord, OutboxRecord
from wijkteam_app.services.authority import Action, NotAllowed, not_allowed_code
from wijkteam_app.services.consent import SHARE_ACTION, ConsentService
from wijkteam_app.services.demo import demo_plan_content, fill_demo
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.intake import IntakeService
from wijkteam_app.services.plans import PlanService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.services.settings import SettingsService
from wijkteam_app.sync.authority import Refusal, Warning_


def add_worker(ws: Workspace, role: Role, name: str, team_id: str | None = None) -> Worker:
    worker = Worker(new_id(), name.lower().replace(" ", "."), name, role,
                    team_id or ws.team.id)
    with ws.casefile.save(ws.actor_id, "test.medewerker", "medewerker", worker.id) as ctx:
        if team_id and team_id != ws.team.id:
            repo.save_team(ctx.session, Team(team_id, "Ander team"))
            ctx.session.flush()
        repo.save_worker(ctx.session, worker)
    return worker


@contextmanager
def acting(ws: Workspace, worker: Worker) -> Iterator[None]:
    me, ws.worker = ws.worker, worker
    try:
        yield
    finally:
        ws.worker = me


def outbox_size(ws: Workspace) -> int:
    with ws.casefile.read() as session:
        return int(session.scalar(select(func.count()).select_from(OutboxRecord)) or 0)


@pytest.fixture
def household_id(workspace: Workspace) -> str:
    fill_demo(workspace, households=2)
    return next(h.id for h in HouseholdService(workspace).list() if h.members > 1)


def plan_under_review(ws: Workspace, household_id: str) -> PlanVersion:
    plans = PlanService(ws)
    version = plans.current(household_id)
    if version is None:
        version = plans.start(household_id, demo_plan_content(ws, household_id))
    elif version.status is not PlanStatus.CONCEPT:
        version = plans.new_version(version)
    return plans.submit(version)


# --- observed: anyone but the regisseur could record the toets ------------------------------


def test_only_a_toetser_of_the_team_records_the_toets(workspace: Workspace,
                                                      household_id: str) -> None:
    version = plan_under_review(workspace, household_id)
    plans = PlanService(workspace)
    coach = add_worker(workspace, Role.TEAMCOACH, "Coach Test")
    colleague = add_worker(workspace, Role.WIJKWERKER, "Collega Test")
    toetser_elsewhere = add_worker(workspace, Role.TOETSER, "Toetser Elders", new_id())
    toetser = add_worker(workspace, Role.TOETSER, "Toetser Test")
    before = outbox_size(workspace)
    for worker in (coach, colleague, toetser_elsewhere):
        with acting(workspace, worker), pytest.raises(NotAllowed) as refused:
            plans.record_toets(version, ToetsDecision.POSITIEF, "Akkoord.")
        assert refused.value.reason == not_allowed_code(Action.PLAN_TOETS)
        assert "toetser" in error_message(refused.value.code)
    with pytest.raises(NotAllowed):  # the regisseur neither (no toetser; four eyes)
        plans.record_toets(version, ToetsDecision.POSITIEF)
    assert outbox_size(workspace) == before  # nothing was stored
    assert plans.version(version.id).toets is None
    with acting(workspace, toetser):
        assert Action.PLAN_TOETS in plans.allowed_actions(household_id)
        done = plans.record_toets(version, ToetsDecision.POSITIEF, "Akkoord.")
    assert done.toets is not None and done.toets.toetser_id == toetser.id


def test_only_a_teamcoach_of_the_case_team_reviews_never_their_own_plan(
        workspace: Workspace, household_id: str) -> None:
    version = plan_under_review(workspace, household_id)
    plans = PlanService(workspace)
    other_coach = add_worker(workspace, Role.TEAMCOACH, "Coach Elders", new_id())
    toetser = add_worker(workspace, Role.TOETSER, "Toetser Test")
    for worker in (other_coach, toetser):
        with acting(workspace, worker), pytest.raises(NotAllowed) as refused:
            plans.review(version, ReviewOutcome.GOEDKEUREN)
        assert refused.value.reason == not_allowed_code(Action.PLAN_REVIEW)
    # A teamcoach who is the plan's regisseur does not review it either.
    coach = add_worker(workspace, Role.TEAMCOACH, "Coach Regisseur")
    mine = dataclasses.replace(version, content=dataclasses.replace(
        version.content, regisseur_id=coach.id))
    with acting(workspace, coach):
        assert plans.why_not(mine, Action.PLAN_REVIEW) == "review_own_plan"
        with pytest.raises(NotAllowed):
            plans.review(mine, ReviewOutcome.GOEDKEUREN)
        assert plans.why_not(version, Action.PLAN_REVIEW) is None
        approved = plans.review(version, ReviewOutcome.GOEDKEUREN)
    assert approved.status is PlanStatus.GOEDGEKEURD


def test_plan_steps_are_for_the_regisseur_and_the_case_team(workspace: Workspace,
                                                            household_id: str) -> None:
    plans = PlanService(workspace)
    households = HouseholdService(workspace)
    version = plans.current(household_id)
    if version is None:
        version = plans.start(household_id, demo_plan_content(workspace, household_id))
    if version.status is not PlanStatus.CONCEPT:
        version = plans.new_version(version)
    outsider = add_worker(workspace, Role.WIJKWERKER, "Buiten Casusteam")
    member = add_worker(workspace, Role.GEZINSBEGELEIDER, "In Casusteam")
    coach = add_worker(workspace, Role.TEAMCOACH, "Coach Test")
    with acting(workspace, outsider):
        assert plans.allowed_actions(household_id) == frozenset()
        with pytest.raises(NotAllowed):
            plans.save_concept(version, dataclasses.replace(version.content, question="X"))
        with pytest.raises(NotAllowed):
            plans.submit(version)
        with pytest.raises(NotAllowed):
            plans.move_regie(household_id, True, member.id, "Complex")
    with acting(workspace, coach):  # the coach reviews and moves the regie, but writes no plan
        allowed = plans.allowed_actions(household_id)
        assert Action.PLAN_REVIEW in allowed and Action.MOVE_REGIE in allowed
        assert Action.PLAN_WRITE not in allowed and Action.PLAN_TOETS not in allowed
        with pytest.raises(NotAllowed):
            plans.submit(version)
    overview = households.cases(household_id)[0]
    households.save_case(dataclasses.replace(overview.case, case_team_ids=(member.id,)))
    with acting(workspace, member):
        edited = plans.save_concept(version, dataclasses.replace(version.content,
                                                                 question="Van het casusteam"))
    assert edited.content.question == "Van het casusteam"


def test_household_edits_follow_the_matrix(workspace: Workspace, household_id: str) -> None:
    households = HouseholdService(workspace)
    detail = households.get(household_id)
    toetser = add_worker(workspace, Role.TOETSER, "Toetser Test")
    outsider = add_worker(workspace, Role.WIJKWERKER, "Buiten Casusteam")
    coach = add_worker(workspace, Role.TEAMCOACH, "Coach Test")
    before = outbox_size(workspace)
    member = NetworkMember(new_id(), household_id, "Tante Test", "Tante", "Boodschappen")
    person = detail.members[0]
    for worker in (toetser, outsider):
        with acting(workspace, worker):
            assert not households.may_edit(household_id)
            for attempt in (
                lambda: households.update(dataclasses.replace(detail.household, name="X")),
                lambda: households.save_person(dataclasses.replace(person, first_name="X")),
                lambda: households.save_network_member(member),
                lambda: households.save_consent(Consent(
                    new_id(), household_id, person.id, "School", "Overleg",
                    date(2026, 1, 5), workspace.actor_id)),
            ):
                with pytest.raises(NotAllowed) as refused:
                    attempt()
                assert refused.value.reason == not_allowed_code(Action.EDIT_CASE_DATA)
    assert outbox_size(workspace) == before
    with acting(workspace, toetser):
        assert not households.may_register()
        assert not IntakeService(workspace).may_register()
    with acting(workspace, coach):  # the coach of the team may edit
        assert households.may_edit(household_id)
        households.save_network_member(member)
    # Handing the case to someone else: the regisseur or the coach, not a case-team member.
    case = households.cases(household_id)[0].case
    households.save_case(dataclasses.replace(case, case_team_ids=(outsider.id,)))
    with acting(workspace, outsider), pytest.raises(NotAllowed) as refused:
        households.save_case(dataclasses.replace(households.cases(household_id)[0].case,
                                                 regisseur_id=outsider.id))
    assert refused.value.reason == not_allowed_code(Action.CHANGE_REGISSEUR)


def test_only_who_works_the_case_shares_its_plan_or_contacts(workspace: Workspace,
                                                              household_id: str) -> None:
    """Passing the plan or the professionals' details on is the case team's step: a toetser
    or a colleague outside the case team is refused even with every consent in place, and
    nothing is shared or logged."""
    households = HouseholdService(workspace)
    detail = households.get(household_id)
    for person in detail.members:
        for use in (Use.CONTACT, Use.PLAN):
            households.save_consent(Consent(new_id(), household_id, person.id,
                                            "Huisarts Proef", STANDARD_PURPOSE[use],
                                            date(2026, 1, 5), workspace.actor_id))
    plans = PlanService(workspace)
    version = plans.current(household_id) or plans.start(
        household_id, demo_plan_content(workspace, household_id))
    sharing = ConsentService(workspace)
    settings = SettingsService(workspace).report_settings()

    def shares() -> int:
        with workspace.casefile.read() as session:
            return int(session.scalar(select(func.count()).select_from(AuditRecord).where(
                AuditRecord.action == SHARE_ACTION)) or 0)

    before = shares()
    for worker in (add_worker(workspace, Role.TOETSER, "Toetser Test"),
                   add_worker(workspace, Role.WIJKWERKER, "Buiten Casusteam")):
        with acting(workspace, worker):
            for attempt in (lambda: sharing.share_contacts(household_id, "Huisarts Proef"),
                            lambda: sharing.share_plan(version, "Huisarts Proef", settings)):
                with pytest.raises(NotAllowed) as refused:
                    attempt()
                assert refused.value.reason == not_allowed_code(Action.EDIT_CASE_DATA)
    assert shares() == before
    # The regisseur shares, and it is logged.
    sharing.share_contacts(household_id, "Huisarts Proef")
    assert shares() == before + 1


def test_a_local_only_profile_works_for_its_single_worker(workspace: Workspace) -> None:
    """Never logged in: the local wijkwerker registers, edits and writes plans."""
    fill_demo(workspace, households=3)  # intake-like registration, cases, contacts, plans
    households = HouseholdService(workspace)
    assert households.may_register()
    for summary in households.list():
        assert households.may_edit(summary.id)
        allowed = PlanService(workspace).allowed_actions(summary.id)
        assert Action.PLAN_WRITE in allowed and Action.PLAN_TOETS not in allowed


def test_every_code_has_a_dutch_text() -> None:
    from wijkteam_app.messages import (
        REFUSAL_MESSAGES,
        UNKNOWN_REFUSAL,
        WARNING_MESSAGES,
        refusal_message,
        warning_message,
    )

    for refusal in Refusal:
        assert REFUSAL_MESSAGES[refusal].strip()
        assert refusal_message(refusal.value) != UNKNOWN_REFUSAL
    for warning in Warning_:
        assert WARNING_MESSAGES[warning].strip()
        assert warning_message(warning.value) == WARNING_MESSAGES[warning]
    for action in Action:
        assert not_allowed_code(action) in ERROR_MESSAGES
    assert refusal_message(None) == UNKNOWN_REFUSAL
    assert "collega" in refusal_message("plan_exists")
