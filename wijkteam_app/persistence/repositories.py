"""Mapping between ORM records and domain dataclasses, and the queries the services need.

Services never see ORM objects: everything leaving this module is a frozen domain object or a
small read-model dataclass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Select, column, false, func, literal_column, or_, select, table, union
from sqlalchemy.orm import Session

from wijkteam_app.domain.cases import (
    Case,
    CaseStatus,
    Complexity,
    Consent,
    ContactKind,
    ContactMoment,
    ProblemArea,
    Quickscan,
    ReferralSource,
    UrgencyCriterion,
)
from wijkteam_app.domain.instruments import Assessment, ItemScore
from wijkteam_app.domain.people import (
    Address,
    Household,
    HouseholdRole,
    NetworkMember,
    Person,
    Professional,
)
from wijkteam_app.domain.search import fold
from wijkteam_app.domain.validation import canonical_bsn, canonical_postcode, normalize_bsn
from wijkteam_app.domain.workers import Role, Team, Worker
from wijkteam_app.errors import NotFound, StaleVersion
from wijkteam_app.persistence.schema import (
    AssessmentRecord,
    CaseloadIndexRecord,
    CaseRecord,
    ConsentRecord,
    ContactMomentRecord,
    Entity,
    HouseholdRecord,
    HouseholdUrgencyRecord,
    HouseholdWorkerRecord,
    NetworkMemberRecord,
    OutboxRecord,
    PersonRecord,
    ProfessionalRecord,
    SearchNameRecord,
    TeamRecord,
    WorkerRecord,
)

R = TypeVar("R", bound=Entity)


def get_or_new(session: Session, cls: type[R], record_id: str, version: int) -> R:
    """The stored record to update (checking the version the form was opened on), or a new one.

    `version` 0 means "new"; otherwise it must equal the stored version, so a form opened
    before someone else's save cannot silently overwrite it.
    """
    record = session.get(cls, record_id)
    if record is None:
        if version != 0:
            raise NotFound(f"{cls.__entity__}")
        record = cls(id=record_id, version=0)
        session.add(record)
    elif record.version != version:
        raise StaleVersion(f"{cls.__entity__}")
    return record


def assign(record: Any, **values: Any) -> None:
    """Set only what differs, so the change tracker sees exactly the edited fields."""
    for name, value in values.items():
        if getattr(record, name) != value:
            setattr(record, name, value)


# --- teams and workers -------------------------------------------------------------------

def team_from(r: TeamRecord) -> Team:
    return Team(r.id, r.name, tuple(r.wijken), bool(r.prefers_zrm_2013), r.version)


def worker_from(r: WorkerRecord) -> Worker:
    return Worker(r.id, r.username, r.display_name, Role(r.role), r.team_id, r.version)


def save_team(session: Session, team: Team) -> None:
    record = get_or_new(session, TeamRecord, team.id, team.version)
    assign(record, name=team.name, wijken=list(team.wijken),
           prefers_zrm_2013=team.prefers_zrm_2013)


def save_worker(session: Session, worker: Worker) -> None:
    record = get_or_new(session, WorkerRecord, worker.id, worker.version)
    assign(record, username=worker.username, display_name=worker.display_name,
           role=worker.role.value, team_id=worker.team_id)


# --- households ----------------------------------------------------------------------------

def household_from(r: HouseholdRecord) -> Household:
    return Household(
        r.id,
        r.name,
        Address(r.street, r.house_number, r.house_number_suffix, r.postcode, r.city),
        r.wijk,
        stadsdeel=r.stadsdeel or "",
        version=r.version,
    )


def save_household(session: Session, household: Household, now: Any) -> None:
    record = get_or_new(session, HouseholdRecord, household.id, household.version)
    if record.version == 0 and record.created_at is None:
        record.created_at = now
    a = household.address
    assign(record, name=household.name.strip(), street=a.street.strip(),
           house_number=a.house_number, house_number_suffix=a.house_number_suffix.strip(),
           postcode=canonical_postcode(a.postcode), city=a.city.strip(),
           wijk=household.wijk.strip(), stadsdeel=household.stadsdeel.strip())


def person_from(r: PersonRecord) -> Person:
    return Person(
        id=r.id,
        household_id=r.household_id,
        first_name=r.first_name,
        last_name=r.last_name,
        household_role=HouseholdRole(r.household_role),
        name_prefix=r.name_prefix,
        birth_date=r.birth_date,
        bsn=r.bsn,
        gezag_holder_ids=tuple(r.gezag_holder_ids),
        gezag_note=r.gezag_note,
        version=r.version,
    )


def save_person(session: Session, person: Person) -> None:
    record = get_or_new(session, PersonRecord, person.id, person.version)
    assign(
        record,
        household_id=person.household_id,
        first_name=person.first_name.strip(),
        name_prefix=person.name_prefix.strip(),
        last_name=person.last_name.strip(),
        search_name=fold(person.full_name),
        birth_date=person.birth_date,
        bsn=canonical_bsn(person.bsn),
        household_role=person.household_role.value,
        gezag_holder_ids=list(person.gezag_holder_ids),
        gezag_note=person.gezag_note.strip(),
    )


def network_member_from(r: NetworkMemberRecord) -> NetworkMember:
    return NetworkMember(r.id, r.household_id, r.name, r.relation, r.support, r.phone,
                         r.person_id, r.version)


def save_network_member(session: Session, m: NetworkMember) -> None:
    record = get_or_new(session, NetworkMemberRecord, m.id, m.version)
    assign(record, household_id=m.household_id, person_id=m.person_id, name=m.name.strip(),
           relation=m.relation.strip(), support=m.support.strip(), phone=m.phone.strip())


def professional_from(r: ProfessionalRecord) -> Professional:
    return Professional(r.id, r.household_id, r.organisation, r.name, r.discipline, r.contact,
                        r.since, r.version)


def save_professional(session: Session, p: Professional) -> None:
    record = get_or_new(session, ProfessionalRecord, p.id, p.version)
    assign(record, household_id=p.household_id, organisation=p.organisation.strip(),
           name=p.name.strip(), discipline=p.discipline.strip(), contact=p.contact.strip(),
           since=p.since)


def delete_record(session: Session, cls: type[Entity], record_id: str, version: int) -> str:
    """Delete one record (the outbox gets a delete with its last values); returns household."""
    record = session.get(cls, record_id)
    if record is None:
        raise NotFound(cls.__entity__)
    if record.version != version:
        raise StaleVersion(cls.__entity__)
    household = record.household_scope() or ""
    session.delete(record)
    return household


# --- cases, contacts, consent --------------------------------------------------------------

def case_from(r: CaseRecord) -> Case:
    return Case(
        id=r.id,
        household_id=r.household_id,
        team_id=r.team_id,
        regisseur_id=r.regisseur_id,
        status=CaseStatus(r.status),
        referral_source=ReferralSource(r.referral_source),
        referral_date=r.referral_date,
        referral_note=r.referral_note,
        quickscan=Quickscan(r.quickscan_self, r.quickscan_arrange, r.quickscan_help),
        case_team_ids=tuple(r.case_team_ids),
        complexity=Complexity(r.complexity) if r.complexity else None,
        urgency=tuple(UrgencyCriterion(u) for u in r.urgency),
        client_profile=r.client_profile,
        problem_areas=tuple(ProblemArea(p) for p in r.problem_areas),
        next_evaluation=r.next_evaluation,
        closed_on=r.closed_on,
        version=r.version,
    )


def save_case(session: Session, c: Case) -> None:
    record = get_or_new(session, CaseRecord, c.id, c.version)
    assign(
        record,
        household_id=c.household_id,
        team_id=c.team_id,
        regisseur_id=c.regisseur_id,
        case_team_ids=list(c.case_team_ids),
        status=c.status.value,
        referral_source=c.referral_source.value,
        referral_date=c.referral_date,
        referral_note=c.referral_note.strip(),
        quickscan_self=c.quickscan.self_.strip(),
        quickscan_arrange=c.quickscan.arrange.strip(),
        quickscan_help=c.quickscan.help.strip(),
        complexity=c.complexity.value if c.complexity else None,
        urgency=[u.value for u in c.urgency],
        client_profile=c.client_profile,
        problem_areas=[p.value for p in c.problem_areas],
        next_evaluation=c.next_evaluation,
        closed_on=c.closed_on,
    )


def contact_from(r: ContactMomentRecord) -> ContactMoment:
    return ContactMoment(r.id, r.case_id, r.on, r.duration_minutes, ContactKind(r.kind),
                         r.worker_id, r.with_whom, r.notes, r.version)


def save_contact(session: Session, c: ContactMoment, household_id: str) -> None:
    record = get_or_new(session, ContactMomentRecord, c.id, c.version)
    assign(record, case_id=c.case_id, household_id=household_id, on=c.on,
           duration_minutes=c.duration_minutes, kind=c.kind.value, worker_id=c.worker_id,
           with_whom=c.with_whom.strip(), notes=c.notes)


def consent_from(r: ConsentRecord) -> Consent:
    return Consent(r.id, r.household_id, r.person_id, r.recipient, r.purpose, r.given_on,
                   r.recorded_by, r.form, r.withdrawn_on, r.version)


def save_consent(session: Session, c: Consent) -> None:
    record = get_or_new(session, ConsentRecord, c.id, c.version)
    assign(record, household_id=c.household_id, person_id=c.person_id,
           recipient=c.recipient.strip(), purpose=c.purpose.strip(), given_on=c.given_on,
           withdrawn_on=c.withdrawn_on, form=c.form, recorded_by=c.recorded_by)


# --- assessments ---------------------------------------------------------------------------

def assessment_from(r: AssessmentRecord) -> Assessment:
    return Assessment(
        id=r.id,
        definition_id=r.definition_id,
        definition_version=r.definition_version,
        assessed_on=r.assessed_on,
        assessor_id=r.assessor_id,
        items=tuple(ItemScore(i["code"], i["score"], i.get("target")) for i in r.items),
        person_id=r.person_id,
        household_id=r.household_id if r.subject == "household" else None,
        zwaartefactoren=tuple(r.zwaartefactoren),
        target_date=r.target_date,
        notes=r.notes,
        corrects_id=r.corrects_id,
        withdrawn=bool(r.withdrawn),
        correction_reason=r.correction_reason or "",
        version=r.version,
    )


def save_assessment(session: Session, a: Assessment, household_id: str) -> None:
    record = get_or_new(session, AssessmentRecord, a.id, a.version)
    assign(
        record,
        household_id=household_id,
        person_id=a.person_id,
        subject="person" if a.person_id else "household",
        definition_id=a.definition_id,
        definition_version=a.definition_version,
        assessed_on=a.assessed_on,
        assessor_id=a.assessor_id,
        items=[{"code": i.item_code, "score": i.score, "target": i.target_score}
               for i in a.items],
        zwaartefactoren=list(a.zwaartefactoren),
        target_date=a.target_date,
        notes=a.notes,
        corrects_id=a.corrects_id,
        withdrawn=a.withdrawn,
        correction_reason=a.correction_reason,
    )


# --- read models ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class HouseholdSummary:
    """One row of the household list / caseload, with its most recent case."""

    id: str
    name: str
    street: str
    house_number: int
    house_number_suffix: str
    postcode: str
    city: str
    wijk: str
    members: int
    case_status: str | None
    unsynced: int
    case_id: str | None = None
    urgency: tuple[str, ...] = ()
    next_evaluation: date | None = None
    regisseur_id: str | None = None
    complexity: str | None = None


@dataclass(frozen=True, slots=True)
class CaseloadFilter:
    """What the caseload list shows. `worker_id` set = only households where that worker is
    regisseur or on the case team (or that have no case yet)."""

    text: str = ""
    worker_id: str | None = None
    status: str | None = None
    wijk: str | None = None
    urgency: str | None = None
    limit: int = 500


_SEARCH_FTS = table("search_names_fts", column("rowid"))
_TRIGRAM = 3  # the full-text index finds substrings of at least this many characters


def search_households(session: Session, text: str = "", limit: int = 500) -> list[HouseholdSummary]:
    """Households matching free text: name, postcode (+ huisnummer), BSN or birth date."""
    return caseload(session, CaseloadFilter(text=text, limit=limit))


def caseload(session: Session, flt: CaseloadFilter) -> list[HouseholdSummary]:
    """Two steps, so the cost follows the page, not the file: (1) the ids of the matching
    households, in list order, limited; (2) the details of just those."""
    ids = caseload_ids(session, flt)
    if not ids:
        return []
    return summaries(session, ids)


def caseload_ids(session: Session, flt: CaseloadFilter) -> list[str]:
    """The ids of the matching households in list order (name, then postcode), limited.

    Every condition is an index lookup on the caseload index that SQL triggers keep
    (migration 0013, `persistence/caseload_index.py`): free text through the trigram
    full-text index of names, the postcode index and the BSN and birth-date indexes; the
    status, urgency and "mine" filters through the derived current-case tables.
    """
    h, ci = HouseholdRecord, CaseloadIndexRecord
    if flt.status:
        # Read the (status, name, postcode) index in list order.
        key: Any = ci.household_id
        query = select(key).where(ci.current_status == flt.status).order_by(
            ci.name.collate("NOCASE"), ci.postcode)
        if flt.wijk:
            query = query.where(select(h.id).where(h.id == key, h.wijk == flt.wijk).exists())
    else:
        key = h.id
        query = select(key).order_by(h.name.collate("NOCASE"), h.postcode)
        if flt.wijk:
            query = query.where(h.wijk == flt.wijk)
    term = flt.text.strip()
    if term:
        query = query.where(key.in_(union(*_search_candidates(term))))
    if flt.worker_id:
        # Mine: I am regisseur or on the case team of one of its cases, or it has no case
        # yet (a household with a case always has its regisseur among its workers).
        workers = HouseholdWorkerRecord
        mine = select(workers.household_id).where(
            workers.worker_id == flt.worker_id, workers.household_id == key).exists()
        no_case = ~select(workers.household_id).where(workers.household_id == key).exists()
        query = query.where(or_(mine, no_case))
    if flt.urgency:
        query = query.where(key.in_(select(HouseholdUrgencyRecord.household_id).where(
            HouseholdUrgencyRecord.code == flt.urgency)))
    return list(session.scalars(query.limit(flt.limit)))


def summaries(session: Session, ids: Sequence[str]) -> list[HouseholdSummary]:
    """The rows of the list for these households, in the given order."""
    if not ids:
        return []
    h = HouseholdRecord
    case = CaseRecord.__table__.alias("current_case")
    members = (select(func.count()).select_from(PersonRecord)
               .where(PersonRecord.household_id == h.id).scalar_subquery())
    unsynced = (select(func.count()).select_from(OutboxRecord)
                .where(OutboxRecord.household_id == h.id, OutboxRecord.accepted_at.is_(None))
                .scalar_subquery())
    query = (
        select(
            h.id, h.name, h.street, h.house_number, h.house_number_suffix, h.postcode, h.city,
            h.wijk, members, case.c.status, unsynced, case.c.id, case.c.urgency,
            case.c.next_evaluation, case.c.regisseur_id, case.c.complexity,
        )
        .outerjoin(CaseloadIndexRecord, CaseloadIndexRecord.household_id == h.id)
        .outerjoin(case, case.c.id == CaseloadIndexRecord.current_case_id)
        .where(h.id.in_(list(ids)))
    )
    by_id = {}
    for row in session.execute(query):
        values = list(row)
        values[12] = tuple(values[12] or ())
        by_id[values[0]] = HouseholdSummary(*values)
    return [by_id[i] for i in ids if i in by_id]


def wijken(session: Session) -> list[str]:
    return list(session.scalars(
        select(HouseholdRecord.wijk).distinct().order_by(HouseholdRecord.wijk)))


def _search_candidates(term: str) -> list[Select[str]]:
    """Queries for the ids of households that `term` may mean, each on an index; the
    caseload shows their union (as before: a term can be a name and a postcode at once)."""
    out: list[Select[str]] = []
    folded = fold(term)
    if len(folded) >= _TRIGRAM:
        phrase = '"' + folded.replace('"', '""') + '"'
        out.append(select(SearchNameRecord.household_id).where(SearchNameRecord.id.in_(
            select(_SEARCH_FTS.c.rowid).where(literal_column("search_names_fts").op("MATCH")(
                phrase)))))
    elif folded:
        # Too short for trigrams: a scan of the (small) names table.
        like = f"%{folded.replace('%', '').replace('_', '')}%"
        out.append(select(SearchNameRecord.household_id).where(
            func.lower(SearchNameRecord.name).like(like)))
    compact = term.replace(" ", "").upper()
    if len(compact) >= 4 and compact[:4].isdigit():
        # A postcode, optionally followed by a house number: "1234AB 12", "1234 ab", "1234".
        letters = compact[4:6] if compact[4:6].isalpha() else ""
        low = f"{compact[:4]} {letters}"
        postcode = select(HouseholdRecord.id).where(
            HouseholdRecord.postcode >= low, HouseholdRecord.postcode < low + "\x7f")
        number = compact[4 + len(letters):]
        if number.isdigit():
            postcode = postcode.where(HouseholdRecord.house_number == int(number))
        out.append(postcode)
    digits = normalize_bsn(term)
    if digits.isdigit() and len(digits) in (8, 9):
        out.append(select(PersonRecord.household_id).where(PersonRecord.bsn == digits.zfill(9)))
    birth = _parse_date(term)
    if birth is not None:
        out.append(select(PersonRecord.household_id).where(PersonRecord.birth_date == birth))
    if not out:  # nothing to look for: matches nothing
        out.append(select(HouseholdRecord.id).where(false()))
    return out


def _parse_date(text: str) -> date | None:
    """Accept 31-12-1980, 31-12-80 is too ambiguous and is not accepted; also ISO 1980-12-31."""
    value = text.strip()
    for sep in ("-", "/", "."):
        parts = value.split(sep)
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            try:
                if len(parts[0]) == 4:
                    return date(int(parts[0]), int(parts[1]), int(parts[2]))
                if len(parts[2]) == 4:
                    return date(int(parts[2]), int(parts[1]), int(parts[0]))
            except ValueError:
                return None
    return None


def require(session: Session, cls: type[R], record_id: str) -> R:
    record = session.get(cls, record_id)
    if record is None:
        raise NotFound(cls.__entity__)
    return record
