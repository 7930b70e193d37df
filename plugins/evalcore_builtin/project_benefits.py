"""项目效益 project-benefits: what the project achieved (效益), undivided.

The framework's single level-2 benefits category (经济, 社会, 生态 at level 3).
The category's definition is in ``indicators/project-benefits.toml``; docs/framework.md says
where it sits in the 决策/过程/产出/效益 framework.
"""

from __future__ import annotations

from evalcore.plugin import Category, hookimpl

from ._data import definitions


@hookimpl
def evalcore_categories() -> list[Category]:
    return list(definitions("project-benefits").categories)
