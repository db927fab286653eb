"""Logging in to the municipal server and synchronising the case file with it.

`SyncService` is what the CLI and the UI use:
- `login` registers this case file's device, keeps the tokens in the OS credential store and
  makes everything recorded on this laptop belong to the logged-in worker and team;
- `sync_once` pushes the outbox and pulls the feed; it never raises for being offline (or any
  other sync problem): everything is in the returned `SyncReport`;
- `status`, `conflicts`, `resolve`, `full_resync` and `logout` (which never destroys unsynced
  work: it syncs first and refuses while anything is still waiting);
- `refusals`, `warnings` and `quarantine`: what the server refused or warned about, and the
  pulled records set aside because they could not be applied (plain dataclasses).

The sync tokens are read from the OS credential store once per session (`_KeyringTokens`).

A revoked device is wiped on its next contact with the server: case file, WAL, key file,
keyring secret, tokens and backups.
"""

from __future__ import annotations

import logging
import platform
import shutil
import socket
import threading
from dataclasses import dataclass
from datetime import UTC
from typing import Any, Literal

import httpx
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wijkteam_app.errors import WijkteamError
from wijkteam_app.persistence import repositories as repo
from wijkteam_app.persistence.casefile import get_state, set_state, utcnow
from wijkteam_app.persistence.codec import from_plain
from wijkteam_app.persistence.schema import (
    HouseholdRecord,
    OutboxRecord,
    PlanSignatureRecord,
    PlanVersionRecord,
    TeamRecord,
    WorkerRecord,
)
from wijkteam_app.persistence.sync_schema import (
    SyncConflictRecord,
    SyncStateRecord,
)
from wijkteam_app.security import keys, secret_store
from wijkteam_app.security.tokens import SyncTokens, TokenStore
from wijkteam_app.services.access_log import push_audit_chain
from wijkteam_app.services.profile import Workspace
from wijkteam_app.services.retention import look_due as retention_look_due
from wijkteam_app.services.retention import schedule_expired
from wijkteam_app.sync.engine import SyncEngine, entity_classes
from wijkteam_app.sync.engine import look as sync_look
from wijkteam_app.sync.protocol import (
    AccessLogEntry,
    LoginRequest,
    ResolveRequest,
    TokenResponse,
    UserInfo,
)
from wijkteam_app.sync.state import (
    STATE_ID,
    ConflictSideView,
    ConflictView,
    QuarantineView,
    RefusalView,
    SyncReport,
    SyncStatus,
    SyncWarningView,
    load_state,
    open_conflict_count,
    pending_count,
    quarantine_count,
    quarantine_views,
    refused_changesets,
    rejected_count,
    unsettled_rows,
    warning_views,
)
from wijkteam_app.sync.transport import (
    DeviceRevoked,
    LoginRequired,
    Offline,
    SyncError,
    Transport,
)

log = logging.getLogger(__name__)

__all__ = ["ConflictView", "LoginResult", "QuarantineView", "RefusalView", "SyncReport",
           "SyncService", "SyncStatus", "SyncWarningView", "UnsyncedWork"]

Choice = Literal["mine", "theirs", "value"]


class UnsyncedWork(WijkteamError):
    """Logging out (or switching server) now would leave work that never reached the server."""

    code = "unsynced_work"
    message = ("Er zijn nog wijzigingen die de server niet heeft ontvangen. Synchroniseer "
               "eerst; afmelden kan pas als alles is verstuurd.")


@dataclass(frozen=True, slots=True)
class LoginResult:
    user_id: str
    username: str
    display_name: str
    role: str
    team_id: str
    team_name: str
    device_id: str
    adopted_local_identity: bool


class _KeyringTokens:
    """The transport's `TokenHolder`, backed by the OS credential store.

    Read from the credential store once per session (a Secret Service round trip costs tens
    of milliseconds), kept in memory, written back whenever the server hands out a new pair.
    Before a refresh the store is read again: another process of this profile (the CLI next
    to the window) may have rotated the pair, and presenting a spent refresh token would make
    the server revoke every token of this device."""

    def __init__(self, store: TokenStore) -> None:
        self._store = store
        self._cached: SyncTokens | None = store.load()

    @property
    def tokens(self) -> SyncTokens | None:
        return self._cached

    def access_token(self) -> str | None:
        return self._cached.access_token if self._cached else None

    def access_expired(self) -> bool:
        return self._cached is None or not self._cached.access_valid()

    def refresh_token(self) -> str | None:
        self._cached = self._store.load()
        return self._cached.refresh_token if self._cached else None

    def store(self, tokens: TokenResponse) -> None:
        self._cached = SyncTokens(
            device_id=tokens.device_id, access_token=tokens.access_token,
            access_expires_at=tokens.access_expires_at.isoformat(),
            refresh_token=tokens.refresh_token,
            refresh_expires_at=tokens.refresh_expires_at.isoformat())
        self._store.save(self._cached)


def _swap(value: Any, mapping: dict[str, str]) -> Any:
    """The same JSON value with every string found in `mapping` replaced."""
    if isinstance(value, str):
        return mapping.get(value, value)
    if isinstance(value, list):
        return [_swap(v, mapping) for v in value]
    if isinstance(value, dict):
        return {k: _swap(v, mapping) for k, v in value.items()}
    return value


_OS_NAMES = {"Windows": "Windows", "Darwin": "macOS", "Linux": "Linux"}


def default_device_name() -> str:
    """What municipal IT sees in ``wijkteam-server device list``: "<computer name> (<OS>)",
    e.g. "WIJK-LT-0412 (Windows)", so laptops of one worker can be told apart."""
    host = socket.gethostname().split(".")[0].strip() or "Wijkteam-laptop"
    system = platform.system()
    return f"{host[:150]} ({_OS_NAMES.get(system, system or 'onbekend')})"


class SyncService:
    def __init__(self, workspace: Workspace, *,
                 http_transport: httpx.BaseTransport | None = None,
                 verify: bool | str = True, device_name: str | None = None,
                 page_size: int | None = None) -> None:
        self.workspace = workspace
        self._http_transport = http_transport
        self._verify = verify
        self._device_name = (device_name or default_device_name())[:200]
        self._page_size = page_size
        self._online: bool | None = None
        self._lock = threading.Lock()
        self._wiped = False
        self._shared: Transport | None = None
        self._tokens: _KeyringTokens | None = None  # read once per session, see _KeyringTokens
        with workspace.casefile.read() as session:
            profile_id = get_state(session, "profile_id")
        self._profile_id = profile_id or workspace.casefile.device_id
        self._token_store = TokenStore(self._profile_id)

    # ------------------------------------------------------------------ helpers

    @property
    def wiped(self) -> bool:
        return self._wiped

    def _transport(self, url: str, tokens: _KeyringTokens | None) -> Transport:
        return Transport(url, tokens, http_transport=self._http_transport, verify=self._verify)

    def _shared_transport(self, url: str, tokens: _KeyringTokens) -> Transport:
        """One HTTP client per service, kept between syncs (call with `_lock` held): creating
        one (TLS context) costs about 20 ms, and its connection is reused."""
        shared = self._shared
        if shared is None or shared.base_url != url:
            if shared is not None:
                shared.close()
            shared = self._shared = self._transport(url, tokens)
        shared.tokens = tokens
        return shared

    def _session_tokens(self) -> _KeyringTokens:
        """The tokens of this session: read from the credential store the first time only
        (call with `_lock` held)."""
        if self._tokens is None:
            self._tokens = _KeyringTokens(self._token_store)
        return self._tokens

    def close(self) -> None:
        """Close the kept HTTP connection (the window calls this on exit)."""
        with self._lock:
            if self._shared is not None:
                self._shared.close()
                self._shared = None

    def _engine(self, transport: Transport) -> SyncEngine:
        kwargs: dict[str, Any] = {}
        if self._page_size:
            kwargs["page_size"] = self._page_size
        return SyncEngine(self.workspace.casefile, transport,
                          actor_id=self.workspace.actor_id, **kwargs)

    # ------------------------------------------------------------------ login

    def login(self, url: str, username: str, password: str) -> LoginResult:
        """Register this device with the server and remember the login (tokens in the OS
        credential store). On the first login, everything recorded under the local identity
        `wijkteam init` made is rewritten to the server's worker and team in one save, so it
        travels to the server with the next push. Raises `SyncError`s (Dutch message)."""
        casefile = self.workspace.casefile
        tokens = _KeyringTokens(self._token_store)
        with self._lock, self._transport(url, tokens) as transport:
            try:
                answer = transport.login(LoginRequest(
                    username=username, password=password, device_name=self._device_name,
                    device_id=casefile.device_id))
            except DeviceRevoked:
                self._wipe()
                raise
            user = answer.user
            base_url = transport.base_url
            self._tokens = tokens  # the new pair is this session's from now on
        adopted = self._adopt_identity(base_url, user)
        log.info("logged in to the sync server (device registered)")
        return LoginResult(user.id, user.username, user.display_name, user.role, user.team_id,
                           user.team_name, answer.device_id, adopted)

    def _adopt_identity(self, base_url: str, user: UserInfo) -> bool:
        casefile = self.workspace.casefile
        with casefile.read() as session:
            state = load_state(session)
            first = state is None
            current = get_state(session, "current_worker_id")
            local_worker = session.get(WorkerRecord, current) if current else None
            local_team_id = local_worker.team_id if local_worker is not None else None
            self._upsert_directory(session, user)
            if state is None:
                state = SyncStateRecord(
                    id=STATE_ID, cursor=0, pushed_seq=0, open_conflicts=0,
                    local_worker_id=current, local_team_id=local_team_id)
                session.add(state)
            elif state.server_url != base_url and unsettled_rows(session, 1):
                raise UnsyncedWork("other server")
            elif state.server_url != base_url:
                state.cursor = 0  # another server: its feed starts from the beginning
            state.server_url = base_url
            state.user_id = user.id
            state.username = user.username
            state.display_name = user.display_name
            state.role = user.role
            state.team_id = user.team_id
            state.team_name = user.team_name
            state.logged_in = True
            state.last_error = None
        mapping: dict[str, str] = {}
        if first and current and current != user.id:
            mapping[current] = user.id
        if first and local_team_id and local_team_id != user.team_id:
            mapping[local_team_id] = user.team_id
        if mapping:
            with casefile.save(user.id, "sync.identiteit_overnemen", "medewerker",
                               user.id) as ctx:
                self._rewrite_references(ctx.session, mapping)
                set_state(ctx.session, "current_worker_id", user.id)
            self._drop_placeholders(list(mapping))
        else:
            with casefile.read() as session:
                set_state(session, "current_worker_id", user.id)
        with casefile.read() as session:
            self.workspace.worker = repo.worker_from(repo.require(session, WorkerRecord,
                                                                  user.id))
            self.workspace.team = repo.team_from(repo.require(session, TeamRecord,
                                                              user.team_id))
        return bool(mapping)

    @staticmethod
    def _upsert_directory(session: Session, user: UserInfo) -> None:
        """The server's team and worker records (server-owned: written without outbox)."""
        team = session.get(TeamRecord, user.team_id)
        if team is None:
            session.add(TeamRecord(id=user.team_id, version=0, name=user.team_name,
                                   wijken=[], prefers_zrm_2013=False))
        elif team.name != user.team_name:
            team.name = user.team_name
        session.flush()
        worker = session.get(WorkerRecord, user.id)
        if worker is None:
            session.add(WorkerRecord(id=user.id, version=0, username=user.username,
                                     display_name=user.display_name, role=user.role,
                                     team_id=user.team_id))
        else:
            worker.username = user.username
            worker.display_name = user.display_name
            worker.role = user.role
            worker.team_id = user.team_id
        session.flush()

    @staticmethod
    def _rewrite_references(session: Session, mapping: dict[str, str]) -> None:
        """Every reference to the local worker or team, in every record (JSON included), and
        in the outbox rows not yet sent, now names the server's worker and team.

        Two things are left alone on purpose: the content of a plan version that left
        CONCEPT (it is frozen and fingerprinted; signatures bind that fingerprint) and
        signatures themselves."""
        for cls in entity_classes().values():
            if cls is PlanSignatureRecord:
                continue
            columns = [a.key for a in cls.__mapper__.column_attrs
                       if a.key not in ("id", "version")]
            for record in session.scalars(select(cls)):
                for name in columns:
                    if cls is PlanVersionRecord and name in ("content", "fingerprint"):
                        continue
                    old = getattr(record, name)
                    new = _swap(old, mapping)
                    if new != old:
                        setattr(record, name, new)
                if isinstance(record, PlanVersionRecord) and record.status == "concept":
                    SyncService._rewrite_concept(record, mapping)
        pushed = session.scalar(select(SyncStateRecord.pushed_seq)) or 0
        for row in session.scalars(select(OutboxRecord).where(OutboxRecord.seq > pushed)):
            row.actor_id = mapping.get(row.actor_id, row.actor_id)
            changes = _swap(row.changes, mapping)
            if changes != row.changes:
                row.changes = changes

    @staticmethod
    def _rewrite_concept(record: PlanVersionRecord, mapping: dict[str, str]) -> None:
        from wijkteam_app.domain.plans import PlanContent, fingerprint

        content = _swap(record.content, mapping)
        if content != record.content:
            record.content = content
            record.fingerprint = fingerprint(from_plain(PlanContent, content))

    def _drop_placeholders(self, local_ids: list[str]) -> None:
        """Remove the local worker and team `wijkteam init` made, once nothing refers to
        them (they were never on the server; nothing is pushed)."""
        with self.workspace.casefile.read() as session:
            for cls in (WorkerRecord, TeamRecord):
                for local_id in local_ids:
                    record = session.get(cls, local_id)
                    if record is None:
                        continue
                    try:
                        with session.begin_nested():
                            session.delete(record)
                            session.flush()
                    except IntegrityError:
                        log.info("local %s placeholder still referenced; kept", cls.__entity__)

    # ------------------------------------------------------------------ sync

    def sync_once(self) -> SyncReport:
        """Push, then pull. Never raises for a sync problem: see the report."""
        report = SyncReport()
        with self._lock:
            if self._wiped:
                report.wiped = True
                report.fail("device_revoked", DeviceRevoked.message)
                return report
            self._run(report, full=False)
        return report

    def full_resync(self) -> SyncReport:
        """Push, then pull the whole feed again. Local work waiting for the server is kept."""
        report = SyncReport()
        with self._lock:
            if not self._wiped:
                self._run(report, full=True)
        return report

    def _run(self, report: SyncReport, *, full: bool) -> None:
        casefile = self.workspace.casefile
        today = self.workspace.today()
        with casefile.read() as session:  # the one read before the server is asked
            look = sync_look(session)
            url = look.server_url if look is not None and look.logged_in else None
            retention_due = url is not None and look is not None and \
                retention_look_due(session, today, look.cursor)
        tokens = self._session_tokens() if url else None
        if url is None or tokens is None or tokens.tokens is None:
            self._tokens = None  # a login from another process is picked up next time
            report.login_required = True
            report.fail(LoginRequired.code, LoginRequired.message)
            return
        completed = False
        try:
            transport = self._shared_transport(url, tokens)
            engine = self._engine(transport)
            # Closed cases past the laptop term leave at this run (engine's removal path);
            # households marked now are not in the look, which the engine then takes again.
            if retention_due and schedule_expired(casefile, self.workspace.actor_id, today):
                look = None
            if full:
                engine.full_resync(report)
            else:
                engine.run(report, look)
            push_audit_chain(casefile, transport)  # the access log travels too (NEN 7513)
            completed = True  # the engine wrote the sync time and the counts
            self._online = True
        except DeviceRevoked as exc:
            self._online = True
            report.wiped = True
            report.fail(exc.code, exc.message)
            self._wipe()
            return
        except Offline as exc:
            self._online = False
            report.offline = True
            report.fail(exc.code, exc.message)
        except LoginRequired as exc:
            self._online = True
            report.login_required = True
            report.fail(exc.code, exc.message)
        except SyncError as exc:
            report.fail(exc.code, exc.message)
        except Exception as exc:  # e.g. the disk is full: reported, never raised to the UI
            log.error("sync stopped by an unexpected %s", type(exc).__name__)
            report.fail(SyncError.code, SyncError.message)
        if not completed:
            with casefile.read() as session:
                state = load_state(session)
                if state is not None:
                    state.last_attempt_at = utcnow()
                    state.last_error = report.error_codes[0][:64] if report.error_codes \
                        else None
                    report.open_conflicts = max(report.open_conflicts, state.open_conflicts)
                report.quarantined = quarantine_count(session)
        log.info("sync: pushed %d, pulled %d, conflicts %d, removed %d, quarantined %d, "
                 "errors %s", report.pushed, report.pulled, report.conflicts, report.removed,
                 report.quarantined, ",".join(report.error_codes) or "none")

    # ------------------------------------------------------------------ access log

    def access_log(self, household_id: str) -> list[AccessLogEntry]:
        """The server's access log of a household (every device's). Raises SyncError when
        not logged in or offline; the caller then shows this laptop's entries only."""
        casefile = self.workspace.casefile
        with casefile.read() as session:
            state = load_state(session)
            url = state.server_url if state is not None and state.logged_in else None
        tokens = _KeyringTokens(self._token_store) if url else None
        if url is None or tokens is None or tokens.tokens is None:
            raise LoginRequired("not logged in")
        with self._lock:
            return self._shared_transport(url, tokens).household_access_log(
                household_id).entries

    # ------------------------------------------------------------------ status

    def is_logged_in(self) -> bool:
        if self._wiped:
            return False
        with self.workspace.casefile.read() as session:
            state = load_state(session)
            return state is not None and state.logged_in

    def status(self) -> SyncStatus:
        if self._wiped:
            return SyncStatus(False, self._online, None, None, None, 0, 0, 0, "device_revoked")
        with self.workspace.casefile.read() as session:
            state = load_state(session)
            pending = pending_count(session)
            rejected = rejected_count(session)
            local_open = open_conflict_count(session)
            quarantined = quarantine_count(session)
            if state is None:
                return SyncStatus(False, None, None, None, None, pending, rejected, 0, None,
                                  quarantined)
            return SyncStatus(
                logged_in=state.logged_in, online=self._online, server_url=state.server_url,
                username=state.username, last_sync_at=state.last_sync_at,
                pending_changes=pending, rejected_changes=rejected,
                open_conflicts=max(local_open, state.open_conflicts),
                last_error=state.last_error, quarantined=quarantined)

    def quarantine(self) -> list[QuarantineView]:
        """Pulled records set aside because they could not be applied (oldest first)."""
        with self.workspace.casefile.read() as session:
            return quarantine_views(session)

    def conflicts(self, include_resolved: bool = False) -> list[ConflictView]:
        with self.workspace.casefile.read() as session:
            query = select(SyncConflictRecord).order_by(SyncConflictRecord.created_at,
                                                        SyncConflictRecord.id)
            if not include_resolved:
                query = query.where(SyncConflictRecord.status == "open")
            rows = list(session.scalars(query))
            names = {w.id: w.display_name for w in session.scalars(select(WorkerRecord))}
            households = {h.id: h.name for h in session.scalars(select(HouseholdRecord).where(
                HouseholdRecord.id.in_({r.household_id for r in rows if r.household_id})))}
            return [
                ConflictView(
                    id=r.id, entity=r.entity, entity_id=r.entity_id,
                    household_id=r.household_id,
                    household_name=households.get(r.household_id or ""),
                    field=r.field, kind=r.kind, base=r.base,
                    mine=ConflictSideView(r.mine, r.mine_actor_id,
                                          names.get(r.mine_actor_id or ""), r.mine_device_id,
                                          r.mine_at),
                    theirs=ConflictSideView(r.theirs, r.theirs_actor_id,
                                            names.get(r.theirs_actor_id or ""),
                                            r.theirs_device_id, r.theirs_at),
                    status=r.status, created_at=r.created_at, resolution=r.resolution)
                for r in rows
            ]

    def refusals(self) -> list[RefusalView]:
        """Every change-set the server refused, oldest first, with its household and reason.
        Nothing is dropped: the refused data stays in the case file, readable."""
        with self.workspace.casefile.read() as session:
            rows = refused_changesets(session)
            ids = {r.household_id for r in rows if r.household_id}
            names = {h.id: h.name for h in session.scalars(
                select(HouseholdRecord).where(HouseholdRecord.id.in_(ids)))} if ids else {}
        return [RefusalView(r.changeset_id, r.reason, r.action, r.household_id,
                            names.get(r.household_id or ""), r.made_at, r.refused_at)
                for r in rows]

    def warnings(self) -> list[SyncWarningView]:
        """Accepted change-sets the server flagged (``ChangeSetResult.warnings``, e.g.
        ``bsn_elsewhere``), kept with their verdicts; one row per warning."""
        with self.workspace.casefile.read() as session:
            return warning_views(session)

    def resolve(self, conflict_id: str, chosen_value: Any = None,
                choice: Choice = "value") -> SyncReport:
        """A person's choice: ``mine``, ``theirs`` or a typed ``value``. The server writes it
        as a new change-set that reaches every device; this laptop pulls it at once.
        Needs the server (raises `Offline` and other `SyncError`s)."""
        with self.workspace.casefile.read() as session:
            state = load_state(session)
            url = state.server_url if state is not None and state.logged_in else None
        if url is None:
            raise LoginRequired("not logged in")
        request = ResolveRequest(choice=choice, value=chosen_value if choice == "value" else None)
        with self._lock:
            tokens = self._session_tokens()
            try:
                answer = self._shared_transport(url, tokens).resolve(conflict_id, request)
            except DeviceRevoked:
                self._wipe()
                raise
            with self.workspace.casefile.read() as session:
                row = session.get(SyncConflictRecord, conflict_id)
                if row is not None:
                    row.status = answer.conflict.status
                    row.resolved_by = answer.conflict.resolved_by
                    resolved_at = answer.conflict.resolved_at
                    row.resolved_at = resolved_at.astimezone(UTC).replace(tzinfo=None) \
                        if resolved_at else None
                    row.resolution = answer.conflict.resolution
                    if answer.conflict.kind == "delete" and answer.conflict.resolution is False:
                        row.needs_refresh = True
            self.workspace.casefile.audit(self.workspace.actor_id, "sync.conflict_opgelost",
                                          "conflict", conflict_id)
        return self.sync_once()

    # ------------------------------------------------------------------ logout and wipe

    def logout(self) -> SyncReport:
        """Sync, then forget the tokens. Refuses (`UnsyncedWork`) while any local change has
        not been accepted by the server: logging out never destroys work."""
        report = self.sync_once()
        with self.workspace.casefile.read() as session:
            if pending_count(session):
                raise UnsyncedWork("pending")
            state = load_state(session)
            if state is not None:
                state.logged_in = False
        self._token_store.delete()
        self._tokens = None
        self.close()
        log.info("logged out of the sync server")
        return report

    def _wipe(self) -> None:
        """The device was revoked: destroy this laptop's copy of the case file."""
        paths = self.workspace.paths
        account: str | None = None
        try:
            account = keys.read_keyfile(paths.keyfile).keyring_account
        except (OSError, WijkteamError):
            account = f"profiel:{self._profile_id}"
        # The keyring secret first: without it the key file opens nothing (crypto-shred).
        if account:
            secret_store.delete_secret(account)
        self._token_store.delete()
        self._tokens = None
        if self._shared is not None:
            self._shared.close()
            self._shared = None
        try:
            self.workspace.close()
        except Exception:  # the wipe goes on whatever state the file is in
            log.warning("closing the case file before the wipe failed")
        for path in [paths.casefile, *paths.sidecars(), paths.keyfile,
                     paths.keyfile.with_name(paths.keyfile.name + ".tmp")]:
            path.unlink(missing_ok=True)
        shutil.rmtree(paths.backups, ignore_errors=True)
        self._wiped = True
        log.warning("device revoked by the server: case file wiped")

