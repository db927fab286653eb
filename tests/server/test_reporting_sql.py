"""The server's SQL aggregates against hand-known answers and against the app's domain, on
identical data, in SQLite and in PostgreSQL (in-process, on a database of their own)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

from tests.helpers.steering_cases import PEIL, SCENARIOS, START, TEAM, TODAY, Scenario
from tests.helpers.steering_facts import TEAMS, comparable, load_server, random_facts
from wijkteam_app.domain.indicators import Facts, HouseholdView, compute
from wijkteam_app.services.steering import figures_to_rows
from wijkteam_app.sync.aggregates import UNKNOWN_GROUP, Grouping, parse_period
from wijkteam_server.db import make_engine, upgrade
from wijkteam_server.reporting import ReportRequest
from wijkteam_server.reporting import compute as server_compute

H2 = parse_period("2026H2")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def report_engine(request: pytest.FixtureRequest,
                  tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('reports') / 'server.db'}")
        upgrade(engine)
        yield engine
        engine.dispose()
        return
    # A database of its own in the session's PostgreSQL cluster (the running test server
    # uses the default one).
    url = make_url(request.getfixturevalue("postgres_url"))
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS wijkteam_reports"))
        conn.execute(text("CREATE DATABASE wijkteam_reports"))
    engine = make_engine(url.set(database="wijkteam_reports").render_as_string(
        hide_password=False))
    upgrade(engine)
    yield engine
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS wijkteam_reports"))
    admin.dispose()


def by_key(rows: list[object]) -> dict[tuple[str, str], object]:
    return {(r.indicator, r.category): r for r in rows}  # type: ignore[attr-defined]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_hand_known_answers_in_sql(report_engine: Engine, scenario: Scenario) -> None:
    load_server(report_engine, scenario.facts, {TEAM: ("Team T", "Voorbeeldstad")})
    report = server_compute(report_engine, ReportRequest(H2, Grouping.TEAM, TODAY))
    assert report.peildatum == PEIL
    rows = by_key(report.rows)
    for key, expected in scenario.values.items():
        assert rows[key].value == pytest.approx(expected), key  # type: ignore[attr-defined]
    for key, expected in scenario.bases.items():
        assert rows[key].basis == expected, key  # type: ignore[attr-defined]
    app = figures_to_rows(compute(scenario.facts, START, PEIL,
                                  group_of=lambda _v: "Team T"))
    assert comparable(report.rows) == comparable(app)


def app_rows(facts: Facts, start: date, peil: date, per: Grouping,
             teams: dict[str, tuple[str, str | None]]) -> list[object]:
    def group_of(view: HouseholdView) -> str:
        if per is Grouping.WIJK:
            return view.wijk or UNKNOWN_GROUP
        name, municipality = teams[view.case.team_id]
        return name if per is Grouping.TEAM else (municipality or UNKNOWN_GROUP)
    return figures_to_rows(compute(facts, start, peil, group_of=group_of))


TEAM_NAMES = {TEAMS[0]: ("Team Een", "Voorbeeldstad"), TEAMS[1]: ("Team Twee", None)}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts=random_facts(), code=st.sampled_from(["2026H1", "2026H2", "2026"]),
       today=st.integers(0, 500).map(lambda n: date(2026, 1, 1) + timedelta(days=n)),
       per=st.sampled_from(list(Grouping)))
def test_server_and_app_agree_on_random_case_files(report_engine: Engine, facts: Facts,
                                                   code: str, today: date,
                                                   per: Grouping) -> None:
    period = parse_period(code)
    if not period.started(today):
        return
    load_server(report_engine, facts, TEAM_NAMES)
    report = server_compute(report_engine, ReportRequest(period, per, today))
    server = [r for r in report.rows if r.indicator != "usage_share"]
    app = app_rows(facts, period.start, period.peildatum(today), per, TEAM_NAMES)
    assert comparable(server) == comparable(app)  # type: ignore[arg-type]


# The fact tables that grow with every contact, assessment and plan change: the report reads
# them only through an index, from the households, cases, pairs or versions it needs.
BIG_FACTS = {"fact_contacts": "fact_contacts", "fact_assessment_items": "fact_assessment_items",
             "before": "fact_assessment_items", "after": "fact_assessment_items",
             "fact_plan_statuses": "fact_plan_statuses"}


def test_the_report_never_scans_the_big_fact_tables_on_sqlite(tmp_path: Path) -> None:
    """Without ``ANALYZE`` SQLite plans on fixed estimates, not on the number of rows, so
    the plans on this small database are those on a server with 50,000 households."""
    engine = make_engine(f"sqlite:///{tmp_path / 'server.db'}")
    upgrade(engine)
    load_server(engine, SCENARIOS[0].facts, {TEAM: ("Team T", "Voorbeeldstad")})
    plans: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def explain(_conn: Any, cursor: Any, statement: str, parameters: Any, _context: Any,
                _many: bool) -> None:
        if statement.lstrip().startswith(("SELECT", "INSERT")):
            rows = cursor.connection.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
            plans.extend(str(row[-1]) for row in rows)

    for per in Grouping:
        server_compute(engine, ReportRequest(H2, per, TODAY))
    engine.dispose()
    reads = [(BIG_FACTS[line.split()[1]], line) for line in plans
             if line.startswith(("SCAN ", "SEARCH ")) and line.split()[1] in BIG_FACTS]
    assert {table for table, _line in reads} == set(BIG_FACTS.values())
    assert all(line.startswith("SEARCH ") for _table, line in reads), reads
