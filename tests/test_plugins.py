"""The plugin system: entry points, isolation, and what a bad plugin is told."""

from __future__ import annotations

import ast
import re
import textwrap
from decimal import Decimal as D
from pathlib import Path

import pytest
from conftest import ROOT
from helpers import evaluate_text, project_toml, single

import evalcore
import evalcore.plugin
from evalcore import PluginError
from evalcore.plugin import Category, Group, hookimpl
from evalcore.plugins import ENV_VAR, get_plugin_manager

THIRD_PARTY = '''
from evalcore.plugin import hookimpl
from evalcore.registrations import Category

@hookimpl
def evalcore_categories():
    return [Category("innovation", "创新指标", "benefits", aliases=("创新",), default_rule="standard")]
'''


def make_distribution(root: Path, name: str, module_source: str) -> None:
    """A throwaway installed distribution: a module plus a dist-info with an entry point."""
    (root / f"{name}.py").write_text(textwrap.dedent(module_source), encoding="utf-8")
    info = root / f"{name}-1.2.3.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.2.3\n")
    (info / "entry_points.txt").write_text(f"[evalcore]\n{name} = {name}\n")


def test_a_plugin_registered_through_an_entry_point_is_picked_up(tmp_path, monkeypatch):
    make_distribution(tmp_path, "evalcore_innovation", THIRD_PARTY)
    monkeypatch.syspath_prepend(str(tmp_path))
    registry = evalcore.Registry.from_plugins(get_plugin_manager())
    assert registry.category("创新").name == "innovation"
    assert registry.categories["innovation"].plugin == "evalcore_innovation"
    assert registry.plugin_versions["evalcore_innovation"] == "evalcore_innovation 1.2.3"
    filler = {"id": "y", "name": "y", "category": "quantity", "points": 70, "target": "≥1", "actual": "1"}
    text = project_toml([*single("≥2项", "3项", category="创新指标", points=30), filler])
    ev = evaluate_text(text, registry)
    assert (ev.rows[0].category, ev.rows[0].group, ev.total) == ("innovation", "benefits", 100)


def test_the_built_in_plugins_register_through_entry_points_like_any_other(registry):
    from importlib.metadata import entry_points

    names = {ep.name for ep in entry_points(group="evalcore")}
    modules = {p.stem for p in (ROOT / "plugins" / "evalcore_builtin").glob("*.py")
               if not p.stem.startswith("_")}
    values = {ep.value.rpartition(".")[2] for ep in entry_points(group="evalcore")}
    assert modules <= values, f"built-in modules without an entry point: {modules - values}"
    for category, entry in registry.categories.items():
        assert entry.plugin in names, category


def test_removing_a_plugin_removes_its_category(monkeypatch):
    monkeypatch.setenv(ENV_VAR, "units,groups,rules,profiles,aggregation,quantity,budget,formats")
    registry = evalcore.Registry.from_plugins(get_plugin_manager())
    assert "quantity" in registry.categories
    with pytest.raises(KeyError):
        registry.category("cost")


def _code_strings(path: Path) -> set[str]:
    """The string constants of a module's code, docstrings (examples for people) left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    return {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)
            and isinstance(node.value, str) and id(node) not in docstrings}


def test_nothing_in_the_engine_names_a_category(registry):
    strings: set[str] = set()
    for path in (ROOT / "src" / "evalcore").rglob("*.py"):
        strings |= _code_strings(path)
    text = "\n".join(strings)
    for name, entry in registry.categories.items():
        # "budget" is also the name of the funds block in the file format; its category is
        # named by the profile (budget.category), so only the Chinese names are checked for it.
        words = [entry.item.zh, *entry.item.aliases] + ([] if name == "budget" else [name])
        for word in words:
            assert word not in strings, (name, word)
            assert not re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) or word == "budget", (
                name, word)


class Twice:
    @hookimpl
    def evalcore_groups(self):
        return [Group("outputs", "产出")]


def test_two_plugins_registering_one_name_is_an_error_naming_both():
    with pytest.raises(PluginError) as info:
        evalcore.Registry.from_plugins(get_plugin_manager(plugins=[Twice()]))
    message = str(info.value)
    assert "'outputs' is registered twice" in message and "'groups'" in message


class Orphan:
    @hookimpl
    def evalcore_categories(self):
        return [Category("orphan", "孤儿", "nowhere", default_rule="no-such-rule")]


def test_a_category_in_an_unknown_group_or_with_an_unknown_rule_is_an_error():
    with pytest.raises(PluginError) as info:
        evalcore.Registry.from_plugins(get_plugin_manager(plugins=[Orphan()]))
    messages = [p.message for p in info.value.problems]
    assert any("unknown group 'nowhere'" in m for m in messages)
    assert any("unknown default rule 'no-such-rule'" in m for m in messages)


class Typo:
    @hookimpl
    def evalcore_categoriez(self):
        return []


def test_a_mistyped_hook_implementation_is_reported():
    with pytest.raises(PluginError, match="evalcore_categoriez"):
        get_plugin_manager(plugins=[Typo()])


class WrongType:
    @hookimpl
    def evalcore_units(self):
        return ["万元"]


class Raises:
    @hookimpl
    def evalcore_units(self):
        raise RuntimeError("boom")


@pytest.mark.parametrize(("plugin", "message"), [(WrongType(), "not a Unit"), (Raises(), "boom")])
def test_a_plugin_returning_garbage_is_named_in_the_error(plugin, message):
    with pytest.raises(PluginError, match=message) as info:
        evalcore.Registry.from_plugins(get_plugin_manager(plugins=[plugin]))
    assert "plugin" in str(info.value)


def test_an_isolated_manager_without_entry_points_has_nothing():
    registry = evalcore.Registry.from_plugins(get_plugin_manager(entry_points=False))
    assert registry.categories == {} and registry.rules == {}


def test_a_profile_extending_an_unknown_profile_is_an_error():
    from evalcore.profile import ProfileSource

    class Child:
        @hookimpl
        def evalcore_profiles(self):
            return [ProfileSource("child", {"extends": "nationl-2020"})]

    with pytest.raises(PluginError) as info:
        evalcore.Registry.from_plugins(get_plugin_manager(plugins=[Child()]))
    assert "did you mean 'national-2020'" in str(info.value)


def test_a_profile_extends_another_and_overrides_only_what_it_says():
    from evalcore.profile import ProfileSource

    class Child:
        @hookimpl
        def evalcore_profiles(self):
            return [ProfileSource("integer-rows", {"extends": "national-2020", "decimals": 0})]

    registry = evalcore.Registry.from_plugins(get_plugin_manager(plugins=[Child()]))
    child, parent = registry.profile("integer-rows"), registry.profile("national-2020")
    assert child.decimals == 0 and parent.decimals == 2
    assert child.grades == parent.grades and child.rules == parent.rules


class WeakestLink:
    """A category whose rows add up by their minimum, and a rule that can say 'not applicable'."""

    @hookimpl
    def evalcore_aggregators(self):
        from evalcore.registrations import Aggregator

        return [Aggregator("lowest", lambda scores, points: min(scores))]

    @hookimpl
    def evalcore_categories(self):
        return [Category("pillar", "支柱", "outputs", default_rule="letter", aggregation="lowest")]

    @hookimpl
    def evalcore_rule_types(self):
        from decimal import Decimal

        from evalcore.registrations import Outcome, RuleType, Status

        def compile_letter(params, ctx):
            def score(obs):
                if obs.value.text == "NA":
                    return Outcome(Decimal(0), Status.NOT_APPLICABLE, "NA", "不适用", "not applicable")
                value = Decimal("ABCD".index(obs.value.text[0]))
                return Outcome(ctx.points - value, Status.MET, f"{obs.value.text}")
            return score

        return [RuleType("letter", compile_letter)]


def test_a_category_can_add_up_by_its_own_aggregator_and_rows_can_be_not_applicable():
    registry = evalcore.Registry.from_plugins(get_plugin_manager(plugins=[WeakestLink()]))
    rows = [{"id": k, "name": k, "category": "pillar", "points": 4, "target": "A", "actual": v}
            for k, v in (("d1", "A"), ("d2", "C"), ("d3", "NA"))]
    rows.append({"id": "q", "name": "q", "category": "quantity", "points": 88, "target": "≥1", "actual": "1"})
    ev = evaluate_text(project_toml(rows, settings={"weights": {}}), registry)
    pillar = next(c for c in ev.categories if c.name == "pillar")
    assert pillar.score == 2 and pillar.points == 8  # min(4, 2); the NA row takes no part
    d3 = next(r for r in ev.rows if r.id == "d3")
    assert (d3.status, d3.points, d3.score) == (evalcore.Status.NOT_APPLICABLE, 0, 0)


class UnknownAggregation:
    @hookimpl
    def evalcore_categories(self):
        return [Category("odd", "怪", "outputs", default_rule="standard", aggregation="median")]


def test_a_category_naming_an_unknown_aggregation_is_a_plugin_error():
    with pytest.raises(PluginError, match="unknown aggregation 'median'"):
        evalcore.Registry.from_plugins(get_plugin_manager(plugins=[UnknownAggregation()]))


class Refuses:
    @hookimpl
    def evalcore_aggregators(self):
        from evalcore.registrations import Aggregator

        def refuse(scores, points):
            raise ValueError("no table row for these scores")

        return [Aggregator("refuses", refuse)]

    @hookimpl
    def evalcore_categories(self):
        return [Category("picky", "挑剔", "outputs", default_rule="standard", aggregation="refuses")]


def test_an_aggregator_that_cannot_add_up_is_an_evaluation_error_naming_the_category():
    registry = evalcore.Registry.from_plugins(get_plugin_manager(plugins=[Refuses()]))
    rows = [{"id": "p", "name": "p", "category": "picky", "points": 100, "target": "≥1", "actual": "1"}]
    with pytest.raises(evalcore.EvaluationError, match=r"挑剔 \(picky\): aggregation 'refuses'"):
        evaluate_text(project_toml(rows, settings={"weights": {}}), registry)


class Nothing:
    @hookimpl
    def evalcore_units(self):
        return None


class Tagger:
    @hookimpl
    def evalcore_validate_scheme(self, scheme):
        return [evalcore.Problem("looked at it", severity="warning")]


class Crashes:
    @hookimpl
    def evalcore_validate_scheme(self, scheme, registry):
        raise RuntimeError("boom")


class DuplicateSpelling:
    @hookimpl
    def evalcore_units(self):
        return [evalcore.plugin.Unit("万块", "money", aliases=("万",))]


def test_plugin_objects_are_named_by_their_class_and_none_registers_nothing():
    pm = get_plugin_manager(plugins=[Nothing(), Tagger()])
    assert {"Nothing", "Tagger"} <= {pm.get_name(p) for p in pm.get_plugins()}
    evalcore.Registry.from_plugins(pm)  # None from a registration hook: nothing, no error


def test_scheme_validation_problems_name_their_plugin_and_a_crash_is_a_plugin_error():
    registry = evalcore.Registry.from_plugins(get_plugin_manager(plugins=[Tagger()]))
    text = project_toml([{"id": "a", "name": "a", "category": "quantity", "points": 100,
                          "target": "≥1", "actual": "1"}])
    ev = evaluate_text(text, registry)
    assert any("looked at it [plugin Tagger]" in f.message_en for f in ev.findings)
    registry = evalcore.Registry.from_plugins(get_plugin_manager(plugins=[Crashes()]))
    with pytest.raises(PluginError, match="plugin 'Crashes': evalcore_validate_scheme\\(\\) raised"):
        evaluate_text(text, registry)


def test_the_registry_snapshots_the_scheme_checks_and_holds_no_live_hook():
    pm = get_plugin_manager(plugins=[Tagger()])
    registry = evalcore.Registry.from_plugins(pm)
    assert not hasattr(registry, "hook")
    assert [(e.plugin, e.item.argnames) for e in registry.scheme_checks
            if e.plugin == "Tagger"] == [("Tagger", ("scheme",))]
    pm.register(Crashes(), name="Crashes")  # registered after the snapshot: never called
    text = project_toml([{"id": "a", "name": "a", "category": "quantity", "points": 100,
                          "target": "≥1", "actual": "1"}])
    assert evaluate_text(text, registry).total == 100


def test_a_plugin_registering_a_resolved_profile_instead_of_a_source_is_told_so(registry):
    class Resolved:
        @hookimpl
        def evalcore_profiles(self):
            return [registry.profile("national-2020")]

    with pytest.raises(PluginError, match="not a ProfileSource"):
        evalcore.Registry.from_plugins(get_plugin_manager(plugins=[Resolved()]))


def test_two_units_spelled_alike_is_an_error_naming_both_plugins():
    with pytest.raises(PluginError, match="unit spelling '万' names both '万元'"):
        evalcore.Registry.from_plugins(get_plugin_manager(plugins=[DuplicateSpelling()]))


class Sloppy:
    """Rules that break the contract: a float score, and a compile that raises KeyError."""

    @hookimpl
    def evalcore_rule_types(self):
        from evalcore.registrations import Outcome, RuleType, Status

        def floats(params, ctx):
            return lambda obs: Outcome(0.5, Status.MET, "")  # not a Decimal

        def crashes(params, ctx):
            return {}["missing"]

        return [RuleType("floats", floats), RuleType("crashes", crashes)]


@pytest.mark.parametrize(("rule", "message"), [
    ("floats", "plugin 'Sloppy': rule 'floats' must return an Outcome with a Decimal score"),
    ("crashes", "plugin 'Sloppy': rule 'crashes' raised KeyError while compiling"),
])
def test_a_rule_that_breaks_the_contract_is_a_plugin_error_naming_its_plugin(rule, message):
    registry = evalcore.Registry.from_plugins(get_plugin_manager(plugins=[Sloppy()]))
    rows = [{"id": "a", "name": "a", "category": "quantity", "points": 100, "target": "≥1", "actual": "1",
             "rule": rule}]
    with pytest.raises(PluginError) as info:
        evaluate_text(project_toml(rows), registry)
    assert message in str(info.value)


PRESETS = """
[[rule]]
name = "pass-rate-steps"
base = "bands"
doc = "≥98% full marks, 95–98% 80%, below 95% nothing: a county's table, as data."
params = { on = "actual", rows = [
  { id = "full", when = ">= 98%", share = 1 },
  { id = "most", when = "[95%, 98%)", share = 0.8 },
  { id = "none", when = "< 95%", share = 0 },
] }

[[category]]
name = "inspection"
zh = "抽检指标"
group = "outputs"
default_rule = "pass-rate-steps"
"""


def preset_plugin(tmp_path, text: str):
    from evalcore.definitions import load_definitions

    path = tmp_path / "presets.toml"
    path.write_text(text, encoding="utf-8")
    definitions = load_definitions(path)

    class PureToml:
        @hookimpl
        def evalcore_rule_types(self):
            return list(definitions.rules)

        @hookimpl
        def evalcore_categories(self):
            return list(definitions.categories)

    return PureToml()


def test_a_rule_can_be_declared_as_data_a_preset_of_another(tmp_path):
    registry = evalcore.Registry.from_plugins(get_plugin_manager(plugins=[preset_plugin(tmp_path, PRESETS)]))
    rows = [{"id": k, "name": k, "category": "抽检指标", "points": 50, "target": "≥98%", "actual": v,
             "reason": "r"} for k, v in (("a", "96.5%"), ("b", "99%"))]
    ev = evaluate_text(project_toml(rows, settings={"weights": {}}), registry)
    a, b = ev.rows
    assert (a.score, b.score) == (D("40.00"), D("50.00"))
    assert (a.trace.rule, a.trace.via, a.trace.matched) == ("bands", "pass-rate-steps", "most")
    rows[0]["params"] = {"hit": "first"}  # an indicator still overrides the preset's parameters
    assert evaluate_text(project_toml(rows, settings={"weights": {}}), registry).rows[0].score == D("40.00")


@pytest.mark.parametrize(("change", "message"), [
    (('base = "bands"', 'base = "bandz"'), "based on the unknown rule 'bandz'"),
    (('on = "actual"', 'onn = "actual"'), "has no parameter 'onn'"),
    (('base = "bands"', 'base = "standard"'), "must be based on a plain rule"),
])
def test_a_preset_that_does_not_fit_its_base_is_a_plugin_error(tmp_path, change, message):
    plugin = preset_plugin(tmp_path, PRESETS.replace(*change))
    with pytest.raises(PluginError, match=message) as info:
        evalcore.Registry.from_plugins(get_plugin_manager(plugins=[plugin]))
    assert "plugin 'PureToml'" in str(info.value)


class Exhausting:
    """Rules that run out of memory or stack: on too large an input, not a bug of the plugin."""

    @hookimpl
    def evalcore_rule_types(self):
        from evalcore.registrations import RuleType

        def huge(params, ctx):
            raise MemoryError

        def deep(params, ctx):
            def score(obs):
                raise RecursionError("maximum recursion depth exceeded")
            return score

        return [RuleType("huge", huge), RuleType("deep", deep)]


@pytest.mark.parametrize(("rule", "error", "message"), [
    ("huge", evalcore.ValidationError, "compiling it ran out of memory (MemoryError)"),
    ("deep", evalcore.EvaluationError, "scoring it ran out of stack (RecursionError)"),
])
def test_running_out_of_memory_or_stack_is_the_rows_problem_not_the_plugins(rule, error, message):
    registry = evalcore.Registry.from_plugins(get_plugin_manager(plugins=[Exhausting()]))
    rows = [{"id": "a", "name": "a", "category": "quantity", "points": 100, "target": "≥1", "actual": "1",
             "rule": rule}]
    with pytest.raises(error) as info:
        evaluate_text(project_toml(rows), registry)
    assert not isinstance(info.value, PluginError)
    (problem,) = info.value.problems
    assert message in problem.message and problem.origin.path[:1] in (("indicator",), ("actual",))


class Silent:
    """A registration hook that raises an exception with no message."""

    @hookimpl
    def evalcore_units(self):
        raise MemoryError


def test_an_exception_without_a_message_is_named_by_its_type():
    with pytest.raises(PluginError) as info:
        evalcore.Registry.from_plugins(get_plugin_manager(plugins=[Silent()]))
    assert str(info.value).endswith("evalcore_units() raised MemoryError")
