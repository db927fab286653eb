"""Checking a case file (`wijkteam check`). Read-only: it never migrates or repairs."""

from __future__ import annotations

from wijkteam_app.paths import ProfilePaths
from wijkteam_app.persistence.database import CheckReport, check_casefile
from wijkteam_app.persistence.engine import make_engine
from wijkteam_app.security import keys


def check_profile(paths: ProfilePaths, passphrase: str) -> CheckReport:
    """Unlock the key (proves passphrase and keyring secret), key the file (proves the cipher
    key), then check pages, integrity, foreign keys, schema revision and the audit chain."""
    data_key = keys.unlock_data_key(paths.keyfile, passphrase)
    engine = make_engine(paths.casefile, data_key)
    try:
        return check_casefile(engine)
    finally:
        engine.dispose()
