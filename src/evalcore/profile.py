"""Profiles: the settings in which provinces and frameworks differ.

Where the national rule is silent or provinces disagree (rounding, grade
bands, how the reverse formula works, the over-achievement threshold), the
choice is a profile setting, never a constant in code. Profiles are TOML data
registered by plugins; a profile may ``extends`` another and override parts of
it, and a scheme may override settings again in its ``[settings]`` table.

Two types, one for each side of resolution: a plugin registers a
`ProfileSource` (a name and the table it wrote); `resolve_profile` merges it
onto the chain it extends and `read_profile` reads the result into a
`Profile`, the complete settings a scheme is scored by.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from .errors import NOWHERE, Origin, PluginError, Problem, suggest
from .monitor_settings import MonitorSettings, read_monitor_settings
from .reader import Reader

__all__ = ["Grade", "Profile", "ProfileSource", "merge_settings", "read_profile", "resolve_profile"]


@attrs.frozen
class Grade:
    """A grade (等级) and the lowest total that earns it (inclusive)."""

    name: str
    minimum: Decimal
    en: str = ""


PROFILE_KEYS = {
    "name", "title", "extends", "doc", "total", "decimals", "grades", "weights",
    "overachievement", "aggregation", "budget", "not_applicable", "reasons", "rules", "default",
    "review",
    "min_share", "min_share_severity",
}
PROFILE_KEYS |= {"monitoring"}  # mid-year monitoring (evalcore.monitor_settings)

SEVERITIES = ("error", "warning")
"""How a ``min_share`` shortfall is reported: an error stops the run, a warning is reported."""


@attrs.frozen
class ProfileSource:
    """A profile as a plugin registers it: its name and the TOML table it wrote, unresolved.

    ``table`` holds what the profile states: ``extends`` (the profile it builds on),
    ``default``, and the settings it sets or changes. When the registry is built the
    table is merged onto the chain it extends and read into a `Profile`, so a child
    only has to state what it changes:

    ```python
    ProfileSource("whole-points", {"extends": "national-2020", "decimals": 0})
    ```
    """

    name: str
    table: Mapping[str, Any] = attrs.field(factory=dict, converter=dict)

    @property
    def extends(self) -> object:
        """The name of the profile this one builds on, as written (None when it builds on none)."""
        return self.table.get("extends")


@attrs.frozen
class Profile:
    """A complete, validated set of settings: a `ProfileSource` with its ``extends`` resolved."""

    name: str
    title: str = ""
    doc: str = ""
    default: bool = False  # the profile of a scheme that names none (exactly one has it)
    extends: str | None = None  # the profile it was built on, for ``evalcore plugins``
    total: Decimal = Decimal(100)
    decimals: int = 2
    grades: tuple[Grade, ...] = ()
    weights: Mapping[str, Decimal] = attrs.field(factory=dict)
    # The least share (in percent of the points) a level-1 group, or groups joined by "+",
    # must carry: {"outputs+benefits+satisfaction": 60} for 产出 + 效益 ≥ 60%.
    min_share: Mapping[str, Decimal] = attrs.field(factory=dict)
    min_share_severity: str = "error"  # "error" or "warning"
    overachievement: Decimal | None = None
    aggregation: str = ""
    budget_category: str = ""  # the category that scores the funds row
    budget_unit: str = ""  # the unit of a funds block that states none
    rescale_not_applicable: bool = False
    reason_required: bool = True
    reason_budget_below: Decimal = Decimal(1)  # an execution rate below this needs a reason
    rules: Mapping[str, Mapping[str, Any]] = attrs.field(factory=dict)
    monitoring: MonitorSettings = attrs.field(factory=MonitorSettings)  # evalcore.monitor's
    # The whole (merged) table it was read from: a scheme's [settings] are merged onto it.
    settings: Mapping[str, Any] = attrs.field(factory=dict, eq=False, repr=False)

    def grade(self, total: Decimal) -> Grade:
        """The grade of a total: half-open bands on the exact score (89.6 is 良, not 优)."""
        for grade in self.grades:
            if total >= grade.minimum:
                return grade
        return self.grades[-1]


def resolve_profile(source: ProfileSource, known: Mapping[str, ProfileSource],
                    origin: Origin = NOWHERE) -> tuple[Profile, list[Problem]]:
    """``source`` merged onto the chain of ``known`` profiles it ``extends``, then read.

    Returns the profile and the problems of its settings; a broken chain (an unknown
    parent, a cycle, an ``extends`` that is not a name) is a PluginError at once.
    """
    return read_profile(_extended(source, known, origin), origin, source.table)


def _extended(source: ProfileSource, known: Mapping[str, ProfileSource],
              origin: Origin) -> dict[str, Any]:
    """The table of ``source`` with every profile it extends merged under it, nearest last."""
    merged: dict[str, Any] = dict(source.table)
    seen = [source.name]
    parent = source.extends
    if parent is not None and not isinstance(parent, str):
        raise PluginError([Problem(f"extends must be the name of a profile, not {parent!r}",
                                   origin.child("extends"))])
    while parent:
        if parent in seen:
            raise PluginError([Problem(f"profile {seen[0]!r} extends itself through "
                                       f"{' → '.join([*seen, parent])}", origin)])
        base = known.get(parent)
        if base is None:
            raise PluginError([Problem(f"profile {seen[-1]!r} extends the unknown profile "
                                       f"{parent!r}", origin, suggest(parent, known))])
        seen.append(parent)
        merged = merge_settings(base.table, merged)
        parent = base.extends
        if parent is not None and not isinstance(parent, str):
            raise PluginError([Problem(f"profile {seen[-1]!r}: extends must be a profile name",
                                       origin)])
    merged["name"] = source.name
    merged["extends"] = source.extends
    merged["default"] = source.table.get("default", False)  # being the default is not inherited
    return merged


def read_profile(table: Mapping[str, Any], origin: Origin = NOWHERE,
                 written: Mapping[str, Any] | None = None) -> tuple[Profile, list[Problem]]:
    """A profile from its whole (already merged) table, and the problems of its settings,
    located below ``origin``. ``written`` is what the file at ``origin`` wrote itself, before
    merging (None: all of ``table``): a problem between two settings is put at the one it
    wrote."""
    r = Reader.at(table, origin)
    r.keys(table, PROFILE_KEYS, what="profile setting")
    name = table.get("name")
    if not isinstance(name, str) or not name:
        r.bad("a profile needs a name", "name")
        name = "?"
    total = _total(r)
    decimals = r.integer(table, "decimals", default=2, low=0, high=6)
    grades, weights, threshold = _grades(r), _weights(r, total), _threshold(r)
    min_share, severity = _min_share(r)
    budget, reasons = r.table(table, "budget"), r.table(table, "reasons")
    budget_category, budget_unit = r.text(budget, "category", "budget"), r.text(budget, "unit", "budget")
    rescale = r.flag(r.table(table, "not_applicable"), "rescale", "not_applicable", default=False)
    reason_required = r.flag(reasons, "required", "reasons", default=True)
    budget_below = r.number(reasons, "budget_below", "reasons")
    aggregation = table.get("aggregation")
    if not isinstance(aggregation, str) or not aggregation:
        r.bad("aggregation must name how scores add up (e.g. \"sum\")", "aggregation")
        aggregation = ""
    extends = table.get("extends")
    profile = Profile(
        name=name, title=str(table.get("title", "")), doc=str(table.get("doc", "")),
        default=table.get("default") is True, extends=extends if isinstance(extends, str) else None,
        total=total, decimals=decimals, grades=grades, weights=weights, overachievement=threshold,
        min_share=min_share, min_share_severity=severity,
        aggregation=aggregation, budget_category=budget_category, budget_unit=budget_unit,
        rescale_not_applicable=rescale, reason_required=reason_required,
        reason_budget_below=Decimal(1) if budget_below is None else budget_below,
        rules=_rules(r), settings=dict(table), monitoring=read_monitor_settings(r, written),
    )
    return profile, r.problems


def _total(r: Reader) -> Decimal:
    total = r.number(r.data, "total")
    if total is not None and total == 0:
        r.bad("total must be more than 0", "total")
    return total or Decimal(100)


def _grades(r: Reader) -> tuple[Grade, ...]:
    """The grades, best first; the lowest must start at 0 and no two at one score."""
    raw = r.data.get("grades", [])
    if not isinstance(raw, list) or not raw:
        r.bad("grades must be a non-empty array of {name, min} tables", "grades")
        return ()
    grades: list[Grade] = []
    for i, row in enumerate(raw):
        if not isinstance(row, Mapping) or "name" not in row or "min" not in row:
            r.bad("each grade needs a name and a min", "grades", i)
            continue
        minimum = r.number(row, "min", "grades", i)
        if minimum is not None:
            grades.append(Grade(str(row["name"]), minimum, str(row.get("en", ""))))
    grades.sort(key=lambda g: g.minimum, reverse=True)
    if grades and grades[-1].minimum != 0:
        r.bad("the lowest grade must start at 0 so every total has a grade", "grades")
    minimums = [g.minimum for g in grades]
    if len(set(minimums)) != len(minimums):
        r.bad("two grades start at the same score", "grades")
    return tuple(grades)


def _weights(r: Reader, total: Decimal) -> dict[str, Decimal]:
    """The default level-1 weights by group key; they must add up to the total."""
    weights: dict[str, Decimal] = {}
    table = r.table(r.data, "weights")
    for group in table:
        weight = r.number(table, group, "weights")
        if weight is not None:
            weights[group] = weight
    if weights and sum(weights.values()) != total:
        r.bad(f"the default weights add up to {sum(weights.values())}, not the total {total}",
              "weights")
    return weights


def _min_share(r: Reader) -> tuple[dict[str, Decimal], str]:
    """The least shares by group key (percent of the points, 0 to 100), and how a shortfall is
    reported (``min_share_severity``: "error", the default, or "warning")."""
    shares: dict[str, Decimal] = {}
    table = r.table(r.data, "min_share")
    for key in table:
        share = r.number(table, key, "min_share")
        if share is not None and share > 100:
            r.bad(f"a share is a percent of the points, from 0 to 100, not {share}", "min_share", key)
        elif share is not None:
            shares[key] = share
    severity = r.data.get("min_share_severity", "error")
    if severity not in SEVERITIES:
        r.bad(f"min_share_severity must be \"error\" or \"warning\", not {severity!r}",
              "min_share_severity", hint=suggest(str(severity), SEVERITIES))
        severity = "error"
    return shares, str(severity)


def _threshold(r: Reader) -> Decimal | None:
    """The over-achievement threshold; ``threshold = false`` turns the finding off."""
    over = r.table(r.data, "overachievement")
    if over.get("threshold") is False or "threshold" not in over:
        return None
    return r.number(over, "threshold", "overachievement")


def _rules(r: Reader) -> dict[str, dict[str, Any]]:
    """Each rule's parameter table, as the profile sets it."""
    rules = r.table(r.data, "rules")
    for rule, settings in rules.items():
        if not isinstance(settings, Mapping):
            r.bad("each [rules.<name>] entry must be a table of parameters", "rules", rule)
    return {k: dict(v) for k, v in rules.items() if isinstance(v, Mapping)}


# Tables a profile or scheme states whole: the weights must add up on their own, and
# min_share = {} switches the shares off.
REPLACED_WHOLE = frozenset({"weights", "min_share"})


def merge_settings(base: Mapping[str, Any], override: Mapping[str, Any],
                   top: bool = True) -> dict[str, Any]:
    """Deep-merge TOML tables: ``override`` wins key by key; arrays, and the top-level tables
    in REPLACED_WHOLE, are replaced whole."""
    merged = dict(base)
    for key, value in override.items():
        if top and key in REPLACED_WHOLE:
            merged[key] = value
        elif isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = merge_settings(merged[key], value, top=False)
        else:
            merged[key] = value
    return merged
