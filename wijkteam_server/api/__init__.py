"""HTTP routes under ``/api/v1``."""

from __future__ import annotations

from typing import Any, get_args, get_origin

from fastapi import APIRouter, Depends, Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

from wijkteam_server.api import attachments, audit, auth, consent_audit, reference, reports, sync
from wijkteam_server.api.deps import _doc


def _repeats(annotation: Any) -> bool:
    """A list (also ``list[...] | None``) may be given more than once."""
    if get_origin(annotation) in (list, set, tuple):
        return True
    return any(get_origin(arg) in (list, set, tuple) for arg in get_args(annotation))


def _query_params(dependant: Dependant) -> dict[str, bool]:
    """Declared query parameters -> whether each may repeat (a list)."""
    params = {p.alias: _repeats(p.field_info.annotation) for p in dependant.query_params}
    for sub in dependant.dependencies:
        params.update(_query_params(sub))
    return params


async def known_query_only(request: Request) -> None:
    """Refuse query parameters an operation does not declare, and a single-valued one given
    twice (422), as the OpenAPI document says: a misspelt filter must not silently mean "all",
    and ``?wijk=a&wijk=b`` is not "wijk b"."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    allowed = _query_params(route.dependant)
    errors = [{"loc": ("query", name), "msg": "Extra inputs are not permitted",
               "type": "extra_forbidden"} for name in sorted(set(request.query_params))
              if name not in allowed]
    errors += [{"loc": ("query", name), "msg": "Only one value is allowed",
                "type": "too_long"} for name, repeats in sorted(allowed.items())
               if not repeats and len(request.query_params.getlist(name)) > 1]
    if errors:
        raise RequestValidationError(errors)


# Every operation can meet a body or parameter the framework cannot parse at all.
api_router = APIRouter(prefix="/api/v1", responses={400: _doc("Malformed request.")},
                       dependencies=[Depends(known_query_only)])
api_router.include_router(reference.router)
api_router.include_router(auth.router)
api_router.include_router(auth.me_router)
api_router.include_router(sync.router)
api_router.include_router(attachments.router)
api_router.include_router(reports.router)
api_router.include_router(audit.router)
api_router.include_router(consent_audit.router)
