"""Server settings: a data folder holding ``server.json``, the token secret and attachments.

The database is a SQLite file in the data folder unless ``server.json`` names a database URL
(PostgreSQL in production). The token signing secret lives in its own file with mode 0600 and
is never written to ``server.json`` or to a log. The server data key, which encrypts
attachments and backups (``at_rest.py``), lives *outside* the data folder: by default in the
sibling folder ``<data dir>-keys/``, or wherever ``server.json``'s ``data_key_path`` says.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wijkteam_server.at_rest import create_key_file, is_encrypted, read_key_file

CONFIG_NAME = "server.json"
SECRET_NAME = "token-secret.key"  # noqa: S105 - a file name
SQLITE_NAME = "server.db"
ATTACHMENTS_DIR = "attachments"
DATA_KEY_NAME = "server-data.key"


class SettingsError(Exception):
    """The data folder is missing or incomplete; the message is Dutch, for the operator."""


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path
    database_url: str
    secret: bytes
    access_token_minutes: int = 15
    refresh_token_days: int = 30
    login_max_failures_user: int = 5
    login_max_failures_address: int = 20
    login_window_minutes: int = 15
    login_lock_minutes: int = 15
    scope_grace_days: int = 30
    attachment_chunk_size: int = 1024 * 1024
    data_key: bytes = b""  # encrypts attachments and backups (never logged)
    data_key_path: Path | None = None

    @property
    def attachments_dir(self) -> Path:
        return self.data_dir / ATTACHMENTS_DIR


TUNABLES = (
    "access_token_minutes",
    "refresh_token_days",
    "login_max_failures_user",
    "login_max_failures_address",
    "login_window_minutes",
    "login_lock_minutes",
    "scope_grace_days",
    "attachment_chunk_size",
)


def default_database_url(data_dir: Path) -> str:
    return f"sqlite:///{(data_dir / SQLITE_NAME).resolve()}"


def write_secret(path: Path) -> None:
    """Create a 256-bit random secret readable only by the owner (never overwrites)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secrets.token_hex(32) + "\n")


def _has_encrypted_files(folder: Path) -> bool:
    if not folder.is_dir():
        return False
    return any(path.is_file() and is_encrypted(path) for path in folder.rglob("*"))


def default_data_key_path(data_dir: Path) -> Path:
    data_dir = data_dir.resolve()
    return data_dir.parent / f"{data_dir.name}-keys" / DATA_KEY_NAME


def init_data_dir(data_dir: Path, database_url: str | None,
                  data_key_path: Path | None = None) -> dict[str, Any]:
    """Create or update the data folder; returns the stored configuration. Creates the
    server data key (outside the data folder) when it does not exist yet."""
    data_dir.mkdir(parents=True, exist_ok=True)
    data_dir.chmod(0o700)
    (data_dir / ATTACHMENTS_DIR).mkdir(exist_ok=True)
    config_path = data_dir / CONFIG_NAME
    config: dict[str, Any] = {}
    if config_path.exists():
        config = json.loads(config_path.read_text(encoding="utf-8"))
    if database_url:
        config["database_url"] = database_url
    config.setdefault("database_url", default_database_url(data_dir))
    if data_key_path is not None:
        config["data_key_path"] = str(data_key_path.resolve())
    config.setdefault("data_key_path", str(default_data_key_path(data_dir)))
    key_path = Path(config["data_key_path"])
    if key_path.resolve().is_relative_to(data_dir.resolve()):
        raise SettingsError("De sleutel van de server moet buiten de gegevensmap staan "
                            f"({data_dir}); kies een andere plaats.")
    if not key_path.exists():
        if _has_encrypted_files(data_dir / ATTACHMENTS_DIR):
            raise SettingsError(
                f"De sleutel van de server ({key_path}) ontbreekt, maar er zijn versleutelde "
                "bijlagen. Zet de sleutel terug (uit de sleutelkluis); een nieuwe sleutel zou "
                "ze onleesbaar maken. Er is niets gewijzigd.")
        create_key_file(key_path)
    tmp = config_path.with_suffix(".tmp")
    tmp.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    tmp.chmod(0o600)  # a database URL may carry a password
    tmp.replace(config_path)
    secret_path = data_dir / SECRET_NAME
    if not secret_path.exists():
        write_secret(secret_path)
    return config


def load_settings(data_dir: Path) -> Settings:
    config_path = data_dir / CONFIG_NAME
    secret_path = data_dir / SECRET_NAME
    if not config_path.exists() or not secret_path.exists():
        raise SettingsError(
            f"Map {data_dir} is niet ingericht. Voer eerst 'wijkteam-server init' uit."
        )
    config = json.loads(config_path.read_text(encoding="utf-8"))
    secret = bytes.fromhex(secret_path.read_text(encoding="ascii").strip())
    if len(secret) < 32:
        raise SettingsError(f"Het sleutelbestand {secret_path} is ongeldig.")
    extra = {name: int(config[name]) for name in TUNABLES if name in config}
    key_path = Path(config.get("data_key_path") or default_data_key_path(data_dir))
    try:
        data_key = read_key_file(key_path)
    except (OSError, ValueError) as exc:
        raise SettingsError(
            f"De sleutel van de server ({key_path}) ontbreekt of is ongeldig. Zonder deze "
            "sleutel zijn bijlagen en reservekopieën niet te lezen; zet hem terug of voer "
            "'wijkteam-server init' uit voor een nieuwe installatie.") from exc
    return Settings(
        data_dir=data_dir.resolve(),
        database_url=str(config.get("database_url") or default_database_url(data_dir)),
        secret=secret,
        data_key=data_key,
        data_key_path=key_path,
        **extra,
    )
