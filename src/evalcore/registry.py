"""The registry: an immutable snapshot of everything the plugins registered.

Built once from a plugin manager, checked as a whole (two plugins registering
one name, a category in an unknown group, a profile extending an unknown
profile, a rule setting no rule has), then only read. Every entry remembers
the plugin that registered it, for ``evalcore plugins`` and for errors.
"""

from __future__ import annotations

import decimal
import unicodedata
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

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
    suggest,
)
from .formula import BUILTIN_FUNCTIONS, Function
from .numbers import context
from .params import bind_params
from .profile import Profile, merge_settings
from .quantities import Unit, UnitTable
from .registrations import Aggregator, Category, Group, Renderer, RuleType

__all__ = ["Entry", "Registry"]

if TYPE_CHECKING:
    from .model import Scheme

T = TypeVar("T")


@attrs.frozen
class Entry(Generic[T]):
    """A registered item and the plugin that registered it."""

    item: T
    plugin: str
    version: str = ""


def _key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip().casefold()


def _check_preset(entry: Entry[RuleType], rules: Mapping[str, Entry[RuleType]]) -> list[Problem]:
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


@attrs.frozen(repr=False)
class Registry:
    """Everything registered, by kind and name. Look items up with the accessors."""

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
    _aliases: Mapping[tuple[str, str], str] = attrs.field(factory=dict, repr=False)
    hook: Any = attrs.field(default=None, eq=False, repr=False)

    # -- construction ---------------------------------------------------------

    @classmethod
    def from_plugins(cls, pm: pluggy.PluginManager) -> Registry:
        """Snapshot what every plugin of ``pm`` registers; PluginError if it does not fit.

        Runs in evalcore's decimal context: profiles are checked the same whatever context the
        calling program has set.
        """
        with decimal.localcontext(context()):
            return cls._from_plugins(pm)

    @classmethod
    def _from_plugins(cls, pm: pluggy.PluginManager) -> Registry:
        versions: dict[str, str] = {}
        for plugin, dist in pm.list_plugin_distinfo():
            name = pm.get_name(plugin)
            if name:
                versions[name] = f"{dist.project_name} {dist.version}"
        problems: list[Problem] = []

        def collect(hook_name: str, kind: type[T]) -> list[Entry[T]]:
            out: list[Entry[T]] = []
            for impl in getattr(pm.hook, hook_name).get_hookimpls():
                try:
                    items = impl.function()
                except Exception as exc:  # a broken plugin must not look like our bug
                    problems.append(Problem(f"plugin {impl.plugin_name!r}: {hook_name}() raised "
                                            f"{exception_text(exc)}"))
                    continue
                if items is None:  # a hook that has nothing to register this time
                    continue
                if not isinstance(items, (list, tuple)):
                    problems.append(Problem(f"plugin {impl.plugin_name!r}: {hook_name}() must "
                                            f"return a list, not {type(items).__name__}"))
                    continue
                for item in items:
                    if not isinstance(item, kind):
                        problems.append(Problem(f"plugin {impl.plugin_name!r}: {hook_name}() "
                                                f"returned {item!r}, not a {kind.__name__}"))
                    else:
                        out.append(Entry(item, impl.plugin_name, versions.get(impl.plugin_name, "")))
            return out

        def by_name(entries: list[Entry[Any]], what: str) -> dict[str, Entry[Any]]:
            table: dict[str, Entry[Any]] = {}
            for entry in entries:
                name = entry.item.name
                if name in table:
                    problems.append(Problem(f"{what} {name!r} is registered twice: by plugin "
                                            f"{table[name].plugin!r} and by plugin {entry.plugin!r}"))
                else:
                    table[name] = entry
            return table

        groups = by_name(collect("evalcore_groups", Group), "group")
        categories = by_name(collect("evalcore_categories", Category), "category")
        rules = by_name(collect("evalcore_rule_types", RuleType), "rule type")
        raw_profiles = by_name(collect("evalcore_profiles", Profile), "profile")
        aggregators = by_name(collect("evalcore_aggregators", Aggregator), "aggregator")
        renderers = by_name(collect("evalcore_renderers", Renderer), "renderer")
        unit_entries = collect("evalcore_units", Unit)
        by_name(unit_entries, "unit")
        spelled: dict[str, Entry[Unit]] = {}
        for unit in unit_entries:
            names = {unicodedata.normalize("NFKC", n) for n in (unit.item.name, *unit.item.aliases)}
            for spelling in sorted(names):
                other = spelled.get(spelling)
                if other is not None and other.item.name != unit.item.name:
                    problems.append(Problem(
                        f"unit spelling {spelling!r} names both {other.item.name!r} (plugin "
                        f"{other.plugin!r}) and {unit.item.name!r} (plugin {unit.plugin!r})"))
                spelled[spelling] = unit
        functions = by_name(collect("evalcore_formula_functions", Function), "formula function")
        for name, entry in functions.items():
            if name in BUILTIN_FUNCTIONS:
                problems.append(Problem(f"plugin {entry.plugin!r}: formula function {name!r} "
                                        "is built in and cannot be replaced"))

        aliases: dict[tuple[str, str], str] = {}
        for kind, table in (("group", groups), ("category", categories)):
            for name, entry in table.items():
                for alias in (name, entry.item.zh, *entry.item.aliases):
                    key = (kind, _key(alias))
                    if key in aliases and aliases[key] != name:
                        problems.append(Problem(
                            f"{kind} alias {alias!r} names both {aliases[key]!r} and {name!r} "
                            f"(plugins {table[aliases[key]].plugin!r} and {entry.plugin!r})"))
                    aliases[key] = name
        for name, entry in categories.items():
            cat = entry.item
            if cat.group not in groups:
                problems.append(Problem(f"plugin {entry.plugin!r}: category {name!r} is in the "
                                        f"unknown group {cat.group!r}", hint=suggest(cat.group, groups)))
            if not cat.default_rule:
                problems.append(Problem(f"plugin {entry.plugin!r}: category {name!r} names no "
                                        "default rule"))
            elif cat.default_rule not in rules:
                problems.append(Problem(f"plugin {entry.plugin!r}: category {name!r} has the "
                                        f"unknown default rule {cat.default_rule!r}",
                                        hint=suggest(cat.default_rule, rules)))
            if cat.aggregation is not None and cat.aggregation not in aggregators:
                problems.append(Problem(f"plugin {entry.plugin!r}: category {name!r} adds up by "
                                        f"the unknown aggregation {cat.aggregation!r}",
                                        hint=suggest(cat.aggregation, aggregators)))
            if cat.direction not in ("higher", "lower"):
                problems.append(Problem(f"plugin {entry.plugin!r}: category {name!r} has direction "
                                        f"{cat.direction!r}; use 'higher' or 'lower'"))

        for rule_entry in rules.values():
            problems.extend(_check_preset(rule_entry, rules))
        registry = cls(groups, categories, rules, {}, aggregators, renderers,
                       UnitTable.of(e.item for e in unit_entries), tuple(unit_entries),
                       functions, versions, aliases, pm.hook)
        profiles: dict[str, Entry[Profile]] = {}
        for name, entry in raw_profiles.items():
            try:
                profile = registry.resolve_profile(entry.item.source, raw_profiles)
            except PluginError as exc:
                problems.extend(Problem(f"plugin {entry.plugin!r}: {p.message}", p.origin, p.hint)
                                for p in exc.problems)
                continue
            profiles[name] = attrs.evolve(entry, item=profile)
        defaults = [e for e in profiles.values() if e.item.default]
        if len(defaults) > 1:
            problems.append(Problem("profiles " + " and ".join(
                f"{e.item.name!r} (plugin {e.plugin!r})" for e in defaults) + " are both marked "
                "default = true; only one profile can be the default"))
        if problems:
            raise PluginError(problems)
        return attrs.evolve(registry, profiles=profiles)

    def resolve_profile(self, source: Mapping[str, Any],
                        known: Mapping[str, Entry[Profile]] | None = None,
                        origin: Origin = NOWHERE) -> Profile:
        """Merge a profile's TOML onto the chain it ``extends`` and validate the result."""
        known = self.profiles if known is None else known
        merged: dict[str, Any] = dict(source)
        seen = [str(source.get("name"))]
        parent = source.get("extends")
        if parent is not None and not isinstance(parent, str):
            raise PluginError([Problem(f"extends must be the name of a profile, not {parent!r}",
                                       origin.child("extends"))])
        while parent:
            if parent in seen:
                raise PluginError([Problem(f"profile {seen[0]!r} extends itself through "
                                           f"{' → '.join([*seen, parent])}", origin)])
            entry = known.get(parent)
            if entry is None:
                raise PluginError([Problem(f"profile {seen[-1]!r} extends the unknown profile "
                                           f"{parent!r}", origin, suggest(parent, known))])
            seen.append(parent)
            merged = merge_settings(entry.item.source, merged)
            parent = entry.item.source.get("extends")
            if parent is not None and not isinstance(parent, str):
                raise PluginError([Problem(f"profile {seen[-1]!r}: extends must be a profile name",
                                           origin)])
        merged["extends"] = source.get("extends")
        merged["default"] = source.get("default", False)  # being the default is not inherited
        profile, problems = Profile.from_mapping(merged, origin)
        problems.extend(self._check_profile(profile, origin))
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise PluginError(errors)
        return profile

    def validate_scheme(self, scheme: Scheme) -> list[Problem]:
        """The problems every plugin's ``evalcore_validate_scheme`` finds, each naming its plugin.

        A plugin that raises or returns something other than a list of
        problems is a PluginError naming it, never a traceback.
        """
        if self.hook is None:
            return []
        found: list[Problem] = []
        for impl in self.hook.evalcore_validate_scheme.get_hookimpls():
            try:
                offered = {"scheme": scheme, "registry": self}  # pluggy lets an impl take fewer
                result = impl.function(**{k: offered[k] for k in impl.argnames})
            except Exception as exc:
                raise PluginError([Problem(f"plugin {impl.plugin_name!r}: evalcore_validate_scheme() "
                                           f"raised {exception_text(exc)}")]) from None
            if result is None:
                continue
            if not isinstance(result, (list, tuple)) or not all(isinstance(p, Problem) for p in result):
                raise PluginError([Problem(f"plugin {impl.plugin_name!r}: evalcore_validate_scheme() "
                                           "must return a list of Problem objects")])
            found.extend(attrs.evolve(p, message=f"{p.message} [plugin {impl.plugin_name}]")
                         for p in result)
        return found

    def _check_profile(self, profile: Profile, origin: Origin) -> list[Problem]:
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
                if group in self.groups:
                    continue
                problems.append(Problem(f"profile {profile.name!r} weights the unknown group "
                                        f"{group!r}", origin.child("weights", key),
                                        suggest(group, self.groups)))
        if profile.aggregation not in self.aggregators:
            problems.append(Problem(f"profile {profile.name!r} uses the unknown aggregation "
                                    f"{profile.aggregation!r}", origin.child("aggregation"),
                                    suggest(profile.aggregation, self.aggregators)
                                    or known_names(self.aggregators)))
        return problems

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
        return self._lookup("group", name, self.groups)

    def rule(self, name: str) -> RuleType:
        return self._lookup("rule", name, self.rules)

    def profile(self, name: str) -> Profile:
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
        return self._lookup("aggregator", name, self.aggregators)

    def renderer(self, name: str) -> Renderer:
        return self._lookup("renderer", name, self.renderers)

    def formula_functions(self) -> Mapping[str, Function]:
        """The functions a formula may call: the built-in ones and the plugins'."""
        return {**BUILTIN_FUNCTIONS, **{n: e.item for n, e in self.functions.items()}}

    def rule_settings(self, profile: Profile) -> Callable[[str], Mapping[str, Any]]:
        """A function giving each rule's parameters as ``profile`` sets them."""
        cache: dict[str, Mapping[str, Any]] = {}

        def settings(rule: str) -> Mapping[str, Any]:
            if rule not in cache:
                bound, _ = bind_params(self.rule(rule).params, profile.rules.get(rule, {}),
                                       Origin(), f"rule {rule!r}")
                cache[rule] = bound
            return cache[rule]

        return settings
