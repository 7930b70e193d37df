"""One row of a scheme scored over a column of projects: the columnar path's per-row work.

`evalcore.columnar` reads the table; here each indicator (and the funds row)
is scored for every project at once. A column is dictionary-encoded first, so
each distinct actual value is parsed once with the parser of the `Decimal`
path; a rule with a kernel (`evalcore.kernels`) then scores every distinct
number in one vectorised call, exactly, and whatever the kernel cannot take (a
word, a date, a number too large for int64, a rule with no kernel, a row with
an assessed score) is scored by the rule's own scorer, once per distinct
observation; a column of words and assessed scores goes to the rule's word
kernel first, where it has one (`evalcore.word_scoring`). Scores are kept as
integers × 10**decimals; capping, half-up rounding and the findings'
comparisons are integer arithmetic, so every number equals what
`Plan.evaluate` gives. The findings' messages are the Decimal
path's Chinese messages, built only for the rows that have a finding.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

import contextlib
import decimal
import functools
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import attrs
import numpy as np

from .errors import EXHAUSTED, NOWHERE, Origin, PluginError, Problem, exception_text, exhausted, hint_of
from .kernels import (
    INT64_MAX,
    KERNEL_STATUSES,
    NUMBER_LIMIT,
    Kernel,
    KernelInput,
    WordKernel,
)
from .numbers import HUNDRED, context, format_percent
from .numbers import format_decimal as fmt
from .quantities import NOT_APPLICABLE, Value, parse_actual
from .registrations import Observation, Outcome, RuleContext
from .results import Finding, Status
from .scoring import actual_number, fraction_slip

__all__ = [
    "CODES",
    "ERROR",
    "KERNEL_CODES",
    "MEMO_LIMIT",
    "Column",
    "Distinct",
    "FindingBatch",
    "Parsed",
    "Result",
    "RowJob",
    "distinct_of",
    "exact_numbers",
    "exceeds",
    "half_up",
    "origin_of",
    "overachievement_parts",
    "parse_distinct",
    "percent_units",
    "rule_findings",
    "run_scorer",
    "score_distinct",
    "score_kernel",
]

CODES = {status: code for code, status in enumerate(
    (Status.MET, Status.PARTLY_MET, Status.MISSED, Status.MISSING, Status.NOT_APPLICABLE))}
"""A row's status as an int8 code; ``ERROR`` marks a row whose problem stops its project."""
ERROR = len(CODES)
KERNEL_CODES = np.array([CODES[s] for s in KERNEL_STATUSES], dtype=np.int8)
_MAX_SCALE = 9  # decimals of an actual a kernel sees; more go to the scorer
MEMO_LIMIT = 16_384
"""The most text actuals one scheme row remembers (`RowJob.memo`); then it starts again."""

_NOT_APPLICABLE_HINT = ("the row applies in the scheme; write \"/\" as its target (with 0 points) "
                        "to leave it out")


@attrs.frozen
class FindingBatch:
    """One kind of finding on some projects: their row numbers, and one message each (a
    sequence, or a pyarrow string array written by `evalcore.table_text`), or one for all."""

    rows: Any  # numpy int64
    code: str
    indicator: str | None
    messages: Sequence[str] | str | Any
    pick: Any = None  # for each row, its message's index in ``messages`` (None: one each)


@attrs.define
class Column:
    """A scheme row scored for every project: score × 10**decimals and status code per row
    (not-applicable rows take no part in any sum), its findings, and its problems (row, text)."""

    score: Any
    status: Any
    findings: list[FindingBatch] = attrs.field(factory=list)
    problems: list[tuple[int, str]] = attrs.field(factory=list)
    keep: bool = True  # False: scores only (no finding is looked for, only problems)


@attrs.frozen
class RowJob:
    """What scoring one scheme row needs: the compiled row, its context, its kernel."""

    compiled: Any  # evaluation.CompiledRow (not imported: evaluation imports this path)
    context: RuleContext
    kernel: Kernel | None
    decimals: int
    scale: int  # 10**decimals
    points: int  # the row's points × 10**decimals
    overachievement: Decimal | None
    reason_required: bool
    funds: bool = False
    word_kernel: WordKernel | None = None  # for a column of words (a qualitative rule)
    # Each text actual this row has read, as `parse_distinct` reads it (parsed, refused, its
    # kernel number): the job lives as long as its plan, so a batch's record batches, which
    # repeat most values, read each text once (at most `MEMO_LIMIT`, then it starts again).
    memo: dict[str, tuple[Value | None, Problem | None, Decimal | None]] = attrs.field(
        factory=dict, eq=False, repr=False)


@attrs.frozen
class Result:
    """One distinct observation, scored: status code, score × 10**decimals, its ratio and its
    over-achievement message, or the problem (at no origin yet) that stops the project."""

    status: int
    score: int = 0
    ratio: Decimal | None = None
    problem: Problem | None = None
    findings: tuple[Finding, ...] = ()  # the rule's own (`Outcome.findings`), not yet named


def half_up(num: Any, den: Any, points: int, scale: int) -> tuple[Any, Any]:
    """``min(max(num/den, 0), points/scale)`` rounded half up to 1/scale, × scale, for int64
    arrays (den > 0); and the rows too large to compute in int64 (left to the scorer)."""
    num = np.asarray(num, dtype=np.int64)
    den = np.broadcast_to(np.asarray(den, dtype=np.int64), num.shape)
    positive = num > 0
    q, r = np.divmod(np.where(positive, num, 0), den)
    whole = points // scale + 1  # any q at or above it is capped
    safe = den <= (INT64_MAX - 1) // (2 * scale + 1)
    d, r = np.where(safe, den, 1), np.where(safe, r, 0)
    rounded = q.clip(0, whole) * scale + (2 * r * scale + d) // (2 * d)
    score = np.where(q >= whole, points, np.minimum(rounded, points))
    return np.where(positive, score, 0), ~safe & positive & (q < whole)


def percent_units(num: Any, den: Any, places: int) -> tuple[Any, Any]:
    """``num/den × 100`` rounded half up (away from zero) to ``places`` decimals, × 10**places,
    for int64 arrays (den > 0); and where int64 sufficed (elsewhere: Decimal)."""
    k = 10 ** (places + 2)
    q, r = np.divmod(np.abs(num), den)
    ok = (q < INT64_MAX // (4 * k)) & (den < INT64_MAX // (4 * k))
    d = np.where(ok, den, 1)
    units = np.where(ok, q, 0) * k + (2 * np.where(ok, r, 0) * k + d) // (2 * d)
    return np.where(num < 0, -units, units), ok


def exceeds(num: Any, den: Any, threshold: Decimal) -> tuple[Any, Any, Any]:
    """Exactly, for int64 arrays with den > 0: where ``num/den > threshold``, where it equals,
    and where int64 cannot tell (left to Decimal). Exact means the same as the Decimal path's
    40-digit quotient: for integers below 2**63 and a threshold of few digits they never differ
    (see `evalcore.kernels`)."""
    t_num, t_den = threshold.as_integer_ratio()
    num = np.asarray(num, dtype=np.int64)
    den = np.broadcast_to(np.asarray(den, dtype=np.int64), num.shape)
    if t_den >= 2**40 or abs(t_num) >= 2**62:
        unknown = np.ones(num.shape, dtype=bool)
        return ~unknown, ~unknown, unknown
    ti, tr = divmod(t_num, t_den)
    q, r = np.divmod(num, den)
    unknown = den > INT64_MAX // t_den
    left, right = r * t_den, tr * den  # both below den × t_den
    gt = (q > ti) | ((q == ti) & (left > right))
    eq = (q == ti) & (left == right)
    return gt & ~unknown, eq & ~unknown, unknown


def distinct_of(values: Any) -> tuple[Any, Any]:
    """The distinct int64 ``values`` in increasing order and each value's index among them, as
    ``numpy.unique(values, return_inverse=True)`` gives them; without sorting when they lie in
    a narrow range (percentages to one or two places: a table of the range marks which occur)."""
    values = np.asarray(values, dtype=np.int64)
    if not len(values):
        return values.copy(), np.zeros(0, np.int64)
    low, high = int(values.min()), int(values.max())
    if high - low > 4 * len(values) + 4096:
        distinct, pick = np.unique(values, return_inverse=True)
        return distinct, np.asarray(pick, dtype=np.int64).reshape(-1)
    seen = np.zeros(high - low + 1, dtype=bool)
    seen[values - low] = True
    rank = np.cumsum(seen) - 1
    return np.flatnonzero(seen) + low, rank[values - low]


def _ratio_decimal(num: int, den: int) -> Decimal:
    return context().divide(Decimal(num), Decimal(den))


# -- one distinct observation through the rule's scorer ------------------------------------------


def run_scorer(job: RowJob, observation: Observation, hint: str | None, plugin: str) -> Result:
    """The scorer's result for one distinct observation, as `Plan.evaluate` would take it:
    its problem when the rule refuses the value, PluginError for a bug in the rule."""
    compiled = job.compiled
    try:
        with decimal.localcontext(context()):
            outcome = compiled.scorer(observation)
    except decimal.DecimalException:
        return Result(ERROR, problem=Problem("the numbers are too large or too small to score "
                                              "exactly; check the target and the actual value"))
    except (ValueError, ArithmeticError) as exc:
        return Result(ERROR, problem=Problem(str(exc), NOWHERE, hint_of(exc) or hint))
    except EXHAUSTED as exc:
        return Result(ERROR, problem=exhausted(exc, NOWHERE, "scoring"))
    except Exception as exc:  # a bug in the rule's plugin, not the user's mistake
        raise PluginError([Problem(f"plugin {plugin!r}: rule {compiled.rule.name!r} raised "
                                   f"{exception_text(exc)}")]) from None
    if not isinstance(outcome, Outcome) or not isinstance(outcome.score, Decimal):
        raise PluginError([Problem(f"plugin {plugin!r}: rule {compiled.rule.name!r} must return an "
                                   f"Outcome with a Decimal score, not {outcome!r}")])
    return _from_outcome(job, outcome)


def _from_outcome(job: RowJob, outcome: Outcome) -> Result:
    if outcome.status is Status.NOT_APPLICABLE and not job.funds:
        return Result(CODES[Status.NOT_APPLICABLE])
    num, den = outcome.score.as_integer_ratio()  # den > 0
    return Result(CODES[outcome.status], capped_half_up(num, den, job.points, job.scale),
                  outcome.ratio, findings=outcome.findings)


def capped_half_up(num: int, den: int, points: int, scale: int) -> int:
    """`half_up` for one score, in Python's unbounded integers (so never too large):
    ``min(max(num/den, 0), points/scale)`` rounded half up to 1/scale, × scale (den > 0)."""
    if num <= 0:
        return 0
    q, r = divmod(num, den)
    if q > points // scale:  # at or above the points whatever the fraction: capped
        return points
    return min(q * scale + (2 * r * scale + den) // (2 * den), points)


# -- the values of a column, each distinct one parsed once ---------------------------------------


@attrs.define
class Parsed:
    """The distinct values of a column: each parsed (`Value`) or refused (its Problem), and the
    number a kernel reads (B × 10**scale) where there is one. A value read straight from a
    numeric column is parsed only if the scorer needs it (`get`)."""

    raw: Sequence[object]
    units: Any
    values: list[Value | None]
    problems: list[Problem | None]
    numbers: Any  # int64 per distinct value
    numeric: Any  # bool: a kernel may score it
    scale: int

    def get(self, i: int) -> tuple[Value | None, Problem | None]:
        """The parsed value of entry ``i``, or its problem."""
        if self.values[i] is None and self.problems[i] is None:
            try:
                with decimal.localcontext(context()):
                    self.values[i] = parse_actual(self.raw[i], self.units)
            except ValueError as exc:
                self.problems[i] = Problem(str(exc), NOWHERE, hint_of(exc))
        return self.values[i], self.problems[i]


def parse_distinct(job: RowJob, raw: Sequence[object], needed: Any = None,
                   exact: tuple[Any, Any, int] | None = None) -> Parsed:
    """Parse every distinct actual (the ``needed`` ones) once (`parse_actual`), and read its
    number for a kernel the way the rule would (`actual_number`: units converted), exactly or
    not at all. ``exact`` (`exact_numbers` of a numeric column's distinct values) gives the
    numbers of a numeric column without parsing them."""
    units = job.context.units
    n = len(raw)
    values: list[Value | None] = [None] * n
    problems: list[Problem | None] = [None] * n
    numbers: list[Decimal | None] = [None] * n
    wanted = np.ones(n, dtype=bool) if needed is None else np.asarray(needed, dtype=bool).copy()
    if exact is not None and fraction_slip(job.context, Decimal(1)) is not None:
        # A bare fraction against a percentage (0.873 against ≥85%) is refused by the rule
        # (`fraction_slip`): such numbers go the scorer's way, never to a kernel.
        slips = exact[1] & (exact[0] > 0) & (exact[0] <= 10 ** exact[2])
        exact = (exact[0], exact[1] & ~slips, exact[2])
    if exact is not None and job.kernel is not None:
        wanted &= ~exact[1]  # read exactly from the column: parsed only if a scorer needs it
    memo = job.memo
    with decimal.localcontext(context()):
        for i in np.flatnonzero(wanted).tolist():
            item = raw[i]
            known = memo.get(item) if type(item) is str else None
            if known is None:
                known = _read(job, item)
                if type(item) is str:
                    if len(memo) >= MEMO_LIMIT:
                        memo.clear()
                    memo[item] = known
            values[i], problems[i], numbers[i] = known
    numeric, array, scale = _scaled(numbers)
    if exact is not None and job.kernel is not None and exact[1].any():
        if numeric.any():  # a few parsed ones too (none in practice): on their scale
            return Parsed(raw, units, values, problems, array, numeric, scale)
        return Parsed(raw, units, values, problems, exact[0], exact[1].copy(), exact[2])
    return Parsed(raw, units, values, problems, array, numeric, scale)


def _read(job: RowJob, item: object) -> tuple[Value | None, Problem | None, Decimal | None]:
    """One actual as the row reads it: parsed (`parse_actual`) or refused, and its number for
    a kernel the way the rule would read it (`actual_number`: units converted), or None."""
    try:
        value = parse_actual(item, job.context.units)
    except ValueError as exc:
        return None, Problem(str(exc), NOWHERE, hint_of(exc)), None
    number = None
    if job.kernel is not None and value.quantity is not None:
        with contextlib.suppress(ValueError, ArithmeticError):  # the scorer reports it
            number = actual_number(Observation(value), job.context)
    return value, None, number


def _scaled(numbers: list[Decimal | None]) -> tuple[Any, Any, int]:
    """Where each number fits a kernel, and it × 10**scale as int64, for the smallest scale
    (at most `_MAX_SCALE`) that holds them all: `scaled_integer` of each, in one pass."""
    found = [(i, v, v.as_tuple().exponent) for i, v in enumerate(numbers) if v is not None]
    scale = min(max((-e for _, _, e in found if isinstance(e, int) and e < 0), default=0), _MAX_SCALE)
    numeric = np.zeros(len(numbers), dtype=bool)
    array = np.zeros(len(numbers), dtype=np.int64)
    with decimal.localcontext(context()):
        for i, v, e in found:
            if not isinstance(e, int):  # not finite
                continue
            shifted = v.scaleb(scale)
            if shifted == shifted.to_integral_value() and abs(shifted) < NUMBER_LIMIT:
                numeric[i], array[i] = True, int(shifted)
    return numeric, array, scale


# -- every distinct observation scored ------------------------------------------------------------


@attrs.define
class Distinct:
    """Distinct observations scored: status code and score × 10**decimals each; where the ratio
    is above ``high`` (over-achievement, overspending) or below ``low`` (an execution rate that
    needs a reason); the ratios of those (for their messages) and the problems, by index."""

    status: Any
    score: Any
    above: Any
    below: Any
    ratios: dict[int, Decimal] = attrs.field(factory=dict)
    problems: dict[int, Problem] = attrs.field(factory=dict)
    findings: dict[int, tuple[Finding, ...]] = attrs.field(factory=dict)  # the rules' own
    # The kernel's ratios as exact fractions (den 0: none), for messages built per distinct text.
    ratio_num: Any = None
    ratio_den: Any = None

    @classmethod
    def empty(cls, n: int) -> Distinct:
        return cls(np.zeros(n, np.int8), np.zeros(n, np.int64), np.zeros(n, bool), np.zeros(n, bool),
                   ratio_num=np.zeros(n, np.int64), ratio_den=np.zeros(n, np.int64))

    def percents(self, rows: Any, places: int) -> tuple[Any, list[str], Any]:
        """``format_percent(ratio, places)`` of each of ``rows`` (flagged ones), in parts: the
        distinct percentages × 10**places that int64 holds (the kernel's fractions; their text
        is `evalcore.table_text.percent_strings`), then the texts of the others (beyond int64,
        or from a scorer: as Decimal), and each row's index among them all."""
        rows = np.asarray(rows, dtype=np.int64)
        den = self.ratio_den[rows]
        units, ok = percent_units(self.ratio_num[rows], np.where(den > 0, den, 1), places)
        ok &= den > 0
        distinct, pick = distinct_of(np.where(ok, units, 0))
        texts: list[str] = []
        for k in np.flatnonzero(~ok).tolist():
            pick[k] = len(distinct) + len(texts)
            texts.append(format_percent(self.ratio_of(int(rows[k])), places))
        return distinct, texts, pick

    def ratio_of(self, i: int) -> Decimal:
        """The ratio of a flagged entry as the Decimal path computes it (40 digits)."""
        if i in self.ratios:
            return self.ratios[i]
        return _ratio_decimal(int(self.ratio_num[i]), int(self.ratio_den[i]))

    def take(self, i: int, result: Result, high: Decimal | None, low: Decimal | None) -> None:
        """Put one scorer's result at ``i``."""
        self.status[i], self.score[i] = result.status, result.score
        if result.problem is not None:
            self.problems[i] = result.problem
        if result.findings:
            self.findings[i] = result.findings
        ratio = result.ratio
        if ratio is not None:
            self.above[i] = high is not None and ratio > high
            self.below[i] = low is not None and ratio < low
            if self.above[i] or self.below[i]:
                self.ratios[i] = ratio


def score_kernel(job: RowJob, numbers: Any, scale: int, extra: dict[str, Any], out: Distinct,
                 where: Any, high: Decimal | None, low: Decimal | None) -> Any:
    """Score the entries ``where`` of ``out`` with the row's kernel; the mask (over ``where``)
    of those it left to the scorer."""
    assert job.kernel is not None
    result = job.kernel(KernelInput(numbers, scale, extra))
    score, too_large = half_up(result.score, result.score_den, job.points, job.scale)
    fallback = too_large if result.fallback is None else (too_large | np.asarray(result.fallback))
    out.status[where] = KERNEL_CODES[np.asarray(result.status)]
    out.score[where] = score
    if result.ratio is not None and result.ratio_den is not None:
        num = np.asarray(result.ratio, dtype=np.int64)
        den = np.asarray(result.ratio_den, dtype=np.int64)
        has = (den > 0) & ~fallback
        safe_den = np.where(has, den, 1)
        flagged = np.zeros(len(where), dtype=bool)
        for threshold, target, sign in ((high, out.above, 1), (low, out.below, -1)):
            if threshold is None:
                continue
            gt, _, unknown = exceeds(num * sign, safe_den, threshold * sign)
            hit = gt
            for k in np.flatnonzero(unknown & has).tolist():  # beyond int64: as Decimal
                ratio = _ratio_decimal(int(num[k]), int(den[k]))
                hit[k] = ratio > threshold if sign > 0 else ratio < threshold
            target[where] = hit & has
            flagged |= hit & has
        out.ratio_num[where] = np.where(flagged, num, 0)
        out.ratio_den[where] = np.where(flagged, den, 0)
    return fallback


def score_distinct(job: RowJob, parsed: Parsed, raw: Sequence[object], plugin: str,
                   used: Any, flag: bool = True) -> Distinct:
    """The distinct actual values ``used`` scored (without an assessed score): by the kernel
    where it can, by the scorer otherwise; over-achievement flagged unless ``flag`` is False
    (scores only)."""
    out = Distinct.empty(len(raw))
    high = job.overachievement if flag else None
    todo = np.asarray(used, dtype=bool).copy()
    if job.kernel is not None and (parsed.numeric & todo).any():
        where = np.flatnonzero(parsed.numeric & todo)
        fallback = score_kernel(job, parsed.numbers[where], parsed.scale, {}, out, where, high, None)
        todo[where[~fallback]] = False
    for i in np.flatnonzero(todo).tolist():
        value, problem = parsed.get(i)
        if problem is not None or value is None:
            out.take(i, Result(ERROR, problem=problem), None, None)
        else:
            out.take(i, run_scorer(job, Observation(value), _hint(raw[i]), plugin), high, None)
    return out


def _hint(item: object) -> str | None:
    """Only a rule that knows "not applicable" per project (PEFA's NA) accepts "/" as a value."""
    return _NOT_APPLICABLE_HINT if isinstance(item, str) and item.strip() in NOT_APPLICABLE else None


def rule_findings(job: RowJob, column: Column, found: dict[int, tuple[Finding, ...]],
                  rows_of: Any) -> None:
    """The rules' own findings (`Outcome.findings`) of each scored entry ``i`` of ``found``, on
    its rows (``rows_of(i)``, an int64 array) that did not fail, named by the row as the
    Decimal path names them."""
    ind = job.compiled.indicator
    for i, findings in found.items():
        rows = rows_of(i)
        rows = rows[column.status[rows] != ERROR]
        if len(rows):
            for f in findings:
                column.findings.append(FindingBatch(rows, f.code, ind.id, f"{ind.name}：{f.message_zh}"))


@functools.lru_cache(maxsize=64)
def _limit_text(threshold: Decimal) -> str:
    return fmt(threshold * HUNDRED)


def overachievement_parts(name: str, threshold: Decimal) -> tuple[str, str]:
    """The Chinese message of the over-achievement finding, as the Decimal path writes it,
    before and after the achieved percentage (``format_percent(ratio, 1)``)."""
    return (f"{name}：完成程度为目标的",
            f"（上限类指标按目标值/实际值计），超过{_limit_text(threshold)}%，"
            "请说明目标是否设置偏低（超额完成不加分）")


def exact_numbers(pa: Any, array: Any) -> tuple[Any, Any, int] | None:
    """A numeric column's values as int64 × 10**scale, exactly the Decimals the Decimal path
    reads from them (``to_decimal``: an int as it is, a float through ``repr``, a decimal
    as stored), and where that worked; None for a column that is not numeric.

    A float is read without ``repr``: the integer c = x × 10**s (found in float, then
    checked) is taken only when c / 10**s (one correctly rounded division) gives x back and
    c has at most 15 digits; any two decimals of at most 15 significant digits are
    different doubles, so c / 10**s is then the value of ``repr(x)``. The rest (none in
    practice) go the Decimal way."""
    kind = array.type
    valid = np.asarray(array.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    if pa.types.is_integer(kind):
        try:
            values = np.asarray(array.cast(pa.int64()).fill_null(0).to_numpy(), dtype=np.int64)
        except pa.ArrowInvalid:
            return None
        return values, valid & (np.abs(values) < NUMBER_LIMIT), 0
    if pa.types.is_floating(kind):
        x = np.asarray(array.cast(pa.float64()).fill_null(0).to_numpy(), dtype=np.float64)
        whole = _one_scale(x)
        if whole is not None:
            ints, scale = whole
            return ints, valid & (np.abs(ints) < NUMBER_LIMIT), scale
        ints, places = np.zeros(len(x), np.int64), np.full(len(x), -1, np.int64)
        left = np.arange(len(x))
        with np.errstate(all="ignore"):
            for s in range(0, 7):
                c = np.rint(x[left] * 10.0**s)
                hit = (np.abs(c) < 1e15) & (c / 10.0**s == x[left])
                ints[left[hit]], places[left[hit]] = c[hit].astype(np.int64), s
                left = left[~hit]
                if not len(left):
                    break
        found = places >= 0
        scale = int(places.max(initial=0))
        ints = ints * 10 ** (scale - np.where(found, places, scale))
        return ints, valid & found & (np.abs(ints) < NUMBER_LIMIT), scale
    if pa.types.is_decimal(kind) and kind.bit_width == 128 and 0 <= kind.scale <= 9:
        words = np.frombuffer(array.buffers()[1], dtype=np.int64)
        words = words[2 * array.offset: 2 * (array.offset + len(array))].reshape(-1, 2)
        low, high = words[:, 0], words[:, 1]
        return low.copy(), valid & (high == (low >> 63)) & (np.abs(low) < NUMBER_LIMIT), kind.scale
    return None


def _one_scale(x: Any) -> tuple[Any, int] | None:
    """The floats ``x`` as int64 × 10**s for the smallest s (at most 2) at which every one of
    them is read exactly, by the test of `exact_numbers`; None when there is none (each is
    then read at its own scale). A column of amounts or rates is nearly always written to
    one or two decimals: this reads it in whole-column passes, without picking rows out."""
    with np.errstate(all="ignore"):
        for s in range(3):
            c = np.rint(x * 10.0**s) if s else np.rint(x)
            if ((np.abs(c) < 1e15) & (c / 10.0**s == x)).all():
                return c.astype(np.int64), s
    return None


def origin_of(row: int, column: str) -> Origin:
    """Where a cell of the input table is, in problems: ``row[3].q1``."""
    return Origin(path=("row", row, column))
