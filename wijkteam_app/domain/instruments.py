"""Assessment instruments (ZRM, participatieladder) as versioned data, and assessments with them.

An instrument is plain data (`InstrumentDefinition`), loaded from JSON by
`wijkteam_app.instruments.catalog`; new instruments or versions need no code changes.
An `Assessment` always records the id *and* version of the definition it was made with,
because scores of different versions are never compared as if they were equal.

Texts shipped with the app are our own short help texts ("eigen"). The official per-cell
ZRM criteria are copyrighted by GGD Amsterdam; a licensed municipality loads them as data
(see `catalog.load_official_texts`), which is recorded in `texts_source`.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from wijkteam_app.domain.validation import MAX_NOTE, ErrorCode, FieldError, optional_text, past_date

# Stable identifiers of the definitions the product rules refer to.
ZRM_2013_ID = "zrm-2013"
ZRM_2017_ID = "zrm-2017"
ZRM_JONGEREN_ID = "zrm-jongeren"
ZRM_HUISHOUDENS_ID = "zrm-huishoudens"
PARTICIPATIELADDER_ID = "participatieladder"
LADDER_ITEM_CODE = "trede"

# Condition under which an item applies (`Item.applies_when`).
APPLIES_WHEN_CHILDREN = "children"
KNOWN_CONDITIONS = frozenset({APPLIES_WHEN_CHILDREN})

# Ages for `suggest_definition` (product rule, see there).
YOUTH_MIN_AGE = 12
ADULT_MIN_AGE = 18

TEXTS_SOURCE_OWN = "eigen"
TEXTS_SOURCE_OFFICIAL_PREFIX = "officieel: "

_CODE_PATTERN = re.compile(r"[a-z][a-z0-9_]*")


class InstrumentKind(enum.StrEnum):
    ZRM = "zrm"
    LADDER = "ladder"


class Subject(enum.StrEnum):
    PERSON = "person"
    HOUSEHOLD = "household"


def is_valid_code(code: str) -> bool:
    """Item and zwaartefactor codes are stable lowercase ASCII: letters, digits, underscores."""
    return _CODE_PATTERN.fullmatch(code) is not None


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Natural sort key for version strings: "2017" > "2013", "1.10" > "1.9"."""
    parts = re.findall(r"\d+|[^\d.\-_\s]+", version)
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)


@dataclass(frozen=True, slots=True)
class Level:
    value: int
    name: str
    help: str


@dataclass(frozen=True, slots=True)
class Item:
    """A domain (ZRM), a rung question (ladder) or a zwaartefactor.

    `level_texts` holds optional per-level descriptions, e.g. official texts a licensed
    municipality loaded: ((1, "..."), (2, "..."), ...).
    """

    code: str
    name: str
    help: str
    applies_when: str | None = None
    level_texts: tuple[tuple[int, str], ...] = ()

    def level_text(self, value: int) -> str | None:
        for level_value, text in self.level_texts:
            if level_value == value:
                return text
        return None


@dataclass(frozen=True, slots=True)
class InstrumentDefinition:
    id: str
    version: str
    name: str
    kind: InstrumentKind
    subject: Subject
    levels: tuple[Level, ...]
    items: tuple[Item, ...]
    zwaartefactoren: tuple[Item, ...]
    guidance: str
    min_age: int | None
    max_age: int | None
    allows_not_discussed: bool
    texts_source: str

    def __post_init__(self) -> None:
        problems = definition_problems(self)
        if problems:
            raise ValueError("; ".join(problems))

    @property
    def key(self) -> tuple[str, str]:
        return (self.id, self.version)

    @property
    def min_level(self) -> int:
        return self.levels[0].value

    @property
    def max_level(self) -> int:
        return self.levels[-1].value

    def item(self, code: str) -> Item:
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)

    def zwaartefactor(self, code: str) -> Item:
        for factor in self.zwaartefactoren:
            if factor.code == code:
                return factor
        raise KeyError(code)

    def level(self, value: int) -> Level:
        for level in self.levels:
            if level.value == value:
                return level
        raise KeyError(value)

    def has_level(self, value: int) -> bool:
        return any(level.value == value for level in self.levels)

    def items_for(self, has_children: bool) -> tuple[Item, ...]:
        """The items to score; items for children only when the household has children."""
        return tuple(item for item in self.items if _applies(item, has_children))

    @property
    def uses_official_texts(self) -> bool:
        return self.texts_source.startswith(TEXTS_SOURCE_OFFICIAL_PREFIX)


def _applies(item: Item, has_children: bool) -> bool:
    if item.applies_when is None:
        return True
    if item.applies_when == APPLIES_WHEN_CHILDREN:
        return has_children
    return False  # an unknown condition never applies


def definition_problems(defn: InstrumentDefinition) -> list[str]:
    """Internal consistency of a definition, as English messages (for developers and
    for whoever maintains the JSON files); empty when the definition is sound."""
    problems: list[str] = []
    if not defn.id.strip():
        problems.append("id is empty")
    if not defn.version.strip():
        problems.append("version is empty")
    if not defn.name.strip():
        problems.append("name is empty")
    if not defn.levels:
        problems.append("no levels")
    values = [level.value for level in defn.levels]
    if values != sorted(set(values)):
        problems.append("level values must be unique and ascending")
    if not defn.items:
        problems.append("no items")
    for group, entries in (("item", defn.items), ("zwaartefactor", defn.zwaartefactoren)):
        seen: set[str] = set()
        for entry in entries:
            if not is_valid_code(entry.code):
                problems.append(f"{group} code {entry.code!r} is not lowercase ASCII")
            if entry.code in seen:
                problems.append(f"{group} code {entry.code!r} occurs twice")
            seen.add(entry.code)
            if not entry.name.strip():
                problems.append(f"{group} {entry.code!r} has no name")
            if entry.applies_when is not None and entry.applies_when not in KNOWN_CONDITIONS:
                problems.append(f"{group} {entry.code!r}: unknown applies_when")
            for level_value, _text in entry.level_texts:
                if level_value not in values:
                    problems.append(f"{group} {entry.code!r}: text for unknown level {level_value}")
    if defn.kind is InstrumentKind.LADDER and len(defn.items) != 1:
        problems.append("a ladder has exactly one item")
    if (
        defn.min_age is not None
        and defn.max_age is not None
        and defn.min_age > defn.max_age
    ):
        problems.append("min_age is above max_age")
    if defn.texts_source != TEXTS_SOURCE_OWN and not defn.uses_official_texts:
        problems.append(f"texts_source must be {TEXTS_SOURCE_OWN!r} or start with "
                        f"{TEXTS_SOURCE_OFFICIAL_PREFIX!r}")
    return problems


@dataclass(frozen=True, slots=True)
class ItemScore:
    """One scored item. `score` None means "niet besproken" (not discussed)."""

    item_code: str
    score: int | None
    target_score: int | None = None  # ZRM "virtuele score" / ladder growth potential


@dataclass(frozen=True, slots=True)
class Assessment:
    """One filled-in instrument for a person or a household.

    Participatieladder: a single item "trede" with score = current rung,
    target_score = the rung reachable (potential) and target_date = the horizon.

    Corrections never change a stored assessment: a later record with `corrects_id` takes
    its place (with the worker's `correction_reason`), or withdraws it (`withdrawn`, no
    items). The history keeps both; `effective_assessments` gives the ones that count.
    """

    id: str
    definition_id: str
    definition_version: str
    assessed_on: date
    assessor_id: str
    items: tuple[ItemScore, ...]
    person_id: str | None = None
    household_id: str | None = None
    zwaartefactoren: tuple[str, ...] = ()
    target_date: date | None = None
    notes: str = ""
    corrects_id: str | None = None
    withdrawn: bool = False
    correction_reason: str = ""
    version: int = 0

    @property
    def definition_key(self) -> tuple[str, str]:
        return (self.definition_id, self.definition_version)

    def score_for(self, item_code: str) -> ItemScore | None:
        for item in self.items:
            if item.item_code == item_code:
                return item
        return None


def validate_assessment(
    defn: InstrumentDefinition, assessment: Assessment, today: date, has_children: bool = False
) -> list[FieldError]:
    """Check an assessment against its definition. Field paths:

    - ``definition``: id/version do not match `defn` (UNKNOWN_CHOICE; nothing else is checked)
    - ``assessed_on``, ``target_date``, ``assessor_id``, ``notes``, ``subject``
    - ``items.<code>``: missing (REQUIRED), unknown (UNKNOWN_CHOICE), not applicable
      (NOT_APPLICABLE), given twice (DUPLICATE)
    - ``items.<code>.score`` / ``items.<code>.target_score``: OUT_OF_RANGE, or REQUIRED when
      "niet besproken" is not allowed
    - ``zwaartefactoren.<code>``: UNKNOWN_CHOICE or DUPLICATE
    """
    if assessment.definition_key != defn.key:
        return [FieldError("definition", ErrorCode.UNKNOWN_CHOICE)]

    errors: list[FieldError] = []
    past_date(errors, "assessed_on", assessment.assessed_on, today)
    if not assessment.assessor_id.strip():
        errors.append(FieldError("assessor_id", ErrorCode.REQUIRED))
    if assessment.target_date is not None and assessment.target_date <= assessment.assessed_on:
        errors.append(FieldError("target_date", ErrorCode.DATE_ORDER))
    optional_text(errors, "notes", assessment.notes, MAX_NOTE)
    if not _subject_ok(defn.subject, assessment):
        errors.append(FieldError("subject", ErrorCode.REQUIRED))

    errors += _item_errors(defn, assessment.items, has_children)
    errors += _zwaartefactor_errors(defn, assessment.zwaartefactoren)
    return errors


def _subject_ok(subject: Subject, assessment: Assessment) -> bool:
    has_person = bool(assessment.person_id)
    has_household = bool(assessment.household_id)
    if subject is Subject.PERSON:
        return has_person and not has_household
    return has_household and not has_person


def _item_errors(
    defn: InstrumentDefinition, scores: Iterable[ItemScore], has_children: bool
) -> list[FieldError]:
    errors: list[FieldError] = []
    known = {item.code for item in defn.items}
    applicable = [item.code for item in defn.items_for(has_children)]
    seen: set[str] = set()
    for entry in scores:
        field = f"items.{entry.item_code}"
        if entry.item_code in seen:
            errors.append(FieldError(field, ErrorCode.DUPLICATE))
            continue
        seen.add(entry.item_code)
        if entry.item_code not in known:
            errors.append(FieldError(field, ErrorCode.UNKNOWN_CHOICE))
            continue
        if entry.item_code not in applicable:
            errors.append(FieldError(field, ErrorCode.NOT_APPLICABLE))
            continue
        if entry.score is None:
            if not defn.allows_not_discussed:
                errors.append(FieldError(f"{field}.score", ErrorCode.REQUIRED))
        elif not defn.has_level(entry.score):
            errors.append(FieldError(f"{field}.score", ErrorCode.OUT_OF_RANGE))
        if entry.target_score is not None and not defn.has_level(entry.target_score):
            errors.append(FieldError(f"{field}.target_score", ErrorCode.OUT_OF_RANGE))
    errors += [
        FieldError(f"items.{code}", ErrorCode.REQUIRED) for code in applicable if code not in seen
    ]
    return errors


def _zwaartefactor_errors(defn: InstrumentDefinition, codes: Iterable[str]) -> list[FieldError]:
    errors: list[FieldError] = []
    known = {factor.code for factor in defn.zwaartefactoren}
    seen: set[str] = set()
    for code in codes:
        field = f"zwaartefactoren.{code}"
        if code in seen:
            errors.append(FieldError(field, ErrorCode.DUPLICATE))
        elif code not in known:
            errors.append(FieldError(field, ErrorCode.UNKNOWN_CHOICE))
        seen.add(code)
    return errors


# --- corrections -----------------------------------------------------------------------------


def superseding(assessments: Iterable[Assessment]) -> dict[str, Assessment]:
    """Corrected or withdrawn record id -> the record that corrects or withdraws it."""
    return {a.corrects_id: a for a in assessments if a.corrects_id}


def effective_assessments(assessments: Iterable[Assessment]) -> list[Assessment]:
    """The assessments that count, in the given order: not corrected or withdrawn by a later
    record, and not a withdrawal themselves. Charts, comparisons and the plan use these."""
    items = list(assessments)
    replaced = {a.corrects_id for a in items if a.corrects_id}
    return [a for a in items if a.id not in replaced and not a.withdrawn]


def validate_correction(original: Assessment, correction: Assessment,
                        known: Iterable[Assessment]) -> list[FieldError]:
    """A correction or withdrawal of `original`: same instrument and subject, a reason, and
    `original` must still count (a correction of a correction corrects the newest one)."""
    errors: list[FieldError] = []
    if correction.corrects_id != original.id or correction.id == original.id:
        errors.append(FieldError("corrects_id", ErrorCode.UNKNOWN_REFERENCE))
    elif original.withdrawn or original.id in superseding(
            a for a in known if a.id != correction.id):
        errors.append(FieldError("corrects_id", ErrorCode.ALREADY_CORRECTED))
    if (correction.definition_id != original.definition_id
            or correction.person_id != original.person_id
            or correction.household_id != original.household_id):
        errors.append(FieldError("definition", ErrorCode.UNKNOWN_CHOICE))
    if not correction.correction_reason.strip():
        errors.append(FieldError("correction_reason", ErrorCode.REQUIRED))
    optional_text(errors, "correction_reason", correction.correction_reason, MAX_NOTE)
    if correction.withdrawn and correction.items:
        errors.append(FieldError("items", ErrorCode.NOT_APPLICABLE))
    return errors


class IncomparableAssessments(ValueError):
    """Two assessments made with different instruments or different versions of one."""


def compare(a: Assessment, b: Assessment) -> dict[str, tuple[int | None, int | None]]:
    """Scores per item code, side by side: {code: (score in a, score in b)}.

    Only assessments with the same definition id AND version are compared; scores of
    different versions are never compared as if they were equal. Items present in only one
    of the two get None on the other side. Order: the items of `a`, then extra items of `b`.
    """
    if a.definition_key != b.definition_key:
        raise IncomparableAssessments(
            f"{a.definition_id} {a.definition_version} cannot be compared with "
            f"{b.definition_id} {b.definition_version}"
        )
    result: dict[str, tuple[int | None, int | None]] = {}
    b_scores = {entry.item_code: entry.score for entry in b.items}
    for entry in a.items:
        result[entry.item_code] = (entry.score, b_scores.get(entry.item_code))
    for entry in b.items:
        if entry.item_code not in result:
            result[entry.item_code] = (None, entry.score)
    return result


class NoSuitableDefinitionError(LookupError):
    """No instrument fits (e.g. a child under 12, or the definition is not installed)."""


def latest_of(
    definitions: Mapping[tuple[str, str], InstrumentDefinition] | Iterable[InstrumentDefinition],
    definition_id: str,
) -> InstrumentDefinition:
    """The definition with the highest version for `definition_id` (natural version order)."""
    values = definitions.values() if isinstance(definitions, Mapping) else definitions
    candidates = [d for d in values if d.id == definition_id]
    if not candidates:
        raise NoSuitableDefinitionError(definition_id)
    return max(candidates, key=lambda d: version_key(d.version))


def suggest_definition(
    definitions: Mapping[tuple[str, str], InstrumentDefinition] | Iterable[InstrumentDefinition],
    age: int | None,
    subject: Subject,
    prefer_2013: bool = False,
) -> InstrumentDefinition:
    """Product rule: which ZRM a worker is offered first (the worker may still choose another).

    - household as subject: ZRM-Huishoudens;
    - person aged 12 to 17: ZRM-Jongeren;
    - person aged 18 or older, or of unknown age: ZRM 2017, or ZRM 2013 when the team's
      setting prefers 2013 (teams that keep comparing with their older 2013 scores);
    - person under 12: no individual instrument; the child is seen in the household's ZRM
      (NoSuitableDefinitionError).

    Always the latest installed version of that instrument; NoSuitableDefinitionError when it is
    not installed. The participatieladder is never suggested here: it is used beside a ZRM.
    """
    values = list(definitions.values() if isinstance(definitions, Mapping) else definitions)
    if subject is Subject.HOUSEHOLD:
        return latest_of(values, ZRM_HUISHOUDENS_ID)
    if age is not None and age < YOUTH_MIN_AGE:
        raise NoSuitableDefinitionError(f"no individual instrument for age {age}")
    if age is not None and age < ADULT_MIN_AGE:
        return latest_of(values, ZRM_JONGEREN_ID)
    return latest_of(values, ZRM_2013_ID if prefer_2013 else ZRM_2017_ID)
