"""What a worker can do about a damaged or missing case file, without ever changing it.

- `backups`: the encrypted copies in ``backups/`` (made before every schema upgrade), newest
  first;
- `restore_backup`: the damaged file (and its WAL/shm) is moved aside, byte for byte, into
  ``beschadigd/<moment>/``; the chosen backup is checked with the key (every page) and only
  then copied into place (temporary file, fsync, rename); then the profile is unlocked as
  usual (an older schema is upgraded after yet another backup);
- `start_fresh`: the damaged file and its key file are moved aside (the keyring secret stays,
  so the set-aside file can still be opened by whoever repairs it); the first-run wizard then
  makes a new, empty case file, and logging in to the municipal server fills it again
  (a fresh sync).

Nothing is deleted: municipal IT can still try to recover what the set-aside file holds.
"""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from wijkteam_app.paths import ProfilePaths
from wijkteam_app.persistence.integrity import verify_casefile
from wijkteam_app.security import keys
from wijkteam_app.services.profile import Workspace, unlock

log = logging.getLogger(__name__)

ASIDE_FOLDER = "beschadigd"


@dataclass(frozen=True, slots=True)
class Backup:
    path: Path
    made_at: datetime  # local time of the copy (the file's modification time)
    size: int


def backups(paths: ProfilePaths) -> list[Backup]:
    """The backups in the profile's ``backups/`` folder, newest first."""
    if not paths.backups.is_dir():
        return []
    found = []
    for path in paths.backups.glob("*.wijkteam"):
        try:
            stat = path.stat()
        except OSError:
            continue
        found.append(Backup(path, datetime.fromtimestamp(stat.st_mtime), stat.st_size))
    return sorted(found, key=lambda b: b.made_at, reverse=True)


def set_aside(paths: ProfilePaths, *, with_key: bool = False) -> Path:
    """Move the case file (with its WAL and shm, and the key file when asked) unchanged into
    ``beschadigd/<moment>/``; returns that folder."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = paths.root / ASIDE_FOLDER / stamp
    folder.mkdir(parents=True, exist_ok=True)
    moving = [paths.casefile, *paths.sidecars()] + ([paths.keyfile] if with_key else [])
    for path in moving:
        if path.exists():
            path.replace(folder / path.name)  # a rename: not one byte of it changes
    log.info("case file set aside (%d files)", sum(1 for _ in folder.iterdir()))
    return folder


def restore_backup(paths: ProfilePaths, backup: Backup, passphrase: str) -> Workspace:
    """Put `backup` in the damaged file's place (the damaged one is set aside) and unlock.
    The backup is verified first; a damaged backup leaves everything as it was."""
    key = keys.unlock_data_key(paths.keyfile, passphrase)
    verify_casefile(backup.path, key)
    set_aside(paths)
    tmp = paths.casefile.with_name(paths.casefile.name + ".terugzetten")
    shutil.copyfile(backup.path, tmp)
    with tmp.open("rb") as handle:
        os.fsync(handle.fileno())
    tmp.replace(paths.casefile)
    log.info("backup restored")
    return unlock(paths, passphrase)


def start_fresh(paths: ProfilePaths) -> Path:
    """Set the case file and its key file aside so the first-run wizard can make a new one
    (then filled by a fresh sync); returns where they went."""
    return set_aside(paths, with_key=True)
