"""Small reusable widgets shared by dialogs and pages."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QLabel, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

ERROR_COLOUR = QColor("#b42318")
MUTED_COLOUR = QColor("#52606d")


class ErrorLabel(QLabel):
    """A red message under a field; takes no space while there is nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorLabel")
        self.setWordWrap(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.WindowText, ERROR_COLOUR)
        self.setPalette(palette)
        self.setVisible(False)

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setAccessibleName(text)
        self.setVisible(bool(text))

    def clear_message(self) -> None:
        self.setText("")
        self.setAccessibleName("")
        self.setVisible(False)


def heading_label(text: str, point_delta: float = 5.0, parent: QWidget | None = None) -> QLabel:
    """A bold title, a few points larger than the body text."""
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() + point_delta)
    font.setWeight(QFont.Weight.DemiBold)
    label.setFont(font)
    return label


def muted_label(text: str, parent: QWidget | None = None) -> QLabel:
    """Secondary text: explanations and hints."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, MUTED_COLOUR)
    label.setPalette(palette)
    return label


def fit_height(window: QWidget) -> None:
    """Give a fixed-width window the height its content needs now (after a message appeared
    or disappeared). Unlike adjustSize() this is not capped at two thirds of the screen."""
    layout = window.layout()
    if layout is None:
        return
    layout.activate()
    height = layout.totalHeightForWidth(window.width())
    if height <= 0:
        height = layout.totalSizeHint().height()
    window.resize(window.width(), max(height, layout.totalMinimumSize().height()))


class RowDelegate(QStyledItemDelegate):
    """Paints cells without the dotted focus frame: with whole-row selection the frame
    around one cell is noise. Keyboard focus stays visible through the selected row."""

    def initStyleOption(self, option: QStyleOptionViewItem,  # noqa: N802 (Qt override)
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        option.state &= ~QStyle.StateFlag.State_HasFocus
