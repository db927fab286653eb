"""Render the privacy screens to PNG files in docs/screenshots/ (offscreen): the lock screen
and the covered windows behind it.

Uses a throw-away profile with invented demo households, an in-memory keyring and a fast key
derivation; nothing touches the real profile or the system keyring.

    python scripts/screenshots_privacy.py [output-folder]
"""

from __future__ import annotations

import sys
import tempfile

from _screens import new_workspace, output_folder, save, settle, use_memory_keyring

from wijkteam_app.services.access_log import AccessLogService
from wijkteam_app.services.demo import fill_demo
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.app import create_application
from wijkteam_app.ui.dialogs.access_log_dialog import AccessLogDialog
from wijkteam_app.ui.dialogs.intake_wizard import IntakeWizard
from wijkteam_app.ui.main_window import MainWindow


def lock_shots(workspace: Workspace, out: object) -> None:
    window = MainWindow(workspace)
    window.resize(1280, 760)
    settle(window)
    wizard = IntakeWizard(workspace, window)
    settle(wizard)
    wizard.referrer.setText("Huisarts")
    window.locker.lock("idle")
    screen = window.locker.screen
    assert screen is not None
    save(window, out, "privacy-vergrendeld-hoofdvenster.png")  # type: ignore[arg-type]
    save(wizard, out, "privacy-vergrendeld-formulier.png")  # type: ignore[arg-type]
    save(screen, out, "privacy-vergrendeld-wachtwoord.png")  # type: ignore[arg-type]
    screen.passphrase.setText("niet het goede wachtwoord")
    screen.unlock_button.click()
    save(screen, out, "privacy-vergrendeld-wachtwoord-fout.png")  # type: ignore[arg-type]
    wizard.close()
    window.close_workspace()


def access_log_shots(workspace: Workspace, out: object) -> None:
    window = MainWindow(workspace)
    settle(window)
    household = HouseholdService(workspace).list(limit=1)[0]
    window.open_household(household.id)
    window.open_household(household.id)
    AccessLogService(workspace).record("inzage.export", "persoon", "", household.id,
                                       "Inzageverzoek van de inwoner")
    dialog = AccessLogDialog(window.access_log, household.id, household.name, None, window)
    save(dialog, out, "privacy-wie-heeft-ingezien.png")  # type: ignore[arg-type]
    dialog.close()
    window.close_workspace()


def main(argv: list[str]) -> int:
    out = output_folder(argv[1] if len(argv) > 1 else None)
    use_memory_keyring()
    create_application()
    with tempfile.TemporaryDirectory(prefix="wijkteam-screens-") as tmp:
        workspace = new_workspace(tmp)
        fill_demo(workspace, households=8)
        access_log_shots(workspace, out)
        lock_shots(workspace, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
