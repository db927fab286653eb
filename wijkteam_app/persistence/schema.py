"""ORM tables of the local case file.

Every entity row carries a text UUID `id` and an integer `version` that goes up by one on each
change; the version a change was made against travels in the outbox as its base version.
The schema itself is owned by Alembic (`migrations/`): these classes must match the head
revision, which `tests/unit/test_migrations.py` checks.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        datetime: DateTime(timezone=False),
        date: Date,
        str: String,
    }


class Entity(Base):
    """A record that is tracked: changes to it go to the outbox and the audit log."""

    __abstract__ = True
    __entity__: str = ""

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)

    def household_scope(self) -> str | None:
        """The household this record belongs to (for the outbox and caseload counts)."""
        value: Any = getattr(self, "household_id", None)
        return value if isinstance(value, str) else None


class LocalState(Base):
    """Key/value facts about this case file: device id, sequence counter, profile id."""

    __tablename__ = "local_state"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class TeamRecord(Entity):
    __tablename__ = "teams"
    __entity__ = "team"
    name: Mapped[str] = mapped_column(String(200))
    wijken: Mapped[list[str]] = mapped_column(JSON, default=list)
    prefers_zrm_2013: Mapped[bool] = mapped_column(Boolean, default=False)

    def household_scope(self) -> str | None:
        return None


class WorkerRecord(Entity):
    __tablename__ = "workers"
    __entity__ = "worker"
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"))

    def household_scope(self) -> str | None:
        return None


class HouseholdRecord(Entity):
    __tablename__ = "households"
    __entity__ = "household"
    __table_args__ = (
        Index("ix_households_name_nocase", text("name COLLATE NOCASE"), "postcode"),
    )
    name: Mapped[str] = mapped_column(String(200))
    street: Mapped[str] = mapped_column(String(200))
    house_number: Mapped[int] = mapped_column(Integer)
    house_number_suffix: Mapped[str] = mapped_column(String(10), default="")
    postcode: Mapped[str] = mapped_column(String(7), index=True)
    city: Mapped[str] = mapped_column(String(200))
    wijk: Mapped[str] = mapped_column(String(200), index=True)
    stadsdeel: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime]

    def household_scope(self) -> str | None:
        return self.id


class PersonRecord(Entity):
    __tablename__ = "persons"
    __entity__ = "person"
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(200))
    name_prefix: Mapped[str] = mapped_column(String(20), default="")
    last_name: Mapped[str] = mapped_column(String(200))
    search_name: Mapped[str] = mapped_column(String(450), default="", index=True)
    birth_date: Mapped[date | None] = mapped_column(index=True)
    bsn: Mapped[str] = mapped_column(String(9), default="", index=True)
    household_role: Mapped[str] = mapped_column(String(32))
    gezag_holder_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    gezag_note: Mapped[str] = mapped_column(String(200), default="")


class NetworkMemberRecord(Entity):
    __tablename__ = "network_members"
    __entity__ = "network_member"
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    person_id: Mapped[str | None] = mapped_column(ForeignKey("persons.id"))
    name: Mapped[str] = mapped_column(String(200))
    relation: Mapped[str] = mapped_column(String(200))
    support: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(40), default="")


class ProfessionalRecord(Entity):
    __tablename__ = "professionals"
    __entity__ = "professional"
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    organisation: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200), default="")
    discipline: Mapped[str] = mapped_column(String(200), default="")
    contact: Mapped[str] = mapped_column(String(200), default="")
    since: Mapped[date | None]


class CaseRecord(Entity):
    __tablename__ = "cases"
    __entity__ = "case"
    __table_args__ = (
        CheckConstraint("client_profile IS NULL OR client_profile BETWEEN 1 AND 5", name="profile"),
        Index("ix_cases_household_recent", "household_id", "referral_date"),
    )
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"), index=True)
    regisseur_id: Mapped[str] = mapped_column(ForeignKey("workers.id"), index=True)
    case_team_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(32))
    referral_source: Mapped[str] = mapped_column(String(32))
    referral_date: Mapped[date]
    referral_note: Mapped[str] = mapped_column(Text, default="")
    quickscan_self: Mapped[str] = mapped_column(Text, default="")  # wat kunt u zelf
    quickscan_arrange: Mapped[str] = mapped_column(Text, default="")  # wat kunt u zelf regelen
    quickscan_help: Mapped[str] = mapped_column(Text, default="")  # waarbij heeft u hulp nodig
    complexity: Mapped[str | None] = mapped_column(String(16))
    urgency: Mapped[list[str]] = mapped_column(JSON, default=list)
    client_profile: Mapped[int | None]
    problem_areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    next_evaluation: Mapped[date | None]
    closed_on: Mapped[date | None]


class ContactMomentRecord(Entity):
    __tablename__ = "contact_moments"
    __entity__ = "contact_moment"
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    on: Mapped[date] = mapped_column(index=True)  # the dashboard reads one period's contacts
    duration_minutes: Mapped[int]
    kind: Mapped[str] = mapped_column(String(32))
    worker_id: Mapped[str] = mapped_column(ForeignKey("workers.id"))
    with_whom: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class ConsentRecord(Entity):
    __tablename__ = "consents"
    __entity__ = "consent"
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"))
    recipient: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text)
    given_on: Mapped[date]
    withdrawn_on: Mapped[date | None]
    form: Mapped[str] = mapped_column(String(16))
    recorded_by: Mapped[str] = mapped_column(ForeignKey("workers.id"))


class PrivacyRequestRecord(Entity):
    """A handled request of a resident (inzage, erasure, rectification): what was asked, the
    decision, the legal exceptions that applied, which fields were corrected. Append-only."""

    __tablename__ = "privacy_requests"
    __entity__ = "privacy_request"
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    person_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(16))
    requested_on: Mapped[date]
    handled_on: Mapped[date]
    handled_by: Mapped[str] = mapped_column(String(36))
    outcome: Mapped[str] = mapped_column(String(16))
    exceptions: Mapped[list[str]] = mapped_column(JSON, default=list)
    fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")


class AssessmentRecord(Entity):
    """A ZRM or participatieladder assessment. Items are stored with the definition version.

    A correction is a new record with ``corrects_id`` set (a withdrawal also has
    ``withdrawn`` and no items); the corrected record itself is never changed."""

    __tablename__ = "assessments"
    __entity__ = "assessment"
    __table_args__ = (Index("ix_assessments_person_date", "person_id", "assessed_on"),)
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    person_id: Mapped[str | None] = mapped_column(ForeignKey("persons.id"))
    subject: Mapped[str] = mapped_column(String(16))  # "person" or "household"
    definition_id: Mapped[str] = mapped_column(String(64))
    definition_version: Mapped[str] = mapped_column(String(32))
    assessed_on: Mapped[date]
    assessor_id: Mapped[str] = mapped_column(ForeignKey("workers.id"))
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    zwaartefactoren: Mapped[list[str]] = mapped_column(JSON, default=list)
    target_date: Mapped[date | None]
    notes: Mapped[str] = mapped_column(Text, default="")
    corrects_id: Mapped[str | None] = mapped_column(String(36), index=True)
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    correction_reason: Mapped[str] = mapped_column(Text, default="")


class PlanVersionRecord(Entity):
    """One version of a household's ondersteuningsplan. `content` is frozen once the version
    leaves CONCEPT (enforced by the plan repository); `history` is its status changes."""

    __tablename__ = "plan_versions"
    __entity__ = "plan_version"
    __table_args__ = (UniqueConstraint("plan_id", "number", name="uq_plan_versions_plan_id"),)
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    plan_id: Mapped[str] = mapped_column(String(36))
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(32))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    fingerprint: Mapped[str] = mapped_column(String(64))
    based_on_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(36))
    history: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


class _PlanRecordMixin:
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"))
    version_id: Mapped[str] = mapped_column(ForeignKey("plan_versions.id"), index=True)


class PlanReviewRecord(_PlanRecordMixin, Entity):
    """A coach's decision on exactly one version; append-only (made offline too)."""

    __tablename__ = "plan_reviews"
    __entity__ = "plan_review"
    reviewer_id: Mapped[str] = mapped_column(String(36))
    decided_at: Mapped[datetime]
    outcome: Mapped[str] = mapped_column(String(16))
    comments: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


class PlanToetsRecord(_PlanRecordMixin, Entity):
    __tablename__ = "plan_toetsen"
    __entity__ = "plan_toets"
    toetser_id: Mapped[str] = mapped_column(String(36))
    decided_at: Mapped[datetime]
    decision: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text)


class PlanSignatureRecord(_PlanRecordMixin, Entity):
    __tablename__ = "plan_signatures"
    __entity__ = "plan_signature"
    content_fingerprint: Mapped[str] = mapped_column(String(64))
    signers: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    signed_on: Mapped[date]
    place: Mapped[str] = mapped_column(String(200))
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    scan_attachment_id: Mapped[str | None] = mapped_column(String(36))
    signed_pdf_attachment_id: Mapped[str | None] = mapped_column(String(36))


class PlanEvaluationRecord(_PlanRecordMixin, Entity):
    __tablename__ = "plan_evaluations"
    __entity__ = "plan_evaluation"
    goal_id: Mapped[str] = mapped_column(String(36))
    result: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text)
    zrm_assessment_id: Mapped[str] = mapped_column(String(36))
    evaluated_on: Mapped[date]
    evaluator_id: Mapped[str] = mapped_column(String(36))


class RegieEventRecord(Entity):
    """Opschalen / afschalen: regie and mandate moved, by whom, when and why."""

    __tablename__ = "regie_events"
    __entity__ = "regie_event"
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    direction: Mapped[str] = mapped_column(String(16))
    from_regisseur_id: Mapped[str] = mapped_column(String(36))
    to_regisseur_id: Mapped[str] = mapped_column(String(36))
    from_mandate: Mapped[dict[str, Any]] = mapped_column(JSON)
    to_mandate: Mapped[dict[str, Any]] = mapped_column(JSON)
    actor_id: Mapped[str] = mapped_column(String(36))
    at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text)


class MandateRecord(Entity):
    """A worker's mandate: deploy support up to an amount, only these products."""

    __tablename__ = "mandates"
    __entity__ = "mandate"
    worker_id: Mapped[str] = mapped_column(ForeignKey("workers.id"), unique=True)
    max_amount_cents: Mapped[int]
    product_codes: Mapped[list[str]] = mapped_column(JSON)

    def household_scope(self) -> str | None:
        return None


class AttachmentRecord(Entity):
    """Metadata of a stored file (a signed scan, a signed PDF). The bytes live in
    `attachment_blobs`, inside the encrypted case file, and never enter the outbox."""

    __tablename__ = "attachments"
    __entity__ = "attachment"
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(200))
    mime: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    created_at: Mapped[datetime]


class KitchenTableReportRecord(Entity):
    """One version of the verslag of the keukentafelgesprek, as given to the resident.
    Append-only: a correction is a new version (`number` + 1, `based_on_id`)."""

    __tablename__ = "kitchen_table_reports"
    __entity__ = "kitchen_table_report"
    __table_args__ = (Index("ix_kitchen_table_reports_case", "case_id", "number"),)
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    case_id: Mapped[str] = mapped_column(String(36))
    number: Mapped[int]
    based_on_id: Mapped[str | None] = mapped_column(String(36))
    held_on: Mapped[date]
    location: Mapped[str] = mapped_column(String(200))
    participants: Mapped[dict[str, Any]] = mapped_column(JSON)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(36))
    issued_on: Mapped[date]
    issued_how: Mapped[str] = mapped_column(String(16))


class CaseConferenceRecord(Entity):
    """A multidisciplinair overleg, zorgoverleg or eigen-kracht-conferentie (seeds 000, 002).
    Participants, agreements and the casemanager are JSON (read and written as a whole)."""

    __tablename__ = "case_conferences"
    __entity__ = "case_conference"
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    case_id: Mapped[str | None] = mapped_column(String(36))
    held_on: Mapped[date]
    kind: Mapped[str] = mapped_column(String(32))
    participants: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text, default="")
    discussion: Mapped[str] = mapped_column(Text, default="")
    agreements: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    casemanager: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    recorded_by: Mapped[str] = mapped_column(String(36))


class StuckFlagRecord(Entity):
    """A case reported as stuck (vastgelopen), with the reason. Append-only."""

    __tablename__ = "stuck_flags"
    __entity__ = "stuck_flag"
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    flagged_by: Mapped[str] = mapped_column(String(36))
    flagged_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text)


class StuckDecisionRecord(Entity):
    """The decision of the teamcoach or brandpuntfunctionaris on one flag. Append-only."""

    __tablename__ = "stuck_decisions"
    __entity__ = "stuck_decision"
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    flag_id: Mapped[str] = mapped_column(String(36), index=True)
    decided_by: Mapped[str] = mapped_column(String(36))
    decided_at: Mapped[datetime]
    decision: Mapped[str] = mapped_column(Text)
    doorzettingsmacht: Mapped[bool] = mapped_column(Boolean, default=False)


class ClientExperienceRecord(Entity):
    """The resident's answers to the klantervaring questionnaire. Append-only."""

    __tablename__ = "client_experiences"
    __entity__ = "client_experience"
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    case_id: Mapped[str] = mapped_column(String(36))
    questionnaire: Mapped[str] = mapped_column(String(32))
    moment: Mapped[str] = mapped_column(String(16))
    answered_on: Mapped[date]
    recorded_by: Mapped[str] = mapped_column(String(36))
    answers: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    comment: Mapped[str] = mapped_column(Text, default="")


class AttachmentBlobRecord(Base):
    __tablename__ = "attachment_blobs"
    id: Mapped[str] = mapped_column(ForeignKey("attachments.id"), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class CaseloadIndexRecord(Base):
    """Derived, local only: each household's most recent case and its status, with the
    household's name and postcode so the status filter reads one index in list order. Kept
    by SQL triggers on `cases` and `households` (migration 0013), never written by the app."""

    __tablename__ = "caseload_index"
    __table_args__ = (Index("ix_caseload_index_status_name", "current_status",
                            text("name COLLATE NOCASE"), "postcode"),)
    household_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    current_case_id: Mapped[str | None] = mapped_column(String(36))
    current_status: Mapped[str | None] = mapped_column(String(32))
    name: Mapped[str | None] = mapped_column(String(200))
    postcode: Mapped[str | None] = mapped_column(String(7))


class HouseholdWorkerRecord(Base):
    """Derived: the workers on a household (regisseur or case team of any of its cases)."""

    __tablename__ = "household_workers"
    worker_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    household_id: Mapped[str] = mapped_column(String(36), primary_key=True, index=True)


class HouseholdUrgencyRecord(Base):
    """Derived: the urgency criteria of a household's most recent case."""

    __tablename__ = "household_urgency"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    household_id: Mapped[str] = mapped_column(String(36), primary_key=True, index=True)


# Derived: a request to recompute one household's caseload index rows; the trigger on it
# does the work at once and deletes the row, so the table is always empty (migration 0013).
caseload_recompute = Table(
    "caseload_recompute", Base.metadata,
    Column("household_id", String(36), nullable=False),
)


class SearchNameRecord(Base):
    """Derived: every person's folded full name and every household's name, the content of
    the trigram full-text index `search_names_fts` (an FTS5 table, not mapped here)."""

    __tablename__ = "search_names"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source_id: Mapped[str] = mapped_column(String(36), unique=True)
    household_id: Mapped[str] = mapped_column(String(36))
    name: Mapped[str] = mapped_column(String(450))


class DraftRecord(Base):
    """What a worker typed in a form but has not saved yet; offered back after a crash.

    Not an Entity: drafts are private to this laptop and never synced or audited.
    """

    __tablename__ = "drafts"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime]


class OutboxRecord(Base):
    """One change-set per committed save, waiting to be sent to the municipal server."""

    __tablename__ = "outbox"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    created_at: Mapped[datetime]
    actor_id: Mapped[str] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(64))
    household_id: Mapped[str | None] = mapped_column(String(36), index=True)
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    sent_at: Mapped[datetime | None]
    accepted_at: Mapped[datetime | None]


class AuditRecord(Base):
    """Append-only, hash-chained log: action, object, result, device, actor, timestamp (BIO2).
    Also the access log (NEN 7513): views, prints and exports are entries too, with the
    household they concern and, where the worker was asked, the purpose. The whole chain is
    sent to the server (`POST /audit`), which checks every link and keeps it append-only."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    device_id: Mapped[str] = mapped_column(String(36))
    actor_id: Mapped[str] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[str] = mapped_column(String(36))
    result: Mapped[str] = mapped_column(String(32))
    changeset_id: Mapped[str | None] = mapped_column(String(36))
    household_id: Mapped[str | None] = mapped_column(String(36), index=True)
    purpose: Mapped[str | None] = mapped_column(String(500))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


# Tables of the sync client live in their own module; importing it here registers them on
# `Base.metadata` for Alembic and for the schema check.
from wijkteam_app.persistence import reference_schema as _reference_schema  # noqa: E402, F401
from wijkteam_app.persistence import sync_schema as _sync_schema  # noqa: E402, F401
