"""The 项目资金 block on every output, scored or not: `Evaluation.funds` and its 到位数.

A framework evaluation (决策/过程/产出/效益) scores its funds by 资金到位率 and 预算执行率 rows,
so it has no funds row (`Evaluation.budget` is None); its form still shows the project's
funds, with 到位数 when the project gives ``received``. A national evaluation shows the same
block with the funds row's 分值, 执行率 and 得分, and 到位数 too when given. Each output is
read back (the terminal table, Markdown, CSV, JSON, the HTML page's cells, the workbook's
cells, the Word report's tables) in both languages; the JSON round trip is a Hypothesis
property over random funds; JSON written before `Evaluation.funds` still reads and renders.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from html.parser import HTMLParser

import attrs
import pytest
from conftest import EXAMPLES
from hypothesis import given
from hypothesis import strategies as st

import evalcore
from evalcore import Funds

THIRD_PARTY = EXAMPLES / "third-party-2022" / "project.toml"
GANZHOU = EXAMPLES / "ganzhou-2021" / "project.toml"

UNSCORED = {"zh": ["年初预算数", "全年预算数", "到位数", "全年执行数"],
            "en": ["Budget at start of year", "Full-year budget", "Received", "Executed"]}
SCORED = {"zh": ["年初预算数", "全年预算数", "到位数", "全年执行数", "分值", "执行率", "得分"],
          "en": ["Budget at start of year", "Full-year budget", "Received", "Executed", "Points",
                 "Execution rate", "Score"]}
TOTAL = {"zh": "年度资金总额", "en": "Total annual funds"}


@pytest.fixture(scope="module")
def framework() -> evalcore.Evaluation:
    """The third-party example: [budget] planned 4800, received 4800, executed 4416, no points."""
    return evalcore.evaluate(evalcore.load_project(THIRD_PARTY))


@pytest.fixture(scope="module")
def scored() -> evalcore.Evaluation:
    """Ganzhou's funds row, with 到位数 495 given beside its 500 planned and 492.99135 executed."""
    project = evalcore.load_project(GANZHOU)
    assert project.budget is not None
    return evalcore.evaluate(attrs.evolve(project, budget=attrs.evolve(
        project.budget, received=Decimal(495))))


# -- the model ------------------------------------------------------------------------------------

def test_a_framework_evaluation_keeps_its_funds_without_a_funds_row(framework):
    assert framework.budget is None
    assert framework.funds == Funds(unit="万元", planned=Decimal(4800), received=Decimal(4800),
                                    executed=Decimal(4416))
    assert framework.funds_block is framework.funds
    assert framework.total == Decimal("94.50")  # the golden case's score, unchanged


def test_a_scored_funds_row_and_the_block_hold_the_same_figures(scored):
    b, f = scored.budget, scored.funds
    assert b is not None and f is not None
    assert (f.unit, f.initial, f.planned, f.executed, f.sources) == (
        b.unit, b.initial, b.planned, b.executed, b.sources)
    assert f.received == Decimal(495)
    assert scored.total == Decimal(97)  # 到位数 is shown, never scored by the funds row


def test_a_project_without_budget_has_no_block(registry):
    scheme = evalcore.Scheme("s", (evalcore.Indicator("a", "甲", "quantity", Decimal(100), "≥10"),),
                             settings={"weights": {}})
    e = evalcore.evaluate(evalcore.Project(evalcore.ProjectInfo("p"), scheme, None,
                                           {"a": evalcore.Actual("10")}), registry)
    assert e.funds is None and e.funds_block is None
    assert "项目资金" not in evalcore.render(e, "table")
    assert "funds_" not in evalcore.render(e, "csv")


def test_the_numbers_first_path_gives_the_same_funds(framework):
    plan = evalcore.compile(evalcore.load_project(THIRD_PARTY).scheme)
    e = plan.evaluate(evalcore.load_project(THIRD_PARTY))
    assert e.funds == framework.funds


# -- the text outputs -------------------------------------------------------------------------------

def _markdown_block(text: str) -> tuple[list[str], list[str]]:
    """The header cells and the 年度资金总额 line's cells of the Markdown funds table."""
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(("项目资金", "Project funds")))
    header, _, total = lines[at + 2:at + 5]
    cells = [[c.strip() for c in line.strip().strip("|").split("|")] for line in (header, total)]
    return cells[0][1:], cells[1]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_markdown_shows_the_framework_block_with_its_amounts_alone(framework, lang):
    header, total = _markdown_block(str(evalcore.render(framework, "markdown", lang=lang)))
    assert header == UNSCORED[lang]
    assert total == [TOTAL[lang], "", "4800", "4800", "4416"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_markdown_shows_received_between_planned_and_executed_beside_the_score(scored, lang):
    header, total = _markdown_block(str(evalcore.render(scored, "markdown", lang=lang)))
    assert header == SCORED[lang]
    assert total == [TOTAL[lang], "500", "500", "495", "492.99135", "10", "98.6%", "10"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_terminal_table_shows_the_block(framework, lang):
    text = str(evalcore.render(framework, "table", lang=lang))
    title = "项目资金（万元）" if lang == "zh" else "Project funds (万元)"
    assert title in text
    line = next(line for line in text.splitlines() if TOTAL[lang] in line)
    assert [c.strip() for c in line.strip("│ ").split("│")] == [TOTAL[lang], "", "4800", "4800",
                                                                 "4416"]


def _csv(e: evalcore.Evaluation, lang: str = "zh") -> list[list[str]]:
    return list(csv.reader(io.StringIO(str(evalcore.render(e, "csv", lang=lang)).lstrip("\ufeff"))))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_csv_has_a_line_per_amount_before_the_rows(framework, lang):
    rows = _csv(framework, lang)
    funds = [r for r in rows if r[0].startswith("funds_")]
    assert [(r[0], r[3], r[5]) for r in funds] == [
        ("funds_planned", "全年预算数" if lang == "zh" else "Full-year budget", "4800万元"),
        ("funds_received", "到位数" if lang == "zh" else "Received", "4800万元"),
        ("funds_executed", "全年执行数" if lang == "zh" else "Executed", "4416万元")]
    assert rows[1:4] == funds and all(len(r) == len(rows[0]) for r in funds)
    assert "budget" not in [r[0] for r in rows]


def test_csv_puts_the_funds_lines_before_the_funds_row(scored):
    ids = [r[0] for r in _csv(scored)]
    assert ids[1:6] == ["funds_initial", "funds_planned", "funds_received", "funds_executed",
                        "budget"]


def test_json_carries_the_block_and_reads_it_back(framework, scored):
    for e in (framework, scored):
        data = json.loads(str(evalcore.render(e, "json")))
        assert data["funds"]["received"] == str(e.funds.received)
        assert evalcore.Evaluation.from_json(str(evalcore.render(e, "json"))) == e


# -- JSON written before `Evaluation.funds`, and evaluations built by hand --------------------------

def test_json_without_funds_reads_and_renders_the_funds_rows_block(registry):
    e = evalcore.evaluate(evalcore.load_project(GANZHOU), registry)
    data = e.to_dict()
    del data["funds"]  # what evalcore wrote before the block had a field of its own
    old = evalcore.Evaluation.from_dict(data)
    assert old.funds is None and old.budget == e.budget
    assert old.funds_block == attrs.evolve(e.funds, received=None)
    for fmt in ("table", "markdown", "csv", "html"):
        assert evalcore.render(old, fmt, registry) == evalcore.render(e, fmt, registry), fmt


# -- the documents ------------------------------------------------------------------------------------

class _FundsCells(HTMLParser):
    """The funds rows of the HTML form: each a list of (text, colspan)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[tuple[str, int]]] = []
        self.inside = False
        self.cell: list[str] | None = None
        self.span = 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "tr":
            self.inside = (found.get("class") or "").startswith("funds")
            if self.inside:
                self.rows.append([])
        elif tag in ("td", "th") and self.inside:
            self.cell, self.span = [], int(found.get("colspan") or 1)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(("".join(self.cell).strip(), self.span))
            self.cell = None
        elif tag == "tr":
            self.inside = False

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def _html_funds(e: evalcore.Evaluation, lang: str) -> list[list[tuple[str, int]]]:
    pytest.importorskip("jinja2")
    parser = _FundsCells()
    parser.feed(str(evalcore.render(e, "html", lang=lang)))
    return parser.rows


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("which", ["framework", "scored"])
def test_html_funds_rows_fill_the_forms_eight_columns(request, which, lang):
    e = request.getfixturevalue(which)
    rows = _html_funds(e, lang)
    head, total, *sources = rows
    spanned_title = which == "framework"  # a column of its own, spanning the block's lines
    width = [sum(span for _, span in row) + (spanned_title and i > 0) for i, row in enumerate(rows)]
    assert width == [8] * len(rows)
    columns = UNSCORED[lang] if which == "framework" else SCORED[lang]
    assert [text for text, _ in head][-len(columns):] == columns
    label, *figures = [text for text, _ in total]
    assert label == TOTAL[lang]
    assert figures == (["", "4800", "4800", "4416"] if which == "framework"
                       else ["500", "500", "495", "492.99135", "10", "98.6%", "10"])
    assert len(sources) == 3  # the form's three standard 其中 lines


def _sheet(e: evalcore.Evaluation, lang: str = "zh") -> list[tuple[object, ...]]:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(io.BytesIO(evalcore.render(e, "xlsx", lang=lang)))
    return list(book.worksheets[0].iter_rows(values_only=True))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_workbook_shows_the_framework_block_as_numbers(framework, lang):
    rows = _sheet(framework, lang)
    at = next(i for i, r in enumerate(rows) if TOTAL[lang] in r)
    assert rows[at - 1][2:6] == tuple(UNSCORED[lang])
    assert rows[at][1:6] == (TOTAL[lang], None, 4800, 4800, 4416)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_workbook_fits_seven_figures_by_heading_the_labels_column(scored, lang):
    rows = _sheet(scored, lang)
    at = next(i for i, r in enumerate(rows) if TOTAL[lang] in r)
    assert rows[at - 1][1:8] == tuple(SCORED[lang])
    assert str(rows[at - 1][0]).startswith(("项目资金", "Project funds"))
    assert rows[at][:8] == (TOTAL[lang], 500, 500, 495, 492.99135, 10, 0.9859827, 10)


def test_the_workbook_reads_back_with_its_received(scored, tmp_path):
    pytest.importorskip("openpyxl")
    path = tmp_path / "form.xlsx"
    path.write_bytes(evalcore.render(scored, "xlsx"))
    back = evalcore.evaluate(evalcore.load_project(path))
    assert back.funds is not None and scored.funds is not None
    assert back.funds.received == Decimal(495)
    assert (back.funds.planned, back.funds.executed) == (scored.funds.planned,
                                                         scored.funds.executed)


def _docx_funds_tables(e: evalcore.Evaluation, lang: str) -> list[list[list[str]]]:
    docx = pytest.importorskip("docx")
    doc = docx.Document(io.BytesIO(evalcore.render(e, "docx", lang=lang)))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    return [t for t in tables if t[0][0].startswith(("项目资金", "Project funds"))]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_report_shows_the_block_in_its_text_and_both_tables(framework, lang):
    tables = _docx_funds_tables(framework, lang)
    assert len(tables) == 2  # 资金情况 and the annexed form
    for table in tables:
        assert table[0][1:] == UNSCORED[lang]
        assert table[1] == [TOTAL[lang], "", "4800", "4800", "4416"]
    docx = pytest.importorskip("docx")
    doc = docx.Document(io.BytesIO(evalcore.render(framework, "docx", lang=lang)))
    said = ("项目资金（万元）：年初预算数—，全年预算数4800，到位数4800，全年执行数4416。" if lang == "zh"
            else "Project funds (万元): budget at start of year —, full-year budget 4800, "
                 "received 4800, executed 4416.")
    assert said in [p.text for p in doc.paragraphs]


def test_the_report_gives_received_beside_the_funds_rows_rate(scored):
    (table, _), = [_docx_funds_tables(scored, "zh")]
    assert table[0][1:] == SCORED["zh"]
    assert table[1] == [TOTAL["zh"], "500", "500", "495", "492.99135", "10", "98.6%", "10"]


# -- the round trip, for any funds ------------------------------------------------------------------

amounts = st.none() | st.decimals(min_value=0, max_value=10**7, places=4, allow_nan=False,
                                  allow_infinity=False)


@given(initial=amounts, planned=amounts, received=amounts, executed=amounts,
       points=st.sampled_from([None, Decimal(10)]), unit=st.sampled_from(["", "万元", "元"]))
def test_any_funds_travel_through_json_and_show_received_exactly_when_given(
        registry, initial, planned, received, executed, points, unit):
    indicators = (evalcore.Indicator("a", "甲", "quantity", Decimal(100) - (points or 0), "≥10"),)
    scheme = evalcore.Scheme("s", indicators, budget_points=points, settings={"weights": {}})
    budget = evalcore.Budget(planned, executed, unit, initial, received=received)
    e = evalcore.evaluate(evalcore.Project(evalcore.ProjectInfo("p"), scheme, budget,
                                           {"a": evalcore.Actual("10")}), registry)
    assert e.funds is not None
    assert (e.funds.initial, e.funds.planned, e.funds.received, e.funds.executed) == (
        initial, planned, received, executed)
    back = evalcore.Evaluation.from_json(e.to_json())
    assert back == e and back.to_json() == e.to_json()
    ids = [r[0] for r in _csv(e)]
    assert ("funds_received" in ids) is (received is not None)
    header, _ = _markdown_block(str(evalcore.render(e, "markdown")))
    assert ("到位数" in header) is (received is not None)
    assert ("得分" in header) is (points is not None)
