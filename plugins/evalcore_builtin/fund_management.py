"""资金管理 fund-management: how the money arrived, was spent and kept (过程).

Its rows: 资金到位率, the process 预算执行率, 资金使用合规性.
The category's definition is in ``indicators/fund-management.toml``; docs/framework.md says
where it sits in the 决策/过程/产出/效益 framework.
"""

from __future__ import annotations

from evalcore.plugin import Category, hookimpl

from ._data import definitions


@hookimpl
def evalcore_categories() -> list[Category]:
    return list(definitions("fund-management").categories)
