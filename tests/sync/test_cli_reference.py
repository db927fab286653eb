"""`wijkteam mandaat` and `wijkteam instellingen` through the real command (separate
processes, the real Secret Service): they work on a local-only profile and, once the profile
logged in to the municipal server, refuse changes with a Dutch pointer to the server, which
now provides mandate, name, logo and settings with each `wijkteam sync`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reports.test_plan_pdf import write_png
from tests.server.conftest import Server

pytestmark = [pytest.mark.slow, pytest.mark.real_keyring]


def test_local_settings_until_login_then_the_servers(cli, server: Server,  # type: ignore[no-untyped-def]
                                                     tmp_path: Path) -> None:
    account = server.account(server.team())
    assert cli("init", "--naam", "Test Werker").returncode == 0
    # Local-only: the laptop's own mandate and settings.
    assert cli("mandaat", "--max-bedrag", "1500", "--product", "L06SB1").returncode == 0
    logo = tmp_path / "logo.png"
    write_png(logo)
    local = cli("instellingen", "--gemeente", "Gemeente Lokaal", "--logo", str(logo))
    assert local.returncode == 0, local.stderr
    assert "Gemeente: Gemeente Lokaal" in local.stdout

    password_file = tmp_path / "server-wachtwoord.txt"
    password_file.write_text(account.password + "\n", encoding="utf-8")
    assert cli("login", server.base_url, account.username, "--password-file",
               str(password_file)).returncode == 0
    assert server.cli("mandate", "set", account.username, "--max-amount", "4000").returncode == 0
    synced = cli("sync")
    assert synced.returncode == 0, synced.stdout + synced.stderr
    assert "Gegevens van de gemeente bijgewerkt" in synced.stdout

    for args in (("mandaat", "--max-bedrag", "99999"),
                 ("instellingen", "--gemeente", "Gemeente Eigen Keuze"),
                 ("instellingen", "--bsn-op-plan", "ja")):
        refused = cli(*args)
        assert refused.returncode == 1, args
        assert "gekoppeld aan de server van de gemeente" in refused.stderr
        assert "wijkteam-server mandate set" in refused.stderr
    shown = cli("instellingen")
    assert shown.returncode == 0
    assert "Gemeente Eigen Keuze" not in shown.stdout
    assert "Deze instellingen komen van de server van de gemeente." in shown.stdout
