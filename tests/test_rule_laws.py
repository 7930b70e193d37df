"""The laws of evalcore.testing (bounded, met, monotone, deterministic, units, errors) for the
built-in rule types that take numbers, beyond the national ones of test_testing.py.

check_rule_laws generates a target ``<symbol><A><unit>`` with A in [0, 100000] and a unit of
万元, 亿元, 周 or 年, draws actual values (in that unit, or through ``actuals``), and checks each
law on the scores. It picks the monotone direction from the target's comparator (≥ > higher is
better, ≤ < lower is better, = checks nothing), so each rule below is given the comparators
under which its direction agrees with that reading; a target a rule refuses (A = 0 for a ratio,
A ≠ 0 for a deduction) is skipped by check_rule_laws, never counted as a failure.

Not covered by check_rule_laws, and why:

- ``survey`` needs a percentage target (≥90%) and the answer counts in the actual's ``extra``
  table; check_rule_laws only generates targets in 万元/亿元/周/年 and passes no ``extra``, so
  every target is refused. Two Hypothesis properties below check it directly.
- ``deadline`` needs a date target; check_rule_laws only generates numeric targets, so no
  ``actuals`` strategy can help. Properties below check it directly.
- ``deduction`` with ``items`` counts the actual's ``extra`` table, which check_rule_laws
  cannot fill; only the single-item form (``per``, the actual is the count) is checked.
- ``execution-rate`` scores the funds block, not an indicator row (its bands are pinned by the
  golden cases in tests/golden/jiangxi.toml and budget-bands.toml).
- ``formula``, ``standard``, ``positive``, ``reverse``, ``equality`` and ``threshold`` are
  checked in test_testing.py; ``qualitative`` and ``bands`` on words take words, not numbers.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evalcore
from evalcore import Actual, Indicator, Project, ProjectInfo, Scheme, Status
from evalcore.plugin import Comparator
from evalcore.testing import ALL_LAWS, amounts, check_rule_laws

GE, GT, LE, LT, EQ = Comparator.GE, Comparator.GT, Comparator.LE, Comparator.LT, Comparator.EQ
EXAMPLES = 40


def without(*left_out: str) -> tuple[str, ...]:
    return tuple(law for law in ALL_LAWS if law not in left_out)


# --- bands -------------------------------------------------------------------------------------

# Shares that never fall as B/A rises, full points from B/A = 1: under ≥ and > every law holds
# (met: B ≥ A means B/A ≥ 1; under > the law only looks at B > A). Under = the monotone law
# checks nothing (the comparator has no direction) and met asks B = A → B/A = 1 → full.
RISING = [
    {"id": "full", "when": ">= 1", "share": 1},
    {"id": "most", "when": "[0.9, 1)", "share": Decimal("0.8")},
    {"id": "some", "when": "[0.5, 0.9)", "score": Decimal("0.5")},  # within any points ≥ 1
    {"id": "none", "when": "< 0.5", "share": 0},
]
# Shares that never rise with B/A, full points up to B/A = 1: the table of a ≤ or < target.
FALLING = [
    {"id": "within", "when": "<= 1", "share": 1},
    {"id": "over", "when": "(1, 1.2]", "share": Decimal("0.6")},
    {"id": "far", "when": "> 1.2", "share": 0},
]


def test_bands_with_a_rising_unique_table_obey_every_law_under_at_least_targets(registry):
    check_rule_laws("bands", registry=registry, params={"rows": RISING},
                    comparators=(GE, GT, EQ), max_examples=EXAMPLES)


# The same steps written as overlapping floors ("from B/A = x on, this share"), listed from the
# highest floor down. Each policy must pick the highest floor that matches, so the score never
# falls as B/A rises: first (the first match in this order), priority (the higher floor ranks
# higher), collect + max (the largest share of the matching floors). Left out: hit = "any"
# (overlapping rows must agree, so it scores as a unique table does); collect with "min" (the
# ">= 0" floor always matches, so the min is 0 and met would fail by design) and with "sum" or
# "count" (their scores depend on how the rows are cut, not on a law of the rule).
FLOORS = [
    {"id": "full", "when": ">= 1", "share": 1, "priority": 4},
    {"id": "most", "when": ">= 0.9", "share": Decimal("0.8"), "priority": 3},
    {"id": "some", "when": ">= 0.5", "score": Decimal("0.5"), "priority": 2},
    {"id": "none", "when": ">= 0", "share": 0, "priority": 1},
]


@pytest.mark.parametrize("policy", [{"hit": "first"}, {"hit": "priority"},
                                    {"hit": "collect", "aggregate": "max"}])
def test_bands_of_overlapping_floors_obey_every_law_under_each_hit_policy(policy, registry):
    rows = [row if policy["hit"] == "priority" else {k: v for k, v in row.items() if k != "priority"}
            for row in FLOORS]
    check_rule_laws("bands", registry=registry, params={"rows": rows, **policy},
                    comparators=(GE, GT), max_examples=EXAMPLES)


def test_bands_with_a_falling_table_obey_every_law_under_at_most_targets(registry):
    check_rule_laws("bands", registry=registry, params={"rows": FALLING},
                    comparators=(LE, LT), max_examples=EXAMPLES)


# --- steps -------------------------------------------------------------------------------------

# on = "ratio" with full_at = 1 makes "full points" coincide with "the target is met", so the
# met law applies. (With on = "actual" full_at is a fixed number while check_rule_laws draws
# random targets, so met would compare against the wrong edge: that form is left to the golden
# cases.) The direction must agree with the symbol, so ≥/> and ≤/< are checked separately.
@pytest.mark.parametrize("partial", ["ceil", "floor", "proportional"])
def test_steps_higher_obey_every_law(partial, registry):
    params = {"full_at": 1, "every": Decimal("0.1"), "deduct": 2, "partial": partial, "on": "ratio"}
    check_rule_laws("steps", registry=registry, params=params, comparators=(GE, GT, EQ),
                    max_examples=EXAMPLES)


@pytest.mark.parametrize("partial", ["ceil", "floor", "proportional"])
def test_steps_lower_obey_every_law(partial, registry):
    params = {"full_at": 1, "every": Decimal("0.1"), "deduct": 2, "partial": partial, "on": "ratio",
              "direction": "lower"}
    check_rule_laws("steps", registry=registry, params=params, comparators=(LE, LT),
                    max_examples=EXAMPLES)


# --- tolerance ---------------------------------------------------------------------------------

def near_the_target(a: Decimal, unit: str) -> st.SearchStrategy[object]:
    """B = A exactly, or within ±30% of A: every range of the table below, and beyond it."""
    low = (a * Decimal("0.7")).quantize(Decimal("0.001"))
    high = (a * Decimal("1.3")).quantize(Decimal("0.001"))
    return st.one_of(st.just(f"{a}{unit}"), amounts(low, high, 3).map(lambda b: f"{b}{unit}"))


def test_tolerance_obeys_every_law_but_monotone_under_equality_targets(registry):
    # Tolerance is not monotone: the score peaks at B = A and falls on both sides (d = |B − A|/A),
    # whatever the target's symbol. So it is checked only under "=", where check_rule_laws reads
    # no direction, and monotone is left out explicitly. Under ≥ the met law would fail by
    # design too (B = 2A meets ≥A but lies beyond every range and scores 0).
    ranges = [{"within": Decimal("0.1"), "share": 1}, {"within": Decimal("0.15"), "share": Decimal("0.6")},
              {"within": Decimal("0.2"), "score": Decimal("0.5")}]
    check_rule_laws("tolerance", registry=registry, params={"ranges": ranges}, comparators=(EQ,),
                    actuals=near_the_target, laws=without("monotone"), max_examples=EXAMPLES)


# --- deduction ---------------------------------------------------------------------------------

def counts(a: Decimal, unit: str) -> st.SearchStrategy[object]:
    """Counts ≥ 0 (a negative count is refused), some of them fractions (万元 overspent)."""
    return amounts(0, 40, 2).map(lambda n: f"{n}{unit}")


def test_a_single_item_deduction_is_monotone_non_increasing_in_the_count(registry):
    # The target of a deduction must be 0 (or words): each unit of the actual costs ``per``.
    # Written "≤0", the count is an amount where less is better, so check_rule_laws checks the
    # right direction (more items never score more) and met means "no item → full points".
    # "=0" checks met alone. Under "≥0" every count would "meet" the target and monotone would
    # be checked the wrong way round, so ≥ and > are left out; any A ≠ 0 is refused by the rule.
    check_rule_laws("deduction", registry=registry, params={"per": Decimal("0.5")},
                    comparators=(LE, EQ), actuals=counts, max_examples=EXAMPLES)
    check_rule_laws("deduction", registry=registry, params={"per": 1, "cap": 3},
                    comparators=(LE,), actuals=counts, max_examples=EXAMPLES)


# --- survey and deadline: checked directly (see the module docstring) --------------------------

def _one_row(registry: evalcore.Registry, target: str, rule: str, params: dict[str, object],
             category: str) -> evalcore.Plan:
    rows = (Indicator("x", "x", category, Decimal(10), target, rule=rule, params=params),
            Indicator("rest", "rest", "quantity", Decimal(90), "≥0"))
    return evalcore.compile(Scheme("laws", rows, settings={"weights": {}, "decimals": 6}), registry)


def _score(plan: evalcore.Plan, actual: Actual) -> evalcore.Row:
    project = Project(ProjectInfo("laws"), plan.scheme, actuals={"x": actual, "rest": Actual("0")})
    return plan.evaluate(project).rows[0]


LEVELS = ("非常满意", "满意", "比较满意", "基本满意", "一般", "不满意", "非常不满意")


@settings(max_examples=EXAMPLES, deadline=None)
@given(target=st.integers(50, 100), answers=st.lists(st.integers(0, 300), min_size=7, max_size=7),
       moved=st.integers(0, 300), level=st.integers(1, 6))
def test_a_survey_is_bounded_and_never_falls_when_an_answer_moves_up_a_level(
        target, answers, moved, level):
    registry = evalcore.default_registry()
    plan = _one_row(registry, f"≥{target}%", "survey", {}, "satisfaction")
    before = dict(zip(LEVELS, answers, strict=True))
    if not any(before.values()):
        before["满意"] = 1
    moved = min(moved, before[LEVELS[level]])
    after = dict(before)
    after[LEVELS[level]] -= moved
    after[LEVELS[level - 1]] += moved  # the default weights never fall towards 非常满意
    r1 = _score(plan, Actual(None, reason="r", extra=before))
    r2 = _score(plan, Actual(None, reason="r", extra=after))
    for row in (r1, r2):
        assert 0 <= row.trace.raw <= row.points
    assert r1.score <= r2.score
    rate = Decimal(100) * sum(n * w for n, w in zip(before.values(), (1, 1, Decimal("0.8"),
                              Decimal("0.6"), Decimal("0.6"), 0, 0), strict=True)) / sum(before.values())
    assert (r1.status is Status.MET) == (rate >= target)  # met exactly when the rate reaches A


@settings(max_examples=EXAMPLES, deadline=None)
@given(late=st.lists(st.integers(-60, 400), min_size=2, max_size=2, unique=True),
       per=st.sampled_from(["day", "month"]), grace=st.integers(0, 10), loss=st.sampled_from(["0.5", "2"]))
def test_a_deadline_is_bounded_met_on_time_and_never_rises_with_lateness(late, per, grace, loss):
    registry = evalcore.default_registry()
    due = dt.date(2021, 12, 31)
    plan = _one_row(registry, str(due), "deadline", {"per": per, "grace": grace, "loss": loss},
                    "timeliness")
    early, later = sorted(late)
    r1 = _score(plan, Actual(due + dt.timedelta(days=early), reason="r"))
    r2 = _score(plan, Actual(due + dt.timedelta(days=later), reason="r"))
    for row, days in ((r1, early), (r2, later)):
        assert 0 <= row.trace.raw <= row.points
        assert (row.status is Status.MET) == (days <= grace)
        assert _score(plan, Actual(due + dt.timedelta(days=days), reason="r")) == row
    assert r1.score >= r2.score
