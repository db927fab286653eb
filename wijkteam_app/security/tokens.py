"""The sync login of a profile, kept in the OS credential store — never in a file.

One keyring entry per profile (account ``sync:<profile id>``, same service as the profile's
key secret) holds a small JSON document: the device id, the access token with its expiry and
the refresh token. Like `secret_store`, there is no plaintext fallback: without a usable
credential store, logging in is refused (`KeyringUnavailable`).

This module talks to `keyring` directly because it stores text rather than a random secret;
availability is checked with `secret_store.ensure_available`, so the same backends are
refused.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime

import keyring
import keyring.errors

from wijkteam_app.errors import KeyringUnavailable
from wijkteam_app.security import secret_store


@dataclass(frozen=True, slots=True)
class SyncTokens:
    device_id: str
    access_token: str
    access_expires_at: str  # ISO-8601, UTC
    refresh_token: str
    refresh_expires_at: str

    def access_valid(self, now: datetime | None = None, margin_seconds: int = 30) -> bool:
        moment = now or datetime.now(UTC)
        expires = datetime.fromisoformat(self.access_expires_at)
        if expires.tzinfo is None:
            expires = expires.replace(tzinfo=UTC)
        return (expires - moment).total_seconds() > margin_seconds

    def with_access(self, access_token: str, access_expires_at: str, refresh_token: str,
                    refresh_expires_at: str) -> SyncTokens:
        return replace(self, access_token=access_token, access_expires_at=access_expires_at,
                       refresh_token=refresh_token, refresh_expires_at=refresh_expires_at)


def account_for(profile_id: str) -> str:
    return f"sync:{profile_id}"


class TokenStore:
    """Reads and writes one profile's sync tokens in the credential store."""

    def __init__(self, profile_id: str) -> None:
        self.account = account_for(profile_id)

    def load(self) -> SyncTokens | None:
        secret_store.ensure_available()
        try:
            raw = keyring.get_password(secret_store.SERVICE, self.account)
        except keyring.errors.KeyringError as exc:
            raise KeyringUnavailable(type(exc).__name__) from exc
        if raw is None:
            return None
        try:
            return SyncTokens(**json.loads(raw))
        except (TypeError, ValueError):
            return None  # unreadable entry: treated as "not logged in"

    def save(self, tokens: SyncTokens) -> None:
        secret_store.ensure_available()
        try:
            keyring.set_password(secret_store.SERVICE, self.account, json.dumps(asdict(tokens)))
        except keyring.errors.KeyringError as exc:
            raise KeyringUnavailable(type(exc).__name__) from exc

    def delete(self) -> None:
        with contextlib.suppress(keyring.errors.KeyringError):
            keyring.delete_password(secret_store.SERVICE, self.account)
