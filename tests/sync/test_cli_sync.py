"""`wijkteam login` and `wijkteam sync` as separate processes with the real Secret Service
(gnome-keyring on a private D-Bus session; see scripts/test.sh) against a real server."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.server.conftest import Server
from wijkteam_server.models import EntityRow

pytestmark = [pytest.mark.slow, pytest.mark.real_keyring]


def test_login_demo_and_sync_through_the_real_commands(cli, server: Server,  # type: ignore[no-untyped-def]
                                                       tmp_path: Path) -> None:
    account = server.account(server.team())
    password_file = tmp_path / "server-wachtwoord.txt"
    password_file.write_text(account.password + "\n", encoding="utf-8")
    assert cli("init", "--naam", "Test Werker").returncode == 0
    login = cli("login", server.base_url, account.username, "--password-file",
                str(password_file))
    assert login.returncode == 0, login.stderr
    assert "Aangemeld als" in login.stdout
    demo = cli("demo", "--aantal", "4")  # after the login: the team gets something to sync
    assert demo.returncode == 0, demo.stderr
    synced = cli("sync")
    assert synced.returncode == 0, synced.stdout + synced.stderr
    assert "Verstuurd:" in synced.stdout and "Ontvangen:" in synced.stdout
    assert "Conflicten: 0 nieuw" in synced.stdout
    with Session(server.engine) as session:
        cases = [r for r in session.scalars(select(EntityRow).where(EntityRow.entity == "case"))
                 if r.data.get("regisseur_id") == account.id]
    assert len(cases) == 4  # everything recorded on the laptop belongs to the worker
    again = cli("sync")
    assert again.returncode == 0 and "Verstuurd: 0 wijziging" in again.stdout
    check = cli("check")
    assert check.returncode == 0, check.stdout + check.stderr
    # Tokens live in the credential store, never in the profile folder.
    for path in cli.data_dir.rglob("*"):
        if path.is_file() and path.suffix in (".json", ".txt"):
            assert "access_token" not in path.read_text(errors="replace")


def test_sync_without_a_server_fails_with_a_dutch_message(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("init").returncode == 0
    result = cli("sync")
    assert result.returncode == 1
    assert "Meld u opnieuw aan" in result.stderr
    password_file = tmp_path / "pw.txt"
    password_file.write_text("een-lang-wachtwoord\n")
    offline = cli("login", "http://127.0.0.1:9", "anna", "--password-file", str(password_file))
    assert offline.returncode == 1
    assert "Geen verbinding met de server" in offline.stderr


def test_sync_with_a_poisoned_record_exits_non_zero_and_check_lists_it(  # type: ignore[no-untyped-def]
        cli, server: Server, tmp_path: Path) -> None:
    from tests.sync.test_quarantine import server_update

    account = server.account(server.team())
    password_file = tmp_path / "server-wachtwoord.txt"
    password_file.write_text(account.password + "\n", encoding="utf-8")
    assert cli("init").returncode == 0
    assert cli("login", server.base_url, account.username, "--password-file",
               str(password_file)).returncode == 0
    assert cli("demo", "--aantal", "2").returncode == 0
    assert cli("sync").returncode == 0
    with Session(server.engine) as session:
        household = session.scalars(select(EntityRow.entity_id).where(
            EntityRow.entity == "household", EntityRow.created_by == account.id)).first()
    assert household is not None
    server_update(server, "household", household, {"postcode": {"geheim": "Verstopstraat 9"}})

    synced = cli("sync")
    assert synced.returncode == 1
    assert "Synchronisatie voltooid met 1 probleem" in synced.stderr
    assert "In quarantaine: 1" in synced.stdout
    assert "Synchronisatie voltooid." not in synced.stdout
    check = cli("check")
    assert check.returncode == 1
    assert f"quarantaine: huishouden {household}" in check.stdout
    assert "Verstopstraat" not in check.stdout + check.stderr
