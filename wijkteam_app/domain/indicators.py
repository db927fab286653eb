"""Steering indicators: what the coach's dashboard and the half-year report add up.

Pure functions over plain *facts* (a few fields of the case file's records, loaded by
`services.steering`). Every figure also carries the households behind it, so the dashboard
can show who is counted. The definitions (printed in the report's method section, see
`wijkteam_app.sync.aggregates`) in short, for a period [start, end] and the *peildatum*
``min(end, today)``:

- a household is **in view** when one of its cases ran in the period: referred on or before
  the peildatum and not closed before the start. Its **reference case** is the most recent
  of those (referral date, then id); it gives the team, regisseur, profile, urgency and next
  evaluation. Events after the peildatum never count;
- **werkvoorraad** is the state on the peildatum: a plan version's status is the last status
  change on or before it, its household's latest version is the highest number made by then;
- **ZRM and ladder movement** compare, per client and instrument *version*, the first with
  the latest assessment, when there are at least two and the latest lies in the period;
- **escalation** is individual support (maatwerk in a signed plan whose period touches ours)
  or heavy support (the last regie move was an opschaling); **relapse** a case referred in
  the period within 365 days after an earlier case of the household was closed;
- **klantervaring** counts the questionnaires answered in the period and, per question, the
  answers on the scale (mean, share "eens" or "helemaal eens"). These figures are anonymous:
  no household stands behind them (nothing to open), and below five answers nothing is shown
  (`domain.client_experience.MIN_GROUP`, the report's suppression).

The municipal server computes the same in SQL (`wijkteam_server.reporting`); a test proves
the two agree on the same data.
"""

from __future__ import annotations

import enum
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from wijkteam_app.domain.cases import UrgencyCriterion
from wijkteam_app.domain.client_experience import QUESTIONNAIRE_ID, QUESTIONS, SCALE
from wijkteam_app.domain.instruments import LADDER_ITEM_CODE, PARTICIPATIELADDER_ID
from wijkteam_app.domain.plans import (
    EscalationDirection,
    Goal,
    Horizon,
    Mandate,
    PlanContent,
    PlanStatus,
    ProfessionalSupport,
    needs_toets,
)

ZRM_PREFIX = "zrm"
RELAPSE_DAYS = 365
NO_MANDATE = Mandate(0, frozenset())
TOETS_STATUSES = frozenset({PlanStatus.TER_BEOORDELING, PlanStatus.GOEDGEKEURD})
NO_PROFILE = "onbekend"
NO_URGENCY = "geen"
EXPERIENCE_AGREE = 4  # "eens" (4) or "helemaal eens" (5)


class Indicator(enum.StrEnum):
    """Indicator keys; the report's ones equal `wijkteam_app.sync.aggregates.SPECS` (tested)."""

    HOUSEHOLDS_IN_VIEW = "households_in_view"
    REFERRALS_NEW = "referrals_new"
    CASES_CLOSED = "cases_closed"
    OPEN_ON_PEILDATUM = "open_on_peildatum"
    REGISSEURS = "regisseurs"
    CASELOAD_MEAN = "caseload_mean"
    CASELOAD_MAX = "caseload_max"
    PLANS_WAITING_REVIEW = "plans_waiting_review"
    PLANS_WAITING_TOETS = "plans_waiting_toets"
    EVALUATIONS_OVERDUE = "evaluations_overdue"
    FIRST_CONTACT_DAYS_MEDIAN = "first_contact_days_median"
    FIRST_CONTACT_DAYS_MEAN = "first_contact_days_mean"
    FIRST_CONTACT_WAITING = "first_contact_waiting"
    SIGNED_PLAN_DAYS_MEDIAN = "signed_plan_days_median"
    SIGNED_PLAN_DAYS_MEAN = "signed_plan_days_mean"
    CLIENT_PROFILE = "client_profile"
    URGENCY = "urgency"
    ZRM_ROSE = "zrm_rose"
    ZRM_STABLE = "zrm_stable"
    ZRM_FELL = "zrm_fell"
    ZRM_MEAN_CHANGE = "zrm_mean_change"
    LADDER_MOVEMENT = "ladder_movement"
    LADDER_RISE_OR_STABLE_SHARE = "ladder_rise_or_stable_share"
    ESCALATION_INDIVIDUAL = "escalation_individual"
    ESCALATION_HEAVY = "escalation_heavy"
    ESCALATION = "escalation"
    ESCALATION_SHARE = "escalation_share"
    RELAPSE = "relapse"
    RELAPSE_SHARE = "relapse_share"
    TIME_TOTAL_MINUTES = "time_total_minutes"
    TIME_PER_CASE_MEAN = "time_per_case_mean"
    TIME_WORKERS = "time_workers"
    TIME_PER_WORKER_MEAN = "time_per_worker_mean"
    EXPERIENCE_RESPONSES = "experience_responses"
    EXPERIENCE_MEAN = "experience_mean"
    EXPERIENCE_AGREE_SHARE = "experience_agree_share"
    # Dashboard only (per worker, by worker id): never in a report.
    CASELOAD_WORKER = "caseload_worker"
    TIME_WORKER = "time_worker"


DASHBOARD_ONLY = frozenset({Indicator.CASELOAD_WORKER, Indicator.TIME_WORKER})


class Movement(enum.StrEnum):
    ROSE = "gestegen"
    STABLE = "gelijk"
    FELL = "gedaald"


# --------------------------------------------------------------------------- facts

# The facts are read by the ten thousand for one dashboard and never changed afterwards
# (nothing here assigns to them). They are plain slotted dataclasses, not frozen ones: a frozen
# dataclass's __init__ sets each field through object.__setattr__, four times the cost
# (0.63 against 0.16 us for a contact), ~15 ms of a whole read at 5,000 households.


@dataclass(slots=True)
class HouseholdFact:
    id: str
    wijk: str


@dataclass(slots=True)
class CaseFact:
    id: str
    household_id: str
    team_id: str
    regisseur_id: str
    referral_date: date
    closed_on: date | None = None
    case_team_ids: tuple[str, ...] = ()
    client_profile: int | None = None
    urgency: tuple[str, ...] = ()
    next_evaluation: date | None = None

    def ran_in(self, start: date, peil: date) -> bool:
        return self.referral_date <= peil and (self.closed_on is None or self.closed_on >= start)

    def open_on(self, day: date) -> bool:
        return self.referral_date <= day and (self.closed_on is None or self.closed_on > day)


@dataclass(slots=True)
class ContactFact:
    case_id: str
    household_id: str
    on: date
    minutes: int
    worker_id: str


@dataclass(slots=True)
class AssessmentFact:
    """A ZRM or ladder assessment: per item code its score (None: niet besproken)."""

    id: str
    household_id: str
    person_id: str | None
    definition_id: str
    definition_version: str
    assessed_on: date
    scores: tuple[tuple[str, int | None], ...]

    def score(self, code: str) -> int | None:
        for item, value in self.scores:
            if item == code:
                return value
        return None


@dataclass(slots=True)
class PlanVersionFact:
    id: str
    household_id: str
    number: int
    created_at: datetime
    history: tuple[tuple[PlanStatus, datetime], ...]  # (to status, at), in recorded order
    regisseur_id: str
    support: tuple[ProfessionalSupport, ...] = ()

    def status_on(self, day: date) -> PlanStatus | None:
        """The status after the last change on or before `day` (a later entry in the history
        wins a tie), None when the version did not exist yet."""
        found: tuple[datetime, int, PlanStatus] | None = None
        for position, (status, at) in enumerate(self.history):
            if at.date() <= day and (found is None or (at, position) >= found[:2]):
                found = (at, position, status)
        return found[2] if found else None


@dataclass(slots=True)
class SignatureFact:
    version_id: str
    household_id: str
    signed_on: date


@dataclass(slots=True)
class ToetsFact:
    version_id: str
    decided_at: datetime
    household_id: str = ""  # known when read from a case file (see `Facts.replacing`)


@dataclass(slots=True)
class RegieFact:
    id: str
    household_id: str
    direction: EscalationDirection
    at: datetime


@dataclass(slots=True)
class ExperienceFact:
    """A klantervaring questionnaire: per question code its score (None: not answered)."""

    id: str
    household_id: str
    answered_on: date
    answers: tuple[tuple[str, int | None], ...]
    questionnaire: str = QUESTIONNAIRE_ID


@dataclass(frozen=True, slots=True)
class Facts:
    households: Sequence[HouseholdFact] = ()
    cases: Sequence[CaseFact] = ()
    contacts: Sequence[ContactFact] = ()
    assessments: Sequence[AssessmentFact] = ()
    plan_versions: Sequence[PlanVersionFact] = ()
    signatures: Sequence[SignatureFact] = ()
    toetsen: Sequence[ToetsFact] = ()
    regie_events: Sequence[RegieFact] = ()
    mandates: Mapping[str, Mandate] = field(default_factory=dict)
    experiences: Sequence[ExperienceFact] = ()

    def replacing(self, households: Iterable[str], fresh: Facts) -> Facts:
        """These facts with everything of `households` replaced by `fresh`, which holds the
        facts of those households only (read again after they changed) and the mandates.
        A household's facts are all replaced together, so each household's own order is
        that of a whole read."""
        gone = frozenset(households)

        def keep(old: Sequence[Any], new: Sequence[Any]) -> list[Any]:
            return [*(f for f in old if f.household_id not in gone), *new]

        return Facts(
            households=[*(h for h in self.households if h.id not in gone), *fresh.households],
            cases=keep(self.cases, fresh.cases),
            contacts=keep(self.contacts, fresh.contacts),
            assessments=keep(self.assessments, fresh.assessments),
            plan_versions=keep(self.plan_versions, fresh.plan_versions),
            signatures=keep(self.signatures, fresh.signatures),
            toetsen=keep(self.toetsen, fresh.toetsen),
            regie_events=keep(self.regie_events, fresh.regie_events),
            mandates=fresh.mandates,
            experiences=keep(self.experiences, fresh.experiences),
        )


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure: `value` (None: nothing to compute), the `basis` it rests on (households,
    cases, persons or workers, see the catalogue) and the households behind it."""

    indicator: Indicator
    category: str
    value: int | float | None
    basis: int
    households: frozenset[str] = frozenset()


@dataclass(slots=True)
class HouseholdView:
    """A household in view and its reference case."""

    household_id: str
    wijk: str
    case: CaseFact


Figures = dict[tuple[Indicator, str], Figure]


def households_in_view(facts: Facts, start: date, peil: date) -> list[HouseholdView]:
    """Households with a case that ran in [start, peil], each with its reference case."""
    wijk = {h.id: h.wijk for h in facts.households}
    best: dict[str, CaseFact] = {}
    for case in facts.cases:
        if case.household_id not in wijk or not case.ran_in(start, peil):
            continue
        current = best.get(case.household_id)
        if current is None or (case.referral_date, case.id) > (current.referral_date,
                                                               current.id):
            best[case.household_id] = case
    return [HouseholdView(h, wijk[h], case) for h, case in best.items()]


def median(values: Sequence[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def mean(total: float, count: int) -> float | None:
    return total / count if count else None


def share(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


def movement(first: int, latest: int) -> Movement:
    if latest > first:
        return Movement.ROSE
    return Movement.STABLE if latest == first else Movement.FELL


def plan_needs_toets(version: PlanVersionFact, mandates: Mapping[str, Mandate]) -> bool:
    """The plan rule of `domain.plans.needs_toets`, for the professional support of a
    version and its regisseur's mandate (none known: no mandate at all)."""
    if not version.support:
        return False
    goal = Goal("", "", "", 1, 1, Horizon.EERSTE_STAP, professioneel=version.support)
    content = PlanContent(goals=(goal,), regisseur_id=version.regisseur_id)
    return needs_toets(content, mandates.get(version.regisseur_id, NO_MANDATE))


class _Group:
    """Collects the figures of one group."""

    def __init__(self) -> None:
        self.figures: Figures = {}

    def count(self, indicator: Indicator, households: Iterable[str], category: str = "",
              value: int | None = None) -> None:
        members = frozenset(households)
        n = len(members) if value is None else value
        self.figures[(indicator, category)] = Figure(indicator, category, n, n, members)

    def put(self, indicator: Indicator, value: int | float | None, basis: int,
            households: Iterable[str] = (), category: str = "") -> None:
        self.figures[(indicator, category)] = Figure(indicator, category, value, basis,
                                                     frozenset(households))


def compute(
    facts: Facts,
    start: date,
    peil: date,
    *,
    group_of: Callable[[HouseholdView], str] | None = None,
    include: Callable[[HouseholdView], bool] | None = None,
) -> dict[str, Figures]:
    """All indicators for [start, peil], per group (``group_of``; one group "" without it),
    for the households `include` accepts. Groups without any household are left out."""
    views = [v for v in households_in_view(facts, start, peil) if include is None or include(v)]
    group_by = group_of or (lambda _view: "")
    members: dict[str, list[HouseholdView]] = defaultdict(list)
    for view in views:
        members[group_by(view)].append(view)
    index = _Index(facts)
    return {name: _compute_group(index, group, start, peil) for name, group in members.items()}


class _Index:
    """The facts indexed by household (and version), built once per computation."""

    def __init__(self, facts: Facts) -> None:
        self.facts = facts
        self.cases: dict[str, list[CaseFact]] = defaultdict(list)
        for case in facts.cases:
            self.cases[case.household_id].append(case)
        self.contacts: dict[str, list[ContactFact]] = defaultdict(list)
        for contact in facts.contacts:
            self.contacts[contact.household_id].append(contact)
        self.assessments: dict[str, list[AssessmentFact]] = defaultdict(list)
        for assessment in facts.assessments:
            self.assessments[assessment.household_id].append(assessment)
        self.versions: dict[str, list[PlanVersionFact]] = defaultdict(list)
        self.version_by_id: dict[str, PlanVersionFact] = {}
        for version in facts.plan_versions:
            self.versions[version.household_id].append(version)
            self.version_by_id[version.id] = version
        self.signatures: dict[str, list[SignatureFact]] = defaultdict(list)
        for signature in facts.signatures:
            self.signatures[signature.household_id].append(signature)
        self.toetsen: dict[str, list[ToetsFact]] = defaultdict(list)
        for toets in facts.toetsen:
            self.toetsen[toets.version_id].append(toets)
        self.regie: dict[str, list[RegieFact]] = defaultdict(list)
        for event in facts.regie_events:
            self.regie[event.household_id].append(event)
        self.experiences: dict[str, list[ExperienceFact]] = defaultdict(list)
        for experience in facts.experiences:
            self.experiences[experience.household_id].append(experience)


def _compute_group(index: _Index, views: list[HouseholdView], start: date,
                   peil: date) -> Figures:
    g = _Group()
    ids = [v.household_id for v in views]
    g.count(Indicator.HOUSEHOLDS_IN_VIEW, ids)
    _cases(index, g, views, start, peil)
    _caseload(g, views, peil)
    _plans(index, g, views, peil)
    _lead_times(index, g, views, start, peil)
    _profiles(g, views)
    _measurements(index, g, views, start, peil)
    _escalation(index, g, views, start, peil)
    _time(index, g, views, start, peil)
    _experience(index, g, views, start, peil)
    return g.figures


def _new_cases(index: _Index, views: list[HouseholdView], start: date,
               peil: date) -> list[CaseFact]:
    return [c for v in views for c in index.cases[v.household_id]
            if start <= c.referral_date <= peil]


def _cases(index: _Index, g: _Group, views: list[HouseholdView], start: date,
           peil: date) -> None:
    new = _new_cases(index, views, start, peil)
    g.count(Indicator.REFERRALS_NEW, (c.household_id for c in new), value=len(new))
    closed = [c for v in views for c in index.cases[v.household_id]
              if c.closed_on is not None and start <= c.closed_on <= peil]
    g.count(Indicator.CASES_CLOSED, (c.household_id for c in closed), value=len(closed))
    # Relapse: a new case within RELAPSE_DAYS after an earlier case of the household closed.
    relapsed: set[str] = set()
    for case in new:
        for other in index.cases[case.household_id]:
            if (other.id != case.id and other.closed_on is not None
                    and other.closed_on <= case.referral_date
                    and (case.referral_date - other.closed_on).days <= RELAPSE_DAYS):
                relapsed.add(case.household_id)
    with_new = {c.household_id for c in new}
    g.count(Indicator.RELAPSE, relapsed)
    g.put(Indicator.RELAPSE_SHARE, share(len(relapsed), len(with_new)), len(with_new), relapsed)


def _caseload(g: _Group, views: list[HouseholdView], peil: date) -> None:
    open_views = [v for v in views if v.case.open_on(peil)]
    g.count(Indicator.OPEN_ON_PEILDATUM, (v.household_id for v in open_views))
    per_worker: dict[str, set[str]] = defaultdict(set)
    for view in open_views:
        per_worker[view.case.regisseur_id].add(view.household_id)
    for worker, households in per_worker.items():
        g.count(Indicator.CASELOAD_WORKER, households, category=worker)
    g.put(Indicator.REGISSEURS, len(per_worker), len(per_worker))
    g.put(Indicator.CASELOAD_MEAN, mean(len(open_views), len(per_worker)), len(open_views),
          (v.household_id for v in open_views))
    if per_worker:
        highest = max(len(h) for h in per_worker.values())
        busiest = {h for hs in per_worker.values() if len(hs) == highest for h in hs}
        g.put(Indicator.CASELOAD_MAX, highest, highest, busiest)
    else:
        g.put(Indicator.CASELOAD_MAX, None, 0)
    overdue = [v.household_id for v in open_views
               if v.case.next_evaluation is not None and v.case.next_evaluation < peil]
    g.count(Indicator.EVALUATIONS_OVERDUE, overdue)


def _plans(index: _Index, g: _Group, views: list[HouseholdView], peil: date) -> None:
    review: list[str] = []
    toets: list[str] = []
    for view in views:
        versions = [v for v in index.versions[view.household_id]
                    if v.created_at.date() <= peil]
        if not versions:
            continue
        latest = max(versions, key=lambda v: (v.number, v.id))
        status = latest.status_on(peil)
        if status is PlanStatus.TER_BEOORDELING:
            review.append(view.household_id)
        if (status in TOETS_STATUSES
                and plan_needs_toets(latest, index.facts.mandates)
                and not any(t.decided_at.date() <= peil for t in index.toetsen[latest.id])):
            toets.append(view.household_id)
    g.count(Indicator.PLANS_WAITING_REVIEW, review)
    g.count(Indicator.PLANS_WAITING_TOETS, toets)


def _lead_times(index: _Index, g: _Group, views: list[HouseholdView], start: date,
                peil: date) -> None:
    new = _new_cases(index, views, start, peil)
    to_contact: list[int] = []
    contacted: set[str] = set()
    waiting: list[CaseFact] = []
    to_plan: list[int] = []
    planned: set[str] = set()
    for case in new:
        days = [c.on for c in index.contacts[case.household_id]
                if c.case_id == case.id and case.referral_date <= c.on <= peil]
        if days:
            to_contact.append((min(days) - case.referral_date).days)
            contacted.add(case.household_id)
        else:
            waiting.append(case)
        signed = [s.signed_on for s in index.signatures[case.household_id]
                  if case.referral_date <= s.signed_on <= peil]
        if signed:
            to_plan.append((min(signed) - case.referral_date).days)
            planned.add(case.household_id)
    g.put(Indicator.FIRST_CONTACT_DAYS_MEDIAN, median(to_contact), len(to_contact), contacted)
    g.put(Indicator.FIRST_CONTACT_DAYS_MEAN, mean(sum(to_contact), len(to_contact)),
          len(to_contact), contacted)
    g.count(Indicator.FIRST_CONTACT_WAITING, (c.household_id for c in waiting),
            value=len(waiting))
    g.put(Indicator.SIGNED_PLAN_DAYS_MEDIAN, median(to_plan), len(to_plan), planned)
    g.put(Indicator.SIGNED_PLAN_DAYS_MEAN, mean(sum(to_plan), len(to_plan)), len(to_plan),
          planned)


def _profiles(g: _Group, views: list[HouseholdView]) -> None:
    profiles: dict[str, list[str]] = {str(n): [] for n in range(1, 6)}
    profiles[NO_PROFILE] = []
    urgency: dict[str, list[str]] = {u.value: [] for u in UrgencyCriterion}
    urgency[NO_URGENCY] = []
    for view in views:
        key = str(view.case.client_profile) if view.case.client_profile else NO_PROFILE
        profiles.setdefault(key, []).append(view.household_id)
        criteria = set(view.case.urgency) or {NO_URGENCY}
        for criterion in criteria:
            urgency.setdefault(criterion, []).append(view.household_id)
    for key, households in profiles.items():
        g.count(Indicator.CLIENT_PROFILE, households, category=key)
    for key, households in urgency.items():
        g.count(Indicator.URGENCY, households, category=key)


def _pairs(assessments: Iterable[AssessmentFact], start: date,
           peil: date) -> list[tuple[AssessmentFact, AssessmentFact]]:
    """(first, latest) per client and instrument version, when the latest is in the period."""
    series: dict[tuple[str, str, str], list[AssessmentFact]] = defaultdict(list)
    for a in assessments:
        if a.assessed_on <= peil:
            subject = a.person_id or f"huishouden:{a.household_id}"
            series[(subject, a.definition_id, a.definition_version)].append(a)
    pairs = []
    for items in series.values():
        if len(items) < 2:
            continue
        items.sort(key=lambda a: (a.assessed_on, a.id))
        if items[-1].assessed_on >= start:
            pairs.append((items[0], items[-1]))
    return pairs


def zrm_category(definition_id: str, version: str, item_code: str) -> str:
    return f"{definition_id}/{version}/{item_code}"


def _measurements(index: _Index, g: _Group, views: list[HouseholdView], start: date,
                  peil: date) -> None:
    assessments = [a for v in views for a in index.assessments[v.household_id]]
    zrm = [a for a in assessments if a.definition_id.startswith(ZRM_PREFIX)]
    ladder = [a for a in assessments
              if a.definition_id == PARTICIPATIELADDER_ID and a.person_id is not None]
    # Per category and movement: the household of each client that moved so.
    moves: dict[str, dict[Movement, list[str]]] = defaultdict(
        lambda: {m: [] for m in Movement})
    deltas: dict[str, list[int]] = defaultdict(list)
    for first, latest in _pairs(zrm, start, peil):
        household = latest.household_id
        prefix = zrm_category(latest.definition_id, latest.definition_version, "")
        later: dict[str, int | None] = {}
        for code, value in latest.scores:
            later.setdefault(code, value)  # the first entry of a code, as `score` reads it
        for code, before in first.scores:
            after = later.get(code)
            if before is None or after is None:
                continue
            category = prefix + code  # zrm_category(..., code), once per pair
            moves[category][movement(before, after)].append(household)
            deltas[category].append(after - before)
    for category, by_move in moves.items():
        for move, indicator in ((Movement.ROSE, Indicator.ZRM_ROSE),
                                (Movement.STABLE, Indicator.ZRM_STABLE),
                                (Movement.FELL, Indicator.ZRM_FELL)):
            clients = by_move[move]
            g.put(indicator, len(clients), len(clients), clients, category)
        values = deltas[category]
        households = {h for clients in by_move.values() for h in clients}
        g.put(Indicator.ZRM_MEAN_CHANGE, mean(sum(values), len(values)), len(values),
              households, category)
    # Per person and ladder version (in practice one version).
    ladder_moves: dict[Movement, dict[tuple[str, str], str]] = {m: {} for m in Movement}
    for first, latest in _pairs(ladder, start, peil):
        before, after = first.score(LADDER_ITEM_CODE), latest.score(LADDER_ITEM_CODE)
        if before is None or after is None or latest.person_id is None:
            continue
        key = (latest.person_id, latest.definition_version)
        ladder_moves[movement(before, after)][key] = latest.household_id
    for move, persons in ladder_moves.items():
        g.put(Indicator.LADDER_MOVEMENT, len(persons), len(persons), persons.values(),
              move.value)
    measured = sum(len(p) for p in ladder_moves.values())
    good = {**ladder_moves[Movement.ROSE], **ladder_moves[Movement.STABLE]}
    g.put(Indicator.LADDER_RISE_OR_STABLE_SHARE, share(len(good), measured), measured,
          good.values())


def _escalation(index: _Index, g: _Group, views: list[HouseholdView], start: date,
                peil: date) -> None:
    individual: set[str] = set()
    heavy: set[str] = set()
    for view in views:
        h = view.household_id
        for signature in index.signatures[h]:
            version = index.version_by_id.get(signature.version_id)
            if signature.signed_on > peil or version is None:
                continue
            if any(s.start <= peil and s.end >= start for s in version.support):
                individual.add(h)
                break
        events = [e for e in index.regie[h] if e.at.date() <= peil]
        if events and max(events, key=lambda e: (e.at, e.id)).direction is (
                EscalationDirection.OPSCHALEN):
            heavy.add(h)
    either = individual | heavy
    g.count(Indicator.ESCALATION_INDIVIDUAL, individual)
    g.count(Indicator.ESCALATION_HEAVY, heavy)
    g.count(Indicator.ESCALATION, either)
    g.put(Indicator.ESCALATION_SHARE, share(len(either), len(views)), len(views), either)


def _time(index: _Index, g: _Group, views: list[HouseholdView], start: date,
          peil: date) -> None:
    running = [c for v in views for c in index.cases[v.household_id] if c.ran_in(start, peil)]
    total = 0
    per_worker: dict[str, int] = defaultdict(int)
    worker_households: dict[str, set[str]] = defaultdict(set)
    households: set[str] = set()
    for view in views:
        for contact in index.contacts[view.household_id]:
            if start <= contact.on <= peil:
                total += contact.minutes
                per_worker[contact.worker_id] += contact.minutes
                worker_households[contact.worker_id].add(view.household_id)
                households.add(view.household_id)
    g.put(Indicator.TIME_TOTAL_MINUTES, total, len(running), households)
    g.put(Indicator.TIME_PER_CASE_MEAN, mean(total, len(running)), len(running), households)
    g.put(Indicator.TIME_WORKERS, len(per_worker), len(per_worker), households)
    g.put(Indicator.TIME_PER_WORKER_MEAN, mean(total, len(per_worker)), len(per_worker),
          households)
    for worker, minutes in per_worker.items():
        g.put(Indicator.TIME_WORKER, minutes, len(worker_households[worker]),
              worker_households[worker], worker)


def _experience(index: _Index, g: _Group, views: list[HouseholdView], start: date,
                peil: date) -> None:
    responses = [e for v in views for e in index.experiences[v.household_id]
                 if e.questionnaire == QUESTIONNAIRE_ID and start <= e.answered_on <= peil]
    g.put(Indicator.EXPERIENCE_RESPONSES, len(responses), len(responses))
    for question in QUESTIONS:
        scores = [score for e in responses for code, score in e.answers
                  if code == question.code and score is not None and score in SCALE]
        n = len(scores)
        agreed = sum(1 for score in scores if score >= EXPERIENCE_AGREE)
        g.put(Indicator.EXPERIENCE_MEAN, mean(sum(scores), n), n, category=question.code)
        g.put(Indicator.EXPERIENCE_AGREE_SHARE, share(agreed, n), n, category=question.code)
