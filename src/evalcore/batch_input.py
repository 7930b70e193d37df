"""The inputs of ``evalcore batch``, read in bounded batches as tables of the columnar contract.

A portfolio arrives as a folder of project TOML files, a CSV, a Parquet file
or partitioned dataset, or an xlsx with one project per row. Each reader
yields `Chunk` objects of at most ``batch_size`` projects: an Arrow table with
the contract's columns (``project``, ``budget_planned``, ..., one column per
indicator id), where each row came from (``file:row`` or the project's file),
and the projects rejected before scoring (a file that does not load, a budget
cell that is not a number) with their located problems. Memory stays bounded
by the batch size, whatever the input's size.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from .build import build_project, default_scheme_loader
from .columnar import FUNDS_COLUMNS
from .errors import EvalcoreError, Origin, Problem, quote
from .evaluation import Plan
from .loading import load_file
from .model import Project
from .numbers import to_decimal
from .optional import require

__all__ = ["Chunk", "Rejected", "count_projects", "input_kind", "read_chunks", "text_of"]

KINDS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".xlsx": "xlsx"}
NUMERIC = ("budget_planned", "budget_executed", "budget_received", "published_total")
NUMERIC_SUFFIXES = (".assessed", ".published")
DECIMAL_DIGITS = 38  # the most a decimal128 holds


@attrs.frozen
class Rejected:
    """A project that never reached scoring: its name (when known), where it is, and why."""

    project: str | None
    source: str
    problems: tuple[str, ...]


@attrs.frozen
class Chunk:
    """Up to ``batch_size`` projects as a contract table, each row's source, and the projects
    of the same stretch of input that were rejected before scoring."""

    table: Any  # pyarrow.Table
    sources: tuple[str, ...]
    rejected: tuple[Rejected, ...] = ()


def _pa() -> Any:
    return require("pyarrow", "batch", "evalcore batch")


def input_kind(path: Path) -> str:
    """``folder`` (project TOML files), ``dataset`` (a folder of Parquet files), or the kind of a
    file by its suffix; a located EvalcoreError for anything else."""
    if path.is_dir():
        if any(path.rglob("*.toml")):
            return "folder"
        if any(path.rglob("*.parquet")):
            return "dataset"
        raise EvalcoreError([Problem("the folder holds no project files (*.toml) and no Parquet "
                                     "files (*.parquet)", Origin(str(path)))])
    if not path.exists():
        raise EvalcoreError([Problem("no such file or folder", Origin(str(path)))])
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        raise EvalcoreError([Problem(
            f"cannot read a {quote(path.suffix or 'file without a suffix')} portfolio",
            Origin(str(path)), "give a folder of project files, or a .csv, .parquet or .xlsx "
            "file with one project per row")])
    return kind


def read_chunks(path: Path, plan: Plan, batch_size: int,
                max_file_size: int) -> Iterator[Chunk]:
    """The projects of ``path`` in chunks of at most ``batch_size``, whatever kind it is."""
    kind = input_kind(path)
    if kind == "folder":
        yield from _folder(path, plan, batch_size, max_file_size)
        return
    pa = _pa()
    reader = _csv(path, batch_size) if kind == "csv" else _xlsx(path, batch_size) \
        if kind == "xlsx" else _parquet(path, batch_size)
    try:
        yield from reader
    except (pa.ArrowException, OSError) as exc:  # a file that is not what its name says
        raise EvalcoreError([Problem(f"cannot read the {kind} input: {exc}",
                                     Origin(str(path)))]) from None


def count_projects(path: Path) -> int | None:
    """How many projects ``path`` holds when that is cheap to know (Parquet metadata, the
    files of a folder), for the progress bar; None otherwise."""
    kind = input_kind(path)
    if kind == "folder":
        return sum(1 for _ in path.rglob("*.toml"))
    if kind in ("parquet", "dataset"):
        pa = _pa()
        ds = require("pyarrow.dataset", "batch", "evalcore batch")
        try:
            return int(ds.dataset(str(path), format="parquet", partitioning="hive").count_rows())
        except (pa.ArrowException, OSError):
            return None  # reading it will say what is wrong, with where
    return None


# -- numbers and text: the same conversions for every kind of input -----------------------------


def _is_numeric(name: str) -> bool:
    return name in NUMERIC or name.endswith(NUMERIC_SUFFIXES)


def _is_text(name: str) -> bool:
    return name in ("project", "department", "implementer") or name.endswith(".reason")


def text_of(value: object) -> object:
    """An actual value as the contract holds it: text or a number unchanged (floats read
    through ``str``), a date as ISO text (read back as the same date). Anything else is a
    ValueError with the engine's own words."""
    if value is None or isinstance(value, (str, Decimal)):
        return value
    if isinstance(value, bool):
        raise ValueError("an actual value is text or a number, not bool")
    if isinstance(value, (int, float)):
        return to_decimal(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    raise ValueError(f"an actual value is text or a number, not {type(value).__name__}")


def _table(names: Sequence[str], rows: Sequence[Sequence[object]], sources: Sequence[str]
           ) -> tuple[Any, list[str], list[Rejected]]:
    """Plain Python rows as a contract table: numbers as decimals, every other column as text
    or decimal values. A row with a cell that cannot be read is rejected, located."""
    pa = _pa()
    kept: list[list[object]] = []
    kept_sources: list[str] = []
    rejected: list[Rejected] = []
    project_at = names.index("project") if "project" in names else None
    for row, source in zip(rows, sources, strict=True):
        problems: list[str] = []
        out: list[object] = []
        for name, value in zip(names, row, strict=True):
            try:
                out.append(_cell(name, value))
            except (ValueError, ArithmeticError) as exc:
                problems.append(f"{source}: {name}: {exc}")
                out.append(None)
        if problems:
            label = row[project_at] if project_at is not None else None
            rejected.append(Rejected(None if label is None else str(label), source,
                                     tuple(problems)))
        else:
            kept.append(out)
            kept_sources.append(source)
    columns = {}
    for i, name in enumerate(names):
        values = [row[i] for row in kept]
        columns[name] = pa.array(values, type=_type(pa, name, values))
    return pa.table(columns) if names else pa.table({}), kept_sources, rejected


def _cell(name: str, value: object) -> object:
    if isinstance(value, str) and not value.strip():
        return None
    if value is None:
        return None
    if _is_numeric(name):
        return to_decimal(value)
    if _is_text(name):
        return value if isinstance(value, str) else str(text_of(value))
    return text_of(value)


def _type(pa: Any, name: str, values: list[object]) -> Any:
    """The Arrow type of a column, turning ``values`` into what it holds: decimals for amounts
    and for actual values that are all numbers, text otherwise (a column of numbers and text
    holds its numbers as their exact text, which reads back as the same numbers)."""
    present = [v for v in values if v is not None]
    if not present:
        return pa.decimal128(38, 0) if _is_numeric(name) else pa.string()
    numbers = [v for v in present if isinstance(v, Decimal)]
    if len(numbers) == len(present):
        scale = max(_scale(v) for v in numbers)
        digits = max(max(v.adjusted() + 1, 1) for v in numbers) + scale
        if digits <= DECIMAL_DIGITS:
            return pa.decimal128(DECIMAL_DIGITS, scale)
    # Text, or numbers too long for one decimal128 together (10²³ beside 15 decimals):
    values[:] = [format(v, "f") if isinstance(v, Decimal) else v for v in values]
    return pa.string()


def _scale(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _numbers(table: Any, sources: list[str]) -> tuple[Any, list[str], list[Rejected]]:
    """A table read from a file with its amount columns as decimals: text and floats are read
    as numbers (a row whose cell is not a number is rejected, located)."""
    pa = _pa()
    bad: dict[int, list[str]] = {}
    for name in table.column_names:
        column = table.column(name)
        if not _is_numeric(name) or pa.types.is_decimal(column.type) \
                or pa.types.is_integer(column.type) or pa.types.is_null(column.type):
            continue
        values: list[object] = []
        for i, value in enumerate(column.to_pylist()):
            try:
                values.append(None if value is None or (isinstance(value, str) and not value.strip())
                              else to_decimal(value))
            except (ValueError, ArithmeticError) as exc:
                bad.setdefault(i, []).append(f"{sources[i]}: {name}: {exc}")
                values.append(None)
        table = table.set_column(table.column_names.index(name), name,
                                 pa.array(values, type=_type(pa, name, values)))
    if not bad:
        return table, sources, []
    names = table.column("project").to_pylist() if "project" in table.column_names else None
    rejected = [Rejected(None if names is None else names[i], sources[i], tuple(problems))
                for i, problems in sorted(bad.items())]
    keep = [i for i in range(table.num_rows) if i not in bad]
    return table.take(pa.array(keep, type=pa.int64())), [sources[i] for i in keep], rejected


# -- the readers ---------------------------------------------------------------------------------


def _csv(path: Path, batch_size: int) -> Iterator[Chunk]:
    pa = _pa()
    pcsv = require("pyarrow.csv", "batch", "evalcore batch")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), [])
    if not header:
        raise EvalcoreError([Problem("the CSV file is empty: it needs a header row of column "
                                     "names", Origin(str(path), (), 1))])
    reader = pcsv.open_csv(
        str(path), read_options=pcsv.ReadOptions(block_size=1 << 20),
        convert_options=pcsv.ConvertOptions(column_types={n: pa.string() for n in header},
                                            strings_can_be_null=True))
    row = 2  # the header is row 1, as a spreadsheet numbers them
    for batch in reader:  # blocks of 1 MiB: memory stays bounded however long the file
        for start in range(0, batch.num_rows, batch_size):
            part = pa.Table.from_batches([batch.slice(start, batch_size)])
            sources = [f"{path}:{row + i}" for i in range(part.num_rows)]
            row += part.num_rows
            table, kept, rejected = _numbers(part, sources)
            yield Chunk(table, tuple(kept), tuple(rejected))


def _parquet(path: Path, batch_size: int) -> Iterator[Chunk]:
    """A Parquet file, or each file of a partitioned dataset with its partition values (a
    hive folder ``department=交通局/``) as columns, read a batch at a time: `iter_batches`
    keeps memory flat, where a dataset scanner reads far ahead."""
    pa = _pa()
    ds = require("pyarrow.dataset", "batch", "evalcore batch")
    pq = require("pyarrow.parquet", "batch", "evalcore batch")
    dataset = ds.dataset(str(path), format="parquet", partitioning="hive")
    for fragment in dataset.get_fragments():
        keys = ds.get_partition_keys(fragment.partition_expression)
        row = 1
        with pq.ParquetFile(fragment.path) as file:
            for batch in file.iter_batches(batch_size=batch_size):
                if batch.num_rows == 0:
                    continue
                part = pa.Table.from_batches([batch])
                for name, value in keys.items():
                    part = part.append_column(name, pa.array(
                        [value] * part.num_rows, type=dataset.schema.field(name).type))
                sources = [f"{fragment.path} row {row + i}" for i in range(part.num_rows)]
                row += part.num_rows
                table, kept, rejected = _numbers(part, sources)
                yield Chunk(table, tuple(kept), tuple(rejected))


def _xlsx(path: Path, batch_size: int) -> Iterator[Chunk]:
    openpyxl = require("openpyxl", "excel", "reading an xlsx portfolio")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise EvalcoreError([Problem(f"cannot read the workbook: {exc}", Origin(str(path)))]) \
            from None
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None or not any(h is not None for h in header):
            raise EvalcoreError([Problem("the first sheet is empty: it needs a header row of "
                                         "column names", Origin(str(path), (), 1))])
        names = [str(h).strip() if h is not None else "" for h in header]
        width = max(i for i, n in enumerate(names) if n) + 1
        names = names[:width]
        for i, name in enumerate(names):
            if not name:
                raise EvalcoreError([Problem(f"column {i + 1} of the header row has no name",
                                             Origin(str(path), (), 1))])
        buffer: list[Sequence[object]] = []
        sources: list[str] = []
        for number, values in enumerate(rows, start=2):
            cells = list(values[:width]) + [None] * (width - len(values))
            if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                continue
            buffer.append(cells)
            sources.append(f"{path}:{number}")
            if len(buffer) == batch_size:
                yield _chunk(names, buffer, sources)
                buffer, sources = [], []
        if buffer or not sources:
            yield _chunk(names, buffer, sources)
    finally:
        book.close()


def _chunk(names: Sequence[str], rows: Sequence[Sequence[object]], sources: Sequence[str]) -> Chunk:
    table, kept, rejected = _table(names, rows, sources)
    return Chunk(table, tuple(kept), tuple(rejected))


def _folder(path: Path, plan: Plan, batch_size: int, max_file_size: int) -> Iterator[Chunk]:
    """Each project file of the folder (and below), read against the plan's scheme; scheme
    files are passed over."""
    names = _contract_names(plan)
    loader = default_scheme_loader(plan.registry, max_file_size)
    rows: list[list[object]] = []
    sources: list[str] = []
    rejected: list[Rejected] = []
    for file in sorted(path.rglob("*.toml")):
        name: str | None = None
        try:
            doc = load_file(file, max_file_size)
            if "scheme" in doc.data and "project" not in doc.data:
                continue  # the scheme itself, or another: not a project
            head = doc.data.get("project")
            if isinstance(head, dict) and isinstance(head.get("name"), str):
                name = head["name"]
            rows.append(_project_row(build_project(doc, plan.registry, plan.scheme, loader), names))
        except EvalcoreError as exc:
            rejected.append(Rejected(name, str(file), tuple(str(p) for p in exc.problems)))
            continue
        sources.append(str(file))
        if len(rows) == batch_size:
            yield _folder_chunk(names, rows, sources, rejected)
            rows, sources, rejected = [], [], []
    if rows or rejected or not sources:
        yield _folder_chunk(names, rows, sources, rejected)


def _folder_chunk(names: Sequence[str], rows: Sequence[Sequence[object]], sources: Sequence[str],
                  rejected: Sequence[Rejected]) -> Chunk:
    table, kept, more = _table(names, rows, sources)
    return Chunk(table, tuple(kept), (*rejected, *more))


def _contract_names(plan: Plan) -> list[str]:
    """Every column a project of ``plan`` can fill, in the contract's order."""
    names = ["project", "department", "implementer", "published_total"]
    if plan.budget is not None:
        names += ["budget_planned", "budget_executed", "budget.reason", "budget.published"]
    if plan._reads_funds:  # rows scored from the funds block (资金到位率 …)
        names += [n for n in FUNDS_COLUMNS if n not in names]
    for row in plan.rows:
        ident = row.indicator.id
        names += [ident, f"{ident}.assessed", f"{ident}.reason", f"{ident}.published"]
    return names


def _project_row(project: Project, names: Sequence[str]) -> list[object]:
    """A project read from its file as one row of the contract's columns. What the columns
    cannot hold (counts under ``extra``) is an error naming the project's file, not a
    silently different score."""
    values: dict[str, object] = {
        "project": project.info.name, "department": project.info.department or None,
        "implementer": project.info.implementer or None,
        "published_total": project.info.published_total,
    }
    if project.budget is not None:
        values["budget_planned"] = project.budget.planned
        values["budget_executed"] = project.budget.executed
        values["budget.reason"] = project.budget.reason or None
        values["budget.published"] = project.budget.published
        values["budget_received"] = project.budget.received
    for ident, actual in project.actuals.items():
        if actual.extra:
            raise EvalcoreError([Problem(
                f"{quote(ident)} has extra values ({', '.join(actual.extra)}), which a portfolio "
                "table has no column for", actual.origin,
                "score this project on its own: evalcore evaluate FILE --scheme SCHEME")])
        values[ident] = actual.value
        values[f"{ident}.assessed"] = actual.assessed
        values[f"{ident}.reason"] = actual.reason or None
        values[f"{ident}.published"] = actual.published
    return [values.get(name) for name in names]
