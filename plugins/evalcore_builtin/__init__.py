"""evalcore's built-in plugins: the national indicator tree, units, rules and profiles.

Each module is a plugin registered through the ``evalcore`` entry-point group,
exactly as a third-party plugin would be. A category module is its TOML under
``indicators/`` plus a few lines; rules that need code live beside it.

`PLUGINS` is the one list of them. ``[project.entry-points.evalcore]`` in
evalcore's ``pyproject.toml`` must say exactly the same (a test compares them),
and evalcore registers any of them that the installed entry points lack, with a
warning, so a stale installation cannot silently lose a category or a format.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["PLUGINS"]

PLUGINS: Mapping[str, str] = MappingProxyType({
    # entry-point name (the plugin's name in `evalcore plugins` and in messages) → module
    "units": "evalcore_builtin.units",
    "groups": "evalcore_builtin.groups",
    "rules": "evalcore_builtin.rules",
    "profiles": "evalcore_builtin.profile_library",
    "aggregation": "evalcore_builtin.aggregation",
    "formula": "evalcore_builtin.formula_rule",
    "bands": "evalcore_builtin.bands",
    "deductions": "evalcore_builtin.deductions",
    "checklist": "evalcore_builtin.checklist",
    "rates": "evalcore_builtin.rates",
    "quantity": "evalcore_builtin.quantity",
    "quality": "evalcore_builtin.quality",
    "timeliness": "evalcore_builtin.timeliness",
    "cost": "evalcore_builtin.cost",
    "economic": "evalcore_builtin.economic",
    "social": "evalcore_builtin.social",
    "ecological": "evalcore_builtin.ecological",
    "sustainability": "evalcore_builtin.sustainability",
    "satisfaction": "evalcore_builtin.satisfaction",
    "project-initiation": "evalcore_builtin.project_initiation",
    "performance-objectives": "evalcore_builtin.performance_objectives",
    "funding-inputs": "evalcore_builtin.funding_inputs",
    "fund-management": "evalcore_builtin.fund_management",
    "implementation": "evalcore_builtin.implementation",
    "duties": "evalcore_builtin.duties",
    "project-benefits": "evalcore_builtin.project_benefits",
    "budget": "evalcore_builtin.budget",
    "formats": "evalcore_builtin.formats",
    "documents": "evalcore_builtin.documents",
    "report": "evalcore_builtin.report",
    "review": "evalcore_builtin.review_checks",
})
"""The built-in plugins: entry-point name → module, as in evalcore's ``pyproject.toml``."""
