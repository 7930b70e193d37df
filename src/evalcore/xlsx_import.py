"""Reading an Excel workbook (.xlsx) into a `Grid` of cells, as a hostile file allows.

The workbook is opened by openpyxl (the optional ``excel`` extra) in read-only
mode with the values Excel saved (``data_only``): no formula is ever
evaluated. A formula cell without a saved value (a file written by a program
that never calculated it) is a located problem, not an empty cell. The sheet
named 自评表 is read, else the first sheet holding a 三级指标 label, else the
first sheet; at most MAX_ROWS rows of MAX_COLUMNS columns are read, and the
archive must not unpack to more than 16 times the file-size limit, so a small
file cannot cost gigabytes.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from .errors import LoadError, Origin, Problem, exception_text
from .tables import CellValue, Grid, clean_label

__all__ = ["MAX_COLUMNS", "MAX_ROWS", "check_archive", "read_xlsx"]

MAX_ROWS = 2000  # a 自评表 has a few dozen rows; a sheet longer than this is not one
MAX_COLUMNS = 64
UNPACK_FACTOR = 16  # the most an archive may unpack to, as a multiple of the file-size limit
EXCEL_EXTRA = "pip install 'evalcore-jixiao[excel]'"


def check_archive(raw: bytes, file: str, max_file_size: int, what: str) -> None:
    """Refuse what is not a zip archive, or one that would unpack to more than UNPACK_FACTOR
    times ``max_file_size`` bytes (a zip bomb), before any library opens it."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise LoadError([Problem(f"not {what}: the file is not a zip archive (is it an old "
                                 ".xls/.doc file? save it as .xlsx/.docx)", Origin(file))]) from None
    if unpacked > UNPACK_FACTOR * max_file_size:
        raise LoadError([Problem(f"the archive unpacks to {unpacked:,} bytes, more than "
                                 f"{UNPACK_FACTOR} times the file-size limit", Origin(file),
                                 "raise the limit with --max-file-size, or max_file_size= in "
                                 "the API")])


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:
        raise LoadError([Problem(f"reading an Excel table needs openpyxl: {EXCEL_EXTRA}")]) \
            from None
    return openpyxl


def read_xlsx(raw: bytes, file: str, max_file_size: int) -> Grid:
    """The 自评表 sheet of an .xlsx file (its bytes) as a `Grid`."""
    openpyxl = _openpyxl()
    check_archive(raw, file, max_file_size, "an Excel workbook (.xlsx)")
    try:
        values = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a broken file; none is a bug here
        raise LoadError([Problem(f"not a readable Excel workbook: {exception_text(exc)}",
                                 Origin(file))]) from None
    try:
        name = _sheet(values)
        rows, problems = _cells(values[name], formulas[name], file, name)
    except LoadError:
        raise
    except Exception as exc:  # a sheet whose XML openpyxl cannot parse
        raise LoadError([Problem(f"not a readable Excel workbook: {exception_text(exc)}",
                                 Origin(file))]) from None
    finally:
        values.close()
        formulas.close()
    return Grid(file, rows, lambda r, c: f"sheet {name}: cell {_letter(c)}{r + 1}",
                f"sheet {name}", tuple(problems))


def _letter(column: int) -> str:
    """The column letter of a 0-based column: 0 → A, 26 → AA."""
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _sheet(book: Any) -> str:
    """The sheet to read: 自评表, else the first with a 三级指标 label, else the first."""
    names: list[str] = [sheet.title for sheet in book.worksheets]  # no chart sheets
    if not names:
        raise LoadError([Problem("the workbook has no worksheets")])
    for name in names:
        if clean_label(name) == "自评表":
            return name
    for name in names:
        for row in book[name].iter_rows(max_row=MAX_ROWS, max_col=MAX_COLUMNS, values_only=True):
            if any(clean_label(v) == "三级指标" for v in row if isinstance(v, str)):
                return name
    return names[0]


def _rows(sheet: Any) -> Iterator[tuple[Any, ...]]:
    yield from sheet.iter_rows(max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS)


def _cells(values: Any, formulas: Any, file: str, name: str
           ) -> tuple[tuple[tuple[CellValue, ...], ...], list[Problem]]:
    rows: list[tuple[CellValue, ...]] = []
    problems: list[Problem] = []
    for r, (row, formula_row) in enumerate(zip(_rows(values), _rows(formulas), strict=False)):
        if r == MAX_ROWS:
            if any(cell.value is not None for cell in row):
                problems.append(Problem(f"the sheet has more than {MAX_ROWS:,} rows; a 自评表 "
                                        "is not that long", Origin(f"{file}: sheet {name}")))
            break
        cells: list[CellValue] = []
        for c, (cell, formula) in enumerate(zip(row, formula_row, strict=False)):
            if getattr(formula, "data_type", None) == "f" and cell.value is None:
                problems.append(Problem(
                    "a formula without a saved value: evalcore never calculates formulas; open "
                    "the file in Excel (or LibreOffice) and save it, or type the value",
                    Origin(f"{file}: sheet {name}: cell {_letter(c)}{r + 1}")))
            cells.append(_value(cell))
        rows.append(tuple(cells))
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    return tuple(rows), problems


def _value(cell: Any) -> CellValue:
    """A cell's value: text stays text, a number an exact Decimal (a percent-formatted number
    its percent as text, ``95%``), a date a date."""
    value = cell.value
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)):
        number = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
        if "%" in str(getattr(cell, "number_format", "") or ""):
            return format((number * 100).normalize(), "f") + "%"
        return number
    return str(value)
