"""The funds block (项目资金) over a table of projects: the funds row (全年执行数 / 全年预算数)
and the rows scored from the funds block (rule input "funds", 资金到位率 …).

`evalcore.table_scoring` calls `budget_column` for the funds row and `funds_rate_column` for
each row that reads the block; the figures are the columns ``budget_planned``,
``budget_executed`` and ``budget_received``, each distinct value read once, exactly (a
column of exact integers never as text). Scores, findings and problems are the Decimal
path's, project by project.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the public
surfaces); its own path may change in any release.
"""

from __future__ import annotations

from collections.abc import Mapping
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
    RowJob,
    exact_numbers,
    origin_of,
    rule_findings,
    run_scorer,
    score_kernel,
)
from .errors import NOWHERE, Problem, hint_of
from .kernels import product, scaled_integer
from .model import BUDGET_ID
from .numbers import format_decimal as fmt
from .numbers import format_percent, to_decimal
from .quantities import Value
from .registrations import Observation
from .results import Status
from .table_findings import indicator_findings, plugin_of, published, published_problems
from .table_input import encoded, no_reason
from .table_text import format_scaled, percent_strings

__all__ = ["FundsFigures", "budget_column", "funds_figures", "funds_rate_column"]

_MISSING = CODES[Status.MISSING]


# -- rows scored from the funds block (rule input "funds") ---------------------------------------


_FUNDS = ("planned", "executed", "received")


@attrs.frozen
class FundsFigures:
    """Each project's [budget] planned, executed and received, as the rows scored from the
    funds block read them: for each, every row's index into its distinct values and those
    read (-1: not given, or unreadable); the rows that give none of them (no [budget]: each such row scores
    0, missing) or one that cannot be read (the project's problem), and those problems."""

    indices: dict[str, Any]
    values: dict[str, dict[int, Decimal]]
    absent: Any
    unreadable: Any
    problems: list[tuple[int, str]]


def funds_figures(plan: Any, columns: Mapping[str, Any], n: int) -> FundsFigures:
    """The funds figures of every project, each distinct value read once; a figure the funds
    row reads too is reported by it (`budget_column`), not again here."""
    indices: dict[str, Any] = {}
    values: dict[str, dict[int, Decimal]] = {}
    absent, unreadable = np.ones(n, dtype=bool), np.zeros(n, dtype=bool)
    problems: list[tuple[int, str]] = []
    for key in _FUNDS:
        name = f"budget_{key}"
        if name not in columns:
            indices[key], values[key] = np.full(n, -1, np.int64), {}
            continue
        reported = plan.budget is not None and key != "received"
        found = _figures(columns, name, np.ones(n, dtype=bool), [] if reported else problems)
        absent &= ~found.present
        unreadable |= found.unreadable
        usable = found.present & ~found.unreadable
        indices[key] = np.where(usable, found.indices, -1) if usable.any() else np.full(n, -1)
        values[key] = found.values
    return FundsFigures(indices, values, absent, unreadable, problems)


def funds_rate_column(job: RowJob, plan: Any, columns: Mapping[str, Any], n: int, places: Any,
                      findings: bool, funds: FundsFigures,
                      figure_problems: list[tuple[int, str]]) -> Column:
    """A row whose rule reads the funds block, project by project as `Plan.evaluate` scores it
    (once per distinct set of figures): no figures, it scores 0 (missing); figures, its rule
    scores them; its own actual value, if the table gives one, is refused, not silently unused.
    ``figure_problems`` (the figures that cannot be read) are reported by the first such row."""
    ind = job.compiled.indicator
    column = Column(np.zeros(n, np.int64), np.full(n, _MISSING, np.int8), keep=findings)
    column.problems.extend(figure_problems)
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
    column.findings.append(FindingBatch(np.flatnonzero(funds.absent & ~failed), "missing-actual",
                                        ind.id, f"{ind.name}：缺少资金数据（[budget]），按0分计"))
    scored = ~funds.absent & ~failed
    rows = np.flatnonzero(scored)
    # Each distinct (planned, executed, received) of the rows scored, by the rule's scorer.
    sets, which = np.unique(np.stack([funds.indices[k][rows] for k in _FUNDS], axis=1), axis=0,
                            return_inverse=True)
    which = np.asarray(which).reshape(-1)
    results = []
    for picked in sets.tolist():
        extra: dict[str, Any] = {k: funds.values[k][i] if i >= 0 else None
                                 for k, i in zip(_FUNDS, picked, strict=True)}
        extra["unit"] = plan.profile.budget_unit
        results.append(run_scorer(job, Observation(Value(""), None, extra), None,
                                  plugin_of(plan, job)))
    column.status[rows] = np.array([r.status for r in results], np.int8)[which]
    column.score[rows] = np.array([r.score for r in results], np.int64)[which]
    column.status[failed] = ERROR
    for k, result in enumerate(results):
        if result.problem is not None:
            for row in rows[which == k].tolist():
                column.problems.append(
                    (row, str(attrs.evolve(result.problem, origin=origin_of(row, "budget")))))
    if not findings:
        published_problems(columns, f"{ind.id}.published", column, n)
        return column
    found = {k: r.findings for k, r in enumerate(results) if r.findings}
    if found:
        rule_findings(job, column, found, lambda k: rows[which == k])
    indicator_findings(job, columns, column, n, places,
                       compared=scored & (column.status != ERROR))
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


def budget_column(job: RowJob, plan: Any, columns: Mapping[str, Any], n: int,
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
                            plugin_of(plan, job))
        scores.take(row, result, high, below)
    column.status[both], column.score[both] = scores.status[both], scores.score[both]
    for row, problem in scores.problems.items():
        column.problems.append((row, str(attrs.evolve(problem, origin=origin_of(row, BUDGET_ID)))))
    if not findings:
        published_problems(columns, "budget.published", column, n)
        return column
    below = plan.profile.reason_budget_below
    ok = column.status != ERROR
    published(job, columns, "budget.published", column, ok, zh, BUDGET_ID, n, places)
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
