"""Guards against a known-bad Qt binding: PySide6 6.12.0 on Python 3.11 drops a reference to
None on every slot call and every Qt call returning None, and the app aborts after a few
thousand ("Fatal Python error: none_dealloc"). pyproject.toml caps the version."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot


def test_slot_calls_and_none_returns_keep_none_alive(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    edit = QLineEdit(window)
    edit.textChanged.connect(lambda _text: None)
    before = sys.getrefcount(None)
    for n in range(500):
        edit.setText(str(n))  # one Python slot call each
        QApplication.focusWidget()  # returns None: nothing has focus offscreen
        window.parent()  # returns None
    assert sys.getrefcount(None) - before > -50
