"""The municipality's reference data reaches the laptop with sync (real laptops, a real
server process; SQLite and PostgreSQL): mandates change the toets outcome and opschalen, the
synced sociale kaart replaces the shipped sample, name and logo reach the plan PDF, and an
unchanged bundle costs no request."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.reports.test_plan_pdf import pdftext, write_png
from tests.server.conftest import Server
from tests.sync.conftest import Laptop
from wijkteam_app.domain.plans import (
    Financing,
    Mandate,
    PlanContent,
    PlanStatus,
    ReviewOutcome,
)
from wijkteam_app.paths import resources_dir
from wijkteam_app.persistence.schema import AuditRecord, RegieEventRecord
from wijkteam_app.services.assessments import AssessmentService
from wijkteam_app.services.demo import demo_plan_content
from wijkteam_app.services.plans import PlanService
from wijkteam_app.services.reference import ReferenceService, ServerManaged
from wijkteam_app.services.settings import SettingsService
from wijkteam_app.sync.reference import cached_version
from wijkteam_server.models import EntityRow


def in_natura(content: PlanContent) -> PlanContent:
    """The demo plan with every provision in natura: then only the mandate decides the toets
    (a PGB always needs one)."""
    return replace(content, goals=tuple(
        replace(goal, professioneel=tuple(replace(s, financing=Financing.ZORG_IN_NATURA)
                                          for s in goal.professioneel))
        for goal in content.goals))


def reference_requests(laptop: Laptop) -> int:
    return sum(1 for _method, path in laptop.net.requests if path.endswith("/reference"))


def cli_ok(server: Server, *args: str) -> str:
    result = server.cli(*args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_mandate_set_on_the_server_changes_the_toets_on_the_laptop_after_one_sync(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    team = server.team()
    account = server.account(team)
    worker: Laptop = make_laptop(account)
    hh, _case = worker.new_household("Huishouden Mandaat")
    plans = PlanService(worker.workspace)
    # The demo plan has two professional products: L06SB1 (€ 1.200) and L07DB1 (€ 2.000).
    version = plans.start(hh, in_natura(demo_plan_content(worker.workspace, hh)))
    worker.sync_ok()
    assert plans.mandate(worker.user_id) == Mandate(0, frozenset())
    assert plans.toets_needed(version)

    cli_ok(server, "mandate", "set", account.username, "--max-amount", "3500",
           "--provision", "L06SB1", "--provision", "L07DB1")
    report = worker.sync_ok()
    assert report.reference_updated
    assert plans.mandate(worker.user_id) == Mandate(350_000, frozenset({"L06SB1", "L07DB1"}))
    assert not plans.toets_needed(plans.version(version.id))

    # Nothing changed on the server: the pull answer says so, no extra request.
    before = reference_requests(worker)
    assert not worker.sync_ok().reference_updated
    assert reference_requests(worker) == before

    # Narrower on the server: the toets is needed again after one sync.
    cli_ok(server, "mandate", "set", account.username, "--max-amount", "3500",
           "--provision", "L06SB1")
    worker.sync_ok()
    assert plans.toets_needed(plans.version(version.id))
    # Each new version was stored with an audit entry (first sync, and two changes).
    with worker.workspace.casefile.read() as session:
        actions = list(session.scalars(select(AuditRecord.action)))
        assert actions.count("sync.referentiegegevens") == 3
        assert cached_version(session) is not None


def test_opschalen_records_the_mandates_of_both_workers_from_the_server(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    team = server.team()
    account = server.account(team)
    specialist = server.account(team, "gezinsbegeleider")
    cli_ok(server, "mandate", "set", account.username, "--max-amount", "1500",
           "--provision", "L06SB1")
    cli_ok(server, "mandate", "set", specialist.username, "--max-amount", "8000,50",
           "--provision", "L07DB1", "--provision", "L06SB1")
    worker: Laptop = make_laptop(account)
    hh, _case = worker.new_household("Huishouden Opschalen")
    worker.sync_ok()
    event = PlanService(worker.workspace).move_regie(hh, True, specialist.id,
                                                     "Meervoudige problematiek")
    assert event.to_regisseur_id == specialist.id
    with worker.workspace.casefile.read() as session:
        record = session.scalars(select(RegieEventRecord).where(
            RegieEventRecord.household_id == hh)).one()
        assert record.from_mandate == {"max_amount_cents": 150_000,
                                       "product_codes": ["L06SB1"]}
        assert record.to_mandate == {"max_amount_cents": 800_050,
                                     "product_codes": ["L06SB1", "L07DB1"]}


def test_the_synced_kaart_replaces_the_sample_and_name_and_logo_reach_the_pdf(
        server: Server, make_laptop, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    team = server.team()
    account = server.account(team)
    sample = json.loads((resources_dir() / "sociale-kaart" / "voorbeeld.json")
                        .read_text(encoding="utf-8"))
    own = {**sample, "provisions": [
        *sample["provisions"],
        {"id": "gem-inloop-haven", "name": "Inloophuis De Haven", "provider": "Stichting Haven",
         "level": "algemeen", "wijken": ["Noord"], "cost_cents": None,
         "contact": "0900-1234567"},
    ]}
    kaart = tmp_path / "kaart.json"
    kaart.write_text(json.dumps(own), encoding="utf-8")
    cli_ok(server, "sociale-kaart", "load", str(kaart))
    logo = tmp_path / "logo.png"
    write_png(logo)
    cli_ok(server, "municipality", "set", "--name", "Gemeente Havenstad", "--logo", str(logo))
    cli_ok(server, "setting", "set", "idle_lock_minutes", "12")

    worker: Laptop = make_laptop(account)
    plans = PlanService(worker.workspace)
    assert plans.sociale_kaart() == ()  # a server profile before its first sync: no sample
    hh, _case = worker.new_household("Huishouden Haven")
    worker.sync_ok()
    kaart_ids = {p.id for p in plans.sociale_kaart()}
    assert "gem-inloop-haven" in kaart_ids
    haven = next(p for p in plans.sociale_kaart() if p.id == "gem-inloop-haven")
    assert haven.contact == "0900-1234567" and haven.wijken == ("Noord",)

    settings = SettingsService(worker.workspace)
    current = settings.get()
    assert current.managed_by_server and current.municipality_name == "Gemeente Havenstad"
    assert current.logo == logo.read_bytes()
    assert settings.idle_lock_minutes() == 12
    with pytest.raises(ServerManaged):
        settings.set(current)
    with pytest.raises(ServerManaged):
        plans.set_own_mandate(100, frozenset())

    version = plans.start(hh, in_natura(demo_plan_content(worker.workspace, hh)))
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(plans.render_pdf(version, settings.report_settings()))
    text = pdftext(pdf)
    assert "Gemeente Havenstad" in text
    assert b"/Subtype /Image" in pdf.read_bytes()
    assert ReferenceService(worker.workspace).version() is not None


def test_a_local_only_profile_keeps_the_sample_kaart_and_its_own_mandate(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    laptop: Laptop = make_laptop(None, login=False)
    plans = PlanService(laptop.workspace)
    assert {p.id for p in plans.sociale_kaart()} >= {"vk-maatjes", "vk-formulierenhulp"}
    plans.set_own_mandate(250_000, frozenset({"L06SB1"}))
    assert plans.mandate(laptop.user_id) == Mandate(250_000, frozenset({"L06SB1"}))
    assert not SettingsService(laptop.workspace).get().managed_by_server
    assert SettingsService(laptop.workspace).idle_lock_minutes() == 5


def test_licensed_instrument_texts_reach_the_zrm_after_a_sync(
        server: Server, make_laptop, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    texts = tmp_path / "teksten.json"
    texts.write_text(json.dumps([
        {"definition_id": "zrm-2017", "definition_version": "2017", "key": "financien.help",
         "text": "Officiële toelichting financiën (licentie)"},
        {"definition_id": "zrm-2017", "definition_version": "2017", "key": "financien.1",
         "text": "Officieel criterium niveau 1"},
        {"definition_id": "zrm-2017", "definition_version": "2017", "key": "bestaat_niet.1",
         "text": "past nergens bij"},
    ]), encoding="utf-8")
    cli_ok(server, "instrument-texts", "load", str(texts))
    worker: Laptop = make_laptop(server.account(server.team()))
    own = AssessmentService(worker.workspace).definitions[("zrm-2017", "2017")]
    assert not own.uses_official_texts
    worker.sync_ok()
    synced = AssessmentService(worker.workspace).definitions[("zrm-2017", "2017")]
    assert synced.uses_official_texts
    financien = synced.item("financien")
    assert financien.help == "Officiële toelichting financiën (licentie)"
    assert dict(financien.level_texts)[1] == "Officieel criterium niveau 1"
    assert synced.item("huisvesting") == own.item("huisvesting")  # not in the licence file


def test_laptop_and_server_agree_on_the_toets_with_the_synced_mandate(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    """Within the mandate set on the server, the laptop lets the plan go to signing without a
    toets, and the server (which checks the same rule with the same mandate) accepts it."""
    team = server.team()
    account = server.account(team)
    cli_ok(server, "mandate", "set", account.username, "--max-amount", "3500",
           "--provision", "L06SB1", "--provision", "L07DB1")
    worker: Laptop = make_laptop(account)
    coach: Laptop = make_laptop(server.account(team, "teamcoach"))
    hh, _case = worker.new_household("Huishouden Binnen Mandaat")
    worker.sync_ok()
    service = PlanService(worker.workspace)
    content = in_natura(demo_plan_content(worker.workspace, hh))
    submitted = service.submit(service.start(hh, content))
    worker.sync_ok()
    coach.sync_ok()
    PlanService(coach.workspace).review(
        PlanService(coach.workspace).version(submitted.id), ReviewOutcome.GOEDKEUREN)
    coach.sync_ok()
    worker.sync_ok()
    approved = service.version(submitted.id)
    assert approved.status is PlanStatus.GOEDGEKEURD and not service.toets_needed(approved)
    ready = service.to_signing(approved)  # the laptop's rule: no toets needed
    report = worker.sync_ok()
    assert report.rejected == 0, report
    with Session(server.engine) as session:
        row = session.get(EntityRow, ("plan_version", ready.id))
        assert row is not None and row.data["status"] == "ter_ondertekening"
