"""``evalcore batch``: every input and output kind, the errors file, the summary, the exit codes.

The reference for every figure is ``plan.evaluate`` of the same project written as a project
file (tests/batch_helpers.py): the batch must give the same scores, totals, grades and finding
codes, file exactly the projects that path refuses, and summarise them exactly.
"""

from __future__ import annotations

import csv
import json
import statistics
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow as pa
import pyarrow.csv
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from batch_helpers import CSV, PORTFOLIO, SCHEME, csv_rows, expected, scores_of, scores_of_row
from helpers import run
from hypothesis import given, settings
from hypothesis import strategies as st

import evalcore
from evalcore.batch import errors_path, run_batch
from evalcore.numbers import round_half_up
from evalcore.portfolio import PortfolioSummary

sys.path.insert(0, str(PORTFOLIO))
import generate  # the example's own generator script


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    """The example portfolio scored one project at a time by the Decimal path."""
    return expected(csv_rows(), tmp_path_factory.mktemp("files"))


@pytest.fixture(scope="module")
def csv_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """The example portfolio batched once from its CSV to Parquet, in chunks of 64."""
    out = tmp_path_factory.mktemp("run") / "scores.parquet"
    result = run_batch(CSV, SCHEME, out, batch_size=64, progress=False)
    return out, result


def _rows(path: Path) -> list[dict[str, Any]]:
    return pq.read_table(path).to_pylist()


def _errors(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# -- the example portfolio, against the Decimal path ----------------------------------------------


def test_every_scored_project_equals_the_decimal_path(csv_run, reference):
    out, _ = csv_run
    good = [scores_of(e) for e in reference if isinstance(e, evalcore.Evaluation)]
    assert [scores_of_row(r) for r in _rows(out)] == good
    assert len(good) == 291


def test_the_refused_projects_are_in_the_errors_file_with_their_row(csv_run, reference):
    out, result = csv_run
    assert result.errors_file == errors_path(out) == out.with_name("scores.errors.jsonl")
    filed = _errors(result.errors_file)
    refused = [(n, e) for n, e in enumerate(reference) if isinstance(e, evalcore.EvaluationError)]
    rows = csv_rows()
    assert [f["source"] for f in filed] == [f"{CSV}:{n + 2}" for n, _ in refused]
    assert [f["project"] for f in filed] == [rows[n]["project"] for n, _ in refused]
    for entry, (_, error) in zip(filed, refused, strict=True):
        for problem in error.problems:
            assert any(problem.message in text for text in entry["problems"]), entry


def test_the_summary_figures_are_those_of_the_decimal_path(csv_run, reference):
    _, result = csv_run
    good = [e for e in reference if isinstance(e, evalcore.Evaluation)]
    data = result.summary.to_dict()
    totals = [e.total for e in good]
    assert data["projects"] == 300 and data["scored"] == 291 and data["in_error"] == 9
    assert data["grades"] == {g: sum(e.grade == g for e in good) for g in ("优", "良", "中", "差")}
    assert Decimal(data["mean_total"]) == round_half_up(sum(totals) / len(totals), 2)
    assert Decimal(data["median_total"]) == statistics.median(totals)
    lost: Counter[str] = Counter()
    losing: Counter[str] = Counter()
    for e in good:
        for row in [e.budget, *e.rows]:
            ident = row.id if hasattr(row, "id") else "budget"
            lost[ident] += row.points - row.score
            losing[ident] += row.score < row.points
    top = sorted((k for k in lost if lost[k] > 0), key=lambda k: -lost[k])[:10]
    assert [(m["indicator"], Decimal(m["points_lost"]), m["projects"]) for m in data["most_lost"]] \
        == [(k, lost[k], losing[k]) for k in top]
    assert data["findings"] == dict(Counter(f.code for e in good for f in e.findings))


def test_the_example_csv_is_what_its_generator_writes():
    assert CSV.read_text(encoding="utf-8") == generate.generate()
    assert len(csv_rows()) == generate.COUNT


# -- every input kind ------------------------------------------------------------------------------


def _totals(path: Path) -> list[tuple[str, Decimal]]:
    return [(r["project"], r["total"]) for r in _rows(path)]


def test_a_folder_of_project_files_scores_like_each_file(tmp_path, reference):
    folder = tmp_path / "projects"
    expected(csv_rows()[:40], folder)  # writes p00000.toml ... as the reference did
    (folder / "scheme.toml").write_text(SCHEME.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "scores.parquet"
    result = run_batch(folder, SCHEME, out, batch_size=16, progress=False)
    good = [scores_of(e) for e in reference[:40] if isinstance(e, evalcore.Evaluation)]
    assert [scores_of_row(r) for r in _rows(out)] == good
    assert [Path(f["source"]).name for f in _errors(result.errors_file)] == ["p00036.toml"]


def test_a_file_that_does_not_load_in_the_middle_of_a_folder_is_filed(tmp_path):
    folder = tmp_path / "projects"
    expected(csv_rows()[:3], folder)
    (folder / "p00001.toml").write_text("[project\nname = 1\n", encoding="utf-8")
    out = tmp_path / "scores.jsonl"
    result = run_batch(folder, SCHEME, out, progress=False)
    assert [json.loads(line)["project"] for line in out.read_text(encoding="utf-8").splitlines()] \
        == [csv_rows()[0]["project"], csv_rows()[2]["project"]]
    (filed,) = _errors(result.errors_file)
    assert filed["source"].endswith("p00001.toml") and "not valid TOML" in filed["problems"][0]
    assert result.summary.in_error == 1 and result.summary.scored == 2


def test_the_folder_of_the_shared_scheme_example_scores_like_evaluate(tmp_path):
    """The towns' own files: a budget reason and a published total count as in evaluate."""
    folder = PORTFOLIO.parent / "shared-scheme"
    out = tmp_path / "towns.parquet"
    run_batch(folder, folder / "scheme.toml", out, progress=False)
    want = [scores_of(evalcore.evaluate(evalcore.load_project(f)))
            for f in sorted(folder.glob("*.toml")) if f.name != "scheme.toml"]
    assert [scores_of_row(r) for r in _rows(out)] == want
    assert "published-differs" in want[2]["codes"]  # 石桥镇 (shiqiao.toml)


def test_a_parquet_file_and_a_partitioned_dataset_score_like_the_csv(tmp_path, csv_run):
    out, _ = csv_run
    table = pa.csv.read_csv(CSV, convert_options=pa.csv.ConvertOptions(
        column_types={n: pa.string() for n in generate.COLUMNS}, strings_can_be_null=True))
    table = table.set_column(3, "budget_planned", table.column(3).cast(pa.int64()))
    pq.write_table(table, tmp_path / "projects.parquet", row_group_size=50)
    run_batch(tmp_path / "projects.parquet", SCHEME, tmp_path / "a.parquet", batch_size=40,
              progress=False)
    assert _totals(tmp_path / "a.parquet") == _totals(out)
    ds.write_dataset(table, tmp_path / "dataset", format="parquet", partitioning=["department"],
                     partitioning_flavor="hive")
    result = run_batch(tmp_path / "dataset", SCHEME, tmp_path / "b.parquet", progress=False)
    assert sorted(_totals(tmp_path / "b.parquet")) == sorted(_totals(out))
    assert all("department=" in f["source"] for f in _errors(result.errors_file))


def test_an_xlsx_with_one_project_per_row_scores_like_the_csv(tmp_path, csv_run):
    out, _ = csv_run
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(generate.COLUMNS)
    for row in csv_rows()[:60]:
        # numbers as numbers, as a spreadsheet holds them
        sheet.append([float(v) if k.startswith("budget_") else v or None for k, v in row.items()])
    book.save(tmp_path / "projects.xlsx")
    result = run_batch(tmp_path / "projects.xlsx", SCHEME, tmp_path / "x.parquet",
                       batch_size=25, progress=False)
    names = {row["project"] for row in csv_rows()[:60]}
    assert _totals(tmp_path / "x.parquet") == [t for t in _totals(out) if t[0] in names]
    assert [f["source"] for f in _errors(result.errors_file)] == \
        [f"{tmp_path / 'projects.xlsx'}:38"]


# -- every output kind -----------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_csv_and_json_lines_hold_the_exact_scores(tmp_path, csv_run, suffix):
    out, _ = csv_run
    target = tmp_path / f"scores{suffix}"
    run_batch(CSV, SCHEME, target, progress=False)
    if suffix == ".csv":
        with target.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        findings = [json.loads(r["findings"]) for r in rows]
    else:
        rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
        findings = [r["findings"] for r in rows]
    parquet = _rows(out)
    assert [(r["project"], r["total"], r["road-km"]) for r in rows] == \
        [(r["project"], str(r["total"]), str(r["road-km"])) for r in parquet]
    assert findings == [r["findings"] for r in parquet]
    assert list(rows[0]) == [n for n in pq.read_schema(out).names]


def test_a_csv_cell_a_spreadsheet_would_run_is_guarded(tmp_path):
    rows = csv_rows()[:2]
    rows[0]["project"] = "=HYPERLINK(\"http://x\")"
    source = tmp_path / "in.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, generate.COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    run_batch(source, SCHEME, tmp_path / "out.csv", progress=False)
    text = (tmp_path / "out.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text.splitlines()[1]


def test_an_input_without_projects_gives_an_empty_output_with_every_column(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(",".join(generate.COLUMNS) + "\n", encoding="utf-8")
    result = run_batch(source, SCHEME, tmp_path / "out.parquet", progress=False)
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.num_rows == 0 and "total" in table.column_names and "errors" not in table.column_names
    assert result.summary.to_dict()["mean_total"] is None


# -- bad projects never stop the batch -------------------------------------------------------------


def test_a_bad_amount_in_the_middle_is_filed_and_the_rest_scored(tmp_path, reference):
    rows = csv_rows()[:5]
    rows[2]["budget_planned"] = "two thousand"
    source = tmp_path / "in.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, generate.COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    result = run_batch(source, SCHEME, tmp_path / "out.parquet", batch_size=2, progress=False)
    assert [r["project"] for r in _rows(tmp_path / "out.parquet")] == \
        [r["project"] for i, r in enumerate(rows) if i != 2]
    (filed,) = _errors(result.errors_file)
    assert filed["source"] == f"{source}:4" and filed["project"] == rows[2]["project"]
    assert "budget_planned" in filed["problems"][0] and "not a number" in filed["problems"][0]


@settings(max_examples=8, deadline=None)
@given(st.integers(1, 12))
def test_the_chunk_size_changes_nothing(tmp_path_factory, size):
    folder = tmp_path_factory.mktemp("chunks")
    rows = csv_rows()[30:45]
    source = folder / "in.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, generate.COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    one = run_batch(source, SCHEME, folder / "one.parquet", batch_size=1000, progress=False)
    many = run_batch(source, SCHEME, folder / "many.parquet", batch_size=size, progress=False)
    assert _rows(folder / "one.parquet") == _rows(folder / "many.parquet")
    assert one.summary.to_dict() == many.summary.to_dict()
    assert _errors(one.errors_file) == _errors(many.errors_file)


# -- the summary's arithmetic ---------------------------------------------------------------------

totals = st.lists(st.decimals(0, 100, places=2), min_size=1, max_size=60)


@given(totals)
def test_the_median_and_mean_are_exact(values):
    plan = evalcore.compile(evalcore.load_scheme(SCHEME))
    summary = PortfolioSummary(plan, scored=len(values), totals=Counter(values))
    assert summary.median() == statistics.median(values)
    assert summary.mean() == round_half_up(sum(values) / len(values), 2)


def test_the_median_of_an_even_count_is_the_mean_of_the_middle_two():
    plan = evalcore.compile(evalcore.load_scheme(SCHEME))
    summary = PortfolioSummary(plan, scored=4, totals=Counter(
        [Decimal("80.01"), Decimal("90.00"), Decimal("90.01"), Decimal("99")]))
    assert summary.median() == Decimal("90.005")
    assert summary.mean() == Decimal("89.76")  # 359.02 / 4 = 89.755, half up


# -- the command line ------------------------------------------------------------------------------


def test_the_command_exits_0_with_bad_projects_and_says_so(tmp_path, capsys, csv_run):
    out = tmp_path / "scores.parquet"
    code, stdout, err = run(capsys, "batch", CSV, "--scheme", SCHEME, "-o", out,
                            "--summary-json", tmp_path / "summary.json")
    assert code == 0 and err == ""  # stderr is not a terminal: no progress bar
    assert "共300个项目：已评分291个，出错9个" in stdout  # Chinese unless --lang en
    assert f"9个项目无法评分，见 {errors_path(out)}" in stdout
    assert json.loads((tmp_path / "summary.json").read_text(encoding="utf-8")) == \
        csv_run[1].summary.to_dict()


@pytest.mark.parametrize("output", ["scores.xls", "scores"])
def test_an_unknown_output_suffix_is_a_usage_error(tmp_path, capsys, output):
    code, _, err = run(capsys, "batch", CSV, "--scheme", SCHEME, "-o", tmp_path / output)
    assert code == 2 and "cannot write a" in err and ".parquet, .csv or .jsonl" in err
    assert "Traceback" not in err and not (tmp_path / output).exists()


def test_an_unknown_input_kind_is_a_usage_error(tmp_path, capsys):
    source = tmp_path / "projects.ods"
    source.write_text("x", encoding="utf-8")
    code, _, err = run(capsys, "batch", source, "--scheme", SCHEME, "-o", tmp_path / "o.csv")
    assert code == 2 and "cannot read a '.ods' portfolio" in err


def test_a_column_no_indicator_has_stops_before_any_scoring(tmp_path, capsys):
    source = tmp_path / "in.csv"
    source.write_text(CSV.read_text(encoding="utf-8").replace("road-km,", "road-kms,", 1),
                      encoding="utf-8")
    code, out, err = run(capsys, "batch", source, "--scheme", SCHEME, "-o", tmp_path / "o.csv")
    assert code == 2 and "road-kms" in err and "road-km" in err.replace("road-kms", "")
    assert str(source) in err and out == ""
    assert list(tmp_path.iterdir()) == [source]  # no output, no errors file


def test_a_scheme_with_errors_is_a_usage_error(tmp_path, capsys):
    scheme = tmp_path / "scheme.toml"
    scheme.write_text(SCHEME.read_text(encoding="utf-8").replace("数量指标", "数量支标"),
                      encoding="utf-8")
    code, _, err = run(capsys, "batch", CSV, "--scheme", scheme, "-o", tmp_path / "o.csv")
    assert code == 2 and "数量支标" in err and "Traceback" not in err


def test_a_missing_input_is_a_usage_error(tmp_path, capsys):
    code, _, err = run(capsys, "batch", tmp_path / "nope.csv", "--scheme", SCHEME,
                       "-o", tmp_path / "o.csv")
    assert code == 2 and "no such file or folder" in err


def test_a_batch_size_below_one_is_a_usage_error(tmp_path, capsys):
    code, _, err = run(capsys, "batch", CSV, "--scheme", SCHEME, "-o", tmp_path / "o.csv",
                       "--batch-size", "0")
    assert code == 2 and "at least 1" in err


# -- optional packages -----------------------------------------------------------------------------


@pytest.mark.parametrize(("module", "extra", "source"), [
    ("pyarrow", "batch", CSV), ("openpyxl", "excel", "projects.xlsx")])
def test_a_missing_package_names_the_extra_to_install(tmp_path, capsys, monkeypatch, module,
                                                      extra, source):
    if source == "projects.xlsx":
        source = tmp_path / "projects.xlsx"
        source.write_bytes(b"PK")
    monkeypatch.setitem(sys.modules, module, None)  # import fails as if it were not installed
    code, _, err = run(capsys, "batch", source, "--scheme", SCHEME, "-o", tmp_path / "o.csv")
    assert code == 2 and f"pip install 'evalcore-jixiao[{extra}]'" in err
    assert "Traceback" not in err and "pip install evalcore " not in err


def test_the_progress_bar_is_drawn_on_stderr_when_asked(tmp_path, capsys):
    run_batch(CSV, SCHEME, tmp_path / "o.parquet", progress=True)
    assert "\r300 projects [" in capsys.readouterr().err  # a CSV: counted as it is read


def test_without_tqdm_a_progress_bar_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm", None)
    with pytest.raises(evalcore.EvalcoreError, match=r"pip install 'evalcore-jixiao\[batch\]'"):
        run_batch(CSV, SCHEME, tmp_path / "o.parquet", progress=True)
    run_batch(CSV, SCHEME, tmp_path / "o.parquet", progress=False)  # no bar: tqdm not needed


def test_amounts_too_long_for_one_decimal_column_together_stay_exact(tmp_path):
    """10²³ beside a value with 15 decimals needs 39 digits: more than a decimal128 holds, so
    the column holds the exact text instead (which reads back as the same numbers)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["project", "budget_planned", "budget_executed", "road-km"])
    sheet.append(["甲", "100000000000000000000000", "1", "130公里"])
    sheet.append(["乙", "100.000000000000001", "100", "130公里"])
    book.save(tmp_path / "p.xlsx")
    result = run_batch(tmp_path / "p.xlsx", SCHEME, tmp_path / "o.parquet", progress=False)
    assert result.summary.scored == 2
    assert [r["budget"] for r in _rows(tmp_path / "o.parquet")] == [Decimal("0.00"),
                                                                      Decimal("10.00")]


@pytest.mark.parametrize(("name", "content"), [
    ("bad.csv", "project,road-km\n甲,1公里,多余的一格\n"),  # a row longer than the header
    ("bad.parquet", "not a parquet file"),
])
def test_a_file_that_is_not_what_its_name_says_is_a_located_usage_error(tmp_path, capsys, name,
                                                                         content):
    source = tmp_path / name
    source.write_text(content, encoding="utf-8")
    code, _, err = run(capsys, "batch", source, "--scheme", SCHEME, "-o", tmp_path / "o.csv")
    assert code == 2 and f"{source}: error: cannot read the" in err and "Traceback" not in err


# -- scores only -----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_scores_only_writes_the_same_scores_without_findings(tmp_path, capsys, csv_run, lang):
    """``--scores-only``: every score, total, grade and filed error as the full run gives them,
    no findings column, and a summary that says findings were not looked for (None in JSON,
    not an empty count)."""
    out = tmp_path / "scores.parquet"
    code, stdout, err = run(capsys, "batch", CSV, "--scheme", SCHEME, "-o", out, "--scores-only",
                            "--lang", lang, "--summary-json", tmp_path / "summary.json")
    assert code == 0 and err == ""
    full = pq.read_table(csv_run[0])
    quick = pq.read_table(out)
    assert "findings" not in quick.column_names
    assert quick.equals(full.drop_columns(["findings"]))
    assert _errors(errors_path(out)) == _errors(csv_run[1].errors_file)
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert summary["findings"] is None
    assert summary == {**csv_run[1].summary.to_dict(), "findings": None}
    assert ("问题：未查找（只计分）" if lang == "zh" else "findings: not looked for (scores only)") \
        in stdout


def test_scores_only_of_an_empty_input_has_every_column_but_findings(tmp_path):
    source = tmp_path / "empty.csv"
    source.write_text(CSV.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    out = tmp_path / "scores.parquet"
    run_batch(source, SCHEME, out, progress=False, findings=False)
    full = tmp_path / "full.parquet"
    run_batch(source, SCHEME, full, progress=False)
    assert pq.read_table(out).schema == pq.read_table(full).schema.remove(
        pq.read_table(full).schema.get_field_index("findings"))


# -- rows scored from the funds block ----------------------------------------------------------------


_FUNDS_SCHEME = """\
[scheme]
name = "funds"
profile = "national-2020"

[settings]
weights = {}
decimals = 2

[[indicator]]
id = "arrival"
name = "资金到位率"
category = "quality"
target = "100%"
rule = "arrival-rate"
points = 10

[[indicator]]
id = "spending"
name = "预算执行率"
category = "quality"
target = "100%"
rule = "spending-rate"
points = 10

[[indicator]]
id = "y"
name = "其他"
category = "quantity"
target = "≥1"
points = 80
"""


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_a_folder_whose_rows_read_the_funds_block_scores_like_evaluate(tmp_path, suffix):
    """资金到位率 and the 过程 预算执行率 read [budget] received through ``budget_received``: a
    folder of such project files (one without [budget], one without received), written as
    Parquet or CSV, scores as each file does one by one."""
    (tmp_path / "scheme.toml").write_text(_FUNDS_SCHEME, encoding="utf-8")
    figures = {"a": "planned = 500\nexecuted = 450\nreceived = 480",
               "b": "planned = 500\nexecuted = 500\nreceived = 500", "c": None,
               "d": "planned = 500\nexecuted = 450"}
    folder = tmp_path / "projects"
    folder.mkdir()
    for name, budget in figures.items():
        text = f'[project]\nname = "{name}"\nscheme = "../scheme.toml"\n\n'
        if budget is not None:
            text += f"[budget]\n{budget}\n\n"
        text += '[actual]\ny = "1"\narrival = { reason = "年底到位" }\n'
        (folder / f"{name}.toml").write_text(text, encoding="utf-8")
    out = tmp_path / f"scores{suffix}"
    result = run_batch(folder, tmp_path / "scheme.toml", out, progress=False)
    plan = evalcore.compile(evalcore.load_scheme(tmp_path / "scheme.toml"))
    want = {}
    for name in figures:
        try:
            want[name] = plan.evaluate(evalcore.load_project(folder / f"{name}.toml")).total
        except evalcore.EvaluationError:
            want[name] = None
    rows = _rows(out) if suffix == ".parquet" else list(csv.DictReader(out.open(encoding="utf-8")))
    got = {r["project"]: Decimal(str(r["total"])) for r in rows}
    assert got == {k: v for k, v in want.items() if v is not None}
    assert want["d"] is None and result.summary.in_error == 1  # received missing: the rule's error
    assert got["c"] == Decimal("80.00")  # no [budget]: both rows 0, missing
