"""Read instrument definitions (and licensed official texts) from JSON files.

This is the only code that reads instrument files. Every file is checked strictly: a
broken file raises `InstrumentFileError` naming the file and the problem, so a typo in a
definition is found when the app starts rather than when someone scores with it.

Definition file (UTF-8, one definition per ``*.json`` file)::

    {"format": 1, "id": "zrm-2017", "version": "2017", "name": "ZRM 2017",
     "kind": "zrm" | "ladder", "subject": "person" | "household",
     "min_age": int | null, "max_age": int | null, "allows_not_discussed": bool,
     "texts_source": "eigen", "guidance": str,
     "levels": [{"value": 1, "name": str, "help": str}, ...],
     "items": [{"code": str, "name": str, "help": str,
                "applies_when": "children" (optional), "level_texts": {"1": str} (optional)}],
     "zwaartefactoren": [same shape as items]}

Official texts file (from a municipality that holds a licence)::

    {"definition_id": "zrm-2017", "definition_version": "2017",
     "items": {"financien": {"help": str, "levels": {"1": str, ..., "5": str}}, ...}}
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from wijkteam_app.domain.instruments import (
    TEXTS_SOURCE_OFFICIAL_PREFIX,
    InstrumentDefinition,
    InstrumentKind,
    Item,
    Level,
    Subject,
    latest_of,
)

FORMAT_VERSION = 1

_DEFINITION_KEYS = frozenset({
    "format", "id", "version", "name", "kind", "subject", "levels", "items", "zwaartefactoren",
    "guidance", "min_age", "max_age", "allows_not_discussed", "texts_source",
})
_LEVEL_KEYS = frozenset({"value", "name", "help"})
_ITEM_KEYS = frozenset({"code", "name", "help", "applies_when", "level_texts"})
_OFFICIAL_KEYS = frozenset({"format", "definition_id", "definition_version", "items"})
_OFFICIAL_ITEM_KEYS = frozenset({"help", "levels"})


class InstrumentFileError(ValueError):
    """An instrument or official-texts file that cannot be used; the message says why."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path.name}: {problem}")
        self.path = path
        self.problem = problem


def default_directory() -> Path:
    """``resources/instruments`` of the source tree, or of a PyInstaller bundle when frozen."""
    bundle = getattr(sys, "_MEIPASS", None)
    if isinstance(bundle, str):
        return Path(bundle) / "resources" / "instruments"
    return Path(__file__).resolve().parents[2] / "resources" / "instruments"


def load_definitions(
    directory: Path | None = None,
) -> dict[tuple[str, str], InstrumentDefinition]:
    """All ``*.json`` definitions in `directory`, keyed by (id, version)."""
    folder = directory if directory is not None else default_directory()
    if not folder.is_dir():
        raise InstrumentFileError(folder, "directory with instrument definitions not found")
    result: dict[tuple[str, str], InstrumentDefinition] = {}
    for path in sorted(folder.glob("*.json")):
        defn = load_definition_file(path)
        if defn.key in result:
            raise InstrumentFileError(path, f"{defn.id} {defn.version} is defined twice")
        result[defn.key] = defn
    return result


def load_definition_file(path: Path) -> InstrumentDefinition:
    data = _read_object(path)
    try:
        return _parse_definition(data)
    except _BadFileError as problem:
        raise InstrumentFileError(path, str(problem)) from None
    except ValueError as exc:  # consistency checks of InstrumentDefinition itself
        raise InstrumentFileError(path, str(exc)) from None


def latest(
    definitions: Mapping[tuple[str, str], InstrumentDefinition] | Iterable[InstrumentDefinition],
    definition_id: str,
) -> InstrumentDefinition:
    """The definition with the highest version for `definition_id`.

    Versions are compared naturally ("2017" > "2013", "1.10" > "1.9"). Raises
    `NoSuitableDefinitionError` (a LookupError) when no version of that id is installed.
    """
    return latest_of(definitions, definition_id)


def load_official_texts(defn: InstrumentDefinition, path: Path) -> InstrumentDefinition:
    """`defn` with the official help and per-level texts from a licensed municipality's file.

    Items the file does not mention keep our own texts. The file must be for exactly this
    definition id and version; otherwise (or when it is broken) InstrumentFileError.
    """
    data = _read_object(path)
    try:
        items = _parse_official(defn, data)
        return dataclasses.replace(
            defn, items=items, texts_source=f"{TEXTS_SOURCE_OFFICIAL_PREFIX}{path.name}"
        )
    except _BadFileError as problem:
        raise InstrumentFileError(path, str(problem)) from None
    except ValueError as exc:
        raise InstrumentFileError(path, str(exc)) from None


def apply_official_texts(defn: InstrumentDefinition, texts: Mapping[str, str],
                         source: str) -> tuple[InstrumentDefinition, list[str]]:
    """`defn` with licensed texts given per key (``<item>.help`` or ``<item>.<level>``, as the
    municipal server publishes them), and the keys that could not be used (an unknown item or
    level, a malformed key): those are left out, the rest still applies. Without any usable
    text, `defn` itself comes back."""
    entries: dict[str, dict[str, Any]] = {}
    codes = {item.code for item in defn.items}
    skipped: list[str] = []
    for key, text in sorted(texts.items()):
        code, _, part = key.rpartition(".")
        if code not in codes:
            skipped.append(key)
        elif part == "help":
            entries.setdefault(code, {})["help"] = text
        elif part.isdigit() and defn.has_level(int(part)):
            entries.setdefault(code, {}).setdefault("levels", {})[part] = text
        else:
            skipped.append(key)
    if not entries:
        return defn, skipped
    for code, entry in entries.items():
        if "levels" in entry:  # keep our own texts for the levels the licence file leaves out
            own = {str(v): t for v, t in defn.item(code).level_texts}
            entry["levels"] = {**own, **entry["levels"]}
    items = _parse_official(defn, {"definition_id": defn.id, "definition_version": defn.version,
                                   "items": entries})
    return dataclasses.replace(
        defn, items=items, texts_source=f"{TEXTS_SOURCE_OFFICIAL_PREFIX}{source}"), skipped


# --- parsing ---------------------------------------------------------------------------


class _BadFileError(Exception):
    """A problem inside a file; converted to InstrumentFileError with the file's name."""


def _read_object(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8-sig")  # tolerate a BOM from Windows editors
    except FileNotFoundError:
        raise InstrumentFileError(path, "file not found") from None
    except UnicodeDecodeError:
        raise InstrumentFileError(path, "not UTF-8 text") from None
    except OSError as exc:
        raise InstrumentFileError(path, f"cannot be read ({exc.strerror})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InstrumentFileError(
            path, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    if not isinstance(data, dict):
        raise InstrumentFileError(path, "the file must contain one JSON object")
    return data


def _check_format(value: object) -> None:
    if isinstance(value, bool) or value != FORMAT_VERSION:
        raise _BadFileError(f"format {value!r} is not supported (expected {FORMAT_VERSION})")


def _check_keys(obj: dict[str, Any], allowed: frozenset[str], where: str) -> None:
    unknown = sorted(set(obj) - allowed)
    if unknown:
        raise _BadFileError(f"{where}: unknown field(s) {', '.join(unknown)}")


def _object(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _BadFileError(f"{where}: expected an object")
    return value


def _list(value: object, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise _BadFileError(f"{where}: expected a list")
    return value


def _str(obj: dict[str, Any], key: str, where: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str):
        raise _BadFileError(f"{where}.{key}: expected text")
    return value


def _int(obj: dict[str, Any], key: str, where: str) -> int:
    value = obj.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _BadFileError(f"{where}.{key}: expected a whole number")
    return value


def _optional_int(obj: dict[str, Any], key: str, where: str) -> int | None:
    if obj.get(key) is None:
        return None
    return _int(obj, key, where)


def _bool(obj: dict[str, Any], key: str, where: str) -> bool:
    value = obj.get(key)
    if not isinstance(value, bool):
        raise _BadFileError(f"{where}.{key}: expected true or false")
    return value


def _level_key(key: str, where: str) -> int:
    try:
        return int(key)
    except ValueError:
        raise _BadFileError(f"{where}: level {key!r} is not a number") from None


def _level_texts(value: object, where: str) -> tuple[tuple[int, str], ...]:
    texts: list[tuple[int, str]] = []
    for key, text in _object(value, where).items():
        if not isinstance(text, str):
            raise _BadFileError(f"{where}.{key}: expected text")
        texts.append((_level_key(key, where), text))
    return tuple(sorted(texts))


def _parse_definition(data: dict[str, Any]) -> InstrumentDefinition:
    where = "definition"
    if "format" not in data:
        raise _BadFileError('field "format" is missing')
    _check_format(data["format"])
    _check_keys(data, _DEFINITION_KEYS, where)
    missing = sorted(_DEFINITION_KEYS - set(data))
    if missing:
        raise _BadFileError(f"missing field(s) {', '.join(missing)}")
    try:
        kind = InstrumentKind(data["kind"])
    except ValueError:
        raise _BadFileError(f"kind {data['kind']!r} is not one of zrm, ladder") from None
    try:
        subject = Subject(data["subject"])
    except ValueError:
        raise _BadFileError(
            f"subject {data['subject']!r} is not one of person, household"
        ) from None
    return InstrumentDefinition(
        id=_str(data, "id", where),
        version=_str(data, "version", where),
        name=_str(data, "name", where),
        kind=kind,
        subject=subject,
        levels=tuple(
            _parse_level(entry, f"levels[{i}]")
            for i, entry in enumerate(_list(data["levels"], "levels"))
        ),
        items=tuple(
            _parse_item(entry, f"items[{i}]")
            for i, entry in enumerate(_list(data["items"], "items"))
        ),
        zwaartefactoren=tuple(
            _parse_item(entry, f"zwaartefactoren[{i}]")
            for i, entry in enumerate(_list(data["zwaartefactoren"], "zwaartefactoren"))
        ),
        guidance=_str(data, "guidance", where),
        min_age=_optional_int(data, "min_age", where),
        max_age=_optional_int(data, "max_age", where),
        allows_not_discussed=_bool(data, "allows_not_discussed", where),
        texts_source=_str(data, "texts_source", where),
    )


def _parse_level(value: object, where: str) -> Level:
    obj = _object(value, where)
    _check_keys(obj, _LEVEL_KEYS, where)
    return Level(
        value=_int(obj, "value", where),
        name=_str(obj, "name", where),
        help=_str(obj, "help", where),
    )


def _parse_item(value: object, where: str) -> Item:
    obj = _object(value, where)
    _check_keys(obj, _ITEM_KEYS, where)
    applies_when = obj.get("applies_when")
    if applies_when is not None and not isinstance(applies_when, str):
        raise _BadFileError(f"{where}.applies_when: expected text or null")
    raw_texts = obj.get("level_texts")
    level_texts = () if raw_texts is None else _level_texts(raw_texts, f"{where}.level_texts")
    return Item(
        code=_str(obj, "code", where),
        name=_str(obj, "name", where),
        help=_str(obj, "help", where),
        applies_when=applies_when,
        level_texts=level_texts,
    )


def _parse_official(defn: InstrumentDefinition, data: dict[str, Any]) -> tuple[Item, ...]:
    _check_keys(data, _OFFICIAL_KEYS, "official texts")
    if "format" in data:
        _check_format(data["format"])
    file_id = data.get("definition_id")
    file_version = data.get("definition_version")
    if (file_id, file_version) != defn.key:
        raise _BadFileError(
            f"the texts are for {file_id} {file_version}, not for {defn.id} {defn.version}"
        )
    entries = _object(data.get("items"), "items")
    known = {item.code for item in defn.items}
    unknown = sorted(set(entries) - known)
    if unknown:
        raise _BadFileError(f"unknown item code(s) {', '.join(unknown)}")
    items: list[Item] = []
    for item in defn.items:
        if item.code not in entries:
            items.append(item)
            continue
        where = f"items.{item.code}"
        obj = _object(entries[item.code], where)
        _check_keys(obj, _OFFICIAL_ITEM_KEYS, where)
        help_text = _str(obj, "help", where) if "help" in obj else item.help
        level_texts = (
            _level_texts(obj["levels"], f"{where}.levels") if "levels" in obj else item.level_texts
        )
        for value, _text in level_texts:
            if not defn.has_level(value):
                raise _BadFileError(f"{where}.levels: level {value} does not exist")
        items.append(dataclasses.replace(item, help=help_text, level_texts=level_texts))
    return tuple(items)
