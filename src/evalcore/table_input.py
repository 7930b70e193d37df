"""The input table's companion columns, read once per distinct value: numbers, reasons.

`evalcore.table_scoring` scores the actual values; what goes with them (an
assessed or published score, a budget figure, a reason) is read here: each
distinct value once, the way a project file's value is read (``to_decimal``,
``str.strip``), and an unreadable one is a located problem of its row.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, overload

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .column_scoring import origin_of
from .errors import NOWHERE, Problem, hint_of
from .kernels import scaled_integer
from .numbers import to_decimal

__all__ = ["WHITESPACE", "ScoreColumn", "decimals_of", "encode_dictionary", "encoded", "no_reason"]


def encoded(array: Any) -> tuple[Any, list[object]]:
    """The dictionary indices of ``array`` (-1 for null) and its distinct values."""
    indices, dictionary = encode_dictionary(array)
    return indices, dictionary.to_pylist()


def encode_dictionary(array: Any) -> tuple[Any, Any]:
    """The dictionary indices of ``array`` (-1 for null) and its distinct values (Arrow)."""
    encoded = pc.dictionary_encode(array)
    # Arrow's indices (int32, read-only, shared with Arrow): a null value has a null index.
    indices = encoded.indices
    if indices.null_count:
        indices = indices.fill_null(-1)
    return indices.to_numpy(zero_copy_only=False), encoded.dictionary


class ScoreColumn(Sequence[Decimal | None]):
    """A column of numbers read once per distinct value: each row's Decimal (None where it is
    null or unreadable) by ``column[row]``, the rows that hold one (``present``), and the
    numbers as exact scaled integers for a kernel (`distinct_scaled`)."""

    def __init__(self, indices: Any, values: list[Decimal | None]) -> None:
        self.indices, self.values = indices, values
        readable = np.array([v is not None for v in values] + [False], dtype=bool)
        self.present = readable[indices]  # -1 (null) takes the spare last entry

    def __len__(self) -> int:
        return len(self.indices)

    @overload
    def __getitem__(self, row: int) -> Decimal | None: ...
    @overload
    def __getitem__(self, row: slice) -> Sequence[Decimal | None]: ...
    def __getitem__(self, row: int | slice) -> Any:
        if isinstance(row, slice):
            return [self[r] for r in range(len(self))[row]]
        i = int(self.indices[row])
        return self.values[i] if i >= 0 else None

    def distinct_scaled(self, most: int = 9) -> tuple[Any, Any, int]:
        """Each distinct value × 10**scale as int64, where that is exact (a bool mask: readable,
        at most ``most`` decimals and below `NUMBER_LIMIT`), and the scale; a spare last entry
        (0, not fitting) stands for the rows without one (index -1)."""
        places = [max(0, -int(v.as_tuple().exponent)) for v in self.values
                  if v is not None and v.is_finite()]
        scale = min(max(places, default=0), most)
        ints = [None if v is None else scaled_integer(v, scale) for v in self.values]
        fits = np.array([i is not None for i in ints] + [False], dtype=bool)
        numbers = np.array([i or 0 for i in ints] + [0], dtype=np.int64)
        return numbers, fits, scale


def decimals_of(columns: Mapping[str, Any], name: str, n: int,
                problems: list[tuple[int, str]]) -> ScoreColumn:
    """A column of numbers (assessed or published scores, budget figures) as Decimals per row;
    an unreadable one is a problem of its row (and None)."""
    if name not in columns:
        return ScoreColumn(np.full(n, -1, np.int64), [])
    indices, distinct = encoded(columns[name])
    read: list[Decimal | None] = []
    refused: dict[int, Problem] = {}
    for i, value in enumerate(distinct):
        try:
            read.append(to_decimal(value))
        except ValueError as exc:
            read.append(None)
            refused[i] = Problem(str(exc), NOWHERE, hint_of(exc))
    if refused:
        bad = np.isin(indices, list(refused))
        for row in np.flatnonzero(bad).tolist():
            problem = refused[int(indices[row])]
            problems.append((row, str(attrs.evolve(problem, origin=origin_of(row, name)))))
    return ScoreColumn(indices, read)


# Every character str.isspace() is true for (a test checks it against the running Python):
# a reason made only of these is blank, as the Decimal path's ``reason.strip()`` sees it.
WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
              "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
BLANK = "^[" + "".join(f"\\x{{{ord(c):x}}}" for c in WHITESPACE) + "]*$"


# Whether a byte is the first (UTF-8) of some whitespace character, for each of the 256: a text
# that starts with any other byte is not blank, without a regular expression.
_LEADS = np.zeros(256, dtype=bool)
_LEADS[sorted({c.encode()[0] for c in WHITESPACE})] = True


def no_reason(columns: Mapping[str, Any], name: str, rows: Any) -> Any:
    """Where one of the ``rows`` (a mask) gives no reason (偏差原因): null or blank (only
    whitespace); False elsewhere. Only those rows are read: a reason is asked for where a
    target was missed, a few rows of a large table."""
    rows = np.asarray(rows, dtype=bool)
    if name not in columns:
        return rows.copy()
    column = columns[name]
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        asked = np.flatnonzero(rows)
        empty, maybe = _may_be_blank(column, asked)
        out = np.zeros(len(rows), dtype=bool)
        out[asked[empty]] = True
        where = asked[maybe]
        if len(where):
            blank = pc.match_substring_regex(column.take(pa.array(where)), BLANK).fill_null(True)
            out[where] = np.asarray(blank.to_numpy(zero_copy_only=False), dtype=bool)
        return out
    where = np.flatnonzero(rows)
    out = np.zeros(len(rows), dtype=bool)
    if len(where):
        indices, distinct = encoded(column.take(pa.array(where)))
        out[where] = np.array([not str(v).strip() for v in distinct] + [True], dtype=bool)[indices]
    return out


def _may_be_blank(column: Any, asked: Any) -> tuple[Any, Any]:
    """Of the rows ``asked`` (indices) of a string array: which are null or empty (blank), and
    which are texts that start with a byte some whitespace character starts with (only those
    may be blank), read from its validity bits, offsets and bytes at those rows only."""
    kind = np.int64 if pa.types.is_large_string(column.type) else np.int32
    buffers = column.buffers()
    offsets = np.frombuffer(buffers[1], dtype=kind)[column.offset: column.offset + len(column) + 1]
    data = np.frombuffer(buffers[2], dtype=np.uint8) if buffers[2] is not None \
        else np.zeros(0, np.uint8)
    starts = offsets[asked]
    filled = offsets[asked + 1] > starts
    if column.null_count:
        bits = np.frombuffer(buffers[0], dtype=np.uint8)
        at = asked + column.offset
        filled &= ((bits[at >> 3] >> (at & 7)) & 1).astype(bool)
    maybe = np.zeros(len(asked), dtype=bool)
    texts = np.flatnonzero(filled)  # most rows asked about give no reason at all: not read
    if len(texts):
        maybe[texts] = _LEADS[data[starts[texts]]]
    return ~filled, maybe
