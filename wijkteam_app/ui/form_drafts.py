"""Drafts for forms: the bar that offers unsaved input back, and generic helpers that read,
restore and watch a form's inputs by their object names.

A form gives every input that belongs in its draft an object name (e.g. ``street``); then
`form_payload(form)` returns ``{"street": "Dorpsstraat", ...}``, `restore_form(form, payload)`
puts it back, and `watch_changes(form, callback)` calls back on every edit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)


def format_draft_time(updated_at: datetime) -> str:
    """The draft's time (stored as naive UTC) in local time: '17-05-2026 14:32'."""
    aware = updated_at if updated_at.tzinfo else updated_at.replace(tzinfo=UTC)
    return aware.astimezone().strftime("%d-%m-%Y %H:%M")


class DraftOfferBar(QFrame):
    """'Er is niet-opgeslagen invoer van <datum tijd>. Verder gaan waar u was?' Ja / Nee."""

    restoreChosen = Signal()  # noqa: N815 (Qt signal naming)
    discardChosen = Signal()  # noqa: N815

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("draftOffer")
        self.setStyleSheet(
            "QFrame#draftOffer { background: #fff7e0; border: 1px solid #e0b44c;"
            " border-radius: 4px; }")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.yes_button = QPushButton(self.tr("&Ja, verder gaan"))
        self.yes_button.setAccessibleName(self.tr("Ja, verder gaan met de niet-opgeslagen invoer"))
        self.no_button = QPushButton(self.tr("&Nee, opnieuw beginnen"))
        self.no_button.setAccessibleName(self.tr("Nee, de niet-opgeslagen invoer weggooien"))
        for button in (self.yes_button, self.no_button):
            button.setAutoDefault(False)
        self.yes_button.clicked.connect(self._yes)
        self.no_button.clicked.connect(self._no)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.yes_button)
        layout.addWidget(self.no_button)
        self.setVisible(False)

    def offer(self, updated_at: datetime) -> None:
        message = self.tr("Er is niet-opgeslagen invoer van %1. Verder gaan waar u was?")
        self.text.setText(message.replace("%1", format_draft_time(updated_at)))
        self.setAccessibleName(self.text.text())
        self.setVisible(True)
        self.yes_button.setFocus()

    def _yes(self) -> None:
        self.setVisible(False)
        self.restoreChosen.emit()

    def _no(self) -> None:
        self.setVisible(False)
        self.discardChosen.emit()


def _named_inputs(root: QWidget) -> list[QWidget]:
    kinds = (QLineEdit, QPlainTextEdit, QComboBox, QAbstractButton, QSpinBox, QListWidget)
    out: list[QWidget] = []
    for widget in root.findChildren(QWidget):
        name = widget.objectName()
        if not name or name.startswith("qt_") or not isinstance(widget, kinds):
            continue
        if isinstance(widget, QLineEdit) and isinstance(widget.parent(), QComboBox | QSpinBox):
            continue  # the line edit inside a combo box or spin box
        if isinstance(widget, QAbstractButton) and not widget.isCheckable():
            continue
        out.append(widget)
    return out


def form_payload(root: QWidget) -> dict[str, Any]:
    """The values of every named input under `root`, JSON-friendly."""
    payload: dict[str, Any] = {}
    for widget in _named_inputs(root):
        name = widget.objectName()
        if isinstance(widget, QLineEdit):
            payload[name] = widget.text()
        elif isinstance(widget, QPlainTextEdit):
            payload[name] = widget.toPlainText()
        elif isinstance(widget, QComboBox):
            data = widget.currentData()
            payload[name] = widget.currentText() if widget.isEditable() or data is None else data
        elif isinstance(widget, QAbstractButton):
            payload[name] = widget.isChecked()
        elif isinstance(widget, QSpinBox):
            payload[name] = widget.value()
        elif isinstance(widget, QListWidget):
            payload[name] = [
                widget.item(i).data(Qt.ItemDataRole.UserRole) for i in range(widget.count())
                if widget.item(i).checkState() == Qt.CheckState.Checked
            ]
    return payload


def restore_form(root: QWidget, payload: dict[str, Any]) -> None:
    """Put values from `form_payload` back; unknown names and odd values are skipped."""
    for widget in _named_inputs(root):
        name = widget.objectName()
        if name not in payload:
            continue
        value = payload[name]
        if isinstance(widget, QLineEdit) and isinstance(value, str):
            widget.setText(value)
        elif isinstance(widget, QPlainTextEdit) and isinstance(value, str):
            widget.setPlainText(value)
        elif isinstance(widget, QComboBox):
            index = widget.findData(value)
            if index < 0 and isinstance(value, str):
                index = widget.findText(value)
            if index >= 0:
                widget.setCurrentIndex(index)
            elif widget.isEditable() and isinstance(value, str):
                widget.setEditText(value)
        elif isinstance(widget, QAbstractButton) and isinstance(value, bool):
            widget.setChecked(value)
        elif isinstance(widget, QSpinBox) and isinstance(value, int):
            widget.setValue(value)
        elif isinstance(widget, QListWidget) and isinstance(value, list):
            for i in range(widget.count()):
                item = widget.item(i)
                checked = item.data(Qt.ItemDataRole.UserRole) in value
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)


def watch_changes(root: QWidget, callback: Callable[[], None]) -> None:
    """Call `callback` on every edit of a named input under `root`."""
    for widget in _named_inputs(root):
        if isinstance(widget, QLineEdit):
            widget.textEdited.connect(lambda _t: callback())
        elif isinstance(widget, QPlainTextEdit):
            widget.textChanged.connect(callback)
        elif isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(lambda _i: callback())
            if widget.isEditable():
                widget.editTextChanged.connect(lambda _t: callback())
        elif isinstance(widget, QAbstractButton):
            widget.toggled.connect(lambda _c: callback())
        elif isinstance(widget, QSpinBox):
            widget.valueChanged.connect(lambda _v: callback())
        elif isinstance(widget, QListWidget):
            widget.itemChanged.connect(lambda _i: callback())
