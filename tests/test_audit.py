"""Audit mode (复核): published scores against computed ones, at the table's own precision.

The fixtures in tests/fixtures/audit/ are worked out by hand in their comments: a table whose
points add up to 110, a table printed in whole numbers (with a row published without an
actual value, and a grade that changes), and a table with a reviewer's scores.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import project_toml, run, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wcwidth import wcswidth

import evalcore
from evalcore.audit_output import WHY_WIDTH, render_audit, summary_line
from evalcore.build import build_project
from evalcore.cli import main
from evalcore.loading import load_text
from evalcore.numbers import round_half_up
from evalcore.published import at_places, places_of
from evalcore.table_cells import fold
from evalcore.tables import Grid, read_grid

AUDIT = Path(__file__).parent / "fixtures" / "audit"
POINTS_110, WHOLE, REVIEWED = AUDIT / "points-110.toml", AUDIT / "whole.toml", AUDIT / "reviewed.toml"


def _audit(path: Path, **kwargs: object) -> evalcore.Audit:
    return evalcore.audit(evalcore.load_project(path), **kwargs)


def _differs(findings: tuple[evalcore.Finding, ...]) -> list[str | None]:
    return [f.indicator for f in findings if f.code == "published-differs"]


# -- the precision of a table --------------------------------------------------------------------

@pytest.mark.parametrize(("values", "places"), [
    ([], None), ([None], None), ([Decimal(9)], 0), ([Decimal("9"), Decimal("8.5")], 1),
    ([Decimal("9.00"), None], 2), ([Decimal("8.625"), Decimal(10)], 3)])
def test_the_precision_of_a_table_is_the_most_places_its_published_scores_are_written_with(
        values, places):
    assert places_of(values) == places


@pytest.mark.parametrize(("score", "places", "shown"), [
    (Decimal("8.62"), 0, Decimal(9)), (Decimal("8.50"), 0, Decimal(9)),
    (Decimal("8.49"), 0, Decimal(8)), (Decimal("8.65"), 1, Decimal("8.7")),
    (Decimal("8.62"), 2, Decimal("8.62")), (Decimal("8.62"), 3, Decimal("8.62")),
    (Decimal("8.62"), None, Decimal("8.62"))])
def test_a_computed_score_is_rounded_half_up_to_a_coarser_table_only(score, places, shown):
    assert at_places(score, places, 2) == shown


# -- evaluate: the two faults of published-differs, fixed ----------------------------------------

def test_a_whole_number_table_is_reported_only_where_the_rounded_score_differs():
    result = evalcore.evaluate(evalcore.load_project(WHOLE))
    # 8.62 → 9 ≠ 10; 9.79 → 10 and 9.65 → 10 agree; the total 100 ≠ the rows rounded (69).
    assert _differs(result.findings) == ["pass-rate", "training", None]
    messages = [f.message_zh for f in result.findings if f.code == "published-differs"]
    assert messages[0] == "抽检合格率：公布得分10，计算得分8.62（按公布表的精度为9）"
    assert messages[2] == "公布的总分 100 与计算所得 68.06（按公布表的精度为69） 不一致"


def test_a_row_published_without_an_actual_value_is_compared_with_its_zero():
    result = evalcore.evaluate(evalcore.load_project(WHOLE))
    (finding,) = [f for f in result.findings
                  if f.code == "published-differs" and f.indicator == "training"]
    assert finding.message_en == "training 培训场次: published score 30, computed 0"


def test_a_budget_row_published_without_figures_is_compared_too(project_text):
    text = project_toml([{"id": "x", "name": "指标", "category": "quantity", "points": 90,
                          "target": "≥10个", "actual": "10个", "published": 90}],
                        budget={"points": 10, "published": 10})
    result = evalcore.evaluate(project_text(text))
    assert _differs(result.findings) == ["budget"]


def test_a_table_at_the_profile_precision_is_compared_exactly(project_text):
    text = project_toml([
        {"id": "a", "name": "甲", "category": "quantity", "points": 50, "target": "≥98%",
         "actual": "84.5%", "published": "43.11"},
        {"id": "b", "name": "乙", "category": "quantity", "points": 50, "target": "≥10个",
         "actual": "10个", "published": 50}])
    result = evalcore.evaluate(project_text(text))
    assert result.rows[0].score == Decimal("43.11")
    assert _differs(result.findings) == []
    changed = evalcore.evaluate(project_text(text.replace('"43.11"', '"43.12"')))
    assert _differs(changed.findings) == ["a"]


# -- audit: the 110-point table ------------------------------------------------------------------

def test_evaluate_still_refuses_a_table_of_110_points():
    with pytest.raises(evalcore.ValidationError, match="the points add up to 110, not 100"):
        evalcore.evaluate(evalcore.load_project(POINTS_110))


def test_a_table_of_110_points_is_audited_with_the_sum_as_a_finding():
    result = _audit(POINTS_110)
    (finding,) = [f for f in result.evaluation.findings if f.code == "points-sum"]
    assert finding.message_zh.startswith("分值合计110，应为100（产出指标60，效益指标30，满意度指标10，"
                                         "预算执行率10）")
    assert finding.message_en.startswith("the points add up to 110, not 100")
    assert result.summary.points == 110
    # 9.5 + 30 + 28.24 + 30 + 10; every row agrees at whole numbers, and so does the total.
    assert result.evaluation.total == Decimal("107.74")
    assert [c.differs for c in result.rows] == [False] * 5
    assert (result.total.published, result.total.compared, result.total.differs) == (
        Decimal(108), Decimal(108), False)


@pytest.mark.parametrize("path", [WHOLE, REVIEWED, Path(__file__).parent / "fixtures" / "tables"
                                  / "whole.xlsx"])
def test_at_no_tolerance_the_audit_reports_what_evaluate_reports(path):
    project = evalcore.load_project(path)
    assert evalcore.audit(project).evaluation == evalcore.evaluate(project)


def test_a_table_that_adds_up_has_no_points_sum_finding():
    assert "points-sum" not in {f.code for f in _audit(WHOLE).evaluation.findings}


# -- audit: rows, totals, grades -----------------------------------------------------------------

def test_each_row_shows_published_computed_difference_and_why():
    result = _audit(WHOLE)
    assert result.places == 0
    rows = {c.id: c for c in result.rows}
    assert [c.id for c in result.rows] == ["budget", "batches", "pass-rate", "on-time", "cost",
                                           "training", "satisfaction"]
    rate = rows["pass-rate"]
    assert (rate.published, rate.computed, rate.compared, rate.difference, rate.differs) == (
        Decimal(10), Decimal("8.62"), Decimal(9), Decimal(1), True)
    assert "10 × 84.5/98" in rate.explanation_zh
    on_time = rows["on-time"]
    assert (on_time.computed, on_time.compared, on_time.differs) == (Decimal("9.79"), 10, False)
    training = rows["training"]
    assert (training.status, training.difference, training.differs) == (
        evalcore.Status.MISSING, Decimal(30), True)


def test_the_summary_counts_rows_and_tells_the_grade_change():
    s = _audit(WHOLE).summary
    assert (s.rows_checked, s.rows_differ) == (7, 2)
    assert (s.published_total, s.computed_total, s.compared_total) == (
        Decimal(100), Decimal("68.06"), Decimal(69))
    assert (s.published_grade, s.computed_grade, s.grade_changed) == ("优", "中", True)
    assert summary_line(s) == ("核对7行，不一致2行；总分：公布100，计算68.06（按公布表精度69）；"
                               "等级：公布优，计算中（等级变化）")
    assert summary_line(s, "en") == (
        "7 rows checked, 2 differ; total: published 100, computed 68.06 (69 at the table's "
        "precision); grade: published excellent, computed fair (changed)")


def test_the_audit_keeps_one_published_differs_finding_per_differing_row():
    result = _audit(WHOLE)
    assert _differs(result.evaluation.findings) == ["pass-rate", "training", None]
    assert [c.id for c in result.differing] == ["pass-rate", "training", "total"]


def test_a_tolerance_accepts_differences_up_to_it_and_not_beyond():
    loose = _audit(WHOLE, tolerance="1")
    assert [c.id for c in loose.differing] == ["training", "total"]
    assert _differs(loose.evaluation.findings) == ["training", None]
    assert [c.id for c in _audit(WHOLE, tolerance=Decimal("0.99")).differing] == [
        "pass-rate", "training", "total"]
    assert _audit(WHOLE, tolerance=31).differing == ()


@pytest.mark.parametrize("bad", ["abc", "-1", "nan", "inf", ""])
def test_a_tolerance_that_is_not_a_number_of_points_is_a_clear_error(bad):
    with pytest.raises(evalcore.ValidationError, match="the tolerance"):
        _audit(WHOLE, tolerance=bad)


# -- the reviewer's scores -----------------------------------------------------------------------

def test_the_reviewer_scores_and_reasons_are_carried_with_their_total_and_grade():
    result = _audit(REVIEWED)
    rows = {c.id: c for c in result.rows}
    assert (rows["budget"].reviewed, rows["budget"].reviewed_reason) == (
        Decimal(9), "年底集中支付部分不予认可")
    assert rows["served"].reviewed == 25 and rows["standard"].reviewed is None
    e = result.evaluation
    assert [r.reviewed for r in e.rows] == [25, None, 22, None]
    assert e.budget is not None and e.budget.reviewed == 9
    # 9 + 25 + 20 (not reviewed: computed) + 22 + 10
    assert (result.total.reviewed, result.summary.reviewed_total) == (86, 86)
    assert result.summary.reviewed_grade == "良"
    # A TOML float keeps no trailing zero (27.60 reads as 27.6): one decimal is the most seen.
    assert (result.places, result.summary.rows_differ) == (1, 1)


def test_no_reviewer_score_means_no_reviewer_total():
    result = _audit(WHOLE)
    assert result.total.reviewed is None and result.summary.reviewed_grade is None


def test_reviewer_scores_survive_the_evaluation_json():
    e = evalcore.evaluate(evalcore.load_project(REVIEWED))
    data = e.to_dict()
    assert data["indicators"][0]["reviewed"] == "25"
    assert data["indicators"][0]["reviewed_reason"] == "台账核实为4200人次"
    assert evalcore.Evaluation.from_json(e.to_json()) == e


@pytest.mark.parametrize(("value", "message"), [
    ("35", "reviewed score 35 is above the row's 30 points"),
    ("-1", "reviewed cannot be negative"),
    ('"nan"', "reviewed: 'nan' is not a finite number"),
    ('"九分"', "reviewed: '九分' is not a number"),
])
def test_a_bad_reviewer_score_is_a_located_error(tmp_path, value, message):
    text = REVIEWED.read_text(encoding="utf-8").replace("reviewed = 25", f"reviewed = {value}")
    path = write(tmp_path / "p.toml", text)
    with pytest.raises(evalcore.ValidationError) as caught:
        evalcore.load_project(path)
    (problem,) = caught.value.problems
    assert message in problem.message
    assert problem.origin.path == ("indicator", 0, "reviewed")
    assert problem.origin.line == text.splitlines().index(f"reviewed = {value}") + 1


def test_a_reviewer_score_above_the_budget_points_is_a_located_error(tmp_path):
    text = REVIEWED.read_text(encoding="utf-8").replace("reviewed = 9\n", "reviewed = 11\n")
    with pytest.raises(evalcore.ValidationError, match="above the row's 10 points") as caught:
        evalcore.load_project(write(tmp_path / "p.toml", text))
    assert caught.value.problems[0].origin.path == ("budget", "reviewed")


def test_a_misspelled_reviewer_key_gets_did_you_mean(tmp_path):
    text = REVIEWED.read_text(encoding="utf-8").replace("reviewed = 25", "reviewd = 25")
    with pytest.raises(evalcore.ValidationError) as caught:
        evalcore.load_project(write(tmp_path / "p.toml", text))
    assert "did you mean 'reviewed'" in str(caught.value)


def test_reviewer_keys_belong_in_the_project_not_the_scheme(tmp_path, registry):
    scheme = write(tmp_path / "s.toml", '[scheme]\nname = "s"\n[[indicator]]\nid = "a"\n'
                   'name = "甲"\ncategory = "quantity"\npoints = 100\ntarget = "≥1个"\nreviewed = 5\n')
    with pytest.raises(evalcore.ValidationError, match="'reviewed' belongs in the project file"):
        evalcore.load_scheme(scheme, registry)


def test_reviewer_scores_in_the_actual_table_of_a_split_project(tmp_path, registry):
    write(tmp_path / "s.toml", '[scheme]\nname = "s"\n[[indicator]]\nid = "a"\nname = "甲"\n'
          'category = "quantity"\npoints = 100\ntarget = "≥10个"\n')
    project = write(tmp_path / "p.toml", '[project]\nname = "p"\nscheme = "s.toml"\n[actual]\n'
                    'a = { value = "8个", reviewed = 70, reviewed_reason = "核减" }\n')
    result = evalcore.audit(evalcore.load_project(project, registry=registry), registry)
    assert (result.rows[0].reviewed, result.rows[0].reviewed_reason) == (70, "核减")
    bad = write(tmp_path / "q.toml", '[project]\nname = "p"\nscheme = "s.toml"\n[actual]\n'
                'a = { value = "8个", reviewed = 170 }\n')
    with pytest.raises(evalcore.ValidationError, match="above the row's 100 points"):
        evalcore.load_project(bad, registry=registry)


def _reviewed_grid(reviewed: int) -> Grid:
    """A 自评表 with a reviewer's columns (复核分, 复核意见) beside 得分, in memory."""
    rows: list[list[object]] = [
        ["项目名称", None, "复核表"],
        ["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "得分", "复核分"],
        ["年度资金总额", 100, 100, 95, 10, 10, 9],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "复核分",
         "复核意见"],
        ["产出指标", "数量指标", "培训人次", "≥100人次", "88人次", 90, 79, reviewed, "台账核减"],
        ["总分", None, None, None, None, 100, 89],
    ]
    cells = tuple(tuple(Decimal(v) if isinstance(v, int) else v for v in r) for r in rows)
    return Grid("t.xlsx", cells, lambda r, c: f"cell {r + 1},{c + 1}",
                "sheet")


def test_a_table_with_a_reviewer_column_is_read_into_reviewed(registry):
    project = build_project(read_grid(_reviewed_grid(70)), registry)
    result = evalcore.audit(project, registry)
    assert [(c.id, c.published, c.reviewed, c.reviewed_reason) for c in result.rows] == [
        ("budget", 10, 9, ""), ("quantity-1", 79, 70, "台账核减")]
    assert result.total.reviewed == Decimal("79.00")  # 9 + 70


def test_a_reviewer_cell_above_the_points_is_an_error_at_its_cell(registry):
    with pytest.raises(evalcore.ValidationError) as caught:
        build_project(read_grid(_reviewed_grid(95)), registry)
    (problem,) = caught.value.problems
    assert "reviewed score 95 is above the row's 90 points" in problem.message
    assert "cell 5,8" in str(problem)


# -- the result's JSON ---------------------------------------------------------------------------

@pytest.mark.parametrize("path", [POINTS_110, WHOLE, REVIEWED])
def test_the_audit_json_reads_back_and_keeps_the_evaluation_shape(path):
    result = _audit(path)
    assert evalcore.Audit.from_json(result.to_json()) == result
    data = json.loads(result.to_json())
    audit = data.pop("audit")
    assert evalcore.Evaluation.from_dict(data) == result.evaluation
    assert set(audit) == {"places", "tolerance", "rows", "total", "summary"}
    assert all(isinstance(row["computed"], str) for row in audit["rows"])  # exact decimals


# -- the outputs ---------------------------------------------------------------------------------

def test_the_table_shows_the_self_score_and_reviewer_columns_and_the_summary():
    text = render_audit(_audit(REVIEWED))
    header = text.splitlines()[2].split()
    assert header == ["指标", "分值", "自评得分", "计算得分", "差异", "核对", "复核分", "说明"]
    assert "复核意见：台账核实为4200人次" in render_audit(_audit(REVIEWED), "markdown")
    assert "核对5行，不一致1行；总分：公布91，计算97.1，复核86；等级：公布优，计算优（不变），复核良" in text
    english = render_audit(_audit(REVIEWED), "markdown", lang="en")
    assert "self-score" in english and "reviewer: 台账核实为4200人次" in english
    assert "自评得分" not in english and "self-score" in render_audit(_audit(REVIEWED), lang="en")


def test_the_terminal_table_folds_long_explanations_and_markdown_does_not():
    text = render_audit(_audit(WHOLE))
    continued = [line.strip() for line in text.splitlines()[4:20] if line.startswith(" ")]
    assert continued and max(wcswidth(line) for line in continued) <= WHY_WIDTH
    assert "9.65，扣0.35分" in continued  # folded, not cut
    markdown = render_audit(_audit(WHOLE), "markdown")
    assert "10 × 84.5/98 = ≈8.622449，四舍五入为8.62，扣1.38分" in markdown


@given(st.text(st.characters(blacklist_categories=("Cc", "Cs", "Mn", "Me", "Cf")), max_size=300),
       st.integers(4, 60))
def test_folding_keeps_every_character_and_no_line_is_wider_than_asked(text, width):
    folded = fold(text, width)
    assert all(wcswidth(line) <= width for line in folded.split("\n"))
    assert folded.replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(" ", "")


def test_the_csv_has_one_line_per_score_with_exact_numbers():
    lines = list(csv.reader(io.StringIO(render_audit(_audit(WHOLE), "csv").removeprefix("\ufeff"))))
    header, *rows = lines
    assert header[:8] == ["编号", "指标", "分值", "自评得分", "计算得分", "按公布表精度", "差异", "不一致"]
    assert rows[2][:8] == ["pass-rate", "抽检合格率", "10", "10", "8.62", "9", "1", "是"]
    assert rows[-1][:2] == ["total", "总分"] and rows[-1][7] == "是"


def test_the_english_csv_names_its_columns_by_the_comparison_s_fields():
    text = render_audit(_audit(WHOLE), "csv", "en").removeprefix("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert header == ["id", "name", "points", "published", "computed", "compared", "difference",
                      "differs", "reviewed", "reviewed_reason", "status", "explanation"]
    assert rows[0][:2] == ["budget", "Budget execution rate"] and rows[0][10] == "partly-met"
    assert rows[2][7] == "true" and rows[-1][:2] == ["total", "total"]


def test_a_text_that_starts_a_formula_is_guarded_in_the_csv(tmp_path):
    text = REVIEWED.read_text(encoding="utf-8").replace('"台账核实为4200人次"', '"=HYPERLINK(1)"')
    result = evalcore.audit(evalcore.load_project(write(tmp_path / "p.toml", text)))
    assert "'=HYPERLINK(1)" in render_audit(result, "csv")


def test_markdown_escapes_what_the_file_says():
    text = REVIEWED.read_text(encoding="utf-8").replace("台账核实为4200人次", "a|b <i>")
    project = build_project(load_text(text, "p.toml"), evalcore.default_registry())
    out = render_audit(evalcore.audit(project), "markdown")
    assert "a\\|b &lt;i&gt;" in out and "<i>" not in out


def test_an_unknown_format_or_language_has_a_hint():
    result = _audit(WHOLE)
    with pytest.raises(evalcore.EvalcoreError, match="did you mean 'json'"):
        render_audit(result, "jsn")
    with pytest.raises(evalcore.EvalcoreError, match="unknown language"):
        render_audit(result, "table", lang="fr")


# -- the command ---------------------------------------------------------------------------------



def test_the_command_audits_a_110_point_table_with_exit_0(capsys):
    code, out, err = run(capsys, "audit", POINTS_110)
    assert (code, err) == (0, "")
    for name in ("预算执行率", "养护里程", "优良路率", "群众出行条件", "群众满意度"):
        assert name in out
    assert "分值合计110，应为100" in out
    assert "核对5行，不一致0行" in out


def test_the_command_json_is_the_audit(capsys):
    code, out, _ = run(capsys, "audit", WHOLE, "--format", "json", "--tolerance", "1")
    assert code == 0
    result = evalcore.Audit.from_json(out)
    assert result.tolerance == 1
    assert _differs(result.evaluation.findings) == ["training", None]


def test_the_command_writes_the_output_file(capsys, tmp_path):
    target = tmp_path / "audit.csv"
    code, out, err = run(capsys, "audit", WHOLE, REVIEWED, "-f", "csv", "-o", target)
    assert (code, out, err) == (0, "", "")
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8").removeprefix("\ufeff"))))
    assert rows[0][0] == "文件" and {r[0] for r in rows[1:]} == {str(WHOLE), str(REVIEWED)}


def test_several_files_in_json_are_an_array(capsys):
    code, out, _ = run(capsys, "audit", WHOLE, REVIEWED, "-f", "json")
    assert code == 0
    assert [d["project"] for d in json.loads(out)] == ["某市2021年食品安全抽检经费",
                                                      "某区2023年社区养老服务补助"]


def test_a_bad_file_exits_2_with_located_problems_and_the_others_are_still_audited(capsys, tmp_path):
    text = REVIEWED.read_text(encoding="utf-8").replace("reviewed = 25", "reviewed = 35")
    bad = write(tmp_path / "bad.toml", text)
    code, out, err = run(capsys, "audit", bad, WHOLE)
    assert code == 2
    assert "bad.toml:" in err and "reviewed score 35 is above the row's 30 points" in err
    assert "Traceback" not in err
    assert "某市2021年食品安全抽检经费" in out


@pytest.mark.parametrize(("value", "message"), [("-1", "the tolerance cannot be negative"),
                                              ("x", "the tolerance 'x' is not a number")])
def test_a_bad_tolerance_option_exits_2_with_a_message(capsys, value, message):
    with pytest.raises(SystemExit) as caught:
        main(["audit", str(WHOLE), "--tolerance", value])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_an_unknown_format_option_exits_2_with_did_you_mean(capsys):
    code, out, err = run(capsys, "audit", WHOLE, "--format", "jsn")
    assert (code, out) == (2, "")
    assert "unknown audit format 'jsn' (did you mean 'json'?)" in err


def test_a_missing_file_exits_2(capsys, tmp_path):
    code, _, err = run(capsys, "audit", tmp_path / "nothing.toml")
    assert code == 2 and "nothing.toml" in err


# -- properties ----------------------------------------------------------------------------------

_ROWS = st.one_of(
    st.lists(st.tuples(st.integers(1, 40), st.integers(0, 600)), min_size=1, max_size=5),
    st.lists(st.integers(0, 600), min_size=4, max_size=4).map(  # a table of 100 points
        lambda actuals: list(zip([40, 30, 20, 10], actuals, strict=True))))


def _table(rows: list[tuple[int, int]], places: int, published: list[Decimal] | None = None,
           total: Decimal | None = None) -> evalcore.Project:
    """A project of quantity rows (points, actual against ≥500个), with the published scores
    given (and the total)."""
    indicators = []
    for i, (points, actual) in enumerate(rows):
        row: dict[str, object] = {"id": f"r{i}", "name": f"指标{i}", "category": "quantity",
                                  "points": points, "target": "≥500个", "actual": f"{actual}个",
                                  "reason": "x"}
        if published is not None:
            row["published"] = f"{published[i]:.{places}f}"
        indicators.append(row)
    text = project_toml(indicators)
    if total is not None:
        text = text.replace('profile = "national-2020"',
                            f'profile = "national-2020"\npublished = "{total:.{places}f}"')
    return build_project(load_text(text, "p.toml"), evalcore.default_registry())


def _as_printed(rows: list[tuple[int, int]], places: int) -> tuple[list[Decimal], Decimal]:
    """The scores and total a table printed at ``places`` decimals shows."""
    result = evalcore.audit(_table(rows, places))
    scores = [at_places(r.score, places, 2) for r in result.evaluation.rows]
    return scores, sum(scores, Decimal(0))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_ROWS, st.integers(0, 2))
def test_a_table_printing_the_computed_scores_at_its_precision_audits_clean(rows, places):
    scores, total = _as_printed(rows, places)
    result = evalcore.audit(_table(rows, places, scores, total))
    assert result.differing == ()
    assert result.summary.rows_checked == len(rows) and result.summary.rows_differ == 0
    if sum(p for p, _ in rows) == 100:  # evaluate refuses any other sum
        assert _differs(evalcore.evaluate(_table(rows, places, scores, total)).findings) == []
    assert {f.code for f in result.evaluation.findings} & {"published-differs"} == set()
    assert ("points-sum" in {f.code for f in result.evaluation.findings}) == (
        sum(p for p, _ in rows) != 100)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_ROWS, st.integers(0, 2), st.data())
def test_one_published_score_changed_beyond_the_tolerance_is_the_one_row_that_differs(
        rows, places, data):
    scores, total = _as_printed(rows, places)
    step = Decimal(1).scaleb(-places)
    tolerance = data.draw(st.sampled_from([Decimal(0), step, Decimal("0.5")]), "tolerance")
    k = data.draw(st.integers(0, len(rows) - 1), "row")
    inside = (tolerance // step) * step  # the largest change the table can print that agrees
    beyond = inside + data.draw(st.integers(1, 20), "steps") * step
    sign = data.draw(st.sampled_from([1, -1]), "sign") if scores[k] >= beyond else 1
    changed = list(scores)
    changed[k] = scores[k] + sign * beyond
    result = evalcore.audit(_table(rows, places, changed, total), tolerance=tolerance)
    assert [c.id for c in result.differing] == [f"r{k}"]
    assert result.differing[0].difference == sign * beyond
    assert _differs(result.evaluation.findings) == [f"r{k}"]
    # within the tolerance it agrees
    within = list(scores)
    within[k] = scores[k] + sign * inside
    assert evalcore.audit(_table(rows, places, within, total), tolerance=tolerance).differing == ()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_ROWS, st.integers(0, 2), st.lists(st.integers(0, 40), min_size=5, max_size=5))
def test_a_larger_tolerance_never_finds_more_differences(rows, places, shifts):
    scores, total = _as_printed(rows, places)
    published = [s + Decimal(d) / 10 for s, d in zip(scores, shifts[:len(scores)], strict=True)]
    project = _table(rows, places, [round_half_up(p, places) for p in published], total)
    seen = [{c.id for c in evalcore.audit(project, tolerance=t).differing}
            for t in (Decimal(0), Decimal("0.5"), Decimal(2))]
    assert seen[0] >= seen[1] >= seen[2]


@pytest.mark.skipif(pytest.importorskip("pyarrow") is None, reason="needs the batch extra")
def test_the_columnar_path_compares_at_the_table_precision_too():
    from test_columnar import assert_same, table_of

    project = evalcore.load_project(WHOLE)
    plan = evalcore.compile(project.scheme)
    table = plan.evaluate_table(table_of([project]))
    got = table.to_pylist()[0]
    assert_same(plan, project, got, 0)
    assert sorted(f["message"] for f in got["findings"] if f["code"] == "published-differs") == \
        sorted(f.message_zh for f in evalcore.evaluate(project).findings
               if f.code == "published-differs")


def test_the_command_audits_a_split_project_against_a_scheme_and_a_word_table(capsys):
    examples = Path(__file__).parent.parent / "examples" / "shared-scheme"
    code, out, err = run(capsys, "audit", examples / "shiqiao.toml", "--scheme",
                         examples / "scheme.toml")
    assert (code, err) == (0, "")
    assert "总分：公布97.2，计算87.2；等级：公布优，计算良（等级变化）" in out
    code, out, err = run(capsys, "audit", Path(__file__).parent / "fixtures" / "tables" / "county.docx")
    assert (code, err) == (0, "")
    assert "不一致0行" in out


def test_a_file_that_cannot_be_audited_gets_every_problem_at_once_but_no_points_sum_error(
        capsys, tmp_path):
    """A mistake of the build stage (a reviewed score above the points) and one of the
    scoring stage (a fraction for a percentage) in one run, as `evaluate` reports them; the
    points adding up to 110 is not among them: an audit reports it as a finding."""
    text = POINTS_110.read_text(encoding="utf-8").replace('actual = "80%"', "actual = 0.8")
    text = text.replace('actual = "120公里"', 'actual = "120公里"\nreviewed = 31', 1)
    path = write(tmp_path / "both.toml", text)
    code, out, err = run(capsys, "audit", path)
    assert code == 2 and out == ""
    assert "did you mean 80%?" in err and "reviewed score 31 is above the row's 30 points" in err
    assert "add up to 110" not in err
    assert "2 problem(s)" in err


def test_folding_measures_a_combining_mark_with_its_base():
    """U+1182C has no width alone but one after its base: 0 + 0 + 𑠬 + ⺀ is 5 columns, not 4."""
    assert all(wcswidth(line) <= 4 for line in fold("00\U0001182c⺀", 4).split("\n"))
