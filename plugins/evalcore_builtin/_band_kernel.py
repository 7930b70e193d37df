"""The vectorised kernel of a numeric ``bands`` decision table, for ``plan.evaluate_table``.

A decision table is piecewise constant: between two consecutive ends of its
rows' intervals (and of its domain) every value matches the same rows, so the
hit policy gives the same score there. The kernel therefore asks the table
itself (``BandTable.decide``, the scorer's own code) once per *piece* when it
is built, one value inside each open piece and each end, and then scores a
whole column by locating every value among the ends with ``np.searchsorted``
over exact integers: no policy is written twice, and a piece the table
refuses (outside the domain, no agreement) goes back to the scorer, which
reports it. A = target, B = actual, w = points.

Why the integers decide exactly as the scorer's Decimals: the value tested is
V = N/M (ratio: max(B, 0)/A; actual: B, or B/100 against a target in %), with
N and M scaled integers below 2**63, and an end is e = p/q. Then V < e,
V = e, V > e exactly as N·D < p·(D/q)·M, =, > for D = lcm of the ends'
denominators, all checked to fit int64 (rows that do not fit go to the
scorer). The scorer divides with 40 correct digits; a V ≠ e differs from e by
at least 1/(M·q), far more than that rounding (see `evalcore.kernels`), so
the 40-digit quotient lies on the same side of every end.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from evalcore.plugin import INT64_MAX, Kernel, KernelInput, KernelOutput, RuleContext, product, scaled_integer

from ._bandtable import NumericTable, numeric_table

__all__ = ["bands_kernel", "pieces"]

MET, PARTLY, MISSED = 0, 1, 2  # KERNEL_STATUSES
_SMALL = 2**31  # ends and scores whose fractions are below this are taken; others: the scorer


def bands_kernel(params: Mapping[str, Any], ctx: RuleContext) -> Kernel | None:
    """The kernel of a ``bands`` row that tests a number (ratio or actual); None for a table of
    words, or ends and scores too fine for int64 (the scorer decides those)."""
    on = params["on"]
    if on == "word" or (on == "auto" and ctx.target is not None and ctx.target.qualitative):
        return None
    try:
        numeric = numeric_table(params, ctx)
    except ValueError:  # the compiler reported it: there is no scorer to speed up
        return None
    table = pieces(numeric, ctx.points)
    if table is None:
        return None
    ends, outputs = table

    def kernel(inp: KernelInput) -> KernelOutput:
        import numpy as np

        return _score(np, inp, numeric, ends, outputs)

    return kernel


Output = tuple[int, int, int] | None  # raw score as num/den and its status; None: the scorer


def pieces(numeric: NumericTable, w: Decimal) -> tuple[list[tuple[int, int]], list[Output]] | None:
    """The table's distinct finite ends as fractions p/q, ascending, and the output of each
    piece by the table's own ``decide``: piece 2j is the open stretch below end j (2k: above
    the last), piece 2j + 1 the end j itself. None when an end or a score is too fine."""
    table = numeric.table
    bounds = [*table.intervals]
    if table.domain is not None:
        bounds.append(table.domain)
    values = sorted({end.value for iv in bounds for end in (iv.low, iv.high) if end.value is not None})
    ends = []
    for value in values:
        p, q = value.as_integer_ratio()
        if abs(p) >= _SMALL or q >= _SMALL:
            return None
        ends.append((p, q))
    samples: list[Decimal] = []
    for j in range(len(values) + 1):
        low = values[j - 1] if j else None
        high = values[j] if j < len(values) else None
        if low is not None and high is not None:
            samples.append((low + high) / 2)
        elif high is not None:
            samples.append(high - 1)
        else:
            samples.append(Decimal(0) if low is None else low + 1)
        if high is not None:
            samples.append(high)
    label = "ratio" if numeric.on == "ratio" else "actual"
    outputs: list[Output] = []
    for sample in samples:
        try:
            raw = table.decide(sample, label, explain=False).score
        except ValueError:
            outputs.append(None)
            continue
        num, den = raw.as_integer_ratio()
        if abs(num) >= _SMALL or den >= _SMALL:
            return None
        status = MET if raw >= w else (PARTLY if raw > 0 else MISSED)
        outputs.append((num, den, status))
    return ends, outputs


def _score(np: Any, inp: KernelInput, numeric: NumericTable, ends: list[tuple[int, int]],
           outputs: list[Output]) -> KernelOutput:
    n = len(inp.numbers)
    places = max(0, -int(numeric.a.as_tuple().exponent))
    shift = max(places - inp.scale, 0)
    a = scaled_integer(numeric.a, inp.scale + shift)
    b, overflow = product(inp.numbers, 10**shift)
    if a is None:
        return _all_fallback(np, n)
    # The tested value as N/M with M > 0.
    if numeric.on == "ratio":
        top, m = np.maximum(b, 0), a
    else:
        top, m = b, 10 ** (inp.scale + shift) * (100 if numeric.percent else 1)
    d = math.lcm(*(q for _, q in ends)) if ends else 1
    thresholds = [p * (d // q) * m for p, q in ends]
    if any(abs(t) >= INT64_MAX // 2 for t in thresholds):
        return _all_fallback(np, n)
    keys, too_large = product(top, d)
    found = np.array(thresholds, dtype=np.int64)
    piece = np.searchsorted(found, keys, "left") + np.searchsorted(found, keys, "right")
    refused = np.array([o is None for o in outputs])
    nums = np.array([0 if o is None else o[0] for o in outputs], dtype=np.int64)
    dens = np.array([1 if o is None else o[1] for o in outputs], dtype=np.int64)
    codes = np.array([MISSED if o is None else o[2] for o in outputs], dtype=np.int8)
    # The achievement ratio of the over-achievement finding: B/A (A/B under ≤ and <), both > 0.
    has = (b > 0) & (a > 0)
    ratio = np.where(has, a if numeric.reverse else b, 0)
    ratio_den = np.where(has, b if numeric.reverse else a, 0)
    return KernelOutput(nums[piece], dens[piece], codes[piece], ratio, ratio_den,
                        overflow | too_large | refused[piece])


def _all_fallback(np: Any, n: int) -> KernelOutput:
    zeros = np.zeros(n, np.int64)
    return KernelOutput(zeros, np.ones(n, np.int64), np.zeros(n, np.int8), fallback=np.ones(n, bool))
