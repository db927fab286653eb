"""The sync controller (background thread, status for the status bar) and the conflict
dialog, against a real server (offscreen Qt)."""

from __future__ import annotations

import pytest

from tests.server.conftest import Server
from wijkteam_app.ui.controllers.sync_controller import SyncController
from wijkteam_app.ui.dialogs.conflict_dialog import ConflictDialog

pytestmark = pytest.mark.gui


def test_background_sync_status_and_conflict_dialog(qtbot, server: Server,  # type: ignore[no-untyped-def]
                                                    make_laptop) -> None:
    if server.database_url.startswith("postgresql"):
        pytest.skip("the UI is the same for both databases")
    team = server.team()
    bert_account = server.account(team)
    anna = make_laptop(server.account(team))
    bert = make_laptop(bert_account)
    hh, _case = anna.new_household("Huishouden Venster", case_team=(bert_account.id,))
    anna.sync_ok()
    bert.sync_ok()
    anna.edit(hh, name="Fam. Anna")
    bert.edit(hh, name="Fam. Bert")
    anna.sync_ok()

    controller = SyncController(bert.sync)
    statuses: list[object] = []
    controller.status_changed.connect(statuses.append)
    with qtbot.waitSignal(controller.finished, timeout=60_000) as blocker:
        controller.sync_now()
        # The GUI thread stays free while the sync runs: a save goes through meanwhile.
        bert.edit(hh, city="Tijdens Sync")
    report = blocker.args[0]
    assert report.ok and report.conflicts == 1
    assert controller.timer.isActive()  # the next sync is scheduled
    status = controller.last_status
    assert status is not None and status.online and status.open_conflicts == 1
    assert "1 open conflict" in controller.status_text(status)
    assert statuses

    dialog = ConflictDialog(bert.sync, controller)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 1
    assert "Fam. Bert" in dialog.mine.text() and "Fam. Anna" in dialog.theirs.text()
    dialog.own.setChecked(True)
    dialog.typed.setText("Fam. Anna en Bert")
    dialog.resolve_current()
    qtbot.waitUntil(lambda: dialog.list.count() == 0 and controller.pool.activeThreadCount() == 0,
                    timeout=60_000)
    assert bert.household(hh).name == "Fam. Anna en Bert"
    anna.sync_ok()
    assert anna.household(hh).name == "Fam. Anna en Bert"

    final = controller.sync_before_close(timeout_ms=60_000)
    assert final is not None and final.ok
    assert bert.sync.status().pending_changes == 0
    controller.wait()


def test_records_in_quarantine_show_in_the_status_bar(qtbot, server: Server,  # type: ignore[no-untyped-def]
                                                      make_laptop) -> None:
    if server.database_url.startswith("postgresql"):
        pytest.skip("the UI is the same for both databases")
    from tests.sync.test_quarantine import server_update
    from wijkteam_app.ui.main_window import MainWindow

    account = server.account(server.team())
    author = make_laptop(account)
    household, _ = author.new_household("Huishouden Statusbalk")
    author.sync_ok()
    laptop = make_laptop(account)
    laptop.sync_ok()
    server_update(server, "household", household, {"postcode": {"geheim": "Verstopweg 3"}})

    window = MainWindow(laptop.workspace)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: "quarantaine" in window.offline_label.text(), timeout=60_000)
    assert "1 gegeven(s) in quarantaine" in window.offline_label.text()
    tip = window.offline_label.toolTip()
    assert "huishouden Huishouden Statusbalk" in tip
    assert "een waarde past niet" in tip and "Verstopweg" not in tip
    assert window.quarantine_action.isEnabled()
    box = window.quarantine_box()
    assert box.text() == window.sync.quarantine_text(limit=50)
    window.close()
