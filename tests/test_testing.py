"""evalcore.testing: the laws hold for every built-in rule, and catch a broken one."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings

import evalcore
from evalcore.plugin import Comparator, RuleType, hookimpl
from evalcore.plugins import get_plugin_manager
from evalcore.scoring import actual_number, outcome
from evalcore.testing import check_rule_laws, projects, schemes

NUMERIC = ("standard", "positive", "reverse", "equality", "threshold")


@pytest.mark.parametrize("rule", NUMERIC)
def test_the_national_rules_obey_every_law(rule, registry):
    comparators = {
        "positive": (Comparator.GE, Comparator.GT),
        "reverse": (Comparator.LE, Comparator.LT),
        "equality": (Comparator.EQ,),
    }.get(rule, tuple(Comparator))
    check_rule_laws(rule, registry=registry, comparators=comparators, max_examples=60)


def test_the_formula_rule_obeys_the_laws_for_a_proportional_formula(registry):
    check_rule_laws("formula", registry=registry, comparators=(Comparator.GE,), max_examples=60,
                    params={"expression": "points * clamp(actual / target, 0, 1)"})


def broken_compile(params, ctx):
    def score(obs):
        b = actual_number(obs, ctx)
        return outcome(ctx, obs, ctx.points * 2 if b > 500 else b / 1000, "broken")

    return score


class Broken:
    @hookimpl
    def evalcore_rule_types(self):
        return [RuleType("broken", broken_compile)]


def test_a_rule_that_leans_on_the_engines_cap_breaks_the_bounded_law():
    registry = evalcore.Registry.from_plugins(get_plugin_manager(plugins=[Broken()]))
    with pytest.raises(AssertionError, match="outside"):
        check_rule_laws("broken", registry=registry, laws=["bounded"], comparators=(Comparator.GE,),
                        max_examples=200)


def test_a_rule_that_ignores_the_target_breaks_the_met_law():
    registry = evalcore.Registry.from_plugins(get_plugin_manager(plugins=[Broken()]))
    with pytest.raises(AssertionError, match="met by"):
        check_rule_laws("broken", registry=registry, laws=["met"], comparators=(Comparator.GE,),
                        max_examples=200)


def test_unknown_law_names_are_refused(registry):
    with pytest.raises(ValueError, match="unknown laws"):
        check_rule_laws("positive", registry=registry, laws=["bounded", "fast"])


@settings(max_examples=30, deadline=None)
@given(data=__import__("hypothesis").strategies.data())
def test_generated_schemes_add_up_and_generated_projects_evaluate(data):
    registry = evalcore.default_registry()
    scheme = data.draw(schemes(registry))
    assert sum(i.points for i in scheme.indicators) + (scheme.budget_points or 0) == 100
    project = data.draw(projects(scheme, missing=True))
    result = evalcore.evaluate(project, registry)
    assert 0 <= result.total <= 100
    assert result.points == Decimal(100)


def test_the_laws_catch_a_formula_that_goes_negative(registry):
    with pytest.raises(AssertionError, match="outside"):
        check_rule_laws("formula", registry=registry, laws=["bounded"], comparators=(Comparator.GE,),
                        params={"expression": "points * min(actual / target, 1)"}, max_examples=200)


def test_the_registry_factory_fixture_builds_isolated_registries(evalcore_make_registry):
    small = evalcore_make_registry(entry_points=("units", "groups", "rules", "aggregation", "quantity"))
    assert set(small.categories) == {"quantity"}
    assert evalcore_make_registry(Broken()).rules.keys() == {"broken"}
    with pytest.raises(evalcore.PluginError, match="did you mean 'quantity'"):
        evalcore_make_registry(entry_points=("quantty",))


def test_golden_case_failures_say_what_differed(tmp_path, registry):
    from evalcore.golden import load_cases, run_case

    path = tmp_path / "cases.toml"
    path.write_text('[[case]]\nname = "wrong on purpose"\n[case.indicator]\ncategory = "quantity"\n'
                    'target = "≥400"\nactual = "300"\npoints = 10\n[case.expect]\nscore = "7.5"\n'
                    'status = "met"\n', encoding="utf-8")
    (case,) = load_cases(path)
    assert run_case(case, registry) == ["score: expected 7.5, got 7.50",
                                        "status: expected met, got partly-met"]


def test_a_malformed_golden_file_is_refused_with_locations(tmp_path):
    from evalcore.golden import load_cases

    path = tmp_path / "cases.toml"
    path.write_text('[[case]]\nname = "x"\n[case.indicator]\ncategory = "quantity"\n'
                    '[case.expect]\nscroe = 1\n', encoding="utf-8")
    with pytest.raises(evalcore.ValidationError, match="did you mean 'score'"):
        load_cases(path)


@pytest.mark.parametrize(("key", "hint"), [("scroe", "did you mean 'score'"),
                                            ("rule", "allowed: score, status")])
def test_an_unknown_key_of_a_row_expectation_is_a_located_error(tmp_path, key, hint):
    from evalcore.golden import load_cases

    path = tmp_path / "cases.toml"
    path.write_text('[[case]]\nname = "x"\nproject = "p.toml"\n\n\n'
                    '[case.expect.rows.n1]\nscore = 1\n'
                    f'{key} = "positive"\n', encoding="utf-8")
    with pytest.raises(evalcore.ValidationError) as caught:
        load_cases(path)
    text = str(caught.value)
    assert f"cases.toml:8: case[0].expect.rows.n1.{key}: error" in text and hint in text
    assert len(caught.value.problems) == 1


def test_every_golden_file_of_the_repository_loads_with_only_known_row_keys():
    from conftest import ROOT

    from evalcore.golden import ROW_KEYS, find_case_files, load_cases

    pefa = ROOT / "examples" / "plugins" / "evalcore-pefa" / "tests" / "golden"
    folders = [ROOT / "tests" / "golden", pefa]
    cases = [c for f in find_case_files(folders) for c in load_cases(f)]
    assert len(cases) > 300
    assert all(set(wanted) <= ROW_KEYS for c in cases
               for wanted in c.data["expect"].get("rows", {}).values())


def test_the_test_command_exits_0_1_or_2(tmp_path, capsys):
    from conftest import ROOT

    from evalcore.cli import main

    assert main(["test", str(ROOT / "tests" / "golden")]) == 0
    assert " 0 failed" in capsys.readouterr().out
    bad = tmp_path / "bad.toml"
    bad.write_text('[[case]]\nname = "x"\n[case.indicator]\ncategory = "quantity"\ntarget = "≥1"\n'
                   'actual = "0"\npoints = 10\n[case.expect]\nscore = 10\n', encoding="utf-8")
    assert main(["test", str(bad)]) == 1
    assert "FAIL bad.toml::x" in capsys.readouterr().out
    bad.write_text("[[case]]\n", encoding="utf-8")
    assert main(["test", str(bad)]) == 2


@settings(max_examples=40, deadline=None)
@given(data=__import__("hypothesis").strategies.data(),
       target=__import__("hypothesis").strategies.sampled_from(
           ["≥400批次", "≤500万元", "=100%", "2021-12-31", "按期完成"]))
def test_actuals_for_a_target_are_scored_or_refused_with_a_located_error(data, target):
    from evalcore.testing import actuals_for

    registry = evalcore.default_registry()
    actual = data.draw(actuals_for(target, registry))
    category = "timeliness" if target[0].isdigit() or target == "按期完成" else "quantity"
    scheme = evalcore.Scheme("s", (evalcore.Indicator("x", "x", category, Decimal(100), target),))
    project = evalcore.Project(evalcore.ProjectInfo("p"), scheme,
                               actuals={"x": evalcore.Actual(actual, reason="r")})
    try:
        row = evalcore.evaluate(project, registry).rows[0]
    except evalcore.EvaluationError as exc:
        assert actual == "某种说法" and "cannot tell which tier" in str(exc)
    else:
        assert 0 <= row.score <= 100


def test_evalcore_testing_without_hypothesis_says_how_to_install_it(monkeypatch):
    import importlib
    import sys

    monkeypatch.setitem(sys.modules, "hypothesis", None)
    monkeypatch.delitem(sys.modules, "evalcore.testing", raising=False)
    with pytest.raises(ImportError, match=r"pip install 'evalcore-jixiao\[testing\]'"):
        importlib.import_module("evalcore.testing")


@pytest.mark.parametrize(("line", "message"), [
    ("settings = 5", "settings must be a table"),
    ('budget = "x"', "budget must be a table"),
])
def test_golden_files_of_the_wrong_shape_are_refused_with_locations(tmp_path, line, message):
    from evalcore.golden import load_cases

    path = tmp_path / "cases.toml"
    path.write_text(f'[[case]]\nname = "x"\n{line}\n[case.expect]\nscore = 1\n', encoding="utf-8")
    with pytest.raises(evalcore.ValidationError, match=message) as info:
        load_cases(path)
    assert info.value.problems[0].origin.line == 3
