"""Published scores (得分 printed in an existing table) compared at the table's own precision.

A published 自评表 often prints whole numbers (9, not 8.62): comparing its scores with
evalcore's two-decimal ones would call every row different. So the precision of a table is
inferred from the scores it publishes (the most decimal places any of them is written with,
9 → 0, 8.5 → 1, 8.62 → 2), and each computed score is rounded half up to that precision
before it is compared; the total is compared with the rows so rounded, added up again (a
table's total is the sum of its printed rows). A table printed with at least the profile's
precision is compared as it is. One wording of the ``published-differs`` finding serves
every path that reports it (the per-project path and the columnar one) and `evalcore.audit`.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the public
surfaces); its own path may change in any release.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from .numbers import ZERO, round_half_up
from .numbers import format_decimal as fmt
from .registrations import Aggregator

__all__ = ["added_up", "at_places", "compare", "message_en", "message_zh", "places_of",
           "total_at"]


def places_of(values: Iterable[Decimal | None]) -> int | None:
    """The table's precision: the most decimal places among the published scores as written
    (``9`` → 0, ``8.50`` → 2); None when nothing is published."""
    places: int | None = None
    for value in values:
        if value is None or not value.is_finite():
            continue
        exponent = value.as_tuple().exponent
        assert isinstance(exponent, int)
        places = max(places or 0, -exponent)
    return places


def at_places(score: Decimal, places: int | None, decimals: int) -> Decimal:
    """``score`` (rounded at the profile's ``decimals``) as a table printed at ``places``
    decimals shows it: rounded half up when the table is coarser, unchanged otherwise."""
    if places is None or places >= decimals:
        return score
    return round_half_up(score, places)


def compare(published: Decimal, computed: Decimal, places: int | None,
            decimals: int) -> tuple[Decimal, Decimal]:
    """What ``published`` is compared with (``computed`` at the table's precision, `at_places`)
    and their difference, published minus that."""
    shown = at_places(computed, places, decimals)
    return shown, published - shown


def total_at(aggregator: Aggregator, rows: Sequence[tuple[str, Decimal, Decimal]],
             places: int | None, decimals: int, total: Decimal) -> Decimal:
    """The total as a table printed at ``places`` decimals adds it up (`added_up`); ``total``
    (the evaluation's) when the table is not coarser than the profile."""
    if places is None or places >= decimals:
        return total
    return added_up(aggregator, rows, places, total)


def added_up(aggregator: Aggregator, rows: Sequence[tuple[str, Decimal, Decimal]], places: int,
             fallback: Decimal) -> Decimal:
    """The total of ``rows`` (group, points, score; the rows that count): each score rounded
    half up to ``places``, added up by group and then over the groups by the plan's
    ``aggregator``, each step rounded half up there, as the evaluation adds up its rows.
    ``fallback`` rounded to ``places`` when the aggregator cannot add up those scores."""
    groups: dict[str, tuple[list[Decimal], list[Decimal]]] = {}
    for group, weight, score in rows:
        entry = groups.setdefault(group, ([], []))
        entry[0].append(weight)
        entry[1].append(round_half_up(score, places))
    try:
        scores = [round_half_up(aggregator.aggregate(s, p), places) for p, s in groups.values()]
        points = [sum(p, ZERO) for p, _ in groups.values()]
        return round_half_up(aggregator.aggregate(scores, points), places)
    except (ValueError, ArithmeticError):
        return round_half_up(fallback, places)


def _rounded(computed: Decimal, compared: Decimal) -> tuple[str, str]:
    """The note that the computed score was rounded to the table's precision, if it was."""
    if compared == computed:
        return "", ""
    return f"（按公布表的精度为{fmt(compared)}）", \
        f" ({fmt(compared)} at the published table's precision)"


def message_zh(name: str | None, published: Decimal, computed: Decimal,
               compared: Decimal) -> str:
    """The Chinese ``published-differs`` message of a row (``name``) or, with no name, of the
    total."""
    note, _ = _rounded(computed, compared)
    if name is None:
        return f"公布的总分 {fmt(published)} 与计算所得 {fmt(computed)}{note} 不一致"
    return f"{name}：公布得分{fmt(published)}，计算得分{fmt(computed)}{note}"


def message_en(name: str | None, published: Decimal, computed: Decimal,
               compared: Decimal) -> str:
    """The English ``published-differs`` message, worded as `message_zh`."""
    _, note = _rounded(computed, compared)
    if name is None:
        return f"the published total {fmt(published)} differs from the computed {fmt(computed)}{note}"
    return f"{name}: published score {fmt(published)}, computed {fmt(computed)}{note}"
