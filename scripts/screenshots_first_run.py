"""Render every page of the first-run wizard to PNG files in docs/screenshots/ (offscreen).

Uses a throw-away profile folder, an in-memory keyring, a fast key derivation and a stand-in
for the server login (nothing goes over the network). Nothing touches the real profile or the
system keyring.

    python scripts/screenshots_first_run.py [output-folder]
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import tempfile
from pathlib import Path

import keyring
import keyring.backend
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from wijkteam_app.errors import WijkteamError
from wijkteam_app.paths import ProfilePaths
from wijkteam_app.services.profile import KdfParams, LocalIdentity, Workspace, init_profile
from wijkteam_app.ui.app import create_application
from wijkteam_app.ui.dialogs.first_run_wizard import FirstRunWizard
from wijkteam_app.ui.dialogs.unlock_dialog import UnlockDialog

PASSPHRASE = "voorbeeld wachtwoord 2026"  # noqa: S105 (throw-away demo profile)
FAST_KDF = KdfParams(time_cost=1, memory_cost_kib=1024, parallelism=1)
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
SERVER = "https://wijkteam.voorbeeldstad.nl"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """Keeps the profile secret in memory for the lifetime of this script."""

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


class LoginRefused(WijkteamError):
    code = "login_refused"  # not in the catalogue: shows the generic Dutch error text


def fast_init(paths: ProfilePaths, passphrase: str, identity: LocalIdentity) -> None:
    init_profile(paths, passphrase, identity, kdf=FAST_KDF)


def refuse_login(workspace: Workspace, url: str, username: str, password: str) -> None:
    raise LoginRefused()


def save(widget: QWidget, out: Path, name: str) -> None:
    widget.show()
    for _ in range(5):
        QCoreApplication.processEvents()
    path = out / name
    if not widget.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(path)


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    out.mkdir(parents=True, exist_ok=True)
    keyring.set_keyring(MemoryKeyring())
    create_application()

    with tempfile.TemporaryDirectory(prefix="wijkteam-screens-") as tmp:
        # Server path: welcome, a refused address, passphrase, login (and a refused login).
        paths = ProfilePaths(Path(tmp) / "server")
        wizard = FirstRunWizard(paths, login=refuse_login, init=fast_init, server_url="")
        save(wizard, out, "eerste-start-1-welkom.png")
        wizard.welcome.url.setText("http://wijkteam.voorbeeldstad.nl")
        wizard.next()
        save(wizard, out, "eerste-start-1-welkom-fout.png")
        wizard.welcome.url.setText(SERVER)
        wizard.next()
        page = wizard.passphrase_page
        page.name.setText("Fenna Voorbeeld")
        page.team.setText("Wijkteam Noord")
        page.passphrase.setText(PASSPHRASE)
        save(wizard, out, "eerste-start-2-wachtwoord.png")
        page.repeat.setText("iets anders")
        wizard.next()
        save(wizard, out, "eerste-start-2-wachtwoord-fout.png")
        page.repeat.setText(PASSPHRASE)
        wizard.next()
        save(wizard, out, "eerste-start-3-inloggen.png")
        wizard.login_page.username.setText("fvoorbeeld")
        wizard.login_page.password.setText("geen echt wachtwoord")
        wizard.button(wizard.WizardButton.FinishButton).click()
        save(wizard, out, "eerste-start-3-inloggen-fout.png")
        wizard.finish_without_login()
        assert wizard.workspace is not None
        wizard.workspace.close()

        # Local only: the passphrase page is the last one and says so.
        local = FirstRunWizard(ProfilePaths(Path(tmp) / "lokaal"), login=refuse_login,
                               init=fast_init, server_url="")
        local.show()
        local.welcome.local_choice.setChecked(True)
        local.next()
        save(local, out, "eerste-start-2-wachtwoord-lokaal.png")
        local.close()

        unlock = UnlockDialog(paths)
        save(unlock, out, "eerste-start-4-ontgrendelen-versie.png")
        unlock.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
