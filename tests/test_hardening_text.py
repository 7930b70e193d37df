"""Hardening (issue #7) of reading text into numbers, and of writing numbers back as text.

Chinese numerals in targets and actuals, comparison words that must carry a number, dates
that cannot exist, ranges, conflicting comparisons, formulas that made Python warn, huge
numbers, NaN and friends, and formatting that must not depend on the caller's decimal
context.
"""

from __future__ import annotations

import decimal
import time
import warnings
from decimal import ROUND_DOWN, Context, Decimal
from pathlib import Path

import pytest
from helpers import evaluate_text, project_toml, score_one, single
from hypothesis import given
from hypothesis import strategies as st

import evalcore
from evalcore.errors import EvaluationError, ValidationError
from evalcore.formula import FormulaError, compile_formula
from evalcore.numbers import (
    CHINESE_NUMERAL_CHARS,
    format_approx,
    format_decimal,
    format_percent,
    parse_chinese_numeral,
    round_half_up,
    shift,
    to_decimal,
)
from evalcore.quantities import Comparator, parse_actual, parse_target
from evalcore.units import UnitTable

D = Decimal
GE, LE, EQ = Comparator.GE, Comparator.LE, Comparator.EQ
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def units(registry: evalcore.Registry) -> UnitTable:
    return registry.units


def problems(text: str, registry: evalcore.Registry,
             kind: type[evalcore.EvalcoreError]) -> tuple[evalcore.Problem, ...]:
    with pytest.raises(kind) as info:
        evaluate_text(text, registry)
    return info.value.problems


# ====================================================================== a reference writer


_DIGITS = "零一二三四五六七八九"


def _section(n: int, *, leading_ten: bool) -> str:
    """0 < n < 10000 in words: 零 once for each gap between written places."""
    out: list[str] = []
    started = gap = False
    for power, place in ((3, "千"), (2, "百"), (1, "十"), (0, "")):
        digit = n // 10**power % 10
        if digit == 0:
            gap = gap or started
            continue
        if gap:
            out.append("零")
            gap = False
        out.append("十" if (power, digit, started, leading_ten) == (1, 1, False, True)
                   else _DIGITS[digit] + place)
        started = True
    return "".join(out)


def _below_yi(n: int, *, first: bool) -> str:
    high, low = divmod(n, 10**4)
    text = _section(high, leading_ten=first) + "万" if high else ""
    if low:
        text += "零" if high and low < 1000 else ""
        text += _section(low, leading_ten=first and not high)
    return text


def chinese(n: int) -> str:
    """The usual way to write 0 ≤ n ≤ 10**12 in Chinese: 十二, 一百零八, 一亿零一万, 一万亿.

    Written here independently of evalcore, so a round trip tests the parser."""
    if n == 0:
        return "零"
    high, rest = divmod(n, 10**8)
    text = _below_yi(high, first=True) + "亿" if high else ""
    if rest:
        text += "零" if high and rest < 10**7 else ""
        text += _below_yi(rest, first=not high)
    return text


def variant(text: str, liang: bool, circle: bool, yi_shi: bool) -> str:
    """Other accepted spellings: 两 before a place, 〇 for 零, 一十 for a leading 十."""
    if yi_shi and text.startswith("十"):
        text = "一" + text
    if liang:
        for place in "千百万亿":
            text = text.replace("二" + place, "两" + place)
    return text.replace("零", "〇") if circle else text


# ====================================================================== 1. Chinese numerals


@pytest.mark.parametrize(("text", "value"), [
    ("十", 10), ("十一", 11), ("一十一", 11), ("二十", 20), ("十二", 12), ("一百零一", 101),
    ("一百零八", 108), ("一百一十", 110), ("一百十", 110), ("四百", 400), ("一千零一十", 1010),
    ("一千零十", 1010), ("一千零五十", 1050), ("一千二百", 1200), ("三千零五", 3005),
    ("两千", 2000), ("一万零一", 10001), ("两万", 20000), ("十万", 100000),
    ("一亿零一万", 100010000), ("一亿零一", 100000001), ("一万亿", 10**12), ("〇", 0), ("零", 0),
    ("俩", 2), ("壹拾", 10), ("叁佰零伍", 305), ("二点五", D("2.5")), ("十二点零五", D("12.05")),
    ("零点五", D("0.5")), ("一点二万", 12000), ("一点五亿", 150000000),
])
def test_chinese_numerals_read_exactly(text, value):
    result = parse_chinese_numeral(text)
    assert result == D(value)
    assert "E" not in str(result)  # 一点二万 is 12000, not 1.2E+4


@pytest.mark.parametrize(("text", "fragment"), [
    ("一百八", "ambiguous"), ("两万五", "ambiguous"), ("一千二", "ambiguous"),
    ("一亿一", "ambiguous"), ("二〇二二", "零"), ("零五", "零"), ("一百零", "零 at the end"),
    ("一十零八", "no place is skipped"), ("一百零五十", "no place is skipped"),
    ("一万零一千", "no place is skipped"), ("千万", "needs a digit"), ("百", "needs a digit"),
    ("万", "needs a number"), ("亿", "needs a number"), ("十十", "out of order"),
    ("一百一千", "out of order"), ("一万万", "万 twice"), ("一亿亿", "亿 twice"), ("点五", "点"),
    ("五点", "点"), ("五点十", "点"), ("", "not a Chinese numeral"), ("一般", "not a Chinese"),
])
def test_malformed_or_ambiguous_numerals_are_refused_with_the_reason(text, fragment):
    with pytest.raises(ValueError, match=fragment):
        parse_chinese_numeral(text)


def test_the_ambiguity_message_offers_both_readings():
    with pytest.raises(ValueError) as info:
        parse_chinese_numeral("一百八")
    assert "一百八十" in str(info.value) and "一百零八" in str(info.value)


@given(st.integers(0, 10**12), st.booleans(), st.booleans(), st.booleans())
def test_every_whole_number_round_trips_through_its_chinese_spelling(n, liang, circle, yi_shi):
    assert parse_chinese_numeral(variant(chinese(n), liang, circle, yi_shi)) == n


@given(st.integers(0, 10**8), st.text("0123456789", min_size=1, max_size=6))
def test_decimals_round_trip_through_dian(n, fraction):
    text = chinese(n) + "点" + "".join(_DIGITS[int(c)] for c in fraction)
    assert parse_chinese_numeral(text) == D(f"{n}.{fraction}")


@given(st.text(alphabet=sorted(CHINESE_NUMERAL_CHARS), max_size=24))
def test_any_string_of_numeral_characters_is_a_number_or_a_value_error(text):
    try:
        value = parse_chinese_numeral(text)
    except ValueError:
        return
    assert value.is_finite() and value >= 0
    if value == value.to_integral_value() and value <= 10**12:
        assert parse_chinese_numeral(chinese(int(value))) == value


def test_a_long_run_of_numeral_characters_is_refused_quickly():
    started = time.perf_counter()
    for text in ("一" * 100_000, "十" * 100_000, "一万" * 50_000, "一点" + "五" * 100_000):
        with pytest.raises(ValueError) as info:
            parse_chinese_numeral(text)
        assert len(str(info.value)) < 300
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize("text", ["一" * 100_000, "一百" * 50_000, "一" * 100_000 + "批次",
                                  "≥" + "十" * 100_000, "百分之" + "九" * 100_000, "九" * 65])
def test_a_long_numeral_in_a_target_or_actual_is_refused_quickly(units, text):
    for parse in (parse_target, parse_actual):
        started = time.perf_counter()
        with pytest.raises(ValueError) as info:
            parse(text, units)
        assert time.perf_counter() - started < 1
        assert len(str(info.value)) < 300


# ---------------------------------------------------------------------- in targets and actuals


@pytest.mark.parametrize(("text", "comparator", "value", "unit"), [
    ("不少于四百批次", GE, 400, "批次"),
    ("≥一千二百人次", GE, 1200, "人次"),
    ("两万人次", GE, 20000, "人次"),
    ("三千零五个", GE, 3005, "个"),
    ("十二", GE, 12, ""),
    ("一百零八个", GE, 108, "个"),
    ("〇起", GE, 0, "起"),
    ("控制在五十万元以内", LE, 50, "万元"),  # the author's unit is kept, not 500000元
    ("不超过两千万元", LE, 2000, "万元"),
    ("一千二百万元", GE, 1200, "万元"),  # never 一千二 × 百万元
    ("三千克", GE, 3, "千克"),
    ("三个百分点", GE, 3, "百分点"),
    ("二点五天", GE, D("2.5"), "天"),
    ("一点二万人", GE, 12000, "人"),
    ("百分之九十", GE, 90, "%"),
    ("百分之九十五点五", GE, D("95.5"), "%"),
    ("不低于百分之九十", GE, 90, "%"),
    ("百分之九十以上", GE, 90, "%"),
    ("百分之百", GE, 100, "%"),
    ("百分之95", GE, 95, "%"),
    ("千分之五", GE, D("0.5"), "%"),
    ("九成", GE, 90, "%"),
    ("九成五", GE, 95, "%"),
    ("9成", GE, 90, "%"),
    ("═十成", EQ, 100, "%"),
    ("1.2万人", GE, 12000, "人"),  # a multiplier before a unit
    ("≥3千人次", GE, 3000, "人次"),
    ("1.5千万元", GE, 15000000, "元"),
    ("1.2万", GE, D("1.2"), "万元"),  # 万 alone stays the unit 万元, as before
    ("3亿元", GE, 3, "亿元"),
])
def test_chinese_numerals_and_multipliers_in_targets(units, text, comparator, value, unit):
    target = parse_target(text, units)
    assert (target.comparator, target.quantity) is not None
    assert target.comparator is comparator
    assert target.quantity is not None
    assert (target.quantity.value, target.quantity.unit) == (D(value), unit)
    assert "E" not in str(target.quantity.value)


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("四百四十一批次", 441, "批次"), ("九成五", 95, "%"), ("两万", 20000, ""), ("零", 0, ""),
    ("十二", 12, ""), ("百分之九十八点六", D("98.6"), "%"), ("1.2万人次", 12000, "人次"),
])
def test_chinese_numerals_in_actuals(units, text, value, unit):
    parsed = parse_actual(text, units)
    assert parsed.quantity is not None
    assert (parsed.quantity.value, parsed.quantity.unit) == (D(value), unit)


@given(st.integers(0, 10**12), st.sampled_from(["批次", "人次", "个", "%", "万元", "天"]),
       st.sampled_from([("≥", GE), ("不少于", GE), ("不低于", GE), ("≤", LE), ("控制在", LE)]))
def test_a_chinese_target_reads_as_its_arabic_twin(n, unit, prefix):
    # Built once: the units table does not change, and a fixture would not mix with @given.
    units = _UNITS
    words, comparator = prefix
    arabic = parse_target(f"{words}{n}{unit}", units)
    spelled = parse_target(f"{words}{chinese(n)}{unit}", units)
    assert spelled.comparator is arabic.comparator is comparator
    assert spelled.quantity is not None and arabic.quantity is not None
    assert units.convert(spelled.quantity.value, spelled.quantity.unit,
                         arabic.quantity.unit) == arabic.quantity.value


_UNITS = evalcore.default_registry().units


WORDS = ["一般", "一流", "统一", "一次性完成", "十分满意", "千万注意", "一致", "零事故", "万无一失",
         "两手抓", "一对一帮扶", "三年行动完成", "百姓满意", "十全十美", "一定成效", "百分之百完成",
         "百分之百满意"]


@pytest.mark.parametrize("word", WORDS)
def test_words_that_begin_with_a_numeral_character_stay_words(units, word):
    assert parse_target(word, units).qualitative
    assert parse_actual(word, units).word == word


def test_no_qualitative_word_of_any_profile_becomes_a_number(registry, units):
    words = {word for entry in registry.profiles.values()
             for tier in entry.item.rules.get("qualitative", {}).get("words", {}).values()
             for word in tier}
    assert len(words) > 40
    for word in words:
        assert parse_actual(word, units).word == word, word
        assert parse_target(word, units).qualitative, word


@pytest.mark.parametrize(("text", "fragment"), [
    ("一百八", "ambiguous"), ("两万五", "ambiguous"), ("一百八批次", "ambiguous"),
    ("百分之一百八", "cannot read the number after 百分之"), ("百分之9.5.5", "after 百分之"),
])
def test_a_whole_numeral_that_is_not_well_formed_is_an_error_not_a_word(units, text, fragment):
    for parse in (parse_target, parse_actual):
        with pytest.raises(ValueError, match=fragment):
            parse(text, units)


# ====================================================================== 2. comparison words need a number


@pytest.mark.parametrize(("text", "fragment"), [
    ("不少于四百余批次", "unknown unit '余批次'"),
    ("≥一百八批次", "ambiguous"),
    ("不低于一般水平", "cannot read the number"),
    ("不低于上年的95%", "cannot read the number"),
    ("不少于若干批次", "cannot read the number"),
    ("控制在约500万元以内", "cannot read the number"),
    ("不少于400余人次", "unknown unit"),
])
def test_a_comparison_whose_number_cannot_be_read_is_an_error_naming_the_text(units, text, fragment):
    with pytest.raises(ValueError, match=fragment) as info:
        parse_target(text, units)
    assert repr(text) in str(info.value) or text[3:] in str(info.value)


@pytest.mark.parametrize("text", ["高于去年水平", "不低于上年", "不低于上年度", "控制在预算范围内",
                                  "良好以上", "不超过核定人数", "高于全省平均水平以上"])
def test_comparison_words_with_no_number_at_all_stay_a_qualitative_target(units, text):
    assert parse_target(text, units).qualitative


def test_a_spelled_out_target_scores_as_a_number(registry):
    assert score_one(registry, "不少于四百批次", "441批次").score == 100
    assert score_one(registry, "不少于四百批次", "三百八十批次").score == 95


def test_a_spelled_out_target_is_not_met_by_a_word(registry):
    # Before: the target was qualitative, and 完成 scored full points.
    found = problems(project_toml(single("不少于四百批次", "完成")), registry, EvaluationError)
    assert found[0].origin.path == ("indicator", 0, "actual")


def test_an_unreadable_comparison_target_is_located_at_the_target(registry):
    found = problems(project_toml(single("不少于四百余批次", "441批次")), registry, ValidationError)
    assert [p.origin.path for p in found] == [("indicator", 0, "target")]
    assert "不少于四百余批次" in found[0].message
    assert found[0].hint and "批次" in found[0].hint


def test_a_number_against_a_qualitative_target_blames_the_target(registry):
    found = problems(project_toml(single("按期完成", "441批次")), registry, EvaluationError)
    assert "the target '按期完成' is qualitative" in found[0].message
    assert "cannot tell which tier" not in found[0].message


def test_a_word_against_a_qualitative_target_still_asks_for_a_known_word(registry):
    found = problems(project_toml(single("按期完成", "差不多吧")), registry, EvaluationError)
    assert "cannot tell which tier" in found[0].message


# ====================================================================== 3. dates that cannot exist


@pytest.mark.parametrize(("text", "fragment"), [
    ("2022年13月", "impossible month 13"),
    ("2022年13月31日", "impossible month 13"),
    ("2022-13-01", "impossible month 13"),
    ("2022年0月1日", "impossible month 0"),
    ("2022年13月底", "impossible month 13"),
    ("2022年12月32日", "impossible day 32"),
    ("2022年2月30日", "impossible day 30 (2022年2月 has 28 days)"),
    ("2021-02-29", "impossible day 29"),
    ("2022年4月31日", "impossible day 31"),
    ("2022年12月0日", "impossible day 0"),
    ("0000-01-01", "impossible year 0"),
    ("2022年12月31号", "not a date evalcore reads"),
])
def test_impossible_and_incomplete_dates_say_what_is_wrong(units, text, fragment):
    for parse in (parse_target, parse_actual):
        with pytest.raises(ValueError, match=fragment.replace("(", r"\(").replace(")", r"\)")) as info:
            parse(text, units)
        assert "unknown unit" not in str(info.value)


@pytest.mark.parametrize(("text", "day"), [
    ("2020年2月29日", "2020-02-29"), ("2022年12月底", "2022-12-31"), ("2022年2月末", "2022-02-28"),
    ("2022年底", "2022-12-31"), ("2022年底前", "2022-12-31"), ("2024年2月底前", "2024-02-29"),
])
def test_month_and_year_ends_are_read(units, text, day):
    target = parse_target(text, units)
    assert str(target.date) == day and target.comparator is LE


def test_an_impossible_month_in_a_project_is_located_at_the_target(registry):
    found = problems(project_toml(single("2022年13月", "2022-12-01", category="timeliness")),
                     registry, ValidationError)
    assert [p.origin.path for p in found] == [("indicator", 0, "target")]
    assert "impossible month 13" in found[0].message


# ====================================================================== 4. conflicts and ranges


@pytest.mark.parametrize(("text", "fragment"), [
    ("≥400批次以下", "conflicting comparisons (≥ and 以下)"),
    ("不低于400批次以内", "conflicting comparisons (不低于 and 以内)"),
    ("≤5%以上", "conflicting comparisons (≤ and 以上)"),
    ("大于400以上", "conflicting comparisons (大于 and 以上)"),
])
def test_conflicting_comparisons_are_named(units, text, fragment):
    for parse in (parse_target, parse_actual):
        with pytest.raises(ValueError) as info:
            parse(text, units)
        assert fragment in str(info.value)
        assert "unknown unit" not in str(info.value)


@pytest.mark.parametrize("text", ["400-500批次", "400～500批次", "400~500批次", "400至500批次",
                                  "400到500批次", "400—500批次", "400批次-500批次", "四百至五百批次",
                                  "90%-95%", "≥400-500批次"])
def test_a_range_is_not_a_target_nor_an_actual(units, text):
    with pytest.raises(ValueError, match="a range is not a target; score a range with the bands"):
        parse_target(text, units)
    with pytest.raises(ValueError, match="is a range; an actual value is one number"):
        parse_actual(text, units)


def test_a_range_target_in_a_project_is_located_at_the_target(registry):
    found = problems(project_toml(single("400-500批次", "441批次")), registry, ValidationError)
    assert [p.origin.path for p in found] == [("indicator", 0, "target")]
    assert "bands" in found[0].message


# ====================================================================== 5. formulas that make Python warn


@pytest.mark.parametrize(("text", "column"), [
    ("90if actual > 1 else 0", 2), ("points if actual >= 90else 0", 22), ("1for", 1),
])
def test_a_formula_python_only_warns_about_is_a_located_error_and_prints_nothing(
        text, column, capfd):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(FormulaError) as info:
            compile_formula(text, ["actual", "points"])
    assert caught == []
    assert info.value.column == column
    assert "syntax error" in info.value.message
    assert capfd.readouterr().err == ""


def test_the_formula_rule_reports_it_at_the_row(registry, capfd):
    text = project_toml(single("≥90", "95", rule="formula",
                               params={"expression": "points if actual >= 90else 0"}))
    found = problems(text, registry, ValidationError)
    assert found[0].origin.path[:2] == ("indicator", 0)
    assert "invalid decimal literal" in found[0].message
    assert capfd.readouterr().err == ""


# ====================================================================== 6. the caller's decimal context


HOSTILE = [
    Context(prec=3, rounding=ROUND_DOWN, traps=[decimal.Inexact, decimal.Rounded]),
    Context(prec=1, rounding=decimal.ROUND_CEILING, Emax=5, Emin=-5, traps=[]),
    Context(prec=50, rounding=decimal.ROUND_HALF_EVEN, traps=[decimal.Inexact, decimal.Rounded,
                                                               decimal.Subnormal, decimal.Clamped]),
]

values = st.builds(lambda n, e: D(n).scaleb(e, Context(prec=60)),
                   st.integers(-(10**20), 10**20), st.integers(-12, 6))


def formatted(value: Decimal) -> tuple[str, ...]:
    return (format_decimal(value), format_percent(value), format_percent(value, 0),
            format_approx(value), format_approx(value, 1), str(round_half_up(value, 2)),
            str(shift(value, 4)))


@given(values, st.sampled_from(HOSTILE))
def test_formatting_ignores_the_callers_decimal_context(value, hostile):
    expected = formatted(value)
    with decimal.localcontext(hostile):
        assert formatted(value) == expected


@given(values, st.sampled_from(HOSTILE))
def test_reading_ignores_the_callers_decimal_context(value, hostile):
    text = format_decimal(value)
    expected = _read_all(text)
    with decimal.localcontext(hostile):
        assert _read_all(text) == expected


def _read_all(text: str) -> tuple[object, ...]:
    def attempt(f, *args):  # type: ignore[no-untyped-def]
        try:
            return f(*args)
        except ValueError as exc:
            return str(exc)

    return (attempt(to_decimal, text), str(attempt(parse_target, f"≥{text}万元", _UNITS)),
            str(attempt(parse_actual, f"{text}万人次", _UNITS)),
            str(attempt(parse_actual, f"百分之{text}", _UNITS)))


@pytest.mark.parametrize("hostile", HOSTILE, ids=["prec3-down-traps", "prec1-ceiling", "traps"])
def test_parsing_under_a_trapping_context_does_not_raise(units, hostile):
    with decimal.localcontext(hostile):
        assert to_decimal("1234567.891") == D("1234567.891")
        assert parse_actual("1.23456万人", units).quantity.value == D("12345.6")
        assert parse_actual("百分之九十五点五", units).quantity.value == D("95.5")
        assert parse_chinese_numeral("一点二三四五六万") == D("12345.6")
        assert units.convert(D("412000"), "元", "万元") == D("41.2")
        with pytest.raises(ValueError, match="more than 24 digits"):
            to_decimal("1." + "1" * 30)


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown", "html", "json"])
def test_a_report_is_the_same_under_a_hostile_context(registry, fmt):
    path = EXAMPLES / "ganzhou-2021" / "project.toml"
    expected = evalcore.render(evalcore.evaluate(evalcore.load_project(path, registry=registry),
                                                 registry), fmt, registry)
    assert "98.6%" in str(expected)  # 492.99135 / 500 executed
    evaluation = evalcore.evaluate(evalcore.load_project(path, registry=registry), registry)
    for hostile in HOSTILE:
        with decimal.localcontext(hostile):
            assert evalcore.render(evaluation, fmt, registry) == expected


# ====================================================================== 7. huge numbers


HUGE_TEXTS = ["1" + "0" * 5000, "9" * 100_000, "1e999999999", "1E+99999999999999999999",
              "0." + "0" * 5000 + "1", "1" + "0" * 5000 + "批次", "1," + "000," * 3000 + "000"]


@pytest.mark.parametrize("text", HUGE_TEXTS, ids=lambda t: f"{t[:6]}…{len(t)}")
@pytest.mark.parametrize("prefix", ["", "≥"])
def test_a_huge_number_is_a_short_error_quickly(units, text, prefix):
    for parse in (parse_target, parse_actual):
        started = time.perf_counter()
        with pytest.raises(ValueError) as info:
            parse(prefix + text, units)
        assert time.perf_counter() - started < 1
        message = str(info.value)
        assert len(message) < 300, message
        assert any(f in message for f in ("number too large", "more than 24 digits",
                                          "scientific notation")), message


@pytest.mark.parametrize("given", [10**5000, -(10**5000)], ids=["int", "negative-int"])
def test_a_huge_integer_target_or_actual_is_refused(units, given):
    for parse in (parse_target, parse_actual):
        with pytest.raises(ValueError, match="number too large"):
            parse(given, units)


@pytest.mark.parametrize("given", [10**5000, -(10**5000), "1e99999999999999999999", 1e308,
                                   D("1e999999999"), "-" + "9" * 100_000],
                         ids=["int", "negative-int", "exponent", "float", "decimal", "text"])
def test_to_decimal_refuses_huge_values_with_a_bound(given):
    started = time.perf_counter()
    with pytest.raises(ValueError, match=r"number too large|more than 24 digits") as info:
        to_decimal(given)
    assert time.perf_counter() - started < 1
    assert len(str(info.value)) < 300


def test_numbers_at_the_bound_are_read_exactly(units):
    assert to_decimal("9" * 24) == D("9" * 24)
    assert parse_actual("9" * 24 + "元", units).quantity.value == D("9" * 24)
    with pytest.raises(ValueError, match="number too large"):
        to_decimal("1" + "0" * 24)
    assert parse_actual("100万亿亿元", units).quantity.value == D(10**14)  # 100万亿 × 亿元
    with pytest.raises(ValueError, match="number too large"):
        parse_actual("1" + "0" * 20 + "万亿人", units)  # the multiplier pushes it past the bound


@pytest.mark.parametrize("where", ["target", "actual"])
def test_a_huge_number_in_a_project_is_located(registry, where):
    huge = "1" + "0" * 5000 + "批次"
    row = single(huge if where == "target" else "≥400批次", huge if where == "actual" else "441批次")
    kind = ValidationError if where == "target" else EvaluationError
    found = problems(project_toml(row), registry, kind)
    assert [p.origin.path for p in found] == [("indicator", 0, where)]
    assert len(found[0].message) < 300


def test_a_huge_formula_constant_is_refused(registry):
    with pytest.raises(FormulaError, match="too long or too large"):
        compile_formula("1" + "0" * 400, ["actual"])


# ====================================================================== 8. NaN, infinity and friends


@pytest.mark.parametrize("text", ["NaN", "nan", "-nan", "sNaN", "inf", "-inf", "+inf", "Infinity",
                                  "-Infinity", "∞", "-∞", " NaN ", "ＮａＮ"])
def test_nan_and_infinity_as_text_are_refused_alike_in_targets_and_actuals(units, text):
    for parse in (parse_target, parse_actual):
        with pytest.raises(ValueError, match="is not a number"):
            parse(text, units)


def test_a_nan_actual_is_located_at_the_actual(registry):
    found = problems(project_toml(single("≥400批次", "NaN")), registry, EvaluationError)
    assert [p.origin.path for p in found] == [("indicator", 0, "actual")]
    assert "is not a number" in found[0].message


@pytest.mark.parametrize(("text", "value"), [
    ("-0", 0), ("１２３", 123), ("1,234.5", D("1234.5")), ("１，２３４", 1234), (" 12 ", 12),
    ("\u300012\u3000", 12), ("+5", 5), (".5", D("0.5")),
])
def test_plain_numbers_in_text_read_alike_in_targets_and_actuals(units, text, value):
    target, actual = parse_target(text, units), parse_actual(text, units)
    assert target.quantity is not None and actual.quantity is not None
    assert target.quantity.value == actual.quantity.value == D(value)
    assert str(actual.quantity.value) != "-0"


@pytest.mark.parametrize("text", ["1,2345", "12,34", "1,,000", "1.2.3"])
def test_malformed_numbers_are_refused_alike_in_targets_and_actuals(units, text):
    for parse in (parse_target, parse_actual):
        with pytest.raises(ValueError):
            parse(text, units)


# ====================================================================== the format page tells the truth


FORMAT_PAGE = Path(__file__).resolve().parent.parent / "docs" / "format.md"


def _table_after(heading: str) -> list[list[str]]:
    """The first Markdown table after ``heading`` on the format page, as rows of cells."""
    text = FORMAT_PAGE.read_text(encoding="utf-8")
    lines = text[text.index(heading):].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def _code(cell: str) -> list[str]:
    """The `code` spans of a table cell."""
    return cell.split("`")[1::2]


def test_the_format_page_reads_numbers_in_words_as_it_says(units):
    rows = _table_after("### 3.6 Numbers in words")
    assert len(rows) > 20
    for written, reading, _note in rows:
        assert str(parse_target(_code(written)[0], units)) == _code(reading)[0], written


def test_the_format_page_quotes_the_target_errors_as_they_are(units):
    rows = _table_after("- A comparison whose number cannot be read")
    assert len(rows) > 8
    for written, error in rows:
        fragment = _code(error)[0]
        for target in _code(written):
            with pytest.raises(ValueError) as info:
                parse_target(target, units)
            assert fragment in str(info.value), (target, str(info.value))


# ====================================================================== any text: a reading or a ValueError


_PIECES = st.sampled_from([
    "≥", "≤", "=", ">", "<", "不少于", "不低于", "控制在", "以上", "以下", "以内", "前", "百分之", "千分之",
    "成", "点", "零", "〇", "一", "二", "两", "十", "百", "千", "万", "亿", "九", "0", "1", "9", ".", ",",
    "-", "~", "至", "e", "E", "+", "%", "批次", "万元", "元", "天", "年", "月", "日", "底", "(", ")", " ",
    "完成", "若干", "余", "NaN", "inf", "/", "2022", "13", "31", "１２", "\u3000",
])


@given(st.lists(_PIECES, max_size=8).map("".join), st.sampled_from([None, *HOSTILE]))
def test_any_text_is_read_or_refused_with_a_value_error(text, hostile):
    with decimal.localcontext(hostile or decimal.getcontext()):
        for parse in (parse_target, parse_actual):
            try:
                parsed = parse(text, _UNITS)
            except ValueError as exc:
                assert str(exc) and len(str(exc)) < 400
                continue
            if parsed.quantity is not None:
                assert parsed.quantity.value.is_finite()
                assert parsed.quantity.value.adjusted() < 24  # below 10**24
