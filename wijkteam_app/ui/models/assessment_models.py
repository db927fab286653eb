"""Table models for assessment history: the list of assessments of one person (or of the
household), and the side-by-side comparison of two assessments of the same version."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QColor

from wijkteam_app.domain.instruments import Assessment, InstrumentDefinition, compare
from wijkteam_app.ui.models.row_model import MUTED, ColumnSpec, RowTableModel

_CONTEXT = "AssessmentModels"

UP = QColor("#1d7a46")
DOWN = QColor("#b42318")


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
    counts: bool = True  # False: corrected or withdrawn later, or a withdrawal (shown muted)


def assessment_column_title(column: AssessmentColumn) -> str:
    return {
        AssessmentColumn.DATE: _tr("Datum"),
        AssessmentColumn.INSTRUMENT: _tr("Instrument"),
        AssessmentColumn.ASSESSOR: _tr("Afgenomen door"),
        AssessmentColumn.SUMMARY: _tr("Samenvatting"),
    }[column]


class AssessmentTableModel(RowTableModel[AssessmentRow]):
    """Assessments, newest first. `Qt.UserRole` gives the assessment id."""

    id_role = int(Qt.ItemDataRole.UserRole)
    numbered_rows = True

    def __init__(self, rows: Sequence[AssessmentRow] = (), parent: QObject | None = None) -> None:
        super().__init__(rows, parent)
        texts = {
            AssessmentColumn.DATE: lambda r: r.assessment.assessed_on.strftime("%d-%m-%Y"),
            AssessmentColumn.INSTRUMENT: lambda r: r.instrument,
            AssessmentColumn.ASSESSOR: lambda r: r.assessor,
            AssessmentColumn.SUMMARY: lambda r: r.summary,
        }
        self._columns: list[ColumnSpec[AssessmentRow]] = [
            ColumnSpec(assessment_column_title(column), texts[column], align=None,
                       muted=lambda r: not r.counts)
            for column in AssessmentColumn
        ]

    def columns(self) -> Sequence[ColumnSpec[AssessmentRow]]:
        return self._columns

    def ordered(self, rows: Sequence[AssessmentRow]) -> list[AssessmentRow]:
        # Newest first; a correction above the record it corrects (same date).
        return sorted(rows, key=lambda r: (r.assessment.assessed_on,
                                           r.assessment.corrects_id is not None,
                                           r.assessment.id), reverse=True)

    def object_id(self, item: AssessmentRow) -> str:
        return item.assessment.id

    def tooltip(self, item: AssessmentRow, column: int) -> str | None:
        return item.summary if column == AssessmentColumn.SUMMARY else None

    def row(self, row: int) -> AssessmentRow:
        return self.item(row)

    def assessment(self, row: int) -> Assessment:
        return self.item(row).assessment


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


class ComparisonTableModel(RowTableModel[ComparisonRow]):
    """Domain | score on the first date | score on the second date | change (arrow)."""

    id_role = int(Qt.ItemDataRole.UserRole)
    numbered_rows = True

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent=parent)
        self._columns = self._make_columns(_tr("Eerste meting"), _tr("Tweede meting"))

    @staticmethod
    def _make_columns(first_caption: str, second_caption: str
                      ) -> list[ColumnSpec[ComparisonRow]]:
        return [
            ColumnSpec(_tr("Domein"), lambda r: r.name, align=None),
            ColumnSpec(first_caption, lambda r: r.first_text, align=None),
            ColumnSpec(second_caption, lambda r: r.second_text, align=None),
            ColumnSpec(_tr("Verandering"), lambda r: change_text(r.change),
                       align=int(Qt.AlignmentFlag.AlignCenter)),
        ]

    def columns(self) -> Sequence[ColumnSpec[ComparisonRow]]:
        return self._columns

    def set_rows(self, rows: Sequence[ComparisonRow], first_caption: str | None = None,
                 second_caption: str | None = None) -> None:
        """The rows and the two column captions (the dates); without captions the general
        "Eerste meting" and "Tweede meting"."""
        self._columns = self._make_columns(
            _tr("Eerste meting") if first_caption is None else first_caption,
            _tr("Tweede meting") if second_caption is None else second_caption)
        super().set_rows(rows)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(ComparisonColumn) - 1)

    def clear(self) -> None:
        self.set_rows([])

    def row(self, row: int) -> ComparisonRow:
        return self.item(row)

    def object_id(self, item: ComparisonRow) -> str:
        return item.code

    def accessible_text(self, item: ComparisonRow, column: int) -> str:
        if column == ComparisonColumn.CHANGE:
            return change_spoken(item.change)
        return super().accessible_text(item, column)

    def tooltip(self, item: ComparisonRow, column: int) -> None:
        return None

    def foreground(self, item: ComparisonRow, column: int) -> QColor | None:
        if column != ComparisonColumn.CHANGE:
            return None
        change = item.change
        if change is None or change == 0:
            return MUTED
        return UP if change > 0 else DOWN
