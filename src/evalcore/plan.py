"""The compiled plan: a scheme checked once, every row's target parsed and rule bound.

`evalcore.compiler` builds a `Plan`; `evalcore.evaluation` reads one to score
a project. The plan is the one object every mode of evalcore reads (evaluation
today; audit, review and monitoring are further readings of the same rows).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

import attrs

from ._version import __version__
from .errors import Problem
from .evaluation import evaluate_plan
from .model import Indicator, Project, Scheme
from .profile import Profile
from .quantities import Target
from .registrations import Aggregator, Category, Group, RuleType, Scorer
from .registry import Registry
from .results import Evaluation, Finding, Provenance

__all__ = ["CompiledRow", "Plan"]


@attrs.frozen
class CompiledRow:
    """One indicator, ready to score: its specs, parsed target, bound rule and scorer."""

    indicator: Indicator
    category: Category
    group: Group
    rule: RuleType
    params: Mapping[str, Any]
    target: Target | None
    scorer: Scorer | None  # None: the row does not apply ("/")
    via: str | None = None  # the selecting rule that chose ``rule``, if any
    # Shown in every result; computed once here rather than per evaluation.
    target_text: str = ""
    shown_params: Mapping[str, str] = attrs.field(factory=dict)
    rescaled_from: Decimal | None = None  # the scheme's points, when rows that do not apply

    @property
    def applicable(self) -> bool:
        return self.scorer is not None


@attrs.frozen
class Plan:
    """A compiled scheme. ``evaluate(project)`` scores one project; it is pure and repeatable."""

    scheme: Scheme
    profile: Profile
    registry: Registry = attrs.field(repr=False)
    rows: tuple[CompiledRow, ...]
    budget: CompiledRow | None
    aggregator: Aggregator
    category_aggregators: Mapping[str, Aggregator] = attrs.field(factory=dict)
    warnings: tuple[Problem, ...] = ()
    digest: str = ""

    @functools.cached_property
    def warning_findings(self) -> tuple[Finding, ...]:
        """The scheme's warnings as the findings every evaluation of this plan reports.

        They name the scheme's file without its folder, so a result is the same bytes wherever
        the program ran and however the file was named on its command line.
        """
        return tuple(Finding("scheme-warning", text, f"方案提示：{text}")
                     for text in (w.without_folder() for w in self.warnings))

    @functools.cached_property
    def provenance(self) -> Provenance:
        return Provenance(__version__, dict(self.registry.plugin_versions), self.digest)

    def evaluate(self, project: Project) -> Evaluation:
        """Score ``project``; EvaluationError lists every actual value that cannot be read."""
        return evaluate_plan(self, project)

    def evaluate_many(self, projects: Iterable[Project]) -> Iterator[Evaluation]:
        """Score projects one at a time, lazily: memory stays constant for any number."""
        for project in projects:
            yield self.evaluate(project)
