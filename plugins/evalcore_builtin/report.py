"""The draft 自评报告 (self-evaluation report) as a Word document: the ``docx`` format.

A 自评表 is filed with a written report. This plugin writes its draft from an `Evaluation`, in
the outline of a published report (the Ganzhou example's) and of ``domain.md`` §5:

- the unit and the title;
- 一、基本情况: 项目概况, 资金情况 (the funds block with its 其中 rows), 绩效目标 (年度总体目标);
- 二、自评工作开展情况;
- 三、评价结论: total and grade, the funds row and each level-1 group's subtotal;
- 四、绩效指标完成情况, by 二级 category: every indicator with target, actual, points and score,
  and every lost point with its explanation and 偏差原因;
- 五、存在的问题及原因 (the rows that lost points, and the findings);
- 六、改进措施和建议;
- the 自评表 as an annex, on landscape pages, with merged 一级/二级 cells.

It fills in what the evaluation and the project's own texts say, and nothing else: where only a
person can write (the narrative of how the evaluation was done, the background, the measures,
a missing 偏差原因) it leaves a blank, highlighted and written 【待填写：……】, for the person who
finishes the draft. Numbers are shown exactly as the 自评表 shows them (the same cells as the
other formats, `evalcore_builtin.formats`). Every text from a file goes through `visible`, so a
control character is a visible escape and the document stays valid XML.

Needs the optional python-docx (``pip install 'evalcore-jixiao[word]'``); without it the
format says how to install it. The look (A4, fonts of an official document) is
`evalcore_builtin._report_style`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, cast

from evalcore.plugin import (
    EvalcoreError,
    Evaluation,
    Problem,
    Renderer,
    Row,
    Status,
    format_score,
    hookimpl,
    in_context,
    visible,
)
from evalcore.plugin import format_decimal as fmt

from ._finding_labels import finding_label
from .formats import FUNDS_HEADERS, INDICATOR_HEADERS, funds_line, indicator_lines, source_lines, texts

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

__all__ = ["BLANK_MARK", "OUTLINE", "render_docx"]

INSTALL_HINT = "pip install 'evalcore-jixiao[word]'"

BLANK_MARK = "【待填写："
"""How every blank left for a person begins (it ends with ``】``)."""

OUTLINE = ("一、基本情况", "（一）项目概况", "（二）资金情况", "（三）绩效目标",
           "二、自评工作开展情况", "三、评价结论", "四、绩效指标完成情况",
           "五、存在的问题及原因", "六、改进措施和建议", "附件：项目支出绩效自评表")
"""The report's fixed headings, in order. Section 四 adds one heading per 二级 category."""

_NUMBERS = "一二三四五六七八九十"


def _ordinal(n: int) -> str:
    """（一）, （二） … （十一） … （九十九）: the numbering of second-level headings (（100） on)."""
    if not 0 < n < 100:
        return f"（{n}）"
    tens, ones = divmod(n, 10)
    words = ("" if tens < 2 else _NUMBERS[tens - 1]) + ("十" if tens else "") + (
        _NUMBERS[ones - 1] if ones else "")
    return f"（{words}）"


def _text(text: str) -> str:
    """A stranger's text, safe for the document: control characters as visible escapes."""
    return visible(text)


class _Writer:
    """The document being written: paragraphs, blanks and tables in the report's styles."""

    def __init__(self, doc: Document) -> None:
        from . import _report_style as style

        self.doc, self.style = doc, style
        # Style ids, looked up once: python-docx looks a style's name up again for every paragraph
        # given one by name, which took two thirds of the time of a report.
        self._ids = {name: doc.styles[name].style_id
                     for name in (style.BODY, style.HEADING_1, style.HEADING_2, style.TITLE, style.UNIT,
                                  style.SIGNATURE, style.TABLE_TEXT, style.BLANK)}

    def styled(self, paragraph: Paragraph, style: str) -> Paragraph:
        """``paragraph`` in the paragraph style named ``style`` (one of `_report_style`'s)."""
        paragraph._p.get_or_add_pPr().style = self._ids[style]
        return paragraph

    def add(self, style: str, text: str = "") -> Paragraph:
        """A new paragraph of ``text`` (a stranger's: made `visible`) in the style ``style``."""
        paragraph = self.styled(self.doc.add_paragraph(), style)
        if text:
            paragraph.add_run(_text(text))
        return paragraph

    def heading(self, text: str, level: int) -> None:
        self.add(self.style.HEADING_1 if level == 1 else self.style.HEADING_2, text)

    def paragraph(self, *parts: str | tuple[str]) -> Paragraph:
        """A body paragraph: a str part is text, a 1-tuple part is a blank to fill in."""
        paragraph = self.add(self.style.BODY)
        for part in parts:
            if isinstance(part, tuple):
                self.blank_run(paragraph, part[0])
            elif part:
                paragraph.add_run(_text(part))
        return paragraph

    def blank_run(self, paragraph: Paragraph, what: str) -> None:
        """A blank in ``paragraph``: 【待填写：what】 in the blank style, highlighted on the run too
        (not every word processor shows a highlight that only a style sets)."""
        from docx.enum.text import WD_COLOR_INDEX

        run = paragraph.add_run(f"{BLANK_MARK}{what}】")
        run._r.style = self._ids[self.style.BLANK]
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW

    def blank(self, what: str) -> None:
        self.paragraph((what,))

    def table(self, header: Sequence[str], rows: Iterable[Sequence[str]],
              widths_mm: Sequence[float] | None = None) -> Table:
        """A bordered table, its header row bold and repeated on every page it runs onto, and an
        empty paragraph after it: Word and LibreOffice join two tables with nothing between them
        into one."""
        from docx.shared import Mm

        body = [list(values) for values in rows]
        table = cast("Table", self.doc.add_table(rows=1 + len(body), cols=len(header),
                                                 style="Table Grid"))
        cell_style = self.style.TABLE_TEXT
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            self.styled(cell.paragraphs[0], cell_style)
            cell.paragraphs[0].add_run(_text(text)).bold = True
        self.style.mark_header_row(table, table.rows[0])
        for row, values in zip(table.rows[1:], body, strict=True):
            for cell, text in zip(row.cells, values, strict=True):
                self.styled(cell.paragraphs[0], cell_style)
                if text:
                    cell.paragraphs[0].add_run(_text(text))
        if widths_mm is not None:
            table.autofit = False
            for column, width in zip(table.columns, widths_mm, strict=True):
                column.width = Mm(width)  # the grid, which LibreOffice reads
            for row in table.rows:
                for cell, width in zip(row.cells, widths_mm, strict=True):
                    cell.width = Mm(width)  # the cells, which Word reads
        self.add(self.style.TABLE_TEXT)
        return table


def _lost(row: Row) -> bool:
    return row.status is not Status.NOT_APPLICABLE and row.score < row.points


def _points(value: object) -> str:
    return f"{value}分"


def _title(e: Evaluation) -> str:
    name = e.project.strip()
    year = f"{e.year}年度" if e.year is not None and str(e.year) not in name else ""
    return f"关于{year}{name}的绩效自评报告"


def _head(w: _Writer, e: Evaluation) -> None:
    unit = e.department.strip() or e.implementer.strip()
    if unit:
        w.add(w.style.UNIT, unit)
    else:
        w.blank_run(w.add(w.style.UNIT), "单位名称")
    w.add(w.style.TITLE, _title(e))
    w.paragraph("本报告是依据项目支出绩效自评表生成的草稿：各项数据和得分取自自评表，",
                "标注", ("……",), "处须由评价单位核实补充后定稿。")
    w.paragraph("根据", ("绩效评价依据的文件或要求",), "，",
                f"{unit or '我单位'}对{e.project}开展了绩效自评，现将自评情况报告如下：")


def _basics(w: _Writer, e: Evaluation) -> None:
    w.heading(OUTLINE[0], 1)
    w.heading(OUTLINE[1], 2)
    facts = [f"项目名称：{e.project}"]
    if e.department:
        facts.append(f"主管部门：{e.department}")
    if e.implementer:
        facts.append(f"实施单位：{e.implementer}")
    if e.year is not None:
        facts.append(f"评价年度：{e.year}年度")
    w.paragraph("；".join(facts) + "。")
    w.blank("项目背景、立项依据、主要内容及实施情况")

    w.heading(OUTLINE[2], 2)
    b = e.budget
    if b is None:
        w.paragraph("自评表未列项目资金。")
        w.blank("资金投入和使用情况")
    else:
        total = texts([funds_line(e, b)])[0]
        unit = _text(b.unit)
        w.paragraph(f"项目资金（{unit}）：年初预算数{total[1] or '—'}，全年预算数{total[2] or '—'}，"
                    f"全年执行数{total[3] or '—'}，预算执行率{total[5] or '—'}。")
        for source in b.sources:
            w.paragraph(f"其中：{source.get('name', '')}，年初预算数{source.get('initial') or '—'}，"
                        f"全年预算数{source.get('planned') or '—'}，"
                        f"全年执行数{source.get('executed') or '—'}。")
        if b.reason:
            w.paragraph(f"执行情况说明：{b.reason}")
        w.table([f"项目资金（{b.unit}）", *FUNDS_HEADERS[1:]],
                texts([funds_line(e, b), *source_lines(b)]), [36, 20, 20, 20, 20, 20, 20])
        w.blank("资金管理和使用情况")

    w.heading(OUTLINE[3], 2)
    if e.goal_expected:
        w.paragraph(f"年度总体目标：{e.goal_expected}")
    else:
        w.paragraph("年度总体目标：", ("年度总体目标",))
    levels = {(row.group, row.category) for row in e.rows}
    w.paragraph(f"绩效指标：自评表设一级指标{len({g for g, _ in levels})}个、二级指标{len(levels)}个、"
                f"三级指标{len(e.rows)}个" + ("，另设预算执行率" if b is not None else "")
                + f"，满分{fmt(e.points)}分（各指标的年度指标值见第四部分和附件）。")


def _work(w: _Writer, e: Evaluation) -> None:
    w.heading(OUTLINE[4], 1)
    places = "取整数" if e.decimals == 0 else f"保留{e.decimals}位小数"
    w.paragraph(f"本次自评按评分规则“{e.profile}”"
                + ("对预算执行率和" if e.budget is not None else "对")
                + f"{len(e.rows)}项三级指标逐项计分，各项得分{places}（四舍五入），"
                "总分为各项得分之和。")
    w.blank("自评的组织、依据、原则、方法和工作过程")


def _conclusion(w: _Writer, e: Evaluation) -> None:
    w.heading(OUTLINE[5], 1)
    total = format_score(e.total, e.decimals)
    w.paragraph(f"经自评，项目总体绩效得分为{total}分（满分{fmt(e.points)}分），"
                f"自评等级为“{_text(e.grade)}”。")
    b = e.budget
    if b is not None:
        rate = texts([funds_line(e, b)])[0][5] or "—"
        w.paragraph(f"预算执行率{rate}，得{format_score(b.score, e.decimals)}分"
                    f"（分值{fmt(b.points)}分）。")
    parts = [f"{g.zh}得{format_score(g.score, e.decimals)}分（分值{fmt(g.points)}分）"
             for g in e.groups]
    if parts:
        w.paragraph("各部分得分：" + "；".join(parts) + "。")
    w.table(["指标", "分值", "得分"],
            [*([g.zh, fmt(g.points), format_score(g.score, e.decimals)] for g in e.groups),
             ["总分", fmt(e.points), total], ["自评等级", "", e.grade]])
    if e.goal_achieved:
        w.paragraph(f"年度总体目标完成情况：{e.goal_achieved}")
    else:
        w.paragraph("年度总体目标完成情况：", ("年度总体目标的完成情况",))


def _indicator(w: _Writer, e: Evaluation, n: int, row: Row) -> None:
    actual = row.actual or "—"
    if row.status is Status.NOT_APPLICABLE:
        w.paragraph(f"{n}. {row.name}：年度指标值“{row.target}”，本项不适用，不计分。")
        return
    w.paragraph(f"{n}. {row.name}：年度指标值“{row.target}”，实际完成值“{actual}”，"
                f"分值{fmt(row.points)}分，得分{format_score(row.score, e.decimals)}分。")
    if _lost(row):
        lost = format_score(row.lost, e.decimals)
        w.paragraph(f"扣{lost}分：{row.explanation_zh}。偏差原因：",
                    row.reason if row.reason.strip() else ("偏差原因分析",))
    elif row.status is not Status.MET:
        w.paragraph(f"评分说明：{row.explanation_zh}。")


def _by_category(e: Evaluation) -> list[tuple[str, str, str, list[Row]]]:
    """The rows grouped by 二级 category, in the order the categories first appear."""
    groups: dict[str, tuple[str, str, str, list[Row]]] = {}
    for row in e.rows:
        groups.setdefault(row.category, (row.category, row.category_zh, row.group_zh, []))[3].append(row)
    return list(groups.values())


def _indicators(w: _Writer, e: Evaluation) -> None:
    w.heading(OUTLINE[6], 1)
    subtotal = {c.name: c for c in e.categories}
    n = 0
    b = e.budget
    if b is not None:
        n += 1
        w.heading(f"{_ordinal(n)}{b.name}（分值{fmt(b.points)}分，得分"
                  f"{format_score(b.score, e.decimals)}分）", 2)
        w.paragraph(f"{b.explanation_zh}。")
        if b.score < b.points:
            w.paragraph("偏差原因：", b.reason if b.reason.strip() else ("预算执行偏差原因分析",))
    for category, zh, group, rows in _by_category(e):
        n += 1
        head = f"{_ordinal(n)}{zh}（{group}）"
        if category in subtotal:
            c = subtotal[category]
            head += f"：分值{fmt(c.points)}分，得分{format_score(c.score, e.decimals)}分"
        w.heading(head, 2)
        for i, row in enumerate(rows, 1):
            _indicator(w, e, i, row)


def _problems(w: _Writer, e: Evaluation) -> None:
    w.heading(OUTLINE[7], 1)
    n = 0
    b = e.budget
    if b is not None and b.score < b.points:
        n += 1
        w.paragraph(f"{n}. 预算执行不到位：{b.explanation_zh}。原因：",
                    b.reason if b.reason.strip() else ("原因分析",))
    for row in e.rows:
        if _lost(row):
            n += 1
            w.paragraph(f"{n}. {row.name}未完全达到年度指标值（年度指标值“{row.target}”，"
                        f"实际完成值“{row.actual or '—'}”），"
                        f"扣{format_score(row.lost, e.decimals)}分。原因：",
                        row.reason if row.reason.strip() else ("原因分析",))
    for finding in e.findings:
        n += 1
        w.paragraph(f"{n}. {finding_label(finding.code)}：{finding.message_zh}")
    if n == 0:
        w.paragraph("自评未发现失分的指标，也没有需关注的问题。")
    w.blank("其他存在的问题及原因分析（如无，删去本段）")


def _measures(w: _Writer, e: Evaluation) -> None:
    w.heading(OUTLINE[8], 1)
    lost = [row for row in e.rows if _lost(row)]
    if e.budget is not None and e.budget.score < e.budget.points:
        w.paragraph(f"针对{e.budget.name}：", ("提高预算执行率的措施",))
    for row in lost:
        if row.reason.strip():
            w.paragraph(f"针对{row.name}：自评表“偏差原因分析及改进措施”一栏写明：{row.reason}")
        w.paragraph(f"针对{row.name}：", ("改进措施",))
    w.blank("改进措施和建议")


def _annex(w: _Writer, e: Evaluation) -> None:
    w.style.landscape_section(w.doc)
    w.heading(OUTLINE[9], 1)
    year = f"（{e.year}年度）" if e.year is not None else ""
    w.add(w.style.TITLE, f"项目支出绩效自评表{year}")
    head = [["项目名称", e.project]]
    if e.department:
        head.append(["主管部门", e.department])
    if e.implementer:
        head.append(["实施单位", e.implementer])
    w.table(["项目基本信息", ""], head, [45, 212])
    if e.budget is not None:
        w.table([f"项目资金（{e.budget.unit}）", *FUNDS_HEADERS[1:]],
                texts([funds_line(e, e.budget), *source_lines(e.budget)]),
                [59, 33, 33, 33, 33, 33, 33])
    if e.goal_expected or e.goal_achieved:
        w.table(["年度总体目标", ""], [["预期目标", e.goal_expected],
                                  ["实际完成情况", e.goal_achieved]], [45, 212])
    lines = texts(indicator_lines(e))
    table = w.table(INDICATOR_HEADERS, lines, [22, 26, 50, 32, 32, 15, 15, 65])
    _merge_levels(table, lines)


def _merge_levels(table: Table, lines: list[list[str]]) -> None:
    """Merge the 一级 and 二级 cells of consecutive rows with the same level (as the form does),
    and the 总分 line's first five cells. ``lines`` are the table's rows below the header."""
    rows = [list(row.cells) for row in table.rows[1:]]
    indicator_rows = lines[:-1]

    def merge_runs(column: int, key: list[tuple[str, ...]]) -> None:
        start = 0
        for end in range(1, len(key) + 1):
            if end == len(key) or key[end] != key[start]:
                if end - start > 1:
                    for cell in (rows[i][column] for i in range(start + 1, end)):
                        for paragraph in cell.paragraphs:  # the text stays in the top cell only
                            for run in paragraph.runs:
                                run._r.getparent().remove(run._r)
                    rows[start][column].merge(rows[end - 1][column])
                start = end

    merge_runs(0, [(line[0],) for line in indicator_rows])
    merge_runs(1, [(line[0], line[1]) for line in indicator_rows])
    total = rows[-1]
    for cell in total[1:5]:
        for paragraph in cell.paragraphs:
            for run in paragraph.runs:
                run._r.getparent().remove(run._r)
    total[0].merge(total[4])


def _signature(w: _Writer, e: Evaluation) -> None:
    unit = e.department.strip() or e.implementer.strip()
    if unit:
        w.add(w.style.SIGNATURE, unit)
    else:
        w.blank_run(w.add(w.style.SIGNATURE), "单位名称")
    w.blank_run(w.add(w.style.SIGNATURE), "日期")


@in_context
def render_docx(e: Evaluation) -> bytes:
    """A draft 自评报告 in Word: 基本情况, 自评工作, 评价结论, every indicator and lost point,
    problems, measures, and the 自评表 as an annex; blanks marked 【待填写】 where only a person
    can write. Needs the optional python-docx (``pip install 'evalcore-jixiao[word]'``)."""
    try:
        import docx
    except ImportError:
        raise EvalcoreError([Problem(f"the docx format needs python-docx: {INSTALL_HINT}")]) from None
    from . import _report_style

    doc = docx.Document()
    _report_style.setup_styles(doc)
    _report_style.page_number_footer(doc, doc.sections[0])
    properties = doc.core_properties
    properties.title = _text(_title(e))[:255]
    properties.author = _text(e.department or e.implementer)[:255]
    properties.comments = "evalcore 生成的自评报告草稿"
    w = _Writer(doc)
    _head(w, e)
    _basics(w, e)
    _work(w, e)
    _conclusion(w, e)
    _indicators(w, e)
    _problems(w, e)
    _measures(w, e)
    _signature(w, e)
    _annex(w, e)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


@hookimpl
def evalcore_renderers() -> list[Renderer]:
    return [Renderer("docx", render_docx, (render_docx.__doc__ or "").strip(),
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                     binary=True)]
