"""Domain rules: validation codes per field, ages and gezag, change-set serialisation."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.nl import bsn as stdnum_bsn

from wijkteam_app.domain.cases import (
    Case,
    CaseStatus,
    Consent,
    ContactKind,
    ContactMoment,
    ReferralSource,
    UrgencyCriterion,
    validate_case,
    validate_consent,
    validate_contact,
)
from wijkteam_app.domain.changes import EntityChange, FieldChange, Operation
from wijkteam_app.domain.people import (
    Address,
    Household,
    HouseholdRole,
    Person,
    validate_household,
    validate_person,
)
from wijkteam_app.domain.search import fold
from wijkteam_app.domain.validation import (
    ErrorCode,
    bsn_error,
    canonical_bsn,
    canonical_postcode,
    postcode_error,
)
from wijkteam_app.messages import FIELD_MESSAGES

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize("value", ["999990019", "9999 90019", "999.990.019", ""])
def test_valid_or_empty_bsn_is_accepted(value: str) -> None:
    assert bsn_error(value) is None


@pytest.mark.parametrize(("value", "code"), [
    ("123456789", ErrorCode.BSN_INVALID),
    ("999990018", ErrorCode.BSN_INVALID),
    ("12345", ErrorCode.BSN_FORMAT),
    ("99999001a", ErrorCode.BSN_FORMAT),
])
def test_bad_bsn_gets_a_code(value: str, code: ErrorCode) -> None:
    assert bsn_error(value) is code


@given(st.integers(min_value=999_900_006, max_value=999_999_990))
def test_bsn_check_agrees_with_the_11_proef(number: int) -> None:
    digits = str(number)
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    elfproef = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0
    assert (bsn_error(digits) is None) == elfproef == stdnum_bsn.is_valid(digits)


def test_canonical_forms() -> None:
    assert canonical_bsn("12345672") == "012345672"
    assert canonical_postcode("1234ab") == "1234 AB"
    assert postcode_error("1234 AB") is None
    assert postcode_error("0123 AB") is ErrorCode.POSTCODE_INVALID
    assert postcode_error("") is ErrorCode.REQUIRED


def test_household_validation_lists_every_bad_field() -> None:
    h = Household("h", "", Address("", 0, "", "12", ""), "")
    fields = {e.field: e.code for e in validate_household(h)}
    assert fields == {
        "name": ErrorCode.REQUIRED,
        "street": ErrorCode.REQUIRED,
        "house_number": ErrorCode.HOUSE_NUMBER_INVALID,
        "postcode": ErrorCode.POSTCODE_INVALID,
        "city": ErrorCode.REQUIRED,
        "wijk": ErrorCode.REQUIRED,
    }


def test_birth_date_in_the_future_is_refused() -> None:
    p = Person("p", "h", "Bo", "Proef", HouseholdRole.KIND, birth_date=date(2027, 1, 1))
    assert [(e.field, e.code) for e in validate_person(p, TODAY)] == [
        ("birth_date", ErrorCode.DATE_IN_FUTURE)
    ]


def test_gezag_only_for_minors_and_only_household_members() -> None:
    child = Person("kind", "h", "Bo", "Proef", HouseholdRole.KIND, birth_date=date(2015, 6, 1),
                   gezag_holder_ids=("ouder",))
    assert validate_person(child, TODAY, {"ouder", "kind"}) == []
    assert child.age_on(TODAY) == 11 and child.is_minor_on(TODAY)
    stranger = Person("kind", "h", "Bo", "Proef", HouseholdRole.KIND,
                      birth_date=date(2015, 6, 1), gezag_holder_ids=("iemand-anders",))
    assert [e.code for e in validate_person(stranger, TODAY, {"ouder", "kind"})] == [
        ErrorCode.UNKNOWN_REFERENCE
    ]
    adult = Person("ouder", "h", "An", "Proef", HouseholdRole.HOOFDBEWONER,
                   birth_date=date(1985, 1, 1), gezag_holder_ids=("kind",))
    assert [e.code for e in validate_person(adult, TODAY)] == [ErrorCode.GEZAG_ONLY_FOR_MINORS]


def test_age_turns_on_the_birthday() -> None:
    p = Person("p", "h", "Bo", "Proef", HouseholdRole.KIND, birth_date=date(2008, 11, 24))
    assert p.age_on(date(2026, 11, 23)) == 17
    assert p.age_on(date(2026, 11, 24)) == 18


def test_case_rules() -> None:
    case = Case("c", "h", "t", "w", CaseStatus.AFGESLOTEN, ReferralSource.SCHOOL,
                date(2026, 1, 10), case_team_ids=("w",), client_profile=6,
                urgency=(UrgencyCriterion.DAKLOOSHEID, UrgencyCriterion.DAKLOOSHEID))
    codes = {e.field: e.code for e in validate_case(case, TODAY)}
    assert codes == {
        "client_profile": ErrorCode.OUT_OF_RANGE,
        "urgency": ErrorCode.DUPLICATE,
        "case_team_ids": ErrorCode.DUPLICATE,
        "closed_on": ErrorCode.REQUIRED,
    }
    assert UrgencyCriterion.HUISELIJK_GEWELD.crisis_sensitive
    assert not UrgencyCriterion.VOORMALIGE_VET_ZAAK.crisis_sensitive


def test_contact_dates_must_be_plausible() -> None:
    future = ContactMoment("k", "c", date(2026, 12, 1), 30, ContactKind.HUISBEZOEK, "w")
    ancient = ContactMoment("k", "c", date(2019, 1, 1), 30, ContactKind.HUISBEZOEK, "w")
    endless = ContactMoment("k", "c", TODAY, 0, ContactKind.HUISBEZOEK, "w")
    assert [e.code for e in validate_contact(future, TODAY)] == [ErrorCode.DATE_IN_FUTURE]
    assert [e.code for e in validate_contact(ancient, TODAY)] == [ErrorCode.DATE_TOO_OLD]
    assert [e.code for e in validate_contact(endless, TODAY)] == [ErrorCode.OUT_OF_RANGE]


def test_consent_is_active_until_withdrawn() -> None:
    consent = Consent("c", "h", "p", "Huisarts", "afstemmen", date(2026, 1, 1), "w",
                      withdrawn_on=date(2026, 6, 1))
    assert validate_consent(consent, TODAY) == []
    assert consent.active_on(date(2026, 3, 1)) and not consent.active_on(date(2026, 6, 1))


def test_every_error_code_has_a_dutch_message() -> None:
    assert set(FIELD_MESSAGES) == set(ErrorCode)


def test_entity_change_json_round_trip() -> None:
    change = EntityChange("person", "p1", Operation.UPDATE, 3,
                          (FieldChange("last_name", "Proef", "Proefmans"),))
    assert EntityChange.from_json(change.to_json()) == change


def test_fold_ignores_case_and_accents() -> None:
    assert fold("  Çelik-ÖZDEMİR  van  Dijk ") == fold("celik-ozdemir van dijk")
