"""成本指标 cost: What the outputs cost; lower is better.

The category's definition is in ``indicators/cost.toml``.
"""

from __future__ import annotations

from evalcore.plugin import Category, hookimpl

from ._data import definitions


@hookimpl
def evalcore_categories() -> list[Category]:
    return list(definitions("cost").categories)
