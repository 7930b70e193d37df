"""质量指标 quality: How good the outputs are: pass rates, standards met.

The category's definition is in ``indicators/quality.toml``.
"""

from __future__ import annotations

from evalcore.plugin import Category, hookimpl

from ._data import definitions


@hookimpl
def evalcore_categories() -> list[Category]:
    return list(definitions("quality").categories)
