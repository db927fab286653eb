"""Real laptops against a real server process (SQLite and PostgreSQL): offline work, merges,
conflicts, lost answers, scope, caseload changes, revocation, logout."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest
from sqlalchemy import func, select

from tests.server.conftest import Server
from tests.sync.conftest import Laptop
from wijkteam_app.persistence.schema import (
    AuditRecord,
    CaseRecord,
    HouseholdRecord,
    OutboxRecord,
    PlanReviewRecord,
    PlanVersionRecord,
    TeamRecord,
    WorkerRecord,
)
from wijkteam_app.persistence.sync_schema import SyncVerdictRecord
from wijkteam_app.services.sync import _KeyringTokens
from wijkteam_app.sync.engine import SyncEngine
from wijkteam_app.sync.state import SyncReport
from wijkteam_app.sync.transport import Offline, Refused, Transport
from wijkteam_server.models import AppliedChangeSet, ChangeLog, EntityRow


def server_row(server: Server, entity: str, entity_id: str) -> EntityRow:
    from sqlalchemy.orm import Session

    with Session(server.engine) as session:
        row = session.get(EntityRow, (entity, entity_id))
        assert row is not None
        session.expunge(row)
        return row


def outbox_size(laptop: Laptop) -> int:
    with laptop.workspace.casefile.read() as session:
        return int(session.scalar(select(func.count()).select_from(OutboxRecord)) or 0)


def test_login_adopts_the_server_identity_and_the_first_sync_delivers_everything(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    team = server.team()
    account = server.account(team)
    laptop = make_laptop(account, login=False)
    local_worker = laptop.user_id
    # Work recorded before the first login, under the local identity of `wijkteam init`.
    hh, case_id = laptop.new_household("Huishouden Voorlogin")
    laptop.sync.login(server.base_url, account.username, account.password)
    assert laptop.user_id == account.id and laptop.user_id != local_worker
    with laptop.workspace.casefile.read() as session:
        case = session.get(CaseRecord, case_id)
        assert case is not None and case.regisseur_id == account.id
        assert case.team_id == laptop.team_id
        assert session.get(WorkerRecord, local_worker) is None  # the placeholder is gone
        assert session.scalar(select(func.count()).select_from(TeamRecord)) == 1
    before = outbox_size(laptop)
    report = laptop.sync_ok()
    assert report.pushed == before and report.rejected == 0
    assert outbox_size(laptop) == before  # pulling wrote no new change-sets
    row = server_row(server, "case", case_id)
    assert row.data["regisseur_id"] == account.id and row.data["team_id"] == laptop.team_id
    assert server_row(server, "household", hh).data["name"] == "Huishouden Voorlogin"
    with laptop.workspace.casefile.read() as session:
        actions = list(session.scalars(select(AuditRecord.action)))
        assert "sync.ontvangen" in actions
    status = laptop.sync.status()
    assert status.logged_in and status.online and status.pending_changes == 0
    assert status.last_sync_at is not None
    # A second sync with nothing new sends nothing and applies nothing.
    again = laptop.sync_ok()
    assert (again.pushed, again.pulled) == (0, 0)


def test_demo_data_made_before_the_login_belongs_to_the_worker_and_team(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    from wijkteam_app.services.demo import fill_demo

    account = server.account(server.team())
    laptop = make_laptop(account, login=False)
    fill_demo(laptop.workspace, households=3)
    laptop.sync.login(server.base_url, account.username, account.password)
    report = laptop.sync_ok()
    with laptop.workspace.casefile.read() as local:
        coach_reviews = list(local.scalars(select(PlanReviewRecord)))
    # The fictitious demo coach's approvals are not this worker's to make: the server, which
    # never trusts an actor id from a payload, refuses them (and says so); the rest lands.
    with laptop.workspace.casefile.read() as local:
        refused = list(local.execute(
            select(OutboxRecord.action, SyncVerdictRecord.reason)
            .join(OutboxRecord, OutboxRecord.id == SyncVerdictRecord.changeset_id)
            .where(SyncVerdictRecord.status == "rejected")))
    # The approval is refused as forged; so is the identity adoption's copy of that version's
    # history, which still holds the refused approval. Everything else lands.
    assert coach_reviews and report.pushed > 0 and report.rejected == 2
    assert sorted(refused) == [("plan.goedkeuren", "forged_actor"),
                               ("sync.identiteit_overnemen", "history_rewritten")]
    from sqlalchemy.orm import Session

    with Session(server.engine) as session:
        rows = list(session.scalars(select(EntityRow).where(EntityRow.entity.in_(
            ["case", "contact_moment", "assessment", "consent"]))))
    mine = [r for r in rows if account.id in {r.data.get("regisseur_id"), r.data.get(
        "worker_id"), r.data.get("assessor_id"), r.data.get("recorded_by")}]
    cases = [r for r in mine if r.entity == "case"]
    assert len(cases) == 3 and all(r.data["team_id"] == laptop.team_id for r in cases)
    assert {r.entity for r in mine} >= {"case", "contact_moment", "assessment"}
    # The demo's plan versions travel too; nothing is held.
    with laptop.workspace.casefile.read() as local:
        plan_ids = {(r.__entity__, r.id) for r in local.scalars(select(PlanVersionRecord))}
    assert plan_ids
    with Session(server.engine) as session:
        for entity, record_id in plan_ids:
            assert session.get(EntityRow, (entity, record_id)) is not None


def test_two_laptops_and_a_coach_offline_merge_conflict_and_resolution(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    team = server.team()
    anna_account = server.account(team)
    bert_account = server.account(team)
    anna = make_laptop(anna_account)
    bert = make_laptop(bert_account)
    coach = make_laptop(server.account(team, "teamcoach"))
    hh, _case = anna.new_household("Huishouden Samen", case_team=(bert_account.id,))
    anna.sync_ok()
    bert.sync_ok()
    coach.sync_ok()
    assert bert.has_household(hh) and coach.has_household(hh)
    base_name = bert.household(hh).name

    for laptop in (anna, bert, coach):
        laptop.net.offline = True
    anna.edit(hh, street="Annastraat")  # different fields merge ...
    bert.edit(hh, city="Bertstad")
    anna.edit(hh, name="Fam. Anna")  # ... the same field conflicts
    bert.edit(hh, name="Fam. Bert")
    offline = anna.sync.sync_once()
    assert offline.offline and not offline.ok and offline.errors
    assert anna.sync.status().online is False
    assert anna.sync.status().pending_changes == 2

    for laptop in (anna, bert, coach):
        laptop.net.offline = False
    assert anna.sync_ok().conflicts == 0
    report = bert.sync_ok()
    assert report.conflicts == 1
    anna.sync_ok()
    coach.sync_ok()
    for laptop in (anna, bert, coach):
        shown = laptop.household(hh)
        assert shown.address.street == "Annastraat" and shown.address.city == "Bertstad"
        assert shown.name == "Fam. Anna"  # theirs stays in place until someone chooses
    # Nothing is lost: Bert's value is held in the conflict, visible to him and the coach.
    [conflict] = bert.sync.conflicts()
    assert (conflict.field, conflict.base, conflict.mine.value, conflict.theirs.value) == (
        "name", base_name, "Fam. Bert", "Fam. Anna")
    assert conflict.mine.actor_id == bert_account.id
    assert conflict.theirs.actor_id == anna_account.id
    assert conflict.theirs.actor_name  # who and when are shown
    assert conflict.mine.at is not None and conflict.theirs.at is not None
    [seen_by_coach] = coach.sync.conflicts()
    assert seen_by_coach.id == conflict.id
    assert coach.sync.status().open_conflicts == 1

    # The coach merges by hand; the choice reaches everyone.
    coach.sync.resolve(conflict.id, "Fam. Anna en Bert")
    for laptop in (anna, bert, coach):
        laptop.sync_ok()
        assert laptop.household(hh).name == "Fam. Anna en Bert"
        assert laptop.sync.conflicts() == []
        assert laptop.sync.status().open_conflicts == 0
    assert server_row(server, "household", hh).data["name"] == "Fam. Anna en Bert"


def test_a_lost_push_answer_is_retried_without_duplicates(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    laptop = make_laptop(server.account(server.team()))
    hh, _case = laptop.new_household("Huishouden Verloren")
    laptop.edit(hh, street="Tweede Straat")
    laptop.net.lose_next.add("/sync/push")
    report = laptop.sync_ok()  # the first answer is lost; the engine sends again
    pushes = [p for m, p in laptop.net.requests if p.endswith("/sync/push")]
    assert len(pushes) >= 2
    assert report.rejected == 0
    from sqlalchemy.orm import Session

    with laptop.workspace.casefile.read() as session:
        ids = list(session.scalars(select(OutboxRecord.id)))
    with Session(server.engine) as session:
        stored = list(session.scalars(select(AppliedChangeSet.id).where(
            AppliedChangeSet.id.in_(ids))))
        inserts = session.scalar(select(func.count()).select_from(ChangeLog).where(
            ChangeLog.entity_id == hh, ChangeLog.op == "insert"))
    assert sorted(stored) == sorted(ids)  # each exactly once
    assert inserts == 1
    assert server_row(server, "household", hh).data["street"] == "Tweede Straat"
    assert laptop.sync.status().pending_changes == 0

    # A lost answer with the laptop giving up (still offline afterwards): next time it
    # sends the same change-sets again and learns their verdicts as duplicates.
    laptop.edit(hh, city="Derde Stad")
    laptop.net.lose_next.add("/sync/push")
    laptop.sync.sync_once()
    laptop.sync_ok()
    assert laptop.sync.status().pending_changes == 0
    assert server_row(server, "household", hh).data["city"] == "Derde Stad"


def test_a_worker_of_team_a_cannot_read_or_write_team_b(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    owner = make_laptop(server.account(server.team()))
    hh, case_id = owner.new_household("Huishouden Geheim")
    owner.sync_ok()
    outsider = make_laptop(server.account(server.team()))
    outsider.sync_ok()
    assert not outsider.has_household(hh)
    # Reading, by list and by id, with the outsider's own stored tokens.
    with own_transport(outsider) as transport:
        assert hh not in {h.id for h in transport.households().households}
        with pytest.raises(Refused) as refused:
            transport.household(hh)
        assert refused.value.status == 404
    # Writing: the outsider forges the household into its own file and changes it.
    with outsider.workspace.casefile.read() as session:
        session.add(HouseholdRecord(id=hh, version=1, name="Kopie", street="X", house_number=1,
                                    house_number_suffix="", postcode="1234 AB", city="Y",
                                    wijk="Z", created_at=datetime(2026, 1, 1)))
    outsider.edit(hh, name="Gekaapt")
    report = outsider.sync.sync_once()
    assert report.rejected == 1
    assert outsider.sync.status().rejected_changes == 1
    assert server_row(server, "household", hh).data["name"] == "Huishouden Geheim"
    assert server_row(server, "case", case_id).data["regisseur_id"] == owner.user_id


def own_transport(laptop: Laptop) -> Transport:
    return Transport(laptop.server.base_url, _KeyringTokens(laptop.sync._token_store),
                     http_transport=laptop.net)


def test_a_household_leaving_the_caseload_is_kept_until_its_changes_are_in(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    team = server.team()
    worker = make_laptop(server.account(team))
    coach = make_laptop(server.account(team, "teamcoach"))
    successor_account = server.account(team)
    hh, case_id = worker.new_household("Huishouden Overdracht")
    worker.sync_ok()
    coach.sync_ok()
    # The worker records something offline; meanwhile the coach hands the case over.
    worker.edit(hh, street="Nieuwe Straat")
    case = coach.households.cases(hh)[0].case
    coach.households.save_case(replace(case, regisseur_id=successor_account.id))
    coach.sync_ok()
    # The worker's push answer is lost (no retry), then it reads the feed: "left".
    worker.net.lose_next.add("/sync/push")
    partial = SyncReport()
    with own_transport(worker) as transport:
        engine = SyncEngine(worker.workspace.casefile, transport, actor_id=worker.user_id,
                            retries=0)
        with pytest.raises(Offline):
            engine.push(partial)
        engine.pull(partial)
        engine.process_removals(partial)
    assert partial.kept == 1 and partial.removed == 0
    assert worker.has_household(hh), "removed before its change was accepted"
    # The next sync delivers the change (a duplicate for the server) and only then removes.
    report = worker.sync_ok()
    assert report.removed == 1 and not worker.has_household(hh)
    successor = make_laptop(successor_account)
    successor.sync_ok()
    assert successor.household(hh).address.street == "Nieuwe Straat"
    assert server_row(server, "case", case_id).data["regisseur_id"] == successor_account.id
