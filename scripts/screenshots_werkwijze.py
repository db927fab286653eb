"""Screenshots of issue 13's screens (offscreen, 1366x768): the start page with "Te doen" and
the overdue marks, the Keukentafel and Overleg tabs with their dialogs, the stuck case on the
case panel and the "Vastgelopen casussen" page, the client-experience questionnaire and its
anonymous overview, financing in the plan editor; and the pages of the two short reports.

    python scripts/screenshots_werkwijze.py [output-folder]   (default: docs/screenshots)

A throw-away profile with the invented demo households (`services.demo.fill_demo`), an
in-memory keyring and a fast key derivation; nothing touches the real profile.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from _screens import new_workspace, output_folder, use_memory_keyring
from _screens import save as _save
from PySide6.QtWidgets import QApplication, QWidget

from wijkteam_app.domain.cases import CaseStatus, Complexity
from wijkteam_app.domain.workers import Role
from wijkteam_app.reports.casework_pdf import render_conference_pdf, render_kitchen_table_pdf
from wijkteam_app.reports.casework_sample import sample_conference, sample_kitchen_table
from wijkteam_app.reports.sample import SAMPLE_SETTINGS
from wijkteam_app.services.client_experience import ClientExperienceService
from wijkteam_app.services.conferences import ConferenceService
from wijkteam_app.services.demo import _demo_coach, fill_demo
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.plans import PlanService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.services.stuck import StuckService
from wijkteam_app.ui.app import create_application
from wijkteam_app.ui.dialogs.casework_dialogs import (
    ClientExperienceDialog,
    ConferenceDialog,
    ExperienceSummaryDialog,
    KitchenTableDialog,
    StuckDecisionDialog,
    StuckFlagDialog,
    TakeIntoPlanDialog,
)
from wijkteam_app.ui.main_window import MainWindow

LAPTOP = (1366, 768)


def save(widget: QWidget, out: Path, name: str) -> None:
    _save(widget, out, name, rounds=8)


def hid_of(workspace: Workspace, predicate) -> str:  # type: ignore[no-untyped-def]
    service = HouseholdService(workspace)
    for summary in service.list():
        cases = service.cases(summary.id)
        if cases and predicate(summary, cases[0].case):
            return summary.id
    raise SystemExit("no demo household fits")


def window_shots(workspace: Workspace, out: Path) -> None:
    window = MainWindow(workspace)
    window.resize(*LAPTOP)
    save(window, out, "werkwijze-01-startpagina-te-doen.png")

    conferences = ConferenceService(workspace)
    with_conference = hid_of(workspace, lambda s, c: bool(conferences.conferences(s.id)))
    window.open_household(with_conference)
    window.household.tabs.setCurrentWidget(window.kitchen_table)
    save(window, out, "werkwijze-02-keukentafel.png")
    panel = window.kitchen_table
    panel.new_version()
    dialog = panel.active_dialog
    assert isinstance(dialog, KitchenTableDialog)
    save(dialog, out, "werkwijze-03-dialoog-keukentafel.png")
    dialog.topics["help"].setPlainText("")
    dialog.attempt_save()
    save(dialog, out, "werkwijze-04-dialoog-keukentafel-fout.png")
    dialog.reject()

    window.household.tabs.setCurrentWidget(window.conferences)
    save(window, out, "werkwijze-05-overleg.png")
    window.conferences.edit()
    dialog = window.conferences.active_dialog
    assert isinstance(dialog, ConferenceDialog)
    save(dialog, out, "werkwijze-06-dialoog-overleg.png")
    dialog.reject()

    plans = PlanService(workspace)
    concept = hid_of(workspace, lambda s, c: (v := plans.current(s.id)) is not None
                     and v.status.value == "concept")
    window.open_household(concept)
    window.household.tabs.setCurrentWidget(window.conferences)
    conference = conferences.conferences(concept)[0]
    version = plans.current(concept)
    assert version is not None
    goals = [(g, f"Doel {n}: {g.description}") for n, g in enumerate(version.content.goals, 1)]
    take = TakeIntoPlanDialog(workspace, conference, goals, window)
    save(take, out, "werkwijze-07-afspraken-naar-plan.png")
    take.reject()
    window.household.tabs.setCurrentWidget(window.plan)
    editor = window.plan.editor
    assert editor is not None
    rows = [row for goal in editor.goals for row in goal.support_rows()]
    if rows:
        window.plan.editor_scroll.ensureWidgetVisible(rows[-1])
    save(window, out, "werkwijze-08-plan-financiering.png")

    stuck = StuckService(workspace)
    flagged = stuck.flagged_cases()
    if flagged:
        window.open_household(flagged[0].flag.household_id)
        save(window, out, "werkwijze-09-casus-vastgelopen.png")
    other = hid_of(workspace, lambda s, c: c.complexity is Complexity.ENKELVOUDIG
                   and c.status is not CaseStatus.AANGEMELD)
    window.open_household(other)
    case = HouseholdService(workspace).cases(other)[0].case
    flag_dialog = StuckFlagDialog(workspace, case, window)
    flag_dialog.reason.setPlainText("De huisarts en de GGZ wachten op elkaar; er gebeurt "
                                    "al zes weken niets.")
    save(flag_dialog, out, "werkwijze-10-dialoog-vastgelopen-melden.png")
    flag_dialog.reject()
    experience = ClientExperienceDialog(workspace, case.id, parent=window)
    for n, combo in enumerate(experience.scores.values()):
        combo.setCurrentIndex(3 + n % 3)
    experience.comment.setPlainText("Fijn dat er naar ons geluisterd wordt.")
    save(experience, out, "werkwijze-11-dialoog-klantervaring.png")
    experience.reject()
    summary = ExperienceSummaryDialog(ClientExperienceService(workspace).summary(), window)
    save(summary, out, "werkwijze-12-klantervaring-overzicht.png")
    summary.reject()
    window.close()
    QApplication.processEvents()

    coach = _demo_coach(workspace)
    workspace.worker = coach
    window = MainWindow(workspace)
    window.resize(*LAPTOP)
    window.show_stuck_cases()
    save(window, out, "werkwijze-13-vastgelopen-casussen-teamcoach.png")
    item = window.stuck_cases.selected()
    if item is not None:
        decision = StuckDecisionDialog(workspace, item.flag, item.flagged_by_name, window)
        decision.decision.setPlainText("De brandpuntfunctionaris belt morgen met de "
                                       "corporatie; de ontruiming wordt opgeschort.")
        decision.doorzettingsmacht.setChecked(True)
        save(decision, out, "werkwijze-14-dialoog-besluit.png")
        decision.reject()
    window.close()
    QApplication.processEvents()


def pdf_pages(out: Path) -> None:
    if shutil.which("pdftoppm") is None:
        print("pdftoppm ontbreekt (installeer poppler-utils)", file=sys.stderr)
        return
    for old in out.glob("werkwijze-pdf-*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        for name, pdf in (
                ("keukentafel", render_kitchen_table_pdf(sample_kitchen_table(),
                                                         SAMPLE_SETTINGS)),
                ("overleg", render_conference_pdf(sample_conference(), SAMPLE_SETTINGS))):
            source = Path(tmp) / f"{name}.pdf"
            source.write_bytes(pdf)
            subprocess.run(["pdftoppm", "-r", "60", "-png", str(source),
                            str(Path(tmp) / name)], check=True)
            for page in sorted(Path(tmp).glob(f"{name}-*.png")):
                number = int(page.stem.split("-")[-1])
                target = out / f"werkwijze-pdf-{name}-pagina-{number}.png"
                shutil.copyfile(page, target)
                print(target)


def main(argv: list[str]) -> int:
    out = output_folder(argv[1] if len(argv) > 1 else None)
    use_memory_keyring()
    app = create_application()
    with tempfile.TemporaryDirectory(prefix="wijkteam-screens-") as tmp:
        workspace = new_workspace(tmp, wijken=("Noord", "Centrum"))
        fill_demo(workspace)
        assert workspace.worker.role is Role.WIJKWERKER
        window_shots(workspace, out)
        workspace.close()
    app.processEvents()
    pdf_pages(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
