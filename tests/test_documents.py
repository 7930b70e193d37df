"""The official form out: the workbook read back with openpyxl, the HTML page parsed.

Both documents of `evalcore_builtin.documents` are checked against the evaluation they
show: every row and its score, 一级/二级 merged over exactly their runs, the 其中 lines,
number formats and print set-up, the charts' numbers, the finding labels, escaping.
"""

from __future__ import annotations

import ast
import io
import sys
from decimal import Decimal
from html.parser import HTMLParser

import attrs
import pytest
from conftest import EXAMPLES, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import evalcore
from evalcore.testing import projects, schemes
from evalcore_builtin._finding_labels import FINDING_LABELS, finding_label
from evalcore_builtin._form import BAR_WIDTH, STANDARD_SOURCES, form_rows, source_lines
from evalcore_builtin._workbook import amount_format, score_format, write_form
from evalcore_builtin.documents import page_context, render_html

openpyxl = pytest.importorskip("openpyxl")

GANZHOU = EXAMPLES / "ganzhou-2021" / "project.toml"
# The labels the 自评表 importer finds its blocks by: the form must keep them verbatim.
STANDARD_LABELS = ["项目名称", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分",
                   "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值",
                   "偏差原因分析及改进措施", "总分"]


@pytest.fixture(scope="module")
def ganzhou() -> evalcore.Evaluation:
    return evalcore.evaluate(evalcore.load_project(GANZHOU))


def two_decimals(registry: evalcore.Registry) -> evalcore.Evaluation:
    """A small project scored to 2 places, with a shortfall, an overachievement, a row that
    does not apply, two sources of funds (one not standard) and a category split in two runs."""
    scheme = evalcore.Scheme("s", (
        evalcore.Indicator("a", "甲", "quantity", Decimal(30), "≥10"),
        evalcore.Indicator("b", "乙", "quality", Decimal(30), "≥90%"),
        evalcore.Indicator("c", "丙", "quantity", Decimal(20), "≥10"),
        evalcore.Indicator("d", "丁", "quantity", Decimal(0), "/"),
    ), budget_points=Decimal(20), settings={"weights": {}})
    budget = evalcore.Budget(Decimal("300"), Decimal("271.5"), "万元", Decimal("280"), sources=(
        evalcore.FundSource("当年财政拨款", Decimal(250), Decimal(250), Decimal("230.5")),
        evalcore.FundSource("社会捐赠", Decimal(50), Decimal(50), Decimal(41))))
    project = evalcore.Project(evalcore.ProjectInfo("<script>alert('x')</script>项目", "部门", "单位",
                                                    year=2022), scheme, budget,
                               {"a": evalcore.Actual("7"), "b": evalcore.Actual("99%"),
                                "c": evalcore.Actual("30")})
    return evalcore.evaluate(project, registry)


def sheet_rows(data: bytes, name: str = "自评表") -> list[tuple[object, ...]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return list(book[name].iter_rows(values_only=True))


def runs(keys: list[object]) -> list[tuple[int, int]]:
    """(first index, length) of each run of equal consecutive keys, computed independently."""
    out: list[tuple[int, int]] = []
    for i, key in enumerate(keys):
        if i and keys[i - 1] == key:
            out[-1] = (out[-1][0], out[-1][1] + 1)
        else:
            out.append((i, 1))
    return out


# -- the workbook ---------------------------------------------------------------------------------

def test_the_workbook_keeps_the_labels_the_importer_reads(ganzhou):
    cells = {c for row in sheet_rows(evalcore.render(ganzhou, "xlsx")) for c in row}
    assert [label for label in STANDARD_LABELS if label not in cells] == []


def test_the_workbook_merges_each_level_1_and_level_2_run(ganzhou):
    book = openpyxl.load_workbook(io.BytesIO(evalcore.render(ganzhou, "xlsx")))
    sheet = book["自评表"]
    header = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "一级指标")
    merged = {str(m) for m in sheet.merged_cells.ranges}
    rows = ganzhou.rows
    for column, keys in (("A", [r.group for r in rows]), ("B", [(r.group, r.category) for r in rows])):
        for first, length in runs(keys):
            top = header + 1 + first
            span = f"{column}{top}:{column}{top + length - 1}"
            assert (span in merged) == (length > 1), span
            name = rows[first].group_zh if column == "A" else rows[first].category_zh
            assert sheet[f"{column}{top}"].value == name
    assert "A1:H1" in merged and "B3:H3" in merged  # the title, 项目名称's value


def test_every_row_s_score_is_a_number_in_the_profile_s_format(registry):
    e = two_decimals(registry)
    book = openpyxl.load_workbook(io.BytesIO(evalcore.render(e, "xlsx", registry)))
    sheet = book["自评表"]
    header = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "一级指标")
    for i, row in enumerate(e.rows):
        name, points, score = (sheet.cell(header + 1 + i, c) for c in (3, 6, 7))
        assert name.value == row.name
        assert Decimal(str(points.value)) == row.points
        if row.status is evalcore.Status.NOT_APPLICABLE:
            assert score.value == "/"
        else:
            assert Decimal(str(score.value)) == row.score and score.number_format == "0.00"
    total = sheet.cell(header + 1 + len(e.rows), 7)
    assert Decimal(str(total.value)) == e.total and total.number_format == "0.00"


def test_the_execution_rate_is_a_ratio_in_a_percent_format(ganzhou):
    sheet = openpyxl.load_workbook(io.BytesIO(evalcore.render(ganzhou, "xlsx")))["自评表"]
    line = next(r for r in sheet.iter_rows() if r[1].value == "年度资金总额")
    rate, score = line[6], line[7]
    assert ganzhou.budget is not None
    assert Decimal(str(rate.value)) == ganzhou.budget.rate and rate.number_format == "0.00%"
    assert rate.data_type == "n" and score.number_format == "0"  # Ganzhou scores to 0 places
    assert line[4].value == 492.99135 and line[4].number_format == "#,##0.00000"


def test_the_funds_block_prints_the_standard_sources_then_the_project_s_own(registry):
    e = two_decimals(registry)
    rows = sheet_rows(evalcore.render(e, "xlsx", registry))
    at = next(i for i, r in enumerate(rows) if r[1] == "年度资金总额")
    labels = [r[1] for r in rows[at + 1:at + 5]]
    assert labels == ["其中：当年财政拨款", "上年结转资金", "其他资金", "社会捐赠"]
    assert rows[at + 1][2:5] == (250, 250, 230.5) and rows[at + 2][2:5] == (None, None, None)
    assert rows[at + 4][2:5] == (50, 50, 41) and rows[at + 1][5:8] == ("—", "—", "—")
    goal = next(i for i, r in enumerate(rows) if r[0] == "年度总体目标")
    assert (rows[goal][1], rows[goal][5]) == ("预期目标", "实际完成情况")


def test_the_sources_are_the_three_standard_lines_even_when_none_is_given(registry):
    e = two_decimals(registry)
    assert e.budget is not None
    bare = attrs.evolve(e.budget, sources=())
    assert [line[0].text for line in source_lines(bare)] == [
        f"其中：{STANDARD_SOURCES[0]}", *STANDARD_SOURCES[1:]]


def test_the_workbook_prints_on_a4_landscape_one_page_wide_with_the_header_repeated(ganzhou):
    book = openpyxl.load_workbook(io.BytesIO(evalcore.render(ganzhou, "xlsx")))
    sheet = book["自评表"]
    setup = sheet.page_setup
    assert (setup.orientation, int(setup.paperSize), setup.fitToWidth, setup.fitToHeight) == \
        ("landscape", 9, 1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    header = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "一级指标")
    assert sheet.print_title_rows == f"${header}:${header}"
    assert sheet.cell(header, 1).font.b and sheet.cell(header + 1, 3).alignment.wrap_text
    assert sheet.cell(header + 1, 3).border.left.style == "thin"
    assert sheet.column_dimensions["H"].width > sheet.column_dimensions["F"].width
    labels = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert {"填表人：", "联系电话：", "填报日期：", "单位负责人："} <= set(labels)
    signed = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "填表人：")
    assert sheet.cell(signed, 2).border.bottom.style == "thin" and sheet.cell(signed, 2).value is None


def test_the_second_sheet_lists_lost_points_and_labelled_findings(registry):
    e = two_decimals(registry)
    rows = sheet_rows(evalcore.render(e, "xlsx", registry), "说明")
    assert rows[0][0] == "扣分说明" and str(rows[1][0]).startswith("预算执行率：")
    at = rows.index(("类别", "指标", "说明"))
    found = rows[at + 1:]
    assert [r[0] for r in found] == [FINDING_LABELS[f.code] for f in e.findings]
    assert ("超额完成", "丙") in [r[:2] for r in found]


def test_a_review_column_follows_the_score_when_reviewer_scores_are_given(registry):
    e = two_decimals(registry)
    review = tuple(None if r.status is evalcore.Status.NOT_APPLICABLE else r.score - 1 for r in e.rows)
    rows = sheet_rows(write_form(e, review))
    header = next(i for i, r in enumerate(rows) if r[0] == "一级指标")
    assert rows[header][5:9] == ("分值", "得分", "复核", "偏差原因分析及改进措施")
    assert [Decimal(str(r[7])) if r[7] is not None else None
            for r in rows[header + 1:header + 1 + len(e.rows)]] == list(review)
    with pytest.raises(ValueError, match="1 reviewer scores for 4 rows"):
        form_rows(e, (Decimal(1),))


def test_the_reviewer_scores_of_a_project_file_fill_the_review_column():
    """The file's ``reviewed`` keys reach the form: the 复核 column of the workbook and the
    page holds each reviewed row's score and a blank for a row not reviewed; a project with
    no reviewed row has no such column (Ganzhou)."""
    e = evalcore.evaluate(evalcore.load_project(ROOT / "tests" / "fixtures" / "audit" / "reviewed.toml"))
    reviewed = [r.reviewed for r in e.rows]
    assert any(x is not None for x in reviewed) and None in reviewed
    rows = sheet_rows(evalcore.render(e, "xlsx"))
    header = next(i for i, r in enumerate(rows) if r[0] == "一级指标")
    assert rows[header][7] == "复核"
    assert [None if r[7] is None else Decimal(str(r[7]))
            for r in rows[header + 1:header + 1 + len(e.rows)]] == reviewed
    assert "<th>复核</th>" in evalcore.render(e, "html")
    plain = evalcore.evaluate(evalcore.load_project(EXAMPLES / "ganzhou-2021" / "project.toml"))
    assert "复核" not in str(evalcore.render(plain, "html"))
    assert all("复核" not in map(str, r) for r in sheet_rows(evalcore.render(plain, "xlsx")))


def test_the_workbook_writes_the_hostile_name_as_text(registry):
    e = two_decimals(registry)
    book = openpyxl.load_workbook(io.BytesIO(evalcore.render(e, "xlsx", registry)))
    assert book["自评表"]["B3"].value == e.project and book["自评表"]["B3"].data_type == "s"


def test_number_formats_show_exactly_the_places_a_number_has():
    assert score_format(0) == "0" and score_format(2) == "0.00" and score_format(3) == "0.000"
    assert amount_format(Decimal("492.99135")) == "#,##0.00000"
    assert amount_format(Decimal("500.00")) == "#,##0" and amount_format(Decimal("1E+3")) == "#,##0"
    assert amount_format(Decimal("2.5"), grouping=False) == "0.0"


def test_the_workbook_without_openpyxl_names_the_extra(ganzhou, monkeypatch):
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(evalcore.EvalcoreError, match=r"pip install 'evalcore-jixiao\[excel\]'"):
        evalcore.render(ganzhou, "xlsx")


# -- the HTML page --------------------------------------------------------------------------------

@attrs.define
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    cells: list[Element] = attrs.field(factory=list)


class Page(HTMLParser):
    """The page's table rows (with their cells) and SVG bar groups, by class."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.rows: list[Element] = []
        self.groups: list[Element] = []
        self.svgs: list[Element] = []
        self.open: list[Element] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attributes})
        if tag == "tr":
            self.rows.append(element)
        elif tag in ("td", "th") and self.rows:
            self.rows[-1].cells.append(element)
        elif tag == "g":
            self.groups.append(element)
        elif tag == "svg":
            self.svgs.append(element)
        self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop().tag != tag:
            pass

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element.text += data

    def of(self, cls: str) -> list[Element]:
        return [r for r in self.rows if cls in r.attrs.get("class", "").split()]


def test_the_page_has_one_row_per_indicator_with_its_score(ganzhou):
    page = Page(evalcore.render(ganzhou, "html"))
    rows = page.of("indicator")
    assert [r.attrs["data-id"] for r in rows] == [r.id for r in ganzhou.rows]
    for element, row in zip(rows, ganzhou.rows, strict=True):
        texts = [c.text for c in element.cells]
        assert row.name in texts and str(row.score) == texts[-2]
    (total,) = page.of("total")
    assert [c.text for c in total.cells] == ["总分", "100", "97", "自评等级：优"]


def test_the_page_spans_level_1_and_level_2_over_their_runs(ganzhou):
    page = Page(evalcore.render(ganzhou, "html"))
    rows = page.of("indicator")
    for cls, keys in (("group", [r.group for r in ganzhou.rows]),
                      ("category", [(r.group, r.category) for r in ganzhou.rows])):
        starts = {first: length for first, length in runs(keys)}
        for i, row in enumerate(rows):
            cells = [c for c in row.cells if c.attrs.get("class") == cls]
            if i in starts:
                assert [int(c.attrs["rowspan"]) for c in cells] == [starts[i]], (cls, i)
            else:
                assert cells == [], (cls, i)


def test_the_page_shows_the_sources_the_goal_and_a_blank_signature(registry):
    page_text = evalcore.render(two_decimals(registry), "html", registry)
    assert isinstance(page_text, str)
    page = Page(page_text)
    assert [r.cells[0].text for r in page.of("source")] == [
        "其中：当年财政拨款", "上年结转资金", "其他资金", "社会捐赠"]
    assert "预期目标" in page_text and "实际完成情况" in page_text
    for label in ("填表人：", "联系电话：", "填报日期：", "单位负责人："):
        assert label in page_text
    assert "@page { size: A4 landscape" in page_text and "@media print" in page_text


def test_the_charts_carry_the_evaluation_s_numbers(registry):
    e = two_decimals(registry)
    page = Page(str(evalcore.render(e, "html", registry)))
    bars = [g for g in page.groups if g.attrs.get("class") == "bar"]
    assert [(g.attrs["data-category"], Decimal(g.attrs["data-points"]), Decimal(g.attrs["data-score"]),
             Decimal(g.attrs["data-lost"])) for g in bars] == [
        (c.zh, c.points, c.score, c.points - c.score) for c in e.categories]
    (budget,) = [s for s in page.svgs if s.attrs.get("class") == "budget-chart"]
    assert e.budget is not None and Decimal(budget.attrs["data-rate"]) == e.budget.rate
    assert Decimal(budget.attrs["data-line"]) == 1  # national-2020 asks for a reason below 100%


def test_the_page_shows_a_review_column_when_reviewer_scores_are_given(registry):
    from evalcore_builtin import documents

    e = two_decimals(registry)
    review = tuple(None if r.status is evalcore.Status.NOT_APPLICABLE else r.score - 1 for r in e.rows)
    page = Page(documents._environment().get_template("form.html.j2").render(
        page_context(e, Decimal(1), review)))
    (header,) = [r for r in page.rows if r.cells and r.cells[0].text == "一级指标"]
    assert [c.text for c in header.cells][5:9] == ["分值", "得分", "复核", "偏差原因分析及改进措施"]
    shown = [r.cells[-2].text for r in page.of("indicator")]
    assert shown == ["" if r is None else str(r) for r in review]
    (total,) = page.of("total")
    assert sum(int(c.attrs.get("colspan", 1)) for c in total.cells) == 9


def test_the_budget_line_is_an_option_of_the_html_format(registry):
    e = two_decimals(registry)
    page = Page(str(evalcore.render(e, "html", registry, options={"budget_line": "0.9"})))
    (budget,) = [s for s in page.svgs if s.attrs.get("class") == "budget-chart"]
    assert budget.attrs["data-line"] == "0.9"
    with pytest.raises(evalcore.EvalcoreError, match="budget_line"):
        evalcore.render(e, "html", registry, options={"budget_line": "-1"})


def test_the_chart_bars_are_as_long_as_their_points(registry):
    context = page_context(two_decimals(registry), Decimal(1))
    for bar in context["bars"]:
        scored, lost = Decimal(bar.scored_width), Decimal(bar.lost_width)
        largest = max(b.points for b in context["bars"])
        assert abs(scored + lost - bar.points * BAR_WIDTH / largest) <= Decimal("0.1")


def test_findings_are_shown_with_their_chinese_labels(registry):
    e = two_decimals(registry)
    text = str(evalcore.render(e, "html", registry))
    page = Page(text)
    shown = [(r.attrs["data-code"], r.cells[0].text) for r in page.of("finding")]
    assert shown == [(f.code, FINDING_LABELS[f.code]) for f in e.findings]
    assert "overachievement" in {f.code for f in e.findings} and "[overachievement]" not in text


def test_the_page_escapes_hostile_text(registry):
    text = str(evalcore.render(two_decimals(registry), "html", registry))
    assert "<script" not in text and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;项目" in text
    assert "http" not in text  # nothing fetched: the SVG is inline, without a namespace URL


def test_the_page_without_jinja2_names_the_extra(ganzhou, monkeypatch):
    from evalcore_builtin import documents

    documents._environment.cache_clear()
    monkeypatch.setitem(sys.modules, "jinja2", None)
    try:
        with pytest.raises(evalcore.EvalcoreError, match=r"pip install 'evalcore-jixiao\[html\]'"):
            render_html(ganzhou)
    finally:
        documents._environment.cache_clear()


def test_the_templates_are_found_as_package_data():
    """The templates load through the package (`jinja2.PackageLoader`), as from a wheel, which
    carries them (tests/test_packaging.py checks the built wheel)."""
    from evalcore_builtin import documents

    assert documents._environment().list_templates() == ["colgroup.html.j2", "form.css",
                                                         "form.html.j2"]


# -- finding labels -------------------------------------------------------------------------------

def emitted_codes() -> set[str]:
    """Every finding code the engine and the built-in plugins can emit: the first argument of
    each ``Finding(...)`` call in their source."""
    codes = set()
    for folder in (ROOT / "src" / "evalcore", ROOT / "plugins" / "evalcore_builtin"):
        for path in folder.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Finding"
                        and node.args and isinstance(node.args[0], ast.Constant)):
                    codes.add(node.args[0].value)
    return codes


def test_every_finding_code_the_engine_emits_has_a_chinese_label():
    codes = emitted_codes()
    assert {"missing-actual", "overachievement", "published-differs", "scheme-warning"} <= codes
    assert sorted(codes - set(FINDING_LABELS)) == []


def test_a_code_nobody_labelled_is_shown_as_it_is():
    assert finding_label("a-plugin-s-own") == "a-plugin-s-own"
    assert finding_label("overachievement") == "超额完成"


# -- properties -----------------------------------------------------------------------------------

@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_evaluation_renders_every_row_once_with_spans_that_tile_the_block(data):
    scheme = data.draw(schemes(max_indicators=6))
    e = evalcore.evaluate(data.draw(projects(scheme, missing=True)))
    rows = form_rows(e)
    for attribute in ("group_span", "category_span"):
        spans = [getattr(r, attribute) for r in rows]
        assert sum(spans) == len(e.rows) and (not spans or spans[0] > 0)
    page = Page(str(evalcore.render(e, "html")))
    html_rows = page.of("indicator")
    assert [r.attrs["data-id"] for r in html_rows] == [r.id for r in e.rows]
    assert sum(int(c.attrs["rowspan"]) for r in html_rows for c in r.cells
               if c.attrs.get("class") == "group") == len(e.rows)
    bars = [g for g in page.groups if g.attrs.get("class") == "bar"]
    assert sum(Decimal(g.attrs["data-score"]) for g in bars) == e.total


@settings(max_examples=10, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_evaluation_s_workbook_holds_every_score(data):
    scheme = data.draw(schemes(max_indicators=5))
    e = evalcore.evaluate(data.draw(projects(scheme, missing=True)))
    rows = sheet_rows(evalcore.render(e, "xlsx"))
    header = next(i for i, r in enumerate(rows) if r[0] == "一级指标")
    body = rows[header + 1:header + 1 + len(e.rows)]
    assert [r[2] for r in body] == [r.name for r in e.rows]
    assert [Decimal(str(r[6])) for r in body] == [r.score for r in e.rows]
    total = rows[header + 1 + len(e.rows)]
    assert total[0] == "总分" and Decimal(str(total[6])) == e.total
