"""Case conferences as use cases: record or change one, take its agreements into the plan,
and build its short report.

Taking agreements into the plan changes the current CONCEPT version of the household's plan
and marks the agreements on the conference in ONE save, so the two never disagree.
"""

from __future__ import annotations

import builtins
import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from wijkteam_app.domain.conferences import (
    CaseConference,
    ConferenceReferences,
    Party,
    PartyKind,
    agreements_into_goal,
    mark_in_plan,
    validate_conference,
)
from wijkteam_app.domain.plans import PlanStatus, PlanVersion, edit
from wijkteam_app.domain.rules import NotAllowed, RuleViolation
from wijkteam_app.domain.validation import ValidationFailed
from wijkteam_app.domain.workers import Role
from wijkteam_app.errors import NotFound
from wijkteam_app.persistence import casework_repository as casework
from wijkteam_app.persistence import plan_repository as plans_repo
from wijkteam_app.persistence.schema import CaseConferenceRecord, WorkerRecord
from wijkteam_app.reports.casework_documents import ConferenceDocument, DocAgreement, DocParty
from wijkteam_app.reports.document import ReportSettings
from wijkteam_app.services.authority import Action, Authority
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import Workspace

WRITER_ROLES = frozenset({Role.WIJKWERKER, Role.GEZINSBEGELEIDER, Role.TEAMCOACH})


@dataclass(frozen=True, slots=True)
class PartyChoice:
    """Someone who can be picked as participant, agreement holder or casemanager."""

    party: Party
    role: str  # e.g. "inwoner", "netwerk: buurvrouw", "huisarts (Praktijk X)", "wijkteam"


def default_due_text(day: date) -> str:
    return f"uiterlijk {day:%d-%m-%Y}"


class ConferenceService:
    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace
        self._db = workspace.casefile

    # --- reading ---------------------------------------------------------------------------

    def conferences(self, household_id: str) -> list[CaseConference]:
        """Newest first."""
        with self._db.read() as session:
            return casework.conferences_of(session, household_id)

    def conference(self, conference_id: str) -> CaseConference:
        with self._db.read() as session:
            record = session.get(CaseConferenceRecord, conference_id)
            if record is None:
                raise NotFound("case_conference")
            return casework.conference_from(record)

    def choices(self, household_id: str) -> builtins.list[PartyChoice]:
        """Everybody who can be named, in the eigen-kracht order: the household, its
        network, the professionals involved, then the team's workers."""
        detail = HouseholdService(self._ws).get(household_id)
        out = [PartyChoice(Party(PartyKind.INWONER, p.full_name, p.id), "inwoner")
               for p in detail.members]
        out += [PartyChoice(Party(PartyKind.NETWERK, n.name, n.id), f"netwerk: {n.relation}")
                for n in detail.network]
        for pro in detail.professionals:
            name = pro.name or pro.organisation
            role = ", ".join(x for x in (pro.discipline, pro.organisation if pro.name else "")
                             if x)
            out.append(PartyChoice(Party(PartyKind.PROFESSIONAL, name, pro.id), role))
        with self._db.read() as session:
            workers = session.scalars(select(WorkerRecord).order_by(WorkerRecord.display_name))
            out += [PartyChoice(Party(PartyKind.MEDEWERKER, w.display_name, w.id), "wijkteam")
                    for w in workers if w.role not in ("beheerder", "toetser")]
        return out

    def references(self, household_id: str) -> ConferenceReferences:
        detail = HouseholdService(self._ws).get(household_id)
        with self._db.read() as session:
            workers = set(session.scalars(select(WorkerRecord.id)))
        return ConferenceReferences(
            person_ids={p.id for p in detail.members},
            network_member_ids={n.id for n in detail.network},
            professional_ids={p.id for p in detail.professionals},
            worker_ids=workers)

    # --- saving ----------------------------------------------------------------------------

    def save(self, conference: CaseConference) -> CaseConference:
        """Record a new conference or store changes to one (refused when someone else
        changed it meanwhile: `StaleVersion`)."""
        if self._ws.worker.role not in WRITER_ROLES:
            raise NotAllowed("conference_role", "only a worker of the team records this")
        Authority(self._ws).require(conference.household_id, Action.CASE_CONFERENCE)
        errors = validate_conference(conference, self._ws.today(),
                                     self.references(conference.household_id))
        if errors:
            raise ValidationFailed(errors)
        action = "overleg.vastleggen" if conference.version == 0 else "overleg.wijzigen"
        with self._db.save(self._ws.actor_id, action, "overleg", conference.id) as ctx:
            casework.save_conference(ctx.session, conference)
        return self.conference(conference.id)

    def take_into_plan(self, conference: CaseConference, agreement_ids: Sequence[str],
                       goal_id: str, due_text: Callable[[date], str] = default_due_text
                       ) -> tuple[PlanVersion, CaseConference]:
        """Add these agreements to a goal of the household's concept plan (eigen-kracht
        order, see `domain.conferences.agreements_into_goal`) and mark them on the
        conference, in one save. Refused when the current version is not a concept."""
        authority = Authority(self._ws)
        authority.require(conference.household_id, Action.CASE_CONFERENCE)
        authority.require(conference.household_id, Action.PLAN_WRITE)
        with self._db.read() as session:
            versions = plans_repo.versions_of(session, conference.household_id)
        if not versions:
            raise RuleViolation("no_plan", "the household has no plan yet")
        version = versions[-1]
        if version.status is not PlanStatus.CONCEPT:
            raise RuleViolation("plan_not_concept", "only a concept plan takes agreements; "
                                "make a new version first")
        wanted = [a for a in conference.agreements if a.id in set(agreement_ids)
                  and a.plan_goal_id is None]
        if not wanted:
            raise RuleViolation("nothing_to_take", "no agreement chosen that is not yet in "
                                "the plan")
        goals = list(version.content.goals)
        index = next((i for i, g in enumerate(goals) if g.id == goal_id), None)
        if index is None:
            raise NotFound("goal")
        network = {n.id for n in HouseholdService(self._ws).get(
            conference.household_id).network}
        goals[index] = agreements_into_goal(goals[index], wanted, network, due_text)
        updated = edit(version, dataclasses.replace(version.content, goals=tuple(goals)))
        marked = mark_in_plan(conference, [a.id for a in wanted], goal_id)
        with self._db.save(self._ws.actor_id, "overleg.naar_plan", "overleg",
                           conference.id) as ctx:
            plans_repo.save_version(ctx.session, updated)
            casework.save_conference(ctx.session, marked)
        with self._db.read() as session:
            stored_version = plans_repo.load_version(session, version.id)
        return stored_version, self.conference(conference.id)

    # --- the report ------------------------------------------------------------------------

    def document(self, conference: CaseConference) -> ConferenceDocument:
        page = HouseholdService(self._ws).page(conference.household_id)
        detail = page.detail
        roles = {(c.party.kind, c.party.ref_id): c.role
                 for c in self.choices(conference.household_id)}
        case = next((c.case for c in page.cases if c.case.id == conference.case_id),
                    page.cases[0].case if page.cases else None)
        regisseur = case.regisseur_id if case else ""

        def role(party: Party) -> str:
            text = roles.get((party.kind, party.ref_id), "")
            if party.kind is PartyKind.MEDEWERKER and party.ref_id == regisseur:
                text = "wijkteam (regisseur)"
            return text

        def described(party: Party) -> str:
            extra = role(party)
            if party.kind in (PartyKind.PROFESSIONAL, PartyKind.ANDERS) and extra:
                return f"{party.name} ({extra})"
            return party.name

        h = detail.household
        a = h.address
        street = " ".join(p for p in (a.street, f"{a.house_number}{a.house_number_suffix}") if p)
        return ConferenceDocument(
            household_name=h.name, address_lines=(street, f"{a.postcode}  {a.city}"),
            wijk=h.wijk, kind=conference.kind, held_on=conference.held_on,
            document_date=self._ws.today(),
            recorded_by=page.worker_names.get(conference.recorded_by, ""),
            regisseur_name=page.worker_names.get(regisseur, ""),
            participants=tuple(DocParty(p.name, role(p)) for p in conference.participants),
            reason=conference.reason, discussion=conference.discussion,
            agreements=tuple(DocAgreement(x.what, x.who.name, x.due, x.done,
                                          x.plan_goal_id is not None)
                             for x in conference.agreements),
            casemanager=described(conference.casemanager) if conference.casemanager else "")

    def render_pdf(self, conference: CaseConference, settings: ReportSettings) -> bytes:
        from wijkteam_app.reports.casework_pdf import render_conference_pdf

        self._db.audit(self._ws.actor_id, "overleg.pdf", "overleg", conference.id)
        return render_conference_pdf(self.document(conference), settings)
