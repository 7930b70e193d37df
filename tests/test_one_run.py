"""One run reports the problems of every stage: load, build, compile and evaluate.

Each stage returns what it could build and its problems; the run stops only where the
next stage has nothing meaningful to check. So a misspelled key (build), a target whose
unit is mistyped (compile), points that add up to 99 (compile, over the whole scheme) and
actual values that cannot be read (evaluate) are all reported by one `evalcore validate`,
one `evalcore evaluate` and one `evalcore.validate`, located and in file order.
"""

from __future__ import annotations

import pytest
from helpers import line_of, project_toml, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import evalcore
from evalcore.cli import main

# Each mistake: the row it changes, and how its problem reads.
MISTAKES = {
    "key": ({"actul": "12个"}, "unknown key 'actul'"),
    "target": ({"target": "≥5台x"}, "unknown unit '台x'"),
    "unit": ({"actual": "12个x"}, "unknown unit '个x'"),
    "unreadable": ({"actual": "很多"}, "needs a number, but the actual value is '很多'"),
}


def _rows(mistakes: set[str], short: bool) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = [
        {"id": "a", "name": "批次", "category": "quantity", "points": 25, "target": "≥10个",
         "actual": "12个"},
        {"id": "b", "name": "台数", "category": "quantity", "points": 25, "target": "≥5台",
         "actual": "6台"},
        {"id": "c", "name": "件数", "category": "quantity", "points": 25, "target": "≥10个",
         "actual": "12个"},
        {"id": "d", "name": "覆盖率", "category": "quality", "points": 25, "target": "≥90%",
         "actual": "95%"},
    ]
    for row, name in zip(rows, MISTAKES, strict=True):
        if name in mistakes:
            change = dict(MISTAKES[name][0])
            if name == "key":
                del row["actual"]
            row.update(change)
    if short:
        rows[3]["points"] = 24  # the points add up to 99
    return rows


def test_one_file_with_a_mistake_of_each_stage_reports_them_all_in_file_order(tmp_path, capsys):
    text = project_toml(_rows(set(MISTAKES), short=True))
    path = write(tmp_path / "all.toml", text)
    with pytest.raises(evalcore.ValidationError) as info:
        evalcore.validate(path)
    problems = info.value.problems
    assert [p.origin.line for p in problems] == [
        line_of(text, 'actul = "12个"'), line_of(text, 'target = "≥5台x"'),
        line_of(text, 'actual = "12个x"'), line_of(text, 'actual = "很多"'), None]
    assert [p.origin.path for p in problems] == [
        ("indicator", 0, "actul"), ("indicator", 1, "target"), ("indicator", 2, "actual"),
        ("indicator", 3, "actual"), ("indicator",)]
    for problem, (_, fragment) in zip(problems, MISTAKES.values(), strict=False):
        assert fragment in problem.message
    assert "the points add up to 99, not 100" in problems[-1].message

    for command in (["validate", str(path)], ["evaluate", str(path)]):
        assert main(command) == 2
        printed = capsys.readouterr().err.splitlines()
        assert printed == [*map(str, problems), f"{path}: 5 problem(s)"]


def test_a_row_that_cannot_compile_does_not_stop_the_others_actual_values(tmp_path):
    path = write(tmp_path / "p.toml", project_toml(_rows({"target", "unreadable"}, False)))
    with pytest.raises(evalcore.ValidationError) as info:
        evalcore.validate(path)
    assert [p.origin.path for p in info.value.problems] == [("indicator", 1, "target"),
                                                            ("indicator", 3, "actual")]


def test_actual_values_alone_are_still_an_evaluation_error(tmp_path):
    path = write(tmp_path / "p.toml", project_toml(_rows({"unit", "unreadable"}, False)))
    with pytest.raises(evalcore.EvaluationError) as info:
        evalcore.validate(path)
    assert len(info.value.problems) == 2


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sets(st.sampled_from(sorted(MISTAKES))), st.booleans())
def test_every_mistake_made_is_reported_once_and_no_other(tmp_path, mistakes, short):
    path = write(tmp_path / "p.toml", project_toml(_rows(mistakes, short)))
    if not mistakes and not short:
        evalcore.validate(path)
        return
    with pytest.raises(evalcore.EvalcoreError) as info:
        evalcore.validate(path)
    messages = [p.message for p in info.value.problems]
    expected = [MISTAKES[name][1] for name in MISTAKES if name in mistakes]
    assert len(messages) == len(expected) + short
    for message, fragment in zip(messages, expected, strict=False):
        assert fragment in message
    assert short == ("the points add up to 99" in messages[-1])
