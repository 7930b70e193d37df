"""Hypothesis strategies and the laws every scoring rule must obey, for plugin authors.

Install with ``pip install 'evalcore-jixiao[testing]'``. Then, in a plugin's tests:

```python
from evalcore.testing import check_rule_laws

def test_my_rule_obeys_the_laws():
    check_rule_laws("my-rule", params={"factor": 2})
```

`check_rule_laws` generates targets and actual values, scores them
through the real engine (compile, evaluate) and checks the laws below; a
broken law fails with Hypothesis's minimal counterexample. The strategies
(`target_texts`, `indicators`, `schemes`, `projects`)
are there for a plugin's own properties.

Laws:

- ``bounded`` — the rule's raw score lies within [0, points] (the engine caps
  scores, so a rule that relies on the cap is hiding a bug);
- ``met`` — full points whenever the target's comparison holds;
- ``monotone`` — more is never worse under ≥ and >, never better under ≤ and <;
- ``deterministic`` — the same input gives the same result;
- ``units`` — an actual written in another unit of the same dimension
  (万元 instead of 元) scores the same;
- ``errors`` — no exception but an `evalcore.EvalcoreError` escapes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

try:
    from hypothesis import HealthCheck, assume, given, settings
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - exercised by the missing-extra test
    raise ImportError(
        "evalcore.testing needs Hypothesis: pip install 'evalcore-jixiao[testing]'"
    ) from exc

from .api import compile as compile_scheme
from .compiler import rule_settings
from .errors import EvalcoreError
from .model import Actual, Budget, Indicator, Project, ProjectInfo, Scheme
from .numbers import HUNDRED
from .plugins import default_registry
from .quantities import Comparator, parse_target
from .registrations import Category
from .registry import Registry
from .results import Row, Status

__all__ = [
    "ALL_LAWS",
    "actuals_for",
    "amounts",
    "check_rule_laws",
    "indicators",
    "projects",
    "schemes",
    "target_texts",
]

ALL_LAWS = ("bounded", "met", "monotone", "deterministic", "units", "errors")
SYMBOLS = {Comparator.GE: "≥", Comparator.GT: ">", Comparator.LE: "≤", Comparator.LT: "<",
           Comparator.EQ: "="}
# Unit pairs of one dimension: (larger, smaller, how many smaller make one larger).
UNIT_PAIRS = (("万元", "元", 10000), ("亿元", "万元", 10000), ("周", "天", 7), ("年", "月", 12))


def amounts(min_value: int | Decimal = 0, max_value: int | Decimal = 10**6,
            places: int = 2) -> st.SearchStrategy[Decimal]:
    """Finite Decimals with at most ``places`` decimals: the numbers of real tables."""
    return st.decimals(min_value=min_value, max_value=max_value, places=places,
                       allow_nan=False, allow_infinity=False)


def target_texts(comparators: Sequence[Comparator] = tuple(Comparator),
                 units: Sequence[str] = ("", "%", "批次", "万元", "天"),
                 values: st.SearchStrategy[Decimal] | None = None) -> st.SearchStrategy[str]:
    """Targets as an evaluator writes them: ``≥400批次``, ``≤500万元``, ``=100%``."""
    return st.builds(lambda c, v, u: f"{SYMBOLS[c]}{v}{u}", st.sampled_from(comparators),
                     values if values is not None else amounts(), st.sampled_from(units))


@st.composite
def actuals_for(draw: st.DrawFn, target: str, registry: Registry | None = None,
                profile: str | None = None) -> str:
    """Actual values shaped for ``target``: numbers around it in its unit, dates around a
    deadline, and for a qualitative target the words of ``profile``'s qualitative rule
    (the default profile's when None) or an unknown word now and then."""
    reg = _registry(registry)
    parsed = parse_target(target, reg.units)
    if parsed.date is not None:
        shift = draw(st.integers(-90, 90))
        return str(parsed.date + dt.timedelta(days=shift))
    if parsed.quantity is not None:
        a = parsed.quantity.value
        b = draw(amounts(max(Decimal(-10), a - 1000), a * 3 + 1000, 3))
        return f"{b}{parsed.quantity.unit}"
    chosen = reg.profile(profile) if profile else reg.default_profile()
    settings = rule_settings(reg, chosen)("qualitative")
    words = sorted(settings.get("words", {})) or ["完成"]
    return draw(st.one_of(st.sampled_from(words), st.just("某种说法")))


def _registry(registry: Registry | None) -> Registry:
    return registry if registry is not None else default_registry()


def _scores_bare_rows(reg: Registry, category: Category) -> bool:
    """Whether a row of ``category`` with a numeric target and no ``params`` compiles under its
    default rule (a ``checklist`` category's rows need their conditions, ``items``): tried once
    per registry and category."""
    held = _BARE_ROWS.get(id(reg))
    if held is None or held[0] is not reg:  # a registry seen first, or another at a reused id
        held = _BARE_ROWS[id(reg)] = (reg, {})
        while len(_BARE_ROWS) > 8:
            del _BARE_ROWS[next(iter(_BARE_ROWS))]
    known = held[1]
    if category.name not in known:
        probe = Scheme("probe", (Indicator("p", "p", category.name, HUNDRED, "≥1"),),
                       settings={"weights": {}, "min_share": {}})
        try:
            known[category.name] = (reg.rules[category.default_rule].item.input == "value"
                                    and compile_scheme(probe, reg) is not None)
        except EvalcoreError:
            known[category.name] = False
    return known[category.name]


_BARE_ROWS: dict[int, tuple[Registry, dict[str, bool]]] = {}
"""`_scores_bare_rows`' answers for the last few registries (each held, so its id is not
reused while it is here), by category."""


@st.composite
def indicators(draw: st.DrawFn, registry: Registry | None = None,
               categories: Sequence[str] | None = None, points: Decimal | None = None,
               ident: str = "x") -> Indicator:
    """An indicator of a registered category with a numeric target."""
    reg = _registry(registry)
    names = categories or [n for n, e in reg.categories.items() if _scores_bare_rows(reg, e.item)]
    return Indicator(
        id=ident, name=f"指标{ident}", category=draw(st.sampled_from(sorted(names))),
        points=points if points is not None else draw(amounts(1, 100, 1)),
        target=draw(target_texts()),
    )


@st.composite
def schemes(draw: st.DrawFn, registry: Registry | None = None, total: int = 100,
            max_indicators: int = 8, budget: bool | None = None,
            categories: Sequence[str] | None = None) -> Scheme:
    """A scheme whose points add up to ``total`` (whole points), with or without a budget row."""
    with_budget = draw(st.booleans()) if budget is None else budget
    budget_points = Decimal(draw(st.integers(1, total // 5))) if with_budget else None
    remaining = total - int(budget_points or 0)
    n = draw(st.integers(1, max(1, min(max_indicators, remaining))))
    cuts = sorted(draw(st.lists(st.integers(1, remaining - 1), min_size=n - 1, max_size=n - 1,
                                unique=True))) if n > 1 else []
    weights = [Decimal(b - a) for a, b in zip([0, *cuts], [*cuts, remaining], strict=True)]
    rows = tuple(draw(indicators(registry, categories, w, f"i{i}")) for i, w in enumerate(weights))
    return Scheme("generated", rows, budget_points=budget_points,
                  settings={"weights": {}, "total": total})


@st.composite
def projects(draw: st.DrawFn, scheme: Scheme, missing: bool = False) -> Project:
    """A project with a numeric actual for every indicator of ``scheme`` (some left out if
    ``missing``), in the target's unit, and budget figures when the scheme has a budget row."""
    actuals = {}
    for ind in scheme.indicators:
        if missing and draw(st.booleans()):
            continue
        b = draw(amounts(-10, 10**7, 3))
        # A bare fraction against a percentage (0.5 against ≥85%) is refused as a slip for
        # 50%: the same amount is written with its unit, 0.5%.
        percent = isinstance(ind.target, str) and ind.target.rstrip().endswith("%")
        actuals[ind.id] = Actual(f"{b}%" if percent and 0 < b <= 1 else str(b), reason="说明")
    budget = None
    if scheme.budget_points is not None:
        budget = Budget(draw(amounts()), draw(amounts()))
    return Project(ProjectInfo("generated"), scheme, budget, actuals)


def _plan(registry: Registry, rule: str, target: str, points: Decimal, params: Mapping[str, Any],
          category: str) -> Any:
    rows = [Indicator("x", "x", category, points, target, rule=rule, params=params)]
    if points != 100:
        rows.append(Indicator("rest", "rest", category, HUNDRED - points, "≥0", rule=None))
    scheme = Scheme("laws", tuple(rows), settings={"weights": {}, "decimals": 6})
    return compile_scheme(scheme, registry)


def _score(plan: Any, actual: object, extra: Mapping[str, Any] | None = None) -> Any:
    project = Project(ProjectInfo("laws"), plan.scheme,
                      actuals={"x": Actual(actual, reason="r", extra=extra or {}),
                               "rest": Actual("0")})
    return plan.evaluate(project).rows[0]


def check_rule_laws(
    rule_type: str,
    *,
    registry: Registry | None = None,
    params: Mapping[str, Any] | None = None,
    comparators: Sequence[Comparator] = (Comparator.GE, Comparator.GT, Comparator.LE,
                                         Comparator.LT, Comparator.EQ),
    category: str | None = None,
    actuals: Callable[[Decimal, str], st.SearchStrategy[object]] | None = None,
    laws: Iterable[str] = ALL_LAWS,
    max_examples: int = 100,
) -> None:
    """Check the laws (see the module docstring) for ``rule_type``; AssertionError if one breaks.

    ``params`` are the rule's parameters; ``comparators`` the target forms it
    accepts; ``actuals(target_value, unit)`` a strategy of actual values for a
    rule that does not take plain numbers (the default draws numbers around the
    target). A law that does not apply to a rule is left out with ``laws``.
    """
    reg = _registry(registry)
    rule = reg.rule(rule_type).name  # KeyError with a hint for an unknown rule
    chosen = set(laws)
    unknown = chosen - set(ALL_LAWS)
    if unknown:
        raise ValueError(f"unknown laws {sorted(unknown)}; the laws are {', '.join(ALL_LAWS)}")
    cat = category or sorted(n for n, e in reg.categories.items() if e.item.direction == "higher"
                             and _scores_bare_rows(reg, e.item))[0]
    params = dict(params or {})
    draw_actual = actuals or _number_actuals

    @settings(max_examples=max_examples, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(data=st.data(), comparator=st.sampled_from(list(comparators)),
           a=amounts(0, 10**5, 2), points=amounts(1, 100, 1), pair=st.sampled_from(UNIT_PAIRS))
    def laws_hold(data: st.DataObject, comparator: Comparator, a: Decimal, points: Decimal,
                  pair: tuple[str, str, int]) -> None:
        big, small, factor = pair
        target = f"{SYMBOLS[comparator]}{a}{big}"
        try:
            plan = _plan(reg, rule, target, points, params, cat)
        except EvalcoreError:
            assume(False)  # the rule refuses this target: allowed (it is located); never all of them
        b1 = data.draw(draw_actual(a, big), label="actual")
        b2 = data.draw(draw_actual(a, big), label="another actual")
        r1, r2 = _score_pair(plan, b1, b2, rule, target, "errors" in chosen)
        if "bounded" in chosen:
            _check_bounded(rule, target, (r1, r2))
        if "deterministic" in chosen:
            assert _score(plan, b1) == r1, f"{rule}: two runs differ for {b1!r}"
        values = [(r, _number(r.actual, big)) for r in (r1, r2)]
        if "met" in chosen:
            _check_met(rule, target, comparator, a, values)
        if "monotone" in chosen and all(b is not None for _, b in values):
            _check_monotone(rule, target, comparator, values)
        if "units" in chosen:
            _check_units(rule, plan, values, small, factor)

    laws_hold()


def _number_actuals(a: Decimal, unit: str) -> st.SearchStrategy[object]:
    """Numbers around the target ``a``, written in ``unit``: the default actual values. A and
    the numbers within 1 of it are drawn as often as the wide range, since a rule's edges are
    there (B = A under a strict target, B just short of A), and a draw from thousands rarely
    lands on them."""
    near = amounts(max(Decimal(-10), a - 1000), a * 3 + 1000, 3)
    close = st.integers(-1000, 1000).map(lambda k: a + k * Decimal("0.001"))
    return st.one_of(st.just(a), close, near).map(lambda b: f"{b}{unit}")


def _score_pair(plan: Any, b1: object, b2: object, rule: str, target: str,
                errors: bool) -> tuple[Row, Row]:
    """Both actuals' rows. A located refusal (EvalcoreError) of an actual is allowed; with the
    ``errors`` law, any other exception breaks it."""
    try:
        return _score(plan, b1), _score(plan, b2)
    except EvalcoreError:
        assume(False)  # a located refusal of this actual is allowed
        raise  # not reached: assume(False) ends the example
    except Exception as exc:
        if errors:
            raise AssertionError(f"{rule}: {type(exc).__name__} escaped for target "
                                 f"{target!r}: {exc}") from exc
        raise


def _check_bounded(rule: str, target: str, rows: Iterable[Row]) -> None:
    for r in rows:
        raw = r.trace.raw
        assert raw is None or 0 <= raw <= r.points, (
            f"{rule}: raw score {raw} outside [0, {r.points}] for target {target!r}, "
            f"actual {r.actual!r}")


def _check_met(rule: str, target: str, comparator: Comparator, a: Decimal,
               values: Sequence[tuple[Row, Decimal | None]]) -> None:
    for r, b in values:
        if b is not None and comparator.holds(b, a):
            assert r.score == r.points and r.status is Status.MET, (
                f"{rule}: target {target!r} met by {r.actual!r} but scored "
                f"{r.score} of {r.points} ({r.status.value})")


def _check_monotone(rule: str, target: str, comparator: Comparator,
                    values: Sequence[tuple[Row, Decimal | None]]) -> None:
    (ra, _), (rb, _) = sorted(values, key=lambda v: v[1])  # type: ignore[arg-type, return-value]
    if comparator.higher_is_better is True:
        assert ra.score <= rb.score, (f"{rule}: under {target!r}, {ra.actual} scores "
                                      f"{ra.score} but more ({rb.actual}) scores {rb.score}")
    elif comparator.higher_is_better is False:
        assert ra.score >= rb.score, (f"{rule}: under {target!r}, {rb.actual} scores "
                                      f"{rb.score} but less ({ra.actual}) scores {ra.score}")


def _check_units(rule: str, plan: Any, values: Sequence[tuple[Row, Decimal | None]], small: str,
                 factor: int) -> None:
    for r, b in values:
        if b is not None:
            other = _score(plan, f"{b * factor}{small}")
            assert other.score == r.score, (
                f"{rule}: {r.actual} scores {r.score} but the same amount written "
                f"as {b * factor}{small} scores {other.score}")


def _number(text: str, unit: str) -> Decimal | None:
    """The number of an actual written as ``<number><unit>``, else None (a word, a date)."""
    if not text.endswith(unit):
        return None
    try:
        return Decimal(text[: len(text) - len(unit)] if unit else text)
    except ArithmeticError:
        return None

