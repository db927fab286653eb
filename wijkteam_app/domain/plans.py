"""The ondersteuningsplan: versioned content, workflow, review, mandate and toets, signing.

One household has one plan; a plan is a sequence of `PlanVersion`s. A version holds its
content (`PlanContent`: who took part, the question, the situation, goals with the
agreements per goal in the eigen-kracht order, regie, evaluation dates, the resident's view,
consents) and the records made on it (status history, coach reviews, toets, signature,
evaluations).

Rules (brief §1, §6; issue 4):

- Workflow: CONCEPT → TER_BEOORDELING → GOEDGEKEURD | TERUGGESTUURD; GOEDGEKEURD →
  TER_ONDERTEKENING → ONDERTEKEND → IN_UITVOERING → GEEVALUEERD → AFGESLOTEN. `transition`
  refuses anything else with `IllegalTransition`. A returned version is never edited again:
  `new_version_from` starts a new CONCEPT (number + 1, `based_on_id` = the old id).
- Only a CONCEPT's content can change (`edit`); any other status raises `ImmutableVersion`.
- Gecontroleerd vertrouwen: professional support outside the regisseur's `Mandate` (a product
  not mandated, or a total above the maximum) needs a gemeentelijke toets, given by someone
  other than the regisseur, before the plan may go to signing.
- Signing (Jeugdwet art. 7.3.4): under 12 those with gezag sign, 12 to 16 the child and those
  with gezag, from 16 the young person alone; adults sign themselves; plus the professional.
  A signature binds the version id, the content fingerprint and the SHA-256 of exactly the
  signed PDF; any change invalidates it.

Everything here is pure: no clock, no storage. Times and ids are passed in. Validation
returns `FieldError` lists (paths like ``goals.0.professional.1.end``); the Dutch wording
lives in `wijkteam_app.messages`. The only new error codes would be nicer messages; the
existing `ErrorCode` values are used and their meaning per field is documented below.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import hmac
import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeAlias

from wijkteam_app.domain.cases import CaseStatus
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.people import ADULT_AGE, Person
from wijkteam_app.domain.validation import (
    MAX_NOTE,
    MAX_TEXT,
    ErrorCode,
    FieldError,
    ValidationFailed,
    optional_text,
    required_text,
)

# --- enums ---------------------------------------------------------------------------------


class PlanStatus(enum.StrEnum):
    CONCEPT = "concept"
    TER_BEOORDELING = "ter_beoordeling"
    GOEDGEKEURD = "goedgekeurd"
    TERUGGESTUURD = "teruggestuurd"
    TER_ONDERTEKENING = "ter_ondertekening"
    ONDERTEKEND = "ondertekend"
    IN_UITVOERING = "in_uitvoering"
    GEEVALUEERD = "geevalueerd"
    AFGESLOTEN = "afgesloten"


class Horizon(enum.StrEnum):
    """Woerden's three questions: what first, where in 3 months, where in 1 year."""

    EERSTE_STAP = "eerste_stap"
    DRIE_MAANDEN = "drie_maanden"
    EEN_JAAR = "een_jaar"


class ResidentAgreement(enum.StrEnum):
    AKKOORD = "akkoord"
    AKKOORD_ONDER_PROTEST = "akkoord_onder_protest"
    NIET_AKKOORD = "niet_akkoord"


class GoalResult(enum.StrEnum):
    BEHAALD = "behaald"
    DEELS = "deels"
    NIET_BEHAALD = "niet_behaald"


class PlanSection(enum.StrEnum):
    """The sections of a plan, in the order of brief §6 (used for comments and diffs)."""

    DEELNEMERS = "deelnemers"
    HULPVRAAG = "hulpvraag"
    SITUATIE = "situatie"
    DOELEN = "doelen"
    REGIE = "regie"
    EVALUATIE = "evaluatie"
    ZIENSWIJZE = "zienswijze"
    TOESTEMMING = "toestemming"


class ReviewOutcome(enum.StrEnum):
    GOEDKEUREN = "goedkeuren"
    TERUGSTUREN = "terugsturen"


class ToetsDecision(enum.StrEnum):
    POSITIEF = "positief"
    NEGATIEF = "negatief"


class RegieLevel(enum.StrEnum):
    WIJKTEAM = "wijkteam"  # a wijkwerker is regisseur
    GEZINSBEGELEIDING = "gezinsbegeleiding"  # escalated to a gezinsbegeleider


class EscalationDirection(enum.StrEnum):
    OPSCHALEN = "opschalen"
    AFSCHALEN = "afschalen"


class Financing(enum.StrEnum):
    """How one professional provision is paid (seed 003, "Subsidiëren of inkopen").

    - ZORG_IN_NATURA: the municipality contracts the provider and pays it;
    - PGB: a persoonsgebonden budget, money paid to the budget holder; the municipality
      allows it only where the resident arranges the support demonstrably better and cheaper,
      and then **always** with a gemeentelijke toets (`toets_reasons`);
    - VOUCHER: an ondersteuningsbudget / persoonsvolgend budget (PVB) given as a digital
      voucher: a drawing right on any provider with a framework contract.
    """

    ZORG_IN_NATURA = "zorg_in_natura"
    PGB = "pgb"
    VOUCHER = "voucher"

    @property
    def leveringsvorm(self) -> str:
        """The iWmo/iJw leveringsvorm code (resources/codelists: ``delivery_forms``): a
        voucher is delivered by a contracted provider, so in the messages it is natura."""
        return LEVERINGSVORM[self]


LEVERINGSVORM: dict[Financing, str] = {
    Financing.ZORG_IN_NATURA: "1",
    Financing.PGB: "2",
    Financing.VOUCHER: "1",
}


class EigenBijdrage(enum.StrEnum):
    """The expected eigen bijdrage for one provision (Wmo art. 2.1.4; collected by the CAK).

    GEEN: none (Jeugdwet provisions never have one; also exemptions); ABONNEMENTSTARIEF: the
    fixed monthly Wmo rate for maatwerk; INKOMENSAFHANKELIJK: the income-related contribution
    (beschermd wonen, opvang)."""

    GEEN = "geen"
    ABONNEMENTSTARIEF = "abonnementstarief"
    INKOMENSAFHANKELIJK = "inkomensafhankelijk"


OMIT_DEFAULT = "omit_default"
"""Dataclass field metadata: leave the field out of `to_plain` while it holds its default.
Fields added to plan content after plans were signed carry it, so the canonical JSON (and
the fingerprint every signature binds) of older content stays exactly what it was."""

_LATER = {OMIT_DEFAULT: True}


MIN_LEVEL = 1
MAX_LEVEL = 5
YOUTH_SIGNS_FROM = 12  # Jeugdwet 7.3.4: from 12 the child signs too
YOUTH_SIGNS_ALONE_FROM = 16  # from 16 the young person signs alone
SHORT_FINGERPRINT = 12
FINGERPRINT_FORMAT = "wijkteam-ondersteuningsplan/1"


# --- exceptions ----------------------------------------------------------------------------


class PlanRuleViolation(Exception):
    """A plan rule refused an action; nothing was changed. `reason` is a stable code."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class IllegalTransition(PlanRuleViolation):
    def __init__(self, current: PlanStatus, to: PlanStatus, why: str = "") -> None:
        text = f"cannot go from {current.value} to {to.value}"
        super().__init__("illegal_transition", f"{text}: {why}" if why else text)
        self.current = current
        self.to = to


class ImmutableVersion(PlanRuleViolation):
    def __init__(self, status: PlanStatus) -> None:
        super().__init__(
            "immutable_version",
            f"a version in status {status.value} cannot be edited; make a new version",
        )
        self.status = status


class ToetsByRegisseur(PlanRuleViolation):
    def __init__(self) -> None:
        super().__init__("toets_by_regisseur", "the toets must be given by someone other "
                         "than the plan's regisseur")


class IllegalEscalation(PlanRuleViolation):
    pass


# --- content -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Participants:
    """Who took part in making the plan."""

    person_ids: tuple[str, ...] = ()
    network_member_ids: tuple[str, ...] = ()
    professional_ids: tuple[str, ...] = ()
    others: str = ""  # free text, e.g. "tolk Arabisch" or "cliëntondersteuner MEE"


@dataclass(frozen=True, slots=True)
class DomainSituation:
    """The situation on one life domain, by ZRM item code, in words."""

    domain_code: str
    text: str


@dataclass(frozen=True, slots=True)
class Situation:
    domains: tuple[DomainSituation, ...] = ()
    zrm_assessment_ids: tuple[str, ...] = ()  # the latest ZRM per person / household
    ladder_assessment_ids: tuple[str, ...] = ()  # the latest participatieladder per person


@dataclass(frozen=True, slots=True)
class NetworkAgreement:
    network_member_id: str
    task: str


@dataclass(frozen=True, slots=True)
class ProvisionAgreement:
    """Use of a voorliggende voorziening from the sociale kaart."""

    provision_id: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class ProfessionalSupport:
    """Maatwerk: product (iWmo/iJw code lists), provider, how much, how long, cost."""

    product_code: str
    product_name: str
    provider: str
    volume: int
    unit_code: str
    frequency_code: str
    start: date
    end: date
    cost_cents: int
    financing: Financing | None = field(default=None, metadata=_LATER)
    eigen_bijdrage: EigenBijdrage | None = field(default=None, metadata=_LATER)


@dataclass(frozen=True, slots=True)
class OtherAgreement:
    """An agreement with someone who is neither the resident nor the network and no
    maatwerk either (a school, the huisarts, a colleague), e.g. taken over from a case
    conference: who does what, and by when."""

    who: str
    what: str
    due: date | None = None


@dataclass(frozen=True, slots=True)
class Goal:
    """One concrete goal on one life domain, with who does what in the eigen-kracht order."""

    id: str
    domain_code: str
    description: str
    current_level: int
    target_level: int
    horizon: Horizon
    zelf: str = ""
    netwerk: tuple[NetworkAgreement, ...] = ()
    voorzieningen: tuple[ProvisionAgreement, ...] = ()
    professioneel: tuple[ProfessionalSupport, ...] = ()
    afspraken: tuple[OtherAgreement, ...] = field(default=(), metadata=_LATER)
    # For whom in the household the goal is (person ids); empty: the household as a whole.
    # Added later: left out of the canonical form while empty, so the fingerprints of plans
    # made (and signed) before keep their value.
    for_person_ids: tuple[str, ...] = field(default=(), metadata=_LATER)


@dataclass(frozen=True, slots=True)
class ResidentView:
    agreement: ResidentAgreement | None = None
    own_words: str = ""


@dataclass(frozen=True, slots=True)
class SharingConsent:
    """Consent for sharing data, per recipient and purpose, and who gave it."""

    recipient: str
    purpose: str
    given_by_person_id: str


@dataclass(frozen=True, slots=True)
class PlanContent:
    """Everything the resident agrees to and signs; fingerprinted as a whole."""

    participants: Participants = field(default_factory=Participants)
    question: str = ""
    situation: Situation = field(default_factory=Situation)
    goals: tuple[Goal, ...] = ()
    regisseur_id: str = ""
    evaluation_dates: tuple[date, ...] = ()
    resident_view: ResidentView = field(default_factory=ResidentView)
    consents: tuple[SharingConsent, ...] = ()

    def goal(self, goal_id: str) -> Goal:
        for goal in self.goals:
            if goal.id == goal_id:
                return goal
        raise KeyError(goal_id)

    def professional_support(self) -> tuple[ProfessionalSupport, ...]:
        return tuple(s for goal in self.goals for s in goal.professioneel)

    def total_cost_cents(self) -> int:
        return sum(s.cost_cents for s in self.professional_support())


# --- records made on a version ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatusChange:
    from_status: PlanStatus | None  # None for the creation of the version
    to_status: PlanStatus
    actor_id: str
    at: datetime
    note: str = ""


@dataclass(frozen=True, slots=True)
class SectionComment:
    section: PlanSection
    text: str
    goal_id: str | None = None  # a comment on one goal inside DOELEN


@dataclass(frozen=True, slots=True)
class ReviewDecision:
    """A teamcoach's decision, made on exactly one version (also offline)."""

    version_id: str
    reviewer_id: str
    decided_at: datetime
    outcome: ReviewOutcome
    comments: tuple[SectionComment, ...] = ()


@dataclass(frozen=True, slots=True)
class Mandate:
    """What a worker may deploy without a toets: up to a total, and only these products."""

    max_amount_cents: int
    product_codes: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class ToetsRecord:
    version_id: str
    toetser_id: str
    decided_at: datetime
    decision: ToetsDecision
    note: str = ""


@dataclass(frozen=True, slots=True)
class Signer:
    """Someone who signed: a person of the household (person_id) or the professional."""

    name: str
    role: str  # e.g. "inwoner", "ouder met gezag", "regisseur"
    person_id: str | None = None
    worker_id: str | None = None


@dataclass(frozen=True, slots=True)
class PlanSignature:
    plan_version_id: str
    content_fingerprint: str
    signers: tuple[Signer, ...]
    signed_on: date
    place: str
    pdf_sha256: str  # of exactly the PDF that was signed
    scan_reference: str = ""  # the stored (encrypted) scan of the signed copy


@dataclass(frozen=True, slots=True)
class GoalEvaluation:
    goal_id: str
    result: GoalResult
    note: str
    zrm_assessment_id: str  # the fresh ZRM made for this evaluation
    evaluated_on: date
    evaluator_id: str


@dataclass(frozen=True, slots=True)
class PlanVersion:
    id: str
    plan_id: str
    household_id: str
    number: int
    status: PlanStatus
    content: PlanContent
    created_at: datetime
    created_by: str
    based_on_id: str | None = None
    history: tuple[StatusChange, ...] = ()
    reviews: tuple[ReviewDecision, ...] = ()
    toets: ToetsRecord | None = None
    signature: PlanSignature | None = None
    evaluations: tuple[GoalEvaluation, ...] = ()
    version: int = 0  # storage concurrency counter, not the plan version number

    @property
    def editable(self) -> bool:
        return self.status is PlanStatus.CONCEPT

    @property
    def last_review(self) -> ReviewDecision | None:
        return self.reviews[-1] if self.reviews else None


# --- creating and editing versions ---------------------------------------------------------


def new_plan(
    household_id: str,
    content: PlanContent,
    actor_id: str,
    at: datetime,
    *,
    plan_id: str | None = None,
    version_id: str | None = None,
) -> PlanVersion:
    """Version 1 of a new plan, in CONCEPT."""
    return PlanVersion(
        id=version_id or new_id(),
        plan_id=plan_id or new_id(),
        household_id=household_id,
        number=1,
        status=PlanStatus.CONCEPT,
        content=content,
        created_at=at,
        created_by=actor_id,
        history=(StatusChange(None, PlanStatus.CONCEPT, actor_id, at),),
    )


def edit(version: PlanVersion, content: PlanContent) -> PlanVersion:
    """The same CONCEPT version with new content; ImmutableVersion for any other status."""
    if not version.editable:
        raise ImmutableVersion(version.status)
    return dataclasses.replace(version, content=content)


def new_version_from(
    old: PlanVersion,
    actor_id: str,
    at: datetime,
    *,
    content: PlanContent | None = None,
    version_id: str | None = None,
    highest_number: int | None = None,
) -> PlanVersion:
    """A new CONCEPT version based on `old` (which stays as it is).

    The number is one above `old.number`, or above `highest_number` when the plan already has
    later versions. Not from a CONCEPT (edit that one) and not from a closed plan.
    """
    if old.status is PlanStatus.CONCEPT:
        raise IllegalTransition(old.status, PlanStatus.CONCEPT, "edit the concept itself")
    if old.status is PlanStatus.AFGESLOTEN:
        raise IllegalTransition(old.status, PlanStatus.CONCEPT, "the plan is closed")
    number = max(old.number, highest_number or 0) + 1
    return PlanVersion(
        id=version_id or new_id(),
        plan_id=old.plan_id,
        household_id=old.household_id,
        number=number,
        status=PlanStatus.CONCEPT,
        content=old.content if content is None else content,
        created_at=at,
        created_by=actor_id,
        based_on_id=old.id,
        history=(StatusChange(None, PlanStatus.CONCEPT, actor_id, at, f"op basis van {old.id}"),),
    )


# --- workflow ------------------------------------------------------------------------------

ALLOWED_TRANSITIONS: dict[PlanStatus, frozenset[PlanStatus]] = {
    PlanStatus.CONCEPT: frozenset({PlanStatus.TER_BEOORDELING}),
    PlanStatus.TER_BEOORDELING: frozenset({PlanStatus.GOEDGEKEURD, PlanStatus.TERUGGESTUURD}),
    PlanStatus.GOEDGEKEURD: frozenset({PlanStatus.TER_ONDERTEKENING}),
    PlanStatus.TERUGGESTUURD: frozenset(),  # a new CONCEPT version: new_version_from()
    PlanStatus.TER_ONDERTEKENING: frozenset({PlanStatus.ONDERTEKEND}),
    PlanStatus.ONDERTEKEND: frozenset({PlanStatus.IN_UITVOERING}),
    PlanStatus.IN_UITVOERING: frozenset({PlanStatus.GEEVALUEERD}),
    PlanStatus.GEEVALUEERD: frozenset({PlanStatus.AFGESLOTEN}),
    PlanStatus.AFGESLOTEN: frozenset(),
}


def allowed_next(status: PlanStatus) -> frozenset[PlanStatus]:
    return ALLOWED_TRANSITIONS[status]


# Where a plan in this status has brought the household's case (product rule): making the plan
# is the PLAN phase, a signed plan is carried out, an evaluated one is evaluated. A case only
# moves forward: a plan never sets its case back, and closing the plan does not close the case.
CASE_STATUS_FOR_PLAN: dict[PlanStatus, CaseStatus] = {
    PlanStatus.CONCEPT: CaseStatus.PLAN,
    PlanStatus.TER_BEOORDELING: CaseStatus.PLAN,
    PlanStatus.GOEDGEKEURD: CaseStatus.PLAN,
    PlanStatus.TERUGGESTUURD: CaseStatus.PLAN,
    PlanStatus.TER_ONDERTEKENING: CaseStatus.PLAN,
    PlanStatus.ONDERTEKEND: CaseStatus.UITVOERING,
    PlanStatus.IN_UITVOERING: CaseStatus.UITVOERING,
    PlanStatus.GEEVALUEERD: CaseStatus.EVALUATIE,
}


def case_status_after(plan_status: PlanStatus, case_status: CaseStatus) -> CaseStatus:
    """The case status once the plan reached `plan_status`: moved forward, never back."""
    target = CASE_STATUS_FOR_PLAN.get(plan_status)
    order = list(CaseStatus)
    if target is None or case_status is CaseStatus.AFGESLOTEN:
        return case_status
    return target if order.index(target) > order.index(case_status) else case_status


def transition(
    version: PlanVersion,
    to: PlanStatus,
    actor_id: str,
    at: datetime,
    *,
    note: str = "",
    review: ReviewDecision | None = None,
    mandate: Mandate | None = None,
    signature: PlanSignature | None = None,
    evaluations: Sequence[GoalEvaluation] = (),
    references: PlanReferences | None = None,
) -> PlanVersion:
    """Move `version` to status `to`, or raise; the input is never changed.

    What each step needs:

    - → TER_BEOORDELING: content passes `validate_for_submission` (else ValidationFailed).
    - → GOEDGEKEURD / TERUGGESTUURD: `review`, made on this version, with the matching
      outcome (a return needs at least one comment). Use `apply_review` for convenience.
    - → TER_ONDERTEKENING: `mandate` of the regisseur; when `needs_toets`, a positive toets
      must have been recorded (`record_toets`).
    - → ONDERTEKEND: `signature` for this version and its current fingerprint.
    - → GEEVALUEERD: `evaluations`, exactly one per goal (`validate_evaluations`).
    """
    current = version.status
    if to not in ALLOWED_TRANSITIONS[current]:
        why = "make a new version with new_version_from()" if (
            current is PlanStatus.TERUGGESTUURD and to is PlanStatus.CONCEPT
        ) else ""
        raise IllegalTransition(current, to, why)
    updated = version
    if to is PlanStatus.TER_BEOORDELING:
        errors = validate_for_submission(version.content, references)
        if errors:
            raise ValidationFailed(errors)
    elif to in (PlanStatus.GOEDGEKEURD, PlanStatus.TERUGGESTUURD):
        updated = _with_review(version, to, review)
    elif to is PlanStatus.TER_ONDERTEKENING:
        if mandate is None:
            raise IllegalTransition(current, to, "the regisseur's mandate is needed")
        if needs_toets(version, mandate):
            if version.toets is None:
                raise IllegalTransition(current, to, "a gemeentelijke toets is needed")
            if version.toets.decision is not ToetsDecision.POSITIEF:
                raise IllegalTransition(current, to, "the gemeentelijke toets was negative")
    elif to is PlanStatus.ONDERTEKEND:
        if signature is None:
            raise IllegalTransition(current, to, "a signature is needed")
        if (
            signature.plan_version_id != version.id
            or signature.content_fingerprint != fingerprint(version)
        ):
            raise IllegalTransition(current, to, "the signature is for another version")
        updated = dataclasses.replace(version, signature=signature)
    elif to is PlanStatus.GEEVALUEERD:
        errors = validate_evaluations(version.content, evaluations)
        if errors:
            raise ValidationFailed(errors)
        updated = dataclasses.replace(version, evaluations=tuple(evaluations))
    change = StatusChange(current, to, actor_id, at, note)
    return dataclasses.replace(updated, status=to, history=(*updated.history, change))


def _with_review(
    version: PlanVersion, to: PlanStatus, review: ReviewDecision | None
) -> PlanVersion:
    current = version.status
    if review is None:
        raise IllegalTransition(current, to, "a review decision is needed")
    if review.version_id != version.id:
        raise IllegalTransition(current, to, "the review was made on another version")
    expected = (
        ReviewOutcome.GOEDKEUREN if to is PlanStatus.GOEDGEKEURD else ReviewOutcome.TERUGSTUREN
    )
    if review.outcome is not expected:
        raise IllegalTransition(current, to, f"the review says {review.outcome.value}")
    if review.outcome is ReviewOutcome.TERUGSTUREN and not any(
        c.text.strip() for c in review.comments
    ):
        raise IllegalTransition(current, to, "returning needs at least one comment")
    return dataclasses.replace(version, reviews=(*version.reviews, review))


def apply_review(version: PlanVersion, review: ReviewDecision) -> PlanVersion:
    """Approve or return a version under review, as the decision says."""
    to = (
        PlanStatus.GOEDGEKEURD
        if review.outcome is ReviewOutcome.GOEDKEUREN
        else PlanStatus.TERUGGESTUURD
    )
    return transition(version, to, review.reviewer_id, review.decided_at, review=review)


def comments_for(review: ReviewDecision, section: PlanSection) -> tuple[SectionComment, ...]:
    return tuple(c for c in review.comments if c.section is section)


# --- mandate and toets ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ToetsReasons:
    """Why a toets is needed: products outside the mandate, a total above it, and/or a
    provision paid as a PGB (seed 003: a PGB always needs a gemeentelijke toets)."""

    products_outside_mandate: tuple[str, ...]
    total_cost_cents: int
    above_max_amount: bool
    pgb_products: tuple[str, ...] = ()

    @property
    def needed(self) -> bool:
        return (bool(self.products_outside_mandate) or self.above_max_amount
                or bool(self.pgb_products))


def toets_reasons(content: PlanContent, mandate: Mandate) -> ToetsReasons:
    outside: list[str] = []
    pgb: list[str] = []
    for support in content.professional_support():
        if support.product_code not in mandate.product_codes and (
            support.product_code not in outside
        ):
            outside.append(support.product_code)
        if support.financing is Financing.PGB and support.product_code not in pgb:
            pgb.append(support.product_code)
    total = content.total_cost_cents()
    return ToetsReasons(tuple(outside), total, total > mandate.max_amount_cents, tuple(pgb))


def needs_toets(version: PlanVersion | PlanContent, mandate: Mandate) -> bool:
    """True when any professional support is not mandated, is paid as a PGB, or the total
    exceeds the maximum."""
    content = version.content if isinstance(version, PlanVersion) else version
    return toets_reasons(content, mandate).needed


def record_toets(version: PlanVersion, toets: ToetsRecord) -> PlanVersion:
    """Store the gemeentelijke toets on a version under review or approved.

    Refused when the toetser is the plan's regisseur (four eyes), when the record is for
    another version, or in any other status (a CONCEPT can still change; after signing it is
    too late). A later toets replaces an earlier one (e.g. after reconsideration).
    """
    if toets.toetser_id == version.content.regisseur_id:
        raise ToetsByRegisseur()
    if toets.version_id != version.id:
        raise PlanRuleViolation("toets_other_version", "the toets was made on another version")
    if version.status not in (PlanStatus.TER_BEOORDELING, PlanStatus.GOEDGEKEURD):
        raise PlanRuleViolation(
            "toets_wrong_status", f"no toets can be recorded in status {version.status.value}"
        )
    if not toets.toetser_id.strip():
        raise PlanRuleViolation("toets_no_toetser", "the toetser is unknown")
    return dataclasses.replace(version, toets=toets)


# --- escalation ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Regie:
    """Who holds the regie of a household's plan, with which mandate, at which level."""

    regisseur_id: str
    mandate: Mandate
    level: RegieLevel = RegieLevel.WIJKTEAM


@dataclass(frozen=True, slots=True)
class EscalationEvent:
    direction: EscalationDirection
    from_regisseur_id: str
    to_regisseur_id: str
    from_mandate: Mandate
    to_mandate: Mandate
    actor_id: str
    at: datetime
    reason: str


def escalate(
    regie: Regie,
    to_regisseur_id: str,
    to_mandate: Mandate,
    actor_id: str,
    at: datetime,
    reason: str,
) -> tuple[Regie, EscalationEvent]:
    """Opschalen: a gezinsbegeleider takes over regie and mandate."""
    return _move_regie(
        regie, EscalationDirection.OPSCHALEN, to_regisseur_id, to_mandate, actor_id, at, reason
    )


def de_escalate(
    regie: Regie,
    to_regisseur_id: str,
    to_mandate: Mandate,
    actor_id: str,
    at: datetime,
    reason: str,
) -> tuple[Regie, EscalationEvent]:
    """Afschalen: back to a wijkwerker when the household manages again."""
    return _move_regie(
        regie, EscalationDirection.AFSCHALEN, to_regisseur_id, to_mandate, actor_id, at, reason
    )


def _move_regie(
    regie: Regie,
    direction: EscalationDirection,
    to_regisseur_id: str,
    to_mandate: Mandate,
    actor_id: str,
    at: datetime,
    reason: str,
) -> tuple[Regie, EscalationEvent]:
    if direction is EscalationDirection.OPSCHALEN:
        required, target = RegieLevel.WIJKTEAM, RegieLevel.GEZINSBEGELEIDING
    else:
        required, target = RegieLevel.GEZINSBEGELEIDING, RegieLevel.WIJKTEAM
    if regie.level is not required:
        raise IllegalEscalation(
            "escalation_level", f"cannot {direction.value} from level {regie.level.value}"
        )
    if not to_regisseur_id.strip():
        raise IllegalEscalation("escalation_no_regisseur", "the new regisseur is unknown")
    if not reason.strip():
        raise IllegalEscalation("escalation_no_reason", "a reason is required")
    event = EscalationEvent(
        direction=direction,
        from_regisseur_id=regie.regisseur_id,
        to_regisseur_id=to_regisseur_id,
        from_mandate=regie.mandate,
        to_mandate=to_mandate,
        actor_id=actor_id,
        at=at,
        reason=reason,
    )
    return Regie(to_regisseur_id, to_mandate, target), event


# --- signing -------------------------------------------------------------------------------


class SignerReason(enum.StrEnum):
    VOLWASSENE = "volwassene"  # 18 or older: signs for themselves
    JEUGDIGE_VANAF_16 = "jeugdige_vanaf_16"  # 16-17: signs alone
    JEUGDIGE_12_TOT_16 = "jeugdige_12_tot_16"  # 12-15: signs, with those with gezag
    GEZAG = "gezag"  # signs for a child under 16
    GEZAG_ONBEKEND = "gezag_onbekend"  # a child under 16 without recorded gezag holder
    LEEFTIJD_ONBEKEND = "leeftijd_onbekend"  # no birth date: signs themselves; check it
    PROFESSIONAL = "professional"


@dataclass(frozen=True, slots=True)
class RequiredSigner:
    """One signature line. `person_id` None with GEZAG_ONBEKEND: the gezag holder must still
    be found (see the child's `gezag_note`). `for_person_ids`: the persons this signature
    counts for (themselves and/or children)."""

    reasons: tuple[SignerReason, ...]
    for_person_ids: tuple[str, ...]
    person_id: str | None = None
    worker_id: str | None = None


def required_signers(
    persons_in_plan: Sequence[Person], today: date, professional_id: str | None = None
) -> tuple[RequiredSigner, ...]:
    """Who must sign the plan (Jeugdwet art. 7.3.4), in the order of `persons_in_plan`.

    Under 12: those with gezag, not the child. 12 to 16: the child and those with gezag.
    From 16: the young person alone. Adults sign themselves. A person who is both an adult
    in the plan and holds gezag over a child gets one line with both reasons. The
    professional (`professional_id`, usually the regisseur) comes last.
    """
    order: list[str] = []
    reasons: dict[str, list[SignerReason]] = {}
    for_ids: dict[str, list[str]] = {}
    unknown_gezag: list[RequiredSigner] = []

    def add(signer_id: str, reason: SignerReason, for_id: str) -> None:
        if signer_id not in reasons:
            order.append(signer_id)
            reasons[signer_id] = []
            for_ids[signer_id] = []
        if reason not in reasons[signer_id]:
            reasons[signer_id].append(reason)
        if for_id not in for_ids[signer_id]:
            for_ids[signer_id].append(for_id)

    for person in persons_in_plan:
        age = person.age_on(today)
        if age is None:
            add(person.id, SignerReason.LEEFTIJD_ONBEKEND, person.id)
        elif age >= ADULT_AGE:
            add(person.id, SignerReason.VOLWASSENE, person.id)
        elif age >= YOUTH_SIGNS_ALONE_FROM:
            add(person.id, SignerReason.JEUGDIGE_VANAF_16, person.id)
        else:
            if age >= YOUTH_SIGNS_FROM:
                add(person.id, SignerReason.JEUGDIGE_12_TOT_16, person.id)
            holders = [h for h in person.gezag_holder_ids if h and h != person.id]
            for holder in holders:
                add(holder, SignerReason.GEZAG, person.id)
            if not holders:
                unknown_gezag.append(
                    RequiredSigner((SignerReason.GEZAG_ONBEKEND,), (person.id,))
                )
    result = [
        RequiredSigner(tuple(reasons[s]), tuple(for_ids[s]), person_id=s) for s in order
    ]
    result += unknown_gezag
    if professional_id:
        result.append(
            RequiredSigner((SignerReason.PROFESSIONAL,), (), worker_id=professional_id)
        )
    return tuple(result)


def pdf_sha256(pdf_bytes: bytes) -> str:
    return hashlib.sha256(pdf_bytes).hexdigest()


def make_signature(
    version: PlanVersion,
    pdf_bytes: bytes,
    signers: Sequence[Signer],
    signed_on: date,
    place: str,
    scan_reference: str = "",
) -> PlanSignature:
    """The signature record for `version`, bound to its fingerprint and these PDF bytes."""
    return PlanSignature(
        plan_version_id=version.id,
        content_fingerprint=fingerprint(version),
        signers=tuple(signers),
        signed_on=signed_on,
        place=place,
        pdf_sha256=pdf_sha256(pdf_bytes),
        scan_reference=scan_reference,
    )


def signature_valid(signature: PlanSignature, version: PlanVersion, pdf_bytes: bytes) -> bool:
    """True only for the same version, the same content and exactly the same PDF bytes."""
    return (
        signature.plan_version_id == version.id
        and hmac.compare_digest(signature.content_fingerprint, fingerprint(version))
        and hmac.compare_digest(signature.pdf_sha256, pdf_sha256(pdf_bytes))
    )


def missing_signers(
    signature: PlanSignature, required: Iterable[RequiredSigner]
) -> tuple[RequiredSigner, ...]:
    """Required signers not among `signature.signers` (matched on person or worker id)."""
    persons = {s.person_id for s in signature.signers if s.person_id}
    workers = {s.worker_id for s in signature.signers if s.worker_id}
    return tuple(
        r
        for r in required
        if not (
            (r.person_id is not None and r.person_id in persons)
            or (r.worker_id is not None and r.worker_id in workers)
        )
    )


# --- fingerprint and diff ------------------------------------------------------------------

Json: TypeAlias = bool | int | str | list["Json"] | dict[str, "Json"] | None


def to_plain(value: object) -> Json:
    """A JSON-ready, canonical form of content values (dataclasses, enums, dates, tuples)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, enum.Enum):
        return to_plain(value.value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, frozenset | set):
        return [to_plain(v) for v in sorted(value, key=str)]
    if isinstance(value, tuple | list):
        return [to_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)
                if not (f.metadata.get(OMIT_DEFAULT) and getattr(value, f.name) == f.default)}
    raise TypeError(f"cannot make {type(value).__name__} canonical")


def canonical_json(content: PlanContent) -> str:
    return _canonical(to_plain(content))


def _canonical(plain: Any) -> str:
    document = {"format": FINGERPRINT_FORMAT, "content": plain}
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_fingerprint(content: PlanContent) -> str:
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def plain_fingerprint(plain: Any) -> str:
    """`content_fingerprint` of a content in its synced (`to_plain`) form, as the server
    holds it."""
    return hashlib.sha256(_canonical(plain).encode("utf-8")).hexdigest()


def fingerprint(version: PlanVersion | PlanContent) -> str:
    """SHA-256 (hex) over the canonical JSON of the version's content (not its records)."""
    content = version.content if isinstance(version, PlanVersion) else version
    return content_fingerprint(content)


def short_fingerprint(value: str) -> str:
    """The first 12 hex characters, as printed on every PDF page."""
    return value[:SHORT_FINGERPRINT]


class ChangeKind(enum.StrEnum):
    TOEGEVOEGD = "toegevoegd"
    VERWIJDERD = "verwijderd"
    GEWIJZIGD = "gewijzigd"


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One difference between two versions. `path` is dotted (``doelen.<goal id>.zelf``);
    `field` is the last part; for a whole goal added or removed `field` is empty."""

    section: PlanSection
    path: str
    field: str
    kind: ChangeKind
    before: Json
    after: Json
    goal_id: str | None = None


def _flatten(content: PlanContent) -> dict[str, tuple[PlanSection, str | None, Json]]:
    flat: dict[str, tuple[PlanSection, str | None, Json]] = {}
    for name in ("person_ids", "network_member_ids", "professional_ids", "others"):
        flat[f"deelnemers.{name}"] = (
            PlanSection.DEELNEMERS, None, to_plain(getattr(content.participants, name))
        )
    flat["hulpvraag.question"] = (PlanSection.HULPVRAAG, None, content.question)
    for entry in content.situation.domains:
        flat[f"situatie.{entry.domain_code}"] = (PlanSection.SITUATIE, None, entry.text)
    for name in ("zrm_assessment_ids", "ladder_assessment_ids"):
        flat[f"situatie.{name}"] = (
            PlanSection.SITUATIE, None, to_plain(getattr(content.situation, name))
        )
    flat["doelen.volgorde"] = (PlanSection.DOELEN, None, [g.id for g in content.goals])
    for goal in content.goals:
        for f in dataclasses.fields(goal):
            if f.name != "id":
                flat[f"doelen.{goal.id}.{f.name}"] = (
                    PlanSection.DOELEN, goal.id, to_plain(getattr(goal, f.name))
                )
    flat["regie.regisseur_id"] = (PlanSection.REGIE, None, content.regisseur_id)
    flat["evaluatie.evaluation_dates"] = (
        PlanSection.EVALUATIE, None, to_plain(content.evaluation_dates)
    )
    flat["zienswijze.agreement"] = (
        PlanSection.ZIENSWIJZE, None, to_plain(content.resident_view.agreement)
    )
    flat["zienswijze.own_words"] = (PlanSection.ZIENSWIJZE, None, content.resident_view.own_words)
    flat["toestemming.consents"] = (PlanSection.TOESTEMMING, None, to_plain(content.consents))
    return flat


def diff_versions(
    a: PlanVersion | PlanContent, b: PlanVersion | PlanContent
) -> tuple[FieldChange, ...]:
    """What changed from `a` to `b`, per section, goal and field, in section order.

    Goals are matched by id: a goal only in `b` is one TOEGEVOEGD change (after = the whole
    goal), a goal only in `a` one VERWIJDERD change. Unchanged fields are left out.
    """
    ca = a.content if isinstance(a, PlanVersion) else a
    cb = b.content if isinstance(b, PlanVersion) else b
    before, after = _flatten(ca), _flatten(cb)
    goals_a = {g.id: g for g in ca.goals}
    goals_b = {g.id: g for g in cb.goals}
    changes: list[FieldChange] = []
    for goal_id, goal in goals_a.items():
        if goal_id not in goals_b:
            changes.append(FieldChange(PlanSection.DOELEN, f"doelen.{goal_id}", "",
                                       ChangeKind.VERWIJDERD, to_plain(goal), None, goal_id))
    for goal_id, goal in goals_b.items():
        if goal_id not in goals_a:
            changes.append(FieldChange(PlanSection.DOELEN, f"doelen.{goal_id}", "",
                                       ChangeKind.TOEGEVOEGD, None, to_plain(goal), goal_id))
    paths = list(before) + [p for p in after if p not in before]
    for path in paths:
        sec, gid, _value = before[path] if path in before else after[path]
        value_a = before[path][2] if path in before else None
        value_b = after[path][2] if path in after else None
        if gid is not None and (gid not in goals_a or gid not in goals_b):
            continue  # reported once as a whole goal above
        if path not in before:
            kind = ChangeKind.TOEGEVOEGD
        elif path not in after:
            kind = ChangeKind.VERWIJDERD
        elif value_a != value_b:
            kind = ChangeKind.GEWIJZIGD
        else:
            continue
        changes.append(
            FieldChange(sec, path, path.rsplit(".", 1)[-1], kind, value_a, value_b, gid)
        )
    order = list(PlanSection)
    return tuple(sorted(changes, key=lambda c: order.index(c.section)))


def changed_sections(a: PlanVersion | PlanContent, b: PlanVersion | PlanContent) -> set[
    PlanSection
]:
    return {change.section for change in diff_versions(a, b)}


# --- validation ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanReferences:
    """Known ids and codes to check references against; None means "do not check"."""

    domain_codes: Collection[str] | None = None
    person_ids: Collection[str] | None = None
    network_member_ids: Collection[str] | None = None
    professional_ids: Collection[str] | None = None
    provision_ids: Collection[str] | None = None
    product_codes: Collection[str] | None = None
    unit_codes: Collection[str] | None = None
    frequency_codes: Collection[str] | None = None
    youth_product_codes: Collection[str] | None = None  # Jeugdwet: never an eigen bijdrage


def _ref(
    errors: list[FieldError], path: str, value: str, known: Collection[str] | None,
    code: ErrorCode = ErrorCode.UNKNOWN_REFERENCE,
) -> None:
    if not value.strip():
        errors.append(FieldError(path, ErrorCode.REQUIRED))
    elif known is not None and value not in known:
        errors.append(FieldError(path, code))


def validate_goal(goal: Goal, refs: PlanReferences | None = None) -> list[FieldError]:
    """One goal. Codes per field:

    - ``description``: REQUIRED / TOO_LONG; ``domain_code``: REQUIRED / UNKNOWN_CHOICE
    - ``current_level``: OUT_OF_RANGE outside 1..5
    - ``target_level``: OUT_OF_RANGE outside 1..5 **or below the current level**
    - ``zelf``: TOO_LONG; ``netwerk.<i>.network_member_id``: REQUIRED / UNKNOWN_REFERENCE /
      DUPLICATE; ``netwerk.<i>.task``: REQUIRED
    - ``voorzieningen.<i>.provision_id``: REQUIRED / UNKNOWN_REFERENCE / DUPLICATE
    - ``for_person_ids``: UNKNOWN_REFERENCE (not a member) / DUPLICATE
    - ``professional.<i>.*``: product_code / unit_code / frequency_code REQUIRED or
      UNKNOWN_CHOICE; provider REQUIRED; volume OUT_OF_RANGE (< 1); cost_cents OUT_OF_RANGE
      (< 0); end DATE_ORDER (not after start); eigen_bijdrage NOT_APPLICABLE for a
      Jeugdwet product (`PlanReferences.youth_product_codes`)
    - ``afspraken.<i>.who`` / ``.what``: REQUIRED / TOO_LONG
    """
    r = refs or PlanReferences()
    errors: list[FieldError] = []
    required_text(errors, "description", goal.description, MAX_NOTE)
    _ref(errors, "domain_code", goal.domain_code, r.domain_codes, ErrorCode.UNKNOWN_CHOICE)
    current_ok = MIN_LEVEL <= goal.current_level <= MAX_LEVEL
    if not current_ok:
        errors.append(FieldError("current_level", ErrorCode.OUT_OF_RANGE))
    if not MIN_LEVEL <= goal.target_level <= MAX_LEVEL or (
        current_ok and goal.target_level < goal.current_level
    ):
        errors.append(FieldError("target_level", ErrorCode.OUT_OF_RANGE))
    optional_text(errors, "zelf", goal.zelf, MAX_NOTE)
    seen: set[str] = set()
    for i, agreement in enumerate(goal.netwerk):
        path = f"netwerk.{i}"
        _ref(errors, f"{path}.network_member_id", agreement.network_member_id,
             r.network_member_ids)
        if agreement.network_member_id in seen:
            errors.append(FieldError(f"{path}.network_member_id", ErrorCode.DUPLICATE))
        seen.add(agreement.network_member_id)
        required_text(errors, f"{path}.task", agreement.task, MAX_NOTE)
    seen = set()
    for i, use in enumerate(goal.voorzieningen):
        path = f"voorzieningen.{i}"
        _ref(errors, f"{path}.provision_id", use.provision_id, r.provision_ids)
        if use.provision_id in seen:
            errors.append(FieldError(f"{path}.provision_id", ErrorCode.DUPLICATE))
        seen.add(use.provision_id)
        optional_text(errors, f"{path}.note", use.note, MAX_NOTE)
    for i, support in enumerate(goal.professioneel):
        errors += [e.prefixed(f"professional.{i}") for e in validate_support(support, r)]
    if r.person_ids is not None and any(p not in r.person_ids for p in goal.for_person_ids):
        errors.append(FieldError("for_person_ids", ErrorCode.UNKNOWN_REFERENCE))
    if len(set(goal.for_person_ids)) != len(goal.for_person_ids):
        errors.append(FieldError("for_person_ids", ErrorCode.DUPLICATE))
    for i, other in enumerate(goal.afspraken):
        required_text(errors, f"afspraken.{i}.who", other.who, MAX_TEXT)
        required_text(errors, f"afspraken.{i}.what", other.what, MAX_NOTE)
    return errors


def validate_support(support: ProfessionalSupport, refs: PlanReferences) -> list[FieldError]:
    errors: list[FieldError] = []
    _ref(errors, "product_code", support.product_code, refs.product_codes,
         ErrorCode.UNKNOWN_CHOICE)
    required_text(errors, "product_name", support.product_name)
    required_text(errors, "provider", support.provider)
    if support.volume < 1:
        errors.append(FieldError("volume", ErrorCode.OUT_OF_RANGE))
    _ref(errors, "unit_code", support.unit_code, refs.unit_codes, ErrorCode.UNKNOWN_CHOICE)
    _ref(errors, "frequency_code", support.frequency_code, refs.frequency_codes,
         ErrorCode.UNKNOWN_CHOICE)
    if support.end <= support.start:
        errors.append(FieldError("end", ErrorCode.DATE_ORDER))
    if support.cost_cents < 0:
        errors.append(FieldError("cost_cents", ErrorCode.OUT_OF_RANGE))
    if (refs.youth_product_codes is not None and support.product_code in refs.youth_product_codes
            and support.eigen_bijdrage not in (None, EigenBijdrage.GEEN)):
        # The Jeugdwet has no eigen bijdrage (the ouderbijdrage ended in 2016).
        errors.append(FieldError("eigen_bijdrage", ErrorCode.NOT_APPLICABLE))
    return errors


def validate_financing(support: ProfessionalSupport) -> list[FieldError]:
    """Before submission every provision says how it is paid and what the resident pays:
    ``financing`` and ``eigen_bijdrage`` REQUIRED."""
    errors: list[FieldError] = []
    if support.financing is None:
        errors.append(FieldError("financing", ErrorCode.REQUIRED))
    if support.eigen_bijdrage is None:
        errors.append(FieldError("eigen_bijdrage", ErrorCode.REQUIRED))
    return errors


def validate_content(content: PlanContent, refs: PlanReferences | None = None) -> list[
    FieldError
]:
    """Checks that hold for any concept (a draft may still be incomplete).

    - ``question``: TOO_LONG; ``participants.others``: TOO_LONG
    - ``participants.person_ids.<i>`` (and network/professional): UNKNOWN_REFERENCE, DUPLICATE
    - ``situation.<domain code>``: UNKNOWN_CHOICE, DUPLICATE, TOO_LONG
    - ``goals.<i>.*``: see `validate_goal`; ``goals.<i>.id``: REQUIRED / DUPLICATE
    - ``evaluation_dates.<i>``: DUPLICATE, DATE_ORDER (not ascending)
    - ``resident_view.own_words``: TOO_LONG; REQUIRED when the resident does not (fully) agree
    - ``consents.<i>.recipient`` / ``.purpose``: REQUIRED / TOO_LONG;
      ``consents.<i>.given_by_person_id``: REQUIRED / UNKNOWN_REFERENCE
    """
    r = refs or PlanReferences()
    errors: list[FieldError] = []
    optional_text(errors, "question", content.question, MAX_NOTE)
    optional_text(errors, "participants.others", content.participants.others, MAX_NOTE)
    for name, known in (
        ("person_ids", r.person_ids),
        ("network_member_ids", r.network_member_ids),
        ("professional_ids", r.professional_ids),
    ):
        seen: set[str] = set()
        for i, value in enumerate(getattr(content.participants, name)):
            path = f"participants.{name}.{i}"
            _ref(errors, path, value, known)
            if value in seen:
                errors.append(FieldError(path, ErrorCode.DUPLICATE))
            seen.add(value)
    seen = set()
    for entry in content.situation.domains:
        path = f"situation.{entry.domain_code}"
        if r.domain_codes is not None and entry.domain_code not in r.domain_codes:
            errors.append(FieldError(path, ErrorCode.UNKNOWN_CHOICE))
        if entry.domain_code in seen:
            errors.append(FieldError(path, ErrorCode.DUPLICATE))
        seen.add(entry.domain_code)
        optional_text(errors, path, entry.text, MAX_NOTE)
    seen = set()
    for i, goal in enumerate(content.goals):
        if not goal.id.strip():
            errors.append(FieldError(f"goals.{i}.id", ErrorCode.REQUIRED))
        elif goal.id in seen:
            errors.append(FieldError(f"goals.{i}.id", ErrorCode.DUPLICATE))
        seen.add(goal.id)
        errors += [e.prefixed(f"goals.{i}") for e in validate_goal(goal, r)]
    for i, day in enumerate(content.evaluation_dates):
        if day in content.evaluation_dates[:i]:
            errors.append(FieldError(f"evaluation_dates.{i}", ErrorCode.DUPLICATE))
        elif i and day < content.evaluation_dates[i - 1]:
            errors.append(FieldError(f"evaluation_dates.{i}", ErrorCode.DATE_ORDER))
    view = content.resident_view
    optional_text(errors, "resident_view.own_words", view.own_words, MAX_NOTE)
    if view.agreement in (ResidentAgreement.AKKOORD_ONDER_PROTEST, ResidentAgreement.NIET_AKKOORD) \
            and not view.own_words.strip():
        errors.append(FieldError("resident_view.own_words", ErrorCode.REQUIRED))
    for i, consent in enumerate(content.consents):
        path = f"consents.{i}"
        required_text(errors, f"{path}.recipient", consent.recipient, MAX_TEXT)
        required_text(errors, f"{path}.purpose", consent.purpose, MAX_NOTE)
        _ref(errors, f"{path}.given_by_person_id", consent.given_by_person_id, r.person_ids)
    return errors


def validate_for_submission(
    content: PlanContent, refs: PlanReferences | None = None
) -> list[FieldError]:
    """`validate_content` plus what a plan needs before the teamcoach sees it:

    ``question`` REQUIRED; ``goals`` REQUIRED (at least one); ``regisseur_id`` REQUIRED;
    ``evaluation_dates`` REQUIRED (at least one); ``participants`` REQUIRED (at least one
    person of the household took part); per professional provision
    ``goals.<i>.professional.<j>.financing`` and ``.eigen_bijdrage`` REQUIRED.
    """
    errors = validate_content(content, refs)
    for i, goal in enumerate(content.goals):
        for j, support in enumerate(goal.professioneel):
            errors += [e.prefixed(f"goals.{i}.professional.{j}")
                       for e in validate_financing(support)]
    if not content.question.strip():
        errors.append(FieldError("question", ErrorCode.REQUIRED))
    if not content.goals:
        errors.append(FieldError("goals", ErrorCode.REQUIRED))
    if not content.regisseur_id.strip():
        errors.append(FieldError("regisseur_id", ErrorCode.REQUIRED))
    if not content.evaluation_dates:
        errors.append(FieldError("evaluation_dates", ErrorCode.REQUIRED))
    if not content.participants.person_ids:
        errors.append(FieldError("participants", ErrorCode.REQUIRED))
    return errors


def validate_for_signing(content: PlanContent) -> list[FieldError]:
    """Before signing the resident's view is recorded: ``resident_view.agreement`` REQUIRED."""
    errors: list[FieldError] = []
    if content.resident_view.agreement is None:
        errors.append(FieldError("resident_view.agreement", ErrorCode.REQUIRED))
    return errors


def validate_evaluations(
    content: PlanContent, evaluations: Sequence[GoalEvaluation]
) -> list[FieldError]:
    """Exactly one evaluation per goal, each with a fresh ZRM. Paths
    ``evaluations.<goal id>`` (REQUIRED when missing, DUPLICATE, UNKNOWN_REFERENCE for a goal
    not in the plan), ``evaluations.<goal id>.zrm_assessment_id`` / ``.evaluator_id``
    REQUIRED, ``.note`` TOO_LONG."""
    errors: list[FieldError] = []
    goal_ids = [g.id for g in content.goals]
    seen: set[str] = set()
    for ev in evaluations:
        path = f"evaluations.{ev.goal_id}"
        if ev.goal_id in seen:
            errors.append(FieldError(path, ErrorCode.DUPLICATE))
            continue
        seen.add(ev.goal_id)
        if ev.goal_id not in goal_ids:
            errors.append(FieldError(path, ErrorCode.UNKNOWN_REFERENCE))
            continue
        if not ev.zrm_assessment_id.strip():
            errors.append(FieldError(f"{path}.zrm_assessment_id", ErrorCode.REQUIRED))
        if not ev.evaluator_id.strip():
            errors.append(FieldError(f"{path}.evaluator_id", ErrorCode.REQUIRED))
        optional_text(errors, f"{path}.note", ev.note, MAX_NOTE)
    errors += [
        FieldError(f"evaluations.{gid}", ErrorCode.REQUIRED) for gid in goal_ids if gid not in seen
    ]
    return errors
