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
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs

from .errors import EvalcoreError, PluginError, suggest
from .loading import DEFAULT_MAX_FILE_SIZE, load_file
from .numbers import context, to_decimal
from .profile import PROFILE_KEYS, ProfileSource
from .reader import Reader
from .reading import READING_KEYS, SIGNS, Reading
from .registrations import Category, Group, RuleType
from .units import Unit

__all__ = ["Definitions", "load_definitions"]

_TOP = {"group", "category", "unit", "profile", "rule"}
_RULE = {"name", "base", "params", "doc"}
_GROUP = {"name", "zh", "aliases", "order", "doc"}
_CATEGORY = {"name", "zh", "group", "aliases", "default_rule", "direction", "doc", "aggregation",
             "reading"}
_UNIT = {"name", "dimension", "factor", "aliases", "kind"}


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
                 r.text(row, "aggregation", *at) or None, _reading(r, row, at))
        for at, row in _rows(r, "category", _CATEGORY, ("name", "zh", "group", "default_rule"))
    )
    units = []
    for at, row in _rows(r, "unit", _UNIT, ("name", "dimension")):
        factor = _factor(r, row, at) if "factor" in row else Decimal(1)
        if factor == 0:
            r.bad("a unit's factor must be positive", *at, "factor")
        elif factor is not None:
            units.append(Unit(row["name"], row["dimension"], factor, r.texts(row, "aliases", *at),
                              r.text(row, "kind", *at)))
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


def _factor(r: Reader, row: Mapping[str, Any], at: tuple[str | int, ...]
            ) -> Decimal | Fraction | None:
    """A unit's factor: a number, or a fraction written as text ("10000/15": 1 亩 in 平方米),
    exact where no Decimal is."""
    value = row["factor"]
    if isinstance(value, str) and value.count("/") == 1:
        top, bottom = (part.strip() for part in value.split("/"))
        try:
            result = Fraction(to_decimal(top)) / Fraction(to_decimal(bottom))
        except (ValueError, ZeroDivisionError):
            r.bad(f"factor {value!r} is not a fraction of two positive numbers (10000/15)",
                  *at, "factor")
            return None
        if result <= 0:
            r.bad("a unit's factor must be positive", *at, "factor")
            return None
        return result
    return r.number(row, "factor", *at)


def _reading(r: Reader, row: Mapping[str, Any], at: tuple[str | int, ...]) -> Reading:
    """A category's ``[category.reading]``: how its targets without a sign are read (see
    `evalcore.reading.Reading`); each mistake located at its key."""
    table = r.table(row, "reading", *at)
    where = (*at, "reading")
    r.keys(table, READING_KEYS, *where)
    kinds = {}
    for kind, sign in r.table(table, "kinds", *where).items():
        if sign not in SIGNS:
            r.bad(f"the reading of {kind!r} must be one of {', '.join(SIGNS)}, not {sign!r}",
                  *where, "kinds", kind, hint=suggest(str(sign), SIGNS))
        else:
            kinds[kind] = SIGNS[sign]
    return Reading(kinds, frozenset(r.texts(table, "guess", *where)), r.texts(table, "higher", *where),
                   r.texts(table, "lower", *where))


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
