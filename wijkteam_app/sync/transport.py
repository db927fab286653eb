"""HTTP client of the sync protocol: httpx in, protocol models out, errors as `SyncError`s.

- TLS certificates are always verified (httpx's default; a municipal CA can be given as a
  bundle path, or through the standard ``SSL_CERT_FILE`` environment variable).
- The access token is refreshed when it has expired and, once, when the server answers 401
  to an otherwise valid request; refresh tokens rotate, and the new pair is handed to the
  `TokenHolder` at once (the caller keeps it in the OS credential store).
- Network failures, timeouts, HTTP errors and protocol errors become a `SyncError` subclass
  with a stable ``code`` and a Dutch ``message``; nothing else escapes.
- Logs name the operation, the HTTP status and the duration only: never a body, a token, a
  query string or an identifier from the path.
"""

from __future__ import annotations

import json
import logging
import ssl
import time
from typing import Any, Protocol, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from wijkteam_app.sync.protocol import (
    PROTOCOL_VERSION,
    AttachmentCreate,
    AttachmentInfo,
    Conflict,
    ConflictList,
    ErrorBody,
    HealthResponse,
    HouseholdList,
    HouseholdRecords,
    LoginRequest,
    MeResponse,
    PullResponse,
    PushError,
    PushRequest,
    PushResponse,
    RefreshRequest,
    ResolveRequest,
    ResolveResponse,
    TokenResponse,
)

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)

M = TypeVar("M", bound=BaseModel)


# --------------------------------------------------------------------------- errors


class SyncError(Exception):
    """Base of everything the sync client raises. ``message`` is Dutch, for the worker."""

    code = "sync_error"
    message = "De synchronisatie is mislukt."

    def __init__(self, detail: str = "", *, message: str | None = None) -> None:
        super().__init__(detail or self.code)
        if message:
            self.message = message


class Offline(SyncError):
    """The server could not be reached (no network, DNS, refused, timeout, dropped)."""

    code = "offline"
    message = "Geen verbinding met de server. U werkt offline verder; er gaat niets verloren."


class UntrustedCertificate(Offline):
    """The server's TLS certificate is not trusted (self-signed, expired, another name): no
    connection was made and nothing was sent. Not a network problem: municipal IT has to
    look at the certificate or the laptop's trust settings."""

    code = "untrusted_certificate"
    message = ("Het certificaat van de server wordt niet vertrouwd, dus er is geen verbinding "
               "gemaakt en niets verstuurd. Dit kan een verkeerd serveradres zijn, een "
               "verlopen certificaat of een onderschepte verbinding. U werkt offline verder; er "
               "gaat niets verloren. Neem contact op met de IT-afdeling van de gemeente.")


def _certificate_refused(exc: BaseException) -> bool:
    """True when a TLS certificate check lies somewhere in the exception's chain."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            return True
        current = current.__cause__ or current.__context__
    return False


class ServerUnavailable(SyncError):
    code = "server_error"
    message = "De server heeft een storing. Probeer het later opnieuw; er gaat niets verloren."


class AuthenticationFailed(SyncError):
    code = "invalid_credentials"
    message = "Gebruikersnaam of wachtwoord is onjuist."


class LoginRequired(SyncError):
    """No (valid) tokens: the worker has to log in again. Local work stays."""

    code = "login_required"
    message = "Uw aanmelding bij de server is verlopen. Meld u opnieuw aan; er gaat niets verloren."


class Throttled(SyncError):
    code = "throttled"
    message = "Te veel mislukte aanmeldpogingen. Probeer het over enkele minuten opnieuw."

    def __init__(self, detail: str = "", *, message: str | None = None,
                 retry_after: int | None = None) -> None:
        super().__init__(detail, message=message)
        self.retry_after = retry_after


class DeviceRevoked(SyncError):
    """The server revoked this device (``wipe``): the case file must be destroyed."""

    code = "device_revoked"
    message = "Dit apparaat is ingetrokken. De gegevens op dit apparaat worden gewist."


class Refused(SyncError):
    """Any other refusal (403, 404, 409, 400, 422)."""

    code = "refused"
    message = "De server heeft het verzoek geweigerd."

    def __init__(self, detail: str = "", *, message: str | None = None,
                 status: int = 400) -> None:
        super().__init__(detail, message=message)
        self.status = status


class ProtocolMismatch(SyncError):
    code = "protocol_unsupported"
    message = "Deze versie van de app past niet bij de server. Werk de app bij."


class SequenceError(SyncError):
    """A push stopped at a sequence gap or reuse (409). ``error`` holds the verdicts of the
    change-sets before it and the sequence number the server expects next."""

    code = "sequence_error"
    message = "De server verwacht andere wijzigingen; de app stuurt ze opnieuw."

    def __init__(self, error: PushError) -> None:
        super().__init__(error.code)
        self.error = error


# --------------------------------------------------------------------------- tokens


class TokenHolder(Protocol):
    """Where the transport finds and leaves tokens (the OS credential store in the app)."""

    def access_token(self) -> str | None: ...

    def access_expired(self) -> bool: ...

    def refresh_token(self) -> str | None: ...

    def store(self, tokens: TokenResponse) -> None: ...


def normalise_base_url(url: str) -> str:
    """``https://host:8443``, ``https://host:8443/`` and ``.../api/v1`` all mean the same."""
    clean = url.strip().rstrip("/")
    if clean.endswith(API_PREFIX):
        clean = clean[: -len(API_PREFIX)]
    if not clean.startswith(("http://", "https://")):
        raise Refused("bad_url", message="Het serveradres moet met https:// beginnen.")
    if clean.startswith("http://") and httpx.URL(clean).host not in LOOPBACK_HOSTS:
        # Plain HTTP only to this machine (a test server, or a local TLS-terminating proxy).
        raise Refused("insecure_url", message="Het serveradres moet met https:// beginnen; "
                      "een onversleutelde verbinding is alleen binnen deze computer toegestaan.")
    return clean


class Transport:
    """One server, one device. Thread-compatible (use from one thread at a time)."""

    def __init__(self, base_url: str, tokens: TokenHolder | None = None, *,
                 http_transport: httpx.BaseTransport | None = None,
                 verify: bool | str = True, timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
                 ) -> None:
        self.base_url = normalise_base_url(base_url)
        self.tokens = tokens
        self._client = httpx.Client(base_url=self.base_url + API_PREFIX, timeout=timeout,
                                    verify=verify, transport=http_transport,
                                    follow_redirects=False)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ low level

    def _raw(self, method: str, path: str, operation: str, *, auth: bool,
             body: BaseModel | None = None, content: bytes | None = None,
             params: dict[str, Any] | None = None) -> httpx.Response:
        headers: dict[str, str] = {}
        if auth:
            token = self._access_token()
            headers["Authorization"] = f"Bearer {token}"
        kwargs: dict[str, Any] = {"headers": headers, "params": params}
        if body is not None:
            kwargs["content"] = body.model_dump_json().encode()
            headers["Content-Type"] = "application/json"
        elif content is not None:
            kwargs["content"] = content
            headers["Content-Type"] = "application/octet-stream"
        started = time.perf_counter()
        try:
            response = self._client.request(method, path, **kwargs)
        except httpx.TimeoutException as exc:
            log.info("sync %s: timeout", operation)
            raise Offline(type(exc).__name__) from exc
        except httpx.TransportError as exc:
            if _certificate_refused(exc):
                log.warning("sync %s: the server's TLS certificate is not trusted", operation)
                raise UntrustedCertificate(type(exc).__name__) from exc
            log.info("sync %s: network error %s", operation, type(exc).__name__)
            raise Offline(type(exc).__name__) from exc
        log.debug("sync %s: HTTP %s in %.0f ms", operation, response.status_code,
                  (time.perf_counter() - started) * 1000)
        return response

    def _access_token(self) -> str:
        if self.tokens is None:
            raise LoginRequired("no tokens")
        token = self.tokens.access_token()
        if token is None or self.tokens.access_expired():
            self.refresh()
            token = self.tokens.access_token()
        if token is None:
            raise LoginRequired("no access token")
        return token

    def _call(self, method: str, path: str, operation: str, *, auth: bool = True,
              body: BaseModel | None = None, content: bytes | None = None,
              params: dict[str, Any] | None = None,
              allow: tuple[int, ...] = ()) -> httpx.Response:
        response = self._raw(method, path, operation, auth=auth, body=body, content=content,
                             params=params)
        if auth and response.status_code == 401:
            error = _error_body(response)
            if error is not None and error.wipe:
                raise DeviceRevoked(error.code, message=error.message)
            # An access token the server no longer takes (expired early, server key rotated):
            # refresh once and try again.
            self.refresh()
            response = self._raw(method, path, operation, auth=auth, body=body,
                                 content=content, params=params)
        if response.status_code >= 400 and response.status_code not in allow:
            raise _error_for(response, operation)
        return response

    # ------------------------------------------------------------------ auth

    def health(self) -> HealthResponse:
        return _parse(HealthResponse, self._call("GET", "/health", "health", auth=False))

    def login(self, request: LoginRequest) -> TokenResponse:
        response = self._call("POST", "/auth/login", "login", auth=False, body=request)
        tokens = _parse(TokenResponse, response)
        if self.tokens is not None:
            self.tokens.store(tokens)
        return tokens

    def refresh(self) -> TokenResponse:
        if self.tokens is None:
            raise LoginRequired("no tokens")
        refresh_token = self.tokens.refresh_token()
        if refresh_token is None:
            raise LoginRequired("no refresh token")
        response = self._raw("POST", "/auth/refresh", "refresh", auth=False,
                             body=RefreshRequest(refresh_token=refresh_token))
        if response.status_code == 401:
            error = _error_body(response)
            if error is not None and error.wipe:
                raise DeviceRevoked(error.code, message=error.message)
            raise LoginRequired(error.code if error else "refresh_invalid")
        if response.status_code >= 400:
            raise _error_for(response, "refresh")
        tokens = _parse(TokenResponse, response)
        self.tokens.store(tokens)
        return tokens

    def me(self) -> MeResponse:
        return _parse(MeResponse, self._call("GET", "/me", "me"))

    # ------------------------------------------------------------------ sync

    def push(self, request: PushRequest) -> PushResponse:
        """Raises `SequenceError` (with the server's `PushError`) on a 409."""
        response = self._call("POST", "/sync/push", "push", body=request, allow=(409,))
        if response.status_code == 409:
            try:
                error = PushError.model_validate_json(response.content)
            except ValidationError:
                raise _error_for(response, "push") from None
            log.info("sync push: sequence error %s", error.code)
            raise SequenceError(error)
        return _parse(PushResponse, response)

    def pull(self, cursor: int, limit: int) -> PullResponse:
        response = self._call("GET", "/sync/pull", "pull",
                              params={"cursor": cursor, "limit": limit})
        return _parse(PullResponse, response)

    def households(self) -> HouseholdList:
        return _parse(HouseholdList, self._call("GET", "/households", "households"))

    def household(self, household_id: str) -> HouseholdRecords:
        return _parse(HouseholdRecords,
                      self._call("GET", f"/households/{household_id}", "household"))

    def conflicts(self, status: str = "open") -> ConflictList:
        return _parse(ConflictList, self._call("GET", "/conflicts", "conflicts",
                                               params={"status": status}))

    def conflict(self, conflict_id: str) -> Conflict:
        return _parse(Conflict, self._call("GET", f"/conflicts/{conflict_id}", "conflict"))

    def resolve(self, conflict_id: str, request: ResolveRequest) -> ResolveResponse:
        return _parse(ResolveResponse, self._call(
            "POST", f"/conflicts/{conflict_id}/resolve", "resolve", body=request))

    # ------------------------------------------------------------------ attachments

    def create_attachment(self, request: AttachmentCreate) -> AttachmentInfo:
        return _parse(AttachmentInfo, self._call("POST", "/attachments", "attachment.create",
                                                 body=request))

    def attachment(self, attachment_id: str) -> AttachmentInfo:
        return _parse(AttachmentInfo, self._call("GET", f"/attachments/{attachment_id}",
                                                 "attachment"))

    def put_chunk(self, attachment_id: str, index: int, data: bytes) -> AttachmentInfo:
        return _parse(AttachmentInfo, self._call(
            "PUT", f"/attachments/{attachment_id}/chunks/{index}", "attachment.chunk",
            content=data))

    def complete_attachment(self, attachment_id: str) -> AttachmentInfo:
        return _parse(AttachmentInfo, self._call(
            "POST", f"/attachments/{attachment_id}/complete", "attachment.complete"))

    def attachment_content(self, attachment_id: str) -> bytes:
        """The verified bytes, in memory only (the caller checks the SHA-256 again)."""
        return self._call("GET", f"/attachments/{attachment_id}/content",
                          "attachment.content").content


def _parse(model: type[M], response: httpx.Response) -> M:
    try:
        parsed = model.model_validate_json(response.content)
    except ValidationError as exc:
        raise ProtocolMismatch("unexpected answer") from exc
    protocol = getattr(parsed, "protocol", PROTOCOL_VERSION)
    if protocol != PROTOCOL_VERSION:
        raise ProtocolMismatch(str(protocol))
    return parsed


def _error_body(response: httpx.Response) -> ErrorBody | None:
    try:
        data = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or "code" not in data or "message" not in data:
        return None
    try:
        return ErrorBody.model_validate({k: data[k] for k in ErrorBody.model_fields if k in data})
    except ValidationError:
        return None


def _error_for(response: httpx.Response, operation: str) -> SyncError:
    status = response.status_code
    log.info("sync %s: HTTP %s", operation, status)
    error = _error_body(response)
    code = error.code if error else f"http_{status}"
    message = error.message if error else None
    if error is not None and error.wipe:
        return DeviceRevoked(code, message=message)
    if status >= 500:
        return ServerUnavailable(code)
    if status == 401:
        if code == "invalid_credentials":
            return AuthenticationFailed(code, message=message)
        return LoginRequired(code)
    if status == 429:
        retry = error.retry_after_seconds if error else None
        return Throttled(code, message=message, retry_after=retry)
    if code == "protocol_unsupported":
        return ProtocolMismatch(code, message=message)
    return Refused(code, message=message, status=status)
