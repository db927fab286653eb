"""The household page and its editing dialogs, driven by keys and clicks; and every table
model of the page under Qt's model tester."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dataclasses import dataclass, replace
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QAbstractButton, QDialog, QTableView, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from wijkteam_app.domain.cases import (
    Case,
    CaseStatus,
    Complexity,
    Consent,
    ContactKind,
    ContactMoment,
    ProblemArea,
    ReferralSource,
    UrgencyCriterion,
)
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.people import (
    Address,
    Household,
    HouseholdRole,
    NetworkMember,
    Person,
    Professional,
)
from wijkteam_app.domain.validation import ErrorCode
from wijkteam_app.messages import error_message, field_message
from wijkteam_app.persistence.schema import OutboxRecord
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.dialogs.household_dialogs import (
    ContactDialog,
    NetworkMemberDialog,
    PersonDialog,
)
from wijkteam_app.ui.models.household_models import (
    CaseRow,
    CasesModel,
    ConsentsModel,
    ContactsModel,
    MembersModel,
    NetworkModel,
    ProfessionalsModel,
    RowTableModel,
    mask_bsn,
)
from wijkteam_app.ui.pages.household_page import HouseholdPage

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier


@dataclass
class Family:
    household: Household
    mother: Person
    father: Person
    child: Person
    case: Case


def years_ago(today: date, years: int, days: int = 40) -> date:
    return date(today.year - years, today.month, min(today.day, 28)) - timedelta(days=days)


def make_family(workspace: Workspace) -> Family:
    service = HouseholdService(workspace)
    today = workspace.today()
    household = Household(new_id(), "Huishouden Voorbeeld",
                          Address("Proefstraat", 12, "A", "1234 AB", "Verzinstad"), "Noord")
    mother = Person(new_id(), household.id, "Anouk", "Voorbeeld", HouseholdRole.HOOFDBEWONER,
                    birth_date=years_ago(today, 41), bsn="999999990")
    father = Person(new_id(), household.id, "Bram", "Voorbeeld", HouseholdRole.PARTNER,
                    birth_date=years_ago(today, 43))
    child = Person(new_id(), household.id, "Daan", "Voorbeeld", HouseholdRole.KIND,
                   birth_date=years_ago(today, 9), gezag_holder_ids=(mother.id, father.id))
    service.create(household, [mother, father, child])
    case = Case(new_id(), household.id, workspace.team.id, workspace.actor_id,
                CaseStatus.UITVOERING, ReferralSource.HUISARTS, today - timedelta(days=60),
                complexity=Complexity.MEERVOUDIG,
                urgency=(UrgencyCriterion.VOORMALIGE_VET_ZAAK,
                         UrgencyCriterion.HUISELIJK_GEWELD),
                client_profile=4, problem_areas=(ProblemArea.INKOMEN, ProblemArea.GEZONDHEID),
                next_evaluation=today + timedelta(days=30))
    service.save_case(case)
    for organisation in ("Huisartsenpraktijk Voorbeeldstad", "Schuldhulp Verzinstad",
                         "Jeugdteam Noord"):
        service.save_professional(Professional(new_id(), household.id, organisation))
    service.save_network_member(NetworkMember(new_id(), household.id, "Oma Voorbeeld",
                                              "Oma", "Haalt Daan van school"))
    for minutes, days in ((600, 50), (150, 20)):
        service.save_contact(ContactMoment(new_id(), case.id, today - timedelta(days=days),
                                           minutes, ContactKind.HUISBEZOEK,
                                           workspace.actor_id, "Anouk", "Gesprek"))
    service.save_consent(Consent(new_id(), household.id, mother.id, "Huisarts",
                                 "Afstemmen", today - timedelta(days=50), workspace.actor_id))
    return Family(household, mother, father, child, case)


def outbox_count(workspace: Workspace) -> int:
    with workspace.casefile.read() as session:
        return session.scalar(select(func.count()).select_from(OutboxRecord)) or 0


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    pos = QPoint(9, button.height() // 2) if button.isCheckable() else button.rect().center()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=pos)


def click_row(qtbot: QtBot, table: QTableView, row: int) -> None:
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def column_texts(table: QTableView, column: int) -> list[str]:
    model = table.model()
    return [model.index(r, column).data() for r in range(model.rowCount())]


@pytest.fixture
def family(workspace: Workspace) -> Family:
    return make_family(workspace)


@pytest.fixture
def page(qtbot: QtBot, workspace: Workspace, family: Family) -> HouseholdPage:
    widget = HouseholdPage(workspace)
    qtbot.addWidget(widget)
    widget.resize(1366, 720)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    widget.show_household(family.household.id)
    return widget


def test_page_shows_members_gezag_professionals_urgency_and_journal_total(
        page: HouseholdPage, family: Family) -> None:
    assert page.title.text() == "Huishouden Voorbeeld"
    assert page.address_label.text() == "Proefstraat 12A, 1234 AB Verzinstad · Wijk Noord"
    # Urgency: crisis-sensitive first, in red.
    assert page.badge_texts() == ["Huiselijk geweld", "Voormalige VET-zaak"]
    crisis, other = page.live_badges()
    assert "#b42318" in crisis.styleSheet()
    assert "#b42318" not in other.styleSheet()
    assert page.badges.isVisible()

    names = column_texts(page.members_table, 0)
    assert names == ["Bram Voorbeeld", "Anouk Voorbeeld", "Daan Voorbeeld"]  # oldest first
    ages = dict(zip(names, column_texts(page.members_table, 1), strict=True))
    assert ages == {"Daan Voorbeeld": "9", "Anouk Voorbeeld": "41", "Bram Voorbeeld": "43"}
    gezag = dict(zip(names, column_texts(page.members_table, 5), strict=True))
    assert gezag["Daan Voorbeeld"] == "Gezag: Anouk Voorbeeld, Bram Voorbeeld"
    assert gezag["Anouk Voorbeeld"] == ""
    bsn = dict(zip(names, column_texts(page.members_table, 4), strict=True))
    assert bsn["Anouk Voorbeeld"] == "******990"
    assert bsn["Bram Voorbeeld"] == "onbekend"

    assert page.tabs.tabText(2) == "Professionals (3)"
    assert page.tabs.tabText(1) == "Netwerk (1)"
    assert page.case_fields["status"].text() == "Uitvoering"
    assert page.case_fields["client_profile"].text().startswith("4 – ")
    assert page.case_fields["problem_areas"].text() == "Inkomen, Gezondheid"
    assert page.total_label.text() == "Totaal: 12 u 30 min"
    assert page.contacts_model.rowCount() == 2


def test_ctrl_number_switches_tabs(qtbot: QtBot, page: HouseholdPage) -> None:
    for n in range(6):
        qtbot.keyClick(page.members_table, getattr(Qt.Key, f"Key_{n + 1}"), CTRL)
        assert page.tabs.currentIndex() == n
    assert page.tabs.currentWidget() is page.assessments_tab
    assert page.assessments_container.parent() is page.assessments_tab


def test_adding_a_contact_through_its_dialog_updates_the_total(
        qtbot: QtBot, page: HouseholdPage, workspace: Workspace, family: Family) -> None:
    qtbot.keyClick(page.members_table, Qt.Key.Key_4, CTRL)
    click(qtbot, page.add_contact_button)
    dialog = page.active_dialog
    assert isinstance(dialog, ContactDialog)
    qtbot.waitExposed(dialog)
    assert dialog.on.text() == workspace.today().strftime("%d-%m-%Y")

    # Without a duration it is refused at the field.
    before = outbox_count(workspace)
    qtbot.keyClicks(dialog.with_whom, "Anouk en Bram")
    click(qtbot, dialog.save_button)
    assert dialog.isVisible()
    assert dialog.errors.message_for("duration_minutes") == "Vul de duur in minuten in."
    assert outbox_count(workspace) == before

    qtbot.keyClick(dialog.duration, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(dialog.duration, "45")
    qtbot.keyClicks(dialog.notes_edit, "Keukentafelgesprek gevoerd.")
    with qtbot.waitSignal(dialog.finished, timeout=5_000):
        click(qtbot, dialog.save_button)
    assert page.total_label.text() == "Totaal: 13 u 15 min"
    assert page.contacts_model.rowCount() == 3
    assert "Anouk en Bram" in column_texts(page.contacts_table, 3)
    (overview,) = HouseholdService(workspace).cases(family.household.id)
    assert overview.total_minutes == 795


def test_contact_in_the_future_is_refused(qtbot: QtBot, page: HouseholdPage,
                                          workspace: Workspace) -> None:
    page.tabs.setCurrentIndex(3)
    click(qtbot, page.add_contact_button)
    dialog = page.active_dialog
    assert isinstance(dialog, ContactDialog)
    qtbot.keyClick(dialog.on, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(dialog.on, (workspace.today() + timedelta(days=3)).strftime("%d-%m-%Y"))
    qtbot.keyClick(dialog.duration, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(dialog.duration, "30")
    qtbot.keyClick(dialog.with_whom, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.errors.message_for("on") == field_message(ErrorCode.DATE_IN_FUTURE)
    assert page.total_label.text() == "Totaal: 12 u 30 min"


def test_person_dialog_refuses_invalid_bsn(qtbot: QtBot, page: HouseholdPage,
                                           workspace: Workspace, family: Family) -> None:
    click(qtbot, page.add_person_button)
    dialog = page.active_dialog
    assert isinstance(dialog, PersonDialog)
    qtbot.keyClicks(dialog.first_name, "Noor")
    qtbot.keyClicks(dialog.last_name, "Voorbeeld")
    qtbot.keyClicks(dialog.birth_date, years_ago(workspace.today(), 4).strftime("%d-%m-%Y"))
    assert dialog.gezag_box.isVisible()
    qtbot.keyClicks(dialog.bsn, "123456789")  # fails the 11-proef
    qtbot.keyClick(dialog.bsn, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.errors.message_for("bsn") == field_message(ErrorCode.BSN_INVALID)
    assert len(HouseholdService(workspace).get(family.household.id).members) == 3

    qtbot.keyClick(dialog.bsn, Qt.Key.Key_A, CTRL)
    qtbot.keyClick(dialog.bsn, Qt.Key.Key_Delete)
    click(qtbot, dialog.gezag_checks[family.mother.id])
    with qtbot.waitSignal(dialog.finished, timeout=5_000):
        qtbot.keyClick(dialog.bsn, Qt.Key.Key_Return)
    members = HouseholdService(workspace).get(family.household.id).members
    noor = next(m for m in members if m.first_name == "Noor")
    assert noor.gezag_holder_ids == (family.mother.id,)
    assert "Gezag: Anouk Voorbeeld" in column_texts(page.members_table, 5)


def test_stale_edit_says_so_and_reloads(qtbot: QtBot, page: HouseholdPage,
                                        workspace: Workspace, family: Family) -> None:
    qtbot.keyClick(page.members_table, Qt.Key.Key_2, CTRL)
    click_row(qtbot, page.network_table, 0)
    click(qtbot, page.edit_network_button)
    dialog = page.active_dialog
    assert isinstance(dialog, NetworkMemberDialog)
    # Meanwhile the record changes elsewhere.
    service = HouseholdService(workspace)
    current = service.get(family.household.id).network[0]
    service.save_network_member(replace(current, phone="06-00000000"))

    qtbot.keyClicks(dialog.support, " en kookt op woensdag")
    with qtbot.waitSignal(dialog.finished, timeout=5_000):
        click(qtbot, dialog.save_button)
    assert page.notice.isVisible()
    assert page.notice.text() == error_message("stale_version")
    stored = service.get(family.household.id).network[0]
    assert stored.support == "Haalt Daan van school"
    assert column_texts(page.network_table, 3) == ["06-00000000"]


def test_withdrawing_consent_and_removing_a_professional(
        qtbot: QtBot, page: HouseholdPage, workspace: Workspace, family: Family) -> None:
    asked: list[str] = []

    def yes(_parent: object, title: str, _text: str) -> bool:
        asked.append(title)
        return True

    page.confirm = yes
    qtbot.keyClick(page.members_table, Qt.Key.Key_5, CTRL)
    click_row(qtbot, page.consents_table, 0)
    click(qtbot, page.withdraw_consent_button)
    assert column_texts(page.consents_table, 5) == [
        "Ingetrokken op " + workspace.today().strftime("%d-%m-%Y")]
    assert page.tabs.tabText(4) == "Toestemming (0)"

    qtbot.keyClick(page.consents_table, Qt.Key.Key_3, CTRL)
    click_row(qtbot, page.professionals_table, 0)
    click(qtbot, page.remove_professional_button)
    assert page.tabs.tabText(2) == "Professionals (2)"
    assert asked == ["Toestemming intrekken", "Professional verwijderen"]


def test_zrm_and_ladder_requests_carry_the_chosen_person(
        qtbot: QtBot, page: HouseholdPage, family: Family) -> None:
    row = page.members_model.row_of(family.mother.id)
    click_row(qtbot, page.members_table, row)
    with qtbot.waitSignal(page.zrmRequested) as zrm:
        click(qtbot, page.zrm_button)
    assert zrm.args == [family.mother.id, family.household.id]
    with qtbot.waitSignal(page.ladderRequested) as ladder:
        click(qtbot, page.ladder_button)
    assert ladder.args == [family.mother.id]
    with qtbot.waitSignal(page.zrmRequested) as household_zrm:
        click(qtbot, page.household_zrm_button)
    assert household_zrm.args == ["", family.household.id]
    with qtbot.waitSignal(page.backRequested):
        click(qtbot, page.back_button)


def test_escape_cancels_a_dialog_without_saving(qtbot: QtBot, page: HouseholdPage,
                                                workspace: Workspace) -> None:
    before = outbox_count(workspace)
    click(qtbot, page.edit_household_button)
    dialog = page.active_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.findChild(QAbstractButton) or dialog, "")
    with qtbot.waitSignal(dialog.finished, timeout=5_000):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert outbox_count(workspace) == before


def selected_ids(page: HouseholdPage) -> list[str]:
    selection = page.members_table.selectionModel()
    return [page.members_model.item(i.row()).id for i in selection.selectedRows()]


def test_dialogs_open_with_the_focus_on_their_first_field(
        qtbot: QtBot, page: HouseholdPage, family: Family) -> None:
    """Not on Opslaan (Qt's choice: the first widget in the tab order is the hidden draft
    offer's button, so it would focus the default button)."""
    openers = [
        (page.edit_household_button, "name"),
        (page.add_person_button, "first_name"),
        (page.edit_case_button, "status"),
        (page.add_network_button, "name"),
        (page.add_professional_button, "organisation"),
        (page.add_contact_button, "on"),
        (page.add_consent_button, "recipient"),
    ]
    for button, field in openers:
        button.click()
        dialog = page.active_dialog
        assert dialog is not None
        qtbot.waitExposed(dialog)
        qtbot.waitUntil(dialog.isActiveWindow)
        assert dialog.focusWidget() is dialog.form.findChild(QWidget, field), field
        assert not dialog.save_button.hasFocus()
        with qtbot.waitSignal(dialog.finished):
            dialog.reject()


def test_dialog_with_a_draft_opens_on_the_offer_and_then_the_first_field(
        qtbot: QtBot, page: HouseholdPage) -> None:
    page.add_network_button.click()
    dialog = page.active_dialog
    assert isinstance(dialog, NetworkMemberDialog)
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.name, "Oma")
    dialog.keeper.flush()
    dialog.done(QDialog.DialogCode.Rejected)  # closed without Annuleren: the draft stays
    qtbot.waitUntil(lambda: page.active_dialog is None)

    page.add_network_button.click()
    again = page.active_dialog
    assert isinstance(again, NetworkMemberDialog)
    qtbot.waitExposed(again)
    qtbot.waitUntil(again.isActiveWindow)
    assert again.offer.isVisible()
    assert again.focusWidget() is again.offer.yes_button
    qtbot.keyClick(again.offer.yes_button, Qt.Key.Key_Space)
    assert again.name.text() == "Oma"
    assert again.focusWidget() is again.name
    again.reject()


def test_shortcuts_open_the_frequent_actions_from_any_tab(
        qtbot: QtBot, page: HouseholdPage, family: Family) -> None:
    shortcuts = {name: shortcut.key().toString() for name, shortcut in page.shortcuts.items()}
    assert shortcuts == {"add_person": "Ctrl+Shift+N", "zrm": "Ctrl+Shift+Z",
                         "ladder": "Ctrl+Shift+P", "add_network_member": "Ctrl+Shift+E",
                         "add_contact": "Ctrl+Shift+C"}
    # Shown where a mouse user looks: the buttons' tooltips.
    assert "Ctrl+Shift+Z" in page.zrm_button.toolTip()
    assert "Ctrl+Shift+E" in page.add_network_button.toolTip()
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    expected = [(Qt.Key.Key_E, NetworkMemberDialog, 1), (Qt.Key.Key_C, ContactDialog, 3),
                (Qt.Key.Key_N, PersonDialog, 0)]
    for key, kind, tab in expected:
        page.tabs.setCurrentIndex(5)  # Metingen: far from where the action shows
        page.tabs.currentWidget().setFocus()
        qtbot.keyClick(page.focusWidget() or page, key, ctrl_shift)
        dialog = page.active_dialog
        assert isinstance(dialog, kind)
        assert page.tabs.currentIndex() == tab
        with qtbot.waitSignal(dialog.finished):
            dialog.reject()

    mother = page.members_model.row_of(family.mother.id)
    click_row(qtbot, page.members_table, mother)
    page.tabs.setCurrentIndex(2)
    with qtbot.waitSignal(page.zrmRequested) as zrm:
        qtbot.keyClick(page.professionals_table, Qt.Key.Key_Z, ctrl_shift)
    assert zrm.args == [family.mother.id, family.household.id]
    with qtbot.waitSignal(page.ladderRequested) as ladder:
        qtbot.keyClick(page.professionals_table, Qt.Key.Key_P, ctrl_shift)
    assert ladder.args == [family.mother.id]


def test_the_selected_member_stays_selected_after_a_reload(
        qtbot: QtBot, page: HouseholdPage, family: Family) -> None:
    # Opened: the first person is selected (not only current), so Ctrl+Shift+Z works at once.
    assert selected_ids(page) == [page.members_model.item(0).id]
    assert page.selected_person() == page.members_model.item(0)
    click_row(qtbot, page.members_table, page.members_model.row_of(family.mother.id))
    assert selected_ids(page) == [family.mother.id]
    # After a ZRM or ladder the main window shows the same household again.
    page.show_household(family.household.id)
    assert selected_ids(page) == [family.mother.id]
    page.reload()
    assert selected_ids(page) == [family.mother.id]
    assert page.members_table.currentIndex().row() == page.members_model.row_of(
        family.mother.id)


def test_a_saved_person_is_selected(qtbot: QtBot, page: HouseholdPage) -> None:
    page.add_person_button.click()
    dialog = page.active_dialog
    assert isinstance(dialog, PersonDialog)
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.first_name, "Eva")
    qtbot.keyClicks(dialog.last_name, "Voorbeeld")
    qtbot.keyClicks(dialog.birth_date, "01-02-1950")
    with qtbot.waitSignal(dialog.finished):
        qtbot.keyClick(dialog.birth_date, Qt.Key.Key_Return)
    selected = page.selected_person()
    assert selected is not None and selected.first_name == "Eva"


# --- the models under Qt's model tester -------------------------------------------------------

def exercise(model: RowTableModel[object], rows: list[object]) -> None:
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_rows(rows)
    for column in range(model.columnCount()):
        model.sort(column, Qt.SortOrder.AscendingOrder)
        model.sort(column, Qt.SortOrder.DescendingOrder)
    model.set_rows(rows[:1])
    model.set_rows([])
    model.set_rows(rows)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.rowCount() == len(rows)
    assert tester is not None


def test_every_table_model_passes_the_model_tester(workspace: Workspace,
                                                   family: Family) -> None:
    data = HouseholdService(workspace).page(family.household.id)
    detail = data.detail
    today = workspace.today()
    names = {p.id: p.full_name for p in detail.members}
    contacts = list(data.cases[0].contacts)
    models_and_rows: list[tuple[RowTableModel[object], list[object]]] = [
        (MembersModel(today=today), list(detail.members)),  # type: ignore[list-item]
        (NetworkModel(), list(detail.network)),  # type: ignore[list-item]
        (ProfessionalsModel(), list(detail.professionals)),  # type: ignore[list-item]
        (ContactsModel(worker_names=data.worker_names), contacts),  # type: ignore[list-item]
        (ConsentsModel(person_names=names, today=today),  # type: ignore[list-item]
         list(data.consents)),
        (CasesModel(worker_names=data.worker_names),  # type: ignore[list-item]
         [CaseRow(c.case, c.total_minutes) for c in data.cases]),
    ]
    for model, rows in models_and_rows:
        assert rows, type(model).__name__
        exercise(model, rows)


def test_sort_keeps_persistent_indexes_and_sorts_by_age(workspace: Workspace,
                                                        family: Family) -> None:
    from PySide6.QtCore import QPersistentModelIndex

    detail = HouseholdService(workspace).get(family.household.id)
    model = MembersModel(today=workspace.today())
    model.set_rows(detail.members)
    anouk = QPersistentModelIndex(model.index(model.row_of(family.mother.id), 2))
    model.sort(1, Qt.SortOrder.DescendingOrder)  # by age, oldest first
    assert [model.index(r, 0).data() for r in range(3)] == [
        "Bram Voorbeeld", "Anouk Voorbeeld", "Daan Voorbeeld"]
    assert model.item(anouk.row()).id == family.mother.id
    assert anouk.column() == 2


def test_mask_bsn_shows_only_the_last_three_digits() -> None:
    assert mask_bsn("999999990") == "******990"
    assert mask_bsn("") == ""


def test_a_full_disk_while_saving_is_said_in_the_form_and_keeps_what_was_typed(
        qtbot: QtBot, page: HouseholdPage, workspace: Workspace, family: Family) -> None:
    """Observed: a traceback instead of a message when the disk filled up during a save."""
    page.tabs.setCurrentIndex(3)
    click(qtbot, page.add_contact_button)
    dialog = page.active_dialog
    assert isinstance(dialog, ContactDialog)
    qtbot.keyClick(dialog.duration, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(dialog.duration, "30")
    qtbot.keyClicks(dialog.notes_edit, "Een lang verslag. " * 400)
    before = outbox_count(workspace)
    with workspace.casefile.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
        conn.exec_driver_sql(f"PRAGMA max_page_count = {pages}")
    try:
        click(qtbot, dialog.save_button)
        assert dialog.isVisible()
        assert dialog.general_error.text() == error_message("disk_full")
        assert dialog.notes_edit.toPlainText().startswith("Een lang verslag.")
        assert outbox_count(workspace) == before
    finally:
        with workspace.casefile.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA max_page_count = 1073741823")
    with qtbot.waitSignal(dialog.finished, timeout=5_000):
        click(qtbot, dialog.save_button)  # space again: saved
    assert outbox_count(workspace) == before + 1
