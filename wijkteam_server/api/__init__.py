"""HTTP routes under ``/api/v1``."""

from __future__ import annotations

from fastapi import APIRouter

from wijkteam_server.api import attachments, audit, auth, reference, sync
from wijkteam_server.api.deps import _doc

# Every operation can meet a body or parameter the framework cannot parse at all.
api_router = APIRouter(prefix="/api/v1", responses={400: _doc("Malformed request.")})
api_router.include_router(reference.router)
api_router.include_router(auth.router)
api_router.include_router(auth.me_router)
api_router.include_router(sync.router)
api_router.include_router(attachments.router)
api_router.include_router(audit.router)
