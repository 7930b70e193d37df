"""Everything that travels to another process pickles, and comes back equal.

A portfolio is scored on workers (``multiprocessing``, Dask): the plan and the projects go
there, the evaluations come back. Projects, schemes and indicators hold read-only mappings
(`FrozenMap`); a plan pickles as the scheme and registry it was compiled from and is compiled
again on arrival; a registry pickles as the plugins it was taken from. What cannot travel says
why, and what to do instead.
"""

from __future__ import annotations

import multiprocessing
import pickle
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evalcore
from evalcore.compiler import compile_parts
from evalcore.model import FrozenMap
from evalcore.plugin import hookimpl
from evalcore.testing import indicators, projects, schemes

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "ganzhou-2021" / "project.toml"


def round_trip(value: object) -> object:
    return pickle.loads(pickle.dumps(value))


# -- the model -----------------------------------------------------------------------------------


@given(st.data())
def test_indicators_schemes_and_projects_round_trip(registry, data):
    scheme = data.draw(schemes(registry))
    project = data.draw(projects(scheme, missing=True))
    indicator = data.draw(indicators(registry))
    for value in (indicator, scheme, project):
        back = round_trip(value)
        assert back == value and type(back) is type(value)
    assert round_trip(scheme).digest() == scheme.digest()


def test_a_project_read_from_a_file_round_trips_with_its_origins():
    project = evalcore.load_project(EXAMPLE)
    back = round_trip(project)
    assert back == project
    assert back.origin == project.origin
    assert back.actuals["q1"].origin == project.actuals["q1"].origin


@given(st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=5), max_size=6))
def test_a_frozen_map_is_a_read_only_mapping_that_pickles(items):
    frozen = FrozenMap(items)
    assert frozen == items and dict(frozen) == items and len(frozen) == len(items)
    assert round_trip(frozen) == frozen and type(round_trip(frozen)) is FrozenMap
    with pytest.raises(TypeError):
        frozen["new"] = 1  # type: ignore[index]
    with pytest.raises(AttributeError, match="cannot be changed"):
        frozen._data = {}  # type: ignore[misc]


def test_the_model_holds_frozen_maps_that_are_not_the_callers_dict():
    params = {"method": "exact"}
    ind = evalcore.Indicator("x", "指标", "quality", Decimal(1), "=1", rule="equality", params=params)
    params["method"] = "symmetric"
    assert type(ind.params) is FrozenMap and ind.params["method"] == "exact"


# -- evaluations ---------------------------------------------------------------------------------


@given(st.data())
def test_evaluations_round_trip_before_and_after_their_words_are_read(registry, data):
    scheme = data.draw(schemes(registry))
    project = data.draw(projects(scheme))
    plan = evalcore.compile(scheme, registry)
    unread = plan.evaluate(project)
    back = round_trip(unread)  # pickling reads the words
    read = plan.evaluate(project)
    assert read.rows is not None
    assert back == read and round_trip(read) == read
    assert back.to_json() == read.to_json()


# -- plans and registries ------------------------------------------------------------------------


def test_a_plan_round_trips_by_compiling_its_scheme_again(registry):
    project = evalcore.load_project(EXAMPLE)
    plan = evalcore.compile(project.scheme, registry)
    back = round_trip(plan)
    assert back == plan and back is not plan
    assert back.rows[0].scorer is not plan.rows[0].scorer  # compiled again
    assert back.registry is registry  # the same process: the same registry
    assert back.evaluate(project) == plan.evaluate(project)


def test_plans_of_different_schemes_are_not_equal(registry):
    project = evalcore.load_project(EXAMPLE)
    plan = evalcore.compile(project.scheme, registry)
    q1 = project.scheme.indicators[0]
    other = attrs.evolve(project.scheme, indicators=(attrs.evolve(q1, target="≥500批次"),
                                                     *project.scheme.indicators[1:]))
    assert evalcore.compile(other, registry) != plan
    assert evalcore.compile(project.scheme, registry) == plan


def test_a_plan_of_part_of_a_scheme_says_it_cannot_travel(registry):
    plan, _ = compile_parts(evalcore.load_project(EXAMPLE).scheme, registry)
    with pytest.raises(pickle.PicklingError, match=r"compile the scheme with evalcore\.compile"):
        pickle.dumps(plan)


def test_a_plan_changed_by_hand_says_it_cannot_travel(registry):
    plan = evalcore.compile(evalcore.load_project(EXAMPLE).scheme, registry)
    changed = attrs.evolve(plan, rows=plan.rows[:1])
    with pytest.raises(pickle.PicklingError, match=r"changed with attrs\.evolve"):
        pickle.dumps(changed)


def test_the_registry_of_the_installed_plugins_travels_as_itself(registry):
    assert round_trip(registry) is registry
    again = evalcore.Registry.from_plugins(evalcore.get_plugin_manager())
    assert again == registry  # the same plugins: equal, though taken twice


class Extra:
    """A plugin object of a module-level class: it pickles with the registry."""

    @hookimpl
    def evalcore_units(self) -> list[evalcore.plugin.Unit]:
        return [evalcore.plugin.Unit("篇章", "chapters")]


def test_a_registry_with_a_plugin_object_travels_with_it():
    registry = evalcore.Registry.from_plugins(evalcore.get_plugin_manager(plugins=[Extra()]))
    back = round_trip(registry)
    assert back.units.get("篇章") is not None
    assert back is round_trip(registry)  # taken again once per process


def test_a_registry_whose_plugin_cannot_be_pickled_names_it():
    class Local(Extra):
        pass

    registry = evalcore.Registry.from_plugins(evalcore.get_plugin_manager(plugins=[Local()]))
    with pytest.raises(pickle.PicklingError, match=r"plugin 'Local' .* cannot be sent"):
        pickle.dumps(registry)


def test_a_registry_made_by_hand_says_how_to_make_one_that_travels(registry):
    by_hand = attrs.evolve(registry)
    assert by_hand == registry
    with pytest.raises(pickle.PicklingError, match=r"Registry\.from_plugins"):
        pickle.dumps(by_hand)


# -- another process -----------------------------------------------------------------------------


def _score(plan: evalcore.Plan, projects: list[evalcore.Project]) -> list[evalcore.Evaluation]:
    return [plan.evaluate(p) for p in projects]


def test_a_spawned_worker_scores_a_plan_and_projects_sent_to_it(registry):
    project = evalcore.load_project(EXAMPLE)
    plan = evalcore.compile(project.scheme, registry)
    others = [attrs.evolve(project, actuals={**project.actuals,
                                             "q1": evalcore.Actual(f"{n}批次", reason="r")})
              for n in (100, 399, 441)]
    sent = [project, *others]
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        back = pool.apply(_score, (plan, sent))
    assert back == _score(plan, sent)
    assert [e.rows[0].score for e in back] == [Decimal(5), Decimal(1), Decimal(5), Decimal(5)]
