"""Deduction rules (扣分): start from the points and take off what the local rule says.

The local rules of domain.md §4 that the national formulas do not cover, as
three rule types. A = target, B = actual (in the target's unit), w = points;
every score is floored at 0 ("扣完为止") and never exceeds w.

- ``deduction`` — "缺一项扣0.5分": w − Σ count × per, each item optionally
  capped. The count is the actual itself (``per``) or, for several kinds of
  item, one count per item in the actual's ``extra`` table (``items``).
- ``steps`` — "≥90% 满分, 每降5个百分点扣1分, 扣完为止": w − steps × deduct, where
  the steps are the shortfall from ``full_at`` divided by ``every``; how a part
  of a step counts (``partial``) must be chosen by the scheme's author.
- ``tolerance`` — "±10% → 5, ±10–15% → 3, ±15–20% → 1, else 0": the relative
  deviation d = |B − A| / A picks the first range with d ≤ ``within``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

import attrs

from evalcore.plugin import (
    ZERO,
    Observation,
    Outcome,
    Param,
    RuleContext,
    RuleType,
    Scorer,
    Status,
    actual_number,
    boolean,
    choice,
    decimal,
    extra_number,
    hookimpl,
    notes,
    numeric_target,
    outcome,
    partial,
    positive,
    suggest,
    to_decimal,
)
from evalcore.plugin import format_approx as show
from evalcore.plugin import format_decimal as fmt

# --- parameter converters ----------------------------------------------------------------------


def optional_cap(value: Any) -> Decimal:
    """A cap on a deduction: a number ≥ 0."""
    result = to_decimal(value)
    if result < 0:
        raise ValueError(f"{value} is negative; a cap is the most that can be taken off")
    return result


def _table(value: Any, where: str, keys: tuple[str, ...]) -> Mapping[str, Any]:
    """One table of an array parameter, with its keys checked ("did you mean")."""
    if not isinstance(value, Mapping):
        raise ValueError(f"{where} must be a table {{ {', '.join(keys)} }}, not {value!r}")
    for key in value:
        if key not in keys:
            hint = suggest(str(key), keys)
            raise ValueError(f"{where} has no key {key!r}; " + (hint or f"the keys are {', '.join(keys)}"))
    return value


def _number(table: Mapping[str, Any], key: str, where: str, convert: Any) -> Decimal:
    try:
        result: Decimal = convert(table[key])
    except ValueError as exc:
        raise ValueError(f"{where}.{key}: {exc}") from None
    return result


@attrs.frozen
class Item:
    """One kind of deduction item: its key in ``extra``, its name, points per unit and cap."""

    id: str
    name: str
    per: Decimal
    cap: Decimal | None = None

    @property
    def label(self) -> str:
        return self.name or self.id

    def __str__(self) -> str:
        cap = f", cap {fmt(self.cap)}" if self.cap is not None else ""
        name = f" {self.name}" if self.name else ""
        return f"{self.id}{name}: {fmt(self.per)} each{cap}"


class Items(tuple[Item, ...]):
    """The ``items`` parameter; shown in traces one item after another."""

    def __str__(self) -> str:
        return "; ".join(str(item) for item in self)


ITEM_KEYS = ("id", "name", "per", "cap")


def items(value: Any) -> Items:
    """``[{ id = "ledger", name = "缺少台账", per = 0.5, cap = 2 }, ...]``: ids unique, per > 0."""
    if not isinstance(value, list) or not value:
        raise ValueError("expected a non-empty array of tables { id, name, per, cap }")
    out: list[Item] = []
    for i, raw in enumerate(value):
        where = f"items[{i}]"
        table = _table(raw, where, ITEM_KEYS)
        ident = table.get("id")
        if not isinstance(ident, str) or not ident.strip():
            raise ValueError(f"{where}.id must be non-empty text (the item's key in the actual's extra)")
        if any(item.id == ident for item in out):
            raise ValueError(f"{where}.id {ident!r} is used by two items")
        name = table.get("name", "")
        if not isinstance(name, str):
            raise ValueError(f"{where}.name must be text, not {name!r}")
        if "per" not in table:
            raise ValueError(f"{where} ({ident}) needs per, the points taken off per unit")
        per = _number(table, "per", where, positive)
        cap = _number(table, "cap", where, optional_cap) if "cap" in table else None
        out.append(Item(ident, name, per, cap))
    return Items(out)


@attrs.frozen
class Range:
    """One tolerance range: deviations up to ``within`` earn ``share`` of w, or ``score`` points."""

    within: Decimal
    share: Decimal | None = None
    score: Decimal | None = None

    def points(self, w: Decimal) -> Decimal:
        if self.score is not None:
            return self.score
        assert self.share is not None
        return self.share * w

    def __str__(self) -> str:
        earns = f"share {fmt(self.share)}" if self.share is not None else f"score {fmt(self.score or ZERO)}"
        return f"≤{_percent(self.within)} → {earns}"


class Ranges(tuple[Range, ...]):
    """The ``ranges`` parameter; shown in traces one range after another."""

    def __str__(self) -> str:
        return "; ".join(str(r) for r in self)


RANGE_KEYS = ("within", "share", "score")


def ranges(value: Any) -> Ranges:
    """``[{ within = 0.10, share = 1 }, ...]``: ``within`` ≥ 0 strictly increasing; share in [0, 1]
    or score ≥ 0 (exactly one of them)."""
    if not isinstance(value, list) or not value:
        raise ValueError("expected a non-empty array of tables { within, share } or { within, score }")
    out: list[Range] = []
    for i, raw in enumerate(value):
        where = f"ranges[{i}]"
        table = _table(raw, where, RANGE_KEYS)
        if "within" not in table:
            raise ValueError(f"{where} needs within, the largest deviation it covers (0.10 = 10%)")
        within = _number(table, "within", where, decimal(0))
        if ("share" in table) == ("score" in table):
            raise ValueError(f"{where} needs exactly one of share (of the points) or score (points)")
        share = _number(table, "share", where, decimal(0, 1)) if "share" in table else None
        score = _number(table, "score", where, decimal(0)) if "score" in table else None
        if out and within <= out[-1].within:
            raise ValueError(f"{where}.within {fmt(within)} is not above the previous range's "
                             f"{fmt(out[-1].within)}; list the ranges from the narrowest")
        out.append(Range(within, share, score))
    return Ranges(out)


def _percent(fraction: Decimal) -> str:
    return show(fraction * 100, 2) + "%"


# --- deduction ---------------------------------------------------------------------------------


def _check_count_target(ctx: RuleContext, rule: str) -> None:
    """A deduction counts every unit of the actual, so its target is 0 or words ("无违规")."""
    target = ctx.target
    if target is None or target.qualitative:
        return
    if target.date is not None:
        raise ValueError(f"the {rule} rule counts items; the date target {target} needs rule = \"deadline\"")
    assert target.quantity is not None
    if target.quantity.value != 0:
        raise ValueError(
            f"the {rule} rule takes points off for every unit of the actual, so a target of {target} "
            "is ambiguous (are the first units free?); write the target as 0 or in words, e.g. \"无违规\"")


def _floored(expression: str, raw: Decimal) -> tuple[Decimal, str]:
    """The score floored at 0 ("扣完为止") and the formula showing it."""
    if raw < 0:
        return ZERO, f"{expression} = {show(raw)} → 0"
    return raw, f"{expression} = {show(raw)}"


def compile_deduction(params: Mapping[str, Any], ctx: RuleContext) -> Scorer:
    """w − count × per (at most ``cap``), floor 0: "每发现1项问题扣1分，扣完为止".

    Give either ``per`` — the actual is the count ("3项" against the target "0项"
    or "无违规") — or ``items``, several kinds of item each with its own ``per``
    and optional ``cap``, counted in the actual's ``extra`` table
    (``extra = { ledger = 2, late = 1 }``; an id in Chinese is quoted there, as
    TOML wants for keys beyond ASCII letters, digits, - and _):
    w − Σ min(countᵢ × perᵢ, capᵢ).
    With ``items``, ``cap`` caps the total deduction. A count is a number ≥ 0
    (a fraction where per is per unit of an amount, e.g. 万元 overspent).
    An item missing from ``extra`` is an error unless ``missing_is_zero = true``;
    a key of ``extra`` that is not an item is an error. The target is shown,
    never used in the arithmetic: it must be 0 or words.
    """
    per, cap, kinds = params["per"], params["cap"], params["items"]
    if per is not None and kinds:
        raise ValueError("give either per (the actual is the count) or items (counts in the actual's "
                         "extra), not both")
    if per is None and not kinds:
        raise ValueError("needs per (points off per unit of the actual) or items (several kinds of "
                         "item counted in the actual's extra)")
    _check_count_target(ctx, "deduction")
    if kinds:
        return _items_scorer(kinds, cap, params["missing_is_zero"], ctx)
    w = ctx.points
    numeric = ctx.target is not None and ctx.target.quantity is not None

    def score(obs: Observation) -> Outcome:
        if numeric:
            count = actual_number(obs, ctx)
        elif obs.value.quantity is not None:
            count = obs.value.quantity.value
        else:
            raise ValueError(f"the deduction rule needs the number of items as the actual (e.g. \"0项\" "
                             f"or \"3项\"), not {obs.value.text!r}")
        if count < 0:
            raise ValueError(f"the count {fmt(count)} is negative")
        off, term = count * per, f"{fmt(count)}×{fmt(per)}"
        if cap is not None:
            off, term = min(off, cap), f"min({term}, {fmt(cap)})"
        raw, formula = _floored(f"{fmt(w)} − {term}", w - off)
        return outcome(ctx, obs, raw, formula)

    return score


def _items_scorer(kinds: Items, cap: Decimal | None, missing_is_zero: bool, ctx: RuleContext) -> Scorer:
    w = ctx.points
    ids = [item.id for item in kinds]

    def counts(obs: Observation) -> Iterator[tuple[Item, Decimal]]:
        for key in obs.extra:
            if key not in ids:
                hint = suggest(str(key), ids)
                raise ValueError(f"extra.{key} is not a deduction item of this indicator; "
                                 + (hint or f"the items are {', '.join(ids)}"))
        for item in kinds:
            if item.id not in obs.extra:
                if missing_is_zero:
                    yield item, ZERO
                    continue
                named = f" ({item.name})" if item.name else ""
                raise ValueError(f"extra.{item.id}{named} is missing: give its count (0 if "
                                 "there was none), or set missing_is_zero = true")
            count = extra_number(obs, item.id)
            if count < 0:
                raise ValueError(f"extra.{item.id}: the count {fmt(count)} is negative")
            yield item, count

    def score(obs: Observation) -> Outcome:
        terms: list[str] = []
        seen: list[tuple[str, Decimal]] = []
        total = ZERO
        for item, count in counts(obs):
            off, term = count * item.per, f"{fmt(count)}×{fmt(item.per)}"
            if item.cap is not None:
                off, term = min(off, item.cap), f"min({term}, {fmt(item.cap)})"
            terms.append(term)
            total += off
            if count:
                seen.append((item.label, count))
        if cap is not None:
            expression = f"{fmt(w)} − min({' + '.join(terms)}, {fmt(cap)})"
            total = min(total, cap)
        else:
            expression = " − ".join([fmt(w), *terms])
        raw, formula = _floored(expression, w - total)
        result = outcome(ctx, obs, raw, formula)
        zh, en = _item_notes(ctx, obs, result.status, seen)
        return attrs.evolve(result, note_zh=zh, note_en=en)

    return score


def _item_notes(ctx: RuleContext, obs: Observation, status: Status,
                seen: list[tuple[str, Decimal]]) -> tuple[str, str]:
    actual = f"，实际{obs.value.text}" if obs.value.text else ""
    listed = "、".join(f"{label}×{fmt(count)}" for label, count in seen)
    zh = f"目标{ctx.target_text}{actual}，" + (f"扣分项：{listed}" if seen else "无扣分项")
    actual_en = f", actual {obs.value.text}" if obs.value.text else ""
    listed_en = ", ".join(f"{label} ×{fmt(count)}" for label, count in seen)
    en = f"target {ctx.target_text}{actual_en}, " + (f"deducted: {listed_en}" if seen else "nothing deducted")
    return f"{zh}，{status.zh}", f"{en}: {status.value}"


# --- steps -------------------------------------------------------------------------------------


def compile_steps(params: Mapping[str, Any], ctx: RuleContext) -> Scorer:
    """w − n × deduct, floor 0, where n counts the steps of size ``every`` beyond ``full_at``.

    ``direction = "higher"``: the shortfall is full_at − V when V < full_at;
    ``"lower"`` (costs, days): the excess V − full_at when V > full_at. V is B in
    the target's unit (``on = "actual"``: with a target in %, full_at = 90 and
    every = 5 are percentage points) or B / A (``on = "ratio"``: 1 = the target
    reached, so full_at = 0.9 and every = 0.05 are 90% and 5% of the target).
    ``partial`` says how a part of a step counts, n from gap / every:

    - ``"ceil"``: a started step counts whole (不足一档按一档计): 89% → 1 step;
    - ``"floor"``: only completed steps count: 89% → 0 steps, full points, but
      the row is still partly met since V missed ``full_at``;
    - ``"proportional"``: the exact fraction: 89% → 0.2 of a step.

    The direction must agree with the target's symbol (≥ > higher, ≤ < lower).
    """
    full_at, every, deduct = params["full_at"], params["every"], params["deduct"]
    mode, on, direction = params["partial"], params["on"], params["direction"]
    target, w, higher = ctx.target, ctx.points, direction == "higher"
    _check_direction(ctx, direction)
    a = None
    if on == "ratio":
        _, a = numeric_target(ctx)
        if a <= 0:
            raise ValueError(f"on = \"ratio\" divides by the target, which must be above 0, not {target}")
    unit = _steps_unit(ctx, full_at) if on == "actual" else ""
    target_value = target.quantity.value if target is not None and target.quantity is not None else None

    def score(obs: Observation) -> Outcome:
        b = actual_number(obs, ctx)
        ratio = None
        if target_value is not None and target_value > 0 and b > 0:
            ratio = b / target_value if higher else target_value / b
        if a is not None:
            value, shown = b / a, f"B/A = {fmt(b)}/{fmt(a)} = {show(b / a)}"
        else:
            value, shown = b, f"B = {fmt(b)}{unit}"
        gap = full_at - value if higher else value - full_at
        edge = f"full at {fmt(full_at)}{unit}"
        if gap <= 0:
            sign = "≥" if higher else "≤"
            return outcome(ctx, obs, w, f"{shown} {sign} {fmt(full_at)}{unit} → {fmt(w)}", ratio)
        exact = gap / every
        difference = (f"({fmt(full_at)} − {show(value)})" if higher
                      else f"({show(value)} − {fmt(full_at)})")
        plural = "" if exact == 1 else "s"
        n, counted = _steps(exact, mode)
        counted_zh = _STEPS_ZH[mode].format(fmt(n))
        formula = f"{shown}, {edge}: {difference}/{fmt(every)} = {show(exact)} step{plural}{counted}"
        formula_zh = (f"{shown}，{fmt(full_at)}{unit}起得满分：{difference}/{fmt(every)} = "
                      f"{show(exact)}档{counted_zh}")
        tail = f"{fmt(w)} − {show(n)} × {fmt(deduct)}"
        raw, formula = _floored(f"{formula}; {tail}", w - n * deduct)
        _, formula_zh = _floored(f"{formula_zh}；{tail}", w - n * deduct)
        return attrs.evolve(partial(ctx, obs, raw, formula, ratio), formula_zh=formula_zh)

    return score


def _check_direction(ctx: RuleContext, direction: str) -> None:
    """A numeric target whose symbol, if any, agrees with ``direction`` (≥ > higher, ≤ < lower)."""
    target = ctx.target
    if target is not None and target.date is not None:
        raise ValueError(f"the steps rule needs a numeric target, not the date {target}; "
                         "use rule = \"deadline\"")
    better = target.comparator.higher_is_better if target is not None and target.comparator else None
    if better is not None and better != (direction == "higher"):
        want = "higher" if better else "lower"
        raise ValueError(f"direction = \"{direction}\" contradicts the target {target}; "
                         f"set direction = \"{want}\"")


def _steps_unit(ctx: RuleContext, full_at: Decimal) -> str:
    """The unit V is read in when the steps test the actual: the target's. In %, ``full_at`` is
    in percentage points, so a fraction that matches the target (0.9 for ≥90%) is refused."""
    target = ctx.target
    if target is None or target.quantity is None:
        return ""
    unit = target.quantity.unit
    if unit == "%" and full_at * 100 == target.quantity.value and full_at != 0:
        raise ValueError(f"full_at = {fmt(full_at)} looks like a fraction, but the actual is read in % "
                         f"(percentage points); write full_at = {fmt(target.quantity.value)}")
    return unit


_STEPS_ZH = {"ceil": "，不足一档按一档计 → {}", "floor": "，只计整档 → {}", "proportional": ""}
"""`_steps`'s words in Chinese, by ``partial`` mode (``{}`` is the steps counted)."""


def _steps(exact: Decimal, mode: str) -> tuple[Decimal, str]:
    """How many steps a gap of ``exact`` steps counts under ``partial``, and how a trace says so."""
    if mode == "ceil":
        n = exact.to_integral_value(rounding=ROUND_CEILING)
        return n, f", a started step counts → {fmt(n)}"
    if mode == "floor":
        n = exact.to_integral_value(rounding=ROUND_FLOOR)
        return n, f", whole steps only → {fmt(n)}"
    return exact, ""


# --- tolerance ---------------------------------------------------------------------------------


def compile_tolerance(params: Mapping[str, Any], ctx: RuleContext) -> Scorer:
    """The first range with d = |B − A| / A ≤ ``within`` (inclusive) gives its ``share`` of w
    (or its ``score``); beyond the last range, ``otherwise`` × w (default 0).

    ``within`` is a fraction (0.10 = ±10%); the ranges are listed from the
    narrowest and may not earn more as they widen. A > 0 is required. Met only
    inside the first range; partly met or missed outside it. The target's
    symbol is not used: the deviation counts both ways.
    """
    target, a = numeric_target(ctx)
    if a <= 0:
        raise ValueError(f"the tolerance rule divides by the target, which must be above 0, not {target}")
    w, bands, otherwise = ctx.points, params["ranges"], params["otherwise"]
    earned: list[Decimal] = []
    for i, band in enumerate(bands):
        points = band.points(w)
        if points > w:
            raise ValueError(f"ranges[{i}].score {fmt(points)} is above the indicator's {fmt(w)} points")
        if earned and points > earned[-1]:
            raise ValueError(f"ranges[{i}] earns {fmt(points)}, more than the narrower range before it "
                             f"({fmt(earned[-1])}); a wider deviation may not score higher")
        earned.append(points)
    rest = otherwise * w
    if rest > earned[-1]:
        raise ValueError(f"otherwise = {fmt(otherwise)} earns more than the widest range")
    labels, low = [], ""
    for band in bands:
        labels.append(f"±{low}{_percent(band.within)}")
        low = f"{_percent(band.within)[:-1]}–"

    def score(obs: Observation) -> Outcome:
        b = actual_number(obs, ctx)
        d = abs(b - a) / a
        ratio = None  # a deviation either way is what costs points: no over-achievement here
        shown = f"d = |{fmt(b)} − {fmt(a)}|/{fmt(a)} = {_percent(d)}"
        for i, band in enumerate(bands):
            if d <= band.within:
                earns = (f"{fmt(w)} × {fmt(band.share)} = {show(earned[i])}" if band.share is not None
                         else fmt(earned[i]))
                formula = f"{shown} ≤ {_percent(band.within)} → {earns}"
                if i == 0:
                    zh, en = notes(ctx, obs, Status.MET)
                    return Outcome(earned[i], Status.MET, formula, zh, en, ratio, labels[i])
                return partial(ctx, obs, earned[i], formula, ratio, labels[i])
        formula = (f"{shown} > {_percent(bands[-1].within)} → {fmt(w)} × {fmt(otherwise)} = {show(rest)}")
        return partial(ctx, obs, rest, formula, ratio, "otherwise")

    return score


@hookimpl
def evalcore_rule_types() -> list[RuleType]:
    return [
        RuleType("deduction", compile_deduction, (
            Param("per", positive, None, "Points off per unit of the actual (the single-item form)."),
            Param("cap", optional_cap, None, "The most that can be taken off in all (optional)."),
            Param("items", items, Items(),
                  "Kinds of item, each { id, name, per, cap }, counted in the actual's extra table."),
            Param("missing_is_zero", boolean, False,
                  "Count an item missing from extra as 0 (by default it is an error)."),
        ), compile_deduction.__doc__ or "", itemised=True),
        RuleType("steps", compile_steps, (
            Param("full_at", decimal(), doc="Full points at or beyond this value."),
            Param("every", positive, doc="The size of one step beyond full_at."),
            Param("deduct", positive, doc="Points taken off per step."),
            Param("partial", choice("ceil", "floor", "proportional"),
                  doc="How a part of a step counts: ceil (a whole step), floor (nothing), "
                      "proportional (its fraction). No default: the scheme must say."),
            Param("on", choice("actual", "ratio"), "actual",
                  "actual: B in the target's unit; ratio: B / A (1 = the target)."),
            Param("direction", choice("higher", "lower"), "higher",
                  "higher: below full_at loses; lower (costs, days): above full_at loses."),
        ), compile_steps.__doc__ or ""),
        RuleType("tolerance", compile_tolerance, (
            Param("ranges", ranges, doc="[{ within = 0.10, share = 1 }, ...], narrowest first; "
                                        "score instead of share gives points."),
            Param("otherwise", decimal(0, 1), ZERO, "Share of the points beyond the widest range."),
        ), compile_tolerance.__doc__ or ""),
    ]
