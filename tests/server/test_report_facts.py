"""The report's facts stay in step with the records: through real pushes (insert, update,
delete, a conflict resolved so a deleted record comes back), through the migration that fills
them for an existing server, and never holding personal data. SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from alembic import command
from hypothesis import HealthCheck, given, settings
from sqlalchemy import Connection, Engine, create_engine, delete, insert, select, text
from sqlalchemy.engine import make_url

from tests.helpers.steering_facts import (
    SECRET_BIRTH,
    SECRET_BSN,
    SECRET_NAME,
    SECRET_STREET,
    random_facts,
    server_dicts,
)
from tests.server.conftest import Server
from tests.server.laptop import Laptop, new_id, plan_content, plan_fields, support
from tests.server.test_sync import case_household, results
from wijkteam_app.domain.indicators import Facts
from wijkteam_server import report_facts
from wijkteam_server.db import alembic_config, make_engine, upgrade
from wijkteam_server.models import EntityRow

Snapshot = dict[str, list[tuple[Any, ...]]]


def snapshot(conn: Connection) -> Snapshot:
    return {table.name: sorted(tuple(row) for row in conn.execute(select(table)))
            for table in report_facts.ALL_TABLES}


def facts_and_rebuilt(engine: Engine) -> tuple[Snapshot, Snapshot]:
    """The fact tables as the server keeps them, and as a rebuild from ``entities`` makes
    them (the rebuild is rolled back)."""
    with engine.connect() as conn:
        kept = snapshot(conn)
        report_facts.rebuild(conn)
        rebuilt = snapshot(conn)
        conn.rollback()
    return kept, rebuilt


def facts_of(engine: Engine, table: Any, key: str) -> list[Any]:
    with engine.connect() as conn:
        first = next(iter(table.primary_key.columns))
        return list(conn.execute(select(table).where(first == key)))


def test_pushes_and_a_resolved_conflict_keep_the_facts_in_step(server: Server) -> None:
    worker, hh, case_id = case_household(server)
    colleague = Laptop(server, server.account(worker.account.team))
    coach = Laptop(server, server.account(worker.account.team, "teamcoach"))
    engine = server.engine
    assert facts_of(engine, report_facts.HOUSEHOLDS, hh)[0].wijk == "Noord"

    # Updates: the household moves to another wijk, the case gets a criterion and a
    # colleague in its case team; a contact and a plan with maatwerk are added.
    contact, version = new_id(), new_id()
    worker.save("x", [
        worker.update("household", hh, wijk="Oost"),
        worker.update("case", case_id, urgency=["kwetsbaarheid"],
                      case_team_ids=[colleague.user_id]),
        worker.insert("contact_moment", contact, {
            "case_id": case_id, "household_id": hh, "on": "2026-02-01",
            "duration_minutes": 45, "kind": "huisbezoek", "worker_id": worker.user_id,
            "with_whom": "", "notes": f"Gesprek met {SECRET_NAME}"}),
        worker.insert("plan_version", version, plan_fields(
            hh, worker.user_id, content=plan_content(worker.user_id, [support()]))),
    ], hh)
    assert [r["status"] for r in results(worker.push())] == ["accepted"]
    assert facts_of(engine, report_facts.HOUSEHOLDS, hh)[0].wijk == "Oost"
    assert [r.criterion for r in facts_of(engine, report_facts.URGENCY, case_id)] == [
        "kwetsbaarheid"]
    assert facts_of(engine, report_facts.CONTACTS, contact)[0].minutes == 45
    assert [(r.product_code, r.cost_cents) for r in
            facts_of(engine, report_facts.SUPPORT, version)] == [("L06SB1", 100_000)]
    assert [r.to_status for r in facts_of(engine, report_facts.STATUSES, version)] == [
        "concept"]

    # A deletion removes the facts. The colleague, who had the contact, changes it after the
    # deletion: a conflict, and the facts stay gone until someone chooses.
    colleague.pull()
    worker.pull()
    worker.save("x", [worker.delete("contact_moment", contact)], hh)
    assert results(worker.push())[0]["status"] == "accepted"
    assert facts_of(engine, report_facts.CONTACTS, contact) == []
    colleague.save("x", [colleague.update("contact_moment", contact, duration_minutes=60)], hh)
    verdict = results(colleague.push())[0]
    assert verdict["status"] == "conflict"
    assert facts_of(engine, report_facts.CONTACTS, contact) == []
    # The coach keeps the colleague's change: the contact comes back, with 60 minutes.
    response = coach.post(f"/api/v1/conflicts/{verdict['conflict_ids'][0]}/resolve",
                          json={"choice": "mine"})
    assert response.status_code == 200, response.text
    assert facts_of(engine, report_facts.CONTACTS, contact)[0].minutes == 60

    kept, rebuilt = facts_and_rebuilt(engine)
    assert kept == rebuilt
    for laptop in (worker, colleague, coach):
        laptop.close()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fresh_engine(request: pytest.FixtureRequest,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """An empty server database of its own (not the running test server's)."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('facts') / 'server.db'}")
        yield engine
        engine.dispose()
        return
    url = make_url(request.getfixturevalue("postgres_url"))
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS wijkteam_facts"))
        conn.execute(text("CREATE DATABASE wijkteam_facts"))
    engine = make_engine(url.set(database="wijkteam_facts").render_as_string(
        hide_password=False))
    yield engine
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS wijkteam_facts"))
    admin.dispose()


def to_revision(engine: Engine, revision: str) -> None:
    with engine.begin() as conn:
        cfg = alembic_config(conn)
        current = conn.execute(text("SELECT version_num FROM alembic_version")).scalar() \
            if engine.dialect.has_table(conn, "alembic_version") else None
        if current is not None and current >= revision:
            command.downgrade(cfg, revision)
        else:
            command.upgrade(cfg, revision)


@settings(max_examples=15, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(facts=random_facts())
def test_the_migration_fills_the_facts_of_an_existing_server(fresh_engine: Engine,
                                                             facts: Facts) -> None:
    """A server with records from before revision 0009: the upgrade fills the facts exactly
    as a rebuild (and so as the sync engine's writes) would."""
    to_revision(fresh_engine, "0008")
    rows = server_dicts(facts)  # at least one household
    rows.append({**rows[0], "entity_id": "deleted-household", "deleted": True})
    with fresh_engine.begin() as conn:
        conn.execute(delete(EntityRow))
        conn.execute(insert(EntityRow), rows)
    upgrade(fresh_engine)
    kept, rebuilt = facts_and_rebuilt(fresh_engine)
    assert kept == rebuilt
    assert all(h[0] != "deleted-household" for h in kept["fact_households"])


def test_the_facts_hold_no_personal_data(fresh_engine: Engine) -> None:
    from tests.helpers.steering_cases import SCENARIOS

    upgrade(fresh_engine)
    every = Facts(
        [h for s in SCENARIOS for h in s.facts.households],
        [c for s in SCENARIOS for c in s.facts.cases],
        [k for s in SCENARIOS for k in s.facts.contacts],
        [a for s in SCENARIOS for a in s.facts.assessments],
        [v for s in SCENARIOS for v in s.facts.plan_versions],
        [g for s in SCENARIOS for g in s.facts.signatures],
        [t for s in SCENARIOS for t in s.facts.toetsen],
        [e for s in SCENARIOS for e in s.facts.regie_events],
        experiences=[x for s in SCENARIOS for x in s.facts.experiences])
    rows = {(r["entity"], r["entity_id"]): r for r in server_dicts(every)}
    with fresh_engine.begin() as conn:
        conn.execute(delete(EntityRow))
        conn.execute(insert(EntityRow), list(rows.values()))
        report_facts.rebuild(conn)
        kept = snapshot(conn)
    text_of_facts = repr(kept)
    assert kept["fact_households"] and kept["fact_experiences"]
    for secret in (SECRET_NAME, SECRET_STREET, SECRET_BSN, SECRET_BIRTH, "Geheim",
                   "tevreden", "Gesprek"):
        assert secret not in text_of_facts, secret
