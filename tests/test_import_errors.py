"""A table with mistakes gives every problem at its cell; a hostile or broken file is refused
before it costs anything; a missing optional package names the extra to install. Also the edges
of a good table: a dash for no value, a subtotal line, sheets before the table.

Each mistake is checked by the same build and compile stages as a TOML file's, so what a TOML
file may not say (an unknown 二级指标, negative points, points that do not add up) a table may
not say either.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart, Reference

import evalcore
from evalcore import docx_import, xlsx_import
from evalcore.cli import main
from evalcore.xlsx_import import MAX_ROWS

HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
          "偏差原因分析及改进措施"]
GOOD = [["产出指标", "数量指标", "抽检批次", "≥400批次", "441批次", 90, 90],
        ["满意度指标", "满意度", "群众满意度", "≥90%", "93%", 10, 10]]


def xlsx(path: Path, rows: list[list[object]], *, title: str = "自评表") -> Path:
    """A workbook of ``rows`` (every text stored as text), under the project's name."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in [["项目名称", "测试项目"], [], HEADER, *rows, ["总分", None, None, None, None, 100]]:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    book.save(path)
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(evalcore.EvalcoreError) as caught:
        evalcore.validate(path)
    return [p.without_folder() for p in caught.value.problems]


def test_a_good_table_validates(tmp_path: Path):
    warnings = evalcore.validate(xlsx(tmp_path / "t.xlsx", GOOD))  # raises on any error
    assert {p.severity for p in warnings} == {"warning"}  # weights other than the profile's


def test_a_subtotal_line_is_skipped_and_not_taken_for_a_row_without_a_name(tmp_path: Path):
    path = xlsx(tmp_path / "t.xlsx", [GOOD[0], ["产出指标小计", None, None, None, None, 90, 90],
                                      GOOD[1]])
    project = evalcore.load_project(path)
    assert [i.name for i in project.scheme.indicators] == ["抽检批次", "群众满意度"]
    broken = xlsx(tmp_path / "u.xlsx", [GOOD[0], ["产出指标", None, None, None, None, 90, 90],
                                        GOOD[1]])
    assert problems(broken) == ["u.xlsx: sheet 自评表: cell C5: error: a row with a target or "
                                "points but no 三级指标 name"]


@pytest.mark.parametrize("dash", ["—", "-", None])
def test_a_dash_or_an_empty_cell_is_no_actual_value(tmp_path: Path, dash: str | None):
    path = xlsx(tmp_path / "t.xlsx", [GOOD[0], ["满意度指标", "满意度", "群众满意度", "≥90%", dash, 10]])
    result = evalcore.evaluate(evalcore.load_project(path))
    assert [(f.code, f.indicator) for f in result.findings if f.code == "missing-actual"] == \
        [("missing-actual", "satisfaction-1")]
    assert result.total == 90


def test_the_sheet_with_the_table_is_read_whatever_comes_before_it(tmp_path: Path):
    path = xlsx(tmp_path / "t.xlsx", GOOD, title="Sheet2")
    book = load_workbook(path)
    book.create_sheet("说明", 0).append(["填表说明"])
    chart = BarChart()
    chart.add_data(Reference(book["Sheet2"], min_col=6, min_row=4, max_row=5))
    book.create_chartsheet("图表", 0).add_chart(chart)
    book.save(path)
    assert evalcore.evaluate(evalcore.load_project(path)).total == 100


def test_every_problem_is_located_at_its_cell_in_one_run(tmp_path: Path):
    path = xlsx(tmp_path / "t.xlsx", [
        ["产出指标", "数量指林", "抽检批次", "≥400批次", "441批次", 50, 50],
        ["产出指标", "质量指标", "合格率", "≥90%", "95%", "五十", 40],
        ["效益指标", "社会效益指标", "覆盖", "≥1次", "1次", -5, None],
        ["满意度指樗", "满意度", "满意度", "≥90%", "九十", 10, 10],
    ])
    found = problems(path)
    assert "t.xlsx: sheet 自评表: cell B4: error: unknown category '数量指林' (did you mean " \
           "'数量指标' or '数量'?)" in found
    assert "t.xlsx: sheet 自评表: cell F5: error: points: '五十' is not a number" in found
    assert "t.xlsx: sheet 自评表: cell F6: error: points cannot be negative (-5)" in found
    assert any(p.startswith("t.xlsx: sheet 自评表: cell A7: error: unknown group '满意度指樗'")
               and "满意度指标" in p for p in found)
    assert len(found) >= 4


def test_an_unknown_name_filled_down_is_located_at_the_merged_cell(tmp_path: Path):
    path = xlsx(tmp_path / "t.xlsx", [
        ["产出指柡", "数量指标", "a", "≥1次", "1次", 45, 45],
        [None, None, "b", "≥1次", "1次", 45, 45],
        ["满意度指标", "满意度", "c", "≥90%", "93%", 10, 10],
    ])
    found = problems(path)
    assert found[0].startswith("t.xlsx: sheet 自评表: cell A4: error: unknown group '产出指柡'")
    assert "did you mean '产出指标'" in found[0]


def test_a_missing_target_is_located_at_its_empty_cell(tmp_path: Path):
    path = xlsx(tmp_path / "t.xlsx", [["产出指标", "数量指标", "a", None, "1次", 90, 90],
                                      GOOD[1]])
    assert problems(path)[0].startswith("t.xlsx: sheet 自评表: cell D4: error: target is missing")


def test_a_missing_column_names_the_labels_read(tmp_path: Path):
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "自评表"
    sheet.append(["项目名称", "测试项目"])
    sheet.append(["一级指标", "二级指标", "三级指标", "年度指标", "实际完成值", "分值"])
    sheet.append(GOOD[0][:6])
    book.save(tmp_path / "t.xlsx")
    found = problems(tmp_path / "t.xlsx")
    assert found == ["t.xlsx: sheet 自评表: cell C2: error: the indicator header has no 年度指标值 "
                     "column (read as 年度指标值 or 指标值 or 年度目标值 or 目标值 or 年度目标 or "
                     "预期指标值) (did you mean '年度指标值' or '年度目标' or '年度目标值'?)"]


def test_a_table_without_its_blocks_says_what_it_looks_for(tmp_path: Path):
    book = Workbook()
    assert book.active is not None
    book.active.append(["随便", "什么"])
    book.save(tmp_path / "t.xlsx")
    found = problems(tmp_path / "t.xlsx")
    assert [p.split(": error: ")[1].split(":")[0] for p in found] == [
        "no 项目名称 found", "no indicator block found"]


def test_a_formula_without_a_saved_value_is_located(tmp_path: Path):
    path = xlsx(tmp_path / "t.xlsx", GOOD)
    book = load_workbook(path)
    book["自评表"]["G4"] = "=F4"  # openpyxl writes the formula and no value
    book.save(path)
    found = problems(path)
    assert found == ["t.xlsx: sheet 自评表: cell G4: error: a formula without a saved value: "
                     "evalcore never calculates formulas; open the file in Excel (or LibreOffice) "
                     "and save it, or type the value"]


def test_the_cli_prints_the_located_problems_and_exits_2(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]):
    path = xlsx(tmp_path / "t.xlsx", [["产出指标", "数量指林", "a", "≥1次", "1次", 90, 90], GOOD[1]])
    for command in ("evaluate", "import", "validate"):
        assert main([command, str(path)]) == 2
        err = capsys.readouterr().err
        assert "sheet 自评表: cell B4: error: unknown category '数量指林'" in err
        assert "Traceback" not in err


def test_a_word_table_problem_is_located_by_table_row_and_column(tmp_path: Path):
    document = Document()
    table = document.add_table(rows=0, cols=8)
    for values in [["项目名称", "测试项目"], HEADER,
                   ["产出指标", "数量指标", "a", "≥1次", "1次", "90", "90"],
                   ["满意度指标", "满意度", "b", "≥90%", "93%", "十", "10"],
                   ["总分", "", "", "", "", "100"]]:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=False):
            cell.text = value
    document.save(tmp_path / "t.docx")
    assert problems(tmp_path / "t.docx")[0] == \
        "t.docx: table 1: row 4: column 6: error: points: '十' is not a number"


def test_a_word_file_without_a_table_is_refused(tmp_path: Path):
    document = Document()
    document.add_paragraph("项目名称：测试项目")
    document.save(tmp_path / "t.docx")
    assert problems(tmp_path / "t.docx") == [
        "t.docx: error: the document has no table: a 自评表 is read from a Word table"]


@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
def test_a_file_that_is_not_a_zip_archive_is_refused(tmp_path: Path, suffix: str):
    path = tmp_path / f"t{suffix}"
    path.write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert "the file is not a zip archive (is it an old .xls/.doc file?" in problems(path)[0]


def test_a_broken_archive_is_a_problem_not_a_traceback(tmp_path: Path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<not xml")
    (tmp_path / "t.xlsx").write_bytes(buffer.getvalue())
    assert problems(tmp_path / "t.xlsx")[0].startswith(
        "t.xlsx: error: not a readable Excel workbook: ")


def test_an_archive_that_unpacks_to_too_much_is_refused(tmp_path: Path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/big.xml", b"0" * 2_000_000)  # a few kilobytes packed
    path = tmp_path / "t.xlsx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(evalcore.LoadError, match="unpacks to 2,000,000 bytes, more than 16 times"):
        evalcore.load_project(path, max_file_size=100_000)


def test_the_file_size_limit_holds_for_tables(tmp_path: Path):
    path = xlsx(tmp_path / "t.xlsx", GOOD)
    with pytest.raises(evalcore.LoadError, match="larger than the limit of 1,000 bytes"):
        evalcore.load_project(path, max_file_size=1000)


def test_a_sheet_longer_than_any_table_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(xlsx_import, "MAX_ROWS", 40)  # the limit's logic, on a short sheet
    path = xlsx(tmp_path / "t.xlsx", [*GOOD, *([["", "", "x"]] * 40)])
    assert problems(path) == ["t.xlsx: sheet 自评表: error: the sheet has more than 40 "
                              "rows; a 自评表 is not that long"]
    assert xlsx_import.MAX_ROWS == 40 < MAX_ROWS == 2000


def test_a_sheet_of_the_longest_length_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(xlsx_import, "MAX_ROWS", 40)
    path = xlsx(tmp_path / "t.xlsx", [*GOOD, *([[None]] * 34)])  # 40 rows with the 总分 line
    assert evalcore.evaluate(evalcore.load_project(path)).total == 100


def test_word_tables_longer_than_any_table_are_refused(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(docx_import, "MAX_ROWS", 3)
    document = Document()
    table = document.add_table(rows=4, cols=2)
    table.rows[0].cells[0].text = "项目名称"
    document.save(tmp_path / "t.docx")
    assert problems(tmp_path / "t.docx") == [
        "t.docx: error: the tables have more than 3 rows; a 自评表 is not that long"]


@pytest.mark.parametrize(("suffix", "module", "extra"), [
    (".xlsx", "openpyxl", "pip install 'evalcore-jixiao[excel]'"),
    (".docx", "docx", "pip install 'evalcore-jixiao[word]'"),
])
def test_a_missing_package_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           suffix: str, module: str, extra: str):
    path = tmp_path / f"t{suffix}"
    path.write_bytes(b"PK")
    monkeypatch.setitem(sys.modules, module, None)  # import fails as if it were not installed
    with pytest.raises(evalcore.LoadError) as caught:
        evalcore.load_project(path)
    assert str(caught.value).endswith(extra)
    assert "pip install evalcore" not in str(caught.value)
