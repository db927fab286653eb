"""The laptop half of the sync protocol: push the outbox, pull and apply the feed.

One `SyncEngine.run` is *push, then pull* (docs/sync-protocol.md, "Laptop side"):

1. **Push** the outbox oldest first, in batches, each change-set exactly as `CaseFile.save`
   wrote it (minus the entities protocol 1 cannot carry, which stay on the laptop and are
   listed as ``held``). Verdicts are stored; accepted (and conflict) rows get ``accepted_at``.
   A push whose answer was lost is simply sent again: the server answers ``duplicate``.
2. **Pull** the feed from the cursor, page by page. Each page is applied in ONE transaction
   of the case file that bypasses the change tracker (`CaseFile.read`), so nothing pulled
   goes back into the outbox, and that transaction also writes one audit entry and the new
   cursor. Apply rule: per record the last SERVER version is kept (``sync_record_versions``);
   an item is applied only when newer (``>=`` for snapshots), and a field with a local change
   still waiting for its verdict is never overwritten (the push decides it).
3. **Conflicts** of my scope are mirrored; a household whose local copy still shows "mine"
   after the server kept "theirs" is fetched again.
4. **Households that left my scope** are removed only when no local change of them is
   waiting, rejected or held; **tombstones** are applied once no local change is pending.

Locking: the case file's lock is held only inside those short transactions (one page, one
verdict batch); every network call happens outside it, so the UI never waits for the
network. No Qt here.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from functools import partial
from typing import Any, TypeVar, get_args

from pydantic import ValidationError
from sqlalchemy import Boolean, Date, DateTime, delete, func, inspect, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wijkteam_app.persistence.casefile import CaseFile, utcnow
from wijkteam_app.persistence.schema import (
    AttachmentBlobRecord,
    AttachmentRecord,
    Base,
    Entity,
    HouseholdRecord,
    OutboxRecord,
)
from wijkteam_app.persistence.sync_schema import (
    SyncConflictRecord,
    SyncRecordVersion,
    SyncRemovalRecord,
    SyncUploadRecord,
    SyncVerdictRecord,
)
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
    PushRequest,
)
from wijkteam_app.sync.state import (
    PendingWork,
    SyncReport,
    load_state,
    pending_work,
    removals,
    require_state,
    unsettled_rows,
)
from wijkteam_app.sync.transport import Offline, Refused, SequenceError, SyncError, Transport

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

# Parents before children (the server's order), so inserts can follow it.
ENTITY_ORDER: dict[str, int] = {
    name: i for i, name in enumerate(
        ["team", "worker", "household", "person", "network_member", "professional", "case",
         "contact_moment", "consent", "assessment", "plan_version", "attachment",
         "plan_review", "plan_toets", "plan_signature", "plan_evaluation", "regie_event"])
}

PAGE_SIZE = 500
PUSH_BATCH = 100
CHUNK = 500  # ids per IN (...) query

UPLOAD_FAILED = ("Een bijlage (ondertekende scan of PDF) kon niet naar de server. De app "
                 "probeert het bij de volgende synchronisatie opnieuw; er gaat niets verloren.")
DOWNLOAD_FAILED = ("Een bijlage van de server klopte niet (controlegetal) en is niet "
                   "opgeslagen. De app probeert het bij de volgende synchronisatie opnieuw.")


def entity_classes() -> dict[str, type[Entity]]:
    """``__entity__`` name -> ORM class, for every tracked table of the case file."""
    out: dict[str, type[Entity]] = {}
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        if issubclass(cls, Entity) and cls.__entity__:
            out[cls.__entity__] = cls
    return out


def _convert_date(value: Any) -> Any:
    return date.fromisoformat(value[:10]) if isinstance(value, str) else value


def _convert_datetime(value: Any) -> Any:
    if isinstance(value, str):
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        return moment
    return value


def _identity(value: Any) -> Any:
    return value


def column_converters(cls: type[Entity]) -> dict[str, Callable[[Any], Any]]:
    """Field name -> JSON value to Python value, for the synced columns of a table."""
    out: dict[str, Callable[[Any], Any]] = {}
    for attr in inspect(cls).column_attrs:
        if attr.key in ("id", "version"):
            continue
        column_type = attr.columns[0].type
        if isinstance(column_type, DateTime):
            out[attr.key] = _convert_datetime
        elif isinstance(column_type, Date):
            out[attr.key] = _convert_date
        elif isinstance(column_type, Boolean):
            out[attr.key] = lambda v: bool(v) if v is not None else v
        else:
            out[attr.key] = _identity
    return out


def _chunks(values: Sequence[T], size: int = CHUNK) -> Iterable[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


class SyncEngine:
    """One server, one case file. Not thread-safe: run one sync at a time."""

    def __init__(self, casefile: CaseFile, transport: Transport, *, actor_id: str,
                 page_size: int = PAGE_SIZE, push_batch: int = PUSH_BATCH,
                 retries: int = 2) -> None:
        self.casefile = casefile
        self.transport = transport
        self.actor_id = actor_id
        self.page_size = page_size
        self.push_batch = push_batch
        self.retries = retries
        self.classes = entity_classes()
        self._converters = {name: column_converters(cls) for name, cls in self.classes.items()}
        self._new_conflicts: set[str] = set()
        self._dirty_tombstones = False
        self.changed_households: set[str] = set()  # of the items applied (SyncReport)

    # ------------------------------------------------------------------ the whole run

    def run(self, report: SyncReport) -> None:
        """Push, pull, conflicts, refreshes, removals. Raises `SyncError`s (the service
        turns them into the report)."""
        self.push(report)
        self.upload_attachments(report)
        open_conflicts = self.pull(report)
        self.mirror_conflicts(open_conflicts)
        self.refresh_households(report)
        self.process_removals(report)
        self.download_attachments(report)
        if self._dirty_tombstones:
            self.sweep_tombstones()
        with self.casefile.read() as session:
            state = require_state(session)
            state.last_sync_at = utcnow()
            state.last_error = None
            report.open_conflicts = state.open_conflicts

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
            with self.casefile.read() as session:
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
        with self.casefile.read() as session:
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

    @staticmethod
    def _queue_uploads(session: Session, row: OutboxRecord, now: datetime) -> None:
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
            missing = list(session.execute(
                select(AttachmentRecord.id, AttachmentRecord.sha256, AttachmentRecord.size)
                .outerjoin(AttachmentBlobRecord,
                           AttachmentBlobRecord.id == AttachmentRecord.id)
                .where(AttachmentBlobRecord.id.is_(None))))
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

    def pull(self, report: SyncReport) -> int:
        """Apply every page after the cursor; returns the server's open-conflict count."""
        open_conflicts = 0
        while True:
            with self.casefile.read() as session:
                cursor = require_state(session).cursor
            page = self._retry(partial(self.transport.pull, cursor, self.page_size))
            open_conflicts = page.open_conflicts
            if page.items or page.removed_households or page.next_cursor != cursor:
                report.pulled += self.apply(page.items, cursor=page.next_cursor,
                                            removed=page.removed_households,
                                            open_conflicts=page.open_conflicts)
            else:
                with self.casefile.read() as session:
                    state = require_state(session)
                    if state.open_conflicts != page.open_conflicts:
                        state.open_conflicts = page.open_conflicts
            if not page.has_more:
                return open_conflicts

    def apply(self, items: Sequence[FeedItem], *, snapshot: bool = False,
              cursor: int | None = None, removed: Sequence[str] = (),
              open_conflicts: int | None = None) -> int:
        """Apply feed items in one transaction (fast path); if the page as a whole breaks a
        foreign key, apply it again item by item, skipping only the items that cannot be
        applied (they are logged, never guessed)."""
        try:
            with self.casefile.read() as session:
                # Checked at commit: a page may insert a child before its parent.
                session.execute(text("PRAGMA defer_foreign_keys = ON"))
                applied = self._apply_page(session, items, snapshot=snapshot, careful=False)
                self._bookkeeping(session, applied, cursor, removed, open_conflicts)
        except IntegrityError:
            log.warning("sync: page did not apply as a whole; applying item by item")
            with self.casefile.read() as session:
                applied = self._apply_page(session, items, snapshot=snapshot, careful=True)
                self._bookkeeping(session, applied, cursor, removed, open_conflicts)
        return applied

    def _bookkeeping(self, session: Session, applied: int, cursor: int | None,
                     removed: Sequence[str], open_conflicts: int | None) -> None:
        state = require_state(session)
        now = utcnow()
        if cursor is not None:
            state.cursor = cursor
        if open_conflicts is not None:
            state.open_conflicts = open_conflicts
        for household in removed:
            row = session.get(SyncRemovalRecord, household)
            if row is None:
                session.add(SyncRemovalRecord(household_id=household, told_at=now,
                                              told_cursor=cursor or 0, blocked_reason=None))
        if applied or removed:
            self.casefile._append_audit(  # same transaction as the records
                session, actor_id=self.actor_id, action="sync.ontvangen",
                object_type="synchronisatie", object_id="",
                result=f"{applied} toegepast"[:32], changeset_id=None, at=now)

    def _order(self, items: Sequence[FeedItem]) -> list[FeedItem]:
        """Parents first for inserts and updates, children first for deletes. Items of one
        record keep their order (the sort is stable); the version rule makes the rest safe."""
        def key(item: FeedItem) -> tuple[int, int]:
            rank = ENTITY_ORDER.get(item.entity, 50)
            return (1, -rank) if item.op == "delete" else (0, rank)
        return sorted(items, key=key)

    def _apply_page(self, session: Session, items: Sequence[FeedItem], *, snapshot: bool,
                    careful: bool) -> int:
        if not items:
            return 0
        pending = pending_work(session)
        ordered = self._order(items)
        versions: dict[tuple[str, str], SyncRecordVersion] = {}
        records: dict[tuple[str, str], Entity] = {}
        ids = sorted({i.id for i in ordered})
        for chunk in _chunks(ids):
            for version in session.scalars(select(SyncRecordVersion).where(
                    SyncRecordVersion.entity_id.in_(chunk))):
                versions[(version.entity, version.entity_id)] = version
        by_entity: dict[str, set[str]] = {}
        for item in ordered:
            by_entity.setdefault(item.entity, set()).add(item.id)
        for entity, entity_ids in by_entity.items():
            cls = self.classes.get(entity)
            if cls is None:
                continue
            for chunk in _chunks(sorted(entity_ids)):
                for record in session.scalars(select(cls).where(cls.id.in_(chunk))):
                    records[(entity, record.id)] = record
        leaving = set(session.scalars(select(SyncRemovalRecord.household_id)))
        applied = 0
        for item in ordered:
            if careful:
                try:
                    with session.begin_nested():
                        done = self._apply_item(session, item, snapshot, pending, versions,
                                                records, leaving)
                        session.flush()
                except IntegrityError:
                    log.warning("sync: a %s record could not be applied", item.entity)
                    versions.pop((item.entity, item.id), None)
                    records.pop((item.entity, item.id), None)
                    continue
            else:
                done = self._apply_item(session, item, snapshot, pending, versions, records,
                                        leaving)
            applied += int(done)
        session.flush()
        return applied

    def _apply_item(self, session: Session, item: FeedItem, snapshot: bool,
                    pending: PendingWork, versions: dict[tuple[str, str], SyncRecordVersion],
                    records: dict[tuple[str, str], Entity], leaving: set[str]) -> bool:
        cls = self.classes.get(item.entity)
        if cls is None:
            return False
        key = (item.entity, item.id)
        known = versions.get(key)
        known_version = known.server_version if known is not None else 0
        record = records.get(key)
        record_pending = pending.record_pending(key)
        if item.op == "delete":
            if known is not None and item.version <= known_version:
                return False
            self._remember(session, versions, item, deleted=True)
            self.changed_households.add(item.household_id or item.id)
            if record is not None:
                if record_pending:
                    self._dirty_tombstones = True  # goes once the local change is settled
                else:
                    session.delete(record)
                    records.pop(key, None)
            return True
        full = snapshot or item.op in ("snapshot", "insert")
        newer = item.version >= known_version if (snapshot or item.op == "snapshot") \
            else item.version > known_version
        if known is not None and not newer:
            return False
        if item.entity == "household" and item.op == "snapshot" and item.id in leaving:
            session.execute(delete(SyncRemovalRecord).where(
                SyncRemovalRecord.household_id == item.id))
            leaving.discard(item.id)
        converters = self._converters[item.entity]
        blocked = pending.fields.get(key, set())
        values = {name: converters[name](value) for name, value in item.fields.items()
                  if name in converters and name not in blocked}
        if record is None:
            if not full or key in pending.deletes:
                # An update for a record this laptop does not have (or deleted locally and
                # has not pushed yet): nothing to apply it to; a snapshot repairs it later.
                return False
            record = cls(id=item.id, version=item.version, **values)
            session.add(record)
            records[key] = record
        else:
            for name, value in values.items():
                if getattr(record, name) != value:
                    setattr(record, name, value)
            if not record_pending:
                record.version = item.version
        self._remember(session, versions, item, deleted=False)
        self.changed_households.add(item.household_id or item.id)
        return True

    @staticmethod
    def _remember(session: Session, versions: dict[tuple[str, str], SyncRecordVersion],
                  item: FeedItem, *, deleted: bool) -> None:
        key = (item.entity, item.id)
        row = versions.get(key)
        if row is None:
            row = SyncRecordVersion(entity=item.entity, entity_id=item.id,
                                    household_id=item.household_id,
                                    server_version=item.version, deleted=deleted)
            session.add(row)
            versions[key] = row
        else:
            row.server_version = max(row.server_version, item.version)
            row.deleted = deleted
            row.household_id = item.household_id or row.household_id

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
                report.pulled += self.apply(records.items, snapshot=True)
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
