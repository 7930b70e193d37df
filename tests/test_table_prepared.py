"""The columnar path prepares a plan's jobs (contexts, kernels) once per plan, not per table, and
forgets them with the plan."""

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
