"""Storing the keukentafel reports, case conferences, stuck flags and decisions, and
client-experience answers; mapping them to their domain types.

Append-only records (reports, flags, decisions, answers) are only ever added here: there is
no function that changes or deletes one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkteam_app.domain.client_experience import Answer, ClientExperience, Moment
from wijkteam_app.domain.conferences import (
    CaseConference,
    ConferenceAgreement,
    ConferenceKind,
    Party,
)
from wijkteam_app.domain.kitchen_table import (
    IssueMethod,
    KitchenTableContent,
    KitchenTableReport,
    ReportParticipants,
    fingerprint,
)
from wijkteam_app.domain.plans import to_plain
from wijkteam_app.domain.stuck import StuckDecision, StuckFlag
from wijkteam_app.persistence.codec import from_plain
from wijkteam_app.persistence.repositories import assign, get_or_new
from wijkteam_app.persistence.schema import (
    CaseConferenceRecord,
    ClientExperienceRecord,
    KitchenTableReportRecord,
    StuckDecisionRecord,
    StuckFlagRecord,
)


def _plain(value: object) -> Any:
    return to_plain(value)


# --- keukentafel reports -------------------------------------------------------------------


def report_from(r: KitchenTableReportRecord) -> KitchenTableReport:
    return KitchenTableReport(
        id=r.id, household_id=r.household_id, case_id=r.case_id, number=r.number,
        held_on=r.held_on, location=r.location,
        participants=from_plain(ReportParticipants, r.participants),
        content=from_plain(KitchenTableContent, r.content),
        created_at=r.created_at, created_by=r.created_by, issued_on=r.issued_on,
        issued_how=IssueMethod(r.issued_how), based_on_id=r.based_on_id, version=r.version)


def add_report(session: Session, report: KitchenTableReport) -> None:
    session.add(KitchenTableReportRecord(
        id=report.id, version=0, household_id=report.household_id, case_id=report.case_id,
        number=report.number, based_on_id=report.based_on_id, held_on=report.held_on,
        location=report.location.strip(), participants=_plain(report.participants),
        content=_plain(report.content), fingerprint=fingerprint(report),
        created_at=report.created_at, created_by=report.created_by,
        issued_on=report.issued_on, issued_how=report.issued_how.value))


def reports_of(session: Session, household_id: str) -> list[KitchenTableReport]:
    rows = session.scalars(
        select(KitchenTableReportRecord)
        .where(KitchenTableReportRecord.household_id == household_id)
        .order_by(KitchenTableReportRecord.number, KitchenTableReportRecord.created_at))
    return [report_from(r) for r in rows]


# --- case conferences ----------------------------------------------------------------------


def _party(data: Any) -> Party:
    return from_plain(Party, data)


def conference_from(r: CaseConferenceRecord) -> CaseConference:
    return CaseConference(
        id=r.id, household_id=r.household_id, held_on=r.held_on, kind=ConferenceKind(r.kind),
        recorded_by=r.recorded_by, case_id=r.case_id,
        participants=tuple(_party(p) for p in r.participants), reason=r.reason,
        discussion=r.discussion,
        agreements=tuple(from_plain(ConferenceAgreement, a) for a in r.agreements),
        casemanager=_party(r.casemanager) if r.casemanager else None, version=r.version)


def save_conference(session: Session, c: CaseConference) -> None:
    record = get_or_new(session, CaseConferenceRecord, c.id, c.version)
    assign(record, household_id=c.household_id, case_id=c.case_id, held_on=c.held_on,
           kind=c.kind.value, participants=_plain(list(c.participants)),
           reason=c.reason.strip(), discussion=c.discussion.strip(),
           agreements=_plain(list(c.agreements)),
           casemanager=_plain(c.casemanager) if c.casemanager else None,
           recorded_by=c.recorded_by)


def conferences_of(session: Session, household_id: str) -> list[CaseConference]:
    rows = session.scalars(
        select(CaseConferenceRecord).where(CaseConferenceRecord.household_id == household_id)
        .order_by(CaseConferenceRecord.held_on.desc()))
    return [conference_from(r) for r in rows]


# --- stuck flags and decisions -------------------------------------------------------------


def flag_from(r: StuckFlagRecord) -> StuckFlag:
    return StuckFlag(r.id, r.household_id, r.case_id, r.flagged_by, r.flagged_at, r.reason)


def decision_from(r: StuckDecisionRecord) -> StuckDecision:
    return StuckDecision(r.id, r.household_id, r.flag_id, r.decided_by, r.decided_at,
                         r.decision, bool(r.doorzettingsmacht))


def add_flag(session: Session, flag: StuckFlag) -> None:
    session.add(StuckFlagRecord(
        id=flag.id, version=0, household_id=flag.household_id, case_id=flag.case_id,
        flagged_by=flag.flagged_by, flagged_at=flag.flagged_at, reason=flag.reason.strip()))


def add_decision(session: Session, decision: StuckDecision) -> None:
    session.add(StuckDecisionRecord(
        id=decision.id, version=0, household_id=decision.household_id,
        flag_id=decision.flag_id, decided_by=decision.decided_by,
        decided_at=decision.decided_at, decision=decision.decision.strip(),
        doorzettingsmacht=decision.doorzettingsmacht))


def flags_of(session: Session, household_ids: Sequence[str] | None = None) -> list[StuckFlag]:
    query = select(StuckFlagRecord).order_by(StuckFlagRecord.flagged_at)
    if household_ids is not None:
        query = query.where(StuckFlagRecord.household_id.in_(list(household_ids)))
    return [flag_from(r) for r in session.scalars(query)]


def decisions_of(session: Session,
                 household_ids: Sequence[str] | None = None) -> list[StuckDecision]:
    query = select(StuckDecisionRecord).order_by(StuckDecisionRecord.decided_at)
    if household_ids is not None:
        query = query.where(StuckDecisionRecord.household_id.in_(list(household_ids)))
    return [decision_from(r) for r in session.scalars(query)]


# --- client experience ---------------------------------------------------------------------


def experience_from(r: ClientExperienceRecord) -> ClientExperience:
    return ClientExperience(
        id=r.id, household_id=r.household_id, case_id=r.case_id, moment=Moment(r.moment),
        answered_on=r.answered_on, recorded_by=r.recorded_by,
        answers=tuple(Answer(str(a.get("question", "")), a.get("score")) for a in r.answers),
        comment=r.comment, questionnaire=r.questionnaire, version=r.version)


def add_experience(session: Session, e: ClientExperience) -> None:
    session.add(ClientExperienceRecord(
        id=e.id, version=0, household_id=e.household_id, case_id=e.case_id,
        questionnaire=e.questionnaire, moment=e.moment.value, answered_on=e.answered_on,
        recorded_by=e.recorded_by,
        answers=[{"question": a.question, "score": a.score} for a in e.answers],
        comment=e.comment.strip()))


def experiences_of(session: Session, household_id: str | None = None
                   ) -> list[ClientExperience]:
    query = select(ClientExperienceRecord).order_by(ClientExperienceRecord.answered_on)
    if household_id is not None:
        query = query.where(ClientExperienceRecord.household_id == household_id)
    return [experience_from(r) for r in session.scalars(query)]
