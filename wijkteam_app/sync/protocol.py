"""Wire models of the sync protocol, version "1", shared by the laptop and the server.

Pure pydantic v2: no Qt, no database, no HTTP client. The server validates every request with
these models and the laptop parses every answer with them, so both sides agree on one schema
(which is also what the server's OpenAPI document shows). See ``docs/sync-protocol.md`` for the
rules behind the fields (idempotency, gaps, conflicts, scope, tombstones, wipe).

Conventions:
- identifiers are text UUIDs (``str``), exactly as the case file stores them;
- timestamps are UTC; naive datetimes are interpreted as UTC;
- field values are JSON values as the outbox stores them (dates as ISO-8601 text).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Final, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    JsonValue,
    StringConstraints,
    TypeAdapter,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from wijkteam_app.sync.entities import (
    check_fields,
    check_names,
    normalize,
    typed_change_union,
)

PROTOCOL_VERSION: Final = "1"
"""The protocol version this module describes. Sent in requests and answers."""

ProtocolVersion = Literal["1"]
"""What a request may carry as ``protocol``; the server answers any other value with 400
``protocol_unsupported`` (so an outdated laptop is told to update)."""

DEFAULT_PAGE_SIZE = 500
"""Feed items per pull page unless the client asks for another number."""

MAX_PAGE_SIZE = 2000
MAX_CHANGESETS_PER_PUSH = 500
MAX_CHANGES_PER_CHANGESET = 2000

Role = Literal["wijkwerker", "gezinsbegeleider", "teamcoach", "toetser", "beheerder"]
"""The roles the server knows (see the domain brief, section 2)."""

EntityName = Literal[
    "household",
    "person",
    "network_member",
    "professional",
    "case",
    "contact_moment",
    "consent",
    "assessment",
    "plan_version",
    "attachment",
    "plan_review",
    "plan_toets",
    "plan_signature",
    "plan_evaluation",
    "regie_event",
    "team",
    "worker",
]
"""Entity names as the case file's schema declares them (``__entity__``).

Household records (each carries ``household_id`` and travels within that household's scope):
``household``, ``person``, ``network_member``, ``professional``, ``case``, ``contact_moment``,
``consent``, ``assessment`` and the ondersteuningsplan:

- ``plan_version``: one version of a household's plan (``content`` as plain JSON, its
  ``fingerprint``, ``status`` and status ``history``). Status and history merge per field;
  ``content`` and ``fingerprint`` can no longer change once the server's stored status left
  ``concept`` (such a change becomes a conflict that keeps both);
- ``attachment``: the metadata of a stored file (name, type, SHA-256, size); the bytes are
  not part of the record and travel separately (``/attachments``), if at all;
- ``plan_review``: a teamcoach's decision on a plan version (``version_id``, outcome,
  comments per section);
- ``plan_toets``: a toetser's decision on a plan version;
- ``plan_signature``: who signed which version, where and when, with the SHA-256 of the PDF
  and the ids of the signed PDF and the scanned copy (attachments);
- ``plan_evaluation``: the evaluation of one goal of a plan version;
- ``regie_event``: an opschaling or afschaling of the regie (with both mandates).

Reviews, toetsen, signatures, evaluations, regie events and attachments are append-only
(`IMMUTABLE_ENTITIES`): written once, any later change becomes a conflict that keeps both.

``team`` and ``worker`` are owned by the server: they appear in the pull feed, but a pushed
change to them is rejected.
"""

SERVER_OWNED_ENTITIES: frozenset[str] = frozenset({"team", "worker"})

IMMUTABLE_ENTITIES: frozenset[str] = frozenset({
    "plan_review", "plan_toets", "plan_signature", "plan_evaluation", "regie_event",
    "attachment",
})
"""Append-only records: they never merge once written. Any update (or delete) after the
insert becomes a conflict; the server keeps its record and holds the other side."""

FROZEN_PLAN_FIELDS: frozenset[str] = frozenset({"content", "fingerprint"})
"""Fields of a ``plan_version`` that cannot change once its stored status is not
``concept`` (a submitted, approved or signed version never changes content)."""

Operation = Literal["insert", "update", "delete"]
"""What a pushed entity change does (the outbox's ``op``)."""

FeedOperation = Literal["insert", "update", "delete", "snapshot"]
"""What a feed item does. ``snapshot`` carries the complete current record (sent when a
household enters the device's scope); the other three mirror pushed operations."""

Uuid = Annotated[str, StringConstraints(min_length=1, max_length=36, pattern=r"^[0-9A-Za-z-]+$")]
"""A record or change-set identifier (a text UUID as the laptop generates them)."""

def _as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


UtcDateTime = Annotated[datetime, AfterValidator(_as_utc)]
"""A moment in UTC. Naive input (as the case file stores it) is read as UTC; output always
carries its offset, so it is a valid RFC 3339 date-time."""


FieldName = Annotated[str, StringConstraints(pattern=r"^[a-z_][a-z0-9_]{0,63}$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------- errors


class ErrorBody(_Model):
    """The body of every non-2xx answer the server produces itself (422 validation errors
    keep FastAPI's standard shape).

    ``code`` is stable and meant for programs; ``message`` is Dutch and meant for the user.
    ``wipe`` is true only when this device was revoked: the laptop must then destroy its
    case file and forget its tokens. ``expected_seq`` is set on sequence errors of a push.
    ``retry_after_seconds`` is set when logins are throttled.
    """

    code: str
    message: str
    wipe: bool = False
    expected_seq: int | None = None
    retry_after_seconds: int | None = None


# --------------------------------------------------------------------------- auth


class UserInfo(_Model):
    """The logged-in worker as the server knows them; the laptop records its changes with
    ``id`` as actor, so everything recorded there belongs to this worker and team."""

    id: str
    username: str
    display_name: str
    role: Role
    team_id: str
    team_name: str


class LoginRequest(_Model):
    """Username and password login that also registers (or re-registers) the device.

    ``device_id`` is the case file's own device id. When given and known, the login continues
    that registration (its push sequence is kept, e.g. after a user switch on the same laptop);
    when given and unknown, the device is registered under that id; when omitted, the server
    assigns one. A revoked ``device_id`` is answered with 401 and ``wipe``.
    """

    protocol: ProtocolVersion = PROTOCOL_VERSION
    username: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=1024)]
    device_name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    device_id: Uuid | None = None


class RefreshRequest(_Model):
    """Exchange a refresh token for a new access token and a new refresh token (rotation).

    A refresh token works once. Presenting an already used one revokes every refresh token of
    the device (someone copied it), and the worker has to log in again.
    """

    protocol: ProtocolVersion = PROTOCOL_VERSION
    refresh_token: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class TokenResponse(_Model):
    """Answer to a login or a refresh.

    ``access_token`` goes in ``Authorization: Bearer ...`` and lives minutes
    (``access_expires_at``); ``refresh_token`` lives days and is replaced on every use. Both
    belong in the OS credential store, never in a file. ``last_device_seq`` is the highest push
    sequence number the server accepted from this device (0 for a new one).
    """

    protocol: str = PROTOCOL_VERSION
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth token type
    access_token: str
    access_expires_at: UtcDateTime
    refresh_token: str
    refresh_expires_at: UtcDateTime
    device_id: str
    last_device_seq: int
    user: UserInfo


class MandateInfo(_Model):
    """The worker's mandate: provisions they may deploy without a municipal toets."""

    max_amount_eur: float
    provisions: list[str]


class MeResponse(_Model):
    """Who the token belongs to, and where this device stands."""

    protocol: str = PROTOCOL_VERSION
    user: UserInfo
    device_id: str
    device_name: str
    last_device_seq: int
    mandate: MandateInfo | None
    server_time: UtcDateTime


class HealthResponse(_Model):
    """Readiness: the server answers and its database is reachable."""

    status: Literal["ok"] = "ok"
    protocol: str = PROTOCOL_VERSION


# --------------------------------------------------------------------------- push


class FieldChange(_Model):
    """One changed field of a pushed entity change: the value before and after the save."""

    old: JsonValue
    new: JsonValue


class EntityChange(_Model):
    """One record changed by a save; exactly ``EntityChange.to_json()`` of the case file.

    ``base_version`` is the record's version the save was made against (0 for an insert).
    ``fields`` holds every changed field with old and new value; for a delete, the last values
    (``new`` is null).
    """

    entity: EntityName
    id: Uuid
    op: Operation
    base_version: Annotated[int, Field(ge=0, strict=True), BeforeValidator(normalize)]
    fields: dict[FieldName, FieldChange]

    @model_validator(mode="after")
    def _typed(self) -> EntityChange:
        """Every value fits the record schema (`wijkteam_app.sync.entities`): an insert has
        every required field, nothing is unknown, nothing wrongly typed. A delete carries the
        last values, so only the names are checked. Whole numbers sent as ``3.0`` are kept
        as ``3``."""
        if self.op == "delete":
            check_names(self.entity, self.fields)
            return self
        fields = {n: FieldChange(old=fc.old, new=normalize(fc.new))
                  for n, fc in self.fields.items()}
        check_fields(self.entity, {n: fc.new for n, fc in fields.items()},
                     complete=self.op == "insert")
        return self if fields == self.fields else self.model_copy(update={"fields": fields})

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: CoreSchema,
                                     handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        """The OpenAPI document shows the typed shape per entity and operation."""
        return handler(TypeAdapter(typed_change_union()).core_schema)


class ChangeSet(_Model):
    """One outbox row: everything one local save changed, atomically.

    ``id`` makes the push idempotent; ``device_seq`` is gap-free per device (1, 2, 3, ...), so
    the server detects gaps and replays. ``actor_id`` is the worker who saved, ``action`` the
    use case (free text such as ``household.create``), ``household_id`` the single household
    the save touched, if it touched exactly one.
    """

    id: Uuid
    device_seq: Annotated[int, Field(ge=1, strict=True), BeforeValidator(normalize)]
    created_at: UtcDateTime
    actor_id: Annotated[str, StringConstraints(max_length=36)]
    action: Annotated[str, StringConstraints(max_length=64)]
    household_id: Uuid | None = None
    changes: Annotated[list[EntityChange], Field(max_length=MAX_CHANGES_PER_CHANGESET)]


class PushRequest(_Model):
    """The device's outbox, oldest first. ``device_id`` must be the token's device.

    The server applies the change-sets in order, each in its own transaction, and stops at the
    first sequence error (answered with 409 and ``expected_seq``): nothing is ever applied out
    of order.
    """

    protocol: ProtocolVersion = PROTOCOL_VERSION
    device_id: Uuid
    changesets: Annotated[list[ChangeSet], Field(max_length=MAX_CHANGESETS_PER_PUSH)]


ChangeSetStatus = Literal["accepted", "conflict", "rejected"]
"""Outcome of applying a change-set.

- ``accepted``: every field was applied (or already had the pushed value);
- ``conflict``: the non-conflicting fields were applied; each conflicting field is held as a
  conflict (ids in ``conflict_ids``) with base, mine and theirs until a person chooses;
- ``rejected``: nothing was applied, because the change-set touches something this worker may
  not change (``reason`` says why). The server keeps the complete change-set, so the work is
  not lost, and the device's sequence moves on.
"""


class ChangeSetResult(_Model):
    """The server's verdict on one pushed change-set.

    ``duplicate`` is true when this change-set id was already processed (a retried push whose
    answer was lost): nothing is applied again and ``status``/``conflict_ids`` repeat the
    original verdict. Versions are not returned on purpose: a laptop adopts a server version
    only together with the data, from the pull feed.

    ``reason`` (for ``rejected``) is a code of `wijkteam_app.sync.authority.Refusal`;
    ``warnings`` (for accepted work) are codes of `authority.Warning_`, e.g. ``bsn_elsewhere``.
    """

    id: str
    device_seq: int
    status: ChangeSetStatus
    duplicate: bool = False
    conflict_ids: list[str] = []
    reason: str | None = None
    warnings: list[str] = []


class PushResponse(_Model):
    """Per change-set results in request order, and the last sequence number accepted from
    this device (the laptop may mark every outbox row up to it as sent)."""

    protocol: str = PROTOCOL_VERSION
    results: list[ChangeSetResult]
    last_device_seq: int


class PushError(_Model):
    """A push stopped at a sequence error (HTTP 409).

    ``code`` is ``sequence_gap`` (a change-set is missing before this one) or
    ``sequence_reused`` (this number was already used by a different change-set).
    ``expected_seq`` is the number the server needs next; ``results`` holds the verdicts of the
    change-sets before the error, which were applied and stay applied.
    """

    code: str
    message: str
    wipe: bool = False
    expected_seq: int
    results: list[ChangeSetResult]
    last_device_seq: int


# --------------------------------------------------------------------------- pull


class FeedItem(_Model):
    """One entry of the server's ordered change feed.

    ``server_seq`` orders the feed. ``version`` is the record's server version after this
    change. ``fields`` holds the resulting values of the fields this change set (all fields for
    ``insert`` and ``snapshot``, none for ``delete``). ``origin_device_id`` is the device that
    pushed it (null for changes made on the server: conflict resolutions via the web API carry
    the resolver's device; administrative changes carry null), so a laptop recognises its own
    changes coming back.

    Apply rule for laptops: apply an item only when ``version`` is greater than the last server
    version applied for that record (``>=`` for ``snapshot``), then remember ``version``.
    """

    server_seq: int
    changeset_id: str | None
    origin_device_id: str | None
    actor_id: str | None
    entity: EntityName
    id: str
    household_id: str | None
    op: FeedOperation
    version: int
    fields: dict[str, JsonValue]


class PullResponse(_Model):
    """One page of the feed, filtered to the caller's scope, after ``cursor``.

    Store ``next_cursor`` only after the page is applied; ask again while ``has_more``.
    ``removed_households``: households that left this device's scope in this page (the laptop
    removes them once all its own changes to them are accepted). ``open_conflicts``: the number
    of open conflicts in the caller's scope. ``wipe`` mirrors the 401 answer for revoked
    devices and is false in every successful answer.
    """

    protocol: str = PROTOCOL_VERSION
    items: list[FeedItem]
    next_cursor: int
    has_more: bool
    removed_households: list[str]
    open_conflicts: int
    wipe: bool = False


class HouseholdSummary(_Model):
    """A household in the caller's scope (for repair tools and a full resync check)."""

    id: str
    name: str
    version: int
    deleted: bool


class HouseholdList(_Model):
    households: list[HouseholdSummary]


class HouseholdRecords(_Model):
    """The current server state of every record of one household, as snapshot items
    (``server_seq`` is the feed position the snapshot is consistent with)."""

    household_id: str
    items: list[FeedItem]


# --------------------------------------------------------------------------- conflicts

ConflictKind = Literal["field", "delete", "deleted"]
"""``field``: the same field was changed on both sides. ``delete``: a delete met changes made
by someone else (field ``_deleted``; mine true, theirs false). ``deleted``: a change met a
record that was deleted meanwhile (theirs is the value kept in the tombstone)."""

ConflictStatus = Literal["open", "resolved"]


class ConflictSide(_Model):
    """One side of a conflict: the value and who wrote it, where and when."""

    value: JsonValue
    actor_id: str | None
    device_id: str | None
    at: UtcDateTime | None
    changeset_id: str | None = None


class Conflict(_Model):
    """A field that was changed on two sides. The server keeps ``theirs`` in place and stores
    ``mine`` and the common ``base`` beside it, until a person chooses."""

    id: str
    entity: EntityName
    entity_id: str
    household_id: str | None
    field: str
    kind: ConflictKind
    base: JsonValue
    mine: ConflictSide
    theirs: ConflictSide
    status: ConflictStatus
    created_at: UtcDateTime
    resolved_by: str | None = None
    resolved_at: UtcDateTime | None = None
    resolution: JsonValue = None


class ConflictList(_Model):
    """Conflicts in the caller's scope, oldest first."""

    conflicts: list[Conflict]


class ResolveRequest(_Model):
    """A person's choice: keep ``mine``, keep ``theirs``, or a new ``value`` (e.g. two notes
    merged by hand). The choice becomes a new server change-set, authored by the resolver,
    that reaches every device through the feed."""

    choice: Literal["mine", "theirs", "value"]
    value: JsonValue = None


class ResolveResponse(_Model):
    """The resolved conflict and the change-set that carried the choice (null when the choice
    changed nothing, e.g. keeping a deletion that already happened)."""

    conflict: Conflict
    changeset_id: str | None


# --------------------------------------------------------------------------- reference data


class SocialeKaartItem(_Model):
    """One provision on the sociale kaart (read-only for every role)."""

    id: str
    name: str
    category: str
    description: str
    wijken: list[str]
    contact: str
    extra: dict[str, JsonValue]


class SocialeKaartList(_Model):
    items: list[SocialeKaartItem]


class InstrumentText(_Model):
    """A licensed instrument text loaded by the municipality (e.g. official ZRM criteria)."""

    definition_id: str
    definition_version: str
    key: str
    text: str


class InstrumentTextList(_Model):
    texts: list[InstrumentText]


# --------------------------------------------------------------------------- attachments


class AttachmentCreate(_Model):
    """Announce the upload of an ``attachment`` record's bytes: its id (the upload has the
    same id), household, size and SHA-256 (hex), which must match the record the server
    holds. Announcing it again returns the upload as it stands (to resume). Chunks follow."""

    attachment_id: Uuid
    household_id: Uuid
    filename: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    content_type: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    size: Annotated[int, Field(ge=0, le=200 * 1024 * 1024)]
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class AttachmentInfo(_Model):
    """An attachment and its upload state. ``received_chunks`` lets an interrupted upload
    resume; ``status`` becomes ``complete`` once the whole file matched its SHA-256."""

    id: str
    household_id: str
    filename: str
    content_type: str
    size: int
    sha256: str
    chunk_size: int
    chunk_count: int
    received_chunks: list[int]
    status: Literal["uploading", "complete"]
