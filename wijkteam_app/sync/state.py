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


@dataclass(frozen=True, slots=True)
class RefusalView:
    """A change-set the server refused: which household, what was done and when, and why
    (a `sync.authority.Refusal` code). The local data stays; the UI explains and advises."""

    changeset_id: str
    reason: str | None
    action: str  # the save on this laptop ("plan.aanmaken", "huishouden.wijzigen", ...)
    household_id: str | None
    household_name: str | None
    made_at: datetime  # UTC, when the worker made the change
    refused_at: datetime  # UTC, when the server's verdict arrived


@dataclass(frozen=True, slots=True)
class SyncWarningView:
    """An accepted change-set the server flagged (a `sync.authority.Warning_` code)."""

    changeset_id: str
    code: str
    action: str
    household_id: str | None
    household_name: str | None
    made_at: datetime
    received_at: datetime


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


@dataclass(frozen=True, slots=True)
class RefusedChangeSet:
    """An outbox change-set the server rejected, with its verdict (the local data stays)."""

    changeset_id: str
    seq: int
    reason: str | None  # a `sync.authority.Refusal` code (None from an older server)
    refused_at: datetime
    action: str  # the save that made it ("plan.aanmaken", "huishouden.wijzigen", ...)
    made_at: datetime
    household_id: str | None
    changes: list[dict[str, Any]]


def changeset_household(row: OutboxRecord) -> str | None:
    """The household a change-set belongs to (also when the outbox row names none)."""
    if row.household_id:
        return row.household_id
    for change in row.changes:
        if change.get("entity") == "household":
            return str(change.get("id"))
        household = change.get("fields", {}).get("household_id", {}).get("new")
        if isinstance(household, str):
            return household
    return None


def refused_changesets(session: Session, household_id: str | None = None
                       ) -> list[RefusedChangeSet]:
    """Change-sets the server refused, oldest first (of one household when given)."""
    query = (select(SyncVerdictRecord, OutboxRecord)
             .join(OutboxRecord, OutboxRecord.id == SyncVerdictRecord.changeset_id)
             .where(SyncVerdictRecord.status == "rejected")
             .order_by(SyncVerdictRecord.seq))
    if household_id is not None:
        query = query.where((OutboxRecord.household_id == household_id)
                            | OutboxRecord.household_id.is_(None))
    out = []
    for verdict, row in session.execute(query).all():
        household = changeset_household(row)
        if household_id is not None and household != household_id:
            continue
        out.append(RefusedChangeSet(verdict.changeset_id, verdict.seq, verdict.reason,
                                    verdict.received_at, row.action, row.created_at,
                                    household, list(row.changes)))
    return out


def removals(session: Session) -> list[SyncRemovalRecord]:
    return list(session.scalars(select(SyncRemovalRecord).order_by(SyncRemovalRecord.told_at)))
