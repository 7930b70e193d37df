"""The outputs of ``evalcore batch``: scored projects as Parquet, CSV or JSON Lines, and the
errors file.

The kind of output is chosen by the file's suffix before anything is read, so
a typo in ``-o`` costs nothing. Every writer takes the scored tables one at a
time and writes each as it comes (a Parquet row group, CSV and JSON lines),
so memory stays bounded. Scores stay exact: decimal128 in Parquet, the
decimal's own digits in CSV and JSON (as strings in JSON, never floats).
Findings are a list column in Parquet and JSON text in a CSV cell.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from .errors import EvalcoreError, Origin, Problem, quote
from .optional import require

__all__ = ["OUTPUT_KINDS", "ErrorsFile", "TableWriter", "output_kind"]

OUTPUT_KINDS = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv", ".jsonl": "jsonl",
                ".ndjson": "jsonl"}


def output_kind(path: Path) -> str:
    """The kind of output ``path`` asks for by its suffix; a located EvalcoreError for an
    unknown one."""
    kind = OUTPUT_KINDS.get(path.suffix.lower())
    if kind is None:
        raise EvalcoreError([Problem(
            f"cannot write a {quote(path.suffix or 'file without a suffix')} output",
            Origin(str(path)), "name the output .parquet, .csv or .jsonl")])
    return kind


def _open(path: Path) -> IO[str]:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return path.open("w", encoding="utf-8", newline="")
    except OSError as exc:
        raise EvalcoreError([Problem(f"cannot write the output: {exc.strerror}",
                                     Origin(str(path)))]) from None


def _plain(value: Any) -> Any:
    """A cell as JSON: Decimals as their exact text."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


SLICE = 4096  # rows turned into Python objects at a time, for CSV and JSON Lines


def _slices(table: Any) -> Iterator[Any]:
    for start in range(0, table.num_rows, SLICE):
        yield table.slice(start, SLICE)


def _as_text(table: Any) -> Any:
    """``table`` with its decimal columns as their exact digits (Arrow's own cast: ``92.75``,
    ``10.00``), so no Decimal object is made for each cell of a text output."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for i, field in enumerate(table.schema):
        if pa.types.is_decimal(field.type):
            table = table.set_column(i, field.name, pc.cast(table.column(i), pa.string()))
    return table


# What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> str:
    """A CSV cell: numbers as their exact digits, lists (findings) as JSON, and text that a
    spreadsheet would run as a formula (a project named ``=HYPERLINK(...)``) behind a ``'``."""
    if value is None:
        return ""
    if isinstance(value, (Decimal, int)):
        return str(value)
    text = json.dumps(_plain(value), ensure_ascii=False) if isinstance(value, list) else str(value)
    risky = text.startswith(_FORMULA_START) or text.lstrip(" \t\r\n").startswith(_FORMULA_START[:4])
    return "'" + text if risky else text


class TableWriter:
    """Writes scored tables one by one to ``path`` in the kind its suffix names."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.kind = output_kind(path)
        self._parquet: Any = None
        self._schema: Any = None
        self._text: IO[str] | None = None
        self._header: list[str] | None = None

    def write(self, table: Any) -> None:
        """Append the rows of ``table``."""
        if self._schema is None:
            self._schema = table.schema
        elif table.schema != self._schema:
            table = table.cast(self._schema)
        if self.kind == "parquet":
            self._write_parquet(table)
        elif self.kind == "csv":
            self._write_csv(table)
        else:
            self._write_jsonl(table)

    def _write_parquet(self, table: Any) -> None:
        pq = require("pyarrow.parquet", "batch", "evalcore batch")
        if self._parquet is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._parquet = pq.ParquetWriter(str(self.path), table.schema)
            except OSError as exc:
                raise EvalcoreError([Problem(f"cannot write the output: {exc}",
                                             Origin(str(self.path)))]) from None
        self._parquet.write_table(table)

    def _write_csv(self, table: Any) -> None:
        import csv

        if self._text is None:
            self._text = _open(self.path)
            self._header = list(table.column_names)
            csv.writer(self._text).writerow(self._header)
        writer = csv.writer(self._text)
        for part in _slices(_as_text(table)):
            columns = [part.column(name).to_pylist() for name in part.column_names]
            writer.writerows([_csv_cell(v) for v in row] for row in zip(*columns, strict=True))

    def _write_jsonl(self, table: Any) -> None:
        if self._text is None:
            self._text = _open(self.path)
        for part in _slices(_as_text(table)):
            self._text.writelines(json.dumps(row, ensure_ascii=False) + "\n"
                                  for row in part.to_pylist())

    def close(self, empty_schema: Any = None) -> None:
        """Finish the file; with no rows written, an empty file of ``empty_schema``."""
        if self._schema is None and empty_schema is not None:
            self.write(empty_schema.empty_table())
        if self._parquet is not None:
            self._parquet.close()
        if self._text is not None:
            self._text.close()
        if self._schema is None and self.kind != "parquet":
            _open(self.path).close()

    def abort(self) -> None:
        """Close what is open after a failure, without adding to it."""
        if self._parquet is not None:
            self._parquet.close()
        if self._text is not None:
            self._text.close()


class ErrorsFile:
    """The projects that could not be scored, one JSON object a line: the project (its name,
    or null when it has none), where it is (``file:row`` or its file), its located problems."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self._handle = _open(path)  # written even when empty: no stale file from a past run

    def add(self, project: str | None, source: str, problems: list[str]) -> None:
        self.count += 1
        self._handle.write(json.dumps({"project": project, "source": source,
                                       "problems": problems}, ensure_ascii=False) + "\n")

    def close(self) -> None:
        """Finish the file (closing twice is harmless)."""
        self._handle.close()
