"""The numbers-first path of `Plan.evaluate`: a project scored to numbers, its words deferred.

Every row is scored to its rounded number (the actual's parse kept by the unit table, a rule's
numbers-only path when it offers one, `evalcore.plugin.with_numbers`, and each row's memo of
the values it has scored), then the subtotals, total and grade. The rows with their
explanations and traces, the funds block and the findings are left to the full path
(`evalcore.evaluation`), which builds them the first time one is read (`Evaluation.deferred`).
Whatever this path cannot take on (a value that cannot be read, a rule that refuses it, a
plugin's bug) gives None, and the full path reports it as it always has.

It reads the plan through `QuickPlan` (what the compiled plan offers it) and is given the full
path as a function, so the plan's module and this one do not import each other.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the public
surfaces); its own path may change in any release.
"""

from __future__ import annotations

import decimal
import functools
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Protocol

from .errors import EvaluationError, PluginError, Problem, quote
from .model import Actual, Budget, Indicator, Project, Scheme
from .numbers import ZERO, context, quantize, round_half_up
from .numbers import format_decimal as fmt
from .profile import Profile
from .quantities import Value, parse_actual
from .registrations import Aggregator, Category, Group, Observation, Outcome, Scorer
from .registry import Registry
from .results import Evaluation, Provenance, Status, Subtotal
from .scoring import Numbers

__all__ = ["MEMO_LIMIT", "QuickPlan", "QuickRow", "Slot", "memo_key", "numbers_first"]

MEMO_LIMIT = 1024
"""How many actual values each row remembers the score of (then it starts afresh)."""

QuickRow = tuple[str, "Numbers | None", "Scorer | None", Decimal, Decimal, tuple[str, ...],
                 "dict[object, Decimal] | None"]
"""A row as this path reads it: id, numbers-only path, scorer, points and their rounding (full
marks), its group and category with their Chinese names, and its memo (None: not kept)."""

Slot = tuple[str, str, Aggregator, tuple[int, ...], list[Decimal], Decimal]
"""A subtotal's layout: name, Chinese name, aggregator, its rows' places among the scored rows
(the funds row first), their points and the points' sum."""

_Entry = tuple[Decimal, Decimal, tuple[str, ...]]  # points, rounded score, group and category
_NO_VALUE = Value("")
_SKIPPED = Decimal("NaN")  # a memo's mark for "this value makes the row not apply"


class FundsRow(Protocol):
    """What this path reads of the compiled funds row (`evalcore.evaluation.CompiledRow`)."""

    @property
    def indicator(self) -> Indicator: ...
    @property
    def category(self) -> Category: ...
    @property
    def group(self) -> Group: ...
    @property
    def scorer(self) -> Scorer | None: ...


class QuickPlan(Protocol):
    """What this path reads of a compiled plan (`evalcore.evaluation.Plan`)."""

    @property
    def scheme(self) -> Scheme: ...
    @property
    def profile(self) -> Profile: ...
    @property
    def registry(self) -> Registry: ...
    @property
    def budget(self) -> FundsRow | None: ...
    @property
    def aggregator(self) -> Aggregator: ...
    @property
    def category_aggregators(self) -> Mapping[str, Aggregator]: ...
    @property
    def provenance(self) -> Provenance: ...
    @property
    def _quick(self) -> tuple[QuickRow, ...]: ...
    @property
    def _applicable(self) -> int: ...
    @property
    def _layout(self) -> tuple[tuple[Slot, ...], tuple[Slot, ...]]: ...
    @property
    def _zero(self) -> Decimal: ...


def numbers_first(plan: QuickPlan, project: Project,
                  full: Callable[[], Evaluation]) -> Evaluation | None:
    """``project``'s evaluation with its numbers scored and its words deferred to ``full`` (the
    full path, for this plan and project); None when anything needs the full path to be
    reported (a value that cannot be read, a refusal, a plugin's bug)."""
    try:
        entries = _row_numbers(plan, project)
        if entries is None:
            return None
        if len(entries) == plan._applicable:  # every row counts: the subtotals' layout is known
            groups = _laid_out(entries, plan._layout[0], plan.profile.decimals)
            categories = _laid_out(entries, plan._layout[1], plan.profile.decimals)
        else:  # some rule said "not applicable" for this project (PEFA's NA)
            groups = _subtotals(entries, 0, lambda _: plan.aggregator, plan.profile.decimals)
            categories = _subtotals(
                entries, 2, lambda name: plan.category_aggregators.get(name, plan.aggregator),
                plan.profile.decimals)
        if groups is None or categories is None:
            return None
        total = round_half_up(plan.aggregator.aggregate([g.score for g in groups],
                                                        [g.points for g in groups]),
                              plan.profile.decimals)
    except Exception:  # the full path reports it, located, or raises the plugin's error
        return None
    grade = plan.profile.grade(total)
    info = project.info
    return Evaluation.deferred(
        functools.partial(_words, full, info.name, groups, categories, total),
        project=info.name, department=info.department, implementer=info.implementer,
        year=info.year, goal_expected=info.goal_expected, goal_achieved=info.goal_achieved,
        scheme=plan.scheme.name, profile=plan.profile.name, decimals=plan.profile.decimals,
        groups=groups, categories=categories, points=sum((g.points for g in groups), ZERO),
        total=total, grade=grade.name, grade_en=grade.en, provenance=plan.provenance)


def _row_numbers(plan: QuickPlan, project: Project) -> list[_Entry] | None:
    """Every row's points and rounded score (the funds row first), leaving out the rows that
    do not apply; None when a rule's answer is not a Decimal score."""
    decimals, zero, units = plan.profile.decimals, plan._zero, plan.registry.units
    actuals: Mapping[str, Actual] = getattr(project.actuals, "_data", project.actuals)  # FrozenMap's
    entries: list[_Entry] = []
    if plan.budget is not None:
        entry = _budget_numbers(plan, plan.budget, project.budget)
        if entry is None:
            return None
        entries.append(entry)
    for ident, numbers, scorer, points, full, where, memo in plan._quick:
        if scorer is None:
            continue
        actual = actuals.get(ident)
        if actual is None or (actual.value is None and not actual.extra and actual.assessed is None):
            entries.append((points, zero, where))
            continue
        key = None
        if memo is not None and actual.assessed is None and not actual.extra:
            key = memo_key(actual.value)
            known = memo.get(key)
            if known is not None:
                if known is not _SKIPPED:
                    entries.append((points, known, where))
                continue
        value = _NO_VALUE if actual.value is None else parse_actual(actual.value, units)
        observation = Observation(value, actual.assessed, actual.extra, project.info.year)
        if numbers is not None:
            raw, status = numbers(observation)
        else:
            outcome = scorer(observation)
            if not isinstance(outcome, Outcome):
                return None
            raw, status = outcome.score, outcome.status
        if not isinstance(raw, Decimal):
            return None
        score = (_SKIPPED if status is Status.NOT_APPLICABLE else full if raw >= points
                 else zero if raw <= 0 else round_half_up(raw, decimals))
        if key is not None and memo is not None:
            if len(memo) >= MEMO_LIMIT:
                memo.clear()
            memo[key] = score
        if score is not _SKIPPED:
            entries.append((points, score, where))
    return entries


def memo_key(value: object) -> object:
    """How a row's memo knows an actual value: text as itself, a number by type and text (so
    equal numbers written differently stay apart, as `parse_actual` keeps them), None for any
    other value (not remembered)."""
    kind = type(value)
    if kind is str:
        return value
    if kind is int:
        return (int, value)
    if kind is float or kind is Decimal:
        return (kind, str(value))
    return None


def _budget_numbers(plan: QuickPlan, compiled: FundsRow, budget: Budget | None) -> _Entry | None:
    """The funds row's points and rounded score; None as for `_row_numbers`."""
    points = compiled.indicator.points
    where = (compiled.group.name, compiled.group.zh, compiled.category.name, compiled.category.zh)
    if budget is None or budget.planned is None or budget.executed is None:
        return points, plan._zero, where
    assert compiled.scorer is not None
    unit = budget.unit or plan.profile.budget_unit
    extra = {"planned": budget.planned, "executed": budget.executed, "unit": unit}
    observation = Observation(Value(f"{fmt(budget.executed)}/{fmt(budget.planned)}"), None, extra)
    numbers = getattr(compiled.scorer, "numbers", None)
    if numbers is not None:
        raw, _ = numbers(observation)
    else:
        outcome = compiled.scorer(observation)
        if not isinstance(outcome, Outcome):
            return None
        raw = outcome.score
    if not isinstance(raw, Decimal):
        return None
    return points, round_half_up(min(max(raw, ZERO), points), plan.profile.decimals), where


def _subtotals(entries: Sequence[_Entry], at: int, aggregator: Callable[[str], Aggregator],
                     decimals: int) -> tuple[Subtotal, ...] | None:
    """`evalcore.evaluation`'s subtotals of the numbers (by group, ``at`` = 0, or category, 2); None when an
    aggregator refuses them or gives no Decimal (the full path says so)."""
    order: dict[str, tuple[str, list[Decimal], list[Decimal]]] = {}
    for points, score, where in entries:
        entry = order.get(where[at])
        if entry is None:
            entry = order[where[at]] = (where[at + 1], [], [])
        entry[1].append(points)
        entry[2].append(score)
    out = []
    for key, (zh, all_points, scores) in order.items():
        total = aggregator(key).aggregate(scores, all_points)
        if not isinstance(total, Decimal):
            return None
        out.append(Subtotal(key, zh, sum(all_points, ZERO), round_half_up(total, decimals)))
    return tuple(out)


def _laid_out(entries: Sequence[_Entry], layout: Sequence[Slot],
              decimals: int) -> tuple[Subtotal, ...] | None:
    """`_subtotals` when every row counts: each subtotal's rows and points are known."""
    out = []
    exponent, ctx = quantize(decimals), context()
    for key, zh, aggregator, positions, points, points_sum in layout:
        total = aggregator.aggregate([entries[i][1] for i in positions], points)
        if not isinstance(total, Decimal):
            return None
        rounded = total.quantize(exponent, decimal.ROUND_HALF_UP, ctx)  # round_half_up, inline
        out.append(Subtotal(key, zh, points_sum, rounded if rounded else rounded.copy_abs()))
    return tuple(out)


def _words(full: Callable[[], Evaluation], name: str, groups: tuple[Subtotal, ...],
           categories: tuple[Subtotal, ...], total: Decimal) -> dict[str, Any]:
    """The deferred part of a numbers-first evaluation, built by the full path when first read.

    The full path scores again with every rule's full scorer; a rule whose numbers-only path
    disagrees with it (a plugin's bug) is a PluginError here, never a silently wrong row."""
    try:
        with decimal.localcontext(context()):
            evaluation: Evaluation | None = full()
    except EvaluationError as exc:
        evaluation = None
        why = f"its full scorer refused what its numbers accepted: {exc.problems[0].message}"
    else:
        why = "the words disagree with the numbers"
    if evaluation is None or (evaluation.groups, evaluation.categories, evaluation.total) != (
            groups, categories, total):
        raise PluginError([Problem(f"a rule's numbers-only path (with_numbers) and its full scorer "
                                   f"give different results for project {quote(name)}: {why}")])
    return {"budget": evaluation.budget, "rows": evaluation.rows,
            "findings": evaluation.findings}
