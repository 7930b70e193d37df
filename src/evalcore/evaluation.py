"""Stage 4, evaluate: the compiled `Plan`, and how it scores a project into an `Evaluation`.

`evalcore.compiler` builds the plan (every row's target parsed and rule
bound, once); everything here reads it. Evaluation is pure: no I/O, no
globals, the same inputs give the same result. Each row's raw score is capped
to [0, points] and rounded half up at the profile's precision; subtotals and
the total are sums of the rounded rows, so the table always adds up.
Whatever a reviewer should see (a missing actual, a target far exceeded, a
shortfall without a reason, a published score that differs) becomes a
finding.
"""

from __future__ import annotations

import decimal
import functools
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
)
from .model import BUDGET_ID, Actual, Indicator, Project, Scheme
from .numbers import ZERO, context, format_percent, round_half_up
from .numbers import format_decimal as fmt
from .profile import Profile
from .quantities import NOT_APPLICABLE, Target, Value, parse_actual
from .registrations import Aggregator, Category, Group, Observation, Outcome, RuleType, Scorer
from .registry import Registry
from .results import BudgetRow, Evaluation, Finding, Provenance, Row, Status, Subtotal, Trace

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

    @property
    def applicable(self) -> bool:
        return self.scorer is not None


@attrs.frozen
class Plan:
    """A compiled scheme. ``evaluate(project)`` scores one project; it is pure and repeatable."""

    scheme: Scheme
    profile: Profile
    registry: Registry = attrs.field(repr=False)
    rows: tuple[CompiledRow, ...]
    budget: CompiledRow | None
    aggregator: Aggregator
    category_aggregators: Mapping[str, Aggregator] = attrs.field(factory=dict)
    warnings: tuple[Problem, ...] = ()
    digest: str = ""

    @functools.cached_property
    def warning_findings(self) -> tuple[Finding, ...]:
        """The scheme's warnings as the findings every evaluation of this plan reports.

        They name the scheme's file without its folder, so a result is the same bytes wherever
        the program ran and however the file was named on its command line.
        """
        return tuple(Finding("scheme-warning", text, f"方案提示：{text}")
                     for text in (w.without_folder() for w in self.warnings))

    @functools.cached_property
    def provenance(self) -> Provenance:
        return Provenance(__version__, dict(self.registry.plugin_versions), self.digest)

    def evaluate(self, project: Project) -> Evaluation:
        """Score ``project``; EvaluationError lists every actual value that cannot be read."""
        return evaluate_plan(self, project)

    def evaluate_many(self, projects: Iterable[Project]) -> Iterator[Evaluation]:
        """Score projects one at a time, lazily: memory stays constant for any number."""
        for project in projects:
            yield self.evaluate(project)


def evaluate_plan(plan: Plan, project: Project) -> Evaluation:
    """Score every row of ``plan`` for ``project``; see the module docstring."""
    with decimal.localcontext(context()):  # the caller's decimal settings never matter
        return _evaluate(plan, project)


def _evaluate(plan: Plan, project: Project) -> Evaluation:
    problems: list[Problem] = []
    findings: list[Finding] = list(plan.warning_findings)
    rows = [_row(plan, compiled, project.actuals.get(compiled.indicator.id), problems, findings)
            for compiled in plan.rows]
    budget = _budget_row(plan, project, problems, findings) if plan.budget else None
    if problems:
        raise EvaluationError(problems)

    # Rows that do not apply take no part in any aggregate (a weakest-link minimum must not
    # see their 0).
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
    total = round_half_up(plan.aggregator.aggregate([g.score for g in groups],
                                                    [g.points for g in groups]), plan.profile.decimals)
    points = sum((g.points for g in groups), ZERO)
    grade = plan.profile.grade(total)
    published = project.info.published_total
    if published is not None and published != total:
        findings.append(Finding(
            "published-differs",
            f"the published total {fmt(published)} differs from the computed {fmt(total)}",
            f"公布的总分 {fmt(published)} 与计算所得 {fmt(total)} 不一致"))
    info = project.info
    return Evaluation(
        project=info.name, department=info.department, implementer=info.implementer,
        year=info.year, goal_expected=info.goal_expected, goal_achieved=info.goal_achieved,
        scheme=plan.scheme.name, profile=plan.profile.name, decimals=plan.profile.decimals,
        budget=budget, rows=tuple(rows), groups=groups, categories=categories,
        points=points, total=total, grade=grade.name, grade_en=grade.en,
        findings=tuple(findings),
        provenance=plan.provenance,
    )


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


def _score(plan: Plan, compiled: CompiledRow, observation: Observation, origin: Origin,
           problems: list[Problem], hint: str | None = None) -> tuple[Outcome, Decimal, Decimal] | None:
    assert compiled.scorer is not None
    try:
        outcome = compiled.scorer(observation)
    except decimal.DecimalException:
        problems.append(Problem("the numbers are too large or too small to score exactly; check "
                                "the target and the actual value", origin))
        return None
    except (ValueError, ArithmeticError) as exc:
        problems.append(Problem(str(exc), origin, getattr(exc, "hint", None) or hint))
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
    points = compiled.indicator.points
    capped = min(max(outcome.score, ZERO), points)
    return outcome, capped, round_half_up(capped, plan.profile.decimals)


def _plugin_of(plan: Plan, compiled: CompiledRow) -> str:
    entry = plan.registry.rules.get(compiled.rule.name)
    return entry.plugin if entry is not None else "?"


def _trace(compiled: CompiledRow, outcome: Outcome | None, capped: Decimal | None) -> Trace:
    return Trace(
        rule=compiled.rule.name,
        params=compiled.shown_params,
        via=compiled.via,
        rescaled_from=compiled.rescaled_from,
        formula=outcome.formula if outcome else "",
        matched=outcome.matched if outcome else None,
        raw=outcome.score if outcome else None,
        capped=capped,
    )


def _row(plan: Plan, compiled: CompiledRow, actual: Actual | None, problems: list[Problem],
         findings: list[Finding]) -> Row:
    ind = compiled.indicator
    target = compiled.target_text

    def make(score: Decimal, status: Status, zh: str, en: str, trace: Trace,
             shown: str = "", points: Decimal | None = None) -> Row:
        return Row(
            id=ind.id, name=ind.name, category=compiled.category.name,
            category_zh=compiled.category.zh, group=compiled.group.name,
            group_zh=compiled.group.zh, target=target, actual=shown,
            points=ind.points if points is None else points,
            score=round_half_up(score, plan.profile.decimals), status=status,
            explanation_zh=zh, explanation_en=en, trace=trace,
            reason=actual.reason if actual else "",
            published=actual.published if actual else None,
        )

    if not compiled.applicable:
        if actual is not None and actual.value is not None:
            findings.append(Finding(
                "ignored-actual", f"{ind.id} {ind.name}: the row does not apply (target \"/\"), so "
                f"its actual value {actual.value!r} is ignored", f"{ind.name}：本项不适用，"
                f"其实际完成值“{actual.value}”不计分", ind.id))
        return make(ZERO, Status.NOT_APPLICABLE, "本项不适用，不计分", "does not apply; no points",
                    _trace(compiled, None, None), "/", ZERO)
    if actual is None or (actual.value is None and not actual.extra and actual.assessed is None):
        findings.append(Finding(
            "missing-actual", f"{ind.id} {ind.name}: no actual value; scored 0",
            f"{ind.name}：缺少实际完成值，按0分计", ind.id))
        return make(ZERO, Status.MISSING, f"缺少实际完成值，扣{fmt(ind.points)}分",
                    f"no actual value: all {fmt(ind.points)} points lost",
                    _trace(compiled, None, None))
    try:
        # No value but counts in ``extra`` (a survey, deduction items) or an assessed score.
        value = Value("") if actual.value is None else parse_actual(actual.value, plan.registry.units)
    except ValueError as exc:
        problems.append(Problem(str(exc), actual.origin, getattr(exc, "hint", None)))
        return make(ZERO, Status.MISSING, "", "", _trace(compiled, None, None))
    observation = Observation(value, actual.assessed, actual.extra)
    if isinstance(actual.value, str) and actual.value.strip() in NOT_APPLICABLE:
        # Only a rule that knows "not applicable" per project (PEFA's NA) accepts this.
        hint = ("the row applies in the scheme; write \"/\" as its target (with 0 points) to "
                "leave it out")
        scored = _score(plan, compiled, observation, actual.origin, problems, hint)
    else:
        scored = _score(plan, compiled, observation, actual.origin, problems)
    if scored is None:
        return make(ZERO, Status.MISSING, "", "", _trace(compiled, None, None), value.text)
    outcome, capped, score = scored
    if outcome.status is Status.NOT_APPLICABLE:  # the rule says so for this project (PEFA "NA")
        return make(ZERO, Status.NOT_APPLICABLE, outcome.note_zh or "本项不适用，不计分",
                    outcome.note_en or "does not apply; no points",
                    _trace(compiled, outcome, ZERO), value.text, ZERO)
    zh, en = _explain(outcome, ind.points, capped, score)
    _row_findings(plan, compiled, actual, outcome, score, findings)
    return make(score, outcome.status, zh, en, _trace(compiled, outcome, capped), value.text)


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
    formula_zh = f"；{outcome.formula}" if outcome.formula else ""
    formula_en = f"; {outcome.formula}" if outcome.formula else ""
    return (f"{outcome.note_zh}{formula_zh}{rounded_zh}，扣{fmt(lost)}分",
            f"{outcome.note_en}{formula_en}{rounded_en}: {fmt(lost)} of {fmt(points)} points lost")


def _row_findings(plan: Plan, compiled: CompiledRow, actual: Actual, outcome: Outcome,
                  score: Decimal, findings: list[Finding]) -> None:
    ind = compiled.indicator
    threshold = plan.profile.overachievement
    if threshold is not None and outcome.ratio is not None and outcome.ratio > threshold:
        findings.append(Finding(
            "overachievement",
            f"{ind.id} {ind.name}: the target was beaten by a ratio of "
            f"{format_percent(outcome.ratio, 1)} (actual/target, or target/actual for an "
            f"upper limit), above {fmt(threshold * 100)}%; was the target set too loosely? No bonus "
            "is given; explain the deviation",
            f"{ind.name}：完成程度为目标的{format_percent(outcome.ratio, 1)}（上限类指标按"
            f"目标值/实际值计），超过{fmt(threshold * 100)}%，请说明目标是否设置偏低（超额完成不加分）",
            ind.id))
    if (plan.profile.reason_required and outcome.status in (Status.PARTLY_MET, Status.MISSED)
            and not actual.reason.strip()):
        findings.append(Finding(
            "missing-reason",
            f"{ind.id} {ind.name}: the target was not met and no reason (偏差原因) is given",
            f"{ind.name}：未完成目标，但未填写偏差原因分析及改进措施", ind.id))
    if actual.published is not None and actual.published != score:
        findings.append(Finding(
            "published-differs",
            f"{ind.id} {ind.name}: published score {fmt(actual.published)}, computed {fmt(score)}",
            f"{ind.name}：公布得分{fmt(actual.published)}，计算得分{fmt(score)}", ind.id))


def _budget_row(plan: Plan, project: Project, problems: list[Problem],
                findings: list[Finding]) -> BudgetRow:
    compiled = plan.budget
    assert compiled is not None
    budget = project.budget
    points = compiled.indicator.points
    name = compiled.category.zh
    unit = (budget.unit if budget else "") or plan.profile.budget_unit
    sources = tuple({k: fmt(v) if isinstance(v, Decimal) else v for k, v in
                     (("name", s.name), ("initial", s.initial), ("planned", s.planned),
                      ("executed", s.executed)) if v is not None}
                    for s in (budget.sources if budget else ()))

    def make(score: Decimal, status: Status, rate: Decimal | None, zh: str, en: str,
             trace: Trace) -> BudgetRow:
        return BudgetRow(
            name=name, unit=unit, initial=budget.initial if budget else None,
            planned=budget.planned if budget else None,
            executed=budget.executed if budget else None, rate=rate, points=points,
            score=round_half_up(score, plan.profile.decimals), status=status,
            explanation_zh=zh, explanation_en=en, trace=trace,
            sources=sources, reason=budget.reason if budget else "",
            published=budget.published if budget else None,
        )

    if budget is None or budget.planned is None or budget.executed is None:
        findings.append(Finding("missing-actual", "budget: 全年预算数 or 全年执行数 is missing; "
                                "the execution rate scores 0",
                                f"{name}：缺少全年预算数或全年执行数，按0分计", BUDGET_ID))
        return make(ZERO, Status.MISSING, None, f"缺少预算执行数据，扣{fmt(points)}分",
                    f"no budget figures: all {fmt(points)} points lost",
                    _trace(compiled, None, None))
    extra = {"planned": budget.planned, "executed": budget.executed, "unit": unit}
    observation = Observation(Value(f"{fmt(budget.executed)}/{fmt(budget.planned)}"), None, extra)
    scored = _score(plan, compiled, observation, budget.origin, problems)
    if scored is None:
        return make(ZERO, Status.MISSING, None, "", "", _trace(compiled, None, None))
    outcome, capped, score = scored
    zh, en = _explain(outcome, points, capped, score)
    rate = outcome.ratio
    if budget.published is not None and budget.published != score:
        findings.append(Finding(
            "published-differs",
            f"budget: published score {fmt(budget.published)}, computed {fmt(score)}",
            f"{name}：公布得分{fmt(budget.published)}，计算得分{fmt(score)}", BUDGET_ID))
    if rate is not None and rate > 1:
        findings.append(Finding(
            "overspent", f"budget: executed {fmt(budget.executed)} of a full-year budget of "
            f"{fmt(budget.planned)} {unit} ({format_percent(rate)}): spending above the budget "
            "earns nothing extra; check the figures",
            f"{name}：全年执行数{fmt(budget.executed)}超过全年预算数{fmt(budget.planned)}"
            f"（{format_percent(rate)}），超支不加分，请核实", BUDGET_ID))
    below = plan.profile.reason_budget_below
    if (plan.profile.reason_required and rate is not None and rate < below
            and not budget.reason.strip()):
        findings.append(Finding(
            "missing-reason",
            f"budget: the execution rate {format_percent(rate)} is below {format_percent(below)} "
            "and no reason is given",
            f"{name}{format_percent(rate)}，低于{format_percent(below)}，但未填写原因", BUDGET_ID))
    return make(score, outcome.status, rate, zh, en, _trace(compiled, outcome, capped))
