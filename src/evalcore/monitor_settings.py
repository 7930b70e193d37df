"""The settings of mid-year monitoring: a profile's ``[profile.monitoring]`` table.

Provinces differ in how they count 序时进度 and where they draw the red / amber / green
lines, so each is a setting of the profile (inherited by the profiles that extend it, and
overridden by a scheme's ``[settings.monitoring]``), read and checked here like every other
profile setting: an unknown key is a located problem with "did you mean".

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from .errors import Problem
from .reader import Reader

__all__ = ["CAUSE_KINDS", "CUMULATIVE_KINDS", "ELAPSED", "MONITOR_SETTING_KEYS",
           "MonitorSettings", "read_monitor_settings"]

ELAPSED = ("days", "months")  # how 序时进度 is counted
CAUSE_KINDS = ("政策变化", "管理", "市场", "自然因素", "其他")  # 财预〔2019〕136号's classes
# Unit kinds whose amounts accumulate through the year, so a value to date is projected
# linearly; every other kind (a rate, a unit cost, a duration, a score) is held as it is.
CUMULATIVE_KINDS = ("count", "money", "length", "area", "mass", "volume", "energy", "number")
MONITOR_SETTING_KEYS = frozenset({"elapsed", "budget_amber", "budget_red", "row_green",
                                  "row_amber", "cumulative", "causes", "too_early_months"})


@attrs.frozen
class MonitorSettings:
    """How monitoring reads a project: the 序时进度 convention and the red/amber/green lines.

    ``elapsed``: "days" (序时进度 = days elapsed, the monitoring date included, ÷ days in the
    year) or "months" (whole months elapsed ÷ 12; a month counts once its last day is
    reached). Budget execution to date behind 序时进度 by more than ``budget_amber``
    percentage points is amber, by more than ``budget_red`` red. A row whose projected score
    is at least ``row_green`` of its points is green, at least ``row_amber`` amber, else red.
    ``cumulative`` lists the unit kinds projected linearly; ``causes`` the cause classes a
    deviation's ``cause_kind`` may name. While 序时进度 is below ``too_early_months`` ÷ 12
    (one month: before 31 January by days) a linear projection is too early to show: 10 units
    by 5 January would read as 730 for the year. It is still scored, exactly, and the
    outputs say "too early to project" instead of the figure (0: always shown).
    """

    elapsed: str = "days"
    budget_amber: Decimal = Decimal(10)
    budget_red: Decimal = Decimal(20)
    row_green: Decimal = Decimal(1)
    row_amber: Decimal = Decimal("0.8")
    cumulative: tuple[str, ...] = CUMULATIVE_KINDS
    causes: tuple[str, ...] = CAUSE_KINDS
    too_early_months: Decimal = Decimal(1)

    @property
    def too_early(self) -> Decimal:
        """The share of the year (序时进度) below which a linear projection is not shown."""
        return self.too_early_months / 12


def read_monitor_settings(r: Reader, written: Mapping[str, Any] | None = None) -> MonitorSettings:
    """The ``monitoring`` table of the profile ``r`` reads, checked; the defaults where it is
    silent (and where a value is wrong, with the problem recorded).

    ``written`` is the table the file being read wrote itself (a scheme's ``[settings]``, a
    profile's own table), before what it inherits was merged in; None: all of it. Two
    thresholds that contradict each other are reported at the one the file wrote, saying the
    other is inherited, never at a key the file does not have."""
    table = r.table(r.data, "monitoring")
    r.keys(table, MONITOR_SETTING_KEYS, "monitoring", what="monitoring setting")
    own = written.get("monitoring") if written is not None else table
    wrote = set(own) if isinstance(own, Mapping) else set()
    default = MonitorSettings()
    elapsed = r.text(table, "elapsed", "monitoring") or default.elapsed
    if elapsed not in ELAPSED:
        _bad(r, f"elapsed must be one of {', '.join(ELAPSED)}, not {elapsed!r}", "elapsed")
        elapsed = default.elapsed
    amber = _number(r, table, "budget_amber", default.budget_amber)
    red = _number(r, table, "budget_red", default.budget_red)
    if red < amber:
        _contradict(r, wrote, ("budget_amber", amber, "at most"), ("budget_red", red, "at least"),
                    "red is further behind 序时进度 than amber")
        amber, red = default.budget_amber, default.budget_red
    green_share = _number(r, table, "row_green", default.row_green, share=True)
    amber_share = _number(r, table, "row_amber", default.row_amber, share=True)
    if green_share == 0:
        _bad(r, "row_green must be more than 0: at 0 every row is green, even one projected to "
             "score nothing", "row_green", "e.g. row_green = 1 (every point)")
        green_share, amber_share = default.row_green, default.row_amber
    elif amber_share > green_share:
        _contradict(r, wrote, ("row_green", green_share, "at least"),
                    ("row_amber", amber_share, "at most"), "amber keeps less of a row's points "
                    "than green")
        green_share, amber_share = default.row_green, default.row_amber
    cumulative = r.texts(table, "cumulative", "monitoring") if "cumulative" in table \
        else default.cumulative
    causes = r.texts(table, "causes", "monitoring") if "causes" in table else default.causes
    if "causes" in table and not causes:
        _bad(r, "causes must name at least one cause class", "causes")
        causes = default.causes
    early = _number(r, table, "too_early_months", default.too_early_months)
    if early > 12:
        _bad(r, f"too_early_months is a number of months, from 0 to 12, not {early}",
             "too_early_months", "e.g. too_early_months = 1; 0 always shows the projection")
        early = default.too_early_months
    return MonitorSettings(elapsed, amber, red, green_share, amber_share, tuple(cumulative),
                           tuple(causes), early)


def _contradict(r: Reader, wrote: set[str], low: tuple[str, Decimal, str],
                high: tuple[str, Decimal, str], why: str) -> None:
    """Two thresholds the wrong way round (``low`` above ``high``, each a key, its value and
    the word saying how it must stand to the other): reported at the one of them the file
    wrote (``high`` when it wrote both), the other said to be inherited when it did not."""
    (key, value, must), (other, other_value, _) = high, low
    if key not in wrote and other in wrote:
        (key, value, must), (other, other_value, _) = low, high
    inherited = "" if other in wrote else ", inherited: not set here"
    _bad(r, f"{key} ({value}) must be {must} {other} ({other_value}{inherited}): {why}", key,
         None if not inherited else f"set {other} too, or a {key} that is {must} {other_value}")


def _bad(r: Reader, message: str, key: str, hint: str | None = None) -> None:
    """A problem at the monitoring setting ``key``, on its own line, else on the line of the
    monitoring table (an inline ``monitoring = {...}`` has no line per key)."""
    origin = r.origin("monitoring", key)
    if origin.path not in origin.lines:
        origin = attrs.evolve(origin, line=r.origin("monitoring").line)
    r.report(Problem(message, origin, hint))


def _number(r: Reader, table: Mapping[str, Any], key: str, default: Decimal,
            share: bool = False) -> Decimal:
    value = r.number(table, key, "monitoring")
    if value is None:
        return default
    if share and value > 1:
        _bad(r, f"{key} is a share of the row's points, from 0 to 1, not {value}", key)
        return default
    return value
