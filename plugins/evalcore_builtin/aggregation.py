"""How scores add up the indicator tree. The national way is a plain sum."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from evalcore.plugin import ZERO, Aggregator, hookimpl


def total(scores: Sequence[Decimal], points: Sequence[Decimal]) -> Decimal:
    """The sum of the (already rounded) scores: a table always adds up."""
    return sum(scores, ZERO)


@hookimpl
def evalcore_aggregators() -> list[Aggregator]:
    return [Aggregator("sum", total, "Scores add up: the group's score is the sum of its rows.",
                       additive=True)]
