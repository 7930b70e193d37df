"""职责履行 duties: a department's duties carried out (部门整体支出, 产出).

Its rows: 实际完成率, 完成及时率, 质量达标率, 重点工作办结率.
The category's definition is in ``indicators/duties.toml``; docs/framework.md says
where it sits in the 决策/过程/产出/效益 framework.
"""

from __future__ import annotations

from evalcore.plugin import Category, hookimpl

from ._data import definitions


@hookimpl
def evalcore_categories() -> list[Category]:
    return list(definitions("duties").categories)
