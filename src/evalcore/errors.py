"""Errors and the located problems they carry.

Every mistake a user can make in a file becomes a `Problem` that says
where (file, key path, line), what is wrong, and, for a misspelled name, what
was probably meant. Stages collect problems instead of stopping at the first,
then raise them together in one `EvalcoreError` subclass, so one run of
``evalcore validate`` shows everything that needs fixing.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable, Mapping, Sequence

import attrs

from .safetext import one_line

__all__ = [
    "EXHAUSTED",
    "EvalcoreError",
    "EvaluationError",
    "HintedError",
    "LoadError",
    "Origin",
    "PluginError",
    "Problem",
    "UnknownNameError",
    "ValidationError",
    "exception_text",
    "exhausted",
    "hint_of",
    "known_names",
    "nearest",
    "quote",
    "shorten",
    "suggest",
]

KeyPath = tuple[str | int, ...]

# How much of a user's value a message quotes, and the most any message or hint holds: a 1 MB
# unit or word must not become a 1 MB line (and ten thousand of them a gigabyte of output).
VALUE_LIMIT = 80
MESSAGE_LIMIT = 1000
# How many problems ``str(EvalcoreError)`` lists; ``.problems`` always holds them all.
STR_LIMIT = 50


def shorten(value: object, limit: int = VALUE_LIMIT) -> str:
    """``value`` as text, cut to its first ``limit`` characters with a note of how many were cut.

    For quoting what a user wrote in a message: ``shorten("x" * 10**6, 5)`` is
    ``'xxxxx… (999995 more characters)'``.
    """
    text = value if isinstance(value, str) else str(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit} more characters)"


def quote(value: object, limit: int = VALUE_LIMIT) -> str:
    """``value`` quoted as Python shows it (``repr``), cut like `shorten`: for a message about
    a 100,000-digit number or a megabyte of unit that must stay one readable line."""
    if not isinstance(value, str):
        return shorten(repr(value), limit)
    if len(value) <= limit:
        return repr(value)
    return f"{value[:limit]!r}… ({len(value) - limit} more characters)"


def exception_text(exc: BaseException) -> str:
    """``TypeName: message``, or just the type's name when the exception says nothing (a
    MemoryError has no message), for a problem that reports someone else's exception."""
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


# What running out of memory or stack while compiling or scoring one row means: the input is too
# large or too deeply nested, not a bug in the rule's plugin.
EXHAUSTED = (MemoryError, RecursionError)


def exhausted(exc: BaseException, origin: Origin, doing: str) -> Problem:
    """The problem of a row whose ``doing`` ("compiling", "scoring") ran out of memory or stack."""
    return Problem(f"this row is too large or too deeply nested: {doing} it ran out of "
                   f"{'memory' if isinstance(exc, MemoryError) else 'stack'} "
                   f"({type(exc).__name__})", origin)


def _bounded(text: str) -> str:
    return shorten(text, MESSAGE_LIMIT)


def _bounded_hint(text: str | None) -> str | None:
    return None if text is None else shorten(text, MESSAGE_LIMIT)


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

    message: str = attrs.field(converter=_bounded)  # at most MESSAGE_LIMIT characters
    origin: Origin = NOWHERE
    hint: str | None = attrs.field(default=None, converter=_bounded_hint)
    severity: str = "error"  # "error" stops a run; "warning" is reported only
    # The message in Chinese, for a warning that Chinese results show (a scheme's warnings
    # become findings); "" where there is none: diagnostics are written in English.
    message_zh: str = attrs.field(default="", converter=_bounded)

    def __str__(self) -> str:
        """One printable line: ``file:line: key.path: severity: message (hint)``, control
        characters escaped."""
        return one_line(self.describe(self.origin))

    def describe(self, origin: Origin) -> str:
        """The problem's line as if it were at ``origin`` (not escaped)."""
        located = origin.file or origin.path
        text = f"{shorten(origin, MESSAGE_LIMIT)}: {self.severity}: {self.message}" if located \
            else f"{self.severity}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def in_language(self, lang: str) -> str:
        """The printable line in ``lang``: in Chinese (``"zh"``) the location and
        ``message_zh`` when the problem has one, else `__str__`'s English line."""
        if lang != "zh" or not self.message_zh:
            return str(self)
        located = self.origin.file or self.origin.path
        kind = "提示" if self.severity == "warning" else "错误"
        where = f"{shorten(self.origin, MESSAGE_LIMIT)}：" if located else ""
        return one_line(f"{where}{kind}：{self.message_zh}")

    def without_folder(self) -> str:
        """The printable line naming only the file's name, not its folder: the same wherever
        the program ran (results carry this, so their bytes do not depend on the working
        directory)."""
        origin = self.origin
        if origin.file:
            origin = attrs.evolve(origin, file=_file_name(origin.file))
        return one_line(self.describe(origin))


def _file_name(path: str) -> str:
    return re.split(r"[\\/]", path)[-1] or path


def suggest(name: str, choices: Iterable[str]) -> str | None:
    """A "did you mean" hint for a misspelled name, or None when nothing is close.

    Remembered for recent names: a file that repeats one misspelling ten thousand times pays
    for one comparison with every choice, not ten thousand.
    """
    return _suggest(shorten(name, MESSAGE_LIMIT), tuple(sorted(set(choices))))


@functools.lru_cache(maxsize=1024)
def _suggest(name: str, options: tuple[str, ...]) -> str | None:
    close = difflib.get_close_matches(name, options, n=3, cutoff=0.6)
    if not close and name:
        lowered = name.casefold()
        close = [c for c in options if c.casefold() == lowered]
    if not close:
        return None
    return "did you mean " + " or ".join(repr(c) for c in close) + "?"


def nearest(name: str, choices: Iterable[str], n: int = 5) -> list[str]:
    """The ``n`` choices most like ``name`` (difflib's ratio), nearest first, ties in sorted
    order; only choices in the language of ``name`` (Chinese characters or not) when there
    are any, and none that shares nothing with it. For a hint when `suggest` finds nothing
    close enough: "基本建立" is shown 基本健全 and 基本完成, not the first words of the list."""
    if len(name) > _NEAREST_LIMIT:  # a paragraph is not a misspelt word: nothing is near it
        return []
    chinese = _is_chinese(name)
    options = sorted(set(choices))
    same = [c for c in options if _is_chinese(c) == chinese] or options
    scored = []
    for choice in same:
        ratio = difflib.SequenceMatcher(None, name, choice).ratio()
        if ratio > 0:
            scored.append((-ratio, abs(len(choice) - len(name)), choice))
    return [choice for _, _, choice in sorted(scored)[:n]]


_NEAREST_LIMIT = 40


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def known_names(names: Iterable[str]) -> str | None:
    """``known: a, b, c`` (sorted), the hint for a name with no close match; None for none."""
    listed = sorted(names)
    return f"known: {', '.join(listed)}" if listed else None


class HintedError(ValueError):
    """A mistake in a user's input that comes with a suggestion, kept apart from the message.

    ``message`` says what is wrong; ``hint`` (None when there is none) what was probably meant
    ("did you mean 'actual'?"). Whoever turns it into a `Problem` puts the hint in the
    problem's own ``hint``, so no caller has to dig it out of the text. ``str()`` is the
    message alone unless a subclass says otherwise.
    """

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def hint_of(exc: BaseException) -> str | None:
    """The hint of an error that carries one (`HintedError`, `UnknownNameError`), else None:
    for a caller that catches any ValueError a plugin may raise."""
    return exc.hint if isinstance(exc, (HintedError, UnknownNameError)) else None


class UnknownNameError(KeyError):
    """A look-up of a name nothing registered: a category, a rule, a profile, a format ...

    A KeyError (a registry is a mapping of names), with what a message needs as attributes:
    ``kind`` ("category"), ``name`` (as asked for), ``known`` (the registered names, sorted),
    ``suggestion`` ("did you mean ...", or None when nothing is close) and ``hint``: the
    suggestion, else the known names, unless the raiser gives a hint of its own.
    """

    def __init__(self, kind: str, name: str, known: Iterable[str] = (),
                 suggestion: str | None = None, hint: str | None = None) -> None:
        super().__init__(name)
        self.kind = kind
        self.name = name
        self.known = tuple(sorted(known))
        self.suggestion = suggestion
        self.hint = hint if hint is not None else suggestion or known_names(self.known)

    def __str__(self) -> str:
        """``unknown category 'x' (did you mean 'y'?)``: readable, unlike a KeyError's repr."""
        text = f"unknown {self.kind} {quote(self.name)}"
        return f"{text} ({self.hint})" if self.hint else text


class EvalcoreError(Exception):
    """Base of every error evalcore raises on purpose.

    Carries the located problems, every one of them; ``str()`` lists them one per line, the
    first STR_LIMIT (50) and then how many more there are, so logging an error with ten
    thousand problems stays readable.
    """

    def __init__(self, problems: Sequence[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        self.problems: tuple[Problem, ...] = tuple(problems)
        lines = [str(p) for p in self.problems[:STR_LIMIT]]
        if len(self.problems) > STR_LIMIT:
            lines.append(f"… and {len(self.problems) - STR_LIMIT} more problems (see .problems)")
        super().__init__("\n".join(lines))


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
