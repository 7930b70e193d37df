"""A checked table of projects scored column by column: each indicator's, and the funds row's.

`evalcore.columnar` checks the input and calls `score_table`; each scheme row
is scored over its column (with `evalcore.column_scoring`: distinct values,
kernels, scorers), its companions read by `evalcore.table_input`, and
`evalcore.table_output` adds the columns up and writes the result table.
Nothing here raises for a project's own mistake: it becomes that project's
``errors``.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .column_scoring import (
    CODES,
    ERROR,
    Column,
    Distinct,
    FindingBatch,
    Result,
    RowJob,
    exact_numbers,
    origin_of,
    overachievement_parts,
    parse_distinct,
    rule_findings,
    run_scorer,
    score_distinct,
    score_kernel,
)
from .errors import NOWHERE, Problem, hint_of
from .kernels import product, scaled_integer
from .model import BUDGET_ID
from .numbers import format_decimal as fmt
from .numbers import format_percent, to_decimal
from .params import bind_params
from .published import compare, message_zh, places_of
from .quantities import Value
from .reading import signed_actual_messages
from .registrations import Observation, RuleContext
from .results import Status
from .table_input import decimals_of, encode_dictionary, encoded, no_reason
from .table_output import assemble
from .table_text import format_scaled, percent_strings
from .word_scoring import score_words

__all__ = ["prepared", "score_table"]

_MISSING, _NA = CODES[Status.MISSING], CODES[Status.NOT_APPLICABLE]
_SHORT = (CODES[Status.PARTLY_MET], CODES[Status.MISSED])


def score_table(plan: Any, data: Any, findings: bool = True) -> Any:
    """The result table of ``data`` (checked by `evalcore.columnar`) under ``plan``; without
    ``findings``, scores only: no finding is looked for (no reason read, no message written,
    no published score compared), the problems that stop a project still are."""
    n = data.num_rows
    columns = {name: _one_chunk(data.column(name)) for name in data.column_names}
    jobs = prepared(plan)
    places = published_places(columns, n) if findings else np.full(n, -1, np.int64)
    scored: list[tuple[RowJob, Column]] = []
    if plan.budget is not None:
        job = jobs[0]
        scored.append((job, _budget_column(job, plan, columns, n, places, findings)))
        jobs = jobs[1:]
    funds = _funds_figures(plan, columns, n) if plan._reads_funds else None
    for job in jobs:
        if funds is not None and job.compiled.applicable and job.compiled.rule.input == "funds":
            scored.append((job, _funds_rate_column(job, plan, columns, n, places, findings, funds)))
        else:
            scored.append((job, _indicator_column(job, plan, columns, n, places, findings)))
    return assemble(plan, columns, n, scored, places, findings)


def published_places(columns: Mapping[str, Any], n: int) -> Any:
    """Each project's published precision (`evalcore.published.places_of`) over its published
    scores, the rows', the funds row's and the total's, as an int64 array (-1: nothing
    published). Each distinct value of a column is read once; a value that cannot be read
    counts for nothing here (it is reported where its row's scores are compared)."""
    places = np.full(n, -1, np.int64)
    for name in columns:
        if not (name.endswith(".published") or name == "published_total"):
            continue
        indices, distinct = encoded(columns[name])
        found = []
        for value in distinct:
            try:
                found.append(places_of([to_decimal(value)]))
            except ValueError:
                found.append(None)
        per_value = np.array([-1 if p is None else p for p in found] + [-1], np.int64)
        places = np.maximum(places, per_value[indices])  # -1 (null) takes the spare last entry
    return places


def _one_chunk(column: Any) -> Any:
    """A column as one array (copied only when it comes in several chunks)."""
    return column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()


# -- the jobs: each row's context and kernel, as the compiler made its scorer -------------------


_PREPARED: dict[int, tuple[weakref.ref[Any], list[RowJob]]] = {}


def prepared(plan: Any) -> list[RowJob]:
    """The jobs of ``plan``, made once per plan (a batch scores it table after table): kept
    while the plan lives, as immutable as the plan (pure kernels, frozen contexts)."""
    found = _PREPARED.get(id(plan))
    if found is not None and found[0]() is plan:
        return found[1]
    jobs = _jobs(plan)
    key = id(plan)
    _PREPARED[key] = (weakref.ref(plan), jobs)
    weakref.finalize(plan, _PREPARED.pop, key, None)
    return jobs


def _jobs(plan: Any) -> list[RowJob]:
    profile, registry = plan.profile, plan.registry
    cache: dict[str, Mapping[str, Any]] = {}

    def settings(rule: str) -> Mapping[str, Any]:
        if rule not in cache:
            cache[rule] = bind_params(registry.rule(rule).params, profile.rules.get(rule, {}),
                                      NOWHERE, f"rule {rule!r}")[0]
        return cache[rule]

    functions = registry.formula_functions()
    scale = 10 ** profile.decimals
    rows = ([plan.budget] if plan.budget is not None else []) + list(plan.rows)
    jobs = []
    for compiled in rows:
        ind = compiled.indicator
        context = RuleContext(ind, compiled.category, compiled.target, ind.points, profile,
                              registry.units, settings, compiled.target_text, functions)
        kernel = word_kernel = None
        if compiled.scorer is not None and compiled.rule.kernel is not None:
            kernel = compiled.rule.kernel(compiled.params, context)
        if compiled.scorer is not None and compiled.rule.word_kernel is not None:
            word_kernel = compiled.rule.word_kernel(compiled.params, context)
        points = scaled_integer(ind.points, profile.decimals)
        assert points is not None  # the compiler checked the points fit the decimals
        funds = compiled is plan.budget
        jobs.append(RowJob(compiled, context, kernel, profile.decimals, scale, points,
                           Decimal(1) if funds else profile.overachievement,
                           profile.reason_required, funds, word_kernel))
    return jobs


def _plugin(plan: Any, job: RowJob) -> str:
    entry = plan.registry.rules.get(job.compiled.rule.name)
    return entry.plugin if entry is not None else "?"


# -- an indicator's column -----------------------------------------------------------------------


def _indicator_column(job: RowJob, plan: Any, columns: Mapping[str, Any], n: int,
                      places: Any, findings: bool) -> Column:
    ind = job.compiled.indicator
    ident, name = ind.id, ind.name
    column = Column(np.zeros(n, np.int64), np.full(n, _MISSING, np.int8), keep=findings)
    values = columns.get(ident)
    exact = None
    if values is not None:
        indices, dictionary = encode_dictionary(values)
        distinct = dictionary.to_pylist()
        if job.kernel is not None:
            exact = exact_numbers(pa, dictionary)
    else:
        indices, distinct = np.full(n, -1, np.int64), []
    present = indices >= 0
    if not job.compiled.applicable:
        column.status[:] = _NA
        rows = np.flatnonzero(present)
        if findings:
            column.findings.append(FindingBatch(rows, "ignored-actual", ident, [
                f"{name}：本项不适用，其实际完成值“{distinct[i]}”不计分"
                for i in indices[rows].tolist()]))
        return column
    yearly = job.compiled.target is not None and job.compiled.target.period is not None
    if f"{ident}.assessed" not in columns and not yearly:
        _plain_column(job, plan, column, indices, distinct, exact)
        if findings:
            _indicator_findings(job, columns, column, n, places)
        else:
            _published_problems(columns, f"{ident}.published", column, n)
        return column
    assessed = decimals_of(columns, f"{ident}.assessed", n, column.problems)
    has_assessed = assessed.present
    missing = ~present & ~has_assessed
    column.findings.append(FindingBatch(np.flatnonzero(missing), "missing-actual", ident,
                                        f"{name}：缺少实际完成值，按0分计"))
    plain = present & ~has_assessed
    todo = has_assessed  # the rows with an assessed score left to the scorer
    scores = Distinct.empty(n)  # per row
    needed = np.zeros(len(distinct) + 1, dtype=bool)
    needed[indices[plain | has_assessed]] = True  # -1 (no value) marks the spare last entry
    parsed = parse_distinct(job, distinct, needed[:-1], exact)
    if yearly:  # a deadline without its year (年底前): each row read in its project's year
        _score_yearly(job, plan, indices, parsed, years_of(columns, n), plain, scores)
        plain = np.zeros(n, dtype=bool)
    elif job.word_kernel is not None:  # words and assessed scores: a lookup, not a scorer each
        done = score_words(job, parsed, indices, assessed, plain | has_assessed, scores)
        plain &= ~done
        todo = has_assessed & ~done
    if plain.any():
        used = np.zeros(len(distinct), dtype=bool)
        used[indices[plain]] = True
        got = score_distinct(job, parsed, distinct, _plugin(plan, job), used, findings)
        at = indices[plain]
        rows = np.flatnonzero(plain)
        scores.status[rows], scores.score[rows] = got.status[at], got.score[at]
        scores.above[rows] = got.above[at]
        scores.ratio_num[rows], scores.ratio_den[rows] = got.ratio_num[at], got.ratio_den[at]
        if got.ratios or got.problems or got.findings:
            for row, k in zip(rows.tolist(), at.tolist(), strict=True):
                if k in got.ratios:
                    scores.ratios[row] = got.ratios[k]
                if k in got.problems:
                    scores.problems[row] = got.problems[k]
                if k in got.findings:
                    scores.findings[row] = got.findings[k]
    _score_assessed(job, plan, indices, parsed, distinct, assessed, todo, scores)
    scored = present | has_assessed
    column.status[scored], column.score[scored] = scores.status[scored], scores.score[scored]
    for row, problem in scores.problems.items():
        column.problems.append((row, str(attrs.evolve(problem, origin=origin_of(row, ident)))))
    ok = column.status != ERROR
    if not findings:
        _published_problems(columns, f"{ident}.published", column, n)
        return column
    if scores.findings:  # by row here: the rows' entries, not the distinct values'
        rule_findings(job, column, scores.findings, lambda row: np.array([row], np.int64))
    _signed_actuals(job, column, indices, parsed, ok & scored)
    over = np.flatnonzero(scores.above & ok)
    if len(over) and job.overachievement is not None:
        _overachieved(job, column, over, *scores.percents(over, 1))
    _indicator_findings(job, columns, column, n, places)
    return column


def _plain_column(job: RowJob, plan: Any, column: Column, indices: Any, distinct: list[object],
                  exact: Any) -> None:
    """A column without assessed scores: each distinct value (``distinct``, the column's own
    dictionary, so each occurs in some row) scored once, and the rows read from them (a spare
    last entry stands for the null rows: missing)."""
    ident, name = job.compiled.indicator.id, job.compiled.indicator.name
    present = indices >= 0
    column.findings.append(FindingBatch(np.flatnonzero(~present), "missing-actual", ident,
                                        f"{name}：缺少实际完成值，按0分计"))
    used = np.ones(len(distinct), dtype=bool)  # a dictionary of the column: each value occurs
    parsed = parse_distinct(job, distinct, used, exact)
    got = score_distinct(job, parsed, distinct, _plugin(plan, job), used, column.keep)
    column.status = np.append(got.status, np.int8(_MISSING))[indices]
    column.score = np.append(got.score, 0)[indices]
    if got.problems:
        for row in np.flatnonzero(column.status == ERROR).tolist():
            problem = got.problems.get(int(indices[row]))
            if problem is not None:
                column.problems.append((row, str(attrs.evolve(problem, origin=origin_of(row, ident)))))
    if not column.keep:
        return
    _signed_actuals(job, column, indices, parsed, column.status != ERROR)
    if got.findings:
        rule_findings(job, column, got.findings, lambda i: np.flatnonzero(indices == i))
    if job.overachievement is not None and got.above.any():
        over = np.flatnonzero(np.append(got.above, False)[indices] & (column.status != ERROR))
        # Worded once per distinct actual value over the target, each row pointing at its own.
        flagged = np.flatnonzero(got.above)
        units, others, pick = got.percents(flagged, 1)
        of_value = np.zeros(len(got.above), np.int64)
        of_value[flagged] = pick
        _overachieved(job, column, over, units, others, of_value[indices[over]])


def _overachieved(job: RowJob, column: Column, rows: Any, units: Any, others: list[str],
                  pick: Any) -> None:
    """The over-achievement findings of ``rows``, each message written once per distinct
    percentage (`Distinct.percents`), by Arrow."""
    assert job.overachievement is not None
    head, tail = overachievement_parts(job.compiled.indicator.name, job.overachievement)
    messages = pc.binary_join_element_wise(head, percent_strings(units, 1, others), tail, "")
    column.findings.append(FindingBatch(rows, "overachievement", job.compiled.indicator.id,
                                        messages, pick))


def _signed_actuals(job: RowJob, column: Column, indices: Any, parsed: Any, rows: Any) -> None:
    """The signed-actual findings of the ``rows`` whose actual value carries a comparison sign
    ("≥90%"), as the Decimal path reports them."""
    ind = job.compiled.indicator
    signed = {i: v for i, v in enumerate(parsed.values) if v is not None and v.comparator is not None}
    if not signed:
        return
    at = np.flatnonzero(rows & np.isin(indices, list(signed)))
    if len(at):
        column.findings.append(FindingBatch(at, "signed-actual", ind.id, [
            signed_actual_messages(ind.id, ind.name, signed[int(indices[row])])[1]
            for row in at.tolist()]))


def years_of(columns: Mapping[str, Any], n: int) -> list[int | Problem | None]:
    """The ``year`` column (each project's year, as [project] year) per row: None where it is
    left out or empty, the row's problem where it is not a year."""
    if "year" not in columns:
        return [None] * n
    years: list[int | Problem | None] = []
    for value in columns["year"].to_pylist():
        try:
            number = None if value is None else to_decimal(value)
        except ValueError:
            number = Decimal(-1)
        if number is not None and (number != number.to_integral_value()
                                   or not 1949 <= number <= 2200):
            years.append(Problem(f"year must be a four-digit year, not {value!r}", NOWHERE))
        else:
            years.append(None if number is None else int(number))
    return years


def _score_yearly(job: RowJob, plan: Any, indices: Any, parsed: Any,
                  years: Sequence[int | Problem | None], rows: Any, out: Distinct) -> None:
    """The ``rows`` of a row whose target is a period without its year: by the scorer, once
    per distinct (value, year)."""
    seen: dict[tuple[int, int | None], Any] = {}
    for row in np.flatnonzero(rows).tolist():
        year = years[row]
        if isinstance(year, Problem):
            out.take(row, Result(ERROR, problem=year), job.overachievement, None)
            continue
        key = (int(indices[row]), year)
        if key not in seen:
            value, problem = parsed.get(key[0])
            if problem is not None:
                seen[key] = Result(ERROR, problem=problem)
            else:
                assert value is not None
                seen[key] = run_scorer(job, Observation(value, year=key[1]), None,
                                       _plugin(plan, job))
        out.take(row, seen[key], job.overachievement, None)


def _score_assessed(job: RowJob, plan: Any, indices: Any, parsed: Any, distinct: list[object],
                    assessed: Sequence[Decimal | None], has_assessed: Any, out: Distinct) -> None:
    """The rows with an assessed score: by the scorer, once per distinct (value, score)."""
    seen: dict[tuple[int, Decimal], Any] = {}
    for row in np.flatnonzero(has_assessed).tolist():
        i, score = int(indices[row]), assessed[row]
        assert score is not None
        key = (i, score)
        if key not in seen:
            value, problem = parsed.get(i) if i >= 0 else (Value(""), None)
            if problem is not None:
                seen[key] = Result(ERROR, problem=problem)
            else:
                assert value is not None
                seen[key] = run_scorer(job, Observation(value, score), None, _plugin(plan, job))
        out.take(row, seen[key], job.overachievement, None)


def _indicator_findings(job: RowJob, columns: Mapping[str, Any], column: Column, n: int,
                        places: Any) -> None:
    """A shortfall without a reason, a published score that differs: after over-achievement,
    in the order the Decimal path reports them."""
    ind = job.compiled.indicator
    ok = column.status != ERROR
    if job.reason_required:
        short = (column.status == _SHORT[0]) | (column.status == _SHORT[1])
        short = no_reason(columns, f"{ind.id}.reason", short)
        column.findings.append(FindingBatch(np.flatnonzero(short), "missing-reason", ind.id,
                                            f"{ind.name}：未完成目标，但未填写偏差原因分析及改进措施"))
    _published(job, columns, f"{ind.id}.published", column, ok & (column.status != _NA),
               ind.name, ind.id, n, places)


def _published_problems(columns: Mapping[str, Any], name: str, column: Column, n: int) -> None:
    """Scores only: a published score that cannot be read still stops its project (as when its
    findings are looked for), though it is compared with nothing."""
    if name in columns:
        decimals_of(columns, name, n, column.problems)


def _published(job: RowJob, columns: Mapping[str, Any], name: str, column: Column, ok: Any,
               shown: str, ident: str, n: int, places: Any) -> None:
    """The published-differs findings of a row's published scores, each compared at its
    table's precision (`evalcore.published`)."""
    if name not in columns:
        return
    published = decimals_of(columns, name, n, column.problems)
    rows, messages = [], []
    # A portfolio repeats the same published score, score and precision: each is worded once
    # (None: they agree). The key holds the value's text, so 9 and 9.0 stay apart.
    seen: dict[tuple[str, int, int], str | None] = {}
    for row in np.flatnonzero(ok).tolist():
        value = published[row]
        if value is None:
            continue
        key = (str(value), int(column.score[row]), int(places[row]))
        if key not in seen:
            score = Decimal(key[1]).scaleb(-job.decimals)
            at, _ = compare(value, score, key[2] if key[2] >= 0 else None, job.decimals)
            seen[key] = None if value == at else message_zh(shown, value, score, at)
        message = seen[key]
        if message is not None:
            rows.append(row)
            messages.append(message)
    column.findings.append(FindingBatch(np.array(rows, np.int64), "published-differs", ident, messages))


# -- rows scored from the funds block (资金到位率, 预算执行率 …: rule input "funds") --------------


_FUNDS = ("planned", "executed", "received")


@attrs.frozen
class _FundsFigures:
    """Each project's [budget] planned, executed and received, as the rows scored from the
    funds block read them: the Decimals (None: not given), the rows that give none of them (no
    [budget]: each such row scores 0, missing) and the problems of figures that cannot be read
    (each once, given to the first such row's column)."""

    values: dict[str, list[Decimal | None]]
    absent: Any
    unreadable: Any  # a figure given that cannot be read: the project's problem, not scored
    problems: list[tuple[int, str]]


def _funds_figures(plan: Any, columns: Mapping[str, Any], n: int) -> _FundsFigures:
    """The funds figures of every project; a figure the funds row reads too is reported by it
    (`_budget_column`), not again here."""
    values: dict[str, list[Decimal | None]] = {}
    absent, unreadable = np.ones(n, dtype=bool), np.zeros(n, dtype=bool)
    problems: list[tuple[int, str]] = []
    for key in _FUNDS:
        name = f"budget_{key}"
        if name not in columns:
            values[key] = [None] * n
            continue
        reported = plan.budget is not None and key != "received"
        found = _figures(columns, name, np.ones(n, dtype=bool), [] if reported else problems)
        absent &= ~found.present
        unreadable |= found.unreadable
        values[key] = [None if not found.present[row] or found.unreadable[row]
                       else found.value(row) for row in range(n)]
    return _FundsFigures(values, absent, unreadable, problems)


def _funds_rate_column(job: RowJob, plan: Any, columns: Mapping[str, Any], n: int, places: Any,
                       findings: bool, funds: _FundsFigures) -> Column:
    """A row whose rule reads the funds block, project by project as `Plan.evaluate` scores it
    (once per distinct set of figures): no figures, it scores 0 (missing); figures, its rule
    scores them; its own actual value, if the table gives one, is refused, not silently unused."""
    ind = job.compiled.indicator
    column = Column(np.zeros(n, np.int64), np.full(n, _MISSING, np.int8), keep=findings)
    column.problems.extend(funds.problems)
    funds.problems.clear()  # each once: the next such row reports none
    given = np.zeros(n, dtype=bool)  # its own actual value or assessed score
    for name in (ind.id, f"{ind.id}.assessed"):
        if name in columns:
            given |= np.asarray(columns[name].is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    for row in np.flatnonzero(given).tolist():
        column.problems.append((row, str(Problem(
            f"rule {job.compiled.rule.name!r} scores this row from the funds block ([budget]); "
            "its own actual value is not used", origin_of(row, ind.id),
            "leave out actual (and extra, assessed) for this row; give the amounts in [budget]"))))
    failed = given | funds.unreadable
    missing = funds.absent & ~failed
    column.findings.append(FindingBatch(np.flatnonzero(missing), "missing-actual", ind.id,
                                        f"{ind.name}：缺少资金数据（[budget]），按0分计"))
    scores = Distinct.empty(n)
    seen: dict[tuple[Decimal | None, ...], Result] = {}
    unit = plan.profile.budget_unit
    for row in np.flatnonzero(~funds.absent & ~failed).tolist():
        key = tuple(funds.values[k][row] for k in _FUNDS)
        if key not in seen:
            extra = {**dict(zip(_FUNDS, key, strict=True)), "unit": unit}
            seen[key] = run_scorer(job, Observation(Value(""), None, extra), None, _plugin(plan, job))
        scores.take(row, seen[key], None, None)
    scored = ~funds.absent & ~failed
    column.status[scored], column.score[scored] = scores.status[scored], scores.score[scored]
    column.status[failed] = ERROR
    for row, problem in scores.problems.items():
        column.problems.append((row, str(attrs.evolve(problem, origin=origin_of(row, "budget")))))
    if not findings:
        _published_problems(columns, f"{ind.id}.published", column, n)
        return column
    if scores.findings:
        rule_findings(job, column, scores.findings, lambda row: np.array([row], np.int64))
    if job.reason_required:
        short = (column.status == _SHORT[0]) | (column.status == _SHORT[1])
        column.findings.append(FindingBatch(
            np.flatnonzero(no_reason(columns, f"{ind.id}.reason", short)), "missing-reason", ind.id,
            f"{ind.name}：未完成目标，但未填写偏差原因分析及改进措施"))
    _published(job, columns, f"{ind.id}.published", column, scored & (column.status != ERROR),
               ind.name, ind.id, n, places)
    return column


# -- the funds row -------------------------------------------------------------------------------


class _Figures:
    """A column of amounts, read once per distinct value where needed: which rows hold one
    (``present``), each row's index into ``distinct`` (-1: null; encoded when first asked:
    a column read exactly as integers never is), the Decimals read so far, and the rows that
    could not be read."""

    def __init__(self, column: Any, unreadable: Any, values: dict[int, Decimal],
                 encoding: tuple[Any, list[object]] | None = None) -> None:
        self.column, self.unreadable, self.values = column, unreadable, values
        self.present = np.asarray(column.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
        self._encoding = encoding

    @property
    def indices(self) -> Any:
        return self._encoded()[0]

    @property
    def distinct(self) -> list[object]:
        return self._encoded()[1]

    def _encoded(self) -> tuple[Any, list[object]]:
        if self._encoding is None:
            self._encoding = encoded(self.column)
        return self._encoding

    def value(self, row: int) -> Decimal:
        i = int(self.indices[row])
        if i not in self.values:
            self.values[i] = to_decimal(self.distinct[i])
        return self.values[i]


def _figures(columns: Mapping[str, Any], name: str, needed: Any,
             problems: list[tuple[int, str]]) -> _Figures:
    """The figures of column ``name``, those of the rows ``needed`` read (and checked) now."""
    column = columns[name]
    if not (needed & np.asarray(column.is_valid().to_numpy(zero_copy_only=False), dtype=bool)).any():
        return _Figures(column, np.zeros(len(column), dtype=bool), {})
    indices, distinct = encoded(column)
    want = np.zeros(len(distinct) + 1, dtype=bool)
    want[indices[needed]] = True
    values: dict[int, Decimal] = {}
    refused: dict[int, Problem] = {}
    for i in np.flatnonzero(want[:-1]).tolist():
        try:
            values[i] = to_decimal(distinct[i])
        except ValueError as exc:
            refused[i] = Problem(str(exc), NOWHERE, hint_of(exc))
    bad = np.zeros(len(distinct) + 1, dtype=bool)
    bad[list(refused)] = True
    unreadable = bad[indices]
    for row in np.flatnonzero(unreadable).tolist():
        problem = refused[int(indices[row])]
        problems.append((row, str(attrs.evolve(problem, origin=origin_of(row, name)))))
    return _Figures(column, unreadable, values, (indices, distinct))


def _exact_figures(columns: Mapping[str, Any], n: int) -> tuple[Any, Any, Any, int]:
    """Planned and executed as int64 on one scale straight from numeric columns, and the rows
    where both were read exactly (none when a column is not numeric)."""
    planned = exact_numbers(pa, columns["budget_planned"])
    executed = exact_numbers(pa, columns["budget_executed"])
    if planned is None or executed is None:
        zeros = np.zeros(n, np.int64)
        return zeros, zeros, np.zeros(n, dtype=bool), 0
    scale = max(planned[2], executed[2])
    p, p_over = product(planned[0], 10 ** (scale - planned[2]))
    e, e_over = product(executed[0], 10 ** (scale - executed[2]))
    return p, e, planned[1] & executed[1] & ~p_over & ~e_over, scale


def _budget_column(job: RowJob, plan: Any, columns: Mapping[str, Any], n: int,
                   places: Any, findings: bool) -> Column:
    zh = job.compiled.category.zh
    column = Column(np.zeros(n, np.int64), np.full(n, _MISSING, np.int8), keep=findings)
    p_int, e_int, exact, scale = _exact_figures(columns, n)
    planned = _figures(columns, "budget_planned", ~exact, column.problems)
    executed = _figures(columns, "budget_executed", ~exact, column.problems)
    unreadable = planned.unreadable | executed.unreadable
    both = planned.present & executed.present & ~unreadable
    missing = ~both & ~unreadable
    column.findings.append(FindingBatch(np.flatnonzero(missing), "missing-actual", BUDGET_ID,
                                        f"{zh}：缺少全年预算数或全年执行数，按0分计"))
    column.status[unreadable] = ERROR
    scores = Distinct.empty(n)
    # The ratios that findings are about (overspent, below the bar): not looked for scores only.
    high, below = (Decimal(1), plan.profile.reason_budget_below) if findings else (None, None)
    todo = np.flatnonzero(both)
    if job.kernel is not None and len(todo):
        fast = np.flatnonzero(both & exact)
        left = np.flatnonzero(both & ~exact)
        if len(fast):
            fallback = score_kernel(job, e_int[fast], scale, {"planned": p_int[fast],
                                    "executed": e_int[fast]}, scores, fast, high, below)
            left = np.concatenate([left, fast[fallback]])
        todo = _budget_kernel(job, planned, executed, left, scores, high, below) \
            if len(left) else left
    unit = plan.profile.budget_unit

    def amounts(row: int) -> tuple[Decimal, Decimal]:
        return planned.value(row), executed.value(row)

    for row in todo.tolist():
        p, e = amounts(row)
        extra = {"planned": p, "executed": e, "unit": unit}
        result = run_scorer(job, Observation(Value(f"{fmt(e)}/{fmt(p)}"), None, extra), None,
                            _plugin(plan, job))
        scores.take(row, result, high, below)
    column.status[both], column.score[both] = scores.status[both], scores.score[both]
    for row, problem in scores.problems.items():
        column.problems.append((row, str(attrs.evolve(problem, origin=origin_of(row, BUDGET_ID)))))
    if not findings:
        _published_problems(columns, "budget.published", column, n)
        return column
    below = plan.profile.reason_budget_below
    ok = column.status != ERROR
    _published(job, columns, "budget.published", column, ok, zh, BUDGET_ID, n, places)
    over = np.flatnonzero(scores.above & ok)
    percents = scores.percents(over, 2)
    strings = percent_strings(percents[0], 2, percents[1])
    pick = percents[2]
    fast = exact[over]  # figures read exactly as integers: their messages written by Arrow
    texts = strings.to_pylist() if not fast.all() else []
    if fast.any():
        percent = strings.take(pa.array(pick[fast]))
        column.findings.append(FindingBatch(over[fast], "overspent", BUDGET_ID, pc.binary_join_element_wise(
            f"{zh}：全年执行数", format_scaled(e_int[over[fast]], scale), "超过全年预算数",
            format_scaled(p_int[over[fast]], scale), "（", percent, "），超支不加分，请核实", "")))
    column.findings.append(FindingBatch(over[~fast], "overspent", BUDGET_ID, [
        f"{zh}：全年执行数{fmt(amounts(r)[1])}超过全年预算数{fmt(amounts(r)[0])}（{texts[k]}），"
        "超支不加分，请核实" for r, k in zip(over[~fast].tolist(), pick[~fast].tolist(), strict=True)]))
    if job.reason_required:
        low = np.flatnonzero(no_reason(columns, "budget.reason", scores.below & ok))
        units, others, pick = scores.percents(low, 2)
        messages = pc.binary_join_element_wise(
            zh, percent_strings(units, 2, others), f"，低于{format_percent(below)}，但未填写原因", "")
        column.findings.append(FindingBatch(low, "missing-reason", BUDGET_ID, messages, pick))
    return column


def _budget_kernel(job: RowJob, planned: _Figures, executed: _Figures, todo: Any, scores: Distinct,
                   high: Decimal | None, below: Decimal | None) -> Any:
    """Score the rows ``todo`` whose figures fit int64 with the funds kernel; the rows left."""
    p_idx, e_idx = planned.indices[todo], executed.indices[todo]
    used = [(planned, np.unique(p_idx)), (executed, np.unique(e_idx))]
    places = [max(0, -int(f.values[i].as_tuple().exponent)) for f, ids in used
              for i in ids.tolist() if i in f.values]
    scale = min(max(places, default=0), 9)
    ints = []
    for figures, ids in used:
        size = len(figures.distinct) + 1
        values, fits = np.zeros(size, np.int64), np.zeros(size, dtype=bool)
        for i in ids.tolist():
            v = scaled_integer(figures.values[i], scale) if i in figures.values else None
            if v is not None:
                values[i], fits[i] = v, True
        ints.append((values, fits))
    fits = ints[0][1][p_idx] & ints[1][1][e_idx]
    where = todo[fits]
    if not len(where):
        return todo
    p_arr, e_arr = ints[0][0][p_idx[fits]], ints[1][0][e_idx[fits]]
    fallback = score_kernel(job, e_arr, scale, {"planned": p_arr, "executed": e_arr}, scores,
                            where, high, below)
    return np.concatenate([todo[~fits], where[fallback]])
