"""Monitoring thresholds that contradict each other are reported at the key the file wrote
(never at one it inherited and does not have), with the other said to be inherited."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_monitor import build, row, text

import evalcore
from evalcore.plugin import hookimpl
from evalcore.plugins import get_plugin_manager
from evalcore.profile import ProfileSource


def problem_of(settings: str) -> tuple[str, str]:
    """The one problem of a project with ``settings``, as (its line of the file, its text)."""
    source = text(row("≥1个", actual="1个"), settings=settings)
    with pytest.raises(evalcore.ValidationError) as info:
        evalcore.evaluate(build(source))
    (problem,) = info.value.problems
    assert problem.origin.file == "p.toml" and problem.origin.line is not None
    return source.splitlines()[problem.origin.line - 1], str(problem)


@pytest.mark.parametrize(("settings", "key", "message"), [
    ("monitoring = {row_green = 0.5}", "row_green",
     "row_green (0.5) must be at least row_amber (0.8, inherited: not set here): amber keeps less "
     "of a row's points than green (set row_amber too, or a row_green that is at least 0.8)"),
    ("monitoring = {row_amber = 0.9, row_green = 0.5}", "row_amber",  # both written: at amber
     "row_amber (0.9) must be at most row_green (0.5): amber keeps less of a row's points than green"),
    ("monitoring = {budget_amber = 30}", "budget_amber",
     "budget_amber (30) must be at most budget_red (20, inherited: not set here): red is further "
     "behind 序时进度 than amber (set budget_red too, or a budget_amber that is at most 20)"),
    ("monitoring = {budget_red = 5}", "budget_red",
     "budget_red (5) must be at least budget_amber (10, inherited: not set here)"),
    ("monitoring = {budget_amber = 30, budget_red = 20}", "budget_red",
     "budget_red (20) must be at least budget_amber (30): red is further behind 序时进度 than amber"),
    ("monitoring = {row_green = 0}", "row_green",
     "row_green must be more than 0: at 0 every row is green, even one projected to score nothing "
     "(e.g. row_green = 1 (every point))"),
    ("monitoring = {row_green = 0, row_amber = 0}", "row_green", "row_green must be more than 0"),
])
def test_contradicting_thresholds_are_reported_at_the_key_the_file_wrote(settings, key, message):
    line, problem = problem_of(settings)
    assert f"settings.monitoring.{key}: error: " in problem and message in problem
    assert line == settings  # the line of the inline table that wrote it


def test_a_monitoring_table_of_its_own_puts_the_problem_on_the_keys_own_line():
    line, problem = problem_of("[settings.monitoring]\nelapsed = \"days\"\nrow_green = 0.5")
    assert line == "row_green = 0.5" and "settings.monitoring.row_green" in problem


@pytest.mark.parametrize("settings", ["monitoring = {row_green = 0.8}",  # amber 0.8 inherited
                                      "monitoring = {row_amber = 0}",  # no red at all: allowed
                                      "monitoring = {budget_amber = 20}",
                                      "monitoring = {row_green = 0.5, row_amber = 0.5}"])
def test_thresholds_that_agree_are_no_problem(settings):
    evalcore.evaluate(build(text(row("≥1个", actual="1个"), settings=settings)))


@given(green=st.decimals(0, 1, places=2), amber=st.decimals(0, 1, places=2),
       written=st.sampled_from(["green", "amber", "both"]))
def test_the_row_lines_are_a_problem_exactly_when_they_contradict_and_only_at_a_written_key(
        green, amber, written):
    keys = {"green": {"row_green": green}, "amber": {"row_amber": amber},
            "both": {"row_green": green, "row_amber": amber}}[written]
    settings = "monitoring = {" + ", ".join(f"{k} = {v}" for k, v in keys.items()) + "}"
    effective_green = keys.get("row_green", Decimal(1))
    effective_amber = keys.get("row_amber", Decimal("0.8"))
    bad = effective_green == 0 or effective_amber > effective_green
    project = build(text(row("≥1个", actual="1个"), settings=settings))
    if not bad:
        evalcore.evaluate(project)
        return
    with pytest.raises(evalcore.ValidationError) as info:
        evalcore.evaluate(project)
    (problem,) = info.value.problems
    assert problem.origin.path[-1] in keys


def test_a_plugins_profile_is_reported_at_the_setting_it_states():
    class Lenient:
        @hookimpl
        def evalcore_profiles(self):
            return [ProfileSource("lenient", {"extends": "national-2020",
                                              "monitoring": {"row_green": Decimal("0.5")}})]

    with pytest.raises(evalcore.PluginError) as info:
        evalcore.Registry.from_plugins(get_plugin_manager(plugins=[Lenient()]))
    message = str(info.value)
    assert "monitoring.row_green" in message and "monitoring.row_amber" not in message
    assert "row_amber (0.8, inherited: not set here)" in message
