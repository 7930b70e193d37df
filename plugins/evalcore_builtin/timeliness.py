"""时效指标 timeliness: Whether outputs came on time: deadlines, completion rates by date.

The category's definition is in ``indicators/timeliness.toml``.
"""

from __future__ import annotations

from evalcore import hookimpl
from evalcore.specs import Category

from ._data import definitions


@hookimpl
def evalcore_categories() -> list[Category]:
    return list(definitions("timeliness").categories)
