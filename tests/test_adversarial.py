"""Adversarial inputs as regression tests: what the hardened engine must do with each (issue #7).

Each test states the outcome expected of any file from anyone: a located,
bounded `EvalcoreError` (exit status 2 from the CLI, no traceback), a correct
score, or neutralised output. The hostile files live in tests/adversarial/;
the large ones (thousands of rows, megabytes of text, 5,000-digit numbers)
are generated here.

Every test here failed before the #7 hardening and passes now. The fuzz
reproducers under tests/adversarial/fuzz/ (one per failure class the fuzzer
found) run through the fuzzer's full oracle. A new class the fuzzer finds goes
into `fuzz.known` with its reproducer, which then runs here as a strict xfail
until the fix lands.

Nothing here asserts a message's wording: only
the exception's type, that it names the file and the key path, that each
problem stays under `MAX_PROBLEM` characters, that the run is quick, and that
the CLI exits 2 without a traceback.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
import textwrap
import time
import warnings
from decimal import Decimal
from pathlib import Path

import pytest
from fuzz.known import KNOWN, known_for
from fuzz.oracle import MAX_PROBLEM, check, time_limit
from fuzz.toml_writer import Raw, dumps

import evalcore
from evalcore import cli

HERE = Path(__file__).resolve().parent / "adversarial"
FUZZ_CASES = HERE / "fuzz"
QUICK = 3.0  # seconds: far above what a bounded engine needs, far below today's minutes


def xfail(item: str) -> pytest.MarkDecorator:
    """Fails on today's engine; the #7 fix for ``item`` makes it pass (and the strict xfail red)."""
    return pytest.mark.xfail(strict=True, reason=f"#7 {item}")


def project(indicators: list[dict[str, object]], **tables: object) -> dict[str, object]:
    """An inline project scored out of 100 (weights not checked), as a mapping for `dumps`."""
    doc: dict[str, object] = {"project": {"name": "adversarial", "profile": "national-2020"},
                              "settings": {"total": 100, "weights": {}}}
    doc.update(tables)
    doc["indicator"] = indicators
    return doc


def row(**fields: object) -> dict[str, object]:
    """One quantity indicator worth 100 points: ≥400批次, 300批次 done; ``fields`` override."""
    base: dict[str, object] = {"id": "x", "name": "指标", "category": "数量指标", "target": "≥400批次",
                               "actual": "300批次", "points": 100, "reason": "r"}
    return {**base, **fields}


def write(tmp_path: Path, doc: dict[str, object] | str, name: str = "project.toml") -> Path:
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else dumps(doc), encoding="utf-8")
    return path


def run(path: Path) -> evalcore.Evaluation:
    """Load and evaluate within the time limit."""
    started = time.monotonic()
    with time_limit(QUICK):
        result = evalcore.evaluate(evalcore.load_project(path))
    assert time.monotonic() - started < QUICK
    return result


def refused(path: Path, capsys: pytest.CaptureFixture[str] | None, *, key: str | None = None,
            error: type[evalcore.EvalcoreError] = evalcore.EvalcoreError,
            total_limit: int = 20 * MAX_PROBLEM, seconds: float = QUICK) -> evalcore.EvalcoreError:
    """Assert ``path`` is refused with a located, bounded ``error`` (and exit 2, no traceback)."""
    started = time.monotonic()
    with pytest.raises(error) as info, time_limit(seconds):
        project = evalcore.load_project(path)
        evalcore.evaluate(project)
    assert time.monotonic() - started < seconds
    message = str(info.value)
    assert path.name in message, message[:500]
    if key is not None:
        assert key in message, message[:500]
    assert all(len(str(p)) < MAX_PROBLEM for p in info.value.problems), \
        max(info.value.problems, key=lambda p: len(str(p)))
    assert len(message) < total_limit
    if capsys is not None:
        capsys.readouterr()
        assert cli.main(["evaluate", str(path)]) == 2
        err = capsys.readouterr().err
        assert "Traceback" not in err and err.strip()
    return info.value


# ------------------------------------------------------------------ formulas


@pytest.mark.parametrize("expression", [
    "__import__('os')",
    "__import__('os').system('true')",
    "().__class__.__bases__",
    "(lambda: 1)()",
    "[x for x in (1,)]",
    "{x: 1 for x in (1,)}",
    "9**9**9",
    "points ** 999999",
    "(" * 10_000 + "1" + ")" * 10_000,
    "(" * 240 + "1" + ")" * 240,
    "'" + "a" * 100_000 + "'",
    "1" + "+1" * 50_000,
    "open('/etc/passwd')",
    "globals()",
], ids=lambda e: e[:24])
def test_hostile_formulas_are_refused_at_the_params(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                    expression: str) -> None:
    path = write(tmp_path, project([row(rule="formula", params={"expression": expression})]))
    refused(path, capsys, key="indicator[0].params", error=evalcore.ValidationError)


def test_a_formula_python_warns_about_gives_no_warning(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, project([row(rule="formula", params={"expression": "90if actual else 1"})]))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        refused(path, capsys, key="indicator[0]")
    assert [str(w.message) for w in caught] == []


# ------------------------------------------------------------------ tables and many rows


def _overlapping_rows(count: int) -> list[dict[str, object]]:
    """Row i covers ratios ≥ k/1000 with share k/4000 (k = count-1-i): each row overlaps every
    other, and the last covers [0, +inf)."""
    return [{"id": f"r{i}", "when": f">= {Decimal(count - 1 - i) / 1000}",
             "share": Raw(str(Decimal(count - 1 - i) / 4000))} for i in range(count)]


def test_a_3000_row_first_hit_table_scores_the_first_matching_row_quickly(tmp_path: Path) -> None:
    params = {"hit": "first", "rows": _overlapping_rows(3000)}
    path = write(tmp_path, project([row(category="质量指标", target="≥400", actual="300", rule="bands",
                                        params=params)]))
    result = run(path)
    # B/A = 0.75: the first row with k/1000 ≤ 0.75 has k = 750 (i = 2249), share 750/4000.
    assert result.rows[0].score == Decimal("18.75")
    assert result.rows[0].trace.matched == "r2249"


def test_a_3000_row_overlapping_unique_table_is_refused_quickly_and_briefly(tmp_path: Path) -> None:
    params = {"hit": "unique", "rows": _overlapping_rows(3000)}
    path = write(tmp_path, project([row(category="质量指标", target="≥400", actual="300", rule="bands",
                                        params=params)]))
    refused(path, None, key="indicator[0].params", error=evalcore.ValidationError)


def test_ten_thousand_bad_rows_are_refused_quickly_with_a_bounded_report(tmp_path: Path) -> None:
    bad = [{"id": f"i{i}", "name": "n", "category": "quantityy", "target": "≥x", "actual": "y",
            "points": "z"} for i in range(10_000)]
    path = write(tmp_path, project(bad))
    refused(path, None, key="indicator[0].category", error=evalcore.ValidationError,
            total_limit=100_000, seconds=5.0)


# ------------------------------------------------------------------ huge text and numbers

MEGA = "批" * 1_000_000


@pytest.mark.parametrize("fields", [
    pytest.param({"target": "≥400" + MEGA, "actual": "300" + MEGA}, id="1MB unit"),
    pytest.param({"target": MEGA, "actual": MEGA}, id="1MB word"),
    pytest.param({"category": MEGA}, id="1MB category"),
])
def test_a_megabyte_of_text_gives_a_bounded_message(tmp_path: Path, fields: dict[str, object]) -> None:
    path = write(tmp_path, project([row(**fields)]))
    refused(path, None, key="indicator[0]")


HUGE = "9" * 5000  # Python refuses to turn more than 4,300 digits into an int by default


@pytest.mark.parametrize(("old", "new"), [
    ("points = 90", f"points = {HUGE}"),
    ("planned = 100", f"planned = {HUGE}"),
    ('actual = "300批次"', f"actual = {HUGE}"),
    ('target = "≥400批次"', f"target = -{HUGE}"),
], ids=["points", "planned", "actual", "target"])
def test_an_integer_of_5000_digits_is_a_located_error(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      old: str, new: str) -> None:
    text = dumps(project([row(points=90)], budget={"points": 10, "planned": 100, "executed": 90}))
    assert old in text
    refused(write(tmp_path, text.replace(old, new)), capsys)


def test_a_5000_digit_number_as_text_is_a_located_error(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, project([row(target="≥" + HUGE, actual=HUGE)]))
    refused(path, capsys, key="indicator[0].target")


# ------------------------------------------------------------------ odd targets


@pytest.mark.parametrize(("category", "target"), [
    ("时效指标", "2022年13月"),
    ("时效指标", "2022年13月1日"),
    ("时效指标", "2023年2月30日"),
    ("数量指标", "≥400批次以下"),
    ("数量指标", "400-500批次"),
])
def test_a_target_that_cannot_be_read_exactly_is_refused_at_the_target(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], category: str, target: str) -> None:
    path = write(tmp_path, project([row(category=category, target=target)]))
    refused(path, capsys, key="indicator[0].target", error=evalcore.ValidationError)


def test_a_chinese_numeral_target_scores_as_a_number() -> None:
    result = run(HERE / "chinese-numeral-target.toml")
    assert result.rows[0].status is evalcore.Status.MET
    assert result.rows[0].score == result.rows[0].points == Decimal(100)


def test_points_finer_than_the_precision_never_score_above_them() -> None:
    path = HERE / "half-cent-points.toml"
    try:
        result = run(path)
    except evalcore.ValidationError as exc:
        assert "points" in str(exc) and path.name in str(exc)
        return
    assert all(r.score <= r.points for r in result.rows), [(r.points, r.score) for r in result.rows]
    assert result.total <= Decimal(100)


# ------------------------------------------------------------------ references and settings


def test_a_nul_in_the_scheme_path_is_a_located_error(capsys: pytest.CaptureFixture[str]) -> None:
    refused(HERE / "nul-in-scheme-path.toml", capsys, key="project.scheme")


def test_a_project_that_names_itself_as_its_scheme_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    refused(HERE / "self-scheme.toml", capsys)


def test_an_empty_profile_name_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    refused(HERE / "empty-profile.toml", capsys, key="project.profile", error=evalcore.ValidationError)


def test_arrays_nested_10000_deep_are_a_load_error(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, dumps(project([row()])) + "deep = " + "[" * 10_000 + "]" * 10_000 + "\n")
    refused(path, capsys, error=evalcore.LoadError)


# ------------------------------------------------------------------ output neutralised

_C0_C1 = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")  # every control character but \n


def test_control_characters_in_every_text_field_reach_a_workbook_that_opens() -> None:
    openpyxl = pytest.importorskip("openpyxl")
    data = evalcore.render(run(HERE / "control-characters.toml"), "xlsx")
    assert isinstance(data, bytes)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert "数量" in str([c for s in book for r in s.iter_rows(values_only=True) for c in r])


@pytest.mark.parametrize("name", ["table", "markdown", "csv", "json", "html"])
def test_control_characters_in_every_text_field_render_in_every_text_format(name: str) -> None:
    output = evalcore.render(run(HERE / "control-characters.toml"), name)
    assert isinstance(output, str) and "数量" in output


@pytest.mark.parametrize("file", ["terminal-escapes.toml", "control-characters.toml"])
def test_the_terminal_table_carries_no_control_character(file: str) -> None:
    output = evalcore.render(run(HERE / file), "table")
    assert isinstance(output, str)
    assert _C0_C1.findall(output) == []


def test_csv_with_control_characters_reads_back_one_record_per_row() -> None:
    result = run(HERE / "control-characters.toml")
    output = evalcore.render(result, "csv")
    assert isinstance(output, str)
    records = list(csv.reader(io.StringIO(output, newline="")))
    # The header, a line per amount of the funds, the budget row, one per indicator, the total;
    # every record as wide as the header.
    funds = result.funds_block
    assert funds is not None
    amounts = [funds.initial, funds.planned, funds.received, funds.executed]
    assert len(records) == 3 + sum(a is not None for a in amounts) + len(result.rows)
    assert {len(r) for r in records} == {len(records[0])}


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def test_csv_cells_never_start_a_spreadsheet_formula() -> None:
    output = evalcore.render(run(HERE / "formula-injection.toml"), "csv")
    assert isinstance(output, str)
    cells = [c for line in csv.reader(io.StringIO(output)) for c in line]
    assert "WEBSERVICE" in output
    assert [c for c in cells if c.startswith(_FORMULA_START) and not re.fullmatch(r"-\d+(\.\d+)?", c)] == []


def test_xlsx_has_no_formula_cell() -> None:
    openpyxl = pytest.importorskip("openpyxl")
    data = evalcore.render(run(HERE / "formula-injection.toml"), "xlsx")
    assert isinstance(data, bytes)
    book = openpyxl.load_workbook(io.BytesIO(data))
    formulas = [c.value for s in book for r in s.iter_rows() for c in r if c.data_type == "f"]
    assert formulas == []


def test_markdown_tables_keep_their_columns_and_carry_no_html() -> None:
    output = evalcore.render(run(HERE / "markdown-injection.toml"), "markdown")
    assert isinstance(output, str)
    assert "<script" not in output.lower() and "<img" not in output.lower()
    for block in output.split("\n\n"):
        lines = [line for line in block.splitlines() if line.startswith("|")]
        if lines:
            columns = {len(re.findall(r"(?<!\\)\|", line)) for line in lines}
            assert len(columns) == 1, block


def test_html_escapes_script_tags() -> None:
    output = evalcore.render(run(HERE / "markdown-injection.toml"), "html")
    assert isinstance(output, str)
    assert "<script" not in output.lower() and "&lt;script&gt;" in output


# ------------------------------------------------------------------ files that are not files


def _cli(args: list[str], cwd: Path, memory: int = 1 << 30, timeout: float = 3.0) -> tuple[int | str, str]:
    """Run the CLI in a child with ``memory`` bytes of address space; ("timeout", "") if it hangs."""
    limit = textwrap.dedent(f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, ({memory}, {memory}))
        from evalcore.cli import main
        sys.exit(main({args!r}))
    """)
    try:
        done = subprocess.run([sys.executable, "-c", limit], cwd=cwd, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout", ""
    return done.returncode, done.stderr


def _assert_refused_by_cli(status: int | str, stderr: str, file: str) -> None:
    assert status == 2, (status, stderr[-500:])
    assert "Traceback" not in stderr and file in stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
@pytest.mark.parametrize("how", ["project.scheme", "--scheme", "project file"])
def test_dev_zero_is_refused_without_reading_it_all(tmp_path: Path, how: str) -> None:
    path = write(tmp_path, '[project]\nname = "x"\nscheme = "/dev/zero"\n')
    args = {"project.scheme": ["evaluate", str(path)],
            "--scheme": ["evaluate", "--scheme", "/dev/zero", str(path)],
            "project file": ["evaluate", "/dev/zero"]}[how]
    _assert_refused_by_cli(*_cli(args, tmp_path), "/dev/zero")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_as_the_scheme_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "scheme.toml"
    os.mkfifo(fifo)
    path = write(tmp_path, '[project]\nname = "x"\nscheme = "scheme.toml"\n')
    _assert_refused_by_cli(*_cli(["evaluate", str(path)], tmp_path), "scheme.toml")


# ------------------------------------------------------------------ the fuzzer's reproducers

_KNOWN_BY_FILE = {k.reproducer: k for k in KNOWN}


def test_a_long_name_renders_in_the_terminal_table_quickly(tmp_path: Path) -> None:
    result = run(write(tmp_path, project([row(name="满" * 80_000)])))
    with time_limit(1.5):
        output = evalcore.render(result, "table")
    assert "满满满" in output


def _fuzz_cases() -> list[object]:
    cases = []
    for path in sorted(FUZZ_CASES.glob("*.toml")):
        known = _KNOWN_BY_FILE.get(path.name)
        marks = [xfail(known.item.removeprefix("#7 "))] if known else []
        cases.append(pytest.param(path, id=path.stem, marks=marks))
    return cases


@pytest.mark.parametrize("path", _fuzz_cases())
def test_a_fuzz_reproducer_keeps_every_property(path: Path) -> None:
    # Another known class this input also hits has its own reproducer: each xfail flips on its fix.
    failures = [f for f in check(path.parent, path.name).failures
                if (known_for(f.key) is None or known_for(f.key) is _KNOWN_BY_FILE.get(path.name))]
    assert failures == [], "\n\n".join(map(str, failures))


def test_every_known_fuzz_failure_has_its_reproducer() -> None:
    files = {p.name for p in FUZZ_CASES.glob("*.toml")}
    for known in KNOWN:
        test = globals().get(known.reproducer)
        assert known.reproducer in files or (callable(test) and known.reproducer.startswith("test_")), known
        marks = getattr(test, "pytestmark", [])
        assert test is None or any(m.name == "xfail" and m.kwargs.get("strict") for m in marks), known
