"""The audit chain from the laptops (``POST /audit``) and the access log (NEN 7513):
per household for the people who work on it, per person for the beheerder."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from wijkteam_app.sync.protocol import AccessLogList, AuditPush, AuditPushResponse
from wijkteam_server import access_log
from wijkteam_server.api.deps import (
    AUTH_ERRORS,
    CONFLICT,
    FORBIDDEN,
    NOT_FOUND,
    CallerDep,
    EngineDep,
)
from wijkteam_server.db import read_session, write_session
from wijkteam_server.errors import ApiError, not_found
from wijkteam_server.scope import in_scope

router = APIRouter(tags=["audit"])

IdPath = Annotated[str, Path(min_length=1, max_length=36)]


@router.post("/audit", response_model=AuditPushResponse,
             responses={**AUTH_ERRORS, **CONFLICT},
             summary="Append the next entries of this device's audit chain")
def push(body: AuditPush, caller: CallerDep, engine: EngineDep) -> AuditPushResponse:
    with write_session(engine) as session:
        user, device = caller.load(session)
        stored = access_log.store(session, device, user, body.entries)
    return AuditPushResponse(stored_through=stored)


@router.get("/households/{household_id}/access-log", response_model=AccessLogList,
            responses={**AUTH_ERRORS, **NOT_FOUND},
            summary="Who looked at or changed this household (its workers and coach)")
def household_log(household_id: IdPath, caller: CallerDep, engine: EngineDep) -> AccessLogList:
    with read_session(engine) as session:
        if not in_scope(session, caller.user, household_id):
            raise not_found()
        return AccessLogList(entries=access_log.for_household(session, household_id))


@router.get("/admin/access-log", response_model=AccessLogList,
            responses={**AUTH_ERRORS, **FORBIDDEN},
            summary="The access log of one person (beheerder; for an inzageverzoek)")
def person_log(person_id: Annotated[str, Query(min_length=1, max_length=36)],
               caller: CallerDep, engine: EngineDep) -> AccessLogList:
    if caller.user.role != "beheerder":
        raise ApiError(403, "forbidden")
    with read_session(engine) as session:
        return AccessLogList(entries=access_log.for_person(session, person_id))
