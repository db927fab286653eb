"""Small history charts painted with QPainter (QtCharts is not part of PySide6-Essentials).

`LevelHistoryChart` draws one score over time as a step line on a level scale: a ZRM domain
(levels 1-5) or the participatieladder (rungs 1-6). A target (ZRM "virtuele score") or a
potential rung is drawn dashed from the measurement to its date. "Niet besproken" leaves a
gap with a small mark on the axis. The same content is given as text through the accessible
description (and as tooltip per point), so the chart is never the only way to read it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

_CONTEXT = "charts"

LINE = QColor("#2f6690")
TARGET = QColor("#b26b00")
GRID = QColor("#e1e6eb")
AXIS = QColor("#9aa5b1")
TEXT = QColor("#1f2933")
MUTED = QColor("#52606d")


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def _dutch(day: date) -> str:
    return day.strftime("%d-%m-%Y")


@dataclass(frozen=True, slots=True)
class ChartPoint:
    """One measurement: `value` None means "niet besproken"; optional target and its date."""

    day: date
    value: int | None
    target: int | None = None
    target_day: date | None = None


class LevelHistoryChart(QWidget):
    """A step chart of one level-scaled score over time, with dashed targets."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumSize(240, 150)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, False)
        self._title = ""
        self._levels: tuple[tuple[int, str], ...] = ()
        self._points: tuple[ChartPoint, ...] = ()
        self._target_caption = _tr("doel")
        self._hits: list[tuple[QRectF, str]] = []

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(420, 180)

    def set_data(self, title: str, levels: Sequence[tuple[int, str]],
                 points: Sequence[ChartPoint], target_caption: str | None = None) -> None:
        """`levels` as (value, name), lowest first; `points` in any order."""
        self._title = title
        self._levels = tuple(levels)
        self._points = tuple(sorted(points, key=lambda p: p.day))
        if target_caption is not None:
            self._target_caption = target_caption
        self.setAccessibleName(_tr("Grafiek {title}").format(title=title))
        self.setAccessibleDescription(self.summary())
        self.update()

    @property
    def points(self) -> tuple[ChartPoint, ...]:
        return self._points

    def _level_name(self, value: int | None) -> str:
        if value is None:
            return _tr("niet besproken")
        name = dict(self._levels).get(value)
        return f"{value} ({name})" if name else str(value)

    def _point_text(self, point: ChartPoint) -> str:
        text = f"{_dutch(point.day)}: {self._level_name(point.value)}"
        if point.target is not None:
            text += ", " + _tr("{caption} {level}").format(
                caption=self._target_caption, level=self._level_name(point.target))
            if point.target_day is not None:
                text += " " + _tr("vóór {date}").format(date=_dutch(point.target_day))
        return text

    def summary(self) -> str:
        """The chart as text, for screen readers and tests."""
        if not self._points:
            return _tr("{title}: nog geen metingen.").format(title=self._title)
        return f"{self._title}: " + "; ".join(self._point_text(p) for p in self._points) + "."

    # --- painting --------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, painter: QPainter) -> None:
        self._hits = []
        painter.fillRect(self.rect(), QColor("#ffffff"))
        painter.setPen(QPen(GRID, 1))
        painter.drawRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5))
        base = QFont(self.font())
        small = QFont(base)
        small.setPointSizeF(max(base.pointSizeF() - 1.0, 7.0))
        bold = QFont(base)
        bold.setWeight(QFont.Weight.DemiBold)
        fm_small = QFontMetrics(small)
        fm_bold = QFontMetrics(bold)

        painter.setFont(bold)
        painter.setPen(TEXT)
        title_rect = QRectF(10, 6, self.width() - 20, fm_bold.height())
        painter.drawText(title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         fm_bold.elidedText(self._title, Qt.TextElideMode.ElideRight,
                                            int(title_rect.width())))
        if not self._levels:
            return
        painter.setFont(small)
        full_names = self.width() >= 330
        labels = {v: (f"{v} {n}" if full_names else str(v)) for v, n in self._levels}
        label_room = min(max(fm_small.horizontalAdvance(t) for t in labels.values()) + 8,
                         int(self.width() * 0.46))
        plot = QRectF(10 + label_room, title_rect.bottom() + 10,
                      self.width() - label_room - 30, 0.0)
        plot.setBottom(self.height() - fm_small.height() - 16)
        if plot.width() < 40 or plot.height() < 30:
            return
        values = [v for v, _n in self._levels]
        low, high = values[0], values[-1]

        def y_of(value: int) -> float:
            span = max(high - low, 1)
            return plot.bottom() - (value - low) / span * plot.height()

        for value in values:
            y = y_of(value)
            painter.setPen(QPen(GRID, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(MUTED)
            text = fm_small.elidedText(labels[value], Qt.TextElideMode.ElideRight,
                                       label_room - 6)
            painter.drawText(QRectF(6, y - fm_small.height() / 2, label_room - 2,
                                    fm_small.height()),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
        painter.setPen(QPen(AXIS, 1))
        painter.drawLine(QPointF(plot.left(), plot.top() - 4), plot.bottomLeft())

        if not self._points:
            painter.setPen(MUTED)
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, _tr("Nog geen metingen"))
            return

        days = [p.day for p in self._points] + [
            p.target_day for p in self._points if p.target_day is not None]
        first, last = min(days), max(days)
        if first == last:
            first, last = first - timedelta(days=30), last + timedelta(days=30)
        total = (last - first).days

        def x_of(day: date) -> float:
            return plot.left() + 8 + (day - first).days / total * (plot.width() - 16)

        # Targets first (underneath), dashed from the measurement to the target date.
        dash = QPen(TARGET, 1.6, Qt.PenStyle.DashLine)
        for index, point in enumerate(self._points):
            if point.target is None:
                continue
            start = QPointF(x_of(point.day), y_of(point.value if point.value is not None
                                                  else point.target))
            if point.target_day is not None:
                end_x = x_of(point.target_day)
            elif index + 1 < len(self._points):
                end_x = x_of(self._points[index + 1].day)
            else:
                end_x = min(start.x() + 40, plot.right())
            end = QPointF(end_x, y_of(point.target))
            painter.setPen(dash)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawLine(start, end)
            painter.setBrush(QColor("#ffffff"))
            painter.setPen(QPen(TARGET, 1.6))
            painter.drawEllipse(end, 4, 4)
            self._hits.append((QRectF(end.x() - 6, end.y() - 6, 12, 12),
                               self._point_text(point)))

        # The step line: a score holds until the next measurement.
        painter.setPen(QPen(LINE, 2.2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        path = QPainterPath()
        previous: QPointF | None = None
        for point in self._points:
            if point.value is None:
                previous = None
                continue
            here = QPointF(x_of(point.day), y_of(point.value))
            if previous is None:
                path.moveTo(here)
            else:
                path.lineTo(QPointF(here.x(), previous.y()))
                path.lineTo(here)
            previous = here
        painter.drawPath(path)

        for point in self._points:
            x = x_of(point.day)
            if point.value is None:
                painter.setPen(QPen(MUTED, 1.4))
                painter.setBrush(QColor("#ffffff"))
                marker = QPointF(x, plot.bottom())
                painter.drawRect(QRectF(marker.x() - 3.5, marker.y() - 3.5, 7, 7))
            else:
                marker = QPointF(x, y_of(point.value))
                painter.setPen(QPen(QColor("#ffffff"), 1.5))
                painter.setBrush(LINE)
                painter.drawEllipse(marker, 4.5, 4.5)
            self._hits.append((QRectF(marker.x() - 7, marker.y() - 7, 14, 14),
                               self._point_text(point)))

        # Date labels: the first and the last always, others where they fit.
        painter.setPen(MUTED)
        placed: list[tuple[float, float]] = []
        order = list(range(len(self._points)))
        order = [order[0], order[-1], *order[1:-1]] if len(order) > 1 else order
        for index in order:
            point = self._points[index]
            label = point.day.strftime("%d-%m-%y")
            width = fm_small.horizontalAdvance(label) + 2
            left = min(max(x_of(point.day) - width / 2, 2.0), self.width() - width - 2)
            if any(left < right + 6 and left + width > start - 6 for start, right in placed):
                continue
            placed.append((left, left + width))
            painter.drawText(QRectF(left, plot.bottom() + 7, width, fm_small.height()),
                             Qt.AlignmentFlag.AlignCenter, label)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            for rect, text in self._hits:
                if rect.contains(QPointF(event.pos())):
                    QToolTip.showText(event.globalPos(), text, self)
                    return True
            QToolTip.hideText()
            event.ignore()
            return True
        return super().event(event)


class ScoreChart(LevelHistoryChart):
    """A ZRM domain over time (levels 1-5 with their names); the target is dashed."""


class LadderChart(LevelHistoryChart):
    """The participatieladder over time (rungs 1-6); the potential rung is dashed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._target_caption = _tr("haalbaar")
