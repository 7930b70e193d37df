"""The findings of mid-year monitoring: what a monitoring report asks a person to act on.

A finding is not an error: the report is made whatever it finds. Some ask for what is
missing (a value to date, a cause, a correction, the spending to date, the budget); others
point at figures that contradict each other (spending or funds received to date above the
year's budget, a value to date above the year's actual value). Those are used as written,
never changed: evalcore cannot know which of the two figures is wrong, so the finding says
what to check. Every finding is located at the key it is about (file, key path, line).

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the public
surfaces); its own path may change in any release.
"""

from __future__ import annotations

import re
from decimal import Decimal

import attrs

from .errors import Origin, format_path
from .model import BUDGET_ID, Budget
from .numbers import format_decimal
from .progress import MonitoringData

__all__ = ["MonitorFinding", "budget_findings", "cause_findings", "located",
           "to_date_above_actual"]


@attrs.frozen
class MonitorFinding:
    """Something a monitoring report asks a person to act on: ``code`` is no-value-to-date,
    cause-missing, measure-missing, no-execution-to-date or no-planned-budget, or, for
    figures that contradict each other (used as written, never changed),
    executed-above-budget, received-above-budget or to-date-above-actual; ``indicator`` the
    row's id (``budget`` for the funds row). ``file`` (its name, without the folder), ``key``
    and ``line`` say where the key it is about is (or would go): a project built in Python
    has no file or line, and its key is the one a file would write
    (``monitoring.executed_to_date``)."""

    code: str
    indicator: str
    message_zh: str
    message_en: str
    file: str = ""
    key: str = ""
    line: int | None = None


def located(code: str, ident: str, zh: str, en: str, origin: Origin,
            where: tuple[str | int, ...], *keys: str) -> MonitorFinding:
    """A finding at ``keys`` below ``origin``, the table the project read them from; below
    ``where`` (the path a file would have) when the project was not read from a file."""
    at = origin.child(*keys) if origin.path else Origin(origin.file, (*where, *keys))
    file = re.split(r"[\\/]", at.file)[-1]  # its name: the report's bytes never depend on the folder
    return MonitorFinding(code, ident, zh, en, file, format_path(at.path), at.line)


def cause_findings(ident: str, name: str, cause: str, measure: str, origin: Origin,
                   where: tuple[str | int, ...], name_en: str = "") -> list[MonitorFinding]:
    """An off-target row (or the budget) without its cause or its correction."""
    name_en = name_en or name
    found = []
    if not cause.strip():
        found.append(located("cause-missing", ident, f"{name}：偏离目标，未说明偏差原因",
                             f"{name_en}: off target, and no cause is stated",
                             origin, where, "cause"))
    if not measure.strip():
        found.append(located("measure-missing", ident, f"{name}：偏离目标，未提出纠偏措施",
                             f"{name_en}: off target, and no correction is stated",
                             origin, where, "measure"))
    return found


def budget_findings(budget: Budget, data: MonitoringData, unit: str) -> list[MonitorFinding]:
    """What is missing from the funds to date, and what contradicts the year's budget: spending
    or funds received to date above 全年预算数 (``[budget] planned``); amounts in ``unit``."""
    planned, executed = budget.planned, data.executed_to_date
    at = data.origin, ("monitoring",)
    found = []
    if executed is None:
        found.append(located(
            "no-execution-to-date", BUDGET_ID,
            "预算执行进度：缺少截至监控日的执行数（executed_to_date）",
            "spending to date: none stated ([monitoring] executed_to_date)",
            *at, "executed_to_date"))
    elif not planned:
        found.append(located(
            "no-planned-budget", BUDGET_ID,
            "预算执行进度：全年预算数（[budget] planned）未填写或为0，无法计算执行率",
            "spending to date: the full-year budget ([budget] planned) is missing or 0, so no rate",
            budget.origin, ("budget",), "planned"))
    if not planned:
        return found
    for key, amount, zh, en in (("executed_to_date", executed, "截至监控日执行数", "spending to date"),
                                ("received_to_date", data.received_to_date, "截至监控日资金到位数",
                                 "funds received to date")):
        if amount is not None and amount > planned:
            code = "executed-above-budget" if key == "executed_to_date" else "received-above-budget"
            found.append(located(
                code, BUDGET_ID,
                f"预算执行进度：{zh} {_amount(amount, unit)}（[monitoring] {key}）超过全年预算数 "
                f"{_amount(planned, unit)}（[budget] planned），请核对两个数；报告按所填数值计算",
                f"{en} {_amount(amount, unit)} ([monitoring] {key}) is more "
                f"than the full-year budget {_amount(planned, unit)} ([budget] planned): check both "
                "figures; the report uses them as written", *at, key))
    return found


def to_date_above_actual(ident: str, name: str, to_date: str, actual: str, origin: Origin,
                         where: tuple[str | int, ...]) -> MonitorFinding:
    """A cumulative row's value to date above its year's actual value: one of them is wrong."""
    return located(
        "to-date-above-actual", ident,
        f"{name}：截至监控日的值 {to_date}（to_date）大于全年实际完成值 {actual}（actual），"
        "累计值不会减少，请核对两个数；报告按截至监控日的值推算",
        f"{name}: the value to date {to_date} (to_date) is more than the year's actual value "
        f"{actual} (actual), and a cumulative amount does not shrink: check both figures; the "
        "report projects from the value to date as written", origin, where, "to_date")


def _amount(value: Decimal, unit: str) -> str:
    return f"{format_decimal(value)}{unit}"
