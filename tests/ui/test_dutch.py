"""Dutch everywhere: Qt's own dialogs (file dialogs) speak Dutch too."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel
from pytestqt.qtbot import QtBot

from wijkteam_app.paths import resources_dir
from wijkteam_app.ui.i18n import install_translators

pytestmark = pytest.mark.gui


def test_the_file_dialog_is_dutch(qtbot: QtBot) -> None:
    """Observed: the file dialogs showed "Look in:" and "Files of type:" (Qt 6 gave them an
    Alt+letter, which Qt's own Dutch file does not know)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    assert install_translators(app)
    dialog = QFileDialog(None, "PDF opslaan als")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # Qt's own, as on Linux
    qtbot.addWidget(dialog)
    dialog.show()
    texts = {label.text() for label in dialog.findChildren(QLabel)}
    assert {"&Zoeken in:", "Bestands&type:", "Bestands&naam:"} <= texts, texts
    assert not [t for t in texts if "Look" in t or "Files of" in t]


def test_the_compiled_dutch_file_matches_its_source(tmp_path: Path) -> None:
    lrelease = shutil.which("pyside6-lrelease")
    if lrelease is None:
        pytest.skip("pyside6-lrelease is not installed")
    source = resources_dir() / "i18n" / "wijkteam_nl.ts"
    built = tmp_path / "wijkteam_nl.qm"
    subprocess.run([lrelease, str(source), "-qm", str(built)], check=True,
                   capture_output=True)
    assert built.read_bytes() == (resources_dir() / "i18n" / "wijkteam_nl.qm").read_bytes()
