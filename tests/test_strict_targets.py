"""Strict targets (> and <): a B on the wrong side of A never earns more than B = A does.

Under ``>`` B = A earns w × ``strict_boundary_share`` (s); a B below A earns
w × min(B/A, s), so 99.99 against ``>100`` no longer outscores 100. Under ``<``
a B above A earns w × min(A/B, s) (``ratio``) or w × min(1 − (B−A)/A, s), at
least 0 (``linear``). Plain examples pin every edge (B just past, at and just
short of A, B = s·A, A/s, (2 − s)·A, A = 0, s = 0 and 1) and the formula shown
in both languages; Hypothesis properties check that the score is monotone in B
under strict and non-strict targets for any s in [0, 1], and that the full
scorer, the numbers-only path and the columnar kernels give one answer.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Any

import pytest
from helpers import evaluate_text, project_toml, single
from hypothesis import given, settings
from hypothesis import strategies as st

import evalcore
from evalcore import Status
from evalcore.compiler import compile_scheme
from evalcore.model import Actual, Project, ProjectInfo, Scheme
from evalcore.numbers import context
from evalcore.plugin import Comparator, Indicator, Observation
from evalcore.quantities import parse_actual
from evalcore.testing import check_rule_laws

D = Decimal
TEN = D(10)
REGISTRY = evalcore.Registry.from_plugins(evalcore.get_plugin_manager())


def _plan(target: str, rule: str, method: str | None = None, share: Decimal | None = None,
          points: Decimal = TEN) -> Any:
    """A scheme of one indicator worth all its ``points``, rows to 2 decimals, compiled."""
    params: dict[str, Any] = {}
    if method is not None:
        params["method"] = method
    if share is not None:
        params["strict_boundary_share"] = share
    ind = Indicator("k", "指标", "quantity", points, target, rule=rule, params=params)
    scheme = Scheme("strict", (ind,), settings={"total": points, "weights": {}, "decimals": 2})
    return compile_scheme(scheme, REGISTRY)


def _row(plan: Any, actual: str) -> evalcore.Row:
    project = Project(ProjectInfo("p"), plan.scheme, actuals={"k": Actual(actual, reason="r")})
    row: evalcore.Row = plan.evaluate(project).rows[0]
    return row


# --- plain examples at the edges --------------------------------------------------------------

EXAMPLES = [
    # positive under >100: past, at, just short of A, at s·A, below s·A, at and below 0
    ("positive", None, ">100", "100.01", "10.00", Status.MET, "10"),
    ("positive", None, ">100", "100", "8.00", Status.PARTLY_MET, "B = A = 100, not > A → 10 × 0.8"),
    ("positive", None, ">100", "99.99", "8.00", Status.PARTLY_MET, "10 × min(99.99/100, 0.8) = 8"),
    ("positive", None, ">100", "80", "8.00", Status.PARTLY_MET, "10 × min(80/100, 0.8) = 8"),
    ("positive", None, ">100", "79.99", "8.00", Status.PARTLY_MET,
     "10 × min(79.99/100, 0.8) = 7.999"),
    ("positive", None, ">100", "79", "7.90", Status.PARTLY_MET, "10 × min(79/100, 0.8) = 7.9"),
    ("positive", None, ">100", "0", "0.00", Status.MISSED, "B = 0 ≤ 0 → 0"),
    ("positive", None, ">100", "-3", "0.00", Status.MISSED, "B = -3 ≤ 0 → 0"),
    # ≥ is unchanged: just short of A still earns w × B/A
    ("positive", None, "≥100", "99.99", "10.00", Status.PARTLY_MET, "10 × 99.99/100 = 9.999"),
    ("positive", None, "≥100", "100", "10.00", Status.MET, "10"),
    # A = 0 has no share: > 0 is met by any B > 0, and B = 0 scores 0
    ("positive", None, ">0", "0", "0.00", Status.MISSED, "B = 0 ≤ 0 → 0"),
    ("positive", None, ">0", "0.01", "10.00", Status.MET, "10"),
    # reverse, ratio, under <100: past, at, just short of A, at A/s, beyond
    ("reverse", "ratio", "<100", "99.99", "10.00", Status.MET, "10"),
    ("reverse", "ratio", "<100", "100", "8.00", Status.PARTLY_MET,
     "B = A = 100, not < A → 10 × 0.8"),
    ("reverse", "ratio", "<100", "100.01", "8.00", Status.PARTLY_MET,
     "10 × min(100/100.01, 0.8) = 8"),
    ("reverse", "ratio", "<100", "125", "8.00", Status.PARTLY_MET, "10 × min(100/125, 0.8) = 8"),
    ("reverse", "ratio", "<100", "200", "5.00", Status.PARTLY_MET, "10 × min(100/200, 0.8) = 5"),
    ("reverse", "ratio", "≤100", "100.01", "10.00", Status.PARTLY_MET,
     "10 × 100/100.01 = ≈9.999"),
    # reverse, linear, under <100: just short of A, at (2 − s)·A, beyond, past 2A
    ("reverse", "linear", "<100", "100.01", "8.00", Status.PARTLY_MET,
     "10 × min(1 − (100.01 − 100)/100, 0.8) = 8"),
    ("reverse", "linear", "<100", "120", "8.00", Status.PARTLY_MET,
     "10 × min(1 − (120 − 100)/100, 0.8) = 8"),
    ("reverse", "linear", "<100", "130", "7.00", Status.PARTLY_MET,
     "10 × min(1 − (130 − 100)/100, 0.8) = 7"),
    ("reverse", "linear", "<100", "250", "0.00", Status.MISSED,
     "10 × min(1 − (250 − 100)/100, 0.8) = 0"),
    ("reverse", "linear", "≤100", "100.01", "10.00", Status.PARTLY_MET,
     "10 × (1 − (100.01 − 100)/100) = 9.999"),
    # A = 0 (zero tolerance): nothing to share
    ("reverse", "ratio", "<0", "0", "0.00", Status.MISSED, "A = 0, B = 0 ≥ 0 → 0"),
    ("reverse", "ratio", "<0", "-1", "10.00", Status.MET, "10"),
]


@pytest.mark.parametrize(("rule", "method", "target", "actual", "score", "status", "formula"),
                         EXAMPLES, ids=[f"{e[0]}-{e[1]}-{e[2]}-{e[3]}" for e in EXAMPLES])
def test_a_strict_target_caps_the_wrong_side_at_the_boundarys_share(rule, method, target, actual,
                                                                    score, status, formula):
    row = _row(_plan(target, rule, method), actual)
    assert (row.score, row.status) == (D(score), status)
    assert row.trace.formula == formula


def test_the_cap_is_shown_in_the_chinese_and_english_explanations():
    row = _row(_plan(">100", "positive"), "99.99")
    assert row.trace.formula_in("zh") == row.trace.formula_in("en") == "10 × min(99.99/100, 0.8) = 8"
    assert "10 × min(99.99/100, 0.8) = 8，扣2分" in row.explanation_zh
    assert "10 × min(99.99/100, 0.8) = 8: 2 of 10 points lost" in row.explanation_en


@pytest.mark.parametrize(("rule", "method", "target", "actual", "share", "score", "status"), [
    ("positive", None, ">100", "99", "0", "0.00", Status.MISSED),  # s = 0: short of A earns 0
    ("positive", None, ">100", "100", "0", "0.00", Status.MISSED),
    ("positive", None, ">100", "99", "1", "9.90", Status.PARTLY_MET),  # s = 1: as ≥ below A
    ("positive", None, ">100", "50", "0.5", "5.00", Status.PARTLY_MET),  # B = s·A
    ("positive", None, ">100", "50.01", "0.5", "5.00", Status.PARTLY_MET),
    ("positive", None, ">100", "49.99", "0.5", "5.00", Status.PARTLY_MET),  # 4.999 rounds up
    ("positive", None, ">100", "49.9", "0.5", "4.99", Status.PARTLY_MET),
    ("reverse", "ratio", "<100", "101", "0", "0.00", Status.MISSED),
    ("reverse", "ratio", "<100", "101", "1", "9.90", Status.PARTLY_MET),
    ("reverse", "ratio", "<100", "200", "0.5", "5.00", Status.PARTLY_MET),  # B = A/s
    ("reverse", "ratio", "<100", "202", "0.5", "4.95", Status.PARTLY_MET),
    ("reverse", "linear", "<100", "150", "0.5", "5.00", Status.PARTLY_MET),  # B = (2 − s)·A
    ("reverse", "linear", "<100", "151", "0.5", "4.90", Status.PARTLY_MET),
    ("reverse", "linear", "<100", "100.5", "0", "0.00", Status.MISSED),
])
def test_the_cap_follows_strict_boundary_share(rule, method, target, actual, share, score, status):
    row = _row(_plan(target, rule, method, D(share)), actual)
    assert (row.score, row.status) == (D(score), status)


def _survey(target: str, counts: dict[str, int]) -> evalcore.Row:
    text = project_toml(single(target, None, points=100, category="satisfaction", rule="survey",
                               extra=counts), settings={"decimals": 2})
    row: evalcore.Row = evaluate_text(text, REGISTRY).rows[0]
    return row


def test_a_survey_under_a_strict_target_is_capped_as_the_positive_rule():
    row = _survey(">90%", {"满意": 89, "不满意": 11})  # 89% < 90%: 100 × min(89/90, 0.8)
    assert (row.score, row.status) == (D("80.00"), Status.PARTLY_MET)
    assert row.trace.formula.endswith("→ 89%; 100 × min(89/90, 0.8) = 80")
    assert row.trace.formula_in("zh").endswith("→ 89%；100 × min(89/90, 0.8) = 80")
    row = _survey(">90%", {"满意": 70, "不满意": 30})  # below the cap: 100 × 70/90
    assert row.score == D("77.78")
    assert _survey("≥90%", {"满意": 89, "不满意": 11}).score == D("98.89")  # ≥: unchanged


# --- properties: monotone in B, three paths one answer ----------------------------------------

RULES = [("positive", None, ">"), ("positive", None, "≥"), ("reverse", "ratio", "<"),
         ("reverse", "ratio", "≤"), ("reverse", "linear", "<"), ("reverse", "linear", "≤")]


@st.composite
def cases(draw: st.DrawFn) -> tuple[str, str | None, str, Decimal, Decimal, Decimal]:
    """A rule, its method, a target, the share and points, drawn so the edges come up often."""
    rule, method, sign = draw(st.sampled_from(RULES))
    a = draw(st.sampled_from([D(0), D(1), D(100)]) | st.decimals(0, 10**5, places=2))
    share = draw(st.sampled_from([D(0), D("0.8"), D(1)]) | st.decimals(0, 1, places=3))
    points = draw(st.sampled_from([D(10), D(7), D("33.33"), D("1.0")]))
    return rule, method, f"{sign}{a}", a, share, points


def actuals(a: Decimal, share: Decimal) -> st.SearchStrategy[Decimal]:
    """B near A, near the ends of the capped band (s·A, A/s, (2 − s)·A), and anywhere."""
    ends = [a, a * share, a * (2 - share)] + ([a / share] if share else [])
    near = st.tuples(st.sampled_from(ends), st.integers(-3, 3)).map(
        lambda p: (p[0] + p[1] * D("0.001")).quantize(D("0.001"), decimal.ROUND_HALF_UP))
    return near | st.decimals(-10, 3 * a + 10, places=3)


@settings(max_examples=150, deadline=None)
@given(case=cases(), data=st.data())
def test_the_score_is_monotone_in_b_under_strict_and_non_strict_targets(case, data):
    rule, method, target, a, share, points = case
    plan = _plan(target, rule, method, share, points)
    low, high = sorted(data.draw(st.lists(actuals(a, share), min_size=2, max_size=2)))
    r_low, r_high = _row(plan, str(low)), _row(plan, str(high))
    assert r_low.trace.raw is not None and r_high.trace.raw is not None
    if rule == "positive":  # more is never worse
        assert (r_low.score, r_low.trace.raw) <= (r_high.score, r_high.trace.raw)
    else:  # less is never worse
        assert r_low.score >= r_high.score and r_low.trace.raw >= r_high.trace.raw
    if target[0] in "<>" and a > 0:  # the wrong side of A earns at most what B = A earns
        at_a = _row(plan, str(a)).score
        assert at_a == (points * share).quantize(D("0.01"), decimal.ROUND_HALF_UP)
        for b, row in ((low, r_low), (high, r_high)):
            if (b < a) if rule == "positive" else (b > a):
                assert row.score <= at_a


@settings(max_examples=100, deadline=None)
@given(case=cases(), data=st.data())
def test_the_scorer_the_numbers_path_and_the_kernel_give_one_answer(case, data):
    rule, method, target, a, share, points = case
    plan = _plan(target, rule, method, share, points)
    values = data.draw(st.lists(actuals(a, share), min_size=1, max_size=6))
    scorer = plan.rows[0].scorer
    table = plan.evaluate_table({"project": [f"p{i}" for i in range(len(values))],
                                 "k": [str(b) for b in values]}).to_pylist()
    for b, got in zip(values, table, strict=True):
        observation = Observation(parse_actual(str(b), REGISTRY.units), None)
        with decimal.localcontext(context()):
            full = scorer(observation)
            assert scorer.numbers(observation) == (full.score, full.status)
        row = _row(plan, str(b))
        assert row.trace.raw == full.score
        assert got["k"] == row.score and str(got["k"]) == str(row.score), (target, b)


@pytest.mark.parametrize(("rule", "params", "comparators"), [
    ("positive", {}, (Comparator.GT, Comparator.GE)),
    ("positive", {"strict_boundary_share": "0.3"}, (Comparator.GT,)),
    ("reverse", {}, (Comparator.LT, Comparator.LE)),
    ("reverse", {"method": "linear"}, (Comparator.LT, Comparator.LE)),
    ("reverse", {"method": "linear", "strict_boundary_share": "0"}, (Comparator.LT,)),
])
def test_the_rule_laws_hold_under_strict_targets(rule, params, comparators):
    check_rule_laws(rule, registry=REGISTRY, params=params, comparators=comparators,
                    laws=["monotone", "met", "bounded"], max_examples=40)


@settings(max_examples=60, deadline=None)
@given(total=st.sampled_from([8, 20, 50, 100]), data=st.data(), sign=st.sampled_from(["≥", ">"]))
def test_one_more_satisfied_respondent_never_lowers_a_surveys_score(total, data, sign):
    happy = data.draw(st.integers(0, total - 1))
    rates = [D(100 * k) / total for k in (happy, happy + 1)]  # exact percentages
    # the target is often one of the two rates: the edge where a strict target bites
    a = data.draw(st.sampled_from([r for r in rates if r > 0]) | st.decimals(1, 100, places=1))
    before = _survey(f"{sign}{a}%", {"满意": happy, "不满意": total - happy})
    after = _survey(f"{sign}{a}%", {"满意": happy + 1, "不满意": total - happy - 1})
    assert before.score <= after.score, (a, happy, total)
