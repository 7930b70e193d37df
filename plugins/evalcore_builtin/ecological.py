"""生态效益指标 ecological: Ecological benefits: emissions, green space, water quality.

The category's definition is in ``indicators/ecological.toml``.
"""

from __future__ import annotations

from evalcore.plugin import Category, hookimpl

from ._data import definitions


@hookimpl
def evalcore_categories() -> list[Category]:
    return list(definitions("ecological").categories)
