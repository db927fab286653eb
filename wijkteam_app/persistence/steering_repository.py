"""Reading the facts the steering indicators need (`domain.indicators.Facts`).

Only the few columns the indicators use are selected (no names, no notes), with Core
queries rather than ORM objects, and the plan content is not decoded as a whole: the
regisseur and the professional support of each version are read with SQLite's JSON
functions. Contacts are read for the period only (every use of a contact in the indicators
lies in it); everything else up to the peildatum.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, literal_column, select
from sqlalchemy.orm import Session

from wijkteam_app.domain.indicators import (
    AssessmentFact,
    CaseFact,
    ContactFact,
    Facts,
    HouseholdFact,
    PlanVersionFact,
    RegieFact,
    SignatureFact,
    ToetsFact,
)
from wijkteam_app.domain.plans import (
    EscalationDirection,
    Mandate,
    PlanStatus,
    ProfessionalSupport,
)
from wijkteam_app.persistence.schema import (
    AssessmentRecord,
    CaseRecord,
    ContactMomentRecord,
    HouseholdRecord,
    MandateRecord,
    PlanSignatureRecord,
    PlanToetsRecord,
    PlanVersionRecord,
    RegieEventRecord,
)


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def load_facts(session: Session, start: date, peil: date) -> Facts:
    households = [HouseholdFact(i, w) for i, w in session.execute(
        select(HouseholdRecord.id, HouseholdRecord.wijk))]
    cases = [
        CaseFact(r.id, r.household_id, r.team_id, r.regisseur_id, r.referral_date, r.closed_on,
                 tuple(r.case_team_ids or ()), r.client_profile, tuple(r.urgency or ()),
                 r.next_evaluation)
        for r in session.execute(select(
            CaseRecord.id, CaseRecord.household_id, CaseRecord.team_id, CaseRecord.regisseur_id,
            CaseRecord.referral_date, CaseRecord.closed_on, CaseRecord.case_team_ids,
            CaseRecord.client_profile, CaseRecord.urgency, CaseRecord.next_evaluation,
        ).where(CaseRecord.referral_date <= peil))
    ]
    contacts = [ContactFact(*row) for row in session.execute(
        select(ContactMomentRecord.case_id, ContactMomentRecord.household_id,
               ContactMomentRecord.on, ContactMomentRecord.duration_minutes,
               ContactMomentRecord.worker_id)
        .where(ContactMomentRecord.on.between(start, peil)))]
    assessments = [
        AssessmentFact(r.id, r.household_id, r.person_id, r.definition_id,
                       r.definition_version, r.assessed_on,
                       tuple((i["code"], i.get("score")) for i in r.items))
        for r in session.execute(select(
            AssessmentRecord.id, AssessmentRecord.household_id, AssessmentRecord.person_id,
            AssessmentRecord.definition_id, AssessmentRecord.definition_version,
            AssessmentRecord.assessed_on, AssessmentRecord.items,
        ).where(AssessmentRecord.assessed_on <= peil))
    ]
    return Facts(
        households=households,
        cases=cases,
        contacts=contacts,
        assessments=assessments,
        plan_versions=_plan_versions(session),
        signatures=[SignatureFact(*row) for row in session.execute(
            select(PlanSignatureRecord.version_id, PlanSignatureRecord.household_id,
                   PlanSignatureRecord.signed_on))],
        toetsen=[ToetsFact(*row) for row in session.execute(
            select(PlanToetsRecord.version_id, PlanToetsRecord.decided_at))],
        regie_events=[RegieFact(i, h, EscalationDirection(d), at) for i, h, d, at in
                      session.execute(select(RegieEventRecord.id, RegieEventRecord.household_id,
                                             RegieEventRecord.direction, RegieEventRecord.at))],
        mandates={w: Mandate(m, frozenset(codes)) for w, m, codes in session.execute(
            select(MandateRecord.worker_id, MandateRecord.max_amount_cents,
                   MandateRecord.product_codes))},
    )


def _plan_versions(session: Session) -> list[PlanVersionFact]:
    support: dict[str, list[ProfessionalSupport]] = {}
    goals = func.json_each(PlanVersionRecord.content, "$.goals").table_valued(
        "value", name="goal", joins_implicitly=True)
    items = func.json_each(goals.c.value, "$.professioneel").table_valued(
        "value", name="item", joins_implicitly=True)

    def field(name: str) -> Any:
        return func.json_extract(items.c.value, f"$.{name}")

    query = select(PlanVersionRecord.id, field("product_code"), field("cost_cents"),
                   field("start"), field("end")).select_from(PlanVersionRecord).join(
        goals, literal_column("1") == 1).join(items, literal_column("1") == 1)
    for version_id, code, cents, begin, end in session.execute(query):
        support.setdefault(version_id, []).append(ProfessionalSupport(
            str(code), "", "", 1, "", "", _day(begin), _day(end), int(cents)))
    versions = []
    for vid, household, number, created, history, regisseur in session.execute(select(
            PlanVersionRecord.id, PlanVersionRecord.household_id, PlanVersionRecord.number,
            PlanVersionRecord.created_at, PlanVersionRecord.history,
            func.json_extract(PlanVersionRecord.content, "$.regisseur_id"))):
        versions.append(PlanVersionFact(
            vid, household, number, created,
            tuple((PlanStatus(h["to_status"]), datetime.fromisoformat(h["at"]))
                  for h in history),
            str(regisseur or ""), tuple(support.get(vid, ()))))
    return versions
