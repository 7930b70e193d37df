"""Too early to project: while 序时进度 is below the profile's ``too_early_months`` ÷ 12 a
linear projection is kept exact and scored, but the outputs say "too early to project"
instead of the misleading figure (10 units by 5 January read as 730 for the year)."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from test_cycle_language import _texts, monitor_problems
from test_monitor import monitored, row, text

import evalcore
from evalcore.monitor_output import render_monitor
from evalcore.testing import amounts

ROOT = Path(__file__).resolve().parent.parent
EARLY = ROOT / "tests" / "fixtures" / "monitoring" / "early-2022.toml"
CONTRADICTING = ROOT / "tests" / "fixtures" / "monitoring" / "contradicting-2022.toml"


def early_report(as_of: str | None = None, settings: str = "") -> evalcore.MonitorReport:
    source = text(row("≥500个", points=45, to_date="10个")
                  + row("≥90%", points=45, ident="r", category="质量指标", to_date="95%"),
                  monitoring="as_of = 2022-01-05\nexecuted_to_date = 20", settings=settings,
                  budget="planned = 1000\npoints = 10", year=int((as_of or "2022")[:4]))
    return monitored(source, as_of=as_of)


def test_on_5_january_a_linear_projection_is_kept_exact_but_marked_too_early():
    report = early_report()
    assert report.too_early and report.as_of == dt.date(2022, 1, 5)
    count, rate = report.rows
    assert (count.projected, count.method, count.too_early) == ("730个", "linear", True)
    assert (rate.projected, rate.method, rate.too_early) == ("95%", "held", False)  # shown
    assert report.budget is not None and report.budget.too_early
    assert report.budget.projected_executed == Decimal("1460.0000")


def test_the_scores_are_those_of_the_projection_as_before():
    shown = early_report(settings="monitoring = {too_early_months = 0}")
    assert not shown.too_early and not any(r.too_early for r in shown.rows)
    early = early_report()  # the display threshold scores nothing
    assert [r.score for r in early.projected.rows] == [r.score for r in shown.projected.rows]
    assert (early.total, early.grade) == (shown.total, shown.grade)
    assert early_report().rows[0].projected_score == Decimal(45)  # capped by the rule, as before


@pytest.mark.parametrize(("format", "lang", "label", "note"), [
    ("table", "zh", "过早，不推算", "年初至今时间过短（规则配置 too_early_months）"),
    ("markdown", "zh", "过早，不推算", "按进度线性推算的全年值过早，不予显示"),
    ("table", "en", "too early to project", "too little of the year has elapsed"),
    ("markdown", "en", "too early to project", "the projected scores still use them"),
])
def test_the_text_outputs_say_too_early_instead_of_the_figure(format, lang, label, note):
    out = render_monitor(early_report(), format, lang)
    assert label in out and note in out
    assert "730" not in out and "1460" not in out
    assert "95%" in out  # a held value is shown


def test_the_budget_line_says_too_early_for_the_projected_year():
    assert "预计全年执行（过早，不推算）" in render_monitor(early_report())
    assert "projected year (too early to project)" in render_monitor(early_report(), lang="en")


def test_the_json_marks_it_and_keeps_the_exact_figure():
    data = json.loads(render_monitor(early_report(), "json"))
    assert data["too_early"] is True and data["budget"]["too_early"] is True
    assert [(r["projected"], r["too_early"]) for r in data["rows"]] == [("730个", True),
                                                                        ("95%", False)]
    assert data["budget"]["projected_executed"] == "1460.0000"


def test_later_in_the_year_nothing_is_marked_and_the_note_is_gone():
    report = early_report(as_of="2022-07-31")
    assert not report.too_early and not any(r.too_early for r in report.rows)
    assert report.budget is not None and not report.budget.too_early
    out = render_monitor(report)
    assert "过早" not in out and "too_early_months" not in out
    assert not json.loads(render_monitor(report, "json"))["too_early"]


@pytest.mark.parametrize(("day", "settings", "early"), [
    ("2022-01-30", "", True),  # 30/365 < 1/12
    ("2022-01-31", "", False),  # 31/365 > 1/12: one month
    ("2024-01-30", "", True),  # 30/366
    ("2024-01-31", "", False),  # 31/366 > 1/12
    ("2022-01-31", 'monitoring = {elapsed = "months"}', False),  # exactly 1/12: not below
    ("2022-02-27", 'monitoring = {elapsed = "months"}', False),
    ("2022-03-01", "monitoring = {too_early_months = 2}", True),  # 60/365 < 2/12
    ("2022-03-02", "monitoring = {too_early_months = 2}", False),  # 61/365 > 2/12
    ("2022-01-15", "monitoring = {too_early_months = 0.5}", True),  # 15/365 < 1/24
    ("2022-01-16", "monitoring = {too_early_months = 0.5}", False),  # 16/365 > 1/24
    ("2022-01-01", "monitoring = {too_early_months = 0}", False),  # 0: always shown
    ("2022-12-30", "monitoring = {too_early_months = 12}", True),
    ("2022-12-31", "monitoring = {too_early_months = 12}", False),  # 序时进度 1 is never early
])
def test_too_early_at_every_edge_of_the_threshold(day, settings, early):
    assert early_report(as_of=day, settings=settings).too_early is early


@pytest.mark.parametrize(("setting", "message"), [
    ("monitoring = {too_early_months = 13}", "too_early_months is a number of months, from 0 "
                                             "to 12, not 13 (e.g. too_early_months = 1"),
    ("monitoring = {too_early_months = -1}", "too_early_months cannot be negative"),
    ("monitoring = {too_early_month = 1}", "did you mean 'too_early_months'"),
])
def test_a_wrong_too_early_months_is_a_located_error(setting, message):
    with pytest.raises(evalcore.ValidationError) as info:
        early_report(settings=setting)
    text_ = "\n".join(str(p) for p in info.value.problems)
    assert message in text_ and "p.toml:" in text_ and "settings.monitoring.too_early_month" in text_


@given(to_date=amounts(0, 10**4, 2), day=st.dates(dt.date(2022, 1, 1), dt.date(2022, 12, 31)),
       months=st.sampled_from([Decimal(0), Decimal("0.5"), Decimal(1), Decimal(3)]))
@example(to_date=Decimal("0.00"), day=dt.date(2022, 1, 1), months=Decimal("0.5"))  # 0.00个 shows 0个
def test_a_linear_row_is_marked_exactly_below_the_threshold_and_its_score_never_depends_on_it(
        to_date, day, months):
    source = text(row("≥500个", to_date=f"{to_date}个"),
                  settings=f"monitoring = {{too_early_months = {months}}}")
    report = monitored(source, as_of=day)
    always = monitored(text(row("≥500个", to_date=f"{to_date}个"),
                            settings="monitoring = {too_early_months = 0}"), as_of=day)
    assert report.rows[0].too_early is (report.elapsed < months / 12) is report.too_early
    assert report.rows[0].projected_score == always.rows[0].projected_score
    assert (report.total, report.rows[0].rag) == (always.total, always.rows[0].rag)
    shown = next(line for line in render_monitor(report).splitlines() if line.startswith("指标x "))
    # The 预计全年 cell itself (the line also shows the value to date, which may contain it).
    cell = re.split(r"\s{2,}", shown.strip())[4]
    assert cell == ("过早，不推算" if report.too_early else report.rows[0].projected)


@pytest.mark.parametrize("path", [EARLY, CONTRADICTING], ids=lambda p: p.stem)
def test_the_fixtures_shown_in_the_docs_have_no_mixed_language_line(path):
    project = evalcore.load_project(path)
    report = evalcore.monitor(project)
    assert report.too_early or report.findings
    assert monitor_problems(report, _texts(path, project)) == []
