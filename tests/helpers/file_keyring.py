"""A file-based keyring backend for tests that share a profile between a child process and
the test itself (the draft-after-kill test). Test use only: the secret lies in a plain file in
the test's temporary folder.

The child selects it with ``PYTHON_KEYRING_BACKEND=tests.helpers.file_keyring.FileKeyring``
and finds the file through the ``WIJKTEAM_TEST_KEYRING_FILE`` environment variable; the parent
passes the same path to the constructor.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring.backend
from keyring.compat import properties

ENV_VAR = "WIJKTEAM_TEST_KEYRING_FILE"


class FileKeyring(keyring.backend.KeyringBackend):
    @properties.classproperty
    def priority(cls) -> float:  # noqa: N805 (keyring's class property)
        """Only viable where a test asked for it: never picked by keyring's auto-detection."""
        if ENV_VAR not in os.environ:
            raise RuntimeError("FileKeyring is for tests only")
        return 1

    def __init__(self, path: Path | None = None) -> None:
        super().__init__()
        self._path = path

    @property
    def path(self) -> Path:
        return self._path or Path(os.environ[ENV_VAR])

    def _load(self) -> dict[str, str]:
        if not self.path.exists():
            return {}
        data = json.loads(self.path.read_text(encoding="utf-8"))
        return {str(k): str(v) for k, v in data.items()}

    def _save(self, data: dict[str, str]) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        tmp.replace(self.path)

    @staticmethod
    def _key(service: str, username: str) -> str:
        return f"{service}\x1f{username}"

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(self._key(service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[self._key(service, username)] = password
        self._save(data)

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        data.pop(self._key(service, username), None)
        self._save(data)
