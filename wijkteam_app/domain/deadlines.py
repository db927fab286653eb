"""Deadlines and reminders, computed from the case file alone (offline, nothing stored).

Per open case (not afgesloten):

- **Verslag keukentafelgesprek** (Wmo 2015 art. 2.3.2): the investigation after a melding,
  with its written report to the resident, takes at most six weeks: due on the aanmelding +
  6 weeks while no report was given to the resident.
- **Besluit** (Wmo 2015 art. 2.3.5): a decision within two weeks after the aanvraag, which
  follows the report: due on the aanmelding + 8 weeks while no plan version was signed. It
  applies to cases that need maatwerk: a meervoudige case, or one that has a plan. (The case
  file records no separate aanvraag date, so the term counts from the aanmelding; that is
  the latest the resident may expect a decision when the first six weeks were used.)
  Both Wmo terms are reminders only while support is not under way (`BEFORE_SUPPORT`).
- **Evaluatie** (Wmo 2015 art. 2.3.9, periodic reconsideration): the case's next evaluation
  date, else the first evaluation date of the plan in execution that no evaluation covers.
- **Waakvlamcontact** (nazorg, seeds 000 and 003): in the nazorg stage a contact at least
  every `WAAKVLAM_INTERVAL`, counted from the last contact.
- **Afspraak uit overleg**: an agreement of a case conference with a date, not yet done.
- **Vastgelopen**: an open stuck flag waits for the decision of the teamcoach or the
  brandpuntfunctionaris (`stuck.DECISION_TERM`).

Pure: the caller gathers the facts (`CaseFacts`) and passes today.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from wijkteam_app.domain.cases import Case, CaseStatus, Complexity
from wijkteam_app.domain.kitchen_table import WMO_REPORT_TERM_WEEKS
from wijkteam_app.domain.plans import PlanStatus
from wijkteam_app.domain.stuck import StuckFlag, decision_due

WMO_DECISION_TERM_WEEKS = 2
"""Wmo 2015 art. 2.3.5 lid 1: a decision within two weeks after the aanvraag."""
WAAKVLAM_INTERVAL = timedelta(weeks=6)
"""App decision (municipal practice varies): a waakvlamcontact at least every six weeks."""
HORIZON_DAYS = 14
"""The "Te doen" list shows what is overdue and what falls due within two weeks."""

SIGNED_OR_LATER = frozenset({PlanStatus.ONDERTEKEND, PlanStatus.IN_UITVOERING,
                             PlanStatus.GEEVALUEERD, PlanStatus.AFGESLOTEN})
EXECUTING = frozenset({PlanStatus.ONDERTEKEND, PlanStatus.IN_UITVOERING})
BEFORE_SUPPORT = frozenset({CaseStatus.AANGEMELD, CaseStatus.QUICKSCAN,
                            CaseStatus.KEUKENTAFELGESPREK, CaseStatus.PLAN})
"""The Wmo terms run while support is not under way yet; once a case is in uitvoering (or
later) they are history, not a reminder."""


class DeadlineKind(enum.StrEnum):
    VERSLAG = "verslag"
    BESLUIT = "besluit"
    EVALUATIE = "evaluatie"
    WAAKVLAM = "waakvlam"
    AFSPRAAK = "afspraak"
    VASTGELOPEN = "vastgelopen"


@dataclass(frozen=True, slots=True)
class Deadline:
    household_id: str
    case_id: str
    kind: DeadlineKind
    due: date
    detail: str = ""  # the agreement (AFSPRAAK) or the reason (VASTGELOPEN)

    def overdue(self, today: date) -> bool:
        return today > self.due

    def days_left(self, today: date) -> int:
        return (self.due - today).days


@dataclass(frozen=True, slots=True)
class OpenAgreement:
    what: str
    due: date


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What the deadlines of one case depend on."""

    case: Case
    report_issued_on: date | None = None  # the first keukentafel report given to the resident
    has_plan: bool = False
    plan_status: PlanStatus | None = None  # of the current (latest) version
    ever_signed: bool = False  # some version of the plan reached ONDERTEKEND
    plan_evaluation_dates: tuple[date, ...] = ()  # of the current version
    last_evaluated_on: date | None = None
    last_contact_on: date | None = None
    open_agreements: tuple[OpenAgreement, ...] = ()
    open_flags: tuple[StuckFlag, ...] = ()


def report_due(case: Case) -> date:
    return case.referral_date + timedelta(weeks=WMO_REPORT_TERM_WEEKS)


def decision_due_on(case: Case) -> date:
    return case.referral_date + timedelta(weeks=WMO_REPORT_TERM_WEEKS + WMO_DECISION_TERM_WEEKS)


def case_deadlines(facts: CaseFacts) -> tuple[Deadline, ...]:
    """Every deadline of one case that is not met yet, by due date."""
    case = facts.case
    if case.status is CaseStatus.AFGESLOTEN:
        return ()
    hid, cid = case.household_id, case.id
    out: list[Deadline] = []
    early = case.status in BEFORE_SUPPORT
    if early and facts.report_issued_on is None:
        out.append(Deadline(hid, cid, DeadlineKind.VERSLAG, report_due(case)))
    needs_decision = facts.has_plan or case.complexity is Complexity.MEERVOUDIG
    if early and needs_decision and not facts.ever_signed:
        out.append(Deadline(hid, cid, DeadlineKind.BESLUIT, decision_due_on(case)))
    evaluation = _evaluation_due(facts)
    if evaluation is not None:
        out.append(Deadline(hid, cid, DeadlineKind.EVALUATIE, evaluation))
    if case.status is CaseStatus.NAZORG:
        since = facts.last_contact_on or case.referral_date
        out.append(Deadline(hid, cid, DeadlineKind.WAAKVLAM, since + WAAKVLAM_INTERVAL))
    out += [Deadline(hid, cid, DeadlineKind.AFSPRAAK, a.due, a.what)
            for a in facts.open_agreements]
    out += [Deadline(hid, cid, DeadlineKind.VASTGELOPEN, decision_due(f), f.reason)
            for f in facts.open_flags if f.case_id == cid]
    return tuple(sorted(out, key=lambda d: (d.due, d.kind.value)))


def _evaluation_due(facts: CaseFacts) -> date | None:
    if facts.case.status is CaseStatus.NAZORG:
        return None
    if facts.case.next_evaluation is not None:
        return facts.case.next_evaluation
    if facts.plan_status not in EXECUTING:
        return None
    last = facts.last_evaluated_on
    for day in sorted(facts.plan_evaluation_dates):
        if last is None or day > last:
            return day
    return None


def due_soon(deadlines: Iterable[Deadline], today: date,
             horizon_days: int = HORIZON_DAYS) -> tuple[Deadline, ...]:
    """What is overdue or falls due within the horizon, most urgent first."""
    limit = today + timedelta(days=horizon_days)
    return tuple(sorted((d for d in deadlines if d.due <= limit),
                        key=lambda d: (d.due, d.kind.value, d.household_id)))


def overdue(deadlines: Sequence[Deadline], today: date) -> tuple[Deadline, ...]:
    return tuple(d for d in deadlines if d.overdue(today))
