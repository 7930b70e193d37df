"""The columnar batch path: a table of projects in, a table of scores out (`evaluate_table`).

One project per row of an Arrow table (or anything ``pyarrow.table`` reads:
pandas, Polars, a dict of columns, a RecordBatch). Columns: ``project``; the
funds row's ``budget_planned`` and ``budget_executed`` (with ``budget_received``
for rows scored from the funds block, 资金到位率 …); one column per
indicator id holding its actual value as a project file writes it; the
optional companions ``<id>.assessed``, ``<id>.reason``, ``<id>.published``
(``budget.reason`` and ``budget.published`` for the funds row) and
``department``, ``implementer``, ``published_total``. Each scheme row is
scored over its whole column (`evalcore.column_scoring`), exactly as
`Plan.evaluate` scores it; a project that cannot be scored is not an
exception but a row with null scores and its located problems in ``errors``,
so a batch goes on and loses nothing.

Needs pyarrow and numpy (``pip install 'evalcore-jixiao[batch]'``).

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

import decimal
import difflib
from typing import Any

from .errors import EvalcoreError, Problem, ValidationError, quote, suggest
from .numbers import context

__all__ = ["EXTRA_HINT", "MissingDependencyError", "evaluate_table", "require_pyarrow"]

EXTRA_HINT = "pip install 'evalcore-jixiao[batch]'"
"""How to install what the columnar path needs."""


class MissingDependencyError(EvalcoreError, ImportError):
    """An optional package that a feature needs is not installed; the message names the extra."""


def require_pyarrow() -> Any:
    """The pyarrow module, or MissingDependencyError naming the ``batch`` extra."""
    try:
        import numpy  # noqa: F401
        import pyarrow
    except ImportError as exc:
        raise MissingDependencyError([Problem(
            f"evaluate_table needs pyarrow and numpy ({exc.name or 'a package'} is not "
            f"installed): {EXTRA_HINT}")]) from None
    return pyarrow


def evaluate_table(plan: Any, table: Any, *, findings: bool = True) -> Any:
    """Score every project (one per row) of ``table`` with ``plan``; a `pyarrow.Table` with
    ``project``, ``total``, ``grade``, one score per scheme row (``budget`` first), the
    ``group.<name>`` subtotals, ``findings`` and ``errors``, one row per input row in order.

    With ``findings=False`` (scores only: a portfolio scored again under a changed rule or
    profile) there is no ``findings`` column and nothing is spent looking for one: no reason
    is read, no message written, no published score compared. Every other column is the
    same, ``errors`` included (a published score that cannot be read still stops its project).

    A column that is none of the known ones is a ValidationError (with "did you mean"),
    raised before anything is scored. Scores equal `Plan.evaluate`'s to the last digit."""
    pa = require_pyarrow()
    from .table_scoring import score_table  # needs numpy: imported once pyarrow is there

    data = _as_table(pa, table)
    _check_columns(plan, data.column_names)
    with decimal.localcontext(context()):
        return score_table(plan, data, findings)


def _as_table(pa: Any, table: Any) -> Any:
    """``table`` as a pyarrow Table; what Arrow cannot read is a ValidationError."""
    if isinstance(table, pa.Table):
        return table
    if isinstance(table, pa.RecordBatch):
        return pa.Table.from_batches([table])
    try:
        return pa.table(table)
    except (TypeError, ValueError, pa.ArrowException) as exc:
        raise ValidationError([Problem(
            f"evaluate_table reads an Arrow table, a pandas or Polars DataFrame, a RecordBatch or "
            f"a dict of columns; this {type(table).__name__} cannot be read: {exc}")]) from None


PROJECT_COLUMNS = ("project", "department", "implementer", "published_total", "year")
BUDGET_COLUMNS = ("budget_planned", "budget_executed", "budget.reason", "budget.published")
FUNDS_COLUMNS = ("budget_planned", "budget_executed", "budget_received")
"""What rows scored from the funds block (资金到位率 …, rule input "funds") read:
[budget] planned, executed and received."""
COMPANIONS = ("assessed", "reason", "published")


def known_columns(plan: Any) -> list[str]:
    """Every column a table for ``plan`` may have, in the order they are described."""
    known = list(PROJECT_COLUMNS)
    if plan.budget is not None:
        known.extend(BUDGET_COLUMNS)
    if plan._reads_funds:  # rows scored from the funds block (资金到位率 …)
        known.extend(c for c in FUNDS_COLUMNS if c not in known)
    for compiled in plan.rows:
        ident = compiled.indicator.id
        known.append(ident)
        known.extend(f"{ident}.{c}" for c in COMPANIONS)
    return known


def _check_columns(plan: Any, names: list[str]) -> None:
    """Every column is known and given once; ``project`` is there, and the funds row's two
    figures when the scheme has one. All problems together, before any scoring."""
    known = known_columns(plan)
    allowed = set(known)
    ids = [c.indicator.id for c in plan.rows]
    problems = []
    seen: set[str] = set()
    for name in names:
        if name in seen:
            problems.append(Problem(f"the column {quote(name)} is given twice",
                                    hint="each column once: rename or drop one"))
        seen.add(name)
        if name in allowed:
            continue
        head = name.split(".", 1)[0]
        hint = suggest(name, ids) if head == name else suggest(name, known) or suggest(head, ids)
        nearest = difflib.get_close_matches(head, ids, n=1, cutoff=0)
        if hint is None and nearest:  # ids are short: the nearest one, however far
            hint = f"did you mean {quote(nearest[0])}?"
        problems.append(Problem(
            f"unknown column {quote(name)}: not an indicator id of the {plan.scheme.name!r} "
            "scheme, a companion (<id>.assessed, .reason, .published) or a project column "
            f"({', '.join(PROJECT_COLUMNS)})", hint=hint))
    if "project" not in seen:
        problems.append(Problem("the table has no 'project' column (each project's name)",
                                hint=suggest("project", names)))
    if plan.budget is not None:
        missing = [c for c in ("budget_planned", "budget_executed") if c not in seen]
        if missing:
            problems.append(Problem(
                f"the scheme has a budget row, but the table has no {' or '.join(map(quote, missing))} "
                "column (全年预算数, 全年执行数)", hint=suggest(missing[0], names)))
    if problems:
        raise ValidationError(problems)
