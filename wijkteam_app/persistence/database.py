"""Creating, opening, migrating and checking the case file.

Opening: key it (a wrong key fails before anything is written), refuse a file whose schema
revision this app does not know (written by a newer version) without touching it, back it up
(an encrypted copy) before any migration, then upgrade to the head revision.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, select, text
from sqlalchemy.exc import DBAPIError

from wijkteam_app.errors import CaseFileCorrupt, CaseFileExists, CaseFileMissing, CaseFileTooNew
from wijkteam_app.messages import ENTITY_LABELS, QUARANTINE_REASONS
from wijkteam_app.paths import migrations_dir
from wijkteam_app.persistence import caseload_index
from wijkteam_app.persistence.casefile import GENESIS_HASH, CaseFile, audit_hash, set_state
from wijkteam_app.persistence.engine import connect_raw, make_engine
from wijkteam_app.persistence.integrity import verify_casefile
from wijkteam_app.persistence.schema import AuditRecord, OutboxRecord

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

# `revision = "0008"` / `down_revision = "0005"` (or None) at the start of a line of a
# migration script (optionally with a type annotation).
_REVISION_LINE = re.compile(
    r"""^(down_revision|revision)\s*(?::[^=]+)?=\s*(?:["']([^"']+)["']|None)\s*$""",
    re.MULTILINE)


def _alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config())


def scripted_head() -> str | None:
    """The head revision read from the migration scripts' `revision`/`down_revision` lines,
    without loading Alembic (a start-up cost); None when the scripts cannot be read that way
    (then the caller asks Alembic). Equal to `head_revision()` (tested)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    try:
        scripts = sorted((migrations_dir() / "versions").glob("*.py"))
        for script in scripts:
            found = dict((m[0], m[1]) for m in _REVISION_LINE.findall(
                script.read_text(encoding="utf-8")))
            if "revision" not in found or not found["revision"]:
                if script.name != "__init__.py":
                    return None
                continue
            revisions.add(found["revision"])
            if found.get("down_revision"):
                parents.add(found["down_revision"])
    except OSError:
        return None
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def head_revision() -> str:
    head = script_directory().get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The file's schema revision (Alembic's `alembic_version` table), None if it has none."""
    with engine.connect() as conn:
        exists = conn.scalar(text("SELECT count(*) FROM sqlite_master "
                                  "WHERE type = 'table' AND name = 'alembic_version'"))
        if not exists:
            return None
        rows = list(conn.scalars(text("SELECT version_num FROM alembic_version")))
    if len(rows) > 1:
        raise CaseFileCorrupt("more than one schema revision")
    return rows[0] if rows else None


def upgrade(engine: Engine, target: str = "head") -> None:
    from alembic import command

    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), target)


def checkpoint(engine: Engine) -> None:
    """Move everything from the WAL into the main file (used before copying it)."""
    with engine.connect() as conn:
        # Outside any transaction: straight on the driver connection (autocommit mode).
        raw = conn.connection.driver_connection
        assert raw is not None
        busy, _, _ = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            raise CaseFileCorrupt("checkpoint blocked")


def backup(engine: Engine, casefile: Path, backup_dir: Path, label: str) -> Path:
    """Copy the (encrypted) file after a checkpoint. The copy opens with the same key."""
    checkpoint(engine)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = backup_dir / f"{casefile.stem}-{stamp}-{label}.wijkteam"
    backup_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy2(casefile, target)
    return target


def create_casefile(path: Path, key: bytes | None, *, device_id: str, profile_id: str,
                    target: str = "head") -> None:
    """Make a new, empty, encrypted case file at the given schema revision."""
    if path.exists():
        raise CaseFileExists()
    engine = make_engine(path, key, create=True)
    try:
        upgrade(engine, target)
        with engine.begin() as conn:
            conn.execute(
                text("INSERT INTO local_state (key, value) VALUES ('device_id', :d), "
                     "('profile_id', :p), ('device_seq', '0')"),
                {"d": device_id, "p": profile_id},
            )
    finally:
        engine.dispose()


@dataclass(frozen=True, slots=True)
class OpenResult:
    casefile: CaseFile
    migrated_from: str | None = None
    backup_path: Path | None = None


def open_casefile(path: Path, key: bytes | None, backup_dir: Path) -> OpenResult:
    """Verify the file read-only (size, key, every page's HMAC), then open it for writing,
    migrate if needed (after a backup) and hand out the `CaseFile`. A damaged file or one
    the key does not fit raises before anything is written to it."""
    if not path.exists():
        raise CaseFileMissing()
    verify_casefile(path, key)
    engine = make_engine(path, key)

    def reader(read_only: bool = True) -> Any:
        # a keyed read-only connection for `CaseFile.snapshot`; read-write for
        # `CaseFile.checkpoint`
        return connect_raw(path, key, read_only=read_only)

    try:
        current = current_revision(engine)
        if current is not None and current == scripted_head():
            # Up to date: no need to load Alembic.
            return OpenResult(CaseFile(engine, path, reader=reader))
        scripts = script_directory()
        known = {rev.revision for rev in scripts.walk_revisions()}
        if current is None:
            raise CaseFileCorrupt("no schema revision")
        if current not in known:
            raise CaseFileTooNew(current)
        head = scripts.get_current_head()
        backup_path = None
        migrated_from = None
        if current != head:
            backup_path = backup(engine, path, backup_dir, f"voor-{head}")
            upgrade(engine)
            migrated_from = current
        casefile = CaseFile(engine, path, reader=reader)
        return OpenResult(casefile, migrated_from, backup_path)
    except BaseException:
        engine.dispose()
        raise


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_casefile(engine: Engine) -> CheckReport:
    """Cipher pages, SQLite integrity, foreign keys, schema revision, the audit chain, and
    records the sync set aside (quarantine: listed without their values).

    Every step runs even when an earlier one failed; a step that cannot run is a problem.
    """
    report = CheckReport()
    steps = [
        ("cipher_integrity_check", _check_cipher),
        ("integrity_check", _check_integrity),
        ("foreign_key_check", _check_foreign_keys),
        ("schema", _check_schema),
        ("zoekindex", _check_caseload_index),
        ("auditlog", _check_audit),
        ("sync_quarantine", _check_quarantine),
    ]
    for name, step in steps:
        try:
            step(engine, report)
        except DBAPIError:
            report.problems.append(f"{name}: kon niet worden uitgevoerd (bestand beschadigd)")
    return report


def _check_cipher(engine: Engine, report: CheckReport) -> None:
    with engine.connect() as conn:
        cipher = [r[0] for r in conn.exec_driver_sql("PRAGMA cipher_integrity_check")]
    if cipher:
        report.problems.append(f"cipher_integrity_check: {len(cipher)} beschadigde pagina('s)")
    else:
        report.facts.append("cipher_integrity_check: ok")


def _check_integrity(engine: Engine, report: CheckReport) -> None:
    with engine.connect() as conn:
        integrity = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]
    if integrity != ["ok"]:
        report.problems.append(f"integrity_check: {len(integrity)} fout(en)")
    else:
        report.facts.append("integrity_check: ok")


def _check_foreign_keys(engine: Engine, report: CheckReport) -> None:
    with engine.connect() as conn:
        fk = list(conn.exec_driver_sql("PRAGMA foreign_key_check"))
    if fk:
        report.problems.append(f"foreign_key_check: {len(fk)} verbroken verwijzing(en)")
    else:
        report.facts.append("foreign_key_check: ok")


def _check_schema(engine: Engine, report: CheckReport) -> None:
    current = current_revision(engine)
    head = head_revision()
    if current != head:
        report.problems.append(f"schema: versie {current}, verwacht {head}")
    else:
        report.facts.append(f"schema: {current} (nieuwste)")


def _check_caseload_index(engine: Engine, report: CheckReport) -> None:
    if current_revision(engine) != head_revision():
        return  # the schema step already says the file is not up to date
    with engine.connect() as conn:
        found = caseload_index.problems(conn)
    report.problems.extend(found)
    if not found:
        report.facts.append("zoekindex: in overeenstemming met de gegevens")


def _check_audit(engine: Engine, report: CheckReport) -> None:
    with engine.connect() as conn:
        entries: Sequence[AuditRecord] = [
            AuditRecord(**row._mapping)
            for row in conn.execute(select(AuditRecord.__table__).order_by(AuditRecord.id))
        ]
        outbox_ids = set(conn.scalars(select(OutboxRecord.id)))
    if not entries:
        report.problems.append("auditlog is leeg")
        return
    prev = GENESIS_HASH
    for entry in entries:
        if entry.prev_hash != prev or audit_hash(prev, entry) != entry.hash:
            report.problems.append(f"auditlog: keten verbroken bij regel {entry.id}")
            return
        prev = entry.hash
    audited = {e.changeset_id for e in entries if e.changeset_id}
    missing = outbox_ids - audited
    if missing:
        report.problems.append(f"auditlog: {len(missing)} wijziging(en) zonder auditregel")
    report.facts.append(f"auditlog: {len(entries)} regels, keten intact")


def _check_quarantine(engine: Engine, report: CheckReport) -> None:
    with engine.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                                  "AND name = 'sync_quarantine'"))
        rows = list(conn.execute(text(
            "SELECT entity, entity_id, household_id, server_version, reason, problem "
            "FROM sync_quarantine ORDER BY quarantined_at, entity, entity_id"))) if exists else []
    if not rows:
        report.facts.append("synchronisatie: geen gegevens in quarantaine")
        return
    report.problems.append(f"synchronisatie: {len(rows)} gegeven(s) van de server in "
                           "quarantaine (niet verwerkt; de rest is bijgewerkt)")
    for entity, entity_id, household_id, version, reason, problem in rows:
        label = ENTITY_LABELS.get(entity, entity)
        where = f", huishouden {household_id}" if household_id and entity != "household" else ""
        report.problems.append(
            f"quarantaine: {label} {entity_id}{where}, serverversie {version}: "
            f"{QUARANTINE_REASONS.get(reason, reason)} ({problem})")


__all__ = ["check_casefile", "create_casefile", "open_casefile", "set_state"]
