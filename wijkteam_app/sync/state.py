"""What the sync client knows about itself, read from and written to the case file.

Plain results for the services and the UI (`SyncReport`, `SyncStatus`, `ConflictView`) and the
queries on the sync tables (`persistence/sync_schema.py`): the state row, the outbox rows still
waiting for a verdict and the fields they touch (which a pulled change must not overwrite).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wijkteam_app.persistence.schema import OutboxRecord
from wijkteam_app.persistence.sync_schema import (
    SyncConflictRecord,
    SyncRemovalRecord,
    SyncStateRecord,
    SyncVerdictRecord,
)

STATE_ID = 1


@dataclass
class SyncReport:
    """The outcome of one `sync_once`. Never raised: problems are in ``errors`` (Dutch)."""

    pushed: int = 0  # change-sets the server gave a verdict on in this run
    accepted: int = 0
    rejected: int = 0
    conflicts: int = 0  # new conflicts caused by this laptop's change-sets
    pulled: int = 0  # feed items applied to the case file
    removed: int = 0  # households removed because they left my caseload
    kept: int = 0  # households that left my caseload but still wait for local changes
    open_conflicts: int = 0
    uploaded: int = 0  # attachment files whose bytes reached the server (SHA-256 verified)
    downloaded: int = 0  # attachment files fetched and verified into the case file
    offline: bool = False
    login_required: bool = False
    wiped: bool = False
    errors: list[str] = field(default_factory=list)
    error_codes: list[str] = field(default_factory=list)
    # Households of the feed items applied in this run: open pages showing them refresh.
    changed_households: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.errors

    def fail(self, code: str, message: str) -> None:
        self.error_codes.append(code)
        self.errors.append(message)


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """What the status bar shows."""

    logged_in: bool
    online: bool | None  # None: not tried since the app started
    server_url: str | None
    username: str | None
    last_sync_at: datetime | None
    pending_changes: int
    rejected_changes: int
    open_conflicts: int
    last_error: str | None


@dataclass(frozen=True, slots=True)
class ConflictSideView:
    value: Any
    actor_id: str | None
    actor_name: str | None
    device_id: str | None
    at: datetime | None


@dataclass(frozen=True, slots=True)
class ConflictView:
    """One field changed on two sides: the conflict dialog shows mine, theirs and base."""

    id: str
    entity: str
    entity_id: str
    household_id: str | None
    household_name: str | None
    field: str
    kind: str
    base: Any
    mine: ConflictSideView
    theirs: ConflictSideView
    status: str
    created_at: datetime
    resolution: Any = None


# --------------------------------------------------------------------------- queries


def load_state(session: Session) -> SyncStateRecord | None:
    return session.get(SyncStateRecord, STATE_ID)


def require_state(session: Session) -> SyncStateRecord:
    state = load_state(session)
    if state is None:
        raise LookupError("not logged in")
    return state


def pushed_seq(session: Session) -> int:
    """Every outbox row up to this sequence number has the server's verdict."""
    state = load_state(session)
    return state.pushed_seq if state is not None else 0


def unsettled_rows(session: Session, limit: int | None = None) -> list[OutboxRecord]:
    """Outbox rows the server has not given a verdict on yet (oldest first). A range on the
    primary key, so it costs nothing when the outbox is empty, however long its history."""
    query = (select(OutboxRecord).where(OutboxRecord.seq > pushed_seq(session))
             .order_by(OutboxRecord.seq))
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def pending_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(OutboxRecord)
                              .where(OutboxRecord.seq > pushed_seq(session))) or 0)


def rejected_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(SyncVerdictRecord)
                              .where(SyncVerdictRecord.status == "rejected")) or 0)


def open_conflict_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(SyncConflictRecord)
                              .where(SyncConflictRecord.status == "open")) or 0)


@dataclass
class PendingWork:
    """The fields (per record) that still have a local change without a server verdict,
    and the households those changes belong to."""

    fields: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    deletes: set[tuple[str, str]] = field(default_factory=set)
    households: set[str] = field(default_factory=set)

    def record_pending(self, key: tuple[str, str]) -> bool:
        return key in self.fields or key in self.deletes


def pending_work(session: Session) -> PendingWork:
    work = PendingWork()
    for row in unsettled_rows(session):
        if row.household_id:
            work.households.add(row.household_id)
        for change in row.changes:
            key = (str(change["entity"]), str(change["id"]))
            if change["op"] == "delete":
                work.deletes.add(key)
            names = set(change["fields"])
            work.fields[key].update(names)
            household = change["fields"].get("household_id", {}).get("new")
            if change["entity"] == "household":
                work.households.add(str(change["id"]))
            elif isinstance(household, str):
                work.households.add(household)
    return work


def removals(session: Session) -> list[SyncRemovalRecord]:
    return list(session.scalars(select(SyncRemovalRecord).order_by(SyncRemovalRecord.told_at)))
