"""Tests for the safe formula compiler (evalcore.formula).

Plain examples pin down each allowed and each forbidden construct; Hypothesis
properties check that arbitrary text never escapes as an unexpected exception,
that accepted formulas only ever contain allow-listed syntax, and that typed
formulas evaluate exactly like a reference computation on Decimals.
"""

from __future__ import annotations

import ast
import decimal
import operator
from collections.abc import Callable
from decimal import Decimal
from typing import Any, NamedTuple, cast

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalcore import formula as formula_module
from evalcore.formula import (
    BUILTIN_FUNCTIONS,
    MAX_DEPTH,
    MAX_LENGTH,
    Formula,
    FormulaError,
    FormulaEvaluationError,
    Function,
    compile_formula,
)

D = Decimal
NAMES = ("points", "actual", "target", "weight")
VALUES = {"points": D(10), "actual": D(441), "target": D(400), "weight": D("0.5")}


def run(text: str, **values: Decimal) -> Decimal:
    return compile_formula(text, NAMES).evaluate({**VALUES, **values})


def compile_error(text: str, names: tuple[str, ...] = NAMES) -> FormulaError:
    with pytest.raises(FormulaError) as info:
        compile_formula(text, names)
    return info.value


def eval_error(text: str, **values: Decimal) -> FormulaEvaluationError:
    with pytest.raises(FormulaEvaluationError) as info:
        run(text, **values)
    return info.value


# --- allowed constructs ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("points", "10"),
        ("42", "42"),
        ("2.5", "2.5"),
        ("1_000 + 1e2 + .5", "1100.5"),
        ("-actual + +target", "-41"),
        ("actual - target", "41"),
        ("points * weight", "5.0"),
        ("actual / target", "1.1025"),
        ("points * min(actual / target, 1)", "10"),
        ("points if actual >= target else points * actual / target", "10"),
        ("points if actual > 1000 else points * actual / 1000", "4.41"),
        ("1 if 1 < 2 <= 2 < 3 else 0", "1"),
        ("1 if 1 < 3 < 2 else 0", "0"),
        ("1 if actual == 441 and target != 0 else 0", "1"),
        ("1 if actual < target or target > 399 else 0", "1"),
        ("1 if not actual < target else 0", "1"),
        ("1 if points < 0 or points > 5 and weight == 0.5 else 0", "1"),
        ("max(1, 2, 3)", "3"),
        ("min(3, 2, 1)", "1"),
        ("abs(-2)", "2"),
        ("clamp(5, 0, 3)", "3"),
        ("clamp(-5, 0, 3)", "0"),
        ("ratio(1, 4)", "0.25"),
        ("round_half_up(2.5)", "3"),
        ("round_half_up(actual / target, 2)", "1.10"),
        ("(actual\n + target)", "841"),
        ("  points  ", "10"),
        ("points # a comment", "10"),
    ],
)
def test_allowed_constructs(text: str, expected: str) -> None:
    result = run(text)
    assert isinstance(result, Decimal)
    assert result == D(expected)


@pytest.mark.parametrize(
    ("op", "truth"),
    [("<", [1, 0, 0]), ("<=", [1, 1, 0]), (">", [0, 0, 1]), (">=", [0, 1, 1]),
     ("==", [0, 1, 0]), ("!=", [1, 0, 1])],
)  # fmt: skip
def test_comparisons(op: str, truth: list[int]) -> None:
    formula = compile_formula(f"1 if actual {op} target else 0", NAMES)
    for actual, expected in zip([1, 2, 3], truth, strict=True):
        assert formula.evaluate({"actual": D(actual), "target": D(2)}) == expected


def test_decimal_literals_are_exact() -> None:
    assert run("0.1 + 0.2") == D("0.3")
    assert str(run("0.1 + 0.2")) == "0.3"
    assert run("0.1").as_tuple() == D("0.1").as_tuple()
    assert run("1 / 3 * 3") == D("0." + "9" * 40)  # 40 significant digits (evalcore's context)


def test_callers_decimal_context_does_not_matter() -> None:
    loose = decimal.Context(prec=3, traps=[])
    with decimal.localcontext(loose):
        assert run("1 / 3") == D("0." + "3" * 40)
        eval_error("points / (actual - 441)")
        assert "too large" in compile_error("1e999999999999999999999999").message
        assert decimal.getcontext().prec == 3


def test_and_or_short_circuit() -> None:
    zero = D(0)
    assert run("1 if target == 0 or actual / target > 1 else 0", target=zero) == 1
    assert run("1 if target != 0 and actual / target > 1 else 0", target=zero) == 0
    assert run("1 if target != 0 else actual", target=zero) == 441  # untaken branch not run


def test_names_are_the_used_subset() -> None:
    formula = compile_formula("points * 2", NAMES)
    assert formula.names == frozenset({"points"})
    assert formula.evaluate({"points": D(3)}) == 6  # unused names need no value
    assert compile_formula("1 + 2", NAMES).names == frozenset()


def test_formula_is_frozen_and_reusable() -> None:
    formula = compile_formula("points * actual", NAMES)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        formula.text = "0"  # type: ignore[misc]
    for n in range(50):
        assert formula.evaluate({"points": D(n), "actual": D(2)}) == 2 * n
    assert formula == compile_formula("points * actual", NAMES)
    assert isinstance(formula, Formula)


def test_negative_zero_is_normalised() -> None:
    result = run("-points * 0")
    assert result == 0 and not result.is_signed()


# --- forbidden constructs ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("points.real", "attribute"),
        ("points[0]", "subscript"),
        ("points[1:2]", "subscript"),
        ("'points'", "string"),
        ("b'1'", "bytes"),
        ("f'{points}'", "f-string"),
        ("points ** 2", "'**'"),
        ("points // 2", "'//'"),
        ("points % 2", "'%'"),
        ("points & 1", "'&'"),
        ("points | 1", "'|'"),
        ("points ^ 1", "'^'"),
        ("points << 1", "'<<'"),
        ("points >> 1", "'>>'"),
        ("points @ 1", "'@'"),
        ("~points", "'~'"),
        ("lambda: 1", "lambda"),
        ("lambda x: x", "lambda"),
        ("[x for x in points]", "comprehension"),
        ("{x for x in points}", "comprehension"),
        ("{x: 1 for x in points}", "comprehension"),
        ("(x for x in points)", "generator"),
        ("min(*points)", "starred"),
        ("min(points, key=1)", "keyword"),
        ("min(points, **target)", "**"),
        ("(points := 1)", "walrus"),
        ("(points, 1)", "tuple"),
        ("[points]", "list"),
        ("{points: 1}", "dict"),
        ("{points}", "set"),
        ("points.real()", "calls"),
        ("(lambda: 1)()", "calls"),
        ("min(1, 2)(3)", "calls"),
        ("True", "True"),
        ("False", "False"),
        ("None", "None"),
        ("...", "..."),
        ("1j", "complex"),
        ("points is target", "'is'"),
        ("points is not target", "'is not'"),
        ("points in target", "'in'"),
        ("points not in target", "'not in'"),
        ("await points", "await"),
        ("(yield points)", "yield"),
        ("0x1F", "decimal numbers"),
        ("0b101", "decimal numbers"),
        ("1" * 31, "too long"),
        ("1e40", "too large"),
        ("1e-40", "too large"),
        ("1e999999999999999999999999", "too large"),
        ("1." + "0" * 30, "too long"),
    ],
)
def test_forbidden_constructs(text: str, fragment: str) -> None:
    error = compile_error(text)
    assert fragment in error.message
    assert error.column is not None and 1 <= error.column <= len(text)
    assert fragment in str(error)


@pytest.mark.parametrize(
    "text", ["points = 1", "import os", "x = 1; y = 2", "del points", "points +", "if points: 1"]
)
def test_statements_and_syntax_errors(text: str) -> None:
    error = compile_error(text)
    assert error.message.startswith("syntax error")
    assert error.column is not None and 1 <= error.column <= len(text) + 1


def test_error_columns_point_at_the_problem() -> None:
    assert compile_error("points + target ** 2").column == 17
    assert compile_error("points +\tactul").column == 10
    assert compile_error("a + * b", ("a", "b")).column == 5
    assert compile_error("  points + x").column == 12  # leading blanks are counted
    assert compile_error("(points +\n actual.real)").column == 12  # offsets span lines
    # Columns count characters, not UTF-8 bytes: 目标 is two characters.
    assert compile_error("目标 * 2 + 实际 ** 2", ("目标", "实际")).column == 13


def test_empty_and_too_long() -> None:
    for text in ("", "   ", "\n\t"):
        assert "empty" in compile_error(text).message
    long_sum = "+".join(["1"] * 250)  # 499 characters, a flat chain
    assert len(long_sum) <= MAX_LENGTH
    assert compile_formula(long_sum, ()).evaluate({}) == 250
    error = compile_error(long_sum + "+1")
    assert "long" in error.message and str(MAX_LENGTH) in error.message


def test_depth_cap() -> None:
    assert compile_formula("-" * (MAX_DEPTH - 1) + "points", NAMES).evaluate(VALUES) == -10
    assert "deep" in compile_error("-" * MAX_DEPTH + "points").message
    nested = "abs(" * MAX_DEPTH + "points" + ")" * MAX_DEPTH
    assert "deep" in compile_error(nested).message
    assert compile_formula("((((((((((((((((((((((points))))))))))))))))))))))", NAMES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("10 - 2 - 3", "5"), ("8 / 2 / 2", "2"), ("1 - 2 + 3", "2"), ("2 * 3 + 4 * 5 - 6 / 3", "24"),
     ("2 * (3 + 4) * 5", "70"), ("100 / 10 * 2", "20"), ("-2 * -3 - -1", "7")],
)  # fmt: skip
def test_operator_chains_keep_python_precedence(text: str, expected: str) -> None:
    assert run(text) == D(expected)


def test_flat_chains_do_not_count_as_nesting() -> None:
    bands = " else ".join(f"{n} if r >= {n * 20}" for n in range(MAX_DEPTH + 2, 0, -1)) + " else 0"
    assert len(bands) <= MAX_LENGTH
    assert compile_formula(bands, ["r"]).evaluate({"r": D(441)}) == 22  # 441 >= 22 * 20
    error = eval_error("points + actual / target / 2 - 1", target=D(0))
    assert error.expression == "actual / target"
    assert eval_error("points / target / 2", target=D(0)).expression == "points / target"
    assert eval_error("1 + (points > 1) - 2").expression == "1 + (points > 1)"


def test_unknown_name_hint() -> None:
    error = compile_error("points * actul")
    assert "'actul'" in error.message and error.column == 10
    assert error.hint == "did you mean 'actual'?"
    assert "did you mean 'actual'?" in str(error)
    assert compile_error("rati(1, 2)").hint == "did you mean 'ratio'?"
    assert compile_error("clam(1, 2, 3)").hint == "did you mean 'clamp'?"
    assert compile_error("__import__('os')").message == "unknown function '__import__'"
    assert "unknown name" in compile_error("__builtins__").message
    assert "is a function" in compile_error("min + 1").message
    assert "not a function" in compile_error("points(1)").message


@pytest.mark.parametrize(
    ("text", "expected"),
    [("min(1)", "at least 2"), ("max()", "at least 2"), ("abs(1, 2)", "takes 1 argument"),
     ("clamp(1, 2)", "takes 3"), ("ratio(1)", "takes 2"), ("round_half_up()", "1 to 2"),
     ("round_half_up(1, 2, 3)", "1 to 2")],
)  # fmt: skip
def test_arity_errors(text: str, expected: str) -> None:
    error = compile_error(text)
    assert text.split("(")[0] + "()" in error.message
    assert expected in error.message


# --- evaluation errors ---------------------------------------------------------


def test_division_by_zero_is_located() -> None:
    error = eval_error("points * min(actual / target, 1)", target=D(0))
    assert error.expression == "actual / target"
    assert "division by zero" in error.message
    assert eval_error("0 / target", target=D(0)).expression == "0 / target"
    error = eval_error("points + ratio(actual, target)", target=D(0))
    assert error.expression == "ratio(actual, target)" and "division by zero" in error.message
    assert isinstance(error, ArithmeticError)


def test_comparison_results_are_not_numbers() -> None:
    assert "comparison" in eval_error("(points > 1) + 1").message
    assert eval_error("min(points > 1, 2)").expression == "points > 1"
    assert "comparison" in eval_error("-(points > 1)").message
    assert "comparison" in eval_error("(points > 1) < 2").message
    assert "true/false" in eval_error("points > 1").message
    assert "'and'" in eval_error("1 if points and actual else 0").message
    assert "'not'" in eval_error("1 if not points else 0").message
    assert "condition" in eval_error("1 if points else 0").message


def test_overflow_and_domain_errors() -> None:
    assert "too large" in eval_error("points * actual", points=D("9e999998")).message
    assert eval_error("clamp(1, 3, 2)").expression == "clamp(1, 3, 2)"
    for places in ("-1", "11", "0.5", "points > 1"):
        eval_error(f"round_half_up(1, {places})")


def test_values_are_checked() -> None:
    formula = compile_formula("points + actual", NAMES)
    with pytest.raises(TypeError):
        formula.evaluate({"points": 1, "actual": D(1)})  # type: ignore[dict-item]
    with pytest.raises(TypeError):
        formula.evaluate({"points": 1.5, "actual": D(1)})  # type: ignore[dict-item]
    with pytest.raises(TypeError):
        formula.evaluate({"points": True, "actual": D(1)})  # type: ignore[dict-item]
    with pytest.raises(FormulaEvaluationError) as info:
        formula.evaluate({"points": D(1)})
    assert "'actual'" in info.value.message and info.value.expression == "actual"
    for bad in ("NaN", "Infinity", "-Infinity", "sNaN"):
        with pytest.raises(FormulaEvaluationError):
            formula.evaluate({"points": D(bad), "actual": D(1)})


@pytest.mark.parametrize(
    ("text", "expected"),
    [("round_half_up(2.675, 2)", "2.68"), ("round_half_up(0.5)", "1"),
     ("round_half_up(-0.5)", "-1"), ("round_half_up(1.5)", "2"), ("round_half_up(2.5)", "3"),
     ("round_half_up(-2.5)", "-3"), ("round_half_up(0.125, 2)", "0.13"),
     ("round_half_up(1, 10)", "1.0000000000")],
)  # fmt: skip
def test_round_half_up(text: str, expected: str) -> None:
    result = run(text)
    assert str(result) == expected


def test_builtin_functions_table() -> None:
    assert set(BUILTIN_FUNCTIONS) == {"min", "max", "abs", "clamp", "ratio", "round_half_up"}
    for name, function in BUILTIN_FUNCTIONS.items():
        assert function.name == name and function.doc
    assert BUILTIN_FUNCTIONS["ratio"].impl(D(1), D(8)) == D("0.125")
    with pytest.raises(TypeError):
        BUILTIN_FUNCTIONS["min"] = BUILTIN_FUNCTIONS["max"]  # type: ignore[index]


def test_plugin_functions() -> None:
    def sqrt(x: Decimal) -> Decimal:
        return x.sqrt()

    def refuse(x: Decimal) -> Decimal:
        raise FormulaEvaluationError("not today")

    table = BUILTIN_FUNCTIONS | {
        "sqrt": Function("sqrt", (1, 1), sqrt, "Square root."),
        "refuse": Function("refuse", (1, 1), refuse, "Always fails."),
        "bad": Function("bad", (0, 0), cast(Callable[..., Decimal], lambda: 1.5), "A float."),
    }
    assert compile_formula("sqrt(points * 10)", NAMES, table).evaluate(VALUES) == 10
    assert compile_formula("min(1, 2)", NAMES, table).evaluate({}) == 1
    assert eval_error_with(table, "sqrt(-points)").expression == "sqrt(-points)"
    error = eval_error_with(table, "1 + refuse(2)")
    assert error.message == "not today" and error.expression == "refuse(2)"
    with pytest.raises(TypeError):
        compile_formula("bad()", NAMES, table).evaluate({})
    assert "did you mean 'sqrt'" in str(compile_error_with(table, "sqr(1)"))
    assert "unknown function 'sqrt'" in compile_error("sqrt(1)").message  # not a builtin
    assert "unknown function 'min'" in compile_error_with({}, "min(1, 2)").message


def eval_error_with(table: dict[str, Function], text: str) -> FormulaEvaluationError:
    with pytest.raises(FormulaEvaluationError) as info:
        compile_formula(text, NAMES, table).evaluate(VALUES)
    return info.value


def compile_error_with(table: dict[str, Function], text: str) -> FormulaError:
    with pytest.raises(FormulaError) as info:
        compile_formula(text, NAMES, table)
    return info.value


def test_function_validation() -> None:
    with pytest.raises(ValueError):
        Function("f", (2, 1), abs, "max below min")
    with pytest.raises(ValueError):
        Function("f", (-1, None), abs, "negative")
    with pytest.raises(ValueError):
        Function("not a name", (1, 1), abs, "bad name")


def test_names_must_be_an_iterable_of_strings() -> None:
    with pytest.raises(TypeError):
        compile_formula("points", "points")
    assert compile_formula("points", iter(["points"])).names == {"points"}


# --- substitute ----------------------------------------------------------------


def test_substitute() -> None:
    formula = compile_formula("points * min(actual / target, 1)", NAMES)
    assert formula.substitute(VALUES) == "10 * min(441 / 400, 1)"
    formula = compile_formula("actual - target + abs(target)", NAMES)
    values = {"actual": D(5), "target": D(-3)}
    assert formula.substitute(values) == "5 - (-3) + abs((-3))"
    assert compile_formula("points", NAMES).substitute({"points": D("1E+2")}) == "100"
    assert compile_formula("points", NAMES).substitute({"points": D("-0.0")}) == "0.0"
    chinese = compile_formula("目标 * 2 + 实际", ("目标", "实际"))
    assert chinese.substitute({"目标": D(7), "实际": D("1.5")}) == "7 * 2 + 1.5"
    assert compile_formula(" (points +\n target)", NAMES).substitute(VALUES) == " (10 +\n 400)"
    with pytest.raises(FormulaEvaluationError):
        formula.substitute({"actual": D(1)})


# --- the module itself -----------------------------------------------------------


def test_module_never_calls_eval_exec_or_compile() -> None:
    path = formula_module.__file__
    assert path is not None
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    called = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert not called & {"eval", "exec", "compile", "__import__", "getattr"}


def test_exceptions_are_standard_kinds() -> None:
    error = compile_error("points.x")
    assert isinstance(error, ValueError) and error.hint is None
    assert issubclass(FormulaEvaluationError, ArithmeticError)


# --- Hypothesis ----------------------------------------------------------------

# Example counts come from the active profile (tests/conftest.py: 100, or 200 with CI=true).
FAST = settings(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

ALLOWED_NODES = {
    ast.Expression, ast.BinOp, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.UnaryOp, ast.UAdd,
    ast.USub, ast.Not, ast.BoolOp, ast.And, ast.Or, ast.Compare, ast.Lt, ast.LtE, ast.Gt,
    ast.GtE, ast.Eq, ast.NotEq, ast.IfExp, ast.Call, ast.Name, ast.Load, ast.Constant,
}  # fmt: skip

literals = st.one_of(
    st.integers(0, 10**6).map(str),
    st.decimals(min_value=0, max_value=10**4, places=3).map(lambda d: format(d, "f")),
    st.sampled_from(["0", "1", "0.1", "1e3", "2.5E-2", "1_000"]),
)
good_leaves = st.one_of(st.sampled_from(NAMES), literals)
bad_leaves = st.sampled_from(
    ["'s'", "b'x'", "True", "None", "1j", "...", "[1]", "{1}", "{1: 2}", "()", "f'{points}'",
     "os", "x", "__import__", "1" * 40, "0x1f", "1e99", "points.real", "points[0]", "actul"]
)  # fmt: skip
all_binops = st.sampled_from(["+", "-", "*", "/"] * 6 + ["**", "//", "%", "&", "|", "<<", "@"])
good_calls = st.sampled_from(["min", "max", "abs", "clamp", "ratio", "round_half_up"])
any_calls = st.sampled_from(["min", "max", "abs", "clamp", "ratio", "round_half_up"] * 3
                            + ["eval", "exec", "open", "mn", "points"])  # fmt: skip
comparisons = st.sampled_from(["<", "<=", ">", ">=", "==", "!="])


def mixed(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """One grammar step mixing allowed and (less often) forbidden constructs."""
    good = [
        st.tuples(children, all_binops, children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(st.sampled_from(["-", "+", "not ", "-", "+", "not ", "~"]), children).map(
            "".join
        ),
        st.tuples(any_calls, st.lists(children, max_size=3)).map(
            lambda t: f"{t[0]}({', '.join(t[1])})"
        ),
        st.tuples(children, comparisons, children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(children, st.sampled_from(["and", "or", "and", "or", "is", "in"]), children).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        st.tuples(children, children, children).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
    ]
    bad = [
        st.tuples(children, st.sampled_from([".real", "[0]", "[1:2]", ".__class__", "()"])).map(
            "".join
        ),
        children.map(lambda c: f"(lambda: {c})"),
        children.map(lambda c: f"[{c} for x in points]"),
        children.map(lambda c: f"({c} for x in points)"),
        children.map(lambda c: f"min({c}, key=1)"),
        children.map(lambda c: f"min(*{c})"),
        children.map(lambda c: f"(x := {c})"),
    ]
    return sometimes(st.one_of(*bad), st.one_of(*good))


def sometimes(rare: st.SearchStrategy[str], usual: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """``rare`` one time in eight, so that some generated formulas pass the checker."""
    return st.integers(0, 7).flatmap(lambda k: rare if k == 0 else usual)


mixed_leaves = sometimes(bad_leaves, good_leaves)
mixed_formulas = st.recursive(mixed_leaves, mixed, max_leaves=10)
tokens = st.sampled_from(
    ["points", "actual", "1", "0.5", "+", "-", "*", "/", "**", "(", ")", ",", "min", "abs",
     "if", "else", "and", "not", "<", "==", ".", "[", "]", "'", "lambda", ":", "=", "\n", "#"]
)  # fmt: skip
token_soup = st.lists(tokens, max_size=25).map(" ".join)
any_text = st.one_of(mixed_formulas, token_soup, st.text(max_size=60))


def allowed(depth: int) -> st.SearchStrategy[str]:
    """Formulas built only from allowed constructs (types may still mismatch)."""
    if depth == 0:
        return good_leaves
    sub = allowed(depth - 1)
    return st.one_of(
        good_leaves,
        st.tuples(sub, st.sampled_from(["+", "-", "*", "/"]), sub).map(" ".join).map(
            lambda s: f"({s})"
        ),
        st.tuples(st.sampled_from(["-", "+", "not "]), sub).map(lambda t: f"({t[0]}{t[1]})"),
        st.tuples(sub, comparisons, sub, st.none() | st.tuples(comparisons, sub)).map(
            lambda t: f"({t[0]} {t[1]} {t[2]}{f' {t[3][0]} {t[3][1]}' if t[3] else ''})"
        ),
        st.tuples(sub, st.sampled_from(["and", "or"]), sub).map(lambda t: f"({' '.join(t)})"),
        st.tuples(sub, sub, sub).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
        st.tuples(st.sampled_from(["min", "max"]), st.lists(sub, min_size=2, max_size=3)).map(
            lambda t: f"{t[0]}({', '.join(t[1])})"
        ),
        sub.map(lambda s: f"abs({s})"),
        st.tuples(sub, sub, sub).map(lambda t: f"clamp({', '.join(t)})"),
        st.tuples(sub, sub).map(lambda t: f"ratio({', '.join(t)})"),
        st.tuples(sub, st.none() | sub).map(
            lambda t: f"round_half_up({t[0]}{', ' + t[1] if t[1] else ''})"
        ),
    )


allowed_formulas = allowed(3).filter(lambda text: len(text) <= MAX_LENGTH)
inputs = st.fixed_dictionaries(
    {name: st.decimals(allow_nan=False, allow_infinity=False) for name in NAMES}
)


def try_compile(text: str) -> Formula | None:
    try:
        return compile_formula(text, NAMES)
    except FormulaError:
        return None


@FAST
@given(any_text)
def test_compile_raises_only_formula_error(text: str) -> None:
    try:
        result = compile_formula(text, NAMES)
    except FormulaError as error:
        assert error.message
        assert error.column is None or 1 <= error.column <= len(text) + 1
    else:
        assert isinstance(result, Formula)


@FAST
@given(st.one_of(mixed_formulas, allowed_formulas), inputs)
def test_accepted_formulas_evaluate_to_finite_decimal_or_error(
    text: str, values: dict[str, Decimal]
) -> None:
    formula = try_compile(text)
    if formula is None:
        return
    try:
        result = formula.evaluate(values)
    except FormulaEvaluationError as error:
        assert error.message
        return
    assert isinstance(result, Decimal) and not isinstance(result, bool)
    assert result.is_finite()
    assert isinstance(formula.substitute(values), str)


@FAST
@given(allowed_formulas)
def test_allowed_constructs_always_compile(text: str) -> None:
    formula = compile_formula(text, NAMES)
    assert formula.names <= set(NAMES)


@FAST
@given(st.one_of(any_text, allowed_formulas))
def test_accepted_formulas_contain_only_allowed_nodes(text: str) -> None:
    formula = try_compile(text)
    if formula is None:
        return
    tree = ast.parse(text.lstrip(), mode="eval")
    for node in ast.walk(tree):
        assert type(node) in ALLOWED_NODES, ast.dump(node)
        if isinstance(node, ast.Constant):
            assert type(node.value) in (int, float)
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name) and node.func.id in BUILTIN_FUNCTIONS
            assert not node.keywords
        if isinstance(node, ast.Name) and node.id not in BUILTIN_FUNCTIONS:
            assert node.id in formula.names


# --- a typed grammar with a reference computation -------------------------------

REFERENCE = decimal.Context(
    prec=40, rounding=decimal.ROUND_HALF_UP, Emin=-999_999, Emax=999_999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)  # fmt: skip
Env = dict[str, Decimal]


class Expr(NamedTuple):
    text: str
    compute: Callable[[Env], Any]  # Decimal or bool, the way Python computes it


class Refused(Exception):
    """The reference computation hit a domain error the formula must report too."""


def _ratio(a: Decimal, b: Decimal) -> Decimal:
    if b == 0:
        raise Refused
    return a / b


def _clamp(x: Decimal, lo: Decimal, hi: Decimal) -> Decimal:
    if lo > hi:
        raise Refused
    return min(max(x, lo), hi)


def _chain(parts: list[Expr], ops: list[Callable[[Any, Any], Any]], env: Env) -> bool:
    left = parts[0].compute(env)
    for op, part in zip(ops, parts[1:], strict=True):
        right = part.compute(env)
        if not op(left, right):
            return False
        left = right
    return True


def _chain_text(parts: list[Expr], ops: list[str]) -> str:
    rest = "".join(f" {op} {part.text}" for op, part in zip(ops, parts[1:], strict=True))
    return f"({parts[0].text}{rest})"


ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}
CMP = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
       "==": operator.eq, "!=": operator.ne}  # fmt: skip


def number_leaf() -> st.SearchStrategy[Expr]:
    names = st.sampled_from(NAMES).map(lambda n: Expr(n, lambda env: env[n]))
    return names | literals.map(lambda s: Expr(s, constant(D(s))))


def constant(value: Decimal) -> Callable[[Env], Decimal]:
    return lambda env: value


def typed(depth: int) -> tuple[st.SearchStrategy[Expr], st.SearchStrategy[Expr]]:
    """(numbers, conditions) strategies whose Expr carries its reference computation."""
    if depth == 0:
        leaf = number_leaf()
        return leaf, st.tuples(leaf, st.sampled_from(list(CMP)), leaf).map(
            lambda t: Expr(f"({t[0].text} {t[1]} {t[2].text})",
                           lambda env: CMP[t[1]](t[0].compute(env), t[2].compute(env)))
        )  # fmt: skip
    num, cond = typed(depth - 1)

    def call(name: str, impl: Callable[..., Any], *args: Expr) -> Expr:
        text = f"{name}({', '.join(a.text for a in args)})"
        return Expr(text, lambda env: impl(*(a.compute(env) for a in args)))

    def rhu(x: Expr, places: int | None) -> Expr:
        if places is None:
            return call("round_half_up", lambda v: v.quantize(D(1), decimal.ROUND_HALF_UP), x)
        exponent = D(1).scaleb(-places)
        text = f"round_half_up({x.text}, {places})"
        return Expr(text, lambda env: x.compute(env).quantize(exponent, decimal.ROUND_HALF_UP))

    numbers = st.one_of(
        number_leaf(),
        st.tuples(num, st.sampled_from(list(ARITH)), num).map(
            lambda t: Expr(f"({t[0].text} {t[1]} {t[2].text})",
                           lambda env: ARITH[t[1]](t[0].compute(env), t[2].compute(env)))
        ),
        num.map(lambda x: Expr(f"(-{x.text})", lambda env: -x.compute(env))),
        st.tuples(cond, num, num).map(
            lambda t: Expr(
                f"({t[1].text} if {t[0].text} else {t[2].text})",
                lambda env: t[1].compute(env) if t[0].compute(env) else t[2].compute(env),
            )
        ),
        st.lists(num, min_size=2, max_size=3).flatmap(
            lambda xs: st.sampled_from([call("min", lambda *a: min(a), *xs),
                                        call("max", lambda *a: max(a), *xs)])
        ),
        num.map(lambda x: call("abs", abs, x)),
        st.tuples(num, num, num).map(lambda t: call("clamp", _clamp, *t)),
        st.tuples(num, num).map(lambda t: call("ratio", _ratio, *t)),
        st.tuples(num, st.none() | st.integers(0, 10)).map(lambda t: rhu(*t)),
    )  # fmt: skip
    conditions = st.one_of(
        st.lists(num, min_size=2, max_size=3).flatmap(
            lambda xs: st.lists(st.sampled_from(list(CMP)), min_size=len(xs) - 1,
                                max_size=len(xs) - 1).map(lambda ops: (xs, ops))
        ).map(lambda t: Expr(
            _chain_text(t[0], t[1]),
            lambda env: _chain(t[0], [CMP[o] for o in t[1]], env),
        )),
        st.tuples(cond, st.sampled_from(["and", "or"]), cond).map(
            lambda t: Expr(f"({t[0].text} {t[1]} {t[2].text})",
                           (lambda env: bool(t[0].compute(env) and t[2].compute(env)))
                           if t[1] == "and" else
                           (lambda env: bool(t[0].compute(env) or t[2].compute(env))))
        ),
        cond.map(lambda c: Expr(f"(not {c.text})", lambda env: not c.compute(env))),
    )  # fmt: skip
    return numbers, conditions


typed_numbers = typed(3)[0].filter(lambda e: len(e.text) <= MAX_LENGTH)
moderate_inputs = st.fixed_dictionaries(
    {name: st.decimals(-(10**6), 10**6, places=2) | st.sampled_from([D(0), D(1)])
     for name in NAMES}
)  # fmt: skip


@FAST
@given(typed_numbers, st.one_of(moderate_inputs, inputs))
def test_typed_formulas_match_reference(expr: Expr, values: dict[str, Decimal]) -> None:
    formula = compile_formula(expr.text, NAMES)
    try:
        with decimal.localcontext(REFERENCE):
            expected = expr.compute(values)
    except (Refused, decimal.DecimalException):
        with pytest.raises(FormulaEvaluationError):
            formula.evaluate(values)
        return
    assert isinstance(expected, Decimal)
    assert formula.evaluate(values) == expected
