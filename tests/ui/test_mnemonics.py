"""No two visible controls share an Alt+letter: in every step of the intake wizard, every
editing dialog of the household page, the household page's tabs, and the ZRM and
participatieladder forms (new, with a draft offered back, read-only).

Qt does not refuse a duplicate mnemonic: it moves the focus between the controls instead of
acting (a button is then no longer pressed by its Alt+letter), which a person typing fast
does not notice until the wrong field fills up. Only labels with a buddy, buttons, group
boxes and tabs have a mnemonic, and only visible ones react, so those are what is checked.

One exception: the member rows of the intake repeat the same captions (Voornaam, ...), one
set per person; there the same letter on the *same* caption hops from person to person.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QGroupBox,
    QLabel,
    QMenuBar,
    QTabBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tests.ui.test_household_page import Family, make_family
from wijkteam_app.domain.cases import CaseStatus
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.dialogs import household_dialogs as hd
from wijkteam_app.ui.dialogs.intake_wizard import (
    STEP_HOUSEHOLD,
    IntakeWizard,
    MemberRow,
    step_titles,
)
from wijkteam_app.ui.forms.ladder_form import LadderDialog
from wijkteam_app.ui.forms.zrm_form import ZrmDialog
from wijkteam_app.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

TAGS = re.compile(r"<[^>]+>")


def _caption(text: str) -> str:
    return TAGS.sub("", text).replace("&&", "\0").replace("&", "").replace("\0", "&").strip()


def _repeated_row(widget: QWidget) -> QWidget | None:
    """The intake member row `widget` is in (rows repeat their captions by design)."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, MemberRow):
        parent = parent.parentWidget()
    return parent


def visible_mnemonics(root: QWidget) -> Iterator[tuple[str, str, QWidget]]:
    """(key, caption, widget) for each visible control under `root` with an Alt+letter,
    worked out the way Qt does it (QKeySequence.mnemonic of the text)."""
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root):
            continue
        texts: list[str] = []
        if isinstance(widget, QAbstractButton) or (
                isinstance(widget, QLabel) and widget.buddy() is not None):
            texts = [widget.text()]
        elif isinstance(widget, QGroupBox):
            texts = [widget.title()]
        elif isinstance(widget, QTabBar):
            texts = [widget.tabText(n) for n in range(widget.count()) if widget.isTabVisible(n)]
        elif isinstance(widget, QMenuBar):
            texts = [a.text() for a in widget.actions() if a.isVisible()]
        for text in texts:
            key = QKeySequence.mnemonic(text)
            if not key.isEmpty():
                yield key.toString(QKeySequence.SequenceFormat.PortableText), _caption(text), widget


def clashes(root: QWidget) -> dict[str, list[str]]:
    """Mnemonics used by more than one visible control, with their captions."""
    by_key: dict[str, list[tuple[str, QWidget]]] = defaultdict(list)
    for key, caption, widget in visible_mnemonics(root):
        by_key[key].append((caption, widget))
    out: dict[str, list[str]] = {}
    for key, owners in by_key.items():
        if len(owners) < 2:
            continue
        captions = {caption for caption, _ in owners}
        rows = [_repeated_row(widget) for _, widget in owners]
        if len(captions) == 1 and None not in rows and len(set(map(id, rows))) == len(rows):
            continue  # the same field in each member row
        out[key] = sorted(caption for caption, _ in owners)
    return out


def shown(qtbot: QtBot, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def family(workspace: Workspace) -> Family:
    return make_family(workspace)


# --- intake wizard --------------------------------------------------------------------------


def test_intake_wizard_steps_have_unique_mnemonics(qtbot: QtBot, workspace: Workspace) -> None:
    wizard = shown(qtbot, IntakeWizard(workspace))
    assert isinstance(wizard, IntakeWizard)
    # Two adults and a child, so the child's gezag choices are on screen too.
    wizard.add_member()
    wizard.add_member()
    today = workspace.today()
    for row, born in zip(wizard.member_rows, ("01-02-1980", "03-04-1982",
                                             (today - timedelta(days=9 * 365))
                                             .strftime("%d-%m-%Y")), strict=True):
        qtbot.keyClicks(row.first_name, "Naam")
        qtbot.keyClicks(row.birth_date, born)
    wizard.set_step(STEP_HOUSEHOLD)
    assert wizard.member_rows[2].gezag_box.isVisibleTo(wizard)
    for step, title in enumerate(step_titles()):
        wizard.set_step(step)
        assert clashes(wizard) == {}, title


# --- household page and its dialogs -----------------------------------------------------------


DIALOGS: dict[str, Callable[[Workspace, Family], QDialog]] = {
    "huishouden": lambda ws, f: hd.HouseholdDialog(ws, f.household),
    "persoon nieuw": lambda ws, f: hd.PersonDialog(
        ws, f.household.id, [f.mother, f.father, f.child]),
    "persoon kind": lambda ws, f: hd.PersonDialog(
        ws, f.household.id, [f.mother, f.father, f.child], f.child),
    "netwerklid": lambda ws, f: hd.NetworkMemberDialog(
        ws, f.household.id, [f.mother, f.father, f.child]),
    "professional": lambda ws, f: hd.ProfessionalDialog(ws, f.household.id),
    "casus": lambda ws, f: hd.CaseDialog(ws, f.case),
    "contact": lambda ws, f: hd.ContactDialog(ws, f.case.id),
    "toestemming": lambda ws, f: hd.ConsentDialog(
        ws, f.household.id, [f.mother, f.father, f.child]),
    "participatieladder": lambda ws, f: LadderDialog(ws, f.household.id, f.mother.id),
    "zrm persoon": lambda ws, f: ZrmDialog(ws, f.household.id, f.mother.id),
    "zrm huishouden": lambda ws, f: ZrmDialog(ws, f.household.id, None),
}


@pytest.mark.parametrize("name", sorted(DIALOGS))
def test_dialogs_have_unique_mnemonics(qtbot: QtBot, workspace: Workspace, family: Family,
                                       name: str) -> None:
    dialog = shown(qtbot, DIALOGS[name](workspace, family))
    assert clashes(dialog) == {}
    if isinstance(dialog, hd.CaseDialog):  # "Afgesloten op" shows for a closed case
        dialog.status.setCurrentIndex(dialog.status.findData(CaseStatus.AFGESLOTEN.value))
        assert dialog.closed_on.isVisibleTo(dialog)
        assert clashes(dialog) == {}


def test_assessment_forms_with_a_draft_offered_have_unique_mnemonics(
        qtbot: QtBot, workspace: Workspace, family: Family) -> None:
    """The draft offer's Ja/Nee sit next to the form's own fields (the form stays usable)."""
    ladder = shown(qtbot, LadderDialog(workspace, family.household.id, family.mother.id))
    assert isinstance(ladder, LadderDialog)
    qtbot.keyClick(ladder.current, Qt.Key.Key_3)
    ladder.reject()  # keeps a draft
    zrm = shown(qtbot, ZrmDialog(workspace, family.household.id, family.mother.id))
    assert isinstance(zrm, ZrmDialog)
    qtbot.keyClicks(zrm.notes, "Gesprek")
    zrm.reject()

    for again in (LadderDialog(workspace, family.household.id, family.mother.id),
                  ZrmDialog(workspace, family.household.id, family.mother.id)):
        shown(qtbot, again)
        assert again.draft_offer.isVisibleTo(again), type(again).__name__
        assert clashes(again) == {}, type(again).__name__


def test_zrm_read_only_has_unique_mnemonics(qtbot: QtBot, workspace: Workspace,
                                            family: Family) -> None:
    new = shown(qtbot, ZrmDialog(workspace, family.household.id, family.mother.id))
    assert isinstance(new, ZrmDialog)
    for row in new.rows.values():
        row.picker.set_score(3)
    new.save()
    assert new.saved_assessment is not None
    viewed = shown(qtbot, ZrmDialog(workspace, family.household.id, family.mother.id,
                                    assessment=new.saved_assessment))
    assert isinstance(viewed, ZrmDialog) and viewed.based_on_button.isVisibleTo(viewed)
    assert clashes(viewed) == {}


def test_household_page_tabs_have_unique_mnemonics(qtbot: QtBot, workspace: Workspace,
                                                   family: Family) -> None:
    """In the main window, with its menu bar and the tabs it fills (Metingen, ...)."""
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.open_household(family.household.id)
    page = window.household
    for n in range(page.tabs.count()):
        page.tabs.setCurrentIndex(n)
        assert clashes(window) == {}, page.tabs.tabText(n)
    window.close()


def test_the_check_finds_a_clash(qtbot: QtBot) -> None:
    """The helper itself: two different captions on one letter are reported."""
    root = QWidget()
    qtbot.addWidget(root)
    first, second = QLabel("&Straat", root), QLabel("&Stad", root)
    first.setBuddy(QWidget(root))
    second.setBuddy(QWidget(root))
    assert clashes(root) == {"Alt+S": ["Stad", "Straat"]}
