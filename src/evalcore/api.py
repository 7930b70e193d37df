"""The public functions: load, compile, evaluate, render, validate.

Each takes an optional ``registry``; without one, the registry of the
installed plugins is built once per process and reused. The functions that
read files take ``max_file_size`` (bytes, 16 MiB by default): a larger file,
or anything that is not a regular file, is a located LoadError before it is
read. Each runs in evalcore's own decimal context, whatever context the
calling program has set (a caller's ``prec=3`` or trapped ``Inexact`` changes
nothing).

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .auditing import audit
from .build import (
    Built,
    build_project,
    build_project_parts,
    build_scheme,
    build_scheme_parts,
    default_scheme_loader,
)
from .compiler import compile_parts, compile_scheme
from .errors import (
    EvalcoreError,
    EvaluationError,
    Origin,
    Problem,
    UnknownNameError,
    ValidationError,
    quote,
    raise_if_errors,
)
from .evaluation import Plan, evaluate_plan
from .importing import TABLE_SUFFIXES, load_document, table_toml
from .loading import DEFAULT_MAX_FILE_SIZE, load_file
from .model import BUDGET_ID, Project, Scheme
from .numbers import in_context
from .params import bind_params
from .plugins import default_registry
from .registry import Registry
from .results import Evaluation
from .review_model import Review
from .reviewing import run_review

__all__ = ["PLAN_CACHE_SIZE", "audit", "compile", "evaluate", "import_table", "load_project", "load_scheme",
           "plan_for", "render", "review", "validate"]


def _registry(registry: Registry | None) -> Registry:
    return registry if registry is not None else default_registry()


@in_context
def load_scheme(path: str | Path, registry: Registry | None = None, *,
                max_file_size: int = DEFAULT_MAX_FILE_SIZE) -> Scheme:
    """Read a scheme file (``[scheme]`` and ``[[indicator]]``)."""
    return build_scheme(load_file(path, max_file_size), _registry(registry))


@in_context
def load_project(path: str | Path, scheme: Scheme | str | Path | None = None,
                 registry: Registry | None = None, *,
                 max_file_size: int = DEFAULT_MAX_FILE_SIZE) -> Project:
    """Read a project file: with its indicators inline, or scored against a scheme.

    A ``.xlsx`` or ``.docx`` file is read as a 自评表 table (`evalcore.import_table`).

    ``scheme`` (a Scheme or a path) overrides the file's own ``project.scheme``.
    ``max_file_size`` bounds every file read, the project's and its scheme's.
    """
    reg = _registry(registry)
    if scheme is not None and not isinstance(scheme, Scheme):
        scheme = load_scheme(scheme, reg, max_file_size=max_file_size)
    return build_project(load_document(path, max_file_size), reg, scheme,
                         default_scheme_loader(reg, max_file_size))


@in_context
def compile(scheme: Scheme, registry: Registry | None = None) -> Plan:
    """Check and compile a scheme once; evaluate many projects with the returned plan."""
    return compile_scheme(scheme, _registry(registry))


@in_context
def evaluate(project: Project, registry: Registry | None = None) -> Evaluation:
    """Score one project against its own scheme and profile.

    The compiled plan of a scheme is kept and reused by the next call with an equal scheme and
    the same registry (`plan_for`): projects read one by one, each with its own scheme object,
    are compiled once, not once each.
    """
    return plan_for(project.scheme, _registry(registry)).evaluate(project)


PLAN_CACHE_SIZE = 8
"""How many compiled plans `evaluate` keeps (the most recently used)."""

_PLANS: OrderedDict[tuple[str, int], Plan] = OrderedDict()
_PLANS_LOCK = threading.Lock()


def plan_for(scheme: Scheme, registry: Registry) -> Plan:
    """The compiled plan of ``scheme`` with ``registry``: a kept one when there is one, else
    compiled now and kept (the last `PLAN_CACHE_SIZE`).

    A plan is found by the scheme's content (its digest) and the registry object, and served
    only if it was compiled with that very registry (an id can be reused once a registry is
    gone) and, when the scheme has warnings, from that very scheme object (a warning names
    the scheme's file and line, which the digest leaves out). A changed scheme has another
    digest and a changed registry is another object, so neither is served a stale plan.
    """
    key = (scheme.digest(), id(registry))
    with _PLANS_LOCK:
        plan = _PLANS.get(key)
        if plan is not None and plan.registry is registry and (
                not plan.warnings or plan.scheme is scheme):
            _PLANS.move_to_end(key)
            return plan
    plan = compile_scheme(scheme, registry)  # outside the lock: compiling may take a while
    with _PLANS_LOCK:
        _PLANS[key] = plan
        _PLANS.move_to_end(key)
        while len(_PLANS) > PLAN_CACHE_SIZE:
            _PLANS.popitem(last=False)
    return plan


@in_context
def render(evaluation: Evaluation, format: str = "table", registry: Registry | None = None,
           options: Mapping[str, Any] | None = None, *, lang: str | None = None) -> str | bytes:
    """An evaluation in an output format: table, markdown, csv, json, html, xlsx (bytes), or a
    plugin's; ``options`` are the format's own (``{"guard": False}`` for csv), checked against
    the options it declares.

    ``lang`` is the language of the output's words: ``"zh"`` (every built-in format's default:
    the 自评表 is a Chinese form) or ``"en"``. It is the format's ``lang`` option, so
    ``render(result, "table", lang="en")`` is ``render(result, "table", options={"lang":
    "en"})``; giving it both ways, differently, is an error, and so is asking it of a plugin's
    format that declares no ``lang`` option."""
    reg = _registry(registry)
    try:
        renderer = reg.renderer(format)
    except UnknownNameError as exc:
        raise EvalcoreError([Problem(f"unknown output format {quote(format)}",
                                     hint=exc.hint)]) from None
    options = dict(options or {})
    if lang is not None:
        if "lang" in options and options["lang"] != lang:
            raise EvalcoreError([Problem(
                f"lang is given twice, differently: lang={lang!r} and options['lang']="
                f"{options['lang']!r}", hint="give the language once")])
        options["lang"] = lang
    bound, problems = bind_params(renderer.options, options, Origin(),
                                  f"the {renderer.name} format")
    if problems:
        raise EvalcoreError(problems)
    return renderer.render(evaluation, **bound)


@in_context
def validate(path: str | Path, registry: Registry | None = None, *,
             max_file_size: int = DEFAULT_MAX_FILE_SIZE) -> list[Problem]:
    """Check a scheme or project file as far as it goes without scoring errors.

    Raises an EvalcoreError listing every problem; returns the warnings. A
    project is also evaluated, so its actual values are checked too. Each stage
    checks what the earlier ones could build, so one run reports the problems of
    every stage (a misspelled key, a target that cannot be read, points that do
    not add up, an actual value that cannot be read), in file order.
    """
    return check(path, None, registry, max_file_size=max_file_size)


def check(path: str | Path, scheme: str | Path | None = None, registry: Registry | None = None,
          *, max_file_size: int = DEFAULT_MAX_FILE_SIZE, points_sum: bool = True) -> list[Problem]:
    """`validate`, for a project read against ``scheme`` (a path) when it is given: what
    ``evalcore evaluate --scheme`` reports when the project cannot be scored. ``points_sum``
    False leaves out the check that the points add up (what ``evalcore audit`` reports)."""
    reg = _registry(registry)
    doc = load_document(path, max_file_size)
    if "scheme" in doc.data and "project" not in doc.data and scheme is None:
        built = build_scheme_parts(doc, reg)
        plan, problems = _compile_built(built, reg)
        _raise_in_file_order([*built.problems, *problems], ValidationError)
        return list(plan.warnings) if plan else []
    against = load_scheme(scheme, reg, max_file_size=max_file_size) if scheme is not None else None
    built = build_project_parts(doc, reg, against, default_scheme_loader(reg, max_file_size))
    project: Project = built.value
    plan, problems = _compile_built(built, reg, project.scheme, points_sum)
    found = [*built.problems, *problems]
    before = any(p.severity == "error" for p in found)
    evaluation = None
    if plan is not None:
        try:  # the rows that compiled, with their actual values
            evaluation = evaluate_plan(plan, project)
        except EvaluationError as exc:
            found.extend(p for p in exc.problems if not _follows(p, found))
    _raise_in_file_order(found, ValidationError if before else EvaluationError)
    assert plan is not None and evaluation is not None
    return [*plan.warnings, *(Problem(f.message_en, _finding_origin(project, f.indicator),
                                      severity="warning", message_zh=f.message_zh)
                              for f in evaluation.findings if f.code != "scheme-warning")]


def _follows(problem: Problem, reported: list[Problem]) -> bool:
    """Whether ``problem`` only follows from an error already reported at a key below its
    place that it names: a funds rate's "[budget] received is missing" when ``received = -1``
    was refused (the value was dropped, so the rule found none)."""
    path = problem.origin.path
    return bool(path) and any(
        p.severity == "error" and p.origin.file == problem.origin.file
        and len(p.origin.path) > len(path) and p.origin.path[:len(path)] == path
        and str(p.origin.path[len(path)]) in problem.message
        for p in reported)


@in_context
def import_table(path: str | Path, registry: Registry | None = None, *,
                 max_file_size: int = DEFAULT_MAX_FILE_SIZE) -> str:
    """A 自评表 in Excel (.xlsx) or Word (.docx) as the text of a project TOML file.

    The blocks are found by their labels (docs/format.md, "Excel and Word tables"); every 得分
    is kept as ``published`` and the 总分 as ``project.published``, so evaluating the file
    audits the table. The table is checked as `validate` checks a file first: an EvalcoreError
    lists every problem, each located at its cell, and nothing is written that would not load.
    """
    if Path(path).suffix.lower() in TABLE_SUFFIXES:
        check(path, None, registry, max_file_size=max_file_size)
    return table_toml(path, max_file_size)


@in_context
def review(subject: Project | Scheme | str | Path, registry: Registry | None = None, *,
           max_file_size: int = DEFAULT_MAX_FILE_SIZE) -> Review:
    """Review a target table (绩效目标审核) before any actual value exists: a `Scheme`, a
    `Project` (its scheme; its actual values are ignored, which the review says in an info
    finding) or the path of a scheme or project file (TOML, .xlsx or .docx).

    Every check the plugins register (``evalcore_review_checks``) runs with the settings of
    the profile's ``[review.<check>]``; the `Review` holds the located findings, their counts
    and the conclusion (通过 / 修改后通过 / 不通过). A file that cannot be read or a scheme
    that cannot be compiled is an EvalcoreError listing every problem; what the checks find
    (points that do not add up included) is a finding, never an exception.
    """
    reg = _registry(registry)
    try:
        if isinstance(subject, (str, Path)):
            doc = load_document(subject, max_file_size)
            if "scheme" in doc.data and "project" not in doc.data:
                subject = build_scheme(doc, reg)
            else:
                subject = build_project(doc, reg, None, default_scheme_loader(reg, max_file_size))
        return run_review(subject, reg)
    except ValidationError as exc:  # listed in the file's order, as every command lists them
        _raise_in_file_order(list(exc.problems), ValidationError)
        raise


def _compile_built(built: Built, registry: Registry, scheme: Scheme | None = None,
                   points_sum: bool = True) -> tuple[Plan | None, list[Problem]]:
    """Compile what the build stage made: the rows it built whole, and the points sum unless
    some row's points, category or group (what the sum adds up by) could not be read. No plan
    when the profile cannot be resolved."""
    count_points = not any(p.origin.path[-1:] in (("points",), ("category",), ("group",))
                           for p in built.problems if p.severity == "error")
    try:
        return compile_parts(scheme or built.value, registry, built.broken, count_points,
                             points_sum)
    except ValidationError as exc:
        return None, list(exc.problems)


def _raise_in_file_order(problems: list[Problem], cls: type[EvalcoreError]) -> None:
    """Raise every error, ordered by file (first seen first) and line within it; the stage
    order stays for problems on one line or with none."""
    files: dict[str, int] = {}
    for problem in problems:
        files.setdefault(problem.origin.file, len(files))
    ordered = sorted(problems, key=lambda p: (files[p.origin.file], p.origin.line is None,
                                              p.origin.line or 0))
    raise_if_errors(ordered, cls)


def _finding_origin(project: Project, indicator: str | None) -> Origin:
    """Where a finding about ``indicator`` points in the files: its actual value, else its row."""
    if indicator == BUDGET_ID and project.budget is not None:
        return project.budget.origin
    if indicator is not None and indicator in project.actuals:
        return project.actuals[indicator].origin
    for ind in project.scheme.indicators:
        if ind.id == indicator:
            return ind.origin
    return project.origin
