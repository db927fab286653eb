"""Consent enforced: may this information go to this recipient, for this use?

A consent (`cases.Consent`) is given by one person, for one recipient and one purpose, from a
day on, until it is withdrawn. The app shares two things only where consent covers it:
the ondersteuningsplan (`USE_PLAN`) and the contact details of the professionals involved
(`USE_CONTACT`). A consent covers a use when its purpose is that use's standard purpose
text (the consent form offers it) and its recipient is the recipient, compared without case
and spacing differences; a consent with another purpose is recorded and shown, but unlocks
nothing automatically.

Whose consent counts (Jeugdwet art. 7.3.4, in line with the WGBO):
- 16 and older: the person alone;
- 12 to 15: the young person **and** every holder of gezag;
- under 12: every holder of gezag (the child is not asked);
- no birth date known: treated as an adult (the person decides).
Withdrawal works from its day on; a withdrawal made on another laptop takes effect here at
the next sync (the consent record travels like any other).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from wijkteam_app.domain.cases import Consent
from wijkteam_app.domain.people import Person

ALONE_FROM = 16
TOGETHER_FROM = 12


class Use(enum.StrEnum):
    PLAN = "plan"
    CONTACT = "contactgegevens"


STANDARD_PURPOSE: dict[Use, str] = {
    Use.PLAN: "Het ondersteuningsplan delen",
    Use.CONTACT: "Contactgegevens van betrokken professionals delen",
}
"""The purpose text that makes a consent cover a use (Dutch: it is what the resident hears
and what the consent form shows)."""


class Gap(enum.StrEnum):
    """Why someone's consent is missing."""

    NONE_GIVEN = "none_given"  # never given for this recipient and use
    WITHDRAWN = "withdrawn"  # given, then withdrawn
    NOT_YET = "not_yet"  # given with a date in the future
    NO_GEZAG_HOLDER = "no_gezag_holder"  # a minor without a recorded holder of gezag


@dataclass(frozen=True, slots=True)
class Missing:
    """One consent that is needed and not there: `subject` is the person the information is
    about, `giver` the person whose consent is needed (the same for adults)."""

    subject_id: str
    giver_id: str | None
    gap: Gap
    withdrawn_on: date | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    missing: tuple[Missing, ...]


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def covers(consent: Consent, recipient: str, use: Use) -> bool:
    return (normalise(consent.recipient) == normalise(recipient)
            and normalise(consent.purpose) == normalise(STANDARD_PURPOSE[use]))


def givers(subject: Person, today: date) -> tuple[tuple[str, ...], bool]:
    """Whose consent is needed for information about `subject`: (person ids, complete).
    `complete` is False for a minor whose holders of gezag are not recorded."""
    age = subject.age_on(today)
    if age is None or age >= ALONE_FROM:
        return (subject.id,), True
    holders = tuple(subject.gezag_holder_ids)
    if age >= TOGETHER_FROM:
        return (subject.id, *holders), bool(holders)
    return holders, bool(holders)


def decide(subjects: Sequence[Person], consents: Iterable[Consent], recipient: str, use: Use,
           today: date) -> Decision:
    """May information about `subjects` go to `recipient` for `use` today?"""
    relevant = [c for c in consents if covers(c, recipient, use)]
    missing: list[Missing] = []
    for subject in subjects:
        needed, complete = givers(subject, today)
        if not complete:
            missing.append(Missing(subject.id, None, Gap.NO_GEZAG_HOLDER))
        for giver in needed:
            own = [c for c in relevant if c.person_id == giver]
            if any(c.active_on(today) for c in own):
                continue
            withdrawn = [c for c in own if c.withdrawn_on is not None
                         and c.withdrawn_on <= today]
            if withdrawn:
                latest = max(c.withdrawn_on for c in withdrawn if c.withdrawn_on is not None)
                missing.append(Missing(subject.id, giver, Gap.WITHDRAWN, latest))
            elif own:
                missing.append(Missing(subject.id, giver, Gap.NOT_YET))
            else:
                missing.append(Missing(subject.id, giver, Gap.NONE_GIVEN))
    return Decision(not missing, tuple(missing))
