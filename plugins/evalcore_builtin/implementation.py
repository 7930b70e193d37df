"""组织实施 implementation: how the project was organised and run (过程).

Its rows: 管理制度健全性, 制度执行有效性.
The category's definition is in ``indicators/implementation.toml``; docs/framework.md says
where it sits in the 决策/过程/产出/效益 framework.
"""

from __future__ import annotations

from evalcore.plugin import Category, hookimpl

from ._data import definitions


@hookimpl
def evalcore_categories() -> list[Category]:
    return list(definitions("implementation").categories)
