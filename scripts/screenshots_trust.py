"""Screenshots of what issue 10 changed, in the real main window at a 1366x768 laptop size
(1366x740: the screen minus the title bar), into docs/screenshots/:

- the plan editor of a reworked version with its banners (the coach's comments, a notice);
- the coach's review page of a resubmission (what changed since the returned version, her
  earlier comments beside it) and the page after her decision;
- the participatieladder form (new, and correcting a recorded rung) and the Metingen tab with
  a corrected and a withdrawn measurement;
- the unlock dialog with a damaged case file (what happened, restore or start fresh) and
  after repeated wrong passphrases;
- the caseload, the shortcuts dialog, the intake's case step and a goal "voor wie".

Uses a throw-away profile in a temporary folder with an in-memory keyring and a fast key
derivation, filled with the invented demo households. Nothing touches the real profile.

    python scripts/screenshots_trust.py [output-folder]
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import _screens
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from screenshots_plan import acting_as, colleague, pick_household, plan_content

from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.instruments import LADDER_ITEM_CODE, Assessment, ItemScore
from wijkteam_app.domain.plans import PlanSection, ReviewOutcome, SectionComment
from wijkteam_app.domain.workers import Role
from wijkteam_app.services.assessments import AssessmentService
from wijkteam_app.services.demo import fill_demo
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.plans import PlanService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.services.settings import AppSettings, SettingsService
from wijkteam_app.ui.app import create_application
from wijkteam_app.ui.dialogs.intake_wizard import STEP_HOUSEHOLD, STEP_QUICKSCAN, IntakeWizard
from wijkteam_app.ui.dialogs.unlock_dialog import UnlockDialog
from wijkteam_app.ui.forms.ladder_form import LadderDialog, ladder_definition
from wijkteam_app.ui.main_window import MainWindow

WINDOW = (1366, 740)


def shoot(widget: QWidget, out: Path, name: str) -> None:
    _screens.save(widget, out, name, rounds=8)


def window_for(workspace: Workspace) -> MainWindow:
    window = MainWindow(workspace)
    window.resize(*WINDOW)
    window.sync.timer.stop()
    _screens.settle(window, 8)
    return window


def plan_shots(workspace: Workspace, out: Path) -> None:
    SettingsService(workspace).set(AppSettings(municipality_name="Gemeente Voorbeeldstad"))
    coach = colleague(workspace, Role.TEAMCOACH, "Karin de Coach")
    service = PlanService(workspace)
    household_id = pick_household(workspace)
    first = service.submit(service.start(household_id, plan_content(workspace, household_id)))
    with acting_as(workspace, coach):
        service.review(first, ReviewOutcome.TERUGSTUREN, [
            SectionComment(PlanSection.HULPVRAAG,
                           "Mooi in eigen woorden. Wat is voor haar de eerste stap?"),
            SectionComment(PlanSection.DOELEN,
                           "Doel 4: maak concreet wat ‘rustiger’ is, en kijk of het "
                           "opvoedspreekuur eerst kan.")])
    second = service.new_version(service.version(first.id))

    window = window_for(workspace)
    window.open_household(household_id)
    window.show_plan_tab()
    page = window.plan
    editor = page.editor
    assert editor is not None
    page._say(page.tr("Versie 2 is gemaakt als concept, op basis van versie 1."))
    _screens.settle(window, 8)
    shoot(window, out, "vertrouwen-01-plan-editor-met-banners-1366.png")
    # Choosing a product: the mandate banner appears without moving what is under the cursor.
    goal = editor.goals[3]
    row = goal.support_rows()[0]
    bar = page.editor_scroll.verticalScrollBar()
    bar.setValue(row.mapTo(editor, row.rect().topLeft()).y() - 200)
    _screens.settle(window, 8)
    shoot(window, out, "vertrouwen-02-plan-editor-doel-1366.png")

    content = second.content
    goals = list(content.goals)
    goals[3] = replace(goals[3], description="Eén rustig gesprek per week over geld, zonder "
                       "ruzie")
    second = service.save_concept(second, replace(
        content, question=content.question + " Eerst wil ik de huurachterstand regelen.",
        goals=tuple(goals)))
    service.submit(second)
    with acting_as(workspace, coach):
        coach_window = window_for(workspace)
        coach_window.show_review()
        review = coach_window.review
        row = next(r for r in range(review.model.rowCount())
                   if review.model.item(r).version.id == second.id)
        review.table.selectRow(row)
        review.open_row(row)
        _screens.settle(coach_window, 8)
        shoot(coach_window, out, "vertrouwen-03-beoordeling-herindiening-1366.png")
        review.comment_edits[PlanSection.TOESTEMMING].setPlainText(
            "De toestemming voor de huisarts: noem het doel concreter.")
        review.comment_edits[PlanSection.TOESTEMMING].setFocus()
        _screens.settle(coach_window, 8)
        shoot(coach_window, out, "vertrouwen-04-beoordeling-laatste-opmerking-1366.png")
        review.comment_edits[PlanSection.TOESTEMMING].clear()
        review.decide(ReviewOutcome.GOEDKEUREN)
        while review.model.rowCount():  # the demo's other plans: nothing left waiting
            review.decide(ReviewOutcome.GOEDKEUREN)
        _screens.settle(coach_window, 8)
        shoot(coach_window, out, "vertrouwen-05-beoordeling-vastgelegd-1366.png")
    window.open_household(household_id)
    window.show_plan_tab()
    _screens.settle(window, 8)
    shoot(window, out, "vertrouwen-06-plan-goedgekeurd-zonder-oude-banner-1366.png")


def ladder_shots(workspace: Workspace, out: Path) -> None:
    households = HouseholdService(workspace)
    summary = next(h for h in households.list() if h.members >= 2)
    member = households.get(summary.id).members[0]
    service = AssessmentService(workspace)
    defn = ladder_definition(service.definitions)
    assert defn is not None
    today = workspace.today()
    swapped = Assessment(new_id(), defn.id, defn.version, today - timedelta(days=20),
                         workspace.actor_id, (ItemScore(LADDER_ITEM_CODE, 4, None),),
                         person_id=member.id)
    service.record(swapped)

    dialog = LadderDialog(workspace, summary.id, member.id)
    dialog.current.set_score(2)
    dialog.potential.set_score(4)
    dialog.horizon.set_value(today + timedelta(days=182))
    shoot(dialog, out, "vertrouwen-07-participatieladder-formulier.png")
    dialog.keeper.discard()
    dialog.close()

    correcting = LadderDialog(workspace, summary.id, member.id, corrects=swapped)
    correcting.current.set_score(2)
    correcting.potential.set_score(4)
    correcting.reason.setText("Huidige en haalbare trede waren verwisseld")
    shoot(correcting, out, "vertrouwen-08-participatieladder-correctie.png")
    correcting.save()
    correcting.close()
    extra = Assessment(new_id(), defn.id, defn.version, today - timedelta(days=2),
                       workspace.actor_id, (ItemScore(LADDER_ITEM_CODE, 1, None),),
                       person_id=member.id)
    service.record(extra)
    service.withdraw(extra, "Bij de verkeerde persoon vastgelegd")

    window = window_for(workspace)
    window.open_household(summary.id)
    window.household.tabs.setCurrentWidget(window.household.assessments_tab)
    window.assessments.select_subject(member.id)
    _screens.settle(window, 8)
    shoot(window, out, "vertrouwen-09-metingen-correctie-en-intrekking-1366.png")


def caseload_and_shortcuts(workspace: Workspace, out: Path) -> None:
    window = window_for(workspace)
    window.show_caseload()
    _screens.settle(window, 8)
    shoot(window, out, "vertrouwen-10-caseload-1366.png")

    def grab_box() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            shoot(box, out, "vertrouwen-11-sneltoetsen.png")
            box.accept()
        else:
            QTimer.singleShot(20, grab_box)

    QTimer.singleShot(0, grab_box)
    window.show_shortcuts()


def intake_shots(workspace: Workspace, out: Path) -> None:
    wizard = IntakeWizard(workspace)
    wizard.resize(1100, 700)
    wizard.show()
    QCoreApplication.processEvents()
    wizard.street.setText("Proefstraat")
    wizard.house_number.setText("12")
    wizard.postcode.setText("1234 AB")
    wizard.city.setText("Voorbeeldstad")
    wizard.wijk.setEditText("Noord")
    wizard.stadsdeel.setEditText("Stad-Noord")
    wizard.set_step(STEP_HOUSEHOLD)
    shoot(wizard, out, "vertrouwen-12-intake-huishouden-stadsdeel.png")
    wizard.qs_help.setPlainText("Hulp bij de administratie en rust in huis.")
    wizard.client_profile.setCurrentIndex(3)
    for row in (0, 1, 14):
        wizard.problem_areas.item(row).setCheckState(Qt.CheckState.Checked)
    wizard.set_step(STEP_QUICKSCAN)
    shoot(wizard, out, "vertrouwen-13-intake-clientprofiel-probleemgebieden.png")
    wizard.keeper.discard()
    wizard.close()


def damaged_shots(tmp: Path, out: Path) -> None:
    paths = _screens.new_profile(tmp / "beschadigd")
    workspace = _screens.unlock(paths, _screens.PASSPHRASE)
    fill_demo(workspace, households=2)
    workspace.close()
    paths.backups.mkdir(exist_ok=True)
    (paths.backups / "dossier-20261201T080000Z-voor-0009.wijkteam").write_bytes(
        paths.casefile.read_bytes())
    with paths.casefile.open("r+b") as handle:
        handle.seek(4096 * 3 + 100)
        handle.write(b"\0" * 200)
    dialog = UnlockDialog(paths)
    dialog.passphrase.setText(_screens.PASSPHRASE)
    dialog.show()
    dialog._attempt()
    shoot(dialog, out, "vertrouwen-14-ontgrendelen-beschadigd.png")
    dialog.close()

    other = _screens.new_profile(tmp / "wachtwoord")
    dialog = UnlockDialog(other)
    dialog.show()
    for _ in range(3):
        dialog.passphrase.setText("niet het goede wachtwoord")
        dialog._attempt()
    shoot(dialog, out, "vertrouwen-15-ontgrendelen-wachten.png")
    dialog.close()


def main(out: Path) -> None:
    _screens.use_memory_keyring()
    app = create_application()
    with tempfile.TemporaryDirectory() as tmp:
        workspace = _screens.new_workspace(tmp, wijken=("Noord", "Centrum"))
        try:
            fill_demo(workspace, households=8)
            plan_shots(workspace, out)
            ladder_shots(workspace, out)
            caseload_and_shortcuts(workspace, out)
            intake_shots(workspace, out)
        finally:
            workspace.close()
        damaged_shots(Path(tmp), out)
    del app


if __name__ == "__main__":
    main(_screens.output_folder(sys.argv[1] if len(sys.argv) > 1 else None))
