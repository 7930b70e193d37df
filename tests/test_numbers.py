"""Tests for evalcore.numbers: to_decimal, round_half_up, format_decimal, format_approx."""

from __future__ import annotations

import decimal
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from evalcore.numbers import (
    MAX_DIGITS,
    context,
    format_approx,
    format_decimal,
    quantize,
    round_half_up,
    to_decimal,
)

D = Decimal


def accepted(value: object) -> bool:
    try:
        to_decimal(value)
    except ValueError:
        return False
    return True


# ====================================================================== to_decimal


@pytest.mark.parametrize(("given", "expected"), [
    ("400", "400"),
    ("91.6", "91.6"),
    (" 12 ", "12"),
    ("+5", "5"),
    ("-3.25", "-3.25"),
    (".5", "0.5"),
    ("1e3", "1E+3"),
    ("１２", "12"),  # full-width digits
    (400, "400"),
    (-7, "-7"),
    (0.1, "0.1"),
    (2.675, "2.675"),
    (1e-07, "1E-7"),
    (0.30000000000000004, "0.30000000000000004"),
    (D("2.50"), "2.50"),
])
def test_to_decimal_converts_numbers_and_numeric_text(given, expected):
    result = to_decimal(given)
    assert isinstance(result, Decimal)
    assert str(result) == expected


def test_to_decimal_float_goes_through_repr_not_the_binary_value():
    assert to_decimal(0.1) == D("0.1")
    assert to_decimal(0.1) != D(0.1)
    assert to_decimal(2.675) == D("2.675")  # the binary 2.675 is 2.67499999...


@pytest.mark.parametrize(("given", "expected"), [
    ("1,000", D(1000)), ("1,234,567.89", D("1234567.89")), ("1，000", D(1000)), ("-12,000", D(-12000)),
])
def test_to_decimal_strips_thousands_separators(given, expected):
    assert to_decimal(given) == expected


@pytest.mark.parametrize("given", ["-0", "-0.00", "+0", -0.0, D("-0"), D("-0.000"), "-0E+3"])
def test_to_decimal_normalises_negative_zero(given):
    result = to_decimal(given)
    assert result == 0
    assert not result.is_signed()
    assert not str(result).startswith("-")


@pytest.mark.parametrize(("given", "match"), [
    (True, "boolean true"),
    (False, "boolean false"),
    (float("nan"), "not a finite number"),
    (float("inf"), "not a finite number"),
    (float("-inf"), "not a finite number"),
    ("NaN", "not a finite number"),
    ("sNaN", "not a finite number"),
    ("Infinity", "not a finite number"),
    ("-inf", "not a finite number"),
    (D("NaN"), "not a finite number"),
    (D("-Infinity"), "not a finite number"),
    ("", "not a number"),
    ("   ", "not a number"),
    ("abc", "not a number"),
    ("12abc", "not a number"),
    ("- 5", "not a number"),
    ("1.2.3", "not a number"),
    (None, "expected a number"),
    ([1], "expected a number"),
    ({"a": 1}, "expected a number"),
    ((1,), "expected a number"),
    (b"1", "expected a number"),
    (Fraction(1, 3), "expected a number"),
    (1j, "expected a number"),
])
def test_to_decimal_rejects_non_numbers_with_value_error(given, match):
    with pytest.raises(ValueError, match=match):
        to_decimal(given)


def test_to_decimal_digit_limit_boundaries():
    assert MAX_DIGITS == 24
    assert to_decimal("9" * 24) == D("9" * 24)
    assert to_decimal(10**23) == D(10**23)
    assert to_decimal("1e-24") == D("1E-24")
    assert to_decimal("0." + "1" * 24) == D("0." + "1" * 24)
    for too_long in ["9" * 25, 10**25, "1e25", "1e-25", "1." + "1" * 24, 1e300, 5e-324, "1E+999999"]:
        with pytest.raises(ValueError, match="more than 24 digits"):
            to_decimal(too_long)


def test_to_decimal_verdict_does_not_depend_on_the_spelling_of_a_value():
    spellings = [10**24, "1" + "0" * 24, "1e24", 1e24, D("1E+24")]
    assert len({accepted(s) for s in spellings}) == 1


@given(st.integers(min_value=-(10**24) + 1, max_value=10**24 - 1))
def test_to_decimal_of_an_int_and_its_grouped_text_agree(n):
    assert to_decimal(n) == n
    assert to_decimal(str(n)) == n
    assert to_decimal(f"{n:,}") == n


@given(st.floats(allow_nan=False, allow_infinity=False))
@example(0.1)
@example(-0.0)
@example(1e24)
@example(1e-24)
def test_to_decimal_of_a_float_is_its_repr_or_a_value_error(f):
    try:
        result = to_decimal(f)
    except ValueError:
        assert f != 0
        assert abs(f) >= 1e24 or abs(f) < 1e-24
        return
    assert result == D(repr(f))
    assert not result.is_signed() or result != 0


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_to_decimal_of_a_decimal_keeps_its_value_or_is_a_value_error(d):
    try:
        result = to_decimal(d)
    except ValueError:
        assert len(d.as_tuple().digits) > MAX_DIGITS or abs(d.adjusted()) > MAX_DIGITS
        return
    assert result == d
    assert to_decimal(str(d)) == d


# ====================================================================== round_half_up


@pytest.mark.parametrize(("value", "places", "expected"), [
    ("2.675", 2, "2.68"),  # the float 2.675 would round to 2.67
    ("0.5", 0, "1"),
    ("1.5", 0, "2"),
    ("2.5", 0, "3"),  # Python's round() gives 2
    ("3.5", 0, "4"),
    ("-0.5", 0, "-1"),
    ("-1.5", 0, "-2"),
    ("-2.5", 0, "-3"),
    ("0.005", 2, "0.01"),
    ("0.015", 2, "0.02"),
    ("0.025", 2, "0.03"),
    ("1.005", 2, "1.01"),
    ("1.0049999", 2, "1.00"),
    ("-0.005", 2, "-0.01"),
    ("89.995", 2, "90.00"),
    ("89.5", 0, "90"),
    ("89.4999", 0, "89"),
    ("0.4", 0, "0"),
    ("97", 2, "97.00"),
    ("1E+3", 2, "1000.00"),
    ("0.00005", 4, "0.0001"),
    ("123.4567895", 6, "123.456790"),
    ("0.0000005", 6, "0.000001"),
    ("9.99995", 4, "10.0000"),
    ("0.125", 1, "0.1"),
    ("0.15", 1, "0.2"),
    ("0.25", 1, "0.3"),
    ("0.35", 1, "0.4"),
    ("12345.6789", 3, "12345.679"),
])
def test_round_half_up_known_values(value, places, expected):
    result = round_half_up(D(value), places)
    assert str(result) == expected


@pytest.mark.parametrize("places", range(7))
def test_round_half_up_result_has_exactly_places_decimals(places):
    result = round_half_up(D("3.14159265"), places)
    assert result.as_tuple().exponent == -places


@pytest.mark.parametrize(("value", "places"), [("-0.004", 2), ("-0.4", 0), ("-0.00000049", 6), ("-0", 2)])
def test_round_half_up_to_zero_is_never_negative_zero(value, places):
    result = round_half_up(D(value), places)
    assert result == 0
    assert not result.is_signed()


def test_round_half_up_ignores_the_ambient_decimal_context():
    with decimal.localcontext() as ctx:
        ctx.prec = 3
        ctx.rounding = decimal.ROUND_DOWN
        assert str(round_half_up(D("12345.675"), 2)) == "12345.68"
        assert str(round_half_up(D("2.5"), 0)) == "3"


def test_quantize_and_context():
    assert quantize(0) == D(1)
    assert quantize(2) == D("0.01")
    assert quantize(6) == D("0.000001")
    assert context().rounding == decimal.ROUND_HALF_UP
    assert context().prec >= 2 * MAX_DIGITS - 8


def reference_round_half_up(value: Decimal, places: int) -> Decimal:
    """Independent reference: integer arithmetic on the coefficient, halves away from zero."""
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    coefficient = int("".join(map(str, digits)) or "0")
    shift = exponent + places  # |value| * 10**places == coefficient * 10**shift
    if shift >= 0:
        scaled = coefficient * 10**shift
    else:
        divisor = 10**-shift
        scaled, remainder = divmod(coefficient, divisor)
        if 2 * remainder >= divisor:
            scaled += 1
    if sign and scaled:
        scaled = -scaled
    return Decimal(scaled).scaleb(-places)


decimals = st.builds(
    lambda n, e: Decimal(n).scaleb(e),
    st.integers(min_value=-(10**18), max_value=10**18),
    st.integers(min_value=-12, max_value=4),
)
places = st.integers(min_value=0, max_value=6)


@given(decimals, places)
@example(D("2.675"), 2)
@example(D("-2.5"), 0)
@example(D("0.005"), 2)
@example(D("-0.0049"), 2)
def test_round_half_up_agrees_with_integer_reference(value, p):
    result = round_half_up(value, p)
    assert result == reference_round_half_up(value, p)
    assert result.as_tuple().exponent == -p


@given(decimals, places)
def test_round_half_up_is_within_half_a_unit_in_the_last_place(value, p):
    result = round_half_up(value, p)
    half = D(5).scaleb(-p - 1)
    assert abs(result - value) <= half
    if abs(result - value) == half:  # a tie goes away from zero
        assert abs(result) > abs(value)


@given(decimals, places)
def test_round_half_up_is_idempotent(value, p):
    once = round_half_up(value, p)
    assert round_half_up(once, p) == once
    assert str(round_half_up(once, p)) == str(once)


@given(decimals, places)
def test_round_half_up_is_symmetric_around_zero(value, p):
    assert round_half_up(-value, p) == -round_half_up(value, p)


@given(decimals, decimals, places)
def test_round_half_up_is_monotonic(a, b, p):
    a, b = sorted((a, b))
    assert round_half_up(a, p) <= round_half_up(b, p)


@given(st.integers(min_value=-(10**6), max_value=10**6), places)
def test_round_half_up_of_an_exact_tie_goes_away_from_zero(n, p):
    tie = (D(n) + D("0.5")).scaleb(-p)  # n.5 units in the last place
    expected = D(n + 1 if n >= 0 else n).scaleb(-p)
    assert round_half_up(tie, p) == expected


# ====================================================================== format_decimal


@pytest.mark.parametrize(("value", "expected"), [
    ("1E+3", "1000"),
    ("1E+25", "10000000000000000000000000"),
    ("0E-2", "0"),
    ("0.00", "0"),
    ("-0", "0"),
    ("-0.00", "0"),
    ("0", "0"),
    ("1.50", "1.5"),
    ("1.0", "1"),
    ("100", "100"),
    ("100.00", "100"),
    ("1200", "1200"),
    ("4929913.50", "4929913.5"),
    ("-1.2300", "-1.23"),
    ("1E-7", "0.0000001"),
    ("97.00", "97"),
    ("0.10", "0.1"),
])
def test_format_decimal_has_no_exponent_and_no_trailing_zeros(value, expected):
    assert format_decimal(D(value)) == expected


@given(decimals)
def test_format_decimal_round_trips_and_is_plain(value):
    text = format_decimal(value)
    assert D(text) == value
    assert "e" not in text.lower()
    assert text != "-0"
    if "." in text:
        assert not text.endswith("0")
        assert not text.endswith(".")
    else:
        assert D(text) == value.to_integral_value()


@pytest.mark.parametrize(("value", "expected"), [
    ("1.00E+100", "1E+100"),
    ("-1.2300E-120", "-1.23E-120"),
    ("1" * 60 + "E+100", "1." + "1" * 59 + "E+159"),  # 60 digits: more than the context's 40
])
def test_format_decimal_beyond_plain_sizes_is_scientific_and_still_exact(value, expected):
    text = format_decimal(D(value))
    assert text == expected
    assert D(text) == D(value)


def test_one_formatter_spells_interval_bounds():
    from evalcore_builtin._intervals import Interval

    for value in ["0.80", "1E+3", "-0.00", "1" * 60 + "E+100", "1E+50"]:
        assert str(Interval.point(D(value))) == f"= {format_decimal(D(value))}"


# ====================================================================== format_approx


@pytest.mark.parametrize(("value", "places", "expected"), [
    (D(1) / D(3), 4, "≈0.3333"),
    (D(2) / D(3), 4, "≈0.6667"),
    (D(2) / D(3), 2, "≈0.67"),
    (D("0.5"), 4, "0.5"),
    (D("1.2345"), 4, "1.2345"),
    (D("1.23450"), 4, "1.2345"),
    (D("1.23456"), 4, "≈1.2346"),
    (D("1.99999"), 4, "≈2"),
    (D("97.00"), 2, "97"),
    (D("1E+3"), 4, "1000"),
    (D("0.00001"), 4, "≈0"),
])
def test_format_approx_is_exact_when_short_else_marked(value, places, expected):
    assert format_approx(value, places) == expected


def test_format_approx_defaults_to_four_places():
    assert format_approx(D("0.123456")) == "≈0.1235"


@given(decimals, places)
def test_format_approx_marks_exactly_the_values_it_rounds(value, p):
    text = format_approx(value, p)
    if value == round_half_up(value, p):
        assert text == format_decimal(value)
    else:
        assert text.startswith("≈")
        assert D(text[1:]) == round_half_up(value, p)


@pytest.mark.parametrize("text", ["1,5", "2，5", "12,34,567", "1,0000", ",100"])
def test_a_comma_that_does_not_group_thousands_is_refused(text):
    with pytest.raises(ValueError, match=r"comma may only group thousands|not a number"):
        to_decimal(text)


def test_percentages_of_astronomical_ratios_are_shown_not_raised():
    from evalcore.numbers import format_approx, format_percent

    assert format_percent(D("0.985983")) == "98.6%"
    assert format_percent(D("1e40")) == "≈1.0E+42%"
    assert format_approx(D("1e30")).startswith("≈1.000000E+30")
