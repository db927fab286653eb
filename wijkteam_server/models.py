"""The server's own tables (SQLAlchemy 2 typed ORM). Alembic owns the schema
(``wijkteam_server/migrations``); ``tests/server`` checks these classes match its head.

Timestamps are naive UTC throughout, so SQLite and PostgreSQL behave the same.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Bare JSON: SQLite stores text, PostgreSQL the json type. ``none_as_null`` keeps a JSON
# ``null`` value distinguishable from "no value" where it matters (conflict sides).
Json = JSON(none_as_null=False)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        datetime: DateTime(timezone=False),
        str: String,
    }


class Team(Base):
    __tablename__ = "teams"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime]
    # The municipality the team works for (a regional server serves several); reports
    # group usage by it. None: not set (reported as "onbekend").
    municipality: Mapped[str | None] = mapped_column(String(200))


class User(Base):
    """A worker account. ``password_hash`` is an Argon2id PHC string."""

    __tablename__ = "users"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]


class Device(Base):
    """A registered laptop. ``last_seq`` is the last accepted push sequence number;
    ``directory_seq`` the feed position at which it received the teams and workers;
    ``scope_seq`` the feed position up to which its scope was reconciled with the user's
    (every change after it may have moved a household in or out), ``scope_key`` the user's
    principals at that moment (a role or team change means a full reconciliation)."""

    __tablename__ = "devices"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    registered_at: Mapped[datetime]
    last_seen_at: Mapped[datetime | None]
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    directory_seq: Mapped[int | None]
    revoked_at: Mapped[datetime | None]
    scope_seq: Mapped[int | None]
    scope_key: Mapped[str | None] = mapped_column(String(200))


class DeviceUser(Base):
    """Every user who has been logged in on a device. A change-set made offline by an
    earlier user of the device (before a user switch on a team laptop) is theirs, and is
    authorized as theirs; any other actor id in a push is refused as forged."""

    __tablename__ = "device_users"
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True)
    first_at: Mapped[datetime]


class RefreshToken(Base):
    """Only the SHA-256 of a refresh token is stored (the token itself has 256 random bits,
    so a fast hash suffices). ``used_at`` marks rotation; reuse revokes the device's tokens."""

    __tablename__ = "refresh_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class LoginThrottle(Base):
    """Failed logins per key (``user:<name>`` or ``addr:<ip>``) in a sliding window."""

    __tablename__ = "login_throttle"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime]
    locked_until: Mapped[datetime | None]


class EntityRow(Base):
    """The server's current state of one case-file record.

    ``field_versions``: {field: record version at which it last changed};
    ``field_origins``: {field: {"device", "actor", "at"}} of that change, for conflicts and
    for recognising a device's own writes. ``deleted`` marks a tombstone (data kept).
    """

    __tablename__ = "entities"
    entity: Mapped[str] = mapped_column(String(32), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    household_id: Mapped[str | None] = mapped_column(String(36), index=True)
    team_id: Mapped[str | None] = mapped_column(String(36), index=True)
    created_by: Mapped[str | None] = mapped_column(String(36))
    version: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(Json)
    field_versions: Mapped[dict[str, int]] = mapped_column(Json)
    field_origins: Mapped[dict[str, Any]] = mapped_column(Json)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime]


class ChangeLog(Base):
    """The ordered feed. ``kind`` is ``change`` for record changes; ``scope_enter``,
    ``scope_leave`` and ``directory`` are per-device markers (``target_device_id``)."""

    __tablename__ = "change_log"
    __table_args__ = (
        Index("ix_change_log_household_seq", "household_id", "server_seq"),
        # Covers the choice of a device's page (feed_condition) without reading `fields`.
        Index("ix_change_log_feed", "server_seq", "kind", "household_id", "target_device_id"),
    )
    server_seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    changeset_id: Mapped[str | None] = mapped_column(String(36), index=True)
    origin_device_id: Mapped[str | None] = mapped_column(String(36))
    actor_id: Mapped[str | None] = mapped_column(String(36))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(36))
    household_id: Mapped[str | None] = mapped_column(String(36))
    op: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    fields: Mapped[dict[str, Any]] = mapped_column(Json)
    target_device_id: Mapped[str | None] = mapped_column(String(36), index=True)
    created_at: Mapped[datetime]


class AppliedChangeSet(Base):
    """Every pushed change-set, whatever its verdict, with its full payload (so even rejected
    work is kept). The id makes pushes idempotent; (device, seq) detects gaps and replays."""

    __tablename__ = "applied_changesets"
    __table_args__ = (UniqueConstraint("device_id", "device_seq", name="device_seq"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    device_seq: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[str] = mapped_column(String(36))
    actor_id: Mapped[str] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(64))
    household_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime]
    received_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(64))
    conflict_ids: Mapped[list[str]] = mapped_column(Json)
    warnings: Mapped[list[str]] = mapped_column(Json, default=list)
    payload: Mapped[dict[str, Any]] = mapped_column(Json)


class DeviceEntityChain(Base):
    """Per device and record: the local version its last accepted change produced, and the
    server version its knowledge was based on. A following change whose base version equals
    ``local_version`` continues the device's own offline chain (see sync_engine)."""

    __tablename__ = "device_entity_chain"
    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    entity: Mapped[str] = mapped_column(String(32), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    local_version: Mapped[int] = mapped_column(Integer)
    effective_base: Mapped[int] = mapped_column(Integer)


class Conflict(Base):
    __tablename__ = "conflicts"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(36))
    household_id: Mapped[str | None] = mapped_column(String(36), index=True)
    field: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    base_value: Mapped[Any] = mapped_column(Json)
    mine_value: Mapped[Any] = mapped_column(Json)
    mine_actor_id: Mapped[str | None] = mapped_column(String(36))
    mine_device_id: Mapped[str | None] = mapped_column(String(36))
    mine_at: Mapped[datetime | None]
    mine_changeset_id: Mapped[str | None] = mapped_column(String(36))
    theirs_value: Mapped[Any] = mapped_column(Json)
    theirs_actor_id: Mapped[str | None] = mapped_column(String(36))
    theirs_device_id: Mapped[str | None] = mapped_column(String(36))
    theirs_at: Mapped[datetime | None]
    theirs_version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime]
    resolved_by: Mapped[str | None] = mapped_column(String(36))
    resolved_at: Mapped[datetime | None]
    resolution_value: Mapped[Any] = mapped_column(Json)
    resolution_changeset_id: Mapped[str | None] = mapped_column(String(36))


class HouseholdAccess(Base):
    """Who may see a household, recomputed whenever its household or case records change.
    ``principal`` is ``user:<id>`` (regisseur, case team, or creator before any case),
    ``team:<id>`` (the case's team, for its coach) or ``toets:<id>`` (reserved)."""

    __tablename__ = "household_access"
    household_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    principal: Mapped[str] = mapped_column(String(50), primary_key=True, index=True)


class DeviceHousehold(Base):
    """The households a device has received. ``entered_seq`` is the feed position of its
    ``scope_enter`` marker; ``left_seq``/``left_at`` are set when it left the scope."""

    __tablename__ = "device_households"
    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    household_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    entered_seq: Mapped[int] = mapped_column(Integer)
    left_seq: Mapped[int | None]
    left_at: Mapped[datetime | None]


class Mandate(Base):
    __tablename__ = "mandates"
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True)
    max_amount_cents: Mapped[int] = mapped_column(Integer)
    provisions: Mapped[list[str]] = mapped_column(Json)
    updated_at: Mapped[datetime]


class SocialeKaartEntry(Base):
    """One provision of the sociale kaart, with the fields of the protocol's
    ``SocialeKaartItem`` (the same as the app's ``Provision``)."""

    __tablename__ = "sociale_kaart"
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    provider: Mapped[str] = mapped_column(String(300))
    level: Mapped[str] = mapped_column(String(32))
    wijken: Mapped[list[str]] = mapped_column(Json)
    cost_cents: Mapped[int | None] = mapped_column(Integer)
    within_mandate: Mapped[bool] = mapped_column(Boolean)
    product_code: Mapped[str | None] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text)
    contact: Mapped[str] = mapped_column(String(300))
    updated_at: Mapped[datetime]


class ReferenceState(Base):
    """The one row (``id`` = 1) of reference data that is not a list: the version of the
    whole reference bundle (a new random value on every change, see ``reference.py``), the
    municipality's name and logo, the municipal settings and where the sociale kaart came
    from."""

    __tablename__ = "reference_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime]
    municipality_name: Mapped[str] = mapped_column(String(200))
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_type: Mapped[str | None] = mapped_column(String(32))
    settings: Mapped[dict[str, Any]] = mapped_column(Json)
    kaart_source: Mapped[str] = mapped_column(Text)


class InstrumentTextRow(Base):
    __tablename__ = "instrument_texts"
    definition_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    definition_version: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    text: Mapped[str] = mapped_column(Text)


class Attachment(Base):
    """An uploaded file (e.g. a signed scan), stored under ``<data>/attachments/``."""

    __tablename__ = "attachments"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    household_id: Mapped[str] = mapped_column(String(36), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    chunk_size: Mapped[int] = mapped_column(Integer)
    received_chunks: Mapped[list[int]] = mapped_column(Json)
    status: Mapped[str] = mapped_column(String(16))
    uploaded_by: Mapped[str] = mapped_column(String(36))
    device_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]


class AuditLogRow(Base):
    """A laptop's audit chain as received (saves, unlocks, and the NEN 7513 access log:
    views, prints, exports). Append-only: the migration installs triggers that refuse any
    UPDATE or DELETE, on SQLite and PostgreSQL alike. ``user_id`` is the account that
    delivered the entry (the device's user at that moment)."""

    __tablename__ = "audit_log"
    __table_args__ = (
        UniqueConstraint("device_id", "local_id", name="device_local_id"),
        Index("ix_audit_log_household_at", "household_id", "at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    device_id: Mapped[str] = mapped_column(String(36))
    local_id: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[str] = mapped_column(String(36))
    at: Mapped[datetime]
    actor_id: Mapped[str] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[str] = mapped_column(String(36), index=True)
    result: Mapped[str] = mapped_column(String(32))
    changeset_id: Mapped[str | None] = mapped_column(String(36))
    household_id: Mapped[str | None] = mapped_column(String(36))
    purpose: Mapped[str | None] = mapped_column(String(500))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime]


class PurgeLogRow(Base):
    """One household file destroyed at the end of its retention term: which, under which
    regime, when the case ended, when it was due, how much was removed. Append-only (like
    the audit log); it names no one."""

    __tablename__ = "purge_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    household_id: Mapped[str] = mapped_column(String(36), index=True)
    regime: Mapped[str] = mapped_column(String(16))
    term_years: Mapped[int] = mapped_column(Integer)
    case_end: Mapped[datetime]
    due: Mapped[datetime]
    purged_at: Mapped[datetime]
    records: Mapped[int] = mapped_column(Integer)
    files: Mapped[int] = mapped_column(Integer)
# --------------------------------------------------------------------------- report facts
# The few fields of case-file records that the municipal report reads
# (`wijkteam_server.reporting`), kept beside ``entities`` on every applied write by
# `wijkteam_server.report_facts`, so a report never parses a record's JSON. Live records only:
# a deleted record has no facts. Ids, dates and moments as the records carry them (ISO text,
# which sorts in time order). No names, addresses, BSN, birth dates or free text.


class FactHousehold(Base):
    __tablename__ = "fact_households"
    household_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    wijk: Mapped[str | None] = mapped_column(String(200))


class FactCase(Base):
    __tablename__ = "fact_cases"
    __table_args__ = (
        # A household's cases by referral (then id), with what tells whether one runs in a
        # period: "its latest running case" is an index-only probe.
        Index("ix_fact_cases_household_referral", "household_id", "referral_date", "case_id",
              "closed_on"),
    )
    case_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    household_id: Mapped[str | None] = mapped_column(String(36))
    team_id: Mapped[str | None] = mapped_column(String(36))
    regisseur_id: Mapped[str | None] = mapped_column(String(36))
    referral_date: Mapped[str | None] = mapped_column(String(32))
    closed_on: Mapped[str | None] = mapped_column(String(32))
    next_evaluation: Mapped[str | None] = mapped_column(String(32))
    client_profile: Mapped[str | None] = mapped_column(String(10))


class FactCaseUrgency(Base):
    __tablename__ = "fact_case_urgency"
    case_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    criterion: Mapped[str] = mapped_column(String(64), primary_key=True)


class FactContact(Base):
    __tablename__ = "fact_contacts"
    __table_args__ = (
        # Covering: a household's contacts in a period with their time and worker; a case's
        # first contact from a day on.
        Index("ix_fact_contacts_household_day", "household_id", "day", "minutes",
              "worker_id"),
        Index("ix_fact_contacts_case_day", "case_id", "day", "household_id"),
    )
    contact_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    household_id: Mapped[str | None] = mapped_column(String(36))
    case_id: Mapped[str | None] = mapped_column(String(36))
    day: Mapped[str | None] = mapped_column(String(32))
    minutes: Mapped[int | None] = mapped_column(Integer)
    worker_id: Mapped[str | None] = mapped_column(String(36))


class FactAssessment(Base):
    __tablename__ = "fact_assessments"
    assessment_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    household_id: Mapped[str | None] = mapped_column(String(36), index=True)
    person_id: Mapped[str | None] = mapped_column(String(36))
    definition_id: Mapped[str | None] = mapped_column(String(64))
    definition_version: Mapped[str | None] = mapped_column(String(32))
    assessed_on: Mapped[str | None] = mapped_column(String(32))


class FactAssessmentItem(Base):
    __tablename__ = "fact_assessment_items"
    # Covering: an assessment's score on an item code (two assessments compared per code).
    __table_args__ = (
        Index("ix_fact_assessment_items_scores", "assessment_id", "code", "score"),
    )
    assessment_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    code: Mapped[str | None] = mapped_column(String(64))
    score: Mapped[int | None] = mapped_column(Integer)


class FactPlanVersion(Base):
    __tablename__ = "fact_plan_versions"
    version_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    household_id: Mapped[str | None] = mapped_column(String(36), index=True)
    number: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[str | None] = mapped_column(String(40))
    regisseur_id: Mapped[str | None] = mapped_column(String(36))


class FactPlanStatus(Base):
    """One entry of a plan version's status history (`position`: its place in the list)."""

    __tablename__ = "fact_plan_statuses"
    # Covering: a version's last status change by a moment.
    __table_args__ = (
        Index("ix_fact_plan_statuses_at", "version_id", "at", "position", "to_status"),
    )
    version_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    to_status: Mapped[str | None] = mapped_column(String(32))
    at: Mapped[str | None] = mapped_column(String(40))


class FactPlanSupport(Base):
    """One professional provision (maatwerk) of a goal of a plan version."""

    __tablename__ = "fact_plan_support"
    version_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    product_code: Mapped[str | None] = mapped_column(String(64))
    cost_cents: Mapped[int | None] = mapped_column(Integer)
    starts_on: Mapped[str | None] = mapped_column(String(32))
    ends_on: Mapped[str | None] = mapped_column(String(32))


class FactSignature(Base):
    __tablename__ = "fact_signatures"
    signature_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    household_id: Mapped[str | None] = mapped_column(String(36), index=True)
    version_id: Mapped[str | None] = mapped_column(String(36), index=True)
    signed_on: Mapped[str | None] = mapped_column(String(32))


class FactToets(Base):
    __tablename__ = "fact_toetsen"
    toets_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version_id: Mapped[str | None] = mapped_column(String(36), index=True)
    decided_at: Mapped[str | None] = mapped_column(String(40))


class FactRegieEvent(Base):
    __tablename__ = "fact_regie_events"
    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    household_id: Mapped[str | None] = mapped_column(String(36), index=True)
    direction: Mapped[str | None] = mapped_column(String(16))
    at: Mapped[str | None] = mapped_column(String(40))


class FactExperience(Base):
    """A klantervaring questionnaire: when, for which case; never the comment."""

    __tablename__ = "fact_experiences"
    experience_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    household_id: Mapped[str | None] = mapped_column(String(36), index=True)
    case_id: Mapped[str | None] = mapped_column(String(36))
    questionnaire: Mapped[str | None] = mapped_column(String(32))
    answered_on: Mapped[str | None] = mapped_column(String(32))


class FactExperienceAnswer(Base):
    __tablename__ = "fact_experience_answers"
    experience_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    question: Mapped[str | None] = mapped_column(String(64))
    score: Mapped[int | None] = mapped_column(Integer)
