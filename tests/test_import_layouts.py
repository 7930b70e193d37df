"""Label finding does not depend on the layout: any order of columns and rows, title rows, blank
columns, label variants, labels broken over lines, blank cells under merged 一级/二级, numbers
as numbers or as text with full-width digits and stray spaces all read back the same project.

The tables here are `Grid`s built in memory (no file), so Hypothesis can try many layouts
quickly; tests/test_import_tables.py reads real .xlsx and .docx files.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from evalcore.tables import FUNDS_LABELS, INDICATOR_LABELS, CellValue, Grid, read_grid
from evalcore.testing import amounts

GROUPS = {"数量指标": "产出指标", "质量指标": "产出指标", "时效指标": "产出指标",
          "社会效益指标": "效益指标", "服务对象满意度指标": "满意度指标"}
NAMES = ["抽检批次", "培训人次", "工程完工时间", "受益人口", "群众满意度", "水质达标率"]
TARGETS = ["≥95%", "≤200万元", "按期完成", "=100%", "≥400批次", "2023年11月30日前"]
FULL = str.maketrans("0123456789.", "０１２３４５６７８９．")


@st.composite
def indicator_rows(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Indicator rows as a table says them, 一级/二级 in runs as a form lays them out."""
    categories = draw(st.lists(st.sampled_from(sorted(GROUPS)), min_size=1, max_size=4))
    rows = []
    for category in sorted(categories, key=lambda c: (list(GROUPS.values()).index(GROUPS[c]), c)):
        row: dict[str, Any] = {"group": GROUPS[category], "category": category,
                               "name": draw(st.sampled_from(NAMES)),
                               "target": draw(st.sampled_from(TARGETS)),
                               "points": draw(amounts(0, 100, 1))}
        if draw(st.booleans()):
            row["actual"] = draw(st.sampled_from(["100%", "441批次", "已完成", "2023-10-26"]))
        if draw(st.booleans()):
            row["published"] = draw(amounts(0, 100, 2))
        if draw(st.booleans()):
            row["reason"] = draw(st.sampled_from(["征地延后。", "原水浊度偏高，已整改。"]))
        rows.append(row)
    return rows


def _label(draw: st.DrawFn, variants: tuple[str, ...]) -> str:
    """A label as practitioners write it: a variant, perhaps with a line break or spaces."""
    text = draw(st.sampled_from(variants))
    cut = draw(st.integers(0, len(text)))
    return text[:cut] + draw(st.sampled_from(["", "\n", " ", "　"])) + text[cut:]


def _number(draw: st.DrawFn, value: Decimal) -> CellValue:
    """A number as a cell holds it: a number, its text, full-width, with spaces around."""
    kind = draw(st.sampled_from(["number", "text", "full", "spaced"]))
    if kind == "number":
        return value
    text = format(value, "f")
    return {"text": text, "full": text.translate(FULL), "spaced": f" {text}\n"}[kind]


@st.composite
def layouts(draw: st.DrawFn) -> tuple[Grid, list[dict[str, Any]], dict[str, Decimal]]:
    """A table of random layout, with the indicator rows and budget it must read back as."""
    rows = draw(indicator_rows())
    budget = {"planned": draw(amounts(1, 10**4, 2)), "executed": draw(amounts(0, 10**4, 4)),
              "points": Decimal(10)}
    left = draw(st.integers(0, 2))  # blank columns before the table
    columns = list(INDICATOR_LABELS)
    order = draw(st.permutations(columns[3:]))  # 一级/二级/三级 first, the rest in any order
    columns = [*columns[:3], *order]
    if draw(st.booleans()):  # a blank column inside the indicator block
        columns.insert(draw(st.integers(1, len(columns))), "")
    grid: list[list[CellValue]] = [[None] * left + [t] for t in
                                   draw(st.lists(st.sampled_from(["附件3", "项目支出绩效自评表",
                                                                  "填报单位：（盖章）"]),
                                                 max_size=3))]
    grid.append([None] * left + ["项目名称", None, "测试项目"])
    funds_first = draw(st.booleans())
    funds = [[None] * left + ["项目资金（万元）", *(_label(draw, FUNDS_LABELS[k]) for k in
                                                 ("initial", "planned", "executed", "points"))],
             [None] * left + ["年度资金总额", None, _number(draw, budget["planned"]),
                              _number(draw, budget["executed"]), _number(draw, budget["points"])]]
    if funds_first:
        grid += [[], *funds, []]
    header = [None] * left + [_label(draw, INDICATOR_LABELS[c]) if c else None for c in columns]
    grid.append(header)
    previous: dict[str, str] = {}
    for row in rows:
        cells: list[CellValue] = [None] * left
        for column in columns:
            key = {"score": "published"}.get(column, column)
            value = row.get(key)
            if key in ("group", "category") and previous.get(key) == value \
                    and draw(st.booleans()):
                value = None  # merged with the cell above
            if isinstance(value, Decimal):
                value = _number(draw, value)
            cells.append(value)
        previous = {"group": row["group"], "category": row["category"]}
        grid.append(cells)
    grid.append([None] * left + ["总分"])
    if not funds_first:
        grid += [[], *funds]
    grid += [[None] * left + ["填报人：", None, "填报日期："]]
    table = Grid("t.xlsx", tuple(tuple(r) for r in grid), lambda r, c: f"cell {r},{c}", "sheet")
    return table, rows, budget


@settings(max_examples=150)
@given(layouts())
def test_any_layout_reads_back_the_same_rows_and_funds(layout: tuple[Grid, list[dict[str, Any]],
                                                                     dict[str, Decimal]]):
    grid, rows, budget = layout
    data = read_grid(grid).data
    assert data["indicator"] == rows
    assert {k: data["budget"][k] for k in budget} == budget
    assert data["project"]["name"] == "测试项目"
