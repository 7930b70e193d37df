"""`evalcore.table_text.format_scaled` and `percent_strings` write a scaled integer as
`format_decimal` writes its Decimal."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from evalcore.numbers import format_decimal
from evalcore.table_text import format_scaled, percent_strings


@given(st.lists(st.integers(-(10**17), 10**17), max_size=20), st.integers(0, 9))
def test_format_scaled_is_format_decimal(values: list[int], scale: int) -> None:
    got = format_scaled(np.array(values, dtype=np.int64), scale).to_pylist()
    assert got == [format_decimal(Decimal(v).scaleb(-scale)) for v in values]


def test_the_edges_zero_signs_and_trailing_zeros() -> None:
    values = np.array([0, 5, -5, 120, -100, 999, 1000], dtype=np.int64)
    assert format_scaled(values, 2).to_pylist() == ["0", "0.05", "-0.05", "1.2", "-1", "9.99", "10"]
    assert format_scaled(values, 0).to_pylist() == ["0", "5", "-5", "120", "-100", "999", "1000"]


@given(st.lists(st.integers(-(10**15), 10**15), max_size=20), st.integers(0, 6),
       st.lists(st.text(max_size=5), max_size=3))
def test_percent_strings_are_format_decimal_with_a_percent_sign(
        units: list[int], places: int, others: list[str]) -> None:
    """The percentages of the findings' messages, written from integers, the texts of those
    beyond int64 after them."""
    got = percent_strings(np.array(units, dtype=np.int64), places, others).to_pylist()
    assert got == [format_decimal(Decimal(u).scaleb(-places)) + "%" for u in units] + others
