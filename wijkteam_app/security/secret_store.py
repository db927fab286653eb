"""The OS credential store (keyring). The only module that imports `keyring`.

There is no plaintext fallback: when no real backend is available the app refuses to work
and says what to install.
"""

from __future__ import annotations

import base64
import contextlib
import secrets

import keyring
import keyring.backend
import keyring.errors
from keyring.backends.chainer import ChainerBackend

from wijkteam_app.errors import KeyringSecretMissing, KeyringUnavailable

SERVICE = "nl.wijkteam.dossier"
SECRET_BYTES = 32

_REJECTED_MODULES = ("keyring.backends.fail", "keyring.backends.null")


def _describe(backend: keyring.backend.KeyringBackend) -> str:
    return f"{type(backend).__module__}.{type(backend).__name__}"


def _is_usable(backend: keyring.backend.KeyringBackend) -> bool:
    """A real credential store; not the 'fail'/'null' stubs nor keyrings.alt's plain files."""
    module = type(backend).__module__
    if module in _REJECTED_MODULES or module.startswith("keyrings.alt"):
        return False
    if isinstance(backend, ChainerBackend):
        return any(_is_usable(b) for b in backend.backends)
    return True


def backend_name() -> str:
    return _describe(keyring.get_keyring())


def ensure_available() -> None:
    """Raise KeyringUnavailable unless a real credential store answers."""
    backend = keyring.get_keyring()
    if not _is_usable(backend):
        raise KeyringUnavailable(backend_name())
    try:
        backend.get_password(SERVICE, "probe")
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailable(type(exc).__name__) from exc


def create_secret(account: str) -> bytes:
    """A fresh random secret, stored in the credential store under this account."""
    ensure_available()
    secret = secrets.token_bytes(SECRET_BYTES)
    try:
        keyring.set_password(SERVICE, account, base64.b64encode(secret).decode("ascii"))
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailable(type(exc).__name__) from exc
    return secret


def load_secret(account: str) -> bytes:
    ensure_available()
    try:
        value = keyring.get_password(SERVICE, account)
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailable(type(exc).__name__) from exc
    if value is None:
        raise KeyringSecretMissing(account)
    return base64.b64decode(value)


def delete_secret(account: str) -> None:
    with contextlib.suppress(keyring.errors.PasswordDeleteError):
        keyring.delete_password(SERVICE, account)
