"""Stage 5, render: an `Evaluation` as the 自评表 in text, Markdown, CSV or JSON.

This module is itself a plugin (entry point ``outputs``): it registers its
formats through `evalcore_renderers` like any third-party format would.
`evalcore.render` looks a format up in the registry. The form's lines (the
funds block, the indicator block and its total) are built once here
(`funds_line`, `source_lines`, `indicator_lines`) for these formats and for the
HTML page and workbook of `evalcore_builtin.documents`.

Every text that reaches an output came from someone's file, so every format is
safe for any text:

- `evalcore.safetext.visible` writes control characters (C0 but TAB, LF and CR; DEL;
  C1), bidirectional overrides, lone surrogates and U+FFFE/U+FFFF as a visible escape
  (``\\x1b``), in every format
  but JSON, which keeps the exact text and writes them as JSON escapes. An
  escape sequence never reaches a terminal, and an xlsx file stays valid XML.
- The terminal table turns any line break into a line of the cell and a TAB
  into a space. Markdown escapes ``| \\ ` * _ ~ [ ]`` and raw HTML and writes a
  line break as ``<br>``, so a row keeps its cells. CSV writes a line break as
  a (quoted) LF, so a row stays one row, and prefixes a text cell that a
  spreadsheet would run as a formula with ``'`` (`guard_formula`). It starts
  with a byte-order mark (`BOM`) so that Excel opens it as UTF-8.
- Numbers are formatted inside `evalcore.numbers.context`, whatever decimal
  context the caller has set (`in_context`).

Every format takes the ``lang`` option (`_text_labels.LANG`): ``"zh"`` (the
default) writes the form's Chinese labels, the rows' ``explanation_zh`` and the
findings' ``message_zh`` under their Chinese labels; ``"en"`` writes English
labels, ``explanation_en``, ``message_en`` and the grade's English name. JSON
carries both languages' fields whatever ``lang`` is: it has no words of its own.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable, Sequence
from decimal import Decimal

import attrs
import tabulate as _tabulate
from wcwidth import wcwidth

from evalcore.plugin import (
    Evaluation,
    Param,
    Renderer,
    Row,
    Status,
    boolean,
    format_percent,
    format_score,
    hookimpl,
    in_context,
    json_safe,
    terminal_text,
    visible,
)
from evalcore.plugin import format_decimal as fmt

from ._finding_labels import finding_label
from ._text_labels import CATEGORY_EN, GROUP_EN, LANG, label, level_name

__all__ = ["BOM", "FUNDS_AMOUNTS", "FUNDS_HEADERS", "INDICATOR_HEADERS", "Cell", "finding_lines_in",
           "funds_columns", "funds_csv_lines", "funds_line",
           "guard_formula", "headers", "indicator_lines", "lost_lines", "nothing_lost",
           "render_csv", "render_json", "render_markdown", "render_table", "source_lines",
           "texts", "values"]

# Chinese characters are two columns wide; tabulate measures them with wcwidth (its
# WIDE_CHARS_MODE is on whenever wcwidth, a dependency of evalcore, is installed; evalcore never
# sets a library's globals).

FUNDS_HEADERS = ["", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
INDICATOR_HEADERS = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                     "偏差原因分析及改进措施"]


def headers(chinese: Sequence[str], lang: str = "zh") -> list[str]:
    """`FUNDS_HEADERS` or `INDICATOR_HEADERS` (or any list of the form's labels) in ``lang``."""
    return [label(text, lang) if text else text for text in chinese]


# -- text that is safe to show -------------------------------------------------------------------



def _terminal_cell(text: str) -> str:
    """A cell of the terminal table: `terminal_text`, with TAB a space (a TAB has no width
    tabulate could measure, so it would break the column's alignment)."""
    return terminal_text(text).replace("\t", " ")


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal (a CJK character two, a combining mark none)."""
    return sum(max(wcwidth(ch), 0) for ch in text)


def _wrap(text: str, width: int) -> str:
    """Fold each line of ``text`` to ``width`` terminal columns: at spaces where it can, inside
    a word (or a run of CJK text, which has no spaces) where it must.

    tabulate's own folding (``maxcolwidths``) is not used: it guesses each cell's type again,
    ignoring ``disable_numparse``, and so crashes on a cell of a lone newline, of ``1,000`` or
    of an ANSI escape, and prints ``False`` as ``True``."""
    return "\n".join(folded for line in text.split("\n") for folded in _wrap_line(line, width))


def _wrap_line(line: str, width: int) -> list[str]:
    lines: list[str] = []
    current, used = "", 0
    for word in re.findall(r" +|[^ ]+", line):
        size = _width(word)
        if word.startswith(" "):
            if current:  # spaces never start a folded line
                current, used = current + word, used + size
        elif used + size <= width:
            current, used = current + word, used + size
        elif size <= width:
            lines.append(current.rstrip(" "))
            current, used = word, size
        else:  # longer than a whole line: fill this line, then as many as it takes
            for ch in word:
                if used + _width(ch) > width and used:
                    lines.append(current.rstrip(" "))
                    current, used = "", 0
                current, used = current + ch, used + _width(ch)
    lines.append(current.rstrip(" "))
    return lines


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_~\[\]|])")
_MARKDOWN_BLOCK_START = re.compile(r"[#+\-=]|\d+[.)]")


def _markdown_cell(text: str) -> str:
    """Text for a Markdown table cell or list item: raw HTML escaped (``<`` → ``&lt;``), the
    characters that make links, emphasis, code or a new cell backslash-escaped (``|`` →
    ``\\|``), every line break ``<br>`` (added after the escaping, so it stays a line break)."""
    escaped = html.escape(visible(text), quote=False).replace("\t", " ")
    return "<br>".join(_MARKDOWN_SPECIAL.sub(r"\\\1", escaped).splitlines())


def _markdown_item(text: str) -> str:
    """A `_markdown_cell` that starts a list item: a leading ``#``, ``-``, ``+``, ``=`` or
    ``1.`` is escaped too, so the item cannot become a heading or a nested list."""
    cell = _markdown_cell(text).lstrip(" ")
    match = _MARKDOWN_BLOCK_START.match(cell)
    if match is None:
        return cell
    return cell[:match.end() - 1] + "\\" + cell[match.end() - 1:]


# -- the 自评表's rows, once for every format -----------------------------------------------------

@attrs.frozen
class Cell:
    """One cell of the 自评表: its value as a workbook stores it (a number stays a number, a row
    that does not apply has no score) and its text as every other format shows it."""

    value: str | Decimal | None
    text: str


def _label(text: str) -> Cell:
    return Cell(text, text)


def _amount(value: Decimal | None) -> Cell:
    return Cell(value, "" if value is None else fmt(value))


def _rate(rate: Decimal | None) -> Cell:
    return Cell(rate, "" if rate is None else format_percent(rate))


def _score(value: Decimal | None, decimals: int) -> Cell:
    """A score to ``decimals`` places; None: the row does not apply ("/")."""
    return Cell(value, "/" if value is None else format_score(value, decimals))


def funds_columns(e: Evaluation) -> list[str]:
    """The 项目资金 block's columns after the line's label, by their Chinese labels: the
    amounts 年初预算数, 全年预算数, 到位数 (when the project gives it) and 全年执行数, then
    分值, 执行率 and 得分 when a funds row scores the block (`Evaluation.budget`); the national
    form's `FUNDS_HEADERS` when the project gives no 到位数 and the funds row is scored.

    A framework evaluation (决策/过程/产出/效益) scores its funds by 资金到位率 and 预算执行率
    rows instead, so its block has the amounts alone: a 执行率 or 得分 column there would
    read as a score the table never gave."""
    block = e.funds_block
    received = ["到位数"] if block is not None and block.received is not None else []
    scored = FUNDS_HEADERS[4:] if e.budget is not None else []
    return [*FUNDS_HEADERS[1:3], *received, FUNDS_HEADERS[3], *scored]


FUNDS_AMOUNTS = {"年初预算数": "initial", "全年预算数": "planned", "到位数": "received",
                 "全年执行数": "executed"}
"""The amount columns of the 项目资金 block, and the `Funds` field each shows."""


def funds_line(e: Evaluation, lang: str = "zh") -> list[Cell]:
    """The funds block's 年度资金总额 line, under ``""`` and `funds_columns`: the project's
    amounts (`Evaluation.funds_block`), and the funds row's points, rate and score if any."""
    block, b = e.funds_block, e.budget
    line = [_label(label("年度资金总额", lang))]
    for column in funds_columns(e):
        if column in FUNDS_AMOUNTS:
            line.append(_amount(getattr(block, FUNDS_AMOUNTS[column])))
        elif b is not None:
            line.append(_amount(b.points) if column == "分值" else _rate(b.rate)
                        if column == "执行率" else _score(b.score, e.decimals))
    return line


def source_lines(e: Evaluation, lang: str = "zh") -> list[list[Cell]]:
    """The funds block's 其中 lines, one per source of funds the project gives (their figures
    are text already; a source has no 到位数, 分值, 执行率 or 得分: blank)."""
    block = e.funds_block
    if block is None:
        return []
    of = "其中：" if lang == "zh" else f"{label('其中', lang)}: "
    return [[_label(f"{of}{source.get('name', '')}"),
             *(_label(source.get(FUNDS_AMOUNTS[c], "") if c in FUNDS_AMOUNTS else "")
               for c in funds_columns(e))] for source in block.sources]


def indicator_lines(e: Evaluation, *, merge: bool = False, lang: str = "zh") -> list[list[Cell]]:
    """The indicator block under `INDICATOR_HEADERS`, the total line last. ``merge`` leaves a
    level-1 or level-2 name out below its first row, as merged cells would (text tables)."""
    lines: list[list[Cell]] = []
    last_group: str | None = None
    last_category: str | None = None
    for row in e.rows:
        group = (level_name(row.group, row.group_zh, lang, GROUP_EN)
                 if not merge or row.group != last_group else "")
        category = (level_name(row.category, row.category_zh, lang, CATEGORY_EN)
                    if not merge or (row.group, row.category) != (last_group, last_category)
                    else "")
        last_group, last_category = row.group, row.category
        score = None if row.status is Status.NOT_APPLICABLE else row.score
        lines.append([_label(group), _label(category), _label(row.name), _label(row.target),
                      Cell(row.actual, row.actual or "—"), _amount(row.points),
                      _score(score, e.decimals), _label(row.reason)])
    grade = f"自评等级：{e.grade}" if lang == "zh" else f"{label('自评等级', lang)}: {_grade_en(e)}"
    lines.append([_label(label("总分", lang)), *(_label("") for _ in range(4)), _amount(e.points),
                  _score(e.total, e.decimals), _label(grade)])
    return lines


def texts(lines: Sequence[Sequence[Cell]]) -> list[list[str]]:
    """The cells' texts, for every format but a workbook."""
    return [[cell.text for cell in line] for line in lines]


def values(lines: Sequence[Sequence[Cell]]) -> list[list[str | Decimal | None]]:
    """The cells' values, for a workbook."""
    return [[cell.value for cell in line] for line in lines]


# -- the text tables -----------------------------------------------------------------------------

def _table(rows: Sequence[Sequence[str]], headers: Sequence[str], tablefmt: str,
           cell: Callable[[str], str], widths: Sequence[int | None] | None = None) -> str:
    """One table: every cell made safe by ``cell`` (and folded to ``widths``, if given), and
    never read as a number by tabulate (``1E3`` stays ``1E3``, ``2.50`` stays ``2.50``)."""
    safe = [[cell(text) for text in row] for row in rows]
    if widths is not None:
        safe = [[_wrap(text, w) if w else text for text, w in zip(row, widths, strict=True)]
                for row in safe]
    return _tabulate.tabulate(safe, list(headers), tablefmt=tablefmt, disable_numparse=True)


def _sections(e: Evaluation, tablefmt: str, cell: Callable[[str], str],
              wrap: bool = False, lang: str = "zh") -> list[str]:
    """The header, funds, goal and indicator tables; ``wrap`` folds long cells for terminals."""
    out: list[str] = []
    if lang == "zh":
        out.append(f"项目支出绩效自评表{f'（{e.year}年度）' if e.year else ''}")
    else:
        out.append(label("项目支出绩效自评表", lang) + (f" ({e.year})" if e.year else ""))
    head = [[label("项目名称", lang), e.project]]
    if e.department:
        head.append([label("主管部门", lang), e.department])
    if e.implementer:
        head.append([label("实施单位", lang), e.implementer])
    head.append([label("评价方案 / 规则", lang), f"{e.scheme} / {e.profile}"])
    out.append(_table(head, [label("项目基本信息", lang), ""], tablefmt, cell))
    block = e.funds_block
    if block is not None:
        funds = texts([funds_line(e, lang), *source_lines(e, lang)])
        unit = cell(block.unit)
        title = f"项目资金（{unit}）" if lang == "zh" else f"{label('项目资金', lang)} ({unit})"
        out.append(f"{title}\n\n" + _table(funds, headers(["", *funds_columns(e)], lang),
                                           tablefmt, cell))
    if e.goal_expected or e.goal_achieved:
        out.append(_table([[label("预期目标", lang), e.goal_expected],
                           [label("实际完成情况", lang), e.goal_achieved]],
                          [label("年度总体目标", lang), ""], tablefmt, cell,
                          [None, 70] if wrap else None))
    out.append(_table(texts(indicator_lines(e, merge=True, lang=lang)),
                      headers(INDICATOR_HEADERS, lang), tablefmt, cell,
                      [None, None, 24, 16, 14, None, None, 30] if wrap else None))
    return out


NOTHING_LOST = "无：各项均得满分"


def nothing_lost(lang: str = "zh") -> str:
    """`NOTHING_LOST` in ``lang``: what the list of lost points says when there is none."""
    return label(NOTHING_LOST, lang)


def lost_lines(e: Evaluation, lang: str = "zh") -> list[str]:
    """One line per row that lost points (or was rounded to full points), budget row first."""
    lines = []
    zh = lang == "zh"
    if e.budget is not None and e.budget.trace.capped != e.budget.points:
        b = e.budget
        if zh:
            lines.append(f"{b.name}：{b.explanation_zh}" + (f"（原因：{b.reason}）" if b.reason else ""))
        else:
            lines.append(f"{label('预算执行率', lang)}: {b.explanation_en}"
                         + (f" (reason: {b.reason})" if b.reason else ""))
    for row in e.rows:
        if row.score < row.points or (row.trace.capped is not None and row.trace.capped < row.points):
            lines.append(f"{row.name}：{row.explanation_zh}" if zh
                         else f"{row.name}: {row.explanation_en}")
    return lines


def finding_lines_in(e: Evaluation, lang: str = "zh") -> list[str]:
    """One line per finding: in Chinese its label and ``message_zh`` (``[超额完成] ...``), in
    English its ``message_en`` alone (the English message names the row and the issue)."""
    if lang == "zh":
        return [_labelled(finding_label(f.code), f.message_zh) for f in e.findings]
    return [f.message_en for f in e.findings]


def _labelled(name: str, message: str) -> str:
    """``[label] message``, the label not said twice (a scheme's warning is "方案提示：...")."""
    return f"[{name}] {message.removeprefix(f'{name}：')}"


def _grade_en(e: Evaluation) -> str:
    """The grade's English name; a profile's grade without one, as it is named."""
    return e.grade_en or e.grade


def _terminal_bullets(lines: list[str]) -> str:
    """``- line`` each, a line break inside a line indented under its bullet."""
    return "\n".join("- " + _terminal_cell(line).replace("\n", "\n  ") for line in lines)


def _colon(text: str, lang: str) -> str:
    """A label that introduces a list: ``扣分说明：`` or ``Points lost:``."""
    return f"{label(text, lang)}{'：' if lang == 'zh' else ':'}"


@in_context
def render_table(e: Evaluation, lang: str = "zh") -> str:
    """The 自评表 for a terminal: CJK-aligned tables, then where every point went."""
    parts = _sections(e, "simple_grid", _terminal_cell, wrap=True, lang=lang)
    parts.append(_colon("扣分说明（每一处失分）", lang) + "\n"
                 + _terminal_bullets(lost_lines(e, lang) or [nothing_lost(lang)]))
    findings = finding_lines_in(e, lang)
    if findings:
        parts.append(_colon("需关注的问题", lang) + "\n" + _terminal_bullets(findings))
    total = f"{format_score(e.total, e.decimals)} / {fmt(e.points)}"
    if lang == "zh":
        parts.append(f"总分 {total}，自评等级：{_terminal_cell(e.grade)}")
    else:
        parts.append(f"Total {total}, grade: {_terminal_cell(_grade_en(e))}")
    return visible("\n\n".join(parts) + "\n")


def _markdown_bullets(lines: list[str]) -> str:
    return "\n".join(f"- {_markdown_item(line)}" for line in lines)


@in_context
def render_markdown(e: Evaluation, lang: str = "zh") -> str:
    """The 自评表 as GitHub-flavoured Markdown, for reports and wikis."""
    title, *tables = _sections(e, "github", _markdown_cell, lang=lang)
    parts = [f"## {title}", *tables]
    parts.append(f"### {label('扣分说明', lang)}\n\n"
                 + _markdown_bullets(lost_lines(e, lang) or [nothing_lost(lang)]))
    findings = finding_lines_in(e, lang)
    if findings:
        parts.append(f"### {label('需关注的问题', lang)}\n\n" + _markdown_bullets(findings))
    total = f"{format_score(e.total, e.decimals)} / {fmt(e.points)}"
    if lang == "zh":
        parts.append(f"**总分 {total}，自评等级：{_markdown_cell(e.grade)}**")
    else:
        parts.append(f"**Total {total}, grade: {_markdown_cell(_grade_en(e))}**")
    return visible("\n\n".join(parts) + "\n")


# -- CSV -----------------------------------------------------------------------------------------

BOM = "\ufeff"  # the byte-order mark: encoded as UTF-8 it is EF BB BF, what Excel looks for

# What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A plain number (``-1.5``, ``1,000``, ``98.6%``, ``1E+3``): no formula, so it is left alone.
_NUMBER = re.compile(r"[-+]?(\d{1,3}(,\d{3})+(\.\d+)?|\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?%?")


def guard_formula(text: str) -> str:
    """A text cell a spreadsheet will not run: when it begins (or begins after blanks) with
    ``=``, ``+``, ``-`` or ``@``, or with TAB or CR, it is prefixed with ``'`` as OWASP
    recommends, unless it is a plain number such as ``-1.5`` (which stays a number)."""
    start = text.lstrip(" \t\r\n")
    if not (text.startswith(_FORMULA_START) or start.startswith(_FORMULA_START[:4])):
        return text
    return text if _NUMBER.fullmatch(text.strip()) else "'" + text


@in_context
def render_csv(e: Evaluation, *, guard: bool = True, bom: bool = True, lang: str = "zh") -> str:
    """One line per row (the budget row first), for spreadsheets; scores as exact decimals.
    Text cells that a spreadsheet would run as a formula get a leading ``'`` unless ``guard``
    is false (``evalcore evaluate --format csv --no-csv-guard``). The text starts with a
    byte-order mark (U+FEFF, UTF-8-SIG once encoded) unless ``bom`` is false (``--no-bom``):
    without it Excel in a Chinese locale reads the UTF-8 file as GBK and shows mojibake.
    ``lang`` words the header, the level-1 and level-2 names, the status, the explanation and
    the grade; the first column holds the rows' ids (``budget``, ``total``) in either. The
    project's funds come first, one line per amount (`funds_csv_lines`)."""

    def text(value: str) -> str:
        cell = _csv_line_breaks(visible(value))
        return guard_formula(cell) if guard else cell

    buffer = io.StringIO()
    if bom:
        buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\n")
    zh = lang == "zh"
    # The form's columns, with the id first and the status and 说明 before 偏差原因.
    writer.writerow(headers(["编号", *INDICATOR_HEADERS[:-1], "状态", "说明", INDICATOR_HEADERS[-1]],
                            lang))
    for line in funds_csv_lines(e, lang):
        writer.writerow([text(cell) for cell in line])
    if e.budget is not None:
        b = e.budget
        name = b.name if zh else label("预算执行率", lang)
        writer.writerow(["budget", text(name), "", text(name), "", _rate(b.rate).text, str(b.points),
                         str(b.score), _status(b.status, lang),
                         text(b.explanation_zh if zh else b.explanation_en), text(b.reason)])
    for row in e.rows:
        writer.writerow(_csv_row(row, text, lang))
    writer.writerow(["total", label("总分", lang), "", "", "", "", fmt(e.points), str(e.total),
                     text(e.grade if zh else _grade_en(e)), "", ""])
    return buffer.getvalue()


def funds_csv_lines(e: Evaluation, lang: str = "zh") -> list[list[str]]:
    """The 项目资金 block's amounts as CSV lines under the form's columns, one per amount the
    project gives (id ``funds_initial``, ``funds_planned``, ``funds_received``,
    ``funds_executed``): 一级 项目资金, 二级 年度资金总额, 三级 the amount's label, and the
    amount with its unit as the 实际完成值; the 其中 lines are the other formats'."""
    block = e.funds_block
    if block is None:
        return []
    lines = []
    for column, key in FUNDS_AMOUNTS.items():
        amount = getattr(block, key)
        if amount is not None:
            lines.append([f"funds_{key}", label("项目资金", lang), label("年度资金总额", lang),
                          label(column, lang), "", f"{fmt(amount)}{block.unit}", "", "", "", "",
                          ""])
    return lines


def _status(status: Status, lang: str) -> str:
    """A row's status in words: 达成, 部分达成 ... or met, partly met ..."""
    return status.zh if lang == "zh" else status.en


def _csv_line_breaks(text: str) -> str:
    """Every line break (CR, CRLF) a plain LF: the csv module quotes a cell with an LF, but
    writes a lone CR unquoted, and a CR ends the row for any reader."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _csv_row(row: Row, text: Callable[[str], str], lang: str = "zh") -> list[str]:
    """The numbers (分值, 得分) as they are; every other cell is text from a file or a plugin."""
    return [text(row.id), text(level_name(row.group, row.group_zh, lang, GROUP_EN)),
            text(level_name(row.category, row.category_zh, lang, CATEGORY_EN)), text(row.name),
            text(row.target),
            text(row.actual), str(row.points), str(row.score), _status(row.status, lang),
            text(row.explanation_zh if lang == "zh" else row.explanation_en), text(row.reason)]


# -- JSON ----------------------------------------------------------------------------------------

@in_context
def render_json(e: Evaluation, lang: str = "zh") -> str:
    """The whole evaluation as JSON; `Evaluation.from_json` reads it back unchanged.

    It carries every text in both languages (``explanation_zh`` and ``explanation_en``,
    ``message_zh`` and ``message_en``) and has no words of its own, so ``lang`` is accepted
    (every format takes it) and changes nothing."""
    del lang  # both languages are in the data
    # The text stays exact; a character `visible` would escape is written as a JSON escape
    # (json.dumps already escapes C0), so the raw character never reaches a terminal.
    return json_safe(e.to_json()) + "\n"


_FORMATS: list[tuple[str, Callable[..., str], str, tuple[Param, ...]]] = [
    ("table", render_table, "text/plain", (LANG,)),
    ("markdown", render_markdown, "text/markdown", (LANG,)),
    ("csv", render_csv, "text/csv", (
        Param("guard", boolean, True, "prefix a text cell that a spreadsheet would run as a "
              "formula (= + - @ TAB CR) with '; false writes cells as they are"),
        Param("bom", boolean, True, "start with a byte-order mark (UTF-8-SIG) so that Excel in a "
              "Chinese locale opens the file as UTF-8; false leaves it out"), LANG)),
    ("json", render_json, "application/json", (LANG,)),
]


@hookimpl
def evalcore_renderers() -> list[Renderer]:
    return [Renderer(name, function, (function.__doc__ or "").strip(), media, options=options)
            for name, function, media, options in _FORMATS]
