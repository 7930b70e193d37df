"""Errors and the located problems they carry.

Every mistake a user can make in a file becomes a `Problem` that says
where (file, key path, line), what is wrong, and, for a misspelled name, what
was probably meant. Stages collect problems instead of stopping at the first,
then raise them together in one `EvalcoreError` subclass, so one run of
``evalcore validate`` shows everything that needs fixing.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence

import attrs

__all__ = [
    "EvalcoreError",
    "EvaluationError",
    "LoadError",
    "Origin",
    "PluginError",
    "Problem",
    "ValidationError",
    "suggest",
]

KeyPath = tuple[str | int, ...]


def format_path(path: KeyPath) -> str:
    """Render a key path the way TOML spells it: ``indicator[2].target``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


@attrs.frozen
class Origin:
    """Where a value came from: a file, the key path inside it, and its line if known."""

    file: str = ""
    path: KeyPath = ()
    line: int | None = None
    # The file's key-path → line table, so a child origin finds its own line.
    lines: Mapping[KeyPath, int] = attrs.field(factory=dict, eq=False, repr=False)

    def child(self, *keys: str | int, line: int | None = None) -> Origin:
        """The origin of a key below this one: its own line if the file has it, else ours."""
        path = self.path + keys
        if line is None:
            line = self.lines.get(path, self.line)
        return Origin(self.file, path, line, self.lines)

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        if self.path:
            where += f": {format_path(self.path)}"
        return where


NOWHERE = Origin()


@attrs.frozen
class Problem:
    """One thing wrong with an input, located as precisely as the stage can."""

    message: str
    origin: Origin = NOWHERE
    hint: str | None = None
    severity: str = "error"  # "error" stops a run; "warning" is reported only

    def __str__(self) -> str:
        located = self.origin.file or self.origin.path
        text = f"{self.origin}: {self.severity}: {self.message}" if located else \
            f"{self.severity}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


def suggest(name: str, choices: Iterable[str]) -> str | None:
    """A "did you mean" hint for a misspelled name, or None when nothing is close."""
    options = sorted(set(choices))
    close = difflib.get_close_matches(name, options, n=3, cutoff=0.6)
    if not close and name:
        lowered = name.casefold()
        close = [c for c in options if c.casefold() == lowered]
    if not close:
        return None
    return "did you mean " + " or ".join(repr(c) for c in close) + "?"


class EvalcoreError(Exception):
    """Base of every error evalcore raises on purpose.

    Carries the located problems; ``str()`` lists them one per line.
    """

    def __init__(self, problems: Sequence[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class LoadError(EvalcoreError):
    """A file could not be read or is not valid TOML."""


class ValidationError(EvalcoreError):
    """A file was read but does not describe a valid scheme or project."""


class PluginError(EvalcoreError):
    """A plugin registered something invalid, or two plugins registered one name."""


class EvaluationError(EvalcoreError):
    """A project could not be scored: an actual value that cannot be read, a division by zero."""


def raise_if_errors(problems: Iterable[Problem], cls: type[EvalcoreError] = ValidationError) -> None:
    """Raise ``cls`` with every error-severity problem, if there is any."""
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise cls(errors)
