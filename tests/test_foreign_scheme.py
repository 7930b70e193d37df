"""A plan refuses a project written for another scheme, with the one check the CLI uses.

`Plan.evaluate` used to score such a project silently (every row missing, 差); the build
stage already refused the same pairing on the command line (`--scheme`), through
`evalcore.model.foreign_actuals`, which both now share.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evalcore
from evalcore.model import Actual

EXAMPLES = Path(__file__).parent.parent / "examples"
GANZHOU = EXAMPLES / "ganzhou-2021" / "project.toml"
SHARED = EXAMPLES / "shared-scheme"


def test_a_plan_refuses_a_project_of_another_scheme_naming_both():
    project = evalcore.load_project(GANZHOU)
    plan = evalcore.compile(evalcore.load_scheme(SHARED / "scheme.toml"))
    with pytest.raises(evalcore.EvaluationError) as info:
        plan.evaluate(project)
    (problem,) = info.value.problems
    assert problem.origin.file == str(GANZHOU)
    assert f"scheme '{project.scheme.name}' ({GANZHOU})" in problem.message
    assert f"scheme '{plan.scheme.name}' ({SHARED / 'scheme.toml'})" in problem.message


def test_evaluate_many_refuses_it_too():
    plan = evalcore.compile(evalcore.load_scheme(SHARED / "scheme.toml"))
    good = evalcore.load_project(SHARED / "dongguan.toml")
    results = plan.evaluate_many([good, evalcore.load_project(GANZHOU)])
    assert next(results).total > 0
    with pytest.raises(evalcore.EvaluationError):
        next(results)


def test_the_same_scheme_read_twice_is_the_same_scheme():
    project = evalcore.load_project(SHARED / "dongguan.toml")
    plan = evalcore.compile(evalcore.load_scheme(SHARED / "scheme.toml"))
    assert project.scheme is not plan.scheme
    assert plan.evaluate(project) == evalcore.evaluate(project)


def test_an_inline_project_scores_against_a_plan_of_equal_content():
    project = evalcore.load_project(GANZHOU)
    copy = attrs.evolve(project.scheme, indicators=tuple(project.scheme.indicators))
    plan = evalcore.compile(copy)
    assert plan.scheme is not project.scheme
    assert plan.evaluate(project).total == evalcore.evaluate(project).total


def test_a_scheme_that_differs_in_one_point_is_another_scheme():
    project = evalcore.load_project(GANZHOU)
    first, *rest = project.scheme.indicators
    changed = attrs.evolve(project.scheme, indicators=(attrs.evolve(first, notes="x"), *rest))
    with pytest.raises(evalcore.EvaluationError, match="was written for the scheme"):
        evalcore.compile(changed).evaluate(project)


def test_actuals_for_indicators_the_plan_lacks_are_refused_even_with_its_scheme():
    project = evalcore.load_project(GANZHOU)
    stray = attrs.evolve(project, actuals={**project.actuals, "nope": Actual(value="1")})
    with pytest.raises(evalcore.EvaluationError, match="'nope', which is not an indicator of the "
                                                       "scheme"):
        evalcore.compile(project.scheme).evaluate(stray)


@settings(max_examples=30, deadline=None)
@given(st.text(min_size=1, max_size=12).filter(lambda s: s.strip()))
def test_any_unknown_actual_id_is_refused_and_named(ident):
    project = evalcore.load_project(GANZHOU)
    if ident in {ind.id for ind in project.scheme.indicators}:
        return
    stray = attrs.evolve(project, actuals={**project.actuals, ident: Actual(value="1")})
    with pytest.raises(evalcore.EvaluationError) as info:
        evalcore.compile(project.scheme).evaluate(stray)
    assert len(info.value.problems) == 1


def test_the_cli_and_the_library_give_the_same_message(tmp_path, capsys):
    from evalcore.cli import main

    scheme = SHARED / "scheme.toml"
    path = tmp_path / "p.toml"
    path.write_text('[project]\nname = "x"\n[actual]\nnope = "1"\n', encoding="utf-8")
    assert main(["evaluate", str(path), "--scheme", str(scheme)]) == 2
    printed = capsys.readouterr().err
    plan = evalcore.compile(evalcore.load_scheme(scheme))
    project = evalcore.Project(evalcore.ProjectInfo("x"), plan.scheme,
                               actuals={"nope": Actual(value="1")})
    with pytest.raises(evalcore.EvaluationError) as info:
        plan.evaluate(project)
    (problem,) = info.value.problems
    assert problem.message in printed


def test_a_schemes_digest_is_kept_and_a_changed_copy_gets_its_own():
    scheme = evalcore.load_project(GANZHOU).scheme
    assert scheme.digest() is scheme.digest()  # computed once per scheme object
    renamed = attrs.evolve(scheme, name="另一个方案")
    assert renamed.digest() != scheme.digest()
    assert attrs.evolve(renamed, name=scheme.name).digest() == scheme.digest()
