"""The plain input of the plan PDF: every name already resolved, nothing to look up.

The service that renders a plan builds a `PlanDocument` from the stored version, the
household, the assessments, the sociale kaart and the code lists; the renderer only lays it
out. Keeping this a DTO keeps the renderer free of storage and easy to test and benchmark.
Texts are what the resident reads, so they are Dutch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from wijkteam_app.domain.plans import GoalResult, Horizon, PlanStatus, ResidentAgreement

DEFAULT_EVALUATION_METHOD = (
    "Bij elke evaluatie bespreken we samen per doel wat gelukt is. We vullen opnieuw de "
    "Zelfredzaamheid-Matrix in en kijken opnieuw naar de participatieladder, zodat we kunnen "
    "zien hoe het huishouden vooruitgaat."
)


@dataclass(frozen=True, slots=True)
class ReportSettings:
    municipality_name: str
    logo_path: Path | None = None
    show_bsn: bool = False  # the BSN is printed only when a setting explicitly asks for it
    author: str = ""  # document metadata: the worker or team that produced the PDF


@dataclass(frozen=True, slots=True)
class DocPerson:
    name: str
    role: str  # e.g. "hoofdbewoner", "kind"
    age: int | None = None
    birth_date: date | None = None
    bsn: str = ""  # printed only with ReportSettings.show_bsn


@dataclass(frozen=True, slots=True)
class DocNetworkMember:
    name: str
    relation: str
    support: str = ""


@dataclass(frozen=True, slots=True)
class DocProfessional:
    organisation: str
    name: str = ""
    discipline: str = ""
    contact: str = ""


@dataclass(frozen=True, slots=True)
class DocDomainSituation:
    domain_name: str
    text: str


@dataclass(frozen=True, slots=True)
class DocNetworkTask:
    member_name: str
    task: str


@dataclass(frozen=True, slots=True)
class DocProvisionUse:
    name: str
    provider: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class DocProfessionalSupport:
    product_code: str
    product_name: str
    provider: str
    volume: int
    unit_name: str  # e.g. "uur"
    frequency_name: str  # e.g. "per week"
    start: date
    end: date
    cost_cents: int
    within_mandate: bool = True


@dataclass(frozen=True, slots=True)
class DocEvaluation:
    result: GoalResult
    note: str = ""
    evaluated_on: date | None = None


@dataclass(frozen=True, slots=True)
class DocGoal:
    domain_name: str
    description: str
    current_level: int
    target_level: int
    horizon: Horizon
    zelf: str = ""
    netwerk: tuple[DocNetworkTask, ...] = ()
    voorzieningen: tuple[DocProvisionUse, ...] = ()
    professioneel: tuple[DocProfessionalSupport, ...] = ()
    evaluation: DocEvaluation | None = None
    for_whom: tuple[str, ...] = ()  # names; empty: the household as a whole


@dataclass(frozen=True, slots=True)
class DocZrmScore:
    domain_name: str
    current: int | None  # None: niet besproken
    target: int | None = None


@dataclass(frozen=True, slots=True)
class DocZrm:
    person_name: str  # or the household's name for ZRM-Huishoudens
    definition_name: str
    definition_version: str
    assessed_on: date
    scores: tuple[DocZrmScore, ...]
    level_names: tuple[tuple[int, str], ...] = ()  # (1, "Acute problematiek"), ...


@dataclass(frozen=True, slots=True)
class DocLadder:
    person_name: str
    actual: int
    actual_name: str
    potential: int | None = None
    potential_name: str = ""
    horizon: date | None = None
    assessed_on: date | None = None


@dataclass(frozen=True, slots=True)
class DocToets:
    toetser_name: str
    decided_on: date
    positive: bool
    note: str = ""


@dataclass(frozen=True, slots=True)
class DocConsent:
    recipient: str
    purpose: str
    given_by: str


@dataclass(frozen=True, slots=True)
class DocSigner:
    name: str
    role: str  # e.g. "inwoner", "ouder met gezag", "jeugdige (15 jaar)", "regisseur"
    professional: bool = False


@dataclass(frozen=True, slots=True)
class PlanDocument:
    household_name: str
    address_lines: tuple[str, ...]
    wijk: str
    version_number: int
    status: PlanStatus
    fingerprint: str  # full SHA-256 hex of the content; the first 12 go on every page
    document_date: date  # the date printed on the plan (never "today" inside the renderer)
    regisseur_name: str
    question: str
    persons: tuple[DocPerson, ...] = ()
    participants: tuple[str, ...] = ()  # names of those who took part, incl. free text
    network: tuple[DocNetworkMember, ...] = ()
    professionals: tuple[DocProfessional, ...] = ()
    regisseur_role: str = "regisseur"
    situation: tuple[DocDomainSituation, ...] = ()
    zrm: tuple[DocZrm, ...] = ()
    ladder: tuple[DocLadder, ...] = ()
    goals: tuple[DocGoal, ...] = ()
    toets_needed: bool = False
    toets: DocToets | None = None
    evaluation_dates: tuple[date, ...] = ()
    evaluation_method: str = DEFAULT_EVALUATION_METHOD
    resident_agreement: ResidentAgreement | None = None
    resident_words: str = ""
    consents: tuple[DocConsent, ...] = ()
    signers: tuple[DocSigner, ...] = ()
