"""Invariants of scoring, for any scheme and any actual values (Hypothesis)."""

from __future__ import annotations

from decimal import Decimal

import attrs
from hypothesis import given
from hypothesis import strategies as st

import evalcore
from evalcore import Actual, Indicator, Project, ProjectInfo, Scheme, Status
from evalcore.model import Budget

SYMBOLS = ["≥", ">", "≤", "<", "="]
UNITS = ["", "批次", "%", "万元", "天"]
CATEGORIES = ["quantity", "quality", "timeliness", "cost", "social", "satisfaction"]

amounts = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)
actual_amounts = st.decimals(min_value=-100, max_value=10**7, places=3, allow_nan=False,
                             allow_infinity=False)
points = st.decimals(min_value=Decimal("0.1"), max_value=100, places=1)


def plan_for(registry, target: str, pts: Decimal = Decimal(100), decimals: int = 2,
             rule: str | None = None, category: str = "quantity") -> evalcore.Plan:
    """A plan whose indicator "x" carries ``pts``; a filler row makes the points add up to 100."""
    rows = [Indicator("x", "x", category, pts, target, rule=rule)]
    if pts != 100:
        rows.append(Indicator("filler", "filler", "quality", 100 - pts, "≥1"))
    scheme = Scheme("s", tuple(rows), settings={"decimals": decimals})
    return evalcore.compile(scheme, registry)


def score(plan: evalcore.Plan, actual: object) -> evalcore.Row:
    project = Project(ProjectInfo("p"), plan.scheme, actuals={"x": Actual(actual)})
    return plan.evaluate(project).rows[0]


@given(symbol=st.sampled_from(SYMBOLS), a=amounts, b=actual_amounts, unit=st.sampled_from(UNITS),
       pts=points)
def test_score_is_always_within_zero_and_the_points(registry, symbol, a, b, unit, pts):
    plan = plan_for(registry, f"{symbol}{a}{unit}", pts)
    row = score(plan, f"{b}{unit}")
    assert 0 <= row.score <= row.points == pts
    assert (row.status is Status.MET) <= (row.score == pts)


@given(symbol=st.sampled_from(SYMBOLS), a=amounts, b1=actual_amounts, b2=actual_amounts,
       method=st.sampled_from(["ratio", "linear"]))
def test_score_is_monotone_in_the_actual_in_the_targets_direction(registry, symbol, a, b1, b2, method):
    low, high = sorted((b1, b2))
    scheme = Scheme("s", (Indicator("x", "x", "quantity", Decimal(100), f"{symbol}{a}"),),
                    settings={"rules": {"reverse": {"method": method}}})
    plan = evalcore.compile(scheme, registry)
    s_low, s_high = score(plan, low).score, score(plan, high).score
    if symbol in ("≥", ">"):
        assert s_low <= s_high
    elif symbol in ("≤", "<"):
        assert s_low >= s_high


@given(symbol=st.sampled_from(["≥", "≤", "="]), a=amounts, slack=amounts)
def test_full_marks_once_the_target_is_met(registry, symbol, a, slack):
    plan = plan_for(registry, f"{symbol}{a}")
    b = {"≥": a + slack, "≤": max(a - slack, Decimal(0)), "=": a}[symbol]
    row = score(plan, str(b))
    assert row.score == row.points
    assert row.status is Status.MET


@given(a=st.decimals(min_value=1, max_value=10**6, places=2), b=amounts,
       unit_pair=st.sampled_from([("万元", "元", 10000), ("亿元", "万元", 10000), ("周", "天", 7)]))
def test_scores_do_not_depend_on_the_unit_an_amount_is_written_in(registry, a, b, unit_pair):
    big, small, factor = unit_pair
    plan = plan_for(registry, f"≥{a}{big}")
    assert score(plan, f"{b}{big}").score == score(plan, f"{b * factor}{small}").score


@st.composite
def schemes_and_projects(draw):
    n = draw(st.integers(min_value=1, max_value=8))
    budget_points = draw(st.sampled_from([None, Decimal(10), Decimal(20)]))
    remaining = Decimal(100) - (budget_points or 0)
    cuts = sorted(draw(st.lists(st.integers(0, int(remaining)), min_size=n - 1, max_size=n - 1)))
    weights = [Decimal(b - a) for a, b in zip([0, *cuts], [*cuts, int(remaining)], strict=True)]
    indicators, actuals = [], {}
    for i, w in enumerate(weights):
        symbol = draw(st.sampled_from(SYMBOLS))
        target = draw(amounts)
        indicators.append(Indicator(f"i{i}", f"指标{i}", draw(st.sampled_from(CATEGORIES)), w,
                                    f"{symbol}{target}"))
        if draw(st.booleans()) or i == 0:
            actuals[f"i{i}"] = Actual(str(draw(actual_amounts)), reason="说明")
    decimals = draw(st.integers(0, 3))
    scheme = Scheme("s", tuple(indicators), budget_points=budget_points,
                    settings={"decimals": decimals})
    budget = None
    if budget_points is not None:
        budget = Budget(draw(amounts), draw(amounts))
    return scheme, Project(ProjectInfo("p"), scheme, budget, actuals)


@given(schemes_and_projects())
def test_the_total_is_the_sum_of_the_rounded_rows_and_the_grade_fits(registry, case):
    _scheme, project = case
    ev = evalcore.evaluate(project, registry)
    rows = [r.score for r in ev.rows] + ([ev.budget.score] if ev.budget else [])
    assert ev.total == sum(rows, Decimal(0))
    assert ev.total == sum((g.score for g in ev.groups), Decimal(0))
    assert ev.total == sum((c.score for c in ev.categories), Decimal(0))
    assert ev.points == Decimal(100)
    assert all(-r.as_tuple().exponent <= ev.decimals for r in rows if r != 0)
    bands = {"优": 90, "良": 80, "中": 60, "差": 0}
    assert ev.total >= bands[ev.grade]
    assert all(ev.total < v for g, v in bands.items() if v > bands[ev.grade])


@given(schemes_and_projects(), st.randoms())
def test_permuting_indicators_changes_no_score(registry, case, random):
    scheme, project = case
    shuffled = list(scheme.indicators)
    random.shuffle(shuffled)
    other = attrs.evolve(scheme, indicators=tuple(shuffled))
    a = evalcore.evaluate(project, registry)
    b = evalcore.evaluate(attrs.evolve(project, scheme=other), registry)
    assert a.total == b.total and a.grade == b.grade
    assert {r.id: r for r in a.rows} == {r.id: r for r in b.rows}


@given(schemes_and_projects())
def test_json_round_trip_is_lossless_and_deterministic(registry, case):
    _, project = case
    ev = evalcore.evaluate(project, registry)
    text = ev.to_json()
    assert evalcore.Evaluation.from_json(text) == ev
    assert evalcore.evaluate(project, registry).to_json() == text
