"""Properties of target review: a table that passes review never fails the evaluation's own
weight checks; reviewing does not depend on the order of the rows; near-duplicates, vague
targets and the conclusion follow their definitions."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import event, example, given
from hypothesis import strategies as st
from review_helpers import review_text, table

import evalcore
from evalcore.build import build_project
from evalcore.loading import load_text
from evalcore.review_settings import Thresholds, conclude
from evalcore_builtin._review_text import close_enough, only_words

# A target, and an actual value that meets it (for evaluating the reviewed table).
TARGETS = {
    "≥100人": "120人", "≥95%": "96%", "≤500元/人": "480元/人", "有效提升": "达成",
    "2022年10月底前": "2022-10-20", "≥90%": "92%", "=0起": "0起", "≥3": "3",
    "2023年3月底前": "2023-03-01",
}
CATEGORIES = ["quantity", "quality", "timeliness", "cost", "social", "economic", "satisfaction"]
NAMES = ["培训人数", "培训人次", "培训合格率", "完成时间", "人均培训成本", "就业率", "学员满意度",
         "带动收入", "安全事故"]


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[dict[str, object]], int | None]:
    """Rows (with made-up actual values that meet their targets) and the budget row's points.

    Half the tables are drawn to pass: their points add up to 100 (the first row's sometimes
    with more decimals than the profile keeps), they have an output and a benefit row, and
    their names differ; the others are drawn freely."""
    fair = draw(st.booleans())
    count = draw(st.integers(2 if fair else 1, 8))
    budget = draw(st.one_of(st.none(), st.integers(0, 20)))
    points = [draw(st.integers(0, 40)) for _ in range(count)]
    rest = 100 - (budget or 0) - sum(points[:-1])
    if (fair or draw(st.booleans())) and rest >= 0:
        points[-1] = rest
    decimals = draw(st.sampled_from([Decimal(0), Decimal(0), Decimal("0.5"), Decimal("0.005")]))
    rows = []
    for i, p in enumerate(points):
        target = draw(st.sampled_from(sorted(t for t in TARGETS if not (fair and "2023" in t))))
        category = draw(st.sampled_from(CATEGORIES))
        if fair and i < 2:
            category = ("quantity", "social")[i]
        name = draw(st.sampled_from(NAMES)) + (f"（{i}）" if fair else draw(st.sampled_from(["", str(i)])))
        shift = decimals if i == 0 else -decimals if i == count - 1 and p >= 1 else 0
        rows.append({"id": f"r{i}", "category": category, "name": name, "target": target,
                     "points": Decimal(p) + shift, "actual": TARGETS[target]})
    return rows, budget


def _reviewed(text: str, registry: evalcore.Registry) -> evalcore.Review | None:
    try:
        return review_text(text, registry)
    except evalcore.ValidationError:
        return None  # not reviewable (points with more decimals than the profile keeps)


@given(tables())
def test_a_table_that_passes_review_never_fails_the_evaluations_weight_checks(registry, drawn):
    rows, budget = drawn
    text = table(rows, budget_points=budget)
    review = _reviewed(text, registry)
    event("passed" if review is not None and review.passed else "not passed")
    if review is None or not review.passed:
        return
    project = build_project(load_text(text, "project.toml"), registry)
    plan = evalcore.compile(project.scheme, registry)  # raises on a weight error
    result = plan.evaluate(project)
    assert result.total <= 100
    assert not any("points add up" in p.message for p in plan.warnings)


def _normalised(review: evalcore.Review) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """The findings without their order, lines and messages (a near-duplicate pair is
    reported at its later row): check, code, severity and the rows involved."""
    return sorted((f.check, f.code, f.severity, tuple(sorted({f.indicator or "", *f.related})))
                  for f in review.findings)


@given(st.data())
def test_reviewing_does_not_depend_on_the_order_of_the_rows(registry, data):
    rows, budget = data.draw(tables())
    shuffled = data.draw(st.permutations(rows))
    first = _reviewed(table(rows, budget_points=budget), registry)
    second = _reviewed(table(shuffled, budget_points=budget), registry)
    if first is None or second is None:
        assert first is None and second is None
        return
    assert (first.conclusion, first.counts) == (second.conclusion, second.counts)
    assert _normalised(first) == _normalised(second)


def _levenshtein(a: str, b: str) -> int:
    """The edit distance, written the plain way (the reference for the check's bounded one)."""
    rows = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1,
                             rows[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
    return rows[-1][-1]


NAME = st.text(alphabet="培训人数次合格率ab", min_size=1, max_size=10)


@given(NAME, NAME, st.sampled_from(["0", "0.5", "0.75", "0.8", "0.9", "1"]))
def test_near_duplicates_are_names_at_least_as_alike_as_the_setting(a, b, threshold):
    similarity = 1 - Decimal(_levenshtein(a, b)) / max(len(a), len(b))
    assert close_enough(a, b, Decimal(threshold)) == (similarity >= Decimal(threshold))
    assert close_enough(a, b, Decimal(threshold)) == close_enough(b, a, Decimal(threshold))


VAGUE = ["有效", "明显", "进一步", "逐步", "较好", "提升", "提高"]


@given(st.lists(st.sampled_from(VAGUE), min_size=1, max_size=5), st.sampled_from(["", " ", "。"]))
def test_a_target_made_only_of_vague_words_is_vague_and_one_more_word_makes_it_checkable(
        words, punctuation):
    target = punctuation.join(words)
    assert only_words(target, VAGUE)
    assert not only_words(target + "就业", VAGUE)
    assert not only_words(target, [])


RANK = {"通过": 0, "修改后通过": 1, "不通过": 2}


@given(st.integers(0, 5), st.integers(0, 5), st.integers(1, 3), st.integers(0, 3),
       st.integers(1, 3))
@example(0, 1, 1, 1, 3)  # fail_warnings below revise_warnings: one warning fails
def test_more_findings_never_make_a_better_conclusion(errors, warnings, fail_errors,
                                                      fail_warnings, revise_warnings):
    thresholds = Thresholds(fail_errors, fail_warnings, revise_warnings)
    here = RANK[conclude(errors, warnings, thresholds)]
    assert RANK[conclude(errors + 1, warnings, thresholds)] >= here
    assert RANK[conclude(errors, warnings + 1, thresholds)] >= here
    passes = errors == 0 and warnings < revise_warnings and not (
        fail_warnings and warnings >= fail_warnings)
    assert (here == 0) == passes
