"""The input table's companion columns, read once per distinct value: numbers, reasons.

`evalcore.table_scoring` scores the actual values; what goes with them (an
assessed or published score, a budget figure, a reason) is read here: each
distinct value once, the way a project file's value is read (``to_decimal``,
``str.strip``), and an unreadable one is a located problem of its row.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .column_scoring import origin_of
from .errors import NOWHERE, Problem, hint_of
from .numbers import to_decimal

__all__ = ["WHITESPACE", "decimals_of", "encode_dictionary", "encoded", "no_reason"]


def encoded(array: Any) -> tuple[Any, list[object]]:
    """The dictionary indices of ``array`` (-1 for null) and its distinct values."""
    indices, dictionary = encode_dictionary(array)
    return indices, dictionary.to_pylist()


def encode_dictionary(array: Any) -> tuple[Any, Any]:
    """The dictionary indices of ``array`` (-1 for null) and its distinct values (Arrow)."""
    encoded = pc.dictionary_encode(array)
    indices = encoded.indices.to_numpy(zero_copy_only=False)
    if encoded.null_count:
        indices = np.where(pc.is_valid(encoded).to_numpy(zero_copy_only=False), indices, -1)
    return indices.astype(np.int64), encoded.dictionary


def decimals_of(columns: Mapping[str, Any], name: str, n: int,
              problems: list[tuple[int, str]]) -> list[Decimal | None]:
    """A column of numbers (assessed or published scores, budget figures) as Decimals per row;
    an unreadable one is a problem of its row."""
    if name not in columns:
        return [None] * n
    indices, distinct = encoded(columns[name])
    read: list[Decimal | Problem | None] = []
    for value in distinct:
        try:
            read.append(to_decimal(value))
        except ValueError as exc:
            read.append(Problem(str(exc), NOWHERE, hint_of(exc)))
    out: list[Decimal | None] = []
    for row, i in enumerate(indices.tolist()):
        item = read[i] if i >= 0 else None
        if isinstance(item, Problem):
            problems.append((row, str(attrs.evolve(item, origin=origin_of(row, name)))))
            item = None
        out.append(item)
    return out


# Every character str.isspace() is true for (a test checks it against the running Python):
# a reason made only of these is blank, as the Decimal path's ``reason.strip()`` sees it.
WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
              "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
BLANK = "^[" + "".join(f"\\x{{{ord(c):x}}}" for c in WHITESPACE) + "]*$"


def no_reason(columns: Mapping[str, Any], name: str, n: int) -> Any:
    """Where a row gives no reason (偏差原因): null or blank (only whitespace)."""
    if name not in columns:
        return np.ones(n, dtype=bool)
    column = columns[name]
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        blank = pc.match_substring_regex(column, BLANK).fill_null(True)
        return np.asarray(blank.to_numpy(zero_copy_only=False), dtype=bool)
    indices, distinct = encoded(column)
    return np.array([not str(v).strip() for v in distinct] + [True], dtype=bool)[indices]
