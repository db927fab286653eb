"""Build the Wijkteam desktop bundle: the one command for municipal IT and for CI.

    python installer/build.py [--reuse-if-fresh] [--no-archive]

Run it with the Python of the environment that has Wijkteam installed (`.venv`, after
`scripts/run.sh` or `scripts/test.sh`). It

1. installs PyInstaller into that environment when it is missing (with pip);
2. builds the one-folder bundle `dist/wijkteam/` from `installer/wijkteam.spec`;
3. checks that the frozen program starts (`dist/wijkteam/wijkteam --version`);
4. on Linux packs `dist/wijkteam-<version>-linux-<machine>.tar.gz` (top folder `wijkteam/`);
   on Windows and macOS it prints the next step (Inno Setup, `installer/macos/make_dmg.sh`);
5. prints the paths of what it made.

`--reuse-if-fresh` skips the PyInstaller run when `dist/wijkteam/` is newer than every source
file (the app, resources, migrations, this folder and pyproject.toml); the tests use it.
Exit code 0 on success, 1 on a failed build or smoke check.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import re
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "installer" / "wijkteam.spec"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
BUNDLE = DIST / "wijkteam"
PYINSTALLER_REQUIREMENT = "pyinstaller>=6.10"
SOURCE_FOLDERS = ("wijkteam_app", "resources", "migrations", "installer")
SOURCE_FILES = ("pyproject.toml",)


def version() -> str:
    text = (ROOT / "wijkteam_app" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    if found is None:
        raise SystemExit("build: __version__ not found in wijkteam_app/__init__.py")
    return found.group(1)


def executable(bundle: Path = BUNDLE) -> Path:
    """The main program inside the bundle."""
    return bundle / ("wijkteam.exe" if os.name == "nt" else "wijkteam")


def archive_path() -> Path:
    machine = platform.machine().lower().replace("amd64", "x86_64")
    return DIST / f"wijkteam-{version()}-linux-{machine}.tar.gz"


def _source_files() -> Iterable[Path]:
    for folder in SOURCE_FOLDERS:
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                yield path
    for name in SOURCE_FILES:
        yield ROOT / name


def newest_source_mtime() -> float:
    return max(path.stat().st_mtime for path in _source_files())


def bundle_is_fresh() -> bool:
    """True when the bundle exists and was built after the last change to any source."""
    exe = executable()
    return exe.is_file() and exe.stat().st_mtime > newest_source_mtime()


def ensure_pyinstaller() -> None:
    if importlib.util.find_spec("PyInstaller") is not None:
        return
    print(f"==> PyInstaller installeren in {sys.prefix}", flush=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", PYINSTALLER_REQUIREMENT],
                   check=True)


def run_pyinstaller() -> None:
    print("==> bundel bouwen met PyInstaller (enkele minuten)", flush=True)
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(DIST), "--workpath", str(WORK), str(SPEC)],
        check=True, cwd=ROOT,
    )


def smoke_check() -> str:
    """The frozen program must start and report the version of the sources."""
    result = subprocess.run([str(executable()), "--version"], capture_output=True, text=True,
                            timeout=120, check=False)
    output = (result.stdout + result.stderr).strip()
    if result.returncode != 0 or version() not in output:
        raise SystemExit(f"build: the frozen app does not start properly:\n{output}")
    return output


def _normalise(info: tarfile.TarInfo) -> tarfile.TarInfo:
    """Root-owned, no build-machine user names; modes as built (executables stay executable)."""
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info


def make_linux_archive() -> Path:
    target = archive_path()
    partial = target.with_name(target.name + ".part")
    print(f"==> archief maken: {target.name}", flush=True)
    with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
        archive.add(BUNDLE, arcname="wijkteam", filter=_normalise)
        desktop = ROOT / "installer" / "linux" / "wijkteam.desktop"
        if desktop.is_file():
            archive.add(desktop, arcname="wijkteam/wijkteam.desktop", filter=_normalise)
    partial.replace(target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reuse-if-fresh", action="store_true",
                        help="skip PyInstaller when dist/wijkteam is newer than the sources")
    parser.add_argument("--no-archive", action="store_true",
                        help="do not pack the Linux .tar.gz")
    args = parser.parse_args(argv)

    started = time.monotonic()
    if args.reuse_if_fresh and bundle_is_fresh():
        print(f"==> bestaande bundel is actueel, niet opnieuw gebouwd: {BUNDLE}", flush=True)
    else:
        ensure_pyinstaller()
        try:
            run_pyinstaller()
        except subprocess.CalledProcessError as exc:
            print(f"build: PyInstaller failed (exit {exc.returncode})", file=sys.stderr)
            return 1
    print(f"==> controle: {smoke_check()}", flush=True)

    made = [BUNDLE]
    if sys.platform.startswith("linux") and not args.no_archive:
        if not (args.reuse_if_fresh and archive_path().is_file()
                and archive_path().stat().st_mtime > executable().stat().st_mtime):
            make_linux_archive()
        made.append(archive_path())
    elif sys.platform == "win32":
        print("Volgende stap (Windows): iscc /DAppVersion=" + version()
              + r" installer\windows\wijkteam.iss")
    elif sys.platform == "darwin":
        print("Volgende stap (macOS): installer/macos/make_dmg.sh")

    print(f"Klaar in {time.monotonic() - started:.0f} s:")
    for path in made:
        print(f"  {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
