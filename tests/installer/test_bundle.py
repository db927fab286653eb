"""The frozen one-folder bundle (installer/build.py) as municipal IT will run it.

Builds `dist/wijkteam/` (or reuses it when it is newer than every source file) and drives
the frozen program in separate processes against the real Secret Service: version, init,
demo, check, the window offscreen, and an upgrade of a case file written with the first
schema revision. Building takes a minute or two, so it runs only when asked:
WIJKTEAM_BUILD_BUNDLE=1, or in CI (the CI environment variable is set).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from sqlalchemy import text

from tests.conftest import PASSPHRASE
from wijkteam_app import __version__
from wijkteam_app.messages import error_message
from wijkteam_app.paths import ProfilePaths

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "installer" / "build.py"
BUILD_TIMEOUT = 40 * 60

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (os.environ.get("WIJKTEAM_BUILD_BUNDLE") == "1" or os.environ.get("CI")),
        reason="builds the PyInstaller bundle; set WIJKTEAM_BUILD_BUNDLE=1 (CI always does)",
    ),
]


def _load_build_module():  # type: ignore[no-untyped-def]
    import importlib.util

    spec = importlib.util.spec_from_file_location("wijkteam_installer_build", BUILD)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load_build_module()


@pytest.fixture(scope="module")
def bundle() -> Path:
    """The frozen program, built now or reused when still fresh."""
    result = subprocess.run([sys.executable, str(BUILD), "--reuse-if-fresh"], cwd=ROOT,
                            capture_output=True, text=True, timeout=BUILD_TIMEOUT, check=False)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    exe = build.executable()
    assert exe.is_file()
    return Path(exe)


def frozen_env(**extra: str) -> dict[str, str]:
    """The caller's environment (session bus, XDG folders) without Python or keyring
    overrides that could leak into the frozen interpreter."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PYTHON") and k != "PYTHON_KEYRING_BACKEND"}
    env["LC_ALL"] = "C.UTF-8"
    env.update(extra)
    return env


@pytest.fixture
def frozen(bundle: Path, real_keyring: None, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Run the frozen `wijkteam --data-dir ... --passphrase-file ...` in a fresh folder."""
    data_dir = tmp_path / "profiel"
    pw = tmp_path / "wachtwoord.txt"
    pw.write_text(PASSPHRASE + "\n", encoding="utf-8")

    def run(*args: str, timeout: float = 180,
            **extra_env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(bundle), "--data-dir", str(data_dir), "--passphrase-file", str(pw), *args],
            capture_output=True, text=True, encoding="utf-8", errors="replace",
            timeout=timeout, env=frozen_env(**extra_env), check=False, cwd=tmp_path)

    run.paths = ProfilePaths(data_dir)  # type: ignore[attr-defined]
    return run


def test_the_frozen_app_prints_its_version(bundle: Path) -> None:
    result = subprocess.run([str(bundle), "--version"], capture_output=True, text=True,
                            timeout=120, env=frozen_env(), check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Wijkteam {__version__}"


def test_the_bundle_holds_resources_and_migrations_where_paths_expects_them(
        bundle: Path) -> None:
    internal = bundle.parent / "_internal"
    for relative in ("resources", "migrations/env.py", "migrations/versions"):
        assert (internal / relative).exists(), relative
    shipped = sorted(p.name for p in (internal / "migrations" / "versions").glob("*.py"))
    source = sorted(p.name for p in (ROOT / "migrations" / "versions").glob("*.py"))
    assert shipped == source
    assert list((internal / "reportlab" / "fonts").glob("Vera*.ttf"))
    assert (internal / "PySide6" / "Qt" / "plugins" / "platforms" / "libqoffscreen.so").exists()
    assert (internal / "PySide6" / "Qt" / "plugins" / "platforms" / "libqxcb.so").exists()
    # zstd for the change feed: without it httpx silently falls back to gzip
    assert list((internal / "zstandard").glob("backend_c*"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the archive is Linux-only")
def test_the_linux_archive_unpacks_to_one_wijkteam_folder(bundle: Path) -> None:
    archive = build.archive_path()
    assert archive.is_file()
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        main = tar.getmember("wijkteam/wijkteam")
    assert all(name == "wijkteam" or name.startswith("wijkteam/") for name in names)
    assert main.mode & 0o111  # still executable
    assert "wijkteam/_internal/migrations/env.py" in names
    assert "wijkteam/wijkteam.desktop" in names


def test_init_demo_and_check_on_a_fresh_data_folder(frozen) -> None:  # type: ignore[no-untyped-def]
    init = frozen("init", "--naam", "Test Werker", "--team", "Team Noord")
    assert init.returncode == 0, init.stderr
    demo = frozen("demo", "--aantal", "2")
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout.startswith("2 verzonnen huishoudens")
    check = frozen("check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "Dossierbestand in orde." in check.stdout
    listing = frozen("households")
    assert listing.returncode == 0, listing.stderr
    assert len(listing.stdout.strip().splitlines()) == 2
    household = listing.stdout.split("\t")[0]
    pdf = frozen.paths.root.parent / "plan.pdf"
    plan = frozen("plan", "pdf", household, "-o", str(pdf))
    assert plan.returncode == 0, plan.stderr  # reportlab and its fonts are in the bundle
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_the_window_starts_offscreen_and_quits_cleanly(frozen) -> None:  # type: ignore[no-untyped-def]
    assert frozen("init").returncode == 0
    result = frozen("gui", "--quit-after-start", QT_QPA_PLATFORM="offscreen", timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "could not load the qt platform plugin" not in result.stderr.lower()
    log = (frozen.paths.logs / "wijkteam.log").read_text(encoding="utf-8")
    assert "wijkteam_app.ui.main_window" in log  # the main window existed and closed again


@pytest.fixture
def secret_service() -> Iterator[None]:
    """This process talks to the same Secret Service as the frozen app (instead of the
    in-memory keyring the other tests use)."""
    from keyring.backends import SecretService

    previous = keyring.get_keyring()
    keyring.set_keyring(SecretService.Keyring())
    yield
    keyring.set_keyring(previous)


def test_a_first_schema_case_file_is_upgraded_through_the_bundle(  # type: ignore[no-untyped-def]
        frozen, secret_service: None) -> None:
    from tests.integration.test_migrations import FIRST_REVISION, make_first_schema_profile

    paths: ProfilePaths = frozen.paths
    ids = make_first_schema_profile(paths)
    assert not list(paths.backups.glob("*.wijkteam"))

    listing = frozen("households")
    assert listing.returncode == 0, listing.stderr
    assert listing.stdout.split("\t")[0] == ids["household"]
    assert "Çelik-Proef" in listing.stdout

    check = frozen("check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "schema: " in check.stdout and "(nieuwste)" in check.stdout
    backups = list(paths.backups.glob("*.wijkteam"))
    assert len(backups) == 1
    assert not backups[0].read_bytes().startswith(b"SQLite format 3")  # still encrypted

    # The backup is the file as it was: it opens with the same key at the first revision.
    from alembic.migration import MigrationContext

    from wijkteam_app.persistence.engine import make_engine
    from wijkteam_app.security import keys

    engine = make_engine(backups[0], keys.unlock_data_key(paths.keyfile, PASSPHRASE))
    try:
        with engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() == FIRST_REVISION
    finally:
        engine.dispose()


def test_the_bundle_refuses_a_newer_case_file_untouched(  # type: ignore[no-untyped-def]
        frozen, secret_service: None) -> None:
    from wijkteam_app.persistence.engine import make_engine
    from wijkteam_app.security import keys

    assert frozen("init").returncode == 0
    paths: ProfilePaths = frozen.paths
    engine = make_engine(paths.casefile, keys.unlock_data_key(paths.keyfile, PASSPHRASE))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0999_from_the_future'"))
    engine.dispose()
    before = hashlib.sha256(paths.casefile.read_bytes()).hexdigest()

    result = frozen("households")
    assert result.returncode == 1
    assert error_message("casefile_too_new") in result.stderr
    assert hashlib.sha256(paths.casefile.read_bytes()).hexdigest() == before
    assert not list(paths.backups.glob("*.wijkteam"))
