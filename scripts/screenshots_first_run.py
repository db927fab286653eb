"""Render every page of the first-run wizard to PNG files in docs/screenshots/ (offscreen).

Uses a throw-away profile folder, an in-memory keyring, a fast key derivation and a stand-in
for the server login (nothing goes over the network). Nothing touches the real profile or the
system keyring.

    python scripts/screenshots_first_run.py [output-folder]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from _screens import PASSPHRASE, fast_init, output_folder, save, use_memory_keyring

from wijkteam_app.errors import WijkteamError
from wijkteam_app.paths import ProfilePaths
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.app import create_application
from wijkteam_app.ui.dialogs.first_run_wizard import FirstRunWizard
from wijkteam_app.ui.dialogs.unlock_dialog import UnlockDialog

SERVER = "https://wijkteam.voorbeeldstad.nl"


class LoginRefused(WijkteamError):
    code = "login_refused"  # not in the catalogue: shows the generic Dutch error text


def refuse_login(workspace: Workspace, url: str, username: str, password: str) -> None:
    raise LoginRefused()


def main(argv: list[str]) -> int:
    out = output_folder(argv[1] if len(argv) > 1 else None)
    use_memory_keyring()
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
