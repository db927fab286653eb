"""Steering figures end to end: a worker records a half-year of work on their laptop
(through the app's own services), syncs; the coach's laptop pulls it. The coach's dashboard
and report (offline, on the synced case file) and the server's SQL report (SQLite and
PostgreSQL) give the hand-known answers and agree row for row; the report PDF, CSV, the
beheerder endpoint and the command line carry no name, BSN, street or birth date, and hide
small counts.

Period: the first half of 2026, which has ended whenever this runs, so the peildatum is
30 June 2026 on both sides. Plan steps and regie moves are stamped with the scenario's
dates (the plan service's clock is replaced for the build).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.conftest import FAST_KDF, PASSPHRASE
from tests.helpers.steering_facts import comparable
from tests.server.conftest import Account, Server
from wijkteam_app.catalogs import load_code_lists
from wijkteam_app.domain.cases import (
    Case,
    CaseStatus,
    ContactKind,
    ContactMoment,
    ReferralSource,
    UrgencyCriterion,
)
from wijkteam_app.domain.client_experience import Moment
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.indicators import Indicator
from wijkteam_app.domain.instruments import Assessment, ItemScore
from wijkteam_app.domain.people import Address, Household, HouseholdRole, Person
from wijkteam_app.domain.plans import (
    EigenBijdrage,
    Financing,
    Goal,
    Horizon,
    Participants,
    PlanContent,
    PlanVersion,
    ProfessionalSupport,
    ReviewOutcome,
    Signer,
)
from wijkteam_app.instruments import latest
from wijkteam_app.paths import ProfilePaths
from wijkteam_app.reports.document import ReportSettings
from wijkteam_app.services import plans as plans_module
from wijkteam_app.services.assessments import AssessmentService
from wijkteam_app.services.client_experience import ClientExperienceService
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.plans import PlanService
from wijkteam_app.services.profile import LocalIdentity, Workspace, init_profile, unlock
from wijkteam_app.services.steering import DashboardFilter, SteeringService
from wijkteam_app.services.sync import SyncService
from wijkteam_app.sync.aggregates import Grouping, parse_period
from wijkteam_server import admin
from wijkteam_server.reporting import ReportRequest
from wijkteam_server.reporting import compute as server_compute

H1 = parse_period("2026H1")
APP_TODAY = date(2026, 12, 15)
SURNAME = "Geheimzinnig"
STREET = "Sluipweg"
BIRTH = date(1979, 4, 23)
BSNS = ["999990019", "999990020", "999990032", "999990044", "999990056", "999990068",
        "999990081"]


class ScenarioClock:
    """Replaces the plan service's `utcnow` while the scenario is built."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, 9)

    def set(self, day: date, hour: int = 10) -> None:
        self.now = datetime(day.year, day.month, day.day, hour)

    def __call__(self) -> datetime:
        return self.now


@dataclass
class World:
    server: Server
    team: str
    worker: Workspace
    coach: Workspace
    coach_sync: SyncService
    households: dict[str, str]  # short name -> id
    beheerder: Account


def laptop(root: Path, server: Server, account: Account) -> tuple[Workspace, SyncService]:
    paths = ProfilePaths(root / f"laptop-{uuid.uuid4().hex[:6]}")
    init_profile(paths, PASSPHRASE, LocalIdentity(), kdf=FAST_KDF)
    workspace = unlock(paths, PASSPHRASE, lambda: APP_TODAY)
    sync = SyncService(workspace, http_transport=httpx.HTTPTransport())
    sync.login(server.base_url, account.username, account.password)
    return workspace, sync


def build(ws: Workspace, clock: ScenarioClock, gezinsbegeleider: str,
          approve: Callable[[PlanVersion], PlanVersion]) -> dict[str, str]:
    """The worker's half-year; `approve` has the coach approve a submitted version (on the
    coach's laptop, through the server) and returns it as the worker's laptop then holds it."""
    houses = HouseholdService(ws)
    assessments = AssessmentService(ws)
    plans = PlanService(ws)
    zrm = latest(assessments.definitions, "zrm-2017")
    ladder = latest(assessments.definitions, "participatieladder")
    lists = load_code_lists()
    product = lists.product("L06SB1")
    ids: dict[str, str] = {}
    persons: dict[str, str] = {}
    cases: dict[str, Case] = {}

    def household(name: str, wijk: str, referral: date, *, profile: int | None = None,
                  urgency: tuple[UrgencyCriterion, ...] = (), closed: date | None = None,
                  next_evaluation: date | None = None, n: int = 0) -> None:
        h = Household(new_id(), f"Huishouden {SURNAME} {name}",
                      Address(STREET, 10 + n, "", "1234 AB", "Voorbeeldstad"), wijk)
        p = Person(new_id(), h.id, "Geheim", f"{SURNAME}{name}", HouseholdRole.HOOFDBEWONER,
                   birth_date=BIRTH, bsn=BSNS[n])
        houses.create(h, [p])
        ids[name], persons[name] = h.id, p.id
        case = Case(new_id(), h.id, ws.team.id, ws.worker.id,
                    CaseStatus.AFGESLOTEN if closed else CaseStatus.UITVOERING,
                    ReferralSource.HUISARTS, referral, client_profile=profile, urgency=urgency,
                    closed_on=closed, next_evaluation=next_evaluation)
        houses.save_case(case)
        cases[name] = case

    def contact(name: str, on: date, minutes: int) -> None:
        houses.save_contact(ContactMoment(new_id(), cases[name].id, on, minutes,
                                          ContactKind.HUISBEZOEK, ws.worker.id,
                                          notes=f"Gesprek met {SURNAME}"))

    def rung(name: str, on: date, value: int) -> None:
        assessments.record(Assessment(new_id(), ladder.id, ladder.version, on, ws.worker.id,
                                      (ItemScore("trede", value),), person_id=persons[name]))

    def plan(name: str, with_support: bool, cents: int = 120_000) -> object:
        support = (ProfessionalSupport(
            "L06SB1", product.name, "Schuldhulp Voorbeeldstad", 4,
            product.default_unit or "04", product.default_frequency or "2",
            date(2026, 3, 15), date(2026, 9, 15), cents, Financing.ZORG_IN_NATURA,
            EigenBijdrage.ABONNEMENTSTARIEF),) if with_support else ()
        goal = Goal(new_id(), "financien", "Overzicht over de schulden.", 2, 4,
                    Horizon.DRIE_MAANDEN, zelf="Post openen.", professioneel=support)
        content = PlanContent(participants=Participants(person_ids=(persons[name],)),
                              question="Rust in de financiën.", goals=(goal,),
                              regisseur_id=ws.worker.id,
                              evaluation_dates=(date(2026, 9, 1),))
        return plans.start(ids[name], content)

    # h1: signed plan with maatwerk (individual support), ZRM and ladder both rose.
    household("Een", "Noord", date(2026, 2, 2), profile=3,
              urgency=(UrgencyCriterion.KWETSBAARHEID,), n=0)
    contact("Een", date(2026, 2, 4), 60)
    contact("Een", date(2026, 3, 1), 30)
    for day, fin in ((date(2026, 2, 10), 2), (date(2026, 5, 20), 4)):
        assessments.record(Assessment(
            new_id(), zrm.id, zrm.version, day, ws.worker.id,
            tuple(ItemScore(i.code, fin if i.code == "financien" else 3) for i in zrm.items),
            person_id=persons["Een"]))
    rung("Een", date(2026, 2, 10), 2)
    rung("Een", date(2026, 5, 20), 3)
    clock.set(date(2026, 3, 1))
    version = plan("Een", True)
    clock.set(date(2026, 3, 5))
    version = plans.submit(version)  # type: ignore[arg-type]
    clock.set(date(2026, 3, 6))
    version = approve(version)  # type: ignore[arg-type]
    clock.set(date(2026, 3, 7))
    version = plans.to_signing(version)
    clock.set(date(2026, 3, 10))
    version = plans.record_signature(version, b"%PDF-1.4 plan", (Signer("Inwoner", "inwoner"),),
                                     date(2026, 3, 10), "Voorbeeldstad", b"scan", "scan.pdf",
                                     "application/pdf")
    # h2: a plan with maatwerk above the regisseur's mandate waits for the coach and for a
    # toets; ladder rose.
    household("Twee", "Noord", date(2026, 3, 2), profile=1, n=1)
    contact("Twee", date(2026, 3, 6), 45)
    rung("Twee", date(2026, 3, 10), 1)
    rung("Twee", date(2026, 6, 1), 2)
    clock.set(date(2026, 4, 1))
    plans.submit(plan("Twee", True, 400_000))  # type: ignore[arg-type]
    # h3: an earlier case closed on 20 January, a new one on 1 April: relapse.
    household("Drie", "Noord", date(2025, 9, 1), closed=date(2026, 1, 20), n=2)
    second = Case(new_id(), ids["Drie"], ws.team.id, ws.worker.id, CaseStatus.UITVOERING,
                  ReferralSource.INWONER, date(2026, 4, 1))
    houses.save_case(second)
    cases["Drie"] = second
    contact("Drie", date(2026, 4, 11), 30)
    rung("Drie", date(2026, 4, 5), 4)
    rung("Drie", date(2026, 6, 10), 4)
    # h4: escalated to the gezinsbegeleider (heavy support); ladder fell.
    household("Vier", "Oost", date(2026, 1, 10), n=3)
    contact("Vier", date(2026, 1, 12), 90)
    rung("Vier", date(2026, 1, 15), 3)
    rung("Vier", date(2026, 6, 15), 2)
    clock.set(date(2026, 4, 15))
    plans.move_regie(ids["Vier"], True, gezinsbegeleider, "Meervoudige problematiek.")
    # h5: evaluation overdue on the peildatum.
    household("Vijf", "Oost", date(2025, 6, 1), profile=4, next_evaluation=date(2026, 5, 1),
              n=4)
    contact("Vijf", date(2026, 5, 5), 30)
    # h6: referred on 20 June, no contact yet.
    household("Zes", "Oost", date(2026, 6, 20), urgency=(UrgencyCriterion.HUISELIJK_GEWELD,),
              n=5)
    # h7: closed before the period: not in view.
    household("Zeven", "Noord", date(2025, 1, 1), closed=date(2025, 12, 1), n=6)
    # Klantervaring of five residents (gehoord, eigen regie, netwerk, passend, zelfredzaam).
    experience = ClientExperienceService(ws)
    questions = ("gehoord", "eigen_regie", "netwerk", "passend", "zelfredzaam")
    for name, day, scores in (
            ("Een", date(2026, 5, 20), (5, 4, 3, 4, 2)),
            ("Twee", date(2026, 6, 1), (4, 4, None, 5, 3)),
            ("Drie", date(2026, 6, 10), (3, 5, 2, 4, 4)),
            ("Vier", date(2026, 6, 15), (2, 3, 4, 3, None)),
            ("Vijf", date(2026, 6, 30), (5, 4, 5, 5, 4)),
            ("Zeven", date(2026, 3, 1), (1, 1, 1, 1, 1))):  # a household out of view
        experience.record(cases[name].id, Moment.EVALUATIE, dict(zip(questions, scores,
                                                                     strict=True)),
                          comment=f"Tevreden, zegt {SURNAME}", answered_on=day)
    return ids


@pytest.fixture(scope="module")
def world(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root = tmp_path_factory.mktemp("steering")
    team = f"Team {uuid.uuid4().hex[:8]}"
    admin.add_team(server.engine, team, "Gemeente Voorbeeld")
    worker_account = server.account(team, "wijkwerker")
    coach_account = server.account(team, "teamcoach")
    gezinsbegeleider = server.account(team, "gezinsbegeleider")
    beheerder = server.account(team, "beheerder")
    # The municipality's mandate for the worker: L06SB1 up to 3,000 euro (a server profile
    # takes its mandate from the server).
    admin.set_mandate(server.engine, worker_account.username, "3000", ["L06SB1"])
    worker, worker_sync = laptop(root, server, worker_account)
    worker_sync.sync_once()  # the directory (the gezinsbegeleider) and the mandate
    coach, coach_sync = laptop(root, server, coach_account)

    def approve(version: PlanVersion) -> PlanVersion:
        for sync in (worker_sync, coach_sync):
            report = sync.sync_once()
            assert report.ok, report.errors
        coach_plans = PlanService(coach)
        coach_plans.review(coach_plans.version(version.id), ReviewOutcome.GOEDKEUREN)
        for sync in (coach_sync, worker_sync):
            report = sync.sync_once()
            assert report.ok, report.errors
        return PlanService(worker).version(version.id)

    clock = ScenarioClock()
    original = plans_module.utcnow
    plans_module.utcnow = clock  # type: ignore[assignment]
    try:
        households = build(worker, clock, gezinsbegeleider.id, approve)
    finally:
        plans_module.utcnow = original  # type: ignore[assignment]
    report = worker_sync.sync_once()
    assert report.ok, report.errors
    report = coach_sync.sync_once()
    assert report.ok, report.errors
    yield World(server, team, worker, coach, coach_sync, households, beheerder)
    for sync, ws in ((worker_sync, worker), (coach_sync, coach)):
        sync.close()
        ws.close()


EXPECTED = {
    ("households_in_view", ""): 6, ("referrals_new", ""): 5, ("cases_closed", ""): 1,
    ("relapse", ""): 1, ("relapse_share", ""): 20.0, ("open_on_peildatum", ""): 6,
    ("regisseurs", ""): 2, ("caseload_mean", ""): 3.0, ("caseload_max", ""): 5,
    ("plans_waiting_review", ""): 1, ("plans_waiting_toets", ""): 1,
    ("evaluations_overdue", ""): 1, ("first_contact_days_median", ""): 3.0,
    ("first_contact_days_mean", ""): 4.5, ("first_contact_waiting", ""): 1,
    ("signed_plan_days_median", ""): 36.0, ("client_profile", "3"): 1,
    ("client_profile", "onbekend"): 3, ("urgency", "geen"): 4,
    ("urgency", "huiselijk_geweld"): 1, ("ladder_movement", "gestegen"): 2,
    ("ladder_movement", "gelijk"): 1, ("ladder_movement", "gedaald"): 1,
    ("ladder_rise_or_stable_share", ""): 75.0, ("zrm_rose", "zrm-2017/2017/financien"): 1,
    ("zrm_stable", "zrm-2017/2017/huisvesting"): 1, ("escalation_individual", ""): 1,
    ("escalation_heavy", ""): 1, ("escalation", ""): 2,
    ("escalation_share", ""): 100 * 2 / 6, ("time_total_minutes", ""): 285,
    ("time_per_case_mean", ""): 285 / 7, ("time_workers", ""): 1,
    ("time_per_worker_mean", ""): 285.0, ("experience_responses", ""): 5,
    ("experience_mean", "gehoord"): 3.8, ("experience_agree_share", "gehoord"): 60.0,
    ("experience_mean", "netwerk"): 3.5, ("experience_agree_share", "passend"): 80.0,
}


def server_rows(world: World, per: Grouping) -> list[object]:
    report = server_compute(world.server.engine, ReportRequest(
        H1, per, date.today(), teams=(world.team,)))
    assert report.peildatum == date(2026, 6, 30)
    return [r for r in report.rows if r.indicator != "usage_share"]


def test_coach_dashboard_on_synced_data_has_the_hand_known_answers(world: World) -> None:
    service = SteeringService(world.coach)
    assert service.team_scope
    dashboard = service.dashboard(DashboardFilter(H1))
    for (indicator, category), expected in EXPECTED.items():
        figure = dashboard.figure(Indicator(indicator), category)
        assert figure.value == pytest.approx(expected), (indicator, category)
    ids = world.households
    assert set(dashboard.figure(Indicator.PLANS_WAITING_REVIEW).households) == {ids["Twee"]}
    assert set(dashboard.figure(Indicator.RELAPSE).households) == {ids["Drie"]}
    assert set(dashboard.figure(Indicator.ESCALATION_HEAVY).households) == {ids["Vier"]}
    oost = service.dashboard(DashboardFilter(H1, wijk="Oost"))
    assert set(oost.figure(Indicator.HOUSEHOLDS_IN_VIEW).households) == {
        ids["Vier"], ids["Vijf"], ids["Zes"]}
    rows = service.drill_rows(list(oost.figure(Indicator.HOUSEHOLDS_IN_VIEW).households))
    assert [r.wijk for r in rows] == ["Oost"] * 3
    assert all(r.name.startswith(f"Huishouden {SURNAME}") for r in rows)


def test_the_worker_sees_their_own_caseload(world: World) -> None:
    service = SteeringService(world.worker)
    assert not service.team_scope
    dashboard = service.dashboard(DashboardFilter(H1))
    # Regisseur of five, and in the case team of the escalated sixth.
    assert dashboard.figure(Indicator.HOUSEHOLDS_IN_VIEW).value == 6
    # The same mandate (the municipality's) on every laptop: the same toets is awaited.
    assert dashboard.figure(Indicator.PLANS_WAITING_TOETS).value == 1


@pytest.mark.parametrize("per", [Grouping.TEAM, Grouping.WIJK])
def test_server_and_coach_agree_row_for_row(world: World, per: Grouping) -> None:
    app, _versions = SteeringService(world.coach).report_rows(H1, per)
    server = server_rows(world, per)
    assert comparable(server) == comparable(app)  # type: ignore[arg-type]
    if per is Grouping.TEAM:
        got = {(r.indicator, r.category): r.value for r in server}  # type: ignore[attr-defined]
        for key, expected in EXPECTED.items():
            assert got[key] == pytest.approx(expected), key


SECRETS = [SURNAME, STREET, BIRTH.isoformat(), BIRTH.strftime("%d-%m-%Y"), "Geheim", *BSNS]


def assert_no_personal_data(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, secret


def pdf_text(pdf: bytes, tmp: Path) -> str:
    path = tmp / "rapportage.pdf"
    path.write_bytes(pdf)
    tool = shutil.which("pdftotext")
    assert tool is not None, "pdftotext (poppler-utils) is needed"
    return subprocess.run([tool, "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_report_pdf_and_csv_have_no_personal_data_and_hide_small_counts(
        world: World, tmp_path: Path) -> None:
    service = SteeringService(world.coach)
    csv_text = service.report_csv(H1, Grouping.WIJK).decode("utf-8-sig")
    assert_no_personal_data(csv_text)
    lines = [line.split(";") for line in csv_text.splitlines()]
    header, body = lines[0], lines[1:]
    noord = {(r[header.index("indicator")], r[header.index("categorie")]): r for r in body
             if r[header.index("groep")] == "Noord"}
    value = header.index("waarde")
    assert noord[("households_in_view", "")][value] == "<5"  # 3 households
    assert noord[("relapse_share", "")][value] == "–"
    assert noord[("regisseurs", "")][value] == "1"  # about workers: not hidden
    assert noord[("experience_responses", "")][value] == "<5"  # three questionnaires
    assert noord[("experience_mean", "gehoord")][value] == "–"
    pdf = service.report_pdf(H1, Grouping.WIJK, ReportSettings("Gemeente Voorbeeld"))
    assert pdf.startswith(b"%PDF")
    for secret in SECRETS:
        assert secret.encode() not in pdf
    text = pdf_text(pdf, tmp_path)
    assert_no_personal_data(text)
    assert "<5" in text and "Verantwoording" in text and "zrm-2017 2017" in text


def test_beheerder_endpoint_and_command_line(world: World) -> None:
    srv = world.server
    with srv.client() as http:
        def login(account: Account) -> dict[str, str]:
            answer = http.post("/api/v1/auth/login", json={
                "username": account.username, "password": account.password,
                "device_name": "beheer"}).json()
            return {"Authorization": f"Bearer {answer['access_token']}"}

        params = {"period": "2026H1", "per": "gemeente", "team": world.team}
        response = http.get("/api/v1/reports/aggregates", params=params,
                            headers=login(world.beheerder))
        assert response.status_code == 200, response.text
        assert_no_personal_data(response.text)
        body = response.json()
        rows = {(r["indicator"], r["category"]): r for r in body["rows"]
                if r["group"] == "Gemeente Voorbeeld"}
        assert rows[("households_in_view", "")]["value"] == 6
        assert rows[("relapse", "")]["value"] == "<5"
        assert rows[("relapse_share", "")]["value"] == 20.0  # 1 of 5: the basis is 5
        assert rows[("ladder_rise_or_stable_share", "")]["value"] == "–"  # 4 persons
        assert rows[("ladder_rise_or_stable_share", "")]["basis"] == "<5"
        assert rows[("usage_share", "")]["value"] == 100.0
        # Klantervaring: five questionnaires are shown; a question four answered is not.
        assert rows[("experience_responses", "")]["value"] == 5
        assert rows[("experience_mean", "gehoord")]["value"] == 3.8
        assert rows[("experience_mean", "netwerk")]["value"] == "–"
        assert rows[("experience_mean", "netwerk")]["basis"] == "<5"
        coach_account = srv.account(world.team, "teamcoach")
        forbidden = http.get("/api/v1/reports/aggregates", params=params,
                             headers=login(coach_account))
        assert forbidden.status_code == 403
        bad = http.get("/api/v1/reports/aggregates", params={**params, "period": "2026H3"},
                       headers=login(world.beheerder))
        assert bad.status_code == 400 and bad.json()["code"] == "invalid_period"
    result = srv.cli("report", "--period", "2026H1", "--per", "wijk", "--format", "csv",
                     "--team", world.team)
    assert result.returncode == 0, result.stderr
    assert_no_personal_data(result.stdout)
    oost = [line for line in result.stdout.splitlines() if ";Oost;households_in_view;" in line]
    assert oost and ";<5;" in oost[0]
    result = srv.cli("report", "--period", "2026H1", "--per", "team", "--format", "json",
                     "--team", world.team)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)["rows"]
    assert {r["group"] for r in rows} == {world.team}
    bad = srv.cli("report", "--period", "morgen", "--per", "team")
    assert bad.returncode == 1 and "Onbekende periode" in bad.stderr


def test_a_period_that_has_not_started_is_refused(world: World) -> None:
    future = (date.today() + timedelta(days=400)).year
    result = world.server.cli("report", "--period", str(future), "--per", "wijk")
    assert result.returncode == 1 and "nog niet begonnen" in result.stderr
