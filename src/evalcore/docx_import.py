"""Reading a Word document (.docx) into a `Grid`: its tables, one under the other.

A Word 自评表 is one table, or several (the header and funds in one, the
indicators in the next). The rows of every top-level table are stacked into one
grid, so the blocks are found by their labels wherever they are; each cell is
named ``table 1: row 5: column 3`` (the column of Word's layout grid). A cell
merged across columns holds its text in its first column; one merged down
(``vMerge``) holds it in its first row and is empty below, as in Excel, so
一级/二级 are filled down the same way. python-docx (the optional ``word``
extra) parses the file; the archive is checked first like a workbook's.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

import io
from typing import Any

from .errors import LoadError, Origin, Problem, exception_text
from .tables import CellValue, Grid
from .xlsx_import import MAX_COLUMNS, MAX_ROWS, check_archive

__all__ = ["read_docx"]

TITLE_PARAGRAPHS = 10  # paragraphs above the first table read for the title
WORD_EXTRA = "pip install 'evalcore-jixiao[word]'"


def _docx() -> Any:
    try:
        import docx
    except ImportError:
        raise LoadError([Problem(f"reading a Word table needs python-docx: {WORD_EXTRA}")]) \
            from None
    return docx


def read_docx(raw: bytes, file: str, max_file_size: int) -> Grid:
    """Every table of a .docx file (its bytes) as one `Grid`."""
    docx = _docx()
    check_archive(raw, file, max_file_size, "a Word document (.docx)")
    try:
        document = docx.Document(io.BytesIO(raw))
        rows, places = _tables(document, file)
    except LoadError:
        raise
    except Exception as exc:  # python-docx raises many kinds for a broken file
        raise LoadError([Problem(f"not a readable Word document: {exception_text(exc)}",
                                 Origin(file))]) from None
    if not document.tables:
        raise LoadError([Problem("the document has no table: a 自评表 is read from a Word table",
                                 Origin(file))])
    return Grid(file, tuple(rows), lambda r, c: _place(places[r], c), "tables")


def _place(place: tuple[int, int], column: int) -> str:
    table, row = place
    if table == 0:
        return f"paragraph {row}"
    return f"table {table}: row {row}: column {column + 1}"


def _first_table(body: Any) -> int:
    """The position of the first table among the body's elements (its length if none)."""
    for i, element in enumerate(body):
        if element.tag.endswith("}tbl"):
            return i
    return len(body)


def _tables(document: Any, file: str) -> tuple[list[tuple[CellValue, ...]], list[tuple[int, int]]]:
    from docx.table import _Cell

    rows: list[tuple[CellValue, ...]] = []
    places: list[tuple[int, int]] = []
    # The title (项目支出绩效自评表（2023年度）) is a paragraph above the first table: the
    # paragraphs before it are rows of one cell, named "paragraph N".
    body = document.element.body
    for p, paragraph in enumerate(document.paragraphs[:TITLE_PARAGRAPHS], start=1):
        if body.index(paragraph._p) > _first_table(body):
            break
        if paragraph.text.strip():
            rows.append((paragraph.text,))
            places.append((0, p))
    for t, table in enumerate(document.tables, start=1):
        for r, tr in enumerate(table._tbl.tr_lst, start=1):
            if len(rows) == MAX_ROWS:
                raise LoadError([Problem(f"the tables have more than {MAX_ROWS:,} rows; a 自评表 "
                                         "is not that long", Origin(file))])
            cells: list[CellValue] = [None] * MAX_COLUMNS
            position = tr.grid_before
            for tc in tr.tc_lst:
                if position >= MAX_COLUMNS:
                    raise LoadError([Problem(f"a table is wider than {MAX_COLUMNS} columns",
                                             Origin(f"{file}: table {t}: row {r}"))])
                if tc.vMerge != "continue":
                    cells[position] = _Cell(tc, table).text or None
                position += tc.grid_span
            while cells and cells[-1] is None:
                cells.pop()
            rows.append(tuple(cells))
            places.append((t, r))
    return rows, places
