"""Exact numbers: conversion to Decimal and half-up rounding.

Scores are money-like: a table must add up to the cent. Every amount and score
is a `decimal.Decimal`; floats from TOML are converted through ``str``
(so ``0.1`` stays ``0.1``), and rounding is 四舍五入 (half up), never Python's
banker's ``round()``.
"""

from __future__ import annotations

import decimal
import re
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["MAX_DIGITS", "context", "format_approx", "format_decimal", "format_percent", "quantize",
           "round_half_up", "to_decimal"]

# Inputs beyond this many significant digits are rejected as unrealistic
# (a project's budget is not a 40-digit number); it keeps arithmetic exact.
MAX_DIGITS = 24

_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$")

_CONTEXT = decimal.Context(prec=40, rounding=ROUND_HALF_UP, Emin=-999_999, Emax=999_999, traps=[
    decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow,
])


def context() -> decimal.Context:
    """The one decimal context all of evalcore's arithmetic runs in: 40 digits, half up, and
    traps on, so no NaN or infinity can arise. Compiling and evaluating enter it with
    ``decimal.localcontext``, whatever context the calling program has set."""
    return _CONTEXT


def to_decimal(value: object) -> Decimal:
    """Convert a TOML number or numeric string to an exact, finite Decimal.

    Raises ValueError with a readable message for booleans, NaN, infinities,
    non-numbers and absurdly long numbers.
    """
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got the boolean {str(value).lower()}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip().replace("，", ",")
        if "," in text:
            if not _THOUSANDS.match(text):
                raise ValueError(f"{value!r}: a comma may only group thousands (1,000,000)")
            text = text.replace(",", "")
        try:
            result = Decimal(text)
        except decimal.InvalidOperation:
            raise ValueError(f"{value!r} is not a number") from None
    else:
        raise ValueError(f"expected a number, got {type(value).__name__} {value!r}")
    if not result.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    if result == 0:
        return result + 0  # normalise -0 to 0
    # However it is spelled (10**24, "1e24"), a magnitude of 10**24 or more, or more than
    # MAX_DIGITS significant digits, is not a real amount.
    if (result.adjusted() >= MAX_DIGITS or result.adjusted() < -MAX_DIGITS
            or len(result.normalize().as_tuple().digits) > MAX_DIGITS):
        raise ValueError(f"{value!r} has more than {MAX_DIGITS} digits; check the value")
    return result


_EXPONENTS = {places: Decimal(1).scaleb(-places) for places in range(0, 13)}


def quantize(places: int) -> Decimal:
    """The exponent Decimal for ``places`` decimals: 2 → Decimal('0.01')."""
    exponent = _EXPONENTS.get(places)
    return exponent if exponent is not None else Decimal(1).scaleb(-places)


def round_half_up(value: Decimal, places: int) -> Decimal:
    """Round to ``places`` decimals, halves away from zero (四舍五入)."""
    result = value.quantize(quantize(places), rounding=ROUND_HALF_UP, context=_CONTEXT)
    return result + 0 if result == 0 else result


def format_decimal(value: Decimal) -> str:
    """A Decimal as a person writes it: no exponent, no trailing zeros (``4929913.5``)."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_percent(ratio: Decimal, places: int = 2) -> str:
    """A ratio as a percentage, ``0.98598`` → ``98.6%``; an astronomically large one in
    scientific notation rather than an error (``≈1E+50%``)."""
    percent = ratio * 100
    if percent.adjusted() >= MAX_DIGITS:
        return f"≈{percent:.1E}%"
    return f"{format_decimal(round_half_up(percent, places))}%"


def format_approx(value: Decimal, places: int = 4) -> str:
    """A computed value for a trace: exact when it is short, else ``≈`` and ``places`` decimals
    (or scientific notation for an astronomically large one)."""
    if value.adjusted() >= MAX_DIGITS:
        return f"≈{value:.6E}"
    short = round_half_up(value, places)
    return format_decimal(value) if short == value else "≈" + format_decimal(short)
