"""The open case file: sessions for reading, and atomic saves that write outbox and audit.

Every save is one transaction holding (1) the changed records, (2) one outbox change-set
describing them field by field, and (3) one hash-chained audit entry. Either all three are
committed or none is.

SQLite's refusals become the app's own errors with a true Dutch text (`integrity.translate`):
a full disk, a read-only file or folder, a disk error, damage. Once damage shows (a page that
fails its HMAC while reading), the file is not written to again in this session: every later
save and audit entry is refused with the same `CaseFileDamaged`.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from wijkteam_app.domain.changes import EntityChange
from wijkteam_app.domain.ids import new_id
from wijkteam_app.errors import CaseFileDamaged
from wijkteam_app.persistence.integrity import translate
from wijkteam_app.persistence.schema import AuditRecord, LocalState, OutboxRecord
from wijkteam_app.persistence.tracking import ChangeTracker

GENESIS_HASH = "0" * 64


def utcnow() -> datetime:
    """Naive UTC timestamps are what the case file stores."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True, slots=True)
class SaveResult:
    changeset_id: str | None
    device_seq: int | None
    changes: tuple[EntityChange, ...]
    household_ids: frozenset[str]


class SaveContext:
    """Handed to the body of a save: the session and what the audit entry should say."""

    def __init__(self, session: Session, object_type: str, object_id: str) -> None:
        self.session = session
        self.object_type = object_type
        self.object_id = object_id
        self.result: SaveResult | None = None


def audit_hash(prev_hash: str, entry: AuditRecord) -> str:
    payload = json.dumps(
        [
            prev_hash,
            entry.at.isoformat(),
            entry.device_id,
            entry.actor_id,
            entry.action,
            entry.object_type,
            entry.object_id,
            entry.result,
            entry.changeset_id,
        ],
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def get_state(session: Session, key: str) -> str | None:
    row = session.get(LocalState, key)
    return row.value if row else None


def set_state(session: Session, key: str, value: str) -> None:
    row = session.get(LocalState, key)
    if row is None:
        session.add(LocalState(key=key, value=value))
    else:
        row.value = value


class CaseFile:
    """One open, keyed database. Thread-safe: one session at a time (one writer).

    `reader` (given by `database.open_casefile`) opens one more keyed, read-only connection
    to the same file, for `snapshot`: a long read on a background thread that neither takes
    this lock nor blocks a save (WAL lets a reader and a writer work at once)."""

    def __init__(self, engine: Engine, path: Path | None = None,
                 reader: Callable[[], Any] | None = None) -> None:
        self.engine = engine
        self.path = path
        self.damage: CaseFileDamaged | None = None  # set once damage shows; no more writes
        self._lock = threading.RLock()
        self._reader = reader
        with self.read() as session:
            device = get_state(session, "device_id")
        if device is None:
            raise RuntimeError("case file has no device id")
        self.device_id = device

    def close(self) -> None:
        with self._lock:
            self.engine.dispose()

    @contextmanager
    def _translated(self) -> Iterator[None]:
        """SQLite and OS errors as the app's own (see the module docstring)."""
        try:
            yield
        except (DBAPIError, OSError) as exc:
            known = translate(exc, self.path)
            if known is None:
                raise
            if isinstance(known, CaseFileDamaged):
                self.damage = known
            raise known from exc

    def _refuse_if_damaged(self) -> None:
        if self.damage is not None:
            raise CaseFileDamaged(self.damage.kind, "no writes to a damaged file")

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session in one transaction, committed at the end. Used for reads and for the
        few writes that are not case records (drafts, local state): no outbox, no audit."""
        with self._lock, self._translated(), \
                Session(self.engine, expire_on_commit=False) as session:
            transaction = session.begin()
            try:
                yield session
            except BaseException:
                transaction.rollback()
                raise
            if self.damage is None:
                transaction.commit()
            else:  # a damaged file is read, never written (drafts, local state)
                transaction.rollback()

    @contextmanager
    def snapshot(self) -> Iterator[Any]:
        """A DB-API connection inside one read transaction: every query sees the file as it
        was at the first one. Its own read-only connection when there is a reader, so saves
        on other threads go on meanwhile; otherwise the one connection, under the lock."""
        if self._reader is None:
            with self.read() as session:
                yield session.connection().connection.driver_connection
            return
        try:
            conn = self._reader()
        except Exception as exc:
            raise translate(exc, self.path) or exc from exc
        try:
            conn.execute("BEGIN")  # deferred: a read transaction, never a write lock
            yield conn
        except Exception as exc:
            known = translate(exc, self.path)
            if known is None or known is exc:
                raise
            if isinstance(known, CaseFileDamaged):
                self.damage = known
            raise known from exc
        finally:
            conn.close()

    @contextmanager
    def save(
        self, actor_id: str, action: str, object_type: str, object_id: str = ""
    ) -> Iterator[SaveContext]:
        """Run the body in one transaction and append its change-set and audit entry."""
        self._refuse_if_damaged()
        with self._lock, self._translated(), \
                Session(self.engine, expire_on_commit=False) as session:
            tracker = ChangeTracker()
            tracker.attach(session)
            with session.begin():
                ctx = SaveContext(session, object_type, object_id)
                yield ctx
                session.flush()
                changes = tuple(tracker.changes)
                households = frozenset(tracker.household_ids)
                changeset_id: str | None = None
                seq: int | None = None
                now = utcnow()
                if changes:
                    seq = int(get_state(session, "device_seq") or "0") + 1
                    set_state(session, "device_seq", str(seq))
                    changeset_id = new_id()
                    session.add(
                        OutboxRecord(
                            seq=seq,
                            id=changeset_id,
                            created_at=now,
                            actor_id=actor_id,
                            action=action,
                            household_id=next(iter(households)) if len(households) == 1 else None,
                            changes=[c.to_json() for c in changes],
                            sent_at=None,
                            accepted_at=None,
                        )
                    )
                self._append_audit(
                    session,
                    actor_id=actor_id,
                    action=action,
                    object_type=ctx.object_type,
                    object_id=ctx.object_id,
                    result="ok" if changes else "ongewijzigd",
                    changeset_id=changeset_id,
                    at=now,
                )
                ctx.result = SaveResult(changeset_id, seq, changes, households)

    def audit(self, actor_id: str, action: str, object_type: str, object_id: str,
              result: str = "ok") -> None:
        """An audit entry for something that is not a save (unlock, export, view)."""
        self._refuse_if_damaged()
        with self._lock, self._translated(), Session(self.engine) as session, session.begin():
            self._append_audit(session, actor_id=actor_id, action=action,
                               object_type=object_type, object_id=object_id, result=result,
                               changeset_id=None, at=utcnow())

    def _append_audit(self, session: Session, *, actor_id: str, action: str, object_type: str,
                      object_id: str, result: str, changeset_id: str | None,
                      at: datetime) -> None:
        prev = session.scalar(select(AuditRecord.hash).order_by(AuditRecord.id.desc()).limit(1))
        entry = AuditRecord(
            at=at,
            device_id=self.device_id,
            actor_id=actor_id,
            action=action,
            object_type=object_type,
            object_id=object_id,
            result=result,
            changeset_id=changeset_id,
            prev_hash=prev or GENESIS_HASH,
            hash="",
        )
        entry.hash = audit_hash(entry.prev_hash, entry)
        session.add(entry)
