"""Screenshots of the case-work UI (intake steps, the household page's tabs, every editing
dialog) into docs/screenshots/, rendered offscreen at a 1366x768 laptop size.

Uses a throw-away profile in a temporary folder with an in-memory keyring and a fast key
derivation, filled with the invented demo households (`services.demo.fill_demo`). Nothing
touches the real profile or the system keyring.

    python scripts/screenshots_casework.py [output-folder]

It then renders the household page a second time in a child process with QT_SCALE_FACTOR=1.5
(a 1366x768 screen at 150%: about 910x512 logical pixels), to check nothing is clipped.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from _screens import new_workspace, output_folder, use_memory_keyring
from _screens import save as _save
from PySide6.QtWidgets import QWidget

from wijkteam_app.domain.cases import CaseStatus
from wijkteam_app.services.demo import fill_demo
from wijkteam_app.services.households import HouseholdPage as PageData
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.app import create_application
from wijkteam_app.ui.dialogs.household_dialogs import (
    CaseDialog,
    ConsentDialog,
    ContactDialog,
    HouseholdDialog,
    NetworkMemberDialog,
    PersonDialog,
    ProfessionalDialog,
)
from wijkteam_app.ui.dialogs.intake_wizard import IntakeWizard
from wijkteam_app.ui.pages.household_page import HouseholdPage

LAPTOP = (1366, 768)
PAGE_HEIGHT = 680  # 768 minus title bar, menu bar and status bar of the main window
SCALED_FLAG = "--scaled-page"


def save(widget: QWidget, out: Path, name: str) -> None:
    _save(widget, out, name, rounds=6)


def demo_workspace(tmp: str) -> Workspace:
    workspace = new_workspace(tmp, wijken=("Noord", "Centrum"))
    fill_demo(workspace, households=8)
    return workspace


def showcase(workspace: Workspace) -> PageData:
    """The demo household that shows the most: minors, urgency, contacts, network."""
    service = HouseholdService(workspace)
    today = workspace.today()
    best: tuple[int, PageData] | None = None
    for summary in service.list():
        data = service.page(summary.id)
        minors = sum(1 for p in data.detail.members if p.is_minor_on(today))
        urgent = sum(len(c.case.urgency) for c in data.cases)
        score = minors * 3 + urgent * 4 + len(data.detail.network) + len(data.detail.professionals)
        if best is None or score > best[0]:
            best = (score, data)
    assert best is not None
    return best[1]


def intake_shots(workspace: Workspace, out: Path) -> None:
    wizard = IntakeWizard(workspace)
    wizard.resize(1100, 700)
    wizard.referral_source.setCurrentIndex(1)
    wizard.referrer.setText("Huisartsenpraktijk Voorbeeldstad, dokter Proefmans")
    wizard.referral_note.setPlainText("Zorgen over de thuissituatie; moeder wil graag hulp bij "
                                      "de administratie.")
    save(wizard, out, "intake-1-aanmelding.png")
    wizard.go_next()
    wizard.street.setText("Verzonnenstraat")
    wizard.house_number.setText("12")
    wizard.suffix.setText("A")
    wizard.postcode.setText("1234 ab")
    wizard.city.setText("Voorbeeldstad")
    wizard.wijk.setEditText("Noord")
    first = wizard.member_rows[0]
    first.first_name.setText("Anouk")
    first.last_name.setText("Voorbeeld")
    first.birth_date.setText("02-03-1984")
    first.bsn.setText("999999990")
    second = wizard.add_member()
    second.first_name.setText("Daan")
    second.last_name.setText("Voorbeeld")
    child = workspace.today() - timedelta(days=365 * 9 + 40)
    second.birth_date.setText(child.strftime("%d-%m-%Y"))
    second.bsn.setText("12345678")
    next(iter(second.gezag_checks.values())).setChecked(True)
    save(wizard, out, "intake-2-huishouden.png")
    wizard.go_next()  # refused: the BSN is wrong
    save(wizard, out, "intake-2-huishouden-fout.png")
    second.bsn.clear()
    wizard.go_next()
    wizard.qs_self.setPlainText("Boodschappen doen en koken lukt goed.")
    wizard.qs_arrange.setPlainText("Oma haalt Daan twee keer per week uit school.")
    wizard.qs_help.setPlainText("Overzicht over de post en de schulden.")
    wizard.complexity_multi.setChecked(True)
    wizard.urgency_checks[list(wizard.urgency_checks)[3]].setChecked(True)
    save(wizard, out, "intake-3-quickscan.png")
    wizard.go_next()
    save(wizard, out, "intake-4-samenvatting.png")
    wizard.keeper.flush()
    wizard.hide()

    again = IntakeWizard(workspace)  # the kept draft is offered back
    again.resize(1100, 700)
    save(again, out, "intake-0-concept-terug.png")
    again.offer.no_button.click()
    again.hide()


def page_shots(workspace: Workspace, data: PageData, out: Path) -> None:
    page = HouseholdPage(workspace)
    page.resize(LAPTOP[0], PAGE_HEIGHT)
    page.show_household(data.detail.household.id)
    names = ["overzicht", "netwerk", "professionals", "journaal", "toestemming", "metingen"]
    for index, name in enumerate(names):
        page.tabs.setCurrentIndex(index)
        save(page, out, f"huishouden-{index + 1}-{name}.png")
    page.hide()


def dialog_shots(workspace: Workspace, data: PageData, out: Path) -> None:
    detail = data.detail
    hid = detail.household.id
    today = workspace.today()
    minor = next((p for p in detail.members if p.is_minor_on(today)), detail.members[0])
    overview = next((c for c in data.cases if c.case.status is not CaseStatus.AFGESLOTEN),
                    data.cases[0])
    dialogs = [
        ("dialoog-huishouden.png", HouseholdDialog(workspace, detail.household)),
        ("dialoog-persoon.png", PersonDialog(workspace, hid, detail.members, minor)),
        ("dialoog-netwerklid.png", NetworkMemberDialog(workspace, hid, detail.members,
                                                       detail.network[0]
                                                       if detail.network else None)),
        ("dialoog-professional.png", ProfessionalDialog(
            workspace, hid, detail.professionals[0] if detail.professionals else None)),
        ("dialoog-casus.png", CaseDialog(workspace, overview.case)),
        ("dialoog-contact.png", ContactDialog(workspace, overview.case.id)),
        ("dialoog-toestemming.png", ConsentDialog(workspace, hid, detail.members)),
    ]
    for name, dialog in dialogs:
        save(dialog, out, name)
        if isinstance(dialog, ContactDialog):
            dialog.with_whom.setText("Anouk")
            dialog.on.setText((today + timedelta(days=2)).strftime("%d-%m-%Y"))
            dialog.attempt_save()
            save(dialog, out, "dialoog-contact-fout.png")
        dialog.keeper.discard()
        dialog.hide()


def scaled_page(out: Path) -> int:
    """Child process: the household page under QT_SCALE_FACTOR=1.5 on a 1366x768 screen."""
    use_memory_keyring()
    create_application()
    with tempfile.TemporaryDirectory(prefix="wijkteam-screens-") as tmp:
        workspace = demo_workspace(tmp)
        data = showcase(workspace)
        page = HouseholdPage(workspace)
        scale = float(os.environ.get("QT_SCALE_FACTOR", "1"))
        page.resize(round(LAPTOP[0] / scale), round(PAGE_HEIGHT / scale))
        page.show_household(data.detail.household.id)
        save(page, out, "huishouden-150-procent.png")
        page.tabs.setCurrentIndex(3)
        save(page, out, "huishouden-150-procent-journaal.png")
        page.hide()
        workspace.close()
    return 0


def main(argv: list[str]) -> int:
    args = [a for a in argv[1:] if a != SCALED_FLAG]
    out = output_folder(args[0] if args else None)
    if SCALED_FLAG in argv:
        return scaled_page(out)

    use_memory_keyring()
    app = create_application()
    with tempfile.TemporaryDirectory(prefix="wijkteam-screens-") as tmp:
        workspace = demo_workspace(tmp)
        data = showcase(workspace)
        intake_shots(workspace, out)
        page_shots(workspace, data, out)
        dialog_shots(workspace, data, out)
        workspace.close()
    app.processEvents()

    env = dict(os.environ, QT_SCALE_FACTOR="1.5", QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, __file__, SCALED_FLAG, str(out)], env=env,
                            check=False)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv))
