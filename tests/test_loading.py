"""Tests for evalcore.loading: load_text / load_file errors and the line locator behind Document.origin."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evalcore.errors import LoadError, Origin
from evalcore.loading import Document, load_file, load_text


def load_error(text: str, file: str = "p.toml") -> LoadError:
    with pytest.raises(LoadError) as info:
        load_text(text, file)
    return info.value


def lines_of(text: str) -> dict:
    return dict(load_text(text, "p.toml").lines)


def line(text: str, *path: str | int) -> int | None:
    return load_text(text, "p.toml").origin(*path).line


# ====================================================================== malformed TOML


@pytest.mark.parametrize(("text", "bad_line"), [
    ("a = \n", 1),
    ("[project]\nname = \"x\"\nyear = 20 21\n", 3),
    ("[project]\nname = \"unterminated\n", 2),
    ("a = 1\na = 2\n", 2),  # duplicate key
    ("[project]\nname = 1\n\n\n[project]\n", 5),  # duplicate table
    ("[[indicator]]\nid = \"a\"\n[[indicator]]\nid = \"b\"\ntarget = ≥400\n", 5),
    ("x = 1\ny = [1, 2\nz = 3\n", 3),
    ("a = 1\r\nb = 2\r\nc = @\r\n", 3),
])
def test_malformed_toml_is_a_load_error_with_its_line(text, bad_line):
    error = load_error(text)
    assert len(error.problems) == 1
    problem = error.problems[0]
    assert problem.message.startswith("not valid TOML: ")
    assert problem.origin == Origin("p.toml", (), bad_line)
    assert problem.severity == "error"
    assert f"p.toml:{bad_line}: error: not valid TOML" in str(error)


@given(before=st.integers(0, 30), after=st.integers(0, 10))
def test_malformed_line_is_found_wherever_it_is(before, after):
    good = [f"k{i} = {i}" for i in range(before)]
    tail = [f"t{i} = {i}" for i in range(after)]
    error = load_error("\n".join([*good, "broken = @", *tail]) + "\n")
    assert error.problems[0].origin.line == before + 1


def test_malformed_toml_message_keeps_the_parser_reason():
    error = load_error("a = 1\na = 2\n")
    assert "Cannot overwrite a value" in error.problems[0].message


# ====================================================================== files


def test_load_file_reads_utf8(tmp_path: Path):
    path = tmp_path / "project.toml"
    path.write_text('[project]\nname = "质量强市"\n', encoding="utf-8")
    doc = load_file(path)
    assert isinstance(doc, Document)
    assert doc.data == {"project": {"name": "质量强市"}}
    assert doc.file == str(path)
    assert doc.origin("project", "name") == Origin(str(path), ("project", "name"), 2)


def test_load_file_accepts_a_str_path(tmp_path: Path):
    path = tmp_path / "p.toml"
    path.write_text("a = 1\n", encoding="utf-8")
    assert load_file(str(path)).data == {"a": 1}


def test_load_file_accepts_a_utf8_bom(tmp_path: Path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + '[project]\nname = "项目"\n'.encode())
    doc = load_file(path)
    assert doc.data == {"project": {"name": "项目"}}
    assert doc.origin("project").line == 1
    assert doc.origin("project", "name").line == 2


def test_load_file_accepts_crlf_line_endings(tmp_path: Path):
    path = tmp_path / "crlf.toml"
    path.write_bytes(b"[project]\r\nname = 1\r\n\r\n[[indicator]]\r\nid = 2\r\n")
    doc = load_file(path)
    assert doc.origin("project", "name").line == 2
    assert doc.origin("indicator", 0, "id").line == 5


def test_missing_file_is_a_load_error(tmp_path: Path):
    path = tmp_path / "nope.toml"
    with pytest.raises(LoadError) as info:
        load_file(path)
    (problem,) = info.value.problems
    assert problem.message == "no such file"
    assert problem.origin.file == str(path)
    assert str(path) in str(info.value)


def test_directory_is_a_load_error(tmp_path: Path):
    with pytest.raises(LoadError) as info:
        load_file(tmp_path)
    (problem,) = info.value.problems
    assert "is a directory" in problem.message
    assert problem.origin.file == str(tmp_path)


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file_is_a_load_error(tmp_path: Path):
    path = tmp_path / "secret.toml"
    path.write_text("a = 1\n", encoding="utf-8")
    path.chmod(0)
    try:
        with pytest.raises(LoadError, match="cannot read"):
            load_file(path)
    finally:
        path.chmod(0o600)


def test_gbk_file_is_a_load_error_naming_the_byte(tmp_path: Path):
    path = tmp_path / "gbk.toml"
    path.write_bytes(b'name = "' + "项目".encode("gbk") + b'"\n')
    with pytest.raises(LoadError) as info:
        load_file(path)
    (problem,) = info.value.problems
    assert "not UTF-8" in problem.message
    assert "byte 8" in problem.message
    assert "save the file as UTF-8" in problem.message
    assert problem.origin.file == str(path)


def test_invalid_toml_in_a_file_names_file_and_line(tmp_path: Path):
    path = tmp_path / "bad.toml"
    path.write_text("[project]\nname = \n", encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_file(path)
    assert info.value.problems[0].origin == Origin(str(path), (), 2)


# ====================================================================== the line locator


PROJECT = """\
# a comment on line 1
[project]
name = "测试"
year = 2021

[settings]
decimals = 2
"rounding.mode" = "half-up"

[budget]
unit = "万元"
  planned   =   500

[budget.source]
name = "当年财政拨款"

[[indicator]]
id = "q1"
target = "≥400批次"

[[indicator]]
id = "q2"
rule.type = "ratio"
rule.cap = 1

[[indicator]]
id = "q3"  # a trailing comment
target = { value = 400, unit = "批次" }
'quoted' = 1
reason = \"\"\"
第一行 a = b
[not.a.table]
[[not.an.array]]
\"\"\"
actual = "441批次"
notes = '''
x = 1
'''
points = 5

[indicator.rule]
type = "bands"
"""


@pytest.mark.parametrize(("path", "expected"), [
    (("project",), 2),
    (("project", "name"), 3),
    (("project", "year"), 4),
    (("settings",), 6),
    (("settings", "decimals"), 7),
    (("settings", "rounding.mode"), 8),
    (("budget", "unit"), 11),
    (("budget", "planned"), 12),
    (("budget", "source"), 14),
    (("budget", "source", "name"), 15),
    (("indicator", 0), 17),
    (("indicator", 0, "id"), 18),
    (("indicator", 0, "target"), 19),
    (("indicator", 1), 21),
    (("indicator", 1, "rule", "type"), 23),
    (("indicator", 1, "rule", "cap"), 24),
    (("indicator", 2), 26),
    (("indicator", 2, "id"), 27),
    (("indicator", 2, "target"), 28),
    (("indicator", 2, "quoted"), 29),
    (("indicator", 2, "reason"), 30),
    (("indicator", 2, "actual"), 35),
    (("indicator", 2, "notes"), 36),
    (("indicator", 2, "points"), 39),
    (("indicator", 2, "rule"), 41),
    (("indicator", 2, "rule", "type"), 42),
])
def test_locator_finds_the_line_of_every_key(path, expected):
    doc = load_text(PROJECT, "project.toml")
    assert doc.lines[path] == expected
    assert doc.origin(*path) == Origin("project.toml", path, expected)


def test_project_fixture_parses_to_the_expected_data():
    data = load_text(PROJECT).data
    assert data["indicator"][2]["reason"] == "第一行 a = b\n[not.a.table]\n[[not.an.array]]\n"
    assert data["indicator"][1]["rule"] == {"type": "ratio", "cap": 1}
    assert data["settings"]["rounding.mode"] == "half-up"
    assert len(data["indicator"]) == 3


def test_locator_ignores_keys_and_headers_inside_multiline_strings():
    lines = lines_of(PROJECT)
    assert ("indicator", 2, "第一行 a") not in lines
    assert ("not", "a", "table") not in lines
    assert not any(path[:1] == ("not",) for path in lines)
    assert ("indicator", 2, "x") not in lines
    assert ("indicator", 3) not in lines


def test_locator_multiline_string_closing_on_a_content_line():
    text = 'a = """first\nb = 2\nlast"""\nc = 3\n'
    assert lines_of(text) == {("a",): 1, ("c",): 4}


def test_locator_single_line_triple_quoted_string_does_not_open_a_block():
    text = 'a = """one line"""\nb = 2\nc = \'\'\'lit\'\'\'\nd = 4\n'
    assert lines_of(text) == {("a",): 1, ("b",): 2, ("c",): 3, ("d",): 4}


def test_locator_inline_table_keys_fall_back_to_the_key_line():
    doc = load_text(PROJECT, "project.toml")
    assert ("indicator", 2, "target", "unit") not in doc.lines
    assert doc.origin("indicator", 2, "target", "unit") == Origin(
        "project.toml", ("indicator", 2, "target", "unit"), 28)


def test_origin_falls_back_to_the_nearest_enclosing_key():
    doc = load_text(PROJECT, "project.toml")
    assert doc.origin("indicator", 0, "points").line == 17  # no such key: its table's header
    assert doc.origin("project", "department").line == 2
    assert doc.origin("budget", "source", "name", "extra").line == 15


def test_origin_without_any_enclosing_line_has_no_line():
    doc = load_text(PROJECT, "project.toml")
    assert doc.origin("nowhere") == Origin("project.toml", ("nowhere",), None)
    assert doc.origin("indicator", 7, "id").line is None  # indicator[7] does not exist
    assert doc.origin() == Origin("project.toml", (), None)


def test_origin_str_shows_file_line_and_path():
    doc = load_text(PROJECT, "project.toml")
    assert str(doc.origin("indicator", 2, "target")) == "project.toml:28: indicator[2].target"


def test_locator_dotted_and_quoted_keys():
    text = 'a.b = 1\n"q.k" = 2\n\'lit\' = 3\nx . y . z = 4\n"a=b" = 5\n"项目 名称" = 6\nsnake_case-key = 7\n'
    assert lines_of(text) == {
        ("a", "b"): 1, ("q.k",): 2, ("lit",): 3, ("x", "y", "z"): 4, ("a=b",): 5, ("项目 名称",): 6,
        ("snake_case-key",): 7,
    }


def test_locator_nested_table_headers():
    text = '[a]\nx = 1\n[a.b]\ny = 2\n[ a . "c.d" ]  # comment\nz = 3\n[e.f.g]\nw = 4\n'
    assert lines_of(text) == {
        ("a",): 1, ("a", "x"): 2, ("a", "b"): 3, ("a", "b", "y"): 4, ("a", "c.d"): 5, ("a", "c.d", "z"): 6,
        ("e", "f", "g"): 7, ("e", "f", "g", "w"): 8,
    }


def test_locator_subtable_of_an_array_of_tables_gets_the_current_index():
    text = '[[indicator]]\nid = "a"\n[indicator.rule]\ntype = "x"\n[[indicator]]\nid = "b"\n' \
           '[indicator.rule]\ntype = "y"\n'
    assert lines_of(text) == {
        ("indicator", 0): 1, ("indicator", 0, "id"): 2, ("indicator", 0, "rule"): 3,
        ("indicator", 0, "rule", "type"): 4, ("indicator", 1): 5, ("indicator", 1, "id"): 6,
        ("indicator", 1, "rule"): 7, ("indicator", 1, "rule", "type"): 8,
    }


def test_locator_table_after_arrays_resets_the_current_table():
    text = '[[indicator]]\nid = "a"\n[project]\nname = "p"\n[[indicator]]\nid = "b"\n'
    assert lines_of(text) == {
        ("indicator", 0): 1, ("indicator", 0, "id"): 2, ("project",): 3, ("project", "name"): 4,
        ("indicator", 1): 5, ("indicator", 1, "id"): 6,
    }


def test_locator_array_of_tables_under_a_table():
    text = '[budget]\nplanned = 1\n[[budget.source]]\nname = "a"\n[[budget.source]]\nname = "b"\n'
    assert lines_of(text) == {
        ("budget",): 1, ("budget", "planned"): 2, ("budget", "source", 0): 3,
        ("budget", "source", 0, "name"): 4, ("budget", "source", 1): 5, ("budget", "source", 1, "name"): 6,
    }


def test_locator_first_line_wins_for_a_key():
    # A key is recorded once; arrays of inline tables and comments add nothing.
    text = 'items = [\n  { name = "a" },\n  { name = "b" },\n]\n# name = "comment"\nafter = 1\n'
    assert lines_of(text) == {("items",): 1, ("after",): 6}


def test_locator_nested_array_of_tables_restarts_per_parent():
    text = '[[indicator]]\nid = "a"\n[[indicator.item]]\nn = 1\n[[indicator]]\nid = "b"\n' \
           '[[indicator.item]]\nn = 2\n'
    doc = load_text(text)
    assert doc.data["indicator"][1]["item"][0] == {"n": 2}
    assert doc.lines.get(("indicator", 1, "item", 0, "n")) == 8


def test_locator_not_confused_by_a_multiline_array_of_arrays():
    text = '[[indicator]]\nbands = [\n  [90, 10],\n  [80, 8]\n]\ntarget = "≥90%"\n'
    assert load_text(text).data["indicator"][0]["target"] == "≥90%"
    assert line(text, "indicator", 0, "target") == 6


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_locator_counts_only_newlines_as_line_breaks(separator):
    text = f'name = "a{separator}b"\nx = 1\n'
    assert load_text(text).data["name"] == f"a{separator}b"
    assert line(text, "x") == 2


def test_locator_ignores_triple_quotes_in_comments():
    text = '[project]\nname = "x"  # 多行文本用 """ 包围\n[[indicator]]\nid = "a"\n'
    assert load_text(text).data["indicator"][0]["id"] == "a"
    assert line(text, "indicator", 0, "id") == 4


def test_load_text_default_file_name():
    doc = load_text("a = 1\n")
    assert doc.file == "<string>"
    assert str(doc.origin("a")) == "<string>:1: a"


def test_document_equality_ignores_the_line_map():
    a = load_text("a = 1\n", "f.toml")
    b = load_text("\n\na = 1\n", "f.toml")
    assert a == b
    assert a.lines != b.lines


# ====================================================================== property: generated documents


KEYS = ["id", "name", "category", "target", "actual", "points", "reason", "rule.type", '"quoted.key"']
VALUE = st.one_of(
    st.integers(-1000, 1000).map(str),
    st.sampled_from(['"≥400批次"', '"a = b"', '"[x]"', "'lit = 1'", "true", "1.5", "[1, 2]",
                     '{ value = 1, unit = "个" }', '"""one line"""']),
)
MULTILINE_BODY = st.lists(
    st.sampled_from(["x = 1", "[fake]", "[[fake]]", "key = \"v\"", "", "  y.z = 2", "文字 = 字"]),
    min_size=1, max_size=3,
)


@st.composite
def documents(draw):
    """A document of N [[indicator]] tables, and the expected line of each (i, key)."""
    out: list[str] = ["[project]", 'name = "p"']
    expected: dict[tuple[int, str], int] = {}
    n = draw(st.integers(1, 6))
    for i in range(n):
        out += [""] * draw(st.integers(0, 2))
        if draw(st.booleans()):
            out.append("# comment = 1")
        out.append("[[indicator]]")
        expected[(i, "")] = len(out)
        keys = draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=5, unique=True))
        for key in keys:
            indent = draw(st.sampled_from(["", "  "]))
            spaces = draw(st.sampled_from(["", " ", "   "]))
            if draw(st.integers(0, 4)) == 0:  # a multi-line string whose lines look like keys
                quote = draw(st.sampled_from(['"""', "'''"]))
                body = draw(MULTILINE_BODY)
                out.append(f"{indent}{key}{spaces}= {quote}")
                expected[(i, key)] = len(out)
                out += body
                out.append(quote)
            else:
                out.append(f"{indent}{key}{spaces}= {draw(VALUE)}")
                expected[(i, key)] = len(out)
    return "\n".join(out) + "\n", n, expected


def key_path(key: str) -> tuple[str, ...]:
    return ("quoted.key",) if key == '"quoted.key"' else tuple(key.split("."))


@given(documents())
def test_every_generated_indicator_key_maps_to_its_line(generated):
    text, n, expected = generated
    doc = load_text(text, "gen.toml")
    assert len(doc.data["indicator"]) == n
    source = text.splitlines()
    for (i, key), number in expected.items():
        path = ("indicator", i, *key_path(key)) if key else ("indicator", i)
        assert doc.lines[path] == number, (path, source[number - 1])
        assert doc.origin(*path) == Origin("gen.toml", path, number)
    for path in doc.lines:  # nothing inside a multi-line string is taken for a key or a header
        assert path[0] in ("project", "indicator"), path
        if path[0] == "indicator":
            assert (path[1], "") in expected
            assert len(path) == 2 or any(path[2:] == key_path(k) for (i, k) in expected if i == path[1] and k)


def test_locator_is_not_confused_by_escaped_quotes_or_brackets_in_strings():
    text = '[project]\nname = "t \\"[x\\" y"\n[[indicator]]\nid = "a"  # a "#" comment [\ncategory = "q"\n'
    doc = load_text(text)
    assert doc.data["project"]["name"] == 't "[x" y'
    assert doc.origin("indicator", 0, "category").line == 5
    text = 'doc = """a \\""" still inside\n[[indicator]]\n"""\n[[indicator]]\nid = "b"\n'
    doc = load_text(text)
    assert doc.data["indicator"] == [{"id": "b"}]
    assert doc.origin("indicator", 0, "id").line == 5
