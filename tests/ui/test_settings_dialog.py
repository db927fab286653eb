"""The printed plan's header: the municipality's name from the settings (the server's reference
data lands there too), set in Instellingen; never just "Gemeente"."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from wijkteam_app.services.profile import Workspace
from wijkteam_app.services.settings import SettingsService
from wijkteam_app.ui.dialogs.settings_dialog import SettingsDialog

pytestmark = pytest.mark.gui


def test_header_names_the_team_until_the_municipality_is_set_in_instellingen(
        qtbot: QtBot, workspace: Workspace) -> None:
    service = SettingsService(workspace)
    assert service.report_settings().municipality_name == workspace.team.name != "Gemeente"

    dialog = SettingsDialog(service)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.name.text() == ""  # the placeholder "Gemeente" is not a name
    qtbot.keyClicks(dialog.name, "Gemeente Voorbeeldstad")
    dialog.logo.setText("/bestaat/niet.png")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert dialog.error.text() == "Het logobestand bestaat niet."
    assert not dialog.saved
    dialog.logo.clear()
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert dialog.saved
    assert service.report_settings().municipality_name == "Gemeente Voorbeeldstad"
