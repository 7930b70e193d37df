"""evalcore: a rules engine for the performance evaluation (绩效评价) of public spending.

Load a project (or a scheme shared by many projects), compile it once,
evaluate, render the 自评表::

    import evalcore
    project = evalcore.load_project("examples/ganzhou-2021/project.toml")
    result = evalcore.evaluate(project)
    print(result.total, result.grade)
    print(evalcore.render(result, "table"))

The pipeline is load → build → compile → evaluate → render; scoring rules,
categories, profiles, units and formats come from plugins (see
`evalcore.hookspecs`).
"""

from ._version import __version__
from .api import compile, evaluate, load_project, load_scheme, render, validate
from .compiler import Plan
from .errors import (
    EvalcoreError,
    EvaluationError,
    LoadError,
    PluginError,
    Problem,
    ValidationError,
)
from .hookspecs import hookimpl
from .model import Actual, Budget, FundSource, Indicator, Project, ProjectInfo, Scheme
from .plugins import default_registry, get_plugin_manager
from .profile import Grade, Profile
from .quantities import Comparator, Quantity, Target, Unit
from .registry import Registry
from .results import BudgetRow, Evaluation, Finding, Provenance, Row, Subtotal, Trace
from .specs import (
    Aggregator,
    Category,
    Group,
    Observation,
    Outcome,
    Param,
    Renderer,
    RuleContext,
    RuleType,
    Status,
)

__all__ = [
    "Actual",
    "Aggregator",
    "Budget",
    "BudgetRow",
    "Category",
    "Comparator",
    "EvalcoreError",
    "Evaluation",
    "EvaluationError",
    "Finding",
    "FundSource",
    "Grade",
    "Group",
    "Indicator",
    "LoadError",
    "Observation",
    "Outcome",
    "Param",
    "Plan",
    "PluginError",
    "Problem",
    "Profile",
    "Project",
    "ProjectInfo",
    "Provenance",
    "Quantity",
    "Registry",
    "Renderer",
    "Row",
    "RuleContext",
    "RuleType",
    "Scheme",
    "Status",
    "Subtotal",
    "Target",
    "Trace",
    "Unit",
    "ValidationError",
    "__version__",
    "compile",
    "default_registry",
    "evaluate",
    "get_plugin_manager",
    "hookimpl",
    "load_project",
    "load_scheme",
    "render",
    "validate",
]
