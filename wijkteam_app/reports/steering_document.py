"""The plain input of the half-year (or annual) report: tables of already formatted,
already suppressed figures. The renderer only lays them out, so it can never show a small
count or a name: nothing but these strings reaches it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class ReportTable:
    """A titled table. `widths` are relative column widths (None: the first column wide,
    the others equal)."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class GroupSection:
    """The figures of one team or wijk."""

    name: str
    tables: tuple[ReportTable, ...]


@dataclass(frozen=True, slots=True)
class SteeringReport:
    municipality_name: str
    title: str  # e.g. "Halfjaarrapportage sociaal wijkteam"
    subtitle: str  # e.g. "Wijkteam Noord · tweede halfjaar 2026 · per wijk"
    period_label: str
    period_start: date
    period_end: date
    peildatum: date
    generated_on: date
    overview: ReportTable
    groups: tuple[GroupSection, ...]
    method: tuple[str, ...]
    definitions: tuple[tuple[str, str], ...]  # (indicator label, definition)
