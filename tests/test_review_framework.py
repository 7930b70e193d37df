"""Target review on the 决策/过程/产出/效益 framework: a row scored by its listed conditions or
items (a checklist, a deduction) is measured by them, and the framework profiles' review
settings ask for their own groups and agree with their own 产出 + 效益 share."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from review_helpers import codes, review_text, rows, table

CONDITIONS = [{"id": "a", "name": "依据充分", "share": 0.5},
              {"id": "b", "name": "程序规范", "share": 0.5}]
ITEMS = [{"id": "v", "name": "违规使用", "per": 1}]


def _social(target: str, rule: str) -> dict[str, object]:
    """The clean table's social row (30 points) scored by ``rule`` with a words target."""
    row: dict[str, object] = {"target": target, "rule": rule, "category": "quantity"}
    if rule == "checklist":
        row["params"] = {"items": CONDITIONS}
    elif rule == "deduction":
        row["params"] = {"items": ITEMS}
    return row


# -- itemised rows ---------------------------------------------------------------------------


def test_the_checklist_and_deduction_rules_say_they_score_listed_items(registry):
    assert registry.rule("checklist").itemised and registry.rule("deduction").itemised
    assert not registry.rule("qualitative").itemised and not registry.rule("positive").itemised


@pytest.mark.parametrize("rule", ["checklist", "deduction"])
def test_a_words_target_on_an_itemised_row_is_not_asked_to_be_quantified(registry, rule):
    # a quantity row (words not allowed) with a vague word: measured by its items all the same
    for target in ("规范", "有效"):
        review = review_text(table(rows(s1=_social(target, rule))), registry)
        assert codes(review, "measurability") == []


@pytest.mark.parametrize(("target", "code"), [("规范", "qualitative-target"),
                                                ("有效", "vague-target")])
def test_the_same_words_on_a_row_judged_in_words_are_still_flagged(registry, target, code):
    review = review_text(table(rows(s1=_social(target, "qualitative"))), registry)
    assert codes(review, "measurability") == [(code, "s1")]


def test_itemised_rows_do_not_count_towards_the_share_of_points_on_words(registry):
    # 30 of 100 points on a checklist row: not words, so a 0.2 share is not exceeded ...
    setting = "[settings.review.measurability]\nqualitative_share = 0.2\n" \
              "qualitative_categories = [\"quantity\"]"
    checked = review_text(table(rows(s1=_social("规范", "checklist")), settings=setting), registry)
    assert codes(checked, "measurability") == []
    # ... while the same row judged in words is
    worded = review_text(table(rows(s1=_social("规范", "qualitative")), settings=setting), registry)
    assert codes(worded, "measurability") == [("qualitative-share", None)]


@settings(max_examples=30, deadline=None)
@given(target=st.sampled_from(["规范", "有效", "充分", "合理", "明显改善", "到位", "健全"]),
       category=st.sampled_from(["quantity", "quality", "cost", "social"]),
       rule=st.sampled_from(["checklist", "deduction"]))
def test_no_measurability_finding_ever_names_an_itemised_row(registry, target, category, rule):
    row = _social(target, rule) | {"category": category}
    review = review_text(table(rows(s1=row)), registry)
    assert all(f.indicator != "s1" for f in review.findings if f.check == "measurability")


# -- the framework profiles' settings ---------------------------------------------------------


FRAMEWORK = ("third-party", "department-wide", "local-10-25-30-35")


@pytest.mark.parametrize("name", FRAMEWORK)
def test_a_framework_profile_asks_for_its_four_level_one_groups(registry, name):
    review = registry.profile(name).settings["review"]
    assert review["completeness"]["groups"] == ["decision", "process", "outputs", "benefits"]


@pytest.mark.parametrize("name", FRAMEWORK)
def test_a_framework_profiles_review_share_agrees_with_its_min_share(registry, name):
    profile = registry.profile(name)
    weights = profile.settings["review"]["weights"]
    share = Decimal(str(weights["share_min"])) * profile.total
    groups = {registry.group(g).name for g in weights["share_groups"]}
    if profile.min_share:  # the evaluation's own check: the same groups, the same least points
        ((key, least),) = profile.min_share.items()
        assert {registry.group(g).name for g in key.split("+")} == groups
        assert least == share
    else:  # fixed weights: they carry at least the share
        carried = sum((w for key, w in profile.weights.items()
                       if {registry.group(g).name for g in key.split("+")} <= groups), Decimal(0))
        assert carried >= share


def test_a_framework_table_without_its_decision_rows_fails_review(registry):
    text = (ROOT_EXAMPLE.read_text(encoding="utf-8"))
    kept = [block for block in text.split("[[indicator]]")
            if "category = \"项目立项\"" not in block and "category = \"绩效目标\"" not in block
            and "category = \"资金投入\"" not in block]
    review = review_text("[[indicator]]".join(kept), registry)
    assert ("missing-group", None) in codes(review, "completeness")
    assert review.conclusion == "不通过"


def test_the_department_wide_profile_asks_for_duties_not_quantity(registry):
    path = ROOT_EXAMPLE.parent.parent / "department-wide-2023" / "project.toml"
    text = path.read_text(encoding="utf-8").replace('category = "职责履行"', 'category = "数量指标"')
    review = review_text(text, registry)
    assert codes(review, "completeness") == [("missing-category", None)]
    assert any("职责履行" in f.message_zh for f in review.findings if f.check == "completeness")


ROOT_EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "third-party-2022" / "project.toml"
