"""Deadlines from the case file: the facts per case in a few batched reads, the rules in
`domain.deadlines`. Used by the "Te doen" list on the start page and the overdue marks of
the caseload; nothing is stored, everything is computed offline on the laptop.

`for_households` reads, for at most the households asked (the page of the caseload, or my
caseload), every open case and: the first keukentafel report issued, whether a plan version
was ever signed, the current plan version's status and evaluation dates, the last
evaluation, the last contact (only for cases in nazorg), open conference agreements with a
date, and open stuck flags. About ten indexed queries, whatever the number of households.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from wijkteam_app.domain.cases import Case, CaseStatus, Complexity, ReferralSource
from wijkteam_app.domain.deadlines import (
    SIGNED_OR_LATER,
    CaseFacts,
    Deadline,
    DeadlineKind,
    OpenAgreement,
    case_deadlines,
    due_soon,
)
from wijkteam_app.domain.plans import PlanStatus
from wijkteam_app.domain.stuck import DECIDING_ROLES, open_flags
from wijkteam_app.persistence import casework_repository as casework
from wijkteam_app.persistence import repositories as repo
from wijkteam_app.persistence.casefile import get_state
from wijkteam_app.persistence.repositories import CaseloadFilter
from wijkteam_app.persistence.schema import (
    CaseConferenceRecord,
    CaseRecord,
    ContactMomentRecord,
    HouseholdRecord,
    KitchenTableReportRecord,
    PlanEvaluationRecord,
    PlanVersionRecord,
)
from wijkteam_app.persistence.sync_schema import SyncStateRecord
from wijkteam_app.services.profile import Workspace

CHUNK = 500


class Cancelled(Exception):
    """The caller no longer wants the answer (closing, locking)."""


@dataclass(frozen=True, slots=True)
class TodoItem:
    """One line of the "Te doen" list."""

    deadline: Deadline
    household_name: str


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def _dates(value: Any) -> tuple[date, ...]:
    out = []
    for item in value if isinstance(value, list) else []:
        try:
            out.append(date.fromisoformat(str(item)))
        except ValueError:
            continue
    return tuple(out)


class DeadlineService:
    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace
        self._db = workspace.casefile

    def for_households(self, household_ids: Sequence[str],
                       cancelled: Callable[[], bool] | None = None,
                       ) -> dict[str, tuple[Deadline, ...]]:
        """Every unmet deadline of the open cases of these households, by household.
        `cancelled` is asked between chunks; once it says so, the call raises Cancelled."""
        out: dict[str, tuple[Deadline, ...]] = {}
        ids = list(dict.fromkeys(household_ids))
        for chunk in _chunks(ids):
            if cancelled is not None and cancelled():
                raise Cancelled()
            for facts in self._facts(chunk):
                found = case_deadlines(facts)
                if found:
                    hid = facts.case.household_id
                    out[hid] = tuple(sorted((*out.get(hid, ()), *found), key=lambda d: d.due))
        return out

    def overdue(self, household_ids: Sequence[str]) -> dict[str, tuple[Deadline, ...]]:
        """Only what is overdue today, by household (the caseload's marks)."""
        today = self._ws.today()
        result = {}
        for hid, deadlines in self.for_households(household_ids).items():
            late = tuple(d for d in deadlines if d.overdue(today))
            if late:
                result[hid] = late
        return result

    def marks(self, household_ids: Sequence[str]) -> dict[str, tuple[Deadline, ...]]:
        """The caseload's marks per household: what is overdue, and every open stuck flag
        (whether or not its decision is late)."""
        today = self._ws.today()
        result = {}
        for hid, deadlines in self.for_households(household_ids).items():
            found = tuple(d for d in deadlines
                          if d.overdue(today) or d.kind is DeadlineKind.VASTGELOPEN)
            if found:
                result[hid] = found
        return result

    def marker(self) -> tuple[object, ...]:
        """What the "Te doen" list depends on besides the records: the day, who asks, the
        last save (`device_seq`) and the last pulled sync page (`cursor`). Equal markers give
        equal lists, so a refresh with an equal marker need not work the list out again.
        One indexed read: quick enough for the UI thread."""
        with self._db.read() as session:
            seq = get_state(session, "device_seq")
            cursor = session.scalar(select(SyncStateRecord.cursor)
                                    .where(SyncStateRecord.id == 1))
        me = self._ws.worker
        return (self._ws.today(), me.id, me.role, seq, cursor)

    def todo(self, cancelled: Callable[[], bool] | None = None) -> list[TodoItem]:
        """The "Te doen" list: for my caseload what is overdue or due within two weeks;
        for a teamcoach or brandpuntfunctionaris also every open stuck flag. (`cancelled`:
        see `for_households`.)"""
        me = self._ws.worker
        deciding = me.role in DECIDING_ROLES
        with self._db.read() as session:
            mine = {s.id for s in repo.caseload(session, CaseloadFilter(worker_id=me.id,
                                                                        limit=100_000))}
            flagged: set[str] = set()
            if deciding:
                flagged = {f.household_id for f in open_flags(casework.flags_of(session),
                                                              casework.decisions_of(session))}
        deadlines = self.for_households(sorted(mine | flagged), cancelled)
        items = [d for hid, found in deadlines.items() for d in found
                 if (d.kind is DeadlineKind.VASTGELOPEN and deciding)
                 or (d.kind is not DeadlineKind.VASTGELOPEN and hid in mine)]
        soon = due_soon(items, self._ws.today())
        with self._db.read() as session:
            wanted = list({d.household_id for d in soon})
            names = {h: n for h, n in session.execute(
                select(HouseholdRecord.id, HouseholdRecord.name)
                .where(HouseholdRecord.id.in_(wanted)))}
        return [TodoItem(d, names.get(d.household_id, "")) for d in soon]

    # --- facts -----------------------------------------------------------------------------

    def _facts(self, ids: Sequence[str]) -> list[CaseFacts]:
        with self._db.read() as session:
            # Only the columns the rules read (no ORM objects: this runs for a caseload page).
            cases = [Case(id=r.id, household_id=r.household_id, team_id=r.team_id,
                          regisseur_id=r.regisseur_id, status=CaseStatus(r.status),
                          referral_source=ReferralSource(r.referral_source),
                          referral_date=r.referral_date,
                          complexity=Complexity(r.complexity) if r.complexity else None,
                          next_evaluation=r.next_evaluation)
                     for r in session.execute(
                select(CaseRecord.id, CaseRecord.household_id, CaseRecord.team_id,
                       CaseRecord.regisseur_id, CaseRecord.status, CaseRecord.referral_source,
                       CaseRecord.referral_date, CaseRecord.complexity,
                       CaseRecord.next_evaluation)
                .where(CaseRecord.household_id.in_(ids),
                       CaseRecord.status != CaseStatus.AFGESLOTEN.value))]
            if not cases:
                return []
            case_ids = [c.id for c in cases]
            issued: dict[str, Any] = dict(session.execute(
                select(KitchenTableReportRecord.case_id,
                       func.min(KitchenTableReportRecord.issued_on))
                .where(KitchenTableReportRecord.case_id.in_(case_ids))
                .group_by(KitchenTableReportRecord.case_id)).all())
            versions: dict[str, list[tuple[int, str, Any]]] = {}
            for hid, number, status, dates in session.execute(
                    select(PlanVersionRecord.household_id, PlanVersionRecord.number,
                           PlanVersionRecord.status,
                           func.json_extract(PlanVersionRecord.content, "$.evaluation_dates"))
                    .where(PlanVersionRecord.household_id.in_(ids))):
                versions.setdefault(hid, []).append((number, status, dates))
            evaluated = dict(session.execute(
                select(PlanEvaluationRecord.household_id,
                       func.max(PlanEvaluationRecord.evaluated_on))
                .where(PlanEvaluationRecord.household_id.in_(ids))
                .group_by(PlanEvaluationRecord.household_id)).all())
            nazorg = [c.id for c in cases if c.status is CaseStatus.NAZORG]
            contacts = dict(session.execute(
                select(ContactMomentRecord.case_id, func.max(ContactMomentRecord.on))
                .where(ContactMomentRecord.case_id.in_(nazorg))
                .group_by(ContactMomentRecord.case_id)).all()) if nazorg else {}
            agreements: dict[str, list[OpenAgreement]] = {}
            for record in session.scalars(select(CaseConferenceRecord).where(
                    CaseConferenceRecord.household_id.in_(ids))):
                conference = casework.conference_from(record)
                key = conference.case_id or conference.household_id
                agreements.setdefault(key, []).extend(
                    OpenAgreement(a.what, a.due) for a in conference.open_agreements()
                    if a.due is not None)
            flags = open_flags(casework.flags_of(session, ids), casework.decisions_of(session, ids))
        first_case: dict[str, str] = {}
        for case in cases:
            first_case.setdefault(case.household_id, case.id)
        out = []
        for case in cases:
            rows = sorted(versions.get(case.household_id, []), key=lambda v: v[0])
            current = rows[-1] if rows else None
            status = PlanStatus(current[1]) if current else None
            raw_dates = current[2] if current else None
            if isinstance(raw_dates, str):
                raw_dates = json.loads(raw_dates)
            out.append(CaseFacts(
                case=case,
                report_issued_on=_as_date(issued.get(case.id)),
                has_plan=bool(rows),
                plan_status=status,
                ever_signed=any(PlanStatus(v[1]) in SIGNED_OR_LATER for v in rows),
                plan_evaluation_dates=_dates(raw_dates),
                last_evaluated_on=_as_date(evaluated.get(case.household_id)),
                last_contact_on=_as_date(contacts.get(case.id)),
                open_agreements=tuple(agreements.get(case.id, []))
                + (tuple(agreements.get(case.household_id, []))
                   if first_case[case.household_id] == case.id else ()),
                open_flags=tuple(f for f in flags if f.case_id == case.id),
            ))
        return out


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
