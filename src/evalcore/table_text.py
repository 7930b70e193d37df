"""Numbers written into the columnar path's messages by Arrow, for many rows at once.

A finding's message names the row's own figures ("全年执行数512.3超过全年预算数
480"); on a large table thousands of rows have one, nearly all with figures of
their own, so formatting each with `evalcore.numbers.format_decimal` in Python
costs more than scoring them. Here an exact scaled integer (B × 10**scale, as
the kernels hold it) is written as text with Arrow's string kernels, the way
``format_decimal`` writes the Decimal B: no exponent, no trailing zeros, "0"
for zero, a minus sign for a negative value.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["format_scaled", "percent_strings"]


def format_scaled(values: Any, scale: int) -> Any:
    """``format_decimal(Decimal(v).scaleb(-scale))`` of each int64 ``v`` (below 10**18 in
    size), as a pyarrow string array."""
    values = np.asarray(values, dtype=np.int64)
    whole, part = np.divmod(np.abs(values), 10**scale)
    text = pc.cast(pa.array(whole), pa.string())
    if scale:
        digits = pc.utf8_lpad(pc.cast(pa.array(part), pa.string()), scale, "0")
        digits = pc.utf8_rtrim(digits, "0")
        text = pc.if_else(pa.array(part == 0), text,
                          pc.binary_join_element_wise(text, digits, "."))
    return pc.if_else(pa.array(values < 0), pc.binary_join_element_wise("-", text, ""), text)


def percent_strings(units: Any, places: int, others: list[str]) -> Any:
    """Percentages ``units`` × 10**-places written as ``format_percent`` writes them ("104.5%"),
    then the texts ``others`` (written already), as one pyarrow string array."""
    texts = pc.binary_join_element_wise(format_scaled(units, places), "%", "")
    return pa.concat_arrays([texts, pa.array(others, pa.string())]) if others else texts
