"""Small builders for domain objects used across tests."""

from __future__ import annotations

from datetime import date

from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.people import Address, Household, HouseholdRole, Person


def household(name: str = "Huishouden Proefmans", postcode: str = "1234 AB",
              number: int = 12, wijk: str = "Noord") -> Household:
    return Household(new_id(), name, Address("Proefstraat", number, "", postcode,
                                             "Voorbeeldstad"), wijk)


def person(household_id: str = "", first: str = "Anouk", last: str = "Proefmans",
           birth: date | None = date(1980, 5, 17), bsn: str = "",
           role: HouseholdRole = HouseholdRole.HOOFDBEWONER) -> Person:
    return Person(new_id(), household_id, first, last, role, birth_date=birth, bsn=bsn)
