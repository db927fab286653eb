"""Field-level validation results and the shared validators.

Validators return error *codes*; the user interface turns them into Dutch text
(see `wijkteam_app.messages`), so the domain stays free of wording and of Qt.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date


class ErrorCode(enum.Enum):
    REQUIRED = "required"
    TOO_LONG = "too_long"
    BSN_INVALID = "bsn_invalid"
    BSN_FORMAT = "bsn_format"
    POSTCODE_INVALID = "postcode_invalid"
    HOUSE_NUMBER_INVALID = "house_number_invalid"
    DATE_IN_FUTURE = "date_in_future"
    DATE_TOO_OLD = "date_too_old"
    DATE_ORDER = "date_order"
    OUT_OF_RANGE = "out_of_range"
    UNKNOWN_CHOICE = "unknown_choice"
    UNKNOWN_REFERENCE = "unknown_reference"
    GEZAG_ONLY_FOR_MINORS = "gezag_only_for_minors"
    DUPLICATE = "duplicate"
    NOT_APPLICABLE = "not_applicable"
    ALREADY_CORRECTED = "already_corrected"
    RESIDENT_REQUIRED = "resident_required"
    SCORE_REQUIRED = "score_required"


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with one field. `field` is a dotted path, e.g. ``members.1.bsn``."""

    field: str
    code: ErrorCode

    def prefixed(self, prefix: str) -> FieldError:
        return FieldError(f"{prefix}.{self.field}", self.code)


class ValidationFailed(Exception):
    """Raised by services when a draft has field errors; nothing was changed."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(f"{len(errors)} field error(s)")
        self.errors = errors


MAX_TEXT = 200
MAX_NOTE = 20_000
OLDEST_BIRTH_DATE = date(1900, 1, 1)


def normalize_bsn(value: str) -> str:
    """Strip spaces, dots and dashes that people type inside a BSN."""
    return re.sub(r"[\s.\-]", "", value)


def bsn_error(value: str) -> ErrorCode | None:
    """Check a BSN with the 11-proef (python-stdnum). Empty means 'unknown' and is allowed."""
    compact = normalize_bsn(value)
    if not compact:
        return None
    if not compact.isdigit() or len(compact) not in (8, 9):
        return ErrorCode.BSN_FORMAT
    from stdnum.nl import bsn as stdnum_bsn  # python-stdnum loads slowly: not at start-up

    if not stdnum_bsn.is_valid(compact):
        return ErrorCode.BSN_INVALID
    return None


def canonical_bsn(value: str) -> str:
    """The nine-digit form of a valid BSN (stdnum pads 8-digit numbers with a zero)."""
    from stdnum.nl import bsn as stdnum_bsn

    compact = normalize_bsn(value)
    return str(stdnum_bsn.compact(compact)).zfill(9) if compact else ""


def postcode_error(value: str) -> ErrorCode | None:
    if not value.strip():
        return ErrorCode.REQUIRED
    from stdnum.nl import postcode as stdnum_postcode

    if not stdnum_postcode.is_valid(value):
        return ErrorCode.POSTCODE_INVALID
    return None


def canonical_postcode(value: str) -> str:
    """'1234ab' -> '1234 AB' (the notation PostNL uses)."""
    from stdnum.nl import postcode as stdnum_postcode

    compact = str(stdnum_postcode.compact(value))
    return f"{compact[:4]} {compact[4:]}"


def required_text(errors: list[FieldError], field: str, value: str, limit: int = MAX_TEXT) -> None:
    if not value.strip():
        errors.append(FieldError(field, ErrorCode.REQUIRED))
    elif len(value) > limit:
        errors.append(FieldError(field, ErrorCode.TOO_LONG))


def optional_text(errors: list[FieldError], field: str, value: str, limit: int = MAX_TEXT) -> None:
    if len(value) > limit:
        errors.append(FieldError(field, ErrorCode.TOO_LONG))


def past_date(
    errors: list[FieldError], field: str, value: date | None, today: date, *, required: bool = True
) -> None:
    """A date that happened: not in the future, not before 1900."""
    if value is None:
        if required:
            errors.append(FieldError(field, ErrorCode.REQUIRED))
        return
    if value > today:
        errors.append(FieldError(field, ErrorCode.DATE_IN_FUTURE))
    elif value < OLDEST_BIRTH_DATE:
        errors.append(FieldError(field, ErrorCode.DATE_TOO_OLD))
