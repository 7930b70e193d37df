"""Hardening of the inputs (issue #7): any file from anyone is read at bounded cost, and every
mistake in it is a located, bounded, printable problem, never a traceback or a wrong number.

Each group pins one rule: integers too long to print; NUL bytes in file names; what may be
opened and how much of it is read; collecting and printing many problems; long values and
control characters in messages; points that fit the profile's precision; the caller's decimal
context; empty names; a project naming itself as its scheme; results that do not depend on the
working directory.
"""

from __future__ import annotations

import decimal
import os
import re
import shutil
import sys
import threading
from collections.abc import Callable
from decimal import ROUND_DOWN, Context, Decimal, Inexact, Rounded
from pathlib import Path

import attrs
import pytest
from helpers import line_of, project_toml, run, single, write
from hypothesis import given
from hypothesis import strategies as st

import evalcore
from evalcore import EvalcoreError, LoadError, PluginError, Problem, ValidationError
from evalcore.cli import PROBLEM_LIMIT
from evalcore.definitions import load_definitions
from evalcore.errors import MESSAGE_LIMIT, STR_LIMIT, Origin, quote, shorten
from evalcore.golden import load_cases, run_case
from evalcore.loading import MAX_INT_DIGITS, Document, _locate, load_file, load_text
from evalcore.reader import Reader
from evalcore.safetext import one_line

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*/*.toml"))
PROJECTS = [p for p in EXAMPLES if p.name != "scheme.toml"]
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX files (FIFOs, /dev/zero)")




def problems(call: Callable[[], object], kind: type[EvalcoreError] = EvalcoreError
             ) -> tuple[Problem, ...]:
    with pytest.raises(kind) as info:
        call()
    return info.value.problems


def row_toml(**changes: object) -> str:
    """A one-row inline project (≥1个, actual 1个, 100 points), changed as given."""
    rows = single("≥1个", "1个")
    rows[0].update(changes)
    return project_toml(rows)


# -- 1. integers too long to print ----------------------------------------------------------------


def test_an_integer_of_more_digits_than_python_prints_is_a_load_error_at_its_line(tmp_path):
    long = "9" * 5000
    text = row_toml(points=0).replace("points = 0", f"points = {long}")
    text = text.replace('name = "指标"', f'name = "{long}"')  # the same digits in a string first
    path = write(tmp_path / "p.toml", text)
    (problem,) = problems(lambda: load_file(path), LoadError)
    assert "more than" in problem.message and "digits" in problem.message
    assert problem.origin.file == str(path)
    assert problem.origin.line == line_of(text, "points =")


@pytest.mark.parametrize("literal", ["0x" + "f" * 4000, "0o" + "7" * 5000, "0b" + "1" * 15000])
def test_a_huge_hex_octal_or_binary_integer_is_a_load_error_at_its_key(literal):
    text = row_toml().replace("[project]\n", f"[project]\nyear = {literal}\n")
    (problem,) = problems(lambda: load_text(text, "p.toml"), LoadError)
    assert problem.message == f"a number has more than {MAX_INT_DIGITS} digits"
    assert problem.origin.path == ("project", "year")
    assert problem.origin.line == 2


def test_an_integer_of_many_digits_below_the_bound_is_a_located_validation_error():
    text = row_toml().replace('actual = "1个"', "actual = " + "1" * 4000)
    (problem,) = problems(lambda: _evaluate(text))
    assert problem.origin.path == ("indicator", 0, "actual")
    assert len(problem.message) <= MESSAGE_LIMIT + 40


def _evaluate(text: str, file: str = "project.toml") -> evalcore.Evaluation:
    from evalcore.build import build_project

    registry = evalcore.default_registry()
    return evalcore.evaluate(build_project(load_text(text, file), registry), registry)


@pytest.mark.parametrize("value", [Decimal("1e999999"), Decimal("-1e999999"), Decimal("NaN"),
                                   Decimal("Infinity"), Decimal("1e-999999")])
def test_points_that_no_file_can_give_are_located_problems_when_a_scheme_is_compiled(value):
    scheme = evalcore.Scheme("s", (evalcore.Indicator("a", "a", "quantity", value, "≥1"),),
                             budget_points=Decimal(10), origin=Origin("s.toml"))
    (problem,) = problems(lambda: evalcore.compile(scheme), ValidationError)
    assert problem.origin.path == ("points",)
    assert len(str(problem)) < 200
    budget = attrs.evolve(scheme, indicators=(attrs.evolve(scheme.indicators[0], points=Decimal(90)),),
                          budget_points=value)
    (problem,) = problems(lambda: evalcore.compile(budget), ValidationError)
    assert problem.origin.path == ("budget", "points")


# -- 2. NUL bytes in file names -------------------------------------------------------------------


def test_a_nul_byte_in_project_scheme_is_a_located_load_error(tmp_path):
    path = write(tmp_path / "p.toml", '[project]\nname = "x"\nscheme = "a\\u0000b.toml"\n')
    found = problems(lambda: evalcore.load_project(path), LoadError)
    assert next(p.message for p in found) == "the file name contains a NUL byte"
    assert found[-1].origin.path == ("project", "scheme") and found[-1].origin.line == 3
    assert "\x00" not in str(found[0]) and "\\x00" in str(found[0])


def test_a_nul_byte_in_a_golden_case_project_is_a_failure_not_a_crash(tmp_path, registry):
    path = write(tmp_path / "cases.toml", '[[case]]\nname = "c"\nproject = "a\\u0000b"\n'
                                          '[case.expect]\ntotal = 1\n')
    (case,) = load_cases(path)
    (failure,) = run_case(case, registry)
    assert "NUL byte" in failure


# -- 3. what may be opened, and how much of it is read --------------------------------------------


def test_a_file_larger_than_the_limit_is_refused_naming_the_file_and_the_limit(tmp_path):
    path = write(tmp_path / "p.toml", row_toml())
    size = path.stat().st_size
    assert load_file(path, max_file_size=size).data  # exactly the limit is fine
    (problem,) = problems(lambda: load_file(path, max_file_size=size - 1), LoadError)
    assert problem.origin.file == str(path)
    assert f"limit of {size - 1:,} bytes" in problem.message and f"{size:,} bytes" in problem.message
    assert "--max-file-size" in (problem.hint or "")


def test_the_default_limit_refuses_a_20_mb_file_before_reading_it(tmp_path, capsys):
    path = tmp_path / "big.toml"
    with path.open("wb") as handle:
        handle.truncate(20 * 1024 * 1024)  # sparse: costs no disk
    code, _, err = run(capsys, "validate", path)
    assert code == 2 and "16,777,216 bytes" in err and "Traceback" not in err
    code, _, err = run(capsys, "validate", "--max-file-size", "32M", path)
    assert code == 2 and "not valid TOML" in err  # read this time: NUL bytes


def test_max_file_size_reaches_every_file_a_call_opens(tmp_path, registry):
    scheme = write(tmp_path / "scheme.toml", (ROOT / "examples/shared-scheme/scheme.toml")
                   .read_text(encoding="utf-8"))
    project = write(tmp_path / "p.toml", (ROOT / "examples/shared-scheme/shiqiao.toml")
                    .read_text(encoding="utf-8"))
    small = project.stat().st_size + 1  # the project fits, its scheme does not
    assert scheme.stat().st_size > small
    for call in (lambda: evalcore.load_project(project, max_file_size=small),
                 lambda: evalcore.validate(project, max_file_size=small),
                 lambda: evalcore.load_scheme(scheme, max_file_size=small)):
        found = problems(call, LoadError)
        assert found[0].origin.file == str(scheme) and "limit" in found[0].message
    cases = write(tmp_path / "cases.toml", '[[case]]\nname = "c"\nproject = "p.toml"\n'
                                           '[case.expect]\ntotal = 1\n')
    (case,) = load_cases(cases, max_file_size=10**6)
    assert "limit" in run_case(case, registry, max_file_size=small)[0]
    problems(lambda: load_cases(cases, max_file_size=10), LoadError)
    problems(lambda: load_definitions(cases, max_file_size=10), PluginError)


def test_the_cli_option_bounds_the_scheme_a_project_names(tmp_path, capsys):
    project = ROOT / "examples/shared-scheme/hekou.toml"
    code, _, err = run(capsys, "evaluate", "--max-file-size", str(project.stat().st_size + 1),
                       project)
    assert code == 2 and "scheme.toml: error: the file is larger than the limit" in err
    assert run(capsys, "evaluate", "--max-file-size", "0", project)[0] == 2
    assert run(capsys, "evaluate", "--max-file-size", "16MiB", project)[0] == 0


@POSIX
@pytest.mark.parametrize("make", ["fifo", "device", "directory", "loop", "empty"])
def test_what_is_not_a_regular_file_is_refused_without_blocking(tmp_path, capsys, make):
    path = tmp_path / "x.toml"
    if make == "fifo":
        os.mkfifo(path)
    elif make == "device":
        path = Path("/dev/zero")
    elif make == "directory":
        path.mkdir()
    elif make == "loop":
        (tmp_path / "y.toml").symlink_to(path)
        path.symlink_to(tmp_path / "y.toml")
    else:
        path.write_bytes(b"")
    result: list[tuple[int, str, str]] = []
    worker = threading.Thread(target=lambda: result.append(run(capsys, "validate", path)),
                              daemon=True)
    worker.start()
    worker.join(timeout=30)
    assert result, f"reading a {make} blocked"
    code, _, err = result[0]
    assert code == 2 and "Traceback" not in err
    assert err.startswith(f"{path}")
    assert err.rstrip().endswith("problem(s)")


@POSIX
def test_a_scheme_that_is_a_device_is_refused_at_the_project_scheme_line(tmp_path):
    path = write(tmp_path / "p.toml", '[project]\nname = "x"\nscheme = "/dev/zero"\n')
    found = problems(lambda: evalcore.load_project(path), LoadError)
    assert "not a regular file" in found[0].message
    assert found[-1].origin.path == ("project", "scheme")


# -- 4. many problems: collected in linear time, deduplicated in order ----------------------------


def test_the_reader_reports_a_problem_once_in_the_order_found():
    reader = Reader.of(Document({}, "p.toml", {}))
    for message in ["b", "a", "b", "c", "a"]:
        reader.bad(message, "x")
    assert [p.message for p in reader.problems] == ["b", "a", "c"]


def test_ten_thousand_bad_rows_give_ten_thousand_problems_in_row_order():
    rows = [{"id": f"r{i}", "name": "n", "category": "quantty", "points": 0, "target": "≥1"}
            for i in range(10_000)]
    found = problems(lambda: load_and_build(project_toml(rows)), ValidationError)
    assert [p.origin.path for p in found] == [("indicator", i, "category") for i in range(10_000)]


def load_and_build(text: str) -> evalcore.Project:
    from evalcore.build import build_project

    return build_project(load_text(text, "p.toml"), evalcore.default_registry())


def test_unknown_actual_ids_all_get_a_hint(tmp_path):
    rows = [{"id": f"r{i}", "name": "n", "category": "quantity", "points": 0, "target": "≥1"}
            for i in range(300)]
    text = project_toml(rows) + "\n[actual]\n" + "\n".join(f'"x{i}" = 1' for i in range(300))
    found = problems(lambda: load_and_build(text), ValidationError)
    assert len(found) == 300 and all(p.hint for p in found)
    assert all(len(p.hint or "") <= MESSAGE_LIMIT + 40 for p in found)


# -- 5. printing many problems --------------------------------------------------------------------


def many_bad_rows(tmp_path: Path, n: int) -> Path:
    rows = [{"id": f"r{i}", "name": "n", "category": "quantty", "points": 0, "target": "≥1"}
            for i in range(n)]
    return write(tmp_path / "bad.toml", project_toml(rows))


def test_the_cli_prints_the_first_problems_then_how_many_more_and_a_summary(tmp_path, capsys):
    path = many_bad_rows(tmp_path, PROBLEM_LIMIT + 10)
    for command in (["validate"], ["evaluate"], ["explain"]):
        argv = [*command, path] + (["r0"] if command == ["explain"] else [])
        code, _, err = run(capsys, *argv)
        lines = err.splitlines()
        assert code == 2
        assert len(lines) == PROBLEM_LIMIT + 2
        assert lines[-2] == "… and 10 more problems (--all-problems to list them all)"
        assert lines[-1] == f"{path}: {PROBLEM_LIMIT + 10} problem(s)"
    code, _, err = run(capsys, "validate", "--all-problems", path)
    assert code == 2 and len(err.splitlines()) == PROBLEM_LIMIT + 11
    assert "more problems" not in err


def test_a_single_problem_has_a_summary_line_too(capsys):
    code, _, err = run(capsys, "evaluate", PROJECTS[0], "--format", "pdf")
    assert code == 2
    assert err.splitlines() == [
        "error: unknown output format 'pdf' (known: csv, docx, html, json, markdown, table, xlsx)",
        f"{PROJECTS[0]}: 1 problem(s)"]


def test_the_library_keeps_every_problem_and_str_lists_the_first(tmp_path):
    error = ValidationError([Problem(f"p{i}") for i in range(STR_LIMIT + 7)])
    assert len(error.problems) == STR_LIMIT + 7
    lines = str(error).splitlines()
    assert len(lines) == STR_LIMIT + 1 and lines[-1] == "… and 7 more problems (see .problems)"
    assert str(ValidationError([Problem("a"), Problem("b")])) == "error: a\nerror: b"


# -- 6. long values in messages -------------------------------------------------------------------


def test_shorten_keeps_the_start_and_says_how_much_was_cut():
    assert shorten("abc", 5) == "abc"
    assert shorten("x" * 1000, 5) == "xxxxx… (995 more characters)"
    assert shorten(12345, 3) == "123… (2 more characters)"


def test_quote_quotes_what_it_keeps_and_leaves_the_note_outside():
    assert quote("abc", 5) == "'abc'"
    assert quote("x" * 1000, 5) == "'xxxxx'… (995 more characters)"
    assert quote(12345, 3) == "123… (2 more characters)"
    assert quote(Decimal(7)) == "Decimal('7')"


def test_no_problem_message_or_hint_is_longer_than_the_bound():
    problem = Problem("m" * 10**6, hint="h" * 10**6)
    assert len(problem.message) <= MESSAGE_LIMIT + 40 and len(problem.hint or "") <= MESSAGE_LIMIT + 40
    assert problem.message.startswith("m" * 100) and problem.message.endswith("more characters)")


@pytest.mark.parametrize("changes", [
    {"target": "≥1" + "x" * 10**6, "actual": "1" + "x" * 10**6},  # a 1 MB unit
    {"target": "按期完成", "actual": "x" * 10**6},  # a 1 MB word
    {"category": "x" * 10**6}, {"id": "x" * 10**6, "rule": "y" * 10**6},
    {"x" * 10**6: 1},  # a 1 MB key
])
def test_a_1_mb_value_gives_a_small_message_through_the_cli(tmp_path, capsys, changes):
    path = write(tmp_path / "p.toml", row_toml(**changes))
    code, out, err = run(capsys, "validate", path)
    assert code == 2 and out == ""
    assert len(err) < 3 * (MESSAGE_LIMIT + 200)
    assert "more characters" in err


def test_a_1_mb_unit_in_the_budget_is_quoted_short(tmp_path):
    text = project_toml(single("≥1个", "1个", points=90),
                        budget={"points": 10, "planned": 1, "executed": 1, "unit": "万" * 10**6})
    (problem,) = problems(lambda: load_and_build(text), ValidationError)
    assert problem.message == f"unknown unit {quote('万' * 10**6)}"


# -- 7. control characters never reach the terminal -----------------------------------------------


def test_one_line_escapes_controls_and_line_breaks_and_keeps_tabs_and_text():
    assert one_line("a\x1b[31mb\x00c\x07\x9b\u202e\td 中文") == \
        "a\\x1b[31mb\\x00c\\x07\\x9b\\u202e\td 中文"
    assert one_line("line\nnext") == "line\\x0anext"


ESC = "\\u001b]0;owned\\u0007\\u001b[2J\\u0000\\u009b\\u202e"  # as TOML escapes them


@pytest.mark.parametrize("field", ["id", "category", "group", "rule", "target", "actual", "key",
                                   "profile", "scheme", "file"])
def test_control_characters_in_any_field_are_escaped_when_printed(tmp_path, capsys, field):
    name = "p.toml"
    if field == "key":
        text = row_toml().replace("[[indicator]]\n", f'[[indicator]]\n"k{ESC}" = 1\n')
    elif field in ("profile", "scheme"):
        text = f'[project]\nname = "x"\n{field} = "{ESC}"\n'
    elif field == "file":
        text, name = '[project]\nname = "x"\n', "p\x1b[2J\x07.toml"
    elif field == "id":  # a duplicate id is quoted
        rows = single("≥1个", "1个", points=50) * 2
        text = project_toml([{**r, "id": "PLACE"} for r in rows]).replace("PLACE", ESC)
    else:
        text = row_toml(**{field: "≥1PLACE" if field == "target" else "PLACE"})
        text = text.replace("PLACE", ESC)
    path = write(tmp_path / name, text)
    code, out, err = run(capsys, "validate", path)
    assert code == 2 and "Traceback" not in err
    assert not CONTROL.search(out + err), repr(err)
    assert "\\x1b" in err


def test_a_problem_keeps_the_characters_the_user_wrote():
    problem = Problem("unknown unit '\x1b[2J'", Origin("p\x07.toml", ("a",), 1))
    assert problem.message == "unknown unit '\x1b[2J'"
    assert str(problem) == "p\\x07.toml:1: a: error: unknown unit '\\x1b[2J'"


# -- 8. points fit the profile's precision --------------------------------------------------------


def test_points_with_more_decimals_than_the_profile_are_located_errors():
    rows = [{"id": "a", "name": "a", "category": "quantity", "points": "14.995", "target": "≥1",
             "actual": "1"},
            {"id": "b", "name": "b", "category": "social", "points": "75.005", "target": "≥1",
             "actual": "1"}]
    text = project_toml(rows, budget={"points": 10, "planned": 1, "executed": 1})
    found = problems(lambda: _evaluate(text), ValidationError)
    assert [(p.origin.path, p.origin.line) for p in found] == [
        (("indicator", 0, "points"), line_of(text, 'points = "14.995"')),
        (("indicator", 1, "points"), line_of(text, 'points = "75.005"'))]
    assert found[0].message == ("points 14.995 has 3 decimal places; the profile rounds scores "
                                "to 2 (decimals = 2)")


def test_settings_decide_the_precision_for_rows_and_the_budget_row():
    rows = single("≥1", "1", points="89.4")
    whole = project_toml(rows, budget={"points": "10.6", "planned": 1, "executed": 1},
                         settings={"decimals": 0})
    found = problems(lambda: _evaluate(whole), ValidationError)
    assert [p.origin.path for p in found] == [("indicator", 0, "points"), ("budget", "points")]
    assert "has 1 decimal place" in found[0].message and "(decimals = 0)" in found[0].message
    finer = project_toml(single("≥1", "1", points="89.995"),
                         budget={"points": "10.005", "planned": 1, "executed": 1},
                         settings={"decimals": 3})
    assert _evaluate(finer).total == Decimal("100.000")
    trailing = project_toml(single("≥1", "1", points="90.000"),
                            budget={"points": "10.0", "planned": 1, "executed": 1},
                            settings={"decimals": 0})
    assert _evaluate(trailing).total == Decimal(100)


def test_a_met_fraction_of_a_point_does_not_round_up_past_its_points():
    rows = [{"id": "a", "name": "a", "category": "quantity", "points": "0.6", "target": "≥1",
             "actual": "1"},
            {"id": "b", "name": "b", "category": "quantity", "points": "99.4", "target": "≥1",
             "actual": "1"}]
    found = problems(lambda: _evaluate(project_toml(rows, settings={"decimals": 0,
                                                                     "weights": {}})))
    assert {p.origin.path for p in found} == {("indicator", 0, "points"), ("indicator", 1, "points")}


@st.composite
def schemes_at_precision(draw):
    decimals = draw(st.integers(0, 3))
    step = Decimal(1).scaleb(-decimals)
    n = draw(st.integers(1, 6))
    units = draw(st.lists(st.integers(0, 100 * 10**decimals), min_size=n - 1, max_size=n - 1))
    cuts = sorted(units)
    total = 100 * 10**decimals
    points = [(b - a) * step for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
    indicators, actuals = [], {}
    for i, pts in enumerate(points):
        symbol = draw(st.sampled_from(["≥", "≤", "=", ">", "<"]))
        target = draw(st.decimals(0, 1000, places=2))
        indicators.append(evalcore.Indicator(f"i{i}", f"i{i}", "quantity", pts, f"{symbol}{target}"))
        actuals[f"i{i}"] = evalcore.Actual(str(draw(st.decimals(-10, 2000, places=3))), reason="r")
    scheme = evalcore.Scheme("s", tuple(indicators), settings={"decimals": decimals, "weights": {}})
    return evalcore.Project(evalcore.ProjectInfo("p"), scheme, actuals=actuals)


@given(schemes_at_precision())
def test_every_row_scores_within_its_points_and_the_total_within_the_profiles(registry, project):
    evaluation = evalcore.evaluate(project, registry)
    for row in evaluation.rows:
        assert Decimal(0) <= row.score <= row.points
    assert evaluation.total <= Decimal(100)


# -- 9. the caller's decimal context --------------------------------------------------------------


HOSTILE = Context(prec=3, rounding=ROUND_DOWN, traps=[Inexact, Rounded])


def everything(path: Path) -> tuple[object, ...]:
    """What the public functions give for ``path``: project, result, JSON, warnings."""
    project = evalcore.load_project(path)
    evaluation = evalcore.evaluate(project)
    plan = evalcore.compile(project.scheme)
    return (project, evaluation, evalcore.render(evaluation, "json"),
            evalcore.render(evaluation, "table"), [str(w) for w in evalcore.validate(path)],
            plan.evaluate(project).to_json())


@pytest.mark.parametrize("path", PROJECTS, ids=lambda p: p.parent.name + "/" + p.name)
def test_a_callers_decimal_context_changes_nothing(path):
    expected = everything(path)
    with decimal.localcontext(HOSTILE):
        assert everything(path) == expected
        assert evalcore.load_scheme(ROOT / "examples/shared-scheme/scheme.toml") == \
            evalcore.load_scheme(ROOT / "examples/shared-scheme/scheme.toml")
        assert decimal.getcontext().prec == 3  # and it is the caller's again afterwards


def test_golden_cases_run_in_evalcores_context(registry):
    path = ROOT / "tests/golden/examples.toml"
    expected = [run_case(case, registry) for case in load_cases(path)]
    with decimal.localcontext(HOSTILE):
        assert [run_case(case, registry) for case in load_cases(path)] == expected


# -- 10. an empty name is not "no name" -----------------------------------------------------------


@pytest.mark.parametrize("value", ['""', '"  "'])
def test_an_empty_profile_is_a_located_error(value):
    text = row_toml().replace('profile = "national-2020"', f"profile = {value}")
    (problem,) = problems(lambda: load_and_build(text), ValidationError)
    assert problem.origin.path == ("project", "profile")
    assert problem.origin.line == line_of(text, "profile =")
    assert problem.message == "profile is empty; leave the key out for the default profile"


def test_an_empty_profile_or_scheme_reference_in_split_files_is_a_located_error(tmp_path):
    scheme_text = (ROOT / "examples/shared-scheme/scheme.toml").read_text(encoding="utf-8")
    scheme_text = re.sub(r"(?m)^profile = .*$", 'profile = ""', scheme_text, count=1)
    assert 'profile = ""' in scheme_text
    (problem,) = problems(lambda: evalcore.load_scheme(write(tmp_path / "s.toml", scheme_text)))
    assert problem.origin.path == ("scheme", "profile")
    path = write(tmp_path / "p.toml", '[project]\nname = "x"\nscheme = ""\n')
    (problem,) = problems(lambda: evalcore.load_project(path), ValidationError)
    assert problem.origin.path == ("project", "scheme") and problem.origin.line == 3


# -- 11. a project that names itself, or another project, as its scheme ---------------------------


@pytest.mark.parametrize("ref", ["p.toml", "./p.toml", "link.toml"])
def test_a_project_naming_itself_as_its_scheme_is_one_problem_at_project_scheme(tmp_path, ref,
                                                                                  capsys):
    path = write(tmp_path / "p.toml", f'[project]\nname = "x"\nscheme = "{ref}"\n')
    (tmp_path / "link.toml").symlink_to(path)
    (problem,) = problems(lambda: evalcore.load_project(path), ValidationError)
    assert problem.origin.path == ("project", "scheme") and problem.origin.line == 3
    assert problem.message.startswith("the scheme file is the project file itself")
    code, _, err = run(capsys, "evaluate", path)
    assert code == 2 and len(err.splitlines()) == 2


def test_a_scheme_file_that_is_a_project_is_said_once_and_pointed_at(tmp_path):
    other = write(tmp_path / "other.toml", row_toml())
    path = write(tmp_path / "p.toml", '[project]\nname = "x"\nscheme = "other.toml"\n')
    first, second = problems(lambda: evalcore.load_project(path), ValidationError)
    assert first.origin.file == str(other) and first.origin.path == ("project",)
    assert first.message.startswith("this is a project file, not a scheme")
    assert second.origin.path == ("project", "scheme") and second.origin.file == str(path)


# -- 12. results do not depend on the working directory -------------------------------------------


def test_json_is_the_same_bytes_from_any_directory_and_any_spelling_of_the_path(
        tmp_path, monkeypatch, capsys):
    folder = tmp_path / "work" / "examples"
    shutil.copytree(ROOT / "examples" / "shared-scheme", folder)
    # A zero-point row: a scheme warning, whose message names the scheme file, in every result.
    scheme = folder / "scheme.toml"
    scheme.write_text(scheme.read_text(encoding="utf-8") + '\n[[indicator]]\nid = "zero"\n'
                      'name = "零"\ncategory = "quantity"\npoints = 0\ntarget = "≥1个"\n',
                      encoding="utf-8")
    outputs = set()
    for cwd, spelled in [(tmp_path, "work/examples/hekou.toml"), (folder, "hekou.toml"),
                         (folder / "..", "examples/../examples/hekou.toml"),
                         (ROOT, str(folder / "hekou.toml"))]:
        monkeypatch.chdir(cwd)
        code, out, err = run(capsys, "evaluate", "--format", "json", spelled)
        assert code == 0, err
        assert "scheme.toml:" in out and str(tmp_path) not in out
        outputs.add(out)
    assert len(outputs) == 1


# -- the line scanner stays linear and right ------------------------------------------------------


def test_nested_arrays_of_tables_get_their_lines_after_a_new_parent_element():
    text = ("[[a]]\nx = 1\n[[a.b]]\ny = 1\n[[a.b]]\ny = 2\n[a.b.c]\nz = 1\n"
            "[[a]]\nx = 2\n[a.b]\nq = 1\n[[a.b.d]]\nw = 1\n[[a.b.d]]\nw = 2\n[a.b.d.e]\nv = 3\n")
    lines = _locate(text)
    assert lines[("a", 0, "b", 1, "c", "z")] == 8
    assert lines[("a", 1, "b", "q")] == 12  # a.b is a table in the second element
    assert lines[("a", 1, "b", "d", 1, "e", "v")] == 18


def test_many_distinct_arrays_of_tables_each_get_their_line():
    n = 20_000
    lines = _locate("\n".join(f"[[x{i}]]\na = 1" for i in range(n)))
    assert lines[(f"x{n - 1}", 0, "a")] == 2 * n


def test_the_registry_is_built_the_same_in_a_callers_context():
    from evalcore.plugins import get_plugin_manager
    from evalcore.registry import Registry

    expected = Registry.from_plugins(get_plugin_manager())
    with decimal.localcontext(Context(prec=1, traps=[Inexact, Rounded])):
        built = Registry.from_plugins(get_plugin_manager())
    assert {n: e.item for n, e in built.profiles.items()} == \
        {n: e.item for n, e in expected.profiles.items()}
