"""Drafts: what a worker typed but has not saved, kept (encrypted, in the case file) while
typing so a crash or power loss loses nothing. Offered back on the next start."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from wijkteam_app.persistence.casefile import utcnow
from wijkteam_app.persistence.schema import DraftRecord
from wijkteam_app.services.profile import Workspace


@dataclass(frozen=True, slots=True)
class Draft:
    key: str  # e.g. "intake:new" or "person:<id>"
    kind: str  # which form: "intake", "zrm", ...
    title: str  # what the worker sees in "Niet opgeslagen werk" (no personal data needed)
    payload: dict[str, Any]
    updated_at: datetime


class DraftService:
    def __init__(self, workspace: Workspace) -> None:
        self._db = workspace.casefile

    def keep(self, key: str, kind: str, title: str, payload: dict[str, Any]) -> None:
        """Store or replace the draft under `key` (one small transaction)."""
        with self._db.read() as session:
            record = session.get(DraftRecord, key)
            if record is None:
                session.add(DraftRecord(key=key, kind=kind, title=title, payload=payload,
                                        updated_at=utcnow()))
            else:
                record.kind, record.title, record.payload = kind, title, payload
                record.updated_at = utcnow()

    def get(self, key: str) -> Draft | None:
        with self._db.read() as session:
            record = session.get(DraftRecord, key)
            return _draft(record) if record else None

    def all(self) -> list[Draft]:
        with self._db.read() as session:
            rows = session.scalars(select(DraftRecord).order_by(DraftRecord.updated_at.desc()))
            return [_draft(r) for r in rows]

    def discard(self, key: str) -> None:
        with self._db.read() as session:
            session.execute(delete(DraftRecord).where(DraftRecord.key == key))


def _draft(record: DraftRecord) -> Draft:
    return Draft(record.key, record.kind, record.title, dict(record.payload), record.updated_at)
