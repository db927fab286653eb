"""Invented case files for the steering dashboard: households with two years of casework.

Used by `bench/dashboard.py` (5,000 households) and `scripts/screenshots_team.py` (a few
dozen). Fills through the repositories in large saves (fast, like a first full sync would);
plan versions are made with the domain's own workflow functions, stamped with their dates.
Every name is invented (surnames such as "Proefmans"); no BSN is used.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from wijkteam_app.domain.cases import (
    Case,
    CaseStatus,
    ContactKind,
    ContactMoment,
    ReferralSource,
    UrgencyCriterion,
)
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.instruments import (
    LADDER_ITEM_CODE,
    PARTICIPATIELADDER_ID,
    ZRM_2017_ID,
    Assessment,
    ItemScore,
)
from wijkteam_app.domain.people import Address, Household, HouseholdRole, Person
from wijkteam_app.domain.plans import (
    EigenBijdrage,
    Financing,
    Goal,
    Horizon,
    Mandate,
    Participants,
    PlanContent,
    PlanStatus,
    ProfessionalSupport,
    ResidentAgreement,
    ResidentView,
    ReviewDecision,
    ReviewOutcome,
    Signer,
    apply_review,
    make_signature,
    new_plan,
    transition,
)
from wijkteam_app.domain.workers import Role, Worker
from wijkteam_app.instruments import latest, load_definitions
from wijkteam_app.persistence import plan_repository as plans_repo
from wijkteam_app.persistence import repositories as repo
from wijkteam_app.persistence.casefile import utcnow
from wijkteam_app.persistence.schema import RegieEventRecord
from wijkteam_app.services.profile import Workspace

WIJKEN = ["Noord", "Oost", "Centrum", "De Weide", "Haven"]
SURNAMES = ["Proefmans", "Voorbeeld", "Demodijk", "Oefenhuis", "Testerveld", "Fictiefstra",
            "Verzinner", "Bedacht", "Zomaarsma", "Droombergen"]
FIRST = ["Anouk", "Bram", "Dewi", "Esra", "Fenna", "Gijs", "Hatice", "Iwan", "Karim", "Lotte"]
COLLEAGUES = ["Sanne Wijkwerker", "Mo Generalist", "Priya Makelaar", "Otto Buurtcoach",
              "Nadia Wijkwerker", "Ruud Generalist", "Joke Makelaar", "Cor Buurtcoach"]


@dataclass(frozen=True, slots=True)
class Team:
    workers: list[Worker]
    gezinsbegeleider: Worker


def colleagues(ws: Workspace, count: int) -> Team:
    """`count` wijkwerkers (the current worker first) and one gezinsbegeleider."""
    made: list[Worker] = [ws.worker]
    with ws.casefile.save(ws.actor_id, "bench.team", "team") as ctx:
        for n in range(count - 1):
            worker = Worker(new_id(), f"collega-{n}-{ws.team.id[:6]}",
                            COLLEAGUES[n % len(COLLEAGUES)], Role.WIJKWERKER, ws.team.id)
            repo.save_worker(ctx.session, worker)
            made.append(worker)
        gb = Worker(new_id(), f"gezinsbegeleider-{ws.team.id[:6]}", "Hanna Gezinsbegeleider",
                    Role.GEZINSBEGELEIDER, ws.team.id)
        repo.save_worker(ctx.session, gb)
    return Team(made, gb)


def _moment(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, datetime.min.time()) + timedelta(hours=rng.randint(8, 17))


def _plan(rng: random.Random, ws: Workspace, household: str, person: str, regisseur: str,
          coach: str, start: date, today: date) -> Iterator[object]:
    """A plan version taken some way through the workflow; yields what to store:
    the version and the review/signature records made on it."""
    support = ()
    if rng.random() < 0.55:
        begin = start + timedelta(days=rng.randint(10, 60))
        support = (ProfessionalSupport(
            "L06SB1" if rng.random() < 0.7 else "L07DB1", "Product", "Aanbieder Voorbeeld",
            rng.randint(1, 8), "04", "2", begin, begin + timedelta(days=rng.randint(60, 360)),
            rng.randint(20_000, 250_000), Financing.ZORG_IN_NATURA,
            EigenBijdrage.ABONNEMENTSTARIEF),)
    goal = Goal(new_id(), "financien", "Overzicht over de financiën.", 2, 4,
                Horizon.DRIE_MAANDEN, zelf="Post openen.", professioneel=support)
    content = PlanContent(participants=Participants(person_ids=(person,)),
                          question="Weer rust en overzicht.", goals=(goal,),
                          regisseur_id=regisseur,
                          evaluation_dates=(start + timedelta(days=180),),
                          resident_view=ResidentView(ResidentAgreement.AKKOORD))
    day = start
    at = _moment(day, rng)
    version = new_plan(household, content, regisseur, at)
    stage = rng.choice(["concept", "review", "approved", "signed", "signed", "running"])
    records: list[object] = []

    def later(days: int) -> datetime:
        nonlocal day
        day = min(day + timedelta(days=days), today)
        return _moment(day, rng)

    if stage != "concept":
        version = transition(version, PlanStatus.TER_BEOORDELING, regisseur, later(5))
    if stage in ("approved", "signed", "running"):
        decision = ReviewDecision(version.id, coach, later(3), ReviewOutcome.GOEDKEUREN)
        version = apply_review(version, decision)
        records.append(decision)
    if stage in ("signed", "running"):
        version = transition(version, PlanStatus.TER_ONDERTEKENING, regisseur, later(2),
                             mandate=BENCH_MANDATE)
        signature = make_signature(version, b"%PDF plan", (Signer("Inwoner", "inwoner"),),
                                   day + timedelta(days=0), "Voorbeeldstad")
        version = transition(version, PlanStatus.ONDERTEKEND, regisseur, later(1),
                             signature=signature)
        records.append(signature)
    if stage == "running":
        version = transition(version, PlanStatus.IN_UITVOERING, regisseur, later(7))
    yield version
    yield from records


BENCH_MANDATE = Mandate(10_000_000, frozenset({"L06SB1", "L07DB1"}))  # no toets on the way


def fill(ws: Workspace, households: int, seed: int = 2026, workers: int | None = None,
         batch: int = 250) -> Team:
    """`households` invented households for the team of `ws`, with cases, contacts, ZRM and
    ladder measurements, plans at every stage, signatures and a few opschalingen."""
    rng = random.Random(seed)
    today = ws.today()
    definitions = load_definitions()
    zrm = latest(definitions, ZRM_2017_ID)
    ladder = latest(definitions, PARTICIPATIELADDER_ID)
    team = colleagues(ws, workers or max(4, min(12, households // 60 + 3)))
    coach = ws.worker.id
    criteria = list(UrgencyCriterion)
    made = 0
    while made < households:
        with ws.casefile.save(ws.actor_id, "bench.vullen", "bench") as ctx:
            session = ctx.session
            for _ in range(min(batch, households - made)):
                made += 1
                surname = f"{rng.choice(SURNAMES)}{made}"
                h = Household(new_id(), f"Huishouden {surname}",
                              Address("Proefstraat", rng.randint(1, 300), "", "1234 AB",
                                      "Voorbeeldstad"), rng.choice(WIJKEN))
                repo.save_household(session, h, utcnow())
                session.flush()
                persons = [Person(new_id(), h.id, rng.choice(FIRST), surname,
                                  HouseholdRole.HOOFDBEWONER if n == 0
                                  else HouseholdRole.HUISGENOOT,
                                  birth_date=today - timedelta(days=rng.randint(20, 80) * 365))
                           for n in range(rng.randint(1, 3))]
                for person in persons:
                    repo.save_person(session, person)
                session.flush()
                regisseur = rng.choice(team.workers)
                referral = today - timedelta(days=rng.randint(1, 720))
                closed = None
                if rng.random() < 0.3:
                    closed = min(referral + timedelta(days=rng.randint(30, 300)), today)
                case = Case(
                    new_id(), h.id, ws.team.id, regisseur.id,
                    CaseStatus.AFGESLOTEN if closed else rng.choice(
                        [CaseStatus.QUICKSCAN, CaseStatus.PLAN, CaseStatus.UITVOERING,
                         CaseStatus.EVALUATIE]),
                    rng.choice(list(ReferralSource)), referral,
                    client_profile=rng.choice([1, 1, 2, 3, 3, 3, 4, 5, None]),
                    urgency=tuple(rng.sample(criteria, rng.choice([0, 0, 0, 1, 1, 2]))),
                    next_evaluation=None if closed else referral + timedelta(
                        days=rng.randint(60, 400)),
                    closed_on=closed)
                repo.save_case(session, case)
                cases = [case]
                if closed is not None and rng.random() < 0.35 and closed < today:
                    again = min(closed + timedelta(days=rng.randint(20, 500)), today)
                    second = Case(new_id(), h.id, ws.team.id, regisseur.id,
                                  CaseStatus.QUICKSCAN, ReferralSource.INWONER, again,
                                  client_profile=case.client_profile,
                                  next_evaluation=again + timedelta(days=90))
                    repo.save_case(session, second)
                    cases.append(second)
                session.flush()
                for c in cases:
                    end = c.closed_on or today
                    first_contact = c.referral_date + timedelta(days=rng.randint(1, 21))
                    span = max((end - first_contact).days, 0)
                    for n in range(rng.randint(2, 9)):
                        on = first_contact + timedelta(days=span * n // 9)
                        if on > today:
                            break
                        repo.save_contact(session, ContactMoment(
                            new_id(), c.id, on, rng.choice([15, 30, 45, 60, 90]),
                            rng.choice(list(ContactKind)), c.regisseur_id), h.id)
                adult = persons[0]
                scores = {item.code: rng.randint(1, 4) for item in zrm.items}
                rung = rng.randint(1, 4)
                for n in range(rng.randint(1, 3)):
                    on = referral + timedelta(days=14 + n * rng.randint(90, 200))
                    if on > today:
                        break
                    if n:
                        scores = {k: max(1, min(5, v + rng.choice([-1, 0, 0, 1, 1])))
                                  for k, v in scores.items()}
                        rung = max(1, min(6, rung + rng.choice([-1, 0, 1, 1])))
                    repo.save_assessment(session, Assessment(
                        new_id(), zrm.id, zrm.version, on, regisseur.id,
                        tuple(ItemScore(k, v) for k, v in scores.items()),
                        person_id=adult.id), h.id)
                    repo.save_assessment(session, Assessment(
                        new_id(), ladder.id, ladder.version, on, regisseur.id,
                        (ItemScore(LADDER_ITEM_CODE, rung),), person_id=adult.id), h.id)
                if closed is None and rng.random() < 0.6:
                    start = referral + timedelta(days=rng.randint(10, 40))
                    if start < today:
                        for record in _plan(rng, ws, h.id, adult.id, regisseur.id, coach,
                                            start, today):
                            if isinstance(record, ReviewDecision):
                                plans_repo.add_review(session, new_id(), h.id, record)
                            elif hasattr(record, "pdf_sha256"):
                                session.flush()
                                plans_repo.add_signature(session, new_id(), h.id,
                                                         record, None)  # type: ignore[arg-type]
                            else:
                                plans_repo.save_version(session, record)  # type: ignore[arg-type]
                                session.flush()
                if closed is None and rng.random() < 0.06:
                    at = _moment(referral + timedelta(days=rng.randint(20, 200)), rng)
                    if at.date() <= today:
                        session.add(RegieEventRecord(
                            id=new_id(), version=0, household_id=h.id, direction="opschalen",
                            from_regisseur_id=regisseur.id,
                            to_regisseur_id=team.gezinsbegeleider.id,
                            from_mandate={"max_amount_cents": 0, "product_codes": []},
                            to_mandate={"max_amount_cents": 0, "product_codes": []},
                            actor_id=regisseur.id, at=at, reason="Meervoudige problematiek."))
    return team


def server_facts(households: int, today: date, seed: int = 2026,
                 teams: tuple[str, ...] = ("team-a", "team-b", "team-c", "team-d")) -> object:
    """The same kind of casework as `fill`, as `domain.indicators.Facts` for a server's
    records (made directly: a municipal server holds what laptops pushed)."""
    from wijkteam_app.domain.indicators import (
        AssessmentFact,
        CaseFact,
        ContactFact,
        Facts,
        HouseholdFact,
        PlanVersionFact,
        RegieFact,
        SignatureFact,
    )
    from wijkteam_app.domain.plans import EscalationDirection

    rng = random.Random(seed)
    zrm_codes = [item.code for item in latest(load_definitions(), ZRM_2017_ID).items]
    workers = [f"w{n}" for n in range(max(4, households // 40))]
    hh, cases, contacts, assessments, versions, signatures, regie = [], [], [], [], [], [], []
    statuses = [PlanStatus.CONCEPT, PlanStatus.TER_BEOORDELING, PlanStatus.GOEDGEKEURD,
                PlanStatus.TER_ONDERTEKENING, PlanStatus.ONDERTEKEND,
                PlanStatus.IN_UITVOERING]
    for n in range(households):
        h = f"h{n}"
        hh.append(HouseholdFact(h, rng.choice(WIJKEN)))
        referral = today - timedelta(days=rng.randint(1, 720))
        closed = (min(referral + timedelta(days=rng.randint(30, 300)), today)
                  if rng.random() < 0.3 else None)
        regisseur = rng.choice(workers)
        case = CaseFact(f"c{n}", h, rng.choice(teams), regisseur, referral, closed, (),
                        rng.choice([1, 2, 3, 4, 5, None]),
                        tuple(rng.sample([u.value for u in UrgencyCriterion],
                                         rng.choice([0, 0, 1]))),
                        None if closed else referral + timedelta(days=rng.randint(60, 400)))
        cases.append(case)
        if closed is not None and closed < today and rng.random() < 0.35:
            again = min(closed + timedelta(days=rng.randint(20, 500)), today)
            cases.append(CaseFact(f"c{n}b", h, case.team_id, regisseur, again))
        end = closed or today
        first = referral + timedelta(days=rng.randint(1, 21))
        span = max((end - first).days, 0)
        for k in range(rng.randint(2, 9)):
            on = first + timedelta(days=span * k // 9)
            if on <= today:
                contacts.append(ContactFact(case.id, h, on, rng.choice([15, 30, 45, 60, 90]),
                                            regisseur))
        scores = {code: rng.randint(1, 4) for code in zrm_codes}
        rung = rng.randint(1, 4)
        for k in range(rng.randint(1, 3)):
            on = referral + timedelta(days=14 + k * rng.randint(90, 200))
            if on > today:
                break
            scores = {c: max(1, min(5, v + rng.choice([-1, 0, 1]))) for c, v in scores.items()}
            rung = max(1, min(6, rung + rng.choice([-1, 0, 1, 1])))
            assessments.append(AssessmentFact(f"z{n}-{k}", h, f"p{n}", ZRM_2017_ID, "2017", on,
                                              tuple(scores.items())))
            assessments.append(AssessmentFact(f"l{n}-{k}", h, f"p{n}", PARTICIPATIELADDER_ID,
                                              "2008", on, ((LADDER_ITEM_CODE, rung),)))
        if closed is None and rng.random() < 0.6:
            created = _moment(min(referral + timedelta(days=rng.randint(10, 40)), today), rng)
            stage = rng.randint(0, len(statuses) - 1)
            history = tuple((s, created + timedelta(days=3 * i))
                            for i, s in enumerate(statuses[:stage + 1]))
            support = (ProfessionalSupport(
                rng.choice(["L06SB1", "L07DB1"]), "Product", "Aanbieder", 1, "04", "2",
                created.date(), created.date() + timedelta(days=rng.randint(60, 360)),
                rng.randint(20_000, 250_000)),) if rng.random() < 0.55 else ()
            versions.append(PlanVersionFact(f"v{n}", h, 1, created, history, regisseur,
                                            support))
            if stage >= 4:
                signatures.append(SignatureFact(f"v{n}", h, history[4][1].date()))
        if closed is None and rng.random() < 0.06:
            regie.append(RegieFact(f"e{n}", h, EscalationDirection.OPSCHALEN,
                                   _moment(referral + timedelta(days=rng.randint(20, 200)),
                                           rng)))
    return Facts(hh, cases, contacts, assessments, versions, signatures, (), regie, {})
