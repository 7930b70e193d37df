"""The 自评表 as documents: the official form as an HTML page and as an Excel workbook.

Both follow the standard 项目支出绩效自评表 layout: the header rows, the funds block
with its 其中 lines, 年度总体目标, the indicator block with its 一级 and 二级 cells
merged, 总分 and grade, and a signature block left blank for a person; findings under
labels in the document's language. The HTML page is rendered from Jinja2 templates shipped in the
package (``templates/``), autoescaped, with a print stylesheet (A4 landscape) and two
inline SVG charts; it needs the optional jinja2 (``pip install 'evalcore-jixiao[html]'``).
The workbook is written by `evalcore_builtin._workbook` (openpyxl, the ``excel`` extra).
Both take the option ``lang``: ``zh`` (the default, the form as filed) or ``en``, the same
document in English (`evalcore_builtin._form_labels`). This module registers both formats.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from evalcore.plugin import (
    EvalcoreError,
    Evaluation,
    Param,
    Problem,
    Renderer,
    decimal,
    format_score,
    hookimpl,
    in_context,
    visible,
)
from evalcore.plugin import format_decimal as fmt

from ._form import (
    BAR_WIDTH,
    budget_line,
    category_bars,
    finding_lines,
    form_lost_lines,
    form_rows,
    funds_headers,
    funds_lines,
    gauge,
    review_scores,
)
from ._form_labels import grade_name, labels
from ._text_labels import LANG
from ._workbook import render_xlsx

if TYPE_CHECKING:
    import jinja2

__all__ = ["COLUMN_WIDTHS", "render_html", "render_xlsx"]

COLUMN_WIDTHS = (9, 11, 17, 12, 12, 6, 6, 27)
"""The form's eight columns, in percent of the page width (the HTML page's grid)."""

REVIEW_WIDTH = 6
"""The 复核 column's width in percent, taken from 偏差原因 when the column is shown."""


@functools.cache
def _environment() -> jinja2.Environment:
    """The templates' environment: autoescaped, strict about undefined names, and every text
    `visible` (a control character shown as an escape) before it is escaped."""
    try:
        import jinja2
    except ImportError:
        raise EvalcoreError([Problem("the html format needs jinja2: "
                                     "pip install 'evalcore-jixiao[html]'")]) from None
    return jinja2.Environment(
        loader=jinja2.PackageLoader("evalcore_builtin", "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
        finalize=lambda value: visible(value) if isinstance(value, str) else value)


def page_context(e: Evaluation, line: Decimal | None = None,
                 review: tuple[Decimal | None, ...] | None = None,
                 lang: str = "zh") -> dict[str, Any]:
    """What the template shows, every number already formatted and every label in ``lang``:
    the form's blocks, the charts' numbers, the lost points and the findings. ``review``: the
    复核 scores, one per row (`_form.review_scores` gives them when the evaluation carries
    them)."""
    t = labels(lang)
    extra = 0 if review is None else 1
    widths = list(COLUMN_WIDTHS)
    headers = list(t.indicator_headers)
    if review is not None:
        widths[-1] -= REVIEW_WIDTH
        widths.insert(7, REVIEW_WIDTH)
        headers.insert(7, t.review)
    bars = category_bars(e, lang)
    funds = funds_lines(e, lang)
    columns = funds_headers(e, lang)
    # The form's grid is 8 columns (9 with 复核): the block's title has a column of its own,
    # spanning its lines, when the line's label and its figures leave one; else (到位数 and a
    # scored funds row: seven figures) it heads the labels' column. The last figure spans
    # what is left of the row.
    title_column = len(columns) <= 6
    chart = gauge(e, budget_line(e, line))
    block = e.funds_block
    unit = block.unit if block is not None else ""
    return {
        "t": t, "year_text": t.year.format(year=e.year) if e.year else "",
        "page_title": t.page_title.format(project=e.project),
        "funds_label": t.funds.format(unit=unit) if unit else t.funds_no_unit,
        "grade_text": t.grade.format(grade=grade_name(e, lang)),
        "budget_caption": "" if chart is None else t.budget_caption.format(
            profile=e.profile, line=chart.line_text),
        "line_label": "" if chart is None else t.line.format(line=chart.line_text),
        "footer": t.footer.format(scheme=e.scheme, profile=e.profile),
        "project": e.project, "department": e.department, "implementer": e.implementer,
        "year": e.year, "scheme": e.scheme, "profile": e.profile, "extra": extra,
        "widths": widths, "headers": headers, "numeric": {5, 6, 7} if review is not None else {5, 6},
        "unit": unit,
        "funds": funds, "funds_headers": columns, "funds_title_column": title_column,
        "funds_span": 8 + extra - (2 if title_column else 1) - len(columns) + 1,
        "goal_expected": e.goal_expected, "goal_achieved": e.goal_achieved,
        "rows": form_rows(e, review, lang), "points": fmt(e.points),
        "total": format_score(e.total, e.decimals), "grade": e.grade,
        "bars": bars, "bars_height": 24 * max(len(bars), 1), "chart_width": BAR_WIDTH,
        "gauge": chart,
        "lost": form_lost_lines(e, lang), "findings": finding_lines(e, lang),
    }


@in_context
def render_html(e: Evaluation, *, budget_line: Decimal | None = None, lang: str = "zh") -> str:
    """The official form as a self-contained HTML page (no scripts, nothing fetched): merged
    一级/二级 cells, the 其中 rows, charts, a print stylesheet for A4 landscape; in Chinese,
    or in English with ``lang="en"``. Needs the optional jinja2
    (``pip install 'evalcore-jixiao[html]'``)."""
    return _environment().get_template("form.html.j2").render(
        page_context(e, budget_line, review_scores(e), lang))


_HTML_OPTIONS = (
    Param("budget_line", decimal(0), None,
          "the execution rate the budget chart draws its line at, as a ratio (0.9 = 90%); "
          "default: the profile's (the rate below which it asks for a reason)"),
    LANG,
)


@hookimpl
def evalcore_renderers() -> list[Renderer]:
    return [
        Renderer("html", render_html, (render_html.__doc__ or "").strip(), "text/html",
                 options=_HTML_OPTIONS),
        Renderer("xlsx", render_xlsx, (render_xlsx.__doc__ or "").strip(),
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", binary=True,
                 options=(LANG,)),
    ]
