"""The resident's rights: an inzage export of everything about a person (readable PDF and
JSON, including who looked), erasure on request with the legal exceptions shown and recorded,
and rectification that leaves a trace."""

from __future__ import annotations

import dataclasses
import json
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Text, select

from tests.integration.test_plans_service import add_worker
from tests.ui.test_household_page import make_family
from wijkteam_app.domain.cases import (
    Case,
    CaseStatus,
    Consent,
    ContactKind,
    ContactMoment,
    ReferralSource,
)
from wijkteam_app.domain.erasure import Scrubber, parse_fields
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.people import (
    Address,
    Household,
    HouseholdRole,
    NetworkMember,
    Person,
    Professional,
)
from wijkteam_app.domain.plans import (
    PlanContent,
    PlanVersion,
    ReviewOutcome,
    Signer,
    content_fingerprint,
    fingerprint,
)
from wijkteam_app.domain.rights import ErasureException, Outcome, RequestKind
from wijkteam_app.domain.validation import ValidationFailed
from wijkteam_app.domain.workers import Role
from wijkteam_app.persistence.casefile import GENESIS_HASH, audit_hash
from wijkteam_app.persistence.codec import from_plain
from wijkteam_app.persistence.schema import (
    AssessmentRecord,
    AuditRecord,
    ConsentRecord,
    Entity,
    HouseholdRecord,
    OutboxRecord,
    PlanSignatureRecord,
    PlanVersionRecord,
)
from wijkteam_app.services import erasure
from wijkteam_app.services.access_log import AccessLogService
from wijkteam_app.services.demo import demo_plan_content
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.plans import PlanService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.services.rights import ERASED_NAME, RightsService
from wijkteam_app.services.settings import SettingsService
from wijkteam_app.sync.protocol import EntityChange


def pdf_info(data: bytes, tmp_path: Path) -> tuple[str, str]:
    path = tmp_path / "x.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True)
    return info.stdout, text.stdout


def test_inzage_export_holds_everything_about_the_person(
        workspace: Workspace, tmp_path: Path) -> None:
    family = make_family(workspace)
    AccessLogService(workspace).viewed_household(family.household.id)
    service = RightsService(workspace)
    export = service.export(family.mother.id, workspace.today() - timedelta(days=3))

    data = json.loads(export.json_bytes)
    assert data["persoon"]["first_name"] == "Anouk"
    assert data["persoon"]["bsn"] == "999999990"
    assert data["huishouden"]["address"]["postcode"] == "1234 AB"
    assert [c["recipient"] for c in data["toestemmingen"]] == ["Huisarts"]
    assert len(data["zaken"][0]["contactmomenten"]) == 2
    assert "inzage.huishouden" in [e["wat"] for e in data["inzage_en_wijzigingen"]]
    assert data["verzoeken"][-1]["kind"] == "inzage"

    info, text = pdf_info(export.pdf_bytes, tmp_path)
    assert "Anouk" not in info and "Voorbeeld" not in info and "999999990" not in info
    assert "Inzage persoonsgegevens" in info
    assert "Anouk Voorbeeld" in text and "Wie heeft het dossier ingezien" in text
    assert "Dossier" not in info

    with workspace.casefile.read() as session:
        logged = session.scalars(select(AuditRecord).where(
            AuditRecord.action == "inzage.export")).all()
    assert [(r.household_id, r.purpose) for r in logged] == [
        (family.household.id, "Inzageverzoek (AVG art. 15)")]
    assert [r.kind for r in service.requests(family.household.id)] == [RequestKind.INZAGE]


def test_erasure_shows_the_exceptions_and_records_a_refusal(workspace: Workspace) -> None:
    family = make_family(workspace)
    service = RightsService(workspace)
    suggested = service.suggestions(family.mother.id)
    # The case runs, and there is a minor in the household.
    assert suggested == [ErasureException.LOPENDE_ONDERSTEUNING, ErasureException.BELANG_ANDER]
    with pytest.raises(ValidationFailed) as failed:
        service.erase(family.mother.id, workspace.today(), tuple(suggested), "")
    assert [e.field for e in failed.value.errors] == ["note"]
    refused = service.erase(family.mother.id, workspace.today(), tuple(suggested),
                            "De ondersteuning loopt nog; opnieuw bekijken na afsluiting.")
    assert refused.outcome is Outcome.GEWEIGERD
    assert service.person(family.mother.id).first_name == "Anouk"  # nothing erased
    [recorded] = [r for r in service.requests(family.household.id)
                  if r.kind is RequestKind.WISSEN]
    assert recorded.exceptions == tuple(suggested) and "loopt nog" in recorded.note


def test_erasure_without_exception_removes_the_person_identifying_data(
        workspace: Workspace) -> None:
    family = make_family(workspace)
    households = HouseholdService(workspace)
    households.save_case(dataclasses.replace(family.case, status=CaseStatus.AFGESLOTEN,
                                             closed_on=workspace.today(), version=1))
    service = RightsService(workspace)
    done = service.erase(family.father.id, workspace.today(), (), "")
    assert done.outcome is Outcome.UITGEVOERD
    father = service.person(family.father.id)
    assert (father.first_name, father.last_name, father.bsn, father.birth_date) == \
        (ERASED_NAME, "", "", None)
    with workspace.casefile.read() as session:
        assert not session.scalars(select(AssessmentRecord).where(
            AssessmentRecord.person_id == family.father.id)).all()
        assert not session.scalars(select(ConsentRecord).where(
            ConsentRecord.person_id == family.father.id)).all()
        last = session.scalars(select(OutboxRecord).order_by(OutboxRecord.seq.desc())).first()
        assert last is not None and last.action == "gegevens.wissen"
        entities = {c["entity"] for c in last.changes}
    assert {"person", "privacy_request"} <= entities  # it travels to the server
    assert service.person(family.mother.id).first_name == "Anouk"  # others untouched


def test_rectification_leaves_a_trace(workspace: Workspace) -> None:
    family = make_family(workspace)
    service = RightsService(workspace)
    corrected = dataclasses.replace(service.person(family.mother.id), last_name="Voorbeelt")
    request = service.rectify(corrected, workspace.today(), "Achternaam verkeerd gespeld")
    assert request.fields == ("last_name",)
    assert service.person(family.mother.id).last_name == "Voorbeelt"
    with workspace.casefile.read() as session:
        last = session.scalars(select(OutboxRecord).order_by(OutboxRecord.seq.desc())).first()
        assert last is not None and last.action == "gegevens.corrigeren"
        person_change = next(c for c in last.changes if c["entity"] == "person")
        assert person_change["fields"]["last_name"] == {"old": "Voorbeeld", "new": "Voorbeelt"}
        audit = session.scalars(select(AuditRecord).order_by(AuditRecord.id.desc())).first()
        assert audit is not None and audit.purpose == "Verzoek tot correctie (AVG art. 16)"
    with pytest.raises(ValidationFailed):  # nothing corrected is no correction
        service.rectify(service.person(family.mother.id), workspace.today(), "")


# --------------------------------------------------------------------------- scrubbing

FATIMA_BSN = "999999990"
FATIMA_BORN = date(1985, 3, 7)


@dataclasses.dataclass
class Bakkers:
    household_id: str
    fatima: Person
    youssef: Person
    contact_id: str
    signed: PlanVersion
    signed_pdf: bytes
    concept: PlanVersion


def make_bakkers(ws: Workspace) -> Bakkers:
    """Fatima Bakker and Youssef El Amrani; notes, the network, a signed plan and a newer
    concept all name Fatima (and her BSN and birth date)."""
    households = HouseholdService(ws)
    today = ws.today()
    household = Household(new_id(), "Huishouden Bakker",
                          Address("Proefstraat", 3, "", "1234 AB", "Verzinstad"), "Noord")
    fatima = Person(new_id(), household.id, "Fatima", "Bakker", HouseholdRole.HOOFDBEWONER,
                    birth_date=FATIMA_BORN, bsn=FATIMA_BSN)
    youssef = Person(new_id(), household.id, "Youssef", "El Amrani", HouseholdRole.PARTNER,
                     birth_date=date(1983, 1, 2))
    households.create(household, [fatima, youssef])
    case = Case(new_id(), household.id, ws.team.id, ws.actor_id, CaseStatus.UITVOERING,
                ReferralSource.HUISARTS, today - timedelta(days=60),
                referral_note="Huisarts meldt mevrouw Bakker aan.")
    households.save_case(case)
    contact = ContactMoment(
        new_id(), case.id, today - timedelta(days=10), 60, ContactKind.HUISBEZOEK,
        ws.actor_id, "Fatima Bakker en Youssef El Amrani",
        f"Huisbezoek bij Fatima Bakker (BSN {FATIMA_BSN}, geboren 07-03-1985). Youssef "
        "El Amrani was er ook; Fatima vertelde over de schulden.")
    households.save_contact(contact)
    households.save_network_member(NetworkMember(new_id(), household.id, "Oma Bakker",
                                                 "Moeder van Fatima", "Past op"))
    households.save_professional(Professional(new_id(), household.id, "Schuldhulp Noord",
                                              contact="Casus F. Bakker"))
    households.save_consent(Consent(new_id(), household.id, fatima.id, "Huisarts",
                                    "Afstemmen", today - timedelta(days=5), ws.actor_id))
    households.save_consent(Consent(new_id(), household.id, youssef.id, "Huisarts",
                                    "Afstemmen over Fatima", today - timedelta(days=5),
                                    ws.actor_id))

    plans = PlanService(ws)
    content = demo_plan_content(ws, household.id)
    content = dataclasses.replace(
        content, question="Fatima Bakker wil weer overzicht over haar geld.",
        goals=tuple(dataclasses.replace(g, professioneel=(), zelf="Fatima belt zelf")
                    for g in content.goals))
    version = plans.submit(plans.start(household.id, content))
    coach = add_worker(ws, Role.TEAMCOACH, "Coach Test")
    me, ws.worker = ws.worker, coach
    try:
        version = plans.review(version, ReviewOutcome.GOEDKEUREN)
    finally:
        ws.worker = me
    version = plans.to_signing(version)
    pdf = plans.render_pdf(version, SettingsService(ws).report_settings())
    signed = plans.record_signature(version, pdf, [Signer("Fatima Bakker", "inwoner",
                                                          person_id=fatima.id)],
                                    today, "Verzinstad", b"%PDF-1.4 scan", "scan.pdf",
                                    "application/pdf")
    newer = plans.new_version(signed)
    concept = plans.save_concept(newer, dataclasses.replace(
        newer.content, question=f"Fatima Bakker ({FATIMA_BSN}) wil een nieuwe start.",
        participants=dataclasses.replace(newer.content.participants,
                                         others="tolk voor mevrouw Bakker")))
    return Bakkers(household.id, fatima, youssef, contact.id, signed, pdf, concept)


def household_texts(ws: Workspace, household_id: str, skip: set[str]) -> dict[str, str]:
    """Every free-text value of the household's records (as JSON text for structured ones),
    by "entity:id:field", except the records in `skip`."""
    texts: dict[str, str] = {}
    kinds: dict[type[Entity], tuple[str, ...]] = {**erasure.TEXT_COLUMNS,
                                                  PlanVersionRecord: ("content", "history")}
    with ws.casefile.read() as session:
        for cls, columns in kinds.items():
            names = (*columns, *erasure.STRUCTURED_COLUMNS.get(cls, ()))
            query = select(cls)
            if cls is HouseholdRecord:
                query = query.where(HouseholdRecord.id == household_id)
            else:
                query = query.where(cls.__table__.columns["household_id"] == household_id)
            for record in session.scalars(query):
                if record.id in skip:
                    continue
                for name in names:
                    value = getattr(record, name)
                    texts[f"{cls.__entity__}:{record.id}:{name}"] = \
                        value if isinstance(value, str) else json.dumps(value)
    return texts


def names_fatima(text: str) -> bool:
    folded = text.casefold()
    return any(w in folded for w in ("fatima", "bakker", FATIMA_BSN, "07-03-1985"))


def test_erasure_scrubs_the_household_free_text_and_keeps_the_signed_plan(
        workspace: Workspace) -> None:
    b = make_bakkers(workspace)
    plans = PlanService(workspace)
    signed_before = plans.version(b.signed.id)
    assert plans.signature_is_valid(signed_before, b.signed_pdf)
    before = household_texts(workspace, b.household_id, {b.signed.id})
    assert names_fatima(before[f"contact_moment:{b.contact_id}:notes"])

    service = RightsService(workspace)
    done = service.erase(b.fatima.id, workspace.today(), (), "Fatima Bakker vroeg dit zelf.")

    after = household_texts(workspace, b.household_id, {b.signed.id})
    assert {k for k, v in after.items() if names_fatima(v)} == set()
    notes = after[f"contact_moment:{b.contact_id}:notes"]
    assert notes == (f"Huisbezoek bij {ERASED_NAME} (BSN {ERASED_NAME}, geboren "
                     f"{ERASED_NAME}). Youssef El Amrani was er ook; {ERASED_NAME} vertelde "
                     "over de schulden.")
    assert after[f"contact_moment:{b.contact_id}:with_whom"] == \
        f"{ERASED_NAME} en Youssef El Amrani"
    youssef = service.person(b.youssef.id)  # the other member's name is untouched
    assert (youssef.first_name, youssef.last_name) == ("Youssef", "El Amrani")
    concept = plans.version(b.concept.id)
    assert concept.content.question == f"{ERASED_NAME} ({ERASED_NAME}) wil een nieuwe start."
    assert concept.content.participants.others == f"tolk voor mevrouw {ERASED_NAME}"
    with workspace.casefile.read() as session:
        stored = session.get(PlanVersionRecord, b.concept.id)
        assert stored is not None and stored.fingerprint == fingerprint(concept)

    # The signed version is evidence: unchanged, and its signature still verifies.
    signed_after = plans.version(b.signed.id)
    assert signed_after.content == signed_before.content
    assert signed_after.version == signed_before.version
    assert signed_after.signature == signed_before.signature
    assert plans.signature_is_valid(signed_after, b.signed_pdf)
    assert "Fatima Bakker" in signed_after.content.question

    # The request records what was scrubbed, deleted and kept.
    report = parse_fields(done.fields)
    assert report.scrubbed == {"case": 1, "consent": 1, "contact_moment": 1, "household": 1,
                               "network_member": 1, "plan_version": 1, "professional": 1}
    assert report.kept == {"plan_signature": 1, "plan_version": 1}
    assert report.deleted == {"consent": 1}  # the one she gave
    [recorded] = [r for r in service.requests(b.household_id) if r.kind is RequestKind.WISSEN]
    assert recorded.fields == done.fields
    assert recorded.note.startswith(f"{ERASED_NAME} vroeg dit zelf.")
    assert "1 contactmoment" in recorded.note and "Bewaard" in recorded.note
    assert not names_fatima(recorded.note)


def test_the_scrub_travels_as_ordinary_changes_and_the_history_is_scrubbed(
        workspace: Workspace) -> None:
    b = make_bakkers(workspace)
    RightsService(workspace).erase(b.fatima.id, workspace.today(), (), "")
    with workspace.casefile.read() as session:
        rows = session.scalars(select(OutboxRecord).order_by(OutboxRecord.seq)).all()
        kept = {b.signed.id} | set(session.scalars(select(PlanSignatureRecord.id)))
        audit = session.scalars(select(AuditRecord).order_by(AuditRecord.id)).all()
    last = rows[-1]
    assert last.action == "gegevens.wissen"
    by_entity = {(c["entity"], c["id"]): c for c in last.changes}
    notes = by_entity[("contact_moment", b.contact_id)]["fields"]["notes"]
    assert ERASED_NAME in notes["new"] and not names_fatima(json.dumps(notes))
    plan = by_entity[("plan_version", b.concept.id)]["fields"]
    assert set(plan) >= {"content", "fingerprint"}
    for change in last.changes:  # what the server would accept, as in a push
        EntityChange.model_validate(change)
    assert not names_fatima(json.dumps(last.changes))  # not even as old values

    # Earlier change-sets no longer hold her data either, except for the kept records, and
    # stay what the server accepts (they are sent again after a server restore).
    for row in rows:
        for change in row.changes:
            EntityChange.model_validate(change)
            if change["id"] not in kept:
                assert not names_fatima(json.dumps(change)), (row.action, change["entity"])
    assert any(names_fatima(json.dumps(c)) for r in rows for c in r.changes
               if c["id"] == b.signed.id)  # the signed version's history is kept
    concept_changes = [c["fields"] for r in rows for c in r.changes
                       if c["id"] == b.concept.id and "content" in c["fields"]]
    assert concept_changes
    for fields in concept_changes:  # a scrubbed concept carries its own fingerprint
        content = from_plain(PlanContent, fields["content"]["new"])
        assert fields["fingerprint"]["new"] == content_fingerprint(content)
    prev = GENESIS_HASH  # the audit chain is intact
    for entry in audit:
        assert entry.prev_hash == prev and audit_hash(prev, entry) == entry.hash
        prev = entry.hash


def test_a_refused_erasure_changes_nothing(workspace: Workspace) -> None:
    b = make_bakkers(workspace)
    before = household_texts(workspace, b.household_id, set())
    with workspace.casefile.read() as session:
        history = [(r.id, r.changes) for r in session.scalars(select(OutboxRecord))]
    refused = RightsService(workspace).erase(
        b.fatima.id, workspace.today(), (ErasureException.LOPENDE_ONDERSTEUNING,),
        "Fatima Bakker krijgt nog ondersteuning.")
    assert refused.outcome is Outcome.GEWEIGERD and refused.fields == ()
    assert refused.note == "Fatima Bakker krijgt nog ondersteuning."
    assert household_texts(workspace, b.household_id, set()) == before
    assert RightsService(workspace).person(b.fatima.id).first_name == "Fatima"
    with workspace.casefile.read() as session:
        rows = session.scalars(select(OutboxRecord).order_by(OutboxRecord.seq)).all()
        assert [(r.id, r.changes) for r in rows[:-1]] == history
        assert {c["entity"] for c in rows[-1].changes} == {"privacy_request"}


def test_short_and_shared_names_are_scrubbed_only_as_full_name() -> None:
    bo = Person("bo", "h", "Bo", "Berg", HouseholdRole.KIND, name_prefix="van der",
                birth_date=date(2015, 6, 1))
    sister = Person("zus", "h", "Eva", "Berg", HouseholdRole.KIND, name_prefix="van der")
    scrubber = Scrubber(bo, [sister])
    assert scrubber.scrub("Bo van der Berg en Eva van der Berg; bo bouwt; Berg; Bo") == \
        f"{ERASED_NAME} en Eva van der Berg; bo bouwt; Berg; Bo"
    assert scrubber.scrub("Berg, Bo van der; B. Berg; geboren 1-6-2015") == \
        f"{ERASED_NAME}; {ERASED_NAME}; geboren {ERASED_NAME}"
    fatima = Person("f", "h", "Fatima", "Bakker", HouseholdRole.HOOFDBEWONER)
    youssef = Person("y", "h", "Youssef", "Bakker", HouseholdRole.PARTNER)
    scrubber = Scrubber(fatima, [youssef])
    assert scrubber.scrub("Fatima Bakker, Youssef Bakker, mevrouw Bakker, Fatima-Zahra, "
                          "fatima") == \
        f"{ERASED_NAME}, Youssef Bakker, mevrouw Bakker, Fatima-Zahra, {ERASED_NAME}"


def test_every_household_record_kind_is_classified() -> None:
    """A new record kind must be scrubbed or kept on purpose, and every long-text column
    of a scrubbed kind is scrubbed."""
    household_kinds = {cls.__entity__ for cls in Entity.__subclasses__()} - {
        "team", "worker", "mandate"}
    assert household_kinds == erasure.classified_entities()
    for cls, columns in erasure.TEXT_COLUMNS.items():
        long_text = {c.key for c in cls.__table__.columns if isinstance(c.type, Text)}
        assert long_text <= set(columns), cls.__entity__
