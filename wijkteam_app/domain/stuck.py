"""The stuck case (vastgelopen casus) and the decision that unblocks it (seed 003).

"In situaties waarin de ondersteuning vastloopt, is er een brandpuntfunctionaris, die – zo
nodig met doorzettingsmacht – het proces weer vlottrekt." A worker on the case flags it as
stuck with a reason; the teamcoach or the team's brandpuntfunctionaris records the decision
that unblocks it. Both are append-only records: the history of flags and decisions stays.

Rules:
- one open flag per case at a time (`AlreadyFlagged`); a reason is required;
- flagging is for the workers of the case and the teamcoach (`FLAGGING_ROLES`);
- deciding is for the teamcoach and the brandpuntfunctionaris (`DECIDING_ROLES`), never the
  worker who flagged it (four eyes), once per flag; a decision text is required.

Pure: times and ids are passed in.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from wijkteam_app.domain.rules import RuleViolation
from wijkteam_app.domain.validation import MAX_NOTE, FieldError, required_text
from wijkteam_app.domain.workers import Role

FLAGGING_ROLES = frozenset({Role.WIJKWERKER, Role.GEZINSBEGELEIDER, Role.TEAMCOACH})
DECIDING_ROLES = frozenset({Role.TEAMCOACH, Role.BRANDPUNTFUNCTIONARIS})
DECISION_TERM = timedelta(days=7)
"""App decision: a flagged case gets a decision within a week (a "Te doen" deadline for the
teamcoach and the brandpuntfunctionaris)."""


class StuckRuleViolation(RuleViolation):
    """A stuck-case rule refused an action; nothing changed. `reason` is a stable code."""


class AlreadyFlagged(StuckRuleViolation):
    def __init__(self) -> None:
        super().__init__("already_flagged", "this case is already flagged as stuck")


@dataclass(frozen=True, slots=True)
class StuckFlag:
    id: str
    household_id: str
    case_id: str
    flagged_by: str
    flagged_at: datetime
    reason: str


@dataclass(frozen=True, slots=True)
class StuckDecision:
    id: str
    household_id: str
    flag_id: str
    decided_by: str
    decided_at: datetime
    decision: str
    doorzettingsmacht: bool = False  # the brandpuntfunctionaris overruled a party


class EventKind(enum.StrEnum):
    GEMELD = "gemeld"
    BESLOTEN = "besloten"


@dataclass(frozen=True, slots=True)
class StuckEvent:
    """One line of a case's stuck history."""

    kind: EventKind
    at: datetime
    actor_id: str
    text: str
    flag_id: str
    doorzettingsmacht: bool = False


def decision_for(flag: StuckFlag, decisions: Iterable[StuckDecision]) -> StuckDecision | None:
    return next((d for d in decisions if d.flag_id == flag.id), None)


def open_flags(flags: Iterable[StuckFlag],
               decisions: Iterable[StuckDecision]) -> tuple[StuckFlag, ...]:
    """Flags without a decision, oldest first."""
    decided = {d.flag_id for d in decisions}
    return tuple(sorted((f for f in flags if f.id not in decided), key=lambda f: f.flagged_at))


def open_flag(flags: Iterable[StuckFlag], decisions: Iterable[StuckDecision],
              case_id: str) -> StuckFlag | None:
    return next((f for f in open_flags(flags, decisions) if f.case_id == case_id), None)


def history(flags: Iterable[StuckFlag],
            decisions: Iterable[StuckDecision]) -> tuple[StuckEvent, ...]:
    """Every flag and decision, oldest first."""
    events = [StuckEvent(EventKind.GEMELD, f.flagged_at, f.flagged_by, f.reason, f.id)
              for f in flags]
    events += [StuckEvent(EventKind.BESLOTEN, d.decided_at, d.decided_by, d.decision, d.flag_id,
                          d.doorzettingsmacht) for d in decisions]
    return tuple(sorted(events, key=lambda e: (e.at, e.kind is EventKind.BESLOTEN)))


def validate_flag(flag: StuckFlag) -> list[FieldError]:
    """``reason``: REQUIRED / TOO_LONG."""
    errors: list[FieldError] = []
    required_text(errors, "reason", flag.reason, MAX_NOTE)
    return errors


def validate_decision(decision: StuckDecision) -> list[FieldError]:
    """``decision``: REQUIRED / TOO_LONG."""
    errors: list[FieldError] = []
    required_text(errors, "decision", decision.decision, MAX_NOTE)
    return errors


def check_flag(flag: StuckFlag, role: Role, flags: Sequence[StuckFlag],
               decisions: Sequence[StuckDecision]) -> None:
    """Raise when this flag may not be made (the fields are checked by `validate_flag`)."""
    if role not in FLAGGING_ROLES:
        raise StuckRuleViolation("flag_role", "only a worker of the case or the teamcoach "
                                 "flags a case as stuck")
    if open_flag(flags, decisions, flag.case_id) is not None:
        raise AlreadyFlagged()


def check_decision(decision: StuckDecision, role: Role, flag: StuckFlag,
                   decisions: Sequence[StuckDecision]) -> None:
    """Raise when this decision may not be recorded."""
    if role not in DECIDING_ROLES:
        raise StuckRuleViolation("decide_role", "only the teamcoach or the "
                                 "brandpuntfunctionaris decides on a stuck case")
    if decision.flag_id != flag.id:
        raise StuckRuleViolation("decide_other_flag", "the decision is for another flag")
    if decision.decided_by == flag.flagged_by:
        raise StuckRuleViolation("own_flag", "the worker who flagged the case does not "
                                 "decide on it")
    if decision_for(flag, decisions) is not None:
        raise StuckRuleViolation("flag_closed", "this flag already has a decision")


def decision_due(flag: StuckFlag) -> date:
    return flag.flagged_at.date() + DECISION_TERM
