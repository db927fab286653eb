"""Table models for assessment history: the list of assessments of one person (or of the
household), and the side-by-side comparison of two assessments of the same version."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
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

from wijkteam_app.domain.instruments import Assessment, InstrumentDefinition, compare

_CONTEXT = "AssessmentModels"
ModelIndex = QModelIndex | QPersistentModelIndex

UP = QColor("#1d7a46")
DOWN = QColor("#b42318")
MUTED = QColor("#6b7785")


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


# --- the list of assessments -----------------------------------------------------------------

class AssessmentColumn(enum.IntEnum):
    DATE = 0
    INSTRUMENT = 1
    ASSESSOR = 2
    SUMMARY = 3


@dataclass(frozen=True, slots=True)
class AssessmentRow:
    assessment: Assessment
    instrument: str  # "ZRM 2017", "Participatieladder 2008"
    assessor: str
    summary: str


def assessment_column_title(column: AssessmentColumn) -> str:
    return {
        AssessmentColumn.DATE: _tr("Datum"),
        AssessmentColumn.INSTRUMENT: _tr("Instrument"),
        AssessmentColumn.ASSESSOR: _tr("Afgenomen door"),
        AssessmentColumn.SUMMARY: _tr("Samenvatting"),
    }[column]


class AssessmentTableModel(QAbstractTableModel):
    """Assessments, newest first. `Qt.UserRole` gives the assessment id."""

    def __init__(self, rows: Sequence[AssessmentRow] = (), parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[AssessmentRow] = self._ordered(rows)

    @staticmethod
    def _ordered(rows: Sequence[AssessmentRow]) -> list[AssessmentRow]:
        return sorted(rows, key=lambda r: (r.assessment.assessed_on, r.assessment.id),
                      reverse=True)

    def set_rows(self, rows: Sequence[AssessmentRow]) -> None:
        self.beginResetModel()
        self._rows = self._ordered(rows)
        self.endResetModel()

    def row(self, row: int) -> AssessmentRow:
        return self._rows[row]

    def assessment(self, row: int) -> Assessment:
        return self._rows[row].assessment

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(AssessmentColumn)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = AssessmentColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column is AssessmentColumn.DATE:
                return row.assessment.assessed_on.strftime("%d-%m-%Y")
            if column is AssessmentColumn.INSTRUMENT:
                return row.instrument
            if column is AssessmentColumn.ASSESSOR:
                return row.assessor
            return row.summary
        if role == Qt.ItemDataRole.ToolTipRole and column is AssessmentColumn.SUMMARY:
            return row.summary
        if role == Qt.ItemDataRole.UserRole:
            return row.assessment.id
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(AssessmentColumn):
            return assessment_column_title(AssessmentColumn(section))
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None


# --- comparing two assessments ---------------------------------------------------------------

class ComparisonColumn(enum.IntEnum):
    DOMAIN = 0
    FIRST = 1
    SECOND = 2
    CHANGE = 3


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    code: str
    name: str
    first: int | None
    second: int | None
    first_text: str
    second_text: str

    @property
    def change(self) -> int | None:
        if self.first is None or self.second is None:
            return None
        return self.second - self.first


def _level_text(defn: InstrumentDefinition, value: int | None) -> str:
    if value is None:
        return _tr("niet besproken")
    return f"{value} {defn.level(value).name}" if defn.has_level(value) else str(value)


def comparison_rows(defn: InstrumentDefinition, first: Assessment,
                    second: Assessment) -> list[ComparisonRow]:
    """Domain rows of two assessments of `defn`. Raises `IncomparableAssessments` when the
    two were made with different instruments or versions (never compared as if equal)."""
    pairs = compare(first, second)
    order = {item.code: index for index, item in enumerate(defn.items)}
    rows = []
    for code, (a, b) in pairs.items():
        try:
            name = defn.item(code).name
        except KeyError:
            name = code
        rows.append(ComparisonRow(code, name, a, b, _level_text(defn, a), _level_text(defn, b)))
    rows.sort(key=lambda r: order.get(r.code, len(order)))
    return rows


def change_text(change: int | None) -> str:
    if change is None:
        return "—"
    if change > 0:
        return f"↑ +{change}"
    if change < 0:
        return f"↓ −{-change}"
    return _tr("= gelijk")


def change_spoken(change: int | None) -> str:
    """The change for screen readers (arrows are not read out well)."""
    if change is None:
        return _tr("geen vergelijking mogelijk")
    if change > 0:
        return _tr("gestegen met {n}").format(n=change)
    if change < 0:
        return _tr("gedaald met {n}").format(n=-change)
    return _tr("gelijk gebleven")


class ComparisonTableModel(QAbstractTableModel):
    """Domain | score on the first date | score on the second date | change (arrow)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ComparisonRow] = []
        self._first_caption = _tr("Eerste meting")
        self._second_caption = _tr("Tweede meting")

    def set_rows(self, rows: Sequence[ComparisonRow], first_caption: str,
                 second_caption: str) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._first_caption, self._second_caption = first_caption, second_caption
        self.endResetModel()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(ComparisonColumn) - 1)

    def clear(self) -> None:
        self.set_rows([], _tr("Eerste meting"), _tr("Tweede meting"))

    def row(self, row: int) -> ComparisonRow:
        return self._rows[row]

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(ComparisonColumn)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = ComparisonColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                ComparisonColumn.DOMAIN: row.name,
                ComparisonColumn.FIRST: row.first_text,
                ComparisonColumn.SECOND: row.second_text,
                ComparisonColumn.CHANGE: change_text(row.change),
            }[column]
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if column is ComparisonColumn.CHANGE:
                return change_spoken(row.change)
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        if role == Qt.ItemDataRole.ForegroundRole and column is ComparisonColumn.CHANGE:
            change = row.change
            if change is None or change == 0:
                return MUTED
            return UP if change > 0 else DOWN
        if role == Qt.ItemDataRole.TextAlignmentRole and column is ComparisonColumn.CHANGE:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row.code
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(ComparisonColumn):
            return {
                ComparisonColumn.DOMAIN: _tr("Domein"),
                ComparisonColumn.FIRST: self._first_caption,
                ComparisonColumn.SECOND: self._second_caption,
                ComparisonColumn.CHANGE: _tr("Verandering"),
            }[ComparisonColumn(section)]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None
