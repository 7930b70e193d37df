"""Tests for evalcore_builtin._intervals: parsing, membership, gap/overlap checks, Matcher."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from decimal import Decimal
from itertools import combinations, pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evalcore_builtin._intervals import (
    Bound,
    Clash,
    Coverage,
    Interval,
    IntervalSyntaxError,
    Matcher,
    Overlaps,
    check_coverage,
    find_gaps,
    find_matches,
    find_overlaps,
    parse_interval,
)

D = Decimal


def iv(text: str) -> Interval:
    return parse_interval(text)


# ------------------------------------------------------------------ parsing: accepted forms

ACCEPTED = [
    (">= 0.95", "[0.95, +inf)"),
    ("≥0.95", "[0.95, +inf)"),
    ("≧ 0.95", "[0.95, +inf)"),
    ("=>0.95", "[0.95, +inf)"),
    ("> = 0.95", "[0.95, +inf)"),
    (">0.9", "(0.9, +inf)"),
    ("＞0.9", "(0.9, +inf)"),
    ("< 0.6", "(-inf, 0.6)"),
    ("＜0.6", "(-inf, 0.6)"),
    ("<=1", "(-inf, 1]"),
    ("≤ 1", "(-inf, 1]"),
    ("≦1", "(-inf, 1]"),
    ("=<1", "(-inf, 1]"),
    ("= 1", "= 1"),
    ("==1", "= 1"),
    ("＝1", "= 1"),
    ("═1", "= 1"),
    ("> -5", "(-5, +inf)"),
    ("[0.8, 0.95)", "[0.8, 0.95)"),
    ("(0.8, 0.95]", "(0.8, 0.95]"),
    ("[0.8,0.95]", "[0.8, 0.95]"),
    ("( 0.8 , 0.95 )", "(0.8, 0.95)"),
    ("[0.8, inf)", "[0.8, +inf)"),
    ("[0.8, +inf)", "[0.8, +inf)"),
    ("[0.8, ∞)", "[0.8, +inf)"),
    ("[0.8, +∞)", "[0.8, +inf)"),
    ("(-inf, 0.6)", "(-inf, 0.6)"),
    ("(-∞, 0.6]", "(-inf, 0.6]"),
    ("(\u2212∞, 0.6)", "(-inf, 0.6)"),  # U+2212 MINUS SIGN
    ("(-inf, +inf)", "(-inf, +inf)"),
    ("(-INF, Infinity)", "(-inf, +inf)"),
    ("0.8..0.95", "[0.8, 0.95)"),
    ("0.8 .. 0.95", "[0.8, 0.95)"),
    ("80%..95%", "[0.8, 0.95)"),
    ("-inf..0.6", "(-inf, 0.6)"),
    ("0.8..inf", "[0.8, +inf)"),
    ("95%", "= 0.95"),
    (">=95%", "[0.95, +inf)"),
    ("≥ 95 %", "[0.95, +inf)"),
    ("[80%, 95%)", "[0.8, 0.95)"),
    ("［８０％，９５％）", "[0.8, 0.95)"),  # full-width brackets, digits, comma, percent
    ("  >=  0.95  ", "[0.95, +inf)"),
    ("0.95", "= 0.95"),
    ("-3", "= -3"),
    ("1e-2", "= 0.01"),
    ("1E+3", "= 1000"),
    ("0.80", "= 0.8"),
    ("150%", "= 1.5"),
]


@pytest.mark.parametrize(("text", "canonical"), ACCEPTED)
def test_accepted_forms(text: str, canonical: str) -> None:
    parsed = parse_interval(text)
    assert str(parsed) == canonical
    assert parse_interval(canonical) == parsed


def test_percent_is_exact() -> None:
    assert parse_interval("95%").low.value == D("0.95")
    assert parse_interval("33.3333333333333333333333333333333%").low.value == D(
        "0.333333333333333333333333333333333"
    )  # more digits than the default context precision, no rounding
    assert parse_interval("[80%, 95%)") == Interval(Bound(D("0.8"), True), Bound(D("0.95"), False))


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1, D(1)), (0.95, D("0.95")), (0.1, D("0.1")), (D("0.950"), D("0.95")), (-2, D(-2))],
)
def test_toml_numbers_are_points(value: int | float | Decimal, expected: Decimal) -> None:
    parsed = parse_interval(value)
    assert parsed == Interval.point(expected)
    assert parsed.low.value == expected and isinstance(parsed.low.value, Decimal)


def test_structure_of_parsed_bounds() -> None:
    assert parse_interval(">= 0.95") == Interval(Bound(D("0.95"), True), Bound(None, False))
    assert parse_interval("< 0.6") == Interval(Bound(None, False), Bound(D("0.6"), False))
    assert parse_interval("(0.8, 0.95]") == Interval(Bound(D("0.8"), False), Bound(D("0.95"), True))


# ------------------------------------------------------------------ parsing: rejections

REJECTED = [
    ("", "empty"),
    ("   ", "empty"),
    ("abc", "unrecognised"),
    (">= 0.9 points", "unrecognised"),
    ("nan", "NaN"),
    (">= NaN", "NaN"),
    ("[nan, 1)", "NaN"),
    ("inf", "infinity"),
    ("∞", "infinity"),
    (">= inf", "finite"),
    ("< -inf", "finite"),
    ("= inf", "finite"),
    ("[1, 0]", "above"),
    ("(0.95, 0.8)", "above"),
    ("2..1", "above"),
    ("(1, 1)", "empty"),
    ("[1, 1)", "empty"),
    ("(1, 1]", "empty"),
    ("1..1", "empty"),
    ("[-inf, 1)", "unbounded end must be open"),
    ("(0, inf]", "unbounded end must be open"),
    ("(inf, 1)", "lower end cannot be +inf"),
    ("(1, -inf)", "lower end cannot be +inf"),
    ("[0.8, 0.95", "malformed"),
    ("[0.8; 0.95)", "malformed"),
    ("±10%", "tolerance"),
    ("+/- 10%", "tolerance"),
    ("!= 1", "not equal"),
    ("≠1", "not equal"),
    ("0.8 <= x < 0.9", "chained"),
    ("80% ≤ x < 90%", "chained"),
    ("80%-90%", "ambiguous range"),
    ("80%～90%", "ambiguous range"),
    ("1,000", "unrecognised"),
    ("95%%", "unrecognised"),
    (">", "unrecognised"),
]


@pytest.mark.parametrize(("text", "fragment"), REJECTED)
def test_rejected_text(text: str, fragment: str) -> None:
    with pytest.raises(IntervalSyntaxError) as info:
        parse_interval(text)
    err = info.value
    assert fragment.lower() in err.message.lower()
    assert err.text == text
    assert err.hint
    assert repr(text) in str(err) and err.hint in str(err)
    assert isinstance(err, ValueError)


@pytest.mark.parametrize(
    "value",
    [float("nan"), float("inf"), float("-inf"), D("NaN"), D("sNaN"), D("Infinity"), D("-Infinity")],
)
def test_rejected_non_finite_numbers(value: float | Decimal) -> None:
    with pytest.raises(IntervalSyntaxError, match="NaN and infinity"):
        parse_interval(value)


@pytest.mark.parametrize("value", [True, False, None, [1, 2], {"min": 1}])
def test_rejected_types(value: object) -> None:
    with pytest.raises(IntervalSyntaxError, match="expected a condition string or a number"):
        parse_interval(value)  # type: ignore[arg-type]


# ------------------------------------------------------------------ Bound / Interval


def test_bound_validation() -> None:
    with pytest.raises(ValueError, match="unbounded end must be open"):
        Bound(None, True)
    for bad in (D("NaN"), D("Infinity"), 1.5, 1, "1"):
        with pytest.raises(ValueError, match="finite Decimal"):
            Bound(bad, True)  # type: ignore[arg-type]


def test_interval_is_frozen_and_hashable() -> None:
    a = iv("[0.8, 0.95)")
    with pytest.raises(AttributeError):
        a.low = Bound(None, False)  # type: ignore[misc]
    assert len({a, iv("[0.80, 0.950)"), iv("80%..95%")}) == 1
    assert repr(a) == "Interval('[0.8, 0.95)')"


def test_membership() -> None:
    band = iv("[80%, 90%)")
    assert D("0.8") in band and D("0.80") in band and D("0.8999999") in band
    assert D("0.9") not in band and D("0.7999") not in band
    assert D(5) in iv("= 5") and D("5.0") in iv("= 5") and D("5.01") not in iv("= 5")
    assert D("-1e30") in iv("< 0") and D("1e30") in iv("> 0")
    everything = iv("(-inf, +inf)")
    assert D(0) in everything
    assert D("NaN") not in everything and D("Infinity") not in everything
    assert D("-Infinity") not in iv("< 0")


def test_is_empty() -> None:
    one = D(1)
    assert Interval(Bound(one, False), Bound(one, False)).is_empty()
    assert Interval(Bound(one, True), Bound(one, False)).is_empty()
    assert Interval(Bound(D(2), True), Bound(one, True)).is_empty()
    assert not Interval.point(one).is_empty()
    assert not iv("(-inf, +inf)").is_empty() and not iv("< -5").is_empty()


def test_str_of_hand_built_empty_interval() -> None:
    assert str(Interval(Bound(D(1), False), Bound(D(1), False))) == "(1, 1)"


def test_point_str() -> None:
    assert str(Interval.point(D("1.50"))) == "= 1.5"
    assert parse_interval("= 1.5") == parse_interval("[1.5, 1.5]") == parse_interval(1.5)


# ------------------------------------------------------------------ check_coverage examples


def test_half_open_neighbours_neither_gap_nor_overlap() -> None:
    cov = check_coverage([iv("[0, 0.8)"), iv("[0.8, 1]")], iv("[0, 1]"))
    assert cov == Coverage(gaps=(), overlaps=())


def test_open_open_neighbours_leave_point_gap() -> None:
    cov = check_coverage([iv("[0, 0.8)"), iv("(0.8, 1]")], iv("[0, 1]"))
    assert cov.gaps == (iv("[0.8, 0.8]"),)
    assert cov.overlaps == ()
    assert str(cov.gaps[0]) == "= 0.8"


def test_closed_closed_neighbours_overlap_at_point() -> None:
    cov = check_coverage([iv("[0, 0.8]"), iv("[0.8, 1]")], iv("[0, 1]"))
    assert cov.gaps == ()
    assert cov.overlaps == ((0, 1, iv("= 0.8")),)


def test_real_band_table_is_clean() -> None:
    rows = [iv("≥90%"), iv("[80%, 90%)"), iv("< 80%")]
    assert check_coverage(rows, iv("(-inf, +inf)")) == Coverage((), ())
    assert check_coverage(rows, iv(">= 0")) == Coverage((), ())


def test_unbounded_domain_gaps() -> None:
    cov = check_coverage([iv("[0, 1]")], iv("(-inf, +inf)"))
    assert cov.gaps == (iv("< 0"), iv("> 1"))
    cov = check_coverage([iv("< 0"), iv("> 0")], iv("(-inf, +inf)"))
    assert cov.gaps == (iv("= 0"),)


def test_no_rows_means_whole_domain_is_a_gap() -> None:
    assert check_coverage([], iv("[0, 1)")) == Coverage(gaps=(iv("[0, 1)"),), overlaps=())
    assert check_coverage([], iv("(-inf, +inf)")).gaps == (iv("(-inf, +inf)"),)


def test_only_the_part_inside_the_domain_counts() -> None:
    rows = [iv("[-5, 0.5]"), iv("[0.5, 10]"), iv("> 20")]
    cov = check_coverage(rows, iv("[0, 1]"))
    assert cov.gaps == ()
    assert cov.overlaps == ((0, 1, iv("= 0.5")),)
    # rows overlapping only outside the domain are not reported
    assert check_coverage([iv("< 0"), iv("< 1")], iv("[1, 2]")).overlaps == ()


def test_point_rows_and_gaps_merge() -> None:
    rows = [iv("[0, 1)"), iv("= 1"), iv("(1, 2]")]
    assert check_coverage(rows, iv("[0, 2]")) == Coverage((), ())
    cov = check_coverage([iv("= 1"), iv("= 3")], iv("[0, 4]"))
    assert cov.gaps == (iv("[0, 1)"), iv("(1, 3)"), iv("(3, 4]"))


def test_overlaps_are_pairwise_and_ordered() -> None:
    rows = [iv("[0, 10]"), iv("[5, 6]"), iv("= 6"), iv("[8, 20]")]
    cov = check_coverage(rows, iv("[0, 10]"))
    assert cov.overlaps == (
        (0, 1, iv("[5, 6]")),
        (0, 2, iv("= 6")),
        (0, 3, iv("[8, 10]")),
        (1, 2, iv("= 6")),
    )


def test_duplicate_rows_and_equal_decimals() -> None:
    rows = [iv("[0.8, 0.9)"), iv("[0.80, 0.900)")]
    cov = check_coverage(rows, iv("[0.8, 0.9)"))
    assert cov.overlaps == ((0, 1, iv("[0.8, 0.9)")),)


def test_empty_rows_and_empty_domain_are_ignored() -> None:
    empty = Interval(Bound(D(1), False), Bound(D(1), False))
    assert check_coverage([empty, iv("[0, 2]")], iv("[0, 2]")) == Coverage((), ())
    assert check_coverage([iv("[0, 1]"), iv("[0, 1]")], empty) == Coverage((), ())


def test_find_matches_and_matcher_examples() -> None:
    rows = [iv(">= 0.9"), iv("[0.8, 0.9)"), iv("< 0.8"), iv("[0.85, 0.95]")]
    matcher = Matcher(rows)
    assert find_matches(rows, D("0.9")) == [0, 3]
    assert matcher.matches(D("0.9")) == (0, 3)
    assert matcher.matches(D("0.8")) == (1,)
    assert matcher.matches(D("0.79")) == (2,)
    assert matcher.matches(D(100)) == (0,)
    assert matcher.matches(D("NaN")) == () == tuple(find_matches(rows, D("NaN")))
    assert Matcher([]).matches(D(1)) == ()
    assert matcher.rows == tuple(rows)


def test_all_rows_overlapping_are_counted_without_listing_every_pair() -> None:
    rows = [iv(">= 0")] * 3000  # 4,498,500 pairs: the old check listed (and the table named) each
    found = find_overlaps(rows, iv(">= 0"))
    assert found.count == 3000 * 2999 // 2
    assert found.first == tuple((0, j, iv(">= 0")) for j in range(1, 6))
    cov = check_coverage(rows, iv(">= 0"), limit=2)
    assert (cov.overlaps, cov.overlap_count) == (found.first[:2], found.count)


def test_the_first_pairs_are_found_however_late_they_come() -> None:
    rows = [iv(f"[{i}, {i + 1})") for i in range(1000)] + [iv("= 999.5"), iv("[0.5, 0.75]")]
    found = find_overlaps(rows, iv("(-inf, +inf)"))
    assert found == Overlaps(2, ((0, 1001, iv("[0.5, 0.75]")), (999, 1000, iv("= 999.5"))))


def test_keys_select_the_pairs_that_clash() -> None:
    rows = [iv(">= 0"), iv(">= 1"), iv(">= 2")]
    keys = ["a", "b", "a"]
    same = find_overlaps(rows, iv(">= 0"), keys=keys, clash="same")
    assert same == Overlaps(1, ((0, 2, iv(">= 2")),))
    different = find_overlaps(rows, iv(">= 0"), keys=keys, clash="different")
    assert different == Overlaps(2, ((0, 1, iv(">= 1")), (1, 2, iv(">= 2"))))
    with pytest.raises(ValueError, match="one key per row"):
        find_overlaps(rows, iv(">= 0"), clash="same")


def test_matcher_stores_nested_rows_in_n_log_n_entries() -> None:
    # Each row contains the next: the old matcher's answer table held n²/2... entries.
    n = 2000
    rows = [Interval(Bound(D(i), True), Bound(D(2 * n - i), True)) for i in range(n)]
    matcher = Matcher(rows)
    stored = sum(map(len, matcher._nodes.values()))  # the structure's size is what is tested
    assert stored <= n * 2 * (4 * n).bit_length()
    assert matcher.matches(D(n)) == tuple(range(n))
    assert matcher.matches(D("0.5")) == (0,)
    assert (matcher.first(D(n)), matcher.first(D(1)), matcher.first(D(-1))) == (0, 0, None)


def test_large_table_smoke() -> None:
    rows = [Interval(Bound(D(i), True), Bound(D(i + 1), False)) for i in range(20000)]
    assert check_coverage(rows, iv("[0, 20000)")) == Coverage((), ())
    assert Matcher(rows).matches(D("12345.5")) == (12345,)


# ------------------------------------------------------------------ Hypothesis properties

# A small grid so that random rows share boundaries often; "1" and "1.0" are equal values
# with different representations, which must behave identically.
GRID = [D("0"), D("0.5"), D("1"), D("1.0"), D("1.5"), D("2")]
DISTINCT = sorted(set(GRID))
PROBES = (
    DISTINCT + [(a + b) / 2 for a, b in pairwise(DISTINCT)] + [D("-1"), D("-100"), D("3"), D("100")]
)


@st.composite
def intervals(draw: st.DrawFn, allow_empty: bool = True) -> Interval:
    lo = draw(st.none() | st.sampled_from(GRID))
    hi = draw(st.none() | st.sampled_from(GRID))
    if not allow_empty and lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    low = Bound(lo, lo is not None and draw(st.booleans()))
    high = Bound(hi, hi is not None and draw(st.booleans()))
    if not allow_empty and lo is not None and lo == hi:
        low, high = Bound(lo, True), Bound(hi, True)
    return Interval(low, high)


@st.composite
def partitions(draw: st.DrawFn) -> tuple[list[Interval], Interval]:
    """Rows that tile a domain exactly, in random order."""
    pts = sorted(set(draw(st.lists(st.sampled_from(GRID), max_size=5))))
    use_low = bool(pts) and draw(st.booleans())
    use_high = len(pts) > int(use_low) and draw(st.booleans())
    low = Bound(pts.pop(0), draw(st.booleans())) if use_low else Bound(None, False)
    high = Bound(pts.pop(), draw(st.booleans())) if use_high else Bound(None, False)
    rows, current = [], low
    for p in pts:
        to_left = draw(st.booleans())
        rows.append(Interval(current, Bound(p, to_left)))
        current = Bound(p, not to_left)
    rows.append(Interval(current, high))
    return draw(st.permutations(rows)), Interval(low, high)


ROWS = st.lists(intervals(), max_size=6)


def touches(a: Interval, b: Interval) -> bool:
    """Whether a (left) and b (right) meet or overlap, i.e. should have been merged."""
    if a.high.value is None or b.low.value is None:
        return True
    return a.high.value > b.low.value or (
        a.high.value == b.low.value and (a.high.closed or b.low.closed)
    )


@settings(max_examples=100, deadline=None)
@given(rows=ROWS, domain=intervals())
def test_coverage_agrees_with_pointwise_matching(rows: list[Interval], domain: Interval) -> None:
    cov = check_coverage(rows, domain, limit=100)
    assert cov.overlap_count == len(cov.overlaps)
    for gap in cov.gaps:
        assert not gap.is_empty()
    for left, right in pairwise(cov.gaps):
        assert not touches(left, right)  # merged and in order
    pairs = [(i, j) for i, j, _ in cov.overlaps]
    assert pairs == sorted(set(pairs))
    assert all(i < j for i, j in pairs)
    assert all(not shared.is_empty() for _, _, shared in cov.overlaps)
    for x in PROBES:
        matched = find_matches(rows, x)
        in_domain = x in domain
        assert any(x in gap for gap in cov.gaps) == (in_domain and not matched)
        reported = {(i, j) for i, j, shared in cov.overlaps if x in shared}
        expected = {(i, j) for i in matched for j in matched if i < j} if in_domain else set()
        assert reported == expected
        assert bool(reported) == (in_domain and len(matched) >= 2)


@settings(max_examples=100, deadline=None)
@given(rows=ROWS)
def test_matcher_equals_find_matches(rows: list[Interval]) -> None:
    matcher = Matcher(rows)
    for x in [*PROBES, D("1.00"), D("NaN"), D("-Infinity")]:
        assert matcher.matches(x) == tuple(find_matches(rows, x))
        assert matcher.first(x) == next(iter(find_matches(rows, x)), None)


# The quadratic check the sweep replaced, kept here (not in the package) as the reference.


def _tighter(a: Bound, b: Bound, low: bool) -> Bound:
    """Of two ends on the same side (lower if ``low``), the one that admits less."""
    if a.value is None or b.value is None:
        return b if a.value is None else a
    if a.value != b.value:
        return a if (a.value > b.value) == low else b
    return b if a.closed else a


def meet(a: Interval, b: Interval) -> Interval:
    return Interval(_tighter(a.low, b.low, True), _tighter(a.high, b.high, False))


def pairwise_overlaps(rows: Sequence[Interval], domain: Interval, keys: Sequence[Hashable],
                      clash: Clash) -> list[tuple[int, int, Interval]]:
    """Every pair of rows, intersected with each other and the domain: O(n²)."""
    found = []
    for i, j in combinations(range(len(rows)), 2):
        shared = meet(meet(rows[i], rows[j]), domain)
        same = keys[i] == keys[j]
        if not shared.is_empty() and (clash == "all" or same == (clash == "same")):
            found.append((i, j, shared))
    return found


def pairwise_has_gap(rows: Sequence[Interval], domain: Interval) -> bool:
    """Whether some value of the domain is in no row, probing every elementary piece."""
    points = sorted({b.value for r in (domain, *rows) for b in (r.low, r.high) if b.value is not None})
    probes = [D(0)] if not points else [
        points[0] - 1, *points, *((a + b) / 2 for a, b in pairwise(points)), points[-1] + 1]
    return any(x in domain and not any(x in r for r in rows) for x in probes)


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(intervals(), max_size=8), domain=intervals(), limit=st.integers(0, 6),
       keys=st.lists(st.integers(0, 2), min_size=8, max_size=8),
       clash=st.sampled_from(["all", "same", "different"]))
def test_the_sweep_agrees_with_the_pairwise_reference(
    rows: list[Interval], domain: Interval, limit: int, keys: list[int], clash: Clash
) -> None:
    expected = pairwise_overlaps(rows, domain, keys, clash)
    found = find_overlaps(rows, domain, limit=limit, keys=keys[: len(rows)], clash=clash)
    assert found == Overlaps(len(expected), tuple(expected[:limit]))
    assert bool(find_gaps(rows, domain)) == pairwise_has_gap(rows, domain)


@settings(max_examples=100, deadline=None)
@given(rows=ROWS, domain=intervals())
def test_clean_coverage_means_exactly_one_match(rows: list[Interval], domain: Interval) -> None:
    cov = check_coverage(rows, domain)
    if cov.gaps or cov.overlaps:
        return
    for x in PROBES:
        if x in domain:
            assert len(find_matches(rows, x)) == 1


@settings(max_examples=100, deadline=None)
@given(partitions())
def test_partitions_are_clean(case: tuple[list[Interval], Interval]) -> None:
    rows, domain = case
    assert check_coverage(rows, domain) == Coverage((), ())
    matcher = Matcher(rows)
    for x in PROBES:
        assert len(matcher.matches(x)) == (1 if x in domain else 0)


@settings(max_examples=100, deadline=None)
@given(partitions(), st.data())
def test_removing_or_duplicating_a_row_is_reported_exactly(
    case: tuple[list[Interval], Interval], data: st.DataObject
) -> None:
    rows, domain = case
    k = data.draw(st.integers(0, len(rows) - 1))
    assert check_coverage(rows[:k] + rows[k + 1 :], domain) == Coverage((rows[k],), ())
    doubled = [*rows, rows[k]]
    assert check_coverage(doubled, domain) == Coverage((), ((k, len(rows), rows[k]),), 1)


NUMBERS = st.decimals(allow_nan=False, allow_infinity=False)


@st.composite
def any_nonempty(draw: st.DrawFn) -> Interval:
    lo = draw(st.none() | NUMBERS)
    hi = draw(st.none() | NUMBERS)
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    if lo is not None and lo == hi:
        return Interval.point(lo)
    return Interval(
        Bound(lo, lo is not None and draw(st.booleans())),
        Bound(hi, hi is not None and draw(st.booleans())),
    )


@settings(max_examples=100, deadline=None)
@given(any_nonempty())
def test_str_parse_round_trip(interval: Interval) -> None:
    text = str(interval)
    assert parse_interval(text) == interval
    assert str(parse_interval(text)) == text


@settings(max_examples=100, deadline=None)
@given(intervals(allow_empty=False))
def test_grid_round_trip(interval: Interval) -> None:
    assert parse_interval(str(interval)) == interval
