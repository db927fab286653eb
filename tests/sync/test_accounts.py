"""What a laptop notices of municipal IT's user and device administration (real server
process; SQLite and PostgreSQL): a deactivated account stops syncing with a Dutch reason and
keeps the laptop's data; the device registers under a name that tells laptops apart."""

from __future__ import annotations

import platform
import socket

import pytest

from tests.server.conftest import Server
from tests.sync.conftest import Laptop
from wijkteam_app.services.sync import default_device_name
from wijkteam_app.sync.transport import AccountInactive


def test_a_deactivated_account_stops_syncing_with_its_reason_and_keeps_the_data(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    account = server.account(server.team())
    worker: Laptop = make_laptop(account)
    hh, _case = worker.new_household("Huishouden Gedeactiveerd")
    worker.sync_ok()
    assert server.cli("user", "deactivate", account.username).returncode == 0
    worker.edit(hh, street="Nieuwe Straat")  # work done after the deactivation
    report = worker.sync.sync_once()
    assert not report.ok and report.login_required and not report.wiped
    assert report.error_codes == ["user_inactive"]
    assert "Uw account is gedeactiveerd door de gemeente" in report.errors[0]
    assert worker.has_household(hh)
    assert worker.household(hh).address.street == "Nieuwe Straat"
    assert worker.sync.status().pending_changes == 1  # kept for when IT re-activates
    # Logging in again (the login dialog) says why, and registers nothing.
    with pytest.raises(AccountInactive) as refused:
        worker.sync.login(server.base_url, account.username, account.password)
    assert "gedeactiveerd" in refused.value.message
    assert server.cli("user", "activate", account.username).returncode == 0
    worker.sync.login(server.base_url, account.username, account.password)
    assert worker.sync_ok().accepted == 1


def test_the_laptop_registers_under_its_computer_name_and_system(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    name = default_device_name()
    host = socket.gethostname().split(".")[0]
    assert name.startswith(host) and name.endswith(")")
    assert {"Linux": "(Linux)", "Windows": "(Windows)", "Darwin": "(macOS)"}.get(
        platform.system(), "(") in name
    worker: Laptop = make_laptop(server.account(server.team()))
    listed = server.cli("device", "list").stdout
    line = next(row for row in listed.splitlines() if worker.workspace.casefile.device_id in row)
    assert name[:32] in line
