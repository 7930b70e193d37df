"""The rule pefa-dimension: the laws that apply to it, and refusals that say what was meant.

Law tests use only :func:`evalcore.testing.check_rule_laws`. Of its six laws, three apply:

- ``bounded``: a dimension scores points × level / 4, within [points / 4, points]; NA scores 0
  on a row of 0 points;
- ``deterministic``: the same letter always gives the same row;
- ``errors``: an unknown mark is refused with evalcore's located error, never a traceback.

Three are left out, because their premise does not hold for PEFA:

- ``met`` ("full points whenever the target's comparison holds"): a dimension has no target
  to compare with; its letter alone is the score, and check_rule_laws' targets are numbers
  ("≥400万元") that a letter can never satisfy or fail;
- ``monotone`` ("more is never worse under ≥"): it orders numeric actuals; letters are not
  numbers. The letter order (A above B ...) is checked below with Hypothesis instead;
- ``units``: a letter has no unit to convert.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import evalcore
import pytest
from evalcore.testing import check_rule_laws
from hypothesis import given
from hypothesis import strategies as st

MARKS = ["A", "B", "C", "D", "D*", "NA"]
JUNK = ["a", "b", "E", "B+", "D+", "N/A", "1", "A-", "AA", "", " "]


def letters(target_value: Decimal, unit: str) -> st.SearchStrategy[object]:
    """Actual values for check_rule_laws: PEFA marks, sometimes padded, sometimes junk."""
    return st.one_of(st.sampled_from(MARKS), st.sampled_from(MARKS).map(lambda m: f" {m} "),
                     st.sampled_from(JUNK))


def test_pefa_dimension_obeys_the_laws_that_apply_to_it() -> None:
    # The laws run in the built-in category "quantity": check_rule_laws fills the rest of its
    # 100 points with a row of the same category scored by the category's default rule with
    # the actual "0", which no PEFA indicator's rule (pefa-dimension) accepts.
    check_rule_laws("pefa-dimension", category="quantity", actuals=letters,
                    laws=("bounded", "deterministic", "errors"))


def _assessment(tmp_path: Path, marks: list[str]) -> Path:
    rows = "".join(f'''
[[indicator]]
id = "2.{i}"
category = "pi-2"
name = "2.{i}"
target = "A"
actual = "{mark}"
points = 4
''' for i, mark in enumerate(marks, 1))
    path = tmp_path / "assessment.toml"
    path.write_text(f'[project]\nname = "t"\nprofile = "pefa-2016"\n[settings]\ntotal = {4 * len(marks)}\n'
                    + rows, encoding="utf-8")
    return path


@pytest.mark.parametrize(("mark", "hint"), [
    ("b", "did you mean 'B'?"),
    ("d*", "did you mean 'D*'?"),
    ("C+", "did you mean 'C'?"),
    ("D +", "did you mean 'D'?"),
    ("na", "did you mean 'NA'?"),
])
def test_an_unknown_mark_is_refused_where_it_is_written_with_what_was_meant(
        tmp_path: Path, mark: str, hint: str) -> None:
    path = _assessment(tmp_path, ["A", mark, "B"])
    with pytest.raises(evalcore.EvaluationError) as raised:
        evalcore.evaluate(evalcore.load_project(path))
    (problem,) = raised.value.problems
    assert problem.origin.file == str(path)
    assert problem.origin.path == ("indicator", 1, "actual")
    assert problem.origin.line is not None
    assert f"{mark!r} is not a dimension score" in problem.message
    assert hint in f"{problem.message} {problem.hint}"


def test_every_unknown_mark_in_a_file_is_reported_at_once(tmp_path: Path) -> None:
    path = _assessment(tmp_path, ["E", "B", "b+"])
    with pytest.raises(evalcore.EvaluationError) as raised:
        evalcore.evaluate(evalcore.load_project(path))
    assert [p.origin.path[1] for p in raised.value.problems] == [0, 2]


LEVEL = {"D": 1, "D*": 1, "C": 2, "B": 3, "A": 4}


@given(better=st.sampled_from(list(LEVEL)), worse=st.sampled_from(list(LEVEL)),
       points=st.integers(1, 40))
def test_a_better_letter_never_scores_less(better: str, worse: str, points: int) -> None:
    """The monotone law, for letters: A ≥ B ≥ C ≥ D = D*, at any points."""
    rows = [evalcore.Indicator(m, m, "pi-2", Decimal(points), "A") for m in ("x", "y")]
    scheme = evalcore.Scheme("t", tuple(rows), profile="pefa-2016",
                             settings={"total": 2 * points, "aggregation": "sum"})
    project = evalcore.Project(evalcore.ProjectInfo("t"), scheme,
                               actuals={"x": evalcore.Actual(better), "y": evalcore.Actual(worse)})
    x, y = evalcore.evaluate(project).rows
    assert (x.score >= y.score) == (LEVEL[better] >= LEVEL[worse])
    assert x.score == Decimal(points) * LEVEL[better] / 4
