"""Turns what a session flushes into `EntityChange`s, and bumps record versions.

Hooked to the session's ``before_flush`` event, so every insert, update and delete of an
`Entity` is caught, whichever repository made it. Several flushes in one transaction are
merged into one change per record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from wijkteam_app.domain.changes import EntityChange, FieldChange, JsonValue, Operation
from wijkteam_app.persistence.schema import Entity

UNTRACKED = frozenset({"id", "version"})


def to_json_value(value: Any) -> JsonValue:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json_value(v) for k, v in value.items()}
    return value


@dataclass
class _Pending:
    entity: str
    entity_id: str
    operation: Operation
    base_version: int
    household_id: str | None
    fields: dict[str, list[JsonValue]] = field(default_factory=dict)  # name -> [old, new]


class ChangeTracker:
    def __init__(self) -> None:
        self._pending: dict[tuple[str, str], _Pending] = {}

    def attach(self, session: Session) -> None:
        from sqlalchemy import event

        event.listen(session, "before_flush", self._before_flush)

    @property
    def changes(self) -> list[EntityChange]:
        out = []
        for p in self._pending.values():
            fields = tuple(
                FieldChange(name, old, new)
                for name, (old, new) in p.fields.items()
                if p.operation is not Operation.UPDATE or old != new
            )
            if p.operation is Operation.UPDATE and not fields:
                continue
            out.append(EntityChange(p.entity, p.entity_id, p.operation, p.base_version, fields))
        return out

    @property
    def household_ids(self) -> set[str]:
        return {p.household_id for p in self._pending.values() if p.household_id}

    def _before_flush(self, session: Session, _context: Any, _instances: Any) -> None:
        for obj in list(session.new):
            if isinstance(obj, Entity):
                self._record_insert(obj)
        for obj in list(session.dirty):
            if isinstance(obj, Entity) and session.is_modified(obj, include_collections=False):
                self._record_update(obj)
        for obj in list(session.deleted):
            if isinstance(obj, Entity):
                self._record_delete(obj)

    def _record_insert(self, obj: Entity) -> None:
        mapper = inspect(type(obj))
        values: dict[str, list[JsonValue]] = {}
        for column in mapper.column_attrs:
            if column.key in UNTRACKED:
                continue
            values[column.key] = [None, to_json_value(getattr(obj, column.key))]
        obj.version = 1
        self._pending[(obj.__entity__, obj.id)] = _Pending(
            obj.__entity__, obj.id, Operation.INSERT, 0, obj.household_scope(), values
        )

    def _record_update(self, obj: Entity) -> None:
        state = inspect(obj)
        key = (obj.__entity__, obj.id)
        pending = self._pending.get(key)
        if pending is None:
            pending = _Pending(obj.__entity__, obj.id, Operation.UPDATE, obj.version,
                               obj.household_scope())
            self._pending[key] = pending
            obj.version = obj.version + 1
        for attr in state.mapper.column_attrs:
            if attr.key in UNTRACKED:
                continue
            history = state.attrs[attr.key].history
            if not history.has_changes():
                continue
            new = to_json_value(history.added[0]) if history.added else None
            if attr.key in pending.fields:
                pending.fields[attr.key][1] = new
            else:
                old = to_json_value(history.deleted[0]) if history.deleted else None
                pending.fields[attr.key] = [old, new]

    def _record_delete(self, obj: Entity) -> None:
        key = (obj.__entity__, obj.id)
        if key in self._pending and self._pending[key].operation is Operation.INSERT:
            del self._pending[key]  # created and removed in one save: nothing happened
            return
        mapper = inspect(type(obj))
        base = self._pending[key].base_version if key in self._pending else obj.version
        values = {
            c.key: [to_json_value(getattr(obj, c.key)), None]
            for c in mapper.column_attrs
            if c.key not in UNTRACKED
        }
        self._pending[key] = _Pending(
            obj.__entity__, obj.id, Operation.DELETE, base, obj.household_scope(), values
        )
