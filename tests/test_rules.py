"""The national scoring rules at their edges, one indicator worth all 100 points."""

from __future__ import annotations

from decimal import Decimal

import pytest
from helpers import evaluate_text, project_toml, score_one, single

import evalcore
from evalcore import Status

D = Decimal
TWO = {"decimals": 2}


@pytest.mark.parametrize(
    ("target", "actual", "score", "status"),
    [
        ("≥400批次", "441批次", "100.00", Status.MET),
        ("≥400批次", "400批次", "100.00", Status.MET),
        ("≥400批次", "300批次", "75.00", Status.PARTLY_MET),
        ("≥400批次", "0批次", "0.00", Status.MISSED),
        ("≥400批次", "-5批次", "0.00", Status.MISSED),
        ("≥95%", "91.6%", "96.42", Status.PARTLY_MET),
        ("≥0", "0", "100.00", Status.MET),
        ("≥90", "89.991", "99.99", Status.PARTLY_MET),
        (">5", "6", "100.00", Status.MET),
        (">5", "5", "80.00", Status.PARTLY_MET),  # strict: the boundary earns 80% by default
        (">0", "0", "0.00", Status.MISSED),
        ("400批次", "300批次", "75.00", Status.PARTLY_MET),  # no symbol on a quantity: ≥
    ],
)
def test_positive_rule_scores_w_times_b_over_a_capped_at_w(registry, target, actual, score, status):
    row = score_one(registry, target, actual, settings=TWO)
    assert row.score == D(score)
    assert row.status is status


@pytest.mark.parametrize(
    ("target", "actual", "method", "score"),
    [
        ("≤10天", "8天", "ratio", "100.00"),
        ("≤10天", "10天", "ratio", "100.00"),
        ("≤10天", "12天", "ratio", "83.33"),
        ("≤10天", "12天", "linear", "80.00"),
        ("≤10天", "20天", "linear", "0.00"),
        ("≤10天", "25天", "linear", "0.00"),
        ("≤10天", "20天", "ratio", "50.00"),
        ("<10天", "10天", "ratio", "80.00"),
        ("≤0", "0", "ratio", "100.00"),
        ("≤0", "1", "ratio", "0.00"),
    ],
)
def test_reverse_rule_methods(registry, target, actual, method, score):
    settings = {"decimals": 2, "rules": {"reverse": {"method": method}}}
    row = score_one(registry, target, actual, settings=settings)
    assert row.score == D(score)


def test_cost_category_reads_a_bare_number_as_an_upper_limit(registry):
    row = score_one(registry, "500万元", "520万元", category="cost", settings=TWO)
    assert row.target == "≤500万元"
    assert row.score == D("96.15")


def test_money_in_another_unit_is_converted_before_scoring(registry):
    row = score_one(registry, "≤500万元", "5200000元", category="cost", settings=TWO)
    assert row.score == D("96.15")
    row = score_one(registry, "≥1亿元", "5000万元", settings=TWO)
    assert row.score == D("50.00")


def test_a_bare_actual_number_is_in_the_targets_unit(registry):
    assert score_one(registry, "≥400批次", 300, settings=TWO).score == D("75.00")


@pytest.mark.parametrize(
    ("target", "actual", "method", "score"),
    [
        ("=100%", "100%", "positive", "100.00"),
        ("=100%", "98%", "positive", "98.00"),
        ("=100%", "110%", "positive", "100.00"),
        ("=100%", "110%", "symmetric", "90.91"),
        ("=100%", "98%", "exact", "0.00"),
        ("=100%", "100%", "exact", "100.00"),
        ("═0", "0", "positive", "100.00"),
        ("=0", "1", "symmetric", "0.00"),
        ("=0", "-1", "positive", "100.00"),
    ],
)
def test_equality_rule_methods_and_the_zero_target(registry, target, actual, method, score):
    row = score_one(registry, target, actual,
                    settings={"decimals": 2, "rules": {"equality": {"method": method}}})
    assert row.score == D(score)


@pytest.mark.parametrize(
    ("actual", "assessed", "score", "status"),
    [
        ("完成", None, "10", Status.MET),
        ("显著提升", None, "10", Status.MET),
        ("部分完成", None, "6", Status.PARTLY_MET),
        ("未完成", None, "0", Status.MISSED),
        ("完成", 8, "8", Status.MET),
        ("部分完成", "7.99", "7.99", Status.PARTLY_MET),
        ("未完成", "5.99", "5.99", Status.MISSED),
        ("某种说法", 7, "7", Status.PARTLY_MET),  # unknown word: the assessed score decides the tier
    ],
)
def test_qualitative_three_bands(registry, actual, assessed, score, status):
    extra = {"assessed": assessed} if assessed is not None else {}
    text = project_toml(single("按期完成", actual, points=10, **extra) + single("≥1", "1", points=90),
                        settings=TWO)
    ev = _evaluate_unique(registry, text)
    row = ev.rows[0]
    assert row.score == D(score)
    assert row.status is status


def _evaluate_unique(registry, text: str) -> evalcore.Evaluation:
    # single() always uses id "x": make the second indicator's id unique.
    head, _, tail = text.rpartition('id = "x"')
    return evaluate_text(head + 'id = "filler"' + tail, registry)


@pytest.mark.parametrize(("actual", "assessed"), [("完成", 7), ("部分完成", 8), ("未完成", 6), ("完成", 11)])
def test_qualitative_assessed_score_outside_its_band_is_an_error(registry, actual, assessed):
    text = project_toml(single("按期完成", actual, points=10, assessed=assessed)
                        + single("≥1", "1", points=90))
    with pytest.raises(evalcore.EvaluationError, match="outside"):
        _evaluate_unique(registry, text)


def test_qualitative_unknown_word_without_a_score_is_an_error_not_a_guess(registry):
    text = project_toml(single("按期完成", "差不多吧", points=100))
    with pytest.raises(evalcore.EvaluationError, match="cannot tell which tier"):
        evaluate_text(text, registry)


def test_qualitative_bands_follow_the_profile(registry):
    settings = {"decimals": 2, "rules": {"qualitative": {"partly_min": 0.5, "partly_default": 0.5}}}
    row = score_one(registry, "有效", "基本完成", settings=settings)
    assert row.score == D("50.00")


def test_deadline_dates_are_met_or_missed(registry):
    assert score_one(registry, "2021-12-31", "2021-12-20", category="timeliness").status is Status.MET
    assert score_one(registry, "2021年12月31日", "2021-12-31", category="timeliness").score == D(100)
    late = score_one(registry, "≤2021-12-31", "2022-01-05", category="timeliness")
    assert (late.score, late.status) == (D(0), Status.MISSED)


def test_threshold_rule_gives_all_or_nothing(registry):
    assert score_one(registry, "≥90%", "89.9%", rule="threshold").score == D(0)
    assert score_one(registry, "≥90%", "90%", rule="threshold").score == D(100)


def test_negative_target_needs_the_threshold_rule(registry):
    with pytest.raises(evalcore.ValidationError, match="threshold"):
        score_one(registry, "≥-5%", "1%")
    assert score_one(registry, "≥-5%", "1%", rule="threshold").score == D(100)


def test_rule_parameters_are_checked_at_compile_time_with_suggestions(registry):
    with pytest.raises(evalcore.ValidationError) as info:
        score_one(registry, "≤10天", "12天", rule="reverse", params={"methd": "linear"})
    (problem,) = info.value.problems
    assert "methd" in problem.message and problem.hint and "method" in problem.hint
    with pytest.raises(evalcore.ValidationError, match="ratio, linear"):
        score_one(registry, "≤10天", "12天", rule="reverse", params={"method": "log"})


def test_indicator_params_override_the_profile(registry):
    row = score_one(registry, "≤10天", "12天", rule="reverse", params={"method": "linear"}, settings=TWO)
    assert row.score == D("80.00")
    assert row.trace.params["method"] == "linear"


class TestBudgetExecutionRate:
    def evaluate(self, registry, planned, executed, points=10, **settings):
        text = project_toml(single("≥1", "1", points=100 - points),
                            budget={"planned": planned, "executed": executed, "points": points},
                            settings={"decimals": 2, **settings})
        return evaluate_text(text, registry).budget

    def test_score_is_points_times_rate(self, registry):
        budget = self.evaluate(registry, 500, 492.99135)
        assert budget.rate == D("0.9859827")
        assert budget.score == D("9.86")
        assert budget.status is Status.PARTLY_MET

    def test_overspending_is_capped_at_full_points(self, registry):
        budget = self.evaluate(registry, 100, 120)
        assert budget.score == D("10.00")
        assert budget.status is Status.MET

    def test_zero_budget_scores_zero_unless_the_profile_counts_spending(self, registry):
        assert self.evaluate(registry, 0, 5).score == D(0)
        budget = self.evaluate(registry, 0, 5, rules={"execution-rate": {"zero_budget": "full-if-spent"}})
        assert budget.score == D("10.00")

    def test_missing_budget_figures_are_a_finding_not_a_crash(self, registry):
        text = project_toml(single("≥1", "1", points=90), budget={"points": 10, "planned": 500})
        ev = evaluate_text(text, registry)
        assert ev.budget.status is Status.MISSING
        assert ev.budget.score == 0
        assert any(f.code == "missing-actual" and f.indicator == "budget" for f in ev.findings)


def test_rounding_is_half_up_at_the_profiles_precision(registry):
    # 100 × 2/3 = 66.666… ; 100 × 0.00005 … exercise .5 at the last place
    assert score_one(registry, "≥3", "2", settings=TWO).score == D("66.67")
    assert score_one(registry, "≥200", "0.01", settings=TWO).score == D("0.01")  # 0.005 → 0.01
    assert score_one(registry, "≥200", "0.01", settings={"decimals": 0}).score == D(0)
    assert score_one(registry, "≥8", "7", settings={"decimals": 0}).score == D(88)  # 87.5 → 88


def test_over_achievement_is_a_finding_not_a_bonus(registry):
    text = project_toml(single("≥100", "150"))
    ev = evaluate_text(text, registry)
    assert ev.rows[0].score == D(100)
    (finding,) = [f for f in ev.findings if f.code == "overachievement"]
    assert "150" in finding.message_en and finding.indicator == "x"


def test_over_achievement_threshold_is_a_profile_setting(registry):
    text = project_toml(single("≥100", "150"), settings={"overachievement": {"threshold": 2}})
    assert not [f for f in evaluate_text(text, registry).findings if f.code == "overachievement"]


def test_a_shortfall_without_a_reason_is_a_finding(registry):
    ev = evaluate_text(project_toml(single("≥100", "90")), registry)
    assert _codes(ev) == ["missing-reason"]
    ev = evaluate_text(project_toml(single("≥100", "90", reason="受疫情影响")), registry)
    assert _codes(ev) == []


def _codes(ev: evalcore.Evaluation) -> list[str]:
    """Finding codes about the rows (scheme warnings, e.g. unusual weights, left out)."""
    return [f.code for f in ev.findings if f.code != "scheme-warning"]


def test_published_scores_that_differ_are_findings(registry):
    ev = evaluate_text(project_toml(single("≥100", "100", published=7)), registry)
    (finding,) = [f for f in ev.findings if f.code != "scheme-warning"]
    assert finding.code == "published-differs" and "7" in finding.message_en


def test_not_applicable_row_has_no_points_and_no_score(registry):
    text = project_toml(single("/", None, points=0) + single("≥1", "1", points=100))
    ev = _evaluate_unique(registry, text)
    assert ev.rows[0].status is Status.NOT_APPLICABLE
    assert ev.total == D(100)


def test_every_lost_point_is_explained_in_both_languages(registry):
    row = score_one(registry, "≥95%", "91.6%", settings=TWO)
    assert "100 × 91.6/95" in row.explanation_en and "3.58" in row.explanation_en
    assert "扣3.58分" in row.explanation_zh
    assert (row.trace.rule, row.trace.via) == ("positive", "standard")
    assert row.trace.raw == D("96.42105263157894736842105263157894736842")  # 40 digits, half up


def test_rows_that_do_not_apply_are_rescaled_away_when_the_profile_says_so(registry):
    rows = [
        {"id": "a", "name": "a", "category": "quantity", "points": 30, "target": "≥1", "actual": "1"},
        {"id": "b", "name": "b", "category": "quality", "points": 30, "target": "/"},
        {"id": "c", "name": "c", "category": "social", "points": 40, "target": "≥10", "actual": "5",
         "reason": "r"},
    ]
    text = project_toml(rows, settings={"decimals": 2, "not_applicable": {"rescale": True}})
    ev = evaluate_text(text, registry)
    a, b, c = ev.rows
    assert (a.points, b.points, c.points) == (D("42.86"), 0, D("57.14"))
    assert a.points + c.points == ev.points == 100
    assert b.status is Status.NOT_APPLICABLE and b.trace.rescaled_from == 30
    assert c.score == D("28.57") and c.trace.rescaled_from == 40
    assert ev.total == a.score + c.score


def test_without_rescaling_a_row_that_does_not_apply_must_carry_no_points(registry):
    rows = [{"id": "a", "name": "a", "category": "quantity", "points": 70, "target": "≥1", "actual": "1"},
            {"id": "b", "name": "b", "category": "quality", "points": 30, "target": "/"}]
    with pytest.raises(evalcore.ValidationError, match="rescale"):
        evaluate_text(project_toml(rows), registry)


def test_a_weight_shared_by_two_groups_is_checked_on_their_sum(registry):
    rows = [{"id": "a", "name": "a", "category": "quantity", "points": 60, "target": "≥1", "actual": "1"},
            {"id": "b", "name": "b", "category": "social", "points": 35, "target": "≥1", "actual": "1"},
            {"id": "c", "name": "c", "category": "satisfaction", "points": 5, "target": "≥1",
             "actual": "1"}]
    weights = {"outputs": 60, "benefits+satisfaction": 40}
    ev = evaluate_text(project_toml(rows, settings={"weights": weights}), registry)
    assert [f.code for f in ev.findings] == []
    weights = {"outputs": 55, "benefits+satisfaction": 45}
    ev = evaluate_text(project_toml(rows, settings={"weights": weights}), registry)
    assert any("效益指标 + 满意度指标合计40分" in f.message_zh for f in ev.findings)
    assert any("level 1 'benefits+satisfaction' carries 40 points" in f.message_en
               for f in ev.findings)


def test_qualitative_words_ignore_punctuation_and_width(registry):
    assert score_one(registry, "按期完成", "已完成。").status is Status.MET
    assert score_one(registry, "按期完成", " 部分完成 ").status is Status.PARTLY_MET


def test_a_scheme_can_add_qualitative_words_without_repeating_the_profiles(registry):
    settings = {"rules": {"qualitative": {"more_words": {"partly": ["大体完成"]}}}}
    assert score_one(registry, "按期完成", "大体完成", settings=settings).status is Status.PARTLY_MET
    assert score_one(registry, "按期完成", "完成", settings=settings).status is Status.MET
    clash = {"rules": {"qualitative": {"more_words": {"missed": ["完成"]}}}}
    with pytest.raises(evalcore.ValidationError, match="more_words"):
        score_one(registry, "按期完成", "完成", settings=clash)


def test_scores_do_not_depend_on_the_callers_decimal_context(registry):
    import decimal

    text = project_toml(single("≥1", "1", points=90), budget={"planned": 3, "executed": 2, "points": 10},
                        settings={"decimals": 2})
    expected = evaluate_text(text, registry)
    with decimal.localcontext() as ctx:
        ctx.prec, ctx.rounding = 3, decimal.ROUND_DOWN
        assert evaluate_text(text, registry) == expected
    assert expected.budget.score == D("6.67")
