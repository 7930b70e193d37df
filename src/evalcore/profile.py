"""Profiles: the settings in which provinces and frameworks differ.

Where the national rule is silent or provinces disagree (rounding, grade
bands, how the reverse formula works, the over-achievement threshold), the
choice is a profile setting, never a constant in code. Profiles are TOML data
registered by plugins; a profile may ``extends`` another and override parts of
it, and a scheme may override settings again in its ``[settings]`` table.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from .errors import NOWHERE, Origin, Problem, quote, shorten, suggest
from .numbers import to_decimal

__all__ = ["Grade", "Profile", "merge_settings"]


@attrs.frozen
class Grade:
    """A grade (等级) and the lowest total that earns it (inclusive)."""

    name: str
    minimum: Decimal
    en: str = ""


PROFILE_KEYS = {
    "name", "title", "extends", "doc", "total", "decimals", "grades", "weights",
    "overachievement", "aggregation", "budget", "not_applicable", "reasons", "rules", "default",
}


@attrs.frozen
class Profile:
    """A complete, validated set of settings (after ``extends`` was resolved)."""

    name: str
    title: str = ""
    doc: str = ""
    default: bool = False  # the profile of a scheme that names none (exactly one has it)
    total: Decimal = Decimal(100)
    decimals: int = 2
    grades: tuple[Grade, ...] = ()
    weights: Mapping[str, Decimal] = attrs.field(factory=dict)
    overachievement: Decimal | None = None
    aggregation: str = ""
    budget_category: str = ""  # the category that scores the funds row
    budget_unit: str = ""  # the unit of a funds block that states none
    rescale_not_applicable: bool = False
    reason_required: bool = True
    reason_budget_below: Decimal = Decimal(1)  # an execution rate below this needs a reason
    rules: Mapping[str, Mapping[str, Any]] = attrs.field(factory=dict)
    source: Mapping[str, Any] = attrs.field(factory=dict, eq=False, repr=False)

    def grade(self, total: Decimal) -> Grade:
        """The grade of a total: half-open bands on the exact score (89.6 is 良, not 优)."""
        for grade in self.grades:
            if total >= grade.minimum:
                return grade
        return self.grades[-1]

    @classmethod
    def declare(cls, data: Mapping[str, Any]) -> Profile:
        """A profile as a plugin registers it: its TOML table, resolved later.

        The registry merges ``data`` onto the profile it ``extends`` and then
        validates the result with `from_mapping`, so a child profile
        only has to state what it changes.
        """
        return cls(name=str(data.get("name", "?")), title=str(data.get("title", "")),
                   source=dict(data))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any],
                     origin: Origin = NOWHERE) -> tuple[Profile, list[Problem]]:
        """Build a profile from its (already merged) TOML table, collecting problems."""
        problems: list[Problem] = []

        def bad(message: str, *path: str | int, hint: str | None = None) -> None:
            problems.append(Problem(message, origin.child(*path), hint))

        for key in data:
            if key not in PROFILE_KEYS:
                bad(f"unknown profile setting {quote(key)}", key, hint=suggest(key, PROFILE_KEYS))

        def number(key: str, value: object, *path: str | int) -> Decimal | None:
            try:
                result = to_decimal(value)
            except ValueError as exc:
                bad(str(exc), *path)
                return None
            if result < 0:
                bad(f"{key} cannot be negative", *path)
                return None
            return result

        name = data.get("name")
        if not isinstance(name, str) or not name:
            bad("a profile needs a name", "name")
            name = "?"
        total = number("total", data.get("total", 100), "total")
        if total is not None and total == 0:
            bad("total must be more than 0", "total")
        if not total:
            total = Decimal(100)
        decimals = data.get("decimals", 2)
        if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 6:
            bad("decimals must be a whole number from 0 to 6", "decimals")
            decimals = 2

        grades: list[Grade] = []
        raw_grades = data.get("grades", [])
        if not isinstance(raw_grades, list) or not raw_grades:
            bad("grades must be a non-empty array of {name, min} tables", "grades")
        else:
            for i, row in enumerate(raw_grades):
                if not isinstance(row, Mapping) or "name" not in row or "min" not in row:
                    bad("each grade needs a name and a min", "grades", i)
                    continue
                minimum = number("min", row["min"], "grades", i, "min")
                if minimum is not None:
                    grades.append(Grade(str(row["name"]), minimum, str(row.get("en", ""))))
            grades.sort(key=lambda g: g.minimum, reverse=True)
            if grades and grades[-1].minimum != 0:
                bad("the lowest grade must start at 0 so every total has a grade", "grades")
            minimums = [g.minimum for g in grades]
            if len(set(minimums)) != len(minimums):
                bad("two grades start at the same score", "grades")


        weights: dict[str, Decimal] = {}
        raw_weights = data.get("weights", {})
        if not isinstance(raw_weights, Mapping):
            bad("weights must be a table of group = points", "weights")
        else:
            for group, value in raw_weights.items():
                w = number("a weight", value, "weights", group)
                if w is not None:
                    weights[group] = w
            if weights and sum(weights.values()) != total:
                bad(f"the default weights add up to {sum(weights.values())}, not the total {total}",
                    "weights")

        over = data.get("overachievement", {})
        threshold = None
        if not isinstance(over, Mapping):
            bad("overachievement must be a table", "overachievement")
        elif over.get("threshold") is False:
            threshold = None  # `threshold = false` turns the finding off
        elif "threshold" in over:
            threshold = number("threshold", over["threshold"], "overachievement", "threshold")

        def table(key: str) -> Mapping[str, Any]:
            value = data.get(key, {})
            if not isinstance(value, Mapping):
                bad(f"{key} must be a table", key)
                return {}
            return value

        def text(section: str, key: str) -> str:
            value = table(section).get(key, "")
            if not isinstance(value, str):
                bad(f"{section}.{key} must be text, not {shorten(repr(value))}", section, key)
                return ""
            return value

        def flag(section: str, key: str, default: bool) -> bool:
            value = table(section).get(key, default)
            if not isinstance(value, bool):
                bad(f"{section}.{key} must be true or false", section, key)
                return default
            return value

        budget_below = Decimal(1)
        if "budget_below" in table("reasons"):
            below = number("budget_below", table("reasons")["budget_below"], "reasons", "budget_below")
            if below is not None:
                budget_below = below

        aggregation = data.get("aggregation")
        if not isinstance(aggregation, str) or not aggregation:
            bad("aggregation must name how scores add up (e.g. \"sum\")", "aggregation")
            aggregation = ""

        rules = table("rules")
        for rule, settings in rules.items():
            if not isinstance(settings, Mapping):
                bad("each [rules.<name>] entry must be a table of parameters", "rules", rule)
        profile = cls(
            name=name,
            title=str(data.get("title", "")),
            doc=str(data.get("doc", "")),
            default=data.get("default") is True,
            total=total,
            decimals=decimals,
            grades=tuple(grades),
            weights=weights,
            overachievement=threshold,
            aggregation=aggregation,
            budget_category=text("budget", "category"),
            budget_unit=text("budget", "unit"),
            rescale_not_applicable=flag("not_applicable", "rescale", False),
            reason_required=flag("reasons", "required", True),
            reason_budget_below=budget_below,
            rules={k: dict(v) for k, v in rules.items() if isinstance(v, Mapping)},
            source=dict(data),
        )
        return profile, problems


# Tables a profile or scheme states whole: the weights must add up on their own.
REPLACED_WHOLE = frozenset({"weights"})


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
