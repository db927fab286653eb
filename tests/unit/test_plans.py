"""Plan rules: workflow, immutability, review, mandate and toets, escalation, signers,
signatures, fingerprint, diff, validation; plus the sociale kaart and code lists."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijkteam_app.catalogs import load_code_lists, load_sociale_kaart
from wijkteam_app.domain.people import HouseholdRole, Person
from wijkteam_app.domain.plans import (
    ChangeKind,
    Goal,
    GoalEvaluation,
    GoalResult,
    Horizon,
    IllegalEscalation,
    IllegalTransition,
    ImmutableVersion,
    Mandate,
    PlanContent,
    PlanReferences,
    PlanSection,
    PlanStatus,
    PlanVersion,
    ProfessionalSupport,
    Regie,
    RegieLevel,
    ResidentAgreement,
    ResidentView,
    ReviewDecision,
    ReviewOutcome,
    SectionComment,
    Signer,
    SignerReason,
    ToetsByRegisseur,
    ToetsDecision,
    ToetsRecord,
    de_escalate,
    diff_versions,
    edit,
    escalate,
    fingerprint,
    make_signature,
    missing_signers,
    needs_toets,
    new_plan,
    new_version_from,
    record_toets,
    required_signers,
    short_fingerprint,
    signature_valid,
    toets_reasons,
    transition,
    validate_content,
    validate_evaluations,
    validate_for_submission,
)
from wijkteam_app.domain.provisions import (
    LEVEL_ORDER,
    ProvisionLevel,
    by_level,
    provisions_for_wijk,
    voorliggende,
)
from wijkteam_app.domain.validation import ErrorCode, FieldError, ValidationFailed
from wijkteam_app.instruments.catalog import latest, load_definitions
from wijkteam_app.reports.sample import sample_content

T0 = datetime(2025, 3, 1, 10, 0)
TODAY = date(2025, 3, 1)
REGISSEUR = "w-anouk"
COACH = "w-coach"
TOETSER = "w-toetser"
MANDATE = Mandate(500_000, frozenset({"L06SB1", "L02BI1", "L01HH1"}))


def concept() -> PlanVersion:
    return new_plan("h-1", sample_content(), REGISSEUR, T0, plan_id="plan-1", version_id="v-1")


def submitted() -> PlanVersion:
    return transition(concept(), PlanStatus.TER_BEOORDELING, REGISSEUR, T0)


def review(version: PlanVersion, outcome: ReviewOutcome, *comments: SectionComment
           ) -> ReviewDecision:
    return ReviewDecision(version.id, COACH, T0, outcome, tuple(comments))


def approved() -> PlanVersion:
    v = submitted()
    return transition(v, PlanStatus.GOEDGEKEURD, COACH, T0,
                      review=review(v, ReviewOutcome.GOEDKEUREN))


def toetsed(decision: ToetsDecision = ToetsDecision.POSITIEF) -> PlanVersion:
    v = approved()
    return record_toets(v, ToetsRecord(v.id, TOETSER, T0, decision, "akkoord"))


def support(code: str, cents: int) -> ProfessionalSupport:
    return ProfessionalSupport(code, "product", "aanbieder", 2, "04", "2", date(2025, 4, 1),
                               date(2025, 6, 30), cents)


def person(pid: str, birth: date | None, holders: tuple[str, ...] = ()) -> Person:
    return Person(pid, "h-1", pid, "Test", HouseholdRole.KIND, birth_date=birth,
                  gezag_holder_ids=holders)


def born_years_ago(years: int) -> date:
    return date(TODAY.year - years, TODAY.month, TODAY.day)


# --- workflow ------------------------------------------------------------------------------


def test_happy_path_through_every_status() -> None:
    v = toetsed()
    v = transition(v, PlanStatus.TER_ONDERTEKENING, REGISSEUR, T0, mandate=MANDATE)
    pdf = b"%PDF-signed"
    sig = make_signature(v, pdf, [Signer("Sandra", "inwoner", person_id="p-sandra")],
                         TODAY, "Voorbeeldstad", "scan-1")
    v = transition(v, PlanStatus.ONDERTEKEND, REGISSEUR, T0, signature=sig)
    v = transition(v, PlanStatus.IN_UITVOERING, REGISSEUR, T0)
    evaluations = [GoalEvaluation(g.id, GoalResult.DEELS, "", "zrm-new", TODAY, REGISSEUR)
                   for g in v.content.goals]
    v = transition(v, PlanStatus.GEEVALUEERD, REGISSEUR, T0, evaluations=evaluations)
    v = transition(v, PlanStatus.AFGESLOTEN, REGISSEUR, T0)
    assert [c.to_status for c in v.history] == [
        PlanStatus.CONCEPT, PlanStatus.TER_BEOORDELING, PlanStatus.GOEDGEKEURD,
        PlanStatus.TER_ONDERTEKENING, PlanStatus.ONDERTEKEND, PlanStatus.IN_UITVOERING,
        PlanStatus.GEEVALUEERD, PlanStatus.AFGESLOTEN,
    ]
    assert v.signature == sig and len(v.evaluations) == 5


@pytest.mark.parametrize(("start", "to"), [
    (PlanStatus.CONCEPT, PlanStatus.GOEDGEKEURD),
    (PlanStatus.CONCEPT, PlanStatus.ONDERTEKEND),
    (PlanStatus.TER_BEOORDELING, PlanStatus.TER_ONDERTEKENING),
    (PlanStatus.TER_BEOORDELING, PlanStatus.CONCEPT),
    (PlanStatus.GOEDGEKEURD, PlanStatus.ONDERTEKEND),
    (PlanStatus.TERUGGESTUURD, PlanStatus.CONCEPT),
    (PlanStatus.TERUGGESTUURD, PlanStatus.TER_BEOORDELING),
    (PlanStatus.ONDERTEKEND, PlanStatus.AFGESLOTEN),
    (PlanStatus.IN_UITVOERING, PlanStatus.AFGESLOTEN),
    (PlanStatus.AFGESLOTEN, PlanStatus.IN_UITVOERING),
])
def test_illegal_transitions_are_refused(start: PlanStatus, to: PlanStatus) -> None:
    v = dataclasses.replace(concept(), status=start)
    with pytest.raises(IllegalTransition):
        transition(v, to, REGISSEUR, T0)


def test_submission_needs_question_and_a_goal() -> None:
    empty = new_plan("h-1", PlanContent(regisseur_id=REGISSEUR), REGISSEUR, T0)
    with pytest.raises(ValidationFailed) as info:
        transition(empty, PlanStatus.TER_BEOORDELING, REGISSEUR, T0)
    fields = {e.field for e in info.value.errors}
    assert {"question", "goals", "evaluation_dates"} <= fields


def test_a_submitted_version_cannot_be_edited() -> None:
    v = submitted()
    with pytest.raises(ImmutableVersion):
        edit(v, dataclasses.replace(v.content, question="anders"))
    for status in PlanStatus:
        if status is not PlanStatus.CONCEPT:
            with pytest.raises(ImmutableVersion):
                edit(dataclasses.replace(v, status=status), v.content)


def test_a_concept_can_be_edited_in_place() -> None:
    v = concept()
    edited = edit(v, dataclasses.replace(v.content, question="nieuw"))
    assert edited.id == v.id and edited.number == 1 and edited.content.question == "nieuw"


def test_returned_version_leads_to_a_new_concept() -> None:
    v = submitted()
    comment = SectionComment(PlanSection.DOELEN, "Doel 3 concreter maken", "doel-3")
    returned = transition(v, PlanStatus.TERUGGESTUURD, COACH, T0,
                          review=review(v, ReviewOutcome.TERUGSTUREN, comment))
    assert returned.last_review is not None
    assert returned.last_review.version_id == v.id  # stored with the version it was made on
    new = new_version_from(returned, REGISSEUR, T0, version_id="v-2")
    assert (new.status, new.number, new.based_on_id) == (PlanStatus.CONCEPT, 2, "v-1")
    assert returned.status is PlanStatus.TERUGGESTUURD  # the old one is untouched
    with pytest.raises(IllegalTransition):
        new_version_from(new, REGISSEUR, T0)  # edit a concept, do not branch it


def test_review_must_match_version_outcome_and_have_comments_to_return() -> None:
    v = submitted()
    other = ReviewDecision("v-other", COACH, T0, ReviewOutcome.GOEDKEUREN)
    with pytest.raises(IllegalTransition):
        transition(v, PlanStatus.GOEDGEKEURD, COACH, T0, review=other)
    with pytest.raises(IllegalTransition):
        transition(v, PlanStatus.GOEDGEKEURD, COACH, T0)
    with pytest.raises(IllegalTransition):
        transition(v, PlanStatus.TERUGGESTUURD, COACH, T0,
                   review=review(v, ReviewOutcome.TERUGSTUREN))
    with pytest.raises(IllegalTransition):
        transition(v, PlanStatus.TERUGGESTUURD, COACH, T0,
                   review=review(v, ReviewOutcome.GOEDKEUREN))


# --- mandate and toets ---------------------------------------------------------------------


def test_needs_toets_rules() -> None:
    one_goal = sample_content().goals[0]
    inside = PlanContent(goals=(dataclasses.replace(
        one_goal, professioneel=(support("L06SB1", 100_000),)),))
    assert not needs_toets(inside, MANDATE)
    outside = PlanContent(goals=(dataclasses.replace(
        one_goal, professioneel=(support("L07DB1", 100),)),))
    assert needs_toets(outside, MANDATE)
    assert toets_reasons(outside, MANDATE).products_outside_mandate == ("L07DB1",)
    exactly_max = PlanContent(goals=(dataclasses.replace(
        one_goal, professioneel=(support("L06SB1", 300_000), support("L02BI1", 200_000))),))
    assert not needs_toets(exactly_max, MANDATE)
    above = PlanContent(goals=(dataclasses.replace(
        one_goal, professioneel=(support("L06SB1", 300_000), support("L02BI1", 200_001))),))
    assert needs_toets(above, MANDATE)
    assert toets_reasons(above, MANDATE).above_max_amount
    assert not needs_toets(PlanContent(), Mandate(0))


def test_toets_cannot_be_given_by_the_regisseur() -> None:
    v = approved()
    with pytest.raises(ToetsByRegisseur):
        record_toets(v, ToetsRecord(v.id, REGISSEUR, T0, ToetsDecision.POSITIEF))


def test_signing_needs_a_positive_toets_when_outside_mandate() -> None:
    v = approved()
    assert needs_toets(v, MANDATE)  # dagbesteding and gezinsbehandeling are not mandated
    with pytest.raises(IllegalTransition):
        transition(v, PlanStatus.TER_ONDERTEKENING, REGISSEUR, T0, mandate=MANDATE)
    with pytest.raises(IllegalTransition):
        transition(toetsed(ToetsDecision.NEGATIEF), PlanStatus.TER_ONDERTEKENING, REGISSEUR,
                   T0, mandate=MANDATE)
    with pytest.raises(IllegalTransition):
        transition(v, PlanStatus.TER_ONDERTEKENING, REGISSEUR, T0)  # mandate missing
    ok = transition(toetsed(), PlanStatus.TER_ONDERTEKENING, REGISSEUR, T0, mandate=MANDATE)
    assert ok.status is PlanStatus.TER_ONDERTEKENING
    wide = Mandate(10_000_000, frozenset({"L06SB1", "L02BI1", "L45JA2", "L07DB1"}))
    assert transition(v, PlanStatus.TER_ONDERTEKENING, REGISSEUR, T0, mandate=wide).toets is None


def test_toets_only_on_reviewed_versions_of_itself() -> None:
    with pytest.raises(Exception, match="status"):
        record_toets(concept(), ToetsRecord("v-1", TOETSER, T0, ToetsDecision.POSITIEF))
    with pytest.raises(Exception, match="another version"):
        record_toets(approved(), ToetsRecord("v-9", TOETSER, T0, ToetsDecision.POSITIEF))


# --- escalation ----------------------------------------------------------------------------


def test_escalation_moves_regie_and_mandate_and_back() -> None:
    start = Regie(REGISSEUR, MANDATE)
    wide = Mandate(2_000_000, frozenset({"L45JA2"}))
    up, event = escalate(start, "w-gezinsbegeleider", wide, COACH, T0, "meervoudige problemen")
    assert (up.regisseur_id, up.mandate, up.level) == (
        "w-gezinsbegeleider", wide, RegieLevel.GEZINSBEGELEIDING)
    assert (event.from_regisseur_id, event.to_mandate, event.reason) == (
        REGISSEUR, wide, "meervoudige problemen")
    with pytest.raises(IllegalEscalation):
        escalate(up, "w-x", wide, COACH, T0, "nogmaals")
    down, back = de_escalate(up, REGISSEUR, MANDATE, COACH, T0, "gezin redt zich weer")
    assert down == start and back.from_mandate == wide
    with pytest.raises(IllegalEscalation):
        escalate(start, "w-x", wide, COACH, T0, "  ")


# --- signers -------------------------------------------------------------------------------


@pytest.mark.parametrize(("age", "child_signs", "parents_sign"), [
    (11, False, True), (12, True, True), (15, True, True), (16, True, False),
    (17, True, False), (18, True, False), (40, True, False),
])
def test_signer_rules_by_age(age: int, child_signs: bool, parents_sign: bool) -> None:
    child = person("child", born_years_ago(age), holders=("mother", "father"))
    signers = required_signers([child], TODAY, professional_id=REGISSEUR)
    ids = [s.person_id for s in signers if s.person_id]
    assert ("child" in ids) is child_signs
    assert ({"mother", "father"} <= set(ids)) is parents_sign
    assert signers[-1].worker_id == REGISSEUR
    assert signers[-1].reasons == (SignerReason.PROFESSIONAL,)


def test_birthday_boundary_and_combined_reasons() -> None:
    turns_12_tomorrow = person("c", date(TODAY.year - 12, TODAY.month, TODAY.day + 1), ("m",))
    mother = dataclasses.replace(person("m", date(1985, 1, 1)),
                                 household_role=HouseholdRole.HOOFDBEWONER)
    signers = required_signers([mother, turns_12_tomorrow], TODAY)
    assert [s.person_id for s in signers] == ["m"]
    assert signers[0].reasons == (SignerReason.VOLWASSENE, SignerReason.GEZAG)
    assert signers[0].for_person_ids == ("m", "c")


def test_child_without_gezag_holder_is_flagged() -> None:
    signers = required_signers([person("c", born_years_ago(8))], TODAY)
    assert signers[0].reasons == (SignerReason.GEZAG_ONBEKEND,)
    assert signers[0].person_id is None and signers[0].for_person_ids == ("c",)


def test_missing_signers() -> None:
    v = toetsed()
    required = required_signers([person("a", born_years_ago(30))], TODAY, REGISSEUR)
    sig = make_signature(v, b"x", [Signer("A", "inwoner", person_id="a")], TODAY, "Stad")
    assert [r.worker_id for r in missing_signers(sig, required)] == [REGISSEUR]


# --- signatures and fingerprint ------------------------------------------------------------


def test_signature_invalid_after_any_change() -> None:
    v = transition(toetsed(), PlanStatus.TER_ONDERTEKENING, REGISSEUR, T0, mandate=MANDATE)
    pdf = b"%PDF-1.4 exactly these bytes"
    sig = make_signature(v, pdf, [Signer("Sandra", "inwoner", person_id="p-sandra")], TODAY,
                         "Voorbeeldstad")
    assert signature_valid(sig, v, pdf)
    assert not signature_valid(sig, v, pdf + b" ")
    assert not signature_valid(sig, dataclasses.replace(v, id="v-other"), pdf)
    changed = dataclasses.replace(v, content=dataclasses.replace(v.content, question="x"))
    assert not signature_valid(sig, changed, pdf)
    new = new_version_from(v, REGISSEUR, T0, version_id="v-2")
    assert not signature_valid(sig, new, pdf)  # same content, other version
    with pytest.raises(IllegalTransition):
        transition(changed, PlanStatus.ONDERTEKEND, REGISSEUR, T0, signature=sig)


def test_fingerprint_is_stable_and_sensitive() -> None:
    a, b = sample_content(), sample_content()
    assert fingerprint(a) == fingerprint(b)
    assert len(fingerprint(a)) == 64 and len(short_fingerprint(fingerprint(a))) == 12
    # a known value: changes only when the content model or the sample changes on purpose
    assert fingerprint(a) == fingerprint(concept())
    goal = a.goals[0]
    variants = [
        dataclasses.replace(a, question=a.question + "."),
        dataclasses.replace(a, goals=(dataclasses.replace(goal, target_level=5), *a.goals[1:])),
        dataclasses.replace(a, goals=(*a.goals[1:], goal)),  # order matters
        dataclasses.replace(a, evaluation_dates=(date(2025, 7, 2),)),
        dataclasses.replace(a, resident_view=ResidentView(ResidentAgreement.AKKOORD)),
    ]
    prints = {fingerprint(v) for v in variants}
    assert len(prints) == len(variants) and fingerprint(a) not in prints


@given(st.text(max_size=50))
def test_fingerprint_differs_for_any_other_question(text: str) -> None:
    base = sample_content()
    other = dataclasses.replace(base, question=text)
    assert (fingerprint(other) == fingerprint(base)) is (text == base.question)


def test_records_do_not_change_the_fingerprint() -> None:
    assert fingerprint(toetsed()) == fingerprint(concept())


# --- diff ----------------------------------------------------------------------------------


def test_diff_versions_per_section_goal_and_field() -> None:
    old = sample_content()
    goals = list(old.goals)
    goals[1] = dataclasses.replace(goals[1], target_level=5, zelf="Nieuwe afspraak")
    removed = goals.pop(3)
    goals.append(Goal("doel-6", "huisvesting", "Woning op orde", 3, 4, Horizon.EEN_JAAR))
    new = dataclasses.replace(old, goals=tuple(goals), question="Nieuwe vraag")
    changes = diff_versions(old, new)
    by_path = {c.path: c for c in changes}
    assert by_path["hulpvraag.question"].kind is ChangeKind.GEWIJZIGD
    assert by_path["doelen.doel-2.target_level"].before == 4
    assert by_path["doelen.doel-2.target_level"].after == 5
    assert by_path["doelen.doel-2.zelf"].goal_id == "doel-2"
    assert by_path[f"doelen.{removed.id}"].kind is ChangeKind.VERWIJDERD
    assert by_path["doelen.doel-6"].kind is ChangeKind.TOEGEVOEGD
    assert not any(p.startswith("doelen.doel-6.") for p in by_path)
    assert "doelen.doel-1.description" not in by_path
    sections = [c.section for c in changes]
    assert sections == sorted(sections, key=list(PlanSection).index)
    assert diff_versions(old, sample_content()) == ()


# --- validation ----------------------------------------------------------------------------


def test_goal_validation() -> None:
    goal = sample_content().goals[0]
    bad = dataclasses.replace(goal, description=" ", current_level=3, target_level=2,
                              professioneel=(dataclasses.replace(
                                  support("X", -1), end=date(2025, 3, 1), volume=0),))
    content = PlanContent(goals=(bad, dataclasses.replace(goal, target_level=6)))
    errors = set(validate_content(content, PlanReferences(product_codes={"L06SB1"})))
    assert FieldError("goals.0.description", ErrorCode.REQUIRED) in errors
    assert FieldError("goals.0.target_level", ErrorCode.OUT_OF_RANGE) in errors
    assert FieldError("goals.1.target_level", ErrorCode.OUT_OF_RANGE) in errors
    assert FieldError("goals.1.id", ErrorCode.DUPLICATE) in errors
    assert FieldError("goals.0.professional.0.end", ErrorCode.DATE_ORDER) in errors
    assert FieldError("goals.0.professional.0.volume", ErrorCode.OUT_OF_RANGE) in errors
    assert FieldError("goals.0.professional.0.cost_cents", ErrorCode.OUT_OF_RANGE) in errors
    assert FieldError("goals.0.professional.0.product_code", ErrorCode.UNKNOWN_CHOICE) in errors


def test_sample_passes_against_the_shipped_catalogues() -> None:
    codes = load_code_lists()
    kaart = load_sociale_kaart()
    zrm = latest(load_definitions(), "zrm-2017")
    refs = PlanReferences(
        domain_codes={i.code for i in zrm.items},
        provision_ids={p.id for p in kaart},
        product_codes=codes.product_codes,
        unit_codes=codes.unit_codes,
        frequency_codes=codes.frequency_codes,
        network_member_ids={"nw-oma", "nw-buurman", "nw-vriendin"},
    )
    assert validate_for_submission(sample_content(), refs) == []


def test_resident_disagreement_needs_own_words() -> None:
    content = dataclasses.replace(sample_content(),
                                  resident_view=ResidentView(ResidentAgreement.NIET_AKKOORD))
    assert FieldError("resident_view.own_words", ErrorCode.REQUIRED) in validate_content(content)


def test_evaluations_one_per_goal() -> None:
    content = sample_content()
    ev = [GoalEvaluation("doel-1", GoalResult.BEHAALD, "", "", TODAY, REGISSEUR),
          GoalEvaluation("doel-x", GoalResult.BEHAALD, "", "z", TODAY, REGISSEUR)]
    errors = set(validate_evaluations(content, ev))
    assert FieldError("evaluations.doel-1.zrm_assessment_id", ErrorCode.REQUIRED) in errors
    assert FieldError("evaluations.doel-x", ErrorCode.UNKNOWN_REFERENCE) in errors
    assert FieldError("evaluations.doel-2", ErrorCode.REQUIRED) in errors


# --- sociale kaart and code lists ----------------------------------------------------------


def test_sociale_kaart_for_a_wijk_light_to_heavy() -> None:
    kaart = load_sociale_kaart()
    assert {p.level for p in kaart} == set(ProvisionLevel)
    oost = provisions_for_wijk(kaart, "oost")
    assert "vk-sport-oost" in {p.id for p in oost}
    assert "vk-buurthuis-noord" not in {p.id for p in oost}
    ranks = [p.level.rank for p in oost]
    assert ranks == sorted(ranks)
    assert list(by_level(kaart)) == list(LEVEL_ORDER)
    assert all(p.level.voorliggend for p in voorliggende(kaart))


def test_code_lists_link_up() -> None:
    codes = load_code_lists()
    assert codes.unit("04").name == "uur"
    assert codes.frequency("2").name == "per week"
    for provision in load_sociale_kaart():
        if provision.product_code:
            assert provision.product_code in codes.product_codes
    assert all(p.local for p in codes.products)  # shipped product codes are local


def test_a_goal_for_some_members_keeps_older_fingerprints() -> None:
    """A goal can name for whom it is; plans made before that field existed keep their
    fingerprint (signatures stay valid), and the field round-trips through storage."""
    from wijkteam_app.domain.plans import Goal, Horizon, PlanContent, to_plain
    from wijkteam_app.persistence.codec import from_plain

    goal = Goal("g1", "financien", "Schulden op een rij", 2, 4, Horizon.DRIE_MAANDEN)
    plain = to_plain(goal)
    assert isinstance(plain, dict) and "for_person_ids" not in plain
    older = {k: v for k, v in plain.items()}  # what a version stored before looked like
    assert from_plain(Goal, older) == goal
    for_noor = Goal("g1", "financien", "Schulden op een rij", 2, 4, Horizon.DRIE_MAANDEN,
                    for_person_ids=("noor",))
    stored = to_plain(for_noor)
    assert isinstance(stored, dict) and stored["for_person_ids"] == ["noor"]
    assert from_plain(Goal, stored) == for_noor
    assert fingerprint(PlanContent(goals=(goal,))) != fingerprint(PlanContent(goals=(for_noor,)))
    # The canonical form of a goal without "for whom" is exactly the one from before it existed.
    from wijkteam_app.domain.plans import canonical_json

    assert canonical_json(PlanContent(goals=(goal,))).count("for_person_ids") == 0
