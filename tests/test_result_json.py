"""`Evaluation.from_json` and `Audit.from_json` read back what ``to_json`` wrote, and refuse
anything else with one ValidationError naming every problem at its key path, as written in
the JSON (``indicators[2].score``; an audit's own keys under ``audit``), never a KeyError."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from fuzz.mutations import key_paths
from hypothesis import given, settings
from hypothesis import strategies as st

import evalcore
from evalcore import Evaluation, ValidationError
from evalcore.auditing import Audit

ROOT = Path(__file__).resolve().parent.parent
GANZHOU = ROOT / "examples" / "ganzhou-2021" / "project.toml"


def _evaluation() -> Evaluation:
    return evalcore.evaluate(evalcore.load_project(GANZHOU))


def _audit() -> Audit:
    return evalcore.audit(evalcore.load_project(GANZHOU))


def _error(read: Any, data: Any) -> str:
    with pytest.raises(ValidationError) as caught:
        read(data)
    return str(caught.value)


def test_both_read_back_what_they_wrote() -> None:
    evaluation, audit = _evaluation(), _audit()
    assert Evaluation.from_json(evaluation.to_json()) == evaluation
    assert Audit.from_json(audit.to_json()) == audit


def test_text_that_is_not_json_is_refused_at_its_line() -> None:
    assert "not an evaluation: the text is not JSON" in _error(Evaluation.from_json, "{\n  nope")
    assert "(line 2, column 3)" in _error(Evaluation.from_json, "{\n  nope")
    assert "not an audit: the text is not JSON" in _error(Audit.from_json, "[")


def test_every_problem_of_an_evaluation_is_named_at_its_key() -> None:
    data = _evaluation().to_dict()
    data["indicators"][2]["score"] = 9.5  # a float: not exact
    data["budget"]["status"] = "mett"
    data["totl"] = data.pop("total")
    message = _error(Evaluation.from_dict, data)
    assert "indicators[2].score: error: must be an exact number written as text, not the " \
           "number 9.5" in message
    assert "budget.status: error: must be one of" in message and "did you mean 'met'?" in message
    assert "totl: error: unknown key 'totl' for Evaluation" in message
    assert "total: error: missing: Evaluation needs 'total'" in message
    assert "rows" not in message  # the JSON's own key, indicators, is the one named


def test_an_audit_names_its_own_keys_under_audit_and_the_evaluations_at_the_top() -> None:
    data = _audit().to_dict()
    data["audit"]["rows"][0]["computed"] = "x"
    data["indicators"][0]["points"] = None
    message = _error(Audit.from_dict, data)
    assert "<input>: audit.rows[0].computed: error: must be an exact number written as text" \
        in message
    assert "<input>: indicators[0].points: error:" in message and "evaluation." not in message
    without = {k: v for k, v in data.items() if k != "audit"}
    assert "audit: error: not an audit" in _error(Audit.from_dict, without)


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
                     lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=6)


_DATA = _evaluation().to_dict()
_PATHS = key_paths(_DATA)[1:]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(_PATHS), _JSON, st.booleans())
def test_any_one_value_changed_or_removed_gives_the_evaluation_or_a_validation_error(
        path: tuple[Any, ...], value: Any, remove: bool) -> None:
    data = copy.deepcopy(_DATA)
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    if remove and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    try:
        got = Evaluation.from_json(json.dumps(data, ensure_ascii=False))
    except ValidationError as exc:
        assert exc.problems and all(str(p) for p in exc.problems)
    else:
        assert isinstance(got, Evaluation)
