"""Reading a 自评表 laid out as a table (Excel or Word) into the mapping a project file gives.

Real tables are not laid out alike: title rows above the header, blank columns,
header rows in another order, 一级/二级 cells merged over many rows, numbers
stored as text, full-width digits, labels broken over two lines, and the
labels themselves vary (年度指标值, 指标值, 年度目标值). So nothing here uses a
fixed cell position: each block is found by its labels (项目名称, the funds
header 年初预算数 / 全年预算数 / 全年执行数, 年度总体目标, the indicator header
with 三级指标, 总分) and each value is read from the column its label heads.

A `Grid` is a table's cells (one sheet, or a document's tables one under the
other) with a way to say where each cell is (``sheet 自评表: cell D12``,
``table 1: row 5: column 3``); `read_grid` turns it into a `TableDocument`: the
same raw mapping a TOML project file parses to, whose origins are cells. The
build stage then checks it exactly as it checks TOML, so nothing is accepted
from a table that would be refused from a file, and every problem it finds is
located at the cell the value came from.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from .errors import KeyPath, LoadError, Origin, Problem, suggest
from .loading import Document

__all__ = ["ENGLISH_FORM_LABELS", "CellOrigin", "CellValue", "Grid", "TableDocument", "clean_label",
           "read_grid", "table_number"]

CellValue = str | Decimal | dt.date | None

# The labels each block is found by, every variant practitioners use; compared after
# `clean_label` (no spaces or line breaks, full-width folded, a bracketed note such as （A） or
# （万元） and a trailing colon removed).
INDICATOR_LABELS: Mapping[str, tuple[str, ...]] = {
    "group": ("一级指标",),
    "category": ("二级指标",),
    "name": ("三级指标",),
    "target": ("年度指标值", "指标值", "年度目标值", "目标值", "年度目标", "预期指标值"),
    "actual": ("实际完成值", "全年实际值", "实际值", "全年实际完成值", "实际完成"),
    "points": ("分值", "指标分值", "权重"),
    "score": ("得分", "自评得分"),
    "reviewed": ("复核分", "复核得分", "复核评分", "复核"),  # a reviewer's (evalcore audit)
    "reviewed_reason": ("复核意见", "复核说明"),
    "reason": ("偏差原因分析及改进措施", "偏差原因分析及改进措施说明", "偏差原因", "偏差原因分析",
               "原因分析及改进措施", "偏差原因及改进措施", "未完成原因分析"),
}
FUNDS_LABELS: Mapping[str, tuple[str, ...]] = {
    "initial": ("年初预算数",),
    "planned": ("全年预算数", "全年预算数调整后", "调整后预算数"),
    "received": ("到位数", "实际到位数", "到位资金", "实际到位资金", "资金到位数"),
    "executed": ("全年执行数", "全年实际执行数"),
    "points": ("分值",),
    "rate": ("执行率",),
    "score": ("得分",),
    "reviewed": ("复核分", "复核得分", "复核评分", "复核"),
}
HEADER_LABELS: Mapping[str, tuple[str, ...]] = {
    "name": ("项目名称",),
    "department": ("主管部门",),
    "implementer": ("实施单位",),
}
FUNDS_TOTAL = ("年度资金总额", "资金总额", "年度资金合计")
FUNDS_SOURCES = ("当年财政拨款", "上年结转资金", "其他资金")
GOAL_LABEL = "年度总体目标"
GOAL_EXPECTED = ("预期目标",)
GOAL_ACHIEVED = ("实际完成情况",)
TOTAL_LABELS = ("总分", "合计")
# What a 实际完成值 cell holds when no value was reported (a dash, as forms print it).
NO_VALUE = frozenset({"—", "——", "-", "－", "–"})
# The columns an indicator block cannot be read without.
REQUIRED_COLUMNS = ("category", "name", "target", "actual", "points")

_BRACKETS = re.compile(r"[（(][^（）()]*[）)]")
_SPACE = re.compile(r"\s+")
_YEAR = re.compile(r"((?:19|20|21)\d\d)\s*年")
_YEAR_ALONE = re.compile(r"[(]?\d{4}年度?[)]?")  # the title's second line: （2023年度）
_UNIT = re.compile(r"项目资金[（(]\s*([^（）()]+?)\s*[）)]")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:,\d{3})*(?:\.\d*)?|\.\d+)")


def clean_label(value: CellValue) -> str:
    """A cell as a label to compare: full-width folded (NFKC), every space and line break gone,
    a bracketed note and a trailing colon removed: ``"全年预算数\\n（A）"`` → ``"全年预算数"``."""
    if not isinstance(value, str):
        return ""
    text = _SPACE.sub("", unicodedata.normalize("NFKC", value))
    return _BRACKETS.sub("", text).rstrip(":：")


def clean_text(value: CellValue) -> str:
    """A cell's text as a value: each line stripped, lines joined (a line break in a cell is
    where a long text wrapped, not a separator); "" for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")  # written out: 1E+2 is "100"
    if isinstance(value, dt.date):
        return value.isoformat()
    return "".join(part.strip() for part in value.splitlines()).strip()


def table_number(value: CellValue) -> Decimal | None:
    """A cell as a number, or None when it is not one: a number cell, or text such as
    ``" ８５ "``, ``"1,000"``, ``"5分"`` or ``"9.5\\n"`` (full-width digits folded, spaces
    and line breaks dropped, a trailing 分 or 万元 allowed), trailing zeros after the point
    dropped."""
    if isinstance(value, Decimal):
        return _trimmed(value)
    if not isinstance(value, str):
        return None
    text = _SPACE.sub("", unicodedata.normalize("NFKC", value)).removesuffix("分").removesuffix("万元")
    if not text or not _NUMBER.fullmatch(text):
        return None
    try:
        return _trimmed(Decimal(text.replace(",", "")))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None


def _trimmed(value: Decimal) -> Decimal:
    """``value`` without trailing zeros after the point (9.50 → 9.5, 100 stays 100): the number a
    TOML file gives back for it, so a table and the file it imports to say the same."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return Decimal(text)


@attrs.frozen
class Grid:
    """The cells of one table, row by row (0-based), and where each is for a message.

    ``locate(row, column)`` names a cell as its file format does (``sheet 自评表: cell D12``);
    ``where`` names the whole table (``sheet 自评表``). ``problems`` are those the reader of the
    file format found (a formula without a saved value): reported with the others.
    """

    file: str
    rows: tuple[tuple[CellValue, ...], ...]
    locate: Callable[[int, int], str]
    where: str
    problems: tuple[Problem, ...] = ()

    def cell(self, row: int, column: int) -> CellValue:
        """The value at (row, column); None outside the table."""
        if 0 <= row < len(self.rows) and 0 <= column < len(self.rows[row]):
            return self.rows[row][column]
        return None

    def origin(self, row: int | None = None, column: int | None = None) -> Origin:
        """The origin of a cell, of a row (its first cell), or of the whole table."""
        if row is None:
            return Origin(f"{self.file}: {self.where}")
        return Origin(f"{self.file}: {self.locate(row, column or 0)}")


@attrs.frozen
class CellOrigin(Origin):
    """Where a value of a table came from: ``file`` names the file and the cell
    (``t.xlsx: sheet 自评表: cell D12``) and is all that is printed; ``path`` is the key path of
    the value in the project mapping, for the stages that look at which key a problem is about
    (a row whose points cannot be read is left out of the points sum)."""

    def __str__(self) -> str:
        return self.file


@attrs.frozen
class TableDocument(Document):
    """A table read as a project file: its data, and for each key path the cell it came from,
    so a problem the build stage finds at ``indicator[3].target`` is reported at that cell."""

    cells: Mapping[KeyPath, Origin] = attrs.field(factory=dict, eq=False, repr=False)
    top: Origin = attrs.field(default=Origin(), eq=False, repr=False)

    def origin(self, *path: str | int) -> Origin:
        """The cell of ``path``, or of the nearest enclosing key that has one."""
        for end in range(len(path), 0, -1):
            found = self.cells.get(tuple(path[:end]))
            if found is not None:
                return CellOrigin(found.file, tuple(path))
        return CellOrigin(self.top.file, tuple(path))


class _Reading:
    """One pass over a grid: the mapping it builds, the cell of each key, the problems."""

    def __init__(self, grid: Grid) -> None:
        self.grid = grid
        self.labels = [[clean_label(v) for v in row] for row in grid.rows]
        self.cells: dict[KeyPath, Origin] = {}
        self.problems: list[Problem] = list(grid.problems)

    def put(self, table: dict[str, Any], key: str, value: object, path: KeyPath,
            row: int, column: int) -> None:
        table[key] = value
        where = (*path, key)
        self.cells[where] = self.grid.origin(row, column)

    def bad(self, message: str, row: int | None = None, column: int | None = None,
            hint: str | None = None) -> None:
        self.problems.append(Problem(message, self.grid.origin(row, column), hint))

    def find(self, labels: Iterable[str], rows: Iterable[int] | None = None
             ) -> tuple[int, int] | None:
        """The first cell (row by row) whose label is one of ``labels``."""
        wanted = set(labels)
        for r in rows if rows is not None else range(len(self.labels)):
            for c, text in enumerate(self.labels[r]):
                if text in wanted:
                    return r, c
        return None

    def right_of(self, row: int, column: int) -> tuple[int, CellValue] | None:
        """The first non-empty cell right of (row, column) that is not the same label again (a
        merged label repeats in Word) nor another label: its column and value."""
        own = self.labels[row][column]
        for c in range(column + 1, len(self.grid.rows[row])):
            value = self.grid.rows[row][c]
            if clean_text(value) == "" or self.labels[row][c] == own:
                continue
            if self.labels[row][c] in _ALL_HEADER_LABELS:
                return None
            return c, value
        return None

    def number(self, table: dict[str, Any], key: str, path: KeyPath, row: int, column: int
               ) -> None:
        """Put the number of a cell at ``key``; an empty cell leaves the key out (a problem
        there, if the build stage needs it, is still located at the cell). Text that is not a
        number is passed on as it is, for the build stage to refuse at this cell, with the
        problems of every other cell."""
        where = (*path, key)
        self.cells[where] = self.grid.origin(row, column)
        value = self.grid.cell(row, column)
        if clean_text(value) in ("", "/", "／", "—", "-"):
            return
        number = table_number(value)
        table[key] = number if number is not None else clean_text(value)


_ALL_HEADER_LABELS = frozenset(
    label for group in (INDICATOR_LABELS, FUNDS_LABELS, HEADER_LABELS) for labels in group.values()
    for label in labels) | {GOAL_LABEL, *GOAL_EXPECTED, *GOAL_ACHIEVED}


ENGLISH_FORM_LABELS = frozenset({"Level-3indicator", "ProjectExpenditurePerformanceSelf-EvaluationForm"})
"""Labels (as `clean_label` gives them) of the form evalcore writes in English (``--lang en``),
which this reader, made for the Chinese labels, cannot read: seen, it says so at once."""


def _english_form(reading: _Reading) -> Problem | None:
    """The one problem of an English form written by evalcore (no 三级指标, an English label):
    a clear message instead of the Chinese labels it lacks, one by one."""
    if reading.find(INDICATOR_LABELS["name"]) is not None:
        return None
    found = reading.find(ENGLISH_FORM_LABELS)
    if found is None:
        return None
    return Problem("this looks like an English form written by evalcore --lang en; import reads "
                   "Chinese forms", reading.grid.origin(*found),
                   "a form written in Chinese (--lang zh, the default) reads back; or evaluate "
                   "the project file the English form was written from")


def read_grid(grid: Grid) -> TableDocument:
    """The project mapping of a 自评表 grid, every value located at its cell.

    Raises a LoadError listing every problem of reading the table (a block that is not there,
    a column that is missing, a number that is not one, a formula without a saved value);
    what is wrong with the values themselves (an unknown 二级指标, a target that cannot be
    read) is left to the build and compile stages, which locate it at the cell too.
    """
    reading = _Reading(grid)
    english = _english_form(reading)
    if english is not None:
        raise LoadError([english])
    data: dict[str, Any] = {}
    project: dict[str, Any] = {}
    _header(reading, project)
    data["project"] = project
    reading.cells[("project",)] = grid.origin()
    indicators, total_row = _indicators(reading)
    budget = _funds(reading)
    if budget is not None:
        data["budget"] = budget
    goal = _goal(reading)
    if goal:
        data["goal"] = goal
    if indicators:
        data["indicator"] = indicators
    if total_row is not None:
        _total(reading, project, *total_row)
    if reading.problems:
        raise LoadError(reading.problems)
    return TableDocument(data, grid.file, {}, reading.cells, grid.origin())


def _header(reading: _Reading, project: dict[str, Any]) -> None:
    """项目名称, 主管部门, 实施单位 (each the text right of its label) and the year of the title."""
    for key, labels in HEADER_LABELS.items():
        found = reading.find(labels)
        if found is None:
            if key == "name":
                reading.bad("no 项目名称 found: the table needs a cell 项目名称 with the project's "
                            "name to its right")
            continue
        value = reading.right_of(*found)
        if value is None:
            if key == "name":
                reading.bad("项目名称 has no name to its right", *found)
            continue
        text = clean_text(value[1])
        if text:
            reading.put(project, key, text, ("project",), found[0], value[0])
    for r, row in enumerate(reading.grid.rows[:20]):  # the title is above the blocks
        for c, cell in enumerate(row):
            label = _SPACE.sub("", unicodedata.normalize("NFKC", cell)) \
                if isinstance(cell, str) else ""
            if "自评表" in label or _YEAR_ALONE.fullmatch(label):
                match = _YEAR.search(label)
                if match:
                    reading.put(project, "year", int(match.group(1)), ("project",), r, c)
                    return


def _columns(reading: _Reading, rows: Sequence[int], labels: Mapping[str, tuple[str, ...]]
             ) -> dict[str, int]:
    """The column of each label found in ``rows`` (the first occurrence, left to right)."""
    columns: dict[str, int] = {}
    for key, variants in labels.items():
        for r in rows:
            if not 0 <= r < len(reading.labels):
                continue
            hits = [c for c, text in enumerate(reading.labels[r]) if text in variants]
            if hits:
                columns[key] = hits[0]
                break
    return columns


def _funds(reading: _Reading) -> dict[str, Any] | None:
    """The funds block: its header row (the first with a 全年预算数 and a 全年执行数 label, in
    any of their variants, and 年初预算数, 分值, 执行率, 得分), the 年度资金总额
    line under it, and the 其中 lines; None when the table has no funds block."""
    header = None
    for r, labels in enumerate(reading.labels):
        if set(labels) & set(FUNDS_LABELS["planned"]) and set(labels) & set(FUNDS_LABELS["executed"]):
            header = r
            break
    if header is None:
        return None
    columns = _columns(reading, [header], FUNDS_LABELS)
    first = min(columns.values())
    budget: dict[str, Any] = {}
    path: KeyPath = ("budget",)
    reading.cells[path] = reading.grid.origin(header, first)
    for r in range(max(0, header - 1), header + 1):
        for c, value in enumerate(reading.grid.rows[r]):
            match = _UNIT.search(_SPACE.sub("", unicodedata.normalize("NFKC", value))) \
                if isinstance(value, str) else None
            if match:
                reading.put(budget, "unit", match.group(1), path, r, c)
    sources: list[dict[str, Any]] = []
    total = False
    for r in range(header + 1, len(reading.grid.rows)):
        name = _fund_line(reading, r, first)
        if name is None:
            break
        if name == "":
            if total:
                continue  # a blank line inside the block
            break
        if name in FUNDS_TOTAL and not total:
            total = True
            for key in ("initial", "planned", "received", "executed", "points"):
                if key in columns:
                    reading.number(budget, key, path, r, columns[key])
            if "score" in columns:
                reading.number(budget, "published", path, r, columns["score"])
            if "reviewed" in columns:
                reading.number(budget, "reviewed", path, r, columns["reviewed"])
            continue
        source: dict[str, Any] = {}
        spath: KeyPath = ("budget", "source", len(sources))
        reading.cells[spath] = reading.grid.origin(r, 0)
        source["name"] = name
        for key in ("initial", "planned", "executed"):
            if key in columns:
                reading.number(source, key, spath, r, columns[key])
        if len(source) > 1:  # a printed 其中 line left blank says nothing
            sources.append(source)
        else:
            del reading.cells[spath]
    if not total:
        reading.bad("the funds block has no 年度资金总额 line under its header", header, first)
    if sources:
        budget["source"] = sources
    return budget


def _fund_line(reading: _Reading, row: int, first: int) -> str | None:
    """The name of a funds line: 年度资金总额, or a 其中 source (the text left of the figures,
    ``其中：`` removed, 其中 merged over the lines in a column of its own); "" for a blank line;
    None for a line that is not part of the funds block."""
    parts = [clean_label(v) for v in reading.grid.rows[row][:first] if clean_text(v)]
    parts = [p for p in parts if p not in ("其中", "项目资金") and not p.startswith("项目资金")]
    if not parts:
        figures = [v for v in reading.grid.rows[row][first:] if clean_text(v)]
        return "" if not figures else None
    name = parts[-1].removeprefix("其中").lstrip(":：")
    if name in FUNDS_TOTAL or name in FUNDS_SOURCES:
        return name
    raw = "".join(clean_label(v) for v in reading.grid.rows[row][:first] if clean_text(v))
    if raw.startswith("其中") or (row > 0 and "其中" in "".join(reading.labels[row - 1][:first])):
        return name or None
    return None


def _goal(reading: _Reading) -> dict[str, str]:
    """年度总体目标: the texts under (or right of) 预期目标 and 实际完成情况."""
    anchor = reading.find([GOAL_LABEL])
    if anchor is None:
        return {}
    goal: dict[str, str] = {}
    near = range(anchor[0], min(anchor[0] + 3, len(reading.labels)))
    for key, labels in (("expected", GOAL_EXPECTED), ("achieved", GOAL_ACHIEVED)):
        found = reading.find(labels, near)
        if found is None:
            continue
        r, c = found
        below = [(r + k, reading.grid.cell(r + k, c)) for k in (1, 2)]
        value = next(((row, c, v) for row, v in below if clean_text(v)
                      and reading.labels[row][c] not in _ALL_HEADER_LABELS), None)
        if value is None:
            right = reading.right_of(r, c)
            value = (r, right[0], right[1]) if right else None
        if value is not None and clean_text(value[2]):
            reading.put(goal, key, clean_text(value[2]), ("goal",), value[0], value[1])
    return goal


def _indicators(reading: _Reading) -> tuple[list[dict[str, Any]], tuple[int, int] | None]:
    """The indicator block: the header row (the one with 三级指标, and the rows beside it for a
    header of two rows), every row with a 三级指标 under it, 一级/二级 filled down over merged
    cells, up to the 总分 line. Returns the rows and the cell of the total's row and column."""
    anchor = reading.find(INDICATOR_LABELS["name"])
    if anchor is None:
        reading.bad("no indicator block found: the table needs a header row with 三级指标 "
                    "(and 二级指标, 年度指标值, 实际完成值, 分值)")
        return [], None
    header, _ = anchor
    columns = _columns(reading, [header, header - 1, header + 1], INDICATOR_LABELS)
    missing = [key for key in REQUIRED_COLUMNS if key not in columns]
    for key in missing:
        variants = INDICATOR_LABELS[key]
        seen = [t for t in reading.labels[header] if t]
        close = next((h for t in seen if t not in _ALL_HEADER_LABELS
                      for h in [suggest(t, variants)] if h), None)
        reading.bad(f"the indicator header has no {variants[0]} column (read as "
                    f"{' or '.join(variants)})", header, anchor[1], close)
    if missing:
        return [], None
    start = header + 1
    while start < len(reading.labels) and reading.labels[start][columns["name"]] in \
            _ALL_HEADER_LABELS:
        start += 1  # the second row of a two-row header
    rows: list[dict[str, Any]] = []
    above: dict[str, tuple[str, int]] = {}  # 一级/二级: the last text in the column, and its row
    for r in range(start, len(reading.grid.rows)):
        texts = [t for t in reading.labels[r] if t]
        if texts and texts[0] in TOTAL_LABELS:
            return rows, (r, columns.get("score", -1))
        if any(t.endswith("小计") for t in texts):
            continue  # a subtotal line (产出指标小计): evalcore adds up itself
        name = clean_text(reading.grid.cell(r, columns["name"]))
        if not name:
            if any(clean_text(reading.grid.cell(r, columns[k])) for k in ("target", "points")):
                reading.bad("a row with a target or points but no 三级指标 name", r,
                            columns["name"])
            continue
        path: KeyPath = ("indicator", len(rows))
        reading.cells[path] = reading.grid.origin(r, columns["name"])
        row: dict[str, Any] = {}
        for key in ("group", "category"):
            if key not in columns:
                continue
            text = clean_text(reading.grid.cell(r, columns[key]))
            if text:
                above[key] = (text, r)
            if key in above:  # a blank cell (merged, or left blank below its first row)
                text, first = above[key]  # takes the text above it, located where it is
                reading.put(row, key, text, path, first, columns[key])
        reading.put(row, "name", name, path, r, columns["name"])
        for key in ("target", "actual"):
            if key in columns:
                value = _value(reading.grid.cell(r, columns[key]))
                if key == "actual" and value in NO_VALUE:
                    continue  # no actual value reported: a missing-actual finding
                if value is not None:
                    reading.put(row, key, value, path, r, columns[key])
        if "target" not in row:  # the build stage says it is missing, at its cell
            where = (*path, "target")
            reading.cells[where] = reading.grid.origin(r, columns["target"])
        reading.number(row, "points", path, r, columns["points"])
        if "score" in columns:
            reading.number(row, "published", path, r, columns["score"])
        if "reviewed" in columns:
            reading.number(row, "reviewed", path, r, columns["reviewed"])
        if "reviewed_reason" in columns:
            text = clean_text(reading.grid.cell(r, columns["reviewed_reason"]))
            if text:
                reading.put(row, "reviewed_reason", text, path, r, columns["reviewed_reason"])
        if "reason" in columns:
            reason = clean_text(reading.grid.cell(r, columns["reason"]))
            if reason:
                reading.put(row, "reason", reason, path, r, columns["reason"])
        rows.append(row)
    if not rows:
        reading.bad("the indicator block has no rows under its header", header, anchor[1])
    return rows, None


def _value(value: CellValue) -> str | dt.date | None:
    """A target or actual value: a date stays a date, anything else is its text (a number cell
    as written, ``91.6``); None for an empty cell."""
    if isinstance(value, dt.date):
        return value
    text = clean_text(value)
    return text or None


def _total(reading: _Reading, project: dict[str, Any], row: int, column: int) -> None:
    """The published 总分: the 得分 column of the 总分 line, else the line's last number."""
    if column >= 0 and table_number(reading.grid.cell(row, column)) is not None:
        reading.number(project, "published", ("project",), row, column)
        return
    numbers = [c for c, v in enumerate(reading.grid.rows[row]) if table_number(v) is not None]
    if numbers:
        reading.number(project, "published", ("project",), row, numbers[-1])
