"""经济效益指标 economic: Economic benefits: income, output value, jobs.

The category's definition is in ``indicators/economic.toml``.
"""

from __future__ import annotations

from evalcore.plugin import Category, hookimpl

from ._data import definitions


@hookimpl
def evalcore_categories() -> list[Category]:
    return list(definitions("economic").categories)
