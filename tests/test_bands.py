"""The ``bands`` rule (DMN-style decision tables) and the budget's stepped score, at their edges."""

from __future__ import annotations

from decimal import Decimal
from itertools import combinations, pairwise
from typing import Any

import pytest
from helpers import evaluate_text, project_toml, score_one, single
from hypothesis import event, given
from hypothesis import strategies as st

import evalcore
from evalcore import Indicator, Scheme, Status
from evalcore.plugin import Comparator, Observation
from evalcore.quantities import parse_actual
from evalcore_builtin import _bandtable
from evalcore_builtin._bandtable import SHOWN, BandTable, _word_clashes
from evalcore_builtin._intervals import find_matches, parse_interval
from evalcore_builtin.bands import build_table, parse_rows

D = Decimal
TWO = {"decimals": 2}

# The brief's table: full marks at the target, 80% from 90% of it, a fixed 5 points from 80%.
ROWS: list[dict[str, Any]] = [
    {"id": "full", "when": ">= 1", "share": 1},
    {"id": "most", "when": "[0.9, 1)", "share": 0.8},
    {"id": "some", "when": "[0.8, 0.9)", "score": 5},
    {"id": "none", "when": "< 0.8", "share": 0},
]


def row_with(rows: list[dict[str, Any]], index: int, **changes: Any) -> list[dict[str, Any]]:
    out = [dict(r) for r in rows]
    out[index].update(changes)
    return out


def bands(registry: evalcore.Registry, target: object, actual: object, rows: Any = None, *,
          points: int = 100, decimals: int = 2, **params: Any) -> evalcore.Row:
    """Score one bands indicator; with ``points`` < 100 a filler row carries the rest."""
    indicator = single(target, actual, points=points, rule="bands",
                       params={"rows": ROWS if rows is None else rows, **params})
    if points != 100:
        indicator.append({"id": "filler", "name": "填充", "category": "quality",
                          "points": 100 - points, "target": "≥1", "actual": "1"})
    text = project_toml(indicator, settings={"decimals": decimals})
    return evaluate_text(text, registry).rows[0]


def compile_error(registry: evalcore.Registry, target: object, rows: Any, **params: Any) -> str:
    with pytest.raises(evalcore.ValidationError) as exc:
        bands(registry, target, "1", rows, **params)
    return str(exc.value)


def evaluation_error(registry: evalcore.Registry, target: object, actual: object, rows: Any,
                     **params: Any) -> str:
    with pytest.raises(evalcore.EvaluationError) as exc:
        bands(registry, target, actual, rows, **params)
    return str(exc.value)


# --------------------------------------------------------------------------- boundaries and ratios


@pytest.mark.parametrize(
    ("actual", "score", "matched", "status"),
    [
        ("100", "100.00", "full", Status.MET),
        ("100.01", "100.00", "full", Status.MET),
        ("150", "100.00", "full", Status.MET),
        ("99.99", "80.00", "most", Status.PARTLY_MET),
        ("90", "80.00", "most", Status.PARTLY_MET),  # exactly 0.9 falls into [0.9, 1)
        ("89.99", "5.00", "some", Status.PARTLY_MET),
        ("80", "5.00", "some", Status.PARTLY_MET),
        ("79.99", "0.00", "none", Status.MISSED),
        ("0", "0.00", "none", Status.MISSED),
        ("-5", "0.00", "none", Status.MISSED),  # a negative actual counts as 0
    ],
)
def test_each_ratio_falls_into_the_band_whose_closed_end_it_reaches(registry, actual, score, matched,
                                                                    status):
    row = bands(registry, "≥100", actual)
    assert (row.score, row.trace.matched, row.status) == (D(score), matched, status)


def test_the_formula_shows_the_ratio_the_band_and_the_share(registry):
    row = bands(registry, "≥95%", "91%", points=10)
    assert row.score == D("8.00")
    assert row.trace.formula == "ratio = 91/95 ≈ 0.957895 ∈ [0.9, 1) → row 'most': 10 × 0.8 = 8 (row 2 of 4)"
    assert row.trace.rule == "bands"
    assert row.trace.params["rows"].startswith("full: >= 1 → share 1; most: [0.9, 1) → share 0.8")


def test_a_fixed_score_replaces_the_share_of_the_points(registry):
    row = bands(registry, "≥95%", "80%", points=10)
    assert row.score == D("5.00")
    assert row.trace.formula.endswith("∈ [0.8, 0.9) → row 'some': score 5 (row 3 of 4)")


def test_an_open_ended_row_is_shown_clipped_to_the_domain(registry):
    assert "∈ [0, 0.8) → row 'none'" in bands(registry, "≥100", "10").trace.formula


def test_a_negative_actual_is_shown_counting_as_zero(registry):
    assert bands(registry, "≥100", "-5").trace.formula.startswith("B = -5 < 0 counts as 0; ratio = 0/100")


def test_a_zero_target_cannot_be_a_ratio(registry):
    assert "needs a target above 0" in compile_error(registry, "≥0", ROWS)


def test_a_qualitative_target_cannot_be_tested_as_a_number(registry):
    assert "needs a numeric target" in compile_error(registry, "明显提升", ROWS, on="ratio")


@pytest.mark.parametrize(("score", "decimals", "expected"), [
    ("7.005", 2, "7.01"), ("7.004", 2, "7.00"), ("7.5", 0, "8"), ("7.005", 0, "7"),
])
def test_scores_are_rounded_half_up_at_the_profiles_precision(registry, score, decimals, expected):
    rows = [{"when": ">= 0", "score": D(score)}]
    row = bands(registry, "≥1", "1", rows, decimals=decimals)
    assert row.score == D(expected)
    assert row.status is Status.PARTLY_MET


def test_over_achievement_is_flagged_from_the_ratio(registry):
    text = project_toml(single("≥100", "150", rule="bands", params={"rows": ROWS}))
    assert any(f.code == "overachievement" for f in evaluate_text(text, registry).findings)


def test_under_a_reverse_target_the_achievement_ratio_is_a_over_b(registry):
    # ≤10天 with 5天: B/A = 0.5 picks the row, but the finding reads achievement as A/B = 2.
    rows = [{"when": "<= 1", "share": 1}, {"when": "> 1", "share": 0}]
    text = project_toml(single("≤10天", "5天", category="timeliness", rule="bands",
                               params={"rows": rows}))
    ev = evaluate_text(text, registry)
    assert ev.rows[0].score == D("100.00")
    assert any(f.code == "overachievement" and "200%" in f.message_en for f in ev.findings)


# --------------------------------------------------------------------------- on = "actual"


ACTUAL_ROWS = [
    {"id": "ok", "when": ">= 400", "share": 1},
    {"id": "near", "when": "[300, 400)", "share": 0.5},
    {"id": "far", "when": "< 300", "share": 0},
]


@pytest.mark.parametrize(("actual", "score", "matched"), [
    ("400批次", "100.00", "ok"), ("399批次", "50.00", "near"), ("300批次", "50.00", "near"),
    ("0批次", "0.00", "far"), ("-10批次", "0.00", "far"),
])
def test_on_actual_the_rows_test_b_in_the_targets_unit(registry, actual, score, matched):
    row = bands(registry, "≥400批次", actual, ACTUAL_ROWS, on="actual")
    assert (row.score, row.trace.matched) == (D(score), matched)


def test_on_actual_a_percentage_is_compared_as_the_fraction_it_denotes(registry):
    rows = [{"when": ">= 95%", "share": 1}, {"when": "[90%, 95%)", "share": 0.6},
            {"when": "< 90%", "share": 0}]
    row = bands(registry, "≥95%", "91%", rows, on="actual")
    assert row.score == D("60.00")
    assert row.trace.formula.startswith("actual = 91% = 0.91 ∈ [0.9, 0.95) → row 'row-2'")


def test_on_actual_a_percentage_target_needs_bounds_written_with_percent(registry):
    rows = [{"when": ">= 95", "share": 1}, {"when": "< 95", "share": 0}]
    assert "the target is in %, so write the bounds of when with %" in compile_error(
        registry, "≥95%", rows, on="actual")


def test_on_actual_a_percent_bound_against_another_unit_is_an_error(registry):
    rows = [{"when": ">= 95%", "share": 1}, {"when": "< 95%", "share": 0}]
    assert "uses % but the target is in '批次'" in compile_error(registry, "≥400批次", rows, on="actual")


def test_a_custom_domain_is_checked_and_a_value_outside_it_is_an_error(registry):
    rows = [{"when": "[0, 1)", "share": 0.5}, {"when": "[1, 2]", "share": 1}]
    assert bands(registry, "≥100", "150", rows, domain="[0, 2]").score == D("100.00")
    message = evaluation_error(registry, "≥100", "250", rows, domain="[0, 2]")
    assert "the ratio 2.5 is outside the table's domain [0, 2]" in message
    # the default domain [0, +inf) is not covered by these rows
    assert "no row covers (2, +inf) (above row 'row-2')" in compile_error(registry, "≥100", rows)


# --------------------------------------------------------------------------- hit policies


OVERLAPPING = [
    {"id": "wide", "when": ">= 0", "share": 0.5},
    {"id": "top", "when": ">= 1", "share": 1},
]


def test_first_takes_the_first_matching_row_in_file_order(registry):
    assert bands(registry, "≥100", "120", OVERLAPPING, hit="first").trace.matched == "wide"
    reordered = list(reversed(OVERLAPPING))
    row = bands(registry, "≥100", "120", reordered, hit="first")
    assert (row.trace.matched, row.score) == ("top", D("100.00"))


def test_priority_takes_the_matching_row_of_highest_priority(registry):
    rows = [dict(OVERLAPPING[0], priority=1), dict(OVERLAPPING[1], priority=2)]
    assert bands(registry, "≥100", "120", rows, hit="priority").trace.matched == "top"
    assert bands(registry, "≥100", "50", rows, hit="priority").trace.matched == "wide"
    rows = [dict(OVERLAPPING[0], priority=3), dict(OVERLAPPING[1], priority=2)]
    assert bands(registry, "≥100", "120", rows, hit="priority").trace.matched == "wide"


def test_priority_needs_a_priority_on_every_row(registry):
    rows = [dict(OVERLAPPING[0], priority=1), OVERLAPPING[1]]
    assert ("hit = 'priority' needs a priority on every row; row 'top' has none"
            in compile_error(registry, "≥100", rows, hit="priority"))


def test_priority_ties_on_overlapping_rows_are_an_error(registry):
    rows = [dict(OVERLAPPING[0], priority=1), dict(OVERLAPPING[1], priority=1)]
    message = compile_error(registry, "≥100", rows, hit="priority")
    assert "rows 'wide' and 'top' overlap on [1, +inf) with the same priority 1" in message


def test_a_priority_outside_the_priority_policy_is_an_error(registry):
    rows = [dict(OVERLAPPING[0], priority=1), {"when": "< 0", "share": 0}]
    assert "only hit = 'priority' uses" in compile_error(registry, "≥100", rows)


def test_any_accepts_overlapping_rows_that_agree(registry):
    rows = [{"id": "a", "when": ">= 0.5", "share": 1}, {"id": "b", "when": ">= 1", "score": 100},
            {"id": "c", "when": "< 0.5", "share": 0}]
    row = bands(registry, "≥100", "120", rows, hit="any")
    assert (row.score, row.trace.matched) == (D("100.00"), "a,b")
    assert "→ rows 'a', 'b' (agreeing)" in row.trace.formula
    assert bands(registry, "≥100", "60", rows, hit="any").trace.matched == "a"


def test_any_rejects_overlapping_rows_that_disagree(registry):
    message = compile_error(registry, "≥100", OVERLAPPING, hit="any")
    assert "rows 'wide' and 'top' overlap on [1, +inf) but give different points (50 and 100)" in message


COLLECT = [
    {"id": "base", "when": ">= 0", "score": 2},
    {"id": "half", "when": ">= 0.5", "share": 0.3},
    {"id": "full", "when": ">= 1", "score": 50},
]


@pytest.mark.parametrize(("aggregate", "actual", "score", "matched"), [
    ("sum", "120", "82.00", "base,half,full"),
    ("sum", "60", "32.00", "base,half"),
    ("sum", "10", "2.00", "base"),
    ("min", "120", "2.00", "base,half,full"),
    ("max", "120", "50.00", "base,half,full"),
    ("max", "60", "30.00", "base,half"),
    ("count", "120", "3.00", "base,half,full"),
    ("count", "10", "1.00", "base"),
])
def test_collect_combines_every_matching_row(registry, aggregate, actual, score, matched):
    row = bands(registry, "≥100", actual, COLLECT, hit="collect", aggregate=aggregate)
    assert (row.score, row.trace.matched) == (D(score), matched)


def test_collect_sum_shows_each_row_and_is_capped_at_the_points(registry):
    rows = [{"id": "a", "when": ">= 0", "share": 0.7}, {"id": "b", "when": ">= 1", "share": 0.6}]
    row = bands(registry, "≥100", "100", rows, hit="collect")
    assert row.score == D("100.00")
    assert row.trace.raw == D(100)  # capped by the rule, not left to the engine
    assert row.trace.formula.endswith("→ sum(70, 60) = 130, capped at 100")


def test_collect_count_needs_no_outputs(registry):
    rows = [{"when": ">= 0"}, {"when": ">= 1"}]
    assert bands(registry, "≥100", "100", rows, hit="collect", aggregate="count").score == D("2.00")
    row = bands(registry, "≥100", "100", rows, points=1, hit="collect", aggregate="count")
    assert (row.score, row.trace.raw) == (D("1.00"), D(1))
    assert row.trace.formula.endswith("→ count = 2, capped at 1")
    assert "needs an output" in compile_error(registry, "≥100", rows, hit="collect")


def test_aggregate_applies_only_to_collect(registry):
    assert "aggregate = 'max' applies only to hit = 'collect'" in compile_error(
        registry, "≥100", ROWS, aggregate="max")


def test_an_unknown_hit_policy_gets_a_suggestion(registry):
    assert "did you mean 'priority'?" in compile_error(registry, "≥100", ROWS, hit="priorty")


# --------------------------------------------------------------------------- words


WORDS = [
    {"id": "good", "when": ["明显提升", "显著提升"], "share": 1},
    {"id": "fair", "when": "有所提升", "share": 0.6},
    {"id": "poor", "when": ["未提升", "下降"], "score": 0},
]


@pytest.mark.parametrize(("actual", "score", "matched"), [
    ("明显提升", "100.00", "good"), ("显著提升", "100.00", "good"), ("有所提升", "60.00", "fair"),
    ("下降", "0.00", "poor"), (" 有所提升 ", "60.00", "fair"),
])
def test_a_word_table_matches_the_actuals_text(registry, actual, score, matched):
    row = bands(registry, "明显提升", actual, WORDS)  # a qualitative target: on = word by default
    assert (row.score, row.trace.matched) == (D(score), matched)


def test_a_word_table_shows_the_word_in_the_formula(registry):
    row = bands(registry, "明显提升", "有所提升", WORDS)
    assert row.trace.formula == "word '有所提升' is listed → row 'fair': 100 × 0.6 = 60 (row 2 of 3)"


def test_an_unknown_word_is_an_error_listing_the_known_words(registry):
    message = evaluation_error(registry, "明显提升", "提升了", WORDS)
    assert "no row of the table lists the word '提升了'" in message
    assert "the known words are 下降, 明显提升, 显著提升, 有所提升, 未提升" in message


def test_a_word_in_two_rows_is_an_overlap_under_unique(registry):
    rows = row_with(WORDS, 1, when=["有所提升", "显著提升"])
    message = compile_error(registry, "明显提升", rows)
    assert "rows 'good' and 'fair' overlap on the word '显著提升'" in message
    assert bands(registry, "明显提升", "显著提升", rows, hit="first").trace.matched == "good"


def test_words_can_be_tested_under_a_numeric_target(registry):
    rows = [{"when": "100%", "share": 1}, {"when": ["90%", "95%"], "share": 0.5}]
    assert bands(registry, "≥95%", "95%", rows, on="word").trace.matched == "row-2"


def test_a_word_table_has_no_domain(registry):
    assert "domain applies to tables of numbers" in compile_error(registry, "明显提升", WORDS,
                                                                  domain="[0, 1]")


def test_an_array_of_words_cannot_be_a_numeric_condition(registry):
    rows = [{"when": ["a", "b"], "share": 1}]
    assert "row 'row-1': when is an array of words" in compile_error(registry, "≥1", rows)


# --------------------------------------------------------------------------- compile-time checks


def test_a_gap_names_the_interval_and_the_rows_beside_it(registry):
    rows = row_with(ROWS, 2, when="[0.85, 0.9)")
    message = compile_error(registry, "≥100", rows)
    assert ("no row covers [0.8, 0.85) (between rows 'none' and 'some'): the rows must cover the "
            "whole domain [0, +inf)") in message
    assert "indicator[0]" in message  # located


def test_gaps_at_either_end_of_the_domain_name_the_nearest_row(registry):
    rows = [{"id": "mid", "when": "[0.5, 1]", "share": 1}]
    message = compile_error(registry, "≥100", rows)
    assert "no row covers [0, 0.5) (below row 'mid')" in message
    assert "no row covers (1, +inf) (above row 'mid')" in message


def test_a_single_missing_point_is_a_gap(registry):
    rows = row_with(ROWS, 1, when="(0.9, 1)")
    assert "no row covers {0.9} (between rows 'some' and 'most')" in compile_error(registry, "≥100", rows)


def test_an_overlap_names_both_rows_and_the_shared_interval(registry):
    rows = row_with(ROWS, 2, when="[0.8, 0.95)")
    assert "rows 'most' and 'some' overlap on [0.9, 0.95)" in compile_error(registry, "≥100", rows)
    rows = row_with(ROWS, 2, when="[0.8, 0.9]")
    assert "rows 'most' and 'some' overlap at 0.9" in compile_error(registry, "≥100", rows)


def test_a_bad_interval_names_the_row_and_gives_a_hint(registry):
    rows = row_with(ROWS, 1, when="90%-100%")
    message = compile_error(registry, "≥100", rows)
    assert "row 'most': ambiguous range: '90%-100%' (hint: write '[0.8, 0.9)' or '0.8..0.9')" in message


@pytest.mark.parametrize(("change", "expected"), [
    ({"share": 1.2}, "row 'most': share 1.2 is outside [0, 1]"),
    ({"share": -0.1}, "row 'most': share -0.1 is outside [0, 1]"),
    ({"shares": 0.8}, "row 'most' has no key 'shares'; did you mean 'share'?"),
    ({"wen": "x"}, "row 'most' has no key 'wen'; did you mean 'when'?"),
    ({"score": 5}, "row 'most' gives both share and score; give one"),
    ({"priority": "high"}, "row 'most': priority must be a whole number"),
    ({"id": "full"}, "two rows have the id 'full'"),
    ({"when": True}, "row 'most': when must be a condition or a word"),
    ({"share": "a lot"}, "row 'most': share: 'a lot' is not a number"),
])
def test_malformed_rows_are_errors_naming_the_row(registry, change, expected):
    assert expected in compile_error(registry, "≥100", row_with(ROWS, 1, **change))


def test_a_score_above_the_points_is_an_error(registry):
    rows = row_with(ROWS, 2, score=12)
    with pytest.raises(evalcore.ValidationError, match="row 'some': score 12 is above the indicator's 10"):
        bands(registry, "≥100", "1", rows, points=10)


def test_a_negative_score_is_an_error(registry):
    assert "row 'some': score -1 is below 0" in compile_error(registry, "≥100", row_with(ROWS, 2, score=-1))


def test_a_row_without_when_or_output_is_an_error(registry):
    rows = [{"id": "x", "share": 1}]
    assert "row 'x' needs a condition" in compile_error(registry, "≥100", rows)
    rows = [{"id": "x", "when": ">= 0"}]
    assert "row 'x' needs an output: share (0–1 of the points) or score" in compile_error(
        registry, "≥100", rows)


def test_rows_must_be_a_nonempty_array_of_tables(registry):
    assert "needs at least one row" in compile_error(registry, "≥100", [])
    assert "expected an array of rows" in compile_error(registry, "≥100", "rows")
    assert "row 1 must be a table" in compile_error(registry, "≥100", [">= 1"])


def test_a_bands_indicator_without_rows_is_an_error(registry):
    text = project_toml(single("≥100", "100", rule="bands"))
    with pytest.raises(evalcore.ValidationError, match="the table has no rows"):
        evaluate_text(text, registry)


def test_a_profiles_rows_are_used_and_indicator_params_override_them(registry):
    settings = {"decimals": 2, "rules": {"bands": {"rows": ROWS}}}
    row = score_one(registry, "≥100", "95", settings=settings, rule="bands")
    assert (row.score, row.trace.matched) == (D("80.00"), "most")
    row = score_one(registry, "≥100", "95", settings=settings, rule="bands",
                    params={"rows": [{"when": ">= 0", "share": 0.25}]})
    assert row.score == D("25.00")


def test_a_profiles_bad_rows_are_reported_where_the_profile_sets_them(registry):
    settings = {"rules": {"bands": {"rows": row_with(ROWS, 0, shar=1)}}}
    with pytest.raises(evalcore.ValidationError, match="did you mean 'share'"):
        score_one(registry, "≥100", "95", settings=settings, rule="bands")


# --------------------------------------------------------------------------- the budget's stepped score


JIANGXI = [
    {"id": "full", "when": ">= 1", "share": 1},
    {"id": "high", "when": "[0.8, 1)", "share": 0.7},
    {"id": "mid", "when": "[0.6, 0.8)", "share": 0.5},
    {"id": "low", "when": "< 0.6", "share": 0},
]


def budget(registry: evalcore.Registry, planned: object, executed: object,
           rows: Any = None) -> evalcore.BudgetRow:
    rules = {"execution-rate": {"bands": JIANGXI if rows is None else rows}}
    text = project_toml(single("≥1", "1", points=90),
                        budget={"planned": planned, "executed": executed, "points": 10},
                        settings={"decimals": 2, "rules": rules})
    ev = evaluate_text(text, registry)
    assert ev.budget is not None
    return ev.budget


@pytest.mark.parametrize(("executed", "score", "matched", "status"), [
    (100, "10.00", "full", Status.MET),
    (120, "10.00", "full", Status.MET),  # overspending matches ">= 1" as it is
    (99.99, "7.00", "high", Status.PARTLY_MET),
    (85, "7.00", "high", Status.PARTLY_MET),
    (80, "7.00", "high", Status.PARTLY_MET),
    (79.99, "5.00", "mid", Status.PARTLY_MET),
    (65, "5.00", "mid", Status.PARTLY_MET),
    (60, "5.00", "mid", Status.PARTLY_MET),
    (50, "0.00", "low", Status.MISSED),
    (0, "0.00", "low", Status.MISSED),
])
def test_jiangxi_budget_bands_score_the_execution_rate_in_steps(registry, executed, score, matched,
                                                                status):
    row = budget(registry, 100, executed)
    assert (row.score, row.trace.matched, row.status) == (D(score), matched, status)


def test_the_budget_trace_shows_the_rate_and_the_matched_row(registry):
    row = budget(registry, 1000, 850)
    assert row.rate == D("0.85")
    assert row.trace.formula == "850/1000 = 85%; rate 0.85 ∈ [0.8, 1) → row 'high': 10 × 0.7 = 7 (row 2 of 4)"


def test_a_zero_budget_with_bands_has_rate_zero(registry):
    assert budget(registry, 0, 5).trace.matched == "low"


def test_budget_bands_must_cover_rates_above_one(registry):
    rows = row_with(JIANGXI, 0, when="= 1")
    with pytest.raises(evalcore.ValidationError, match=r"no row covers \(1, \+inf\) \(above row 'full'\)"):
        budget(registry, 100, 100, rows)


def test_budget_bands_may_not_overlap(registry):
    rows = row_with(JIANGXI, 1, when="[0.8, 1]")
    with pytest.raises(evalcore.ValidationError, match="rows 'full' and 'high' overlap at 1"):
        budget(registry, 100, 100, rows)


def test_budget_bands_can_give_fixed_scores(registry):
    rows = [{"when": ">= 0.9", "score": 10}, {"when": "< 0.9", "score": 4}]
    assert budget(registry, 100, 89, rows).score == D("4.00")


def test_without_bands_the_budget_keeps_the_proportional_formula(registry):
    text = project_toml(single("≥1", "1", points=90),
                        budget={"planned": 100, "executed": 85, "points": 10}, settings=TWO)
    ev = evaluate_text(text, registry)
    assert ev.budget is not None
    assert ev.budget.score == D("8.50")
    assert ev.budget.trace.matched is None
    assert ev.budget.trace.params["bands"] == "none"


# --------------------------------------------------------------------------- bounded cost
# A table of n rows that all overlap has n²/2 overlapping pairs: none may be listed in full.


def same_rows(n: int, **extra: Any) -> list[dict[str, Any]]:
    return [{"id": f"r{i}", "when": ">= 0", "share": 1, **extra} for i in range(n)]


def test_policies_that_allow_overlaps_never_look_for_them(monkeypatch):
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("overlaps were enumerated")

    monkeypatch.setattr(_bandtable, "find_overlaps", refuse)
    table = build_table(parse_rows(same_rows(3000)), D(10), hit="first")
    assert table.decide(D("0.5")).matched == "r0"
    assert len(table.matches(D("0.5"))) == 3000
    assert build_table(parse_rows(same_rows(50)), D(10), hit="collect", aggregate="max")


def test_all_rows_overlapping_under_unique_name_five_pairs_and_count_the_rest(registry):
    message = compile_error(registry, "≥100", same_rows(300))
    assert ("rows 'r0' and 'r1' overlap on [0, +inf); rows 'r0' and 'r2' overlap on [0, +inf); "
            "rows 'r0' and 'r3' overlap on [0, +inf); rows 'r0' and 'r4' overlap on [0, +inf); "
            "rows 'r0' and 'r5' overlap on [0, +inf); and 44,845 more overlapping pairs of rows; "
            "make the bands disjoint") in message
    assert len(message) < 600


def test_priority_and_any_count_only_the_pairs_they_refuse():
    rows = [{"id": f"r{i}", "when": ">= 0", "share": 1, "priority": i % 2} for i in range(8)]
    with pytest.raises(ValueError) as exc:  # 2 × C(4, 2) = 12 pairs of equal priority
        build_table(parse_rows(rows), D(10), hit="priority")
    assert str(exc.value).count("overlap on [0, +inf) with the same priority") == SHOWN
    assert "and 7 more overlapping pairs of rows with the same priority" in str(exc.value)
    rows = [{"id": f"r{i}", "when": ">= 0", "share": [1, 0.5][i % 2]} for i in range(6)]
    with pytest.raises(ValueError) as exc:  # 3 × 3 disagreeing pairs
        build_table(parse_rows(rows), D(10), hit="any")
    assert str(exc.value).startswith("rows 'r0' and 'r1' overlap on [0, +inf) but give different "
                                     "points (10 and 5); rows 'r0' and 'r3'")
    assert "rows 'r1' and 'r4'" in str(exc.value)
    assert "and 4 more overlapping pairs of rows that give different points" in str(exc.value)


def test_many_gaps_name_five_and_count_the_rest():
    rows = [{"id": f"p{i}", "when": f"= {i}", "share": 1} for i in range(1, 11)]
    with pytest.raises(ValueError) as exc:
        build_table(parse_rows(rows), D(10), domain=parse_interval("[0, 11]"))
    assert str(exc.value) == (
        "no row covers [0, 1) (below row 'p1'); no row covers (1, 2) (between rows 'p1' and 'p2'); "
        "no row covers (2, 3) (between rows 'p2' and 'p3'); no row covers (3, 4) (between rows 'p3' "
        "and 'p4'); no row covers (4, 5) (between rows 'p4' and 'p5'); and 6 more gaps: the rows "
        "must cover the whole domain [0, 11]")


def test_a_word_in_every_row_is_counted_not_listed():
    rows = [{"id": f"w{i}", "when": ["良", f"x{i}"], "share": 1} for i in range(3000)]
    with pytest.raises(ValueError) as exc:
        build_table(parse_rows(rows), D(10), words=True)
    assert "rows 'w0' and 'w5' overlap on the word '良'; and 4,498,495 more" in str(exc.value)
    assert len(str(exc.value)) < 600


def test_an_unknown_word_lists_at_most_twenty_known_words():
    rows = [{"id": f"w{i}", "when": f"词{i:02}", "share": 1} for i in range(30)]
    table = build_table(parse_rows(rows), D(10), words=True)
    with pytest.raises(ValueError, match=r"词18, 词19, … and 10 more words$"):
        table.decide("词99")


def test_a_decision_names_at_most_five_rows():
    rows = parse_rows(same_rows(40)).rows  # never checked: only the decision's message is tested
    intervals = tuple(parse_interval(">= 0") for _ in rows)
    table = BandTable(rows, D(10), "unique", "sum", parse_interval(">= 0"), intervals, {})
    with pytest.raises(ValueError, match=r"'r3', 'r4', … and 35 more rows all match 1;"):
        table.decide(D(1))


@given(rows=st.lists(st.tuples(st.lists(st.sampled_from("abc"), min_size=1, max_size=3),
                               st.integers(0, 2)), min_size=1, max_size=7),
       clash=st.sampled_from(["all", "same", "different"]))
def test_word_clashes_agree_with_the_pairwise_reference(rows, clash):
    listed_by = [tuple(dict.fromkeys(words)) for words, _ in rows]
    keys = [key for _, key in rows]
    index: dict[str, list[int]] = {}
    for i, words in enumerate(listed_by):
        for word in words:
            index.setdefault(word, []).append(i)
    expected = sorted(  # the quadratic check the tallies replaced: every pair, every shared word
        (i, j, f"on the word {word!r}") for i, j in combinations(range(len(rows)), 2)
        for word in set(listed_by[i]) & set(listed_by[j])
        if clash == "all" or (keys[i] == keys[j]) == (clash == "same"))
    assert _word_clashes(index, listed_by, keys, clash) == (len(expected), expected[:SHOWN])


# --------------------------------------------------------------------------- properties

CUTS = st.lists(st.decimals(min_value=D("0.01"), max_value=5, places=2), min_size=1, max_size=6,
                unique=True).map(sorted)


def _interval_text(lo: Decimal | None, lo_closed: bool, hi: Decimal | None, hi_closed: bool) -> str:
    left = "(-inf" if lo is None else ("[" if lo_closed else "(") + str(lo)
    right = "+inf)" if hi is None else str(hi) + ("]" if hi_closed else ")")
    return f"{left}, {right}"


@st.composite
def partitions(draw: st.DrawFn) -> list[str]:
    """Conditions that split the line at random cuts, each cut owned by the row above or below."""
    cuts = draw(CUTS)
    upper = [draw(st.booleans()) for _ in cuts]  # True: the cut belongs to the row above it
    ends: list[Decimal | None] = [None, *cuts, None]
    return [_interval_text(ends[k], k > 0 and upper[k - 1], ends[k + 1], k < len(cuts) and not upper[k])
            for k in range(len(cuts) + 1)]


@st.composite
def perturbed(draw: st.DrawFn) -> list[str]:
    """A partition, sometimes broken: a row dropped, duplicated, or one end flipped open/closed."""
    rows = draw(partitions())
    action = draw(st.sampled_from(["keep", "drop", "duplicate", "flip"]))
    k = draw(st.integers(0, len(rows) - 1))
    if action == "drop" and len(rows) > 1:
        del rows[k]
    elif action == "duplicate":
        rows.insert(k, rows[k])
    elif action == "flip":
        text = rows[k]
        flipped = {"[": "(", "(": "[", "]": ")", ")": "]"}
        side = draw(st.sampled_from([0, -1]))
        if "inf" not in (text[:5] if side == 0 else text[-5:]):
            index = side % len(text)
            rows[k] = text[:index] + flipped[text[index]] + text[index + 1:]
    return rows


def probes(conditions: list[str]) -> list[Decimal]:
    """One value in every elementary piece of [0, +inf) the conditions cut: exhaustive."""
    points = sorted({D(0)} | {b.value for c in conditions for iv in [parse_interval(c)]
                              for b in (iv.low, iv.high) if b.value is not None and b.value >= 0})
    mids = [(a + b) / 2 for a, b in pairwise(points)]
    return [*points, *mids, points[-1] + 1]


def _rows(conditions: list[str], shares: list[Decimal] | None = None) -> list[dict[str, Any]]:
    return [{"id": f"r{k}", "when": c, "share": shares[k] if shares else D("0.5")}
            for k, c in enumerate(conditions)]


@given(perturbed())
def test_the_checker_accepts_a_unique_table_iff_exactly_one_row_matches_each_value(conditions):
    intervals = [parse_interval(c) for c in conditions]
    exactly_one = all(len(find_matches(intervals, x)) == 1 for x in probes(conditions))
    try:
        table = build_table(parse_rows(_rows(conditions)), D(10))
    except ValueError:
        event("rejected by the checker")
        assert not exactly_one
        return
    event("accepted by the checker")
    assert exactly_one
    for x in probes(conditions):
        assert len(table.matches(x)) == 1
        assert table.decide(x).score == 5


WHENS = st.builds(_interval_text, st.none() | st.sampled_from([D(0), D("0.5"), D(1), D(2)]), st.booleans(),
                  st.none() | st.sampled_from([D("0.5"), D(1), D(2), D(3)]), st.booleans())
ROW_EXTRAS = st.fixed_dictionaries({"share": st.decimals(0, 1, places=2), "priority": st.integers(0, 50)})
RANDOM_ROWS = st.lists(
    st.builds(lambda when, extra: {"when": when, **extra}, WHENS | st.just("(-inf, +inf)"), ROW_EXTRAS),
    min_size=1, max_size=5,
) | partitions().flatmap(lambda whens: st.tuples(*(ROW_EXTRAS for _ in whens)).map(
    lambda extras: [{"when": w, **e} for w, e in zip(whens, extras, strict=True)]))


@given(rows=RANDOM_ROWS, hit=st.sampled_from(["unique", "first", "priority", "any", "collect"]),
       aggregate=st.sampled_from(["sum", "min", "max", "count"]), on=st.sampled_from(["ratio", "actual"]),
       actual=st.decimals(min_value=-1000, max_value=1000, places=3))
def test_an_accepted_table_scores_any_finite_actual_or_raises_value_error(registry, rows, hit, aggregate,
                                                                          on, actual):
    params: dict[str, Any] = {"rows": [r if hit == "priority" else {k: v for k, v in r.items()
                                                                     if k != "priority"} for r in rows],
                              "hit": hit, "on": on}
    if hit == "collect":
        params["aggregate"] = aggregate
    scheme = Scheme("s", (Indicator("x", "x", "quantity", D(100), "≥2", rule="bands", params=params),))
    try:
        plan = evalcore.compile(scheme, registry)
    except evalcore.ValidationError:
        event("rejected by the checker")
        return
    scorer = plan.rows[0].scorer
    assert scorer is not None
    try:
        result = scorer(Observation(parse_actual(str(actual), registry.units)))
    except ValueError:
        event("accepted; the value raised ValueError")
        return
    event(f"accepted and scored under {hit}")
    assert result.matched
    assert 0 <= result.score <= 100  # bounded by the rule itself, not only by the engine cap


@given(conditions=partitions(), data=st.data(),
       b=st.lists(st.decimals(min_value=-10, max_value=1000, places=2), min_size=2, max_size=2))
def test_a_table_of_rising_shares_gives_a_score_monotone_in_the_actual(registry, conditions, data, b):
    shares = sorted(data.draw(st.lists(st.decimals(0, 1, places=2), min_size=len(conditions),
                                       max_size=len(conditions))))
    scheme = Scheme("s", (Indicator("x", "x", "quantity", D(100), "≥100", rule="bands",
                                    params={"rows": _rows(conditions, shares)}),))
    plan = evalcore.compile(scheme, registry)
    scorer = plan.rows[0].scorer
    assert scorer is not None
    low, high = sorted(b)
    s_low = scorer(Observation(parse_actual(str(low), registry.units))).score
    s_high = scorer(Observation(parse_actual(str(high), registry.units))).score
    assert s_low <= s_high


@pytest.mark.parametrize("params", [
    {"rows": [{"when": ">= 1", "share": 1}, {"when": "[0.9, 1)", "share": 0.8},
              {"when": "[0.5, 0.9)", "share": 0.4}, {"when": "< 0.5", "share": 0}]},
    {"rows": [{"when": ">= 0", "share": 0.7}, {"when": ">= 1", "share": 0.6},
              {"when": ">= 0.5", "share": 0.2}], "hit": "collect"},
], ids=["unique", "collect-sum"])
def test_a_table_full_at_the_target_obeys_the_rule_laws(registry, params):
    from evalcore.testing import check_rule_laws

    check_rule_laws("bands", registry=registry, params=params,
                    comparators=(Comparator.GE, Comparator.GT), max_examples=40)


@pytest.mark.parametrize("when", ["[90, 95%)", "90%..95", "> 90", "95"])
def test_every_bound_against_a_percentage_target_needs_its_percent_sign(registry, when):
    rows = [{"when": "< 90%", "share": 0}, {"when": when, "share": 0.5}]
    assert "write the bounds of when with %" in compile_error(registry, "≥95%", rows, on="actual")


def test_zero_needs_no_percent_sign(registry):
    rows = [{"when": "< 0", "share": 0}, {"when": "[0, 95%)", "share": 0.5}, {"when": ">= 95%", "share": 1}]
    assert bands(registry, "≥95%", "0%", rows, on="actual").score == D("50.00")
