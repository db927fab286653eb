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


class KeyFileMissing(WijkteamError):
    """The case file is there, its key file (sleutel.json) is not."""

    code = "keyfile_missing"


class CaseFileGone(CaseFileMissing):
    """The key file is there, the case file is not (moved, deleted, or never restored)."""

    code = "casefile_gone"


class CaseFileDamaged(WijkteamError):
    """The case file's bytes are damaged; it was not written to. `kind` says how:
    "empty", "truncated", "first_page", "pages" (some pages fail their HMAC) or "structure"
    (pages decrypt, but SQLite's b-tree is broken)."""

    code = "casefile_damaged"
    KINDS = ("empty", "truncated", "first_page", "pages", "structure")

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(detail or kind)
        self.kind = kind if kind in self.KINDS else "structure"
        self.code = f"casefile_damaged_{self.kind}"


class DiskFull(WijkteamError):
    """The disk (or the user's quota) is full: nothing was written."""

    code = "disk_full"


class ReadOnlyLocation(WijkteamError):
    """The profile folder or the case file cannot be written (permissions, read-only
    medium); `what` is "folder" or "file"."""

    code = "read_only_folder"

    def __init__(self, what: str = "folder", detail: str = "") -> None:
        super().__init__(detail or what)
        self.code = "read_only_file" if what == "file" else "read_only_folder"


class DataDirNotFolder(WijkteamError):
    """The path given as the profile folder is a file."""

    code = "data_dir_not_folder"


class DiskError(WijkteamError):
    """The operating system reported an input/output error reading or writing the file."""

    code = "disk_error"


class UnlockThrottled(WijkteamError):
    """Too many wrong passphrases in a row: wait `seconds` before the next attempt."""

    code = "unlock_throttled"

    def __init__(self, seconds: int, failures: int) -> None:
        super().__init__(f"wait {seconds}s after {failures} failures")
        self.seconds = seconds
        self.failures = failures
