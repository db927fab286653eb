"""The "Metingen" panel: history per person, charts per version, comparing two dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from pytestqt.qtbot import QtBot

from tests.helpers.factories import household, person
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.instruments import (
    LADDER_ITEM_CODE,
    PARTICIPATIELADDER_ID,
    ZRM_2013_ID,
    ZRM_2017_ID,
    ZRM_HUISHOUDENS_ID,
    Assessment,
    InstrumentDefinition,
    ItemScore,
    latest_of,
)
from wijkteam_app.domain.people import HouseholdRole, Person
from wijkteam_app.services.assessments import AssessmentService
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.models.assessment_models import (
    AssessmentColumn,
    AssessmentTableModel,
    ComparisonColumn,
    ComparisonTableModel,
    comparison_rows,
)
from wijkteam_app.ui.pages.assessments_panel import AssessmentsPanel

pytestmark = pytest.mark.gui


@dataclass
class History:
    household_id: str
    adult: Person
    teen: Person
    zrm_2013: list[Assessment]
    zrm_2017: list[Assessment]


def zrm(defn: InstrumentDefinition, day: date, score: int, worker: str, *,
        person_id: str | None = None, household_id: str | None = None,
        has_children: bool = False, target: int | None = None) -> Assessment:
    items = tuple(ItemScore(i.code, score, target) for i in defn.items_for(has_children))
    return Assessment(new_id(), defn.id, defn.version, day, worker, items, person_id=person_id,
                      household_id=household_id,
                      target_date=day + timedelta(days=200) if target else None)


@pytest.fixture
def history(workspace: Workspace) -> History:
    today = workspace.today()
    home = household("Familie Historie")
    adult = person(home.id, "Anouk", birth=date(1980, 5, 17))
    teen = person(home.id, "Daan", birth=date(today.year - 15, 1, 1), role=HouseholdRole.KIND)
    HouseholdService(workspace).create(home, [adult, teen])
    service = AssessmentService(workspace)
    defs = service.definitions
    worker = workspace.worker.id
    z13, z17 = latest_of(defs, ZRM_2013_ID), latest_of(defs, ZRM_2017_ID)
    old = [zrm(z13, today - timedelta(days=700), 2, worker, person_id=adult.id),
           zrm(z13, today - timedelta(days=600), 3, worker, person_id=adult.id)]
    new = [zrm(z17, today - timedelta(days=300), 2, worker, person_id=adult.id, target=4),
           zrm(z17, today - timedelta(days=150), 3, worker, person_id=adult.id),
           zrm(z17, today - timedelta(days=10), 4, worker, person_id=adult.id)]
    for assessment in old + new:
        service.record(assessment)
    ladder = latest_of(defs, PARTICIPATIELADDER_ID)
    for days, rung in ((300, 2), (10, 3)):
        service.record(Assessment(
            new_id(), ladder.id, ladder.version, today - timedelta(days=days), worker,
            (ItemScore(LADDER_ITEM_CODE, rung, rung + 1),), person_id=adult.id,
            target_date=today + timedelta(days=100)))
    service.record(zrm(latest_of(defs, ZRM_HUISHOUDENS_ID), today - timedelta(days=20), 3,
                       worker, household_id=home.id, has_children=True))
    return History(home.id, adult, teen, old, new)


@pytest.fixture
def panel(qtbot: QtBot, workspace: Workspace, history: History) -> AssessmentsPanel:
    widget = AssessmentsPanel(workspace)
    qtbot.addWidget(widget)
    widget.resize(1300, 620)
    widget.show()
    qtbot.waitExposed(widget)
    widget.show_household(history.household_id)
    return widget


def test_lists_assessments_per_person_newest_first(panel: AssessmentsPanel,
                                                   history: History) -> None:
    assert panel.current_subject() == history.adult.id
    assert panel.subject_title.text() == "Anouk Proefmans"
    assert panel.model.rowCount() == 7
    dates = [panel.model.assessment(r).assessed_on for r in range(7)]
    assert dates == sorted(dates, reverse=True)
    instruments = {panel.model.index(r, AssessmentColumn.INSTRUMENT).data() for r in range(7)}
    assert instruments == {"ZRM 2013", "ZRM 2017", "Participatieladder 2008"}
    assert panel.model.index(0, AssessmentColumn.ASSESSOR).data() == "Lokale gebruiker"
    assert panel.model.headerData(AssessmentColumn.ASSESSOR, Qt.Orientation.Horizontal) == (
        "Afgenomen door")
    texts = [panel.subjects.item(r).text() for r in range(panel.subjects.count())]
    assert texts[0].startswith("Huishouden als geheel\n1 meting")
    assert texts[1].endswith("7 metingen")


def test_household_subject_and_requests(qtbot: QtBot, panel: AssessmentsPanel,
                                        history: History) -> None:
    with qtbot.waitSignal(panel.zrmRequested) as zrm_signal:
        qtbot.mouseClick(panel.new_zrm_button, Qt.MouseButton.LeftButton)
    assert zrm_signal.args == [history.adult.id, history.household_id]
    with qtbot.waitSignal(panel.ladderRequested) as ladder_signal:
        qtbot.mouseClick(panel.new_ladder_button, Qt.MouseButton.LeftButton)
    assert ladder_signal.args == [history.adult.id]

    panel.subjects.setFocus()
    qtbot.keyClick(panel.subjects, Qt.Key.Key_Home)
    assert panel.current_subject() == ""
    assert panel.model.rowCount() == 1
    assert not panel.new_ladder_button.isEnabled()
    assert not panel.ladder_chart.isVisible()
    with qtbot.waitSignal(panel.zrmRequested) as household_signal:
        qtbot.mouseClick(panel.new_zrm_button, Qt.MouseButton.LeftButton)
    assert household_signal.args == ["", history.household_id]

    qtbot.keyClick(panel.subjects, Qt.Key.Key_End)
    assert panel.current_subject() == history.teen.id
    assert panel.model.rowCount() == 0
    assert panel.empty_label.isVisible()


def test_charts_show_one_version_at_a_time(qtbot: QtBot, panel: AssessmentsPanel,
                                           history: History) -> None:
    panel.tabs.setCurrentIndex(1)
    assert panel.version_combo.count() == 2
    assert panel.version_combo.isEnabled()
    assert panel.version_combo.currentText() == "ZRM 2017"  # most recently used first
    assert len(panel.charts) == 13
    finance = panel.charts["financien"]
    assert [p.value for p in finance.points] == [2, 3, 4]
    assert finance.points[0].target == 4
    summary = finance.accessibleDescription()
    assert summary.startswith("Financiën: ")
    assert "doel 4 (Voldoende zelfredzaam)" in summary

    panel.version_combo.setFocus()
    qtbot.keyClick(panel.version_combo, Qt.Key.Key_Down)
    assert panel.version_combo.currentText() == "ZRM 2013"
    assert len(panel.charts) == 11
    assert [p.value for p in panel.charts["financien"].points] == [2, 3]
    assert [(p.value, p.target) for p in panel.ladder_chart.points] == [(2, 3), (3, 4)]


def test_comparison_within_one_version(qtbot: QtBot, panel: AssessmentsPanel,
                                       history: History) -> None:
    panel.tabs.setCurrentIndex(2)
    # Default: the newest and the one before it of the same version.
    assert not panel.comparison_refused()
    model = panel.comparison_model
    assert model.rowCount() == 13
    first, second = history.zrm_2017[1].assessed_on, history.zrm_2017[2].assessed_on
    assert model.headerData(ComparisonColumn.FIRST, Qt.Orientation.Horizontal) == (
        first.strftime("%d-%m-%Y"))
    assert model.headerData(ComparisonColumn.SECOND, Qt.Orientation.Horizontal) == (
        second.strftime("%d-%m-%Y"))
    assert model.index(0, ComparisonColumn.DOMAIN).data() == "Financiën"
    assert model.index(0, ComparisonColumn.FIRST).data() == "3 Beperkt zelfredzaam"
    assert model.index(0, ComparisonColumn.SECOND).data() == "4 Voldoende zelfredzaam"
    assert model.index(0, ComparisonColumn.CHANGE).data() == "↑ +1"
    assert model.index(0, ComparisonColumn.CHANGE).data(
        Qt.ItemDataRole.AccessibleTextRole) == "gestegen met 1"


def test_comparison_refused_between_versions(qtbot: QtBot, panel: AssessmentsPanel,
                                             history: History) -> None:
    panel.tabs.setCurrentIndex(2)
    combo = panel.first_combo
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_End)  # the oldest: a ZRM 2013
    assert "ZRM 2013" in combo.currentText()
    assert "ZRM 2017" in panel.second_combo.currentText()
    assert panel.comparison_refused()
    assert panel.comparison_model.rowCount() == 0
    assert not panel.comparison_view.isEnabled()
    note = panel.comparison_note.text()
    assert "verschillende versies (ZRM 2013 en ZRM 2017)" in note
    assert "niet met elkaar te vergelijken" in note

    panel.second_combo.setFocus()
    qtbot.keyClick(panel.second_combo, Qt.Key.Key_End)  # also the oldest: the same one
    assert panel.comparison_note.text() == "Kies twee verschillende metingen om te vergelijken."
    qtbot.keyClick(panel.second_combo, Qt.Key.Key_Up)  # the other ZRM 2013
    assert not panel.comparison_refused()
    assert panel.comparison_model.index(0, ComparisonColumn.CHANGE).data() == "↑ +1"


def test_assessment_table_model_passes_model_tester(workspace: Workspace, panel: AssessmentsPanel,
                                                    history: History) -> None:
    rows = [panel.model.row(r) for r in range(panel.model.rowCount())]
    model = AssessmentTableModel()
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_rows(rows)
    assert model.rowCount() == 7
    for row in range(model.rowCount()):
        for column in AssessmentColumn:
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                         Qt.ItemDataRole.UserRole, Qt.ItemDataRole.AccessibleTextRole):
                model.index(row, column).data(role)
    model.set_rows(rows[:2])
    model.set_rows([])
    model.set_rows(rows)
    assert tester is not None


def test_comparison_table_model_passes_model_tester(workspace: Workspace,
                                                    history: History) -> None:
    defs = AssessmentService(workspace).definitions
    defn = defs[history.zrm_2017[0].definition_key]
    rows = comparison_rows(defn, history.zrm_2017[0], history.zrm_2017[2])
    model = ComparisonTableModel()
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_rows(rows, "a", "b")
    assert model.rowCount() == 13
    assert model.index(0, ComparisonColumn.CHANGE).data() == "↑ +2"
    for row in range(model.rowCount()):
        for column in ComparisonColumn:
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole,
                         Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.UserRole):
                model.index(row, column).data(role)
    model.set_rows(rows[:3], "c", "d")
    model.clear()
    assert model.rowCount() == 0
    assert tester is not None


def test_refresh_after_a_new_assessment_keeps_the_person(
        workspace: Workspace, panel: AssessmentsPanel, history: History) -> None:
    panel.select_subject(history.teen.id)
    defs = AssessmentService(workspace).definitions
    youth = next(d for d in defs.values() if d.min_age == 12 and d.kind.value == "zrm")
    AssessmentService(workspace).record(
        zrm(youth, workspace.today(), 4, workspace.worker.id, person_id=history.teen.id))
    panel.refresh()
    assert panel.current_subject() == history.teen.id
    assert panel.model.rowCount() == 1
    assert panel.model.index(0, AssessmentColumn.INSTRUMENT).data() == "ZRM-Jongeren 1.0"
