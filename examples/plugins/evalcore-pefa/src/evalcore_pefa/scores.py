"""PEFA letter scores and the Decimals evalcore carries them as.

PEFA scores each dimension on a four-point ordinal scale, A (best) to D (PEFA 2016 Framework,
"Scoring of the 31 performance indicators", pefa.org/node/4754). Two more marks appear where a
letter is expected:

- ``D*``: "A score of D due to insufficient information is distinguished from D scores for low
  level performance by the use of an asterisk". It aggregates like D ("The aggregation of
  multidimensional indicators containing D* scores is no different from aggregation with other
  D scores") and an indicator's score never carries the asterisk (same page).
- ``NA``: the dimension does not apply; "'NA' is entered instead of a score" (same page).
  evalcore-pefa leaves such a dimension out of its indicator's score.

An indicator's score may carry a "+" (``B+``), given by the M1 and M2 methods
(:mod:`evalcore_pefa.methods`); a dimension's score never does.

evalcore adds and compares Decimals, so the letters travel as numbers. The encoding is
evalcore-pefa's choice, not PEFA's (PEFA warns that its scores are ordinal and defines no
arithmetic across indicators, pefa.org/node/4758):

    D = 1, C = 2, B = 3, A = 4, and "+" = half a step (D+ = 1.5, C+ = 2.5, B+ = 3.5).

These numbers are *levels*. A dimension row carries :data:`POINTS` (4) points and scores its
level, so a table shows "3 of 4" for a B; with other points the score is scaled, points × level
/ 4, and :func:`level_of` recovers the level from any score and points.
"""

from __future__ import annotations

import unicodedata
from decimal import ROUND_FLOOR, Decimal

from evalcore.plugin import HintedError, suggest

__all__ = [
    "DIMENSION_MARKS",
    "INSUFFICIENT_INFORMATION",
    "LETTERS",
    "NOT_APPLICABLE",
    "POINTS",
    "PefaScoreError",
    "dimension_level",
    "indicator_letter",
    "level_of",
    "read_dimension",
]

#: The letters of the scale, worst first, with their levels.
LETTERS: dict[str, Decimal] = {"D": Decimal(1), "C": Decimal(2), "B": Decimal(3), "A": Decimal(4)}
INSUFFICIENT_INFORMATION = "D*"
NOT_APPLICABLE = "NA"
#: Every mark an assessor may write for a dimension.
DIMENSION_MARKS = ("A", "B", "C", "D", INSUFFICIENT_INFORMATION, NOT_APPLICABLE)
#: The points a dimension row carries by convention: its score then reads as its level.
POINTS = Decimal(4)
_HALF = Decimal("0.5")
_BY_LEVEL = {level: letter for letter, level in LETTERS.items()}
_EXPLAIN = ("a dimension is scored A, B, C or D, D* (a D for lack of information) or NA "
            "(not applicable)")


class PefaScoreError(HintedError):
    """A mark that is not a PEFA score; ``hint`` says what was probably meant.

    A HintedError (a ValueError), so evalcore reports it located at the actual value that
    holds it, with the hint, as it does for any rule's.
    """


def read_dimension(text: object) -> str:
    """The mark an assessor wrote for a dimension: one of :data:`DIMENSION_MARKS`.

    Full-width characters are folded (NFKC, as evalcore does for every value) and surrounding
    spaces dropped; anything else that is not exactly a mark is refused with a "did you mean",
    because a guessed score would be a wrong score.
    """
    raw = text if isinstance(text, str) else str(text)
    mark = unicodedata.normalize("NFKC", raw).strip()
    if mark in DIMENSION_MARKS:
        return mark
    if mark.endswith("+") and mark[:-1] in LETTERS:
        raise PefaScoreError(
            f"{raw!r} is not a dimension score: a '+' is only ever given to an indicator's "
            "score (by M1 or M2), never to a dimension", f"did you mean {mark[:-1]!r}?")
    if mark.casefold() in {"n/a", "/", "-", "—", "不适用", "not applicable"}:
        # The message carries the suggestion itself: for these spellings evalcore replaces a
        # rule's hint with its own advice about rows that do not apply in the scheme.
        raise PefaScoreError(f"{raw!r} is not a dimension score: PEFA writes NA for a dimension "
                             "that does not apply (did you mean 'NA'?)", "did you mean 'NA'?")
    hint = suggest(mark, DIMENSION_MARKS) or suggest(mark.replace(" ", ""), DIMENSION_MARKS)
    raise PefaScoreError(f"{raw!r} is not a dimension score: {_EXPLAIN}", hint)


def dimension_level(mark: str) -> Decimal:
    """The level of a dimension mark: D and D* are 1 ... A is 4; NA has none (ValueError)."""
    if mark == INSUFFICIENT_INFORMATION:
        return LETTERS["D"]
    if mark == NOT_APPLICABLE:
        raise PefaScoreError("NA has no level: the dimension is left out of its indicator's score")
    return LETTERS[read_dimension(mark)]


def indicator_letter(level: Decimal) -> str:
    """The letter of an indicator level: 3.5 is B+, 1 is D; ValueError off the half-step scale."""
    whole = level.to_integral_value(rounding=ROUND_FLOOR)
    letter = _BY_LEVEL.get(whole)
    if letter is not None and level == whole:
        return letter
    if letter is not None and level == whole + _HALF and whole < LETTERS["A"]:
        return letter + "+"
    raise ValueError(f"{level} is not a PEFA score level (D = 1 ... A = 4, '+' = .5)")


def level_of(score: Decimal, points: Decimal) -> Decimal:
    """The level a score of ``points`` stands for: 4 × score / points (points above 0)."""
    if points <= 0:
        raise ValueError(f"a PEFA row needs points above 0, not {points}")
    return POINTS * score / points
