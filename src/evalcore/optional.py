"""Optional packages: import one, or say which extra of evalcore-jixiao installs it.

The batch and Dask paths need packages that a plain ``pip install evalcore-jixiao``
does not bring (pyarrow, tqdm, dask); a user who calls them without the extra
gets an `EvalcoreError` naming the extra to install, never an ImportError
traceback.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from .errors import EvalcoreError, Problem

__all__ = ["require"]


def require(module: str, extra: str, what: str) -> ModuleType:
    """``module`` imported, or an EvalcoreError: ``what`` needs it, install the ``extra``."""
    try:
        return importlib.import_module(module)
    except ImportError:
        top = module.partition(".")[0]
        raise EvalcoreError([Problem(
            f"{what} needs {top}, which is not installed: "
            f"pip install 'evalcore-jixiao[{extra}]'")]) from None
