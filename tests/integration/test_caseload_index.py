"""The caseload index (migration 0008) stays right on every path that writes: saves through
the services, and records the sync engine applies straight to the tables. What a worker
notices: search and the status/urgency/"mijn caseload" filters show the current state."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from typing import Any, cast

from sqlalchemy import text

from tests.helpers import factories
from wijkteam_app.domain.cases import Case, CaseStatus, ReferralSource, UrgencyCriterion
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.workers import Role, Worker
from wijkteam_app.persistence import caseload_index
from wijkteam_app.persistence.database import check_casefile
from wijkteam_app.persistence.repositories import save_worker
from wijkteam_app.persistence.sync_schema import SyncStateRecord
from wijkteam_app.services.households import CaseloadFilter, HouseholdService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.sync.engine import SyncEngine
from wijkteam_app.sync.protocol import FeedItem
from wijkteam_app.sync.transport import Transport


def found(service: HouseholdService, **flt: Any) -> list[str]:
    return [row.name for row in service.caseload(CaseloadFilter(**flt))]


def add_colleague(ws: Workspace) -> str:
    worker = Worker(new_id(), "collega", "Collega Test", Role.WIJKWERKER, ws.team.id)
    with ws.casefile.save(ws.actor_id, "medewerker.test", "medewerker", worker.id) as ctx:
        save_worker(ctx.session, worker)
    return worker.id


def index_problems(ws: Workspace) -> list[str]:
    with ws.casefile.engine.connect() as conn:
        return caseload_index.problems(conn)


@contextmanager
def acting_as(ws: Workspace, worker_id: str) -> Iterator[None]:
    """Saves by a colleague on this case file (the services check what they may do)."""
    me = ws.worker
    ws.worker = Worker(worker_id, "collega", "Collega Test", Role.WIJKWERKER, ws.team.id)
    try:
        yield
    finally:
        ws.worker = me


def test_saves_through_the_services_keep_search_and_filters_right(workspace: Workspace) -> None:
    service = HouseholdService(workspace)
    me = workspace.worker.id
    household = factories.household("Huishouden Çelik")
    anouk = factories.person(household.id, "Anouk", "Çelik-Proef")
    service.create(household, [anouk])
    # No case yet: in my caseload, without a status.
    assert found(service, worker_id=me) == ["Huishouden Çelik"]
    assert found(service, text="celik-pro") == ["Huishouden Çelik"]  # accents and case
    assert found(service, text="huishouden cel") == ["Huishouden Çelik"]

    colleague = add_colleague(workspace)
    # I register the first case with a colleague as regisseur (from then on, theirs).
    service.save_case(Case(new_id(), household.id, workspace.team.id, colleague,
                           CaseStatus.UITVOERING, ReferralSource.HUISARTS, date(2025, 1, 1)))
    # The only case is a colleague's: no longer mine, in theirs; status from that case.
    assert found(service, worker_id=me) == []
    assert found(service, worker_id=colleague) == ["Huishouden Çelik"]
    assert found(service, status="uitvoering") == ["Huishouden Çelik"]

    with acting_as(workspace, colleague):
        service.save_case(Case(new_id(), household.id, workspace.team.id, colleague,
                               CaseStatus.AANGEMELD, ReferralSource.HUISARTS, date(2026, 2, 1),
                               case_team_ids=(me,),
                               urgency=(UrgencyCriterion.HUISELIJK_GEWELD,)))
    # The most recent case decides status and urgency; the case team makes it mine.
    assert found(service, status="uitvoering") == []
    assert found(service, status="aangemeld") == ["Huishouden Çelik"]
    assert found(service, urgency="huiselijk_geweld", worker_id=me) == ["Huishouden Çelik"]

    stored = service.cases(household.id)[0].case
    with acting_as(workspace, colleague):
        service.save_case(replace(stored, status=CaseStatus.AFGESLOTEN, urgency=(),
                                  closed_on=date(2026, 3, 1), case_team_ids=()))
        person = service.get(household.id).members[0]
        service.save_person(replace(person, last_name="Yilmaz"))
        service.update(replace(service.get(household.id).household, name="Familie Yilmaz"))
    assert found(service, status="afgesloten") == ["Familie Yilmaz"]
    assert found(service, urgency="huiselijk_geweld") == []
    assert found(service, worker_id=me) == []
    assert found(service, text="yilmaz") == ["Familie Yilmaz"]
    assert found(service, text="celik") == []
    assert index_problems(workspace) == []


def logged_in_engine(ws: Workspace) -> SyncEngine:
    with ws.casefile.read() as session:
        session.add(SyncStateRecord(
            id=1, server_url="https://example.invalid", user_id=ws.worker.id, username="w",
            display_name="W", role="wijkwerker", team_id=ws.team.id, team_name="T",
            logged_in=True, cursor=0, pushed_seq=0, open_conflicts=0))
    return SyncEngine(ws.casefile, cast(Transport, None), actor_id=ws.worker.id)


def item(seq: int, entity: str, record_id: str, scope: str, op: str, version: int,
         fields: dict[str, Any] | None = None) -> FeedItem:
    return FeedItem(server_seq=seq, changeset_id=None, origin_device_id=None, actor_id=None,
                    entity=entity, id=record_id, household_id=scope, op=op,
                    version=version, fields=fields or {})


def test_records_applied_by_the_sync_engine_keep_search_and_filters_right(
        workspace: Workspace) -> None:
    service = HouseholdService(workspace)
    engine = logged_in_engine(workspace)
    me = workspace.worker.id
    h, p, c = new_id(), new_id(), new_id()
    household = {"name": "Huishouden Verweg", "street": "Kade", "house_number": 3,
                 "house_number_suffix": "", "postcode": "9999 ZZ", "city": "Stad",
                 "wijk": "Oost", "created_at": "2026-01-01T10:00:00"}
    person = {"household_id": h, "first_name": "Sem", "name_prefix": "", "last_name": "Verweg",
              "search_name": "sem verweg", "birth_date": "2010-04-30", "bsn": "",
              "household_role": "kind", "gezag_holder_ids": [], "gezag_note": ""}
    case = {"household_id": h, "team_id": workspace.team.id, "regisseur_id": me,
            "case_team_ids": [], "status": "aangemeld", "referral_source": "huisarts",
            "referral_date": "2026-01-02", "referral_note": "", "quickscan_self": "",
            "quickscan_arrange": "", "quickscan_help": "", "complexity": None,
            "urgency": ["huiselijk_geweld"], "client_profile": None, "problem_areas": [],
            "next_evaluation": None, "closed_on": None}
    # A page may bring a child before its parent.
    engine.apply([item(3, "case", c, h, "insert", 1, case),
                  item(2, "person", p, h, "insert", 1, person),
                  item(1, "household", h, h, "insert", 1, household)])
    assert found(service, text="sem verw", worker_id=me) == ["Huishouden Verweg"]
    assert found(service, text="30-04-2010") == ["Huishouden Verweg"]
    assert found(service, text="9999ZZ 3") == ["Huishouden Verweg"]
    assert found(service, status="aangemeld", urgency="huiselijk_geweld") == ["Huishouden Verweg"]

    engine.apply([item(4, "case", c, h, "update", 2, {"status": "uitvoering", "urgency": []}),
                  item(5, "person", p, h, "update", 2,
                       {"search_name": "sem anders", "last_name": "Anders"})])
    assert found(service, status="uitvoering") == ["Huishouden Verweg"]
    assert found(service, status="aangemeld") == []
    assert found(service, urgency="huiselijk_geweld") == []
    assert found(service, text="verweg") == ["Huishouden Verweg"]  # the household's name
    assert found(service, text="sem verw") == []
    assert found(service, text="sem anders") == ["Huishouden Verweg"]
    assert index_problems(workspace) == []

    engine.apply([item(6, "case", c, h, "delete", 3), item(7, "person", p, h, "delete", 3),
                  item(8, "household", h, h, "delete", 2)])
    assert found(service, text="verweg") == []
    with workspace.casefile.read() as session:
        left = session.execute(text(
            "SELECT (SELECT count(*) FROM caseload_index WHERE household_id = :h) + "
            "(SELECT count(*) FROM household_workers WHERE household_id = :h) + "
            "(SELECT count(*) FROM search_names WHERE household_id = :h)"), {"h": h}).scalar()
    assert left == 0
    assert index_problems(workspace) == []


def test_check_reports_an_index_that_drifted(workspace: Workspace) -> None:
    service = HouseholdService(workspace)
    household = factories.household()
    service.create(household, [factories.person(household.id)])
    assert check_casefile(workspace.casefile.engine).ok
    with workspace.casefile.read() as session:
        session.execute(text("DROP TRIGGER persons_index_au"))
        session.execute(text("UPDATE caseload_index SET current_status = 'uitvoering'"))
    report = check_casefile(workspace.casefile.engine)
    assert not report.ok
    assert any("persons_index_au" in p for p in report.problems)
    assert any("caseload_index wijkt af" in p for p in report.problems)
