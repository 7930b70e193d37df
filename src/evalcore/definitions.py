"""Plugin definitions as TOML: groups, categories, units and profiles.

A plugin keeps its data in a TOML file and its hooks return what
`load_definitions` read from it, so a category is "pure TOML plus a few
lines of Python". A mistake in such a file is a PluginError located at its
file, key and line.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from .errors import EvalcoreError, PluginError, Problem, quote, shorten, suggest
from .loading import DEFAULT_MAX_FILE_SIZE, Document, load_file
from .numbers import context, to_decimal
from .profile import PROFILE_KEYS, Profile
from .quantities import Unit
from .registrations import Category, Group, RuleType

__all__ = ["Definitions", "load_definitions"]

_TOP = {"group", "category", "unit", "profile", "rule"}
_RULE = {"name", "base", "params", "doc"}
_GROUP = {"name", "zh", "aliases", "order", "doc"}
_CATEGORY = {"name", "zh", "group", "aliases", "default_rule", "direction", "doc", "aggregation"}
_UNIT = {"name", "dimension", "factor", "aliases"}


@attrs.frozen
class Definitions:
    """What one definitions file declares."""

    groups: tuple[Group, ...] = ()
    categories: tuple[Category, ...] = ()
    units: tuple[Unit, ...] = ()
    profiles: tuple[Profile, ...] = ()
    rules: tuple[RuleType, ...] = ()  # presets: a base rule with some parameters fixed


def load_definitions(path: str | Path, max_file_size: int = DEFAULT_MAX_FILE_SIZE) -> Definitions:
    """Read a definitions file: ``[[group]]``, ``[[category]]``, ``[[unit]]``, ``[profile]`` and
    ``[[rule]]`` presets (``name``, ``base``, ``params``, ``doc``), of at most ``max_file_size``
    bytes."""
    try:
        doc = load_file(path, max_file_size)
    except EvalcoreError as exc:  # a plugin's own file is broken: the plugin's fault
        raise PluginError(exc.problems) from None
    problems: list[Problem] = []
    with decimal.localcontext(context()):  # the caller's decimal settings never matter
        result = _read(doc, problems)
    if problems:
        raise PluginError(problems)
    return result


def _read(doc: Document, problems: list[Problem]) -> Definitions:
    data = doc.data

    def bad(message: str, *path: str | int, hint: str | None = None) -> None:
        problems.append(Problem(message, doc.origin(*path), hint))

    for key in data:
        if key not in _TOP:
            bad(f"unknown key {quote(key)}", key, hint=suggest(key, _TOP))

    def rows(key: str, allowed: set[str], required: tuple[str, ...]) -> list[tuple[int, Mapping[str, Any]]]:
        value = data.get(key, [])
        if isinstance(value, Mapping):
            value = [value]
        if not isinstance(value, list):
            bad(f"{key} must be a table or an array of tables", key)
            return []
        out = []
        for i, row in enumerate(value):
            if not isinstance(row, Mapping):
                bad(f"each {key} must be a table", key, i)
                continue
            for k in row:
                if k not in allowed:
                    bad(f"unknown key {quote(k)}", key, i, k, hint=suggest(k, allowed))
            missing = [k for k in required if not isinstance(row.get(k), str) or not row.get(k)]
            for k in missing:
                bad(f"{key} needs {k!r} (text)", key, i)
            if not missing:
                out.append((i, row))
        return out

    def aliases(row: Mapping[str, Any], *path: str | int) -> tuple[str, ...]:
        value = row.get("aliases", [])
        if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
            bad("aliases must be an array of texts", *path, "aliases")
            return ()
        return tuple(value)

    def text(row: Mapping[str, Any], key: str, default: str | None, *path: str | int) -> str | None:
        value = row.get(key, default)
        if value is not None and not isinstance(value, str):
            bad(f"{key} must be text, not {shorten(repr(value))}", *path, key)
            return default
        return value

    def order(row: Mapping[str, Any], *path: str | int) -> int:
        value = row.get("order", 0)
        if isinstance(value, bool) or not isinstance(value, int):
            bad(f"order must be a whole number, not {shorten(repr(value))}", *path, "order")
            return 0
        return value

    groups = tuple(
        Group(row["name"], row["zh"], aliases(row, "group", i), order(row, "group", i),
              text(row, "doc", "", "group", i) or "")
        for i, row in rows("group", _GROUP, ("name", "zh"))
    )
    categories = tuple(
        Category(row["name"], row["zh"], row["group"], aliases(row, "category", i),
                 row["default_rule"], text(row, "direction", "higher", "category", i) or "higher",
                 (text(row, "doc", "", "category", i) or "").strip(),
                 text(row, "aggregation", None, "category", i))
        for i, row in rows("category", _CATEGORY, ("name", "zh", "group", "default_rule"))
    )
    units = []
    for i, row in rows("unit", _UNIT, ("name", "dimension")):
        try:
            factor = to_decimal(row.get("factor", 1))
        except ValueError as exc:
            bad(str(exc), "unit", i, "factor")
            continue
        if factor <= 0:
            bad("a unit's factor must be positive", "unit", i, "factor")
            continue
        units.append(Unit(row["name"], row["dimension"], factor, aliases(row, "unit", i)))
    profiles = tuple(Profile.declare(row) for _, row in rows("profile", PROFILE_KEYS, ("name",)))
    presets = []
    for i, row in rows("rule", _RULE, ("name", "base")):
        params = row.get("params", {})
        if not isinstance(params, Mapping):
            bad("params must be a table of the base rule's parameters", "rule", i, "params")
            continue
        presets.append(RuleType(row["name"], _preset, doc=text(row, "doc", "", "rule", i) or "",
                                base=row["base"], preset=dict(params)))
    return Definitions(groups, categories, tuple(units), profiles, tuple(presets))


def _preset(params: Mapping[str, Any], ctx: Any) -> Any:
    raise AssertionError("a preset is never compiled itself: its base rule is")

