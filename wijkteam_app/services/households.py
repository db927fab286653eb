"""Households, their members, network and professionals; the case; contacts and consent.

Each public method that changes something is one save: validated first (nothing is written
while a field is invalid), then one transaction with its outbox change-set and audit entry.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import func, select

from wijkteam_app.domain.cases import (
    Case,
    Consent,
    ContactMoment,
    total_minutes,
    validate_case,
    validate_consent,
    validate_contact,
)
from wijkteam_app.domain.instruments import Assessment, effective_assessments
from wijkteam_app.domain.people import (
    Household,
    HouseholdDetail,
    NetworkMember,
    Person,
    Professional,
    validate_household,
    validate_network_member,
    validate_person,
    validate_professional,
)
from wijkteam_app.domain.validation import (
    FieldError,
    ValidationFailed,
    bsn_error,
    canonical_bsn,
)
from wijkteam_app.persistence import repositories as repo
from wijkteam_app.persistence.casefile import SaveResult, utcnow
from wijkteam_app.persistence.repositories import CaseloadFilter, HouseholdSummary
from wijkteam_app.persistence.schema import (
    AssessmentRecord,
    CaseRecord,
    ConsentRecord,
    ContactMomentRecord,
    HouseholdRecord,
    NetworkMemberRecord,
    PersonRecord,
    ProfessionalRecord,
    WorkerRecord,
)
from wijkteam_app.services.authority import Action, Authority
from wijkteam_app.services.profile import Workspace

__all__ = ["BsnElsewhere", "CaseOverview", "CaseloadFilter", "CaseloadResult",
           "HouseholdPage", "HouseholdService", "HouseholdSummary"]

FIRST_ROWS = 64  # a screenful and more: the rest of a result is read as the list scrolls


@dataclass(frozen=True, slots=True)
class CaseloadResult:
    """A caseload search: every matching household in list order (up to the filter's
    limit), and the rows of the first few; `HouseholdService.summaries` reads the others."""

    ids: tuple[str, ...]
    rows: tuple[HouseholdSummary, ...]


@dataclass(frozen=True, slots=True)
class CaseOverview:
    case: Case
    contacts: tuple[ContactMoment, ...]
    total_minutes: int


@dataclass(frozen=True, slots=True)
class HouseholdPage:
    """Everything the household page shows (a few short reads; see HouseholdService.page)."""

    detail: HouseholdDetail
    cases: tuple[CaseOverview, ...]
    consents: tuple[Consent, ...]
    assessments: tuple[Assessment, ...]  # the ones that count (not corrected or withdrawn)
    worker_names: dict[str, str]


@dataclass(frozen=True, slots=True)
class BsnElsewhere:
    """Another household on this laptop where the same BSN is registered."""

    household_id: str
    household_name: str
    person_name: str


def _raise_if(errors: list[FieldError]) -> None:
    if errors:
        raise ValidationFailed(errors)


class HouseholdService:
    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace
        self._db = workspace.casefile
        self.authority = Authority(workspace)

    # --- who may ---------------------------------------------------------------------------

    def may_edit(self, household_id: str) -> bool:
        """May this worker change the household, its members, network, professionals, case,
        contacts, consents and assessments (`Action.EDIT_CASE_DATA`)?"""
        return self.authority.may(household_id, Action.EDIT_CASE_DATA)

    def may_register(self) -> bool:
        """May this worker register a new household?"""
        return self.authority.may_register()

    # --- reading ---------------------------------------------------------------------------

    def list(self, search: str = "", limit: int = 500) -> list[HouseholdSummary]:
        with self._db.read() as session:
            return repo.search_households(session, search, limit)

    def caseload(self, flt: CaseloadFilter) -> builtins.list[HouseholdSummary]:
        with self._db.read() as session:
            return repo.caseload(session, flt)

    def caseload_result(self, flt: CaseloadFilter, first: int = FIRST_ROWS) -> CaseloadResult:
        """What the caseload list shows first: all matching ids and the first rows, in one
        short read (index lookups only, see `persistence/caseload_index.py`)."""
        with self._db.read() as session:
            ids = repo.caseload_ids(session, flt)
            return CaseloadResult(tuple(ids), tuple(repo.summaries(session, ids[:first])))

    def summaries(self, ids: Sequence[str]) -> builtins.list[HouseholdSummary]:
        """The list rows of these households, in this order (missing ones left out)."""
        with self._db.read() as session:
            return repo.summaries(session, ids)

    def wijken(self) -> builtins.list[str]:
        with self._db.read() as session:
            return repo.wijken(session)

    def stadsdeel_of_wijk(self) -> dict[str, str]:
        """Wijk -> the stadsdeel households in that wijk have (the most common one)."""
        with self._db.read() as session:
            rows = session.execute(
                select(HouseholdRecord.wijk, HouseholdRecord.stadsdeel, func.count())
                .where(HouseholdRecord.stadsdeel != "")
                .group_by(HouseholdRecord.wijk, HouseholdRecord.stadsdeel)
                .order_by(func.count())).all()
        return {wijk: stadsdeel for wijk, stadsdeel, _count in rows}

    def worker_names(self) -> dict[str, str]:
        with self._db.read() as session:
            return {w.id: w.display_name for w in session.scalars(select(WorkerRecord))}

    def page(self, household_id: str, with_assessments: bool = True) -> HouseholdPage:
        """A household with its cases and contacts, consents and (unless not wanted: the
        household page shows them in its own panel) assessments, in a few short reads."""
        return HouseholdPage(
            self.get(household_id),
            tuple(self.cases(household_id)),
            tuple(self.consents(household_id)),
            self.assessments(household_id) if with_assessments else (),
            self.worker_names(),
        )

    def assessments(self, household_id: str) -> tuple[Assessment, ...]:
        """All assessments of the household and its members, oldest first."""
        with self._db.read() as session:
            return tuple(effective_assessments(
                repo.assessment_from(r)
                for r in session.scalars(
                    select(AssessmentRecord)
                    .where(AssessmentRecord.household_id == household_id)
                    .order_by(AssessmentRecord.assessed_on)
                )
            ))

    def get(self, household_id: str) -> HouseholdDetail:
        with self._db.read() as session:
            household = repo.household_from(repo.require(session, HouseholdRecord, household_id))
            members = session.scalars(
                select(PersonRecord).where(PersonRecord.household_id == household_id)
                .order_by(PersonRecord.birth_date.is_(None), PersonRecord.birth_date)
            )
            network = session.scalars(
                select(NetworkMemberRecord)
                .where(NetworkMemberRecord.household_id == household_id)
                .order_by(NetworkMemberRecord.name)
            )
            pros = session.scalars(
                select(ProfessionalRecord)
                .where(ProfessionalRecord.household_id == household_id)
                .order_by(ProfessionalRecord.organisation)
            )
            return HouseholdDetail(
                household,
                tuple(repo.person_from(p) for p in members),
                tuple(repo.network_member_from(n) for n in network),
                tuple(repo.professional_from(p) for p in pros),
            )

    def cases(self, household_id: str) -> builtins.list[CaseOverview]:
        with self._db.read() as session:
            cases = session.scalars(
                select(CaseRecord).where(CaseRecord.household_id == household_id)
                .order_by(CaseRecord.referral_date.desc())
            ).all()
            out = []
            for record in cases:
                contacts = tuple(
                    repo.contact_from(c)
                    for c in session.scalars(
                        select(ContactMomentRecord)
                        .where(ContactMomentRecord.case_id == record.id)
                        .order_by(ContactMomentRecord.on.desc())
                    )
                )
                out.append(CaseOverview(repo.case_from(record), contacts, total_minutes(contacts)))
            return out

    def bsn_elsewhere(self, bsn: str, household_id: str) -> builtins.list[BsnElsewhere]:
        """Other households on this laptop with a member who has this BSN (the ones this
        worker can see; the server checks all of them at sync). Nothing for a BSN that is
        incomplete or fails the elfproef."""
        bsn = canonical_bsn(bsn) if bsn_error(bsn) is None else ""
        if not bsn:
            return []
        with self._db.read() as session:
            rows = session.execute(
                select(PersonRecord, HouseholdRecord.name)
                .join(HouseholdRecord, HouseholdRecord.id == PersonRecord.household_id)
                .where(PersonRecord.bsn == bsn, PersonRecord.household_id != household_id)
                .order_by(HouseholdRecord.name)).all()
            return [BsnElsewhere(person.household_id, name, repo.person_from(person).full_name)
                    for person, name in rows]

    def consents(self, household_id: str) -> builtins.list[Consent]:
        with self._db.read() as session:
            rows = session.scalars(
                select(ConsentRecord).where(ConsentRecord.household_id == household_id)
                .order_by(ConsentRecord.given_on)
            )
            return [repo.consent_from(r) for r in rows]

    # --- saving ----------------------------------------------------------------------------

    def create(self, household: Household, members: Sequence[Person] = ()) -> SaveResult:
        """Register a new household with its members in one save."""
        self.authority.require_register()
        today = self._ws.today()
        errors = validate_household(household)
        ids = {m.id for m in members}
        for index, member in enumerate(members):
            errors += [e.prefixed(f"members.{index}") for e in validate_person(member, today, ids)]
        _raise_if(errors)
        with self._db.save(self._ws.actor_id, "huishouden.registreren", "huishouden",
                           household.id) as ctx:
            repo.save_household(ctx.session, household, utcnow())
            ctx.session.flush()
            for member in members:
                repo.save_person(ctx.session, replace(member, household_id=household.id))
        assert ctx.result is not None
        return ctx.result

    def update(self, household: Household) -> SaveResult:
        self._require_edit(household.id)
        _raise_if(validate_household(household))
        with self._db.save(self._ws.actor_id, "huishouden.wijzigen", "huishouden",
                           household.id) as ctx:
            repo.save_household(ctx.session, household, utcnow())
        assert ctx.result is not None
        return ctx.result

    def save_person(self, person: Person) -> SaveResult:
        self._require_edit(person.household_id)
        with self._db.read() as session:
            ids = set(session.scalars(
                select(PersonRecord.id).where(PersonRecord.household_id == person.household_id)
            )) | {person.id}
        _raise_if(validate_person(person, self._ws.today(), ids))
        with self._db.save(self._ws.actor_id, "persoon.opslaan", "persoon", person.id) as ctx:
            repo.save_person(ctx.session, person)
        assert ctx.result is not None
        return ctx.result

    def save_network_member(self, member: NetworkMember) -> SaveResult:
        self._require_edit(member.household_id)
        _raise_if(validate_network_member(member))
        with self._db.save(self._ws.actor_id, "netwerk.opslaan", "netwerklid", member.id) as ctx:
            repo.save_network_member(ctx.session, member)
        assert ctx.result is not None
        return ctx.result

    def save_professional(self, pro: Professional) -> SaveResult:
        self._require_edit(pro.household_id)
        _raise_if(validate_professional(pro, self._ws.today()))
        with self._db.save(self._ws.actor_id, "professional.opslaan", "professional",
                           pro.id) as ctx:
            repo.save_professional(ctx.session, pro)
        assert ctx.result is not None
        return ctx.result

    def remove_network_member(self, member: NetworkMember) -> SaveResult:
        self._require_edit(member.household_id)
        with self._db.save(self._ws.actor_id, "netwerk.verwijderen", "netwerklid",
                           member.id) as ctx:
            repo.delete_record(ctx.session, NetworkMemberRecord, member.id, member.version)
        assert ctx.result is not None
        return ctx.result

    def remove_professional(self, pro: Professional) -> SaveResult:
        self._require_edit(pro.household_id)
        with self._db.save(self._ws.actor_id, "professional.verwijderen", "professional",
                           pro.id) as ctx:
            repo.delete_record(ctx.session, ProfessionalRecord, pro.id, pro.version)
        assert ctx.result is not None
        return ctx.result

    def save_case(self, case: Case) -> SaveResult:
        """A case of the household; handing it to another regisseur is a step of its own
        (`Action.CHANGE_REGISSEUR`: the regisseur, the teamcoach)."""
        self._require_edit(case.household_id)
        with self._db.read() as session:
            stored = session.get(CaseRecord, case.id)
            handed_over = stored is not None and stored.regisseur_id != case.regisseur_id
        if handed_over:
            self.authority.require(case.household_id, Action.CHANGE_REGISSEUR)
        _raise_if(validate_case(case, self._ws.today()))
        with self._db.save(self._ws.actor_id, "casus.opslaan", "casus", case.id) as ctx:
            repo.save_case(ctx.session, case)
        assert ctx.result is not None
        return ctx.result

    def save_contact(self, contact: ContactMoment) -> SaveResult:
        with self._db.read() as session:
            household_id = repo.require(session, CaseRecord, contact.case_id).household_id
        self._require_edit(household_id)
        _raise_if(validate_contact(contact, self._ws.today()))
        with self._db.save(self._ws.actor_id, "contact.opslaan", "contact", contact.id) as ctx:
            case = repo.require(ctx.session, CaseRecord, contact.case_id)
            repo.save_contact(ctx.session, contact, case.household_id)
        assert ctx.result is not None
        return ctx.result

    def save_consent(self, consent: Consent) -> SaveResult:
        self._require_edit(consent.household_id)
        _raise_if(validate_consent(consent, self._ws.today()))
        with self._db.save(self._ws.actor_id, "toestemming.opslaan", "toestemming",
                           consent.id) as ctx:
            repo.save_consent(ctx.session, consent)
        assert ctx.result is not None
        return ctx.result

    def _require_edit(self, household_id: str) -> None:
        """Raise `NotAllowed` unless this worker may change the household's case data."""
        self.authority.require(household_id, Action.EDIT_CASE_DATA)
