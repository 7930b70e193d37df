"""The columnar path (`plan.evaluate_table`) gives exactly what `plan.evaluate` gives, project by
project: every score, subtotal, total, grade, finding code and error; and it refuses bad tables
with located, suggesting errors."""

from __future__ import annotations

import builtins
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import evalcore
from evalcore.build import build_project
from evalcore.column_scoring import capped_half_up, origin_of
from evalcore.compiler import compile_scheme
from evalcore.errors import EvalcoreError, ValidationError
from evalcore.golden import _case_document, find_case_files, load_cases
from evalcore.model import Actual, Budget, Project, ProjectInfo, Scheme
from evalcore.plugin import Indicator, Observation, Outcome, RuleType, Status, hookimpl
from evalcore.testing import projects, schemes

REGISTRY = evalcore.Registry.from_plugins(evalcore.get_plugin_manager())
GOLDEN = Path(__file__).parent / "golden"


def _located(project: Project, row: int) -> Project:
    """``project`` with every actual and the budget located as the table's ``row`` is."""
    actuals = {i: attrs.evolve(a, origin=origin_of(row, i)) for i, a in project.actuals.items()}
    budget = attrs.evolve(project.budget, origin=origin_of(row, "budget")) if project.budget else None
    return attrs.evolve(project, actuals=actuals, budget=budget)


def table_of(projects: list[Project], funds: bool = False) -> dict[str, list[Any]]:
    """The table (a dict of columns) that stands for ``projects`` (same scheme); with ``funds``
    (a row scored from the funds block), the [budget] figures those rows read."""
    scheme = projects[0].scheme
    cols: dict[str, list[Any]] = {"project": [p.info.name for p in projects]}
    n = len(projects)

    def put(name: str, row: int, value: Any) -> None:
        cols.setdefault(name, [None] * n)[row] = value

    for row, p in enumerate(projects):
        if scheme.budget_points is not None or funds:
            put("budget_planned", row, p.budget.planned if p.budget else None)
            put("budget_executed", row, p.budget.executed if p.budget else None)
        if funds:
            put("budget_received", row, p.budget.received if p.budget else None)
        if scheme.budget_points is not None:
            if p.budget and p.budget.reason:
                put("budget.reason", row, p.budget.reason)
            if p.budget and p.budget.published is not None:
                put("budget.published", row, p.budget.published)
        if p.info.published_total is not None:
            put("published_total", row, p.info.published_total)
        for ident, a in p.actuals.items():
            put(ident, row, a.value if a.value is None or isinstance(a.value, str) else str(a.value))
            for companion in ("reason", "assessed", "published"):
                value = getattr(a, companion)
                if value not in (None, ""):
                    put(f"{ident}.{companion}", row, value)
    return cols


def assert_same(plan: Any, project: Project, got: dict[str, Any], row: int) -> None:
    """The table's ``row`` (``got``) says what ``plan.evaluate(project)`` says."""
    try:
        result = plan.evaluate(_located(project, row))
    except evalcore.EvaluationError as exc:
        assert got["errors"] == [str(p) for p in exc.problems]
        assert got["total"] is None and got["grade"] is None
        return
    assert got["errors"] == []
    assert got["total"] == result.total and str(got["total"]) == str(result.total)
    assert got["grade"] == result.grade
    if result.budget is not None:
        assert got["budget"] == result.budget.score
    for row in result.rows:
        assert got[row.id] == row.score and str(got[row.id]) == str(row.score), row.id
    for group in result.groups:
        assert got[f"group.{group.name}"] == group.score
    codes = sorted(f["code"] for f in got["findings"])
    assert codes == sorted(f.code for f in result.findings)
    messages = sorted(f["message"] for f in got["findings"])
    assert messages == sorted(f.message_zh for f in result.findings)


def _check(plan: Any, items: list[Project]) -> None:
    table = plan.evaluate_table(table_of(items, plan._reads_funds))
    assert table.num_rows == len(items)
    for row, (project, got) in enumerate(zip(items, table.to_pylist(), strict=True)):
        assert got["project"] == project.info.name
        assert_same(plan, project, got, row)
    # Scores only: every other column the same, errors included, and no findings column.
    assert plan.evaluate_table(table_of(items, plan._reads_funds), findings=False).equals(
        table.drop_columns(["findings"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_table_path_equals_the_decimal_path(data: st.DataObject) -> None:
    scheme = data.draw(schemes(REGISTRY, max_indicators=6))
    plan = compile_scheme(scheme, REGISTRY)
    items = [data.draw(projects(scheme, missing=True)) for _ in range(data.draw(st.integers(1, 4)))]
    _check(plan, items)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["≥400", ">400", "≤40", "<40", "=7", "≥0", ">0", "≤0", "=0", "≥12.5万元"]),
       st.lists(st.decimals(-50, 10**6, places=4, allow_nan=False, allow_infinity=False)
                .map(str), min_size=1, max_size=6),
       st.sampled_from(["", "linear", "symmetric", "exact", "threshold"]),
       st.sampled_from(["7", "33.33", "10"]))
def test_every_kernel_equals_its_scorer(target: str, actuals: list[str], method: str,
                                        points: str) -> None:
    """Rounding half up, the boundaries and the rates, drawn densely around each target."""
    params: dict[str, Any] = {}
    if method == "linear" and target[0] in "≤<":
        params["method"] = "linear"
    if method in ("symmetric", "exact") and target[0] == "=":
        params["method"] = method
    rule = "threshold" if method == "threshold" else None
    ind = Indicator("k", "指标", "quantity", Decimal(points), target, rule=rule, params=params)
    scheme = Scheme("s", (ind,), budget_points=Decimal(3),
                    settings={"total": Decimal(points) + 3, "weights": {}, "decimals": 2,
                              "overachievement": {"threshold": "1.2"}})
    plan = compile_scheme(scheme, REGISTRY)
    items = [Project(ProjectInfo(f"p{i}"), scheme, Budget(Decimal(a).copy_abs() + 1, Decimal(a)),
                     {"k": Actual(a)}) for i, a in enumerate(actuals)]
    _check(plan, items)


def _golden_projects() -> list[Any]:
    out = []
    for path in find_case_files([GOLDEN]):
        for case in load_cases(path):
            out.append(pytest.param(case, id=case.id))
    return out


@pytest.mark.parametrize("case", _golden_projects())
def test_every_golden_case_scores_the_same_through_the_table(case: Any) -> None:
    try:
        if "project" in case.data:
            project = evalcore.load_project(Path(case.file).parent / case.data["project"],
                                            registry=REGISTRY)
        else:
            project = build_project(_case_document(case, REGISTRY), REGISTRY)
        plan = compile_scheme(project.scheme, REGISTRY)
    except EvalcoreError:
        return  # refused before any project is scored: nothing for a table to do
    if any(a.extra for a in project.actuals.values()):
        pytest.skip("extra counts (surveys, deduction items) have no columns in a table")
    _check(plan, [project])


def _plan(*indicators: Indicator, budget: Decimal | None = None) -> Any:
    total = sum((i.points for i in indicators), Decimal(0)) + (budget or 0)
    scheme = Scheme("s", indicators, budget_points=budget, settings={"total": total, "weights": {}})
    return compile_scheme(scheme, REGISTRY)


Q = Indicator("q1", "批次", "quantity", Decimal(10), "≥400批次")
R = Indicator("r1", "成本", "cost", Decimal(10), "≤500万元")


def test_input_from_pandas_a_record_batch_and_a_dict_gives_one_answer() -> None:
    pd = pytest.importorskip("pandas")
    plan = _plan(Q, R)
    cols = {"project": ["a", "b"], "q1": ["300批次", "500批次"], "r1": ["600万元", None]}
    expected = plan.evaluate_table(cols)
    assert plan.evaluate_table(pd.DataFrame(cols)).equals(expected)
    assert plan.evaluate_table(pa.RecordBatch.from_pydict(cols)).equals(expected)
    assert evalcore.columnar.evaluate_table(plan, pa.table(cols)).equals(expected)
    assert expected.column("q1").to_pylist() == [Decimal("7.50"), Decimal("10.00")]
    assert expected.column_names == ["project", "total", "grade", "q1", "r1", "group.outputs",
                                     "group.benefits", "findings", "errors"][:3] + \
        ["q1", "r1"] + [c for c in expected.column_names if c.startswith("group.")] + \
        ["findings", "errors"]
    assert str(expected.schema.field("total").type) == "decimal128(38, 2)"


def test_an_unknown_column_is_refused_with_did_you_mean_before_scoring() -> None:
    plan = _plan(Q, R)
    with pytest.raises(ValidationError) as caught:
        plan.evaluate_table({"project": ["a"], "q1": ["1"], "r2": ["3"], "q1.reasn": ["x"]})
    text = str(caught.value)
    assert "unknown column 'r2'" in text and "'r1'" in text
    assert "unknown column 'q1.reasn'" in text and "q1.reason" in text


def test_missing_project_and_budget_columns_are_refused() -> None:
    plan = _plan(Q, budget=Decimal(10))
    with pytest.raises(ValidationError) as caught:
        plan.evaluate_table({"q1": ["1"], "budget_planned": [1]})
    text = str(caught.value)
    assert "no 'project' column" in text and "'budget_executed'" in text


def test_an_unreadable_actual_goes_to_the_errors_column_not_an_exception() -> None:
    plan = _plan(Q, R)
    table = plan.evaluate_table({"project": ["bad", "good"], "q1": ["三百公斤", "400批次"],
                                 "r1": ["abc万元", "400万元"]})
    rows = table.to_pylist()
    assert rows[0]["total"] is None and rows[0]["q1"] is None and rows[0]["grade"] is None
    assert len(rows[0]["errors"]) == 2 and "row[0].q1" in rows[0]["errors"][0]
    assert rows[0]["findings"] == []
    assert rows[1]["errors"] == [] and rows[1]["total"] == Decimal("20.00")


def test_an_empty_table_gives_an_empty_result_with_every_column() -> None:
    plan = _plan(Q, budget=Decimal(10))
    table = plan.evaluate_table(pa.table({"project": pa.array([], pa.string()),
                                          "budget_planned": pa.array([], pa.float64()),
                                          "budget_executed": pa.array([], pa.float64())}))
    assert table.num_rows == 0
    assert table.column_names[:5] == ["project", "total", "grade", "budget", "q1"]


def test_null_values_are_missing_actuals() -> None:
    plan = _plan(Q, budget=Decimal(10))
    table = plan.evaluate_table({"project": ["a"], "q1": [None], "budget_planned": [None],
                                 "budget_executed": [5]})
    row = table.to_pylist()[0]
    assert row["q1"] == Decimal("0.00") and row["budget"] == Decimal("0.00")
    assert sorted(f["code"] for f in row["findings"]) == ["missing-actual", "missing-actual"]


class _NoKernel:
    """A plugin with a rule that has no kernel: the table path calls its scorer."""

    @hookimpl
    def evalcore_rule_types(self) -> list[RuleType]:
        def compile_half(params: Any, ctx: Any) -> Any:
            def score(obs: Observation) -> Outcome:
                if obs.value.quantity is None:
                    raise ValueError(f"half needs a number, not {obs.value.text!r}")
                return Outcome(ctx.points * obs.value.quantity.value / 3, Status.PARTLY_MET, "/3")
            return score

        return [RuleType("third", compile_half)]


def test_a_rule_without_a_kernel_is_scored_by_its_scorer() -> None:
    manager = evalcore.get_plugin_manager()
    manager.register(_NoKernel())
    registry = evalcore.Registry.from_plugins(manager)
    ind = Indicator("h", "三分", "quantity", Decimal(10), "≥1", rule="third")
    scheme = Scheme("s", (ind,), settings={"total": 10, "weights": {}})
    plan = compile_scheme(scheme, registry)
    assert plan.rows[0].rule.kernel is None
    items = [Project(ProjectInfo(f"p{i}"), scheme, None, {"h": Actual(v, reason="r")})
             for i, v in enumerate(["0.5", "0.5", "1", "x"])]
    _check(plan, items)
    got = plan.evaluate_table(table_of(items)).column("h").to_pylist()
    assert got == [Decimal("1.67"), Decimal("1.67"), Decimal("3.33"), None]


def test_without_pyarrow_the_error_names_the_batch_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    real = builtins.__import__

    def no_pyarrow(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "pyarrow" or name.startswith("pyarrow."):
            raise ImportError("No module named 'pyarrow'", name="pyarrow")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    monkeypatch.delitem(sys.modules, "pyarrow", raising=False)
    with pytest.raises(ImportError) as caught:
        _plan(Q).evaluate_table({"project": ["a"]})
    assert "pip install 'evalcore-jixiao[batch]'" in str(caught.value)
    assert isinstance(caught.value, EvalcoreError)


def test_published_scores_and_reasons_are_read_per_row() -> None:
    plan = _plan(Q, budget=Decimal(10))
    items = [Project(ProjectInfo("a", published_total=Decimal(20)), plan.scheme,
                     Budget(Decimal(100), Decimal(80), published=Decimal(8)),
                     {"q1": Actual("200批次", reason="", published=Decimal("5.5"))}),
             Project(ProjectInfo("b"), plan.scheme, Budget(Decimal(100), Decimal(120), reason="r"),
                     {"q1": Actual("600批次", reason="说明")})]
    _check(plan, items)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.floats(-1e3, 1e7, allow_nan=False, width=64),
                          st.floats(0, 1000).map(lambda x: round(x, 2)),
                          st.just(float("nan")), st.just(1e300)), min_size=1, max_size=8),
       st.lists(st.integers(-10**17, 10**17), min_size=1, max_size=4))
def test_numeric_columns_read_as_the_decimal_path_reads_them(floats: list[float],
                                                             ints: list[int]) -> None:
    """Floats (through repr, as to_decimal reads them), ints and decimals straight from the
    column, with nan and huge values going the Decimal way to their errors."""
    plan = _plan(Q, R, budget=Decimal(10))
    for values in (floats, ints, [Decimal(str(i)).scaleb(-3) for i in ints]):
        n = len(values)
        items = [Project(ProjectInfo(f"p{i}"), plan.scheme, Budget(Decimal(100), Decimal(90), reason="r"),
                         {"q1": Actual(v, reason="r"), "r1": Actual(v, reason="r")})
                 for i, v in enumerate(values)]
        table = plan.evaluate_table({"project": [p.info.name for p in items], "q1": values,
                                     "r1": values, "budget_planned": [100] * n,
                                     "budget_executed": [90.0] * n, "budget.reason": ["r"] * n,
                                     "q1.reason": ["r"] * n, "r1.reason": ["r"] * n})
        for row, (project, got) in enumerate(zip(items, table.to_pylist(), strict=True)):
            assert_same(plan, project, got, row)


def test_a_raw_score_too_long_for_int64_is_rounded_the_decimal_way() -> None:
    """0.3333333333333333 has 16 decimals: no kernel takes it, and the scorer's 40-digit raw
    score (10 × B/400 = 0.00833…) is rounded half up as Decimal, to 0.01."""
    plan = _plan(Q, R, budget=Decimal(10))
    table = plan.evaluate_table({"project": ["a"], "q1": [0.3333333333333333], "q1.reason": ["r"],
                                 "budget_planned": [100], "budget_executed": [100]})
    assert table.column("q1").to_pylist() == [Decimal("0.01")]


def test_the_whitespace_of_a_blank_reason_is_pythons() -> None:
    from evalcore.table_input import WHITESPACE

    assert set(WHITESPACE) == {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}


@pytest.mark.parametrize("reason", ["", " ", "\u3000", "\x1c\t", None, "说明", " a ", "\u200b"])
def test_a_reason_of_only_whitespace_is_none(reason: str | None) -> None:
    plan = _plan(Q)
    project = Project(ProjectInfo("a"), plan.scheme, None, {"q1": Actual("200批次", reason=reason or "")})
    table = plan.evaluate_table({"project": ["a"], "q1": ["200批次"], "q1.reason": [reason]})
    assert_same(plan, project, table.to_pylist()[0], 0)


@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=-10**30, max_value=10**30),
       st.integers(0, 100), st.integers(0, 4))
def test_one_score_is_capped_and_rounded_as_the_decimal_path_rounds_it(raw, points, decimals):
    """A score the scorer returns, capped to [0, points] and rounded half up: the integer
    arithmetic a distinct value's score takes equals the Decimal path's, however large."""
    scale = 10 ** decimals
    capped = min(max(raw, Decimal(0)), Decimal(points))
    expected = int(capped.scaleb(decimals).quantize(Decimal(1), rounding="ROUND_HALF_UP"))
    num, den = raw.as_integer_ratio()
    assert capped_half_up(num, den, points * scale, scale) == expected


def test_one_score_rounds_a_half_up_and_caps_at_the_points():
    assert capped_half_up(5, 1000, 1000, 100) == 1  # 0.005 → 0.01
    assert capped_half_up(4999, 1000000, 1000, 100) == 0  # 0.004999 → 0.00
    assert capped_half_up(1001, 100, 1000, 100) == 1000  # 10.01 of 10 points → 10
    assert capped_half_up(-3, 2, 1000, 100) == 0
