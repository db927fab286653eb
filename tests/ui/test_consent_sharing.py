"""Consent enforced as the worker meets it: the plan goes to a recipient only where consent
covers it; the dialog says whose consent is missing and why (a nine-year-old needs both
holders of gezag), a withdrawal blocks again, and every share is in the access log."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import dataclasses
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from tests.ui.test_household_page import Family, make_family
from tests.ui.test_plan_page import valid_content
from wijkteam_app.domain.cases import Consent
from wijkteam_app.domain.consent import STANDARD_PURPOSE, Use
from wijkteam_app.domain.ids import new_id
from wijkteam_app.persistence.schema import AuditRecord
from wijkteam_app.services.consent import ConsentMissing, ConsentService
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.plans import PlanService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.dialogs.share_dialog import SharePlanDialog
from wijkteam_app.ui.pages.plan_page import PlanPage

pytestmark = pytest.mark.gui

RECIPIENT = "Huisartsenpraktijk Voorbeeldstad"


def give(workspace: Workspace, family: Family, giver_id: str, days_ago: int = 10) -> Consent:
    consent = Consent(new_id(), family.household.id, giver_id, RECIPIENT,
                      STANDARD_PURPOSE[Use.PLAN], workspace.today() - timedelta(days=days_ago),
                      workspace.actor_id, "schriftelijk")
    HouseholdService(workspace).save_consent(consent)
    return consent


def test_the_plan_is_shared_only_where_consent_covers_it(
        qtbot: QtBot, workspace: Workspace, tmp_path: Path) -> None:
    family = make_family(workspace)
    PlanService(workspace).start(family.household.id, valid_content(workspace, family))
    page = PlanPage(workspace)
    qtbot.addWidget(page)
    page.show_household(family.household.id)
    assert page.share_button.isVisibleTo(page)
    page.share_button.click()
    dialog = page.active_dialog
    assert isinstance(dialog, SharePlanDialog)
    dialog.ask_path = lambda _name: str(tmp_path / "plan-voor-huisarts")

    qtbot.keyClicks(dialog.recipient.lineEdit(), RECIPIENT)
    assert not dialog.share_button.isEnabled()
    reasons = dialog.reasons.text()
    assert "Anouk Voorbeeld heeft geen toestemming gegeven om het plan te delen met " \
           f"{RECIPIENT}." in reasons
    assert "Bram Voorbeeld (gezaghebbende van Daan Voorbeeld, 9 jaar)" in reasons
    assert "Daan Voorbeeld heeft" not in reasons  # under 12: the child is not asked

    give(workspace, family, family.mother.id)
    mother_only = dialog.refresh()
    assert mother_only is not None and not mother_only.decision.allowed
    assert "Anouk" not in dialog.reasons.text() and "Bram" in dialog.reasons.text()

    father = give(workspace, family, family.father.id)
    dialog.refresh()
    assert dialog.share_button.isEnabled()
    assert "mag naar" in dialog.verdict.text()
    qtbot.mouseClick(dialog.share_button, Qt.MouseButton.LeftButton)
    assert (tmp_path / "plan-voor-huisarts.pdf").read_bytes().startswith(b"%PDF")
    with workspace.casefile.read() as session:
        shared = session.scalars(select(AuditRecord).where(
            AuditRecord.action == "gegevens.delen")).all()
    assert [(s.household_id, s.purpose) for s in shared] == [
        (family.household.id, f"{STANDARD_PURPOSE[Use.PLAN]} met {RECIPIENT}")]

    # Bram withdraws: blocked again, with the day.
    HouseholdService(workspace).save_consent(
        dataclasses.replace(father, withdrawn_on=workspace.today(), version=1))
    dialog.refresh()
    assert not dialog.share_button.isEnabled()
    assert "ingetrokken op " + workspace.today().strftime("%d-%m-%Y") in dialog.reasons.text()
    version = PlanService(workspace).current(family.household.id)
    assert version is not None
    with pytest.raises(ConsentMissing):
        ConsentService(workspace).share_plan(version, RECIPIENT, page.report_settings)


def test_contact_details_of_professionals_only_with_consent_for_that_use(
        workspace: Workspace) -> None:
    family = make_family(workspace)
    service = ConsentService(workspace)
    with pytest.raises(ConsentMissing):
        service.share_contacts(family.household.id, RECIPIENT)
    for giver in (family.mother.id, family.father.id):  # the plan's consent is not enough
        give(workspace, family, giver)
    with pytest.raises(ConsentMissing) as refused:
        service.share_contacts(family.household.id, RECIPIENT)
    assert {m.giver_id for m in refused.value.decision.missing} == {
        family.mother.id, family.father.id}
    for giver in (family.mother.id, family.father.id):
        HouseholdService(workspace).save_consent(Consent(
            new_id(), family.household.id, giver, RECIPIENT, STANDARD_PURPOSE[Use.CONTACT],
            workspace.today(), workspace.actor_id))
    shared = service.share_contacts(family.household.id, RECIPIENT)
    assert {p.organisation for p in shared} == {
        "Huisartsenpraktijk Voorbeeldstad", "Schuldhulp Verzinstad", "Jeugdteam Noord"}
    with workspace.casefile.read() as session:
        purposes = session.scalars(select(AuditRecord.purpose).where(
            AuditRecord.action == "gegevens.delen")).all()
    assert purposes == [f"{STANDARD_PURPOSE[Use.CONTACT]} met {RECIPIENT}"]
