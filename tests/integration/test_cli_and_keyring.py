"""The `wijkteam` command as scripts and municipal IT use it: separate processes, the real
Secret Service (gnome-keyring on the session bus), no in-memory stand-ins."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import wijkteam_command

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def test_init_demo_households_check_through_the_real_keyring(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("init", "--naam", "Test Werker", "--team", "Team Noord").returncode == 0
    demo = cli("demo", "--aantal", "4")
    assert demo.returncode == 0, demo.stderr
    listing = cli("households")
    assert listing.returncode == 0, listing.stderr
    lines = listing.stdout.strip().splitlines()
    assert len(lines) == 4
    for line in lines:
        household_id, name, postcode, wijk = line.split("\t")
        assert len(household_id) == 36 and name.startswith("Huishouden ")
        assert len(postcode) == 7 and wijk
    check = cli("check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "Dossierbestand in orde." in check.stdout
    written = 0
    for line in lines:
        household_id = line.split("\t")[0]
        out = cli.data_dir.parent / f"plan-{household_id}.pdf"
        result = cli("plan", "pdf", household_id, "-o", str(out))
        if result.returncode == 0:
            assert out.read_bytes().startswith(b"%PDF")
            written += 1
        else:
            assert "nog geen ondersteuningsplan" in result.stderr
    assert written >= 1
    key_file = (cli.data_dir / "sleutel.json").read_text()
    assert "keyring_account" in key_file  # the secret itself lives in the keyring, not here


def test_wrong_passphrase_exits_2_with_a_dutch_message_and_touches_nothing(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert cli("init").returncode == 0
    files = sorted(p for p in cli.data_dir.rglob("*") if p.is_file() and "logs" not in p.parts)
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    wrong = tmp_path / "fout.txt"
    wrong.write_text("dit is niet het wachtwoord")
    result = cli("households", passphrase_file=wrong)
    assert result.returncode == 2
    assert "Het wachtwoord klopt niet" in result.stderr
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files} == before


def test_passphrase_file_from_the_environment_and_passwd(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert cli("init").returncode == 0
    env = {**os.environ, "WIJKTEAM_PASSPHRASE_FILE": str(cli.passphrase_file)}
    base = [*wijkteam_command(), "--data-dir", str(cli.data_dir)]
    listed = subprocess.run([*base, "households"], env=env, capture_output=True, text=True,
                            timeout=120, check=False)
    assert listed.returncode == 0, listed.stderr
    new = tmp_path / "nieuw.txt"
    new.write_text("een heel ander wachtwoord\n")
    changed = cli("passwd", "--new-passphrase-file", str(new))
    assert changed.returncode == 0, changed.stderr
    assert cli("households").returncode == 2
    assert cli("check", passphrase_file=new).returncode == 0


def test_no_usable_keyring_gives_install_advice_and_creates_nothing(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("init", env={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    assert result.returncode == 1
    assert "gnome-keyring" in result.stderr and "sleutelopslag" in result.stderr
    assert not (cli.data_dir / "dossier.wijkteam").exists()
    assert not (cli.data_dir / "sleutel.json").exists()


@pytest.mark.parametrize("run", range(3))
def test_sigkill_during_saves_loses_no_acknowledged_save(cli, run: int) -> None:  # type: ignore[no-untyped-def]
    assert cli("init").returncode == 0
    rng = random.Random(run)
    target = rng.randint(5, 40)
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.crash_writer", str(cli.data_dir),
         str(cli.passphrase_file)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    acknowledged: list[str] = []
    assert child.stdout is not None
    for line in child.stdout:
        acknowledged.append(line.strip())
        if len(acknowledged) >= target:
            break
    child.send_signal(signal.SIGKILL)  # mid-save: the writer never pauses between saves
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    # Lines the child printed after we stopped reading were acknowledged too.
    acknowledged += [line.strip() for line in child.stdout if line.strip()]

    check = cli("check")
    assert check.returncode == 0, check.stdout + check.stderr
    listing = cli("households")
    present = {line.split("\t")[0] for line in listing.stdout.splitlines()}
    assert set(acknowledged) <= present
    assert len(present) - len(acknowledged) <= 1  # at most the save that was in flight


def test_version_flag() -> None:
    result = subprocess.run([*wijkteam_command(), "--version"], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0 and result.stdout.startswith("Wijkteam ")
