"""Recovery of a profile whose passphrase is forgotten, with the municipality's offline key.

Three steps, in docs/security.md ("Recovery"):
1. the municipality makes a key pair offline (`make_keypair`); the public half goes to every
   laptop (at set-up, `wijkteam herstelsleutel instellen`, or in the server's reference data as
   ``recovery_public_key``), the private half stays offline;
2. every profile's data key is wrapped to that public key (`set_recovery_key`, and at each
   unlock when the municipal key changed: `apply_municipal_key`);
3. a beheerder recovers a profile (`recover_profile`): the private key unwraps the data key,
   which must open the case file; then the profile gets a new passphrase and a new keyring
   secret on this account, the recovery is audited, and the unsynced work can be sent.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import func, select

from wijkteam_app.errors import CaseFileMissing, RecoveryKeyInvalid
from wijkteam_app.paths import ProfilePaths
from wijkteam_app.persistence.database import open_casefile
from wijkteam_app.persistence.engine import make_engine
from wijkteam_app.persistence.schema import OutboxRecord
from wijkteam_app.security import keys, recovery
from wijkteam_app.services import municipal
from wijkteam_app.services.profile import Workspace

log = logging.getLogger(__name__)

RECOVERY_ACTOR = "beheerder"


@dataclass(frozen=True, slots=True)
class RecoveryReport:
    key_id: str
    unsent_changes: int
    households_with_unsent: int
    migrated_from: str | None


def make_keypair(password: str) -> tuple[bytes, bytes]:
    """(encrypted private PEM, public PEM) of a new recovery key pair."""
    return recovery.generate_keypair(password)


def set_recovery_key(paths: ProfilePaths, passphrase: str, public_pem: bytes | str) -> str:
    """Wrap this profile's data key to the recovery public key; returns its key id."""
    public = recovery.load_public_key(public_pem)
    data_key = keys.unlock_data_key(paths.keyfile, passphrase)
    key_id = recovery.add_to_keyfile(paths.keyfile, data_key, public)
    log.info("recovery wrap set (key %s)", key_id[:12])
    return key_id


def apply_municipal_key(workspace: Workspace, data_key: bytes) -> bool:
    """At unlock: wrap the data key to the municipality's current recovery key when the
    reference data carries one this key file is not yet wrapped to. True when it wrote."""
    pem = municipal.setting(workspace.casefile, "recovery_public_key")
    if not isinstance(pem, str) or not pem.strip():
        return False
    try:
        public = recovery.load_public_key(pem)
    except RecoveryKeyInvalid:
        log.warning("municipal recovery key unusable; key file unchanged")
        return False
    if recovery.wrapped_key_id(workspace.paths.keyfile) == recovery.key_id(public):
        return False
    recovery.add_to_keyfile(workspace.paths.keyfile, data_key, public)
    workspace.casefile.audit(workspace.actor_id, "herstelsleutel.instellen", "profiel", "")
    log.info("recovery wrap updated from the municipal settings")
    return True


def recover_profile(paths: ProfilePaths, private_pem: bytes, key_password: str | None,
                    new_passphrase: str, kdf: keys.KdfParams | None = None) -> RecoveryReport:
    """Open a profile with the offline private key and give it a new passphrase.

    Nothing changes unless the recovered key really opens the case file. The case file itself
    is never re-encrypted; only the key file is replaced (atomically)."""
    if not paths.keyfile.exists() or not paths.casefile.exists():
        raise CaseFileMissing()
    keys.check_passphrase_strength(new_passphrase)
    private = recovery.load_private_key(private_pem, key_password)
    data_key = recovery.recover_data_key(paths.keyfile, private)
    make_engine(paths.casefile, data_key).dispose()  # WrongKey before anything is written
    recovery.reset_passphrase(paths.keyfile, data_key, new_passphrase, kdf)
    opened = open_casefile(paths.casefile, data_key, paths.backups)
    casefile = opened.casefile
    try:
        with casefile.read() as session:
            unsent = session.scalar(select(func.count()).select_from(OutboxRecord)
                                    .where(OutboxRecord.accepted_at.is_(None))) or 0
            households = session.scalar(
                select(func.count(func.distinct(OutboxRecord.household_id)))
                .where(OutboxRecord.accepted_at.is_(None))) or 0
        # The beheerder is no worker of this file: the entry names the role, not a person.
        casefile.audit(RECOVERY_ACTOR, "dossier.herstellen", "profiel", "", "ok")
    finally:
        casefile.close()
    key_id = recovery.wrapped_key_id(paths.keyfile) or ""
    log.warning("profile recovered with the municipal recovery key")
    return RecoveryReport(key_id, int(unsent), int(households), opened.migrated_from)
