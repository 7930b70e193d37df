"""The portfolio summary of a batch: grades, mean and median total, points lost, findings.

`PortfolioSummary` takes the scored tables of a batch one by one (the output
of `evaluate_table`, without the projects in error) and keeps only counts and
exact sums: a Counter of totals (at most 10,001 distinct totals at two
decimals), one sum per indicator, one count per grade and finding code. So a
summary of a million projects costs no more memory than one of a hundred, and
every figure is a Decimal: the mean is rounded half up at the profile's
decimals, the median is exact (the mean of the two middle totals when their
number is even).

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

import attrs
from tabulate import tabulate

from .evaluation import Plan
from .model import BUDGET_ID
from .numbers import ZERO, context, round_half_up

__all__ = ["MOST_LOST", "PortfolioSummary"]

MOST_LOST = 10  # indicators listed in "lost the most points"


@attrs.define
class PortfolioSummary:
    """Figures of the projects scored so far, and of those in error."""

    plan: Plan
    scored: int = 0
    in_error: int = 0
    grades: Counter[str] = attrs.field(factory=Counter)
    totals: Counter[Decimal] = attrs.field(factory=Counter)
    lost: dict[str, Decimal] = attrs.field(factory=dict)
    losing: Counter[str] = attrs.field(factory=Counter)
    findings: Counter[str] = attrs.field(factory=Counter)
    findings_sought: bool = True  # False: scores only, no finding looked for

    def add(self, table: Any) -> None:
        """Count the projects of a scored table (every row has a total)."""
        import pyarrow as pa  # present: a scored table is a pyarrow table
        import pyarrow.compute as pc

        self.scored += table.num_rows
        for value in pc.value_counts(table.column("total")).to_pylist():
            self.totals[value["values"]] += value["counts"]
        for value in pc.value_counts(table.column("grade")).to_pylist():
            self.grades[value["values"]] += value["counts"]
        for ident, points in self._points().items():
            column = table.column(ident)
            counted = table.num_rows - column.null_count
            total = pc.sum(column).as_py() or ZERO
            with_points = points * counted
            self.lost[ident] = self.lost.get(ident, ZERO) + (with_points - total)
            below = pc.less(column, pa.scalar(points, type=column.type))
            self.losing[ident] += int(pc.sum(below).as_py() or 0)
        if not self.findings_sought:
            return
        codes = pc.struct_field(pc.list_flatten(table.column("findings")), "code")
        for value in pc.value_counts(codes).to_pylist():
            self.findings[value["values"]] += value["counts"]

    def _points(self) -> dict[str, Decimal]:
        """Each scored row's points: the budget row's first, then the indicators that apply."""
        points = {}
        if self.plan.budget is not None:
            points[BUDGET_ID] = self.plan.budget.indicator.points
        for row in self.plan.rows:
            if row.applicable:
                points[row.indicator.id] = row.indicator.points
        return points

    @property
    def projects(self) -> int:
        return self.scored + self.in_error

    def mean(self) -> Decimal | None:
        """The mean total, rounded half up at the profile's decimals; None when none scored."""
        if not self.scored:
            return None
        total = sum((value * count for value, count in self.totals.items()), ZERO)
        return round_half_up(context().divide(total, Decimal(self.scored)),
                             self.plan.profile.decimals)

    def median(self) -> Decimal | None:
        """The median total, exact; None when none scored."""
        if not self.scored:
            return None
        middle = [(self.scored - 1) // 2, self.scored // 2]
        found: list[Decimal] = []
        seen = 0
        for value in sorted(self.totals):
            seen += self.totals[value]
            while len(found) < 2 and middle[len(found)] < seen:
                found.append(value)
        return context().divide(found[0] + found[1], Decimal(2))

    def most_lost(self) -> list[tuple[str, Decimal, int]]:
        """Up to ten rows that lost points, most first (ties in scheme order): the row's id,
        the points lost over the portfolio, and how many projects lost some."""
        order = list(self._points())
        ranked = sorted((ident for ident in order if self.lost.get(ident, ZERO) > 0),
                        key=lambda ident: (-self.lost[ident], order.index(ident)))
        return [(ident, self.lost[ident], self.losing[ident]) for ident in ranked[:MOST_LOST]]

    def names(self) -> dict[str, str]:
        """Each row id's name as the scheme gives it."""
        names = {row.indicator.id: row.indicator.name for row in self.plan.rows}
        if self.plan.budget is not None:
            names[BUDGET_ID] = self.plan.budget.indicator.name
        return names

    def to_dict(self) -> dict[str, Any]:
        """The summary as JSON-ready data; Decimals as exact strings."""
        grade_order = [g.name for g in self.plan.profile.grades]
        names = self.names()
        mean, median = self.mean(), self.median()
        return {
            "projects": self.projects,
            "scored": self.scored,
            "in_error": self.in_error,
            "grades": {g: self.grades[g] for g in grade_order},
            "mean_total": None if mean is None else str(mean),
            "median_total": None if median is None else str(median),
            "most_lost": [{"indicator": ident, "name": names[ident], "points_lost": str(lost),
                           "projects": count} for ident, lost, count in self.most_lost()],
            "findings": dict(sorted(self.findings.items(), key=lambda kv: (-kv[1], kv[0])))
            if self.findings_sought else None,
        }

    def render(self, lang: str = "zh") -> str:
        """The summary as text for the terminal, in ``lang``: ``"zh"`` (the default) or ``"en"``.
        Grades show in the language (优 or excellent); finding codes and row ids are identifiers
        and show as they are."""
        data = self.to_dict()
        mean, median = data["mean_total"] or "-", data["median_total"] or "-"
        if lang == "zh":
            lines = [f"共{data['projects']}个项目：已评分{data['scored']}个，出错{data['in_error']}个",
                     "按等级：" + "，".join(f"{g} {n}" for g, n in data["grades"].items()),
                     f"平均总分 {mean}，总分中位数 {median}"]
            most, most_head = "失分最多的指标：", ["编号", "指标", "失分", "项目数"]
            found, found_head = "问题（按代码）：", ["代码", "次数"]
            unsought = "问题：未查找（只计分）"
        else:
            english = {g.name: g.en for g in self.plan.profile.grades}
            lines = [f"{data['projects']} projects: {data['scored']} scored, "
                     f"{data['in_error']} in error",
                     "by grade: " + ", ".join(f"{english.get(g) or g} {n}"
                                              for g, n in data["grades"].items()),
                     f"mean total {mean}, median total {median}"]
            most, most_head = ("the indicators that lost the most points:",
                               ["id", "indicator", "points lost", "projects"])
            found, found_head = "findings by code:", ["code", "findings"]
            unsought = "findings: not looked for (scores only)"
        if data["most_lost"]:
            # The funds row is named by its budget category's Chinese name; in English, by
            # what it is.
            named = [m["name"] if lang == "zh" or m["indicator"] != BUDGET_ID
                     else "funds row (execution rate)" for m in data["most_lost"]]
            lines += ["", most,
                      tabulate([[m["indicator"], name, m["points_lost"], m["projects"]]
                                for m, name in zip(data["most_lost"], named, strict=True)],
                               most_head, disable_numparse=True)]
        if data["findings"] is None:
            lines += ["", unsought]
        elif data["findings"]:
            lines += ["", found,
                      tabulate(list(data["findings"].items()), found_head, disable_numparse=True)]
        return "\n".join(lines) + "\n"
