"""evalcore: a rules engine for the performance evaluation (绩效评价) of public spending.

Load a project (or a scheme shared by many projects), compile it once,
evaluate, render the 自评表 (or, mid-year, `evalcore.monitor` a project's values to date):

```python
import evalcore
project = evalcore.load_project("examples/ganzhou-2021/project.toml")
result = evalcore.evaluate(project)
print(result.total, result.grade)
print(evalcore.render(result, "table"))
```

The pipeline is load → build → compile → evaluate → render. This module is
the user's API; scoring rules, categories, profiles, units and formats come
from plugins, which are written against `evalcore.plugin`. Every other
module is the engine's own and may change in any release.
"""

from ._version import __version__
from .api import (
    audit,
    compile,
    evaluate,
    import_table,
    load_project,
    load_scheme,
    render,
    review,
    validate,
)
from .auditing import Audit, AuditSummary, Comparison
from .errors import (
    EvalcoreError,
    EvaluationError,
    LoadError,
    Origin,
    PluginError,
    Problem,
    ValidationError,
)
from .evaluation import Plan
from .model import Actual, Budget, FundSource, Indicator, Project, ProjectInfo, Scheme
from .monitoring import BudgetProgress, MonitorFinding, MonitorReport, RowProgress, monitor
from .plugins import FallbackWarning, default_registry, get_plugin_manager
from .profile import Grade, Profile
from .progress import MonitoringData, Progress
from .registry import Registry
from .results import BudgetRow, Evaluation, Finding, Funds, Provenance, Row, Status, Subtotal, Trace
from .review_model import Review, ReviewCounts, ReviewFinding
from .schema import json_schema

__all__ = [
    "Actual",
    "Audit",
    "AuditSummary",
    "Budget",
    "BudgetProgress",
    "BudgetRow",
    "Comparison",
    "EvalcoreError",
    "Evaluation",
    "EvaluationError",
    "FallbackWarning",
    "Finding",
    "FundSource",
    "Funds",
    "Grade",
    "Indicator",
    "LoadError",
    "MonitorFinding",
    "MonitorReport",
    "MonitoringData",
    "Origin",
    "Plan",
    "PluginError",
    "Problem",
    "Profile",
    "Progress",
    "Project",
    "ProjectInfo",
    "Provenance",
    "Registry",
    "Review",
    "ReviewCounts",
    "ReviewFinding",
    "Row",
    "RowProgress",
    "Scheme",
    "Status",
    "Subtotal",
    "Trace",
    "ValidationError",
    "__version__",
    "audit",
    "compile",
    "default_registry",
    "evaluate",
    "get_plugin_manager",
    "import_table",
    "json_schema",
    "load_project",
    "load_scheme",
    "monitor",
    "render",
    "review",
    "validate",
]
