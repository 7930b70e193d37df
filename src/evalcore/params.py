"""Parameter converters for rule types: validate a raw TOML value, return the bound one.

A rule type declares its parameters as `evalcore.registrations.Param` objects
whose ``convert`` is one of these (or any function raising ValueError with a
message for the user, or a `HintedError` when it has a suggestion). They run at compile
time, once per indicator.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from .errors import HintedError, suggest
from .numbers import to_decimal

__all__ = ["boolean", "choice", "decimal", "integer", "mapping", "positive", "text", "text_list"]


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
