"""A worker's profile folder: creating it, unlocking it, changing the passphrase.

Unlocking runs exactly one Argon2id derivation and opens one writable database connection,
after a read-only check of the file (`persistence.integrity`). Before that it tells apart
what is missing (the key file, the case file, or both) and whether the profile path is a
folder at all. Repeated wrong passphrases cost a growing wait (`UnlockThrottle`).
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.workers import Role, Team, Worker
from wijkteam_app.errors import (
    CaseFileExists,
    CaseFileGone,
    CaseFileMissing,
    DataDirNotFolder,
    DiskFull,
    KeyFileMissing,
    ReadOnlyLocation,
    UnlockThrottled,
    WrongPassphrase,
)
from wijkteam_app.paths import ProfilePaths
from wijkteam_app.persistence import repositories as repo
from wijkteam_app.persistence.casefile import CaseFile, get_state, set_state
from wijkteam_app.persistence.database import create_casefile, open_casefile
from wijkteam_app.persistence.engine import connect_raw, make_engine
from wijkteam_app.persistence.schema import TeamRecord, WorkerRecord
from wijkteam_app.security import keys, recovery, secret_store
from wijkteam_app.services.clock import Clock, system_today

log = logging.getLogger(__name__)

KdfParams = keys.KdfParams


@dataclass(frozen=True, slots=True)
class LocalIdentity:
    """Who works on this laptop when no server login exists yet."""

    display_name: str = "Lokale gebruiker"
    username: str = "lokaal"
    team_name: str = "Lokaal team"
    wijken: tuple[str, ...] = ()
    role: Role = Role.WIJKWERKER


def profile_exists(paths: ProfilePaths) -> bool:
    return paths.casefile.exists() or paths.keyfile.exists()


def check_folder(paths: ProfilePaths) -> None:
    """DataDirNotFolder when the profile path (or a folder it needs) is a file."""
    for folder in (paths.root, paths.logs, paths.backups):
        if folder.exists() and not folder.is_dir():
            raise DataDirNotFolder()


def ensure_folders(paths: ProfilePaths) -> None:
    """`paths.ensure()` with the OS's refusals as the app's own errors."""
    check_folder(paths)
    try:
        paths.ensure()
    except NotADirectoryError as exc:
        raise DataDirNotFolder() from exc
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DiskFull(type(exc).__name__) from exc
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise ReadOnlyLocation("folder", type(exc).__name__) from exc
        raise


# --- wrong passphrases ----------------------------------------------------------------------

FREE_ATTEMPTS = 3  # wrong passphrases before any waiting
FIRST_WAIT_SECONDS = 5
MAX_WAIT_SECONDS = 300


def wait_after(failures: int) -> int:
    """Seconds to wait after `failures` wrong passphrases in a row: none for the first
    three, then 5, 10, 20, 40 ... up to five minutes."""
    if failures < FREE_ATTEMPTS:
        return 0
    return int(min(MAX_WAIT_SECONDS, FIRST_WAIT_SECONDS * 2 ** (failures - FREE_ATTEMPTS)))


class UnlockThrottle:
    """Counts wrong passphrases in a row in a small file beside the case file
    (``ontgrendelpogingen.json``: a count and a time, nothing else), so that restarting the
    app does not reset the wait. A correct passphrase removes it. The case file and the key
    file are never touched; when the folder cannot be written the count lives only in this
    process."""

    FILE = "ontgrendelpogingen.json"

    def __init__(self, paths: ProfilePaths, now: Callable[[], float] = time.time) -> None:
        self._path = paths.root / self.FILE
        self._now = now
        self._memory: tuple[int, float] | None = None

    def _load(self) -> tuple[int, float]:
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
            return int(data["mislukt"]), float(data["laatst"])
        except (OSError, ValueError, KeyError, TypeError):
            return self._memory or (0, 0.0)

    def seconds_left(self) -> int:
        failures, last = self._load()
        left = last + wait_after(failures) - self._now()
        return max(0, int(left + 0.999))

    def check(self) -> None:
        left = self.seconds_left()
        if left > 0:
            raise UnlockThrottled(left, self._load()[0])

    def failed(self) -> int:
        failures = self._load()[0] + 1
        self._memory = (failures, self._now())
        try:
            tmp = self._path.with_name(self.FILE + ".tmp")
            tmp.write_text(json.dumps({"mislukt": failures, "laatst": self._memory[1]}),
                           encoding="utf-8")
            tmp.replace(self._path)
        except OSError:
            pass  # a read-only folder: the count stays in memory
        return failures

    def succeeded(self) -> None:
        self._memory = None
        with contextlib.suppress(OSError):
            self._path.unlink(missing_ok=True)


def init_profile(
    paths: ProfilePaths,
    passphrase: str,
    identity: LocalIdentity | None = None,
    kdf: KdfParams | None = None,
    recovery_public_key: bytes | None = None,
) -> None:
    """Create key, keyring secret and an empty case file; all or nothing. With the
    municipality's recovery public key (PEM) the data key is also wrapped to it."""
    if profile_exists(paths):
        raise CaseFileExists()
    check_folder(paths)
    keys.check_passphrase_strength(passphrase)
    recovery_key = recovery.load_public_key(recovery_public_key) if recovery_public_key \
        else None
    secret_store.ensure_available()
    identity = identity or LocalIdentity()
    ensure_folders(paths)
    profile_id = new_id()
    try:
        data_key = keys.create_data_key(paths.keyfile, passphrase, profile_id, kdf)
        if recovery_key is not None:
            recovery.add_to_keyfile(paths.keyfile, data_key, recovery_key)
        create_casefile(paths.casefile, data_key, device_id=new_id(), profile_id=profile_id)
        opened = open_casefile(paths.casefile, data_key, paths.backups)
        casefile = opened.casefile
        try:
            team = Team(new_id(), identity.team_name, identity.wijken)
            worker = Worker(new_id(), identity.username, identity.display_name, identity.role,
                            team.id)
            with casefile.save(worker.id, "dossier.aanmaken", "profiel", profile_id) as ctx:
                repo.save_team(ctx.session, team)
                repo.save_worker(ctx.session, worker)
                set_state(ctx.session, "current_worker_id", worker.id)
        finally:
            casefile.close()
    except BaseException:
        _remove_partial(paths, profile_id)
        raise
    log.info("profile created")


def _remove_partial(paths: ProfilePaths, profile_id: str) -> None:
    for path in [paths.casefile, paths.keyfile, *paths.sidecars()]:
        path.unlink(missing_ok=True)
    secret_store.delete_secret(f"profiel:{profile_id}")


class Workspace:
    """An unlocked profile: the open case file and the worker acting on it."""

    def __init__(self, paths: ProfilePaths, casefile: CaseFile, clock: Clock) -> None:
        self.paths = paths
        self.casefile = casefile
        self.today = clock
        # Set by unlock() when opening upgraded the file: the old schema revision and the
        # encrypted backup made before the upgrade (the UI tells the worker once).
        self.migrated_from: str | None = None
        self.backup_path: Path | None = None
        with casefile.read() as session:
            worker_id = get_state(session, "current_worker_id")
            if worker_id is None:
                raise CaseFileMissing("no current worker")
            self.worker = repo.worker_from(repo.require(session, WorkerRecord, worker_id))
            self.team = repo.team_from(repo.require(session, TeamRecord, self.worker.team_id))

    @property
    def actor_id(self) -> str:
        return self.worker.id

    def close(self) -> None:
        self.casefile.close()

    @property
    def locked(self) -> bool:
        return self.casefile.locked

    def lock(self) -> None:
        """The lock screen: audit it, close the case file and drop the key. Unsaved input
        must have been kept as drafts before (the UI does that)."""
        if self.casefile.locked:
            return
        self.casefile.audit(self.actor_id, "dossier.vergrendelen", "profiel", "", "ok")
        self.casefile.lock()
        log.info("case file locked")

    def unlock_again(self, passphrase: str) -> None:
        """Reopen after the lock screen: one Argon2id, the same file, the same worker.
        A wrong passphrase raises WrongPassphrase and the file stays closed."""
        if not self.casefile.locked:
            return
        data_key = keys.unlock_data_key(self.paths.keyfile, passphrase)
        path = self.paths.casefile

        def reader(read_only: bool = True) -> Any:
            return connect_raw(path, data_key, read_only=read_only)

        self.casefile.reopen(make_engine(path, data_key), reader=reader)
        self.casefile.audit(self.actor_id, "dossier.ontgrendelen", "profiel", "", "ok")
        log.info("case file unlocked after a lock")
    def add_save_listener(self, listener: Callable[[frozenset[str]], None]) -> None:
        """`listener(household_ids)` after every committed save (any service, any thread)."""
        self.casefile.add_listener(listener)

    def remove_save_listener(self, listener: Callable[[frozenset[str]], None]) -> None:
        self.casefile.remove_listener(listener)


def unlock(paths: ProfilePaths, passphrase: str, clock: Clock = system_today,
           throttle: UnlockThrottle | None = None) -> Workspace:
    """Open the profile with the passphrase. A wrong one raises WrongPassphrase, touching
    nothing of the case file and key file (the database is not even opened); after three in
    a row each next attempt first waits (`UnlockThrottled`). A damaged case file raises
    `CaseFileDamaged` before anything is written to it."""
    check_folder(paths)
    has_key, has_file = paths.keyfile.exists(), paths.casefile.exists()
    if not has_key and not has_file:
        raise CaseFileMissing()
    if not has_key:
        raise KeyFileMissing()
    if not has_file:
        raise CaseFileGone()
    throttle = throttle or UnlockThrottle(paths)
    throttle.check()
    try:
        data_key = keys.unlock_data_key(paths.keyfile, passphrase)
    except WrongPassphrase:
        failures = throttle.failed()
        log.info("wrong passphrase (%d in a row)", failures)
        raise
    throttle.succeeded()
    opened = open_casefile(paths.casefile, data_key, paths.backups)
    workspace = Workspace(paths, opened.casefile, clock)
    if opened.migrated_from:
        workspace.migrated_from = opened.migrated_from
        workspace.backup_path = opened.backup_path
        log.info("case file migrated from schema %s", opened.migrated_from)
    workspace.casefile.audit(workspace.actor_id, "dossier.ontgrendelen", "profiel", "", "ok")
    from wijkteam_app.services.key_recovery import apply_municipal_key

    apply_municipal_key(workspace, data_key)
    return workspace


def change_passphrase(paths: ProfilePaths, old: str, new: str) -> None:
    keys.change_passphrase(paths.keyfile, old, new)
    log.info("passphrase changed (data key re-wrapped)")


def data_key_for_check(paths: ProfilePaths, passphrase: str) -> bytes:
    return keys.unlock_data_key(paths.keyfile, passphrase)

