"""Projecting a row's value to date to the year's end, for mid-year monitoring.

`evalcore.monitor` builds a projected project (each row's likely year-end value as its
actual value) and scores it with the ordinary engine; this module says what that likely
value is. By default:

- a quantity of a *cumulative* kind (counts, money, lengths ..., the profile's
  ``[monitoring] cumulative``) is projected linearly: value to date ÷ 序时进度;
- any other quantity (a rate such as 合格率, a unit cost, a duration, a score) is held as it
  is: a rate to date is the best estimate of the year's rate;
- a date or a word to date (a deadline already met, a qualitative row's state) is held;
- with no value to date, the stated status projects deadlines and qualitative rows:
  on-track meets the target (the due date; 达成), delayed gives the expected date (or
  部分达成), stalled projects nothing (a deadline) or 未达成; a quantitative row without a
  value to date projects nothing.

A rule type may project its rows differently: its ``RuleType.project`` (a `Projector`) is
asked first and returns a `Projected`, or None for the default.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from .model import Indicator
from .numbers import format_decimal, round_half_up
from .quantities import Comparator, Target, Value

__all__ = ["DEFAULT_WORDS", "PLACES", "Projected", "Projection", "Projector",
           "default_projection", "linear"]

PLACES = 4  # decimals a linear projection keeps at least

# The words a qualitative row is projected to by its stated status, by tier.
DEFAULT_WORDS = {"met": "达成", "partly": "部分达成", "missed": "未达成"}
_TIER_OF_STATUS = {"on-track": "met", "delayed": "partly", "stalled": "missed"}


@attrs.frozen
class Projection:
    """What a projector is given for one row.

    ``to_date`` is the value to date, read (None: not reported); ``status`` the stated
    status ("on-track", "delayed", "stalled" or ""), ``expected`` a delayed deadline's
    expected date. ``elapsed`` is 序时进度 (a share in (0, 1]), ``year`` the project's year.
    ``cumulative`` says whether the target's unit is of a kind that accumulates through the
    year (the profile's ``[monitoring] cumulative``); ``params`` are the row's rule
    parameters, as bound for scoring. ``extra`` is the row's ``extra`` table as the project
    file states it (a checklist's conditions assessed so far, counted items): kept for the
    projected row unless a value to date is given, which replaces the actual whole.
    """

    indicator: Indicator
    target: Target | None
    to_date: Value | None
    status: str
    expected: dt.date | None
    elapsed: Decimal
    year: int
    cumulative: bool
    params: Mapping[str, Any] = attrs.field(factory=dict)
    extra: Mapping[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class Projected:
    """A row's projected year-end value, written as an actual value is (text, a number or a
    date; None: it cannot be projected, or the row is scored from what the file states
    without a value, its ``extra`` or the funds), and how it was reached: ``method`` is
    "linear", "held", "status" or "none" (nothing to project from: flagged), or a plugin's
    own word."""

    value: object
    method: str
    note_zh: str = ""
    note_en: str = ""


Projector = Callable[[Projection], "Projected | None"]
"""``RuleType.project``: a row's `Projection` → its `Projected` value, or None for the
default projection (`default_projection`). Raise ValueError for the user's mistake (a
delayed deadline with no expected date): evalcore locates it."""


def default_projection(p: Projection) -> Projected:
    """The projection of a row whose rule has no projector of its own (see the module)."""
    value = p.to_date
    if value is not None:
        quantity = value.quantity
        if quantity is None:
            return Projected(value.date if value.date is not None else value.text, "held",
                             "按截至监控日的情况", "as stated to date")
        if p.cumulative:
            projected = linear(quantity.value, p.elapsed)
            return Projected(f"{format_decimal(projected)}{quantity.unit}", "linear",
                             f"{format_decimal(quantity.value)} ÷ 序时进度",
                             f"{format_decimal(quantity.value)} ÷ share of year elapsed")
        return Projected(f"{format_decimal(quantity.value)}{quantity.unit}", "held",
                         "比率类指标按当前值",
                         "a rate or level: held as it is")
    target = p.target
    if not p.status:
        return Projected(None, "none", "无截至监控日的值", "no value to date")
    if target is not None and (target.date is not None or target.period is not None):
        return _deadline(p, target)
    if target is None or target.qualitative:
        word = DEFAULT_WORDS[_TIER_OF_STATUS[p.status]]
        return Projected(word, "status", f"按所述状态：{word}", f"by the stated status: {word}")
    return Projected(None, "none", "数量指标需填写截至监控日的值",
                     "a quantitative row needs its value to date")


def linear(value: Decimal, elapsed: Decimal) -> Decimal:
    """``value`` ÷ ``elapsed``, rounded half up to the value's own decimals and at least
    `PLACES` (so at the year's end, 序时进度 1, it is the value itself, to the last digit)."""
    exponent = value.as_tuple().exponent
    places = max(PLACES, -exponent if isinstance(exponent, int) else 0)
    return round_half_up(value / elapsed, places)


def _deadline(p: Projection, target: Target) -> Projected:
    """A deadline row by its stated status: on track → the due date, delayed → the expected
    date, stalled → not done."""
    if p.status == "on-track":
        due = target.due(p.year)
        if target.comparator is Comparator.LT:
            due -= dt.timedelta(days=1)
        return Projected(due, "status", f"按期：{due}", f"on track: {due}")
    if p.status == "delayed":
        if p.expected is None:
            raise ValueError("a delayed deadline needs its expected completion date: "
                             "expected = 2022-12-20")
        return Projected(p.expected, "status", f"滞后，预计{p.expected}完成",
                         f"delayed, expected {p.expected}")
    return Projected(None, "status", "停滞：预计无法完成", "stalled: not expected to be done")
