"""Where the built-in plugins' TOML lives, installed or in a source checkout."""

from __future__ import annotations

import functools
from pathlib import Path

from evalcore.plugin import Definitions, load_definitions

_HERE = Path(__file__).resolve().parent


def indicators_dir() -> Path:
    """The ``indicators/`` folder: inside the package in a wheel, at the repository root in a
    source checkout (editable install)."""
    packaged = _HERE / "indicators"
    return packaged if packaged.is_dir() else _HERE.parent.parent / "indicators"


@functools.cache
def definitions(name: str) -> Definitions:
    """The definitions in ``indicators/<name>.toml`` (read once per process)."""
    return load_definitions(indicators_dir() / f"{name}.toml")
