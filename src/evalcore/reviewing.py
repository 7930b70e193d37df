"""Target review (绩效目标审核): a target table checked before any actual value exists.

The same compiled plan as evaluation (one engine, several readings of it): the scheme is
compiled, so every target is parsed and every row knows its category, group and unit, but
nothing is scored. The points sum is not a compile error here but the ``points`` check's
finding, located and counted like the others. Every check is a plugin's `ReviewCheck`
(``evalcore_review_checks``) run with the settings of the profile's ``[review.<check>]``;
the findings, located at their rows, give the conclusion by the profile's
``[review.conclusion]`` thresholds. A project's actual values are not read: the review says
so in one info finding.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the public
surfaces); its own path may change in any release.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from .compiler import compile_parts, points_by_group
from .errors import (
    EXHAUSTED,
    Origin,
    PluginError,
    Problem,
    ValidationError,
    exception_text,
    format_path,
    hint_of,
)
from .evaluation import CompiledRow
from .model import Project, Scheme
from .numbers import in_context
from .registry import Registry
from .review_model import (
    CONCLUSIONS,
    EVALCORE_CHOICE,
    SEVERITIES,
    Review,
    ReviewCheck,
    ReviewCounts,
    ReviewFinding,
    ReviewRow,
    ReviewSubject,
)
from .review_settings import conclude, read_review_settings

__all__ = ["review_subject", "run_review"]

ACTUALS_IGNORED = "actuals-ignored"


@in_context
def run_review(subject: Project | Scheme, registry: Registry) -> Review:
    """Review a scheme, or a project's scheme, with every enabled check ``registry`` holds.

    A scheme that cannot be compiled (a target that cannot be read, an unknown category, a
    setting the profile does not have) is the user's mistake: a `ValidationError` listing
    every problem. What the checks find is the review's result, never an exception.
    """
    project = subject if isinstance(subject, Project) else None
    scheme = subject.scheme if isinstance(subject, Project) else subject
    facts = review_subject(scheme, registry, project)
    if not registry.review_checks:
        raise ValidationError([Problem(
            "no review checks are installed, so nothing can be reviewed",
            hint="the built-in plugin 'review' registers them; "
                 "check EVALCORE_PLUGINS or reinstall evalcore-jixiao")])
    checks = sorted((e.item for e in registry.review_checks.values()),
                    key=lambda c: (c.order, c.name))
    thresholds, settings, problems = read_review_settings(
        facts.profile.settings, {c.name: c for c in checks}, scheme.origin.child("settings"))
    if problems:
        raise ValidationError(problems)
    findings: list[ReviewFinding] = []
    ran: list[str] = []
    if project is not None and _has_actuals(project):
        findings.append(ReviewFinding(
            code=ACTUALS_IGNORED, severity="info", source=EVALCORE_CHOICE, check_zh="",
            file=project.origin.file,
            message_zh="项目文件中的实际完成值未参与审核：目标审核只看指标和目标值",
            message_en="the project's actual values are ignored: a target review reads the "
                       "indicators and their targets only"))
    origins = {ind.id: ind.origin for ind in scheme.indicators}
    for check in checks:
        if not settings[check.name]["enabled"]:
            continue
        ran.append(check.name)
        bound = {k: v for k, v in settings[check.name].items() if k != "enabled"}
        findings.extend(_located(f, check, scheme, origins)
                        for f in _run(check, facts, bound, registry))
    rank = {name: i for i, name in enumerate(ran)}
    position = {ind.id: i for i, ind in enumerate(scheme.indicators)}
    findings.sort(key=lambda f: (rank.get(f.check, -1), SEVERITIES.index(f.severity),
                                 position.get(f.indicator or "", -1)))
    counts = ReviewCounts(*(sum(f.severity == s for f in findings) for s in SEVERITIES))
    conclusion = conclude(counts.errors, counts.warnings, thresholds)
    return Review(scheme=scheme.name, file=scheme.origin.file, profile=facts.profile.name,
                  year=facts.year, findings=tuple(findings), counts=counts, checks=tuple(ran),
                  conclusion=conclusion, conclusion_en=CONCLUSIONS[conclusion])


def review_subject(scheme: Scheme, registry: Registry, project: Project | None = None
                   ) -> ReviewSubject:
    """What the checks are given: the scheme compiled (a `ValidationError` with every problem
    when it cannot be, the points sum aside), its rows, points per group and budget year."""
    plan, problems = compile_parts(scheme, registry, points_sum=False)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ValidationError(errors)
    rows = tuple(_row(row, registry) for row in plan.rows)
    year = project.info.year if project is not None else None
    return ReviewSubject(scheme=scheme, profile=plan.profile, registry=registry, rows=rows,
                         points_by_group=points_by_group(scheme, plan.profile, registry),
                         year=year, project=project)


def _row(row: CompiledRow, registry: Registry) -> ReviewRow:
    quantity = row.target.quantity if row.target is not None else None
    unit = registry.units.get_or_count(quantity.unit) if quantity and quantity.unit else None
    return ReviewRow(row.indicator.id, row.indicator.name, row.category, row.group,
                     row.indicator.points, row.target, row.target_text, unit,
                     row.rule.itemised)


def _has_actuals(project: Project) -> bool:
    budget = project.budget
    return any(a.value is not None for a in project.actuals.values()) or (
        budget is not None and budget.executed is not None)


def _run(check: ReviewCheck, subject: ReviewSubject, settings: Mapping[str, object],
         registry: Registry) -> Sequence[ReviewFinding]:
    """The check's findings; its ValueError the user's problem, anything else the plugin's."""
    plugin = registry.review_checks[check.name].plugin
    where = f"plugin {plugin!r}: review check {check.name!r}"
    try:
        found = list(check.check(subject, settings))
    except ValueError as exc:
        scheme = subject.scheme
        review = scheme.settings.get("review")
        at = scheme.origin.child("settings", "review", check.name) if (
            isinstance(review, Mapping) and check.name in review) else scheme.origin
        raise ValidationError([Problem(f"review check {check.name!r}: {exc}", at,
                                       hint_of(exc))]) from None
    except EXHAUSTED:
        raise
    except Exception as exc:
        raise PluginError([Problem(f"{where} raised {exception_text(exc)}")]) from None
    if not all(isinstance(f, ReviewFinding) for f in found):
        raise PluginError([Problem(f"{where} must return ReviewFinding objects")])
    return found


def _located(finding: ReviewFinding, check: ReviewCheck, scheme: Scheme,
             origins: Mapping[str, Origin]) -> ReviewFinding:
    """``finding`` with its check, source and place in the file (``origins``: each row's):
    its row's line (the key the check named below the row, ``target``, when the file has its
    line), the scheme's for a finding about the whole table."""
    origin: Origin = scheme.origin
    if finding.indicator is not None:
        origin = origins.get(finding.indicator, origin)
    if finding.key:
        origin = origin.child(*finding.key.split("."))
    return attrs.evolve(finding, check=check.name, check_zh=check.zh,
                        source=finding.source or check.source,
                        file=origin.file, key=format_path(origin.path), line=origin.line)
