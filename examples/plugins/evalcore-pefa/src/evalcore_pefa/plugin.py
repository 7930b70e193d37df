"""evalcore-pefa's hooks: the PEFA 2016 pillars, indicators, rule, aggregators, profile, format.

One module, registered through the entry point ``pefa`` in the ``evalcore`` group, exactly as
evalcore's built-in plugins are. What is data lives in ``data/`` as TOML:

- ``framework.toml``: the 7 pillars (groups) and 31 indicators (categories, each with its
  method as ``aggregation``), read with :func:`evalcore.definitions.load_definitions`;
- ``profile.toml``: the profile ``pefa-2016``;
- ``dimensions.toml``: each indicator's dimensions, for the scheme check below;
- ``m2-table.toml``: the verified rows of the M2 conversion table (:mod:`.methods`).

The code is what cannot be data: the rule ``pefa-dimension`` that reads a letter, the
aggregators ``pefa-m1`` and ``pefa-m2``, the output format ``pefa`` (:mod:`.render`), and a
scheme check that PEFA rows are scored as dimensions and that no indicator has more rows than
PEFA gives it dimensions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from evalcore.plugin import (
    ZERO,
    Aggregator,
    Category,
    EvaluationError,
    Group,
    Observation,
    Outcome,
    Problem,
    ProfileSource,
    Registry,
    Renderer,
    RuleContext,
    RuleType,
    Scheme,
    Scorer,
    Status,
    format_approx,
    hint_of,
    hookimpl,
    load_definitions,
)
from evalcore.plugin import format_decimal as fmt

from ._data import DATA, dimensions, framework
from .methods import averaging, weakest_link
from .render import render_pefa
from .scores import (
    INSUFFICIENT_INFORMATION,
    LETTERS,
    NOT_APPLICABLE,
    POINTS,
    dimension_level,
    level_of,
    read_dimension,
)

__all__ = ["RULE", "aggregate_m1", "aggregate_m2", "check_scheme", "compile_dimension"]

RULE = "pefa-dimension"


# --------------------------------------------------------------------------- the rule


def compile_dimension(params: Mapping[str, Any], ctx: RuleContext) -> Scorer:
    """A dimension scored A-D by the assessor: the letter's level as a share of the points.

    The score is points × level / 4 (D = 1 ... A = 4; D* counts as D), so a row of 4 points
    scores its level. NA does not apply: the row is left out of every sum and of its
    indicator's M1 or M2. The target is shown but not used: PEFA's calibration is fixed, and a
    dimension has no target to compare with (write "A", the best score, or any text).
    """
    w = ctx.points

    def score(obs: Observation) -> Outcome:
        if obs.assessed is not None:
            raise ValueError("'assessed' has no meaning for a PEFA dimension: its letter is the "
                             "score, so leave 'assessed' out")
        mark = read_dimension(obs.value.text)
        if mark == NOT_APPLICABLE:
            return Outcome(ZERO, Status.NOT_APPLICABLE,
                           "NA: not applicable, left out of the indicator's score",
                           "不适用（NA），不计入指标得分",
                           "NA: does not apply; left out of the indicator's score",
                           matched=NOT_APPLICABLE, formula_zh="NA：不适用，不计入指标得分")
        level = dimension_level(mark)
        raw = w * level / POINTS
        counted = " (D* counts as D)" if mark == INSUFFICIENT_INFORMATION else ""
        formula = (f"{mark} = {fmt(level)}{counted} on D=1, C=2, B=3, A=4: "
                   f"{fmt(w)} × {fmt(level)}/4 = {format_approx(raw, 6)}")
        # The same in Chinese, for the Chinese explanation and trace (evalcore shows each
        # language its own wording; a rule that gives only `formula` shows it in both).
        counted_zh = "（D*按D计）" if mark == INSUFFICIENT_INFORMATION else ""
        formula_zh = (f"{mark} = {fmt(level)}{counted_zh}（D=1，C=2，B=3，A=4）："
                      f"{fmt(w)} × {fmt(level)}/4 = {format_approx(raw, 6)}")
        if level == LETTERS["A"]:
            status = Status.MET
        elif level == LETTERS["D"]:
            status = Status.MISSED
        else:
            status = Status.PARTLY_MET
        lacking = "（信息不足）" if mark == INSUFFICIENT_INFORMATION else ""
        why = " for lack of information" if mark == INSUFFICIENT_INFORMATION else ""
        return Outcome(raw, status, formula, f"维度评分{mark}{lacking}",
                       f"dimension scored {mark}{why}", matched=mark, formula_zh=formula_zh)

    return score


# --------------------------------------------------------------------------- the aggregators


def _aggregate(name: str, method: Callable[[Sequence[Decimal]], Decimal],
               scores: Sequence[Decimal], points: Sequence[Decimal]) -> Decimal:
    """Scores of ``points`` → levels → ``method`` → a score of the points' sum.

    One score is returned as it is: one dimension's M1 and M2 are its own score, and an
    indicator's score handed up alone (a pillar with one indicator) stays what it is. Anything
    PEFA does not define is an EvaluationError naming the method, never a made-up number.
    """
    if not scores:
        return ZERO
    if len(scores) == 1:
        return scores[0]
    try:
        levels = [level_of(s, p) for s, p in zip(scores, points, strict=True)]
        if any(level not in LETTERS.values() for level in levels):
            raise ValueError(
                f"{name} combines the dimension scores of one indicator (D = 1 ... A = 4 per "
                f"4 points), but was given {', '.join(fmt(v) for v in levels)}: a score that is "
                "not a dimension's (an indicator's, or a row's rounded score). PEFA defines no "
                "way to combine indicators' scores (Framework section 2.2)")
        level = method(levels)
    except ValueError as exc:
        raise EvaluationError([Problem(f"{name}: {exc}", hint=hint_of(exc))]) from None
    return level * sum(points, ZERO) / POINTS


def aggregate_m1(scores: Sequence[Decimal], points: Sequence[Decimal]) -> Decimal:
    """PEFA M1, weakest link: the lowest dimension, "+" when any other is higher."""
    return _aggregate("pefa-m1", weakest_link, scores, points)


def aggregate_m2(scores: Sequence[Decimal], points: Sequence[Decimal]) -> Decimal:
    """PEFA M2, averaging: the conversion table's score (the verified rows only)."""
    return _aggregate("pefa-m2", averaging, scores, points)


# --------------------------------------------------------------------------- the scheme check


def check_scheme(scheme: Scheme, registry: Registry) -> list[Problem]:
    """Rows of a PEFA indicator are scored as dimensions, and no more of them than PEFA has.

    An indicator with fewer rows than dimensions is only warned about: an assessment may cover
    part of an indicator, but a dimension that does not apply should be a row scored NA.
    """
    ours = dimensions()
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for ind in scheme.indicators:
        if ind.category not in ours:
            continue
        rule = ind.rule or registry.category(ind.category).default_rule
        if rule != RULE:
            problems.append(Problem(
                f"{ind.id}: a row of the PEFA indicator {ind.category} is a dimension, scored "
                f"with the rule {RULE!r}, not {rule!r}", ind.origin.child("rule")))
        seen[ind.category] = seen.get(ind.category, 0) + 1
        if seen[ind.category] == len(ours[ind.category]) + 1:
            problems.append(Problem(
                f"{ind.id}: {ind.category.upper()} has {len(ours[ind.category])} dimension(s) in "
                f"PEFA 2016 ({'; '.join(ours[ind.category])}); this is one row too many",
                ind.origin))
    for category, count in seen.items():
        if count < len(ours[category]):
            problems.append(Problem(
                f"{category.upper()} has {len(ours[category])} dimensions in PEFA 2016 but the "
                f"scheme scores {count}; score a dimension that does not apply NA rather than "
                "leaving it out", scheme.origin, severity="warning"))
    return problems


# --------------------------------------------------------------------------- the hooks


@hookimpl
def evalcore_groups() -> list[Group]:
    return list(framework().groups)


@hookimpl
def evalcore_categories() -> list[Category]:
    return list(framework().categories)


@hookimpl
def evalcore_rule_types() -> list[RuleType]:
    return [RuleType(RULE, compile_dimension, (), compile_dimension.__doc__ or "")]


@hookimpl
def evalcore_aggregators() -> list[Aggregator]:
    return [Aggregator("pefa-m1", aggregate_m1, aggregate_m1.__doc__ or ""),
            Aggregator("pefa-m2", aggregate_m2, aggregate_m2.__doc__ or "")]


@hookimpl
def evalcore_profiles() -> list[ProfileSource]:
    return list(load_definitions(DATA / "profile.toml").profiles)


@hookimpl
def evalcore_renderers() -> list[Renderer]:
    return [Renderer("pefa", render_pefa, render_pefa.__doc__ or "")]


@hookimpl
def evalcore_validate_scheme(scheme: Scheme, registry: Registry) -> list[Problem]:
    return check_scheme(scheme, registry)
