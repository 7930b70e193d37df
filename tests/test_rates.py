"""The framework's formulas (财预〔2020〕10号's 指标体系框架): 资金到位率, the 过程 预算执行率,
质量达标率, and the presets 实际完成率, 成本节约率 and 完成及时性.

Plain examples pin each formula at its edges, the trace and every error; Hypothesis properties
check that a rate score stays within [0, points], never falls as the rate rises, and that
资金到位率 at or above 100% earns full marks.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from helpers import evaluate_text, project_toml
from hypothesis import given, settings
from hypothesis import strategies as st
from test_columnar import _check

import evalcore
from evalcore import Status
from evalcore.compiler import compile_scheme
from evalcore.model import Actual, Budget, Project, ProjectInfo, Scheme
from evalcore.plugin import Comparator, Indicator
from evalcore.schema import json_schema
from evalcore.testing import check_rule_laws

D = Decimal
TWO = {"decimals": 2}
BUDGET = {"planned": 500, "received": 480, "executed": 450, "unit": "万元"}


def funds_row(registry: evalcore.Registry, rule: str, budget: dict[str, object] | None = None, *,
              target: str | None = "100%", **row: object) -> evalcore.Evaluation:
    """One row worth 10 scored from the funds block; a filler row carries the other 90."""
    ind: dict[str, object] = {"id": "f", "name": "资金到位率", "category": "quality", "points": 10,
                              "rule": rule, **row}
    if target is not None:
        ind["target"] = target
    filler = {"id": "filler", "name": "其他", "category": "quantity", "points": 90, "target": "≥1",
              "actual": "1"}
    return evaluate_text(project_toml([ind, filler], budget=budget, settings=TWO), registry)


def problems(info: pytest.ExceptionInfo[evalcore.EvalcoreError]) -> list[str]:
    return [p.message for p in info.value.problems]


# --- 资金到位率 (arrival-rate) ---------------------------------------------------------------------


@pytest.mark.parametrize(("received", "score", "status", "formula"), [
    (480, "9.60", Status.PARTLY_MET, "480/500 = 96%; 10 × 96% = 9.6"),
    (500, "10.00", Status.MET, "500/500 = 100%; 10"),
    (520, "10.00", Status.MET, "520/500 = 104% > 100% → counted as 100%; 10"),
    (0, "0.00", Status.MISSED, "0/500 = 0%; 10 × 0% = 0"),
    (0.499, "0.01", Status.PARTLY_MET, "0.499/500 = 0.0998%; 10 × 0.0998% = 0.00998"),
    (0.45, "0.01", Status.PARTLY_MET, "0.45/500 = 0.09%; 10 × 0.09% = 0.009"),  # half up
])
def test_arrival_rate_is_received_over_planned_capped_at_full_marks(registry, received, score, status,
                                                                      formula):
    result = funds_row(registry, "arrival-rate", {**BUDGET, "received": received})
    row = result.rows[0]
    assert (row.score, row.status, row.trace.formula) == (D(score), status, formula)


def test_arrival_rate_row_shows_the_rate_and_the_figures(registry):
    row = funds_row(registry, "arrival-rate", BUDGET).rows[0]
    assert row.actual == "96%"
    assert row.explanation_zh == ("预算资金500万元，实际到位资金480万元，资金到位率96%，部分达成；"
                                  "480/500 = 96%；10 × 96% = 9.6，扣0.4分")
    assert row.explanation_en.startswith("funds arrival rate 480/500 万元 = 96%: partly met; ")
    assert row.trace.rule == "arrival-rate" and row.trace.formula_zh == "480/500 = 96%；10 × 96% = 9.6"


def test_spending_rate_is_executed_over_received_not_over_the_budget(registry):
    row = funds_row(registry, "spending-rate", BUDGET).rows[0]
    assert (row.score, row.trace.formula) == (D("9.38"), "450/480 = 93.75%; 10 × 93.75% = 9.375")
    assert row.explanation_zh.startswith("实际到位资金480万元，实际支出资金450万元，"
                                         "预算执行率（实际支出/实际到位）93.75%")
    full = funds_row(registry, "spending-rate", {**BUDGET, "executed": 480}).rows[0]
    assert (full.score, full.status) == (D("10.00"), Status.MET)  # 480/500 = 96% by execution-rate


def test_a_funds_rate_may_be_stepped_by_bands(registry):
    bands = [{"id": "full", "when": ">= 1", "share": 1}, {"id": "high", "when": "[0.9, 1)", "share": 0.8},
             {"id": "low", "when": "< 0.9", "share": 0}]
    row = funds_row(registry, "arrival-rate", BUDGET, params={"bands": bands}).rows[0]
    assert (row.score, row.trace.matched) == (D("8.00"), "high")


def test_a_funds_row_without_a_budget_block_scores_0_with_a_finding(registry):
    result = funds_row(registry, "arrival-rate", None)
    assert (result.rows[0].score, result.rows[0].status) == (D("0.00"), Status.MISSING)
    (found,) = [f for f in result.findings if f.code == "missing-actual"]
    assert found.message_zh == "资金到位率：缺少资金数据（[budget]），按0分计"
    assert found.message_en == "f 资金到位率: no [budget] block, which this row is scored from; scored 0"


@pytest.mark.parametrize(("rule", "budget", "message"), [
    ("arrival-rate", {"planned": 500, "executed": 450},
     "[budget] received (实际到位资金) is missing: 资金到位率 needs the funds received (received)"),
    ("arrival-rate", {"received": 480, "executed": 450},
     "[budget] planned (预算资金) is missing: 资金到位率 needs the budget (planned)"),
    ("spending-rate", {"planned": 500, "received": 480},
     "[budget] executed (实际支出资金) is missing: 预算执行率（实际支出/实际到位） needs the funds "
     "spent (executed)"),
    ("arrival-rate", {"planned": 0, "received": 0, "executed": 0},
     "资金到位率 = 实际到位资金 / 预算资金 cannot be computed: [budget] planned (the budget (planned)) "
     "is 0; if the row does not apply, write \"/\" as its target"),
    ("spending-rate", {"planned": 500, "received": 0, "executed": 0},
     "预算执行率（实际支出/实际到位） = 实际支出资金 / 实际到位资金 cannot be computed: [budget] received "
     "(the funds received (received)) is 0; if the row does not apply, write \"/\" as its target"),
])
def test_missing_or_zero_figures_are_errors_located_at_the_budget(registry, rule, budget, message):
    with pytest.raises(evalcore.EvaluationError) as info:
        funds_row(registry, rule, budget)
    (only,) = info.value.problems
    assert only.message == message
    assert str(only).startswith("project.toml:") and "budget" in str(only.origin.path)


def test_a_negative_received_is_refused_by_the_reader(registry):
    with pytest.raises(evalcore.EvalcoreError) as info:
        funds_row(registry, "arrival-rate", {**BUDGET, "received": -1})
    assert problems(info) == ["received cannot be negative (-1)"]


def test_a_funds_row_refuses_an_actual_value_of_its_own(registry):
    with pytest.raises(evalcore.EvaluationError) as info:
        funds_row(registry, "arrival-rate", BUDGET, actual="96%")
    (only,) = info.value.problems
    assert only.message == ("rule 'arrival-rate' scores this row from the funds block ([budget]); its "
                            "own actual value is not used")
    assert only.hint == "leave out actual (and extra, assessed) for this row; give the amounts in [budget]"


@pytest.mark.parametrize("target", ["≥95%", "100万元", "≤100%", "2022-12-31"])
def test_a_funds_rate_target_other_than_100_percent_is_refused(registry, target):
    with pytest.raises(evalcore.ValidationError) as info:
        funds_row(registry, "arrival-rate", BUDGET, target=target)
    (message,) = problems(info)
    assert message.startswith("rule 'arrival-rate': 资金到位率 is scored against 100% (w × min(rate, 1), "
                              "or bands), so the target ")
    assert message.endswith(" would mislead; write \"100%\" or leave the target out")


@pytest.mark.parametrize("target", ["=100%", "充分", "100%"])
def test_a_funds_rate_takes_100_percent_words_or_no_target(registry, target):
    assert funds_row(registry, "arrival-rate", BUDGET, target=target).rows[0].score == D("9.60")


def test_execution_rate_still_cannot_score_an_indicator_row(registry):
    with pytest.raises(evalcore.ValidationError) as info:
        funds_row(registry, "execution-rate", None)
    assert problems(info) == ["rule 'execution-rate' scores the funds block ([budget]); it cannot "
                              "score this row"]


def test_a_budget_without_points_is_still_refused_when_no_row_reads_it(registry):
    text = project_toml([{"id": "x", "name": "x", "category": "quantity", "points": 100,
                          "target": "≥1", "actual": "1"}], budget=BUDGET, settings=TWO)
    with pytest.raises(evalcore.EvalcoreError) as info:
        evaluate_text(text, registry)
    assert problems(info) == ["[budget] needs points: the weight of the budget-execution row, e.g. "
                              "points = 10"]


_FUNDS_IND = Indicator("f", "资金到位率", "quality", D(10), "100%", rule="arrival-rate")
_SPEND_IND = Indicator("s", "预算执行率", "quality", D(10), "100%", rule="spending-rate")
_REST = Indicator("y", "其他", "quantity", D(80), "≥1")
_FUNDS_SCHEME = Scheme("s", (_FUNDS_IND, _SPEND_IND, _REST),
                       settings={"total": D(100), "weights": {}, "decimals": 2})
_AMOUNTS = st.sampled_from([None, D(0), D(450), D("479.5"), D(480), D(500), D(520)])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.booleans(), _AMOUNTS, _AMOUNTS, _AMOUNTS, st.sampled_from(["", "r"]),
                          # one precision: a decimal column holds every value at its scale
                          st.sampled_from([None, D("9.60"), D("10.00"), D("0.00")]), st.booleans()),
                min_size=1, max_size=6))
def test_a_table_scores_rows_from_the_funds_block_as_each_project_does(registry, drawn):
    """资金到位率 and the 过程 预算执行率 in a table (``budget_planned``, ``budget_executed``,
    ``budget_received``): each project as `Plan.evaluate` scores it, findings and errors too,
    with or without [budget], with figures missing (the rule's problem), a reason, a
    published score, or the row's own actual value (refused)."""
    plan = compile_scheme(_FUNDS_SCHEME, registry)
    items = []
    for i, (has_budget, planned, executed, received, reason, published, own) in enumerate(drawn):
        # A table's row with none of the three figures has no [budget] (a project file may
        # give one without figures, which its rules then refuse): the two are one here.
        has_budget = has_budget and not (planned is None and executed is None and received is None)
        budget = Budget(planned, executed, received=received) if has_budget else None
        actuals = {"y": Actual("1"), "f": Actual("96%" if own else None, reason=reason,
                                               published=published),
                   "s": Actual(None, reason=reason)}
        items.append(Project(ProjectInfo(f"p{i}"), _FUNDS_SCHEME, budget, actuals))
    _check(plan, items)


def test_a_table_reports_a_funds_figure_it_cannot_read_once_at_its_cell(registry):
    plan = compile_scheme(_FUNDS_SCHEME, registry)
    table = plan.evaluate_table({"project": ["a", "b"], "y": ["1", "1"],
                                 "budget_planned": [500, 500], "budget_executed": [450, 450],
                                 "budget_received": ["四百八", "480"]})
    bad, good = table.to_pylist()
    assert len(bad["errors"]) == 1 and "row[0].budget_received" in bad["errors"][0]
    assert bad["total"] is None and good["errors"] == []
    assert good["f"] == D("9.60") and good["s"] == D("9.38")  # 480/500; 450/480 = 93.75%


def test_a_table_without_funds_figures_scores_the_rows_0_as_missing(registry):
    plan = compile_scheme(_FUNDS_SCHEME, registry)
    (row,) = plan.evaluate_table({"project": ["a"], "y": ["1"]}).to_pylist()
    assert row["f"] == row["s"] == D("0.00") and row["errors"] == []
    assert [f["message"] for f in row["findings"] if f["code"] == "missing-actual"] == [
        "资金到位率：缺少资金数据（[budget]），按0分计", "预算执行率：缺少资金数据（[budget]），按0分计"]


def test_the_schema_documents_received():
    props = json_schema()["$defs"]["budget-project"]["properties"]
    assert "received" in props and "实际到位资金" in props["received"]["description"]


# --- 质量达标率 (quality-rate) ---------------------------------------------------------------------


def quality(registry: evalcore.Registry, target: str, actual: str | None = None,
            extra: dict[str, Any] | None = None) -> evalcore.Row:
    row: dict[str, object] = {"id": "q", "name": "质量达标率", "category": "quality", "points": 10,
                              "target": target, "rule": "quality-rate"}
    if actual is not None:
        row["actual"] = actual
    if extra is not None:
        row["extra"] = extra
    filler = {"id": "filler", "name": "其他", "category": "quantity", "points": 90, "target": "≥1",
              "actual": "1"}
    return evaluate_text(project_toml([row, filler], settings=TWO), registry).rows[0]


@pytest.mark.parametrize(("target", "actual", "extra", "score", "status", "formula"), [
    ("≥95%", None, {"passed": 90, "produced": 100}, "9.47", Status.PARTLY_MET,
     "90/100 = 90%; 10 × 90/95 = ≈9.473684"),
    ("≥95%", None, {"passed": 95, "produced": 100}, "10.00", Status.MET, "95/100 = 95% ≥ 95% → 10"),
    ("≥95%", None, {"passed": 0, "produced": 100}, "0.00", Status.MISSED, "0/100 = 0%; 10 × 0/95 = 0"),
    ("100%", None, {"passed": 100, "produced": 100}, "10.00", Status.MET, "100/100 = 100% ≥ 100% → 10"),
    ("≥95%", "98%", None, "10.00", Status.MET, "B = 98% ≥ 95% → 10"),
    ("≥95%", "76%", None, "8.00", Status.PARTLY_MET, "B = 76%; 10 × 76/95 = 8"),
])
def test_quality_rate_from_counts_or_from_the_actual(registry, target, actual, extra, score, status,
                                                     formula):
    row = quality(registry, target, actual, extra)
    assert (row.score, row.status, row.trace.formula) == (D(score), status, formula)


@pytest.mark.parametrize(("extra", "message"), [
    ({"passed": 90, "produced": 100, "made": 3},
     "extra.made is not a count of the quality rate; give passed (质量达标产出数) and produced (实际产出数)"),
    ({"passed": 101, "produced": 100},
     "extra: passed 101 of produced 100 is not a rate: produced must be above 0 and passed between 0 "
     "and produced"),
    ({"passed": 0, "produced": 0},
     "extra: passed 0 of produced 0 is not a rate: produced must be above 0 and passed between 0 and "
     "produced"),
    ({"passed": 90}, "extra.produced is missing"),
    ({"passed": "九十", "produced": 100}, "extra.passed: '九十' is not a number"),
])
def test_quality_rate_counts_are_checked(registry, extra, message):
    with pytest.raises(evalcore.EvaluationError) as info:
        quality(registry, "≥95%", None, extra)
    assert problems(info) == [message]


@pytest.mark.parametrize(("target", "message"), [
    ("≥95批次", "rule 'quality-rate': the quality-rate rule needs a target rate in % above 0 (e.g. "
               "\"≥95%\"), not ≥95批次"),
    ("≥0%", "rule 'quality-rate': the quality-rate rule needs a target rate in % above 0 (e.g. "
            "\"≥95%\"), not ≥0%"),
    ("≤5%", "rule 'quality-rate': a 质量达标率 is better the higher it is; the target ≤5% asks for at "
            "most a rate"),
    ("合格", "rule 'quality-rate': needs a numeric target, not '合格'"),
])
def test_quality_rate_targets_are_checked(registry, target, message):
    with pytest.raises(evalcore.ValidationError) as info:
        quality(registry, target, "98%")
    assert problems(info) == [message]


# --- the presets ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("rule", "category", "target", "actual", "score", "formula"), [
    ("completion", "quantity", "≥400批次", "300批次", "7.50", "10 × 300/400 = 7.5"),
    ("completion", "quantity", "≥400批次", "420批次", "10.00", "10"),
    ("cost-saving", "cost", "≤500万元", "450万元", "10.00", "10"),
    ("cost-saving", "cost", "≤500万元", "550万元", "9.00", "10 × (1 − (550 − 500)/500) = 9"),
    ("cost-saving", "cost", "≤500万元", "1000万元", "0.00", "10 × (1 − (1000 − 500)/500) = 0"),
    ("cost-saving", "cost", "≤500万元", "1200万元", "0.00", "10 × (1 − (1200 − 500)/500) = 0"),
    ("on-time", "timeliness", "≤180天", "200天", "9.00", "10 × 180/200 = 9"),
    ("on-time", "timeliness", "≤180天", "150天", "10.00", "10"),
])
def test_presets_score_by_their_national_rule(registry, rule, category, target, actual, score, formula):
    row: dict[str, object] = {"id": "p", "name": "指标", "category": category, "points": 10,
                              "target": target, "actual": actual, "rule": rule}
    filler = {"id": "filler", "name": "其他", "category": "quantity", "points": 90, "target": "≥1",
              "actual": "1"}
    got = evaluate_text(project_toml([row, filler], settings=TWO), registry).rows[0]
    assert got.score == D(score)
    assert formula in got.trace.formula
    assert got.trace.via == rule


# --- properties ----------------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=10**6, places=2)
positive_amounts = st.decimals(min_value=D("0.01"), max_value=10**6, places=2)


def _funds_plan(registry: evalcore.Registry, rule: str) -> Any:
    ind = Indicator("f", "资金到位率", "quality", D(10), "100%", rule=rule)
    rest = Indicator("y", "其他", "quantity", D(90), "≥1")
    scheme = Scheme("s", (ind, rest), settings={"total": D(100), "weights": {}, "decimals": 2})
    return scheme, compile_scheme(scheme, registry)


def _with(scheme: Scheme, planned: Decimal, received: Decimal, executed: Decimal) -> Project:
    return Project(ProjectInfo("p"), scheme, Budget(planned, executed, received=received),
                   {"y": Actual("1")})


@settings(max_examples=60, deadline=None)
@given(planned=positive_amounts, received=amounts, more=amounts)
def test_arrival_rate_stays_in_range_rises_with_received_and_is_full_from_100_percent(
        registry, planned, received, more):
    scheme, plan = _funds_plan(registry, "arrival-rate")
    low = plan.evaluate(_with(scheme, planned, received, D(0))).rows[0]
    high = plan.evaluate(_with(scheme, planned, received + more, D(0))).rows[0]
    assert 0 <= low.score <= high.score <= 10
    if received >= planned:
        assert (low.score, low.status) == (D("10.00"), Status.MET)
    else:
        assert low.status is not Status.MET


@settings(max_examples=40, deadline=None)
@given(received=positive_amounts, executed=amounts, more=amounts)
def test_spending_rate_stays_in_range_and_rises_with_spending(registry, received, executed, more):
    scheme, plan = _funds_plan(registry, "spending-rate")
    low = plan.evaluate(_with(scheme, D(1), received, executed)).rows[0]
    high = plan.evaluate(_with(scheme, D(1), received, executed + more)).rows[0]
    assert 0 <= low.score <= high.score <= 10
    if executed >= received:
        assert (low.score, low.status) == (D("10.00"), Status.MET)
    else:
        assert low.status is not Status.MET


# --- the laws of evalcore.testing for the presets -------------------------------------------------


@pytest.mark.parametrize(("rule", "comparators"), [
    ("completion", (Comparator.GE, Comparator.GT)),
    ("cost-saving", (Comparator.LE, Comparator.LT)),
    ("on-time", (Comparator.LE, Comparator.LT)),
])
def test_the_presets_obey_every_law_of_their_direction(registry, rule, comparators):
    check_rule_laws(rule, registry=registry, comparators=comparators, max_examples=25)


RATES_FILE = """[project]
name = "rates"
year = 2022
[settings]
weights = {{}}
total = 20

[budget]
planned = 500
{received}
executed = 450
unit = "{unit}"

[[indicator]]
id = "arrival"
name = "资金到位率"
category = "质量指标"
target = "100%"
points = 10
rule = "arrival-rate"

[[indicator]]
id = "spending"
name = "预算执行率"
category = "质量指标"
target = "100%"
points = 10
rule = "spending-rate"
"""


@pytest.mark.parametrize(("received", "unit", "expected"), [
    # a refused figure is one problem, not also "missing" for each rate that reads it
    ("received = -1", "万元", ["budget.received: error: received cannot be negative (-1)"]),
    ("received = nan", "万元", ["budget.received: error: received: nan is not a finite number"]),
    # a figure really missing is still said beside an unrelated mistake of the block
    ("", "万圆", ["budget: error: [budget] received (实际到位资金) is missing: 资金到位率",
                 "budget: error: [budget] received (实际到位资金) is missing: 预算执行率",
                 "budget.unit: error: unknown unit '万圆'"]),
])
def test_a_refused_funds_figure_is_reported_once(tmp_path, received, unit, expected):
    path = tmp_path / "rates.toml"
    path.write_text(RATES_FILE.format(received=received, unit=unit), encoding="utf-8")
    with pytest.raises(evalcore.EvalcoreError) as info:
        evalcore.validate(path)
    found = [str(p).split(": ", 1)[1] for p in info.value.problems]
    assert len(found) == len(expected)
    assert all(line.startswith(start) for line, start in zip(found, expected, strict=True))
