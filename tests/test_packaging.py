"""The distribution: its name is ours, and its wheel carries the engine, the built-in plugins and
their TOML (proven in a fresh venv).

``evalcore`` on the package index is an unrelated project, so the distribution is
``evalcore-jixiao`` (the import package and the command stay ``evalcore``). Every install line
in the docs, every message that tells a user to install something, and every plugin's
dependencies must name it: ``pip install evalcore`` or ``dependencies = ["evalcore"]`` would
install the other project.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import subprocess
import sys
import venv
import zipfile
from collections.abc import Iterator
from email.parser import HeaderParser
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

import evalcore
from evalcore._version import DISTRIBUTION

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

OLD_NAME = "evalcore"  # the unrelated project on the package index

# -- the name, everywhere it is written ------------------------------------------------------------

FENCE = re.compile(r"^```(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^```[ \t]*$", re.M | re.S)
PIP_INSTALL = re.compile(r"pip install\b(?P<rest>[^`\"#\n]*)")  # up to a comment or the code's end
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?([<>=!~;].*)?$")


def old_name_installs(text: str) -> list[str]:
    """The ``pip install`` arguments in ``text`` that name the old distribution (``evalcore``,
    ``'evalcore[excel]'``, ``evalcore>=0.1``); a path (``-e .``, ``path/to/evalcore[testing]``,
    ``./examples/plugins/evalcore-pefa``) and every other name are fine."""
    found = []
    for match in PIP_INSTALL.finditer(text):
        for word in match.group("rest").split():
            word = word.strip("'").rstrip(".,;:)，。；")
            if word.startswith(("-", ".")) or "/" in word or not NAME.match(word):
                continue
            try:
                requirement = Requirement(word)
            except InvalidRequirement:
                continue
            if canonicalize_name(requirement.name) == OLD_NAME:
                found.append(word)
    return found


def old_name_dependencies(pyproject: dict[str, object]) -> list[str]:
    """The requirements of a pyproject table (dependencies and every extra) on the old name."""
    project = pyproject.get("project")
    if not isinstance(project, dict):
        return []
    requirements = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        requirements += extra
    return [r for r in requirements if canonicalize_name(Requirement(r).name) == OLD_NAME]


def texts() -> Iterator[tuple[Path, str]]:
    """Every file a user reads or that holds a message: the READMEs, the docs, the examples, the
    engine and the built-in plugins."""
    paths = [*ROOT.glob("README*.md"), *(ROOT / "docs").rglob("*.md"), *EXAMPLES.rglob("*.md"),
             *EXAMPLES.rglob("*.toml"), *(ROOT / "src").rglob("*.py"), *(ROOT / "plugins").rglob("*.py"),
             ROOT / "pyproject.toml", ROOT / "Makefile"]
    for path in sorted(set(paths)):
        yield path.relative_to(ROOT), path.read_text(encoding="utf-8")


def test_the_distribution_is_called_evalcore_jixiao():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["name"] == DISTRIBUTION == "evalcore-jixiao"
    assert pyproject["project"]["scripts"] == {"evalcore": "evalcore.cli:main"}  # the command stays


def test_the_installed_metadata_is_under_the_new_name():
    assert importlib.metadata.version(DISTRIBUTION) == evalcore.__version__
    files = importlib.metadata.distribution(DISTRIBUTION).read_text("entry_points.txt") or ""
    assert "[evalcore]" in files and "evalcore = evalcore.cli:main" in files


def test_no_doc_or_message_installs_the_old_name():
    bad = [f"{path}: pip install {word}" for path, text in texts() for word in old_name_installs(text)]
    assert not bad, "these install the unrelated 'evalcore' project:\n" + "\n".join(bad)
    assert any(f"pip install '{DISTRIBUTION}[" in text for _, text in texts())


def test_every_example_plugin_and_the_tutorial_depend_on_the_new_name():
    pyprojects = sorted((EXAMPLES / "plugins").glob("*/pyproject.toml"))
    assert pyprojects, "no example plugin found"
    for path in pyprojects:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        names = {canonicalize_name(Requirement(r).name) for r in data["project"]["dependencies"]}
        assert DISTRIBUTION in names, f"{path.relative_to(ROOT)} does not depend on {DISTRIBUTION}"
        assert not old_name_dependencies(data), path
    tutorials = 0
    for page in sorted((ROOT / "docs").glob("plugins*.md")):
        for block in FENCE.finditer(page.read_text(encoding="utf-8")):
            if block.group("lang") == "toml" and "[build-system]" in block.group("body"):
                data = tomllib.loads(block.group("body"))
                assert not old_name_dependencies(data), page.name
                assert DISTRIBUTION in {Requirement(r).name for r in data["project"]["dependencies"]}
                tutorials += 1
    assert tutorials == 2, "the tutorial's pyproject.toml, in English and in Chinese"


@pytest.mark.parametrize("line", [
    "pip install evalcore", "$ pip install 'evalcore[excel]'", "pip install --force-reinstall evalcore.",
    "`pip install evalcore>=0.1 pytest`", "needs openpyxl: pip install 'evalcore[excel]'\"",
    "pip install -e . pytest Evalcore",
])
def test_the_old_name_check_finds_an_install_of_the_old_name(line):
    assert old_name_installs(line)


@pytest.mark.parametrize("line", [
    "pip install -e .", "pip install -e 'path/to/evalcore[testing]' pytest",
    "pip install ./examples/plugins/evalcore-pefa", "pip install 'evalcore-jixiao[excel]'",
    "pip install evalcore-jixiao", "reinstall evalcore: pip install -e . in a clone",
])
def test_the_old_name_check_passes_paths_and_the_new_name(line):
    assert old_name_installs(line) == []


def test_the_dependency_check_finds_the_old_name_in_any_extra():
    assert old_name_dependencies({"project": {"dependencies": ["evalcore>=0.1"]}}) == ["evalcore>=0.1"]
    assert old_name_dependencies({"project": {"dependencies": [], "optional-dependencies": {
        "test": ["evalcore[testing]", "pytest"]}}}) == ["evalcore[testing]"]
    assert old_name_dependencies({"project": {"dependencies": ["evalcore-jixiao"]}}) == []


# -- the wheel -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
         "--wheel-dir", str(out), str(ROOT)],
        check=True, capture_output=True, text=True,
    )
    (path,) = out.glob("*.whl")
    return path


@pytest.mark.slow
def test_the_wheel_is_named_and_described_as_evalcore_jixiao(wheel):
    assert wheel.name.startswith("evalcore_jixiao-")
    archive = zipfile.ZipFile(wheel)
    metadata = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
    headers = HeaderParser().parsestr(archive.read(metadata).decode())
    assert (headers["Name"], headers["Version"]) == (DISTRIBUTION, evalcore.__version__)


@pytest.mark.slow
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


@pytest.mark.slow
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
    assert set(result["provenance"]["plugins"].values()) == {f"{DISTRIBUTION} {evalcore.__version__}"}
    where = subprocess.run(
        [str(python), "-c", "import evalcore, evalcore_builtin; print(evalcore.__file__); "
         "print(evalcore_builtin.__file__)"],
        capture_output=True, text=True, cwd=tmp_path, env=environ, check=True,
    ).stdout
    assert str(ROOT) not in where, "the fresh venv must use the installed wheel, not the checkout"
    listed = subprocess.run([str(python), "-m", "pip", "list", "--format", "json"], capture_output=True,
                            text=True, env=environ, check=True).stdout
    names = {canonicalize_name(d["name"]) for d in json.loads(listed)}
    assert DISTRIBUTION in names and OLD_NAME not in names


def test_the_command_line_lists_the_distribution_of_each_plugin(capsys):
    from evalcore.cli import main

    assert main(["plugins"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert f"quantity: {DISTRIBUTION} {evalcore.__version__}" in last


@pytest.mark.slow
def test_the_plugin_tutorial_from_an_empty_folder_installs_against_the_new_name(wheel, tmp_path):
    """The tutorial's files, written as the page shows them into an empty folder, build a
    plugin whose dependency pip satisfies with evalcore-jixiao (here its wheel, as the index
    will once it is published), never the unrelated 'evalcore'; the command then lists the
    plugin's registrations."""
    from test_docs import write_tutorial

    empty = tmp_path / "empty"
    empty.mkdir()
    folder, _ = write_tutorial(empty)
    project = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--quiet", "--wheel-dir", str(dist), str(folder)],
                   check=True, capture_output=True, text=True)
    (plugin_wheel,) = dist.glob("*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    environ = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "EVALCORE_PLUGINS")}
    install = subprocess.run([str(env_dir / "bin" / "python"), "-m", "pip", "install", "--quiet",
                              "--find-links", str(wheel.parent), str(plugin_wheel)],
                             capture_output=True, text=True, env=environ, cwd=tmp_path)
    assert install.returncode == 0, install.stderr
    listed = subprocess.run([str(env_dir / "bin" / "python"), "-m", "pip", "list", "--format",
                             "json"], capture_output=True, text=True, env=environ, check=True).stdout
    names = {canonicalize_name(d["name"]) for d in json.loads(listed)}
    assert {DISTRIBUTION, canonicalize_name(project["name"])} <= names and OLD_NAME not in names
    plugins = subprocess.run([str(env_dir / "bin" / "evalcore"), "plugins"], capture_output=True,
                             text=True, env=environ, cwd=tmp_path)
    assert plugins.returncode == 0, plugins.stderr
    for entry_point in project["entry-points"]["evalcore"]:
        assert f"{entry_point}: {project['name']} {project['version']}" in plugins.stdout
