"""The performance suite: how fast evalcore loads, compiles and evaluates.

Not a test: timings depend on the machine. Run ``make bench`` and compare
figures on one machine before and after a change. Each figure is the best of
several repeats, which is the least noisy estimate on a shared machine.
"""

from __future__ import annotations

import argparse
import contextlib
import decimal
import random
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from tabulate import tabulate

import evalcore
from evalcore import Actual, Indicator, Project, ProjectInfo, Scheme, evaluation
from evalcore.model import Budget
from evalcore.numbers import context

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "ganzhou-2021" / "project.toml"
PER_PROJECT = 500  # projects per timed round of the per-project figures


def best(fn: Callable[[], object], repeats: int) -> float:
    """Best wall time of ``repeats`` calls, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def synthetic(n_indicators: int, n_projects: int, seed: int = 1) -> tuple[Scheme, list[Project]]:
    """A scheme of ``n_indicators`` quantitative rows (points add to 90 + budget 10) and projects."""
    rng = random.Random(seed)
    symbols = ["≥", "≤", "=", ">"]
    points = [Decimal(90) / n_indicators] * n_indicators
    points[-1] = Decimal(90) - sum(points[:-1])
    indicators = tuple(
        Indicator(f"i{i}", f"指标{i}", rng.choice(["quantity", "quality", "cost", "social"]), p,
                  f"{rng.choice(symbols)}{rng.randint(1, 1000)}")
        for i, p in enumerate(points))
    scheme = Scheme("bench", indicators, budget_points=Decimal(10), settings={"decimals": 2})
    projects = [
        Project(ProjectInfo(f"p{j}"), scheme,
                Budget(Decimal(rng.randint(1, 1000)), Decimal(rng.randint(0, 1000))),
                {ind.id: Actual(str(rng.randint(0, 1200)), reason="r") for ind in indicators})
        for j in range(n_projects)]
    return scheme, projects


def band_scheme(n_rows: int, hit: str) -> Scheme:
    """One ``bands`` indicator whose ``n_rows`` rows all read ``>= 0`` (every pair overlaps)."""
    rows = [{"id": f"r{i}", "when": ">= 0", "share": 1} for i in range(n_rows)]
    indicator = Indicator("t", "表", "quality", Decimal(90), "≥95%", rule="bands",
                          params={"rows": rows, "hit": hit})
    return Scheme("bench-bands", (indicator,), budget_points=Decimal(10))


def compile_seconds(scheme: Scheme) -> float:
    """Wall time of one compile of ``scheme``; a refused table counts (its error is the work)."""
    start = time.perf_counter()
    with contextlib.suppress(evalcore.EvalcoreError):
        evalcore.compile(scheme)
    return time.perf_counter() - start


def bad_rows_file(directory: Path, n_rows: int) -> Path:
    """A project of ``n_rows`` indicators, each with an unknown category and a misspelled key."""
    lines = ['[project]', 'name = "bench"', '']
    for i in range(n_rows):
        lines += ['[[indicator]]', f'id = "i{i}"', f'name = "指标{i}"', 'category = "quantitty"',
                  'points = 1', 'target = "≥1个"', 'actul = "1个"', '']
    path = directory / "bad.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def validate_seconds(path: Path) -> tuple[float, int]:
    """Wall time of ``evalcore.validate`` on ``path`` (which raises the problems it collects), and
    how many problems it found."""
    start = time.perf_counter()
    try:
        found = len(evalcore.validate(path))
    except evalcore.EvalcoreError as exc:
        found = len(exc.problems)
    return time.perf_counter() - start, found


def best_cpu(fn: Callable[[], object], repeats: int) -> float:
    """Best CPU time of this process over ``repeats`` calls, in seconds: on a machine shared
    with other work, wall time measures the neighbours too; CPU time much less so."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def per_project(fn: Callable[[Project], object], projects: list[Project], repeats: int) -> float:
    """Best CPU time per project, in µs, of ``fn`` over ``projects``."""
    return best_cpu(lambda: [fn(p) for p in projects], repeats) / len(projects) * 1e6


def full_path(plan: evalcore.Plan, project: Project) -> evalcore.Evaluation:
    """Every row, word and finding built at once: what ``plan.evaluate`` did before numbers
    first (its parse and unit caches still help it)."""
    with decimal.localcontext(context()):
        return evaluation._evaluate(plan, project)


def speed_rows(name: str, projects: list[Project], repeats: int,
               hand: Callable[[], object] | None = None) -> list[list[str]]:
    """Per-project figures, before and after numbers first and the plan cache, on ``projects``
    (all of one scheme); with ``hand`` (the hand-written loop over the same projects), each as a
    ratio to it. CPU times (`best_cpu`), so that the ratios hold on a busy machine."""
    plan = evalcore.compile(projects[0].scheme)
    again = per_project(lambda p: evalcore.compile(p.scheme).evaluate(p), projects[:100], repeats)
    figures = [
        ("plan.evaluate (numbers first; words when read)", per_project(plan.evaluate, projects, repeats)),
        ("plan.evaluate, then every word read (.to_json())",
         per_project(lambda p: plan.evaluate(p).to_json(), projects, repeats)),
        ("full path, every word built at once (before)",
         per_project(lambda p: full_path(plan, p), projects, repeats)),
        ("evaluate(project) (plan kept)", per_project(evalcore.evaluate, projects, repeats)),
        ("compile + evaluate per call (before the plan cache)", again),
    ]
    base = best_cpu(hand, repeats) / len(projects) * 1e6 if hand is not None else 0.0
    rows = []
    if hand is not None:
        rows.append([f"{name}: hand-written exact Decimal loop", f"{base:.1f} µs (1×)"])
    for what, micros in figures:
        ratio = f" ({micros / base:.1f}× hand)" if hand is not None else ""
        rows.append([f"{name}: {what}", f"{micros:.1f} µs{ratio}"])
    return rows


def twenty_rows(repeats: int) -> list[list[str]]:
    """The per-project figures on the peer workload's 20-row scheme (benchmarks/workload.py),
    when that module is here; else a line saying it is not."""
    try:
        from workload import hand_evaluate, make_workload  # benchmarks/ is on sys.path
    except ImportError:
        return [["20-row scheme (benchmarks/workload.py)", "not here: workload.py is missing"]]
    work = make_workload(PER_PROJECT)
    exact = [hand_evaluate(p)[1] for p in work.parsed]
    plan = evalcore.compile(work.scheme)
    assert [plan.evaluate(p).total for p in work.projects] == exact, "totals differ from the hand loop"
    return speed_rows("20 rows", work.projects, repeats,
                      lambda: [hand_evaluate(p) for p in work.parsed])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    rows = []

    def ms(fn: Callable[[], object]) -> str:
        return f"{best(fn, args.repeats) * 1e3:.2f} ms"

    rows += speed_rows("Ganzhou example", [evalcore.load_project(EXAMPLE) for _ in range(PER_PROJECT)],
                       args.repeats)
    rows += twenty_rows(args.repeats)
    rows.append(["load + build the example file", ms(lambda: evalcore.load_project(EXAMPLE))])
    project = evalcore.load_project(EXAMPLE)
    rows.append(["compile the example scheme", ms(lambda: evalcore.compile(project.scheme))])
    plan = evalcore.compile(project.scheme)
    per = best(lambda: [plan.evaluate(project) for _ in range(200)], args.repeats) / 200
    rows.append(["evaluate the example (12 rows + budget)",
                 f"{per * 1e6:.0f} µs ({1 / per:,.0f} projects/s)"])
    result = plan.evaluate(project)
    rows.append(["render the example as a table", ms(lambda: evalcore.render(result))])
    rows.append(["JSON round trip of the example",
                 ms(lambda: evalcore.Evaluation.from_json(result.to_json()))])

    for n in (10, 50):
        scheme, projects = synthetic(n, args.projects)
        plan = evalcore.compile(scheme)
        seconds = best(lambda plan=plan, projects=projects: list(plan.evaluate_many(projects)),
                       args.repeats)
        rows.append([f"evaluate_many: {args.projects} projects × {n} rows",
                     f"{seconds:.3f} s ({args.projects / seconds:,.0f} projects/s)"])
        recompiling = best(lambda projects=projects: [evalcore.evaluate(p) for p in projects[:200]],
                           args.repeats) / 200
        rows.append([f"compile + evaluate per project ({n} rows)", f"{recompiling * 1e6:.0f} µs"])
    for hit in ("first", "unique"):
        scheme = band_scheme(3000, hit)
        seconds = min(compile_seconds(scheme) for _ in range(args.repeats))
        outcome = "compiles" if hit == "first" else "refused: every pair overlaps"
        rows.append([f"compile a 3,000-row bands table, hit = {hit!r} ({outcome})",
                     f"{seconds * 1e3:.1f} ms"])
    with tempfile.TemporaryDirectory() as tmp:
        path = bad_rows_file(Path(tmp), 10_000)
        seconds, found = min(validate_seconds(path) for _ in range(args.repeats))
        rows.append([f"validate 10,000 bad rows ({found:,} problems collected)",
                     f"{seconds * 1e3:.0f} ms"])
    print(tabulate(rows, ["benchmark", f"best of {args.repeats}"]))


if __name__ == "__main__":
    main()
