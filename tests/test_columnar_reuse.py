"""What the columnar path reads once and reuses: a plan's jobs (made once per plan, forgotten with
it) and the funds row's figures (encoded only when a row needs them read)."""

from __future__ import annotations

import gc
from decimal import Decimal

from test_columnar import REGISTRY

from evalcore.compiler import compile_scheme
from evalcore.model import Scheme
from evalcore.plugin import Indicator
from evalcore.table_scoring import _PREPARED, prepared


def _plan() -> object:
    ind = Indicator("q1", "批次", "quantity", Decimal(10), "≥400批次")
    return compile_scheme(Scheme("s", (ind,), settings={"total": Decimal(10), "weights": {}}), REGISTRY)


def test_a_plan_is_prepared_once_and_forgotten_with_it() -> None:
    plan, other = _plan(), _plan()
    jobs = prepared(plan)
    assert prepared(plan) is jobs
    assert prepared(other) is not jobs and prepared(other)[0].compiled is other.rows[0]  # type: ignore[attr-defined]
    first = plan.evaluate_table({"project": ["a"], "q1": ["300批次"]})  # type: ignore[attr-defined]
    assert first.equals(plan.evaluate_table({"project": ["a"], "q1": ["300批次"]}))  # type: ignore[attr-defined]
    key = id(plan)
    assert key in _PREPARED
    del plan, jobs, first
    gc.collect()
    assert key not in _PREPARED


def test_budget_figures_as_text_numbers_and_beyond_int64_score_as_the_decimal_path() -> None:
    """The funds row's figures read lazily: exact integers, text (read per distinct value), an
    unreadable one and one whose products leave int64 (the scorer's), side by side."""
    from test_columnar import assert_same

    from evalcore.model import Actual, Budget, Project, ProjectInfo

    ind = Indicator("q1", "批次", "quantity", Decimal(10), "≥400批次")
    scheme = Scheme("s", (ind,), budget_points=Decimal(10),
                    settings={"total": Decimal(20), "weights": {}})
    plan = compile_scheme(scheme, REGISTRY)
    figures = [("100", "120"), ("100", "80.5"), ("9" * 17, "9" * 17 + ".5"), ("100", "80")]
    for planned, executed in [*figures, ("100", "abc")]:
        for kind in (str, Decimal):
            if kind is Decimal and executed == "abc":
                continue
            table = plan.evaluate_table({"project": ["a"], "q1": ["400批次"],
                                         "budget_planned": [kind(planned)],
                                         "budget_executed": [kind(executed)]})
            if executed == "abc":
                assert "row[0].budget_executed" in table.to_pylist()[0]["errors"][0]
                continue
            project = Project(ProjectInfo("a"), scheme, Budget(Decimal(planned), Decimal(executed)),
                              {"q1": Actual("400批次")})
            assert_same(plan, project, table.to_pylist()[0], 0)


def test_a_row_reads_each_text_once_and_starts_again_when_full(monkeypatch: object) -> None:
    """The row's memo of the texts it has read (`RowJob.memo`): filled by a table, reused by the
    next, emptied when it reaches its limit; every answer the same either way."""
    import evalcore.column_scoring as cs

    plan = _plan()
    table = {"project": ["a", "b", "c"], "q1": ["300批次", "500批次", "abc批次"]}
    first = plan.evaluate_table(table)  # type: ignore[attr-defined]
    memo = prepared(plan)[0].memo
    assert set(memo) == {"300批次", "500批次", "abc批次"}
    assert memo["abc批次"][2] is None and memo["300批次"][2] == Decimal(300)
    assert plan.evaluate_table(table).equals(first)  # type: ignore[attr-defined]
    monkeypatch.setattr(cs, "MEMO_LIMIT", 2)  # type: ignore[attr-defined]
    memo.clear()
    assert plan.evaluate_table(table).equals(first)  # type: ignore[attr-defined]
    assert len(memo) <= 2
