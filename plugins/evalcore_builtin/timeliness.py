"""时效指标 timeliness: Whether outputs came on time: deadlines, completion rates by date.

The category's definition is in ``indicators/timeliness.toml``. By default a
date target is met or not (the national ``threshold`` rule); the ``deadline``
rule registered here takes points off for each day or month late instead.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from evalcore.plugin import (
    ZERO,
    Category,
    Comparator,
    Observation,
    Outcome,
    Param,
    RuleContext,
    RuleType,
    Scorer,
    choice,
    hookimpl,
    integer,
    outcome,
    partial,
    positive,
)
from evalcore.plugin import format_approx as show
from evalcore.plugin import format_decimal as fmt

from ._data import definitions


@hookimpl
def evalcore_categories() -> list[Category]:
    return list(definitions("timeliness").categories)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later, clamped to the month's end (1-31 → 2-28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def months_late(due: dt.date, done: dt.date) -> int:
    """Calendar months from ``due`` to ``done``, a started month counting whole.

    The smallest n with done ≤ due + n months: due 2021-12-31, done 2022-01-05
    → 1; done 2022-01-31 → 1; done 2022-02-01 → 2. 0 when done ≤ due.
    """
    if done <= due:
        return 0
    n = (done.year - due.year) * 12 + done.month - due.month
    return n if add_months(due, n) >= done else n + 1


def compile_deadline(params: Mapping[str, Any], ctx: RuleContext) -> Scorer:
    """Completed on or before the due date → w; late → w − loss × periods late, floor 0.

    The target is a date ("2021-12-31", "≤2021年12月31日"; "<2022-01-01" is due
    2021-12-31; "=" is read as ≤: finishing early is on time). The actual is
    the completion date. ``grace`` days move the due date: lateness is counted
    from due + grace. ``per = "day"``: periods = days late. ``per = "month"``:
    periods = calendar months late, a started month counting whole (due
    2021-12-31: 2022-01-05 and 2022-01-31 are 1 month late, 2022-02-01 is 2;
    a month ending earlier clamps to its last day: due 01-31 + 1 month = 02-28).
    """
    target = ctx.target
    if target is None or target.date is None:
        raise ValueError(f"the deadline rule needs a date as its target (e.g. \"2021-12-31\" or "
                         f"\"≤2021年12月31日\"), not {ctx.indicator.target!r}")
    if target.comparator in (Comparator.GE, Comparator.GT):
        raise ValueError(f"a deadline is met on or before its date; the target {target} asks for a "
                         "date after it")
    if target.comparator is Comparator.LT and target.date == dt.date.min:
        raise ValueError(f"no date comes before {target.date}")
    due = target.date - dt.timedelta(days=1) if target.comparator is Comparator.LT else target.date
    loss, per, grace = params["loss"], params["per"], params["grace"]
    try:
        until = due + dt.timedelta(days=grace)
    except OverflowError:
        raise ValueError(f"grace = {grace} days runs past the last date") from None
    until_text = f"{due} + {grace} days' grace = {until}" if grace else str(due)
    until_zh = f"{due} + 宽限{grace}天 = {until}" if grace else str(due)
    w = ctx.points

    def score(obs: Observation) -> Outcome:
        done = obs.value.date
        if done is None:
            raise ValueError(f"the deadline rule needs the completion date as the actual (e.g. "
                             f"\"2021-12-20\"), not {obs.value.text!r}")
        head = f"completed {done}, due {until_text}"
        head_zh = f"完成于{done}，期限{until_zh}"
        if per == "day":
            late = (done - until).days
            unit = "day late" if late == 1 else "days late"
            unit_zh = "天"
        else:
            late = months_late(until, done)
            unit = ("month" if late == 1 else "months") + " late (a started month counts)"
            unit_zh = "个月（不足一月按一月计）"
        if late <= 0:
            result = outcome(ctx, obs, w, f"{head}: on time → {fmt(w)}")
            return attrs.evolve(result, formula_zh=f"{head_zh}：按期完成 → {fmt(w)}")
        raw = w - late * loss
        tail = f"{fmt(w)} − {late} × {fmt(loss)} = {show(raw)}"
        formula = f"{head}: {late} {unit} → {tail}"
        formula_zh = f"{head_zh}：逾期{late}{unit_zh} → {tail}"
        if raw < 0:
            raw, formula, formula_zh = ZERO, formula + " → 0", formula_zh + " → 0"
        return attrs.evolve(partial(ctx, obs, raw, formula), formula_zh=formula_zh)

    return score


@hookimpl
def evalcore_rule_types() -> list[RuleType]:
    return [RuleType("deadline", compile_deadline, (
        Param("loss", positive, doc="Points taken off per period late."),
        Param("per", choice("day", "month"),
              doc="The period: day, or calendar month (a started month counts). No default."),
        Param("grace", integer(0), 0, "Days after the due date that still count as on time."),
    ), compile_deadline.__doc__ or "")]
