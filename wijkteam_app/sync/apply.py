"""Applying pulled feed items to the case file: fast, total, and in short transactions.

The engine (`sync.engine`) fetches pages; this module writes them. For every item:

1. **Prepared outside the lock** (`Tables.prepare`): checked against the shared schema and the
   codec (`sync.checks`), its values converted to Python, and - for a record this laptop
   probably does not have yet - the complete row for a bulk insert, already bound to the
   column types (dates as text, JSON serialised). Nothing here touches the case file.
2. **Decided and written in one short transaction per batch** (`Batch`): the version rule,
   local changes still waiting for their verdict, the quarantine; new records go in with one
   ``executemany`` per table (no ORM objects), server versions likewise; only records the
   laptop already has are updated through the ORM.

A batch the case file refuses as a whole (a foreign key, checked at commit) is applied again
item by item in savepoints (`Batch.take_carefully`); an item that still fails is quarantined
(`SyncQuarantineRecord`). Nothing pulled ever enters the outbox: the engine runs these
transactions through `CaseFile.read`, which bypasses the change tracker.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Dialect,
    Executable,
    Select,
    Table,
    bindparam,
    delete,
    insert,
    inspect,
    literal,
    select,
    tuple_,
    union_all,
    update,
)
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from wijkteam_app.persistence.casefile import utcnow
from wijkteam_app.persistence.schema import Base, Entity
from wijkteam_app.persistence.sync_schema import (
    SyncQuarantineRecord,
    SyncRecordVersion,
    SyncRemovalRecord,
    SyncStateRecord,
)
from wijkteam_app.sync.checks import ERROR, INTEGRITY, UNSUPPORTED, Problem, check_item, defaults
from wijkteam_app.sync.entities import RECORDS
from wijkteam_app.sync.protocol import FeedItem
from wijkteam_app.sync.state import PendingWork, pending_work

if TYPE_CHECKING:
    from wijkteam_app.sync.engine import SyncEngine

log = logging.getLogger(__name__)

T = TypeVar("T")
V = TypeVar("V")
Key = tuple[str, str]

# Parents before children (the server's order), so inserts can follow it.
ENTITY_ORDER: dict[str, int] = {
    name: i for i, name in enumerate(
        ["team", "worker", "household", "person", "network_member", "professional", "case",
         "contact_moment", "consent", "assessment", "plan_version", "attachment",
         "plan_review", "plan_toets", "plan_signature", "plan_evaluation", "regie_event",
         "kitchen_table_report", "case_conference", "stuck_flag", "stuck_decision",
         "client_experience", "privacy_request"])
}
CHUNK = 500  # ids per IN (...) query
VERSION_COLUMNS = ("entity", "entity_id", "household_id", "server_version", "deleted")


# --------------------------------------------------------------------------- conversions


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


def _convert_bool(value: Any) -> Any:
    return bool(value) if value is not None else value


def column_converters(cls: type[Entity]) -> dict[str, Callable[[Any], Any] | None]:
    """Field name -> JSON value to Python value (None: as it is), for the synced columns."""
    out: dict[str, Callable[[Any], Any] | None] = {}
    for attr in inspect(cls).column_attrs:
        if attr.key in ("id", "version"):
            continue
        column_type = attr.columns[0].type
        if isinstance(column_type, DateTime):
            out[attr.key] = _convert_datetime
        elif isinstance(column_type, Date):
            out[attr.key] = _convert_date
        elif isinstance(column_type, Boolean):
            out[attr.key] = _convert_bool
        else:
            out[attr.key] = None
    return out


def _chunks(values: Sequence[T], size: int = CHUNK) -> Iterable[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _table(cls: type[Base]) -> Table:
    """The Core table of an ORM class."""
    table = cls.__table__
    assert isinstance(table, Table)
    return table


class Writer:
    """A bulk INSERT of one table through the driver: SQLAlchemy's own INSERT, compiled once,
    sent with ``executemany`` and rows bound by each column type's own processor (exactly
    what SQLAlchemy would store), without its per-row parameter handling."""

    def __init__(self, table: Table, columns: Sequence[str], dialect: Dialect) -> None:
        compiled = insert(table).values(
            {name: bindparam(name) for name in columns}).compile(dialect=dialect)
        self.sql = str(compiled)
        self.columns = tuple(compiled.positiontup or columns)
        processors = (table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
                      for name in self.columns)
        self._processors = [(i, p) for i, p in enumerate(processors) if p is not None]
        self._get = itemgetter(*self.columns)

    def bind(self, row: dict[str, Any]) -> tuple[Any, ...]:
        values = self._get(row)
        if not self._processors:
            return tuple(values)
        out = list(values)
        for index, process in self._processors:
            out[index] = process(out[index])
        return tuple(out)


class Tables:
    """What the apply needs to know about the case file's tables, built once per engine."""

    def __init__(self, dialect: Dialect) -> None:
        self.classes = entity_classes()
        self.converters = {name: column_converters(cls) for name, cls in self.classes.items()}
        self.blanks: dict[str, dict[str, Any]] = {}
        self.writers: dict[str, Writer] = {}
        for name, cls in self.classes.items():
            schema_defaults = defaults(name) if name in RECORDS else {}
            blank: dict[str, Any] = {}
            for column, convert in self.converters[name].items():
                value = schema_defaults.get(column)
                blank[column] = convert(value) if convert is not None and value is not None \
                    else value
            self.blanks[name] = blank
            self.writers[name] = Writer(_table(cls), ["id", "version", *blank], dialect)
        self.versions = Writer(_table(SyncRecordVersion), VERSION_COLUMNS, dialect)
        assert self.versions.columns == VERSION_COLUMNS
        # The queries of every batch, built once (the ids are bound when they run, so
        # SQLAlchemy compiles each only once).
        versions = _table(SyncRecordVersion)
        self.read_versions = select(  # by primary key (entity, entity_id)
            versions.c.entity, versions.c.entity_id, versions.c.server_version,
            versions.c.deleted, versions.c.household_id,
        ).where(tuple_(versions.c.entity, versions.c.entity_id).in_(
            bindparam("keys", expanding=True)))
        self.read_quarantine = select(SyncQuarantineRecord).where(
            SyncQuarantineRecord.entity_id.in_(bindparam("ids", expanding=True)))
        self.read_leaving = select(SyncRemovalRecord.household_id).where(
            SyncRemovalRecord.household_id.in_(bindparam("ids", expanding=True)))
        self._existing: dict[tuple[str, ...], Executable] = {}
        self._records: dict[str, Select[Any]] = {}

    def read_existing(self, entities: tuple[str, ...]) -> Executable:
        """Which of the given ids (parameter ``ids_<entity>``) exist, over these tables."""
        query = self._existing.get(entities)
        if query is None:
            parts = [select(literal(e), self.classes[e].id).where(
                self.classes[e].id.in_(bindparam(f"ids_{e}", expanding=True)))
                for e in entities]
            query = parts[0] if len(parts) == 1 else union_all(*parts)
            self._existing[entities] = query
        return query

    def read_records(self, entity: str) -> Select[Any]:
        query = self._records.get(entity)
        if query is None:
            cls = self.classes[entity]
            query = self._records[entity] = select(cls).where(
                cls.id.in_(bindparam("ids", expanding=True)))
        return query

    def values(self, item: FeedItem) -> dict[str, Any]:
        converters = self.converters[item.entity]
        out: dict[str, Any] = {}
        for name, value in item.fields.items():
            if name in converters:
                convert = converters[name]
                out[name] = convert(value) if convert is not None else value
        return out

    def row(self, item: FeedItem, values: dict[str, Any]) -> dict[str, Any]:
        row = dict(self.blanks[item.entity])
        row.update(values)
        row["id"] = item.id
        row["version"] = item.version
        return row

    def prepare(self, item: FeedItem, *, snapshot: bool) -> Prepared:
        """Everything about one item that does not depend on the case file (no lock)."""
        full = snapshot or item.op in ("insert", "snapshot")
        if item.op == "delete":
            return Prepared(item, None, {}, None, None)
        problem = check_item(item.entity, item.fields, complete=full)
        if problem is not None or item.entity not in self.classes:
            return Prepared(item, problem, {}, None, None)
        values = self.values(item)
        if not full:
            return Prepared(item, None, values, None, None)
        row = self.row(item, values)
        return Prepared(item, None, values, row, self.writers[item.entity].bind(row))


@cache
def tables_for(dialect: Dialect) -> Tables:
    """One `Tables` per open case file (its engine's dialect), shared by every sync."""
    return Tables(dialect)


@dataclass(slots=True)
class Prepared:
    """A feed item with its check result, converted values and (for a complete record) its
    row for a bulk insert, as Python values and bound for the driver."""

    item: FeedItem
    problem: Problem | None
    values: dict[str, Any]
    row: dict[str, Any] | None
    bound: tuple[Any, ...] | None


def fatal(exc: BaseException) -> bool:
    """A failure of the case file itself (disk, lock, corruption), not of one record: the
    sync stops with an error instead of quarantining everything."""
    return isinstance(exc, DBAPIError) and not isinstance(exc, IntegrityError)


def merge(held: FeedItem, item: FeedItem) -> FeedItem | None:
    """A new delivery of a quarantined record, on top of what is held: a complete record or a
    delete replaces it; an update is laid over the held fields (so fixing the one bad field
    on the server releases the record). None: older than what is held."""
    if item.op in ("insert", "snapshot", "delete"):
        newer = item.version >= held.version if item.op == "snapshot" \
            else item.version > held.version
        return item if newer else None
    if item.version <= held.version:
        return None
    return item.model_copy(update={
        "op": held.op, "fields": {**held.fields, **item.fields},
        "household_id": item.household_id or held.household_id})


def order(items: Sequence[FeedItem]) -> list[FeedItem]:
    """Parents first for inserts and updates, children first for deletes. Items of one
    record keep their order (the sort is stable); the version rule makes the rest safe."""
    def key(item: FeedItem) -> tuple[int, int]:
        rank = ENTITY_ORDER.get(item.entity, 50)
        return (1, -rank) if item.op == "delete" else (0, rank)
    return sorted(items, key=key)


def _restore(mapping: dict[Key, V], key: Key, saved: V | None) -> None:
    if saved is None:
        mapping.pop(key, None)
    else:
        mapping[key] = saved


# --------------------------------------------------------------------------- a batch


class Batch:
    """One transaction's worth of feed items.

    `take` decides per item (version rule, local changes, quarantine) and collects rows;
    `flush` writes them: one driver ``executemany`` per table for new records and for their
    server versions, the ORM only for records this laptop already has. `take_carefully`
    applies one item at a time in a savepoint and quarantines it when the case file refuses
    it. What the batch needs to know is read up front in a few ``IN (...)`` queries."""

    def __init__(self, engine: SyncEngine, session: Session, items: Sequence[Prepared], *,
                 snapshot: bool, retrying: bool = False) -> None:
        self.engine = engine
        self.tables: Tables = engine.tables
        self.session = session
        self.snapshot = snapshot
        self.retrying = retrying
        self.pending: PendingWork = pending_work(session)
        self.applied = 0
        self.households: set[str] = set()
        self.retry: set[str] = set()
        self.now = utcnow()
        self._item_households: set[str] = set()
        self._quarantined_now: set[Key] = set()
        # entity -> id -> the prepared item of a new record, or its row once changed again
        self._inserts: dict[str, dict[str, Prepared | dict[str, Any]]] = defaultdict(dict)
        self._inserted: set[Key] = set()  # written by an earlier flush of this transaction
        self._new_versions: dict[Key, list[Any]] = {}
        self._changed_versions: dict[Key, dict[str, Any]] = {}
        self._attachments = False
        # (server version, deleted, household) per record, as stored
        self.versions: dict[Key, tuple[int, bool, str | None]] = {}
        self.records: dict[Key, Entity] = {}
        self.quarantine: dict[Key, SyncQuarantineRecord] = {}
        self._read(items)

    def _read(self, items: Sequence[Prepared]) -> None:
        session = self.session
        tables = self.tables
        ids = sorted({p.item.id for p in items})
        keys = sorted({(p.item.entity, p.item.id) for p in items})
        for key_chunk in _chunks(keys):
            for entity, entity_id, version, deleted, household in session.execute(
                    tables.read_versions, {"keys": list(key_chunk)}):
                self.versions[(entity, entity_id)] = (version, bool(deleted), household)
        for chunk in _chunks(ids):
            if self.engine.quarantine_possible:
                for row in session.scalars(tables.read_quarantine, {"ids": list(chunk)}):
                    self.quarantine[(row.entity, row.entity_id)] = row
        by_entity: dict[str, list[str]] = defaultdict(list)
        seen: set[Key] = set()
        for prepared in items:
            key = (prepared.item.entity, prepared.item.id)
            if key not in seen and prepared.item.entity in self.tables.classes:
                seen.add(key)
                by_entity[prepared.item.entity].append(prepared.item.id)
        # Which of these records does the case file have? One query over all their tables.
        present: dict[str, list[str]] = defaultdict(list)
        if by_entity:
            entities = tuple(sorted(by_entity))
            for entity, entity_id in session.execute(
                    tables.read_existing(entities),
                    {f"ids_{e}": by_entity[e] for e in entities}):
                present[entity].append(entity_id)
        for entity, entity_ids in present.items():
            for chunk in _chunks(entity_ids):
                for record in session.scalars(tables.read_records(entity),
                                              {"ids": list(chunk)}):
                    self.records[(entity, record.id)] = record
        snapshots = [p.item.id for p in items
                     if p.item.entity == "household" and p.item.op == "snapshot"]
        self.leaving = set(session.scalars(tables.read_leaving, {"ids": snapshots})) \
            if snapshots else set()

    # ------------------------------------------------------------------ deciding

    def take(self, prepared: Prepared) -> None:
        item, problem = prepared.item, prepared.problem
        key = (item.entity, item.id)
        held = self.quarantine.get(key)
        if held is not None and not self.retrying:
            merged = merge(FeedItem.model_validate(held.item), item)
            if merged is None:
                return  # older than the quarantined delivery: nothing new
            if merged is not item:
                prepared = self.tables.prepare(merged, snapshot=self.snapshot)
                item, problem = prepared.item, prepared.problem
        if item.entity not in self.tables.classes:
            problem = Problem(UNSUPPORTED, f"{item.entity}: no table in this case file")
        if problem is not None and item.op != "delete":
            self.set_aside(item, problem)
            return
        if held is not None:
            self.session.delete(held)
            del self.quarantine[key]
        if self._apply(prepared, key):
            self.applied += 1
            self.households.update(self._item_households)
        self._item_households.clear()

    def take_carefully(self, prepared: Prepared) -> None:
        """`take` in a savepoint, written at once; the item is quarantined if it fails."""
        item = prepared.item
        key = (item.entity, item.id)
        saved_version = self.versions.get(key)
        saved_record = self.records.get(key)
        saved_held = self.quarantine.get(key)
        applied, households = self.applied, set(self.households)
        try:
            with self.session.begin_nested():
                self.take(prepared)
                self.flush()
        except Exception as exc:
            if fatal(exc):
                raise
            self._forget_pending()
            self.applied, self.households = applied, households
            self._item_households.clear()
            _restore(self.versions, key, saved_version)
            _restore(self.records, key, saved_record)
            _restore(self.quarantine, key, saved_held)
            if isinstance(exc, IntegrityError):
                orig = getattr(exc, "orig", None)
                reason = Problem(INTEGRITY, f"{item.entity}: {orig or 'constraint failed'}"[:200])
            else:
                reason = Problem(ERROR, f"{item.entity}: {type(exc).__name__}")
            held = self.quarantine.get(key)
            if held is not None and not self.retrying:
                item = merge(FeedItem.model_validate(held.item), item) or item
            with self.session.begin_nested():
                self.set_aside(item, reason)
                self.session.flush()

    def set_aside(self, item: FeedItem, problem: Problem) -> None:
        key = (item.entity, item.id)
        row = self.quarantine.get(key)
        if row is None:
            row = self.session.get(SyncQuarantineRecord, key)
        if row is None:
            row = SyncQuarantineRecord(entity=item.entity, entity_id=item.id)
            self.session.add(row)
        row.household_id = item.household_id
        row.server_version = item.version
        row.reason = problem.reason
        row.problem = problem.text[:200]
        row.item = item.model_dump(mode="json")
        row.quarantined_at = self.now
        self.quarantine[key] = row
        self._quarantined_now.add(key)
        self.engine.quarantine_possible = True
        log.warning("sync: a pulled %s record was quarantined (%s: %s)", item.entity,
                    problem.reason, problem.text)

    def _apply(self, prepared: Prepared, key: Key) -> bool:
        item = prepared.item
        known = self.versions.get(key)
        known_version = known[0] if known is not None else 0
        record = self.records.get(key)
        waiting = self._inserts[item.entity].get(item.id)
        if record is None and waiting is None and key in self._inserted:
            # written by an earlier flush of this transaction (item by item): as an object now
            record = self.session.get(self.tables.classes[item.entity], item.id)
            if record is not None:
                self.records[key] = record
        record_pending = self.pending.record_pending(key)
        if item.op == "delete":
            if known is not None and item.version <= known_version:
                return False
            self._remember(item, key, deleted=True)
            if waiting is not None:
                del self._inserts[item.entity][item.id]
            elif record is not None:
                if record_pending:
                    self.engine.tombstones_waiting()  # goes once the local change is settled
                else:
                    self.session.delete(record)
                    self.records.pop(key, None)
            self._note_household(item)
            return True
        full = self.snapshot or item.op in ("snapshot", "insert")
        newer = item.version >= known_version if (self.snapshot or item.op == "snapshot") \
            else item.version > known_version
        if known is not None and not newer:
            return False
        if item.entity == "household" and item.op == "snapshot" and item.id in self.leaving:
            self.session.execute(delete(SyncRemovalRecord).where(
                SyncRemovalRecord.household_id == item.id))
            self.leaving.discard(item.id)
        values = prepared.values
        blocked = self.pending.fields.get(key)
        if blocked:
            values = {n: v for n, v in values.items() if n not in blocked}
        if waiting is not None:
            if isinstance(waiting, dict):
                row = waiting
            else:
                assert waiting.row is not None
                row = dict(waiting.row)
            row.update(values)
            row["version"] = item.version
            self._inserts[item.entity][item.id] = row
        elif record is None:
            if not full or key in self.pending.deletes:
                # An update for a record this laptop does not have (or deleted locally and
                # has not pushed yet): nothing to apply it to; a snapshot repairs it later.
                return False
            if prepared.bound is not None and not blocked:
                self._inserts[item.entity][item.id] = prepared
            else:
                self._inserts[item.entity][item.id] = self.tables.row(item, values)
        else:
            for name, value in values.items():
                if getattr(record, name) != value:
                    setattr(record, name, value)
            if not record_pending:
                record.version = item.version
        if item.entity == "attachment":
            self._attachments = True
        self._remember(item, key, deleted=False)
        self._note_household(item)
        return True

    def _note_household(self, item: FeedItem) -> None:
        household = item.id if item.entity == "household" else item.household_id
        if household:
            self._item_households.add(household)

    def _remember(self, item: FeedItem, key: Key, *, deleted: bool) -> None:
        known = self.versions.get(key)
        new = self._new_versions.get(key)
        if new is not None:
            new[2] = item.household_id or new[2]
            new[3] = max(new[3], item.version)
            new[4] = deleted
        elif known is None:
            self._new_versions[key] = [item.entity, item.id, item.household_id, item.version,
                                       deleted]
        else:
            self._changed_versions[key] = {
                "k_entity": item.entity, "k_id": item.id,
                "household_id": item.household_id or known[2],
                "server_version": max(known[0], item.version), "deleted": deleted}
        version = max(known[0], item.version) if known is not None else item.version
        self.versions[key] = (version, deleted, item.household_id or
                              (known[2] if known is not None else None))

    # ------------------------------------------------------------------ writing

    def flush(self) -> None:
        session = self.session
        session.flush()  # records this laptop had (ORM), quarantine rows
        connection = session.connection()
        for entity in sorted(self._inserts, key=lambda e: ENTITY_ORDER.get(e, 50)):
            rows = self._inserts[entity]
            if not rows:
                continue
            writer = self.tables.writers[entity]
            bound = [row.bound if isinstance(row, Prepared) and row.bound is not None
                     else writer.bind(row if isinstance(row, dict) else row.row or {})
                     for row in rows.values()]
            connection.exec_driver_sql(writer.sql, bound)
            self._inserted.update((entity, entity_id) for entity_id in rows)
        if self._new_versions:
            # (entity, entity_id, household_id, server_version, deleted): plain values the
            # driver takes as they are (a bool is an integer to SQLite)
            connection.exec_driver_sql(self.tables.versions.sql,
                                       [tuple(row) for row in self._new_versions.values()])
        if self._changed_versions:
            table = _table(SyncRecordVersion)
            session.execute(
                update(table)
                .where(table.c.entity == bindparam("k_entity"),
                       table.c.entity_id == bindparam("k_id"))
                .values(server_version=bindparam("server_version"),
                        deleted=bindparam("deleted"), household_id=bindparam("household_id")),
                list(self._changed_versions.values()))
        if self._attachments:
            session.execute(update(SyncStateRecord).values(download_pending=True))
            self.engine.attachments_arrived()
        self._forget_pending()

    def _forget_pending(self) -> None:
        self._inserts.clear()
        self._new_versions.clear()
        self._changed_versions.clear()
        self._attachments = False

    def find_retries(self) -> None:
        """Households of this batch that hold quarantined records worth another try."""
        if self.retrying or not self.households or not self.engine.quarantine_possible:
            return
        held = self.session.execute(
            select(SyncQuarantineRecord.entity, SyncQuarantineRecord.entity_id,
                   SyncQuarantineRecord.household_id)
            .where(SyncQuarantineRecord.reason.in_([INTEGRITY, ERROR])))
        for entity, entity_id, household in held:
            if household in self.households and (entity, entity_id) not in \
                    self._quarantined_now:
                self.retry.add(household)


__all__ = ["ENTITY_ORDER", "Batch", "Prepared", "Tables", "column_converters",
           "entity_classes", "fatal", "merge", "order", "tables_for"]
