"""The server enforces issue 13's rules (SQLite and PostgreSQL, a real server process): a PGB
always needs a toets before signing, and the decision on a stuck case is by the teamcoach or
the brandpuntfunctionaris of the team, never by the worker who flagged it, once per flag."""

from __future__ import annotations

from typing import Any

from tests.server.conftest import Server
from tests.server.laptop import Laptop, new_id, support
from tests.server.test_authority import Team, verdicts
from wijkteam_server import admin


def flag(laptop: Laptop, household: str, case: str, by: str | None = None) -> str:
    flag_id = new_id()
    laptop.save("casus.vastgelopen", [laptop.insert("stuck_flag", flag_id, {
        "household_id": household, "case_id": case, "flagged_by": by or laptop.user_id,
        "flagged_at": "2026-11-24T09:00:00", "reason": "Niemand besluit."})], household)
    return flag_id


def decide(laptop: Laptop, household: str, flag_id: str) -> dict[str, Any]:
    return laptop.save("casus.vlottrekken", [laptop.insert("stuck_decision", new_id(), {
        "household_id": household, "flag_id": flag_id, "decided_by": laptop.user_id,
        "decided_at": "2026-11-25T09:00:00", "decision": "Doorgezet.",
        "doorzettingsmacht": True})], household)


def test_a_pgb_needs_a_toets_even_within_the_servers_mandate(server: Server) -> None:
    pgb = {**support("L06SB1", 50_000), "financing": "pgb", "eigen_bijdrage": "geen"}
    team = Team(server, supports=[pgb])
    admin.set_mandate(server.engine, team.worker.account.username, "3000", ["L06SB1"])
    review = team.coach.review(team.version, "goedkeuren")
    team.coach.status_change(team.version, "goedgekeurd", [review])
    assert verdicts(team.coach) == [("accepted", None)]
    team.worker.pull()
    team.worker.status_change(team.version, "ter_ondertekening")
    assert verdicts(team.worker) == [("rejected", "toets_required")]
    team.toetser.pull()
    team.toetser.save("plan.toets", [team.toetser.toets(team.version)], team.household)
    assert verdicts(team.toetser) == [("accepted", None)]
    team.worker.status_change(team.version, "ter_ondertekening")
    assert verdicts(team.worker) == [("accepted", None)]
    team.close()


def test_the_stuck_decision_is_by_coach_or_brandpunt_never_the_flagger_and_once(
        server: Server) -> None:
    team = Team(server, submit=False)
    brandpunt = Laptop(server, server.account(team.worker.account.team,
                                              "brandpuntfunctionaris"), "brandpunt")
    flag(team.worker, team.household, team.case, by=team.coach.user_id)
    assert verdicts(team.worker) == [("rejected", "forged_actor")]
    own = flag(team.coach, team.household, team.case)
    assert verdicts(team.coach) == [("accepted", None)]
    decide(team.coach, team.household, own)
    decide(team.worker, team.household, own)
    assert verdicts(team.coach) == [("rejected", "own_flag")]
    assert verdicts(team.worker) == [("rejected", "role_not_allowed")]
    brandpunt.pull()  # the open flag puts the household in the brandpunt's scope
    assert ("household", team.household) in brandpunt.records
    decide(brandpunt, team.household, own)
    assert verdicts(brandpunt) == [("accepted", None)]
    other = flag(team.worker, team.household, team.case)
    assert verdicts(team.worker) == [("accepted", None)]
    brandpunt.pull()
    brandpunt.save("huishouden.wijzigen", [brandpunt.update(
        "household", team.household, city="Elders")], team.household)
    assert verdicts(brandpunt) == [("rejected", "not_allowed")]  # decisions only
    decide(brandpunt, team.household, other)
    assert verdicts(brandpunt) == [("accepted", None)]
    team.coach.pull()
    decide(team.coach, team.household, other)  # decided already
    assert verdicts(team.coach) == [("rejected", "flag_closed")]
    brandpunt.close()
    team.close()
