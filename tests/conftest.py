"""Shared fixtures: offscreen Qt, an in-memory keyring, fast Argon2 for in-process tests,
and the real Secret Service environment for subprocess tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring
import pytest

from tests.helpers.memory_keyring import MemoryKeyring
from wijkteam_app.paths import ProfilePaths
from wijkteam_app.services.profile import KdfParams, Workspace, init_profile, unlock

PASSPHRASE = "correct horse battery staple"
FAST_KDF = KdfParams(time_cost=1, memory_cost_kib=1024, parallelism=1)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def paths(tmp_path: Path) -> ProfilePaths:
    return ProfilePaths(tmp_path / "profiel")


@pytest.fixture
def profile(paths: ProfilePaths) -> ProfilePaths:
    init_profile(paths, PASSPHRASE, kdf=FAST_KDF)
    return paths


@pytest.fixture
def workspace(profile: ProfilePaths) -> Iterator[Workspace]:
    ws = unlock(profile, PASSPHRASE)
    yield ws
    ws.close()


def secret_service_available() -> bool:
    """True when a Secret Service answers on the session bus (gnome-keyring under dbus)."""
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return False
    probe = (
        "import keyring,sys\n"
        "from keyring.backends import SecretService\n"
        "b=SecretService.Keyring()\n"
        "b.set_password('nl.wijkteam.test','probe','x')\n"
        "sys.exit(0 if b.get_password('nl.wijkteam.test','probe')=='x' else 1)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, timeout=60,
                            check=False)
    return result.returncode == 0


@pytest.fixture(scope="session")
def real_keyring() -> None:
    """Require a real Secret Service. Skipped only outside CI; in CI its absence fails."""
    if not secret_service_available():
        if os.environ.get("CI"):
            pytest.fail("No Secret Service on the session bus; run the tests via scripts/test.sh")
        pytest.skip("no Secret Service (run via scripts/test.sh)")


def wijkteam_command() -> list[str]:
    exe = shutil.which("wijkteam", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "wijkteam_app"]


@pytest.fixture
def cli(real_keyring: None, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Run `wijkteam --data-dir ... --passphrase-file ...` as a separate process."""
    data_dir = tmp_path / "cli-profiel"
    pw = tmp_path / "wachtwoord.txt"
    pw.write_text(PASSPHRASE + "\n", encoding="utf-8")

    def run(*args: str, passphrase_file: Path | None = None, env: dict[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
        cmd = [*wijkteam_command(), "--data-dir", str(data_dir),
               "--passphrase-file", str(passphrase_file or pw), *args]
        full_env = {k: v for k, v in os.environ.items() if k != "PYTHON_KEYRING_BACKEND"}
        full_env.update(env or {})
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              env=full_env, check=False)

    run.data_dir = data_dir  # type: ignore[attr-defined]
    run.passphrase_file = pw  # type: ignore[attr-defined]
    return run
