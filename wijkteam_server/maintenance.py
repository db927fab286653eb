"""Operator tasks on the data folder: encrypting attachments left in plaintext by an older
version, backups and their restore (``wijkteam-server attachments encrypt | backup |
restore``).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, make_url, text

from wijkteam_server.api.attachments import file_context, part_context, sealer
from wijkteam_server.at_rest import AtRestError, Sealer, encrypt_in_place
from wijkteam_server.db import make_engine, schema_state, upgrade
from wijkteam_server.settings import Settings

log = logging.getLogger("wijkteam_server.maintenance")

_FINAL = re.compile(r"^([0-9A-Za-z-]{1,36})\.bin$")
_PARTS = re.compile(r"^([0-9A-Za-z-]{1,36})\.parts$")


def encrypt_plaintext_attachments(settings: Settings) -> int:
    """Encrypt every attachment and upload chunk still in plaintext; returns how many.
    Idempotent: encrypted files are recognised by their header and left alone."""
    folder = settings.attachments_dir
    if not folder.is_dir():
        return 0
    box = sealer(settings)
    done = 0
    for path in sorted(folder.iterdir()):
        final = _FINAL.match(path.name)
        if final and path.is_file():
            done += encrypt_in_place(box, path, file_context(final.group(1)))
            continue
        parts = _PARTS.match(path.name)
        if parts and path.is_dir():
            for part in sorted(path.iterdir()):
                if part.is_file() and part.name.isdigit():
                    done += encrypt_in_place(box, part,
                                             part_context(parts.group(1), int(part.name)))
                elif part.name.endswith(".tmp"):
                    part.unlink()  # a chunk write that never finished (plaintext)
        elif path.name.endswith(".tmp") and path.is_file():
            path.unlink()  # a join that never finished (plaintext)
    if done:
        log.warning("encrypted %d attachment file(s) that were in plaintext", done)
    return done


# --------------------------------------------------------------------------- backups

BACKUP_FORMAT = 1
BACKUP_PURPOSE = "backups"
BACKUP_CONTEXT = "backup"
SQLITE_MEMBER = "database.sqlite"
PG_MEMBER = "database.pgdump"
_MEMBER = re.compile(r"^(manifest\.json|database\.sqlite|database\.pgdump|"
                     r"attachments/[0-9A-Za-z-]{1,36}\.bin|"
                     r"attachments/[0-9A-Za-z-]{1,36}\.parts/[0-9]{1,6})$")


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is Dutch, for the operator."""


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    database: str
    schema_revision: str | None
    attachments: int
    created_at: str


def database_kind(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql"


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database:
        raise BackupError("De SQLite-database heeft geen bestandsnaam.")
    return Path(database)


def _pg_command(tool: str, url: str) -> tuple[list[str], dict[str, str]]:
    """Arguments and environment for pg_dump / pg_restore; the password goes through the
    environment (PGPASSWORD), never on the command line (visible in the process list)."""
    parsed = make_url(url)
    exe = shutil.which(tool)
    if exe is None:
        raise BackupError(f"'{tool}' is niet gevonden; installeer de PostgreSQL-clientprogramma's.")
    args = [exe, "-h", parsed.host or "localhost", "-p", str(parsed.port or 5432)]
    if parsed.username:
        args += ["-U", parsed.username]
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    return args, env


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False,
                            timeout=3600)
    if result.returncode != 0:
        # The tool's own message names objects, never row contents.
        raise BackupError(f"{what} mislukt: {result.stderr.strip()[-500:]}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _staging(settings: Settings, name: str) -> Path:
    """A scratch folder inside the data folder (0700): plaintext database copies never go to
    a shared temporary folder, only where the database itself already lies."""
    folder = settings.data_dir / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(mode=0o700)
    return folder


def _attachment_files(settings: Settings) -> list[tuple[str, Path]]:
    folder = settings.attachments_dir
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.rglob("*")):
        arcname = "attachments/" + path.relative_to(folder).as_posix()
        if path.is_file() and _MEMBER.match(arcname):
            out.append((arcname, path))
    return out


def backup(settings: Settings, output: Path) -> BackupInfo:
    """One encrypted archive of the database and the attachments (the key files are NOT in
    it: keep them in the key vault). Consistent: SQLite through its online backup API,
    PostgreSQL through pg_dump (one snapshot)."""
    if output.exists():
        raise BackupError(f"{output} bestaat al; er is niets overschreven.")
    kind = database_kind(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        revision, _head = schema_state(engine)
    finally:
        engine.dispose()
    staging = _staging(settings, ".backup-staging")
    try:
        if kind == "sqlite":
            member, staged = SQLITE_MEMBER, staging / SQLITE_MEMBER
            source = sqlite3.connect(_sqlite_path(settings.database_url))
            target = sqlite3.connect(staged)
            try:
                source.backup(target)
            finally:
                target.close()
                source.close()
        else:
            member, staged = PG_MEMBER, staging / PG_MEMBER
            args, env = _pg_command("pg_dump", settings.database_url)
            _run([*args, "-Fc", "--no-owner", "-f", str(staged),
                  str(make_url(settings.database_url).database)], env, "pg_dump")
        files = [(member, staged), *_attachment_files(settings)]
        created = datetime.now(UTC).isoformat(timespec="seconds")
        manifest = {
            "format": BACKUP_FORMAT, "created_at": created, "database": kind,
            "schema_revision": revision,
            "files": {name: _sha256(path) for name, path in files},
        }
        _write_archive(settings, output, manifest, files)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log.warning("backup written (%d attachment files)", len(files) - 1)
    return BackupInfo(output, kind, revision, len(files) - 1, created)


def _write_archive(settings: Settings, output: Path, manifest: dict[str, Any],
                   files: list[tuple[str, Path]]) -> None:
    tmp = output.with_name(output.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            writer = Sealer(settings.data_key, BACKUP_PURPOSE).writer(fh, BACKUP_CONTEXT)
            with tarfile.open(fileobj=writer, mode="w|gz") as tar:
                data = json.dumps(manifest, indent=2).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size = len(data)
                info.mode = 0o600
                tar.addfile(info, io.BytesIO(data))
                for name, path in files:
                    info = tar.gettarinfo(str(path), arcname=name)
                    info.uid = info.gid = 0
                    info.uname = info.gname = ""
                    with path.open("rb") as source:
                        tar.addfile(info, source)
            writer.close()
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(output)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def read_backup(settings: Settings, archive: Path, staging: Path) -> dict[str, Any]:
    """Decrypt and unpack `archive` into `staging`, checking every member against the
    manifest. Returns the manifest. Nothing outside `staging` is touched."""
    seen: dict[str, str] = {}
    manifest: dict[str, Any] | None = None
    try:
        with archive.open("rb") as fh:
            reader = Sealer(settings.data_key, BACKUP_PURPOSE).reader(fh, BACKUP_CONTEXT)
            with tarfile.open(fileobj=reader, mode="r|gz") as tar:
                for member in tar:
                    if not member.isfile() or not _MEMBER.match(member.name):
                        raise BackupError(f"Onverwacht onderdeel in de reservekopie: "
                                          f"{member.name!r}.")
                    source = tar.extractfile(member)
                    assert source is not None
                    if member.name == "manifest.json":
                        manifest = json.loads(source.read())
                        continue
                    target = staging / member.name
                    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                    digest = hashlib.sha256()
                    with target.open("wb") as out:
                        while block := source.read(1024 * 1024):
                            digest.update(block)
                            out.write(block)
                    seen[member.name] = digest.hexdigest()
    except AtRestError as exc:
        raise BackupError("De reservekopie kan niet worden ontsleuteld: een andere sleutel van "
                          "de server, of het bestand is beschadigd of ingekort.") from exc
    except (tarfile.TarError, OSError, ValueError) as exc:
        raise BackupError("De reservekopie is beschadigd en kan niet worden gelezen.") from exc
    if manifest is None or manifest.get("format") != BACKUP_FORMAT:
        raise BackupError("De reservekopie heeft geen (bekende) inhoudsopgave.")
    if manifest.get("files") != seen:
        raise BackupError("De reservekopie is onvolledig of klopt niet met de inhoudsopgave.")
    return manifest


def restore(settings: Settings, archive: Path, *, replace: bool = False) -> dict[str, Any]:
    """Put a backup back: the database (SQLite file or pg_restore in one transaction) and the
    attachments, then bring the schema to this version's head. The server must be stopped.

    Refuses, changing nothing, when the archive does not decrypt with this server's key,
    does not match its manifest, is of the other database kind, its attachments do not
    decrypt, or the target database already holds users and `replace` is not given."""
    kind = database_kind(settings.database_url)
    staging = _staging(settings, ".restore-staging")
    try:
        manifest = read_backup(settings, archive, staging)
        if manifest.get("database") != kind:
            raise BackupError(f"Deze reservekopie is van een {manifest.get('database')}-"
                              f"database; deze server gebruikt {kind}.")
        box = sealer(settings)
        for path in sorted((staging / "attachments").glob("*.bin")):
            try:
                box.read_bytes(path, file_context(path.stem))
            except AtRestError as exc:
                raise BackupError("De bijlagen in de reservekopie passen niet bij de sleutel "
                                  "van deze server.") from exc
        if not replace and _has_users(settings):
            raise BackupError("De database van deze server bevat al gebruikers. Geef "
                              "--replace op om alles te vervangen door de reservekopie.")
        if kind == "sqlite":
            db_path = _sqlite_path(settings.database_url)
            for stale in (Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
                stale.unlink(missing_ok=True)
            (staging / SQLITE_MEMBER).replace(db_path)
        else:
            args, env = _pg_command("pg_restore", settings.database_url)
            _run([*args, "--clean", "--if-exists", "--no-owner", "--single-transaction",
                  "-d", str(make_url(settings.database_url).database),
                  str(staging / PG_MEMBER)], env, "pg_restore")
        _swap_attachments(settings, staging / "attachments")
        engine = make_engine(settings.database_url)
        try:
            upgrade(engine)
        finally:
            engine.dispose()
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log.warning("backup restored (made %s)", manifest.get("created_at"))
    return manifest


def _has_users(settings: Settings) -> bool:
    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("users"):
                return False
            return bool(conn.execute(text("SELECT count(*) FROM users")).scalar())
    finally:
        engine.dispose()


def _swap_attachments(settings: Settings, restored: Path) -> None:
    current = settings.attachments_dir
    old = settings.data_dir / ".attachments-before-restore"
    shutil.rmtree(old, ignore_errors=True)
    if current.exists():
        current.rename(old)
    if restored.exists():
        restored.rename(current)
    else:
        current.mkdir(mode=0o700)
    shutil.rmtree(old, ignore_errors=True)
