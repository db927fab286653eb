"""The consent audit (beheerder only): shares the consent on the server did not cover
(`wijkteam_server.consent_audit`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from wijkteam_server import consent_audit
from wijkteam_server.api.deps import AUTH_ERRORS, FORBIDDEN, CallerDep, EngineDep
from wijkteam_server.errors import ApiError

router = APIRouter(prefix="/admin", tags=["audit"])

AUDIT_ROLE = "beheerder"


@router.get("/consent-audit", response_model=consent_audit.ConsentAuditReport,
            responses={**AUTH_ERRORS, **FORBIDDEN},
            summary="Shares that the consent on the server did not cover (beheerder)")
def consent_audit_report(
    caller: CallerDep,
    engine: EngineDep,
    since: Annotated[date | None, Query(description="from this day (YYYY-MM-DD, Dutch "
                                                    "calendar day, inclusive)")] = None,
    until: Annotated[date | None, Query(description="up to and including this day "
                                                    "(YYYY-MM-DD)")] = None,
    household_id: Annotated[str | None, Query(min_length=1, max_length=36,
                                              description="only this household")] = None,
) -> consent_audit.ConsentAuditReport:
    if caller.user.role != AUDIT_ROLE:
        raise ApiError(403, "forbidden")
    return consent_audit.run(engine, since=since, until=until, household_id=household_id)
