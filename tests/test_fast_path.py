"""The numbers-first path: plan.evaluate scores numbers, and builds the words when they are read.

What is pinned here: the numbers-first result is the full path's, field for field and byte for
byte (random schemes, every golden case, every example); the words are built once, when first
read; every built-in rule's numbers-only path agrees with its full scorer; a plain third-party
`Scorer` still works, and a numbers-only path that disagrees with its scorer is a PluginError,
never a wrong row; actual values and unit factors are read once; `evalcore.evaluate` reuses
the plan of a scheme it has seen and never serves a stale one.
"""

from __future__ import annotations

import decimal
import functools
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evalcore
from evalcore import api, evaluation, numbers_first, quantities
from evalcore import units as units_module
from evalcore.build import build_project
from evalcore.golden import _case_document, find_case_files, load_cases
from evalcore.model import Budget, ProjectInfo
from evalcore.numbers import context
from evalcore.plugin import (
    Actual,
    Indicator,
    Observation,
    Outcome,
    Project,
    RuleType,
    Scheme,
    Status,
    actual_number,
    hookimpl,
    with_numbers,
)
from evalcore.quantities import parse_actual
from evalcore.testing import projects, schemes

ROOT = Path(__file__).resolve().parent.parent


def full_path(plan: evalcore.Plan, project: Project) -> evalcore.Evaluation:
    """What the engine computed before numbers first: every row, word and finding at once."""
    with decimal.localcontext(context()):
        return evaluation._evaluate(plan, project)


def assert_same(fast: evalcore.Evaluation, full: evalcore.Evaluation) -> None:
    assert (fast.total, fast.grade, fast.groups, fast.categories) == (
        full.total, full.grade, full.groups, full.categories)
    assert fast == full
    assert fast.to_json() == full.to_json()


# -- the same answer ---------------------------------------------------------------------------


@given(st.data())
def test_numbers_first_equals_the_full_path_on_random_schemes(registry, data):
    scheme = data.draw(schemes(registry))
    portfolio = data.draw(st.lists(projects(scheme, missing=True), min_size=1, max_size=3))
    plan = evalcore.compile(scheme, registry)
    for project in [*portfolio, *portfolio]:  # the second time round, the rows' memos are warm
        try:
            expected = full_path(plan, project)
        except evalcore.EvaluationError as exc:
            with pytest.raises(evalcore.EvaluationError) as raised:
                plan.evaluate(project)
            assert raised.value.problems == exc.problems
            continue
        assert_same(plan.evaluate(project), expected)


def _golden_projects(registry: evalcore.Registry) -> list[tuple[str, Project]]:
    out = []
    for path in find_case_files([ROOT / "tests" / "golden"]):
        for case in load_cases(path):
            if "project" in case.data:
                project = evalcore.load_project(Path(case.file).parent / str(case.data["project"]),
                                                registry=registry)
            else:
                project = build_project(_case_document(case, registry), registry)
            out.append((f"{path.name}: {case.name}", project))
    for path in sorted((ROOT / "examples").glob("*/project.toml")):
        out.append((str(path.relative_to(ROOT)), evalcore.load_project(path, registry=registry)))
    return out


def test_numbers_first_equals_the_full_path_on_every_golden_case_and_example(registry):
    cases = _golden_projects(registry)
    assert len(cases) > 50
    scored = 0
    for name, project in cases:
        try:  # a case may expect its scheme to be refused
            plan = evalcore.compile(project.scheme, registry)
        except evalcore.ValidationError:
            continue
        try:
            expected = full_path(plan, project)
        except evalcore.EvaluationError:
            with pytest.raises(evalcore.EvaluationError):
                plan.evaluate(project)
            continue
        fast = plan.evaluate(project)
        assert fast == expected, name
        assert fast.to_json() == expected.to_json(), name
        scored += 1
    assert scored > 50


def test_a_project_that_cannot_be_scored_raises_the_same_located_problems(registry, project_text):
    project = project_text("""
[project]
name = "p"
[[indicator]]
id = "q1"
name = "批次"
category = "quantity"
points = 100
target = "≥400批次"
actual = "四百X批次"
""")
    plan = evalcore.compile(project.scheme, registry)
    with pytest.raises(evalcore.EvaluationError) as fast:
        plan.evaluate(project)
    with pytest.raises(evalcore.EvaluationError) as full:
        full_path(plan, project)
    assert fast.value.problems == full.value.problems
    assert fast.value.problems[0].origin.line == 10


# -- words on demand ---------------------------------------------------------------------------


@pytest.fixture
def example():
    return evalcore.load_project(ROOT / "examples" / "ganzhou-2021" / "project.toml")


def test_the_words_are_built_once_when_first_read(example, monkeypatch):
    calls = []
    real = evaluation._evaluate
    monkeypatch.setattr(evaluation, "_evaluate", lambda *a: calls.append(1) or real(*a))
    result = evalcore.compile(example.scheme).evaluate(example)
    assert result.total == Decimal(97) and result.grade == "优" and result.groups
    assert calls == []
    assert result.rows[0].explanation_zh
    assert calls == [1]
    assert result.findings is not None and result.budget is not None and result.to_json()
    assert calls == [1]


def test_an_evaluation_stays_frozen_before_and_after_its_words_are_read(example):
    result = evalcore.compile(example.scheme).evaluate(example)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        result.rows = ()  # type: ignore[misc]
    assert result.rows
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        result.total = Decimal(0)  # type: ignore[misc]
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        result.nothing  # noqa: B018


def test_threads_reading_the_words_at_once_all_get_them(example):
    from concurrent.futures import ThreadPoolExecutor

    plan = evalcore.compile(example.scheme)
    expected = full_path(plan, example)
    for _ in range(5):
        result = plan.evaluate(example)
        with ThreadPoolExecutor(8) as pool:
            seen = list(pool.map(lambda r: (r.rows, r.findings, r.budget), [result] * 8))
        assert all(s == (expected.rows, expected.findings, expected.budget) for s in seen)


def test_the_callers_decimal_context_changes_nothing_read_later(example):
    plan = evalcore.compile(example.scheme)
    expected = full_path(plan, example).to_json()
    result = plan.evaluate(example)
    with decimal.localcontext() as ctx:
        ctx.prec, ctx.rounding = 3, decimal.ROUND_DOWN
        ctx.traps[decimal.Inexact] = True
        assert result.to_json() == expected


# -- subtotals on demand ------------------------------------------------------------------------


def _lazy_and_eager(plan: evalcore.Plan, project: Project):
    """The numbers-first evaluation of ``project`` as the plan makes it (its subtotals built
    when read, where every aggregator adds up) and as made with every subtotal built at once."""
    lazy, eager = numbers_first.NumbersPlan(plan), numbers_first.NumbersPlan(plan)
    eager.additive = False
    full = functools.partial(full_path, plan, project)
    with decimal.localcontext(context()):
        return lazy.evaluate(project, full), eager.evaluate(project, full)


@given(st.data())
def test_subtotals_built_when_read_are_those_built_at_once(registry, data):
    scheme = data.draw(schemes(registry))
    project = data.draw(projects(scheme, missing=True))
    plan = evalcore.compile(scheme, registry)
    lazy, eager = _lazy_and_eager(plan, project)
    if lazy is None or eager is None:  # the full path reports this project
        assert lazy is None and eager is None
        return
    # The built-in sum adds up, so the plan's own evaluation leaves its subtotals for later.
    assert plan._numbers.additive and not _made(lazy, "groups") and _made(eager, "groups")
    assert (lazy.total, lazy.points, lazy.grade) == (eager.total, eager.points, eager.grade)
    assert (lazy.groups, lazy.categories) == (eager.groups, eager.categories)
    assert lazy == eager and lazy.to_json() == eager.to_json()
    assert_same(lazy, full_path(plan, project))


def _made(result: evalcore.Evaluation, field: str) -> bool:
    """Whether ``field`` of ``result`` is filled already (reading it would fill it)."""
    try:
        object.__getattribute__(result, field)
    except AttributeError:
        return False
    return True


def test_the_subtotals_are_built_once_when_first_read_and_without_the_words(example, monkeypatch):
    plan = evalcore.compile(example.scheme)
    expected = full_path(plan, example)
    calls, words = [], []
    real, real_words = numbers_first._laid_out_both, evaluation._evaluate
    monkeypatch.setattr(numbers_first, "_laid_out_both", lambda *a: calls.append(1) or real(*a))
    monkeypatch.setattr(evaluation, "_evaluate", lambda *a: words.append(1) or real_words(*a))
    result = plan.evaluate(example)
    assert result.total == Decimal(97) and calls == [] and not _made(result, "categories")
    assert result.groups == expected.groups and len(result.groups) > 1
    assert calls == [1] and _made(result, "categories") and words == []
    assert result.categories == expected.categories and len(result.categories) > 1
    assert calls == [1]


def test_a_category_that_does_not_add_up_gets_its_subtotals_at_once(registry):
    ind = Indicator("x", "指标", "quality", Decimal(100), "≥10个")
    scheme = Scheme("s", (ind,), settings={"total": 100, "weights": {}})
    plan = evalcore.compile(scheme, registry)
    averaging = evalcore.plugin.Aggregator("mean", lambda s, p: sum(s) / len(s))
    odd = attrs.evolve(plan, category_aggregators={"quality": averaging})
    project = Project(ProjectInfo("p"), scheme, None, {"x": Actual("5个")})
    assert plan._numbers.additive and not odd._numbers.additive
    assert not _made(plan.evaluate(project), "groups")
    result = odd.evaluate(project)
    assert _made(result, "groups") and result.categories[0].score == Decimal("50.00")


# -- the rules' numbers-only paths ---------------------------------------------------------------

NUMERIC = st.decimals(min_value=-50, max_value=2000, places=2, allow_nan=False)
WORDS = st.sampled_from(["达成", "部分达成", "未达成", "完成", "基本完成", "未完成", "好", "12个"])
BANDS = {"rows": [{"id": "full", "when": ">= 1", "share": 1},
                  {"id": "most", "when": "[0.9, 1)", "share": 0.8},
                  {"id": "none", "when": "< 0.9", "share": 0}]}
COLLECT = {"hit": "collect", "aggregate": "sum", "on": "actual",
           "rows": [{"id": "a", "when": ">= 0", "score": 2}, {"id": "b", "when": ">= 50", "score": 9},
                    {"id": "c", "when": "< 0", "score": 0}]}
RULES = [  # rule, params, target, the actual's strategy
    ("positive", {}, "≥120个", NUMERIC.map(lambda b: f"{b}个")),
    ("positive", {}, ">0个", NUMERIC.map(lambda b: f"{b}个")),
    ("positive", {}, ">120个", st.sampled_from(["120个", "119个", "121个"])),
    ("reverse", {}, "≤50万元", NUMERIC.map(lambda b: f"{b}万元")),
    ("reverse", {"method": "linear"}, "<50万元", NUMERIC.map(lambda b: f"{b}万元")),
    ("reverse", {}, "≤0万元", NUMERIC.map(lambda b: f"{b}万元")),
    ("reverse", {}, "≤50万元", NUMERIC.map(lambda b: f"{b * 10000}元")),
    ("equality", {}, "=100%", NUMERIC.map(lambda b: f"{b}%")),
    ("equality", {"method": "symmetric"}, "=100%", NUMERIC.map(lambda b: f"{b}%")),
    ("equality", {"method": "exact"}, "=100%", st.sampled_from(["100%", "99%", "1"])),
    ("equality", {}, "=0个", NUMERIC.map(lambda b: f"{b}个")),
    ("qualitative", {}, "达成", WORDS),
    ("bands", BANDS, "≥95%", NUMERIC.map(lambda b: f"{b}%")),
    ("bands", COLLECT, "≥95个", NUMERIC.map(lambda b: f"{b}个")),
]


def _scorer(registry, rule: str, params, target: str):
    ind = Indicator("x", "指标", "quality", Decimal(10), target, rule=rule, params=params)
    scheme = Scheme("s", (ind,), settings={"total": 10, "weights": {}})
    return evalcore.compile(scheme, registry).rows[0].scorer


def _both(scorer, observation: Observation) -> tuple[object, object]:
    with decimal.localcontext(context()):
        try:
            outcome = scorer(observation)
            full: object = (outcome.score, outcome.status)
        except ValueError:
            full = ValueError
        try:
            numbers: object = scorer.numbers(observation)
        except ValueError:
            numbers = ValueError
    return numbers, full


@pytest.mark.parametrize(("rule", "params", "target", "values"), RULES,
                         ids=[f"{r}-{t}" for r, _, t, _ in RULES])
@given(data=st.data())
def test_each_built_in_numbers_path_gives_its_scorers_score_and_status(registry, rule, params, target,
                                                                     values, data):
    scorer = _scorer(registry, rule, params, target)
    assert hasattr(scorer, "numbers")
    text = data.draw(values)
    assessed = data.draw(st.none() | st.decimals(0, 10, places=1)) if rule == "qualitative" else None
    numbers, full = _both(scorer, Observation(parse_actual(text, registry.units), assessed))
    assert numbers == full


@given(planned=st.decimals(0, 1000, places=2), executed=st.decimals(-5, 1200, places=2),
       bands=st.booleans())
def test_the_execution_rates_numbers_path_gives_its_scorers(registry, planned, executed, bands):
    ind = Indicator("x", "指标", "quality", Decimal(90), "≥1个")
    settings = {"total": 100, "weights": {}}
    if bands:
        settings["rules"] = {"execution-rate": {"bands": [
            {"when": ">= 1", "share": 1}, {"when": "[0.8, 1)", "share": 0.7},
            {"when": "< 0.8", "share": 0}]}}
    plan = evalcore.compile(Scheme("s", (ind,), budget_points=Decimal(10), settings=settings),
                            registry)
    scorer = plan.budget.scorer
    extra = {"planned": planned, "executed": executed, "unit": "万元"}
    observation = Observation(quantities.Value(f"{executed}/{planned}"), None, extra)
    numbers, full = _both(scorer, observation)
    assert numbers == full


# -- plugins: the plain protocol works, a faulty fast path is caught ------------------------------


class _RulePlugin:
    """A third-party plugin with one rule, ``numbers`` its optional numbers-only path."""

    def __init__(self, numbers=None) -> None:
        self.numbers = numbers

    @hookimpl
    def evalcore_rule_types(self) -> list[RuleType]:
        def compile_half(params, ctx):
            def score(obs: Observation) -> Outcome:
                b = actual_number(obs, ctx)
                raw = min(b, ctx.points) / 2
                return Outcome(raw, Status.MET if raw >= ctx.points else Status.PARTLY_MET,
                               f"{b}/2", f"实际{b}", f"actual {b}")

            return score if self.numbers is None else with_numbers(score, self.numbers)

        return [RuleType("half", compile_half)]


def _half_project(registry: evalcore.Registry, value: str = "61个") -> Project:
    ind = Indicator("x", "指标", "quality", Decimal(90), "≥1个", rule="half")
    scheme = Scheme("s", (ind,), budget_points=Decimal(10), settings={"total": 100, "weights": {}})
    return Project(ProjectInfo("p"), scheme, Budget(Decimal(10), Decimal(9)), {"x": Actual(value)})


def _registry_with(plugin: object) -> evalcore.Registry:
    return evalcore.Registry.from_plugins(evalcore.get_plugin_manager(plugins=[plugin]))


def test_a_plain_third_party_scorer_works_unchanged():
    registry = _registry_with(_RulePlugin())
    project = _half_project(registry)
    plan = evalcore.compile(project.scheme, registry)
    result = plan.evaluate(project)
    assert result.rows[0].score == Decimal("30.50")
    assert result.rows[0].explanation_en.startswith("actual 61")
    assert_same(result, full_path(plan, project))


def test_a_numbers_path_that_disagrees_with_its_scorer_is_a_plugin_error():
    registry = _registry_with(_RulePlugin(lambda obs: (Decimal(1), Status.PARTLY_MET)))
    project = _half_project(registry)
    result = evalcore.compile(project.scheme, registry).evaluate(project)
    assert result.total == Decimal("10.00")  # 1 + the budget row's 9: what the numbers said
    with pytest.raises(evalcore.PluginError, match=r"numbers-only path .* disagree"):
        result.rows  # noqa: B018


def test_a_numbers_path_that_accepts_what_its_scorer_refuses_is_a_plugin_error():
    registry = _registry_with(_RulePlugin(lambda obs: (Decimal(1), Status.PARTLY_MET)))
    project = _half_project(registry, "好")
    result = evalcore.compile(project.scheme, registry).evaluate(project)
    with pytest.raises(evalcore.PluginError, match="full scorer refused what its numbers accepted"):
        result.findings  # noqa: B018


def test_a_numbers_path_that_refuses_gives_the_scorers_located_problem():
    def refuse(obs):
        raise ValueError("not this one")

    registry = _registry_with(_RulePlugin(refuse))
    project = _half_project(registry, "好")
    with pytest.raises(evalcore.EvaluationError, match="needs a number"):
        evalcore.compile(project.scheme, registry).evaluate(project)


# -- read once -----------------------------------------------------------------------------------


def test_an_actual_text_is_parsed_once_and_an_unreadable_one_each_time(registry, monkeypatch):
    units = evalcore.Registry.from_plugins(evalcore.get_plugin_manager()).units
    calls = []
    real = quantities._parse_actual_text
    monkeypatch.setattr(quantities, "_parse_actual_text", lambda *a: calls.append(a[0]) or real(*a))
    first = parse_actual("441批次", units)
    assert parse_actual("441批次", units) is first and calls == ["441批次"]
    for _ in range(2):
        with pytest.raises(ValueError, match="unknown unit"):
            parse_actual("5foo", units)
    assert calls == ["441批次", "5foo", "5foo"]


@pytest.mark.parametrize(("first", "second"), [(100, Decimal("100.0")), (Decimal("100"), 100.0),
                                               (-0.0, 0.0), (Decimal("1E+2"), 100)])
def test_equal_numbers_written_differently_keep_their_own_text(first, second):
    units = evalcore.Registry.from_plugins(evalcore.get_plugin_manager()).units
    for _ in range(2):
        assert parse_actual(first, units).text == str(first)
        assert parse_actual(second, units).text == str(second)


def test_the_parse_cache_is_bounded(registry, monkeypatch):
    monkeypatch.setattr(units_module, "CACHE_LIMIT", 16)
    units = evalcore.Registry.from_plugins(evalcore.get_plugin_manager()).units
    for i in range(100):
        assert parse_actual(f"{i}个", units).quantity.value == i
        assert len(units._parsed) <= 16


def test_a_unit_factor_is_kept_and_its_refusal_is_kept_too(registry):
    units = evalcore.Registry.from_plugins(evalcore.get_plugin_manager()).units
    assert units.convert(Decimal(14), "天", "周") == 2
    assert ("天", "周") in units._factors
    for _ in range(2):
        with pytest.raises(ValueError, match="cannot be compared"):
            units.factor("个", "万元")


# -- the plans evalcore.evaluate keeps -----------------------------------------------------------


@pytest.fixture
def compiles(monkeypatch):
    api._PLANS.clear()
    calls = []
    real = api.compile_scheme
    monkeypatch.setattr(api, "compile_scheme", lambda *a: calls.append(a[0]) or real(*a))
    yield calls
    api._PLANS.clear()


def test_evaluate_compiles_a_scheme_once_for_many_projects(example, compiles):
    first = evalcore.evaluate(example)
    again = evalcore.load_project(ROOT / "examples" / "ganzhou-2021" / "project.toml")
    assert again.scheme is not example.scheme
    assert evalcore.evaluate(again) == first
    assert len(compiles) == 1


def test_a_changed_scheme_is_compiled_again(example, compiles):
    evalcore.evaluate(example)
    q1 = example.scheme.indicators[0]
    changed = attrs.evolve(example.scheme, indicators=(
        attrs.evolve(q1, target="≥500批次"), *example.scheme.indicators[1:]))
    result = evalcore.evaluate(attrs.evolve(example, scheme=changed))
    assert len(compiles) == 2
    assert result.rows[0].target == "≥500批次"


def test_another_registry_is_never_served_a_plan_of_the_first(example, compiles):
    evalcore.evaluate(example)
    other = evalcore.Registry.from_plugins(evalcore.get_plugin_manager())
    assert api.plan_for(example.scheme, other).registry is other
    assert len(compiles) == 2


def test_a_scheme_with_warnings_gets_its_own_plan_so_the_warnings_name_its_file(registry, compiles):
    ind = Indicator("x", "指标", "quality", Decimal(100), "≥1个")
    scheme = Scheme("s", (ind,), settings={"total": 100, "weights": {}})
    plan = api.plan_for(scheme, registry)
    assert api.plan_for(scheme, registry) is plan
    object.__setattr__(plan, "warnings", (evalcore.Problem("a warning"),))
    twin = Scheme("s", (ind,), settings={"total": 100, "weights": {}})
    assert api.plan_for(twin, registry) is not plan
    assert len(compiles) == 2


def test_the_plan_cache_is_bounded(registry, compiles):
    for i in range(api.PLAN_CACHE_SIZE + 5):
        ind = Indicator("x", "指标", "quality", Decimal(100), f"≥{i + 1}个")
        api.plan_for(Scheme(f"s{i}", (ind,), settings={"total": 100, "weights": {}}), registry)
        assert len(api._PLANS) <= api.PLAN_CACHE_SIZE


def test_a_kept_plan_is_not_served_to_a_new_registry_that_took_its_registrys_id(example, compiles):
    plan = api.plan_for(example.scheme, evalcore.default_registry())
    other = evalcore.Registry.from_plugins(evalcore.get_plugin_manager())
    api._PLANS[(example.scheme.digest(), id(other))] = plan  # as if ``other`` reused the id
    assert api.plan_for(example.scheme, other).registry is other


# -- a row's memo of the values it has scored --------------------------------------------------


def _counting(calls: list[str]):
    def numbers(obs: Observation) -> tuple[Decimal, Status]:
        calls.append(obs.value.text)
        b = obs.value.quantity.value
        raw = min(b, Decimal(90)) / 2
        return raw, Status.MET if raw >= 90 else Status.PARTLY_MET

    return numbers


def test_a_row_scores_a_value_once_for_a_portfolio(registry):
    calls: list[str] = []
    plugged = _registry_with(_RulePlugin(_counting(calls)))
    plan = evalcore.compile(_half_project(plugged).scheme, plugged)
    results = [plan.evaluate(_half_project(plugged, v)) for v in ("61个", "61个", "40个", "61个")]
    assert calls == ["61个", "40个"]
    assert [r.total for r in results] == [Decimal("39.50")] * 2 + [Decimal("29.00"), Decimal("39.50")]
    assert all(r == full_path(plan, _half_project(plugged, v))
               for r, v in zip(results, ("61个", "61个", "40个", "61个"), strict=True))


def test_an_assessed_score_is_remembered_with_its_value_and_a_plain_scorer_never(registry):
    calls: list[str] = []
    plugged = _registry_with(_RulePlugin(_counting(calls)))
    project = _half_project(plugged)
    plan = evalcore.compile(project.scheme, plugged)
    for assessed in (Decimal(1), Decimal(1), Decimal("1.0"), Decimal(2), None, Decimal(1)):
        changed = attrs.evolve(project, actuals={"x": Actual("61个", assessed=assessed)})
        assert plan.evaluate(changed).total == Decimal("39.50")  # 61 / 2 and the funds row's 9
    # Scored once for each assessed score as written (1 and 1.0 apart), and once without.
    assert calls == ["61个"] * 4
    counted = attrs.evolve(project, actuals={"x": Actual("61个", extra={"n": 1})})
    plan.evaluate(counted)
    plan.evaluate(counted)
    assert calls == ["61个"] * 6  # extra counts: never remembered
    plain = _registry_with(_RulePlugin())
    assert [step.memo for step in evalcore.compile(project.scheme, plain)._numbers.steps
            if step.id == "x"] == [None]


@pytest.mark.parametrize(("value", "assessed", "key"), [
    ("61个", None, "61个"), (61, None, (int, 61)), (Decimal("6.10"), None, (Decimal, "6.10")),
    (6.1, None, (float, "6.1")), ("好", Decimal("4.50"), ("assessed", "好", "4.50")),
    (None, None, None), (True, None, None), ("好", 4.5, None)])
def test_the_memo_knows_a_value_by_its_type_and_text_and_an_assessed_score_beside_it(
        value, assessed, key):
    assert numbers_first.memo_key(value, assessed) == key


def test_a_rows_memo_is_bounded(registry, monkeypatch):
    monkeypatch.setattr(numbers_first, "MEMO_LIMIT", 8)
    plugged = _registry_with(_RulePlugin(_counting([])))
    plan = evalcore.compile(_half_project(plugged).scheme, plugged)
    for n in range(50):
        assert plan.evaluate(_half_project(plugged, f"{n}个")).total == Decimal(n) / 2 + 9
        assert all(len(step.memo) <= 8 for step in plan._numbers.steps if step.memo is not None)
