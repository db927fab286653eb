"""Devices and people: a revoked laptop wipes itself; unsynced work survives logout, a user
switch and a full resync."""

from __future__ import annotations

import keyring
import pytest

from tests.server.conftest import Server
from tests.sync.conftest import Laptop
from wijkteam_app.security import secret_store
from wijkteam_app.security.tokens import account_for
from wijkteam_app.services.sync import UnsyncedWork


def test_a_revoked_device_wipes_its_case_file_on_the_next_contact(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    laptop: Laptop = make_laptop(server.account(server.team()))
    laptop.new_household("Huishouden Gestolen")
    laptop.sync_ok()
    (laptop.paths.backups / "oud.wijkteam").write_bytes(b"x")
    device_id = laptop.workspace.casefile.device_id
    with laptop.workspace.casefile.read() as session:
        from wijkteam_app.persistence.casefile import get_state

        profile_id = get_state(session, "profile_id")
    assert profile_id
    assert keyring.get_password(secret_store.SERVICE, account_for(profile_id))
    result = server.cli("device", "revoke", device_id)
    assert result.returncode == 0, result.stderr
    report = laptop.sync.sync_once()
    assert report.wiped and not report.ok
    assert laptop.sync.wiped
    for path in [laptop.paths.casefile, *laptop.paths.sidecars(), laptop.paths.keyfile]:
        assert not path.exists(), path
    assert not laptop.paths.backups.exists()
    assert keyring.get_password(secret_store.SERVICE, account_for(profile_id)) is None
    assert keyring.get_password(secret_store.SERVICE, f"profiel:{profile_id}") is None
    # Later calls keep saying so instead of touching the (closed) file.
    assert laptop.sync.sync_once().wiped


def test_unsynced_work_survives_logout_user_switch_and_full_resync(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    team = server.team()
    anna = server.account(team)
    bert = server.account(team)
    laptop: Laptop = make_laptop(anna)
    hh, _case = laptop.new_household("Huishouden Blijft", case_team=(bert.id,))
    laptop.sync_ok()
    # Offline work, then logout: refused while anything is waiting, nothing is touched.
    laptop.net.offline = True
    laptop.edit(hh, street="Offlinestraat")
    with pytest.raises(UnsyncedWork):
        laptop.sync.logout()
    assert laptop.sync.is_logged_in()
    assert laptop.household(hh).address.street == "Offlinestraat"
    # A full resync while offline changes nothing either.
    assert laptop.sync.full_resync().offline
    assert laptop.household(hh).address.street == "Offlinestraat"
    # Online: a full resync re-reads the whole feed and keeps the (now delivered) work.
    laptop.net.offline = False
    laptop.edit(hh, city="Resyncstad")
    report = laptop.sync.full_resync()
    assert report.ok, report.errors
    assert report.pulled > 0
    shown = laptop.household(hh)
    assert (shown.address.street, shown.address.city) == ("Offlinestraat", "Resyncstad")
    # Logout now works (everything is in), then Bert takes over the laptop.
    laptop.edit(hh, wijk="Pending-Wijk")  # recorded by Anna, not yet sent
    laptop.net.offline = True
    with pytest.raises(UnsyncedWork):
        laptop.sync.logout()
    laptop.net.offline = False
    laptop.sync.logout()
    assert not laptop.sync.is_logged_in()
    assert laptop.sync.sync_once().login_required
    laptop.edit(hh, name="Fam. Wissel")  # recorded while logged out
    laptop.sync.login(server.base_url, bert.username, bert.password)
    assert laptop.user_id == bert.id
    laptop.sync_ok()
    shown = laptop.household(hh)
    assert shown.name == "Fam. Wissel" and shown.wijk == "Pending-Wijk"
    assert laptop.sync.status().pending_changes == 0


def test_an_expired_or_refused_access_token_is_refreshed_and_rotated(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from wijkteam_app.security.tokens import TokenStore
    from wijkteam_app.services.sync import SyncService

    laptop: Laptop = make_laptop(server.account(server.team()))
    store: TokenStore = laptop.sync._token_store

    def new_session() -> None:
        """The tokens are read from the credential store once per session (a window or a
        CLI run): start another one to see what was written there."""
        laptop.sync.close()
        laptop.sync = SyncService(laptop.workspace, http_transport=laptop.net)

    before = store.load()
    assert before is not None
    # The server no longer takes the access token (as after a key rotation): refresh once.
    store.save(replace(before, access_token="ongeldig"))
    new_session()
    laptop.sync_ok()
    after = store.load()
    assert after is not None and after.refresh_token != before.refresh_token
    # An expired access token is refreshed before the request.
    store.save(replace(after, access_expires_at="2000-01-01T00:00:00+00:00"))
    new_session()
    laptop.sync_ok()
    # A refresh token that was already used: the server revokes the device's tokens and the
    # worker has to log in again; nothing local is lost.
    store.save(replace(before, access_token="ongeldig"))
    new_session()
    report = laptop.sync.sync_once()
    assert report.login_required and not report.wiped
    assert laptop.paths.casefile.exists()


def test_the_tokens_are_read_from_the_credential_store_once_per_session(
        server: Server, make_laptop, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import keyring

    laptop: Laptop = make_laptop(server.account(server.team()))
    laptop.sync_ok()
    reads: list[str] = []
    backend = keyring.get_keyring()
    original = backend.get_password

    def counted(service: str, username: str) -> str | None:
        reads.append(username)
        return original(service, username)

    monkeypatch.setattr(backend, "get_password", counted)
    for _ in range(3):
        laptop.sync_ok()
    assert reads == []
    # Another process of this profile rotated the pair meanwhile: before its own refresh the
    # session reads the store again, so it never presents a spent refresh token.
    other = laptop.sync._token_store.load()
    assert other is not None
    laptop.sync._session_tokens()._cached = other.with_access(
        "verlopen", "2000-01-01T00:00:00+00:00", "al-gebruikt", other.refresh_expires_at)
    laptop.sync_ok()
    assert any(name.startswith("sync:") for name in reads)


def test_plain_http_is_refused_except_to_this_machine() -> None:
    from wijkteam_app.sync.transport import Refused, normalise_base_url

    assert normalise_base_url("http://127.0.0.1:8000/api/v1/") == "http://127.0.0.1:8000"
    assert normalise_base_url("https://wijkteam.gemeente.nl/") == "https://wijkteam.gemeente.nl"
    with pytest.raises(Refused):
        normalise_base_url("http://wijkteam.gemeente.nl")
