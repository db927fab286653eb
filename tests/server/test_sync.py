"""Sync protocol against a real server process (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

from tests.server.conftest import Server
from tests.server.laptop import Laptop, household_fields, new_id, person_fields


def results(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    out: list[dict[str, Any]] = response.json()["results"]
    return out


def case_household(server: Server) -> tuple[Laptop, str, str]:
    """A worker's laptop with one household and a case where they are regisseur."""
    team = server.team()
    worker = Laptop(server, server.account(team))
    hh = worker.new_household()
    case_id = worker.new_case(hh, worker.team_id, worker.user_id)
    assert [r["status"] for r in results(worker.push())] == ["accepted", "accepted"]
    worker.pull()
    return worker, hh, case_id


def test_replayed_push_is_idempotent(server: Server) -> None:
    team = server.team()
    laptop = Laptop(server, server.account(team))
    hh = laptop.new_household()
    rows = list(laptop.outbox)
    first = results(laptop.push(rows))
    # The answer was "lost": the laptop sends the very same change-set again.
    again = results(laptop.push(rows))
    assert first[0]["status"] == "accepted" and not first[0]["duplicate"]
    assert again[0] == {**first[0], "duplicate": True}
    items = [i for i in laptop.pull() if i["id"] == hh]
    assert len(items) == 1  # the snapshot; no second insert anywhere in the feed
    assert items[0]["version"] == 1
    changes = laptop.get(f"/api/v1/households/{hh}").json()["items"]
    assert [(i["entity"], i["version"]) for i in changes] == [("household", 1)]
    laptop.close()


def test_sequence_gap_is_refused_and_nothing_applied_out_of_order(server: Server) -> None:
    laptop = Laptop(server, server.account(server.team()))
    laptop.new_household("Een")
    laptop.new_household("Twee")
    laptop.new_household("Drie")
    one, two, three = laptop.outbox
    response = laptop.push([two])
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "sequence_gap" and body["expected_seq"] == 1
    assert body["results"] == [] and body["message"]
    assert laptop.get("/api/v1/households").json()["households"] == []
    # 1 then 3: the first is applied, the third stops with "expected 2".
    response = laptop.push([one, three])
    assert response.status_code == 409
    body = response.json()
    assert body["expected_seq"] == 2 and [r["device_seq"] for r in body["results"]] == [1]
    assert [r["status"] for r in results(laptop.push([two, three]))] == ["accepted"] * 2
    names = sorted(h["name"] for h in laptop.get("/api/v1/households").json()["households"])
    assert names == ["Drie", "Een", "Twee"]
    # A different change-set under an already used number is refused too.
    laptop.seq = 1
    laptop.new_household("Vier")
    response = laptop.push(laptop.outbox)
    assert response.status_code == 409 and response.json()["code"] == "sequence_reused"
    laptop.close()


def test_two_devices_merge_different_fields(server: Server) -> None:
    worker, hh, case_id = case_household(server)
    colleague = Laptop(server, server.account(worker.account.team))
    worker.save("case.update", [worker.update("case", case_id,
                                              case_team_ids=[colleague.user_id])], hh)
    assert results(worker.push())[0]["status"] == "accepted"
    colleague.pull()
    worker.pull()
    # Both offline: different fields of the same household.
    worker.save("household.update", [worker.update("household", hh, street="Nieuwe Weg")], hh)
    colleague.save("household.update", [colleague.update("household", hh, postcode="9999 ZZ")],
                   hh)
    assert results(worker.push())[0]["status"] == "accepted"
    assert results(colleague.push())[0]["status"] == "accepted"
    for laptop in (worker, colleague):
        laptop.pull()
        assert laptop.value("household", hh, "street") == "Nieuwe Weg"
        assert laptop.value("household", hh, "postcode") == "9999 ZZ"
        laptop.close()


def test_same_field_conflict_keeps_both_and_resolution_reaches_everyone(server: Server) -> None:
    worker, hh, case_id = case_household(server)
    colleague = Laptop(server, server.account(worker.account.team))
    coach = Laptop(server, server.account(worker.account.team, "teamcoach"))
    worker.save("case.update", [worker.update("case", case_id,
                                              case_team_ids=[colleague.user_id])], hh)
    results(worker.push())
    for laptop in (worker, colleague, coach):
        laptop.pull()
    base = worker.value("household", hh, "name")
    worker.save("household.update", [worker.update("household", hh, name="Fam. Jansen")], hh)
    colleague.save("household.update", [colleague.update("household", hh, name="Fam. Janssen")],
                   hh)
    assert results(worker.push())[0]["status"] == "accepted"
    verdict = results(colleague.push())[0]
    assert verdict["status"] == "conflict" and len(verdict["conflict_ids"]) == 1
    conflict_id = verdict["conflict_ids"][0]

    # The server keeps "theirs" in place; nothing is lost: base, mine and theirs are stored.
    colleague.pull()
    assert colleague.value("household", hh, "name") == "Fam. Jansen"
    assert colleague.open_conflicts == 1
    shown = coach.get(f"/api/v1/conflicts/{conflict_id}").json()
    assert (shown["base"], shown["mine"]["value"], shown["theirs"]["value"]) == (
        base, "Fam. Janssen", "Fam. Jansen")
    assert shown["mine"]["actor_id"] == colleague.user_id
    assert shown["theirs"]["actor_id"] == worker.user_id
    assert shown["status"] == "open" and shown["field"] == "name"
    listed = [c["id"] for c in coach.get("/api/v1/conflicts").json()["conflicts"]]
    assert conflict_id in listed

    # The coach chooses; the choice is a new change-set that reaches all three.
    response = coach.post(f"/api/v1/conflicts/{conflict_id}/resolve",
                          json={"choice": "mine"})
    assert response.status_code == 200, response.text
    resolved = response.json()
    assert resolved["conflict"]["status"] == "resolved" and resolved["changeset_id"]
    for laptop in (worker, colleague, coach):
        items = laptop.pull()
        assert any(i["changeset_id"] == resolved["changeset_id"] for i in items)
        assert laptop.value("household", hh, "name") == "Fam. Janssen"
        assert laptop.open_conflicts == 0
    again = coach.post(f"/api/v1/conflicts/{conflict_id}/resolve", json={"choice": "theirs"})
    assert again.status_code == 409
    for laptop in (worker, colleague, coach):
        laptop.close()


def test_second_offline_save_does_not_overwrite_a_concurrent_change(server: Server) -> None:
    """Local versions move on offline; the server must not mistake them for its own."""
    worker, hh, case_id = case_household(server)
    colleague = Laptop(server, server.account(worker.account.team))
    worker.save("case.update", [worker.update("case", case_id,
                                              case_team_ids=[colleague.user_id])], hh)
    results(worker.push())
    colleague.pull()
    worker.pull()
    colleague.save("household.update", [colleague.update("household", hh, city="Zwolle")], hh)
    results(colleague.push())
    # Worker, offline: two saves; the second changes the field the colleague changed.
    worker.save("household.update", [worker.update("household", hh, street="Dorpsstraat")], hh)
    worker.save("household.update", [worker.update("household", hh, city="Kampen")], hh)
    first, second = results(worker.push())
    assert first["status"] == "accepted"
    assert second["status"] == "conflict"
    worker.pull()
    assert worker.value("household", hh, "city") == "Zwolle"
    assert worker.value("household", hh, "street") == "Dorpsstraat"
    worker.close()
    colleague.close()


def test_tombstones(server: Server) -> None:
    worker, hh, _case = case_household(server)
    person = new_id()
    worker.save("person.create", [worker.insert("person", person, person_fields(
        hh, household_role="ouder"))], hh)
    results(worker.push())
    worker.pull()
    stale = dict(worker.records[("person", person)])
    stale["data"] = dict(stale["data"])
    worker.save("person.delete", [worker.delete("person", person)], hh)
    assert results(worker.push())[0]["status"] == "accepted"
    items = worker.pull()
    assert [(i["op"], i["id"]) for i in items if i["entity"] == "person"] == [("delete", person)]
    # Deleting again is a no-op; changing the deleted record is a conflict, data kept.
    worker.records[("person", person)] = dict(stale)
    worker.save("person.delete", [worker.delete("person", person)], hh)
    assert results(worker.push())[0]["status"] == "accepted"
    worker.records[("person", person)] = stale
    worker.save("person.update", [worker.update("person", person, first_name="Anna")], hh)
    verdict = results(worker.push())[0]
    assert verdict["status"] == "conflict"
    conflict = worker.get(f"/api/v1/conflicts/{verdict['conflict_ids'][0]}").json()
    assert conflict["kind"] == "deleted" and conflict["mine"]["value"] == "Anna"
    assert [i for i in worker.pull() if i["entity"] == "person"] == []
    records = worker.get(f"/api/v1/households/{hh}").json()["items"]
    assert [i["op"] for i in records if i["id"] == person] == ["delete"]
    worker.close()


def test_team_a_cannot_read_or_write_team_b(server: Server) -> None:
    owner, hh, case_id = case_household(server)
    other_team = server.team()
    outsider = Laptop(server, server.account(other_team))
    other_coach = Laptop(server, server.account(other_team, "teamcoach"))
    own_coach = Laptop(server, server.account(owner.account.team, "teamcoach"))
    beheerder = Laptop(server, server.account(owner.account.team, "beheerder"))
    toetser = Laptop(server, server.account(owner.account.team, "toetser"))

    def household_ids(laptop: Laptop) -> set[str]:
        return {h["id"] for h in laptop.get("/api/v1/households").json()["households"]}

    assert hh in household_ids(own_coach)
    for laptop in (outsider, other_coach, beheerder, toetser):
        assert hh not in household_ids(laptop)
        missing = laptop.get(f"/api/v1/households/{new_id()}")
        refused = laptop.get(f"/api/v1/households/{hh}")
        assert refused.status_code == missing.status_code == 404
        assert refused.json() == missing.json()  # existence does not leak
        assert all(i.get("household_id") != hh for i in laptop.pull())

    # Writing by id: an update, a new record in it, and a forged household insert.
    owner_name = owner.value("household", hh, "name")
    outsider.records[("household", hh)] = {"version": 1, "server_version": 1,
                                           "data": {"name": owner_name}}
    outsider.save("household.update", [outsider.update("household", hh, name="Gekaapt")], hh)
    outsider.save("person.create", [outsider.insert("person", new_id(), person_fields(hh))], hh)
    outsider.save("household.create", [outsider.insert("household", hh, household_fields(
        name="Kopie"))], hh)
    outsider.records[("case", case_id)] = {"version": 1, "server_version": 1, "data": {}}
    outsider.save("case.update", [outsider.update("case", case_id, regisseur_id=outsider.user_id)],
                  hh)
    verdicts = results(outsider.push())
    assert [(v["status"], v["reason"]) for v in verdicts] == [("rejected", "not_allowed")] * 4
    assert owner.get(f"/api/v1/households/{hh}").json()["items"][0]["fields"]["name"] == \
        owner_name
    assert hh not in household_ids(outsider)

    # team and worker records belong to the server.
    outsider.records[("worker", outsider.user_id)] = {"version": 1, "server_version": 1,
                                                     "data": {"role": "wijkwerker"}}
    outsider.save("worker.update", [outsider.update("worker", outsider.user_id,
                                                    role="beheerder")])
    assert results(outsider.push())[0]["reason"] == "server_owned"
    for laptop in (owner, outsider, other_coach, own_coach, beheerder, toetser):
        laptop.close()


def test_household_leaving_scope_is_reported_and_pending_work_still_lands(
        server: Server) -> None:
    worker, hh, case_id = case_household(server)
    coach = Laptop(server, server.account(worker.account.team, "teamcoach"))
    successor = Laptop(server, server.account(worker.account.team))
    coach.pull()
    # Worker records something offline, meanwhile the coach hands the case over.
    worker.save("household.update", [worker.update("household", hh, wijk="Zuid")], hh)
    coach.save("case.update", [coach.update("case", case_id, regisseur_id=successor.user_id)],
               hh)
    assert results(coach.push())[0]["status"] == "accepted"
    # The worker's earlier work is still accepted (it was made while in the caseload) ...
    assert results(worker.push())[0]["status"] == "accepted"
    worker.pull()
    assert worker.removed == [hh]
    assert ("household", hh) not in worker.records
    # ... and reaches the new regisseur, who receives the household as a snapshot.
    items = successor.pull()
    assert {i["op"] for i in items if i["household_id"] == hh} == {"snapshot"}
    assert successor.value("household", hh, "wijk") == "Zuid"
    assert hh not in {h["id"] for h in worker.get("/api/v1/households").json()["households"]}
    for laptop in (worker, coach, successor):
        laptop.close()


def test_pull_pages_and_directory(server: Server) -> None:
    team = server.team()
    laptop = Laptop(server, server.account(team))
    for n in range(7):
        laptop.new_household(f"Huishouden {n}")
    results(laptop.push())
    fresh = Laptop(server, laptop.account, "tweede laptop")
    items = fresh.pull(limit=3)
    households = [i for i in items if i["entity"] == "household"]
    assert len(households) == 7
    workers = {i["id"] for i in items if i["entity"] == "worker"}
    assert fresh.user_id in workers
    seqs = [i["server_seq"] for i in items]
    assert seqs == sorted(seqs)
    # An unchanged sync returns nothing and keeps the cursor.
    cursor = fresh.cursor
    assert fresh.pull() == [] and fresh.cursor == cursor
    laptop.close()
    fresh.close()


def test_append_only_plan_records_never_merge_and_a_toetser_only_records_toetsen(
        server: Server) -> None:
    worker, hh, _case_id = case_household(server)
    coach = Laptop(server, server.account(worker.account.team, "teamcoach"))
    version_id = worker.new_plan(hh)
    # One save that edits the concept and submits it: made on a concept, so it applies.
    record = worker.records[("plan_version", version_id)]["data"]
    edited = {**record["content"], "question": "Tweede"}
    worker.save("plan.concept_opslaan", [worker.update("plan_version", version_id,
                                                       content=edited, fingerprint="b" * 64)],
                hh)
    worker.status_change(version_id, "ter_beoordeling")
    assert [r["status"] for r in results(worker.push())] == ["accepted"] * 3
    coach.pull()
    review = coach.review(version_id, "terugsturen")
    coach.status_change(version_id, "teruggestuurd", [review])
    assert [(r["status"], r["reason"]) for r in results(coach.push())] == [("accepted", None)]
    worker.pull()
    # Afterwards: no field of the review changes, it is not deleted (not even by the coach
    # who made it), and the submitted content stays; each attempt is a conflict that keeps
    # both. The worker may not touch the coach's review at all.
    coach.save("x", [coach.update("plan_review", review.entity_id, outcome="goedkeuren")], hh)
    coach.save("x", [coach.delete("plan_review", review.entity_id)], hh)
    assert [v["status"] for v in results(coach.push())] == ["conflict"] * 2
    worker.save("x", [worker.update("plan_review", review.entity_id, outcome="goedkeuren")],
                hh)
    worker.save("x", [worker.update("plan_version", version_id,
                                    content={**edited, "question": "Stil"})], hh)
    verdicts = results(worker.push())
    assert [(v["status"], v["reason"]) for v in verdicts] == [
        ("rejected", "role_not_allowed"), ("conflict", None)]
    assert len(verdicts[1]["conflict_ids"]) == 1
    items = {i["entity"]: i["fields"] for i in
             worker.get(f"/api/v1/households/{hh}").json()["items"]}
    assert items["plan_review"]["outcome"] == "terugsturen"
    assert items["plan_version"]["content"]["question"] == "Tweede"
    conflict_id = verdicts[1]["conflict_ids"][0]
    refused = worker.post(f"/api/v1/conflicts/{conflict_id}/resolve", json={"choice": "mine"})
    assert refused.status_code == 409 and refused.json()["code"] == "immutable"

    # Under review: the team's toetser sees the household, and may only add a toets.
    second = worker.new_plan(hh, plan_id=record["plan_id"], number=2)
    worker.status_change(second, "ter_beoordeling")
    results(worker.push())
    toetser = Laptop(server, server.account(worker.account.team, "toetser"))
    assert any(i["id"] == hh for i in toetser.pull())
    toetser.save("plan.toets", [toetser.toets(second)], hh)
    toetser.save("person.create", [toetser.insert("person", new_id(), person_fields(hh))], hh)
    assert [(v["status"], v["reason"]) for v in results(toetser.push())] == [
        ("accepted", None), ("rejected", "not_allowed")]
    worker.close()
    coach.close()
    toetser.close()
