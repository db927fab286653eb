"""The resident's rights: inzage export, erasure on request with the legal exceptions, and
rectification that leaves a trace. Every handled request becomes a `privacy_request` record
(append-only, synced) in the same save as its effect, and exports are in the access log.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkteam_app.domain.erasure import ERASED, Scrubber
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.people import Person, validate_person
from wijkteam_app.domain.plans import PlanStatus, to_plain
from wijkteam_app.domain.rights import (
    ErasureException,
    Outcome,
    PrivacyRequest,
    RequestKind,
    suggested_exceptions,
    validate_request,
)
from wijkteam_app.domain.validation import ValidationFailed
from wijkteam_app.messages import describe_action
from wijkteam_app.persistence import repositories as repo
from wijkteam_app.persistence.schema import (
    AssessmentRecord,
    ConsentRecord,
    PersonRecord,
    PrivacyRequestRecord,
)
from wijkteam_app.reports.inzage_pdf import InzageDocument, InzageSection, render_inzage_pdf
from wijkteam_app.services import erasure
from wijkteam_app.services.access_log import AccessEntry, AccessLogService
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.plans import PlanService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.services.settings import SettingsService

log = logging.getLogger(__name__)

EXPORT_ACTION = "inzage.export"
ERASE_ACTION = "gegevens.wissen"
RECTIFY_ACTION = "gegevens.corrigeren"
ERASED_NAME = ERASED
PERSON_FIELDS = ("first_name", "name_prefix", "last_name", "birth_date", "bsn",
                 "household_role", "gezag_holder_ids", "gezag_note")


@dataclass(frozen=True, slots=True)
class InzageExport:
    json_bytes: bytes
    pdf_bytes: bytes
    request: PrivacyRequest


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def local_moment(iso_utc: str) -> str:
    """Naive-UTC ISO text as local 'dd-mm-jjjj uu:mm'."""
    moment = datetime.fromisoformat(iso_utc)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%d-%m-%Y %H:%M")


def request_from(r: PrivacyRequestRecord) -> PrivacyRequest:
    return PrivacyRequest(r.id, r.household_id, r.person_id, RequestKind(r.kind),
                          r.requested_on, r.handled_on, r.handled_by, Outcome(r.outcome),
                          tuple(ErasureException(e) for e in r.exceptions), tuple(r.fields),
                          r.note, r.version)


def _add_request(session: Any, request: PrivacyRequest) -> None:
    session.add(PrivacyRequestRecord(
        id=request.id, version=0, household_id=request.household_id,
        person_id=request.person_id, kind=request.kind.value,
        requested_on=request.requested_on, handled_on=request.handled_on,
        handled_by=request.handled_by, outcome=request.outcome.value,
        exceptions=[e.value for e in request.exceptions], fields=list(request.fields),
        note=request.note))


class RightsService:
    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace
        self._db = workspace.casefile
        self._households = HouseholdService(workspace)
        self._plans = PlanService(workspace)
        self._log = AccessLogService(workspace)

    # ------------------------------------------------------------------ reading

    def person(self, person_id: str) -> Person:
        with self._db.read() as session:
            return repo.person_from(repo.require(session, PersonRecord, person_id))

    def requests(self, household_id: str) -> list[PrivacyRequest]:
        with self._db.read() as session:
            return [request_from(r) for r in session.scalars(
                select(PrivacyRequestRecord)
                .where(PrivacyRequestRecord.household_id == household_id)
                .order_by(PrivacyRequestRecord.handled_on))]

    def suggestions(self, person_id: str) -> list[ErasureException]:
        person = self.person(person_id)
        page = self._households.page(person.household_id)
        signed = any(v.signature is not None or v.status in (
            PlanStatus.ONDERTEKEND, PlanStatus.IN_UITVOERING, PlanStatus.GEEVALUEERD,
            PlanStatus.AFGESLOTEN) for v in self._plans.versions(person.household_id))
        return suggested_exceptions(person, [c.case for c in page.cases], signed,
                                    page.detail.members, self._ws.today())

    def everything_about(self, person_id: str,
                         remote_log: list[AccessEntry] | None = None) -> dict[str, Any]:
        """Everything the case file holds about one person, as plain JSON values."""
        person = self.person(person_id)
        page = self._households.page(person.household_id)
        names = page.worker_names
        versions = [v for v in self._plans.versions(person.household_id)
                    if not v.content.participants.person_ids
                    or person.id in v.content.participants.person_ids]
        access = remote_log if remote_log is not None else \
            self._log.local_entries(person.household_id)
        return {
            "over": "Alle gegevens die in het dossier van het wijkteam over deze persoon "
                    "zijn vastgelegd (AVG art. 15).",
            "gemaakt_op": self._ws.today().isoformat(),
            "persoon": _plain(person),
            "huishouden": _plain(page.detail.household),
            "andere_gezinsleden": [{"id": m.id, "naam": m.full_name}
                                   for m in page.detail.members if m.id != person.id],
            "netwerk": _plain(page.detail.network),
            "professionals": _plain(page.detail.professionals),
            "zaken": [{**_plain(c.case),
                       "regisseur": names.get(c.case.regisseur_id, c.case.regisseur_id),
                       "contactmomenten": _plain(c.contacts)} for c in page.cases],
            "toestemmingen": _plain([c for c in page.consents if c.person_id == person.id]),
            "metingen": _plain([a for a in page.assessments
                                if a.person_id in (None, person.id)]),
            "ondersteuningsplannen": [
                {"versie": v.number, "status": v.status.value, "inhoud": to_plain(v.content)}
                for v in versions],
            "verzoeken": _plain([r for r in self.requests(person.household_id)
                                 if r.person_id == person.id]),
            "inzage_en_wijzigingen": [
                {"wanneer": e.at.isoformat(), "wie": e.actor_name or e.actor_id,
                 "wat": e.action, "omschrijving": describe_action(e.action),
                 "doel": e.purpose, "apparaat": e.device_id}
                for e in access],
        }

    # ------------------------------------------------------------------ inzage

    def export(self, person_id: str, requested_on: date,
               remote_log: list[AccessEntry] | None = None) -> InzageExport:
        """JSON and PDF of everything about the person; the request is recorded and the
        export is in the access log. Nothing is written to disk here: the caller saves the
        bytes where the worker chooses."""
        data = self.everything_about(person_id, remote_log)
        person = self.person(person_id)
        request = PrivacyRequest(new_id(), person.household_id, person.id, RequestKind.INZAGE,
                                 requested_on, self._ws.today(), self._ws.actor_id,
                                 Outcome.UITGEVOERD)
        self._record(request, EXPORT_ACTION, "Inzageverzoek (AVG art. 15)")
        data["verzoeken"].append(_plain(request))
        json_bytes = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
        return InzageExport(json_bytes, render_inzage_pdf(self._document(person, data)),
                            request)

    def _document(self, person: Person, data: dict[str, Any]) -> InzageDocument:
        settings = SettingsService(self._ws).get()

        def cell(value: Any) -> str:
            if value is None:
                return ""
            text = str(value)
            try:  # ISO dates as the resident reads them: 28-12-2025
                return date.fromisoformat(text).strftime("%d-%m-%Y") if len(text) == 10 \
                    else text
            except ValueError:
                return text

        def rows(items: list[dict[str, Any]], *keys: str) -> tuple[tuple[str, ...], ...]:
            return tuple(tuple(cell(item.get(k)) for k in keys) for item in items)

        p = data["persoon"]
        h = data["huishouden"]
        address = h.get("address") or {}
        contacts = [dict(c, zaak=z["id"][:8]) for z in data["zaken"]
                    for c in z["contactmomenten"]]
        sections = [
            InzageSection("Persoonsgegevens", rows=(
                ("Naam", person.full_name), ("Geboortedatum", cell(p.get("birth_date"))),
                ("BSN", p.get("bsn") or "niet vastgelegd"),
                ("Rol in het huishouden", p.get("household_role") or ""),
                ("Gezag", p.get("gezag_note") or ""))),
            InzageSection("Huishouden", rows=(
                ("Naam", h.get("name", "")),
                ("Adres", f"{address.get('street', '')} {address.get('house_number', '')}"
                          f"{address.get('house_number_suffix', '')}, "
                          f"{address.get('postcode', '')} {address.get('city', '')}"),
                ("Wijk", h.get("wijk", "")),
                ("Andere gezinsleden", ", ".join(m["naam"] for m in data["andere_gezinsleden"]))
            )),
            InzageSection("Netwerk", columns=("Naam", "Relatie", "Steun"),
                          rows=rows(data["netwerk"], "name", "relation", "support")),
            InzageSection("Betrokken professionals", columns=("Organisatie", "Naam", "Contact"),
                          rows=rows(data["professionals"], "organisation", "name", "contact")),
            InzageSection("Zaken", columns=("Aangemeld", "Status", "Regisseur", "Afgesloten"),
                          rows=rows(data["zaken"], "referral_date", "status", "regisseur",
                                    "closed_on")),
            InzageSection("Contactmomenten", columns=("Datum", "Soort", "Met wie", "Verslag"),
                          weights=(1.5, 1.5, 2.0, 5.0),
                          rows=rows(contacts, "on", "kind", "with_whom", "notes")),
            InzageSection("Toestemmingen", columns=("Ontvanger", "Doel", "Gegeven",
                                                    "Ingetrokken"),
                          rows=rows(data["toestemmingen"], "recipient", "purpose", "given_on",
                                    "withdrawn_on")),
            InzageSection("Metingen (ZRM, participatieladder)",
                          columns=("Datum", "Instrument", "Versie"),
                          rows=rows(data["metingen"], "assessed_on", "definition_id",
                                    "definition_version")),
            InzageSection("Ondersteuningsplannen", columns=("Versie", "Status"),
                          rows=rows(data["ondersteuningsplannen"], "versie", "status"),
                          intro="De volledige inhoud staat in het JSON-bestand."),
            InzageSection("Verzoeken van de inwoner",
                          columns=("Soort", "Ontvangen", "Afgehandeld", "Uitkomst", "Toelichting"),
                          rows=rows(data["verzoeken"], "kind", "requested_on", "handled_on",
                                    "outcome", "note")),
            InzageSection("Wie heeft het dossier ingezien of gewijzigd",
                          columns=("Wanneer", "Wie", "Wat", "Doel"),
                          weights=(2.2, 2.5, 3.3, 3.0),
                          empty_text="Nog niets vastgelegd.",
                          rows=tuple((local_moment(e["wanneer"]), str(e["wie"]),
                                      str(e["omschrijving"]), str(e["doel"] or ""))
                                     for e in data["inzage_en_wijzigingen"]),
                          intro="Elke keer dat het dossier is bekeken, afgedrukt, "
                                "geëxporteerd of gewijzigd (NEN 7513)."),
        ]
        return InzageDocument(
            heading="Inzage in uw gegevens", person_name=person.full_name,
            municipality=settings.municipality_name,
            made_on=self._ws.today().strftime("%d-%m-%Y"),
            made_by=self._ws.worker.display_name,
            intro="Dit overzicht bevat alle gegevens die het wijkteam over u heeft vastgelegd, "
                  "en wie uw dossier heeft ingezien. Klopt er iets niet, dan kunt u vragen het "
                  "te corrigeren; u kunt ook vragen gegevens te wissen.",
            sections=sections)

    # ------------------------------------------------------------------ erasure

    def erase(self, person_id: str, requested_on: date,
              exceptions: tuple[ErasureException, ...], note: str) -> PrivacyRequest:
        """Erase on request, or record why not. With no exception: the person's identifying
        data is removed (name, birth date, BSN, gezag note), their own assessments and the
        consents they gave are deleted, and their name, BSN and birth date are replaced by
        `ERASED_NAME` in the free text of every other record of the household (notes,
        network, professionals, concept plans, conferences; `services.erasure`) and in the
        local change-set history. Signed or otherwise frozen plan versions and append-only
        records (decisions, signatures, reports) are kept as they are. The request records
        what was scrubbed, deleted and kept (`fields`, and in Dutch in its note).
        With exceptions: nothing is erased and the refusal with its legal grounds is
        recorded (tell the resident, who may object)."""
        person = self.person(person_id)
        outcome = Outcome.GEWEIGERD if exceptions else Outcome.UITGEVOERD
        request = PrivacyRequest(new_id(), person.household_id, person.id, RequestKind.WISSEN,
                                 requested_on, self._ws.today(), self._ws.actor_id, outcome,
                                 tuple(exceptions), (), note.strip())
        errors = validate_request(request, self._ws.today())
        if errors:
            raise ValidationFailed(errors)
        with self._db.save(self._ws.actor_id, ERASE_ACTION, "persoon", person.id) as ctx:
            if outcome is Outcome.UITGEVOERD:
                request = self._erase_in(ctx.session, person, request)
            _add_request(ctx.session, request)
            ctx.purpose = "Verzoek tot wissen (AVG art. 17)"
        log.info("erasure request handled: %s", outcome.value)
        return request

    def _erase_in(self, session: Session, person: Person,
                  request: PrivacyRequest) -> PrivacyRequest:
        """The erasure itself, on the save's session; returns the request with its record."""
        scrubber = Scrubber(person, erasure.others(
            erasure.members(session, person.household_id), person.id))
        record_ids = erasure.household_record_ids(session, person.household_id)
        result = erasure.HouseholdScrub()
        repo.save_person(session, erasure.erased_person(person))
        for cls in (AssessmentRecord, ConsentRecord):
            for record in session.scalars(select(cls).where(cls.person_id == person.id)):
                session.delete(record)
                result.report.add_deleted(cls.__entity__)
        session.flush()
        erasure.scrub_household(session, person, scrubber, result)
        erasure.delete_drafts(session, person.id)
        result.history_rows = erasure.scrub_history(
            session, person.household_id, person.id, record_ids, result.kept_ids, scrubber)
        erasure.scrub_own_changeset(session, person.id, record_ids, result.kept_ids,
                                    scrubber)
        worker_note = scrubber.scrub(request.note)
        summary = result.report.summary()
        log.info("erasure: %d records scrubbed, %d kept, %d change-sets rewritten",
                 sum(result.report.scrubbed.values()), sum(result.report.kept.values()),
                 result.history_rows)
        return dataclasses.replace(
            request, fields=result.report.fields(),
            note=f"{worker_note}\n\n{summary}" if worker_note else summary)

    # ------------------------------------------------------------------ rectification

    def rectify(self, corrected: Person, requested_on: date, note: str) -> PrivacyRequest:
        """Save a correction the resident asked for, with a trace: the request names the
        corrected fields (their old values stay in the change-set history and audit log)."""
        before = self.person(corrected.id)
        changed = tuple(f for f in PERSON_FIELDS
                        if getattr(before, f) != getattr(corrected, f))
        request = PrivacyRequest(new_id(), corrected.household_id, corrected.id,
                                 RequestKind.CORRECTIE, requested_on, self._ws.today(),
                                 self._ws.actor_id, Outcome.UITGEVOERD, (), changed,
                                 note.strip())
        errors = validate_request(request, self._ws.today())
        if errors:
            raise ValidationFailed(errors)
        members = {m.id for m in self._households.get(corrected.household_id).members}
        person_errors = validate_person(corrected, self._ws.today(), members | {corrected.id})
        if person_errors:
            raise ValidationFailed(person_errors)
        with self._db.save(self._ws.actor_id, RECTIFY_ACTION, "persoon", corrected.id) as ctx:
            repo.save_person(ctx.session, corrected)
            _add_request(ctx.session, request)
            ctx.purpose = "Verzoek tot correctie (AVG art. 16)"
        return request

    # ------------------------------------------------------------------ helpers

    def _record(self, request: PrivacyRequest, action: str, purpose: str) -> None:
        with self._db.save(self._ws.actor_id, action, "persoon", request.person_id) as ctx:
            _add_request(ctx.session, request)
            ctx.purpose = purpose


__all__ = ["InzageExport", "RightsService"]
