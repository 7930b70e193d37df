"""The wheel carries the engine, the built-in plugins and their TOML: proven in a fresh venv."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
         "--wheel-dir", str(out), str(ROOT)],
        check=True, capture_output=True, text=True,
    )
    (path,) = out.glob("evalcore-*.whl")
    return path


def test_the_wheel_contains_the_plugins_and_their_toml(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "evalcore/py.typed" in names
    assert "evalcore_builtin/quantity.py" in names
    assert "evalcore_builtin/indicators/quantity.toml" in names
    assert "evalcore_builtin/indicators/profiles/national-2020.toml" in names
    assert "evalcore_builtin/templates/form.html.j2" in names  # the HTML form's templates
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "[evalcore]" in text and "quantity = evalcore_builtin.quantity" in text


def test_the_wheel_evaluates_the_example_in_a_fresh_virtual_environment(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    environ = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "EVALCORE_PLUGINS")}
    install = subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)],
                             capture_output=True, text=True, env=environ)
    assert install.returncode == 0, install.stderr
    run = subprocess.run(
        [str(env_dir / "bin" / "evalcore"), "evaluate",
         str(EXAMPLES / "ganzhou-2021" / "project.toml"), "--format", "json"],
        capture_output=True, text=True, cwd=tmp_path, env=environ,
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert (result["total"], result["grade"]) == ("97", "优")
    where = subprocess.run(
        [str(python), "-c", "import evalcore, evalcore_builtin; print(evalcore.__file__); "
         "print(evalcore_builtin.__file__)"],
        capture_output=True, text=True, cwd=tmp_path, env=environ, check=True,
    ).stdout
    assert str(ROOT) not in where, "the fresh venv must use the installed wheel, not the checkout"
