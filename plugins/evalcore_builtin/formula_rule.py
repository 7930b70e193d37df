"""The ``formula`` rule: a score written as a safe arithmetic expression.

``points * min(actual / target, 1)``, ``points if actual >= target else 0``:
the expression is compiled once with `evalcore.formula` (an allow-list
over Python's ``ast``: numbers, the declared names, + - * /, comparisons,
and/or/not, if-else, and registered functions; nothing else), so a file from a
stranger cannot run code. The names a formula may use:

- ``points`` — w, the indicator's points;
- ``actual`` — B, the actual value in the target's unit;
- ``target`` — A, the target's value (only when the target is a number);
- ``ratio`` — B / A (only when A > 0);
- any key of the actual's ``extra`` table listed in the ``inputs`` parameter.

The result is capped to [0, points] by the engine like every score; the row is
met when it earns full points, missed at 0, partly met between.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from evalcore.plugin import (
    FormulaError,
    FormulaEvaluationError,
    Observation,
    Outcome,
    Param,
    RuleContext,
    RuleType,
    Scorer,
    actual_number,
    compile_formula,
    extra_number,
    format_approx,
    hookimpl,
    outcome,
    text,
    text_list,
)

BASE_NAMES = ("points", "actual", "target", "ratio")


def compile_formula_rule(params: Mapping[str, Any], ctx: RuleContext) -> Scorer:
    """w, B, A and B/A as ``points``, ``actual``, ``target``, ``ratio`` in a safe expression."""
    inputs: tuple[str, ...] = params["inputs"]
    for name in inputs:
        if name in BASE_NAMES or not name.isidentifier():
            raise ValueError(f"inputs: {name!r} cannot be an input name")
    numeric = ctx.target is not None and ctx.target.quantity is not None
    names = ["points", *inputs] + (["actual", "target", "ratio"] if numeric else [])
    try:
        formula = compile_formula(params["expression"], names, ctx.functions or None)
    except FormulaError as exc:
        where = f" (column {exc.column})" if exc.column else ""
        hint = f"; {exc.hint}" if exc.hint else ""
        if not numeric and any(f"'{n}'" in exc.message for n in BASE_NAMES[1:]):
            hint = "; actual, target and ratio are only defined for a numeric target"
        raise ValueError(f"expression{where}: {exc.message}{hint}") from None
    a = ctx.target.quantity.value if numeric and ctx.target and ctx.target.quantity else None
    if a == 0 and "ratio" in formula.names:
        raise ValueError("the formula uses ratio (actual / target), but the target is 0")
    lower_is_better = ctx.target is not None and ctx.target.comparator is not None and \
        ctx.target.comparator.higher_is_better is False
    w = ctx.points

    def score(obs: Observation) -> Outcome:
        values: dict[str, Decimal] = {"points": w}
        for name in inputs:
            values[name] = extra_number(obs, name)
        achieved = None
        if a is not None:
            b = actual_number(obs, ctx)
            values.update(actual=b, target=a)
            if "ratio" in formula.names:
                values["ratio"] = b / a
            if a > 0 and b > 0:  # for the over-achievement finding: A/B for an upper limit
                achieved = a / b if lower_is_better else b / a
        try:
            raw = formula.evaluate(values)
        except FormulaEvaluationError as exc:
            raise ValueError(f"formula {formula.text!r}: {exc.message} in {exc.expression!r}") from None
        shown = f"{formula.text} = {formula.substitute(values)} = {format_approx(raw, 6)}"
        return outcome(ctx, obs, raw, shown, achieved)

    return score


@hookimpl
def evalcore_rule_types() -> list[RuleType]:
    return [RuleType(
        "formula", compile_formula_rule,
        (Param("expression", text, doc="The score as an expression of points, actual, target, "
                                       "ratio and the declared inputs."),
         Param("inputs", text_list, (), "Keys of the actual's extra table the formula may use.")),
        compile_formula_rule.__doc__ or "",
    )]
