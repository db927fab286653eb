"""Where things live: the profile folder of one worker, and the shipped resources.

Handles the frozen (PyInstaller) case in one place.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "Wijkteam"


def install_root() -> Path:
    """The folder holding `resources/` and `migrations/`: the checkout, or the bundle."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parents[1]


def resources_dir() -> Path:
    return install_root() / "resources"


def migrations_dir() -> Path:
    return install_root() / "migrations"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True, slots=True)
class ProfilePaths:
    """The files of one profile folder (`--data-dir`)."""

    root: Path

    @property
    def casefile(self) -> Path:
        return self.root / "dossier.wijkteam"

    @property
    def keyfile(self) -> Path:
        return self.root / "sleutel.json"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    def sidecars(self) -> list[Path]:
        """SQLite's WAL and shared-memory files next to the case file."""
        return [Path(f"{self.casefile}-wal"), Path(f"{self.casefile}-shm")]

    def ensure(self) -> None:
        """Create the folders, readable by the owner only."""
        for folder in (self.root, self.logs, self.backups):
            folder.mkdir(parents=True, exist_ok=True)
            if os.name == "posix":
                folder.chmod(0o700)
