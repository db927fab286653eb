"""Read the shipped reference data: the sociale kaart and the iWmo/iJw code lists.

Pure parsing lives in `wijkteam_app.domain.provisions`; this module only finds and reads the
files (``resources/sociale-kaart/*.json`` and ``resources/codelists/iwmo-ijw.json``, from the
checkout or the frozen bundle via `wijkteam_app.paths.resources_dir`). A later sync delivers
the sociale kaart from the server; the loader then receives another path.
"""

from __future__ import annotations

import json
from pathlib import Path

from wijkteam_app.domain.provisions import (
    CatalogDataError,
    CodeLists,
    Provision,
    parse_code_lists,
    parse_sociale_kaart,
)
from wijkteam_app.paths import resources_dir

CODE_LISTS_FILE = Path("codelists") / "iwmo-ijw.json"
SOCIALE_KAART_FILE = Path("sociale-kaart") / "voorbeeld.json"


class CatalogFileError(ValueError):
    """A reference-data file that cannot be used; the message names the file and the problem."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path.name}: {problem}")
        self.path = path
        self.problem = problem


def default_code_lists_path() -> Path:
    return resources_dir() / CODE_LISTS_FILE


def default_sociale_kaart_path() -> Path:
    return resources_dir() / SOCIALE_KAART_FILE


def read_json(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CatalogFileError(path, "file not found") from None
    except UnicodeDecodeError:
        raise CatalogFileError(path, "not UTF-8 text") from None
    except OSError as exc:
        raise CatalogFileError(path, f"cannot be read ({exc.strerror})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogFileError(
            path, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None


def load_code_lists(path: Path | None = None) -> CodeLists:
    source = path if path is not None else default_code_lists_path()
    try:
        return parse_code_lists(read_json(source))
    except CatalogDataError as exc:
        raise CatalogFileError(source, str(exc)) from None


def load_sociale_kaart(path: Path | None = None) -> tuple[Provision, ...]:
    source = path if path is not None else default_sociale_kaart_path()
    try:
        return parse_sociale_kaart(read_json(source))
    except CatalogDataError as exc:
        raise CatalogFileError(source, str(exc)) from None
