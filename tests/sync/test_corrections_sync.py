"""A corrected or withdrawn measurement travels like any record (real laptops, real server;
SQLite and PostgreSQL): the colleague's laptop shows the correction in place of the original,
and both records in the history."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from tests.server.conftest import Server
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.instruments import (
    LADDER_ITEM_CODE,
    PARTICIPATIELADDER_ID,
    Assessment,
    ItemScore,
    latest_of,
)
from wijkteam_app.services.assessments import AssessmentService
from wijkteam_app.services.households import HouseholdService


def test_a_correction_and_a_withdrawal_reach_the_colleague(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    team = server.team()
    colleague_account = server.account(team)
    worker = make_laptop(server.account(team))
    colleague = make_laptop(colleague_account)
    hh, _case = worker.new_household("Huishouden Trede", case_team=(colleague_account.id,))
    [member] = HouseholdService(worker.workspace).get(hh).members
    service = AssessmentService(worker.workspace)
    defn = latest_of(service.definitions, PARTICIPATIELADDER_ID)
    today = worker.workspace.today()

    def rung(current: int, potential: int | None, days: int) -> Assessment:
        return Assessment(new_id(), defn.id, defn.version, today - timedelta(days=days),
                          worker.user_id, (ItemScore(LADDER_ITEM_CODE, current, potential),),
                          person_id=member.id)

    swapped, extra = rung(4, None, 20), rung(1, None, 3)
    service.record(swapped)
    service.record(extra)
    fixed = replace(rung(2, 4, 20), corrects_id=swapped.id, correction_reason="verwisseld")
    service.correct(swapped, fixed)
    service.withdraw(extra, "verkeerde persoon")
    worker.sync_ok()

    colleague.sync_ok()
    theirs = AssessmentService(colleague.workspace)
    assert len(theirs.records(person_id=member.id)) == 4
    [counting] = theirs.history(person_id=member.id)
    assert counting.id == fixed.id
    assert counting.corrects_id == swapped.id
    assert counting.correction_reason == "verwisseld"
    assert (counting.items[0].score, counting.items[0].target_score) == (2, 4)
    withdrawal = next(a for a in theirs.records(person_id=member.id) if a.withdrawn)
    assert withdrawal.corrects_id == extra.id and withdrawal.items == ()
