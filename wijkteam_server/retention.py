"""Purging closed cases at the end of their retention term (rules: ``wijkteam_app.sync.
retention``), with a purge log.

A household is purged as a whole once every case of it is closed and its term has passed:
its records, their feed history (the change log holds field values), conflicts, the payloads
of the change-sets about it, its attachments (files too) and its access grants. What stays:
the append-only audit log (ids, no personal data), the verdicts of change-sets (so a replayed
push stays idempotent, payload emptied) and one purge-log row. Laptops that still hold the
household are told at their next pull (it leaves their scope) and remove it.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from wijkteam_app.sync.retention import Term, household_term
from wijkteam_server import report_facts
from wijkteam_server.api.attachments import _final_path, _parts_dir
from wijkteam_server.db import read_session, utcnow, write_session
from wijkteam_server.models import (
    AppliedChangeSet,
    Attachment,
    ChangeLog,
    Conflict,
    Device,
    DeviceEntityChain,
    DeviceHousehold,
    EntityRow,
    HouseholdAccess,
    PurgeLogRow,
)
from wijkteam_server.settings import Settings

log = logging.getLogger("wijkteam_server.retention")


@dataclass(frozen=True, slots=True)
class Due:
    household_id: str
    term: Term


def _term(session: Session, household_id: str) -> Term | None:
    rows = session.scalars(select(EntityRow).where(EntityRow.household_id == household_id,
                                                   EntityRow.deleted.is_(False))).all()
    cases = [r.data for r in rows if r.entity == "case"]
    persons = [r.data for r in rows if r.entity == "person"]
    last = max((r.updated_at for r in rows), default=None)
    return household_term(cases, persons, last.date() if last else None)


def due(engine: Engine, today: date) -> list[Due]:
    """Households whose term has passed on `today`."""
    with read_session(engine) as session:
        households = session.scalars(select(EntityRow.entity_id).where(
            EntityRow.entity == "household", EntityRow.deleted.is_(False))).all()
        out = []
        for household_id in households:
            term = _term(session, household_id)
            if term is not None and term.due <= today:
                out.append(Due(household_id, term))
        return out


def purge(engine: Engine, settings: Settings, today: date) -> list[PurgeLogRow]:
    """Purge every household that is due; one transaction per household."""
    done = []
    for item in due(engine, today):
        with write_session(engine) as session:
            term = _term(session, item.household_id)  # again, inside the lock
            if term is None or term.due > today:
                continue
            done.append(_purge_one(session, settings, item.household_id, term))
    if done:
        log.warning("retention: %d household file(s) purged", len(done))
    return done


def _purge_one(session: Session, settings: Settings, household_id: str,
               term: Term) -> PurgeLogRow:
    rows = session.scalars(select(EntityRow).where(
        EntityRow.household_id == household_id)).all()
    keys = [(r.entity, r.entity_id) for r in rows]
    for entity, entity_id in keys:
        session.execute(delete(DeviceEntityChain).where(
            DeviceEntityChain.entity == entity, DeviceEntityChain.entity_id == entity_id))
        report_facts.forget(session, entity, entity_id)  # a purged file counts no more
    session.execute(delete(EntityRow).where(EntityRow.household_id == household_id))
    session.execute(delete(ChangeLog).where(ChangeLog.household_id == household_id,
                                            ChangeLog.kind == "change"))
    session.execute(delete(Conflict).where(Conflict.household_id == household_id))
    session.execute(update(AppliedChangeSet).where(
        AppliedChangeSet.household_id == household_id).values(payload={"purged": True}))
    session.execute(delete(HouseholdAccess).where(HouseholdAccess.household_id == household_id))
    # The devices that hold it reconcile their whole scope at their next pull (its changes
    # are gone from the feed, so the incremental check would not see it leave).
    session.execute(update(Device).where(Device.id.in_(
        select(DeviceHousehold.device_id).where(DeviceHousehold.household_id == household_id,
                                                DeviceHousehold.left_seq.is_(None))))
        .values(scope_seq=None))
    files = 0
    for attachment in session.scalars(select(Attachment).where(
            Attachment.household_id == household_id)).all():
        final = _final_path(settings, attachment.id)
        if final.exists():
            final.unlink()
            files += 1
        shutil.rmtree(_parts_dir(settings, attachment.id), ignore_errors=True)
        session.delete(attachment)
    entry = PurgeLogRow(household_id=household_id, regime=term.regime, term_years=term.years,
                        case_end=datetime.combine(term.case_end, datetime.min.time()),
                        due=datetime.combine(term.due, datetime.min.time()),
                        purged_at=utcnow(), records=len(keys), files=files)
    session.add(entry)
    session.flush()
    session.expunge(entry)
    return entry


def purge_log(engine: Engine) -> list[PurgeLogRow]:
    with read_session(engine) as session:
        rows = list(session.scalars(select(PurgeLogRow).order_by(PurgeLogRow.id)))
        session.expunge_all()
        return rows
