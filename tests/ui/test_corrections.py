"""Correcting and withdrawing a recorded measurement from the Metingen tab: a correction record
takes the old one's place, the history keeps both, each step is audited and goes into the
outbox like any other save; the page stays on Metingen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from tests.helpers.factories import household, person
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.instruments import LADDER_ITEM_CODE, Assessment, ItemScore
from wijkteam_app.domain.people import Person
from wijkteam_app.domain.validation import ErrorCode, ValidationFailed
from wijkteam_app.persistence.schema import AuditRecord, OutboxRecord
from wijkteam_app.services.assessments import AssessmentService
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.forms.ladder_form import LadderDialog, ladder_definition
from wijkteam_app.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def member(workspace: Workspace) -> Person:
    home = household("Familie Trede")
    adult = person(home.id, "Sanne", birth=date(1979, 9, 12))
    HouseholdService(workspace).create(home, [adult])
    return adult


def ladder(workspace: Workspace, member: Person, rung: int, potential: int | None,
           days_ago: int = 10) -> Assessment:
    service = AssessmentService(workspace)
    defn = ladder_definition(service.definitions)
    assert defn is not None
    assessment = Assessment(new_id(), defn.id, defn.version,
                            workspace.today() - timedelta(days=days_ago), workspace.actor_id,
                            (ItemScore(LADDER_ITEM_CODE, rung, potential),),
                            person_id=member.id)
    service.record(assessment)
    return assessment


def when_modal(qtbot: QtBot, kind: type[QWidget], act: Callable[[QWidget], None]) -> None:
    """Run `act` on the next modal dialog of `kind` once it is open (exec() blocks)."""
    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind) and widget.isVisible():
            act(widget)
        else:
            QTimer.singleShot(10, poll)
    QTimer.singleShot(0, poll)


def open_metingen(qtbot: QtBot, workspace: Workspace, member: Person) -> MainWindow:
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.open_household(member.household_id)
    window.household.tabs.setCurrentWidget(window.household.assessments_tab)
    window.assessments.select_subject(member.id)
    return window


def test_a_swapped_ladder_is_corrected_and_the_history_keeps_both(
        qtbot: QtBot, workspace: Workspace, member: Person) -> None:
    wrong = ladder(workspace, member, 4, None)
    window = open_metingen(qtbot, workspace, member)
    panel = window.assessments
    assert panel.model.rowCount() == 1
    panel.table.selectRow(0)
    assert panel.correct_button.isEnabled()

    def correct(widget: QWidget) -> None:
        assert isinstance(widget, LadderDialog)
        assert widget.windowTitle() == "Participatieladder corrigeren — Sanne Proefmans"
        assert (widget.current.score(), widget.potential.score()) == (4, None)
        widget.save()  # no reason yet: refused at the field, nothing stored
        assert widget.reason_error.text() == "Geef de reden van de correctie."
        widget.current.set_score(2)
        widget.potential.set_score(4)
        qtbot.keyClicks(widget.reason, "Huidige en haalbare trede waren verwisseld")
        assert widget.save()

    when_modal(qtbot, LadderDialog, correct)
    audit_before = count(workspace, AuditRecord)
    outbox_before = count(workspace, OutboxRecord)
    qtbot.mouseClick(panel.correct_button, Qt.MouseButton.LeftButton)

    # The page stays on Metingen and shows both records; only the correction counts.
    assert window.household.tabs.currentWidget() is window.household.assessments_tab
    service = AssessmentService(workspace)
    records = service.records(person_id=member.id)
    assert len(records) == 2
    [counting] = service.history(person_id=member.id)
    assert counting.corrects_id == wrong.id
    assert counting.correction_reason == "Huidige en haalbare trede waren verwisseld"
    assert (counting.items[0].score, counting.items[0].target_score) == (2, 4)
    assert [(p.value, p.target) for p in panel.ladder_chart.points] == [(2, 4)]
    summaries = [panel.model.row(r).summary for r in range(panel.model.rowCount())]
    assert summaries[0].startswith("Correctie: Trede 2")
    assert summaries[1].startswith("Gecorrigeerd: Trede 4")
    assert not panel.model.row(1).counts
    # One save: one audit entry and one change-set (it syncs like any record).
    assert count(workspace, AuditRecord) == audit_before + 1
    assert count(workspace, OutboxRecord) == outbox_before + 1
    with workspace.casefile.read() as session:
        last = session.scalars(select(AuditRecord).order_by(AuditRecord.id.desc())).first()
        change = session.scalars(select(OutboxRecord).order_by(OutboxRecord.seq.desc())).first()
    assert last is not None and last.action == "ladder.corrigeren"
    assert change is not None
    [entity] = change.changes
    assert entity["entity"] == "assessment" and entity["op"] == "insert"
    assert entity["fields"]["corrects_id"]["new"] == wrong.id


def test_a_measurement_is_withdrawn_with_a_reason_and_stays_visible(
        qtbot: QtBot, workspace: Workspace, member: Person) -> None:
    first = ladder(workspace, member, 3, 5, days_ago=40)
    ladder(workspace, member, 1, None, days_ago=5)  # recorded for the wrong person
    window = open_metingen(qtbot, workspace, member)
    panel = window.assessments
    panel.table.selectRow(0)
    panel.withdraw_reason = lambda _what: ""
    panel.withdraw_selected()  # an empty reason is refused
    assert panel.action_notice.text() == "Dit veld is verplicht."
    panel.withdraw_reason = lambda _what: "Bij de verkeerde persoon vastgelegd"
    panel.withdraw_selected()
    assert [a.id for a in AssessmentService(workspace).history(person_id=member.id)] == \
        [first.id]
    assert panel.model.rowCount() == 3
    assert any(panel.model.row(r).summary.startswith("Intrekking van de meting")
               for r in range(panel.model.rowCount()))
    assert [(p.value, p.target) for p in panel.ladder_chart.points] == [(3, 5)]
    with workspace.casefile.read() as session:
        last = session.scalars(select(AuditRecord).order_by(AuditRecord.id.desc())).first()
    assert last is not None and last.action == "ladder.intrekken"


def test_a_corrected_measurement_cannot_be_corrected_again(
        workspace: Workspace, member: Person) -> None:
    wrong = ladder(workspace, member, 4, None)
    service = AssessmentService(workspace)
    service.withdraw(wrong, "dubbel")
    with pytest.raises(ValidationFailed) as refused:
        service.withdraw(wrong, "nog eens")
    assert refused.value.errors[0].code is ErrorCode.ALREADY_CORRECTED


def test_saving_a_ladder_from_metingen_stays_on_metingen(
        qtbot: QtBot, workspace: Workspace, member: Person) -> None:
    """Observed: saving a new rung from the Metingen tab jumped back to Overzicht."""
    window = open_metingen(qtbot, workspace, member)

    def record(widget: QWidget) -> None:
        assert isinstance(widget, LadderDialog)
        widget.current.set_score(3)
        assert widget.save()

    when_modal(qtbot, LadderDialog, record)
    qtbot.mouseClick(window.assessments.new_ladder_button, Qt.MouseButton.LeftButton)
    assert window.household.tabs.currentWidget() is window.household.assessments_tab
    assert window.assessments.model.rowCount() == 1


def count(workspace: Workspace, table: type) -> int:
    with workspace.casefile.read() as session:
        return len(list(session.scalars(select(table))))
