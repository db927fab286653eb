"""The server at rest, with real laptops and a real server on SQLite and PostgreSQL:
attachments are encrypted on the server's disk (and plaintext left by an older version is
encrypted by `init`), and a backup restores exactly what it held — the database and the
attachments — while a wrong key or a damaged archive changes nothing."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import make_url

from tests.server.conftest import Server, run_cli, start_server, stop_server
from tests.sync.conftest import Laptop
from tests.sync.test_attachments import store_scan
from wijkteam_app.services.plans import PlanService
from wijkteam_server.api.attachments import file_context, sealer
from wijkteam_server.at_rest import MAGIC
from wijkteam_server.settings import load_settings

MARKER = b"ALLEEN-IN-DE-SCAN-" + uuid.uuid4().hex.encode()


def fresh_database(postgres_url: str) -> str:
    url = make_url(postgres_url)
    name = f"wijkteam_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(host=url.host, port=url.port, user=url.username, dbname="postgres",
                         autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return str(url.set(database=name).render_as_string(hide_password=False))


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    url = (fresh_database(request.getfixturevalue("postgres_url"))
           if request.param == "postgresql" else None)
    srv = start_server(tmp_path / "server", url)
    yield srv
    if srv.proc.poll() is None:
        stop_server(srv)


def laptop(tmp_path: Path, srv: Server, role: str = "wijkwerker",
           team: str | None = None) -> Laptop:
    return Laptop(tmp_path, srv, srv.account(team or srv.team(), role))


def restart(srv: Server) -> Server:
    stop_server(srv)
    return start_server(srv.data_dir, srv.database_url if srv.database_url.startswith(
        "postgresql") else None)


def test_attachments_are_encrypted_on_disk_and_plaintext_from_before_is_migrated(
        fresh_server: Server, tmp_path: Path) -> None:
    team = fresh_server.team()
    worker = laptop(tmp_path, fresh_server, team=team)
    coach = laptop(tmp_path, fresh_server, "teamcoach", team)
    try:
        hh, _ = worker.new_household("Huishouden Versleuteld")
        worker.sync_ok()
        data = b"%PDF-1.4\n" + MARKER + os.urandom(1024 * 1024 + 10)
        attachment_id = store_scan(worker, hh, data)
        assert worker.sync_ok().uploaded == 1

        stored = fresh_server.data_dir / "attachments" / f"{attachment_id}.bin"
        raw = stored.read_bytes()
        assert raw.startswith(MAGIC) and MARKER not in raw and b"%PDF" not in raw
        for path in (fresh_server.data_dir / "attachments").rglob("*"):
            assert not path.is_file() or MARKER not in path.read_bytes()

        # An older server version left it in plaintext: init (the upgrade step) encrypts it.
        settings = load_settings(fresh_server.data_dir)
        stored.write_bytes(sealer(settings).read_bytes(stored, file_context(attachment_id)))
        assert MARKER in stored.read_bytes()
        init = fresh_server.cli("init")
        assert init.returncode == 0, init.stderr
        assert "1 onversleuteld(e) bijlagebestand(en) versleuteld" in init.stdout
        assert MARKER not in stored.read_bytes()
        again = fresh_server.cli("attachments", "encrypt")
        assert "al versleuteld" in again.stdout

        coach.sync_ok()
        assert PlanService(coach.workspace).file(attachment_id).data == data
    finally:
        worker.close()
        coach.close()


def test_backup_and_restore(fresh_server: Server, tmp_path: Path) -> None:
    team = fresh_server.team()
    worker = laptop(tmp_path, fresh_server, team=team)
    coach_account = fresh_server.account(team, "teamcoach")
    srv = fresh_server
    try:
        kept, _ = worker.new_household("Huishouden Bewaard")
        data = b"%PDF-1.4\n" + MARKER + os.urandom(300_000)
        worker.sync_ok()
        attachment_id = store_scan(worker, kept, data)
        worker.sync_ok()

        archive = tmp_path / "reservekopie.wtbackup"
        made = srv.cli("backup", "--output", str(archive))
        assert made.returncode == 0, made.stderr
        assert "Reservekopie geschreven" in made.stdout
        raw = archive.read_bytes()
        assert raw.startswith(MAGIC)
        assert b"Bewaard" not in raw and MARKER not in raw
        assert oct(archive.stat().st_mode & 0o777) == "0o600"
        assert srv.cli("backup", "--output", str(archive)).returncode == 1  # never overwrites

        later, _ = worker.new_household("Huishouden Later")
        worker.sync_ok()
        worker.close()

        stop_server(srv)
        refused = run_cli("restore", "--data-dir", str(srv.data_dir), "--input", str(archive))
        assert refused.returncode == 1 and "--replace" in refused.stderr
        damaged = tmp_path / "beschadigd.wtbackup"
        damaged.write_bytes(raw[: len(raw) // 2])
        broken = run_cli("restore", "--data-dir", str(srv.data_dir), "--input", str(damaged),
                         "--replace")
        assert broken.returncode == 1 and "ontsleuteld" in broken.stderr
        restored = run_cli("restore", "--data-dir", str(srv.data_dir), "--input",
                           str(archive), "--replace")
        assert restored.returncode == 0, restored.stderr
        srv = start_server(srv.data_dir, srv.database_url if srv.database_url.startswith(
            "postgresql") else None)

        coach = Laptop(tmp_path, srv, coach_account)
        try:
            coach.sync_ok()
            assert coach.has_household(kept)
            assert not coach.has_household(later)  # made after the backup
            assert PlanService(coach.workspace).file(attachment_id).data == data
        finally:
            coach.close()
    finally:
        if srv.proc.poll() is None:
            stop_server(srv)


def test_a_backup_does_not_open_with_another_servers_key(
        fresh_server: Server, tmp_path: Path) -> None:
    archive = tmp_path / "kopie.wtbackup"
    assert fresh_server.cli("backup", "--output", str(archive)).returncode == 0
    other = tmp_path / "andere-server"
    assert run_cli("init", "--data-dir", str(other)).returncode == 0
    result = run_cli("restore", "--data-dir", str(other), "--input", str(archive))
    assert result.returncode == 1
    assert "ontsleuteld" in result.stderr
