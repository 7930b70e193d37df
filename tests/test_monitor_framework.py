"""Mid-year monitoring of a 决策/过程/产出/效益 table: checklist rows projected by their
assessments or stated status, the funds rates from the funds to date, and a table with every
value in monitored on 12-31 projecting exactly its final evaluation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evalcore
from evalcore.progress import MonitoringData, Progress

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "monitoring" / "local-self-2023-07.toml"
EXAMPLE = ROOT / "examples" / "local-self-2023" / "project.toml"


def _fixture(registry: evalcore.Registry, change: tuple[str, str] | None = None,
             tmp_path: Path | None = None) -> evalcore.Project:
    if change is None:
        return evalcore.load_project(FIXTURE, registry=registry)
    assert tmp_path is not None
    text = FIXTURE.read_text(encoding="utf-8")
    assert change[0] in text
    path = tmp_path / "project.toml"
    path.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    return evalcore.load_project(path, registry=registry)


def _by_id(report: evalcore.MonitorReport) -> dict[str, object]:
    return {row.id: row for row in report.rows}


def test_the_framework_fixture_is_monitored_with_only_the_rows_without_data_flagged(registry):
    report = evalcore.monitor(_fixture(registry), registry=registry)
    rows = _by_id(report)
    # the 决策 checklists assessed already: held as assessed, green, not flagged
    assert (rows["basis"].method, rows["basis"].projected_score, rows["basis"].rag) == (
        "held", Decimal("4.00"), "green")
    # a checklist not yet assessed, on track: every condition met
    assert (rows["execution-of-rules"].method, rows["execution-of-rules"].projected_score) == (
        "status", Decimal("5.00"))
    # funds: 800 received to date at 212/365 → 1377.4 projected, held at the budget, 1000
    assert (rows["arrival"].projected, rows["arrival"].projected_score) == ("100%",
                                                                            Decimal("5.00"))
    # 520 spent to date → 895.28 by the year's end, of 1000 received: 89.53%
    assert rows["execution"].projected == "89.53%" and rows["execution"].rag == "amber"
    assert [(f.code, f.indicator) for f in report.findings] == [
        ("no-value-to-date", "unit-cost"), ("no-value-to-date", "satisfaction")]
    assert report.total == Decimal("75.81")


@pytest.mark.parametrize(("status", "score", "method"), [
    ("on-track", Decimal("5.00"), "status"), ("delayed", Decimal("2.50"), "status"),
    ("stalled", Decimal("0.00"), "status")])
def test_a_checklists_stated_status_assesses_every_condition(registry, tmp_path, status, score,
                                                            method):
    project = _fixture(registry, ('status = "on-track"\n', f'status = "{status}"\n'), tmp_path)
    row = _by_id(evalcore.monitor(project, registry=registry))["execution-of-rules"]
    assert (row.projected_score, row.method) == (score, method)
    assert row.rag == ("green" if status == "on-track" else "red")


def test_a_checklist_with_neither_assessments_nor_status_is_flagged(registry, tmp_path):
    project = _fixture(registry, ('status = "on-track"\n', ""), tmp_path)
    report = evalcore.monitor(project, registry=registry)
    assert ("no-value-to-date", "execution-of-rules") in [(f.code, f.indicator)
                                                          for f in report.findings]


def test_assessments_to_date_replace_the_files_extra(registry, tmp_path):
    # 管理制度健全性: all three met in its extra; to date only one is
    project = _fixture(registry, ('name = "管理制度健全性"\ntarget = "健全"\npoints = 5\n',
                                  'name = "管理制度健全性"\ntarget = "健全"\npoints = 5\n'
                                  'to_date = "works=是; funds=否; upkeep=否"\n'), tmp_path)
    row = _by_id(evalcore.monitor(project, registry=registry))["rules"]
    assert (row.method, row.projected_score) == ("held", Decimal("2.00"))


@pytest.mark.parametrize("key", ["received_to_date", "executed_to_date"])
def test_a_funds_rate_without_the_funds_to_date_is_a_located_error(registry, tmp_path, key):
    project = _fixture(registry, (f"\n{key} =", f"\n# {key} ="), tmp_path)
    with pytest.raises(evalcore.ValidationError) as caught:
        evalcore.monitor(project, registry=registry)
    text = str(caught.value)
    assert f"[monitoring] {key}" in text and "project.toml:" in text
    assert "arrival（资金到位率）" in text and "Traceback" not in text


@pytest.mark.parametrize(("as_of", "received", "projected"), [
    ("2023-07-31", "900", "100%"),      # 900 ÷ 58.08% would be 1549.6: held at the budget
    ("2023-07-31", "500", "86.08%"),    # 500 ÷ 212/365 = 860.849
    ("2023-12-31", "1100", "110%"),     # more than the budget at the year's end: as it is
])
def test_the_funds_received_are_projected_linearly_up_to_the_budget(
        registry, tmp_path, as_of, received, projected):
    project = _fixture(registry, ("received_to_date = 800", f"received_to_date = {received}"),
                       tmp_path)
    report = evalcore.monitor(project, as_of=as_of, registry=registry)
    assert _by_id(report)["arrival"].projected == projected


# -- the year's end: the projection is the final evaluation --------------------------------------

STATUS = st.sampled_from(["符合", "部分符合", "不符合", "是", "否", "部分"])
AMOUNT = st.decimals(min_value=1, max_value=2000, places=1)


@settings(max_examples=25, deadline=None)
@given(data=st.data(), received=AMOUNT, executed=AMOUNT)
def test_a_framework_table_monitored_on_12_31_with_every_value_projects_its_final_score(
        registry, data, received, executed):
    project = evalcore.load_project(EXAMPLE, registry=registry)
    actuals = dict(project.actuals)
    plan = evalcore.compile(project.scheme, registry)
    for row in plan.rows:  # every checklist's conditions assessed at random
        items = row.params.get("items", ()) if row.rule.itemised else ()
        if row.rule.name == "checklist":
            extra = {c.id: data.draw(STATUS) for c in items}
            actuals[row.indicator.id] = attrs.evolve(actuals[row.indicator.id], extra=extra)
    assert project.budget is not None
    budget = attrs.evolve(project.budget, received=received, executed=executed)
    final = attrs.evolve(project, actuals=actuals, budget=budget)
    rows = {i: Progress(to_date=a.value) for i, a in actuals.items() if a.value is not None}
    watched = attrs.evolve(final, monitoring=MonitoringData(
        as_of=dt.date(2023, 12, 31), executed_to_date=executed, received_to_date=received,
        rows=rows))
    report = evalcore.monitor(watched, registry=registry)
    evaluation = evalcore.evaluate(final, registry=registry)
    assert report.total == evaluation.total
    assert [r.projected_score for r in report.rows] == [r.score for r in evaluation.rows]
    assert not [f for f in report.findings if f.code == "no-value-to-date"]


# -- the form: a checklist row's 实际完成值 ------------------------------------------------------

THIRD_PARTY = ROOT / "examples" / "third-party-2022" / "project.toml"


@pytest.mark.parametrize(("formula", "zh", "en"), [
    ("1×1（甲：符合） + 1×1（乙：符合，依据：文件齐全） + 1×0.5（丙：部分符合） = 2.5",
     "符合2项、部分符合1项", "2 met, 1 partly"),
    ("2×0（甲：不符合，依据：无） = 0", "不符合1项", "1 not met"),
    ("B/A = 11/12 = 91.67%", "", ""),  # another rule's formula: no count
])
def test_a_checklists_count_is_read_from_its_trace(formula, zh, en):
    from evalcore_builtin.checklist import assessed_summary

    assert (assessed_summary(formula), assessed_summary(formula, "en")) == (zh, en)


@pytest.mark.parametrize(("lang", "shown"), [("zh", "符合2项、部分符合1项"),
                                              ("en", "2 met, 1 partly")])
def test_the_html_and_xlsx_forms_show_a_checklists_count_as_its_actual(registry, lang, shown):
    openpyxl = pytest.importorskip("openpyxl")
    import io

    result = evalcore.evaluate(evalcore.load_project(THIRD_PARTY, registry=registry),
                               registry=registry)
    page = evalcore.render(result, "html", registry, lang=lang)
    assert isinstance(page, str) and shown in page
    book = openpyxl.load_workbook(io.BytesIO(evalcore.render(result, "xlsx", registry,
                                                             lang=lang)))
    cells = [row for sheet in book for row in sheet.iter_rows(values_only=True)]
    procedure = next(row for row in cells if "立项程序规范性" in row)
    assert shown in procedure
    arrival = next(row for row in cells if "资金到位率" in row)
    assert "100%" in arrival  # a row with its own actual keeps it
