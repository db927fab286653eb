"""Fictitious demo data: invented households with a year of history.

Every name is made up and obviously so (surnames such as "Voorbeeld" and "Proefmans"), every
BSN lies in the official test range 999900006-999999990, and addresses are in the invented town
"Voorbeeldstad". Nothing here describes a real person.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import select
from stdnum.nl import bsn as stdnum_bsn

from wijkteam_app.catalogs import load_code_lists
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
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.instruments import (
    LADDER_ITEM_CODE,
    PARTICIPATIELADDER_ID,
    ZRM_2017_ID,
    ZRM_HUISHOUDENS_ID,
    ZRM_JONGEREN_ID,
    Assessment,
    InstrumentDefinition,
    ItemScore,
)
from wijkteam_app.domain.people import (
    Address,
    Household,
    HouseholdRole,
    NetworkMember,
    Person,
    Professional,
)
from wijkteam_app.domain.plans import (
    DomainSituation,
    EigenBijdrage,
    Financing,
    Goal,
    Horizon,
    NetworkAgreement,
    Participants,
    PlanContent,
    ProfessionalSupport,
    ProvisionAgreement,
    ResidentAgreement,
    ResidentView,
    ReviewOutcome,
    SharingConsent,
    Situation,
)
from wijkteam_app.domain.workers import Role, Worker
from wijkteam_app.instruments import latest
from wijkteam_app.persistence import repositories as repo
from wijkteam_app.persistence.schema import WorkerRecord
from wijkteam_app.services.assessments import AssessmentService
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.services.reference import ReferenceService

SURNAMES = [
    ("", "Voorbeeld"), ("", "Proefmans"), ("de", "Verzinner"), ("", "Fictiefstra"),
    ("van", "Bedacht"), ("", "Demodijk"), ("", "Oefenhuis"), ("van", "Verzonnen"),
    ("", "Testerveld"), ("", "Droombergen"), ("", "Zomaarsma"), ("ten", "Schijnhove"),
]
ADULT_NAMES = ["Anouk", "Bram", "Cor", "Dewi", "Esra", "Fenna", "Gijs", "Hatice", "Iwan",
               "Joke", "Karim", "Lotte", "Mo", "Nadia", "Otto", "Priya", "Ruud", "Sanne"]
CHILD_NAMES = ["Amir", "Bo", "Daan", "Evi", "Finn", "Isa", "Jesse", "Liv", "Noor", "Sem"]
STREETS = ["Verzonnenstraat", "Proefplein", "Voorbeeldlaan", "Oefenweg", "Denkbeeldhof",
           "Fantasiesingel"]
WIJKEN = ["Centrum", "Noord", "De Weide", "Oost"]
NETWORK = [("zus", "doet boodschappen op zaterdag"), ("buurvrouw", "past af en toe op de kinderen"),
           ("vriend", "helpt met de administratie"), ("moeder", "komt twee keer per week langs"),
           ("vrijwilliger buurthuis", "wandelt wekelijks mee"), ("broer", "kan vervoer regelen")]
PROFESSIONALS = [("Huisartsenpraktijk Voorbeeldstad", "huisarts"),
                 ("Schuldhulp Voorbeeldstad", "schuldhulpverlener"),
                 ("Woonstichting Denkbeeld", "woonconsulent"),
                 ("GGZ Proefregio", "sociaal psychiatrisch verpleegkundige"),
                 ("Jeugdgezondheidszorg", "jeugdverpleegkundige"),
                 ("Basisschool De Oefening", "intern begeleider")]


@dataclass(frozen=True)
class _Profile:
    adults: int
    children_ages: tuple[int, ...]
    client_profile: int
    complexity: Complexity
    urgency: tuple[UrgencyCriterion, ...]
    problems: tuple[ProblemArea, ...]
    status: CaseStatus
    source: ReferralSource


PROFILES = [
    _Profile(1, (), 1, Complexity.ENKELVOUDIG, (), (ProblemArea.INKOMEN, ProblemArea.BESTEDING),
             CaseStatus.UITVOERING, ReferralSource.INWONER),
    _Profile(2, (8, 14), 4, Complexity.MEERVOUDIG, (UrgencyCriterion.HUISELIJK_GEWELD,),
             (ProblemArea.RELATIE_PARTNER, ProblemArea.RELATIE_OUDER_KIND, ProblemArea.INKOMEN),
             CaseStatus.UITVOERING, ReferralSource.POLITIE),
    _Profile(1, (), 1, Complexity.ENKELVOUDIG, (UrgencyCriterion.KWETSBAARHEID,),
             (ProblemArea.EENZAAMHEID, ProblemArea.GEZONDHEID), CaseStatus.EVALUATIE,
             ReferralSource.HUISARTS),
    _Profile(1, (3, 16), 3, Complexity.MEERVOUDIG, (UrgencyCriterion.DAKLOOSHEID,),
             (ProblemArea.HUISVESTING, ProblemArea.INKOMEN), CaseStatus.PLAN,
             ReferralSource.WONINGCORPORATIE),
    _Profile(2, (), 2, Complexity.ENKELVOUDIG, (),
             (ProblemArea.RELATIE_PARTNER,), CaseStatus.KEUKENTAFELGESPREK,
             ReferralSource.INWONER),
    _Profile(1, (15,), 3, Complexity.MEERVOUDIG, (UrgencyCriterion.VOORMALIGE_VET_ZAAK,),
             (ProblemArea.PSYCHISCHE_PROBLEMEN, ProblemArea.ARBEID), CaseStatus.UITVOERING,
             ReferralSource.SCHOOL),
    _Profile(2, (10, 12, 17), 5, Complexity.MEERVOUDIG, (),
             (ProblemArea.INKOMEN, ProblemArea.HUISVESTING, ProblemArea.RELATIE_ORGANISATIES),
             CaseStatus.UITVOERING, ReferralSource.BUREN),
    _Profile(1, (), 1, Complexity.ENKELVOUDIG, (), (ProblemArea.VERWERKING,),
             CaseStatus.AANGEMELD, ReferralSource.NETWERK),
]


TEST_BSN_RANGE = (999_900_006, 999_999_990)
TEST_BSN_COUNT = 9_090  # numbers in the test range that pass the 11-proef


def test_range_bsn(rng: random.Random, used: set[str]) -> str:
    """A BSN from the test range 999900006-999999990 that passes the 11-proef and is not in
    `used`. The range holds about 9,090 valid numbers; asking for more raises ValueError."""
    if len(used) >= TEST_BSN_COUNT:
        raise ValueError("the BSN test range is used up")
    while True:
        candidate = str(rng.randint(*TEST_BSN_RANGE))
        if stdnum_bsn.is_valid(candidate) and candidate not in used:
            used.add(candidate)
            return candidate


def _demo_postcode(rng: random.Random) -> str:
    """A well-formed postcode; PostNL never issues the letter pairs SA, SD and SS."""
    letters = "ABCDEFGHJKLMNPRSTVWXZ"
    while True:
        pair = rng.choice(letters) + rng.choice(letters)
        if pair not in ("SA", "SD", "SS"):
            return f"{rng.randint(1000, 9899)} {pair}"


def _birth(rng: random.Random, today: date, age: int) -> date:
    return today - timedelta(days=age * 365 + rng.randint(30, 330))


class _DemoBuilder:
    def __init__(self, workspace: Workspace, seed: int) -> None:
        self.ws = workspace
        self.rng = random.Random(seed)
        self.today = workspace.today()
        self.households = HouseholdService(workspace)
        self.assessments = AssessmentService(workspace)
        defs = self.assessments.definitions
        self.zrm: InstrumentDefinition = latest(defs, ZRM_2017_ID)
        self.zrm_youth: InstrumentDefinition = latest(defs, ZRM_JONGEREN_ID)
        self.zrm_household: InstrumentDefinition = latest(defs, ZRM_HUISHOUDENS_ID)
        self.ladder: InstrumentDefinition = latest(defs, PARTICIPATIELADDER_ID)
        self.used_bsn: set[str] = set()

    def household(self, index: int) -> None:
        rng = self.rng
        profile = PROFILES[index % len(PROFILES)]
        prefix, surname = SURNAMES[index % len(SURNAMES)]
        if index >= len(SURNAMES):
            surname = f"{surname}-{SURNAMES[(index * 7 + 3) % len(SURNAMES)][1]}"
        household = Household(
            id=new_id(),
            name=f"Huishouden {' '.join(p for p in (prefix, surname) if p)}",
            address=Address(rng.choice(STREETS), rng.randint(1, 180),
                            rng.choice(["", "", "", "A", "bis"]),
                            _demo_postcode(rng), "Voorbeeldstad"),
            wijk=WIJKEN[index % len(WIJKEN)],
        )
        adults: list[Person] = []
        for n in range(profile.adults):
            role = HouseholdRole.HOOFDBEWONER if n == 0 else HouseholdRole.PARTNER
            adults.append(Person(
                id=new_id(), household_id=household.id,
                first_name=ADULT_NAMES[(index * 3 + n) % len(ADULT_NAMES)],
                name_prefix=prefix, last_name=surname, household_role=role,
                birth_date=_birth(rng, self.today, rng.randint(24, 82 if profile.adults == 1
                                                               and not profile.children_ages
                                                               else 50)),
                bsn=test_range_bsn(rng, self.used_bsn) if rng.random() < 0.8 else "",
            ))
        holders = tuple(a.id for a in adults)
        children = [
            Person(
                id=new_id(), household_id=household.id,
                first_name=CHILD_NAMES[(index * 2 + n) % len(CHILD_NAMES)],
                name_prefix=prefix, last_name=surname, household_role=HouseholdRole.KIND,
                birth_date=_birth(rng, self.today, age),
                bsn=test_range_bsn(rng, self.used_bsn),
                gezag_holder_ids=holders if age < 18 else (),
            )
            for n, age in enumerate(profile.children_ages)
        ]
        self.households.create(household, [*adults, *children])
        self._network_and_professionals(household.id, adults[0].id, index)
        case = self._case(household.id, profile)
        self._contacts(case, household.id)
        self._consents(household.id, adults[0].id)
        if profile.status is not CaseStatus.AANGEMELD:
            self._history(household.id, case.referral_date, adults, children)

    def _network_and_professionals(self, household_id: str, person_id: str, index: int) -> None:
        rng = self.rng
        for n in range(rng.randint(1, 3)):
            relation, support = NETWORK[(index + n) % len(NETWORK)]
            name = f"{rng.choice(ADULT_NAMES)} {SURNAMES[(index + n + 5) % len(SURNAMES)][1]}"
            self.households.save_network_member(NetworkMember(
                new_id(), household_id, name, relation, support, person_id=person_id))
        for n in range(rng.randint(1, 4)):
            org, discipline = PROFESSIONALS[(index * 2 + n) % len(PROFESSIONALS)]
            contact_name = f"{rng.choice(ADULT_NAMES)} {rng.choice(['B.', 'K.', 'T.'])}"
            since = self.today - timedelta(days=rng.randint(60, 900))
            self.households.save_professional(Professional(
                new_id(), household_id, org, contact_name, discipline, "via de praktijk", since))

    def _case(self, household_id: str, profile: _Profile) -> Case:
        referral = self.today - timedelta(days=self.rng.randint(330, 380))
        if profile.status is CaseStatus.AANGEMELD:
            referral = self.today - timedelta(days=self.rng.randint(2, 20))
        case = Case(
            id=new_id(), household_id=household_id, team_id=self.ws.team.id,
            regisseur_id=self.ws.worker.id, status=profile.status,
            referral_source=profile.source, referral_date=referral,
            referral_note="Aanmelding (voorbeeldgegevens).",
            quickscan=Quickscan(
                "Boodschappen doen en de kinderen naar school brengen lukt nog goed.",
                "Mijn zus wil helpen met de administratie als iemand haar uitlegt hoe.",
                "Bij de schulden en de brieven van instanties; daar raak ik het overzicht kwijt.",
            ) if profile.status is not CaseStatus.AANGEMELD else Quickscan(),
            complexity=profile.complexity, urgency=profile.urgency,
            client_profile=profile.client_profile, problem_areas=profile.problems,
            next_evaluation=self.today + timedelta(days=self.rng.randint(14, 90)),
        )
        self.households.save_case(case)
        return case

    def _contacts(self, case: Case, household_id: str) -> None:
        rng = self.rng
        span = (self.today - case.referral_date).days
        count = 3 if span < 30 else rng.randint(8, 20)
        for n in range(count):
            day = case.referral_date + timedelta(days=int(span * n / max(count, 1)))
            kind = rng.choice(list(ContactKind))
            self.households.save_contact(ContactMoment(
                new_id(), case.id, min(day, self.today),
                rng.choice([15, 30, 45, 60, 90]), kind, self.ws.worker.id,
                with_whom="hoofdbewoner" if kind is not ContactKind.OVERLEG else "huisarts",
                notes="Gesprek gevoerd (voorbeeldgegevens).",
            ))

    def _consents(self, household_id: str, person_id: str) -> None:
        self.households.save_consent(Consent(
            new_id(), household_id, person_id, "Huisartsenpraktijk Voorbeeldstad",
            "Afstemmen van de ondersteuning", self.today - timedelta(days=300),
            self.ws.worker.id, "schriftelijk"))

    def _history(self, household_id: str, start: date, adults: list[Person],
                 children: list[Person]) -> None:
        moments = [start + timedelta(days=d) for d in (7, 120, 240, 350)]
        moments = [m for m in moments if m <= self.today]
        for person in adults:
            self._zrm_series(self.zrm, moments, person_id=person.id)
            self._ladder_series(moments[::2] or moments, person.id)
        for child in children:
            age = child.age_on(moments[0]) if child.birth_date else None
            if age is not None and 12 <= age < 18:
                self._zrm_series(self.zrm_youth, moments, person_id=child.id)
        if children:
            self._zrm_series(self.zrm_household, moments[::3] or moments,
                             household_id=household_id, has_children=True)

    def _zrm_series(self, defn: InstrumentDefinition, moments: list[date], *,
                    person_id: str | None = None, household_id: str | None = None,
                    has_children: bool = False) -> None:
        rng = self.rng
        items = defn.items_for(has_children)
        current = {i.code: rng.choice([1, 2, 2, 3, 3, 4, 5]) for i in items}
        for n, day in enumerate(moments):
            scores = []
            for item in items:
                if n:
                    current[item.code] = max(1, min(5, current[item.code]
                                                    + rng.choice([0, 0, 1, 1, -1])))
                not_discussed = n == 0 and rng.random() < 0.05
                target = min(5, current[item.code] + 1) if n == 0 else None
                scores.append(ItemScore(item.code, None if not_discussed else current[item.code],
                                        target))
            factors = tuple(z.code for z in defn.zwaartefactoren if rng.random() < 0.15)
            self.assessments.record(Assessment(
                id=new_id(), definition_id=defn.id, definition_version=defn.version,
                assessed_on=day, assessor_id=self.ws.worker.id, items=tuple(scores),
                person_id=person_id, household_id=household_id, zwaartefactoren=factors,
                target_date=day + timedelta(days=365) if n == 0 else None,
            ))

    def _ladder_series(self, moments: list[date], person_id: str) -> None:
        rung = self.rng.randint(1, 4)
        for day in moments:
            potential = min(6, rung + self.rng.randint(0, 2))
            self.assessments.record(Assessment(
                id=new_id(), definition_id=self.ladder.id, definition_version=self.ladder.version,
                assessed_on=day, assessor_id=self.ws.worker.id,
                items=(ItemScore(LADDER_ITEM_CODE, rung, potential),),
                person_id=person_id, target_date=day + timedelta(days=180),
            ))
            rung = min(6, rung + self.rng.choice([0, 1]))


PLAN_GOALS = [
    ("financien", "Binnen drie maanden is er overzicht over alle schulden en komen er geen "
     "nieuwe achterstanden bij.", Horizon.DRIE_MAANDEN,
     "Opent de post elke maandag en legt alle rekeningen in één map.",
     "Helpt eens per twee weken bij het sorteren van de post.",
     ("vk-formulierenhulp", "vk-geldfit"),
     ("L06SB1", "Schuldhulp Voorbeeldstad", 24, Financing.VOUCHER, EigenBijdrage.GEEN)),
    ("sociaal_netwerk", "Heeft een vaste activiteit buiten huis en kent drie mensen in de "
     "wijk bij naam.", Horizon.EEN_JAAR,
     "Gaat elke woensdag naar de eettafel in het wijkcentrum.",
     "Gaat de eerste keren mee naar de eettafel.", ("vk-maatjes",), None),
    ("tijdsbesteding", "Heeft een vast dagritme met twee dagdelen dagbesteding per week.",
     Horizon.EERSTE_STAP, "Bezoekt twee locaties en kiest er één.",
     "Rijdt de eerste vier weken mee.", (),
     ("L07DB1", "Zorgboerderij De Boomgaard", 2, Financing.PGB,
      EigenBijdrage.ABONNEMENTSTARIEF)),
]


def demo_plan_content(workspace: Workspace, household_id: str) -> PlanContent:
    """A plausible ondersteuningsplan for a demo household, in the eigen-kracht order."""
    detail = HouseholdService(workspace).get(household_id)
    assessments = AssessmentService(workspace)
    adults = [m for m in detail.members if not m.is_minor_on(workspace.today())] or list(
        detail.members)
    lists = load_code_lists()
    kaart = {p.id for p in ReferenceService(workspace).sociale_kaart()}
    history = assessments.history(person_id=adults[0].id)
    latest_zrm = next((a for a in reversed(history) if a.definition_id == ZRM_2017_ID), None)
    today = workspace.today()
    goals = []
    for n, (domain, text, horizon, zelf, netwerk, provisions, support) in enumerate(PLAN_GOALS):
        score = latest_zrm.score_for(domain) if latest_zrm else None
        current = score.score if score and score.score else 2
        network = tuple(NetworkAgreement(m.id, netwerk) for m in detail.network[:1])
        professional: tuple[ProfessionalSupport, ...] = ()
        if support:
            code, provider, volume, financing, contribution = support
            product = lists.product(code)
            professional = (ProfessionalSupport(
                code, product.name, provider, volume, product.default_unit or "04",
                product.default_frequency or "2", today + timedelta(days=14),
                today + timedelta(days=180), 120_000 + 40_000 * n, financing,
                contribution),)
        goals.append(Goal(new_id(), domain, text, current, min(5, current + 2), horizon, zelf,
                          network, tuple(ProvisionAgreement(p) for p in provisions
                                         if p in kaart),
                          professional))
    return PlanContent(
        participants=Participants(person_ids=tuple(m.id for m in adults),
                                  network_member_ids=tuple(m.id for m in detail.network[:1])),
        question="We willen weer overzicht en rust. Waar moeten we beginnen? "
        "(voorbeeldgegevens)",
        situation=Situation(
            domains=tuple(DomainSituation(g.domain_code, "Beschrijving van de situatie "
                                          "(voorbeeldgegevens).") for g in goals),
            zrm_assessment_ids=(latest_zrm.id,) if latest_zrm else ()),
        goals=tuple(goals),
        regisseur_id=workspace.worker.id,
        evaluation_dates=(today + timedelta(days=90), today + timedelta(days=180)),
        resident_view=ResidentView(ResidentAgreement.AKKOORD, "We doen mee."),
        consents=(SharingConsent("Schuldhulp Voorbeeldstad", "Aanmelding schuldhulpverlening",
                                 adults[0].id),),
    )


def fill_demo(workspace: Workspace, households: int = 12, seed: int = 2026) -> int:
    builder = _DemoBuilder(workspace, seed)
    for index in range(households):
        builder.household(index)
    _demo_plans(workspace)
    _demo_casework(workspace)
    return households


def _demo_plans(workspace: Workspace) -> None:
    """Plans for households in the plan, uitvoering and evaluatie stages: one concept, one
    waiting for the coach, the others approved by a (fictitious) demo coach."""
    from wijkteam_app.services.plans import PlanService

    plans = PlanService(workspace)
    wanted = {CaseStatus.PLAN.value, CaseStatus.UITVOERING.value, CaseStatus.EVALUATIE.value}
    targets = [h for h in HouseholdService(workspace).list(limit=100_000)
               if h.case_status in wanted and plans.current(h.id) is None]
    if not targets:
        return
    if not ReferenceService(workspace).server_profile():
        # A local-only trial: a mandate so the demo plans show both sides of the toets.
        # With a server, the municipality's mandates apply.
        plans.set_own_mandate(300_000, frozenset({"L06SB1", "L02BI1", "L01HH1"}))
    coach = _demo_coach(workspace)
    for n, summary in enumerate(targets):
        version = plans.start(summary.id, demo_plan_content(workspace, summary.id))
        if n == 0:
            continue  # stays a concept
        version = plans.submit(version)
        if n == 1:
            continue  # waits for the coach
        me = workspace.worker
        workspace.worker = coach
        try:
            plans.review(version, ReviewOutcome.GOEDKEUREN)
        finally:
            workspace.worker = me


def _demo_coach(workspace: Workspace) -> Worker:
    """The fictitious coach who approved demo plans; made once per case file."""
    username = f"democoach-{workspace.team.id[:8]}"
    with workspace.casefile.read() as session:
        existing = session.scalars(
            select(WorkerRecord).where(WorkerRecord.username == username)).first()
        if existing is not None:
            return repo.worker_from(existing)
    coach = Worker(new_id(), username, "Coach Voorbeeld (demo)", Role.TEAMCOACH,
                   workspace.team.id)
    with workspace.casefile.save(workspace.actor_id, "medewerker.demo", "medewerker",
                                 coach.id) as ctx:
        repo.save_worker(ctx.session, coach)
    return coach


def _demo_casework(workspace: Workspace) -> None:
    """Keukentafel reports, case conferences (one taken into a concept plan), a stuck case
    and a decided one, an overdue evaluation and client-experience answers (issue 13)."""
    from wijkteam_app.domain.client_experience import QUESTIONS, Moment
    from wijkteam_app.domain.conferences import (
        CaseConference,
        ConferenceAgreement,
        ConferenceKind,
        Party,
        PartyKind,
    )
    from wijkteam_app.domain.kitchen_table import (
        IssueMethod,
        KitchenTableContent,
        ReportDraft,
        ReportParticipants,
    )
    from wijkteam_app.services.client_experience import ClientExperienceService
    from wijkteam_app.services.conferences import ConferenceService
    from wijkteam_app.services.kitchen_table import KitchenTableService
    from wijkteam_app.services.plans import PlanService
    from wijkteam_app.services.stuck import StuckService

    households = HouseholdService(workspace)
    today = workspace.today()
    summaries = households.list(limit=100_000)
    overviews = {s.id: households.cases(s.id) for s in summaries}
    open_cases = [(s, overviews[s.id][0].case) for s in summaries if overviews[s.id]
                  and overviews[s.id][0].case.status is not CaseStatus.AANGEMELD]
    reports = KitchenTableService(workspace)
    for summary, case in open_cases:
        if case.status is CaseStatus.KEUKENTAFELGESPREK:
            continue  # the report is not written yet: overdue in the "Te doen" list
        detail = households.get(summary.id)
        adults = [m for m in detail.members if not m.is_minor_on(today)] or list(detail.members)
        held = case.referral_date + timedelta(days=12)
        reports.record(summary.id, case.id, ReportDraft(
            held_on=held, location="bij de inwoner thuis",
            participants=ReportParticipants(tuple(m.id for m in adults),
                                            tuple(n.id for n in detail.network[:1])),
            content=KitchenTableContent(
                situation="De situatie van het huishouden (voorbeeldgegevens).",
                self_=case.quickscan.self_, arrange=case.quickscan.arrange,
                help=case.quickscan.help or "Overzicht krijgen (voorbeeldgegevens).",
                needs="Rust en overzicht.", own_strength="Het huishouden lukt zelf.",
                network="Familie helpt met de post.",
                general_provisions="Formulierenhulp in het wijkcentrum.",
                contribution="Voor maatwerk uit de Wmo geldt het abonnementstarief.",
                outcome="We maken samen een ondersteuningsplan."),
            issued_on=held + timedelta(days=5), issued_how=IssueMethod.MEEGEGEVEN))

    plans = PlanService(workspace)
    conferences = ConferenceService(workspace)
    coach = _demo_coach(workspace)
    meervoudig = [(s, c) for s, c in open_cases if c.complexity is Complexity.MEERVOUDIG]
    concept = next(((s, c) for s, c in open_cases if (v := plans.current(s.id)) is not None
                    and v.status.value == "concept"), None)
    chosen = ([concept] if concept else []) + [x for x in meervoudig if x != concept][:1]
    for n, (summary, case) in enumerate(chosen):
        detail = households.get(summary.id)
        resident = Party(PartyKind.INWONER, detail.members[0].full_name, detail.members[0].id)
        network = [Party(PartyKind.NETWERK, m.name, m.id) for m in detail.network[:1]]
        pros = [Party(PartyKind.PROFESSIONAL, p.name or p.organisation, p.id)
                for p in detail.professionals[:2]]
        me = Party(PartyKind.MEDEWERKER, workspace.worker.display_name, workspace.worker.id)
        held = today - timedelta(days=9 + 20 * n)
        agreements = [ConferenceAgreement(new_id(), "Opent de post elke maandag.", resident,
                                          held + timedelta(days=7))]
        agreements += [ConferenceAgreement(new_id(), "Helpt eens per twee weken met de post.",
                                           p) for p in network]
        agreements += [ConferenceAgreement(new_id(), "Plant een afstemmingsgesprek.", p,
                                           held + timedelta(days=14 + 7 * i), done=i == 1)
                       for i, p in enumerate(pros)]
        kind = ConferenceKind.ZORGOVERLEG if n == 0 else ConferenceKind.EIGEN_KRACHT_CONFERENTIE
        saved = conferences.save(CaseConference(
            new_id(), summary.id, held, kind, workspace.actor_id, case.id,
            participants=(resident, *network, *pros, me),
            reason="Meerdere organisaties betrokken; de hulp sluit niet op elkaar aan "
            "(voorbeeldgegevens).",
            discussion="Eén plan afgesproken; schuldhulp gaat voor (voorbeeldgegevens).",
            agreements=tuple(agreements), casemanager=pros[0] if pros and n == 0 else None))
        version = plans.current(summary.id)
        if version is not None and version.status.value == "concept" and version.content.goals:
            conferences.take_into_plan(saved, [a.id for a in saved.agreements[:2]],
                                       version.content.goals[0].id)

    stuck = StuckService(workspace)
    flaggable = [x for x in meervoudig if x not in chosen] or meervoudig
    if flaggable:
        summary, case = flaggable[0]
        stuck.flag(case, "De woningcorporatie en de schuldhulp wachten op elkaar; niemand "
                   "neemt een besluit over de huurachterstand (voorbeeldgegevens).")
    if len(flaggable) > 1:
        summary, case = flaggable[1]
        old = stuck.flag(case, "Zorgaanbieder heeft een wachtlijst van vier maanden "
                         "(voorbeeldgegevens).")
        me_worker = workspace.worker
        workspace.worker = coach
        try:
            stuck.decide(old, "Overbrugging door de gezinsbegeleider tot de zorg start "
                         "(voorbeeldgegevens).", doorzettingsmacht=True)
        finally:
            workspace.worker = me_worker

    running = [(s, c) for s, c in open_cases if c.status in (CaseStatus.UITVOERING,
                                                             CaseStatus.EVALUATIE)]
    if running:
        _summary, case = running[0]
        households.save_case(replace(case, next_evaluation=today - timedelta(days=10)))
    experiences = ClientExperienceService(workspace)
    for n, (_summary, case) in enumerate(running[:6]):
        scores = {q.code: (None if (n + i) % 7 == 6 else 3 + (n + i) % 3)
                  for i, q in enumerate(QUESTIONS)}
        experiences.record(case.id, Moment.EVALUATIE, scores,
                           "Fijn dat er naar ons geluisterd wordt (voorbeeldgegevens)."
                           if n % 2 == 0 else "")
