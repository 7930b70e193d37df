"""Each built-in profile at its edges."""

from __future__ import annotations

from decimal import Decimal

import pytest
from helpers import evaluate_text, project_toml, single

import evalcore
from evalcore import Status

D = Decimal


def qualitative(registry, profile: str, actual: str, assessed: object = None):
    extra = {} if assessed is None else {"assessed": assessed}
    rows = single("按期完成", actual, points=100, reason="r", **extra)
    return evaluate_text(project_toml(rows, profile=profile, settings={"weights": {}}), registry).rows[0]


@pytest.mark.parametrize(("profile", "default", "low"),
                         [("national-2020", 60, 60), ("central-legacy", 50, 50), ("hubei", 50, 50)])
def test_partly_met_band_and_default_follow_the_profile(registry, profile, default, low):
    assert qualitative(registry, profile, "部分完成").score == default
    assert qualitative(registry, profile, "部分完成", low).status is Status.PARTLY_MET
    with pytest.raises(evalcore.EvaluationError, match="outside"):
        qualitative(registry, profile, "部分完成", low - D("0.01"))
    assert qualitative(registry, profile, "未完成", low - D("0.01")).status is Status.MISSED


def test_every_profile_resolves_with_grades_and_a_budget_category(registry):
    for name in ("national-2020", "central-legacy", "hubei", "sichuan"):
        profile = registry.profile(name)
        assert [g.name for g in profile.grades] == ["优", "良", "中", "差"]
        assert profile.budget_category == "budget" and profile.total == 100


def hubei_rows(budget_points: int, outputs: int, benefits: int, satisfaction: int) -> list[dict]:
    row = {"target": "≥1", "actual": "1"}
    return [{"id": "o", "name": "o", "category": "quantity", "points": outputs, **row},
            {"id": "b", "name": "b", "category": "social", "points": benefits, **row},
            {"id": "s", "name": "s", "category": "satisfaction", "points": satisfaction, **row}]


def test_hubei_gives_the_budget_row_20_points_and_checks_benefits_with_satisfaction(registry):
    budget = {"planned": 100, "executed": 90, "points": 20}
    ev = evaluate_text(project_toml(hubei_rows(20, 40, 30, 10), budget=budget, profile="hubei"), registry)
    assert ev.budget.score == D("18.00")
    assert not [f for f in ev.findings if f.code == "scheme-warning"]
    ev = evaluate_text(project_toml(hubei_rows(20, 40, 35, 5), budget=budget, profile="hubei"), registry)
    assert not [f for f in ev.findings if f.code == "scheme-warning"]  # the split is free
    budget["points"] = 10
    ev = evaluate_text(project_toml(hubei_rows(10, 50, 30, 10), budget=budget, profile="hubei"), registry)
    warnings = [f.message_en for f in ev.findings if f.code == "scheme-warning"]
    assert any("budget" in w and "20" in w for w in warnings)


@pytest.mark.parametrize(("executed", "needs_reason"), [("89.99", True), ("90", False), ("100", False)])
def test_sichuan_wants_a_reason_below_90_percent_execution(registry, executed, needs_reason):
    rows = single("≥1", "1", points=90)
    text = project_toml(rows, budget={"planned": 100, "executed": executed, "points": 10},
                        profile="sichuan")
    ev = evaluate_text(text, registry)
    missing = [f for f in ev.findings if f.code == "missing-reason" and f.indicator == "budget"]
    assert bool(missing) is needs_reason


def test_national_wants_a_reason_for_any_shortfall_in_execution(registry):
    text = project_toml(single("≥1", "1", points=90),
                        budget={"planned": 100, "executed": "99.9", "points": 10})
    ev = evaluate_text(text, registry)
    assert [f.indicator for f in ev.findings if f.code == "missing-reason"] == ["budget"]


def test_a_project_that_names_no_profile_is_scored_by_the_default_one(registry):
    text = project_toml(single("≥1", "1", points=100)).replace('profile = "national-2020"\n', "")
    assert evaluate_text(text, registry).profile == "national-2020" == registry.default_profile().name


def test_exactly_one_profile_may_be_the_default():
    from evalcore.plugin import hookimpl
    from evalcore.plugins import get_plugin_manager
    from evalcore.profile import ProfileSource

    class Second:
        @hookimpl
        def evalcore_profiles(self):
            return [ProfileSource("mine", {"extends": "national-2020", "default": True})]

    with pytest.raises(evalcore.PluginError, match="both marked default"):
        evalcore.Registry.from_plugins(get_plugin_manager(plugins=[Second()]))

    class Child:
        @hookimpl
        def evalcore_profiles(self):
            return [ProfileSource("child", {"extends": "national-2020"})]

    registry = evalcore.Registry.from_plugins(get_plugin_manager(plugins=[Child()]))
    assert registry.profile("child").default is False  # being the default is not inherited
