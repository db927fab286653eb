"""Today's date, replaceable in tests and demos."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

Clock = Callable[[], date]


def system_today() -> date:
    return date.today()
