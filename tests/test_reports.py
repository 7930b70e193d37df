"""The document formats: a self-contained HTML page and an Excel workbook (optional openpyxl)."""

from __future__ import annotations

import html
import io
from decimal import Decimal

import pytest
from conftest import EXAMPLES

import evalcore
from evalcore.cli import main

GANZHOU = EXAMPLES / "ganzhou-2021" / "project.toml"


@pytest.fixture(scope="module")
def result() -> evalcore.Evaluation:
    return evalcore.evaluate(evalcore.load_project(GANZHOU))


def test_html_is_a_self_contained_page_with_every_row_and_the_grade(result):
    page = evalcore.render(result, "html")
    assert isinstance(page, str) and page.startswith("<!DOCTYPE html>")
    assert "<script" not in page and "http" not in page  # nothing fetched, nothing run
    for row in result.rows:
        assert html.escape(row.name) in page
    assert "自评等级：优" in page and "扣3分" in page


def test_html_escapes_what_the_user_wrote():
    scheme = evalcore.Scheme("s", (evalcore.Indicator("x", "<b>x</b>", "quantity", Decimal(100), "≥1"),))
    project = evalcore.Project(evalcore.ProjectInfo("<script>alert(1)</script>"), scheme,
                               actuals={"x": evalcore.Actual("1")})
    page = evalcore.render(evalcore.evaluate(project), "html")
    assert "<script>alert" not in page and "&lt;script&gt;" in page and "&lt;b&gt;x&lt;/b&gt;" in page


def test_xlsx_is_a_workbook_with_exact_numbers_and_the_lost_points(result):
    openpyxl = pytest.importorskip("openpyxl")
    data = evalcore.render(result, "xlsx")
    assert isinstance(data, bytes)
    book = openpyxl.load_workbook(io.BytesIO(data))
    table = [row for row in book["自评表"].iter_rows(values_only=True)]
    total = next(row for row in table if row[0] == "总分")
    assert (total[5], total[6], total[7]) == (100, 97, "自评等级：优")
    notes = [row[0] for row in book["说明"].iter_rows(values_only=True)]
    assert any(str(n).startswith("“全国质量强市示范城市”创建按时提请验收") for n in notes)


def test_xlsx_goes_to_a_file_never_to_the_terminal(tmp_path, capsys):
    pytest.importorskip("openpyxl")
    assert main(["evaluate", str(GANZHOU), "--format", "xlsx"]) == 2
    assert "binary file: write it with -o FILE.xlsx" in capsys.readouterr().err
    out = tmp_path / "ganzhou.xlsx"
    assert main(["evaluate", str(GANZHOU), "--format", "xlsx", "-o", str(out)]) == 0
    assert out.read_bytes()[:2] == b"PK"  # a zip container, as every .xlsx is


def test_every_format_reads_the_form_rows_from_one_builder():
    """The indicator block: one builder, its texts for the text formats and HTML, its values
    (numbers as numbers, no score for a row that does not apply) for the workbook."""
    from evalcore_builtin.formats import indicator_lines, texts, values

    scheme = evalcore.Scheme("s", (
        evalcore.Indicator("a", "甲", "quantity", Decimal(60), "≥10"),
        evalcore.Indicator("b", "乙", "quantity", Decimal(40), "≥10"),
        evalcore.Indicator("c", "丙", "quantity", Decimal(0), "/"),
    ), settings={"weights": {}})
    project = evalcore.Project(evalcore.ProjectInfo("p"), scheme, actuals={"a": evalcore.Actual("5")})
    e = evalcore.evaluate(project)
    assert texts(indicator_lines(e)) == [
        ["产出指标", "数量指标", "甲", "≥10", "5", "60", "30.00", ""],
        ["产出指标", "数量指标", "乙", "≥10", "—", "40", "0.00", ""],
        ["产出指标", "数量指标", "丙", "/", "/", "0", "/", ""],
        ["总分", "", "", "", "", "100", "30.00", "自评等级：差"]]
    assert [line[:2] for line in texts(indicator_lines(e, merge=True))][:3] == [
        ["产出指标", "数量指标"], ["", ""], ["", ""]]
    assert values(indicator_lines(e))[1:3] == [
        ["产出指标", "数量指标", "乙", "≥10", "", Decimal(40), Decimal("0.00"), ""],
        ["产出指标", "数量指标", "丙", "/", "/", Decimal(0), None, ""]]
    assert "<td>—</td>" in evalcore.render(e, "html")
    assert "│ 乙" in evalcore.render(e, "table")
