"""The formulas of the 决策/过程/产出/效益 framework, as rules and presets.

财预〔2020〕10号's 项目支出绩效评价指标体系框架 (domain.md §1, §7) defines the rates of its 过程 and
产出 rows; how a rate earns points it leaves to the evaluator, so each rule here scores it the way
the national self-evaluation scores a rate (w × min(rate, 1)), evalcore's choice, documented in
docs/rules.md §23:

- ``arrival-rate`` — 资金到位率 = 实际到位资金 / 预算资金: [budget] received / planned;
- ``spending-rate`` — the 过程 预算执行率 = 实际支出资金 / 实际到位资金: [budget] executed /
  received (the 自评表's execution-rate row is 全年执行数 / 全年预算数, another rate);
- ``quality-rate`` — 质量达标率 = 质量达标产出数 / 实际产出数, counted in the actual's ``extra``
  (``passed``, ``produced``) or given as the actual (98%), against the target rate.

The two funds rates read the project's funds block (``input = "funds"``), not an actual value of
their row. 实际完成率, 成本节约率 and 完成及时性 are the national positive and reverse rules
under a name: presets in ``indicators/rates.toml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from evalcore.plugin import (
    HUNDRED,
    ONE,
    Comparator,
    Observation,
    Outcome,
    Param,
    RuleContext,
    RuleType,
    Scorer,
    Status,
    actual_number,
    extra_number,
    format_approx,
    format_percent,
    hookimpl,
    notes,
    numeric_target,
    quote,
    with_numbers,
)
from evalcore.plugin import format_decimal as fmt

from ._data import definitions
from .bands import NO_ROWS, RATIO_DOMAIN, build_table, parse_rows

__all__ = ["compile_arrival_rate", "compile_quality_rate", "compile_spending_rate"]

_FIGURES = {
    "planned": ("预算资金", "the budget (planned)"),
    "received": ("实际到位资金", "the funds received (received)"),
    "executed": ("实际支出资金", "the funds spent (executed)"),
}
"""The [budget] keys the funds rates read, with how a message names them."""


def _figure(obs: Observation, key: str, rate_zh: str) -> Decimal:
    value = obs.extra.get(key)
    if value is None:
        zh, en = _FIGURES[key]
        raise ValueError(f"[budget] {key} ({zh}) is missing: {rate_zh} needs {en}")
    result: Decimal = value
    return result


def _status(raw: Decimal, w: Decimal, rate: Decimal) -> Status:
    return Status.MET if rate >= ONE and raw >= w else Status.PARTLY_MET if raw > 0 else Status.MISSED


def _rate_rule(top: str, bottom: str, name_zh: str, name_en: str) -> Any:
    """The compile function of a funds rate top / bottom: w × min(rate, 1), or ``bands``."""

    def compile_rate(params: Mapping[str, Any], ctx: RuleContext) -> Scorer:
        w, target = ctx.points, ctx.target
        if target is not None and (target.date is not None or (target.quantity is not None and (
                target.quantity.unit != "%" or target.quantity.value != HUNDRED
                or target.comparator not in (Comparator.GE, Comparator.EQ)))):
            raise ValueError(f"{name_zh} is scored against 100% (w × min(rate, 1), or bands), so "
                             f"the target {ctx.target_text or target} would mislead; write \"100%\" "
                             "or leave the target out")
        table = build_table(params["bands"], w, domain=RATIO_DOMAIN) if params["bands"] else None

        def figures(obs: Observation) -> tuple[Decimal, Decimal, Decimal]:
            a, b = _figure(obs, top, name_zh), _figure(obs, bottom, name_zh)
            if b == 0:
                zh, en = _FIGURES[bottom]
                raise ValueError(f"{name_zh} = {_FIGURES[top][0]} / {zh} cannot be computed: "
                                 f"[budget] {bottom} ({en}) is 0; if the row does not apply, write "
                                 "\"/\" as its target")
            return a, b, a / b

        def numbers(obs: Observation) -> tuple[Decimal, Status]:
            _, _, rate = figures(obs)
            raw = table.decide(rate, name_en).score if table is not None else w * min(rate, ONE)
            return raw, _status(raw, w, rate)

        def score(obs: Observation) -> Outcome:
            a, b, rate = figures(obs)
            unit = obs.extra.get("unit", "")
            head = f"{fmt(a)}/{fmt(b)} = {format_approx(rate * HUNDRED, 6)}%"
            if table is not None:
                decision = table.decide(rate, name_en)
                raw, matched = decision.score, decision.matched
                formula, formula_zh = f"{head}; {decision.text}", f"{head}；{decision.text_zh}"
            else:
                raw, matched = w * min(rate, ONE), None
                tail = (f"{fmt(w)} × {format_approx(rate * HUNDRED, 6)}% = {format_approx(raw, 6)}"
                        if rate < ONE else f"{fmt(w)}")
                capped_en = " > 100% → counted as 100%" if rate > ONE else ""
                capped_zh = " > 100% → 按100%计" if rate > ONE else ""
                formula = f"{head}{capped_en}; {tail}"
                formula_zh = f"{head}{capped_zh}；{tail}"
            status = _status(raw, w, rate)
            shown = format_percent(rate)
            zh = (f"{_FIGURES[bottom][0]}{fmt(b)}{unit}，{_FIGURES[top][0]}{fmt(a)}{unit}，"
                  f"{name_zh}{shown}，{status.zh}")
            en = f"{name_en} {fmt(a)}/{fmt(b)} {unit} = {shown}: {status.en}"
            return Outcome(raw, status, formula, zh, en, rate, matched, formula_zh)

        return with_numbers(score, numbers)

    compile_rate.__doc__ = (f"{name_zh} = [budget] {top} / {bottom}; w × min(rate, 1), or the share "
                            "or score of the matching row of ``bands`` (rows on the rate as a ratio).")
    return compile_rate


compile_arrival_rate = _rate_rule("received", "planned", "资金到位率", "funds arrival rate")
compile_spending_rate = _rate_rule("executed", "received", "预算执行率（实际支出/实际到位）",
                                   "spending of the funds received")


def compile_quality_rate(params: Mapping[str, Any], ctx: RuleContext) -> Scorer:
    """质量达标率 = ``passed`` / ``produced`` (counts in the actual's extra) or the actual itself
    (a percentage), against the target rate A: w when rate ≥ A, else w × rate / A."""
    target, a = numeric_target(ctx)
    unit = target.quantity.unit if target.quantity is not None else ""
    if unit != "%" or a <= 0 or a > HUNDRED:
        raise ValueError(f"the quality-rate rule needs a target rate in % above 0 (e.g. \"≥95%\"), "
                         f"not {ctx.target_text or target}")
    if target.comparator is not None and target.comparator.higher_is_better is False:
        raise ValueError(f"a 质量达标率 is better the higher it is; the target {ctx.target_text} "
                         "asks for at most a rate")
    w = ctx.points

    def rate_of(obs: Observation) -> tuple[Decimal, str]:
        if obs.extra:
            for key in obs.extra:
                if key not in ("passed", "produced"):
                    raise ValueError(f"extra.{key} is not a count of the quality rate; give "
                                     "passed (质量达标产出数) and produced (实际产出数)")
            passed, produced = extra_number(obs, "passed"), extra_number(obs, "produced")
            if passed < 0 or produced <= 0 or passed > produced:
                raise ValueError(f"extra: passed {fmt(passed)} of produced {fmt(produced)} is not a "
                                 "rate: produced must be above 0 and passed between 0 and produced")
            rate = passed / produced * HUNDRED
            return rate, f"{fmt(passed)}/{fmt(produced)} = {format_approx(rate, 6)}%"
        b = actual_number(obs, ctx)
        if b < 0:
            raise ValueError(f"the rate {quote(obs.value.text)} is negative")
        return b, f"B = {format_approx(b, 6)}%"

    def numbers(obs: Observation) -> tuple[Decimal, Status]:
        rate, _ = rate_of(obs)
        raw = w if rate >= a else w * rate / a
        return raw, Status.MET if rate >= a else Status.PARTLY_MET if raw > 0 else Status.MISSED

    def score(obs: Observation) -> Outcome:
        rate, head = rate_of(obs)
        raw, status = numbers(obs)
        if rate >= a:
            formula = formula_zh = f"{head} ≥ {fmt(a)}% → {fmt(w)}"
        else:
            tail = f"{fmt(w)} × {format_approx(rate, 6)}/{fmt(a)} = {format_approx(raw, 6)}"
            formula, formula_zh = f"{head}; {tail}", f"{head}；{tail}"
        zh, en = notes(ctx, obs, status)
        if obs.extra:
            zh = f"目标{ctx.target_text}，质量达标率{format_approx(rate, 6)}%，{status.zh}"
            en = f"target {ctx.target_text}, quality rate {format_approx(rate, 6)}%: {status.en}"
        return Outcome(raw, status, formula, zh, en, rate / a if rate > 0 else None, None, formula_zh)

    return with_numbers(score, numbers)


def _bands_param() -> Param:
    return Param("bands", parse_rows, NO_ROWS,
                 "A stepped score instead of w × min(rate, 1): rows { id, when, share | score } on "
                 "the rate as a ratio, covering [0, +inf) without overlaps.")


@hookimpl
def evalcore_rule_types() -> list[RuleType]:
    return [
        RuleType("arrival-rate", compile_arrival_rate, (_bands_param(),),
                 compile_arrival_rate.__doc__ or "", input="funds"),
        RuleType("spending-rate", compile_spending_rate, (_bands_param(),),
                 compile_spending_rate.__doc__ or "", input="funds"),
        RuleType("quality-rate", compile_quality_rate, (), compile_quality_rate.__doc__ or ""),
        *definitions("rates").rules,
    ]

