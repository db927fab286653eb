"""'Rechten van de inwoner' as the worker uses it: an inzage export into a chosen folder, an
erasure request whose legal exceptions are shown (pre-ticked from the file) and need an
explanation when they apply, and a correction through the person form."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.test_household_page import make_family
from wijkteam_app.domain.rights import ErasureException, RequestKind
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.dialogs.rights_dialog import RectifyPersonDialog, RightsDialog

pytestmark = pytest.mark.gui


def test_inzage_erasure_and_correction(qtbot: QtBot, workspace: Workspace,
                                       tmp_path: Path) -> None:
    family = make_family(workspace)
    members = HouseholdService(workspace).get(family.household.id).members
    dialog = RightsDialog(workspace, family.household.id, members)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.person.setCurrentIndex(dialog.person.findData(family.mother.id))

    # The file points at two exceptions: the support runs, and there is a minor.
    ticked = {e for e, box in dialog.exception_checks.items() if box.isChecked()}
    assert ticked == {ErasureException.LOPENDE_ONDERSTEUNING, ErasureException.BELANG_ANDER}
    running = dialog.exception_checks[ErasureException.LOPENDE_ONDERSTEUNING]
    assert "AVG art. 17" in running.toolTip()

    dialog.ask_folder = lambda: str(tmp_path)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    [pdf] = list(tmp_path.glob("inzage-*.pdf"))
    [data] = list(tmp_path.glob("inzage-*.json"))
    assert pdf.read_bytes().startswith(b"%PDF")
    assert json.loads(data.read_bytes())["persoon"]["first_name"] == "Anouk"
    assert "Inzage-export opgeslagen" in dialog.outcome_label.text()

    qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
    assert "Leg uit waarom niet wordt gewist" in dialog.erase_error.text()
    qtbot.keyClicks(dialog.note, "De ondersteuning loopt nog.")
    qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
    assert "Niet gewist" in dialog.outcome_label.text()

    qtbot.mouseClick(dialog.correct_button, Qt.MouseButton.LeftButton)
    form = dialog.rectify_form
    assert isinstance(form, RectifyPersonDialog) and form.isVisible()
    form.last_name.selectAll()
    qtbot.keyClicks(form.last_name, "Voorbeelt")
    form.attempt_save()
    assert not form.isVisible()
    assert dialog.outcome_label.text() == "Correctie vastgelegd (last_name)."
    assert dialog.handled() == [RequestKind.INZAGE, RequestKind.WISSEN, RequestKind.CORRECTIE]
