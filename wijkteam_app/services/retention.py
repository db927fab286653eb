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
from functools import cache

from sqlalchemy import and_, func, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session

from wijkteam_app.persistence.casefile import (
    CaseFile,
    driver,
    get_state,
    set_state,
    sqlite_text,
    state_value_query,
    utcnow,
)
from wijkteam_app.persistence.reference_schema import ReferenceStateRecord
from wijkteam_app.persistence.schema import CaseRecord
from wijkteam_app.persistence.sync_schema import SyncRemovalRecord
from wijkteam_app.services import municipal
from wijkteam_app.sync.reference import STATE_ID
from wijkteam_app.sync.state import load_state

log = logging.getLogger(__name__)

ACTION = "bewaartermijn.laptop"
CHECKED_KEY = "bewaartermijn.laptop.gekeken"  # local state: what the last look saw


_DAYS = ("laptop_retention_days", 1, 3650)  # the setting and its bounds


def laptop_retention_days(casefile: CaseFile) -> int:
    return municipal.int_setting(casefile, *_DAYS)


def _looked(today: date, days: int, device_seq: object, cursor: int) -> str:
    """What a look at the cases saw: the limit date, the last local save and the feed
    position. Something can only have become due when one of them moved."""
    return f"{(today - timedelta(days=days)).isoformat()}|{device_seq or 0}|{cursor}"


@cache
def _quick_sql() -> str:
    return sqlite_text(select(
        state_value_query(municipal.MUNICIPAL_SETTINGS_KEY),
        select(ReferenceStateRecord.settings).where(ReferenceStateRecord.id == STATE_ID)
        .scalar_subquery(),
        state_value_query("device_seq"), state_value_query(CHECKED_KEY)))


def look_due(session: Session, today: date, cursor: int) -> bool:
    """Whether `schedule_expired` would look at the cases now (a logged-in profile at feed
    position `cursor`). One small read, for every sync: the look itself runs only when this
    says so."""
    stored, server, device_seq, checked = driver(session).execute(_quick_sql()).fetchone()
    days = municipal.clamped(municipal.merged(stored, server), *_DAYS)
    return bool(_looked(today, days, device_seq, cursor) != checked)


def schedule_expired(casefile: CaseFile, actor_id: str, today: date,
                     days: int | None = None) -> list[str]:
    """Mark the households due to leave this laptop; returns their ids."""
    with casefile.read() as session:  # one session: a sync with nothing to do stays cheap
        state = load_state(session)
        if state is None or not state.logged_in:
            return []
        if days is None:
            days = municipal.clamped(municipal.settings_in(session), *_DAYS)
        limit = today - timedelta(days=days)
        # Only when something could have become due since the last look: another day (or
        # term), a local save (device_seq) or a pulled change (the cursor). A sync with
        # nothing to do then costs no pass over the cases, however big the file.
        looked = _looked(today, days, get_state(session, "device_seq"), state.cursor)
        if get_state(session, CHECKED_KEY) == looked:
            return []
        set_state(session, CHECKED_KEY, looked)
        # In SQL, one pass over the cases table (loading every case as an object cost ~20
        # ms per 2,000).
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
