"""Every finding, word for word, about an indicator row, the funds row and the total.

The findings have one builder each in `evalcore.evaluation`, whichever row they
are about; these tests pin their texts (in both languages), the row they name
and the order they are reported in, so the texts stay what consumers have
stored. The results' JSON keeps its key order too: `Row` and `BudgetRow` share
their scored fields through `Scored`.
"""

from __future__ import annotations

import attrs
import pytest
from helpers import evaluate_text, project_toml

import evalcore
from evalcore.results import BudgetRow, Row, Scored

ROWS: list[dict[str, object]] = [
    {"id": "a", "name": "批次", "category": "quantity", "points": 30, "target": "≥100",
     "actual": "150", "published": 7},
    {"id": "b", "name": "覆盖率", "category": "quantity", "points": 30, "target": "≥100",
     "actual": "90"},
    {"id": "c", "name": "不适用项", "category": "quantity", "points": 0, "target": "/", "actual": "5"},
    {"id": "d", "name": "无实际值", "category": "quality", "points": 30, "target": "≥100"},
]

INDICATOR_FINDINGS = [
    ("overachievement",
     "a 批次: the target was beaten by a ratio of 150% (actual/target, or target/actual for an "
     "upper limit), above 120%; was the target set too loosely? No bonus is given; explain the "
     "deviation",
     "批次：完成程度为目标的150%（上限类指标按目标值/实际值计），超过120%，请说明目标是否设置偏低（超额完成不加分）",
     "a"),
    ("published-differs", "a 批次: published score 7, computed 30", "批次：公布得分7，计算得分30", "a"),
    ("missing-reason", "b 覆盖率: the target was not met and no reason for the deviation is given",
     "覆盖率：未完成目标，但未填写偏差原因分析及改进措施", "b"),
    ("ignored-actual",
     "c 不适用项: the row does not apply (target \"/\"), so its actual value '5' is ignored",
     "不适用项：本项不适用，其实际完成值“5”不计分", "c"),
    ("missing-actual", "d 无实际值: no actual value; scored 0", "无实际值：缺少实际完成值，按0分计", "d"),
]

FUNDS_FINDINGS = {
    "overspent": (
        {"points": 10, "planned": 100, "executed": 120, "published": 5},
        [("published-differs", "budget: published score 5, computed 10",
          "预算执行率：公布得分5，计算得分10", "budget"),
         ("overspent", "budget: executed 120 of a full-year budget of 100 万元 (120%): spending "
          "above the budget earns nothing extra; check the figures",
          "预算执行率：全年执行数120超过全年预算数100（120%），超支不加分，请核实", "budget"),
         ("published-differs", "the published total 55 differs from the computed 67",
          "公布的总分 55 与计算所得 67 不一致", None)]),
    "underspent": (
        {"points": 10, "planned": 100, "executed": 50, "published": 3},
        [("published-differs", "budget: published score 3, computed 5",
          "预算执行率：公布得分3，计算得分5", "budget"),
         ("missing-reason", "budget: the execution rate 50% is below 100% and no reason is given",
          "预算执行率50%，低于100%，但未填写原因", "budget"),
         ("published-differs", "the published total 55 differs from the computed 62",
          "公布的总分 55 与计算所得 62 不一致", None)]),
    "no figures": (
        {"points": 10, "unit": "万元"},
        [("missing-actual", "budget: the full-year budget or the amount executed is missing; the "
          "execution rate scores 0",
          "预算执行率：缺少全年预算数或全年执行数，按0分计", "budget"),
         ("published-differs", "the published total 55 differs from the computed 57",
          "公布的总分 55 与计算所得 57 不一致", None)]),
}


def _evaluate(registry: evalcore.Registry, budget: dict[str, object]) -> evalcore.Evaluation:
    text = project_toml(ROWS, budget=budget).replace("[project]\n", "[project]\npublished = 55\n", 1)
    return evaluate_text(text, registry)


@pytest.mark.parametrize("case", sorted(FUNDS_FINDINGS))
def test_every_finding_is_worded_and_ordered_as_before(registry, case):
    budget, funds = FUNDS_FINDINGS[case]
    ev = _evaluate(registry, budget)
    found = [(f.code, f.message_en, f.message_zh, f.indicator) for f in ev.findings
             if f.code != "scheme-warning"]
    assert found == INDICATOR_FINDINGS + funds


def test_rows_share_the_scored_fields_and_keep_their_json_key_order(registry):
    ev = _evaluate(registry, FUNDS_FINDINGS["overspent"][0])
    scored = [f.name for f in attrs.fields(Scored)]
    assert issubclass(Row, Scored) and issubclass(BudgetRow, Scored)
    data = ev.to_dict()
    assert list(data["indicators"][0]) == [
        "id", "name", "category", "category_zh", "group", "group_zh", "target", "actual",
        *scored[:6], "reason", "published", "reviewed", "reviewed_reason"]
    assert list(data["budget"]) == [
        "name", "unit", "initial", "planned", "executed", "rate", *scored[:6], "sources", "reason",
        "published", "reviewed", "reviewed_reason"]
    assert scored == ["points", "score", "status", "explanation_zh", "explanation_en", "trace",
                      "reason", "published", "reviewed", "reviewed_reason"]
    assert evalcore.Evaluation.from_dict(data) == ev


def test_rows_that_score_nothing_keep_their_reason_and_published_score(registry):
    ev = _evaluate(registry, FUNDS_FINDINGS["no figures"][0])
    by_id = {r.id: r for r in ev.rows}
    assert (by_id["c"].points, by_id["c"].actual, by_id["c"].status) == (0, "/", "not-applicable")
    assert (by_id["d"].score, by_id["d"].lost, by_id["d"].explanation_en) == (
        0, 30, "no actual value: all 30 points lost")
    assert ev.budget is not None
    assert (ev.budget.status, ev.budget.rate, ev.budget.explanation_en) == (
        "missing", None, "no budget figures: all 10 points lost")
    assert ev.budget.lost == 10
