"""Assessment history of a household ("Metingen"): per person and for the household as a whole
the list of assessments, a chart per ZRM domain over time, the participatieladder over time,
and a side-by-side comparison of two dates.

Scores of different instrument versions are never mixed: the charts show one version at a
time (with a version selector when a person has more than one), and a comparison between two
versions is refused with an explanation.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from wijkteam_app.domain.instruments import (
    Assessment,
    IncomparableAssessments,
    InstrumentDefinition,
    InstrumentKind,
    effective_assessments,
    superseding,
    version_key,
)
from wijkteam_app.domain.people import Person
from wijkteam_app.domain.validation import ValidationFailed
from wijkteam_app.services.assessments import AssessmentService, Definitions
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.forms.common import key_label, plain_button
from wijkteam_app.ui.i18n import error_text, field_text
from wijkteam_app.ui.models.assessment_models import (
    AssessmentColumn,
    AssessmentRow,
    AssessmentTableModel,
    ComparisonColumn,
    ComparisonTableModel,
    comparison_rows,
)
from wijkteam_app.ui.widgets import ErrorLabel, RowDelegate, heading_label, muted_label
from wijkteam_app.ui.widgets.charts import ChartPoint, LadderChart, ScoreChart

HOUSEHOLD_SUBJECT = ""  # subject key of the household as a whole


class _AssessmentTable(QTableView):
    """Return opens the current row (like a double click)."""

    openRequested = Signal(int)  # noqa: N815 (Qt signal naming)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.openRequested.emit(self.currentIndex().row())
            return
        super().keyPressEvent(event)


class WithdrawDialog(QDialog):
    """Asks why a measurement is withdrawn; the caller stores the withdrawal."""

    def __init__(self, description: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Meting intrekken"))
        intro = QLabel(self.tr(
            "{what} intrekken? De meting blijft in de geschiedenis staan, maar telt niet meer "
            "mee in grafieken, vergelijkingen en het plan.").format(what=description))
        intro.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setAccessibleName(self.tr("Reden van het intrekken"))
        self.reason.setPlaceholderText(self.tr("Bijvoorbeeld: bij de verkeerde persoon "
                                               "vastgelegd"))
        label = QLabel(self.tr("&Reden"))
        label.setBuddy(self.reason)
        self.error = ErrorLabel()
        self.ok_button = plain_button(self.tr("&Intrekken"), self.tr("Intrekken"))
        self.ok_button.setDefault(True)
        cancel = plain_button(self.tr("&Annuleren"), self.tr("Annuleren"))
        self.ok_button.clicked.connect(self._accept_if_reason)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.ok_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(label)
        layout.addWidget(self.reason)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.setMinimumWidth(460)
        self.reason.returnPressed.connect(self._accept_if_reason)
        self.reason.setFocus()

    def _accept_if_reason(self) -> None:
        if not self.reason.text().strip():
            self.error.show_message(self.tr("Geef de reden van het intrekken."))
            self.reason.setFocus()
            return
        self.accept()


class AssessmentsPanel(QWidget):
    """The "Metingen" of one household. Call `show_household`; the host opens the forms on
    `zrmRequested(person_id or "", household_id)`, `ladderRequested(person_id)` and
    `ladderCorrectionRequested(assessment)` and calls `refresh()` (or `show_household`)
    afterwards.

    The list shows every record: a corrected or withdrawn measurement stays (muted, with what
    happened to it) next to its correction; charts and comparisons use only what counts.
    """

    zrmRequested = Signal(str, str)  # noqa: N815 (Qt signal naming)
    ladderRequested = Signal(str)  # noqa: N815
    ladderCorrectionRequested = Signal(object)  # noqa: N815  the Assessment to correct

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._assessments = AssessmentService(workspace)
        self._households = HouseholdService(workspace)
        self.household_id = ""
        self._stale = False  # a household is set but not read yet (the panel was hidden)
        self.may_edit = False  # asked from the service per household (the matrix)
        self._members: tuple[Person, ...] = ()
        self._history: dict[str, list[Assessment]] = {}  # what counts
        self._records: dict[str, list[Assessment]] = {}  # everything stored
        self.withdraw_reason: Callable[[str], str | None] = self._ask_reason
        self._worker_names: dict[str, str] = {}
        self.charts: dict[str, ScoreChart] = {}
        self._build()

    # --- building --------------------------------------------------------------------------

    def _build(self) -> None:
        self.subjects = QListWidget()
        self.subjects.setAccessibleName(self.tr("Personen en huishouden"))
        self.subjects.setMinimumWidth(190)
        self.subjects.setStyleSheet(
            "QListWidget::item { padding: 5px 6px; border-bottom: 1px solid #e1e6eb;"
            " color: #1f2933; }"
            "QListWidget::item:selected { background: #2f6690; color: #ffffff; }")
        self.subjects.currentRowChanged.connect(lambda _row: self._show_subject())

        self.subject_title = heading_label("", 3.0)
        self.new_zrm_button = plain_button(self.tr("Nieuwe &ZRM"), self.tr("Nieuwe ZRM"))
        self.new_ladder_button = plain_button(self.tr("Nieuwe t&rede"), self.tr("Nieuwe trede"))
        self.new_ladder_button.setToolTip(self.tr("Participatieladder: trede vastleggen"))
        self.new_zrm_button.clicked.connect(self._request_zrm)
        self.new_ladder_button.clicked.connect(self._request_ladder)
        header = QHBoxLayout()
        header.addWidget(self.subject_title, 1)
        header.addWidget(self.new_zrm_button)
        header.addWidget(self.new_ladder_button)

        # Overview: the list of assessments.
        self.model = AssessmentTableModel(parent=self)
        self.table = _AssessmentTable()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Metingen"))
        self.table.setItemDelegate(RowDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        header_view = self.table.horizontalHeader()
        header_view.setSectionResizeMode(AssessmentColumn.SUMMARY, QHeaderView.ResizeMode.Stretch)
        for column, width in ((AssessmentColumn.DATE, 100), (AssessmentColumn.INSTRUMENT, 190),
                              (AssessmentColumn.ASSESSOR, 170)):
            self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(lambda index: self.open_assessment(index.row()))
        self.table.openRequested.connect(self.open_assessment)
        self.table.selectionModel().currentRowChanged.connect(
            lambda _current, _previous: self._update_record_actions())
        self.empty_label = muted_label("")
        self.correct_button = plain_button(self.tr("&Corrigeren…"),
                                           self.tr("Meting corrigeren"))
        self.correct_button.clicked.connect(self.correct_selected)
        self.withdraw_button = plain_button(self.tr("&Intrekken…"),
                                            self.tr("Meting intrekken"))
        self.withdraw_button.clicked.connect(self.withdraw_selected)
        self.action_notice = ErrorLabel()
        self.action_done = muted_label("")
        overview = QWidget()
        overview_layout = QVBoxLayout(overview)
        overview_layout.setContentsMargins(8, 8, 8, 8)
        overview_layout.addWidget(self.table, 1)
        overview_layout.addWidget(self.empty_label)
        record_actions = QHBoxLayout()
        record_actions.addWidget(self.correct_button)
        record_actions.addWidget(self.withdraw_button)
        record_actions.addWidget(self.action_notice, 1)
        record_actions.addWidget(self.action_done, 1)
        overview_layout.addLayout(record_actions)
        overview_layout.addWidget(muted_label(self.tr(
            "Enter of dubbelklik opent een ZRM-meting om te lezen; van daaruit kunt u een "
            "nieuwe meting op basis daarvan beginnen. Een fout vastgelegde meting corrigeert "
            "of trekt u in: de oorspronkelijke blijft zichtbaar in de geschiedenis.")))

        # Charts: the ladder, then one chart per ZRM domain of one version.
        self.version_combo = QComboBox()
        self.version_combo.setAccessibleName(self.tr("Versie voor de grafieken"))
        self.version_combo.currentIndexChanged.connect(lambda _i: self._fill_charts())
        version_label = QLabel(self.tr("&Versie:"))
        version_label.setBuddy(self.version_combo)
        self.version_note = muted_label(self.tr(
            "Een grafiek toont alleen metingen van één versie; versies worden nooit gemengd."))
        versions = QHBoxLayout()
        versions.addWidget(version_label)
        versions.addWidget(self.version_combo)
        versions.addWidget(self.version_note, 1)

        self.ladder_chart = LadderChart()
        self.ladder_chart.setMinimumHeight(170)
        self.zrm_title = QLabel()
        self.charts_grid = QGridLayout()
        self.charts_grid.setSpacing(8)
        self.charts_empty = muted_label("")
        charts_content = QWidget()
        charts_layout = QVBoxLayout(charts_content)
        charts_layout.setContentsMargins(0, 0, 8, 8)
        charts_layout.addWidget(self.ladder_chart)
        charts_layout.addSpacing(8)
        charts_layout.addWidget(self.zrm_title)
        charts_layout.addLayout(self.charts_grid)
        charts_layout.addWidget(self.charts_empty)
        charts_layout.addStretch(1)
        self.charts_scroll = QScrollArea()
        self.charts_scroll.setWidgetResizable(True)
        self.charts_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.charts_scroll.setWidget(charts_content)
        charts_page = QWidget()
        charts_page_layout = QVBoxLayout(charts_page)
        charts_page_layout.setContentsMargins(8, 8, 8, 8)
        charts_page_layout.addLayout(versions)
        charts_page_layout.addWidget(self.charts_scroll, 1)

        # Comparison of two dates.
        self.first_combo = QComboBox()
        self.first_combo.setAccessibleName(self.tr("Eerste meting"))
        self.second_combo = QComboBox()
        self.second_combo.setAccessibleName(self.tr("Tweede meting"))
        for combo in (self.first_combo, self.second_combo):
            combo.setMinimumWidth(230)
            combo.currentIndexChanged.connect(lambda _i: self._fill_comparison())
        first_label = QLabel(self.tr("&Eerste meting:"))
        first_label.setBuddy(self.first_combo)
        second_label = QLabel(self.tr("&Tweede meting:"))
        second_label.setBuddy(self.second_combo)
        pick = QHBoxLayout()
        pick.addWidget(first_label)
        pick.addWidget(self.first_combo)
        pick.addSpacing(16)
        pick.addWidget(second_label)
        pick.addWidget(self.second_combo)
        pick.addStretch(1)
        self.comparison_model = ComparisonTableModel(self)
        self.comparison_view = QTableView()
        self.comparison_view.setModel(self.comparison_model)
        self.comparison_view.setAccessibleName(self.tr("Vergelijking van twee metingen"))
        self.comparison_view.setItemDelegate(RowDelegate(self.comparison_view))
        self.comparison_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.comparison_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.comparison_view.verticalHeader().setVisible(False)
        self.comparison_view.setAlternatingRowColors(True)
        self.comparison_view.setTabKeyNavigation(False)
        comparison_header = self.comparison_view.horizontalHeader()
        comparison_header.setSectionResizeMode(ComparisonColumn.DOMAIN,
                                               QHeaderView.ResizeMode.Stretch)
        for compared, width in ((ComparisonColumn.FIRST, 230), (ComparisonColumn.SECOND, 230),
                                (ComparisonColumn.CHANGE, 110)):
            self.comparison_view.setColumnWidth(compared, width)
        self.comparison_note = QLabel()
        self.comparison_note.setWordWrap(True)
        self.comparison_note.setObjectName("comparisonNote")
        self.comparison_note.setStyleSheet(
            "QLabel#comparisonNote { background: #fff6e0; border: 1px solid #e8c56b;"
            " border-radius: 4px; padding: 6px 10px; }")
        self.comparison_note.setVisible(False)
        compare_page = QWidget()
        compare_layout = QVBoxLayout(compare_page)
        compare_layout.setContentsMargins(8, 8, 8, 8)
        compare_layout.addLayout(pick)
        compare_layout.addWidget(self.comparison_note)
        compare_layout.addWidget(self.comparison_view, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(overview, self.tr("Overzicht"))
        self.tabs.addTab(charts_page, self.tr("Grafieken"))
        self.tabs.addTab(compare_page, self.tr("Vergelijken"))

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        right_layout.addLayout(header)
        right_layout.addWidget(self.tabs, 1)

        splitter = QSplitter()
        splitter.addWidget(self.subjects)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([220, 1000])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(splitter)

    @property
    def definitions(self) -> Definitions:
        """The instrument catalog (read when the panel first needs it)."""
        return self._assessments.definitions

    # --- loading ---------------------------------------------------------------------------

    def show_household(self, household_id: str) -> None:
        """Load the household's members and all their assessments."""
        self.household_id = household_id
        self.refresh()

    def set_household(self, household_id: str) -> None:
        """The household to show; read when the panel is shown (its tab), at once while it
        is visible."""
        self.household_id = household_id
        self._stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        if not self.household_id:
            return
        self._stale = False
        self.loaded_at = time.monotonic()  # what was saved before this is shown
        previous = self.current_subject()
        detail = self._households.get(self.household_id)
        self.may_edit = self._households.may_edit(self.household_id)
        self.new_zrm_button.setVisible(self.may_edit)
        self.new_ladder_button.setVisible(self.may_edit)
        self._members = detail.members
        self._worker_names = self._households.worker_names()
        self._records = {HOUSEHOLD_SUBJECT: self._assessments.records(
            household_id=self.household_id)}
        for member in self._members:
            self._records[member.id] = self._assessments.records(person_id=member.id)
        self._history = {key: effective_assessments(records)
                         for key, records in self._records.items()}

        self.subjects.blockSignals(True)
        self.subjects.clear()
        today = self._ws.today()
        entries: list[tuple[str, str]] = [
            (HOUSEHOLD_SUBJECT, self.tr("Huishouden als geheel"))]
        for member in self._members:
            age = member.age_on(today)
            text = (self.tr("{name} ({age} jaar)").format(name=member.full_name, age=age)
                    if age is not None else member.full_name)
            entries.append((member.id, text))
        for key, text in entries:
            count = len(self._history.get(key, []))
            item = QListWidgetItem(f"{text}\n" + (
                self.tr("1 meting") if count == 1
                else self.tr("{count} metingen").format(count=count)))
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.subjects.addItem(item)
        keys = [key for key, _text in entries]
        if previous in keys:
            row = keys.index(previous)
        else:  # the first member with history, else the first member, else the household
            with_history = [i for i, k in enumerate(keys) if k and self._history.get(k)]
            row = with_history[0] if with_history else (1 if len(keys) > 1 else 0)
        self.subjects.setCurrentRow(row)
        self.subjects.blockSignals(False)
        self._show_subject()

    def current_subject(self) -> str | None:
        item = self.subjects.currentItem()
        if item is None:
            return None
        value = item.data(Qt.ItemDataRole.UserRole)
        return value if isinstance(value, str) else None

    def select_subject(self, person_id: str) -> None:
        """Show one person ("" for the household as a whole)."""
        for row in range(self.subjects.count()):
            if self.subjects.item(row).data(Qt.ItemDataRole.UserRole) == person_id:
                self.subjects.setCurrentRow(row)
                return

    def _person(self, key: str | None) -> Person | None:
        return next((m for m in self._members if m.id == key), None)

    def _kind(self, assessment: Assessment) -> InstrumentKind | None:
        defn = self.definitions.get(assessment.definition_key)
        return defn.kind if defn is not None else None

    def _show_subject(self) -> None:
        key = self.current_subject()
        if key is None:
            return
        person = self._person(key)
        if person is not None:
            self.subject_title.setText(person.full_name)
        else:
            self.subject_title.setText(self.tr("Huishouden als geheel"))
        self.new_ladder_button.setEnabled(person is not None)
        self.new_ladder_button.setToolTip(
            self.tr("Participatieladder: trede vastleggen") if person is not None
            else self.tr("De participatieladder is per persoon; kies links een persoon."))
        records = self._records.get(key, [])
        replaced = superseding(records)
        by_id = {a.id: a for a in records}
        self.model.set_rows([self._row(a, replaced.get(a.id), by_id) for a in records])
        self.action_notice.clear_message()
        self.action_done.setText("")
        if records:
            self.empty_label.setVisible(False)
            self.table.selectRow(0)
        else:
            self.empty_label.setText(self.tr(
                "Nog geen metingen. Kies ‘Nieuwe ZRM’ of ‘Nieuwe trede’ om te beginnen.")
                if self.may_edit else self.tr("Nog geen metingen."))
            self.empty_label.setVisible(True)
        self._fill_versions()
        self._fill_ladder()
        self._fill_comparison_choices()
        self._update_record_actions()

    def _row(self, assessment: Assessment, replaced_by: Assessment | None,
             by_id: dict[str, Assessment]) -> AssessmentRow:
        summary = self._summary(assessment)
        if assessment.withdrawn:
            original = by_id.get(assessment.corrects_id or "")
            summary = self.tr("Intrekking van de meting van {date} — reden: {reason}").format(
                date=original.assessed_on.strftime("%d-%m-%Y") if original else "?",
                reason=assessment.correction_reason)
        elif assessment.corrects_id:
            summary = self.tr("Correctie: {summary} — reden: {reason}").format(
                summary=summary, reason=assessment.correction_reason)
        if replaced_by is not None:
            summary = (self.tr("Ingetrokken: {summary}") if replaced_by.withdrawn
                       else self.tr("Gecorrigeerd: {summary}")).format(summary=summary)
        return AssessmentRow(
            assessment,
            key_label(self.definitions, assessment.definition_id, assessment.definition_version),
            self._worker_names.get(assessment.assessor_id, self.tr("onbekend")),
            summary,
            counts=replaced_by is None and not assessment.withdrawn,
        )

    def _summary(self, assessment: Assessment) -> str:
        defn = self.definitions.get(assessment.definition_key)
        if defn is None:
            return self.tr("Instrument niet geïnstalleerd")
        if defn.kind is InstrumentKind.LADDER:
            if not assessment.items or assessment.items[0].score is None:
                return ""
            entry = assessment.items[0]
            text = self.tr("Trede {rung}").format(rung=_level(defn, entry.score))
            if entry.target_score is not None:
                text += " · " + self.tr("haalbaar: {rung}").format(rung=entry.target_score)
                if assessment.target_date is not None:
                    text += " " + self.tr("vóór {date}").format(
                        date=assessment.target_date.strftime("%d-%m-%Y"))
            return text
        scored = [s for s in assessment.items if s.score is not None]
        not_discussed = len(assessment.items) - len(scored)
        parts = []
        if scored:
            lowest = min(s.score for s in scored if s.score is not None)
            names = [_item_name(defn, s.item_code) for s in scored if s.score == lowest]
            parts.append(self.tr("Laagste score {score}: {domains}").format(
                score=lowest, domains=", ".join(names)))
        if not_discussed:
            parts.append(self.tr("{count} niet besproken").format(count=not_discussed))
        factors = len(assessment.zwaartefactoren)
        if factors == 1:
            parts.append(self.tr("1 zwaartefactor"))
        elif factors:
            parts.append(self.tr("{count} zwaartefactoren").format(count=factors))
        return " · ".join(parts)

    # --- charts ----------------------------------------------------------------------------

    def _zrm_history(self) -> list[Assessment]:
        return [a for a in self._history.get(self.current_subject() or "", [])
                if self._kind(a) is InstrumentKind.ZRM]

    def _fill_versions(self) -> None:
        keys: list[tuple[str, str]] = []
        for assessment in self._zrm_history():
            if assessment.definition_key not in keys:
                keys.append(assessment.definition_key)
        latest_used = {k: max(a.assessed_on for a in self._zrm_history()
                              if a.definition_key == k) for k in keys}
        keys.sort(key=lambda k: latest_used[k], reverse=True)  # most recently used first
        self.version_combo.blockSignals(True)
        self.version_combo.clear()
        for key in keys:
            self.version_combo.addItem(key_label(self.definitions, *key), key)
        self.version_combo.setCurrentIndex(0 if keys else -1)
        self.version_combo.setEnabled(len(keys) > 1)
        self.version_combo.blockSignals(False)
        if len(keys) > 1:
            self.version_note.setText(self.tr(
                "Deze persoon heeft metingen met {count} versies. Een grafiek toont er één; "
                "versies worden nooit gemengd.").format(count=len(keys)))
        else:
            self.version_note.setText(self.tr(
                "Een grafiek toont alleen metingen van één versie; versies worden nooit "
                "gemengd."))
        self._fill_charts()

    def chart_version(self) -> tuple[str, str] | None:
        data = self.version_combo.currentData()
        return (str(data[0]), str(data[1])) if data else None

    def _fill_charts(self) -> None:
        for chart in self.charts.values():
            chart.setParent(None)
            chart.deleteLater()
        self.charts = {}
        key = self.chart_version()
        defn = self.definitions.get(key) if key else None
        if key is None or defn is None:
            self.zrm_title.setText(self.tr("<b>ZRM per domein</b>"))
            self.charts_empty.setText(self.tr("Nog geen ZRM-metingen."))
            self.charts_empty.setVisible(True)
            return
        self.charts_empty.setVisible(False)
        self.zrm_title.setText(self.tr("<b>ZRM per domein</b> — {label}").format(
            label=key_label(self.definitions, *key)))
        same_version = [a for a in self._zrm_history() if a.definition_key == key]
        levels = [(level.value, level.name) for level in defn.levels]
        columns = 3 if self.width() >= 1250 else 2
        used = {s.item_code for a in same_version for s in a.items}
        for index, item in enumerate(i for i in defn.items if i.code in used):
            points = []
            for assessment in same_version:
                entry = assessment.score_for(item.code)
                if entry is None:
                    continue
                points.append(ChartPoint(assessment.assessed_on, entry.score, entry.target_score,
                                         assessment.target_date if entry.target_score else None))
            chart = ScoreChart()
            chart.set_data(item.name, levels, points, self.tr("doel"))
            self.charts_grid.addWidget(chart, index // columns, index % columns)
            self.charts[item.code] = chart

    def _fill_ladder(self) -> None:
        person = self._person(self.current_subject())
        self.ladder_chart.setVisible(person is not None)
        if person is None:
            return
        ladder = [a for a in self._history.get(person.id, [])
                  if self._kind(a) is InstrumentKind.LADDER]
        keys = sorted({a.definition_key for a in ladder},
                      key=lambda k: version_key(k[1]), reverse=True)
        defn: InstrumentDefinition | None = self.definitions.get(keys[0]) if keys else None
        if defn is None:
            defn = next((d for d in self.definitions.values()
                         if d.kind is InstrumentKind.LADDER), None)
        if defn is None:
            return
        points = [ChartPoint(a.assessed_on, a.items[0].score, a.items[0].target_score,
                             a.target_date)
                  for a in ladder if a.definition_key == defn.key and a.items]
        self.ladder_chart.set_data(
            self.tr("Participatieladder — {name}").format(name=person.full_name),
            [(level.value, level.name) for level in defn.levels], points,
            self.tr("haalbaar"))

    # --- comparison ------------------------------------------------------------------------

    def _fill_comparison_choices(self) -> None:
        history = list(reversed(self._zrm_history()))  # newest first
        for combo in (self.first_combo, self.second_combo):
            combo.blockSignals(True)
            combo.clear()
            for assessment in history:
                combo.addItem(
                    f"{assessment.assessed_on.strftime('%d-%m-%Y')} — "
                    f"{key_label(self.definitions, *assessment.definition_key)}",
                    assessment.id)
        # Default: the newest, and the one before it of the same version.
        if history:
            newest = history[0]
            earlier = next((i for i, a in enumerate(history[1:], start=1)
                            if a.definition_key == newest.definition_key), None)
            self.second_combo.setCurrentIndex(0)
            self.first_combo.setCurrentIndex(earlier if earlier is not None else 0)
        for combo in (self.first_combo, self.second_combo):
            combo.setEnabled(len(history) > 1)
            combo.blockSignals(False)
        self._fill_comparison()

    def _chosen(self, combo: QComboBox) -> Assessment | None:
        assessment_id = combo.currentData()
        return next((a for a in self._zrm_history() if a.id == assessment_id), None)

    def _fill_comparison(self) -> None:
        first, second = self._chosen(self.first_combo), self._chosen(self.second_combo)
        note = ""
        if first is None or second is None or len(self._zrm_history()) < 2:
            note = self.tr("Voor een vergelijking zijn minstens twee ZRM-metingen nodig.")
        elif first.id == second.id:
            note = self.tr("Kies twee verschillende metingen om te vergelijken.")
        else:
            if first.assessed_on > second.assessed_on:
                first, second = second, first  # always earlier → later
            defn = self.definitions.get(first.definition_key)
            try:
                if defn is None:
                    raise IncomparableAssessments(first.definition_id)
                rows = comparison_rows(defn, first, second)
            except IncomparableAssessments:
                note = self.tr(
                    "Deze metingen zijn gemaakt met verschillende versies ({first} en "
                    "{second}). Scores van verschillende versies zijn niet met elkaar te "
                    "vergelijken; kies twee metingen met dezelfde versie.").format(
                    first=key_label(self.definitions, *first.definition_key),
                    second=key_label(self.definitions, *second.definition_key))
            else:
                self.comparison_model.set_rows(
                    rows, first.assessed_on.strftime("%d-%m-%Y"),
                    second.assessed_on.strftime("%d-%m-%Y"))
                self.comparison_view.setEnabled(True)
                self.comparison_note.setVisible(False)
                self.comparison_view.setAccessibleDescription(self.tr(
                    "Vergelijking van {first} met {second}").format(
                    first=first.assessed_on.strftime("%d-%m-%Y"),
                    second=second.assessed_on.strftime("%d-%m-%Y")))
                return
        self.comparison_model.clear()
        self.comparison_view.setEnabled(False)
        self.comparison_note.setText(note)
        self.comparison_note.setAccessibleName(note)
        self.comparison_note.setVisible(True)

    def comparison_refused(self) -> bool:
        return self.comparison_note.isVisible() and not self.comparison_view.isEnabled()

    # --- correcting and withdrawing ---------------------------------------------------------

    def selected_assessment(self) -> AssessmentRow | None:
        index = self.table.currentIndex()
        if not index.isValid() or not 0 <= index.row() < self.model.rowCount():
            return None
        return self.model.row(index.row())

    def _update_record_actions(self) -> None:
        row = self.selected_assessment()
        counts = row is not None and row.counts
        is_ladder = row is not None and self._kind(row.assessment) is InstrumentKind.LADDER
        self.correct_button.setEnabled(counts and is_ladder)
        self.withdraw_button.setEnabled(counts)
        self.correct_button.setToolTip(
            self.tr("Een participatieladder corrigeren: de juiste waarden vastleggen met de "
                    "reden; de oorspronkelijke meting blijft in de geschiedenis.")
            if is_ladder or row is None else
            self.tr("Een ZRM corrigeert u door hem in te trekken en opnieuw af te nemen."))

    def correct_selected(self) -> None:
        row = self.selected_assessment()
        if row is None or not row.counts:
            return
        if self._kind(row.assessment) is InstrumentKind.LADDER:
            self.ladderCorrectionRequested.emit(row.assessment)

    def _ask_reason(self, description: str) -> str | None:
        dialog = WithdrawDialog(description, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.reason.text().strip()

    def withdraw_selected(self) -> None:
        row = self.selected_assessment()
        if row is None or not row.counts:
            return
        description = self.tr("De meting {instrument} van {date}").format(
            instrument=row.instrument, date=row.assessment.assessed_on.strftime("%d-%m-%Y"))
        reason = self.withdraw_reason(description)
        if reason is None:
            return
        try:
            self._assessments.withdraw(row.assessment, reason)
        except ValidationFailed as failed:
            code = failed.errors[0].code if failed.errors else None
            self.action_notice.show_message(field_text(code) if code else error_text("error"))
            return
        self.refresh()
        self.action_done.setText(self.tr("De meting is ingetrokken; zij blijft zichtbaar in "
                                         "de geschiedenis."))

    # --- actions ---------------------------------------------------------------------------

    def _request_zrm(self) -> None:
        if self.household_id and self.may_edit:
            self.zrmRequested.emit(self.current_subject() or HOUSEHOLD_SUBJECT, self.household_id)

    def _request_ladder(self) -> None:
        person = self._person(self.current_subject())
        if person is not None and self.may_edit:
            self.ladderRequested.emit(person.id)

    def open_assessment(self, row: int | QModelIndex) -> None:
        """Show a ZRM of the list read-only (ladder rows are complete in the list itself)."""
        index = row.row() if isinstance(row, QModelIndex) else row
        if not 0 <= index < self.model.rowCount():
            return
        assessment = self.model.assessment(index)
        if self._kind(assessment) is not InstrumentKind.ZRM:
            return
        from wijkteam_app.ui.forms.zrm_form import ZrmDialog  # the form loads on demand

        dialog = ZrmDialog(self._ws, self.household_id, assessment.person_id, self,
                           assessment=assessment)
        dialog.exec()
        if dialog.saved_assessment is not None:
            self.refresh()


def _level(defn: InstrumentDefinition, value: int | None) -> str:
    if value is None or not defn.has_level(value):
        return str(value)
    return f"{value} {defn.level(value).name}"


def _item_name(defn: InstrumentDefinition, code: str) -> str:
    try:
        return defn.item(code).name
    except KeyError:
        return code

