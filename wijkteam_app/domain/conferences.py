"""Case conferences: a multidisciplinair overleg, zorgoverleg or eigen-kracht-conferentie
about one household (seeds 000 and 002).

Seed 000: with multiple, intertwined problems the workers meet with partners and the client
system in a *zorgoverleg*, which appoints an (independent) casemanager; in the networks
"gezamenlijk wordt afgesproken wie wat doet (één systeem, één plan)". Seed 002: the sociale
makelaar may call a *multidisciplinair overleg* around a family, with the resident and the
most important people around them, and organises *eigen kracht conferenties* to strengthen
the network.

A conference records the date, the kind, who took part (household members, network members,
professionals, workers of the team, others by name), what it was about, the agreements (who
does what, by when), and the casemanager where one was named. Agreements can be taken into
the ondersteuningsplan (`agreements_into_goal`): the resident's own in "zelf", a network
member's in "netwerk", everybody else's as an `OtherAgreement` of the goal.

Pure: no clock, no storage; validation returns `FieldError`s.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from wijkteam_app.domain.plans import Goal, NetworkAgreement, OtherAgreement
from wijkteam_app.domain.validation import (
    MAX_NOTE,
    ErrorCode,
    FieldError,
    optional_text,
    past_date,
    required_text,
)


class ConferenceKind(enum.StrEnum):
    MULTIDISCIPLINAIR_OVERLEG = "multidisciplinair_overleg"
    ZORGOVERLEG = "zorgoverleg"
    EIGEN_KRACHT_CONFERENTIE = "eigen_kracht_conferentie"


class PartyKind(enum.StrEnum):
    """Who someone at the table is, in the eigen-kracht order."""

    INWONER = "inwoner"  # a member of the household
    NETWERK = "netwerk"  # one of the household's network
    PROFESSIONAL = "professional"  # a professional involved with the household
    MEDEWERKER = "medewerker"  # a worker of the wijkteam
    ANDERS = "anders"  # anybody else, by name only


CASEMANAGER_KINDS = frozenset({PartyKind.PROFESSIONAL, PartyKind.MEDEWERKER, PartyKind.ANDERS})
"""A casemanager is a professional (seed 000: "de betrokken hulpverleners bepalen onderling
... wie het casemanagement voert"), never the resident or their network."""


@dataclass(frozen=True, slots=True)
class Party:
    """Someone taking part or agreeing to something. `ref_id` points at the person, network
    member, professional or worker (None for ANDERS); `name` is kept as it was, so the
    report still reads right when that record changes later."""

    kind: PartyKind
    name: str
    ref_id: str | None = None


@dataclass(frozen=True, slots=True)
class ConferenceAgreement:
    """Who does what, by when. `plan_goal_id` is set once it was taken into the plan."""

    id: str
    what: str
    who: Party
    due: date | None = None
    done: bool = False
    plan_goal_id: str | None = None


@dataclass(frozen=True, slots=True)
class CaseConference:
    id: str
    household_id: str
    held_on: date
    kind: ConferenceKind
    recorded_by: str
    case_id: str | None = None
    participants: tuple[Party, ...] = ()
    reason: str = ""  # aanleiding: why the conference was held
    discussion: str = ""  # what was discussed and concluded
    agreements: tuple[ConferenceAgreement, ...] = ()
    casemanager: Party | None = None
    version: int = 0

    @property
    def resident_present(self) -> bool:
        return any(p.kind is PartyKind.INWONER for p in self.participants)

    def open_agreements(self) -> tuple[ConferenceAgreement, ...]:
        """Agreements not yet done."""
        return tuple(a for a in self.agreements if not a.done)


@dataclass(frozen=True, slots=True)
class ConferenceReferences:
    """Known ids per party kind; None means "do not check"."""

    person_ids: Collection[str] | None = None
    network_member_ids: Collection[str] | None = None
    professional_ids: Collection[str] | None = None
    worker_ids: Collection[str] | None = None

    def known(self, kind: PartyKind) -> Collection[str] | None:
        return {
            PartyKind.INWONER: self.person_ids,
            PartyKind.NETWERK: self.network_member_ids,
            PartyKind.PROFESSIONAL: self.professional_ids,
            PartyKind.MEDEWERKER: self.worker_ids,
        }.get(kind)


def _party(errors: list[FieldError], path: str, party: Party,
           refs: ConferenceReferences) -> None:
    required_text(errors, f"{path}.name", party.name)
    if party.kind is PartyKind.ANDERS:
        return
    known = refs.known(party.kind)
    if not party.ref_id:
        errors.append(FieldError(f"{path}.ref_id", ErrorCode.REQUIRED))
    elif known is not None and party.ref_id not in known:
        errors.append(FieldError(f"{path}.ref_id", ErrorCode.UNKNOWN_REFERENCE))


def _party_key(party: Party) -> tuple[str, str]:
    return (party.kind.value, party.ref_id or party.name.strip().casefold())


def validate_conference(conference: CaseConference, today: date,
                        refs: ConferenceReferences | None = None) -> list[FieldError]:
    """Codes per field:

    - ``held_on``: REQUIRED / DATE_IN_FUTURE / DATE_TOO_OLD (a conference that took place)
    - ``participants``: REQUIRED (nobody); RESIDENT_REQUIRED for an eigen-kracht-conferentie
      without a member of the household (it is the household's own meeting)
    - ``participants.<i>.name`` REQUIRED; ``.ref_id`` REQUIRED / UNKNOWN_REFERENCE; a second
      entry for the same party: ``participants.<i>`` DUPLICATE
    - ``reason``, ``discussion``: TOO_LONG
    - ``agreements.<i>.what`` REQUIRED / TOO_LONG; ``.who.*`` as a participant;
      ``.due`` DATE_ORDER when before the conference
    - ``casemanager.*`` as a participant; ``casemanager.kind`` NOT_APPLICABLE for the
      resident or a network member
    """
    r = refs or ConferenceReferences()
    errors: list[FieldError] = []
    past_date(errors, "held_on", conference.held_on, today)
    if not conference.participants:
        errors.append(FieldError("participants", ErrorCode.REQUIRED))
    elif (conference.kind is ConferenceKind.EIGEN_KRACHT_CONFERENTIE
          and not conference.resident_present):
        errors.append(FieldError("participants", ErrorCode.RESIDENT_REQUIRED))
    seen: set[tuple[str, str]] = set()
    for i, party in enumerate(conference.participants):
        _party(errors, f"participants.{i}", party, r)
        key = _party_key(party)
        if key in seen:
            errors.append(FieldError(f"participants.{i}", ErrorCode.DUPLICATE))
        seen.add(key)
    optional_text(errors, "reason", conference.reason, MAX_NOTE)
    optional_text(errors, "discussion", conference.discussion, MAX_NOTE)
    ids: set[str] = set()
    for i, agreement in enumerate(conference.agreements):
        path = f"agreements.{i}"
        if not agreement.id.strip() or agreement.id in ids:
            errors.append(FieldError(f"{path}.id", ErrorCode.DUPLICATE))
        ids.add(agreement.id)
        required_text(errors, f"{path}.what", agreement.what, MAX_NOTE)
        _party(errors, f"{path}.who", agreement.who, r)
        if agreement.due is not None and conference.held_on is not None \
                and agreement.due < conference.held_on:
            errors.append(FieldError(f"{path}.due", ErrorCode.DATE_ORDER))
    if conference.casemanager is not None:
        _party(errors, "casemanager", conference.casemanager, r)
        if conference.casemanager.kind not in CASEMANAGER_KINDS:
            errors.append(FieldError("casemanager.kind", ErrorCode.NOT_APPLICABLE))
    return errors


# --- into the plan -------------------------------------------------------------------------


def agreements_into_goal(goal: Goal, agreements: Iterable[ConferenceAgreement],
                         network_member_ids: Collection[str],
                         due_text: Callable[[date], str]) -> Goal:
    """The goal with these agreements added in the eigen-kracht order: the resident's own
    to "zelf", a network member's (of this household) to "netwerk" (added to an existing
    task of that member), anybody else's as an `OtherAgreement` (who, what, by when).

    `due_text` words a deadline for the free-text parts (zelf, netwerk), e.g.
    ``lambda d: f"uiterlijk {d:%d-%m-%Y}"``; the caller owns the wording.
    """
    zelf = goal.zelf.strip()
    netwerk = list(goal.netwerk)
    others = list(goal.afspraken)
    for agreement in agreements:
        what = agreement.what.strip()
        worded = f"{what} ({due_text(agreement.due)})" if agreement.due else what
        who = agreement.who
        if who.kind is PartyKind.INWONER:
            zelf = f"{zelf}\n{worded}" if zelf else worded
        elif who.kind is PartyKind.NETWERK and who.ref_id in network_member_ids:
            for n, existing in enumerate(netwerk):
                if existing.network_member_id == who.ref_id:
                    netwerk[n] = NetworkAgreement(who.ref_id, f"{existing.task}; {worded}")
                    break
            else:
                netwerk.append(NetworkAgreement(who.ref_id or "", worded))
        else:
            others.append(OtherAgreement(who.name.strip(), what, agreement.due))
    return dataclasses.replace(goal, zelf=zelf, netwerk=tuple(netwerk), afspraken=tuple(others))


def mark_in_plan(conference: CaseConference, agreement_ids: Sequence[str],
                 goal_id: str) -> CaseConference:
    """The conference with these agreements marked as taken into the plan's goal."""
    wanted = set(agreement_ids)
    return dataclasses.replace(conference, agreements=tuple(
        dataclasses.replace(a, plan_goal_id=goal_id) if a.id in wanted else a
        for a in conference.agreements))
