"""The server decides who may write what (SQLite and PostgreSQL, a real server process).

Each forbidden write is refused with its own reason and changes nothing on the server; each
legitimate step by the right person is accepted. Values of the wrong type, missing and unknown
fields are refused at the door (422), at push and at conflict resolution.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.server.conftest import Server
from tests.server.laptop import (
    Laptop,
    household_fields,
    new_id,
    person_fields,
    plan_content,
    support,
)
from wijkteam_server import admin


def results(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    out: list[dict[str, Any]] = response.json()["results"]
    return out


def verdicts(laptop: Laptop) -> list[tuple[str, str | None]]:
    return [(r["status"], r["reason"]) for r in results(laptop.push())]


def server_records(laptop: Laptop, household: str) -> dict[tuple[str, str], dict[str, Any]]:
    items = laptop.get(f"/api/v1/households/{household}").json()["items"]
    return {(i["entity"], i["id"]): i["fields"] for i in items}


class Team:
    """A team on the server: a wijkwerker with a household and a submitted plan, the coach,
    a colleague, and the toetser."""

    def __init__(self, server: Server, *, supports: list[dict[str, Any]] | None = None,
                 submit: bool = True) -> None:
        name = server.team()
        self.server = server
        self.worker = Laptop(server, server.account(name), "werker")
        self.coach = Laptop(server, server.account(name, "teamcoach"), "coach")
        self.colleague = Laptop(server, server.account(name), "collega")
        self.toetser = Laptop(server, server.account(name, "toetser"), "toetser")
        self.household = self.worker.new_household()
        self.case = self.worker.new_case(self.household, self.worker.team_id,
                                         self.worker.user_id)
        self.version = self.worker.new_plan(self.household, content=plan_content(
            self.worker.user_id, supports))
        if submit:
            self.worker.status_change(self.version, "ter_beoordeling")
        assert all(v == ("accepted", None) for v in verdicts(self.worker))
        for laptop in (self.coach, self.colleague, self.toetser):
            laptop.pull()

    def status(self) -> Any:
        return server_records(self.worker, self.household)[
            ("plan_version", self.version)]["status"]

    def close(self) -> None:
        for laptop in (self.worker, self.coach, self.colleague, self.toetser):
            laptop.close()


@pytest.fixture
def team(server: Server) -> Any:
    made = Team(server)
    yield made
    made.close()


def test_a_wijkwerker_cannot_approve_a_plan(team: Team) -> None:
    before = server_records(team.worker, team.household)
    review = team.worker.review(team.version, "goedkeuren")
    team.worker.status_change(team.version, "goedgekeurd", [review])
    # ... not even with the coach named as reviewer, nor as the change-set's actor
    forged = team.worker.review(team.version, "goedkeuren", reviewer_id=team.coach.user_id)
    team.worker.save("plan.goedkeuren", [forged], team.household)
    row = team.worker.status_change(team.version, "goedgekeurd")
    row["actor_id"] = team.coach.user_id
    assert verdicts(team.worker) == [("rejected", "role_not_allowed"),
                                     ("rejected", "role_not_allowed"),
                                     ("rejected", "forged_actor")]
    assert server_records(team.worker, team.household) == before
    assert team.status() == "ter_beoordeling"


def test_only_the_teamcoach_reviews_and_the_review_must_be_theirs(team: Team) -> None:
    # The coach cannot approve without recording the review, nor name someone else.
    team.coach.status_change(team.version, "goedgekeurd")
    forged = team.coach.review(team.version, "goedkeuren", reviewer_id=team.worker.user_id)
    team.coach.status_change(team.version, "goedgekeurd", [forged])
    returned = team.coach.review(team.version, "goedkeuren")
    team.coach.status_change(team.version, "teruggestuurd", [returned])  # outcome mismatch
    assert verdicts(team.coach) == [("rejected", "review_missing"),
                                    ("rejected", "forged_actor"),
                                    ("rejected", "review_missing")]
    assert team.status() == "ter_beoordeling"
    review = team.coach.review(team.version, "goedkeuren")
    team.coach.status_change(team.version, "goedgekeurd", [review])
    assert verdicts(team.coach) == [("accepted", None)]
    assert team.status() == "goedgekeurd"
    team.worker.pull()
    records = server_records(team.worker, team.household)
    reviews = [r for (entity, _id), r in records.items() if entity == "plan_review"]
    assert [r["reviewer_id"] for r in reviews] == [team.coach.user_id]


def test_a_regisseur_who_is_coach_does_not_review_their_own_plan(server: Server) -> None:
    name = server.team()
    coach = Laptop(server, server.account(name, "teamcoach"))
    household = coach.new_household()
    coach.new_case(household, coach.team_id, coach.user_id)
    version = coach.new_plan(household)
    coach.status_change(version, "ter_beoordeling")
    review = coach.review(version, "goedkeuren")
    coach.status_change(version, "goedgekeurd", [review])
    assert verdicts(coach)[-1] == ("rejected", "own_plan")
    coach.close()


def test_only_a_toetser_of_the_team_records_the_toets(team: Team) -> None:
    for laptop in (team.coach, team.colleague, team.worker):
        laptop.records.setdefault(("plan_version", team.version),
                                  team.worker.records[("plan_version", team.version)])
        laptop.save("plan.toets", [laptop.toets(team.version)], team.household)
        expected = "not_allowed" if laptop is team.colleague else "role_not_allowed"
        assert verdicts(laptop) == [("rejected", expected)]  # colleague: not even in scope
    other_toetser = Laptop(team.server, team.server.account(team.server.team(), "toetser"))
    other_toetser.records[("plan_version", team.version)] = \
        team.toetser.records[("plan_version", team.version)]
    other_toetser.save("plan.toets", [other_toetser.toets(team.version)], team.household)
    assert verdicts(other_toetser) == [("rejected", "not_allowed")]
    team.toetser.save("plan.toets", [team.toetser.toets(team.version)], team.household)
    assert verdicts(team.toetser) == [("accepted", None)]
    other_toetser.close()


def test_to_signing_needs_a_positive_toets_above_the_servers_mandate(server: Server) -> None:
    team = Team(server, supports=[support("L06SB1", 250_000)])
    review = team.coach.review(team.version, "goedkeuren")
    team.coach.status_change(team.version, "goedgekeurd", [review])
    assert verdicts(team.coach) == [("accepted", None)]
    team.worker.pull()
    # No mandate on the server: the professional product needs a toets.
    team.worker.status_change(team.version, "ter_ondertekening")
    assert verdicts(team.worker) == [("rejected", "toets_required")]
    # A negative toets is not enough either.
    team.toetser.pull()
    team.toetser.save("plan.toets", [team.toetser.toets(team.version, "negatief")],
                      team.household)
    assert verdicts(team.toetser) == [("accepted", None)]
    team.worker.status_change(team.version, "ter_ondertekening")
    assert verdicts(team.worker) == [("rejected", "toets_required")]
    # Within the mandate the municipality set for this regisseur: no toets needed.
    admin.set_mandate(server.engine, team.worker.account.username, "3000", ["L06SB1"])
    team.worker.status_change(team.version, "ter_ondertekening")
    assert verdicts(team.worker) == [("accepted", None)]
    team.close()


def test_signing_needs_the_signature_of_this_version(server: Server) -> None:
    team = Team(server)
    review = team.coach.review(team.version, "goedkeuren")
    team.coach.status_change(team.version, "goedgekeurd", [review])
    verdicts(team.coach)
    team.worker.pull()
    team.worker.status_change(team.version, "ter_ondertekening")
    assert verdicts(team.worker) == [("accepted", None)]
    team.worker.status_change(team.version, "ondertekend")
    assert verdicts(team.worker) == [("rejected", "signature_missing")]
    fingerprint = team.worker.records[("plan_version", team.version)]["data"]["fingerprint"]
    signature = team.worker.insert("plan_signature", new_id(), {
        "household_id": team.household, "version_id": team.version,
        "content_fingerprint": fingerprint, "signed_on": "2026-11-24", "place": "Noord",
        "pdf_sha256": "c" * 64, "scan_attachment_id": None, "signed_pdf_attachment_id": None,
        "signers": [{"name": "Anouk Proef", "role": "inwoner", "person_id": None,
                     "worker_id": None},
                    {"name": "Coach", "role": "regisseur", "person_id": None,
                     "worker_id": team.coach.user_id}]})
    team.worker.status_change(team.version, "ondertekend", [signature])
    assert verdicts(team.worker) == [("rejected", "forged_actor")]
    signature = team.worker.insert("plan_signature", new_id(), {
        "household_id": team.household, "version_id": team.version,
        "content_fingerprint": fingerprint, "signed_on": "2026-11-24", "place": "Noord",
        "pdf_sha256": "c" * 64, "scan_attachment_id": None, "signed_pdf_attachment_id": None,
        "signers": [{"name": "Anouk Proef", "role": "inwoner", "person_id": None,
                     "worker_id": None}]})
    team.worker.status_change(team.version, "ondertekend", [signature])
    assert verdicts(team.worker) == [("accepted", None)]
    team.close()


def test_the_status_history_only_grows(team: Team) -> None:
    record = team.worker.records[("plan_version", team.version)]["data"]
    team.worker.save("x", [team.worker.update("plan_version", team.version,
                                              history=record["history"][:1])], team.household)
    assert verdicts(team.worker) == [("rejected", "history_rewritten")]


def test_one_household_one_plan(server: Server) -> None:
    """Two plans started offline on two laptops: the first to arrive is the plan, the second
    is refused (and kept on the server with its verdict)."""
    team = Team(server, submit=False)
    other = team.colleague.new_plan(team.household)
    # The colleague is not in the case team yet: add them (the regisseur may).
    team.worker.save("case.update", [team.worker.update("case", team.case,
                                                        case_team_ids=[team.colleague.user_id])],
                     team.household)
    assert verdicts(team.worker) == [("accepted", None)]
    assert verdicts(team.colleague)[-1] == ("rejected", "plan_exists")
    records = server_records(team.worker, team.household)
    assert ("plan_version", other) not in records
    # A second version of the same plan is fine; a number twice is not.
    plan_id = records[("plan_version", team.version)]["plan_id"]
    team.worker.new_plan(team.household, plan_id=plan_id, number=2)
    team.worker.new_plan(team.household, plan_id=plan_id, number=2)
    assert verdicts(team.worker) == [("accepted", None), ("rejected", "version_exists")]
    team.close()


def test_a_bsn_in_another_household_is_flagged(server: Server) -> None:
    name = server.team()
    first = Laptop(server, server.account(name))
    second = Laptop(server, server.account(name))
    one, two = first.new_household(), second.new_household()
    first.new_person(one, bsn="999990019")
    second.new_person(two, bsn="999990019")
    second.new_person(two, bsn="999990020")
    assert [r["warnings"] for r in results(first.push())] == [[], []]
    assert [r["warnings"] for r in results(second.push())] == [[], ["bsn_elsewhere"], []]
    first.close()
    second.close()


def test_an_earlier_user_of_the_device_keeps_their_offline_work(server: Server) -> None:
    name = server.team()
    anouk = Laptop(server, server.account(name), "teamlaptop")
    household = anouk.new_household()
    anouk.new_case(household, anouk.team_id, anouk.user_id)
    offline = list(anouk.outbox)
    # Bas logs in on the same laptop before Anouk's work went out.
    bas = Laptop(server, server.account(name), "teamlaptop", device_id=anouk.device_id)
    bas.seq = anouk.seq  # the device sequence belongs to the laptop
    response = bas.push(offline)
    assert [(r["status"], r["reason"]) for r in results(response)] == [("accepted", None)] * 2
    # A stranger's id as actor is forged.
    row = bas.save("household.create", [bas.insert("household", new_id(),
                                                    household_fields())])
    row["actor_id"] = new_id()
    assert verdicts(bas) == [("rejected", "forged_actor")]
    anouk.close()
    bas.close()


@pytest.mark.parametrize(("fields", "problem"), [
    ({"postcode": {"zip": "1234AB"}}, "postcode"),
    ({"house_number": "12"}, "house_number"),
    ({"hobby": "zeilen"}, "hobby"),
])
def test_wrong_types_and_unknown_fields_are_refused_at_push(
        server: Server, fields: dict[str, Any], problem: str) -> None:
    laptop = Laptop(server, server.account(server.team()))
    household = laptop.new_household()
    assert verdicts(laptop) == [("accepted", None)]
    before = server_records(laptop, household)
    laptop.save("household.update", [laptop.update("household", household, **fields)],
                household)
    response = laptop.push()
    assert response.status_code == 422
    assert problem in response.text
    assert server_records(laptop, household) == before
    laptop.close()


def test_a_record_missing_required_fields_is_refused_at_push(server: Server) -> None:
    laptop = Laptop(server, server.account(server.team()))
    household = new_id()
    laptop.save("household.create", [laptop.insert("household", household,
                                                   {"name": "Alleen een naam"})], household)
    response = laptop.push()
    assert response.status_code == 422
    assert laptop.get("/api/v1/households").json()["households"] == []
    # Versions and sequence numbers are typed strictly too.
    row = dict(laptop.outbox[0])
    row["changes"] = [{**row["changes"][0], "base_version": False,
                       "fields": {k: {"old": None, "new": v}
                                  for k, v in household_fields().items()}}]
    assert laptop.push([row]).status_code == 422
    laptop.close()


def test_another_protocol_version_is_told_to_update(server: Server) -> None:
    laptop = Laptop(server, server.account(server.team()))
    response = laptop.post("/api/v1/sync/push", json={
        "protocol": "2", "device_id": laptop.device_id, "changesets": []})
    assert response.status_code == 400
    assert response.json()["code"] == "protocol_unsupported"
    laptop.close()


def test_a_conflict_cannot_be_resolved_with_a_wrongly_typed_value(server: Server) -> None:
    name = server.team()
    worker = Laptop(server, server.account(name))
    coach = Laptop(server, server.account(name, "teamcoach"))
    household = worker.new_household()
    worker.new_case(household, worker.team_id, worker.user_id)
    verdicts(worker)
    worker.pull()
    coach.pull()
    worker.save("x", [worker.update("household", household, postcode="1111 AA")], household)
    coach.save("x", [coach.update("household", household, postcode="2222 BB")], household)
    assert verdicts(worker) == [("accepted", None)]
    conflict_id = results(coach.push())[0]["conflict_ids"][0]
    before = server_records(worker, household)
    bad = coach.post(f"/api/v1/conflicts/{conflict_id}/resolve",
                     json={"choice": "value", "value": {"postcode": "3333 CC"}})
    assert bad.status_code == 422
    assert server_records(worker, household) == before
    good = coach.post(f"/api/v1/conflicts/{conflict_id}/resolve",
                      json={"choice": "value", "value": "3333 CC"})
    assert good.status_code == 200, good.text
    # A toetser may not resolve anything.
    worker.close()
    coach.close()


def test_a_person_insert_is_checked_like_the_app_does(server: Server) -> None:
    laptop = Laptop(server, server.account(server.team()))
    household = laptop.new_household()
    laptop.save("person.create", [laptop.insert("person", new_id(), person_fields(
        household, bsn="12345"))], household)
    assert laptop.push().status_code == 422
    laptop.close()
