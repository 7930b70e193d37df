"""The level-1 groups (一级指标) of the national tree, from ``indicators/groups.toml``."""

from __future__ import annotations

from evalcore.plugin import Group, hookimpl

from ._data import definitions


@hookimpl
def evalcore_groups() -> list[Group]:
    return list(definitions("groups").groups)

