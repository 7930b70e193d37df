"""The 自评表 as documents: a self-contained HTML page and an Excel workbook.

HTML needs nothing beyond the standard library. Excel needs openpyxl, an
optional extra (``pip install 'evalcore-jixiao[excel]'``); without it the ``xlsx``
format says how to install it. Both show what the terminal table shows: the
header, the funds block, the indicator block with 偏差原因, the total and
grade, every lost point and every finding.
"""

from __future__ import annotations

import html
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from evalcore.plugin import (
    EvalcoreError,
    Evaluation,
    Problem,
    Renderer,
    format_score,
    hookimpl,
    in_context,
    visible,
)
from evalcore.plugin import format_decimal as fmt

from .formats import (
    FUNDS_HEADERS,
    INDICATOR_HEADERS,
    NOTHING_LOST,
    funds_line,
    indicator_lines,
    lost_lines,
    texts,
    values,
)

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["render_html", "render_xlsx"]

_STYLE = """
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #999; padding: 4px 8px; vertical-align: top; }
th { background: #eef; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: bold; padding: 4px 0; }
"""


def _esc(text: str) -> str:
    """Text for HTML: markup escaped, control characters a visible escape (`visible`)."""
    return html.escape(visible(text))


@in_context
def render_html(e: Evaluation) -> str:
    """A self-contained HTML page (no scripts, no external files) for printing or sharing."""
    esc = _esc

    def table(caption: str, headers: list[str], rows: list[list[str]], numeric: set[int]) -> str:
        head = "".join(f"<th>{esc(h)}</th>" for h in headers)
        body = []
        for row in rows:
            cells = "".join(f'<td class="num{" score" if i == 6 else ""}">{esc(c)}</td>' if i in numeric
                            else f"<td>{esc(c)}</td>" for i, c in enumerate(row))
            body.append(f"<tr>{cells}</tr>")
        return f"<table><caption>{esc(caption)}</caption><tr>{head}</tr>{''.join(body)}</table>"

    year = f"（{e.year}年度）" if e.year else ""
    parts = [f"<h1>项目支出绩效自评表{esc(year)}</h1>",
             table("项目基本信息", ["", ""], [["项目名称", e.project], ["主管部门", e.department],
                                             ["实施单位", e.implementer],
                                             ["评价方案 / 规则", f"{e.scheme} / {e.profile}"]], set())]
    if e.budget is not None:
        parts.append(table(f"项目资金（{e.budget.unit}）", FUNDS_HEADERS,
                           texts([funds_line(e, e.budget)]), {1, 2, 3, 4, 5, 6}))
    if e.goal_expected or e.goal_achieved:
        parts.append(table("年度总体目标", ["预期目标", "实际完成情况"],
                           [[e.goal_expected, e.goal_achieved]], set()))
    parts.append(table("绩效指标", INDICATOR_HEADERS, texts(indicator_lines(e)), {5, 6}))
    lost = lost_lines(e) or [NOTHING_LOST]
    parts.append("<h2>扣分说明</h2><ul>" + "".join(f"<li>{esc(x)}</li>" for x in lost)
                 + "</ul>")
    if e.findings:
        parts.append("<h2>需关注的问题</h2><ul>" + "".join(
            f"<li>[{esc(f.code)}] {esc(f.message_zh)}</li>" for f in e.findings) + "</ul>")
    parts.append(f"<p><strong>总分 {esc(format_score(e.total, e.decimals))} / {esc(fmt(e.points))}，"
                 f"自评等级：{esc(e.grade)}</strong></p>")
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{esc(e.project)} 绩效自评表</title><style>{_STYLE}</style></head>"
            f"<body>{''.join(parts)}</body></html>\n")


def _append(sheet: Worksheet, values: Sequence[str | Decimal | None]) -> None:
    """One row: numbers as numbers, every text `visible` and written as a text cell. openpyxl
    would store a text beginning with ``=`` as a live formula and ``#N/A`` as an error value,
    and refuses control characters with an IllegalCharacterError."""
    sheet.append([visible(v) if isinstance(v, str) else v for v in values])
    if values:
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"


@in_context
def render_xlsx(e: Evaluation) -> bytes:
    """An Excel workbook: sheet 自评表 (the table, scores as numbers) and sheet 说明 (every lost
    point and finding). Needs the optional openpyxl (``pip install 'evalcore-jixiao[excel]'``)."""
    try:
        from openpyxl import Workbook
    except ImportError:
        raise EvalcoreError([Problem(
            "the xlsx format needs openpyxl: pip install 'evalcore-jixiao[excel]'")]) from None
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "自评表"
    _append(sheet, [f"项目支出绩效自评表{f'（{e.year}年度）' if e.year else ''}"])
    for label, value in (("项目名称", e.project), ("主管部门", e.department), ("实施单位", e.implementer)):
        _append(sheet, [label, value])
    if e.budget is not None:
        _append(sheet, [])
        _append(sheet, [f"项目资金（{e.budget.unit}）", *FUNDS_HEADERS[1:]])
        _append(sheet, values([funds_line(e, e.budget)])[0])
    _append(sheet, [])
    _append(sheet, INDICATOR_HEADERS)
    for cells in values(indicator_lines(e)):
        _append(sheet, cells)
    notes = book.create_sheet("说明")
    _append(notes, ["扣分说明"])
    for line in lost_lines(e) or [NOTHING_LOST]:
        _append(notes, [line])
    _append(notes, [])
    _append(notes, ["需关注的问题"])
    for f in e.findings:
        _append(notes, [f.code, f.message_zh])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@hookimpl
def evalcore_renderers() -> list[Renderer]:
    return [
        Renderer("html", render_html, (render_html.__doc__ or "").strip(), "text/html"),
        Renderer("xlsx", render_xlsx, (render_xlsx.__doc__ or "").strip(),
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", binary=True),
    ]
