"""The official 自评表 as an Excel workbook, styled as the printed form.

Sheet 自评表 is the form in the standard layout (title, 项目名称 / 主管部门 / 实施单位,
the funds block with its 其中 lines, 年度总体目标, the indicator block with 一级 and 二级
merged over their rows, 总分 and grade, a signature block to fill in), with borders,
widths, wrapping, bold headers, and an A4 landscape print set-up one page wide whose
indicator header repeats on every page. Sheet 说明 lists every lost point and every
finding under its label (Chinese, or English in an English workbook).

Numbers are numbers: each `Decimal` is written as its exact decimal text (openpyxl
writes ``str(value)``), so a score already rounded half up to the profile's places is
stored as that score, and the number format shows exactly those places (``0.00`` for two,
``0`` for none); an amount's format shows the places it has (492.99135 → ``#,##0.00000``);
执行率 is the exact ratio with the format ``0.00%``. Excel reads each into a double, which
holds 15 significant digits, more than any of these shows. Texts are always text cells,
never formulas. With ``lang="en"`` the same workbook is written in English (sheets
``Self-evaluation form`` and ``Notes``, every label from `evalcore_builtin._form_labels`).
Needs the optional openpyxl (``pip install 'evalcore-jixiao[excel]'``).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from evalcore.plugin import EvalcoreError, Evaluation, Problem, in_context, visible

from ._form import (
    finding_lines,
    form_lost_lines,
    form_rows,
    funds_headers,
    funds_lines,
    review_scores,
)
from ._form_labels import FormLabels, grade_name, labels
from .formats import Cell, funds_columns

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["COLUMN_WIDTHS", "amount_format", "render_xlsx", "score_format"]

COLUMN_WIDTHS = (12, 12, 26, 16, 16, 8, 9, 40)
"""The eight columns' widths in characters (一级 … 偏差原因); a 复核 column is 9 wide."""



def score_format(decimals: int) -> str:
    """The number format of a score rounded to ``decimals`` places: ``0.00``, or ``0``."""
    return "0." + "0" * decimals if decimals > 0 else "0"


def amount_format(value: Decimal, grouping: bool = True) -> str:
    """The number format that shows ``value`` exactly: as many places as it has."""
    exponent = value.normalize().as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    base = "#,##0" if grouping else "0"
    return base + ("." + "0" * places if places else "")


class _Form:
    """A sheet being written: the form's named styles, and one cell at a time.

    Styles are named styles of the workbook (a cell refers to one by name), and a block is
    merged before anything is written into it: both keep openpyxl from hashing a style object
    for every cell, which made the workbook four times slower to write."""

    TEXT, HEADER, NUMBER, PLAIN = "evalcore-text", "evalcore-header", "evalcore-number", "evalcore-plain"
    CENTER = "evalcore-center"

    def __init__(self, sheet: Worksheet, columns: int, lang: str = "zh") -> None:
        from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

        self.sheet, self.columns = sheet, columns
        self.lang, self.t = lang, labels(lang)
        thin = Side(style="thin", color="444444")
        box = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.underline = Border(bottom=thin)
        self.bold = Font(bold=True)
        self.center = Alignment(wrap_text=True, vertical="center", horizontal="center")
        book = sheet.parent
        assert book is not None
        for style in (
                NamedStyle(self.TEXT, border=box, alignment=Alignment(wrap_text=True, vertical="center")),
                NamedStyle(self.HEADER, border=box, font=self.bold, alignment=self.center,
                           fill=PatternFill("solid", fgColor="F0F0F0")),
                NamedStyle(self.NUMBER, border=box,
                           alignment=Alignment(vertical="center", horizontal="right")),
                NamedStyle(self.CENTER, border=box, alignment=self.center),
                NamedStyle(self.PLAIN, alignment=Alignment(wrap_text=True, vertical="center"))):
            if style.name not in book.style_names:
                book.add_named_style(style)
        self.row = 0

    def put(self, row: int, column: int, value: str | Decimal | int | None, *,
            header: bool = False, number_format: str | None = None, boxed: bool = True) -> None:
        """One cell: a text as a text cell (`visible`, never a formula), a number as a number."""
        cell = self.sheet.cell(row=row, column=column)
        if isinstance(value, str):
            cell.value = visible(value)
            cell.data_type = "s"
        else:
            cell.value = value
        if not boxed:
            cell.style = self.PLAIN
        elif header:
            cell.style = self.HEADER
        elif number_format is not None:
            cell.style = self.NUMBER
            cell.number_format = number_format
        else:
            cell.style = self.TEXT

    def merge(self, row: int, first: int, last: int, rows: int = 1) -> None:
        """Merge a block (before its first cell is written), bordering every cell under it:
        Excel draws a merged cell's border from the cells it covers."""
        if rows > 1 or last > first:
            self.sheet.merge_cells(start_row=row, start_column=first, end_row=row + rows - 1,
                                   end_column=last)
        for r in range(row, row + rows):
            for c in range(first, last + 1):
                self.sheet.cell(row=r, column=c).style = self.TEXT

    def next(self) -> int:
        self.row += 1
        return self.row


def _number(cell: Cell, number_format: str | None) -> tuple[str | Decimal | None, str | None]:
    """A cell's value and format: a number with ``number_format``; otherwise its text."""
    if isinstance(cell.value, Decimal):
        return cell.value, number_format or amount_format(cell.value)
    return (cell.value if cell.value not in (None, "") else cell.text), None


def _header(form: _Form, e: Evaluation) -> None:
    last, t = form.columns, form.t
    row = form.next()
    form.put(row, 1, t.title, boxed=False)
    from openpyxl.styles import Font

    form.sheet.cell(row=row, column=1).font = Font(bold=True, size=16)
    form.sheet.cell(row=row, column=1).alignment = form.center
    form.sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
    form.sheet.row_dimensions[row].height = 30
    row = form.next()
    form.put(row, 1, t.year.format(year=e.year) if e.year else "", boxed=False)
    form.sheet.cell(row=row, column=1).alignment = form.center
    form.sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
    row = form.next()
    form.put(row, 1, t.project, header=True)
    form.merge(row, 2, last)
    form.put(row, 2, e.project)
    row = form.next()
    form.put(row, 1, t.department, header=True)
    form.merge(row, 2, 4)
    form.put(row, 2, e.department)
    form.put(row, 5, t.implementer, header=True)
    form.merge(row, 6, last)
    form.put(row, 6, e.implementer)


def _funds(form: _Form, e: Evaluation) -> None:
    """The 项目资金 block: the title in column 1 (spanning the block) and the lines' labels in
    column 2 when the figures leave room, as the national form has them; with seven figures
    (到位数 and a scored funds row) the title heads the labels in column 1. The last figure's
    cell spans the rest of the row."""
    block = e.funds_block
    if block is None:
        return
    last, t = form.columns, form.t
    lines = funds_lines(e, form.lang)
    columns = funds_headers(e, form.lang)
    label_column = 2 if len(columns) <= 6 else 1
    first = label_column + 1
    end = first + len(columns) - 1  # the last figure's column, spanning to ``last``
    title = t.funds.format(unit=block.unit) if block.unit else t.funds_no_unit
    top = form.next()
    if label_column == 2:
        form.merge(top, 1, 1, rows=len(lines) + 1)
        form.put(top, 1, title, header=True)
        form.put(top, 2, "", header=True)
    else:
        form.put(top, 1, title, header=True)
    form.merge(top, end, last)
    for i, label in enumerate(columns):
        form.put(top, first + i, label, header=True)
    fixed = {"执行率": "0.00%", "得分": score_format(e.decimals)}
    formats = [fixed.get(c) for c in funds_columns(e)]
    for line in lines:
        row = form.next()
        form.merge(row, end, last)
        form.put(row, label_column, line[0].text)
        for i, (cell, number_format) in enumerate(zip(line[1:], formats, strict=True)):
            value, shown = _number(cell, number_format)
            form.put(row, first + i, value, number_format=shown)


def _goal(form: _Form, e: Evaluation) -> None:
    last, t = form.columns, form.t
    row = form.next()
    form.merge(row, 1, 1, rows=2)
    form.put(row, 1, t.goal, header=True)
    form.merge(row, 2, 5)
    form.put(row, 2, t.goal_expected, header=True)
    form.merge(row, 6, last)
    form.put(row, 6, t.goal_achieved, header=True)
    row = form.next()
    form.merge(row, 2, 5)
    form.put(row, 2, e.goal_expected)
    form.merge(row, 6, last)
    form.put(row, 6, e.goal_achieved)
    form.sheet.row_dimensions[row].height = 15 * max(2, min(8, len(e.goal_expected) // 30 + 1))


def _indicators(form: _Form, e: Evaluation, review: Sequence[Decimal | None] | None) -> int:
    """The indicator block; returns its header row (the sheet's print title)."""
    t = form.t
    headers = list(t.indicator_headers)
    if review is not None:
        headers.insert(7, t.review)
    header = form.next()
    for i, label in enumerate(headers):
        form.put(header, 1 + i, label, header=True)
    scores = score_format(e.decimals)
    numeric = {5: None, 6: scores, 7: scores} if review is not None else {5: None, 6: scores}
    for r in form_rows(e, review, form.lang):
        row = form.next()
        for column, span in ((1, r.group_span), (2, r.category_span)):
            if span > 1:
                form.merge(row, column, column, rows=span)
        for i, cell in enumerate(r.cells):
            if i < 2 and (r.group_span, r.category_span)[i] == 0:
                continue  # merged into the cell above
            value, number_format = _number(cell, numeric.get(i))
            if i == 5 and isinstance(value, Decimal):
                number_format = amount_format(value, grouping=False)
            form.put(row, 1 + i, value, number_format=number_format if i in numeric else None)
            if i < 2:
                form.sheet.cell(row=row, column=1 + i).style = form.CENTER
    row = form.next()
    form.merge(row, 1, 5)
    form.put(row, 1, t.total, header=True)
    form.put(row, 6, e.points, number_format=amount_format(e.points, grouping=False))
    form.put(row, 7, e.total, number_format=scores)
    form.sheet.cell(row=row, column=7).font = form.bold
    if review is not None:
        form.put(row, 8, None)
    form.put(row, form.columns, t.grade.format(grade=grade_name(e, form.lang)))
    form.sheet.cell(row=row, column=form.columns).font = form.bold
    return header


def _signature(form: _Form) -> None:
    signature = form.t.signature
    form.next()
    row = form.next()
    for column, label in ((1, signature[0]), (4, signature[1]), (6, signature[2])):
        form.put(row, column, label, boxed=False)
        form.sheet.cell(row=row, column=column).font = form.bold
    for column in (2, 3, 5, 7, 8):
        form.sheet.cell(row=row, column=column).border = form.underline
    row = form.next()
    form.put(row, 1, signature[3], boxed=False)
    form.sheet.cell(row=row, column=1).font = form.bold
    for column in (2, 3):
        form.sheet.cell(row=row, column=column).border = form.underline


def _print_setup(sheet: Worksheet, title_rows: str | None) -> None:
    """A4 landscape, one page wide (as many tall as it takes), centred, ``title_rows``
    repeated at the top of every page."""
    from openpyxl.worksheet.page import PageMargins
    from openpyxl.worksheet.properties import PageSetupProperties

    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    if title_rows is not None:
        sheet.print_title_rows = title_rows


def _widths(sheet: Worksheet, widths: Sequence[int]) -> None:
    from openpyxl.utils import get_column_letter

    for i, width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(i + 1)].width = width


def _notes(book: Any, e: Evaluation, t: FormLabels) -> None:
    """Sheet 说明 (Notes): every lost point, then every finding under its label."""
    notes = book.create_sheet(t.sheet_notes)
    form = _Form(notes, 3, t.lang)
    row = form.next()
    form.merge(row, 1, 3)
    form.put(row, 1, t.lost_heading, header=True)
    for line in form_lost_lines(e, t.lang):
        row = form.next()
        form.merge(row, 1, 3)
        form.put(row, 1, line)
    form.next()
    row = form.next()
    form.merge(row, 1, 3)
    form.put(row, 1, t.findings_heading, header=True)
    row = form.next()
    for i, label in enumerate(t.findings_headers):
        form.put(row, 1 + i, label, header=True)
    for f in finding_lines(e, t.lang):
        row = form.next()
        for i, text in enumerate((f.label, f.indicator, f.message)):
            form.put(row, 1 + i, text)
    if not e.findings:
        row = form.next()
        form.merge(row, 1, 3)
        form.put(row, 1, t.no_findings)
    _widths(notes, (60, 24, 70))
    _print_setup(notes, None)


def write_form(e: Evaluation, review: Sequence[Decimal | None] | None = None,
               lang: str = "zh") -> bytes:
    """The workbook of `render_xlsx`, with ``review`` (复核 scores, one per row) as a column
    after 得分 when given, in ``lang``."""
    try:
        from openpyxl import Workbook
    except ImportError:
        raise EvalcoreError([Problem("the xlsx format needs openpyxl: "
                                     "pip install 'evalcore-jixiao[excel]'")]) from None
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    t = labels(lang)
    sheet.title = t.sheet_form
    form = _Form(sheet, 8 if review is None else 9, lang)
    _header(form, e)
    _funds(form, e)
    _goal(form, e)
    header = _indicators(form, e, review)
    _signature(form)
    widths = list(COLUMN_WIDTHS)
    if review is not None:
        widths.insert(7, 9)
    _widths(sheet, widths)
    _print_setup(sheet, f"{header}:{header}")
    sheet.print_area = f"A1:{'HI'[form.columns - 8]}{form.row}"
    _notes(book, e, t)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@in_context
def render_xlsx(e: Evaluation, *, lang: str = "zh") -> bytes:
    """The official form as an Excel workbook: sheet 自评表 in the standard layout (merged
    cells, borders, number formats, A4 landscape one page wide, a signature block), sheet 说明
    with every lost point and finding; in English with ``lang="en"``. Needs the optional
    openpyxl (``pip install 'evalcore-jixiao[excel]'``)."""
    return write_form(e, review_scores(e), lang)
