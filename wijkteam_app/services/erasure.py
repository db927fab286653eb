"""The part of an erasure (AVG art. 17) that reaches beyond the person record: the free text of
every other record of the household, the local change-set history, and unsaved drafts.

Everything here runs inside the erasure's own save (`RightsService.erase`), on its session:
the scrubbed records are changed through the ORM like any edit, so the change tracker turns
them into ordinary changes in the same change-set, which syncs, and the server holds the
scrubbed values as current. The text rules are `wijkteam_app.domain.erasure`.

What is kept as it is (and counted on the request as ``bewaard``): a plan version that left
CONCEPT (submitted, approved, signed: its content is frozen, a signed one is evidence of
what was agreed and its fingerprint must still match the signed PDF) and the append-only
records (reviews, toetsen, signatures, evaluations, regie events, keukentafel reports, stuck
flags and decisions, client experiences, earlier requests, attachments): they are decisions
and documents as they were made, and the server refuses to change them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import String, event, select
from sqlalchemy.orm import Session

from wijkteam_app.domain.erasure import ERASED, ErasureReport, Scrubber
from wijkteam_app.domain.people import Person
from wijkteam_app.domain.plans import PlanContent, PlanStatus, StatusChange, content_fingerprint
from wijkteam_app.domain.plans import to_plain as plan_plain
from wijkteam_app.domain.search import fold
from wijkteam_app.persistence import plan_repository as plans_repo
from wijkteam_app.persistence import repositories as repo
from wijkteam_app.persistence.codec import from_plain
from wijkteam_app.persistence.schema import (
    AssessmentRecord,
    AttachmentRecord,
    CaseConferenceRecord,
    CaseRecord,
    ClientExperienceRecord,
    ConsentRecord,
    ContactMomentRecord,
    DraftRecord,
    Entity,
    HouseholdRecord,
    KitchenTableReportRecord,
    NetworkMemberRecord,
    OutboxRecord,
    PersonRecord,
    PlanEvaluationRecord,
    PlanReviewRecord,
    PlanSignatureRecord,
    PlanToetsRecord,
    PlanVersionRecord,
    PrivacyRequestRecord,
    ProfessionalRecord,
    RegieEventRecord,
    StuckDecisionRecord,
    StuckFlagRecord,
)

TEXT_COLUMNS: Mapping[type[Entity], tuple[str, ...]] = {
    HouseholdRecord: ("name",),
    PersonRecord: ("gezag_note",),  # the other members; their names are never touched
    NetworkMemberRecord: ("name", "relation", "support"),
    ProfessionalRecord: ("organisation", "name", "discipline", "contact"),
    CaseRecord: ("referral_note", "quickscan_self", "quickscan_arrange", "quickscan_help"),
    ContactMomentRecord: ("with_whom", "notes"),
    ConsentRecord: ("recipient", "purpose"),  # consents of the other members
    AssessmentRecord: ("notes", "correction_reason"),  # the others' and the household's
    CaseConferenceRecord: ("reason", "discussion"),
}
"""Free-text columns scrubbed in place, per record kind."""

STRUCTURED_COLUMNS: Mapping[type[Entity], tuple[str, ...]] = {
    CaseConferenceRecord: ("participants", "agreements", "casemanager"),
}
"""JSON columns whose free text (`domain.erasure.TEXT_KEYS`) is scrubbed in place."""

KEPT_RECORDS: tuple[type[Entity], ...] = (
    KitchenTableReportRecord, PlanReviewRecord, PlanToetsRecord, PlanSignatureRecord,
    PlanEvaluationRecord, RegieEventRecord, StuckFlagRecord, StuckDecisionRecord,
    ClientExperienceRecord, PrivacyRequestRecord, AttachmentRecord,
)
"""Append-only records: never rewritten; counted as kept when they name the person."""

# PlanVersionRecord: a CONCEPT version is scrubbed (content and status notes, the fingerprint
# follows); any other version is kept.

PERSON_ERASED: Mapping[str, Any] = {
    "first_name": ERASED, "name_prefix": "", "last_name": "", "search_name": fold(ERASED),
    "birth_date": None, "bsn": "", "gezag_note": "",
}
"""The erased person record's identifying fields as they are after the erasure (JSON)."""

_CLASSES: tuple[type[Entity], ...] = (*TEXT_COLUMNS, *KEPT_RECORDS, PlanVersionRecord)
_BY_ENTITY: dict[str, type[Entity]] = {cls.__entity__: cls for cls in _CLASSES}
_SKIP = frozenset({"id", "version", "household_id"})


@dataclass
class HouseholdScrub:
    """What the scrub did: the counts for the request, and which records were kept."""

    report: ErasureReport = field(default_factory=ErasureReport)
    kept_ids: set[str] = field(default_factory=set)
    history_rows: int = 0  # local change-sets rewritten


def _fit(record: Entity, name: str, value: str) -> str:
    """A scrubbed value that is longer than the column allows (a short name replaced by the
    longer marker) is cut to the column's length, as the server's schema demands."""
    column = type(record).__table__.columns[name]
    length = column.type.length if isinstance(column.type, String) else None
    return value[:length] if length and len(value) > length else value


def household_record_ids(session: Session, household_id: str) -> set[str]:
    """Every tracked record of the household (read before anything is deleted)."""
    ids = {household_id}
    for cls in _BY_ENTITY.values():
        if cls is HouseholdRecord:
            continue
        column = cls.__table__.columns["household_id"]
        ids.update(session.scalars(select(cls.id).where(column == household_id)))
    return ids


def members(session: Session, household_id: str) -> list[Person]:
    return [repo.person_from(r) for r in session.scalars(
        select(PersonRecord).where(PersonRecord.household_id == household_id))]


def scrub_household(session: Session, person: Person, scrubber: Scrubber,
                    result: HouseholdScrub) -> None:
    """Scrub the free text of every record of the person's household (the person record
    itself is the caller's), count kept records that name the person."""
    household_id = person.household_id
    for cls, columns in TEXT_COLUMNS.items():
        query = select(cls)
        if cls is HouseholdRecord:
            query = query.where(HouseholdRecord.id == household_id)
        else:
            query = query.where(
                cls.__table__.columns["household_id"] == household_id)
        if cls is PersonRecord:
            query = query.where(PersonRecord.id != person.id)
        for record in session.scalars(query):
            changed = False
            for name in columns:
                before = getattr(record, name)
                after = _fit(record, name, scrubber.scrub(before))
                if after != before:
                    setattr(record, name, after)
                    changed = True
            for name in STRUCTURED_COLUMNS.get(cls, ()):
                before = getattr(record, name)
                after = scrubber.scrub_structured(before)
                if after != before:
                    setattr(record, name, after)  # a new value: the ORM sees the change
                    changed = True
            if changed:
                result.report.add_scrubbed(cls.__entity__)
    _scrub_plans(session, household_id, scrubber, result)
    for kept in KEPT_RECORDS:
        column = kept.__table__.columns["household_id"]
        for record in session.scalars(select(kept).where(column == household_id)):
            values = [getattr(record, c.key) for c in kept.__table__.columns
                      if c.key not in _SKIP]
            if scrubber.mentions_anywhere(values):
                result.report.add_kept(kept.__entity__)
                result.kept_ids.add(record.id)


def _scrub_plans(session: Session, household_id: str, scrubber: Scrubber,
                 result: HouseholdScrub) -> None:
    for record in session.scalars(select(PlanVersionRecord).where(
            PlanVersionRecord.household_id == household_id)):
        if record.status != PlanStatus.CONCEPT.value:
            if scrubber.mentions_anywhere([record.content, record.history]):
                result.report.add_kept(PlanVersionRecord.__entity__)
                result.kept_ids.add(record.id)
            continue
        version = plans_repo.load_version(session, record.id)
        content = scrubber.scrub_structured(plan_plain(version.content))
        history = scrubber.scrub_structured(plan_plain(list(version.history)))
        if content == plan_plain(version.content) and history == plan_plain(
                list(version.history)):
            continue
        scrubbed = dataclasses.replace(
            version, content=from_plain(PlanContent, content),
            history=tuple(from_plain(StatusChange, h) for h in history))
        plans_repo.save_version(session, scrubbed)  # the fingerprint follows the content
        result.report.add_scrubbed(PlanVersionRecord.__entity__)


def delete_drafts(session: Session, person_id: str) -> None:
    """Unsaved form drafts about the person (the person form, their ZRM or ladder): offered
    back later they would bring the erased data back."""
    for draft in session.scalars(select(DraftRecord).where(
            DraftRecord.key.contains(person_id))):
        session.delete(draft)


# --------------------------------------------------------------------------- history


def scrub_changes(changes: list[dict[str, Any]], person_id: str, record_ids: set[str],
                  kept_ids: set[str], scrubber: Scrubber) -> list[dict[str, Any]]:
    """One change-set's changes (outbox JSON) with the same scrub as the records: the erased
    person's identifying fields as after the erasure, free text of the household's records
    scrubbed (old and new values), kept records untouched."""
    out: list[dict[str, Any]] = []
    for change in changes:
        entity_id = change.get("id")
        cls = _BY_ENTITY.get(str(change.get("entity")))
        fields = change.get("fields")
        if (cls is None or entity_id not in record_ids or entity_id in kept_ids
                or cls in KEPT_RECORDS or not isinstance(fields, dict)):
            out.append(change)
            continue
        new_fields = {name: dict(values) if isinstance(values, dict) else values
                      for name, values in fields.items()}
        for name, values in new_fields.items():
            if not isinstance(values, dict):
                continue
            for side in ("old", "new"):
                value = values.get(side)
                values[side] = _scrub_field(cls, name, value, entity_id == person_id,
                                            scrubber)
        if cls is PlanVersionRecord:
            _refingerprint(fields, new_fields)
        out.append({**change, "fields": new_fields})
    return out


def _scrub_field(cls: type[Entity], name: str, value: Any, is_erased_person: bool,
                 scrubber: Scrubber) -> Any:
    if is_erased_person and name in PERSON_ERASED:
        return value if value in (None, "") else PERSON_ERASED[name]
    if name in TEXT_COLUMNS.get(cls, ()) and isinstance(value, str):
        return scrubber.scrub(value)
    if name in STRUCTURED_COLUMNS.get(cls, ()) or (
            cls is PlanVersionRecord and name in ("content", "history")):
        return scrubber.scrub_structured(value)
    return value


def _refingerprint(before: dict[str, Any], after: dict[str, Any]) -> None:
    """A scrubbed concept content gets the fingerprint of its scrubbed content."""
    content, print_ = after.get("content"), after.get("fingerprint")
    if not isinstance(content, dict) or not isinstance(print_, dict):
        return
    for side in ("old", "new"):
        value = content.get(side)
        if isinstance(value, dict) and value != before["content"].get(side):
            print_[side] = content_fingerprint(from_plain(PlanContent, value))


def scrub_history(session: Session, household_id: str, person_id: str, record_ids: set[str],
                  kept_ids: set[str], scrubber: Scrubber) -> int:
    """Rewrite the local change-sets (the outbox: sent or not) about the household's
    records. The audit chain is untouched: it hashes the change-set id, not its content.
    A change-set the server already has is never sent again (it is idempotent by id); one
    not yet sent goes with the scrubbed values. Returns the number of rewritten rows."""
    rows = session.scalars(select(OutboxRecord).where(
        (OutboxRecord.household_id == household_id) | OutboxRecord.household_id.is_(None)))
    count = 0
    for row in rows:
        scrubbed = scrub_changes(row.changes, person_id, record_ids, kept_ids, scrubber)
        if scrubbed != row.changes:
            row.changes = scrubbed
            count += 1
    return count


def scrub_own_changeset(session: Session, person_id: str, record_ids: set[str],
                        kept_ids: set[str], scrubber: Scrubber) -> None:
    """The erasure's own change-set carries the erased values as ``old``: scrub them too,
    when the save adds its outbox row (just before the commit, in the same transaction)."""

    def before_flush(flushing: Session, _context: Any, _instances: Any) -> None:
        for obj in list(flushing.new):
            if isinstance(obj, OutboxRecord):
                obj.changes = scrub_changes(obj.changes, person_id, record_ids, kept_ids,
                                            scrubber)

    event.listen(session, "before_flush", before_flush)


def classified_entities() -> set[str]:
    """Every record kind the erasure looks at (for the completeness test)."""
    return {cls.__entity__ for cls in _BY_ENTITY.values()}


def erased_person(person: Person) -> Person:
    return dataclasses.replace(person, first_name=ERASED, name_prefix="", last_name="",
                               birth_date=None, bsn="", gezag_note="")


def others(people: Iterable[Person], person_id: str) -> list[Person]:
    return [p for p in people if p.id != person_id]


__all__ = ["KEPT_RECORDS", "STRUCTURED_COLUMNS", "TEXT_COLUMNS", "HouseholdScrub",
           "classified_entities", "delete_drafts", "erased_person", "household_record_ids",
           "members", "others", "scrub_changes", "scrub_history", "scrub_household",
           "scrub_own_changeset"]
