"""Generic JSON codec for frozen domain dataclasses (used for plan content and its records).

`to_plain` lives in the domain (`domain.plans.to_plain`, also the basis of the fingerprint);
this is its inverse, driven by the dataclasses' type hints: enums, dates, datetimes, tuples,
frozensets, optionals and nested dataclasses.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from datetime import date, datetime
from functools import cache
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

T = TypeVar("T")


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def from_plain(cls: type[T], data: Any) -> T:
    return typing.cast(T, _decode(cls, data))


def _decode(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(tp) if a is not type(None)]
        return _decode(options[0], value) if len(options) == 1 else value
    if origin is tuple:
        items = get_args(tp)
        inner = items[0] if items else Any
        return tuple(_decode(inner, v) for v in value)
    if origin is frozenset:
        (inner,) = get_args(tp) or (Any,)
        return frozenset(_decode(inner, v) for v in value)
    if origin is list:
        (inner,) = get_args(tp) or (Any,)
        return [_decode(inner, v) for v in value]
    if isinstance(tp, type):
        if dataclasses.is_dataclass(tp):
            hints = _hints(tp)
            kwargs = {
                f.name: _decode(hints[f.name], value[f.name])
                for f in dataclasses.fields(tp)
                if f.name in value
            }
            return tp(**kwargs)
        if issubclass(tp, enum.Enum):
            return tp(value)
        if tp is datetime:
            return datetime.fromisoformat(value)
        if tp is date:
            return date.fromisoformat(value)
    return value
