"""The pull side: the ordered change feed, filtered to one device's scope.

Before a page is read, the device's delivered scope (``device_households``) is brought in line
with the user's current scope, by appending per-device markers to the feed:
``scope_enter`` (expands to a snapshot of the household's records), ``scope_leave`` (reported
in ``removed_households``) and, once per device, ``directory`` (a snapshot of the teams and
workers). Because markers are feed rows with their own ``server_seq``, a page is a pure
function of (device, cursor): a retried pull whose answer was lost returns the same page, and
nothing is acknowledged until the client asks from the next cursor.

Record changes of a household are delivered when they lie after its ``scope_enter`` marker
(older history is covered by the snapshot) and, if it left, before its ``scope_leave`` marker.

Cost: a pull is three steps, each as cheap as it can be.

1. **Anything after seq N?** (`nothing_new_page`, one read statement): when no feed row was
   written after the device's cursor and its scope was reconciled at that point, the answer
   is an empty page without taking the write lock or touching a scope table, whatever the
   size of the caseload.
2. **Choosing the page** (`plan_page`, in the serialised write transaction): the scope is
   reconciled only for households that changed since the device's last reconciliation (a full
   reconciliation only on the first pull or when the user's role or team changed); the feed
   rows after the cursor are selected from the covering index ``ix_change_log_feed``
   (sequence, kind, household, target device) without reading any payload, and snapshots are
   sized from the household index. The page is fixed here.
3. **Writing it** (`stream_page`, a read after the commit): the payloads of exactly the chosen
   rows are read by key and written out as JSON as they are read (a streamed response; the
   stored JSON text is passed through, not parsed and serialised again).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from json.encoder import encode_basestring
from typing import Any

from sqlalchemy import (
    Engine,
    ScalarSelect,
    Select,
    Text,
    and_,
    cast,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Session

from wijkteam_app.sync.protocol import FeedItem, PullResponse
from wijkteam_server.db import read_session, utcnow
from wijkteam_server.models import (
    ChangeLog,
    Conflict,
    Device,
    DeviceHousehold,
    EntityRow,
    HouseholdAccess,
    User,
)
from wijkteam_server.reference import NO_VERSION, current_version, version_query
from wijkteam_server.scope import filter_in_scope, principals, scope_households
from wijkteam_server.sync_engine import log_change

# Parents before children, so a laptop with foreign keys can insert a snapshot in order.
ENTITY_ORDER = {
    name: i for i, name in enumerate(
        ["team", "worker", "household", "person", "network_member", "professional", "case",
         "contact_moment", "consent", "assessment", "plan_version", "attachment",
         "plan_review", "plan_toets", "plan_signature", "plan_evaluation", "regie_event",
         "kitchen_table_report", "case_conference", "stuck_flag", "stuck_decision",
         "client_experience", "privacy_request"]
    )
}
DIRECTORY_ENTITIES = ("team", "worker")
CHUNK = 500  # keys per IN (...) query
STREAM_SLOTS = 64  # feed rows whose payloads are read (and written out) at a time
PLAN_ROWS = 200  # feed rows looked at per query while choosing a page
LAST_SEEN_EVERY = timedelta(minutes=5)  # a pull with nothing new writes last_seen_at this often


def scope_key(user: User) -> str:
    """What a device's scope follows from: the user's principals (role and team)."""
    return ",".join(sorted(principals(user)))


def _latest_seq_query() -> ScalarSelect[int]:
    return select(func.max(ChangeLog.server_seq)).scalar_subquery()


def latest_seq(session: Session) -> int:
    return int(session.scalar(select(_latest_seq_query())) or 0)


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


# --------------------------------------------------------------------------- scope


def _reconcile(session: Session, device: Device, wanted: set[str],
               rows: Iterable[DeviceHousehold], considered: set[str] | None) -> None:
    """Markers for the households (of ``considered``, or all) that entered or left."""
    active: dict[str, DeviceHousehold] = {}
    inactive: dict[str, DeviceHousehold] = {}
    for row in rows:
        (active if row.left_seq is None else inactive)[row.household_id] = row
    entering = wanted - active.keys()
    leaving = active.keys() - wanted
    if considered is not None:
        entering &= considered
        leaving &= considered
    # All markers with one statement (numbered by the database in this order).
    now = utcnow()
    entered = _markers(session, device, "scope_enter", sorted(entering), now)
    left = _markers(session, device, "scope_leave", sorted(leaving), now)
    new_rows: list[dict[str, Any]] = []
    for household, seq in entered:
        again = inactive.get(household)
        if again is None:
            new_rows.append({"device_id": device.id, "household_id": household,
                             "entered_seq": seq, "left_seq": None, "left_at": None})
        else:
            again.entered_seq = seq
            again.left_seq = None
            again.left_at = None
    if new_rows:
        session.execute(insert(DeviceHousehold), new_rows)
    for household, seq in left:
        active[household].left_seq = seq
        active[household].left_at = now


def _markers(session: Session, device: Device, kind: str, households: list[str],
             now: datetime) -> list[tuple[str, int]]:
    """Per-device feed rows for households entering (``scope_enter``) or leaving
    (``scope_leave``), as `log_change` writes them but in one statement; returns each
    household with its marker's ``server_seq``."""
    if not households:
        return []
    op = "snapshot" if kind == "scope_enter" else "delete"
    rows: list[dict[str, Any]] = [
        {"kind": kind, "changeset_id": None, "origin_device_id": None, "actor_id": None,
         "entity": "household", "entity_id": h, "household_id": h, "op": op, "version": 0,
         "fields": {}, "target_device_id": device.id, "created_at": now}
        for h in households]
    result = session.execute(
        insert(ChangeLog).returning(ChangeLog.household_id, ChangeLog.server_seq,
                                    sort_by_parameter_order=True), rows)
    return [(str(h), int(seq)) for h, seq in result]


def sync_scope(session: Session, user: User, device: Device) -> None:
    """Append markers for households that entered or left this device's scope.

    Access to a household changes only with a change of one of its records (the push and a
    conflict resolution recompute it in the same transaction, which logs that change), or
    with the user's principals. So after the first reconciliation only the households with a
    change after ``device.scope_seq`` are looked at."""
    if device.directory_seq is None:
        marker = log_change(session, kind="directory", changeset_id=None, origin_device_id=None,
                            actor_id=None, entity="team", entity_id="", household_id=None,
                            op="snapshot", version=0, fields={}, target_device_id=device.id)
        device.directory_seq = marker.server_seq
    key = scope_key(user)
    if device.scope_seq is None or device.scope_key != key:
        rows = session.scalars(
            select(DeviceHousehold).where(DeviceHousehold.device_id == device.id)).all()
        _reconcile(session, device, scope_households(session, user), rows, None)
    else:
        touched = sorted(h for h in session.scalars(
            select(ChangeLog.household_id).where(
                ChangeLog.server_seq > device.scope_seq, ChangeLog.kind == "change",
                ChangeLog.household_id.is_not(None)).distinct()) if h)
        for chunk in _chunks(touched):
            rows = session.scalars(select(DeviceHousehold).where(
                DeviceHousehold.device_id == device.id,
                DeviceHousehold.household_id.in_(chunk))).all()
            _reconcile(session, device, filter_in_scope(session, user, chunk), rows,
                       set(chunk))
    session.flush()
    device.scope_seq = latest_seq(session)
    device.scope_key = key


# --------------------------------------------------------------------------- the page


def feed_condition(device: Device) -> Any:
    delivered = exists().where(
        DeviceHousehold.device_id == device.id,
        DeviceHousehold.household_id == ChangeLog.household_id,
        DeviceHousehold.entered_seq < ChangeLog.server_seq,
        or_(DeviceHousehold.left_seq.is_(None), ChangeLog.server_seq < DeviceHousehold.left_seq),
    )
    household_changes = and_(ChangeLog.kind == "change", ChangeLog.household_id.is_not(None),
                             delivered)
    directory_changes = and_(ChangeLog.kind == "change", ChangeLog.household_id.is_(None),
                             ChangeLog.server_seq > (device.directory_seq or 0))
    return or_(household_changes, directory_changes, ChangeLog.target_device_id == device.id)


def count_open_conflicts(session: Session, user: User) -> int:
    query = _open_conflicts_query(user)
    return 0 if query is None else int(session.scalar(query) or 0)


@dataclass
class PagePlan:
    """Which feed rows make up a page: (kind, server_seq, household) in feed order."""

    slots: list[tuple[str, int, str | None]]
    head: PullResponse  # every field of the answer but ``items``
    items: int = 0
    removed: list[str] = field(default_factory=list)


def _open_conflicts_query(user: User) -> Select[Any] | None:
    held = principals(user)
    if not held:
        return None
    visible = exists().where(HouseholdAccess.household_id == Conflict.household_id,
                             HouseholdAccess.principal.in_(held))
    return select(func.count()).select_from(Conflict).where(Conflict.status == "open", visible)


def nothing_new_page(session: Session, user: User, device: Device,
                     cursor: int) -> PullResponse | None:
    """The cheap check before any page is chosen: when no feed row lies after ``cursor``
    and the device's scope was reconciled at least up to it for the same principals, the
    empty page to answer with; else None. One statement: the latest sequence number, the
    open conflicts and the reference version together (three round trips through the ORM
    were ~0.4 ms of a ~3 ms answer)."""
    if device.directory_seq is None or device.scope_seq is None:
        return None
    if device.scope_key != scope_key(user):
        return None
    conflicts = _open_conflicts_query(user)
    latest, open_conflicts, version = session.execute(select(
        _latest_seq_query(),
        conflicts.scalar_subquery() if conflicts is not None else literal(0),
        version_query(),
    )).one()
    latest = int(latest or 0)
    if cursor < latest or device.scope_seq < latest:
        return None
    return PullResponse(items=[], next_cursor=cursor, has_more=False, removed_households=[],
                        open_conflicts=int(open_conflicts or 0),
                        reference_version=version if version is not None else NO_VERSION)


def plan_page(session: Session, user: User, device: Device, cursor: int,
              limit: int) -> PagePlan:
    """Reconcile the scope and choose the rows of the page (in the write transaction)."""
    sync_scope(session, user, device)
    # Nothing before the device's first marker (its directory snapshot) is ever for it.
    position = max(cursor, (device.directory_seq or 1) - 1)
    slots: list[tuple[str, int, str | None]] = []
    removed: list[str] = []
    count = 0
    next_cursor = cursor
    has_more = False
    while True:
        # A few rows at a time: a marker can stand for a whole household, so the page may
        # be full after a handful of rows; no need to read (and size) thousands.
        rows = session.execute(
            select(ChangeLog.server_seq, ChangeLog.kind, ChangeLog.household_id)
            .where(ChangeLog.server_seq > position, feed_condition(device))
            .order_by(ChangeLog.server_seq)
            .limit(PLAN_ROWS)
        ).all()
        if rows and count >= limit:
            has_more = True
            break
        sizes = _sizes(session, rows)
        for seq, kind, household in rows:
            if count >= limit:
                has_more = True
                break
            if kind == "change":
                count += 1
            elif kind == "scope_enter":
                if household in removed:
                    removed.remove(household)
                count += sizes.get(household, 0)
            elif kind == "scope_leave":
                if household and household not in removed:
                    removed.append(household)
            elif kind == "directory":
                count += sizes.get(None, 0)
            if kind != "scope_leave":
                slots.append((kind, seq, household))
            next_cursor = position = seq
        if has_more or len(rows) < PLAN_ROWS:
            break
    if not has_more:
        # Everything of this device up to the newest row is in this answer (writes are
        # serialised and this transaction holds the write lock), so the next pull may start
        # there: a device whose scope is quiet then stays on the cheap path.
        next_cursor = max(next_cursor, latest_seq(session))
    device.last_seen_at = utcnow()
    head = PullResponse(items=[], next_cursor=next_cursor, has_more=has_more,
                        removed_households=removed,
                        open_conflicts=count_open_conflicts(session, user),
                        reference_version=current_version(session))
    return PagePlan(slots, head, count, removed)


def _sizes(session: Session, rows: Sequence[Any]) -> dict[str | None, int]:
    """How many items each snapshot marker among ``rows`` stands for (from the household
    index of ``entities``; ``None``: the directory)."""
    entering = sorted({h for _s, kind, h in rows if kind == "scope_enter" and h})
    sizes: dict[str | None, int] = {}
    for chunk in _chunks(entering):
        sizes.update(session.execute(
            select(EntityRow.household_id, func.count())
            .where(EntityRow.household_id.in_(chunk)).group_by(EntityRow.household_id)).all())
    if any(kind == "directory" for _s, kind, _h in rows):
        sizes[None] = int(session.scalar(select(func.count()).select_from(EntityRow).where(
            EntityRow.entity.in_(DIRECTORY_ENTITIES))) or 0)
    return sizes


# --------------------------------------------------------------------------- writing it


def _text(value: str | None) -> str:
    """A JSON string (or null), escaped by the json module's own C encoder."""
    return "null" if value is None else encode_basestring(value)


def _item_json(server_seq: int, changeset_id: str | None, origin: str | None,
               actor: str | None, entity: str, entity_id: str, household: str | None, op: str,
               version: int, fields_json: str) -> str:
    """One `FeedItem` as JSON, around the stored JSON text of its fields."""
    return (f'{{"server_seq":{int(server_seq)},"changeset_id":{_text(changeset_id)},'
            f'"origin_device_id":{_text(origin)},"actor_id":{_text(actor)},'
            f'"entity":{_text(entity)},"id":{_text(entity_id)},'
            f'"household_id":{_text(household)},"op":{_text(op)},"version":{int(version)},'
            f'"fields":{fields_json}}}')


_SNAPSHOT_COLUMNS = (EntityRow.entity, EntityRow.entity_id, EntityRow.household_id,
                     EntityRow.version, EntityRow.deleted, cast(EntityRow.data, Text))


def _snapshot_json(seq: int, rows: Sequence[Any]) -> list[str]:
    ordered = sorted(rows, key=lambda r: (ENTITY_ORDER.get(r[0], 99), r[1]))
    return [_item_json(seq, None, None, None, entity, entity_id, household,
                       "delete" if deleted else "snapshot", version,
                       "{}" if deleted else data)
            for entity, entity_id, household, version, deleted, data in ordered]


def _slot_items(session: Session, slots: Sequence[tuple[str, int, str | None]]) -> list[str]:
    """The items of some slots, in feed order: payloads read by key, in a few queries."""
    changes = [seq for kind, seq, _h in slots if kind == "change"]
    households = sorted({h for kind, _s, h in slots if kind == "scope_enter" and h})
    change_json: dict[int, str] = {}
    for start in range(0, len(changes), CHUNK):
        for seq, changeset, origin, actor, entity, entity_id, household_id, op, version, \
                fields_json in session.execute(
                    select(ChangeLog.server_seq, ChangeLog.changeset_id,
                           ChangeLog.origin_device_id, ChangeLog.actor_id, ChangeLog.entity,
                           ChangeLog.entity_id, ChangeLog.household_id, ChangeLog.op,
                           ChangeLog.version, cast(ChangeLog.fields, Text))
                    .where(ChangeLog.server_seq.in_(changes[start:start + CHUNK]))):
            change_json[seq] = _item_json(seq, changeset, origin, actor, entity, entity_id,
                                          household_id, op, version, fields_json)
    records: dict[str | None, list[Any]] = defaultdict(list)
    for chunk in _chunks(households):
        for record in session.execute(select(*_SNAPSHOT_COLUMNS).where(
                EntityRow.household_id.in_(chunk))):
            records[record[2]].append(record)
    out: list[str] = []
    for kind, seq, household in slots:
        if kind == "change":
            out.append(change_json[seq])
        elif kind == "scope_enter" and household:
            out.extend(_snapshot_json(seq, records.get(household, [])))
        elif kind == "directory":
            out.extend(_snapshot_json(seq, session.execute(select(*_SNAPSHOT_COLUMNS).where(
                EntityRow.entity.in_(DIRECTORY_ENTITIES))).all()))
    return out


def stream_page(engine: Engine, plan: PagePlan) -> Iterator[bytes]:
    """The answer as JSON, written while the payloads are read (the head first, so the
    metadata is known before the items)."""
    head = plan.head.model_dump_json(exclude={"items"})
    yield (head[:-1] + ',"items":[').encode()
    first = True
    with read_session(engine) as session:
        for start in range(0, len(plan.slots), STREAM_SLOTS):
            items = _slot_items(session, plan.slots[start:start + STREAM_SLOTS])
            if not items:
                continue
            chunk = ",".join(items)
            yield (chunk if first else "," + chunk).encode()
            first = False
    yield b"]}"


# --------------------------------------------------------------------------- one household


def _snapshot(session: Session, seq: int, rows: list[EntityRow]) -> list[FeedItem]:
    rows.sort(key=lambda r: (ENTITY_ORDER.get(r.entity, 99), r.entity_id))
    return [
        FeedItem(server_seq=seq, changeset_id=None, origin_device_id=None, actor_id=None,
                 entity=r.entity,  # type: ignore[arg-type]
                 id=r.entity_id, household_id=r.household_id,
                 op="delete" if r.deleted else "snapshot", version=r.version,
                 fields={} if r.deleted else dict(r.data))
        for r in rows
    ]
