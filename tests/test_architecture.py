"""The architecture holds: no import cycle inside the engine, and plugins use only the plugin API.

The engine's modules import one another in one direction (load → build →
compile → evaluate → render); a cycle is where that starts to slip, so the
import graph of `src/evalcore` is checked here. Every import counts: one
inside a function or under ``if TYPE_CHECKING:`` hides a cycle, it does not
remove it (two modules that need each other's types are one idea split in
two, or a third module's job).

The built-in plugins, the example PEFA distribution and the plugin tutorial
are what a third-party author copies, so they import from `evalcore` and
`evalcore.plugin` only (the tutorial's test file may use `evalcore.testing`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENGINE = ROOT / "src" / "evalcore"
PLUGIN_SOURCES = [ROOT / "plugins" / "evalcore_builtin",
                  ROOT / "examples" / "plugins" / "evalcore-pefa" / "src"]
ALLOWED = {"evalcore", "evalcore.plugin"}
ALLOWED_IN_TESTS = ALLOWED | {"evalcore.testing"}


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement of a module: at the top, in functions, under TYPE_CHECKING."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node


def _module_name(path: Path) -> str:
    parts = path.relative_to(ENGINE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _engine_graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in ENGINE.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join([*package.split(".")[:len(package.split(".")) - node.level + 1],
                                     *([base] if base else [])])
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base
                           for a in node.names]
            else:
                targets = [a.name for a in node.names]
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` (its modules in order, the first repeated), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_the_engine_has_no_import_cycle():
    # The package's __init__ imports everything it re-exports; it takes no part in a cycle.
    graph = {m: {t for t in ts if t != "evalcore"} for m, ts in _engine_graph().items()}
    assert _cycle(graph) is None, " → ".join(_cycle(graph) or [])


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_the_graph_sees_relative_lazy_and_type_checking_imports():
    graph = _engine_graph()
    assert "evalcore.evaluation" in graph["evalcore.compiler"]  # from .evaluation import ...
    assert "evalcore.golden" in graph["evalcore.cli"]  # imported inside a function
    assert "evalcore.registry" in graph["evalcore.hookspecs"]  # only under TYPE_CHECKING


def _evalcore_imports(source: str) -> Iterator[tuple[int, str]]:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
            if node.module == "evalcore":  # `from evalcore import plugin` names a module too
                names += [f"evalcore.{a.name}" for a in node.names if a.name.islower()
                          and a.name not in {"compile", "evaluate", "render", "validate"}
                          and not a.name.startswith(("load_", "get_", "default_"))]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        yield from ((node.lineno, n) for n in names if n.split(".")[0] == "evalcore")


def _plugin_files() -> Iterator[Path]:
    for root in PLUGIN_SOURCES:
        yield from sorted(root.rglob("*.py"))


@pytest.mark.parametrize("path", list(_plugin_files()), ids=lambda p: str(p.relative_to(ROOT)))
def test_plugins_import_only_the_public_surfaces(path: Path):
    wrong = [f"{path.name}:{line}: {name}" for line, name in _evalcore_imports(path.read_text("utf-8"))
             if name not in ALLOWED]
    assert not wrong, "import from evalcore or evalcore.plugin only:\n" + "\n".join(wrong)


def test_the_plugin_tutorial_imports_only_the_public_surfaces():
    page = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python[^\n]*\n(.*?)```", page, flags=re.S)
    assert blocks
    wrong = [name for block in blocks for _, name in _evalcore_imports(block)
             if name not in ALLOWED_IN_TESTS]
    assert not wrong, wrong


def test_the_import_check_can_fail():
    source = ("from evalcore.numbers import to_decimal\n"
              "import evalcore.registry\n"
              "from evalcore import plugin\n")
    assert [n for _, n in _evalcore_imports(source)] == ["evalcore.numbers", "evalcore.registry",
                                                          "evalcore", "evalcore.plugin"]


PUBLIC_MODULES = {"__init__", "__main__", "_version", "plugin", "testing", "golden", "pytest_plugin",
                  "dask"}


@pytest.mark.parametrize("path", sorted(ENGINE.glob("*.py")), ids=lambda p: p.name)
def test_every_engine_module_says_it_is_one(path: Path):
    """A newcomer reading any module learns whether it is a public surface: the public ones are
    evalcore, evalcore.plugin, evalcore.testing and evalcore.golden; every other module's
    docstring says it is the engine's own."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    if path.stem in PUBLIC_MODULES:
        assert "Engine module" not in doc
    else:
        assert "Engine module" in doc, f"{path.name}: say in the docstring that it is an engine module"
