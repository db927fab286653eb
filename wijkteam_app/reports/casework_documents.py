"""The plain input of the short reports: the verslag of the keukentafelgesprek and the
report of a case conference. Every name is resolved by the service; the renderers
(`casework_pdf`) only lay them out. Texts are what the resident reads, so they are Dutch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from wijkteam_app.domain.conferences import ConferenceKind
from wijkteam_app.domain.kitchen_table import IssueMethod, KitchenTableContent


@dataclass(frozen=True, slots=True)
class DocParty:
    name: str
    role: str  # e.g. "inwoner", "netwerk: buurvrouw", "huisarts", "wijkteam"


@dataclass(frozen=True, slots=True)
class DocAgreement:
    what: str
    who: str
    due: date | None = None
    done: bool = False
    in_plan: bool = False


@dataclass(frozen=True, slots=True)
class ConferenceDocument:
    household_name: str
    address_lines: tuple[str, ...]
    wijk: str
    kind: ConferenceKind
    held_on: date
    document_date: date
    recorded_by: str
    regisseur_name: str = ""
    participants: tuple[DocParty, ...] = ()
    reason: str = ""
    discussion: str = ""
    agreements: tuple[DocAgreement, ...] = ()
    casemanager: str = ""  # "Name (organisation)"; empty when none was appointed


@dataclass(frozen=True, slots=True)
class KitchenTableDocument:
    household_name: str
    address_lines: tuple[str, ...]
    wijk: str
    number: int
    fingerprint: str
    held_on: date
    location: str
    worker_name: str
    participants: tuple[str, ...]
    content: KitchenTableContent
    issued_on: date
    issued_how: IssueMethod
    document_date: date
    referral_date: date | None = None
    based_on_number: int | None = None
