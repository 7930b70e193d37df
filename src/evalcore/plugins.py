"""Finding and loading plugins.

`get_plugin_manager` is a factory, not a module global, so tests can
build isolated managers. Plugins come from the ``evalcore`` entry-point group
(the built-in ones included); the environment variable ``EVALCORE_PLUGINS``
names the entry points to load (comma-separated) when only some are wanted.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from types import ModuleType
from typing import TYPE_CHECKING

import pluggy

from . import hookspecs
from .errors import PluginError, Problem

if TYPE_CHECKING:
    from .registry import Registry

__all__ = ["ENV_VAR", "default_registry", "get_plugin_manager"]

ENV_VAR = "EVALCORE_PLUGINS"


def get_plugin_manager(
    *, entry_points: bool = True, plugins: Iterable[ModuleType | object] = (),
    only: Iterable[str] | None = None,
) -> pluggy.PluginManager:
    """A new plugin manager with evalcore's hooks.

    ``entry_points`` loads the installed plugins: all of them, or the names
    in ``EVALCORE_PLUGINS`` when it is set, or the names in ``only`` (which
    wins over both). ``plugins`` registers extra plugin objects or modules
    directly, e.g. in a test.
    """
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    wanted: list[str] | None = None
    if only is not None:
        wanted = list(only)
    elif os.environ.get(ENV_VAR) is not None:
        wanted = [n.strip() for n in os.environ[ENV_VAR].split(",") if n.strip()]
    if entry_points or only is not None:
        try:
            if wanted is None:
                pm.load_setuptools_entrypoints(hookspecs.PROJECT)
            else:
                for name in wanted:
                    if not pm.load_setuptools_entrypoints(hookspecs.PROJECT, name=name):
                        raise PluginError([Problem(f"no installed plugin is called {name!r}",
                                                   hint=_entry_point_hint(name))])
        except pluggy.PluginValidationError as exc:
            raise PluginError([Problem(f"plugin {exc.plugin!r} is invalid: {exc}")]) from None
    for plugin in plugins:
        try:
            pm.register(plugin, name=_plugin_name(plugin, pm))
        except pluggy.PluginValidationError as exc:
            raise PluginError([Problem(f"plugin {exc.plugin!r} is invalid: {exc}")]) from None
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError([Problem(f"{exc}; hook names start with 'evalcore_'")]) from None
    return pm


def _plugin_name(plugin: object, pm: pluggy.PluginManager) -> str:
    """A readable name for a plugin registered directly: its module's or class's name."""
    base = getattr(plugin, "__name__", None) or type(plugin).__name__
    name, n = base, 1
    while pm.get_plugin(name) is not None or pm.is_blocked(name):
        n += 1
        name = f"{base}-{n}"
    return name


def _entry_point_hint(name: str) -> str | None:
    from importlib.metadata import entry_points

    from .errors import suggest

    return suggest(name, [ep.name for ep in entry_points(group=hookspecs.PROJECT)])


@functools.lru_cache(maxsize=1)
def default_registry() -> Registry:
    """The registry of the installed plugins, built once per process."""
    from .registry import Registry

    return Registry.from_plugins(get_plugin_manager())

