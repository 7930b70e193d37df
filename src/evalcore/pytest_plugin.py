"""evalcore's pytest plugin (entry point ``pytest11``): fixtures and golden-case collection.

Loaded by pytest in any project where evalcore is installed, so it imports
nothing of evalcore until a fixture or a golden file needs it.

- Fixtures: ``evalcore_registry`` (the installed plugins' registry) and
  ``evalcore_make_registry`` (a factory for an isolated registry of chosen
  plugins: entry-point names and/or plugin objects).
- Golden cases: every ``*.toml`` file in a folder named ``golden``, or below
  one (the ini option ``evalcore_golden_dirs`` changes the names), is collected; each
  ``[[case]]`` is a test item (see `evalcore.golden`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .golden import GoldenCase
    from .registry import Registry


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("evalcore_golden_dirs", "names of folders whose TOML files are evalcore golden "
                  "cases", type="args", default=["golden"])


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    names = parent.config.getini("evalcore_golden_dirs")
    if file_path.suffix == ".toml" and any(folder.name in names for folder in file_path.parents):
        return GoldenFile.from_parent(parent, path=file_path)
    return None


class GoldenFile(pytest.File):
    """A golden-case file: one test item per ``[[case]]``."""

    def collect(self) -> Iterator[pytest.Item]:
        from .golden import load_cases

        for case in load_cases(self.path):
            yield GoldenItem.from_parent(self, name=case.name, case=case)


class GoldenFailure(Exception):
    """A golden case gave another result than the one it states."""


class GoldenItem(pytest.Item):
    """One golden case, run against the installed plugins."""

    def __init__(self, *, case: GoldenCase, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        from .golden import run_case
        from .plugins import default_registry

        failures = run_case(self.case, default_registry())
        if failures:
            raise GoldenFailure("\n".join(failures))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str:
        if isinstance(excinfo.value, GoldenFailure):
            return f"golden case {self.case.id!r} failed:\n{excinfo.value}"
        return str(super().repr_failure(excinfo, style))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, self.case.origin.line, f"golden: {self.name}"


@pytest.fixture
def evalcore_registry() -> Registry:
    """The registry of the installed plugins (built once per process)."""
    from .plugins import default_registry

    return default_registry()


@pytest.fixture
def evalcore_make_registry() -> Callable[..., Registry]:
    """A factory for an isolated registry: ``make(*plugins, entry_points=("units", ...))``.

    ``entry_points`` names the installed plugins to load (none by default);
    ``plugins`` are plugin objects or modules registered directly.
    """
    from .plugins import get_plugin_manager
    from .registry import Registry

    def make(*plugins: object, entry_points: tuple[str, ...] | list[str] = ()) -> Registry:
        return Registry.from_plugins(get_plugin_manager(only=entry_points, plugins=plugins))

    return make
