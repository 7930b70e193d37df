"""Monitoring findings for figures that contradict each other (spending or funds received to
date above the year's budget, a cumulative value to date above the year's actual value): each
located at its key, in both languages, and the figures used as written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_monitor import build, monitored, row, text

import evalcore
from evalcore.monitor_output import render_monitor
from evalcore.progress import MonitoringData, Progress
from evalcore.projection import linear
from evalcore.testing import amounts

ABOVE = ("executed-above-budget", "received-above-budget", "to-date-above-actual")


def line_of(source: str, line: str) -> int:
    return source.splitlines().index(line) + 1


def contradictions(report: evalcore.MonitorReport) -> list[evalcore.MonitorFinding]:
    return [f for f in report.findings if f.code in ABOVE]


# -- the budget -------------------------------------------------------------------------------

def test_spending_to_date_above_the_budget_is_a_finding_at_its_key_and_is_used_as_written():
    source = text(row("≥1个", to_date="1个"),
                  monitoring="as_of = 2022-07-31\nexecuted_to_date = 150\nreceived_to_date = 100")
    report = monitored(source)
    (finding,) = contradictions(report)
    assert (finding.code, finding.indicator) == ("executed-above-budget", "budget")
    assert (finding.file, finding.key) == ("p.toml", "monitoring.executed_to_date")
    assert finding.line == line_of(source, "executed_to_date = 150")
    assert finding.message_zh == (
        "预算执行进度：截至监控日执行数 150万元（[monitoring] executed_to_date）超过全年预算数 "
        "100万元（[budget] planned），请核对两个数；报告按所填数值计算")
    assert finding.message_en == (
        "spending to date 150万元 ([monitoring] executed_to_date) is more than "
        "the full-year budget 100万元 ([budget] planned): check both figures; the report uses "
        "them as written")
    budget = report.budget
    assert budget is not None  # nothing changed: the rate is over 100%, the projection linear
    assert (budget.executed_to_date, budget.rate) == (Decimal(150), Decimal("1.5000"))
    assert budget.projected_executed == linear(Decimal(150), report.elapsed)
    assert finding.message_zh in render_monitor(report)
    assert finding.message_en in render_monitor(report, lang="en")


def test_funds_received_to_date_above_the_budget_is_a_finding_at_its_key():
    source = text(row("≥1个", to_date="1个"),
                  monitoring="as_of = 2022-07-31\nexecuted_to_date = 50\nreceived_to_date = 100.01")
    report = monitored(source)
    (finding,) = contradictions(report)
    assert (finding.code, finding.key, finding.line) == (
        "received-above-budget", "monitoring.received_to_date",
        line_of(source, "received_to_date = 100.01"))
    assert "截至监控日资金到位数 100.01万元（[monitoring] received_to_date）超过全年预算数 100万元" \
        in finding.message_zh
    assert "funds received to date 100.01万元 ([monitoring] received_to_date) is more than" \
        in finding.message_en
    assert report.budget is not None and report.budget.received_rate == Decimal("1.0001")


@pytest.mark.parametrize("monitoring", [
    "executed_to_date = 100\nreceived_to_date = 100",  # the whole budget: no contradiction
    "executed_to_date = 0\nreceived_to_date = 0",
    "received_to_date = 99.99",
])
def test_figures_up_to_the_budget_are_no_finding(monitoring):
    report = monitored(text(row("≥1个", to_date="1个"), monitoring=f"as_of = 2022-07-31\n{monitoring}"))
    assert contradictions(report) == []


def test_without_a_planned_budget_nothing_is_above_it():
    report = monitored(text(row("≥1个", to_date="1个"), budget="points = 10",
                            monitoring="as_of = 2022-07-31\nexecuted_to_date = 500\n"
                                       "received_to_date = 500"))
    assert [f.code for f in report.findings] == ["no-planned-budget"]
    assert report.findings[0].key == "budget.planned"


def test_both_above_the_budget_are_two_findings_in_the_unit_of_the_budget():
    report = monitored(text(row("≥1个", to_date="1个"), budget='unit = "元"\nplanned = 100\npoints = 10',
                            monitoring="as_of = 2022-07-31\nexecuted_to_date = 120\n"
                                       "received_to_date = 130"))
    assert [(f.code, f.key) for f in contradictions(report)] == [
        ("executed-above-budget", "monitoring.executed_to_date"),
        ("received-above-budget", "monitoring.received_to_date")]
    assert "130元" in contradictions(report)[1].message_zh


@given(planned=amounts(1, 10**4, 2), executed=amounts(0, 2 * 10**4, 2),
       received=amounts(0, 2 * 10**4, 2), day=st.dates(dt.date(2022, 1, 1), dt.date(2022, 12, 31)))
def test_a_budget_figure_is_a_finding_exactly_when_it_is_above_the_budget(planned, executed,
                                                                          received, day):
    report = monitored(text(row("≥1个", to_date="1个"), budget=f"planned = {planned}\npoints = 10",
                            monitoring=f"executed_to_date = {executed}\n"
                                       f"received_to_date = {received}"), as_of=day)
    codes = {f.code for f in contradictions(report)}
    assert ("executed-above-budget" in codes) == (executed > planned)
    assert ("received-above-budget" in codes) == (received > planned)
    assert report.budget is not None
    assert (report.budget.executed_to_date, report.budget.received_to_date) == (executed, received)


# -- a value to date above the year's actual ---------------------------------------------------

def test_a_value_to_date_above_the_actual_is_a_finding_at_to_date_and_the_projection_stands():
    source = text(row("≥100个", to_date="80个", actual="60个"), monitoring="as_of = 2022-06-30",
                  settings='monitoring = {elapsed = "months"}')
    report = monitored(source)
    (finding,) = contradictions(report)
    assert (finding.code, finding.indicator, finding.file, finding.key) == (
        "to-date-above-actual", "x", "p.toml", "indicator[0].to_date")
    assert finding.line == line_of(source, 'to_date = "80个"')
    assert finding.message_zh == (
        "指标x：截至监控日的值 80个（to_date）大于全年实际完成值 60个（actual），累计值不会减少，"
        "请核对两个数；报告按截至监控日的值推算")
    assert finding.message_en == (
        "指标x: the value to date 80个 (to_date) is more than the year's actual value 60个 "
        "(actual), and a cumulative amount does not shrink: check both figures; the report "
        "projects from the value to date as written")
    assert (report.rows[0].projected, report.rows[0].method) == ("160个", "linear")


@pytest.mark.parametrize(("target", "to_date", "actual", "found"), [
    ("≥100个", "60个", "60个", False),  # equal: no contradiction
    ("≥100个", "60.01个", "60个", True),
    ("≥10公里", "4000米", "3公里", True),  # compared in one unit
    ("≥10公里", "3000米", "3公里", False),
    ("≥10公里", 4, "3公里", True),  # a bare value to date is in the target's unit
    ("≥10公里", "4公里", 3, True),  # and a bare actual value too
    ("≥90%", "95%", "92%", False),  # a rate is not cumulative: it may fall
    ("≤1.2万元/公里", "1.3万元/公里", "1.1万元/公里", False),  # a unit cost neither
    ("≥100个", "60个", "未统计", False),  # an actual in words is not compared
    ("≥100个", "60个", "五十个", True),  # a Chinese numeral is read: 60 > 50
    ("≥10公里", "4公里", "3个", False),  # nor amounts that do not compare
])
def test_only_a_cumulative_value_to_date_above_the_actual_is_a_finding(target, to_date, actual,
                                                                       found):
    report = monitored(text(row(target, to_date=to_date, actual=actual)))
    assert bool(contradictions(report)) is found


@given(a=amounts(0, 10**5, 3), b=amounts(0, 10**5, 3), unit=st.sampled_from(["个", "万元", "公里", ""]))
def test_a_value_to_date_is_a_finding_exactly_when_it_is_above_the_actual(a, b, unit):
    report = monitored(text(row(f"≥100{unit}", to_date=f"{a}{unit}", actual=f"{b}{unit}")),
                       as_of="2022-07-31")
    assert bool(contradictions(report)) is (a > b)


def test_the_split_form_locates_it_in_the_actual_table(tmp_path):
    (tmp_path / "scheme.toml").write_text(
        '[scheme]\nname = "s"\n[settings]\nweights = {}\n[budget]\npoints = 10\n' + row("≥100个"),
        encoding="utf-8")
    (tmp_path / "p.toml").write_text(
        '[project]\nname = "p"\nyear = 2022\nscheme = "scheme.toml"\n[budget]\nplanned = 100\n'
        '[monitoring]\nas_of = 2022-06-30\nexecuted_to_date = 40\n'
        '[actual.x]\nvalue = "30个"\nto_date = "50个"\n', encoding="utf-8")
    report = evalcore.monitor(evalcore.load_project(tmp_path / "p.toml"))
    (finding,) = contradictions(report)
    assert (finding.file, finding.key, finding.line) == ("p.toml", "actual.x.to_date", 12)


def test_a_project_built_in_python_names_the_keys_a_file_would_write():
    scheme = evalcore.Scheme("s", (evalcore.Indicator("x", "指标x", "数量指标", Decimal(90), "≥100个"),),
                             budget_points=Decimal(10), settings={"weights": {}})
    project = evalcore.Project(
        evalcore.ProjectInfo("p", year=2022), scheme, evalcore.Budget(Decimal(100), None),
        {"x": evalcore.Actual("60个")},
        monitoring=MonitoringData(as_of=dt.date(2022, 7, 31), executed_to_date=Decimal(150),
                                  rows={"x": Progress(to_date="80个")}))
    report = evalcore.monitor(project)
    assert [(f.code, f.file, f.key, f.line) for f in contradictions(report)] == [
        ("to-date-above-actual", "", "actual.x.to_date", None),
        ("executed-above-budget", "", "monitoring.executed_to_date", None)]


def test_a_row_without_monitoring_keys_of_its_own_is_located_at_its_indicator():
    project = build(text(row("≥100个", actual="60个"), monitoring=""))
    project = attrs.evolve(project, monitoring=MonitoringData(
        as_of=dt.date(2022, 7, 31), rows={"x": Progress(to_date="80个")}))
    (finding,) = contradictions(evalcore.monitor(project))
    assert (finding.file, finding.key) == ("p.toml", "indicator[0].to_date")
