"""The access log travels (real laptops, real server; SQLite and PostgreSQL): every entry of
a laptop's audit chain reaches the server at the next sync, which checks each link and keeps
it append-only; the coach sees the worker's views; the beheerder (and the CLI) gets the log
per person; a forged entry is refused."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from tests.server.conftest import PASSWORD, Server
from tests.sync.conftest import Laptop
from wijkteam_app.persistence.schema import AuditRecord, PersonRecord
from wijkteam_app.services.access_log import AccessLogService
from wijkteam_app.sync.auditlog import entry_hash
from wijkteam_server.models import AuditLogRow


def server_rows(server: Server, device_id: str) -> list[AuditLogRow]:
    with Session(server.engine) as session:
        rows = list(session.scalars(select(AuditLogRow).where(AuditLogRow.device_id == device_id)
                                    .order_by(AuditLogRow.local_id)))
        session.expunge_all()
        return rows


def local_count(laptop: Laptop) -> int:
    with laptop.workspace.casefile.read() as session:
        return session.scalar(select(func.count()).select_from(AuditRecord)) or 0


def person_of(laptop: Laptop, household_id: str) -> str:
    with laptop.workspace.casefile.read() as session:
        return str(session.scalars(select(PersonRecord.id).where(
            PersonRecord.household_id == household_id)).first())


def token(server: Server, username: str, device: str) -> str:
    with server.client() as client:
        answer = client.post("/api/v1/auth/login", json={
            "username": username, "password": PASSWORD, "device_name": device})
        assert answer.status_code == 200, answer.text
        return str(answer.json()["access_token"])


def test_views_reach_the_server_and_the_coach_sees_who_looked(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    team = server.team()
    worker = make_laptop(server.account(team))
    coach = make_laptop(server.account(team, "teamcoach"))
    hh, _case = worker.new_household("Huishouden Ingezien")
    AccessLogService(worker.workspace).viewed_household(hh)
    worker.sync_ok()

    rows = server_rows(server, worker.workspace.casefile.device_id)
    assert [r.local_id for r in rows] == list(range(1, local_count(worker) + 1))
    views = [r for r in rows if r.action == "inzage.huishouden"]
    assert [(v.household_id, v.actor_id) for v in views] == [(hh, worker.user_id)]
    worker.sync_ok()  # nothing twice
    assert len(server_rows(server, worker.workspace.casefile.device_id)) == len(rows)

    coach.sync_ok()
    AccessLogService(coach.workspace).viewed_household(hh)
    remote = coach.sync.access_log(hh)
    merged = AccessLogService(coach.workspace).merged(hh, remote)
    worker_view = [e for e in merged if e.action == "inzage.huishouden" and not e.this_device]
    assert worker_view and worker_view[0].actor_id == worker.user_id
    assert worker_view[0].actor_name == worker.account.username.title()
    own_view = [e for e in merged if e.action == "inzage.huishouden" and e.this_device]
    assert len(own_view) == 1  # the coach's own view, not yet sent, shown once

    # Per person: the beheerder endpoint and the CLI.
    person = person_of(worker, hh)
    beheerder = server.account(team, "beheerder")
    other = server.account(team)
    with server.client() as client:
        headers = {"Authorization": f"Bearer {token(server, other.username, 'x')}"}
        assert client.get("/api/v1/admin/access-log", params={"person_id": person},
                          headers=headers).status_code == 403
        headers = {"Authorization": f"Bearer {token(server, beheerder.username, 'y')}"}
        answer = client.get("/api/v1/admin/access-log", params={"person_id": person},
                            headers=headers)
        assert answer.status_code == 200
        actions = [e["action"] for e in answer.json()["entries"]]
        assert "inzage.huishouden" in actions
        # Someone outside the household's scope gets the same 404 as for nothing at all.
        assert client.get(f"/api/v1/households/{hh}/access-log",
                          headers={"Authorization": "Bearer " + token(
                              server, other.username, "z")}).status_code == 404
    listed = server.cli("access-log", "--person", person, "--json")
    assert listed.returncode == 0, listed.stderr
    assert any(e["action"] == "inzage.huishouden" and e["actor_id"] == worker.user_id
               for e in json.loads(listed.stdout))
    table = server.cli("access-log", "--household", hh)
    assert "inzage.huishouden" in table.stdout


def test_the_server_keeps_the_log_append_only(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    worker = make_laptop(server.account(server.team()))
    worker.new_household()
    worker.sync_ok()
    device = worker.workspace.casefile.device_id
    for statement in ("UPDATE audit_log SET action = 'x' WHERE device_id = :d",
                      "DELETE FROM audit_log WHERE device_id = :d"):
        with pytest.raises(DBAPIError), server.engine.begin() as conn:
            conn.execute(text(statement), {"d": device})
    assert server_rows(server, device)[0].action != "x"


def test_a_forged_or_broken_chain_is_refused(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    account = server.account(server.team())
    worker: Laptop = make_laptop(account)
    worker.sync_ok()
    device = worker.workspace.casefile.device_id
    last = server_rows(server, device)[-1]
    at = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    fields = dict(actor_id=worker.user_id, action="inzage.huishouden", object_type="huishouden",
                  object_id="", result="ok", changeset_id=None)
    good = entry_hash(last.hash, at, device, **fields)  # type: ignore[arg-type]
    entry = {"local_id": last.local_id + 1, "at": at.isoformat() + "Z", **fields,
             "prev_hash": last.hash, "hash": good}
    forged = {**entry, "action": "plan.afdrukken"}  # the hash no longer fits
    gap = {**entry, "local_id": last.local_id + 5}
    with httpx.Client(base_url=server.base_url) as client:
        # A login of the same device (its id), as the laptop itself would make.
        answer = client.post("/api/v1/auth/login", json={
            "username": account.username, "password": PASSWORD, "device_name": "laptop",
            "device_id": device})
        headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}
        for body, code in ((forged, "audit_chain_broken"), (gap, "audit_gap")):
            answer = client.post("/api/v1/audit", json={"entries": [body]}, headers=headers)
            assert answer.status_code == 409 and answer.json()["code"] == code
        answer = client.post("/api/v1/audit", json={"entries": [entry]}, headers=headers)
        assert answer.status_code == 200
        assert answer.json()["stored_through"] == last.local_id + 1
    assert server_rows(server, device)[-1].hash == good
