"""Every mistake in an input file becomes a located EvalcoreError, never another exception.

Each test states one bad input and pins where the problem is reported (file,
key path, line), what it says, and its "did you mean" hint. Lines are looked up
in the generated text, so the tests say *which* line, not a magic number.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from helpers import evaluate_text, line_of, project_toml, single, toml_value
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import evalcore
from evalcore import EvalcoreError, EvaluationError, LoadError, Problem, Status, ValidationError
from evalcore.loading import load_file

FILE = "project.toml"  # the name evaluate_text gives its text


# -- builders ------------------------------------------------------------------------------------


def row(**changes: object) -> list[dict[str, object]]:
    """One valid quantity indicator (≥10个, actual 10个, all 100 points); None removes a key."""
    rows = single("≥10个", "10个")
    for key, value in changes.items():
        if value is None:
            rows[0].pop(key, None)
        else:
            rows[0][key] = value
    return rows


def two_rows(first: dict[str, object], second: dict[str, object]) -> list[dict[str, object]]:
    """Two valid 50-point rows, ids a and b, changed as given; None removes a key."""
    base = {"name": "指标", "category": "quantity", "points": 50, "target": "≥1个", "actual": "1个"}
    rows = [{"id": "a", **base, **first}, {"id": "b", **base, **second}]
    return [{k: v for k, v in r.items() if v is not None} for r in rows]


def problems_of(text: str, registry: evalcore.Registry,
                kind: type[EvalcoreError] = EvalcoreError) -> tuple[Problem, ...]:
    """The problems of evaluating ``text``, which must fail with ``kind``."""
    with pytest.raises(kind) as info:
        evaluate_text(text, registry)
    assert info.value.problems, "an EvalcoreError must carry at least one problem"
    return info.value.problems


def the_problem(problems: tuple[Problem, ...], *path: str | int) -> Problem:
    """The one problem reported at ``path``."""
    found = [p for p in problems if p.origin.path == path]
    assert len(found) == 1, f"expected one problem at {path}, got: {[str(p) for p in problems]}"
    return found[0]


def only_problem(text: str, registry: evalcore.Registry,
                 kind: type[EvalcoreError] = EvalcoreError) -> Problem:
    problems = problems_of(text, registry, kind)
    assert len(problems) == 1, [str(p) for p in problems]
    assert problems[0].origin.file == FILE
    return problems[0]


# -- malformed TOML --------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "line", "fragment"), [
    ('[project]\nname = "a"\n\n[[indicator]]\nid = "x"\nname = = 3\n', 6, "Invalid value"),
    ('[project]\nname = "a"\nname = "b"\n', 3, "Cannot overwrite"),
    ('[project]\nname = "unterminated\n', 2, "Illegal character"),
    ('[project\nname = "a"\n', 1, "Expected ']'"),
    ('[project]\nname = "a"\n\n\n[[indicator]]\npoints = ten\n', 6, "Invalid value"),
], ids=["double-equals", "key-twice", "unterminated-string", "unclosed-header", "bare-word"])
def test_malformed_toml_is_a_load_error_at_its_line(registry, text, line, fragment):
    problem = only_problem(text, registry, LoadError)
    assert problem.origin.line == line
    assert problem.message.startswith("not valid TOML")
    assert fragment in problem.message
    assert str(problem).startswith(f"{FILE}:{line}: error: not valid TOML")


def test_malformed_toml_on_disk_names_the_file_and_line(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[project]\nname = "a"\nyear = 20 21\n', encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_file(path)
    (problem,) = info.value.problems
    assert (problem.origin.file, problem.origin.line) == (str(path), 3)


def test_a_file_that_is_not_utf8_is_a_load_error_naming_the_file(tmp_path):
    path = tmp_path / "gbk.toml"
    path.write_bytes('[project]\nname = "项目"\n'.encode("gbk"))
    with pytest.raises(LoadError) as info:
        load_file(path)
    (problem,) = info.value.problems
    assert problem.origin.file == str(path)
    assert "UTF-8" in problem.message


# -- wrong types -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "value", "fragment"), [
    ("points", "ten", "points: 'ten' is not a number"),
    ("points", True, "points: expected a number, got the boolean true"),
    ("target", [1], "target must be text, a number or a date, not an array"),
    ("name", 3, "name must be text, not int 3"),
    ("category", 5, "category must be text, not int 5"),
    ("id", 7, "id must be non-empty text"),
    ("actual", True, "actual must be text, a number or a date, not a boolean"),
    ("actual", {"v": 1}, "actual must be text, a number or a date, not a table"),
    ("assessed", "高", "assessed: '高' is not a number"),
    ("params", "x", "params must be a table, not the text 'x'"),
], ids=["points-text", "points-bool", "target-array", "name-int", "category-int", "id-int",
        "actual-bool", "actual-table", "assessed-text", "params-text"])
def test_a_value_of_the_wrong_type_is_reported_at_its_key_and_line(registry, key, value, fragment):
    text = project_toml(row(**{key: value}))
    problem = only_problem(text, registry, ValidationError)
    assert problem.origin.path == ("indicator", 0, key)
    assert problem.origin.line == line_of(text, f"{key} = {toml_value(value)}")
    assert fragment in problem.message


def test_a_year_written_as_text_is_reported_at_project_year(registry):
    text = project_toml(row()).replace("[project]\n", '[project]\nyear = "2021"\n')
    problem = only_problem(text, registry, ValidationError)
    assert problem.origin.path == ("project", "year")
    assert problem.origin.line == line_of(text, 'year = "2021"')
    assert problem.message == "year must be a number such as 2021, not the text '2021'"


@pytest.mark.parametrize("text", ["二〇二一", "2021年", "12345", "1066"])
def test_text_that_is_no_year_is_still_not_a_four_digit_year(registry, text):
    source = project_toml(row()).replace("[project]\n", f'[project]\nyear = "{text}"\n')
    problem = only_problem(source, registry, ValidationError)
    assert problem.message == f"year must be a four-digit year, not the text '{text}'"


@pytest.mark.parametrize("literal", ["true", "99999", "2021.5"])
def test_a_year_that_is_not_a_plausible_year_is_an_error(registry, literal):
    text = project_toml(row()).replace("[project]\n", f"[project]\nyear = {literal}\n")
    problem = only_problem(text, registry, ValidationError)
    assert problem.origin.path == ("project", "year")
    assert problem.origin.line == 2


@pytest.mark.parametrize("table", ["budget", "settings", "goal", "actual"])
def test_a_section_that_is_not_a_table_is_reported_at_its_key(registry, table):
    text = f"{table} = 3\n" + project_toml(row())
    problems = problems_of(text, registry, ValidationError)
    assert {p.origin.path for p in problems} == {(table,)}
    assert all(p.origin.line == 1 for p in problems)
    assert f"{table} must be a table, not int 3" in problems[0].message


# -- unknown names ---------------------------------------------------------------------------------


def test_a_misspelled_category_suggests_the_right_one(registry):
    text = project_toml(row(category="quantiy"))
    problem = only_problem(text, registry, ValidationError)
    assert problem.origin.path == ("indicator", 0, "category")
    assert problem.origin.line == line_of(text, 'category = "quantiy"')
    assert problem.message == "unknown category 'quantiy'"
    assert problem.hint is not None and "did you mean 'quantity'" in problem.hint
    assert "did you mean 'quantity'" in str(problem)


@pytest.mark.parametrize(("alias", "category"), [
    ("数量指标", "quantity"), ("数量", "quantity"), ("进度指标", "timeliness"),
    ("满意度指标", "satisfaction"), ("Quantity", "quantity"), ("  质量指标 ", "quality"),
])
def test_chinese_names_and_aliases_of_a_category_are_accepted(registry, alias, category):
    result = evaluate_text(project_toml(row(category=alias)), registry)
    assert result.rows[0].category == category
    assert result.rows[0].score == 100


def test_an_unknown_category_with_nothing_close_lists_the_known_ones(registry):
    problem = only_problem(project_toml(row(category="天气")), registry, ValidationError)
    assert problem.hint is not None and "quantity" in problem.hint and "timeliness" in problem.hint


def test_a_misspelled_rule_suggests_the_right_one(registry):
    text = project_toml(row(rule="postive"))
    problem = only_problem(text, registry, ValidationError)
    assert problem.origin.path == ("indicator", 0, "rule")
    assert problem.origin.line == line_of(text, 'rule = "postive"')
    assert problem.message == "unknown rule 'postive'"
    assert problem.hint == "did you mean 'positive'?"


def test_a_misspelled_group_suggests_the_right_one(registry):
    text = project_toml(row(group="outptus"))
    problem = only_problem(text, registry, ValidationError)
    assert problem.origin.path == ("indicator", 0, "group")
    assert problem.hint is not None and "'outputs'" in problem.hint


def test_an_unknown_profile_suggests_the_known_one(registry):
    text = project_toml(row(), profile="national-2021")
    problem = only_problem(text, registry, ValidationError)
    assert problem.origin.path == ("project", "profile")
    assert problem.origin.line == line_of(text, 'profile = "national-2021"')
    assert problem.message == "unknown profile 'national-2021'"
    assert problem.hint == "did you mean 'national-2020'?"


def test_an_unknown_unit_in_a_target_is_reported_with_a_suggestion(registry):
    problem = only_problem(project_toml(row(target="≥10批吃")), registry, ValidationError)
    assert problem.origin.path == ("indicator", 0, "target")
    assert "unknown unit '批吃'" in problem.message
    assert "did you mean '批'" in str(problem)


def test_an_unknown_unit_in_an_actual_is_reported_at_the_actual_and_its_line(registry):
    text = project_toml(row(actual="12批吃"))
    problem = only_problem(text, registry, EvaluationError)
    assert problem.origin.path == ("indicator", 0, "actual")
    assert problem.origin.line == line_of(text, 'actual = "12批吃"')
    assert "unknown unit '批吃'" in problem.message
    assert "did you mean '批'" in str(problem)


def test_an_unknown_budget_unit_is_an_error(registry):
    text = project_toml(row(points=90), budget={"points": 10, "planned": 5, "executed": 5, "unit": "万圆"})
    problem = only_problem(text, registry, ValidationError)
    assert problem.origin.path == ("budget", "unit")
    assert "万圆" in problem.message


def test_an_unknown_top_level_key_suggests_the_right_one(registry):
    text = project_toml(row()) + "\n[budgett]\npoints = 10\n"
    problem = only_problem(text, registry, ValidationError)
    assert problem.origin.path == ("budgett",)
    assert problem.origin.line == line_of(text, "[budgett]")
    assert problem.message == "unknown key 'budgett' at the top level"
    assert problem.hint == "did you mean 'budget'?"


def test_an_unknown_indicator_key_suggests_the_right_one(registry):
    text = project_toml(row(target=None, taget="≥10个"))
    problems = problems_of(text, registry, ValidationError)
    typo = the_problem(problems, "indicator", 0, "taget")
    assert typo.origin.line == line_of(text, "taget =")
    assert typo.message == "unknown key 'taget'"
    assert typo.hint == "did you mean 'target'?"
    # ... and the target it was meant to be is reported missing, in the same run.
    assert "target is missing" in the_problem(problems, "indicator", 0, "target").message


def test_an_unknown_key_with_nothing_close_lists_the_allowed_keys(registry):
    problem = only_problem(project_toml(row(colour="red")), registry, ValidationError)
    assert problem.hint is not None and problem.hint.startswith("allowed: ")
    assert "target" in problem.hint and "points" in problem.hint


def test_an_unknown_key_in_an_actual_table_suggests_the_right_one(registry):
    text = project_toml(row(actual=None)) + '\n[actual]\nx = { value = "10个", reasn = "r" }\n'
    problem = only_problem(text, registry, ValidationError)
    assert problem.origin.path == ("actual", "x", "reasn")
    assert problem.hint == "did you mean 'reason'?"


# -- missing keys ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "fragment"), [
    ("target", 'target is missing (年度指标值); write "/" for a row that does not apply'),
    ("name", "name is missing"),
    ("points", "points is missing"),
    ("category", "category is missing"),
])
def test_a_missing_required_key_is_reported_at_its_indicator(registry, key, fragment):
    text = project_toml(row(**{key: None}))
    problem = only_problem(text, registry, ValidationError)
    assert problem.origin.path == ("indicator", 0, key)
    assert problem.origin.line == line_of(text, "[[indicator]]")  # the table that lacks it
    assert problem.message == fragment


def test_a_project_without_a_name_is_an_error_at_project_name(registry):
    text = project_toml(row()).replace('name = "测试项目"\n', "")
    problem = only_problem(text, registry, ValidationError)
    assert problem.origin.path == ("project", "name")
    assert problem.origin.line == 1


def test_an_empty_file_says_what_a_project_needs(registry):
    problems = problems_of("", registry, ValidationError)
    messages = " | ".join(p.message for p in problems)
    assert "[project] table" in messages
    assert "[[indicator]]" in messages
    assert all(p.origin.file == FILE for p in problems)


# -- numbers that are not numbers ------------------------------------------------------------------


@pytest.mark.parametrize(("key", "literal", "fragment"), [
    ("points", "nan", "points: nan is not a finite number"),
    ("points", "inf", "points: inf is not a finite number"),
    ("points", "-inf", "not a finite number"),
    ("target", "nan", "target is not a number (nan)"),
    ("actual", "nan", "actual is not a number (nan)"),
])
def test_nan_and_infinity_are_rejected_when_the_file_is_read(registry, key, literal, fragment):
    text = _with_literal(key, literal)
    problem = only_problem(text, registry, ValidationError)
    assert problem.origin.path == ("indicator", 0, key)
    assert problem.origin.line == line_of(text, f"{key} = {literal}")
    assert fragment in problem.message


def test_an_infinite_actual_is_rejected_at_the_actual(registry):
    text = _with_literal("actual", "inf")
    problem = only_problem(text, registry, EvaluationError)
    assert problem.origin.path == ("indicator", 0, "actual")
    assert problem.origin.line == line_of(text, "actual = inf")
    assert "inf is not a finite number" in problem.message


def test_an_infinite_target_is_rejected_at_the_target(registry):
    problem = only_problem(_with_literal("target", "-inf"), registry, ValidationError)
    assert problem.origin.path == ("indicator", 0, "target")
    assert "-inf is not a finite number" in problem.message


def _with_literal(key: str, literal: str) -> str:
    """The one-row project with ``key`` set to a raw TOML literal (nan, inf, ...)."""
    text = project_toml(row(**{key: "PLACEHOLDER"}))
    return text.replace(f'{key} = "PLACEHOLDER"', f"{key} = {literal}")


@pytest.mark.parametrize(("key", "value"), [("points", -5), ("assessed", -1)])
def test_a_negative_weight_or_score_is_an_error(registry, key, value):
    text = project_toml(row(**{key: value}))
    problem = only_problem(text, registry, ValidationError)
    assert problem.origin.path == ("indicator", 0, key)
    assert problem.origin.line == line_of(text, f"{key} = {value}")
    assert f"{key} cannot be negative ({value})" in problem.message


def test_a_negative_budget_figure_is_an_error(registry):
    text = project_toml(row(points=90), budget={"points": 10, "planned": 5, "executed": -3})
    problem = only_problem(text, registry, ValidationError)
    assert problem.origin.path == ("budget", "executed")
    assert problem.origin.line == line_of(text, "executed = -3")


HUGE = "123456789012345678901234567890"  # 30 digits


def test_a_30_digit_weight_is_rejected_as_unrealistic(registry):
    text = _with_literal("points", HUGE)
    problem = only_problem(text, registry, ValidationError)
    assert problem.origin.path == ("indicator", 0, "points")
    assert problem.origin.line == line_of(text, f"points = {HUGE}")
    assert "more than 24 digits" in problem.message


@pytest.mark.parametrize("actual", [f"{HUGE}个", int(HUGE), 1e300, "0.0000000000000000000000000001个"],
                         ids=["text", "integer", "float", "tiny"])
def test_a_huge_actual_is_rejected_at_the_actual(registry, actual):
    text = project_toml(row(actual=actual))
    problem = only_problem(text, registry, EvaluationError)
    assert problem.origin.path == ("indicator", 0, "actual")
    assert problem.origin.line == line_of(text, "actual = ")
    assert "more than 24 digits" in problem.message


def test_a_huge_target_is_rejected_at_the_target(registry):
    problem = only_problem(project_toml(row(target=f"≥{HUGE}个")), registry, ValidationError)
    assert problem.origin.path == ("indicator", 0, "target")
    assert "more than 24 digits" in problem.message


# -- points, ids, actual values --------------------------------------------------------------------


def test_points_that_do_not_add_up_list_the_sum_of_each_group(registry):
    text = project_toml(two_rows({"points": 40}, {"category": "social", "points": 30}))
    problem = only_problem(text, registry, ValidationError)
    assert problem.origin.path == ("indicator",)
    assert problem.message == "the points add up to 70, not 100 (产出指标 40, 效益指标 30)"


def test_a_duplicate_id_names_the_first_indicator_that_has_it(registry):
    text = project_toml(two_rows({}, {"id": "a"}))
    problem = only_problem(text, registry, ValidationError)
    assert problem.origin.path == ("indicator", 1, "id")
    assert problem.origin.line == line_of(text, 'id = "a"', nth=2)
    assert problem.message == "duplicate id 'a' (also indicator[0])"


def test_an_actual_for_an_indicator_that_does_not_exist_suggests_the_close_id(registry):
    text = project_toml(row(actual=None)) + '\n[actual]\nxx = "3个"\n'
    problem = only_problem(text, registry, ValidationError)
    assert problem.origin.path == ("actual", "xx")
    assert problem.origin.line == line_of(text, 'xx = "3个"')
    assert "'xx', which is not an indicator of the scheme" in problem.message
    assert problem.hint == "did you mean 'x'?"


def test_an_actual_for_an_unknown_id_with_nothing_close_lists_the_ids(registry):
    text = project_toml(two_rows({"actual": None}, {})) + '\n[actual]\nzzz = "3个"\n'
    problem = the_problem(problems_of(text, registry, ValidationError), "actual", "zzz")
    assert problem.hint == "the ids are: a, b"


def test_an_actual_given_both_inline_and_in_the_actual_table_is_an_error(registry):
    text = project_toml(row()) + '\n[actual]\nx = "3个"\n'
    problem = only_problem(text, registry, ValidationError)
    assert problem.origin.path == ("actual", "x")
    assert problem.origin.line == line_of(text, 'x = "3个"')
    assert problem.message == "'x' has an actual value twice: inline and in [actual]"


def test_an_unknown_qualitative_word_without_assessed_is_an_error_not_a_guess(registry):
    text = project_toml(row(target="按期完成", actual="差不多"))
    problem = only_problem(text, registry, EvaluationError)
    assert problem.origin.path == ("indicator", 0, "actual")
    assert problem.origin.line == line_of(text, 'actual = "差不多"')
    assert "cannot tell which tier '差不多' is" in problem.message
    assert "'assessed'" in problem.message


def test_an_unknown_qualitative_word_with_assessed_takes_the_assessed_score(registry):
    result = evaluate_text(project_toml(row(target="按期完成", actual="差不多", assessed=70)), registry)
    assert result.rows[0].score == Decimal(70)
    assert result.rows[0].status is Status.PARTLY_MET


@pytest.mark.parametrize(("actual", "assessed", "band"), [
    ("部分完成", 90, "部分达成年度指标并具有一定效果 [60, 80)"),
    ("完成", 79, "达成年度指标 [80, 100]"),
    ("完成", 120, "达成年度指标 [80, 100]"),
    ("未完成", 60, "未达成年度指标且效果较差 [0, 60)"),
])
def test_an_assessed_score_outside_the_words_band_is_an_error(registry, actual, assessed, band):
    text = project_toml(row(target="按期完成", actual=actual, assessed=assessed))
    problem = only_problem(text, registry, EvaluationError)
    assert problem.origin.path == ("indicator", 0, "actual")
    assert problem.origin.line == line_of(text, f'actual = "{actual}"')
    assert problem.message == f"the assessed score {assessed} is outside the band of {band}"


@pytest.mark.parametrize(("target", "actual", "units"), [
    ("≥10批次", "12个", ("'个' (count:个)", "'批次' (count:批次)")),
    ("≥10个", "10%", ("'%' (percent)", "'个' (count:个)")),
    ("≤500万元", "3天", ("'天' (days)", "'万元' (money)")),
])
def test_units_of_different_kinds_are_never_converted(registry, target, actual, units):
    text = project_toml(row(target=target, actual=actual))
    problem = only_problem(text, registry, EvaluationError)
    assert problem.origin.path == ("indicator", 0, "actual")
    assert problem.origin.line == line_of(text, f'actual = "{actual}"')
    assert "cannot be compared with" in problem.message
    assert all(unit in problem.message for unit in units)


def test_units_of_one_kind_are_converted(registry):
    text = project_toml(row(category="cost", target="≤500万元", actual="4000000元"))
    assert evaluate_text(text, registry).rows[0].score == 100


@pytest.mark.parametrize("actual", ["很多", "2021-12-01"])
def test_a_non_numeric_actual_for_a_numeric_target_is_an_error(registry, actual):
    text = project_toml(row(actual=actual))
    problem = only_problem(text, registry, EvaluationError)
    assert problem.origin.path == ("indicator", 0, "actual")
    assert problem.message == f"the target ≥10个 needs a number, but the actual value is {actual!r}"


def test_a_number_for_a_deadline_target_is_an_error(registry):
    text = project_toml(row(category="timeliness", target="2021-12-31", actual="5个"))
    problem = only_problem(text, registry, EvaluationError)
    assert problem.origin.path == ("indicator", 0, "actual")
    assert "needs a date" in problem.message


@pytest.mark.parametrize("actual", ["/", "／", "不适用"])
def test_a_not_applicable_actual_for_an_applicable_row_is_an_error(registry, actual):
    text = project_toml(row(actual=actual))
    problem = only_problem(text, registry, EvaluationError)
    assert problem.origin.path == ("indicator", 0, "actual")
    assert problem.origin.line == line_of(text, f'actual = "{actual}"')
    # The national rules cannot score it; a plugin's rule may (PEFA's "NA"), so the rule says.
    assert f"the actual value is {actual!r}" in problem.message
    assert 'write "/" as its target (with 0 points)' in problem.hint


def test_a_not_applicable_target_that_carries_points_is_an_error(registry):
    text = project_toml(two_rows({"points": 90}, {"target": "/", "actual": None, "points": 10}))
    problem = the_problem(problems_of(text, registry, ValidationError), "indicator", 1, "points")
    assert "the row does not apply (target '/') but carries 10 points" in problem.message
    assert "give it 0 points" in problem.message


def test_a_not_applicable_target_with_no_points_is_accepted(registry):
    result = evaluate_text(project_toml(two_rows({"points": 100}, {"target": "/", "actual": None,
                                                                   "points": 0})), registry)
    assert [r.status for r in result.rows] == [Status.MET, Status.NOT_APPLICABLE]
    assert result.total == 100


@pytest.mark.parametrize(("target", "fragment"), [
    ("≥优良", "'≥优良' has a comparison symbol but no number"),
    ("2021-13-45", "'2021-13-45' is not a valid date"),
    ("", "the target is empty"),
])
def test_an_unreadable_target_is_reported_at_the_target(registry, target, fragment):
    problem = only_problem(project_toml(row(target=target)), registry, ValidationError)
    assert problem.origin.path == ("indicator", 0, "target")
    assert fragment in problem.message


def test_a_rule_parameter_that_does_not_exist_suggests_the_right_one(registry):
    problem = only_problem(project_toml(row(rule="reverse", params={"methd": "ratio"})), registry,
                           ValidationError)
    assert problem.origin.path == ("indicator", 0, "params", "methd")
    assert problem.message == "rule 'reverse' has no parameter 'methd'"
    assert problem.hint == "did you mean 'method'?"


def test_a_rule_parameter_with_a_bad_value_suggests_the_right_one(registry):
    problem = only_problem(project_toml(row(rule="reverse", params={"method": "ratoi"})), registry,
                           ValidationError)
    assert problem.origin.path == ("indicator", 0, "params", "method")
    assert "'ratoi' is not one of ratio, linear" in problem.message
    assert "did you mean 'ratio'" in str(problem)


def test_a_numeric_rule_on_a_qualitative_target_is_an_error_at_the_indicator(registry):
    text = project_toml(row(rule="positive", target="完成", actual="完成"))
    problem = only_problem(text, registry, ValidationError)
    assert problem.origin.path == ("indicator", 0)
    assert problem.origin.line == line_of(text, "[[indicator]]")
    assert "rule 'positive'" in problem.message and "numeric target" in problem.message


# -- [settings] ------------------------------------------------------------------------------------


def test_an_unknown_setting_suggests_the_right_one(registry):
    problem = only_problem(project_toml(row(), settings={"decimalz": 1}), registry, ValidationError)
    assert problem.origin.path == ("settings", "decimalz")
    assert problem.message == "unknown profile setting 'decimalz'"
    assert problem.hint == "did you mean 'decimals'?"


def test_a_setting_with_a_bad_value_says_what_is_allowed(registry):
    problem = only_problem(project_toml(row(), settings={"decimals": 9}), registry, ValidationError)
    assert problem.origin.path == ("settings", "decimals")
    assert problem.message == "decimals must be a whole number from 0 to 6"


def test_every_bad_setting_is_reported_together(registry):
    text = project_toml(row(), settings={"decimalz": 1, "decimals": 9, "aggregation": "mean"})
    problems = problems_of(text, registry, ValidationError)
    assert {p.origin.path for p in problems} == {
        ("settings", "decimalz"), ("settings", "decimals"), ("settings", "aggregation")}


def test_a_setting_for_an_unknown_rule_suggests_the_right_one(registry):
    problem = only_problem(project_toml(row(), settings={"rules": {"revrse": {"method": "ratio"}}}),
                           registry, ValidationError)
    assert problem.origin.path == ("settings", "rules", "revrse")
    assert problem.hint == "did you mean 'reverse'?"


def test_a_non_text_extends_setting_is_a_located_error(registry):
    problem = only_problem(project_toml(row(), settings={"extends": 1}), registry, ValidationError)
    assert problem.origin.path[0] == "settings"


def test_a_table_as_extends_setting_is_a_located_error(registry):
    problem = only_problem(project_toml(row(), settings={"extends": {"a": 1}}), registry, ValidationError)
    assert problem.origin.path[0] == "settings"


# -- all problems at once --------------------------------------------------------------------------


def test_every_problem_of_a_file_is_reported_together_not_just_the_first(registry):
    text = project_toml(two_rows({"category": "quantiy", "points": "ten"},
                                 {"id": "a", "name": 3, "target": None, "taget": "≥1个"}))
    problems = problems_of(text, registry, ValidationError)
    assert {p.origin.path for p in problems} == {
        ("indicator", 0, "category"), ("indicator", 0, "points"), ("indicator", 1, "taget"),
        ("indicator", 1, "name"), ("indicator", 1, "target"), ("indicator", 1, "id"),
    }
    assert all(p.origin.file == FILE and p.origin.line is not None for p in problems)
    listing = str(ValidationError(problems))
    assert listing.count("\n") == len(problems) - 1  # one line per problem


def test_every_problem_found_while_compiling_is_reported_together(registry):
    text = project_toml(two_rows({"target": "≥1批吃"},
                                 {"rule": "positive", "params": {"strict_boundary_share": 2}}))
    problems = problems_of(text, registry, ValidationError)
    assert {p.origin.path for p in problems} == {
        ("indicator", 0, "target"), ("indicator", 1, "params", "strict_boundary_share")}


def test_every_unreadable_actual_is_reported_together(registry):
    text = project_toml(two_rows({"actual": "1批吃"}, {"actual": "很多"}))
    problems = problems_of(text, registry, EvaluationError)
    assert [(p.origin.path, p.origin.line) for p in problems] == [
        (("indicator", 0, "actual"), line_of(text, 'actual = "1批吃"')),
        (("indicator", 1, "actual"), line_of(text, 'actual = "很多"')),
    ]


# -- a missing actual is a finding, not an error ---------------------------------------------------


def test_a_missing_actual_scores_zero_with_a_finding_not_an_error(registry):
    result = evaluate_text(project_toml(two_rows({"actual": None}, {})), registry)
    missing, scored = result.rows
    assert (missing.status, missing.score) == (Status.MISSING, 0)
    assert (scored.status, scored.score) == (Status.MET, 50)
    assert result.total == 50
    findings = [f for f in result.findings if f.code == "missing-actual"]
    assert [f.indicator for f in findings] == ["a"]
    assert "no actual value" in findings[0].message_en
    assert "缺少实际完成值" in findings[0].message_zh


def test_a_missing_budget_figure_scores_zero_with_a_finding(registry):
    result = evaluate_text(project_toml(row(points=90), budget={"points": 10, "planned": 5}), registry)
    assert result.budget is not None
    assert (result.budget.status, result.budget.score) == (Status.MISSING, 0)
    assert any(f.code == "missing-actual" and f.indicator == "budget" for f in result.findings)


# -- known bugs: each test pins the correct behaviour ----------------------------------------------


def test_the_budget_rule_on_an_ordinary_indicator_is_a_located_error(registry):
    problem = only_problem(project_toml(row(rule="execution-rate")), registry)
    assert problem.origin.path[:2] == ("indicator", 0)


def test_a_budget_that_is_not_a_table_is_reported_once(registry):
    problems = problems_of("budget = 3\n" + project_toml(row()), registry, ValidationError)
    assert len(problems) == 1


COMPILE_STAGE = {
    "unknown-unit-in-target": (row(target="≥10批吃"), None, ("indicator", 0, "target"), "target = "),
    "huge-target": (row(target=f"≥{HUGE}个"), None, ("indicator", 0, "target"), "target = "),
    "bad-rule-parameter": (row(rule="reverse", params={"methd": "ratio"}), None,
                           ("indicator", 0, "params", "methd"), "params = "),
    "bad-setting": (row(), {"decimals": 9}, ("settings", "decimals"), '"decimals" = 9'),
}


@pytest.mark.parametrize("case", list(COMPILE_STAGE))
def test_problems_found_while_compiling_carry_the_line_of_their_key(registry, case):
    rows, settings_table, path, needle = COMPILE_STAGE[case]
    text = project_toml(rows, settings=settings_table)
    problem = the_problem(problems_of(text, registry, ValidationError), *path)
    assert problem.origin.line == line_of(text, needle)


# -- property: nothing but a located EvalcoreError, whatever the values ----------------------------

WEIRD = st.sampled_from([
    "ten", True, [1], 3, -1, 0, 1.5, "≥10个", "≥10批吃", "/", "", "完成", "差不多", "2021-12-31",
    "≥2021-12-31", "≤0万元", "=0%", ">100%", "<5天", "1e400", HUGE, {"a": 1}, "≥-5个", "5个", "5%",
    "quantity", "cost", "数量指标", "timeliness", "positive", "reverse", "equality", "threshold",
    "qualitative", "standard", "0.0000001个", "≥0个", "=0个", "<0个", ">0个", 100, 50,
    "execution-rate", "formula", "万元/公里",
])
KEYS = st.sampled_from(["id", "name", "category", "points", "target", "rule", "actual", "assessed",
                        "reason", "published", "group", "params"])


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.dictionaries(KEYS, WEIRD, max_size=6))
def test_any_mix_of_bad_values_gives_a_result_or_located_problems(registry, changes):
    text = project_toml(row(**changes))
    try:
        evaluate_text(text, registry)
    except EvalcoreError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.origin.file == FILE, str(problem)
            assert problem.origin.path, str(problem)
            assert problem.message, str(problem)
