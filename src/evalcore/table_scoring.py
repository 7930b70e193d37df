"""A checked table of projects scored column by column: each indicator's here, the funds
block's in `evalcore.table_funds`.

`evalcore.columnar` checks the input and calls `score_table`; each scheme row
is scored over its column (with `evalcore.column_scoring`: distinct values,
kernels, scorers), its companions read by `evalcore.table_input`, its reasons
and published scores checked by `evalcore.table_findings`, and
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
)
from .errors import NOWHERE, Problem
from .kernels import scaled_integer
from .numbers import to_decimal
from .params import bind_params
from .published import places_of
from .quantities import Value
from .reading import signed_actual_messages
from .registrations import Observation, RuleContext
from .results import Status
from .table_findings import indicator_findings, plugin_of, published_problems
from .table_funds import budget_column, funds_figures, funds_rate_column
from .table_input import decimals_of, encode_dictionary, encoded
from .table_output import assemble
from .table_text import percent_strings
from .word_scoring import score_words

__all__ = ["prepared", "score_table"]

_MISSING, _NA = CODES[Status.MISSING], CODES[Status.NOT_APPLICABLE]


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
        scored.append((job, budget_column(job, plan, columns, n, places, findings)))
        jobs = jobs[1:]
    funds = funds_figures(plan, columns, n) if plan._reads_funds else None
    figure_problems = funds.problems if funds is not None else []  # the first such row's
    for job in jobs:
        if funds is not None and job.compiled.applicable and job.compiled.rule.input == "funds":
            scored.append((job, funds_rate_column(job, plan, columns, n, places, findings, funds,
                                                  figure_problems)))
            figure_problems = []
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
            indicator_findings(job, columns, column, n, places)
        else:
            published_problems(columns, f"{ident}.published", column, n)
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
        got = score_distinct(job, parsed, distinct, plugin_of(plan, job), used, findings)
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
        published_problems(columns, f"{ident}.published", column, n)
        return column
    if scores.findings:  # by row here: the rows' entries, not the distinct values'
        rule_findings(job, column, scores.findings, lambda row: np.array([row], np.int64))
    _signed_actuals(job, column, indices, parsed, ok & scored)
    over = np.flatnonzero(scores.above & ok)
    if len(over) and job.overachievement is not None:
        _overachieved(job, column, over, *scores.percents(over, 1))
    indicator_findings(job, columns, column, n, places)
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
    got = score_distinct(job, parsed, distinct, plugin_of(plan, job), used, column.keep)
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
                                       plugin_of(plan, job))
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
                seen[key] = run_scorer(job, Observation(value, score), None, plugin_of(plan, job))
        out.take(row, seen[key], job.overachievement, None)
