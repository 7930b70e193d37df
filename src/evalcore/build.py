"""Stage 2, build: TOML mappings to model objects, every problem collected.

The checks here are about form and names: the right keys with the right types,
known categories, rules and groups (with "did you mean"), unique ids, actual
values only for indicators that exist. Whether points add up and targets parse
is the compile stage's business, because it needs the resolved profile.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

import decimal
import os
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from .errors import (
    LoadError,
    Problem,
    UnknownNameError,
    ValidationError,
    quote,
    raise_if_errors,
    suggest,
)
from .loading import DEFAULT_MAX_FILE_SIZE, Document, load_file
from .model import (
    Actual,
    Budget,
    FundSource,
    Indicator,
    Project,
    ProjectInfo,
    Scheme,
    foreign_actuals,
)
from .numbers import context, format_decimal
from .reader import Reader, kind
from .registry import Registry

__all__ = ["Built", "build_project", "build_scheme", "reads_funds"]

SCHEME_KEYS = {"scheme", "settings", "budget", "indicator"}
PROJECT_KEYS = {"project", "goal", "settings", "budget", "indicator", "actual"}
SCHEME_TABLE_KEYS = {"name", "profile", "doc"}
PROJECT_TABLE_KEYS = {"name", "department", "implementer", "year", "profile", "scheme", "published"}
GOAL_KEYS = {"expected", "achieved"}
INDICATOR_KEYS = {"id", "name", "category", "group", "points", "target", "rule", "params", "notes"}
ACTUAL_KEYS = {"actual", "reason", "assessed", "published", "reviewed", "reviewed_reason", "extra"}
BUDGET_SCHEME_KEYS = {"points"}
BUDGET_FIGURE_KEYS = {"unit", "initial", "planned", "executed", "reason", "published", "reviewed",
                      "reviewed_reason", "source", "received"}
SOURCE_KEYS = {"name", "initial", "planned", "executed"}
ACTUAL_TABLE_KEYS = {"value", "reason", "assessed", "published", "reviewed", "reviewed_reason",
                     "extra"}


@attrs.frozen
class Built:
    """What the build stage could make of a file, with its problems: a later stage checks what
    is whole. ``broken`` names the rows whose own values have an error (an unknown key alone
    leaves a row whole), which compiling would only report again."""

    value: Any  # a Scheme or a Project
    problems: tuple[Problem, ...]
    broken: frozenset[str] = frozenset()


def _indicators(r: Reader, registry: Registry, inline_actuals: bool,
                actuals: dict[str, Actual], broken: set[str]) -> tuple[Indicator, ...]:
    indicators: list[Indicator] = []
    seen: dict[str, int] = {}
    per_category: dict[str, int] = {}
    allowed = INDICATOR_KEYS | ACTUAL_KEYS  # actual keys in a scheme get their own message
    for i, row in r.tables(r.data, "indicator"):
        path: tuple[str | int, ...] = ("indicator", i)
        r.keys(row, allowed, *path)
        before = r.count  # an unknown key leaves the row whole; any later problem breaks it
        if not inline_actuals:
            for key in ACTUAL_KEYS & set(row):
                r.bad(f"{key!r} belongs in the project file, not the scheme", *path, key)
        name = r.text(row, "name", *path, required=True)
        category, group, rule = _names(r, registry, row, path)
        params = r.table(row, "params", *path)
        points = r.number(row, "points", *path, required=True)
        target = r.value(row, "target", *path)
        if target is None and "target" not in row:
            r.bad("target is missing (年度指标值); write \"/\" for a row that does not apply",
                  *path, "target")
        per_category[category] = per_category.get(category, 0) + 1
        ident = row.get("id")
        if ident is None:
            ident = f"{category or 'indicator'}-{per_category[category]}"
        elif not isinstance(ident, str) or not ident.strip():
            r.bad("id must be non-empty text", *path, "id")
            ident = f"indicator-{i + 1}"
        if ident in seen:
            r.bad(f"duplicate id {quote(ident)} (also indicator[{seen[ident]}])", *path, "id")
        seen[ident] = i
        if r.count > before:
            broken.add(ident)
        indicators.append(Indicator(
            id=ident, name=name, category=category, points=points or Decimal(0), target=target,
            rule=rule, params=params, group=group, notes=r.text(row, "notes", *path),
            origin=r.origin(*path),
        ))
        if inline_actuals and ("actual" in row or ACTUAL_KEYS & set(row)):
            actuals[ident] = _actual(r, row, "actual", path, points)
    return tuple(indicators)


def _names(r: Reader, registry: Registry, row: Mapping[str, Any], path: tuple[str | int, ...]
           ) -> tuple[str, str | None, str | None]:
    """An indicator's category (its canonical name), group and rule, each checked against the
    registry: "" or None where the row leaves it out or names something unknown."""
    category_text = r.text(row, "category", *path, required=True)
    category = ""
    if category_text:
        category = _registered(r, registry.category, category_text, *path, "category") or ""
    group = None
    if "group" in row:
        group = _registered(r, registry.group, r.text(row, "group", *path), *path, "group")
    rule = None
    if "rule" in row:
        rule = r.text(row, "rule", *path) or None
        if rule is None and isinstance(row["rule"], str):
            r.bad("rule is empty; leave the key out for the category's default rule", *path, "rule")
        elif rule is not None:
            _registered(r, registry.rule, rule, *path, "rule")
    return category, group, rule


def _registered(r: Reader, lookup: Callable[[str], Any], name: str, *path: str | int) -> str | None:
    """The registered name of ``name`` (a category may be named by an alias), or None with an
    "unknown <kind>" problem at ``path``, "did you mean" in its hint."""
    try:
        return str(lookup(name).name)
    except UnknownNameError as exc:
        r.bad(f"unknown {exc.kind} {quote(name)}", *path, hint=exc.hint)
        return None


def _actual(r: Reader, table: Mapping[str, Any], value_key: str,
            path: tuple[str | int, ...], points: Decimal | None = None) -> Actual:
    extra = r.table(table, "extra", *path)
    return Actual(
        value=r.value(table, value_key, *path),
        reason=r.text(table, "reason", *path),
        assessed=r.number(table, "assessed", *path),
        published=r.number(table, "published", *path),
        extra=extra,
        reviewed=_reviewed(r, table, points, path),
        reviewed_reason=r.text(table, "reviewed_reason", *path),
        origin=r.origin(*path, value_key),
    )


def _reviewed(r: Reader, table: Mapping[str, Any], points: Decimal | None,
              path: tuple[str | int, ...]) -> Decimal | None:
    """A reviewer's score (复核分): a number from 0 to the row's ``points`` (when they are
    known), else None with a located problem."""
    value = r.number(table, "reviewed", *path)
    if value is not None and points is not None and value > points:
        r.bad(f"reviewed score {format_decimal(value)} is above the row's "
              f"{format_decimal(points)} points", *path, "reviewed",
              hint=f"a score lies between 0 and {format_decimal(points)}")
        return None
    return value


def _scheme(r: Reader, registry: Registry, name: str, profile: str,
            actuals: dict[str, Actual] | None, broken: set[str]) -> Scheme:
    data = r.data
    budget = r.table(data, "budget")
    settings = r.table(data, "settings")
    if profile:
        _registered(r, registry.profile, profile, "project" if "project" in data else "scheme",
                    "profile")
    indicators = _indicators(r, registry, actuals is not None,
                             actuals if actuals is not None else {}, broken)
    return Scheme(
        name=name,
        indicators=indicators,
        profile=profile or None,
        budget_points=r.number(budget, "points", "budget") if "budget" in data else None,
        settings=settings,
        origin=r.origin(),
    )


def build_scheme(doc: Document, registry: Registry) -> Scheme:
    """A scheme file (``[scheme]`` plus ``[[indicator]]``) to a `Scheme`."""
    built = build_scheme_parts(doc, registry)
    raise_if_errors(built.problems)
    scheme: Scheme = built.value
    return scheme


def build_scheme_parts(doc: Document, registry: Registry) -> Built:
    """The scheme `build_scheme` makes, and its problems, without raising for those that leave
    the rest of the file meaningful."""
    with decimal.localcontext(context()):  # the caller's decimal settings never matter
        return _build_scheme(doc, registry)


def _build_scheme(doc: Document, registry: Registry) -> Built:
    if "project" in doc.data:  # one problem, not one for each key a scheme does not have
        raise ValidationError([Problem("this is a project file, not a scheme; evaluate it instead",
                                       doc.origin("project"))])
    r = Reader.of(doc)
    r.keys(doc.data, SCHEME_KEYS)
    head = r.table(doc.data, "scheme")
    r.keys(head, SCHEME_TABLE_KEYS, "scheme")
    if "actual" in doc.data:
        r.bad("a scheme has no actual values: they belong in each project file", "actual")
    budget = r.table(doc.data, "budget")
    r.keys(budget, BUDGET_SCHEME_KEYS, "budget")
    broken: set[str] = set()
    scheme = _scheme(r, registry, r.text(head, "name", "scheme", required=True),
                     r.name(head, "profile", "scheme", default="the default profile"), None, broken)
    return Built(scheme, tuple(r.problems), frozenset(broken))


def build_project(doc: Document, registry: Registry, scheme: Scheme | None = None,
                  load_scheme: Callable[[Path], Scheme] | None = None) -> Project:
    """A project file to a `Project`.

    The file holds its indicators inline, or names a scheme file in
    ``project.scheme`` (relative to the project file), or the caller passes
    ``scheme``. ``load_scheme`` reads a named scheme file.
    """
    built = build_project_parts(doc, registry, scheme, load_scheme)
    raise_if_errors(built.problems)
    project: Project = built.value
    return project


def build_project_parts(doc: Document, registry: Registry, scheme: Scheme | None = None,
                        load_scheme: Callable[[Path], Scheme] | None = None) -> Built:
    """The project `build_project` makes, and its problems, without raising for those that
    leave the rest of the file meaningful."""
    with decimal.localcontext(context()):  # the caller's decimal settings never matter
        return _build_project(doc, registry, scheme, load_scheme)


def _build_project(doc: Document, registry: Registry, scheme: Scheme | None,
                   load_scheme: Callable[[Path], Scheme] | None) -> Built:
    r = Reader.of(doc)
    data = doc.data
    if "scheme" in data and "project" not in data:
        raise ValidationError([Problem(
            "this is a scheme file: evaluate a project file that names it in project.scheme, "
            "or pass it with --scheme", doc.origin("scheme"))])
    r.keys(data, PROJECT_KEYS)
    head = r.table(data, "project")
    if "project" not in data:
        r.bad("a project file needs a [project] table with at least a name", "project")
    r.keys(head, PROJECT_TABLE_KEYS, "project")
    goal = r.table(data, "goal")
    r.keys(goal, GOAL_KEYS, "goal")
    year = head.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)
                             or not 1949 <= year <= 2200):
        r.bad(_year_message(year), "project", "year")
        year = None
    info = ProjectInfo(
        name=r.text(head, "name", "project", required=True),
        department=r.text(head, "department", "project"),
        implementer=r.text(head, "implementer", "project"),
        year=year,
        goal_expected=r.text(goal, "expected", "goal"),
        goal_achieved=r.text(goal, "achieved", "goal"),
        published_total=r.number(head, "published", "project"),
    )
    actuals: dict[str, Actual] = {}
    broken: set[str] = set()
    profile = r.name(head, "profile", "project", default="the default profile")
    inline = "indicator" in data
    scheme_ref = r.name(head, "scheme", "project", default="a project that lists its indicators")
    if inline and (scheme is not None or scheme_ref):
        r.bad("a project either lists its indicators or names a scheme, not both",
              "project", "scheme" if scheme_ref else "indicator")
    if scheme is None and scheme_ref and not inline:
        scheme = _named_scheme(r, scheme_ref, load_scheme)
    if scheme is None:
        if not inline and "scheme" not in head:
            r.bad("no indicators: add [[indicator]] tables, or name a scheme file in "
                  "project.scheme", "project")
        scheme = _scheme(r, registry, info.name, profile, actuals, broken)
    else:
        if profile and scheme.profile is None:  # the scheme leaves the profile to the project
            scheme = attrs.evolve(scheme, profile=profile)
        if profile and scheme.profile and profile != scheme.profile:
            r.bad(f"the project says profile {quote(profile)} but its scheme says "
                  f"{quote(scheme.profile)}",
                  "project", "profile")
        if "settings" in data:
            r.bad("[settings] belong in the scheme file", "settings")
    budget = _budget(r, registry, scheme, inline)
    _actual_table(r, scheme, actuals)
    return Built(Project(info, scheme, budget, actuals, doc.origin()), tuple(r.problems),
                 frozenset(broken))


def _year_message(year: object) -> str:
    """What is wrong with ``year``: a year written as text ("2022") needs only its quotes
    removed, anything else is not a year at all."""
    if isinstance(year, str) and year.strip().isascii() and year.strip().isdigit() \
            and 1949 <= int(year.strip()) <= 2200:
        return f"year must be a number such as {year.strip()}, not {kind(year)}"
    return f"year must be a four-digit year, not {kind(year)}"


def _named_scheme(r: Reader, ref: str, load_scheme: Callable[[Path], Scheme] | None) -> Scheme:
    """The scheme file ``project.scheme`` names (relative to the project file), read; a file that
    cannot be read or is not a scheme is reported at ``project.scheme`` too."""
    if load_scheme is None:
        raise ValueError("build_project needs load_scheme to read project.scheme")
    path = Path(r.origin().file).parent / ref
    where = r.origin("project", "scheme")
    if _same_file(path, r.origin().file):
        raise ValidationError([*r.problems, Problem(
            "the scheme file is the project file itself; name the file that holds the scheme "
            "([scheme] and its [[indicator]] tables)", where)])
    try:
        return load_scheme(path)
    except LoadError as exc:
        raise LoadError([*exc.problems, Problem(
            f"the scheme file {quote(ref)} named here cannot be read (paths are relative "
            "to the project file)", where)]) from None
    except ValidationError as exc:
        raise ValidationError([*exc.problems, Problem(
            f"the scheme file {quote(ref)} named here is not a valid scheme (its problems "
            "are listed above)", where)]) from None


def _same_file(path: Path, file: str) -> bool:
    """Whether ``path`` names ``file`` (through any link or spelling); False when either is not
    a file that can be looked at."""
    try:
        return os.path.samefile(path, file)
    except (OSError, ValueError):
        return False


def _budget(r: Reader, registry: Registry, scheme: Scheme, inline: bool) -> Budget | None:
    data = r.data
    if "budget" not in data:
        return None
    table = r.table(data, "budget")
    if not isinstance(data["budget"], Mapping):
        return None  # reported by r.table
    r.keys(table, BUDGET_FIGURE_KEYS | (BUDGET_SCHEME_KEYS if inline else set()), "budget")
    unit = r.text(table, "unit", "budget")
    if unit and registry.units.get(unit) is None:
        r.bad(f"unknown unit {quote(unit)}", "budget", "unit",
              hint=suggest(unit, registry.units.units) or "`evalcore plugins` lists the units")
    sources: list[FundSource] = []
    for i, row in r.tables(table, "source", "budget", each="budget source"):
        path = ("budget", "source", i)
        r.keys(row, SOURCE_KEYS, *path)
        sources.append(FundSource(
            r.text(row, "name", *path, required=True), r.number(row, "initial", *path),
            r.number(row, "planned", *path), r.number(row, "executed", *path)))
    if scheme.budget_points is None and not reads_funds(scheme, registry):
        if inline:
            r.bad("[budget] needs points: the weight of the budget-execution row, "
                  "e.g. points = 10", "budget")
        else:
            r.bad("the project has a [budget] but its scheme gives the budget row no points "
                  "([budget] points = ... in the scheme)", "budget")
    return Budget(
        planned=r.number(table, "planned", "budget"),
        executed=r.number(table, "executed", "budget"),
        unit=unit,
        initial=r.number(table, "initial", "budget"),
        sources=tuple(sources),
        reason=r.text(table, "reason", "budget"),
        published=r.number(table, "published", "budget"),
        reviewed=_reviewed(r, table, scheme.budget_points, ("budget",)),
        reviewed_reason=r.text(table, "reviewed_reason", "budget"),
        origin=r.origin("budget"),
        received=r.number(table, "received", "budget"),
    )


def reads_funds(scheme: Scheme, registry: Registry) -> bool:
    """Whether a row of ``scheme`` is scored from the funds block (a rule with ``input =
    "funds"``, named by the row or its category): then a project may give [budget] without
    the scheme's funds row."""
    for ind in scheme.indicators:
        try:
            name = ind.rule or registry.category(ind.category).default_rule
            rule = registry.rule(name)
            if rule.base is not None:
                rule = registry.rule(rule.base)
        except (UnknownNameError, KeyError):
            continue  # reported where the scheme is compiled
        if rule.input == "funds":
            return True
    return False


def _actual_table(r: Reader, scheme: Scheme, actuals: dict[str, Actual]) -> None:
    table = r.table(r.data, "actual")
    r.report(*foreign_actuals(scheme, ((ident, r.origin("actual", ident)) for ident in table)))
    known = {ind.id: ind.points for ind in scheme.indicators}
    for ident, entry in table.items():
        path: tuple[str | int, ...] = ("actual", ident)
        if ident not in known:
            continue  # reported above
        if ident in actuals:
            r.bad(f"{quote(ident)} has an actual value twice: inline and in [actual]", *path)
            continue
        if isinstance(entry, Mapping):
            r.keys(entry, ACTUAL_TABLE_KEYS, *path)
            actuals[ident] = _actual(r, entry, "value", path, known[ident])
        else:
            actuals[ident] = _actual(r, {"value": entry}, "value", path, known[ident])


def default_scheme_loader(registry: Registry, max_file_size: int = DEFAULT_MAX_FILE_SIZE
                          ) -> Callable[[Path], Scheme]:
    """Read a scheme file named by a project (used by `evalcore.load_project`), of at most
    ``max_file_size`` bytes."""

    def load(path: Path) -> Scheme:
        return build_scheme(load_file(path, max_file_size), registry)

    return load

