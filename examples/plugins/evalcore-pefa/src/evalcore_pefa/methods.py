"""PEFA's two ways of combining an indicator's dimension scores, on levels (D = 1 ... A = 4).

- **M1, weakest link**: "used for multidimensional indicators where poor performance on one
  dimension is likely to undermine the impact of good performance on other dimensions of the
  same indicator" (PEFA 2016 Framework section 2.2, pefa.org/node/4756). The indicator takes
  the lowest dimension score, with a "+" "where the indicator takes on the score of the lowest
  scoring dimension but other dimensions have higher scores" (World Bank, Bhutan PEFA
  assessment summary, 2010, describing the PEFA scoring rules; sidalc.net record
  dig-okr-109862973). The rule has no exception for D: a lowest D with any higher dimension
  gives D+. A single dimension gets no "+" (there is no other dimension to be higher).
- **M2, averaging**: the Framework's conversion table for 2, 3 and 4 dimensions, looked up with
  the dimension scores in any order (pefa.org/node/4758). It "applies to indicators using M2
  (AV) scoring methodology only" and "is intended for use on individual indicators only". The
  rows evalcore-pefa could verify are in ``data/m2-table.toml``; a combination that is not
  there is refused, never guessed (:class:`UnencodedRow`).

The functions here know nothing of evalcore's rows or points: :mod:`evalcore_pefa.plugin`
turns scores into levels, calls them, and turns the result back.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

import attrs
from evalcore.plugin import HintedError, PluginError, Problem, load_file

from ._data import DATA
from .scores import LETTERS, indicator_letter, read_dimension

__all__ = ["M2Row", "M2Table", "UnencodedRow", "averaging", "m2_table", "weakest_link"]

_HALF = Decimal("0.5")
_WHOLE_LEVELS = frozenset(LETTERS.values())


def _check_levels(levels: Sequence[Decimal], method: str) -> None:
    if not levels:
        raise ValueError(f"{method} needs at least one dimension score")
    for level in levels:
        if level not in _WHOLE_LEVELS:
            raise ValueError(f"{method} combines dimension scores (D = 1 ... A = 4), not {level}")


def weakest_link(levels: Sequence[Decimal]) -> Decimal:
    """M1: the lowest level, plus half a step when any other dimension is higher."""
    _check_levels(levels, "M1")
    lowest = min(levels)
    return lowest + _HALF if any(level > lowest for level in levels) else lowest


@attrs.frozen
class M2Row:
    """One encoded row of the conversion table: the letters (best first), the score, the basis."""

    dimensions: tuple[str, ...]
    score: str
    basis: str


class UnencodedRow(HintedError):
    """A combination of dimension scores whose M2 row evalcore-pefa has not encoded."""

    def __init__(self, letters: Sequence[str]) -> None:
        shown = ", ".join(letters)
        super().__init__(
            f"M2 (averaging) for the dimension scores {shown}: this row of PEFA's conversion table "
            "is not encoded in evalcore-pefa, because it could not be verified; it is not guessed",
            "see 'The M2 conversion table' in the evalcore-pefa README; add the row to "
            "evalcore_pefa/data/m2-table.toml from the PEFA 2016 Framework, section 2.2")
        self.letters = tuple(letters)


@attrs.frozen
class M2Table:
    """The encoded rows by their dimension letters (sorted best first)."""

    rows: Mapping[tuple[str, ...], M2Row]

    def lookup(self, levels: Sequence[Decimal]) -> Decimal:
        """The M2 level for these dimension levels; UnencodedRow when the row is not encoded."""
        _check_levels(levels, "M2")
        if len(levels) == 1:  # one dimension: its own score (no table is needed)
            return levels[0]
        if len(levels) > 4:
            raise ValueError(f"M2's conversion table covers 2, 3 and 4 dimensions, not {len(levels)}")
        letters = tuple(indicator_letter(level) for level in sorted(levels, reverse=True))
        row = self.rows.get(letters)
        if row is None:
            raise UnencodedRow(letters)
        return LETTERS[row.score[0]] + (_HALF if row.score.endswith("+") else 0)


def averaging(levels: Sequence[Decimal], table: M2Table | None = None) -> Decimal:
    """M2: the conversion table's score for these dimension levels (see :class:`M2Table`)."""
    return (table or m2_table()).lookup(levels)


@functools.cache
def m2_table(path: Path = DATA / "m2-table.toml") -> M2Table:
    """The encoded conversion table, read once; a malformed file is a located PluginError."""
    doc = load_file(path)
    problems: list[Problem] = []
    rows: dict[tuple[str, ...], M2Row] = {}
    entries = doc.data.get("row", [])
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        where = doc.origin("row", i)
        try:
            letters = tuple(read_dimension(d) for d in entry["dimensions"])
            if not 2 <= len(letters) <= 4 or any(d not in LETTERS for d in letters):
                raise ValueError("dimensions must be 2 to 4 of the letters A, B, C, D")
            key = tuple(sorted(letters, key=LETTERS.__getitem__, reverse=True))
            score = str(entry["score"])
            level = LETTERS[score[0]] + (_HALF if score.endswith("+") else 0)
            if indicator_letter(level) != score:
                raise ValueError(f"score {score!r} is not an indicator score (A, B+ ... D)")
            if key in rows:
                raise ValueError(f"the row {', '.join(key)} is written twice")
            levels = [LETTERS[d] for d in key]
            if not min(levels) <= level <= max(levels):
                raise ValueError(f"score {score} lies outside its dimensions {', '.join(key)}")
            rows[key] = M2Row(key, score, str(entry.get("basis", "")))
        except (KeyError, TypeError, ValueError) as exc:  # PefaScoreError is a ValueError
            problems.append(Problem(f"M2 table row: {exc}", where))
    if problems or not rows:
        raise PluginError(problems or [Problem("the M2 table has no rows", doc.origin())])
    return M2Table(rows)
