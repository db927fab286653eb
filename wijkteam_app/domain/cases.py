"""Cases (the wijkteam's involvement with one household), contact moments and consent."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from wijkteam_app.domain.validation import (
    MAX_NOTE,
    ErrorCode,
    FieldError,
    optional_text,
    past_date,
    required_text,
)


class CaseStatus(enum.StrEnum):
    AANGEMELD = "aangemeld"
    QUICKSCAN = "quickscan"
    KEUKENTAFELGESPREK = "keukentafelgesprek"
    PLAN = "plan"
    UITVOERING = "uitvoering"
    EVALUATIE = "evaluatie"
    NAZORG = "nazorg"
    AFGESLOTEN = "afgesloten"


class Complexity(enum.StrEnum):
    ENKELVOUDIG = "enkelvoudig"
    MEERVOUDIG = "meervoudig"


class ReferralSource(enum.StrEnum):
    INWONER = "inwoner"
    HUISARTS = "huisarts"
    SCHOOL = "school"
    POLITIE = "politie"
    WONINGCORPORATIE = "woningcorporatie"
    BUREN = "buren"
    NETWERK = "netwerk"
    ZORGAANBIEDER = "zorgaanbieder"
    GEMEENTE = "gemeente"
    VEILIG_THUIS = "veilig_thuis"
    OVERIG = "overig"


class UrgencyCriterion(enum.StrEnum):
    """AMW urgency criteria (seed 000). The first five are crisis sensitive."""

    TERMINALE_SITUATIE = "terminale_situatie"
    SUICIDALITEIT = "suicidaliteit"
    HUISELIJK_GEWELD = "huiselijk_geweld"
    KWETSBAARHEID = "kwetsbaarheid"
    DAKLOOSHEID = "dakloosheid"
    VOORMALIGE_VET_ZAAK = "voormalige_vet_zaak"

    @property
    def crisis_sensitive(self) -> bool:
        return self is not UrgencyCriterion.VOORMALIGE_VET_ZAAK


class ProblemArea(enum.StrEnum):
    """AMW problem categories (seed 000)."""

    INKOMEN = "inkomen"
    BESTEDING = "besteding"
    HUISVESTING = "huisvesting"
    VORMING_OPLEIDING = "vorming_opleiding"
    ARBEID = "arbeid"
    GEZONDHEID = "gezondheid"
    ECHTSCHEIDING = "echtscheiding"
    RELATIE_PARTNER = "relatie_partner"
    RELATIE_OUDER_KIND = "relatie_ouder_kind"
    RELATIE_ANDEREN = "relatie_anderen"
    RELATIE_ORGANISATIES = "relatie_organisaties"
    VERWERKING = "verwerking"
    EENZAAMHEID = "eenzaamheid"
    IDENTITEIT = "identiteit"
    PSYCHISCHE_PROBLEMEN = "psychische_problemen"
    CULTUURVERSCHILLEN = "cultuurverschillen"
    SLACHTOFFER_GEWELD = "slachtoffer_geweld"


class ContactKind(enum.StrEnum):
    HUISBEZOEK = "huisbezoek"
    KANTOOR = "kantoor"
    TELEFONISCH = "telefonisch"
    BEELDBELLEN = "beeldbellen"
    EMAIL = "email"
    OVERLEG = "overleg"  # with other professionals, without the resident
    OVERIG = "overig"


CLIENT_PROFILES = range(1, 6)


@dataclass(frozen=True, slots=True)
class Quickscan:
    """The quickscan's three questions, in the resident's words (seed 002)."""

    self_: str = ""  # Wat kunt u zelf?
    arrange: str = ""  # Wat kunt u zelf regelen (met uw netwerk)?
    help: str = ""  # Waarbij heeft u hulp nodig?


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    household_id: str
    team_id: str
    regisseur_id: str
    status: CaseStatus
    referral_source: ReferralSource
    referral_date: date
    referral_note: str = ""
    quickscan: Quickscan = field(default_factory=lambda: Quickscan())
    case_team_ids: tuple[str, ...] = ()  # workers who work on the case beside the regisseur
    complexity: Complexity | None = None
    urgency: tuple[UrgencyCriterion, ...] = ()
    client_profile: int | None = None
    problem_areas: tuple[ProblemArea, ...] = ()
    next_evaluation: date | None = None
    closed_on: date | None = None
    version: int = 0


@dataclass(frozen=True, slots=True)
class ContactMoment:
    id: str
    case_id: str
    on: date
    duration_minutes: int
    kind: ContactKind
    worker_id: str
    with_whom: str = ""
    notes: str = ""
    version: int = 0


@dataclass(frozen=True, slots=True)
class Consent:
    """Consent to share data with a recipient for a purpose; demonstrable and withdrawable."""

    id: str
    household_id: str
    person_id: str
    recipient: str
    purpose: str
    given_on: date
    recorded_by: str
    form: str = "mondeling"  # mondeling / schriftelijk
    withdrawn_on: date | None = None
    version: int = 0

    def active_on(self, day: date) -> bool:
        return self.given_on <= day and (self.withdrawn_on is None or day < self.withdrawn_on)


def total_minutes(contacts: Iterable[ContactMoment]) -> int:
    """Time is registered per case (seed 000): the total of its contact moments."""
    return sum(c.duration_minutes for c in contacts)


MAX_CONTACT_MINUTES = 24 * 60
CONTACT_DATE_PAST_LIMIT = timedelta(days=366 * 2)


def validate_case(case: Case, today: date) -> list[FieldError]:
    errors: list[FieldError] = []
    past_date(errors, "referral_date", case.referral_date, today)
    optional_text(errors, "referral_note", case.referral_note, MAX_NOTE)
    optional_text(errors, "quickscan.self_", case.quickscan.self_, MAX_NOTE)
    optional_text(errors, "quickscan.arrange", case.quickscan.arrange, MAX_NOTE)
    optional_text(errors, "quickscan.help", case.quickscan.help, MAX_NOTE)
    if case.client_profile is not None and case.client_profile not in CLIENT_PROFILES:
        errors.append(FieldError("client_profile", ErrorCode.OUT_OF_RANGE))
    if len(set(case.urgency)) != len(case.urgency):
        errors.append(FieldError("urgency", ErrorCode.DUPLICATE))
    if len(set(case.problem_areas)) != len(case.problem_areas):
        errors.append(FieldError("problem_areas", ErrorCode.DUPLICATE))
    if case.regisseur_id in case.case_team_ids:
        errors.append(FieldError("case_team_ids", ErrorCode.DUPLICATE))
    if case.next_evaluation is not None and case.next_evaluation < case.referral_date:
        errors.append(FieldError("next_evaluation", ErrorCode.DATE_ORDER))
    if case.closed_on is not None:
        if case.closed_on < case.referral_date:
            errors.append(FieldError("closed_on", ErrorCode.DATE_ORDER))
        elif case.closed_on > today:
            errors.append(FieldError("closed_on", ErrorCode.DATE_IN_FUTURE))
    if (case.status is CaseStatus.AFGESLOTEN) != (case.closed_on is not None):
        errors.append(FieldError("closed_on", ErrorCode.REQUIRED))
    return errors


def validate_contact(contact: ContactMoment, today: date) -> list[FieldError]:
    """A contact happened (not in the future) and recently enough to be registered now."""
    errors: list[FieldError] = []
    past_date(errors, "on", contact.on, today)
    if contact.on is not None and contact.on < today - CONTACT_DATE_PAST_LIMIT:
        errors.append(FieldError("on", ErrorCode.DATE_TOO_OLD))
    if not 1 <= contact.duration_minutes <= MAX_CONTACT_MINUTES:
        errors.append(FieldError("duration_minutes", ErrorCode.OUT_OF_RANGE))
    optional_text(errors, "with_whom", contact.with_whom)
    optional_text(errors, "notes", contact.notes, MAX_NOTE)
    return errors


def validate_consent(consent: Consent, today: date) -> list[FieldError]:
    errors: list[FieldError] = []
    required_text(errors, "recipient", consent.recipient)
    required_text(errors, "purpose", consent.purpose, MAX_NOTE)
    past_date(errors, "given_on", consent.given_on, today)
    if consent.form not in ("mondeling", "schriftelijk"):
        errors.append(FieldError("form", ErrorCode.UNKNOWN_CHOICE))
    if consent.withdrawn_on is not None and consent.withdrawn_on < consent.given_on:
        errors.append(FieldError("withdrawn_on", ErrorCode.DATE_ORDER))
    return errors
