"""Closed cases leave the laptop: a household whose cases are all closed for longer than the
municipal setting ``laptop_retention_days`` (default 30) and that went through the server is
removed from this laptop at a sync, once nothing of it waits to be sent. The server keeps it
(until its own retention term, ``wijkteam_server.retention``); a profile that never synced
keeps everything (it is the only copy).

It rides on the sync engine's removal path: the household is marked like one that left the
worker's scope (`SyncRemovalRecord`), and the engine removes it only when no local change,
upload or refused change of it remains.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy import case as sql_case

from wijkteam_app.persistence.casefile import CaseFile, utcnow
from wijkteam_app.persistence.schema import CaseRecord
from wijkteam_app.persistence.sync_schema import SyncRemovalRecord
from wijkteam_app.services import municipal
from wijkteam_app.sync.state import load_state

log = logging.getLogger(__name__)

ACTION = "bewaartermijn.laptop"


def laptop_retention_days(casefile: CaseFile) -> int:
    return municipal.int_setting(casefile, "laptop_retention_days", 1, 3650)


def schedule_expired(casefile: CaseFile, actor_id: str, today: date,
                     days: int | None = None) -> list[str]:
    """Mark the households due to leave this laptop; returns their ids."""
    days = laptop_retention_days(casefile) if days is None else days
    limit = today - timedelta(days=days)
    with casefile.read() as session:
        state = load_state(session)
        if state is None or not state.logged_in:
            return []
        # In SQL, one pass over the cases table (a sync with nothing to do must stay cheap
        # as the file grows; loading every case as an object cost ~20 ms per 2,000).
        every_case_closed = func.sum(sql_case(
            (and_(CaseRecord.status == "afgesloten", CaseRecord.closed_on.is_not(None)), 0),
            else_=1)) == 0
        due = list(session.scalars(
            select(CaseRecord.household_id)
            .where(CaseRecord.household_id.not_in(select(SyncRemovalRecord.household_id)))
            .group_by(CaseRecord.household_id)
            .having(every_case_closed, func.max(CaseRecord.closed_on) <= limit)
            .order_by(CaseRecord.household_id)))
        for household in due:
            session.add(SyncRemovalRecord(household_id=household, told_at=utcnow(),
                                          told_cursor=state.cursor, blocked_reason=None))
    for household in due:
        casefile.audit(actor_id, ACTION, "huishouden", household, "gepland",
                       household_id=household,
                       purpose=f"Afgesloten en gesynchroniseerd, ouder dan {days} dagen")
    if due:
        log.info("retention: %d household(s) due to leave this laptop", len(due))
    return due
