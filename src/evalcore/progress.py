"""The monitoring data of a project file: values to date, stated status, causes and measures.

Mid-year monitoring (绩效运行监控, `evalcore.monitor`) reads what a project file states
about the year so far: a ``[monitoring]`` table (the monitoring date, the funds spent and
received to date, the cause and measure of a budget deviation) and, per indicator, the
value to date (``to_date``, written like ``actual``), its stated status, an expected
completion date, and the cause and correction of a deviation. All of it is optional: a
file without any of it reads as before, and evaluation never looks at it.

The build stage (`evalcore.build`) calls the readers here, so a misspelled key is a
located problem with "did you mean" like every other; what needs the profile (the cause
kinds it allows) is checked by `evalcore.monitoring`.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from .errors import Origin, nearest, quote, suggest
from .reader import Reader, kind

__all__ = ["MONITORING_KEYS", "PROGRESS_KEYS", "STATUSES", "MonitoringData", "Progress",
           "did_you_mean", "read_as_of", "read_monitoring", "read_progress"]

PROGRESS_KEYS = frozenset({"to_date", "status", "expected", "cause", "cause_kind", "measure"})
MONITORING_KEYS = frozenset({"as_of", "executed_to_date", "received_to_date", "cause",
                             "cause_kind", "measure"})

# A row's stated status, by its canonical name, with the spellings accepted for it.
STATUSES: Mapping[str, tuple[str, ...]] = {
    "on-track": ("on-track", "on track", "正常", "按计划", "正常推进", "按计划推进"),
    "delayed": ("delayed", "滞后", "延期", "进度滞后"),
    "stalled": ("stalled", "停滞", "未启动", "暂停"),
}
_STATUS_OF = {spelling: name for name, spellings in STATUSES.items() for spelling in spellings}


@attrs.frozen
class Progress:
    """One indicator's monitoring data: its value to date and what is stated about it.

    ``to_date`` is written like an actual value (text, a number or a date; None: not
    reported). ``status`` is "on-track", "delayed", "stalled" or "" (not stated);
    ``expected`` the date a delayed deadline is now expected. ``cause_kind`` is the class of
    the deviation's cause (偏差原因类别: 政策变化, 管理, 市场, 自然因素, 其他 by default),
    ``cause`` its text (偏差原因) and ``measure`` the correction (纠偏措施).
    """

    to_date: object = None
    status: str = ""
    expected: dt.date | None = None
    cause_kind: str = ""
    cause: str = ""
    measure: str = ""
    origin: Origin = attrs.field(default=Origin(), eq=False, repr=False)


@attrs.frozen
class MonitoringData:
    """A project's ``[monitoring]`` table and the progress of its rows (by indicator id).

    ``executed_to_date`` (截至监控日的执行数) and ``received_to_date`` (资金到位数) are in
    the unit of the project's [budget]. ``cause_kind``, ``cause`` and ``measure`` are those
    of the budget row's deviation.
    """

    as_of: dt.date | None = None
    executed_to_date: Decimal | None = None
    received_to_date: Decimal | None = None
    cause_kind: str = ""
    cause: str = ""
    measure: str = ""
    rows: Mapping[str, Progress] = attrs.field(factory=dict)
    origin: Origin = attrs.field(default=Origin(), eq=False, repr=False)


def did_you_mean(name: str, choices: tuple[str, ...] | list[str], listing: str) -> str:
    """A hint for an unknown name: "did you mean" the close choices (the nearest ones for a
    Chinese word, where two characters in four differ: 自然灾害 → 自然因素), else ``listing``."""
    close = suggest(name, choices)
    if close:
        return close
    near = nearest(name, choices, 2) if any("\u4e00" <= c <= "\u9fff" for c in name) else []
    if near:
        return "did you mean " + " or ".join(repr(c) for c in near) + f"? {listing}"
    return listing


def read_as_of(value: object) -> dt.date:
    """A monitoring date: a TOML date or ISO text ("2022-07-31"). ValueError when it is
    neither."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"must be a date such as 2022-07-31, not {kind(value)}")


def _date(r: Reader, table: Mapping[str, Any], key: str, *path: str | int) -> dt.date | None:
    if key not in table:
        return None
    try:
        return read_as_of(table[key])
    except ValueError as exc:
        r.bad(f"{key} {exc}", *path, key)
        return None


def _status(r: Reader, table: Mapping[str, Any], *path: str | int) -> str:
    text = r.text(table, "status", *path).strip()
    if not text:
        return ""
    name = _STATUS_OF.get(text.lower(), _STATUS_OF.get(text))
    if name is None:
        r.bad(f"unknown status {quote(text)}", *path, "status",
              hint=did_you_mean(text, list(_STATUS_OF), "one of: on-track (正常), delayed (滞后), "
                                                         "stalled (停滞)"))
        return ""
    return name


def read_progress(r: Reader, table: Mapping[str, Any], *path: str | int) -> Progress | None:
    """The monitoring keys of an indicator row or an [actual.<id>] table, or None when it has
    none. The keys are checked by the caller's ``Reader.keys``; their values here."""
    if not PROGRESS_KEYS & set(table):
        return None
    return Progress(
        to_date=r.value(table, "to_date", *path),
        status=_status(r, table, *path),
        expected=_date(r, table, "expected", *path),
        cause_kind=r.text(table, "cause_kind", *path).strip(),
        cause=r.text(table, "cause", *path),
        measure=r.text(table, "measure", *path),
        origin=r.origin(*path),
    )


def read_monitoring(r: Reader, rows: Mapping[str, Progress]) -> MonitoringData | None:
    """The file's ``[monitoring]`` table with the progress of its rows; None when the file
    states nothing for monitoring."""
    if "monitoring" not in r.data and not rows:
        return None
    table = r.table(r.data, "monitoring")
    r.keys(table, MONITORING_KEYS, "monitoring")
    return MonitoringData(
        as_of=_date(r, table, "as_of", "monitoring"),
        executed_to_date=r.number(table, "executed_to_date", "monitoring"),
        received_to_date=r.number(table, "received_to_date", "monitoring"),
        cause_kind=r.text(table, "cause_kind", "monitoring").strip(),
        cause=r.text(table, "cause", "monitoring"),
        measure=r.text(table, "measure", "monitoring"),
        rows=dict(rows),
        origin=r.origin("monitoring"),
    )
