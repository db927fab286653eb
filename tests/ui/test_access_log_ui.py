"""The access log (NEN 7513) as the worker meets it: opening a household, printing or saving
its plan and changing it are logged in the audit chain with the household; "Wie heeft dit
dossier ingezien" (Ctrl+Shift+I) lists them. (Before: 391 audit rows before and after
opening 12 households and printing a plan.)"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from tests.ui.test_household_page import Family, make_family
from tests.ui.test_plan_page import valid_content
from wijkteam_app.paths import ProfilePaths
from wijkteam_app.persistence.database import check_casefile
from wijkteam_app.persistence.schema import AuditRecord
from wijkteam_app.services.demo import fill_demo
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.plans import PlanService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.dialogs.access_log_dialog import AccessLogDialog
from wijkteam_app.ui.dialogs.plan_dialogs import PdfPreviewDialog
from wijkteam_app.ui.main_window import MainWindow
from wijkteam_app.ui.pages.plan_page import PlanPage

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot: QtBot, workspace: Workspace) -> Iterator[MainWindow]:
    win = MainWindow(workspace)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close_workspace()


def audit_rows(workspace: Workspace, action: str | None = None) -> list[AuditRecord]:
    with workspace.casefile.read() as session:
        query = select(AuditRecord).order_by(AuditRecord.id)
        if action:
            query = query.where(AuditRecord.action == action)
        return list(session.scalars(query))


def test_opening_twelve_households_and_printing_a_plan_is_logged(
        qtbot: QtBot, window: MainWindow, workspace: Workspace, tmp_path: Path) -> None:
    fill_demo(workspace, households=12)
    window.caseload.refresh()
    before = len(audit_rows(workspace))
    ids = [h.id for h in HouseholdService(workspace).list(limit=100)]
    assert len(ids) == 12
    for household_id in ids:
        window.caseload.select(household_id)
        qtbot.keyClick(window.caseload.table, Qt.Key.Key_Return)
        assert window.household.current_household_id() == household_id
        qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    views = audit_rows(workspace, "inzage.huishouden")
    assert [v.household_id for v in views] == ids
    assert all(v.object_id == v.household_id and v.actor_id == workspace.actor_id
               and v.device_id == workspace.casefile.device_id for v in views)

    service = PlanService(workspace)
    with_plan = next(h for h in ids if service.current(h) is not None)
    version = service.current(with_plan)
    assert version is not None
    page = PlanPage(workspace)
    qtbot.addWidget(page)
    page.show_household(with_plan)
    page.preview_pdf()
    dialog = page.active_dialog
    assert isinstance(dialog, PdfPreviewDialog)

    def accept(printer: QPrinter, _parent: QWidget) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "afdruk.pdf"))
        printer.setResolution(72)
        return True

    dialog.ask_printer = accept
    dialog.print_button.click()
    dialog.ask_save_path = lambda _parent, _name: str(tmp_path / "plan.pdf")
    dialog.save_button.click()
    dialog.close()
    printed = audit_rows(workspace, "plan.afdrukken")
    saved = audit_rows(workspace, "plan.pdf_opslaan")
    assert [(p.household_id, p.object_id) for p in printed] == [(with_plan, version.id)]
    assert [(p.household_id, p.object_id) for p in saved] == [(with_plan, version.id)]
    assert len(audit_rows(workspace)) == before + 12 + 2

    # The chain is intact, the light (no-fsync) view entries included.
    report = check_casefile(workspace.casefile.engine)
    assert report.ok, report.problems


def test_changes_carry_their_household(workspace: Workspace) -> None:
    before = len(audit_rows(workspace))  # the profile's own set-up has no household
    family = make_family(workspace)
    rows = [r for r in audit_rows(workspace)[before:] if r.changeset_id]
    assert rows and all(r.household_id == family.household.id for r in rows)


def test_who_looked_dialog_lists_views_prints_and_changes(
        qtbot: QtBot, window: MainWindow, workspace: Workspace) -> None:
    family: Family = make_family(workspace)
    PlanService(workspace).start(family.household.id, valid_content(workspace, family))
    window.caseload.refresh()
    window.open_household(family.household.id)
    seen: list[AccessLogDialog] = []

    def inspect() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, AccessLogDialog)
        seen.append(dialog)
        texts = [[dialog.model.index(r, c).data() for c in range(5)]
                 for r in range(dialog.model.rowCount())]
        assert texts[0][1] == "Lokale gebruiker"
        assert texts[0][2] == "Dossier bekeken" and texts[0][4] == "deze laptop"
        assert "Plan aangemaakt" in [t[2] for t in texts]
        assert "niet aangemeld" in dialog.status.text()
        dialog.accept()

    QTimer.singleShot(0, inspect)
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert seen


def test_the_access_log_needs_an_open_household(
        qtbot: QtBot, window: MainWindow) -> None:
    window.access_log_action.trigger()
    assert window.statusBar().currentMessage() == "Open eerst een huishouden."


def test_a_view_entry_costs_no_fsync_but_survives_in_the_chain(
        profile: ProfilePaths, workspace: Workspace) -> None:
    family = make_family(workspace)
    with workspace.casefile.read() as session:
        count = session.scalar(select(func.count()).select_from(AuditRecord))
    workspace.casefile.audit(workspace.actor_id, "inzage.huishouden", "huishouden",
                             family.household.id, household_id=family.household.id,
                             durable=False)
    with workspace.casefile.engine.connect() as conn:
        # The connection is back to full durability for the next save.
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
    with workspace.casefile.read() as session:
        assert session.scalar(select(func.count()).select_from(AuditRecord)) == count + 1
