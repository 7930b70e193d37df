"""A monitor report's JSON round trip: `MonitorReport.from_json(r.to_json()) == r`, exact
Decimals and dates back, and a located ValidationError for text that is not a report."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evalcore
from evalcore.monitor_output import render_monitor
from evalcore.progress import MonitoringData, Progress
from evalcore.testing import amounts, projects, schemes

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "monitoring-2022" / "project.toml"
FRAMEWORK = ROOT / "tests" / "fixtures" / "monitoring" / "local-self-2023-07.toml"
CAUSES = ("", "政策变化", "管理", "市场", "自然因素", "其他")


@st.composite
def monitored_projects(draw: st.DrawFn) -> evalcore.Project:
    """A random scheme and project with random monitoring data: a date in the year, values to
    date (the actual values) for some rows, statuses, causes and measures (any text), and the
    funds to date or not."""
    scheme = draw(schemes())
    project = draw(projects(scheme, missing=True))
    rows = {}
    for ind in scheme.indicators:
        if not draw(st.booleans()):
            continue
        actual = project.actuals.get(ind.id)
        rows[ind.id] = Progress(
            to_date=actual.value if actual is not None and draw(st.booleans()) else None,
            status=draw(st.sampled_from(["", "on-track", "stalled"])),
            cause_kind=draw(st.sampled_from(CAUSES)), cause=draw(st.text(max_size=6)),
            measure=draw(st.text(max_size=6)))
    money = st.none() | amounts(0, 10**7, 2)
    data = MonitoringData(as_of=draw(st.dates(dt.date(2022, 1, 1), dt.date(2022, 12, 31))),
                          executed_to_date=draw(money), received_to_date=draw(money),
                          cause_kind=draw(st.sampled_from(CAUSES)), cause=draw(st.text(max_size=6)),
                          rows=rows)
    return attrs.evolve(project, actuals={}, monitoring=data)


@given(monitored_projects())
def test_a_report_read_back_from_its_json_is_equal_to_it(project):
    report = evalcore.monitor(project)
    text = report.to_json()
    back = evalcore.MonitorReport.from_json(text)
    assert back == report
    assert back.to_json() == text  # and writes the same bytes again
    assert (back.total, back.grade, back.elapsed) == (report.total, report.grade, report.elapsed)


@pytest.mark.parametrize("path", [EXAMPLE, FRAMEWORK])
def test_the_examples_come_back_from_the_commands_json_with_exact_numbers_and_dates(path):
    report = evalcore.monitor(evalcore.load_project(path))
    back = evalcore.MonitorReport.from_json(render_monitor(report, "json"))
    assert back == report
    assert back.as_of == report.as_of and isinstance(back.as_of, dt.date)
    assert str(back.elapsed) == str(report.elapsed)  # every digit of 序时进度
    assert back.projected.rows == report.projected.rows


def _example_data() -> dict:
    return json.loads(evalcore.monitor(evalcore.load_project(EXAMPLE)).to_json())


def _error(source: object) -> str:
    text = source if isinstance(source, str) else json.dumps(source, ensure_ascii=False)
    with pytest.raises(evalcore.ValidationError) as info:
        evalcore.MonitorReport.from_json(text)
    return "\n".join(str(p) for p in info.value.problems)


@pytest.mark.parametrize(("text", "message"), [
    ('{"as_of": "2022-07-31",', "not a monitor report: the text is not JSON: Expecting "
                                "property name enclosed in double quotes (line 1, column 24)"),
    ("[1, 2]", "not a monitor report: the JSON is an array, not an object"),
    ("", "the text is not JSON"),
    ('{"total": "97.00"}', 'not a monitor report: it has neither "as_of" nor "rows"'),
])
def test_text_that_is_not_a_report_is_a_clear_error(text, message):
    assert message in _error(text)


def test_each_wrong_value_is_reported_at_its_key_path_all_at_once():
    data = _example_data()
    data["elapsed"] = 0.58  # a float: not exact
    data["as_of"] = "七月底"
    data["rows"][1]["progress"] = "three"
    data["rows"][2]["projected_status"] = "mett"
    data["rows"][3]["rag_colour"] = "red"
    del data["budget"]["rag"]
    message = _error(data)
    for line in [
        "elapsed: error: must be an exact number written as text, not the number 0.58 "
        '(numbers are written as exact text, e.g. "16.60")',
        'as_of: error: must be a date such as "2022-07-31", not the text \'七月底\'',
        "rows[1].progress: error: must be an exact number written as text, not the text 'three'",
        "rows[2].projected_status: error: must be one of met, partly-met, missed, missing, "
        "not-applicable, not the text 'mett' (did you mean 'met'?)",
        "rows[3].rag_colour: error: unknown key 'rag_colour' for RowProgress",
        "budget.rag: error: missing: BudgetProgress needs 'rag'",
    ]:
        assert line in message
    assert "Traceback" not in message


def test_a_broken_projected_evaluation_is_reported_at_projected():
    data = _example_data()
    del data["projected"]["indicators"]
    assert "projected.indicators: error: missing: Evaluation needs 'indicators'" in _error(data)


def test_a_total_or_grade_that_is_not_the_projected_evaluations_is_an_error():
    data = _example_data()
    data["projected_total"], data["grade"] = "99.00", "优"
    message = _error(data)
    assert "projected_total: error: projected_total is '99.00', but the projected evaluation's is " \
           "'76.59'" in message
    assert "grade: error: grade is '优', but the projected evaluation's is '中'" in message
