"""Reading TOML input: typed access to its values that records a located problem per mistake.

Every TOML input evalcore reads (a project or scheme file, a plugin's
definitions, a profile, a golden case file) is read through one `Reader`.
Asking it for a value of some kind (a table, text, a number, an array of
tables ...) gives that value, or a harmless empty one while it records a
`Problem` saying what is wrong and where: the file, the key path and the line.
So one pass over a file collects every mistake in it, and the same mistake is
worded the same way in every kind of file.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping
from decimal import Decimal
from typing import Any

from .errors import Origin, Problem, quote, shorten, suggest
from .loading import Document
from .numbers import to_decimal

__all__ = ["Reader", "kind"]


def kind(value: object) -> str:
    """What a value is, for "must be ..., not ..." messages: "a table", "the text 'x'", "int 3"."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return f"the text {quote(value)}"
    return f"{type(value).__name__} {shorten(value)}"


class Reader:
    """The values of one input, read with a located problem recorded for each mistake.

    ``data`` is the input's top table; ``locate(*path)`` gives the origin of a key path in
    it. `of` reads a whole document (paths from its top, " at the top level" for a stray
    key there); `at` reads a table that came from somewhere else (a profile's merged
    settings, located below their origin). Every accessor takes the table to read from
    and the key, then the path of that table, and records its problem at path + key.
    """

    def __init__(self, data: Mapping[str, Any], locate: Callable[..., Origin], *,
                 document: bool = False) -> None:
        self.data = data
        self._locate = locate
        self._document = document
        # An ordered set: a table read by two stages is reported once, in the order found, and
        # ten thousand bad rows cost ten thousand look-ups, not fifty million comparisons.
        self._found: dict[Problem, None] = {}

    @classmethod
    def of(cls, doc: Document) -> Reader:
        """A reader of a whole document."""
        return cls(doc.data, doc.origin, document=True)

    @classmethod
    def at(cls, data: Mapping[str, Any], origin: Origin) -> Reader:
        """A reader of ``data``, a table found at ``origin``."""
        return cls(data, origin.child)

    @property
    def problems(self) -> list[Problem]:
        """Every problem recorded, once each, in the order found."""
        return list(self._found)

    def origin(self, *path: str | int) -> Origin:
        """Where ``path`` is in the input."""
        return self._locate(*path)

    def bad(self, message: str, *path: str | int, hint: str | None = None,
            severity: str = "error") -> None:
        """Record a problem at ``path``."""
        self._found.setdefault(Problem(message, self._locate(*path), hint, severity))

    @property
    def count(self) -> int:
        """How many problems are recorded: a stage compares it before and after a part."""
        return len(self._found)

    def report(self, *problems: Problem) -> None:
        """Record problems found by a check outside the reader, already located."""
        for problem in problems:
            self._found.setdefault(problem)

    def keys(self, table: Mapping[str, Any], allowed: Collection[str], *path: str | int,
             what: str = "key") -> None:
        """Record each key of ``table`` not in ``allowed``, with "did you mean" or the allowed
        keys; ``what`` names a key in the message ("unknown profile setting 'x'")."""
        for key in table:
            if key not in allowed:
                where = " at the top level" if not path and self._document else ""
                self.bad(f"unknown {what} {quote(key)}{where}", *path, key,
                         hint=suggest(key, allowed) or f"allowed: {', '.join(sorted(allowed))}")

    def table(self, parent: Mapping[str, Any], key: str, *path: str | int) -> Mapping[str, Any]:
        """``parent[key]`` as a table; {} when it is left out or is not one."""
        value = parent.get(key, {})
        if not isinstance(value, Mapping):
            self.bad(f"{key} must be a table, not {kind(value)}", *path, key)
            return {}
        return value

    def tables(self, parent: Mapping[str, Any], key: str, *path: str | int,
               each: str = "", single: bool = False) -> list[tuple[int, Mapping[str, Any]]]:
        """``parent[key]`` as an array of tables (``[[key]]``): each table with its index.

        An element that is not a table is reported ("each <each> must be a table") and left
        out; with ``single`` one table stands for an array of one.
        """
        value = parent.get(key, [])
        dotted = ".".join(str(p) for p in (*path, key))
        if single and isinstance(value, Mapping):
            value = [value]
        if not isinstance(value, list):
            self.bad(f"{dotted} must be a table or an array of tables" if single else
                     f"{dotted} must be an array of tables: write [[{dotted}]]", *path, key)
            return []
        rows = []
        for i, row in enumerate(value):
            if isinstance(row, Mapping):
                rows.append((i, row))
            else:
                self.bad(f"each {each or key} must be a table", *path, key, i)
        return rows

    def text(self, table: Mapping[str, Any], key: str, *path: str | int,
             required: bool = False) -> str:
        """``table[key]`` as text; "" when it is left out (a problem if ``required``, and so is
        blank text then) or is not text."""
        value = table.get(key)
        if value is None:
            if required:
                self.bad(f"{key} is missing", *path, key)
            return ""
        if not isinstance(value, str):
            self.bad(f"{key} must be text, not {kind(value)}", *path, key)
            return ""
        if required and not value.strip():
            self.bad(f"{key} is empty", *path, key)
        return value

    def name(self, table: Mapping[str, Any], key: str, *path: str | int, default: str) -> str:
        """An optional name (a profile, a scheme file): left out is "", but written empty is a
        mistake, not a way of saying ``default``."""
        value = self.text(table, key, *path)
        if isinstance(table.get(key), str) and not value.strip():
            self.bad(f"{key} is empty; leave the key out for {default}", *path, key)
            return ""
        return value

    def texts(self, table: Mapping[str, Any], key: str, *path: str | int) -> tuple[str, ...]:
        """``table[key]`` as an array of texts; () when it is left out or is not one."""
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.bad(f"{key} must be an array of texts", *path, key)
            return ()
        return tuple(value)

    def number(self, table: Mapping[str, Any], key: str, *path: str | int,
               required: bool = False, negative: bool = False) -> Decimal | None:
        """``table[key]`` as an exact Decimal; None when it is left out (a problem if
        ``required``), blank, not a finite number, or negative (unless ``negative``)."""
        value = table.get(key)
        if value is None:
            if required:
                self.bad(f"{key} is missing", *path, key)
            return None
        if isinstance(value, str) and not value.strip():
            self.bad(f"{key} is empty; leave the key out if there is no value", *path, key)
            return None
        try:
            result = to_decimal(value)
        except ValueError as exc:
            self.bad(f"{key}: {exc}", *path, key)
            return None
        if result < 0 and not negative:
            self.bad(f"{key} cannot be negative ({shorten(value)})", *path, key)
            return None
        return result

    def integer(self, table: Mapping[str, Any], key: str, *path: str | int, default: int,
                low: int | None = None, high: int | None = None) -> int:
        """``table[key]`` as a whole number (within [low, high] when both are given);
        ``default`` when it is left out or is not one."""
        value = table.get(key, default)
        whole = isinstance(value, int) and not isinstance(value, bool)
        if low is not None and high is not None:
            if not whole or not low <= value <= high:
                self.bad(f"{key} must be a whole number from {low} to {high}", *path, key)
                return default
        elif not whole:
            self.bad(f"{key} must be a whole number, not {kind(value)}", *path, key)
            return default
        return int(value)

    def flag(self, table: Mapping[str, Any], key: str, *path: str | int, default: bool) -> bool:
        """``table[key]`` as true or false; ``default`` when it is left out or is not one."""
        value = table.get(key, default)
        if not isinstance(value, bool):
            self.bad(f"{key} must be true or false, not {kind(value)}", *path, key)
            return default
        return value

    def value(self, table: Mapping[str, Any], key: str, *path: str | int) -> object:
        """A target or actual: text, a number or a date (never a table, array or boolean)."""
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float, dt.date)):
            self.bad(f"{key} must be text, a number or a date, not {kind(value)}", *path, key)
            return None
        if isinstance(value, float) and value != value:
            self.bad(f"{key} is not a number (nan)", *path, key)
            return None
        return value
