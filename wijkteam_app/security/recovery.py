"""The recovery wrap: the data key, also encrypted to the municipality's recovery public key.

A forgotten passphrase (or a lost keyring secret) must not lose a worker's unsynced work. So
the data key is wrapped a second time, to a public key whose private half the municipality
keeps offline. Only a beheerder holding that private key (and its password) can unwrap it;
the laptop itself never can. Two kinds of public key are accepted:

* X25519 (the default, `generate_keypair`): an ephemeral X25519 key agreement, HKDF-SHA256
  over the shared secret, then AES-256-GCM (ECIES-style);
* RSA (>= 3072 bits, for municipalities whose key lives in an existing PKI or HSM):
  RSA-OAEP with SHA-256.
Either way the profile id is bound in (GCM associated data / OAEP label), so a wrap cannot be
moved to another profile's key file.

The wrap is stored in the key file (`sleutel.json`, block "recovery") as a plain JSON map;
`keys.py` carries it along without looking inside.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa, x25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from wijkteam_app.errors import RecoveryKeyInvalid, RecoveryKeyMismatch, RecoveryNotSet
from wijkteam_app.security import keys

ALG_X25519 = "X25519-HKDF-SHA256-AES-256-GCM"
ALG_RSA = "RSA-OAEP-SHA256"
HKDF_INFO = b"wijkteam recovery wrap v1"
MIN_RSA_BITS = 3072

PublicKey = x25519.X25519PublicKey | rsa.RSAPublicKey
PrivateKey = x25519.X25519PrivateKey | rsa.RSAPrivateKey


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise RecoveryKeyInvalid("field is not text")
    return base64.b64decode(text, validate=True)


def load_public_key(pem: bytes | str) -> PublicKey:
    """Read a PEM public key (SubjectPublicKeyInfo): X25519, or RSA of at least 3072 bits."""
    data = pem.encode("ascii") if isinstance(pem, str) else pem
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as exc:
        raise RecoveryKeyInvalid("not a PEM public key") from exc
    if isinstance(key, rsa.RSAPublicKey) and key.key_size < MIN_RSA_BITS:
        raise RecoveryKeyInvalid("RSA key too short")
    if not isinstance(key, x25519.X25519PublicKey | rsa.RSAPublicKey):
        raise RecoveryKeyInvalid("unsupported key type")
    return key


def load_private_key(pem: bytes, password: str | None) -> PrivateKey:
    """Read the offline private key (PKCS#8 PEM, normally password-protected)."""
    try:
        key = serialization.load_pem_private_key(
            pem, password=password.encode("utf-8") if password else None)
    except (ValueError, TypeError) as exc:
        # Wrong password, missing password or not a key: one message, no detail.
        raise RecoveryKeyInvalid("private key unreadable") from exc
    if not isinstance(key, x25519.X25519PrivateKey | rsa.RSAPrivateKey):
        raise RecoveryKeyInvalid("unsupported key type")
    return key


def key_id(public_key: PublicKey) -> str:
    """SHA-256 of the DER public key: names the key pair a wrap was made for."""
    der = public_key.public_bytes(serialization.Encoding.DER,
                                  serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()


def public_pem(public_key: PublicKey) -> str:
    return public_key.public_bytes(serialization.Encoding.PEM,
                                   serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def _x25519_raw(key: x25519.X25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _hkdf(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral + recipient,
                info=HKDF_INFO).derive(shared)


def _oaep(profile_id: str) -> padding.OAEP:
    return padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()),
                        algorithm=hashes.SHA256(), label=profile_id.encode())


@dataclass(frozen=True, slots=True)
class RecoveryWrap:
    """The data key encrypted to one recovery public key (the "recovery" block)."""

    alg: str
    key_id: str
    ciphertext: bytes
    ephemeral: bytes = b""  # X25519 only: the ephemeral public key
    nonce: bytes = b""  # X25519 only: the AES-GCM nonce

    def to_dict(self) -> dict[str, str]:
        out = {"alg": self.alg, "key_id": self.key_id, "ciphertext": _b64(self.ciphertext)}
        if self.alg == ALG_X25519:
            out["ephemeral"] = _b64(self.ephemeral)
            out["nonce"] = _b64(self.nonce)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RecoveryWrap:
        try:
            alg = data["alg"]
            if alg not in (ALG_X25519, ALG_RSA):
                raise RecoveryKeyInvalid("unknown algorithm")
            return cls(
                alg=alg,
                key_id=str(data["key_id"]),
                ciphertext=_unb64(data["ciphertext"]),
                ephemeral=_unb64(data["ephemeral"]) if alg == ALG_X25519 else b"",
                nonce=_unb64(data["nonce"]) if alg == ALG_X25519 else b"",
            )
        except (KeyError, ValueError) as exc:
            raise RecoveryKeyInvalid("recovery block unreadable") from exc


def wrap(data_key: bytes, public_key: PublicKey, profile_id: str) -> RecoveryWrap:
    """Encrypt the data key to the recovery public key."""
    if isinstance(public_key, rsa.RSAPublicKey):
        return RecoveryWrap(ALG_RSA, key_id(public_key),
                            public_key.encrypt(data_key, _oaep(profile_id)))
    ephemeral = x25519.X25519PrivateKey.generate()
    ephemeral_raw = _x25519_raw(ephemeral.public_key())
    wrapping = _hkdf(ephemeral.exchange(public_key), ephemeral_raw, _x25519_raw(public_key))
    nonce = secrets.token_bytes(12)
    ciphertext = AESGCM(wrapping).encrypt(nonce, data_key, profile_id.encode())
    return RecoveryWrap(ALG_X25519, key_id(public_key), ciphertext, ephemeral_raw, nonce)


def unwrap(block: RecoveryWrap, private_key: PrivateKey, profile_id: str) -> bytes:
    """The data key, with the offline private key. Raises RecoveryKeyMismatch when the key
    is not the one the wrap was made for (or the wrap was tampered with)."""
    public = private_key.public_key()
    if key_id(public) != block.key_id:
        raise RecoveryKeyMismatch()
    try:
        if isinstance(private_key, rsa.RSAPrivateKey):
            if block.alg != ALG_RSA:
                raise RecoveryKeyMismatch()
            return private_key.decrypt(block.ciphertext, _oaep(profile_id))
        if block.alg != ALG_X25519:
            raise RecoveryKeyMismatch()
        peer = x25519.X25519PublicKey.from_public_bytes(block.ephemeral)
        assert isinstance(public, x25519.X25519PublicKey)
        wrapping = _hkdf(private_key.exchange(peer), block.ephemeral, _x25519_raw(public))
        return AESGCM(wrapping).decrypt(block.nonce, block.ciphertext, profile_id.encode())
    except (InvalidTag, ValueError) as exc:
        raise RecoveryKeyMismatch() from exc


def generate_keypair(password: str) -> tuple[bytes, bytes]:
    """A new X25519 recovery key pair: (private PEM encrypted with `password`, public PEM).
    Made by the municipality on an offline machine; the private half never goes online."""
    if len(password) < 12:
        raise RecoveryKeyInvalid("password too short")
    private = x25519.X25519PrivateKey.generate()
    private_pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(password.encode("utf-8")))
    return private_pem, public_pem(private.public_key()).encode("ascii")


# --------------------------------------------------------------------------- the key file


def wrapped_key_id(keyfile_path: Path) -> str | None:
    """The id of the recovery key the data key is wrapped to (None: no recovery wrap)."""
    block = keys.read_keyfile(keyfile_path).recovery
    return str(block.get("key_id")) if block else None


def add_to_keyfile(keyfile_path: Path, data_key: bytes, public_key: PublicKey) -> str:
    """Wrap the (unlocked) data key to `public_key` and store it in the key file, replacing
    any earlier recovery wrap. Atomic, like every key-file write. Returns the key id."""
    keyfile = keys.read_keyfile(keyfile_path)
    block = wrap(data_key, public_key, keyfile.profile_id)
    keys.write_keyfile_atomically(keyfile_path, dataclasses.replace(
        keyfile, recovery=block.to_dict(),
        changed_at=datetime.now(UTC).isoformat(timespec="seconds")))
    return block.key_id


def recover_data_key(keyfile_path: Path, private_key: PrivateKey) -> bytes:
    """The data key of a profile, from its key file and the offline private key alone (no
    passphrase, no keyring)."""
    keyfile = keys.read_keyfile(keyfile_path)
    if keyfile.recovery is None:
        raise RecoveryNotSet()
    return unwrap(RecoveryWrap.from_dict(keyfile.recovery), private_key, keyfile.profile_id)


def reset_passphrase(keyfile_path: Path, data_key: bytes, new_passphrase: str,
                     kdf: keys.KdfParams | None = None) -> None:
    """After a recovery: a new passphrase and keyring secret; the recovery wrap is kept."""
    keyfile = keys.read_keyfile(keyfile_path)
    keys.install_data_key(keyfile_path, data_key, new_passphrase, keyfile.profile_id,
                          keyfile.recovery, kdf or keyfile.kdf)
