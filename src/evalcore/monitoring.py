"""Mid-year monitoring (绩效运行监控, 财预〔2019〕136号): `monitor` and its `MonitorReport`.

"双监控" watches budget execution and target achievement during the year. `monitor`
reads a project's values to date (`evalcore.progress`), measures budget execution against
序时进度 (the share of the year elapsed at the monitoring date), projects every row to the
year's end (`evalcore.projection`), and scores the projected project with the same
compiled plan as the final evaluation, so the projected score and grade follow exactly
the rules the year-end evaluation will. Each row and the budget get red / amber / green by
the profile's ``[monitoring]`` thresholds (`evalcore.monitor_settings`); the amber and red
ones need a cause (偏差原因, classed 政策变化 / 管理 / 市场 / 自然因素 / 其他) and a correction
(纠偏措施), and those missing are findings.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from .api import plan_for
from .errors import Origin, Problem, ValidationError, quote, raise_if_errors
from .evaluation import CompiledRow, Plan
from .json_reading import parse_json, read_data
from .model import BUDGET_ID, Actual, Project
from .monitor_findings import MonitorFinding, budget_findings, cause_findings, located, to_date_above_actual
from .monitor_settings import MonitorSettings
from .numbers import HUNDRED, format_decimal, in_context, round_half_up
from .plugins import default_registry
from .progress import MonitoringData, Progress, did_you_mean, read_as_of
from .projection import Projected, Projection, default_projection, linear
from .quantities import Value, parse_actual
from .reading import unit_kind
from .registry import Registry
from .results import Evaluation, Status

__all__ = ["RAG", "BudgetProgress", "MonitorFinding", "MonitorReport", "RowProgress",
           "elapsed_share", "monitor"]

RAG = ("green", "amber", "red")  # best first
RAG_ZH = {"green": "绿", "amber": "黄", "red": "红", "": "—"}
PLACES = 4  # decimals kept for a projected amount and a progress ratio (shown at 2)


def elapsed_share(as_of: dt.date, convention: str = "days") -> Decimal:
    """序时进度 at ``as_of``: "days" counts the days elapsed, ``as_of`` included, over the days
    in its year (2022-07-31 → 212/365); "months" the whole months elapsed over 12, a month
    counting once its last day is reached (2022-07-31 → 7/12, 2022-07-30 → 6/12). Exact."""
    if convention == "months":
        last = calendar.monthrange(as_of.year, as_of.month)[1]
        months = as_of.month if as_of.day == last else as_of.month - 1
        return Decimal(months) / Decimal(12)
    days = 366 if calendar.isleap(as_of.year) else 365
    return Decimal(as_of.timetuple().tm_yday) / Decimal(days)


@attrs.frozen
class RowProgress:
    """One indicator at the monitoring date: its value to date, progress and projection.

    ``progress`` is value to date ÷ target (a quantity target; None otherwise);
    ``projected`` the year-end value the row was scored with, ``method`` how it was
    projected (linear, held, status, none); ``projected_score`` and ``projected_status``
    are the engine's; ``rag`` green / amber / red ("" for a row that does not apply).
    ``needs_cause``: amber or red, so a cause and a correction are due. ``too_early``: the
    row is projected linearly while 序时进度 is below the profile's ``too_early_months``, so
    ``projected`` (kept, exact, and scored) is not shown: the outputs say too early to project.
    """

    id: str
    name: str
    category: str
    group: str
    points: Decimal
    target: str
    to_date: str
    progress: Decimal | None
    projected: str
    method: str
    projected_score: Decimal
    projected_status: Status
    rag: str
    status: str = ""
    expected: dt.date | None = None
    cause_kind: str = ""
    cause: str = ""
    measure: str = ""
    needs_cause: bool = False
    note_zh: str = ""
    note_en: str = ""
    too_early: bool = False


@attrs.frozen
class BudgetProgress:
    """Budget execution at the monitoring date against 序时进度.

    ``rate`` is executed to date ÷ 全年预算数; ``behind`` how many percentage points it
    trails 序时进度 (negative: ahead); ``projected_executed`` executed to date ÷ 序时进度,
    the year-end execution the funds row was scored with (not shown while ``too_early``, as
    for a row).
    """

    unit: str
    planned: Decimal | None
    executed_to_date: Decimal | None
    received_to_date: Decimal | None
    rate: Decimal | None
    received_rate: Decimal | None
    behind: Decimal | None
    projected_executed: Decimal | None
    points: Decimal
    projected_score: Decimal
    rag: str
    cause_kind: str = ""
    cause: str = ""
    measure: str = ""
    needs_cause: bool = False
    too_early: bool = False


@attrs.frozen
class MonitorReport:
    """The monitoring of one project at ``as_of``: 序时进度 (``elapsed``, by ``convention``),
    the budget and every row, the projected year-end evaluation (the engine's, with its
    total and grade) and the findings. ``too_early``: 序时进度 is below the profile's
    ``too_early_months`` ÷ 12, so the figures projected linearly are not shown."""

    project: str
    year: int
    as_of: dt.date
    elapsed: Decimal
    convention: str
    budget: BudgetProgress | None
    rows: tuple[RowProgress, ...]
    projected: Evaluation
    findings: tuple[MonitorFinding, ...]
    too_early: bool = False

    @property
    def total(self) -> Decimal:
        """The projected year-end total, scored as the final evaluation will be."""
        return self.projected.total

    @property
    def grade(self) -> str:
        """The grade of the projected total."""
        return self.projected.grade

    @property
    def needing_cause(self) -> tuple[RowProgress | BudgetProgress, ...]:
        """The budget and the rows that are amber or red: each needs a cause and a measure."""
        budget = (self.budget,) if self.budget is not None and self.budget.needs_cause else ()
        return (*budget, *(r for r in self.rows if r.needs_cause))

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: numbers as text (exact), dates in ISO form, and the whole
        projected evaluation under ``"projected"`` (as ``evaluate -f json`` writes one)."""
        return {
            "project": self.project, "year": self.year, "as_of": self.as_of.isoformat(),
            "elapsed": str(self.elapsed), "convention": self.convention,
            "budget": _plain(self.budget) if self.budget is not None else None,
            "rows": [_plain(row) for row in self.rows],
            "projected_total": str(self.total), "grade": self.grade,
            "grade_en": self.projected.grade_en,
            "findings": [_plain(f) for f in self.findings], "too_early": self.too_early,
            "projected": self.projected.to_dict(),
        }

    def to_json(self, indent: int | None = 2) -> str:
        """The report as JSON text (`to_dict`); `from_json` reads it back, equal."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MonitorReport:
        """The report `to_dict` gave. A ValidationError, every problem at its key path, for
        data that is not a monitor report (a key missing or unknown, a number not exact text,
        a date that is not one, a total or grade that is not the projected evaluation's)."""
        if not isinstance(data, Mapping):
            return read_data(data, cls, _WHAT)  # says what the data is instead
        if "as_of" not in data and "rows" not in data:
            raise ValidationError([Problem(
                f"not {_WHAT}: it has neither \"as_of\" nor \"rows\"",
                hint="write one with evalcore monitor -f json, or MonitorReport.to_json()")])
        fields = {k: v for k, v in data.items() if k not in _DERIVED}
        report = read_data(fields, cls, _WHAT)
        shown = {"projected_total": str(report.total), "grade": report.grade,
                 "grade_en": report.projected.grade_en}
        wrong = [Problem(f"{key} is {quote(data[key])}, but the projected evaluation's is "
                         f"{quote(value)}", Origin(path=(key,)))
                 for key, value in shown.items() if key in data and data[key] != value]
        raise_if_errors(wrong, ValidationError)
        return report

    @classmethod
    def from_json(cls, text: str | bytes) -> MonitorReport:
        """The report `to_json` wrote (`from_dict`); a ValidationError at its line for text
        that is not JSON."""
        return cls.from_dict(parse_json(text, _WHAT))


_WHAT = "a monitor report"
_DERIVED = ("projected_total", "grade", "grade_en")  # shown for readers; the evaluation's own


def _plain(item: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in attrs.fields(type(item)):
        value = getattr(item, field.name)
        if isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, Status):
            value = value.value
        out[field.name] = value
    return out


def _rag_of_share(share: Decimal, settings: MonitorSettings) -> str:
    if share >= settings.row_green:
        return "green"
    return "amber" if share >= settings.row_amber else "red"


def _rag_of_behind(behind: Decimal, settings: MonitorSettings) -> str:
    if behind <= settings.budget_amber:
        return "green"
    return "amber" if behind <= settings.budget_red else "red"


@in_context
def monitor(project: Project, as_of: dt.date | str | None = None,
            registry: Registry | None = None) -> MonitorReport:
    """Monitor ``project`` at ``as_of`` (a date or "2022-07-31"; by default the file's
    ``[monitoring] as_of``). A ValidationError lists every problem, each located: no
    monitoring date, a date outside the project's year, a value to date that cannot be
    read, an unknown cause class, a delayed deadline without an expected date."""
    reg = registry if registry is not None else default_registry()
    data = project.monitoring or MonitoringData()
    plan = plan_for(project.scheme, reg)
    settings = plan.profile.monitoring
    day = _as_of(project, data, as_of)
    share = elapsed_share(day, settings.elapsed)
    if share == 0:
        raise ValidationError([Problem(
            f"序时进度 is 0 at {day} (elapsed = \"months\" counts whole months): nothing can be "
            "projected yet", data.origin.child("as_of"),
            "monitor at the end of a month, or use elapsed = \"days\"")])
    year = day.year
    early = share < settings.too_early  # linear projections not shown (too_early_months)
    problems: list[Problem] = []
    findings: list[MonitorFinding] = []
    actuals: dict[str, Actual] = dict(project.actuals)
    contradictions: dict[str, MonitorFinding] = {}  # figures to check, by row
    rows_done: list[tuple[CompiledRow, Progress, Value | None, Projected]] = []
    for row in plan.rows:
        stated = data.rows.get(row.indicator.id, Progress())
        problems.extend(_cause_problems(stated.cause_kind, settings, stated.origin))
        if not row.applicable:
            rows_done.append((row, stated, None, Projected(None, "none")))
            continue
        base = project.actuals.get(row.indicator.id, Actual())
        if row.rule.input == "funds":  # scored from the funds to date, projected below
            rows_done.append((row, stated, None, FUNDS))
            actuals[row.indicator.id] = attrs.evolve(
                base, reason=_reason(stated) or base.reason, published=None, reviewed=None)
            continue
        try:
            value = None if stated.to_date is None else parse_actual(stated.to_date, reg.units)
            projected = _project(row, plan, stated, value, share, year, settings, base.extra)
        except ValueError as exc:
            key = "to_date" if stated.to_date is not None else "status"
            problems.append(Problem(f"{row.indicator.id}: {exc}", stated.origin.child(key)))
            continue
        if value is not None and base.value is not None and _cumulative(row, value, settings, reg):
            above = _above_actual(row, stated, value, base.value, reg)
            if above is not None:
                contradictions[row.indicator.id] = above
        actuals[row.indicator.id] = attrs.evolve(
            base, value=projected.value, reason=_reason(stated) or base.reason, published=None,
            reviewed=None, extra={} if stated.to_date is not None else base.extra,
            origin=stated.origin.child("to_date") if stated.to_date is not None else base.origin)
        rows_done.append((row, stated, value, projected))
    budget_in = project.budget
    projected_executed = None
    if budget_in is not None:
        problems.extend(_cause_problems(data.cause_kind, settings, data.origin))
        if data.executed_to_date is not None:
            projected_executed = linear(data.executed_to_date, share)
        received = budget_in.received
        if data.received_to_date is not None:
            received = _projected_received(data.received_to_date, budget_in.planned, share)
        budget_in = attrs.evolve(budget_in, executed=projected_executed, received=received,
                                 published=None, reviewed=None)
    problems.extend(_funds_problems(plan, project, data))
    raise_if_errors(problems, ValidationError)
    info = attrs.evolve(project.info, published_total=None)
    evaluation = plan.evaluate(attrs.evolve(project, info=info, budget=budget_in,
                                            actuals=actuals, monitoring=None))
    scored = {r.id: r for r in evaluation.rows}
    rows = []
    for row, stated, value, projected in rows_done:
        done = _row(row, stated, value, projected, scored[row.indicator.id], settings,
                    findings, reg)
        rows.append(attrs.evolve(done, too_early=True) if early and done.method == "linear"
                    else done)
        if row.indicator.id in contradictions:
            findings.append(contradictions[row.indicator.id])
    budget = _budget(project, data, share, projected_executed, evaluation, settings, findings)
    if budget is not None and early and budget.projected_executed is not None:
        budget = attrs.evolve(budget, too_early=True)
    return MonitorReport(project.info.name, year, day, share, settings.elapsed, budget,
                         tuple(rows), evaluation, tuple(findings), early)


FUNDS = Projected(None, "linear", "按截至监控日的到位数、执行数 ÷ 序时进度推算",
                  "from the funds received and spent to date ÷ share of year elapsed")
"""How a row scored from the funds (its arrival or spending rate) is projected."""


def _projected_received(to_date: Decimal, planned: Decimal | None, share: Decimal) -> Decimal:
    """The funds received by the year's end at the pace so far (linear), but no more than the
    budget, or than what has already arrived when that is more: funds arrive in tranches and
    seldom beyond the budget. At the year's end (序时进度 1) it is the amount to date."""
    projected = linear(to_date, share)
    if planned is None:
        return projected
    return min(projected, max(planned, to_date))


def _funds_problems(plan: Plan, project: Project, data: MonitoringData) -> list[Problem]:
    """A row scored from the funds is monitored from the funds to date: both amounts stated."""
    rows = [r.indicator for r in plan.rows if r.applicable and r.rule.input == "funds"]
    missing = [key for key, value in (("received_to_date", data.received_to_date),
                                      ("executed_to_date", data.executed_to_date))
               if value is None]
    if not rows or not missing or project.budget is None:
        return []
    named = "、".join(f"{r.id}（{r.name}）" for r in rows)
    return [Problem(f"{named} scored from the funds: monitoring needs the funds to date, "
                    f"[monitoring] {' and '.join(missing)}",
                    data.origin if project.monitoring is not None else project.origin,
                    f"e.g. [monitoring] {missing[0]} = 2000 (in the unit of [budget])")]


def _as_of(project: Project, data: MonitoringData, given: dt.date | str | None) -> dt.date:
    """The monitoring date: ``given``, else the file's; in the project's year."""
    where = data.origin.child("as_of") if data.as_of is not None else project.origin
    if given is not None:
        try:
            day = read_as_of(given)
        except ValueError as exc:
            raise ValidationError([Problem(f"as_of (--as-of) {exc}")]) from None
        where = Origin()
    elif data.as_of is not None:
        day = data.as_of
    else:
        raise ValidationError([Problem(
            "no monitoring date: give it with --as-of 2022-07-31 (as_of= in Python) or in the "
            "file, [monitoring] as_of = 2022-07-31", project.origin)])
    year = project.info.year
    if year is not None and day.year != year:
        raise ValidationError([Problem(
            f"the monitoring date {day}{' (as_of, --as-of)' if given is not None else ''} is "
            f"outside the project's year {year}",
            where, f"a date from {year}-01-01 to {year}-12-31")])
    return day


def _cause_problems(cause_kind: str, settings: MonitorSettings, origin: Origin) -> list[Problem]:
    if not cause_kind or cause_kind in settings.causes:
        return []
    return [Problem(f"unknown cause class {quote(cause_kind)}", origin.child("cause_kind"),
                    did_you_mean(cause_kind, settings.causes,
                                 f"one of: {', '.join(settings.causes)}"))]


def _reason(stated: Progress) -> str:
    parts = [f"{stated.cause_kind}：{stated.cause}" if stated.cause_kind else stated.cause,
             stated.measure]
    return "；".join(p for p in parts if p)


def _cumulative(row: CompiledRow, value: Value | None, settings: MonitorSettings,
                registry: Registry) -> bool:
    """Whether the row's amounts accumulate through the year, by the kind of the target's
    unit (the value to date's when the target has none): a compound unit (万元/公里) never."""
    quantity = row.target.quantity if row.target is not None else None
    unit = quantity.unit if quantity is not None else (
        value.quantity.unit if value is not None and value.quantity is not None else "")
    if "/" in unit:
        return False
    found = registry.units.get_or_count(unit) if unit else None
    return unit_kind(found) in settings.cumulative


def _project(row: CompiledRow, plan: Plan, stated: Progress, value: Value | None,
             share: Decimal, year: int, settings: MonitorSettings,
             extra: Mapping[str, Any]) -> Projected:
    projection = Projection(row.indicator, row.target, value, stated.status, stated.expected,
                            share, year, _cumulative(row, value, settings, plan.registry),
                            row.params, extra)
    own = row.rule.project
    projected = own(projection) if own is not None else None
    return projected if projected is not None else default_projection(projection)


def _progress(row: CompiledRow, value: Value | None, registry: Registry) -> Decimal | None:
    """Value to date ÷ target, both quantities (in the target's unit: a bare number is in it,
    as an actual value is); None otherwise."""
    target = row.target.quantity if row.target is not None else None
    if target is None or value is None or value.quantity is None or target.value == 0:
        return None
    unit = value.quantity.unit or target.unit
    try:
        amount = registry.units.convert(value.quantity.value, unit, target.unit)
    except (KeyError, ValueError):
        return None
    return round_half_up(amount / target.value, PLACES)


def _row(row: CompiledRow, stated: Progress, value: Value | None, projected: Projected,
         scored: Any, settings: MonitorSettings, findings: list[MonitorFinding],
         registry: Registry) -> RowProgress:
    ident = row.indicator.id
    if not row.applicable or scored.points == 0:
        rag = ""
    else:
        rag = _rag_of_share(scored.score / scored.points, settings)
    name = row.indicator.name
    origin, where = _row_origin(row, stated)
    if rag and projected.value is None and projected.method == "none":
        findings.append(located(
            "no-value-to-date", ident, f"{name}：缺少截至监控日的完成值（to_date）",
            f"{name}: no value to date (to_date)", origin, where,
            *(("to_date",) if stated.origin.path else ())))
    # A row with no value to date is red and flagged once: its cause is asked when it is known.
    needs = rag in ("amber", "red") and projected.method != "none"
    if needs:
        findings.extend(cause_findings(ident, name, stated.cause, stated.measure, origin, where))
    shown = projected.value if projected.value is not None else (scored.actual or None)
    amount = parse_actual(shown, registry.units).quantity if isinstance(shown, str) else None
    if amount is not None and projected.method in ("linear", "held"):
        # Shown to 2 decimals when projected linearly, and in the target's unit when the value
        # to date is a bare number (which is read in it).
        target = row.target.quantity if row.target is not None else None
        unit = amount.unit or (target.unit if target is not None else "")
        number = round_half_up(amount.value, 2) if projected.method == "linear" else amount.value
        shown = f"{format_decimal(number)}{unit}"
    return RowProgress(
        id=ident, name=row.indicator.name, category=row.category.zh, group=row.group.zh,
        points=scored.points, target=row.target_text,
        to_date="" if stated.to_date is None else str(stated.to_date),
        progress=_progress(row, value, registry),
        projected="" if shown is None else str(shown), method=projected.method,
        projected_score=scored.score, projected_status=scored.status, rag=rag,
        status=stated.status, expected=stated.expected, cause_kind=stated.cause_kind,
        cause=stated.cause, measure=stated.measure, needs_cause=needs,
        note_zh=projected.note_zh, note_en=projected.note_en)


def _row_origin(row: CompiledRow, stated: Progress) -> tuple[Origin, tuple[str | int, ...]]:
    """Where a row's monitoring keys are (its to_date, cause, measure): the table that states
    them, else the row itself; and the path a file would give them, ``actual.<id>``."""
    origin = stated.origin if stated.origin.path else row.indicator.origin
    return origin, ("actual", row.indicator.id)


def _above_actual(row: CompiledRow, stated: Progress, value: Value, actual: object,
                  registry: Registry) -> MonitorFinding | None:
    """A finding when a cumulative row's value to date is more than its year's actual value,
    both read in the target's unit when bare; None when it is not, or they do not compare."""
    target = row.target.quantity if row.target is not None else None
    default = target.unit if target is not None else ""
    try:
        final = parse_actual(actual, registry.units).quantity
        if value.quantity is None or final is None:
            return None
        unit, final_unit = value.quantity.unit or default, final.unit or default
        amount = final.value if final_unit == unit else registry.units.convert(
            final.value, final_unit, unit)
    except (KeyError, ValueError):
        return None
    if value.quantity.value <= amount:
        return None
    return to_date_above_actual(row.indicator.id, row.indicator.name, str(stated.to_date),
                                str(actual), *_row_origin(row, stated))


def _budget(project: Project, data: MonitoringData, share: Decimal,
            projected_executed: Decimal | None, evaluation: Evaluation,
            settings: MonitorSettings, findings: list[MonitorFinding]) -> BudgetProgress | None:
    scored = evaluation.budget
    if project.budget is None or scored is None:
        return None
    planned, executed = project.budget.planned, data.executed_to_date
    rate = behind = None
    if planned and executed is not None:
        rate = round_half_up(executed / planned, PLACES)
        behind = round_half_up((share - executed / planned) * HUNDRED, 2)
    received = None
    if planned and data.received_to_date is not None:
        received = round_half_up(data.received_to_date / planned, PLACES)
    findings.extend(budget_findings(project.budget, data, scored.unit))
    rag = "red" if behind is None else _rag_of_behind(behind, settings)
    needs = rag in ("amber", "red") and behind is not None  # no data: flagged once, above
    if needs:
        findings.extend(cause_findings(BUDGET_ID, "预算执行进度", data.cause, data.measure,
                                       data.origin, ("monitoring",), "spending to date"))
    return BudgetProgress(
        unit=scored.unit, planned=planned, executed_to_date=executed,
        received_to_date=data.received_to_date, rate=rate, received_rate=received,
        behind=behind, projected_executed=None if projected_executed is None
        else projected_executed, points=scored.points,
        projected_score=scored.score, rag=rag, cause_kind=data.cause_kind, cause=data.cause,
        measure=data.measure, needs_cause=needs)

