"""How a target written without a comparison sign is read: ≥, ≤ or =, and whether it is a guess.

Real tables print "30天" under 时效指标 (a time limit: ≤), "0起" under 安全 (zero
accidents: = 0), "95%" under 成本指标 beside "计划完成率" (more is better). A wrong
reading is worse than a refusal, because nobody notices it, so the reading is data: each
category's TOML declares it per kind of unit (``kinds``), and the words of an indicator's
name that flip it (``higher`` / ``lower``). Where the reading is still a guess, the row is
scored and an ``ambiguous-direction`` finding says which reading was taken and how to state
it.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the public
surfaces); its own path may change in any release.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from .quantities import Comparator, Value
from .units import Unit

__all__ = ["READING_KEYS", "SIGNS", "Reading", "Taken", "read_sign_less", "signed_actual_messages",
           "unit_kind"]

READING_KEYS = ("kinds", "guess", "higher", "lower")
"""The keys of a category's ``[category.reading]`` table."""

SIGNS: Mapping[str, Comparator] = {"≥": Comparator.GE, "≤": Comparator.LE, "=": Comparator.EQ}
"""The readings a category may declare for a kind of unit."""


@attrs.frozen
class Reading:
    """How a category reads a target without a sign.

    ``kinds`` maps a kind of unit (``time``, ``money``, ``percent``, ``count``, ``number`` for a
    bare number, or any unit's own kind) to its reading, which its unit decides alone (30天
    under 时效 is ≤ whatever the name says). A kind not listed takes the category's direction
    unless a word of the indicator's name decides; so does a kind listed in ``guess``, whose
    reading is a guess when no word decides. ``higher`` / ``lower`` are those words (率, 完成 →
    ≥; 事故, 投诉 → ≤): the longest word found in the name decides, and two of one length
    pulling both ways decide nothing (a guess).
    """

    kinds: Mapping[str, Comparator] = attrs.field(factory=dict)
    guess: frozenset[str] = frozenset()
    higher: tuple[str, ...] = ()
    lower: tuple[str, ...] = ()


@attrs.frozen
class Taken:
    """The reading taken: the comparator, whether it is a guess, and why, in both languages."""

    comparator: Comparator
    guess: bool
    why_en: str
    why_zh: str


def unit_kind(unit: Unit | None) -> str:
    """The kind of a unit, for the reading: its declared ``kind``; else ``count`` for a count
    unit (dimension ``count:…``) and its dimension for any other; ``number`` for no unit."""
    if unit is None:
        return "number"
    if unit.kind:
        return unit.kind
    return "count" if unit.dimension.startswith("count:") else unit.dimension


def _word(name: str, reading: Reading) -> tuple[Comparator | None, str, bool]:
    """The direction the indicator's name gives (the longest flip word found in it), the word,
    and whether two words of the same length pull both ways (a tie: no direction)."""
    found = [(len(w), w, Comparator.GE) for w in reading.higher if w and w in name]
    found += [(len(w), w, Comparator.LE) for w in reading.lower if w and w in name]
    if not found:
        return None, "", False
    longest = max(length for length, _, _ in found)
    top = {(w, c) for length, w, c in found if length == longest}
    directions = {c for _, c in top}
    if len(directions) > 1:
        return None, " / ".join(sorted(w for w, _ in top)), True
    word, comparator = sorted(top, key=lambda item: item[0])[0]
    return comparator, word, False


def read_sign_less(name: str, kind: str, zero: bool, direction: str, reading: Reading) -> Taken:
    """The reading of a target without a sign, for an indicator called ``name`` whose target's
    unit is of ``kind`` (``zero``: the target's number is 0), in a category whose ``direction``
    is "higher" or "lower" and whose ``reading`` is given.

    A word of the name decides first; then the kind's reading, or the direction. A zero target
    is never read as ≥ 0 (met by anything): it is read as = 0, a guess unless a word says ≤.
    """
    default = Comparator.GE if direction == "higher" else Comparator.LE
    by_kind = reading.kinds.get(kind, default)
    sure = kind in reading.kinds and kind not in reading.guess  # 30天 under 时效 is ≤, whatever
    word_comparator, word, tie = (None, "", False) if sure else _word(name, reading)
    if word_comparator is not None:
        comparator, guess = word_comparator, False
        en = f"the name has \u201c{word}\u201d"
        zh = f"指标名称含\u201c{word}\u201d"
    elif tie:
        comparator, guess = by_kind, True
        en = f"the name's words \u201c{word}\u201d pull both ways; read as for its unit"
        zh = f"指标名称中的\u201c{word}\u201d方向相反，按计量单位读取"
    else:
        comparator, guess = by_kind, kind in reading.guess
        en, zh = f"a {kind} target in this category", f"本类指标的{_KIND_ZH.get(kind, kind)}目标"
    if zero and comparator is Comparator.GE:
        return Taken(Comparator.EQ, True, "a target of 0 read as ≥ 0 is met by anything; read as = 0",
                     "目标为0时读作≥0将永远达成，按=0读取")
    return Taken(comparator, guess, en, zh)


_KIND_ZH = {"time": "时间", "money": "金额", "percent": "百分比", "count": "计数", "number": "无单位数值",
            "length": "长度", "area": "面积", "mass": "重量", "volume": "体积"}


def signed_actual_messages(ident: str, name: str, value: Value) -> tuple[str, str]:
    """The ``signed-actual`` finding's messages (English, Chinese) for an actual value printed
    with a comparison sign ("≥90%", as some tables do): an actual is what was achieved, not a
    bound, so it is scored as its number and the sign is reported, never dropped silently."""
    assert value.comparator is not None
    sign = value.comparator.value
    read = str(value.quantity) if value.quantity is not None else str(value.date)
    return (f"{ident} {name}: the actual value {value.text!r} carries a comparison sign ({sign}); "
            f"it was scored as {read}; write the value achieved, without a sign",
            f"{name}：实际完成值“{value.text}”带有比较符号“{sign}”，按{read}评分；"
            "实际完成值应填写实际达到的数值，不带符号")
