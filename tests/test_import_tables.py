"""Excel and Word 自评表 tables are read by their labels, whatever their layout, and score as the
TOML file they import to does.

The fixtures under tests/fixtures/tables/ (written by make_tables.py there) hold one project in
five layouts; its expected evaluation is worked out by hand below. A round-trip property ties
the reader to the xlsx format evalcore writes itself.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import evalcore
from evalcore.cli import main
from evalcore.tables import clean_label, table_number
from evalcore.testing import amounts, projects, schemes

TABLES = Path(__file__).parent / "fixtures" / "tables"
NAME = "示例县2023年度农村饮水安全巩固提升工程补助资金"

# By hand: budget 10 × 196.4/200 = 9.82; 新建供水管网长度 10 × 114/120 = 9.50; 水质达标率
# 10 × 85/90 = 9.444… → 9.44; every other row met. 9.82 + 50 - 0.50 - 0.56 + 30 + 10 = 98.76.
SCORES = [Decimal(x) for x in ("10", "9.50", "9.44", "10", "5", "5", "15", "15", "10")]
CATEGORIES = ["quantity", "quantity", "quality", "quality", "timeliness", "cost", "social",
              "sustainability", "satisfaction"]
TOTAL = Decimal("98.76")
# What each layout publishes differently from the computed scores: (row or "budget" or
# "total", published).
DIFFERS: dict[str, set[tuple[str, str]]] = {
    "county.xlsx": set(),
    "reordered.xlsx": set(),
    "county.docx": set(),
    # Printed at whole numbers (9.5 as 10, 9.44 as 9, 9.82 as 10, the total 99 as the sum of
    # the whole rows) and at one decimal: each is compared at its own precision, so they agree.
    "whole.xlsx": set(),
    "text-numbers.xlsx": set(),
}
SOURCES = {"county.xlsx": 2, "reordered.xlsx": 2, "county.docx": 2, "whole.xlsx": 0,
           "text-numbers.xlsx": 2}
GOAL = {"county.xlsx", "reordered.xlsx", "county.docx"}


def _differs(project: evalcore.Project) -> set[tuple[str, str]]:
    """The published scores that differ from the computed ones, as the findings name them."""
    result = evalcore.evaluate(project)
    found = set()
    for finding in result.findings:
        if finding.code != "published-differs":
            continue
        if finding.indicator is None:
            found.add(("total", str(project.info.published_total)))
        elif finding.indicator == "budget":
            assert project.budget is not None
            found.add(("budget", str(project.budget.published)))
        else:
            row = next(r for r in result.rows if r.id == finding.indicator)
            found.add((row.name, str(project.actuals[row.id].published)))
    return found


@pytest.mark.parametrize("name", sorted(DIFFERS))
def test_every_layout_scores_as_worked_out_by_hand(name: str):
    project = evalcore.load_project(TABLES / name)
    result = evalcore.evaluate(project)
    assert [r.score for r in result.rows] == SCORES
    assert [r.category for r in result.rows] == CATEGORIES
    assert [r.group for r in result.rows][:6] == ["outputs"] * 6
    assert result.budget is not None and result.budget.score == Decimal("9.82")
    assert (result.total, result.grade) == (TOTAL, "优")
    assert project.info.name == NAME
    assert (project.info.department, project.info.implementer, project.info.year) == \
        ("示例县水利局", "示例县农村供水管理站", 2023)
    assert project.budget is not None
    assert (project.budget.initial, project.budget.planned, project.budget.executed,
            project.budget.unit) == (200, 200, Decimal("196.4"), "万元")
    assert len(project.budget.sources) == SOURCES[name]
    assert bool(project.info.goal_expected and project.info.goal_achieved) == (name in GOAL)
    assert project.scheme.indicators[1].points == 10
    assert project.actuals[result.rows[1].id].reason == "部分路段征地延后，顺延至次年。"
    assert _differs(project) == DIFFERS[name]


def test_the_sources_are_read_under_their_names():
    project = evalcore.load_project(TABLES / "text-numbers.xlsx")
    assert project.budget is not None
    assert [(s.name, s.initial, s.planned, s.executed) for s in project.budget.sources] == [
        ("当年财政拨款", 150, 150, 148), ("上年结转资金", 50, 50, Decimal("48.4"))]


def test_a_date_cell_is_a_date_and_text_is_as_written():
    project = evalcore.load_project(TABLES / "county.xlsx")
    completion = project.actuals[evalcore.evaluate(project).rows[4].id]
    assert completion.value == dt.date(2023, 10, 26)
    assert project.scheme.indicators[0].target == "≥95%"


@pytest.mark.parametrize("name", sorted(DIFFERS))
def test_the_imported_toml_scores_as_the_table(name: str, tmp_path: Path):
    text = evalcore.import_table(TABLES / name)
    assert text.startswith(f"# Imported from {name} by evalcore import.")
    path = tmp_path / "project.toml"
    path.write_text(text, encoding="utf-8")
    from_toml = evalcore.evaluate(evalcore.load_project(path))
    from_table = evalcore.evaluate(evalcore.load_project(TABLES / name))
    assert evalcore.render(from_toml, "json") == evalcore.render(from_table, "json")


def test_import_refuses_a_toml_file(tmp_path: Path):
    with pytest.raises(evalcore.LoadError, match=r"reads \.xlsx and \.docx"):
        evalcore.import_table(tmp_path / "p.toml")


def test_the_cli_imports_to_a_file_or_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    out = tmp_path / "p.toml"
    assert main(["import", str(TABLES / "county.docx"), "-o", str(out)]) == 0
    assert 'name = "示例县2023年度农村饮水安全巩固提升工程补助资金"' in out.read_text("utf-8")
    capsys.readouterr()
    assert main(["import", str(TABLES / "whole.xlsx")]) == 0
    assert "published = 99" in capsys.readouterr().out
    assert main(["evaluate", str(out), "-f", "json"]) == 0


@pytest.mark.parametrize("command", [["evaluate"], ["validate"], ["explain", "budget"]])
def test_every_command_reads_a_table(command: list[str], capsys: pytest.CaptureFixture[str]):
    argv = [command[0], str(TABLES / "reordered.xlsx"), *command[1:]]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "9.82" in out or "ok" in out


def _key(e: evalcore.Evaluation) -> object:
    return (e.total, e.grade, None if e.budget is None else (e.budget.score, e.budget.rate),
            [(r.name, r.category, r.group, r.target, r.actual, r.points, r.score, r.status)
             for r in e.rows])


@st.composite
def _projects(draw: st.DrawFn) -> evalcore.Project:
    project = draw(projects(draw(schemes()), missing=True))
    info = evalcore.ProjectInfo("生成的项目", department=draw(st.sampled_from(["", "某局"])),
                                year=draw(st.sampled_from([None, 2023])))
    return evalcore.Project(info, project.scheme, project.budget, project.actuals)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_projects())
def test_a_project_written_as_xlsx_and_imported_again_scores_the_same(project: evalcore.Project):
    before = evalcore.evaluate(project)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "t.xlsx")
        path.write_bytes(evalcore.render(before, "xlsx"))  # type: ignore[arg-type]
        imported = evalcore.load_project(path)
    after = evalcore.evaluate(imported)
    assert _key(after) == _key(before)
    assert imported.info.year == project.info.year
    # Every score is kept as the published one, so the import audits clean.
    assert not [f for f in after.findings if f.code == "published-differs"]
    assert imported.info.published_total == before.total


def test_the_round_trip_check_can_fail(tmp_path: Path):
    """The property compares what matters: a table with one score changed by hand differs."""
    from openpyxl import load_workbook

    project = evalcore.load_project(TABLES / "county.xlsx")
    book = load_workbook(TABLES / "county.xlsx")
    book["自评表"]["F14"] = "100公里"  # 新建供水管网长度 met
    book.save(tmp_path / "t.xlsx")
    changed = evalcore.evaluate(evalcore.load_project(tmp_path / "t.xlsx"))
    assert _key(changed) != _key(evalcore.evaluate(project))


# -- labels and numbers as tables write them ----------------------------------------------------

@pytest.mark.parametrize(("cell", "label"), [
    ("年度指标值", "年度指标值"), ("年度\n指标值", "年度指标值"), (" 三级 指标 ", "三级指标"),
    ("全年预算数（A）", "全年预算数"), ("执行率(B/A)", "执行率"), ("项目名称：", "项目名称"),
    ("项目名称:", "项目名称"), (Decimal(5), ""), (None, ""),
])
def test_a_label_is_compared_without_spaces_notes_or_colon(cell: object, label: str):
    assert clean_label(cell) == label  # type: ignore[arg-type]


@pytest.mark.parametrize(("cell", "number"), [
    ("１０", Decimal(10)), (" 9.5 ", Decimal("9.5")), ("196.4\n", Decimal("196.4")),
    ("5分", Decimal(5)), ("1,000", Decimal(1000)), ("２００万元", Decimal(200)),
    (Decimal("9.82"), Decimal("9.82")), ("9.50", Decimal("9.5")), ("100", Decimal(100)),
    ("0.0", Decimal(0)), ("五十", None), ("", None), ("9.5.1", None),
    ("98.2%", None), (None, None), (dt.date(2023, 1, 1), None),
])
def test_a_number_may_be_stored_as_text(cell: object, number: Decimal | None):
    assert table_number(cell) == number  # type: ignore[arg-type]


FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


@given(amounts(-(10**6), 10**6, 4), st.sampled_from(["", " ", "\n", "　"]),
       st.booleans())
def test_a_number_reads_back_however_it_is_stored(value: Decimal, space: str, full: bool):
    text = format(value, "f")
    if full:
        text = text.translate(FULL_WIDTH)
    assert table_number(f"{space}{text}{space}") == value
    assert table_number(value) == value


@given(st.sampled_from(["一级指标", "二级指标", "三级指标", "年度指标值", "偏差原因分析及改进措施"]),
       st.lists(st.sampled_from([" ", "\n", "　", "\r\n"]), max_size=3), st.data())
def test_a_label_reads_back_with_any_spaces_in_it(label: str, spaces: list[str],
                                                 data: st.DataObject):
    chars = list(label)
    for space in spaces:
        chars.insert(data.draw(st.integers(0, len(chars))), space)
    assert clean_label("".join(chars)) == label
    assert clean_label(unicodedata.normalize("NFKC", label) + "（注）") == label
