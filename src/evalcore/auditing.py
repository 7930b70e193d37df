"""Audit mode (复核): a published 自评表 checked row by row against evalcore's own scores.

People who check published tables (a finance bureau's 复核, auditors, third-party
evaluators) need every row scored, even in a table whose points add up to 110, and each
published score set beside the computed one at the table's own precision, with the reason
for the difference. `audit` does that with the same compiled plan and evaluation as
`evalcore.evaluate` (one engine, several readings of it):

- the points sum never refuses the table: it becomes a ``points-sum`` finding with the
  figures ("分值合计110，应为100");
- every published score (each row, with or without an actual value, the funds row, the
  total, and the grade the published total earns) is compared with the computed one rounded
  half up to the precision the table prints (`evalcore.published`), a difference above
  ``tolerance`` being a ``published-differs`` finding;
- a reviewer's own scores (``reviewed`` and ``reviewed_reason`` in the project file) are
  carried beside both, with the reviewer's total and grade.

The result, `Audit`, holds the evaluation (its findings as the audit sees them), one
`Comparison` per row and one for the total, and an `AuditSummary`; its JSON is the
evaluation's JSON plus an ``audit`` key, and reads back unchanged (`Audit.from_json`).

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the public
surfaces); its own path may change in any release.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from .compiler import compile_parts, points_by_group
from .errors import Origin, Problem, ValidationError, raise_if_errors
from .evaluation import Plan, published_places
from .json_reading import parse_json, read_data
from .model import BUDGET_ID, Project
from .numbers import ZERO, in_context, to_decimal
from .numbers import format_decimal as fmt
from .plugins import default_registry
from .published import added_up, compare, total_at
from .registry import Registry
from .results import Evaluation, Finding, Scored, Status, _unstructure

__all__ = ["Audit", "AuditSummary", "Comparison", "audit", "tolerance_of"]

TOTAL_ID = "total"  # the id of the total's comparison


@attrs.frozen(kw_only=True)
class Comparison:
    """One published score beside the computed one: a row of the 自评表, the funds row
    (id ``budget``) or the total (id ``total``).

    ``computed`` is evalcore's score at the profile's precision; ``compared`` is what the
    published score is compared with (``computed`` rounded half up to the table's precision,
    or for the total the rows so rounded and added up again); ``difference`` is published
    minus compared; ``differs`` when its size is above the audit's tolerance. ``reviewed``
    is the reviewer's score (复核分) with ``reviewed_reason``; ``explanation_zh`` /
    ``explanation_en`` say why the computed score is what it is.
    """

    id: str
    name: str
    points: Decimal
    computed: Decimal
    status: Status | None = None  # None for the total
    published: Decimal | None = None
    compared: Decimal | None = None
    difference: Decimal | None = None
    differs: bool = False
    reviewed: Decimal | None = None
    reviewed_reason: str = ""
    explanation_zh: str = ""
    explanation_en: str = ""


@attrs.frozen(kw_only=True)
class AuditSummary:
    """The audit in one line: rows checked (with a published score) and rows that differ,
    the totals (published, computed, compared at the table's precision, the reviewer's) and
    the grades they earn, each with its English name (``*_grade_en``, the grade's own name
    when the profile gives none); ``grade_changed`` when the computed grade is not the one
    the published total earns."""

    rows_checked: int
    rows_differ: int
    points: Decimal  # the points of the table as written (110 in a table that adds up to 110)
    computed_total: Decimal
    computed_grade: str
    published_total: Decimal | None = None
    compared_total: Decimal | None = None
    published_grade: str | None = None
    reviewed_total: Decimal | None = None
    reviewed_grade: str | None = None
    grade_changed: bool = False
    computed_grade_en: str = ""
    published_grade_en: str | None = None
    reviewed_grade_en: str | None = None


@attrs.frozen(kw_only=True)
class Audit:
    """An audited project: its evaluation (findings as the audit sees them: a ``points-sum``
    finding, one ``published-differs`` finding per score that differs by more than the
    tolerance), the per-row comparisons (the funds row first), the total's, and the summary.

    ``places`` is the precision of the published table (None: nothing published);
    ``tolerance`` the difference that still counts as agreeing.
    """

    evaluation: Evaluation
    places: int | None
    tolerance: Decimal
    rows: tuple[Comparison, ...]
    total: Comparison
    summary: AuditSummary

    @property
    def differing(self) -> tuple[Comparison, ...]:
        """The comparisons (rows and total) whose published score differs."""
        return tuple(c for c in (*self.rows, self.total) if c.differs)

    def to_dict(self) -> dict[str, Any]:
        """The evaluation's JSON data with the audit under ``audit``; Decimals as exact text."""
        data = self.evaluation.to_dict()
        data["audit"] = {
            "places": self.places, "tolerance": str(self.tolerance),
            "rows": _unstructure(self.rows), "total": _unstructure(self.total),
            "summary": _unstructure(self.summary)}
        return data

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Audit:
        """The audit `to_dict` wrote: an evaluation's data with the audit under ``audit``; a
        ValidationError lists every problem of data that is not one, at its key path."""
        if not isinstance(data, Mapping) or not isinstance(data.get("audit"), Mapping):
            raise ValidationError([Problem(f"not {_WHAT}: an evaluation's JSON with an 'audit' "
                                           "object is expected", Origin(path=("audit",)))])
        evaluation = {k: v for k, v in data.items() if k != "audit"}
        try:
            return read_data({"evaluation": evaluation, **data["audit"]}, cls, _WHAT)
        except ValidationError as exc:  # each problem where it is in the JSON as written
            raise ValidationError([attrs.evolve(p, origin=Origin(path=_as_written(p.origin.path)))
                                   for p in exc.problems]) from None

    @classmethod
    def from_json(cls, text: str) -> Audit:
        """The audit `to_json` wrote; a ValidationError (at its line, or key path) for text
        that is not one."""
        return cls.from_dict(parse_json(text, _WHAT))


_WHAT = "an audit"


def _as_written(path: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """A key path of the data `Audit.from_dict` reads, as the JSON writes it: the evaluation's
    keys at the top, the audit's under ``audit``."""
    if path[:1] == ("evaluation",):
        return path[1:]
    return ("audit", *path)


def tolerance_of(value: object) -> Decimal:
    """A tolerance: a finite number ≥ 0 (``0.5``, ``"0.5"``); ValueError saying what is wrong
    otherwise (text, a negative number, NaN)."""
    if isinstance(value, Decimal) and value.is_finite() and value >= 0:
        return value
    try:
        result = to_decimal(value)
    except ValueError as exc:
        raise ValueError(f"the tolerance {exc}") from None
    if result < 0:
        raise ValueError(f"the tolerance cannot be negative ({fmt(result)})")
    return result


@in_context
def audit(project: Project, registry: Registry | None = None, *,
          tolerance: object = ZERO) -> Audit:
    """Audit ``project``'s published scores (复核): score every row, compare each published
    score with the computed one at the table's precision, carry the reviewer's scores.

    ``tolerance`` (a number ≥ 0, 0 by default) is the difference that still agrees: 0.5
    accepts a published 9 for a computed 8.6 even in a table printed to two decimals. A
    scheme whose points do not add up to the profile's total is audited all the same, with
    a ``points-sum`` finding. Every other mistake is an error as in `evalcore.evaluate`
    (ValidationError, EvaluationError), located in its file.
    """
    try:
        allowed = tolerance_of(tolerance)
    except ValueError as exc:
        raise ValidationError([Problem(str(exc), hint="write a number of points ≥ 0, such as "
                                                      "0.5")]) from None
    reg = registry if registry is not None else default_registry()
    plan, problems = compile_parts(project.scheme, reg, points_sum=False)
    raise_if_errors(problems)
    evaluation = plan.evaluate(project)
    places = published_places(project)
    decimals = plan.profile.decimals
    rows = _comparisons(evaluation, places, decimals, allowed)
    total = _total(plan, project, evaluation, places, allowed)
    summary = _summary(plan, evaluation, rows, total)
    findings = _findings(plan, project, evaluation, rows, total)
    return Audit(evaluation=attrs.evolve(evaluation, findings=findings), places=places,
                 tolerance=allowed, rows=rows, total=total, summary=summary)


def _comparison(ident: str, name: str, row: Scored, places: int | None, decimals: int,
                tolerance: Decimal) -> Comparison:
    """One row's comparison; a row that does not apply is shown but never compared (its
    published score, if any, stands for no points)."""
    compared = difference = None
    if row.published is not None and row.status is not Status.NOT_APPLICABLE:
        compared, difference = compare(row.published, row.score, places, decimals)
    return Comparison(id=ident, name=name, points=row.points, computed=row.score,
                      status=row.status, published=row.published, compared=compared,
                      difference=difference,
                      differs=difference is not None and abs(difference) > tolerance,
                      reviewed=row.reviewed, reviewed_reason=row.reviewed_reason,
                      explanation_zh=row.explanation_zh, explanation_en=row.explanation_en)


def _comparisons(e: Evaluation, places: int | None, decimals: int,
                 tolerance: Decimal) -> tuple[Comparison, ...]:
    out = [] if e.budget is None else [
        _comparison(BUDGET_ID, e.budget.name, e.budget, places, decimals, tolerance)]
    out += [_comparison(r.id, r.name, r, places, decimals, tolerance) for r in e.rows]
    return tuple(out)


def _counted(plan: Plan, e: Evaluation, scores: Mapping[str, Decimal]
             ) -> list[tuple[str, Decimal, Decimal]]:
    """The rows that count in the total (group, points, score), the funds row first, each with
    its score in ``scores`` (by id) or else its computed one."""
    rows = [(r.group, r.points, scores.get(r.id, r.score)) for r in e.rows
            if r.status is not Status.NOT_APPLICABLE]
    if e.budget is not None and plan.budget is not None:
        rows.insert(0, (plan.budget.group.name, e.budget.points,
                        scores.get(BUDGET_ID, e.budget.score)))
    return rows


def _total(plan: Plan, project: Project, e: Evaluation, places: int | None,
           tolerance: Decimal) -> Comparison:
    """The total's comparison: the published 总分 against the rows at the table's precision,
    added up again; the reviewer's total when any row is reviewed (the rows the reviewer left
    alone count with their computed scores)."""
    published = project.info.published_total
    compared = difference = None
    decimals = plan.profile.decimals
    if published is not None:
        compared = total_at(plan.aggregator, _counted(plan, e, {}), places, decimals, e.total)
        difference = published - compared
    return Comparison(id=TOTAL_ID, name="总分", points=e.points, computed=e.total,
                      published=published, compared=compared, difference=difference,
                      differs=difference is not None and abs(difference) > tolerance,
                      reviewed=_reviewed_total(plan, e))


def _reviewed_total(plan: Plan, e: Evaluation) -> Decimal | None:
    """The reviewer's total: the rows added up with the reviewer's scores where given; None
    when no row is reviewed."""
    reviewed = {r.id: r.reviewed for r in e.rows if r.reviewed is not None}
    if e.budget is not None and e.budget.reviewed is not None:
        reviewed[BUDGET_ID] = e.budget.reviewed
    if not reviewed:
        return None
    return added_up(plan.aggregator, _counted(plan, e, reviewed), plan.profile.decimals, e.total)


def _summary(plan: Plan, e: Evaluation, rows: Sequence[Comparison],
             total: Comparison) -> AuditSummary:
    checked = [c for c in rows if c.compared is not None]
    grade = plan.profile.grade
    published = grade(total.published) if total.published is not None else None
    reviewed = grade(total.reviewed) if total.reviewed is not None else None
    published_grade = published.name if published is not None else None
    reviewed_grade = reviewed.name if reviewed is not None else None
    return AuditSummary(
        rows_checked=len(checked), rows_differ=sum(c.differs for c in checked),
        points=e.points, computed_total=e.total, computed_grade=e.grade,
        published_total=total.published, compared_total=total.compared,
        published_grade=published_grade, reviewed_total=total.reviewed,
        reviewed_grade=reviewed_grade,
        grade_changed=published_grade is not None and published_grade != e.grade,
        computed_grade_en=e.grade_en or e.grade,
        published_grade_en=None if published is None else published.en or published.name,
        reviewed_grade_en=None if reviewed is None else reviewed.en or reviewed.name)


def _findings(plan: Plan, project: Project, e: Evaluation, rows: Sequence[Comparison],
              total: Comparison) -> tuple[Finding, ...]:
    """The evaluation's findings as the audit reports them: the ``points-sum`` finding after
    the scheme's warnings, and a ``published-differs`` finding only for the scores that
    differ by more than the tolerance (the evaluation compares them with none)."""
    agreeing = {c.id for c in rows if c.compared is not None and not c.differs}
    total_agrees = total.compared is not None and not total.differs
    kept = [f for f in e.findings if not (
        f.code == "published-differs" and ((f.indicator is None and total_agrees)
                                           or (f.indicator in agreeing)))]
    at = sum(1 for f in kept if f.code == "scheme-warning")
    extra = _points_sum(plan, project)
    return tuple([*kept[:at], *([extra] if extra else []), *kept[at:]])


def _points_sum(plan: Plan, project: Project) -> Finding | None:
    """The points of the table added up, when they are not the profile's total: a finding
    with the figures by level-1 group, not the error `evalcore.evaluate` raises."""
    by_group = points_by_group(project.scheme, plan.profile, plan.registry)
    points = sum(by_group.values(), ZERO)
    expected = plan.profile.total
    if not project.scheme.indicators or points == expected:
        return None
    names = {name: plan.registry.group(name).zh for name in by_group}
    zh = "，".join(f"{names[g]}{fmt(p)}" for g, p in by_group.items())
    en = ", ".join(f"{g} {fmt(p)}" for g, p in by_group.items())
    return Finding("points-sum",
                   f"the points add up to {fmt(points)}, not {fmt(expected)} ({en}); every row is "
                   "scored as written and the total is out of " + fmt(points),
                   f"分值合计{fmt(points)}，应为{fmt(expected)}（{zh}）；各行按所列分值计分，"
                   f"总分满分为{fmt(points)}")
