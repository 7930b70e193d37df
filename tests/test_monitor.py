"""Mid-year monitoring (evalcore monitor): reading values to date, 序时进度, projections, RAG,
causes, the projected score by the final evaluation's rules, and the command."""

from __future__ import annotations

import datetime as dt
import decimal
import json
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evalcore
from evalcore.build import build_project, build_scheme
from evalcore.cli import main
from evalcore.loading import load_text
from evalcore.monitor_output import render_monitor
from evalcore.monitoring import elapsed_share
from evalcore.numbers import context
from evalcore.plugin import Projected, Projection, hookimpl
from evalcore.plugins import get_plugin_manager
from evalcore.progress import MonitoringData, Progress
from evalcore.testing import amounts, projects, schemes

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "monitoring-2022" / "project.toml"
FIXTURES = ROOT / "tests" / "fixtures" / "monitor"
RANK = {"green": 0, "amber": 1, "red": 2}


def text(rows: str, monitoring: str = "as_of = 2022-12-31", settings: str = "",
         budget: str = "planned = 100\npoints = 10", year: int = 2022) -> str:
    """An inline project under national-2020 (weights free) with ``rows`` (90 points)."""
    return (f'[project]\nname = "监控测试"\nyear = {year}\n\n[settings]\nweights = {{}}\n'
            f'{settings}\n\n[budget]\n{budget}\n\n[monitoring]\n{monitoring}\n\n{rows}\n')


def row(target: str, points: int = 90, ident: str = "x", category: str = "数量指标",
        **keys: object) -> str:
    lines = [f'[[indicator]]\nid = "{ident}"\ncategory = "{category}"\nname = "指标{ident}"',
             f'target = "{target}"\npoints = {points}']
    for key, value in keys.items():
        lines.append(f"{key} = {value}" if isinstance(value, dt.date) else
                     f"{key} = {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def build(source: str, registry: evalcore.Registry | None = None) -> evalcore.Project:
    return build_project(load_text(source, "p.toml"), registry or evalcore.default_registry())


def monitored(source: str, as_of: object = None, registry: evalcore.Registry | None = None
              ) -> evalcore.MonitorReport:
    return evalcore.monitor(build(source, registry), as_of=as_of, registry=registry)  # type: ignore[arg-type]


def problems(exc: pytest.ExceptionInfo[evalcore.EvalcoreError]) -> str:
    return "\n".join(str(p) for p in exc.value.problems)


# -- 序时进度 -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("day", "convention", "share"), [
    (dt.date(2022, 7, 31), "days", Decimal(212) / 365),
    (dt.date(2024, 7, 31), "days", Decimal(213) / 366),  # a leap year has 366 days
    (dt.date(2022, 1, 1), "days", Decimal(1) / 365),
    (dt.date(2022, 12, 31), "days", Decimal(1)),
    (dt.date(2022, 7, 31), "months", Decimal(7) / 12),
    (dt.date(2022, 7, 30), "months", Decimal(6) / 12),  # July counts once its last day is reached
    (dt.date(2022, 2, 28), "months", Decimal(2) / 12),
    (dt.date(2024, 2, 28), "months", Decimal(1) / 12),  # 2024-02 has 29 days
    (dt.date(2022, 12, 31), "months", Decimal(1)),
])
def test_the_share_of_the_year_elapsed_is_exact_by_each_convention(day, convention, share):
    assert elapsed_share(day, convention) == share


@given(st.dates(dt.date(1950, 1, 1), dt.date(2199, 12, 30)), st.sampled_from(["days", "months"]))
def test_the_share_of_the_year_grows_with_the_date_and_ends_at_one(day, convention):
    share = elapsed_share(day, convention)
    assert 0 <= share <= 1
    following = day + dt.timedelta(days=1)
    if following.year == day.year:
        assert elapsed_share(following, convention) >= share
    else:
        assert share == 1


# -- the example -----------------------------------------------------------------------------

def test_the_example_is_monitored_as_documented():
    report = evalcore.monitor(evalcore.load_project(EXAMPLE))
    with decimal.localcontext(context()):  # evalcore's precision, whatever the test's
        assert report.as_of == dt.date(2022, 7, 31) and report.elapsed == Decimal(212) / 365
    assert (report.total, report.grade) == (Decimal("76.59"), "中")
    budget = report.budget
    assert budget is not None
    assert (budget.rate, budget.behind, budget.received_rate) == (
        Decimal("0.4148"), Decimal("16.60"), Decimal("0.8889"))
    assert (budget.projected_score, budget.rag, budget.needs_cause) == (Decimal("7.14"), "amber", True)
    got = {r.id: (r.projected, r.method, str(r.projected_score), r.rag) for r in report.rows}
    assert got == {
        "maint-km": ("309.91公里", "linear", "9.68", "amber"),
        "safety-km": ("20.66公里", "linear", "5.17", "red"),
        "good-rate": ("82.3%", "held", "10.00", "green"),
        "unit-cost": ("1.25万元/公里", "held", "9.60", "amber"),
        "signs": ("2022-11-30", "status", "5.00", "green"),
        "bridge": ("2022-12-15", "status", "0.00", "red"),
        "accidents": ("0起", "linear", "15.00", "green"),
        "mechanism": ("达成", "status", "15.00", "green"),
        "satisfaction": ("", "none", "0.00", "red"),
    }
    assert [(f.code, f.indicator) for f in report.findings] == [
        ("cause-missing", "maint-km"), ("measure-missing", "maint-km"),
        ("measure-missing", "unit-cost"), ("no-value-to-date", "satisfaction")]
    assert [getattr(r, "id", "budget") for r in report.needing_cause] == [
        "budget", "maint-km", "safety-km", "unit-cost", "bridge"]


@pytest.mark.parametrize(("format", "lang", "golden"), [
    ("table", "zh", "monitoring-2022.txt"), ("json", "zh", "monitoring-2022.json"),
    ("markdown", "en", "monitoring-2022.en.md")])
def test_the_examples_outputs_match_their_golden_files(format, lang, golden):
    report = evalcore.monitor(evalcore.load_project(EXAMPLE))
    expected = (FIXTURES / golden).read_text(encoding="utf-8")
    assert render_monitor(report, format, lang) == expected, (
        f"regenerate with: evalcore monitor {EXAMPLE.relative_to(ROOT)} -f {format} "
        f"--lang {lang} -o tests/fixtures/monitor/{golden}")


# -- reading the file ------------------------------------------------------------------------

def test_a_file_without_monitoring_data_reads_as_before_and_evaluates_the_same():
    project = evalcore.load_project(ROOT / "examples" / "ganzhou-2021" / "project.toml")
    assert project.monitoring is None
    assert evalcore.evaluate(project).total == Decimal(97)


def test_every_monitoring_key_is_read():
    project = build(text(
        row("≥40公里", to_date="12公里", status="滞后", expected=dt.date(2022, 12, 1),
            cause_kind="自然因素", cause="汛期", measure="加班"),
        monitoring='as_of = "2022-07-31"\nexecuted_to_date = 50\nreceived_to_date = 80\n'
                   'cause_kind = "管理"\ncause = "结算滞后"\nmeasure = "按月结算"'))
    data = project.monitoring
    assert data is not None
    assert (data.as_of, data.executed_to_date, data.received_to_date) == (
        dt.date(2022, 7, 31), Decimal(50), Decimal(80))
    assert (data.cause_kind, data.cause, data.measure) == ("管理", "结算滞后", "按月结算")
    assert data.rows["x"] == Progress("12公里", "delayed", dt.date(2022, 12, 1), "自然因素",
                                      "汛期", "加班")
    assert "x" not in project.actuals  # monitoring data alone is no actual value


def test_the_split_form_takes_monitoring_keys_in_actual_tables(tmp_path):
    (tmp_path / "scheme.toml").write_text(
        '[scheme]\nname = "s"\n[settings]\nweights = {}\n[budget]\npoints = 10\n'
        + row("≥100个"), encoding="utf-8")
    (tmp_path / "p.toml").write_text(
        '[project]\nname = "p"\nyear = 2022\nscheme = "scheme.toml"\n[budget]\nplanned = 100\n'
        '[monitoring]\nas_of = 2022-06-30\nexecuted_to_date = 40\n'
        '[actual.x]\nto_date = "50个"\nstatus = "正常"\n', encoding="utf-8")
    project = evalcore.load_project(tmp_path / "p.toml")
    assert project.monitoring is not None and "x" not in project.actuals
    report = evalcore.monitor(project)
    assert report.rows[0].projected == "100.83个"  # 50 ÷ 181/365
    assert report.rows[0].status == "on-track"


@pytest.mark.parametrize(("source", "message"), [
    (text(row("≥1个", to_dat="1个")), "unknown key 'to_dat' (did you mean 'to_date'?)"),
    (text(row("≥1个", status="滞厚")),
     "unknown status '滞厚' (did you mean '停滞' or '滞后'? one of: on-track"),
    (text(row("≥1个"), monitoring="as_of = 2022-07-31\nexecuted = 1"),
     "unknown key 'executed' (did you mean 'executed_to_date'"),
    (text(row("≥1个"), monitoring='as_of = "七月底"'), "as_of must be a date such as 2022-07-31"),
    (text(row("≥1个", expected="下月")), "expected must be a date such as 2022-07-31"),
    (text(row("≥1个"), monitoring="as_of = 2022-07-31\nexecuted_to_date = -1"),
     "executed_to_date cannot be negative"),
    (text(row("≥1个", to_date=[1])), "to_date must be text, a number or a date"),
])
def test_a_mistake_in_monitoring_data_is_a_located_problem(source, message):
    with pytest.raises(evalcore.ValidationError) as info:
        build(source)
    assert message in problems(info)
    assert "p.toml:" in problems(info)


def test_a_scheme_refuses_monitoring_keys():
    doc = load_text('[scheme]\nname = "s"\n' + row("≥1个", points=100, to_date="1个"), "s.toml")
    with pytest.raises(evalcore.ValidationError, match="'to_date' belongs in the project file"):
        build_scheme(doc, evalcore.default_registry())


# -- errors at monitoring time ---------------------------------------------------------------

def test_without_a_monitoring_date_it_is_an_error_naming_both_ways_to_give_one():
    with pytest.raises(evalcore.ValidationError, match=r"--as-of 2022-07-31.*as_of = 2022-07-31"):
        monitored(text(row("≥1个", to_date="1个"), monitoring=""))


def test_a_date_outside_the_projects_year_is_an_error_at_as_of():
    with pytest.raises(evalcore.ValidationError) as info:
        monitored(text(row("≥1个", to_date="1个"), monitoring="as_of = 2021-07-31"))
    assert "p.toml:" in problems(info) and "monitoring.as_of" in problems(info)
    assert "outside the project's year 2022" in problems(info)
    with pytest.raises(evalcore.ValidationError, match=r"2023-01-01 \(as_of, --as-of\) is outside"):
        monitored(text(row("≥1个", to_date="1个")), as_of="2023-01-01")


def test_the_given_date_overrides_the_files():
    report = monitored(text(row("≥100个", to_date="50个")), as_of=dt.date(2022, 6, 30))
    assert report.as_of == dt.date(2022, 6, 30) and report.rows[0].projected == "100.83个"


def test_a_project_without_a_year_is_monitored_in_the_year_of_its_date():
    source = text(row("≥1个", to_date="1个")).replace("year = 2022\n", "")
    assert monitored(source).year == 2022


@pytest.mark.parametrize(("source", "message"), [
    (text(row("≥1个", to_date="1个", cause_kind="自然灾害")),
     "unknown cause class '自然灾害' (did you mean '自然因素'"),
    (text(row("≥1个", to_date="1个"), monitoring='as_of = 2022-07-31\ncause_kind = "市常"'),
     "unknown cause class '市常' (did you mean '市场'"),
    (text(row("≤2022-10-31", category="时效指标", status="delayed")),
     "x: a delayed deadline needs its expected completion date"),
    (text(row("≥1个", to_date="三个半")), "indicator[0].to_date: error: the target ≥1个 needs a "
                                         "number, but the actual value is '三个半'"),
])
def test_a_mistake_found_when_monitoring_is_a_located_error(source, message):
    with pytest.raises(evalcore.EvalcoreError) as info:
        monitored(source)
    assert message in problems(info) and "p.toml:" in problems(info)


def test_months_before_the_first_month_ends_is_an_error_not_a_division_by_zero():
    with pytest.raises(evalcore.ValidationError, match="序时进度 is 0 at 2022-01-15"):
        monitored(text(row("≥1个", to_date="1个"), settings='monitoring = {elapsed = "months"}'),
                  as_of="2022-01-15")


# -- settings --------------------------------------------------------------------------------

@pytest.mark.parametrize(("setting", "message"), [
    ('monitoring = {budget_ambr = 5}', "unknown monitoring setting 'budget_ambr' (did you mean "
                                       "'budget_amber'"),
    ('monitoring = {elapsed = "weeks"}', "elapsed must be one of days, months"),
    ('monitoring = {budget_amber = 30, budget_red = 20}', "budget_red (20) must be at least"),
    ('monitoring = {row_amber = 1.5}', "row_amber is a share of the row's points"),
    ('monitoring = {row_green = 0.7, row_amber = 0.8}', "row_amber (0.8) must be at most"),
    ('monitoring = {causes = []}', "causes must name at least one cause class"),
    ('monitoring = {cumulative = "count"}', "cumulative must be an array of texts"),
    ('monitoring = {cumulative = ["lenght"]}', "the unknown unit kind 'lenght' (did you mean "
                                              "'length'"),
])
def test_a_wrong_monitoring_setting_is_a_located_error(setting, message):
    with pytest.raises(evalcore.ValidationError) as info:
        evalcore.evaluate(build(text(row("≥1个", actual="1个"), settings=setting)))
    assert message in problems(info) and "settings.monitoring" in problems(info)


def test_the_national_profile_states_every_default(registry):
    settings = registry.profile("national-2020").monitoring
    assert settings == evalcore.Profile("x").monitoring
    assert registry.profile("hubei").monitoring == settings  # inherited


def test_the_months_convention_changes_the_share():
    report = monitored(text(row("≥120个", to_date="70个"), settings='monitoring = {elapsed = "months"}'),
                       as_of="2022-07-31")
    with decimal.localcontext(context()):
        assert report.elapsed == Decimal(7) / 12
    assert report.rows[0].projected == "120个"
    assert report.rows[0].rag == "green"


# -- red / amber / green at every edge ---------------------------------------------------------

@pytest.mark.parametrize(("executed", "behind", "rag"), [
    ("100", "0.00", "green"), ("120", "-20.00", "green"), ("90", "10.00", "green"),
    ("89.99", "10.01", "amber"), ("80", "20.00", "amber"), ("79.99", "20.01", "red"), ("0", "100.00", "red"),
])
def test_budget_execution_behind_the_share_of_the_year_is_rated_by_the_thresholds(executed, behind, rag):
    report = monitored(text(row("≥1个", to_date="1个"),
                            monitoring=f"as_of = 2022-12-31\nexecuted_to_date = {executed}"))
    assert report.budget is not None
    assert (str(report.budget.behind), report.budget.rag) == (behind, rag)
    assert report.budget.needs_cause is (rag != "green")


@pytest.mark.parametrize(("budget", "shown"), [("points = 10", "全年预算数 —，"),
                                               ("planned = 0\npoints = 10", "全年预算数 0万元，")])
def test_spending_without_a_planned_budget_is_red_and_flagged_once_without_asking_a_cause(budget,
                                                                                         shown):
    report = monitored(text(row("≥1个", to_date="1个"), budget=budget,
                            monitoring="as_of = 2022-07-31\nexecuted_to_date = 50"))
    assert report.budget is not None
    assert (report.budget.rate, report.budget.behind, report.budget.rag) == (None, None, "red")
    assert report.budget.needs_cause is False
    assert [f.code for f in report.findings] == ["no-planned-budget"]
    assert shown in render_monitor(report)


def test_the_budget_thresholds_are_settings():
    report = monitored(text(row("≥1个", to_date="1个"), settings="monitoring = {budget_amber = 5}",
                            monitoring="as_of = 2022-12-31\nexecuted_to_date = 94"))
    assert report.budget is not None and report.budget.rag == "amber"


@pytest.mark.parametrize(("to_date", "score", "rag"), [
    ("100个", "90.00", "green"), ("150个", "90.00", "green"), ("99个", "89.10", "amber"),
    ("80个", "72.00", "amber"), ("79个", "71.10", "red"), ("0个", "0.00", "red"),
])
def test_a_row_is_rated_by_the_share_of_its_points_it_is_projected_to_keep(to_date, score, rag):
    report = monitored(text(row("≥100个", to_date=to_date)))
    assert (str(report.rows[0].projected_score), report.rows[0].rag) == (score, rag)


def test_the_row_thresholds_are_settings():
    report = monitored(text(row("≥100个", to_date="90个"),
                            settings="monitoring = {row_green = 0.9, row_amber = 0.5}"))
    assert report.rows[0].rag == "green"


def test_a_row_that_does_not_apply_has_no_colour():
    report = monitored(text(row("≥1个", to_date="1个") + row("/", points=0, ident="n")))
    assert [r.rag for r in report.rows] == ["green", ""]


def test_a_row_of_zero_points_has_no_colour_and_asks_no_cause():
    report = monitored(text(row("≥1个", to_date="1个") + row("≥10个", points=0, ident="z",
                                                             to_date="0个")))
    assert [(r.rag, r.needs_cause) for r in report.rows] == [("green", False), ("", False)]


# -- projections, per kind of row ------------------------------------------------------------

HALF = "as_of = 2022-06-30"  # with elapsed = "months": 序时进度 exactly 1/2
MONTHS = 'monitoring = {elapsed = "months"}'


@pytest.mark.parametrize(("target", "category", "to_date", "projected", "method"), [
    ("≥100个", "数量指标", "40个", "80个", "linear"),  # a count accumulates
    ("≥100", "数量指标", "40", "80", "linear"),  # a bare number too
    ("≤500万元", "成本指标", "200万元", "400万元", "linear"),  # a total cost accumulates
    ("≥10公里", "数量指标", "4000米", "8000米", "linear"),
    ("≥90%", "质量指标", "92%", "92%", "held"),  # a rate is its own best estimate
    ("≤1.2万元/公里", "成本指标", "1.1万元/公里", "1.1万元/公里", "held"),  # a unit cost
    ("≤30天", "时效指标", "25天", "25天", "held"),  # a duration
    ("≤2022-10-31", "时效指标", "2022-06-01", "2022-06-01", "held"),  # a deadline already met
    ("显著提升", "社会效益指标", "有所提升", "有所提升", "held"),  # a word to date
])
def test_each_kind_of_value_to_date_is_projected_by_its_kind(target, category, to_date, projected,
                                                            method):
    report = monitored(text(row(target, category=category, to_date=to_date), monitoring=HALF,
                            settings=MONTHS))
    assert (report.rows[0].projected, report.rows[0].method) == (projected, method)


def test_the_cumulative_kinds_are_a_setting():
    report = monitored(text(row("≥90%", category="质量指标", to_date="40%"), monitoring=HALF,
                            settings='monitoring = {elapsed = "months", cumulative = ["percent"]}'))
    assert report.rows[0].projected == "80%"


@pytest.mark.parametrize(("status", "projected", "score"), [
    ("on-track", "达成", "90.00"), ("delayed", "部分达成", "54.00"), ("stalled", "未达成", "0.00"),
])
def test_a_qualitative_row_is_projected_by_its_stated_status(status, projected, score):
    report = monitored(text(row("显著提升", category="社会效益指标", status=status)))
    assert (report.rows[0].projected, report.rows[0].method, str(report.rows[0].projected_score)) \
        == (projected, "status", score)


def test_the_qualitative_projection_takes_the_words_of_the_rows_own_table():
    words = 'rules.qualitative.words = {met = ["好"], partly = ["一般"], missed = ["差"]}'
    report = monitored(text(row("好", category="社会效益指标", status="delayed"), settings=words))
    assert report.rows[0].projected == "一般"


@pytest.mark.parametrize(("target", "status", "expected", "projected", "score"), [
    ("≤2022-10-31", "on-track", None, "2022-10-31", "90.00"),
    ("<2022-11-01", "on-track", None, "2022-10-31", "90.00"),
    ("≤2022-10-31", "delayed", dt.date(2022, 12, 15), "2022-12-15", "0.00"),
    ("≤2022-10-31", "stalled", None, "", "0.00"),
    ("年底前", "on-track", None, "2022-12-31", "90.00"),  # a period: its last day in the year
])
def test_a_deadline_is_projected_by_its_stated_status(target, status, expected, projected, score):
    keys: dict[str, object] = {"status": status}
    if expected is not None:
        keys["expected"] = expected
    report = monitored(text(row(target, category="时效指标", **keys)))
    assert (report.rows[0].projected, str(report.rows[0].projected_score)) == (projected, score)


def test_a_quantitative_row_without_a_value_to_date_is_red_and_flagged_once():
    report = monitored(text(row("≥100个", status="on-track")))
    assert (report.rows[0].method, report.rows[0].rag, report.rows[0].needs_cause) == (
        "none", "red", False)
    assert [f.code for f in report.findings] == ["no-value-to-date", "no-execution-to-date"]


def test_progress_is_the_value_to_date_over_the_target_in_the_targets_unit():
    report = monitored(text(row("≥10公里", to_date="4000米")))
    assert report.rows[0].progress == Decimal("0.4")
    assert monitored(text(row("显著提升", category="社会效益指标", to_date="提升"))).rows[0].progress is None


@pytest.mark.parametrize(("target", "to_date", "progress", "projected"), [
    ("≥10公里", 4, "0.4", "8公里"),  # linear: a bare number is in the target's unit
    ("≥90%", 45, "0.5", "45%"),  # held
    ("≥90%", "45", "0.5", "45%"),
])
def test_a_bare_value_to_date_is_in_the_targets_unit_as_an_actual_value_is(target, to_date,
                                                                            progress, projected):
    report = monitored(text(row(target, to_date=to_date), monitoring=HALF, settings=MONTHS))
    assert (report.rows[0].progress, report.rows[0].projected) == (Decimal(progress), projected)


class Doubling:
    """A plugin rule that projects every value to date to twice itself."""

    @hookimpl
    def evalcore_rule_types(self):
        def project(p: Projection) -> Projected | None:
            if p.to_date is None or p.to_date.quantity is None:
                return None
            q = p.to_date.quantity
            return Projected(f"{q.value * 2}{q.unit}", "doubled")

        registry = evalcore.default_registry()
        return [attrs.evolve(registry.rule("positive"), name="doubling", project=project)]


def test_a_rule_may_project_its_rows_its_own_way():
    registry = evalcore.Registry.from_plugins(get_plugin_manager(plugins=[Doubling()]))
    report = monitored(text(row("≥100个", to_date="30个", rule="doubling")), as_of="2022-06-30",
                       registry=registry)
    assert (report.rows[0].projected, report.rows[0].method) == ("60个", "doubled")
    fallback = monitored(text(row("≥100个", category="社会效益指标", rule="doubling",
                                  status="on-track")), registry=registry)
    assert fallback.rows[0].method == "none"  # None from the rule: the default projection


# -- causes and corrections ------------------------------------------------------------------

def test_an_off_target_row_with_its_cause_and_measure_is_listed_without_a_finding():
    report = monitored(text(row("≥100个", to_date="50个", cause_kind="市场", cause="涨价",
                                measure="调整"), monitoring="as_of = 2022-12-31\nexecuted_to_date = 100"))
    assert report.findings == () and report.needing_cause == (report.rows[0],)
    assert report.rows[0].cause_kind == "市场"


def test_a_missing_cause_and_measure_are_each_flagged_for_a_row_and_for_the_budget():
    report = monitored(text(row("≥100个", to_date="50个", cause="涨价"),
                            monitoring="as_of = 2022-12-31\nexecuted_to_date = 10"))
    assert [(f.code, f.indicator) for f in report.findings] == [
        ("measure-missing", "x"), ("cause-missing", "budget"), ("measure-missing", "budget")]


def test_a_green_row_needs_no_cause():
    report = monitored(text(row("≥100个", to_date="100个"),
                            monitoring="as_of = 2022-12-31\nexecuted_to_date = 100"))
    assert report.needing_cause == () and report.findings == ()


def test_the_cause_classes_are_a_setting():
    source = text(row("≥100个", to_date="50个", cause_kind="天气"),
                  settings='monitoring = {causes = ["天气", "其他"]}')
    assert monitored(source).rows[0].cause_kind == "天气"


# -- the projected score is the final evaluation's -------------------------------------------

def _at_year_end(project: evalcore.Project, day: dt.date) -> evalcore.Project:
    rows = {ident: Progress(to_date=a.value) for ident, a in project.actuals.items()}
    executed = project.budget.executed if project.budget is not None else None
    return attrs.evolve(project, monitoring=MonitoringData(as_of=day, executed_to_date=executed,
                                                           rows=rows))


@given(data=st.data(), convention=st.sampled_from(["days", "months"]),
       year=st.sampled_from([2022, 2024]))
def test_on_the_last_day_with_complete_values_the_projected_score_is_the_final_one(
        data, convention, year):
    scheme = data.draw(schemes())
    scheme = attrs.evolve(scheme, settings={**scheme.settings, "monitoring": {"elapsed": convention}})
    project = data.draw(projects(scheme))
    final = evalcore.evaluate(project)
    report = evalcore.monitor(_at_year_end(project, dt.date(year, 12, 31)))
    assert report.elapsed == 1
    assert (report.total, report.grade) == (final.total, final.grade)
    assert [r.score for r in report.projected.rows] == [r.score for r in final.rows]
    if final.budget is not None:
        assert report.projected.budget is not None
        assert report.projected.budget.score == final.budget.score


@given(a=amounts(1, 10**4, 2), b1=amounts(0, 3 * 10**4, 2), b2=amounts(0, 3 * 10**4, 2),
       day=st.dates(dt.date(2022, 1, 1), dt.date(2022, 12, 31)), unit=st.sampled_from(["个", "%", "万元"]))
def test_a_rows_colour_never_worsens_as_its_value_to_date_grows(a, b1, b2, day, unit):
    low, high = sorted((b1, b2))
    colours = [monitored(text(row(f"≥{a}{unit}", to_date=f"{b}{unit}")), as_of=day).rows[0].rag
               for b in (low, high)]
    assert RANK[colours[1]] <= RANK[colours[0]]


@given(e1=amounts(0, 200, 2), e2=amounts(0, 200, 2),
       day=st.dates(dt.date(2022, 1, 1), dt.date(2022, 12, 31)))
def test_the_budgets_colour_never_worsens_as_execution_grows(e1, e2, day):
    low, high = sorted((e1, e2))
    colours = []
    for executed in (low, high):
        report = monitored(text(row("≥1个", to_date="1个"),
                                monitoring=f"executed_to_date = {executed}"), as_of=day)
        assert report.budget is not None
        colours.append(report.budget.rag)
    assert RANK[colours[1]] <= RANK[colours[0]]


# -- the command -----------------------------------------------------------------------------

def test_the_command_prints_the_table_by_default(capsys):
    assert main(["monitor", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "序时进度 58.08%" in out and "预计全年总分 76.59，等级 中" in out
    assert "需说明偏差原因及纠偏措施" in out


def test_the_command_writes_json_markdown_and_english_to_a_file(tmp_path, capsys):
    out = tmp_path / "m.json"
    assert main(["monitor", str(EXAMPLE), "-f", "json", "-o", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert (data["projected_total"], data["grade"], data["as_of"]) == ("76.59", "中", "2022-07-31")
    assert data["rows"][0]["rag"] == "amber" and data["budget"]["behind"] == "16.60"
    assert main(["monitor", str(EXAMPLE), "-f", "markdown", "--lang", "en"]) == 0
    text_out = capsys.readouterr().out
    assert text_out.startswith("## performance monitoring:") and "| indicator " in text_out
    assert "projected total 76.59, grade fair" in text_out


def test_the_command_takes_as_of(capsys):
    assert main(["monitor", str(EXAMPLE), "--as-of", "2022-12-31"]) == 0
    assert "序时进度 100%" in capsys.readouterr().out


@pytest.mark.parametrize(("args", "message"), [
    (["-f", "jsn"], "unknown monitor format 'jsn' (did you mean 'json'?)"),
    (["--as-of", "2021-07-31"], "outside the project's year 2022"),
])
def test_the_commands_mistakes_exit_2_with_a_message(args, message, capsys):
    assert main(["monitor", str(EXAMPLE), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_a_date_that_is_not_one_exits_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["monitor", str(EXAMPLE), "--as-of", "July"])
    assert info.value.code == 2 and "is not a date: write it as 2022-07-31" in capsys.readouterr().err


def test_a_broken_file_exits_2_with_every_problem_located(tmp_path, capsys):
    bad = tmp_path / "p.toml"
    bad.write_text(text(row("≥1个", to_dat="1个", status="stuck")), encoding="utf-8")
    assert main(["monitor", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "unknown key 'to_dat'" in err and "unknown status 'stuck'" in err
    assert "p.toml:" in err and "Traceback" not in err


@pytest.mark.parametrize("example", ["ganzhou-2021", "hubei-2022", "jiangxi-2022", "sichuan-2022"])
def test_each_example_monitored_on_its_last_day_with_its_actuals_scores_as_evaluated(example):
    """Qualitative words, assessed scores, compound units, zero targets and deadlines, held or
    projected at 序时进度 1, score as the final evaluation does."""
    project = evalcore.load_project(ROOT / "examples" / example / "project.toml")
    assert project.info.year is not None
    final = evalcore.evaluate(project)
    report = evalcore.monitor(_at_year_end(project, dt.date(project.info.year, 12, 31)))
    assert [r.score for r in report.projected.rows] == [r.score for r in final.rows]
    assert (report.total, report.grade) == (final.total, final.grade)
