"""The ondersteuningsplan as use cases: concept, submit, coach review (offline too), toets,
signing with the exact PDF and the scanned copy, execution, evaluation, op- en afschalen.

Every step is one save (records + outbox change-set + audit entry). The rules themselves
live in `domain.plans`; this module loads, checks who acts, stores, and builds the PDF input.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkteam_app.catalogs import load_code_lists, load_sociale_kaart
from wijkteam_app.domain.cases import CaseStatus, Consent
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.instruments import (
    LADDER_ITEM_CODE,
    PARTICIPATIELADDER_ID,
    Assessment,
    InstrumentKind,
)
from wijkteam_app.domain.people import HouseholdDetail, Person
from wijkteam_app.domain.plans import (
    EscalationEvent,
    GoalEvaluation,
    Mandate,
    PlanContent,
    PlanReferences,
    PlanRuleViolation,
    PlanStatus,
    PlanVersion,
    Regie,
    RegieLevel,
    ReviewDecision,
    ReviewOutcome,
    SectionComment,
    Signer,
    SignerReason,
    ToetsDecision,
    ToetsRecord,
    apply_review,
    case_status_after,
    de_escalate,
    edit,
    escalate,
    fingerprint,
    make_signature,
    needs_toets,
    new_plan,
    new_version_from,
    record_toets,
    required_signers,
    signature_valid,
    toets_reasons,
    transition,
)
from wijkteam_app.domain.provisions import CodeLists, Provision
from wijkteam_app.errors import FileNotOnDevice, NotFound
from wijkteam_app.persistence import plan_repository as plans_repo
from wijkteam_app.persistence import repositories as repo
from wijkteam_app.persistence.casefile import utcnow
from wijkteam_app.persistence.schema import (
    AttachmentBlobRecord,
    AttachmentRecord,
    CaseRecord,
    ConsentRecord,
    PersonRecord,
    PlanVersionRecord,
    RegieEventRecord,
    WorkerRecord,
)
from wijkteam_app.reports.document import (
    DocConsent,
    DocDomainSituation,
    DocEvaluation,
    DocGoal,
    DocLadder,
    DocNetworkMember,
    DocNetworkTask,
    DocPerson,
    DocProfessional,
    DocProfessionalSupport,
    DocProvisionUse,
    DocSigner,
    DocToets,
    DocZrm,
    DocZrmScore,
    PlanDocument,
    ReportSettings,
)
from wijkteam_app.services.assessments import installed_definitions
from wijkteam_app.services.authority import Action, Authority, NotAllowed
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.sync.state import refused_changesets

NO_MANDATE = Mandate(0, frozenset())
PLAN_ACTIONS = (Action.PLAN_WRITE, Action.PLAN_SUBMIT, Action.PLAN_REVIEW, Action.PLAN_TOETS,
                Action.PLAN_TO_SIGNING, Action.PLAN_SIGN, Action.PLAN_EXECUTE,
                Action.PLAN_EVALUATE, Action.PLAN_CLOSE, Action.MOVE_REGIE)
SIGNER_ROLE_NAMES = {
    SignerReason.VOLWASSENE: "inwoner",
    SignerReason.JEUGDIGE_VANAF_16: "jeugdige (16 jaar of ouder)",
    SignerReason.JEUGDIGE_12_TOT_16: "jeugdige (12 tot 16 jaar)",
    SignerReason.GEZAG: "ouder/verzorger met gezag",
    SignerReason.GEZAG_ONBEKEND: "gezaghebbende (nog vast te stellen)",
    SignerReason.LEEFTIJD_ONBEKEND: "inwoner",
    SignerReason.PROFESSIONAL: "regisseur",
}


__all__ = ["NotAllowed", "PlanService", "RefusedVersion", "StoredFile"]


@cache
def sociale_kaart() -> tuple[Provision, ...]:
    return load_sociale_kaart()


@cache
def code_lists() -> CodeLists:
    return load_code_lists()


@dataclass(frozen=True, slots=True)
class RefusedVersion:
    """A plan version the municipal server refused (e.g. ``plan_exists``: a colleague's plan
    for this household reached the server first). It stays on this laptop, read-only."""

    version: PlanVersion
    reason: str | None  # a `sync.authority.Refusal` code
    refused_at: datetime
    in_plan: bool = False  # True: a later change of a version of the household's plan


@dataclass(frozen=True, slots=True)
class PlanPdf:
    """The PDF of a plan version: for a signed version exactly the bytes that were signed
    (`signed` True, their SHA-256 is the one in the signature), else a fresh rendering."""

    data: bytes
    signed: bool
    sha256: str


class SignedPdfMissing(PlanRuleViolation):
    """A signed version whose signed PDF is not in this case file: never replaced by a new
    rendering (which would not be what was signed)."""

    def __init__(self) -> None:
        super().__init__("signed_pdf_missing", "the signed PDF is not in this case file")


@dataclass(frozen=True, slots=True)
class StoredFile:
    id: str
    filename: str
    mime: str
    sha256: str
    data: bytes


class PlanService:
    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace
        self._db = workspace.casefile
        self.authority = Authority(workspace)

    # --- reading ---------------------------------------------------------------------------

    def versions(self, household_id: str) -> list[PlanVersion]:
        """The versions of the household's plan, oldest first. A plan the server refused
        (another plan of the household reached it first) is not the household's plan: its
        versions are in `refused_versions`."""
        return self._partition(household_id)[0]

    def refused_versions(self, household_id: str) -> list[RefusedVersion]:
        """Versions of this household with a change the server refused, oldest first: every
        version of a plan whose start it refused and every version whose creation it refused
        (``in_plan`` False: not among `versions`), and versions of the plan of which a later
        change was refused (``in_plan`` True)."""
        return self._partition(household_id)[1]

    def versions_and_refused(self, household_id: str
                             ) -> tuple[list[PlanVersion], list[RefusedVersion]]:
        """`versions` and `refused_versions` in one read (the Plan tab shows both)."""
        return self._partition(household_id)

    def _partition(self, household_id: str) -> tuple[list[PlanVersion], list[RefusedVersion]]:
        with self._db.read() as session:
            versions = plans_repo.versions_of(session, household_id)
            refused = refused_changesets(session, household_id) if versions else []
        if not refused:
            return versions, []
        first: dict[str, tuple[str | None, datetime, bool]] = {}
        for row in refused:  # oldest first: a record's first refusal is the one shown
            for change in row.changes:
                if change.get("entity") == "plan_version":
                    first.setdefault(str(change.get("id")), (
                        row.reason, row.refused_at, change.get("op") == "insert"))
        plan_start: dict[str, PlanVersion] = {}
        for v in versions:
            plan_start.setdefault(v.plan_id, v)
        refused_plans = {plan_id: first[v.id] for plan_id, v in plan_start.items()
                         if v.id in first and first[v.id][2]}
        plan: list[PlanVersion] = []
        out: list[RefusedVersion] = []
        for v in versions:
            outside = refused_plans.get(v.plan_id) or (
                first[v.id] if v.id in first and first[v.id][2] else None)
            if outside is not None:
                out.append(RefusedVersion(v, outside[0], outside[1], in_plan=False))
                continue
            plan.append(v)
            if v.id in first:
                out.append(RefusedVersion(v, first[v.id][0], first[v.id][1], in_plan=True))
        return plan, out

    def current(self, household_id: str) -> PlanVersion | None:
        versions = self.versions(household_id)
        return versions[-1] if versions else None

    def version(self, version_id: str) -> PlanVersion:
        with self._db.read() as session:
            return plans_repo.load_version(session, version_id)

    def allowed_actions(self, household_id: str,
                        versions: Sequence[PlanVersion] | None = None) -> frozenset[Action]:
        """The plan steps this worker may take on the household's plan (the authorization
        matrix of `sync.authority`; a review or toets never by the current version's own
        regisseur). Which of them apply now follows from the plan's status. ``versions``:
        the plan's versions when the caller has just read them."""
        if versions is None:
            versions = self.versions(household_id)
        current = versions[-1] if versions else None
        return self.authority.allowed(
            household_id, PLAN_ACTIONS,
            plan_regisseur_id=current.content.regisseur_id if current else None)

    def why_not(self, version: PlanVersion, action: Action) -> str | None:
        """Why this worker may not do ``action`` on this version (a message code of
        `wijkteam_app.messages`), or None when they may."""
        return self.authority.refusal(version.household_id, action,
                                      plan_regisseur_id=version.content.regisseur_id)

    def waiting_for_review(self) -> list[PlanVersion]:
        """Versions sent to the coach (ter beoordeling), oldest first."""
        with self._db.read() as session:
            ids = list(session.scalars(
                select(PlanVersionRecord.id)
                .where(PlanVersionRecord.status == PlanStatus.TER_BEOORDELING.value)
                .order_by(PlanVersionRecord.created_at)))
            return [plans_repo.load_version(session, i) for i in ids]

    def mandate(self, worker_id: str) -> Mandate:
        with self._db.read() as session:
            return plans_repo.mandate_of(session, worker_id) or NO_MANDATE

    def set_own_mandate(self, max_amount_cents: int, product_codes: frozenset[str]) -> None:
        """Record the current worker's mandate (until the server provides it)."""
        with self._db.save(self._ws.actor_id, "mandaat.vastleggen", "mandaat",
                           self._ws.actor_id) as ctx:
            plans_repo.save_mandate(ctx.session, new_id(), self._ws.actor_id,
                                    Mandate(max_amount_cents, product_codes))

    def references(self, household_id: str) -> PlanReferences:
        detail = HouseholdService(self._ws).get(household_id)
        lists = code_lists()
        return PlanReferences(
            domain_codes=None,
            person_ids={p.id for p in detail.members},
            network_member_ids={n.id for n in detail.network},
            professional_ids={p.id for p in detail.professionals},
            provision_ids={p.id for p in sociale_kaart()},
            product_codes=lists.product_codes,
            unit_codes=lists.unit_codes,
            frequency_codes=lists.frequency_codes,
        )

    # --- concept ---------------------------------------------------------------------------

    def start(self, household_id: str, content: PlanContent | None = None) -> PlanVersion:
        """Version 1 of the household's plan (one household, one plan)."""
        self.authority.require(household_id, Action.PLAN_WRITE)
        with self._db.read() as session:
            if plans_repo.versions_of(session, household_id):  # a refused plan counts too
                raise PlanRuleViolation("plan_exists", "this household already has a plan")
        content = content or PlanContent(regisseur_id=self._regisseur_of(household_id))
        version = new_plan(household_id, content, self._ws.actor_id, utcnow())
        return self._store(version, "plan.aanmaken")

    def save_concept(self, version: PlanVersion, content: PlanContent) -> PlanVersion:
        self.authority.require(version.household_id, Action.PLAN_WRITE)
        return self._store(edit(version, content), "plan.concept_opslaan")

    def new_version(self, version: PlanVersion) -> PlanVersion:
        """A new concept from a returned, approved or signed version; the old one stays."""
        self.authority.require(version.household_id, Action.PLAN_WRITE)
        highest = max(v.number for v in self.versions(version.household_id))
        fresh = new_version_from(version, self._ws.actor_id, utcnow(), highest_number=highest)
        return self._store(fresh, "plan.nieuwe_versie")

    # --- workflow --------------------------------------------------------------------------

    def submit(self, version: PlanVersion) -> PlanVersion:
        self.authority.require(version.household_id, Action.PLAN_SUBMIT)
        updated = transition(version, PlanStatus.TER_BEOORDELING, self._ws.actor_id, utcnow(),
                             references=self.references(version.household_id))
        return self._store(updated, "plan.indienen")

    def review(self, version: PlanVersion, outcome: ReviewOutcome,
               comments: Sequence[SectionComment] = ()) -> PlanVersion:
        """The coach's decision, recorded locally with the version it was made on; it
        travels with the next sync like any other change. Only by a teamcoach of the case's
        team, never by the plan's own regisseur."""
        self.authority.require(version.household_id, Action.PLAN_REVIEW,
                               plan_regisseur_id=version.content.regisseur_id)
        decision = ReviewDecision(version.id, self._ws.actor_id, utcnow(), outcome,
                                  tuple(comments))
        updated = apply_review(version, decision)
        with self._db.save(self._ws.actor_id, f"plan.{outcome.value}", "planversie",
                           version.id) as ctx:
            plans_repo.save_version(ctx.session, updated)
            plans_repo.add_review(ctx.session, new_id(), version.household_id, decision)
            self._advance_case(ctx.session, updated)
        return self.version(version.id)

    def record_toets(self, version: PlanVersion, decision: ToetsDecision,
                     note: str = "") -> PlanVersion:
        """The gemeentelijke toets: only by a toetser of the case's team, never by the plan's
        regisseur (four eyes)."""
        self.authority.require(version.household_id, Action.PLAN_TOETS,
                               plan_regisseur_id=version.content.regisseur_id)
        toets = ToetsRecord(version.id, self._ws.actor_id, utcnow(), decision, note)
        updated = record_toets(version, toets)
        with self._db.save(self._ws.actor_id, "plan.toets", "planversie", version.id) as ctx:
            plans_repo.add_toets(ctx.session, new_id(), version.household_id, toets)
        del updated
        return self.version(version.id)

    def toets_needed(self, version: PlanVersion) -> bool:
        return needs_toets(version, self.mandate(version.content.regisseur_id))

    def to_signing(self, version: PlanVersion) -> PlanVersion:
        self.authority.require(version.household_id, Action.PLAN_TO_SIGNING)
        mandate = self.mandate(version.content.regisseur_id)
        updated = transition(version, PlanStatus.TER_ONDERTEKENING, self._ws.actor_id,
                             utcnow(), mandate=mandate)
        return self._store(updated, "plan.ter_ondertekening")

    def record_signature(self, version: PlanVersion, pdf_bytes: bytes,
                         signers: Sequence[Signer], signed_on: date, place: str,
                         scan: bytes, scan_filename: str, scan_mime: str) -> PlanVersion:
        """Store who signed, when and where, the SHA-256 of exactly this PDF, the PDF itself
        and the scanned signed copy (both inside the encrypted case file)."""
        self.authority.require(version.household_id, Action.PLAN_SIGN)
        scan_id, pdf_id = new_id(), new_id()
        signature = make_signature(version, pdf_bytes, signers, signed_on, place, scan_id)
        updated = transition(version, PlanStatus.ONDERTEKEND, self._ws.actor_id, utcnow(),
                             signature=signature)
        with self._db.save(self._ws.actor_id, "plan.ondertekenen", "planversie",
                           version.id) as ctx:
            self._add_file(ctx.session, scan_id, version.household_id, "ondertekende_scan",
                           scan_filename, scan_mime, scan)
            self._add_file(ctx.session, pdf_id, version.household_id, "plan_pdf",
                           f"ondersteuningsplan-v{version.number}.pdf", "application/pdf",
                           pdf_bytes)
            ctx.session.flush()
            plans_repo.save_version(ctx.session, updated)
            plans_repo.add_signature(ctx.session, new_id(), version.household_id, signature,
                                     pdf_id)
            self._advance_case(ctx.session, updated)
            self._record_plan_consents(ctx.session, updated, signed_on)
        return self.version(version.id)

    def signature_is_valid(self, version: PlanVersion, pdf_bytes: bytes) -> bool:
        return version.signature is not None and signature_valid(
            version.signature, version, pdf_bytes)

    def start_execution(self, version: PlanVersion) -> PlanVersion:
        self.authority.require(version.household_id, Action.PLAN_EXECUTE)
        updated = transition(version, PlanStatus.IN_UITVOERING, self._ws.actor_id, utcnow())
        return self._store(updated, "plan.uitvoering")

    def evaluate(self, version: PlanVersion,
                 evaluations: Sequence[GoalEvaluation]) -> PlanVersion:
        self.authority.require(version.household_id, Action.PLAN_EVALUATE)
        updated = transition(version, PlanStatus.GEEVALUEERD, self._ws.actor_id, utcnow(),
                             evaluations=evaluations)
        with self._db.save(self._ws.actor_id, "plan.evalueren", "planversie",
                           version.id) as ctx:
            plans_repo.save_version(ctx.session, updated)
            for evaluation in evaluations:
                plans_repo.add_evaluation(ctx.session, new_id(), version.household_id,
                                          version.id, evaluation)
            self._advance_case(ctx.session, updated)
        return self.version(version.id)

    def close(self, version: PlanVersion) -> PlanVersion:
        self.authority.require(version.household_id, Action.PLAN_CLOSE)
        updated = transition(version, PlanStatus.AFGESLOTEN, self._ws.actor_id, utcnow())
        return self._store(updated, "plan.afsluiten")

    # --- regie -----------------------------------------------------------------------------

    def move_regie(self, household_id: str, up: bool, to_worker_id: str,
                   reason: str) -> EscalationEvent:
        """Opschalen (up) to a gezinsbegeleider, or afschalen back: the regie and the
        mandate move, the case's regisseur changes, and the move is recorded. By the regisseur
        or the teamcoach."""
        self.authority.require(household_id, Action.MOVE_REGIE)
        current_id = self._regisseur_of(household_id)  # before the read: one session at a time
        level = self.regie_level(household_id)
        with self._db.read() as session:
            from_mandate = plans_repo.mandate_of(session, current_id) or NO_MANDATE
            to_mandate = plans_repo.mandate_of(session, to_worker_id) or NO_MANDATE
            if session.get(WorkerRecord, to_worker_id) is None:
                raise NotFound("worker")
        regie = Regie(current_id, from_mandate, level)
        move = escalate if up else de_escalate
        _new_regie, event = move(regie, to_worker_id, to_mandate, self._ws.actor_id,
                                 utcnow(), reason)
        cases = HouseholdService(self._ws).cases(household_id)
        with self._db.save(self._ws.actor_id, f"regie.{event.direction.value}", "huishouden",
                           household_id) as ctx:
            ctx.session.add(RegieEventRecord(
                id=new_id(), version=0, household_id=household_id,
                direction=event.direction.value, from_regisseur_id=event.from_regisseur_id,
                to_regisseur_id=event.to_regisseur_id,
                from_mandate={"max_amount_cents": from_mandate.max_amount_cents,
                              "product_codes": sorted(from_mandate.product_codes)},
                to_mandate={"max_amount_cents": to_mandate.max_amount_cents,
                            "product_codes": sorted(to_mandate.product_codes)},
                actor_id=event.actor_id, at=event.at, reason=event.reason))
            if cases:
                case = cases[0].case
                team = tuple(w for w in case.case_team_ids if w != to_worker_id)
                if case.regisseur_id not in team:
                    team = (*team, case.regisseur_id)
                repo.save_case(ctx.session, dataclasses.replace(
                    case, regisseur_id=to_worker_id, case_team_ids=team))
        return event

    def regie_level(self, household_id: str) -> RegieLevel:
        """WIJKTEAM, or GEZINSBEGELEIDING after an opschaling that was not yet afgeschaald."""
        with self._db.read() as session:
            last = session.scalars(
                select(RegieEventRecord.direction)
                .where(RegieEventRecord.household_id == household_id)
                .order_by(RegieEventRecord.at.desc())).first()
        return RegieLevel.GEZINSBEGELEIDING if last == "opschalen" else RegieLevel.WIJKTEAM

    # --- files -----------------------------------------------------------------------------

    def file(self, attachment_id: str) -> StoredFile:
        with self._db.read() as session:
            meta = session.get(AttachmentRecord, attachment_id)
            blob = session.get(AttachmentBlobRecord, attachment_id)
            if meta is None:
                raise NotFound("attachment")
            if blob is None:  # metadata pulled from the server; the bytes stay elsewhere
                raise FileNotOnDevice("attachment")
            return StoredFile(meta.id, meta.filename, meta.mime, meta.sha256, blob.data)

    def signed_pdf(self, version: PlanVersion) -> bytes | None:
        from wijkteam_app.persistence.schema import PlanSignatureRecord

        with self._db.read() as session:
            record = session.scalars(select(PlanSignatureRecord).where(
                PlanSignatureRecord.version_id == version.id)).first()
            pdf_id = record.signed_pdf_attachment_id if record else None
        return self.file(pdf_id).data if pdf_id else None

    # --- the PDF ---------------------------------------------------------------------------

    def pdf(self, version: PlanVersion, settings: ReportSettings) -> PlanPdf:
        """What to print or hand out for `version`: a signed version's signed bytes
        (FileNotOnDevice when only the metadata is here, SignedPdfMissing when there is
        none), otherwise a rendering of the version as it is now."""
        if version.signature is not None:
            data = self.signed_pdf(version)
            if data is None:
                raise SignedPdfMissing()
            return PlanPdf(data, True, hashlib.sha256(data).hexdigest())
        data = self.render_pdf(version, settings)
        return PlanPdf(data, False, hashlib.sha256(data).hexdigest())

    def render_pdf(self, version: PlanVersion, settings: ReportSettings) -> bytes:
        from wijkteam_app.reports.plan_pdf import render_plan_pdf

        return render_plan_pdf(self.document(version), settings)

    def document(self, version: PlanVersion) -> PlanDocument:
        return _DocumentBuilder(self._ws, self, version).build()

    # --- helpers ---------------------------------------------------------------------------

    def _store(self, version: PlanVersion, action: str) -> PlanVersion:
        with self._db.save(self._ws.actor_id, action, "planversie", version.id) as ctx:
            plans_repo.save_version(ctx.session, version)
            self._advance_case(ctx.session, version)
        return self.version(version.id)

    @staticmethod
    def _advance_case(session: Session, version: PlanVersion) -> None:
        """Move the household's open case along with its plan (in the same save): a plan
        being made is the PLAN phase, a signed one UITVOERING, an evaluated one EVALUATIE."""
        records = session.scalars(
            select(CaseRecord).where(CaseRecord.household_id == version.household_id)
            .order_by(CaseRecord.referral_date.desc())).all()
        record = next((r for r in records if r.status != CaseStatus.AFGESLOTEN.value), None)
        if record is None:
            return
        case = repo.case_from(record)
        status = case_status_after(version.status, case.status)
        if status is not case.status:
            repo.save_case(session, dataclasses.replace(case, status=status))

    def _record_plan_consents(self, session: Session, version: PlanVersion,
                              signed_on: date) -> None:
        """The consents for sharing in a signed plan become the household's consents (given
        in writing on the day of signing), unless the same one is already active."""
        members = set(session.scalars(select(PersonRecord.id).where(
            PersonRecord.household_id == version.household_id)))
        active = [repo.consent_from(r) for r in session.scalars(
            select(ConsentRecord).where(ConsentRecord.household_id == version.household_id))]
        active = [c for c in active if c.active_on(signed_on)]

        def same(a: Consent, person_id: str, recipient: str, purpose: str) -> bool:
            return (a.person_id == person_id
                    and a.recipient.strip().casefold() == recipient.strip().casefold()
                    and a.purpose.strip().casefold() == purpose.strip().casefold())

        for wish in version.content.consents:
            if wish.given_by_person_id not in members or not wish.recipient.strip():
                continue
            if any(same(a, wish.given_by_person_id, wish.recipient, wish.purpose)
                   for a in active):
                continue
            consent = Consent(new_id(), version.household_id, wish.given_by_person_id,
                              wish.recipient, wish.purpose, signed_on, self._ws.actor_id,
                              "schriftelijk")
            repo.save_consent(session, consent)
            active.append(consent)

    def _regisseur_of(self, household_id: str) -> str:
        cases = HouseholdService(self._ws).cases(household_id)
        return cases[0].case.regisseur_id if cases else self._ws.actor_id

    @staticmethod
    def _add_file(session: object, attachment_id: str, household_id: str, kind: str,
                  filename: str, mime: str, data: bytes) -> None:
        from sqlalchemy.orm import Session

        assert isinstance(session, Session)
        session.add(AttachmentRecord(
            id=attachment_id, version=0, household_id=household_id, kind=kind,
            filename=filename[:200], mime=mime, sha256=hashlib.sha256(data).hexdigest(),
            size=len(data), created_at=utcnow()))
        session.flush()  # the blob's foreign key needs the attachment row first
        session.add(AttachmentBlobRecord(id=attachment_id, data=data))


class _DocumentBuilder:
    """Resolves every id of a plan version to the names the resident reads."""

    def __init__(self, ws: Workspace, plans: PlanService, version: PlanVersion) -> None:
        self.ws = ws
        self.plans = plans
        self.version = version
        households = HouseholdService(ws)
        page = households.page(version.household_id)
        self.detail: HouseholdDetail = page.detail
        self.assessments = page.assessments
        self.worker_names = page.worker_names
        self.definitions = installed_definitions()
        self.persons = {p.id: p for p in self.detail.members}
        self.network = {n.id: n for n in self.detail.network}
        self.provisions = {p.id: p for p in sociale_kaart()}
        self.lists = code_lists()
        self.today = version.created_at.date() if version.status is PlanStatus.CONCEPT else (
            ws.today())

    def build(self) -> PlanDocument:
        v, content, h = self.version, self.version.content, self.detail.household
        mandate = self.plans.mandate(content.regisseur_id)
        reasons = toets_reasons(content, mandate)
        return PlanDocument(
            household_name=h.name,
            address_lines=(self._street(), f"{h.address.postcode}  {h.address.city}"),
            wijk=h.wijk,
            version_number=v.number,
            status=v.status,
            fingerprint=fingerprint(v),
            document_date=self.ws.today(),
            regisseur_name=self.worker_names.get(content.regisseur_id, ""),
            question=content.question,
            persons=tuple(self._person(p) for p in self.detail.members),
            participants=self._participants(),
            network=tuple(DocNetworkMember(n.name, n.relation, n.support)
                          for n in self.detail.network),
            professionals=tuple(DocProfessional(p.organisation, p.name, p.discipline, p.contact)
                                for p in self.detail.professionals),
            situation=tuple(DocDomainSituation(self._domain_name(d.domain_code), d.text)
                            for d in content.situation.domains),
            zrm=self._zrm(),
            ladder=self._ladder(),
            goals=tuple(self._goal(g, reasons.products_outside_mandate) for g in content.goals),
            toets_needed=reasons.needed,
            toets=DocToets(self.worker_names.get(v.toets.toetser_id, ""),
                           v.toets.decided_at.date(),
                           v.toets.decision is ToetsDecision.POSITIEF, v.toets.note)
            if v.toets else None,
            evaluation_dates=content.evaluation_dates,
            resident_agreement=content.resident_view.agreement,
            resident_words=content.resident_view.own_words,
            consents=tuple(DocConsent(c.recipient, c.purpose,
                                      self._name(c.given_by_person_id))
                           for c in content.consents),
            signers=self._signers(),
        )

    def _street(self) -> str:
        a = self.detail.household.address
        return " ".join(p for p in (a.street, f"{a.house_number}{a.house_number_suffix}") if p)

    def _name(self, person_id: str) -> str:
        person = self.persons.get(person_id)
        return person.full_name if person else ""

    def _person(self, p: Person) -> DocPerson:
        return DocPerson(p.full_name, p.household_role.value, p.age_on(self.today),
                         p.birth_date, p.bsn)

    def _participants(self) -> tuple[str, ...]:
        parts = self.version.content.participants
        names = [self._name(i) for i in parts.person_ids]
        names += [self.network[i].name for i in parts.network_member_ids if i in self.network]
        pros = {p.id: p for p in self.detail.professionals}
        names += [pros[i].organisation for i in parts.professional_ids if i in pros]
        if parts.others.strip():
            names.append(parts.others.strip())
        return tuple(n for n in names if n)

    def _domain_name(self, code: str) -> str:
        for defn in self.definitions.values():
            for item in defn.items:
                if item.code == code:
                    return item.name
        return code

    def _latest(self, kind: InstrumentKind) -> list[Assessment]:
        latest: dict[str, Assessment] = {}
        for a in self.assessments:  # oldest first
            defn = self.definitions.get(a.definition_key)
            if defn is None or defn.kind is not kind:
                continue
            latest[a.person_id or "huishouden"] = a
        return list(latest.values())

    def _zrm(self) -> tuple[DocZrm, ...]:
        out = []
        for a in self._latest(InstrumentKind.ZRM):
            defn = self.definitions[a.definition_key]
            subject = self._name(a.person_id) if a.person_id else self.detail.household.name
            scores = tuple(
                DocZrmScore(defn.item(s.item_code).name, s.score, s.target_score)
                for s in a.items)
            out.append(DocZrm(subject, defn.name, defn.version, a.assessed_on, scores,
                              tuple((lv.value, lv.name) for lv in defn.levels)))
        return tuple(out)

    def _ladder(self) -> tuple[DocLadder, ...]:
        out = []
        for a in self._latest(InstrumentKind.LADDER):
            defn = self.definitions[a.definition_key]
            if defn.id != PARTICIPATIELADDER_ID:
                continue
            score = a.score_for(LADDER_ITEM_CODE)
            if score is None or score.score is None:
                continue
            potential = score.target_score
            out.append(DocLadder(
                self._name(a.person_id or ""), score.score, defn.level(score.score).name,
                potential, defn.level(potential).name if potential else "",
                a.target_date, a.assessed_on))
        return tuple(out)

    def _goal(self, goal: object, outside: frozenset[str] | tuple[str, ...]) -> DocGoal:
        from wijkteam_app.domain.plans import Goal

        assert isinstance(goal, Goal)
        evaluation = next((e for e in self.version.evaluations if e.goal_id == goal.id), None)
        return DocGoal(
            domain_name=self._domain_name(goal.domain_code),
            description=goal.description,
            current_level=goal.current_level,
            target_level=goal.target_level,
            horizon=goal.horizon,
            zelf=goal.zelf,
            netwerk=tuple(DocNetworkTask(
                self.network[n.network_member_id].name
                if n.network_member_id in self.network else "", n.task)
                for n in goal.netwerk),
            voorzieningen=tuple(self._provision(p.provision_id, p.note)
                                for p in goal.voorzieningen),
            professioneel=tuple(DocProfessionalSupport(
                s.product_code, s.product_name, s.provider, s.volume,
                self._code_name("unit", s.unit_code), self._code_name("freq", s.frequency_code),
                s.start, s.end, s.cost_cents, s.product_code not in outside)
                for s in goal.professioneel),
            evaluation=DocEvaluation(evaluation.result, evaluation.note,
                                     evaluation.evaluated_on) if evaluation else None,
            for_whom=tuple(n for n in (self._name(i) for i in goal.for_person_ids) if n),
        )

    def _provision(self, provision_id: str, note: str) -> DocProvisionUse:
        p = self.provisions.get(provision_id)
        return DocProvisionUse(p.name if p else provision_id, p.provider if p else "", note)

    def _code_name(self, kind: str, code: str) -> str:
        try:
            found = self.lists.unit(code) if kind == "unit" else self.lists.frequency(code)
        except KeyError:
            return code
        return found.name

    def _signers(self) -> tuple[DocSigner, ...]:
        content = self.version.content
        in_plan = [self.persons[i] for i in content.participants.person_ids
                   if i in self.persons] or list(self.detail.members)
        out = []
        for required in required_signers(in_plan, self.ws.today(), content.regisseur_id):
            role = ", ".join(SIGNER_ROLE_NAMES[r] for r in required.reasons)
            if required.worker_id:
                out.append(DocSigner(self.worker_names.get(required.worker_id, ""), role, True))
            elif required.person_id:
                out.append(DocSigner(self._name(required.person_id), role))
            else:
                child = ", ".join(self._name(i) for i in required.for_person_ids)
                out.append(DocSigner(f"(gezag voor {child})", role))
        return tuple(out)

