"""The one reader of TOML input: a value of the kind asked for, or a located problem."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from evalcore.errors import Origin
from evalcore.loading import load_text
from evalcore.reader import Reader, kind


def reader(text: str) -> Reader:
    return Reader.of(load_text(text, "f.toml"))


def only(r: Reader) -> tuple[str, tuple[str | int, ...], int | None, str | None]:
    (problem,) = r.problems
    return problem.message, problem.origin.path, problem.origin.line, problem.hint


def test_a_problem_is_recorded_once_in_the_order_found():
    r = reader("")
    for message in ["b", "a", "b", "c", "a"]:
        r.bad(message, "x")
    assert [p.message for p in r.problems] == ["b", "a", "c"]


def test_an_unknown_key_is_located_with_a_suggestion_or_the_allowed_keys():
    r = reader('[t]\nnmae = 1\nzzz = 2\n')
    r.keys(r.table(r.data, "t"), {"name", "value"}, "t")
    first, second = r.problems
    assert (first.message, first.origin.path, first.origin.line, first.hint) == (
        "unknown key 'nmae'", ("t", "nmae"), 2, "did you mean 'name'?")
    assert (second.message, second.hint) == ("unknown key 'zzz'", "allowed: name, value")


def test_an_unknown_key_at_the_top_of_a_document_says_so_and_what_names_the_key():
    r = reader("nmae = 1\n")
    r.keys(r.data, {"name"})
    assert only(r)[0] == "unknown key 'nmae' at the top level"
    inner = Reader.at({"decimalz": 1}, Origin("p.toml", ("settings",)))
    inner.keys(inner.data, {"decimals"}, what="profile setting")
    assert only(inner)[:2] == ("unknown profile setting 'decimalz'", ("settings", "decimalz"))


@pytest.mark.parametrize(("text", "expected", "message"), [
    ('k = "x"', "x", None),
    ("k = 3", "", "k must be text, not int 3"),
    ("", "", None),
])
def test_text(text, expected, message):
    r = reader(text)
    assert r.text(r.data, "k") == expected
    assert [p.message for p in r.problems] == ([message] if message else [])


@pytest.mark.parametrize(("text", "message"), [("", "k is missing"), ('k = " "', "k is empty")])
def test_required_text(text, message):
    r = reader(text)
    r.text(r.data, "k", required=True)
    assert only(r)[0] == message


@pytest.mark.parametrize(("text", "expected", "message"), [
    ("k = 1.5", Decimal("1.5"), None),
    ('k = "2"', Decimal(2), None),
    ("k = -1", None, "k cannot be negative (-1)"),
    ('k = ""', None, "k is empty; leave the key out if there is no value"),
    ("k = [1]", None, "k: "),
])
def test_number(text, expected, message):
    r = reader(text)
    assert r.number(r.data, "k") == expected
    assert [p.message[:len(message)] for p in r.problems] == ([message] if message else [])


def test_a_negative_number_where_one_is_allowed():
    r = reader("k = -1")
    assert r.number(r.data, "k", negative=True) == Decimal(-1) and r.problems == []


@pytest.mark.parametrize(("text", "low", "high", "expected", "message"), [
    ("k = 3", 0, 6, 3, None),
    ("k = 7", 0, 6, 2, "k must be a whole number from 0 to 6"),
    ("k = true", None, None, 2, "k must be a whole number, not a boolean"),
    ("", None, None, 2, None),
])
def test_integer(text, low, high, expected, message):
    r = reader(text)
    assert r.integer(r.data, "k", default=2, low=low, high=high) == expected
    assert [p.message for p in r.problems] == ([message] if message else [])


def test_flag_texts_and_value():
    r = reader('f = 1\nt = ["a", 2]\nv = 2021-12-31\nw = [1]\n')
    assert r.flag(r.data, "f", default=True) is True
    assert r.texts(r.data, "t") == ()
    assert r.value(r.data, "v") == dt.date(2021, 12, 31)
    assert r.value(r.data, "w") is None
    assert [p.message for p in r.problems] == [
        "f must be true or false, not int 1", "t must be an array of texts",
        "w must be text, a number or a date, not an array"]


def test_an_array_of_tables_gives_each_table_with_its_index():
    r = reader('[[row]]\na = 1\n[[row]]\nb = 2\n')
    assert [i for i, _ in r.tables(r.data, "row")] == [0, 1] and r.problems == []


def test_an_array_of_tables_reports_what_is_not_one():
    r = reader('row = [1, {a = 1}]\n[budget]\nsource = 3\n')
    assert [i for i, _ in r.tables(r.data, "row")] == [1]
    assert r.tables(r.table(r.data, "budget"), "source", "budget", each="budget source") == []
    assert [(p.message, p.origin.path) for p in r.problems] == [
        ("each row must be a table", ("row", 0)),
        ("budget.source must be an array of tables: write [[budget.source]]", ("budget", "source"))]


def test_one_table_may_stand_for_an_array_of_one():
    r = reader("x = 3\n[profile]\nname = 'p'\n")
    assert r.tables(r.data, "profile", single=True) == [(0, {"name": "p"})]
    assert r.tables(r.data, "x", single=True) == []
    assert only(r)[0] == "x must be a table or an array of tables"


@pytest.mark.parametrize(("value", "text"), [
    (True, "a boolean"), ({}, "a table"), ([], "an array"), ("x", "the text 'x'"), (3, "int 3"),
])
def test_kind_says_what_a_value_is(value, text):
    assert kind(value) == text


# -- every TOML input reads through it -------------------------------------------------------------


def test_a_stray_key_is_worded_alike_in_a_project_a_definitions_file_and_a_golden_case(tmp_path):
    import evalcore
    from evalcore.definitions import load_definitions
    from evalcore.golden import load_cases

    project = tmp_path / "p.toml"
    project.write_text('[project]\nname = "p"\nnmae = 1\n', encoding="utf-8")
    definitions = tmp_path / "d.toml"
    definitions.write_text('[[group]]\nname = "g"\nzh = "组"\nnmae = 1\n', encoding="utf-8")
    cases = tmp_path / "c.toml"
    cases.write_text('[[case]]\nname = "c"\nnmae = 1\nproject = "p.toml"\n[case.expect]\ntotal = 1\n',
                     encoding="utf-8")
    found = []
    for load, error in [(evalcore.load_project, evalcore.ValidationError),
                        (load_definitions, evalcore.PluginError),
                        (load_cases, evalcore.ValidationError)]:
        path = {evalcore.load_project: project, load_definitions: definitions}.get(load, cases)
        with pytest.raises(error) as info:
            load(path)
        found.append(next((p.message, p.hint) for p in info.value.problems if "nmae" in p.message))
    assert found == [("unknown key 'nmae'", "did you mean 'name'?")] * 3


def test_a_profile_is_read_through_the_reader_with_its_problems_located():
    from evalcore.profile import read_profile

    table = {"name": "p", "aggregation": "sum", "decimals": 9, "decimalz": 1,
             "grades": [{"name": "优", "min": 90}, {"name": "差", "min": 0}],
             "budget": {"unit": 5}}
    profile, problems = read_profile(table, Origin("s.toml", ("settings",)))
    assert profile.decimals == 2 and profile.budget_unit == ""
    assert [(p.message, p.origin.path) for p in problems] == [
        ("unknown profile setting 'decimalz'", ("settings", "decimalz")),
        ("decimals must be a whole number from 0 to 6", ("settings", "decimals")),
        ("unit must be text, not int 5", ("settings", "budget", "unit"))]
    assert profile.settings == table  # a scheme's [settings] merge onto what it was read from


def test_a_profile_source_is_resolved_onto_the_chain_it_extends():
    from evalcore.profile import ProfileSource, resolve_profile

    base = ProfileSource("base", {"aggregation": "sum", "decimals": 1, "default": True,
                                  "grades": [{"name": "优", "min": 90}, {"name": "差", "min": 0}]})
    child = ProfileSource("child", {"extends": "base", "title": "t"})
    grandchild = ProfileSource("grandchild", {"extends": "child", "decimals": 0})
    known = {s.name: s for s in (base, child, grandchild)}
    profile, problems = resolve_profile(grandchild, known)
    assert problems == []
    assert (profile.name, profile.extends, profile.title, profile.decimals, profile.default) == (
        "grandchild", "child", "t", 0, False)  # being the default is not inherited


@pytest.mark.parametrize(("sources", "message"), [
    ({"a": {"extends": "b"}, "b": {"extends": "a"}}, "profile 'a' extends itself through a → b → a"),
    ({"a": {"extends": "nope"}}, "profile 'a' extends the unknown profile 'nope'"),
    ({"a": {"extends": 3}}, "extends must be the name of a profile, not 3"),
])
def test_a_broken_extends_chain_is_a_plugin_error(sources, message):
    import evalcore
    from evalcore.profile import ProfileSource, resolve_profile

    known = {name: ProfileSource(name, table) for name, table in sources.items()}
    with pytest.raises(evalcore.PluginError) as info:
        resolve_profile(known["a"], known)
    assert info.value.problems[0].message == message
