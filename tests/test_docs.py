"""The documentation tells the truth: every hook documented and tested, the tutorial works,
pasted outputs are still what the commands print, and links lead somewhere.

The site is bilingual: ``docs/format.md`` is English and ``docs/format.zh.md``, where it exists,
is its Chinese. Every check of a page here is made of each language's page that exists (a page
not translated yet is the English one on the Chinese site too), and a Chinese page must hold
the same code blocks as its English page: the same commands, outputs, files and examples.

Code blocks are found by their fences. A block whose fence has ``title="PATH"`` is a file
(the tutorial's, the getting-started page's); a ``console`` block holds ``$ command`` lines,
each followed by its output, where a line ``...`` (or ``...`` inside a line) stands for what
was left out; a ``pycon`` block is run as a doctest. Commands run in-process with
:func:`evalcore.cli.main`, except the slow tests that run pytest itself on a written-out suite.
"""

from __future__ import annotations

import ast
import doctest
import glob
import importlib.util
import inspect
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import evaluate_text, project_toml, single

import evalcore
from evalcore import EvalcoreError, PluginError, Problem, ValidationError, hookspecs
from evalcore.cli import main
from evalcore.formula import Function
from evalcore.golden import load_cases, run_case
from evalcore.plugin import hookimpl
from evalcore.registrations import Renderer

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
HOOKS = sorted(name for name, value in vars(hookspecs).items()
               if name.startswith("evalcore_") and inspect.isfunction(value))
GANZHOU = ROOT / "examples" / "ganzhou-2021" / "project.toml"
TUTORIAL = "evalcore-innovation"  # the folder the tutorial's file blocks live in
TUTORIAL_FILES = {  # the files the tutorial's layout lists
    "pyproject.toml", "src/evalcore_innovation/__init__.py", "src/evalcore_innovation/definitions.toml",
    "examples/project.toml", "tests/test_capped_ratio.py", "tests/golden/capped-ratio.toml",
}


# -- reading the pages ---------------------------------------------------------------------------

FENCE = re.compile(r'^```(?P<lang>[\w-]*)(?P<info>[^\n]*)\n(?P<body>.*?)^```[ \t]*$', re.M | re.S)
TITLE = re.compile(r'title="(?P<title>[^"]+)"')


@dataclass(frozen=True)
class Block:
    lang: str
    title: str | None
    body: str


@dataclass
class Command:
    line: str
    expected: list[str] = field(default_factory=list)


def page(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def chinese(name: str) -> str:
    """The Chinese page of an English page's name: ``format.md`` → ``format.zh.md``."""
    return name.removesuffix(".md") + ".zh.md"


def is_chinese(name: str) -> bool:
    return name.endswith(".zh.md")


def all_pages() -> list[str]:
    """Every page of the docs folder, either language, by its path in it: ``format.md``,
    ``api/user.zh.md``."""
    return sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))


def english_pages() -> list[str]:
    return [name for name in all_pages() if not is_chinese(name)]


def chinese_pages() -> list[str]:
    return [name for name in all_pages() if is_chinese(name)]


def languages(name: str) -> list[str]:
    """An English page's name and, once it is translated, its Chinese page's."""
    return [name, *([chinese(name)] if (DOCS / chinese(name)).is_file() else [])]


def blocks(text: str) -> list[Block]:
    """The fenced code blocks of a page (fences at the start of a line)."""
    out = []
    for m in FENCE.finditer(text):
        title = TITLE.search(m["info"])
        out.append(Block(m["lang"], title["title"] if title else None, m["body"]))
    return out


HEADING_ID = re.compile(r"\s*\{#[^}]*\}\s*$")


def sections(text: str) -> dict[str, str]:
    """The ``## `` sections of a page by heading (code blocks are skipped when splitting); a
    heading's explicit anchor (``{#id}``, as translated headings keep the English one) is not part
    of its name."""
    out: dict[str, str] = {}
    heading, lines, fenced = None, [], False
    for line in text.splitlines(keepends=True):
        if line.startswith("```"):
            fenced = not fenced
        if line.startswith("## ") and not fenced:
            if heading is not None:
                out[heading] = "".join(lines)
            heading, lines = HEADING_ID.sub("", line[3:]).strip(), []
        else:
            lines.append(line)
    if heading is not None:
        out[heading] = "".join(lines)
    return out


def commands(text: str, program: str | None = "evalcore") -> list[Command]:
    """The ``$ command`` lines of a page's console blocks with their outputs; only those that run
    ``program`` (after any VAR=value) unless ``program`` is None."""
    out = []
    for block in blocks(text):
        if block.lang != "console":
            continue
        current: Command | None = None
        for line in block.body.splitlines():
            if line.startswith("$ "):
                current = Command(line[2:])
                out.append(current)
            elif current is not None:
                current.expected.append(line)
    if program is None:
        return out
    return [c for c in out if _words(c.line)[1][:1] == [program]]


def write_files(text: str, dest: Path, under: str = "") -> list[Path]:
    """Write every titled block (whose title starts with ``under``) as a file below ``dest``."""
    written = []
    for block in blocks(text):
        if block.title and block.title.startswith(under):
            path = dest / block.title
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(block.body, encoding="utf-8")
            written.append(path)
    return written


# -- running and comparing -----------------------------------------------------------------------

SEPARATOR = set("─│┌┐└┘├┤┬┴┼-=|: ")


def _words(line: str) -> tuple[dict[str, str], list[str]]:
    words = shlex.split(line)
    env = {}
    while words and re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", words[0]):
        key, _, value = words.pop(0).partition("=")
        env[key] = value
    return env, words


def _norm(line: str) -> str:
    """A line with runs of spaces collapsed (column widths move) and pytest's timing dropped."""
    return re.sub(r" in \d+(\.\d+)?s$", "", " ".join(line.split()))


def missing_lines(expected: list[str], actual: str) -> list[str]:
    """The expected lines that the actual output does not have (table rules and ``...`` skipped)."""
    have = [_norm(line) for line in actual.splitlines()]
    missing = []
    for line in expected:
        norm = _norm(line)
        if not norm or norm == "..." or set(norm) <= SEPARATOR:
            continue
        pattern = re.compile(".*".join(re.escape(part) for part in norm.split("...")))
        if not any(pattern.fullmatch(h) for h in have):
            missing.append(line)
    return missing


def unshown_lines(expected: list[str], actual: str) -> list[str]:
    """The lines the actual output has that a complete pasted output (one with no ``...``)
    lacks: a new row of a table is as stale a paste as a changed one."""
    if any("..." in line for line in expected):
        return []
    shown = {_norm(line) for line in expected}
    return [line for line in actual.splitlines()
            if (norm := _norm(line)) and not set(norm) <= SEPARATOR and norm not in shown]


def expected_status(expected: list[str]) -> int:
    """The exit status the command-line page promises for an output: 2 with a located error,
    1 with a failed golden case, else 0."""
    if any(": error: " in line or line.startswith("error: ") for line in expected):
        return 2
    if any(line.startswith("FAIL ") for line in expected):
        return 1
    return 0


def run_cli(line: str, cwd: Path, monkeypatch: pytest.MonkeyPatch,
            capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Run ``evalcore ...`` in-process in ``cwd``: (exit status, stdout and stderr)."""
    env, words = _words(line)
    assert words[0] == "evalcore", line
    args = [match for arg in words[1:]
            for match in (sorted(glob.glob(arg, root_dir=cwd)) if "*" in arg else [arg])]
    capsys.readouterr()
    with monkeypatch.context() as m:
        m.chdir(cwd)
        for key, value in env.items():
            m.setenv(key, value)
        if env:
            evalcore.default_registry.cache_clear()
        try:
            status = main(args)
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else 2
        finally:
            if env:
                evalcore.default_registry.cache_clear()
    out, err = capsys.readouterr()
    return status, out + err


def check_command(command: Command, cwd: Path, monkeypatch: pytest.MonkeyPatch,
                  capsys: pytest.CaptureFixture[str]) -> str:
    status, output = run_cli(command.line, cwd, monkeypatch, capsys)
    missing = missing_lines(command.expected, output)
    assert not missing, (f"`{command.line}` no longer prints these lines shown in the docs:\n"
                         + "\n".join(missing) + f"\n--- it prints:\n{output}")
    unshown = unshown_lines(command.expected, output)
    assert not unshown, (f"`{command.line}` prints lines the docs do not show (paste its output "
                         "again, or mark what is left out with ...):\n" + "\n".join(unshown)
                         + f"\n--- it prints:\n{output}")
    assert status == expected_status(command.expected), (command.line, status, output)
    return output


def run_doctests(text: str, cwd: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> int:
    """Run a page's ``pycon`` blocks as one doctest session in ``cwd``; the number of examples."""
    source = "\n".join(b.body for b in blocks(text) if b.lang == "pycon")
    test = doctest.DocTestParser().get_doctest(source, {"__name__": name}, name, None, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    report: list[str] = []
    monkeypatch.chdir(cwd)
    runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)
    return len(test.examples)


def with_examples(tmp_path: Path) -> Path:
    """A scratch folder holding a copy of examples/, as the root of a clone would."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    return tmp_path


# -- the hook reference --------------------------------------------------------------------------


def _spec_source(hook: str) -> str:
    """The ``def`` line(s) of a hook specification, as written in hookspecs.py."""
    lines = inspect.getsource(getattr(hookspecs, hook)).splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("def "))
    end = next(i for i in range(start, len(lines)) if lines[i].rstrip().endswith(":"))
    return "\n".join(lines[start:end + 1])


HOOK_PAGES = languages("hooks.md")  # hooks.md and, once translated, hooks.zh.md


def hook_sections(name: str) -> dict[str, str]:
    """The sections of a hook reference page by hook: a heading that starts with the hook's name
    (``## evalcore_units``, or in Chinese ``## evalcore_units：计量单位``)."""
    out = {}
    for heading, body in sections(page(name)).items():
        first = re.split(r"[\s:：（(]", heading.replace("`", ""), maxsplit=1)[0]
        if first.startswith("evalcore_"):
            out[first] = body
    return out


@pytest.mark.parametrize("name", HOOK_PAGES)
def test_every_hook_has_a_section_in_the_hook_reference_and_no_section_names_another(name):
    documented = set(hook_sections(name))
    assert set(HOOKS) - documented == set(), f"hooks without a `## <hook>` section in docs/{name}"
    assert documented - set(HOOKS) == set(), f"sections in docs/{name} for hooks that do not exist"


@pytest.mark.parametrize("name", HOOK_PAGES)
@pytest.mark.parametrize("hook", HOOKS)
def test_the_hook_reference_gives_the_exact_signature(hook, name):
    first = blocks(hook_sections(name)[hook])[0]
    assert _spec_source(hook) in first.body
    tree = ast.parse(first.body + "\n    ...\n")
    node = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef))
    signature = inspect.signature(getattr(hookspecs, hook))
    assert [a.arg for a in node.args.args] == list(signature.parameters)
    assert node.returns is not None and ast.unparse(node.returns) == signature.return_annotation
    prose = FENCE.sub("", hook_sections(name)[hook])
    assert [p for p in signature.parameters if f"`{p}`" not in prose] == [], "parameters the page skips"
    doc = inspect.getdoc(getattr(hookspecs, hook)) or ""
    assert [p for p in signature.parameters if f":param {p}:" not in doc] == [], "parameters the doc skips"


@pytest.mark.parametrize("name", HOOK_PAGES)
@pytest.mark.parametrize("hook", HOOKS)
def test_the_hook_reference_example_runs(hook, name, monkeypatch):
    examples = [b for b in blocks(hook_sections(name)[hook]) if b.title == "Example"]
    assert len(examples) == 1, f"the {hook} section of docs/{name} needs one block titled Example"
    assert f"def {hook}(" in examples[0].body
    monkeypatch.chdir(ROOT)  # some examples read examples/ganzhou-2021/project.toml
    exec(compile(examples[0].body, f"docs/{name} ({hook})", "exec"), {"__name__": f"hooks_md_{hook}"})


def test_every_hook_is_exercised_by_a_test():
    sources = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests").glob("*.py")))
    untested = [h for h in HOOKS if not re.search(rf"\bdef {h}\(|\bhook\.{h}\(", sources)]
    assert untested == []


# -- tests of the hooks nothing else tested --------------------------------------------------------


class SquareRoot:
    @hookimpl
    def evalcore_formula_functions(self):
        return [Function("sqrt", (1, 1), lambda x: x.sqrt(), "sqrt(x): the square root.")]


def _formula_row(expression: str) -> str:
    return project_toml(single("≥400批次", "100批次", rule="formula", params={"expression": expression},
                               reason="r"))


def test_a_plugin_formula_function_can_be_called_from_a_formula_rule():
    registry = evalcore.Registry.from_plugins(evalcore.get_plugin_manager(plugins=[SquareRoot()]))
    row = evaluate_text(_formula_row("points * min(sqrt(ratio), 1)"), registry).rows[0]
    assert row.score == Decimal(50)
    assert "sqrt(0.25)" in row.trace.formula
    with pytest.raises(ValidationError, match=r"unknown function 'sqr'.*did you mean 'sqrt'"):
        evaluate_text(_formula_row("points * min(sqr(ratio), 1)"), registry)


def test_without_the_plugin_its_formula_function_is_unknown(registry):
    with pytest.raises(ValidationError, match="unknown function 'sqrt'"):
        evaluate_text(_formula_row("points * min(sqrt(ratio), 1)"), registry)


class ReplacesMin:
    @hookimpl
    def evalcore_formula_functions(self):
        return [Function("min", (1, 1), lambda x: x, "min(x): x.")]


def test_a_plugin_cannot_replace_a_built_in_formula_function():
    with pytest.raises(PluginError, match="'min' is built in and cannot be replaced"):
        evalcore.Registry.from_plugins(evalcore.get_plugin_manager(plugins=[ReplacesMin()]))


class Guidelines:
    """An error for any row above 15 points; a warning for a scheme of more than three rows."""

    @hookimpl
    def evalcore_validate_scheme(self, scheme, registry):
        problems = [Problem("more than 15 points", ind.origin.child("points"))
                    for ind in scheme.indicators if ind.points > 15]
        if len(scheme.indicators) > 3:
            problems.append(Problem(f"{len(scheme.indicators)} rows", scheme.origin, severity="warning"))
        assert registry.category("quantity").zh == "数量指标"  # the registry is passed in
        return problems


def _rows(*points: int) -> str:
    return project_toml([{"id": f"r{i}", "name": f"r{i}", "category": "quantity", "points": p,
                          "target": "≥1", "actual": "1"} for i, p in enumerate(points)],
                        settings={"weights": {}})


def test_validate_scheme_errors_stop_compilation_at_their_origin():
    registry = evalcore.Registry.from_plugins(evalcore.get_plugin_manager(plugins=[Guidelines()]))
    with pytest.raises(ValidationError) as info:
        evaluate_text(_rows(20, 80), registry)
    messages = [str(p) for p in info.value.problems]
    assert any("indicator[0].points: error: more than 15 points" in m for m in messages), messages


def test_validate_scheme_warnings_become_plan_warnings_and_findings():
    registry = evalcore.Registry.from_plugins(evalcore.get_plugin_manager(plugins=[Guidelines()]))
    result = evaluate_text(_rows(10, 10, 10, 10, 10, 10, 10, 10, 10, 10), registry)
    assert result.total == 100
    assert [f.code for f in result.findings] == ["scheme-warning"]
    assert "10 rows" in result.findings[0].message_en


def test_validate_scheme_is_called_for_every_compilation():
    calls = []

    class Counter:
        @hookimpl
        def evalcore_validate_scheme(self, scheme):
            calls.append(scheme.name)
            return []

    registry = evalcore.Registry.from_plugins(evalcore.get_plugin_manager(plugins=[Counter()]))
    scheme = evalcore.load_project(GANZHOU, registry=registry).scheme
    evalcore.compile(scheme, registry)
    evalcore.compile(scheme, registry)
    assert len(calls) == 2


def render_tsv(result):
    return "".join(f"{r.id}\t{r.score}\n" for r in result.rows) + f"total\t{result.total}\n"


class Tsv:
    @hookimpl
    def evalcore_renderers(self):
        return [Renderer("tsv", render_tsv, "id and score", "text/tab-separated-values")]


def test_a_plugin_renderer_is_a_format_of_render():
    registry = evalcore.Registry.from_plugins(evalcore.get_plugin_manager(plugins=[Tsv()]))
    project = evalcore.load_project(GANZHOU, registry=registry)
    text = evalcore.render(evalcore.evaluate(project, registry), "tsv", registry=registry)
    assert text.splitlines()[0] == "q1\t5" and text.splitlines()[-1] == "total\t97"
    assert registry.renderers["tsv"].plugin != "formats"


def test_unknown_format_lists_the_plugin_format_too():
    registry = evalcore.Registry.from_plugins(evalcore.get_plugin_manager(plugins=[Tsv()]))
    project = evalcore.load_project(GANZHOU, registry=registry)
    with pytest.raises(EvalcoreError, match=r"unknown output format 'tvs'.*'tsv'"):
        evalcore.render(evalcore.evaluate(project, registry), "tvs", registry=registry)


class ReplacesTable:
    @hookimpl
    def evalcore_renderers(self):
        return [Renderer("table", render_tsv)]


def test_a_plugin_cannot_replace_a_built_in_format():
    with pytest.raises(PluginError, match="renderer 'table' is registered twice: by plugin 'formats'"):
        evalcore.Registry.from_plugins(evalcore.get_plugin_manager(plugins=[ReplacesTable()]))


# -- the tutorial (docs/plugins.md) ----------------------------------------------------------------


def install_metadata(folder: Path, site: Path) -> None:
    """What ``pip install -e`` leaves for importlib.metadata: a dist-info with the entry points of
    the tutorial's pyproject.toml (without touching this virtual environment)."""
    project = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    info = site / f"{project['name'].replace('-', '_')}-{project['version']}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {project['name']}\n"
                                   f"Version: {project['version']}\n", encoding="utf-8")
    entry_points = project["entry-points"]["evalcore"]
    (info / "entry_points.txt").write_text(
        "[evalcore]\n" + "".join(f"{k} = {v}\n" for k, v in entry_points.items()), encoding="utf-8")


TUTORIAL_PAGES = languages("plugins.md")  # plugins.md and, once translated, plugins.zh.md


def write_tutorial(tmp_path: Path, name: str = "plugins.md") -> tuple[Path, Path]:
    """The tutorial's files (of the page ``name``) below tmp_path, and a folder with its installed
    metadata."""
    written = write_files(page(name), tmp_path, TUTORIAL + "/")
    folder = tmp_path / TUTORIAL
    assert {p.relative_to(folder).as_posix() for p in written} == TUTORIAL_FILES
    site = tmp_path / "site-packages"
    install_metadata(folder, site)
    return folder, site


@pytest.fixture
def tutorial(request: pytest.FixtureRequest, tmp_path: Path,
             monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The tutorial's plugin, "installed" for this test: its src and dist-info on sys.path. The
    page is plugins.md unless the test is parametrized (indirectly) with another."""
    folder, site = write_tutorial(tmp_path, getattr(request, "param", "plugins.md"))
    monkeypatch.syspath_prepend(str(folder / "src"))
    monkeypatch.syspath_prepend(str(site))
    evalcore.default_registry.cache_clear()
    try:
        yield folder
    finally:
        evalcore.default_registry.cache_clear()
        for name in [m for m in sys.modules if m.split(".")[0] in ("evalcore_innovation", "tutorial_tests")]:
            del sys.modules[name]


@pytest.mark.parametrize("tutorial", TUTORIAL_PAGES, indirect=True)
def test_the_tutorial_plugin_is_found_through_its_entry_point(tutorial):
    registry = evalcore.default_registry()
    assert registry.category("创新").name == "innovation"
    assert registry.categories["innovation"].plugin == "innovation"
    assert registry.rules["capped-ratio"].plugin == "innovation"
    assert [p.name for p in registry.rule("capped-ratio").params] == ["cap"]
    assert registry.plugin_versions["innovation"] == "evalcore-innovation 0.1.0"


def page_commands(names: list[str], program: str | None = "evalcore") -> list[pytest.ParameterSet]:
    """Each page's commands as parameters (page name, command), with ids that name the page."""
    return [pytest.param(name, command, id=f"{name}: {command.line}")
            for name in names for command in commands(page(name), program)]


@pytest.mark.parametrize(("tutorial", "command"), page_commands(TUTORIAL_PAGES), indirect=["tutorial"])
def test_the_tutorial_commands_print_what_the_tutorial_shows(command, tutorial, monkeypatch, capsys):
    check_command(command, tutorial, monkeypatch, capsys)


@pytest.mark.parametrize("tutorial", TUTORIAL_PAGES, indirect=True)
def test_the_tutorial_law_tests_and_golden_cases_pass(tutorial):
    path = tutorial / "tests" / "test_capped_ratio.py"
    spec = importlib.util.spec_from_file_location("tutorial_tests", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    tests = [f for name, f in vars(module).items() if name.startswith("test_") and callable(f)]
    assert len(tests) == 2
    for test in tests:
        test()
    cases = [c for f in sorted((tutorial / "tests" / "golden").glob("*.toml")) for c in load_cases(f)]
    failures = {c.name: run_case(c, evalcore.default_registry()) for c in cases}
    assert all(not f for f in failures.values()), failures
    (pytest_run,) = commands(page("plugins.md"), "pytest")
    summary = next(line for line in pytest_run.expected if " passed" in line)
    assert summary.startswith(f"{len(tests) + len(cases)} passed")


@pytest.mark.parametrize("tutorial", TUTORIAL_PAGES, indirect=True)
def test_the_tutorial_category_and_rule_are_checked_like_the_built_in_ones(tutorial):
    registry = evalcore.default_registry()
    rows = project_toml(single("≥10项", "9项", category="创新", params={"cap": 2, "capp": 1}))
    with pytest.raises(ValidationError) as info:
        evaluate_text(rows, registry)
    messages = "\n".join(str(p) for p in info.value.problems)
    assert "params.cap: error: cap: 2 is above the maximum 1" in messages
    assert "rule 'capped-ratio' has no parameter 'capp' (did you mean 'cap'?)" in messages


def _pytest_env(extra: list[Path]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "EVALCORE_"))}
    env["PYTHONPATH"] = os.pathsep.join([*map(str, extra), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


@pytest.mark.slow
@pytest.mark.parametrize("name", TUTORIAL_PAGES)
def test_the_tutorial_passes_under_pytest_as_shown(tmp_path, name):
    folder, site = write_tutorial(tmp_path, name)
    (shown,) = commands(page(name), "pytest")
    run = subprocess.run([sys.executable, "-m", *_words(shown.line)[1], "-p", "no:cacheprovider"],
                         cwd=folder, env=_pytest_env([folder / "src", site]), capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert missing_lines(shown.expected, run.stdout) == [], run.stdout


# -- the pages with pasted output ------------------------------------------------------------------


CLI_PAGES = languages("cli.md")


@pytest.mark.parametrize(("name", "command"), page_commands(CLI_PAGES))
def test_the_command_line_page_shows_what_the_commands_print(name, command, monkeypatch, capsys):
    check_command(command, ROOT, monkeypatch, capsys)


@pytest.mark.parametrize("name", CLI_PAGES)
def test_the_command_line_page_shows_the_examples_total_and_grade(name, monkeypatch, capsys):
    (command,) = [c for c in commands(page(name))
                  if c.line == "evalcore evaluate examples/ganzhou-2021/project.toml"]
    assert "总分 97 / 100，自评等级：优" in command.expected
    assert any(_norm(line) == "│ 总分 │ │ │ │ │ 100 │ 97 │ 自评等级：优 │" for line in command.expected)
    output = check_command(command, ROOT, monkeypatch, capsys)
    assert "总分 97 / 100，自评等级：优" in output.splitlines()


@pytest.mark.parametrize("name", CLI_PAGES)
def test_the_command_line_page_shows_every_command(name):
    shown = {_words(c.line)[1][1] for c in commands(page(name))}
    assert {"evaluate", "explain", "validate", "test", "plugins"} <= shown


# The pages whose commands run in the repository itself, on its examples and fixtures: the
# audit, the yearly cycle (target review, monitoring) and the 决策/过程/产出/效益 framework.
ROOT_PAGES = [name for page_name in ("audit.md", "monitor.md", "review.md", "framework.md")
              for name in languages(page_name)]


@pytest.mark.parametrize(("name", "command"), page_commands(ROOT_PAGES))
def test_the_pages_run_at_the_root_show_what_the_commands_print(name, command, monkeypatch,
                                                                capsys):
    check_command(command, ROOT, monkeypatch, capsys)


GETTING_STARTED_PAGES = languages("getting-started.md")


@pytest.mark.parametrize(("name", "command"), page_commands(GETTING_STARTED_PAGES))
def test_the_getting_started_commands_print_what_the_page_shows(name, command, tmp_path, monkeypatch, capsys):
    folder = with_examples(tmp_path)
    write_files(page(name), folder)
    check_command(command, folder, monkeypatch, capsys)


# Every page with a Python session (``pycon``), in each language: index.md and getting-started.md.
PYCON_PAGES = [name for name in all_pages()
               if any(b.lang == "pycon" for b in blocks(page(name)))]


@pytest.mark.parametrize("name", PYCON_PAGES)
def test_the_python_sessions_of_a_page_run_as_shown(name, tmp_path, monkeypatch):
    folder = with_examples(tmp_path)
    write_files(page(name), folder)
    assert run_doctests(page(name), folder, name, monkeypatch) > 0


TESTING_PAGES = languages("testing.md")


def write_testing_suite(tmp_path: Path, name: str = "testing.md") -> Path:
    written = {p.relative_to(tmp_path).as_posix() for p in write_files(page(name), tmp_path)}
    assert written == {"tests/test_rules.py", "tests/golden/national.toml", "wrong.toml"}
    return tmp_path


@pytest.mark.parametrize(("name", "command"), page_commands(TESTING_PAGES))
def test_the_testing_page_commands_print_what_the_page_shows(name, command, tmp_path, monkeypatch, capsys):
    check_command(command, write_testing_suite(tmp_path, name), monkeypatch, capsys)


@pytest.mark.parametrize("name", TESTING_PAGES)
def test_the_testing_page_quotes_the_project_case_from_the_real_file(name):
    quoted = next(b.body for b in blocks(page(name)) if "Ganzhou 2021" in b.body)
    assert quoted in (ROOT / "tests" / "golden" / "examples.toml").read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("name", TESTING_PAGES)
def test_the_testing_page_suite_passes_under_pytest_as_shown(tmp_path, name):
    folder = write_testing_suite(tmp_path, name)
    (shown,) = commands(page(name), "pytest")
    run = subprocess.run([sys.executable, "-m", *_words(shown.line)[1], "-p", "no:cacheprovider"],
                         cwd=folder, env=_pytest_env([]), capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert missing_lines(shown.expected, run.stdout) == [], run.stdout


# -- the site as a whole ---------------------------------------------------------------------------

LINK = re.compile(r"(?<!!)\[[^\]]*\]\((?P<target>[^)\s]+)\)")


def _prose(text: str) -> str:
    return FENCE.sub("", text)


@pytest.mark.parametrize("name", all_pages())
def test_links_between_pages_resolve(name):
    """Every page, either language. A link names the English page (``format.md#...``) even in a
    Chinese page: the site's i18n plugin leads it to the Chinese page where there is one. A link
    is relative to its page's folder (``../hooks.md`` from ``api/user.md``)."""
    broken = []
    for m in LINK.finditer(_prose(page(name))):
        target = m["target"].split("#")[0]
        if not target or re.match(r"[a-z]+:", target):
            continue
        if is_chinese(target):
            broken.append(f"{m['target']} (name the page without .zh: format.md, not format.zh.md)")
            continue
        path = ((DOCS / name).parent / target).resolve()
        if path.is_relative_to(DOCS):
            ok = path.is_file() or (path / "index.md").is_file()
        else:  # out of the site: must at least name a file or folder of the repository
            ok = path.is_relative_to(ROOT) and path.exists()
        if not ok:
            broken.append(m["target"])
    assert broken == []


def test_the_api_reference_documents_the_public_modules():
    """The API reference is the pages under docs/api/; each Chinese page has the same directives."""
    api = [name for name in english_pages() if name.startswith("api/")]
    documented = {m for name in api for m in re.findall(r"^::: ([\w.]+)$", page(name), re.M)}
    for name in api:
        assert re.findall(r"^:::.*(?:\n    .*)*", page(name), re.M) \
            == re.findall(r"^:::.*(?:\n    .*)*", page(chinese(name)), re.M), name
    assert {"evalcore", "evalcore.registrations", "evalcore.scoring", "evalcore.params", "evalcore.testing",
            "evalcore.golden", "evalcore.results", "evalcore.errors"} <= documented


@pytest.mark.parametrize("name", languages("changelog.md"))
def test_the_changelog_page_includes_the_changelog(name):
    """CHANGELOG.md is English only: the Chinese page (if any) includes it below a heading of its own."""
    assert re.search(r'^--8<-- "CHANGELOG\.md(:\d+:)?"$', page(name), re.M)
    assert (ROOT / "CHANGELOG.md").is_file()


def test_every_page_of_the_docs_folder_is_in_the_navigation():
    nav = re.findall(r"^\s+- [^:]+: (\S+\.md)$", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    assert english_pages() == sorted(n for n in nav if (DOCS / n).exists())


def test_every_chinese_page_translates_an_english_page():
    """``docs/X.zh.md`` is the Chinese of ``docs/X.md``; the navigation lists the English names only
    and each has a Chinese title in mkdocs.yml (``nav_translations``)."""
    assert [n for n in chinese_pages() if not (DOCS / n.replace(".zh.md", ".md")).is_file()] == []
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = re.findall(r"^  - ([^:]+): \S+\.md$", config, re.M)
    block = re.search(r"^( +)nav_translations:\n((?:\1 +.*\n)+)", config, re.M)
    assert block, "no nav_translations in mkdocs.yml"
    translations = dict(re.findall(r"^ +(.+?): (\S.*)$", block[2], re.M))
    assert [title for title in nav if title not in translations] == []


def _same_code(english: Block, translated: Block) -> bool:
    """Whether a Chinese page's block is its English block: commands and outputs (console, pycon)
    byte for byte; Python the same code and TOML the same data (their comments may be translated);
    text free (a layout tree, a usage line)."""
    if (english.lang, english.title) != (translated.lang, translated.title):
        return False
    if english.lang in ("text", ""):
        return True
    try:
        if english.lang == "toml":
            return tomllib.loads(english.body) == tomllib.loads(translated.body)
        if english.lang == "python":
            return ast.dump(ast.parse(english.body)) == ast.dump(ast.parse(translated.body))
    except (SyntaxError, tomllib.TOMLDecodeError):  # a signature, a broken example: as written
        pass
    return english.body == translated.body


@pytest.mark.parametrize("name", chinese_pages())
def test_a_chinese_page_has_the_code_blocks_of_its_english_page(name):
    english, translated = blocks(page(name.replace(".zh.md", ".md"))), blocks(page(name))
    assert len(translated) == len(english), \
        f"docs/{name} has {len(translated)} code blocks, its English page {len(english)}"
    differ = [f"block {i + 1} ({e.lang} {e.title or ''}): {e.body[:60]!r}..."
              for i, (e, z) in enumerate(zip(english, translated, strict=True)) if not _same_code(e, z)]
    assert differ == [], f"docs/{name} changed code blocks of its English page"

