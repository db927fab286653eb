"""The access log (NEN 7513): who looked at, printed, exported or changed a household's file,
when, from which device, and why where the worker was asked.

It is the audit log itself: views, prints and exports are audit entries in the same hash
chain as every save (`CaseFile.audit`), with the household they concern. A view is logged
without an fsync of its own (see `CaseFile.audit(durable=False)`), so opening a household
stays fast. The whole chain goes to the server at every sync (`push_audit_chain`), which
checks every link and keeps it append-only; "Wie heeft dit dossier ingezien" shows this
laptop's entries together with the server's (other laptops').
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wijkteam_app.persistence.casefile import (
    CaseFile,
    driver,
    set_state,
    sqlite_text,
    state_value_query,
)
from wijkteam_app.persistence.schema import AuditRecord, WorkerRecord
from wijkteam_app.services.profile import Workspace

if TYPE_CHECKING:  # the sync stack (pydantic, httpx) loads when a sync needs it, not at start
    from wijkteam_app.sync.protocol import AccessLogEntry
    from wijkteam_app.sync.transport import Transport

log = logging.getLogger(__name__)

VIEW_HOUSEHOLD = "inzage.huishouden"
PRINT_PLAN = "plan.afdrukken"
SAVE_PLAN_PDF = "plan.pdf_opslaan"
PUSHED_KEY = "audit_pushed_id"


@dataclass(frozen=True, slots=True)
class AccessEntry:
    at: datetime  # naive UTC
    actor_id: str
    actor_name: str  # "" when this laptop does not know the worker
    action: str
    object_type: str
    object_id: str
    purpose: str | None
    device_id: str
    this_device: bool
    hash: str


class AccessLogService:
    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace
        self._db = workspace.casefile

    # ------------------------------------------------------------------ recording

    def viewed_household(self, household_id: str) -> None:
        """The household page was opened (not durable on its own: no fsync on the UI path)."""
        self._db.audit(self._ws.actor_id, VIEW_HOUSEHOLD, "huishouden", household_id,
                       household_id=household_id, durable=False)

    def plan_output(self, household_id: str, version_id: str, printed: bool,
                    purpose: str | None = None) -> None:
        """The plan was printed or saved as a PDF file."""
        self._db.audit(self._ws.actor_id, PRINT_PLAN if printed else SAVE_PLAN_PDF,
                       "planversie", version_id, household_id=household_id,
                       purpose=purpose or None)

    def record(self, action: str, object_type: str, object_id: str, household_id: str,
               purpose: str | None = None) -> None:
        """Any other read worth logging (an inzage export, a shared contact detail)."""
        self._db.audit(self._ws.actor_id, action, object_type, object_id,
                       household_id=household_id, purpose=purpose or None)

    # ------------------------------------------------------------------ reading

    def local_entries(self, household_id: str) -> list[AccessEntry]:
        with self._db.read() as session:
            rows = session.scalars(select(AuditRecord)
                                   .where(AuditRecord.household_id == household_id)
                                   .order_by(AuditRecord.id)).all()
            names = self._names(session, {r.actor_id for r in rows})
            return [AccessEntry(r.at, r.actor_id, names.get(r.actor_id, ""), r.action,
                                r.object_type, r.object_id, r.purpose, r.device_id,
                                r.device_id == self._db.device_id, r.hash) for r in rows]

    def merged(self, household_id: str,
               remote: Iterable[AccessLogEntry] = ()) -> list[AccessEntry]:
        """This laptop's entries and the server's (other devices'), newest first; an entry
        both hold (this laptop's, already sent) appears once."""
        entries = {(e.device_id, e.hash): e for e in self.local_entries(household_id)}
        with self._db.read() as session:
            remote = list(remote)
            names = self._names(session, {r.actor_id for r in remote})
        for r in remote:
            key = (r.device_id, r.hash)
            if key in entries:
                continue
            entries[key] = AccessEntry(
                r.at.astimezone(UTC).replace(tzinfo=None), r.actor_id,
                r.actor_name or names.get(r.actor_id, ""), r.action, r.object_type,
                r.object_id, r.purpose, r.device_id, r.device_id == self._db.device_id, r.hash)
        return sorted(entries.values(), key=lambda e: e.at, reverse=True)

    @staticmethod
    def _names(session: Session, ids: set[str]) -> dict[str, str]:
        if not ids:
            return {}
        return dict(session.execute(select(WorkerRecord.id, WorkerRecord.display_name)
                                    .where(WorkerRecord.id.in_(ids))).all())


@cache
def _heads_sql() -> str:
    """How far the server has the chain, and where it ends here."""
    return sqlite_text(select(
        state_value_query(PUSHED_KEY),
        select(func.max(AuditRecord.id)).scalar_subquery()))


def push_audit_chain(casefile: CaseFile, transport: Transport) -> int:
    """Send the audit entries the server does not have yet, in order; returns how many went.
    A lost answer is harmless (the server accepts entries it holds again when identical). A
    gap (the server knows less than this laptop thinks, e.g. after a restore from a backup)
    is closed by sending the chain from its start once; a broken chain is refused by the
    server, logged on both sides, and never stored."""
    from wijkteam_app.sync.protocol import MAX_AUDIT_ENTRIES_PER_PUSH, AuditEntry, AuditPush
    from wijkteam_app.sync.transport import Refused

    sent = 0
    restarted = False
    while True:
        with casefile.read() as session:
            pushed, newest = driver(session).execute(_heads_sql()).fetchone()
            after = int(pushed or "0")
            if (newest or 0) <= after:  # the usual answer: one small read, no rows loaded
                return sent
            rows = session.scalars(select(AuditRecord).where(AuditRecord.id > after)
                                   .order_by(AuditRecord.id)
                                   .limit(MAX_AUDIT_ENTRIES_PER_PUSH)).all()
        if not rows:
            return sent
        entries = [AuditEntry(local_id=r.id, at=r.at, actor_id=r.actor_id, action=r.action,
                              object_type=r.object_type, object_id=r.object_id,
                              result=r.result, changeset_id=r.changeset_id,
                              household_id=r.household_id, purpose=r.purpose,
                              prev_hash=r.prev_hash, hash=r.hash) for r in rows]
        try:
            answer = transport.push_audit(AuditPush(entries=entries))
        except Refused as exc:
            if str(exc) == "audit_gap" and not restarted:
                restarted = True
                with casefile.read() as session:
                    set_state(session, PUSHED_KEY, "0")
                continue
            log.warning("audit chain refused by the server: %s", exc)
            return sent
        stored = answer.stored_through
        sent += sum(1 for e in entries if e.local_id <= stored)
        with casefile.read() as session:
            set_state(session, PUSHED_KEY, str(stored))
        if stored <= after:
            log.warning("audit push made no progress")
            return sent
