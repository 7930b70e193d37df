"""Targets and actual values: comparison symbols, numbers, units, dates, words.

Real tables write the same target many ways (``≥400批次``, ``>= 400 批次``,
``≧400批次``, ``不少于400批次``, ``═100%``). This module turns each into one
`Target` or `Value`, and converts between units of one dimension
(元 / 万元 / 亿元). Which units exist is not known here: plugins register them
and the `UnitTable` is built from the registry.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction

import attrs

from .errors import suggest
from .numbers import format_decimal, to_decimal

__all__ = [
    "Comparator",
    "Quantity",
    "Target",
    "Unit",
    "UnitTable",
    "UnknownUnitError",
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
)
_NUMBER = re.compile(r"^([-+]?\d+(?:,\d+)*(?:\.\d+)?|[-+]?\.\d+)\s*(.*)$")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?|月\s*(底))$")
_NOT_NUMBERS = frozenset({"nan", "inf", "+inf", "-inf", "infinity", "-infinity"})
# "无" is not here: in a table it usually means "none found" (0 problems), not "does not apply".
NOT_APPLICABLE = frozenset({"/", "／", "—", "-", "不适用", "n/a", "N/A", "NA"})


class UnknownUnitError(ValueError):
    """A unit no plugin registers; ``hint`` says which known unit is close."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


@attrs.frozen
class Unit:
    """A unit of measure. Units of one ``dimension`` convert by their ``factor``."""

    name: str
    dimension: str
    factor: Decimal = Decimal(1)
    aliases: tuple[str, ...] = ()


@attrs.frozen
class UnitTable:
    """Every known unit by name and alias; built once from the registry."""

    units: Mapping[str, Unit]

    @classmethod
    def of(cls, units: Iterable[Unit]) -> UnitTable:
        table: dict[str, Unit] = {}
        for unit in units:
            for name in (unit.name, *unit.aliases):
                table[unicodedata.normalize("NFKC", name)] = unit
        return cls(table)

    def get(self, name: str) -> Unit | None:
        """The unit called ``name``; a compound ``A/B`` of two known units (万元/公里, 元/人)
        is a unit of its own dimension ("money/length"), converting by both factors."""
        key = unicodedata.normalize("NFKC", name).strip()
        unit = self.units.get(key)
        if unit is None and key.count("/") == 1:
            top, bottom = (self.units.get(part.strip()) for part in key.split("/"))
            if top is not None and bottom is not None:
                unit = Unit(key, f"{top.dimension}/{bottom.dimension}", top.factor / bottom.factor)
        return unit

    def resolve(self, name: str) -> Unit:
        """The unit called ``name``; ValueError with a suggestion when unknown."""
        unit = self.get(name)
        if unit is None:
            raise UnknownUnitError(f"unknown unit {name!r}", suggest(name, self.units))
        return unit

    def factor(self, from_unit: str, to_unit: str) -> Fraction:
        """The exact multiplier turning an amount in ``from_unit`` into ``to_unit``.

        A Fraction, because 天 → 周 is 1/7, which no Decimal holds exactly.
        Raises ValueError when the units measure different things: 个 and 批次
        are both counts, but of different things, so they never convert.
        """
        a, b = self.resolve(from_unit), self.resolve(to_unit)
        if a.name == b.name:
            return Fraction(1)
        if a.dimension != b.dimension:
            raise ValueError(
                f"unit {from_unit!r} ({a.dimension}) cannot be compared with {to_unit!r} ({b.dimension})"
            )
        return Fraction(a.factor) / Fraction(b.factor)

    def convert(self, value: Decimal, from_unit: str, to_unit: str) -> Decimal:
        """``value`` in ``from_unit`` expressed in ``to_unit``: multiplied, then divided, so
        whole multiples stay exact (14 天 is exactly 2 周)."""
        f = self.factor(from_unit, to_unit)
        if f == 1:
            return value
        return value * Decimal(f.numerator) / Decimal(f.denominator)


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

    @property
    def qualitative(self) -> bool:
        return self.quantity is None and self.date is None

    def __str__(self) -> str:
        if self.qualitative:
            return self.text
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

    Both may be present ("控制在500万元以内"); they must then agree."""
    comparator = None
    m = _PREFIX_RE.match(text)
    if m:
        comparator, text = _PREFIX_TABLE[m.group()], text[m.end():].strip()
    m = _SUFFIX_RE.search(text)
    if m and (comparator is None or comparator is _SUFFIX_TABLE[m.group()]):
        comparator, text = _SUFFIX_TABLE[m.group()], text[: m.start()].strip()
    return comparator, text


_DEADLINE_SUFFIX = re.compile(r"(之前|以前|前)$")


def _date(text: str) -> dt.date | None:
    """A date written 2021-12-31, 2021/12/31, 2021年12月31日 or 2021年12月底 (the month's last day)."""
    m = _DATE.match(text)
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    try:
        if m.group(4) == "底":
            if not 1 <= month <= 12:
                raise ValueError
            following = dt.date(year + month // 12, month % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return dt.date(year, month, int(m.group(3)))
    except ValueError:
        raise ValueError(f"{text!r} is not a valid date") from None


def _quantity(text: str, units: UnitTable) -> Quantity | None:
    m = _NUMBER.match(text)
    if not m:
        return None
    unit_text = m.group(2).strip()
    if unit_text.startswith("(") and unit_text.endswith(")"):
        unit_text = unit_text[1:-1].strip()
    value = to_decimal(m.group(1))
    if not unit_text:
        return Quantity(value)
    unit = units.get(unit_text)
    if unit is None:
        raise UnknownUnitError(f"unknown unit {unit_text!r} in {text!r}",
                               suggest(unit_text, units.units) or "`evalcore plugins` lists the units")
    return Quantity(value, unit.name)  # aliases (百分比, ％) become the unit's own name (%)


def parse_target(text: object, units: UnitTable, default: Comparator = Comparator.GE) -> Target:
    """Parse a 年度指标值 such as ``≥400批次``, ``≤ 500万元``, ``═100%`` or ``按期完成``.

    A number with no symbol takes ``default`` (≥, or ≤ for cost-like
    categories); a date with no symbol, or followed by 前, is a deadline (≤).
    Text with no number is a qualitative target. Raises ValueError for a
    symbol without a number, an unknown unit, NaN and the like.
    """
    if isinstance(text, dt.datetime):
        text = text.date()
    if isinstance(text, dt.date):
        return Target(str(text), Comparator.LE, date=text, explicit=False)
    if isinstance(text, (int, float, Decimal)) and not isinstance(text, bool):
        return Target(str(text), default, Quantity(to_decimal(text)), explicit=False)
    if not isinstance(text, str):
        raise ValueError(f"a target is text or a number, not {type(text).__name__}")
    raw = text
    norm = _normalise(text)
    if not norm:
        raise ValueError("the target is empty")
    if norm.casefold() in _NOT_NUMBERS:
        raise ValueError(f"{raw!r} is not a number (an empty spreadsheet cell?)")
    comparator, rest = _split_comparator(norm)
    deadline = _DEADLINE_SUFFIX.search(rest)
    if comparator is None and deadline and _date(rest[: deadline.start()].strip()):
        comparator, rest = Comparator.LE, rest[: deadline.start()].strip()  # "2021年12月31日前"
    date = _date(rest)
    if date is not None:  # a bare date is a deadline: on or before it
        return Target(raw, comparator or Comparator.LE, date=date, explicit=comparator is not None)
    quantity = _quantity(rest, units)
    if quantity is None:
        if re.match(r"^[-+]?\d", rest):
            raise ValueError(f"cannot read the number in {raw!r}")
        if comparator is not None and re.search(r"\d", rest) is None and norm[0] in _SYMBOL_CHARS:
            # "≥优良" has a symbol but nothing to compare with; "高于去年水平" is just words.
            raise ValueError(f"{raw!r} has a comparison symbol but no number")
        return Target(raw)
    return Target(raw, comparator or default, quantity, explicit=comparator is not None)


def parse_actual(value: object, units: UnitTable) -> Value:
    """Parse a 实际完成值: ``441批次``, ``91.6%``, ``2021-12-20``, ``完成``, or a bare number."""
    if isinstance(value, dt.datetime):
        return Value(str(value), date=value.date())
    if isinstance(value, dt.date):
        return Value(str(value), date=value)
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return Value(str(value), Quantity(to_decimal(value)))
    if not isinstance(value, str):
        raise ValueError(f"an actual value is text or a number, not {type(value).__name__}")
    norm = _normalise(value)
    if not norm:
        raise ValueError("the actual value is empty")
    comparator, rest = _split_comparator(norm)
    date = _date(rest)
    if date is not None:
        return Value(value, date=date, comparator=comparator)
    quantity = _quantity(rest, units)
    if quantity is not None:
        return Value(value, quantity, comparator=comparator)
    if re.match(r"^[-+]?\d", rest):
        raise ValueError(f"cannot read the number in {value!r}")
    return Value(value)
