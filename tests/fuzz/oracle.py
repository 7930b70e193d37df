"""What must hold for any input file, checked on one mutant.

For every document, through the public API (load_project → compile →
evaluate → render):

(a) only an `EvalcoreError` escapes; anything else is a crash;
(b) every row, the budget row and every subtotal scores within [0, points];
    the total is within [0, points] and at most the profile's total;
(c) every registered format renders every evaluation;
(d) a hostile caller's decimal context (3 digits, rounding down, Inexact
    trapped) changes nothing: the same JSON, or the same error;
(e) the same input gives the same JSON bytes (or the same error) twice;
(f) the JSON reads back into an equal `Evaluation`;
(g) every problem is bounded: at most `MAX_PROBLEM` characters;
(h) each run finishes within a time limit (EVALCORE_FUZZ_TIMEOUT seconds).

`check` returns the failures found; each has a `key` that names its class
(the property and where it broke), so a long run can count classes and keep
the smallest reproducer of each.
"""

from __future__ import annotations

import contextlib
import decimal
import os
import signal
import traceback
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from types import FrameType
from typing import Any

import attrs

import evalcore
from evalcore.errors import format_path

__all__ = ["HOSTILE", "MAX_PROBLEM", "Failure", "Report", "check", "formats"]

HOSTILE = decimal.Context(prec=3, rounding=decimal.ROUND_DOWN, traps=[decimal.Inexact])
MAX_PROBLEM = 2_000
TIME_LIMIT = float(os.environ.get("EVALCORE_FUZZ_TIMEOUT", "10"))


@attrs.frozen
class Failure:
    """One broken property: ``kind`` (which property), ``summary`` (where), ``detail`` (what)."""

    kind: str
    summary: str
    detail: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}: {self.summary}"

    def __str__(self) -> str:
        return f"{self.key}\n{self.detail}" if self.detail else self.key


class TimeLimit(BaseException):
    """A run took longer than the limit (a BaseException, so ``except Exception`` cannot eat it)."""


# What a run may die of and still be reported (Ctrl-C still stops the fuzzer).
_CAUGHT = (Exception, TimeLimit)


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise `TimeLimit` in the main thread after ``seconds`` (no limit where SIGALRM is missing).

    The alarm repeats every 0.1 s until the block ends, and lets a gc callback (Hypothesis
    registers one) finish first: Python would print and drop an exception raised in there.
    """
    if not hasattr(signal, "setitimer"):
        yield
        return
    armed = True

    def expire(signum: int, frame: FrameType | None) -> None:
        if armed and (frame is None or "gc_callback" not in frame.f_code.co_name):
            raise TimeLimit(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)
    try:
        yield
    finally:
        armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def formats() -> list[str]:
    """Every registered output format (xlsx only when openpyxl is installed)."""
    names = list(evalcore.default_registry().renderers)
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        names = [n for n in names if n != "xlsx"]
    return names


def _where(exc: BaseException) -> str:
    """The exception type and the innermost frame, plus the innermost evalcore frame if different."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return type(exc).__name__

    def short(frame: traceback.FrameSummary) -> str:
        parts = Path(frame.filename).parts
        return f"{'/'.join(parts[-2:])}:{frame.name}"

    where = f"{type(exc).__name__} at {short(frames[-1])}"
    ours = [f for f in frames if "/evalcore" in f.filename and "/tests/" not in f.filename]
    if ours and ours[-1] is not frames[-1]:
        where += f" via {short(ours[-1])}"
    return where


def _detail(exc: BaseException) -> str:
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__, limit=-6))
    return text[-3000:]


@attrs.frozen
class _Run:
    """One pass of the pipeline: the error's problems, or the evaluation and its JSON."""

    error: tuple[str, tuple[str, ...]] | None = None
    problems: tuple[evalcore.Problem, ...] = attrs.field(default=(), eq=False)
    evaluation: evalcore.Evaluation | None = None
    profile_total: Decimal | None = None
    json: str | None = None


def _pipeline(path: Path) -> _Run:
    try:
        with time_limit(TIME_LIMIT):
            project = evalcore.load_project(path)
            plan = evalcore.compile(project.scheme)
            evaluation = plan.evaluate(project)
            rendered = evalcore.render(evaluation, "json")
    except evalcore.EvalcoreError as exc:
        return _Run(error=(type(exc).__name__, tuple(str(p) for p in exc.problems)), problems=exc.problems)
    assert isinstance(rendered, str)
    return _Run(evaluation=evaluation, profile_total=plan.profile.total, json=rendered)


def _crash(kind: str, exc: BaseException) -> Failure:
    if isinstance(exc, TimeLimit):
        return Failure("timeout", kind, str(exc))
    return Failure(kind, _where(exc), _detail(exc))


def _score_failures(run: _Run) -> list[Failure]:
    e = run.evaluation
    assert e is not None and run.profile_total is not None
    out = []
    zero = Decimal(0)
    items: list[tuple[str, Any]] = [(f"row {r.trace.rule}", r) for r in e.rows]
    if e.budget is not None:
        items.append((f"budget {e.budget.trace.rule}", e.budget))
    items += [("group subtotal", g) for g in e.groups] + [("category subtotal", c) for c in e.categories]
    for what, item in items:
        if item.points < zero:
            out.append(Failure("score-range", f"{what}: negative points", f"points {item.points}"))
        elif not zero <= item.score <= item.points:
            side = "below 0" if item.score < zero else "above its points"
            out.append(Failure("score-range", f"{what}: score {side}",
                               f"score {item.score}, points {item.points}"))
    if not zero <= e.total <= e.points:
        out.append(Failure("score-range", "total outside [0, points]", f"total {e.total}, points {e.points}"))
    if e.total > run.profile_total:
        out.append(Failure("score-range", "total above the profile's total",
                           f"total {e.total}, profile total {run.profile_total}"))
    return out


def _problem_failures(run: _Run) -> list[Failure]:
    assert run.error is not None
    out = []
    for problem in run.problems:
        text = str(problem)
        if len(text) > MAX_PROBLEM:
            # The class is the table the problem is in: the rest of the path may be the hostile text.
            where = format_path(problem.origin.path[:1])[:20] or "<top>"
            out.append(Failure("long-problem", f"{run.error[0]} in {where}",
                               f"{len(text)} characters: {text[:300]}"))
    return out


def _render_failures(evaluation: evalcore.Evaluation, names: list[str]) -> list[Failure]:
    out = []
    for name in names:
        try:
            with time_limit(TIME_LIMIT):
                evalcore.render(evaluation, name)
        except _CAUGHT as exc:
            out.append(_crash(f"render {name}", exc))
    return out


def _roundtrip_failures(run: _Run) -> list[Failure]:
    assert run.json is not None
    try:
        back = evalcore.Evaluation.from_json(run.json)
    except _CAUGHT as exc:
        return [_crash("json round trip", exc)]
    return [] if back == run.evaluation else [Failure("json round trip", "reads back different")]


@attrs.frozen
class Report:
    """How the first run ended ("ok" or the error's class name) and every failure found."""

    outcome: str
    failures: list[Failure]


def check(directory: Path, entry: str) -> Report:
    """Every property on the project file ``directory/entry``."""
    path = directory / entry
    try:
        first = _pipeline(path)
    except _CAUGHT as exc:
        return Report("crash", [_crash("crash", exc)])
    failures: list[Failure] = []
    if first.error is None:
        assert first.evaluation is not None
        failures += _score_failures(first)
        failures += _render_failures(first.evaluation, formats())
        failures += _roundtrip_failures(first)
    else:
        failures += _problem_failures(first)
    failures += _same_again("nondeterministic", path, first, decimal.getcontext())
    failures += _same_again("hostile context", path, first, HOSTILE)
    return Report(first.error[0] if first.error else "ok", failures)


def _same_again(kind: str, path: Path, first: _Run, context: decimal.Context) -> list[Failure]:
    """Run again under ``context``: the same JSON, or the same error, must come out."""
    try:
        with decimal.localcontext(context):
            again = _pipeline(path)
    except _CAUGHT as exc:
        return [_crash(kind, exc)]
    if (again.error, again.json) == (first.error, first.json):
        return []
    detail = f"first: {first.error or 'ok'}; again: {again.error or 'ok'}"
    return [Failure(kind, "the result differs", detail)]
