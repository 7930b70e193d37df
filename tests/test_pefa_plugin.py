"""The example third-party plugin evalcore-pefa works from wheels, in a fresh virtual environment.

It is built and installed the way a user would get it: evalcore's wheel and the plugin's wheel
(``examples/plugins/evalcore-pefa``) go into a new venv, nothing else of this checkout. There
``evalcore plugins`` must list what the plugin registers, the example assessment must evaluate
to the expected PEFA letters in the plugin's own format and in JSON, and the plugin's own test
suite (golden cases, rule laws, Hypothesis properties) must pass against the installed wheels.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow

PLUGIN = ROOT / "examples" / "plugins" / "evalcore-pefa"
ASSESSMENT = PLUGIN / "examples" / "assessment.toml"
EXPECTED = {"pi-1": "B", "pi-2": "D+", "pi-3": "B", "pi-8": "C", "pi-22": "B+"}
LETTERS = {Decimal(1): "D", Decimal("1.5"): "D+", Decimal(2): "C", Decimal("2.5"): "C+",
           Decimal(3): "B", Decimal("3.5"): "B+", Decimal(4): "A"}


def _run(*argv: str | Path, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in argv], capture_output=True, text=True, cwd=cwd, env=env,
                          timeout=300)


@pytest.fixture(scope="module")
def environ() -> dict[str, str]:
    """The environment for the fresh venv: nothing that would point back into this checkout."""
    return {k: v for k, v in os.environ.items()
            if k not in ("PYTHONPATH", "EVALCORE_PLUGINS", "VIRTUAL_ENV")}


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """evalcore's wheel and evalcore-pefa's wheel, built without network or build isolation."""
    out = tmp_path_factory.mktemp("dist")
    for source in (ROOT, PLUGIN):
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
             "--wheel-dir", str(out), str(source)],
            check=True, capture_output=True, text=True,
        )
    return [*out.glob("evalcore_jixiao-*.whl"), *out.glob("evalcore_pefa-*.whl")]


@pytest.fixture(scope="module")
def env_dir(wheels: list[Path], environ: dict[str, str],
            tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with both wheels, pytest and Hypothesis (for the plugin's own tests)."""
    assert [w.name.split("-")[0] for w in wheels] == ["evalcore_jixiao", "evalcore_pefa"]
    path = tmp_path_factory.mktemp("venv") / "venv"
    venv.create(path, with_pip=True)
    install = _run(path / "bin" / "python", "-m", "pip", "install", "--quiet", *wheels,
                   "pytest", "hypothesis", cwd=path, env=environ)
    assert install.returncode == 0, install.stderr
    return path


def test_the_plugin_is_installed_from_its_wheel_not_the_checkout(
        env_dir: Path, environ: dict[str, str], tmp_path: Path) -> None:
    where = _run(env_dir / "bin" / "python", "-c",
                 "import evalcore, evalcore_pefa; print(evalcore.__file__); print(evalcore_pefa.__file__)",
                 cwd=tmp_path, env=environ)
    assert where.returncode == 0, where.stderr
    assert str(ROOT) not in where.stdout


def test_evalcore_plugins_lists_what_the_pefa_plugin_registers(
        env_dir: Path, environ: dict[str, str], tmp_path: Path) -> None:
    run = _run(env_dir / "bin" / "evalcore", "plugins", cwd=tmp_path, env=environ)
    assert run.returncode == 0, run.stderr
    rows = [line.split() for line in run.stdout.splitlines()]
    for name in ("pefa-m1", "pefa-m2", "pefa-dimension", "pefa-2016", "pi-24", "pefa-pillar-7"):
        row = next((r for r in rows if r and r[0] == name), None)
        assert row is not None and row[-1] == "pefa", f"{name} is not registered by plugin 'pefa'"
    assert "pefa: evalcore-pefa 0.1.0" in run.stdout


def test_the_example_assessment_prints_its_pefa_letters(
        env_dir: Path, environ: dict[str, str], tmp_path: Path) -> None:
    run = _run(env_dir / "bin" / "evalcore", "evaluate", ASSESSMENT, "--format", "pefa",
               cwd=tmp_path, env=environ)
    assert run.returncode == 0, run.stderr
    assert "Scores: PI-1 B, PI-2 D+, PI-3 B, PI-8 C, PI-22 B+" in run.stdout
    lines = run.stdout.splitlines()
    assert next(line for line in lines if line.lstrip().startswith("PI-2 ")).split()[-2:] == ["D+", "M1"]
    assert next(line for line in lines if line.lstrip().startswith("PI-3 ")).split()[-2:] == ["B", "M2"]
    assert any(line.rstrip().endswith("D*") for line in lines)


def test_the_example_assessment_in_json_carries_the_letters(
        env_dir: Path, environ: dict[str, str], tmp_path: Path) -> None:
    run = _run(env_dir / "bin" / "evalcore", "evaluate", ASSESSMENT, "--format", "json",
               cwd=tmp_path, env=environ)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    # An indicator's subtotal is its level (D = 1 ... A = 4, "+" = .5) on 4 points per dimension.
    letters = {c["name"]: LETTERS[4 * Decimal(c["score"]) / Decimal(c["points"])]
               for c in result["categories"]}
    assert letters == EXPECTED
    marks = {row["id"]: (row["trace"]["matched"], row["status"]) for row in result["indicators"]}
    assert marks["2.2"] == ("D*", "missed")
    assert marks["8.2"] == ("NA", "not-applicable")
    assert result["grade"] == "not graded"


def test_the_plugins_own_test_suite_passes_against_the_installed_wheels(
        env_dir: Path, environ: dict[str, str], tmp_path: Path) -> None:
    # A copy of the tests and the example, without the sources: the wheels must be what is tested,
    # and nothing (caches, bytecode) is written into this checkout.
    copy = tmp_path / "evalcore-pefa"
    for part in ("tests", "examples"):
        shutil.copytree(PLUGIN / part, copy / part,
                        ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    shutil.copy(PLUGIN / "pyproject.toml", copy / "pyproject.toml")
    run = _run(env_dir / "bin" / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider",
               cwd=copy, env={**environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    summary = run.stdout.strip().splitlines()[-1]
    assert " passed" in summary and "failed" not in summary, summary
