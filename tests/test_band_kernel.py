"""The ``bands`` kernel (`evalcore_builtin._band_kernel`) scores a decision table's column exactly as
the rule's scorer: random tables (ratio or actual, every hit policy, open and closed ends, shares
and fixed scores) and actuals drawn on and around every end, through ``plan.evaluate_table``
against ``plan.evaluate``, and the kernel itself against the scorer's numbers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_columnar import REGISTRY, _check

from evalcore.compiler import compile_scheme
from evalcore.model import Actual, Budget, Project, ProjectInfo, Scheme
from evalcore.plugin import Indicator, KernelInput, Observation, Status, Value
from evalcore_builtin._band_kernel import bands_kernel, pieces
from evalcore_builtin._bandtable import numeric_table

STATUSES = {Status.MET: 0, Status.PARTLY_MET: 1, Status.MISSED: 2}
TARGETS = {  # target → (what the rows test, whether the bounds carry %)
    "≥95%": ("ratio", False), "≤30天": ("ratio", False), ">400批次": ("ratio", False),
    "≥12.5万元": ("ratio", False), "≥90%": ("actual", True), "≤40": ("actual", False),
}


@st.composite
def tables(draw: st.DrawFn) -> tuple[str, dict[str, Any], list[Decimal]]:
    """A target, the ``bands`` params of a table over it, and the table's cut points."""
    target = draw(st.sampled_from(sorted(TARGETS)))
    on, percent = TARGETS[target]
    low, high = (0, 3) if on == "ratio" else (-20, 150)
    cuts = sorted(set(draw(st.lists(st.decimals(low, high, places=draw(st.integers(0, 3)))
                                    .map(lambda d: d.normalize() if d else Decimal(0)),
                                    min_size=1, max_size=5))))
    if on == "ratio" and cuts[0] == 0:
        cuts = cuts[1:] or [Decimal(1)]
    upper = [draw(st.booleans()) for _ in cuts]  # does the cut belong to the row above it?
    mark = "%" if percent else ""
    ends = ["-inf", *(f"{c}{mark}" for c in cuts), "+inf"]
    closed_low = [False, *upper]
    rows = []
    for i in range(len(ends) - 1):
        left = "[" if closed_low[i] else "("
        right = "]" if i < len(cuts) and not upper[i] else ")"
        out = draw(st.sampled_from([{"share": 1}, {"share": 0}, {"share": 0.8}, {"share": 0.333},
                                    {"score": 1.25}, {"score": 0}]))
        rows.append({"id": f"r{i}", "when": f"{left}{ends[i]}, {ends[i + 1]}{right}", **out})
    hit = draw(st.sampled_from(["unique", "first", "any", "collect"]))
    if hit == "first":  # an overlapping row in front wins where it matches
        a, b = sorted(draw(st.sampled_from(cuts)) for _ in range(2))
        rows.insert(0, {"id": "front", "when": f"[{a}{mark}, {b}{mark}]", "share": 0.5})
    params: dict[str, Any] = {"rows": rows, "on": on, "hit": hit}
    if hit == "collect":
        params["aggregate"] = draw(st.sampled_from(["sum", "max", "count"]))
        if params["aggregate"] == "count":
            params["rows"] = [{"id": r["id"], "when": r["when"]} for r in rows]
    if on == "ratio" and draw(st.booleans()):
        params["domain"] = f"[0, {cuts[-1] + 1}]"  # a value above it: the scorer's error
    return target, params, cuts


def _actuals(draw: st.DrawFn, target: str, cuts: list[Decimal]) -> list[str]:
    """Actual values on, just beside and between the table's ends (B = cut × A for a ratio)."""
    on, _ = TARGETS[target]
    a = Decimal(target.lstrip("≥≤>").rstrip("%天批次万元"))
    values = []
    for cut in cuts:
        centre = cut * a if on == "ratio" else cut
        for step in (Decimal(0), Decimal("0.001"), Decimal("-0.001"), Decimal("0.1")):
            values.append(centre + step)
    values += draw(st.lists(st.decimals(-50, 500, places=3), max_size=4))
    picked = draw(st.lists(st.sampled_from(values), min_size=1, max_size=8))
    return [str(v) for v in picked]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.sampled_from(["5", "7", "33.33"]), st.data())
def test_a_bands_column_scores_as_the_decimal_path(table: Any, points: str,
                                                   data: st.DataObject) -> None:
    target, params, cuts = table
    ind = Indicator("k", "指标", "quantity", Decimal(points), target, rule="bands", params=params)
    scheme = Scheme("s", (ind,), budget_points=Decimal(3),
                    settings={"total": Decimal(points) + 3, "weights": {}, "decimals": 2,
                              "overachievement": {"threshold": "1.2"}})
    plan = compile_scheme(scheme, REGISTRY)
    assert plan.rows[0].rule.kernel is bands_kernel
    actuals = _actuals(data.draw, target, cuts)
    items = [Project(ProjectInfo(f"p{i}"), scheme, Budget(Decimal(10), Decimal(9)),
                     {"k": Actual(a)}) for i, a in enumerate(actuals)]
    _check(plan, items)


@settings(max_examples=80, deadline=None)
@given(tables(), st.data())
def test_the_kernel_gives_the_scorers_numbers_for_every_value_it_takes(table: Any,
                                                                     data: st.DataObject) -> None:
    """Called directly (no fallback hides a wrong piece): every value the kernel keeps gets the
    raw score and status of the scorer's numbers, and only refused pieces go back to it."""
    target, params, cuts = table
    ind = Indicator("k", "指标", "quantity", Decimal(7), target, rule="bands", params=params)
    scheme = Scheme("s", (ind,), settings={"total": Decimal(7), "weights": {}})
    plan = compile_scheme(scheme, REGISTRY)
    row = plan.rows[0]
    context = _context(plan)
    kernel = bands_kernel(row.params, context)
    assert kernel is not None
    # A bare fraction against a % target is refused before any kernel (`fraction_slip`).
    slip = target.endswith("%")
    actuals = [Decimal(a) for a in _actuals(data.draw, target, cuts)
               if not (slip and 0 < Decimal(a) <= 1)] or [Decimal(-1)]
    # The column's scale holds every actual exactly, as the columnar path's reading does (at a
    # fixed scale of 3, 0.0125 would reach the kernel as 0.012 and be scored as that).
    scale = max(3, *(-a.normalize().as_tuple().exponent for a in actuals))
    got = kernel(KernelInput(np.array([int(a.scaleb(scale)) for a in actuals], np.int64), scale))
    for k, actual in enumerate(actuals):
        try:
            raw, status = row.scorer.numbers(Observation(Value(str(actual), _quantity(actual))))
        except ValueError:
            assert got.fallback[k], actual
            continue
        assert not got.fallback[k], actual
        assert Decimal(int(got.score[k])) / Decimal(int(got.score_den[k])) == raw, actual
        assert int(got.status[k]) == STATUSES[status], actual


def _context(plan: Any) -> Any:
    from evalcore.table_scoring import _jobs

    return _jobs(plan)[0].context


def _quantity(actual: Decimal) -> Any:
    from evalcore.plugin import Quantity

    return Quantity(actual, "")


@pytest.mark.parametrize(("actual", "score"), [
    ("95", "5.00"), ("94.999", "4.00"), ("85.5", "4.00"), ("85.499", "2.50"), ("76", "2.50"),
    ("75.999", "0.00"), ("-3", "0.00"), ("0", "0.00"), ("1000", "5.00")])
def test_each_end_of_the_workload_table_takes_its_row(actual: str, score: str) -> None:
    """≥95% with full ≥ 1, most [0.9, 1), half [0.8, 0.9), none < 0.8: at, just below and
    between the ends, a negative actual counting as 0, and far above."""
    rows = [{"id": "full", "when": ">= 1", "share": 1}, {"id": "most", "when": "[0.9, 1)", "share": 0.8},
            {"id": "half", "when": "[0.8, 0.9)", "share": 0.5}, {"id": "none", "when": "< 0.8", "share": 0}]
    ind = Indicator("k", "指标", "quality", Decimal(5), "≥95%", rule="bands", params={"rows": rows})
    scheme = Scheme("s", (ind,), settings={"total": Decimal(5), "weights": {}})
    plan = compile_scheme(scheme, REGISTRY)
    table = plan.evaluate_table({"project": ["p"], "k": [actual]})
    assert str(table.column("k")[0].as_py()) == score
    _check(plan, [Project(ProjectInfo("p"), scheme, None, {"k": Actual(actual)})])


def test_a_table_of_words_and_a_too_fine_end_have_no_kernel() -> None:
    words = Indicator("w", "指标", "quality", Decimal(5), "有效", rule="bands", params={"rows": [
        {"id": "yes", "when": ["有效"], "share": 1}, {"id": "no", "when": ["无效"], "share": 0}]})
    fine = Indicator("f", "指标", "quality", Decimal(5), "≥95%", rule="bands", params={"rows": [
        {"id": "hi", "when": ">= 0.9000000001", "share": 1},
        {"id": "lo", "when": "< 0.9000000001", "share": 0}]})
    scheme = Scheme("s", (words, fine), settings={"total": Decimal(10), "weights": {}})
    plan = compile_scheme(scheme, REGISTRY)
    from evalcore.table_scoring import _jobs

    assert [job.kernel is None for job in _jobs(plan)] == [True, True]
    numeric = numeric_table(plan.rows[1].params, _jobs(plan)[1].context)
    assert pieces(numeric, Decimal(5)) is None
    _check(plan, [Project(ProjectInfo("p"), scheme, None, {"w": Actual("有效"),
                                                         "f": Actual("85.5")})])


def test_a_point_row_first_under_the_first_hit_takes_its_one_value() -> None:
    """Found by Hypothesis: 0.0125万元 against ≥12.5万元 is a ratio of exactly 0.001, which the
    point row [0.001, 0.001] (listed first, hit first) takes: half of 7 points, on both paths."""
    rows = [{"id": "front", "when": "[0.001, 0.001]", "share": 0.5},
            {"id": "r0", "when": "(-inf, 0.001]", "share": 1},
            {"id": "r1", "when": "(0.001, +inf)", "share": 1}]
    ind = Indicator("k", "指标", "quantity", Decimal(7), "≥12.5万元", rule="bands",
                    params={"rows": rows, "on": "ratio", "hit": "first"})
    scheme = Scheme("s", (ind,), settings={"total": Decimal(7), "weights": {}})
    plan = compile_scheme(scheme, REGISTRY)
    table = plan.evaluate_table({"project": ["p"], "k": ["0.0125万元"]})
    assert str(table.column("k")[0].as_py()) == "3.50"
    _check(plan, [Project(ProjectInfo("p"), scheme, None, {"k": Actual("0.0125万元")})])
