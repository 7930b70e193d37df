"""Stage 5, render: an `Evaluation` as the 自评表 in text, Markdown, CSV or JSON.

This module is itself a plugin (entry point ``outputs``): it registers its
formats through `evalcore_renderers` like any third-party format would.
`evalcore.render` looks a format up in the registry.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from decimal import Decimal

import tabulate as _tabulate

from .hookspecs import hookimpl
from .numbers import format_decimal as fmt
from .numbers import format_percent
from .results import Evaluation, Row
from .specs import Renderer, Status

__all__ = ["render_csv", "render_json", "render_markdown", "render_table"]

# Chinese characters are two columns wide; tabulate measures them with wcwidth.
_tabulate.WIDE_CHARS_MODE = True

FUNDS_HEADERS = ["", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
INDICATOR_HEADERS = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                     "偏差原因分析及改进措施"]


def score_text(value: Decimal | None, decimals: int) -> str:
    """A score as tables show it: always ``decimals`` places (9.90, not 9.9)."""
    return "" if value is None else f"{value:.{decimals}f}"


def _rate(rate: Decimal | None) -> str:
    return "" if rate is None else format_percent(rate)


def _money(value: Decimal | None) -> str:
    return "" if value is None else fmt(value)


def _sections(e: Evaluation, tablefmt: str, wrap: bool = False) -> list[str]:
    """The header, funds, goal and indicator tables; ``wrap`` folds long cells for terminals."""
    out: list[str] = []
    year = f"（{e.year}年度）" if e.year else ""
    out.append(f"项目支出绩效自评表{year}")
    head = [["项目名称", e.project]]
    if e.department:
        head.append(["主管部门", e.department])
    if e.implementer:
        head.append(["实施单位", e.implementer])
    head.append(["评价方案 / 规则", f"{e.scheme} / {e.profile}"])
    out.append(_tabulate.tabulate(head, ["项目基本信息", ""], tablefmt=tablefmt))
    if e.budget is not None:
        b = e.budget
        rows = [["年度资金总额", _money(b.initial), _money(b.planned), _money(b.executed),
                 fmt(b.points), _rate(b.rate), score_text(b.score, e.decimals)]]
        for source in b.sources:
            rows.append([f"其中：{source.get('name', '')}", source.get("initial", ""),
                         source.get("planned", ""), source.get("executed", ""), "", "", ""])
        out.append(f"项目资金（{b.unit}）\n\n" + _tabulate.tabulate(
            rows, FUNDS_HEADERS,
            tablefmt=tablefmt, disable_numparse=True))
    if e.goal_expected or e.goal_achieved:
        out.append(_tabulate.tabulate(
            [["预期目标", e.goal_expected], ["实际完成情况", e.goal_achieved]],
            ["年度总体目标", ""], tablefmt=tablefmt, maxcolwidths=[None, 70] if wrap else None))
    out.append(_tabulate.tabulate(
        _indicator_rows(e), INDICATOR_HEADERS, tablefmt=tablefmt, disable_numparse=True,
        maxcolwidths=[None, None, 24, 16, 14, None, None, 30] if wrap else None))
    return out


def _indicator_rows(e: Evaluation) -> list[list[str]]:
    rows: list[list[str]] = []
    last_group = last_category = None
    for row in e.rows:
        group = row.group_zh if row.group != last_group else ""
        category = row.category_zh if (row.group, row.category) != (last_group, last_category) else ""
        last_group, last_category = row.group, row.category
        rows.append([group, category, row.name, row.target, row.actual or "—", fmt(row.points),
                     score_text(row.score, e.decimals) if row.status is not Status.NOT_APPLICABLE else "/",
                     row.reason])
    rows.append(["总分", "", "", "", "", fmt(e.points), score_text(e.total, e.decimals),
                 f"自评等级：{e.grade}"])
    return rows


NOTHING_LOST = "无：各项均得满分"


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def lost_lines(e: Evaluation) -> list[str]:
    """One line per row that lost points (or was rounded to full points), budget row first."""
    lines = []
    if e.budget is not None and e.budget.trace.capped != e.budget.points:
        reason = f"（原因：{e.budget.reason}）" if e.budget.reason else ""
        lines.append(f"{e.budget.name}：{e.budget.explanation_zh}{reason}")
    for row in e.rows:
        if row.score < row.points or (row.trace.capped is not None and row.trace.capped < row.points):
            lines.append(f"{row.name}：{row.explanation_zh}")
    return lines


def _findings(e: Evaluation) -> list[str]:
    return [f"- [{f.code}] {f.message_zh}" for f in e.findings]


def render_table(e: Evaluation) -> str:
    """The 自评表 for a terminal: CJK-aligned tables, then where every point went."""
    parts = _sections(e, "simple_grid", wrap=True)
    parts.append("扣分说明（每一处失分）：\n" + _bullets(lost_lines(e) or [NOTHING_LOST]))
    findings = _findings(e)
    if findings:
        parts.append("需关注的问题：\n" + "\n".join(findings))
    parts.append(f"总分 {score_text(e.total, e.decimals)} / {fmt(e.points)}，自评等级：{e.grade}"
                 f"（{e.grade_en}）")
    return "\n\n".join(parts) + "\n"


def render_markdown(e: Evaluation) -> str:
    """The 自评表 as GitHub-flavoured Markdown, for reports and wikis."""
    title, *tables = _sections(e, "github")
    parts = [f"## {title}", *tables]
    parts.append("### 扣分说明\n\n" + _bullets(lost_lines(e) or [NOTHING_LOST]))
    findings = _findings(e)
    if findings:
        parts.append("### 需关注的问题\n\n" + "\n".join(findings))
    parts.append(f"**总分 {score_text(e.total, e.decimals)} / {fmt(e.points)}，自评等级：{e.grade}**")
    return "\n\n".join(parts) + "\n"


def render_csv(e: Evaluation) -> str:
    """One line per row (the budget row first), for spreadsheets; scores as exact decimals."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                     "status", "说明", "偏差原因分析及改进措施"])
    if e.budget is not None:
        b = e.budget
        writer.writerow(["budget", b.name, "", b.name, "", _rate(b.rate), str(b.points),
                         str(b.score), b.status.value, b.explanation_zh, b.reason])
    for row in e.rows:
        writer.writerow(_csv_row(row))
    writer.writerow(["total", "总分", "", "", "", "", fmt(e.points), str(e.total), e.grade, "", ""])
    return buffer.getvalue()


def _csv_row(row: Row) -> list[str]:
    return [row.id, row.group_zh, row.category_zh, row.name, row.target, row.actual,
            str(row.points), str(row.score), row.status.value, row.explanation_zh, row.reason]


def render_json(e: Evaluation) -> str:
    """The whole evaluation as JSON; `Evaluation.from_json` reads it back unchanged."""
    return e.to_json() + "\n"


_FORMATS: list[tuple[str, Callable[[Evaluation], str], str]] = [
    ("table", render_table, "text/plain"),
    ("markdown", render_markdown, "text/markdown"),
    ("csv", render_csv, "text/csv"),
    ("json", render_json, "application/json"),
]


@hookimpl
def evalcore_renderers() -> list[Renderer]:
    return [Renderer(name, function, (function.__doc__ or "").strip(), media)
            for name, function, media in _FORMATS]
