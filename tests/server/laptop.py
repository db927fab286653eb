"""A minimal stand-in for a laptop: an outbox of change-sets shaped exactly like the case
file's `OutboxRecord` rows (built with the domain's own `EntityChange.to_json`), a replica fed
by the pull feed, and the HTTP calls of the protocol."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx

from tests.server.conftest import Account, Server
from wijkteam_app.domain.changes import EntityChange, FieldChange, Operation


def new_id() -> str:
    return str(uuid.uuid4())


def person_fields(household_id: str, **over: Any) -> dict[str, Any]:
    return {"household_id": household_id, "first_name": "Anouk", "name_prefix": "",
            "last_name": "Proef", "search_name": "", "birth_date": "1980-05-17", "bsn": "",
            "household_role": "hoofdbewoner", "gezag_holder_ids": [], "gezag_note": "",
            **over}


def household_fields(**over: Any) -> dict[str, Any]:
    return {"name": "Huishouden Proef", "street": "Proefstraat", "house_number": 1,
            "house_number_suffix": "", "postcode": "1234 AB", "city": "Voorbeeldstad",
            "wijk": "Noord", "created_at": "2026-01-05T10:00:00", **over}


def support(product_code: str = "L06SB1", cost_cents: int = 100_000) -> dict[str, Any]:
    return {"product_code": product_code, "product_name": "Begeleiding", "provider": "Zorg BV",
            "volume": 2, "unit_code": "04", "frequency_code": "2", "start": "2026-01-01",
            "end": "2026-06-30", "cost_cents": cost_cents}


def plan_content(regisseur_id: str, supports: list[dict[str, Any]] | None = None,
                 question: str = "Grip op geld") -> dict[str, Any]:
    return {"question": question, "regisseur_id": regisseur_id, "goals": [{
        "id": "doel-1", "domain_code": "financien", "description": "Schulden op orde",
        "current_level": 2, "target_level": 3, "horizon": "drie_maanden", "zelf": "",
        "netwerk": [], "voorzieningen": [], "professioneel": supports or []}]}


def plan_fields(household_id: str, author_id: str, *, content: dict[str, Any] | None = None,
                plan_id: str | None = None, number: int = 1) -> dict[str, Any]:
    return {"household_id": household_id, "plan_id": plan_id or new_id(), "number": number,
            "status": "concept", "content": content or plan_content(author_id),
            "fingerprint": "a" * 64, "based_on_id": None, "created_at": "2026-11-23T09:00:00",
            "created_by": author_id, "history": [
                {"from_status": None, "to_status": "concept", "actor_id": author_id,
                 "at": "2026-11-23T09:00:00", "note": ""}]}


class Laptop:
    def __init__(self, server: Server, account: Account, name: str = "laptop",
                 device_id: str | None = None) -> None:
        self.server = server
        self.account = account
        self.http = server.client()
        body: dict[str, Any] = {"username": account.username, "password": account.password,
                                "device_name": name}
        if device_id:
            body["device_id"] = device_id
        response = self.http.post("/api/v1/auth/login", json=body)
        assert response.status_code == 200, response.text
        tokens = response.json()
        self.device_id: str = tokens["device_id"]
        self.user_id: str = tokens["user"]["id"]
        self.team_id: str = tokens["user"]["team_id"]
        self.access: str = tokens["access_token"]
        self.refresh: str = tokens["refresh_token"]
        self.seq: int = tokens["last_device_seq"]
        self.outbox: list[dict[str, Any]] = []
        self.cursor = 0
        # (entity, id) -> {"version": local version, "server_version": int, "data": {...}}
        self.records: dict[tuple[str, str], dict[str, Any]] = {}
        self.removed: list[str] = []
        self.open_conflicts = 0

    # ------------------------------------------------------------------ HTTP

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access}"}

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.get(path, headers=self.headers, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.post(path, headers=self.headers, **kwargs)

    def close(self) -> None:
        self.http.close()

    # ------------------------------------------------------------------ local saves

    def save(self, action: str, changes: list[EntityChange],
             household_id: str | None = None) -> dict[str, Any]:
        """What `CaseFile.save` appends to the outbox, as the sync engine would send it."""
        self.seq += 1
        row = {
            "id": new_id(),
            "device_seq": self.seq,
            "created_at": datetime.now(UTC).replace(tzinfo=None).isoformat(),
            "actor_id": self.user_id,
            "action": action,
            "household_id": household_id,
            "changes": [c.to_json() for c in changes],
        }
        self.outbox.append(row)
        return row

    def insert(self, entity: str, entity_id: str, data: dict[str, Any]) -> EntityChange:
        self.records[(entity, entity_id)] = {"version": 1, "server_version": 0,
                                             "data": dict(data)}
        return EntityChange(entity, entity_id, Operation.INSERT, 0,
                            tuple(FieldChange(k, None, v) for k, v in data.items()))

    def update(self, entity: str, entity_id: str, **values: Any) -> EntityChange:
        record = self.records[(entity, entity_id)]
        base = record["version"]
        fields = tuple(FieldChange(k, record["data"].get(k), v) for k, v in values.items())
        record["data"].update(values)
        record["version"] = base + 1
        return EntityChange(entity, entity_id, Operation.UPDATE, base, fields)

    def delete(self, entity: str, entity_id: str) -> EntityChange:
        record = self.records.pop((entity, entity_id))
        return EntityChange(entity, entity_id, Operation.DELETE, record["version"],
                            tuple(FieldChange(k, v, None) for k, v in record["data"].items()))

    def new_household(self, name: str = "Huishouden Proef") -> str:
        hh = new_id()
        change = self.insert("household", hh, household_fields(name=name))
        self.save("household.create", [change], hh)
        return hh

    def new_case(self, household_id: str, team_id: str, regisseur_id: str,
                 case_team_ids: list[str] | None = None) -> str:
        case_id = new_id()
        change = self.insert("case", case_id, {
            "household_id": household_id, "team_id": team_id, "regisseur_id": regisseur_id,
            "case_team_ids": case_team_ids or [], "status": "aangemeld",
            "referral_source": "huisarts", "referral_date": "2026-01-05", "referral_note": "",
            "quickscan_self": "", "quickscan_arrange": "", "quickscan_help": "",
            "complexity": None, "urgency": [], "client_profile": None, "problem_areas": [],
            "next_evaluation": None, "closed_on": None,
        })
        self.save("case.create", [change], household_id)
        return case_id

    def new_person(self, household_id: str, **over: Any) -> str:
        person_id = new_id()
        self.save("person.create", [self.insert("person", person_id,
                                                person_fields(household_id, **over))],
                  household_id)
        return person_id

    def new_plan(self, household_id: str, *, content: dict[str, Any] | None = None,
                 plan_id: str | None = None, number: int = 1) -> str:
        version_id = new_id()
        self.save("plan.aanmaken", [self.insert("plan_version", version_id, plan_fields(
            household_id, self.user_id, content=content, plan_id=plan_id, number=number))],
            household_id)
        return version_id

    def status_change(self, version_id: str, to: str,
                      extra: list[EntityChange] | None = None) -> dict[str, Any]:
        """A plan status step as the app saves it: status and one more history entry by me,
        plus the records that go with it (a review, a signature, ...)."""
        record = self.records[("plan_version", version_id)]["data"]
        entry = {"from_status": record["status"], "to_status": to, "actor_id": self.user_id,
                 "at": "2026-11-23T10:00:00", "note": ""}
        household = record["household_id"]
        change = self.update("plan_version", version_id, status=to,
                             history=[*record["history"], entry])
        return self.save(f"plan.{to}", [change, *(extra or [])], household)

    def review(self, version_id: str, outcome: str, reviewer_id: str | None = None,
               ) -> EntityChange:
        household = self.records[("plan_version", version_id)]["data"]["household_id"]
        return self.insert("plan_review", new_id(), {
            "household_id": household, "version_id": version_id,
            "reviewer_id": reviewer_id or self.user_id, "decided_at": "2026-11-23T10:00:00",
            "outcome": outcome,
            "comments": [{"section": "doelen", "text": "Graag concreter", "goal_id": None}]})

    def toets(self, version_id: str, decision: str = "positief") -> EntityChange:
        household = self.records[("plan_version", version_id)]["data"]["household_id"]
        return self.insert("plan_toets", new_id(), {
            "household_id": household, "version_id": version_id, "toetser_id": self.user_id,
            "decided_at": "2026-11-23T11:00:00", "decision": decision, "note": ""})

    # ------------------------------------------------------------------ sync

    def push(self, rows: list[dict[str, Any]] | None = None) -> httpx.Response:
        """Send the outbox (or the given rows); accepted rows leave the outbox."""
        send = self.outbox if rows is None else rows
        response = self.post("/api/v1/sync/push",
                             json={"device_id": self.device_id, "changesets": send})
        if response.status_code in (200, 409):
            done = {r["id"] for r in response.json()["results"]}
            self.outbox = [r for r in self.outbox if r["id"] not in done]
        return response

    def pull(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Pull every page and apply it; returns the items received."""
        received: list[dict[str, Any]] = []
        while True:
            params: dict[str, Any] = {"cursor": self.cursor}
            if limit:
                params["limit"] = limit
            response = self.get("/api/v1/sync/pull", params=params)
            assert response.status_code == 200, response.text
            page = response.json()
            for item in page["items"]:
                self._apply(item)
            received.extend(page["items"])
            for household in page["removed_households"]:
                self.removed.append(household)
                for key in [k for k, r in self.records.items()
                            if r["data"].get("household_id") == household or k[1] == household]:
                    del self.records[key]
            self.cursor = page["next_cursor"]
            self.open_conflicts = page["open_conflicts"]
            if not page["has_more"]:
                return received

    def _apply(self, item: dict[str, Any]) -> None:
        key = (item["entity"], item["id"])
        record = self.records.get(key)
        known = record["server_version"] if record else 0
        if item["op"] == "delete":
            self.records.pop(key, None)
            return
        newer = item["version"] >= known if item["op"] == "snapshot" else item["version"] > known
        if not newer:
            return
        if record is None or item["op"] in ("snapshot", "insert"):
            data = dict(item["fields"])
            if item["entity"] == "household":
                data.setdefault("household_id", item["id"])
            self.records[key] = {"version": item["version"], "server_version": item["version"],
                                 "data": data}
        else:
            record["data"].update(item["fields"])
            record["version"] = item["version"]
            record["server_version"] = item["version"]

    def value(self, entity: str, entity_id: str, field: str) -> Any:
        return self.records[(entity, entity_id)]["data"].get(field)
