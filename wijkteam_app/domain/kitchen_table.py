"""The verslag of the keukentafelgesprek (vraagverheldering), stored as versions.

The conversation at home covers the household's situation, seed 002's three questions
("wat kunt u zelf, wat kunt u zelf regelen, waarbij heeft u hulp nodig?") and the topics of
Wmo 2015 art. 2.3.2 lid 4 (brief §3): needs and preferences; what the resident can do on
eigen kracht or with gebruikelijke hulp; what mantelzorg and the network can do; support the
mantelzorger needs; algemene voorzieningen; coordination with other parties; the expected
eigen bijdrage. The resident gets a written report and may add remarks.

A version is written once, when it is given to the resident (`issued_on`, `issued_how`),
and never changes: a correction is a new version (`new_version`: number + 1, based on the
previous one). While it is being written the form keeps a draft on the laptop. Its
fingerprint (SHA-256 over the canonical JSON of what the resident reads) is printed on
every page, like the plan's.

Pure: no clock, no storage.
"""

from __future__ import annotations

import enum
import hashlib
import json
from dataclasses import dataclass, field, fields
from datetime import date, datetime

from wijkteam_app.domain.plans import to_plain
from wijkteam_app.domain.validation import (
    MAX_NOTE,
    ErrorCode,
    FieldError,
    optional_text,
    past_date,
    required_text,
)

REPORT_FORMAT = "wijkteam-keukentafelverslag/1"
WMO_REPORT_TERM_WEEKS = 6
"""Wmo 2015 art. 2.3.2: the investigation, with its written report to the resident, is done
within six weeks after the melding."""


class IssueMethod(enum.StrEnum):
    """How the report reached the resident."""

    MEEGEGEVEN = "meegegeven"  # handed over at the table or at a next visit
    PER_POST = "per_post"
    PER_EMAIL = "per_email"


@dataclass(frozen=True, slots=True)
class KitchenTableContent:
    """What the report says, in the order of the conversation."""

    situation: str = ""  # the household's situation per life domain, in words
    # Seed 002's three questions, in the resident's own words.
    self_: str = ""  # Wat kunt u zelf?
    arrange: str = ""  # Wat kunt u zelf regelen (met uw netwerk)?
    help: str = ""  # Waarbij heeft u hulp nodig?
    # Wmo 2015 art. 2.3.2 lid 4.
    needs: str = ""  # behoeften, persoonskenmerken en voorkeuren
    own_strength: str = ""  # eigen kracht en gebruikelijke hulp
    network: str = ""  # mantelzorg en hulp uit het sociale netwerk
    carer_support: str = ""  # ondersteuning die de mantelzorger nodig heeft
    general_provisions: str = ""  # algemene (en collectieve) voorzieningen
    coordination: str = ""  # afstemming met zorgverzekeraar, Wlz, jeugd, onderwijs, werk/inkomen
    contribution: str = ""  # de te verwachten eigen bijdrage
    outcome: str = ""  # uitkomst en vervolgafspraken
    resident_remarks: str = ""  # opmerkingen van de inwoner bij het verslag


TOPIC_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(KitchenTableContent))
WMO_TOPICS: tuple[str, ...] = ("needs", "own_strength", "network", "carer_support",
                               "general_provisions", "coordination", "contribution")
THREE_QUESTIONS: tuple[str, ...] = ("self_", "arrange", "help")


@dataclass(frozen=True, slots=True)
class ReportParticipants:
    person_ids: tuple[str, ...] = ()
    network_member_ids: tuple[str, ...] = ()
    others: str = ""  # e.g. "cliëntondersteuner MEE", "tolk"


@dataclass(frozen=True, slots=True)
class KitchenTableReport:
    id: str
    household_id: str
    case_id: str
    number: int
    held_on: date
    location: str
    participants: ReportParticipants
    content: KitchenTableContent
    created_at: datetime
    created_by: str
    issued_on: date
    issued_how: IssueMethod
    based_on_id: str | None = None
    version: int = 0  # storage counter


def canonical_json(report: KitchenTableReport) -> str:
    """What the fingerprint covers: everything the resident reads, not the storage fields."""
    document = {
        "format": REPORT_FORMAT,
        "number": report.number,
        "held_on": report.held_on.isoformat(),
        "location": report.location,
        "participants": to_plain(report.participants),
        "content": to_plain(report.content),
        "issued_on": report.issued_on.isoformat(),
        "issued_how": report.issued_how.value,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def fingerprint(report: KitchenTableReport) -> str:
    return hashlib.sha256(canonical_json(report).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class ReportReferences:
    person_ids: frozenset[str] | None = None
    network_member_ids: frozenset[str] | None = None
    referral_date: date | None = None


def validate_report(report: KitchenTableReport, today: date,
                    refs: ReportReferences | None = None) -> list[FieldError]:
    """Codes per field:

    - ``held_on``: REQUIRED / DATE_IN_FUTURE / DATE_TOO_OLD; DATE_ORDER before the aanmelding
    - ``issued_on``: REQUIRED / DATE_IN_FUTURE; DATE_ORDER before the conversation
    - ``participants``: REQUIRED (no member of the household); ``participants.person_ids.<i>``
      and ``.network_member_ids.<i>``: UNKNOWN_REFERENCE / DUPLICATE; ``.others`` TOO_LONG
    - ``location``: TOO_LONG
    - ``content.help`` REQUIRED (what the resident asks help with is the point of the
      report); every ``content.<topic>`` TOO_LONG
    """
    r = refs or ReportReferences()
    errors: list[FieldError] = []
    past_date(errors, "held_on", report.held_on, today)
    if (r.referral_date is not None and report.held_on is not None
            and report.held_on < r.referral_date):
        errors.append(FieldError("held_on", ErrorCode.DATE_ORDER))
    past_date(errors, "issued_on", report.issued_on, today)
    if (report.issued_on is not None and report.held_on is not None
            and report.issued_on < report.held_on):
        errors.append(FieldError("issued_on", ErrorCode.DATE_ORDER))
    optional_text(errors, "location", report.location)
    parts = report.participants
    if not parts.person_ids:
        errors.append(FieldError("participants", ErrorCode.REQUIRED))
    for name, known in (("person_ids", r.person_ids),
                        ("network_member_ids", r.network_member_ids)):
        seen: set[str] = set()
        for i, value in enumerate(getattr(parts, name)):
            path = f"participants.{name}.{i}"
            if known is not None and value not in known:
                errors.append(FieldError(path, ErrorCode.UNKNOWN_REFERENCE))
            if value in seen:
                errors.append(FieldError(path, ErrorCode.DUPLICATE))
            seen.add(value)
    optional_text(errors, "participants.others", parts.others, MAX_NOTE)
    for name in TOPIC_FIELDS:
        value = getattr(report.content, name)
        if name == "help":
            required_text(errors, f"content.{name}", value, MAX_NOTE)
        else:
            optional_text(errors, f"content.{name}", value, MAX_NOTE)
    return errors


def next_number(existing: list[KitchenTableReport] | tuple[KitchenTableReport, ...]) -> int:
    return max((r.number for r in existing), default=0) + 1


@dataclass(frozen=True, slots=True)
class ReportDraft:
    """What the form hands over; the service adds number, ids and times."""

    held_on: date
    location: str
    participants: ReportParticipants
    content: KitchenTableContent
    issued_on: date
    issued_how: IssueMethod = IssueMethod.MEEGEGEVEN
    based_on_id: str | None = field(default=None)
