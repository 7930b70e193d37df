"""The documents the fuzzer starts from: every example, and every golden case as a project file.

A seed is a set of files written side by side (a project and the scheme it
names) and the one that is loaded. Golden cases that score one indicator or
the budget row are turned into the inline project file they stand for;
cases that name a project file bring that file.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path

import attrs

import evalcore
from evalcore.golden import _case_document, load_cases

from .toml_writer import dumps

__all__ = ["ROOT", "Seed", "seeds"]

ROOT = Path(__file__).resolve().parents[2]


@attrs.frozen
class Seed:
    """Files to write into one folder (name → TOML text) and the one to load."""

    name: str
    files: Mapping[str, str]
    entry: str = "project.toml"

    def __str__(self) -> str:
        return self.name


def _example_seeds() -> list[Seed]:
    out = [Seed(f"examples/{p.parent.name}", {"project.toml": p.read_text(encoding="utf-8")})
           for p in sorted((ROOT / "examples").glob("*/project.toml"))]
    shared = ROOT / "examples" / "shared-scheme"
    scheme = (shared / "scheme.toml").read_text(encoding="utf-8")
    for town in sorted(shared.glob("*.toml")):
        if town.name != "scheme.toml":
            out.append(Seed(f"examples/shared-scheme/{town.name}",
                            {"scheme.toml": scheme, town.name: town.read_text(encoding="utf-8")},
                            town.name))
    return out


def _golden_seeds(registry: evalcore.Registry) -> list[Seed]:
    out = []
    for path in sorted((ROOT / "tests" / "golden").glob("*.toml")):
        for case in load_cases(path):
            name = f"golden/{path.name}::{case.name}"
            if "project" not in case.data:
                text = dumps(_case_document(case, registry).data)
                out.append(Seed(name, {"project.toml": text}))
                continue
            target = (path.parent / str(case.data["project"])).resolve()
            if ROOT / "examples" not in target.parents:  # the examples are seeds already
                out.append(Seed(name, {"project.toml": target.read_text(encoding="utf-8")}))
    return out


@functools.cache
def seeds() -> tuple[Seed, ...]:
    """Every seed, examples first; built once per process."""
    return (*_example_seeds(), *_golden_seeds(evalcore.default_registry()))
