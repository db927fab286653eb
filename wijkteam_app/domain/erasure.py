"""Scrubbing an erased person out of free text (AVG art. 17): the rules that decide which
words are the person, and how the outcome is recorded on the erasure request.

Pure text logic, no storage: `wijkteam_app.services.rights` applies it to the household's
records in the erasure's own save.

What is replaced by `ERASED` (case-insensitive, whole words only: a name never matches inside
a longer word or a hyphenated name such as "Fatima-Zahra"):

- the full name in every usual order: "Fatima Bakker", "Fatima van der Berg", "Fatima Berg",
  "F. van der Berg", "Berg, Fatima", "van der Berg, Fatima";
- the first name alone and the last name alone (with or without its prefix: "van der Berg",
  "Berg") — only when that name has at least `MIN_NAME_ALONE` letters (a two-letter name such
  as "Bo" or "Li" alone would wipe unrelated words; it is still scrubbed as part of the full
  name) and only when no other member of the household carries the same name (then "mevrouw
  Bakker" may be either of them; only the full name is scrubbed). The initial form ("F.
  Bakker") is skipped the same way when another member has the same initial and last name;
- the BSN, as nine digits or grouped ("1234.56.789", "123 456 789", "1234-56-789");
- the birth date as "dd-mm-jjjj", "d-m-jjjj", with "/" or "." too, with a two-digit year,
  as ISO "jjjj-mm-dd", and written out ("7 maart 1985", "7 mrt. 1985").

The other members' own names are protected: "Youssef Bakker" stays whole even when the erased
person is "Bakker" too, and "Anne" never matches inside another member's "Anne Marie".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol


class Identified(Protocol):
    """What the scrubber reads of a person: a `domain.people.Person`, or the server's view
    of one version of a person record (`wijkteam_server.erasure.Identity`)."""

    @property
    def id(self) -> str: ...
    @property
    def first_name(self) -> str: ...
    @property
    def name_prefix(self) -> str: ...
    @property
    def last_name(self) -> str: ...
    @property
    def bsn(self) -> str: ...
    @property
    def birth_date(self) -> date | None: ...


ERASED = "[gewist]"
"""What replaces the erased person's name, BSN and birth date (in free text and in the person
record's first name)."""

MIN_NAME_ALONE = 3
"""A first or last name is scrubbed on its own only from this many letters on."""

_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december")
_MONTH_ABBR = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov",
               "dec")

_START = r"(?<![\w-])"  # not inside a word, nor after a hyphen ("Anne-Fatima")
_END = r"(?![\w-])"

TEXT_KEYS = frozenset({
    "others", "question", "text", "description", "zelf", "task", "note", "provider", "who",
    "what", "own_words", "recipient", "purpose", "name",
})
"""Keys of structured (JSON) values whose string is free text: plan content (participants'
``others``, ``question``, situation ``text``, goal ``description``/``zelf``, network ``task``,
provision ``note``, ``provider``, agreements ``who``/``what``, ``own_words``, consent
``recipient``/``purpose``), plan status-change ``note`` and a conference party's ``name``.
Ids, codes, enumerations and dates are never under these keys, so a scrub cannot break them."""


def _words(value: str) -> str:
    """A multi-word name as a regex: the words escaped, any whitespace between them."""
    return r"\s+".join(re.escape(w) for w in value.split())


def _letters(value: str) -> int:
    return sum(c.isalpha() for c in value)


def _same(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def _name_forms(p: Identified) -> list[str]:
    """A person's own name as regex alternatives (used to protect the other members)."""
    first, prefix, last = p.first_name.strip(), p.name_prefix.strip(), p.last_name.strip()
    forms: list[str] = []
    if first and last:
        forms.append(_words(f"{first} {prefix} {last}"))
        forms.append(_words(f"{first} {last}"))
        forms.append(f"{_words(f'{prefix} {last}')}\\s*,\\s*{_words(first)}")
    if first:
        forms.append(_words(first))
    if last:
        forms.append(_words(f"{prefix} {last}"))
        forms.append(_words(last))
    return forms


def _bsn_forms(bsn: str) -> list[str]:
    digits = "".join(c for c in bsn if c.isdigit())
    if len(digits) != 9:
        return []
    sep = r"[ .\-]"
    return [rf"(?<!\d){digits}(?!\d)",
            rf"(?<!\d){digits[:4]}{sep}{digits[4:6]}{sep}{digits[6:]}(?!\d)",
            rf"(?<!\d){digits[:3]}{sep}{digits[3:6]}{sep}{digits[6:]}(?!\d)"]


def _date_forms(day: date) -> list[str]:
    d, m, y = day.day, day.month, day.year
    sep = r"[-/.]"
    numeric = rf"(?<!\d)0?{d}{sep}0?{m}{sep}(?:{y}|{y % 100:02d})(?!\d)"
    iso = rf"(?<!\d){y}-{m:02d}-{d:02d}(?!\d)"
    month = rf"(?:{_MONTHS[m - 1]}|{_MONTH_ABBR[m - 1]}\.?)"
    written = rf"(?<!\d)0?{d}\s+{month}\s+{y}(?!\d)"
    return [numeric, iso, written]


class TextScrub:
    """The walks over text and JSON values that every text rule shares: a subclass says how
    one text is scrubbed (`scrub`); these find and scrub it everywhere in a value."""

    def scrub(self, text: str) -> str:
        raise NotImplementedError

    def mentions(self, text: str) -> bool:
        return self.scrub(text) != text

    def scrub_structured(self, value: Any, key: str | None = None) -> Any:
        """A JSON value (dicts, lists, strings) with the free text under `TEXT_KEYS` scrubbed;
        a new value, the input is not changed."""
        if isinstance(value, str):
            return self.scrub(value) if key in TEXT_KEYS else value
        if isinstance(value, dict):
            return {k: self.scrub_structured(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.scrub_structured(v, key) for v in value]
        return value

    def mentions_anywhere(self, value: Any) -> bool:
        """Does any string in a value (any key) name the person? For records that are kept."""
        if isinstance(value, str):
            return self.mentions(value)
        if isinstance(value, dict):
            return any(self.mentions_anywhere(v) for v in value.values())
        if isinstance(value, list | tuple):
            return any(self.mentions_anywhere(v) for v in value)
        return False



class Scrubber(TextScrub):
    """Replaces one person's name, BSN and birth date in text by `ERASED`.

    `others` are the household's other members: their names are protected, and a name the
    erased person shares with one of them is not scrubbed on its own (only as full name)."""

    def __init__(self, person: Identified, others: Iterable[Identified] = ()) -> None:
        first = person.first_name.strip()
        prefix, last = person.name_prefix.strip(), person.last_name.strip()
        if first == ERASED:  # erased before: no name left to look for
            first = prefix = last = ""
        others = [o for o in others if o.id != person.id and o.first_name.strip() != ERASED]
        erased: list[str] = []
        if first and last:
            full = _words(f"{first} {prefix} {last}")
            erased.append(full)
            if prefix:
                erased.append(_words(f"{first} {last}"))
            erased.append(f"{_words(f'{prefix} {last}')}\\s*,\\s*{_words(first)}"
                          + (f"(?:\\s+{_words(prefix)})?" if prefix else ""))
            if prefix:
                erased.append(f"{_words(last)}\\s*,\\s*{_words(first)}\\s+{_words(prefix)}")
            initial = first[0]
            if initial.isalpha() and not any(
                    o.first_name.strip()[:1].casefold() == initial.casefold()
                    and _same(o.last_name, last) for o in others):
                erased.append(f"{re.escape(initial)}\\.\\s*{_words(f'{prefix} {last}')}")
                if prefix:
                    erased.append(f"{re.escape(initial)}\\.\\s*{_words(last)}")
        if last and _letters(last) >= MIN_NAME_ALONE and not any(
                _same(o.last_name, last) for o in others):
            if prefix:
                erased.append(_words(f"{prefix} {last}"))
            erased.append(_words(last))
        if first and _letters(first) >= MIN_NAME_ALONE and not any(
                _same(o.first_name, first) for o in others):
            erased.append(_words(first))
        protected = [form for o in others for form in _name_forms(o)]
        numbers = _bsn_forms(person.bsn)
        if person.birth_date is not None:
            numbers += _date_forms(person.birth_date)
        self.active = bool(erased or numbers)
        # One pass, leftmost match first; at one position the longer alternative wins and a
        # protected name beats an erased one of the same length ("Bakker" of another member).
        names = sorted([(f, True) for f in protected] + [(f, False) for f in erased],
                       key=lambda item: (-len(item[0]), not item[1]))
        parts = [f"(?P<p{i}>{_START}(?:{f}){_END})" if keep else f"{_START}(?:{f}){_END}"
                 for i, (f, keep) in enumerate(names)]
        parts += [f"(?:{f})" for f in numbers]
        self._pattern = re.compile("|".join(parts), re.IGNORECASE) if self.active else None

    def scrub(self, text: str) -> str:
        """`text` with every occurrence replaced (unchanged when there is none)."""
        if self._pattern is None or not text:
            return text

        def replace(match: re.Match[str]) -> str:
            if any(v is not None for v in match.groupdict().values()):
                return match.group(0)  # another member's name: stays
            return ERASED

        return self._pattern.sub(replace, text)


class Scrubbers(TextScrub):
    """The text rules of every identity a person had (each version of their record, as the
    server's history holds them), applied one after the other."""

    def __init__(self, identities: Iterable[Identified], others: Iterable[Identified]) -> None:
        others = list(others)
        self._scrubbers = [s for s in (Scrubber(i, others) for i in identities) if s.active]

    def scrub(self, text: str) -> str:
        for scrubber in self._scrubbers:
            text = scrubber.scrub(text)
        return text


# --------------------------------------------------------------------------- the record

SCRUBBED = "gewist"  # free text of the record was scrubbed
KEPT = "bewaard"  # the record names the person but is kept (legal document or decision)
DELETED = "verwijderd"  # the record was the person's own and is deleted

LABELS: Mapping[str, tuple[str, str]] = {
    "household": ("huishoudnaam", "huishoudnamen"),
    "person": ("gezinslid", "gezinsleden"),
    "network_member": ("netwerklid", "netwerkleden"),
    "professional": ("professional", "professionals"),
    "case": ("zaak", "zaken"),
    "contact_moment": ("contactmoment", "contactmomenten"),
    "consent": ("toestemming", "toestemmingen"),
    "assessment": ("meting", "metingen"),
    "case_conference": ("overleg", "overleggen"),
    "plan_version": ("planversie", "planversies"),
    "kitchen_table_report": ("keukentafelverslag", "keukentafelverslagen"),
    "plan_review": ("beoordeling van een plan", "beoordelingen van een plan"),
    "plan_toets": ("toets", "toetsen"),
    "plan_signature": ("ondertekening", "ondertekeningen"),
    "plan_evaluation": ("evaluatie", "evaluaties"),
    "regie_event": ("regiewisseling", "regiewisselingen"),
    "stuck_flag": ("melding vastgelopen zaak", "meldingen vastgelopen zaak"),
    "stuck_decision": ("besluit over een vastgelopen zaak", "besluiten over een vastgelopen "
                                                            "zaak"),
    "client_experience": ("klantervaring", "klantervaringen"),
    "privacy_request": ("eerder verzoek", "eerdere verzoeken"),
    "attachment": ("bijlage", "bijlagen"),
}
"""Dutch names (one, several) of the record kinds, for the summary on the request."""


@dataclass
class ErasureReport:
    """Counts per record kind (the sync protocol's entity name) of what the erasure did."""

    scrubbed: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)

    @staticmethod
    def _add(counts: dict[str, int], entity: str) -> None:
        counts[entity] = counts.get(entity, 0) + 1

    def add_scrubbed(self, entity: str) -> None:
        self._add(self.scrubbed, entity)

    def add_kept(self, entity: str) -> None:
        self._add(self.kept, entity)

    def add_deleted(self, entity: str) -> None:
        self._add(self.deleted, entity)

    def fields(self) -> tuple[str, ...]:
        """For `PrivacyRequest.fields`: ``gewist:contact_moment=2``, ``bewaard:plan_version=1``,
        ``verwijderd:consent=1`` (kind and count only, no content)."""
        return tuple(f"{what}:{entity}={n}"
                     for what, counts in ((SCRUBBED, self.scrubbed), (DELETED, self.deleted),
                                          (KEPT, self.kept))
                     for entity, n in sorted(counts.items()))

    def summary(self) -> str:
        """The outcome in Dutch, for the request's note (the resident reads it)."""

        def listing(counts: dict[str, int]) -> str:
            return ", ".join(f"{n} {LABELS.get(e, (e, e))[0 if n == 1 else 1]}"
                             for e, n in sorted(counts.items()))

        lines = ["Naam, geboortedatum, BSN en gezagsnotitie zijn uit de persoonsgegevens "
                 "gewist."]
        if self.scrubbed:
            lines.append("Naam, BSN en geboortedatum zijn ook vervangen door "
                         f"'{ERASED}' in: {listing(self.scrubbed)}.")
        if self.deleted:
            lines.append(f"Verwijderd: {listing(self.deleted)}.")
        if self.kept:
            lines.append("Bewaard (wettelijke bewaarplicht: vastgestelde of ondertekende "
                         "documenten en besluiten blijven zoals ze zijn vastgelegd): "
                         f"{listing(self.kept)}.")
        return "\n".join(lines)


def parse_fields(fields: Iterable[str]) -> ErasureReport:
    """The counts back from `ErasureReport.fields` (entries of another form are skipped)."""
    report = ErasureReport()
    target = {SCRUBBED: report.scrubbed, KEPT: report.kept, DELETED: report.deleted}
    for entry in fields:
        what, _, rest = entry.partition(":")
        entity, _, count = rest.partition("=")
        if what in target and entity and count.isdigit():
            target[what][entity] = int(count)
    return report


__all__ = ["ERASED", "MIN_NAME_ALONE", "TEXT_KEYS", "ErasureReport", "Scrubber",
           "parse_fields"]
