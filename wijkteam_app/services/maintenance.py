"""Checking a case file (`wijkteam check`)."""

from __future__ import annotations

from wijkteam_app.paths import ProfilePaths
from wijkteam_app.persistence.database import CheckReport, check_casefile, open_casefile
from wijkteam_app.security import keys


def check_profile(paths: ProfilePaths, passphrase: str) -> CheckReport:
    """Unlock (which proves the cipher and key), then check integrity and the audit chain."""
    data_key = keys.unlock_data_key(paths.keyfile, passphrase)
    opened = open_casefile(paths.casefile, data_key, paths.backups)
    try:
        return check_casefile(opened.casefile.engine)
    finally:
        opened.casefile.close()
