"""The stuck case as use cases: flag a case, decide on a flag, the history per household, and
the open flags of the case file (what the teamcoach and the brandpuntfunctionaris see).

Flags and decisions are append-only; each is one save. The laptop of a brandpuntfunctionaris
holds only the households the server puts in their scope: those with an open flag.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from wijkteam_app.domain.cases import Case
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.stuck import (
    StuckDecision,
    StuckEvent,
    StuckFlag,
    check_decision,
    check_flag,
    history,
    open_flag,
    open_flags,
    validate_decision,
    validate_flag,
)
from wijkteam_app.domain.validation import ValidationFailed
from wijkteam_app.errors import NotFound
from wijkteam_app.persistence import casework_repository as casework
from wijkteam_app.persistence.casefile import utcnow
from wijkteam_app.persistence.schema import HouseholdRecord, WorkerRecord
from wijkteam_app.services.authority import Action, Authority
from wijkteam_app.services.profile import Workspace


@dataclass(frozen=True, slots=True)
class FlaggedCase:
    """One open flag as the list of stuck cases shows it."""

    flag: StuckFlag
    household_name: str
    wijk: str
    flagged_by_name: str


@dataclass(frozen=True, slots=True)
class StuckState:
    """A household's stuck history and its open flags (one per case at most)."""

    events: tuple[StuckEvent, ...]
    open: tuple[StuckFlag, ...]
    flags: tuple[StuckFlag, ...]
    decisions: tuple[StuckDecision, ...]

    def open_for(self, case_id: str) -> StuckFlag | None:
        return next((f for f in self.open if f.case_id == case_id), None)


class StuckService:
    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace
        self._db = workspace.casefile

    def state(self, household_id: str) -> StuckState:
        with self._db.read() as session:
            flags = casework.flags_of(session, [household_id])
            decisions = casework.decisions_of(session, [household_id])
        return StuckState(history(flags, decisions), open_flags(flags, decisions),
                          tuple(flags), tuple(decisions))

    def flag(self, case: Case, reason: str, at: datetime | None = None) -> StuckFlag:
        """Report the case as stuck, with the reason."""
        flag = StuckFlag(new_id(), case.household_id, case.id, self._ws.actor_id,
                         at or utcnow(), reason.strip())
        errors = validate_flag(flag)
        if errors:
            raise ValidationFailed(errors)
        state = self.state(case.household_id)
        check_flag(flag, self._ws.worker.role, state.flags, state.decisions)
        Authority(self._ws).require(case.household_id, Action.FLAG_STUCK)
        with self._db.save(self._ws.actor_id, "casus.vastgelopen", "casus", case.id) as ctx:
            casework.add_flag(ctx.session, flag)
        return flag

    def decide(self, flag: StuckFlag, decision_text: str, doorzettingsmacht: bool = False,
               at: datetime | None = None) -> StuckDecision:
        """Record the decision that unblocks the case (teamcoach or brandpuntfunctionaris,
        not the worker who flagged it)."""
        decision = StuckDecision(new_id(), flag.household_id, flag.id, self._ws.actor_id,
                                 at or utcnow(), decision_text.strip(), doorzettingsmacht)
        errors = validate_decision(decision)
        if errors:
            raise ValidationFailed(errors)
        state = self.state(flag.household_id)
        if flag.id not in {f.id for f in state.flags}:
            raise NotFound("stuck_flag")
        check_decision(decision, self._ws.worker.role, flag, state.decisions)
        Authority(self._ws).require(flag.household_id, Action.DECIDE_STUCK)
        with self._db.save(self._ws.actor_id, "casus.vlottrekken", "casus",
                           flag.case_id) as ctx:
            casework.add_decision(ctx.session, decision)
        return decision

    def open_flag(self, household_id: str, case_id: str) -> StuckFlag | None:
        state = self.state(household_id)
        return open_flag(state.flags, state.decisions, case_id)

    def flagged_cases(self) -> list[FlaggedCase]:
        """Every open flag in this case file, oldest first, with names to show."""
        with self._db.read() as session:
            flags = open_flags(casework.flags_of(session), casework.decisions_of(session))
            ids = list({f.household_id for f in flags})
            households = {h.id: h for h in session.scalars(
                select(HouseholdRecord).where(HouseholdRecord.id.in_(ids)))}
            names = {w.id: w.display_name for w in session.scalars(select(WorkerRecord))}
        return [FlaggedCase(f, households[f.household_id].name,
                            households[f.household_id].wijk, names.get(f.flagged_by, ""))
                for f in flags if f.household_id in households]
