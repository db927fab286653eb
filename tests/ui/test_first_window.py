"""The first windows a worker sees, driven as a person would: typing, Return, clicks.

Runs offscreen. The in-memory keyring comes from the autouse fixture in tests/conftest.py.
"""

from __future__ import annotations

import gc
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPersistentModelIndex, QPoint, Qt, QTimer
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.people import Address, Household, HouseholdRole, Person
from wijkteam_app.messages import error_message
from wijkteam_app.paths import ProfilePaths
from wijkteam_app.services.households import HouseholdService, HouseholdSummary
from wijkteam_app.services.profile import (
    KdfParams,
    LocalIdentity,
    Workspace,
    init_profile,
    unlock,
)
from wijkteam_app.ui import app as ui_app
from wijkteam_app.ui.dialogs.unlock_dialog import UnlockDialog
from wijkteam_app.ui.main_window import MainWindow
from wijkteam_app.ui.models.household_table_model import Column, HouseholdTableModel

pytestmark = pytest.mark.gui

PASSPHRASE = "correct horse battery"
FAST_KDF = KdfParams(time_cost=1, memory_cost_kib=1024, parallelism=1)

# Invented households: (household name, street, number, postcode, city, wijk, members)
HOUSEHOLDS = [
    ("Familie Voorbeeld", "Proefstraat", 12, "1234 AB", "Verzinstad", "Noord",
     [("Anouk", "Voorbeeld", date(1984, 3, 2)), ("Daan", "Voorbeeld", date(2012, 6, 9))]),
    ("Familie Proefmans", "Testlaan", 3, "5678 CD", "Bedachtdorp", "Zuid",
     [("Bram", "Proefmans", date(1950, 11, 23))]),
    ("Familie de Verzinner", "Fictieweg", 41, "2345 EF", "Verzinstad", "Oost",
     [("Eva", "Verzinner", date(1991, 1, 15)), ("Sem", "Verzinner", date(2015, 8, 1)),
      ("Noor", "Verzinner", date(2018, 4, 30))]),
]


def fast_init(paths: ProfilePaths, passphrase: str, identity: LocalIdentity) -> None:
    init_profile(paths, passphrase, identity, kdf=FAST_KDF)


def add_households(workspace: Workspace) -> None:
    service = HouseholdService(workspace)
    for name, street, number, postcode, city, wijk, members in HOUSEHOLDS:
        household = Household(new_id(), name, Address(street, number, "", postcode, city), wijk)
        people = [
            Person(new_id(), household.id, first, last,
                   HouseholdRole.HOOFDBEWONER if index == 0 else HouseholdRole.KIND,
                   birth_date=born)
            for index, (first, last, born) in enumerate(members)
        ]
        service.create(household, people)


@pytest.fixture
def profile_paths(tmp_path: Path) -> ProfilePaths:
    paths = ProfilePaths(tmp_path / "p")
    init_profile(paths, PASSPHRASE,
                 LocalIdentity(display_name="Fenna Testmedewerker", team_name="Team Noord"),
                 kdf=FAST_KDF)
    return paths


@pytest.fixture
def filled_workspace(profile_paths: ProfilePaths) -> Iterator[Workspace]:
    workspace = unlock(profile_paths, PASSPHRASE)
    add_households(workspace)
    yield workspace
    workspace.close()


@pytest.fixture
def window(qtbot: QtBot, filled_workspace: Workspace) -> MainWindow:
    main = MainWindow(filled_workspace)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    qtbot.waitUntil(lambda: main.is_ready)  # the caseload is read after the first paint
    main.activateWindow()
    return main


def names(model: HouseholdTableModel) -> list[str]:
    return [model.index(row, Column.NAME).data() for row in range(model.rowCount())]


def click_header(qtbot: QtBot, window: MainWindow, column: Column) -> None:
    header = window.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(x, header.height() // 2))


# --- unlocking -----------------------------------------------------------------------------

def test_wrong_passphrase_shows_dutch_message_and_dialog_stays_open(
        qtbot: QtBot, profile_paths: ProfilePaths) -> None:
    dialog = UnlockDialog(profile_paths)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)

    qtbot.keyClicks(dialog.passphrase, "verkeerd wachtwoord")
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)

    assert dialog.isVisible()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.workspace is None
    assert dialog.error.isVisible()
    assert dialog.error.text() == error_message("wrong_passphrase")
    assert dialog.passphrase.text() == ""
    assert dialog.windowTitle() == "Wijkteam ontgrendelen"


def test_empty_passphrase_is_refused_without_unlocking(
        qtbot: QtBot, profile_paths: ProfilePaths) -> None:
    calls: list[str] = []

    def counting_unlock(paths: ProfilePaths, passphrase: str) -> Workspace:
        calls.append(passphrase)
        return unlock(paths, passphrase)

    dialog = UnlockDialog(profile_paths, unlock=counting_unlock)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible()
    assert dialog.error.text() == "Vul uw wachtwoord in."
    assert calls == []


def test_right_passphrase_accepts(qtbot: QtBot, profile_paths: ProfilePaths) -> None:
    dialog = UnlockDialog(profile_paths)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)

    qtbot.keyClicks(dialog.passphrase, "verkeerd wachtwoord")
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert dialog.error.isVisible()

    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
        qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.workspace is not None
    assert dialog.workspace.team.name == "Team Noord"
    dialog.workspace.close()


# --- main window ---------------------------------------------------------------------------

def test_main_window_lists_households(qtbot: QtBot, window: MainWindow) -> None:
    assert window.windowTitle() == "Wijkteam — Team Noord"
    assert sorted(names(window.model)) == sorted(h[0] for h in HOUSEHOLDS)
    assert names(window.model) == ["Familie de Verzinner", "Familie Proefmans",
                                   "Familie Voorbeeld"]
    assert window.count_label.text() == "3 huishoudens"
    # The sync controller fills in the status in the background: not logged in, and the
    # saves that are waiting to be sent.
    qtbot.waitUntil(lambda: "niet aangemeld bij de server" in window.offline_label.text())
    assert window.offline_label.text().startswith("Offline — lokaal dossier")
    assert "nog niet verstuurd" in window.offline_label.text()
    assert "Fenna Testmedewerker" in window.worker_label.text()
    assert window.caseload.stack.currentWidget() is window.table
    first = window.model.index(0, Column.ADDRESS)
    assert first.data() == "Fictieweg 41"
    assert window.model.index(0, Column.MEMBERS).data() == "3"
    assert window.model.headerData(Column.UNSYNCED, Qt.Orientation.Horizontal) == (
        "Niet verstuurd")


def test_typing_in_search_filters_and_shows_empty_state(qtbot: QtBot,
                                                        window: MainWindow) -> None:
    qtbot.keyClicks(window.search, "proefmans")
    qtbot.waitUntil(lambda: names(window.model) == ["Familie Proefmans"])
    assert window.count_label.text() == "1 huishouden"

    window.search.selectAll()
    qtbot.keyClicks(window.search, "5678 CD 3")
    qtbot.waitUntil(lambda: window.search.text() == "5678 CD 3"
                    and names(window.model) == ["Familie Proefmans"])

    window.search.selectAll()
    qtbot.keyClicks(window.search, "Niemandsland")
    qtbot.waitUntil(lambda: window.model.rowCount() == 0)
    assert window.caseload.stack.currentIndex() == 1
    assert window.caseload.empty_title.isVisible()
    assert window.caseload.empty_title.text() == "Geen huishoudens gevonden."
    assert window.count_label.text() == "0 huishoudens"

    qtbot.keyClick(window.search, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.search, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: window.model.rowCount() == len(HOUSEHOLDS))
    assert window.caseload.stack.currentWidget() is window.table


def test_ctrl_f_focuses_search(qtbot: QtBot, window: MainWindow) -> None:
    window.table.setFocus()
    qtbot.waitUntil(lambda: window.table.hasFocus())
    qtbot.keyClick(window.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.search.hasFocus())


def test_header_click_sorts(qtbot: QtBot, window: MainWindow) -> None:
    ascending = ["Familie de Verzinner", "Familie Proefmans", "Familie Voorbeeld"]
    assert names(window.model) == ascending

    click_header(qtbot, window, Column.NAME)
    assert names(window.model) == list(reversed(ascending))

    click_header(qtbot, window, Column.MEMBERS)
    members = [window.model.index(r, Column.MEMBERS).data() for r in range(3)]
    assert members == ["1", "2", "3"]
    assert window.table.horizontalHeader().sortIndicatorSection() == Column.MEMBERS

    click_header(qtbot, window, Column.POSTCODE)
    postcodes = [window.model.index(r, Column.POSTCODE).data() for r in range(3)]
    assert postcodes == ["1234 AB", "2345 EF", "5678 CD"]

    # The chosen order survives new search results (model resets).
    qtbot.keyClicks(window.search, "Niemandsland")
    qtbot.waitUntil(lambda: window.model.rowCount() == 0)
    qtbot.keyClick(window.search, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.search, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)
    assert [window.model.index(r, Column.POSTCODE).data() for r in range(3)] == postcodes


def test_closing_the_window_closes_the_workspace(qtbot: QtBot, window: MainWindow,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    closed: list[bool] = []
    workspace = window._workspace
    original = workspace.close
    monkeypatch.setattr(workspace, "close", lambda: (closed.append(True), original())[1])
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible())
    assert closed == [True]


def test_what_the_start_up_made_stays_out_of_the_collectors_scans_while_open(
        qtbot: QtBot, window: MainWindow) -> None:
    """A full cyclic collection over everything the start-up made paused the UI thread ~100
    ms now and then (docs/performance.md); those objects are frozen once the caseload is
    shown, and handed back when the window closes."""
    assert gc.get_freeze_count() > 10_000
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible())
    assert gc.get_freeze_count() == 0


def test_model_passes_qt_model_tester(filled_workspace: Workspace) -> None:
    rows: list[HouseholdSummary] = HouseholdService(filled_workspace).list()
    model = HouseholdTableModel()
    tester = QAbstractItemModelTester(
        model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_rows(rows)
    for column in Column:
        model.sort(column, Qt.SortOrder.AscendingOrder)
        model.sort(column, Qt.SortOrder.DescendingOrder)
    model.set_rows(rows[:1])
    model.set_rows([])
    model.set_rows(rows)
    assert model.rowCount() == len(HOUSEHOLDS)
    assert tester is not None


def test_sort_keeps_persistent_indexes_on_their_rows(filled_workspace: Workspace) -> None:
    model = HouseholdTableModel(HouseholdService(filled_workspace).list())
    proefmans = next(r for r in range(3) if model.summary(r).name == "Familie Proefmans")
    persistent = QPersistentModelIndex(model.index(proefmans, Column.WIJK))
    model.sort(Column.MEMBERS, Qt.SortOrder.DescendingOrder)
    assert model.summary(persistent.row()).name == "Familie Proefmans"
    assert persistent.column() == Column.WIJK


# --- creating a profile --------------------------------------------------------------------

def test_run_unlocks_then_shows_the_main_window(
        qtbot: QtBot, profile_paths: ProfilePaths, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(ui_app, "_hook_installed", True)  # keep pytest-qt's own hook
    seen: list[str] = []

    def drive() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, UnlockDialog) and not seen:
            seen.append("unlock")
            qtbot.keyClicks(widget.passphrase, PASSPHRASE)
            qtbot.keyClick(widget.passphrase, Qt.Key.Key_Return)
        main = next((w for w in QApplication.topLevelWidgets()
                     if isinstance(w, MainWindow) and w.isVisible()), None)
        if main is not None:
            seen.append(main.windowTitle())
            main.close()
            return
        QTimer.singleShot(20, drive)

    QTimer.singleShot(0, drive)
    assert ui_app.run(profile_paths) == 0
    assert seen == ["unlock", "Wijkteam — Team Noord"]


def test_with_a_passphrase_the_window_paints_first_then_unlocks_once_and_lists_once(
        qtbot: QtBot, profile_paths: ProfilePaths, monkeypatch: pytest.MonkeyPatch) -> None:
    from wijkteam_app.security import keys
    from wijkteam_app.services.households import HouseholdService as Service

    workspace = unlock(profile_paths, PASSPHRASE)
    add_households(workspace)
    workspace.close()
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(ui_app, "_hook_installed", True)  # keep pytest-qt's own hook
    derivations: list[int] = []
    real_kdf = keys.hash_secret_raw
    monkeypatch.setattr(keys, "hash_secret_raw",
                        lambda *a, **k: (derivations.append(1), real_kdf(*a, **k))[1])
    queries: list[int] = []
    real_query = Service.caseload_result
    monkeypatch.setattr(Service, "caseload_result",
                        lambda self, *a, **k: (queries.append(1), real_query(self, *a, **k))[1])
    seen: dict[str, object] = {}
    made: list[MainWindow] = []

    class Watched(MainWindow):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            made.append(self)

    monkeypatch.setattr(ui_app, "MainWindow", Watched)

    def watch() -> None:
        if not made:
            QTimer.singleShot(1, watch)
            return
        main = made[0]
        # At its first paint the window shows that it is opening, before any key derivation.
        seen["busy"] = (main.busy_text.text(), main.busy_text.isVisible(), len(derivations))
        main.ready.connect(lambda: seen.update(
            ready=(main.windowTitle(), names(main.model), main.count_label.text())))

    QTimer.singleShot(0, watch)
    assert ui_app.run(profile_paths, passphrase=PASSPHRASE, quit_after_start=True) == 0
    assert seen["busy"] == ("Uw dossier wordt geopend…", True, 0)
    assert seen["ready"] == ("Wijkteam — Team Noord", ["Familie de Verzinner",
                             "Familie Proefmans", "Familie Voorbeeld"], "3 huishoudens")
    assert derivations == [1]  # one key derivation per unlock
    assert queries == [1]  # the caseload is read once at start


def test_a_wrong_passphrase_from_a_file_is_raised_to_the_caller(
        qtbot: QtBot, profile_paths: ProfilePaths, monkeypatch: pytest.MonkeyPatch) -> None:
    from wijkteam_app.errors import WrongPassphrase

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(ui_app, "_hook_installed", True)
    with pytest.raises(WrongPassphrase):
        ui_app.run(profile_paths, passphrase="verkeerd wachtwoord", quit_after_start=True)
    assert not [w for w in QApplication.topLevelWidgets()
                if isinstance(w, MainWindow) and w.isVisible()]


def test_every_caseload_header_title_fits_its_column_at_1366(
        qtbot: QtBot, filled_workspace: Workspace) -> None:
    """Observed: the header "Niet gesynchroniseerd" showed as "t gesynchronise"."""
    from PySide6.QtGui import QFontMetrics

    window = MainWindow(filled_workspace)
    qtbot.addWidget(window)
    window.resize(1366, 740)
    window.show()
    qtbot.waitExposed(window)
    header = window.table.horizontalHeader()
    bold = header.font()
    bold.setBold(True)
    for column in Column:
        title = str(window.model.headerData(column, Qt.Orientation.Horizontal))
        needed = QFontMetrics(bold).horizontalAdvance(title) + 15 + 16  # padding, indicator
        assert header.sectionSize(column) >= needed, (title, header.sectionSize(column))


def test_the_shortcuts_keep_keys_and_descriptions_apart(
        qtbot: QtBot, filled_workspace: Workspace) -> None:
    """Observed: "Ctrl+7Tabbladen" ran together in the shortcuts dialog."""
    from PySide6.QtGui import QTextDocument

    window = MainWindow(filled_workspace)
    qtbot.addWidget(window)
    document = QTextDocument()
    document.setHtml(window.shortcuts_html())
    document.setTextWidth(800)
    layout = document.documentLayout()
    keys = document.find("Ctrl+1 … Ctrl+7")
    description = document.find("Tabbladen van het huishouden")
    assert not keys.isNull() and not description.isNull()
    key_block = keys.block()
    key_end = (layout.blockBoundingRect(key_block).x()
               + key_block.layout().lineAt(0).naturalTextWidth())
    gap = layout.blockBoundingRect(description.block()).x() - key_end
    assert gap >= 12, gap


def test_the_window_title_does_not_repeat_wijkteam(qtbot: QtBot, tmp_path: Path) -> None:
    """Observed: "Wijkteam — Wijkteam Noord"."""
    paths = ProfilePaths(tmp_path / "noord")
    init_profile(paths, PASSPHRASE, LocalIdentity(team_name="Wijkteam Noord"), kdf=FAST_KDF)
    workspace = unlock(paths, PASSPHRASE)
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    try:
        assert window.windowTitle() == "Wijkteam Noord"
    finally:
        window.close_workspace()
