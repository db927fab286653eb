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
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from wijkteam_app.sync.protocol import FeedItem, PullResponse
from wijkteam_server.db import utcnow
from wijkteam_server.models import (
    ChangeLog,
    Conflict,
    Device,
    DeviceHousehold,
    EntityRow,
    HouseholdAccess,
    User,
)
from wijkteam_server.reference import current_version
from wijkteam_server.scope import principals, scope_households
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


def sync_scope(session: Session, user: User, device: Device) -> None:
    """Append markers for households that entered or left this device's scope."""
    if device.directory_seq is None:
        marker = log_change(session, kind="directory", changeset_id=None, origin_device_id=None,
                            actor_id=None, entity="team", entity_id="", household_id=None,
                            op="snapshot", version=0, fields={}, target_device_id=device.id)
        device.directory_seq = marker.server_seq
    wanted = scope_households(session, user)
    rows = session.scalars(
        select(DeviceHousehold).where(DeviceHousehold.device_id == device.id)
    ).all()
    active = {r.household_id: r for r in rows if r.left_seq is None}
    inactive = {r.household_id: r for r in rows if r.left_seq is not None}
    for household in sorted(wanted - active.keys()):
        marker = log_change(session, kind="scope_enter", changeset_id=None,
                            origin_device_id=None, actor_id=None, entity="household",
                            entity_id=household, household_id=household, op="snapshot",
                            version=0, fields={}, target_device_id=device.id)
        row = inactive.get(household)
        if row is None:
            session.add(DeviceHousehold(device_id=device.id, household_id=household,
                                        entered_seq=marker.server_seq, left_seq=None,
                                        left_at=None))
        else:
            row.entered_seq = marker.server_seq
            row.left_seq = None
            row.left_at = None
    for household in sorted(active.keys() - wanted):
        marker = log_change(session, kind="scope_leave", changeset_id=None,
                            origin_device_id=None, actor_id=None, entity="household",
                            entity_id=household, household_id=household, op="delete",
                            version=0, fields={}, target_device_id=device.id)
        active[household].left_seq = marker.server_seq
        active[household].left_at = utcnow()
    session.flush()


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


def _item(row: ChangeLog) -> FeedItem:
    return FeedItem(server_seq=row.server_seq, changeset_id=row.changeset_id,
                    origin_device_id=row.origin_device_id, actor_id=row.actor_id,
                    entity=row.entity,  # type: ignore[arg-type]
                    id=row.entity_id, household_id=row.household_id,
                    op=row.op,  # type: ignore[arg-type]
                    version=row.version, fields=dict(row.fields))


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
    held = principals(user)
    if not held:
        return 0
    visible = exists().where(HouseholdAccess.household_id == Conflict.household_id,
                             HouseholdAccess.principal.in_(held))
    return int(session.scalar(
        select(func.count()).select_from(Conflict).where(Conflict.status == "open", visible)
    ) or 0)


def pull_page(session: Session, user: User, device: Device, cursor: int,
              limit: int) -> PullResponse:
    sync_scope(session, user, device)
    rows = session.scalars(
        select(ChangeLog)
        .where(ChangeLog.server_seq > cursor, feed_condition(device))
        .order_by(ChangeLog.server_seq)
        .limit(limit + 1)
    ).all()
    items: list[FeedItem] = []
    removed: list[str] = []
    next_cursor = cursor
    processed = 0
    for row in rows:
        if len(items) >= limit:
            break
        if row.kind == "change":
            items.append(_item(row))
        elif row.kind == "scope_enter":
            assert row.household_id is not None
            if row.household_id in removed:
                removed.remove(row.household_id)
            entities = list(session.scalars(
                select(EntityRow).where(EntityRow.household_id == row.household_id)
            ))
            items.extend(_snapshot(session, row.server_seq, entities))
        elif row.kind == "scope_leave":
            assert row.household_id is not None
            if row.household_id not in removed:
                removed.append(row.household_id)
        elif row.kind == "directory":
            entities = list(session.scalars(
                select(EntityRow).where(EntityRow.entity.in_(DIRECTORY_ENTITIES))
            ))
            items.extend(_snapshot(session, row.server_seq, entities))
        next_cursor = row.server_seq
        processed += 1
    device.last_seen_at = utcnow()
    has_more = processed < len(rows) or len(rows) > limit
    return PullResponse(items=items, next_cursor=next_cursor, has_more=has_more,
                        removed_households=removed,
                        open_conflicts=count_open_conflicts(session, user),
                        reference_version=current_version(session))
