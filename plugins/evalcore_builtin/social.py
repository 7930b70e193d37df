"""社会效益指标 social: Social benefits: public services, awareness, safety.

The category's definition is in ``indicators/social.toml``.
"""

from __future__ import annotations

from evalcore.plugin import Category, hookimpl

from ._data import definitions


@hookimpl
def evalcore_categories() -> list[Category]:
    return list(definitions("social").categories)
