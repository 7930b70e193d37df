"""Parameter schemas: the converters of single values, and the binding of a whole table.

A rule type declares its parameters (a renderer its options) as
`evalcore.registrations.Param` objects whose ``convert`` is one of these
converters (or any function raising ValueError with a message for the user, or a
`HintedError` when it has a suggestion). `bind_params` checks a table of values
against such a schema: the compiler binds each row's parameters with it, the
registry checks profiles and presets with it, `evalcore.render` a format's options.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .errors import HintedError, Origin, Problem, known_names, quote, suggest
from .numbers import to_decimal

if TYPE_CHECKING:
    from .registrations import Param

__all__ = [
    "bind_params", "boolean", "choice", "decimal", "integer", "mapping", "positive", "text",
    "text_list",
]  # fmt: skip


def bind_params(params: Iterable[Param], values: Mapping[str, Any], origin: Origin, what: str,
                *, partial: bool = False) -> tuple[dict[str, Any], list[Problem]]:
    """Check ``values`` against a parameter schema; return the bound values and the problems.

    Each value goes through its parameter's converter; an unknown name is a problem with "did
    you mean" (or the known names), located at its key below ``origin``. A parameter left
    out takes its default, or is a problem when it is required, unless ``partial``: settings
    that a later table completes (a profile's ``[rules.<name>]``, a preset) only have to be
    right in what they say. ``what`` names the owner in messages ("rule 'reverse'").
    """
    schema = {p.name: p for p in params}
    bound: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, raw in values.items():
        param = schema.get(key)
        if param is None:
            problems.append(Problem(f"{what} has no parameter {quote(key)}", origin.child(key),
                                    suggest(key, schema) or known_names(schema)))
            continue
        try:
            bound[key] = param.convert(raw)
        except (ValueError, TypeError) as exc:
            problems.append(Problem(f"{key}: {_converter_text(exc)}", origin.child(key)))
    for param in schema.values():
        if param.name in bound or param.name in values:
            continue
        if not param.required:
            bound[param.name] = param.default
        elif not partial:
            problems.append(Problem(f"{what} needs the parameter {param.name!r}", origin))
    return bound, problems


def _converter_text(exc: ValueError | TypeError) -> str:
    """A converter's error as its message says it, a suggestion after a semicolon (the way the
    parameter messages have always read: "'days' is not one of day, month; did you mean
    'day'?")."""
    if isinstance(exc, HintedError) and exc.hint:
        return f"{exc.message}; {exc.hint}"
    return str(exc)


def decimal(minimum: Decimal | int | None = None,
            maximum: Decimal | int | None = None) -> Callable[[Any], Decimal]:
    """A finite number, optionally within [minimum, maximum]."""

    def convert(value: Any) -> Decimal:
        result = to_decimal(value)
        if minimum is not None and result < minimum:
            raise ValueError(f"{value} is below the minimum {minimum}")
        if maximum is not None and result > maximum:
            raise ValueError(f"{value} is above the maximum {maximum}")
        return result

    return convert


def positive(value: Any) -> Decimal:
    """A number above 0 (a loss per day, a deduction per item)."""
    result = to_decimal(value)
    if result <= 0:
        raise ValueError(f"{value} must be above 0")
    return result


def integer(minimum: int | None = None, maximum: int | None = None) -> Callable[[Any], int]:
    """A whole number, optionally within [minimum, maximum]."""

    def convert(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected a whole number, not {value!r}")
        if minimum is not None and value < minimum:
            raise ValueError(f"{value} is below the minimum {minimum}")
        if maximum is not None and value > maximum:
            raise ValueError(f"{value} is above the maximum {maximum}")
        return value

    return convert


def choice(*options: str) -> Callable[[Any], str]:
    """One of ``options``; anything else a HintedError with a "did you mean" for a near miss."""

    def convert(value: Any) -> str:
        if value not in options:
            raise HintedError(f"{value!r} is not one of {', '.join(options)}",
                              suggest(str(value), options))
        return str(value)

    return convert


def boolean(value: Any) -> bool:
    """true or false."""
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, not {value!r}")
    return value


def text(value: Any) -> str:
    """Any text."""
    if not isinstance(value, str):
        raise ValueError(f"expected text, not {value!r}")
    return value


def text_list(value: Any) -> tuple[str, ...]:
    """An array of texts."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"expected an array of texts, not {value!r}")
    return tuple(value)


def mapping(value: Any) -> Mapping[str, Any]:
    """A table, taken as it is (the rule checks its contents)."""
    if not isinstance(value, Mapping):
        raise ValueError(f"expected a table, not {value!r}")
    return dict(value)
