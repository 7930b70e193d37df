"""Where evalcore-pefa's TOML lives, and the two files it reads itself (each read once)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path

from evalcore.plugin import Definitions, load_definitions, load_file

__all__ = ["DATA", "dimensions", "framework"]

DATA = Path(__file__).resolve().parent / "data"


@functools.cache
def framework() -> Definitions:
    """The pillars (groups) and indicators (categories) of ``data/framework.toml``."""
    return load_definitions(DATA / "framework.toml")


@functools.cache
def dimensions() -> Mapping[str, tuple[str, ...]]:
    """Each indicator's dimensions, by category name (``data/dimensions.toml``)."""
    data = load_file(DATA / "dimensions.toml").data
    return {name: tuple(entry["dimensions"]) for name, entry in data.items()}
