"""The language contract: ``lang`` is "zh" (the default) or "en", a renderer option, an
argument of `evalcore.render`, and ``--lang`` on evaluate, explain, validate, test and batch.

Words change with the language; numbers never do. A rule that gives only ``formula`` (a
third-party rule written before Outcome had words in both languages) keeps working: its
formula shows in both explanations.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import project_toml, run, single, write
from hypothesis import given, settings
from hypothesis import strategies as st

import evalcore
from evalcore import testing
from evalcore.plugin import Outcome, Param, Renderer, RuleType, Status, hookimpl
from evalcore.plugins import get_plugin_manager

ROOT = Path(__file__).resolve().parent.parent
GANZHOU = ROOT / "examples" / "ganzhou-2021" / "project.toml"
TEXT_FORMATS = ("table", "markdown", "csv", "json")


@pytest.fixture(scope="module")
def ganzhou() -> evalcore.Evaluation:
    return evalcore.evaluate(evalcore.load_project(GANZHOU))




# -- evalcore.render ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_lang_is_the_renderers_option_and_chinese_by_default(ganzhou, fmt):
    zh = evalcore.render(ganzhou, fmt)
    assert evalcore.render(ganzhou, fmt, lang="zh") == zh
    assert evalcore.render(ganzhou, fmt, options={"lang": "zh"}) == zh
    assert evalcore.render(ganzhou, fmt, lang="en") == evalcore.render(ganzhou, fmt,
                                                                        options={"lang": "en"})
    assert evalcore.render(ganzhou, fmt, options={"lang": "en"}, lang="en") == \
        evalcore.render(ganzhou, fmt, lang="en")


@pytest.mark.parametrize("fmt", ("table", "markdown", "csv"))
def test_english_and_chinese_outputs_differ_in_words(ganzhou, fmt):
    zh, en = evalcore.render(ganzhou, fmt), str(evalcore.render(ganzhou, fmt, lang="en"))
    assert zh != en
    assert "Level-1 indicator" in en and "Reasons for deviation and measures" in en
    assert "一级指标" in zh and "Level-1" not in zh


def test_json_carries_both_languages_whatever_lang_is(ganzhou):
    assert evalcore.render(ganzhou, "json", lang="en") == evalcore.render(ganzhou, "json")


def test_the_english_table_has_english_labels_grade_and_explanations(ganzhou):
    en = str(evalcore.render(ganzhou, "table", lang="en"))
    for words in ("Project Expenditure Performance Self-Evaluation Form (2021)", "Project",
                  "Budget at start of year", "Full-year budget", "Executed", "Points",
                  "Execution rate", "Score", "Annual target", "Actual", "Points lost (every one):",
                  "assessed 7 ∈ [6, 8): 3 of 10 points lost", "Total 97 / 100, grade: excellent"):
        assert words in en, words
    assert "自评等级" not in en and "优" not in en


def test_a_language_given_twice_differently_is_an_error(ganzhou):
    with pytest.raises(evalcore.EvalcoreError, match="lang is given twice"):
        evalcore.render(ganzhou, "table", options={"lang": "zh"}, lang="en")


@pytest.mark.parametrize(("lang", "hint"), [("fr", None), ("zn", "did you mean 'zh'"),
                                            ("zh-CN", "did you mean 'zh'"),
                                            ("English", "did you mean 'en'")])
def test_a_language_other_than_zh_or_en_is_a_clear_error(ganzhou, lang, hint):
    with pytest.raises(evalcore.EvalcoreError) as info:
        evalcore.render(ganzhou, "markdown", lang=lang)
    message = str(info.value)
    assert "is not one of zh, en" in message
    assert hint is None or hint in message


class _Plain:
    """A plugin format that takes no options at all."""

    @hookimpl
    def evalcore_renderers(self) -> list[Renderer]:
        return [Renderer("plain", lambda e: f"{e.total}\n")]


def test_a_plugin_format_without_a_lang_option_refuses_one(ganzhou):
    registry = evalcore.Registry.from_plugins(get_plugin_manager(plugins=[_Plain()]))
    assert evalcore.render(ganzhou, "plain", registry) == "97\n"
    with pytest.raises(evalcore.EvalcoreError, match="no parameter 'lang'"):
        evalcore.render(ganzhou, "plain", registry, lang="en")


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_the_language_changes_words_never_numbers(data, registry):
    scheme = data.draw(testing.schemes(registry=registry))
    project = data.draw(testing.projects(scheme, missing=data.draw(st.booleans())))
    result = evalcore.compile(scheme, registry).evaluate(project)
    zh, en = (list(csv.reader(io.StringIO(str(evalcore.render(result, "csv", lang=lang)))))
              for lang in ("zh", "en"))
    assert len(zh) == len(en)
    for a, b in zip(zh[1:], en[1:], strict=True):  # the header is words
        assert (a[0], a[5], a[6], a[7]) == (b[0], b[5], b[6], b[7])  # id, actual, points, score


# -- a rule that gives only `formula` --------------------------------------------------------------


class _OldRule:
    """A rule written before Outcome had `formula_zh`/`formula_en`."""

    @hookimpl
    def evalcore_rule_types(self) -> list[RuleType]:
        def compile_half(params, ctx):
            return lambda obs: Outcome(ctx.points / 2, Status.PARTLY_MET, "half → 50", "一半",
                                       "half")  # a formula in words, as such a rule may have
        return [RuleType("half", compile_half, (Param("unused", str, ""),))]


def test_a_rule_that_gives_only_formula_shows_it_in_both_languages(tmp_path):
    registry = evalcore.Registry.from_plugins(
        get_plugin_manager(plugins=[_OldRule()]))
    path = write(tmp_path / "p.toml", project_toml(single("≥10个", "7个", rule="half")))
    result = evalcore.evaluate(evalcore.load_project(path, registry=registry), registry)
    row = result.rows[0]
    assert row.score == Decimal(50)
    assert "half → 50" in row.explanation_zh and "half → 50" in row.explanation_en
    assert row.trace.formula == "half → 50" and row.trace.formula_zh == ""
    assert row.trace.formula_in("zh") == row.trace.formula_in("en") == "half → 50"


def test_a_rule_with_both_wordings_keeps_the_english_one_in_the_trace(ganzhou):
    t2 = next(r for r in ganzhou.rows if r.id == "t2")
    assert t2.trace.formula == "assessed 7 ∈ [6, 8)"  # what golden cases match
    assert t2.trace.formula_zh == "评定得分7 ∈ [6, 8)"
    assert "评定得分7 ∈ [6, 8)" in t2.explanation_zh and "assessed" not in t2.explanation_zh
    assert "assessed 7 ∈ [6, 8)" in t2.explanation_en


def test_an_english_formula_expectation_or_a_chinese_one_matches_a_golden_case(tmp_path, registry):
    from evalcore.golden import load_cases, run_case

    text = "\n".join([
        "[[case]]", 'name = "assessed"', "[case.indicator]", 'category = "quality"',
        'target = "按期完成"', 'actual = "未按期完成"', "assessed = 7", "points = 10",
        'reason = "r"', "[case.expect]", 'formula = "{}"', ""])
    for formula, passes in (("assessed 7", True), ("评定得分7", True), ("得分 7 分", False)):
        case, = load_cases(write(tmp_path / "c.toml", text.replace("{}", formula)))
        assert (run_case(case, registry) == []) is passes, formula


# -- the command line -----------------------------------------------------------------------------


def test_evaluate_prints_chinese_by_default_and_english_with_lang_en(capsys):
    code, zh, _ = run(capsys, "evaluate", GANZHOU)
    assert code == 0 and zh.rstrip().endswith("总分 97 / 100，自评等级：优")
    code, en, _ = run(capsys, "evaluate", GANZHOU, "--lang", "en", "-f", "markdown")
    assert code == 0 and en.rstrip().endswith("**Total 97 / 100, grade: excellent**")


def test_the_command_line_takes_only_zh_or_en(capsys):
    code, _, err = run(capsys, "evaluate", GANZHOU, "--lang", "xx")
    assert code == 2 and "invalid choice: 'xx'" in err


def test_explain_prints_one_language(capsys):
    code, zh, _ = run(capsys, "explain", GANZHOU, "t2")
    assert code == 0 and "计算：评定得分7 ∈ [6, 8)" in zh and "formula:" not in zh
    code, en, _ = run(capsys, "explain", GANZHOU, "t2", "--lang", "en")
    assert code == 0 and "formula:     assessed 7 ∈ [6, 8)" in en and "计算" not in en


def test_validate_words_its_warnings_in_the_language_asked(capsys, tmp_path):
    path = write(tmp_path / "p.toml", project_toml(single("≥10个", "7个", points=100)))
    code, _, zh = run(capsys, "validate", path)
    assert code == 0 and "提示：指标：未完成目标，但未填写偏差原因分析及改进措施" in zh, zh
    assert "提示：产出指标合计100分，评价规则“national-2020”默认为50分" in zh
    code, _, en = run(capsys, "validate", path, "--lang", "en")
    assert code == 0 and "warning: x 指标: the target was not met and no reason" in en, en
    assert "warning: level 1 'outputs' carries 100 points" in en


def test_test_shows_a_failing_rows_explanation_in_the_language_asked(capsys, tmp_path):
    path = write(tmp_path / "wrong.toml", "\n".join([
        "[[case]]", 'name = "wrong"', "[case.indicator]", 'category = "quantity"',
        'target = "≥400批次"', 'actual = "300批次"', "points = 10", 'reason = "r"',
        "[case.expect]", 'score = "7.5"', ""]))
    code, zh, _ = run(capsys, "test", path)
    assert code == 1 and "     说明：目标≥400批次，实际300批次，部分达成；10 × 300/400 = 7.5，扣2.5分" in zh
    code, en, _ = run(capsys, "test", path, "--lang", "en")
    assert code == 1 and "     explanation: target ≥400批次, actual 300批次: partly met" in en


def test_batch_prints_its_summary_in_the_language_asked(capsys, tmp_path):
    pytest.importorskip("pyarrow")
    lines = (ROOT / "examples" / "portfolio" / "projects.csv").read_text(encoding="utf-8").splitlines()
    small = write(tmp_path / "projects.csv", "\n".join(lines[:6]) + "\n")
    scheme = ROOT / "examples" / "portfolio" / "scheme.toml"
    code, zh, _ = run(capsys, "batch", small, "--scheme", scheme, "-o", tmp_path / "zh.jsonl")
    assert code == 0 and zh.startswith("共5个项目：") and "按等级：优" in zh
    code, en, _ = run(capsys, "batch", small, "--scheme", scheme, "-o", tmp_path / "en.jsonl",
                      "--lang", "en")
    assert code == 0 and en.startswith("5 projects: ") and "by grade: excellent" in en


def test_a_scheme_warning_is_labelled_once_in_a_chinese_table(tmp_path):
    path = write(tmp_path / "p.toml", project_toml(single("≥10个", "12个")))
    table = str(evalcore.render(evalcore.evaluate(evalcore.load_project(path)), "table"))
    assert "- [方案提示] p.toml：产出指标合计100分，评价规则“national-2020”默认为50分" in table
    assert "[方案提示] 方案提示" not in table


def test_audit_prints_one_language(capsys):
    reviewed = ROOT / "tests" / "fixtures" / "audit" / "reviewed.toml"
    code, zh, _ = run(capsys, "audit", reviewed)
    assert code == 0 and "复核分" in zh and "reviewed" not in zh
    code, en, _ = run(capsys, "audit", reviewed, "--lang", "en")
    assert code == 0 and "reviewed" in en and "复核分" not in en
    assert "grade: published excellent, computed excellent (unchanged), reviewed good" in en


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv"])
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", ["points-110", "reviewed", "whole"])
def test_an_audit_keeps_to_one_language(name, lang, fmt, monkeypatch):
    """The audit's own tables, summary line and findings, by the rule of tests/language.py.
    The terminal table's folding is turned off, so that a user's text folded over two lines
    is still found whole and taken out."""
    from language import identifiers, mixed_lines, user_texts

    from evalcore import audit_output

    monkeypatch.setattr(audit_output, "fold", lambda text, width: text)
    path = ROOT / "tests" / "fixtures" / "audit" / f"{name}.toml"
    project = evalcore.load_project(path)
    audit = evalcore.audit(project)
    text = audit_output.render_audit(audit, fmt, lang)
    # The budget's unit is the profile's (万元) when the file names none: a unit, not a word.
    texts = sorted({*user_texts(project, files=[path]), audit.evaluation.budget.unit},
                   key=len, reverse=True)
    allowed = identifiers(audit.evaluation) | {"file", "id"}  # the CSV's identifier columns
    assert mixed_lines(text, lang, texts, allowed) == []
