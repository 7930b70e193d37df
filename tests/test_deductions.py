"""The deduction rules (扣分) at their edges: deduction, steps, tolerance.

Plain examples pin every boundary, the formulas shown in the trace and every
error message; Hypothesis properties check that a score stays within
[0, points] and never rises with more items or a worse actual.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from helpers import evaluate_text, project_toml, score_one, single
from hypothesis import given
from hypothesis import strategies as st

import evalcore
from evalcore import Status

D = Decimal
TWO = {"decimals": 2}
ITEMS = [{"id": "ledger", "name": "缺少台账", "per": 0.5, "cap": 2}, {"id": "late", "name": "逾期", "per": 1}]


def score_w(registry: evalcore.Registry, target: object, actual: object, w: int,
            **row: object) -> evalcore.Row:
    """Score one indicator worth ``w`` points; a filler row carries the rest of the 100."""
    filler = {"id": "filler", "name": "其他", "category": "quality", "points": 100 - w,
              "target": "≥1", "actual": "1"}
    text = project_toml([*single(target, actual, points=w, **row), filler], settings=TWO)
    return evaluate_text(text, registry).rows[0]


def problem(info: pytest.ExceptionInfo[evalcore.EvalcoreError]) -> str:
    (only,) = info.value.problems
    return only.message


# --- deduction, single item ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "actual", "params", "score", "status", "formula"),
    [
        ("0项", "0项", {"per": 2}, "100.00", Status.MET, "100 − 0×2 = 100"),
        ("0项", "3项", {"per": 2}, "94.00", Status.PARTLY_MET, "100 − 3×2 = 94"),
        ("无问题", "3项", {"per": 2}, "94.00", Status.PARTLY_MET, "100 − 3×2 = 94"),
        ("无违规", "3", {"per": 0.5}, "98.50", Status.PARTLY_MET, "100 − 3×0.5 = 98.5"),
        ("无违规", "3项", {"per": 2, "cap": 5}, "95.00", Status.PARTLY_MET, "100 − min(3×2, 5) = 95"),
        ("无违规", "2项", {"per": 2, "cap": 4}, "96.00", Status.PARTLY_MET, "100 − min(2×2, 4) = 96"),
        ("无违规", "50项", {"per": 2}, "0.00", Status.MISSED, "100 − 50×2 = 0"),
        ("无违规", "80项", {"per": 2}, "0.00", Status.MISSED, "100 − 80×2 = -60 → 0"),
        ("无违规", "3项", {"per": 40, "cap": 100}, "0.00", Status.MISSED, "100 − min(3×40, 100) = 0"),
        ("无违规", "1.5天", {"per": 2}, "97.00", Status.PARTLY_MET, "100 − 1.5×2 = 97"),
    ],
)
def test_deduction_takes_per_off_for_each_unit_of_the_actual(registry, target, actual, params, score,
                                                             status, formula):
    row = score_one(registry, target, actual, rule="deduction", params=params, settings=TWO)
    assert (row.score, row.status, row.trace.formula) == (D(score), status, formula)


def test_deduction_cap_of_zero_takes_nothing_off(registry):
    row = score_one(registry, "无违规", "9项", rule="deduction", params={"per": 1, "cap": 0})
    assert row.score == 100


def test_deduction_rounds_half_up_at_the_profiles_decimals(registry):
    row = score_one(registry, "无违规", "1项", rule="deduction", params={"per": 0.015}, settings=TWO)
    assert row.trace.raw == D("99.985")
    assert row.score == D("99.99")  # banker's rounding would give 99.98


def test_deduction_converts_a_count_in_the_targets_unit_family(registry):
    with pytest.raises(evalcore.EvaluationError, match="cannot be compared"):
        score_one(registry, "0项", "3个", rule="deduction", params={"per": 1})


def test_deduction_explains_the_loss(registry):
    row = score_w(registry, "无违规", "3项", 10, rule="deduction", params={"per": 0.5})
    assert row.score == D("8.50")
    assert row.explanation_zh == "目标无违规，实际3项，部分达成；10 − 3×0.5 = 8.5，扣1.5分"


# --- deduction, several items in extra ----------------------------------------------------------


def test_deduction_items_take_each_item_off_with_its_own_cap(registry):
    row = score_w(registry, "无违规", None, 10, rule="deduction", params={"items": ITEMS},
                  extra={"ledger": 2, "late": 1})
    assert row.score == D("8.00")
    assert row.status is Status.PARTLY_MET
    assert row.trace.formula == "10 − min(2×0.5, 2) − 1×1 = 8"
    assert row.explanation_zh.startswith("目标无违规，扣分项：缺少台账×2、逾期×1，部分达成")
    assert row.trace.params["items"] == "ledger 缺少台账: 0.5 each, cap 2; late 逾期: 1 each"


def test_deduction_item_cap_is_reached(registry):
    row = score_w(registry, "无违规", None, 10, rule="deduction", params={"items": ITEMS},
                  extra={"ledger": 9, "late": 0})
    assert row.trace.formula == "10 − min(9×0.5, 2) − 0×1 = 8"
    assert row.score == D("8.00")


def test_deduction_items_with_no_counts_earn_full_points(registry):
    row = score_w(registry, "无违规", None, 10, rule="deduction", params={"items": ITEMS},
                  extra={"ledger": 0, "late": 0})
    assert (row.score, row.status) == (D("10.00"), Status.MET)
    assert "无扣分项" in row.explanation_zh


def test_deduction_items_total_cap(registry):
    row = score_w(registry, "无违规", None, 10, rule="deduction", params={"items": ITEMS, "cap": 2.5},
                  extra={"ledger": 9, "late": 3})
    assert row.trace.formula == "10 − min(min(9×0.5, 2) + 3×1, 2.5) = 7.5"
    assert row.score == D("7.50")


def test_deduction_items_floor_at_zero(registry):
    row = score_w(registry, "无违规", None, 10, rule="deduction", params={"items": ITEMS},
                  extra={"ledger": 1, "late": 12})
    assert row.trace.formula == "10 − min(1×0.5, 2) − 12×1 = -2.5 → 0"
    assert (row.score, row.status) == (D(0), Status.MISSED)


def test_deduction_items_missing_count_is_an_error_unless_declared_zero(registry):
    with pytest.raises(evalcore.EvaluationError) as info:
        score_one(registry, "无违规", None, rule="deduction", params={"items": ITEMS}, extra={"ledger": 1})
    assert problem(info) == ("extra.late (逾期) is missing: give its count (0 if there was none), "
                             "or set missing_is_zero = true")
    row = score_one(registry, "无违规", None, rule="deduction",
                    params={"items": ITEMS, "missing_is_zero": True}, extra={"ledger": 1})
    assert row.trace.formula == "100 − min(1×0.5, 2) − 0×1 = 99.5"


def test_deduction_items_unknown_key_suggests_the_item(registry):
    with pytest.raises(evalcore.EvaluationError) as info:
        score_one(registry, "无违规", None, rule="deduction", params={"items": ITEMS},
                  extra={"ledger": 1, "lat": 1})
    assert problem(info) == "extra.lat is not a deduction item of this indicator; did you mean 'late'?"
    with pytest.raises(evalcore.EvaluationError) as info:
        score_one(registry, "无违规", None, rule="deduction", params={"items": ITEMS},
                  extra={"ledger": 1, "late": 0, "zzz": 1})
    assert problem(info) == "extra.zzz is not a deduction item of this indicator; the items are ledger, late"


def test_deduction_items_reject_negative_and_non_numeric_counts(registry):
    with pytest.raises(evalcore.EvaluationError) as info:
        score_one(registry, "无违规", None, rule="deduction", params={"items": ITEMS},
                  extra={"ledger": -1, "late": 0})
    assert problem(info) == "extra.ledger: the count -1 is negative"
    with pytest.raises(evalcore.EvaluationError) as info:
        score_one(registry, "无违规", None, rule="deduction", params={"items": ITEMS},
                  extra={"ledger": "两", "late": 0})
    assert problem(info) == "extra.ledger: '两' is not a number"


def test_deduction_items_in_the_split_form(registry):
    text = project_toml(single("无违规", None, rule="deduction", params={"items": ITEMS}), settings=TWO)
    text += '\n[actual.x]\nvalue = "发现3处问题"\nextra = { ledger = 2, late = 1 }\n'
    row = evaluate_text(text, registry).rows[0]
    assert row.score == D("98.00")
    assert row.explanation_zh.startswith("目标无违规，实际发现3处问题，扣分项：")


@pytest.mark.parametrize(
    ("target", "params", "message"),
    [
        ("无违规", {}, "rule 'deduction': needs per (points off per unit of the actual) or items "
                      "(several kinds of item counted in the actual's extra)"),
        ("无违规", {"per": 1, "items": ITEMS}, "rule 'deduction': give either per (the actual is the "
                                               "count) or items (counts in the actual's extra), not both"),
        ("≤2项", {"per": 1}, "rule 'deduction': the deduction rule takes points off for every unit of the "
                            "actual, so a target of ≤2项 is ambiguous (are the first units free?); write "
                            "the target as 0 or in words, e.g. \"无违规\""),
        ("2021-12-31", {"per": 1}, "rule 'deduction': the deduction rule counts items; the date target "
                                   "≤2021-12-31 needs rule = \"deadline\""),
        ("无违规", {"per": 0}, "per: 0 must be above 0"),
        ("无违规", {"per": -1}, "per: -1 must be above 0"),
        ("无违规", {"per": 1, "cap": -1}, "cap: -1 is negative; a cap is the most that can be taken off"),
        ("无违规", {"items": []}, "items: expected a non-empty array of tables { id, name, per, cap }"),
        ("无违规", {"items": [{"id": "a", "pr": 1}]}, "items: items[0] has no key 'pr'; did you mean 'per'?"),
        ("无违规", {"items": [{"id": "a"}]}, "items: items[0] (a) needs per, the points taken off per unit"),
        ("无违规", {"items": [{"id": "a", "per": 0}]}, "items: items[0].per: 0 must be above 0"),
        ("无违规", {"items": [{"id": "a", "per": 1, "cap": -2}]},
         "items: items[0].cap: -2 is negative; a cap is the most that can be taken off"),
        ("无违规", {"items": [{"id": "", "per": 1}]},
         "items: items[0].id must be non-empty text (the item's key in the actual's extra)"),
        ("无违规", {"items": [{"id": "a", "per": 1}, {"id": "a", "per": 2}]},
         "items: items[1].id 'a' is used by two items"),
        ("无违规", {"items": [{"id": "a", "per": 1, "name": 3}]}, "items: items[0].name must be text, not 3"),
        ("无违规", {"items": ["a"]}, "items: items[0] must be a table { id, name, per, cap }, not 'a'"),
    ],
)
def test_deduction_parameters_are_checked_at_compile_time(registry, target, params, message):
    with pytest.raises(evalcore.ValidationError) as info:
        score_one(registry, target, "1项", rule="deduction", params=params)
    assert problem(info) == message


@pytest.mark.parametrize(
    ("actual", "message"),
    [
        ("没有发现", "the deduction rule needs the number of items as the actual (e.g. \"0项\" or \"3项\"), "
                    "not '没有发现'"),
        ("-1项", "the count -1 is negative"),
    ],
)
def test_deduction_actual_must_be_a_count(registry, actual, message):
    with pytest.raises(evalcore.EvaluationError) as info:
        score_one(registry, "无违规", actual, rule="deduction", params={"per": 1})
    assert problem(info) == message


# --- steps ---------------------------------------------------------------------------------------

STEPS = {"full_at": 90, "every": 5, "deduct": 1}


@pytest.mark.parametrize(
    ("actual", "mode", "score", "status"),
    [
        ("95%", "ceil", "10.00", Status.MET),
        ("90%", "ceil", "10.00", Status.MET),  # exactly at full_at
        ("89.99%", "ceil", "9.00", Status.PARTLY_MET),
        ("89.99%", "floor", "10.00", Status.PARTLY_MET),  # no points lost, but the target was missed
        ("89.99%", "proportional", "10.00", Status.PARTLY_MET),  # 9.998 rounds half up to 10.00
        ("85%", "ceil", "9.00", Status.PARTLY_MET),  # exactly one step
        ("85%", "floor", "9.00", Status.PARTLY_MET),
        ("85%", "proportional", "9.00", Status.PARTLY_MET),
        ("83%", "ceil", "8.00", Status.PARTLY_MET),
        ("83%", "floor", "9.00", Status.PARTLY_MET),
        ("83%", "proportional", "8.60", Status.PARTLY_MET),
        ("40%", "ceil", "0.00", Status.MISSED),  # exactly 10 steps: all points gone
        ("39%", "proportional", "0.00", Status.MISSED),  # floor at 0
        ("0%", "floor", "0.00", Status.MISSED),
        ("-5%", "ceil", "0.00", Status.MISSED),
    ],
)
def test_steps_take_deduct_off_per_step_below_full_at(registry, actual, mode, score, status):
    row = score_w(registry, "≥90%", actual, 10, rule="steps", params={**STEPS, "partial": mode})
    assert (row.score, row.status) == (D(score), status)


@pytest.mark.parametrize(
    ("mode", "formula"),
    [
        ("ceil", "B = 83%, full at 90%: (90 − 83)/5 = 1.4 steps, a started step counts → 2; 10 − 2 × 1 = 8"),
        ("floor", "B = 83%, full at 90%: (90 − 83)/5 = 1.4 steps, whole steps only → 1; 10 − 1 × 1 = 9"),
        ("proportional", "B = 83%, full at 90%: (90 − 83)/5 = 1.4 steps; 10 − 1.4 × 1 = 8.6"),
    ],
)
def test_steps_trace_shows_the_steps(registry, mode, formula):
    row = score_w(registry, "≥90%", "83%", 10, rule="steps", params={**STEPS, "partial": mode})
    assert row.trace.formula == formula


def test_steps_met_trace_and_floor_trace(registry):
    params = {**STEPS, "partial": "ceil"}
    assert score_w(registry, "≥90%", "92%", 10, rule="steps", params=params).trace.formula == \
        "B = 92% ≥ 90% → 10"
    assert score_w(registry, "≥90%", "20%", 10, rule="steps", params=params).trace.formula == \
        "B = 20%, full at 90%: (90 − 20)/5 = 14 steps, a started step counts → 14; 10 − 14 × 1 = -4 → 0"


@pytest.mark.parametrize(
    ("actual", "score"),
    [("8天", "10.00"), ("10天", "10.00"), ("10.5天", "8.00"), ("12天", "6.00"), ("20天", "0.00")],
)
def test_steps_lower_direction_loses_above_full_at(registry, actual, score):
    params = {"full_at": 10, "every": 1, "deduct": 2, "partial": "ceil", "direction": "lower"}
    row = score_w(registry, "≤10天", actual, 10, category="cost", rule="steps", params=params)
    assert row.score == D(score)


def test_steps_on_the_ratio_use_b_over_a(registry):
    params = {"full_at": 0.9, "every": 0.05, "deduct": 2, "partial": "ceil", "on": "ratio"}
    row = score_w(registry, "≥200个", "170个", 10, rule="steps", params=params)
    assert row.score == D("8.00")
    assert row.trace.formula == ("B/A = 170/200 = 0.85, full at 0.9: (0.9 − 0.85)/0.05 = 1 step, "
                                 "a started step counts → 1; 10 − 1 × 2 = 8")
    assert score_w(registry, "≥200个", "180个", 10, rule="steps", params=params).score == D("10.00")


def test_steps_partial_has_no_default(registry):
    with pytest.raises(evalcore.ValidationError) as info:
        score_one(registry, "≥90%", "85%", rule="steps", params=STEPS)
    assert problem(info) == "rule 'steps' needs the parameter 'partial'"


@pytest.mark.parametrize(
    ("target", "params", "message"),
    [
        ("≥90%", {"partial": "round"}, "partial: 'round' is not one of ceil, floor, proportional"),
        ("≥90%", {"partial": "ceil", "every": 0}, "every: 0 must be above 0"),
        ("≥90%", {"partial": "ceil", "deduct": -1}, "deduct: -1 must be above 0"),
        ("≥90%", {"partial": "ceil", "on": "ratios"},
         "on: 'ratios' is not one of actual, ratio; did you mean 'ratio'?"),
        ("≥90%", {"partial": "ceil", "direction": "lower"},
         "rule 'steps': direction = \"lower\" contradicts the target ≥90%; set direction = \"higher\""),
        ("≤10天", {"partial": "ceil"},
         "rule 'steps': direction = \"higher\" contradicts the target ≤10天; set direction = \"lower\""),
        ("≥90%", {"partial": "ceil", "full_at": 0.9},
         "rule 'steps': full_at = 0.9 looks like a fraction, but the actual is read in % (percentage "
         "points); write full_at = 90"),
        ("≥0", {"partial": "ceil", "on": "ratio"},
         "rule 'steps': on = \"ratio\" divides by the target, which must be above 0, not ≥0"),
        ("良好", {"partial": "ceil", "on": "ratio"}, "rule 'steps': needs a numeric target, not '良好'"),
        ("2021-12-31", {"partial": "ceil"}, "rule 'steps': the steps rule needs a numeric target, not the "
                                            "date ≤2021-12-31; use rule = \"deadline\""),
    ],
)
def test_steps_parameters_are_checked_at_compile_time(registry, target, params, message):
    with pytest.raises(evalcore.ValidationError) as info:
        score_one(registry, target, "85%", rule="steps", params={**STEPS, **params})
    assert problem(info) == message


def test_steps_need_a_number_as_the_actual(registry):
    with pytest.raises(evalcore.EvaluationError, match="needs a number"):
        score_one(registry, "≥90%", "较好", rule="steps", params={**STEPS, "partial": "ceil"})


def test_steps_parameters_can_come_from_the_profile(registry):
    settings = {"decimals": 2, "rules": {"steps": {**STEPS, "partial": "proportional"}}}
    row = score_one(registry, "≥90%", "80%", rule="steps", settings=settings)
    assert row.score == D("98.00")


# --- tolerance -----------------------------------------------------------------------------------

RANGES = [{"within": 0.10, "share": 1}, {"within": 0.15, "share": 0.6}, {"within": 0.20, "share": 0.2}]


@pytest.mark.parametrize(
    ("actual", "score", "status", "matched"),
    [
        ("100万元", "5.00", Status.MET, "±10%"),
        ("110万元", "5.00", Status.MET, "±10%"),  # exactly 10%: inclusive
        ("90万元", "5.00", Status.MET, "±10%"),  # below by exactly 10%
        ("110.01万元", "3.00", Status.PARTLY_MET, "±10–15%"),
        ("115万元", "3.00", Status.PARTLY_MET, "±10–15%"),
        ("84万元", "1.00", Status.PARTLY_MET, "±15–20%"),
        ("120万元", "1.00", Status.PARTLY_MET, "±15–20%"),
        ("120.01万元", "0.00", Status.MISSED, "otherwise"),
        ("0万元", "0.00", Status.MISSED, "otherwise"),
        ("-10万元", "0.00", Status.MISSED, "otherwise"),
        ("1100000元", "5.00", Status.MET, "±10%"),  # converted to 万元
    ],
)
def test_tolerance_scores_the_first_range_the_deviation_falls_in(registry, actual, score, status, matched):
    row = score_w(registry, "100万元", actual, 5, category="cost", rule="tolerance",
                  params={"ranges": RANGES})
    assert (row.score, row.status, row.trace.matched) == (D(score), status, matched)


def test_tolerance_trace(registry):
    row = score_w(registry, "=5", "4.4", 5, rule="tolerance", params={"ranges": RANGES})
    assert row.trace.formula == "d = |4.4 − 5|/5 = 12% ≤ 15% → 5 × 0.6 = 3"
    row = score_w(registry, "=5", "7", 5, rule="tolerance", params={"ranges": RANGES, "otherwise": 0.1})
    assert row.trace.formula == "d = |7 − 5|/5 = 40% > 20% → 5 × 0.1 = 0.5"
    assert row.score == D("0.50")
    assert row.trace.params["ranges"] == "≤10% → share 1; ≤15% → share 0.6; ≤20% → share 0.2"


def test_tolerance_ranges_may_give_scores(registry):
    ranges = [{"within": 0.1, "score": 5}, {"within": 0.15, "score": 3}, {"within": 0.2, "score": 1}]
    row = score_w(registry, "=3", "3.5", 5, rule="tolerance", params={"ranges": ranges})
    assert row.trace.formula == "d = |3.5 − 3|/3 = ≈16.67% ≤ 20% → 1"
    assert row.score == D("1.00")


def test_tolerance_first_range_below_full_share_is_still_met(registry):
    row = score_w(registry, "=5", "5", 5, rule="tolerance",
                  params={"ranges": [{"within": 0.1, "share": 0.9}]})
    assert (row.score, row.status) == (D("4.50"), Status.MET)


@pytest.mark.parametrize(
    ("target", "params", "message"),
    [
        ("=0", {"ranges": RANGES},
         "rule 'tolerance': the tolerance rule divides by the target, which must be above 0, not =0"),
        ("达标", {"ranges": RANGES}, "rule 'tolerance': needs a numeric target, not '达标'"),
        ("=5", {"ranges": []},
         "ranges: expected a non-empty array of tables { within, share } or { within, score }"),
        ("=5", {"ranges": [{"within": 0.2, "share": 1}, {"within": 0.1, "share": 0.5}]},
         "ranges: ranges[1].within 0.1 is not above the previous range's 0.2; list the ranges from the "
         "narrowest"),
        ("=5", {"ranges": [{"within": 0.1, "share": 1}, {"within": 0.1, "share": 0.5}]},
         "ranges: ranges[1].within 0.1 is not above the previous range's 0.1; list the ranges from the "
         "narrowest"),
        ("=5", {"ranges": [{"within": 0.1}]},
         "ranges: ranges[0] needs exactly one of share (of the points) or score (points)"),
        ("=5", {"ranges": [{"within": 0.1, "share": 1, "score": 5}]},
         "ranges: ranges[0] needs exactly one of share (of the points) or score (points)"),
        ("=5", {"ranges": [{"share": 1}]},
         "ranges: ranges[0] needs within, the largest deviation it covers (0.10 = 10%)"),
        ("=5", {"ranges": [{"within": -0.1, "share": 1}]},
         "ranges: ranges[0].within: -0.1 is below the minimum 0"),
        ("=5", {"ranges": [{"within": 0.1, "share": 1.5}]},
         "ranges: ranges[0].share: 1.5 is above the maximum 1"),
        ("=5", {"ranges": [{"within": 0.1, "shares": 1}]},
         "ranges: ranges[0] has no key 'shares'; did you mean 'share'?"),
        ("=5", {"ranges": [{"within": 0.1, "score": 6}]},
         "rule 'tolerance': ranges[0].score 6 is above the indicator's 5 points"),
        ("=5", {"ranges": [{"within": 0.1, "share": 0.5}, {"within": 0.2, "share": 1}]},
         "rule 'tolerance': ranges[1] earns 5, more than the narrower range before it (2.5); a wider "
         "deviation may not score higher"),
        ("=5", {"ranges": [{"within": 0.1, "share": 0.5}], "otherwise": 0.6},
         "rule 'tolerance': otherwise = 0.6 earns more than the widest range"),
        ("=5", {}, "rule 'tolerance' needs the parameter 'ranges'"),
    ],
)
def test_tolerance_parameters_are_checked_at_compile_time(registry, target, params, message):
    with pytest.raises(evalcore.ValidationError) as info:
        score_w(registry, target, "5", 5, rule="tolerance", params=params)
    assert problem(info) == message


# --- properties ----------------------------------------------------------------------------------

counts = st.decimals(min_value=0, max_value=1000, places=2)
amounts = st.decimals(min_value=Decimal("0.01"), max_value=50, places=2)
values = st.decimals(min_value=-200, max_value=400, places=2)


@given(count=counts, more=counts, per=amounts, cap=st.none() | st.decimals(0, 200, places=1))
def test_deduction_stays_in_range_and_more_items_never_score_higher(registry, count, more, per, cap):
    params: dict[str, object] = {"per": per} if cap is None else {"per": per, "cap": cap}
    fewer = score_one(registry, "无违规", f"{count}项", rule="deduction", params=params)
    many = score_one(registry, "无违规", f"{count + more}项", rule="deduction", params=params)
    assert 0 <= many.score <= fewer.score <= 100


item_counts = st.fixed_dictionaries({"ledger": st.integers(0, 50), "late": st.integers(0, 50),
                                     "lost": st.integers(0, 50)})


@given(base=item_counts, extra=item_counts, cap=st.none() | st.decimals(0, 100, places=1),
       pers=st.lists(amounts, min_size=3, max_size=3))
def test_deduction_items_stay_in_range_and_are_monotone(registry, base, extra, cap, pers):
    items = [{"id": key, "per": per} for key, per in zip(base, pers, strict=True)]
    params: dict[str, object] = {"items": items} if cap is None else {"items": items, "cap": cap}
    low = score_one(registry, "无违规", None, rule="deduction", params=params, extra=base)
    both = {key: base[key] + extra[key] for key in base}
    high = score_one(registry, "无违规", None, rule="deduction", params=params, extra=both)
    assert 0 <= high.score <= low.score <= 100


@given(b1=values, b2=values, full_at=st.decimals(-50, 150, places=1), every=amounts,
       deduct=st.decimals(Decimal("0.1"), 60, places=1),
       mode=st.sampled_from(["ceil", "floor", "proportional"]),
       direction=st.sampled_from(["higher", "lower"]))
def test_steps_stay_in_range_and_are_monotone(registry, b1, b2, full_at, every, deduct, mode, direction):
    params = {"full_at": full_at, "every": every, "deduct": deduct, "partial": mode, "direction": direction}
    target = "=50" if direction == "higher" else "≤50"
    low, high = sorted((b1, b2))
    s_low = score_one(registry, target, str(low), rule="steps", params=params).score
    s_high = score_one(registry, target, str(high), rule="steps", params=params).score
    assert 0 <= s_low <= 100 and 0 <= s_high <= 100
    assert (s_low <= s_high) if direction == "higher" else (s_low >= s_high)


@given(b1=values, b2=values, a=st.decimals(Decimal("0.1"), 200, places=1),
       otherwise=st.decimals(0, Decimal("0.2"), places=2))
def test_tolerance_stays_in_range_and_never_rewards_a_wider_deviation(registry, b1, b2, a, otherwise):
    params = {"ranges": RANGES, "otherwise": otherwise}
    near, far = sorted((b1, b2), key=lambda b: abs(b - a))
    s_near = score_one(registry, f"={a}", str(near), rule="tolerance", params=params).score
    s_far = score_one(registry, f"={a}", str(far), rule="tolerance", params=params).score
    assert 0 <= s_far <= s_near <= 100
