"""One row of an evaluation, explained as a person would read it (``evalcore explain``).

The text goes to a terminal, so it is made safe like the table's
(`evalcore.safetext.terminal_text`: control characters a visible escape, every
line break a plain LF), and its numbers are formatted in evalcore's decimal
context whatever the caller's.

Engine module behind the ``evalcore`` command: nothing here is imported by users
or plugins, and its path may change in any release.
"""

from __future__ import annotations

from .errors import EvalcoreError, Problem, suggest
from .model import BUDGET_ID
from .numbers import format_decimal as fmt
from .numbers import format_score, in_context
from .results import BudgetRow, Evaluation, Row, Trace
from .safetext import terminal_text

__all__ = ["explain"]


def _find(evaluation: Evaluation, key: str) -> Row | BudgetRow:
    if key == BUDGET_ID and evaluation.budget is not None:
        return evaluation.budget
    for row in evaluation.rows:
        if key in (row.id, row.name):
            return row
    ids = [r.id for r in evaluation.rows] + ([BUDGET_ID] if evaluation.budget is not None else [])
    hint = suggest(key, ids + [r.name for r in evaluation.rows]) or (
        f"the ids are: {', '.join(ids)}" if ids else None)
    raise EvalcoreError([Problem(f"no indicator {key!r} in this project", hint=hint)])


def _trace_lines(trace: Trace, decimals: int, score: str) -> list[str]:
    rule = trace.rule + (f" (chosen by {trace.via})" if trace.via else "")
    lines = [f"rule:        {rule}"]
    if trace.params:
        lines.append("parameters:  " + ", ".join(f"{k} = {v}" for k, v in trace.params.items()))
    if trace.matched:
        lines.append(f"matched:     {trace.matched}")
    if trace.formula:
        lines.append(f"formula:     {trace.formula}")
    if trace.raw is not None:
        steps = f"raw {fmt(trace.raw)}"
        if trace.capped is not None and trace.capped != trace.raw:
            steps += f" → capped to {fmt(trace.capped)}"
        steps += f" → rounded half up to {decimals} decimals: {score}"
        lines.append(f"score:       {steps}")
    if trace.rescaled_from is not None:
        lines.append(f"points:      rescaled from {fmt(trace.rescaled_from)} (rows that do not apply)")
    return lines


@in_context
def explain(evaluation: Evaluation, key: str) -> str:
    """The trace of the row with id or name ``key`` ("budget" for the funds row), in words."""
    row = _find(evaluation, key)
    score = format_score(row.score, evaluation.decimals)
    if isinstance(row, BudgetRow):
        head = [f"{BUDGET_ID}  {row.name}",
                f"planned:     {fmt(row.planned) if row.planned is not None else '—'} {row.unit}"
                f" (全年预算数)",
                f"executed:    {fmt(row.executed) if row.executed is not None else '—'} {row.unit}"
                f" (全年执行数)"]
    else:
        head = [f"{row.id}  {row.name}  ({row.category_zh} / {row.group_zh})",
                f"target:      {row.target}", f"actual:      {row.actual or '—'}"]
    lines = [*head, f"points:      {fmt(row.points)}", f"status:      {row.status.value} ({row.status.zh})",
             *_trace_lines(row.trace, evaluation.decimals, score),
             f"result:      {score} of {fmt(row.points)}",
             f"说明:        {row.explanation_zh}", f"explanation: {row.explanation_en}"]
    if row.reason:
        lines.append(f"偏差原因:    {row.reason}")
    related = [f for f in evaluation.findings if f.indicator == (BUDGET_ID if isinstance(row, BudgetRow)
                                                                 else row.id)]
    lines += [f"finding:     [{f.code}] {f.message_en}" for f in related]
    return terminal_text("\n".join(lines)) + "\n"
