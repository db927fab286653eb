"""What the worker sees of the municipality's reference data in the window (offscreen Qt,
a real server): the plan editor's mandate line and toets warning follow a mandate set on the
server after one sync (F5), with the editor still open; the plan PDF gets the municipality's
name."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.server.conftest import Server
from tests.sync.conftest import Laptop
from tests.sync.test_reference_sync import in_natura
from wijkteam_app.services.demo import demo_plan_content
from wijkteam_app.services.plans import PlanService
from wijkteam_app.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def test_the_plan_editor_follows_the_mandate_set_on_the_server(
        qtbot, server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    if server.database_url.startswith("postgresql"):
        pytest.skip("the window is the same for both databases")
    account = server.account(server.team())
    worker: Laptop = make_laptop(account)
    hh, _case = worker.new_household("Huishouden Venstermandaat")
    PlanService(worker.workspace).start(hh, in_natura(demo_plan_content(worker.workspace, hh)))
    worker.sync_ok()

    window = MainWindow(worker.workspace)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: not window.sync.running, timeout=60_000)
    window.open_household(hh)
    window.show_plan_tab()
    editor = window.plan.editor
    assert editor is not None
    assert "Mandaat: tot € 0,00; producten: geen" in editor.mandate_label.text()
    assert editor.toets_needed()

    for args in (("mandate", "set", account.username, "--max-amount", "3500",
                  "--provision", "L06SB1", "--provision", "L07DB1"),
                 ("municipality", "set", "--name", "Gemeente Vensterdam")):
        assert server.cli(*args).returncode == 0
    with qtbot.waitSignal(window.sync.finished, timeout=60_000) as synced:
        window.activateWindow()
        qtbot.keyClick(window, Qt.Key.Key_F5)
    assert synced.args[0].reference_updated
    # The open editor, without reopening the household.
    assert window.plan.editor is editor
    assert "Mandaat: tot € 3.500,00; producten: L06SB1, L07DB1" in editor.mandate_label.text()
    assert not editor.toets_needed()
    assert window.plan.report_settings.municipality_name == "Gemeente Vensterdam"
