"""The server finds shares the consent did not cover (real laptops, real server; SQLite and
PostgreSQL): a laptop that has not synced shares the plan after the consent was withdrawn on
another laptop (allowed there, it still holds the old consent); the consent audit on the
server lists exactly that share with the withdrawal, not the shares made while consent was in
force; a ten-year-old's plan shared without the consent of a holder of gezag recorded
elsewhere is listed too. Only the beheerder gets the audit (endpoint and CLI alike), and it
names residents by id only."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime, timedelta

import pytest

import wijkteam_app.persistence.casefile as casefile_module
from tests.server.conftest import PASSWORD, Server
from tests.sync.conftest import Laptop
from wijkteam_app.domain.cases import Consent
from wijkteam_app.domain.consent import STANDARD_PURPOSE, Use
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.people import HouseholdRole, Person
from wijkteam_app.domain.plans import Participants, PlanContent, PlanVersion
from wijkteam_app.reports.document import ReportSettings
from wijkteam_app.services.consent import ConsentService
from wijkteam_app.services.plans import PlanService
from wijkteam_server import consent_audit

DOCTOR = "Huisartsenpraktijk X"
DEBT_HELP = "Schuldhulp Voorbeeldstad"
SETTINGS = ReportSettings("Gemeente Voorbeeldstad")
BSN = "111222333"


def token(server: Server, username: str) -> str:
    with server.client() as client:
        answer = client.post("/api/v1/auth/login", json={
            "username": username, "password": PASSWORD, "device_name": "beheer"})
        assert answer.status_code == 200, answer.text
        return str(answer.json()["access_token"])


def give(laptop: Laptop, household_id: str, giver_id: str, recipient: str, use: Use) -> None:
    laptop.households.save_consent(Consent(
        new_id(), household_id, giver_id, recipient, STANDARD_PURPOSE[use],
        laptop.workspace.today() - timedelta(days=5), laptop.user_id, "schriftelijk"))


def start_plan(laptop: Laptop, household_id: str, participants: tuple[str, ...]) -> PlanVersion:
    return PlanService(laptop.workspace).start(household_id, PlanContent(
        participants=Participants(person_ids=participants), regisseur_id=laptop.user_id))


def current_plan(laptop: Laptop, household_id: str) -> PlanVersion:
    version = PlanService(laptop.workspace).current(household_id)
    assert version is not None
    return version


def test_a_share_after_a_withdrawal_elsewhere_is_found_and_only_that_one(
        server: Server, make_laptop, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    team = server.team()
    colleague = server.account(team)
    a: Laptop = make_laptop(server.account(team))
    b: Laptop = make_laptop(colleague)
    hh, _case = a.new_household("Huishouden Auditproef", case_team=(colleague.id,))
    [resident] = a.households.get(hh).members
    a.households.save_person(dataclasses.replace(resident, bsn=BSN))
    version = start_plan(a, hh, (resident.id,))
    give(a, hh, resident.id, DOCTOR, Use.PLAN)
    give(a, hh, resident.id, DEBT_HELP, Use.CONTACT)
    a.sync_ok()
    b.sync_ok()
    shares = ConsentService(b.workspace)
    plan_on_b = current_plan(b, hh)
    assert plan_on_b.id == version.id

    # Two days ago, while the consent was in force, B shared the plan with the doctor.
    earlier = casefile_module.utcnow() - timedelta(days=2)
    with monkeypatch.context() as patch:
        patch.setattr(casefile_module, "utcnow", lambda: earlier)
        assert shares.share_plan(plan_on_b, DOCTOR, SETTINGS).startswith(b"%PDF")
    # Today the contact details go to debt help, with consent in force.
    assert shares.share_contacts(hh, DEBT_HELP) == []  # allowed (no professionals yet)

    # A records the withdrawal and syncs; B has not synced since.
    [held] = [c for c in a.households.consents(hh) if c.recipient == DOCTOR]
    today = a.workspace.today()
    a.households.save_consent(dataclasses.replace(held, withdrawn_on=today))
    a.sync_ok()
    assert shares.check(hh, DOCTOR, Use.PLAN, (resident.id,)).decision.allowed  # stale
    before = datetime.now().astimezone()
    assert shares.share_plan(plan_on_b, DOCTOR, SETTINGS).startswith(b"%PDF")
    b.sync_ok()  # sends the access log (and only now learns of the withdrawal)
    assert not shares.check(hh, DOCTOR, Use.PLAN, (resident.id,)).decision.allowed

    # The endpoint: beheerder only.
    beheerder = server.account(team, "beheerder")
    with server.client() as client:
        worker = {"Authorization": f"Bearer {token(server, colleague.username)}"}
        refused = client.get("/api/v1/admin/consent-audit", headers=worker)
        assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
        admin = {"Authorization": f"Bearer {token(server, beheerder.username)}"}
        answer = client.get("/api/v1/admin/consent-audit", headers=admin,
                            params={"household_id": hh})
        assert answer.status_code == 200, answer.text
        since = client.get("/api/v1/admin/consent-audit", headers=admin,
                           params={"since": (today + timedelta(days=2)).isoformat()})
        assert since.status_code == 200
        assert hh not in {s["household_id"] for s in since.json()["uncovered"]}
        edges = client.get("/api/v1/admin/consent-audit", headers=admin, params={
            "since": "0001-01-01", "until": "9999-12-31", "household_id": hh})
        assert edges.status_code == 200 and len(edges.json()["uncovered"]) == 1
    report = answer.json()
    assert report["checked"] == 3 and report["unjudged"] == []
    [found] = report["uncovered"]
    assert datetime.fromisoformat(found["at"]) >= before - timedelta(seconds=1)
    assert (found["actor_id"], found["actor_name"], found["device_id"]) == (
        b.user_id, colleague.username.title(), b.workspace.casefile.device_id)
    assert (found["household_id"], found["recipient"], found["use"], found["object_id"]) == (
        hh, DOCTOR, "plan", version.id)
    assert found["subjects_from"] == "plan" and found["subject_ids"] == [resident.id]
    [missing] = found["missing"]
    assert (missing["subject_id"], missing["giver_id"], missing["gap"], missing["label"],
            missing["withdrawn_on"]) == (resident.id, resident.id, "withdrawn", "ingetrokken",
                                         today.isoformat())
    assert missing["withdrawal_received_at"] is not None
    assert "ingetrokken op " + today.strftime("%d-%m-%Y") in found["reason"]
    for private in (resident.first_name, resident.last_name, BSN, "Auditproef"):
        assert private not in answer.text

    # The CLI says the same.
    listed = server.cli("consent-audit", "--household", hh, "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == report
    table = server.cli("consent-audit", "--since", today.isoformat())
    assert table.returncode == 0, table.stderr
    assert f"huishouden {hh}: plan (planversie {version.id}) gedeeld met {DOCTOR}" in table.stdout
    assert "- ingetrokken: De toestemming van persoon" in table.stdout
    assert resident.last_name not in table.stdout
    wrong = server.cli("consent-audit", "--since", "gisteren")
    assert wrong.returncode == 1 and "JJJJ-MM-DD" in wrong.stderr


def test_a_ten_year_old_without_the_consent_of_a_holder_of_gezag_is_found(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    team = server.team()
    colleague = server.account(team)
    a: Laptop = make_laptop(server.account(team))
    b: Laptop = make_laptop(colleague)
    hh, _case = a.new_household("Huishouden Gezagproef", case_team=(colleague.id,))
    [mother] = a.households.get(hh).members
    today = a.workspace.today()
    father = Person(new_id(), hh, "Bram", "Proefmans", HouseholdRole.PARTNER,
                    birth_date=date(1979, 3, 2))
    child = Person(new_id(), hh, "Daan", "Proefmans", HouseholdRole.KIND,
                   birth_date=today - timedelta(days=365 * 10 + 60),
                   gezag_holder_ids=(mother.id,))
    a.households.save_person(father)
    a.households.save_person(child)
    start_plan(a, hh, (mother.id, child.id))
    give(a, hh, mother.id, DOCTOR, Use.PLAN)
    a.sync_ok()
    b.sync_ok()

    # A records that the father holds gezag too; B has not synced and shares the plan.
    [stored] = [m for m in a.households.get(hh).members if m.id == child.id]
    a.households.save_person(dataclasses.replace(stored, gezag_holder_ids=(mother.id, father.id)))
    a.sync_ok()
    assert ConsentService(b.workspace).share_plan(current_plan(b, hh), DOCTOR, SETTINGS)
    b.sync_ok()

    report = consent_audit.run(server.engine, household_id=hh)
    [found] = report.uncovered
    assert found.actor_id == b.user_id and found.subject_ids == [mother.id, child.id]
    assert [(m.subject_id, m.subject_age, m.giver_id, m.gap) for m in found.missing] == [
        (child.id, 10, father.id, "none_given")]
    assert f"gezaghebbende van persoon {child.id}, 10 jaar" in found.reason
    assert "Daan" not in found.model_dump_json() and "Bram" not in found.model_dump_json()


def test_recipient_use_and_day_are_read_as_the_laptop_wrote_them() -> None:
    plan = f"{STANDARD_PURPOSE[Use.PLAN]} met {DOCTOR}"
    assert consent_audit.parse_share("planversie", plan) == (Use.PLAN, DOCTOR)
    contacts = f"{STANDARD_PURPOSE[Use.CONTACT]} met Wijk met Elkaar"
    assert consent_audit.parse_share("professional", contacts) == (Use.CONTACT, "Wijk met Elkaar")
    for object_type, purpose in (("professional", plan), ("planversie", "Overleg"),
                                 ("planversie", None), ("huishouden", plan),
                                 ("planversie", f"{STANDARD_PURPOSE[Use.PLAN]} met  ")):
        assert consent_audit.parse_share(object_type, purpose) is None
    # The Dutch calendar day: 23:30 UTC in summer is the next day in Amsterdam.
    assert consent_audit.local_day(datetime(2026, 6, 30, 23, 30)) == date(2026, 7, 1)
    assert consent_audit.local_day(datetime(2026, 12, 31, 22, 59)) == date(2026, 12, 31)
