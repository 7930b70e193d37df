"""The scored columns added up and written out: subtotals, totals, grades, the result table.

`evalcore.table_scoring` scores each scheme row over its column; here the
subtotals and totals are added up as integers × 10**decimals (or by the
aggregator itself, project by project, when it is not a plain sum), each total
graded, and everything written as Arrow columns: decimal128 scores built from
the integers (no float on the way), findings and errors as list columns. A
project with a problem gets null scores and its problems, never an exception.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .column_scoring import CODES, Column, FindingBatch, RowJob
from .errors import PluginError, Problem
from .model import BUDGET_ID
from .numbers import ZERO, round_half_up
from .numbers import format_decimal as fmt
from .published import message_zh, total_at
from .results import Status
from .table_input import decimals_of

__all__ = ["assemble"]

_NA = CODES[Status.NOT_APPLICABLE]


def assemble(plan: Any, columns: Mapping[str, Any], n: int,
             scored: list[tuple[RowJob, Column]], places: Any, findings: bool = True) -> Any:
    """The result table: ``project``, ``total``, ``grade``, each row's score, the subtotals,
    ``findings`` (left out when ``findings`` is False: scores only) and ``errors``."""
    profile = plan.profile
    decimals = profile.decimals
    problems: dict[int, list[str]] = {}
    for _, column in scored:
        for row, text in column.problems:
            problems.setdefault(row, []).append(text)
    failed = np.zeros(n, dtype=bool)
    failed[list(problems)] = True
    groups = list(dict.fromkeys(job.compiled.group.name for job, _ in scored))
    group_zh = {job.compiled.group.name: job.compiled.group.zh for job, _ in scored}
    sub, sub_valid, total = _aggregate(plan, scored, groups, group_zh, n, failed, problems)
    total_valid = ~failed
    grades = _grades(profile, total, total_valid)
    out: dict[str, Any] = {"project": pc.cast(columns["project"], pa.string())}
    dtype = pa.decimal128(38, decimals)
    out["total"] = _decimal_array(total, total_valid, dtype)
    out["grade"] = grades
    for job, column in scored:
        ident = BUDGET_ID if job.funds else job.compiled.indicator.id
        out[ident] = _decimal_array(column.score, ~failed, dtype)  # not applicable: 0, as in a Row
    for name in groups:
        out[f"group.{name}"] = _decimal_array(sub[name], sub_valid[name] & ~failed, dtype)
    batches = [batch for _, column in scored for batch in column.findings]
    batches[:0] = [*(FindingBatch(np.arange(n), "scheme-warning", None, f.message_zh)
                     for f in plan.warning_findings),
                   *(FindingBatch(np.arange(n), f.code, f.indicator, f.message_zh)
                     for f in plan.reading_findings)]
    published = _published_total(plan, scored, columns, total, total_valid, n, problems, places,
                                 findings)
    failed[list(problems)] = True  # a published total that cannot be read
    if findings:
        out["findings"] = _findings([*batches, published], failed, n)
    out["errors"] = pa.array([problems.get(row, []) for row in range(n)], pa.list_(pa.string())) \
        if problems else _empty_lists(n, pa.string())
    if problems:  # a late problem (the published total) nulls its row too
        for name in ["total", *(BUDGET_ID if j.funds else j.compiled.indicator.id for j, _ in scored),
                     *(f"group.{g}" for g in groups)]:
            out[name] = pc.if_else(pa.array(failed), pa.nulls(n, out[name].type), out[name])
        out["grade"] = pc.if_else(pa.array(failed), pa.nulls(n, pa.string()), out["grade"])
    return pa.table(out)


def _aggregate(plan: Any, scored: list[tuple[RowJob, Column]], groups: list[str],
               group_zh: Mapping[str, str], n: int, failed: Any,
               problems: dict[int, list[str]]) -> tuple[dict[str, Any], dict[str, Any], Any]:
    """Each group's subtotal and the total, × 10**decimals, per project: integer sums for an
    additive aggregator, the aggregator itself project by project otherwise."""
    decimals = plan.profile.decimals
    sub = {g: np.zeros(n, np.int64) for g in groups}
    valid = {g: np.zeros(n, dtype=bool) for g in groups}
    for job, column in scored:  # a row not applicable to a project counts for nothing in it
        g = job.compiled.group.name
        counted = column.status != _NA
        sub[g] += column.score if counted.all() else np.where(counted, column.score, 0)
        valid[g] |= counted
    additive = plan.aggregator.additive and all(
        a.additive for a in plan.category_aggregators.values())
    if additive:  # a group with no row counted adds 0
        total = np.zeros(n, np.int64)
        for g in groups:
            total += sub[g]
        return sub, valid, total
    total = np.zeros(n, np.int64)
    for row in np.flatnonzero(~failed).tolist():
        try:
            got = _aggregate_one(plan, scored, row, decimals)
        except _Refused as exc:
            problems.setdefault(row, []).append(str(exc.problem))
            failed[row] = True
            continue
        for g in groups:
            if g in got[0]:
                sub[g][row] = got[0][g]
                valid[g][row] = True
            else:
                valid[g][row] = False
        total[row] = got[1]
    return sub, valid, total


class _Refused(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def _aggregate_one(plan: Any, scored: list[tuple[RowJob, Column]], row: int,
                   decimals: int) -> tuple[dict[str, int], int]:
    """One project's subtotals and total by the plan's aggregators (categories checked too,
    as `Plan.evaluate` computes them)."""
    items = []
    for job, column in scored:
        if column.status[row] == _NA:
            continue
        c = job.compiled
        score = Decimal(int(column.score[row])).scaleb(-decimals)
        items.append((c.group.name, c.group.zh, c.category.name, c.category.zh,
                      c.indicator.points, score))
    _subtotals([(c, cz, p, s) for _, _, c, cz, p, s in items],
               lambda name: plan.category_aggregators.get(name, plan.aggregator), decimals)
    groups = _subtotals([(g, gz, p, s) for g, gz, _, _, p, s in items], lambda _: plan.aggregator,
                        decimals)
    total = round_half_up(_run(plan.aggregator, [s for _, s, _ in groups], [p for _, _, p in groups],
                               "total", "total"), decimals)
    return ({name: int(s.scaleb(decimals)) for name, s, _ in groups}, int(total.scaleb(decimals)))


def _subtotals(items: Sequence[tuple[str, str, Decimal, Decimal]], how: Callable[[str], Any],
               decimals: int) -> list[tuple[str, Decimal, Decimal]]:
    order: dict[str, tuple[str, list[Decimal], list[Decimal]]] = {}
    for key, zh, points, score in items:
        entry = order.setdefault(key, (zh, [], []))
        entry[1].append(points)
        entry[2].append(score)
    out = []
    for key, (zh, all_points, scores) in order.items():
        total = _run(how(key), scores, all_points, key, zh)
        out.append((key, round_half_up(total, decimals), sum(all_points, ZERO)))
    return out


def _run(aggregator: Any, scores: list[Decimal], points: list[Decimal], key: str, zh: str) -> Decimal:
    try:
        total = aggregator.aggregate(scores, points)
    except (ValueError, ArithmeticError) as exc:
        raise _Refused(Problem(f"{zh} ({key}): aggregation {aggregator.name!r} cannot add up "
                               f"{', '.join(map(fmt, scores))}: {exc}")) from None
    if not isinstance(total, Decimal):
        raise PluginError([Problem(f"aggregation {aggregator.name!r} must return a Decimal, not "
                                   f"{total!r}")])
    return total


def _grades(profile: Any, total: Any, valid: Any) -> Any:
    """Each total's grade: the first whose minimum it reaches (half-open bands, exact)."""
    names = [g.name for g in profile.grades]
    which = np.full(len(total), len(names) - 1, np.int64)
    decided = np.zeros(len(total), dtype=bool)
    for k, grade in enumerate(profile.grades):
        # total/10**d >= minimum  <=>  total >= ceil(minimum × 10**d)
        need = -((-grade.minimum.scaleb(profile.decimals)).to_integral_value(rounding="ROUND_FLOOR"))
        hit = ~decided & (total >= int(need))
        which[hit] = k
        decided |= hit
    grades = pa.array(names, pa.string()).take(pa.array(which))
    if np.all(valid):
        return grades
    return pc.if_else(pa.array(valid), grades, pa.nulls(len(total), pa.string()))


def _empty_lists(n: int, kind: Any) -> Any:
    """``n`` empty lists of ``kind``, made from their offsets (all zero)."""
    return pa.ListArray.from_arrays(pa.array(np.zeros(n + 1, np.int32)), pa.array([], kind),
                                    type=pa.list_(kind))


def _totals_at(plan: Any, scored: list[tuple[RowJob, Column]], places: Any, total: Any) -> Any:
    """Each project's total as its published table adds it up (`evalcore.published.total_at`),
    × 10**decimals, for a plain sum (each counted row rounded half up to the table's precision,
    then added); None for another aggregator, which is asked project by project."""
    if not plan.aggregator.additive:
        return None
    decimals = plan.profile.decimals
    out = np.array(total, np.int64, copy=True)
    for p in np.unique(places[(places >= 0) & (places < decimals)]).tolist():
        q = 10 ** (decimals - p)
        rows = places == p
        added = np.zeros(len(out), np.int64)
        for _, column in scored:  # scores are never negative: floor division rounds half up
            added += np.where(column.status != _NA, (column.score + q // 2) // q * q, 0)
        out[rows] = added[rows]
    return out


def _published_total(plan: Any, scored: list[tuple[RowJob, Column]], columns: Mapping[str, Any],
                     total: Any, valid: Any, n: int, problems: dict[int, list[str]],
                     places: Any, compared: bool = True) -> FindingBatch:
    """The published-differs findings of the published totals, each compared with the total
    its table's precision gives (`evalcore.published.total_at`); one that cannot be read is a
    problem of its project, compared or not (``compared`` False: scores only)."""
    decimals = plan.profile.decimals
    rows, messages = [], []
    totals_at = _totals_at(plan, scored, places, total) \
        if compared and "published_total" in columns else None
    if "published_total" in columns:
        found: list[tuple[int, str]] = []
        published = decimals_of(columns, "published_total", n, found)
        for row, text in found:
            problems.setdefault(row, []).append(text)
        for row in np.flatnonzero(valid if compared else np.zeros(n, dtype=bool)).tolist():
            value = published[row]
            if value is None:
                continue
            computed = Decimal(int(total[row])).scaleb(-decimals)
            at = Decimal(int(totals_at[row])).scaleb(-decimals) if totals_at is not None else \
                total_at(plan.aggregator, [
                    (job.compiled.group.name, job.compiled.indicator.points,
                     Decimal(int(column.score[row])).scaleb(-decimals))
                    for job, column in scored if column.status[row] != _NA],
                    int(places[row]) if places[row] >= 0 else None, decimals, computed)
            if value != at:
                rows.append(row)
                messages.append(message_zh(None, value, computed, at))
    return FindingBatch(np.array(rows, np.int64), "published-differs", None, messages)


def _decimal_array(values: Any, valid: Any, dtype: Any) -> Any:
    """int64 values × 10**scale as a decimal128 array (exact: no float on the way), null where
    not ``valid``. Its buffers are written directly: the low word the value, the high word its
    sign (little-endian two's complement, 128 bits); the validity bitmap packed by numpy, or
    none when every value is valid."""
    values = np.asarray(values, dtype=np.int64)
    n = len(values)
    # In Arrow's memory pool, which keeps its pages: a table of scores is 16 bytes a cell,
    # and fresh pages from the system for each column cost more than writing them.
    buffer = pa.allocate_buffer(16 * n)
    words = np.frombuffer(buffer, dtype=np.int64).reshape(n, 2)
    words[:, 0] = values
    words[:, 1] = (values >> 63) if n and values.min() < 0 else 0  # scores are never negative
    valid = np.asarray(valid, dtype=bool)
    missing = n - int(np.count_nonzero(valid))
    mask = pa.py_buffer(np.packbits(valid, bitorder="little")) if missing else None
    return pa.Array.from_buffers(dtype, n, [mask, buffer], null_count=missing)


_TEXT = pa.dictionary(pa.int32(), pa.string())
_FINDING = pa.struct([("code", _TEXT), ("indicator", _TEXT), ("message", _TEXT)])
"""A finding in the result table: its three texts dictionary-encoded (a portfolio repeats
the same codes, ids and most messages), read as plain strings by ``to_pylist``, pandas,
Parquet and every output of `evalcore.batch_output`."""


_NULL = np.iinfo(np.int32).min  # the text id of a finding without an indicator


def _findings(batches: list[FindingBatch], failed: Any, n: int) -> Any:
    """The findings as list<struct<code, indicator, message>> per project, in report order;
    none for a project that could not be scored.

    Each text is an index into one table of distinct texts (the batches' messages that come
    as Arrow arrays after them), so the struct's fields are dictionary arrays over that table:
    no text is copied per finding. Each finding's place is found without sorting: the
    batches come in report order and a batch names its projects in increasing order (so
    each once), so a batch's findings go to the next free place of their projects (checked;
    a sort otherwise)."""
    texts: dict[str, int] = {}
    rows, codes, inds, msgs = [], [], [], []
    written: list[Any] = []  # messages that come as Arrow arrays, after ``texts`` in the table
    extra = 0

    def text(value: str | None) -> int:  # no indicator (a scheme's finding): a null
        return _NULL if value is None else texts.setdefault(value, len(texts))

    for batch in batches:
        k = len(batch.rows)
        if not k:
            continue
        rows.append(np.asarray(batch.rows, np.int64))
        codes.append((k, text(batch.code)))
        inds.append((k, text(batch.indicator)))
        if isinstance(batch.messages, str):
            msgs.append(np.full(k, text(batch.messages), np.int32))
        elif isinstance(batch.messages, pa.Array):  # ids counted from the end of ``texts``
            ids = -1 - (extra + np.arange(len(batch.messages), dtype=np.int32))
            msgs.append(ids if batch.pick is None else ids[np.asarray(batch.pick, np.int64)])
            written.append(batch.messages)
            extra += len(batch.messages)
        elif batch.pick is not None:
            ids = np.array([text(m) for m in batch.messages], np.int32)
            msgs.append(ids[np.asarray(batch.pick, np.int64)])
        else:
            msgs.append(np.array([text(m) for m in batch.messages], np.int32))
    if not rows:
        return _empty_lists(n, _FINDING)
    failed = np.asarray(failed, dtype=bool)
    row = np.concatenate(rows)
    counts = np.bincount(row, minlength=n)
    counts[failed] = 0
    offsets = np.zeros(n + 1, np.int64)
    np.cumsum(counts, out=offsets[1:])
    place = _places(rows, offsets, failed)
    if place is None:  # a batch out of order: the stable sort decides
        keep = ~failed[row]
        place = np.full(len(row), -1, np.int64)
        place[np.flatnonzero(keep)[np.argsort(row[keep], kind="stable")]] = \
            np.arange(int(offsets[-1]))
    keep = place >= 0
    where = place[keep]
    size = int(offsets[-1])
    dictionary = pa.concat_arrays([pa.array(list(texts), pa.string()),
                                   *(m.cast(pa.string()) for m in written)])
    ids = np.concatenate(msgs)
    ids = np.where(ids < 0, len(texts) - 1 - ids, ids)

    def field(values: Any) -> Any:
        out = np.empty(size, np.int32)
        out[where] = values[keep]
        null = out == _NULL
        return pa.DictionaryArray.from_arrays(
            pa.array(out, mask=null) if null.any() else pa.array(out), dictionary)

    def repeated(parts: list[tuple[int, int]]) -> Any:
        return np.repeat(np.array([i for _, i in parts], np.int32), [k for k, _ in parts])

    struct = pa.StructArray.from_arrays([field(repeated(codes)), field(repeated(inds)), field(ids)],
                                        fields=list(_FINDING))
    return pa.ListArray.from_arrays(pa.array(offsets.astype(np.int32)), struct,
                                    type=pa.list_(_FINDING))


def _places(rows: list[Any], offsets: Any, failed: Any) -> Any:
    """Each finding's place in the flattened list column (-1: its project failed), batch by
    batch in report order, each at its project's next free place; None when some batch does
    not name its projects in increasing order (then one may come twice, and places collide)."""
    cursor = offsets[:-1].copy()
    places = []
    some_failed = bool(failed.any())
    for batch in rows:
        if len(batch) > 1 and not (batch[1:] > batch[:-1]).all():
            return None
        at = cursor[batch]
        cursor[batch] += 1
        places.append(np.where(failed[batch], -1, at) if some_failed else at)
    return np.concatenate(places)
