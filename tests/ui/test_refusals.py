"""What the server refused is shown and kept: the "Geweigerd door de server" dialog (from the
status bar's indicator and the Synchronisatie menu) with household, action, when and a Dutch
explanation; a plan refused because a colleague's plan reached the server first stays
readable, read-only, with a banner, while the server's plan is THE plan; server warnings
(bsn_elsewhere) are listed likewise.

The verdicts are written into the case file as the sync engine stores them (a rejected row in
``sync_verdicts`` for an outbox change-set), so these tests need no server."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import dataclasses
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from tests.ui.test_household_page import Family, make_family
from tests.ui.test_plan_page import add_worker, valid_content
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.plans import PlanVersion, new_plan
from wijkteam_app.domain.workers import Role
from wijkteam_app.persistence import plan_repository
from wijkteam_app.persistence.casefile import utcnow
from wijkteam_app.persistence.schema import OutboxRecord, PlanVersionRecord
from wijkteam_app.persistence.sync_schema import SyncVerdictRecord
from wijkteam_app.services.plans import PlanService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.services.sync import SyncService, SyncWarningView
from wijkteam_app.ui.dialogs import refusals_dialog
from wijkteam_app.ui.dialogs.refusals_dialog import RefusalsDialog
from wijkteam_app.ui.main_window import MainWindow
from wijkteam_app.ui.pages.plan_page import PlanPage

pytestmark = pytest.mark.gui

PLAN_EXISTS_TEXT = ("Dit huishouden heeft op de server al een ondersteuningsplan van een "
                    "collega. Uw versie blijft op deze laptop leesbaar; neem uw tekst over in "
                    "dat plan.")


@pytest.fixture
def family(workspace: Workspace) -> Family:
    return make_family(workspace)


def refuse_last_changeset(workspace: Workspace, reason: str) -> str:
    """The server's verdict on the newest outbox change-set: rejected (as the engine stores
    it)."""
    with workspace.casefile.read() as session:
        row = session.scalars(select(OutboxRecord).order_by(OutboxRecord.seq.desc())).first()
        assert row is not None
        session.add(SyncVerdictRecord(changeset_id=row.id, seq=row.seq, status="rejected",
                                      reason=reason, conflict_ids=[], held=[],
                                      received_at=utcnow()))
        return row.id


def colleague_plan_from_the_server(workspace: Workspace, family: Family) -> PlanVersion:
    """A colleague's plan for the same household, as the pull applies it (no outbox)."""
    colleague = add_worker(workspace, Role.WIJKWERKER, "Collega Eerder")
    content = dataclasses.replace(valid_content(workspace, family),
                                  question="De vraag uit het plan van de collega.")
    version = new_plan(family.household.id, content, colleague.id,
                       utcnow() - timedelta(hours=2))
    with workspace.casefile.read() as session:
        plan_repository.save_version(session, version)
    return version


@pytest.fixture
def refused_plan(workspace: Workspace, family: Family) -> tuple[PlanVersion, PlanVersion]:
    """Two plans started offline on two laptops: mine was refused (plan_exists), the
    colleague's reached the server first and came down with the pull."""
    mine = PlanService(workspace).start(family.household.id, valid_content(workspace, family))
    refuse_last_changeset(workspace, "plan_exists")
    theirs = colleague_plan_from_the_server(workspace, family)
    return mine, theirs


def test_the_service_keeps_the_refused_plan_apart(
        workspace: Workspace, family: Family,
        refused_plan: tuple[PlanVersion, PlanVersion]) -> None:
    mine, theirs = refused_plan
    service = PlanService(workspace)
    assert [v.id for v in service.versions(family.household.id)] == [theirs.id]
    assert service.current(family.household.id).id == theirs.id  # type: ignore[union-attr]
    [refused] = service.refused_versions(family.household.id)
    assert refused.version.id == mine.id and refused.reason == "plan_exists"
    assert not refused.in_plan
    with workspace.casefile.read() as session:  # nothing was dropped
        assert session.get(PlanVersionRecord, mine.id) is not None
    [view] = SyncService(workspace).refusals()
    assert (view.household_name, view.action, view.reason) == (
        "Huishouden Voorbeeld", "plan.aanmaken", "plan_exists")


def test_the_household_shows_the_servers_plan_and_the_refused_one_read_only(
        qtbot: QtBot, workspace: Workspace, family: Family,
        refused_plan: tuple[PlanVersion, PlanVersion]) -> None:
    mine, theirs = refused_plan
    page = PlanPage(workspace)
    qtbot.addWidget(page)
    page.resize(1366, 720)
    page.show()
    page.show_household(family.household.id)
    # THE plan is the server's: shown first, and the one the page works on.
    assert page.shown is not None and page.shown.id == theirs.id
    assert page.current_version() is not None and page.current_version().id == theirs.id  # type: ignore[union-attr]
    assert not page.refused_banner.isVisible()
    assert page.editor is not None
    assert page.editor.question.toPlainText() == "De vraag uit het plan van de collega."
    assert not page.new_plan_button.isVisible()
    model = page.versions_model
    assert model.rowCount() == 2
    assert model.index(1, 1).data() == "Geweigerd"
    assert "geweigerd door de server" in model.index(1, 1).data(Qt.ItemDataRole.ToolTipRole)
    # The refused plan: readable, read-only, with why and what to do.
    page.versions_table.selectRow(1)
    assert page.shown is not None and page.shown.id == mine.id
    assert page.refused_banner.isVisible()
    banner = page.refused_banner.text()
    assert banner.startswith("Alleen-lezen. Geweigerd door de server")
    assert "het geldende plan staat bovenaan de lijst met versies" in banner
    assert "Geweigerd door de server (concept)" in page.status_label.text()
    assert not page.read_only_banner.isVisible()  # one banner says it all
    assert PLAN_EXISTS_TEXT in banner
    assert not page.editor.editable
    assert page.editor.question.toPlainText() == mine.content.question
    assert [b for b in page.workflow_buttons if b.isVisible()] == [page.pdf_button]
    assert page.save_concept() is False  # Ctrl+S changes nothing
    assert PlanService(workspace).version(mine.id).content == mine.content


def test_a_refused_plan_without_the_servers_plan_yet(
        qtbot: QtBot, workspace: Workspace, family: Family) -> None:
    mine = PlanService(workspace).start(family.household.id, valid_content(workspace, family))
    refuse_last_changeset(workspace, "plan_exists")
    page = PlanPage(workspace)
    qtbot.addWidget(page)
    page.show()
    page.show_household(family.household.id)
    assert page.shown is not None and page.shown.id == mine.id
    assert page.refused_banner.isVisible() and PLAN_EXISTS_TEXT in page.refused_banner.text()
    assert not page.new_plan_button.isVisible()  # a new plan would be refused again
    assert page.editor is not None and not page.editor.editable


def test_the_refusals_dialog_lists_and_explains(
        qtbot: QtBot, workspace: Workspace, family: Family,
        refused_plan: tuple[PlanVersion, PlanVersion]) -> None:
    dialog = RefusalsDialog(SyncService(workspace))
    qtbot.addWidget(dialog)
    dialog.resize(1000, 560)
    dialog.show()
    model = dialog.refusals_model
    assert model.rowCount() == 1
    assert model.index(0, 0).data() == "Huishouden Voorbeeld"
    assert model.index(0, 1).data() == "Ondersteuningsplan begonnen"
    assert model.index(0, 2).data()  # when
    assert PLAN_EXISTS_TEXT in dialog.explanation()
    assert dialog.warnings_table.isHidden()
    with qtbot.waitSignal(dialog.householdRequested) as opened:
        dialog.open_button.click()
    assert opened.args == [family.household.id]


def test_warnings_are_listed_too(qtbot: QtBot, workspace: Workspace, family: Family,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    service = SyncService(workspace)
    warning = SyncWarningView(new_id(), "bsn_elsewhere", "persoon.opslaan",
                              family.household.id, family.household.name, utcnow(), utcnow())
    monkeypatch.setattr(service, "warnings", lambda: [warning])
    dialog = RefusalsDialog(service)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.refusals_model.rowCount() == 0 and dialog.empty_label.isVisible()
    assert dialog.warnings_model.rowCount() == 1
    assert dialog.warnings_model.index(0, 1).data() == "Persoon opgeslagen"
    assert dialog.explanation() == ("Dit BSN staat op de server ook bij een ander huishouden; "
                                    "overleg met uw teamcoach.")


def test_the_window_shows_a_geweigerd_indicator_and_a_menu_entry(
        qtbot: QtBot, workspace: Workspace, family: Family,
        refused_plan: tuple[PlanVersion, PlanVersion],
        monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[RefusalsDialog] = []

    def record(dialog: RefusalsDialog) -> int:
        shown.append(dialog)
        return 0

    monkeypatch.setattr(refusals_dialog.RefusalsDialog, "exec", record)
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitUntil(lambda: window.refused_button.isVisible(), timeout=10_000)
    assert window.refused_button.text() == "1 geweigerd"
    assert "server" in window.refused_button.toolTip()
    window.refused_button.click()
    assert len(shown) == 1 and shown[0].refusals_model.rowCount() == 1
    menu = next(o for o in window.refusals_action.associatedObjects() if isinstance(o, QMenu))
    assert menu.title() == "&Synchronisatie"
    window.refusals_action.trigger()
    assert len(shown) == 2
    # "Huishouden openen" goes to the household, where the plan tab shows both plans.
    shown[0].householdRequested.emit(family.household.id)
    assert window.household.current_household_id() == family.household.id
    window.show_plan_tab()  # (the plan is read when its tab is shown)
    assert window.plan.versions_model.rowCount() == 2
