"""A worker's profile folder: creating it, unlocking it, changing the passphrase.

Unlocking runs exactly one Argon2id derivation and opens exactly one database connection.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.workers import Role, Team, Worker
from wijkteam_app.errors import CaseFileExists, CaseFileMissing
from wijkteam_app.paths import ProfilePaths
from wijkteam_app.persistence import repositories as repo
from wijkteam_app.persistence.casefile import CaseFile, get_state, set_state
from wijkteam_app.persistence.database import create_casefile, open_casefile
from wijkteam_app.persistence.schema import TeamRecord, WorkerRecord
from wijkteam_app.security import keys, secret_store
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


def init_profile(
    paths: ProfilePaths,
    passphrase: str,
    identity: LocalIdentity | None = None,
    kdf: KdfParams | None = None,
) -> None:
    """Create key, keyring secret and an empty case file; all or nothing."""
    if profile_exists(paths):
        raise CaseFileExists()
    keys.check_passphrase_strength(passphrase)
    secret_store.ensure_available()
    identity = identity or LocalIdentity()
    paths.ensure()
    profile_id = new_id()
    try:
        data_key = keys.create_data_key(paths.keyfile, passphrase, profile_id, kdf)
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

    def add_save_listener(self, listener: Callable[[frozenset[str]], None]) -> None:
        """`listener(household_ids)` after every committed save (any service, any thread)."""
        self.casefile.add_listener(listener)

    def remove_save_listener(self, listener: Callable[[frozenset[str]], None]) -> None:
        self.casefile.remove_listener(listener)


def unlock(paths: ProfilePaths, passphrase: str, clock: Clock = system_today) -> Workspace:
    """Open the profile with the passphrase. A wrong one raises WrongPassphrase, touching
    nothing on disk (the database is not even opened)."""
    if not paths.keyfile.exists() or not paths.casefile.exists():
        raise CaseFileMissing()
    data_key = keys.unlock_data_key(paths.keyfile, passphrase)
    opened = open_casefile(paths.casefile, data_key, paths.backups)
    workspace = Workspace(paths, opened.casefile, clock)
    if opened.migrated_from:
        workspace.migrated_from = opened.migrated_from
        workspace.backup_path = opened.backup_path
        log.info("case file migrated from schema %s", opened.migrated_from)
    workspace.casefile.audit(workspace.actor_id, "dossier.ontgrendelen", "profiel", "", "ok")
    return workspace


def change_passphrase(paths: ProfilePaths, old: str, new: str) -> None:
    keys.change_passphrase(paths.keyfile, old, new)
    log.info("passphrase changed (data key re-wrapped)")


def data_key_for_check(paths: ProfilePaths, passphrase: str) -> bytes:
    return keys.unlock_data_key(paths.keyfile, passphrase)

