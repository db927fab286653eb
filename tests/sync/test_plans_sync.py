"""The ondersteuningsplan travels with the sync (real laptops, real server; SQLite and
PostgreSQL): the coach's offline decision reaches the worker, a submitted version's content
never merges (both sides are kept), the toetser sees the plan while it is under review or
approved, and a signature shows on every laptop of the team."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from tests.server.conftest import Server
from tests.sync.conftest import Laptop
from wijkteam_app.domain.plans import (
    PlanSection,
    PlanStatus,
    PlanVersion,
    ReviewOutcome,
    SectionComment,
    Signer,
    ToetsDecision,
)
from wijkteam_app.services.demo import demo_plan_content
from wijkteam_app.services.plans import PlanService
from wijkteam_app.services.settings import SettingsService
from wijkteam_app.sync.transport import Refused
from wijkteam_server.models import EntityRow


def plans(laptop: Laptop) -> PlanService:
    return PlanService(laptop.workspace)


def current(laptop: Laptop, household_id: str) -> PlanVersion:
    version = plans(laptop).current(household_id)
    assert version is not None
    return version


def server_row(server: Server, entity: str, entity_id: str) -> EntityRow:
    from sqlalchemy.orm import Session

    with Session(server.engine) as session:
        row = session.get(EntityRow, (entity, entity_id))
        assert row is not None
        session.expunge(row)
        return row


def test_a_plan_travels_review_conflict_toets_and_signature(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    team = server.team()
    bert_account = server.account(team)
    worker = make_laptop(server.account(team))
    bert = make_laptop(bert_account)  # a colleague in the case team: a second device
    coach = make_laptop(server.account(team, "teamcoach"))
    toetser = make_laptop(server.account(team, "toetser"))
    hh, _case = worker.new_household("Huishouden Plan", case_team=(bert_account.id,))
    worker.sync_ok()

    # The worker writes and submits the plan offline; it goes with the next sync.
    worker.net.offline = True
    service = plans(worker)
    first = service.submit(service.start(hh, demo_plan_content(worker.workspace, hh)))
    assert worker.sync.sync_once().offline
    worker.net.offline = False
    assert worker.sync_ok().rejected == 0
    assert server_row(server, "plan_version", first.id).data["status"] == "ter_beoordeling"
    toetser.sync_ok()
    assert toetser.has_household(hh)  # a plan of the team under review: for the toets

    # The coach pulls it and returns it with a comment, offline.
    coach.sync_ok()
    waiting = plans(coach).waiting_for_review()
    assert [v.id for v in waiting] == [first.id]
    coach.net.offline = True
    returned = plans(coach).review(waiting[0], ReviewOutcome.TERUGSTUREN, [
        SectionComment(PlanSection.DOELEN, "Maak doel 2 concreter.")])
    assert returned.status is PlanStatus.TERUGGESTUURD
    assert coach.sync.sync_once().offline
    coach.net.offline = False
    assert coach.sync_ok().rejected == 0

    toetser.sync_ok()
    assert not toetser.has_household(hh)  # returned: nothing to toets

    # The worker sees the returned status and the review, made on that version.
    worker.sync_ok()
    seen = plans(worker).version(first.id)
    assert seen.status is PlanStatus.TERUGGESTUURD
    [review] = seen.reviews
    assert review.version_id == first.id and review.outcome is ReviewOutcome.TERUGSTUREN
    assert review.reviewer_id == coach.user_id
    assert [c.text for c in review.comments] == ["Maak doel 2 concreter."]
    assert seen.content == first.content  # a returned version keeps its content

    # Version 2 as a concept reaches the colleague; then the worker submits it while the
    # colleague, offline, still edits the concept: the content of a submitted version never
    # merges, both are kept.
    second = plans(worker).new_version(seen)
    worker.sync_ok()
    bert.sync_ok()
    theirs = current(bert, hh)
    assert theirs.id == second.id and theirs.status is PlanStatus.CONCEPT
    bert.net.offline = True
    plans(bert).save_concept(theirs, dataclasses.replace(theirs.content,
                                                         question="Vraag van Bert"))
    submitted = plans(worker).submit(second)
    worker.sync_ok()
    bert.net.offline = False
    report = bert.sync_ok()
    assert report.conflicts >= 1 and report.rejected == 0
    stored = server_row(server, "plan_version", second.id)
    assert stored.data["status"] == "ter_beoordeling"
    assert stored.data["content"]["question"] == submitted.content.question
    conflicts = {c.field: c for c in bert.sync.conflicts()}
    assert set(conflicts) >= {"content"}
    assert conflicts["content"].mine.value["question"] == "Vraag van Bert"  # type: ignore[index]
    assert conflicts["content"].theirs.value["question"] == submitted.content.question  # type: ignore[index]
    on_bert = current(bert, hh)
    assert on_bert.status is PlanStatus.TER_BEOORDELING
    assert on_bert.content == submitted.content  # the laptop shows the server's version
    # Keeping "mine" would rewrite a submitted version: refused; "theirs" closes it.
    with pytest.raises(Refused) as refused:
        bert.sync.resolve(conflicts["content"].id, choice="mine")
    assert refused.value.status == 409 and str(refused.value) == "immutable"
    assert server_row(server, "plan_version", second.id).data["content"]["question"] == \
        submitted.content.question

    # The coach approves; the toetser of the team now sees the household and gives the toets.
    coach.sync_ok()
    approved = plans(coach).review(current(coach, hh), ReviewOutcome.GOEDKEUREN)
    assert approved.status is PlanStatus.GOEDGEKEURD
    coach.sync_ok()
    toetser.sync_ok()
    assert toetser.has_household(hh)
    plans(toetser).record_toets(current(toetser, hh), ToetsDecision.POSITIEF, "Akkoord.")
    assert toetser.sync_ok().rejected == 0

    # The worker signs; the signature and the attachment metadata reach the coach.
    worker.sync_ok()
    version = current(worker, hh)
    assert version.status is PlanStatus.GOEDGEKEURD and version.toets is not None
    version = plans(worker).to_signing(version)
    pdf = plans(worker).render_pdf(version, SettingsService(worker.workspace).report_settings())
    signer = Signer("Inwoner", "inwoner", person_id=version.content.participants.person_ids[0])
    signed = plans(worker).record_signature(version, pdf, [signer], date(2026, 11, 23),
                                            "Voorbeeldstad", b"%PDF-1.4 scan", "scan.pdf",
                                            "application/pdf")
    assert worker.sync_ok().rejected == 0
    assert worker.sync.status().pending_changes == 0
    coach.sync_ok()
    on_coach = current(coach, hh)
    assert on_coach.status is PlanStatus.ONDERTEKEND
    assert on_coach.signature is not None
    assert on_coach.signature.content_fingerprint == signed.signature.content_fingerprint  # type: ignore[union-attr]
    assert on_coach.signature.signed_on == date(2026, 11, 23)
    assert plans(coach).signature_is_valid(on_coach, pdf)
    # The bytes came along too (chunked upload, SHA-256 checked on both ends).
    on_coach_pdf = plans(coach).signed_pdf(on_coach)
    assert on_coach_pdf == plans(worker).signed_pdf(signed)
    assert on_coach_pdf is not None and plans(coach).signature_is_valid(on_coach, on_coach_pdf)
    scan = on_coach.signature.scan_reference
    assert scan and plans(coach).file(scan).data == b"%PDF-1.4 scan"
    # Signed: the toetser no longer sees the household.
    toetser.sync_ok()
    assert not toetser.has_household(hh)
