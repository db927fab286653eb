"""The typed schema of every synced record: what each field of each entity may hold.

Shared by the laptop and the server (pure pydantic, like `protocol`): the server refuses a
pushed change or a conflict resolution whose values do not fit (HTTP 422), and the laptop
checks every pulled record against the same schema before applying it (a record that does not
fit is quarantined, never half-applied). So a wrongly typed value can no longer travel from
one laptop through the server into every other laptop of the team.

Values are JSON as the case file's outbox writes them (`persistence.tracking.to_json_value`):
dates and moments as ISO-8601 text, lists and objects as JSON. Validation is strict: ``"3"`` is
not an integer, ``1`` is not a boolean. The validated value is never transformed; what is
stored and forwarded is exactly what was sent.

`tests/unit/test_sync_entities.py` keeps this schema equal to the case file's ORM (names,
nullability, text lengths) and the enumerations equal to the domain's, so the three cannot
drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from functools import cache
from typing import Annotated, Any, Literal, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    JsonValue,
    StringConstraints,
    Tag,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
    create_model,
)

LONG_TEXT = 100_000
"""Upper bound for free-text columns (notes, descriptions): far above what a form allows
(the domain's MAX_NOTE), low enough to refuse a flood."""

# --------------------------------------------------------------------------- value types


def _iso_date(value: str) -> str:
    date.fromisoformat(value)
    return value


def _iso_datetime(value: str) -> str:
    datetime.fromisoformat(value)
    return value


Id = Annotated[str, StringConstraints(min_length=1, max_length=36)]
"""A record id (a text UUID as the laptop makes them; the server's ids are the same shape)."""

WireId = Annotated[str, StringConstraints(min_length=1, max_length=36,
                                          pattern=r"^[0-9A-Za-z-]+$")]
"""The id of a pushed change (the protocol's ``Uuid``)."""

IsoDate = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$"),
                    AfterValidator(_iso_date),
                    WithJsonSchema({"type": "string", "format": "date"})]
IsoDateTime = Annotated[str, StringConstraints(max_length=40), AfterValidator(_iso_datetime),
                        WithJsonSchema({"type": "string", "format": "date-time",
                                        "maxLength": 40})]
Code = Annotated[str, StringConstraints(min_length=1, max_length=64)]


Text10 = Annotated[str, StringConstraints(max_length=10)]
Text16 = Annotated[str, StringConstraints(max_length=16)]
Text20 = Annotated[str, StringConstraints(max_length=20)]
Text32 = Annotated[str, StringConstraints(max_length=32)]
Text40 = Annotated[str, StringConstraints(max_length=40)]
Text64 = Annotated[str, StringConstraints(max_length=64)]
Text100 = Annotated[str, StringConstraints(max_length=100)]
Text200 = Annotated[str, StringConstraints(max_length=200)]
Text450 = Annotated[str, StringConstraints(max_length=450)]
LongText = Annotated[str, StringConstraints(max_length=LONG_TEXT)]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]

# Enumerations, equal to the domain's (checked by the test named above).
HouseholdRoleValue = Literal["hoofdbewoner", "partner", "kind", "pleegkind", "ouder",
                             "huisgenoot", "overig"]
CaseStatusValue = Literal["aangemeld", "quickscan", "keukentafelgesprek", "plan", "uitvoering",
                          "evaluatie", "nazorg", "afgesloten"]
ComplexityValue = Literal["enkelvoudig", "meervoudig"]
ReferralSourceValue = Literal["inwoner", "huisarts", "school", "politie", "woningcorporatie",
                              "buren", "netwerk", "zorgaanbieder", "gemeente", "veilig_thuis",
                              "overig"]
UrgencyValue = Literal["terminale_situatie", "suicidaliteit", "huiselijk_geweld",
                       "kwetsbaarheid", "dakloosheid", "voormalige_vet_zaak"]
ContactKindValue = Literal["huisbezoek", "kantoor", "telefonisch", "beeldbellen", "email",
                           "overleg", "overig"]
SubjectValue = Literal["person", "household"]
PlanStatusValue = Literal["concept", "ter_beoordeling", "goedgekeurd", "teruggestuurd",
                          "ter_ondertekening", "ondertekend", "in_uitvoering", "geevalueerd",
                          "afgesloten"]
HorizonValue = Literal["eerste_stap", "drie_maanden", "een_jaar"]
AgreementValue = Literal["akkoord", "akkoord_onder_protest", "niet_akkoord"]
GoalResultValue = Literal["behaald", "deels", "niet_behaald"]
PlanSectionValue = Literal["deelnemers", "hulpvraag", "situatie", "doelen", "regie",
                           "evaluatie", "zienswijze", "toestemming"]
ReviewOutcomeValue = Literal["goedkeuren", "terugsturen"]
ToetsDecisionValue = Literal["positief", "negatief"]
DirectionValue = Literal["opschalen", "afschalen"]
RoleValue = Literal["wijkwerker", "gezinsbegeleider", "teamcoach", "toetser", "beheerder"]


class _Part(BaseModel):
    """A JSON object inside a field: every key known, every value typed."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --------------------------------------------------------------------------- nested values


class ItemScoreValue(_Part):
    code: Code
    score: Annotated[int, Field(ge=0, le=10)] | None
    target: Annotated[int, Field(ge=0, le=10)] | None = None


class StatusChangeValue(_Part):
    from_status: PlanStatusValue | None
    to_status: PlanStatusValue
    actor_id: Id
    at: IsoDateTime
    note: LongText = ""


class SectionCommentValue(_Part):
    section: PlanSectionValue
    text: LongText
    goal_id: Id | None = None


class SignerValue(_Part):
    name: Text200
    role: Text200
    person_id: Id | None = None
    worker_id: Id | None = None


class MandateValue(_Part):
    max_amount_cents: Annotated[int, Field(ge=0)]
    product_codes: list[Code]


class ParticipantsValue(_Part):
    person_ids: list[Id] = []
    network_member_ids: list[Id] = []
    professional_ids: list[Id] = []
    others: LongText = ""


class DomainSituationValue(_Part):
    domain_code: Code
    text: LongText


class SituationValue(_Part):
    domains: list[DomainSituationValue] = []
    zrm_assessment_ids: list[Id] = []
    ladder_assessment_ids: list[Id] = []


class NetworkAgreementValue(_Part):
    network_member_id: Id
    task: LongText


class ProvisionAgreementValue(_Part):
    provision_id: Text100
    note: LongText = ""


class ProfessionalSupportValue(_Part):
    product_code: Code
    product_name: Text200
    provider: Text200
    volume: Annotated[int, Field(ge=0)]
    unit_code: Code
    frequency_code: Code
    start: IsoDate
    end: IsoDate
    cost_cents: Annotated[int, Field(ge=0)]


class GoalValue(_Part):
    id: Id
    domain_code: Code
    description: LongText
    current_level: Annotated[int, Field(ge=0, le=10)]
    target_level: Annotated[int, Field(ge=0, le=10)]
    horizon: HorizonValue
    zelf: LongText = ""
    netwerk: list[NetworkAgreementValue] = []
    voorzieningen: list[ProvisionAgreementValue] = []
    professioneel: list[ProfessionalSupportValue] = []
    for_person_ids: list[Id] = []  # left out of the content while empty


class ResidentViewValue(_Part):
    agreement: AgreementValue | None = None
    own_words: LongText = ""


class SharingConsentValue(_Part):
    recipient: Text200
    purpose: LongText
    given_by_person_id: Id


class PlanContentValue(_Part):
    """The content of a plan version (`domain.plans.PlanContent` as `to_plain` writes it)."""

    participants: ParticipantsValue = ParticipantsValue()
    question: LongText = ""
    situation: SituationValue = SituationValue()
    goals: list[GoalValue] = []
    regisseur_id: Text64 = ""
    evaluation_dates: list[IsoDate] = []
    resident_view: ResidentViewValue = ResidentViewValue()
    consents: list[SharingConsentValue] = []


# --------------------------------------------------------------------------- records


class Record(BaseModel):
    """The synced fields of one entity (``id`` and ``version`` travel outside ``fields``).

    A field without a default is required in an insert; ``X | None`` may hold null.
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class TeamFields(Record):
    name: Text200
    wijken: list[Text200] = []
    prefers_zrm_2013: bool = False


class WorkerFields(Record):
    username: Text100
    display_name: Text200
    role: RoleValue
    team_id: Id


class HouseholdFields(Record):
    name: Text200
    street: Text200
    house_number: Annotated[int, Field(ge=0, le=999_999)]
    house_number_suffix: Text10 = ""
    postcode: Annotated[str, StringConstraints(max_length=7)]
    city: Text200
    wijk: Text200
    stadsdeel: Text200 = ""
    created_at: IsoDateTime


class PersonFields(Record):
    household_id: Id
    first_name: Text200
    name_prefix: Text20 = ""
    last_name: Text200
    search_name: Text450 = ""
    birth_date: IsoDate | None = None
    bsn: Annotated[str, StringConstraints(pattern=r"^(\d{9})?$")] = ""
    household_role: HouseholdRoleValue
    gezag_holder_ids: list[Id] = []
    gezag_note: Text200 = ""


class NetworkMemberFields(Record):
    household_id: Id
    person_id: Id | None = None
    name: Text200
    relation: Text200
    support: LongText = ""
    phone: Text40 = ""


class ProfessionalFields(Record):
    household_id: Id
    organisation: Text200
    name: Text200 = ""
    discipline: Text200 = ""
    contact: Text200 = ""
    since: IsoDate | None = None


class CaseFields(Record):
    household_id: Id
    team_id: Id
    regisseur_id: Id
    case_team_ids: list[Id] = []
    status: CaseStatusValue
    referral_source: ReferralSourceValue
    referral_date: IsoDate
    referral_note: LongText = ""
    quickscan_self: LongText = ""
    quickscan_arrange: LongText = ""
    quickscan_help: LongText = ""
    complexity: ComplexityValue | None = None
    urgency: list[UrgencyValue] = []
    client_profile: Annotated[int, Field(ge=1, le=5)] | None = None
    problem_areas: list[Text64] = []
    next_evaluation: IsoDate | None = None
    closed_on: IsoDate | None = None


class ContactMomentFields(Record):
    case_id: Id
    household_id: Id
    on: IsoDate
    duration_minutes: Annotated[int, Field(ge=0, le=24 * 60)]
    kind: ContactKindValue
    worker_id: Id
    with_whom: Text200 = ""
    notes: LongText = ""


class ConsentFields(Record):
    household_id: Id
    person_id: Id
    recipient: Text200
    purpose: LongText
    given_on: IsoDate
    withdrawn_on: IsoDate | None = None
    form: Text16
    recorded_by: Id


class AssessmentFields(Record):
    household_id: Id
    person_id: Id | None = None
    subject: SubjectValue
    definition_id: Text64
    definition_version: Text32
    assessed_on: IsoDate
    assessor_id: Id
    items: list[ItemScoreValue]
    zwaartefactoren: list[Code] = []
    target_date: IsoDate | None = None
    notes: LongText = ""
    corrects_id: Id | None = None  # a correction (or withdrawal) of that assessment
    withdrawn: bool = False
    correction_reason: LongText = ""


class PlanVersionFields(Record):
    household_id: Id
    plan_id: Id
    number: Annotated[int, Field(ge=1)]
    status: PlanStatusValue
    content: PlanContentValue
    fingerprint: Sha256
    based_on_id: Id | None = None
    created_at: IsoDateTime
    created_by: Id
    history: list[StatusChangeValue]


class AttachmentFields(Record):
    household_id: Id
    kind: Text32
    filename: Text200
    mime: Text100
    sha256: Sha256
    size: Annotated[int, Field(ge=0)]
    created_at: IsoDateTime


class PlanReviewFields(Record):
    household_id: Id
    version_id: Id
    reviewer_id: Id
    decided_at: IsoDateTime
    outcome: ReviewOutcomeValue
    comments: list[SectionCommentValue]


class PlanToetsFields(Record):
    household_id: Id
    version_id: Id
    toetser_id: Id
    decided_at: IsoDateTime
    decision: ToetsDecisionValue
    note: LongText


class PlanSignatureFields(Record):
    household_id: Id
    version_id: Id
    content_fingerprint: Sha256
    signers: list[SignerValue]
    signed_on: IsoDate
    place: Text200
    pdf_sha256: Sha256
    scan_attachment_id: Id | None = None
    signed_pdf_attachment_id: Id | None = None


class PlanEvaluationFields(Record):
    household_id: Id
    version_id: Id
    goal_id: Id
    result: GoalResultValue
    note: LongText
    zrm_assessment_id: Annotated[str, StringConstraints(max_length=36)]
    evaluated_on: IsoDate
    evaluator_id: Id


class RegieEventFields(Record):
    household_id: Id
    direction: DirectionValue
    from_regisseur_id: Id
    to_regisseur_id: Id
    from_mandate: MandateValue
    to_mandate: MandateValue
    actor_id: Id
    at: IsoDateTime
    reason: LongText


RECORDS: Mapping[str, type[Record]] = {
    "team": TeamFields,
    "worker": WorkerFields,
    "household": HouseholdFields,
    "person": PersonFields,
    "network_member": NetworkMemberFields,
    "professional": ProfessionalFields,
    "case": CaseFields,
    "contact_moment": ContactMomentFields,
    "consent": ConsentFields,
    "assessment": AssessmentFields,
    "plan_version": PlanVersionFields,
    "attachment": AttachmentFields,
    "plan_review": PlanReviewFields,
    "plan_toets": PlanToetsFields,
    "plan_signature": PlanSignatureFields,
    "plan_evaluation": PlanEvaluationFields,
    "regie_event": RegieEventFields,
}
"""Entity name (the protocol's ``EntityName``) -> its record schema."""


# --------------------------------------------------------------------------- checking


class FieldProblem(ValueError):
    """A value that does not fit the schema. ``field`` names it (``None``: the record as a
    whole, e.g. a missing required field); ``problem`` is a short English description that
    never quotes the value (it may be personal data)."""

    def __init__(self, entity: str, field: str | None, problem: str) -> None:
        super().__init__(f"{entity}.{field or '*'}: {problem}")
        self.entity = entity
        self.field = field
        self.problem = problem


@cache
def _adapter(entity: str, name: str) -> TypeAdapter[Any]:
    info = RECORDS[entity].model_fields[name]
    annotation: Any = info.annotation
    if info.metadata:
        annotation = Annotated.__class_getitem__((annotation, *info.metadata))  # type: ignore[attr-defined]
    return TypeAdapter(annotation)


def _describe(exc: ValidationError) -> str:
    error = exc.errors(include_input=False, include_url=False)[0]
    where = ".".join(str(p) for p in error.get("loc", ()))
    return f"{error.get('type', 'invalid')}{' at ' + where if where else ''}"


def known_fields(entity: str) -> frozenset[str]:
    schema = RECORDS.get(entity)
    return frozenset(schema.model_fields) if schema is not None else frozenset()


def required_fields(entity: str) -> frozenset[str]:
    schema = RECORDS[entity]
    return frozenset(n for n, info in schema.model_fields.items() if info.is_required())


def check_value(entity: str, name: str, value: Any) -> None:
    """Raise `FieldProblem` unless ``value`` fits field ``name`` of ``entity``."""
    if entity not in RECORDS:
        raise FieldProblem(entity, None, "unknown entity")
    if name not in RECORDS[entity].model_fields:
        raise FieldProblem(entity, name, "unknown field")
    try:
        _adapter(entity, name).validate_python(value, strict=True)
    except ValidationError as exc:
        raise FieldProblem(entity, name, _describe(exc)) from None


def check_fields(entity: str, values: Mapping[str, Any], *, complete: bool) -> None:
    """Check every value; with ``complete`` (an insert, a snapshot) also that every required
    field is present. Raises the first `FieldProblem`."""
    for name, value in values.items():
        check_value(entity, name, value)
    if complete:
        missing = sorted(required_fields(entity) - set(values))
        if missing:
            raise FieldProblem(entity, missing[0], "required field missing")


def check_names(entity: str, names: Any) -> None:
    """Only known field names (for a delete, whose values are the last ones, not checked)."""
    known = known_fields(entity)
    if not known:
        raise FieldProblem(entity, None, "unknown entity")
    for name in names:
        if name not in known:
            raise FieldProblem(entity, str(name), "unknown field")


def normalize(value: Any) -> Any:
    """JSON numbers that are whole (``3.0``) as integers, everywhere in a value: JSON does not
    tell 3 from 3.0, and no synced field holds a fraction."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [normalize(v) for v in value]
    if isinstance(value, dict):
        return {k: normalize(v) for k, v in value.items()}
    return value


# --------------------------------------------------------------------------- OpenAPI


def _camel(name: str) -> str:
    return "".join(part.title() for part in name.split("_"))


def _change_tag(value: Any) -> str | None:
    if isinstance(value, dict):
        return f"{value.get('entity')}:{value.get('op')}"
    return None


@cache
def typed_change_union() -> Any:
    """The union of `typed_change_models`, told apart by entity and operation (one of)."""
    tagged = []
    for model in typed_change_models():
        entity = model.model_fields["entity"].annotation.__args__[0]  # type: ignore[union-attr]
        op = model.model_fields["op"].annotation.__args__[0]  # type: ignore[union-attr]
        tagged.append(Annotated[model, Tag(f"{entity}:{op}")])
    return Annotated[Union[tuple(tagged)], Discriminator(_change_tag)]  # noqa: UP007


@cache
def typed_change_models() -> tuple[type[BaseModel], ...]:
    """For the OpenAPI document only: one model per entity and operation, whose ``fields``
    name every field with the type of its ``new`` value (required ones required in an
    insert). The protocol's `EntityChange` validates with `check_fields`, which enforces the
    same; a test (schemathesis) holds the two together."""
    forbid = ConfigDict(extra="forbid")
    models: list[type[BaseModel]] = []
    for entity, record in RECORDS.items():
        base = _camel(entity)
        changes: dict[str, Any] = {}
        for name, info in record.model_fields.items():
            annotation: Any = info.annotation
            if info.metadata:
                annotation = Annotated.__class_getitem__(  # type: ignore[attr-defined]
                    (annotation, *info.metadata))
            changes[name] = create_model(
                f"{base}{_camel(name)}Change", __config__=forbid,
                old=(JsonValue, ...), new=(annotation, ...))
        any_change = create_model(f"{base}LastValue", __config__=forbid,
                                  old=(JsonValue, ...), new=(JsonValue, ...))
        shapes: dict[str, dict[str, Any]] = {
            "insert": {n: (m, ... if record.model_fields[n].is_required() else None)
                       for n, m in changes.items()},
            # Optional, but never null (the models only describe; they do not validate).
            "update": {n: (m, None) for n, m in changes.items()},
            "delete": dict.fromkeys(changes, (any_change, None)),
        }
        for op, fields in shapes.items():
            field_model = create_model(f"{base}{_camel(op)}Fields", __config__=forbid,
                                       **fields)
            models.append(create_model(
                f"{base}{_camel(op)}", __config__=forbid,
                entity=(Literal[entity], ...),  # type: ignore[arg-type]
                id=(WireId, ...), op=(Literal[op], ...),  # type: ignore[arg-type]
                base_version=(Annotated[int, Field(ge=0)], ...),
                fields=(field_model, ...)))
    return tuple(models)


__all__ = ["RECORDS", "FieldProblem", "PlanContentValue", "Record", "check_fields",
           "check_names", "check_value", "known_fields", "normalize", "required_fields",
           "typed_change_models", "typed_change_union"]
