"""Damage control: a damaged, empty, cut-off or keyless case file, a full disk, a read-only
folder or file, a profile path that is a file, repeated wrong passphrases and an untrusted
server certificate each get their own true Dutch message and touch nothing."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import socket
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import FAST_KDF, PASSPHRASE
from tests.helpers.factories import household
from wijkteam_app import cli
from wijkteam_app.errors import (
    CaseFileDamaged,
    CaseFileGone,
    CaseFileMissing,
    DataDirNotFolder,
    DiskFull,
    KeyFileMissing,
    UnlockThrottled,
    WrongKey,
    WrongPassphrase,
)
from wijkteam_app.messages import ERROR_MESSAGES, error_message
from wijkteam_app.paths import ProfilePaths
from wijkteam_app.persistence.integrity import PAGE_SIZE
from wijkteam_app.services import recovery
from wijkteam_app.services.demo import fill_demo
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import UnlockThrottle, init_profile, unlock
from wijkteam_app.sync.transport import Transport, UntrustedCertificate


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def filled(profile: ProfilePaths) -> ProfilePaths:
    ws = unlock(profile, PASSPHRASE)
    try:
        fill_demo(ws, households=3)
    finally:
        ws.close()
    return profile


def damage(path: Path, offset: int, length: int = 200) -> None:
    with path.open("r+b") as handle:
        handle.seek(offset)
        handle.write(b"\0" * length)


def refused_untouched(paths: ProfilePaths, kind: type[Exception]) -> Exception:
    before = sha256(paths.casefile)
    with pytest.raises(kind) as refused:
        unlock(paths, PASSPHRASE)
    assert sha256(paths.casefile) == before
    return refused.value


# --- each damage its own true message --------------------------------------------------------

def test_a_truncated_file_says_it_is_cut_off(filled: ProfilePaths) -> None:
    size = filled.casefile.stat().st_size
    os.truncate(filled.casefile, size // 2 + 100)  # mid-page
    exc = refused_untouched(filled, CaseFileDamaged)
    assert exc.code == "casefile_damaged_truncated"  # type: ignore[attr-defined]
    os.truncate(filled.casefile, PAGE_SIZE * 3)  # on a page boundary
    exc = refused_untouched(filled, CaseFileDamaged)
    assert exc.code in ("casefile_damaged_truncated",  # type: ignore[attr-defined]
                        "casefile_damaged_structure")


def test_a_damaged_first_page_is_not_called_a_wrong_key(filled: ProfilePaths) -> None:
    """Observed: "De sleutel past niet bij dit dossierbestand" for a damaged first page."""
    damage(filled.casefile, 100)
    exc = refused_untouched(filled, CaseFileDamaged)
    assert exc.code == "casefile_damaged_first_page"  # type: ignore[attr-defined]
    assert "sleutel past niet" not in error_message(exc.code)  # type: ignore[attr-defined]


def test_the_key_of_another_file_is_still_a_wrong_key(filled: ProfilePaths,
                                                      tmp_path: Path) -> None:
    other = ProfilePaths(tmp_path / "ander")
    init_profile(other, PASSPHRASE, kdf=FAST_KDF)
    shutil.copyfile(other.keyfile, filled.keyfile)
    refused_untouched(filled, WrongKey)


def test_a_bad_page_inside_is_found_before_anything_is_written(filled: ProfilePaths) -> None:
    """Observed: `households` on a file with a bad page listed and appended an audit entry."""
    damage(filled.casefile, PAGE_SIZE * 5 + 100)
    exc = refused_untouched(filled, CaseFileDamaged)
    assert exc.code == "casefile_damaged_pages"  # type: ignore[attr-defined]


def test_an_empty_file_stays_empty(filled: ProfilePaths) -> None:
    """Observed: a zero-byte case file was turned into a fresh header."""
    filled.casefile.write_bytes(b"")
    exc = refused_untouched(filled, CaseFileDamaged)
    assert exc.code == "casefile_damaged_empty"  # type: ignore[attr-defined]
    assert filled.casefile.stat().st_size == 0
    assert not any(p.exists() for p in filled.sidecars())


def test_missing_key_file_and_missing_case_file_are_told_apart(filled: ProfilePaths) -> None:
    """Observed: "Er is nog geen dossierbestand" while the file was there."""
    key = filled.keyfile.read_bytes()
    filled.keyfile.unlink()
    with pytest.raises(KeyFileMissing):
        unlock(filled, PASSPHRASE)
    assert "sleutelbestand" in ERROR_MESSAGES["keyfile_missing"]
    filled.keyfile.write_bytes(key)
    filled.casefile.rename(filled.root / "elders.wijkteam")
    with pytest.raises(CaseFileGone):
        unlock(filled, PASSPHRASE)
    filled.keyfile.unlink()
    with pytest.raises(CaseFileMissing) as both:
        unlock(filled, PASSPHRASE)
    assert type(both.value) is CaseFileMissing


def test_every_damage_message_says_what_to_do() -> None:
    for code in ("casefile_damaged_empty", "casefile_damaged_truncated",
                 "casefile_damaged_first_page", "casefile_damaged_pages",
                 "casefile_damaged_structure", "casefile_gone"):
        text = error_message(code)
        assert "backups" in text and "server" in text, code
    for code in ("disk_full", "read_only_folder", "read_only_file", "data_dir_not_folder",
                 "keyfile_missing", "disk_error"):
        assert error_message(code) != error_message("error"), code
    assert len({error_message(c) for c in ERROR_MESSAGES}) == len(ERROR_MESSAGES)


# --- a full disk while saving -----------------------------------------------------------------

def test_a_full_disk_during_a_save_is_a_message_and_changes_nothing(
        profile: ProfilePaths) -> None:
    ws = unlock(profile, PASSPHRASE)
    try:
        service = HouseholdService(ws)
        service.create(household("Huishouden Eerste"))
        with ws.casefile.engine.connect() as conn:
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
            conn.exec_driver_sql(f"PRAGMA max_page_count = {pages}")  # the disk is "full"
        with pytest.raises(DiskFull):
            for n in range(2000):
                service.create(household(f"Huishouden {n} " + "Lang" * 45))
        names = [h.name for h in service.list()]
        with ws.casefile.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA max_page_count = 1073741823")  # space freed
        service.create(household("Huishouden Daarna"))
        assert "Huishouden Eerste" in names
        assert len([h for h in service.list()]) == len(names) + 1
    finally:
        ws.close()


# --- the profile folder ----------------------------------------------------------------------

@pytest.fixture
def quiet_cli(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def run_cli(data_dir: Path, tmp_path: Path, *args: str) -> int:
    pw = tmp_path / "pw.txt"
    pw.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return cli.main(["--data-dir", str(data_dir), "--passphrase-file", str(pw), *args])


def test_a_data_dir_that_is_a_file_is_a_message_not_a_traceback(
        tmp_path: Path, quiet_cli: None, capsys: pytest.CaptureFixture[str]) -> None:
    """Observed: NotADirectoryError traceback (logging was set up before the excepthook)."""
    target = tmp_path / "geen-map"
    target.write_text("x")
    for command in ("households", "init"):
        assert run_cli(target, tmp_path, command) == 1
        err = capsys.readouterr().err
        assert "Traceback" not in err
        assert error_message("data_dir_not_folder") in err
    assert target.read_text() == "x"
    with pytest.raises(DataDirNotFolder):
        init_profile(ProfilePaths(target), PASSPHRASE, kdf=FAST_KDF)


def make_read_only(path: Path) -> None:
    """chmod; as root (where chmod does not stop writes) also the immutable flag."""
    path.chmod(0o500 if path.is_dir() else 0o400)
    if os.geteuid() == 0:
        chattr = shutil.which("chattr")
        if chattr is None or subprocess.run([chattr, "+i", str(path)],
                                            capture_output=True).returncode != 0:
            path.chmod(0o700 if path.is_dir() else 0o600)
            pytest.skip("running as root without chattr: cannot make a file read-only")


def make_writable(path: Path) -> None:
    if os.geteuid() == 0 and shutil.which("chattr"):
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)
    path.chmod(0o700 if path.is_dir() else 0o600)


@pytest.mark.parametrize("what", ["folder", "file"])
def test_a_read_only_folder_or_file_is_a_message_not_a_traceback(
        filled: ProfilePaths, tmp_path: Path, quiet_cli: None, what: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    target = filled.root if what == "folder" else filled.casefile
    before = sha256(filled.casefile)
    make_read_only(target)
    try:
        assert run_cli(filled.root, tmp_path, "households") == 1
    finally:
        make_writable(target)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert error_message(f"read_only_{what}") in err
    assert sha256(filled.casefile) == before


def test_a_first_run_session_writes_a_log_file(tmp_path: Path, quiet_cli: None,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Observed: the crash dialog said "vastgelegd in het logbestand" but there was none."""
    fresh = tmp_path / "nieuw-profiel"
    monkeypatch.setitem(cli.COMMANDS, "gui", lambda _args, _paths: (
        logging.getLogger("wijkteam.test").warning("first run"), 0)[1])
    assert cli.main(["--data-dir", str(fresh)]) == 0
    log_file = fresh / "logs" / "wijkteam.log"
    assert log_file.is_file() and "first run" in log_file.read_text(encoding="utf-8")


def test_check_prints_findings_not_raw_sqlcipher_lines(
        filled: ProfilePaths, tmp_path: Path, quiet_cli: None,
        capfd: pytest.CaptureFixture[str]) -> None:
    damage(filled.casefile, PAGE_SIZE * 5 + 100)
    before = sha256(filled.casefile)
    assert run_cli(filled.root, tmp_path, "check") == 1
    out, err = capfd.readouterr()
    assert "ERROR CORE" not in out + err
    assert "PROBLEEM: cipher_integrity_check: 1 beschadigde pagina('s)" in out
    assert "Dossierbestand NIET in orde." in out
    assert sha256(filled.casefile) == before


# --- wrong passphrases -------------------------------------------------------------------------

def test_repeated_wrong_passphrases_cost_a_growing_wait(profile: ProfilePaths) -> None:
    clock = [1_000_000.0]
    throttle = UnlockThrottle(profile, now=lambda: clock[0])
    for _ in range(3):
        with pytest.raises(WrongPassphrase):
            unlock(profile, "niet het wachtwoord", throttle=throttle)
    with pytest.raises(UnlockThrottled) as first:
        unlock(profile, PASSPHRASE, throttle=throttle)  # even the right one waits
    assert first.value.seconds == 5
    clock[0] += 5
    with pytest.raises(WrongPassphrase):
        unlock(profile, "nog steeds fout", throttle=throttle)
    with pytest.raises(UnlockThrottled) as second:
        unlock(profile, PASSPHRASE, throttle=throttle)
    assert second.value.seconds == 10  # growing
    # A restart does not reset it: the count is kept beside the case file.
    assert UnlockThrottle(profile, now=lambda: clock[0]).seconds_left() == 10
    clock[0] += 10
    unlock(profile, PASSPHRASE, throttle=throttle).close()
    assert throttle.seconds_left() == 0
    assert not (profile.root / UnlockThrottle.FILE).exists()


# --- restoring ---------------------------------------------------------------------------------

def test_restore_sets_the_damaged_file_aside_unchanged_and_opens_the_backup(
        filled: ProfilePaths) -> None:
    ws = unlock(filled, PASSPHRASE)
    names = sorted(h.name for h in HouseholdService(ws).list())
    ws.close()
    filled.backups.mkdir(exist_ok=True)
    backup = filled.backups / "dossier-20261201T080000Z-handmatig.wijkteam"
    shutil.copyfile(filled.casefile, backup)
    damage(filled.casefile, PAGE_SIZE * 5 + 100)
    damaged = sha256(filled.casefile)
    with pytest.raises(CaseFileDamaged):
        unlock(filled, PASSPHRASE)
    [found] = recovery.backups(filled)
    restored = recovery.restore_backup(filled, found, PASSPHRASE)
    try:
        assert sorted(h.name for h in HouseholdService(restored).list()) == names
    finally:
        restored.close()
    [aside] = list((filled.root / recovery.ASIDE_FOLDER).iterdir())
    assert sha256(aside / filled.casefile.name) == damaged


# --- an untrusted certificate ------------------------------------------------------------------

def self_signed(tmp_path: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=1))
            .sign(key, hashes.SHA256()))
    certfile, keyfile = tmp_path / "cert.pem", tmp_path / "key.pem"
    certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return certfile, keyfile


def test_an_untrusted_certificate_is_not_called_no_connection(tmp_path: Path) -> None:
    """Observed: an untrusted TLS certificate said "Geen verbinding"."""
    certfile, keyfile = self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certfile, keyfile)
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve() -> None:
        conn, _addr = listener.accept()
        try:
            context.wrap_socket(conn, server_side=True).close()
        except (ssl.SSLError, OSError):
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        with Transport(f"https://127.0.0.1:{port}") as transport, \
                pytest.raises(UntrustedCertificate) as refused:
            transport.health()
    finally:
        thread.join(timeout=10)
        listener.close()
    assert "certificaat" in refused.value.message
    assert "IT-afdeling" in refused.value.message
    assert not refused.value.message.startswith("Geen verbinding met de server")


def test_a_file_left_by_a_crash_with_its_wal_opens_normally(profile: ProfilePaths,
                                                           tmp_path: Path) -> None:
    """After a crash the newest pages are still in the WAL and the main file is shorter than
    the database: that is not damage."""
    ws = unlock(profile, PASSPHRASE)
    try:
        fill_demo(ws, households=2)
        wal = Path(f"{profile.casefile}-wal")
        assert wal.exists() and wal.stat().st_size > 32
        crashed = ProfilePaths(tmp_path / "na-crash")
        crashed.root.mkdir()
        for path in (profile.casefile, profile.keyfile, *profile.sidecars()):
            shutil.copyfile(path, crashed.root / path.name)  # as a power cut leaves them
    finally:
        ws.close()
    reopened = unlock(crashed, PASSPHRASE)
    try:
        assert len(HouseholdService(reopened).list()) == 2
    finally:
        reopened.close()
