"""Targets and actual values: comparison symbols, numbers, units, dates, words.

Dates and periods (2021年12月底前, 上半年) are read by `evalcore.dates`.

Real tables write the same target many ways (``≥400批次``, ``>= 400 批次``,
``≧400批次``, ``不少于400批次``, ``═100%``). This module turns each into one
`Target` or `Value`; the units it reads them in (元 / 万元 / 亿元, converted within a
dimension) are `evalcore.units`' `UnitTable`, built from the registry: plugins
register them.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import re
import unicodedata
from decimal import Decimal

import attrs

from .dates import deadline, yearless
from .errors import HintedError, hint_of, nearest, quote, suggest
from .numbers import (
    CHINESE_NUMERAL_CHARS,
    context,
    format_decimal,
    parse_chinese_numeral,
    shift,
    to_decimal,
)
from .units import UnitTable, UnknownUnitError, remember

__all__ = [
    "Comparator",
    "Quantity",
    "Target",
    "Value",
    "parse_actual",
    "parse_target",
]


class Comparator(enum.Enum):
    """A target's comparison symbol. ``holds(actual, target)`` says whether it is met."""

    GE = "≥"
    GT = ">"
    LE = "≤"
    LT = "<"
    EQ = "="

    def holds(self, actual: Decimal, target: Decimal) -> bool:
        if self is Comparator.GE:
            return actual >= target
        if self is Comparator.GT:
            return actual > target
        if self is Comparator.LE:
            return actual <= target
        if self is Comparator.LT:
            return actual < target
        return actual == target

    @property
    def higher_is_better(self) -> bool | None:
        """True for ≥ and >, False for ≤ and <, None for =."""
        if self in (Comparator.GE, Comparator.GT):
            return True
        if self in (Comparator.LE, Comparator.LT):
            return False
        return None

    @property
    def strict(self) -> bool:
        return self in (Comparator.GT, Comparator.LT)


# Applied after NFKC normalisation, which already folds full-width ＞＜＝％ and digits.
_PREFIXES: tuple[tuple[str, Comparator], ...] = (
    (">=", Comparator.GE), ("=>", Comparator.GE), ("≥", Comparator.GE), ("≧", Comparator.GE),
    ("⩾", Comparator.GE), ("大于等于", Comparator.GE), ("大于或等于", Comparator.GE),
    ("不低于", Comparator.GE), ("不少于", Comparator.GE), ("不小于", Comparator.GE),
    ("<=", Comparator.LE), ("=<", Comparator.LE), ("≤", Comparator.LE), ("≦", Comparator.LE),
    ("⩽", Comparator.LE), ("小于等于", Comparator.LE), ("小于或等于", Comparator.LE),
    ("不高于", Comparator.LE), ("不超过", Comparator.LE), ("不大于", Comparator.LE),
    ("不多于", Comparator.LE), ("控制在", Comparator.LE),
    ("==", Comparator.EQ), ("=", Comparator.EQ), ("═", Comparator.EQ), ("等于", Comparator.EQ),
    (">", Comparator.GT), ("大于", Comparator.GT), ("高于", Comparator.GT),
    ("<", Comparator.LT), ("小于", Comparator.LT), ("低于", Comparator.LT),
)
_SUFFIXES: tuple[tuple[str, Comparator], ...] = (
    ("及以上", Comparator.GE), ("以上", Comparator.GE),
    ("及以下", Comparator.LE), ("以下", Comparator.LE), ("以内", Comparator.LE),
    ("内", Comparator.LE),  # 30天内, 3个月内
)
_NUMBER = re.compile(r"^([-+]?\d+(?:,\d+)*(?:\.\d+)?|[-+]?\.\d+)\s*(.*)$")
_NOT_NUMBERS = frozenset({"nan", "+nan", "-nan", "snan", "inf", "+inf", "-inf", "infinity",
                          "+infinity", "-infinity", "∞", "+∞", "-∞"})
# "无" is not here: in a table it usually means "none found" (0 problems), not "does not apply".
NOT_APPLICABLE = frozenset({"/", "／", "—", "-", "不适用", "n/a", "N/A", "NA"})


@attrs.frozen
class Quantity:
    """An exact amount with its unit ("" for a bare number)."""

    value: Decimal
    unit: str = ""

    def __str__(self) -> str:
        return format_decimal(self.value) + self.unit


@attrs.frozen
class Target:
    """A parsed 年度指标值: a comparator and a quantity or date, or a qualitative expectation."""

    text: str
    comparator: Comparator | None = None
    quantity: Quantity | None = None
    date: dt.date | None = None
    explicit: bool = True  # False when the symbol was implied by the category's direction
    # A period without its year (年底前, 上半年, 第三季度, 12月底前): the month and day of its last
    # day (None: the month's last day), in the project's year (`due`).
    period: tuple[int, int | None] | None = None

    @property
    def qualitative(self) -> bool:
        return self.quantity is None and self.date is None and self.period is None

    def due(self, year: int | None) -> dt.date:
        """The target's date: its own, or its period's last day in ``year`` (the project's).
        ValueError when a period has no year to be read in."""
        if self.date is not None:
            return self.date
        assert self.period is not None
        month, day = self.period
        if year is None:
            raise ValueError(f"the target {self.text!r} names no year; give the project's year "
                             f"([project] year = 2022) or write it in the target (2022年{self.text})")
        last = calendar.monthrange(year, month)[1]
        if day is not None and day > last:
            raise ValueError(f"the target {self.text!r} is not a date in {year}: "
                             f"{year}年{month}月 has {last} days")
        return dt.date(year, month, last if day is None else day)

    def __str__(self) -> str:
        if self.qualitative:
            return self.text
        if self.period is not None:
            month, day = self.period
            shown = f"{month}月底" if day is None else f"{month}月{day}日"
        else:
            shown = str(self.quantity) if self.quantity is not None else str(self.date)
        assert self.comparator is not None
        return self.comparator.value + shown


@attrs.frozen
class Value:
    """A parsed 实际完成值: a quantity, a date, or a word (qualitative)."""

    text: str
    quantity: Quantity | None = None
    date: dt.date | None = None
    comparator: Comparator | None = None  # a symbol glued to an actual ("≥266米")

    @property
    def word(self) -> str | None:
        return None if self.quantity is not None or self.date is not None else self.text


_SYMBOL_CHARS = "<>=≥≤≧≦═⩾⩽"
_SPACED_SYMBOL = re.compile(rf"([{_SYMBOL_CHARS}])\s+(?=[{_SYMBOL_CHARS}])")
_INCLUSIVE = re.compile(r"\s*\(\s*含\s*\)\s*$")  # "≥90%(含)": the bound is included anyway


def _normalise(text: str) -> str:
    """NFKC (folds full-width ＞＝％ and digits), spaces inside a symbol closed ("> =" → ">="),
    and a trailing "(含)" dropped."""
    norm = unicodedata.normalize("NFKC", text).strip()
    if " " in norm:
        norm = _SPACED_SYMBOL.sub(r"\1", norm)
    return _INCLUSIVE.sub("", norm) if "含" in norm else norm


_PREFIX_TABLE = dict(_PREFIXES)
_SUFFIX_TABLE = dict(_SUFFIXES)
# Longest first, so "大于等于" wins over "大于" and ">=" over ">".
_PREFIX_RE = re.compile("|".join(re.escape(p) for p in sorted(_PREFIX_TABLE, key=len, reverse=True)))
_SUFFIX_RE = re.compile(
    "(?:" + "|".join(re.escape(p) for p in sorted(_SUFFIX_TABLE, key=len, reverse=True)) + ")$")


def _split_comparator(text: str) -> tuple[Comparator | None, str]:
    """The comparison at the start ("≥", "不低于") or the end ("以上", "以内") and the rest.

    Both may be present ("控制在500万元以内"); they must then agree: "≥400批次以下" is an
    error (unless no number follows: such text is a qualitative target, words only)."""
    comparator, prefix, written = None, "", text
    m = _PREFIX_RE.match(text)
    if m:
        comparator, prefix, text = _PREFIX_TABLE[m.group()], m.group(), text[m.end():].strip()
    m = _SUFFIX_RE.search(text)
    if m:
        suffix = _SUFFIX_TABLE[m.group()]
        if comparator is None or comparator is suffix:
            comparator, text = suffix, text[: m.start()].strip()
        elif _looks_numeric(text[: m.start()]):
            raise ValueError(f"conflicting comparisons ({prefix} and {m.group()}) in "
                             f"{quote(written)}; write one of them")
    return comparator, text


_PER = (("百分之", 2), ("千分之", 3), ("万分之", 4))  # 百分之九十 = 90%, 千分之五 = 0.5%


def _looks_numeric(text: str) -> bool:
    """Whether ``text`` holds a number evalcore should be able to read: an Arabic digit or a
    % anywhere, or a Chinese numeral, 百分之 or 若干 ("some") at the start. Under a comparison
    word such text must be read as a number or refused, never taken for a qualitative target;
    words (上年, 去年水平, 预算范围内) stay words."""
    return (re.search(r"[\d%]", text) is not None or text[:1] in CHINESE_NUMERAL_CHARS
            or text.startswith(("若干", *(prefix for prefix, _ in _PER))))


_UNREADABLE_UNIT_LENGTH = 20  # a longer "unit" is not a misspelt one: no "did you mean"
# Written after a number, these multiply it when the rest is a unit (1.2万人 = 12000人) or
# nothing (3千 = 3000); a unit of their own (万 = 万元, 百万元, 千克) is read first.
_MULTIPLIERS = tuple(sorted({"百": 2, "千": 3, "万": 4, "十万": 5, "百万": 6, "千万": 7, "亿": 8,
                             "十亿": 9, "百亿": 10, "千亿": 11, "万亿": 12}.items(),
                            key=lambda item: -len(item[0])))
_TENTHS = re.compile(r"^成([1-9一二三四五六七八九]?)$")  # 九成 = 90%, 九成五 = 95%
_SCIENTIFIC = re.compile(r"^[eE][-+]?\d")
_DATE_LIKE = re.compile(r"^[年/.-]\s*\d{1,2}\s*(?:月|[/.-]\s*\d)")  # after a four-digit year
_RANGE_SIGN = re.compile(r"(?:-|~|〜|—|–|―|至|到)\s*\+?[\d零〇一二两三四五六七八九十]")


# The longest well-formed numeral below 10**16, 九千九百九十九万九千九百九十九亿九千九百九十九万
# 九千九百九十九, has 31 characters; 点, 24 decimals and 万亿 make 58.
_LONGEST_NUMERAL = 64
_NUMERAL_CHARS = "".join(sorted(CHINESE_NUMERAL_CHARS))


class _Unreadable(HintedError):
    """Text that starts like a Chinese numeral but is not one with a unit ("一般", "一百八",
    "四百余批次"): a word, unless a comparison word says a number must be there. The message
    says why it is not a number; ``hint`` may name a close unit."""

    def __init__(self, message: str, hint: str | None = None, *, numeral: bool = False) -> None:
        super().__init__(message, hint)
        self.numeral = numeral  # the text is a numeral (and a unit) that is not well formed


def _percent(units: UnitTable) -> str:
    return units.resolve("%").name


def _with_unit(value: Decimal, unit_text: str, units: UnitTable,
               open_ended: bool = False) -> Quantity | None:
    """``value`` followed by ``unit_text``: a known unit, nothing, 成 (tenths), a multiplier
    and then a unit or nothing, or (``open_ended``: after an Arabic number, never after a
    Chinese numeral, where 一般 is a word) a classifier as a count unit of its own name. None
    when ``unit_text`` is none of these."""
    if unit_text.startswith("(") and unit_text.endswith(")"):
        unit_text = unit_text[1:-1].strip()
    if not unit_text:
        return Quantity(value)
    unit = units.get(unit_text)
    if unit is not None:
        return Quantity(value, unit.name)  # aliases (百分比, ％) become the unit's own name (%)
    m = _TENTHS.match(unit_text)
    if m and 0 <= value <= 10:
        extra = m.group(1)  # 九成五: a digit after 成 adds percent points, under whole tenths
        if not extra:
            return Quantity(shift(value, 1), _percent(units))
        if value == value.to_integral_value() and value < 10:
            points = int(extra) if extra.isdigit() else parse_chinese_numeral(extra)
            return Quantity(context().add(shift(value, 1), points), _percent(units))
    for word, power in _MULTIPLIERS:
        if unit_text.startswith(word):
            rest = unit_text[len(word):].strip()
            inner = units.get(rest) if rest else None
            if not rest or inner is not None:
                return Quantity(to_decimal(shift(value, power)), inner.name if inner else "")
    if open_ended:
        unit = units.get_or_count(unit_text)
        if unit is not None:
            return Quantity(value, unit.name)
    return None


def _unit_error(text: str, unit_text: str, units: UnitTable, what: str,
                number: str = "") -> ValueError:
    """Why ``unit_text`` after ``number`` is not a unit: scientific notation, a range, a date
    written some other way, or an unknown unit (with "did you mean" when one is close)."""
    if len(number) == 4 and number.isdigit() and _DATE_LIKE.match(unit_text):
        return ValueError(f"{quote(text)} is not a date evalcore reads; write 2022-12-31, "
                          "2022年12月31日 or 2022年12月底")
    if _SCIENTIFIC.match(unit_text):
        return ValueError(f"{quote(text)} is in scientific notation, which is not read; write "
                          "the number out in full")
    if _RANGE_SIGN.search(unit_text):
        if what == "target":
            return ValueError(f"{quote(text)} is a range, and a range is not a target; score "
                              "a range with the bands rule (rule = \"bands\")")
        return ValueError(f"{quote(text)} is a range; an actual value is one number")
    hint = None
    if len(unit_text) <= _UNREADABLE_UNIT_LENGTH:
        near = nearest(unit_text, units.units, 3)  # nearest first, in the unit's language
        hint = suggest(unit_text, units.units) or (
            f"the nearest units: {', '.join(near)}; `evalcore plugins` lists them all" if near
            else "`evalcore plugins` lists the units")
    return UnknownUnitError(f"unknown unit {quote(unit_text)} in {quote(text)}", hint)


def _quantity(text: str, units: UnitTable, what: str) -> Quantity | None:
    """``text`` as a number and unit, or None when it does not start like a number.

    Raises ValueError when it starts with an Arabic number and cannot be read, and
    `_Unreadable` when it starts with a Chinese numeral or 百分之 and cannot be read."""
    for prefix, power in _PER:
        if text.startswith(prefix):
            body = text[len(prefix):].strip()
            value = Decimal(100) if body == "百" and power == 2 else _bare_number(body)
            if value is None:  # 百分之百完成 is a word; 百分之一百八 a malformed number
                numeral = all(c in CHINESE_NUMERAL_CHARS or c in "0123456789.," for c in body)
                raise _Unreadable(f"cannot read the number after {prefix} in {quote(text)}",
                                  numeral=numeral)
            return Quantity(shift(value, 2 - power), _percent(units))
    m = _NUMBER.match(text)
    if m:
        value = to_decimal(m.group(1))
        quantity = _with_unit(value, m.group(2).strip(), units, open_ended=True)
        if quantity is None:
            raise _unit_error(text, m.group(2).strip(), units, what, m.group(1))
        return quantity
    return _chinese_quantity(text, units, what)


def _bare_number(text: str) -> Decimal | None:
    """``text`` as one number, Arabic or Chinese, with nothing after it; None if it is not."""
    m = _NUMBER.match(text)
    if m:
        return to_decimal(m.group(1)) if not m.group(2) else None
    try:
        return parse_chinese_numeral(text)
    except ValueError:
        return None


def _chinese_quantity(text: str, units: UnitTable, what: str) -> Quantity | None:
    """A Chinese numeral and its unit: ``四百批次``, ``两万人次``, ``五十万元``.

    The longest numeral that leaves a known unit (or nothing) is read, so 一千二百万元 is
    1200万元 and never 一千二 × 百万元; 三千克 is 3 千克. Where a shorter numeral gives the
    same amount in a longer unit (五十万 元 / 五十 万元) the author's unit is kept. Raises
    `_Unreadable` (saying why) when no reading fits, ValueError for a range."""
    run = len(text) - len(text.lstrip(_NUMERAL_CHARS))
    if run == 0:
        return None
    if run > _LONGEST_NUMERAL:  # and each split below would parse it again: refuse it now
        raise _Unreadable(f"{quote(text)} is too long for a number ({run} numeral characters)",
                          numeral=True)
    found: list[Quantity] = []
    reason: ValueError | None = None
    for end in range(run, 0, -1):
        try:
            value = parse_chinese_numeral(text[:end])
        except ValueError as exc:
            reason = reason or exc  # why the whole numeral is not one (一百八 is ambiguous)
            continue
        rest = text[end:].strip()
        quantity = _with_unit(value, rest, units)
        if quantity is not None:
            found.append(quantity)
        elif end == run:
            reason = _unit_error(text, rest, units, what)  # why its unit is not one
            if _RANGE_SIGN.search(rest):
                raise reason  # 四百至五百批次
    if not found:
        assert reason is not None
        rest = text[run:].strip()
        numeral = not rest or _with_unit(Decimal(1), rest, units) is not None  # 一百八(批次)
        raise _Unreadable(str(reason), hint_of(reason), numeral=numeral)
    chosen = found[0]
    for other in found[1:]:
        if len(other.unit) > len(chosen.unit) > 0 and _same_amount(other, chosen, units):
            chosen = other
    return chosen


def _same_amount(a: Quantity, b: Quantity, units: UnitTable) -> bool:
    try:
        return units.convert(a.value, a.unit, b.unit) == b.value
    except ValueError:
        return False


def parse_target(text: object, units: UnitTable, default: Comparator = Comparator.GE) -> Target:
    """Parse a 年度指标值 such as ``≥400批次``, ``≤ 500万元``, ``═100%``, ``不少于四百批次``,
    ``百分之九十以上`` or ``按期完成``.

    A number with no symbol takes ``default`` (≥, or ≤ for cost-like
    categories); a date with no symbol, or followed by 前, is a deadline (≤).
    Text with no number is a qualitative target. Raises ValueError for a
    symbol or comparison word whose number cannot be read, an unknown unit,
    a range, conflicting comparisons, an impossible date, NaN and the like.
    """
    if isinstance(text, dt.datetime):
        text = text.date()
    if isinstance(text, dt.date):
        return Target(str(text), Comparator.LE, date=text, explicit=False)
    if isinstance(text, (int, float, Decimal)) and not isinstance(text, bool):
        number = to_decimal(text)  # first: str() of a 5000-digit int raises on its own
        return Target(str(text), default, Quantity(number), explicit=False)
    if not isinstance(text, str):
        raise ValueError(f"a target is text or a number, not {type(text).__name__}")
    return _parse_target_text(text, units, default)


def _parse_target_text(raw: str, units: UnitTable, default: Comparator) -> Target:
    norm = _normalise(raw)
    if not norm:
        raise ValueError("the target is empty")
    if norm.casefold() in _NOT_NUMBERS:
        raise ValueError(f"{raw!r} is not a number (an empty spreadsheet cell?)")
    comparator, rest = _split_comparator(norm)
    date, before = deadline(rest)
    if before and comparator is None:
        comparator = Comparator.LE  # "2021年12月31日前"
    if date is None:
        period, before = yearless(rest)
        if period is not None:  # read in the project's year when the row is scored
            return Target(raw, comparator or Comparator.LE, period=period,
                          explicit=comparator is not None)
    if date is not None:  # a bare date or period is a deadline: on or before its last day
        return Target(raw, comparator or Comparator.LE, date=date, explicit=comparator is not None)
    quantity = _read(raw, rest, comparator, units, "target")
    if quantity is None:
        if comparator is not None and norm[0] in _SYMBOL_CHARS:
            # "≥优良" has a symbol but nothing to compare with; "高于去年水平" is just words.
            raise ValueError(f"{quote(raw)} has a comparison symbol but no number")
        return Target(raw)
    return Target(raw, comparator or default, quantity, explicit=comparator is not None)


def _read(raw: str, rest: str, comparator: Comparator | None, units: UnitTable,
          what: str) -> Quantity | None:
    """The quantity in ``rest`` (``raw`` without its comparison), or None for words.

    Under a comparison word, text holding a number (a digit, or a Chinese numeral at the
    start) must be read: 不少于四百余批次 is an error, never a qualitative target."""
    try:
        quantity = _quantity(rest, units, what)
    except _Unreadable as exc:
        if comparator is None and not exc.numeral:
            return None  # 一般, 一流: words that start with a numeral's character
        raise _Unreadable(f"cannot read the number in {quote(raw)}: {exc}", exc.hint) from None
    if quantity is None and comparator is not None and _looks_numeric(rest):
        raise ValueError(f"cannot read the number in {quote(raw)}; write a number and a unit "
                         "(≥400批次), or leave out the comparison for a qualitative target")
    return quantity


def parse_actual(value: object, units: UnitTable) -> Value:
    """Parse a 实际完成值: ``441批次``, ``91.6%``, ``四百四十一批次``, ``2021-12-20``, ``完成``,
    or a bare number. Raises ValueError for what cannot be read (NaN, an unknown unit, a
    range, an impossible date ...)."""
    if type(value) is str:  # the common case first: a text read before is read from the cache
        parsed: Value | None = units._parsed.get(value)
        if parsed is not None:
            return parsed
    if isinstance(value, dt.datetime):
        return Value(str(value), date=value.date())
    if isinstance(value, dt.date):
        return Value(str(value), date=value)
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        # Kept by type and text: 100 and Decimal("100.0") are equal but read differently. An
        # int is its own text (and str() of a 5000-digit int raises: to_decimal says why).
        key = (int, value) if isinstance(value, int) else (type(value), str(value))
        known: Value | None = units._parsed.get(key)
        if known is None:
            number = to_decimal(value)  # first: str() of a 5000-digit int raises on its own
            known = Value(str(value), Quantity(number))
            remember(units._parsed, key, known)
        return known
    if not isinstance(value, str):
        raise ValueError(f"an actual value is text or a number, not {type(value).__name__}")
    parsed = units._parsed.get(value)
    if parsed is None:  # what cannot be read is not kept: its error is raised each time
        parsed = _parse_actual_text(value, units)
        remember(units._parsed, value, parsed)
    return parsed


def _parse_actual_text(raw: str, units: UnitTable) -> Value:
    norm = _normalise(raw)
    if not norm:
        raise ValueError("the actual value is empty")
    if norm.casefold() in _NOT_NUMBERS:
        raise ValueError(f"{raw!r} is not a number (an empty spreadsheet cell?)")
    comparator, rest = _split_comparator(norm)
    date, _ = deadline(rest)  # "2021年12月完成": completed by the end of December
    if date is not None:
        return Value(raw, date=date, comparator=comparator)
    quantity = _read(raw, rest, comparator, units, "actual")
    return Value(raw) if quantity is None else Value(raw, quantity, comparator=comparator)
