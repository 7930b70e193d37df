"""``evalcore batch``: score a portfolio, stream the results, file the bad projects, summarise.

`run_batch` compiles the scheme once, reads the input in chunks of at most
``batch_size`` projects (`evalcore.batch_input`), scores each chunk with the
columnar path (`evaluate_table`), writes the scored projects as they come
(`evalcore.batch_output`) and counts them into a `PortfolioSummary`. A project
that cannot be scored (a file that does not load, a cell that cannot be read,
an actual value the rules refuse) never stops the batch: it goes to the errors
file with where it is and its located problems, and the summary counts it.

Only a mistake that concerns the whole run stops it, before anything is
scored: an unknown input or output kind, a scheme with errors, a column that
no indicator has (with "did you mean").

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from .api import compile as compile_scheme
from .api import load_scheme
from .batch_input import Chunk, count_projects, input_kind, read_chunks
from .batch_output import ErrorsFile, TableWriter, output_kind
from .errors import EvalcoreError, Origin, Problem, ValidationError
from .evaluation import Plan
from .loading import DEFAULT_MAX_FILE_SIZE
from .optional import require
from .portfolio import PortfolioSummary
from .registry import Registry

__all__ = ["DEFAULT_BATCH_SIZE", "BatchResult", "errors_path", "relocate", "run_batch"]

DEFAULT_BATCH_SIZE = 50_000  # projects per chunk: ~50 MB of Arrow at 20 indicators


@attrs.frozen
class BatchResult:
    """What a batch did: its summary and where the errors file is."""

    summary: PortfolioSummary
    errors_file: Path


def errors_path(output: Path) -> Path:
    """The default errors file: beside the output, its stem + ``.errors.jsonl``."""
    return output.with_name(output.stem + ".errors.jsonl")


def run_batch(source: Path, scheme: Path, output: Path, *, errors: Path | None = None,
              batch_size: int = DEFAULT_BATCH_SIZE, registry: Registry | None = None,
              max_file_size: int = DEFAULT_MAX_FILE_SIZE, progress: bool | None = None,
              findings: bool = True) -> BatchResult:
    """Score every project of ``source`` against ``scheme``; write ``output`` and the errors
    file. ``progress``: a bar on stderr (None: when stderr is a terminal). Without
    ``findings``, scores only (`evalcore.columnar.evaluate_table`): no findings column, and
    the summary counts none."""
    require("pyarrow", "batch", "evalcore batch")
    output_kind(output)  # an unknown suffix is a usage error before any work
    input_kind(source)
    if batch_size < 1:
        raise EvalcoreError([Problem(f"the batch size must be at least 1, not {batch_size}")])
    plan = compile_scheme(load_scheme(scheme, registry, max_file_size=max_file_size), registry)
    errors = errors or errors_path(output)
    summary = PortfolioSummary(plan, findings_sought=findings)
    writer = TableWriter(output)
    errors_file = ErrorsFile(errors)
    bar = _bar(source, progress)
    scored_any = False
    try:
        for chunk, scored in _scored(source, plan, batch_size, max_file_size, findings):
            scored_any = True
            _record(chunk, scored, writer, errors_file, summary)
            bar.update(len(chunk.sources) + len(chunk.rejected))
        writer.close(_empty_output(plan, findings))
    except EvalcoreError:
        writer.abort()
        errors_file.close()
        if not scored_any:  # stopped before any project (a column no indicator has): no files
            errors.unlink(missing_ok=True)
        raise
    finally:
        bar.close()
        errors_file.close()
    return BatchResult(summary, errors)


def _scored(source: Path, plan: Plan, batch_size: int, max_file_size: int, findings: bool
            ) -> Iterator[tuple[Chunk, Any]]:
    """Each chunk of ``source`` with its scored table. A column no indicator has stops the
    run at the first chunk, before any project is scored, located in ``source``."""
    from .columnar import evaluate_table

    for chunk in read_chunks(source, plan, batch_size, max_file_size):
        try:
            scored = evaluate_table(plan, chunk.table, findings=findings)
        except ValidationError as exc:
            raise ValidationError([Problem(p.message, Origin(str(source), p.origin.path),
                                           p.hint) for p in exc.problems]) from None
        yield chunk, scored


def _empty_output(plan: Plan, findings: bool) -> Any:
    """The schema of the output, for an input without a single project."""
    import pyarrow as pa

    from .columnar import evaluate_table

    columns = {"project": pa.array([], pa.string())}
    if plan.budget is not None:
        columns.update({name: pa.array([], pa.decimal128(38, 2))
                        for name in ("budget_planned", "budget_executed")})
    empty = evaluate_table(plan, pa.table(columns), findings=findings)
    return empty.drop_columns(["errors"]).schema


def _record(chunk: Chunk, scored: Any, writer: TableWriter, errors: ErrorsFile,
            summary: PortfolioSummary) -> None:
    """File a chunk's rejected and unscorable projects; write and count the scored ones."""
    import pyarrow.compute as pc

    for rejected in chunk.rejected:
        errors.add(rejected.project, rejected.source, list(rejected.problems))
    failed = pc.greater(pc.list_value_length(scored.column("errors")), 0)
    if pc.any(failed).as_py():
        bad = pc.indices_nonzero(failed).to_pylist()
        names = scored.column("project").take(bad).to_pylist()
        problems = scored.column("errors").take(bad).to_pylist()
        columns = sorted(chunk.table.column_names, key=len, reverse=True)
        for index, name, found in zip(bad, names, problems, strict=True):
            source = chunk.sources[index]
            errors.add(name, source, [relocate(text, source, columns) for text in found])
        scored = scored.filter(pc.invert(failed))
    summary.in_error += len(chunk.rejected) + int(pc.sum(failed).as_py() or 0)
    scored = scored.drop_columns(["errors"])
    writer.write(scored)
    summary.add(scored)


_LOCATED = re.compile(r"(?P<where>.*?): error: (?P<what>.*)", re.S)


def relocate(problem: str, source: str, columns: list[str]) -> str:
    """A problem of `evaluate_table` placed in the input: its place in the chunk's table
    (``row[6].cost-km``) becomes the row's own place (``projects.csv:38: cost-km``).
    ``columns`` longest first, so ``road-km.reason`` is not taken for ``road-km``."""
    match = _LOCATED.fullmatch(problem)
    if match is None:
        return f"{source}: {problem}"
    column = next((c for c in columns if c in match["where"]), None)
    return f"{source}: {column}: {match['what']}" if column else f"{source}: {match['what']}"


class _NoBar:
    def update(self, n: int) -> None:
        """Nothing to show."""

    def close(self) -> None:
        """Nothing to close."""


def _bar(source: Path, progress: bool | None) -> Any:
    """A tqdm progress bar on stderr, when asked or when stderr is a terminal."""
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        return _NoBar()
    tqdm = require("tqdm", "batch", "the progress bar of evalcore batch")
    return tqdm.tqdm(total=count_projects(source), unit=" projects", file=sys.stderr,
                     dynamic_ncols=True)
