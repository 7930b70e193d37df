"""Stage 1, load: TOML text to plain mappings that remember where values came from.

tomli parses; it does not report positions. A light scanner over the same text
records the line of every table header and ``key =`` line, so later stages can
say ``project.toml:14: indicator[2].target`` instead of just "target". The
scanner only has to be right for the lines it recognises; anything it misses
simply has no line number.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import tomli

from .errors import KeyPath, LoadError, Origin, Problem

__all__ = ["DEFAULT_MAX_FILE_SIZE", "Document", "load_file", "load_text", "read_file"]

# The largest file evalcore reads (bytes), unless the caller says otherwise: a project file is a
# few kilobytes; this bounds the memory and time any file from anyone can cost.
DEFAULT_MAX_FILE_SIZE = 16 * 1024 * 1024
# The most digits an integer in a TOML file may have (Python's own limit for decimal literals):
# beyond it an int cannot even be printed in a message. Hex, octal and binary literals too.
MAX_INT_DIGITS = 4300
_INT_BOUND = 10**MAX_INT_DIGITS

# Linear-time patterns only (no two adjacent quantifiers that can match the same text): a line
# of a file is anyone's input, and backtracking over it must not cost more than reading it.
_HEADER = re.compile(r"^\s*(\[\[?)([^\]]*)\]\]?\s*(#.*)?$")
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
    # The next index of each array of tables, by its resolved path (a[1].b is not a[0].b), and
    # the current element of each by its names: (its resolved path, its index).
    counts: dict[KeyPath, int] = {}
    current: dict[tuple[str, ...], tuple[KeyPath, int]] = {}
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
        if header and header.group(2).strip():
            names = _split_key(header.group(2))
            if header.group(1) == "[[":
                array = _resolve(names, current)
                index = counts.get(array, 0)
                counts[array] = index + 1
                current[names] = (array, index)
                table = (*array, index)
            else:
                table = _resolve(names, current)
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


def _resolve(names: tuple[str, ...], current: Mapping[tuple[str, ...], tuple[KeyPath, int]]
             ) -> KeyPath:
    """Insert the current index of any enclosing array of tables: [[a]] then [a.b] → a[i].b.

    An array's current element counts only below the element of its parent it was seen in:
    after a second [[a]], a.b is a new table until a [[a.b]] appears in that element. Each
    header costs the length of its name, so a file of a million headers is read in linear time.
    """
    out: list[str | int] = []
    for i, name in enumerate(names):
        out.append(name)
        entry = current.get(names[: i + 1])
        if entry is not None and i + 1 < len(names) and entry[0] == tuple(out):
            out.append(entry[1])
    return tuple(out)


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
    """Parse TOML text; a syntax error becomes a LoadError with its line, and so does an integer
    too long to be a number anyone means (more than MAX_INT_DIGITS digits)."""
    text = text.removeprefix("\ufeff")
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        message = getattr(exc, "msg", str(exc))
        raise LoadError([Problem(f"not valid TOML: {message}", Origin(file, (), line))]) from None
    except ValueError:  # Python's limit on the digits of an int: tomli lets it through
        limit = sys.get_int_max_str_digits() or MAX_INT_DIGITS
        raise LoadError([Problem(f"a number has more than {limit} digits",
                                 Origin(file, (), _long_number_line(text, limit)))]) from None
    except RecursionError:
        raise LoadError([Problem("arrays or tables are nested too deeply to read", Origin(file))]) from None
    doc = Document(data, file, _locate(text))
    _check_integers(doc)
    return doc


_DIGITS = re.compile(r"[0-9][0-9_]*")


def _long_number_line(text: str, limit: int) -> int | None:
    """The line of the first bare (unquoted) run of more than ``limit`` digits, if any."""
    for number, line in enumerate(text.split("\n"), start=1):
        code = _scan(line)[0]
        for match in _DIGITS.finditer(code):
            if match.end() - match.start() > limit and \
                    len(match.group().replace("_", "")) > limit and _outside_quotes(code, match.start()):
                return number
    return None


def _outside_quotes(line: str, position: int) -> bool:
    """Whether ``position`` of one line is outside a quoted string (a single-line guess)."""
    quote = None
    i = 0
    while i < position:
        ch = line[i]
        if quote == '"' and ch == "\\":
            i += 1
        elif quote and ch == quote:
            quote = None
        elif not quote and ch in "\"'":
            quote = ch
        i += 1
    return quote is None


def _check_integers(doc: Document) -> None:
    """Refuse an integer of more than MAX_INT_DIGITS digits written in hex, octal or binary
    (Python parses those without its limit, and then cannot print them)."""
    stack: list[tuple[KeyPath, Any]] = [((), doc.data)]
    problems: list[Problem] = []
    while stack:
        path, value = stack.pop()
        if isinstance(value, Mapping):
            stack.extend(((*path, str(k)), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend(((*path, i), v) for i, v in enumerate(value))
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _INT_BOUND:
            problems.append(Problem(f"a number has more than {MAX_INT_DIGITS} digits",
                                    doc.origin(*path)))
    if problems:
        raise LoadError(sorted(problems, key=lambda p: p.origin.line or 0))


def read_file(path: str | Path, max_size: int = DEFAULT_MAX_FILE_SIZE) -> bytes:
    """The bytes of a regular file of at most ``max_size`` bytes; anything else a located LoadError.

    The file is checked with ``os.stat`` before it is opened, so a FIFO (which would block
    forever), a device (``/dev/zero`` never ends), a socket or a directory is refused without
    being opened; it is opened non-blocking and checked again (the name may have changed in
    between), and never more than ``max_size`` + 1 bytes are read.
    """
    where = Origin(str(path))
    try:
        info = os.stat(path)
        _check_kind(info, max_size, where)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) \
            | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(path, flags)
        try:
            _check_kind(os.fstat(fd), max_size, where)
            with os.fdopen(fd, "rb", closefd=False) as handle:
                raw = handle.read(max_size + 1)
        finally:
            os.close(fd)
    except ValueError:  # os.stat refuses a name with a NUL byte
        raise LoadError([Problem("the file name contains a NUL byte", where)]) from None
    except FileNotFoundError:
        raise LoadError([Problem("no such file", where)]) from None
    except OSError as exc:
        raise LoadError([Problem(f"cannot read: {exc.strerror or exc}", where)]) from None
    if len(raw) > max_size:  # it grew after it was checked
        raise LoadError([_too_large(len(raw), max_size, where)])
    return raw


def _check_kind(info: os.stat_result, max_size: int, where: Origin) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise LoadError([Problem("is a directory, not a TOML file", where)])
    if not stat.S_ISREG(info.st_mode):
        raise LoadError([Problem("is not a regular file (a device, FIFO or socket): evalcore reads "
                                 "only regular files", where)])
    if info.st_size > max_size:
        raise LoadError([_too_large(info.st_size, max_size, where)])


def _too_large(size: int, max_size: int, where: Origin) -> Problem:
    return Problem(f"the file is larger than the limit of {max_size:,} bytes ({size:,} bytes or "
                   "more)", where, "raise the limit with --max-file-size, or max_file_size= in "
                   "the API")


def load_file(path: str | Path, max_file_size: int = DEFAULT_MAX_FILE_SIZE) -> Document:
    """Read and parse a TOML file (UTF-8, with or without a BOM) of at most ``max_file_size``
    bytes."""
    raw = read_file(path, max_file_size)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError([Problem(
            f"not UTF-8 text (byte {exc.start}); save the file as UTF-8",
            Origin(str(path)),
        )]) from None
    return load_text(text, str(path))
