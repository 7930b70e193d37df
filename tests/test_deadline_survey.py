"""The deadline rule (timeliness) and the survey rule (satisfaction) at their edges.

Plain examples pin the days and months late, the grace, the satisfaction rate
and every error message; Hypothesis properties check that finishing later
never scores higher and that a happier respondent never lowers the score.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from helpers import evaluate_text, project_toml, score_one, single
from hypothesis import given
from hypothesis import strategies as st

import evalcore
from evalcore import Status
from evalcore_builtin.satisfaction import DEFAULT_LEVELS
from evalcore_builtin.timeliness import add_months, months_late

D = Decimal
TWO = {"decimals": 2}
DAY = {"loss": 0.5, "per": "day"}
MONTH = {"loss": 2, "per": "month"}
SURVEY = {"非常满意": 120, "满意": 300, "一般": 50, "不满意": 10}
LEVELS = {"非常满意": 1, "满意": 1, "一般": 0.6, "不满意": 0}


def score_w(registry: evalcore.Registry, target: object, actual: object, w: int,
            **row: object) -> evalcore.Row:
    """Score one indicator worth ``w`` points; a filler row carries the rest of the 100."""
    filler = {"id": "filler", "name": "其他", "category": "quality", "points": 100 - w,
              "target": "≥1", "actual": "1"}
    text = project_toml([*single(target, actual, points=w, **row), filler], settings=TWO)
    return evaluate_text(text, registry).rows[0]


def deadline(registry: evalcore.Registry, target: object, actual: object, params: dict[str, object],
             w: int = 10) -> evalcore.Row:
    return score_w(registry, target, actual, w, category="timeliness", rule="deadline", params=params)


def survey(registry: evalcore.Registry, target: object, extra: dict[str, object], w: int = 10,
           actual: object = None, **params: object) -> evalcore.Row:
    return score_w(registry, target, actual, w, category="satisfaction", rule="survey", params=params,
                   extra=extra)


def problem(info: pytest.ExceptionInfo[evalcore.EvalcoreError]) -> str:
    (only,) = info.value.problems
    return only.message


# --- deadline ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "actual", "score", "status", "formula"),
    [
        ("2021-12-31", "2021-12-20", "10.00", Status.MET,
         "completed 2021-12-20, due 2021-12-31: on time → 10"),
        ("2021-12-31", "2021-12-31", "10.00", Status.MET,
         "completed 2021-12-31, due 2021-12-31: on time → 10"),
        ("2021-12-31", "2022-01-01", "9.50", Status.PARTLY_MET,
         "completed 2022-01-01, due 2021-12-31: 1 day late → 10 − 1 × 0.5 = 9.5"),
        ("2021-12-31", "2022-01-05", "7.50", Status.PARTLY_MET,
         "completed 2022-01-05, due 2021-12-31: 5 days late → 10 − 5 × 0.5 = 7.5"),
        ("≤2021年12月31日", "2022年1月5日", "7.50", Status.PARTLY_MET,
         "completed 2022-01-05, due 2021-12-31: 5 days late → 10 − 5 × 0.5 = 7.5"),
        ("2021-12-31", "2022-01-20", "0.00", Status.MISSED,
         "completed 2022-01-20, due 2021-12-31: 20 days late → 10 − 20 × 0.5 = 0"),
        ("2021-12-31", "2022-02-01", "0.00", Status.MISSED,
         "completed 2022-02-01, due 2021-12-31: 32 days late → 10 − 32 × 0.5 = -6 → 0"),
        ("<2022-01-01", "2021-12-31", "10.00", Status.MET,
         "completed 2021-12-31, due 2021-12-31: on time → 10"),
        ("<2022-01-01", "2022-01-01", "9.50", Status.PARTLY_MET,
         "completed 2022-01-01, due 2021-12-31: 1 day late → 10 − 1 × 0.5 = 9.5"),
        ("=2021-12-31", "2021-06-30", "10.00", Status.MET,
         "completed 2021-06-30, due 2021-12-31: on time → 10"),
    ],
)
def test_deadline_per_day(registry, target, actual, score, status, formula):
    row = deadline(registry, target, actual, DAY)
    assert (row.score, row.status, row.trace.formula) == (D(score), status, formula)


@pytest.mark.parametrize(
    ("actual", "score", "formula"),
    [
        ("2021-12-31", "10.00", "completed 2021-12-31, due 2021-12-31: on time → 10"),
        ("2022-01-01", "8.00", "completed 2022-01-01, due 2021-12-31: 1 month late (a started month counts) "
                               "→ 10 − 1 × 2 = 8"),
        ("2022-01-31", "8.00", "completed 2022-01-31, due 2021-12-31: 1 month late (a started month counts) "
                               "→ 10 − 1 × 2 = 8"),
        ("2022-02-01", "6.00", "completed 2022-02-01, due 2021-12-31: 2 months late (a started month "
                               "counts) → 10 − 2 × 2 = 6"),
        ("2022-06-01", "0.00", "completed 2022-06-01, due 2021-12-31: 6 months late (a started month "
                               "counts) → 10 − 6 × 2 = -2 → 0"),
    ],
)
def test_deadline_per_month_counts_a_started_month(registry, actual, score, formula):
    row = deadline(registry, "2021-12-31", actual, MONTH)
    assert (row.score, row.trace.formula) == (D(score), formula)


def test_deadline_grace_moves_the_due_date(registry):
    params = {**DAY, "grace": 3}
    row = deadline(registry, "2021-12-31", "2022-01-03", params)
    assert (row.score, row.status) == (D("10.00"), Status.MET)
    assert row.trace.formula == ("completed 2022-01-03, due 2021-12-31 + 3 days' grace = 2022-01-03: "
                                 "on time → 10")
    row = deadline(registry, "2021-12-31", "2022-01-05", params)
    assert row.trace.formula == ("completed 2022-01-05, due 2021-12-31 + 3 days' grace = 2022-01-03: "
                                 "2 days late → 10 − 2 × 0.5 = 9")
    row = deadline(registry, "2021-12-31", "2022-02-04", {**MONTH, "grace": 3})
    assert row.score == D("6.00")  # due 2022-01-03: Feb 4 is in the second month after it


def test_deadline_explains_the_loss(registry):
    row = deadline(registry, "2021-12-31", "2022-01-05", DAY)
    assert row.explanation_zh == ("目标≤2021-12-31，实际2022-01-05，部分达成；完成于2022-01-05，期限"
                                  "2021-12-31：逾期5天 → 10 − 5 × 0.5 = 7.5，扣2.5分")


def test_deadline_reads_a_toml_date(registry):
    text = project_toml(single("x", None, category="timeliness", rule="deadline", params=DAY), settings=TWO)
    text = text.replace('target = "x"', "target = 2021-12-31") + "\n[actual]\nx = 2022-01-02\n"
    assert evaluate_text(text, registry).rows[0].score == D("99.00")


@pytest.mark.parametrize(
    ("due", "done", "months"),
    [
        ("2021-12-31", "2021-12-31", 0),
        ("2021-12-31", "2021-11-30", 0),
        ("2021-12-31", "2022-01-01", 1),
        ("2021-12-31", "2022-01-31", 1),
        ("2021-12-31", "2022-02-01", 2),
        ("2021-01-31", "2021-02-28", 1),  # Jan 31 + 1 month is Feb 28
        ("2021-01-31", "2021-03-01", 2),
        ("2020-01-31", "2020-02-29", 1),  # a leap year
        ("2021-02-28", "2021-03-28", 1),
        ("2021-02-28", "2021-03-29", 2),
        ("2021-01-15", "2022-01-15", 12),
        ("2021-01-15", "2022-01-16", 13),
    ],
)
def test_months_late_are_calendar_months(due, done, months):
    assert months_late(dt.date.fromisoformat(due), dt.date.fromisoformat(done)) == months


def test_add_months_clamps_to_the_months_end():
    assert add_months(dt.date(2021, 1, 31), 1) == dt.date(2021, 2, 28)
    assert add_months(dt.date(2021, 12, 15), 1) == dt.date(2022, 1, 15)
    assert add_months(dt.date(2021, 3, 31), -1) == dt.date(2021, 2, 28)


@pytest.mark.parametrize(
    ("target", "params", "message"),
    [
        ("按期完成", DAY, "rule 'deadline': the deadline rule needs a date as its target "
                         "(e.g. \"2021-12-31\" or \"≤2021年12月31日\"), not '按期完成'"),
        ("≥90%", DAY, "rule 'deadline': the deadline rule needs a date as its target (e.g. \"2021-12-31\" "
                     "or \"≤2021年12月31日\"), not '≥90%'"),
        ("≥2021-12-31", DAY, "rule 'deadline': a deadline is met on or before its date; the target "
                            "≥2021-12-31 asks for a date after it"),
        ("2021-12-31", {"per": "day"}, "rule 'deadline' needs the parameter 'loss'"),
        ("2021-12-31", {"loss": 1}, "rule 'deadline' needs the parameter 'per'"),
        ("2021-12-31", {"loss": 0, "per": "day"}, "loss: 0 must be above 0"),
        ("2021-12-31", {"loss": 1, "per": "week"}, "per: 'week' is not one of day, month"),
        ("2021-12-31", {"loss": 1, "per": "days"},
         "per: 'days' is not one of day, month; did you mean 'day'?"),
        ("2021-12-31", {**DAY, "grace": -1}, "grace: -1 is below the minimum 0"),
        ("2021-12-31", {**DAY, "grace": 1.5}, "grace: expected a whole number, not 1.5"),
        ("2021-12-31", {**DAY, "grace": 10**7},
         "rule 'deadline': grace = 10000000 days runs past the last date"),
    ],
)
def test_deadline_parameters_are_checked_at_compile_time(registry, target, params, message):
    with pytest.raises(evalcore.ValidationError) as info:
        deadline(registry, target, "2022-01-05", params)
    assert problem(info) == message


@pytest.mark.parametrize("actual", ["按期完成", "5天"])
def test_deadline_needs_a_completion_date(registry, actual):
    with pytest.raises(evalcore.EvaluationError) as info:
        deadline(registry, "2021-12-31", actual, DAY)
    assert problem(info) == (f"the deadline rule needs the completion date as the actual (e.g. "
                             f"\"2021-12-20\"), not {actual!r}")


# --- survey --------------------------------------------------------------------------------------


def test_survey_rate_at_or_above_the_target_earns_full_points(registry):
    row = survey(registry, "≥90%", SURVEY)
    assert (row.score, row.status) == (D("10.00"), Status.MET)
    assert row.trace.formula == ("非常满意 120×1 + 满意 300×1 + 一般 50×0.6 + 不满意 10×0 = 450 of 480 "
                                 "answers → 93.75%; 93.75% ≥ 90% → 10")
    assert row.explanation_zh == "目标≥90%，满意度93.75%（480份答卷），达成，得满分10分"


def test_survey_rate_below_the_target_scores_proportionally(registry):
    row = survey(registry, "≥95%", SURVEY, levels=LEVELS)
    assert row.trace.formula.endswith("→ 93.75%; 10 × 93.75/95 = ≈9.8684")
    assert (row.score, row.status) == (D("9.87"), Status.PARTLY_MET)


def test_survey_rate_exactly_at_the_target_is_met(registry):
    row = survey(registry, "≥93.75%", SURVEY)
    assert (row.score, row.status) == (D("10.00"), Status.MET)


def test_survey_strict_target_at_the_boundary_earns_the_positive_rules_share(registry):
    row = survey(registry, ">93.75%", SURVEY)
    assert (row.score, row.status) == (D("8.00"), Status.PARTLY_MET)
    assert row.trace.formula.endswith("→ 93.75%; = 93.75%, not > → 10 × 0.8 = 8")


def test_survey_with_every_default_level(registry):
    counts = dict.fromkeys(DEFAULT_LEVELS.weights, 10)
    row = survey(registry, "≥100%", counts, w=70)  # (10 + 10 + 8 + 6 + 6) / 70 = 4/7
    assert row.trace.raw == 40
    assert row.score == D("40.00")
    assert row.trace.formula == ("非常满意 10×1 + 满意 10×1 + 比较满意 10×0.8 + 基本满意 10×0.6 + "
                                 "一般 10×0.6 + 不满意 10×0 + 非常不满意 10×0 = 40 of 70 answers → "
                                 "≈57.1429%; 70 × ≈57.1429/100 = 40")
    assert "满意度≈57.14%（70份答卷）" in row.explanation_zh
    assert str(DEFAULT_LEVELS) == ("非常满意 1, 满意 1, 比较满意 0.8, 基本满意 0.6, 一般 0.6, "
                                   "不满意 0, 非常不满意 0")


def test_survey_all_satisfied_and_all_dissatisfied(registry):
    assert survey(registry, "≥90%", {"满意": 5}).score == D("10.00")
    row = survey(registry, "≥90%", {"不满意": 5, "非常不满意": 1})
    assert (row.score, row.status) == (D(0), Status.MISSED)


def test_survey_rounds_half_up(registry):
    # rate = 80.1 × 100 / 1000 = 8.01%; w × 8.01/16 = 10 × 0.500625 → 5.00625 → 5.01
    row = survey(registry, "≥16%", {"满意": 801, "不满意": 9199})
    assert row.trace.raw == D("5.00625")
    assert row.score == D("5.01")
    row = survey(registry, "≥16%", {"满意": 8008, "不满意": 91992}, w=20)  # 20 × 8.008/16 = 10.01
    assert row.score == D("10.01")


def test_survey_rounding_at_half_a_cent(registry):
    # rate 1/8 = 12.5%; w = 1 × 12.5/20 = 0.625 → 0.63 (half up; banker's would give 0.62)
    row = survey(registry, "≥20%", {"满意": 1, "不满意": 7}, w=1)
    assert row.trace.raw == D("0.625")
    assert row.score == D("0.63")


def test_survey_ignores_an_actual_value_beside_the_counts(registry):
    row = survey(registry, "≥90%", SURVEY, actual="95%")
    assert row.trace.formula.endswith("93.75% ≥ 90% → 10")


def test_survey_counts_in_the_split_form(registry):
    text = project_toml(single("≥90%", None, category="satisfaction", rule="survey"), settings=TWO)
    text += '\n[actual.x]\nextra = { "满意" = 85, "不满意" = 15 }\n'  # TOML: non-ASCII keys are quoted
    row = evaluate_text(text, registry).rows[0]
    assert row.score == D("94.44")
    assert row.trace.formula == "满意 85×1 + 不满意 15×0 = 85 of 100 answers → 85%; 100 × 85/90 = ≈94.4444"


def test_survey_levels_can_come_from_the_profile(registry):
    settings = {"decimals": 2, "rules": {"survey": {"levels": {"好": 1, "差": 0}}}}
    row = score_one(registry, "≥50%", None, category="satisfaction", rule="survey", settings=settings,
                    extra={"好": 1, "差": 1})
    assert row.score == D("100.00")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"满意": 0, "不满意": 0}, "the survey has no answers (every count is 0); a rate needs respondents"),
        ({"满意度": 3}, "extra.满意度 is not an answer level; did you mean '满意' or '不满意'?"),
        ({"satisfied": 3},
         "extra.satisfied is not an answer level; the levels are 非常满意, 满意, 一般, 不满意"),
        ({"满意": -1}, "extra.满意: -1 is not a whole number of answers ≥ 0"),
        ({"满意": 2.5}, "extra.满意: 2.5 is not a whole number of answers ≥ 0"),
        ({"满意": "很多"}, "extra.满意: '很多' is not a number"),
        ({"满意": True}, "extra.满意: expected a number, got the boolean true"),
    ],
)
def test_survey_counts_are_checked(registry, extra, message):
    with pytest.raises(evalcore.EvaluationError) as info:
        survey(registry, "≥90%", extra, levels=LEVELS)
    assert problem(info) == message


def test_survey_needs_counts(registry):
    with pytest.raises(evalcore.EvaluationError) as info:
        score_one(registry, "≥90%", "92%", category="satisfaction", rule="survey")
    assert problem(info) == ("the survey rule needs the number of answers per level in the actual's extra "
                             'table, e.g. extra = { "满意" = 300, "一般" = 50 }; a rate alone (92%) is '
                             "scored by the standard rule")


@pytest.mark.parametrize(
    ("target", "params", "message"),
    [
        ("≥90", {}, "rule 'survey': the survey rule scores a satisfaction rate, so its target must be a "
                   "percentage such as ≥90%, not ≥90"),
        ("满意", {}, "rule 'survey': needs a numeric target, not '满意'"),
        ("≤90%", {}, "rule 'survey': a satisfaction target is a floor (≥), not ≤90%"),
        ("≥0%", {}, "rule 'survey': the satisfaction target must be above 0% and at most 100%, not ≥0%"),
        ("≥101%", {}, "rule 'survey': the satisfaction target must be above 0% and at most 100%, not ≥101%"),
        ("≥90%", {"levels": {}}, "levels: expected a non-empty table of answer levels and weights, "
                                 'e.g. { "满意" = 1, "一般" = 0.6, "不满意" = 0 }'),
        ("≥90%", {"levels": {"满意": 1.2}}, "levels: 满意: the weight 1.2 is outside [0, 1]"),
        ("≥90%", {"levels": {"满意": -0.1}}, "levels: 满意: the weight -0.1 is outside [0, 1]"),
        ("≥90%", {"levels": {"满意": "high"}}, "levels: 满意: 'high' is not a number"),
        ("≥90%", {"level": {"满意": 1}}, "rule 'survey' has no parameter 'level'"),
    ],
)
def test_survey_parameters_are_checked_at_compile_time(registry, target, params, message):
    with pytest.raises(evalcore.ValidationError) as info:
        survey(registry, target, {"满意": 1}, **params)
    assert problem(info) == message


# --- properties ----------------------------------------------------------------------------------

dates = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2024, 12, 31))


@given(due=dates, d1=dates, d2=dates, per=st.sampled_from(["day", "month"]), grace=st.integers(0, 40),
       loss=st.decimals(Decimal("0.01"), 30, places=2))
def test_deadline_score_never_rises_with_a_later_completion(registry, due, d1, d2, per, grace, loss):
    params = {"loss": loss, "per": per, "grace": grace}
    early, late = sorted((d1, d2))
    s_early = deadline(registry, str(due), str(early), params).score
    s_late = deadline(registry, str(due), str(late), params).score
    assert 0 <= s_late <= s_early <= 10
    assert (s_early == 10) if early <= due else True


level_names = list(DEFAULT_LEVELS.weights)
survey_counts = st.fixed_dictionaries({name: st.integers(0, 500) for name in level_names}).filter(
    lambda c: sum(c.values()) > 0)


@given(counts=survey_counts)
def test_survey_rate_stays_within_0_and_100_percent(registry, counts):
    # Against a target of 100% on 100 points, the raw score is the rate itself.
    row = survey(registry, "≥100%", counts, w=100)
    assert row.trace.raw is not None
    assert 0 <= row.trace.raw <= 100
    assert (row.status is Status.MET) == (row.trace.raw == 100)


@given(counts=survey_counts, source=st.sampled_from(level_names), dest=st.sampled_from(level_names),
       a=st.decimals(1, 100, places=1))
def test_survey_moving_a_respondent_to_a_better_level_never_lowers_the_score(registry, counts, source,
                                                                            dest, a):
    weights = DEFAULT_LEVELS.weights
    worse, better = sorted((source, dest), key=lambda name: weights[name])
    if counts[worse] == 0:
        counts = {**counts, worse: 1}
    moved = dict(counts)
    moved[worse] -= 1
    moved[better] += 1  # the same level when worse == better: nothing moves
    before = survey(registry, f"≥{a}%", counts, w=100)
    after = survey(registry, f"≥{a}%", moved, w=100)
    assert before.score <= after.score
    assert before.trace.raw is not None and after.trace.raw is not None
    assert before.trace.raw <= after.trace.raw
