"""The laptop half of the sync protocol: push the outbox, pull and apply the feed.

One `SyncEngine.run` is *push, then pull* (docs/sync-protocol.md, "Laptop side"):

1. **Push** the outbox oldest first, in batches, each change-set exactly as `CaseFile.save`
   wrote it (minus the entities protocol 1 cannot carry, which stay on the laptop and are
   listed as ``held``). Verdicts are stored; accepted (and conflict) rows get ``accepted_at``.
   A push whose answer was lost is simply sent again: the server answers ``duplicate``.
2. **Pull** the feed from the cursor, page by page (the next page is fetched while one is
   applied). Every item is checked and prepared outside the lock (`sync.apply`); a page is
   applied in short batch transactions of the case file that bypass the change tracker
   (`CaseFile.read`), so nothing pulled goes back into the outbox; the last one also writes
   one audit entry and the new cursor. An item that cannot be applied is quarantined, the
   rest applies. Apply rule: per record the last SERVER version is kept
   (``sync_record_versions``); an item is applied only when newer (``>=`` for snapshots),
   and a field with a local change still waiting for its verdict is never overwritten (the
   push decides it).
3. **Conflicts** of my scope are mirrored; a household whose local copy still shows "mine"
   after the server kept "theirs" is fetched again.
4. **Households that left my scope** are removed only when no local change of them is
   waiting, rejected or held; **tombstones** are applied once no local change is pending.

Locking: the case file's lock is held only inside those short transactions (one batch of
pulled items, sized to hold it about 25 ms; one verdict batch); every network call happens
outside it, so the UI never waits for the network. No Qt here.
"""

from __future__ import annotations

import hashlib
import logging
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cache, partial
from typing import Any, TypeVar, cast, get_args

from pydantic import ValidationError
from sqlalchemy import (
    Exists,
    Integer,
    Select,
    String,
    Table,
    bindparam,
    delete,
    exists,
    func,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import ReturningUpdate

from wijkteam_app.memory import no_collection
from wijkteam_app.persistence.casefile import CaseFile, driver, sqlite_text, utcnow
from wijkteam_app.persistence.schema import (
    AttachmentBlobRecord,
    AttachmentRecord,
    HouseholdRecord,
    OutboxRecord,
)
from wijkteam_app.persistence.sync_schema import (
    SyncConflictRecord,
    SyncQuarantineRecord,
    SyncRecordVersion,
    SyncRemovalRecord,
    SyncStateRecord,
    SyncUploadRecord,
    SyncVerdictRecord,
)
from wijkteam_app.sync.apply import (
    ENTITY_ORDER,
    Batch,
    Prepared,
    entity_classes,
    fatal,
    order,
    tables_for,
)
from wijkteam_app.sync.checks import ERROR, INTEGRITY
from wijkteam_app.sync.protocol import (
    SERVER_OWNED_ENTITIES,
    AttachmentCreate,
    AttachmentInfo,
    ChangeSet,
    ChangeSetResult,
    Conflict,
    EntityChange,
    EntityName,
    FeedItem,
    PullResponse,
    PushRequest,
)
from wijkteam_app.sync.reference import BadReferenceData, store_bundle
from wijkteam_app.sync.reference import cached_version as cached_reference_version
from wijkteam_app.sync.reference import cached_version_query as cached_reference_version_query
from wijkteam_app.sync.state import (
    STATE_ID,
    PendingWork,
    SyncReport,
    load_state,
    pending_work,
    quarantine_count,
    removals,
    require_state,
    unsettled_rows,
)
from wijkteam_app.sync.transport import (
    Offline,
    ProtocolMismatch,
    Refused,
    SequenceError,
    ServerUnavailable,
    SyncError,
    Transport,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

PUSHABLE: frozenset[str] = frozenset(get_args(EntityName)) - SERVER_OWNED_ENTITIES
"""Entities protocol 1 carries from the laptop to the server."""

LOCAL_ONLY: frozenset[str] = frozenset({"team", "worker", "mandate"})
"""Entities that are never pushed on purpose: the directory and mandates are the server's
(``/me`` and the feed deliver them). Changes to any other entity outside `PUSHABLE` (one a
newer case file knows and this protocol does not) are *held*: kept on the laptop and counted,
never dropped. Attachment metadata travels as a record; the bytes stay in
``attachment_blobs``, never enter the outbox, and travel by the chunked upload
(`SyncEngine.upload_attachments`, `SyncEngine.download_attachments`)."""

PAGE_SIZE = 2000  # items per pull request (the protocol's maximum)


def _nothing() -> None:
    pass


APPLY_BATCH = 100  # items in the first apply transaction of a sync (the lock is held for one)
MIN_APPLY_BATCH = 25
MAX_APPLY_BATCH = 1000
HOLD_TARGET = 0.025  # seconds: the batch size follows how long a batch holds the lock
PUSH_BATCH = 100

UPLOAD_FAILED = ("Een bijlage (ondertekende scan of PDF) kon niet naar de server. De app "
                 "probeert het bij de volgende synchronisatie opnieuw; er gaat niets verloren.")
REFERENCE_FAILED = ("De gegevens van de gemeente (mandaten, sociale kaart, naam en logo) konden "
                    "niet worden bijgewerkt. De app gebruikt de vorige versie en probeert het "
                    "bij de volgende synchronisatie opnieuw.")
DOWNLOAD_FAILED = ("Een bijlage van de server klopte niet (controlegetal) en is niet "
                   "opgeslagen. De app probeert het bij de volgende synchronisatie opnieuw.")


def quarantine_message(count: int) -> str:
    """The Dutch report of a sync that completed with records in quarantine."""
    if count == 1:
        return ("Synchronisatie voltooid met 1 probleem: 1 gegeven van de server kon niet "
                "worden verwerkt en staat apart (in quarantaine). Al het andere is bijgewerkt. "
                "Meld het aan de functioneel beheerder; 'wijkteam check' laat zien welk "
                "gegeven het is.")
    return (f"Synchronisatie voltooid met {count} problemen: {count} gegevens van de server "
            "konden niet worden verwerkt en staan apart (in quarantaine). Al het andere is "
            "bijgewerkt. Meld het aan de functioneel beheerder; 'wijkteam check' laat zien "
            "welke gegevens het zijn.")


@dataclass(frozen=True, slots=True)
class Look:
    """What a sync has to do, from one read of the case file (`look`)."""

    server_url: str
    logged_in: bool
    cursor: int
    unsent: bool
    uploads: bool
    open_conflicts: bool
    refresh: bool
    removals: bool
    download: bool
    quarantine: bool
    reference_version: str | None  # of the cached reference data


@cache
def _look_sql() -> str:
    state = SyncStateRecord

    def some(query: Select[Any]) -> Exists:
        return exists(query.limit(1))

    return sqlite_text(select(
        state.server_url,
        state.logged_in,
        state.cursor,
        some(select(OutboxRecord.seq).where(OutboxRecord.seq > state.pushed_seq)),
        some(select(SyncUploadRecord.attachment_id).where(
            SyncUploadRecord.status.in_(["pending", "uploading"]))),
        some(select(SyncConflictRecord.id).where(SyncConflictRecord.status == "open")),
        some(select(SyncConflictRecord.id).where(SyncConflictRecord.needs_refresh.is_(True))),
        some(select(SyncRemovalRecord.household_id)),
        state.download_pending,
        some(select(SyncQuarantineRecord.entity_id)),
        cached_reference_version_query(),
    ).where(state.id == STATE_ID))


def look(session: Session) -> Look | None:
    """Everything `SyncEngine.run` needs to know up front, and where and whether this
    profile syncs (None: it never logged in): one query of indexed lookups, compiled once
    and run on the driver's connection (a sync with nothing to do is mostly this read, so
    SQLAlchemy's per-statement work, three times the query's own, is left out)."""
    row = driver(session).execute(_look_sql()).fetchone()
    if row is None:
        return None
    unsent, uploads, conflicts, refresh, removals, download, quarantine = (
        bool(v) for v in row[3:10])
    return Look(str(row[0]), bool(row[1]), int(row[2]), unsent, uploads, conflicts, refresh,
                removals, download, quarantine, row[10])


@cache
def _finish_statement() -> ReturningUpdate[int]:
    """The run's last write: the sync time, the server's open-conflict count when an empty
    page brought it (NULL: keep the stored one), the first error; returns the count. Core on
    the table, built once (an ORM load and flush of the state row cost three times as
    much)."""
    table = cast(Table, SyncStateRecord.__table__)
    state = table.c
    return (update(table).where(state.id == STATE_ID)
            .values(last_sync_at=bindparam("now", type_=state.last_sync_at.type),
                    last_attempt_at=bindparam("now", type_=state.last_attempt_at.type),
                    open_conflicts=func.coalesce(bindparam("conflicts", type_=Integer),
                                                 state.open_conflicts),
                    last_error=bindparam("error", type_=String))
            .returning(state.open_conflicts))


# How often threads take turns with the interpreter while a long pull runs (CPython's
# default is 5 ms). A save from the window makes dozens of calls into SQLite, each releasing
# the interpreter lock; with the pull's Python work on the other thread, each took up to a
# whole turn to get it back: saves during a first pull waited ~50 ms (median) instead of ~15.
PULL_SWITCH_INTERVAL_S = 0.0005


@contextmanager
def _short_turns() -> Iterator[None]:
    before = sys.getswitchinterval()
    sys.setswitchinterval(min(before, PULL_SWITCH_INTERVAL_S))
    try:
        yield
    finally:
        sys.setswitchinterval(before)


class SyncEngine:
    """One server, one case file. Not thread-safe: run one sync at a time."""

    def __init__(self, casefile: CaseFile, transport: Transport, *, actor_id: str,
                 page_size: int = PAGE_SIZE, push_batch: int = PUSH_BATCH,
                 retries: int = 2) -> None:
        self.casefile = casefile
        self.transport = transport
        self.actor_id = actor_id
        self.page_size = page_size
        self._between_batches: Callable[[], None] = _nothing  # see `pull`
        self.push_batch = push_batch
        self.retries = retries
        self.tables = tables_for(casefile.engine.dialect)
        self.classes = self.tables.classes
        self._new_conflicts: set[str] = set()
        self._dirty_tombstones = False
        self.quarantine_possible = True  # until a look at the quarantine says otherwise
        self.batch_size = APPLY_BATCH
        # Set when an earlier step of this run gave a later one something to do:
        self._uploads_queued = False
        self._refresh_possible = False
        self._removals_told = False
        self._attachments_arrived = False
        # Within `run`: its look, and the open-conflict count of an empty pulled page, kept
        # for the run's last write instead of a transaction of its own.
        self._run_look: Look | None = None
        self._page_conflicts: int | None = None

    # ------------------------------------------------------------------ the whole run

    def run(self, report: SyncReport, given: Look | None = None) -> None:
        """Push, pull, conflicts, refreshes, removals. Raises `SyncError`s (the service
        turns them into the report).

        One look at the case file first says which steps have anything to do (`given`: the
        caller's, read in its own first transaction with nothing written since); a sync
        with nothing to do is that look, one pull request and one small write of the sync
        time (none of them reads a table that grows with the case file)."""
        if given is None:
            with self.casefile.read() as session:
                given = look(session)
            if given is None:
                raise LookupError("not logged in")
        self._run_look, self._page_conflicts = given, None
        try:
            self._run(report, given)
        finally:
            self._run_look = self._page_conflicts = None

    def _run(self, report: SyncReport, look: Look) -> None:
        self.quarantine_possible = look.quarantine
        if look.unsent:
            self.push(report)
        if look.uploads or self._uploads_queued:
            self.upload_attachments(report)
        open_conflicts = self.pull(report, cursor=look.cursor)
        self.sync_reference(report)
        if open_conflicts or look.open_conflicts or self._new_conflicts:
            self.mirror_conflicts(open_conflicts)
        if look.refresh or self._refresh_possible:
            self.refresh_households(report)
        if look.removals or self._removals_told:
            self.process_removals(report)
        if look.download or self._attachments_arrived:
            self.download_attachments(report)
        if self._dirty_tombstones:
            self.sweep_tombstones()
        with self.casefile.read(durable=False) as session:  # the sync time: informative
            report.quarantined = quarantine_count(session) if self.quarantine_possible else 0
            if report.quarantined:
                report.fail("quarantine", quarantine_message(report.quarantined))
            stored = session.execute(_finish_statement(), {
                "now": utcnow(), "conflicts": self._page_conflicts,
                "error": report.error_codes[0][:64] if report.error_codes else None,
            }).scalar_one()
            report.open_conflicts = max(report.open_conflicts, stored)

    def _retry(self, call: Callable[[], T]) -> T:
        """Push and pull are idempotent: a dropped connection is retried at once."""
        attempt = 0
        while True:
            try:
                return call()
            except Offline:
                if attempt >= self.retries:
                    raise
                attempt += 1
                time.sleep(0.1 * attempt)

    # ------------------------------------------------------------------ push

    def _changeset(self, row: OutboxRecord) -> tuple[ChangeSet, list[list[str]]]:
        carried: list[EntityChange] = []
        held: list[list[str]] = []
        for change in row.changes:
            entity = str(change.get("entity"))
            if entity in LOCAL_ONLY:
                continue
            if entity not in PUSHABLE:
                held.append([entity, str(change.get("id"))])
                continue
            try:
                carried.append(EntityChange.model_validate(change))
            except ValidationError:
                held.append([entity, str(change.get("id"))])
        changeset = ChangeSet(
            id=row.id, device_seq=row.seq, created_at=row.created_at,
            actor_id=row.actor_id[:36], action=row.action[:64],
            household_id=row.household_id, changes=carried,
        )
        return changeset, held

    def push(self, report: SyncReport) -> None:
        rewinds = 0
        while True:
            with no_collection(), self.casefile.read() as session:
                rows = unsettled_rows(session, self.push_batch)
                if not rows:
                    return
                built = [self._changeset(r) for r in rows]
                now = utcnow()
                for row in rows:
                    if row.sent_at is None:
                        row.sent_at = now
            held = {cs.id: h for cs, h in built}
            request = PushRequest(device_id=self.casefile.device_id,
                                  changesets=[cs for cs, _ in built])
            try:
                response = self._retry(partial(self.transport.push, request))
            except SequenceError as exc:
                error = exc.error
                self._record_verdicts(error.results, held, report)
                first = rows[0].seq
                if error.code == "sequence_gap" and error.expected_seq <= first and rewinds < 3:
                    # The server lost some of our change-sets (restored backup): send again
                    # from the number it expects.
                    rewinds += 1
                    with self.casefile.read() as session:
                        require_state(session).pushed_seq = error.expected_seq - 1
                    continue
                raise
            self._record_verdicts(response.results, held, report)
            if not response.results:
                return

    def _record_verdicts(self, results: Sequence[ChangeSetResult],
                         held: dict[str, list[list[str]]], report: SyncReport) -> None:
        if not results:
            return
        # Like a pulled batch, without cyclic collection while the lock is held: a full
        # collection over a big process (a first push of hundreds of change-sets) held it
        # ~100 ms once per benchmark run (the work itself takes ~9 ms).
        with no_collection(), self.casefile.read() as session:
            now = utcnow()
            state = require_state(session)
            by_id = {r.id: r for r in session.scalars(
                select(OutboxRecord).where(OutboxRecord.id.in_([x.id for x in results])))}
            for result in results:
                verdict = session.get(SyncVerdictRecord, result.id)
                if verdict is None:
                    verdict = SyncVerdictRecord(changeset_id=result.id, seq=result.device_seq,
                                                received_at=now)
                    session.add(verdict)
                verdict.status = result.status
                verdict.reason = result.reason
                verdict.warnings = list(result.warnings)
                verdict.conflict_ids = list(result.conflict_ids)
                verdict.held = held.get(result.id, [])
                row = by_id.get(result.id)
                if row is not None:
                    row.sent_at = row.sent_at or now
                    if result.status in ("accepted", "conflict"):
                        row.accepted_at = row.accepted_at or now
                        self._queue_uploads(session, row, now)
                report.pushed += 1
                if result.status == "rejected":
                    report.rejected += 1
                else:
                    report.accepted += 1
                report.conflicts += len(result.conflict_ids)
                self._new_conflicts.update(result.conflict_ids)
                state.pushed_seq = max(state.pushed_seq, result.device_seq)
        self._dirty_tombstones = True

    # ------------------------------------------------------------------ attachments

    def _queue_uploads(self, session: Session, row: OutboxRecord, now: datetime) -> None:
        """The server holds the metadata of these new attachments: their bytes may go."""
        for change in row.changes:
            if change.get("entity") != "attachment" or change.get("op") != "insert":
                continue
            attachment_id = str(change.get("id"))
            if session.get(SyncUploadRecord, attachment_id) is not None:
                continue
            meta = session.get(AttachmentRecord, attachment_id)
            if meta is None or session.get(AttachmentBlobRecord, attachment_id) is None:
                continue
            self._uploads_queued = True
            session.add(SyncUploadRecord(
                attachment_id=attachment_id, household_id=meta.household_id, server_id=None,
                sha256=meta.sha256, size=meta.size, chunk_size=None, received_chunks=[],
                status="pending", created_at=now, last_error=None))

    def upload_attachments(self, report: SyncReport) -> None:
        """Send the bytes of every queued attachment in chunks; the server checks the
        SHA-256 at ``complete``. An interrupted upload resumes from the chunks the server
        has; a refused one stays queued (the bytes stay here) and is tried next sync."""
        with self.casefile.read() as session:
            waiting = list(session.scalars(
                select(SyncUploadRecord.attachment_id)
                .where(SyncUploadRecord.status != "complete")
                .order_by(SyncUploadRecord.created_at, SyncUploadRecord.attachment_id)))
        for attachment_id in waiting:
            try:
                sent = self._upload(attachment_id)
            except Refused as exc:
                log.info("sync: an attachment upload was refused (%s)", exc)
                self._note_upload(attachment_id, None, error=str(exc))
                report.fail("attachment_upload", UPLOAD_FAILED)
                continue
            except SyncError as exc:
                self._note_upload(attachment_id, None, error=exc.code)
                raise
            report.uploaded += int(sent)

    def _upload(self, attachment_id: str) -> bool:
        with self.casefile.read() as session:
            upload = session.get(SyncUploadRecord, attachment_id)
            meta = session.get(AttachmentRecord, attachment_id)
            blob = session.get(AttachmentBlobRecord, attachment_id)
            if upload is None:
                return False
            if meta is None or blob is None:  # deleted here since: nothing to send
                session.delete(upload)
                return False
            data = bytes(blob.data)
            request = AttachmentCreate(
                attachment_id=meta.id, household_id=meta.household_id,
                filename=meta.filename, content_type=meta.mime, size=meta.size,
                sha256=meta.sha256)
        if len(data) != request.size or hashlib.sha256(data).hexdigest() != request.sha256:
            raise Refused("local_checksum_mismatch")
        info = self._retry(partial(self.transport.create_attachment, request))
        if info.status != "complete":
            received = set(info.received_chunks)
            for index in range(info.chunk_count):
                if index in received:
                    continue
                chunk = data[index * info.chunk_size:(index + 1) * info.chunk_size]
                info = self._retry(partial(self.transport.put_chunk, info.id, index, chunk))
                self._note_upload(attachment_id, info)
            info = self._retry(partial(self.transport.complete_attachment, info.id))
        self._note_upload(attachment_id, info)
        return True

    def _note_upload(self, attachment_id: str, info: AttachmentInfo | None, *,
                     error: str | None = None) -> None:
        with self.casefile.read() as session:
            upload = session.get(SyncUploadRecord, attachment_id)
            if upload is None:
                return
            upload.last_error = error[:200] if error else None
            if info is not None:
                upload.server_id = info.id
                upload.chunk_size = info.chunk_size
                upload.received_chunks = list(info.received_chunks)
                upload.status = "complete" if info.status == "complete" else "uploading"

    def download_attachments(self, report: SyncReport) -> None:
        """Fetch the bytes of attachments whose metadata arrived without them. The SHA-256
        is checked in memory before the bytes go into the (encrypted) case file; a file the
        server does not have yet (404, 409) is simply tried again next sync."""
        with self.casefile.read() as session:
            if not require_state(session).download_pending:
                return  # no attachment record arrived since every one had its bytes
            missing = list(session.execute(
                select(AttachmentRecord.id, AttachmentRecord.sha256, AttachmentRecord.size)
                .outerjoin(AttachmentBlobRecord,
                           AttachmentBlobRecord.id == AttachmentRecord.id)
                .where(AttachmentBlobRecord.id.is_(None))))
        if not missing:
            with self.casefile.read() as session:
                # Unless an attachment arrived meanwhile (the flag is set again then).
                still = session.scalar(
                    select(AttachmentRecord.id)
                    .outerjoin(AttachmentBlobRecord,
                               AttachmentBlobRecord.id == AttachmentRecord.id)
                    .where(AttachmentBlobRecord.id.is_(None)).limit(1))
                if still is None:
                    require_state(session).download_pending = False
            return
        for attachment_id, sha256, size in missing:
            try:
                data = self._retry(partial(self.transport.attachment_content, attachment_id))
            except Refused as exc:
                if exc.status not in (404, 409):  # 404/409: not (completely) uploaded yet
                    log.info("sync: an attachment download was refused (%s)", exc)
                    report.fail("attachment_download", DOWNLOAD_FAILED)
                continue
            if len(data) != size or hashlib.sha256(data).hexdigest() != sha256:
                log.warning("sync: a downloaded attachment did not match its SHA-256")
                report.fail("attachment_checksum", DOWNLOAD_FAILED)
                continue
            with self.casefile.read() as session:
                meta = session.get(AttachmentRecord, attachment_id)
                if (meta is not None and meta.sha256 == sha256
                        and session.get(AttachmentBlobRecord, attachment_id) is None):
                    session.add(AttachmentBlobRecord(id=attachment_id, data=data))
                    report.downloaded += 1

    # ------------------------------------------------------------------ pull

    def pull(self, report: SyncReport, *, cursor: int | None = None) -> int:
        """Apply every page after the cursor; returns the server's open-conflict count.

        The next page is requested while the current one is applied (the feed is a pure
        function of device and cursor, and ``next_cursor`` is known as soon as a page
        arrives), so the server builds page n+1 while this laptop writes page n. The other
        thread only receives bytes: parsing and preparing happen here, between transactions
        (Python work on the other thread would compete for the interpreter lock with the
        transaction holding the case file's lock, and make it longer)."""
        if cursor is None:
            with self.casefile.read() as session:
                cursor = require_state(session).cursor
        page = self.transport.parse_pull(self._retry(partial(
            self.transport.pull_bytes, cursor, self.page_size)))
        if not page.has_more:  # the usual case: one page, nothing to overlap
            self._take_page(page, cursor, report)
            return page.open_conflicts
        # Many pages (a first pull, a long absence): the log is copied into the file between
        # batches, outside the lock, instead of inside a batch's commit. No cyclic garbage
        # collection until the last page is in (a full one over a first pull's objects held
        # the interpreter 100-200 ms: a save from the window waited that long; the pages'
        # objects are freed by reference counting meanwhile), and short turns between threads.
        with no_collection(), _short_turns(), \
                ThreadPoolExecutor(max_workers=1, thread_name_prefix="wijkteam-pull") as ahead, \
                self.casefile.deferred_checkpoints() as checkpoint:
            self._between_batches = checkpoint
            while True:
                following: Future[bytes] | None = None
                if page.has_more:
                    following = ahead.submit(self._retry, partial(
                        self.transport.pull_bytes, page.next_cursor, self.page_size))
                try:
                    self._take_page(page, cursor, report)
                except BaseException:
                    if following is not None:
                        following.cancel()
                    self._between_batches = _nothing
                    raise
                if following is None:
                    self._between_batches = _nothing
                    return page.open_conflicts
                cursor = page.next_cursor
                page = self.transport.parse_pull(following.result())

    def prepare(self, items: Sequence[FeedItem], *, snapshot: bool = False) -> list[Prepared]:
        """Checked, converted and bound, in the order they are applied (no case file)."""
        return [self.tables.prepare(item, snapshot=snapshot) for item in order(items)]

    def _take_page(self, page: PullResponse, cursor: int, report: SyncReport) -> None:
        if page.items or page.removed_households or page.next_cursor != cursor:
            report.pulled += self.apply(page.items, cursor=page.next_cursor,
                                        removed=page.removed_households,
                                        open_conflicts=page.open_conflicts, report=report)
        elif self._run_look is not None:
            # Within `run`: stored by its last write (a sync with nothing new then makes one
            # transaction less).
            self._page_conflicts = page.open_conflicts
        else:
            with self.casefile.read() as session:
                state = require_state(session)
                if state.open_conflicts != page.open_conflicts:
                    state.open_conflicts = page.open_conflicts

    # ------------------------------------------------------------------ reference data

    def sync_reference(self, report: SyncReport) -> None:
        """Fetch the municipality's reference data when the version the pull announced is
        not the cached one, and store it in one transaction with an audit entry. An
        unchanged bundle costs no request; a server without reference data announces none."""
        announced = self.transport.last_reference_version
        if announced is None:
            return
        if self._run_look is not None:  # read by the run's look (only this step changes it)
            cached = self._run_look.reference_version
        else:
            with self.casefile.read() as session:
                cached = cached_reference_version(session)
        if cached == announced:
            return
        try:
            bundle = self._retry(partial(self.transport.reference, cached))
        except (Refused, ServerUnavailable, ProtocolMismatch) as exc:
            # The rest of the sync goes on; the cached bundle stays in use.
            log.info("sync: the reference data could not be fetched (%s)", exc.code)
            report.fail("reference_data", REFERENCE_FAILED)
            return
        if bundle is None:
            return
        try:
            with self.casefile.read() as session:
                store_bundle(session, bundle, self.transport.base_url)
                self.casefile._append_audit(  # same transaction as the data
                    session, actor_id=self.actor_id, action="sync.referentiegegevens",
                    object_type="referentiegegevens", object_id=bundle.version[:36],
                    result="bijgewerkt", changeset_id=None, at=utcnow())
        except (BadReferenceData, IntegrityError) as exc:
            log.warning("sync: the reference data could not be stored (%s)",
                        type(exc).__name__)
            report.fail("reference_data", REFERENCE_FAILED)
            return
        report.reference_updated = True

    def apply(self, items: Sequence[FeedItem], *, snapshot: bool = False,
              cursor: int | None = None, removed: Sequence[str] = (),
              open_conflicts: int | None = None, report: SyncReport | None = None) -> int:
        """Apply feed items; returns how many were applied. Never fails on an item: one that
        cannot be applied is quarantined and the rest still applies.

        Every item is checked and prepared before the case file is touched (outside the
        lock, `apply.Tables.prepare`). The items are then applied in batches of
        `APPLY_BATCH`, each in ONE short transaction with bulk inserts (the lock is held for
        one batch, never for a whole page); the last batch also stores the cursor, the
        households that left the scope and one audit entry for the page. A batch that the
        case file refuses as a whole (a foreign key, checked at commit) is applied again item
        by item in savepoints, quarantining exactly the items that fail."""
        prepared = self.prepare(items, snapshot=snapshot)
        applied = 0
        start = 0
        while True:
            end = min(start + self.batch_size, len(prepared))
            final = end >= len(prepared)
            started = time.perf_counter()
            done = self._apply_batch(
                prepared[start:end], snapshot=snapshot,
                bookkeeping=partial(self._bookkeeping, applied_before=applied, cursor=cursor,
                                    removed=removed, open_conflicts=open_conflicts)
                if final else None)
            if end - start == self.batch_size:
                self._adapt(time.perf_counter() - started)
            applied += done.applied
            self._between_batches()
            if report is not None:
                report.changed_households.update(done.households)
            if done.retry:
                applied += self._retry_quarantined(done.retry, report)
            if final:
                return applied
            start = end

    def _adapt(self, took: float) -> None:
        """Size the next batch so that it holds the lock about `HOLD_TARGET` (a busy or slow
        laptop writes smaller batches, so a save from the window never waits long)."""
        wanted = self.batch_size * HOLD_TARGET / max(took, 1e-4)
        size = (self.batch_size + wanted) / 2  # smoothed: one slow commit is not a trend
        self.batch_size = int(min(MAX_APPLY_BATCH, max(MIN_APPLY_BATCH, size)))

    def attachments_arrived(self) -> None:
        """Attachment records came in: their bytes may have to be downloaded."""
        self._attachments_arrived = True

    def tombstones_waiting(self) -> None:
        """A pulled delete waits for a local change of the record to be settled."""
        self._dirty_tombstones = True

    def _apply_batch(self, items: Sequence[Prepared], *, snapshot: bool,
                     bookkeeping: Callable[[Session, int], None] | None) -> Batch:
        try:
            with no_collection(), self.casefile.read(durable=False) as session:
                # Checked at commit: a batch may insert a child before its parent.
                session.execute(text("PRAGMA defer_foreign_keys = ON"))
                batch = Batch(self, session, items, snapshot=snapshot)
                for prepared in items:
                    batch.take(prepared)
                batch.flush()
                batch.find_retries()
                if bookkeeping is not None:
                    bookkeeping(session, batch.applied)
            return batch
        except Exception as exc:
            if fatal(exc):
                raise
            log.warning("sync: a batch did not apply as a whole (%s); applying item by item",
                        type(exc).__name__)
        with self.casefile.read(durable=False) as session:
            batch = Batch(self, session, items, snapshot=snapshot)
            for prepared in items:
                batch.take_carefully(prepared)
            batch.find_retries()
            if bookkeeping is not None:
                bookkeeping(session, batch.applied)
        return batch

    def _retry_quarantined(self, households: set[str], report: SyncReport | None) -> int:
        """Records quarantined for a reason that can pass (a missing parent, an error) are
        tried again once their household received something new."""
        with self.casefile.read(durable=False) as session:
            rows = list(session.scalars(select(SyncQuarantineRecord).where(
                SyncQuarantineRecord.household_id.in_(sorted(households)),
                SyncQuarantineRecord.reason.in_([INTEGRITY, ERROR]))))
            items: list[FeedItem] = []
            for row in rows:
                try:
                    items.append(FeedItem.model_validate(row.item))
                except ValidationError:
                    continue
            prepared = self.prepare(items)
            batch = Batch(self, session, prepared, snapshot=False, retrying=True)
            for one in prepared:
                batch.take_carefully(one)
        if report is not None:
            report.changed_households.update(batch.households)
        return batch.applied

    def _bookkeeping(self, session: Session, applied: int, *, applied_before: int,
                     cursor: int | None, removed: Sequence[str],
                     open_conflicts: int | None) -> None:
        state = require_state(session)
        now = utcnow()
        if cursor is not None:
            state.cursor = cursor
        if open_conflicts is not None:
            state.open_conflicts = open_conflicts
        for household in removed:
            self._removals_told = True
            row = session.get(SyncRemovalRecord, household)
            if row is None:
                session.add(SyncRemovalRecord(household_id=household, told_at=now,
                                              told_cursor=cursor or 0, blocked_reason=None))
        total = applied_before + applied
        if total or removed:
            self.casefile._append_audit(  # one entry per page, in its last transaction
                session, actor_id=self.actor_id, action="sync.ontvangen",
                object_type="synchronisatie", object_id="",
                result=f"{total} toegepast"[:32], changeset_id=None, at=now)

    # ------------------------------------------------------------------ conflicts

    def mirror_conflicts(self, server_open: int) -> None:
        """Keep the local copy of my scope's conflicts in step with the server."""
        with self.casefile.read() as session:
            local_open = set(session.scalars(select(SyncConflictRecord.id).where(
                SyncConflictRecord.status == "open")))
        if not (server_open or local_open or self._new_conflicts):
            return
        listed = self._retry(partial(self.transport.conflicts, "open")).conflicts
        seen = {c.id for c in listed}
        extra: list[Conflict] = []
        gone: list[str] = []
        for conflict_id in sorted((local_open | self._new_conflicts) - seen):
            try:
                extra.append(self._retry(partial(self.transport.conflict, conflict_id)))
            except Refused as exc:
                if exc.status != 404:
                    raise
                gone.append(conflict_id)  # left my scope: the server no longer shows it
        self._refresh_possible = True
        with self.casefile.read() as session:
            for conflict in [*listed, *extra]:
                self._store_conflict(session, conflict,
                                     refresh=conflict.id in self._new_conflicts)
            for conflict_id in gone:
                row = session.get(SyncConflictRecord, conflict_id)
                if row is not None:
                    session.delete(row)
            state = require_state(session)
            state.open_conflicts = len(seen)
        self._page_conflicts = None  # the count just stored is the newer one
        self._new_conflicts.clear()

    def _store_conflict(self, session: Session, conflict: Conflict, *, refresh: bool) -> None:
        row = session.get(SyncConflictRecord, conflict.id)
        if row is None:
            row = SyncConflictRecord(id=conflict.id, needs_refresh=False)
            session.add(row)
        was_open = row.status == "open"

        def naive(moment: datetime | None) -> datetime | None:
            return moment.replace(tzinfo=None) if moment is not None else None

        row.entity = conflict.entity
        row.entity_id = conflict.entity_id
        row.household_id = conflict.household_id
        row.field = conflict.field
        row.kind = conflict.kind
        row.base = conflict.base
        row.mine = conflict.mine.value
        row.mine_actor_id = conflict.mine.actor_id
        row.mine_device_id = conflict.mine.device_id
        row.mine_at = naive(conflict.mine.at)
        row.theirs = conflict.theirs.value
        row.theirs_actor_id = conflict.theirs.actor_id
        row.theirs_device_id = conflict.theirs.device_id
        row.theirs_at = naive(conflict.theirs.at)
        row.status = conflict.status
        row.created_at = naive(conflict.created_at) or utcnow()
        row.resolved_by = conflict.resolved_by
        row.resolved_at = naive(conflict.resolved_at)
        row.resolution = conflict.resolution
        if refresh and conflict.mine.device_id == self.casefile.device_id:
            row.needs_refresh = True
        if was_open and conflict.status == "resolved" and conflict.kind == "delete":
            # Keeping a record this laptop deleted: the server writes nothing new, so fetch it.
            row.needs_refresh = True

    def refresh_households(self, report: SyncReport) -> None:
        """Fetch the server state of households whose local copy may still show "mine"."""
        with self.casefile.read() as session:
            wanted = sorted({h for h in session.scalars(
                select(SyncConflictRecord.household_id).where(
                    SyncConflictRecord.needs_refresh.is_(True))) if h})
            if not wanted:
                session.execute(update(SyncConflictRecord).where(
                    SyncConflictRecord.needs_refresh.is_(True)).values(needs_refresh=False))
                return
        for household in wanted:
            try:
                records = self._retry(partial(self.transport.household, household))
            except Refused as exc:
                if exc.status != 404:
                    raise
                records = None
            if records is not None:
                report.pulled += self.apply(records.items, snapshot=True, report=report)
            with self.casefile.read() as session:
                session.execute(update(SyncConflictRecord).where(
                    SyncConflictRecord.household_id == household).values(needs_refresh=False))

    # ------------------------------------------------------------------ removal

    def household_blockers(self, session: Session, household_id: str,
                           pending: PendingWork) -> str | None:
        """Why a household cannot be removed yet, or None."""
        if household_id in pending.households:
            return "pending"
        ids: set[tuple[str, str]] = {("household", household_id)}
        for name, cls in self.classes.items():
            column = getattr(cls, "household_id", None)
            if column is None or name == "household":
                continue
            ids.update((name, i) for i in session.scalars(
                select(cls.id).where(column == household_id)))
        pending_keys = set(pending.fields) | pending.deletes
        if ids & pending_keys:
            return "pending"
        if session.scalar(select(SyncUploadRecord.attachment_id).where(
                SyncUploadRecord.household_id == household_id,
                SyncUploadRecord.status != "complete").limit(1)) is not None:
            return "upload"  # its bytes are only on this laptop
        for verdict in session.scalars(select(SyncVerdictRecord).where(
                SyncVerdictRecord.status == "rejected")):
            row = session.scalar(select(OutboxRecord).where(
                OutboxRecord.id == verdict.changeset_id))
            if row is not None and (row.household_id == household_id or any(
                    (c["entity"], c["id"]) in ids for c in row.changes)):
                return "rejected"
        for verdict in session.scalars(select(SyncVerdictRecord).where(
                func.json_array_length(SyncVerdictRecord.held) > 0)):
            if any((entity, record_id) in ids for entity, record_id in verdict.held):
                return "held"
        return None

    def process_removals(self, report: SyncReport) -> None:
        with self.casefile.read() as session:
            waiting = removals(session)
            if not waiting:
                return
            pending = pending_work(session)
            session.execute(text("PRAGMA defer_foreign_keys = ON"))
            for removal in waiting:
                reason = self.household_blockers(session, removal.household_id, pending)
                if reason is not None:
                    removal.blocked_reason = reason
                    report.kept += 1
                    continue
                self._remove_household(session, removal.household_id)
                session.execute(delete(SyncRemovalRecord).where(
                    SyncRemovalRecord.household_id == removal.household_id))
                report.removed += 1
                self.casefile._append_audit(  # same transaction
                    session, actor_id=self.actor_id, action="sync.huishouden_verwijderd",
                    object_type="huishouden", object_id=removal.household_id,
                    result="niet meer in caseload", changeset_id=None, at=utcnow())

    def _remove_household(self, session: Session, household_id: str) -> None:
        attachment_ids = select(AttachmentRecord.id).where(
            AttachmentRecord.household_id == household_id)
        session.execute(delete(AttachmentBlobRecord).where(
            AttachmentBlobRecord.id.in_(attachment_ids)))
        session.execute(delete(SyncUploadRecord).where(
            SyncUploadRecord.household_id == household_id))
        ordered = sorted(self.classes.items(), key=lambda kv: -ENTITY_ORDER.get(kv[0], 50))
        for name, cls in ordered:
            column = getattr(cls, "household_id", None)
            if column is None or name == "household":
                continue
            session.execute(delete(cls).where(column == household_id))
        session.execute(delete(HouseholdRecord).where(HouseholdRecord.id == household_id))
        session.execute(delete(SyncRecordVersion).where(
            SyncRecordVersion.household_id == household_id))

    def sweep_tombstones(self) -> None:
        """Delete local copies of records the server deleted, once no local change of them
        is waiting any more (children first; a record still referenced stays)."""
        with self.casefile.read() as session:
            tombstones = list(session.scalars(select(SyncRecordVersion).where(
                SyncRecordVersion.deleted.is_(True))))
            if not tombstones:
                return
            pending = pending_work(session)
            tombstones.sort(key=lambda t: -ENTITY_ORDER.get(t.entity, 50))
            for tombstone in tombstones:
                key = (tombstone.entity, tombstone.entity_id)
                cls = self.classes.get(tombstone.entity)
                if cls is None or pending.record_pending(key):
                    continue
                record = session.get(cls, tombstone.entity_id)
                if record is None:
                    continue
                try:
                    with session.begin_nested():
                        session.delete(record)
                        session.flush()
                except IntegrityError:
                    log.info("sync: a deleted %s record is still referenced locally",
                             tombstone.entity)
        self._dirty_tombstones = False

    # ------------------------------------------------------------------ full resync

    def full_resync(self, report: SyncReport) -> None:
        """Push, then pull the whole feed again from the start. Local changes without a
        verdict are protected exactly as in a normal pull; nothing local is deleted."""
        self.push(report)
        with self.casefile.read() as session:
            require_state(session).cursor = 0
        self.run(report)


def is_logged_in(casefile: CaseFile) -> bool:
    with casefile.read() as session:
        state = load_state(session)
        return state is not None and state.logged_in


__all__ = ["LOCAL_ONLY", "PUSHABLE", "SyncEngine", "SyncError", "entity_classes",
           "is_logged_in"]
