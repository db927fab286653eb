"""Applying pushed change-sets, detecting conflicts per field, and resolving conflicts.

Per field of a pushed update, against the record's ``field_versions``:
1. the field last changed at a version the device knew (``<= effective base``), or the device
   itself wrote the current value: apply;
2. otherwise, the server's current value already equals the pushed new value: nothing to do;
3. otherwise: a conflict. The server value stays in place; base, mine and theirs are stored.
Different fields of one record therefore merge; only the same field changed on two sides
conflicts.

The *effective base*: a laptop numbers its record versions locally while offline (each save
bumps the version by one), so the second offline save of a record carries a base version the
server may have given to someone else's change meanwhile. ``device_entity_chain`` remembers,
per device and record, the local version its last accepted change produced and the server
knowledge it rested on; a change whose base equals that local version continues the chain and
inherits that knowledge. Any other base is a server version the laptop pulled.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkteam_app.sync.authority import ACTOR_FIELDS, ENTITY_ACTION, Actor, Warning_, may
from wijkteam_app.sync.entities import FieldProblem, check_value
from wijkteam_app.sync.protocol import (
    FROZEN_PLAN_FIELDS,
    IMMUTABLE_ENTITIES,
    SERVER_OWNED_ENTITIES,
    ChangeSet,
    ChangeSetResult,
    EntityChange,
    ResolveRequest,
)
from wijkteam_server import erasure, report_facts
from wijkteam_server.authorization import Authorizer, Refused, household_facts
from wijkteam_server.db import utcnow
from wijkteam_server.errors import ApiError, not_found
from wijkteam_server.models import (
    AppliedChangeSet,
    ChangeLog,
    Conflict,
    Device,
    DeviceEntityChain,
    DeviceHousehold,
    EntityRow,
    User,
)
from wijkteam_server.scope import in_scope, recompute_access

# IMMUTABLE_ENTITIES (append-only plan records, attachments): any update or delete after the
# insert becomes a conflict that keeps both. FROZEN_PLAN_FIELDS of a plan_version: the same,
# once the STORED status is no longer "concept" (see `_frozen`).
CONCEPT = "concept"
TOETSER_ENTITIES = frozenset({"plan_toets"})  # the only records a toetser writes
BRANDPUNT_ENTITIES = frozenset({"stuck_decision"})  # ... and a brandpuntfunctionaris

SCOPE_ENTITIES = frozenset({"household", "case", "plan_version", "stuck_flag",
                            "stuck_decision"})  # changes move access
LEGITIMACY_FIELDS: dict[str, tuple[str, ...]] = {
    entity: (*names, *(("status", "history") if entity == "plan_version" else ()))
    for entity, names in ACTOR_FIELDS.items()
}
UNSYNCED_FIELDS = frozenset({"id", "version"})
DELETED_FIELD = "_deleted"


class NotAllowed(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class InvalidValue(Exception):
    """A conflict resolution whose value does not fit the field's type (answered as a
    request validation error, 422)."""


class SequenceProblem(Exception):
    def __init__(self, code: str, expected: int) -> None:
        super().__init__(code)
        self.code = code
        self.expected = expected


def log_change(session: Session, *, kind: str = "change", changeset_id: str | None,
               origin_device_id: str | None, actor_id: str | None, entity: str,
               entity_id: str, household_id: str | None, op: str, version: int,
               fields: dict[str, Any], target_device_id: str | None = None) -> ChangeLog:
    entry = ChangeLog(
        kind=kind, changeset_id=changeset_id, origin_device_id=origin_device_id,
        actor_id=actor_id, entity=entity, entity_id=entity_id, household_id=household_id,
        op=op, version=version, fields=fields, target_device_id=target_device_id,
        created_at=utcnow(),
    )
    session.add(entry)
    session.flush()
    return entry


def may_write(session: Session, user: User, device: Device, household_id: str | None,
              grace: timedelta) -> bool:
    """In the user's scope now, or delivered to this device and not yet (or only recently)
    withdrawn from it, so work done offline before a caseload change still gets in."""
    if household_id is None:
        return False
    if in_scope(session, user, household_id):
        return True
    row = session.get(DeviceHousehold, (device.id, household_id))
    if row is None:
        return False
    # Not yet told (left_at unset) or told recently: the device may still deliver its work.
    return row.left_at is None or row.left_at >= utcnow() - grace


@dataclass
class _Context:
    session: Session
    user: User
    device: Device
    changeset: ChangeSet
    now: datetime
    conflict_ids: list[str] = field(default_factory=list)
    touched: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)

    @property
    def origin(self) -> dict[str, Any]:
        return {"device": self.device.id, "actor": self.user.id, "at": self.now.isoformat()}


def _new_value(change: EntityChange, name: str) -> Any:
    fc = change.fields.get(name)
    return fc.new if fc is not None else None


def _household_of_insert(change: EntityChange) -> Any:
    return change.id if change.entity == "household" else _new_value(change, "household_id")


def _authorize(ctx: _Context, grace: timedelta) -> None:
    session = ctx.session
    created = {
        c.id for c in ctx.changeset.changes
        if c.entity == "household" and c.op == "insert"
        and session.get(EntityRow, ("household", c.id)) is None
    }
    for change in ctx.changeset.changes:
        if change.entity in SERVER_OWNED_ENTITIES:
            raise NotAllowed("server_owned")
        if ctx.user.role == "toetser" and change.entity not in TOETSER_ENTITIES:
            # A toetser sees households only for the toets: they record decisions, nothing else.
            raise NotAllowed("not_allowed")
        if ctx.user.role == "brandpuntfunctionaris" and change.entity not in BRANDPUNT_ENTITIES:
            # Likewise the brandpuntfunctionaris: only the decision that unblocks a case.
            raise NotAllowed("not_allowed")
        row = session.get(EntityRow, (change.entity, change.id))
        targets: set[Any] = set()
        if row is None:
            if change.op != "insert":
                raise NotAllowed("not_allowed")
            targets.add(_household_of_insert(change))
        else:
            targets.add(row.household_id)
            moves = change.op != "delete" and "household_id" in change.fields
            if change.entity != "household" and moves:
                targets.add(_new_value(change, "household_id"))
        for household in targets:
            if not isinstance(household, str):
                raise NotAllowed("not_allowed")
            if household not in created and not may_write(
                session, ctx.user, ctx.device, household, grace
            ):
                raise NotAllowed("not_allowed")
    # Scope is settled; now the matrix and the plan rules (wijkteam_server.authorization).
    def held_by_device(household: str) -> bool:
        return may_write(session, ctx.user, ctx.device, household, grace)

    try:
        Authorizer(session, ctx.user, ctx.device, ctx.changeset, held_by_device).check()
    except Refused as refused:
        raise NotAllowed(refused.reason.value) from None


def _bsn_warnings(ctx: _Context) -> None:
    """A BSN already registered in another (live) household: accepted, but flagged, so a
    person looks at it (one household, one plan). The other household is not named: it may
    lie outside the writer's scope."""
    for change in ctx.changeset.changes:
        if change.entity != "person" or change.op == "delete" or "bsn" not in change.fields:
            continue
        bsn = change.fields["bsn"].new
        if not isinstance(bsn, str) or not bsn:
            continue
        row = ctx.session.get(EntityRow, ("person", change.id))
        household = row.household_id if row is not None else _new_value(change, "household_id")
        elsewhere = ctx.session.scalar(
            select(EntityRow.entity_id).where(
                EntityRow.entity == "person", EntityRow.deleted.is_(False),
                EntityRow.entity_id != change.id, EntityRow.household_id != household,
                EntityRow.data["bsn"].as_string() == bsn,
            ).limit(1))
        if elsewhere is not None and Warning_.BSN_ELSEWHERE.value not in ctx.warnings:
            ctx.warnings.append(Warning_.BSN_ELSEWHERE.value)


def _effective_base(ctx: _Context, change: EntityChange) -> int:
    chain = ctx.session.get(DeviceEntityChain, (ctx.device.id, change.entity, change.id))
    if chain is not None and change.base_version == chain.local_version:
        return chain.effective_base
    return change.base_version


def _remember_chain(ctx: _Context, change: EntityChange, effective_base: int) -> None:
    key = (ctx.device.id, change.entity, change.id)
    chain = ctx.session.get(DeviceEntityChain, key)
    if chain is None:
        chain = DeviceEntityChain(device_id=key[0], entity=key[1], entity_id=key[2],
                                  local_version=0, effective_base=0)
        ctx.session.add(chain)
    chain.local_version = change.base_version + 1
    chain.effective_base = effective_base


def _conflict(ctx: _Context, row: EntityRow, name: str, kind: str, base: Any, mine: Any,
              theirs: Any, theirs_origin: dict[str, Any] | None, theirs_version: int) -> None:
    origin = theirs_origin or {}
    theirs_at = origin.get("at")
    conflict = Conflict(
        id=str(uuid.uuid4()), entity=row.entity, entity_id=row.entity_id,
        household_id=row.household_id, field=name, kind=kind, base_value=base,
        mine_value=mine, mine_actor_id=ctx.user.id, mine_device_id=ctx.device.id,
        mine_at=ctx.changeset.created_at.replace(tzinfo=None),
        mine_changeset_id=ctx.changeset.id, theirs_value=theirs,
        theirs_actor_id=origin.get("actor"), theirs_device_id=origin.get("device"),
        theirs_at=datetime.fromisoformat(theirs_at) if isinstance(theirs_at, str) else None,
        theirs_version=theirs_version, status="open", created_at=ctx.now,
        resolved_by=None, resolved_at=None, resolution_value=None,
        resolution_changeset_id=None,
    )
    ctx.session.add(conflict)
    ctx.conflict_ids.append(conflict.id)


def _insert(ctx: _Context, change: EntityChange) -> None:
    data = {n: fc.new for n, fc in change.fields.items() if n not in UNSYNCED_FIELDS}
    household = _household_of_insert(change)
    team = data.get("team_id")
    row = EntityRow(
        entity=change.entity, entity_id=change.id, household_id=household,
        team_id=team if isinstance(team, str) else None, created_by=ctx.user.id, version=1,
        data=data, field_versions=dict.fromkeys(data, 1),
        field_origins={n: ctx.origin for n in data}, deleted=False, updated_at=ctx.now,
    )
    ctx.session.add(row)
    report_facts.record(ctx.session, row)
    log_change(ctx.session, changeset_id=ctx.changeset.id, origin_device_id=ctx.device.id,
               actor_id=ctx.user.id, entity=change.entity, entity_id=change.id,
               household_id=household, op="insert", version=1, fields=data)
    _remember_chain(ctx, change, 1)
    if change.entity in SCOPE_ENTITIES:
        ctx.touched.add(household)


def _known(ctx: _Context, row: EntityRow, name: str, effective_base: int) -> bool:
    if row.field_versions.get(name, 0) <= effective_base:
        return True
    origin = row.field_origins.get(name) or {}
    return bool(origin.get("device") == ctx.device.id)


def _delete(ctx: _Context, row: EntityRow, effective_base: int) -> None:
    foreign = [n for n in row.field_versions if not _known(ctx, row, n, effective_base)]
    if foreign:
        latest = max(foreign, key=lambda n: row.field_versions[n])
        _conflict(ctx, row, DELETED_FIELD, "delete", False, True, False,
                  row.field_origins.get(latest), row.field_versions[latest])
        return
    row.deleted = True
    row.version += 1
    row.field_origins = {**row.field_origins, DELETED_FIELD: ctx.origin}
    row.updated_at = ctx.now
    log_change(ctx.session, changeset_id=ctx.changeset.id, origin_device_id=ctx.device.id,
               actor_id=ctx.user.id, entity=row.entity, entity_id=row.entity_id,
               household_id=row.household_id, op="delete", version=row.version, fields={})


def _frozen(row: EntityRow, name: str) -> bool:
    """May this field of the stored record never change again (whoever asks)?"""
    if row.entity in IMMUTABLE_ENTITIES:
        return True
    return (row.entity == "plan_version" and name in FROZEN_PLAN_FIELDS
            and row.data.get("status") != CONCEPT)


def _update(ctx: _Context, row: EntityRow, change: EntityChange, effective_base: int) -> None:
    applied: dict[str, Any] = {}
    # Decided on the stored record before anything of this change is applied: a change that
    # submits and edits content at once was made while the version was still a concept.
    frozen = {name for name in change.fields if _frozen(row, name)}
    for name, fc in change.fields.items():
        if name in UNSYNCED_FIELDS:
            continue
        current = row.data.get(name)
        if name not in frozen and _known(ctx, row, name, effective_base):
            if current != fc.new or name not in row.data:
                applied[name] = fc.new
        elif current == fc.new:
            continue
        else:
            _conflict(ctx, row, name, "field", fc.old, fc.new, current,
                      row.field_origins.get(name), row.field_versions.get(name, row.version))
    if applied:
        _apply_fields(ctx.session, row, applied, ctx.origin, ctx.now)
        log_change(ctx.session, changeset_id=ctx.changeset.id, origin_device_id=ctx.device.id,
                   actor_id=ctx.user.id, entity=row.entity, entity_id=row.entity_id,
                   household_id=row.household_id, op="update", version=row.version,
                   fields=applied)


def _apply_fields(session: Session, row: EntityRow, values: dict[str, Any],
                  origin: dict[str, Any], now: datetime) -> None:
    row.version += 1
    row.data = {**row.data, **values}
    row.field_versions = {**row.field_versions, **dict.fromkeys(values, row.version)}
    row.field_origins = {**row.field_origins, **dict.fromkeys(values, origin)}
    if row.entity != "household" and isinstance(values.get("household_id"), str):
        row.household_id = values["household_id"]
    if "team_id" in values:
        row.team_id = values["team_id"] if isinstance(values["team_id"], str) else None
    row.updated_at = now
    session.flush()


def _last_origin(row: EntityRow) -> dict[str, Any] | None:
    if not row.field_versions:
        return None
    latest = max(row.field_versions, key=lambda n: row.field_versions[n])
    origin = row.field_origins.get(latest)
    return origin if isinstance(origin, dict) else None


def _apply_change(ctx: _Context, change: EntityChange) -> None:
    row = ctx.session.get(EntityRow, (change.entity, change.id))
    if row is None:
        _insert(ctx, change)
        return
    before = row.household_id
    effective_base = _effective_base(ctx, change)
    if row.deleted:
        if change.op != "delete":
            for name, fc in change.fields.items():
                if name in UNSYNCED_FIELDS:
                    continue
                _conflict(ctx, row, name, "deleted", fc.old, fc.new, row.data.get(name),
                          row.field_origins.get(DELETED_FIELD), row.version)
    elif change.op == "delete" and row.entity in IMMUTABLE_ENTITIES:
        # Never merges: the record stays, the wish to delete it is held as a conflict.
        _conflict(ctx, row, DELETED_FIELD, "delete", False, True, False,
                  row.field_origins.get(DELETED_FIELD) or _last_origin(row), row.version)
    elif change.op == "delete":
        _delete(ctx, row, effective_base)
    else:
        _update(ctx, row, change, effective_base)
    report_facts.record(ctx.session, row)
    _remember_chain(ctx, change, effective_base)
    if change.entity in SCOPE_ENTITIES:
        ctx.touched.update(h for h in (before, row.household_id) if h)


def process_changeset(session: Session, user_id: str, device_id: str, changeset: ChangeSet,
                      grace: timedelta) -> ChangeSetResult:
    """Apply one change-set inside the caller's (serialised) transaction."""
    device = session.get(Device, device_id)
    user = session.get(User, user_id)
    assert device is not None and user is not None
    existing = session.get(AppliedChangeSet, changeset.id)
    if existing is not None:
        if existing.device_id != device.id:
            raise SequenceProblem("changeset_id_in_use", device.last_seq + 1)
        return ChangeSetResult(id=existing.id, device_seq=existing.device_seq,
                               status=existing.status,  # type: ignore[arg-type]
                               duplicate=True, conflict_ids=list(existing.conflict_ids),
                               reason=existing.reason, warnings=list(existing.warnings))
    expected = device.last_seq + 1
    if changeset.device_seq != expected:
        code = "sequence_gap" if changeset.device_seq > expected else "sequence_reused"
        raise SequenceProblem(code, expected)
    ctx = _Context(session, user, device, changeset, utcnow())
    reason: str | None = None
    try:
        with session.begin_nested():
            _authorize(ctx, grace)
            _bsn_warnings(ctx)
            for change in changeset.changes:
                _apply_change(ctx, change)
            for household in sorted(ctx.touched):
                recompute_access(session, household)
    except NotAllowed as exc:
        reason = exc.reason
        ctx.conflict_ids = []
        ctx.warnings = []
    status = "rejected" if reason else ("conflict" if ctx.conflict_ids else "accepted")
    session.add(AppliedChangeSet(
        id=changeset.id, device_id=device.id, device_seq=changeset.device_seq,
        user_id=user.id, actor_id=changeset.actor_id, action=changeset.action,
        household_id=changeset.household_id,
        created_at=changeset.created_at.replace(tzinfo=None), received_at=ctx.now,
        status=status, reason=reason, conflict_ids=ctx.conflict_ids, warnings=ctx.warnings,
        payload=changeset.model_dump(mode="json"),
    ))
    erasure.after_changeset(session, changeset, user, device)  # an executed erasure request
    device.last_seq = changeset.device_seq
    device.last_seen_at = ctx.now
    session.flush()
    return ChangeSetResult(id=changeset.id, device_seq=changeset.device_seq,
                           status=status, conflict_ids=ctx.conflict_ids,  # type: ignore[arg-type]
                           reason=reason, warnings=ctx.warnings)


def resolve_conflict(session: Session, user: User, device: Device, conflict_id: str,
                     request: ResolveRequest) -> tuple[Conflict, str | None]:
    """Turn a person's choice into a new server change-set that reaches everyone."""
    conflict = session.get(Conflict, conflict_id)
    if conflict is None or not in_scope(session, user, conflict.household_id):
        raise not_found()
    if conflict.status != "open":
        raise ApiError(409, "already_resolved")
    row = session.get(EntityRow, (conflict.entity, conflict.entity_id))
    if row is None:
        raise not_found()
    if request.choice != "theirs" and (
            row.entity in IMMUTABLE_ENTITIES
            or (conflict.kind == "field" and _frozen(row, conflict.field))):
        # Immutable things never merge: "mine" stays in the conflict, the record stays as is.
        raise ApiError(409, "immutable")
    action = ENTITY_ACTION.get(row.entity)
    actor = Actor(user.id, user.role, user.team_id)
    if action is None or not may(actor, household_facts(session, row.household_id or ""),
                                 action):
        raise ApiError(403, "forbidden")
    if request.choice != "theirs" and conflict.field in LEGITIMACY_FIELDS.get(row.entity, ()):
        # Who approved, who made a record, and the status history are not a matter of taste:
        # they change only through the plan's own steps (which the push authorizes).
        raise ApiError(409, "immutable")
    if request.choice == "mine":
        value = conflict.mine_value
    elif request.choice == "theirs":
        value = conflict.theirs_value
    else:
        value = request.value
    if conflict.kind != "delete":
        try:
            check_value(row.entity, conflict.field, value)
        except FieldProblem as problem:
            raise InvalidValue(problem.problem) from None
    now = utcnow()
    origin = {"device": device.id, "actor": user.id, "at": now.isoformat()}
    changeset_id: str | None = str(uuid.uuid4())
    before = row.household_id
    if conflict.kind == "delete":
        if not isinstance(value, bool):
            raise ApiError(400, "invalid_value")
        if value and not row.deleted:
            row.deleted = True
            row.version += 1
            row.field_origins = {**row.field_origins, DELETED_FIELD: origin}
            row.updated_at = now
            log_change(session, changeset_id=changeset_id, origin_device_id=device.id,
                       actor_id=user.id, entity=row.entity, entity_id=row.entity_id,
                       household_id=row.household_id, op="delete", version=row.version,
                       fields={})
        else:
            changeset_id = None
    elif row.deleted and (conflict.kind == "field" or request.choice != "theirs"):
        # Bringing a deleted record back with the chosen value: a full insert in the feed.
        row.deleted = False
        _apply_fields(session, row, {conflict.field: value}, origin, now)
        log_change(session, changeset_id=changeset_id, origin_device_id=device.id,
                   actor_id=user.id, entity=row.entity, entity_id=row.entity_id,
                   household_id=row.household_id, op="insert", version=row.version,
                   fields=dict(row.data))
    elif row.deleted:
        changeset_id = None  # keeping the deletion: nothing changes
    else:
        _apply_fields(session, row, {conflict.field: value}, origin, now)
        log_change(session, changeset_id=changeset_id, origin_device_id=device.id,
                   actor_id=user.id, entity=row.entity, entity_id=row.entity_id,
                   household_id=row.household_id, op="update", version=row.version,
                   fields={conflict.field: value})
    report_facts.record(session, row)
    conflict.status = "resolved"
    conflict.resolved_by = user.id
    conflict.resolved_at = now
    conflict.resolution_value = value
    conflict.resolution_changeset_id = changeset_id
    if row.entity in SCOPE_ENTITIES:
        for household in {before, row.household_id}:
            if household:
                recompute_access(session, household)
    session.flush()
    return conflict, changeset_id

