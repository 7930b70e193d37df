"""Builders for target-review tests: a table that passes review cleanly, changed row by row."""

from __future__ import annotations

import copy

from helpers import toml_value

import evalcore
from evalcore.build import build_project
from evalcore.loading import load_text

CLEAN_ROWS: list[dict[str, object]] = [
    {"id": "n1", "category": "quantity", "name": "培训人数", "target": "≥100人", "points": 20},
    {"id": "q1", "category": "quality", "name": "培训合格率", "target": "≥95%", "points": 10},
    {"id": "t1", "category": "timeliness", "name": "完成时间", "target": "2022年10月底前",
     "points": 10},
    {"id": "c1", "category": "cost", "name": "人均培训成本", "target": "≤500元/人", "points": 10},
    {"id": "s1", "category": "social", "name": "就业率", "target": "≥60%", "points": 30},
    {"id": "sat", "category": "satisfaction", "name": "学员满意度", "target": "≥90%",
     "points": 10},
]
"""A 100-point table (budget 10, outputs 50, benefits 30, satisfaction 10) that passes."""


def rows(**changes: dict[str, object] | None) -> list[dict[str, object]]:
    """`CLEAN_ROWS` with the rows named changed (``n1={"target": "≥100"}``) or left out
    (``c1=None``)."""
    out = []
    for row in copy.deepcopy(CLEAN_ROWS):
        ident = str(row["id"])
        if ident in changes and changes[ident] is None:
            continue
        row.update(changes.get(ident) or {})
        out.append(row)
    return out


def table(indicators: list[dict[str, object]], *, settings: str = "", year: int | None = 2022,
          budget_points: int | None = 10, actual: bool = False) -> str:
    """A project file with the rows inline (no actual values unless ``actual``); ``settings``
    is TOML text placed under the project (``[settings.review.cost]`` ...)."""
    lines = ["[project]", 'name = "审核测试"']
    if year is not None:
        lines.append(f"year = {year}")
    if budget_points is not None:
        lines += ["", "[budget]", f"points = {budget_points}"]
        if actual:
            lines += ["planned = 100", "executed = 90"]
    lines += ["", settings, ""]
    for row in indicators:
        lines.append("[[indicator]]")
        lines += [f"{k} = {toml_value(v)}" for k, v in row.items()]
        if actual:
            lines.append(f"actual = {toml_value(row['target'])}")
        lines.append("")
    return "\n".join(lines)


def review_text(text: str, registry: evalcore.Registry) -> evalcore.Review:
    project = build_project(load_text(text, "project.toml"), registry)
    return evalcore.review(project, registry)


def codes(review: evalcore.Review, check: str | None = None) -> list[tuple[str, str | None]]:
    """(code, row) of the findings, of one check when named."""
    return [(f.code, f.indicator) for f in review.findings if check is None or f.check == check]
