"""`evalcore explain`: one row's trace in words."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES

import evalcore
from evalcore.cli import main
from evalcore.explain import explain

GANZHOU = EXAMPLES / "ganzhou-2021" / "project.toml"


@pytest.fixture(scope="module")
def result():
    return evalcore.evaluate(evalcore.load_project(GANZHOU))


def test_explain_shows_rule_band_formula_and_rounding(result):
    text = explain(result, "t2", "en")
    assert "rule:        qualitative (chosen by standard)" in text
    assert "matched:     partly" in text
    assert "assessed 7 ∈ [6, 8)" in text
    assert "result:      7 of 10" in text
    assert "reason:      2018年机构改革" in text


def test_explain_in_chinese_has_the_chinese_trace_and_nothing_english(result):
    text = explain(result, "t2")
    assert "规则：qualitative（由 standard 选定）" in text
    assert "计算：评定得分7 ∈ [6, 8)" in text
    assert "结果：7（满分10）" in text and "偏差原因：2018年机构改革" in text
    assert "assessed" not in text and "explanation" not in text


def test_explain_takes_only_the_two_languages(result):
    with pytest.raises(evalcore.EvalcoreError, match="the languages are zh, en"):
        explain(result, "t2", "cn")


def test_explain_finds_a_row_by_name_and_the_budget_row(result):
    assert explain(result, "产品质量监督抽检批次").startswith("q1 ")
    budget = explain(result, "budget", "en")
    assert "492.99135/500 = 98.59827%" in budget
    assert "raw 9.859827 → rounded half up to 0 decimals: 10" in budget
    chinese = explain(result, "budget")
    assert "计算得9.859827 → 四舍五入保留0位小数：10" in chinese


def test_explain_an_unknown_indicator_suggests_a_near_one(result):
    with pytest.raises(evalcore.EvalcoreError) as info:
        explain(result, "ql3")
    assert "did you mean" in str(info.value) and "'ql1'" in str(info.value)


def test_explain_command_prints_the_trace_and_exits_2_for_an_unknown_row(capsys):
    assert main(["explain", str(GANZHOU), "q1"]) == 0
    assert "产品质量监督抽检批次" in capsys.readouterr().out
    assert main(["explain", str(GANZHOU), "nope"]) == 2
    assert "no indicator 'nope'" in capsys.readouterr().err
