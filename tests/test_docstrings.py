"""The docstrings are Markdown, as the API reference renders them: no reStructuredText markup.

mkdocstrings renders docstrings as Markdown (the ``sphinx`` docstring style, for the hook
specifications' ``:param name:`` / ``:returns:`` fields, which pytest's hook docs use too). A
reStructuredText role (``:class:`X```) or a literal block introduced by a line ending in ``::``
would be shown raw on the site, so neither may appear in a docstring under ``src/`` or
``plugins/``: name an object in backticks (```X```) and fence an example (```` ```python ````).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(p for folder in ("src", "plugins") for p in (ROOT / folder).rglob("*.py"))

ROLE = re.compile(r":(?:py:)?(?:class|func|meth|mod|attr|exc|data|obj|const|ref):`")
LITERAL_BLOCK = re.compile(r"::[ \t]*$", re.M)


def docstrings(source: str) -> Iterator[tuple[int, str]]:
    """(line, text) of every docstring of a module: the module's, each class's and function's,
    and the attribute docstrings (a string statement, which mkdocstrings shows too)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) \
                and isinstance(node.value.value, str):
            yield node.lineno, node.value.value


def raw_markup(source: str) -> list[str]:
    """What of a module's docstrings would be shown raw: ``line: markup``."""
    found = []
    for line, text in docstrings(source):
        for m in ROLE.finditer(text):
            found.append(f"{line + text.count(chr(10), 0, m.start())}: role {m.group()}")
        for m in LITERAL_BLOCK.finditer(text):
            found.append(f"{line + text.count(chr(10), 0, m.start())}: literal block '::'")
    return found


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_restructuredtext_markup_in_docstrings(path: Path) -> None:
    assert raw_markup(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("docstring", [
    "See :class:`Plan`.",
    "Calls :func:`evalcore.evaluate`.",
    "Uses :meth:`Registry.profile` first.",
    "Lives in :mod:`evalcore.plugin`.",
    "Reads :attr:`Row.score`.",
    "Raises :py:exc:`LoadError`.",
    "For example::\n\n    evalcore.evaluate(project)\n",
])
def test_the_check_finds_raw_markup(docstring: str) -> None:
    """It can fail: a module, a class, a method and an attribute docstring, each with one piece."""
    for source in (f'"""{docstring}"""\n',
                   f'class C:\n    """{docstring}"""\n',
                   f'class C:\n    def m(self):\n        """{docstring}"""\n',
                   f'x = 1\n"""{docstring}"""\n'):
        assert len(raw_markup(source)) == 1, source


def test_the_check_leaves_markdown_alone() -> None:
    clean = '"""Backticks `Plan`, ``literal``, a field :param x: and a fence:\n\n```python\nx = 1\n```\n"""\n'
    assert raw_markup(clean) == []
