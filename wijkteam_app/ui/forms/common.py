"""Building blocks shared by the assessment forms: the keyboard-driven score picker, the
draft banner, instrument labels, the fields and buttons both forms have, and what the forms
need to know about the household."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QFrame,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from wijkteam_app.domain.instruments import InstrumentDefinition, Level
from wijkteam_app.domain.people import Household, Person
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.widgets.fields import DateField

_CONTEXT = "forms"

# Styling for the assessment dialogs (applied to the dialog, so it cascades to its parts).
FORM_STYLE = """
QFrame#scorePicker {
    border: 2px solid transparent;
    border-radius: 5px;
}
QFrame#scorePicker:focus {
    border-color: #2f6690;
    background: #e8f0f7;
}
QFrame#scorePicker[invalid="true"] {
    border-color: #b42318;
}
QFrame#domainRow {
    border: none;
    border-bottom: 1px solid #e1e6eb;
}
QFrame#domainRow[current="true"] {
    background: #f5f9fc;
}
QFrame#guidance {
    background: #eef3f7;
    border: 1px solid #d3dae1;
    border-radius: 4px;
}
QLabel#ladderSummary {
    background: #f5f9fc;
    border: 1px solid #2f6690;
    border-radius: 4px;
    padding: 6px 10px;
    font-weight: 600;
}
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"] {
    border: 1px solid #b42318;
}
"""


def tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def definition_label(defn: InstrumentDefinition) -> str:
    """How an instrument version is named to the worker: "ZRM 2017", "ZRM-Jongeren 1.0"."""
    if defn.version in defn.name:
        return defn.name
    return f"{defn.name} {defn.version}"


def key_label(definitions: Mapping[tuple[str, str], InstrumentDefinition],
              definition_id: str, version: str) -> str:
    """Label for a stored (id, version), also when that version is no longer installed."""
    defn = definitions.get((definition_id, version))
    return definition_label(defn) if defn is not None else f"{definition_id} {version}"


def level_label(defn: InstrumentDefinition, value: int | None) -> str:
    if value is None:
        return tr("Niet besproken")
    if not defn.has_level(value):
        return str(value)
    return f"{value} {defn.level(value).name}"


def plain_button(text: str, accessible_name: str | None = None) -> QPushButton:
    """A push button that Return in a text field never presses by accident."""
    button = QPushButton(text)
    button.setAutoDefault(False)
    button.setDefault(False)
    button.setAccessibleName(accessible_name or text.replace("&", ""))
    return button


def save_and_cancel_buttons() -> tuple[QPushButton, QPushButton]:
    """"Opslaan" (Ctrl+S) and "Annuleren" (closes; what was typed stays as a draft)."""
    save = plain_button(tr("Op&slaan"), tr("Opslaan"))
    save.setToolTip(tr("Opslaan (Ctrl+S)"))
    cancel = plain_button(tr("Annuleren"))
    cancel.setToolTip(tr("Sluiten zonder op te slaan; wat u invulde blijft bewaard als concept."))
    return save, cancel


def add_save_shortcuts(dialog: QWidget, save: Callable[[], object]) -> None:
    """Ctrl+S and Ctrl+Return save the form."""
    QShortcut(QKeySequence.StandardKey.Save, dialog, save)
    QShortcut(QKeySequence("Ctrl+Return"), dialog, save)


def form_date_field(accessible_name: str, tooltip: str | None = None) -> DateField:
    """A dd-mm-jjjj field of the width the forms use."""
    field = DateField()
    field.setAccessibleName(accessible_name)
    if tooltip is not None:
        field.setToolTip(tooltip)
    field.setMaximumWidth(150)
    return field


def notes_field(height: int) -> tuple[QPlainTextEdit, QLabel]:
    """The free-text notes (Tab leaves the field) and their label, Alt+O."""
    notes = QPlainTextEdit()
    notes.setAccessibleName(tr("Notities"))
    notes.setTabChangesFocus(True)
    notes.setFixedHeight(height)
    label = QLabel(tr("N&otities"))
    label.setBuddy(notes)
    return notes, label


def form_layout(dialog: QWidget, *top: QWidget) -> QVBoxLayout:
    """The dialog's main column with the forms' margins, starting with `top` (the title, the
    subtitle and the draft banner)."""
    layout = QVBoxLayout(dialog)
    layout.setContentsMargins(18, 14, 18, 12)
    layout.setSpacing(6)
    for widget in top:
        layout.addWidget(widget)
    return layout


def guidance_frame(*widgets: QWidget) -> QFrame:
    """The shaded box above the scores: the instrument's guidance and the keys."""
    box = QFrame()
    box.setObjectName("guidance")
    layout = QVBoxLayout(box)
    layout.setContentsMargins(10, 6, 10, 6)
    layout.setSpacing(2)
    for widget in widgets:
        layout.addWidget(widget)
    return box


@dataclass(frozen=True, slots=True)
class SubjectInfo:
    """Who is assessed: one person, or the household as a whole (person None)."""

    household: Household
    members: tuple[Person, ...]
    person: Person | None

    def has_children_on(self, day: date) -> bool:
        return any(member.is_minor_on(day) for member in self.members)

    def age_on(self, day: date) -> int | None:
        return self.person.age_on(day) if self.person is not None else None

    @property
    def subject_id(self) -> str:
        return self.person.id if self.person is not None else self.household.id


def load_subject(workspace: Workspace, household_id: str, person_id: str | None) -> SubjectInfo:
    detail = HouseholdService(workspace).get(household_id)
    person = None
    if person_id:
        person = next((m for m in detail.members if m.id == person_id), None)
        if person is None:
            raise LookupError(f"person {person_id} is not a member of household {household_id}")
    return SubjectInfo(detail.household, detail.members, person)


class ScorePicker(QFrame):
    """One row (or column) of levels to choose from, operated like a single control.

    Keyboard: a digit chooses that level, 0 or N chooses "niet besproken" (when offered),
    Delete clears, the arrow keys along the levels step through them, the other two arrows
    ask the form to move to the previous/next picker (`moveRequested`).
    """

    scoreChanged = Signal()  # noqa: N815 (Qt signal naming)
    committed = Signal()  # a level was chosen by key; the form may move on
    moveRequested = Signal(int)  # noqa: N815 — -1 previous, +1 next
    focusChanged = Signal(bool)  # noqa: N815

    def __init__(self, levels: Sequence[Level], caption: str, *, none_text: str | None = None,
                 none_tip: str | None = None, vertical: bool = False,
                 level_tips: Mapping[int, str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scorePicker")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._levels = tuple(levels)
        self._values = [level.value for level in self._levels]
        self._vertical = vertical
        self._caption = caption
        self._none_text = none_text
        self._answered = False
        self._score: int | None = None
        self._read_only = False
        self.group = QButtonGroup(self)
        self._buttons: dict[int | None, QRadioButton] = {}

        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(6, 3, 6, 3)
        self._grid.setHorizontalSpacing(12)
        self._grid.setVerticalSpacing(2 if not vertical else 4)
        self._order: list[QRadioButton] = []
        self._columns = 0
        tips = level_tips or {}
        ordered = list(reversed(self._levels)) if vertical else list(self._levels)
        for level in ordered:
            button = QRadioButton(f"{level.value}  {level.name}")
            tip = f"{level.value} {level.name}: {level.help}"
            if level.value in tips:
                tip += "\n\n" + tips[level.value]
            button.setToolTip(tip)
            button.setAccessibleName(f"{caption}: {level.value} {level.name}")
            button.setAccessibleDescription(level.help)
            self._add_button(button, level.value)
        if none_text is not None:
            button = QRadioButton(none_text)
            button.setToolTip(none_tip or tr("Dit domein is niet aan bod gekomen (toets 0 of N)."))
            button.setAccessibleName(f"{caption}: {none_text}")
            self._add_button(button, None)
        self._arrange(1 if vertical else len(self._order))
        self.group.buttonClicked.connect(self._clicked)
        self.setAccessibleName(caption)
        self._describe()

    def _add_button(self, button: QRadioButton, value: int | None) -> None:
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the picker is the keyboard unit
        self.group.addButton(button)
        self._buttons[value] = button
        self._order.append(button)

    # --- layout: one row when it fits, else two (narrow windows, 125%/150% scaling) -------

    def _arrange(self, columns: int) -> None:
        if columns == self._columns:
            return
        for button in self._order:
            self._grid.removeWidget(button)
        for column in range(max(self._columns, columns) + 1):
            self._grid.setColumnStretch(column, 0)
        for index, button in enumerate(self._order):
            self._grid.addWidget(button, index // columns, index % columns)
        if not self._vertical:
            self._grid.setColumnStretch(columns, 1)
        self._columns = columns

    def _row_width(self, columns: int) -> int:
        widths = [b.sizeHint().width() for b in self._order]
        per_column = [max(widths[c::columns]) for c in range(columns)]
        margins = self._grid.contentsMargins()
        return (sum(per_column) + self._grid.horizontalSpacing() * (columns - 1)
                + margins.left() + margins.right() + 4)

    def _two_row_columns(self) -> int:
        return (len(self._order) + 1) // 2

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        hint = super().minimumSizeHint()
        if self._vertical or not self._order:
            return hint
        return QSize(self._row_width(self._two_row_columns()), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if not self._vertical and self._order:
            fits = event.size().width() >= self._row_width(len(self._order))
            self._arrange(len(self._order) if fits else self._two_row_columns())

    # --- state -----------------------------------------------------------------------------

    def is_answered(self) -> bool:
        return self._answered

    def score(self) -> int | None:
        """The chosen level; None for "niet besproken" or when nothing is chosen."""
        return self._score if self._answered else None

    def button(self, value: int | None) -> QRadioButton:
        return self._buttons[value]

    def set_score(self, value: int | None) -> None:
        """Choose a level (None: "niet besproken", only when offered)."""
        if value is None and self._none_text is None:
            self.clear()
            return
        if value is not None and value not in self._values:
            raise ValueError(value)
        changed = not self._answered or self._score != value
        self._answered, self._score = True, value
        self._sync()
        if changed:
            self.scoreChanged.emit()

    def clear(self) -> None:
        changed = self._answered
        self._answered, self._score = False, None
        self._sync()
        if changed:
            self.scoreChanged.emit()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for button in self._buttons.values():
            button.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, read_only)

    def state_text(self) -> str:
        if not self._answered:
            return tr("nog niet gekozen")
        if self._score is None:
            return self._none_text or tr("niet besproken")
        level = next(lv for lv in self._levels if lv.value == self._score)
        return f"{level.value} {level.name}"

    def _sync(self) -> None:
        self.group.setExclusive(False)
        for value, button in self._buttons.items():
            button.setChecked(self._answered and value == self._score)
        self.group.setExclusive(True)
        self._describe()

    def _describe(self) -> None:
        self.setAccessibleDescription(
            tr("Gekozen: {state}. Toetsen: cijfer kiest, pijltjes wisselen.").format(
                state=self.state_text()))

    def _clicked(self, button: QAbstractButton) -> None:
        value = next(v for v, b in self._buttons.items() if b is button)
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        if self._read_only:
            self._sync()
            return
        self.set_score(value)

    # --- keyboard --------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        key = event.key()
        along = (Qt.Key.Key_Down, Qt.Key.Key_Up) if self._vertical else (
            Qt.Key.Key_Left, Qt.Key.Key_Right)
        across = (Qt.Key.Key_Left, Qt.Key.Key_Right) if self._vertical else (
            Qt.Key.Key_Up, Qt.Key.Key_Down)
        if key in across:
            self.moveRequested.emit(-1 if key == across[0] else 1)
            return
        if self._read_only:
            super().keyPressEvent(event)
            return
        if Qt.Key.Key_0 <= key <= Qt.Key.Key_9:
            digit = key - Qt.Key.Key_0
            if digit in self._values:
                self.set_score(digit)
                self.committed.emit()
                return
            if digit == 0 and self._none_text is not None:
                self.set_score(None)
                self.committed.emit()
                return
        if key == Qt.Key.Key_N and self._none_text is not None:
            self.set_score(None)
            self.committed.emit()
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.clear()
            return
        if key in along:
            self._step(-1 if key == along[0] else 1)
            return
        super().keyPressEvent(event)

    def _step(self, direction: int) -> None:
        if not self._answered or self._score is None:
            # Start-at-the-top guidance: stepping down begins at the highest level.
            self.set_score(self._values[-1] if direction < 0 else self._values[0])
            return
        index = self._values.index(self._score) + direction
        if 0 <= index < len(self._values):
            self.set_score(self._values[index])

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt override)
        super().focusInEvent(event)
        self.focusChanged.emit(True)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt override)
        super().focusOutEvent(event)
        self.focusChanged.emit(False)
