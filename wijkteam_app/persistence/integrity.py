"""Knowing whether a case file is whole before anything writes to it, and saying truthfully
what went wrong when SQLite refuses.

`verify_casefile` runs before the app opens its one writable connection: it looks at the size
(empty, cut off mid-page), then opens the file READ-ONLY (`mode=ro`, so SQLite itself refuses
any write), keys it, reads the schema and the header's page count, and checks every page's
HMAC (`PRAGMA cipher_integrity_check`). A wrong key fails the HMAC of every page, a damaged
file only of some: that is how "de sleutel past niet" and "het bestand is beschadigd" are told
apart. The check costs one read of the file (about 10 ms per MB on the 2-core VM, see
docs/performance.md). A damaged file is never opened for writing.

`translate` maps a SQLite error (by its result code, never its message) to the app's own
error with a Dutch text: a full disk, a read-only file or folder, an I/O error, damage.
"""

from __future__ import annotations

import errno
import logging
import os
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy.exc import DBAPIError

from wijkteam_app.errors import (
    CaseFileDamaged,
    DiskError,
    DiskFull,
    ReadOnlyLocation,
    WijkteamError,
    WrongKey,
)

log = logging.getLogger(__name__)

PAGE_SIZE = 4096  # SQLCipher 4's default cipher_page_size, which the app never changes

# SQLite primary result codes (https://sqlite.org/rescode.html).
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26


def sqlite_code(exc: BaseException) -> int | None:
    """The primary SQLite result code of a driver error (also inside SQLAlchemy's wrapper)."""
    original: Any = exc.orig if isinstance(exc, DBAPIError) else exc
    code = getattr(original, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def translate(exc: BaseException, path: Path | None = None) -> WijkteamError | None:
    """The app's error for a SQLite or OS error, or None when it is none of the known kinds.
    `path` (the case file) lets a refused write tell a read-only file from a read-only
    folder."""
    if isinstance(exc, WijkteamError):
        return exc
    if isinstance(exc, OSError) and not isinstance(exc, sqlcipher3.Error):
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return DiskFull(type(exc).__name__)
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return ReadOnlyLocation("folder", type(exc).__name__)
        if exc.errno == errno.EIO:
            return DiskError(type(exc).__name__)
        return None
    code = sqlite_code(exc)
    if code == SQLITE_FULL:
        return DiskFull("SQLITE_FULL")
    if code in (SQLITE_READONLY, SQLITE_CANTOPEN):
        return ReadOnlyLocation(_read_only_what(path), f"sqlite {code}")
    if code == SQLITE_IOERR:
        return DiskError("SQLITE_IOERR")
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return CaseFileDamaged("pages" if code == SQLITE_NOTADB else "structure",
                               f"sqlite {code}")
    return None


def _read_only_what(path: Path | None) -> str:
    """Whether the file itself or its folder refuses writes (best effort)."""
    if path is None or not path.exists():
        return "folder"
    return "folder" if os.access(path, os.W_OK) else "file"


def verify_casefile(path: Path, key: bytes | None) -> None:
    """Raise the right error when the file is damaged, the key does not fit or the file
    cannot be read; return when it is whole. Never writes to the case file."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise translate(exc, path) or DiskError(type(exc).__name__) from exc
    if size == 0:
        raise CaseFileDamaged("empty")
    if size % PAGE_SIZE:
        raise CaseFileDamaged("truncated", f"{size} bytes is not a whole number of pages")
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        conn = sqlcipher3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    except sqlcipher3.Error as exc:
        raise translate(exc, path) or DiskError("connect") from exc
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")  # the app says what is wrong itself
        if key is not None:
            conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        _check(conn, path, size, key is not None)
    finally:
        conn.close()


def _check(conn: Any, path: Path, size: int, encrypted: bool) -> None:
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        schema_ok = True
        first_error: sqlcipher3.Error | None = None
    except sqlcipher3.Error as exc:
        schema_ok = False
        first_error = exc
        code = sqlite_code(exc)
        if code not in (SQLITE_NOTADB, SQLITE_CORRUPT):
            raise translate(exc, path) or DiskError(f"sqlite {code}") from exc
    failed_pages = _failed_pages(conn) if encrypted else []
    pages = size // PAGE_SIZE
    if failed_pages and len(failed_pages) >= pages:
        raise WrongKey()  # no page fits the key: the key belongs to another file
    if failed_pages:
        log.warning("case file damaged: %d of %d pages fail their HMAC", len(failed_pages),
                    pages)
        raise CaseFileDamaged("first_page" if 1 in failed_pages else "pages")
    if not schema_ok:
        assert first_error is not None
        if sqlite_code(first_error) == SQLITE_NOTADB:
            raise WrongKey()  # not SQLCipher at all (or another format)
        raise CaseFileDamaged("structure" if _has_wal_frames(path)
                              else _structure_or_truncated(conn, size))
    if _has_wal_frames(path):
        return  # after a crash the newest pages are still in the WAL: the file may be shorter
    stated = conn.execute("PRAGMA page_count").fetchone()[0]
    if stated * PAGE_SIZE > size:
        raise CaseFileDamaged("truncated", f"{stated} pages stated, {pages} present")


def _has_wal_frames(path: Path) -> bool:
    wal = Path(f"{path}-wal")
    try:
        return wal.stat().st_size > 32  # more than the WAL header
    except OSError:
        return False


def _failed_pages(conn: Any) -> list[int]:
    """Page numbers whose HMAC fails (SQLCipher reports one row per bad page)."""
    try:
        rows = [str(r[0]) for r in conn.execute("PRAGMA cipher_integrity_check")]
    except sqlcipher3.Error:
        return []
    out: list[int] = []
    for row in rows:
        digits = row.rsplit(" ", 1)[-1]
        if digits.isdigit():
            out.append(int(digits))
    return out


def _structure_or_truncated(conn: Any, size: int) -> str:
    try:
        stated = conn.execute("PRAGMA page_count").fetchone()[0]
    except sqlcipher3.Error:
        return "structure"
    return "truncated" if stated * PAGE_SIZE > size else "structure"
