"""The hooks a plugin can implement, grouped by the stage that calls them.

Every hook is called without arguments unless its signature says otherwise.
Registration hooks return a list; evalcore snapshots what every plugin
returned into an immutable `evalcore.registry.Registry` and remembers
which plugin registered each item, so ``evalcore plugins`` and error messages
can name it. Two plugins registering one name is an error naming both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from .errors import Problem
    from .formula import Function
    from .model import Scheme
    from .profile import Profile
    from .quantities import Unit
    from .registrations import Aggregator, Category, Group, Renderer, RuleType
    from .registry import Registry

__all__ = ["hookimpl", "hookspec"]

PROJECT = "evalcore"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# -- registration: called once when a Registry is built ----------------------


@hookspec
def evalcore_units() -> list[Unit]:
    """Units of measure (批次, 万元, %, 天 ...).

    Return `evalcore.quantities.Unit` objects. Units of one dimension
    convert by their factors (1 万元 = 10000 元); units of different dimensions
    never convert, so comparing 个 with 批次 is an error, not a guess.
    """


@hookspec
def evalcore_groups() -> list[Group]:
    """Level-1 indicator groups (一级指标: outputs, benefits, satisfaction, ...).

    Return `evalcore.registrations.Group` objects. A category names the group
    it belongs to; profiles give each group its default weight.
    """


@hookspec
def evalcore_categories() -> list[Category]:
    """Level-2 categories (二级指标: quantity, quality, timeliness, cost, ...).

    Return `evalcore.registrations.Category` objects with their Chinese names,
    aliases, group, default rule and direction. The engine knows no category
    of its own: remove the plugin and its category is gone.
    """


@hookspec
def evalcore_rule_types() -> list[RuleType]:
    """Scoring rules (positive, reverse, qualitative, execution-rate, ...).

    Return `evalcore.registrations.RuleType` objects: a name, a parameter
    schema and ``compile(params, context) -> scorer``.
    """


@hookspec
def evalcore_profiles() -> list[Profile]:
    """Profiles (national-2020, a province's variant, ...).

    Return `evalcore.profile.Profile` objects, usually built from TOML
    with `evalcore.definitions.load_definitions`. A profile whose source
    has ``extends`` is merged onto its parent when the registry is built.
    """


@hookspec
def evalcore_aggregators() -> list[Aggregator]:
    """Ways to add scores up the indicator tree (``sum``; PEFA weakest-link ...).

    Return `evalcore.registrations.Aggregator` objects; a profile chooses one
    by name in its ``aggregation`` setting.
    """


@hookspec
def evalcore_renderers() -> list[Renderer]:
    """Output formats (table, json, markdown, csv ...).

    Return `evalcore.registrations.Renderer` objects; ``evalcore evaluate
    --format NAME`` and `evalcore.render` choose one by name.
    """


@hookspec
def evalcore_formula_functions() -> list[Function]:
    """Extra functions for ``formula`` rules, beside min, max, abs, clamp, ratio, round_half_up.

    Return `evalcore.formula.Function` objects: a name, an arity and a
    pure function of Decimals. Formulas call them by name; an unknown name is
    rejected when the scheme is compiled, with "did you mean".
    """


# -- validation: called when a scheme is compiled -----------------------------


@hookspec
def evalcore_validate_scheme(scheme: Scheme, registry: Registry) -> list[Problem]:
    """Extra checks on a built scheme, beyond evalcore's own.

    Return a list of `evalcore.errors.Problem` (empty when all is
    well); problems of severity "error" stop compilation, "warning" ones are
    reported as findings. Called for every scheme before it is compiled.
    """
