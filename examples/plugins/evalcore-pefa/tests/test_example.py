"""The example assessment: letters in the pefa format, subtotals, and a lossless JSON round trip."""

from __future__ import annotations

from pathlib import Path

import evalcore

from evalcore_pefa.render import indicator_score

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "assessment.toml"
EXPECTED = {"pi-1": "B", "pi-2": "D+", "pi-3": "B", "pi-8": "C", "pi-22": "B+"}


def _result() -> evalcore.Evaluation:
    return evalcore.evaluate(evalcore.load_project(EXAMPLE))


def test_each_indicator_of_the_example_has_its_expected_letter() -> None:
    result = _result()
    assert {c.name: indicator_score(c) for c in result.categories} == EXPECTED
    assert result.grade == "not graded"
    assert not result.findings


def test_the_pefa_format_shows_letters_by_pillar_with_d_star_and_na_kept() -> None:
    text = evalcore.render(_result(), "pefa")
    assert "Scores: PI-1 B, PI-2 D+, PI-3 B, PI-8 C, PI-22 B+" in text
    lines = text.splitlines()
    assert lines.index("I. Budget reliability") < lines.index("II. Transparency of public finances")
    pi2 = next(line for line in lines if line.lstrip().startswith("PI-2 "))
    assert pi2.split()[-2:] == ["D+", "M1"]
    assert any(line.rstrip().endswith("D*") for line in lines)
    assert any("8.2 Performance achieved" in line and line.rstrip().endswith("NA") for line in lines)


def test_the_json_result_reads_back_unchanged_and_keeps_the_letters() -> None:
    result = _result()
    back = evalcore.Evaluation.from_json(evalcore.render(result, "json"))
    assert back == result
    assert [r.trace.matched for r in back.rows][:3] == ["B", "C", "D*"]
