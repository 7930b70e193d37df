"""The peer benchmark's workload (issue 10), built in code with a fixed seed.

One 20-row scheme on the national-2020 profile (the budget row plus 19
indicators: 8 positive, 2 reverse, 2 equality, 3 qualitative, 2 bands, 2 more
positive) and ``n`` random projects with realistic values (most targets met,
some missed, some far over, a few actuals and reasons left out, some
qualitative rows with the evaluator's own score). The same projects come in
three forms, so every implementation measured gets the input it would get in
real use:

* `Workload.projects`: evalcore `Project` objects (what ``plan.evaluate`` takes);
* `Workload.columns`: plain columns, one project per row, as the columnar
  contract names them (``project``, ``budget_planned``, ``budget_executed``,
  one column per indicator id, ``<id>.assessed`` and ``<id>.reason``): what
  ``plan.evaluate_table`` and ``evalcore batch`` read. Counts, money and days
  are written with their unit ("412批次", "480.5万元", "28天"), percentages as
  plain numbers in the target's unit (96.5 against "≥95%"), words as words;
* `Workload.numbers`: the same plain columns with the numbers already read, as
  pandas gets them: every count, amount, number of days and percentage a
  float64 in the target's unit (412.0, 480.5, 96.5), null where not reported,
  words as words: what ``plan.evaluate_table`` reads in the fair comparison
  with pandas (the same input, not text to parse);
* `Workload.parsed`: the numbers already read (`Decimal` in the target's unit,
  words as words), as a budget system holds them in its database: the input of
  the hand-written loop.

`hand_evaluate` is that loop: the national formulas of the rulebook written
out by hand for this one scheme, exact `Decimal` arithmetic, each row rounded
half up to 2 decimals and the total the sum of the rounded rows, no engine.
It is the reference every implementation is compared with (its totals must be
identical to evalcore's; tests/test_benchmarks.py checks that on a few hundred
projects, so the reference cannot drift from the engine).
"""

from __future__ import annotations

import decimal
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from evalcore import Actual, Indicator, Project, ProjectInfo, Scheme
from evalcore.model import Budget

__all__ = [
    "BANDS",
    "BUDGET_POINTS",
    "MISSED_REASON",
    "PROFILE",
    "ROWS",
    "SEED",
    "WORDS",
    "Parsed",
    "Row",
    "Workload",
    "check_against",
    "grade",
    "hand_evaluate",
    "iter_columns",
    "iter_parsed",
    "make_project",
    "make_scheme",
    "make_workload",
    "scheme_toml",
]

SEED = 20201  # the fixed seed: the same projects on every run and every machine
PROFILE = "national-2020"
BUDGET_POINTS = Decimal(10)
MISSED_REASON = "受疫情影响，部分工作延后，已调整计划"

ZERO, ONE, CENT = Decimal(0), Decimal(1), Decimal("0.01")
# The engine computes in a 40-digit context rounding half up; so does the hand loop.
_CONTEXT = decimal.Context(prec=40, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Row:
    """One indicator of the workload's scheme and how its random actual values are drawn.

    ``kind`` is the national rule it falls under (positive, reverse, equality,
    qualitative, bands); ``target`` the value A in ``unit`` (None for words);
    ``written`` how the plain column carries the actual: "unit" = text with its
    unit ("412批次"), "number" = a bare number in the target's unit, "word" = a word.
    ``step`` is the precision actual values are drawn at; ``ceiling`` caps them
    (a percentage above 100 would be unrealistic).
    """

    id: str
    name: str
    category: str
    points: Decimal
    kind: str
    target_text: str
    target: Decimal | None
    unit: str
    written: str
    step: Decimal = ONE
    ceiling: Decimal | None = None


def _r(id: str, name: str, category: str, points: int, kind: str, target_text: str,
       target: str | None, unit: str, written: str, step: str = "1", ceiling: str | None = None) -> Row:
    return Row(id, name, category, Decimal(points), kind, target_text,
               None if target is None else Decimal(target), unit, written, Decimal(step),
               None if ceiling is None else Decimal(ceiling))


# Outputs 50, benefits 30, satisfaction 10, plus the budget row's 10: the national weights.
ROWS: tuple[Row, ...] = (
    _r("q1", "抽检产品批次", "quantity", 5, "positive", "≥400批次", "400", "批次", "unit"),
    _r("q2", "新建监测站点", "quantity", 5, "positive", "≥12个", "12", "个", "unit"),
    _r("q3", "培训人次", "quantity", 5, "positive", "≥2000人次", "2000", "人次", "unit"),
    _r("q4", "抽检合格率", "quality", 5, "positive", "≥95%", "95", "%", "number", "0.1", "100"),
    _r("q5", "数据准确率", "quality", 4, "positive", "≥98%", "98", "%", "number", "0.1", "100"),
    _r("t1", "任务按时完成率", "timeliness", 4, "positive", "≥90%", "90", "%", "number", "0.1", "100"),
    _r("b1", "检测覆盖率", "quality", 5, "bands", "≥95%", "95", "%", "number", "0.1", "100"),
    _r("c1", "检测成本", "cost", 5, "reverse", "≤500万元", "500", "万元", "unit", "0.1"),
    _r("t2", "报告出具时间", "timeliness", 4, "reverse", "≤30天", "30", "天", "unit"),
    _r("e1", "设备完好率", "quality", 4, "equality", "=100%", "100", "%", "number", "0.1", "100"),
    _r("e2", "安全事故", "quality", 4, "equality", "=0次", "0", "次", "unit"),
    _r("p1", "带动产值", "economic", 5, "positive", "≥1000万元", "1000", "万元", "unit", "0.1"),
    _r("p2", "问题整改率", "social", 5, "positive", "≥85%", "85", "%", "number", "0.1", "100"),
    _r("l1", "监管能力", "social", 5, "qualitative", "显著提升", None, "", "word"),
    _r("l2", "生态环境改善", "ecological", 5, "qualitative", "有效", None, "", "word"),
    _r("l3", "长效机制", "sustainability", 5, "qualitative", "长期", None, "", "word"),
    _r("b2", "群众知晓率", "social", 5, "bands", "≥80%", "80", "%", "number", "0.1", "100"),
    _r("s1", "企业满意度", "satisfaction", 5, "positive", "≥90%", "90", "%", "number", "0.1", "100"),
    _r("s2", "群众满意度", "satisfaction", 5, "positive", "≥85%", "85", "%", "number", "0.1", "100"),
)

# The two ``bands`` rows' decision table on B/A (hit policy unique): (lowest ratio, share of w).
BANDS: tuple[tuple[Decimal, Decimal], ...] = (
    (Decimal(1), ONE), (Decimal("0.9"), Decimal("0.8")), (Decimal("0.8"), Decimal("0.5")), (ZERO, ZERO))
_BAND_ROWS = [
    {"id": "full", "when": ">= 1", "share": 1},
    {"id": "most", "when": "[0.9, 1)", "share": 0.8},
    {"id": "half", "when": "[0.8, 0.9)", "share": 0.5},
    {"id": "none", "when": "< 0.8", "share": 0},
]

# Words the national-2020 profile knows, by tier, and the share of w each tier's default gives.
WORDS: dict[str, tuple[str, ...]] = {
    "met": ("显著提升", "有效", "达成年度指标", "已完成", "长期", "明显改善"),
    "partly": ("基本完成", "部分达成", "有一定效果"),
    "missed": ("未完成", "效果较差"),
}
_TIER_OF = {word: tier for tier, words in WORDS.items() for word in words}
_DEFAULT_SHARE = {"met": ONE, "partly": Decimal("0.6"), "missed": ZERO}
# Each tier's band of shares of w (national-2020: 80/60): low, high, high included.
_TIER_BAND = {"met": (Decimal("0.8"), ONE), "partly": (Decimal("0.6"), Decimal("0.8")),
              "missed": (ZERO, Decimal("0.6"))}

Value = Decimal | str | None
# One project as the hand loop reads it: name, planned, executed, then per indicator its value
# (Decimal in the target's unit, a word, or None) and its assessed score (or None).
Parsed = tuple[str, Decimal, Decimal, tuple[tuple[Value, Decimal | None], ...]]


def make_scheme() -> Scheme:
    """The 20-row scheme: budget 10 and the 19 indicators of `ROWS`, on national-2020."""
    indicators = []
    for row in ROWS:
        if row.kind == "bands":
            indicators.append(Indicator(row.id, row.name, row.category, row.points, row.target_text,
                                        rule="bands", params={"rows": _BAND_ROWS}))
        else:
            indicators.append(Indicator(row.id, row.name, row.category, row.points, row.target_text))
    return Scheme("peer-benchmark", tuple(indicators), profile=PROFILE, budget_points=BUDGET_POINTS)


def scheme_toml() -> str:
    """`make_scheme` as a scheme file (the ``--scheme`` of ``evalcore batch``)."""
    lines = ["# The peer benchmark's scheme (benchmarks/workload.py writes it; illustrative, not real).",
             "[scheme]", f'name = "{make_scheme().name}"', f'profile = "{PROFILE}"', "",
             "[budget]", f"points = {BUDGET_POINTS}", ""]
    for row in ROWS:
        lines += ["[[indicator]]", f'id = "{row.id}"', f'name = "{row.name}"',
                  f'category = "{row.category}"', f'target = "{row.target_text}"',
                  f"points = {row.points}"]
        if row.kind == "bands":
            cells = ", ".join(f'{{ id = "{r["id"]}", when = "{r["when"]}", share = {r["share"]} }}'
                              for r in _BAND_ROWS)
            lines += ['rule = "bands"', "[indicator.params]", f"rows = [{cells}]"]
        lines.append("")
    return "\n".join(lines)


@dataclass(frozen=True)
class Workload:
    """``n`` projects in the three forms described in the module docstring."""

    scheme: Scheme
    projects: list[Project]
    columns: dict[str, list[object]]
    parsed: list[Parsed]
    numbers: dict[str, list[object]]

    def __len__(self) -> int:
        return len(self.projects)


def _draw_ratio(rng: random.Random) -> Decimal | None:
    """B/A (or A/B for a reverse row): mostly met, some missed, some far over, a few missing."""
    roll = rng.random()
    if roll < 0.015:
        return None
    if roll < 0.60:
        return Decimal(rng.randint(1000, 1150)) / 1000  # met
    if roll < 0.75:
        return Decimal(rng.randint(1200, 1600)) / 1000  # over (a finding above 1.2)
    return Decimal(rng.randint(550, 999)) / 1000  # missed


def _on_step(value: Decimal, row: Row) -> Decimal:
    value = value.quantize(row.step, rounding=ROUND_HALF_UP)
    if row.ceiling is not None:
        value = min(value, row.ceiling)
    return max(value, ZERO)


def _draw_number(rng: random.Random, row: Row) -> Decimal | None:
    assert row.target is not None
    if row.kind == "equality":
        if row.target == 0:  # zero accidents: usually none, sometimes a few
            return Decimal(0) if rng.random() < 0.85 else Decimal(rng.randint(1, 3))
        if rng.random() < 0.8:
            return row.target
        return _on_step(row.target * Decimal(rng.randint(900, 999)) / 1000, row)
    ratio = _draw_ratio(rng)
    if ratio is None:
        return None
    if row.kind == "reverse":  # a cost or a number of days: lower is better
        return _on_step(row.target / ratio, row)
    return _on_step(row.target * ratio, row)


def _draw_word(rng: random.Random, row: Row) -> tuple[str | None, Decimal | None]:
    roll = rng.random()
    if roll < 0.01:
        return None, None
    tier = "met" if roll < 0.75 else "partly" if roll < 0.92 else "missed"
    word = rng.choice(WORDS[tier])
    if rng.random() < 0.3:  # the evaluator's own score, inside the tier's band
        low, high = _TIER_BAND[tier]
        top = high if tier == "met" else high - CENT  # the partly and missed bands are open above
        share = Decimal(rng.randint(int(low * 100), int(top * 100))) / 100
        return word, (share * row.points).quantize(CENT)
    return word, None


def _met(row: Row, b: Decimal) -> bool:
    assert row.target is not None
    if row.kind == "reverse":
        return b <= row.target
    if row.kind == "equality" and row.target == 0:
        return b <= 0
    return b >= row.target


def _written(row: Row, value: Decimal | str | None, numbers: bool = False) -> object:
    """The value as the plain column carries it (see `Row.written`); with ``numbers``, every
    number as a float in the target's unit (the form pandas gets), words as words."""
    if value is None or row.written == "word":
        return value
    assert isinstance(value, Decimal)
    if numbers:
        return float(value)
    if row.written == "unit":
        return f"{value}{row.unit}"
    return int(value) if value == value.to_integral_value() else float(value)


def make_workload(n: int, seed: int = SEED) -> Workload:
    """``n`` random projects against `make_scheme` (the same ones for the same ``n`` and seed)."""
    rng = random.Random(seed)
    scheme = make_scheme()
    columns, numbers = _empty_columns(), _empty_columns()
    projects: list[Project] = []
    parsed: list[Parsed] = []
    for j in range(n):
        project, reasons = _draw_project(rng, j)
        _append(columns, project, reasons)
        _append(numbers, project, reasons, numbers=True)
        projects.append(make_project(scheme, project, reasons))
        parsed.append(project)
    return Workload(scheme, projects, columns, parsed, numbers)


def iter_columns(n: int, chunk: int = 50_000, seed: int = SEED,
                 numbers: bool = False) -> Iterator[dict[str, list[object]]]:
    """The plain columns of the same ``n`` projects as `make_workload`, ``chunk`` projects at a
    time, without building the objects: the input of the 10⁵ and 10⁶ runs, in flat memory
    (with ``numbers``, the columns of `Workload.numbers`: numbers as floats)."""
    rng = random.Random(seed)
    columns = _empty_columns()
    for j in range(n):
        _append(columns, *_draw_project(rng, j), numbers=numbers)
        if len(columns["project"]) == chunk or j == n - 1:
            yield columns
            columns = _empty_columns()


def iter_parsed(n: int, chunk: int = 50_000, seed: int = SEED) -> Iterator[list[Parsed]]:
    """The numbers-already-read form (`Workload.parsed`) of the same ``n`` projects as
    `make_workload`, ``chunk`` projects at a time: the input of pandas in the scale runs."""
    rng = random.Random(seed)
    parsed: list[Parsed] = []
    for j in range(n):
        parsed.append(_draw_project(rng, j)[0])
        if len(parsed) == chunk or j == n - 1:
            yield parsed
            parsed = []


def _empty_columns() -> dict[str, list[object]]:
    columns: dict[str, list[object]] = {"project": [], "budget_planned": [], "budget_executed": []}
    for row in ROWS:
        columns[row.id] = []
        if row.kind == "qualitative":
            columns[f"{row.id}.assessed"] = []
        columns[f"{row.id}.reason"] = []
    return columns


def _draw_project(rng: random.Random, j: int) -> tuple[Parsed, list[str]]:
    """Project number ``j``: its parsed values and each row's reason ("" = none)."""
    name = f"项目{j:07d}"
    planned = Decimal(rng.randint(5_000, 200_000)) / 100  # 50.00 to 2,000.00 万元
    rate = Decimal(rng.randint(600, 1000) if rng.random() < 0.9 else rng.randint(1000, 1050)) / 1000
    executed = (planned * rate).quantize(CENT, rounding=ROUND_HALF_UP)
    values: list[tuple[Value, Decimal | None]] = []
    reasons: list[str] = []
    for row in ROWS:
        assessed: Decimal | None = None
        value: Decimal | str | None
        if row.kind == "qualitative":
            value, assessed = _draw_word(rng, row)
            missed = value is None or _TIER_OF[value] != "met"
        else:
            value = _draw_number(rng, row)
            missed = value is None or not _met(row, value)
        # A missed row carries its reason, except a few (a missing-reason finding).
        reasons.append(MISSED_REASON if missed and rng.random() < 0.9 else "")
        values.append((value, assessed))
    return (name, planned, executed, tuple(values)), reasons


def _append(columns: dict[str, list[object]], project: Parsed, reasons: Sequence[str],
            numbers: bool = False) -> None:
    name, planned, executed, values = project
    columns["project"].append(name)
    columns["budget_planned"].append(float(planned))
    columns["budget_executed"].append(float(executed))
    for row, (value, assessed), reason in zip(ROWS, values, reasons, strict=True):
        columns[row.id].append(_written(row, value, numbers))
        if row.kind == "qualitative":
            columns[f"{row.id}.assessed"].append(None if assessed is None else float(assessed))
        columns[f"{row.id}.reason"].append(reason or None)


def make_project(scheme: Scheme, project: Parsed, reasons: Sequence[str] = ()) -> Project:
    """The evalcore `Project` of a parsed project (``reasons``: one per row of `ROWS`, or none):
    each actual as its plain column writes it (a float read through ``str``, as evalcore does)."""
    name, planned, executed, values = project
    actuals: dict[str, Actual] = {}
    for i, (row, (value, assessed)) in enumerate(zip(ROWS, values, strict=True)):
        reason = reasons[i] if reasons else ""
        if value is None and not reason and assessed is None:
            continue  # not reported: the row is left out, as a project file would
        shown = _written(row, value)
        actuals[row.id] = Actual(Decimal(str(shown)) if isinstance(shown, float) else shown,
                                 reason=reason, assessed=assessed)
    return Project(ProjectInfo(name), scheme, Budget(planned, executed), actuals)


def grade(total: Decimal) -> str:
    """national-2020's grade: 优 from 90, 良 from 80, 中 from 60, else 差 (half-open)."""
    if total >= 90:
        return "优"
    if total >= 80:
        return "良"
    if total >= 60:
        return "中"
    return "差"


def hand_evaluate(project: Parsed) -> tuple[tuple[Decimal, ...], Decimal, str]:
    """The hand-written exact loop: the row scores (budget first), the total and the grade.

    The national formulas for this scheme, written out (A = target, B = actual,
    w = points): budget w × min(executed/planned, 1); positive B ≥ A → w, else
    w × B/A (B ≤ 0 → 0); reverse B ≤ A → w, else w × A/B; equality with A = 0:
    w if B ≤ 0 else 0, with A > 0 as positive; qualitative: the evaluator's
    score, else the tier's default share of w (1, 0.6, 0); bands: the share of
    the row of `BANDS` that B/A falls in. A missing actual scores 0. Each row
    is rounded half up to 2 decimals; the total is the sum of the rounded rows.
    """
    _, planned, executed, values = project
    with decimal.localcontext(_CONTEXT):
        rate = executed / planned if planned else ZERO
        scores = [(BUDGET_POINTS * min(rate, ONE)).quantize(CENT, rounding=ROUND_HALF_UP)]
        for row, (b, assessed) in zip(ROWS, values, strict=True):
            w, a = row.points, row.target
            if b is None:
                raw = ZERO
            elif row.kind == "qualitative":
                raw = assessed if assessed is not None else w * _DEFAULT_SHARE[_TIER_OF[b]]  # type: ignore[index]
            else:
                assert isinstance(b, Decimal) and a is not None
                if row.kind == "reverse":
                    raw = w if b <= a else w * a / b
                elif row.kind == "bands":
                    ratio = max(b, ZERO) / a
                    raw = next(w * share for low, share in BANDS if ratio >= low)
                elif a == 0:  # equality with A = 0
                    raw = w if b <= 0 else ZERO
                else:  # positive, and equality with A > 0 (national-2020: scored as positive)
                    raw = w if b >= a else ZERO if b <= 0 else w * b / a
            scores.append(raw.quantize(CENT, rounding=ROUND_HALF_UP))
        total = sum(scores, ZERO)
    return tuple(scores), total, grade(total)


def check_against(workload: Workload, totals: Sequence[Decimal]) -> int:
    """How many of ``totals`` (one per project, in order) differ from the hand loop's."""
    return sum(1 for p, t in zip(workload.parsed, totals, strict=True) if hand_evaluate(p)[1] != t)
