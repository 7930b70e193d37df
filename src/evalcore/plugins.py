"""Finding and loading plugins.

`get_plugin_manager` is a factory, not a module global, so tests can
build isolated managers. Plugins come from the ``evalcore`` entry-point group
(the built-in ones included); the environment variable ``EVALCORE_PLUGINS``
names the entry points to load (comma-separated) when only some are wanted.

The built-in plugins cannot silently disappear. Their package
(`BUILTIN_PACKAGE`) lists them in ``PLUGINS`` (entry-point name → module),
the same table as the ``[project.entry-points.evalcore]`` of evalcore's
``pyproject.toml``. When the installed metadata lacks some of them, or names
built-in modules that no longer exist (an editable install made before a
module was added or renamed, a broken wheel), the missing ones are registered
directly, under their entry-point names, with a `FallbackWarning` saying how
to repair the installation. The engine knows the package's name and nothing
else about it: which categories and rules exist is the package's business.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

import functools
import importlib
import importlib.metadata
import importlib.util
import os
import sys
import warnings
from collections.abc import Iterable, Iterator, Mapping
from types import ModuleType
from typing import TYPE_CHECKING

import pluggy

from . import hookspecs
from ._version import DISTRIBUTION
from .errors import PluginError, Problem, exception_text

if TYPE_CHECKING:
    from .registry import Registry

__all__ = ["BUILTIN_PACKAGE", "ENV_VAR", "FallbackWarning", "default_registry", "get_plugin_manager"]

ENV_VAR = "EVALCORE_PLUGINS"

BUILTIN_PACKAGE = "evalcore_builtin"
"""The package of the default plugins. Its ``PLUGINS`` mapping (entry-point name → module) is
what a complete installation registers through entry points, and what `get_plugin_manager`
registers itself when the entry points lack some of it."""

REPAIR = (f"reinstall evalcore: pip install -e . in a clone, pip install --force-reinstall {DISTRIBUTION} "
          "otherwise")


class FallbackWarning(UserWarning):
    """Built-in plugins were registered without their entry points: evalcore's installed metadata
    is stale (an editable install older than the code, a broken wheel). Everything still works;
    the warning says which plugins were affected and how to reinstall."""


def get_plugin_manager(
    *, entry_points: bool = True, plugins: Iterable[ModuleType | object] = (),
    only: Iterable[str] | None = None,
) -> pluggy.PluginManager:
    """A new plugin manager with evalcore's hooks.

    ``entry_points`` loads the installed plugins: all of them, or the names
    in ``EVALCORE_PLUGINS`` when it is set, or the names in ``only`` (which
    wins over both). A built-in plugin among those that has no entry point is
    registered anyway, with a `FallbackWarning`; with ``entry_points=False``
    (and no ``only``) nothing is loaded, built-ins included. ``plugins``
    registers extra plugin objects or modules directly, e.g. in a test.
    """
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    if entry_points or only is not None:
        fallback = _load_installed(pm, _wanted(only))
        if fallback:
            warnings.warn(FallbackWarning(fallback), stacklevel=2)
    for plugin in plugins:
        _register(pm, plugin, _free_name(getattr(plugin, "__name__", None) or type(plugin).__name__, pm))
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError([Problem(f"{exc}; hook names start with 'evalcore_'")]) from None
    return pm


def _wanted(only: Iterable[str] | None) -> list[str] | None:
    """The entry-point names asked for (``only``, else ``EVALCORE_PLUGINS``), or None for all."""
    if only is not None:
        return list(only)
    if os.environ.get(ENV_VAR) is not None:
        return [n.strip() for n in os.environ[ENV_VAR].split(",") if n.strip()]
    return None


def _load_installed(pm: pluggy.PluginManager, wanted: list[str] | None) -> str | None:
    """Load the wanted entry points (all when None), then the built-ins they left out.

    Returns the text of the warning to give when the built-ins' entry points were incomplete.
    An entry point naming a built-in module that no longer exists is skipped, not imported (it
    would be an ImportError); a wanted name that is neither installed nor built in is an error.
    """
    builtins = _builtin_plugins()
    installed = list(_installed_entry_points())
    stale = [ep for ep in installed if _is_stale(ep) and (wanted is None or ep.name in wanted)]
    stale_names = {ep.name for ep in stale}
    try:
        if wanted is None and not stale:
            pm.load_setuptools_entrypoints(hookspecs.PROJECT)  # the usual case: one pass
        else:
            for name in wanted if wanted is not None else dict.fromkeys(ep.name for ep in installed):
                loaded = name not in stale_names and pm.load_setuptools_entrypoints(hookspecs.PROJECT, name)
                if not loaded and wanted is not None and name not in builtins:
                    raise PluginError([Problem(f"no installed plugin is called {name!r}",
                                               hint=_entry_point_hint(name))])
    except pluggy.PluginValidationError as exc:
        raise PluginError([Problem(f"plugin {exc.plugin!r} is invalid: {exc}")]) from None
    except ImportError as exc:
        raise PluginError([Problem(f"an installed plugin cannot be imported: {exception_text(exc)}",
                                   hint="reinstall the distribution that provides it")]) from None
    missing = {n: m for n, m in builtins.items()
               if (wanted is None or n in wanted) and not _is_registered(pm, m)}
    for name, module in missing.items():
        _register(pm, _import_builtin(module), _free_name(name, pm))
    return _fallback_message(missing, stale) if missing or stale else None


def _builtin_plugins() -> Mapping[str, str]:
    """`BUILTIN_PACKAGE`'s ``PLUGINS`` (entry-point name → module); empty when it is not installed."""
    try:
        package = importlib.import_module(BUILTIN_PACKAGE)
    except ImportError:
        return {}
    return dict(getattr(package, "PLUGINS", {}))


def _installed_entry_points() -> Iterator[importlib.metadata.EntryPoint]:
    """The ``evalcore`` entry points of every installed distribution, in the order pluggy loads them."""
    for dist in importlib.metadata.distributions():
        yield from (ep for ep in dist.entry_points if ep.group == hookspecs.PROJECT)


def _is_stale(ep: importlib.metadata.EntryPoint) -> bool:
    """Whether an entry point names a module of the built-in package that does not exist."""
    if ep.module != BUILTIN_PACKAGE and not ep.module.startswith(BUILTIN_PACKAGE + "."):
        return False
    try:
        return importlib.util.find_spec(ep.module) is None
    except ImportError:  # the package itself is gone
        return True


def _is_registered(pm: pluggy.PluginManager, module: str) -> bool:
    plugin = sys.modules.get(module)
    return plugin is not None and pm.is_registered(plugin)


def _import_builtin(module: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise PluginError([Problem(f"the built-in plugin {module} cannot be imported: "
                                   f"{exception_text(exc)}", hint=REPAIR)]) from None


def _fallback_message(missing: Mapping[str, str], stale: list[importlib.metadata.EntryPoint]) -> str:
    parts = []
    if missing:
        parts.append("the built-in plugins " + ", ".join(f"{n} ({m})" for n, m in missing.items())
                     + " have no entry point in the installed metadata and were registered directly")
    if stale:
        parts.append("the entry points " + ", ".join(f"{ep.name} = {ep.value}" for ep in stale)
                     + " name built-in modules that do not exist and were ignored")
    return "evalcore's installed metadata is stale: " + "; ".join(parts) + f" ({REPAIR})"


def _register(pm: pluggy.PluginManager, plugin: object, name: str) -> None:
    try:
        pm.register(plugin, name=name)
    except pluggy.PluginValidationError as exc:
        raise PluginError([Problem(f"plugin {exc.plugin!r} is invalid: {exc}")]) from None


def _free_name(base: str, pm: pluggy.PluginManager) -> str:
    """``base``, or ``base-2``, ``base-3`` ... when a plugin of that name is already registered."""
    name, n = base, 1
    while pm.get_plugin(name) is not None or pm.is_blocked(name):
        n += 1
        name = f"{base}-{n}"
    return name


def _entry_point_hint(name: str) -> str | None:
    from .errors import suggest

    return suggest(name, [ep.name for ep in _installed_entry_points()])


@functools.lru_cache(maxsize=1)
def default_registry() -> Registry:
    """The registry of the installed plugins, built once per process."""
    from .registry import Registry

    return Registry.from_plugins(get_plugin_manager())
