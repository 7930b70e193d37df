"""A column of words and assessed scores (a qualitative row) scored by its rule's word kernel.

A qualitative column holds a handful of distinct words, but with the
evaluator's own scores beside them almost every (word, score) pair is new, so
calling the scorer once per distinct pair is once per project. A rule that
offers a word kernel (``RuleType.word_kernel``, see `evalcore.kernels`) scores
the whole column at once instead: it gets the distinct words as parsed and the
assessed scores as exact scaled integers, and hands back what it cannot decide
(an unknown word, a score outside its tier's band), which the scorer then
scores and reports as before. Capping and half-up rounding are the engine's
integer arithmetic (`evalcore.column_scoring.half_up`), as for numeric kernels.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .column_scoring import KERNEL_CODES, Distinct, Parsed, RowJob, half_up
from .kernels import WordInput
from .quantities import Value
from .table_input import ScoreColumn

__all__ = ["score_words"]


def score_words(job: RowJob, parsed: Parsed, indices: Any, assessed: ScoreColumn, rows: Any,
                out: Distinct) -> Any:
    """Score the ``rows`` (a mask) with the row's word kernel into ``out``; the mask of the
    rows it scored (the others are left to the scorer).

    A row's score depends only on its word and its assessed score, and a portfolio has few
    of each: when the pairs that can occur are fewer than the rows, the kernel scores each
    pair once (a grid of every distinct word by every distinct score, and none) and the rows
    read theirs from the grid; otherwise it scores the rows themselves."""
    assert job.word_kernel is not None
    every = bool(np.all(rows))  # the usual column: each row has a word or a score
    where = None if every else np.flatnonzero(rows)
    done = np.zeros(len(rows), dtype=bool)
    if where is not None and not len(where):
        return done
    values: list[Value | None] = [parsed.values[i] if parsed.problems[i] is None else None
                                  for i in range(len(parsed.values))]
    values.append(Value(""))  # no actual, an assessed score: the scorer sees Value("")
    at = indices if every else indices[where]  # -1: no actual, the spare last entry
    numbers, fits, scale = assessed.distinct_scaled()  # per distinct score, a spare last: none
    readable = np.array([v is not None for v in assessed.values] + [False], dtype=bool)
    score_at = assessed.indices if every else assessed.indices[where]
    score_at = np.where(score_at >= 0, score_at, len(numbers) - 1)
    cells = len(values) * len(numbers)
    if cells < len(at):  # a grid: word w with score k is cell w × len(numbers) + k
        words = np.repeat(np.arange(len(values), dtype=np.int64), len(numbers))
        scores = np.tile(np.arange(len(numbers), dtype=np.int64), len(values))
        status, score, fallback = _run(job, values, words, numbers[scores], readable[scores],
                                       fits[scores], scale)
        cell = at * len(numbers) + score_at  # no actual (-1): the spare word's cells, from the end
        status, score, fallback = status[cell], score[cell], fallback[cell]
    else:
        at = np.where(at >= 0, at, len(values) - 1)
        status, score, fallback = _run(job, values, at, numbers[score_at], readable[score_at],
                                       fits[score_at], scale)
    # Every row written: those handed back to the scorer are written again by it.
    if where is None:
        out.status[:], out.score[:] = status, score
        return ~fallback
    out.status[where], out.score[where] = status, score
    done[where] = ~fallback
    return done


def _run(job: RowJob, values: list[Value | None], index: Any, numbers: Any, has: Any, fits: Any,
         scale: int) -> tuple[Any, Any, Any]:
    """The word kernel over some (word, score) rows: their status codes, scores × 10**decimals
    (capped, rounded half up) and the mask of those left to the scorer."""
    assert job.word_kernel is not None
    result = job.word_kernel(WordInput(values, index, numbers, has, scale))
    score, too_large = half_up(result.score, result.score_den, job.points, job.scale)
    fallback = too_large | (has & ~fits)
    if result.fallback is not None:
        fallback |= np.asarray(result.fallback, dtype=bool)
    return KERNEL_CODES[np.asarray(result.status)], score, fallback
