"""The laptops' audit chains on the server: receiving them link by link, and reading the
access log (NEN 7513) per household or per person.

Every pushed entry is checked against the device's chain: positions without gaps, each
``prev_hash`` equal to the stored hash before it, each ``hash`` recomputed with the shared
`entry_hash`. A broken link is refused (and logged as a possible tampering incident), never
stored. Stored rows are append-only (database triggers, migration 0007).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from wijkteam_app.sync.auditlog import GENESIS_HASH, entry_hash
from wijkteam_app.sync.protocol import AccessLogEntry, AuditEntry
from wijkteam_server.db import utcnow
from wijkteam_server.errors import ApiError
from wijkteam_server.models import AuditLogRow, Device, EntityRow, User

log = logging.getLogger("wijkteam_server.access_log")


def store(session: Session, device: Device, user: User, entries: Sequence[AuditEntry]) -> int:
    """Append `entries` to `device`'s chain; returns the highest position now stored.
    Raises ApiError 409 (``audit_gap``/``audit_chain_broken``/``audit_mismatch``)."""
    last = session.scalar(select(AuditLogRow).where(AuditLogRow.device_id == device.id)
                          .order_by(AuditLogRow.local_id.desc()).limit(1))
    expected = (last.local_id + 1) if last is not None else 1
    prev = last.hash if last is not None else GENESIS_HASH
    now = utcnow()
    for entry in sorted(entries, key=lambda e: e.local_id):
        if entry.local_id < expected:
            held = session.scalar(select(AuditLogRow.hash).where(
                AuditLogRow.device_id == device.id, AuditLogRow.local_id == entry.local_id))
            if held != entry.hash:
                log.warning("audit chain of a device differs from what it sent before")
                raise ApiError(409, "audit_mismatch")
            continue
        if entry.local_id != expected:
            raise ApiError(409, "audit_gap", expected_seq=expected)
        at = entry.at.astimezone(UTC).replace(tzinfo=None)
        computed = entry_hash(prev, at, device.id, entry.actor_id, entry.action,
                              entry.object_type, entry.object_id, entry.result,
                              entry.changeset_id, entry.household_id, entry.purpose)
        if entry.prev_hash != prev or computed != entry.hash:
            log.warning("audit chain of a device is broken at one entry: refused")
            raise ApiError(409, "audit_chain_broken", expected_seq=expected)
        session.add(AuditLogRow(
            device_id=device.id, local_id=entry.local_id, user_id=user.id, at=at,
            actor_id=entry.actor_id, action=entry.action, object_type=entry.object_type,
            object_id=entry.object_id, result=entry.result, changeset_id=entry.changeset_id,
            household_id=entry.household_id, purpose=entry.purpose, prev_hash=entry.prev_hash,
            hash=entry.hash, received_at=now))
        prev = entry.hash
        expected += 1
    return expected - 1


def _entries(session: Session, rows: Sequence[AuditLogRow]) -> list[AccessLogEntry]:
    names = dict(session.execute(select(User.id, User.display_name).where(
        User.id.in_({r.actor_id for r in rows}))).all())
    return [AccessLogEntry(at=r.at, device_id=r.device_id, actor_id=r.actor_id,
                           actor_name=names.get(r.actor_id, ""), action=r.action,
                           object_type=r.object_type, object_id=r.object_id,
                           household_id=r.household_id, purpose=r.purpose, hash=r.hash)
            for r in rows]


def for_household(session: Session, household_id: str) -> list[AccessLogEntry]:
    rows = session.scalars(select(AuditLogRow).where(AuditLogRow.household_id == household_id)
                           .order_by(AuditLogRow.at, AuditLogRow.id)).all()
    return _entries(session, rows)


def households_of_person(session: Session, person_id: str) -> set[str]:
    row = session.get(EntityRow, ("person", person_id))
    return {row.household_id} if row is not None and row.household_id else set()


def for_person(session: Session, person_id: str) -> list[AccessLogEntry]:
    """Everything logged about one person: entries on their household (views of the page,
    prints, exports and changes) and entries naming the person as the object."""
    households = households_of_person(session, person_id)
    condition = AuditLogRow.object_id == person_id
    if households:
        condition = or_(condition, AuditLogRow.household_id.in_(households))
    rows = session.scalars(select(AuditLogRow).where(condition)
                           .order_by(AuditLogRow.at, AuditLogRow.id)).all()
    return _entries(session, rows)
