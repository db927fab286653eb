"""Consent enforced per person, recipient and purpose, minors per the Jeugdwet ages."""

from __future__ import annotations

from datetime import date

from wijkteam_app.domain.cases import Consent
from wijkteam_app.domain.consent import STANDARD_PURPOSE, Gap, Use, decide
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.people import HouseholdRole, Person

TODAY = date(2026, 6, 1)
RECIPIENT = "Huisartsenpraktijk Voorbeeldstad"


def person(name: str, age: int | None, holders: tuple[str, ...] = ()) -> Person:
    birth = None if age is None else date(TODAY.year - age, 1, 1)
    return Person(new_id(), "h", name, "Voorbeeld", HouseholdRole.HUISGENOOT, birth_date=birth,
                  gezag_holder_ids=holders)


def consent(giver: Person, recipient: str = RECIPIENT, use: Use = Use.PLAN,
            given: date = date(2026, 1, 1), withdrawn: date | None = None,
            purpose: str | None = None) -> Consent:
    return Consent(new_id(), "h", giver.id, recipient, purpose or STANDARD_PURPOSE[use], given,
                   "w", withdrawn_on=withdrawn)


def test_an_adult_decides_alone_and_recipient_text_is_compared_loosely() -> None:
    anouk = person("Anouk", 40)
    assert not decide([anouk], [], RECIPIENT, Use.PLAN, TODAY).allowed
    loose = consent(anouk, recipient="  huisartsenpraktijk   voorbeeldstad ")
    assert decide([anouk], [loose], RECIPIENT, Use.PLAN, TODAY).allowed
    # Another recipient, another use, or a free purpose unlock nothing.
    assert not decide([anouk], [consent(anouk, recipient="Schuldhulp")], RECIPIENT, Use.PLAN,
                      TODAY).allowed
    assert not decide([anouk], [consent(anouk, use=Use.CONTACT)], RECIPIENT, Use.PLAN,
                      TODAY).allowed
    assert not decide([anouk], [consent(anouk, purpose="Overleg over medicatie")], RECIPIENT,
                      Use.PLAN, TODAY).allowed


def test_withdrawn_and_future_consents_do_not_count_and_say_why() -> None:
    anouk = person("Anouk", 40)
    gone = decide([anouk], [consent(anouk, withdrawn=date(2026, 5, 1))], RECIPIENT, Use.PLAN,
                  TODAY)
    assert not gone.allowed
    assert gone.missing[0].gap is Gap.WITHDRAWN
    assert gone.missing[0].withdrawn_on == date(2026, 5, 1)
    later = decide([anouk], [consent(anouk, given=date(2026, 7, 1))], RECIPIENT, Use.PLAN,
                   TODAY)
    assert later.missing[0].gap is Gap.NOT_YET
    renewed = [consent(anouk, withdrawn=date(2026, 5, 1)), consent(anouk, given=date(2026, 5, 2))]
    assert decide([anouk], renewed, RECIPIENT, Use.PLAN, TODAY).allowed


def test_jeugdwet_ages() -> None:
    mother, father = person("Anouk", 40), person("Bram", 42)
    holders = (mother.id, father.id)
    young, teen, older = person("Daan", 9, holders), person("Sem", 14, holders), \
        person("Noor", 16, holders)
    parents = [consent(mother), consent(father)]

    # Under 12: the holders of gezag, not the child.
    assert decide([young], parents, RECIPIENT, Use.PLAN, TODAY).allowed
    only_mother = decide([young], parents[:1], RECIPIENT, Use.PLAN, TODAY)
    assert [(m.subject_id, m.giver_id) for m in only_mother.missing] == [(young.id, father.id)]

    # 12 to 15: the young person and the holders of gezag.
    teen_missing = decide([teen], parents, RECIPIENT, Use.PLAN, TODAY)
    assert [(m.giver_id, m.gap) for m in teen_missing.missing] == [(teen.id, Gap.NONE_GIVEN)]
    assert decide([teen], [*parents, consent(teen)], RECIPIENT, Use.PLAN, TODAY).allowed
    assert not decide([teen], [consent(teen)], RECIPIENT, Use.PLAN, TODAY).allowed

    # 16 and older: alone; the parents' consent does not count for them.
    assert not decide([older], parents, RECIPIENT, Use.PLAN, TODAY).allowed
    assert decide([older], [consent(older)], RECIPIENT, Use.PLAN, TODAY).allowed


def test_a_minor_without_recorded_gezag_is_blocked() -> None:
    child = person("Daan", 9)
    result = decide([child], [], RECIPIENT, Use.PLAN, TODAY)
    assert [m.gap for m in result.missing] == [Gap.NO_GEZAG_HOLDER]
    teen = person("Sem", 13)
    result = decide([teen], [consent(teen)], RECIPIENT, Use.PLAN, TODAY)
    assert [m.gap for m in result.missing] == [Gap.NO_GEZAG_HOLDER]


def test_unknown_birth_date_counts_as_deciding_alone() -> None:
    someone = person("Eva", None)
    assert decide([someone], [consent(someone)], RECIPIENT, Use.PLAN, TODAY).allowed
