"""Dates and periods as targets and actual values write them: 2021-12-31, 2021年12月底,
2021年 and 2021年12月 (their last day), 上半年 and 第三季度, with 完成 and 前 words.

A period is read as its last day, so a target written as a period is a deadline at the end
of the period named (issue #9): "2019年" is 31 December 2019, not 2019 years. A period
without its year (年底前, 第三季度) is kept as month and day, for the project's year.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the public
surfaces); its own path may change in any release.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

__all__ = ["date_of", "deadline", "yearless"]

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?|月\s*(底|末))$")
_YEAR_END = re.compile(r"^(\d{4})\s*年\s*(?:度\s*)?(?:年\s*)?(?:底|末)$")
_YEAR_MONTH = re.compile(r"^((?:19|20|21)\d\d)\s*(?:年\s*(\d{1,2})\s*月|[-/]\s*(\d{1,2}))$")

_DEADLINE_SUFFIX = re.compile(r"\s*(之前|以前|前)$")
_DONE_SUFFIX = re.compile(r"\s*(?:完成|完工|竣工|建成|办结)$")
_YEAR = re.compile(r"^((?:19|20|21)\d\d)\s*年\s*(?:度)?\s*(?:内)?$")
_HALF = re.compile(r"^((?:19|20|21)\d\d)\s*年\s*(?:度\s*)?(上|下)\s*半\s*年\s*(?:底|末|内)?$")
_QUARTER = re.compile(
    r"^((?:19|20|21)\d\d)\s*年\s*(?:度\s*)?第?\s*([1-4一二三四])\s*季\s*度?\s*(?:底|末|内)?$")
_QUARTERS = {"1": 1, "2": 2, "3": 3, "4": 4, "一": 1, "二": 2, "三": 3, "四": 4}


def deadline(text: str) -> tuple[dt.date | None, bool]:
    """A date or a period read as its last day, with a completion word (完成, 竣工 ...) and then
    a 前 word (前, 以前, 之前) after it dropped: "2021年12月底前完成" is 2021-12-31. Also
    whether a 前 word was there (a deadline: on or before). (None, False) when ``text`` is not
    written as a date or period."""
    body = _DONE_SUFFIX.sub("", text) if len(text) > 2 else text
    before = _DEADLINE_SUFFIX.search(body)
    if before and before.start() > 0:
        date = date_of(body[: before.start()].strip())
        if date is not None:
            return date, True
    return date_of(body.strip()), False


_YEARLESS_YEAR = re.compile(r"^(?:本\s*)?年\s*(?:度\s*)?(?:底|末|内)?$")
_YEARLESS_HALF = re.compile(r"^(?:本\s*年\s*(?:度\s*)?)?(上|下)\s*半\s*年\s*(?:底|末|内)?$")
_YEARLESS_QUARTER = re.compile(r"^(第)?\s*([1-4一二三四])\s*季\s*度\s*(底|末|内)?$")
_YEARLESS_MONTH = re.compile(r"^(\d{1,2})\s*月\s*(底|末|份|内)?$")
_YEARLESS_DAY = re.compile(r"^(\d{1,2})\s*月\s*(\d{1,2})\s*日$")


def yearless(text: str) -> tuple[tuple[int, int | None] | None, bool]:
    """A period without its year, as the month and day of its last day (None: the month's
    last day): 年底 / 年内 (12, 31), 上半年 (6, 30), 下半年 (12, 31), 第三季度 (9, None), 12月底
    (12, None), 12月31日 (12, 31); completion and 前 words are dropped as in `deadline`. Also
    whether a 前 word was there. Forms that are also durations (三季度: 3 quarters, 12月: 12
    months) are periods only with 第, 底/末 or a 前 or completion word after them."""
    done = _DONE_SUFFIX.search(text) if len(text) > 2 else None
    body = text[: done.start()] if done else text
    before = _DEADLINE_SUFFIX.search(body)
    if before and before.start() > 0:
        body = body[: before.start()]
    body = body.strip()
    marked = bool(done or (before and before.start() > 0))
    period: tuple[int, int | None] | None = None
    if _YEARLESS_YEAR.match(body):
        period = (12, 31)
    elif m := _YEARLESS_HALF.match(body):
        period = (6, 30) if m.group(1) == "上" else (12, 31)
    elif (m := _YEARLESS_QUARTER.match(body)) and (m.group(1) or m.group(3) or marked):
        period = (3 * _QUARTERS[m.group(2)], None)
    elif (m := _YEARLESS_MONTH.match(body)) and (m.group(2) or marked):
        period = (int(m.group(1)), None)
    elif m := _YEARLESS_DAY.match(body):
        period = (int(m.group(1)), int(m.group(2)))
        if period[0] in range(1, 13) and not 1 <= int(m.group(2)) <= calendar.monthrange(2024, period[0])[1]:
            raise ValueError(f"{text!r} is not a valid date: impossible day {m.group(2)} "
                             f"({period[0]}月 has at most {calendar.monthrange(2024, period[0])[1]} days)")
    if period is not None and not 1 <= period[0] <= 12:
        raise ValueError(f"{text!r} is not a valid date: impossible month {period[0]}")
    return period, bool(before and before.start() > 0)


def date_of(text: str) -> dt.date | None:
    """A date written 2021-12-31, 2021/12/31, 2021年12月31日, 2021年12月底 (the month's last
    day), or a period read as its last day: 2021年底, 2021年 (31 December), 2021年12月 and
    2021-12 (the month's last day), 2021年上半年 (30 June) / 下半年, 2021年第三季度 (30
    September). None when ``text`` is not written as a date; ValueError for an impossible one
    (month 13, 2月30日)."""
    m = _DATE.match(text)
    if m:
        year, month = int(m.group(1)), int(m.group(2))
        _check_month(text, year, month)
        last = calendar.monthrange(year, month)[1]
        if m.group(4):  # 底 / 末: the month's last day
            return dt.date(year, month, last)
        day = int(m.group(3))
        if not 1 <= day <= last:
            raise ValueError(f"{text!r} is not a valid date: impossible day {day} "
                             f"({year}年{month}月 has {last} days)")
        return dt.date(year, month, day)
    m = _YEAR_END.match(text) or _YEAR.match(text)
    if m:
        year = int(m.group(1))
        _check_month(text, year, 12)
        return dt.date(year, 12, 31)
    m = _HALF.match(text)
    if m:
        year = int(m.group(1))
        return dt.date(year, 6, 30) if m.group(2) == "上" else dt.date(year, 12, 31)
    m = _QUARTER.match(text)
    if m:
        year, month = int(m.group(1)), 3 * _QUARTERS[m.group(2)]
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    m = _YEAR_MONTH.match(text)
    if m:
        year, month = int(m.group(1)), int(m.group(2) or m.group(3))
        _check_month(text, year, month)
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    return None


def _check_month(text: str, year: int, month: int) -> None:
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise ValueError(f"{text!r} is not a valid date: impossible year {year}")
    if not 1 <= month <= 12:
        raise ValueError(f"{text!r} is not a valid date: impossible month {month}")
