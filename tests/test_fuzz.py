"""Mutation fuzzing: any file from anyone gives a located error or a sane, stable result.

Seeds (every example and golden case) are mutated as TOML structure and as
text; each mutant goes through load → compile → evaluate → render in every
format, and `fuzz.oracle` checks the properties that must hold for any input.

Budget: ``EVALCORE_FUZZ_EXAMPLES`` documents per test. Without it, a small
derandomised run (a few seconds, the same documents every time, so
``make test`` stays deterministic). ``make fuzz`` sets a large budget, picks
the ``evalcore-fuzz`` profile (random, no deadline) and prints statistics.
``EVALCORE_FUZZ_COLLECT=DIR`` keeps going past failures and files each class
with its smallest reproducer under DIR (see `fuzz.record`).
"""

from __future__ import annotations

import itertools
import os
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from fuzz import oracle
from fuzz.known import known_for
from fuzz.mutations import Mutant, structure_mutants, text_mutants
from fuzz.oracle import MAX_PROBLEM, check
from fuzz.record import Recorder
from fuzz.seeds import Seed, seeds
from fuzz.toml_writer import dumps
from hypothesis import HealthCheck, event, given, note, settings

import evalcore
from evalcore.errors import Origin

BUDGET = os.environ.get("EVALCORE_FUZZ_EXAMPLES")
COLLECT = os.environ.get("EVALCORE_FUZZ_COLLECT")

settings.register_profile(
    "evalcore-fuzz", max_examples=int(BUDGET or 1000), deadline=None, derandomize=False,
    suppress_health_check=list(HealthCheck), report_multiple_bugs=True)
settings.register_profile(
    "evalcore-fuzz-quick", max_examples=150, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FUZZ = settings(settings.get_profile("evalcore-fuzz" if BUDGET else "evalcore-fuzz-quick"))
RECORDER = Recorder(Path(COLLECT)) if COLLECT else None


def run_mutant(mutant: Mutant) -> None:
    """Write the mutant's files, check every property, and fail on an unknown failure class."""
    note(mutant.describe()[:20_000])
    event(f"seed: {mutant.seed.split('/')[0]}")
    with tempfile.TemporaryDirectory(prefix="evalcore-fuzz-") as tmp:
        folder = Path(tmp)
        for name, text in mutant.files.items():
            (folder / name).write_text(text, encoding="utf-8", errors="surrogatepass")
        report = check(folder, mutant.entry)
    failures = report.failures
    event(f"outcome: {report.outcome}")
    if RECORDER is not None:
        RECORDER.record(mutant, failures)
        for failure in failures:
            event(f"failure: {failure.key}")
        return
    new = []
    for failure in failures:
        known = known_for(failure.key)
        if known is None:
            new.append(failure)
        else:
            event(f"known: {known.item}")
    assert not new, "\n\n".join(str(f) for f in new)


@FUZZ
@given(structure_mutants())
def test_structure_mutants_keep_every_property(mutant: Mutant) -> None:
    run_mutant(mutant)


@FUZZ
@given(text_mutants())
def test_text_mutants_keep_every_property(mutant: Mutant) -> None:
    run_mutant(mutant)


# ------------------------------------------------------------------ the oracle can fail

def _write_seed(folder: Path, seed: Seed) -> Path:
    for name, text in seed.files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder / seed.entry


@pytest.mark.parametrize("seed", [s for s in seeds() if s.name.startswith("examples/")], ids=str)
def test_every_example_keeps_every_property_but_the_known_failures(tmp_path: Path, seed: Seed) -> None:
    report = check(tmp_path, _write_seed(tmp_path, seed).name)
    assert report.outcome == "ok"
    assert [f.key for f in report.failures if known_for(f.key) is None] == []


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """A project that keeps every property today: one met indicator, no budget, small numbers."""
    path = tmp_path / "project.toml"
    path.write_text(dumps({
        "project": {"name": "小", "profile": "national-2020"},
        "settings": {"total": 100, "weights": {}},
        "indicator": [{"id": "x", "name": "n", "category": "数量指标", "target": "≥400批次",
                       "actual": "441批次", "points": 100}],
    }), encoding="utf-8")
    assert check(tmp_path, path.name).failures == []
    return path


def _keys(path: Path) -> list[str]:
    return [f.key for f in check(path.parent, path.name).failures]


def test_the_oracle_reports_an_exception_that_is_not_an_evalcore_error(
        small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(path: Path) -> evalcore.Project:
        raise KeyError("oops")

    monkeypatch.setattr(evalcore, "load_project", broken)
    assert _keys(small) == ["crash: KeyError at tests/test_fuzz.py:broken"]


def test_the_oracle_reports_a_score_above_the_points(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = evalcore.compile

    class Inflated:
        def __init__(self, scheme: evalcore.Scheme) -> None:
            self.plan = real(scheme)
            self.profile = self.plan.profile

        def evaluate(self, project: evalcore.Project) -> evalcore.Evaluation:
            e = self.plan.evaluate(project)
            return attrs.evolve(e, rows=(attrs.evolve(e.rows[0], score=e.rows[0].points + 1),))

    monkeypatch.setattr(evalcore, "compile", Inflated)
    assert "score-range: row positive: score above its points" in _keys(small)


def test_the_oracle_reports_a_format_that_fails(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = evalcore.render

    def render(e: evalcore.Evaluation, name: str = "table") -> str | bytes:
        if name == "html":
            raise UnicodeEncodeError("utf-8", "x", 0, 1, "test")
        return real(e, name)

    monkeypatch.setattr(evalcore, "render", render)
    assert [k.split(" at ")[0] for k in _keys(small)] == ["render html: UnicodeEncodeError"]


def test_the_oracle_reports_a_run_that_differs(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real, runs = evalcore.render, itertools.count()

    def render(e: evalcore.Evaluation, name: str = "table") -> str | bytes:
        out = real(e, name)
        return out + str(next(runs)) if name == "json" and isinstance(out, str) else out

    monkeypatch.setattr(evalcore, "render", render)
    assert "nondeterministic: the result differs" in _keys(small)


def test_the_oracle_reports_arithmetic_in_the_callers_context(
        small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = evalcore.load_project

    def load(path: Path) -> evalcore.Project:
        Decimal(1) / Decimal(3)  # inexact in a 3-digit context that traps Inexact
        return real(path)

    monkeypatch.setattr(evalcore, "load_project", load)
    assert _keys(small) == ["hostile context: Inexact at tests/test_fuzz.py:load"]


def test_the_oracle_reports_a_long_problem(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(path: Path) -> evalcore.Project:
        # Message, hint and place are each capped; all three at their caps exceed the bound.
        raise evalcore.ValidationError([evalcore.Problem("m" * MAX_PROBLEM, Origin("x" * MAX_PROBLEM),
                                                         hint="h" * MAX_PROBLEM)])

    monkeypatch.setattr(evalcore, "load_project", refuse)
    assert _keys(small) == ["long-problem: ValidationError in <top>"]


def test_the_oracle_reports_a_run_that_takes_too_long(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(path: Path) -> evalcore.Project:
        time.sleep(1)
        raise AssertionError("the time limit did not stop the run")

    monkeypatch.setattr(evalcore, "load_project", slow)
    monkeypatch.setattr(oracle, "TIME_LIMIT", 0.05)
    assert _keys(small) == ["timeout: crash"]
