"""Vectorised rule kernels: how a rule type scores a whole column of projects at once, exactly.

The columnar path (`evalcore.columnar`) scores one column per indicator. A rule
type may offer a *kernel builder* (``RuleType.kernel``): called once per row of
the scheme with the same bound parameters and `RuleContext` as ``compile``, it
returns a `Kernel`, or None when it cannot score this row (then the rule's scorer
does, one distinct value at a time). A kernel gets a `KernelInput` (every actual
as an exact scaled integer) and returns a `KernelOutput`: each raw score as an
exact fraction of two int64 integers, the status, and the achievement ratio as a
fraction. The engine caps, rounds half up and checks findings in integer
arithmetic, so the result equals the `Decimal` path (`evalcore.numbers.context`,
40 digits) to the last digit.

Why integers are enough: the Decimal path computes a score with a few correctly
rounded 40-digit operations; for numerators and denominators below 2**63 the
exact fraction is never closer than 10**-39 of its size to a rounding boundary
(a half of the last decimal, a threshold), so the two can never round apart.
A kernel therefore keeps every product inside int64: `product` says which rows
would overflow, and the kernel hands them back (``fallback``) to the scorer.

A qualitative rule's actuals are words, not numbers: such a rule may offer a
*word kernel* instead (``RuleType.word_kernel``, a `WordKernel`): it gets a
`WordInput` (the column's few distinct actuals as parsed, each row's index
into them, and each row's assessed score as a scaled integer) and returns the
same `KernelOutput`, so a column of words and evaluators' scores is a lookup
of its distinct words, not one scorer call per distinct (word, score) pair.

numpy is imported only by the kernels themselves (the ``batch`` extra); this
module has none of it, so a plugin can declare a kernel without needing numpy.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from .numbers import context
from .quantities import Value
from .results import Status

__all__ = [
    "INT64_MAX",
    "KERNEL_STATUSES",
    "NUMBER_LIMIT",
    "Kernel",
    "KernelInput",
    "KernelOutput",
    "WordInput",
    "WordKernel",
    "product",
    "scaled_integer",
]

INT64_MAX = 2**63 - 1
"""The largest integer a kernel's arrays hold."""

NUMBER_LIMIT = 10**15
"""The engine gives a kernel only actual values whose scaled integer is below this in size
(larger ones go to the scorer), so a product with a constant below 9000 always fits."""

KERNEL_STATUSES = (Status.MET, Status.PARTLY_MET, Status.MISSED)
"""What a kernel's ``status`` codes mean: 0 met, 1 partly met, 2 missed."""


@attrs.frozen
class KernelInput:
    """The rows a kernel scores: B × 10**scale as int64 (``numbers``), in the target's unit.

    Only rows whose actual is a plain number (no assessed score, convertible to the
    target's unit exactly, below `NUMBER_LIMIT` scaled) reach a kernel. The funds row's
    kernel gets ``extra["planned"]`` and ``extra["executed"]`` on the same scale
    (``numbers`` is the executed amount)."""

    numbers: Any  # numpy.ndarray of int64
    scale: int
    extra: Mapping[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class KernelOutput:
    """A kernel's answer for every row of its input, as numpy arrays of the same length.

    ``score / score_den`` is the raw score (before capping to [0, points] and rounding:
    the engine does both, as for a scorer's `Outcome`), with ``score_den`` > 0;
    ``status`` indexes `KERNEL_STATUSES`; ``ratio / ratio_den`` is the achievement ratio
    that the over-achievement finding reads (the funds row: the execution rate), with
    ``ratio_den`` 0 where there is none, or both None for a rule that has none;
    ``fallback`` marks the rows the kernel leaves to the scorer (too large to compute
    within int64), or None for none."""

    score: Any
    score_den: Any
    status: Any
    ratio: Any = None
    ratio_den: Any = None
    fallback: Any = None


Kernel = Callable[[KernelInput], KernelOutput]
"""Scores a column: `KernelInput` in, `KernelOutput` out; pure, no Python loop per row."""


@attrs.frozen
class WordInput:
    """The rows a word kernel scores: ``values`` are the column's distinct actuals as
    `parse_actual` reads them (None where one is not to be scored here: the kernel must hand
    its rows back), ``index`` is each row's entry in ``values`` (int64), and ``assessed`` the
    evaluator's score × 10**scale (int64) where ``has_assessed`` (bool) says there is one.
    A row without an actual but with an assessed score has the entry ``Value("")``."""

    values: Sequence[Value | None]
    index: Any  # numpy.ndarray of int64
    assessed: Any  # numpy.ndarray of int64
    has_assessed: Any  # numpy.ndarray of bool
    scale: int


WordKernel = Callable[[WordInput], KernelOutput]
"""Scores a column of words: `WordInput` in, `KernelOutput` out (no ratio: ``ratio`` None),
exactly the raw score and status of the rule's scorer for each row it does not hand back."""

def scaled_integer(value: Decimal, scale: int) -> int | None:
    """``value × 10**scale`` as an int when that is exact and below `NUMBER_LIMIT` in size,
    else None: how a kernel turns its target or points into the integers of its input."""
    shifted = value.scaleb(scale, context())
    if not shifted.is_finite() or shifted != shifted.to_integral_value() \
            or abs(shifted) >= NUMBER_LIMIT:
        return None
    return int(shifted)


def product(numbers: Any, factor: int) -> tuple[Any, Any]:
    """``numbers × factor`` in int64, and the mask of rows where it overflowed (their product
    is meaningless: hand them back with ``fallback``)."""
    if factor == 0:
        return numbers * 0, numbers != numbers
    bound = INT64_MAX // abs(factor)
    overflow = (numbers > bound) | (numbers < -bound)
    return numbers.clip(-bound, bound) * factor, overflow
