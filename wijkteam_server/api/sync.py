"""Push, pull, households in scope, and conflicts."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from sqlalchemy import select

from wijkteam_app.sync.protocol import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    ChangeSetResult,
    Conflict,
    ConflictList,
    ConflictSide,
    HouseholdList,
    HouseholdRecords,
    HouseholdSummary,
    PullResponse,
    PushError,
    PushRequest,
    PushResponse,
    ResolveRequest,
    ResolveResponse,
)
from wijkteam_server.api.auth import _check_protocol
from wijkteam_server.api.deps import (
    AUTH_ERRORS,
    CONFLICT,
    FORBIDDEN,
    NOT_FOUND,
    CallerDep,
    CredentialsDep,
    EngineDep,
    SettingsDep,
    _doc,
    authenticate,
)
from wijkteam_server.compression import accepts_zstd, zstd_stream
from wijkteam_server.db import read_session, utcnow, write_session
from wijkteam_server.errors import MESSAGES, ApiError, not_found
from wijkteam_server.feed import (
    LAST_SEEN_EVERY,
    _snapshot,
    nothing_new_page,
    plan_page,
    stream_page,
)
from wijkteam_server.models import ChangeLog, EntityRow, HouseholdAccess
from wijkteam_server.models import Conflict as ConflictRow
from wijkteam_server.scope import in_scope, principals
from wijkteam_server.sync_engine import (
    InvalidValue,
    SequenceProblem,
    process_changeset,
    resolve_conflict,
)

router = APIRouter(tags=["sync"])

IdPath = Annotated[str, Path(min_length=1, max_length=36)]


@router.post(
    "/sync/push", response_model=PushResponse,
    responses={**AUTH_ERRORS, **FORBIDDEN, 400: _doc("Unsupported protocol version."),
               409: {"model": PushError, "description": "Sequence gap or reuse."}},
    summary="Send the outbox, oldest first",
)
def push(body: PushRequest, caller: CallerDep, settings: SettingsDep,
         engine: EngineDep) -> PushResponse | JSONResponse:
    """Applies the change-sets in order, each in its own transaction. A change-set id seen
    before is answered as ``duplicate`` with its original verdict; a ``device_seq`` that is not
    exactly the last accepted + 1 stops the push with 409 and ``expected_seq``."""
    _check_protocol(body.protocol)
    if body.device_id != caller.device.id:
        raise ApiError(403, "wrong_device")
    grace = timedelta(days=settings.scope_grace_days)
    results: list[ChangeSetResult] = []
    last_seq = caller.device.last_seq
    for changeset in body.changesets:
        try:
            with write_session(engine) as session:
                user, device = caller.load(session)
                result = process_changeset(session, user.id, device.id, changeset, grace)
                last_seq = device.last_seq
        except SequenceProblem as problem:
            error = PushError(code=problem.code, message=MESSAGES[problem.code],
                              expected_seq=problem.expected, results=results,
                              last_device_seq=problem.expected - 1)
            return JSONResponse(error.model_dump(mode="json"), status_code=409)
        results.append(result)
    return PushResponse(results=results, last_device_seq=last_seq)


@router.get("/sync/pull", response_model=PullResponse, responses=AUTH_ERRORS,
            summary="The ordered change feed of my scope, after a cursor")
def pull(request: Request, credentials: CredentialsDep, settings: SettingsDep,
         engine: EngineDep, cursor: Annotated[int, Query(ge=0, le=2**62)] = 0,
         limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
         ) -> PullResponse | StreamingResponse:
    """Start with cursor 0. Store ``next_cursor`` once the page is applied; repeat while
    ``has_more``. Households entering the scope arrive as snapshots, households leaving it
    are listed in ``removed_households``.

    With nothing new after the cursor the answer comes from one indexed read; otherwise the
    page is chosen in the serialised write transaction and streamed: zstd when the client
    accepts it (the laptop does), else gzip when accepted, as every answer of this
    server."""
    caller = authenticate(credentials, settings, engine)  # in this thread: one hop, not two
    seen = caller.device.last_seen_at  # as read by the authentication a moment ago
    if seen is not None and seen > utcnow() - LAST_SEEN_EVERY:
        with read_session(engine) as session:
            quiet = nothing_new_page(session, caller.user, caller.device, cursor)
        if quiet is not None:
            return quiet
    with write_session(engine) as session:
        user, device = caller.load(session)
        plan = plan_page(session, user, device, cursor, limit)
    if accepts_zstd(request.headers.get("accept-encoding", "")):
        return StreamingResponse(zstd_stream(stream_page(engine, plan)),
                                 media_type="application/json",
                                 headers={"Content-Encoding": "zstd",
                                          "Vary": "Accept-Encoding"})
    return StreamingResponse(stream_page(engine, plan), media_type="application/json")


@router.get("/households", response_model=HouseholdList, responses=AUTH_ERRORS,
            summary="Households in my scope")
def households(caller: CallerDep, engine: EngineDep) -> HouseholdList:
    held = principals(caller.user)
    if not held:
        return HouseholdList(households=[])
    with read_session(engine) as session:
        rows = session.scalars(
            select(EntityRow).where(
                EntityRow.entity == "household",
                EntityRow.entity_id.in_(
                    select(HouseholdAccess.household_id)
                    .where(HouseholdAccess.principal.in_(held))
                ),
            ).order_by(EntityRow.entity_id)
        ).all()
        return HouseholdList(households=[
            HouseholdSummary(id=r.entity_id, name=str(r.data.get("name", "")),
                             version=r.version, deleted=r.deleted)
            for r in rows
        ])


@router.get("/households/{household_id}", response_model=HouseholdRecords,
            responses={**AUTH_ERRORS, **NOT_FOUND}, summary="Every record of one household")
def household(household_id: IdPath, caller: CallerDep, engine: EngineDep) -> HouseholdRecords:
    with read_session(engine) as session:
        if not in_scope(session, caller.user, household_id):
            raise not_found()
        seq = session.scalar(select(ChangeLog.server_seq).order_by(
            ChangeLog.server_seq.desc()).limit(1)) or 0
        rows = list(session.scalars(select(EntityRow).where(
            EntityRow.household_id == household_id)))
        return HouseholdRecords(household_id=household_id, items=_snapshot(session, seq, rows))


def conflict_model(row: ConflictRow) -> Conflict:
    return Conflict(
        id=row.id, entity=row.entity,  # type: ignore[arg-type]
        entity_id=row.entity_id, household_id=row.household_id, field=row.field,
        kind=row.kind,  # type: ignore[arg-type]
        base=row.base_value,
        mine=ConflictSide(value=row.mine_value, actor_id=row.mine_actor_id,
                          device_id=row.mine_device_id, at=row.mine_at,
                          changeset_id=row.mine_changeset_id),
        theirs=ConflictSide(value=row.theirs_value, actor_id=row.theirs_actor_id,
                            device_id=row.theirs_device_id, at=row.theirs_at),
        status=row.status,  # type: ignore[arg-type]
        created_at=row.created_at, resolved_by=row.resolved_by, resolved_at=row.resolved_at,
        resolution=row.resolution_value,
    )


@router.get("/conflicts", response_model=ConflictList, responses=AUTH_ERRORS,
            summary="Conflicts in my scope")
def conflicts(caller: CallerDep, engine: EngineDep,
              status: Literal["open", "resolved", "all"] = "open",
              household_id: Annotated[str | None, Query(max_length=36)] = None,
              ) -> ConflictList:
    held = principals(caller.user)
    if not held:
        return ConflictList(conflicts=[])
    query = select(ConflictRow).where(ConflictRow.household_id.in_(
        select(HouseholdAccess.household_id).where(HouseholdAccess.principal.in_(held))))
    if status != "all":
        query = query.where(ConflictRow.status == status)
    if household_id is not None:
        query = query.where(ConflictRow.household_id == household_id)
    with read_session(engine) as session:
        rows = session.scalars(query.order_by(ConflictRow.created_at, ConflictRow.id)).all()
        return ConflictList(conflicts=[conflict_model(r) for r in rows])


@router.get("/conflicts/{conflict_id}", response_model=Conflict,
            responses={**AUTH_ERRORS, **NOT_FOUND}, summary="One conflict")
def conflict(conflict_id: IdPath, caller: CallerDep, engine: EngineDep) -> Conflict:
    with read_session(engine) as session:
        row = session.get(ConflictRow, conflict_id)
        if row is None or not in_scope(session, caller.user, row.household_id):
            raise not_found()
        return conflict_model(row)


@router.post("/conflicts/{conflict_id}/resolve", response_model=ResolveResponse,
             responses={**AUTH_ERRORS, **NOT_FOUND, **CONFLICT, **FORBIDDEN,
                        400: _doc("The chosen value does not fit this conflict.")},
             summary="Choose mine, theirs or a new value")
def resolve(conflict_id: IdPath, body: ResolveRequest, caller: CallerDep,
            engine: EngineDep) -> ResolveResponse:
    """The choice becomes a new change-set by the server, authored by the caller, and reaches
    every device in scope through the feed."""
    try:
        with write_session(engine) as session:
            user, device = caller.load(session)
            row, changeset_id = resolve_conflict(session, user, device, conflict_id, body)
            return ResolveResponse(conflict=conflict_model(row), changeset_id=changeset_id)
    except InvalidValue as problem:
        # The value does not fit the field's type: 422 like any other invalid request body.
        raise RequestValidationError([{"loc": ("body", "value"), "msg": str(problem),
                                       "type": "value_error"}]) from None
