"""The household list as a flat Qt table model over `HouseholdSummary` rows.

The model sorts itself (`sort()`), so the view needs no proxy model; a new search result
replaces all rows at once with a model reset. A result can arrive as ids in list order with
only the first rows read (`set_result`): the view asks for more as it scrolls
(`canFetchMore`/`fetchMore`), and sorting on another column first reads the rest.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from wijkteam_app.domain.cases import CaseStatus, UrgencyCriterion
from wijkteam_app.domain.deadlines import Deadline, DeadlineKind
from wijkteam_app.services.households import HouseholdSummary
from wijkteam_app.ui import casework_labels, labels

_CONTEXT = "HouseholdTableModel"
_MUTED = QColor("#6b7785")
_PENDING = QColor("#9a5b00")
_CRISIS_COLOUR = QColor("#b42318")

ModelIndex = QModelIndex | QPersistentModelIndex


class Column(enum.IntEnum):
    NAME = 0
    ADDRESS = 1
    POSTCODE = 2
    WIJK = 3
    STATUS = 4
    URGENCY = 5
    NEXT_EVALUATION = 6
    MEMBERS = 7
    UNSYNCED = 8
    DEADLINES = 9  # overdue deadlines and stuck flags (issue 13)


def column_title(column: Column) -> str:
    titles = {
        Column.NAME: QCoreApplication.translate(_CONTEXT, "Naam"),
        Column.ADDRESS: QCoreApplication.translate(_CONTEXT, "Adres"),
        Column.POSTCODE: QCoreApplication.translate(_CONTEXT, "Postcode"),
        Column.WIJK: QCoreApplication.translate(_CONTEXT, "Wijk"),
        Column.STATUS: QCoreApplication.translate(_CONTEXT, "Status"),
        Column.URGENCY: QCoreApplication.translate(_CONTEXT, "Urgentie"),
        Column.NEXT_EVALUATION: QCoreApplication.translate(_CONTEXT, "Volgende evaluatie"),
        Column.MEMBERS: QCoreApplication.translate(_CONTEXT, "Leden"),
        Column.UNSYNCED: QCoreApplication.translate(_CONTEXT, "Niet verstuurd"),
        Column.DEADLINES: QCoreApplication.translate(_CONTEXT, "Termijnen"),
    }
    return titles[column]


def status_label(status: str | None) -> str:
    """Dutch label for the status of a household's most recent case."""
    if status is None:
        return QCoreApplication.translate(_CONTEXT, "Geen casus")
    try:
        return labels.status_label(CaseStatus(status))
    except ValueError:
        return status


def urgency_text(codes: Sequence[str]) -> str:
    parts = []
    for code in codes:
        try:
            parts.append(labels.urgency_label(UrgencyCriterion(code)))
        except ValueError:
            parts.append(code)
    return ", ".join(parts)


def deadline_marks_text(marks: Sequence[Deadline]) -> str:
    """Compact, for a narrow column: "⚠ vastgelopen", "⚠ verslag +1" (the tooltip lists all);
    empty when there is nothing."""
    if not marks:
        return ""
    stuck = [d for d in marks if d.kind is DeadlineKind.VASTGELOPEN]
    late = list(dict.fromkeys(casework_labels.deadline_short_label(d.kind) for d in marks
                              if d.kind is not DeadlineKind.VASTGELOPEN))
    words = ([casework_labels.deadline_short_label(DeadlineKind.VASTGELOPEN)] if stuck
             else []) + late
    more = f" +{len(words) - 1}" if len(words) > 1 else ""
    return f"⚠ {words[0]}{more}"


def is_crisis(codes: Sequence[str]) -> bool:
    return any(c in _CRISIS for c in codes)


_CRISIS = {u.value for u in UrgencyCriterion if u.crisis_sensitive}


def address_text(row: HouseholdSummary) -> str:
    """Street and number as written on a letter: "Dorpsstraat 12A", "Kade 3-2", "Laan 7 hs"."""
    suffix = row.house_number_suffix.strip()
    joined = (len(suffix) == 1 and suffix.isalpha()) or suffix.startswith("-")
    number = f"{row.house_number}{suffix}" if joined or not suffix else (
        f"{row.house_number} {suffix}")
    return f"{row.street} {number}".strip()


def _text_key(value: str) -> str:
    return value.casefold()


_STATUS_ORDER = {status.value: position for position, status in enumerate(CaseStatus)}

_SORT_KEYS: dict[Column, Callable[[HouseholdSummary], Any]] = {
    Column.NAME: lambda r: (_text_key(r.name),),
    Column.ADDRESS: lambda r: (_text_key(r.street), r.house_number,
                               _text_key(r.house_number_suffix)),
    Column.POSTCODE: lambda r: (r.postcode.replace(" ", "").upper(), r.house_number,
                                _text_key(r.house_number_suffix)),
    Column.WIJK: lambda r: (_text_key(r.wijk),),
    Column.MEMBERS: lambda r: (r.members,),
    Column.STATUS: lambda r: (_STATUS_ORDER.get(r.case_status or "", len(_STATUS_ORDER)),),
    # Crisis-sensitive first, then the number of criteria.
    Column.URGENCY: lambda r: (0 if is_crisis(r.urgency) else 1, -len(r.urgency)),
    Column.NEXT_EVALUATION: lambda r: (r.next_evaluation is None,
                                       r.next_evaluation or date.max),
    Column.UNSYNCED: lambda r: (r.unsynced,),
    Column.DEADLINES: lambda r: (0,),  # by the marks, see HouseholdTableModel._sort_rows
}


Fetch = Callable[[Sequence[str]], list[HouseholdSummary]]
MarksFetch = Callable[[Sequence[str]], dict[str, tuple[Deadline, ...]]]

FETCH_BATCH = 128


class HouseholdTableModel(QAbstractTableModel):
    """Read-only rows of the household list; `IdRole` gives a row's household id."""

    IdRole = int(Qt.ItemDataRole.UserRole) + 1

    def __init__(self, rows: Sequence[HouseholdSummary] = (), parent: QObject | None = None
                 ) -> None:
        super().__init__(parent)
        self._rows: list[HouseholdSummary] = list(rows)
        self._marks: dict[str, tuple[Deadline, ...]] = {}
        self._ids: list[str] = [r.id for r in self._rows]
        self._fetch: Fetch | None = None
        self._marks_fetch: MarksFetch | None = None
        self._busy = False  # inside a reset or an insert: no nested fetch
        self._sort_column: int = -1
        self._sort_order = Qt.SortOrder.AscendingOrder

    # --- data access -----------------------------------------------------------------------

    def set_rows(self, rows: Sequence[HouseholdSummary]) -> None:
        """Replace all rows (a new search result), keeping the current sort order."""
        self.beginResetModel()
        self._rows = list(rows)
        self._ids = [r.id for r in self._rows]
        self._fetch = None
        self._marks_fetch = None
        if self._sort_column >= 0:
            self._sort_rows(self._sort_column, self._sort_order)
        self.endResetModel()

    def set_marks(self, marks: dict[str, tuple[Deadline, ...]]) -> None:
        """Overdue deadlines and open stuck flags per household id (`DeadlineService.marks`)."""
        self._marks = dict(marks)
        if self._sort_column == Column.DEADLINES:
            self.sort(self._sort_column, self._sort_order)
        if self._rows:
            self.dataChanged.emit(self.index(0, Column.DEADLINES),
                                  self.index(len(self._rows) - 1, Column.DEADLINES))

    def marks(self, household_id: str) -> tuple[Deadline, ...]:
        return self._marks.get(household_id, ())

    def set_result(self, ids: Sequence[str], first: Sequence[HouseholdSummary],
                   fetch: Fetch, marks: MarksFetch | None = None) -> None:
        """A new search result in list order (name, then postcode): all ids, the rows of the
        first ones, and how to read more rows (and their deadline marks: read with the rows,
        so a search costs what the rows on screen cost). Sorted on another column than the
        list order, the model reads every row first."""
        first_marks = dict(marks([r.id for r in first])) if marks and first else {}
        self._busy = True
        try:
            self.beginResetModel()
            self._ids = list(ids)
            self._rows = list(first)
            self._fetch = fetch
            self._marks_fetch = marks
            self._marks = first_marks
            if not self._in_list_order():
                self._fetch_all()
                self._sort_rows(self._sort_column, self._sort_order)
            self.endResetModel()
        finally:
            self._busy = False

    def total(self) -> int:
        """How many households the result has (also those not read yet)."""
        return len(self._ids)

    def summary(self, row: int) -> HouseholdSummary:
        return self._rows[row]

    def rows(self) -> list[HouseholdSummary]:
        return list(self._rows)

    def row_of(self, household_id: str) -> int:
        """The row of a household of the result, reading further rows if needed; -1 if it is
        not in the result."""
        if household_id not in self._ids:
            return -1
        while True:
            for row, summary in enumerate(self._rows):
                if summary.id == household_id:
                    return row
            if not self.canFetchMore():
                return -1
            self.fetchMore()

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008, N802
        return (not parent.isValid() and self._fetch is not None
                and len(self._rows) < len(self._ids))

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:  # noqa: B008, N802
        if self._busy or not self.canFetchMore(parent):
            return
        self._busy = True
        try:
            start = len(self._rows)
            more = self._read(self._ids[start:start + FETCH_BATCH])
            if more:
                self.beginInsertRows(QModelIndex(), start, start + len(more) - 1)
                self._rows.extend(more)
                self.endInsertRows()
        finally:
            self._busy = False

    def _read(self, ids: Sequence[str]) -> list[HouseholdSummary]:
        assert self._fetch is not None
        found = self._fetch(ids)
        if self._marks_fetch is not None and found:
            self._marks.update(self._marks_fetch([r.id for r in found]))
        if len(found) < len(ids):  # removed meanwhile (a sync): leave them out
            present = {r.id for r in found}
            gone = {i for i in ids if i not in present}
            self._ids = [i for i in self._ids if i not in gone]
        return found

    def _fetch_all(self) -> None:
        if self._fetch is not None and len(self._rows) < len(self._ids):
            self._rows.extend(self._read(self._ids[len(self._rows):]))

    def _in_list_order(self) -> bool:
        return self._sort_column in (-1, Column.NAME) and (
            self._sort_order == Qt.SortOrder.AscendingOrder)

    # --- QAbstractItemModel ----------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(Column)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemNeverHasChildren)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        column = Column(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return column_title(column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(column)
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        if not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < len(Column):
            return None
        row = self._rows[index.row()]
        column = Column(index.column())
        if column is Column.DEADLINES:
            return self._deadline_data(row, role)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(column)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == self.IdRole:
            return row.id
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(Column):
            return
        self._sort_column, self._sort_order = column, order
        if self.canFetchMore():
            if self._in_list_order():
                return  # the rows are in list order already; the rest come in order
            # Rows appear: a reset, not a layout change.
            self.beginResetModel()
            self._fetch_all()
            self._sort_rows(column, order)
            self.endResetModel()
            return
        self.layoutAboutToBeChanged.emit()
        before = list(self._rows)
        self._sort_rows(column, order)
        new_row = {id(summary): position for position, summary in enumerate(self._rows)}
        old_indexes = self.persistentIndexList()
        new_indexes = [
            self.index(new_row[id(before[old.row()])], old.column()) if old.isValid()
            else QModelIndex()
            for old in old_indexes
        ]
        self.changePersistentIndexList(old_indexes, new_indexes)
        self.layoutChanged.emit()

    # --- helpers ---------------------------------------------------------------------------

    def _deadline_data(self, row: HouseholdSummary, role: int) -> Any:
        marks = self._marks.get(row.id, ())
        if role == Qt.ItemDataRole.DisplayRole:
            return deadline_marks_text(marks)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return ", ".join(casework_labels.deadline_label(d.kind) for d in marks)
        if role == Qt.ItemDataRole.ForegroundRole:
            return _CRISIS_COLOUR if marks else None
        if role == Qt.ItemDataRole.ToolTipRole and marks:
            late = QCoreApplication.translate(_CONTEXT, "te laat")
            return "\n".join(
                QCoreApplication.translate(_CONTEXT, "%1: %2 (uiterlijk %3)")
                .replace("%1", casework_labels.deadline_label(d.kind))
                .replace("%2", d.detail or late)
                .replace("%3", d.due.strftime("%d-%m-%Y")) for d in marks)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(Column.DEADLINES)
        if role == self.IdRole:
            return row.id
        return None

    def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        if Column(column) is Column.DEADLINES:
            # Most marks first (stuck and late on top), then the earliest due date.
            def marked(r: HouseholdSummary) -> tuple[Any, ...]:
                found = self._marks.get(r.id, ())
                return (-len(found), min((d.due for d in found), default=date.max),
                        _text_key(r.name), r.postcode, r.id)

            self._rows.sort(key=marked, reverse=order == Qt.SortOrder.DescendingOrder)
            return
        key = _SORT_KEYS[Column(column)]
        # Ties fall back to name and postcode, so the order is stable across searches.
        self._rows.sort(key=lambda r: (key(r), _text_key(r.name), r.postcode, r.id),
                        reverse=order == Qt.SortOrder.DescendingOrder)

    @staticmethod
    def _display(row: HouseholdSummary, column: Column) -> str:
        if column is Column.NAME:
            return row.name
        if column is Column.ADDRESS:
            return address_text(row)
        if column is Column.POSTCODE:
            return row.postcode
        if column is Column.WIJK:
            return row.wijk
        if column is Column.MEMBERS:
            return str(row.members)
        if column is Column.STATUS:
            return status_label(row.case_status)
        if column is Column.URGENCY:
            return urgency_text(row.urgency)
        if column is Column.NEXT_EVALUATION:
            return row.next_evaluation.strftime("%d-%m-%Y") if row.next_evaluation else ""
        return str(row.unsynced) if row.unsynced else "—"

    @staticmethod
    def _alignment(column: Column) -> int:
        vertical = Qt.AlignmentFlag.AlignVCenter
        if column in (Column.MEMBERS, Column.UNSYNCED):
            return int(Qt.AlignmentFlag.AlignCenter)
        return int(Qt.AlignmentFlag.AlignLeft | vertical)

    @staticmethod
    def _foreground(row: HouseholdSummary, column: Column) -> QColor | None:
        if column is Column.STATUS and row.case_status is None:
            return _MUTED
        if column is Column.URGENCY and is_crisis(row.urgency):
            return _CRISIS_COLOUR
        if column is Column.UNSYNCED:
            return _PENDING if row.unsynced else _MUTED
        return None

    @staticmethod
    def _tooltip(row: HouseholdSummary, column: Column) -> str | None:
        if column is Column.UNSYNCED:
            if row.unsynced == 1:
                return QCoreApplication.translate(
                    _CONTEXT, "1 wijziging is nog niet naar de server verstuurd.")
            if row.unsynced:
                return QCoreApplication.translate(
                    _CONTEXT, "{count} wijzigingen zijn nog niet naar de server verstuurd."
                ).format(count=row.unsynced)
            return QCoreApplication.translate(_CONTEXT, "Alle wijzigingen zijn verstuurd.")
        if column is Column.STATUS:
            return QCoreApplication.translate(_CONTEXT, "Status van de meest recente casus")
        if column is Column.ADDRESS:
            return f"{address_text(row)}, {row.postcode} {row.city}"
        if column is Column.URGENCY and row.urgency:
            return urgency_text(row.urgency)
        return None
