"""Finding and loading plugins.

:func:`get_plugin_manager` is a factory, not a module global, so tests can
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
    *, entry_points: bool = True, plugins: Iterable[ModuleType | object] = ()
) -> pluggy.PluginManager:
    """A new plugin manager with evalcore's hooks.

    ``entry_points`` loads the installed plugins (filtered by
    ``EVALCORE_PLUGINS`` when it is set); ``plugins`` registers extra plugin
    objects or modules directly, e.g. in a test.
    """
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    if entry_points:
        wanted = os.environ.get(ENV_VAR)
        try:
            if wanted is None:
                pm.load_setuptools_entrypoints(hookspecs.PROJECT)
            else:
                for name in (n.strip() for n in wanted.split(",")):
                    if name:
                        pm.load_setuptools_entrypoints(hookspecs.PROJECT, name=name)
        except pluggy.PluginValidationError as exc:
            raise PluginError([Problem(f"plugin {exc.plugin!r} is invalid: {exc}")]) from None
    for plugin in plugins:
        try:
            pm.register(plugin)
        except pluggy.PluginValidationError as exc:
            raise PluginError([Problem(f"plugin {exc.plugin!r} is invalid: {exc}")]) from None
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError([Problem(f"{exc}; hook names start with 'evalcore_'")]) from None
    return pm


@functools.lru_cache(maxsize=1)
def default_registry() -> Registry:
    """The registry of the installed plugins, built once per process."""
    from .registry import Registry

    return Registry.from_plugins(get_plugin_manager())

