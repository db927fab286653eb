"""Retention of closed cases (VNG Selectielijst gemeenten 2020), shared by the server (which
purges) and the laptop (which mirrors it). Pure: records as the sync protocol carries them.

Term, counted from the end of the case (the latest ``closed_on`` of the household's cases,
all of which must be closed):
- **jeugd**, 20 years, from the last change: a member was a minor when the case ended;
- **schuldhulp**, 5 years: every case was about money only (problem areas inkomen and/or
  besteding);
- **wmo**, 15 years: everything else.
The longest term that applies wins, since a household's file is purged as a whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

JEUGD_YEARS = 20
WMO_YEARS = 15
SCHULDHULP_YEARS = 5
SCHULDHULP_AREAS = frozenset({"inkomen", "besteding"})
ADULT_AGE = 18


@dataclass(frozen=True, slots=True)
class Term:
    regime: str  # "jeugd", "wmo" or "schuldhulp"
    years: int
    case_end: date
    due: date  # the first day the file may be destroyed


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        return date.fromisoformat(value[:10])
    return None


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def household_term(cases: Iterable[Mapping[str, Any]], persons: Iterable[Mapping[str, Any]],
                   last_change: date | None = None) -> Term | None:
    """The term of a household's file, or None while any case is open (or none exists)."""
    cases = list(cases)
    if not cases:
        return None
    ends = [_day(c.get("closed_on")) for c in cases]
    if any(c.get("status") != "afgesloten" for c in cases) or any(e is None for e in ends):
        return None
    end = max(e for e in ends if e is not None)
    births = [_day(p.get("birth_date")) for p in persons]
    if any(b is not None and _age(b, end) < ADULT_AGE for b in births):
        start = max(end, last_change) if last_change else end
        return Term("jeugd", JEUGD_YEARS, end, add_years(start, JEUGD_YEARS))
    areas = [set(c.get("problem_areas") or ()) for c in cases]
    if all(a and a <= SCHULDHULP_AREAS for a in areas):
        return Term("schuldhulp", SCHULDHULP_YEARS, end, add_years(end, SCHULDHULP_YEARS))
    return Term("wmo", WMO_YEARS, end, add_years(end, WMO_YEARS))
