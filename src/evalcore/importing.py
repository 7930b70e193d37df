"""Bringing a 自评表 from Excel or Word into evalcore: the one place a file's suffix decides how
it is read, and the TOML a table is written back as.

`load_document` is what every command and `evalcore.load_project` read a
project file with: ``.xlsx`` and ``.docx`` through the table readers, anything
else as TOML. Either way the result is the same raw mapping, checked by the
same build stage. `table_toml` writes a table as a project file in the
documented format (docs/format.md), its indicators inline, so it can be kept,
edited and evaluated as TOML: it loads and scores as the table does
(`evalcore.import_table` checks the table first).

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from .docx_import import read_docx
from .errors import LoadError, Origin, Problem
from .loading import DEFAULT_MAX_FILE_SIZE, Document, load_file, read_file
from .tables import Grid, read_grid
from .xlsx_import import read_xlsx

__all__ = ["TABLE_SUFFIXES", "load_document", "table_toml", "to_toml"]

TABLE_SUFFIXES = (".xlsx", ".docx")


def load_document(path: str | Path, max_file_size: int = DEFAULT_MAX_FILE_SIZE) -> Document:
    """A project file read by its suffix: a 自评表 in .xlsx or .docx, else TOML."""
    suffix = Path(path).suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        return load_file(path, max_file_size)
    raw = read_file(path, max_file_size)
    reader = read_xlsx if suffix == ".xlsx" else read_docx
    grid: Grid = reader(raw, str(path), max_file_size)
    return read_grid(grid)


def table_toml(path: str | Path, max_file_size: int = DEFAULT_MAX_FILE_SIZE) -> str:
    """The project TOML of a 自评表 table (`evalcore.import_table` checks it first)."""
    if Path(path).suffix.lower() not in TABLE_SUFFIXES:
        raise LoadError([Problem("evalcore import reads .xlsx and .docx tables", Origin(str(path)),
                                 "a .toml project file is evaluated as it is")])
    document = load_document(path, max_file_size)
    name = Path(path).name.replace("\n", " ")
    return f"# Imported from {name} by evalcore import.\n\n" + to_toml(document.data)


def to_toml(data: Mapping[str, Any]) -> str:
    """A project mapping (tables, arrays of tables, text, Decimals, whole numbers, dates) as
    TOML text: the scalar keys of a table first, then its tables, then its arrays of tables."""
    lines: list[str] = []
    _table(data, (), lines)
    return "\n".join(lines).lstrip("\n") + "\n"


def _table(table: Mapping[str, Any], path: tuple[str, ...], lines: list[str],
           array: bool = False) -> None:
    scalars = {k: v for k, v in table.items() if not isinstance(v, (Mapping, list))}
    if path:
        lines.append("")
        dotted = ".".join(_key(p) for p in path)
        lines.append(f"[[{dotted}]]" if array else f"[{dotted}]")
    lines.extend(f"{_key(k)} = {_scalar(v)}" for k, v in scalars.items())
    for key, value in table.items():
        if isinstance(value, Mapping):
            _table(value, (*path, key), lines)
    for key, value in table.items():
        if isinstance(value, list):
            for item in value:
                _table(item, (*path, key), lines, array=True)


def _key(key: str) -> str:
    return key if key.replace("_", "").replace("-", "").isalnum() and key.isascii() else _string(key)


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return _string(str(value))


def _string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif 0xD800 <= ord(ch) <= 0xDFFF:  # a lone surrogate is no character TOML can hold
            out.append("\\ufffd")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'
