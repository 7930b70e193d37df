"""满意度指标 satisfaction: Satisfaction of the people served.

The category's definition is in ``indicators/satisfaction.toml``.
"""

from __future__ import annotations

from evalcore import hookimpl
from evalcore.specs import Category

from ._data import definitions


@hookimpl
def evalcore_categories() -> list[Category]:
    return list(definitions("satisfaction").categories)
