"""Storing plan versions and the records made on them; mapping to `domain.plans` types.

A version's content can change only while its STORED status is CONCEPT: the repository
checks the stored row, not the object it is handed, so no caller can rewrite a submitted,
approved or signed version.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkteam_app.domain.plans import (
    GoalEvaluation,
    ImmutableVersion,
    Mandate,
    PlanContent,
    PlanSignature,
    PlanStatus,
    PlanVersion,
    ReviewDecision,
    ReviewOutcome,
    SectionComment,
    Signer,
    StatusChange,
    ToetsDecision,
    ToetsRecord,
    fingerprint,
    to_plain,
)
from wijkteam_app.errors import NotFound, StaleVersion
from wijkteam_app.persistence.codec import from_plain
from wijkteam_app.persistence.repositories import assign, get_or_new
from wijkteam_app.persistence.schema import (
    MandateRecord,
    PlanEvaluationRecord,
    PlanReviewRecord,
    PlanSignatureRecord,
    PlanToetsRecord,
    PlanVersionRecord,
)


def _plain(value: object) -> Any:
    return to_plain(value)


def load_version(session: Session, version_id: str) -> PlanVersion:
    record = session.get(PlanVersionRecord, version_id)
    if record is None:
        raise NotFound("plan_version")
    return _version_from(session, record)


def versions_of(session: Session, household_id: str) -> list[PlanVersion]:
    rows = session.scalars(
        select(PlanVersionRecord)
        .where(PlanVersionRecord.household_id == household_id)
        .order_by(PlanVersionRecord.number)
    )
    return [_version_from(session, r) for r in rows]


def _version_from(session: Session, r: PlanVersionRecord) -> PlanVersion:
    reviews = session.scalars(
        select(PlanReviewRecord).where(PlanReviewRecord.version_id == r.id)
        .order_by(PlanReviewRecord.decided_at)
    )
    toets = session.scalars(
        select(PlanToetsRecord).where(PlanToetsRecord.version_id == r.id)
        .order_by(PlanToetsRecord.decided_at.desc())
    ).first()
    signature = session.scalars(
        select(PlanSignatureRecord).where(PlanSignatureRecord.version_id == r.id)
        .order_by(PlanSignatureRecord.signed_on.desc())
    ).first()
    evaluations = session.scalars(
        select(PlanEvaluationRecord).where(PlanEvaluationRecord.version_id == r.id)
    )
    return PlanVersion(
        id=r.id,
        plan_id=r.plan_id,
        household_id=r.household_id,
        number=r.number,
        status=PlanStatus(r.status),
        content=from_plain(PlanContent, r.content),
        created_at=r.created_at,
        created_by=r.created_by,
        based_on_id=r.based_on_id,
        history=tuple(from_plain(StatusChange, h) for h in r.history),
        reviews=tuple(
            ReviewDecision(v.version_id, v.reviewer_id, v.decided_at,
                           ReviewOutcome(v.outcome),
                           tuple(from_plain(SectionComment, c) for c in v.comments))
            for v in reviews
        ),
        toets=ToetsRecord(toets.version_id, toets.toetser_id, toets.decided_at,
                          ToetsDecision(toets.decision), toets.note) if toets else None,
        signature=PlanSignature(
            signature.version_id, signature.content_fingerprint,
            tuple(from_plain(Signer, s) for s in signature.signers), signature.signed_on,
            signature.place, signature.pdf_sha256, signature.scan_attachment_id or "",
        ) if signature else None,
        evaluations=tuple(
            from_plain(GoalEvaluation, {
                "goal_id": e.goal_id, "result": e.result, "note": e.note,
                "zrm_assessment_id": e.zrm_assessment_id,
                "evaluated_on": e.evaluated_on.isoformat(), "evaluator_id": e.evaluator_id,
            })
            for e in evaluations
        ),
        version=r.version,
    )


def save_version(session: Session, version: PlanVersion) -> None:
    """Insert a new version or update the stored one (status, history; content only while
    the stored status is CONCEPT)."""
    stored = session.get(PlanVersionRecord, version.id)
    if stored is not None:
        if stored.version != version.version:
            raise StaleVersion("plan_version")
        content_changed = stored.content != _plain(version.content)
        if content_changed and stored.status != PlanStatus.CONCEPT.value:
            raise ImmutableVersion(PlanStatus(stored.status))
    record = get_or_new(session, PlanVersionRecord, version.id, version.version)
    if record.version == 0:
        record.created_at = version.created_at
        record.created_by = version.created_by
    assign(
        record,
        household_id=version.household_id,
        plan_id=version.plan_id,
        number=version.number,
        status=version.status.value,
        content=_plain(version.content),
        fingerprint=fingerprint(version),
        based_on_id=version.based_on_id,
        history=_plain(list(version.history)),
    )


def add_review(session: Session, record_id: str, household_id: str,
               review: ReviewDecision) -> None:
    session.add(PlanReviewRecord(
        id=record_id, version=0, household_id=household_id, version_id=review.version_id,
        reviewer_id=review.reviewer_id, decided_at=review.decided_at,
        outcome=review.outcome.value, comments=_plain(list(review.comments))))


def add_toets(session: Session, record_id: str, household_id: str, toets: ToetsRecord) -> None:
    session.add(PlanToetsRecord(
        id=record_id, version=0, household_id=household_id, version_id=toets.version_id,
        toetser_id=toets.toetser_id, decided_at=toets.decided_at,
        decision=toets.decision.value, note=toets.note))


def add_signature(session: Session, record_id: str, household_id: str,
                  signature: PlanSignature, signed_pdf_attachment_id: str | None) -> None:
    session.add(PlanSignatureRecord(
        id=record_id, version=0, household_id=household_id,
        version_id=signature.plan_version_id,
        content_fingerprint=signature.content_fingerprint,
        signers=_plain(list(signature.signers)), signed_on=signature.signed_on,
        place=signature.place, pdf_sha256=signature.pdf_sha256,
        scan_attachment_id=signature.scan_reference or None,
        signed_pdf_attachment_id=signed_pdf_attachment_id))


def add_evaluation(session: Session, record_id: str, household_id: str, version_id: str,
                   evaluation: GoalEvaluation) -> None:
    session.add(PlanEvaluationRecord(
        id=record_id, version=0, household_id=household_id, version_id=version_id,
        goal_id=evaluation.goal_id, result=evaluation.result.value, note=evaluation.note,
        zrm_assessment_id=evaluation.zrm_assessment_id,
        evaluated_on=evaluation.evaluated_on, evaluator_id=evaluation.evaluator_id))


def mandate_of(session: Session, worker_id: str) -> Mandate | None:
    record = session.scalars(
        select(MandateRecord).where(MandateRecord.worker_id == worker_id)).first()
    if record is None:
        return None
    return Mandate(record.max_amount_cents, frozenset(record.product_codes))


def save_mandate(session: Session, record_id: str, worker_id: str, mandate: Mandate) -> None:
    record = session.scalars(
        select(MandateRecord).where(MandateRecord.worker_id == worker_id)).first()
    if record is None:
        record = MandateRecord(id=record_id, version=0, worker_id=worker_id)
        session.add(record)
    assign(record, max_amount_cents=mandate.max_amount_cents,
           product_codes=sorted(mandate.product_codes))
