"""`evalcore.table_input.no_reason` finds the blank reasons as Python's ``str.strip`` does, reading
only the rows asked about (the first-byte shortcut included: sliced, large and chunked arrays)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from evalcore.table_input import WHITESPACE, no_reason

TEXTS = st.one_of(st.none(), st.text(st.sampled_from(WHITESPACE), max_size=3),
                  st.text(st.sampled_from([*WHITESPACE, "a", "说", "\u200b", "é"]), max_size=4),
                  st.text(max_size=3))


@given(st.lists(TEXTS, max_size=12), st.integers(0, 3), st.booleans(), st.data())
def test_no_reason_is_null_or_only_whitespace(texts: list[str | None], cut: int, large: bool,
                                              data: st.DataObject) -> None:
    kind = pa.large_string() if large else pa.string()
    array = pa.array(["x"] * cut + texts, kind).slice(cut)  # an offset into shared buffers
    rows = np.array(data.draw(st.lists(st.booleans(), min_size=len(texts), max_size=len(texts))),
                    dtype=bool)
    got = no_reason({"r": array}, "r", rows)
    assert got.tolist() == [bool(r) and (t is None or not t.strip())
                            for t, r in zip(texts, rows, strict=True)]
    assert no_reason({}, "r", rows).tolist() == rows.tolist()


def test_each_whitespace_character_alone_is_blank() -> None:
    texts = [*WHITESPACE, "a", "\u200b", "说"]
    got = no_reason({"r": pa.array(texts)}, "r", np.ones(len(texts), dtype=bool))
    assert got.tolist() == [True] * len(WHITESPACE) + [False, False, False]


def test_a_column_of_numbers_is_read_as_text() -> None:
    rows = np.array([True, True, False])
    assert no_reason({"r": pa.array([1, None, None])}, "r", rows).tolist() == [False, True, False]
