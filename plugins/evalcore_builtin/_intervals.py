"""Numeric range conditions for decision-table rows ("bands").

Scoring rules give band rows as ranges over a value (an actual figure or an
achievement ratio): ``">= 95%"``, ``"[80%, 90%)"``, ``"0.8..0.9"``.  This module

* parses those spellings into one canonical `Interval` (exact
  `decimal.Decimal` arithmetic, never floats),
* checks a set of rows for gaps and overlaps inside a declared domain (DMN's
  completeness / hit-policy checks) and names the rows involved, counting
  overlapping pairs exactly but listing only the first few, so that the cost
  stays O(n log n) even when all n rows overlap (n²/2 pairs), and
* compiles rows into a `Matcher` that finds a value's rows in O(log n + k)
  for k matching rows.

All of it rests on one idea: the finitely many boundary values of a row set
cut the number line into *elementary pieces*, namely the boundary points
themselves and the open segments between consecutive points.  Each row holds
a piece entirely or not at all, so every question becomes an exact integer
sweep over piece indices, with open/closed ends handled by construction.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Hashable, Iterable, Sequence
from decimal import Decimal
from itertools import chain
from typing import Literal

import attrs

from evalcore.plugin import format_decimal as fmt

__all__ = [
    "Bound", "Clash", "Coverage", "Interval", "IntervalSyntaxError", "Matcher", "Overlaps",
    "check_coverage", "find_gaps", "find_matches", "find_overlaps", "parse_interval",
]  # fmt: skip


class IntervalSyntaxError(ValueError):
    """A condition could not be read as an interval.

    ``message`` says what is wrong, ``text`` is the offending input and
    ``hint`` (possibly ``None``) suggests a spelling that would be accepted.
    """

    def __init__(self, message: str, text: str, hint: str | None = None) -> None:
        self.message, self.text, self.hint = message, text, hint
        suffix = f" (hint: {hint})" if hint else ""
        super().__init__(f"{message}: {text!r}{suffix}")


def _finite_or_none(_inst: object, _attr: object, value: Decimal | None) -> None:
    if value is not None and not (isinstance(value, Decimal) and value.is_finite()):
        raise ValueError(f"a bound must be a finite Decimal or None, got {value!r}")


@attrs.frozen
class Bound:
    """One end of an `Interval`; ``value=None`` means unbounded, and is always open."""

    value: Decimal | None = attrs.field(validator=_finite_or_none)
    closed: bool = attrs.field(validator=attrs.validators.instance_of(bool))

    def __attrs_post_init__(self) -> None:
        if self.value is None and self.closed:
            raise ValueError("an unbounded end must be open")


_OPEN_END = Bound(None, False)


def _in_domain(x: Decimal) -> bool:
    """Whether ``x`` can be tested at all: NaN and infinities match nothing."""
    return not isinstance(x, Decimal) or x.is_finite()


@attrs.frozen(repr=False)
class Interval:
    """A set of numbers between two `Bound` ends.

    May be empty (e.g. built by hand as ``(1, 1)``); `parse_interval`
    never returns an empty one.  ``str()`` gives the canonical spelling, which
    `parse_interval` reads back to an equal interval.
    """

    low: Bound
    high: Bound

    @classmethod
    def point(cls, value: Decimal) -> Interval:
        """The single-value interval ``[value, value]``."""
        return cls(Bound(value, True), Bound(value, True))

    def __contains__(self, x: Decimal) -> bool:
        if not _in_domain(x):
            return False
        low, high = self.low, self.high
        if low.value is not None and not (x > low.value or (low.closed and x == low.value)):
            return False
        return high.value is None or x < high.value or (high.closed and x == high.value)

    def is_empty(self) -> bool:
        """True when no number lies in the interval."""
        lo, hi = self.low.value, self.high.value
        if lo is None or hi is None:
            return False
        return lo > hi or (lo == hi and not (self.low.closed and self.high.closed))

    def __str__(self) -> str:
        lo, hi = self.low, self.high
        if lo.value is not None and lo.value == hi.value and lo.closed and hi.closed:
            return f"= {fmt(lo.value)}"
        left = ("[" if lo.closed else "(") + ("-inf" if lo.value is None else fmt(lo.value))
        right = ("+inf" if hi.value is None else fmt(hi.value)) + ("]" if hi.closed else ")")
        return f"{left}, {right}"

    def __repr__(self) -> str:
        return f"Interval({str(self)!r})"


# --------------------------------------------------------------------------- parsing

_TRANSLATE = str.maketrans(
    {"≥": ">=", "≧": ">=", "≤": "<=", "≦": "<=", "═": "=", "−": "-", "∞": "inf"}
)
_NUM = r"[+-]?(?:\d+(?:\.\d+)?|\.\d+)(?:e[+-]?\d+)?(?:\s*%)?"
_END = rf"(?:[+-]?inf(?:inity)?|{_NUM})"
_CMP_RE = re.compile(rf"(>=|=>|<=|=<|==|=|>|<)\s*({_END})", re.IGNORECASE)
_BRACKET_RE = re.compile(rf"([\[(])\s*({_END})\s*,\s*({_END})\s*([\])])", re.IGNORECASE)
_RANGE_RE = re.compile(rf"({_END})\s*\.\.\s*({_END})", re.IGNORECASE)
_BARE_RE = re.compile(_END, re.IGNORECASE)
_FORMS = "write e.g. '>= 0.95', '< 60%', '= 1', '[80%, 95%)', '0.8..0.95' or a plain number"
_INF = Decimal("Infinity")


def _number(token: str) -> Decimal:
    """Decimal value of a regex-checked token; infinities come back as +-Infinity."""
    token = "".join(token.split()).lower()
    if token.lstrip("+-").startswith("inf"):
        return -_INF if token.startswith("-") else _INF
    if not token.endswith("%"):
        return Decimal(token)
    sign, digits, exponent = Decimal(token[:-1]).as_tuple()
    assert isinstance(exponent, int)
    return Decimal((sign, digits, exponent - 2))  # exact: shift the exponent, no rounding


def _build(lo: Decimal, lo_closed: bool, hi: Decimal, hi_closed: bool, text: str) -> Interval:
    """Validate parsed ends (Decimal infinities allowed) and make the interval."""
    if lo == _INF or hi == -_INF:
        msg = "the lower end cannot be +inf, nor the upper end -inf"
        raise IntervalSyntaxError(msg, text, "write (-inf, x) or (x, +inf)")
    if (lo.is_infinite() and lo_closed) or (hi.is_infinite() and hi_closed):
        hint = "use '(' before -inf and ')' after +inf"
        raise IntervalSyntaxError("an unbounded end must be open", text, hint)
    low = _OPEN_END if lo.is_infinite() else Bound(lo, lo_closed)
    high = _OPEN_END if hi.is_infinite() else Bound(hi, hi_closed)
    interval = Interval(low, high)
    if low.value is not None and high.value is not None and low.value > high.value:
        raise IntervalSyntaxError("the lower end is above the upper end", text, "swap the two ends")
    if interval.is_empty():
        hint = f"use '= {fmt(lo)}' for a single value"
        raise IntervalSyntaxError("the interval is empty", text, hint)
    return interval


def _from_comparison(op: str, value: Decimal, text: str) -> Interval:
    if value.is_infinite():
        hint = "use (-inf, +inf) for every value"
        raise IntervalSyntaxError("a comparison needs a finite number", text, hint)
    if op in ("=", "=="):
        return Interval.point(value)
    if op in (">=", "=>", ">"):
        return _build(value, op != ">", _INF, False, text)
    return _build(-_INF, False, value, op != "<", text)


_DIAGNOSES = (  # (regex searched in the normalised text, message, hint), first match wins
    (r"^$", "empty condition", _FORMS),
    (r"nan", "NaN is not a number", _FORMS),
    (r"±|\+/-", "a ± tolerance lacks a centre", "spell it out, e.g. '[90%, 110%]' for 100% ±10%"),
    (r"≠|!=|<>", "'not equal' is not one interval", "use two rows, e.g. '< 1' and '> 1'"),
    (r"x|[<>].*[<>]", "chained comparison", "write 0.8 <= x < 0.9 as [0.8, 0.9)"),
    (r"\d%?\s*[-~–—]\s*[-+]?\.?\d", "ambiguous range", "write '[0.8, 0.9)' or '0.8..0.9'"),
    (r"^[\[(]|[\])]$", "malformed interval", "expected '[low, high)': brackets, two ends, a comma"),
)


def _diagnose(norm: str, text: str) -> IntervalSyntaxError:
    """Best-effort explanation for input that matched no accepted form."""
    for pattern, message, hint in _DIAGNOSES:
        if re.search(pattern, norm, re.IGNORECASE):
            return IntervalSyntaxError(message, text, hint)
    return IntervalSyntaxError("unrecognised condition", text, _FORMS)


def parse_interval(text: str | int | float | Decimal) -> Interval:
    """Read one row condition into an `Interval`.

    Accepted spellings (ASCII, full-width and math symbols alike):

    * comparisons ``>= 0.95``, ``≥0.95``, ``≧``, ``=>``, ``> 0.9``, ``< 0.6``,
      ``<= 1``, ``≤``, ``≦``, ``=<``, ``= 1``, ``== 1``, ``＝``, ``═``;
    * interval notation ``[0.8, 0.95)``, ``(0.8, 0.95]``, with ``inf``,
      ``+inf``, ``-inf`` or ``∞`` as (necessarily open) unbounded ends;
    * range notation ``0.8..0.95``, meaning ``[0.8, 0.95)``;
    * a bare number (TOML int, float or string), meaning ``[x, x]``.

    ``95%`` means exactly ``0.95`` everywhere.  Floats are read through
    ``str()`` so ``0.1`` stays ``0.1``.  NaN and infinite values, a lower end
    above the upper end, empty intervals and anything else raise
    `IntervalSyntaxError` with a hint.
    """
    if isinstance(text, bool) or not isinstance(text, (str, int, float, Decimal)):
        msg = f"expected a condition string or a number, got {type(text).__name__}"
        raise IntervalSyntaxError(msg, repr(text), _FORMS)
    if not isinstance(text, str):
        value = Decimal(str(text)) if isinstance(text, float) else Decimal(text)
        if not value.is_finite():
            raise IntervalSyntaxError("NaN and infinity are not valid values", str(text), _FORMS)
        return Interval.point(value)
    norm = unicodedata.normalize("NFKC", text).translate(_TRANSLATE).strip()
    norm = re.sub(r"(?<=[<>=])\s+(?=[<>=])", "", norm)  # "> = 1" -> ">= 1"
    if m := _CMP_RE.fullmatch(norm):
        return _from_comparison(m[1], _number(m[2]), text)
    if m := _BRACKET_RE.fullmatch(norm):
        return _build(_number(m[2]), m[1] == "[", _number(m[3]), m[4] == "]", text)
    if m := _RANGE_RE.fullmatch(norm):
        lo, hi = _number(m[1]), _number(m[2])
        return _build(lo, lo.is_finite(), hi, False, text)
    if _BARE_RE.fullmatch(norm):
        value = _number(norm)
        if value.is_infinite():
            raise IntervalSyntaxError("infinity is not a valid value", text, _FORMS)
        return Interval.point(value)
    raise _diagnose(norm, text)


# --------------------------------------------------------------------------- coverage


class _Pieces:
    """The elementary pieces cut by distinct points ``p_0 < ... < p_{m-1}``.

    Piece ``2k + 1`` is the point ``p_k``; piece ``2k`` is the open segment
    just below ``p_k`` (so piece 0 is ``(-inf, p_0)`` and piece ``2m`` is
    ``(p_{m-1}, +inf)``).  With no points, piece 0 is the whole line.
    """

    def __init__(self, intervals: Iterable[Interval]) -> None:
        values = {b.value for iv in intervals for b in (iv.low, iv.high) if b.value is not None}
        self.points = sorted(values)
        self.last = 2 * len(self.points)
        self._index = {p: k for k, p in enumerate(self.points)}

    def span(self, iv: Interval) -> tuple[int, int]:
        """First and last piece inside ``iv`` (first > last when it is empty)."""
        lo, hi = iv.low, iv.high
        first = 0 if lo.value is None else 2 * self._index[lo.value] + (1 if lo.closed else 2)
        last = self.last if hi.value is None else 2 * self._index[hi.value] + int(hi.closed)
        return first, last

    def locate(self, x: Decimal) -> int:
        """The piece containing the finite value ``x``; O(log m)."""
        k = bisect.bisect_left(self.points, x)
        return 2 * k + 1 if k < len(self.points) and self.points[k] == x else 2 * k

    def interval(self, first: int, last: int) -> Interval:
        """The union of pieces ``first..last`` as an interval (first <= last)."""
        p = self.points
        if first % 2:
            low = Bound(p[first // 2], True)
        else:
            low = _OPEN_END if first == 0 else Bound(p[first // 2 - 1], False)
        if last % 2:
            high = Bound(p[last // 2], True)
        else:
            high = _OPEN_END if last == self.last else Bound(p[last // 2], False)
        return Interval(low, high)


def _clip_spans(pieces: _Pieces, rows: Sequence[Interval], domain: Interval) -> list[tuple[int, int]]:
    """Each row's piece span cut to the domain; ``first > last`` marks a row with nothing inside."""
    dom_first, dom_last = pieces.span(domain)
    spans = []
    for row in rows:
        first, last = pieces.span(row)
        spans.append((max(first, dom_first), min(last, dom_last)))
    return spans


def find_gaps(rows: Sequence[Interval], domain: Interval) -> tuple[Interval, ...]:
    """The maximal parts of ``domain`` no row covers, left to right; O(n log n).

    One sweep over a difference array of the elementary pieces: at most
    ``n + 1`` gaps exist, so the answer is linear in the number of rows.
    """
    pieces = _Pieces([domain, *rows])
    dom_first, dom_last = pieces.span(domain)
    delta = [0] * (pieces.last + 2)  # difference array of how many rows cover each piece
    for first, last in _clip_spans(pieces, rows, domain):
        if first <= last:
            delta[first] += 1
            delta[last + 1] -= 1
    gaps: list[Interval] = []
    covered, gap_start = 0, -1
    for piece in range(pieces.last + 2):
        covered += delta[piece]
        open_gap = dom_first <= piece <= dom_last and covered == 0
        if open_gap and gap_start < 0:
            gap_start = piece
        elif not open_gap and gap_start >= 0:
            gaps.append(pieces.interval(gap_start, piece - 1))
            gap_start = -1
    return tuple(gaps)


class _SpanSet:
    """Spans sorted by their ends, to count in O(log k) how many of them meet a given span."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        spans = list(spans)
        self.size = len(spans)
        self._firsts = sorted(first for first, _ in spans)
        self._lasts = sorted(last for _, last in spans)

    def meeting(self, first: int, last: int) -> int:
        """How many spans share a piece with ``first..last``: all but those wholly left or right."""
        left = bisect.bisect_left(self._lasts, first)
        right = self.size - bisect.bisect_right(self._firsts, last)
        return self.size - left - right


Clash = Literal["all", "same", "different"]


@attrs.frozen
class Overlaps:
    """Result of `find_overlaps`: the exact number of clashing pairs and the first few of them.

    ``first`` holds ``(i, j, shared)`` with ``i < j`` in ``(i, j)`` order:
    the smallest pairs, at most the ``limit`` asked for.
    """

    count: int
    first: tuple[tuple[int, int, Interval], ...]


def find_overlaps(rows: Sequence[Interval], domain: Interval, *, limit: int = 5,
                  keys: Sequence[Hashable] | None = None, clash: Clash = "all") -> Overlaps:
    """Count the pairs of rows whose parts inside ``domain`` intersect, and list the first ``limit``.

    ``clash`` says which overlapping pairs count: ``"all"`` of them, those whose
    ``keys`` are the ``"same"`` (two rows of equal priority), or those whose
    keys are ``"different"`` (two rows giving different points).

    Never enumerates all pairs, which may number n²/2.  Each row's count of
    clashing partners comes from bisection over spans sorted by their ends
    (per key for ``same`` and ``different``), so the exact total costs
    O(n log n).  The first pairs are then found by scanning, in row order,
    only rows that have a partner; a scanned row either yields a new pair or
    is the second row of a pair already listed, so at most ``2 * limit`` rows
    are scanned.  Worst case O(n log n + limit * n) time and O(n) memory.
    """
    if clash != "all" and (keys is None or len(keys) != len(rows)):
        raise ValueError(f"clash = {clash!r} needs one key per row")
    pieces = _Pieces([domain, *rows])
    spans = _clip_spans(pieces, rows, domain)
    inside = [i for i, (first, last) in enumerate(spans) if first <= last]
    everyone = _SpanSet(spans[i] for i in inside)
    by_key: dict[Hashable, _SpanSet] = {}
    if keys is not None and clash != "all":
        grouped: dict[Hashable, list[tuple[int, int]]] = {}
        for i in inside:
            grouped.setdefault(keys[i], []).append(spans[i])
        by_key = {key: _SpanSet(group) for key, group in grouped.items()}
    partners = [0] * len(rows)
    for i in inside:
        total = everyone.meeting(*spans[i])
        if clash == "all":
            partners[i] = total - 1  # every span meets itself
        else:
            assert keys is not None
            same = by_key[keys[i]].meeting(*spans[i])
            partners[i] = same - 1 if clash == "same" else total - same

    def clashes(i: int, j: int) -> bool:
        if clash == "all" or keys is None:
            return True
        return (keys[i] == keys[j]) == (clash == "same")

    found: list[tuple[int, int, Interval]] = []
    for i in inside:
        if len(found) >= limit:
            break
        if not partners[i]:
            continue
        first, last = spans[i]
        for j in range(i + 1, len(rows)):
            first2, last2 = spans[j]
            if max(first, first2) <= min(last, last2) and clashes(i, j):
                found.append((i, j, pieces.interval(max(first, first2), min(last, last2))))
                if len(found) >= limit:
                    break
    return Overlaps(sum(partners) // 2, tuple(found))


@attrs.frozen
class Coverage:
    """Result of `check_coverage`.

    ``gaps``: every maximal part of the domain no row covers, left to right.
    ``overlaps``: ``(i, j, shared)`` for the first pairs of rows ``i < j``
    whose parts inside the domain intersect, in ``(i, j)`` order, at most
    the ``limit`` asked for.  ``overlap_count``: how many such pairs there
    are in all (by default, as many as are listed).
    """

    gaps: tuple[Interval, ...]
    overlaps: tuple[tuple[int, int, Interval], ...]
    overlap_count: int = attrs.field(
        default=attrs.Factory(lambda self: len(self.overlaps), takes_self=True))


def check_coverage(rows: Sequence[Interval], domain: Interval, *, limit: int = 5) -> Coverage:
    """Find gaps and overlaps of ``rows`` within ``domain``, exactly.

    Open/closed ends are respected: ``[0, 0.8)`` and ``[0.8, 1]`` neither gap
    nor overlap, ``[0, 0.8)`` and ``(0.8, 1]`` leave the gap ``[0.8, 0.8]``,
    ``[0, 0.8]`` and ``[0.8, 1]`` overlap on ``[0.8, 0.8]``.  Only the part of
    each row inside the domain counts.  All gaps are listed but only the first
    ``limit`` overlapping pairs, with their exact count: see `find_gaps`
    and `find_overlaps`.  Runs in O(n log n + limit * n).
    """
    overlaps = find_overlaps(rows, domain, limit=limit)
    return Coverage(find_gaps(rows, domain), overlaps.first, overlaps.count)


def find_matches(rows: Sequence[Interval], x: Decimal) -> list[int]:
    """Indices of the rows containing ``x``, in row order (linear scan)."""
    return [i for i, row in enumerate(rows) if x in row]


class Matcher:
    """Rows compiled for repeated lookups at evaluation time.

    A segment tree over the elementary pieces: each row is stored at the
    O(log n) nodes that tile its span (at most one on any root-to-leaf path),
    so building costs O(n log n) time and memory whatever the rows, even when
    every row contains every other.  `matches` collects the rows on the path
    to the value's piece: O(log n + k log k) for k matching rows; `first`
    needs only O(log n).  Equivalent to `find_matches`.
    """

    __slots__ = ("_nodes", "_pieces", "_size", "rows")

    def __init__(self, rows: Iterable[Interval]) -> None:
        self.rows: tuple[Interval, ...] = tuple(rows)
        self._pieces = _Pieces(self.rows)
        size = 1
        while size <= self._pieces.last:
            size *= 2
        self._size = size
        nodes: dict[int, list[int]] = {}
        for i, row in enumerate(self.rows):  # rows in order: every node's list is sorted
            first, last = self._pieces.span(row)
            lo, hi = first + size, last + size + 1  # the half-open leaf range of the span
            while lo < hi:
                if lo & 1:
                    nodes.setdefault(lo, []).append(i)
                    lo += 1
                if hi & 1:
                    hi -= 1
                    nodes.setdefault(hi, []).append(i)
                lo, hi = lo >> 1, hi >> 1
        self._nodes = {node: tuple(found) for node, found in nodes.items()}

    def _path(self, x: Decimal) -> list[tuple[int, ...]]:
        """The row lists on the path from ``x``'s leaf to the root (disjoint, each sorted)."""
        if not _in_domain(x):
            return []
        node = self._pieces.locate(x) + self._size
        found = []
        while node:
            if hits := self._nodes.get(node):
                found.append(hits)
            node >>= 1
        return found

    def matches(self, x: Decimal) -> tuple[int, ...]:
        """Indices of the rows containing ``x``, in row order."""
        found = self._path(x)
        if len(found) == 1:
            return found[0]
        return tuple(sorted(chain.from_iterable(found)))

    def first(self, x: Decimal) -> int | None:
        """The first row (in row order) containing ``x``, or None; O(log n)."""
        return min((hits[0] for hits in self._path(x)), default=None)
