"""Render the privacy screens to PNG files in docs/screenshots/ (offscreen): the lock screen
and the covered windows behind it.

Uses a throw-away profile with invented demo households, an in-memory keyring and a fast key
derivation; nothing touches the real profile or the system keyring.

    python scripts/screenshots_privacy.py [output-folder]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from _screens import new_workspace, output_folder, save, settle, use_memory_keyring

from wijkteam_app.domain.cases import Consent
from wijkteam_app.domain.consent import STANDARD_PURPOSE, Use
from wijkteam_app.domain.ids import new_id
from wijkteam_app.services.access_log import AccessLogService
from wijkteam_app.services.demo import fill_demo
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.plans import PlanService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.services.rights import RightsService
from wijkteam_app.services.settings import SettingsService
from wijkteam_app.ui.app import create_application
from wijkteam_app.ui.dialogs.access_log_dialog import AccessLogDialog
from wijkteam_app.ui.dialogs.intake_wizard import IntakeWizard
from wijkteam_app.ui.dialogs.rights_dialog import RightsDialog
from wijkteam_app.ui.dialogs.share_dialog import SharePlanDialog
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


def share_shots(workspace: Workspace, out: object) -> None:
    plans = PlanService(workspace)
    households = HouseholdService(workspace)
    version = next(v for v in (plans.current(h.id) for h in households.list(limit=100))
                   if v is not None and len(households.get(v.household_id).members) > 1)
    dialog = SharePlanDialog(workspace, version, SettingsService(workspace).report_settings())
    dialog.recipient.setEditText("Huisartsenpraktijk Voorbeeldstad")
    save(dialog, out, "privacy-plan-delen-geweigerd.png")  # type: ignore[arg-type]
    members = households.get(version.household_id).members
    for member in members:
        households.save_consent(Consent(
            new_id(), version.household_id, member.id, "Huisartsenpraktijk Voorbeeldstad",
            STANDARD_PURPOSE[Use.PLAN], workspace.today() - timedelta(days=7),
            workspace.actor_id, "schriftelijk"))
    dialog.refresh()
    save(dialog, out, "privacy-plan-delen-toegestaan.png")  # type: ignore[arg-type]
    dialog.close()


def rights_shots(workspace: Workspace, out: object) -> None:
    households = HouseholdService(workspace)
    household = next(h for h in households.list(limit=100)
                     if len(households.get(h.id).members) > 2)
    members = households.get(household.id).members
    dialog = RightsDialog(workspace, household.id, members)
    save(dialog, out, "privacy-rechten-van-de-inwoner.png")  # type: ignore[arg-type]
    export = RightsService(workspace).export(members[0].id, workspace.today())
    dialog.close()
    with tempfile.TemporaryDirectory() as pages:
        pdf = Path(pages) / "inzage.pdf"
        pdf.write_bytes(export.pdf_bytes)
        subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf),
                        str(Path(pages) / "privacy-inzage-pagina")], check=True)
        for page in sorted(Path(pages).glob("privacy-inzage-pagina-*.png")):
            shutil.copy(page, Path(str(out)) / page.name)
            print(Path(str(out)) / page.name)


def main(argv: list[str]) -> int:
    out = output_folder(argv[1] if len(argv) > 1 else None)
    use_memory_keyring()
    create_application()
    with tempfile.TemporaryDirectory(prefix="wijkteam-screens-") as tmp:
        workspace = new_workspace(tmp)
        fill_demo(workspace, households=8)
        access_log_shots(workspace, out)
        share_shots(workspace, out)
        rights_shots(workspace, out)
        lock_shots(workspace, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
