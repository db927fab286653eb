"""A fictitious plan for previews, page images, tests and the benchmark.

Everything here is invented (household, people, providers, amounts; town "Voorbeeldstad").
`sample_plan()` returns both the domain content (so the fingerprint is real) and the
`PlanDocument` the renderer takes. `extra_goals` repeats goals to make a longer document.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from wijkteam_app.domain.plans import (
    DomainSituation,
    EigenBijdrage,
    Financing,
    Goal,
    Horizon,
    NetworkAgreement,
    OtherAgreement,
    Participants,
    PlanContent,
    PlanStatus,
    ProfessionalSupport,
    ProvisionAgreement,
    ResidentAgreement,
    ResidentView,
    SharingConsent,
    Situation,
    fingerprint,
)
from wijkteam_app.reports.document import (
    DocConsent,
    DocDomainSituation,
    DocGoal,
    DocLadder,
    DocNetworkMember,
    DocNetworkTask,
    DocOtherAgreement,
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

SAMPLE_SETTINGS = ReportSettings(municipality_name="Gemeente Voorbeeldstad",
                                 author="Sociaal wijkteam Noord")
SAMPLE_BSN = "999990019"  # a test number (999900006-999999990), never a real person

ZRM_LEVELS = (
    (1, "Acute problematiek"), (2, "Niet zelfredzaam"), (3, "Beperkt zelfredzaam"),
    (4, "Voldoende zelfredzaam"), (5, "Volledig zelfredzaam"),
)
DOMAINS = {
    "financien": "Financiën", "werk_opleiding": "Werk & opleiding",
    "tijdsbesteding": "Tijdsbesteding", "huisvesting": "Huisvesting",
    "huiselijke_relaties": "Huiselijke relaties",
    "geestelijke_gezondheid": "Geestelijke gezondheid",
    "lichamelijke_gezondheid": "Lichamelijke gezondheid", "middelengebruik": "Middelengebruik",
    "basale_adl": "Basale ADL", "instrumentele_adl": "Instrumentele ADL",
    "sociaal_netwerk": "Sociaal netwerk",
    "maatschappelijke_participatie": "Maatschappelijke participatie", "justitie": "Justitie",
}
NETWORK = {"nw-oma": "Ria de Vries", "nw-buurman": "Henk Bakker", "nw-vriendin": "Fatima Yilmaz"}
PROVISIONS = {
    "vk-formulierenhulp": ("Formulierenbrigade", "Vrijwilligerscentrale Voorbeeldstad"),
    "vk-geldfit": ("Cursus Grip op je geld", "Bibliotheek Voorbeeldstad"),
    "vk-opvoedpunt": ("Opvoedspreekuur", "Jeugdgezondheidszorg Voorbeeldstad"),
    "vk-maatjes": ("Maatjesproject Samen Sterk", "Vrijwilligerscentrale Voorbeeldstad"),
    "vk-buurthuis-noord": ("Wijkcentrum Noorderlicht: activiteiten en eettafel",
                           "Stichting Welzijn Voorbeeldstad"),
}
UNITS = {"04": "uur", "16": "dagdeel (4 uur)", "14": "etmaal"}
FREQUENCIES = {"2": "per week", "4": "per maand", "6": "totaal binnen geldigheidsduur"}
MANDATED = frozenset({"L06SB1", "L02BI1", "L01HH1"})


def _goals() -> tuple[Goal, ...]:
    return (
        Goal("doel-1", "financien", "Sandra en Mark hebben binnen drie maanden overzicht over "
             "alle schulden en er komen geen nieuwe betalingsachterstanden bij.", 2, 4,
             Horizon.DRIE_MAANDEN,
             zelf="Sandra verzamelt alle post en rekeningen in één map en opent de post elke "
             "maandag samen met Mark.",
             netwerk=(NetworkAgreement("nw-oma", "Helpt eens per twee weken bij het sorteren "
                                                 "van de post."),),
             voorzieningen=(ProvisionAgreement("vk-formulierenhulp", "Toeslagen controleren."),
                            ProvisionAgreement("vk-geldfit", "Sandra volgt de cursus in het "
                                               "voorjaar.")),
             professioneel=(ProfessionalSupport("L06SB1", "Schuldhulpverlening en "
                                                "budgetbegeleiding", "Schuldhulp Voorbeeldstad",
                                                24, "04", "6", date(2025, 4, 1),
                                                date(2025, 9, 30), 139200,
                                                Financing.ZORG_IN_NATURA,
                                                EigenBijdrage.GEEN),)),
        Goal("doel-2", "huiselijke_relaties", "Er is thuis minder ruzie over de opvoeding; "
             "Sandra en Mark maken samen afspraken over bedtijden en schermtijd.", 2, 4,
             Horizon.DRIE_MAANDEN,
             zelf="Sandra en Mark houden elke zondagavond een kort gezinsoverleg.",
             netwerk=(NetworkAgreement("nw-oma", "Past op woensdagmiddag op Daan, zodat "
                                                 "Sandra en Mark tijd voor elkaar hebben."),),
             voorzieningen=(ProvisionAgreement("vk-opvoedpunt"),),
             professioneel=(ProfessionalSupport("L45JA2", "Jeugdhulp ambulant "
                                                "gezinsbehandeling", "Jeugdhulp Voorbeeldstad",
                                                30, "04", "6", date(2025, 4, 15),
                                                date(2025, 10, 15), 267000,
                                                Financing.ZORG_IN_NATURA,
                                                EigenBijdrage.GEEN),)),
        Goal("doel-3", "tijdsbesteding", "Mark heeft een vaste dagbesteding van twee dagdelen "
             "per week en voelt zich daardoor rustiger.", 2, 3, Horizon.EERSTE_STAP,
             zelf="Mark bezoekt samen met de wijkwerker twee dagbestedingslocaties en kiest er "
             "één.",
             netwerk=(NetworkAgreement("nw-buurman", "Rijdt de eerste vier weken mee naar de "
                                                     "dagbesteding."),),
             professioneel=(ProfessionalSupport("L07DB1", "Dagbesteding",
                                                "Stichting Zorgboerderij De Boomgaard", 2, "16",
                                                "2", date(2025, 5, 1), date(2026, 4, 30),
                                                582400, Financing.PGB,
                                                EigenBijdrage.ABONNEMENTSTARIEF),)),
        Goal("doel-4", "sociaal_netwerk", "Sandra heeft minstens één vaste activiteit buiten "
             "huis en kent drie mensen in de wijk bij naam.", 2, 4, Horizon.EEN_JAAR,
             zelf="Sandra gaat elke woensdag naar de eettafel in het wijkcentrum.",
             netwerk=(NetworkAgreement("nw-vriendin", "Gaat de eerste keren mee naar de "
                                                      "eettafel."),),
             voorzieningen=(ProvisionAgreement("vk-buurthuis-noord"),
                            ProvisionAgreement("vk-maatjes", "Aanmelding via de wijkwerker.")),
             ),
        Goal("doel-5", "geestelijke_gezondheid", "Noor (15) slaapt weer normaal en gaat elke "
             "dag naar school.", 3, 4, Horizon.DRIE_MAANDEN,
             zelf="Noor legt haar telefoon om 22.00 uur beneden.",
             netwerk=(NetworkAgreement("nw-vriendin", "Fatima's dochter fietst 's ochtends "
                                                      "samen met Noor naar school."),),
             professioneel=(ProfessionalSupport("L02BI1", "Begeleiding individueel",
                                                "Zorggroep De Brug", 2, "04", "2",
                                                date(2025, 4, 1), date(2025, 6, 30), 161200,
                                                Financing.VOUCHER,
                                                EigenBijdrage.ABONNEMENTSTARIEF),),
             afspraken=(OtherAgreement("Huisarts Dr. Peters", "Verwijst Noor naar de "
                                       "praktijkondersteuner jeugd-ggz.", date(2025, 4, 15)),)),
    )


def sample_content(extra_goals: int = 0) -> PlanContent:
    goals = list(_goals())
    base = list(goals)
    for i in range(extra_goals):
        template = base[i % len(base)]
        goals.append(Goal(f"extra-{i + 1}", template.domain_code, template.description,
                          template.current_level, template.target_level, template.horizon,
                          template.zelf, template.netwerk, template.voorzieningen,
                          template.professioneel, template.afspraken))
    return PlanContent(
        participants=Participants(person_ids=("p-sandra", "p-mark", "p-noor"),
                                  network_member_ids=("nw-oma",),
                                  others="cliëntondersteuner MEE (Ellen Vos)"),
        question="We willen weer rust in huis. De rekeningen groeien ons boven het hoofd en "
        "we maken steeds ruzie. Mark zit de hele dag thuis en Noor slaapt slecht. We willen "
        "weten waar we moeten beginnen.",
        situation=Situation(
            domains=(
                DomainSituation("financien", "Er zijn schulden bij de energieleverancier en "
                                "de zorgverzekeraar (samen ongeveer € 6.800). Post blijft vaak "
                                "ongeopend."),
                DomainSituation("huiselijke_relaties", "Veel spanning tussen Sandra en Mark "
                                "over geld en opvoeding. De kinderen merken dat."),
                DomainSituation("tijdsbesteding", "Mark is sinds een jaar arbeidsongeschikt "
                                "en heeft geen vaste dagritme."),
                DomainSituation("sociaal_netwerk", "Sandra heeft weinig contact buiten het "
                                "gezin; de moeder van Mark helpt wel."),
                DomainSituation("geestelijke_gezondheid", "Noor slaapt slecht en verzuimt "
                                "soms van school."),
            ),
            zrm_assessment_ids=("zrm-sandra", "zrm-mark"),
            ladder_assessment_ids=("ladder-mark",),
        ),
        goals=tuple(goals),
        regisseur_id="w-anouk",
        evaluation_dates=(date(2025, 7, 1), date(2025, 10, 1)),
        resident_view=ResidentView(ResidentAgreement.AKKOORD_ONDER_PROTEST,
                                   "We zijn het eens met het plan, maar we vinden het jammer "
                                   "dat de dagbesteding pas in mei begint."),
        consents=(
            SharingConsent("Schuldhulp Voorbeeldstad", "Aanmelding schuldhulpverlening",
                           "p-sandra"),
            SharingConsent("Huisarts Dr. Peters", "Afstemming over de slaapproblemen van Noor",
                           "p-mark"),
        ),
    )


def _support(s: ProfessionalSupport) -> DocProfessionalSupport:
    return DocProfessionalSupport(
        s.product_code, s.product_name, s.provider, s.volume, UNITS[s.unit_code],
        FREQUENCIES[s.frequency_code], s.start, s.end, s.cost_cents,
        within_mandate=s.product_code in MANDATED, financing=s.financing,
        delivery_form=s.financing.leveringsvorm if s.financing else "",
        eigen_bijdrage=s.eigen_bijdrage,
    )


def _doc_goal(goal: Goal) -> DocGoal:
    return DocGoal(
        domain_name=DOMAINS[goal.domain_code],
        description=goal.description,
        current_level=goal.current_level,
        target_level=goal.target_level,
        horizon=goal.horizon,
        zelf=goal.zelf,
        netwerk=tuple(DocNetworkTask(NETWORK[a.network_member_id], a.task) for a in goal.netwerk),
        voorzieningen=tuple(DocProvisionUse(*PROVISIONS[p.provision_id], note=p.note)
                            for p in goal.voorzieningen),
        professioneel=tuple(_support(s) for s in goal.professioneel),
        afspraken=tuple(DocOtherAgreement(a.who, a.what, a.due) for a in goal.afspraken),
    )


def _zrm(person: str, assessed: date, scores: dict[str, tuple[int | None, int | None]]) -> DocZrm:
    return DocZrm(person, "ZRM 2017", "2017", assessed,
                  tuple(DocZrmScore(DOMAINS[code], *scores.get(code, (None, None)))
                        for code in DOMAINS), ZRM_LEVELS)


@dataclass(frozen=True, slots=True)
class SamplePlan:
    content: PlanContent
    document: PlanDocument
    settings: ReportSettings


def sample_plan(extra_goals: int = 0, status: PlanStatus = PlanStatus.TER_ONDERTEKENING,
                version_number: int = 2) -> SamplePlan:
    content = sample_content(extra_goals)
    print_day = date(2025, 3, 24)
    document = PlanDocument(
        household_name="De Vries",
        address_lines=("Lindelaan 12", "1234 AB Voorbeeldstad"),
        wijk="Noord",
        version_number=version_number,
        status=status,
        fingerprint=fingerprint(content),
        document_date=print_day,
        regisseur_name="Anouk Meijer",
        regisseur_role="wijkwerker, sociaal wijkteam Noord",
        question=content.question,
        persons=(
            DocPerson("Sandra de Vries", "hoofdbewoner", 41, date(1983, 6, 2), SAMPLE_BSN),
            DocPerson("Mark de Vries", "partner", 43, date(1981, 11, 20)),
            DocPerson("Noor de Vries", "kind", 15, date(2009, 9, 14)),
            DocPerson("Daan de Vries", "kind", 10, date(2014, 5, 3)),
        ),
        participants=("Sandra de Vries", "Mark de Vries", "Noor de Vries",
                      "Ria de Vries (moeder van Mark)", "Ellen Vos (cliëntondersteuner MEE)",
                      "Anouk Meijer (wijkwerker)"),
        network=(
            DocNetworkMember("Ria de Vries", "moeder van Mark", "Oppas op woensdag, helpt met "
                             "de post."),
            DocNetworkMember("Henk Bakker", "buurman", "Kan rijden naar de dagbesteding."),
            DocNetworkMember("Fatima Yilmaz", "vriendin van Sandra", "Gaat mee naar "
                             "activiteiten in de wijk."),
        ),
        professionals=(
            DocProfessional("Sociaal wijkteam Noord", "Anouk Meijer", "wijkwerker (regisseur)",
                            "06-00000000"),
            DocProfessional("Huisartsenpraktijk Lindelaan", "Dr. Peters", "huisarts"),
            DocProfessional("MEE Voorbeeldstad", "Ellen Vos", "cliëntondersteuner"),
        ),
        situation=tuple(DocDomainSituation(DOMAINS[d.domain_code], d.text)
                        for d in content.situation.domains),
        zrm=(
            _zrm("Sandra de Vries", date(2025, 3, 10), {
                "financien": (2, 4), "werk_opleiding": (3, 3), "tijdsbesteding": (3, 4),
                "huisvesting": (4, 4), "huiselijke_relaties": (2, 4),
                "geestelijke_gezondheid": (3, 4), "lichamelijke_gezondheid": (4, 4),
                "middelengebruik": (5, 5), "basale_adl": (5, 5), "instrumentele_adl": (3, 4),
                "sociaal_netwerk": (2, 4), "maatschappelijke_participatie": (2, 3),
                "justitie": (5, 5)}),
            _zrm("Mark de Vries", date(2025, 3, 10), {
                "financien": (2, 4), "werk_opleiding": (2, 3), "tijdsbesteding": (2, 3),
                "huisvesting": (4, 4), "huiselijke_relaties": (2, 4),
                "geestelijke_gezondheid": (3, 4), "lichamelijke_gezondheid": (3, 3),
                "middelengebruik": (4, 4), "basale_adl": (5, 5), "instrumentele_adl": (4, 4),
                "sociaal_netwerk": (3, 4), "maatschappelijke_participatie": (2, 3)}),
        ),
        ladder=(
            DocLadder("Mark de Vries", 1, "Geïsoleerd", 3,
                      "Deelname aan georganiseerde activiteiten", date(2026, 3, 1),
                      date(2025, 3, 10)),
            DocLadder("Sandra de Vries", 2, "Sociale contacten buitenshuis", 3,
                      "Deelname aan georganiseerde activiteiten", date(2026, 3, 1),
                      date(2025, 3, 10)),
        ),
        goals=tuple(_doc_goal(g) for g in content.goals),
        toets_needed=True,
        toets=DocToets("Jeroen Smit (gemeente Voorbeeldstad)", date(2025, 3, 20), True,
                       "Dagbesteding en gezinsbehandeling akkoord voor de genoemde periode."),
        evaluation_dates=content.evaluation_dates,
        resident_agreement=content.resident_view.agreement,
        resident_words=content.resident_view.own_words,
        consents=(
            DocConsent("Schuldhulp Voorbeeldstad", "Aanmelding schuldhulpverlening",
                       "Sandra de Vries"),
            DocConsent("Huisarts Dr. Peters", "Afstemming over de slaapproblemen van Noor",
                       "Mark de Vries"),
        ),
        signers=(
            DocSigner("Sandra de Vries", "inwoner; ouder met gezag over Noor en Daan"),
            DocSigner("Mark de Vries", "inwoner; ouder met gezag over Noor en Daan"),
            DocSigner("Noor de Vries", "jeugdige (15 jaar), tekent samen met haar ouders"),
            DocSigner("Anouk Meijer", "regisseur, sociaal wijkteam Noord", professional=True),
        ),
    )
    return SamplePlan(content, document, SAMPLE_SETTINGS)
