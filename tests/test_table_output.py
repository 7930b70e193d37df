"""The findings list column of the columnar path (`evalcore.table_output`): each project's
findings in report order (batch by batch, and within a batch in its order), none for a project
that failed; the texts dictionary-encoded, read back as plain strings."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from evalcore.column_scoring import FindingBatch
from evalcore.table_output import _findings

N = 6
TEXTS = ["甲", "乙", "丙丁", ""]


@st.composite
def batches(draw: st.DrawFn) -> list[FindingBatch]:
    """Batches of every shape the scoring writes: increasing rows (the usual), rows out of order
    or repeated (a sort must decide), one message for all, one each, picked ones, Arrow ones."""
    out = []
    for b in range(draw(st.integers(0, 5))):
        if draw(st.booleans()):
            rows = sorted(draw(st.sets(st.integers(0, N - 1))))
        else:
            rows = draw(st.lists(st.integers(0, N - 1), max_size=8))
        k = len(rows)
        code, indicator = f"c{b}", draw(st.sampled_from([None, "q1", "q2"]))
        kind = draw(st.sampled_from(["one", "each", "pick", "arrow", "arrow-pick"]))
        pick = None
        if kind == "one":
            messages: Any = draw(st.sampled_from(TEXTS))
        elif kind in ("each", "arrow"):
            messages = draw(st.lists(st.sampled_from(TEXTS), min_size=k, max_size=k))
        else:
            messages = draw(st.lists(st.sampled_from(TEXTS), min_size=1, max_size=3))
            pick = np.array(draw(st.lists(st.integers(0, len(messages) - 1), min_size=k,
                                          max_size=k)), np.int64)
        if kind.startswith("arrow"):
            messages = pa.array(messages, pa.string())
        out.append(FindingBatch(np.array(rows, np.int64), code, indicator, messages, pick))
    return out


def _expected(found: list[FindingBatch], failed: list[bool]) -> list[list[dict[str, Any]]]:
    out: list[list[dict[str, Any]]] = [[] for _ in range(N)]
    for batch in found:
        messages = batch.messages.to_pylist() if isinstance(batch.messages, pa.Array) \
            else batch.messages
        for k, row in enumerate(batch.rows.tolist()):
            if isinstance(messages, str):
                message = messages
            else:
                message = messages[k if batch.pick is None else int(batch.pick[k])]
            if not failed[row]:
                out[row].append({"code": batch.code, "indicator": batch.indicator,
                                 "message": message})
    return out


@settings(max_examples=200, deadline=None)
@given(batches(), st.lists(st.booleans(), min_size=N, max_size=N))
def test_each_project_gets_its_findings_in_report_order(found: list[FindingBatch],
                                                        failed: list[bool]) -> None:
    got = _findings(found, np.array(failed), N)
    assert got.to_pylist() == _expected(found, failed)
    assert len(got) == N


def test_a_batch_out_of_order_or_repeated_keeps_its_own_order() -> None:
    found = [FindingBatch(np.array([3, 1, 3]), "a", "q1", ["x", "y", "z"]),
             FindingBatch(np.array([1, 3]), "b", None, "w")]
    got = _findings(found, np.zeros(N, dtype=bool), N).to_pylist()
    assert [[f["message"] for f in row] for row in got] == [[], ["y", "w"], [], ["x", "z", "w"],
                                                            [], []]
    assert got[1][1]["indicator"] is None


@given(st.lists(st.one_of(st.integers(-50, 50), st.integers(-(2**62), 2**62)), max_size=60))
def test_distinct_values_are_numpys_unique_with_or_without_sorting(values: list[int]) -> None:
    """`distinct_of` (the percentages of the findings) gives what ``numpy.unique`` gives, both
    for values in a narrow range (read from a table of the range) and for others (sorted)."""
    from evalcore.column_scoring import distinct_of

    array = np.array(values, dtype=np.int64)
    distinct, pick = distinct_of(array)
    expected, inverse = np.unique(array, return_inverse=True)
    assert distinct.tolist() == expected.tolist()
    assert pick.tolist() == np.asarray(inverse).reshape(-1).tolist()
