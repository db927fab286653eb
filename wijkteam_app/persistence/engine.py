"""Engine factory: one long-lived SQLCipher connection keyed with a raw 256-bit key.

The key is set before any other statement (SQLCipher >= 4.7 requires it); a raw key skips
SQLCipher's per-connection PBKDF2, so opening costs about a millisecond. The pool holds a
single connection, so there is exactly one writer per process (see perf-security-notes 1.3).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from wijkteam_app.errors import CaseFileCorrupt, WrongKey

MIN_SQLITE = (3, 51, 3)  # WAL-reset corruption fix
KEY_BYTES = 32
CACHE_KIB = 64 * 1024


def connect_raw(path: Path, key: bytes | None, *, create: bool = False) -> Any:
    """Open and key a DB-API connection; raise WrongKey when the key does not fit.

    `key=None` opens an unencrypted file with the very same settings. The app never does
    that; it exists so `bench/store.py` can measure encryption against the same layer.
    """
    if key is not None and len(key) != KEY_BYTES:
        raise ValueError("data key must be 32 bytes")
    if not create and not path.exists():
        raise FileNotFoundError(path)
    conn = sqlcipher3.connect(str(path), check_same_thread=False, isolation_level=None)
    try:
        if key is not None:
            conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError as exc:
            raise WrongKey() from exc
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA temp_store = MEMORY")  # no temp files, encrypted or not
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode != "wal":
            raise CaseFileCorrupt(f"journal mode {mode}")
        conn.execute("PRAGMA synchronous = FULL")
        return conn
    except BaseException:
        conn.close()
        raise


def sqlite_version() -> tuple[int, ...]:
    return tuple(int(p) for p in sqlcipher3.sqlite_version.split("."))


def make_engine(path: Path, key: bytes | None, *, create: bool = False) -> Engine:
    """An engine over one keyed connection. Transactions begin with BEGIN IMMEDIATE."""
    if sqlite_version() < MIN_SQLITE:
        raise RuntimeError(f"SQLite {sqlcipher3.sqlite_version} is too old")
    # Fail fast on a wrong key before the pool exists.
    first = connect_raw(path, key, create=create)
    handed_out = [first]

    def creator() -> Any:
        if handed_out:
            return handed_out.pop()
        return connect_raw(path, key)

    engine = create_engine(
        "sqlite://",
        module=sqlcipher3.dbapi2,
        creator=creator,
        poolclass=QueuePool,
        pool_size=1,
        max_overflow=0,
        pool_timeout=30,
    )

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # The driver runs in autocommit mode (isolation_level=None) and we issue BEGIN
        # ourselves, so DDL and savepoints are transactional (SQLAlchemy's sqlite recipe).
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
