"""An executed erasure also scrubs the server's history of the household (real laptops, real
server process; SQLite and PostgreSQL): the feed (``change_log``), the pushed change-set
payloads, tombstones and conflicts no longer hold the person's name, BSN or birth date;
the kept records (an earlier, refused request) stay as they are; laptops that were behind,
and a fresh one, still pull and converge. A refused erasure scrubs nothing. The server's
text rules are a copy of the laptop's (the import contract keeps the domain off the server):
the last tests hold the two together."""

from __future__ import annotations

import dataclasses
import json
import os
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.server.conftest import Server
from tests.sync.conftest import Laptop
from wijkteam_app.domain.cases import (
    Case,
    CaseStatus,
    Consent,
    ContactKind,
    ContactMoment,
    ReferralSource,
)
from wijkteam_app.domain.erasure import Scrubber, Scrubbers
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.instruments import (
    LADDER_ITEM_CODE,
    PARTICIPATIELADDER_ID,
    Assessment,
    ItemScore,
    latest_of,
)
from wijkteam_app.domain.people import Address, Household, HouseholdRole, NetworkMember, Person
from wijkteam_app.domain.plans import PlanContent, content_fingerprint, to_plain
from wijkteam_app.domain.rights import ErasureException
from wijkteam_app.domain.search import fold
from wijkteam_app.persistence.codec import from_plain
from wijkteam_app.services import erasure as laptop_erasure
from wijkteam_app.services.assessments import AssessmentService
from wijkteam_app.services.plans import PlanService
from wijkteam_app.services.rights import ERASED_NAME, RightsService
from wijkteam_app.sync.protocol import IMMUTABLE_ENTITIES
from wijkteam_server import erasure as server_erasure
from wijkteam_server.models import AppliedChangeSet, ChangeLog, Conflict, EntityRow

BSN = "123456782"
BORN = date(1985, 3, 7)
TRACES = ("fatima", "bakker", BSN, "1234.56.782", "123 456 782", "07-03-1985", "1985-03-07")


def names_fatima(value: Any) -> bool:
    """Does a value (any JSON) hold Fatima's name, BSN or birth date? "Bakker" counts only
    outside the protected name of the other member, Youssef Bakker."""
    text = json.dumps(value, ensure_ascii=False).casefold().replace("youssef bakker", "")
    return any(trace in text for trace in TRACES)


@dataclasses.dataclass
class Bakkers:
    household_id: str
    fatima: Person
    youssef: Person
    contact_id: str
    consent_id: str
    plan_id: str
    assessment_id: str = ""
    refused_id: str = ""
    colleague_contact_id: str = ""


def create_household(worker: Laptop, case_team: tuple[str, ...]) -> Bakkers:
    """Fatima Bakker (BSN, birth date) and Youssef Bakker; a case, a contact moment, a
    consent Fatima gave and a concept plan that name her."""
    ws = worker.workspace
    today = ws.today()
    household = Household(new_id(), "Huishouden Fatima Bakker",
                          Address("Proefstraat", 3, "", "1234 AB", "Verzinstad"), "Noord")
    fatima = Person(new_id(), household.id, "Fatima", "Bakker", HouseholdRole.HOOFDBEWONER,
                    birth_date=BORN, bsn=BSN)
    youssef = Person(new_id(), household.id, "Youssef", "Bakker", HouseholdRole.PARTNER,
                     birth_date=date(1983, 1, 2))
    worker.households.create(household, [fatima, youssef])
    case = Case(new_id(), household.id, worker.team_id, worker.user_id, CaseStatus.UITVOERING,
                ReferralSource.HUISARTS, today - timedelta(days=60),
                case_team_ids=case_team, referral_note="Huisarts meldt Fatima Bakker aan.")
    worker.households.save_case(case)
    contact = ContactMoment(new_id(), case.id, today - timedelta(days=10), 45,
                            ContactKind.HUISBEZOEK, worker.user_id, "Fatima",
                            f"Huisbezoek bij Fatima Bakker (BSN {BSN}). Youssef Bakker was "
                            "er ook.")
    worker.households.save_contact(contact)
    consent = Consent(new_id(), household.id, fatima.id, "Huisarts",
                      "Afstemmen over Fatima Bakker", today - timedelta(days=5), worker.user_id)
    worker.households.save_consent(consent)
    plans = PlanService(ws)
    plan = plans.start(household.id)
    plans.save_concept(plan, dataclasses.replace(
        plan.content, question="Fatima Bakker wil weer overzicht over haar geld."))
    return Bakkers(household.id, fatima, youssef, contact.id, consent.id, plan.id)


def history(server: Server, household_id: str) -> dict[str, Any]:
    """Everything the server keeps about the household, by table."""
    with Session(server.engine) as session:
        feed = session.scalars(select(ChangeLog).where(
            ChangeLog.household_id == household_id, ChangeLog.kind == "change")
            .order_by(ChangeLog.server_seq)).all()
        payloads = session.scalars(select(AppliedChangeSet).where(
            AppliedChangeSet.household_id == household_id)).all()
        records = session.scalars(select(EntityRow).where(
            EntityRow.household_id == household_id)).all()
        conflicts = session.scalars(select(Conflict).where(
            Conflict.household_id == household_id)).all()
        return {
            "feed": {r.server_seq: (r.entity, r.entity_id, r.op, r.version, r.fields)
                     for r in feed},
            "payloads": {r.id: r.payload for r in payloads},
            "records": {r.entity_id: (r.entity, r.version, r.deleted, r.data)
                        for r in records},
            "conflicts": {r.id: (r.entity, r.entity_id, r.field, r.status, r.base_value,
                                 r.mine_value, r.theirs_value, r.resolution_value)
                          for r in conflicts},
        }


def server_log(server: Server) -> str:
    """What the server process wrote to its stderr so far (not waiting for more)."""
    assert server.proc.stderr is not None
    fd = server.proc.stderr.fileno()
    os.set_blocking(fd, False)
    chunks: list[bytes] = []
    try:
        while True:
            try:
                chunk = os.read(fd, 65536)
            except BlockingIOError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.set_blocking(fd, True)
    return b"".join(chunks).decode(errors="replace")


def view(laptop: Laptop, household_id: str) -> dict[str, Any]:
    """What a laptop holds of the household (the parts the erasure touches)."""
    page = laptop.households.page(household_id)
    plans = PlanService(laptop.workspace).versions(household_id)
    return {
        "name": page.detail.household.name,
        "members": sorted((m.id, m.full_name, m.bsn,
                           m.birth_date.isoformat() if m.birth_date else None)
                          for m in page.detail.members),
        "contacts": sorted((c.id, c.with_whom, c.notes)
                           for overview in page.cases for c in overview.contacts),
        "consents": sorted((c.id, c.recipient, c.purpose) for c in page.consents),
        "assessments": sorted(a.id for a in page.assessments),
        "plans": sorted((v.id, v.content.question, v.content.participants.others)
                        for v in plans),
    }


def test_an_executed_erasure_scrubs_the_servers_history_of_the_household(  # type: ignore[no-untyped-def]
        server: Server, make_laptop) -> None:
    team = server.team()
    colleague_account = server.account(team)
    worker = make_laptop(server.account(team))
    colleague = make_laptop(colleague_account)
    coach = make_laptop(server.account(team, "teamcoach"))  # behind from the first sync on
    b = create_household(worker, (colleague_account.id,))
    worker.sync_ok()
    colleague.sync_ok()
    coach.sync_ok()
    today = worker.workspace.today()

    # The worker edits the note (her BSN grouped, her birth date) and the concept plan,
    # measures Fatima, and records an earlier request that was refused (kept: append-only).
    [overview] = worker.households.cases(b.household_id)
    [contact] = overview.contacts
    worker.households.save_contact(dataclasses.replace(
        contact, notes="Fatima Bakker (BSN 1234.56.782, geboren 07-03-1985) belde opnieuw."))
    plans = PlanService(worker.workspace)
    [concept] = plans.versions(b.household_id)
    plans.save_concept(concept, dataclasses.replace(
        concept.content, question=f"Fatima Bakker ({BSN}) wil een nieuwe start.",
        participants=dataclasses.replace(concept.content.participants,
                                         others="tolk voor Fatima")))
    assessments = AssessmentService(worker.workspace)
    ladder = latest_of(assessments.definitions, PARTICIPATIELADDER_ID)
    b.assessment_id = new_id()
    assessments.record(Assessment(b.assessment_id, ladder.id, ladder.version,
                                  today - timedelta(days=1), worker.user_id,
                                  (ItemScore(LADDER_ITEM_CODE, 2, 4),), person_id=b.fatima.id,
                                  notes="Fatima Bakker wil weer werken."))
    aunt = NetworkMember(new_id(), b.household_id, "Samira", "Tante van Fatima Bakker",
                         "Belt Fatima elke week")
    worker.households.save_network_member(aunt)
    worker.households.remove_network_member(
        dataclasses.replace(aunt, version=1))  # a tombstone, not erased by the erasure
    refused = RightsService(worker.workspace).erase(
        b.fatima.id, today - timedelta(days=1), (ErasureException.LOPENDE_ONDERSTEUNING,),
        "Fatima Bakker vroeg om wissen; de ondersteuning loopt nog.")
    b.refused_id = refused.id
    worker.sync_ok()

    # The colleague, not yet up to date, edits the same note (a conflict that holds both
    # texts) and writes a contact moment the worker has not pulled when she erases.
    [theirs] = [c for o in colleague.households.cases(b.household_id) for c in o.contacts]
    colleague.households.save_contact(dataclasses.replace(
        theirs, notes="Fatima Bakker belde, BSN " + BSN + "."))
    own = ContactMoment(new_id(), theirs.case_id, today, 15, ContactKind.TELEFONISCH,
                        colleague.user_id, "Fatima Bakker", "Fatima belde over de huur.")
    colleague.households.save_contact(own)
    b.colleague_contact_id = own.id
    report = colleague.sync_ok()
    assert report.conflicts == 1
    before = history(server, b.household_id)
    assert names_fatima(before["conflicts"]) and names_fatima(before["feed"])
    assert names_fatima(before["records"][aunt.id])
    server_log(server)  # what came before

    done = RightsService(worker.workspace).erase(b.fatima.id, today, (), "")
    worker.sync_ok()

    after = history(server, b.household_id)
    kept = {b.refused_id, done.id}
    records = after["records"]

    def others_own(entity_id: str, fields: dict[str, Any]) -> dict[str, Any]:
        """Youssef's own record carries his last name "Bakker" on its own: that stays."""
        return {k: v for k, v in fields.items()
                if not (entity_id == b.youssef.id and k == "last_name")}

    assert {i for i, (entity, *_rest) in records.items() if entity in IMMUTABLE_ENTITIES} \
        == kept

    # The feed: every row of every record but the kept ones is clean; the erased records'
    # rows are gone but their deletion; the kept request still says what it said.
    for seq, (entity, entity_id, op, _version, fields) in after["feed"].items():
        if entity_id in kept:
            continue
        assert not names_fatima(others_own(entity_id, fields)), (seq, entity, op)
        if entity_id in (b.assessment_id, b.consent_id):
            assert op == "delete", (entity, op)
    [request_row] = [f for (_e, i, _o, _v, f) in after["feed"].values() if i == b.refused_id]
    assert "Fatima Bakker vroeg om wissen" in request_row["note"]
    assert set(before["feed"]) - set(after["feed"]) == {
        seq for seq, (_e, i, op, _v, _f) in before["feed"].items()
        if i in (b.assessment_id, b.consent_id) and op != "delete"}
    for seq in set(before["feed"]) & set(after["feed"]):  # nothing renumbered or re-versioned
        assert before["feed"][seq][:4] == after["feed"][seq][:4]

    # The pushed change-sets (old and new values), the erasure's own included.
    for changeset_id, payload in after["payloads"].items():
        for change in payload["changes"]:
            if change["id"] not in kept:
                assert not names_fatima(others_own(change["id"], change["fields"])), (
                    changeset_id, change["entity"])
            if change["id"] in (b.assessment_id, b.consent_id):
                assert set(change["fields"]) <= {"household_id", "person_id"}

    # Tombstones of what the erasure deleted keep only their keys; the current records are
    # clean, the colleague's contact moment too (a server change, version + 1).
    assert records[b.assessment_id][2] and records[b.consent_id][2]
    assert records[b.assessment_id][3] == {"household_id": b.household_id,
                                           "person_id": b.fatima.id}
    assert set(records[b.consent_id][3]) == {"household_id", "person_id"}
    for entity_id, (entity, _version, _deleted, data) in records.items():
        if entity_id not in kept:
            assert not names_fatima(others_own(entity_id, data)), entity
    assert records[aunt.id][2] and records[aunt.id][3]["name"] == "Samira"
    assert records[aunt.id][3]["relation"] == f"Tante van {ERASED_NAME}"
    assert records[aunt.id][1] == before["records"][aunt.id][1]  # in place: not served
    assert records[b.colleague_contact_id][1] == before["records"][b.colleague_contact_id][1] + 1
    assert records[b.colleague_contact_id][3]["notes"] == f"{ERASED_NAME} belde over de huur."
    assert records[b.youssef.id][3]["first_name"] == "Youssef"
    assert records[b.youssef.id][3]["last_name"] == "Bakker"

    # Conflicts: values scrubbed, the note conflict still open for the team to settle.
    [(entity, entity_id, name, status, *values)] = after["conflicts"].values()
    assert (entity, entity_id, name, status) == ("contact_moment", b.contact_id, "notes",
                                                 "open")
    assert not names_fatima(values)
    assert f"{ERASED_NAME} belde, BSN {ERASED_NAME}." in values

    # A scrubbed concept carries the fingerprint of its scrubbed content, as the laptop
    # computes it, in the history as in the current record.
    fingerprinted = [f for (e, _i, _o, _v, f) in after["feed"].values()
                     if e == "plan_version" and "content" in f and "fingerprint" in f]
    fingerprinted.append(records[b.plan_id][3])
    assert len(fingerprinted) >= 3
    for fields in fingerprinted:
        assert fields["fingerprint"] == content_fingerprint(
            from_plain(PlanContent, fields["content"]))

    # The server says what it did, without naming anyone.
    logged = [line for line in server_log(server).splitlines() if done.id in line]
    assert len(logged) == 1 and "scrubbed" in logged[0]
    assert "1 kept records name the person" in logged[0]
    assert not names_fatima(logged[0])

    # Every laptop converges: the colleague, the coach who was behind since the first sync
    # (she never saw the measurement: only its deletion), a fresh laptop, and the worker.
    fresh = make_laptop(server.account(team, "teamcoach"))
    views = []
    for laptop in (worker, colleague, coach, fresh):
        report = laptop.sync_ok()
        assert report.quarantined == 0
        views.append(view(laptop, b.household_id))
    assert all(v == views[0] for v in views[1:]), views
    assert not names_fatima(views[0])
    assert (b.fatima.id, ERASED_NAME, "", None) in views[0]["members"]
    assert views[0]["assessments"] == [] and b.consent_id not in json.dumps(views[0])
    assert (b.colleague_contact_id, ERASED_NAME, f"{ERASED_NAME} belde over de huur.") in \
        views[0]["contacts"]


def test_a_refused_erasure_scrubs_nothing_on_the_server(  # type: ignore[no-untyped-def]
        server: Server, make_laptop) -> None:
    team = server.team()
    worker = make_laptop(server.account(team))
    b = create_household(worker, ())
    aunt = NetworkMember(new_id(), b.household_id, "Samira", "Tante van Fatima Bakker",
                         "Belt Fatima elke week")
    worker.households.save_network_member(aunt)
    worker.households.remove_network_member(dataclasses.replace(aunt, version=1))
    worker.sync_ok()
    before = history(server, b.household_id)
    assert names_fatima(before["feed"]) and names_fatima(before["records"][aunt.id])
    server_log(server)

    refused = RightsService(worker.workspace).erase(
        b.fatima.id, worker.workspace.today(), (ErasureException.LOPENDE_ONDERSTEUNING,),
        "Fatima Bakker krijgt nog ondersteuning.")
    worker.sync_ok()

    after = history(server, b.household_id)
    for table, rows in before.items():
        assert {key: after[table][key] for key in rows} == rows, table
    new_feed = [v[:3] for seq, v in after["feed"].items() if seq not in before["feed"]]
    assert new_feed == [("privacy_request", refused.id, "insert")]
    assert set(after["records"]) - set(before["records"]) == {refused.id}
    assert set(after["payloads"]) - set(before["payloads"]) == {
        c for c, p in after["payloads"].items()
        if [ch["entity"] for ch in p["changes"]] == ["privacy_request"]}
    assert refused.id not in server_log(server)


# --------------------------------------------------------------------------- the same rules


def test_the_server_text_rules_are_the_laptops() -> None:
    """The server scrubs with the domain's rules (`Scrubbers`, every identity the person had),
    from its own view of a person record (`Identity`, one version of it): with one identity,
    the same results on the same texts as the laptop's `Scrubber`."""
    people = [
        (Person("f", "h", "Fatima", "Bakker", HouseholdRole.HOOFDBEWONER, birth_date=BORN,
                bsn=BSN),
         [Person("y", "h", "Youssef", "Bakker", HouseholdRole.PARTNER)]),
        (Person("f", "h", "Fatima", "Bakker", HouseholdRole.HOOFDBEWONER),
         [Person("y", "h", "Youssef", "El Amrani", HouseholdRole.PARTNER)]),
        (Person("bo", "h", "Bo", "Berg", HouseholdRole.KIND, name_prefix="van der",
                birth_date=date(2015, 6, 1)),
         [Person("eva", "h", "Eva", "Berg", HouseholdRole.KIND, name_prefix="van der")]),
        (Person("a", "h", "Anne", "Visser", HouseholdRole.HOOFDBEWONER, bsn="999999990"),
         [Person("am", "h", "Anne Marie", "Visser", HouseholdRole.KIND),
          Person("x", "h", ERASED_NAME, "", HouseholdRole.KIND)]),
        (Person("e", "h", ERASED_NAME, "", HouseholdRole.HOOFDBEWONER, bsn=BSN), []),
    ]
    texts = [
        f"Huisbezoek bij Fatima Bakker (BSN {BSN}, geboren 07-03-1985); Youssef Bakker ook.",
        "Bakker, Fatima; F. Bakker; mevrouw Bakker; Fatima-Zahra; fatima; BAKKER",
        "Bo van der Berg en Eva van der Berg; bo bouwt; Berg; Bo; Berg, Bo van der; B. Berg",
        "geboren 1-6-2015, 2015-06-01, 1 juni 2015, 1 jun. 2015, 01/06/15",
        "Anne Visser, Anne Marie Visser, Anne-Fatima, BSN 9999.99.990 en 999 999 990",
        f"{BSN[:4]}.{BSN[4:6]}.{BSN[6:]} / {BSN[:3]} {BSN[3:6]} {BSN[6:]} / 1{BSN}",
        "7 maart 1985, 7 mrt. 1985, 7-3-85, 7.3.1985",
        "",
    ]
    for person, others in people:
        theirs = Scrubber(person, others)

        def identity(p: Person) -> server_erasure.Identity:
            return server_erasure.Identity(p.id, p.first_name, p.last_name, p.name_prefix,
                                           p.bsn, p.birth_date)

        ours = Scrubbers([identity(person)], [identity(o) for o in others])
        for text in texts:
            assert ours.scrub(text) == theirs.scrub(text), (person.first_name, text)
    assert server_erasure.ERASED == ERASED_NAME


def test_the_server_classifies_records_as_the_laptop() -> None:
    text = {cls.__entity__: columns for cls, columns in laptop_erasure.TEXT_COLUMNS.items()}
    assert dict(server_erasure.TEXT_FIELDS) == text
    structured = {cls.__entity__: columns
                  for cls, columns in laptop_erasure.STRUCTURED_COLUMNS.items()}
    assert dict(server_erasure.STRUCTURED_FIELDS) == {**structured,
                                                      "plan_version": ("content", "history")}
    kept = {cls.__entity__ for cls in laptop_erasure.KEPT_RECORDS}
    assert kept == server_erasure.KEPT_ENTITIES
    assert dict(server_erasure.PERSON_ERASED) == dict(laptop_erasure.PERSON_ERASED)
    assert server_erasure.PERSON_ERASED["search_name"] == fold(ERASED_NAME)
    content = PlanContent(question="Fatima Bakker wil een nieuwe start.", regisseur_id="r",
                          evaluation_dates=(date(2026, 3, 1),))
    assert server_erasure.plan_fingerprint(to_plain(content)) == content_fingerprint(content)
