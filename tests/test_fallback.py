"""The built-in plugins cannot silently disappear: one list of them, the entry points must match it,
and what stale entry points leave out is registered anyway, with a warning saying how to repair.

A stale installation is simulated by a throwaway ``evalcore`` dist-info and by pointing
``importlib.metadata.distributions`` (which pluggy and evalcore both read) at it alone.
"""

from __future__ import annotations

import ast
import importlib.metadata
import warnings
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT

import evalcore
from evalcore import PluginError
from evalcore.plugins import BUILTIN_PACKAGE, ENV_VAR, FallbackWarning, get_plugin_manager
from evalcore_builtin import PLUGINS

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

GANZHOU = EXAMPLES / "ganzhou-2021" / "project.toml"
Install = Callable[..., None]


@pytest.fixture
def no_warnings() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@pytest.fixture
def install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Install:
    """``install(entry_points, name=...)``: make a dist-info with these ``evalcore`` entry points the
    only installed distribution (several calls, several distributions)."""
    real = importlib.metadata.distributions
    site = tmp_path / "site-packages"
    site.mkdir()
    monkeypatch.setattr(importlib.metadata, "distributions", lambda **kw: real(path=[str(site)]))

    def make(entry_points: Mapping[str, str], name: str = "evalcore") -> None:
        info = site / f"{name}-0.1.0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1.0\n",
                                       encoding="utf-8")
        (info / "entry_points.txt").write_text(
            "[evalcore]\n" + "".join(f"{k} = {v}\n" for k, v in entry_points.items()), encoding="utf-8")

    return make


def stale(*, without: tuple[str, ...] = ("bands", "documents"),
          extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The built-ins' entry points as an install older than the code has them: some missing, and
    one naming a module since renamed."""
    old = {k: v for k, v in PLUGINS.items() if k not in without}
    return {**old, **({"tables": "evalcore_builtin.tables"} if extra is None else extra)}


# -- one list ----------------------------------------------------------------------------------------


def test_the_pyproject_entry_points_are_the_builtin_packages_list():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["entry-points"]["evalcore"] == dict(PLUGINS)


def test_every_public_module_of_the_builtin_package_is_in_the_list():
    modules = {f"{BUILTIN_PACKAGE}.{p.stem}" for p in (ROOT / "plugins" / BUILTIN_PACKAGE).glob("*.py")
               if not p.stem.startswith("_")}
    assert set(PLUGINS.values()) == modules


def test_this_installation_has_the_entry_points_of_the_list():
    installed = {ep.name: ep.value for ep in importlib.metadata.entry_points(group="evalcore")
                 if ep.module.startswith(BUILTIN_PACKAGE)}
    assert installed == dict(PLUGINS), "stale metadata: run `pip install -e .` (or `make setup`)"


def test_the_engine_knows_the_builtin_package_by_name_only():
    for path in (ROOT / "src" / "evalcore").rglob("*.py"):
        strings = {node.value for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                   if isinstance(node, ast.Constant) and isinstance(node.value, str)}
        named = [m for m in PLUGINS.values() if any(m in s for s in strings)]
        assert named == [], f"{path.name} names built-in modules"


# -- no fallback when nothing is missing --------------------------------------------------------------


def test_a_complete_installation_registers_every_builtin_through_its_entry_point_without_warning(
        no_warnings):
    pm = get_plugin_manager()
    for name, module in PLUGINS.items():
        assert pm.get_plugin(name) is importlib.import_module(module)
    assert {pm.get_name(p) for p, _ in pm.list_plugin_distinfo()} >= set(PLUGINS)


def test_no_fallback_without_entry_points(install, no_warnings):
    install(stale())
    registry = evalcore.Registry.from_plugins(get_plugin_manager(entry_points=False))
    assert registry.rules == {} and registry.renderers == {}


def test_a_builtin_not_asked_for_is_not_a_fallback(install, monkeypatch, no_warnings):
    install(stale())
    pm = get_plugin_manager(only=["units", "groups"])
    assert sorted(pm.get_name(p) for p in pm.get_plugins()) == ["groups", "units"]
    monkeypatch.setenv(ENV_VAR, "units,rules")
    pm = get_plugin_manager()
    assert sorted(pm.get_name(p) for p in pm.get_plugins()) == ["rules", "units"]
    assert get_plugin_manager(only=[]).get_plugins() == set()


# -- the fallback ---------------------------------------------------------------------------------------


def test_missing_builtins_are_registered_with_a_warning_that_says_how_to_repair(install):
    install(stale())
    with pytest.warns(FallbackWarning) as caught:
        pm = get_plugin_manager()
    (warning,) = caught
    message = str(warning.message)
    assert "bands (evalcore_builtin.bands), documents (evalcore_builtin.documents)" in message
    assert "tables = evalcore_builtin.tables" in message  # skipped, not an ImportError
    assert "reinstall evalcore: pip install -e ." in message
    assert pm.get_plugin("bands") is importlib.import_module("evalcore_builtin.bands")
    assert pm.get_plugin("tables") is None


def test_scoring_with_fallback_plugins_gives_the_same_results(registry, install):
    # `registry` (the installed plugins' registry) is built before `install` hides the metadata
    install(stale())
    with pytest.warns(FallbackWarning):
        fallback = evalcore.Registry.from_plugins(get_plugin_manager())
    assert fallback.rules["bands"].plugin == "bands"  # named as its entry point would name it
    assert fallback.renderers["html"].plugin == "documents"
    assert set(fallback.categories) == set(registry.categories)
    assert set(fallback.rules) == set(registry.rules) and set(fallback.renderers) == set(registry.renderers)
    result = evalcore.evaluate(evalcore.load_project(GANZHOU, registry=fallback), fallback)
    expected = evalcore.evaluate(evalcore.load_project(GANZHOU, registry=registry), registry)
    assert result.total == Decimal(97) and result.grade == "优"
    assert result.rows == expected.rows
    html = evalcore.render(result, "html", registry=fallback)
    assert isinstance(html, str) and "<table" in html


def test_a_builtin_asked_for_by_name_without_its_entry_point_is_a_fallback(install, monkeypatch):
    install(stale())
    monkeypatch.setenv(ENV_VAR, "units,bands")
    with pytest.warns(FallbackWarning, match=r"plugins bands \(evalcore_builtin.bands\) have") as caught:
        pm = get_plugin_manager()
    assert "documents" not in str(caught[0].message) and "tables" not in str(caught[0].message)
    assert sorted(pm.get_name(p) for p in pm.get_plugins()) == ["bands", "units"]


def test_a_builtin_entry_point_renamed_keeps_its_plugin_name(install):
    install({**PLUGINS, "profiles": "evalcore_builtin.profiles"})  # before profiles → profile_library
    with pytest.warns(FallbackWarning, match="profiles = evalcore_builtin.profiles name built-in modules"):
        pm = get_plugin_manager()
    assert pm.get_plugin("profiles") is importlib.import_module("evalcore_builtin.profile_library")


def test_a_third_party_plugin_beside_a_stale_install_still_loads(install, tmp_path, monkeypatch):
    install(stale())
    install({"innovation": "evalcore_innovation_fb"}, name="evalcore_innovation_fb")
    (tmp_path / "evalcore_innovation_fb.py").write_text(
        "from evalcore.plugin import Category, hookimpl\n\n\n@hookimpl\ndef evalcore_categories():\n"
        "    return [Category('innovation', '创新指标', 'benefits', default_rule='standard')]\n",
        encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.warns(FallbackWarning):
        registry = evalcore.Registry.from_plugins(get_plugin_manager())
    assert registry.categories["innovation"].plugin == "innovation"
    assert registry.rules["bands"].plugin == "bands"


# -- what is still an error ------------------------------------------------------------------------------


def test_asking_for_a_plugin_that_is_neither_installed_nor_built_in_is_an_error(install):
    install(stale())
    with pytest.raises(PluginError, match=r"no installed plugin is called 'tables'"):
        get_plugin_manager(only=["units", "tables"])


def test_a_plugin_that_cannot_be_imported_is_a_plugin_error(install, no_warnings):
    install(dict(PLUGINS))
    install({"broken": "evalcore_no_such_module"}, name="evalcore_broken")
    with pytest.raises(PluginError, match="cannot be imported: ModuleNotFoundError"):
        get_plugin_manager()
