"""Vectorised kernels of the national rules, for ``plan.evaluate_table`` (the batch extra).

Each builder takes the same bound parameters and context as the rule's
``compile`` and returns a kernel that scores a whole column of actual values
(exact scaled integers) with numpy integer arithmetic: the same branches as the
scorer in `evalcore_builtin.rules` / `evalcore_builtin.budget`, the raw score
as a fraction, never a float. Rows whose products would leave int64 are
handed back to the scorer. A = target, B = actual, w = points.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from evalcore.plugin import (
    INT64_MAX,
    Comparator,
    Kernel,
    KernelInput,
    KernelOutput,
    RuleContext,
    numeric_target,
    product,
    scaled_integer,
)

MET, PARTLY, MISSED = 0, 1, 2  # KERNEL_STATUSES


def _frac(value: Decimal) -> tuple[int, int] | None:
    """``value`` as numerator and denominator, when both are small enough to multiply."""
    num, den = value.as_integer_ratio()
    return (num, den) if abs(num) < 2**31 and den < 2**31 else None


def _columns(inp: KernelInput, a: Decimal) -> tuple[Any, int, Any] | None:
    """B and A on one scale (B as an array, A as an int), and the rows where B overflowed."""
    places = max(0, -int(a.as_tuple().exponent))
    shift = max(places - inp.scale, 0)
    a_int = scaled_integer(a, inp.scale + shift)
    if a_int is None:
        return None
    b, overflow = product(inp.numbers, 10**shift)
    return b, a_int, overflow


def _output(np: Any, n: int, pieces: list[tuple[Any, Any, Any, int]], ratio: Any, ratio_den: Any,
            fallback: Any) -> KernelOutput:
    """Assemble the branches (mask, numerator, denominator, status), first match first."""
    num, den, status = np.zeros(n, np.int64), np.ones(n, np.int64), np.full(n, MISSED, np.int8)
    done = np.zeros(n, dtype=bool)
    for mask, part_num, part_den, code in pieces:
        take = mask & ~done
        num = np.where(take, part_num, num)
        den = np.where(take, part_den, den)
        if code < 0:  # partial: partly met when the score is above 0, missed at 0
            status = np.where(take, np.where(np.asarray(part_num) > 0, PARTLY, MISSED), status)
        else:
            status = np.where(take, code, status)
        done |= take
    return KernelOutput(num, den, status.astype(np.int8), ratio, ratio_den, fallback)


def _all_fallback(np: Any, n: int) -> KernelOutput:
    zeros = np.zeros(n, np.int64)
    return KernelOutput(zeros, np.ones(n, np.int64), np.zeros(n, np.int8), fallback=np.ones(n, bool))


def _ratio_kernel(ctx: RuleContext, params: Mapping[str, Any], build: Callable[..., KernelOutput]
                  ) -> Kernel | None:
    """A kernel for a rule on a numeric target with points and share fractions that fit."""
    target, a = numeric_target(ctx)
    w = _frac(ctx.points)
    share = _frac(params.get("strict_boundary_share", Decimal(0)))
    if a < 0 or w is None or share is None:
        return None

    def kernel(inp: KernelInput) -> KernelOutput:
        import numpy as np

        n = len(inp.numbers)
        cols = _columns(inp, a)
        if cols is None or w[1] * share[1] > INT64_MAX // 2**31:
            return _all_fallback(np, n)
        return build(np, n, target, cols, w, share)

    return kernel


def positive_kernel(params: Mapping[str, Any], ctx: RuleContext) -> Kernel | None:
    """≥ and >: met → w; under > with A > 0, B/A ≥ share (B = A included) → w × share;
    B ≤ 0 or A = 0 → 0; else w × B/A."""
    def build(np: Any, n: int, target: Any, cols: Any, w: Any, share: Any) -> KernelOutput:
        b, a, overflow = cols
        strict = target.comparator is Comparator.GT
        wb, over = product(b, w[0])
        if w[1] * a > INT64_MAX:
            return _all_fallback(np, n)
        positive = (b > 0) & (a > 0)
        # B/A ≥ share ⇔ B ≥ ⌈A × share⌉ (B is an integer); the bound is ≤ A, so it fits
        capped = positive & (b >= -(-a * share[0] // share[1])) & strict
        pieces = [
            ((b > a) | ((b == a) & (not strict)), w[0], w[1], MET),
            (capped, w[0] * share[0], w[1] * share[1], -1),
            ((b <= 0) | (a == 0), 0, 1, MISSED),
            (np.ones(n, bool), wb, w[1] * a, -1),
        ]
        return _output(np, n, pieces, np.where(positive, b, 0), np.where(positive, a, 0),
                       overflow | (over & (b < a)))

    return _ratio_kernel(ctx, params, build)


def reverse_kernel(params: Mapping[str, Any], ctx: RuleContext) -> Kernel | None:
    """≤ and <: met → w; under < with A > 0, A/B ≥ share ("ratio") or (2A − B)/A ≥ share
    ("linear"), B = A included → w × share; A = 0 → 0; else w × A/B ("ratio") or
    w × (2A − B)/A ("linear", 0 from B ≥ 2A)."""
    linear = params["method"] == "linear"

    def build(np: Any, n: int, target: Any, cols: Any, w: Any, share: Any) -> KernelOutput:
        b, a, overflow = cols
        strict = target.comparator is Comparator.LT
        if w[0] * a > INT64_MAX // 4 or w[1] * a > INT64_MAX:
            return _all_fallback(np, n)
        if linear:
            rest, over = product(np.clip(2 * a - b, -(2**62), 2**62), w[0])
            num, den = rest, np.full(n, w[1] * a, np.int64)
        else:
            den, over = product(b, w[1])
            num = np.full(n, w[0] * a, np.int64)
        positive = (b > 0) & (a > 0)
        # the cap holds up to B ≤ ⌊A / share⌋ or B ≤ 2A − ⌈A × share⌉ (B is an integer)
        if linear:
            last = 2 * a - -(-a * share[0] // share[1])
        else:
            last = a * share[1] // share[0] if share[0] else INT64_MAX
        capped = positive & (b <= min(last, INT64_MAX)) & strict
        pieces = [
            ((b < a) | ((b == a) & (not strict)), w[0], w[1], MET),
            (capped, w[0] * share[0], w[1] * share[1], -1),
            (np.full(n, a == 0), 0, 1, MISSED),
            (np.ones(n, bool), num, np.where(den > 0, den, 1), -1),
        ]
        return _output(np, n, pieces, np.where(positive, a, 0), np.where(positive, b, 0),
                       overflow | (over & (b > a)) | (b > 2**62))

    return _ratio_kernel(ctx, params, build)


def equality_kernel(params: Mapping[str, Any], ctx: RuleContext) -> Kernel | None:
    """=: A = 0 → w if B ≤ 0 else 0; B = A (or B > A under "positive") → w; "exact" or B ≤ 0
    → 0; B > A under "symmetric" → w × A/B; else w × B/A."""
    method = params["method"]

    def build(np: Any, n: int, target: Any, cols: Any, w: Any, share: Any) -> KernelOutput:
        b, a, overflow = cols
        if w[0] * a > INT64_MAX or w[1] * a > INT64_MAX:
            return _all_fallback(np, n)
        wb, over_b = product(b, w[0])
        bw, over_d = product(b, w[1])
        symmetric_over = (b > a) & (method == "symmetric")
        pieces = [
            (np.full(n, a == 0) & (b <= 0), w[0], w[1], MET),
            (np.full(n, a == 0), 0, 1, MISSED),
            ((b == a) | ((method == "positive") & (b > a)), w[0], w[1], MET),
            ((method == "exact") | (b <= 0), 0, 1, MISSED),
            (symmetric_over, w[0] * a, np.where(bw > 0, bw, 1), -1),
            (np.ones(n, bool), wb, w[1] * a if a else 1, -1),
        ]
        has = (b > 0) & (a > 0) & (method == "positive")
        unsafe = (over_b & (b < a)) | (over_d & symmetric_over)
        return _output(np, n, pieces, np.where(has, b, 0), np.where(has, a, 0), overflow | unsafe)

    return _ratio_kernel(ctx, params, build)


def execution_rate_kernel(params: Mapping[str, Any], ctx: RuleContext) -> Kernel | None:
    """w × min(全年执行数 / 全年预算数, 1); a budget of 0 by ``zero_budget``. None with bands
    (the scorer decides those)."""
    w = _frac(ctx.points)
    if params["bands"] or w is None:
        return None
    full_if_spent = params["zero_budget"] == "full-if-spent"

    def kernel(inp: KernelInput) -> KernelOutput:
        import numpy as np

        planned, executed = inp.extra["planned"], inp.extra["executed"]
        n = len(planned)
        zero = planned == 0
        sign = np.where(planned < 0, -1, 1)
        # the rate as a fraction with a positive denominator; a zero budget: 1 or 0
        spent = (executed > 0) & full_if_spent
        r_num = np.where(zero, np.where(spent, 1, 0), executed * sign)
        r_den = np.where(zero, 1, planned * sign)
        full = r_num >= r_den
        wr, over = product(r_num, w[0])
        den, over_d = product(r_den, w[1])
        pieces = [(full, w[0], w[1], MET), (np.ones(n, bool), wr, np.where(den > 0, den, 1), -1)]
        fallback = (over | over_d) & ~full
        return _output(np, n, pieces, r_num, r_den, fallback)

    return kernel


_HOLDS = {Comparator.GE: "__ge__", Comparator.GT: "__gt__", Comparator.LE: "__le__",
          Comparator.LT: "__lt__", Comparator.EQ: "__eq__"}


def threshold_kernel(params: Mapping[str, Any], ctx: RuleContext) -> Kernel | None:
    """Met or not on a numeric target: w when B compares to A as the target says, else 0.
    None for a date or a qualitative target (the scorer decides those)."""
    target = ctx.target
    w = _frac(ctx.points)
    if target is None or target.quantity is None or target.comparator is None or w is None:
        return None
    a, holds = target.quantity.value, _HOLDS[target.comparator]

    def kernel(inp: KernelInput) -> KernelOutput:
        import numpy as np

        n = len(inp.numbers)
        cols = _columns(inp, a)
        if cols is None:
            return _all_fallback(np, n)
        b, a_int, overflow = cols
        met = np.asarray(getattr(b, holds)(a_int), dtype=bool)
        return _output(np, n, [(met, w[0], w[1], MET)], None, None, overflow)

    return kernel
