"""Sharing the contact details of the professionals involved, as the worker meets it on the
household page: only where consent for that use covers the recipient; the dialog says whose
consent is missing and why; showing the details is logged in the access log; another
recipient hides them again; a withdrawal (brought by a sync) blocks again, also when it
arrives between the check and the click."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import dataclasses
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from tests.ui.test_household_page import Family, click, make_family
from tests.ui.test_mnemonics import clashes
from tests.ui.test_plan_page import acting_as, add_worker
from wijkteam_app.domain.cases import Consent
from wijkteam_app.domain.consent import STANDARD_PURPOSE, Use
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.people import Professional
from wijkteam_app.domain.workers import Role
from wijkteam_app.persistence.schema import AuditRecord
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.dialogs.share_dialog import ShareContactsDialog
from wijkteam_app.ui.pages.household_page import HouseholdPage

pytestmark = pytest.mark.gui

RECIPIENT = "Huisartsenpraktijk Voorbeeldstad"  # one of the professionals: suggested
PHONE = "06-12345678"
TAB_PROFESSIONALS = 2


@pytest.fixture
def family(workspace: Workspace) -> Family:
    family = make_family(workspace)
    HouseholdService(workspace).save_professional(Professional(
        new_id(), family.household.id, "GGD Verzinstad", "Jeroen Jansen",
        "jeugdverpleegkundige", f"{PHONE}, j.jansen@ggd-verzinstad.example"))
    return family


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


def give_contact_consent(workspace: Workspace, family: Family) -> dict[str, Consent]:
    """The mother and the father (both holders of gezag over Daan, 9) consent to the
    professionals' contact details going to RECIPIENT."""
    given = {}
    for parent in (family.mother, family.father):
        consent = Consent(new_id(), family.household.id, parent.id, RECIPIENT,
                          STANDARD_PURPOSE[Use.CONTACT], workspace.today() - timedelta(days=3),
                          workspace.actor_id, "schriftelijk")
        HouseholdService(workspace).save_consent(consent)
        given[parent.first_name] = consent
    return given


def withdraw(workspace: Workspace, consent: Consent) -> None:
    """As a sync brings a withdrawal made on another laptop: straight into the case file."""
    HouseholdService(workspace).save_consent(
        dataclasses.replace(consent, withdrawn_on=workspace.today(), version=1))


def open_dialog(qtbot: QtBot, page: HouseholdPage) -> ShareContactsDialog:
    bar = page.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton,
                     pos=bar.tabRect(TAB_PROFESSIONALS).center())
    assert page.tabs.currentIndex() == TAB_PROFESSIONALS
    assert page.share_contacts_button.isVisible()
    click(qtbot, page.share_contacts_button)
    dialog = page.share_dialog
    assert isinstance(dialog, ShareContactsDialog)
    qtbot.waitExposed(dialog)
    return dialog


def type_recipient(qtbot: QtBot, dialog: ShareContactsDialog, text: str) -> None:
    line = dialog.recipient.lineEdit()
    assert line is not None
    qtbot.keyClicks(line, text)


def shares(workspace: Workspace) -> list[tuple[str | None, str | None]]:
    with workspace.casefile.read() as session:
        rows = session.scalars(select(AuditRecord).where(
            AuditRecord.action == "gegevens.delen")).all()
        return [(r.household_id, r.purpose) for r in rows]


def test_without_consent_the_dialog_names_whose_consent_is_missing(
        qtbot: QtBot, workspace: Workspace, page: HouseholdPage) -> None:
    assert page.share_contacts_button.isEnabled()
    dialog = open_dialog(qtbot, page)
    assert RECIPIENT in [dialog.recipient.itemText(n) for n in range(dialog.recipient.count())]
    assert dialog.verdict.text() == "Kies of typ de ontvanger."
    assert not dialog.share_button.isEnabled()

    type_recipient(qtbot, dialog, RECIPIENT)
    assert not dialog.share_button.isEnabled()
    assert dialog.verdict.text() == \
        f"De contactgegevens van de professionals kunnen niet naar {RECIPIENT}:"
    reasons = dialog.reasons.text()
    assert "• Anouk Voorbeeld heeft geen toestemming gegeven om contactgegevens van " \
           f"professionals te delen met {RECIPIENT}." in reasons
    assert "• Bram Voorbeeld (gezaghebbende van Daan Voorbeeld, 9 jaar) heeft geen " \
           "toestemming gegeven" in reasons
    assert "Daan Voorbeeld heeft" not in reasons  # under 12: the child is not asked
    assert not dialog.details_panel.isVisible()
    assert clashes(dialog) == {}
    assert shares(workspace) == []


def test_with_consent_the_details_are_shown_logged_and_copied(
        qtbot: QtBot, workspace: Workspace, page: HouseholdPage, family: Family) -> None:
    give_contact_consent(workspace, family)
    dialog = open_dialog(qtbot, page)
    type_recipient(qtbot, dialog, RECIPIENT)
    assert dialog.share_button.isEnabled()
    assert "mogen naar " + RECIPIENT in dialog.verdict.text()
    assert not dialog.reasons.isVisible()
    assert shares(workspace) == []  # seeing the verdict is not sharing

    click(qtbot, dialog.share_button)
    assert dialog.details_panel.isVisible()
    text = dialog.details.toPlainText()
    assert PHONE in text
    assert "GGD Verzinstad\nNaam: Jeroen Jansen\nFunctie/discipline: jeugdverpleegkundige\n" \
           f"Telefoon/e-mail: {PHONE}, j.jansen@ggd-verzinstad.example" in text
    for organisation in ("Huisartsenpraktijk Voorbeeldstad", "Schuldhulp Verzinstad",
                         "Jeugdteam Noord"):
        assert f"{organisation}\nTelefoon/e-mail: niet vastgelegd" in text
    assert "Voorbeeld" not in text.replace("Huisartsenpraktijk Voorbeeldstad", "")
    assert dialog.details.isReadOnly()
    assert not dialog.share_button.isEnabled()  # shown already
    assert "vastgelegd in het logboek" in dialog.verdict.text()
    assert shares(workspace) == [
        (family.household.id, f"{STANDARD_PURPOSE[Use.CONTACT]} met {RECIPIENT}")]
    assert clashes(dialog) == {}

    click(qtbot, dialog.copy_button)
    assert QGuiApplication.clipboard().text() == text
    assert dialog.copied.text() == "Gekopieerd naar het klembord."

    # Another recipient (one letter more): the details go away, and are not back when the
    # letter is removed again; showing them is a new, logged share.
    type_recipient(qtbot, dialog, "x")
    assert not dialog.details_panel.isVisible()
    assert dialog.details.toPlainText() == ""
    assert not dialog.share_button.isEnabled()
    line = dialog.recipient.lineEdit()
    assert line is not None
    qtbot.keyClick(line, Qt.Key.Key_Backspace)
    assert dialog.current_recipient() == RECIPIENT
    assert dialog.share_button.isEnabled()
    assert not dialog.details_panel.isVisible()
    assert len(shares(workspace)) == 1


def test_a_withdrawn_consent_blocks_again(qtbot: QtBot, workspace: Workspace,
                                          page: HouseholdPage, family: Family) -> None:
    given = give_contact_consent(workspace, family)
    dialog = open_dialog(qtbot, page)
    type_recipient(qtbot, dialog, RECIPIENT)
    click(qtbot, dialog.share_button)
    assert PHONE in dialog.details.toPlainText()

    # Bram withdraws on another laptop; the sync brings it and refreshes the page.
    withdraw(workspace, given["Bram"])
    page.live_reload()
    assert not dialog.details_panel.isVisible()
    assert dialog.details.toPlainText() == ""
    assert not dialog.share_button.isEnabled()
    day = workspace.today().strftime("%d-%m-%Y")
    assert "• Bram Voorbeeld (gezaghebbende van Daan Voorbeeld, 9 jaar) heeft de toestemming " \
           f"om contactgegevens van professionals te delen met {RECIPIENT} ingetrokken op " \
           f"{day}." in dialog.reasons.text()
    assert "Anouk" not in dialog.reasons.text()
    assert len(shares(workspace)) == 1

    # Closed and opened again: still blocked.
    click(qtbot, dialog.close_button)
    qtbot.waitUntil(lambda: page.share_dialog is None)
    again = open_dialog(qtbot, page)
    type_recipient(qtbot, again, RECIPIENT)
    assert not again.share_button.isEnabled()
    assert "ingetrokken op " + day in again.reasons.text()


def test_a_withdrawal_that_arrives_after_the_check_is_refused_at_the_click(
        qtbot: QtBot, workspace: Workspace, page: HouseholdPage, family: Family) -> None:
    given = give_contact_consent(workspace, family)
    dialog = open_dialog(qtbot, page)
    type_recipient(qtbot, dialog, RECIPIENT)
    assert dialog.share_button.isEnabled()
    withdraw(workspace, given["Anouk"])  # no refresh: the dialog still says "allowed"

    click(qtbot, dialog.share_button)
    assert not dialog.details_panel.isVisible()
    assert not dialog.share_button.isEnabled()
    assert dialog.verdict.text().startswith("De toestemming is intussen gewijzigd.")
    assert "• Anouk Voorbeeld heeft de toestemming om contactgegevens van professionals te " \
           f"delen met {RECIPIENT} ingetrokken op" in dialog.reasons.text()
    assert shares(workspace) == []


def test_without_professionals_the_button_is_disabled_and_says_why(
        qtbot: QtBot, workspace: Workspace, page: HouseholdPage, family: Family) -> None:
    service = HouseholdService(workspace)
    for pro in service.get(family.household.id).professionals:
        service.remove_professional(pro)
    page.reload()
    assert page.tabs.tabText(TAB_PROFESSIONALS) == "Professionals (0)"
    assert not page.share_contacts_button.isEnabled()
    assert "geen betrokken professionals" in page.share_contacts_button.toolTip()
    page.share_contacts()  # e.g. a stale click: nothing opens
    assert page.share_dialog is None


def test_who_may_only_look_does_not_share(qtbot: QtBot, workspace: Workspace,
                                          family: Family) -> None:
    """Sharing is the case team's step (as the plan's "Delen met…"): a toetser sees the
    professionals, without the button."""
    toetser = add_worker(workspace, Role.TOETSER, "Toetser Test")
    with acting_as(workspace, toetser):
        page = HouseholdPage(workspace)
        qtbot.addWidget(page)
        page.show()
        qtbot.waitExposed(page)
        page.show_household(family.household.id)
        page.tabs.setCurrentIndex(TAB_PROFESSIONALS)
        assert page.professionals_model.rowCount() == 4
        assert not page.share_contacts_button.isVisible()
        page.share_contacts()  # what a stray signal would do
        assert page.share_dialog is None
