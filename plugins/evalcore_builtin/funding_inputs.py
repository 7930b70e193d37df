"""资金投入 funding-inputs: how the budget was drawn up and allocated (决策).

Its rows: 预算编制科学性, 资金分配合理性.
The category's definition is in ``indicators/funding-inputs.toml``; docs/framework.md says
where it sits in the 决策/过程/产出/效益 framework.
"""

from __future__ import annotations

from evalcore.plugin import Category, hookimpl

from ._data import definitions


@hookimpl
def evalcore_categories() -> list[Category]:
    return list(definitions("funding-inputs").categories)
