"""The CSV starts with a byte-order mark, so that Excel in a Chinese locale opens it as UTF-8.

Without the mark Excel reads a UTF-8 file in the locale's code page (GBK) and every Chinese
cell is mojibake. ``--no-bom`` (``options={"bom": False}``) leaves it out for programs that
do not expect one; nothing else of the file changes.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from conftest import EXAMPLES
from hypothesis import given
from hypothesis import strategies as st

import evalcore
from evalcore.cli import main
from evalcore.testing import projects, schemes

GANZHOU = EXAMPLES / "ganzhou-2021" / "project.toml"
BOM = "\ufeff"
UTF8_BOM = b"\xef\xbb\xbf"


def ganzhou() -> evalcore.Evaluation:
    return evalcore.evaluate(evalcore.load_project(GANZHOU))


def test_the_csv_starts_with_one_byte_order_mark_by_default():
    out = evalcore.render(ganzhou(), "csv")
    assert isinstance(out, str)
    assert out.startswith(BOM + "编号,一级指标,") and out.count(BOM) == 1
    assert out.encode("utf-8").startswith(UTF8_BOM)


def test_the_bom_option_leaves_the_mark_out_and_changes_nothing_else():
    result = ganzhou()
    with_mark = evalcore.render(result, "csv")
    without = evalcore.render(result, "csv", options={"bom": False})
    assert isinstance(with_mark, str) and isinstance(without, str)
    assert not without.startswith(BOM) and without.startswith("编号,")
    assert with_mark == BOM + without
    assert evalcore.render(result, "csv", options={"bom": True}) == with_mark


def test_excel_reading_utf8_sig_sees_the_same_cells_as_a_plain_utf8_reader():
    result = ganzhou()
    data = str(evalcore.render(result, "csv")).encode("utf-8")
    excel = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    plain = list(csv.reader(io.StringIO(str(evalcore.render(result, "csv", options={"bom": False})))))
    assert excel == plain and excel[0][0] == "编号" and excel[-1][0] == "total"


@given(st.data())
def test_every_evaluation_renders_as_the_mark_and_then_the_unmarked_csv(data):
    scheme = data.draw(schemes())
    result = evalcore.evaluate(data.draw(projects(scheme)))
    without = evalcore.render(result, "csv", options={"bom": False})
    assert isinstance(without, str) and not without.startswith(BOM)
    assert evalcore.render(result, "csv") == BOM + without


def test_the_bom_option_must_be_true_or_false():
    try:
        evalcore.render(ganzhou(), "csv", options={"bom": "no"})
    except evalcore.EvalcoreError as exc:
        assert "bom" in str(exc)
    else:
        raise AssertionError("a bom option that is not a boolean was accepted")


def test_the_cli_writes_the_mark_into_a_csv_file_and_no_bom_leaves_it_out(tmp_path: Path, capsys):
    marked, plain = tmp_path / "marked.csv", tmp_path / "plain.csv"
    assert main(["evaluate", str(GANZHOU), "-f", "csv", "-o", str(marked)]) == 0
    assert main(["evaluate", str(GANZHOU), "-f", "csv", "--no-bom", "-o", str(plain)]) == 0
    assert marked.read_bytes().startswith(UTF8_BOM + "编号,".encode())
    assert plain.read_bytes().startswith("编号,".encode())
    assert marked.read_bytes() == UTF8_BOM + plain.read_bytes()
    assert main(["evaluate", str(GANZHOU), "-f", "csv", "--no-bom"]) == 0
    assert capsys.readouterr().out.startswith("编号,")


def test_no_bom_is_the_csv_formats_option_and_an_error_for_another_format(capsys):
    assert main(["evaluate", str(GANZHOU), "-f", "markdown", "--no-bom"]) == 2
    err = capsys.readouterr().err
    assert "the markdown format has no parameter 'bom'" in err and "Traceback" not in err
