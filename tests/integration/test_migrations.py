"""Schema migrations of the case file: upgrade with backup, refuse newer files untouched."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from tests.conftest import FAST_KDF, PASSPHRASE
from wijkteam_app.domain.ids import new_id
from wijkteam_app.errors import CaseFileTooNew
from wijkteam_app.paths import ProfilePaths
from wijkteam_app.persistence.casefile import GENESIS_HASH, audit_hash
from wijkteam_app.persistence.database import (
    create_casefile,
    head_revision,
    open_casefile,
    scripted_head,
)
from wijkteam_app.persistence.engine import make_engine
from wijkteam_app.persistence.schema import AuditRecord, Base
from wijkteam_app.security import keys
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.maintenance import check_profile
from wijkteam_app.services.profile import unlock

FIRST_REVISION = "0001"


def make_first_schema_profile(paths: ProfilePaths) -> dict[str, str]:
    """A profile as the first released schema wrote it, with one household in it."""
    paths.ensure()
    profile_id = new_id()
    key = keys.create_data_key(paths.keyfile, PASSPHRASE, profile_id, FAST_KDF)
    create_casefile(paths.casefile, key, device_id=new_id(), profile_id=profile_id,
                    target=FIRST_REVISION)
    ids = {"team": new_id(), "worker": new_id(), "household": new_id(), "person": new_id()}
    engine = make_engine(paths.casefile, key)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO teams (id, version, name, wijken) "
                          "VALUES (:id, 1, 'Team Oud', '[]')"), {"id": ids["team"]})
        conn.execute(text("INSERT INTO workers (id, version, username, display_name, role, "
                          "team_id) VALUES (:id, 1, 'oud', 'Oude Gebruiker', 'wijkwerker', :t)"),
                     {"id": ids["worker"], "t": ids["team"]})
        conn.execute(text("INSERT INTO local_state VALUES ('current_worker_id', :w)"),
                     {"w": ids["worker"]})
        conn.execute(text(
            "INSERT INTO households (id, version, name, street, house_number, "
            "house_number_suffix, postcode, city, wijk, created_at) VALUES (:id, 1, "
            "'Huishouden Çelik-Proef', 'Oudeweg', 5, '', '1111 AA', 'Voorbeeldstad', 'Noord', "
            "'2026-01-01 10:00:00')"), {"id": ids["household"]})
        conn.execute(text(
            "INSERT INTO persons (id, version, household_id, first_name, name_prefix, last_name, "
            "birth_date, bsn, household_role, gezag_holder_ids, gezag_note) VALUES (:id, 1, :h, "
            "'Zeynep', '', 'Çelik-Proef', '1979-03-02', '', 'hoofdbewoner', '[]', '')"),
            {"id": ids["person"], "h": ids["household"]})
        seed = AuditRecord(at=datetime(2026, 1, 1, 10), device_id="d", actor_id="a",
                           action="seed", object_type="x", object_id="x", result="ok",
                           changeset_id=None, prev_hash=GENESIS_HASH, hash="")
        conn.execute(text(
            "INSERT INTO audit_log (at, device_id, actor_id, action, object_type, object_id, "
            "result, changeset_id, prev_hash, hash) VALUES ('2026-01-01 10:00:00', 'd', 'a', "
            "'seed', 'x', 'x', 'ok', NULL, :g, :h)"),
            {"g": GENESIS_HASH, "h": audit_hash(GENESIS_HASH, seed)})
    engine.dispose()
    return ids


def test_a_file_made_by_the_first_schema_is_backed_up_and_upgraded(paths: ProfilePaths) -> None:
    ids = make_first_schema_profile(paths)
    ws = unlock(paths, PASSPHRASE)
    try:
        assert ws.migrated_from == FIRST_REVISION
        assert ws.backup_path is not None and ws.backup_path.exists()
        service = HouseholdService(ws)
        [found] = service.list("celik")  # search needs the new column, backfilled & folded
        assert found.id == ids["household"]
        detail = service.get(ids["household"])
        assert detail.members[0].birth_date == date(1979, 3, 2)
    finally:
        ws.close()
    assert check_profile(paths, PASSPHRASE).ok  # upgraded file: integrity, schema and audit
    backups = list(paths.backups.glob("*.wijkteam"))
    assert len(backups) == 1
    # The backup is still encrypted and opens with the same key at the old revision.
    assert not backups[0].read_bytes().startswith(b"SQLite format 3")
    key = keys.unlock_data_key(paths.keyfile, PASSPHRASE)
    engine = make_engine(backups[0], key)
    with engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == FIRST_REVISION
    engine.dispose()


def test_a_file_from_a_newer_version_is_refused_untouched(profile: ProfilePaths) -> None:
    key = keys.unlock_data_key(profile.keyfile, PASSPHRASE)
    engine = make_engine(profile.casefile, key)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0999_from_the_future'"))
    engine.dispose()
    before = hashlib.sha256(profile.casefile.read_bytes()).hexdigest()
    with pytest.raises(CaseFileTooNew):
        unlock(profile, PASSPHRASE)
    assert hashlib.sha256(profile.casefile.read_bytes()).hexdigest() == before
    assert not list(profile.backups.glob("*.wijkteam"))
    assert not Path(f"{profile.casefile}-wal").exists()


def test_check_reports_a_file_that_is_not_at_the_head_revision(paths: ProfilePaths) -> None:
    make_first_schema_profile(paths)
    report = check_profile(paths, PASSPHRASE)  # check never migrates
    assert not report.ok
    assert any(p.startswith("schema") for p in report.problems)


def test_orm_tables_match_the_head_migration(tmp_path: Path) -> None:
    key = bytes(range(32))
    path = tmp_path / "head.wijkteam"
    create_casefile(path, key, device_id="d", profile_id="p")
    opened = open_casefile(path, key, tmp_path)
    try:
        with opened.casefile.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, Base.metadata)
            # Alembic cannot compare expression indexes (name COLLATE NOCASE); both sides
            # have it under the same name, which is what matters.
            expression = {"ix_households_name_nocase", "ix_caseload_index_status_name"}
            diff = [d for d in diff if not (
                d[0] in ("add_index", "remove_index") and d[1].name in expression)]
            # The FTS5 table over search_names (and its shadow tables) is not mapped.
            diff = [d for d in diff if not (
                d[0] == "remove_table" and d[1].name.startswith("search_names_fts"))]
            assert diff == []
            assert context.get_current_revision() == head_revision()
    finally:
        opened.casefile.close()


def test_the_head_read_from_the_scripts_is_alembics() -> None:
    # Opening an up-to-date file compares with this head instead of loading Alembic.
    assert scripted_head() == head_revision()
