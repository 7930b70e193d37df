"""绩效目标 performance-objectives: whether the targets were sound and clear (决策).

Its rows: 绩效目标合理性, 绩效指标明确性.
The category's definition is in ``indicators/performance-objectives.toml``; docs/framework.md says
where it sits in the 决策/过程/产出/效益 framework.
"""

from __future__ import annotations

from evalcore.plugin import Category, hookimpl

from ._data import definitions


@hookimpl
def evalcore_categories() -> list[Category]:
    return list(definitions("performance-objectives").categories)
