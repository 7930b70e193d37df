"""项目立项 project-initiation: why and how the project was approved (决策).

Its rows: 立项依据充分性, 立项程序规范性.
The category's definition is in ``indicators/project-initiation.toml``; docs/framework.md says
where it sits in the 决策/过程/产出/效益 framework.
"""

from __future__ import annotations

from evalcore.plugin import Category, hookimpl

from ._data import definitions


@hookimpl
def evalcore_categories() -> list[Category]:
    return list(definitions("project-initiation").categories)
