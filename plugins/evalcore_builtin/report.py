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

The option ``lang`` (``zh``, the default, or ``en``) writes the same report in English: the
outline, the sentences and the blanks from `evalcore_builtin._report_words`, the form's labels
from `evalcore_builtin._form_labels`, the rows' English explanations, the findings' English
messages; the user's own texts stay as written.

Needs the optional python-docx (``pip install 'evalcore-jixiao[word]'``); without it the
format says how to install it. The look (A4, fonts of an official document) is
`evalcore_builtin._report_style`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, cast

from evalcore.plugin import (
    BudgetRow,
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
from ._form import form_funds_line, form_indicator_lines, funds_headers
from ._form_labels import SOURCE_EN, grade_name, labels
from ._report_words import BLANKS, OUTLINES, WORDS, ordinal
from ._text_labels import CATEGORY_EN, GROUP_EN, LANG, level_name
from .formats import FUNDS_AMOUNTS, Cell, funds_columns, funds_line, source_lines, texts

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

__all__ = ["BLANK_MARK", "OUTLINE", "render_docx"]

INSTALL_HINT = "pip install 'evalcore-jixiao[word]'"

BLANK_MARK = BLANKS["zh"][0]
"""How every blank left for a person begins (it ends with ``】``); in English ``[To be
completed: `` (`_report_words.BLANKS`)."""

OUTLINE = OUTLINES["zh"]
"""The report's fixed headings, in order. Section 四 adds one heading per 二级 category."""


def _ordinal(n: int) -> str:
    """（一）, （二） … （十一） … （九十九）: the numbering of second-level headings (（100） on)."""
    return ordinal(n)


def _text(text: str) -> str:
    """A stranger's text, safe for the document: control characters as visible escapes."""
    return visible(text)


class _Writer:
    """The document being written: paragraphs, blanks and tables in the report's styles, and
    the report's words in its language (`say`)."""

    def __init__(self, doc: Document, lang: str = "zh") -> None:
        from . import _report_style as style

        self.doc, self.style, self.lang = doc, style, lang
        self.words, self.outline, self.marks = WORDS[lang], OUTLINES[lang], BLANKS[lang]
        self.labels = labels(lang)
        # Style ids, looked up once: python-docx looks a style's name up again for every paragraph
        # given one by name, which took two thirds of the time of a report.
        self._ids = {name: doc.styles[name].style_id
                     for name in (style.BODY, style.HEADING_1, style.HEADING_2, style.TITLE, style.UNIT,
                                  style.SIGNATURE, style.TABLE_TEXT, style.BLANK)}

    def say(self, key: str, **values: Any) -> str:
        """The report's sentence ``key`` in its language, filled in with ``values``."""
        return self.words[key].format(**values)

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

        run = paragraph.add_run(f"{self.marks[0]}{what}{self.marks[1]}")
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

    # -- what the evaluation says, in the report's language --

    def explanation(self, row: Row | BudgetRow) -> str:
        return row.explanation_en if self.lang == "en" else row.explanation_zh

    def budget_name(self, b: BudgetRow) -> str:
        return self.labels.budget_name if self.lang == "en" else b.name

    def grade(self, e: Evaluation) -> str:
        return grade_name(e, self.lang)

    def sources(self, e: Evaluation) -> list[list[Cell]]:
        """The funds table's 其中 lines: the project's own sources (`formats.source_lines`), in
        English with the standard sources' English names."""
        if self.lang != "en":
            return source_lines(e)
        block = e.funds_block
        lines = []
        for source in block.sources if block is not None else ():
            name = str(source.get("name", "")).removeprefix("其中：")
            label = self.labels.of_which.format(name=SOURCE_EN.get(name, name))
            lines.append([Cell(label, label), *(
                Cell(source.get(FUNDS_AMOUNTS[c], ""), source.get(FUNDS_AMOUNTS[c], ""))
                if c in FUNDS_AMOUNTS else Cell("", "") for c in funds_columns(e))])
        return lines

    def funds_table(self, e: Evaluation, label_width: int, width: int) -> None:
        """The 项目资金 table: its 年度资金总额 line and the project's 其中 lines, under the
        block's columns (`formats.funds_columns`), the label ``label_width`` mm wide and each
        figure ``width``."""
        block = e.funds_block
        assert block is not None
        columns = funds_headers(e, self.lang)
        self.table([self.say("funds_header", unit=block.unit), *columns],
                   texts([form_funds_line(e, self.lang), *self.sources(e)]),
                   [label_width, *(width for _ in columns)])

    def source_name(self, name: str) -> str:
        """A source's name as the report's funds paragraph gives it (in English the standard
        sources' English names)."""
        if self.lang != "en":
            return name
        name = name.removeprefix("其中：")
        return SOURCE_EN.get(name, name)


def _lost(row: Row) -> bool:
    return row.status is not Status.NOT_APPLICABLE and row.score < row.points


def _title(e: Evaluation, lang: str = "zh") -> str:
    words = WORDS[lang]
    name = e.project.strip()
    year = (words["title_year"].format(year=e.year)
            if e.year is not None and str(e.year) not in name else "")
    return words["title"].format(year=year, name=name)


def _unit(e: Evaluation) -> str:
    return e.department.strip() or e.implementer.strip()


def _unit_line(w: _Writer, e: Evaluation, style: str) -> str:
    """The reporting unit in ``style``, or a blank to fill when the file names none; the unit."""
    unit = _unit(e)
    if unit:
        w.add(style, unit)
    else:
        w.blank_run(w.add(style), w.say("unit_blank"))
    return unit


def _head(w: _Writer, e: Evaluation) -> None:
    unit = _unit_line(w, e, w.style.UNIT)
    w.add(w.style.TITLE, _title(e, w.lang))
    w.paragraph(w.say("draft_1"), w.say("draft_2"), (w.say("draft_mark"),), w.say("draft_3"))
    w.paragraph(w.say("basis_1"), (w.say("basis_blank"),), w.say("basis_2"),
                w.say("basis_3", unit=unit or w.say("we"), project=e.project))


def _basics(w: _Writer, e: Evaluation) -> None:
    w.heading(w.outline[0], 1)
    w.heading(w.outline[1], 2)
    facts = [w.say("fact_project", value=e.project)]
    if e.department:
        facts.append(w.say("fact_department", value=e.department))
    if e.implementer:
        facts.append(w.say("fact_implementer", value=e.implementer))
    if e.year is not None:
        facts.append(w.say("fact_year", value=e.year))
    w.paragraph(w.say("facts", facts=w.say("facts_separator").join(facts)))
    w.blank(w.say("background_blank"))

    w.heading(w.outline[2], 2)
    b, block = e.budget, e.funds_block
    if block is None:
        w.paragraph(w.say("no_funds"))
        w.blank(w.say("funds_blank"))
    else:
        cells = dict(zip(funds_columns(e), texts([funds_line(e)])[0][1:], strict=True))
        parts = [w.say(f"funds_{key}", value=cells[column] or "—")
                 for column, key in FUNDS_AMOUNTS.items() if column in cells]
        if "执行率" in cells:
            parts.append(w.say("funds_rate", value=cells["执行率"] or "—"))
        w.paragraph(w.say("funds", unit=_text(block.unit),
                          parts=w.say("funds_separator").join(parts)))
        for source in block.sources:
            w.paragraph(w.say("source", name=w.source_name(str(source.get("name", ""))),
                              initial=source.get("initial") or "—",
                              planned=source.get("planned") or "—",
                              executed=source.get("executed") or "—"))
        if b is not None and b.reason:
            w.paragraph(w.say("funds_reason", reason=b.reason))
        w.funds_table(e, 36, 20)
        w.blank(w.say("funds_use_blank"))

    w.heading(w.outline[3], 2)
    if e.goal_expected:
        w.paragraph(w.say("goal", goal=e.goal_expected))
    else:
        w.paragraph(w.say("goal_label"), (w.say("goal_blank"),))
    levels = {(row.group, row.category) for row in e.rows}
    w.paragraph(w.say("levels", groups=len({g for g, _ in levels}), categories=len(levels),
                      rows=len(e.rows), budget=w.say("levels_budget") if b is not None else "",
                      points=fmt(e.points)))


def _work(w: _Writer, e: Evaluation) -> None:
    w.heading(w.outline[4], 1)
    places = w.say("places_whole") if e.decimals == 0 else w.say("places", decimals=e.decimals)
    w.paragraph(w.say("work", profile=e.profile, rows=len(e.rows), places=places,
                      what=w.say("work_budget") if e.budget is not None else w.say("work_rows")))
    w.blank(w.say("work_blank"))


def _conclusion(w: _Writer, e: Evaluation) -> None:
    w.heading(w.outline[5], 1)
    total = format_score(e.total, e.decimals)
    w.paragraph(w.say("conclusion", total=total, points=fmt(e.points), grade=_text(w.grade(e))))
    b = e.budget
    if b is not None:
        rate = texts([funds_line(e)])[0][funds_columns(e).index("执行率") + 1] or "—"
        w.paragraph(w.say("conclusion_budget", rate=rate, score=format_score(b.score, e.decimals),
                          points=fmt(b.points)))
    names = [level_name(g.name, g.zh, w.lang, GROUP_EN) for g in e.groups]
    parts = [w.say("group_part", name=name, score=format_score(g.score, e.decimals),
                   points=fmt(g.points)) for name, g in zip(names, e.groups, strict=True)]
    if parts:
        w.paragraph(w.say("parts", parts=w.say("parts_separator").join(parts)))
    w.table(w.say("conclusion_headers").split("|"),
            [*([name, fmt(g.points), format_score(g.score, e.decimals)]
               for name, g in zip(names, e.groups, strict=True)),
             [w.say("total"), fmt(e.points), total], [w.say("grade"), "", w.grade(e)]])
    if e.goal_achieved:
        w.paragraph(w.say("achieved", goal=e.goal_achieved))
    else:
        w.paragraph(w.say("achieved_label"), (w.say("achieved_blank"),))


def _indicator(w: _Writer, e: Evaluation, n: int, row: Row) -> None:
    actual = row.actual or "—"
    if row.status is Status.NOT_APPLICABLE:
        w.paragraph(w.say("row_not_applicable", n=n, name=row.name, target=row.target))
        return
    w.paragraph(w.say("row", n=n, name=row.name, target=row.target, actual=actual,
                      points=fmt(row.points), score=format_score(row.score, e.decimals)))
    if _lost(row):
        lost = format_score(row.lost, e.decimals)
        w.paragraph(w.say("row_lost", lost=lost, explanation=w.explanation(row)),
                    row.reason if row.reason.strip() else (w.say("reason_blank"),))
    elif row.status is not Status.MET:
        w.paragraph(w.say("row_explained", explanation=w.explanation(row)))


def _by_category(e: Evaluation, lang: str = "zh") -> list[tuple[str, str, str, list[Row]]]:
    """The rows grouped by 二级 category, in the order the categories first appear, with the
    category's and its group's names in ``lang``."""
    groups: dict[str, tuple[str, str, str, list[Row]]] = {}
    for row in e.rows:
        groups.setdefault(row.category, (
            row.category, level_name(row.category, row.category_zh, lang, CATEGORY_EN),
            level_name(row.group, row.group_zh, lang, GROUP_EN), []))[3].append(row)
    return list(groups.values())


def _indicators(w: _Writer, e: Evaluation) -> None:
    w.heading(w.outline[6], 1)
    subtotal = {c.name: c for c in e.categories}
    n = 0
    b = e.budget
    if b is not None:
        n += 1
        w.heading(ordinal(n, w.lang) + w.say("budget_heading", name=w.budget_name(b),
                                             points=fmt(b.points),
                                             score=format_score(b.score, e.decimals)), 2)
        w.paragraph(w.say("budget_explained", explanation=w.explanation(b)))
        if b.score < b.points:
            w.paragraph(w.say("budget_reason"),
                        b.reason if b.reason.strip() else (w.say("budget_reason_blank"),))
    for category, name, group, rows in _by_category(e, w.lang):
        n += 1
        head = ordinal(n, w.lang) + w.say("category_heading", name=name, group=group)
        if category in subtotal:
            c = subtotal[category]
            head += w.say("category_scores", points=fmt(c.points),
                          score=format_score(c.score, e.decimals))
        w.heading(head, 2)
        for i, row in enumerate(rows, 1):
            _indicator(w, e, i, row)


def _problems(w: _Writer, e: Evaluation) -> None:
    w.heading(w.outline[7], 1)
    n = 0
    b = e.budget
    if b is not None and b.score < b.points:
        n += 1
        w.paragraph(w.say("problem_budget", n=n, explanation=w.explanation(b)),
                    b.reason if b.reason.strip() else (w.say("cause_blank"),))
    for row in e.rows:
        if _lost(row):
            n += 1
            w.paragraph(w.say("problem_row", n=n, name=row.name, target=row.target,
                              actual=row.actual or "—", lost=format_score(row.lost, e.decimals)),
                        row.reason if row.reason.strip() else (w.say("cause_blank"),))
    for finding in e.findings:
        n += 1
        w.paragraph(w.say("problem_finding", n=n, label=finding_label(finding.code, w.lang),
                          message=finding.message_en if w.lang == "en" else finding.message_zh))
    if n == 0:
        w.paragraph(w.say("no_problems"))
    w.blank(w.say("problems_blank"))


def _measures(w: _Writer, e: Evaluation) -> None:
    w.heading(w.outline[8], 1)
    lost = [row for row in e.rows if _lost(row)]
    if e.budget is not None and e.budget.score < e.budget.points:
        name = w.budget_name(e.budget) if w.lang != "en" else w.budget_name(e.budget).lower()
        w.paragraph(w.say("measure_budget", name=name), (w.say("measure_budget_blank"),))
    for row in lost:
        if row.reason.strip():
            w.paragraph(w.say("measure_reason", name=row.name, reason=row.reason))
        w.paragraph(w.say("measure_row", name=row.name), (w.say("measure_blank"),))
    w.blank(w.say("measures_blank"))


def _annex(w: _Writer, e: Evaluation) -> None:
    t = w.labels
    w.style.landscape_section(w.doc)
    w.heading(w.outline[9], 1)
    year = w.say("annex_year", year=e.year) if e.year is not None else ""
    w.add(w.style.TITLE, w.say("annex_title", year=year))
    head = [[t.project, e.project]]
    if e.department:
        head.append([t.department, e.department])
    if e.implementer:
        head.append([t.implementer, e.implementer])
    w.table([w.say("annex_info"), ""], head, [45, 212])
    if e.funds_block is not None:
        w.funds_table(e, 59, 33)
    if e.goal_expected or e.goal_achieved:
        w.table([t.goal, ""], [[w.say("annex_expected"), e.goal_expected],
                               [w.say("annex_achieved"), e.goal_achieved]], [45, 212])
    lines = texts(form_indicator_lines(e, w.lang))
    table = w.table(t.indicator_headers, lines, [22, 26, 50, 32, 32, 15, 15, 65])
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
    _unit_line(w, e, w.style.SIGNATURE)
    w.blank_run(w.add(w.style.SIGNATURE), w.say("date_blank"))


@in_context
def render_docx(e: Evaluation, *, lang: str = "zh") -> bytes:
    """A draft 自评报告 in Word: 基本情况, 自评工作, 评价结论, every indicator and lost point,
    problems, measures, and the 自评表 as an annex; blanks marked 【待填写】 where only a person
    can write; in English with ``lang="en"``. Needs the optional python-docx
    (``pip install 'evalcore-jixiao[word]'``)."""
    try:
        import docx
    except ImportError:
        raise EvalcoreError([Problem(f"the docx format needs python-docx: {INSTALL_HINT}")]) from None
    from . import _report_style

    doc = docx.Document()
    _report_style.setup_styles(doc, lang)
    _report_style.page_number_footer(doc, doc.sections[0])
    properties = doc.core_properties
    properties.title = _text(_title(e, lang))[:255]
    properties.author = _text(e.department or e.implementer)[:255]
    properties.comments = WORDS[lang]["comments"]
    w = _Writer(doc, lang)
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
                     binary=True, options=(LANG,))]
