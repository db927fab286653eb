"""Households (huishoudens), their members, their network and the professionals involved."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date

from wijkteam_app.domain.validation import (
    MAX_NOTE,
    ErrorCode,
    FieldError,
    bsn_error,
    optional_text,
    past_date,
    postcode_error,
    required_text,
)

ADULT_AGE = 18


class HouseholdRole(enum.StrEnum):
    HOOFDBEWONER = "hoofdbewoner"
    PARTNER = "partner"
    KIND = "kind"
    PLEEGKIND = "pleegkind"
    OUDER = "ouder"
    HUISGENOOT = "huisgenoot"
    OVERIG = "overig"


@dataclass(frozen=True, slots=True)
class Address:
    street: str
    house_number: int
    house_number_suffix: str
    postcode: str
    city: str


@dataclass(frozen=True, slots=True)
class Household:
    id: str
    name: str
    address: Address
    wijk: str
    version: int = 0
    # The city district the wijk lies in (Almere: 18 wijken in 4 stadsdelen). After `version`
    # so that existing positional constructions keep their meaning.
    stadsdeel: str = ""


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    household_id: str
    first_name: str
    last_name: str
    household_role: HouseholdRole
    name_prefix: str = ""  # tussenvoegsel: "de", "van der"
    birth_date: date | None = None
    bsn: str = ""  # empty when unknown; only where the law asks for it
    gezag_holder_ids: tuple[str, ...] = ()  # persons holding gezag over a minor
    gezag_note: str = ""  # e.g. a guardian outside the household
    version: int = 0

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.name_prefix, self.last_name) if p)

    def age_on(self, day: date) -> int | None:
        return age_on(self.birth_date, day)

    def is_minor_on(self, day: date) -> bool:
        age = self.age_on(day)
        return age is not None and age < ADULT_AGE


@dataclass(frozen=True, slots=True)
class NetworkMember:
    """Someone from the household's own circle: family, neighbours, friends, volunteers."""

    id: str
    household_id: str
    name: str
    relation: str
    support: str = ""  # what they do, or could do
    phone: str = ""
    person_id: str | None = None  # whose network, when it is one member's
    version: int = 0


@dataclass(frozen=True, slots=True)
class Professional:
    """A professional or organisation already involved with the household."""

    id: str
    household_id: str
    organisation: str
    name: str = ""
    discipline: str = ""
    contact: str = ""
    since: date | None = None
    version: int = 0


@dataclass(frozen=True, slots=True)
class HouseholdDetail:
    """Everything the household page shows, read in one go."""

    household: Household
    members: tuple[Person, ...] = ()
    network: tuple[NetworkMember, ...] = ()
    professionals: tuple[Professional, ...] = ()
    extra: dict[str, object] = field(default_factory=dict)


def age_on(birth: date | None, day: date) -> int | None:
    if birth is None:
        return None
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


def validate_address(address: Address, wijk: str) -> list[FieldError]:
    errors: list[FieldError] = []
    required_text(errors, "street", address.street)
    if not 1 <= address.house_number <= 99999:
        errors.append(FieldError("house_number", ErrorCode.HOUSE_NUMBER_INVALID))
    optional_text(errors, "house_number_suffix", address.house_number_suffix, 10)
    code = postcode_error(address.postcode)
    if code:
        errors.append(FieldError("postcode", code))
    required_text(errors, "city", address.city)
    required_text(errors, "wijk", wijk)
    return errors


def validate_household(household: Household) -> list[FieldError]:
    errors: list[FieldError] = []
    required_text(errors, "name", household.name)
    errors += validate_address(household.address, household.wijk)
    optional_text(errors, "stadsdeel", household.stadsdeel, 200)
    return errors


def validate_person(
    person: Person, today: date, household_ids: set[str] | None = None
) -> list[FieldError]:
    """Check one member. `household_ids` are the ids of the other members (for gezag)."""
    errors: list[FieldError] = []
    required_text(errors, "first_name", person.first_name)
    required_text(errors, "last_name", person.last_name)
    optional_text(errors, "name_prefix", person.name_prefix, 20)
    past_date(errors, "birth_date", person.birth_date, today, required=False)
    code = bsn_error(person.bsn)
    if code:
        errors.append(FieldError("bsn", code))
    if person.gezag_holder_ids or person.gezag_note:
        if not person.is_minor_on(today):
            errors.append(FieldError("gezag", ErrorCode.GEZAG_ONLY_FOR_MINORS))
        elif household_ids is not None and any(
            h not in household_ids or h == person.id for h in person.gezag_holder_ids
        ):
            errors.append(FieldError("gezag", ErrorCode.UNKNOWN_REFERENCE))
    optional_text(errors, "gezag_note", person.gezag_note)
    return errors


def validate_network_member(member: NetworkMember) -> list[FieldError]:
    errors: list[FieldError] = []
    required_text(errors, "name", member.name)
    required_text(errors, "relation", member.relation)
    optional_text(errors, "support", member.support, MAX_NOTE)
    optional_text(errors, "phone", member.phone, 40)
    return errors


def validate_professional(pro: Professional, today: date) -> list[FieldError]:
    errors: list[FieldError] = []
    required_text(errors, "organisation", pro.organisation)
    optional_text(errors, "name", pro.name)
    optional_text(errors, "discipline", pro.discipline)
    optional_text(errors, "contact", pro.contact)
    past_date(errors, "since", pro.since, today, required=False)
    return errors
