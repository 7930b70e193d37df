"""Decision tables for the ``bands`` rule and the stepped budget score: rows, checks, matching.

Parses a table's rows once, checks them (every condition parses, no gap in the
domain, no overlap under ``unique``, outputs in range, no unknown keys) and
builds a `BandTable` that decides a value with one bisection. The rule
type itself, and the table format as evaluators write it, are in ``tables``.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from collections.abc import Hashable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from evalcore.plugin import (
    ONE,
    ZERO,
    Comparator,
    RuleContext,
    format_approx,
    numeric_target,
    suggest,
    to_decimal,
)
from evalcore.plugin import format_decimal as fmt
from evalcore_builtin._intervals import (
    Clash,
    Interval,
    IntervalSyntaxError,
    Matcher,
    find_gaps,
    find_overlaps,
    parse_interval,
)

__all__ = ["ACTUAL_DOMAIN", "AGGREGATES", "HITS", "NO_ROWS", "RATIO_DOMAIN", "BandRow", "BandRows",
           "BandTable", "Decision", "NumericTable", "build_table", "numeric_table", "parse_domain",
           "parse_rows"]

HITS = ("unique", "first", "priority", "any", "collect")
AGGREGATES = ("sum", "min", "max", "count")
RATIO_DOMAIN = parse_interval("[0, +inf)")
ACTUAL_DOMAIN = parse_interval("(-inf, +inf)")
_ROW_KEYS = ("id", "when", "share", "score", "priority")
SHOWN = 5  # at most this many gaps, clashing pairs or rows are named in one message
_WORDS_SHOWN = 20  # known words listed when an unknown word is given


# --------------------------------------------------------------------------- rows as written


@attrs.frozen
class BandRow:
    """One row as written: its id, raw condition, output (share or score) and priority."""

    id: str
    when: str | int | float | Decimal | tuple[str, ...]
    share: Decimal | None = None
    score: Decimal | None = None
    priority: int | None = None

    def points(self, w: Decimal) -> Decimal:
        """The row's output in points, for an indicator worth ``w``."""
        if self.share is not None:
            return w * self.share
        return self.score if self.score is not None else ZERO

    def output_text(self, w: Decimal) -> str:
        """The output with values substituted: ``10 × 0.8 = 8`` or ``score 5``."""
        if self.share is not None:
            return f"{fmt(w)} × {fmt(self.share)} = {format_approx(w * self.share, 6)}"
        return f"score {fmt(self.score)}" if self.score is not None else "no output"

    def output_text_zh(self, w: Decimal) -> str:
        """`output_text` in Chinese: ``10 × 0.8 = 8`` or ``得分5``."""
        if self.share is not None:
            return self.output_text(w)
        return f"得分{fmt(self.score)}" if self.score is not None else "无输出"

    def __str__(self) -> str:
        when = ", ".join(self.when) if isinstance(self.when, tuple) else str(self.when)
        out = (f"share {fmt(self.share)}" if self.share is not None
               else f"score {fmt(self.score)}" if self.score is not None else "–")
        return f"{self.id}: {when} → {out}"


@attrs.frozen
class BandRows:
    """The ``rows`` parameter: rows in file order; ``str()`` is the trace's one-line summary."""

    rows: tuple[BandRow, ...] = ()

    def __iter__(self) -> Iterator[BandRow]:
        return iter(self.rows)

    def __bool__(self) -> bool:
        return bool(self.rows)

    def __str__(self) -> str:
        return "; ".join(str(r) for r in self.rows) if self.rows else "none"


NO_ROWS = BandRows()


def _when(value: Any, name: str) -> str | int | float | Decimal | tuple[str, ...]:
    if isinstance(value, bool):
        raise ValueError(f"row {name!r}: when must be a condition or a word, not {value!r}")
    if isinstance(value, (str, int, float, Decimal)):
        return value
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ValueError(f"row {name!r}: when must be a condition such as \">= 0.95\", a word, or an "
                     f"array of words, not {value!r}")


def _output(value: Any, name: str, key: str) -> Decimal:
    try:
        number = to_decimal(value)
    except ValueError as exc:
        raise ValueError(f"row {name!r}: {key}: {exc}") from None
    if key == "share" and not ZERO <= number <= ONE:
        raise ValueError(f"row {name!r}: share {fmt(number)} is outside [0, 1] (a share of the "
                         "points; use score for a number of points)")
    if key == "score" and number < 0:
        raise ValueError(f"row {name!r}: score {fmt(number)} is below 0")
    return number


def _row(raw: Any, n: int) -> BandRow:
    if not isinstance(raw, Mapping):
        raise ValueError(f"row {n} must be a table like {{ when = \">= 1\", share = 1 }}, not {raw!r}")
    name = raw.get("id", f"row-{n}")
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"row {n}: id must be a non-empty text, not {name!r}")
    for key in raw:
        if key not in _ROW_KEYS:
            hint = suggest(str(key), _ROW_KEYS)
            raise ValueError(f"row {name!r} has no key {key!r}; "
                             + (hint if hint else f"the keys are {', '.join(_ROW_KEYS)}"))
    if "when" not in raw:
        raise ValueError(f"row {name!r} needs a condition: when = \"...\"")
    if "share" in raw and "score" in raw:
        raise ValueError(f"row {name!r} gives both share and score; give one")
    priority = raw.get("priority")
    if priority is not None and (isinstance(priority, bool) or not isinstance(priority, int)):
        raise ValueError(f"row {name!r}: priority must be a whole number, not {priority!r}")
    return BandRow(
        id=name, when=_when(raw["when"], name),
        share=_output(raw["share"], name, "share") if "share" in raw else None,
        score=_output(raw["score"], name, "score") if "score" in raw else None,
        priority=priority,
    )


def parse_rows(value: Any) -> BandRows:
    """The ``rows`` parameter converter: an array of row tables, checked for form.

    What depends on the indicator (the conditions, scores within the points,
    coverage) is checked by `build_table`.
    """
    if isinstance(value, BandRows):
        return value
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"expected an array of rows like [{{ when = \">= 1\", share = 1 }}, ...], "
                         f"not {value!r}")
    if not value:
        raise ValueError("the table needs at least one row")
    rows = tuple(_row(raw, n) for n, raw in enumerate(value, 1))
    seen: set[str] = set()
    for row in rows:
        if row.id in seen:
            raise ValueError(f"two rows have the id {row.id!r}; ids name rows in traces and must differ")
        seen.add(row.id)
    return BandRows(rows)


def parse_domain(value: Any) -> Interval | str:
    """The ``domain`` parameter: ``"auto"`` or an interval."""
    if value == "auto":
        return "auto"
    try:
        return parse_interval(value)
    except IntervalSyntaxError as exc:
        raise ValueError(str(exc)) from None


# --------------------------------------------------------------------------- the compiled table


_AGGREGATE_ZH = {"sum": "求和", "min": "最小值", "max": "最大值"}
"""The collect aggregates as a Chinese formula names them."""


@attrs.frozen
class Decision:
    """What a table decided for one value: the raw score, the matched row ids, and why.

    ``text`` continues a formula that has shown the value, e.g.
    ``∈ [0.9, 1) → row 'most': 10 × 0.8 = 8``; ``text_zh`` is the same in
    Chinese, ``∈ [0.9, 1) → 第2行“most”：10 × 0.8 = 8``.
    """

    score: Decimal
    matched: str
    text: str
    text_zh: str = ""


def _show(iv: Interval) -> str:
    """An interval in a formula: ``{1}`` for a single value, else ``[0.9, 1)``."""
    text = str(iv)
    return "{" + text[2:] + "}" if text.startswith("= ") else text


def _clip(iv: Interval, domain: Interval) -> Interval:
    """The part of ``iv`` inside ``domain`` (they are known to intersect): ``< 0.8`` → [0, 0.8)."""
    lo, hi = iv.low, iv.high
    d_lo, d_hi = domain.low, domain.high
    if d_lo.value is not None and (lo.value is None or d_lo.value > lo.value
                                   or (d_lo.value == lo.value and not d_lo.closed)):
        lo = d_lo
    if d_hi.value is not None and (hi.value is None or d_hi.value < hi.value
                                   or (d_hi.value == hi.value and not d_hi.closed)):
        hi = d_hi
    return Interval(lo, hi)


def _where(iv: Interval) -> str:
    """An interval after "overlap"/"covers": ``at 0.9`` or ``on [0.85, 0.9)``."""
    text = str(iv)
    return f"at {text[2:]}" if text.startswith("= ") else f"on {text}"


def _word(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


_NUMBER_RE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?|\.\d+)(?:e[+-]?\d+)?(\s*%)?", re.IGNORECASE)


def _check_percent(row: BandRow, percent: bool | None, unit: str) -> None:
    """Against a target in %, every non-zero bound must carry %; against another unit, none may."""
    if percent is None:
        return
    text = unicodedata.normalize("NFKC", str(row.when)).replace("..", " ")  # 0.8..0.9
    marks = [(Decimal(m[1]), bool(m[2])) for m in _NUMBER_RE.finditer(text)]
    if percent and any(value != 0 and not marked for value, marked in marks):
        raise ValueError(f"row {row.id!r}: the target is in %, so write the bounds of when with % "
                         f"(e.g. \">= 95%\"), not {row.when!r}")
    if not percent and any(marked for _, marked in marks):
        raise ValueError(f"row {row.id!r}: when {row.when!r} uses % but the target is in {unit!r}; "
                         "write the bounds in the target's unit, or use on = \"ratio\"")


class BandTable:
    """Rows checked and compiled for one indicator; `decide` maps a value to a score.

    Build it with `build_table`; it is never changed afterwards, so one
    table serves every project a plan evaluates.
    """

    __slots__ = ("aggregate", "domain", "hit", "intervals", "matcher", "points", "rows", "words")

    def __init__(self, rows: tuple[BandRow, ...], points: Decimal, hit: str, aggregate: str,
                 domain: Interval | None, intervals: tuple[Interval, ...],
                 words: Mapping[str, tuple[int, ...]]) -> None:
        self.rows, self.points, self.hit, self.aggregate = rows, points, hit, aggregate
        self.domain, self.intervals, self.words = domain, intervals, words
        self.matcher = Matcher(intervals) if domain is not None else None

    def matches(self, value: Decimal | str) -> tuple[int, ...]:
        """Indices of the rows whose condition holds for ``value``, in file order."""
        if isinstance(value, str):
            return self.words.get(_word(value), ())
        assert self.matcher is not None
        return self.matcher.matches(value)

    def _hits(self, value: Decimal) -> tuple[int, ...]:
        """The matching rows the policy needs: under ``first`` only the first, in O(log n)."""
        assert self.matcher is not None
        if self.hit == "first":
            first = self.matcher.first(value)
            return () if first is None else (first,)
        return self.matcher.matches(value)

    def decide(self, value: Decimal | str, label: str = "value", explain: bool = True) -> Decision:
        """Apply the hit policy to ``value``; ValueError when no row (or no agreement) decides.
        ``explain=False`` leaves the decision's ``text`` empty: the numbers-only path."""
        if isinstance(value, str):
            hits = self.matches(value)
            if not hits:
                known = sorted(self.words)
                hint = suggest(_word(value), known)
                raise ValueError(f"no row of the table lists the word {value!r}"
                                 + (f" ({hint})" if hint else "") + "; the known words are "
                                 + _listing(known, _WORDS_SHOWN, "more words"))
        else:
            assert self.domain is not None
            if value not in self.domain:
                raise ValueError(f"the {label} {fmt(value)} is outside the table's domain "
                                 f"{self.domain}; widen the domain or the rows")
            hits = self._hits(value)
            if not hits:  # the compile-time gap check makes this unreachable
                raise ValueError(f"no row of the table covers the {label} {fmt(value)}")
        w = self.points
        if self.hit == "collect":
            return self._collect(hits, explain)
        if self.hit == "unique":
            if len(hits) != 1:
                raise ValueError(f"rows {self._names(hits)} all match {value}; under hit = 'unique' "
                                 "exactly one row may")
            chosen = hits[0]
        elif self.hit == "first":
            chosen = hits[0]  # `matches` gave only the first row: see `_hits`
        elif self.hit == "priority":
            top = max(self.rows[i].priority or 0 for i in hits)
            best = [i for i in hits if (self.rows[i].priority or 0) == top]
            if len(best) != 1:
                raise ValueError(f"rows {self._names(best)} match with the same priority {top}")
            chosen = best[0]
        else:  # any
            outputs = {self.rows[i].points(w) for i in hits}
            if len(outputs) != 1:
                raise ValueError(f"rows {self._names(hits)} match but give different points; "
                                 "under hit = 'any' they must agree")
            row = self.rows[hits[0]]
            if not explain:
                return Decision(row.points(w), "", "")
            ids = ", ".join(repr(self.rows[i].id) for i in hits)
            ids_zh = "、".join(f"“{self.rows[i].id}”" for i in hits)
            return Decision(row.points(w), ",".join(self.rows[i].id for i in hits),
                            f"{self._cond(hits[0])} → rows {ids} (agreeing): {row.output_text(w)}",
                            f"{self._cond_zh(hits[0])} → 行{ids_zh}（结果一致）："
                            f"{row.output_text_zh(w)}")
        row = self.rows[chosen]
        if not explain:
            return Decision(row.points(w), row.id, "")
        return Decision(row.points(w), row.id,
                        f"{self._cond(chosen)} → row {row.id!r}: {row.output_text(w)} "
                        f"(row {chosen + 1} of {len(self.rows)})",
                        f"{self._cond_zh(chosen)} → 第{chosen + 1}行“{row.id}”："
                        f"{row.output_text_zh(w)}（共{len(self.rows)}行）")

    def _collect(self, hits: Sequence[int], explain: bool = True) -> Decision:
        w, rows = self.points, [self.rows[i] for i in hits]
        if not explain:
            if self.aggregate == "count":
                total = Decimal(len(rows))
            else:
                outputs = [r.points(w) for r in rows]
                total = (sum(outputs, ZERO) if self.aggregate == "sum" else min(outputs)
                         if self.aggregate == "min" else max(outputs))
            return Decision(min(total, w), "", "")
        conds = ", ".join(f"{self._cond(i)} (row {self.rows[i].id!r})" for i in hits)
        conds_zh = "，".join(f"{self._cond_zh(i)}（行“{self.rows[i].id}”）" for i in hits)
        ids = ",".join(r.id for r in rows)
        if self.aggregate == "count":
            total, text = Decimal(len(rows)), f"{conds} → count = {len(rows)}"
            text_zh = f"{conds_zh} → 计数 = {len(rows)}"
        else:
            outputs = [r.points(w) for r in rows]
            if self.aggregate == "sum":
                total = sum(outputs, ZERO)
            elif self.aggregate == "min":
                total = min(outputs)
            else:
                total = max(outputs)
            shown = ", ".join(format_approx(o, 6) for o in outputs)
            text = f"{conds} → {self.aggregate}({shown}) = {format_approx(total, 6)}"
            text_zh = f"{conds_zh} → {_AGGREGATE_ZH[self.aggregate]}({shown}) = {format_approx(total, 6)}"
        if total > w:  # a sum or count can pass the points; say so rather than lean on the engine
            total, text = w, f"{text}, capped at {fmt(w)}"
            text_zh = f"{text_zh}，以{fmt(w)}为上限"
        return Decision(total, ids, text, text_zh)

    def _cond(self, i: int) -> str:
        if self.domain is not None:
            return f"∈ {_show(_clip(self.intervals[i], self.domain))}"
        return "is listed"

    def _cond_zh(self, i: int) -> str:
        if self.domain is not None:
            return self._cond(i)
        return "在列"

    def _names(self, hits: Sequence[int]) -> str:
        return _listing([repr(self.rows[i].id) for i in hits], SHOWN, "more rows")


def _listing(items: Sequence[str], shown: int, more: str) -> str:
    """``a, b, c`` or, past ``shown`` items, ``a, b, … and 7 more rows``: bounded whatever the table."""
    if len(items) <= shown:
        return ", ".join(items)
    return ", ".join(items[:shown]) + f", … and {len(items) - shown:,} {more}"


def _gap_message(gap: Interval, rows: Sequence[BandRow], intervals: Sequence[Interval]) -> str:
    """"no row covers [0.8, 0.9) (between rows 'none' and 'most')"."""
    # The nearest row on each side; on a tie the one whose end is closed touches the gap.
    below = [((iv.high.value, iv.high.closed), r.id) for r, iv in zip(rows, intervals, strict=True)
             if iv.high.value is not None and gap.low.value is not None and iv.high.value <= gap.low.value]
    above = [((-iv.low.value, iv.low.closed), r.id) for r, iv in zip(rows, intervals, strict=True)
             if iv.low.value is not None and gap.high.value is not None and iv.low.value >= gap.high.value]
    left = max(below, key=lambda item: item[0])[1] if below else None
    right = max(above, key=lambda item: item[0])[1] if above else None
    if left and right:
        where = f"between rows {left!r} and {right!r}"
    elif left:
        where = f"above row {left!r}"
    elif right:
        where = f"below row {right!r}"
    else:
        where = "no row is near it"
    return f"no row covers {_show(gap)} ({where})"


def _parse_condition(row: BandRow) -> Interval:
    if isinstance(row.when, tuple):
        raise ValueError(f"row {row.id!r}: when is an array of words, but the table tests a number; "
                         "use on = \"word\" or write a condition such as \">= 0.95\"")
    try:
        return parse_interval(row.when)
    except IntervalSyntaxError as exc:
        hint = f" (hint: {exc.hint})" if exc.hint else ""
        raise ValueError(f"row {row.id!r}: {exc.message}: {exc.text!r}{hint}") from None


_MORE = {"unique": "overlapping pairs of rows",
         "priority": "overlapping pairs of rows with the same priority",
         "any": "overlapping pairs of rows that give different points"}
_ADVICE = {"unique": "; make the bands disjoint, or choose another hit policy (first, priority, "
                     "any, collect)",
           "priority": "; give them different priorities",
           "any": "; under hit = 'any' overlapping rows must agree"}


def _clash(hit: str, rows: Sequence[BandRow], w: Decimal) -> tuple[list[Hashable] | None, Clash] | None:
    """Which overlapping pairs ``hit`` refuses, as `find_overlaps` takes them; None: it allows all.

    ``first`` and ``collect`` allow every overlap, so no pair is ever looked at.
    """
    if hit == "unique":
        return None, "all"
    if hit == "priority":
        return [row.priority for row in rows], "same"
    if hit == "any":
        return [row.points(w) for row in rows], "different"
    return None


def _overlap_error(rows: Sequence[BandRow], pairs: Sequence[tuple[int, int, str]], count: int,
                   hit: str, w: Decimal) -> ValueError:
    """The refused overlaps: the first ``pairs`` (i, j, "on [..)" / "at x") named, then the count."""
    problems = []
    for i, j, where in pairs:
        a, b = rows[i], rows[j]
        if hit == "priority":
            problems.append(f"rows {a.id!r} and {b.id!r} overlap {where} with the same priority "
                            f"{a.priority}")
        elif hit == "any":
            problems.append(f"rows {a.id!r} and {b.id!r} overlap {where} but give different points "
                            f"({format_approx(a.points(w), 6)} and {format_approx(b.points(w), 6)})")
        else:
            problems.append(f"rows {a.id!r} and {b.id!r} overlap {where}")
    if count > len(pairs):
        problems.append(f"and {count - len(pairs):,} more {_MORE[hit]}")
    return ValueError("; ".join(problems) + _ADVICE[hit])


def build_table(rows: BandRows | Sequence[BandRow], points: Decimal, *, words: bool = False,
                hit: str = "unique", aggregate: str = "sum", domain: Interval | None = None,
                percent: bool | None = None, unit: str = "") -> BandTable:
    """Check ``rows`` for an indicator worth ``points`` and compile them; ValueError if they are wrong.

    ``words``: the rows list words (``on = "word"``) rather than conditions.
    ``domain``: the range a numeric table must cover (default [0, +inf)).
    ``percent``: True when the value is a % target's actual (bounds must carry %),
    False when it is in the non-% ``unit`` (no bound may), None when unchecked.
    """
    rows = tuple(rows)
    if not rows:
        raise ValueError("the table has no rows; give params.rows = [{ when = \"...\", share = ... }, ...]")
    if hit not in HITS:
        raise ValueError(f"unknown hit policy {hit!r}")
    if aggregate != "sum" and hit != "collect":
        raise ValueError(f"aggregate = {aggregate!r} applies only to hit = 'collect', not {hit!r}")
    counting = hit == "collect" and aggregate == "count"
    for row in rows:
        if row.share is None and row.score is None and not counting:
            raise ValueError(f"row {row.id!r} needs an output: share (0–1 of the points) or score")
        if row.score is not None and row.score > points:
            raise ValueError(f"row {row.id!r}: score {fmt(row.score)} is above the indicator's "
                             f"{fmt(points)} points")
        if hit == "priority" and row.priority is None:
            raise ValueError(f"hit = 'priority' needs a priority on every row; row {row.id!r} has none")
        if hit != "priority" and row.priority is not None:
            raise ValueError(f"row {row.id!r} has a priority, which only hit = 'priority' uses "
                             f"(the table's hit is {hit!r})")
    if words:
        if domain is not None:
            raise ValueError("domain applies to tables of numbers, not of words")
        return _word_table(rows, points, hit, aggregate)
    for row in rows:
        _check_percent(row, percent, unit)
    intervals = tuple(_parse_condition(row) for row in rows)
    domain = RATIO_DOMAIN if domain is None else domain
    gaps = find_gaps(intervals, domain)
    if gaps:
        shown = "; ".join(_gap_message(g, rows, intervals) for g in gaps[:SHOWN])
        more = f"; and {len(gaps) - SHOWN:,} more gaps" if len(gaps) > SHOWN else ""
        raise ValueError(f"{shown}{more}: the rows must cover the whole domain {domain}")
    if policy := _clash(hit, rows, points):
        keys, clash = policy
        found = find_overlaps(intervals, domain, limit=SHOWN, keys=keys, clash=clash)
        if found.count:
            pairs = [(i, j, _where(shared)) for i, j, shared in found.first]
            raise _overlap_error(rows, pairs, found.count, hit, points)
    return BandTable(rows, points, hit, aggregate, domain, intervals, {})


def _word_table(rows: tuple[BandRow, ...], points: Decimal, hit: str, aggregate: str) -> BandTable:
    index: dict[str, list[int]] = {}
    listed_by: list[tuple[str, ...]] = []
    for i, row in enumerate(rows):
        if not isinstance(row.when, (str, tuple)):
            raise ValueError(f"row {row.id!r}: on = \"word\" needs a word or an array of words, "
                             f"not {row.when!r}")
        listed = tuple(dict.fromkeys(_word(w) for w in ((row.when,) if isinstance(row.when, str)
                                                         else row.when)))
        for word in listed:
            if not word:
                raise ValueError(f"row {row.id!r} lists an empty word")
            index.setdefault(word, []).append(i)
        listed_by.append(listed)
    if policy := _clash(hit, rows, points):
        count, pairs = _word_clashes(index, listed_by, *policy)
        if count:
            raise _overlap_error(rows, pairs, count, hit, points)
    return BandTable(rows, points, hit, aggregate, None, (), {w: tuple(h) for w, h in index.items()})


def _word_clashes(index: Mapping[str, list[int]], listed_by: Sequence[tuple[str, ...]],
                  keys: Sequence[Hashable] | None, clash: Clash) -> tuple[int, list[tuple[int, int, str]]]:
    """Pairs of rows sharing a word that ``clash`` refuses: their count, and the first `SHOWN`.

    A pair counts once per shared word; pairs come in (row, row, word) order.
    The count is read off per-word tallies (no pair is formed), and, as in
    `evalcore_builtin._intervals.find_overlaps`, only rows with a partner are scanned
    for the pairs to name, at most ``2 * SHOWN`` of them: O(entries * SHOWN).
    """
    def key(i: int) -> Hashable:
        return None if keys is None or clash == "all" else keys[i]

    partners = [0] * len(listed_by)
    for members in index.values():
        tally = Counter(key(i) for i in members)
        for i in members:
            same = tally[key(i)]
            partners[i] += len(members) - same if clash == "different" else same - 1
    found: list[tuple[int, int, str]] = []
    for i, words in enumerate(listed_by):
        if len(found) >= SHOWN:
            break
        if partners[i]:
            mine = sorted((j, f"on the word {word!r}") for word in words
                          for j in index[word][bisect.bisect_right(index[word], i):]
                          if (key(i) == key(j)) != (clash == "different"))
            found.extend((i, j, where) for j, where in mine[:SHOWN - len(found)])
    return sum(partners) // 2, found


@attrs.frozen
class NumericTable:
    """A numeric table as its scorer and its kernel read it: the table, what it tests (``on``:
    ratio or actual), the target A, whether the target is a percentage (the actual is then
    tested as the fraction it denotes) and whether it is reversed (≤, <: the achievement
    ratio is A/B)."""

    table: BandTable
    on: str
    a: Decimal
    percent: bool
    reverse: bool


def numeric_table(params: Mapping[str, Any], ctx: RuleContext) -> NumericTable:
    """The checked table of a numeric ``bands`` row (``on`` is ratio or actual, or auto on a
    numeric target); ValueError for rows that do not fit the target. One function for the
    scorer and the kernel, so the two can never read the parameters apart."""
    on, hit, aggregate = params["on"], params["hit"], params["aggregate"]
    domain: Interval | None = None if params["domain"] == "auto" else params["domain"]
    if on == "auto":
        on = "ratio"
    target, a = numeric_target(ctx)
    reverse = target.comparator in (Comparator.LE, Comparator.LT)
    percent: bool | None = None
    if on == "ratio":
        if a <= 0:
            raise ValueError(f"on = \"ratio\" tests B/A, which needs a target above 0, not {target}; "
                             "use on = \"actual\"")
        table = build_table(params["rows"], ctx.points, hit=hit, aggregate=aggregate,
                            domain=RATIO_DOMAIN if domain is None else domain)
    else:
        unit_name = target.quantity.unit if target.quantity is not None else ""
        unit = ctx.units.get(unit_name) if unit_name else None
        percent = None if not unit_name else unit is not None and unit.dimension == "percent"
        table = build_table(params["rows"], ctx.points, hit=hit, aggregate=aggregate,
                            domain=ACTUAL_DOMAIN if domain is None else domain,
                            percent=percent, unit=unit_name)
    return NumericTable(table, on, a, bool(percent), reverse)
