"""A `MonitorReport` written out: the terminal table, Markdown and JSON of `evalcore monitor`.

The text formats give the monitoring date and 序时进度, budget execution against it, one
line per row (target, value to date, progress, projected year-end value and score,
red / amber / green), the projected total and grade, the rows that need a cause and a
correction with what is stated, and the findings. Labels are Chinese by default,
English with ``lang="en"``; text from a file is made safe for where it goes.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the public
surfaces); its own path may change in any release.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal

from tabulate import tabulate

from .errors import EvalcoreError, Problem, quote, suggest
from .monitoring import BudgetProgress, MonitorReport, RowProgress
from .numbers import format_decimal as fmt
from .numbers import format_percent, round_half_up
from .safetext import json_safe
from .table_cells import markdown_cell, terminal_cell

__all__ = ["MONITOR_FORMATS", "MONITOR_LABELS", "check_monitor_format", "render_monitor"]

MONITOR_FORMATS = ("table", "markdown", "json")

MONITOR_LABELS: dict[str, dict[str, str]] = {
    "zh": {"title": "绩效运行监控", "as_of": "监控日期", "elapsed": "序时进度",
           "budget": "预算执行进度", "executed": "已执行", "planned": "全年预算数",
           "rate": "执行率", "behind": "落后序时进度", "ahead": "快于序时进度",
           "received": "资金到位率", "projected_exec": "预计全年执行", "points": "分值",
           "name": "指标", "target": "年度指标值", "to_date": "截至监控日", "progress": "完成进度",
           "projected": "预计全年", "score": "预计得分", "rag": "预警", "total": "预计全年总分",
           "grade": "等级", "needs": "需说明偏差原因及纠偏措施", "cause": "偏差原因",
           "measure": "纠偏措施", "missing": "（未填写）", "findings": "需关注的问题",
           "points_unit": "个百分点", "days": "按天", "months": "按月",
           "too_early": "过早，不推算", "too_early_in": "（{}）",
           "early_note": "年初至今时间过短（规则配置 too_early_months），按进度线性推算的全年值过早，"
                         "不予显示；预计得分仍按推算值计算，仅供参考",
           "green": "绿", "amber": "黄", "red": "红", "": "—"},
    "en": {"title": "performance monitoring", "as_of": "as of", "elapsed": "share of year elapsed",
           "budget": "spending to date", "executed": "executed", "planned": "full-year budget",
           "rate": "rate", "behind": "behind the share of year", "ahead": "ahead of the share of year",
           "received": "funds received", "projected_exec": "projected year", "points": "points",
           "name": "indicator", "target": "target", "to_date": "to date", "progress": "progress",
           "projected": "projected", "score": "projected score", "rag": "RAG",
           "total": "projected total", "grade": "grade",
           "needs": "rows needing a cause and a correction", "cause": "cause",
           "measure": "measure", "missing": "(not stated)", "findings": "findings",
           "points_unit": " points", "days": "by days", "months": "by months",
           "too_early": "too early to project", "too_early_in": " ({})",
           "early_note": "too little of the year has elapsed (the profile's too_early_months) to "
                         "project linearly: those values are not shown; the projected scores "
                         "still use them, so take them as indicative only",
           "green": "green", "amber": "amber", "red": "red", "": "—"},
}
"""The labels of the monitoring outputs in each language (Chinese by default)."""


def check_monitor_format(format: str, lang: str = "zh") -> None:
    """An EvalcoreError, with "did you mean", for a format not in `MONITOR_FORMATS` or a
    language not in `MONITOR_LABELS`."""
    if format not in MONITOR_FORMATS:
        raise EvalcoreError([Problem(f"unknown monitor format {quote(format)}",
                                     hint=suggest(format, MONITOR_FORMATS)
                                     or f"one of {', '.join(MONITOR_FORMATS)}")])
    if lang not in MONITOR_LABELS:
        raise EvalcoreError([Problem(f"unknown language {quote(lang)}",
                                     hint=suggest(lang, MONITOR_LABELS) or "zh or en")])


def render_monitor(report: MonitorReport, format: str = "table", lang: str = "zh") -> str:
    """``report`` as text in one of `MONITOR_FORMATS` (`check_monitor_format`)."""
    check_monitor_format(format, lang)
    if format == "json":
        return json_safe(json.dumps(report.to_dict(), ensure_ascii=False, indent=2)) + "\n"
    return _text(report, lang, markdown=format == "markdown")


def _percent(value: Decimal | None) -> str:
    return "" if value is None else format_percent(value)


def _budget_line(b: BudgetProgress, labels: dict[str, str], lang: str) -> str:
    sep = "：" if lang == "zh" else ": "
    comma = "，" if lang == "zh" else ", "
    executed = (labels["missing"] if b.executed_to_date is None
                else f"{fmt(b.executed_to_date)}{b.unit}")
    planned = "—" if b.planned is None else f"{fmt(b.planned)}{b.unit}"
    parts = [f"{labels['executed']} {executed} / {labels['planned']} {planned}"]
    if b.rate is not None:
        parts.append(f"{labels['rate']} {_percent(b.rate)}")
    if b.behind is not None:
        key = "behind" if b.behind >= 0 else "ahead"
        parts.append(f"{labels[key]} {fmt(abs(b.behind))}{labels['points_unit']}")
    if b.received_rate is not None:
        parts.append(f"{labels['received']} {_percent(b.received_rate)}")
    if b.projected_executed is not None:
        shown = (labels["too_early_in"].format(labels["too_early"]) if b.too_early
                 else f" {fmt(round_half_up(b.projected_executed, 2))}{b.unit}")
        parts.append(f"{labels['projected_exec']}{shown}")
    parts.append(f"{labels['score']} {b.projected_score}/{fmt(b.points)}")
    parts.append(f"{labels['rag']} {labels[b.rag]}")
    return f"{labels['budget']}{sep}" + comma.join(parts)


def _row_cells(r: RowProgress, labels: dict[str, str]) -> list[str]:
    projected = labels["too_early"] if r.too_early else r.projected or "—"
    return [r.name, r.target, r.to_date or "—", _percent(r.progress) or "—",
            projected, f"{r.projected_score}/{fmt(r.points)}", labels[r.rag]]


def _cause_line(item: RowProgress | BudgetProgress, labels: dict[str, str], lang: str) -> str:
    name = item.name if isinstance(item, RowProgress) else labels["budget"]
    sep = "：" if lang == "zh" else ": "
    kind = f"[{item.cause_kind}] " if item.cause_kind else ""
    cause = f"{kind}{item.cause}" if item.cause.strip() else f"{kind}{labels['missing']}"
    measure = item.measure if item.measure.strip() else labels["missing"]
    semi = "；" if lang == "zh" else "; "
    rag = f"（{labels[item.rag]}）" if lang == "zh" else f" ({labels[item.rag]})"
    return (f"- {name}{rag}{sep}{labels['cause']} {cause}{semi}"
            f"{labels['measure']} {measure}")


def _text(report: MonitorReport, lang: str, markdown: bool) -> str:
    labels = MONITOR_LABELS[lang]
    cell: Callable[[str], str] = markdown_cell if markdown else terminal_cell
    sep = "：" if lang == "zh" else ": "
    comma = "，" if lang == "zh" else ", "
    head = f"{labels['title']}{sep}{report.project}"
    when = (f"{labels['as_of']} {report.as_of}{comma}{labels['elapsed']} "
            + (f"{format_percent(report.elapsed)}（{labels[report.convention]}）" if lang == "zh"
               else f"{format_percent(report.elapsed)} ({labels[report.convention]})"))
    out = [("## " + cell(head)) if markdown else cell(head), "", when, ""]
    if report.too_early:
        out += [labels["early_note"], ""]
    if report.budget is not None:
        out += [cell(_budget_line(report.budget, labels, lang)), ""]
    headers = [labels[k] for k in ("name", "target", "to_date", "progress", "projected",
                                   "score", "rag")]
    rows = [[cell(text) for text in _row_cells(r, labels)] for r in report.rows]
    out.append(tabulate(rows, headers, tablefmt="pipe" if markdown else "simple",
                        disable_numparse=True))
    grade = report.grade if lang == "zh" else (report.projected.grade_en or report.grade)
    out += ["", f"{labels['total']} {fmt(report.total)}{comma}{labels['grade']} {cell(grade)}"]
    needing = report.needing_cause
    if needing:
        out += ["", f"{'### ' if markdown else ''}{labels['needs']}"]
        out += [cell(_cause_line(item, labels, lang)) for item in needing]
    if report.findings:
        out += ["", f"{'### ' if markdown else ''}{labels['findings']}"]
        out += [f"- {cell(f.message_zh if lang == 'zh' else f.message_en)}"
                for f in report.findings]
    return "\n".join(out) + "\n"
