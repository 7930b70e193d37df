"""数量指标 quantity: How much was produced or delivered.

The category's definition is in ``indicators/quantity.toml``.
"""

from __future__ import annotations

from evalcore.plugin import Category, hookimpl

from ._data import definitions


@hookimpl
def evalcore_categories() -> list[Category]:
    return list(definitions("quantity").categories)
