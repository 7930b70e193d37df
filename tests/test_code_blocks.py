"""Every code block of the READMEs and of the documentation runs, in both languages.

The pages are README.md, README.zh-CN.md and every docs/*.md, the Chinese docs/*.zh.md included.
Each fenced block is of one kind, by its language (the word after the fence) and its content:

``toml``
    Parsed with tomllib: it must be valid TOML. A block that the page shows as broken TOML carries
    ``<!-- invalid-toml: reason -->`` on the line before its fence and must *not* parse.
``python``
    A page's Python blocks run in order in one fresh namespace (a block may use what an earlier
    block of the same page defined), in a scratch folder laid out as the root of a clone
    (``examples/``, ``tests/golden/``). Except:

    - a *file*, a block titled with a path (``title="tests/test_rules.py"``): compiled here; test_docs
      writes the page's files out and runs them (the plugin tutorial, the testing page's suite);
    - a *hook example* (``title="Example"`` on the hook reference): test_docs runs each on its own;
    - a *signature* (``@hookspec`` and a ``def`` line without a body, ``check_rule_laws(rule_type,
      *, ...)``): not code to run; it must be the signature of the real function, parameter for
      parameter (test_docs compares the hooks' with hookspecs.py exactly);
    - an *excerpt* of a file block of the same page (its lines appear, in order, in the file): it
      runs as part of the file.
``pycon``
    Run as doctests by test_docs (every page that has one, in each language).
``console`` (``$ command`` lines, each followed by its output) and ``sh``/``shell``/``bash`` (commands)
    A line that runs evalcore (``evalcore ...``, ``.venv/bin/evalcore ...``, ``python -m evalcore
    ...``, after any ``VAR=value``) runs, in-process: in a console block of a page test_docs knows
    (cli, getting-started, plugins, testing, audit, monitor), test_docs runs it in the folder the
    page sets up and compares the output; any other runs here in a scratch clone (with the files the
    page shows) and must exit as the page implies: 0 in a ``sh`` block, and in a console block as
    its pasted output says (2 with an error, 1 with a failed golden case; its lines must be printed
    too).
    Lines that install or set up are **not run**: ``make`` (``make demo``, ``make test``: the
    tests do what they do), ``pip``, ``git``, ``python -m venv``, ``. .venv/bin/activate`` /
    ``source`` and ``cd``. ``pytest`` lines are run by test_docs' slow tests (the tutorial's and
    the testing page's suites). Any other command fails the test until it is placed here.
``text`` and unlabelled blocks
    Layout trees, usage lines, message formats: nothing to run.

A block that cannot run carries ``<!-- not-run: reason -->`` on the line before its fence, and
NOT_RUN below lists every such block of the English pages and the README, so that marking one is
a visible change. A Chinese page takes the markers of its English page block by block (its code
blocks are its English page's: tests/test_docs.py and tests/test_readme.py hold them to it).
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import inspect
import io
import re
import shlex
import shutil
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from test_docs import (
    CLI_PAGES,
    DOCS,
    FENCE,
    GETTING_STARTED_PAGES,
    HOOK_PAGES,
    PYCON_PAGES,
    ROOT,
    ROOT_PAGES,
    TESTING_PAGES,
    TITLE,
    TUTORIAL_PAGES,
    Command,
    check_command,
    run_cli,
    with_examples,
)

from evalcore import hookspecs

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

# Every block marked <!-- not-run: ... --> in an English page or README.md: (page, the block's
# first line) → why it cannot run.
NOT_RUN = {
    ("docs/hooks.md", "registry = evalcore.Registry.from_plugins(evalcore.get_plugin_manager("
                      "plugins=[MyPlugin()]))"): "MyPlugin stands for the reader's own plugin",
    ("docs/portfolios.md", "from dask.distributed import Client"): "needs a running Dask scheduler",
}

# The pages whose console blocks test_docs runs and compares, in the folder each page sets up,
# and those whose file blocks it writes out and runs.
CONSOLE_RUN_BY_TEST_DOCS = {*CLI_PAGES, *GETTING_STARTED_PAGES, *TUTORIAL_PAGES, *TESTING_PAGES,
                            *ROOT_PAGES}
FILES_RUN_BY_TEST_DOCS = {*TUTORIAL_PAGES, *TESTING_PAGES, *GETTING_STARTED_PAGES}

SHELLS = {"console", "sh", "shell", "bash"}
NOT_CODE = {"text", ""}
MARKER = re.compile(r"^<!--\s*(?P<kind>not-run|invalid-toml):\s*(?P<reason>.+?)\s*-->\s*$")
SETUP = {"make", "pip", "pip3", "git", "cd", "source", "."}  # not run: install or set up
FENCE_LINE = re.compile(r"^\s*(```|~~~)")


# -- reading the pages ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    page: str  # the page's path from the root: README.md, docs/hooks.md
    line: int  # the line of its opening fence
    lang: str
    title: str | None
    body: str
    marker: tuple[str, str] | None  # ("not-run" or "invalid-toml", reason)

    @property
    def where(self) -> str:
        return f"{self.page}:{self.line}"

    @property
    def first_line(self) -> str:
        return self.body.splitlines()[0] if self.body else ""

    @property
    def is_file(self) -> bool:
        """A block titled with a path (``title="tests/test_rules.py"``), not a caption."""
        return self.title is not None and bool(re.search(r"[./]", self.title))


def pages() -> list[str]:
    """Every page with code blocks, from the root: the READMEs, then docs/ in both languages."""
    readmes = [name for name in ("README.md", "README.zh-CN.md") if (ROOT / name).is_file()]
    return readmes + [f"docs/{p.relative_to(DOCS).as_posix()}" for p in sorted(DOCS.rglob("*.md"))]


def english_of(name: str) -> str | None:
    """The English page a Chinese page translates, or None for an English page."""
    if name == "README.zh-CN.md":
        return "README.md"
    return name.replace(".zh.md", ".md") if name.endswith(".zh.md") else None


def parse(text: str, name: str, english: list[Block] | None = None) -> list[Block]:
    """The fenced blocks of a page, each with the marker on the line before its fence; a Chinese
    page's block takes the marker of its English page's block at the same place."""
    out: list[Block] = []
    for m in FENCE.finditer(text):
        before = text[:m.start()].rstrip("\n").rsplit("\n", 1)[-1]
        marker = MARKER.match(before.strip())
        title = TITLE.search(m["info"])
        out.append(Block(name, text.count("\n", 0, m.start()) + 1, m["lang"],
                         title["title"] if title else None, m["body"],
                         (marker["kind"], marker["reason"]) if marker else None))
    if english is not None and len(english) == len(out):
        out = [b if b.marker or e.marker is None else Block(**{**vars(b), "marker": e.marker})
               for b, e in zip(out, english, strict=True)]
    return out


def page_blocks(name: str) -> list[Block]:
    english = english_of(name)
    return parse((ROOT / name).read_text(encoding="utf-8"), name,
                 page_blocks(english) if english and (ROOT / english).is_file() else None)


def short(name: str) -> str:
    """A page's name as test_docs knows it: docs/cli.zh.md → cli.zh.md."""
    return name.removeprefix("docs/")


# -- what each block is --------------------------------------------------------------------------


def signature(block: Block) -> ast.FunctionDef | None:
    """The function a Python block shows the signature of, if it is a signature and not code."""
    try:
        compile(block.body, block.where, "exec")
        return None  # code: it runs
    except SyntaxError:
        pass
    for source in (block.body.rstrip() + "\n    ...\n", "def " + block.body.strip() + ":\n    ...\n"):
        with contextlib.suppress(SyntaxError):
            tree = ast.parse(source)
            if len(tree.body) == 1 and isinstance(tree.body[0], ast.FunctionDef):
                return tree.body[0]
    return None


def _stripped(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def excerpt_of(block: Block, blocks: list[Block]) -> Block | None:
    """The file block of the same page that holds this block's lines, in order, if any."""
    lines = _stripped(block.body)
    for other in blocks:
        if other.is_file and other is not block:
            have = _stripped(other.body)
            if any(have[i:i + len(lines)] == lines for i in range(len(have) - len(lines) + 1)):
                return other
    return None


def kind(block: Block, blocks: list[Block]) -> str:
    """What the tests do with a block: one word, used in the messages and by the tests below."""
    if block.marker and block.marker[0] == "not-run":
        return "not-run"
    if block.lang == "toml":
        return "invalid-toml" if block.marker else "toml"
    if block.lang == "python":
        if block.is_file:
            return "file"
        if block.title == "Example" and short(block.page) in HOOK_PAGES:
            return "hook-example"
        if signature(block) is not None:
            return "signature"
        if excerpt_of(block, blocks) is not None:
            return "excerpt"
        return "python"
    if block.lang == "pycon":
        return "pycon"
    if block.lang in SHELLS:
        return "commands"
    if block.lang in NOT_CODE:
        return "text"
    return "unknown"


def all_blocks() -> Iterator[tuple[Block, str]]:
    for name in pages():
        blocks = page_blocks(name)
        for block in blocks:
            yield block, kind(block, blocks)


# -- the commands --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    block: Block
    text: str  # the command line, its comment dropped
    expected: list[str] | None  # the output a console block shows; None in a sh block


def command_lines(block: Block) -> list[Line]:
    """The commands of a console or sh block (a line continued with a backslash is one line)."""
    out: list[Line] = []
    if block.lang == "console":
        for line in block.body.splitlines():
            if line.startswith("$ "):
                out.append(Line(block, line[2:], []))
            elif out and out[-1].expected is not None:
                out[-1].expected.append(line)
        return out
    text = re.sub(r"\\\n", " ", block.body)
    for line in text.splitlines():
        words = shlex.split(line, comments=True)
        if words:
            out.append(Line(block, shlex.join(words), None))
    return out


def program(line: str) -> tuple[str, str]:
    """How a command line is treated, and the line to run: ("evalcore", ``evalcore ...`` with any
    VAR=value first), ("setup", line), ("pytest", line) or ("unknown", line)."""
    words = shlex.split(line, comments=True)
    env = []
    while words and re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", words[0]):
        env.append(words.pop(0))
    if not words:
        return "unknown", line
    first = words[0]
    if re.fullmatch(r"(\S*/)?python3?", first) and words[1:2] == ["-m"]:
        if words[2:3] == ["evalcore"]:
            return "evalcore", shlex.join([*env, "evalcore", *words[3:]])
        if words[2:3] in (["venv"], ["pip"]):
            return "setup", line
        if words[2:3] == ["pytest"]:
            return "pytest", line
        return "unknown", line
    if first == "evalcore" or first.endswith("/evalcore"):
        return "evalcore", shlex.join([*env, "evalcore", *words[1:]])
    if first in SETUP:
        return "setup", line
    if first == "pytest":
        return "pytest", line
    return "unknown", line


def lines_run_here() -> list[Line]:
    """The evalcore command lines that this module runs (test_docs runs the others)."""
    out = []
    for block, what in all_blocks():
        if what != "commands":
            continue
        if block.lang == "console" and short(block.page) in CONSOLE_RUN_BY_TEST_DOCS:
            continue
        out += [line for line in command_lines(block) if program(line.text)[0] == "evalcore"]
    return out


def scratch_clone(tmp_path: Path, blocks: list[Block] | None = None) -> Path:
    """A folder laid out as the root of a clone (examples/, tests/golden/, the Excel and Word
    tables of tests/fixtures/tables/) with the files the page shows (its blocks titled with a
    path)."""
    folder = with_examples(tmp_path)
    shutil.copytree(ROOT / "tests" / "golden", folder / "tests" / "golden")
    shutil.copytree(ROOT / "tests" / "fixtures" / "tables", folder / "tests" / "fixtures" / "tables")
    shutil.copytree(ROOT / "tests" / "fixtures" / "audit", folder / "tests" / "fixtures" / "audit")
    shutil.copytree(ROOT / "tests" / "fixtures" / "framework", folder / "tests" / "fixtures" / "framework")
    shutil.copytree(ROOT / "tests" / "fixtures" / "monitoring",
                    folder / "tests" / "fixtures" / "monitoring")
    for block in blocks or []:
        if block.is_file and block.title:
            path = folder / block.title
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(block.body, encoding="utf-8")
    return folder


# -- the checkers (the tests below run them on the pages, and on broken blocks) -------------------


def check_toml(block: Block) -> None:
    try:
        tomllib.loads(block.body)
    except tomllib.TOMLDecodeError as exc:
        if block.marker is None:
            raise AssertionError(f"{block.where}: not valid TOML: {exc}\n{block.body}") from exc
        return
    if block.marker is not None:
        raise AssertionError(f"{block.where} is marked invalid-toml ({block.marker[1]}) but parses")


def run_python(blocks: list[Block], cwd: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run a page's Python blocks (of kind python) in order in one namespace, in ``cwd``."""
    namespace: dict[str, object] = {"__name__": "__docs_block__"}
    monkeypatch.chdir(cwd)
    for block in blocks:
        try:
            code = compile("\n" * block.line + block.body, block.page, "exec")  # the page's line numbers
            with contextlib.redirect_stdout(io.StringIO()):
                exec(code, namespace)
        except Exception as exc:  # any error of a block fails its page
            raise AssertionError(f"the Python block at {block.where} raised {type(exc).__name__}: {exc}\n"
                                 + "".join(traceback.format_exception(exc))) from exc


PUBLIC = ("evalcore", "evalcore.plugin", "evalcore.testing", "evalcore.golden")


def _parameters(node: ast.FunctionDef) -> list[str]:
    args = node.args
    names = [a.arg for a in (*args.posonlyargs, *args.args)]
    names += [args.vararg.arg] if args.vararg else []
    names += [a.arg for a in args.kwonlyargs]
    return names + ([args.kwarg.arg] if args.kwarg else [])


def check_signature(block: Block) -> None:
    node = signature(block)
    assert node is not None, f"{block.where} is not a signature"
    decorators = [ast.unparse(d) for d in node.decorator_list]
    function: Callable[..., object] | None
    if decorators == ["hookspec"]:
        function = getattr(hookspecs, node.name, None)
    else:
        function = next((getattr(importlib.import_module(m), node.name) for m in PUBLIC
                         if hasattr(importlib.import_module(m), node.name)), None)
    assert function is not None, f"{block.where}: {node.name} is not a hook or a public function"
    assert _parameters(node) == list(inspect.signature(function).parameters), \
        f"{block.where}: the parameters of {node.name} are not the function's"


# -- the tests -----------------------------------------------------------------------------------


def test_every_block_of_every_page_is_of_a_known_kind():
    unknown = [f"{b.where}: ```{b.lang}" for b, what in all_blocks() if what == "unknown"]
    assert unknown == [], "blocks in a language nobody runs (see this module's docstring)"
    for name in pages():  # a fence the reader misses (indented, ~~~) would escape every check
        fences = sum(1 for line in (ROOT / name).read_text(encoding="utf-8").splitlines()
                     if FENCE_LINE.match(line))
        assert fences == 2 * len(page_blocks(name)), f"{name}: a fence that is not at a line's start"


def test_the_blocks_marked_not_run_are_the_listed_ones():
    marked = {(b.page, b.first_line): b.marker[1] for b, _ in all_blocks()
              if b.marker and b.marker[0] == "not-run" and english_of(b.page) is None}
    assert marked == NOT_RUN


def test_every_command_line_is_run_or_known_not_to_be():
    unknown = [f"{line.block.where}: {line.text}" for b, what in all_blocks() if what == "commands"
               for line in command_lines(b) if program(line.text)[0] == "unknown"]
    assert unknown == [], "commands that nobody runs: run them, or add them to SETUP with a reason"
    pytest_lines = [f"{b.where}" for b, what in all_blocks() if what == "commands"
                    for line in command_lines(b) if program(line.text)[0] == "pytest"
                    and not (b.lang == "console" and short(b.page) in {*TUTORIAL_PAGES, *TESTING_PAGES})]
    assert pytest_lines == [], "pytest runs that test_docs does not make"


def test_every_file_block_is_run_by_test_docs_and_compiles():
    for block, what in all_blocks():
        if what == "file":
            assert short(block.page) in FILES_RUN_BY_TEST_DOCS, f"{block.where}: a file nobody runs"
            compile(block.body, block.where, "exec")


def test_pycon_blocks_are_run_by_test_docs():
    pages_with_pycon = {short(b.page) for b, what in all_blocks() if what == "pycon"}
    assert pages_with_pycon <= set(PYCON_PAGES)


@pytest.mark.parametrize("name", pages())
def test_the_toml_blocks_of_a_page_parse(name):
    for block in page_blocks(name):
        if block.lang == "toml" and not (block.marker and block.marker[0] == "not-run"):
            check_toml(block)


def python_blocks(name: str) -> list[Block]:
    """The blocks of a page that run as Python here (of kind python), in order."""
    blocks = page_blocks(name)
    return [b for b in blocks if kind(b, blocks) == "python"]


@pytest.mark.parametrize("name", [name for name in pages() if python_blocks(name)])
def test_the_python_blocks_of_a_page_run(name, tmp_path, monkeypatch):
    run_python(python_blocks(name), scratch_clone(tmp_path, page_blocks(name)), monkeypatch)


@pytest.mark.parametrize("name", pages())
def test_the_signatures_of_a_page_are_the_functions(name):
    blocks = page_blocks(name)
    for block in blocks:
        if kind(block, blocks) == "signature":
            check_signature(block)


@pytest.mark.parametrize("line", lines_run_here(), ids=lambda line: f"{line.block.where}: {line.text}")
def test_the_evalcore_commands_of_the_pages_run(line, tmp_path, monkeypatch, capsys):
    """In a scratch clone: 0 for a command of a sh block; as its output implies in a console block."""
    folder = scratch_clone(tmp_path, page_blocks(line.block.page))
    run = program(line.text)[1]
    if line.expected is None:
        status, output = run_cli(run, folder, monkeypatch, capsys)
        assert status == 0, f"{line.block.where}: `{line.text}` exits {status}:\n{output}"
    else:
        check_command(Command(run, line.expected), folder, monkeypatch, capsys)


# -- the checkers fail what they must fail ---------------------------------------------------------

BROKEN_TOUR = '''\
```python
import evalcore

scheme = evalcore.load_scheme("examples/shared-scheme/scheme.toml")   # one scheme ...
plan = evalcore.compile(scheme)                                      # ... parsed and bound once
results = plan.evaluate_many(projects)                               # ... many projects, lazily
```
'''


def test_a_python_block_that_raises_fails(tmp_path, monkeypatch):
    """The README's tour once used ``projects`` without defining it: such a block fails its page."""
    blocks = parse(BROKEN_TOUR, "README.md")
    assert [kind(b, blocks) for b in blocks] == ["python"]
    with pytest.raises(AssertionError, match=r"README.md:1 raised NameError: name 'projects' is not defined"):
        run_python(blocks, scratch_clone(tmp_path), monkeypatch)


def test_a_python_block_may_use_an_earlier_block_of_its_page_only(tmp_path, monkeypatch):
    text = "```python\nx = 1\n```\n\n```python\nassert x == 1\n```\n"
    run_python(parse(text, "page.md"), tmp_path, monkeypatch)
    with pytest.raises(AssertionError, match="NameError"):
        run_python(parse(text, "page.md")[1:], tmp_path, monkeypatch)


def test_a_toml_block_must_parse_unless_marked_invalid():
    good, bad = 'a = "x"\n', 'a = "x\n'
    check_toml(parse(f"```toml\n{good}```\n", "p.md")[0])
    with pytest.raises(AssertionError, match="not valid TOML"):
        check_toml(parse(f"```toml\n{bad}```\n", "p.md")[0])
    check_toml(parse(f"<!-- invalid-toml: the quote is not closed -->\n```toml\n{bad}```\n", "p.md")[0])
    with pytest.raises(AssertionError, match="marked invalid-toml"):
        check_toml(parse(f"<!-- invalid-toml: wrong -->\n```toml\n{good}```\n", "p.md")[0])


def test_a_signature_must_be_the_real_one():
    hook = "```python\n@hookspec\ndef evalcore_categories() -> list[Category]:\n```\n"
    check_signature(parse(hook, "p")[0])
    with pytest.raises(AssertionError, match="not the function's"):
        check_signature(parse("```python\ncheck_rule_laws(rule, *, registry=None)\n```\n", "p")[0])
    with pytest.raises(AssertionError, match="not a hook or a public function"):
        check_signature(parse("```python\n@hookspec\ndef evalcore_nothing(x) -> None:\n```\n", "p")[0])


def test_a_command_that_fails_fails(tmp_path, monkeypatch, capsys):
    (line,) = command_lines(parse("```sh\n.venv/bin/evalcore validate nothing.toml  # gone\n```\n", "p")[0])
    assert program(line.text) == ("evalcore", "evalcore validate nothing.toml")
    status, _ = run_cli(program(line.text)[1], scratch_clone(tmp_path), monkeypatch, capsys)
    assert status == 2
    assert program("make demo")[0] == program("pip install -e .")[0] == "setup"
    assert program("python -m evalcore plugins") == ("evalcore", "evalcore plugins")
    assert program("rm -rf build")[0] == "unknown"


def test_a_chinese_page_takes_the_markers_of_its_english_page():
    english = parse("<!-- not-run: a placeholder -->\n```python\nMyPlugin()\n```\n", "docs/x.md")
    chinese = parse("```python\nMyPlugin()\n```\n", "docs/x.zh.md", english)
    assert chinese[0].marker == ("not-run", "a placeholder")
    assert kind(chinese[0], chinese) == "not-run"
