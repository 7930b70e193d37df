"""The ``docx`` format (issue #11, part 4): a draft 自评报告 in Word, read back with python-docx.

What is pinned: the outline in order (一 … 六 and the annex, one heading per 二级 category in
四), the total and grade, every indicator with its score in 四 and in the annex (merged
一级/二级 cells), every lost point with its reason (or a marked blank where the file gives
none), the highlighted 【待填写：……】 blanks, the funds block with its 其中 rows, the styles of
an official document, and that any text from a file (control characters, very long names) is
written safely. The Ganzhou example is rendered through the command line and checked.
"""

from __future__ import annotations

import io
import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import EXAMPLES
from hypothesis import given, settings
from hypothesis import strategies as st

import evalcore
from evalcore.cli import main
from evalcore.plugin import format_decimal, format_score, visible
from evalcore_builtin._finding_labels import finding_label
from evalcore_builtin.report import BLANK_MARK, OUTLINE, _ordinal

docx = pytest.importorskip("docx", reason="the optional python-docx (extra 'word') is not installed")
from docx.enum.section import WD_ORIENT  # noqa: E402
from docx.enum.text import WD_COLOR_INDEX  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402

GANZHOU = EXAMPLES / "ganzhou-2021" / "project.toml"
ADVERSARIAL = Path(__file__).resolve().parent / "adversarial"
UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


# -- reading a report back -----------------------------------------------------------------------

def read(data: bytes):  # -> docx.document.Document
    assert data[:2] == b"PK", "a .docx file is a zip archive"
    return docx.Document(io.BytesIO(data))


def headings(doc) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name in ("Heading 1", "Heading 2")]


def in_order(wanted: list[str], seen: list[str]) -> bool:
    """Whether ``wanted`` is a subsequence of ``seen`` (each found after the one before)."""
    it = iter(seen)
    return all(any(w == s for s in it) for w in wanted)


def section(doc, title: str) -> list[str]:
    """The texts of the body paragraphs under the level-1 heading ``title``, up to the next (not
    the signature, nor the empty paragraph that ends the report's section before the annex)."""
    texts: list[str] = []
    inside = False
    for p in doc.paragraphs:
        if p.style.name == "Heading 1":
            inside = p.text == title
            continue
        if inside and p.style.name == "Normal" and p.text:
            texts.append(p.text)
    return texts


def blanks(doc) -> list[tuple[str, bool]]:
    """Every blank left for a person: its text and whether it is highlighted."""
    paragraphs = list(doc.paragraphs) + [p for t in doc.tables for row in t.rows for c in row.cells
                                         for p in c.paragraphs]
    return [(r.text, r.font.highlight_color == WD_COLOR_INDEX.YELLOW and r.style.name == "待填写")
            for p in paragraphs for r in p.runs if r.text.startswith(BLANK_MARK)]


def all_texts(doc) -> list[str]:
    return ([p.text for p in doc.paragraphs]
            + [c.text for t in doc.tables for row in t.rows for c in row.cells])


def annex(doc):
    """The annex's indicator table: the one headed 一级指标."""
    (table,) = [t for t in doc.tables if t.rows[0].cells[0].text == "一级指标"]
    return table


def vmerge(row, column: int) -> str | None:
    """The ``w:vMerge`` of a row's cell: "restart" on the first cell of a vertical merge,
    "continue" below it (python-docx's ``row.cells`` shows the merged cell instead)."""
    tc_pr = row._tr.tc_lst[column].tcPr
    if tc_pr is None or tc_pr.find(qn("w:vMerge")) is None:
        return None
    return tc_pr.find(qn("w:vMerge")).get(qn("w:val"), "continue")


def report(e: evalcore.Evaluation):
    return read(evalcore.render(e, "docx"))


# -- building projects ----------------------------------------------------------------------------

def evaluation(rows: list[dict], *, budget: evalcore.Budget | None = None, name: str = "测试项目",
               department: str = "某某局", goal: str = "", achieved: str = "") -> evalcore.Evaluation:
    """A project of ``rows`` (id, name, category, points, target, actual, reason, group)."""
    indicators, actuals = [], {}
    for i, row in enumerate(rows):
        rid = f"r{i}"
        indicators.append(evalcore.Indicator(rid, row["name"], row.get("category", "quantity"),
                                             Decimal(row["points"]), row["target"]))
        actuals[rid] = evalcore.Actual(row.get("actual"), row.get("reason", ""),
                                       assessed=row.get("assessed"))
    scheme = evalcore.Scheme(name, tuple(indicators), "national-2020",
                             budget_points=Decimal(10) if budget is not None else None)
    info = evalcore.ProjectInfo(name, department, "", 2022, goal, achieved)
    return evalcore.evaluate(evalcore.Project(info, scheme, budget, actuals))


BUDGET = evalcore.Budget(
    planned=Decimal(180), executed=Decimal(150), unit="万元", initial=Decimal(200),
    sources=(evalcore.FundSource("当年财政拨款", Decimal(150), Decimal(150), Decimal(140)),
             evalcore.FundSource("上年结转资金", None, Decimal(30), Decimal(10))))


# -- the Ganzhou example -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ganzhou(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "ganzhou.docx"
    assert main(["evaluate", str(GANZHOU), "-f", "docx", "-o", str(out)]) == 0
    return evalcore.evaluate(evalcore.load_project(GANZHOU)), read(out.read_bytes())


def test_ganzhou_has_every_heading_of_the_outline_in_order(ganzhou):
    _, doc = ganzhou
    seen = headings(doc)
    categories = ["（一）预算执行率（分值10分，得分10分）",
                  "（二）数量指标（产出指标）：分值15分，得分15分",
                  "（三）质量指标（产出指标）：分值15分，得分15分",
                  "（四）时效指标（产出指标）：分值15分，得分12分",
                  "（五）成本指标（产出指标）：分值5分，得分5分",
                  "（六）社会效益指标（效益指标）：分值20分，得分20分",
                  "（七）可持续影响指标（效益指标）：分值10分，得分10分",
                  "（八）服务对象满意度指标（满意度指标）：分值10分，得分10分"]
    assert seen == [*OUTLINE[:7], *categories, *OUTLINE[7:]]
    assert [p.text for p in doc.paragraphs[:2]] == [
        "赣州市市场监督管理局", "关于2021年度“全国质量强市示范城市”创建工作经费的绩效自评报告"]


def test_ganzhou_states_the_total_grade_and_subtotals(ganzhou):
    _, doc = ganzhou
    text = "\n".join(section(doc, "三、评价结论"))
    assert "项目总体绩效得分为97分（满分100分），自评等级为“优”。" in text
    assert "预算执行率98.6%，得10分（分值10分）。" in text
    assert ("各部分得分：预算执行率得10分（分值10分）；产出指标得47分（分值50分）；"
            "效益指标得30分（分值30分）；满意度指标得10分（分值10分）。") in text
    assert "年度总体目标完成情况：2020年度市级政府质量工作考核全省第一" in text


def test_ganzhou_funds_goal_and_sources_come_from_the_file(ganzhou):
    _, doc = ganzhou
    text = "\n".join(section(doc, "一、基本情况"))
    assert "项目资金（万元）：年初预算数500，全年预算数500，全年执行数492.99135，预算执行率98.6%。" in text
    assert "其中：当年财政拨款，年初预算数500，全年预算数500，全年执行数492.99135。" in text
    assert "执行情况说明：结余7.00865万元" in text
    assert "年度总体目标：完成创建。" in text
    funds = [t for t in doc.tables if t.rows[0].cells[0].text == "项目资金（万元）"]
    assert len(funds) == 2  # in 一（二） and in the annex
    assert [c.text for c in funds[0].rows[2].cells][:4] == ["其中：当年财政拨款", "500", "500", "492.99135"]


def test_ganzhou_every_lost_point_is_mentioned_with_its_reason(ganzhou):
    e, doc = ganzhou
    (lost,) = [row for row in e.rows if row.score < row.points]
    four = section(doc, "四、绩效指标完成情况")
    at = next(i for i, t in enumerate(four) if t.startswith(f"2. {lost.name}："))
    assert four[at].endswith("分值10分，得分7分。")
    assert four[at + 1].startswith("扣3分：")
    assert four[at + 1].endswith("偏差原因：" + lost.reason)
    five = "\n".join(section(doc, "五、存在的问题及原因"))
    assert f"{lost.name}未完全达到年度指标值" in five and "扣3分。原因：" + lost.reason in five


def test_ganzhou_annex_has_every_row_with_its_score_and_merged_levels(ganzhou):
    e, doc = ganzhou
    table = annex(doc)
    body = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert [(r[2], r[6]) for r in body[:-1]] == [(row.name, format_score(row.score, 0)) for row in e.rows]
    assert body[-1][5:] == ["100", "97", "自评等级：优"]
    # 一级: 产出指标 over 8 rows, 效益指标 over 3, 满意度指标 alone; 二级 within them.
    first = [vmerge(row, 0) for row in table.rows[1:-1]]
    assert first == ["restart", *["continue"] * 7, "restart", "continue", "continue", None]
    second = [vmerge(row, 1) for row in table.rows[1:-1]]
    assert second == ["restart", "continue", "continue", "restart", "continue", "restart", "continue",
                      None, "restart", "continue", None, None]
    assert table.rows[0].cells[0]._tc.getparent().trPr.find(qn("w:tblHeader")) is not None


def test_ganzhou_tables_never_touch_and_the_annex_fills_the_landscape_width(ganzhou):
    _, doc = ganzhou
    # Word and LibreOffice join two tables with nothing between them into one table.
    for table in doc.element.body.iterchildren(qn("w:tbl")):
        assert table.getnext().tag != qn("w:tbl")
    grid = [round(column.width.mm) for column in annex(doc).columns]
    assert grid == [22, 26, 50, 32, 32, 15, 15, 65] and sum(grid) == 297 - 2 * 20


def test_ganzhou_leaves_marked_blanks_only_where_a_person_must_write(ganzhou):
    _, doc = ganzhou
    found = blanks(doc)
    assert found and all(highlighted for _, highlighted in found)
    texts = [t for t, _ in found]
    assert "【待填写：自评的组织、依据、原则、方法和工作过程】" in texts
    assert "【待填写：改进措施和建议】" in texts
    assert "【待填写：日期】" in texts
    # The file gives the goal and the reason of its one lost point: no blank for them.
    assert "【待填写：年度总体目标】" not in texts and "【待填写：偏差原因分析】" not in texts
    assert any(t.startswith(BLANK_MARK) for t in section(doc, "二、自评工作开展情况"))
    assert section(doc, "六、改进措施和建议")[-1] == "【待填写：改进措施和建议】"


def test_ganzhou_is_an_official_document_a4_with_chinese_fonts(ganzhou):
    _, doc = ganzhou
    first, annex_section = doc.sections[0], doc.sections[-1]
    def mm(*lengths) -> list[float]:  # Word stores twentieths of a point: 210 mm is 209.99...
        return [round(length.mm, 1) for length in lengths]

    assert mm(first.page_width, first.page_height) == [210, 297]
    assert mm(first.top_margin, first.bottom_margin, first.left_margin, first.right_margin) == [
        37, 35, 28, 26]
    assert annex_section.orientation == WD_ORIENT.LANDSCAPE
    assert mm(annex_section.page_width, annex_section.page_height) == [297, 210]

    def east_asia(name: str) -> str | None:
        fonts = doc.styles[name].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsiaTheme")) is None, "a theme font would override the name"
        return fonts.get(qn("w:eastAsia"))

    assert east_asia("Normal") == "仿宋"
    assert east_asia("Heading 1") == "黑体"
    assert east_asia("Heading 2") == "楷体"
    assert east_asia("报告标题") == "方正小标宋简体"
    assert doc.styles["Normal"].font.size.pt == 16
    table_text = doc.styles["表格文字"]
    assert (table_text.font.size.pt, table_text.paragraph_format.line_spacing) == (10.5, 1.0)
    assert doc.styles["报告标题"].font.size.pt == 22
    assert doc.core_properties.title == "关于2021年度“全国质量强市示范城市”创建工作经费的绩效自评报告"


# -- edges ---------------------------------------------------------------------------------------

def test_a_project_without_findings_or_lost_points_says_so():
    # The national weights (10 / 50 / 30 / 10), so the scheme itself raises no finding either.
    e = evaluation([{"name": "甲", "points": 50, "target": "≥10个", "actual": "12个"},
                    {"name": "乙", "category": "social", "points": 30, "target": "≥2项", "actual": "2项"},
                    {"name": "丙", "category": "satisfaction", "points": 10, "target": "≥90%",
                     "actual": "95%"}], budget=evalcore.Budget(Decimal(100), Decimal(100)))
    assert not e.findings
    doc = report(e)
    five = section(doc, "五、存在的问题及原因")
    assert five[0] == "自评未发现失分的指标，也没有需关注的问题。"
    assert section(doc, "六、改进措施和建议") == ["【待填写：改进措施和建议】"]


def test_findings_are_listed_with_chinese_labels_never_codes():
    e = evaluation([{"name": "甲", "points": 60, "target": "≥10个", "actual": "12个"},
                    {"name": "乙", "points": 40, "target": "≥10个"}])  # no actual: a finding
    codes = {f.code for f in e.findings}
    assert "missing-actual" in codes
    five = "\n".join(section(report(e), "五、存在的问题及原因"))
    assert "缺少实际值：" in five and "missing-actual" not in five
    # The row without an actual lost its points: listed, with a blank for the reason.
    assert ("乙未完全达到年度指标值（年度指标值“≥10个”，实际完成值“—”），扣40.00分。"
            "原因：【待填写：原因分析】") in five


def test_rows_that_do_not_apply_are_shown_as_such():
    e = evaluation([{"name": "甲", "points": 100, "target": "≥10个", "actual": "8个"},
                    {"name": "不适用的指标", "category": "quality", "points": 0, "target": "/"}])
    doc = report(e)
    four = section(doc, "四、绩效指标完成情况")
    assert "1. 不适用的指标：年度指标值“/”，本项不适用，不计分。" in four
    body = [[c.text for c in row.cells] for row in annex(doc).rows[1:-1]]
    assert body[1][2] == "不适用的指标" and body[1][6] == "/"
    # 甲 lost 20 points and gave no reason: a marked blank in 四, 五 and 六.
    at = four.index("1. 甲：年度指标值“≥10个”，实际完成值“8个”，分值100分，得分80.00分。")
    assert four[at + 1].startswith("扣20.00分：")
    assert four[at + 1].endswith("偏差原因：【待填写：偏差原因分析】")
    assert "针对甲：【待填写：改进措施】" in section(doc, "六、改进措施和建议")


def test_a_project_without_a_budget_row_leaves_the_funds_to_a_person():
    e = evaluation([{"name": "甲", "points": 100, "target": "≥10个", "actual": "12个"}])
    doc = report(e)
    one = section(doc, "一、基本情况")
    assert "自评表未列项目资金。" in one and "【待填写：资金投入和使用情况】" in one
    assert not [t for t in doc.tables if t.rows[0].cells[0].text.startswith("项目资金")]
    assert not [h for h in headings(doc) if "预算执行率" in h]
    assert "对1项三级指标逐项计分" in "\n".join(section(doc, "二、自评工作开展情况"))


def test_the_budget_block_has_its_sources_and_a_lost_budget_point_its_blank():
    e = evaluation([{"name": "甲", "points": 90, "target": "≥10个", "actual": "12个"}], budget=BUDGET)
    doc = report(e)
    one = "\n".join(section(doc, "一、基本情况"))
    assert "项目资金（万元）：年初预算数200，全年预算数180，全年执行数150，预算执行率83.33%。" in one
    assert "其中：上年结转资金，年初预算数—，全年预算数30，全年执行数10。" in one
    (funds, *_) = [t for t in doc.tables if t.rows[0].cells[0].text == "项目资金（万元）"]
    assert [row.cells[0].text for row in funds.rows] == [
        "项目资金（万元）", "年度资金总额", "其中：当年财政拨款", "其中：上年结转资金"]
    four = section(doc, "四、绩效指标完成情况")
    assert "偏差原因：【待填写：预算执行偏差原因分析】" in four
    score = format_score(e.budget.score, e.decimals)
    assert f"预算执行率83.33%，得{score}分（分值10分）。" in section(doc, "三、评价结论")


def test_a_project_without_department_goal_or_year_leaves_blanks():
    rows = [{"name": "甲", "points": 100, "target": "≥10个", "actual": "12个"}]
    e = evaluation(rows, department="")
    doc = report(e)
    texts = [t for t, _ in blanks(doc)]
    assert "【待填写：单位名称】" in texts and "【待填写：年度总体目标】" in texts
    assert "【待填写：年度总体目标的完成情况】" in texts


def test_control_characters_are_visible_escapes_and_the_file_opens():
    e = evalcore.evaluate(evalcore.load_project(ADVERSARIAL / "control-characters.toml"))
    doc = report(e)
    texts = all_texts(doc)
    assert not [t for t in texts if UNSAFE.search(t)]
    assert any(visible(e.project) in t for t in texts)
    assert any("\\x1b" in t for t in texts)
    # A CR is a line break in Word (read back as LF); the other controls are escapes.
    assert visible(e.rows[0].reason).replace("\r", "\n") in "\n".join(section(doc, "四、绩效指标完成情况"))


def test_a_very_long_name_is_written_whole_and_the_title_property_is_cut():
    name = "很长的项目名称" * 1500
    e = evaluation([{"name": "指" * 5000, "points": 100, "target": "≥10个", "actual": "1个",
                     "reason": "因" * 8000}], name=name)
    doc = report(e)
    assert doc.paragraphs[1].text == f"关于2022年度{name}的绩效自评报告"
    assert len(doc.core_properties.title) == 255
    assert annex(doc).rows[1].cells[2].text == "指" * 5000
    assert any(t.endswith("偏差原因：" + "因" * 8000) for t in section(doc, "四、绩效指标完成情况"))


def test_without_python_docx_the_message_names_the_extra(monkeypatch, tmp_path, capsys):
    e = evaluation([{"name": "甲", "points": 100, "target": "≥10个", "actual": "12个"}])
    monkeypatch.setitem(sys.modules, "docx", None)  # import docx now raises ImportError
    with pytest.raises(evalcore.EvalcoreError, match=re.escape("pip install 'evalcore-jixiao[word]'")):
        evalcore.render(e, "docx")
    status = main(["evaluate", str(GANZHOU), "-f", "docx", "-o", str(tmp_path / "r.docx")])
    err = capsys.readouterr().err
    assert status == 2
    assert "the docx format needs python-docx: pip install 'evalcore-jixiao[word]'" in err
    assert "Traceback" not in err and not (tmp_path / "r.docx").exists()


def test_docx_to_a_terminal_is_refused(capsys):
    assert main(["evaluate", str(GANZHOU), "-f", "docx"]) == 2
    assert "-o FILE.docx" in capsys.readouterr().err



# -- the properties ------------------------------------------------------------------------------

# Any text a file can hold (no lone surrogates, which TOML cannot carry; no CR, which Word
# stores as a line break and so reads back as LF).
TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\r"), min_size=1,
               max_size=20).filter(lambda t: t.strip())
CATEGORIES = ["quantity", "quality", "timeliness", "cost", "social", "sustainability", "satisfaction"]


@st.composite
def projects(draw) -> evalcore.Evaluation:
    with_budget = draw(st.booleans())
    total = 90 if with_budget else 100
    n = draw(st.integers(1, 6))
    cuts = sorted(draw(st.lists(st.integers(1, total - 1), unique=True, min_size=n - 1,
                                max_size=n - 1)))
    points = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
    rows: list[dict] = []
    for p in points:
        row: dict = {"name": draw(TEXT), "category": draw(st.sampled_from(CATEGORIES)), "points": p,
                     "target": f"≥{draw(st.integers(1, 500))}个"}
        actual = draw(st.none() | st.integers(0, 800))
        if actual is not None:
            row["actual"] = f"{actual}个"
        row["reason"] = draw(st.just("") | TEXT)
        rows.append(row)
    if draw(st.booleans()):
        rows.append({"name": draw(TEXT), "category": "quality", "points": 0, "target": "/"})
    budget = None
    if with_budget:
        planned = Decimal(draw(st.integers(1, 10_000)))
        executed = planned * Decimal(draw(st.integers(0, 120))) / 100
        budget = evalcore.Budget(planned, executed, "万元", reason=draw(st.just("") | TEXT))
    return evaluation(rows, budget=budget, name=draw(TEXT), department=draw(st.just("") | TEXT),
                      goal=draw(st.just("") | TEXT))


@settings(max_examples=30)
@given(projects())
def test_any_project_gives_the_whole_outline_every_row_and_every_lost_point(e):
    doc = report(e)
    seen = headings(doc)
    assert in_order(list(OUTLINE), seen)
    categories = {row.category for row in e.rows}
    four = seen[seen.index(OUTLINE[6]) + 1:seen.index(OUTLINE[7])]
    assert len(four) == len(categories) + (e.budget is not None)

    three = "\n".join(section(doc, OUTLINE[5]))
    assert f"项目总体绩效得分为{format_score(e.total, e.decimals)}分" in three
    assert f"自评等级为“{e.grade}”" in three

    body = [[c.text for c in row.cells] for row in annex(doc).rows[1:]]
    assert [r[2] for r in body[:-1]] == [visible(row.name) for row in e.rows]
    assert [r[6] for r in body[:-1]] == [
        "/" if row.status is evalcore.Status.NOT_APPLICABLE else format_score(row.score, e.decimals)
        for row in e.rows]
    assert body[-1][6] == format_score(e.total, e.decimals)

    four_text = section(doc, OUTLINE[6])
    five = "\n".join(section(doc, OUTLINE[7]))
    for row in e.rows:
        if row.status is evalcore.Status.NOT_APPLICABLE or row.score >= row.points:
            continue
        actual = visible(row.actual) or "—"
        # Two rows may be printed alike (same name, target, actual, points, score): each row's
        # lost points and reason follow one of the paragraphs that print it.
        heading = (f"{visible(row.name)}：年度指标值“{visible(row.target)}”，实际完成值“{actual}”，"
                   f"分值{format_decimal(row.points)}分，得分{format_score(row.score, e.decimals)}分。")
        reason = visible(row.reason) if row.reason.strip() else "【待填写：偏差原因分析】"
        assert any(four_text[i + 1].startswith(f"扣{format_score(row.lost, e.decimals)}分：")
                   and four_text[i + 1].endswith("偏差原因：" + reason)
                   for i, t in enumerate(four_text) if t.endswith(heading))
        assert f"{visible(row.name)}未完全达到年度指标值" in five
    for finding in e.findings:
        assert f"{finding_label(finding.code)}：{visible(finding.message_zh)}" in five

    assert not [t for t in all_texts(doc) if UNSAFE.search(t)]
    found = blanks(doc)
    assert found and all(highlighted for _, highlighted in found)


@pytest.mark.parametrize(("n", "words"), [(1, "（一）"), (10, "（十）"), (11, "（十一）"), (20, "（二十）"),
                                          (35, "（三十五）"), (99, "（九十九）"), (100, "（100）")])
def test_second_level_headings_are_numbered_in_chinese(n, words):
    assert _ordinal(n) == words


@given(st.integers(1, 99))
def test_every_number_below_100_has_its_own_chinese_ordinal(n):
    # Chinese numerals read back to n: 十 is ×10 after a digit, +10 alone.
    digits = {c: i for i, c in enumerate("一二三四五六七八九", 1)}
    text = _ordinal(n)[1:-1]
    if "十" in text:
        before, _, after = text.partition("十")
        value = digits.get(before, 1) * 10 + digits.get(after, 0)
    else:
        value = digits[text]
    assert value == n
