"""The caseload list with more households than a screen: the count covers them all, rows are
read as the list scrolls, a refresh keeps the worker's place, and sorting on another column
sorts all of them."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Sequence
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from pytestqt.qtbot import QtBot

from tests.helpers import factories
from wijkteam_app.domain.deadlines import Deadline, DeadlineKind
from wijkteam_app.services.households import FIRST_ROWS, CaseloadFilter, HouseholdService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.models.household_table_model import Column, HouseholdTableModel
from wijkteam_app.ui.pages.caseload_page import CaseloadPage

pytestmark = pytest.mark.gui

COUNT = FIRST_ROWS * 2 + 20


@pytest.fixture
def many(workspace: Workspace) -> Workspace:
    service = HouseholdService(workspace)
    for n in range(COUNT):
        household = factories.household(f"Huishouden {n:03d}", number=n + 1)
        members = [factories.person(household.id, f"Lid{k}", f"Proef{n:03d}",
                                    birth=date(1980, 1, 1 + k)) for k in range(1 + n % 3)]
        if n == COUNT - 1:  # the last in list order is the largest
            members += [factories.person(household.id, f"Extra{k}", "Groot")
                        for k in range(4)]
        service.create(household, members)
    return workspace


def test_a_long_caseload_counts_all_reads_as_it_scrolls_and_sorts_all(
        qtbot: QtBot, many: Workspace) -> None:
    page = CaseloadPage(many)
    qtbot.addWidget(page)
    counts: list[str] = []
    page.countChanged.connect(counts.append)
    page.resize(1200, 500)
    page.show()
    qtbot.waitExposed(page)
    page.refresh()
    assert counts[-1] == f"{COUNT} huishoudens"
    assert page.model.rowCount() < COUNT  # not everything read at once
    assert page.model.index(0, Column.NAME).data() == "Huishouden 000"

    # Scrolling to the end reads the rest, in list order.
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus)
    for _ in range(COUNT):
        qtbot.keyClick(page.table, Qt.Key.Key_PageDown)
        if page.model.rowCount() == COUNT:
            break
    assert page.model.rowCount() == COUNT
    last = page.model.index(COUNT - 1, Column.NAME).data()
    assert last == f"Huishouden {COUNT - 1:03d}"

    # A sync or a save elsewhere refreshes the same search: the place in the list stays.
    selected = page.model.summary(page.table.currentIndex().row()).id
    top = page.table.rowAt(0)
    assert top > 0
    page.refresh()
    assert page.model.summary(page.table.currentIndex().row()).id == selected
    assert page.table.rowAt(0) == top

    # A new search starts reading from the top again; sorting on Leden sorts all of them.
    page.search.setText("huishouden")
    page.refresh()
    assert page.model.rowCount() < COUNT
    page.table.sortByColumn(Column.MEMBERS, Qt.SortOrder.DescendingOrder)
    assert page.model.rowCount() == COUNT
    assert page.model.index(0, Column.NAME).data() == last
    assert page.model.index(0, Column.MEMBERS).data() == str(1 + (COUNT - 1) % 3 + 4)


def test_the_lazy_model_passes_the_model_tester(many: Workspace) -> None:
    service = HouseholdService(many)
    result = service.caseload_result(CaseloadFilter())
    model = HouseholdTableModel()
    tester = QAbstractItemModelTester(  # it reads further rows itself (fetchMore)
        model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_result(result.ids, result.rows, service.summaries)
    assert model.rowCount() == FIRST_ROWS and model.total() == COUNT
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == COUNT
    model.sort(Column.MEMBERS, Qt.SortOrder.DescendingOrder)
    model.set_result(result.ids, result.rows, service.summaries)  # sorted: reads all
    assert model.rowCount() == COUNT
    model.sort(Column.NAME, Qt.SortOrder.AscendingOrder)
    model.set_result(result.ids[:3], result.rows[:3], service.summaries)
    assert model.rowCount() == 3
    assert tester is not None


def test_selecting_a_household_further_down_reads_up_to_it(qtbot: QtBot,
                                                           many: Workspace) -> None:
    page = CaseloadPage(many)
    qtbot.addWidget(page)
    page.show()
    far = HouseholdService(many).list(f"Huishouden {COUNT - 2:03d}")[0].id
    page.reload(select_id=far)
    selected = page.table.selectionModel().selectedRows()
    assert [page.model.summary(i.row()).id for i in selected] == [far]


def test_deadline_marks_are_read_with_the_rows_and_show_on_rows_read_later(
        many: Workspace) -> None:
    """A search reads the marks of the rows it shows, not of the whole result; a row read
    later (scrolling) gets its marks then, and sorting on the marks column reads them all."""
    service = HouseholdService(many)
    result = service.caseload_result(CaseloadFilter())
    last = result.ids[-1]
    asked: list[list[str]] = []

    def marks(ids: Sequence[str]) -> dict[str, tuple[Deadline, ...]]:
        asked.append(list(ids))
        overdue = Deadline(last, "case", DeadlineKind.EVALUATIE, date(2020, 1, 1))
        return {last: (overdue,)} if last in ids else {}

    model = HouseholdTableModel()
    model.set_result(result.ids, result.rows, service.summaries, marks)
    assert asked == [[r.id for r in result.rows]]  # the first rows only
    assert model.marks(last) == ()
    while model.canFetchMore():
        model.fetchMore()
    assert sorted(i for ids in asked for i in ids) == sorted(result.ids)  # each once
    row = model.row_of(last)
    assert model.marks(last) and model.index(row, Column.DEADLINES).data()

    asked.clear()
    model.sort(Column.DEADLINES, Qt.SortOrder.AscendingOrder)  # marked households first
    model.set_result(result.ids, result.rows, service.summaries, marks)  # sorted: reads all
    assert sorted(i for ids in asked for i in ids) == sorted(result.ids)
    assert model.summary(0).id == last
