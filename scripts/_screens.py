"""What the screenshot scripts share: offscreen Qt, an in-memory keyring, a throw-away profile
with a fast key derivation, and writing a widget to a PNG file.

Import it before the Qt application is made: importing it sets QT_QPA_PLATFORM=offscreen
(unless the environment already says otherwise). Nothing here touches the real profile or the
system keyring.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import keyring
import keyring.backend
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from wijkteam_app.paths import ProfilePaths
from wijkteam_app.services.profile import (
    KdfParams,
    LocalIdentity,
    Workspace,
    init_profile,
    unlock,
)

PASSPHRASE = "voorbeeld wachtwoord 2026"  # noqa: S105 (throw-away demo profile)
FAST_KDF = KdfParams(time_cost=1, memory_cost_kib=1024, parallelism=1)
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """Keeps the profile secret in memory for the lifetime of the script."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self._store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._store.pop((service, username), None)


def use_memory_keyring() -> None:
    keyring.set_keyring(MemoryKeyring())


def output_folder(argument: str | None) -> Path:
    """The folder named on the command line, or docs/screenshots; made when missing."""
    out = Path(argument) if argument else DEFAULT_OUT
    out.mkdir(parents=True, exist_ok=True)
    return out


def fast_init(paths: ProfilePaths, passphrase: str, identity: LocalIdentity) -> None:
    """`init_profile` with a key derivation that takes milliseconds (demo profiles only)."""
    init_profile(paths, passphrase, identity, kdf=FAST_KDF)


def new_profile(folder: str | Path, wijken: tuple[str, ...] = ()) -> ProfilePaths:
    """A fresh profile "profiel" in `folder` for Fenna Voorbeeld of Wijkteam Noord."""
    paths = ProfilePaths(Path(folder) / "profiel")
    fast_init(paths, PASSPHRASE, LocalIdentity(display_name="Fenna Voorbeeld",
                                               team_name="Wijkteam Noord", wijken=wijken))
    return paths


def new_workspace(folder: str | Path, wijken: tuple[str, ...] = ()) -> Workspace:
    """`new_profile`, unlocked."""
    return unlock(new_profile(folder, wijken), PASSPHRASE)


def settle(widget: QWidget, rounds: int = 5) -> None:
    """Show the widget and let Qt lay it out and paint."""
    widget.show()
    for _ in range(rounds):
        QCoreApplication.processEvents()


def save(widget: QWidget, out: Path, name: str, rounds: int = 5) -> None:
    """Write the widget as `out/name` (PNG) and print the path."""
    settle(widget, rounds)
    path = out / name
    if not widget.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(path)
