"""The resident's rights (AVG art. 15-17, Jeugdwet 7.3.9): inzage, erasure on request with the
legal exceptions, and rectification — each handled request is recorded (`PrivacyRequest`,
append-only, synced) so the municipality can show what was asked, decided and why.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from wijkteam_app.domain.cases import Case, CaseStatus
from wijkteam_app.domain.people import Person
from wijkteam_app.domain.validation import ErrorCode, FieldError, optional_text, past_date

MAX_NOTE = 4000


class RequestKind(enum.StrEnum):
    INZAGE = "inzage"  # AVG art. 15: everything stored about the person, within a month
    WISSEN = "wissen"  # AVG art. 17, Jeugdwet 7.3.9: destroy on request, within 3 months
    CORRECTIE = "correctie"  # AVG art. 16: rectification


class Outcome(enum.StrEnum):
    UITGEVOERD = "uitgevoerd"
    GEWEIGERD = "geweigerd"  # an exception applies; the reasons are recorded


class ErasureException(enum.StrEnum):
    """The legal grounds to keep data despite a request to erase it. `LEGAL_BASIS` gives the
    article; the UI shows the Dutch explanation."""

    LOPENDE_ONDERSTEUNING = "lopende_ondersteuning"
    WETTELIJKE_BEWAARPLICHT = "wettelijke_bewaarplicht"
    BELANG_ANDER = "belang_ander"
    RECHTSVORDERING = "rechtsvordering"


LEGAL_BASIS: dict[ErasureException, str] = {
    ErasureException.LOPENDE_ONDERSTEUNING: "AVG art. 17 lid 1 onder a en lid 3 onder b",
    ErasureException.WETTELIJKE_BEWAARPLICHT: "AVG art. 17 lid 3 onder b; Archiefwet, "
                                               "Selectielijst gemeenten 2020",
    ErasureException.BELANG_ANDER: "Jeugdwet art. 7.3.9 lid 2 (aanmerkelijk belang van een "
                                   "ander)",
    ErasureException.RECHTSVORDERING: "AVG art. 17 lid 3 onder e",
}


@dataclass(frozen=True, slots=True)
class PrivacyRequest:
    id: str
    household_id: str
    person_id: str
    kind: RequestKind
    requested_on: date
    handled_on: date
    handled_by: str
    outcome: Outcome
    exceptions: tuple[ErasureException, ...] = ()
    # rectification: which fields were corrected (names only); an executed erasure: what it
    # scrubbed, deleted and kept, counted per record kind (`domain.erasure.ErasureReport`)
    fields: tuple[str, ...] = ()
    note: str = ""
    version: int = 0


def suggested_exceptions(person: Person, cases: Iterable[Case], signed_plan: bool,
                         members: Iterable[Person], today: date) -> list[ErasureException]:
    """Exceptions the file itself points at; the worker confirms or clears each one.
    - support still running (a case not closed) needs the data;
    - a signed plan or a decision falls under the archive's retention term;
    - other members, especially minors, have an interest in a shared file."""
    found: list[ErasureException] = []
    if any(c.status is not CaseStatus.AFGESLOTEN for c in cases):
        found.append(ErasureException.LOPENDE_ONDERSTEUNING)
    if signed_plan:
        found.append(ErasureException.WETTELIJKE_BEWAARPLICHT)
    if any(m.id != person.id and m.is_minor_on(today) for m in members):
        found.append(ErasureException.BELANG_ANDER)
    return found


def validate_request(request: PrivacyRequest, today: date) -> list[FieldError]:
    errors: list[FieldError] = []
    past_date(errors, "requested_on", request.requested_on, today)
    if request.handled_on < request.requested_on:
        errors.append(FieldError("handled_on", ErrorCode.DATE_ORDER))
    optional_text(errors, "note", request.note, MAX_NOTE)
    if request.kind is RequestKind.WISSEN:
        expected = Outcome.GEWEIGERD if request.exceptions else Outcome.UITGEVOERD
        if request.outcome is not expected:
            errors.append(FieldError("outcome", ErrorCode.NOT_APPLICABLE))
        if request.exceptions and not request.note.strip():
            errors.append(FieldError("note", ErrorCode.REQUIRED))  # explain the refusal
    elif request.exceptions:
        errors.append(FieldError("exceptions", ErrorCode.NOT_APPLICABLE))
    if request.kind is RequestKind.CORRECTIE and not request.fields:
        errors.append(FieldError("fields", ErrorCode.REQUIRED))
    return errors
