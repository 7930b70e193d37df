"""``bands``: decision tables (DMN style) that map a value to a share of the points or a score.

Local rules are often tables rather than formulas: "≥100% → full marks,
90–100% → 80%, 80–90% → 5 points, below 80% → 0". An evaluator writes such a
table as the ``rows`` of an indicator (or of a profile's ``[rules.bands]``):

```toml
[[indicator]]
id = "q1"
category = "quality"
name = "抽检合格率"
target = "≥95%"
actual = "91%"
points = 10
rule = "bands"
[indicator.params]
on = "ratio"        # what the rows test (below)
hit = "unique"      # which matching rows count (below)
rows = [
  { id = "full", when = ">= 1",       share = 1 },
  { id = "most", when = "[0.9, 1)",   share = 0.8 },
  { id = "some", when = "[0.8, 0.9)", score = 5 },
  { id = "none", when = "< 0.8",      share = 0 },
]
```

**Rows.** ``when`` is a condition read by `evalcore_builtin._intervals.parse_interval`
(``">= 0.95"``, ``"[0.8, 0.95)"``, ``"0.8..0.95"``, ``"95%"`` = 0.95, a bare
number = that one value); for ``on = "word"`` it is a word or an array of
words. Each row gives exactly one output: ``share`` (0–1, times the points) or
``score`` (0 to the points). ``id`` names the row in traces and errors
(default ``row-<n>``, 1-based); ``priority`` (an integer) ranks rows under
``hit = "priority"``, where every row needs one, and nowhere else.

**What the rows test** (``on``):

* ``ratio`` (the default for a numeric target): B/A, the actual over the
  target. A must be above 0; a negative B counts as 0 (as in the national
  rules). The domain is [0, +inf), so the rows must cover ratios above 1.
  Under ≤ and < the rows still test B/A (lower is better there); the ratio
  handed to the over-achievement finding is A/B, as in the reverse rule.
* ``actual``: B itself, in the target's unit; the domain is (-inf, +inf).
  Against a target in %, B is compared as the fraction it denotes (91% is
  0.91), and every bound in ``when`` must be written with % ("[90%, 95%)"),
  so that "95" and "95%" can never be confused; a % bound against a target in
  another unit is an error.
* ``word`` (the default for a qualitative target): the actual's text, matched
  exactly against the rows' words. Words are not checked for completeness,
  but an unknown word is an error listing the known ones: it is never guessed.

``domain`` (an interval, default ``auto``) overrides the range a numeric
table must cover; a value outside it is an error at evaluation time.

**Hit policies** (``hit``, with their DMN names and single-letter codes):

* ``unique`` (U, the default): the rows may not overlap, so exactly one matches.
* ``first`` (F): rows may overlap; the first matching row in file order wins.
* ``priority`` (P): rows may overlap; the matching row with the highest
  ``priority`` wins. (DMN ranks rows by the order of their output values; a
  table of scores has no such order, so the rank is written down.) Two
  overlapping rows of equal priority are an error.
* ``any`` (A): rows may overlap where they give the same points; overlapping
  rows that disagree are an error.
* ``collect`` (C): every matching row counts, combined by ``aggregate``:
  ``sum`` (C+), ``min`` (C<), ``max`` (C>) or ``count`` (C#). Under ``count``
  the score is the number of matching rows (the rows need no share or score).
  A sum or count above the points is capped at the points by the rule itself,
  and the formula says so (the engine would cap it too, silently).

**Checked once, at compile time:** every condition parses; under every policy
the rows leave no gap in the domain (a gap names the rows beside it); under ``unique`` no two
rows overlap (the error names both rows and the shared interval), under
``priority`` and ``any`` overlapping rows must differ in priority or agree in
points; shares lie in [0, 1] and scores in [0, points]; rows have no unknown
keys (with a "did you mean"). A message names at most five gaps or pairs of
rows and counts the rest; the checks sweep the sorted row ends in
O(n log n) and never form every pair (``first`` and ``collect`` skip the
overlap check entirely). A matcher is built once; each evaluation is one
bisection.

The budget's execution-rate rule reuses `parse_rows` and
`build_table` for stepped budget scores (Jiangxi's 100% → 10, 80–99% → 7).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from evalcore.plugin import (
    HUNDRED,
    ZERO,
    Observation,
    Outcome,
    Param,
    RuleContext,
    RuleType,
    Scorer,
    Status,
    actual_number,
    choice,
    format_approx,
    hookimpl,
    outcome,
    partial_status,
    with_numbers,
)
from evalcore.plugin import format_decimal as fmt
from evalcore_builtin._intervals import Interval

from ._band_kernel import bands_kernel
from ._bandtable import (
    AGGREGATES,
    HITS,
    NO_ROWS,
    RATIO_DOMAIN,
    BandRow,
    BandRows,
    BandTable,
    Decision,
    build_table,
    numeric_table,
    parse_domain,
    parse_rows,
)

__all__ = ["NO_ROWS", "RATIO_DOMAIN", "BandRow", "BandRows", "BandTable", "Decision", "build_table",
           "compile_bands", "parse_domain", "parse_rows"]


# --------------------------------------------------------------------------- the rule type


def _approx(value: Decimal) -> str:
    """`` = 0.5`` when exact, `` ≈ 0.957895`` otherwise."""
    shown = format_approx(value, 6)
    return f" ≈ {shown[1:]}" if shown.startswith("≈") else f" = {shown}"


def compile_bands(params: Mapping[str, Any], ctx: RuleContext) -> Scorer:
    """A decision table: the row whose condition holds for the value (B/A, B or the actual's
    word) gives a share of w or a fixed score; ``hit`` says which rows count when several match."""
    on, hit, aggregate = params["on"], params["hit"], params["aggregate"]
    domain: Interval | None = None if params["domain"] == "auto" else params["domain"]
    if on == "auto":
        on = "word" if ctx.target is not None and ctx.target.qualitative else "ratio"
    if on == "word":
        return _by_word(build_table(params["rows"], ctx.points, words=True, hit=hit,
                                    aggregate=aggregate, domain=domain), ctx)
    numeric = numeric_table(params, ctx)
    table, a, percent = numeric.table, numeric.a, numeric.percent
    reverse = numeric.reverse

    def achieved(b: Decimal) -> Decimal | None:
        """The achievement ratio for the over-achievement finding (A/B under ≤ and <)."""
        if a <= 0 or b <= 0:
            return None
        return a / b if reverse else b / a

    def score(obs: Observation) -> Outcome:
        b = actual_number(obs, ctx)
        value, shown, label = _tested(b, a, on == "ratio", bool(percent))
        decision = table.decide(value, label)
        result = outcome(ctx, obs, decision.score, f"{shown} {decision.text}", achieved(b),
                         decision.matched)
        zh = _tested_zh(b, a, on == "ratio", bool(percent))
        return attrs.evolve(result, formula_zh=f"{zh} {decision.text_zh}")

    def numbers(obs: Observation) -> tuple[Decimal, Status]:
        b = actual_number(obs, ctx)
        if on == "ratio":
            value, label = max(b, ZERO) / a, "ratio"
        else:
            value, label = (b / HUNDRED if percent else b), "actual"
        raw = table.decide(value, label, explain=False).score
        return raw, Status.MET if raw >= ctx.points else partial_status(raw)

    return with_numbers(score, numbers)


def _by_word(table: BandTable, ctx: RuleContext) -> Scorer:
    """The scorer of a table whose rows test the actual's word."""

    def score(obs: Observation) -> Outcome:
        word = (obs.value.word or obs.value.text).strip()
        decision = table.decide(word, "word")
        result = outcome(ctx, obs, decision.score, f"word {word!r} {decision.text}",
                         matched=decision.matched)
        return attrs.evolve(result, formula_zh=f"词“{word}”{decision.text_zh}")

    return score


def _tested(b: Decimal, a: Decimal, ratio: bool, percent: bool) -> tuple[Decimal, str, str]:
    """The value a numeric table tests for the actual B (B/A, or B itself, a percentage as a
    fraction), how a trace shows it, and its label."""
    if ratio:
        clamped = max(b, ZERO)
        value = clamped / a
        shown = f"ratio = {fmt(clamped)}/{fmt(a)}{_approx(value)}"
        if b < 0:
            shown = f"B = {fmt(b)} < 0 counts as 0; " + shown
        return value, shown, "ratio"
    if percent:
        value = b / HUNDRED
        return value, f"actual = {fmt(b)}% = {fmt(value)}", "actual"
    return b, f"actual = {fmt(b)}", "actual"


def _tested_zh(b: Decimal, a: Decimal, ratio: bool, percent: bool) -> str:
    """How a Chinese trace shows the tested value (`_tested`'s second part, in Chinese)."""
    if ratio:
        clamped = max(b, ZERO)
        shown = f"比率 = {fmt(clamped)}/{fmt(a)}{_approx(clamped / a)}"
        return f"B = {fmt(b)} < 0，按0计；{shown}" if b < 0 else shown
    if percent:
        return f"实际值 = {fmt(b)}% = {fmt(b / HUNDRED)}"
    return f"实际值 = {fmt(b)}"


BANDS_PARAMS = (
    Param("rows", parse_rows, NO_ROWS,
          "The table: an array of { id, when, share | score, priority } rows, in order."),
    Param("on", choice("auto", "ratio", "actual", "word"), "auto",
          "What the rows test: ratio (B/A), actual (B in the target's unit) or word (the actual's "
          "text); auto = ratio for a numeric target, word for a qualitative one."),
    Param("hit", choice(*HITS), "unique",
          "Which matching rows count: unique (U), first (F), priority (P), any (A), collect (C)."),
    Param("aggregate", choice(*AGGREGATES), "sum",
          "With hit = collect: sum (C+), min (C<), max (C>) or count (C#) of the matching rows."),
    Param("domain", parse_domain, "auto",
          "The range a numeric table must cover; auto = [0, +inf) for ratio, (-inf, +inf) for actual."),
)


@hookimpl
def evalcore_rule_types() -> list[RuleType]:
    return [RuleType("bands", compile_bands, BANDS_PARAMS, compile_bands.__doc__ or "",
                     kernel=bands_kernel)]
