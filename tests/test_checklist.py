"""The ``checklist`` rule (评价要点): conditions met, partly met or not, each worth a share or points.

Plain examples pin every status word, the formula and evidence in the trace and the
explanation, the findings of the conditions not met, and every error message; Hypothesis
properties check that a score stays within [0, points], rises with the statuses, is full when
all are met, does not depend on the order of the conditions, and is the same through the full
path, the numbers-first path and the columnar path.
"""

from __future__ import annotations

import decimal
import itertools
from decimal import Decimal
from typing import Any

import pytest
from helpers import evaluate_text, project_toml, single
from hypothesis import given, settings
from hypothesis import strategies as st

import evalcore
from evalcore import Status, evaluation
from evalcore.compiler import compile_scheme
from evalcore.model import Actual, Project, ProjectInfo, Scheme
from evalcore.numbers import context
from evalcore.plugin import Indicator
from evalcore_builtin._finding_labels import finding_label
from evalcore_builtin.checklist import WORDS

D = Decimal
TWO = {"decimals": 2}
FOUR = [{"id": "law", "name": "符合法律法规", "share": 0.25},
        {"id": "plan", "name": "符合发展规划", "share": 0.25},
        {"id": "duty", "name": "与部门职责相适应", "share": 0.25},
        {"id": "need", "name": "有明确需求", "share": 0.25}]
"""立项依据充分性: four conditions, 25% of the points each (domain.md §7)."""
ALL_MET = {"law": "met", "plan": "met", "duty": "met", "need": "met"}


def check(registry: evalcore.Registry, extra: dict[str, Any] | None = None, *, actual: object = None,
          items: list[dict[str, Any]] | None = None, points: int = 10, target: object = "充分",
          settings_: dict[str, Any] | None = None, assessed: int | None = None,
          **params: Any) -> evalcore.Evaluation:
    """Evaluate one checklist row worth ``points``; a filler row carries the rest of the 100."""
    row: dict[str, object] = {"rule": "checklist",
                              "params": {"items": FOUR if items is None else items, **params}}
    if extra is not None:
        row["extra"] = extra
    if assessed is not None:
        row["assessed"] = assessed
    if target is None:
        row["target"] = ""
    rows = single(target, actual, points=points, category="quality", **row)
    if target is None:
        del rows[0]["target"]
    filler = {"id": "filler", "name": "其他", "category": "quantity", "points": 100 - points,
              "target": "≥1", "actual": "1"}
    text = project_toml([*rows, filler], settings={**TWO, **(settings_ or {})})
    return evaluate_text(text, registry)


def row_of(registry: evalcore.Registry, extra: dict[str, Any] | None = None, **kw: Any) -> evalcore.Row:
    return check(registry, extra, **kw).rows[0]


def problem(info: pytest.ExceptionInfo[evalcore.EvalcoreError]) -> tuple[str, str | None]:
    (only,) = info.value.problems
    return only.message, only.hint


# --- the status words ----------------------------------------------------------------------------


@pytest.mark.parametrize(("word", "score", "status"), [
    ("met", "10.00", Status.MET), ("是", "10.00", Status.MET), ("符合", "10.00", Status.MET),
    ("达成", "10.00", Status.MET), ("MET", "10.00", Status.MET), (" 符合 ", "10.00", Status.MET),
    ("partly", "8.75", Status.PARTLY_MET), ("部分", "8.75", Status.PARTLY_MET),
    ("部分符合", "8.75", Status.PARTLY_MET), ("部分达成", "8.75", Status.PARTLY_MET),
    ("missed", "7.50", Status.PARTLY_MET), ("否", "7.50", Status.PARTLY_MET),
    ("不符合", "7.50", Status.PARTLY_MET), ("未达成", "7.50", Status.PARTLY_MET),
])
def test_every_status_word_counts_as_its_status(registry, word, score, status):
    row = row_of(registry, {**ALL_MET, "plan": word})
    assert (row.score, row.status) == (D(score), status)


def test_the_status_words_are_the_documented_ones():
    assert sorted(w for w, s in WORDS.items() if s == "met") == sorted(["met", "是", "符合", "达成"])
    assert sorted(w for w, s in WORDS.items() if s == "partly") == sorted(
        ["partly", "部分", "部分符合", "部分达成"])
    assert sorted(w for w, s in WORDS.items() if s == "missed") == sorted(
        ["missed", "否", "不符合", "未达成"])


# --- scores and statuses -------------------------------------------------------------------------


@pytest.mark.parametrize(("statuses", "score", "status"), [
    (("met", "met", "met", "met"), "10.00", Status.MET),
    (("met", "met", "met", "missed"), "7.50", Status.PARTLY_MET),
    (("met", "partly", "missed", "met"), "6.25", Status.PARTLY_MET),
    (("partly", "partly", "partly", "partly"), "5.00", Status.PARTLY_MET),
    (("missed", "missed", "missed", "partly"), "1.25", Status.PARTLY_MET),
    (("missed", "missed", "missed", "missed"), "0.00", Status.MISSED),
])
def test_score_is_the_sum_of_each_conditions_share_of_the_points(registry, statuses, score, status):
    row = row_of(registry, dict(zip(ALL_MET, statuses, strict=True)))
    assert (row.score, row.status) == (D(score), status)


def test_conditions_may_be_worth_points_adding_up_to_the_rows(registry):
    items = [{"id": "a", "name": "程序规范", "points": 3}, {"id": "b", "name": "材料齐全", "points": 2}]
    row = row_of(registry, {"a": "是", "b": "否"}, items=items, points=5)
    assert (row.score, row.status) == (D("3.00"), Status.PARTLY_MET)
    assert row.trace.formula == "3×1 (程序规范: met) + 2×0 (材料齐全: not met) = 3"


def test_a_partly_met_condition_earns_its_own_share(registry):
    row = row_of(registry, {**ALL_MET, "plan": {"status": "部分", "share": 0.4}})
    assert row.score == D("8.50")  # 7.5 + 2.5 × 0.4


def test_partly_share_defaults_to_evalcores_half_and_can_be_set_in_the_profile_or_row(registry):
    half = row_of(registry, {**ALL_MET, "plan": "partly"})
    assert half.score == D("8.75") and half.trace.params["partly_share"] == "0.5"
    profile = row_of(registry, {**ALL_MET, "plan": "partly"},
                     settings_={"rules": {"checklist": {"partly_share": 0.6}}})
    assert profile.score == D("9.00")
    own = row_of(registry, {**ALL_MET, "plan": "partly"}, partly_share=0.2)
    assert own.score == D("8.00")


@pytest.mark.parametrize(("share", "score", "status"), [
    (0, "7.50", Status.PARTLY_MET), (1, "10.00", Status.PARTLY_MET), ("0.5", "8.75", Status.PARTLY_MET),
])
def test_partly_shares_at_the_ends_of_zero_to_one(registry, share, score, status):
    row = row_of(registry, {**ALL_MET, "plan": {"status": "partly", "share": share}})
    assert (row.score, row.status) == (D(score), status)


def test_partly_with_share_zero_everywhere_is_missed(registry):
    row = row_of(registry, {key: {"status": "partly", "share": 0} for key in ALL_MET})
    assert (row.score, row.status) == (D("0.00"), Status.MISSED)


def test_score_is_rounded_half_up_at_the_profiles_decimals(registry):
    items = [{"id": "a", "share": "0.333"}, {"id": "b", "share": "0.333"}, {"id": "c", "share": "0.334"}]
    row = row_of(registry, {"a": "met", "b": "missed", "c": "missed"}, items=items, points=5)
    assert row.trace.raw == D("1.665") and row.score == D("1.67")  # banker's rounding gives 1.66


# --- trace, explanation, findings ----------------------------------------------------------------


def test_trace_and_explanation_show_each_condition_with_its_evidence(registry):
    result = check(registry, {
        "law": "符合", "plan": {"status": "部分符合", "share": 0.4, "evidence": "规划未列入"},
        "duty": "否", "need": {"status": "met", "evidence": "调研报告"}})
    row = result.rows[0]
    assert row.score == D("6.00")
    assert row.trace.formula == (
        "2.5×1 (符合法律法规: met) + 2.5×0.4 (符合发展规划: partly met, evidence: 规划未列入) + "
        "2.5×0 (与部门职责相适应: not met) + 2.5×1 (有明确需求: met, evidence: 调研报告) = 6")
    assert row.trace.formula_zh == (
        "2.5×1（符合法律法规：符合） + 2.5×0.4（符合发展规划：部分符合，依据：规划未列入） + "
        "2.5×0（与部门职责相适应：不符合） + 2.5×1（有明确需求：符合，依据：调研报告） = 6")
    assert row.explanation_zh.startswith("评价要点4项：符合2项、部分符合1项、不符合1项，部分达成；2.5×1（")
    assert row.explanation_zh.endswith("，扣4分")
    assert "evidence: 规划未列入" in row.explanation_en
    assert row.explanation_en.startswith("4 conditions: 2 met, 1 partly met, 1 not met: partly met; ")


def test_a_full_row_tells_its_evidence_in_the_explanation(registry):
    row = row_of(registry, {**ALL_MET, "law": {"status": "是", "evidence": "《条例》第三条"}})
    assert row.explanation_zh == "评价要点4项：符合4项；依据：符合法律法规：《条例》第三条，达成，得满分10分"
    assert row.explanation_en == ("4 conditions: 4 met; evidence: 符合法律法规: 《条例》第三条: met: "
                                  "full 10 points")
    assert "《条例》第三条" in row.trace.formula


def test_every_condition_not_fully_met_is_a_finding_with_its_points(registry):
    result = check(registry, {**ALL_MET, "plan": {"status": "partly", "evidence": "规划未列入"},
                              "duty": "missed"})
    found = [f for f in result.findings if f.code == "condition-not-met"]
    assert [(f.indicator, f.message_zh) for f in found] == [
        ("x", "指标：评价要点“符合发展规划”部分符合（依据：规划未列入），扣1.25分（该要点2.5分）"),
        ("x", "指标：评价要点“与部门职责相适应”不符合，扣2.5分（该要点2.5分）")]
    assert found[1].message_en == ("x 指标: the condition '与部门职责相适应' is not met: 2.5 of its 2.5 "
                                   "points lost")
    lost = sum((D(f.message_zh.split("扣")[1].split("分")[0]) for f in found), D(0))
    assert lost == result.rows[0].points - result.rows[0].score  # every point lost has its reason
    assert finding_label("condition-not-met") == "评价要点未满足"
    assert finding_label("condition-not-met", "en") == "Checklist condition not fully met"


def test_all_met_gives_no_condition_finding(registry):
    result = check(registry, ALL_MET)
    assert not [f for f in result.findings if f.code == "condition-not-met"]


def test_a_condition_without_a_name_is_named_by_its_id(registry):
    items = [{"id": "a", "share": 0.5}, {"id": "b", "share": 0.5}]
    row = row_of(registry, {"a": "met", "b": "missed"}, items=items)
    assert row.trace.formula == "5×1 (a: met) + 5×0 (b: not met) = 5"


# --- the assessments in the actual value (for tables) ---------------------------------------------


def test_the_actual_value_may_list_the_assessments(registry):
    row = row_of(registry, actual="law=符合; plan=部分(0.4)；duty：否, need:met")
    assert row.score == D("6.00")
    assert row.actual == "law=符合; plan=部分(0.4)；duty：否, need:met"


def test_extra_wins_over_the_actual_value_which_is_then_only_shown(registry):
    row = row_of(registry, ALL_MET, actual="依据充分")
    assert (row.score, row.actual) == (D("10.00"), "依据充分")


@pytest.mark.parametrize(("actual", "message", "hint"), [
    ("law=是; plan=是; duty=是", "not assessed: need (有明确需求); give each condition met, partly or "
                                "missed", None),
    ("law=是; plan=是; duty=是; nede=是", "'nede' in the actual value is not a condition of this "
                                        "checklist", "did you mean 'need'?"),
    ("law=是; plan=是; duty=是; need=是; law=否", "the actual value assesses 'law' twice", None),
    ("依据充分", "the actual value lists the assessments as id=status, e.g. \"law=符合; plan=部分(0.4)\", "
             "not '依据充分'", None),
    ("law=是; plan=是(0.5); duty=是; need=是", "'plan' in the actual value: a share is for a partly met "
                                             "condition; '是' is met", None),
    ("law=是; plan=部分(2); duty=是; need=是", "'plan' in the actual value: 2 is outside [0, 1] (the share "
                                             "of the condition's points that a partly met condition "
                                             "earns)", None),
])
def test_errors_in_the_actual_values_list(registry, actual, message, hint):
    with pytest.raises(evalcore.EvaluationError) as info:
        row_of(registry, actual=actual)
    assert problem(info) == (message, hint)


# --- errors in the assessments -------------------------------------------------------------------


@pytest.mark.parametrize(("extra", "message", "hint"), [
    ({**ALL_MET, "plna": "met"}, "extra.plna is not a condition of this checklist", "did you mean 'plan'?"),
    ({**ALL_MET, "zzz": "met"}, "extra.zzz is not a condition of this checklist",
     "the conditions are law, plan, duty, need"),
    ({"law": "met", "plan": "met"}, "not assessed: duty (与部门职责相适应), need (有明确需求); give each "
                                    "condition met, partly or missed", None),
    ({**ALL_MET, "plan": "partially"}, "extra.plan: 'partially' is not a status word",
     "did you mean 'partly'?"),
    ({**ALL_MET, "plan": "部分符和"}, "extra.plan: '部分符和' is not a status word",
     "did you mean '部分符合' or '部分'?"),
    ({**ALL_MET, "plan": "maybe"}, "extra.plan: 'maybe' is not a status word",
     "write met, partly or missed; 是, 部分 or 否; 符合, 部分符合 or 不符合"),
    ({**ALL_MET, "plan": 1}, "extra.plan must be a status word (met, partly, missed, 是, 部分, 否 ...), "
                             "not 1", None),
    ({**ALL_MET, "plan": {"status": "partly", "share": 1.5}},
     "extra.plan.share: 1.5 is outside [0, 1] (the share of the condition's points that a partly "
     "met condition earns)", None),
    ({**ALL_MET, "plan": {"status": "partly", "share": -0.1}},
     "extra.plan.share: -0.1 is outside [0, 1] (the share of the condition's points that a partly "
     "met condition earns)", None),
    ({**ALL_MET, "plan": {"status": "partly", "share": "nan"}},
     "extra.plan.share: 'nan' is not a finite number", None),
    ({**ALL_MET, "plan": {"status": "partly", "share": "一半"}},
     "extra.plan.share: '一半' is not a number", None),
    ({**ALL_MET, "plan": {"status": "met", "share": 0.5}},
     "extra.plan.share: a share is for a partly met condition; 'met' is met", None),
    ({**ALL_MET, "plan": {"status": "否", "share": 0.5}},
     "extra.plan.share: a share is for a partly met condition; '否' is not met", None),
    ({**ALL_MET, "plan": {"share": 0.5}}, "extra.plan needs status (met, partly or missed)", None),
    ({**ALL_MET, "plan": {"status": "met", "evidance": "x"}}, "extra.plan has no key 'evidance'",
     "did you mean 'evidence'?"),
    ({**ALL_MET, "plan": {"status": "met", "evidence": 3}}, "extra.plan.evidence must be text, not 3",
     None),
    ({**ALL_MET, "plan": {"status": "mett"}}, "extra.plan.status: 'mett' is not a status word",
     "did you mean 'met'?"),
])
def test_errors_in_the_assessments_are_located_and_suggest(registry, extra, message, hint):
    with pytest.raises(evalcore.EvaluationError) as info:
        row_of(registry, extra)
    assert problem(info) == (message, hint)


def test_an_error_is_located_at_the_row_in_its_file(registry):
    with pytest.raises(evalcore.EvaluationError) as info:
        row_of(registry, {**ALL_MET, "plan": "maybe"})
    (only,) = info.value.problems
    assert str(only) == ("project.toml:8: indicator[0].actual: error: extra.plan: 'maybe' is not a "
                         "status word (write met, partly or missed; 是, 部分 or 否; 符合, 部分符合 or "
                         "不符合)")


def test_an_assessed_score_is_refused(registry):
    with pytest.raises(evalcore.EvaluationError) as info:
        row_of(registry, ALL_MET, assessed=8)
    assert problem(info)[0].startswith("'assessed' is the evaluator's score for a qualitative row; a "
                                       "checklist is scored from its conditions")


def test_no_assessment_at_all_is_a_missing_actual(registry):
    result = check(registry)
    assert result.rows[0].status is Status.MISSING
    assert "missing-actual" in [f.code for f in result.findings]


# --- errors in the conditions (the scheme) ------------------------------------------------------


@pytest.mark.parametrize(("items", "points", "message"), [
    ([{"id": "a", "share": 0.5}, {"id": "b", "share": 0.4}], 10,
     "items: the shares add up to 0.5 + 0.4 = 0.9, not 1"),
    ([{"id": "a", "share": 0.6}, {"id": "b", "share": 0.6}], 10,
     "items: the shares add up to 0.6 + 0.6 = 1.2, not 1"),
    ([{"id": "a", "points": 3}, {"id": "b", "points": 3}], 10,
     "rule 'checklist': the conditions' points add up to 3 + 3 = 6, not the row's 10 points"),
    ([{"id": "a", "points": 5}, {"id": "b", "share": 0.5}], 10,
     "items: give every condition a share, or every condition points, not a mixture"),
    ([{"id": "a", "share": 0.5, "points": 5}, {"id": "b", "share": 0.5}], 10,
     "items: items[0] (a) needs exactly one of share (of the row's points) or points"),
    ([{"id": "a"}, {"id": "b", "share": 0.5}], 10,
     "items: items[0] (a) needs exactly one of share (of the row's points) or points"),
    ([{"id": "a", "share": 0.5}, {"id": "a", "share": 0.5}], 10,
     "items: items[1].id 'a' is used by two conditions"),
    ([{"id": "", "share": 1}], 10,
     "items: items[0].id must be non-empty text (the condition's key in the actual's extra)"),
    ([{"id": "a", "share": 0}, {"id": "b", "share": 1}], 10, "items: items[0].share: 0 must be above 0"),
    ([{"id": "a", "share": -0.5}, {"id": "b", "share": 1.5}], 10,
     "items: items[0].share: -0.5 must be above 0"),
    ([{"id": "a", "share": 1.5}], 10, "items: items[0].share: 1.5 is above 1 (a share of the row's points)"),
    ([{"id": "a", "share": "nan"}], 10, "items: items[0].share: 'nan' is not a finite number"),
    ([{"id": "a", "name": 3, "share": 1}], 10, "items: items[0].name must be text, not 3"),
    ([], 10, "items: expected a non-empty array of tables { id, name, share } or { id, name, points }"),
    (["a"], 10, "items: items[0] must be a table { id, name, share }, not 'a'"),
])
def test_conditions_are_checked_when_the_scheme_is_compiled(registry, items, points, message):
    with pytest.raises(evalcore.ValidationError) as info:
        row_of(registry, ALL_MET, items=items, points=points)
    assert message in [p.message for p in info.value.problems]


def test_an_unknown_key_of_a_condition_suggests_the_known_one(registry):
    with pytest.raises(evalcore.ValidationError) as info:
        row_of(registry, ALL_MET, items=[{"id": "a", "shar": 1}])
    assert [p.message for p in info.value.problems] == [
        "items: items[0] has no key 'shar'; did you mean 'share'?"]


def test_a_checklist_needs_its_conditions(registry):
    text = project_toml(single("充分", None, points=100, category="quality", rule="checklist",
                               extra={"a": "met"}), settings=TWO)
    with pytest.raises(evalcore.ValidationError) as info:
        evaluate_text(text, registry)
    assert [p.message for p in info.value.problems] == [
        "rule 'checklist': needs items, the conditions: [{ id, name, share }, ...] with shares adding "
        "up to 1, or [{ id, name, points }, ...] with points adding up to the row's"]


@pytest.mark.parametrize("target", ["≥90%", "100%", "2022年12月31日前"])
def test_a_numeric_or_date_target_is_refused_since_it_is_never_read(registry, target):
    with pytest.raises(evalcore.ValidationError) as info:
        row_of(registry, ALL_MET, target=target)
    (only,) = info.value.problems
    assert "the checklist rule scores its conditions and never reads the target" in only.message


@pytest.mark.parametrize("share", [1.5, -0.1, "nan"])
def test_partly_share_setting_is_checked(registry, share):
    with pytest.raises(evalcore.ValidationError) as info:
        row_of(registry, ALL_MET, partly_share=share)
    assert info.value.problems[0].message.startswith("partly_share: ")


# --- properties ----------------------------------------------------------------------------------

statuses = st.sampled_from(["met", "partly", "missed"])
ORDER = {"missed": 0, "partly": 1, "met": 2}


def _scheme(shares: list[Decimal], points: Decimal, order: list[int] | None = None) -> Scheme:
    items = [{"id": f"c{i}", "name": f"要点{i}", "share": str(s)} for i, s in enumerate(shares)]
    if order is not None:
        items = [items[i] for i in order]
    ind = Indicator("x", "立项依据充分性", "quality", points, "充分", rule="checklist",
                    params={"items": items})
    rest = Indicator("y", "其他", "quantity", Decimal(100) - points, "≥1")
    return Scheme("s", (ind, rest), settings={"total": Decimal(100), "weights": {}, "decimals": 2})


def _project(scheme: Scheme, extra: dict[str, Any] | None = None, value: str | None = None) -> Project:
    return Project(ProjectInfo("p"), scheme, None,
                   {"x": Actual(value, extra=extra or {}), "y": Actual("1")})


@st.composite
def shares_of(draw: st.DrawFn) -> list[Decimal]:
    """2–6 shares of at most 3 places, each above 0, adding up to exactly 1."""
    n = draw(st.integers(2, 6))
    cuts = sorted(draw(st.lists(st.integers(1, 999), min_size=n - 1, max_size=n - 1, unique=True)))
    edges = [0, *cuts, 1000]
    return [Decimal(b - a) / 1000 for a, b in itertools.pairwise(edges)]


points_of = st.decimals(min_value=Decimal("0.5"), max_value=99, places=1)


def _score(registry: evalcore.Registry, scheme: Scheme, assessments: dict[str, Any]) -> evalcore.Row:
    plan = compile_scheme(scheme, registry)
    return plan.evaluate(_project(scheme, assessments)).rows[0]


@settings(max_examples=40, deadline=None)
@given(shares=shares_of(), points=points_of, data=st.data())
def test_score_is_within_the_points_and_monotone_in_the_statuses(registry, shares, points, data):
    scheme = _scheme(shares, points)
    plan = compile_scheme(scheme, registry)
    keys = [f"c{i}" for i in range(len(shares))]
    low = {k: data.draw(statuses) for k in keys}
    high = {k: max(low[k], data.draw(statuses), key=ORDER.__getitem__) for k in keys}
    share = data.draw(st.decimals(0, 1, places=2))
    more = data.draw(st.decimals(share, 1, places=2))
    low_row = plan.evaluate(_project(scheme, {k: {"status": s, "share": str(share)} if s == "partly"
                                             else s for k, s in low.items()})).rows[0]
    high_row = plan.evaluate(_project(scheme, {k: {"status": s, "share": str(more)} if s == "partly"
                                              else s for k, s in high.items()})).rows[0]
    assert 0 <= low_row.score <= high_row.score <= points
    if all(s == "met" for s in high.values()):
        assert (high_row.score, high_row.status) == (points, Status.MET)
    elif high_row.trace.raw == 0:  # the status reads the exact score, before rounding
        assert high_row.status is Status.MISSED
    else:
        assert high_row.status is Status.PARTLY_MET


@settings(max_examples=30, deadline=None)
@given(shares=shares_of(), points=points_of, data=st.data())
def test_the_order_of_the_conditions_does_not_change_the_score(registry, shares, points, data):
    keys = [f"c{i}" for i in range(len(shares))]
    assessed = {k: data.draw(statuses) for k in keys}
    order = data.draw(st.permutations(range(len(shares))))
    one = _score(registry, _scheme(shares, points), assessed)
    other = _score(registry, _scheme(shares, points, list(order)),
                   {keys[i]: assessed[keys[i]] for i in reversed(order)})
    assert (one.score, one.status) == (other.score, other.status)


@settings(max_examples=30, deadline=None)
@given(shares=shares_of(), points=points_of, data=st.data())
def test_full_numbers_first_and_columnar_paths_agree(registry, shares, points, data):
    scheme = _scheme(shares, points)
    plan = compile_scheme(scheme, registry)
    keys = [f"c{i}" for i in range(len(shares))]
    rows = []
    for _ in range(data.draw(st.integers(1, 3))):
        parts = []
        for k in keys:
            word = data.draw(st.sampled_from(sorted(WORDS)))
            share = data.draw(st.none() | st.decimals(0, 1, places=2)) if WORDS[word] == "partly" else None
            parts.append(f"{k}={word}" + (f"({share})" if share is not None else ""))
        rows.append("; ".join(parts))
    table = plan.evaluate_table({"project": [f"p{i}" for i in range(len(rows))], "x": rows,
                                 "y": ["1"] * len(rows)}).to_pylist()
    for value, got in zip(rows, table, strict=True):
        project = _project(scheme, value=value)
        fast = plan.evaluate(project)
        with decimal.localcontext(context()):
            full = evaluation._evaluate(plan, project)
        assert fast == full and fast.to_json() == full.to_json()
        assert got["x"] == full.rows[0].score and got["total"] == full.total
        assert sorted(f["message"] for f in got["findings"]) == sorted(f.message_zh for f in full.findings)
