"""The same steering facts in both worlds: `domain.indicators.Facts` for the app's
computation, and server records (``entities`` rows shaped exactly as a laptop's outbox
sends them, plus teams, users and mandates) for the server's SQL. Lets a test compare the
two implementations on identical data, including randomly generated data (hypothesis)."""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from hypothesis import strategies as st
from sqlalchemy import Engine, delete

from wijkteam_app.domain.indicators import (
    AssessmentFact,
    CaseFact,
    ContactFact,
    ExperienceFact,
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
from wijkteam_app.sync.aggregates import EXPERIENCE_QUESTIONS, Row
from wijkteam_server import report_facts
from wijkteam_server.db import utcnow, write_session
from wijkteam_server.models import EntityRow, Team, User
from wijkteam_server.models import Mandate as MandateRow

# Personal data put into every household, to prove none of it reaches a report.
SECRET_NAME = "Huishouden Geheimnaam"
SECRET_STREET = "Verborgenstraat"
SECRET_BSN = "999990019"
SECRET_BIRTH = "1961-03-17"


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _entity(entity: str, entity_id: str, household_id: str | None, data: dict[str, Any],
            team_id: str | None = None) -> dict[str, Any]:
    return {"entity": entity, "entity_id": entity_id, "household_id": household_id,
            "team_id": team_id, "created_by": None, "version": 1, "data": data,
            "field_versions": dict.fromkeys(data, 1), "field_origins": {},
            "deleted": False, "updated_at": utcnow()}


def server_records(facts: Facts) -> list[EntityRow]:
    return [EntityRow(**values) for values in server_dicts(facts)]


def server_dicts(facts: Facts) -> list[dict[str, Any]]:
    """The ``entities`` rows of `facts` as plain dicts (for a bulk insert)."""
    rows: list[dict[str, Any]] = []
    for h in facts.households:
        rows.append(_entity("household", h.id, h.id, {
            "name": SECRET_NAME, "street": SECRET_STREET, "house_number": 7,
            "house_number_suffix": "", "postcode": "1234 AB", "city": "Voorbeeldstad",
            "wijk": h.wijk, "created_at": "2025-01-01T09:00:00"}))
        person = f"person-{h.id}"
        rows.append(_entity("person", person, h.id, {
            "household_id": h.id, "first_name": "Geheim", "name_prefix": "",
            "last_name": "Geheimnaam", "search_name": "geheim geheimnaam",
            "birth_date": SECRET_BIRTH, "bsn": SECRET_BSN, "household_role": "hoofdbewoner",
            "gezag_holder_ids": [], "gezag_note": ""}))
    for c in facts.cases:
        rows.append(_entity("case", c.id, c.household_id, {
            "household_id": c.household_id, "team_id": c.team_id,
            "regisseur_id": c.regisseur_id, "case_team_ids": list(c.case_team_ids),
            "status": "afgesloten" if c.closed_on else "uitvoering",
            "referral_source": "huisarts", "referral_date": _iso(c.referral_date),
            "referral_note": "", "quickscan_self": "", "quickscan_arrange": "",
            "quickscan_help": "", "complexity": None, "urgency": list(c.urgency),
            "client_profile": c.client_profile, "problem_areas": [],
            "next_evaluation": _iso(c.next_evaluation), "closed_on": _iso(c.closed_on)},
            c.team_id))
    for n, k in enumerate(facts.contacts):
        rows.append(_entity("contact_moment", f"contact-{n}", k.household_id, {
            "case_id": k.case_id, "household_id": k.household_id, "on": _iso(k.on),
            "duration_minutes": k.minutes, "kind": "huisbezoek", "worker_id": k.worker_id,
            "with_whom": "", "notes": "Gesprek met Geheim Geheimnaam"}))
    for a in facts.assessments:
        rows.append(_entity("assessment", a.id, a.household_id, {
            "household_id": a.household_id, "person_id": a.person_id,
            "subject": "person" if a.person_id else "household",
            "definition_id": a.definition_id, "definition_version": a.definition_version,
            "assessed_on": _iso(a.assessed_on), "assessor_id": "assessor",
            "items": [{"code": code, "score": score, "target": None}
                      for code, score in a.scores],
            "zwaartefactoren": [], "target_date": None, "notes": ""}))
    for v in facts.plan_versions:
        goal = {"id": f"goal-{v.id}", "domain_code": "financien", "description": "Doel",
                "current_level": 2, "target_level": 3, "horizon": "drie_maanden",
                "zelf": "", "netwerk": [], "voorzieningen": [],
                "professioneel": [{
                    "product_code": s.product_code, "product_name": s.product_name,
                    "provider": s.provider, "volume": s.volume, "unit_code": s.unit_code,
                    "frequency_code": s.frequency_code, "start": _iso(s.start),
                    "end": _iso(s.end), "cost_cents": s.cost_cents} for s in v.support]}
        history = []
        previous: str | None = None
        for status, at in v.history:
            history.append({"from_status": previous, "to_status": status.value,
                            "actor_id": "actor", "at": _iso(at), "note": ""})
            previous = status.value
        rows.append(_entity("plan_version", v.id, v.household_id, {
            "household_id": v.household_id, "plan_id": f"plan-{v.household_id}",
            "number": v.number, "status": v.history[-1][0].value if v.history else "concept",
            "content": {"regisseur_id": v.regisseur_id, "goals": [goal],
                        "question": "Vraag van Geheim Geheimnaam"},
            "fingerprint": "0" * 64, "based_on_id": None, "created_at": _iso(v.created_at),
            "created_by": "actor", "history": history}))
    for n, s in enumerate(facts.signatures):
        rows.append(_entity("plan_signature", f"sig-{n}", s.household_id, {
            "household_id": s.household_id, "version_id": s.version_id,
            "content_fingerprint": "0" * 64, "signers": [{"name": SECRET_NAME,
                                                          "role": "inwoner"}],
            "signed_on": _iso(s.signed_on), "place": "Voorbeeldstad", "pdf_sha256": "0" * 64}))
    for n, t in enumerate(facts.toetsen):
        rows.append(_entity("plan_toets", f"toets-{n}", None, {
            "household_id": "", "version_id": t.version_id, "toetser_id": "toetser",
            "decided_at": _iso(t.decided_at), "decision": "positief", "note": ""}))
    for e in facts.regie_events:
        rows.append(_entity("regie_event", e.id, e.household_id, {
            "household_id": e.household_id, "direction": e.direction.value,
            "from_regisseur_id": "a", "to_regisseur_id": "b",
            "from_mandate": {"max_amount_cents": 0, "product_codes": []},
            "to_mandate": {"max_amount_cents": 0, "product_codes": []},
            "actor_id": "actor", "at": _iso(e.at), "reason": "Reden"}))
    for x in facts.experiences:
        rows.append(_entity("client_experience", x.id, x.household_id, {
            "household_id": x.household_id, "case_id": f"case-of-{x.household_id}",
            "questionnaire": x.questionnaire, "moment": "evaluatie",
            "answered_on": _iso(x.answered_on), "recorded_by": "worker",
            "answers": [{"question": q, "score": score} for q, score in x.answers],
            "comment": f"{SECRET_NAME} was tevreden"}))
    return rows


def load_server(engine: Engine, facts: Facts, teams: dict[str, tuple[str, str | None]],
                ) -> None:
    """Replace the server's records by `facts`. `teams`: team id -> (name, municipality).
    Users are made for every worker that holds a mandate."""
    with write_session(engine) as session:
        for table in (EntityRow, MandateRow, User, Team):
            session.execute(delete(table))
        now = utcnow()
        for team_id, (name, municipality) in teams.items():
            session.add(Team(id=team_id, name=name, created_at=now, municipality=municipality))
        session.flush()
        first_team = next(iter(teams))
        for worker, mandate in facts.mandates.items():
            session.add(User(id=worker, username=f"u-{worker}", display_name=worker,
                             role="wijkwerker", team_id=first_team, password_hash="x",
                             active=True, created_at=now))
            session.flush()
            session.add(MandateRow(user_id=worker, max_amount_cents=mandate.max_amount_cents,
                                   provisions=sorted(mandate.product_codes), updated_at=now))
        session.add_all(server_records(facts))
        session.flush()
        # Bulk-loaded records bypass the sync engine: their report facts are rebuilt.
        report_facts.rebuild(session.connection())


def comparable(rows: Iterable[Row]) -> list[tuple[str, str, str, object, int]]:
    """Rows as sortable tuples, floats rounded (the databases average in floating point)."""
    out = []
    for r in rows:
        value: object = r.value
        if isinstance(value, float):
            value = round(value, 6)
            if math.isclose(value, round(value)) and r.spec.kind.value == "count":
                value = int(value)
        out.append((r.group, r.indicator, r.category, value, r.basis))
    return sorted(out)


# --------------------------------------------------------------------------- random facts

BASE = date(2026, 1, 1)
WORKERS = ("wa", "wb", "wc")
TEAMS = ("team-1", "team-2")
CODES = ("L06SB1", "L07DB1", "L99XX9")


def _day(n: int) -> date:
    return BASE + timedelta(days=n)


@st.composite
def random_facts(draw: st.DrawFn) -> Facts:
    """Small, dense random case files: dates cluster around 2026 so that periods, ties and
    boundaries are hit often."""
    day = st.integers(-420, 420)
    n_households = draw(st.integers(1, 8))
    households = [HouseholdFact(f"h{n}", draw(st.sampled_from(["Noord", "Oost", ""])))
                  for n in range(n_households)]
    cases: list[CaseFact] = []
    for n in range(draw(st.integers(0, 12))):
        household = draw(st.sampled_from(households)).id
        referral = draw(day)
        closed = draw(st.none() | st.integers(0, 400))
        cases.append(CaseFact(
            f"c{n}", household, draw(st.sampled_from(TEAMS)), draw(st.sampled_from(WORKERS)),
            _day(referral), None if closed is None else _day(referral + closed),
            tuple(draw(st.lists(st.sampled_from(WORKERS), max_size=2, unique=True))),
            draw(st.none() | st.integers(1, 5)),
            tuple(draw(st.lists(st.sampled_from(["kwetsbaarheid", "dakloosheid",
                                                 "huiselijk_geweld"]), max_size=2,
                                unique=True))),
            draw(st.none() | day.map(_day))))
    contacts = [ContactFact(c.id, c.household_id, _day(draw(day)), draw(st.integers(5, 120)),
                            draw(st.sampled_from(WORKERS)))
                for c in cases for _ in range(draw(st.integers(0, 3)))]
    assessments: list[AssessmentFact] = []
    for n in range(draw(st.integers(0, 14))):
        household = draw(st.sampled_from(households)).id
        kind = draw(st.sampled_from(["zrm17", "zrm13", "hh", "ladder"]))
        person = None if kind == "hh" else f"p-{household}-{draw(st.integers(0, 1))}"
        definition, version, codes = {
            "zrm17": ("zrm-2017", "2017", ("financien", "huisvesting")),
            "zrm13": ("zrm-2013", "2013", ("financien",)),
            "hh": ("zrm-huishoudens", "2019", ("huisvesting",)),
            "ladder": ("participatieladder", "2008", ("trede",)),
        }[kind]
        scores = tuple((code, draw(st.none() | st.integers(1, 5))) for code in codes)
        assessments.append(AssessmentFact(f"a{n}", household, person, definition, version,
                                          _day(draw(day)), scores))
    versions: list[PlanVersionFact] = []
    statuses = list(PlanStatus)
    for n in range(draw(st.integers(0, 6))):
        household = draw(st.sampled_from(households)).id
        created = datetime.combine(_day(draw(day)), datetime.min.time()) + timedelta(hours=9)
        steps = draw(st.lists(st.tuples(st.sampled_from(statuses), st.integers(0, 60)),
                              max_size=3))
        history = [(PlanStatus.CONCEPT, created)]
        for status, later in steps:
            history.append((status, history[-1][1] + timedelta(days=later)))
        support = tuple(
            ProfessionalSupport(draw(st.sampled_from(CODES)), "Product", "Aanbieder", 1, "04",
                                "2", _day(start), _day(start + draw(st.integers(1, 200))),
                                draw(st.integers(0, 300_000)))
            for start in draw(st.lists(day, max_size=2)))
        versions.append(PlanVersionFact(f"v{n}", household, draw(st.integers(1, 3)), created,
                                        tuple(history), draw(st.sampled_from(WORKERS)),
                                        support))
    signatures = [SignatureFact(v.id, v.household_id, _day(draw(day)))
                  for v in versions if draw(st.booleans())]
    toetsen = [ToetsFact(v.id, datetime.combine(_day(draw(day)), datetime.min.time()))
               for v in versions if draw(st.booleans())]
    regie = [RegieFact(f"e{n}", draw(st.sampled_from(households)).id,
                       draw(st.sampled_from(list(EscalationDirection))),
                       datetime.combine(_day(draw(day)), datetime.min.time())
                       + timedelta(hours=draw(st.integers(0, 23))))
             for n in range(draw(st.integers(0, 4)))]
    mandates = {w: Mandate(draw(st.integers(0, 300_000)),
                           frozenset(draw(st.lists(st.sampled_from(CODES), unique=True))))
                for w in WORKERS if draw(st.booleans())}
    score = st.none() | st.integers(1, 5)
    experiences = [
        ExperienceFact(f"x{n}", draw(st.sampled_from(households)).id, _day(draw(day)),
                       tuple((q, draw(score)) for q in EXPERIENCE_QUESTIONS),
                       draw(st.sampled_from(["klantervaring/1", "klantervaring/1",
                                             "klantervaring/0"])))
        for n in range(draw(st.integers(0, 8)))]
    return Facts(households, cases, contacts, assessments, versions, signatures, toetsen,
                 regie, mandates, experiences)


def new_team_ids() -> dict[str, tuple[str, str | None]]:
    return {t: (f"Team {t} {uuid.uuid4().hex[:6]}", "Voorbeeldstad" if t == TEAMS[0] else None)
            for t in TEAMS}
