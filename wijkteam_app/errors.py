"""Exceptions shared by every layer. Each carries a stable code; the UI and the CLI turn the
code into a Dutch message (`wijkteam_app.messages`). Messages never contain personal data."""

from __future__ import annotations


class WijkteamError(Exception):
    code = "error"

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.code)
        self.detail = detail


class WrongPassphrase(WijkteamError):
    code = "wrong_passphrase"


class WrongKey(WijkteamError):
    """The data key does not open the database (it belongs to another file, or was lost)."""

    code = "wrong_key"


class KeyringUnavailable(WijkteamError):
    code = "keyring_unavailable"


class KeyringSecretMissing(WijkteamError):
    code = "keyring_secret_missing"


class CaseFileMissing(WijkteamError):
    code = "casefile_missing"


class CaseFileExists(WijkteamError):
    code = "casefile_exists"


class CaseFileTooNew(WijkteamError):
    """The file was written by a newer version of the app; it is left untouched."""

    code = "casefile_too_new"


class CaseFileCorrupt(WijkteamError):
    code = "casefile_corrupt"


class PassphraseTooWeak(WijkteamError):
    code = "passphrase_too_weak"


class NotFound(WijkteamError):
    code = "not_found"


class FileNotOnDevice(NotFound):
    """The attachment is known (its metadata came with the sync) but its bytes are not on
    this laptop: files do not travel with the sync yet."""

    code = "file_not_on_device"


class StaleVersion(WijkteamError):
    """The record changed since the form was opened."""

    code = "stale_version"


class RecoveryKeyInvalid(WijkteamError):
    """A recovery key (public or private) that cannot be read or used."""

    code = "recovery_key_invalid"


class RecoveryKeyMismatch(WijkteamError):
    """The private key is not the one this profile's data key was wrapped to."""

    code = "recovery_key_mismatch"


class RecoveryNotSet(WijkteamError):
    """The profile's data key has no recovery wrap."""

    code = "recovery_not_set"


class CaseFileLocked(WijkteamError):
    """The app is locked (idle or on request): the case file is closed, the key dropped."""

    code = "casefile_locked"
