"""Encryption at rest of the server's files: attachments, upload chunks and backups.

One random 256-bit **server data key** lives in a file *outside* the data folder (default:
``<data dir>-keys/server-data.key``, mode 0600 in a 0700 folder; its path is configurable),
so a copy of the data folder or of a backup alone reveals nothing. Sub-keys are derived with
HKDF-SHA256 per use (attachments, backups).

File format (a STREAM construction over AES-256-GCM, so segments can neither be reordered
nor dropped, and the file cannot be cut short unnoticed)::

    b"WTENC1\\n" | 8-byte random prefix | segments...
    segment = 4-byte big-endian length | AES-GCM(ciphertext ‖ tag)
    nonce_i = prefix ‖ i (4 bytes); associated data = context ‖ i (8 bytes) ‖ last-flag

The *context* binds a file to its purpose and name (``attachment:<id>``,
``part:<id>:<index>``, ``backup``): a file renamed to another attachment's name fails.
"""

from __future__ import annotations

import contextlib
import io
import os
import secrets
import struct
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"WTENC1\n"
SEGMENT = 64 * 1024
KEY_BYTES = 32
_LEN = struct.Struct(">I")


class AtRestError(Exception):
    """A file does not decrypt: wrong key, tampered, truncated or not encrypted."""


def create_key_file(path: Path) -> None:
    """Create a new random key file (0600, folder 0700); never overwrites."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        path.parent.chmod(0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secrets.token_hex(KEY_BYTES) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def read_key_file(path: Path) -> bytes:
    key = bytes.fromhex(path.read_text(encoding="ascii").strip())
    if len(key) != KEY_BYTES:
        raise ValueError("key file holds no 256-bit key")
    return key


def _subkey(master: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=b"wijkteam-server at rest v1 " + purpose).derive(master)


class Sealer:
    """Encrypts and decrypts files for one purpose (sub-key) of the server data key."""

    def __init__(self, master: bytes, purpose: str) -> None:
        self._aead = AESGCM(_subkey(master, purpose.encode()))

    # ------------------------------------------------------------------ writing

    def seal_chunks(self, chunks: Iterable[bytes], context: str) -> Iterator[bytes]:
        """The encrypted stream of the plaintext `chunks` (any sizes)."""
        prefix = secrets.token_bytes(8)
        yield MAGIC + prefix
        ctx = context.encode()
        index = 0
        pending = b""
        for chunk in chunks:
            pending += chunk
            while len(pending) > SEGMENT:
                yield self.segment(prefix, ctx, index, pending[:SEGMENT], last=False)
                pending = pending[SEGMENT:]
                index += 1
        yield self.segment(prefix, ctx, index, pending, last=True)

    def segment(self, prefix: bytes, ctx: bytes, index: int, data: bytes, last: bool) -> bytes:
        nonce = prefix + index.to_bytes(4, "big")
        aad = ctx + index.to_bytes(8, "big") + (b"\x01" if last else b"\x00")
        sealed = self._aead.encrypt(nonce, data, aad)
        return _LEN.pack(len(sealed)) + sealed

    def write(self, path: Path, chunks: Iterable[bytes], context: str) -> None:
        """Encrypt into `path` atomically: a temporary file beside it, fsync, rename."""
        tmp = path.with_name(path.name + ".enc-tmp")
        try:
            with tmp.open("wb") as out:
                for piece in self.seal_chunks(chunks, context):
                    out.write(piece)
                out.flush()
                os.fsync(out.fileno())
            tmp.replace(path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        _fsync_dir(path.parent)

    # ------------------------------------------------------------------ reading

    def open_chunks(self, source: io.BufferedReader, context: str) -> Iterator[bytes]:
        """The plaintext, segment by segment; raises AtRestError on any mismatch (a caller
        streaming it out must treat the error as the end of a failed transfer)."""
        head = source.read(len(MAGIC) + 8)
        if len(head) != len(MAGIC) + 8 or not head.startswith(MAGIC):
            raise AtRestError("not an encrypted file")
        prefix = head[len(MAGIC):]
        ctx = context.encode()
        index = 0
        while True:
            raw_len = source.read(_LEN.size)
            if len(raw_len) != _LEN.size:
                raise AtRestError("truncated")
            (length,) = _LEN.unpack(raw_len)
            if length > SEGMENT + 16:
                raise AtRestError("segment too long")
            sealed = source.read(length)
            if len(sealed) != length:
                raise AtRestError("truncated")
            nonce = prefix + index.to_bytes(4, "big")
            last = source.peek(1)[:1] == b""
            aad = ctx + index.to_bytes(8, "big") + (b"\x01" if last else b"\x00")
            try:
                yield self._aead.decrypt(nonce, sealed, aad)
            except InvalidTag as exc:
                raise AtRestError("does not decrypt (wrong key, tampered or moved)") from exc
            if last:
                return
            index += 1

    def writer(self, target: BinaryIO, context: str) -> SealedWriter:
        """A file-like object that encrypts what is written to it into `target`."""
        return SealedWriter(self, target, context)

    def reader(self, source: io.BufferedReader, context: str) -> SealedReader:
        """A file-like object that reads the plaintext of `source`."""
        return SealedReader(self.open_chunks(source, context))

    def read_file(self, path: Path, context: str) -> Iterator[bytes]:
        with path.open("rb") as fh:
            yield from self.open_chunks(fh, context)

    def read_bytes(self, path: Path, context: str) -> bytes:
        return b"".join(self.read_file(path, context))


class SealedWriter(io.RawIOBase):
    """Push-style encryption (for tarfile and friends); `close()` writes the last segment."""

    def __init__(self, sealer: Sealer, target: BinaryIO, context: str) -> None:
        super().__init__()
        self._sealer = sealer
        self._target = target
        self._ctx = context.encode()
        self._prefix = secrets.token_bytes(8)
        self._index = 0
        self._pending = bytearray()
        target.write(MAGIC + self._prefix)

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = bytes(data)
        self._pending += view
        while len(self._pending) > SEGMENT:
            self._target.write(self._sealer.segment(
                self._prefix, self._ctx, self._index, bytes(self._pending[:SEGMENT]), False))
            del self._pending[:SEGMENT]
            self._index += 1
        return len(view)

    def close(self) -> None:
        if not self.closed:
            self._target.write(self._sealer.segment(
                self._prefix, self._ctx, self._index, bytes(self._pending), True))
            self._pending.clear()
        super().close()


class SealedReader(io.RawIOBase):
    """Pull-style decryption: `read(n)` over the decrypted segments."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        super().__init__()
        self._chunks = chunks
        self._buffer = b""
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while not self._buffer and not self._done:
            try:
                self._buffer = next(self._chunks)
            except StopIteration:
                self._done = True
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size


def is_encrypted(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(len(MAGIC)) == MAGIC


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def encrypt_in_place(sealer: Sealer, path: Path, context: str) -> bool:
    """Encrypt a plaintext file where it lies (atomically, checked by decrypting the result
    before it replaces the original). False when it was encrypted already."""
    if is_encrypted(path):
        return False
    plain = path.read_bytes()
    tmp = path.with_name(path.name + ".plain-migration")
    try:
        sealer.write(tmp, [plain], context)
        if sealer.read_bytes(tmp, context) != plain:
            raise AtRestError("verification after encryption failed")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    _fsync_dir(path.parent)
    return True
