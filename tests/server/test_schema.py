"""The server's Alembic chain creates exactly what its ORM models declare."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from wijkteam_server.db import make_engine, schema_state, upgrade
from wijkteam_server.models import Base, ReferenceState, SocialeKaartEntry


def test_migrations_match_models(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'server.db'}")
    upgrade(engine)
    current, head = schema_state(engine)
    assert current == head
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                Base.metadata)
    engine.dispose()
    assert diff == []


def test_upgrade_is_idempotent(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'server.db'}")
    upgrade(engine)
    upgrade(engine)
    assert schema_state(engine)[0] == schema_state(engine)[1]
    engine.dispose()


def _downgraded_to_first(engine: Engine) -> None:
    from alembic import command

    from wijkteam_server.db import alembic_config

    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")


def _kaart_conversion(engine: Engine) -> None:
    """A kaart loaded in the first server's format keeps its rows, converted to the app's
    schema; the reference bundle gets its version row."""
    _downgraded_to_first(engine)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO sociale_kaart (id, name, category, description, wijken, contact, "
            "extra, updated_at) VALUES (:id, :name, :category, :description, :wijken, "
            ":contact, :extra, :at)"), [
            {"id": "oud-1", "name": "Buurthuis", "category": "algemeen", "description": "",
             "wijken": '["Noord"]', "contact": "ma-vr", "at": "2026-01-01 10:00:00",
             "extra": json.dumps({"provider": "Welzijn", "cost_cents": 450,
                                  "product_code": "L01HH1", "within_mandate": False})},
            {"id": "oud-2", "name": "Iets anders", "category": "vrije tijd",
             "description": "Tekst", "wijken": "[]", "contact": "", "extra": "{}",
             "at": "2026-01-01 10:00:00"},
        ])
    upgrade(engine)
    with Session(engine) as session:
        rows = {r.id: r for r in session.scalars(select(SocialeKaartEntry))}
        first, second = rows["oud-1"], rows["oud-2"]
        assert (first.provider, first.level, first.cost_cents, first.product_code,
                first.within_mandate, first.wijken, first.contact) == (
            "Welzijn", "algemeen", 450, "L01HH1", False, ["Noord"], "ma-vr")
        assert (second.level, second.provider, second.cost_cents, second.within_mandate) == (
            "algemeen", "", None, True)
        assert second.description == "Tekst\n(categorie: vrije tijd)"
        state = session.get(ReferenceState, 1)
        assert state is not None and len(state.version) == 32 and state.settings == {}


def test_migration_0003_converts_an_old_kaart_on_sqlite(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'server.db'}")
    try:
        _kaart_conversion(engine)
    finally:
        engine.dispose()


def test_migration_0003_converts_an_old_kaart_on_postgresql(postgres_url: str) -> None:
    name = f"wijkteam_mig_{uuid.uuid4().hex[:8]}"
    admin_engine = make_engine(postgres_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(postgres_url.rsplit("/", 1)[0] + f"/{name}")
    try:
        _kaart_conversion(engine)
    finally:
        engine.dispose()
        with admin_engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}"'))
        admin_engine.dispose()
