"""Stage 3, compile: a scheme to an evaluation plan, checked once, reused for every project.

Compiling resolves the profile (with the scheme's overrides), parses every
target, binds every rule's parameters and builds its scorer, and checks that
the points add up. Every problem is collected and raised together. The
resulting `Plan` evaluates any number of projects without re-parsing.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Collection, Mapping
from decimal import Decimal
from typing import Any

import attrs

from .errors import (
    EXHAUSTED,
    Origin,
    PluginError,
    Problem,
    UnknownNameError,
    ValidationError,
    exception_text,
    exhausted,
    hint_of,
    quote,
    raise_if_errors,
)
from .evaluation import CompiledRow, Plan
from .model import BUDGET_ID, Indicator, Scheme
from .numbers import context, format_decimal, round_half_up, to_decimal
from .params import bind_params
from .profile import Profile, merge_settings, read_profile
from .quantities import NOT_APPLICABLE, Comparator, Target, parse_target
from .reading import Taken, read_sign_less, unit_kind
from .registrations import Category, RuleContext, RuleType, Scorer
from .registry import Registry

__all__ = ["compile_parts", "compile_scheme", "effective_profile", "plugin_problems",
           "points_by_group", "read_target", "rule_settings"]


def effective_profile(scheme: Scheme, registry: Registry) -> Profile:
    """The scheme's profile with the scheme's ``[settings]`` applied."""
    try:
        base = registry.profile(scheme.profile) if scheme.profile else registry.default_profile()
    except UnknownNameError as exc:
        message = f"unknown profile {quote(scheme.profile)}" if scheme.profile else "no profile"
        raise ValidationError([Problem(message, scheme.origin.child("profile"), exc.hint)]) from None
    if not scheme.settings:
        return base
    for key in ("name", "extends"):
        if key in scheme.settings:
            raise ValidationError([Problem(
                f"[settings] cannot change the profile's {key}; choose the profile with "
                "profile = \"...\" in [project] or [scheme]", scheme.origin.child("settings", key))])
    merged = merge_settings(base.settings, scheme.settings)
    origin = scheme.origin.child("settings")
    profile, problems = read_profile(merged, origin, scheme.settings)
    problems.extend(registry.profile_problems(profile, origin))
    raise_if_errors(problems)
    return profile


def rule_settings(registry: Registry, profile: Profile) -> Callable[[str], Mapping[str, Any]]:
    """A function giving each rule's parameters as ``profile`` sets them (its defaults where
    unset), bound once per rule; what a rule's ``RuleContext.rule_settings`` answers. An
    unknown rule is an UnknownNameError."""
    cache: dict[str, Mapping[str, Any]] = {}

    def settings(rule: str) -> Mapping[str, Any]:
        if rule not in cache:
            bound, _ = bind_params(registry.rule(rule).params, profile.rules.get(rule, {}),
                                   Origin(), f"rule {rule!r}")
            cache[rule] = bound
        return cache[rule]

    return settings


def plugin_problems(scheme: Scheme, registry: Registry) -> list[Problem]:
    """The problems every plugin's ``evalcore_validate_scheme`` finds, each naming its plugin.

    A plugin that raises or returns something other than a list of problems is a
    PluginError naming it, never a traceback.
    """
    found: list[Problem] = []
    offered = {"scheme": scheme, "registry": registry}
    for entry in registry.scheme_checks:
        check, where = entry.item, f"plugin {entry.plugin!r}: evalcore_validate_scheme()"
        try:
            result = check.function(**{k: offered[k] for k in check.argnames})
        except Exception as exc:
            raise PluginError([Problem(f"{where} raised {exception_text(exc)}")]) from None
        if result is None:
            continue
        if not isinstance(result, (list, tuple)) or not all(isinstance(p, Problem) for p in result):
            raise PluginError([Problem(f"{where} must return a list of Problem objects")])
        found.extend(attrs.evolve(p, message=f"{p.message} [plugin {entry.plugin}]") for p in result)
    return found


def compile_scheme(scheme: Scheme, registry: Registry) -> Plan:
    """Check and compile ``scheme`` against ``registry``; ValidationError lists all problems."""
    plan, problems = compile_parts(scheme, registry)
    raise_if_errors(problems)
    object.__setattr__(plan, "recompile", compile_scheme)  # a whole scheme's plan: it pickles
    return plan


def compile_parts(scheme: Scheme, registry: Registry, skip: Collection[str] = (),
                  count_points: bool = True, points_sum: bool = True) -> tuple[Plan, list[Problem]]:
    """The plan of the rows that compiled, and every problem (warnings too), without raising
    for a row's own: the other rows can still be evaluated. ``skip`` names rows not to compile
    (the build stage already reported them); ``count_points`` False leaves out the points sum
    (a row's points could not be read); ``points_sum`` False leaves out only the check that
    the points add up to the profile's total (`evalcore.audit` reports it as a finding). Only
    a profile that cannot be resolved raises."""
    with decimal.localcontext(context()):  # the caller's decimal settings never matter
        return _compile(scheme, registry, skip, count_points, points_sum)


def _compile(scheme: Scheme, registry: Registry, skip: Collection[str],
             count_points: bool, points_sum: bool = True) -> tuple[Plan, list[Problem]]:
    profile = effective_profile(scheme, registry)
    problems: list[Problem] = _check_point_values(scheme, profile)
    problems.extend(plugin_problems(scheme, registry))
    settings = rule_settings(registry, profile)
    functions = registry.formula_functions()
    points = _effective_points(scheme, profile)
    rows = []
    for indicator in scheme.indicators:
        if indicator.id in skip:
            continue
        row = _compile_row(indicator, registry, profile, settings, functions, problems,
                           points[indicator.id])
        if row is not None:
            rows.append(row)
    budget = None
    if scheme.budget_points is not None:
        budget = _compile_budget(scheme, registry, profile, settings, functions, problems)
    if count_points:
        problems.extend(_check_points(scheme, profile, registry, points_sum))
    # The registry has checked that every category's aggregation exists.
    category_aggregators = {row.category.name: registry.aggregator(row.category.aggregation)
                            for row in rows if row.category.aggregation}
    return Plan(
        scheme=scheme,
        profile=profile,
        registry=registry,
        rows=tuple(rows),
        budget=budget,
        aggregator=registry.aggregator(profile.aggregation),
        category_aggregators=category_aggregators,
        warnings=tuple(p for p in problems if p.severity != "error"),
        digest=scheme.digest(),
    ), problems


def _check_point_values(scheme: Scheme, profile: Profile) -> list[Problem]:
    """Each row's points (the budget row's too) fit the profile's precision.

    A row is scored, capped to its points and rounded to the profile's ``decimals``; points
    with more decimals than that round past themselves (14.995 scores 15.00 when met, and two
    such rows make a total of 100.01 of 100), so they are refused here, where the scheme
    meets its profile (after ``[settings]``). A value that is not a finite, non-negative
    number of sane size (possible only for a scheme built in code) stops the compile at
    once: no arithmetic is done with it.
    """
    rows = [(ind.points, ind.origin.child("points")) for ind in scheme.indicators]
    if scheme.budget_points is not None:
        rows.append((scheme.budget_points, scheme.origin.child("budget", "points")))
    unusable: list[Problem] = []
    problems: list[Problem] = []
    for points, origin in rows:
        try:
            value = to_decimal(points)
        except ValueError as exc:
            unusable.append(Problem(f"points: {exc}", origin))
            continue
        if value < 0:
            unusable.append(Problem(f"points cannot be negative ({format_decimal(value)})", origin))
            continue
        places = max(0, -value.normalize().as_tuple().exponent)  # type: ignore[operator]
        if places > profile.decimals:
            problems.append(Problem(
                f"points {format_decimal(value)} has {places} decimal places; the profile rounds "
                f"scores to {profile.decimals} (decimals = {profile.decimals})", origin,
                f"give the row points with at most {profile.decimals} decimals, or set decimals "
                "in [settings]"))
    raise_if_errors(unusable)
    return problems


def _not_applicable(indicator: Indicator) -> bool:
    return isinstance(indicator.target, str) and indicator.target.strip() in NOT_APPLICABLE


def _effective_points(scheme: Scheme, profile: Profile) -> dict[str, Decimal]:
    """Each indicator's points, after rows that do not apply ("/") are rescaled away.

    Without rescaling a row that does not apply must carry 0 points. With the
    profile's ``not_applicable.rescale``, its points go to the other indicator
    rows in proportion (the budget row keeps its weight), rounded half up at
    the profile's precision, with the rounding remainder given to the largest
    row so the points still add up exactly.
    """
    points = {ind.id: ind.points for ind in scheme.indicators}
    dropped = sum((ind.points for ind in scheme.indicators if _not_applicable(ind)), Decimal(0))
    if not profile.rescale_not_applicable or dropped == 0:
        return points
    kept = [ind for ind in scheme.indicators if not _not_applicable(ind)]
    pool = sum((ind.points for ind in kept), Decimal(0))
    if pool == 0:
        return points
    for ind in scheme.indicators:
        points[ind.id] = Decimal(0) if _not_applicable(ind) else round_half_up(
            ind.points * (pool + dropped) / pool, profile.decimals)
    remainder = pool + dropped - sum(points[ind.id] for ind in kept)
    largest = max(kept, key=lambda ind: ind.points)
    points[largest.id] += remainder
    return points


def _compile_row(indicator: Indicator, registry: Registry, profile: Profile, settings: Any,
                 functions: Mapping[str, Any], problems: list[Problem],
                 points: Decimal | None = None) -> CompiledRow | None:
    """Compile one indicator; ``points`` overrides its own (after rescaling)."""
    origin = indicator.origin
    rescaled_from = None
    if points is not None and points != indicator.points:
        rescaled_from, indicator = indicator.points, attrs.evolve(indicator, points=points)
    try:
        category = registry.category(indicator.category)
        group = registry.group(indicator.group or category.group)
    except UnknownNameError as exc:
        problems.append(Problem(f"unknown category or group {exc.name!r}", origin, exc.hint))
        return None
    rule_name = indicator.rule or category.default_rule
    try:
        rule = registry.rule(rule_name)
    except UnknownNameError as exc:
        problems.append(Problem(f"unknown rule {quote(rule_name)}", origin.child("rule"), exc.hint))
        return None
    if _not_applicable(indicator):
        if indicator.points != 0 and not profile.rescale_not_applicable:
            problems.append(Problem(
                f"the row does not apply (target {quote(indicator.target)}) but carries "
                f"{format_decimal(indicator.points)} points; give it 0 points, or use a profile "
                "that rescales (not_applicable.rescale = true)", origin.child("points")))
        return CompiledRow(indicator, category, group, rule, {}, None, None,
                           target_text=str(indicator.target), rescaled_from=rescaled_from)
    expected = "budget" if indicator.id == BUDGET_ID and indicator.target is None else "value"
    default = Comparator.GE if category.direction == "higher" else Comparator.LE
    target, taken = None, None
    if expected == "value":
        try:
            target = parse_target(indicator.target, registry.units, default)
        except ValueError as exc:
            problems.append(Problem(str(exc), origin.child("target"), hint_of(exc)))
            return None
        target, taken = read_target(target, indicator, category, registry)
    rule, preset, via = _resolve_rule(rule, target, category, registry, profile)
    if rule.input != expected and not (rule.input == "funds" and expected == "value"):
        what = {"budget": "the funds block ([budget])",
                "funds": "an indicator row from the funds block ([budget])"}.get(
                    rule.input, "an indicator's actual value")
        problems.append(Problem(f"rule {rule.name!r} scores {what}; it cannot score this row",
                                origin.child("rule") if indicator.rule else origin))
        return None
    merged = dict(profile.rules.get(rule.name, {}))
    merged.update(preset)
    merged.update(indicator.params)
    params, found = bind_params(rule.params, merged, origin.child("params"), f"rule {rule.name!r}")
    problems.extend(found)
    if found:
        return None
    context = RuleContext(indicator, category, target, indicator.points, profile,
                          registry.units, settings, str(target) if target is not None else "",
                          functions)
    scorer = _scorer(rule, params, context, registry, problems)
    if scorer is None:
        return None
    return CompiledRow(indicator, category, group, rule, params, target, scorer, via,
                       context.target_text,
                       {k: show_param(v) for k, v in params.items()}, rescaled_from, taken)


def read_target(target: Target, indicator: Indicator, category: Category,
                registry: Registry) -> tuple[Target, Taken | None]:
    """``target`` with the comparator its category reads a number without a sign as (by kind
    of unit and the words of the indicator's name, `evalcore.reading`), and that reading;
    a target with a sign, a date or words as it is, with None."""
    quantity = target.quantity
    if target.explicit or quantity is None:
        return target, None
    unit = registry.units.get_or_count(quantity.unit) if quantity.unit else None
    taken = read_sign_less(indicator.name, unit_kind(unit), quantity.value == 0,
                           category.direction, category.reading)
    return attrs.evolve(target, comparator=taken.comparator), taken


def _resolve_rule(rule: RuleType, target: Target | None, category: Category, registry: Registry,
                  profile: Profile) -> tuple[RuleType, dict[str, Any], str | None]:
    """The plain rule that scores a row, the parameters a preset fixes, and the chain that led
    to it ("standard → positive"): a selecting rule picks by the parsed target, a preset names
    its base. The registry has checked that every name they give exists."""
    chain: list[str] = []
    preset: dict[str, Any] = {}
    if rule.select is not None:
        chain.append(rule.name)
        rule = registry.rule(rule.select(target, category))
    if rule.base is not None:
        chain.append(rule.name)
        preset = {**rule.preset, **profile.rules.get(rule.name, {})}
        rule = registry.rule(rule.base)
    return rule, preset, " → ".join(chain) or None


def _scorer(rule: RuleType, params: Mapping[str, Any], context: RuleContext, registry: Registry,
            problems: list[Problem]) -> Scorer | None:
    """The rule's scorer for one row; its ValueError is the user's problem (located at the
    row's parameters when it has some), any other exception a PluginError naming the plugin."""
    indicator = context.indicator
    origin = indicator.origin
    try:
        return rule.compile(params, context)
    except ValueError as exc:
        where = origin.child("params") if indicator.params else origin
        problems.append(Problem(f"rule {rule.name!r}: {exc}", where, hint_of(exc)))
    except EXHAUSTED as exc:
        problems.append(exhausted(exc, origin, "compiling"))
    except Exception as exc:  # a bug in the rule's plugin, not the user's mistake
        raise PluginError([Problem(f"plugin {registry.rules[rule.name].plugin!r}: rule {rule.name!r} "
                                   f"raised {type(exc).__name__} while compiling"
                                   + (f": {exc}" if str(exc) else ""), origin)]) from None
    return None


def show_param(value: object) -> str:
    """A bound parameter as the trace shows it."""
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, bool):
        return str(value).lower()
    if value is None:
        return "none"
    if isinstance(value, (Mapping, list, tuple)) and len(str(value)) > 80:
        return f"({len(value)} entries)"  # a word list or a table: the rule's doc shows its shape
    return str(value)


def _compile_budget(scheme: Scheme, registry: Registry, profile: Profile, settings: Any,
                    functions: Mapping[str, Any], problems: list[Problem]) -> CompiledRow | None:
    if not profile.budget_category:
        problems.append(Problem(
            f"the scheme has a budget row but profile {profile.name!r} names no budget category "
            "(budget.category)", scheme.origin.child("budget")))
        return None
    try:
        category = registry.category(profile.budget_category)
    except UnknownNameError as exc:
        problems.append(Problem(
            f"the profile scores the budget row with the category {profile.budget_category!r}, "
            "which no plugin registers", scheme.origin.child("budget"), exc.hint))
        return None
    assert scheme.budget_points is not None
    indicator = Indicator(id=BUDGET_ID, name=category.zh, category=category.name,
                          points=scheme.budget_points, target=None,
                          origin=scheme.origin.child("budget"))
    return _compile_row(indicator, registry, profile, settings, functions, problems)


def points_by_group(scheme: Scheme, profile: Profile, registry: Registry) -> dict[str, Decimal]:
    """The scheme's points added up per level-1 group (the funds row's too), in first-seen
    order: what the points sum is checked on. Rows whose category or group is unknown are
    left out (they are reported where they are named)."""
    return _points(scheme, profile, registry, [])


def _points(scheme: Scheme, profile: Profile, registry: Registry,
            problems: list[Problem]) -> dict[str, Decimal]:
    """`points_by_group`, with a warning in ``problems`` for each row of 0 points."""
    by_group: dict[str, Decimal] = {}
    # From the scheme itself, so a row that failed to compile still counts its points.
    weighted = [(ind.category, ind.group, ind.points, ind) for ind in scheme.indicators]
    if scheme.budget_points is not None and profile.budget_category:
        funds = Indicator(BUDGET_ID, "", profile.budget_category, scheme.budget_points, None,
                          origin=scheme.origin.child("budget"))
        weighted.append((funds.category, None, funds.points, funds))
    for category, group, points, ind in weighted:
        try:
            name = registry.group(group or registry.category(category).group).name
        except UnknownNameError:
            continue  # already reported where the category or group is named
        by_group[name] = by_group.get(name, Decimal(0)) + points
        if points == 0 and not _not_applicable(ind):
            problems.append(Problem("the indicator carries 0 points", ind.origin.child("points"),
                                    severity="warning",
                                    message_zh=f"指标“{ind.name or ind.id}”的分值为0"))
    return by_group


def _check_points(scheme: Scheme, profile: Profile, registry: Registry,
                  points_sum: bool = True) -> list[Problem]:
    """Points add up to the profile's total (unless ``points_sum`` is False); level-1 weights
    are compared with the defaults."""
    problems: list[Problem] = []
    by_group = _points(scheme, profile, registry, problems)
    total = sum(by_group.values(), Decimal(0))
    if points_sum and scheme.indicators and total != profile.total:
        detail = ", ".join(f"{registry.group(g).zh} {format_decimal(p)}" for g, p in by_group.items())
        problems.append(Problem(
            f"the points add up to {format_decimal(total)}, not {format_decimal(profile.total)} "
            f"({detail})", scheme.origin.child("indicator")))
    for key, default in profile.weights.items():
        groups = key.split("+")
        points = sum((by_group.get(g, Decimal(0)) for g in groups), Decimal(0))
        if default != points:
            names = " + ".join(registry.group(g).zh for g in groups)
            problems.append(Problem(
                f"level 1 {key!r} carries {format_decimal(points)} points; "
                f"profile {profile.name!r} gives it {format_decimal(default)} by default",
                Origin(scheme.origin.file), severity="warning",
                message_zh=f"{names}合计{format_decimal(points)}分，评价规则“{profile.name}”"
                           f"默认为{format_decimal(default)}分"))
    # An audit (points_sum False) scores a published table whatever its weights: a short share
    # is then reported, like the points sum, and does not stop it.
    problems.extend(_check_shares(scheme, profile, registry, by_group,
                                  profile.min_share_severity if points_sum else "warning"))
    return problems


def _check_shares(scheme: Scheme, profile: Profile, registry: Registry,
                  by_group: Mapping[str, Decimal], severity: str) -> list[Problem]:
    """Each ``min_share`` of the profile: the groups named (joined by "+") carry at least that
    percent of the scheme's points (产出 + 效益 ≥ 60% in department and third-party
    evaluations), reported with ``severity`` (the profile's ``min_share_severity``)."""
    total = sum(by_group.values(), Decimal(0))
    problems: list[Problem] = []
    if total <= 0:
        return problems
    for key, least in profile.min_share.items():
        groups = key.split("+")
        points = sum((by_group.get(g, Decimal(0)) for g in groups), Decimal(0))
        share = points * 100 / total
        if share >= least:
            continue
        shown = format_decimal(round_half_up(share, 2))
        names = " + ".join(_group_zh(registry, g) for g in groups)
        problems.append(Problem(
            f"level 1 {key!r} carries {format_decimal(points)} of the {format_decimal(total)} "
            f"points ({shown}%); profile {profile.name!r} wants at least {format_decimal(least)}% "
            "(min_share)", Origin(scheme.origin.file), severity=severity,
            message_zh=f"{names}合计{format_decimal(points)}分，占总分{format_decimal(total)}分的"
                       f"{shown}%，低于评价规则“{profile.name}”要求的{format_decimal(least)}%"))
    return problems


def _group_zh(registry: Registry, name: str) -> str:
    """A group's Chinese name, or its name as written when no plugin registers it (reported
    where the profile is checked)."""
    try:
        return registry.group(name).zh
    except UnknownNameError:
        return name
