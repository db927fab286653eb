"""Users and devices for municipal IT (SQLite and PostgreSQL): deactivating a user stops
every way in at once, a password reset ends every login of that user, and the device list
tells laptops apart."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from tests.server.conftest import Server
from tests.server.laptop import Laptop

INACTIVE = "Uw account is gedeactiveerd door de gemeente"


def login(server: Server, username: str, password: str, device_name: str = "laptop",
          device_id: str | None = None) -> httpx.Response:
    body = {"username": username, "password": password, "device_name": device_name}
    if device_id:
        body["device_id"] = device_id
    with server.client() as http:
        return http.post("/api/v1/auth/login", json=body)


def assert_inactive(response: httpx.Response) -> None:
    assert response.status_code == 401, response.text
    body = response.json()
    assert body["code"] == "user_inactive" and INACTIVE in body["message"]
    assert body["wipe"] is False  # the laptop keeps its data; the account is what stops


def test_a_deactivated_user_cannot_log_in_refresh_register_or_use_a_token(
        server: Server) -> None:
    account = server.account(server.team())
    laptop = Laptop(server, account, "laptop van Anna")
    assert laptop.get("/api/v1/me").status_code == 200

    result = server.cli("user", "deactivate", account.username)
    assert result.returncode == 0 and "gedeactiveerd" in result.stdout, result.stderr
    # The access token in hand stops working at once, for every request.
    for response in (laptop.get("/api/v1/me"), laptop.get("/api/v1/sync/pull"),
                     laptop.get("/api/v1/reference"),
                     laptop.post("/api/v1/sync/push",
                                 json={"device_id": laptop.device_id, "changesets": []})):
        assert_inactive(response)
    assert_inactive(laptop.http.post("/api/v1/auth/refresh",
                                     json={"refresh_token": laptop.refresh}))
    # The right password: refused with the reason; a new device is not registered.
    assert_inactive(login(server, account.username, account.password, "nieuwe laptop"))
    assert_inactive(login(server, account.username, account.password,
                          device_id=laptop.device_id))
    # A wrong password tells nothing about the account.
    wrong = login(server, account.username, "fout-wachtwoord-123")
    assert wrong.status_code == 401 and wrong.json()["code"] == "invalid_credentials"
    listed = server.cli("device", "list").stdout
    assert "nieuwe laptop" not in listed
    assert "gebruiker gedeactiveerd" in next(
        line for line in listed.splitlines() if laptop.device_id in line)
    assert "al gedeactiveerd" in server.cli("user", "deactivate", account.username).stdout

    # Re-activated: a new login works; the old refresh token stays revoked.
    result = server.cli("user", "activate", account.username)
    assert result.returncode == 0 and "weer actief" in result.stdout
    stale = laptop.http.post("/api/v1/auth/refresh", json={"refresh_token": laptop.refresh})
    assert stale.status_code == 401
    assert login(server, account.username, account.password,
                 device_id=laptop.device_id).status_code == 200
    laptop.close()


def test_reset_password_ends_every_login_of_the_user(server: Server, tmp_path: Path) -> None:
    account = server.account(server.team())
    other = server.account(account.team)
    first = Laptop(server, account, "laptop thuis")
    second = Laptop(server, account, "laptop kantoor")
    bystander = Laptop(server, other, "laptop collega")
    new_password = tmp_path / "nieuw.txt"
    new_password.write_text("een-nieuw-lang-wachtwoord\n", encoding="utf-8")

    short = tmp_path / "kort.txt"
    short.write_text("kort\n", encoding="utf-8")
    refused = server.cli("user", "reset-password", account.username, "--password-file",
                         str(short))
    assert refused.returncode == 1 and "minstens 12 tekens" in refused.stderr
    missing = server.cli("user", "reset-password", "niemand-bekend", "--password-file",
                         str(new_password))
    assert missing.returncode == 1 and "bestaat niet" in missing.stderr

    result = server.cli("user", "reset-password", account.username, "--password-file",
                        str(new_password))
    assert result.returncode == 0 and "Nieuw wachtwoord" in result.stdout, result.stderr
    with server.client() as http:
        for laptop in (first, second):
            spent = http.post("/api/v1/auth/refresh", json={"refresh_token": laptop.refresh})
            assert spent.status_code == 401
        kept = http.post("/api/v1/auth/refresh", json={"refresh_token": bystander.refresh})
        assert kept.status_code == 200  # only that user's logins end
    assert login(server, account.username, account.password).status_code == 401
    assert login(server, account.username, "een-nieuw-lang-wachtwoord",
                 device_id=first.device_id).status_code == 200
    for laptop in (first, second, bystander):
        laptop.close()


def test_device_list_shows_user_name_last_seen_and_revocation(server: Server) -> None:
    account = server.account(server.team())
    home = Laptop(server, account, "WIJK-LT-0412 (Windows)")
    away = Laptop(server, account, "wijk-lt-0977 (Linux)")
    assert server.cli("device", "revoke", away.device_id).returncode == 0
    listed = server.cli("device", "list")
    assert listed.returncode == 0
    header, *rows = listed.stdout.splitlines()
    assert header.split()[:2] == ["GEBRUIKER", "APPARAATNAAM"]
    assert "LAATST GEZIEN" in header and "STATUS" in header
    mine = {line.split()[-1]: line for line in rows if line.startswith(account.username)}
    assert "WIJK-LT-0412 (Windows)" in mine[home.device_id]
    assert " actief " in mine[home.device_id]
    assert "wijk-lt-0977 (Linux)" in mine[away.device_id]
    assert "ingetrokken" in mine[away.device_id]
    for line in mine.values():  # last seen: a date and time, not "-"
        assert re.search(r"  \d{4}-\d{2}-\d{2} \d{2}:\d{2}  ", line), line
    home.close()
    away.close()
