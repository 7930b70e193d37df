"""Units of measure (counts, percent, money, time), from ``indicators/units.toml``."""

from __future__ import annotations

from evalcore.plugin import Unit, hookimpl

from ._data import definitions


@hookimpl
def evalcore_units() -> list[Unit]:
    return list(definitions("units").units)
