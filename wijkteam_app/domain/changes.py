"""What a save changed: the unit that sync sends and the audit log refers to.

A `ChangeSet` is written to the outbox in the same transaction as the records it describes.
It holds per entity the changed fields with old and new value and the base version the change
was made against, so the server can detect conflicts per field.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

JsonValue = Any  # str | int | float | bool | None | list | dict, as stored in the outbox


class Operation(enum.StrEnum):
    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: JsonValue
    new: JsonValue


@dataclass(frozen=True, slots=True)
class EntityChange:
    entity: str
    entity_id: str
    operation: Operation
    base_version: int
    fields: tuple[FieldChange, ...]

    def to_json(self) -> dict[str, JsonValue]:
        return {
            "entity": self.entity,
            "id": self.entity_id,
            "op": self.operation.value,
            "base_version": self.base_version,
            "fields": {f.field: {"old": f.old, "new": f.new} for f in self.fields},
        }

    @classmethod
    def from_json(cls, data: dict[str, JsonValue]) -> EntityChange:
        return cls(
            entity=data["entity"],
            entity_id=data["id"],
            operation=Operation(data["op"]),
            base_version=int(data["base_version"]),
            fields=tuple(
                FieldChange(name, value["old"], value["new"])
                for name, value in data["fields"].items()
            ),
        )


@dataclass(frozen=True, slots=True)
class ChangeSet:
    id: str  # UUID, makes a push idempotent
    device_id: str
    device_seq: int  # gap-free per device, so the server detects gaps and replays
    created_at: datetime
    actor_id: str
    action: str
    household_id: str | None
    changes: tuple[EntityChange, ...]
