"""Stage 1, load: TOML text to plain mappings that remember where values came from.

tomli parses; it does not report positions. A light scanner over the same text
records the line of every table header and ``key =`` line, so later stages can
say ``project.toml:14: indicator[2].target`` instead of just "target". The
scanner only has to be right for the lines it recognises; anything it misses
simply has no line number.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import tomli

from .errors import KeyPath, LoadError, Origin, Problem

__all__ = ["Document", "load_file", "load_text"]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_BARE = r"""(?:[A-Za-z0-9_\-]+|"[^"]*"|'[^']*')"""
_KEY = re.compile(rf"^\s*({_BARE}(?:\s*\.\s*{_BARE})*)\s*=")
_PART = re.compile(r"""[A-Za-z0-9_\-]+|"[^"]*"|'[^']*'""")


def _split_key(text: str) -> tuple[str, ...]:
    return tuple(p.strip("\"'") for p in _PART.findall(text))


def _scan(line: str) -> tuple[str, int]:
    """The line without its ``# comment``, and its bracket balance (open minus closed ``[`` and
    ``{``), both outside quoted strings; a backslash escapes the next character in "..."."""
    depth, quote, i = 0, None, 0
    while i < len(line):
        ch = line[i]
        if quote:
            if ch == "\\" and quote == '"':
                i += 1  # skip the escaped character
            elif ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            return line[:i], depth
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        i += 1
    return line, depth


_TRIPLE = {'"""': re.compile(r'(?<!\\)"""'), "'''": re.compile("'''")}


def _locate(text: str) -> dict[KeyPath, int]:
    """Map key paths (with array-of-table indices) to 1-based line numbers.

    Only ``\\n`` ends a line (as in TOML; U+2028 may sit inside a string). A value
    that spans lines (a multi-line string, array or inline table) is skipped
    until it closes, so its inner lines are never taken for keys or headers.
    """
    lines: dict[KeyPath, int] = {}
    counts: dict[tuple[str, ...], int] = {}
    table: KeyPath = ()
    in_multiline: str | None = None
    depth = 0
    for number, raw_line in enumerate(text.split("\n"), start=1):
        if in_multiline:
            if len(_TRIPLE[in_multiline].findall(raw_line)) % 2 == 1:
                in_multiline = None
            continue
        line, balance = _scan(raw_line)
        if depth > 0:
            depth += balance
            continue
        header = _HEADER.match(line)
        if header:
            names = _split_key(header.group(2))
            if header.group(1) == "[[":
                index = counts.get(names, 0)
                counts[names] = index + 1
                # A new element of [[a]] starts fresh counts for the arrays inside it ([[a.b]]).
                for inner in [k for k in counts if len(k) > len(names) and k[: len(names)] == names]:
                    del counts[inner]
                table = (*_resolve(names, counts, lines), index)
            else:
                table = tuple(_resolve(names, counts, lines))
            lines.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key:
            lines.setdefault(table + _split_key(key.group(1)), number)
            rest = line[key.end():]
            for quote, pattern in _TRIPLE.items():
                if len(pattern.findall(rest)) % 2 == 1:
                    in_multiline = quote
            if not in_multiline:
                depth = max(_scan(rest)[1], 0)
    return lines


def _resolve(names: tuple[str, ...], counts: dict[tuple[str, ...], int],
             lines: dict[KeyPath, int]) -> list[str | int]:
    """Insert the current index of any enclosing array of tables: [[a]] then [a.b] → a[i].b."""
    out: list[str | int] = []
    for i, name in enumerate(names):
        out.append(name)
        prefix = names[: i + 1]
        if prefix in counts and i + 1 < len(names):
            out.append(counts[prefix] - 1)
    return out


@attrs.frozen
class Document:
    """A parsed TOML file: its data, its name, and the line of each key path."""

    data: Mapping[str, Any]
    file: str
    lines: Mapping[KeyPath, int] = attrs.field(factory=dict, eq=False, repr=False)

    def origin(self, *path: str | int) -> Origin:
        """Where ``path`` is, with the line of the nearest enclosing key that has one."""
        line = None
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                break
        return Origin(self.file, tuple(path), line, self.lines)


def load_text(text: str, file: str = "<string>") -> Document:
    """Parse TOML text; a syntax error becomes a LoadError with its line."""
    text = text.removeprefix("\ufeff")
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        message = getattr(exc, "msg", str(exc))
        raise LoadError([Problem(f"not valid TOML: {message}", Origin(file, (), line))]) from None
    except RecursionError:
        raise LoadError([Problem("arrays or tables are nested too deeply to read", Origin(file))]) from None
    return Document(data, file, _locate(text))


def load_file(path: str | Path) -> Document:
    """Read and parse a TOML file (UTF-8, with or without a BOM)."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise LoadError([Problem("no such file", Origin(str(path)))]) from None
    except IsADirectoryError:
        raise LoadError([Problem("is a directory, not a TOML file", Origin(str(path)))]) from None
    except OSError as exc:
        raise LoadError([Problem(f"cannot read: {exc.strerror}", Origin(str(path)))]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError([Problem(
            f"not UTF-8 text (byte {exc.start}); save the file as UTF-8",
            Origin(str(path)),
        )]) from None
    return load_text(text, str(path))
