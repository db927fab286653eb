"""Form building blocks: a Dutch date field, and showing validation messages at the field.

`FieldErrors` maps the dotted field paths that domain validators return (e.g.
``members.1.bsn``) to the widgets that show them, and puts the Dutch message right under
the field, marks the field, and moves the focus to the first one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from wijkteam_app.domain.validation import FieldError
from wijkteam_app.ui.i18n import field_text
from wijkteam_app.ui.widgets import ErrorLabel

_CONTEXT = "fields"


def parse_dutch_date(text: str) -> date | None:
    """'17-5-1980', '17-05-1980', '17/05/1980', '1980-05-17' → date; anything else → None."""
    value = text.strip()
    for sep in ("-", "/", "."):
        parts = value.split(sep)
        if len(parts) != 3 or not all(p.isdigit() for p in parts):
            continue
        try:
            if len(parts[0]) == 4:
                return date(int(parts[0]), int(parts[1]), int(parts[2]))
            if len(parts[2]) == 4:
                return date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            return None
    return None


def format_dutch_date(value: date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


class DateField(QLineEdit):
    """A date typed as dd-mm-jjjj (fast on a keyboard, may stay empty when optional).

    `value()` is the parsed date or None; `is_malformed()` tells a typo from "empty".
    """

    dateChanged = Signal()  # noqa: N815 (Qt signal naming)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(QCoreApplication.translate(_CONTEXT, "dd-mm-jjjj"))
        self.setMaxLength(10)
        self.textChanged.connect(lambda _text: self.dateChanged.emit())

    def value(self) -> date | None:
        return parse_dutch_date(self.text())

    def set_value(self, value: date | None) -> None:
        self.setText(format_dutch_date(value))

    def is_malformed(self) -> bool:
        return bool(self.text().strip()) and self.value() is None


def malformed_date_message() -> str:
    return QCoreApplication.translate(
        _CONTEXT, "Vul een datum in als dd-mm-jjjj, bijvoorbeeld 17-05-1980.")


@dataclass
class _Slot:
    widget: QWidget
    label: ErrorLabel


class FieldErrors:
    """Shows validation messages at their fields. Register each field once, with the error
    label placed under it (see `with_error`)."""

    def __init__(self) -> None:
        self._slots: dict[str, _Slot] = {}

    def register(self, path: str, widget: QWidget, label: ErrorLabel) -> None:
        self._slots[path] = _Slot(widget, label)

    def clear(self) -> None:
        for slot in self._slots.values():
            slot.label.clear_message()
            slot.widget.setProperty("invalid", False)
            _restyle(slot.widget)

    def show(self, errors: Iterable[FieldError], extra: dict[str, str] | None = None) -> list[str]:
        """Display each error at its field (or at the closest registered parent path).
        Returns the paths that had no field, so the caller can show them elsewhere."""
        self.clear()
        unplaced: list[str] = []
        first: QWidget | None = None
        messages: dict[str, list[str]] = {}
        for error in errors:
            path = self._resolve(error.field)
            if path is None:
                unplaced.append(error.field)
                continue
            messages.setdefault(path, []).append(field_text(error.code))
        for path, text in (extra or {}).items():
            resolved = self._resolve(path)
            if resolved is None:
                unplaced.append(path)
            else:
                messages.setdefault(resolved, []).append(text)
        for path, texts in messages.items():
            slot = self._slots[path]
            slot.label.show_message(" ".join(dict.fromkeys(texts)))
            slot.widget.setProperty("invalid", True)
            _restyle(slot.widget)
            if first is None:
                first = slot.widget
        if first is not None:
            first.setFocus()
        return unplaced

    def message_for(self, path: str) -> str:
        slot = self._slots.get(path)
        return slot.label.text() if slot and slot.label.isVisible() else ""

    def _resolve(self, path: str) -> str | None:
        parts = path.split(".")
        while parts:
            candidate = ".".join(parts)
            if candidate in self._slots:
                return candidate
            parts.pop()
        return None


def _restyle(widget: QWidget) -> None:
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def with_error(field: QWidget, errors: FieldErrors, path: str) -> QWidget:
    """Wrap a field with its (hidden) error label underneath, registered under `path`."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(field)
    label = ErrorLabel(box)
    layout.addWidget(label)
    errors.register(path, field, label)
    return box
