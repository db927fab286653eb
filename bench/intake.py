"""The full intake of a three-person household, keyboard only, through the real main window.

Run by hand:

    QT_QPA_PLATFORM=offscreen python bench/intake.py [--repeat N]

A throw-away profile (in-memory keyring, fast KDF) is created and the real `MainWindow` is
opened. Then a scripted worker does, with keys only:

  Ctrl+N -> the intake wizard: referral, address, two adults and a child (gezag with both
  adults), the quickscan's three answers, triage and one urgency criterion, summary, save;
  on the household page (by its shortcuts): a ZRM for each adult (a digit per domain), one
  participatieladder entry, a network of three members and five contacts in the journal.

Every key goes as a QTest key event to `QApplication.focusWidget()`, one key per turn of the
event loop (as typing does), so the app's timers, deferred deletes and modal `exec()` loops run
exactly as they do for a person. The script never sets a widget's value, never clicks and never
calls a service for the measured steps: it only reads the UI to know when the app is ready (a
dialog open, the focus where expected), as a person watches the screen. A key combination
counts as one key press, typed text as one per character. Mouse presses are counted by an
application-wide event filter and must stay 0.

The wall time runs from the first key to the moment the last save is visible on the page.
Afterwards the services confirm what was stored (3 persons, 2 ZRM, 1 ladder entry, 3 network
members, 5 contacts and the details typed); the exit status is non-zero when anything is
missing or a step could not be done by keyboard.

Notes on what the number includes:
- The household page's actions go by its shortcuts (Ctrl+Shift+Z ZRM, Ctrl+Shift+P ladder,
  Ctrl+Shift+E network member, Ctrl+Shift+C contact), which act at once; a button pressed by
  its mnemonic (Alt+letter) would be an animated click, acting 100 ms after the key.
- The offscreen platform gives no window the activation back after a dialog closes; the
  runner does what a desktop's window manager does (`emulate_window_manager`).
- `NoneKeeper` works around a PySide6 reference-count bug that would otherwise abort Python.
- BENCH_DEBUG=1 prints every key with its time and the widget that received it.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import argparse
import ctypes
import importlib.util
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

import keyring
from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QEventLoop,
    QMessageLogContext,
    QObject,
    Qt,
    QThread,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtGui import QKeySequence, QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QTableView, QWidget

from wijkteam_app.domain.cases import CaseStatus, Complexity, ContactKind, UrgencyCriterion
from wijkteam_app.domain.instruments import InstrumentKind
from wijkteam_app.paths import ProfilePaths
from wijkteam_app.services.assessments import AssessmentService
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import KdfParams, LocalIdentity, Workspace, init_profile, unlock
from wijkteam_app.ui.app import create_application
from wijkteam_app.ui.dialogs.household_dialogs import ContactDialog, NetworkMemberDialog
from wijkteam_app.ui.dialogs.intake_wizard import (
    STEP_HOUSEHOLD,
    STEP_QUICKSCAN,
    STEP_SUMMARY,
    IntakeWizard,
    MemberRow,
)
from wijkteam_app.ui.forms.common import ScorePicker
from wijkteam_app.ui.forms.ladder_form import LadderDialog
from wijkteam_app.ui.forms.zrm_form import ZrmDialog
from wijkteam_app.ui.main_window import MainWindow
from wijkteam_app.ui.pages.household_page import HouseholdPage

REPO_ROOT = Path(__file__).resolve().parents[1]
PASSPHRASE = "benchmark passphrase, not a secret"  # noqa: S105 - throw-away profile in a temp dir
FAST_KDF = KdfParams(1, 1024, 1)
WAIT_TIMEOUT_S = 10.0
DEBUG = bool(os.environ.get("BENCH_DEBUG"))

T = TypeVar("T")
W = TypeVar("W", bound=QWidget)

NO_MOD = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier

# The household. Names are made up; 999999990 is the usual test BSN (passes the 11-proef).
REFERRER = "Huisartsenpraktijk Voorbeeldstad"
REFERRAL_NOTE = "Zorgen over schulden en de opvoeding."
STREET, HOUSE_NUMBER, POSTCODE, CITY, WIJK = "Proefstraat", "12", "1234AB", "Verzinstad", "Noord"
QUICKSCAN = ("Boodschappen en het huishouden", "Oma haalt Daan van school",
             "Overzicht over de schulden")


@dataclass(frozen=True, slots=True)
class Member:
    first_name: str
    last_name: str
    birth_date: date
    bsn: str = ""


@dataclass(frozen=True, slots=True)
class NetworkEntry:
    name: str
    relation: str
    support: str


@dataclass(frozen=True, slots=True)
class ContactEntry:
    minutes: str
    kind_keys: str  # typed on the "Soort" list to pick the kind (keyboard search)
    kind: ContactKind
    with_whom: str
    notes: str


NETWORK = (
    NetworkEntry("Oma Proefmans", "Oma", "Haalt Daan drie keer per week van school"),
    NetworkEntry("Ellen Verzinner", "Buurvrouw", "Past op Daan bij afspraken"),
    NetworkEntry("Kees Oefenaar", "Vrijwilliger", "Helpt met de post en de administratie"),
)
CONTACTS = (
    ContactEntry("30", "t", ContactKind.TELEFONISCH, "Huisarts", "Aanmelding besproken"),
    ContactEntry("90", "", ContactKind.HUISBEZOEK, "Anouk en Bram",
                 "Keukentafelgesprek, quickscan samen ingevuld"),
    ContactEntry("20", "t", ContactKind.TELEFONISCH, "Oma Proefmans", "Afspraken over school"),
    ContactEntry("45", "ov", ContactKind.OVERLEG, "Jeugdteam Noord",
                 "Afstemming over opvoedondersteuning"),
    ContactEntry("15", "e", ContactKind.EMAIL, "Schuldhulp Verzinstad", "Aanmelding schuldhulp"),
)
# One digit per ZRM domain, in this order, repeated as needed.
ZRM_SCORES = (3, 2, 4, 3, 5, 2, 4, 3, 3, 4, 2, 5, 3, 4, 3, 2)
LADDER_RUNG, LADDER_POTENTIAL = 3, 5


def members_for(today: date) -> tuple[Member, Member, Member]:
    child_born = date(today.year - 9, today.month, min(today.day, 28)) - timedelta(days=40)
    return (Member("Anouk", "Proefmans", date(1984, 3, 2), "999999990"),
            Member("Bram", "Voorbeeld", date(1981, 7, 14)),
            Member("Daan", "Proefmans", child_born))


def dutch(day: date) -> str:
    return day.strftime("%d-%m-%Y")


# --- what the script asks the runner to do ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Key:
    """One key (or key combination) sent to the widget with the focus."""

    key: Qt.Key
    modifiers: Qt.KeyboardModifier = NO_MOD


@dataclass(frozen=True, slots=True)
class Char:
    """One typed character sent to the widget with the focus."""

    text: str


@dataclass(frozen=True, slots=True)
class WaitFor:
    """Wait (turning the event loop) until the UI shows something; fail after a timeout."""

    condition: Callable[[], bool]
    what: str
    timeout_s: float = WAIT_TIMEOUT_S


@dataclass(frozen=True, slots=True)
class Step:
    """Start of a step in the breakdown."""

    name: str


Action = Key | Char | WaitFor | Step
Script = Iterator[Action]


class BenchFailure(Exception):
    """A step could not be done by keyboard (or the UI never got ready)."""


@dataclass
class StepRecord:
    name: str
    start: float
    keys_at_start: int
    chars_at_start: int


@dataclass
class RunResult:
    keys: int = 0
    chars: int = 0
    clicks: int = 0
    wall_s: float = 0.0
    steps: list[tuple[str, int, int, float]] = field(default_factory=list)  # name, keys, chars, s
    household_id: str = ""
    unfocused: list[str] = field(default_factory=list)


class MouseCounter(QObject):
    """Counts mouse presses anywhere in the application (one per event, not per receiver)."""

    def __init__(self) -> None:
        super().__init__()
        self.stamps: set[tuple[int, int]] = set()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if isinstance(event, QMouseEvent) and event.type() in (
                QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            self.stamps.add((event.type().value, event.timestamp()))
        return False

    @property
    def clicks(self) -> int:
        return len(self.stamps)


class NoneKeeper:
    """Works around a reference-count bug seen with PySide6 6.12.0 on Python 3.11: every call
    of a Python slot, and every Qt function that returns a null object (e.g.
    QApplication.focusWidget() with nothing focused), drops one reference to None too many.
    After some thousands of them Python aborts ("none_dealloc"). The runner's own polling
    adds thousands of slot calls, so the count is topped up (with references that are never
    given back) to where it started, on every turn. Where None is immortal (Python >= 3.12)
    or the bug is fixed, this does nothing."""

    def __init__(self) -> None:
        self.floor = sys.getrefcount(None)
        self.added = 0

    def top_up(self, margin: int = 0) -> None:
        missing = self.floor + margin - sys.getrefcount(None)
        for _ in range(missing):
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(None))
        self.added += max(missing, 0)


NONE_KEEPER = NoneKeeper()


class Runner:
    """Plays a script: one action per turn of the event loop.

    The next turn is scheduled *before* a key is sent, because a key may open a modal dialog
    whose `exec()` blocks until the dialog closes; the script then goes on inside that nested
    loop, like a person typing into the dialog.
    """

    def __init__(self, script: Script) -> None:
        self._script = script
        self._loop = QEventLoop()
        self._waiting: WaitFor | None = None
        self._deadline = 0.0
        self._finished = False
        self.error: BaseException | None = None
        self.keys = 0
        self.chars = 0
        self.first_key_at: float | None = None
        self.finished_at = 0.0
        self.steps: list[StepRecord] = []
        self.unfocused: list[str] = []  # keys that found no focus widget (a keyboard gap)
        self._timers: list[QTimer] = []
        self._running: set[QTimer] = set()

    def run(self) -> None:
        self._schedule()
        self._loop.exec()

    def _schedule(self) -> None:
        """The next turn, on a zero-time single-shot timer that is not itself blocked in a
        nested loop (a timer does not fire again while its own timeout is running). Own
        timer objects, reused, instead of many QTimer.singleShot calls."""
        timer = next((t for t in self._timers if t not in self._running and not t.isActive()),
                     None)
        if timer is None:
            timer = QTimer()
            timer.setSingleShot(True)
            timer.setInterval(0)
            timer.timeout.connect(lambda t=timer: self._fired(t))
            self._timers.append(timer)
        timer.start()

    def _fired(self, timer: QTimer) -> None:
        NONE_KEEPER.top_up()
        emulate_window_manager()
        self._running.add(timer)
        try:
            self._tick()
        finally:
            self._running.discard(timer)

    def _tick(self) -> None:
        if self._finished:
            return
        if self._waiting is not None:
            if not self._waiting.condition():
                if time.perf_counter() > self._deadline:
                    self._fail(BenchFailure(f"timed out waiting for: {self._waiting.what} "
                                            f"(focus: {describe(focus())}, active window: "
                                            f"{describe(QApplication.activeWindow())})"))
                    return
                self._schedule()
                return
            self._waiting = None
        try:
            action = next(self._script)
        except StopIteration:
            self.finished_at = time.perf_counter()
            self._finished = True
            self._loop.quit()
            return
        except Exception as exc:  # reported by the caller
            self._fail(exc)
            return
        self._schedule()
        if isinstance(action, WaitFor):
            self._waiting = action
            self._deadline = time.perf_counter() + action.timeout_s
        elif isinstance(action, Step):
            self.steps.append(StepRecord(action.name, time.perf_counter(), self.keys, self.chars))
        else:
            self._send(action)

    def _send(self, action: Key | Char) -> None:
        target = focus()
        if target is None:
            # Like a real key press: with no focus widget it goes to the active window.
            target = QApplication.activeWindow()
            if target is None:
                self._fail(BenchFailure(f"no active window for {key_name(action)}"))
                return
            step = self.steps[-1].name if self.steps else "-"
            self.unfocused.append(f"{key_name(action)} in step {step!r}")
        if self.first_key_at is None:
            self.first_key_at = time.perf_counter()
        self.keys += 1
        if DEBUG:
            print(f"  {time.perf_counter() - self.first_key_at:8.3f} s  key {self.keys}: "
                  f"{key_name(action)} -> {describe(target)}", file=sys.stderr)
        if isinstance(action, Char):
            self.chars += 1
            QTest.keyClicks(target, action.text)
        else:
            QTest.keyClick(target, action.key, action.modifiers)

    def _fail(self, exc: BaseException) -> None:
        self.error = exc
        self._finished = True
        self.finished_at = time.perf_counter()
        # Unwind: close every open dialog (modal ones then return from their exec()).
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        self._loop.quit()


def emulate_window_manager() -> None:
    """The offscreen platform activates no window after a dialog closes; a desktop's window
    manager gives the activation back (to the open modal dialog, else the main window)."""
    if QApplication.activeWindow() is not None:
        return
    modal = QApplication.activeModalWidget()
    candidates = [modal] if modal is not None else [
        w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    for window in candidates:
        window.activateWindow()


# --- script helpers ----------------------------------------------------------------------------

def focus() -> QWidget | None:
    return QApplication.focusWidget()


def key_name(action: Key | Char) -> str:
    if isinstance(action, Char):
        return repr(action.text)
    sequence = QKeySequence(action.key.value | action.modifiers.value)
    return sequence.toString(QKeySequence.SequenceFormat.PortableText)


def describe(widget: QWidget | None) -> str:
    if widget is None:
        return "none"
    text = widget.text() if isinstance(widget, QAbstractButton) else ""
    name = widget.objectName() or widget.accessibleName() or text or widget.windowTitle()
    return f"{type(widget).__name__} {name!r}"


def press(key: Qt.Key, modifiers: Qt.KeyboardModifier = NO_MOD) -> Script:
    yield Key(key, modifiers)


def type_text(text: str) -> Script:
    for char in text:
        yield Char(char)


def focus_in(widget: QWidget) -> bool:
    current = focus()
    return current is not None and widget.isAncestorOf(current)


def expect_focus(widget: QWidget, what: str) -> Script:
    yield WaitFor(lambda: focus() is widget, f"the focus on {what}")


def tab_to(widget: QWidget, what: str, *, backwards: bool = False, limit: int = 25) -> Script:
    """Tab (or Shift+Tab) until `widget` has the focus: the keys a person needs for it."""
    for _ in range(limit):
        if focus() is widget:
            return
        yield Key(Qt.Key.Key_Tab, SHIFT if backwards else NO_MOD)
    if focus() is not widget:
        raise BenchFailure(f"{limit} x {'Shift+' if backwards else ''}Tab did not reach {what}")


def reach(widget: QWidget, mnemonic: Qt.Key, what: str) -> Script:
    """Get the focus to `widget`: nothing to do when it has it, else its label's mnemonic."""
    if focus() is not widget:
        yield Key(mnemonic, ALT)
        yield from expect_focus(widget, what)


def digit(value: int) -> Qt.Key:
    return Qt.Key(Qt.Key.Key_0.value + value)


def loop_level() -> int:
    return QThread.currentThread().loopLevel()


def modal_closed(base_level: int) -> Callable[[], bool]:
    """True once no modal dialog is open and every nested exec() has returned (so the main
    window has finished its work after the dialog, e.g. reloading the page)."""
    return lambda: QApplication.activeModalWidget() is None and loop_level() <= base_level


def active_modal(kind: type[W]) -> W | None:
    widget = QApplication.activeModalWidget()
    return widget if isinstance(widget, kind) and widget.isActiveWindow() else None


def need(value: T | None, what: str) -> T:
    if value is None:
        raise BenchFailure(f"not found: {what}")
    return value


def new_member_row(wizard: IntakeWizard, index: int) -> Callable[[], bool]:
    return lambda: (len(wizard.member_rows) == index + 1
                    and focus() is wizard.member_rows[index].first_name)


def gezag_offered(row: MemberRow, count: int) -> Callable[[], bool]:
    return lambda: row.gezag_box.isVisible() and len(row.gezag_checks) == count


def first_gezag_focused(row: MemberRow) -> Callable[[], bool]:
    return lambda: focus() is next(iter(row.gezag_checks.values()), None)


def gezag_ticked(row: MemberRow, count: int) -> Callable[[], bool]:
    return lambda: len(row.gezag_ids()) == count


def dialog_saved(page: HouseholdPage, model: QAbstractItemModel,
                 rows: int) -> Callable[[], bool]:
    """The page's editing dialog closed and the table shows the new row."""
    return lambda: page.active_dialog is None and model.rowCount() == rows


def select_member(page: HouseholdPage, first_name: str) -> Script:
    """Arrow keys in the members table until that person's row is selected."""
    table: QTableView = page.members_table
    model = page.members_model
    target = next((r for r in range(model.rowCount())
                   if model.item(r).first_name == first_name), -1)
    if target < 0:
        raise BenchFailure(f"{first_name} is not in the members table")
    yield WaitFor(table.hasFocus, "the focus on the members table")
    for _ in range(model.rowCount() + 2):
        selection = table.selectionModel()
        rows = [i.row() for i in selection.selectedRows()] if selection else []
        if rows == [target]:
            return
        current = table.currentIndex()
        row = current.row() if current.isValid() else -1
        if row == target:
            yield Key(Qt.Key.Key_Space)  # the cursor is on the row: select it
        else:
            yield Key(Qt.Key.Key_Down if row < target else Qt.Key.Key_Up)
    raise BenchFailure(f"could not select {first_name} in the members table")


# --- the intake script ---------------------------------------------------------------------------


def intake_script(window: MainWindow, today: date, result: RunResult) -> Script:
    base = loop_level() + 1  # the runner's own loop
    page = window.household
    adult1, adult2, child = members_for(today)
    yield WaitFor(lambda: window.isActiveWindow() and focus() is window.search,
                  "the main window with the focus in the search box")

    # --- intake wizard ---------------------------------------------------------------------
    yield Step("Ctrl+N, referral (Huisarts, who, note)")
    yield from press(Qt.Key.Key_N, CTRL)
    yield WaitFor(lambda: active_modal(IntakeWizard) is not None, "the intake wizard")
    wizard = need(active_modal(IntakeWizard), "the intake wizard")
    result.household_id = wizard.household_id
    yield from expect_focus(wizard.referral_source, "Aangemeld door")
    yield from press(Qt.Key.Key_Down)  # Huisarts is the second source
    yield from tab_to(wizard.referrer, "Wie precies")
    yield from type_text(REFERRER)
    yield from tab_to(wizard.referral_note, "Notitie")  # the date stays today
    yield from type_text(REFERRAL_NOTE)
    yield from press(Qt.Key.Key_Return, CTRL)
    yield WaitFor(lambda: wizard.stack.currentIndex() == STEP_HOUSEHOLD, "step Huishouden")

    yield Step("Address (street .. wijk)")
    yield from expect_focus(wizard.street, "Straat")
    yield from type_text(STREET)
    yield from tab_to(wizard.house_number, "Huisnummer")
    yield from type_text(HOUSE_NUMBER)
    yield from tab_to(wizard.postcode, "Postcode")
    yield from type_text(POSTCODE)
    yield from tab_to(wizard.city, "Plaats")
    yield from type_text(CITY)
    yield from tab_to(wizard.wijk, "Wijk")
    yield from type_text(WIJK)

    for index, member in enumerate((adult1, adult2, child)):
        label = "child, gezag with both adults" if member is child else "adult"
        yield Step(f"Person {index + 1}: {member.first_name} ({label})")
        if index == 0:
            row = wizard.member_rows[0]
            yield from tab_to(row.first_name, "Voornaam of person 1")
        else:
            yield from press(Qt.Key.Key_N, CTRL | SHIFT)
            yield WaitFor(new_member_row(wizard, index),
                          f"a new person row {index + 1} with the focus in Voornaam")
            row = wizard.member_rows[index]
        yield from type_text(member.first_name)
        yield from tab_to(row.last_name, "Achternaam")
        yield from type_text(member.last_name)
        yield from tab_to(row.birth_date, "Geboortedatum")
        yield from type_text(dutch(member.birth_date))
        if member.bsn:
            yield from tab_to(row.bsn, "BSN")
            yield from type_text(member.bsn)
        if member is child:
            yield WaitFor(gezag_offered(row, 2), "the gezag choices for the child")
            # Alt+Z ("Ge&zag bij:") to the first box; ticking keeps the boxes (and the focus).
            yield from press(Qt.Key.Key_Z, ALT)
            yield WaitFor(first_gezag_focused(row), "the focus on the first gezag box")
            for n, check in enumerate(row.gezag_checks.values()):
                yield from tab_to(check, f"gezag check box {n + 1}")
                yield from press(Qt.Key.Key_Space)
                yield WaitFor(gezag_ticked(row, n + 1), f"{n + 1} gezag box(es) ticked")
    yield from press(Qt.Key.Key_Return)  # Volgende (the default button)
    yield WaitFor(lambda: wizard.stack.currentIndex() == STEP_QUICKSCAN, "step Quickscan")

    yield Step("Quickscan, triage meervoudig, urgency kwetsbaarheid")
    yield from expect_focus(wizard.qs_self, "Wat kunt u zelf?")
    yield from type_text(QUICKSCAN[0])
    yield from tab_to(wizard.qs_arrange, "Wat kunt u zelf regelen?")
    yield from type_text(QUICKSCAN[1])
    yield from tab_to(wizard.qs_help, "Waarbij heeft u hulp nodig?")
    yield from type_text(QUICKSCAN[2])
    yield from tab_to(wizard.complexity_none, "the triage choice")
    yield from press(Qt.Key.Key_Down)
    yield from press(Qt.Key.Key_Down)
    yield WaitFor(wizard.complexity_multi.isChecked, "triage Meervoudig chosen")
    kwetsbaar = wizard.urgency_checks[UrgencyCriterion.KWETSBAARHEID]
    yield from press(Qt.Key.Key_K, ALT)  # "&Kwetsbaarheid"
    yield WaitFor(kwetsbaar.isChecked, "Kwetsbaarheid ticked (mnemonic click)")

    yield Step("Summary, save (household page opens)")
    yield from press(Qt.Key.Key_Return, CTRL)
    yield WaitFor(lambda: wizard.stack.currentIndex() == STEP_SUMMARY
                  and focus() is wizard.save_button, "the summary with the focus on Opslaan")
    yield from press(Qt.Key.Key_Return)
    yield WaitFor(modal_closed(base), "the wizard to close")
    yield WaitFor(lambda: window.pages.currentWidget() is page
                  and page.current_household_id() == result.household_id
                  and page.members_model.rowCount() == 3, "the new household's page")

    # --- ZRM for each adult, ladder for one ---------------------------------------------------
    for adult in (adult2, adult1):
        yield Step(f"ZRM {adult.first_name} (a digit per domain, Ctrl+S)")
        yield from select_member(page, adult.first_name)
        yield from press(Qt.Key.Key_Z, CTRL | SHIFT)  # the page's "ZRM" shortcut
        yield WaitFor(lambda: (d := active_modal(ZrmDialog)) is not None
                      and isinstance(focus(), ScorePicker) and focus_in(d),
                      "the ZRM form with the focus on the first domain")
        zrm = need(active_modal(ZrmDialog), "the ZRM form")
        pickers = {row.picker for row in zrm.rows.values()}
        scored = 0
        while focus() in pickers:
            yield Key(digit(ZRM_SCORES[scored % len(ZRM_SCORES)]))
            scored += 1
        if scored != len(pickers):
            raise BenchFailure(f"scored {scored} of {len(pickers)} ZRM domains")
        yield from press(Qt.Key.Key_S, CTRL)
        yield WaitFor(modal_closed(base), "the ZRM form to close")

    yield Step(f"Participatieladder {adult1.first_name} (rung, potential, horizon)")
    yield from select_member(page, adult1.first_name)
    yield from press(Qt.Key.Key_P, CTRL | SHIFT)  # the page's "Participatieladder" shortcut
    yield WaitFor(lambda: (d := active_modal(LadderDialog)) is not None
                  and focus() is d.current, "the ladder form with the focus on Huidige trede")
    ladder = need(active_modal(LadderDialog), "the ladder form")
    yield from press(digit(LADDER_RUNG))
    yield from expect_focus(ladder.potential, "Haalbare trede")
    yield from press(digit(LADDER_POTENTIAL))
    yield from reach(ladder.horizon, Qt.Key.Key_R, "Horizon")  # "Ho&rizon"
    yield from type_text(dutch(today + timedelta(days=182)))
    yield from press(Qt.Key.Key_S, CTRL)
    yield WaitFor(modal_closed(base), "the ladder form to close")

    # --- network -------------------------------------------------------------------------------
    yield WaitFor(page.members_table.hasFocus, "the focus back on the members table")
    for n, entry in enumerate(NETWORK):
        yield Step(f"Network member {n + 1}: {entry.relation}")
        yield from press(Qt.Key.Key_E, CTRL | SHIFT)  # "Netwerklid toevoegen", to Netwerk
        yield WaitFor(lambda: isinstance(page.active_dialog, NetworkMemberDialog)
                      and page.active_dialog.isActiveWindow()
                      and focus_in(page.active_dialog),
                      "the network dialog with the focus in it")
        network = page.active_dialog
        assert isinstance(network, NetworkMemberDialog)
        yield from reach(network.name, Qt.Key.Key_N, "Naam")  # the dialog opens on Naam
        yield from type_text(entry.name)
        yield from tab_to(network.relation, "Relatie")
        yield from type_text(entry.relation)
        yield from tab_to(network.support, "Wat doet hij of zij")
        yield from type_text(entry.support)
        yield from press(Qt.Key.Key_Return, CTRL)
        yield WaitFor(dialog_saved(page, page.network_model, n + 1),
                      f"network member {n + 1} in the table")

    # --- journal -------------------------------------------------------------------------------
    for n, contact in enumerate(CONTACTS):
        yield Step(f"Contact {n + 1}: {contact.minutes} min {contact.kind.value}")
        yield from press(Qt.Key.Key_C, CTRL | SHIFT)  # "Contact toevoegen", to Journaal
        yield WaitFor(lambda: isinstance(page.active_dialog, ContactDialog)
                      and page.active_dialog.isActiveWindow()
                      and focus_in(page.active_dialog),
                      "the contact dialog with the focus in it")
        dialog = page.active_dialog
        assert isinstance(dialog, ContactDialog)
        # The date stays today: the dialog opens on Datum, one Tab to Duur.
        yield from expect_focus(dialog.on, "Datum")
        yield from tab_to(dialog.duration, "Duur")
        yield from type_text(contact.minutes)
        yield from tab_to(dialog.kind, "Soort")
        yield from type_text(contact.kind_keys)
        yield from tab_to(dialog.with_whom, "Met wie")
        yield from type_text(contact.with_whom)
        yield from tab_to(dialog.notes_edit, "Notitie")
        yield from type_text(contact.notes)
        yield from press(Qt.Key.Key_Return, CTRL)
        yield WaitFor(dialog_saved(page, page.contacts_model, n + 1),
                      f"contact {n + 1} in the journal")


# --- checking what was stored ----------------------------------------------------------------


def verify(workspace: Workspace, household_id: str, today: date) -> list[str]:
    """What the services say was stored; a list of problems (empty: all there)."""
    problems: list[str] = []

    def check(ok: bool, text: str) -> None:
        if not ok:
            problems.append(text)

    if not household_id:
        return ["no household id (the wizard never opened)"]
    page = HouseholdService(workspace).page(household_id)
    detail = page.detail
    a = detail.household.address
    check((a.street, a.house_number, a.postcode, a.city, detail.household.wijk)
          == (STREET, int(HOUSE_NUMBER), "1234 AB", CITY, WIJK),
          f"address stored as {a} / wijk {detail.household.wijk!r}")
    people = {p.first_name: p for p in detail.members}
    check(len(detail.members) == 3, f"{len(detail.members)} persons instead of 3")
    for member in members_for(today):
        stored = people.get(member.first_name)
        check(stored is not None and (stored.last_name, stored.birth_date, stored.bsn)
              == (member.last_name, member.birth_date, member.bsn),
              f"person {member.first_name} stored as {stored}")
    child = people.get("Daan")
    adults = {people[n].id for n in ("Anouk", "Bram") if n in people}
    check(child is not None and set(child.gezag_holder_ids) == adults and len(adults) == 2,
          "the child's gezag is not with both adults")

    check(len(page.cases) == 1, f"{len(page.cases)} cases instead of 1")
    if page.cases:
        overview = page.cases[0]
        case = overview.case
        check(case.complexity is Complexity.MEERVOUDIG, f"triage {case.complexity}")
        check(case.status is CaseStatus.KEUKENTAFELGESPREK, f"status {case.status}")
        check(case.urgency == (UrgencyCriterion.KWETSBAARHEID,), f"urgency {case.urgency}")
        check(REFERRER in case.referral_note and REFERRAL_NOTE in case.referral_note,
              "referral note")
        check((case.quickscan.self_, case.quickscan.arrange, case.quickscan.help) == QUICKSCAN,
              f"quickscan {case.quickscan}")
        contacts = sorted(overview.contacts, key=lambda c: c.duration_minutes)
        check(len(contacts) == 5, f"{len(contacts)} contacts instead of 5")
        wanted = sorted(CONTACTS, key=lambda c: int(c.minutes))
        check([(c.duration_minutes, c.kind, c.with_whom, c.notes) for c in contacts]
              == [(int(w.minutes), w.kind, w.with_whom, w.notes) for w in wanted],
              "contacts differ from what was typed")
    network = sorted((m.name, m.relation, m.support) for m in detail.network)
    check(network == sorted((e.name, e.relation, e.support) for e in NETWORK),
          f"network stored as {network}")

    service = AssessmentService(workspace)
    zrm = ladder = 0
    for name in ("Anouk", "Bram"):
        if name not in people:
            continue
        for assessment in service.history(person_id=people[name].id):
            kind = service.definition_for(assessment).kind
            if kind is InstrumentKind.ZRM:
                zrm += 1
                check(all(s.score is not None for s in assessment.items),
                      f"ZRM of {name} has unscored domains")
            elif kind is InstrumentKind.LADDER:
                ladder += 1
                item = assessment.items[0] if assessment.items else None
                check(name == "Anouk" and item is not None
                      and (item.score, item.target_score) == (LADDER_RUNG, LADDER_POTENTIAL)
                      and assessment.target_date == today + timedelta(days=182),
                      f"ladder entry of {name}: {assessment}")
    check(zrm == 2, f"{zrm} ZRM instead of 2")
    check(ladder == 1, f"{ladder} ladder entries instead of 1")
    return problems


# --- running -------------------------------------------------------------------------------------


QUIET_QT_MESSAGES = ("This plugin does not support propagateSizeHints()",)


def quiet_qt_messages(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's own messages to stderr, without the offscreen platform's known chatter."""
    del mode, context
    if message not in QUIET_QT_MESSAGES:
        print(message, file=sys.stderr)


def install_memory_keyring() -> None:
    """The tests' in-memory keyring backend, loaded from its file (the repo root is not on
    sys.path when the script is run as `python bench/intake.py`)."""
    path = REPO_ROOT / "tests" / "helpers" / "memory_keyring.py"
    spec = importlib.util.spec_from_file_location("bench_memory_keyring", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    keyring.set_keyring(module.MemoryKeyring())


def settle(condition: Callable[[], bool], timeout_s: float = WAIT_TIMEOUT_S) -> bool:
    deadline = time.perf_counter() + timeout_s
    while not condition():
        NONE_KEEPER.top_up()
        if time.perf_counter() > deadline:
            return False
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
    return True


def run_once(app: QApplication, root: Path, counter: MouseCounter) -> tuple[RunResult, list[str]]:
    paths = ProfilePaths(root / "profiel")
    identity = LocalIdentity(display_name="Bench Werker", team_name="Wijkteam Verzinstad",
                             wijken=("Centrum", "Noord", "Oost", "Zuid"))
    init_profile(paths, PASSPHRASE, identity, kdf=FAST_KDF)
    workspace = unlock(paths, PASSPHRASE)
    today = workspace.today()
    window = MainWindow(workspace)
    window.show()
    window.activateWindow()  # what the window manager does for a newly opened app
    if not settle(window.isActiveWindow):
        raise BenchFailure("the main window never became active")
    if not settle(lambda: getattr(window, "is_ready", True)):  # caseload after the paint
        raise BenchFailure("the main window never showed the caseload")

    result = RunResult()
    clicks_before = counter.clicks
    runner = Runner(intake_script(window, today, result))
    runner.run()
    result.keys, result.chars = runner.keys, runner.chars
    result.unfocused = runner.unfocused
    result.clicks = counter.clicks - clicks_before
    start = runner.first_key_at or runner.finished_at
    result.wall_s = runner.finished_at - start
    for n, step in enumerate(runner.steps):
        nxt = runner.steps[n + 1] if n + 1 < len(runner.steps) else None
        end_t = nxt.start if nxt else runner.finished_at
        end_k = nxt.keys_at_start if nxt else runner.keys
        end_c = nxt.chars_at_start if nxt else runner.chars
        begin = max(step.start, start) if n == 0 else step.start
        result.steps.append((step.name, end_k - step.keys_at_start, end_c - step.chars_at_start,
                             end_t - begin))
    try:
        if runner.error is not None:
            done = len(runner.steps)
            where = runner.steps[-1].name if done else "before the first step"
            return result, [f"step {done} ({where}): {runner.error}"]
        return result, verify(workspace, result.household_id, today)
    finally:
        window.close()  # closes the case file
        window.deleteLater()
        app.processEvents()
        NONE_KEEPER.top_up()


def report(runs: Sequence[RunResult]) -> None:
    first = runs[0]
    walls = [r.wall_s for r in runs]
    wall = statistics.median(walls)
    print("Keyboard-only intake of a 3-person household through MainWindow (bench/intake.py)")
    print(f"Python {sys.version.split()[0]}, Qt platform {QApplication.platformName()}, "
          f"{len(runs)} run(s)")
    print()
    print(f"Key presses:  {first.keys}  ({first.chars} typed characters, "
          f"{first.keys - first.chars} other keys and combinations)")
    print(f"Mouse clicks: {max(r.clicks for r in runs)}")
    runs_text = ", ".join(f"{w:.2f}" for w in walls)
    print(f"Wall time:    {wall:.2f} s (first key to last save"
          + (f"; median of {len(runs)}: {runs_text} s)" if len(runs) > 1 else ")"))
    if any(r.keys != first.keys for r in runs):
        print("NOTE: the number of keys differed between runs: "
              + ", ".join(str(r.keys) for r in runs))
    print()
    width = max(len(name) for name, *_ in first.steps)
    header = f"{'step':<{width}}  {'keys':>5}  {'typed':>5}  {'other':>5}  {'time ms':>8}"
    print(header)
    print("-" * len(header))
    for index, (name, keys, chars, _seconds) in enumerate(first.steps):
        ms = statistics.median(r.steps[index][3] for r in runs) * 1000
        print(f"{name:<{width}}  {keys:>5}  {chars:>5}  {keys - chars:>5}  {ms:>8.0f}")
    print("-" * len(header))
    total_ms = sum(statistics.median(r.steps[i][3] for r in runs) for i in
                   range(len(first.steps))) * 1000
    print(f"{'total':<{width}}  {first.keys:>5}  {first.chars:>5}  "
          f"{first.keys - first.chars:>5}  {total_ms:>8.0f}")
    print()
    print("Verified through the services: 3 persons, 2 ZRM, 1 ladder entry, 3 network "
          "members, 5 contacts (and the details typed).")
    if first.unfocused:
        print()
        print("Keys that found no widget with the focus (they went to the window):")
        for text in first.unfocused:
            print(f"  - {text}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs (each on a fresh profile); the wall time is their median")
    args = parser.parse_args(argv)
    try:
        return run(args.repeat)
    finally:
        # Qt objects torn down at exit still call slots: leave room for them (NoneKeeper).
        NONE_KEEPER.top_up(margin=100_000)


def run(repeat: int) -> int:
    install_memory_keyring()
    qInstallMessageHandler(quiet_qt_messages)
    app = create_application()
    counter = MouseCounter()
    app.installEventFilter(counter)
    runs: list[RunResult] = []
    with tempfile.TemporaryDirectory(prefix="wijkteam-intake-") as tmp:
        for n in range(max(1, repeat)):
            result, problems = run_once(app, Path(tmp) / f"run{n}", counter)
            if problems or result.clicks:
                print(f"Run {n + 1} FAILED:", file=sys.stderr)
                for problem in problems:
                    print(f"  - {problem}", file=sys.stderr)
                if result.clicks:
                    print(f"  - {result.clicks} mouse clicks (must be 0)", file=sys.stderr)
                return 1
            runs.append(result)
    report(runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
