"""A small TOML writer for the values tomli produces, so mutated mappings become files again.

Tables become ``[a.b]`` headers and arrays of tables ``[[a]]`` blocks (the form
people write, so the loader's line locator is exercised too); everything else
is written inline. `Raw` carries text written as is: an integer with more
digits than Python will print, or a deliberately odd literal such as ``1e99999``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from typing import Any

import attrs

__all__ = ["Raw", "dumps", "key", "value"]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


@attrs.frozen
class Raw:
    """A TOML literal written verbatim (e.g. a 5,000-digit integer)."""

    text: str


def string(text: str) -> str:
    """A TOML basic string: every control character, DEL and quote escaped."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def key(name: str) -> str:
    """A key, bare when TOML allows it, else quoted."""
    return name if _BARE_KEY.fullmatch(name) else string(name)


def _float(number: float) -> str:
    if math.isnan(number):
        return "nan"
    if math.isinf(number):
        return "inf" if number > 0 else "-inf"
    text = repr(number)
    return text if any(c in text for c in ".en") else text + ".0"


def value(item: Any) -> str:
    """Any value as an inline TOML value."""
    if isinstance(item, Raw):
        return item.text
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int):
        return str(item)
    if isinstance(item, float):
        return _float(item)
    if isinstance(item, str):
        return string(item)
    if isinstance(item, (dt.datetime, dt.date, dt.time)):
        return item.isoformat()
    if isinstance(item, Mapping):
        inner = ", ".join(f"{key(k)} = {value(v)}" for k, v in item.items())
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(item, (list, tuple)):
        return "[" + ", ".join(value(v) for v in item) + "]"
    raise TypeError(f"no TOML form for {type(item).__name__}")


def _is_table_array(item: Any) -> bool:
    return isinstance(item, list) and bool(item) and all(isinstance(v, Mapping) for v in item)


def _table(lines: list[str], path: tuple[str, ...], table: Mapping[str, Any]) -> None:
    nested = []
    for name, item in table.items():
        if isinstance(item, Mapping) or _is_table_array(item):
            nested.append((name, item))
        else:
            lines.append(f"{key(name)} = {value(item)}")
    for name, item in nested:
        header = ".".join(key(part) for part in (*path, name))
        if isinstance(item, Mapping):
            lines += ["", f"[{header}]"]
            _table(lines, (*path, name), item)
        else:
            for element in item:
                lines += ["", f"[[{header}]]"]
                _table(lines, (*path, name), element)


def dumps(document: Mapping[str, Any]) -> str:
    """A TOML document for ``document``; ``tomli.loads(dumps(d)) == d`` for tomli's own output."""
    lines: list[str] = []
    _table(lines, (), document)
    return "\n".join(lines).lstrip("\n") + "\n"
