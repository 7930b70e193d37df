"""Each built-in check of target review fires and stays quiet at its edges, and its settings
change it."""

from __future__ import annotations

import pytest
from helpers import write
from review_helpers import codes, review_text, rows, table

import evalcore

S = "settings.review"


def test_a_complete_measurable_table_passes_with_nothing_found(registry):
    review = review_text(table(rows()), registry)
    assert review.findings == ()
    assert review.conclusion == "通过" and review.conclusion_en == "pass"
    assert review.checks == ("completeness", "measurability", "points", "weights", "cost",
                             "satisfaction", "duplicates", "deadline")


# -- completeness ---------------------------------------------------------------------------


def test_a_missing_benefits_group_is_an_error(registry):
    review = review_text(table(rows(s1=None)), registry)
    assert codes(review, "completeness") == [("missing-group", None)]
    assert review.findings[0].severity == "error"
    assert "效益指标" in review.findings[0].message_zh


def test_a_missing_output_category_is_a_warning_and_a_row_that_does_not_apply_counts_as_missing(
        registry):
    review = review_text(table(rows(q1={"target": "/", "points": 0})), registry)
    assert codes(review, "completeness") == [("missing-category", None)]
    assert "质量指标" in review.findings[0].message_zh


def test_completeness_asks_only_for_the_categories_its_settings_name(registry):
    text = table(rows(q1=None), settings=f"[{S}.completeness]\ncategories = [\"quantity\"]")
    assert codes(review_text(text, registry), "completeness") == []


def test_completeness_names_an_unknown_category_of_its_settings(registry):
    text = table(rows(), settings=f"[{S}.completeness]\ncategories = [\"quantiti\"]")
    with pytest.raises(evalcore.ValidationError, match=r"'quantiti'.*did you mean 'quantity'"):
        review_text(text, registry)


# -- measurability --------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["有效提升", "明显改善", "进一步提高", "逐步 提升。", "较好"])
def test_a_target_of_vague_words_only_is_flagged(registry, target):
    review = review_text(table(rows(s1={"target": target})), registry)
    assert codes(review, "measurability") == [("vague-target", "s1")]


@pytest.mark.parametrize("target", ["有效提升就业质量", "按期完成", "评审程序规范，结果公示"])
def test_words_with_something_checkable_are_not_vague(registry, target):
    assert codes(review_text(table(rows(s1={"target": target})), registry), "measurability") == []


def test_the_vague_word_list_is_a_setting(registry):
    text = table(rows(s1={"target": "有效提升"}), settings=f"[{S}.measurability]\n"
                 "vague_words = [\"显著\"]")
    assert codes(review_text(text, registry), "measurability") == []


def test_a_qualitative_target_where_words_are_not_allowed_is_flagged(registry):
    review = review_text(table(rows(q1={"target": "质量合格"})), registry)
    assert codes(review, "measurability") == [("qualitative-target", "q1")]
    finding = review.findings[0]
    assert finding.key.endswith(".target") and finding.line is not None


def test_the_categories_that_may_have_words_are_a_setting(registry):
    text = table(rows(q1={"target": "质量合格"}),
                 settings=f"[{S}.measurability]\nqualitative_categories = [\"quality\", \"social\"]")
    assert codes(review_text(text, registry), "measurability") == []


def test_a_number_without_a_unit_is_flagged(registry):
    review = review_text(table(rows(n1={"target": "≥100"})), registry)
    assert codes(review, "measurability") == [("no-unit", "n1")]


@pytest.mark.parametrize(("share", "flagged"), [("0.3", False), ("0.29", True)])
def test_the_share_of_points_on_words_is_flagged_above_the_setting_not_at_it(
        registry, share, flagged):
    # 27 of the 90 points of indicator rows on words: exactly 0.3
    changed = rows(n1={"points": 23}, s1={"target": "社会影响扩大，群众认可", "points": 27})
    text = table(changed, settings=f"[{S}.measurability]\nqualitative_share = {share}")
    assert (("qualitative-share", None) in codes(review_text(text, registry))) is flagged


# -- points ---------------------------------------------------------------------------------


def test_points_that_do_not_add_up_are_an_error_with_the_figures(registry):
    review = review_text(table(rows(n1={"points": 21})), registry)
    assert codes(review, "points") == [("points-sum", None)]
    assert "分值合计101，应为100" in review.findings[0].message_zh
    assert review.conclusion == "不通过"


def test_a_scheme_with_no_rows_states_its_sum_without_an_empty_breakdown(registry, tmp_path):
    path = tmp_path / "empty.toml"
    path.write_text('[scheme]\nname = "空表"\nprofile = "national-2020"\n', encoding="utf-8")
    review = evalcore.review(evalcore.load_scheme(path), registry=registry)
    (found,) = [f for f in review.findings if f.code == "points-sum"]
    assert found.message_zh == "分值合计0，应为100"
    assert found.message_en == "the points add up to 0, not 100"


def test_the_share_of_words_is_shown_half_up_in_any_decimal_context(registry):
    import decimal

    from evalcore_builtin.review_checks import _percent

    with decimal.localcontext(decimal.Context(rounding=decimal.ROUND_HALF_EVEN)):
        assert _percent(decimal.Decimal("0.5025")) == "50.3%"
        assert _percent(decimal.Decimal("0.5035")) == "50.4%"


def test_a_row_of_zero_points_is_a_warning_unless_switched_off(registry):
    changed = rows(n1={"points": 30}, q1={"points": 0})
    assert codes(review_text(table(changed), registry), "points") == [("zero-points", "q1")]
    text = table(changed, settings=f"[{S}.points]\nzero_points = false")
    assert codes(review_text(text, registry), "points") == []


# -- weights --------------------------------------------------------------------------------


def test_a_level_one_weight_at_the_edge_of_its_range_passes_and_beyond_it_is_flagged(registry):
    # outputs 60 (50 + 20%: inside), benefits 20 (30 − 33%: outside [24, 36])
    review = review_text(table(rows(n1={"points": 30}, s1={"points": 20})), registry)
    found = [f for f in review.findings if f.check == "weights"]
    assert [f.code for f in found] == ["weight-range"]
    assert "'benefits'" in found[0].message_en and "24–36" in found[0].message_en
    assert found[0].source == "evalcore's choice"


def test_ranges_in_the_settings_replace_the_deviation(registry):
    text = table(rows(), settings=f"[{S}.weights]\nranges = {{ outputs = [55, 70] }}")
    found = codes(review_text(text, registry), "weights")
    assert found == [("weight-range", None)]
    text = table(rows(), settings=f"[{S}.weights]\nranges = {{ outputs = [50, 50] }}")
    assert codes(review_text(text, registry), "weights") == []


def test_a_range_must_be_a_low_and_a_high(registry):
    text = table(rows(), settings=f"[{S}.weights]\nranges = {{ outputs = [60, 50] }}")
    with pytest.raises(evalcore.ValidationError, match=r"ranges: .*low above its high"):
        review_text(text, registry)


@pytest.mark.parametrize("settings", ['share_groups = ["outputz"]',
                                      'ranges = { "outputz+benefits" = [0, 100] }'])
def test_an_unknown_group_in_the_weights_settings_is_the_users_mistake(registry, settings):
    text = table(rows(), settings=f"[{S}.weights]\n{settings}")
    with pytest.raises(evalcore.ValidationError, match=r"'outputz'.*did you mean .*'outputs'") as info:
        review_text(text, registry)
    (problem,) = info.value.problems
    assert str(problem).startswith("project.toml:") and "settings.review.weights" in str(problem)


def test_groups_named_by_their_chinese_names_are_named_by_their_ids_in_english(registry):
    settings = (f"[{S}.weights]\nshare_min = 0.9\nshare_groups = [\"产出指标\", \"效益指标\"]\n"
                'ranges = { "产出指标" = [55, 70] }')
    review = review_text(table(rows(), settings=settings), registry)
    messages = {f.code: f.message_en for f in review.findings if f.check == "weights"}
    assert messages == {"weight-range": "level 1 'outputs' carries 50 points, outside 55–70",
                        "share": "outputs + benefits carry 80 points, less than 90% of the total"}


@pytest.mark.parametrize(("least", "flagged"), [("0.8", False), ("0.81", True)])
def test_outputs_and_benefits_below_their_least_share_are_flagged(registry, least, flagged):
    text = table(rows(), settings=f"[{S}.weights]\nshare_min = {least}")
    review = review_text(text, registry)
    assert (("share", None) in codes(review, "weights")) is flagged


# -- cost -----------------------------------------------------------------------------------


def test_a_table_without_a_cost_target_is_flagged(registry):
    review = review_text(table(rows(c1=None, n1={"points": 30})), registry)
    assert codes(review, "cost") == [("no-cost-target", None)]


@pytest.mark.parametrize(("name", "target", "flagged"), [
    ("培训成本", "≤50万元", True),
    ("培训单位成本", "≤500元", False),    # a word of unit_cost_words in the name
    ("培训成本", "≤0.05万元/人", False),  # money per something
])
def test_a_unit_cost_is_stated_by_its_unit_or_its_name(registry, name, target, flagged):
    review = review_text(table(rows(c1={"name": name, "target": target})), registry)
    assert (codes(review, "cost") == [("no-unit-cost", None)]) is flagged
    assert all(f.related == ("c1",) for f in review.findings)


def test_the_words_of_a_unit_cost_are_a_setting(registry):
    text = table(rows(c1={"target": "≤500元"}), settings=f"[{S}.cost]\nunit_cost_words = []")
    assert codes(review_text(text, registry), "cost") == [("no-unit-cost", None)]


# -- satisfaction ---------------------------------------------------------------------------


def test_a_project_with_service_users_needs_a_satisfaction_target(registry):
    changed = rows(sat=None, s1={"points": 40})
    assert codes(review_text(table(changed), registry), "satisfaction") == [("no-satisfaction", None)]
    text = table(changed, settings=f"[{S}.satisfaction]\nservice_users = false")
    assert codes(review_text(text, registry), "satisfaction") == []


@pytest.mark.parametrize(("target", "flagged"), [
    ("≥80%", False), ("≥79.9%", True), ("≤95%", True), ("=85%", False), ("85%", False)])
def test_a_satisfaction_target_below_the_floor_or_an_upper_bound_is_flagged(
        registry, target, flagged):
    review = review_text(table(rows(sat={"target": target})), registry)
    assert (codes(review, "satisfaction") == [("satisfaction-floor", "sat")]) is flagged


def test_the_satisfaction_floor_is_a_setting(registry):
    text = table(rows(), settings=f"[{S}.satisfaction]\nfloor = 0.95")
    assert codes(review_text(text, registry), "satisfaction") == [("satisfaction-floor", "sat")]


# -- duplicates -----------------------------------------------------------------------------


def test_the_same_name_twice_is_an_error_whatever_its_spacing_and_width(registry):
    extra = {"id": "n2", "category": "quantity", "name": "培训 人数 ", "target": "≥5人",
             "points": 0}
    review = review_text(table([*rows(), extra]), registry)
    found = [f for f in review.findings if f.check == "duplicates"]
    assert [(f.code, f.indicator, f.related, f.severity) for f in found] == [
        ("duplicate", "n2", ("n1",), "error")]


@pytest.mark.parametrize(("threshold", "flagged"), [("0.75", True), ("0.76", False)])
def test_names_alike_at_the_similarity_setting_are_near_duplicates(registry, threshold, flagged):
    # 培训人数 and 培训人次: one character of four differs, 0.75 alike
    extra = {"id": "n2", "category": "quantity", "name": "培训人次", "target": "≥5人次",
             "points": 0}
    text = table([*rows(), extra], settings=f"[{S}.duplicates]\nsimilarity = {threshold}\n"
                 f"[{S}.points]\nzero_points = false")
    assert (codes(review_text(text, registry), "duplicates") == [("near-duplicate", "n2")]) is flagged


# -- deadline -------------------------------------------------------------------------------


@pytest.mark.parametrize(("target", "flagged"), [
    ("2022年12月31日前", False), ("2022-01-01", False), ("2023年1月底前", True),
    ("2021年12月31日", True), ("年底前", False)])
def test_a_deadline_outside_the_budget_year_is_an_error(registry, target, flagged):
    review = review_text(table(rows(t1={"target": target})), registry)
    assert (codes(review, "deadline") == [("deadline-outside-year", "t1")]) is flagged


def test_without_a_year_the_deadlines_are_not_checked_and_the_review_says_so(registry):
    review = review_text(table(rows(), year=None), registry)
    assert codes(review, "deadline") == [("no-budget-year", None)]
    assert review.findings[-1].severity == "info" and review.conclusion == "通过"


def test_the_budget_year_is_a_setting(registry):
    text = table(rows(), year=None, settings=f"[{S}.deadline]\nyear = 2023")
    assert codes(review_text(text, registry), "deadline") == [("deadline-outside-year", "t1")]



def test_mistakes_in_the_review_settings_are_listed_in_the_files_order(registry, tmp_path):
    settings = (f"[{S}.cost]\nunit_cost_word = [\"x\"]\n\n"
                f"[{S}.conclusion]\nfail_errors = 0\n")
    with pytest.raises(evalcore.ValidationError) as info:
        evalcore.review(write(tmp_path / "p.toml", table(rows(), settings=settings)), registry)
    lines = [p.origin.line for p in info.value.problems]
    assert len(lines) == 2 and lines == sorted(lines)
