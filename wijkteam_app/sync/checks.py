"""Is a pulled record fit to be applied? One cached validation per feed item.

The laptop applies nothing it could not read back later: every pulled item is checked against
the shared typed schema (`sync.entities`, the same one the server enforces at push) and the
JSON documents the app decodes into domain objects (a plan version's content and history, a
review's comments, a signature's signers) must decode with the persistence codec. An item that
fails is quarantined by the engine (`SyncQuarantineRecord`), never applied half.

The schema check is the hot path of an initial pull (tens of thousands of items), so each
entity gets two cached pydantic validators (a complete record for ``insert`` and ``snapshot``,
any subset of fields for ``update``) that check a whole item in one call. Only an item that
fails is checked again field by field with `entities.check_fields`, to name the first problem
exactly as the server would. Problems never quote the value (it may be personal data).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, NotRequired, Required

from pydantic import ConfigDict, TypeAdapter, ValidationError
from typing_extensions import TypedDict

from wijkteam_app.domain.plans import PlanContent, SectionComment, Signer, StatusChange
from wijkteam_app.persistence.codec import from_plain
from wijkteam_app.sync.entities import RECORDS, FieldProblem, check_fields

SCHEMA = "schema"  # a value does not fit the shared schema, or a required field is missing
DECODE = "decode"  # a JSON document does not decode into the domain object the app reads
INTEGRITY = "integrity"  # the case file refused it (a reference to a missing record, ...)
ERROR = "error"  # anything else that went wrong while applying it
UNSUPPORTED = "unsupported"  # an entity this version of the app has no table for

REASONS = (SCHEMA, DECODE, INTEGRITY, ERROR, UNSUPPORTED)


@dataclass(frozen=True, slots=True)
class Problem:
    """Why an item was set aside: a reason code and a short English text without values."""

    reason: str
    text: str


def _decode_each(cls: type) -> Callable[[Any], None]:
    def decode(values: Any) -> None:
        for value in values:
            from_plain(cls, value)
    return decode


def _decode_one(cls: type) -> Callable[[Any], None]:
    def decode(value: Any) -> None:
        from_plain(cls, value)
    return decode


DECODERS: Mapping[tuple[str, str], Callable[[Any], None]] = {
    ("plan_version", "content"): _decode_one(PlanContent),
    ("plan_version", "history"): _decode_each(StatusChange),
    ("plan_review", "comments"): _decode_each(SectionComment),
    ("plan_signature", "signers"): _decode_each(Signer),
}
"""Fields the app decodes with `persistence.codec.from_plain` when it reads the record
(`persistence.plan_repository`): they must decode before the record is applied."""


@cache
def _validator(entity: str, complete: bool) -> TypeAdapter[Any]:
    """All fields of ``entity`` as one TypedDict: strict, unknown keys refused; with
    ``complete`` the schema's required fields are required."""
    annotations: dict[str, Any] = {}
    for name, info in RECORDS[entity].model_fields.items():
        annotation: Any = info.annotation
        if info.metadata:
            annotation = Annotated[(annotation, *info.metadata)]
        required = complete and info.is_required()
        annotations[name] = Required[annotation] if required else NotRequired[annotation]
    make: Any = TypedDict  # built at run time from the schema: no literal name to give
    shape: Any = make(f"{entity}_{'complete' if complete else 'partial'}", annotations)
    shape.__pydantic_config__ = ConfigDict(extra="forbid", strict=True)
    return TypeAdapter(shape)


@cache
def defaults(entity: str) -> dict[str, Any]:
    """The schema's default of every optional field (JSON values, as they travel)."""
    out: dict[str, Any] = {}
    for name, info in RECORDS[entity].model_fields.items():
        if not info.is_required():
            default = info.get_default(call_default_factory=True)
            out[name] = default.model_dump(mode="json") if hasattr(default, "model_dump") \
                else default
    return out


def check_item(entity: str, values: Mapping[str, Any], *, complete: bool) -> Problem | None:
    """None when the values of a pulled item may be applied; otherwise why not."""
    if entity not in RECORDS:
        return Problem(UNSUPPORTED, f"{entity}: unknown entity")
    try:
        _validator(entity, complete).validate_python(values)
    except ValidationError:
        try:
            check_fields(entity, values, complete=complete)
        except FieldProblem as problem:
            return Problem(SCHEMA, str(problem)[:200])
        return Problem(SCHEMA, f"{entity}.*: invalid")  # pragma: no cover - same schema
    for name, value in values.items():
        decode = DECODERS.get((entity, name))
        if decode is None:
            continue
        try:
            decode(value)
        except Exception as exc:  # any failure of the codec or a domain invariant
            return Problem(DECODE, f"{entity}.{name}: does not decode ({type(exc).__name__})")
    return None


__all__ = ["DECODE", "DECODERS", "ERROR", "INTEGRITY", "REASONS", "SCHEMA", "UNSUPPORTED",
           "Problem", "check_item", "defaults"]
