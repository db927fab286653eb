"""The ondersteuningsplan through its service: workflow, immutability, coach review offline,
toets, signing bound to the exact PDF, and the printed plan itself."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.plans import (
    IllegalTransition,
    ImmutableVersion,
    PlanSection,
    PlanStatus,
    ReviewOutcome,
    SectionComment,
    Signer,
    ToetsDecision,
    short_fingerprint,
)
from wijkteam_app.domain.workers import Role, Worker
from wijkteam_app.persistence import repositories as repo
from wijkteam_app.persistence.schema import OutboxRecord, PlanReviewRecord
from wijkteam_app.services.demo import demo_plan_content, fill_demo
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.plans import NotAllowed, PlanService, sociale_kaart
from wijkteam_app.services.profile import Workspace
from wijkteam_app.services.settings import SettingsService


def add_worker(ws: Workspace, role: Role, name: str) -> Worker:
    worker = Worker(new_id(), name.lower().replace(" ", "."), name, role, ws.team.id)
    with ws.casefile.save(ws.actor_id, "test.medewerker", "medewerker", worker.id) as ctx:
        repo.save_worker(ctx.session, worker)
    return worker


@pytest.fixture
def household_id(workspace: Workspace) -> str:
    fill_demo(workspace, households=2)
    # Household 1 of the demo is a family with children and a network.
    return next(h.id for h in HouseholdService(workspace).list() if h.members > 1)


def start_plan(ws: Workspace, household_id: str):  # type: ignore[no-untyped-def]
    plans = PlanService(ws)
    existing = plans.current(household_id)
    if existing is not None:
        return plans, existing
    return plans, plans.start(household_id, demo_plan_content(ws, household_id))


def test_a_submitted_version_cannot_be_edited(workspace: Workspace, household_id: str) -> None:
    plans, version = start_plan(workspace, household_id)
    if version.status is not PlanStatus.CONCEPT:
        version = plans.new_version(version)
    edited = dataclasses.replace(version.content, question="Andere vraag")
    version = plans.save_concept(version, edited)
    assert plans.version(version.id).content.question == "Andere vraag"
    submitted = plans.submit(version)
    assert submitted.status is PlanStatus.TER_BEOORDELING
    with pytest.raises(ImmutableVersion):
        plans.save_concept(submitted, dataclasses.replace(edited, question="Stiekem"))
    assert plans.version(version.id).content.question == "Andere vraag"


def test_workflow_refuses_illegal_transitions(workspace: Workspace, household_id: str) -> None:
    plans, version = start_plan(workspace, household_id)
    if version.status is not PlanStatus.CONCEPT:
        version = plans.new_version(version)
    with pytest.raises(IllegalTransition):
        plans.start_execution(version)
    with pytest.raises(IllegalTransition):
        plans.to_signing(version)


def test_coach_decision_is_stored_offline_with_the_version_it_was_made_on(
    workspace: Workspace, household_id: str
) -> None:
    plans, version = start_plan(workspace, household_id)
    if version.status is not PlanStatus.CONCEPT:
        version = plans.new_version(version)
    submitted = plans.submit(version)
    with pytest.raises(NotAllowed):  # a wijkwerker does not review
        plans.review(submitted, ReviewOutcome.GOEDKEUREN)
    coach = add_worker(workspace, Role.TEAMCOACH, "Coach Test")
    me, workspace.worker = workspace.worker, coach
    try:
        returned = plans.review(submitted, ReviewOutcome.TERUGSTUREN, [
            SectionComment(PlanSection.DOELEN, "Maak doel 2 concreter.")])
    finally:
        workspace.worker = me
    assert returned.status is PlanStatus.TERUGGESTUURD
    with workspace.casefile.read() as s:
        stored = s.scalars(select(PlanReviewRecord)).all()
        review = [r for r in stored if r.version_id == submitted.id]
        assert len(review) == 1 and review[0].reviewer_id == coach.id
        assert review[0].outcome == "terugsturen"
        outbox = s.scalars(select(OutboxRecord).order_by(OutboxRecord.seq.desc())).first()
        assert outbox is not None and outbox.action == "plan.terugsturen"
        entities = {c["entity"] for c in outbox.changes}
        assert entities == {"plan_version", "plan_review"}  # travels with the next sync
    newer = plans.new_version(returned)
    assert newer.number == returned.number + 1 and newer.based_on_id == returned.id
    assert plans.version(returned.id).status is PlanStatus.TERUGGESTUURD


def test_toets_cannot_be_given_by_the_regisseur_and_signature_binds_the_pdf(
    workspace: Workspace, household_id: str, tmp_path: Path
) -> None:
    plans, version = start_plan(workspace, household_id)
    if version.status is not PlanStatus.CONCEPT:
        version = plans.new_version(version)
    version = plans.submit(version)
    coach = add_worker(workspace, Role.TEAMCOACH, "Coach Test")
    toetser = add_worker(workspace, Role.TOETSER, "Toetser Test")
    me = workspace.worker
    workspace.worker = coach
    version = plans.review(version, ReviewOutcome.GOEDKEUREN)
    workspace.worker = me
    assert plans.toets_needed(version)  # dagbesteding is outside the mandate
    with pytest.raises(IllegalTransition):
        plans.to_signing(version)
    with pytest.raises(NotAllowed):  # the regisseur is no toetser (and four eyes)
        plans.record_toets(version, ToetsDecision.POSITIEF)
    workspace.worker = toetser
    version = plans.record_toets(version, ToetsDecision.POSITIEF, "Past binnen beleid.")
    workspace.worker = me
    assert version.toets is not None and version.toets.toetser_id == toetser.id
    version = plans.to_signing(version)

    settings = SettingsService(workspace).report_settings()
    pdf = plans.render_pdf(version, settings)
    scan = b"%PDF-1.4 scanned copy (test)"
    signed = plans.record_signature(
        version, pdf, [Signer("Inwoner", "inwoner", person_id=version.content.participants
                              .person_ids[0])], date(2026, 11, 23), "Voorbeeldstad",
        scan, "scan.pdf", "application/pdf")
    assert signed.status is PlanStatus.ONDERTEKEND
    assert plans.signature_is_valid(signed, pdf)
    assert not plans.signature_is_valid(signed, pdf + b" ")
    assert plans.signed_pdf(signed) == pdf
    assert plans.file(signed.signature.scan_reference).data == scan  # type: ignore[union-attr]
    # Any later change needs a new version, which the old signature does not cover.
    newer = plans.new_version(signed)
    changed = plans.save_concept(newer, dataclasses.replace(newer.content, question="Nieuw"))
    assert changed.signature is None
    assert signed.signature is not None
    from wijkteam_app.domain.plans import signature_valid

    assert not signature_valid(signed.signature, changed, pdf)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")
def test_printed_plan_contains_every_goal_agreement_and_the_fingerprint(
    workspace: Workspace, household_id: str, tmp_path: Path
) -> None:
    plans, version = start_plan(workspace, household_id)
    pdf = plans.render_pdf(version, SettingsService(workspace).report_settings())
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = " ".join(text.split())
    kaart = {p.id: p.name for p in sociale_kaart()}
    for goal in version.content.goals:
        assert " ".join(goal.description.split())[:40] in flat
        assert goal.zelf[:30] in flat
        for n in goal.netwerk:
            assert n.task[:30] in flat
        for p in goal.voorzieningen:
            assert kaart[p.provision_id][:20] in flat
        for s in goal.professioneel:
            assert s.product_name[:20] in flat
    assert short_fingerprint(plans.document(version).fingerprint) in flat
    detail = HouseholdService(workspace).get(household_id)
    for member in detail.members:
        if member.bsn:
            assert member.bsn not in flat  # no BSN unless the setting asks for it
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True,
                           check=False)
    assert check.returncode == 0, check.stdout
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert fonts and all(" yes " in line for line in fonts)


def test_evaluation_per_goal_with_a_fresh_zrm_closes_the_cycle(
    workspace: Workspace, household_id: str
) -> None:
    from wijkteam_app.domain.plans import GoalEvaluation, GoalResult
    from wijkteam_app.services.assessments import AssessmentService

    plans, version = start_plan(workspace, household_id)
    if version.status is not PlanStatus.CONCEPT:
        version = plans.new_version(version)
    version = plans.submit(version)
    coach = add_worker(workspace, Role.TEAMCOACH, "Coach Test")
    toetser = add_worker(workspace, Role.TOETSER, "Toetser Test")
    me = workspace.worker
    workspace.worker = coach
    version = plans.review(version, ReviewOutcome.GOEDKEUREN)
    workspace.worker = toetser
    version = plans.record_toets(version, ToetsDecision.POSITIEF)
    workspace.worker = me
    version = plans.to_signing(version)
    pdf = plans.render_pdf(version, SettingsService(workspace).report_settings())
    version = plans.record_signature(version, pdf, [], date(2026, 11, 23), "Voorbeeldstad",
                                     b"scan", "scan.png", "image/png")
    version = plans.start_execution(version)
    fresh = AssessmentService(workspace).history(
        person_id=version.content.participants.person_ids[0])[-1]
    results = [GoalResult.BEHAALD, GoalResult.DEELS, GoalResult.NIET_BEHAALD]
    evaluations = [
        GoalEvaluation(goal.id, results[n % 3], "Besproken met het gezin.", fresh.id,
                       date(2026, 11, 23), workspace.actor_id)
        for n, goal in enumerate(version.content.goals)
    ]
    from wijkteam_app.domain.validation import ValidationFailed

    with pytest.raises(ValidationFailed):  # one evaluation per goal is required
        plans.evaluate(version, evaluations[:1])
    evaluated = plans.evaluate(version, evaluations)
    assert evaluated.status is PlanStatus.GEEVALUEERD
    assert {e.goal_id: e.result for e in evaluated.evaluations} == {
        e.goal_id: e.result for e in evaluations}
    assert plans.close(evaluated).status is PlanStatus.AFGESLOTEN
    history = [c.to_status for c in plans.version(version.id).history]
    assert history[-3:] == [PlanStatus.IN_UITVOERING, PlanStatus.GEEVALUEERD,
                            PlanStatus.AFGESLOTEN]
