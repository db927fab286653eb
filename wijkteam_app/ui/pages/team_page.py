"""The team dashboard ("Team"): steering figures for the coach, or a worker's own caseload.

Filters: period (half-years and years), wijk and worker. Tiles for the werkvoorraad, then
panels with a chart where a picture helps (QtCharts) and the numbers beside it in a table.
Every figure, tile, table cell and bar, opens the households behind it (only households the
viewer may see: the figures are computed over them alone) in `HouseholdListDialog`, from
which a household opens. Everything is computed from the case file, so it works offline on
the last synced data.

Imported only when the Team menu is used, or by `DashboardWarmer` on a worker thread once
the main window is idle (QtCharts and the computation stay out of the start-up path). The
figures are computed on a worker thread (`refresh`): the page shows them at once when they
are at hand (prepared in the background, the case file unchanged since), and otherwise says
it is computing, keeps the previous figures greyed, and fills in when they arrive; the window
stays usable meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QHorizontalStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wijkteam_app.domain.cases import CaseStatus, UrgencyCriterion
from wijkteam_app.domain.indicators import Figure, Indicator, Movement
from wijkteam_app.services.profile import Workspace
from wijkteam_app.services.steering import (
    Dashboard,
    DashboardFilter,
    DrillRow,
    SteeringService,
    zrm_label,
)
from wijkteam_app.sync import aggregates as agg
from wijkteam_app.ui import labels
from wijkteam_app.ui.controllers.background import Background
from wijkteam_app.ui.models.row_model import RIGHT, ColumnSpec, RowTableModel, text_key
from wijkteam_app.ui.widgets import RowDelegate, heading_label, muted_label

ROSE = QColor("#3a7d44")
STABLE = QColor("#9aa5b1")
FELL = QColor("#b26b00")
BAR = QColor("#2f6690")
MAX_WORKER_BARS = 12


def number(value: int | float | None, decimals: int = 1) -> str:
    """Dutch notation ("12,5", "20"); "–" when there is nothing to show."""
    if value is None:
        return "–"
    if isinstance(value, float):
        rounded = round(value, decimals)
        if rounded.is_integer():
            return agg.dutch_number(int(rounded))
        return agg.dutch_number(rounded) if decimals == 1 else f"{rounded:.{decimals}f}".replace(
            ".", ",")
    return agg.dutch_number(value)


def hours(minutes: int | float | None) -> str:
    return "–" if minutes is None else number(round(minutes / 60, 1)) + " uur"


# --- a table of figures --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FigureRow:
    """One table row: a label and cells, each cell possibly backed by a figure."""

    label: str
    cells: tuple[str, ...]
    figures: tuple[Figure | None, ...] = field(default=())


class FigureTableModel(RowTableModel[FigureRow]):
    """Label + value columns; a value cell with a figure behind it can be opened."""

    def __init__(self, titles: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self._columns: list[ColumnSpec[FigureRow]] = [
            ColumnSpec(titles[0], lambda r: r.label, key=lambda r: text_key(r.label)),
        ]
        for n, title in enumerate(titles[1:]):
            self._columns.append(ColumnSpec(title, self._cell(n), align=RIGHT))

    @staticmethod
    def _cell(n: int) -> Callable[[FigureRow], str]:
        return lambda row: row.cells[n]

    def columns(self) -> Sequence[ColumnSpec[FigureRow]]:
        return self._columns

    def object_id(self, item: FigureRow) -> str:
        return item.label

    def figure_at(self, row: int, column: int) -> Figure | None:
        if column < 1 or not 0 <= row < self.rowCount():
            return None
        figures = self.item(row).figures
        index = column - 1 if column - 1 < len(figures) else 0
        return figures[index] if figures else None

    def tooltip(self, item: FigureRow, column: int) -> str | None:
        figure = self.figure_at(self.items().index(item), column) if column else None
        if figure is not None and figure.households:
            return self.tr("Enter of dubbelklik: de huishoudens achter dit getal")
        return None


def figure_table(titles: Sequence[str], name: str) -> tuple[QTableView, FigureTableModel]:
    model = FigureTableModel(titles)
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setItemDelegate(RowDelegate(view))
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setTabKeyNavigation(False)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    view.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
    view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return view, model


# --- the drill-down --------------------------------------------------------------------------


class DrillModel(RowTableModel[DrillRow]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self._columns: list[ColumnSpec[DrillRow]] = [
            ColumnSpec(self.tr("Huishouden"), lambda r: r.name, key=lambda r: text_key(r.name)),
            ColumnSpec(self.tr("Wijk"), lambda r: r.wijk, key=lambda r: text_key(r.wijk)),
            ColumnSpec(self.tr("Status"), lambda r: _status(r.status),
                       key=lambda r: text_key(r.status)),
            ColumnSpec(self.tr("Regisseur"), lambda r: r.regisseur,
                       key=lambda r: text_key(r.regisseur)),
        ]

    def columns(self) -> Sequence[ColumnSpec[DrillRow]]:
        return self._columns


def _status(value: str) -> str:
    try:
        return labels.status_label(CaseStatus(value))
    except ValueError:
        return value


class HouseholdListDialog(QDialog):
    """The households behind one figure. Enter or double-click opens one."""

    householdChosen = Signal(str)  # noqa: N815 (Qt signal naming)

    def __init__(self, title: str, rows: Sequence[DrillRow],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Huishoudens: {title}").format(title=title))
        self.resize(640, 420)
        self.model = DrillModel(self)
        self.model.set_rows(rows)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Huishoudens achter {title}").format(title=title))
        self.table.setItemDelegate(RowDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setTabKeyNavigation(False)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._open)
        count = len(rows)
        summary = self.tr("1 huishouden") if count == 1 else self.tr(
            "{n} huishoudens").format(n=count)
        hint = muted_label(self.tr("{summary}. Kies Enter of dubbelklik om een huishouden te "
                                   "openen.").format(summary=summary))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading_label(title, 3.0))
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        if count:
            self.table.selectRow(0)
        self.table.setFocus()

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.householdChosen.emit(self.model.item(index.row()).id)
            self.accept()


# --- panels ----------------------------------------------------------------------------------


PAGE_STYLE = (
    "QPushButton#tile { background: #f4f7f9; border: 1px solid #d5dde4; border-radius: 6px; }"
    "QPushButton#tile:focus { border: 2px solid #2f6690; }"
    "QPushButton#tile:hover { background: #e8eff4; }"
    "QLabel#tileText { background: transparent; color: #1f2933; }"
    "QFrame#panel { background: #ffffff; border: 1px solid #d5dde4; border-radius: 6px; }"
    "QLabel#busy { color: #2f6690; font-weight: 600; }"
)


class Tile(QPushButton):
    """A key figure as a large number above its caption; pressing it (click, Space or
    Enter) shows the households behind it."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = caption
        self.figure: Figure | None = None
        self.setObjectName("tile")
        self.setMinimumSize(120, 84)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.number = QLabel()
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 9.0) + 7.0)
        font.setWeight(QFont.Weight.DemiBold)
        self.number.setFont(font)
        self.text_label = QLabel(caption)
        self.text_label.setWordWrap(True)
        for label in (self.number, self.text_label):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            label.setObjectName("tileText")
        inner = QVBoxLayout(self)
        inner.setContentsMargins(12, 6, 10, 6)
        inner.setSpacing(0)
        inner.addWidget(self.number)
        inner.addWidget(self.text_label)
        inner.addStretch(1)

    def set_value(self, text: str, figure: Figure | None, hint: str = "") -> None:
        self.figure = figure
        self.number.setText(text)
        self.setAccessibleName(f"{self.caption}: {text}")
        self.setToolTip(hint or self.tr("Toon de huishoudens achter dit getal"))


class Panel(QFrame):
    """A titled box with an optional chart above a table of the same figures."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(12, 10, 12, 10)
        self.layout_.setSpacing(6)
        self.title = heading_label(title, 2.0)
        self.layout_.addWidget(self.title)
        self.layout_.addStretch(0)  # takes the slack, so the content stays at the top
        self.note = muted_label("")
        self.note.setVisible(False)

    def add(self, widget: QWidget, stretch: int = 0) -> None:
        self.layout_.insertWidget(self.layout_.count() - 1, widget, stretch)

    def set_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))


def _chart_view(height: int = 210) -> tuple[QChartView, QChart]:
    chart = QChart()
    chart.setBackgroundVisible(False)
    chart.setMargins(QMargins(0, 0, 0, 0))
    chart.legend().setVisible(False)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(height)
    view.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the table beside it is the keyboard path
    return view, chart


@dataclass
class BarChart:
    """A QtCharts bar chart whose bars open the households behind them."""

    view: QChartView
    chart: QChart
    on_figure: Callable[[Figure], None]
    horizontal: bool = False
    stacked: bool = False
    sets: list[tuple[QBarSet, list[Figure | None]]] = field(default_factory=list)

    def show(self, categories: Sequence[str],
             series: Sequence[tuple[str, QColor, Sequence[Figure | None]]],
             maximum: float | None = None) -> None:
        """Bars of the figures' values (None: no bar); `maximum` fixes the value axis (100
        for percentages), else it fits the highest bar."""
        # A fresh chart each time: reusing one leaves stale axes behind.
        old = self.chart
        chart = QChart()
        chart.setBackgroundVisible(False)
        chart.setMargins(QMargins(0, 0, 0, 0))
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart = chart
        self.view.setChart(chart)
        old.deleteLater()
        self.sets = []
        if self.horizontal:
            bars: QBarSeries | QHorizontalBarSeries | QHorizontalStackedBarSeries = (
                QHorizontalStackedBarSeries() if self.stacked else QHorizontalBarSeries())
        else:
            bars = QBarSeries()
        highest = 0.0
        for name, colour, figures in series:
            bar_set = QBarSet(name)
            bar_set.setColor(colour)
            bar_set.setBorderColor(colour)
            values = [float(f.value) if f is not None and isinstance(f.value, int | float)
                      else 0.0 for f in figures]
            bar_set.append(values)
            bar_set.clicked.connect(lambda index, figs=list(figures): self._clicked(figs, index))
            bars.append(bar_set)
            self.sets.append((bar_set, list(figures)))
            highest = max([highest, *values]) if not self.stacked else highest
        if self.stacked:
            totals = [sum(float(f.value) for f in col if f is not None
                          and isinstance(f.value, int | float))
                      for col in zip(*(s[2] for s in series), strict=False)]
            highest = max(totals, default=0.0)
        bars.setBarWidth(0.62)
        chart.addSeries(bars)
        category_axis = QBarCategoryAxis()
        category_axis.append(list(categories))
        category_axis.setTruncateLabels(False)
        value_axis = QValueAxis()
        value_axis.setRange(0, maximum or max(1.0, highest))
        value_axis.setLabelFormat("%d")
        if maximum is None:
            value_axis.applyNiceNumbers()
        if value_axis.max() <= 5:
            value_axis.setTickCount(int(value_axis.max()) + 1)
        if self.horizontal:
            chart.addAxis(category_axis, Qt.AlignmentFlag.AlignLeft)
            chart.addAxis(value_axis, Qt.AlignmentFlag.AlignBottom)
        else:
            chart.addAxis(category_axis, Qt.AlignmentFlag.AlignBottom)
            chart.addAxis(value_axis, Qt.AlignmentFlag.AlignLeft)
        bars.attachAxis(category_axis)
        bars.attachAxis(value_axis)
        chart.legend().setVisible(len(series) > 1)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        summary = "; ".join(
            f"{name}: " + ", ".join(f"{c} {number(f.value) if f else '–'}"
                                    for c, f in zip(categories, figures, strict=False))
            for name, _colour, figures in series)
        self.view.setAccessibleDescription(summary)
        self.view.setToolTip(summary if len(summary) < 400 else "")

    def _clicked(self, figures: list[Figure | None], index: int) -> None:
        if 0 <= index < len(figures) and figures[index] is not None:
            self.on_figure(figures[index])  # type: ignore[arg-type]


# --- the page --------------------------------------------------------------------------------


class TeamPage(QWidget):
    householdActivated = Signal(str)  # noqa: N815 (Qt signal naming)
    reportRequested = Signal()  # noqa: N815
    figuresShown = Signal()  # noqa: N815 - the figures of the current filter are on screen

    def __init__(self, workspace: Workspace, service: SteeringService | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # One style sheet for the page's tiles, panels and labels: a sheet per widget made
        # Qt style each of them on its own (building and showing the page took ~50 ms more).
        self.setStyleSheet(PAGE_STYLE)
        self._workspace = workspace
        self.service = service or SteeringService(workspace)
        self.dashboard: Dashboard | None = None
        self.last_dialog: HouseholdListDialog | None = None
        self._background = Background(self)
        self._wanted: DashboardFilter | None = None
        self.figures_current = False  # the figures on screen are those of the case file now
        # A figure clicked before its households were known: opened when they arrive.
        self._pending_drill: tuple[Indicator, str, str | None] | None = None

        self.period = self._combo(self.tr("Periode"))
        for period in self.service.periods():
            self.period.addItem(period.label[:1].upper() + period.label[1:], period.code)
        default = self.service.default_period().code
        self.period.setCurrentIndex(max(self.period.findData(default), 0))
        self.wijk = self._combo(self.tr("Wijk"))
        self.wijk.addItem(self.tr("Alle wijken"), None)
        for name in self.service.wijken():
            self.wijk.addItem(name, name)
        self.worker = self._combo(self.tr("Medewerker"))
        workers = self.service.workers()
        if self.service.team_scope:
            self.worker.addItem(self.tr("Alle medewerkers"), None)
            for worker_id, name in workers:
                self.worker.addItem(name, worker_id)
        else:
            for worker_id, name in workers:
                self.worker.addItem(name, worker_id)
            self.worker.setEnabled(False)
        self.report_button = QPushButton(self.tr("&Rapportage maken…"))
        self.report_button.clicked.connect(self.reportRequested)
        self.scope_label = muted_label("")
        self.busy_label = QLabel(self.tr("Cijfers worden berekend…"))
        self.busy_label.setObjectName("busy")
        self.busy_label.setVisible(False)

        self.tiles: dict[Indicator, Tile] = {}
        tiles = QGridLayout()
        tiles.setSpacing(8)
        for n, (indicator, caption) in enumerate((
                (Indicator.HOUSEHOLDS_IN_VIEW, self.tr("huishoudens in beeld")),
                (Indicator.REFERRALS_NEW, self.tr("nieuwe aanmeldingen")),
                (Indicator.PLANS_WAITING_REVIEW, self.tr("plannen ter beoordeling")),
                (Indicator.PLANS_WAITING_TOETS, self.tr("plannen wachten op toets")),
                (Indicator.EVALUATIONS_OVERDUE, self.tr("evaluaties over tijd")),
                (Indicator.ESCALATION_SHARE, self.tr("escalatie (individueel/zwaar)")),
                (Indicator.RELAPSE_SHARE, self.tr("terugval binnen een jaar")))):
            tile = Tile(caption)
            tile.clicked.connect(lambda _checked=False, t=tile: self._tile_clicked(t))
            self.tiles[indicator] = tile
            tiles.addWidget(tile, 0, n)

        self.caseload_panel = Panel(self.tr("Caseload en tijd per medewerker"))
        self.caseload_chart = self._bar_chart(self.caseload_panel, horizontal=True)
        self.caseload_view, self.caseload_model = figure_table(
            (self.tr("Medewerker"), self.tr("Huishoudens"), self.tr("Tijd")),
            self.tr("Caseload per medewerker"))
        self.caseload_panel.add(self.caseload_view)

        self.profile_panel = Panel(self.tr("Cliëntprofielen"))
        self.profile_chart = self._bar_chart(self.profile_panel)
        self.profile_view, self.profile_model = figure_table(
            (self.tr("Profiel"), self.tr("Huishoudens")), self.tr("Cliëntprofielen"))
        self.profile_panel.add(self.profile_view)

        self.ladder_panel = Panel(self.tr("Participatieladder: eerste en laatste meting"))
        self.ladder_chart = self._bar_chart(self.ladder_panel, height=170)
        self.ladder_view, self.ladder_model = figure_table(
            (self.tr("Beweging"), self.tr("Personen")), self.tr("Participatieladder"))
        self.ladder_panel.add(self.ladder_view)
        self.ladder_panel.add(self.ladder_panel.note)

        self.zrm_panel = Panel(self.tr("ZRM per leefgebied: eerste en laatste meting"))
        self.zrm_version = self._combo(self.tr("Instrumentversie"))
        self.zrm_panel.add(self.zrm_version)
        self.zrm_chart = self._bar_chart(self.zrm_panel, horizontal=True, stacked=True,
                                         height=260)
        self.zrm_view, self.zrm_model = figure_table(
            (self.tr("Leefgebied"), self.tr("Gestegen"), self.tr("Gelijk"), self.tr("Gedaald"),
             self.tr("Gem. verandering")), self.tr("ZRM per leefgebied"))
        self.zrm_panel.add(self.zrm_view)
        self.zrm_panel.add(self.zrm_panel.note)

        self.lead_panel = Panel(self.tr("Doorlooptijden"))
        self.lead_view, self.lead_model = figure_table(
            (self.tr("Van aanmelding tot"), self.tr("Mediaan"), self.tr("Gemiddeld"),
             self.tr("Casussen")), self.tr("Doorlooptijden"))
        self.lead_panel.add(self.lead_view)
        self.lead_panel.add(self.lead_panel.note)

        self.urgency_panel = Panel(self.tr("Urgentie"))
        self.urgency_view, self.urgency_model = figure_table(
            (self.tr("Urgentiecriterium"), self.tr("Huishoudens")), self.tr("Urgentie"))
        self.urgency_panel.add(self.urgency_view)

        self.results_panel = Panel(self.tr("Escalatie, terugval en tijd"))
        self.results_view, self.results_model = figure_table(
            (self.tr("Indicator"), self.tr("Waarde")), self.tr("Escalatie, terugval en tijd"))
        self.results_panel.add(self.results_view)

        self.experience_panel = Panel(self.tr("Klantervaring"))
        chart_view, chart = _chart_view(190)
        self.experience_panel.add(chart_view, 1)
        # Anonymous figures: no households behind them, so nothing opens from here.
        self.experience_chart = BarChart(chart_view, chart, lambda _figure: None,
                                         horizontal=True)
        self.experience_view, self.experience_model = figure_table(
            (self.tr("Stelling"), self.tr("Gemiddeld (1-5)"), self.tr("(Helemaal) eens"),
             self.tr("Antwoorden")), self.tr("Klantervaring"))
        self.experience_panel.add(self.experience_view)
        self.experience_panel.add(self.experience_panel.note)

        grid = QGridLayout()
        grid.setSpacing(12)
        grid.addWidget(self.caseload_panel, 0, 0)
        grid.addWidget(self.profile_panel, 0, 1)
        grid.addWidget(self.ladder_panel, 1, 0)
        grid.addWidget(self.lead_panel, 1, 1)
        grid.addWidget(self.zrm_panel, 2, 0)
        right = QVBoxLayout()
        right.setSpacing(12)
        right.addWidget(self.results_panel)
        right.addWidget(self.urgency_panel)
        right.addWidget(self.experience_panel)
        right.addStretch(1)
        grid.addLayout(right, 2, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 8, 0)
        body_layout.setSpacing(12)
        body_layout.addLayout(tiles)
        body_layout.addLayout(grid)
        body_layout.addStretch(1)
        self.scroller = QScrollArea()
        self.scroller.setWidget(body)
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)

        header = QHBoxLayout()
        header.addWidget(heading_label(self.tr("Team: sturen op resultaat"), 5.0))
        header.addStretch(1)
        header.addWidget(self.report_button)
        filters = QHBoxLayout()
        filters.setSpacing(8)
        for caption, combo in ((self.tr("&Periode"), self.period), (self.tr("&Wijk"), self.wijk),
                               (self.tr("Me&dewerker"), self.worker)):
            label = QLabel(caption)
            label.setBuddy(combo)
            filters.addWidget(label)
            filters.addWidget(combo)
        filters.addSpacing(12)
        filters.addWidget(self.scope_label, 1)
        filters.addWidget(self.busy_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.setSpacing(10)
        layout.addLayout(header)
        layout.addLayout(filters)
        layout.addWidget(self.scroller, 1)

        for combo in (self.period, self.wijk, self.worker):
            combo.currentIndexChanged.connect(lambda _index: self.refresh())
        self.zrm_version.currentIndexChanged.connect(self._show_zrm)
        for view in (self.caseload_view, self.profile_view, self.ladder_view, self.zrm_view,
                     self.lead_view, self.urgency_view, self.results_view):
            view.activated.connect(lambda index, v=view: self._cell_activated(v, index))
        self.refresh()

    # --- building -----------------------------------------------------------------------------

    def _combo(self, accessible: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(accessible)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        return combo

    def _bar_chart(self, panel: Panel, *, horizontal: bool = False, stacked: bool = False,
                   height: int = 210) -> BarChart:
        view, chart = _chart_view(height)
        panel.add(view, 1)
        return BarChart(view, chart, self.show_households, horizontal, stacked)

    # --- data ---------------------------------------------------------------------------------

    def current_filter(self) -> DashboardFilter:
        code = self.period.currentData()
        return DashboardFilter(agg.parse_period(code), self.wijk.currentData(),
                               self.worker.currentData() if self.service.team_scope else None)

    @property
    def busy(self) -> bool:
        """True while the figures of the current filter are still being computed."""
        return self._wanted is not None

    def refresh(self) -> None:
        """Show the figures of the current filter: at once when they are at hand, else
        computed on the worker thread (the page says so meanwhile)."""
        flt = self.current_filter()
        self._pending_drill = None
        ready = self.service.ready(flt)
        if ready is not None:
            self._wanted = None
            self._show(ready)
            return
        self._wanted = flt
        previous = self.service.latest(flt)
        if previous is not None and not previous.households_known \
                and self.service.stored_is_current(previous):
            # The last session's figures, and nothing changed since: they are the current
            # ones. Only the households behind them are still being looked up.
            self._show(previous)
            self._set_busy(True, completing=True)
        elif previous is not None:
            # The case file changed since (a save, a sync): the last figures stay readable
            # while the current ones are computed; the page says they are being updated.
            self._show(previous)
            self._set_busy(True, updating=True)
        else:
            self._set_busy(True)

        def compute() -> Dashboard | None:
            # A filter changed again meanwhile: skip this one, the newer one follows.
            return self.service.dashboard(flt) if self._wanted == flt else None

        self._background.run(compute, self._arrived, self._failed)

    def _arrived(self, dashboard: Dashboard | None) -> None:
        if dashboard is None or dashboard.filter != self._wanted:
            return
        self._wanted = None
        self._set_busy(False)
        self._show(dashboard)
        if self._pending_drill is not None:
            indicator, category, title = self._pending_drill
            self._pending_drill = None
            self.show_households(dashboard.figure(indicator, category), title)

    def _failed(self, _exc: Exception) -> None:
        self._wanted = None
        self._set_busy(False)
        self.busy_label.setText(self.tr("De cijfers konden niet worden berekend."))
        self.busy_label.setVisible(True)

    def _set_busy(self, busy: bool, *, updating: bool = False,
                  completing: bool = False) -> None:
        """`updating`: the last figures are shown while the current ones are computed;
        `completing`: the current figures are shown, the households behind them follow."""
        self.busy_label.setText(self.tr("Cijfers worden bijgewerkt…") if updating
                                else self.tr("Cijfers worden berekend…"))
        self.busy_label.setVisible(busy and not completing)
        self.scroller.setEnabled(not busy or updating or completing)
        self.report_button.setEnabled(not busy or completing)
        self.figures_current = not busy or completing

    def wait(self, timeout_ms: int = 30_000) -> None:
        """Let a computation in progress finish (before the case file closes)."""
        self._background.wait(timeout_ms)

    def _show(self, dashboard: Dashboard) -> None:
        self.dashboard = dashboard
        d = dashboard
        scope = (self.tr("Huishoudens van {team}").format(team=self._workspace.team.name)
                 if d.team_scope else self.tr("Uw eigen caseload"))
        self.scope_label.setText(self.tr("{scope} · peildatum {day}").format(
            scope=scope, day=d.peildatum.strftime("%d-%m-%Y")))
        for indicator, tile in self.tiles.items():
            figure = d.figure(indicator)
            if indicator in (Indicator.ESCALATION_SHARE, Indicator.RELAPSE_SHARE):
                text = "–" if figure.value is None else number(figure.value) + " %"
                hint = self.tr("{n} van {basis} huishoudens").format(
                    n=len(figure.households), basis=figure.basis)
                tile.set_value(text, figure, hint)
            else:
                tile.set_value(number(figure.value), figure)
        self._show_caseload(d)
        self._show_profiles(d)
        self._show_ladder(d)
        self._fill_zrm_versions(d)
        self._show_lead_times(d)
        self._show_urgency(d)
        self._show_results(d)
        self._show_experience(d)
        self.figuresShown.emit()

    def _show_caseload(self, d: Dashboard) -> None:
        load = {f.category: f for f in d.categories(Indicator.CASELOAD_WORKER)}
        time = {f.category: f for f in d.categories(Indicator.TIME_WORKER)}
        workers = sorted(set(load) | set(time), key=lambda w: (
            -(load[w].value or 0) if w in load else 0,
            (d.worker_names.get(w) or w).casefold()))
        rows = [FigureRow(d.worker_names.get(w, self.tr("Onbekend")),
                          (number(load[w].value) if w in load else "0",
                           hours(time[w].value) if w in time else "–"),
                          (load.get(w), time.get(w)))
                for w in workers]
        self.caseload_model.set_rows(rows)
        shown = [w for w in workers if w in load][:MAX_WORKER_BARS]
        self.caseload_chart.view.setFixedHeight(min(380, max(120, 34 * len(shown) + 70)))
        self.caseload_chart.show(
            [d.worker_names.get(w, "?") for w in reversed(shown)],
            [(self.tr("Huishoudens"), BAR, [load[w] for w in reversed(shown)])])
        self.caseload_panel.set_note("")

    def _show_profiles(self, d: Dashboard) -> None:
        keys = [str(n) for n in range(1, 6)] + [agg.NO_PROFILE]
        figures = [d.figure(Indicator.CLIENT_PROFILE, k) for k in keys]
        self.profile_model.set_rows([
            FigureRow(agg.category_label("client_profile", k), (number(f.value),), (f,))
            for k, f in zip(keys, figures, strict=True)])
        self.profile_chart.show([*(str(n) for n in range(1, 6)), self.tr("?")],
                                [(self.tr("Huishoudens"), BAR, figures)])

    def _show_ladder(self, d: Dashboard) -> None:
        moves = list(Movement)
        figures = [d.figure(Indicator.LADDER_MOVEMENT, m.value) for m in moves]
        self.ladder_model.set_rows([
            FigureRow(agg.category_label("ladder_movement", m.value), (number(f.value),), (f,))
            for m, f in zip(moves, figures, strict=True)])
        colours = {Movement.ROSE: ROSE, Movement.STABLE: STABLE, Movement.FELL: FELL}
        self.ladder_chart.show(
            [self.tr("Personen")],
            [(agg.category_label("ladder_movement", m.value), colours[m], [f])
             for m, f in zip(moves, figures, strict=True)])
        share = d.figure(Indicator.LADDER_RISE_OR_STABLE_SHARE)
        if share.basis:
            self.ladder_panel.set_note(self.tr(
                "{share} % van {n} personen steeg of bleef gelijk.").format(
                share=number(share.value), n=share.basis))
        else:
            self.ladder_panel.set_note(self.tr(
                "Nog geen personen met twee metingen waarvan de laatste in deze periode."))

    def _fill_zrm_versions(self, d: Dashboard) -> None:
        categories = sorted({f.category for f in d.categories(Indicator.ZRM_ROSE)})
        versions = sorted({c.rsplit("/", 1)[0] for c in categories})
        current = self.zrm_version.currentData()
        self.zrm_version.blockSignals(True)
        self.zrm_version.clear()
        for version in versions:
            definition_id, number_ = version.split("/")
            name = zrm_label(f"{version}/-").split(" · ")[0]
            label = name if name != f"{definition_id} {number_}" else f"{definition_id} {number_}"
            self.zrm_version.addItem(label, version)
        if versions:
            busiest = max(versions, key=lambda v: sum(
                d.figure(Indicator.ZRM_MEAN_CHANGE, c).basis
                for c in categories if c.startswith(v + "/")))
            wanted = current if current in versions else busiest
            self.zrm_version.setCurrentIndex(self.zrm_version.findData(wanted))
        self.zrm_version.setVisible(len(versions) > 1)
        self.zrm_version.blockSignals(False)
        self._show_zrm()

    def _show_zrm(self) -> None:
        d = self.dashboard
        if d is None:
            return
        version = self.zrm_version.currentData()
        categories = sorted(c for c in {f.category for f in d.categories(Indicator.ZRM_ROSE)}
                            if version and c.startswith(version + "/"))
        rows = []
        for category in categories:
            rose = d.figure(Indicator.ZRM_ROSE, category)
            stable = d.figure(Indicator.ZRM_STABLE, category)
            fell = d.figure(Indicator.ZRM_FELL, category)
            change = d.figure(Indicator.ZRM_MEAN_CHANGE, category)
            sign = "+" if isinstance(change.value, float) and change.value > 0 else ""
            rows.append(FigureRow(zrm_label(category).split(" · ")[-1],
                                  (number(rose.value), number(stable.value), number(fell.value),
                                   sign + number(change.value, 2)),
                                  (rose, stable, fell, change)))
        self.zrm_model.set_rows(rows)
        names = [r.label for r in rows]
        self.zrm_chart.show(
            list(reversed(names)),
            [(self.tr("Gestegen"), ROSE, [r.figures[0] for r in reversed(rows)]),
             (self.tr("Gelijk"), STABLE, [r.figures[1] for r in reversed(rows)]),
             (self.tr("Gedaald"), FELL, [r.figures[2] for r in reversed(rows)])])
        self.zrm_chart.view.setMinimumHeight(max(200, 26 * len(rows) + 70))
        self.zrm_chart.view.setVisible(bool(rows))
        self.zrm_view.setVisible(bool(rows))
        self.zrm_panel.set_note("" if rows else self.tr(
            "Nog geen cliënten met twee metingen met dezelfde versie, waarvan de laatste in "
            "deze periode."))

    def _show_lead_times(self, d: Dashboard) -> None:
        contact_med = d.figure(Indicator.FIRST_CONTACT_DAYS_MEDIAN)
        contact_mean = d.figure(Indicator.FIRST_CONTACT_DAYS_MEAN)
        plan_med = d.figure(Indicator.SIGNED_PLAN_DAYS_MEDIAN)
        plan_mean = d.figure(Indicator.SIGNED_PLAN_DAYS_MEAN)
        days = self.tr("{n} dagen")
        self.lead_model.set_rows([
            FigureRow(self.tr("eerste contact"),
                      (days.format(n=number(contact_med.value)) if contact_med.basis else "–",
                       days.format(n=number(contact_mean.value)) if contact_mean.basis else "–",
                       str(contact_med.basis)), (contact_med, contact_mean, contact_med)),
            FigureRow(self.tr("ondertekend plan"),
                      (days.format(n=number(plan_med.value)) if plan_med.basis else "–",
                       days.format(n=number(plan_mean.value)) if plan_mean.basis else "–",
                       str(plan_med.basis)), (plan_med, plan_mean, plan_med)),
        ])
        waiting = d.figure(Indicator.FIRST_CONTACT_WAITING)
        self.lead_panel.set_note(self.tr(
            "Aanmeldingen in deze periode. Nog zonder contact: {n}.").format(
            n=number(waiting.value)))

    def _show_urgency(self, d: Dashboard) -> None:
        keys = [u.value for u in UrgencyCriterion] + [agg.NO_URGENCY]
        rows = []
        for key in keys:
            figure = d.figure(Indicator.URGENCY, key)
            label = (labels.urgency_label(UrgencyCriterion(key)) if key != agg.NO_URGENCY
                     else self.tr("Geen urgentiecriterium"))
            rows.append(FigureRow(label, (number(figure.value),), (figure,)))
        self.urgency_model.set_rows(rows)

    def _show_results(self, d: Dashboard) -> None:
        def row(label: str, figure: Figure, text: str | None = None) -> FigureRow:
            return FigureRow(label, (text if text is not None else number(figure.value),),
                             (figure,))

        individual = d.figure(Indicator.ESCALATION_INDIVIDUAL)
        heavy = d.figure(Indicator.ESCALATION_HEAVY)
        share = d.figure(Indicator.ESCALATION_SHARE)
        relapse = d.figure(Indicator.RELAPSE)
        relapse_share = d.figure(Indicator.RELAPSE_SHARE)
        total = d.figure(Indicator.TIME_TOTAL_MINUTES)
        per_case = d.figure(Indicator.TIME_PER_CASE_MEAN)
        per_worker = d.figure(Indicator.TIME_PER_WORKER_MEAN)
        percent = self.tr("{value} % van {n}")
        self.results_model.set_rows([
            row(self.tr("Individuele ondersteuning (maatwerk)"), individual),
            row(self.tr("Zware ondersteuning (opgeschaald)"), heavy),
            row(self.tr("Escalatie: aandeel van de huishoudens"), share,
                percent.format(value=number(share.value), n=share.basis)
                if share.value is not None else "–"),
            row(self.tr("Terugval: heropend binnen een jaar"), relapse),
            row(self.tr("Terugval: aandeel van de nieuwe aanmeldingen"), relapse_share,
                percent.format(value=number(relapse_share.value), n=relapse_share.basis)
                if relapse_share.value is not None else "–"),
            row(self.tr("Geregistreerde tijd"), total, hours(total.value)),
            row(self.tr("Tijd per casus (gemiddeld)"), per_case, hours(per_case.value)),
            row(self.tr("Tijd per medewerker (gemiddeld)"), per_worker, hours(per_worker.value)),
            row(self.tr("Caseload per regisseur (gemiddeld)"),
                d.figure(Indicator.CASELOAD_MEAN)),
        ])

    def _show_experience(self, d: Dashboard) -> None:
        """Klantervaring: anonymous, so below `agg.THRESHOLD` answers no number is shown,
        and no figure opens a list of households."""
        responses = d.figure(Indicator.EXPERIENCE_RESPONSES)
        rows = []
        shares: list[Figure | None] = []
        for code in agg.EXPERIENCE_QUESTIONS:
            average = d.figure(Indicator.EXPERIENCE_MEAN, code)
            agree = d.figure(Indicator.EXPERIENCE_AGREE_SHARE, code)
            enough = average.basis >= agg.THRESHOLD
            answers = number(average.basis) if enough or not average.basis else agg.SUPPRESSED
            rows.append(FigureRow(
                agg.category_label("experience_mean", code),
                (number(average.value) if enough else "–",
                 number(agree.value) + " %" if enough and agree.value is not None else "–",
                 answers)))
            shares.append(agree if enough else None)
        self.experience_model.set_rows(rows)
        names = [r.label for r in rows]
        self.experience_chart.show(
            list(reversed(names)),
            [(self.tr("(Helemaal) eens"), ROSE, list(reversed(shares)))], maximum=100)
        count = int(responses.value or 0)
        if count >= agg.THRESHOLD:
            note = self.tr("{n} ingevulde vragenlijsten in deze periode. Balk: het deel dat het "
                           "(helemaal) eens was, in procenten. Anoniem: er horen geen "
                           "huishoudens bij deze cijfers.").format(n=number(count))
        elif count:
            note = self.tr("Minder dan {min} ingevulde vragenlijsten in deze selectie: geen "
                           "cijfers, zodat niemand herkenbaar is.").format(min=agg.THRESHOLD)
        else:
            note = self.tr("Nog geen ingevulde vragenlijsten klantervaring in deze periode.")
        self.experience_panel.set_note(note)
        self.experience_chart.view.setVisible(count >= agg.THRESHOLD)

    # --- drill-down -----------------------------------------------------------------------------

    def _tile_clicked(self, tile: Tile) -> None:
        if tile.figure is not None:
            self.show_households(tile.figure, tile.caption)

    def _cell_activated(self, view: QTableView, index: QModelIndex) -> None:
        model = view.model()
        assert isinstance(model, FigureTableModel)
        figure = model.figure_at(index.row(), max(index.column(), 1))
        if figure is not None:
            label = model.item(index.row()).label
            self.show_households(figure, label)

    def figure_title(self, figure: Figure) -> str:
        spec = agg.SPECS.get(figure.indicator.value)
        base = spec.label if spec else {
            Indicator.CASELOAD_WORKER: self.tr("Caseload"),
            Indicator.TIME_WORKER: self.tr("Geregistreerde tijd"),
        }.get(figure.indicator, figure.indicator.value)
        if not figure.category:
            return base
        if figure.indicator in (Indicator.CASELOAD_WORKER, Indicator.TIME_WORKER):
            assert self.dashboard is not None
            return f"{base}: {self.dashboard.worker_names.get(figure.category, '')}"
        if figure.indicator.value.startswith("zrm"):
            return f"{base}: {zrm_label(figure.category)}"
        return f"{base}: {agg.category_label(figure.indicator.value, figure.category)}"

    def show_households(self, figure: Figure, title: str | None = None) -> None:
        """The households behind `figure`, in a dialog (kept in `last_dialog` for tests)."""
        if self.busy and not figure.households and figure.value:
            # The last session's figures carry no households: they come with the current
            # figures, and the list opens then.
            self._pending_drill = (figure.indicator, figure.category, title)
            self.busy_label.setText(self.tr("De huishoudens achter dit getal worden "
                                            "opgezocht…"))
            self.busy_label.setVisible(True)
            return
        rows = self.service.drill_rows(sorted(figure.households))
        dialog = HouseholdListDialog(title or self.figure_title(figure), rows, self)
        dialog.householdChosen.connect(self.householdActivated)
        self.last_dialog = dialog
        dialog.open()
