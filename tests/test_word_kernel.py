"""The ``qualitative`` word kernel (`evalcore_builtin._word_kernel`, through `evalcore.word_scoring`)
scores a column of words and assessed scores exactly as the rule's scorer: known words of every
tier, unknown words, numbers, no actual, scores on, inside and outside each band's ends, with
the bands moved by the parameters; through ``plan.evaluate_table`` against ``plan.evaluate``, and
the kernel itself against the scorer's numbers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_columnar import REGISTRY, _check

from evalcore.compiler import compile_scheme
from evalcore.model import Actual, Budget, Project, ProjectInfo, Scheme
from evalcore.plugin import Indicator, Observation, Status, Value, WordInput
from evalcore.quantities import parse_actual
from evalcore_builtin._word_kernel import qualitative_word_kernel

STATUSES = {Status.MET: 0, Status.PARTLY_MET: 1, Status.MISSED: 2}
WORDS = ["显著提升", "有效", "已完成。", "基本完成", "部分达成", "未完成", "效果较差", "还行", "95%", ""]


@st.composite
def qualitative_params(draw: st.DrawFn) -> dict[str, Any]:
    """Bands moved off the profile's 80/60, and defaults inside them (or the profile's)."""
    if draw(st.booleans()):
        return {}
    partly = draw(st.sampled_from([Decimal("0.5"), Decimal("0.6"), Decimal("0.55")]))
    met = draw(st.sampled_from([Decimal("0.8"), Decimal("0.75"), Decimal("0.9")]))
    return {"met_min": met, "partly_min": partly, "met_default": Decimal(1),
            "partly_default": partly, "missed_default": Decimal(0)}


def _scores(draw: st.DrawFn, points: Decimal, params: dict[str, Any]) -> Decimal | None:
    """None, or an assessed score on, beside or between the bands' ends (some with many places)."""
    ends = [Decimal(0), points * params.get("partly_min", Decimal("0.6")),
            points * params.get("met_min", Decimal("0.8")), points]
    end = draw(st.sampled_from(ends))
    step = draw(st.sampled_from(["0", "0.01", "-0.01", "0.005", "0.0000000001", "1.5"]))
    return draw(st.sampled_from([None, end + Decimal(step), end - Decimal(step)]))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(qualitative_params(), st.sampled_from(["5", "7", "33.33"]), st.data())
def test_a_column_of_words_and_scores_scores_as_the_decimal_path(params: dict[str, Any], points: str,
                                                                 data: st.DataObject) -> None:
    w = Decimal(points)
    ind = Indicator("k", "指标", "social", w, "显著提升", params=params)
    scheme = Scheme("s", (ind,), budget_points=Decimal(3),
                    settings={"total": w + 3, "weights": {}, "decimals": 2})
    plan = compile_scheme(scheme, REGISTRY)
    assert plan.rows[0].rule.word_kernel is qualitative_word_kernel
    items = []
    for i in range(data.draw(st.integers(1, 8))):
        word = data.draw(st.sampled_from([*WORDS, None]))
        score = _scores(data.draw, w, params)
        if word is None and score is None:
            word = "有效"
        items.append(Project(ProjectInfo(f"p{i}"), scheme, Budget(Decimal(10), Decimal(9)),
                             {"k": Actual(word, assessed=score)}))
    _check(plan, items)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(qualitative_params(), st.data())
def test_a_column_of_few_pairs_is_scored_once_per_pair_as_the_decimal_path(
        params: dict[str, Any], data: st.DataObject) -> None:
    """A portfolio repeats a few (word, score) pairs: the kernel scores the grid of the pairs
    (`evalcore.word_scoring`), not the rows, and every row reads what the Decimal path gives."""
    import evalcore.word_scoring as word_scoring

    w = Decimal(7)
    ind = Indicator("k", "指标", "social", w, "显著提升", params=params)
    scheme = Scheme("s", (ind,), settings={"total": w, "weights": {}, "decimals": 2})
    plan = compile_scheme(scheme, REGISTRY)
    pairs = []
    for _ in range(data.draw(st.integers(1, 4))):
        word, score = data.draw(st.sampled_from([*WORDS, None])), _scores(data.draw, w, params)
        pairs.append(("有效" if word is None and score is None else word, score))
    order = data.draw(st.permutations(list(range(40))))
    items = [Project(ProjectInfo(f"p{i}"), scheme, None,
                     {"k": Actual(pairs[i % len(pairs)][0], assessed=pairs[i % len(pairs)][1])})
             for i in order]
    sizes: list[int] = []
    run = word_scoring._run

    def spy(job: Any, values: Any, index: Any, *rest: Any) -> Any:
        sizes.append(len(index))
        return run(job, values, index, *rest)

    word_scoring._run = spy
    try:
        _check(plan, items)
    finally:
        word_scoring._run = run
    if any(score is not None for _, score in pairs):  # else no .assessed: the scorer, per word
        assert sizes and max(sizes) < len(items)  # the grid, at most 5 words × 5 scores


@settings(max_examples=80, deadline=None)
@given(qualitative_params(), st.data())
def test_the_word_kernel_gives_the_scorers_numbers_for_every_row_it_takes(
        params: dict[str, Any], data: st.DataObject) -> None:
    """Called directly (no fallback hides a wrong tier): each row it keeps gets the scorer's raw
    score and status, and it hands back exactly the rows the scorer refuses."""
    w = Decimal(7)
    ind = Indicator("k", "指标", "social", w, "显著提升", params=params)
    plan = compile_scheme(Scheme("s", (ind,), settings={"total": w, "weights": {}}), REGISTRY)
    row = plan.rows[0]
    from evalcore.table_scoring import _jobs

    kernel = qualitative_word_kernel(row.params, _jobs(plan)[0].context)
    assert kernel is not None
    values = [parse_actual(word, REGISTRY.units) if word else Value("") for word in WORDS]
    cases = [(data.draw(st.integers(0, len(WORDS) - 1)), _scores(data.draw, w, params))
             for _ in range(8)]
    scale = 4
    assessed = [0 if s is None else int(s.scaleb(scale).to_integral_value()) for _, s in cases]
    exact = [s is None or s == Decimal(a).scaleb(-scale) for (_, s), a in zip(cases, assessed,
                                                                            strict=True)]
    got = kernel(WordInput(values, np.array([i for i, _ in cases], np.int64),
                           np.array(assessed, np.int64), np.array([s is not None for _, s in cases]),
                           scale))
    for k, ((i, score), fits) in enumerate(zip(cases, exact, strict=True)):
        if not fits:
            continue  # the engine never hands a kernel a score it cannot hold exactly
        try:
            raw, status = row.scorer.numbers(Observation(values[i], score))
        except ValueError:
            assert got.fallback[k], (WORDS[i], score)
            continue
        assert not got.fallback[k], (WORDS[i], score)
        assert Decimal(int(got.score[k])) / Decimal(int(got.score_den[k])) == raw
        assert int(got.status[k]) == STATUSES[status]


def test_each_tier_and_each_band_end_in_one_column() -> None:
    """5 points, national 80/60: the words' defaults, scores on the ends of the bands (4 is met,
    3.99 partly; 3 partly, 2.99 missed), an unknown word told by its score, and the refusals
    (a score outside the word's band, an unknown word without one) as the Decimal path says."""
    ind = Indicator("k", "指标", "social", Decimal(5), "显著提升")
    scheme = Scheme("s", (ind,), settings={"total": Decimal(5), "weights": {}})
    plan = compile_scheme(scheme, REGISTRY)
    cases = [("有效", None, "5.00"), ("基本完成", None, "3.00"), ("未完成", None, "0.00"),
             ("有效", "4", "4.00"), ("有效", "3.99", None), ("基本完成", "3.995", "4.00"),
             ("基本完成", "3", "3.00"), ("未完成", "2.994", "2.99"), ("还行", "4.5", "4.50"),
             ("还行", None, None), (None, "5", "5.00"), ("有效", "5.001", None)]
    table = plan.evaluate_table({"project": [f"p{i}" for i in range(len(cases))],
                                 "k": [c[0] for c in cases], "k.assessed": [c[1] for c in cases]})
    got = [None if v is None else str(v) for v in table.column("k").to_pylist()]
    assert got == [c[2] for c in cases]
    _check(plan, [Project(ProjectInfo(f"p{i}"), scheme, None,
                          {"k": Actual(word, assessed=None if s is None else Decimal(s))})
                  for i, (word, s, _) in enumerate(cases)])
