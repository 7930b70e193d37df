"""Exact numbers: conversion to Decimal, half-up rounding, the one way numbers are written.

Scores are money-like: a table must add up to the cent. Every amount and score
is a `decimal.Decimal`; floats from TOML are converted through ``str``
(so ``0.1`` stays ``0.1``), and rounding is 四舍五入 (half up), never Python's
banker's ``round()``.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

import decimal
import functools
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import ParamSpec, TypeVar

from .errors import quote

P = ParamSpec("P")
R = TypeVar("R")

__all__ = ["CHINESE_NUMERAL_CHARS", "HUNDRED", "MAX_DIGITS", "ONE", "ZERO", "context", "format_approx",
           "format_decimal", "format_percent", "format_score", "in_context", "parse_chinese_numeral",
           "quantize", "round_half_up", "shift", "to_decimal"]

# The constants every rule and sum uses, defined once here (plugins import them from
# evalcore.plugin).
ZERO = Decimal(0)
"""0: where a sum of scores starts (``sum(scores, ZERO)``), the score of a missed row."""
ONE = Decimal(1)
"""1: a whole share of the points, an execution rate of 100%."""
HUNDRED = Decimal(100)
"""100: a ratio as a percentage."""

# Inputs beyond this many significant digits are rejected as unrealistic
# (a project's budget is not a 40-digit number); it keeps arithmetic exact.
MAX_DIGITS = 24

_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$")
_HUGE_EXPONENT = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)[eE][-+]?\d+$")

_CONTEXT = decimal.Context(prec=40, rounding=ROUND_HALF_UP, Emin=-999_999, Emax=999_999, traps=[
    decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow,
])


def context() -> decimal.Context:
    """The one decimal context all of evalcore's arithmetic runs in: 40 digits, half up, and
    traps on, so no NaN or infinity can arise. Compiling and evaluating enter it with
    ``decimal.localcontext``, whatever context the calling program has set."""
    return _CONTEXT


def in_context(function: Callable[P, R]) -> Callable[P, R]:
    """Run ``function`` in evalcore's decimal context (`context`): the decorator of every public
    entry point, so a caller's context (a precision of 3, rounding down, traps on Inexact)
    changes no number evalcore reads, computes or shows."""

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with decimal.localcontext(_CONTEXT):
            return function(*args, **kwargs)

    return run



def to_decimal(value: object) -> Decimal:
    """Convert a TOML number or numeric string to an exact, finite Decimal.

    Raises ValueError with a readable message for booleans, NaN, infinities,
    non-numbers and absurdly long numbers. Runs in evalcore's `context`, so a
    caller's context (3 digits, ``Inexact`` trapped ...) changes nothing.
    """
    with decimal.localcontext(_CONTEXT):
        return _to_decimal(value)


def _to_decimal(value: object) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got the boolean {str(value).lower()}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = _from_int(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, str):
        result = _from_text(value)
    else:
        raise ValueError(f"expected a number, got {type(value).__name__} {quote(value)}")
    if not result.is_finite():
        raise ValueError(f"{quote(value)} is not a finite number")
    if result == 0:
        return result + 0  # normalise -0 to 0
    # However it is spelled (10**24, "1e24"), a magnitude of 10**24 or more, or more than
    # MAX_DIGITS significant digits, is not a real amount.
    if result.adjusted() >= MAX_DIGITS:
        raise ValueError(f"{quote(value)}: number too large (it has more than {MAX_DIGITS} "
                         "digits before the decimal point); check the value")
    if result.adjusted() < -MAX_DIGITS or len(result.normalize().as_tuple().digits) > MAX_DIGITS:
        raise ValueError(f"{quote(value)} has more than {MAX_DIGITS} digits; check the value")
    return result


def _from_int(value: int) -> Decimal:
    """An int, refused before Decimal() spends time on a gigantic one."""
    if value.bit_length() > 4 * MAX_DIGITS:  # 2**96 > 10**28: certainly too large
        raise ValueError(f"number too large (it has more than {MAX_DIGITS} digits before the "
                         "decimal point); check the value")
    return Decimal(value)


def _from_text(value: str) -> Decimal:
    text = value.strip().replace("，", ",")
    if "," in text:
        if not _THOUSANDS.match(text):
            raise ValueError(f"{quote(value)}: a comma may only group thousands (1,000,000)")
        text = text.replace(",", "")
    try:
        return Decimal(text)
    except decimal.InvalidOperation:
        if _HUGE_EXPONENT.match(text):  # "1e99999999999": beyond even Decimal's exponents
            raise ValueError(f"{quote(value)}: number too large (or too small); check the "
                             "value") from None
        raise ValueError(f"{quote(value)} is not a number") from None


_EXPONENTS = {places: ONE.scaleb(-places) for places in range(0, 13)}


def quantize(places: int) -> Decimal:
    """The exponent Decimal for ``places`` decimals: 2 → Decimal('0.01')."""
    exponent = _EXPONENTS.get(places)
    return exponent if exponent is not None else ONE.scaleb(-places, _CONTEXT)


# Every function below gives each context-dependent operation evalcore's context explicitly
# (``context=_CONTEXT``), so a caller's context (3 digits, round down, Inexact trapped ...)
# changes no result and raises nothing, and no localcontext is entered on the hot path.


def round_half_up(value: Decimal, places: int) -> Decimal:
    """Round to ``places`` decimals, halves away from zero (四舍五入)."""
    result = value.quantize(quantize(places), rounding=ROUND_HALF_UP, context=_CONTEXT)
    return result.copy_abs() if result == 0 else result  # never -0


def shift(value: Decimal, places: int) -> Decimal:
    """``value × 10**places``, exact, and a whole result without an exponent (``1.2`` shifted
    by 4 is ``12000``, not ``1.2E+4``), so it prints as it reads anywhere."""
    result = value.scaleb(places, _CONTEXT)
    exponent = result.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0 and result.adjusted() < _CONTEXT.prec:
        result = result.quantize(ONE, context=_CONTEXT)
    return result


# format_decimal writes digits out in full: beyond this exponent it switches to scientific
# notation rather than build a string of a million zeros (no input reaches it: MAX_DIGITS).
_PLAIN_LIMIT = 4 * MAX_DIGITS


def format_decimal(value: Decimal) -> str:
    """A Decimal as a person writes it: no exponent, no trailing zeros (``4929913.5``); the one
    way evalcore writes an exact number, in traces, messages, tables and interval spellings.

    Exact and independent of the caller's decimal context: the text reads back as the same
    value. A value beyond 10**±96 (which no accepted input produces) is shown in scientific
    notation, still exact.
    """
    if value.is_finite() and value and abs(value.adjusted()) > _PLAIN_LIMIT:
        return str(_without_trailing_zeros(value))
    text = format(value, "f")  # no precision given: nothing is rounded
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _without_trailing_zeros(value: Decimal) -> Decimal:
    """``value`` with its trailing zero digits dropped, exactly: unlike ``normalize``, which
    rounds to the context's precision (40 digits), it never changes the value."""
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite
    kept = "".join(map(str, digits)).rstrip("0") or "0"
    return Decimal((sign, tuple(map(int, kept)), exponent + len(digits) - len(kept)))


def _scientific(value: Decimal, digits: int) -> str:
    """``value`` with ``digits`` decimals in scientific notation, rounded half up."""
    with decimal.localcontext(_CONTEXT):  # format() rounds in the current context
        return f"{value:.{digits}E}"


def format_score(value: Decimal | None, decimals: int) -> str:
    """A score as tables show it: always ``decimals`` places (9.90, not 9.9), rounded half up
    whatever the caller's decimal context; empty for no score."""
    return "" if value is None else format(round_half_up(value, decimals), "f")


def format_percent(ratio: Decimal, places: int = 2) -> str:
    """A ratio as a percentage, ``0.98598`` → ``98.6%``; an astronomically large one in
    scientific notation rather than an error (``≈1E+50%``). Independent of the caller's
    context: a 3-digit, round-down one does not make it 98.5%."""
    percent = _CONTEXT.multiply(ratio, HUNDRED)
    if percent.adjusted() >= MAX_DIGITS:
        return f"≈{_scientific(percent, 1)}%"
    return f"{format_decimal(round_half_up(percent, places))}%"


def format_approx(value: Decimal, places: int = 4) -> str:
    """A computed value for a trace: exact when it is short, else ``≈`` and ``places`` decimals
    (or scientific notation for an astronomically large one). Independent of the caller's
    context."""
    if value.adjusted() >= MAX_DIGITS:
        return f"≈{_scientific(value, 6)}"
    short = round_half_up(value, places)
    return format_decimal(value) if short == value else "≈" + format_decimal(short)


# ---------------------------------------------------------------- Chinese numerals (中文数字)

_CN_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "兩": 2, "三": 3, "四": 4, "五": 5,
    "六": 6, "七": 7, "八": 8, "九": 9,
    # 大写 (financial) forms
    "壹": 1, "贰": 2, "貳": 2, "叁": 3, "參": 3, "肆": 4, "伍": 5, "陆": 6, "陸": 6, "柒": 7,
    "捌": 8, "玖": 9,
}
_CN_PLACES: dict[str, int] = {"十": 1, "拾": 1, "百": 2, "佰": 2, "千": 3, "仟": 3}  # power of ten
_CN_WAN, _CN_YI = "万萬", "亿億"
_CN_POINT = "点點"
CHINESE_NUMERAL_CHARS = frozenset([*_CN_DIGITS, *_CN_PLACES, *_CN_WAN, *_CN_YI, *_CN_POINT])
"""Every character a Chinese numeral may contain (digits, 十百千, 万亿, 点; 大写 forms too)."""


def parse_chinese_numeral(text: str) -> Decimal:
    """The exact value of a Chinese numeral: ``四百`` 400, ``一千零五`` 1005, ``两万`` 20000,
    ``一亿零一万`` 100010000, ``十二点五`` 12.5, ``一点二万`` 12000, ``〇``/``零`` 0.

    Strict, so a value is never guessed: ``零`` stands only where places are skipped, and
    the spoken abbreviations ``一百八`` / ``两万五`` (180? 108?) are refused with a hint, as are
    digit strings (``二〇二二``) and ``百``/``千`` without a digit (``千万`` is also the word
    "by all means"). A bare ``十`` means 一十 (十二, 一百十). Raises ValueError saying why.
    """
    if not text or any(c not in CHINESE_NUMERAL_CHARS for c in text):
        raise ValueError(f"{quote(text)} is not a Chinese numeral")
    point = next((i for i, c in enumerate(text) if c in _CN_POINT), -1)
    if point < 0:
        return Decimal(_cn_integer(text))
    whole, fraction = text[:point], text[point + 1:]
    scale = 0  # the power of ten a trailing 万 / 亿 / 万亿 multiplies by
    folded = "".join("万" if c in _CN_WAN else "亿" if c in _CN_YI else c for c in fraction)
    for suffix, power in (("万亿", 12), ("亿", 8), ("万", 4)):
        if folded.endswith(suffix):  # 一点二万 = 1.2 × 10^4
            fraction, scale = fraction[: -len(suffix)], power
            break
    if not whole or not fraction or any(c not in _CN_DIGITS for c in fraction):
        raise ValueError(f"{quote(text)}: after 点 come digits only (二点五, 十二点零五)")
    if len(fraction) > MAX_DIGITS:
        raise ValueError(f"{quote(text)} has more than {MAX_DIGITS} digits; check the value")
    digits = "".join(str(_CN_DIGITS[c]) for c in fraction)
    return to_decimal(shift(Decimal(f"{_cn_integer(whole)}.{digits}"), scale))  # bounds it


def _cn_integer(text: str) -> int:
    """A whole Chinese numeral: ``零``, or [below-亿 亿] [零] below-亿."""
    if text in ("零", "〇"):
        return 0
    return _cn_level(text, 8)


def _cn_level(text: str, digits: int) -> int:
    """A numeral below 10**(2 × ``digits``): [lower mark] [零] lower, where the mark is 亿
    (``digits`` 8) or 万 (4), and lower a numeral of the level below it (`_cn_below`)."""
    marks, name = (_CN_YI, "亿") if digits == 8 else (_CN_WAN, "万")
    found = [i for i, c in enumerate(text) if c in marks]
    if len(found) > 1:
        raise ValueError(f"{quote(text)}: {name} twice")
    if not found:
        return _cn_below(text, digits)
    high, low = text[: found[0]], text[found[0] + 1:]
    if not high:
        raise ValueError(f"{quote(text)}: {name} needs a number before it (一{name})")
    scale: int = 10**digits
    return _cn_below(high, digits) * scale + _cn_tail(low, digits, text)


def _cn_below(text: str, digits: int) -> int:
    """A numeral below 10**``digits``: below 亿 (8) one of the 万 level, below 万 (4) a section."""
    return _cn_level(text, 4) if digits == 8 else _cn_section(text)


def _cn_tail(text: str, digits: int, whole: str) -> int:
    """The part after 万 (``digits`` 4) or 亿 (8): empty; ``零`` and a number whose top place
    is empty (一万零五); or a number with its places written (一万一千). A lone digit
    (两万五) is the spoken short form, ambiguous, and refused."""
    if not text:
        return 0
    zero = text[0] in "零〇"
    body = text[1:] if zero else text
    if not body:
        raise ValueError(f"{quote(whole)}: 零 at the end")
    value = _cn_below(body, digits)
    if zero and value >= 10 ** (digits - 1):
        raise ValueError(f"{quote(whole)}: 零 where no place is skipped")
    if not zero and len(body) == 1 and body in _CN_DIGITS:
        lower = "千" if digits == 4 else "千万"
        raise ValueError(f"{quote(whole)} is ambiguous (spoken short for {whole}{lower}); "
                         f"write {whole}{lower} or {whole[:-1]}零{body}")
    return value


def _cn_section(text: str) -> int:
    """One section below 10,000: (digit place)* [零] [digit], places decreasing."""
    value, place, digit, zero = 0, 4, None, False  # place 4: no 千百十 read yet
    for c in text:
        if c in "零〇":
            if zero or digit is not None or place == 4:
                raise ValueError(f"{quote(text)}: misplaced 零 (一百零八, 一千零一十)")
            zero = True
        elif c in _CN_DIGITS:
            if digit is not None:
                raise ValueError(f"{quote(text)}: two digits in a row (write 四百, not 四〇〇)")
            digit = _CN_DIGITS[c]
        elif c in _CN_PLACES:
            p = _CN_PLACES[c]
            if p >= place:
                raise ValueError(f"{quote(text)}: places out of order")
            if digit is None and p != 1:
                raise ValueError(f"{quote(text)}: {c} needs a digit before it (一{c})")
            if zero and place - p < 2:
                raise ValueError(f"{quote(text)}: 零 where no place is skipped")
            value += (1 if digit is None else digit) * 10**p
            place, digit, zero = p, None, False
        else:
            raise ValueError(f"{quote(text)}: {c!r} does not belong inside a number")
    if digit is not None:
        if place in (2, 3) and not zero:
            lower = "十" if place == 2 else "百"
            raise ValueError(f"{quote(text)} is ambiguous (spoken short for {text}{lower}); "
                             f"write {text}{lower} or {text[:-1]}零{text[-1]}")
        if zero and place < 2:
            raise ValueError(f"{quote(text)}: 零 where no place is skipped")
        value += digit
    elif zero or not text:
        raise ValueError(f"{quote(text)}: 零 at the end" if zero else "an empty number")
    return value
