"""The word kernel of the ``qualitative`` rule, for ``plan.evaluate_table``: a lookup of tiers.

The scorer (`evalcore_builtin.rules.compile_qualitative`) finds the tier a word
names (or, for an unknown word, the tier whose band holds the evaluator's
assessed score), then scores the assessed score if it lies in that tier's
band, or the tier's default share of w. Here the same in a column: each
distinct word's tier is looked up once (with the scorer's own word table and
`normalise_word`), and the assessed scores, exact scaled integers S/10**s,
are compared with the bands' ends p/q as S·q against p·10**s in int64. What
the scorer refuses (an unknown word without a score, a score outside its
tier's band or outside 0–w, an unparsed actual) is handed back to it, so its
error is the one reported.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from evalcore.plugin import KernelOutput, RuleContext, WordInput, WordKernel, product

__all__ = ["qualitative_word_kernel"]

TIERS = ("met", "partly", "missed")  # in KERNEL_STATUSES order: met, partly met, missed
_SMALL = 2**31


def _frac(value: Decimal) -> tuple[int, int] | None:
    num, den = value.as_integer_ratio()
    return (num, den) if abs(num) < _SMALL and den < _SMALL else None


def qualitative_word_kernel(params: Mapping[str, Any], ctx: RuleContext) -> WordKernel | None:
    """The word kernel of a qualitative row; None against a deadline without its year (a date
    is then judged by the project's year: the scorer does it) or for bands too fine for int64."""
    from .rules import normalise_word, qualitative_setup  # rules registers this kernel

    if ctx.target is not None and ctx.target.period is not None:
        return None
    try:
        bands, defaults, words = qualitative_setup(params, ctx.points)
    except ValueError:  # the compiler reported it: there is no scorer to speed up
        return None
    ends, outputs = [], []
    for tier in TIERS:
        low, high, closed = bands[tier]
        low_f, high_f, default = _frac(low), _frac(high), _frac(defaults[tier] * ctx.points)
        if low_f is None or high_f is None or default is None:
            return None
        ends.append((low_f, high_f, closed))
        outputs.append(default)
    tier_of = {word: TIERS.index(tier) for word, tier in words.items()}

    def kernel(inp: WordInput) -> KernelOutput:
        import numpy as np

        known = np.array([-1 if v is None else tier_of.get(normalise_word(v.word or v.text), -1)
                          for v in inp.values], dtype=np.int64)[inp.index]
        usable = np.array([v is not None for v in inp.values], dtype=bool)[inp.index]
        # Without a score: the word's tier and its default share, known words only.
        tier = known.copy()
        scored = usable & (known >= 0)
        safe = np.clip(known, 0, 2)
        num = np.array([o[0] for o in outputs], np.int64)[safe]
        den = np.array([o[1] for o in outputs], np.int64)[safe]
        at = np.flatnonzero(inp.has_assessed)
        if len(at):  # with one: the score itself, inside the band of the word's tier
            s, unit = inp.assessed[at], 10**inp.scale
            overflow = np.zeros(len(at), dtype=bool)
            in_band = []
            for (p_low, q_low), (p_high, q_high), closed in ends:
                at_low, over_low = product(s, q_low)
                at_high, over_high = product(s, q_high)
                above = at_low >= p_low * unit
                below = at_high <= p_high * unit if closed else at_high < p_high * unit
                in_band.append(above & below)
                overflow |= over_low | over_high
            # An unknown word: the first tier whose band holds the score (met, partly, missed).
            by_score = np.select(in_band, [0, 1, 2], -1)
            chosen = np.where(known[at] >= 0, known[at], by_score)
            holds = np.choose(np.clip(chosen, 0, 2), in_band)
            tier[at] = chosen
            scored[at] = usable[at] & (chosen >= 0) & holds & ~overflow
            num[at], den[at] = s, unit
        return KernelOutput(num, den, np.clip(tier, 0, 2).astype(np.int8), fallback=~scored)

    return kernel
