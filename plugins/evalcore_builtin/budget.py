"""预算执行率 budget execution: the funds row of the 自评表 and its rule.

rate = 全年执行数 ÷ 全年预算数 (the adjusted full-year budget, carry-over
included, never the 年初 budget); score = w × min(rate, 1). A budget of 0 has
rate 0 unless the profile says spending on a zero budget counts as 100%.
The category is defined in ``indicators/budget.toml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from evalcore import hookimpl
from evalcore.numbers import format_approx, round_half_up
from evalcore.numbers import format_decimal as fmt
from evalcore.params import choice
from evalcore.specs import Category, Observation, Outcome, Param, RuleContext, RuleType, Scorer, Status

from ._data import definitions

ZERO, ONE = Decimal(0), Decimal(1)


def compile_execution_rate(params: Mapping[str, Any], ctx: RuleContext) -> Scorer:
    """w × min(全年执行数 / 全年预算数, 1)."""
    w, zero_budget = ctx.points, params["zero_budget"]

    def score(obs: Observation) -> Outcome:
        planned: Decimal = obs.extra["planned"]
        executed: Decimal = obs.extra["executed"]
        unit = obs.extra.get("unit", "")
        if planned == 0:
            rate = ONE if executed > 0 and zero_budget == "full-if-spent" else ZERO
            formula = f"planned = 0 → rate {fmt(rate * 100)}%"
        else:
            rate = executed / planned
            formula = f"{fmt(executed)}/{fmt(planned)} = {format_approx(rate * 100, 6)}%"
        raw = w * min(rate, ONE)
        shown = f"{fmt(round_half_up(rate * 100, 2))}%"
        if rate >= ONE:
            status = Status.MET
        elif raw > 0:
            status = Status.PARTLY_MET
        else:
            status = Status.MISSED
        if rate < ONE:
            formula += f"; {fmt(w)} × {format_approx(rate * 100, 6)}% = {format_approx(raw, 6)}"
        elif rate > ONE:
            formula += " > 100% → counted as 100%"
        return Outcome(
            raw, status, formula,
            f"全年预算数{fmt(planned)}{unit}，全年执行数{fmt(executed)}{unit}，执行率{shown}",
            f"executed {fmt(executed)} of a full-year budget of {fmt(planned)} {unit}: {shown}",
            ratio=rate,
        )

    return score


@hookimpl
def evalcore_categories() -> list[Category]:
    return list(definitions("budget").categories)


@hookimpl
def evalcore_rule_types() -> list[RuleType]:
    return [RuleType(
        "execution-rate", compile_execution_rate,
        (Param("zero_budget", choice("zero", "full-if-spent"), "zero",
               "A full-year budget of 0: 'zero' scores rate 0; 'full-if-spent' counts any "
               "spending as 100% (one province's rule)."),),
        compile_execution_rate.__doc__ or "", input="budget",
    )]
