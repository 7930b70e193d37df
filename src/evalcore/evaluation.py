"""Stage 4, evaluate: the compiled `Plan`, and how it scores a project into an `Evaluation`.

`evalcore.compiler` builds the plan (every row's target parsed and rule
bound, once); everything here reads it. Evaluation is pure: no I/O, no
globals, the same inputs give the same result. Each row's raw score is capped
to [0, points] and rounded half up at the profile's precision; subtotals and
the total are sums of the rounded rows, so the table always adds up.
Whatever a reviewer should see (a missing actual, a target far exceeded, a
shortfall without a reason, a published score that differs) becomes a
finding.

Numbers first, words on demand: `evaluate_plan` scores every row to its
rounded number and adds up the subtotals, total and grade
(`evalcore.numbers_first`); the rows with their explanations and traces, the
funds block and the findings are built by the full path below the first time
one of them is read (`Evaluation.deferred`). Whatever the numbers-first path
cannot take on (a value that cannot be read, a rule that refuses it, a
plugin's bug) goes to the full path at once, which reports it as before.

Every scored row, an indicator's or the funds row, takes one full path
(`_scored`): observation → scorer → cap → round → explanation → findings. Each
finding has one builder (`_missing_actual` ... `_published_differs`), whichever
row it is about.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

import decimal
import functools
import pickle
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from ._version import __version__
from .errors import (
    EXHAUSTED,
    EvaluationError,
    Origin,
    PluginError,
    Problem,
    exception_text,
    exhausted,
    hint_of,
    quote,
)
from .model import BUDGET_ID, Actual, Budget, Indicator, Project, Scheme, foreign_actuals, scheme_label
from .numbers import HUNDRED, ZERO, context, format_percent, round_half_up
from .numbers import format_decimal as fmt
from .numbers_first import NumbersPlan
from .profile import Profile
from .published import compare, message_en, message_zh, places_of, total_at
from .quantities import NOT_APPLICABLE, Target, Value, parse_actual
from .reading import Taken, signed_actual_messages
from .registrations import Aggregator, Category, Group, Observation, Outcome, RuleType, Scorer
from .registry import Registry
from .results import (
    BudgetRow,
    Evaluation,
    Finding,
    Funds,
    Provenance,
    Row,
    Scored,
    Status,
    Subtotal,
    Trace,
)

__all__ = ["CompiledRow", "Plan", "evaluate_plan"]


@attrs.frozen
class CompiledRow:
    """One indicator, ready to score: its specs, parsed target, bound rule and scorer."""

    indicator: Indicator
    category: Category
    group: Group
    rule: RuleType
    params: Mapping[str, Any]
    target: Target | None
    scorer: Scorer | None  # None: the row does not apply ("/")
    via: str | None = None  # the selecting rule that chose ``rule``, if any
    # Shown in every result; computed once here rather than per evaluation.
    target_text: str = ""
    shown_params: Mapping[str, str] = attrs.field(factory=dict)
    rescaled_from: Decimal | None = None  # the scheme's points, when rows that do not apply
    reading: Taken | None = None  # how a target without a sign was read (None: it had one)

    @property
    def applicable(self) -> bool:
        return self.scorer is not None


@attrs.frozen(eq=False)
class Plan:
    """A compiled scheme. ``evaluate(project)`` scores one project; it is pure and repeatable.

    Two plans are equal when they were compiled from equal schemes with equal registries (the
    scorers they hold are functions made by each compile, and compare by identity). A plan
    pickles as what it was compiled from and is compiled again when unpickled (``recompile``,
    set by `evalcore.compiler.compile_scheme`), so it can be sent to another process.
    """

    scheme: Scheme
    profile: Profile
    registry: Registry = attrs.field(repr=False)
    rows: tuple[CompiledRow, ...]
    budget: CompiledRow | None
    aggregator: Aggregator
    category_aggregators: Mapping[str, Aggregator] = attrs.field(factory=dict)
    warnings: tuple[Problem, ...] = ()
    digest: str = ""
    # How to compile it again (a function of scheme and registry), for pickling; None: a plan
    # of part of a scheme (``evalcore validate``) or one changed by hand (attrs.evolve), which
    # its scheme compiled again would not give back.
    recompile: Callable[[Scheme, Registry], Plan] | None = attrs.field(
        default=None, init=False, eq=False, repr=False)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Plan):
            return NotImplemented
        return self is other or (
            (self.digest, self.scheme, self.profile, self.warnings, self.registry)
            == (other.digest, other.scheme, other.profile, other.warnings, other.registry))

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        if self.recompile is None:
            raise pickle.PicklingError(
                "this plan was not made by evalcore.compile (it covers only the rows of its "
                "scheme that compiled, as evalcore validate makes them, or it was changed with "
                "attrs.evolve), so compiling its scheme again would not give it back; compile "
                "the scheme with evalcore.compile to send a plan to another process")
        return _compiled_again, (self.recompile, self.scheme, self.registry)

    @functools.cached_property
    def _numbers(self) -> NumbersPlan:
        """This plan as the numbers-first path reads it (`evalcore.numbers_first`): each row
        that applies as a step with its scorer bound in and its memo of the values it has
        scored, the funds row's scoring, the subtotals' layout. Made at the first evaluation."""
        return NumbersPlan(self)

    @functools.cached_property
    def _reads_funds(self) -> bool:
        """Whether a row is scored from the funds block (``input = "funds"``): the numbers-first
        path reads actual values only, so such a plan takes the full path."""
        return any(c.applicable and c.rule.input == "funds" for c in self.rows)

    @functools.cached_property
    def _ids(self) -> frozenset[str]:
        return frozenset(ind.id for ind in self.scheme.indicators)

    @functools.cached_property
    def _zero(self) -> Decimal:
        return round_half_up(ZERO, self.profile.decimals)

    @functools.cached_property
    def warning_findings(self) -> tuple[Finding, ...]:
        """The scheme's warnings as the findings every evaluation of this plan reports.

        They name the scheme's file without its folder, so a result is the same bytes wherever
        the program ran and however the file was named on its command line.
        """
        return tuple(Finding("scheme-warning", w.without_folder(), f"方案提示：{_warning_zh(w)}")
                     for w in self.warnings)

    @functools.cached_property
    def reading_findings(self) -> tuple[Finding, ...]:
        """An ``ambiguous-direction`` finding for each row whose target, written without a
        sign, was read by a guess (`evalcore.reading`): which reading was taken, and how to
        state it. Every evaluation of this plan reports them."""
        return tuple(ambiguous_direction(row) for row in self.rows
                     if row.reading is not None and row.reading.guess and row.target is not None)

    @functools.cached_property
    def provenance(self) -> Provenance:
        return Provenance(__version__, dict(self.registry.plugin_versions), self.digest)

    @functools.cached_property
    def _digest_without_profile(self) -> str:
        return attrs.evolve(self.scheme, profile=None).digest()

    def _foreign(self, project: Project) -> list[Problem]:
        """`foreign`, at the cost of two comparisons for a project of this very scheme."""
        if project.scheme is self.scheme and self._ids.issuperset(project.actuals):
            return []
        return self.foreign(project)

    def foreign(self, project: Project) -> list[Problem]:
        """Why ``project`` cannot be scored by this plan: it was written for another scheme
        (content compared by digest, so an equal scheme read or built separately is the same),
        or its actual values name indicators the plan does not have."""
        scheme = project.scheme
        if scheme is not self.scheme and scheme.digest() != self.digest and not (
                # the project filled in the profile its scheme left open: the same profile
                self.scheme.profile is None and scheme.profile == self.profile.name
                and attrs.evolve(scheme, profile=None).digest() == self._digest_without_profile):
            return [Problem(
                f"the project {quote(project.info.name)} was written for the "
                f"{scheme_label(scheme)}, not the {scheme_label(self.scheme)} of this plan",
                project.origin, "evaluate it with its own scheme (evalcore.evaluate(project)), or "
                "read it against this one: load_project(path, scheme=...)")]
        return foreign_actuals(self.scheme, ((ident, actual.origin)
                                             for ident, actual in project.actuals.items()))

    def evaluate(self, project: Project) -> Evaluation:
        """Score ``project``; EvaluationError lists every actual value that cannot be read, or
        says that the project was written for another scheme."""
        foreign = self._foreign(project)
        if foreign:
            raise EvaluationError(foreign)
        return evaluate_plan(self, project)

    def evaluate_table(self, table: Any, *, findings: bool = True) -> Any:
        """Score a table of projects, one per row, into a pyarrow Table: the columnar batch
        path, `evalcore.columnar.evaluate_table` (needs the ``batch`` extra); with
        ``findings=False``, scores only (no ``findings`` column)."""
        from .columnar import evaluate_table

        return evaluate_table(self, table, findings=findings)

    def evaluate_many(self, projects: Iterable[Project]) -> Iterator[Evaluation]:
        """Score projects one at a time, lazily: memory stays constant for any number."""
        for project in projects:
            yield self.evaluate(project)


def _warning_zh(warning: Problem) -> str:
    """A scheme's warning as a Chinese finding says it: the file's name (not its folder) and the
    Chinese message; a warning without one (a plugin's own) as its English line."""
    if not warning.message_zh:
        return warning.without_folder()
    name = re.split(r"[\\/]", warning.origin.file)[-1] if warning.origin.file else ""
    return f"{name}：{warning.message_zh}" if name else warning.message_zh


def _compiled_again(recompile: Callable[[Scheme, Registry], Plan], scheme: Scheme,
                    registry: Registry) -> Plan:
    """An unpickled plan: its scheme compiled again, in evalcore's decimal context."""
    with decimal.localcontext(context()):
        return recompile(scheme, registry)


def evaluate_plan(plan: Plan, project: Project) -> Evaluation:
    """Score every row of ``plan`` for ``project``; see the module docstring."""
    with decimal.localcontext(context()):  # the caller's decimal settings never matter
        if plan._reads_funds:
            return _evaluate(plan, project)
        return (plan._numbers.evaluate(project, functools.partial(_evaluate, plan, project))
                or _evaluate(plan, project))


@attrs.define
class _Report:
    """What one evaluation collects on its way: the problems that stop it (every actual value
    that cannot be read), and the findings it reports."""

    problems: list[Problem]
    findings: list[Finding]
    places: int | None = None  # the precision of the published table (`evalcore.published`)
    decimals: int = 2  # the profile's

    def add(self, *findings: Finding | None) -> None:
        """Report the findings that apply (a builder gives None when its finding does not)."""
        for finding in findings:
            if finding is not None:
                self.findings.append(finding)


def _evaluate(plan: Plan, project: Project) -> Evaluation:
    report = _Report([], [*plan.warning_findings, *plan.reading_findings],
                     published_places(project), plan.profile.decimals)
    rows = tuple(_indicator_row(plan, compiled, project.actuals.get(compiled.indicator.id), report,
                                project.info.year, project.budget)
                 for compiled in plan.rows)
    budget = _budget_row(plan, plan.budget, project.budget, report) if plan.budget else None
    if report.problems:
        raise EvaluationError(report.problems)
    groups, categories = _aggregate(plan, rows, budget)
    total = round_half_up(plan.aggregator.aggregate([g.score for g in groups],
                                                    [g.points for g in groups]), plan.profile.decimals)
    grade = plan.profile.grade(total)
    info = project.info
    if info.published_total is not None:
        scored = [(r.group, r.points, r.score) for r in rows
                  if r.status is not Status.NOT_APPLICABLE]
        if budget is not None and plan.budget is not None:
            scored.insert(0, (plan.budget.group.name, budget.points, budget.score))
        report.add(_published_differs(report, info.published_total, total, at=total_at(
            plan.aggregator, scored, report.places, report.decimals, total)))
    return Evaluation(
        project=info.name, department=info.department, implementer=info.implementer,
        year=info.year, goal_expected=info.goal_expected, goal_achieved=info.goal_achieved,
        scheme=plan.scheme.name, profile=plan.profile.name, decimals=plan.profile.decimals,
        budget=budget, rows=rows, groups=groups, categories=categories,
        points=sum((g.points for g in groups), ZERO), total=total, grade=grade.name,
        grade_en=grade.en, findings=tuple(report.findings), provenance=plan.provenance,
        funds=_funds(plan, project.budget),
    )


def _aggregate(plan: Plan, rows: Sequence[Row],
               budget: BudgetRow | None) -> tuple[tuple[Subtotal, ...], tuple[Subtotal, ...]]:
    """The subtotals per level-1 group and per category, the funds row first.

    Rows that do not apply take no part in any aggregate (a weakest-link minimum must not see
    their 0)."""
    scored = [(r.group, r.group_zh, r.category, r.category_zh, r.points, r.score) for r in rows
              if r.status is not Status.NOT_APPLICABLE]
    if budget is not None and plan.budget is not None:
        b = plan.budget
        scored.insert(0, (b.group.name, b.group.zh, b.category.name, b.category.zh,
                          budget.points, budget.score))
    decimals = plan.profile.decimals
    categories = _subtotals([(c, cz, p, s) for _, _, c, cz, p, s in scored],
                            lambda name: plan.category_aggregators.get(name, plan.aggregator), decimals)
    groups = _subtotals([(g, gz, p, s) for g, gz, _, _, p, s in scored],
                        lambda _: plan.aggregator, decimals)
    return groups, categories


def _subtotals(items: Sequence[tuple[str, str, Decimal, Decimal]],
               aggregator: Callable[[str], Aggregator], decimals: int) -> tuple[Subtotal, ...]:
    """Points and scores per name, in first-seen order, each added up by its aggregator and
    rounded half up like the rows (a sum of rounded rows is already exact).

    An aggregator that cannot combine the scores it is given (PEFA's M2 table
    has no row for them) raises ValueError; that becomes an EvaluationError
    naming the category or group."""
    order: dict[str, tuple[str, list[Decimal], list[Decimal]]] = {}
    for key, zh, points, score in items:
        entry = order.setdefault(key, (zh, [], []))
        entry[1].append(points)
        entry[2].append(score)
    out = []
    for key, (zh, all_points, scores) in order.items():
        how = aggregator(key)
        try:
            total = how.aggregate(scores, all_points)
        except (ValueError, ArithmeticError) as exc:
            raise EvaluationError([Problem(f"{zh} ({key}): aggregation {how.name!r} cannot add up "
                                           f"{', '.join(map(fmt, scores))}: {exc}")]) from None
        if not isinstance(total, Decimal):
            raise PluginError([Problem(f"aggregation {how.name!r} must return a Decimal, not "
                                       f"{total!r}")])
        out.append(Subtotal(key, zh, sum(all_points, ZERO), round_half_up(total, decimals)))
    return tuple(out)


# -- the findings: one builder each, whichever row they are about ------------------------------


@attrs.define  # not frozen: made for every row of every evaluation, it is never changed
class _Subject:
    """A row on the scoring path: what the project says of it, and how findings name it."""

    compiled: CompiledRow
    origin: Origin  # where its actual value or budget figures are, for problems
    reason: str
    published: Decimal | None
    funds: bool = False  # the funds row: "budget" in findings, and it always applies
    reviewed: Decimal | None = None  # the reviewer's score (复核分) and reason, carried along
    reviewed_reason: str = ""

    @property
    def id(self) -> str:
        return BUDGET_ID if self.funds else self.compiled.indicator.id

    @property
    def en(self) -> str:
        """How an English finding names the row: "q1 批次数", "budget"."""
        ind = self.compiled.indicator
        return BUDGET_ID if self.funds else f"{ind.id} {ind.name}"

    @property
    def zh(self) -> str:
        """How a Chinese finding names it: the indicator's name, the budget category's."""
        return self.compiled.category.zh if self.funds else self.compiled.indicator.name


@attrs.frozen
class _Figures:
    """The funds row's figures, when both are given: what its rate and findings read."""

    planned: Decimal
    executed: Decimal
    unit: str


def ambiguous_direction(row: CompiledRow) -> Finding:
    """The finding of a target without a sign whose reading is a guess (`Plan.reading_findings`)."""
    assert row.reading is not None and row.target is not None and row.target.quantity is not None
    ind, taken, amount = row.indicator, row.reading, str(row.target.quantity)
    written, read = str(ind.target), f"{taken.comparator.value}{amount}"
    return Finding(
        "ambiguous-direction",
        f"{ind.id} {ind.name}: the target {written!r} has no comparison sign; it was read as "
        f"{read} ({taken.why_en}); state it: write ≥{amount} or ≤{amount}",
        f"{ind.name}：目标“{written}”未写比较符号，按“{read}”评分（{taken.why_zh}）；"
        f"请写明“≥{amount}”或“≤{amount}”", ind.id)


def _missing_actual(subject: _Subject, what_en: str, what_zh: str) -> Finding:
    """No actual value (or no budget figures): the row scores 0."""
    return Finding("missing-actual", f"{subject.en}: {what_en}", f"{subject.zh}：{what_zh}，按0分计",
                   subject.id)


def _ignored_actual(subject: _Subject, actual: Actual | None) -> Finding | None:
    """An actual value given for a row that does not apply (target "/")."""
    if actual is None or actual.value is None:
        return None
    return Finding("ignored-actual", f"{subject.en}: the row does not apply (target \"/\"), so its "
                   f"actual value {actual.value!r} is ignored",
                   f"{subject.zh}：本项不适用，其实际完成值“{actual.value}”不计分", subject.id)


def _missing_reason(plan: Plan, subject: _Subject, why_en: str, why_zh: str) -> Finding | None:
    """A shortfall the project gives no reason for, where the profile asks for one."""
    if not plan.profile.reason_required or subject.reason.strip():
        return None
    return Finding("missing-reason", f"{subject.en}: {why_en}", f"{subject.zh}{why_zh}", subject.id)


def _overachievement(plan: Plan, subject: _Subject, ratio: Decimal | None) -> Finding | None:
    """A target beaten by more than the profile's threshold: perhaps it was set too low."""
    threshold = plan.profile.overachievement
    if threshold is None or ratio is None or ratio <= threshold:
        return None
    limit, achieved = fmt(threshold * HUNDRED), format_percent(ratio, 1)
    return Finding(
        "overachievement",
        f"{subject.en}: the target was beaten by a ratio of {achieved} (actual/target, or "
        f"target/actual for an upper limit), above {limit}%; was the target set too loosely? No "
        "bonus is given; explain the deviation",
        f"{subject.zh}：完成程度为目标的{achieved}（上限类指标按目标值/实际值计），超过{limit}%，"
        "请说明目标是否设置偏低（超额完成不加分）", subject.id)


def _overspent(subject: _Subject, figures: _Figures, rate: Decimal | None) -> Finding | None:
    """More executed than the full-year budget: it earns nothing, and may be a typing error."""
    if rate is None or rate <= 1:
        return None
    executed, planned, percent = fmt(figures.executed), fmt(figures.planned), format_percent(rate)
    return Finding(
        "overspent", f"{subject.en}: executed {executed} of a full-year budget of {planned} "
        f"{figures.unit} ({percent}): spending above the budget earns nothing extra; check the "
        "figures",
        f"{subject.zh}：全年执行数{executed}超过全年预算数{planned}（{percent}），超支不加分，请核实",
        subject.id)


def published_places(project: Project) -> int | None:
    """The precision of the table ``project`` was published in: the most decimal places of its
    published scores (rows, funds row, total), None when it publishes none."""
    budget = project.budget.published if project.budget is not None else None
    return places_of([project.info.published_total, budget,
                      *(a.published for a in project.actuals.values())])


def _published_differs(report: _Report, published: Decimal | None, computed: Decimal,
                       subject: _Subject | None = None, at: Decimal | None = None
                       ) -> Finding | None:
    """A published score (a row's, or with no ``subject`` the total) other than the computed
    one at the published table's precision (`evalcore.published`); ``at``: the total so
    added up, for the total."""
    if published is None:
        return None
    if at is None:
        at, _ = compare(published, computed, report.places, report.decimals)
    if published == at:
        return None
    name_zh, name_en = (subject.zh, subject.en) if subject is not None else (None, None)
    return Finding("published-differs", message_en(name_en, published, computed, at),
                   message_zh(name_zh, published, computed, at),
                   subject.id if subject is not None else None)


# -- the one scoring path ------------------------------------------------------------------------

_Checks = Callable[[Outcome, Decimal], Iterable[Finding | None]]
"""A row kind's findings on a score: given the rule's outcome and the rounded score."""


def _scored(plan: Plan, subject: _Subject, observation: Observation, report: _Report,
            checks: _Checks, hint: str | None = None) -> tuple[Outcome, Scored] | None:
    """Every scored row's path: observation → scorer → cap to [0, points] → round half up →
    explanation → findings. None when the rule refused the value (the problem is reported)."""
    compiled = subject.compiled
    outcome = _run_scorer(plan, compiled, observation, subject.origin, report.problems, hint)
    if outcome is None:
        return None
    if outcome.status is Status.NOT_APPLICABLE and not subject.funds:  # PEFA's NA: the rule
        return outcome, _not_applicable(plan, subject, outcome)  # says so for this project
    points = compiled.indicator.points
    capped = min(max(outcome.score, ZERO), points)
    score = round_half_up(capped, plan.profile.decimals)
    zh, en = _explain(outcome, points, capped, score)
    report.add(*checks(outcome, score))
    return outcome, Scored(points=points, score=score, status=outcome.status, explanation_zh=zh,
                           explanation_en=en, trace=_trace(compiled, outcome, capped),
                           reason=subject.reason, published=subject.published,
                           reviewed=subject.reviewed, reviewed_reason=subject.reviewed_reason)


def _run_scorer(plan: Plan, compiled: CompiledRow, observation: Observation, origin: Origin,
                problems: list[Problem], hint: str | None) -> Outcome | None:
    """The rule's outcome; None, with the problem, when it refuses the value. A rule that fails
    otherwise is a bug in its plugin, not the user's mistake: PluginError."""
    assert compiled.scorer is not None
    try:
        outcome = compiled.scorer(observation)
    except decimal.DecimalException:
        problems.append(Problem("the numbers are too large or too small to score exactly; check "
                                "the target and the actual value", origin))
        return None
    except (ValueError, ArithmeticError) as exc:
        problems.append(Problem(str(exc), origin, hint_of(exc) or hint))
        return None
    except EXHAUSTED as exc:
        problems.append(exhausted(exc, origin, "scoring"))
        return None
    except Exception as exc:  # a bug in the rule's plugin, not the user's mistake
        raise PluginError([Problem(f"plugin {_plugin_of(plan, compiled)!r}: rule "
                                   f"{compiled.rule.name!r} raised {exception_text(exc)}",
                                   origin)]) from None
    if not isinstance(outcome, Outcome) or not isinstance(outcome.score, Decimal):
        raise PluginError([Problem(
            f"plugin {_plugin_of(plan, compiled)!r}: rule {compiled.rule.name!r} must return an "
            f"Outcome with a Decimal score, not {outcome!r}", origin)])
    return outcome


def _plugin_of(plan: Plan, compiled: CompiledRow) -> str:
    entry = plan.registry.rules.get(compiled.rule.name)
    return entry.plugin if entry is not None else "?"


def _trace(compiled: CompiledRow, outcome: Outcome | None, capped: Decimal | None) -> Trace:
    return Trace(
        rule=compiled.rule.name,
        params=compiled.shown_params,
        via=compiled.via,
        rescaled_from=compiled.rescaled_from,
        formula=outcome.formula_in("en") if outcome else "",
        matched=outcome.matched if outcome else None,
        raw=outcome.score if outcome else None,
        capped=capped,
        formula_zh=_own_zh(outcome),
    )


def _own_zh(outcome: Outcome | None) -> str:
    """The outcome's Chinese formula when it differs from the trace's ``formula``; else "" (a
    trace keeps one text when the rule's formula is arithmetic alone)."""
    if outcome is None:
        return ""
    zh = outcome.formula_in("zh")
    return "" if zh == outcome.formula_in("en") else zh


def _explain(outcome: Outcome, points: Decimal, capped: Decimal,
             score: Decimal) -> tuple[str, str]:
    """One line in each language: the comparison, the formula when points were lost, the loss."""
    lost = points - score
    rounded_zh = rounded_en = ""
    if capped != outcome.score:
        rounded_zh = f"（限于0–{fmt(points)}分：{fmt(capped)}）"
        rounded_en = f" (capped to 0–{fmt(points)}: {fmt(capped)})"
    if capped != score:
        rounded_zh += f"，四舍五入为{fmt(score)}"
        rounded_en += f", rounded half up to {fmt(score)}"
    if lost == 0 and capped == points:
        return (f"{outcome.note_zh}，得满分{fmt(points)}分",
                f"{outcome.note_en}: full {fmt(points)} points")
    formula_zh = f"；{outcome.formula_in('zh')}" if outcome.formula_in("zh") else ""
    formula_en = f"; {outcome.formula_in('en')}" if outcome.formula_in("en") else ""
    return (f"{outcome.note_zh}{formula_zh}{rounded_zh}，扣{fmt(lost)}分",
            f"{outcome.note_en}{formula_en}{rounded_en}: {fmt(lost)} of {fmt(points)} points lost")


def _zero(plan: Plan, subject: _Subject, status: Status, zh: str = "", en: str = "", *,
          points: Decimal | None = None, trace: Trace | None = None) -> Scored:
    """A row that scores nothing: missing, not applicable, or refused by its rule (then the
    reported problem stops the evaluation, and the row is never seen)."""
    return Scored(points=subject.compiled.indicator.points if points is None else points,
                  score=round_half_up(ZERO, plan.profile.decimals), status=status,
                  explanation_zh=zh, explanation_en=en,
                  trace=trace or _trace(subject.compiled, None, None), reason=subject.reason,
                  published=subject.published, reviewed=subject.reviewed,
                  reviewed_reason=subject.reviewed_reason)


def _not_applicable(plan: Plan, subject: _Subject, outcome: Outcome | None = None) -> Scored:
    """A row that does not apply, in the scheme (target "/") or by its rule for this project:
    no points, no score, no part in any aggregate."""
    return _zero(plan, subject, Status.NOT_APPLICABLE,
                 (outcome.note_zh if outcome else "") or "本项不适用，不计分",
                 (outcome.note_en if outcome else "") or "does not apply; no points",
                 points=ZERO, trace=_trace(subject.compiled, outcome, ZERO if outcome else None))


def _scored_fields(scored: Scored) -> dict[str, Any]:
    """``scored``'s fields, to build a `Row` or `BudgetRow` from."""
    return {name: getattr(scored, name) for name in _SCORED_FIELDS}


_SCORED_FIELDS = tuple(f.name for f in attrs.fields(Scored))


# -- the indicator rows --------------------------------------------------------------------------

_NOT_APPLICABLE_HINT = ("the row applies in the scheme; write \"/\" as its target (with 0 points) "
                        "to leave it out")


def _indicator_row(plan: Plan, compiled: CompiledRow, actual: Actual | None,
                   report: _Report, year: int | None = None, budget: Budget | None = None) -> Row:
    """One indicator's row of the 自评表: what the scheme says of it, and how it scored."""
    ind = compiled.indicator
    subject = _Subject(compiled, actual.origin if actual else Origin(),
                       actual.reason if actual else "", actual.published if actual else None,
                       reviewed=actual.reviewed if actual else None,
                       reviewed_reason=actual.reviewed_reason if actual else "")
    if compiled.applicable and compiled.rule.input == "funds":
        shown, scored = _score_from_funds(plan, subject, actual, budget, report)
    else:
        shown, scored = _score_indicator(plan, subject, actual, report, year)
    return Row(id=ind.id, name=ind.name, category=compiled.category.name,
               category_zh=compiled.category.zh, group=compiled.group.name,
               group_zh=compiled.group.zh, target=compiled.target_text, actual=shown,
               **_scored_fields(scored))


def _score_indicator(plan: Plan, subject: _Subject, actual: Actual | None,
                     report: _Report, year: int | None = None) -> tuple[str, Scored]:
    """The actual value as shown, and the row scored: not applicable, missing, or on the path."""
    compiled = subject.compiled
    if not compiled.applicable:
        report.add(_ignored_actual(subject, actual))
        return "/", _not_applicable(plan, subject)
    if actual is None or (actual.value is None and not actual.extra and actual.assessed is None):
        report.add(_missing_actual(subject, "no actual value; scored 0", "缺少实际完成值"),
                   _published_differs(report, subject.published, plan._zero, subject))
        points = fmt(compiled.indicator.points)
        return "", _zero(plan, subject, Status.MISSING, f"缺少实际完成值，扣{points}分",
                         f"no actual value: all {points} points lost")
    try:
        # No value but counts in ``extra`` (a survey, deduction items) or an assessed score.
        value = Value("") if actual.value is None else parse_actual(actual.value, plan.registry.units)
    except ValueError as exc:
        report.problems.append(Problem(str(exc), actual.origin, hint_of(exc)))
        return "", _zero(plan, subject, Status.MISSING)
    # Only a rule that knows "not applicable" per project (PEFA's NA) accepts "/" as a value.
    na = isinstance(actual.value, str) and actual.value.strip() in NOT_APPLICABLE
    scored = _scored(plan, subject, Observation(value, actual.assessed, actual.extra, year), report,
                     functools.partial(_indicator_checks, plan, subject, report),
                     _NOT_APPLICABLE_HINT if na else None)
    if scored and value.comparator is not None:
        en, zh = signed_actual_messages(subject.id, subject.zh, value)
        report.add(Finding("signed-actual", en, zh, subject.id))
    return value.text, scored[1] if scored else _zero(plan, subject, Status.MISSING)


def _rule_findings(subject: _Subject, outcome: Outcome) -> list[Finding]:
    """The rule's own findings on the row (`Outcome.findings`), named and located as the
    engine's are."""
    return [attrs.evolve(f, message_en=f"{subject.en}: {f.message_en}",
                         message_zh=f"{subject.zh}：{f.message_zh}", indicator=subject.id)
            for f in outcome.findings]


def _score_from_funds(plan: Plan, subject: _Subject, actual: Actual | None, budget: Budget | None,
                      report: _Report) -> tuple[str, Scored]:
    """A row whose rule reads the funds block (``input = "funds"``: 资金到位率 on a 过程 row):
    scored from [budget]'s figures, shown as the rate its rule gives; its own actual value, if
    any, is refused rather than silently unused."""
    if actual is not None and (actual.value is not None or actual.extra or actual.assessed is not None):
        report.problems.append(Problem(
            f"rule {subject.compiled.rule.name!r} scores this row from the funds block ([budget]); "
            "its own actual value is not used", actual.origin,
            "leave out actual (and extra, assessed) for this row; give the amounts in [budget]"))
        return "", _zero(plan, subject, Status.MISSING)
    if budget is None:
        report.add(_missing_actual(subject, "no [budget] block, which this row is scored from; scored 0",
                                   "缺少资金数据（[budget]）"))
        points = fmt(subject.compiled.indicator.points)
        return "", _zero(plan, subject, Status.MISSING, f"缺少资金数据，扣{points}分",
                         f"no budget figures: all {points} points lost")
    subject.origin = budget.origin
    unit = budget.unit or plan.profile.budget_unit
    extra = {"planned": budget.planned, "executed": budget.executed, "received": budget.received,
             "unit": unit}
    scored = _scored(plan, subject, Observation(Value(""), None, extra), report,
                     functools.partial(_funds_checks, plan, subject, report))
    if scored is None:
        return "", _zero(plan, subject, Status.MISSING)
    outcome, row = scored
    return (format_percent(outcome.ratio) if outcome.ratio is not None else ""), row


def _funds_checks(plan: Plan, subject: _Subject, report: _Report, outcome: Outcome,
                  score: Decimal) -> list[Finding | None]:
    """A row scored from the funds block: its rule's findings, a shortfall without a reason, a
    published score that differs (a rate above 100% is no over-achievement of a target)."""
    missed = outcome.status in (Status.PARTLY_MET, Status.MISSED)
    return [*_rule_findings(subject, outcome),
            _missing_reason(plan, subject, "the target was not met and no reason for the "
                            "deviation is given", "：未完成目标，但未填写偏差原因分析及改进措施")
            if missed else None,
            _published_differs(report, subject.published, score, subject)]


def _indicator_checks(plan: Plan, subject: _Subject, report: _Report, outcome: Outcome,
                      score: Decimal) -> list[Finding | None]:
    """An indicator's findings on its score (`_Checks`), in the order they are reported."""
    missed = outcome.status in (Status.PARTLY_MET, Status.MISSED)
    return [*_rule_findings(subject, outcome), _overachievement(plan, subject, outcome.ratio),
            _missing_reason(plan, subject, "the target was not met and no reason for the deviation "
                            "is given",
                            "：未完成目标，但未填写偏差原因分析及改进措施") if missed else None,
            _published_differs(report, subject.published, score, subject)]


# -- the funds row -------------------------------------------------------------------------------


def _sources(budget: Budget | None) -> tuple[Mapping[str, str], ...]:
    """The 其中 lines of ``budget``, their figures as exact decimal text."""
    return tuple({k: fmt(v) if isinstance(v, Decimal) else v for k, v in
                  (("name", s.name), ("initial", s.initial), ("planned", s.planned),
                   ("executed", s.executed)) if v is not None}
                 for s in (budget.sources if budget else ()))


def _funds(plan: Plan, budget: Budget | None) -> Funds | None:
    """The project's funds block as the form shows it, scored or not; None without [budget]."""
    if budget is None:
        return None
    return Funds(unit=budget.unit or plan.profile.budget_unit, initial=budget.initial,
                 planned=budget.planned, received=budget.received, executed=budget.executed,
                 sources=_sources(budget))


def _budget_row(plan: Plan, compiled: CompiledRow, budget: Budget | None,
                report: _Report) -> BudgetRow:
    """The funds block and its execution-rate row: the project's figures, and how they scored."""
    unit = (budget.unit if budget else "") or plan.profile.budget_unit
    subject = _Subject(compiled, budget.origin if budget else Origin(),
                       budget.reason if budget else "", budget.published if budget else None,
                       funds=True, reviewed=budget.reviewed if budget else None,
                       reviewed_reason=budget.reviewed_reason if budget else "")
    rate, scored = _score_budget(plan, subject, budget, unit, report)
    sources = _sources(budget)
    return BudgetRow(name=compiled.category.zh, unit=unit,
                     initial=budget.initial if budget else None,
                     planned=budget.planned if budget else None,
                     executed=budget.executed if budget else None, rate=rate, sources=sources,
                     **_scored_fields(scored))


def _score_budget(plan: Plan, subject: _Subject, budget: Budget | None, unit: str,
                  report: _Report) -> tuple[Decimal | None, Scored]:
    """The execution rate, and the funds row scored: missing figures, or on the path."""
    if budget is None or budget.planned is None or budget.executed is None:
        report.add(_missing_actual(subject, "the full-year budget or the amount executed is "
                                   "missing; the execution rate scores 0", "缺少全年预算数或全年执行数"),
                   _published_differs(report, subject.published, plan._zero, subject))
        points = fmt(subject.compiled.indicator.points)
        return None, _zero(plan, subject, Status.MISSING, f"缺少预算执行数据，扣{points}分",
                           f"no budget figures: all {points} points lost")
    figures = _Figures(budget.planned, budget.executed, unit)
    extra = {"planned": figures.planned, "executed": figures.executed, "unit": unit}
    observation = Observation(Value(f"{fmt(figures.executed)}/{fmt(figures.planned)}"), None, extra)
    scored = _scored(plan, subject, observation, report,
                     functools.partial(_budget_checks, plan, subject, report, figures))
    if scored is None:
        return None, _zero(plan, subject, Status.MISSING)
    outcome, row = scored
    return outcome.ratio, row


def _budget_checks(plan: Plan, subject: _Subject, report: _Report, figures: _Figures,
                   outcome: Outcome,
                   score: Decimal) -> list[Finding | None]:
    """The funds row's findings on its score (`_Checks`), in the order they are reported."""
    rate, below = outcome.ratio, plan.profile.reason_budget_below
    findings = [_published_differs(report, subject.published, score, subject),
                _overspent(subject, figures, rate)]
    if rate is not None and rate < below:
        shown, limit = format_percent(rate), format_percent(below)
        findings.append(_missing_reason(
            plan, subject, f"the execution rate {shown} is below {limit} and no reason is given",
            f"{shown}，低于{limit}，但未填写原因"))
    return findings
