"""Shared request dependencies: settings, engine, the authenticated device, error docs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from wijkteam_app.sync.protocol import ErrorBody
from wijkteam_server.db import read_session, utcnow
from wijkteam_server.errors import ApiError, revoked
from wijkteam_server.models import Device, Team, User
from wijkteam_server.security import verify_access_token
from wijkteam_server.settings import Settings

bearer = HTTPBearer(auto_error=False, description="Access token from /api/v1/auth/login")


def _doc(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: _doc("Not logged in, token expired, or device revoked (then `wipe` is true)."),
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: _doc("Does not exist or is outside your scope (the two are indistinguishable)."),
}
FORBIDDEN: dict[int | str, dict[str, Any]] = {403: _doc("Not allowed for this device or role.")}
CONFLICT: dict[int | str, dict[str, Any]] = {409: _doc("The request conflicts with the state.")}


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


@dataclass(frozen=True, slots=True)
class Caller:
    """The authenticated user and device of a request (detached copies)."""

    user: User
    device: Device
    team_name: str

    def load(self, session: Session) -> tuple[User, Device]:
        """The same rows, attached to `session` (e.g. inside a write transaction)."""
        user = session.get(User, self.user.id)
        device = session.get(Device, self.device.id)
        if user is None or device is None:
            raise ApiError(401, "token_invalid")
        if device.revoked_at is not None:
            raise revoked()
        if not user.active:
            raise ApiError(401, "user_inactive")
        return user, device


def authenticate(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    settings: Annotated[Settings, Depends(get_settings)],
    engine: Annotated[Engine, Depends(get_engine)],
) -> Caller:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ApiError(401, "not_authenticated", headers={"WWW-Authenticate": "Bearer"})
    claims = verify_access_token(settings.secret, credentials.credentials, utcnow())
    if claims is None:
        raise ApiError(401, "token_invalid", headers={"WWW-Authenticate": "Bearer"})
    with read_session(engine) as session:
        # Device, user and team name in one query (every request passes here).
        found = session.execute(
            select(Device, User, Team.name).select_from(Device)
            .outerjoin(User, User.id == claims.user_id)
            .outerjoin(Team, Team.id == User.team_id)
            .where(Device.id == claims.device_id)).one_or_none()
        device, user, team_name = found if found is not None else (None, None, None)
        if device is not None and device.revoked_at is not None:
            raise revoked()
        if device is None or user is None or device.user_id != user.id:
            raise ApiError(401, "token_invalid", headers={"WWW-Authenticate": "Bearer"})
        if not user.active:  # deactivated by municipal IT: every token stops at once
            raise ApiError(401, "user_inactive", headers={"WWW-Authenticate": "Bearer"})
        session.expunge_all()
        return Caller(user=user, device=device, team_name=team_name or "")


CallerDep = Annotated[Caller, Depends(authenticate)]
# For an endpoint that authenticates in its own worker thread (`authenticate(...)` called
# first thing): one thread-pool hop per request instead of two. The sync pull, which every
# laptop makes every few minutes, does.
CredentialsDep = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]
