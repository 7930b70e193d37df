"""满意度指标 satisfaction: Satisfaction of the people served.

The category's definition is in ``indicators/satisfaction.toml``. A rate
reported as a percentage is scored by the national rules; the ``survey`` rule
registered here computes the rate from the answers counted per level.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from evalcore.plugin import (
    HUNDRED,
    ONE,
    ZERO,
    Category,
    Comparator,
    Observation,
    Outcome,
    Param,
    RuleContext,
    RuleType,
    Scorer,
    Status,
    Target,
    UnknownNameError,
    extra_number,
    hookimpl,
    numeric_target,
    outcome,
    partial,
    suggest,
    to_decimal,
)
from evalcore.plugin import format_approx as show
from evalcore.plugin import format_decimal as fmt

from ._data import definitions
from .rules import capped


@hookimpl
def evalcore_categories() -> list[Category]:
    return list(definitions("satisfaction").categories)


@attrs.frozen
class Levels:
    """Answer levels and the weight each counts toward the rate, in the order given."""

    weights: Mapping[str, Decimal]

    def __str__(self) -> str:
        return ", ".join(f"{name} {fmt(weight)}" for name, weight in self.weights.items())


# evalcore's default: the levels of the common five- and seven-point questionnaires.
DEFAULT_LEVELS = Levels({
    "非常满意": ONE, "满意": ONE, "比较满意": Decimal("0.8"), "基本满意": Decimal("0.6"),
    "一般": Decimal("0.6"), "不满意": ZERO, "非常不满意": ZERO,
})


def levels(value: Any) -> Levels:
    """``{ "非常满意" = 1, "满意" = 1, "一般" = 0.6, "不满意" = 0 }``: weights in [0, 1]."""
    if not isinstance(value, Mapping) or not value:
        raise ValueError("expected a non-empty table of answer levels and weights, "
                         'e.g. { "满意" = 1, "一般" = 0.6, "不满意" = 0 }')
    weights: dict[str, Decimal] = {}
    for name, raw in value.items():
        if not str(name).strip():
            raise ValueError("an answer level needs a name")
        try:
            weight = to_decimal(raw)
        except ValueError as exc:
            raise ValueError(f"{name}: {exc}") from None
        if not ZERO <= weight <= ONE:
            raise ValueError(f"{name}: the weight {fmt(weight)} is outside [0, 1]")
        weights[str(name)] = weight
    return Levels(weights)


def compile_survey(params: Mapping[str, Any], ctx: RuleContext) -> Scorer:
    """rate = Σ countᵢ × weightᵢ / Σ countᵢ (in %), then w × min(rate / A, 1) as the positive rule.

    The counts are the actual's ``extra`` table, one whole number ≥ 0 per answer
    level (``extra = { "非常满意" = 120, "满意" = 300, "一般" = 50, "不满意" = 10 }``); a
    level left out counts 0, a level not in ``levels`` is an error, and so is a
    survey with no answers. ``levels`` gives each level's weight in [0, 1];
    evalcore's default is 非常满意 1, 满意 1, 比较满意 0.8, 基本满意 0.6, 一般 0.6,
    不满意 0, 非常不满意 0, and a ``levels`` table replaces it whole. The target
    is a percentage (≥90%); under ">" a rate equal to A earns the positive
    rule's ``strict_boundary_share``, and a rate below A at most that
    (w × min(rate / A, share), as the positive rule). An actual value, if
    given, is shown but not used: the rate is computed from the counts.
    """
    target, a = _rate_target(ctx)
    strict = target.comparator is Comparator.GT
    boundary = _strict_share(ctx) if strict else ONE
    weights: Mapping[str, Decimal] = params["levels"].weights
    w = ctx.points

    def score(obs: Observation) -> Outcome:
        answers = _counts(obs, weights)
        total = sum((count for _, count in answers), ZERO)
        if total == 0:
            raise ValueError("the survey has no answers (every count is 0); a rate needs respondents")
        weighted = sum((count * weights[name] for name, count in answers), ZERO)
        # One division each, from exact products, so a result that terminates is exact.
        rate = HUNDRED * weighted / total
        ratio = HUNDRED * weighted / (total * a)
        reached = (HUNDRED * weighted).compare(a * total)  # -1, 0, 1: rate below, at, above A
        terms = " + ".join(f"{name} {fmt(count)}×{fmt(weights[name])}" for name, count in answers)
        head = f"{terms} = {fmt(weighted)} of {fmt(total)} answers → {show(rate)}%"
        head_zh = f"{terms} = {fmt(weighted)}（共{fmt(total)}份答卷）→ {show(rate)}%"
        if reached > 0 or (reached == 0 and not strict):
            sign = ">" if strict else "≥"
            tail = tail_zh = f"{show(rate)}% {sign} {fmt(a)}% → {fmt(w)}"
            result = outcome(ctx, obs, w, f"{head}; {tail}", ratio)
        elif reached == 0:
            raw = w * boundary
            times = f"{fmt(w)} × {fmt(boundary)} = {show(raw)}"
            tail, tail_zh = f"= {fmt(a)}%, not > → {times}", f"= {fmt(a)}%，未超过 → {times}"
            result = partial(ctx, obs, raw, f"{head}; {tail}", ratio)
        else:  # under ">" never more than a rate equal to A earns (positive's cap)
            raw = capped(w * HUNDRED * weighted / (total * a), w, boundary, strict)
            times = f"{show(rate)}/{fmt(a)}"
            times = f"min({times}, {fmt(boundary)})" if strict else times
            tail = tail_zh = f"{fmt(w)} × {times} = {show(raw)}"
            result = partial(ctx, obs, raw, f"{head}; {tail}", ratio)
        zh, en = _notes(ctx, result.status, rate, total)
        return attrs.evolve(result, note_zh=zh, note_en=en, formula_zh=f"{head_zh}；{tail_zh}")

    return score


def _rate_target(ctx: RuleContext) -> tuple[Target, Decimal]:
    """The target and its A: a floor (≥, > or =) on a percentage above 0% and at most 100%."""
    target, a = numeric_target(ctx)
    if target.quantity is None or target.quantity.unit != "%":
        raise ValueError(f"the survey rule scores a satisfaction rate, so its target must be a "
                         f"percentage such as ≥90%, not {target}")
    if target.comparator not in (Comparator.GE, Comparator.GT, Comparator.EQ):
        raise ValueError(f"a satisfaction target is a floor (≥), not {target}")
    if not ZERO < a <= HUNDRED:
        raise ValueError(f"the satisfaction target must be above 0% and at most 100%, not {target}")
    return target, a


def _counts(obs: Observation, weights: Mapping[str, Decimal]) -> list[tuple[str, Decimal]]:
    """The answers per level, from the actual's ``extra`` table, in the order of ``weights``."""
    if not obs.extra:
        given = ""
        if obs.value.quantity is not None:
            given = f"; a rate alone ({obs.value.text}) is scored by the standard rule"
        raise ValueError("the survey rule needs the number of answers per level in the actual's "
                         f'extra table, e.g. extra = {{ "满意" = 300, "一般" = 50 }}{given}')
    for key in obs.extra:
        if key not in weights:
            hint = suggest(str(key), weights)
            raise ValueError(f"extra.{key} is not an answer level; "
                             + (hint or f"the levels are {', '.join(weights)}"))
    out = []
    for name in weights:
        if name in obs.extra:
            count = extra_number(obs, name)
            if count < 0 or count != count.to_integral_value():
                raise ValueError(f"extra.{name}: {fmt(count)} is not a whole number of answers ≥ 0")
            out.append((name, count))
    return out


def _strict_share(ctx: RuleContext) -> Decimal:
    """The positive rule's share for B = A under ">" (0.8 when no positive rule is registered)."""
    try:
        share = ctx.rule_settings("positive").get("strict_boundary_share")
    except UnknownNameError:
        share = None
    return share if isinstance(share, Decimal) else Decimal("0.8")


def _notes(ctx: RuleContext, status: Status, rate: Decimal, total: Decimal) -> tuple[str, str]:
    return (f"目标{ctx.target_text}，满意度{show(rate, 2)}%（{fmt(total)}份答卷），{status.zh}",
            f"target {ctx.target_text}, satisfaction {show(rate, 2)}% of {fmt(total)} answers: "
            f"{status.value}")


@hookimpl
def evalcore_rule_types() -> list[RuleType]:
    return [RuleType("survey", compile_survey, (
        Param("levels", levels, DEFAULT_LEVELS,
              "Answer levels and their weights in [0, 1]; replaces evalcore's default table whole."),
    ), compile_survey.__doc__ or "")]
