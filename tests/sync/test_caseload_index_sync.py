"""The caseload index on a laptop that receives its households by sync (real server, SQLite
and PostgreSQL): search and the status and "mine" filters show what was pulled, and what a
pulled change or a removal altered."""

from __future__ import annotations

from dataclasses import replace

from tests.server.conftest import Server
from tests.sync.conftest import Laptop
from wijkteam_app.domain.cases import CaseStatus
from wijkteam_app.persistence import caseload_index
from wijkteam_app.services.households import CaseloadFilter


def names(laptop: Laptop, **flt: object) -> list[str]:
    return [row.name for row in laptop.households.caseload(CaseloadFilter(**flt))]  # type: ignore[arg-type]


def index_ok(laptop: Laptop) -> bool:
    with laptop.workspace.casefile.engine.connect() as conn:
        return caseload_index.problems(conn) == []


def test_pulled_households_are_found_and_filtered_as_they_change(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    team = server.team()
    anna = make_laptop(server.account(team))
    bert_account = server.account(team)
    bert = make_laptop(bert_account)
    hh, _case = anna.new_household("Huishouden Gedeeld", case_team=(bert_account.id,))
    anna.sync_ok()
    bert.sync_ok()
    assert names(bert, text="gedeel") == ["Huishouden Gedeeld"]
    assert names(bert, text="anouk proefm", worker_id=bert.user_id) == ["Huishouden Gedeeld"]
    assert names(bert, status="aangemeld") == ["Huishouden Gedeeld"]

    case = anna.households.cases(hh)[0].case
    anna.households.save_case(replace(case, status=CaseStatus.UITVOERING))
    anna.edit(hh, name="Familie Gedeeld")
    anna.sync_ok()
    bert.sync_ok()
    assert names(bert, status="uitvoering") == ["Familie Gedeeld"]
    assert names(bert, status="aangemeld") == []
    assert names(bert, text="familie ged") == ["Familie Gedeeld"]
    assert index_ok(bert)

    # Off the case team: the household leaves Bert's laptop, and his index with it.
    case = anna.households.cases(hh)[0].case
    anna.households.save_case(replace(case, case_team_ids=()))
    anna.sync_ok()
    bert.sync_ok()
    assert not bert.has_household(hh)
    assert names(bert, text="gedeel") == []
    assert index_ok(bert) and index_ok(anna)
