"""Retention (real laptops and server; SQLite and PostgreSQL): closed and synced cases leave
the laptop after the configured days while the server keeps them; on the server a closed
household is purged after its term (15 years Wmo, 20 years Jeugd, 5 years schuldhulp, from
the end of the case) with a purge log, and laptops that still hold it drop it."""

from __future__ import annotations

import dataclasses
import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from tests.conftest import FAST_KDF, PASSPHRASE
from tests.helpers import factories
from tests.server.conftest import Server
from tests.sync.conftest import Laptop
from tests.sync.test_attachments import store_scan
from tests.sync.test_server_at_rest import fresh_server  # noqa: F401
from wijkteam_app.domain.cases import CaseStatus, ProblemArea
from wijkteam_app.paths import ProfilePaths
from wijkteam_app.persistence.reference_schema import ReferenceStateRecord
from wijkteam_app.services import municipal
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import init_profile, unlock
from wijkteam_app.services.retention import look_due, schedule_expired
from wijkteam_app.sync.engine import look as sync_look
from wijkteam_app.sync.retention import household_term
from wijkteam_server.models import AuditLogRow, EntityRow, FactCase, PurgeLogRow


def close(laptop: Laptop, household_id: str, days_ago: int,
          areas: tuple[ProblemArea, ...] = ()) -> None:
    [overview] = laptop.households.cases(household_id)
    case = overview.case
    laptop.households.save_case(dataclasses.replace(
        case, status=CaseStatus.AFGESLOTEN, problem_areas=areas,
        closed_on=laptop.workspace.today() - timedelta(days=days_ago)))


def test_terms() -> None:
    adult = {"birth_date": "1980-01-01"}
    child = {"birth_date": "2015-01-01"}
    closed = {"status": "afgesloten", "closed_on": "2026-03-01", "problem_areas": ["arbeid"]}
    money = {**closed, "problem_areas": ["inkomen", "besteding"]}
    assert household_term([closed], [adult]).due == date(2041, 3, 1)  # type: ignore[union-attr]
    assert household_term([money], [adult]).due == date(2031, 3, 1)  # type: ignore[union-attr]
    jeugd = household_term([money], [adult, child], date(2026, 5, 1))
    assert jeugd is not None and (jeugd.regime, jeugd.due) == ("jeugd", date(2046, 5, 1))
    assert household_term([{**closed, "status": "uitvoering"}], [adult]) is None
    assert household_term([], [adult]) is None


def test_closed_and_synced_cases_leave_the_laptop(
        server: Server, make_laptop, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    team = server.team()
    worker = make_laptop(server.account(team))
    coach = make_laptop(server.account(team, "teamcoach"))
    old, _ = worker.new_household("Huishouden Lang Gesloten")
    recent, _ = worker.new_household("Huishouden Net Gesloten")
    running, _ = worker.new_household("Huishouden Loopt Nog")
    worker.sync_ok()
    close(worker, old, 40)
    close(worker, recent, 5)
    report = worker.sync_ok()  # the closing goes up first, then the old file leaves
    assert report.removed == 1
    assert not worker.has_household(old)
    assert worker.has_household(recent) and worker.has_household(running)
    coach.sync_ok()
    assert coach.has_household(old)  # the server keeps it

    # The municipality shortens the laptop term on the server: the setting arrives with one
    # sync, and the file that is now past it leaves at the next.
    assert server.cli("setting", "set", "laptop_retention_days", "3").returncode == 0
    assert worker.sync_ok().reference_updated
    assert municipal.setting(worker.workspace.casefile, "laptop_retention_days") == 3
    worker.sync_ok()
    assert not worker.has_household(recent)

    # A profile that never synced is the only copy: nothing leaves it.
    paths = ProfilePaths(tmp_path / "alleen-lokaal")
    init_profile(paths, PASSPHRASE, kdf=FAST_KDF)
    local = unlock(paths, PASSPHRASE)
    try:
        assert schedule_expired(local.casefile, local.actor_id, date(2099, 1, 1), 1) == []
    finally:
        local.close()


def test_a_closed_case_becomes_due_on_a_later_day_without_any_new_change(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    """A sync with nothing new skips the look at the cases; a day later the look is made
    again, so a file that passed its term meanwhile still leaves."""
    worker = make_laptop(server.account(server.team()))
    household, _ = worker.new_household("Huishouden Later Weg")
    close(worker, household, 0)  # closed today: not due under any term the server sets
    worker.sync_ok()
    worker.sync_ok()  # nothing new: the look is skipped
    ws = worker.workspace
    assert schedule_expired(ws.casefile, ws.actor_id, ws.today()) == []
    assert worker.has_household(household)
    assert schedule_expired(ws.casefile, ws.actor_id, ws.today() + timedelta(days=31)) \
        == [household]


def test_the_server_purges_after_the_term_with_a_log(
        fresh_server: Server, tmp_path: Path) -> None:  # noqa: F811
    srv = fresh_server
    team = srv.team()
    worker = Laptop(tmp_path, srv, srv.account(team))
    try:
        wmo, _ = worker.new_household("Huishouden Wmo")
        money, _ = worker.new_household("Huishouden Schulden")
        family = factories.household("Huishouden Jeugd")
        worker.households.create(family, [
            factories.person(family.id),
            factories.person(family.id, first="Daan", birth=date(2016, 4, 1))])
        worker.households.save_case(dataclasses.replace(
            worker.households.cases(wmo)[0].case, id=factories.new_id(),
            household_id=family.id, version=0))
        worker.sync_ok()
        scan = store_scan(worker, wmo, b"%PDF-1.4\n" + os.urandom(2048))
        for household, areas in ((wmo, (ProblemArea.ARBEID,)),
                                 (money, (ProblemArea.INKOMEN,)),
                                 (family.id, (ProblemArea.ARBEID,))):
            close(worker, household, 1, areas)
        worker.sync_ok()
        today = worker.workspace.today()

        in_six = (today + timedelta(days=6 * 366)).isoformat()
        dry = srv.cli("retention", "purge", "--dry-run", "--today", in_six)
        assert dry.returncode == 0, dry.stderr
        assert money in dry.stdout and "schuldhulp" in dry.stdout and wmo not in dry.stdout
        with Session(srv.engine) as session:
            assert session.scalar(select(EntityRow).where(EntityRow.household_id == money))

        in_sixteen = (today + timedelta(days=16 * 366)).isoformat()
        done = srv.cli("retention", "purge", "--today", in_sixteen)
        assert done.returncode == 0, done.stderr
        assert "2 dossier(s) vernietigd" in done.stdout
        with Session(srv.engine) as session:
            left = set(session.scalars(select(EntityRow.household_id).distinct()))
            log = session.scalars(select(PurgeLogRow).order_by(PurgeLogRow.id)).all()
            audit = session.scalars(select(AuditLogRow).where(
                AuditLogRow.household_id == wmo)).all()
            counted = set(session.scalars(select(FactCase.household_id).distinct()))
        assert wmo not in counted and money not in counted and family.id in counted  # reports
        assert wmo not in left and money not in left and family.id in left  # jeugd: 20 years
        assert {(r.household_id, r.regime, r.term_years) for r in log} == {
            (wmo, "wmo", 15), (money, "schuldhulp", 5)}
        assert audit, "the access log outlives the file (ids only)"
        assert not (srv.data_dir / "attachments" / f"{scan}.bin").exists()
        listing = srv.cli("retention", "log")
        assert wmo in listing.stdout and "wmo" in listing.stdout
        with pytest.raises(DBAPIError), srv.engine.begin() as conn:
            conn.execute(text("DELETE FROM purge_log"))

        # The laptop that still held them drops them at its next sync.
        worker.sync_ok()
        assert not worker.has_household(wmo) and not worker.has_household(money)
        assert worker.has_household(family.id)
        assert HouseholdService(worker.workspace).get(family.id).household.name == \
            "Huishouden Jeugd"
    finally:
        worker.close()


def test_the_quick_check_of_a_sync_sees_a_new_day_a_new_term_and_a_save(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    """Every sync asks cheaply whether the cases must be looked at again; it must say yes
    whenever something could have become due: another day, another term, a local save."""
    worker = make_laptop(server.account(server.team()))
    household, _ = worker.new_household("Huishouden Snel Gekeken")
    worker.sync_ok()
    worker.sync_ok()
    ws = worker.workspace

    def due(day: date) -> bool:
        with ws.casefile.read() as session:
            found = sync_look(session)
            assert found is not None and found.logged_in
            return look_due(session, day, found.cursor)

    assert not due(ws.today())  # the last sync looked, nothing moved since
    assert due(ws.today() + timedelta(days=1))
    with ws.casefile.read() as session:  # a new term, as the next reference data brings it
        reference = session.get(ReferenceStateRecord, 1)
        assert reference is not None
        reference.settings = {**reference.settings, "laptop_retention_days": 10}
    assert due(ws.today())
    schedule_expired(ws.casefile, ws.actor_id, ws.today())  # looks, with the new term
    assert not due(ws.today())
    close(worker, household, 0)  # a local save
    assert due(ws.today())
