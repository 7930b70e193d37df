"""Helpers for writing a rule type: read the actual as a number, build an Outcome.

Every built-in rule uses these, and so can a plugin's: they give the same
notes, statuses and unit handling everywhere. A = target, B = actual (in the
target's unit), w = points.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import attrs

from .errors import HintedError
from .numbers import format_decimal as fmt
from .numbers import shift, to_decimal
from .quantities import Target
from .registrations import Observation, Outcome, RuleContext, Scorer
from .results import Status

__all__ = ["NumbersFirst", "actual_number", "extra_number", "fraction_slip", "met", "notes",
           "numeric_target", "outcome", "partial", "partial_status", "with_numbers"]


Numbers = Callable[[Observation], tuple[Decimal, Status]]
"""A scorer's numbers alone: the raw score and the status its `Outcome` would have."""


@attrs.frozen
class NumbersFirst:
    """A scorer with a faster path beside it: ``numbers(observation)`` gives the raw score and
    status alone, exactly those of ``full(observation)``, without building any text.

    The optional faster protocol for rule authors (`with_numbers` makes one). evalcore scores
    with ``numbers`` and calls ``full`` only when someone reads the row's explanation, trace or
    findings; a scorer without ``numbers`` (any plain `Scorer`) is called once, as always. Both
    are pure, so either gives the same row.
    """

    full: Scorer
    numbers: Numbers

    def __call__(self, observation: Observation, /) -> Outcome:
        return self.full(observation)


def with_numbers(full: Scorer, numbers: Numbers) -> NumbersFirst:
    """``full`` with its numbers-only twin: see `NumbersFirst`."""
    return NumbersFirst(full, numbers)


def partial_status(score: Decimal) -> Status:
    """The status `partial` gives a score below the points: missed at 0 or less, else partly."""
    return Status.MISSED if score <= 0 else Status.PARTLY_MET


def actual_number(obs: Observation, ctx: RuleContext) -> Decimal:
    """B in the target's unit; ValueError if the actual is not a comparable number.

    A bare number is taken in the target's unit; an amount in another unit of
    the same dimension is converted (5200000元 against a target in 万元);
    units of different dimensions raise ValueError.
    """
    target = ctx.target
    q = obs.value.quantity
    if obs.assessed is not None:
        raise ValueError("'assessed' is the evaluator's score for a qualitative row; this row is "
                         "scored from its actual value, so leave 'assessed' out")
    if q is None:
        raise ValueError(f"the target {ctx.target_text or target} needs a number, but the actual "
                         f"value is {obs.value.text!r}")
    if not q.unit:
        slip = fraction_slip(ctx, q.value)
        if slip is not None:
            raise slip
    if (target is None or target.quantity is None or not q.unit or not target.quantity.unit
            or q.unit == target.quantity.unit):  # units are read in one spelling: the same unit
        return q.value
    return ctx.units.convert(q.value, q.unit, target.quantity.unit)


def fraction_slip(ctx: RuleContext, b: Decimal) -> HintedError | None:
    """The error for a bare fraction where a percentage is expected: 0.873 against ≥85% would
    score 0.873% of the target (0.08 of 8 points) without a word, so it is refused with "did
    you mean 87.3%?". Only a bare number in (0, 1] against a target in % above 1%; None when
    ``b`` is no such slip."""
    target = ctx.target
    if not 0 < b <= 1 or target is None or target.quantity is None or target.quantity.value <= 1:
        return None
    unit = ctx.units.get(target.quantity.unit) if target.quantity.unit else None
    if unit is None or unit != ctx.units.get("%"):
        return None
    meant = fmt(shift(b, 2))
    return HintedError(f"the actual value {fmt(b)} has no unit and the target {ctx.target_text} is "
                       f"a percentage: {fmt(b)} would be read as {fmt(b)}%",
                       f"did you mean {meant}%? write the actual as {meant}%")


def numeric_target(ctx: RuleContext) -> tuple[Target, Decimal]:
    """The target and A; ValueError (at compile time) when the target is not a number."""
    target = ctx.target
    if target is None or target.quantity is None:
        raise ValueError(f"needs a numeric target, not {ctx.indicator.target!r}")
    return target, target.quantity.value


def extra_number(obs: Observation, key: str) -> Decimal:
    """A number from the actual's ``extra`` table (survey counts, deduction items)."""
    try:
        return to_decimal(obs.extra[key])
    except KeyError:
        raise ValueError(f"extra.{key} is missing") from None
    except ValueError as exc:
        raise ValueError(f"extra.{key}: {exc}") from None


def notes(ctx: RuleContext, obs: Observation, status: Status) -> tuple[str, str]:
    """The one-line comparison of target and actual, in Chinese and English."""
    actual = obs.value.text or "—"
    return (f"目标{ctx.target_text}，实际{actual}，{status.zh}",
            f"target {ctx.target_text}, actual {actual}: {status.en}")


def met(ctx: RuleContext, obs: Observation, ratio: Decimal | None = None,
        matched: str | None = None) -> Outcome:
    """Full points: the target was met."""
    zh, en = notes(ctx, obs, Status.MET)
    return Outcome(ctx.points, Status.MET, fmt(ctx.points), zh, en, ratio, matched)


def partial(ctx: RuleContext, obs: Observation, score: Decimal, formula: str,
            ratio: Decimal | None = None, matched: str | None = None) -> Outcome:
    """Less than full points: partly met when the score is above 0, missed at 0."""
    status = Status.MISSED if score <= 0 else Status.PARTLY_MET
    zh, en = notes(ctx, obs, status)
    return Outcome(score, status, formula, zh, en, ratio, matched)


def outcome(ctx: RuleContext, obs: Observation, score: Decimal, formula: str,
            ratio: Decimal | None = None, matched: str | None = None) -> Outcome:
    """Full points count as met, anything less as partly met or missed."""
    if score >= ctx.points:
        zh, en = notes(ctx, obs, Status.MET)
        return Outcome(score, Status.MET, formula, zh, en, ratio, matched)
    return partial(ctx, obs, score, formula, ratio, matched)
