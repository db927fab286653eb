"""Small steering scenarios whose right answers are known by hand, one per indicator group.

Each `Scenario` holds the facts and the expected figures. `tests/unit/test_indicators.py`
checks the app's domain against them, `tests/server/test_reporting_sql.py` the server's SQL
(SQLite and PostgreSQL) against the same answers and against the domain, row for row.
Period: the second half of 2026; today 15 January 2027, so the peildatum is 31 December 2026.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from wijkteam_app.domain.indicators import (
    AssessmentFact,
    CaseFact,
    ContactFact,
    ExperienceFact,
    Facts,
    HouseholdFact,
    PlanVersionFact,
    RegieFact,
    SignatureFact,
    ToetsFact,
)
from wijkteam_app.domain.instruments import PARTICIPATIELADDER_ID
from wijkteam_app.domain.plans import (
    EscalationDirection,
    Mandate,
    PlanStatus,
    ProfessionalSupport,
)

START, PEIL, TODAY = date(2026, 7, 1), date(2026, 12, 31), date(2027, 1, 15)
TEAM = "T"

Key = tuple[str, str]


@dataclass(frozen=True)
class Scenario:
    name: str
    facts: Facts
    values: dict[Key, object]  # (indicator, category) -> expected value
    households: dict[Key, set[str]] = field(default_factory=dict)  # who is behind it
    bases: dict[Key, int] = field(default_factory=dict)


def hh(*ids: str, wijk: str = "Noord") -> list[HouseholdFact]:
    return [HouseholdFact(i, wijk) for i in ids]


def case(cid: str, household: str, referral: date, closed: date | None = None, *,
         regisseur: str = "A", **kw: object) -> CaseFact:
    return CaseFact(cid, household, TEAM, regisseur, referral, closed, **kw)  # type: ignore[arg-type]


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour)


def contact(cid: str, household: str, on: date, minutes: int = 30, worker: str = "A",
            ) -> ContactFact:
    return ContactFact(cid, household, on, minutes, worker)


def version(vid: str, household: str, number: int, history: list[tuple[PlanStatus, date]],
            support: tuple[ProfessionalSupport, ...] = (), regisseur: str = "A",
            ) -> PlanVersionFact:
    return PlanVersionFact(vid, household, number, at(history[0][1]),
                           tuple((s, at(d)) for s, d in history), regisseur, support)


def support(code: str = "L06SB1", cents: int = 100_000, start: date = date(2026, 8, 1),
            end: date = date(2027, 2, 1)) -> ProfessionalSupport:
    return ProfessionalSupport(code, "Product", "Aanbieder", 1, "04", "2", start, end, cents)


def zrm(aid: str, household: str, person: str | None, on: date, scores: dict[str, int | None],
        definition: str = "zrm-2017", version_: str = "2017") -> AssessmentFact:
    return AssessmentFact(aid, household, person, definition, version_, on,
                          tuple(scores.items()))


def ladder(aid: str, household: str, person: str, on: date, rung: int | None,
           ) -> AssessmentFact:
    return AssessmentFact(aid, household, person, PARTICIPATIELADDER_ID, "2008", on,
                          (("trede", rung),))


def in_view() -> Scenario:
    facts = Facts(hh("before", "edge", "open", "later", "closed_in"), [
        case("c1", "before", date(2026, 3, 1), date(2026, 6, 30)),  # closed the day before
        case("c2", "edge", date(2026, 3, 1), date(2026, 7, 1)),  # closed on the first day
        case("c3", "open", date(2025, 1, 1)),
        case("c4", "later", date(2027, 1, 2)),  # after the peildatum
        case("c5", "closed_in", date(2026, 8, 1), date(2026, 9, 1)),
    ])
    return Scenario("in view", facts, {
        ("households_in_view", ""): 3, ("referrals_new", ""): 1, ("cases_closed", ""): 2,
        ("open_on_peildatum", ""): 1,
    }, {("households_in_view", ""): {"edge", "open", "closed_in"}})


def caseload() -> Scenario:
    facts = Facts(hh("h1", "h2", "h3", "h4", "h5"), [
        case("c1", "h1", date(2026, 1, 1), regisseur="A"),
        case("c2", "h2", date(2026, 2, 1), regisseur="A"),
        case("c3", "h3", date(2026, 8, 1), regisseur="A"),
        case("c4", "h4", date(2026, 9, 1), regisseur="B"),
        case("c5", "h5", date(2026, 9, 1), date(2026, 10, 1), regisseur="B"),  # closed
        case("c0", "h1", date(2025, 1, 1), regisseur="C"),  # not h1's reference case
    ])
    return Scenario("caseload", facts, {
        ("open_on_peildatum", ""): 4, ("regisseurs", ""): 2, ("caseload_mean", ""): 2.0,
        ("caseload_max", ""): 3,
    }, {("caseload_max", ""): {"h1", "h2", "h3"}})


def plans() -> Scenario:
    c, tb, gk = PlanStatus.CONCEPT, PlanStatus.TER_BEOORDELING, PlanStatus.GOEDGEKEURD
    households = ["review", "toets", "toetsed", "within", "late", "newer", "noplan"]
    facts = Facts(
        hh(*households),
        [case(f"c-{h}", h, date(2026, 8, 1)) for h in households],
        plan_versions=[
            version("v1", "review", 1, [(c, date(2026, 10, 1)), (tb, date(2026, 11, 1))]),
            # approved, maatwerk outside A's mandate, no toets yet: waits for the toets
            version("v2", "toets", 1, [(c, date(2026, 10, 1)), (tb, date(2026, 10, 2)),
                                       (gk, date(2026, 10, 3))], (support("L99XX9"),)),
            version("v3", "toetsed", 1, [(c, date(2026, 10, 1)), (gk, date(2026, 10, 3))],
                    (support("L99XX9"),)),
            # within the mandate: no toets needed
            version("v4", "within", 1, [(c, date(2026, 10, 1)), (gk, date(2026, 10, 3))],
                    (support("L06SB1", 50_000), support("L06SB1", 40_000))),
            # submitted only after the peildatum: a concept on the peildatum
            version("v5", "late", 1, [(c, date(2026, 12, 1)), (tb, date(2027, 1, 3))]),
            # version 1 under review, but a newer concept (version 2) exists by then
            version("v6", "newer", 1, [(c, date(2026, 9, 1)), (tb, date(2026, 9, 2))]),
            version("v7", "newer", 2, [(c, date(2026, 12, 1))]),
        ],
        toetsen=[ToetsFact("v3", at(date(2026, 10, 20)))],
        mandates={"A": Mandate(100_000, frozenset({"L06SB1"}))},
    )
    return Scenario("plans", facts, {
        ("plans_waiting_review", ""): 1, ("plans_waiting_toets", ""): 1,
    }, {("plans_waiting_review", ""): {"review"}, ("plans_waiting_toets", ""): {"toets"}})


def plans_without_mandate() -> Scenario:
    base = plans().facts
    facts = Facts(base.households, base.cases, plan_versions=base.plan_versions,
                  toetsen=base.toetsen)
    return Scenario("plans, no mandate known", facts, {("plans_waiting_toets", ""): 2},
                    {("plans_waiting_toets", ""): {"toets", "within"}})


def mandate_total() -> Scenario:
    """Products within the mandate, but together above its maximum."""
    base = plans().facts
    return Scenario("plans, total above the maximum", Facts(
        base.households, base.cases, plan_versions=base.plan_versions, toetsen=base.toetsen,
        mandates={"A": Mandate(80_000, frozenset({"L06SB1", "L99XX9"}))}),
        {("plans_waiting_toets", ""): 2},
        {("plans_waiting_toets", ""): {"toets", "within"}})


def overdue() -> Scenario:
    facts = Facts(hh("late", "fine", "closed", "none"), [
        case("c1", "late", date(2026, 8, 1), next_evaluation=date(2026, 12, 1)),
        case("c2", "fine", date(2026, 8, 1), next_evaluation=date(2027, 1, 15)),
        case("c3", "closed", date(2026, 8, 1), date(2026, 11, 1),
             next_evaluation=date(2026, 10, 1)),
        case("c4", "none", date(2026, 8, 1)),
    ])
    return Scenario("evaluations overdue", facts, {("evaluations_overdue", ""): 1},
                    {("evaluations_overdue", ""): {"late"}})


def lead_times() -> Scenario:
    r = date(2026, 9, 1)
    facts = Facts(
        hh("h1", "h2", "h3", "h4", "old"),
        [case("c1", "h1", r), case("c2", "h2", r), case("c3", "h3", r), case("c4", "h4", r),
         case("c5", "old", date(2026, 1, 1))],  # referred before the period
        contacts=[
            contact("c1", "h1", date(2026, 8, 20)),  # before the referral: ignored
            contact("c1", "h1", date(2026, 9, 3)),  # 2 days
            contact("c1", "h1", date(2026, 9, 10)),
            contact("c2", "h2", date(2026, 9, 5)),  # 4 days
            contact("c3", "h3", date(2026, 9, 10)),  # 9 days
            contact("c4", "h4", date(2027, 1, 2)),  # after the peildatum: still waiting
            contact("c5", "old", date(2026, 1, 2)),
        ],
        signatures=[SignatureFact("v", "h1", date(2026, 10, 1)),  # 30 days
                    SignatureFact("v", "h1", date(2026, 11, 1)),
                    SignatureFact("v", "h2", date(2026, 11, 30)),  # 90 days
                    SignatureFact("v", "h3", date(2027, 1, 5))],  # after the peildatum
    )
    return Scenario("lead times", facts, {
        ("first_contact_days_median", ""): 4.0, ("first_contact_days_mean", ""): 5.0,
        ("first_contact_waiting", ""): 1, ("signed_plan_days_median", ""): 60.0,
        ("signed_plan_days_mean", ""): 60.0,
    }, {("first_contact_waiting", ""): {"h4"}},
        {("first_contact_days_median", ""): 3, ("signed_plan_days_mean", ""): 2})


def profiles() -> Scenario:
    facts = Facts(hh("h1", "h2", "h3", "h4"), [
        case("c1", "h1", date(2026, 8, 1), client_profile=3,
             urgency=("huiselijk_geweld", "kwetsbaarheid")),
        case("c2", "h2", date(2026, 8, 1), client_profile=3, urgency=("kwetsbaarheid",)),
        case("c3", "h3", date(2026, 8, 1), client_profile=5),
        case("c4", "h4", date(2026, 8, 1)),
    ])
    return Scenario("profiles and urgency", facts, {
        ("client_profile", "1"): 0, ("client_profile", "3"): 2, ("client_profile", "5"): 1,
        ("client_profile", "onbekend"): 1, ("urgency", "kwetsbaarheid"): 2,
        ("urgency", "huiselijk_geweld"): 1, ("urgency", "geen"): 2,
        ("urgency", "dakloosheid"): 0,
    })


def zrm_movement() -> Scenario:
    early, mid, late = date(2026, 3, 1), date(2026, 8, 1), date(2026, 11, 1)
    facts = Facts(
        hh("h1", "h2", "h3", "h4"),
        [case(f"c{n}", f"h{n}", date(2026, 1, 1)) for n in range(1, 5)],
        assessments=[
            # p1: financien 2 -> 4 (the middle one is ignored), huisvesting 3 -> 3
            zrm("a1", "h1", "p1", early, {"financien": 2, "huisvesting": 3}),
            zrm("a2", "h1", "p1", mid, {"financien": 1, "huisvesting": 1}),
            zrm("a3", "h1", "p1", late, {"financien": 4, "huisvesting": 3}),
            # p2: financien 4 -> 2; huisvesting not discussed at first: skipped
            zrm("a4", "h2", "p2", early, {"financien": 4, "huisvesting": None}),
            zrm("a5", "h2", "p2", late, {"financien": 2, "huisvesting": 5}),
            # p3: ZRM 2013 then ZRM 2017: never compared across versions
            zrm("a6", "h3", "p3", early, {"financien": 1}, "zrm-2013", "2013"),
            zrm("a7", "h3", "p3", late, {"financien": 5}),
            # p4: both before the period: no movement in this period
            zrm("a8", "h4", "p4", date(2026, 1, 5), {"financien": 1}),
            zrm("a9", "h4", "p4", date(2026, 2, 5), {"financien": 3}),
            # the household as a whole (ZRM-Huishoudens)
            zrm("a10", "h4", None, early, {"huisvesting": 2}, "zrm-huishoudens", "2019"),
            zrm("a11", "h4", None, late, {"huisvesting": 3}, "zrm-huishoudens", "2019"),
        ],
    )
    fin, huis = "zrm-2017/2017/financien", "zrm-2017/2017/huisvesting"
    return Scenario("zrm movement", facts, {
        ("zrm_rose", fin): 1, ("zrm_stable", fin): 0, ("zrm_fell", fin): 1,
        ("zrm_mean_change", fin): 0.0, ("zrm_rose", huis): 0, ("zrm_stable", huis): 1,
        ("zrm_rose", "zrm-huishoudens/2019/huisvesting"): 1,
    }, {("zrm_rose", fin): {"h1"}}, {("zrm_mean_change", huis): 1})


def ladder_movement() -> Scenario:
    first, last = date(2026, 2, 1), date(2026, 10, 1)
    facts = Facts(
        hh("h1", "h2", "h3", "h4", "h5"),
        [case(f"c{n}", f"h{n}", date(2026, 1, 1)) for n in range(1, 6)],
        assessments=[
            ladder("l1", "h1", "p1", first, 1), ladder("l2", "h1", "p1", last, 2),
            ladder("l3", "h2", "p2", first, 2), ladder("l4", "h2", "p2", last, 4),
            ladder("l5", "h3", "p3", first, 3), ladder("l6", "h3", "p3", last, 4),
            ladder("l7", "h4", "p4", first, 4), ladder("l8", "h4", "p4", last, 3),
            ladder("l9", "h5", "p5", last, 6),  # only one measurement
        ],
    )
    return Scenario("3 of 4 rose on the ladder", facts, {
        ("ladder_movement", "gestegen"): 3, ("ladder_movement", "gelijk"): 0,
        ("ladder_movement", "gedaald"): 1, ("ladder_rise_or_stable_share", ""): 75.0,
    }, {("ladder_movement", "gestegen"): {"h1", "h2", "h3"}},
        {("ladder_rise_or_stable_share", ""): 4})


def escalation() -> Scenario:
    households = ["indiv", "ended", "unsigned", "heavy", "back", "none"]
    up, down = EscalationDirection.OPSCHALEN, EscalationDirection.AFSCHALEN
    signed = [(PlanStatus.CONCEPT, date(2026, 6, 1)), (PlanStatus.ONDERTEKEND, date(2026, 6, 5))]
    facts = Facts(
        hh(*households), [case(f"c-{h}", h, date(2026, 1, 1)) for h in households],
        plan_versions=[
            version("v1", "indiv", 1, signed, (support(start=date(2026, 6, 1),
                                                       end=date(2026, 7, 1)),)),
            version("v2", "ended", 1, signed, (support(start=date(2026, 1, 1),
                                                       end=date(2026, 6, 30)),)),
            version("v3", "unsigned", 1, signed, (support(),)),
        ],
        signatures=[SignatureFact("v1", "indiv", date(2026, 6, 5)),
                    SignatureFact("v2", "ended", date(2026, 6, 5))],
        regie_events=[
            RegieFact("e1", "heavy", up, at(date(2026, 9, 1))),
            RegieFact("e2", "back", up, at(date(2026, 8, 1))),
            RegieFact("e3", "back", down, at(date(2026, 10, 1))),
            RegieFact("e4", "none", up, at(date(2027, 1, 2))),  # after the peildatum
        ],
    )
    return Scenario("escalation", facts, {
        ("escalation_individual", ""): 1, ("escalation_heavy", ""): 1, ("escalation", ""): 2,
        ("escalation_share", ""): 100 * 2 / 6,
    }, {("escalation_individual", ""): {"indiv"}, ("escalation_heavy", ""): {"heavy"}},
        {("escalation_share", ""): 6})


def relapse() -> Scenario:
    facts = Facts(hh("back", "long", "first"), [
        case("b1", "back", date(2025, 10, 1), date(2026, 2, 1)),
        case("b2", "back", date(2026, 8, 1)),  # 181 days after closing: relapse
        case("l1", "long", date(2025, 1, 1), date(2025, 5, 1)),
        case("l2", "long", date(2026, 8, 1)),  # 457 days: not a relapse
        case("f1", "first", date(2026, 1, 1)),  # no new case in the period
    ])
    return Scenario("relapse", facts, {("relapse", ""): 1, ("relapse_share", ""): 50.0},
                    {("relapse", ""): {"back"}}, {("relapse_share", ""): 2})


def time_spent() -> Scenario:
    facts = Facts(
        hh("h1", "h2", "h3"),
        [case("c1", "h1", date(2026, 1, 1)), case("c2", "h2", date(2026, 8, 1)),
         case("c3", "h3", date(2026, 8, 1))],
        contacts=[contact("c1", "h1", date(2026, 7, 1), 60, "A"),
                  contact("c1", "h1", date(2026, 6, 30), 600, "A"),  # before the period
                  contact("c2", "h2", date(2026, 9, 1), 30, "A"),
                  contact("c2", "h2", date(2026, 9, 2), 45, "B")],
    )
    return Scenario("time", facts, {
        ("time_total_minutes", ""): 135, ("time_per_case_mean", ""): 45.0,
        ("time_workers", ""): 2, ("time_per_worker_mean", ""): 67.5,
    })


def experience(xid: str, household: str, on: date, *scores: int | None,
               questionnaire: str = "klantervaring/1") -> ExperienceFact:
    questions = ("gehoord", "eigen_regie", "netwerk", "passend", "zelfredzaam")
    return ExperienceFact(xid, household, on, tuple(zip(questions, scores, strict=True)),
                          questionnaire)


def client_experience() -> Scenario:
    """Six questionnaires in the period; one before, one after, one of another questionnaire
    and one of a household out of view do not count."""
    facts = Facts(
        hh("h1", "h2", "h3", "h4", "h5", "h6", "gone"),
        [*(case(f"c{n}", f"h{n}", date(2026, 1, 1)) for n in range(1, 7)),
         case("cg", "gone", date(2025, 1, 1), date(2026, 5, 1))],
        experiences=[
            experience("e1", "h1", date(2026, 8, 1), 5, 4, 2, None, 3),
            experience("e2", "h2", date(2026, 9, 1), 4, 4, 3, 5, None),
            experience("e3", "h3", date(2026, 10, 1), 2, 5, None, 4, 1),
            experience("e4", "h4", date(2026, 11, 1), 3, 3, 4, 4, 2),
            experience("e5", "h5", date(2026, 12, 1), 5, 2, 5, None, 4),
            experience("e6", "h5", date(2026, 12, 31), 4, 4, 1, 3, 5),  # on the peildatum
            experience("e7", "h6", date(2026, 6, 30), 1, 1, 1, 1, 1),  # before the period
            experience("e8", "h6", date(2027, 1, 2), 1, 1, 1, 1, 1),  # after the peildatum
            experience("e9", "h6", date(2026, 8, 1), 1, 1, 1, 1, 1,
                       questionnaire="klantervaring/0"),
            experience("e10", "gone", date(2026, 8, 1), 1, 1, 1, 1, 1),  # not in view
        ],
    )
    return Scenario("client experience", facts, {
        ("experience_responses", ""): 6,
        ("experience_mean", "gehoord"): 23 / 6, ("experience_agree_share", "gehoord"): 400 / 6,
        ("experience_mean", "eigen_regie"): 22 / 6,
        ("experience_agree_share", "eigen_regie"): 400 / 6,
        ("experience_mean", "netwerk"): 3.0, ("experience_agree_share", "netwerk"): 40.0,
        ("experience_mean", "passend"): 4.0, ("experience_agree_share", "passend"): 75.0,
        ("experience_mean", "zelfredzaam"): 3.0,
        ("experience_agree_share", "zelfredzaam"): 40.0,
    }, {("experience_responses", ""): set(), ("experience_mean", "gehoord"): set()},
        {("experience_mean", "netwerk"): 5, ("experience_agree_share", "passend"): 4,
         ("experience_mean", "gehoord"): 6})


SCENARIOS = [in_view(), caseload(), plans(), plans_without_mandate(), mandate_total(),
             overdue(), lead_times(), profiles(), zrm_movement(), ladder_movement(),
             escalation(), relapse(), time_spent(), client_experience()]
