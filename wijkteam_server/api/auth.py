"""Login (with device registration), refresh-token rotation, and who-am-I."""

from __future__ import annotations

import math
import uuid
from datetime import datetime, timedelta

from fastapi import APIRouter, Request
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from wijkteam_app.sync.protocol import (
    PROTOCOL_VERSION,
    LoginRequest,
    MandateInfo,
    MeResponse,
    RefreshRequest,
    TokenResponse,
    UserInfo,
)
from wijkteam_server.api.deps import AUTH_ERRORS, CallerDep, EngineDep, SettingsDep, _doc
from wijkteam_server.db import read_session, utcnow, write_session
from wijkteam_server.errors import ApiError, revoked
from wijkteam_server.models import (
    Device,
    DeviceUser,
    LoginThrottle,
    Mandate,
    RefreshToken,
    Team,
    User,
)
from wijkteam_server.security import (
    hash_password,
    issue_access_token,
    needs_rehash,
    new_refresh_token,
    refresh_token_hash,
    verify_password,
)
from wijkteam_server.settings import Settings

router = APIRouter(prefix="/auth", tags=["auth"])

LOGIN_ERRORS = {
    **AUTH_ERRORS,
    400: _doc("Unsupported protocol version."),
    403: _doc("The device id belongs to another team."),
    429: _doc("Too many failed logins for this username or address; see Retry-After."),
}


def user_info(user: User, team_name: str) -> UserInfo:
    return UserInfo(id=user.id, username=user.username, display_name=user.display_name,
                    role=user.role,  # type: ignore[arg-type]
                    team_id=user.team_id, team_name=team_name)


def _check_protocol(version: str) -> None:
    if version != PROTOCOL_VERSION:
        raise ApiError(400, "protocol_unsupported")


def _issue(session: Session, settings: Settings, user: User, device: Device,
           now: datetime) -> TokenResponse:
    access, access_expires = issue_access_token(
        settings.secret, user.id, device.id, now, timedelta(minutes=settings.access_token_minutes)
    )
    refresh = new_refresh_token()
    refresh_expires = now + timedelta(days=settings.refresh_token_days)
    session.add(RefreshToken(token_hash=refresh_token_hash(refresh), device_id=device.id,
                             user_id=user.id, issued_at=now, expires_at=refresh_expires,
                             used_at=None, revoked=False))
    team = session.get(Team, user.team_id)
    return TokenResponse(access_token=access, access_expires_at=access_expires,
                         refresh_token=refresh, refresh_expires_at=refresh_expires,
                         device_id=device.id, last_device_seq=device.last_seq,
                         user=user_info(user, team.name if team else ""))


def _throttle_keys(username: str, address: str) -> tuple[str, str]:
    return f"user:{username.lower()}", f"addr:{address}"


def _locked_for(session: Session, keys: tuple[str, ...], now: datetime) -> int | None:
    longest: int | None = None
    for key in keys:
        row = session.get(LoginThrottle, key)
        if row is not None and row.locked_until is not None and row.locked_until > now:
            seconds = math.ceil((row.locked_until - now).total_seconds())
            longest = max(longest or 0, seconds)
    return longest


def _record_failure(session: Session, key: str, limit: int, settings: Settings,
                    now: datetime) -> None:
    row = session.get(LoginThrottle, key)
    window = timedelta(minutes=settings.login_window_minutes)
    if row is None:
        row = LoginThrottle(key=key, failures=0, window_start=now, locked_until=None)
        session.add(row)
    if now - row.window_start > window:
        row.failures = 0
        row.window_start = now
    row.failures += 1
    if row.failures >= limit:
        row.locked_until = now + timedelta(minutes=settings.login_lock_minutes)
        row.failures = 0
        row.window_start = now


def _throttled(seconds: int) -> ApiError:
    return ApiError(429, "throttled", retry_after_seconds=seconds,
                    headers={"Retry-After": str(seconds)})


@router.post("/login", response_model=TokenResponse, responses=LOGIN_ERRORS,
             summary="Log in with username and password; registers this device")
def login(body: LoginRequest, request: Request, settings: SettingsDep,
          engine: EngineDep) -> TokenResponse:
    """Checks the password (Argon2id), registers or re-registers the device and returns an
    access token (minutes) and a refresh token (days). Failed logins are throttled per
    username and per client address; while locked, even the right password is refused."""
    _check_protocol(body.protocol)
    address = request.client.host if request.client else "unknown"
    keys = _throttle_keys(body.username, address)
    now = utcnow()
    with read_session(engine) as session:
        locked = _locked_for(session, keys, now)
        user = session.scalar(select(User).where(User.username == body.username))
        stored_hash = user.password_hash if user is not None else None
    if locked:
        raise _throttled(locked)
    ok = verify_password(stored_hash, body.password) and user is not None and user.active
    with write_session(engine) as session:
        if not ok:
            _record_failure(session, keys[0], settings.login_max_failures_user, settings, now)
            _record_failure(session, keys[1], settings.login_max_failures_address, settings, now)
        else:
            row = session.get(LoginThrottle, keys[0])
            if row is not None:
                session.delete(row)
    if not ok:
        raise ApiError(401, "invalid_credentials")
    assert user is not None and stored_hash is not None
    new_hash = hash_password(body.password) if needs_rehash(stored_hash) else None
    with write_session(engine) as session:
        fresh = session.get(User, user.id)
        assert fresh is not None
        if new_hash:
            fresh.password_hash = new_hash
        device = session.get(Device, body.device_id) if body.device_id else None
        if device is not None:
            if device.revoked_at is not None:
                raise revoked()
            if device.user_id != fresh.id:
                owner = session.get(User, device.user_id)
                if owner is None or owner.team_id != fresh.team_id:
                    raise ApiError(403, "device_in_use")
                session.execute(update(RefreshToken).where(RefreshToken.device_id == device.id)
                                .values(revoked=True))
                device.user_id = fresh.id
            device.name = body.device_name
        else:
            device = Device(id=body.device_id or str(uuid.uuid4()), user_id=fresh.id,
                            name=body.device_name, registered_at=now, last_seen_at=now,
                            last_seq=0, directory_seq=None, revoked_at=None)
            session.add(device)
            session.flush()
        if session.get(DeviceUser, (device.id, fresh.id)) is None:
            session.add(DeviceUser(device_id=device.id, user_id=fresh.id, first_at=now))
        device.last_seen_at = now
        return _issue(session, settings, fresh, device, now)


@router.post("/refresh", response_model=TokenResponse, responses={
    **AUTH_ERRORS, 400: _doc("Unsupported protocol version.")},
    summary="Exchange a refresh token for new tokens (rotation)")
def refresh(body: RefreshRequest, settings: SettingsDep, engine: EngineDep) -> TokenResponse:
    """Each refresh token works once. Reusing a spent one revokes all refresh tokens of its
    device. A revoked device gets 401 with ``wipe``."""
    _check_protocol(body.protocol)
    now = utcnow()
    reused = False
    with write_session(engine) as session:
        token = session.get(RefreshToken, refresh_token_hash(body.refresh_token))
        if token is None:
            raise ApiError(401, "refresh_invalid")
        device = session.get(Device, token.device_id)
        user = session.get(User, token.user_id)
        if device is not None and device.revoked_at is not None:
            raise revoked()
        if token.used_at is not None or token.revoked:
            session.execute(update(RefreshToken).where(RefreshToken.device_id == token.device_id)
                            .values(revoked=True))
            reused = token.used_at is not None
        elif (token.expires_at <= now or device is None or user is None or not user.active
              or device.user_id != user.id):
            raise ApiError(401, "refresh_invalid")
        else:
            token.used_at = now
            device.last_seen_at = now
            return _issue(session, settings, user, device, now)
    # Outside the transaction, so the revocation above is committed.
    raise ApiError(401, "refresh_reused" if reused else "refresh_invalid")


me_router = APIRouter(tags=["auth"])


@me_router.get("/me", response_model=MeResponse, responses=AUTH_ERRORS,
               summary="The logged-in worker, this device and the worker's mandate")
def me(caller: CallerDep, engine: EngineDep) -> MeResponse:
    with read_session(engine) as session:
        mandate = session.get(Mandate, caller.user.id)
        info = (MandateInfo(max_amount_eur=mandate.max_amount_cents / 100,
                            provisions=list(mandate.provisions)) if mandate else None)
    return MeResponse(user=user_info(caller.user, caller.team_name),
                      device_id=caller.device.id, device_name=caller.device.name,
                      last_device_seq=caller.device.last_seq, mandate=info,
                      server_time=utcnow())
