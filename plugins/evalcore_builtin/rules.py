"""The national scoring rules (财预〔2020〕10号 and common practice), as rule types.

``standard`` is what a category uses by default: it selects, at compile time,
the national rule for the target's symbol: positive for ≥ and >, reverse for
≤ and <, equality for =, the three bands for a qualitative target, and met-or-
not for a date. The individual rules can also be named directly, with
parameters, in an indicator's ``rule`` and ``params``.

A = target, B = actual (in the target's unit), w = points.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from evalcore.plugin import (
    ONE,
    ZERO,
    Category,
    Comparator,
    Observation,
    Outcome,
    Param,
    Projected,
    Projection,
    RuleContext,
    RuleType,
    Scorer,
    Status,
    Target,
    actual_number,
    choice,
    decimal,
    format_approx,
    hookimpl,
    mapping,
    met,
    nearest,
    numeric_target,
    partial,
    partial_status,
    quote,
    suggest,
    with_numbers,
)
from evalcore.plugin import format_decimal as fmt

from ._kernels import equality_kernel, positive_kernel, reverse_kernel, threshold_kernel
from ._word_kernel import qualitative_word_kernel


def _n(value: Decimal) -> str:
    """B in a trace: exact when short (it may have been converted from another unit)."""
    return format_approx(value, 6)


NOT_MET_EN, NOT_MET_ZH = "not met → 0", "未达成 → 0"
"""The formula of a met-or-not rule that was not met, in English (the trace's) and Chinese."""


def _boundary(ctx: RuleContext, obs: Observation, raw: Decimal, equal: str, sign: str,
              share: Decimal, ratio: Decimal | None) -> Outcome:
    """A strict target (> or <) reached but not passed: ``share`` of the points, worded in
    both languages."""
    times = f"{fmt(ctx.points)} × {fmt(share)}"
    return attrs.evolve(partial(ctx, obs, raw, f"{equal}, not {sign} A → {times}", ratio),
                        formula_zh=f"{equal}，未{'超过' if sign == '>' else '低于'}A → {times}")


STRICT = Param("strict_boundary_share", decimal(0, 1), Decimal("0.8"),
               "Share of the points when B equals A under a strict > or < target: the "
               "boundary is reached but not passed, and no B on the wrong side of A earns more. "
               "Not set nationally; 0.8 is evalcore's default.")


def capped(raw: Decimal, w: Decimal, share: Decimal, strict: bool) -> Decimal:
    """``raw`` (w × the rule's ratio), at most w × ``share`` under a strict target: B on the
    wrong side of A never earns more than B = A does, so the score stays monotone in B."""
    return min(raw, w * share) if strict else raw


def capped_text(w: Decimal, ratio: str, share: Decimal, strict: bool, raw: Decimal,
                brackets: bool = False) -> str:
    """The formula of `capped`: ``10 × min(99.99/100, 0.8) = 8`` under a strict target,
    ``10 × 99.99/100 = 9.999`` otherwise (``ratio`` in ``brackets`` when it is a sum)."""
    if strict:
        return f"{fmt(w)} × min({ratio}, {fmt(share)}) = {format_approx(raw, 6)}"
    return f"{fmt(w)} × {f'({ratio})' if brackets else ratio} = {format_approx(raw, 6)}"


def compile_positive(params: Mapping[str, Any], ctx: RuleContext) -> Scorer:
    """≥ and >: B ≥ A → w; else w × B/A. Negative B counts as 0. A = 0: any B ≥ 0 meets ≥ 0,
    only B > 0 meets > 0. Under > with A > 0, B = A earns ``strict_boundary_share`` of w and
    0 < B < A earns w × min(B/A, strict_boundary_share): never more than B = A."""
    target, a = numeric_target(ctx)
    if a < 0:
        raise ValueError(f"the proportional formula needs a target ≥ 0, not {target}; "
                         "use rule = \"threshold\"")
    w, strict = ctx.points, target.comparator is Comparator.GT
    boundary = params["strict_boundary_share"]

    def score(obs: Observation) -> Outcome:
        b = actual_number(obs, ctx)
        ratio = b / a if a > 0 and b > 0 else None
        if b > a or (b == a and not strict):
            return met(ctx, obs, ratio)
        if b == a and a > 0:  # strict and only equal: the boundary is reached, not passed
            return _boundary(ctx, obs, w * boundary, f"B = A = {_n(b)}", ">", boundary, ratio)
        if a == 0 or b <= 0:
            return partial(ctx, obs, ZERO, f"B = {_n(b)} ≤ 0 → 0", ratio)
        raw = capped(w * b / a, w, boundary, strict)
        return partial(ctx, obs, raw, capped_text(w, f"{_n(b)}/{fmt(a)}", boundary, strict, raw),
                       ratio)

    def numbers(obs: Observation) -> tuple[Decimal, Status]:
        b = actual_number(obs, ctx)
        if b > a or (b == a and not strict):
            return w, Status.MET
        if b == a and a > 0:
            return w * boundary, partial_status(w * boundary)
        if a == 0 or b <= 0:
            return ZERO, Status.MISSED
        raw = capped(w * b / a, w, boundary, strict)
        return raw, partial_status(raw)

    return with_numbers(score, numbers)


def compile_reverse(params: Mapping[str, Any], ctx: RuleContext) -> Scorer:
    """≤ and <: B ≤ A → w; else w × A/B ("ratio", customary) or w × (1 − (B−A)/A) ("linear",
    0 once B ≥ 2A). A = 0 (zero tolerance): w if B ≤ 0 else 0. Under < with A > 0, B = A earns
    ``strict_boundary_share`` of w and B > A at most that: w × min(A/B, share) or
    w × min(1 − (B−A)/A, share), so the score never rises as B moves away from A."""
    target, a = numeric_target(ctx)
    if a < 0:
        raise ValueError(f"the reverse formula needs a target ≥ 0, not {target}; "
                         "use rule = \"threshold\"")
    w, strict = ctx.points, target.comparator is Comparator.LT
    method, boundary = params["method"], params["strict_boundary_share"]

    def score(obs: Observation) -> Outcome:
        b = actual_number(obs, ctx)
        ratio = a / b if a > 0 and b > 0 else None
        if b < a or (b == a and not strict):
            return met(ctx, obs, ratio)
        if b == a and a > 0:
            return _boundary(ctx, obs, w * boundary, f"B = A = {_n(b)}", "<", boundary, ratio)
        if a == 0:
            return partial(ctx, obs, ZERO, f"A = 0, B = {_n(b)} ≥ 0 → 0", None)
        if method == "linear":
            raw = max(ZERO, capped(w * (1 - (b - a) / a), w, boundary, strict))
            formula = capped_text(w, f"1 − ({_n(b)} − {fmt(a)})/{fmt(a)}", boundary, strict, raw,
                                  brackets=True)
            return partial(ctx, obs, raw, formula, ratio)
        raw = capped(w * a / b, w, boundary, strict)
        return partial(ctx, obs, raw, capped_text(w, f"{fmt(a)}/{_n(b)}", boundary, strict, raw),
                       ratio)

    def numbers(obs: Observation) -> tuple[Decimal, Status]:
        b = actual_number(obs, ctx)
        if b < a or (b == a and not strict):
            return w, Status.MET
        if b == a and a > 0:
            return w * boundary, partial_status(w * boundary)
        if a == 0:
            return ZERO, Status.MISSED
        raw = w * (1 - (b - a) / a) if method == "linear" else w * a / b
        raw = max(ZERO, capped(raw, w, boundary, strict))
        return raw, partial_status(raw)

    return with_numbers(score, numbers)


def compile_equality(params: Mapping[str, Any], ctx: RuleContext) -> Scorer:
    """=: A = 0 → w if B ≤ 0 else 0. A > 0 by ``method``: "positive" (as ≥), "symmetric"
    (w × min(B/A, A/B)), "exact" (w if B = A else 0)."""
    target, a = numeric_target(ctx)
    if a < 0:
        raise ValueError(f"the equality rule needs a target ≥ 0, not {target}")
    w, method = ctx.points, params["method"]

    def score(obs: Observation) -> Outcome:
        b = actual_number(obs, ctx)
        # Over-achievement is a concept only where more is never worse (method "positive").
        ratio = b / a if a > 0 and b > 0 and method == "positive" else None
        if a == 0:
            if b <= 0:
                return met(ctx, obs)
            return partial(ctx, obs, ZERO, f"A = 0, B = {_n(b)} ≠ 0 → 0", None)
        if b == a or (method == "positive" and b > a):
            return met(ctx, obs, ratio)
        if method == "exact" or b <= 0:
            return partial(ctx, obs, ZERO, f"B = {_n(b)} ≠ A = {fmt(a)} → 0", ratio)
        if method == "symmetric" and b > a:
            raw = w * a / b
            return partial(ctx, obs, raw, f"{fmt(w)} × {fmt(a)}/{_n(b)} = {format_approx(raw, 6)}", ratio)
        raw = w * b / a
        return partial(ctx, obs, raw, f"{fmt(w)} × {_n(b)}/{fmt(a)} = {format_approx(raw, 6)}", ratio)

    def numbers(obs: Observation) -> tuple[Decimal, Status]:
        b = actual_number(obs, ctx)
        if a == 0:
            return (w, Status.MET) if b <= 0 else (ZERO, Status.MISSED)
        if b == a or (method == "positive" and b > a):
            return w, Status.MET
        if method == "exact" or b <= 0:
            return ZERO, Status.MISSED
        raw = w * a / b if method == "symmetric" and b > a else w * b / a
        return raw, partial_status(raw)

    return with_numbers(score, numbers)


def compile_threshold(params: Mapping[str, Any], ctx: RuleContext) -> Scorer:
    """Met → w, else 0. Works on numbers, dates, and qualitative targets (by tier)."""
    target = ctx.target
    if target is None:
        raise ValueError("needs a target")
    w = ctx.points
    if target.qualitative:
        tiers = compile_qualitative(ctx.rule_settings("qualitative"), ctx)

        def by_word(obs: Observation) -> Outcome:
            outcome = tiers(obs)
            if outcome.status is Status.MET:
                return Outcome(w, Status.MET, fmt(w), outcome.note_zh, outcome.note_en,
                               matched=outcome.matched)
            return Outcome(ZERO, Status.MISSED, NOT_MET_EN, outcome.note_zh, outcome.note_en,
                           matched=outcome.matched, formula_zh=NOT_MET_ZH)

        return by_word
    comparator = target.comparator
    assert comparator is not None

    def score(obs: Observation) -> Outcome:
        assert target is not None
        if target.date is not None or target.period is not None:
            if obs.value.date is None:
                raise ValueError(f"the target {target} needs a date, not {obs.value.text!r}")
            holds = comparator.holds(Decimal(obs.value.date.toordinal()),
                                     Decimal(target.due(obs.year).toordinal()))
        else:
            assert target.quantity is not None
            holds = comparator.holds(actual_number(obs, ctx), target.quantity.value)
        if holds:
            return met(ctx, obs)
        return attrs.evolve(partial(ctx, obs, ZERO, NOT_MET_EN, None), formula_zh=NOT_MET_ZH)

    return score


TIERS = (
    ("met", "达成年度指标", "met"),
    ("partly", "部分达成年度指标并具有一定效果", "partly met"),
    ("missed", "未达成年度指标且效果较差", "missed"),
)
_TIER_STATUS = {"met": Status.MET, "partly": Status.PARTLY_MET, "missed": Status.MISSED}


_PUNCTUATION = str.maketrans("", "", " \t\u3000。，、；：！？!?,.;:\"'“”‘’")


def normalise_word(word: str) -> str:
    """The form words are compared in: NFKC, no spaces or punctuation ("已完成。" → "已完成")."""
    return unicodedata.normalize("NFKC", word).translate(_PUNCTUATION)


def _words(value: Any) -> Mapping[str, str]:
    """The qualitative word table: ``{met = [...], partly = [...], missed = [...]}``."""
    table = mapping(value)
    out: dict[str, str] = {}
    for tier, words in table.items():
        if tier not in _TIER_STATUS:
            raise ValueError(f"unknown tier {tier!r}; the tiers are met, partly, missed")
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise ValueError(f"words.{tier} must be an array of texts")
        for word in map(normalise_word, words):
            if word in out and out[word] != tier:
                raise ValueError(f"the word {word!r} is in two tiers: {out[word]} and {tier}")
            out[word] = tier
    return out


_Band = tuple[Decimal, Decimal, bool]  # a tier's points: low, high, and whether high is in it


def _in_band(band: _Band, s: Decimal) -> bool:
    low, high, closed = band
    return low <= s <= high if closed else low <= s < high


def _band_text(band: _Band) -> str:
    low, high, closed = band
    return f"[{fmt(low)}, {fmt(high)}{']' if closed else ')'}"


def compile_qualitative(params: Mapping[str, Any], ctx: RuleContext) -> Scorer:
    """Three bands of w: met [met_min, 1], partly [partly_min, met_min), missed [0, partly_min).

    The actual is a word that names the tier (``words``); the evaluator's own
    score (``assessed``) must lie inside the tier's band, and when it is not
    given the tier's documented default share is used. An unknown word with no
    assessed score is an error: the tier is never guessed.
    """
    w, target_text = ctx.points, ctx.target_text
    bands, defaults, words = qualitative_setup(params, w)
    names = {t: (zh, en) for t, zh, en in TIERS}

    def score(obs: Observation) -> Outcome:
        tier = _tier(obs, words, bands, target_text, w, ctx.target)
        zh, en = names[tier]
        assessed = obs.assessed
        if assessed is not None:
            if not _in_band(bands[tier], assessed):
                raise ValueError(f"the assessed score {fmt(assessed)} is outside the band of "
                                 f"{zh} {_band_text(bands[tier])}")
            raw, formula = assessed, f"assessed {fmt(assessed)} ∈ {_band_text(bands[tier])}"
            formula_zh = f"评定得分{fmt(assessed)} ∈ {_band_text(bands[tier])}"
        else:
            raw = defaults[tier] * w
            formula = f"{fmt(w)} × {fmt(defaults[tier])} (the {tier} band's default share)"
            formula_zh = f"{fmt(w)} × {fmt(defaults[tier])}（{zh}档的默认比例）"
        shown = obs.value.text or "—"
        return Outcome(raw, _TIER_STATUS[tier], formula, f"目标“{target_text}”，实际“{shown}”，{zh}",
                       f"target '{target_text}', actual '{shown}': {en}", matched=tier,
                       formula_zh=formula_zh)

    def numbers(obs: Observation) -> tuple[Decimal, Status]:
        tier = _tier(obs, words, bands, target_text, w, ctx.target)
        assessed = obs.assessed
        if assessed is None:
            return defaults[tier] * w, _TIER_STATUS[tier]
        if not _in_band(bands[tier], assessed):
            zh = names[tier][0]
            raise ValueError(f"the assessed score {fmt(assessed)} is outside the band of "
                             f"{zh} {_band_text(bands[tier])}")
        return assessed, _TIER_STATUS[tier]

    return with_numbers(score, numbers)


def qualitative_setup(params: Mapping[str, Any], w: Decimal
                      ) -> tuple[dict[str, _Band], dict[str, Decimal], dict[str, str]]:
    """A qualitative row's bands of points, default shares and word table, checked: one
    reading of the parameters for the scorer and the word kernel (`_word_kernel`)."""
    bands = _qualitative_bands(params["met_min"], params["partly_min"], w)
    defaults = {"met": params["met_default"], "partly": params["partly_default"],
                "missed": params["missed_default"]}
    for tier, share in defaults.items():
        low, high, closed = bands[tier]
        if not (low <= share * w <= high and (closed or share * w < high or low == high)):
            raise ValueError(f"{tier}_default {fmt(share)} is outside the {tier} band")
    return bands, defaults, _qualitative_words(params)


def _qualitative_bands(met_min: Decimal, partly_min: Decimal, w: Decimal) -> dict[str, _Band]:
    if not ZERO <= partly_min <= met_min <= ONE:
        raise ValueError("the bands need 0 ≤ partly_min ≤ met_min ≤ 1")
    return {"met": (met_min * w, w, True), "partly": (partly_min * w, met_min * w, False),
            "missed": (ZERO, partly_min * w, False)}


def _qualitative_words(params: Mapping[str, Any]) -> dict[str, str]:
    """The tier of every word: ``words``, and ``more_words`` added (never moved to another tier)."""
    words = dict(params["words"])
    for word, tier in params["more_words"].items():
        if words.get(word, tier) != tier:
            raise ValueError(f"more_words puts {word!r} in {tier}, but words has it in {words[word]}")
        words[word] = tier
    return words


def _tier(obs: Observation, words: Mapping[str, str], bands: Mapping[str, _Band],
          target_text: str, w: Decimal, target: Target | None = None) -> str:
    """The tier the actual's word names; for an unknown word, the tier of the evaluator's
    assessed score. Neither: an error, since the tier is never guessed. Against a deadline
    without its year (年底前, 上半年: words as before, and a period read in the project's
    year), a completion date is met on or before the period's last day, else missed."""
    if target is not None and target.period is not None and obs.value.date is not None:
        return "met" if obs.value.date <= target.due(obs.year) else "missed"
    word = normalise_word(obs.value.word or obs.value.text)
    tier = words.get(word)
    if tier is not None:
        return tier
    if obs.assessed is None and (obs.value.quantity is not None or obs.value.date is not None):
        # A number or date against words: the target, not the actual, is the likely slip.
        raise ValueError(f"the target {target_text!r} is qualitative (words, no number "
                         f"read), but the actual {obs.value.text!r} is a "
                         f"{'number' if obs.value.quantity is not None else 'date'}; "
                         "write the target with its number (≥400批次), or give the "
                         "evaluator's score in 'assessed'")
    if obs.assessed is None:
        hint = _suggest_word(word, words)
        raise ValueError(f"cannot tell which tier {quote(word)} is; give the evaluator's score "
                         f"in 'assessed', or use a known word{hint}")
    for name in ("met", "partly", "missed"):
        if _in_band(bands[name], obs.assessed):
            return name
    raise ValueError(f"the assessed score {fmt(obs.assessed)} is outside 0–{fmt(w)}")


def _suggest_word(word: str, words: Mapping[str, str]) -> str:
    hint = suggest(word, words)
    if hint:
        return f" ({hint})"
    known = nearest(word, words) or sorted(words)  # the nearest words first, in its language
    return f" (such as {', '.join(known[:8])}{' …' if len(words) > 8 else ''})"


def select_standard(target: Target | None, category: Category) -> str:
    """The national rule for the target's form: ≥ > positive, ≤ < reverse, = equality,
    words qualitative, dates met-or-not (threshold), a deadline without its year (年底前)
    qualitative (as its words always were; a completion date is met by the deadline)."""
    if target is None or target.qualitative:
        return "qualitative"
    if target.date is not None:
        return "threshold"
    if target.period is not None:  # 年底前: its words as before, a date by its deadline
        return "qualitative"
    if target.comparator in (Comparator.GE, Comparator.GT):
        return "positive"
    if target.comparator in (Comparator.LE, Comparator.LT):
        return "reverse"
    return "equality"


QUALITATIVE_PARAMS = (
    Param("met_min", decimal(0, 1), Decimal("0.8"), "Lowest share of w in the 达成 band (inclusive)."),
    Param("partly_min", decimal(0, 1), Decimal("0.6"),
          "Lowest share of w in the 部分达成 band (inclusive)."),
    Param("met_default", decimal(0, 1), ONE, "Share given for 达成 when no score is assessed."),
    Param("partly_default", decimal(0, 1), Decimal("0.6"),
          "Share given for 部分达成 when no score is assessed."),
    Param("missed_default", decimal(0, 1), ZERO,
          "Share given for 未达成 when no score is assessed."),
    Param("words", _words, {}, "Words that name each tier: {met = [...], partly = [...], missed = [...]}"),
    Param("more_words", _words, {},
          "Words added to ``words`` (same shape), so a scheme can extend the profile's list "
          "without repeating it."),
)


def _never(params: Mapping[str, Any], ctx: RuleContext) -> Scorer:
    raise AssertionError("a selecting rule is never compiled itself")


@hookimpl
def evalcore_rule_types() -> list[RuleType]:
    return [
        RuleType("standard", _never, (), select_standard.__doc__ or "", select=select_standard),
        RuleType("positive", compile_positive, (STRICT,), compile_positive.__doc__ or "",
                 kernel=positive_kernel),
        RuleType("reverse", compile_reverse, (
            Param("method", choice("ratio", "linear"), "ratio",
                  "ratio: w × A/B (customary); linear: w × (1 − (B−A)/A), 0 once B ≥ 2A."),
            STRICT,
        ), compile_reverse.__doc__ or "", kernel=reverse_kernel),
        RuleType("equality", compile_equality, (
            Param("method", choice("positive", "symmetric", "exact"), "positive",
                  "How B ≠ A scores when A > 0."),
        ), compile_equality.__doc__ or "", kernel=equality_kernel),
        RuleType("threshold", compile_threshold, (), compile_threshold.__doc__ or "",
                 kernel=threshold_kernel),
        RuleType("qualitative", compile_qualitative, QUALITATIVE_PARAMS,
                 compile_qualitative.__doc__ or "", project=project_qualitative,
                 word_kernel=qualitative_word_kernel),
    ]


_PROJECTED_TIER = {"on-track": "met", "delayed": "partly", "stalled": "missed"}
_PREFERRED_WORD = {"met": "达成", "partly": "部分达成", "missed": "未达成"}


def project_qualitative(p: Projection) -> Projected | None:
    """Mid-year monitoring: a qualitative row without a word to date is projected by its
    stated status to a word of the row's own table (on-track → a 达成 word, delayed → a
    部分达成 word, stalled → a 未达成 word); with a word to date, or a deadline target (年底前),
    the default projection."""
    if p.to_date is not None or not p.status or (
            p.target is not None and not p.target.qualitative):
        return None
    tier = _PROJECTED_TIER[p.status]
    words = _qualitative_words(p.params)
    chosen = _PREFERRED_WORD[tier]
    if words.get(chosen) != tier:
        chosen = next((w for w, t in words.items() if t == tier), chosen)
    return Projected(chosen, "status", f"按所述状态：{chosen}", f"by the stated status: {chosen}")
