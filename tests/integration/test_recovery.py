"""Recovery with the municipality's offline key: a forgotten passphrase loses no unsynced work,
and nobody without the private key (and its password) gets in."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import select

from tests.conftest import FAST_KDF, PASSPHRASE
from tests.helpers.factories import household, person
from wijkteam_app.errors import (
    RecoveryKeyInvalid,
    RecoveryKeyMismatch,
    RecoveryNotSet,
    WrongPassphrase,
)
from wijkteam_app.paths import ProfilePaths
from wijkteam_app.persistence.schema import AuditRecord
from wijkteam_app.security import recovery as rk
from wijkteam_app.services import municipal
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.key_recovery import make_keypair, recover_profile, set_recovery_key
from wijkteam_app.services.maintenance import check_profile
from wijkteam_app.services.profile import change_passphrase, init_profile, unlock

KEY_PASSWORD = "gemeente-herstel-2026"
NEW_PASSPHRASE = "nieuw wachtwoord na herstel"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def keypair() -> tuple[bytes, bytes]:
    return make_keypair(KEY_PASSWORD)


def recoverable_profile(paths: ProfilePaths, public_pem: bytes) -> str:
    """A profile with the recovery wrap and one unsynced household; returns its id."""
    init_profile(paths, PASSPHRASE, kdf=FAST_KDF, recovery_public_key=public_pem)
    ws = unlock(paths, PASSPHRASE)
    try:
        h = household(name="Huishouden Vergeetal")
        HouseholdService(ws).create(h, [person(first="Fenna", last="Vergeetal")])
        return h.id
    finally:
        ws.close()


def test_forgotten_passphrase_recovered_with_the_private_key_keeps_unsynced_work(
        paths: ProfilePaths, keypair: tuple[bytes, bytes]) -> None:
    private_pem, public_pem = keypair
    household_id = recoverable_profile(paths, public_pem)
    with pytest.raises(WrongPassphrase):
        unlock(paths, "ik weet het echt niet meer")

    report = recover_profile(paths, private_pem, KEY_PASSWORD, NEW_PASSPHRASE, kdf=FAST_KDF)
    assert report.unsent_changes >= 1 and report.households_with_unsent == 1

    with pytest.raises(WrongPassphrase):
        unlock(paths, PASSPHRASE)  # the old passphrase no longer opens it
    ws = unlock(paths, NEW_PASSPHRASE)
    try:
        detail = HouseholdService(ws).get(household_id)
        assert [m.first_name for m in detail.members] == ["Fenna"]
        with ws.casefile.read() as session:
            actions = list(session.scalars(select(AuditRecord.action)))
        assert "dossier.herstellen" in actions
    finally:
        ws.close()
    assert check_profile(paths, NEW_PASSPHRASE).ok
    # The recovery wrap is kept, so the next forgotten passphrase can be recovered too.
    assert rk.wrapped_key_id(paths.keyfile) == report.key_id


def test_a_wrong_private_key_or_password_changes_nothing(
        paths: ProfilePaths, keypair: tuple[bytes, bytes]) -> None:
    private_pem, public_pem = keypair
    recoverable_profile(paths, public_pem)
    before = {p: sha(p) for p in (paths.keyfile, paths.casefile)}
    other_private, _ = make_keypair("een andere gemeente!")
    with pytest.raises(RecoveryKeyMismatch):
        recover_profile(paths, other_private, "een andere gemeente!", NEW_PASSPHRASE)
    with pytest.raises(RecoveryKeyInvalid):
        recover_profile(paths, private_pem, "verkeerd wachtwoord", NEW_PASSPHRASE)
    assert {p: sha(p) for p in before} == before
    ws = unlock(paths, PASSPHRASE)  # the worker's own passphrase still works
    ws.close()


def test_without_a_recovery_wrap_recovery_is_refused(
        profile: ProfilePaths, keypair: tuple[bytes, bytes]) -> None:
    with pytest.raises(RecoveryNotSet):
        recover_profile(profile, keypair[0], KEY_PASSWORD, NEW_PASSPHRASE)


def test_the_wrap_is_bound_to_its_profile(tmp_path: Path, keypair: tuple[bytes, bytes]) -> None:
    """Copying one profile's recovery block into another's key file opens nothing."""
    private_pem, public_pem = keypair
    a, b = ProfilePaths(tmp_path / "a"), ProfilePaths(tmp_path / "b")
    recoverable_profile(a, public_pem)
    recoverable_profile(b, public_pem)
    data_b = json.loads(b.keyfile.read_text())
    data_b["recovery"] = json.loads(a.keyfile.read_text())["recovery"]
    b.keyfile.write_text(json.dumps(data_b))
    with pytest.raises(RecoveryKeyMismatch):
        recover_profile(b, private_pem, KEY_PASSWORD, NEW_PASSPHRASE)


def test_passphrase_change_keeps_the_recovery_wrap(
        paths: ProfilePaths, keypair: tuple[bytes, bytes]) -> None:
    private_pem, public_pem = keypair
    recoverable_profile(paths, public_pem)
    change_passphrase(paths, PASSPHRASE, "een tweede wachtwoord")
    recover_profile(paths, private_pem, KEY_PASSWORD, NEW_PASSPHRASE, kdf=FAST_KDF)
    unlock(paths, NEW_PASSPHRASE).close()


def test_rsa_recovery_keys_of_3072_bits_work_and_short_ones_are_refused(
        profile: ProfilePaths) -> None:
    private = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    public_pem = rk.public_pem(private.public_key())
    private_pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(KEY_PASSWORD.encode()))
    set_recovery_key(profile, PASSPHRASE, public_pem)
    recover_profile(profile, private_pem, KEY_PASSWORD, NEW_PASSPHRASE, kdf=FAST_KDF)
    unlock(profile, NEW_PASSPHRASE).close()

    short = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(RecoveryKeyInvalid):
        set_recovery_key(profile, NEW_PASSPHRASE, rk.public_pem(short.public_key()))


def test_the_municipal_recovery_key_from_the_reference_data_is_applied_at_unlock(
        profile: ProfilePaths, keypair: tuple[bytes, bytes]) -> None:
    private_pem, public_pem = keypair
    assert rk.wrapped_key_id(profile.keyfile) is None
    ws = unlock(profile, PASSPHRASE)
    municipal.store_settings(ws.casefile, {"recovery_public_key": public_pem.decode()})
    ws.close()
    unlock(profile, PASSPHRASE).close()
    assert rk.wrapped_key_id(profile.keyfile) == rk.key_id(rk.load_public_key(public_pem))
    recover_profile(profile, private_pem, KEY_PASSWORD, NEW_PASSPHRASE, kdf=FAST_KDF)
    unlock(profile, NEW_PASSPHRASE).close()


@pytest.mark.slow
def test_beheerder_recovers_through_the_command_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    private, public = tmp_path / "herstel-prive.pem", tmp_path / "herstel-publiek.pem"
    key_pw = tmp_path / "sleutelwachtwoord.txt"
    key_pw.write_text(KEY_PASSWORD + "\n")
    made = cli("herstelsleutel", "maak", "--prive", str(private), "--publiek", str(public),
               "--sleutelwachtwoord-file", str(key_pw))
    assert made.returncode == 0, made.stderr
    assert private.stat().st_mode & 0o777 == 0o600
    assert b"ENCRYPTED PRIVATE KEY" in private.read_bytes()
    assert cli("init", "--herstelsleutel", str(public)).returncode == 0
    assert cli("demo", "--aantal", "2").returncode == 0
    shown = cli("herstelsleutel", "toon")
    assert shown.returncode == 0 and "Herstelsleutel:" in shown.stdout

    new_pw = tmp_path / "nieuw.txt"
    new_pw.write_text(NEW_PASSPHRASE + "\n")
    forgotten = tmp_path / "vergeten.txt"
    forgotten.write_text("iets wat niet klopt\n")
    recovered = cli("herstel", "--herstelsleutel", str(private), "--sleutelwachtwoord-file",
                    str(key_pw), "--new-passphrase-file", str(new_pw),
                    passphrase_file=forgotten)
    assert recovered.returncode == 0, recovered.stderr
    assert "Nog niet verstuurd: " in recovered.stdout
    check = cli("check", passphrase_file=new_pw)
    assert check.returncode == 0, check.stdout + check.stderr
    listing = cli("households", passphrase_file=new_pw)
    assert len(listing.stdout.strip().splitlines()) == 2
