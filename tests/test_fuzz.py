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

import os
import tempfile
from pathlib import Path

from fuzz.known import known_for
from fuzz.mutations import Mutant, structure_mutants, text_mutants
from fuzz.oracle import check
from fuzz.record import Recorder
from hypothesis import HealthCheck, event, given, note, settings

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
