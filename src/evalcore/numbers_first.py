"""The numbers-first path of `Plan.evaluate`: a project scored to numbers, its words deferred.

A plan is compiled once more for this path (`NumbersPlan`, kept by the plan): each row that
applies becomes a `Step` (its id, its memo of the values it has scored, and a function with the
row's constant parts bound in, which scores a value the memo does not know), the funds row a
function of the project's budget, and the subtotals' layout is worked out. Scoring a project is
then one straight walk over the steps, which gives each row's rounded score, then the total and
the grade. The actual's parse is kept by the unit table, a rule's numbers-only path
(`evalcore.plugin.with_numbers`) is used when it offers one, and each row's memo keeps the
scores of the values it has seen.

What is not needed to give the total and the grade is built the first time it is read
(`Evaluation.deferred`): the rows with their explanations and traces, the funds block and the
findings by the full path (`evalcore.evaluation`); and, when every aggregator is a plain sum
(``additive``, as the national rules), the `Subtotal` objects of the groups and categories,
from the rounded scores kept for them (the total is then the sum of the rounded rows, which is
what adding up the groups gives). Whatever this path cannot take on (a value that cannot be
read, a rule that refuses it, a plugin's bug) gives None, and the full path reports it as it
always has.

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
from typing import Any, NamedTuple, Protocol

from .errors import EvaluationError, PluginError, Problem, quote
from .model import EMPTY_MAP, Actual, Budget, Indicator, Project, Scheme
from .numbers import ZERO, context, quantize, round_half_up
from .numbers import format_decimal as fmt
from .profile import Profile
from .quantities import Target, Value, parse_actual
from .registrations import Aggregator, Category, Group, Observation, Outcome, Scorer
from .registry import Registry
from .results import Evaluation, Provenance, Status, Subtotal

__all__ = ["MEMO_LIMIT", "NumbersPlan", "QuickPlan", "Slot", "Step", "memo_key"]

MEMO_LIMIT = 1024
"""How many actual values each row remembers the score of (then it starts afresh)."""

Slot = tuple[str, str, Aggregator, tuple[int, ...], list[Decimal], Decimal]
"""A subtotal's layout: name, Chinese name, aggregator, its rows' places among the scored rows
(the funds row first), their points and the points' sum."""

RowScore = Callable[[Actual, "int | None"], "Decimal | None"]
"""A row's scoring of one actual value (and the project's year): its rounded score, `_SKIPPED`
when the rule says the row does not apply to this project, None when the rule's answer is not
a Decimal score (the full path reports it). A value the rule refuses raises."""

_Where = tuple[str, str, str, str]  # a row's group and category, each with its Chinese name
_NO_VALUE = Value("")
_SKIPPED = Decimal("NaN")  # a row's mark for "the rule says this row does not apply here"


class Step(NamedTuple):
    """One row that applies, as the numbers-first path walks it."""

    id: str
    memo: dict[object, Decimal] | None
    """The rounded score of each actual value (with its assessed score, if any) the row has
    scored without extra counts, by `memo_key` (in a portfolio the same "100%", "达成" or
    "12个" comes back again and again); bounded by `MEMO_LIMIT`. None for a row that keeps
    none: its rule has no numbers-only path (a plain `Scorer` need not be pure), or its
    target is a deadline read in the project's year."""
    score: RowScore


class CompiledLike(Protocol):
    """What this path reads of a compiled row (`evalcore.evaluation.CompiledRow`)."""

    @property
    def indicator(self) -> Indicator: ...
    @property
    def category(self) -> Category: ...
    @property
    def group(self) -> Group: ...
    @property
    def target(self) -> Target | None: ...
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
    def rows(self) -> Sequence[CompiledLike]: ...
    @property
    def budget(self) -> CompiledLike | None: ...
    @property
    def aggregator(self) -> Aggregator: ...
    @property
    def category_aggregators(self) -> Mapping[str, Aggregator]: ...
    @property
    def provenance(self) -> Provenance: ...


class NumbersPlan:
    """A compiled plan as the numbers-first path reads it: its rows as steps, the funds row's
    scoring, the subtotals' layout and the parts of every result that do not change.

    Made once per plan (`Plan._numbers`) and then only read, but for the rows' memos."""

    __slots__ = ("additive", "aggregator", "category_aggregators", "constant", "counted",
                 "decimals", "funds", "grade", "layout", "points", "steps", "zero")

    def __init__(self, plan: QuickPlan) -> None:
        profile, units = plan.profile, plan.registry.units
        self.decimals = decimals = profile.decimals
        self.zero = zero = round_half_up(ZERO, decimals)
        self.grade = profile.grade
        self.aggregator = plan.aggregator
        self.category_aggregators = plan.category_aggregators
        applicable = [c for c in plan.rows if c.scorer is not None]
        self.steps = tuple(Step(c.indicator.id, {} if _memorable(c) else None,
                                _row_score(c, decimals, zero, units)) for c in applicable)
        counted = applicable if plan.budget is None else [plan.budget, *applicable]
        self.funds = None if plan.budget is None else _funds_score(plan.budget, profile, zero)
        # Each scored row's points and place in the tree, in the order of the scores.
        self.counted: tuple[tuple[Decimal, _Where], ...] = tuple(
            (c.indicator.points, (c.group.name, c.group.zh, c.category.name, c.category.zh))
            for c in counted)
        self.layout = (_layout(self.counted, 0, lambda _: plan.aggregator),
                       _layout(self.counted, 2, lambda name: plan.category_aggregators.get(
                           name, plan.aggregator)))
        self.points = sum((slot[5] for slot in self.layout[0]), ZERO)
        # Every aggregator a plain sum: the subtotals can wait until they are read.
        self.additive = plan.aggregator.additive and all(
            a.additive for a in plan.category_aggregators.values())
        self.constant = {"scheme": plan.scheme.name, "profile": profile.name,
                         "decimals": decimals, "provenance": plan.provenance}

    def evaluate(self, project: Project, full: Callable[[], Evaluation]) -> Evaluation | None:
        """``project``'s evaluation with its numbers scored and the rest deferred (its words
        to ``full``, the full path for this plan and project); None when anything needs the
        full path to be reported (a value that cannot be read, a refusal, a plugin's bug)."""
        try:
            scored = self._scores(project)
            if scored is None:
                return None
            scores, every = scored
            if every and self.additive:  # the subtotals are built when read
                # Every row is rounded to the profile's places, so each subtotal (a sum, and
                # rounding it again changes nothing) and the sum of the groups is exactly
                # the sum of the rows: the total without the subtotals.
                total = round_half_up(sum(scores, ZERO), self.decimals)
                points = self.points
                subtotals: Callable[[], dict[str, Any]] = functools.partial(
                    _laid_out_both, self.layout, scores, self.decimals)
                eager: dict[str, Any] = {}
            else:
                made = self._subtotals(scores, every)
                if made is None:
                    return None
                groups, categories = made
                total = round_half_up(self.aggregator.aggregate([g.score for g in groups],
                                                                [g.points for g in groups]),
                                      self.decimals)
                points = sum((g.points for g in groups), ZERO)
                eager = {"groups": groups, "categories": categories}
                subtotals = functools.partial(dict, eager)
        except Exception:  # the full path reports it, located, or raises the plugin's error
            return None
        grade = self.grade(total)
        info = project.info
        return Evaluation.deferred(
            functools.partial(_words, full, info.name, subtotals, total), subtotals=(
                None if eager else subtotals),
            project=info.name, department=info.department, implementer=info.implementer,
            year=info.year, goal_expected=info.goal_expected, goal_achieved=info.goal_achieved,
            points=points, total=total, grade=grade.name, grade_en=grade.en, **eager,
            **self.constant)

    def _scores(self, project: Project) -> tuple[list[Decimal], bool] | None:
        """Every scored row's rounded score (the funds row first), `_SKIPPED` for a row its
        rule says does not apply here, and whether every row counts (none was skipped); None
        when a rule's answer is not a Decimal score.

        The hot loop of the path: a value the row's memo knows costs a dictionary lookup."""
        actuals: Mapping[str, Actual] = getattr(project.actuals, "_data", project.actuals)
        year, zero = project.info.year, self.zero
        scores: list[Decimal] = []
        every = True
        if self.funds is not None:
            funds = self.funds(project.budget)
            if funds is None:
                return None
            scores.append(funds)
        for ident, memo, score in self.steps:
            actual = actuals.get(ident)
            if actual is None:  # not reported: 0
                scores.append(zero)
                continue
            value, assessed, extra = actual.value, actual.assessed, actual.extra
            # Extra counts (a survey's, deduction items): the row is scored, never remembered.
            counts = extra is not EMPTY_MAP and bool(extra)
            if value is None and assessed is None and not counts:  # not reported either
                scores.append(zero)
                continue
            key = known = None
            if memo is not None and not counts:
                kind = type(value)  # `memo_key`, inline for the values a project mostly holds
                key = (value if kind is str and assessed is None
                       else (kind, str(value)) if kind is Decimal and assessed is None
                       else memo_key(value, assessed))
                known = memo.get(key)  # a None key is never kept: None
            if known is None:
                known = score(actual, year)
                if known is None:
                    return None
                if key is not None and memo is not None:
                    if len(memo) >= MEMO_LIMIT:
                        memo.clear()
                    memo[key] = known
            if known is _SKIPPED:
                every = False
            scores.append(known)
        return scores, every

    def _subtotals(self, scores: list[Decimal], every: bool
                   ) -> tuple[tuple[Subtotal, ...], tuple[Subtotal, ...]] | None:
        """The subtotals made at once, each by its aggregator: when one is not a plain sum (it
        may refuse the scores, which the full path then reports), or when some rule said its
        row does not apply here (the layout is not the plan's)."""
        if every:
            groups = _laid_out(scores, self.layout[0], self.decimals)
            categories = _laid_out(scores, self.layout[1], self.decimals)
        else:
            entries = [(points, score, where) for (points, where), score
                       in zip(self.counted, scores, strict=True) if score is not _SKIPPED]
            groups = _subtotals(entries, 0, lambda _: self.aggregator, self.decimals)
            categories = _subtotals(
                entries, 2, lambda name: self.category_aggregators.get(name, self.aggregator),
                self.decimals)
        if groups is None or categories is None:
            return None
        return groups, categories


def _memorable(compiled: CompiledLike) -> bool:
    """Whether a row may keep a memo by value: its rule has a numbers-only path (pure by its
    protocol) and its target is not a deadline without its year (年底前), whose score depends
    on the project's year as well as the value."""
    target = compiled.target
    return (getattr(compiled.scorer, "numbers", None) is not None
            and not (target is not None and target.period is not None))


def _row_score(compiled: CompiledLike, decimals: int, zero: Decimal, units: Any) -> RowScore:
    """The `RowScore` of one row that applies, its scorer, points and full marks bound in."""
    scorer = compiled.scorer
    assert scorer is not None
    numbers = getattr(scorer, "numbers", None)
    points = compiled.indicator.points
    full = round_half_up(points, decimals)

    def score(actual: Actual, year: int | None) -> Decimal | None:
        # No value but counts in ``extra`` (a survey, deduction items) or an assessed score.
        value = _NO_VALUE if actual.value is None else parse_actual(actual.value, units)
        observation = Observation(value, actual.assessed, actual.extra, year)
        if numbers is not None:
            raw, status = numbers(observation)
        else:
            outcome = scorer(observation)
            if not isinstance(outcome, Outcome):
                return None
            raw, status = outcome.score, outcome.status
        if not isinstance(raw, Decimal):
            return None
        if status is Status.NOT_APPLICABLE:
            return _SKIPPED
        # Capped to [0, points] and rounded half up; full marks and 0 are rounded already.
        return full if raw >= points else zero if raw <= 0 else round_half_up(raw, decimals)

    return score


def _funds_score(compiled: CompiledLike, profile: Profile,
                 zero: Decimal) -> Callable[[Budget | None], Decimal | None]:
    """The funds row's scoring of a project's budget: its rounded score; None as `RowScore`."""
    scorer = compiled.scorer
    assert scorer is not None
    numbers = getattr(scorer, "numbers", None)
    points, decimals, unit_of_profile = compiled.indicator.points, profile.decimals, profile.budget_unit

    def score(budget: Budget | None) -> Decimal | None:
        if budget is None or budget.planned is None or budget.executed is None:
            return zero
        extra = {"planned": budget.planned, "executed": budget.executed,
                 "unit": budget.unit or unit_of_profile}
        observation = Observation(Value(f"{fmt(budget.executed)}/{fmt(budget.planned)}"), None,
                                  extra)
        if numbers is not None:
            raw, _ = numbers(observation)
        else:
            outcome = scorer(observation)
            if not isinstance(outcome, Outcome):
                return None
            raw = outcome.score
        if not isinstance(raw, Decimal):
            return None
        return round_half_up(min(max(raw, ZERO), points), decimals)

    return score


def memo_key(value: object, assessed: object = None) -> object:
    """How a row's memo knows an actual value (and the evaluator's assessed score, when there
    is one): text as itself, a number by type and text (so equal numbers written differently
    stay apart, as `parse_actual` keeps them), an assessed score by its text beside the
    value's key; None for any other value (not remembered)."""
    kind = type(value)
    if kind is str:
        key: object = value
    elif kind is int:
        key = (int, value)
    elif kind is float or kind is Decimal:
        key = (kind, str(value))
    else:
        return None
    if assessed is None:
        return key
    return ("assessed", key, str(assessed)) if type(assessed) is Decimal else None


def _layout(counted: Sequence[tuple[Decimal, _Where]], at: int,
            aggregator: Callable[[str], Aggregator]) -> tuple[Slot, ...]:
    """The subtotals by group (``at`` = 0) or by category (2) when every row counts: which
    scored rows each adds up (their places, the funds row first), in first-seen order."""
    order: dict[str, tuple[str, list[int]]] = {}
    for i, (_, where) in enumerate(counted):
        order.setdefault(where[at], (where[at + 1], []))[1].append(i)
    return tuple((key, zh, aggregator(key), tuple(places), [counted[i][0] for i in places],
                  sum((counted[i][0] for i in places), ZERO))
                 for key, (zh, places) in order.items())


def _subtotals(entries: Sequence[tuple[Decimal, Decimal, _Where]], at: int,
               aggregator: Callable[[str], Aggregator],
               decimals: int) -> tuple[Subtotal, ...] | None:
    """`evalcore.evaluation`'s subtotals of the numbers (by group, ``at`` = 0, or category, 2);
    None when an aggregator refuses them or gives no Decimal (the full path says so)."""
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


def _laid_out(scores: Sequence[Decimal], layout: Sequence[Slot],
              decimals: int) -> tuple[Subtotal, ...] | None:
    """`_subtotals` when every row counts: each subtotal's rows and points are known."""
    out = []
    exponent, ctx = quantize(decimals), context()
    for key, zh, aggregator, positions, points, points_sum in layout:
        total = aggregator.aggregate([scores[i] for i in positions], points)
        if not isinstance(total, Decimal):
            return None
        rounded = total.quantize(exponent, decimal.ROUND_HALF_UP, ctx)  # round_half_up, inline
        out.append(Subtotal(key, zh, points_sum, rounded if rounded else rounded.copy_abs()))
    return tuple(out)


def _laid_out_both(layout: tuple[Sequence[Slot], Sequence[Slot]], scores: Sequence[Decimal],
                   decimals: int) -> dict[str, tuple[Subtotal, ...]]:
    """The deferred subtotals of a numbers-first evaluation whose aggregators are all plain
    sums, made when first read: the same `_laid_out` as made at once, on the same scores."""
    with decimal.localcontext(context()):
        groups = _laid_out(scores, layout[0], decimals)
        categories = _laid_out(scores, layout[1], decimals)
    if groups is None or categories is None:
        raise PluginError([Problem("an aggregation that says it adds up (additive) gave no "
                                   "Decimal for the subtotals")])
    return {"groups": groups, "categories": categories}


def _words(full: Callable[[], Evaluation], name: str,
           subtotals: Callable[[], Mapping[str, tuple[Subtotal, ...]]],
           total: Decimal) -> dict[str, Any]:
    """The deferred words of a numbers-first evaluation, built by the full path when first read.

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
    numbers = subtotals()
    if evaluation is None or (evaluation.groups, evaluation.categories, evaluation.total) != (
            numbers["groups"], numbers["categories"], total):
        raise PluginError([Problem(f"a rule's numbers-only path (with_numbers) and its full scorer "
                                   f"give different results for project {quote(name)}: {why}")])
    return {"budget": evaluation.budget, "rows": evaluation.rows,
            "findings": evaluation.findings, "funds": evaluation.funds}
