"""The registry: an immutable snapshot of everything the plugins registered.

Built once from a plugin manager, checked as a whole (two plugins registering
one name, a category in an unknown group, a profile extending an unknown
profile, a rule setting no rule has), then only read. Every entry remembers
the plugin that registered it, for ``evalcore plugins`` and for errors. A
look-up of a name nothing registered raises `UnknownNameError`.

The snapshot holds no live plugin manager: even the ``evalcore_validate_scheme``
implementations are taken as they are when it is built (`SchemeCheck`), and the
compiler calls them.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

import decimal
import importlib
import pickle
import unicodedata
import weakref
from collections.abc import Callable, Iterable, Mapping
from types import ModuleType
from typing import Any, Generic, TypeVar

import attrs
import pluggy

from .errors import (
    NOWHERE,
    Origin,
    PluginError,
    Problem,
    UnknownNameError,
    exception_text,
    known_names,
    quote,
    suggest,
)
from .formula import BUILTIN_FUNCTIONS, Function
from .numbers import context
from .params import bind_params
from .profile import Profile, ProfileSource, resolve_profile
from .reading import unit_kind
from .registrations import Aggregator, Category, Group, Renderer, RuleType
from .review_model import ReviewCheck
from .review_settings import read_review_settings
from .units import Unit, UnitTable

__all__ = ["Entry", "Recipe", "Registry", "SchemeCheck", "from_recipe"]

T = TypeVar("T")


@attrs.frozen
class Entry(Generic[T]):
    """A registered item and the plugin that registered it."""

    item: T
    plugin: str
    version: str = ""


@attrs.frozen
class SchemeCheck:
    """A plugin's ``evalcore_validate_scheme`` implementation, as the registry snapshots it:
    the function and the arguments it takes (pluggy lets it take fewer than the hook offers)."""

    function: Callable[..., Any]
    argnames: tuple[str, ...]


@attrs.frozen
class Recipe:
    """How a registry was made: its manager's plugins (name and module name, or the plugin
    object), and the plugin versions it recorded. What a registry pickles as."""

    project: str  # the plugin manager's project name (its marker), "evalcore"
    specs: tuple[str, ...]  # the modules of its hook specifications
    plugins: tuple[tuple[str, Any], ...]  # name, and module name or pickled object
    versions: tuple[tuple[str, str], ...]


_REBUILT: dict[Recipe, Registry] = {}
_LIVE: weakref.WeakValueDictionary[int, Registry] = weakref.WeakValueDictionary()
_REBUILT_LIMIT = 8


def from_recipe(recipe: Recipe, made: int | None = None) -> Registry:
    """The registry ``recipe`` describes, taken again in this process: a new plugin manager
    with the recipe's hook specifications and plugins (modules imported by name). Once per
    process: an equal recipe gives the same registry again, so a worker that unpickles many
    plans takes it once, and a registry unpickled where it was made is that registry."""
    alive = _LIVE.get(made) if made is not None else None
    if alive is not None and alive._recipe == recipe:  # unpickled where it was pickled
        return alive
    known = _remembered(recipe)
    if known is not None:
        return known
    pm = pluggy.PluginManager(recipe.project)
    for specs in recipe.specs:
        pm.add_hookspecs(importlib.import_module(specs))
    for name, plugin in recipe.plugins:
        pm.register(importlib.import_module(plugin) if isinstance(plugin, str)
                    else pickle.loads(plugin) if isinstance(plugin, bytes) else plugin, name)
    with decimal.localcontext(context()):
        registry = _Snapshot(pm, dict(recipe.versions)).take()
    _remember(recipe, registry)
    return registry


def _remembered(recipe: Recipe) -> Registry | None:
    try:
        return _REBUILT.get(recipe)
    except TypeError:  # a plugin object that cannot be hashed
        return None


def _remember(recipe: Recipe, registry: Registry) -> None:
    object.__setattr__(registry, "_recipe", recipe)
    _LIVE[id(registry)] = registry
    try:
        if len(_REBUILT) >= _REBUILT_LIMIT and recipe not in _REBUILT:
            _REBUILT.pop(next(iter(_REBUILT)))
        _REBUILT[recipe] = registry
    except TypeError:
        pass


def _recipe_of(pm: pluggy.PluginManager, versions: Mapping[str, str]) -> Recipe:
    specs = sorted({caller.spec.namespace.__name__ for caller in vars(pm.hook).values()
                    if getattr(caller, "spec", None) is not None
                    and isinstance(caller.spec.namespace, ModuleType)})
    plugins = tuple((name, _portable(plugin)) for name, plugin in pm.list_name_plugin()
                    if plugin is not None)
    return Recipe(pm.project_name, tuple(specs), plugins, tuple(sorted(versions.items())))


def _portable(plugin: object) -> object:
    """A plugin as a recipe holds it: a module by its name, another object pickled (so equal
    objects give equal recipes), or the object itself when it cannot be pickled (the registry
    then says so if it is ever pickled)."""
    if isinstance(plugin, ModuleType):
        return plugin.__name__
    try:
        return pickle.dumps(plugin)
    except Exception:
        return plugin


def _key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip().casefold()


@attrs.frozen(repr=False, eq=False)
class Registry:
    """Everything registered, by kind and name. Look items up with the accessors.

    Two registries taken from the same plugins (by name, module and version) are equal, in one
    process or two: that is what a registry is a snapshot of, and how one that travelled to a
    worker (pickled as its plugins, see `__reduce__`) compares with the one it left. Registries
    made by hand compare item by item.
    """

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Registry):
            return NotImplemented
        if self is other:
            return True
        if self._recipe is not None and other._recipe is not None:
            return self._recipe == other._recipe
        return all(getattr(self, f.name) == getattr(other, f.name) for f in attrs.fields(Registry)
                   if f.name != "_recipe")

    __hash__ = None  # type: ignore[assignment]  # equal by content: a dict key by id, if at all

    def __repr__(self) -> str:
        counts = ", ".join(f"{len(getattr(self, k))} {k}" for k in
                           ("groups", "categories", "rules", "profiles", "aggregators", "renderers"))
        return f"<Registry: {counts}, {len(self.unit_entries)} units>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # IPython and Hypothesis
        printer.text(repr(self))

    groups: Mapping[str, Entry[Group]]
    categories: Mapping[str, Entry[Category]]
    rules: Mapping[str, Entry[RuleType]]
    profiles: Mapping[str, Entry[Profile]]
    aggregators: Mapping[str, Entry[Aggregator]]
    renderers: Mapping[str, Entry[Renderer]]
    units: UnitTable
    unit_entries: tuple[Entry[Unit], ...] = ()
    functions: Mapping[str, Entry[Function]] = attrs.field(factory=dict)
    plugin_versions: Mapping[str, str] = attrs.field(factory=dict)
    scheme_checks: tuple[Entry[SchemeCheck], ...] = ()
    _aliases: Mapping[tuple[str, str], str] = attrs.field(factory=dict, repr=False)
    # The checks of target review (`evalcore.review`), by name.
    review_checks: Mapping[str, Entry[ReviewCheck]] = attrs.field(factory=dict)
    # How it was made (the plugins of its manager, by name), so that it pickles: see __reduce__.
    # Not an argument: a registry made or changed by hand (attrs.evolve) has none.
    _recipe: Recipe | None = attrs.field(default=None, init=False, eq=False, repr=False)

    @classmethod
    def from_plugins(cls, pm: pluggy.PluginManager) -> Registry:
        """Snapshot what every plugin of ``pm`` registers; PluginError if it does not fit.

        Runs in evalcore's decimal context: profiles are checked the same whatever context the
        calling program has set.
        """
        with decimal.localcontext(context()):
            snapshot = _Snapshot(pm)
            registry = snapshot.take()
        _remember(_recipe_of(pm, snapshot.versions), registry)
        return registry

    def __reduce__(self) -> tuple[Callable[[Recipe, int], Registry], tuple[Recipe, int]]:
        """A registry travels to another process (a ``multiprocessing`` or Dask worker) as the
        plugins it was taken from: modules by name, other plugin objects pickled (a plugin
        object that cannot be pickled is a PicklingError naming it). The worker
        imports them and takes the registry again, once per process (`from_recipe`).

        Its items cannot be pickled themselves (rule parameters are checked by local
        functions), and need not be: the plugins give the same items in every process."""
        if self._recipe is None:
            raise pickle.PicklingError(
                "this Registry was not made by Registry.from_plugins, so it cannot be sent to "
                "another process; make it from a plugin manager "
                "(Registry.from_plugins(evalcore.get_plugin_manager(plugins=[...])))")
        for name, plugin in self._recipe.plugins:
            if not isinstance(plugin, (str, bytes)):
                try:
                    pickle.dumps(plugin)
                except Exception as exc:
                    raise pickle.PicklingError(
                        f"the registry's plugin {name!r} ({type(plugin).__name__}) cannot be sent "
                        f"to another process: {exception_text(exc)}; register a module or an "
                        "object of a class defined at module level") from None
        return from_recipe, (self._recipe, id(self))

    # -- look-ups ----------------------------------------------------------------

    def _lookup(self, kind: str, name: str, table: Mapping[str, Entry[T]]) -> T:
        canonical = self._aliases.get((kind, _key(name)), name)
        entry = table.get(canonical)
        if entry is None:
            names = list(table)
            if kind in ("group", "category"):
                names += [a for (k, a) in self._aliases if k == kind]
            raise UnknownNameError(kind, name, table, suggest(name, names))
        return entry.item

    def category(self, name: str) -> Category:
        """A category by name, Chinese name or alias; UnknownNameError if there is none."""
        return self._lookup("category", name, self.categories)

    def group(self, name: str) -> Group:
        """A group by name, Chinese name or alias; UnknownNameError if there is none."""
        return self._lookup("group", name, self.groups)

    def rule(self, name: str) -> RuleType:
        """A rule type by name; UnknownNameError if there is none."""
        return self._lookup("rule", name, self.rules)

    def profile(self, name: str) -> Profile:
        """A (resolved) profile by name; UnknownNameError if there is none."""
        return self._lookup("profile", name, self.profiles)

    def default_profile(self) -> Profile:
        """The profile marked ``default = true``: the one a scheme that names none is scored by."""
        for entry in self.profiles.values():
            if entry.item.default:
                return entry.item
        raise UnknownNameError("default profile", "", self.profiles, hint=(
            "no installed profile is marked default = true; name one with "
            "profile = \"...\" in [project] or [scheme]"))

    def aggregator(self, name: str) -> Aggregator:
        """An aggregator by name; UnknownNameError if there is none."""
        return self._lookup("aggregator", name, self.aggregators)

    def renderer(self, name: str) -> Renderer:
        """An output format by name; UnknownNameError if there is none."""
        return self._lookup("renderer", name, self.renderers)

    def review_check(self, name: str) -> ReviewCheck:
        """A check of target review by name; UnknownNameError if there is none."""
        return self._lookup("review check", name, self.review_checks)

    def formula_functions(self) -> Mapping[str, Function]:
        """The functions a formula may call: the built-in ones and the plugins'."""
        return {**BUILTIN_FUNCTIONS, **{n: e.item for n, e in self.functions.items()}}

    def profile_problems(self, profile: Profile, origin: Origin = NOWHERE) -> list[Problem]:
        """What in ``profile`` names something nothing registered: settings of an unknown rule
        or parameter, weights of an unknown group, an unknown aggregation. For the profiles
        the plugins register, and for a scheme's profile after its ``[settings]``."""
        problems: list[Problem] = []
        for rule, settings in profile.rules.items():
            entry = self.rules.get(rule)
            where = origin.child("rules", rule)
            if entry is None:
                problems.append(Problem(f"profile {profile.name!r} has settings for the unknown "
                                        f"rule {rule!r}", where, suggest(rule, self.rules)))
                continue
            params = self.rules[entry.item.base].item.params if entry.item.base else entry.item.params
            problems.extend(bind_params(params, settings, where, f"rule {rule!r}", partial=True)[1])
        for key in profile.weights:
            for group in key.split("+"):  # "benefits+satisfaction": a weight shared by groups
                if group not in self.groups:
                    problems.append(Problem(f"profile {profile.name!r} weights the unknown group "
                                            f"{group!r}", origin.child("weights", key),
                                            suggest(group, self.groups)))
        for key in profile.min_share:
            for group in key.split("+"):  # "outputs+benefits": the share of groups together
                if group not in self.groups:
                    problems.append(Problem(f"profile {profile.name!r} sets a min_share of the "
                                            f"unknown group {group!r}", origin.child("min_share", key),
                                            suggest(group, self.groups)))
        if profile.aggregation not in self.aggregators:
            problems.append(Problem(f"profile {profile.name!r} uses the unknown aggregation "
                                    f"{profile.aggregation!r}", origin.child("aggregation"),
                                    suggest(profile.aggregation, self.aggregators)
                                    or known_names(self.aggregators)))
        kinds = sorted({unit_kind(u) for u in self.units.units.values()} | {"count", "number"})
        for kind in profile.monitoring.cumulative:  # a misspelt kind would be held, not projected
            if kind not in kinds:
                problems.append(Problem(f"monitoring.cumulative names the unknown unit kind "
                                        f"{kind!r}", origin.child("monitoring", "cumulative"),
                                        suggest(kind, kinds) or known_names(kinds)))
        if self.review_checks:  # without any, nothing can review: the settings are inert
            checks = {name: entry.item for name, entry in self.review_checks.items()}
            problems.extend(read_review_settings(profile.settings, checks, origin)[2])
        return problems


class _Snapshot:
    """Taking a registry from a plugin manager: every registration hook called once, each
    item checked, every problem collected, then one PluginError or the registry."""

    def __init__(self, pm: pluggy.PluginManager, versions: Mapping[str, str] | None = None) -> None:
        self.pm = pm
        self.problems: list[Problem] = []
        self.versions: dict[str, str] = dict(versions or {})
        for plugin, dist in pm.list_plugin_distinfo() if versions is None else ():
            name = pm.get_name(plugin)
            if name:
                self.versions[name] = f"{dist.project_name} {dist.version}"

    def take(self) -> Registry:
        groups = self.by_name(self.collect("evalcore_groups", Group), "group")
        categories = self.by_name(self.collect("evalcore_categories", Category), "category")
        rules = self.by_name(self.collect("evalcore_rule_types", RuleType), "rule type")
        sources = self.by_name(self.collect("evalcore_profiles", ProfileSource), "profile")
        aggregators = self.by_name(self.collect("evalcore_aggregators", Aggregator), "aggregator")
        renderers = self.by_name(self.collect("evalcore_renderers", Renderer), "renderer")
        units = self.units(self.collect("evalcore_units", Unit))
        functions = self.functions(self.collect("evalcore_formula_functions", Function))
        review_checks = self.by_name(self.collect("evalcore_review_checks", ReviewCheck),
                                     "review check")
        aliases = self.aliases(groups, categories)
        for entry in categories.values():
            self.problems.extend(_category_problems(entry, groups, rules, aggregators))
        for rule in rules.values():
            self.problems.extend(_preset_problems(rule, rules))
        registry = Registry(groups, categories, rules, {}, aggregators, renderers,
                            UnitTable.of(e.item for e in units), tuple(units), functions,
                            self.versions, self.scheme_checks(), aliases,
                            review_checks=review_checks)
        profiles = self.profiles(sources, registry)
        if self.problems:
            raise PluginError(self.problems)
        return attrs.evolve(registry, profiles=profiles)

    def collect(self, hook_name: str, kind: type[T]) -> list[Entry[T]]:
        """What every plugin's ``hook_name`` returns, each item with its plugin; a hook that
        raises or returns something else is a problem naming the plugin."""
        out: list[Entry[T]] = []
        for impl in getattr(self.pm.hook, hook_name).get_hookimpls():
            where = f"plugin {impl.plugin_name!r}: {hook_name}()"
            try:
                items = impl.function()
            except Exception as exc:  # a broken plugin must not look like our bug
                self.problems.append(Problem(f"{where} raised {exception_text(exc)}"))
                continue
            if items is None:  # a hook that has nothing to register this time
                continue
            if not isinstance(items, (list, tuple)):
                self.problems.append(Problem(f"{where} must return a list, not "
                                             f"{type(items).__name__}"))
                continue
            for item in items:
                if isinstance(item, kind):
                    out.append(Entry(item, impl.plugin_name, self.versions.get(impl.plugin_name, "")))
                else:
                    self.problems.append(Problem(f"{where} returned {quote(item)}, not a {kind.__name__}"))
        return out

    def by_name(self, entries: Iterable[Entry[Any]], what: str) -> dict[str, Entry[Any]]:
        """The entries by name; a name registered twice is a problem naming both plugins."""
        table: dict[str, Entry[Any]] = {}
        for entry in entries:
            name = entry.item.name
            if name in table:
                self.problems.append(Problem(f"{what} {name!r} is registered twice: by plugin "
                                             f"{table[name].plugin!r} and by plugin {entry.plugin!r}"))
            else:
                table[name] = entry
        return table

    def units(self, entries: list[Entry[Unit]]) -> list[Entry[Unit]]:
        """The units; one spelling (a name or an alias) may name only one unit."""
        self.by_name(entries, "unit")
        spelled: dict[str, Entry[Unit]] = {}
        for unit in entries:
            names = {unicodedata.normalize("NFKC", n) for n in (unit.item.name, *unit.item.aliases)}
            for spelling in sorted(names):
                other = spelled.get(spelling)
                if other is not None and other.item.name != unit.item.name:
                    self.problems.append(Problem(
                        f"unit spelling {spelling!r} names both {other.item.name!r} (plugin "
                        f"{other.plugin!r}) and {unit.item.name!r} (plugin {unit.plugin!r})"))
                spelled[spelling] = unit
        return entries

    def functions(self, entries: list[Entry[Function]]) -> dict[str, Entry[Function]]:
        """The plugins' formula functions; none may replace a built-in one."""
        functions = self.by_name(entries, "formula function")
        for name, entry in functions.items():
            if name in BUILTIN_FUNCTIONS:
                self.problems.append(Problem(f"plugin {entry.plugin!r}: formula function {name!r} "
                                             "is built in and cannot be replaced"))
        return functions

    def aliases(self, groups: Mapping[str, Entry[Group]], categories: Mapping[str, Entry[Category]]
                ) -> dict[tuple[str, str], str]:
        """Every spelling of a group or category (name, Chinese name, alias) → its name; one
        spelling may name only one of a kind."""
        aliases: dict[tuple[str, str], str] = {}
        tables: tuple[tuple[str, Mapping[str, Entry[Any]]], ...] = (
            ("group", groups), ("category", categories))
        for kind, table in tables:
            for name, entry in table.items():
                for alias in (name, entry.item.zh, *entry.item.aliases):
                    key = (kind, _key(alias))
                    if key in aliases and aliases[key] != name:
                        self.problems.append(Problem(
                            f"{kind} alias {alias!r} names both {aliases[key]!r} and {name!r} "
                            f"(plugins {table[aliases[key]].plugin!r} and {entry.plugin!r})"))
                    aliases[key] = name
        return aliases

    def scheme_checks(self) -> tuple[Entry[SchemeCheck], ...]:
        """The ``evalcore_validate_scheme`` implementations as they are now."""
        return tuple(Entry(SchemeCheck(impl.function, tuple(impl.argnames)), impl.plugin_name,
                           self.versions.get(impl.plugin_name, ""))
                     for impl in self.pm.hook.evalcore_validate_scheme.get_hookimpls())

    def profiles(self, sources: Mapping[str, Entry[ProfileSource]],
                 registry: Registry) -> dict[str, Entry[Profile]]:
        """Each registered profile resolved and checked against the rest of ``registry``;
        at most one may be the default."""
        known = {name: entry.item for name, entry in sources.items()}
        profiles: dict[str, Entry[Profile]] = {}
        for name, entry in sources.items():
            try:
                profile, found = resolve_profile(entry.item, known)
            except PluginError as exc:
                found, profile = list(exc.problems), None
            if profile is not None:
                found.extend(registry.profile_problems(profile))
            errors = [p for p in found if p.severity == "error"]
            self.problems.extend(Problem(f"plugin {entry.plugin!r}: {p.message}", p.origin, p.hint)
                                 for p in errors)
            if profile is not None and not errors:
                profiles[name] = Entry(profile, entry.plugin, entry.version)
        defaults = [e for e in profiles.values() if e.item.default]
        if len(defaults) > 1:
            self.problems.append(Problem("profiles " + " and ".join(
                f"{e.item.name!r} (plugin {e.plugin!r})" for e in defaults) + " are both marked "
                "default = true; only one profile can be the default"))
        return profiles


def _category_problems(entry: Entry[Category], groups: Mapping[str, Any],
                       rules: Mapping[str, Any], aggregators: Mapping[str, Any]) -> list[Problem]:
    """A category names a known group, default rule and aggregation, and a direction."""
    cat, where = entry.item, f"plugin {entry.plugin!r}: category {entry.item.name!r}"
    problems = []
    if cat.group not in groups:
        problems.append(Problem(f"{where} is in the unknown group {cat.group!r}",
                                hint=suggest(cat.group, groups)))
    if not cat.default_rule:
        problems.append(Problem(f"{where} names no default rule"))
    elif cat.default_rule not in rules:
        problems.append(Problem(f"{where} has the unknown default rule {cat.default_rule!r}",
                                hint=suggest(cat.default_rule, rules)))
    if cat.aggregation is not None and cat.aggregation not in aggregators:
        problems.append(Problem(f"{where} adds up by the unknown aggregation {cat.aggregation!r}",
                                hint=suggest(cat.aggregation, aggregators)))
    if cat.direction not in ("higher", "lower"):
        problems.append(Problem(f"{where} has direction {cat.direction!r}; use 'higher' or 'lower'"))
    return problems


def _preset_problems(entry: Entry[RuleType], rules: Mapping[str, Entry[RuleType]]) -> list[Problem]:
    """A preset names a plain rule as its base, and its parameters fit that rule."""
    rule = entry.item
    if rule.base is None:
        return []
    base = rules.get(rule.base)
    where = f"plugin {entry.plugin!r}: rule {rule.name!r}"
    if base is None:
        return [Problem(f"{where} is based on the unknown rule {rule.base!r}",
                        hint=suggest(rule.base, rules))]
    if base.item.base is not None or base.item.select is not None:
        return [Problem(f"{where} must be based on a plain rule, not on {rule.base!r}")]
    _, problems = bind_params(base.item.params, rule.preset, NOWHERE, f"rule {rule.base!r}",
                              partial=True)
    return [attrs.evolve(p, message=f"{where}: {p.message}") for p in problems]
