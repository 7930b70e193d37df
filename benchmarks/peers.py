"""The peer benchmark (issue 10): evalcore next to what its users would write instead.

One run, one process, one workload (benchmarks/workload.py: the 20-row
national-2020 scheme and seeded random projects), side by side:

* the hand-written exact `Decimal` loop (no engine): the reference, ratio 1;
* pandas/numpy, the same rules vectorised on floats (inexact: the totals that
  differ from the exact ones are counted);
* GoRules zen-engine, one ``evaluate`` per project of a JDM decision graph of
  the same rules, built in code (`zen_graph`);
* evalcore: ``plan.evaluate`` (compiled once), ``evalcore.evaluate(project)``
  (the plan found again for each project), ``plan.evaluate_table`` (the
  columnar path) twice: fed the input pandas gets (float64 columns of numbers
  already read, words as words: the fair comparison) and fed the numbers as
  text with their units ("412批次", read and converted by evalcore), and the
  ``evalcore batch`` command (a process of its own).

Every implementation's totals are checked against the hand loop's; evalcore's
must be identical, and the run stops if they are not. An implementation that
this installation does not have is printed as "not available" with the reason.
Then the scale runs: projects/s and peak memory (the maximum resident set of a
process of its own) of the pandas version, ``evaluate_table`` and ``evalcore
batch`` on 10⁵ projects, and 10⁶ with ``--large`` (``evaluate_table`` on both
inputs): where fixed costs vanish, the fair comparison of the columnar path
with pandas.

Not a test: timings depend on the machine. Each in-process figure is the best
CPU time of ``--repeats`` runs (as benchmarks/run.py measures its per-project
figures), so the ratios hold on a busy machine; a child process is timed by
the wall clock and by its own CPU time. ``make bench`` runs it (``make bench
BENCH_ARGS=--large``).
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from run import best_cpu as best  # CPU time, as the per-project figures of run.py
from tabulate import tabulate
from workload import (
    BANDS,
    BUDGET_POINTS,
    ROWS,
    WORDS,
    Parsed,
    Workload,
    hand_evaluate,
    iter_columns,
    make_workload,
    scheme_toml,
)

import evalcore

__all__ = ["Measure", "main", "pandas_frame", "pandas_totals", "zen_graph", "zen_inputs"]

_SHARE = {"met": 1.0, "partly": 0.6, "missed": 0.0}  # each tier's default share of w


@dataclass
class Measure:
    """One line of the table: seconds for the whole workload (None: not measured) and a note."""

    name: str
    seconds: float | None
    note: str


def differing(exact: Sequence[Decimal], totals: Sequence[Decimal]) -> int:
    """How many totals differ from the exact ones."""
    return sum(1 for e, t in zip(exact, totals, strict=True) if e != t)


def _unavailable(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"not available: {text}"


# -- pandas / numpy, floats -----------------------------------------------------------------------


def pandas_frame(work: Workload | Sequence[Parsed]) -> Any:
    """The workload (or its parsed projects) as a pandas DataFrame of floats (numbers already
    read, as the hand loop gets them), words as words: the input a pandas user would hold."""
    import pandas as pd

    parsed = work.parsed if isinstance(work, Workload) else work
    data: dict[str, list[object]] = {
        "planned": [float(p[1]) for p in parsed], "executed": [float(p[2]) for p in parsed]}
    for i, row in enumerate(ROWS):
        if row.kind == "qualitative":
            data[row.id] = [p[3][i][0] for p in parsed]
            data[f"{row.id}.assessed"] = [
                float("nan") if p[3][i][1] is None else float(p[3][i][1]) for p in parsed]
        else:
            data[row.id] = [float("nan") if p[3][i][0] is None else float(p[3][i][0])  # type: ignore[arg-type]
                            for p in parsed]
    return pd.DataFrame(data)


def pandas_totals(frame: Any) -> Any:
    """The same rules vectorised on floats: each row rounded half up as floor(x × 100 + 0.5) / 100
    (what a float user writes; inexact where x × 100 is not exactly representable)."""
    import numpy as np

    def half_up(x: Any) -> Any:
        return np.floor(x * 100 + 0.5) / 100

    planned, executed = frame["planned"].to_numpy(), frame["executed"].to_numpy()
    rate = np.divide(executed, planned, out=np.zeros_like(planned), where=planned != 0)
    total = half_up(float(BUDGET_POINTS) * np.minimum(rate, 1.0))
    for row in ROWS:
        w = float(row.points)
        if row.kind == "qualitative":
            share = frame[row.id].map(_TIER_SHARE).to_numpy(dtype=float)  # NaN: not reported
            assessed = frame[f"{row.id}.assessed"].to_numpy()
            raw = np.where(np.isnan(assessed), share * w, assessed)
            total = total + half_up(np.nan_to_num(raw))
            continue
        b = frame[row.id].to_numpy()
        a = float(row.target)  # type: ignore[arg-type]
        with np.errstate(divide="ignore", invalid="ignore"):
            if row.kind == "reverse":
                raw = np.where(b <= a, w, w * a / b)
            elif row.kind == "bands":
                ratio = np.maximum(b, 0.0) / a
                raw = np.select([ratio >= float(low) for low, _ in BANDS[:-1]],
                                [w * float(share) for _, share in BANDS[:-1]], 0.0)
            elif a == 0:
                raw = np.where(b <= 0, w, 0.0)
            else:
                raw = np.where(b >= a, w, np.where(b <= 0, 0.0, w * b / a))
        total = total + half_up(np.where(np.isnan(b), 0.0, raw))
    return total


_TIER_SHARE = {word: _SHARE[tier] for tier, words in WORDS.items() for word in words}


def _float_total(value: float) -> Decimal:
    """A float total as its user would print it: 2 decimals."""
    return Decimal(f"{value:.2f}")


# -- GoRules zen-engine ---------------------------------------------------------------------------


def _node(ident: str, kind: str, content: dict[str, Any] | None = None) -> dict[str, Any]:
    node: dict[str, Any] = {"id": ident, "type": kind, "name": ident, "position": {"x": 0, "y": 0}}
    if content is not None:
        node["content"] = content
    return node


def _expressions(ident: str, pairs: list[tuple[str, str]]) -> dict[str, Any]:
    return _node(ident, "expressionNode", {"passThrough": True, "inputField": None, "outputPath": None,
                                           "expressions": [{"id": f"{ident}-{i}", "key": k, "value": v}
                                                           for i, (k, v) in enumerate(pairs)]})


def _table(ident: str, field: str, out: str, rules: list[tuple[str, str]]) -> dict[str, Any]:
    return _node(ident, "decisionTableNode", {
        "passThrough": True, "inputField": None, "outputPath": None, "hitPolicy": "first",
        "inputs": [{"id": f"{ident}-in", "name": field, "field": field}],
        "outputs": [{"id": f"{ident}-out", "name": out, "field": out}],
        "rules": [{"_id": f"{ident}-{i}", f"{ident}-in": when, f"{ident}-out": then}
                  for i, (when, then) in enumerate(rules)]})


def zen_graph() -> dict[str, Any]:
    """The workload's rules as a JDM decision graph: an expression node scores every row, a
    decision table per ``bands`` row picks its share, an expression node rounds the rows (ZEN
    numbers are decimals; ``round`` goes half away from zero, i.e. half up for scores ≥ 0) and
    adds them, a decision table grades the total."""
    words = {tier: "[" + ", ".join(json.dumps(w, ensure_ascii=False) for w in ws) + "]"
             for tier, ws in WORDS.items()}
    scores = [("s_budget", f"planned == 0 ? 0 : {BUDGET_POINTS} * min([executed / planned, 1])")]
    for row in ROWS:
        w, b = row.points, row.id
        if row.kind == "qualitative":
            tier = (f"({b} in {words['met']} ? 1 : ({b} in {words['partly']} ? 0.6 : 0))")
            scores.append((f"s_{b}", f"{b} == null ? 0 : ({b}_assessed != null ? {b}_assessed : "
                                     f"{w} * {tier})"))
            continue
        a = row.target
        if row.kind == "bands":
            scores.append((f"ratio_{b}", f"{b} == null ? 0 : max([{b}, 0]) / {a}"))
            continue
        if row.kind == "reverse":
            rule = f"{b} <= {a} ? {w} : {w} * {a} / {b}"
        elif a == 0:
            rule = f"{b} <= 0 ? {w} : 0"
        else:
            rule = f"{b} >= {a} ? {w} : ({b} <= 0 ? 0 : {w} * {b} / {a})"
        scores.append((f"s_{b}", f"{b} == null ? 0 : ({rule})"))
    nodes = [_node("request", "inputNode"), _expressions("scores", scores)]
    for row in ROWS:
        if row.kind == "bands":
            rules = [(f">= {low}", f"{row.points * share}") for low, share in BANDS[:-1]] + [("", "0")]
            nodes.append(_table(f"bands_{row.id}", f"ratio_{row.id}", f"s_{row.id}", rules))
    ids = ["budget", *(row.id for row in ROWS)]
    nodes.append(_expressions("rounded", [(f"r_{i}", f"round(s_{i}, 2)") for i in ids]))
    nodes.append(_expressions("sum", [("total", " + ".join(f"r_{i}" for i in ids))]))
    nodes.append(_table("grade", "total", "grade",
                        [(">= 90", '"优"'), (">= 80", '"良"'), (">= 60", '"中"'), ("", '"差"')]))
    nodes.append(_node("response", "outputNode"))
    edges = [{"id": f"e{i}", "sourceId": s["id"], "targetId": t["id"], "type": "edge"}
             for i, (s, t) in enumerate(itertools.pairwise(nodes))]
    return {"nodes": nodes, "edges": edges}


def zen_inputs(work: Workload) -> list[dict[str, Any]]:
    """One input context per project: numbers (already read, as JSON carries them), words."""
    contexts = []
    for _, planned, executed, values in work.parsed:
        context: dict[str, Any] = {"planned": float(planned), "executed": float(executed)}
        for row, (value, assessed) in zip(ROWS, values, strict=True):
            if row.kind == "qualitative":
                context[row.id] = value
                context[f"{row.id}_assessed"] = None if assessed is None else float(assessed)
            else:
                context[row.id] = None if value is None else float(value)  # type: ignore[arg-type]
        contexts.append(context)
    return contexts


def _zen_total(result: dict[str, Any]) -> Decimal:
    return _float_total(result["result"]["total"])


# -- evalcore's columnar path and batch command ---------------------------------------------------


def _evaluate_table(plan: Any) -> Callable[[Any], Any]:
    """``plan.evaluate_table``, or ImportError saying why it is not there (no columnar module,
    or no pyarrow: the contract's error names the ``batch`` extra)."""
    from evalcore.columnar import require_pyarrow  # type: ignore[import-not-found]

    require_pyarrow()
    method: Callable[[Any], Any] = plan.evaluate_table
    return method


def _table_totals(result: Any) -> list[Decimal]:
    return [Decimal(str(t)) if t is not None else Decimal("NaN") for t in result.column("total").to_pylist()]


def _has_batch() -> str | None:
    """None when this evalcore has the batch command, else why not."""
    done = subprocess.run([sys.executable, "-m", "evalcore", "batch", "--help"],
                          capture_output=True, text=True, check=False)
    if done.returncode == 0:
        return None
    lines = (done.stderr or done.stdout).strip().splitlines()
    if lines and "invalid choice" in lines[-1]:
        return "this evalcore has no batch command"
    return lines[-1] if lines else f"exit status {done.returncode}"


def write_parquet(path: Path, n: int, chunk: int = 50_000, numbers: bool = False) -> float:
    """The first ``n`` workload projects as a Parquet file, one row group per chunk; seconds.
    With ``numbers``, the numbers are float64 columns (`Workload.numbers`, pandas' input), else
    text with units where a project file writes one (`Workload.columns`)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    start = time.perf_counter()
    writer = None
    for columns in iter_columns(n, chunk, numbers=numbers):
        table = pa.table(columns)
        if writer is None:
            writer = pq.ParquetWriter(path, table.schema)
        writer.write_table(table)
    assert writer is not None
    writer.close()
    return time.perf_counter() - start


@dataclass
class Run:
    """A measured child process: wall and CPU seconds, peak resident memory (bytes), output."""

    seconds: float
    cpu: float
    peak: int
    stdout: str
    stderr: str
    status: int


def run_child(argv: list[str]) -> Run:
    """Run ``argv`` as a process of its own: its wall time, output, and the peak memory it
    reported (a ``peak-rss <bytes>`` line on stderr, as `_WRAPPER` and `_TABLE_CHILD` print)."""
    before, start = _children_cpu(), time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    seconds, cpu = time.perf_counter() - start, _children_cpu() - before
    return Run(seconds, cpu, _peak_of(done.stderr), done.stdout, done.stderr, done.returncode)


def _children_cpu() -> float:
    """CPU seconds (user + system) of every child process this one has waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _peak_of(stderr: str) -> int:
    """The peak a child reported on its last ``peak-rss <bytes>`` line of stderr, else 0."""
    for line in reversed(stderr.splitlines()):
        if line.startswith("peak-rss "):
            return int(line.split()[1])
    return 0


# A child that runs another command and reports that command's own peak memory: RUSAGE_CHILDREN
# of a fresh process whose only child is the command.
_WRAPPER = textwrap.dedent("""\
    import resource, subprocess, sys
    done = subprocess.run(sys.argv[1:])
    print("peak-rss", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024, file=sys.stderr)
    sys.exit(done.returncode)
""")

# The pandas version over n workload projects (numbers already read) in one frame, in a process of
# its own: the frame is built first (not timed), then scored once; CPU and wall seconds of that.
_PANDAS_CHILD = textwrap.dedent("""\
    import resource, sys, time
    sys.path.insert(0, sys.argv[2])
    import pandas as pd
    from peers import pandas_frame, pandas_totals
    from workload import iter_parsed
    frame = pd.concat([pandas_frame(chunk) for chunk in iter_parsed(int(sys.argv[1]))],
                      ignore_index=True)
    start, wall = time.process_time(), time.perf_counter()
    totals = pandas_totals(frame)
    print(len(totals), time.process_time() - start, time.perf_counter() - wall)
    print("peak-rss", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, file=sys.stderr)
""")

# evaluate_table over a Parquet file, one record batch at a time, in a process of its own.
_TABLE_CHILD = textwrap.dedent("""\
    import resource, sys, time
    import pyarrow.parquet as pq
    import evalcore
    from evalcore.columnar import evaluate_table
    path, scheme, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
    findings = sys.argv[4] != "scores-only"
    plan = evalcore.compile(evalcore.load_scheme(scheme))
    # Imports and the plan's per-table preparation, once per process (pandas' child imports
    # pandas before its clock starts too): an empty table of the file's columns, not timed.
    evaluate_table(plan, pq.ParquetFile(path).schema_arrow.empty_table(), findings=findings)
    start, wall = time.process_time(), time.perf_counter()
    rows = errors = 0
    scoring = 0.0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=size):
        before = time.process_time()
        result = evaluate_table(plan, batch, findings=findings)
        scoring += time.process_time() - before
        rows += result.num_rows
        errors += sum(1 for e in result.column("errors").to_pylist() if e)
    print(rows, errors, scoring, time.process_time() - start, time.perf_counter() - wall)
    print("peak-rss", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, file=sys.stderr)
""")


def measured(argv: list[str]) -> Run:
    """``argv`` run under `_WRAPPER`, so the peak is that of the command alone."""
    return run_child([sys.executable, "-c", _WRAPPER, *argv])


def batch_argv(source: Path, scheme: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "evalcore", "batch", str(source), "--scheme", str(scheme), "-o", str(out)]


def batch_totals(path: Path) -> list[Decimal]:
    import pyarrow.parquet as pq

    return _table_totals(pq.read_table(path, columns=["total"]))


# -- the run --------------------------------------------------------------------------------------


def side_by_side(work: Workload, repeats: int, tmp: Path, scheme_file: Path) -> list[Measure]:
    """Every implementation on the same projects, each checked against the hand loop."""
    n = len(work)
    exact = [hand_evaluate(p)[1] for p in work.parsed]
    lines = [Measure("hand-written exact Decimal loop (the reference)",
                     best(lambda: [hand_evaluate(p) for p in work.parsed], repeats), "exact by definition")]

    try:
        frame = pandas_frame(work)
        seconds = best(lambda: pandas_totals(frame), repeats)
        floats = [_float_total(t) for t in pandas_totals(frame)]
        lines.append(Measure("pandas/numpy, vectorised floats", seconds,
                             f"inexact: {differing(exact, floats)} of {n} totals differ"))
    except ImportError as exc:
        lines.append(Measure("pandas/numpy, vectorised floats", None,
                             _unavailable(exc) + " (pip install 'evalcore-jixiao[bench]')"))

    try:
        import zen  # type: ignore[import-not-found]

        decision = zen.ZenEngine().create_decision(json.dumps(zen_graph(), ensure_ascii=False))
        contexts = zen_inputs(work)
        seconds = best(lambda: [decision.evaluate(c) for c in contexts], repeats)
        totals = [_zen_total(decision.evaluate(c)) for c in contexts]
        lines.append(Measure("GoRules zen-engine, one evaluate per project", seconds,
                             f"{differing(exact, totals)} of {n} totals differ"))
    except ImportError as exc:
        lines.append(Measure("GoRules zen-engine, one evaluate per project", None,
                             _unavailable(exc) + " (pip install 'evalcore-jixiao[bench]')"))

    plan = evalcore.compile(work.scheme)
    seconds = best(lambda: [plan.evaluate(p) for p in work.projects], repeats)
    totals = [plan.evaluate(p).total for p in work.projects]
    _require_exact("plan.evaluate", exact, totals)
    lines.append(Measure("evalcore plan.evaluate", seconds, "identical totals"))

    seconds = best(lambda: [evalcore.evaluate(p) for p in work.projects], repeats)
    totals = [evalcore.evaluate(p).total for p in work.projects]
    _require_exact("evalcore.evaluate", exact, totals)
    lines.append(Measure("evalcore evaluate(project)", seconds, "identical totals"))

    try:
        import pyarrow as pa

        evaluate_table = _evaluate_table(plan)
        for name, columns, findings, note in _TABLE_INPUTS:
            table = pa.table(getattr(work, columns))
            # Checked first, which also makes the plan's per-table preparation (once per plan).
            _require_exact(f"evaluate_table ({columns})", exact,
                           _table_totals(evaluate_table(table, findings=findings)))
            seconds = best(lambda t=table, f=findings: evaluate_table(t, findings=f), repeats)
            lines.append(Measure(name, seconds, f"identical totals; {note}"))
    except ImportError as exc:
        for name, _, _, _ in _TABLE_INPUTS:
            lines.append(Measure(name, None, _unavailable(exc)))

    missing = _has_batch()
    if missing is None:
        source, out = tmp / "side.parquet", tmp / "side-out.parquet"
        write_parquet(source, n)
        runs = [run_child(batch_argv(source, scheme_file, out)) for _ in range(repeats)]
        if runs[-1].status != 0:
            raise SystemExit(f"evalcore batch failed:\n{runs[-1].stderr}")
        _require_exact("evalcore batch", exact, batch_totals(out))
        lines.append(Measure("evalcore batch (Parquet in and out, a process of its own)",
                             min(r.cpu for r in runs),
                             "identical totals; includes starting Python and importing"))
    else:
        lines.append(Measure("evalcore batch (Parquet in and out, a process of its own)", None,
                             f"not available: {missing}"))
    return lines


# evaluate_table's inputs: (line, the `Workload` attribute, findings, note). The first two are
# pandas' own input (float64 numbers already read, read exactly as the Decimal path reads a
# float: through its shortest repr), scored with findings and scores only (what the pandas
# version computes: scores, totals; evalcore adds subtotals, grades and errors); the last the
# numbers as a project file writes them, text with units.
_TABLE_INPUTS = (
    ("evalcore plan.evaluate_table, numbers (pandas' input)", "numbers", True,
     "float64 columns, words as words; with findings"),
    ("evalcore plan.evaluate_table(findings=False), numbers (pandas' input)", "numbers", False,
     "scores only, as pandas: per-row scores, subtotals, totals, grades, errors"),
    ("evalcore plan.evaluate_table, text with units", "columns", True,
     '"412批次", "480.5万元" read and converted; with findings'),
)


def _require_exact(name: str, exact: Sequence[Decimal], totals: Sequence[Decimal]) -> None:
    wrong = differing(exact, totals)
    if wrong:
        raise SystemExit(f"{name}: {wrong} of {len(exact)} totals differ from the exact hand loop; "
                         "the benchmark compares equal work only")


def scale(sizes: Sequence[int], tmp: Path, scheme_file: Path) -> list[list[str]]:
    """pandas, evaluate_table and evalcore batch on ``sizes`` projects: projects/s and peak
    memory."""
    rows: list[list[str]] = []
    try:
        import pyarrow  # noqa: F401
    except ImportError as exc:
        return [["all", "-", "-", "-", _unavailable(exc) + " (pip install 'evalcore-jixiao[bench]')"]]
    try:
        import pandas  # noqa: F401

        pandas_missing = None
    except ImportError as exc:
        pandas_missing = _unavailable(exc) + " (pip install 'evalcore-jixiao[bench]')"
    try:
        from evalcore.columnar import require_pyarrow

        require_pyarrow()
        table_missing = None
    except ImportError as exc:
        table_missing = _unavailable(exc)
    batch_missing = _has_batch()
    for n in sizes:
        if pandas_missing is None:
            run = run_child([sys.executable, "-c", _PANDAS_CHILD, str(n), str(Path(__file__).parent)])
            if run.status != 0:
                raise SystemExit(f"pandas on {n:,} projects failed:\n{run.stderr}")
            done, cpu, wall = run.stdout.split()
            rows.append([f"{n:,}", "pandas/numpy, vectorised floats, one frame",
                         f"{int(done) / float(cpu):,.0f}", _mib(_peak_of(run.stderr)),
                         f"scoring {float(cpu):.2f} s CPU, {float(wall):.2f} s wall (numbers already "
                         "read; the frame built first, not timed)"])
        else:
            rows.append([f"{n:,}", "pandas/numpy", "-", "-", pandas_missing])
        source = tmp / f"scale-{n}.parquet"
        for numbers, findings, label in ((True, True, "numbers (float64)"),
                                         (True, False, "numbers (float64), scores only"),
                                         (False, True, "text with units")):
            path = tmp / f"scale-{n}-numbers.parquet" if numbers else source
            if findings:  # scores only reads the file just written for the line above
                made = write_parquet(path, n, numbers=numbers)
            size = f"{path.stat().st_size / 2**20:,.1f} MiB Parquet, written in {made:.0f} s"
            if table_missing is None:
                run = run_child([sys.executable, "-c", _TABLE_CHILD, str(path), str(scheme_file),
                                 "65536", "findings" if findings else "scores-only"])
                if run.status != 0:
                    raise SystemExit(f"evaluate_table on {n:,} projects failed:\n{run.stderr}")
                done, errors, cpu, whole, wall = run.stdout.split()
                rows.append([f"{n:,}", f"evaluate_table, {label}, record batches of 65,536",
                             f"{int(done) / float(cpu):,.0f}", _mib(_peak_of(run.stderr)),
                             f"scoring {float(cpu):.1f} s CPU; with reading the batches "
                             f"{float(whole):.1f} s CPU, {float(wall):.1f} s wall; {errors} projects "
                             f"with errors; {size}"])
            else:
                rows.append([f"{n:,}", f"evaluate_table, {label}", "-", "-", table_missing])
            if numbers and not findings:
                path.unlink()
        if batch_missing is None:
            out = tmp / f"scale-{n}-out.parquet"
            run = measured(batch_argv(source, scheme_file, out))
            if run.status != 0:
                raise SystemExit(f"evalcore batch on {n:,} projects failed:\n{run.stderr}")
            rows.append([f"{n:,}", "evalcore batch, Parquet → Parquet", f"{n / run.cpu:,.0f}",
                         _mib(_peak_of(run.stderr)),
                         f"the whole command: {run.cpu:.1f} s CPU, {run.seconds:.1f} s wall"])
            out.unlink()
        else:
            rows.append([f"{n:,}", "evalcore batch", "-", "-", f"not available: {batch_missing}"])
        source.unlink()
    return rows


def _mib(peak: int) -> str:
    return f"{peak / 2**20:,.0f} MiB" if peak else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=2000, help="projects side by side (2000)")
    parser.add_argument("--repeats", type=int, default=3, help="best of this many runs (3)")
    parser.add_argument("--scale", type=int, nargs="*", default=[100_000],
                        help="project counts for the scale runs (100000; none: skip them)")
    parser.add_argument("--large", action="store_true", help="add 10⁶ projects to the scale runs")
    args = parser.parse_args()
    sizes = [*args.scale, *([1_000_000] if args.large else [])]
    work = make_workload(args.projects)
    with tempfile.TemporaryDirectory(prefix="evalcore-bench-") as name:
        tmp = Path(name)
        scheme_file = tmp / "scheme.toml"
        scheme_file.write_text(scheme_toml(), encoding="utf-8")
        lines = side_by_side(work, args.repeats, tmp, scheme_file)
        reference = lines[0].seconds
        assert reference is not None
        table = []
        for line in lines:
            if line.seconds is None:
                table.append([line.name, "-", "-", "-", line.note])
                continue
            per = line.seconds / len(work)
            table.append([line.name, f"{per * 1e6:,.1f}", f"{1 / per:,.0f}",
                          f"{line.seconds / reference:,.2f}", line.note])
        print(f"{len(work):,} projects × 20 rows (national-2020), CPU time, best of {args.repeats}:")
        print(tabulate(table, ["implementation", "µs per project", "projects/s", "vs hand-written",
                               "totals vs the exact loop"], disable_numparse=True,
                       colalign=("left", "right", "right", "right", "left")))
        if sizes:
            print()
            print("Scale (each in a process of its own; projects/s of CPU time; peak = maximum "
                  "resident set size):")
            print(tabulate(scale(sizes, tmp, scheme_file),
                           ["projects", "path", "projects/s", "peak memory", "notes"],
                           disable_numparse=True, colalign=("right", "left", "right", "right", "left")))


if __name__ == "__main__":
    main()
