"""pefa-m1 and pefa-m2: Hypothesis properties of the methods, and the subtotals evalcore keeps.

Properties of M1 (weakest link) that follow from its definition: it never lies above the
highest dimension nor below the lowest; the order of the dimensions never matters; a better
dimension never lowers it. Of M2 (averaging): the order never matters, and every encoded row
lies between its lowest and highest dimension.

"M1 ≤ M2" is NOT a PEFA rule: M2 is an approximate average looked up in a table, and nothing in
the Framework's definitions bounds it below by M1's "lowest, plus half a step". It is checked
here only as a fact about the rows evalcore-pefa encodes (the two-dimension rows and the rows
of equal scores), where it holds.
"""

from __future__ import annotations

from decimal import Decimal

import evalcore
import pytest
from hypothesis import given
from hypothesis import strategies as st

from evalcore_pefa.methods import UnencodedRow, averaging, m2_table, weakest_link

LEVELS = [Decimal(1), Decimal(2), Decimal(3), Decimal(4)]
dimension_levels = st.lists(st.sampled_from(LEVELS), min_size=1, max_size=4)
encoded_rows = st.sampled_from(sorted(m2_table().rows))
LETTER_LEVEL = {"D": Decimal(1), "C": Decimal(2), "B": Decimal(3), "A": Decimal(4)}


@given(dimension_levels)
def test_m1_lies_between_the_lowest_and_the_highest_dimension(levels: list[Decimal]) -> None:
    assert min(levels) <= weakest_link(levels) <= max(levels)


@given(dimension_levels)
def test_m1_is_the_lowest_dimension_with_a_plus_exactly_when_another_is_higher(
        levels: list[Decimal]) -> None:
    plus = any(level > min(levels) for level in levels)
    assert weakest_link(levels) == min(levels) + (Decimal("0.5") if plus else 0)


@given(st.data(), dimension_levels)
def test_the_order_of_the_dimensions_never_matters(data: st.DataObject, levels: list[Decimal]) -> None:
    shuffled = data.draw(st.permutations(levels))
    assert weakest_link(shuffled) == weakest_link(levels)
    try:
        expected: Decimal | str = averaging(levels)
    except UnencodedRow as exc:
        expected = ",".join(exc.letters)
    try:
        got: Decimal | str = averaging(shuffled)
    except UnencodedRow as exc:
        got = ",".join(exc.letters)
    assert got == expected


@given(st.data(), dimension_levels)
def test_a_better_dimension_never_lowers_m1(data: st.DataObject, levels: list[Decimal]) -> None:
    i = data.draw(st.integers(0, len(levels) - 1))
    better = [*levels[:i], data.draw(st.sampled_from([v for v in LEVELS if v >= levels[i]])),
              *levels[i + 1:]]
    assert weakest_link(better) >= weakest_link(levels)


@given(st.data(), encoded_rows)
def test_every_encoded_m2_row_lies_between_its_dimensions_and_not_below_m1(
        data: st.DataObject, row: tuple[str, ...]) -> None:
    levels = data.draw(st.permutations([LETTER_LEVEL[d] for d in row]))
    m2 = averaging(levels)
    assert min(levels) <= m2 <= max(levels)
    assert weakest_link(levels) <= m2  # a fact of the encoded rows, not a PEFA rule (module doc)


@given(st.sampled_from(LEVELS))
def test_one_dimension_is_its_own_score_under_both_methods(level: Decimal) -> None:
    assert weakest_link([level]) == averaging([level]) == level


def test_an_unencoded_m2_row_is_refused_not_guessed() -> None:
    with pytest.raises(UnencodedRow, match="not encoded"):
        averaging([Decimal(4), Decimal(3), Decimal(2)])


# ----------------------------------------------------------- through evalcore: category subtotals

MARKS = {"A": Decimal(4), "B": Decimal(3), "C": Decimal(2), "D": Decimal(1), "D*": Decimal(1)}


def _indicator_subtotal(category: str, marks: list[str]) -> evalcore.results.Subtotal | None:
    rows = tuple(evalcore.Indicator(f"d{i}", f"d{i}", category, Decimal(4), "A")
                 for i in range(len(marks)))
    scheme = evalcore.Scheme("t", rows, profile="pefa-2016", settings={"total": 4 * len(marks)})
    actuals = {f"d{i}": evalcore.Actual(mark) for i, mark in enumerate(marks)}
    result = evalcore.evaluate(evalcore.Project(evalcore.ProjectInfo("t"), scheme, actuals=actuals))
    return next((c for c in result.categories if c.name == category), None)


@given(st.lists(st.sampled_from([*MARKS, "NA"]), min_size=3, max_size=3))
def test_a_m1_indicators_subtotal_is_m1_of_the_dimensions_that_apply(marks: list[str]) -> None:
    subtotal = _indicator_subtotal("pi-2", marks)  # PI-2: three dimensions, M1
    applying = [MARKS[m] for m in marks if m != "NA"]
    if not applying:
        assert subtotal is None  # no dimension applies: the indicator has no score
        return
    assert subtotal is not None
    assert subtotal.points == 4 * len(applying)
    assert subtotal.score == weakest_link(applying) * len(applying)  # level × points / 4


@given(st.lists(st.sampled_from(list(MARKS)), min_size=2, max_size=2), st.booleans())
def test_d_star_aggregates_exactly_like_d(marks: list[str], star: bool) -> None:
    plain = ["D" if m == "D*" else m for m in marks]
    starred = [("D*" if star else "D") if m == "D" else m for m in plain]
    for category in ("pi-22", "pi-3"):  # two dimensions: M1 and M2
        a, b = _indicator_subtotal(category, plain), _indicator_subtotal(category, starred)
        assert a is not None and b is not None and a.score == b.score


def test_scores_of_several_indicators_are_not_combined_by_m1() -> None:
    """PEFA defines no aggregation across indicators: an indicator's score is no dimension."""
    with pytest.raises(evalcore.EvaluationError, match="PEFA defines no way to combine"):
        evalcore.default_registry().aggregator("pefa-m1").aggregate(
            [Decimal("10.5"), Decimal(4)], [Decimal(12), Decimal(4)])
