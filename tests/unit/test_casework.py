"""Domain rules of issue 13: financing per provision, case conferences, the stuck case, the
keukentafel report, the resident's voice and the deadlines computed from the case file."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

import pytest

from wijkteam_app.catalogs import load_code_lists
from wijkteam_app.domain import client_experience as cx
from wijkteam_app.domain.cases import Case, CaseStatus, Complexity, ReferralSource
from wijkteam_app.domain.conferences import (
    CaseConference,
    ConferenceAgreement,
    ConferenceKind,
    ConferenceReferences,
    Party,
    PartyKind,
    agreements_into_goal,
    mark_in_plan,
    validate_conference,
)
from wijkteam_app.domain.deadlines import (
    WAAKVLAM_INTERVAL,
    CaseFacts,
    DeadlineKind,
    OpenAgreement,
    case_deadlines,
    due_soon,
)
from wijkteam_app.domain.kitchen_table import (
    IssueMethod,
    KitchenTableContent,
    KitchenTableReport,
    ReportParticipants,
    ReportReferences,
    fingerprint,
    next_number,
    validate_report,
)
from wijkteam_app.domain.plans import (
    EigenBijdrage,
    Financing,
    Goal,
    Horizon,
    Mandate,
    NetworkAgreement,
    OtherAgreement,
    PlanContent,
    PlanReferences,
    PlanStatus,
    ProfessionalSupport,
    content_fingerprint,
    needs_toets,
    to_plain,
    toets_reasons,
    validate_for_submission,
    validate_goal,
)
from wijkteam_app.domain.stuck import (
    AlreadyFlagged,
    EventKind,
    StuckDecision,
    StuckFlag,
    StuckRuleViolation,
    check_decision,
    check_flag,
    history,
    open_flag,
)
from wijkteam_app.domain.validation import ErrorCode, FieldError
from wijkteam_app.domain.workers import Role
from wijkteam_app.sync.authority import toets_needed

TODAY = date(2026, 3, 10)
T0 = datetime(2026, 3, 10, 9, 30)


def codes(errors: list[FieldError]) -> dict[str, ErrorCode]:
    return {e.field: e.code for e in errors}


# --- financing -------------------------------------------------------------------------------


def support(financing: Financing | None = Financing.ZORG_IN_NATURA,
            contribution: EigenBijdrage | None = EigenBijdrage.ABONNEMENTSTARIEF,
            code: str = "L02BI1", cents: int = 100_000) -> ProfessionalSupport:
    return ProfessionalSupport(code, "Begeleiding", "Zorggroep", 2, "04", "2",
                               date(2026, 4, 1), date(2026, 9, 30), cents, financing,
                               contribution)


def content_with(*supports: ProfessionalSupport) -> PlanContent:
    goal = Goal("g-1", "financien", "Overzicht over geld.", 2, 4, Horizon.DRIE_MAANDEN,
                professioneel=supports)
    return PlanContent(participants=dataclasses.replace(PlanContent().participants,
                                                        person_ids=("p-1",)),
                       question="Hulp bij geld.", goals=(goal,), regisseur_id="w-1",
                       evaluation_dates=(date(2026, 6, 1),))


def test_content_made_before_financing_keeps_its_fingerprint() -> None:
    """Signatures bind the fingerprint: a provision without financing (every plan signed
    before this field existed) has exactly the canonical JSON it always had."""
    old = support(None, None)
    plain = to_plain(old)
    assert isinstance(plain, dict)
    assert set(plain) == {"product_code", "product_name", "provider", "volume", "unit_code",
                          "frequency_code", "start", "end", "cost_cents"}
    goal_plain = to_plain(content_with(old).goals[0])
    assert isinstance(goal_plain, dict) and "afspraken" not in goal_plain
    assert content_fingerprint(content_with(old)) != content_fingerprint(content_with(support()))
    assert to_plain(support())["financing"] == "zorg_in_natura"  # type: ignore[index]


def test_submission_needs_financing_and_eigen_bijdrage_per_provision() -> None:
    errors = validate_for_submission(content_with(support(None, None)))
    assert codes(errors) == {"goals.0.professional.0.financing": ErrorCode.REQUIRED,
                             "goals.0.professional.0.eigen_bijdrage": ErrorCode.REQUIRED}
    assert validate_for_submission(content_with(support())) == []


def test_a_jeugdwet_provision_has_no_eigen_bijdrage() -> None:
    lists = load_code_lists()
    refs = PlanReferences(youth_product_codes=lists.youth_product_codes)
    youth = next(iter(sorted(lists.youth_product_codes)))
    goal = content_with(support(code=youth)).goals[0]
    assert codes(validate_goal(goal, refs)) == {
        "professional.0.eigen_bijdrage": ErrorCode.NOT_APPLICABLE}
    free = content_with(support(code=youth, contribution=EigenBijdrage.GEEN)).goals[0]
    assert validate_goal(free, refs) == []


def test_a_pgb_always_needs_a_toets_even_within_the_mandate() -> None:
    wide = Mandate(10_000_000, frozenset({"L02BI1"}))
    assert not needs_toets(content_with(support(Financing.ZORG_IN_NATURA)), wide)
    assert not needs_toets(content_with(support(Financing.VOUCHER)), wide)
    pgb = content_with(support(Financing.PGB))
    assert needs_toets(pgb, wide)
    assert toets_reasons(pgb, wide).pgb_products == ("L02BI1",)
    plain = to_plain(pgb)
    assert isinstance(plain, dict)
    assert toets_needed(plain, wide.max_amount_cents, wide.product_codes)  # server mirrors


def test_financing_maps_to_the_iwmo_leveringsvorm_of_the_code_lists() -> None:
    lists = load_code_lists()
    assert {f.code for f in lists.delivery_forms} == {"1", "2"}
    for financing in Financing:
        assert lists.delivery_form(financing.leveringsvorm).name
    assert Financing.PGB.leveringsvorm == "2"
    assert Financing.VOUCHER.leveringsvorm == Financing.ZORG_IN_NATURA.leveringsvorm == "1"


# --- case conferences --------------------------------------------------------------------------


SANDRA = Party(PartyKind.INWONER, "Sandra de Vries", "p-1")
OMA = Party(PartyKind.NETWERK, "Ria de Vries", "n-1")
HUISARTS = Party(PartyKind.PROFESSIONAL, "Dr. Peters", "pro-1")
ANOUK = Party(PartyKind.MEDEWERKER, "Anouk Meijer", "w-1")
REFS = ConferenceReferences({"p-1"}, {"n-1"}, {"pro-1"}, {"w-1"})


def conference(**changes: object) -> CaseConference:
    base = CaseConference(
        "c-1", "h-1", date(2026, 3, 2), ConferenceKind.ZORGOVERLEG, "w-1", "case-1",
        participants=(SANDRA, OMA, HUISARTS, ANOUK), reason="Te veel hulpverleners.",
        agreements=(
            ConferenceAgreement("a-1", "Post elke maandag openen.", SANDRA, date(2026, 3, 9)),
            ConferenceAgreement("a-2", "Helpt met de post.", OMA),
            ConferenceAgreement("a-3", "Verwijst Noor door.", HUISARTS, date(2026, 3, 30)),
        ),
        casemanager=HUISARTS)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_a_conference_needs_people_a_date_that_happened_and_known_parties() -> None:
    assert validate_conference(conference(), TODAY, REFS) == []
    assert codes(validate_conference(conference(participants=()), TODAY, REFS)) == {
        "participants": ErrorCode.REQUIRED}
    tomorrow = conference(held_on=TODAY + timedelta(days=1), agreements=())
    assert codes(validate_conference(tomorrow, TODAY, REFS)) == {
        "held_on": ErrorCode.DATE_IN_FUTURE}
    stranger = Party(PartyKind.PROFESSIONAL, "Onbekend", "pro-9")
    found = codes(validate_conference(conference(participants=(SANDRA, SANDRA, stranger)),
                                      TODAY, REFS))
    assert found == {"participants.1": ErrorCode.DUPLICATE,
                     "participants.2.ref_id": ErrorCode.UNKNOWN_REFERENCE}
    late = ConferenceAgreement("a-9", "Iets", ANOUK, date(2026, 3, 1))
    assert codes(validate_conference(conference(agreements=(late,)), TODAY, REFS)) == {
        "agreements.0.due": ErrorCode.DATE_ORDER}
    nameless = ConferenceAgreement("a-9", " ", Party(PartyKind.ANDERS, ""))
    assert codes(validate_conference(conference(agreements=(nameless,)), TODAY, REFS)) == {
        "agreements.0.what": ErrorCode.REQUIRED, "agreements.0.who.name": ErrorCode.REQUIRED}


def test_an_eigen_kracht_conferentie_is_the_households_own_meeting() -> None:
    ekc = conference(kind=ConferenceKind.EIGEN_KRACHT_CONFERENTIE, participants=(OMA, ANOUK),
                     casemanager=None)
    assert codes(validate_conference(ekc, TODAY, REFS)) == {
        "participants": ErrorCode.RESIDENT_REQUIRED}


def test_the_resident_or_network_is_never_the_casemanager() -> None:
    assert codes(validate_conference(conference(casemanager=OMA), TODAY, REFS)) == {
        "casemanager.kind": ErrorCode.NOT_APPLICABLE}
    assert validate_conference(conference(casemanager=ANOUK), TODAY, REFS) == []


def test_agreements_go_into_the_goal_in_the_eigen_kracht_order() -> None:
    goal = Goal("g-1", "financien", "Overzicht.", 2, 4, Horizon.DRIE_MAANDEN,
                zelf="Map maken.", netwerk=(NetworkAgreement("n-1", "Sorteert de post."),))
    c = conference()
    updated = agreements_into_goal(goal, c.agreements, {"n-1"},
                                   lambda d: f"uiterlijk {d:%d-%m-%Y}")
    assert updated.zelf == "Map maken.\nPost elke maandag openen. (uiterlijk 09-03-2026)"
    assert updated.netwerk == (NetworkAgreement("n-1", "Sorteert de post.; Helpt met de post."),)
    assert updated.afspraken == (OtherAgreement("Dr. Peters", "Verwijst Noor door.",
                                                date(2026, 3, 30)),)
    marked = mark_in_plan(c, ["a-1", "a-3"], "g-1")
    assert [a.plan_goal_id for a in marked.agreements] == ["g-1", None, "g-1"]


# --- the stuck case ---------------------------------------------------------------------------


def flag(at: datetime = T0, by: str = "w-1", case_id: str = "case-1") -> StuckFlag:
    return StuckFlag(f"f-{at.isoformat()}", "h-1", case_id, by, at, "Aanbieder weigert.")


def test_one_open_flag_per_case_and_only_workers_flag() -> None:
    first = flag()
    check_flag(first, Role.WIJKWERKER, [], [])
    with pytest.raises(AlreadyFlagged):
        check_flag(flag(T0 + timedelta(hours=1)), Role.WIJKWERKER, [first], [])
    check_flag(flag(case_id="case-2"), Role.WIJKWERKER, [first], [])  # another case
    with pytest.raises(StuckRuleViolation, match="flags a case"):
        check_flag(first, Role.TOETSER, [], [])
    decided = StuckDecision("d-1", "h-1", first.id, "w-coach", T0, "Doorgezet.")
    check_flag(flag(T0 + timedelta(days=3)), Role.WIJKWERKER, [first], [decided])


def test_the_decision_is_by_coach_or_brandpunt_never_the_flagger_and_once() -> None:
    f = flag()
    mine = StuckDecision("d-1", "h-1", f.id, "w-1", T0, "Zelf opgelost.")
    with pytest.raises(StuckRuleViolation) as caught:
        check_decision(mine, Role.TEAMCOACH, f, [])
    assert caught.value.reason == "own_flag"
    theirs = dataclasses.replace(mine, decided_by="w-brandpunt")
    with pytest.raises(StuckRuleViolation) as caught:
        check_decision(theirs, Role.WIJKWERKER, f, [])
    assert caught.value.reason == "decide_role"
    check_decision(theirs, Role.BRANDPUNTFUNCTIONARIS, f, [])
    check_decision(theirs, Role.TEAMCOACH, f, [])
    with pytest.raises(StuckRuleViolation) as caught:
        check_decision(theirs, Role.TEAMCOACH, f, [theirs])
    assert caught.value.reason == "flag_closed"


def test_the_history_of_flags_and_decisions_stays() -> None:
    first, second = flag(), flag(T0 + timedelta(days=10))
    decided = StuckDecision("d-1", "h-1", first.id, "w-b", T0 + timedelta(days=2),
                            "Zorgaanbieder start per maandag.", doorzettingsmacht=True)
    events = history([second, first], [decided])
    assert [e.kind for e in events] == [EventKind.GEMELD, EventKind.BESLOTEN, EventKind.GEMELD]
    assert events[1].doorzettingsmacht
    assert open_flag([first, second], [decided], "case-1") == second


# --- the keukentafel report -------------------------------------------------------------------


def report(**changes: object) -> KitchenTableReport:
    base = KitchenTableReport(
        "r-1", "h-1", "case-1", 1, date(2026, 3, 2), "thuis",
        ReportParticipants(("p-1",), ("n-1",), "tolk"),
        KitchenTableContent(help="Bij de schulden.", self_="Boodschappen."), T0, "w-1",
        date(2026, 3, 5), IssueMethod.MEEGEGEVEN)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_a_report_needs_the_resident_the_help_question_and_dates_in_order() -> None:
    refs = ReportReferences(frozenset({"p-1"}), frozenset({"n-1"}), date(2026, 2, 20))
    assert validate_report(report(), TODAY, refs) == []
    found = codes(validate_report(report(
        participants=ReportParticipants((), ("n-9",)), content=KitchenTableContent(),
        held_on=date(2026, 2, 1), issued_on=date(2026, 1, 31)), TODAY, refs))
    assert found == {"participants": ErrorCode.REQUIRED,
                     "participants.network_member_ids.0": ErrorCode.UNKNOWN_REFERENCE,
                     "content.help": ErrorCode.REQUIRED, "held_on": ErrorCode.DATE_ORDER,
                     "issued_on": ErrorCode.DATE_ORDER}
    assert codes(validate_report(report(issued_on=TODAY + timedelta(days=1)), TODAY,
                                 refs)) == {"issued_on": ErrorCode.DATE_IN_FUTURE}


def test_the_fingerprint_covers_what_the_resident_reads_and_versions_count_up() -> None:
    a = report()
    assert fingerprint(a) == fingerprint(dataclasses.replace(a, id="other", version=7))
    changed = dataclasses.replace(a, content=KitchenTableContent(help="Bij de post."))
    assert fingerprint(changed) != fingerprint(a)
    assert next_number([]) == 1
    assert next_number([a, dataclasses.replace(a, number=3)]) == 4


# --- the resident's voice --------------------------------------------------------------------


def experience(scores: dict[str, int | None], n: int = 0) -> cx.ClientExperience:
    return cx.ClientExperience(f"e-{n}", f"h-{n}", f"case-{n}", cx.Moment.EVALUATIE, TODAY,
                               "w-1", tuple(cx.Answer(q.code, scores.get(q.code))
                                            for q in cx.QUESTIONS), comment=f"opmerking {n}")


def test_the_questionnaire_is_fixed_with_a_one_to_five_scale() -> None:
    assert cx.validate_experience(experience({"gehoord": 5}), TODAY) == []
    assert codes(cx.validate_experience(experience({}), TODAY)) == {
        "answers": ErrorCode.SCORE_REQUIRED}
    assert codes(cx.validate_experience(experience({"gehoord": 6}), TODAY)) == {
        "answers.gehoord": ErrorCode.OUT_OF_RANGE}
    odd = dataclasses.replace(experience({"gehoord": 3}),
                              answers=(cx.Answer("gehoord", 3), cx.Answer("weer", 2)))
    found = codes(cx.validate_experience(odd, TODAY))
    assert found["answers.weer"] is ErrorCode.UNKNOWN_CHOICE
    assert found["answers.passend"] is ErrorCode.REQUIRED


def test_aggregates_are_anonymous_and_small_groups_show_nothing() -> None:
    few = [experience({"gehoord": 5}, n) for n in range(cx.MIN_GROUP - 1)]
    small = cx.summarize(few)
    assert small.suppressed and all(q.average is None for q in small.questions)
    many = [experience({"gehoord": 4 + n % 2, "passend": 3 if n == 0 else None}, n)
            for n in range(6)]
    summary = cx.summarize(many)
    assert not summary.suppressed and summary.responses == 6
    gehoord = next(q for q in summary.questions if q.code == "gehoord")
    assert (gehoord.answered, gehoord.average, gehoord.distribution) == (6, 4.5, (0, 0, 0, 3, 3))
    passend = next(q for q in summary.questions if q.code == "passend")
    assert passend.answered == 1 and passend.average is None  # one answer: withheld
    leaked = repr(summary)
    for e in many:
        assert e.household_id not in leaked and e.comment not in leaked


# --- deadlines --------------------------------------------------------------------------------


def case(**changes: object) -> Case:
    base = Case("case-1", "h-1", "t-1", "w-1", CaseStatus.KEUKENTAFELGESPREK,
                ReferralSource.HUISARTS, date(2026, 1, 5), complexity=Complexity.MEERVOUDIG)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def kinds(facts: CaseFacts) -> dict[DeadlineKind, date]:
    return {d.kind: d.due for d in case_deadlines(facts)}


def test_wmo_terms_count_from_the_aanmelding_until_met() -> None:
    assert kinds(CaseFacts(case())) == {DeadlineKind.VERSLAG: date(2026, 2, 16),
                                        DeadlineKind.BESLUIT: date(2026, 3, 2)}
    done = CaseFacts(case(), report_issued_on=date(2026, 2, 10), has_plan=True,
                     plan_status=PlanStatus.ONDERTEKEND, ever_signed=True)
    assert kinds(done) == {}
    single = CaseFacts(case(complexity=Complexity.ENKELVOUDIG))
    assert set(kinds(single)) == {DeadlineKind.VERSLAG}  # no maatwerk asked: no besluit
    assert case_deadlines(CaseFacts(case(status=CaseStatus.AFGESLOTEN,
                                         closed_on=date(2026, 2, 1)))) == ()
    running = CaseFacts(case(status=CaseStatus.UITVOERING))
    assert kinds(running) == {}  # support under way: the Wmo terms are history


def test_evaluation_nazorg_agreements_and_stuck_flags() -> None:
    met = {"report_issued_on": date(2026, 1, 20), "ever_signed": True, "has_plan": True}
    on_case = CaseFacts(case(status=CaseStatus.UITVOERING, next_evaluation=date(2026, 3, 1)),
                        **met)  # type: ignore[arg-type]
    assert kinds(on_case) == {DeadlineKind.EVALUATIE: date(2026, 3, 1)}
    from_plan = CaseFacts(case(status=CaseStatus.UITVOERING),
                          plan_status=PlanStatus.IN_UITVOERING,
                          plan_evaluation_dates=(date(2026, 4, 1), date(2026, 7, 1)),
                          last_evaluated_on=date(2026, 4, 2), **met)  # type: ignore[arg-type]
    assert kinds(from_plan) == {DeadlineKind.EVALUATIE: date(2026, 7, 1)}
    nazorg = CaseFacts(case(status=CaseStatus.NAZORG), last_contact_on=date(2026, 2, 1),
                       **met)  # type: ignore[arg-type]
    assert kinds(nazorg) == {DeadlineKind.WAAKVLAM: date(2026, 2, 1) + WAAKVLAM_INTERVAL}
    busy = CaseFacts(case(status=CaseStatus.UITVOERING),
                     open_agreements=(OpenAgreement("Intake plannen", date(2026, 3, 20)),),
                     open_flags=(flag(),), **met)  # type: ignore[arg-type]
    found = case_deadlines(busy)
    assert [(d.kind, d.detail) for d in found] == [
        (DeadlineKind.VASTGELOPEN, "Aanbieder weigert."),
        (DeadlineKind.AFSPRAAK, "Intake plannen")]
    assert found[0].due == date(2026, 3, 17)


def test_the_todo_horizon_is_overdue_plus_two_weeks() -> None:
    deadlines = case_deadlines(CaseFacts(case(referral_date=date(2026, 2, 15))))
    soon = due_soon(deadlines, date(2026, 3, 20))
    assert [d.kind for d in soon] == [DeadlineKind.VERSLAG]  # 29-3; besluit 12-4 is later
    assert soon[0].days_left(date(2026, 3, 20)) == 9
    assert not soon[0].overdue(date(2026, 3, 29)) and soon[0].overdue(date(2026, 3, 30))


# --- who may do what (the authority the server enforces) ---------------------------------------


def test_the_brandpuntfunctionaris_decides_on_stuck_cases_of_their_team_only() -> None:
    from wijkteam_app.sync.authority import (
        ENTITY_ACTION,
        Action,
        Actor,
        HouseholdFacts,
        Relation,
        may,
        relations,
        stuck_four_eyes_ok,
    )

    facts = HouseholdFacts(True, frozenset({"w-1"}), frozenset({"w-2"}), frozenset({"t-1"}))
    brandpunt = Actor("b-1", "brandpuntfunctionaris", "t-1")
    assert relations(brandpunt, facts) == {Relation.BRANDPUNT}
    assert may(brandpunt, facts, Action.DECIDE_STUCK)
    for action in (Action.FLAG_STUCK, Action.EDIT_CASE_DATA, Action.CASE_CONFERENCE,
                   Action.PLAN_WRITE, Action.CLIENT_EXPERIENCE):
        assert not may(brandpunt, facts, action), action
    assert not may(Actor("b-2", "brandpuntfunctionaris", "t-9"), facts, Action.DECIDE_STUCK)
    regisseur = Actor("w-1", "wijkwerker", "t-1")
    coach = Actor("c-1", "teamcoach", "t-1")
    assert may(regisseur, facts, Action.FLAG_STUCK)
    assert not may(regisseur, facts, Action.DECIDE_STUCK)
    assert may(coach, facts, Action.DECIDE_STUCK) and may(coach, facts, Action.FLAG_STUCK)
    assert may(Actor("w-2", "wijkwerker", "t-1"), facts, Action.KITCHEN_TABLE_REPORT)
    assert not may(coach, facts, Action.KITCHEN_TABLE_REPORT)  # the workers of the case
    assert not may(Actor("x", "toetser", "t-1"), facts, Action.CLIENT_EXPERIENCE)
    assert not stuck_four_eyes_ok("c-1", "c-1") and stuck_four_eyes_ok("c-1", "w-1")
    assert ENTITY_ACTION["stuck_decision"] is Action.DECIDE_STUCK
    assert ENTITY_ACTION["stuck_flag"] is Action.FLAG_STUCK
