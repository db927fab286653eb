"""Screenshots of who may do what, and of what the server refused, at 1366x768: the
toetser's main window, household page and plan tab (only the toets), the "Geweigerd door de
server" dialog with a refusal and a warning, the status bar's indicator, a plan refused because
a colleague's plan reached the server first (read-only, with its banner), and the BSN note in
the intake wizard and the person dialog.

A throw-away profile in a temporary folder (in-memory keyring, fast key derivation), filled with
the invented demo households. The server's verdicts are written into the case file as the sync
engine stores them; no server is needed.

    python scripts/screenshots_authority.py [output-folder]
"""

from __future__ import annotations

import dataclasses
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import _screens
from PySide6.QtCore import QCoreApplication
from sqlalchemy import select

from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.plans import PlanStatus, new_plan
from wijkteam_app.domain.workers import Role, Worker
from wijkteam_app.persistence import plan_repository
from wijkteam_app.persistence.casefile import utcnow
from wijkteam_app.persistence.repositories import save_worker
from wijkteam_app.persistence.schema import OutboxRecord
from wijkteam_app.persistence.sync_schema import SyncVerdictRecord
from wijkteam_app.services.demo import demo_plan_content, fill_demo
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.plans import PlanService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.services.sync import SyncService, SyncWarningView
from wijkteam_app.ui.app import create_application
from wijkteam_app.ui.dialogs.household_dialogs import PersonDialog
from wijkteam_app.ui.dialogs.intake_wizard import IntakeWizard
from wijkteam_app.ui.dialogs.refusals_dialog import RefusalsDialog
from wijkteam_app.ui.main_window import MainWindow

SCREEN = (1366, 768)


@contextmanager
def acting_as(workspace: Workspace, worker: Worker) -> Iterator[None]:
    me = workspace.worker
    workspace.worker = worker
    try:
        yield
    finally:
        workspace.worker = me


def colleague(workspace: Workspace, role: Role, name: str) -> Worker:
    worker = Worker(new_id(), name.split()[0].lower(), name, role, workspace.team.id)
    with workspace.casefile.save(workspace.actor_id, "medewerker.demo", "medewerker",
                                 worker.id) as ctx:
        save_worker(ctx.session, worker)
    return worker


def refuse_last_changeset(workspace: Workspace, reason: str) -> None:
    """The server's verdict on the newest outbox change-set: rejected."""
    with workspace.casefile.read() as session:
        row = session.scalars(select(OutboxRecord).order_by(OutboxRecord.seq.desc())).first()
        assert row is not None
        session.add(SyncVerdictRecord(changeset_id=row.id, seq=row.seq, status="rejected",
                                      reason=reason, conflict_ids=[], held=[],
                                      received_at=utcnow()))


def shoot(widget: object, out: Path, name: str) -> None:
    _screens.save(widget, out, name, rounds=8)  # type: ignore[arg-type]


def main(out: Path) -> None:
    _screens.use_memory_keyring()
    app = create_application()
    with tempfile.TemporaryDirectory() as tmp:
        workspace = _screens.new_workspace(tmp, wijken=("Noord", "Centrum"))
        try:
            run(workspace, out)
        finally:
            workspace.close()
    del app


def run(workspace: Workspace, out: Path) -> None:
    fill_demo(workspace, households=8)
    coach = colleague(workspace, Role.TEAMCOACH, "Karin de Coach")
    toetser = colleague(workspace, Role.TOETSER, "Tom Toetser")
    anouk = colleague(workspace, Role.WIJKWERKER, "Anouk Collega")
    households = HouseholdService(workspace)
    plans = PlanService(workspace)
    summaries = households.list()

    # A plan approved by the coach, above the mandate: waiting for the toets.
    waiting = next(s for s in summaries
                   if (v := plans.current(s.id)) and v.status is PlanStatus.GOEDGEKEURD)
    assert plans.toets_needed(plans.current(waiting.id))  # type: ignore[arg-type]

    # Two plans started offline for one household: the colleague's reached the server first.
    target = next(s for s in summaries if plans.current(s.id) is None and s.members > 1)
    mine = plans.start(target.id, demo_plan_content(workspace, target.id))
    refuse_last_changeset(workspace, "plan_exists")
    theirs_content = dataclasses.replace(
        demo_plan_content(workspace, target.id),
        question="Wij willen overzicht in de post en de rekeningen. (plan van de collega)")
    with workspace.casefile.read() as session:  # as the pull applies it: no outbox
        plan_repository.save_version(session, new_plan(
            target.id, theirs_content, anouk.id, utcnow() - timedelta(hours=3)))
    # A second refusal: an edit of a household that left the caseload on the server.
    other = next(s for s in summaries if s.id not in (target.id, waiting.id))
    detail = households.get(other.id)
    households.update(dataclasses.replace(detail.household, wijk="Centrum"))
    refuse_last_changeset(workspace, "not_allowed")

    sync = SyncService(workspace)
    warning = SyncWarningView(new_id(), "bsn_elsewhere", "persoon.opslaan", waiting.id,
                              waiting.name, utcnow() - timedelta(days=1), utcnow())
    sync.warnings = lambda: [warning]  # type: ignore[method-assign]  # until stored

    # The worker's window: the indicator in the status bar, the refusals, the refused plan.
    window = MainWindow(workspace)
    window.sync_service.warnings = sync.warnings  # type: ignore[method-assign]
    window.resize(*SCREEN)
    _screens.settle(window, 10)
    window.sync.wait()
    QCoreApplication.processEvents()
    shoot(window, out, "sync-geweigerd-1-statusbalk.png")
    dialog = RefusalsDialog(sync, window)
    dialog.resize(1000, 600)
    shoot(dialog, out, "sync-geweigerd-2-dialoog.png")
    dialog.warnings_table.selectRow(0)
    shoot(dialog, out, "sync-geweigerd-3-melding.png")
    dialog.close()
    window.open_household(target.id)
    window.show_plan_tab()
    shoot(window, out, "sync-geweigerd-4-plan-van-de-server.png")
    row = window.plan.versions_model.row_of(mine.id)
    window.plan.versions_table.selectRow(row)
    shoot(window, out, "sync-geweigerd-5-geweigerd-plan.png")
    window.hide()  # not closed: closing the window would close the case file

    # The toetser: no intake, the household without edit buttons, only the toets.
    with acting_as(workspace, toetser):
        seen = MainWindow(workspace)
        seen.resize(*SCREEN)
        _screens.settle(seen, 10)
        seen.sync.wait()
        shoot(seen, out, "rollen-1-toetser-hoofdvenster.png")
        seen.open_household(waiting.id)
        shoot(seen, out, "rollen-2-toetser-huishouden.png")
        seen.show_plan_tab()
        shoot(seen, out, "rollen-3-toetser-plan.png")
        seen.hide()
    with acting_as(workspace, coach):
        review = MainWindow(workspace)
        review.resize(*SCREEN)
        _screens.settle(review, 10)
        review.sync.wait()
        review.open_household(waiting.id)
        review.show_plan_tab()
        shoot(review, out, "rollen-4-teamcoach-plan.png")
        review.hide()

    # The BSN note: in the intake wizard and in the person dialog.
    bsn_owner = next(m for s in summaries if s.id != target.id
                     for m in households.get(s.id).members if m.bsn)
    wizard = IntakeWizard(workspace)
    wizard.resize(1100, 700)
    wizard.next_button.click()
    wizard.set_step(1)
    wizard.street.setText("Proefstraat")
    wizard.house_number.setText("8")
    wizard.postcode.setText("1234 AB")
    wizard.city.setText("Voorbeeldstad")
    row_widget = wizard.member_rows[0]
    row_widget.first_name.setText(bsn_owner.first_name)
    row_widget.last_name.setText("Nieuwhuis")
    row_widget.birth_date.setText(bsn_owner.birth_date.strftime("%d-%m-%Y")
                                  if bsn_owner.birth_date else "")
    row_widget.bsn.setText(bsn_owner.bsn)
    shoot(wizard, out, "intake-5-bsn-elders.png")
    wizard.keeper.discard()
    wizard.hide()
    empty = households.get(target.id).members[-1]
    person = PersonDialog(workspace, target.id, households.get(target.id).members,
                          dataclasses.replace(empty, bsn=bsn_owner.bsn))
    shoot(person, out, "dialoog-persoon-bsn-elders.png")
    person.keeper.discard()
    person.hide()


if __name__ == "__main__":
    main(_screens.output_folder(sys.argv[1] if len(sys.argv) > 1 else None))
