"""The ``evalcore`` command: evaluate, validate, plugins, --version.

Most tests run :func:`evalcore.cli.main` in-process (fast, with capsys); a few
run ``python -m evalcore`` in a subprocess to prove the module entry point and
the real exit status. A user's mistake exits 2 with located problems on stderr
and never a traceback.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import line_of, project_toml, run, single, write

import evalcore
from evalcore.cli import main

ROOT = Path(__file__).resolve().parent.parent
GANZHOU = ROOT / "examples" / "ganzhou-2021" / "project.toml"
GANZHOU_IDS = ["q1", "q2", "q3", "ql1", "ql2", "t1", "t2", "c1", "s1", "s2", "su1", "sat1"]




def run_module(*argv: str | Path) -> subprocess.CompletedProcess[str]:
    """``python -m evalcore ...`` in a fresh interpreter."""
    return subprocess.run([sys.executable, "-m", "evalcore", *(str(a) for a in argv)],
                          capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=60)


@pytest.fixture
def bad_project(tmp_path: Path) -> tuple[Path, str]:
    """A project with two mistakes: a misspelled key and a weight that is not a number."""
    rows = single("≥10个", "10个", points="ten", taget="≥10个")
    del rows[0]["target"]
    text = project_toml(rows)
    return write(tmp_path / "bad.toml", text), text


@pytest.fixture
def good_project(tmp_path: Path) -> Path:
    return write(tmp_path / "good.toml", project_toml(single("≥10个", "12个")))


# -- evaluate --------------------------------------------------------------------------------------


def test_evaluate_prints_the_self_evaluation_table_with_total_and_grade(capsys):
    code, out, err = run(capsys, "evaluate", GANZHOU)
    assert code == 0
    assert err == ""
    assert "项目支出绩效自评表（2021年度）" in out
    assert "产品质量监督抽检批次" in out
    assert "总分" in out and "优" in out and "97" in out
    assert out.rstrip().endswith("总分 97 / 100，自评等级：优")
    assert "excellent" not in out  # Chinese only: the grade's English name is for --lang en


def test_evaluate_json_is_an_object_with_total_grade_budget_and_indicators(capsys):
    code, out, err = run(capsys, "evaluate", GANZHOU, "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert isinstance(data, dict)
    assert Decimal(data["total"]) == 97
    assert data["grade"] == "优"
    assert Decimal(data["budget"]["score"]) == 10
    assert Decimal(data["budget"]["points"]) == 10
    assert [row["id"] for row in data["indicators"]] == GANZHOU_IDS
    for row in data["indicators"]:
        assert {"id", "name", "category", "points", "score", "status"} <= set(row)
        assert Decimal(row["score"]) <= Decimal(row["points"])
    t2 = next(row for row in data["indicators"] if row["id"] == "t2")
    assert (t2["category"], Decimal(t2["points"]), Decimal(t2["score"]), t2["status"]) == (
        "timeliness", 10, 7, "partly-met")
    scores = [Decimal(row["score"]) for row in data["indicators"]] + [Decimal(data["budget"]["score"])]
    assert sum(scores) == Decimal(data["total"])


def test_evaluate_json_reads_back_into_an_equal_evaluation(capsys):
    _, out, _ = run(capsys, "evaluate", GANZHOU, "-f", "json")
    assert evalcore.Evaluation.from_json(out) == evalcore.evaluate(evalcore.load_project(GANZHOU))


def test_evaluate_markdown_prints_github_tables_and_the_total(capsys):
    code, out, err = run(capsys, "evaluate", GANZHOU, "--format", "markdown")
    assert (code, err) == (0, "")
    assert out.startswith("## 项目支出绩效自评表（2021年度）")
    assert "| 一级指标" in out and "|---" in out.replace(" ", "").replace(":", "")
    assert "**总分 97 / 100，自评等级：优**" in out


def test_evaluate_csv_has_one_line_per_row_and_the_total_last(capsys):
    code, out, err = run(capsys, "evaluate", GANZHOU, "-f", "csv")
    assert (code, err) == (0, "")
    assert out.startswith("\ufeff")  # the byte-order mark Excel needs (tests/test_csv_bom.py)
    lines = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"))))
    header, budget, *rows, total = lines[:1] + lines[4:]
    funds = lines[1:4]  # the project's amounts, one line each, before the funds row
    assert [f[0] for f in funds] == ["funds_initial", "funds_planned", "funds_executed"]
    assert [f[5] for f in funds] == ["500万元", "500万元", "492.99135万元"]
    assert header[:2] == ["编号", "一级指标"] and "得分" in header and "状态" in header
    assert budget[0] == "budget"
    assert [r[0] for r in rows] == GANZHOU_IDS
    score = header.index("得分")
    assert total[0] == "total" and Decimal(total[score]) == 97 and "优" in total
    assert all(len(r) == len(header) for r in lines)


def test_evaluate_output_option_writes_the_file_not_stdout(capsys, tmp_path):
    target = tmp_path / "result.json"
    code, out, err = run(capsys, "evaluate", GANZHOU, "-f", "json", "-o", target)
    assert (code, out, err) == (0, "", "")
    assert Decimal(json.loads(target.read_text(encoding="utf-8"))["total"]) == 97


def test_evaluate_output_option_writes_the_table_as_utf8(capsys, tmp_path):
    target = tmp_path / "result.txt"
    code, out, _ = run(capsys, "evaluate", GANZHOU, "--output", target)
    assert (code, out) == (0, "")
    assert "自评等级：优" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(("fmt", "hint"), [("xml", "known: csv, docx, html, json, markdown, table, xlsx"),
                                           ("jsn", "did you mean 'json'?")])
def test_an_unknown_format_exits_2_with_a_hint(capsys, fmt, hint):
    code, out, err = run(capsys, "evaluate", GANZHOU, "--format", fmt)
    assert code == 2
    assert out == ""
    assert f"unknown output format {fmt!r}" in err
    assert hint in err
    assert "Traceback" not in err


def test_a_bad_file_exits_2_with_every_problem_located_and_no_traceback(capsys, bad_project):
    path, text = bad_project
    code, out, err = run(capsys, "evaluate", path)
    assert code == 2
    assert out == ""
    assert f"{path}:{line_of(text, 'taget =')}: indicator[0].taget: error: unknown key 'taget'" in err
    assert "(did you mean 'target'?)" in err
    assert f"{path}:{line_of(text, 'points =')}: indicator[0].points: error:" in err
    assert "Traceback" not in out + err


def test_an_unreadable_actual_exits_2_located_at_its_line(capsys, tmp_path):
    text = project_toml(single("≥10批次", "12个"))
    path = write(tmp_path / "p.toml", text)
    code, out, err = run(capsys, "evaluate", path)
    assert (code, out) == (2, "")
    assert f"{path}:{line_of(text, 'actual =')}: indicator[0].actual: error:" in err
    assert "cannot be compared" in err


def test_malformed_toml_exits_2_with_the_line(capsys, tmp_path):
    path = write(tmp_path / "broken.toml", '[project]\nname = "x"\n\n[[indicator]\n')
    code, out, err = run(capsys, "evaluate", path)
    assert (code, out) == (2, "")
    assert err.startswith(f"{path}:4: error: not valid TOML")
    assert "Traceback" not in err


@pytest.mark.parametrize("make", ["missing", "directory", "gbk"])
def test_a_file_that_cannot_be_read_exits_2_naming_it(capsys, tmp_path, make):
    path = tmp_path / "project.toml"
    expected = {"missing": "no such file", "directory": "is a directory", "gbk": "not UTF-8"}[make]
    if make == "directory":
        path.mkdir()
    elif make == "gbk":
        path.write_bytes('[project]\nname = "项目"\n'.encode("gbk"))
    code, out, err = run(capsys, "evaluate", path)
    assert (code, out) == (2, "")
    assert err.startswith(f"{path}: error: {expected}")


def test_evaluate_without_a_project_is_a_usage_error(capsys):
    code, _, err = run(capsys, "evaluate")
    assert code == 2
    assert "usage:" in err and "project" in err


def test_an_unknown_command_is_a_usage_error(capsys):
    code, _, err = run(capsys, "evaluat", GANZHOU)
    assert code == 2
    assert "invalid choice" in err


# -- validate --------------------------------------------------------------------------------------


def test_validate_a_good_file_says_ok(capsys, good_project):
    code, out, err = run(capsys, "validate", good_project)
    assert code == 0
    assert f"{good_project}: ok" in out
    assert "error" not in err


def test_validate_the_example_says_ok(capsys):
    code, out, _ = run(capsys, "validate", GANZHOU)
    assert code == 0
    assert out.startswith(f"{GANZHOU}: ok")


def test_validate_reports_every_file_and_exits_2_when_one_is_bad(capsys, tmp_path, good_project,
                                                                 bad_project):
    bad, _ = bad_project
    worse = write(tmp_path / "worse.toml", project_toml(single("≥10个", "10个", category="quantiy")))
    code, out, err = run(capsys, "validate", bad, good_project, worse)
    assert code == 2
    assert f"{good_project}: ok" in out  # the good file after a bad one is still checked
    assert f"{bad}: 3 problem(s)" in err  # taget, points, missing target
    assert f"{worse}: 1 problem(s)" in err
    assert "did you mean 'quantity'" in err
    assert "Traceback" not in out + err


def test_validate_checks_actual_values_too(capsys, tmp_path):
    text = project_toml(single("按期完成", "差不多"))
    path = write(tmp_path / "p.toml", text)
    code, _, err = run(capsys, "validate", path)
    assert code == 2
    assert f"{path}:{line_of(text, 'actual =')}: indicator[0].actual" in err


def test_validate_a_missing_file_exits_2(capsys, tmp_path):
    code, out, err = run(capsys, "validate", tmp_path / "nope.toml")
    assert code == 2
    assert f"{tmp_path / 'nope.toml'}: error: no such file" in err
    assert out == ""


def test_validate_warnings_name_their_file(capsys, tmp_path):
    path = write(tmp_path / "p.toml", project_toml(single("≥10个", "5个")))  # missed, no reason
    code, out, err = run(capsys, "validate", path)
    assert code == 0
    assert f"{path}: ok (" in out
    warnings = [line for line in err.splitlines() if "warning" in line]
    assert warnings and all(line.startswith(str(path)) for line in warnings)


# -- plugins, --version ----------------------------------------------------------------------------


def test_plugins_lists_each_category_rule_profile_and_format_with_its_plugin(capsys, registry):
    code, out, _ = run(capsys, "plugins")
    assert code == 0
    sections = {block.splitlines()[0].split(" ")[0].rstrip(":"): block.splitlines()[1:]
                for block in out.strip().split("\n\n")}
    assert {"groups", "categories", "rules", "profiles", "output", "units"} <= set(sections)

    def line_for(section: str, name: str) -> list[str]:
        return next(line.split() for line in sections[section] if line.split()[:1] == [name])

    quantity = line_for("categories", "quantity")
    assert quantity[1] == "数量指标"
    assert quantity[-1] == registry.categories["quantity"].plugin
    assert line_for("profiles", "national-2020")[-1] == registry.profiles["national-2020"].plugin
    assert line_for("rules", "execution-rate")[-1] == registry.rules["execution-rate"].plugin
    for section, table in [("groups", registry.groups), ("categories", registry.categories),
                           ("rules", registry.rules), ("profiles", registry.profiles),
                           ("output", registry.renderers)]:
        for name, entry in table.items():
            assert line_for(section, name)[-1] == entry.plugin, (section, name)


def test_version_prints_the_package_version(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert out.strip() == f"evalcore {evalcore.__version__}"


# -- python -m evalcore ----------------------------------------------------------------------------


def test_python_m_evalcore_evaluates_the_example():
    done = run_module("evaluate", GANZHOU, "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert (Decimal(data["total"]), data["grade"]) == (97, "优")


def test_python_m_evalcore_exits_2_on_bad_input_without_a_traceback(bad_project):
    path, _ = bad_project
    done = run_module("evaluate", path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert f"{path}:" in done.stderr and "did you mean 'target'?" in done.stderr
    assert "Traceback" not in done.stderr


def test_python_m_evalcore_version():
    done = run_module("--version")
    assert (done.returncode, done.stdout.strip()) == (0, f"evalcore {evalcore.__version__}")


def test_an_output_file_that_cannot_be_written_is_a_located_problem(capsys, tmp_path):

    assert main(["evaluate", str(GANZHOU), "-o", str(tmp_path / "no" / "such" / "x.txt")]) == 2
    assert "cannot write the output" in capsys.readouterr().err


def test_tables_nested_too_deeply_are_a_load_error(tmp_path):
    import evalcore

    path = tmp_path / "deep.toml"
    path.write_text("a = " + "[" * 600 + "1" + "]" * 600 + "\n", encoding="utf-8")
    with pytest.raises(evalcore.LoadError, match="nested too deeply"):
        evalcore.load_project(path)


def test_every_markdown_table_has_a_header_row_and_stands_apart(capsys):

    assert main(["evaluate", str(GANZHOU), "--format", "markdown"]) == 0
    lines = capsys.readouterr().out.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("|")
              and (i == 0 or not lines[i - 1].startswith("|"))]
    assert len(starts) >= 4
    for i in starts:
        assert lines[i - 1] == "", f"no blank line before the table at line {i + 1}"
        assert set(lines[i + 1]) <= set("|-: "), f"the table at line {i + 1} has no header row"


@pytest.mark.parametrize("exhaustion", [MemoryError, RecursionError])
def test_running_out_of_memory_or_stack_exits_2_with_a_message_not_a_traceback(
        capsys, monkeypatch, good_project, exhaustion):
    def exhaust(*args: object, **kwargs: object) -> None:
        raise exhaustion

    monkeypatch.setattr(evalcore.api, "load_project", exhaust)
    code, out, err = run(capsys, "evaluate", good_project)
    assert code == 2 and out == ""
    assert f"too large or too deeply nested to process ({exhaustion.__name__})" in err
    assert "Traceback" not in err
