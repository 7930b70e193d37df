"""Targets read as practitioners write them (issue #9, parts 1-3): deadlines given as periods,
targets without a sign read by their category's TOML (and flagged where that is a guess),
classifiers as count units, exact area units, and the hints that catch slips (a fraction for a
percentage, a sign on an actual, the nearest words)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from helpers import evaluate_text, project_toml, single
from hypothesis import given, settings
from hypothesis import strategies as st
from test_columnar import assert_same as same_row
from test_columnar import table_of
from test_fast_path import assert_same, full_path

import evalcore
from evalcore.definitions import load_definitions
from evalcore.errors import EvaluationError, PluginError, nearest
from evalcore.quantities import Comparator, parse_actual, parse_target
from evalcore.reading import Reading, read_sign_less

REGISTRY = evalcore.Registry.from_plugins(evalcore.get_plugin_manager())
UNITS = REGISTRY.units


def evaluate(rows: list[dict[str, object]]) -> evalcore.Evaluation:
    return evaluate_text(project_toml(rows), REGISTRY)


def one(target: object, actual: object, *, category: str = "quantity", name: str = "指标",
        points: int = 100) -> evalcore.Evaluation:
    return evaluate(single(target, actual, category=category, points=points, name=name))


def codes(result: evalcore.Evaluation) -> list[str]:
    return [f.code for f in result.findings if f.code != "scheme-warning"]


# -- part 1: deadlines, the end of the period named ---------------------------------------------

DEADLINES = [
    ("2019年", dt.date(2019, 12, 31)),
    ("2019年度", dt.date(2019, 12, 31)),
    ("2021年内", dt.date(2021, 12, 31)),
    ("2021年12月", dt.date(2021, 12, 31)),
    ("2021年2月", dt.date(2021, 2, 28)),
    ("2024年2月", dt.date(2024, 2, 29)),
    ("2021-06", dt.date(2021, 6, 30)),
    ("2021年12月完成", dt.date(2021, 12, 31)),
    ("2021年12月底", dt.date(2021, 12, 31)),
    ("2021年12月底前", dt.date(2021, 12, 31)),
    ("2021年12月底前完成", dt.date(2021, 12, 31)),
    ("2021年9月以前", dt.date(2021, 9, 30)),
    ("2021年9月之前", dt.date(2021, 9, 30)),
    ("2021年底前", dt.date(2021, 12, 31)),
    ("2021年年底", dt.date(2021, 12, 31)),
    ("2021年上半年", dt.date(2021, 6, 30)),
    ("2021年下半年", dt.date(2021, 12, 31)),
    ("2021年上半年完成", dt.date(2021, 6, 30)),
    ("2021年第一季度", dt.date(2021, 3, 31)),
    ("2021年第二季度", dt.date(2021, 6, 30)),
    ("2021年第三季度", dt.date(2021, 9, 30)),
    ("2021年三季度末", dt.date(2021, 9, 30)),
    ("2021年第4季度", dt.date(2021, 12, 31)),
    ("2021年10月31日前完成", dt.date(2021, 10, 31)),
]


@pytest.mark.parametrize(("text", "due"), DEADLINES)
def test_a_deadline_form_is_read_as_the_last_day_of_its_period(text, due):
    target = parse_target(text, UNITS)
    assert (target.comparator, target.date, target.quantity) == (Comparator.LE, due, None)
    assert parse_actual(text, UNITS).date == due  # an actual: completed by then


def test_a_year_is_a_deadline_not_a_quantity_of_years():
    """The issue's first case: "2019年" under 时效指标 was ≥ 2019 年, so 2020 scored full."""
    assert one("2019年", "2019年11月", category="timeliness").total == 100
    late = one("2019年", "2020年3月", category="timeliness")
    assert late.total == 0 and late.rows[0].status is evalcore.Status.MISSED
    assert parse_target("≥3年", UNITS).quantity is not None  # a duration stays a duration


@pytest.mark.parametrize("text", ["2021年13月", "2021年第五季度", "2021年2月30日"])
def test_an_impossible_period_is_not_read(text):
    with pytest.raises(ValueError):
        parse_target(text, UNITS)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(DEADLINES), st.integers(-800, 800))
def test_a_completion_on_or_before_the_deadline_scores_full_and_after_it_less(deadline, shift):
    text, due = deadline
    done = due + dt.timedelta(days=shift)
    result = one(text, done.isoformat(), category="timeliness")
    if done <= due:
        assert result.total == 100
    else:
        assert result.total < 100


# -- part 1: targets without a sign, read by the category's TOML --------------------------------

READINGS = [
    # category, indicator name, target, the comparator read, a guess?
    ("timeliness", "完成时限", "30天", Comparator.LE, False),
    ("timeliness", "项目完成时间", "3个月", Comparator.LE, False),
    ("timeliness", "按期完成率", "100%", Comparator.GE, False),
    ("quantity", "培训人次", "400人次", Comparator.GE, False),
    ("quantity", "培训天数", "30天", Comparator.GE, False),
    ("quality", "验收合格率", "95%", Comparator.GE, False),
    ("quality", "产品不合格率", "5%", Comparator.LE, False),
    ("cost", "单位成本", "500元", Comparator.LE, False),
    ("cost", "人均完成成本", "500元", Comparator.LE, False),  # money decides alone
    ("cost", "计划完成率", "95%", Comparator.GE, False),
    ("cost", "成本节约率", "5%", Comparator.GE, False),
    ("cost", "成本超支率", "5%", Comparator.LE, False),
    ("cost", "成本占比", "30%", Comparator.LE, True),
    ("social", "安全事故", "0起", Comparator.LE, False),
    ("social", "群众投诉", "5件", Comparator.LE, False),
    ("social", "投诉处理率", "95%", Comparator.GE, False),
    ("social", "受益人数", "1000人", Comparator.GE, False),
    ("social", "安全生产", "0起", Comparator.EQ, True),
    ("satisfaction", "投诉处理满意度", "90%", Comparator.GE, False),
    ("ecological", "污染物排放量", "100吨", Comparator.LE, False),
    ("economic", "带动增收", "50万元", Comparator.GE, False),
    ("sustainability", "长效机制运行年限", "3年", Comparator.GE, False),
]


@pytest.mark.parametrize(("category", "name", "target", "comparator", "guess"), READINGS)
def test_a_target_without_a_sign_is_read_by_its_category(category, name, target, comparator, guess):
    plan = evalcore.compile(_scheme(single(target, None, category=category, name=name)), REGISTRY)
    compiled = plan.rows[0]
    assert compiled.target.comparator is comparator
    assert compiled.reading is not None and compiled.reading.guess is guess
    assert [f.code for f in plan.reading_findings] == (["ambiguous-direction"] if guess else [])


def _scheme(rows: list[dict[str, object]]) -> evalcore.Scheme:
    from evalcore.build import build_project
    from evalcore.loading import load_text
    return build_project(load_text(project_toml(rows), "project.toml"), REGISTRY).scheme


def test_a_target_with_a_sign_is_never_reread():
    plan = evalcore.compile(_scheme(single("≥30天", None, category="timeliness", name="完成时限")),
                            REGISTRY)
    assert plan.rows[0].target.comparator is Comparator.GE and plan.rows[0].reading is None


def test_a_bare_duration_under_timeliness_is_a_time_limit():
    """The issue: "30天" under 时效指标 was ≥, so 40 days earned full points and a finding."""
    result = one("30天", "40天", category="timeliness", name="办理时限")
    assert result.total == Decimal("75.00")  # 100 × 30/40, the reverse rule
    assert "overachievement" not in codes(result) and "ambiguous-direction" not in codes(result)
    assert one("30天", "20天", category="timeliness", name="办理时限").total == 100


def test_zero_accidents_is_not_met_by_three():
    """The issue: "0起" under 社会效益/安全 was ≥ 0, so 3 accidents scored full marks."""
    assert one("0起", "3起", category="social", name="安全事故").total == 0
    assert one("0起", "0起", category="social", name="安全事故").total == 100
    guessed = one("0起", "3起", category="social", name="安全生产")
    assert guessed.total == 0 and codes(guessed) == ["ambiguous-direction", "missing-reason"]


def test_the_ambiguous_direction_finding_says_which_reading_and_how_to_state_it():
    result = one("30%", "20%", category="cost", name="成本占比")
    assert result.total == 100
    finding = next(f for f in result.findings if f.code == "ambiguous-direction")
    assert finding.indicator == "x"
    assert "read as ≤30%" in finding.message_en and "write ≥30% or ≤30%" in finding.message_en
    assert "按“≤30%”评分" in finding.message_zh and "请写明“≥30%”或“≤30%”" in finding.message_zh
    assert not any("\u4e00" <= c <= "\u9fff" for c in finding.message_en.replace("成本占比", ""))
    shown = _explain(result)
    assert "年度指标值：≤30%" in shown and f"问题：{finding.message_zh}" in shown
    from evalcore.explain import explain
    shown_en = explain(result, "x", "en")
    assert "≤30%" in shown_en and finding.message_en in shown_en


def _explain(result: evalcore.Evaluation) -> str:
    from evalcore.explain import explain
    return explain(result, "x")


@pytest.mark.parametrize(("name", "expected"), [
    ("事故处理完成率", Comparator.GE),  # 完成率 (3) beats 事故 (2)
    ("安全事故发生率", Comparator.LE),  # 事故, 发生 (2) beat 率 (1)
])
def test_the_longest_word_of_the_name_decides(name, expected):
    reading = REGISTRY.category("social").reading
    taken = read_sign_less(name, "percent", False, "higher", reading)
    assert taken.comparator is expected and not taken.guess


def test_words_of_one_length_pulling_both_ways_are_a_guess():
    reading = Reading(higher=("完成",), lower=("事故",))
    taken = read_sign_less("事故完成", "count", False, "higher", reading)
    assert taken.guess and taken.comparator is Comparator.GE


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="率完成事故投诉发生覆盖差错数量人次", max_size=8),
       st.sampled_from(["count", "percent", "time", "money", "number"]),
       st.sampled_from(sorted(c for c in ("quantity", "quality", "timeliness", "cost", "social",
                                          "economic", "ecological", "sustainability",
                                          "satisfaction"))))
def test_a_zero_target_is_never_read_as_met_by_anything(name, kind, category):
    cat = REGISTRY.category(category)
    taken = read_sign_less(name, kind, True, cat.direction, cat.reading)
    assert taken.comparator is not Comparator.GE


def test_a_category_reading_with_an_unknown_key_is_a_located_error(tmp_path: Path):
    path = tmp_path / "cat.toml"
    path.write_text('[[category]]\nname = "x"\nzh = "X"\ngroup = "outputs"\ndefault_rule = "standard"\n'
                    '[category.reading]\nkind = { time = "≤" }\nhigher = ["率"]\n', encoding="utf-8")
    with pytest.raises(PluginError) as info:
        load_definitions(path)
    problem = info.value.problems[0]
    assert "unknown key 'kind'" in problem.message and "did you mean 'kinds'" in (problem.hint or "")
    assert problem.origin.line == 7


def test_a_category_reading_with_a_bad_sign_is_a_located_error(tmp_path: Path):
    path = tmp_path / "cat.toml"
    path.write_text('[[category]]\nname = "x"\nzh = "X"\ngroup = "outputs"\ndefault_rule = "standard"\n'
                    '[category.reading]\nkinds = { time = "<" }\n', encoding="utf-8")
    with pytest.raises(PluginError, match="the reading of 'time' must be one of ≥, ≤, ="):
        load_definitions(path)


# -- part 2: classifiers are count units; exact areas ----------------------------------------------

@pytest.mark.parametrize("unit", ["种", "例", "台套", "株", "篇", "处", "户", "人次", "场次", "架次"])
def test_a_classifier_is_a_count_unit_of_its_own(unit):
    assert one(f"≥12{unit}", f"12{unit}").total == 100
    assert one(f"≥12{unit}", f"9{unit}").total == 75


def test_counts_of_different_classifiers_never_compare():
    with pytest.raises(EvaluationError) as info:
        one("≥12例", "12种")
    problem = info.value.problems[0]
    assert "'种' (count:种) cannot be compared with '例' (count:例)" in problem.message
    assert problem.origin.path[-1] == "actual"


@pytest.mark.parametrize(("text", "hint"), [("≥400批欠", "批"), ("≥5平放米", "平方米")])
def test_a_slip_of_a_known_unit_stays_an_unknown_unit(text, hint):
    with pytest.raises(ValueError, match="unknown unit") as info:
        parse_target(text, UNITS)
    assert hint in str(getattr(info.value, "hint", ""))


@pytest.mark.parametrize("text", ["一般", "一流", "400余批次", "30天左右", "十分满意"])
def test_words_and_approximations_are_not_counts(text):
    try:
        value = parse_actual(text, UNITS)
    except ValueError:
        return
    assert value.quantity is None


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 10**6), st.integers(0, 10**6), st.sampled_from(["≥", "≤", "=", ">", "<"]),
       st.sampled_from(["种", "例", "台套", "株套"]))
def test_an_unknown_count_unit_behaves_exactly_like_ge(a, b, sign, unit):
    known = one(f"{sign}{a}个", f"{b}个")
    unknown = one(f"{sign}{a}{unit}", f"{b}{unit}")
    assert [r.score for r in unknown.rows] == [r.score for r in known.rows]
    assert [r.status for r in unknown.rows] == [r.status for r in known.rows]
    assert codes(unknown) == codes(known)


@pytest.mark.parametrize(("amount", "unit", "into", "expected"), [
    (3, "亩", "平方米", Fraction(2000)),
    (1, "亩", "平方米", Fraction(2000, 3)),
    (15, "亩", "公顷", Fraction(1)),
    (1, "公顷", "亩", Fraction(15)),
    (250, "厘米", "米", Fraction(5, 2)),
    (1, "千米", "毫米", Fraction(10**6)),
    (1500, "克", "千克", Fraction(3, 2)),
    (2, "吨", "千克", Fraction(2000)),
])
def test_length_area_and_weight_units_convert_exactly(amount, unit, into, expected):
    assert UNITS.factor(unit, into) * amount == expected


def test_an_area_in_mu_meets_a_target_in_square_metres_exactly():
    assert one("≥2000平方米", "3亩").total == 100
    assert one("≥2001平方米", "3亩").rows[0].score < 100


# -- part 3: hints that catch slips ----------------------------------------------------------------

@pytest.mark.parametrize(("actual", "meant"), [("0.873", "87.3%"), (0.873, "87.3%"), ("1", "100%")])
def test_a_fraction_for_a_percentage_is_refused_with_the_percentage_meant(actual, meant):
    with pytest.raises(EvaluationError) as info:
        one("≥85%", actual, category="quality", name="合格率")
    problem = info.value.problems[0]
    assert f"did you mean {meant}?" in (problem.hint or "")
    assert problem.origin.path[-1] == "actual"


@pytest.mark.parametrize(("target", "actual", "total"), [
    ("≥85%", "87.3%", Decimal("100.00")),  # with its unit: as written
    ("≥85%", "87.3", Decimal("100.00")),  # a bare number above 1: in the target's unit
    ("≥1%", "0.5", Decimal("50.00")),  # a target of 1% or less: a fraction is plausible
    ("≥85", "0.85", Decimal("1.00")),  # no percentage expected
])
def test_what_is_not_a_fraction_slip_is_scored_as_before(target, actual, total):
    assert one(target, actual).total == total


def test_an_actual_with_a_sign_is_scored_as_its_number_and_reported():
    result = one("≥90%", "≥92%", category="quality", name="合格率")
    assert result.total == 100
    finding = next(f for f in result.findings if f.code == "signed-actual")
    assert finding.indicator == "x" and "'≥92%'" in finding.message_en
    assert "带有比较符号“≥”" in finding.message_zh
    assert "signed-actual" not in codes(one("≥90%", "92%", category="quality", name="合格率"))


def test_the_nearest_words_come_first_in_the_input_language():
    words = ["基本健全", "good", "有效", "基本完成", "完善"]
    assert nearest("基本建立", words)[:2] == ["基本健全", "基本完成"]
    assert nearest("goood", ["good", "基本健全", "poor"]) == ["good", "poor"]
    with pytest.raises(EvaluationError) as info:
        one("有效", "基本建立", category="social", name="宣传效果")
    hint = str(info.value.problems[0])
    assert "such as 基本健全" in hint or "基本健全" in hint.split("such as")[1][:12]


def test_every_new_finding_code_has_a_chinese_label():
    from evalcore_builtin._finding_labels import FINDING_LABELS
    assert {"ambiguous-direction", "signed-actual"} <= set(FINDING_LABELS)


# -- the three paths give one answer for the new readings ------------------------------------------

PATH_ROWS = [
    # id, category, name, target, the actuals the projects draw from
    ("t", "timeliness", "办理时限", "30天", ["20天", "30天", "40天", "≤25天"]),
    ("d", "timeliness", "完工时间", "2021年第三季度", ["2021-09-30", "2021-10-01", "2021年8月完成"]),
    ("c", "cost", "成本占比", "30%", ["20%", "45%", "30%"]),
    ("s", "social", "安全事故", "0起", ["0起", "3起"]),
    ("k", "quantity", "引进品种", "12种", ["12种", "9种", "≥15种", "12例"]),
    ("p", "quality", "验收合格率", "≥85%", ["87.3%", "80", "0.873", "≥90%"]),
    ("y", "timeliness", "验收时间", "年底前完成", ["2021-12-31", "2022-01-01", "已完成", "基本完成"]),
]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([2021, 2022, None]),
                          *(st.sampled_from(actuals) for *_, actuals in PATH_ROWS)),
                min_size=1, max_size=6))
def test_numbers_first_and_columnar_paths_score_the_new_readings_as_the_full_path(drawn):
    rows = [{"id": i, "name": n, "category": c, "points": 10 if i != "t" else 40, "target": t}
            for i, c, n, t, _ in PATH_ROWS]
    scheme = _scheme(rows)
    plan = evalcore.compile(scheme, REGISTRY)
    projects = [evalcore.Project(evalcore.ProjectInfo(f"p{k}", year=year), scheme, None, {
        row[0]: evalcore.Actual(value, reason="说明") for row, value in zip(PATH_ROWS, values, strict=True)})
        for k, (year, *values) in enumerate(drawn)]
    for project in projects:
        try:
            fast = plan.evaluate(project)
        except EvaluationError as exc:
            with pytest.raises(EvaluationError) as again:
                full_path(plan, project)
            assert again.value.problems == exc.problems
            continue
        assert_same(fast, full_path(plan, project))
    table = plan.evaluate_table({**table_of(projects), "year": [p.info.year for p in projects]})
    for row, (project, got) in enumerate(zip(projects, table.to_pylist(), strict=True)):
        same_row(plan, project, got, row)


def test_a_numeric_column_of_fractions_for_a_percentage_is_refused_by_the_columnar_path_too():
    """A float column is read without parsing (exactly): its 0.873 must not reach a kernel."""
    plan = evalcore.compile(_scheme(single("≥85%", None, category="quality", name="合格率")), REGISTRY)
    got = plan.evaluate_table({"project": ["a", "b"], "x": [0.873, 87.3]}).to_pylist()
    assert got[0]["total"] is None and "did you mean 87.3%?" in got[0]["errors"][0]
    assert got[1]["total"] == Decimal("100.00") and got[1]["errors"] == []


YEARLESS = [
    ("年底前", (12, 31)), ("年底", (12, 31)), ("年内", (12, 31)), ("本年度内", (12, 31)),
    ("年底前完成", (12, 31)), ("12月底前", (12, None)), ("12月底", (12, None)),
    ("12月前完成", (12, None)), ("6月份", (6, None)), ("10月31日前", (10, 31)),
    ("上半年", (6, 30)), ("下半年", (12, 31)), ("上半年完成", (6, 30)), ("第三季度", (9, None)),
    ("三季度末", (9, None)), ("第1季度", (3, None)), ("二季度前", (6, None)),
]


@pytest.mark.parametrize(("text", "period"), YEARLESS)
def test_a_period_without_its_year_is_a_deadline_in_the_project_s_year(text, period):
    target = parse_target(text, UNITS)
    assert (target.comparator, target.period, target.date) == (Comparator.LE, period, None)


@pytest.mark.parametrize("text", ["三季度", "12月", "3个月", "第五季度", "13月底"])
def test_a_duration_or_an_impossible_period_is_not_a_yearless_deadline(text):
    try:
        target = parse_target(text, UNITS)
    except ValueError:
        return
    assert target.period is None  # a duration (三季度: 3 quarters) or words (第五季度)


def _with_year(rows: list[dict[str, object]], year: int | None) -> str:
    text = project_toml(rows)
    return text.replace("[project]\n", f"[project]\nyear = {year}\n", 1) if year else text


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(YEARLESS), st.integers(2000, 2030), st.integers(-400, 400))
def test_a_completion_by_a_yearless_deadline_scores_full_and_after_it_less(form, year, shift):
    text, _ = form
    due = parse_target(text, UNITS).due(year)
    done = due + dt.timedelta(days=shift)
    rows = single(text, done.isoformat(), category="timeliness", name="完成时间")
    result = evaluate_text(_with_year(rows, year), REGISTRY)
    assert (result.total == 100) is (done <= due)


def test_a_yearless_deadline_keeps_its_words_and_needs_the_year_for_a_date():
    words = single("年底前完成", "基本完成", category="timeliness", name="完成时间")
    assert evaluate_text(_with_year(words, None), REGISTRY).total == 60  # as it always scored
    dated = single("年底前完成", "2021-11-30", category="timeliness", name="完成时间")
    assert evaluate_text(_with_year(dated, 2021), REGISTRY).total == 100
    assert evaluate_text(_with_year(dated, 2020), REGISTRY).total == 0
    with pytest.raises(EvaluationError) as info:
        evaluate_text(_with_year(dated, None), REGISTRY)
    problem = info.value.problems[0]
    assert "names no year" in problem.message and problem.origin.path[-1] == "actual"


def test_a_table_carries_each_project_s_year_in_its_year_column():
    plan = evalcore.compile(_scheme(single("年底前", None, category="timeliness", name="完工")),
                            REGISTRY)
    got = plan.evaluate_table({"project": list("abcd"), "x": ["2021-11-30", "2022-01-05",
                                                              "2021-11-30", "已完成"],
                               "year": [2021, 2021, 1800, None]}).to_pylist()
    assert [r["total"] for r in got] == [Decimal("100.00"), Decimal("0.00"), None, Decimal("100.00")]
    assert "year must be a four-digit year, not 1800" in got[2]["errors"][0]


class _Incidents:
    """A third party's category declared in Python: incidents, fewer is better, and a rate
    whose reading is a guess."""

    @evalcore.plugin.hookimpl
    def evalcore_categories(self) -> list[evalcore.plugin.Category]:
        reading = evalcore.plugin.Reading(kinds={"count": Comparator.LE}, guess=frozenset({"percent"}),
                                          higher=("处置率",))
        return [evalcore.plugin.Category("incidents", "事件指标", "benefits", default_rule="standard",
                                         reading=reading)]


def test_a_third_party_category_declares_its_reading_through_evalcore_plugin():
    registry = evalcore.Registry.from_plugins(evalcore.get_plugin_manager(plugins=[_Incidents()]))
    rows = [{"id": "a", "name": "突发事件", "category": "incidents", "points": 50, "target": "3起",
             "actual": "5起"},
            {"id": "b", "name": "事件占比", "category": "incidents", "points": 25, "target": "10%",
             "actual": "10%"},
            {"id": "c", "name": "事件处置率", "category": "incidents", "points": 25, "target": "90%",
             "actual": "90%"}]
    result = evaluate_text(project_toml(rows), registry)
    assert [r.target for r in result.rows] == ["≤3起", "≥10%", "≥90%"]
    assert result.rows[0].score == Decimal("30.00")  # 50 × 3/5
    assert [f.indicator for f in result.findings if f.code == "ambiguous-direction"] == ["b"]


def test_an_unknown_unit_with_no_close_name_is_shown_its_nearest_units_first():
    with pytest.raises(ValueError) as info:
        parse_target("≥5公尺", UNITS)  # a slip of 公里 / 公斤 / 公分 (same first character)
    assert getattr(info.value, "hint", "").startswith("the nearest units: 公分, 公斤, 公里;")
    with pytest.raises(ValueError) as info:
        parse_target("≥5 foo", UNITS)
    assert getattr(info.value, "hint", "") == "`evalcore plugins` lists the units"
