"""Units: what plugins register (元, 万元, 天, 批次 ...) and the table a scheme reads amounts
with, converting exactly within a dimension and taking a classifier no plugin knows (种, 台套)
as a count unit of its own name.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the public
surfaces); its own path may change in any release.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from .errors import HintedError, suggest
from .numbers import CHINESE_NUMERAL_CHARS, context

__all__ = ["CACHE_LIMIT", "Unit", "UnitTable", "UnknownUnitError", "remember"]

CACHE_LIMIT = 4096
"""How many entries each of a unit table's caches keeps before it starts afresh."""


def remember(cache: dict[Any, Any], key: Any, value: Any) -> None:
    """``cache[key] = value``, the cache emptied first when it holds `CACHE_LIMIT` entries."""
    if len(cache) >= CACHE_LIMIT:
        cache.clear()
    cache[key] = value


# An open-ended count unit (a classifier): one to four Chinese characters, none of them a
# numeral, a date, a period or an approximation (余, 多, 约, 左右 ...), so "400余批次", "30天内"
# and "12月底" are never taken for counts of "余批次", "天内", "月底".
_CLASSIFIER = re.compile(r"^[\u4e00-\u9fff]{1,4}$")
_NOT_CLASSIFIER = frozenset(CHINESE_NUMERAL_CHARS) | frozenset(
    "年月日号时分秒周天季度底末初前后内外余多约近逾超左右以及至到每成")


def _slip(name: str, known: str) -> bool:
    """Whether ``name`` looks like ``known`` mistyped: as long, the same first character, one
    other character different (批欠 for 批次, 平放米 for 平方米). Such a unit stays an unknown
    unit with "did you mean", never a count of its own; 车次 (another first character) is one."""
    return (len(name) == len(known) >= 2 and name[0] == known[0]
            and sum(a != b for a, b in zip(name, known, strict=True)) == 1)


class UnknownUnitError(HintedError):
    """A unit no plugin registers; ``hint`` says which known unit is close."""

    def __init__(self, message: str, hint: str | None = None, *, numeral: bool = False) -> None:
        super().__init__(message, hint)
        self.numeral = numeral  # the text is a numeral (and a unit) that is not well formed


@attrs.frozen
class Unit:
    """A unit of measure. Units of one ``dimension`` convert by their exact ``factor`` (a
    Decimal, or a Fraction where no Decimal is exact: 1 亩 = 10000/15 平方米). ``kind`` groups
    dimensions for reading a target without a sign (``time`` for 天, 月, 小时 ...); empty: see
    `evalcore.reading.unit_kind`."""

    name: str
    dimension: str
    factor: Decimal | Fraction = Decimal(1)
    aliases: tuple[str, ...] = ()
    kind: str = ""


@attrs.frozen
class UnitTable:
    """Every known unit by name and alias; built once from the registry.

    It also keeps what is asked of it again and again while projects are scored, each bounded
    (`CACHE_LIMIT` entries, then started afresh): the conversion factor of a pair of unit
    names, and every actual value's text parsed (`parse_actual`), so "441批次" is read once,
    not once per project. Both are pure functions of the table, so a cached answer is the
    answer.
    """

    units: Mapping[str, Unit]
    _factors: dict[tuple[str, str], Fraction | str] = attrs.field(
        factory=dict, init=False, eq=False, repr=False)
    # The actual values read with this table (`evalcore.quantities.Value`, by their text), kept
    # by `evalcore.quantities.parse_actual`: typed Any here, since units come before quantities.
    _parsed: dict[object, Any] = attrs.field(factory=dict, init=False, eq=False, repr=False)

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
                unit = Unit(key, f"{top.dimension}/{bottom.dimension}",
                            Fraction(top.factor) / Fraction(bottom.factor))
        return unit

    def get_or_count(self, name: str) -> Unit | None:
        """`get`, and else an open-ended count unit: a classifier no plugin knows (种, 例, 台套)
        is a count of its own name, so "12种" meets "≥12种" and never converts to "例"."""
        unit = self.get(name)
        if unit is None:
            key = unicodedata.normalize("NFKC", name).strip()
            if (_CLASSIFIER.match(key) and not any(c in _NOT_CLASSIFIER for c in key)
                    and not any(_slip(key, known) for known in self.units)):
                unit = Unit(key, f"count:{key}")
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
        key = (from_unit, to_unit)
        known = self._factors.get(key)
        if known is None:
            try:
                known = self._factor(from_unit, to_unit)
            except UnknownUnitError:
                raise
            except ValueError as exc:
                known = str(exc)
            remember(self._factors, key, known)
        if isinstance(known, str):
            raise ValueError(known)
        return known

    def _factor(self, from_unit: str, to_unit: str) -> Fraction:
        a = self.get_or_count(from_unit) or self.resolve(from_unit)
        b = self.get_or_count(to_unit) or self.resolve(to_unit)
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
        if f.numerator == f.denominator:  # 1, without Fraction's slower comparison
            return value
        c = context()  # explicitly: the caller's decimal settings never matter
        return c.divide(c.multiply(value, Decimal(f.numerator)), Decimal(f.denominator))
