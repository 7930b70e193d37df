"""Tests for evalcore.quantities: parse_target, parse_actual, UnitTable, Comparator."""

from __future__ import annotations

import datetime as dt
import operator
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evalcore.quantities import (
    NOT_APPLICABLE,
    Comparator,
    Quantity,
    Target,
    Value,
    parse_actual,
    parse_target,
)
from evalcore.units import Unit, UnitTable

D = Decimal
GE, GT, LE, LT, EQ = Comparator.GE, Comparator.GT, Comparator.LE, Comparator.LT, Comparator.EQ

# Every way a table writes each comparator in front of the number (full-width forms included:
# NFKC folds ＞＝ to >=), and the words written after the number and unit.
PREFIXES: dict[Comparator, list[str]] = {
    GE: ["≥", "≧", "⩾", ">=", "=>", "＞＝", "＞=", ">＝", "大于等于", "大于或等于", "不低于", "不少于",
         "不小于"],
    LE: ["≤", "≦", "⩽", "<=", "=<", "＜＝", "＜=", "小于等于", "小于或等于", "不高于", "不超过", "不大于",
         "不多于", "控制在"],
    EQ: ["=", "==", "＝", "═", "等于"],
    GT: [">", "＞", "大于", "高于"],
    LT: ["<", "＜", "小于", "低于"],
}
SUFFIXES: dict[Comparator, list[str]] = {
    GE: ["以上", "及以上"],
    LE: ["以下", "及以下", "以内"],
}
ALL_PREFIXES = [(c, p) for c, ps in PREFIXES.items() for p in ps]
ALL_SUFFIXES = [(c, s) for c, ss in SUFFIXES.items() for s in ss]


@pytest.fixture(scope="module")
def units(registry) -> UnitTable:
    return registry.units


def explained(error: BaseException) -> str:
    """An error's message with its hint, wherever the hint is kept (the message or ``.hint``)."""
    hint = getattr(error, "hint", None)
    return f"{error} ({hint})" if hint else str(error)


def quantity(target: Target | Value) -> tuple[Decimal, str]:
    assert target.quantity is not None, target
    return target.quantity.value, target.quantity.unit


# ====================================================================== parse_target: symbols


@pytest.mark.parametrize(("text", "comparator", "value", "unit"), [
    ("≥400批次", GE, D(400), "批次"),
    ("≤ 500万元", LE, D(500), "万元"),
    ("=100%", EQ, D(100), "%"),
    (">0", GT, D(0), ""),
    ("≧100%", GE, D(100), "%"),
    ("═100%", EQ, D(100), "%"),
    ("＞＝90％", GE, D(90), "%"),
    ("＞5个", GT, D(5), "个"),
    ("＜5个", LT, D(5), "个"),
    ("＝5个", EQ, D(5), "个"),
    (">=5", GE, D(5), ""),
    ("=>5", GE, D(5), ""),
    ("<=5", LE, D(5), ""),
    ("=<5", LE, D(5), ""),
    ("==5", EQ, D(5), ""),
    ("≦3天", LE, D(3), "天"),
    ("不低于90%", GE, D(90), "%"),
    ("不少于2000人次", GE, D(2000), "人次"),
    ("不超过500万元", LE, D(500), "万元"),
    ("大于或等于5个", GE, D(5), "个"),
    ("小于或等于5个", LE, D(5), "个"),
    ("控制在500万元", LE, D(500), "万元"),
    ("高于80%", GT, D(80), "%"),
    ("低于3%", LT, D(3), "%"),
    ("等于0次", EQ, D(0), "次"),
    ("400批次以上", GE, D(400), "批次"),
    ("90%及以上", GE, D(90), "%"),
    ("90％以上", GE, D(90), "%"),
    ("5天以内", LE, D(5), "天"),
    ("5%以下", LE, D(5), "%"),
    ("3个及以下", LE, D(3), "个"),
])
def test_parse_target_reads_every_symbol_form(units, text, comparator, value, unit):
    target = parse_target(text, units)
    assert target.comparator is comparator
    assert quantity(target) == (value, unit)
    assert target.explicit is True
    assert target.qualitative is False
    assert target.text == text  # the original text is kept for display


@pytest.mark.parametrize("text", [
    "≥400批次", "≥ 400批次", "≥400 批次", "≥ 400 批次", "  ≥\t400  批次  ", "≥400(批次)", "≥400（批次）",
    "≥ 400 ( 批次 )", "＞＝４００批次", "不少于 400 批次", "400 批次 以上",
])
def test_parse_target_allows_spaces_and_parenthesised_units(units, text):
    target = parse_target(text, units)
    assert (target.comparator, *quantity(target)) == (GE, D(400), "批次")


@pytest.mark.parametrize(("text", "value"), [
    ("≥1,000元", D(1000)),
    ("≥1,234,567.5元", D("1234567.5")),
    ("≥１，０００元", D(1000)),  # full-width digits and comma
    ("1,000元", D(1000)),
])
def test_parse_target_strips_thousands_separators(units, text, value):
    assert quantity(parse_target(text, units)) == (value, "元")


@pytest.mark.parametrize(("text", "value"), [
    ("≥-5%", D(-5)), ("≥+5%", D(5)), ("≥.5%", D("0.5")), ("≥0.05%", D("0.05")), ("≤-0.5", D("-0.5")),
])
def test_parse_target_reads_signs_and_decimal_points(units, text, value):
    assert quantity(parse_target(text, units))[0] == value


def test_parse_target_str_shows_the_normalised_symbol_and_number(units):
    assert str(parse_target("＞＝90％", units)) == "≥90%"
    assert str(parse_target("不超过1,000万元", units)) == "≤1000万元"
    assert str(parse_target("═100.0%", units)) == "=100%"
    assert str(parse_target("2021年12月31日", units)) == "≤2021-12-31"
    assert str(parse_target("按期完成", units)) == "按期完成"


# ====================================================================== parse_target: defaults


@pytest.mark.parametrize("default", list(Comparator))
@pytest.mark.parametrize(("given", "value", "unit"), [
    ("400批次", D(400), "批次"), ("400", D(400), ""), (400, D(400), ""), (400.5, D("400.5"), ""),
    (D("1.10"), D("1.1"), ""), ("0.1", D("0.1"), ""), (0.1, D("0.1"), ""),
])
def test_bare_number_takes_the_default_comparator_and_is_not_explicit(units, default, given, value, unit):
    target = parse_target(given, units, default=default)
    assert target.comparator is default
    assert target.explicit is False
    assert quantity(target) == (value, unit)


def test_bare_number_defaults_to_ge(units):
    assert parse_target("400批次", units).comparator is GE
    assert parse_target(400, units).comparator is GE


def test_explicit_symbol_overrides_the_default(units):
    target = parse_target("≥500万元", units, default=LE)
    assert target.comparator is GE
    assert target.explicit is True


def test_float_target_goes_through_repr_not_binary_expansion(units):
    target = parse_target(0.1, units)
    assert quantity(target)[0] == D("0.1")
    assert quantity(target)[0] != D(0.1)


# ====================================================================== parse_target: dates


@pytest.mark.parametrize("text", [
    "2021-12-31", "2021年12月31日", "2021年12月31", "2021/12/31", "2021.12.31", "2021 - 12 - 31",
    "２０２１－１２－３１",
])
def test_bare_date_is_a_deadline(units, text):
    target = parse_target(text, units)
    assert target.date == dt.date(2021, 12, 31)
    assert target.comparator is LE
    assert target.explicit is False
    assert target.quantity is None
    assert target.qualitative is False


def test_bare_date_is_a_deadline_even_for_a_ge_default(units):
    assert parse_target("2021-12-31", units, default=GE).comparator is LE


def test_date_with_one_digit_month_and_day(units):
    assert parse_target("2021年6月1日", units).date == dt.date(2021, 6, 1)
    assert parse_target("2021-6-1", units).date == dt.date(2021, 6, 1)


@pytest.mark.parametrize(("text", "comparator"), [
    ("≤2021-12-31", LE), ("≥2021年6月30日", GE), ("=2021/12/31", EQ), ("<2021-12-31", LT),
])
def test_date_with_symbol_keeps_the_symbol(units, text, comparator):
    target = parse_target(text, units)
    assert target.comparator is comparator
    assert target.explicit is True
    assert target.date is not None


def test_toml_date_object_is_a_deadline(units):
    target = parse_target(dt.date(2021, 12, 31), units)
    assert target.date == dt.date(2021, 12, 31)
    assert target.comparator is LE
    assert target.explicit is False
    assert target.text == "2021-12-31"


def test_toml_datetime_target_becomes_a_date(units):
    target = parse_target(dt.datetime(2021, 12, 31, 0, 0), units)
    assert type(target.date) is dt.date
    assert target.date == dt.date(2021, 12, 31)


@pytest.mark.parametrize("text", ["2021-02-30", "2021年13月1日", "2021/04/31", "≤2021-02-29", "2021-00-10"])
def test_invalid_date_is_a_value_error(units, text):
    with pytest.raises(ValueError, match="not a valid date"):
        parse_target(text, units)


def test_leap_day_is_a_valid_date(units):
    assert parse_target("2020-02-29", units).date == dt.date(2020, 2, 29)


# ====================================================================== parse_target: qualitative and errors


@pytest.mark.parametrize("text", ["按期完成", "有效", "显著提升", "评审程序规范，结果公示", "达到预期"])
def test_text_without_a_number_is_qualitative_and_keeps_its_text(units, text):
    target = parse_target(text, units)
    assert target.qualitative is True
    assert target.text == text
    assert target.comparator is None
    assert target.quantity is None and target.date is None
    assert str(target) == text


@pytest.mark.parametrize("text", ["≥优良", ">=满意", "≤", "═"])
def test_symbol_without_a_number_is_a_value_error(units, text):
    with pytest.raises(ValueError, match="no number"):
        parse_target(text, units)


@pytest.mark.parametrize("text", ["高于去年水平", "控制在预算范围内", "良好以上", "不低于上年"])
def test_comparison_words_without_a_number_are_a_qualitative_target(units, text):
    target = parse_target(text, units)
    assert target.qualitative and target.text == text


@pytest.mark.parametrize(("text", "bad", "hint"), [
    ("≥400人 次", "人 次", "人次"),
    ("≤500万圆", "万圆", "万"),
    ("≥400批欠", "批欠", "批"),
    ("≥5平放米", "平放米", "平方米"),
])
def test_unknown_unit_is_a_value_error_with_a_hint(units, text, bad, hint):
    with pytest.raises(ValueError) as info:
        parse_target(text, units)
    message = explained(info.value)
    assert f"unknown unit {bad!r}" in str(info.value)
    assert "did you mean" in message
    assert repr(hint) in message


def test_unknown_unit_far_from_any_is_a_value_error_without_a_hint(units):
    with pytest.raises(ValueError, match="unknown unit") as info:
        parse_target("≥5zzqx", units)
    assert "did you mean" not in explained(info.value)


@pytest.mark.parametrize("given", [
    float("nan"), float("inf"), float("-inf"), D("NaN"), D("Infinity"), D("sNaN"),
    "1" + "0" * 30, "≥" + "9" * 25 + "元", 10**30, 1e300,
])
def test_non_finite_and_huge_numbers_are_rejected(units, given):
    with pytest.raises(ValueError):
        parse_target(given, units)


@pytest.mark.parametrize("given", [True, False, None, [400], {"value": 400}, dt.time(12, 0), b"400"])
def test_booleans_and_non_scalars_are_rejected(units, given):
    with pytest.raises(ValueError, match="not"):
        parse_target(given, units)


@pytest.mark.parametrize("text", ["", "   ", "\t\n", "\u3000"])
def test_empty_target_is_rejected(units, text):
    with pytest.raises(ValueError, match="empty"):
        parse_target(text, units)


@pytest.mark.parametrize("text", ["≥1e3", "5.", "≥1.2.3元"])
def test_malformed_numbers_are_value_errors(units, text):
    with pytest.raises(ValueError):
        parse_target(text, units)


@pytest.mark.parametrize("text", ["控制在500万元以内", "控制在5%以内"])
def test_prefix_and_suffix_words_together(units, text):
    target = parse_target(text, units)
    assert target.comparator is LE


def test_symbol_with_a_number_is_never_silently_qualitative(units):
    try:
        target = parse_target("> = 90%", units)
    except ValueError:
        return  # rejecting it is acceptable too
    assert not target.qualitative
    assert target.comparator is GE
    assert quantity(target) == (D(90), "%")


def test_not_applicable_markers_are_listed():
    assert {"/", "／", "—", "-", "不适用"} <= NOT_APPLICABLE
    assert "无" not in NOT_APPLICABLE  # "none found": a count of 0, not "does not apply"


# ====================================================================== units


@pytest.mark.parametrize("alias", ["%", "％", "百分比", "percent", " % "])
def test_percent_aliases_normalise_to_percent_sign(units, alias):
    assert units.resolve(alias).name == "%"
    assert quantity(parse_target(f"≥90{alias}", units)) == (D(90), "%")


@pytest.mark.parametrize(("unit", "other"), [("百分点", "%"), ("工作日", "天")])
def test_percentage_points_and_working_days_never_convert(units, unit, other):
    with pytest.raises(ValueError, match="cannot be compared"):
        units.factor(unit, other)


@pytest.mark.parametrize(("alias", "name"), [
    ("万", "万元"), ("亿", "亿元"), ("人民币元", "元"), ("批", "批次"), ("个月", "月"), ("公斤", "千克"),
    ("㎡", "平方米"), ("ｋｍ", "公里"), ("场次", "场"),
])
def test_aliases_resolve_to_the_canonical_unit(units, alias, name):
    assert units.resolve(alias).name == name
    assert quantity(parse_target(f"≥3{alias}", units))[1] == name


@pytest.mark.parametrize(("a", "b", "factor"), [
    ("万元", "元", D(10000)),
    ("元", "万元", D("0.0001")),
    ("亿元", "万元", D(10000)),
    ("亿元", "元", D(100000000)),
    ("千元", "万元", D("0.1")),
    ("万", "元", D(10000)),
    ("公里", "米", D(1000)),
    ("吨", "千克", D(1000)),
    ("斤", "千克", D("0.5")),
    ("年", "月", D(12)),
    ("季度", "月", D(3)),
    ("周", "天", D(7)),
    ("百分比", "%", D(1)),
    ("％", "%", D(1)),
    ("个", "个", D(1)),
    ("批", "批次", D(1)),
])
def test_factor_converts_units_of_one_dimension(units, a, b, factor):
    assert units.factor(a, b) == factor


def test_factor_is_exact(units):
    assert units.factor("天", "周") * 7 == 1
    assert units.factor("个月", "年") * 12 == 1
    assert units.factor("个月", "季度") * units.factor("季度", "个月") == 1


@pytest.mark.parametrize(("amount", "a", "b", "expected"), [
    (D("492.99135"), "万元", "元", D("4929913.5")),
    (D("4929913.5"), "元", "万元", D("492.99135")),
    (D(500), "万元", "亿元", D("0.05")),
    (D("1.5"), "公里", "米", D(1500)),
    (D(3), "斤", "千克", D("1.5")),
    (D(7), "天", "天", D(7)),
    (D(90), "百分比", "%", D(90)),
])
def test_convert_an_amount_between_units(units, amount, a, b, expected):
    assert units.convert(amount, a, b) == expected


@pytest.mark.parametrize(("a", "b"), [("个", "批次"), ("人次", "人"), ("项", "次"), ("批次", "个")])
def test_different_count_units_never_convert_and_the_error_names_both(units, a, b):
    with pytest.raises(ValueError) as info:
        units.factor(a, b)
    message = str(info.value)
    assert repr(a) in message and repr(b) in message
    assert "cannot be compared" in message


@pytest.mark.parametrize(("a", "b"), [
    ("天", "月"), ("月", "天"), ("年", "天"), ("天", "小时"), ("%", "元"), ("万元", "个"), ("平方米", "米"),
    ("元/人", "元"),
])
def test_units_of_different_dimensions_do_not_convert(units, a, b):
    with pytest.raises(ValueError, match="cannot be compared"):
        units.factor(a, b)


def test_factor_with_an_unknown_unit_is_a_value_error_with_hint(units):
    with pytest.raises(ValueError, match="unknown unit '万圆'") as info:
        units.factor("万圆", "元")
    assert "did you mean" in explained(info.value)
    with pytest.raises(ValueError, match="unknown unit"):
        units.factor("元", "zzqx")


def test_unit_table_get_and_resolve(units):
    assert units.get("nonexistent") is None
    assert units.get(" 万元 ").name == "万元"
    with pytest.raises(ValueError, match="unknown unit"):
        units.resolve("nonexistent")


def test_unit_table_of_indexes_names_and_aliases_nfkc_normalised():
    table = UnitTable.of([
        Unit("元", "money"), Unit("万元", "money", D(10000), aliases=("万",)),
        Unit("平方米", "area", aliases=("㎡",)), Unit("个", "count:个"),
    ])
    assert set(table.units) == {"元", "万元", "万", "平方米", "m2", "个"}
    assert table.get("㎡").name == "平方米"
    assert table.factor("万", "元") == D(10000)
    with pytest.raises(ValueError):
        table.factor("个", "元")


# Whole multiples must convert exactly: with a 28-digit 1/7, 14天 was 2.000000000000000000000000001周 and
# failed '≤2周' (and 3个月 failed '≥1季度').
@pytest.mark.parametrize(("amount", "unit", "target", "target_unit", "comparator"), [
    (14, "天", 2, "周", LE), (21, "天", 3, "周", LE), (14, "天", 2, "周", EQ), (35, "天", 5, "周", LE),
    (3, "个月", 1, "季度", GE), (3, "月", 1, "季度", EQ),
])
def test_whole_periods_in_a_smaller_unit_meet_the_target(units, amount, unit, target, target_unit,
                                                         comparator):
    converted = units.convert(D(amount), unit, target_unit)
    assert comparator.holds(converted, D(target))


# ====================================================================== parse_actual


@pytest.mark.parametrize(("given", "value", "unit"), [
    ("441批次", D(441), "批次"),
    ("91.6%", D("91.6"), "%"),
    ("91.6％", D("91.6"), "%"),
    ("492.99135万元", D("492.99135"), "万元"),
    ("1,200 人次", D(1200), "人次"),
    ("12(个)", D(12), "个"),
    ("-3", D(-3), ""),
    (5, D(5), ""),
    (0.1, D("0.1"), ""),
    (2.675, D("2.675"), ""),
    (D("2.50"), D("2.50"), ""),
    ("０.５", D("0.5"), ""),
])
def test_parse_actual_reads_numbers_with_units(units, given, value, unit):
    actual = parse_actual(given, units)
    assert quantity(actual) == (value, unit)
    assert actual.comparator is None
    assert actual.word is None
    assert actual.date is None


def test_parse_actual_float_keeps_its_short_decimal(units):
    assert str(quantity(parse_actual(0.1, units))[0]) == "0.1"
    assert str(quantity(parse_actual(1e-7, units))[0]) == "1E-7"


@pytest.mark.parametrize(("text", "comparator", "value", "unit"), [
    ("≥266米", GE, D(266), "米"),
    ("＞2000人次", GT, D(2000), "人次"),
    ("不少于50项", GE, D(50), "项"),
    ("100%以上", GE, D(100), "%"),
    ("≤3天", LE, D(3), "天"),
])
def test_parse_actual_keeps_a_glued_symbol(units, text, comparator, value, unit):
    actual = parse_actual(text, units)
    assert actual.comparator is comparator
    assert quantity(actual) == (value, unit)
    assert actual.text == text


@pytest.mark.parametrize("text", ["完成", "已完成", "按期完成", "良好", "不超过预算", "达到以上"])
def test_parse_actual_words_are_kept(units, text):
    actual = parse_actual(text, units)
    assert actual.word == text
    assert actual.quantity is None and actual.date is None


@pytest.mark.parametrize(("given", "date"), [
    ("2021-12-20", dt.date(2021, 12, 20)),
    ("2021年12月20日", dt.date(2021, 12, 20)),
    (dt.date(2021, 12, 20), dt.date(2021, 12, 20)),
    (dt.datetime(2021, 12, 20, 15, 30), dt.date(2021, 12, 20)),
])
def test_parse_actual_reads_dates(units, given, date):
    actual = parse_actual(given, units)
    assert actual.date == date
    assert type(actual.date) is dt.date
    assert actual.word is None


@pytest.mark.parametrize("given", ["", "  ", "\u3000", True, False, None, [1], b"1"])
def test_parse_actual_rejects_empty_booleans_and_non_scalars(units, given):
    with pytest.raises(ValueError):
        parse_actual(given, units)


@pytest.mark.parametrize("given", ["441批欠", "2021-02-30", "1,2.5.6元", float("nan"), D("Infinity"),
                                   "9" * 25])
def test_parse_actual_rejects_bad_units_dates_and_numbers(units, given):
    with pytest.raises(ValueError):
        parse_actual(given, units)


# ====================================================================== Comparator


HOLDS = {
    #        below  at     above
    GE: (False, True, True),
    GT: (False, False, True),
    LE: (True, True, False),
    LT: (True, False, False),
    EQ: (False, True, False),
}


@pytest.mark.parametrize("comparator", list(Comparator))
@pytest.mark.parametrize("target", [D(0), D(100), D("-5"), D("0.01")])
def test_comparator_holds_below_at_and_above_the_target(comparator, target):
    below, at, above = HOLDS[comparator]
    epsilon = D("0.001")
    assert comparator.holds(target - epsilon, target) is below
    assert comparator.holds(target, target) is at
    assert comparator.holds(target + D("0.0000"), target) is at  # trailing zeros do not matter
    assert comparator.holds(target + epsilon, target) is above


def test_comparator_direction_and_strictness():
    assert [c.higher_is_better for c in (GE, GT, LE, LT, EQ)] == [True, True, False, False, None]
    assert [c.strict for c in (GE, GT, LE, LT, EQ)] == [False, True, False, True, False]
    assert [c.value for c in (GE, GT, LE, LT, EQ)] == ["≥", ">", "≤", "<", "="]


@given(comparator=st.sampled_from(list(Comparator)),
       actual=st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-10**6, max_value=10**6),
       target=st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-10**6, max_value=10**6))
def test_comparator_holds_agrees_with_python_operators(comparator, actual, target):
    ops = {GE: operator.ge, GT: operator.gt, LE: operator.le, LT: operator.lt, EQ: operator.eq}
    assert comparator.holds(actual, target) is ops[comparator](actual, target)


def test_quantity_str_and_value_word():
    assert str(Quantity(D("4929913.50"), "元")) == "4929913.5元"
    assert str(Quantity(D("1E+3"))) == "1000"
    assert Value("完成").word == "完成"
    assert Value("1", Quantity(D(1))).word is None


# ====================================================================== properties


numbers = st.builds(lambda n, p: D(n).scaleb(-p), st.integers(-(10**12), 10**12), st.integers(-3, 6))
number_formats = st.sampled_from(["f", ",f"])


def expected_unit(units: UnitTable, key: str) -> str:
    if not key:
        return ""
    unit = units.resolve(key)
    return "%" if unit.dimension == "percent" else unit.name


@given(data=st.data(), value=numbers, fmt=number_formats, prefix=st.sampled_from(ALL_PREFIXES),
       spaced=st.booleans(), parens=st.booleans())
def test_formatted_target_with_prefix_round_trips(units, data, value, fmt, prefix, spaced, parens):
    key = data.draw(st.sampled_from(["", *sorted(units.units)]), label="unit")
    comparator, symbol = prefix
    sep = " " if spaced else ""
    unit_text = f"({key})" if parens and key else key
    text = f"{symbol}{sep}{format(value, fmt)}{sep}{unit_text}"
    target = parse_target(text, units)
    assert target.comparator is comparator
    assert target.explicit is True
    assert quantity(target) == (value, expected_unit(units, key))


@given(data=st.data(), value=numbers, fmt=number_formats, suffix=st.sampled_from(ALL_SUFFIXES),
       spaced=st.booleans())
def test_formatted_target_with_suffix_round_trips(units, data, value, fmt, suffix, spaced):
    key = data.draw(st.sampled_from(["", *sorted(units.units)]), label="unit")
    comparator, word = suffix
    sep = " " if spaced else ""
    target = parse_target(f"{format(value, fmt)}{sep}{key}{sep}{word}", units)
    assert target.comparator is comparator
    assert quantity(target) == (value, expected_unit(units, key))


@given(data=st.data(), value=numbers, fmt=number_formats, default=st.sampled_from(list(Comparator)))
def test_formatted_bare_target_takes_the_default(units, data, value, fmt, default):
    key = data.draw(st.sampled_from(["", *sorted(units.units)]), label="unit")
    target = parse_target(f"{format(value, fmt)}{key}", units, default=default)
    assert target.comparator is default
    assert target.explicit is False
    assert quantity(target) == (value, expected_unit(units, key))


@given(data=st.data(), value=numbers, prefix=st.sampled_from(ALL_PREFIXES))
def test_str_of_a_parsed_target_parses_to_the_same_target(units, data, value, prefix):
    key = data.draw(st.sampled_from(["", *sorted(units.units)]), label="unit")
    first = parse_target(f"{prefix[1]}{format(value, 'f')}{key}", units)
    again = parse_target(str(first), units)
    assert (again.comparator, again.quantity) == (first.comparator, first.quantity)


@given(data=st.data(), value=numbers, prefix=st.sampled_from(ALL_PREFIXES))
def test_formatted_actual_round_trips(units, data, value, prefix):
    key = data.draw(st.sampled_from(["", *sorted(units.units)]), label="unit")
    actual = parse_actual(f"{prefix[1]}{format(value, 'f')}{key}", units)
    assert actual.comparator is prefix[0]
    assert quantity(actual) == (value, expected_unit(units, key))


def same_dimension_pairs(units: UnitTable) -> list[tuple[str, str]]:
    keys = sorted(units.units)
    return [(a, b) for a in keys for b in keys
            if a != b and units.units[a].dimension == units.units[b].dimension]


@pytest.fixture(scope="module")
def pairs(units) -> list[tuple[str, str]]:
    return same_dimension_pairs(units)


@given(data=st.data())
def test_factor_round_trip_is_one_within_a_dimension(units, pairs, data):
    a, b = data.draw(st.sampled_from(pairs), label="pair")
    forward, back = units.factor(a, b), units.factor(b, a)
    assert forward > 0 and back > 0
    assert forward * back == 1


def test_factor_round_trip_is_exactly_one_for_every_pair(units, pairs):
    broken = [(a, b) for a, b in pairs
              if units.factor(a, b) * units.factor(b, a) != 1]
    assert broken == []


@pytest.mark.parametrize(("a", "b"), [
    ("元", "亿元"), ("千元", "万元"), ("斤", "吨"), ("米", "公里"), ("平方米", "平方公里"), ("季度", "年"),
])
def test_factor_round_trip_is_exact_for_decimal_ratios(units, a, b):
    assert units.factor(a, b) * units.factor(b, a) == 1


@given(a=st.sampled_from(["元", "千元", "万元", "百万元", "亿元"]),
       b=st.sampled_from(["元", "千元", "万元", "百万元", "亿元"]),
       amount=st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=0, max_value=10**9))
def test_money_conversion_is_exact_and_reversible(units, a, b, amount):
    assert units.convert(units.convert(amount, a, b), b, a) == amount


@given(data=st.data(), times=st.integers(0, 10**9))
def test_whole_multiples_of_a_bigger_unit_convert_exactly(units, pairs, data, times):
    """k × (small units per big unit) in the small unit is exactly k big units (14天 = 2周, 3个月 = 1季度)."""
    whole = [(a, b) for a, b in pairs if Fraction(units.factor(b, a)).denominator == 1]
    small, big = data.draw(st.sampled_from(whole), label="pair")
    per_big = int(units.factor(big, small))
    assert units.convert(D(times * per_big), small, big) == times


TARGETISH = st.lists(
    st.sampled_from([
        *"0123456789.,-+ ()%年月日/：:≥≤=<>＞＜＝═≧≦以上下内",
        *"不低于超过控制在批次万元人个天周eE",
        "\u3000", "NaN", "inf", "Infinity", "２", "％", "2021-12-31", "1,000", "万元", "百分比",
    ]),
    max_size=12,
).map("".join)


@given(text=st.one_of(st.text(max_size=40), TARGETISH))
def test_parse_target_raises_only_value_error(units, text):
    try:
        target = parse_target(text, units)
    except ValueError:
        return
    assert isinstance(target, Target)
    if target.quantity is not None:
        assert target.quantity.value.is_finite()
        assert target.comparator is not None


@given(text=st.one_of(st.text(max_size=40), TARGETISH))
def test_parse_actual_raises_only_value_error(units, text):
    try:
        actual = parse_actual(text, units)
    except ValueError:
        return
    assert isinstance(actual, Value)
    assert actual.text == text
