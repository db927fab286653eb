"""Every input a person can reach has a name a screen reader can say, and every form fits
a 1366x768 laptop screen."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from wijkteam_app.services.demo import fill_demo
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.dialogs import household_dialogs as hd
from wijkteam_app.ui.dialogs.intake_wizard import IntakeWizard
from wijkteam_app.ui.forms.ladder_form import LadderDialog
from wijkteam_app.ui.forms.zrm_form import ZrmDialog
from wijkteam_app.ui.main_window import MainWindow

INPUTS = (QLineEdit, QComboBox, QAbstractSpinBox, QTextEdit, QPlainTextEdit, QAbstractButton,
          QTableView)


def unnamed_inputs(root: QWidget) -> list[str]:
    """Focusable inputs without an accessible name, a buddy label or (for buttons) text."""
    buddies = {id(label.buddy()) for label in root.findChildren(QLabel) if label.buddy()}
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INPUTS) or not widget.isVisibleTo(root):
            continue
        if widget.focusPolicy().value == 0:  # Qt.NoFocus: not reachable by keyboard
            continue
        parent = widget.parentWidget()
        if isinstance(parent, (QComboBox, QAbstractSpinBox)):
            continue  # the line edit inside a combo box or spin box
        if widget.accessibleName().strip() or id(widget) in buddies:
            continue
        if isinstance(widget, QAbstractButton) and widget.text().replace("&", "").strip():
            continue
        missing.append(f"{type(widget).__name__}:{widget.objectName() or '?'}")
    return missing


@pytest.fixture
def demo(workspace: Workspace) -> Workspace:
    fill_demo(workspace, households=3)
    return workspace


def _household(ws: Workspace):  # type: ignore[no-untyped-def]
    summary = next(h for h in HouseholdService(ws).list() if h.members > 1)
    return HouseholdService(ws).page(summary.id)


FORMS: dict[str, Callable[[Workspace], QWidget]] = {
    "hoofdvenster": lambda ws: MainWindow(ws),
    "aanmelding": lambda ws: IntakeWizard(ws),
    "huishouden": lambda ws: hd.HouseholdDialog(ws, _household(ws).detail.household),
    "persoon": lambda ws: hd.PersonDialog(ws, _household(ws).detail.household.id,
                                          _household(ws).detail.members),
    "netwerklid": lambda ws: hd.NetworkMemberDialog(ws, _household(ws).detail.household.id,
                                                    _household(ws).detail.members),
    "professional": lambda ws: hd.ProfessionalDialog(ws, _household(ws).detail.household.id),
    "casus": lambda ws: hd.CaseDialog(ws, _household(ws).cases[0].case),
    "contact": lambda ws: hd.ContactDialog(ws, _household(ws).cases[0].case.id),
    "toestemming": lambda ws: hd.ConsentDialog(ws, _household(ws).detail.household.id,
                                               _household(ws).detail.members),
    "zrm": lambda ws: ZrmDialog(ws, _household(ws).detail.household.id,
                                _household(ws).detail.members[0].id),
    "ladder": lambda ws: LadderDialog(ws, _household(ws).detail.household.id,
                                      _household(ws).detail.members[0].id),
}


@pytest.mark.parametrize("name", sorted(FORMS))
def test_every_input_has_an_accessible_name_and_the_form_fits_a_laptop(
    qtbot: QtBot, demo: Workspace, name: str
) -> None:
    widget = FORMS[name](demo)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    assert unnamed_inputs(widget) == []
    hint = widget.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 740, (name, hint)
