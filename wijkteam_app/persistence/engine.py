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

from wijkteam_app.errors import CaseFileCorrupt, CaseFileDamaged, WrongKey
from wijkteam_app.persistence.integrity import translate

MIN_SQLITE = (3, 51, 3)  # WAL-reset corruption fix
KEY_BYTES = 32
CACHE_KIB = 64 * 1024


def quiet_sqlcipher(conn: Any) -> None:
    """SQLCipher writes its own "ERROR CORE ..." lines to stderr (and may quote page
    numbers); the app reports problems itself, in Dutch. The level is process-wide."""
    conn.execute("PRAGMA cipher_log_level = NONE")


def connect_raw(path: Path, key: bytes | None, *, create: bool = False,
                read_only: bool = False) -> Any:
    """Open and key a DB-API connection; raise WrongKey when the key does not fit.

    `key=None` opens an unencrypted file with the very same settings. The app never does
    that; it exists so `bench/store.py` can measure encryption against the same layer.
    """
    if key is not None and len(key) != KEY_BYTES:
        raise ValueError("data key must be 32 bytes")
    if not create and not path.exists():
        raise FileNotFoundError(path)
    # An existing file is opened "rw", never "rwc": a file that vanished is not made anew.
    mode = "ro" if read_only else ("rwc" if create else "rw")
    uri = f"{path.resolve().as_uri()}?mode={mode}"
    try:
        conn = sqlcipher3.connect(uri, uri=True, check_same_thread=False,
                                  isolation_level=None)
    except sqlcipher3.Error as exc:
        raise translate(exc, path) or exc from exc
    try:
        quiet_sqlcipher(conn)
        if key is not None:
            conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError as exc:
            known = translate(exc, path)
            if known is None or isinstance(known, CaseFileDamaged):
                raise WrongKey() from exc
            raise known from exc
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA temp_store = MEMORY")  # no temp files, encrypted or not
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        if read_only:
            return conn  # for checks: whatever journal mode the file has, nothing written
        try:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlcipher3.Error as exc:
            raise translate(exc, path) or exc from exc
        if mode != "wal":
            raise CaseFileCorrupt(f"journal mode {mode}")
        conn.execute("PRAGMA synchronous = FULL")
        return conn
    except BaseException:
        conn.close()
        raise


def sqlite_version() -> tuple[int, ...]:
    return tuple(int(p) for p in sqlcipher3.sqlite_version.split("."))


def make_engine(path: Path, key: bytes | None, *, create: bool = False,
                read_only: bool = False) -> Engine:
    """An engine over one keyed connection. Transactions begin with BEGIN IMMEDIATE
    (`read_only`: a connection SQLite opens read-only, for checks; no transactions)."""
    if sqlite_version() < MIN_SQLITE:
        raise RuntimeError(f"SQLite {sqlcipher3.sqlite_version} is too old")
    # Fail fast on a wrong key before the pool exists.
    first = connect_raw(path, key, create=create, read_only=read_only)
    handed_out = [first]

    def creator() -> Any:
        if handed_out:
            return handed_out.pop()
        return connect_raw(path, key, read_only=read_only)

    engine = create_engine(
        "sqlite://",
        module=sqlcipher3.dbapi2,
        creator=creator,
        poolclass=QueuePool,
        pool_size=1,
        max_overflow=0,
        pool_timeout=30,
    )

    if read_only:
        return engine

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # The driver runs in autocommit mode (isolation_level=None) and we issue BEGIN
        # ourselves, so DDL and savepoints are transactional (SQLAlchemy's sqlite recipe).
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
