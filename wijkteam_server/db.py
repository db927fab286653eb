"""Engine, sessions, the global write lock and the Alembic runner.

Writers are serialised: every write transaction first takes one lock (SQLite: ``BEGIN
IMMEDIATE``; PostgreSQL: a transaction-scoped advisory lock). That makes the change feed's
``server_seq`` commit in order, so a reader that has seen seq N has seen everything below N
(a cursor can never skip a slower, still-uncommitted writer), and it makes the per-field
conflict checks race-free. A municipal server handles a few hundred laptops; serialised
writes of a few milliseconds each are far from a bottleneck.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
WRITE_LOCK_KEY = 0x77696A6B  # arbitrary, constant advisory-lock id ("wijk")


def utcnow() -> datetime:
    """Naive UTC, as every timestamp column stores it."""
    return datetime.now(UTC).replace(tzinfo=None)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str) -> Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see _begin)
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = FULL")
            cur.execute("PRAGMA foreign_keys = ON")
            cur.execute("PRAGMA busy_timeout = 30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            write = conn.get_execution_options().get("wijkteam_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session, session.begin():
        yield session


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """One serialised write transaction; commits on success, rolls back on an exception."""
    bind = engine.execution_options(wijkteam_write=True)
    with Session(bind, expire_on_commit=False) as session, session.begin():
        if not is_sqlite(engine):
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK_KEY})
        yield session


def alembic_config(engine_connection: Any) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = engine_connection
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the schema to the head revision of the server's own chain."""
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")


def schema_state(engine: Engine) -> tuple[str | None, str]:
    """(current revision, head revision)."""
    head = ScriptDirectory.from_config(alembic_config(None)).get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    return current, str(head)
