"""The split form: one scheme file (the indicator system) shared by many project files.

A project names its scheme in ``project.scheme`` (relative to the project file)
or gets one from the caller (``--scheme``, ``load_project(scheme=...)``). The
scheme is compiled once and evaluates any number of projects; a project file
holds facts only (funds, actual values), never indicators or settings.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers import line_of, write

import evalcore
from evalcore import EvalcoreError, LoadError, Status, ValidationError
from evalcore.cli import main

SCHEME = """\
[scheme]
name = "培训项目指标体系"
profile = "national-2020"

[settings]
decimals = 1

[budget]
points = 10

[[indicator]]
id = "n"
name = "培训人次"
category = "数量指标"
target = "≥100人次"
points = 50

[[indicator]]
id = "s"
name = "培训效果"
category = "social"
target = "显著提升"
points = 30

[[indicator]]
id = "sat"
name = "学员满意度"
category = "satisfaction"
target = "≥90%"
points = 10
"""

# Budget 9 (90%) + n 40 (80/100 × 50) + s 20 (assessed) + sat 10 = 79.0 (中).
PROJECT_A = """\
[project]
name = "甲县培训"
year = 2022
scheme = "scheme.toml"

[budget]
planned = 100
executed = 90
reason = "部分培训改为线上"

[actual]
n = { value = "80人次", reason = "疫情停课两周" }
s = { value = "部分完成", assessed = 20, reason = "疫情" }
sat = "95%"
"""

# Budget 10 + n 50 + s 30 + sat missing (0) = 90.0 (优).
PROJECT_B = """\
[project]
name = "乙县培训"
year = 2022
scheme = "scheme.toml"

[budget]
planned = 50
executed = 50

[actual]
n = "120人次"
s = "显著提升"
"""

# No scheme of its own: scored against whatever scheme the caller gives.
PROJECT_C = """\
[project]
name = "丙县培训"

[budget]
planned = 10
executed = 10

[actual]
n = "100人次"
s = "显著提升"
sat = "90%"
"""


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    return {
        "scheme": write(tmp_path / "scheme.toml", SCHEME),
        "a": write(tmp_path / "a.toml", PROJECT_A),
        "b": write(tmp_path / "b.toml", PROJECT_B),
        "c": write(tmp_path / "c.toml", PROJECT_C),
    }


def the_error(path: Path, **kwargs: Any) -> EvalcoreError:
    with pytest.raises(EvalcoreError) as info:
        evalcore.load_project(path, **kwargs)
    return info.value


# -- one scheme, many projects ---------------------------------------------------------------------


def test_projects_find_their_scheme_relative_to_the_project_file(files, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the scheme path is not relative to the working directory
    scheme = evalcore.load_scheme(files["scheme"])
    a, b = evalcore.load_project(files["a"]), evalcore.load_project(files["b"])
    assert a.scheme == scheme and b.scheme == scheme
    ra, rb = evalcore.evaluate(a), evalcore.evaluate(b)
    assert (ra.project, ra.scheme, ra.decimals) == ("甲县培训", "培训项目指标体系", 1)
    assert (str(ra.total), ra.grade) == ("79.0", "中")
    assert (str(rb.total), rb.grade) == ("90.0", "优")


def test_the_scheme_scores_each_project_by_its_own_actual_values(files):
    ra = evalcore.evaluate(evalcore.load_project(files["a"]))
    rows = {row.id: row for row in ra.rows}
    assert (rows["n"].score, rows["n"].status, rows["n"].reason) == (Decimal(40), Status.PARTLY_MET,
                                                                      "疫情停课两周")
    assert (rows["s"].score, rows["s"].status, rows["s"].reason) == (Decimal(20), Status.PARTLY_MET, "疫情")
    assert rows["sat"].status is Status.MET
    assert ra.budget is not None and ra.budget.score == 9

    rb = evalcore.evaluate(evalcore.load_project(files["b"]))
    missing = next(row for row in rb.rows if row.id == "sat")
    assert (missing.status, missing.score) == (Status.MISSING, 0)
    assert [f.indicator for f in rb.findings if f.code == "missing-actual"] == ["sat"]


@pytest.mark.parametrize("as_object", [False, True], ids=["path", "Scheme"])
def test_load_project_scores_a_project_against_a_scheme_given_by_the_caller(files, as_object):
    scheme = evalcore.load_scheme(files["scheme"]) if as_object else files["scheme"]
    project = evalcore.load_project(files["c"], scheme=scheme)
    result = evalcore.evaluate(project)
    assert result.scheme == "培训项目指标体系"
    assert (str(result.total), result.grade) == ("100.0", "优")


def test_a_scheme_given_by_the_caller_overrides_the_projects_own(files, tmp_path):
    heavier = SCHEME.replace("[scheme]\nname = \"培训项目指标体系\"", "[scheme]\nname = \"另一体系\"")
    heavier = heavier.replace("target = \"≥100人次\"", "target = \"≥200人次\"")
    other = write(tmp_path / "other.toml", heavier)
    result = evalcore.evaluate(evalcore.load_project(files["a"], scheme=other))
    assert result.scheme == "另一体系"
    assert next(row for row in result.rows if row.id == "n").score == 20  # 50 × 80/200


def test_the_cli_scheme_option_scores_a_project_without_its_own_scheme(files, capsys):
    code = main(["evaluate", str(files["c"]), "--scheme", str(files["scheme"]), "-f", "json"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert (data["scheme"], Decimal(data["total"])) == ("培训项目指标体系", 100)


def test_the_cli_evaluates_a_project_that_names_its_scheme(files, capsys):
    code = main(["evaluate", str(files["a"]), "-f", "csv"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert out.splitlines()[-1].startswith("total,总分,")
    assert ",79.0," in out.splitlines()[-1]


def test_a_plan_compiled_once_scores_many_projects_like_one_by_one(files):
    scheme = evalcore.load_scheme(files["scheme"])
    plan = evalcore.compile(scheme)
    projects = [evalcore.load_project(files[k], scheme=scheme) for k in ("a", "b", "c")]
    batch = list(plan.evaluate_many(projects))
    assert batch == [evalcore.evaluate(p) for p in projects]
    assert [str(r.total) for r in batch] == ["79.0", "90.0", "100.0"]
    assert {r.provenance.scheme_digest for r in batch} == {scheme.digest()}


def test_evaluate_many_is_lazy(files):
    scheme = evalcore.load_scheme(files["scheme"])
    plan = evalcore.compile(scheme)
    loaded: list[str] = []

    def projects():
        for key in ("a", "b"):
            loaded.append(key)
            yield evalcore.load_project(files[key], scheme=scheme)

    results = plan.evaluate_many(projects())
    assert loaded == []  # nothing is read before the first result is asked for
    first = next(results)
    assert (first.project, loaded) == ("甲县培训", ["a"])
    assert [r.project for r in results] == ["乙县培训"]


def test_evaluating_twice_gives_byte_identical_json(files):
    project = evalcore.load_project(files["a"])
    plan = evalcore.compile(project.scheme)
    assert plan.evaluate(project).to_json() == plan.evaluate(project).to_json()


@pytest.mark.parametrize("key", ["a", "b"])
def test_the_json_of_a_result_reads_back_into_an_equal_evaluation(files, key):
    result = evalcore.evaluate(evalcore.load_project(files[key]))
    again = evalcore.Evaluation.from_json(result.to_json())
    assert again == result
    assert again.to_json() == result.to_json()
    assert evalcore.Evaluation.from_json(evalcore.render(result, "json")) == result
    assert isinstance(again.total, Decimal) and isinstance(again.rows[0].status, Status)


# -- what a project file may not do ----------------------------------------------------------------


def test_a_project_whose_profile_contradicts_its_schemes_is_an_error(files, tmp_path):
    text = PROJECT_C.replace("[project]\n", "[project]\nprofile = \"hubei-2021\"\nscheme = \"scheme.toml\"\n")
    path = write(tmp_path / "p.toml", text)
    error = the_error(path)
    assert isinstance(error, ValidationError)
    (problem,) = error.problems
    assert (problem.origin.file, problem.origin.path) == (str(path), ("project", "profile"))
    assert problem.origin.line == line_of(text, "profile =")
    assert "'hubei-2021'" in problem.message and "'national-2020'" in problem.message


def test_a_project_that_repeats_its_schemes_profile_is_accepted(files, tmp_path):
    text = PROJECT_C.replace("[project]\n", '[project]\nprofile = "national-2020"\nscheme = "scheme.toml"\n')
    assert evalcore.load_project(write(tmp_path / "p.toml", text)).scheme.profile == "national-2020"


def test_a_project_that_names_a_scheme_and_lists_indicators_is_an_error(files, tmp_path):
    text = PROJECT_B + ('\n[[indicator]]\nid = "z"\nname = "z"\ncategory = "quantity"\n'
                        'target = "≥1个"\npoints = 100\nactual = "1个"\n')
    path = write(tmp_path / "p.toml", text)
    problems = the_error(path).problems
    assert [(p.origin.path, p.origin.line) for p in problems if "not both" in p.message] == [
        (("project", "scheme"), line_of(text, "scheme ="))]


def test_a_project_with_indicators_given_a_scheme_by_the_caller_is_an_error(files, tmp_path):
    text = '[project]\nname = "x"\n\n[[indicator]]\nid = "n"\nname = "n"\ncategory = "quantity"\n' \
           'target = "≥1个"\npoints = 100\nactual = "1个"\n'
    path = write(tmp_path / "p.toml", text)
    problems = the_error(path, scheme=files["scheme"]).problems
    assert any(p.origin.path == ("project", "indicator") and "not both" in p.message for p in problems)


def test_settings_in_a_project_that_uses_a_scheme_are_an_error(files, tmp_path):
    text = PROJECT_B.replace("[budget]", "[settings]\ndecimals = 2\n\n[budget]")
    path = write(tmp_path / "p.toml", text)
    (problem,) = the_error(path).problems
    assert (problem.origin.path, problem.origin.line) == (("settings",), line_of(text, "[settings]"))
    assert problem.message == "[settings] belong in the scheme file"


def test_budget_points_in_a_project_that_uses_a_scheme_are_an_error(files, tmp_path):
    text = PROJECT_B.replace("executed = 50", "executed = 50\npoints = 20")
    path = write(tmp_path / "p.toml", text)
    (problem,) = the_error(path).problems
    assert (problem.origin.path, problem.origin.line) == (("budget", "points"), line_of(text, "points = 20"))
    assert "unknown key 'points'" in problem.message


def test_an_actual_for_an_indicator_the_scheme_lacks_suggests_the_close_id(files, tmp_path):
    text = PROJECT_B.replace('s = "显著提升"', 's = "显著提升"\nsatt = "95%"')
    path = write(tmp_path / "p.toml", text)
    (problem,) = the_error(path).problems
    assert (problem.origin.path, problem.origin.line) == (("actual", "satt"), line_of(text, "satt ="))
    assert problem.hint == "did you mean 'sat'?"


def test_a_project_naming_a_scheme_file_that_does_not_exist_is_a_load_error(tmp_path):
    path = write(tmp_path / "p.toml", '[project]\nname = "x"\nscheme = "nowhere.toml"\n')
    error = the_error(path)
    assert isinstance(error, LoadError)
    assert error.problems[0].origin.file == str(tmp_path / "nowhere.toml")
    assert error.problems[0].message == "no such file"


def test_a_project_without_indicators_or_a_scheme_says_how_to_give_them(tmp_path):
    path = write(tmp_path / "p.toml", '[project]\nname = "x"\n\n[actual]\nn = "1个"\n')
    messages = [p.message for p in the_error(path).problems]
    assert any("add [[indicator]] tables, or name a scheme file in project.scheme" in m for m in messages)


# -- what a scheme file may not do -----------------------------------------------------------------


@pytest.mark.parametrize(("key", "literal"), [
    ("actual", '"80人次"'), ("reason", '"疫情"'), ("assessed", "20"), ("published", "40"),
    ("extra", "{ a = 1 }"),
])
def test_a_scheme_indicator_with_an_actual_key_is_an_error(tmp_path, key, literal):
    text = SCHEME.replace('target = "≥100人次"', f'target = "≥100人次"\n{key} = {literal}')
    path = write(tmp_path / "scheme.toml", text)
    with pytest.raises(ValidationError) as info:
        evalcore.load_scheme(path)
    problems = info.value.problems
    assert problems and all(p.origin.path == ("indicator", 0, key) for p in problems)
    assert all(p.origin.line == line_of(text, f"{key} = ") for p in problems)
    assert any(p.message == f"{key!r} belongs in the project file, not the scheme" for p in problems)


def test_an_actual_key_in_a_scheme_is_reported_once(tmp_path):
    text = SCHEME.replace('target = "≥100人次"', 'target = "≥100人次"\nactual = "80人次"')
    with pytest.raises(ValidationError) as info:
        evalcore.load_scheme(write(tmp_path / "scheme.toml", text))
    assert len(info.value.problems) == 1


def test_an_actual_table_in_a_scheme_is_an_error_at_its_line(tmp_path):
    text = SCHEME + '\n[actual]\nn = "80人次"\n'
    with pytest.raises(ValidationError) as info:
        evalcore.load_scheme(write(tmp_path / "scheme.toml", text))
    problem = next(p for p in info.value.problems if p.origin.path == ("actual",))
    assert problem.origin.line == line_of(text, "[actual]")
    assert "unknown key 'actual'" in problem.message


def test_every_problem_of_a_scheme_with_an_actual_table_has_a_line(tmp_path):
    text = SCHEME + '\n[actual]\nn = "80人次"\n'
    with pytest.raises(ValidationError) as info:
        evalcore.load_scheme(write(tmp_path / "scheme.toml", text))
    assert all(p.origin.line is not None for p in info.value.problems), info.value


def test_budget_figures_in_a_scheme_are_an_error(tmp_path):
    text = SCHEME.replace("points = 10\n", "points = 10\nplanned = 100\n", 1)
    with pytest.raises(ValidationError) as info:
        evalcore.load_scheme(write(tmp_path / "scheme.toml", text))
    (problem,) = info.value.problems
    assert (problem.origin.path, problem.origin.line) == (("budget", "planned"), line_of(text, "planned ="))
    assert problem.hint == "allowed: points"


def test_a_scheme_without_a_name_is_an_error(tmp_path):
    text = SCHEME.replace('name = "培训项目指标体系"\n', "")
    with pytest.raises(ValidationError) as info:
        evalcore.load_scheme(write(tmp_path / "scheme.toml", text))
    assert [p.origin.path for p in info.value.problems] == [("scheme", "name")]


# -- validate() on a scheme ------------------------------------------------------------------------


def test_validate_accepts_a_good_scheme_without_warnings(files):
    assert evalcore.validate(files["scheme"]) == []


def test_validate_warns_when_a_scheme_moves_weight_between_groups(tmp_path):
    text = SCHEME.replace("points = 50", "points = 60").replace("points = 30", "points = 20")
    warnings = evalcore.validate(write(tmp_path / "scheme.toml", text))
    assert warnings and all(w.severity == "warning" for w in warnings)
    assert any("level 1 'outputs' carries 60 points" in w.message for w in warnings)


def test_validate_reports_every_problem_of_a_bad_scheme(tmp_path):
    text = SCHEME.replace('category = "social"', 'category = "socail"')
    text = text.replace('target = "≥90%"', 'target = "≥90%"\ntaget = "x"')
    path = write(tmp_path / "scheme.toml", text)
    with pytest.raises(ValidationError) as info:
        evalcore.validate(path)
    paths = {p.origin.path: p for p in info.value.problems}
    assert set(paths) == {("indicator", 1, "category"), ("indicator", 2, "taget")}
    assert paths[("indicator", 1, "category")].hint == "did you mean 'social'?"
    assert all(p.origin.file == str(path) and p.origin.line for p in info.value.problems)


def test_validate_on_a_scheme_compiles_it(tmp_path):
    text = SCHEME.replace('target = "≥100人次"', 'target = "≥100人刺"')
    with pytest.raises(ValidationError) as info:
        evalcore.validate(write(tmp_path / "scheme.toml", text))
    problem = next(p for p in info.value.problems if p.origin.path == ("indicator", 0, "target"))
    assert "unknown unit '人刺'" in problem.message
    assert "did you mean '人'" in str(problem)


def test_an_unreadable_target_does_not_cause_a_false_points_error(tmp_path):
    text = SCHEME.replace('target = "≥100人次"', 'target = "≥100人刺"')
    with pytest.raises(ValidationError) as info:
        evalcore.validate(write(tmp_path / "scheme.toml", text))
    assert [p.origin.path for p in info.value.problems] == [("indicator", 0, "target")]


def test_validate_on_a_split_project_checks_its_actual_values(files, tmp_path):
    text = PROJECT_B.replace('n = "120人次"', 'n = "120个"')
    path = write(tmp_path / "p.toml", text)
    with pytest.raises(EvalcoreError) as info:
        evalcore.validate(path)
    (problem,) = info.value.problems
    assert (problem.origin.file, problem.origin.path) == (str(path), ("actual", "n", "value"))
    assert problem.origin.line == line_of(text, 'n = "120个"')
    assert "cannot be compared" in problem.message


def test_the_cli_validates_a_scheme_and_its_projects_together(files, capsys):
    code = main(["validate", str(files["scheme"]), str(files["a"]), str(files["b"])])
    out, _ = capsys.readouterr()
    assert code == 0
    assert f"{files['scheme']}: ok" in out
    assert f"{files['a']}: ok" in out and f"{files['b']}: ok" in out
