"""`RowTableModel`: a flat, read-only `QAbstractTableModel` over a list of plain objects.

A subclass names its columns (`ColumnSpec`: title, cell text, sort key, alignment, muted)
and may override the hooks for the roles that differ per table (`tooltip`,
`accessible_text`, `foreground`, `background`, `ordered`). The model sorts itself
(`sort()`), so views need no proxy model; `set_rows()` replaces everything with a model
reset and keeps the chosen sort order. The row's object is available through `item(row)`
and its id through `id_role` (`ObjectIdRole` unless a subclass says otherwise).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

ModelIndex = QModelIndex | QPersistentModelIndex
T = TypeVar("T")

MUTED = QColor("#6b7785")
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
ObjectIdRole = int(Qt.ItemDataRole.UserRole) + 1


@dataclass(frozen=True, slots=True)
class ColumnSpec(Generic[T]):
    """One column: its title (already translated), cell text, sort key and alignment.

    Without a `key` the column does not sort. With `align=None` the model leaves the
    alignment to Qt (cells left, header centred)."""

    title: str
    text: Callable[[T], str]
    key: Callable[[T], Any] | None = None
    align: int | None = LEFT
    muted: Callable[[T], bool] | None = None


def text_key(value: str) -> tuple[bool, str]:
    """Empty values last, then case-insensitive."""
    return (not value, value.casefold())


def date_key(value: date | None) -> tuple[bool, date]:
    """Unknown dates last."""
    return (value is None, value or date.min)


class RowTableModel(QAbstractTableModel, Generic[T]):
    """Read-only table over a list of plain objects, with model-level sort."""

    #: The role that gives `object_id(item)`; None for rows without an id.
    id_role: ClassVar[int | None] = ObjectIdRole
    #: Whether the vertical header numbers the rows ("1", "2", ...).
    numbered_rows: ClassVar[bool] = False

    def __init__(self, rows: Sequence[T] = (), parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[T] = self.ordered(rows)
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder

    # --- to be provided by subclasses -----------------------------------------------------

    def columns(self) -> Sequence[ColumnSpec[T]]:
        raise NotImplementedError

    def object_id(self, item: T) -> str:
        return str(getattr(item, "id", ""))

    # --- hooks for the roles that differ per table ---------------------------------------

    def ordered(self, rows: Sequence[T]) -> list[T]:
        """The rows in their natural order (before any sort the user chose)."""
        return list(rows)

    def accessible_text(self, item: T, column: int) -> str:
        return self.columns()[column].text(item)

    def tooltip(self, item: T, column: int) -> str | None:
        """By default the cell text when it is long enough to be cut off."""
        text = self.columns()[column].text(item)
        return text if len(text) > 30 else None

    def foreground(self, item: T, column: int) -> QColor | None:
        muted = self.columns()[column].muted
        if muted is None:
            return None
        return MUTED if muted(item) else None

    def background(self, item: T, column: int) -> QColor | QBrush | None:
        return None

    # --- data access ----------------------------------------------------------------------

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = self.ordered(rows)
        if self._sort_column >= 0:
            self._sort_rows(self._sort_column, self._sort_order)
        self.endResetModel()

    def item(self, row: int) -> T:
        return self._rows[row]

    def items(self) -> list[T]:
        return list(self._rows)

    def row_of(self, object_id: str) -> int:
        for row, item in enumerate(self._rows):
            if self.object_id(item) == object_id:
                return row
        return -1

    # --- QAbstractItemModel ---------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns())

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemNeverHasChildren)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Vertical:
            if (self.numbered_rows and role == Qt.ItemDataRole.DisplayRole
                    and 0 <= section < len(self._rows)):
                return str(section + 1)
            return None
        columns = self.columns()
        if not 0 <= section < len(columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return columns[section].title
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return columns[section].align
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        columns = self.columns()
        if not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < len(columns):
            return None
        item = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return columns[column].text(item)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.accessible_text(item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(item, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return columns[column].align
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(item, column)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self.background(item, column)
        if self.id_role is not None and role == self.id_role:
            return self.object_id(item)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns()) or self.columns()[column].key is None:
            return
        self._sort_column, self._sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        before = list(self._rows)
        self._sort_rows(column, order)
        new_row = {id(item): row for row, item in enumerate(self._rows)}
        old_indexes = self.persistentIndexList()
        new_indexes = [
            self.index(new_row[id(before[i.row()])], i.column()) if i.isValid()
            else QModelIndex()
            for i in old_indexes
        ]
        self.changePersistentIndexList(old_indexes, new_indexes)
        self.layoutChanged.emit()

    def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        key = self.columns()[column].key
        if key is None:
            return
        # Stable: ties keep their previous order (the service's order).
        self._rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
