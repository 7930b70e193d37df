"""预算执行率 budget execution: the funds row of the 自评表 and its rule.

rate = 全年执行数 ÷ 全年预算数 (the adjusted full-year budget, carry-over
included, never the 年初 budget); score = w × min(rate, 1). A budget of 0 has
rate 0 unless the profile says spending on a zero budget counts as 100%.

A profile (or a scheme's ``[settings.rules.execution-rate]``) may give
``bands`` instead: a stepped table in the row format of the ``bands`` rule
(`evalcore_builtin.bands`), tested against the real rate as a ratio
under the ``unique`` hit policy. Jiangxi's:

```toml
bands = [
  { id = "full", when = ">= 1",       share = 1 },
  { id = "high", when = "[0.8, 1)",   share = 0.7 },
  { id = "mid",  when = "[0.6, 0.8)", share = 0.5 },
  { id = "low",  when = "< 0.6",      share = 0 },
]
```

The table must cover every rate in [0, +inf): overspending (rate > 1) is
matched as it is, not cut to 100%. A negative rate counts as 0.
The category is defined in ``indicators/budget.toml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from evalcore.plugin import (
    ONE,
    ZERO,
    Category,
    Observation,
    Outcome,
    Param,
    RuleContext,
    RuleType,
    Scorer,
    Status,
    choice,
    format_approx,
    format_percent,
    hookimpl,
    with_numbers,
)
from evalcore.plugin import format_decimal as fmt

from ._data import definitions
from ._kernels import execution_rate_kernel
from .bands import NO_ROWS, RATIO_DOMAIN, build_table, parse_rows


def compile_execution_rate(params: Mapping[str, Any], ctx: RuleContext) -> Scorer:
    """w × min(全年执行数 / 全年预算数, 1), or the share or score of the matching row of ``bands``."""
    w, zero_budget = ctx.points, params["zero_budget"]
    table = build_table(params["bands"], w, domain=RATIO_DOMAIN) if params["bands"] else None

    def score(obs: Observation) -> Outcome:
        planned: Decimal = obs.extra["planned"]
        executed: Decimal = obs.extra["executed"]
        unit = obs.extra.get("unit", "")
        if planned == 0:
            rate = ONE if executed > 0 and zero_budget == "full-if-spent" else ZERO
            formula = f"planned = 0 → rate {fmt(rate * 100)}%"
            formula_zh = f"全年预算数 = 0 → 执行率{fmt(rate * 100)}%"
        else:
            rate = executed / planned
            formula = formula_zh = f"{fmt(executed)}/{fmt(planned)} = {format_approx(rate * 100, 6)}%"
        shown = format_percent(rate)
        if table is not None:
            value = max(rate, ZERO)
            decision = table.decide(value, "execution rate")
            raw, matched = decision.score, decision.matched
            counted = "" if value == rate else " < 0 counts as 0"
            formula += f"; rate {format_approx(value, 6)}{counted} {decision.text}"
            formula_zh += (f"；执行率{format_approx(value, 6)}{'' if value == rate else ' < 0，按0计'}"
                           f" {decision.text_zh}")
            status = Status.MET if raw >= w else Status.PARTLY_MET if raw > 0 else Status.MISSED
        else:
            raw, matched = w * min(rate, ONE), None
            if rate >= ONE:
                status = Status.MET
            elif raw > 0:
                status = Status.PARTLY_MET
            else:
                status = Status.MISSED
            if rate < ONE:
                formula += f"; {fmt(w)} × {format_approx(rate * 100, 6)}% = {format_approx(raw, 6)}"
                formula_zh += f"；{fmt(w)} × {format_approx(rate * 100, 6)}% = {format_approx(raw, 6)}"
            elif rate > ONE:
                formula += " > 100% → counted as 100%"
                formula_zh += " > 100% → 按100%计"
        return Outcome(
            raw, status, formula,
            f"全年预算数{fmt(planned)}{unit}，全年执行数{fmt(executed)}{unit}，执行率{shown}",
            f"executed {fmt(executed)} of a full-year budget of {fmt(planned)} {unit}: {shown}",
            ratio=rate, matched=matched, formula_zh=formula_zh,
        )

    def numbers(obs: Observation) -> tuple[Decimal, Status]:
        planned: Decimal = obs.extra["planned"]
        executed: Decimal = obs.extra["executed"]
        if planned == 0:
            rate = ONE if executed > 0 and zero_budget == "full-if-spent" else ZERO
        else:
            rate = executed / planned
        if table is not None:
            raw = table.decide(max(rate, ZERO), "execution rate").score
            return raw, Status.MET if raw >= w else Status.PARTLY_MET if raw > 0 else Status.MISSED
        raw = w * min(rate, ONE)
        return raw, Status.MET if rate >= ONE else Status.PARTLY_MET if raw > 0 else Status.MISSED

    return with_numbers(score, numbers)


@hookimpl
def evalcore_categories() -> list[Category]:
    return list(definitions("budget").categories)


@hookimpl
def evalcore_rule_types() -> list[RuleType]:
    return [RuleType(
        "execution-rate", compile_execution_rate,
        (Param("zero_budget", choice("zero", "full-if-spent"), "zero",
               "A full-year budget of 0: 'zero' scores rate 0; 'full-if-spent' counts any "
               "spending as 100% (one province's rule)."),
         Param("bands", parse_rows, NO_ROWS,
               "A stepped score instead of w × min(rate, 1): rows { id, when, share | score } "
               "on the rate as a ratio, covering [0, +inf) without overlaps (Jiangxi: "
               "'>= 1' → 1, '[0.8, 1)' → 0.7, '[0.6, 0.8)' → 0.5, '< 0.6' → 0)."),
         ),
        compile_execution_rate.__doc__ or "", input="budget", kernel=execution_rate_kernel,
    )]
