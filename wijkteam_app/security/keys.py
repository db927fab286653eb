"""The data key of a case file, and how it is kept.

A random 256-bit data key opens the SQLCipher file in raw-key mode. It is stored only wrapped
(AES-256-GCM) in the profile's key file. The wrapping key is derived with HKDF-SHA256 from two
inputs, both needed:
  * Argon2id(passphrase, salt): what the worker knows;
  * a random 256-bit secret in the OS credential store (keyring): what this laptop account has.
A copy of the key file without the keyring secret cannot be attacked by guessing passphrases
offline; the keyring secret without the passphrase opens nothing either.
Changing the passphrase re-wraps the same data key: the database itself is never re-keyed.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from wijkteam_app.errors import CaseFileCorrupt, PassphraseTooWeak, WrongPassphrase
from wijkteam_app.security import secret_store

KEYFILE_FORMAT = 1
DATA_KEY_BYTES = 32
MIN_PASSPHRASE_LENGTH = 10
HKDF_INFO = b"wijkteam data-key wrap v1"


@dataclass(frozen=True, slots=True)
class KdfParams:
    """Argon2id cost. The defaults follow OWASP's 2024 guidance (>= 19 MiB, t >= 2) with margin;
    `bench/store.py` measures the unlock time they give."""

    time_cost: int = 3
    memory_cost_kib: int = 64 * 1024
    parallelism: int = 2


@dataclass(frozen=True, slots=True)
class KeyFile:
    profile_id: str
    keyring_account: str
    kdf: KdfParams
    salt: bytes
    nonce: bytes
    wrapped_key: bytes
    created_at: str
    changed_at: str
    # The data key wrapped to the municipality's recovery public key (see recovery.py); kept
    # as the JSON map it is stored as, carried along unchanged by a passphrase change.
    recovery: dict[str, Any] | None = None

    def to_json(self) -> str:
        b64 = base64.b64encode
        data: dict[str, Any] = {
            "format": KEYFILE_FORMAT,
            "profile_id": self.profile_id,
            "keyring_account": self.keyring_account,
            "kdf": {"name": "argon2id", **asdict(self.kdf), "salt": b64(self.salt).decode()},
            "wrap": {
                "alg": "AES-256-GCM",
                "nonce": b64(self.nonce).decode(),
                "ciphertext": b64(self.wrapped_key).decode(),
            },
            "created_at": self.created_at,
            "changed_at": self.changed_at,
        }
        if self.recovery is not None:
            data["recovery"] = self.recovery
        return json.dumps(data, indent=2)

    @classmethod
    def from_json(cls, text: str) -> KeyFile:
        try:
            data = json.loads(text)
            if data["format"] != KEYFILE_FORMAT or data["kdf"]["name"] != "argon2id":
                raise CaseFileCorrupt("keyfile format")
            kdf = data["kdf"]
            b64d = base64.b64decode
            return cls(
                profile_id=data["profile_id"],
                keyring_account=data["keyring_account"],
                kdf=KdfParams(int(kdf["time_cost"]), int(kdf["memory_cost_kib"]),
                              int(kdf["parallelism"])),
                salt=b64d(kdf["salt"]),
                nonce=b64d(data["wrap"]["nonce"]),
                wrapped_key=b64d(data["wrap"]["ciphertext"]),
                created_at=data["created_at"],
                changed_at=data["changed_at"],
                recovery=data.get("recovery"),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise CaseFileCorrupt("keyfile unreadable") from exc


def check_passphrase_strength(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE_LENGTH or len(set(passphrase)) < 4:
        raise PassphraseTooWeak()


def _wrapping_key(passphrase: str, salt: bytes, kdf: KdfParams, keyring_secret: bytes) -> bytes:
    stretched = hash_secret_raw(
        passphrase.encode("utf-8"),
        salt,
        time_cost=kdf.time_cost,
        memory_cost=kdf.memory_cost_kib,
        parallelism=kdf.parallelism,
        hash_len=32,
        type=Type.ID,
    )
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO).derive(
        stretched + keyring_secret
    )


def _wrap(data_key: bytes, passphrase: str, kdf: KdfParams, keyring_secret: bytes,
          profile_id: str) -> tuple[bytes, bytes, bytes]:
    salt = secrets.token_bytes(16)
    nonce = secrets.token_bytes(12)
    wrapping = _wrapping_key(passphrase, salt, kdf, keyring_secret)
    wrapped = AESGCM(wrapping).encrypt(nonce, data_key, profile_id.encode())
    return salt, nonce, wrapped


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def write_keyfile_atomically(path: Path, keyfile: KeyFile) -> None:
    """Write to a temporary file beside it, fsync, then rename over: never half a key file."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, keyfile.to_json().encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    tmp.replace(path)
    if os.name == "posix":
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def read_keyfile(path: Path) -> KeyFile:
    return KeyFile.from_json(path.read_text(encoding="utf-8"))


def create_data_key(path: Path, passphrase: str, profile_id: str,
                    kdf: KdfParams | None = None) -> bytes:
    """New data key, wrapped with a new keyring secret and the passphrase; returns the key."""
    check_passphrase_strength(passphrase)
    kdf = kdf or KdfParams()
    account = f"profiel:{profile_id}"
    keyring_secret = secret_store.create_secret(account)
    data_key = secrets.token_bytes(DATA_KEY_BYTES)
    salt, nonce, wrapped = _wrap(data_key, passphrase, kdf, keyring_secret, profile_id)
    now = _now()
    write_keyfile_atomically(
        path, KeyFile(profile_id, account, kdf, salt, nonce, wrapped, now, now)
    )
    return data_key


def unlock_data_key(path: Path, passphrase: str) -> bytes:
    """One Argon2id run; raises WrongPassphrase and changes nothing when it does not fit."""
    keyfile = read_keyfile(path)
    keyring_secret = secret_store.load_secret(keyfile.keyring_account)
    wrapping = _wrapping_key(passphrase, keyfile.salt, keyfile.kdf, keyring_secret)
    try:
        return AESGCM(wrapping).decrypt(
            keyfile.nonce, keyfile.wrapped_key, keyfile.profile_id.encode()
        )
    except InvalidTag as exc:
        raise WrongPassphrase() from exc


def change_passphrase(path: Path, old: str, new: str, kdf: KdfParams | None = None) -> None:
    """Re-wrap the same data key under the new passphrase (fresh salt and nonce)."""
    check_passphrase_strength(new)
    keyfile = read_keyfile(path)
    data_key = unlock_data_key(path, old)
    keyring_secret = secret_store.load_secret(keyfile.keyring_account)
    params = kdf or keyfile.kdf
    salt, nonce, wrapped = _wrap(data_key, new, params, keyring_secret, keyfile.profile_id)
    write_keyfile_atomically(
        path,
        KeyFile(keyfile.profile_id, keyfile.keyring_account, params, salt, nonce, wrapped,
                keyfile.created_at, _now(), keyfile.recovery),
    )


def install_data_key(path: Path, data_key: bytes, passphrase: str, profile_id: str,
                     recovery: dict[str, Any] | None, kdf: KdfParams | None = None) -> None:
    """Wrap an existing data key under a new passphrase and a new keyring secret of this OS
    account, replacing the key file (used after a recovery with the municipal key: the old
    passphrase is unknown and the old keyring secret may be on another account)."""
    check_passphrase_strength(passphrase)
    kdf = kdf or KdfParams()
    account = f"profiel:{profile_id}"
    keyring_secret = secret_store.create_secret(account)
    salt, nonce, wrapped = _wrap(data_key, passphrase, kdf, keyring_secret, profile_id)
    now = _now()
    write_keyfile_atomically(
        path, KeyFile(profile_id, account, kdf, salt, nonce, wrapped, now, now, recovery))
