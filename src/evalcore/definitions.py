"""Plugin definitions as TOML: groups, categories, units and profiles.

A plugin keeps its data in a TOML file and its hooks return what
`load_definitions` read from it, so a category is "pure TOML plus a few
lines of Python". A mistake in such a file is a PluginError located at its
file, key and line.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from .errors import EvalcoreError, PluginError
from .loading import DEFAULT_MAX_FILE_SIZE, load_file
from .numbers import context
from .profile import PROFILE_KEYS, ProfileSource
from .quantities import Unit
from .reader import Reader
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
    profiles: tuple[ProfileSource, ...] = ()  # resolved when the registry is built
    rules: tuple[RuleType, ...] = ()  # presets: a base rule with some parameters fixed


def load_definitions(path: str | Path, max_file_size: int = DEFAULT_MAX_FILE_SIZE) -> Definitions:
    """Read a definitions file: ``[[group]]``, ``[[category]]``, ``[[unit]]``, ``[profile]`` and
    ``[[rule]]`` presets (``name``, ``base``, ``params``, ``doc``), of at most ``max_file_size``
    bytes."""
    try:
        doc = load_file(path, max_file_size)
    except EvalcoreError as exc:  # a plugin's own file is broken: the plugin's fault
        raise PluginError(exc.problems) from None
    with decimal.localcontext(context()):  # the caller's decimal settings never matter
        r = Reader.of(doc)
        result = _read(r)
    if r.problems:
        raise PluginError(r.problems)
    return result


def _read(r: Reader) -> Definitions:
    r.keys(r.data, _TOP)
    groups = tuple(
        Group(r.text(row, "name", *at), r.text(row, "zh", *at), r.texts(row, "aliases", *at),
              r.integer(row, "order", *at, default=0), r.text(row, "doc", *at))
        for at, row in _rows(r, "group", _GROUP, ("name", "zh"))
    )
    categories = tuple(
        Category(r.text(row, "name", *at), r.text(row, "zh", *at), r.text(row, "group", *at),
                 r.texts(row, "aliases", *at), r.text(row, "default_rule", *at),
                 r.text(row, "direction", *at) or "higher", r.text(row, "doc", *at).strip(),
                 r.text(row, "aggregation", *at) or None)
        for at, row in _rows(r, "category", _CATEGORY, ("name", "zh", "group", "default_rule"))
    )
    units = []
    for at, row in _rows(r, "unit", _UNIT, ("name", "dimension")):
        factor = r.number(row, "factor", *at) if "factor" in row else Decimal(1)
        if factor == 0:
            r.bad("a unit's factor must be positive", *at, "factor")
        elif factor is not None:
            units.append(Unit(row["name"], row["dimension"], factor, r.texts(row, "aliases", *at)))
    profiles = tuple(ProfileSource(row["name"], {k: v for k, v in row.items() if k != "name"})
                     for _, row in _rows(r, "profile", PROFILE_KEYS, ("name",)))
    presets = []
    for at, row in _rows(r, "rule", _RULE, ("name", "base")):
        if not isinstance(row.get("params", {}), Mapping):
            r.bad("params must be a table of the base rule's parameters", *at, "params")
            continue
        presets.append(RuleType(row["name"], _preset, doc=r.text(row, "doc", *at),
                                base=row["base"], preset=dict(row.get("params", {}))))
    return Definitions(groups, categories, tuple(units), profiles, tuple(presets))


def _rows(r: Reader, key: str, allowed: set[str], required: tuple[str, ...]
          ) -> list[tuple[tuple[str | int, ...], Mapping[str, Any]]]:
    """The tables of ``[[key]]`` (or one ``[key]``) that have every ``required`` text, each
    with its path; their unknown keys and missing texts are reported."""
    out = []
    for i, row in r.tables(r.data, key, single=True):
        at: tuple[str | int, ...] = (key, i)
        r.keys(row, allowed, *at)
        complete = True
        for name in required:
            complete = bool(r.text(row, name, *at, required=True).strip()) and complete
        if complete:
            out.append((at, row))
    return out


def _preset(params: Mapping[str, Any], ctx: Any) -> Any:
    raise AssertionError("a preset is never compiled itself: its base rule is")
