"""The hooks a plugin can implement, grouped by the stage that calls them.

A plugin is a module or an object with functions named after these hooks and
marked with `hookimpl` (import it from `evalcore.plugin`, with every type
named below). docs/hooks.md has a section per hook with a runnable example;
a test holds each section to the signature here, and each docstring here to
naming every parameter.

**Registration hooks** (the first nine) take no arguments and return a list
(or tuple) of things to register; ``None`` registers nothing. They are called
when a `evalcore.Registry` is built (``Registry.from_plugins(pm)``; the
installed plugins' registry once per process), each implementation once, plugin
by plugin, and evalcore concatenates what all of them returned into an
immutable snapshot in which every item remembers the plugin that registered it,
so ``evalcore plugins`` and error messages can name it. Every problem found is
collected and raised together as one `evalcore.PluginError` naming the plugin:
an exception raised by the hook, a result that is not a list, an item of the
wrong type, and two plugins registering one name (both are named: a plugin
cannot replace another's item, a built-in's included).

**The validation hook** is called every time a scheme is compiled.

evalcore calls every hook itself, implementation by implementation, rather than
through pluggy's hook call (so each result can be attributed to its plugin):
hook wrappers are not supported, and ``tryfirst`` / ``trylast`` only change the
order in which the results are collected.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from .errors import Problem
    from .formula import Function
    from .model import Scheme
    from .profile import ProfileSource
    from .registrations import Aggregator, Category, Group, Renderer, RuleType
    from .registry import Registry
    from .review_model import ReviewCheck
    from .units import Unit

__all__ = ["hookimpl", "hookspec"]

PROJECT = "evalcore"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# -- registration: called once when a Registry is built ----------------------


@hookspec
def evalcore_units() -> list[Unit]:
    """Register units of measure (批次, 万元, %, 天 ...).

    Units of one dimension convert by their factors (1 万元 = 10000 元); units of
    different dimensions never convert, so comparing 个 with 批次 is an error,
    not a guess. Each kind of count is a dimension of its own (``count:批次``).

    :returns: `Unit` objects: a name, a dimension, a factor and aliases. All
        plugins' units form the registry's unit table, which reads the unit after
        the number of every target and actual value (names and aliases compared
        after NFKC normalisation).

    **Called** once per implementation when a registry is built.

    **Errors.** Two plugins registering one unit name is a `PluginError` naming
    both; so is one spelling (a name or an alias) naming two different units.
    """


@hookspec
def evalcore_groups() -> list[Group]:
    """Register level-1 indicator groups (一级指标: outputs, benefits, satisfaction ...).

    :returns: `Group` objects: a name, a Chinese name, aliases, an ``order`` and
        a ``doc``. A category names the group it belongs to, an indicator's
        ``group`` key may move a row to another, and a profile's ``weights`` give
        each group its default points; all look groups up by name, Chinese name or
        alias.

    **Called** once per implementation when a registry is built.

    **Errors.** A group name registered twice, or an alias naming two groups, is
    a `PluginError` naming both plugins.
    """


@hookspec
def evalcore_categories() -> list[Category]:
    """Register level-2 categories (二级指标: quantity, quality, timeliness, cost ...).

    The engine knows no category of its own: remove the plugin and its category
    is gone. A plugin usually keeps its categories in TOML and returns what
    `load_definitions` read.

    :returns: `Category` objects: a name, a Chinese name and aliases, a group, a
        default rule, a direction (``"higher"`` reads a bare ``90%`` as ≥90%) and
        optionally an aggregation of its own. An indicator's ``category`` is looked
        up among them when a file is built; the category gives the row its group
        and, when the row names none, its rule.

    **Called** once per implementation when a registry is built.

    **Errors**, each a `PluginError` naming the plugin: a name registered twice,
    an alias naming two categories, an unknown group, default rule or
    aggregation (with "did you mean"), a direction other than higher or lower.
    """


@hookspec
def evalcore_rule_types() -> list[RuleType]:
    """Register scoring rules (positive, reverse, qualitative, execution-rate ...).

    :returns: `RuleType` objects: a name, ``compile(params, context) -> scorer``,
        a parameter schema (a tuple of `Param`), a ``doc`` and an ``input``
        (``"value"`` or ``"budget"``); or a preset of another rule (``base`` and
        ``preset``). When a scheme is compiled, each indicator's rule gets its
        parameters bound (defaults, then the profile's, then the row's) and
        ``compile`` returns the scorer that scores every project's actual value.

    **Called** once per implementation when a registry is built; ``compile``
    once per indicator when a scheme is compiled; the scorer once per project.

    **Errors.** A rule name registered twice, or a preset that does not fit its
    base, is a `PluginError`. A ``ValueError`` from ``compile`` or from the
    scorer is the user's mistake, reported as a problem at the indicator or at
    the actual value; any other exception from a scorer is a bug in the rule.
    """


@hookspec
def evalcore_profiles() -> list[ProfileSource]:
    """Register profiles (national-2020, a province's variant, PEFA ...).

    A profile is the set of choices in which provinces and frameworks differ:
    rounding, grades, group weights, rule parameters, the aggregation.

    :returns: `ProfileSource` objects: a profile's name and the table it states,
        ``ProfileSource(name, table)``, or read from TOML with `load_definitions`.
        When the registry is built, each is merged onto the profile it ``extends``
        (tables key by key, arrays whole) and read into a `Profile`, validated as
        a whole; a scheme chooses one by name (``profile = "..."``, the default
        profile otherwise).

    **Called** once per implementation when a registry is built.

    **Errors**, each a `PluginError` naming the plugin: a name registered twice,
    ``extends`` naming an unknown profile or making a cycle, an invalid setting,
    two profiles marked ``default = true``.
    """


@hookspec
def evalcore_aggregators() -> list[Aggregator]:
    """Register ways to add scores up the indicator tree (``sum``; PEFA weakest-link ...).

    :returns: `Aggregator` objects: a name and ``aggregate(scores, points) ->
        score``, given the rounded scores of the parts and their points, in order.
        A profile's ``aggregation`` (``"sum"`` by default) adds rows into
        categories, categories into groups and groups into the total; a category
        may name its own for its rows.

    **Called** once per implementation when a registry is built; ``aggregate``
    for every subtotal and the total of every evaluation.

    **Errors.** A name registered twice, or a profile or category naming an
    unknown aggregation, is a `PluginError`. A ``ValueError`` or
    ``ArithmeticError`` from ``aggregate`` is an `EvaluationError` naming the
    subtotal; a result that is not a Decimal is a `PluginError`.
    """


@hookspec
def evalcore_renderers() -> list[Renderer]:
    """Register output formats (table, markdown, csv, json, html, xlsx ...).

    :returns: `Renderer` objects: a name, ``render(evaluation, **options) -> str``
        (or ``bytes`` with ``binary = True``), a ``doc``, a ``media_type`` and the
        ``options`` it accepts (a tuple of `Param`). `evalcore.render` and
        ``evalcore evaluate --format NAME`` choose one by name and bind the options.

    **Called** once per implementation when a registry is built; ``render`` once
    per rendering, inside evalcore's decimal context.

    **Errors.** A format name registered twice is a `PluginError` naming both
    plugins, so a plugin cannot replace a built-in format; an unknown format
    name is an error listing the known ones. ``render`` must make a stranger's
    text safe for its format (`visible`, `terminal_text`, `json_safe`).
    """


@hookspec
def evalcore_formula_functions() -> list[Function]:
    """Register functions for ``formula`` rules, beside min, max, abs, clamp, ratio, round_half_up.

    :returns: `Function` objects: a name, an arity ``(least, most)`` (``None``:
        any number) and a pure function of Decimals returning a Decimal. A
        formula calls them by name; names and argument counts are checked when
        the scheme is compiled (an unknown name is an error with "did you mean").

    **Called** once per implementation when a registry is built; the function
    whenever a formula calling it is evaluated, inside evalcore's decimal context.

    **Errors.** A name registered twice, or one of the built-in functions, is a
    `PluginError`. A ``ValueError``, ``ArithmeticError`` or
    `FormulaEvaluationError` from the function is a problem at the actual value.
    """


@hookspec
def evalcore_review_checks() -> list[ReviewCheck]:
    """Register the checks of target review (绩效目标审核: completeness, measurability ...).

    :returns: `ReviewCheck` objects: a name, a Chinese name, ``check(subject, settings)``
        returning `ReviewFinding` objects, a parameter schema (a tuple of `Param`), its
        ``source`` ("regulation: 财预〔2015〕88号 / 财预〔2021〕101号" or "evalcore's
        choice"), a ``doc`` and an ``order``. `evalcore.review` (``evalcore review``) runs
        every enabled check on a `ReviewSubject` (the compiled rows of a target table) with
        the settings the profile gives it under ``[review.<name>]``, and concludes 通过 /
        修改后通过 / 不通过 from the findings.

    **Called** once per implementation when a registry is built; ``check`` once per review.

    **Errors.** A check name registered twice is a `PluginError` naming both plugins; a
    profile's ``[review.<name>]`` naming no registered check, or a setting the check does not
    have, is a problem with "did you mean". A ``ValueError`` from ``check`` is the user's
    mistake (exit status 2 from the command line); any other exception, or a result that is
    not a list of `ReviewFinding` objects, is a `PluginError` naming the plugin.
    """


# -- validation: called when a scheme is compiled -----------------------------


@hookspec
def evalcore_validate_scheme(scheme: Scheme, registry: Registry) -> list[Problem]:
    """Check a built scheme against rules of the plugin's own, beyond evalcore's.

    An implementation may declare only the parameters it uses
    (``def evalcore_validate_scheme(self, scheme)``); they are passed by name.

    :param scheme: The `Scheme` about to be compiled: its indicators (each with
        its ``origin``, to locate a problem), settings and profile name.
    :param registry: The `evalcore.Registry` it is compiled against: what every
        plugin registered (categories, rules, units, profiles ...).
    :returns: A list of `Problem` objects, empty (or ``None``) when all is well.
        Every plugin's problems are kept, each message ending with the plugin's
        name (``[plugin NAME]``). Problems of severity ``"error"`` join the
        compiler's own and stop compilation (`ValidationError`; exit status 2
        from the command line); ``"warning"`` ones are kept in the plan's
        ``warnings``, returned by `evalcore.validate` and reported by every
        evaluation as ``scheme-warning`` findings.

    **Called** every time a scheme is compiled (`evalcore.compile`, and
    everything that compiles: `evalcore.evaluate`, `evalcore.validate`, every
    command), before its indicators are compiled, once per implementation.

    **Errors.** An exception raised by the hook, or a result that is not a list
    of `Problem` objects, is a `PluginError` naming the plugin.
    """
