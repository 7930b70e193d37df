"""可持续影响指标 sustainability: Whether the effects last: institutions, mechanisms, capacity.

The category's definition is in ``indicators/sustainability.toml``.
"""

from __future__ import annotations

from evalcore.plugin import Category, hookimpl

from ._data import definitions


@hookimpl
def evalcore_categories() -> list[Category]:
    return list(definitions("sustainability").categories)
