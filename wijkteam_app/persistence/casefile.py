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

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import ClauseElement, Engine, ScalarSelect, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from wijkteam_app.domain.changes import EntityChange
from wijkteam_app.domain.ids import new_id
from wijkteam_app.errors import CaseFileCorrupt, CaseFileDamaged, CaseFileLocked
from wijkteam_app.persistence.integrity import translate
from wijkteam_app.persistence.schema import AuditRecord, LocalState, OutboxRecord
from wijkteam_app.persistence.tracking import ChangeTracker
from wijkteam_app.sync.auditlog import GENESIS_HASH as GENESIS_HASH
from wijkteam_app.sync.auditlog import entry_hash

log = logging.getLogger(__name__)


class Connector(Protocol):
    """Opens one more keyed connection to the case file (read-only unless told)."""

    def __call__(self, read_only: bool = True) -> Any: ...


AUTOCHECKPOINT_PAGES = 1000  # SQLite's default
CHECKPOINT_EVERY = 0.5  # seconds between checkpoints of a sync (`deferred_checkpoints`)

SaveListener = Callable[[frozenset[str]], None]


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
        # The access-log fields of the audit entry: the household is found by itself when
        # the save touched exactly one; a body may name it (or the purpose) explicitly.
        self.household_id: str | None = None
        self.purpose: str | None = None


def audit_hash(prev_hash: str, entry: AuditRecord) -> str:
    return entry_hash(prev_hash, entry.at, entry.device_id, entry.actor_id, entry.action,
                      entry.object_type, entry.object_id, entry.result, entry.changeset_id,
                      entry.household_id, entry.purpose)


def get_state(session: Session, key: str) -> str | None:
    row = session.get(LocalState, key)
    return row.value if row else None


def state_value_query(key: str) -> ScalarSelect[str]:
    """`get_state` as a scalar subquery, for a read that takes it together with other
    values (see `sqlite_text`)."""
    return select(LocalState.value).where(LocalState.key == key).scalar_subquery()


def set_state(session: Session, key: str, value: str) -> None:
    row = session.get(LocalState, key)
    if row is None:
        session.add(LocalState(key=key, value=value))
    else:
        row.value = value


def sqlite_text(statement: ClauseElement) -> str:
    """A Core statement as SQLite text with its constant values written in, for a read on a
    path where SQLAlchemy's per-execution work (building the statement, its cache key, the
    result objects) costs more than the query: compile it once (`functools.cache` on the
    caller's side) and run it with `driver`. Only for statements whose values are constants
    of the code, never user input, and whose columns need no type conversion on the way back
    (integers, text, flags as 0/1)."""
    return str(statement.compile(dialect=sqlite.dialect(),
                                 compile_kwargs={"literal_binds": True}))


def driver(session: Session) -> Any:
    """The DB-API connection of the session's transaction (see `sqlite_text`)."""
    return session.connection().connection.driver_connection


class CaseFile:
    """One open, keyed database. Thread-safe: one session at a time (one writer).

    `reader` (given by `database.open_casefile`) opens one more keyed, read-only connection
    to the same file, for `snapshot`: a long read on a background thread that neither takes
    this lock nor blocks a save (WAL lets a reader and a writer work at once). Called with
    ``read_only=False`` it opens a keyed read-write one, for `checkpoint`."""

    def __init__(self, engine: Engine, path: Path | None = None,
                 reader: Connector | None = None) -> None:
        self._engine: Engine | None = engine
        self.path = path
        self.damage: CaseFileDamaged | None = None  # set once damage shows; no more writes
        self._lock = threading.RLock()
        self._listeners: list[SaveListener] = []
        self._reader = reader
        with self.read() as session:
            device = get_state(session, "device_id")
        if device is None:
            raise RuntimeError("case file has no device id")
        self.device_id = device

    @property
    def engine(self) -> Engine:
        engine = self._engine
        if engine is None:
            raise CaseFileLocked()
        return engine

    @property
    def locked(self) -> bool:
        return self._engine is None

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()

    def lock(self) -> None:
        """Close the connection and drop the engine (and with it the only reference to the
        data key): every read or save raises CaseFileLocked until `reopen`."""
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None
            self._reader = None  # it holds the key too

    def reopen(self, engine: Engine, reader: Connector | None = None) -> None:
        """Continue on a freshly keyed engine of the same file (after the lock screen), with
        the `reader` for `snapshot` made with the same key."""
        with self._lock:
            with Session(engine) as session:
                device = get_state(session, "device_id")
            if device != self.device_id:
                engine.dispose()
                raise CaseFileCorrupt("another case file")
            self._engine = engine
            self._reader = reader

    def add_listener(self, listener: SaveListener) -> None:
        """Call `listener` after every committed save that changed records, with the
        households it touched, in the thread that saved (open pages follow saves)."""
        self._listeners.append(listener)

    def remove_listener(self, listener: SaveListener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

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
    def read(self, *, durable: bool = True) -> Iterator[Session]:
        """A session in one transaction, committed at the end. Used for reads and for the
        few writes that are not case records (drafts, local state): no outbox, no audit.

        ``durable=False`` commits without waiting for the disk (``synchronous = NORMAL`` for
        this one transaction, WAL mode): still atomic and never corrupting, but a power loss
        right after may roll it back. Only for data that can be fetched again and whose
        bookkeeping rolls back with it (a pulled batch and its cursor), never for a save."""
        with self._lock, self._translated():
            if not durable:
                self._synchronous(full=False)
            try:
                with Session(self.engine, expire_on_commit=False) as session:
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
            finally:
                if not durable:
                    self._synchronous(full=True)

    @contextmanager
    def deferred_checkpoints(self) -> Iterator[Callable[[], None]]:
        """No automatic checkpoint inside a transaction until the block ends; yields a
        function the caller calls between its transactions (the sync, after each pulled
        batch), which checkpoints at most every `CHECKPOINT_EVERY` seconds.

        Why: SQLite copies the write-ahead log into the file (and waits for the disk) in the
        commit that makes the log pass 1,000 pages. During a first pull that is every few
        batches, and that commit then held the lock for 100-150 ms instead of ~25 ms, so a
        save from the window waited that long. Here the same work is done on a connection
        of its own, without the lock: saves and batches go on meanwhile (SQLite's checkpoint
        takes only its own lock; ``PASSIVE`` never waits for a reader or a writer)."""
        own = self._checkpointer()
        if own is None:  # no second connection (a test's plain engine): as before
            yield lambda: None
            return
        last = time.monotonic()

        def checkpoint(force: bool = False) -> None:
            nonlocal last
            if force or time.monotonic() - last >= CHECKPOINT_EVERY:
                last = time.monotonic()
                try:
                    own.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except Exception as exc:  # busy or locked meanwhile: a later one does it
                    log.debug("checkpoint skipped: %s", type(exc).__name__)

        self._autocheckpoint(0)
        try:
            yield checkpoint
        finally:
            try:
                self._autocheckpoint(AUTOCHECKPOINT_PAGES)
                checkpoint(force=True)
            finally:
                own.close()

    def _checkpointer(self) -> Any:
        reader = self._reader
        if reader is None or self.damage is not None:
            return None
        try:
            return reader(read_only=False)
        except Exception as exc:
            log.debug("no checkpoint connection: %s", type(exc).__name__)
            return None

    def _autocheckpoint(self, pages: int) -> None:
        with self._lock, self._translated():
            if self._engine is None:
                return
            with self.engine.connect() as conn:
                driver = conn.connection.dbapi_connection
                assert driver is not None
                driver.execute(f"PRAGMA wal_autocheckpoint = {int(pages)}")

    def _synchronous(self, *, full: bool) -> None:
        """Set the commit durability of the one connection, outside any transaction (call
        with the lock held)."""
        with self.engine.connect() as conn:
            driver = conn.connection.dbapi_connection
            assert driver is not None
            driver.execute("PRAGMA synchronous = FULL" if full else "PRAGMA synchronous = NORMAL")

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
                    household_id=ctx.household_id or (
                        next(iter(households)) if len(households) == 1 else None),
                    purpose=ctx.purpose,
                )
                ctx.result = SaveResult(changeset_id, seq, changes, households)
        if ctx.result is not None and ctx.result.changes:  # committed: tell the open pages
            for listener in list(self._listeners):
                try:
                    listener(ctx.result.household_ids)
                except Exception as exc:  # a listener never undoes or fails a committed save
                    log.warning("save listener failed: %s", type(exc).__name__)

    def audit(self, actor_id: str, action: str, object_type: str, object_id: str,
              result: str = "ok", *, household_id: str | None = None,
              purpose: str | None = None, durable: bool = True) -> None:
        """An audit entry for something that is not a save (unlock, export, view).

        ``durable=False`` (views of a page): the entry is committed in its own transaction
        like any other, in the same hash chain, but without waiting for the disk (SQLite
        ``synchronous=NORMAL`` for this one commit). It survives the app crashing (it is in
        the WAL, in the OS's cache) and the next save's fsync takes it along; only a power
        cut in between can lose it. That keeps opening a household free of an fsync."""
        self._refuse_if_damaged()
        with self._lock, self._translated():
            if durable:
                with Session(self.engine) as session, session.begin():
                    self._append_audit(session, actor_id=actor_id, action=action,
                                       object_type=object_type, object_id=object_id,
                                       result=result, changeset_id=None, at=utcnow(),
                                       household_id=household_id, purpose=purpose)
                return
            with self.engine.connect() as conn:
                raw = conn.connection.driver_connection
                assert raw is not None
                raw.execute("PRAGMA synchronous = NORMAL")  # outside any transaction
                try:
                    with Session(bind=conn) as session, session.begin():
                        self._append_audit(session, actor_id=actor_id, action=action,
                                           object_type=object_type, object_id=object_id,
                                           result=result, changeset_id=None, at=utcnow(),
                                           household_id=household_id, purpose=purpose)
                    conn.commit()
                finally:
                    raw.execute("PRAGMA synchronous = FULL")

    def _append_audit(self, session: Session, *, actor_id: str, action: str, object_type: str,
                      object_id: str, result: str, changeset_id: str | None,
                      at: datetime, household_id: str | None = None,
                      purpose: str | None = None) -> None:
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
            household_id=household_id,
            purpose=purpose,
            prev_hash=prev or GENESIS_HASH,
            hash="",
        )
        entry.hash = audit_hash(entry.prev_hash, entry)
        session.add(entry)
