"""Passwords (Argon2id via argon2-cffi) and tokens (stdlib HMAC-SHA256).

Access tokens are small signed strings ``base64url(payload).base64url(hmac)``; the payload
names the user, the device, the expiry and the token type. We use the standard library's
``hmac``/``hashlib`` rather than a JWT library: there is no JWT library in our dependency set,
we need exactly one algorithm with one server-held key (no algorithm negotiation, no ``alg:
none`` class of mistakes, no key-id lookups), and ``hmac.compare_digest`` gives a constant-time
check. Every request still loads the device and user from the database, so revoking a device or
deactivating a user takes effect at once rather than when the token expires.

Refresh tokens are 256-bit random strings; only their SHA-256 is stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()  # argon2-cffi's defaults: Argon2id, RFC 9106 "low memory" profile
# Verified against when the username does not exist, so both cases take the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: str
    device_id: str
    expires_at: datetime


def issue_access_token(secret: bytes, user_id: str, device_id: str, now: datetime,
                       lifetime: timedelta) -> tuple[str, datetime]:
    expires = now + lifetime
    payload = json.dumps(
        {"typ": "access", "sub": user_id, "dev": device_id, "exp": int(_timestamp(expires)),
         "jti": secrets.token_hex(8)},
        separators=(",", ":"),
    ).encode()
    body = _b64(payload)
    sig = hmac.new(secret, body.encode("ascii"), hashlib.sha256).digest()
    return f"{body}.{_b64(sig)}", expires


def verify_access_token(secret: bytes, token: str, now: datetime) -> AccessClaims | None:
    """The claims of a valid, unexpired access token; None for anything else."""
    try:
        body, sig = token.split(".")
        expected = hmac.new(secret, body.encode("ascii"), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _unb64(sig)):
            return None
        payload = json.loads(_unb64(body))
        if payload.get("typ") != "access":
            return None
        exp = int(payload["exp"])
        if exp <= _timestamp(now):
            return None
        expires = datetime.fromtimestamp(exp, UTC).replace(tzinfo=None)
        return AccessClaims(str(payload["sub"]), str(payload["dev"]), expires)
    except (ValueError, KeyError, TypeError, UnicodeError):
        return None


def _timestamp(moment: datetime) -> float:
    """Seconds since the epoch; naive datetimes are UTC."""
    return moment.replace(tzinfo=UTC).timestamp() if moment.tzinfo is None else moment.timestamp()


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def refresh_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
