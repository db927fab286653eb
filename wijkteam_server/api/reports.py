"""Aggregate figures for the municipality (functioneel beheerder only).

Only aggregates leave this endpoint, with small counts suppressed (see
`wijkteam_app.sync.aggregates`); a beheerder sees no case data otherwise.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict

from wijkteam_app.sync.aggregates import Grouping, PeriodError, parse_period
from wijkteam_server.api.deps import AUTH_ERRORS, FORBIDDEN, CallerDep, EngineDep, _doc
from wijkteam_server.db import utcnow
from wijkteam_server.errors import ApiError
from wijkteam_server.reporting import ReportRequest, compute, public_csv, public_json

router = APIRouter(prefix="/reports", tags=["reports"])

REPORT_ROLE = "beheerder"


class AggregateRow(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    group: str
    indicator: str
    label: str
    category: str
    value: int | float | str | None
    basis: int | str
    unit: str


class AggregateReport(BaseModel):
    """Figures per group; ``value`` and ``basis`` are ``"<5"`` (a count) or ``"–"`` (a
    figure resting on fewer than 5) when suppressed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    period: str
    start: str
    end: str
    peildatum: str
    per: Literal["wijk", "team", "gemeente"]
    threshold: int
    instrument_versions: list[str]
    method: list[str]
    rows: list[AggregateRow]


@router.get(
    "/aggregates", response_model=AggregateReport,
    responses={**AUTH_ERRORS, **FORBIDDEN,
               400: _doc("Unknown period, or a period that has not started yet."),
               200: {"content": {"text/csv": {"schema": {"type": "string"}}},
                     "description": "The figures (JSON, or CSV with format=csv)."}},
    summary="Aggregate figures per wijk, team or gemeente (functioneel beheerder)",
)
def aggregates(
    caller: CallerDep,
    engine: EngineDep,
    period: Annotated[str, Query(min_length=4, max_length=6,
                                 description="YYYY, YYYYH1 or YYYYH2")],
    per: Annotated[Literal["wijk", "team", "gemeente"], Query()] = "wijk",
    team: Annotated[list[Annotated[str, Query(max_length=200)]] | None,
                    Query(max_length=100, description="only these teams (by name)")] = None,
    gemeente: Annotated[list[Annotated[str, Query(max_length=200)]] | None,
                        Query(max_length=100,
                              description="only teams of these municipalities")] = None,
    format: Annotated[Literal["json", "csv"], Query()] = "json",
) -> Any:
    if caller.user.role != REPORT_ROLE:
        raise ApiError(403, "forbidden")
    try:
        parsed = parse_period(period)
    except PeriodError:
        raise ApiError(400, "invalid_period") from None
    today = utcnow().date()
    if not parsed.started(today):
        raise ApiError(400, "period_not_started")
    report = compute(engine, ReportRequest(parsed, Grouping(per), today,
                                           tuple(team or ()), tuple(gemeente or ())))
    if format == "csv":
        return Response(public_csv(report), media_type="text/csv; charset=utf-8")
    return public_json(report)
