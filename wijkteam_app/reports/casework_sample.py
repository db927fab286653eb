"""Fictitious short reports for previews, page images and tests (town "Voorbeeldstad")."""

from __future__ import annotations

from datetime import date

from wijkteam_app.domain.conferences import ConferenceKind
from wijkteam_app.domain.kitchen_table import IssueMethod, KitchenTableContent
from wijkteam_app.reports.casework_documents import (
    ConferenceDocument,
    DocAgreement,
    DocParty,
    KitchenTableDocument,
)

SAMPLE_CONTENT = KitchenTableContent(
    situation="Sandra (41) en Mark (43) wonen met Noor (15) en Daan (10) in een huurhuis. Mark "
    "is sinds een jaar arbeidsongeschikt. Er zijn schulden van ongeveer € 6.800 en er is "
    "veel spanning in huis.",
    self_="De boodschappen en het huishouden lukken goed. Sandra houdt de agenda van de "
    "kinderen bij.",
    arrange="De moeder van Mark wil helpen met de post en past op woensdag op Daan.",
    help="Bij de schulden en de brieven van instanties, en bij de ruzies over de opvoeding.",
    needs="Rust in huis en weer overzicht over geld. Sandra wil graag zelf de regie houden.",
    own_strength="Sandra kan goed plannen als het overzicht er is; Mark kan de dagelijkse "
    "boodschappen doen.",
    network="Ria de Vries (moeder van Mark) helpt eens per twee weken met de post. Buurman "
    "Henk kan rijden.",
    carer_support="Ria is 71 en wil niet meer dan twee dagdelen per week helpen. Zij krijgt "
    "informatie over mantelzorgondersteuning.",
    general_provisions="Formulierenhulp in het wijkcentrum, de cursus Geldfit en de eettafel "
    "op woensdag.",
    coordination="De huisarts begeleidt Noor bij het slapen; afstemming met school via de "
    "intern begeleider.",
    contribution="Voor dagbesteding via de Wmo geldt het abonnementstarief van het CAK. Voor "
    "jeugdhulp is er geen eigen bijdrage.",
    outcome="We maken samen een ondersteuningsplan. Aanmelding bij schuldhulp deze week.",
    resident_remarks="We willen graag dat de hulp voor Noor snel begint.",
)


def sample_kitchen_table() -> KitchenTableDocument:
    return KitchenTableDocument(
        household_name="De Vries",
        address_lines=("Lindelaan 12", "1234 AB Voorbeeldstad"),
        wijk="Noord",
        number=2,
        fingerprint="5d0c2a3b9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b",
        held_on=date(2025, 3, 4),
        location="bij de familie thuis",
        worker_name="Anouk Meijer",
        participants=("Sandra de Vries", "Mark de Vries", "Ria de Vries (moeder van Mark)",
                      "Ellen Vos (cliëntondersteuner MEE)"),
        content=SAMPLE_CONTENT,
        issued_on=date(2025, 3, 11),
        issued_how=IssueMethod.PER_POST,
        document_date=date(2025, 3, 11),
        referral_date=date(2025, 2, 17),
        based_on_number=1,
    )


def sample_conference() -> ConferenceDocument:
    return ConferenceDocument(
        household_name="De Vries",
        address_lines=("Lindelaan 12", "1234 AB Voorbeeldstad"),
        wijk="Noord",
        kind=ConferenceKind.ZORGOVERLEG,
        held_on=date(2025, 4, 8),
        document_date=date(2025, 4, 9),
        recorded_by="Anouk Meijer",
        regisseur_name="Anouk Meijer",
        participants=(
            DocParty("Sandra de Vries", "inwoner"),
            DocParty("Mark de Vries", "inwoner"),
            DocParty("Ria de Vries", "netwerk: moeder van Mark"),
            DocParty("Dr. Peters", "huisarts (Huisartsenpraktijk Lindelaan)"),
            DocParty("Jan Kok", "schuldhulpverlener (Schuldhulp Voorbeeldstad)"),
            DocParty("Anouk Meijer", "wijkteam (regisseur)"),
        ),
        reason="Er zijn zeven organisaties betrokken en de hulp sluit niet op elkaar aan.",
        discussion="We spreken één plan af. Schuldhulp gaat voor; de gezinsbehandeling start "
        "na de zomervakantie. Jan Kok wordt casemanager voor de financiën.",
        agreements=(
            DocAgreement("Alle post in één map en elke maandag openen.", "Sandra de Vries",
                         date(2025, 4, 14), in_plan=True),
            DocAgreement("Eens per twee weken helpen met de post.", "Ria de Vries"),
            DocAgreement("Intake schuldhulp plannen.", "Jan Kok", date(2025, 4, 22),
                         done=True),
            DocAgreement("Noor doorverwijzen naar de praktijkondersteuner jeugd-ggz.",
                         "Dr. Peters", date(2025, 4, 30)),
        ),
        casemanager="Jan Kok (Schuldhulp Voorbeeldstad)",
    )
