"""The hash chain of the audit log, shared by the laptop (which writes it) and the server
(which receives it and checks every link). Pure: hashlib and json only.

Each entry's hash is SHA-256 over the JSON array of the previous hash and the entry's fields.
``household_id`` and ``purpose`` (the access-log fields, NEN 7513) join the array only when one
of them is set, so every entry written before they existed keeps its hash.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

GENESIS_HASH = "0" * 64


def entry_hash(prev_hash: str, at: datetime, device_id: str, actor_id: str, action: str,
               object_type: str, object_id: str, result: str, changeset_id: str | None,
               household_id: str | None = None, purpose: str | None = None) -> str:
    """`at` is naive UTC, as the case file stores it."""
    fields: list[str | None] = [prev_hash, at.isoformat(), device_id, actor_id, action,
                                object_type, object_id, result, changeset_id]
    if household_id is not None or purpose is not None:
        fields += [household_id, purpose]
    payload = json.dumps(fields, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()
