"""The built-in checks of target review (绩效目标审核), registered like a third party's.

Each check reads the compiled target table (`ReviewSubject`) and its settings from the
profile's ``[review.<check>]`` (national-2020 states them all; every profile extending it
inherits them). Which check comes from regulation (财预〔2015〕88号, 财预〔2021〕101号,
财预〔2020〕10号) and which is evalcore's choice is each check's ``source``; docs/review.md
lists them with their settings.

- ``completeness`` (完整性): the level-1 groups and the output categories a table must have.
- ``measurability`` (可衡量): numbers with units; words only where allowed; no vague word
  as the whole target.
- ``points`` (分值合计): the points add up to the profile's total; no row of 0 points.
- ``weights`` (权重): each level-1 group's points within its range; 产出 + 效益 share.
- ``cost`` (成本指标): cost targets present, a unit cost among them.
- ``satisfaction`` (满意度): satisfaction targets where there are service users, not below
  a floor.
- ``duplicates`` (重复指标): equal or near-equal indicator names.
- ``deadline`` (完成时限): date targets inside the budget year.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from evalcore.plugin import (
    HUNDRED,
    REGULATION,
    ZERO,
    Comparator,
    Param,
    ReviewCheck,
    ReviewFinding,
    ReviewRow,
    ReviewSubject,
    boolean,
    decimal,
    format_decimal,
    hint_of,
    hookimpl,
    integer,
    round_half_up,
    text_list,
)

from ._review_text import alike_pairs, normalised, only_words

__all__ = ["CHECKS", "evalcore_review_checks"]

CHOICE = "evalcore's choice"
WEIGHTS_SOURCE = "regulation: 财预〔2020〕10号"

Settings = Mapping[str, Any]


def _find(code: str, severity: str, zh: str, en: str, row: ReviewRow | None = None, *,
          key: str = "", related: tuple[str, ...] = (), source: str = "") -> ReviewFinding:
    return ReviewFinding(code=code, severity=severity, message_zh=zh, message_en=en,
                         indicator=row.id if row else None, key=key, related=related,
                         source=source)


def _applicable(subject: ReviewSubject) -> list[ReviewRow]:
    return [row for row in subject.rows if row.target is not None]


def _in(row: ReviewRow, subject: ReviewSubject, categories: tuple[str, ...]) -> bool:
    return row.category.name in {subject.registry.category(c).name for c in categories}


def _known(subject: ReviewSubject, kind: str, names: tuple[str, ...]) -> None:
    """A ValueError naming the setting's unknown group or category (with "did you mean")."""
    look = subject.registry.group if kind == "group" else subject.registry.category
    for name in names:
        try:
            look(name)
        except KeyError as exc:
            hint = hint_of(exc)
            raise ValueError(f"the {kind} {name!r} in the review settings is not registered"
                             + (f" ({hint})" if hint else "")) from None


# -- completeness -------------------------------------------------------------------------


def completeness(subject: ReviewSubject, settings: Settings) -> list[ReviewFinding]:
    """The required level-1 groups (an error when one is missing) and output categories (a
    warning) each have at least one row that applies."""
    _known(subject, "group", settings["groups"])
    _known(subject, "category", settings["categories"])
    rows = _applicable(subject)
    found: list[ReviewFinding] = []
    for name in settings["groups"]:
        group = subject.registry.group(name)
        if not any(row.group.name == group.name for row in rows):
            found.append(_find("missing-group", "error", f"缺少一级指标“{group.zh}”",
                               f"no indicator of the level-1 group {group.name!r}"))
    for name in settings["categories"]:
        category = subject.registry.category(name)
        if not any(row.category.name == category.name for row in rows):
            found.append(_find("missing-category", "warning", f"缺少二级指标“{category.zh}”",
                               f"no indicator of the category {category.name!r}"))
    return found


# -- measurability ------------------------------------------------------------------------


def measurability(subject: ReviewSubject, settings: Settings) -> list[ReviewFinding]:
    """Numbers have units; words (定性) only in the allowed categories and up to a share of
    the points; no target that is only vague words. A row whose rule scores listed
    conditions or items (a checklist, a deduction: ``RuleType.itemised``) is measured by them,
    so its words target is none of these."""
    _known(subject, "category", settings["qualitative_categories"])
    rows = _applicable(subject)
    found: list[ReviewFinding] = []
    for row in rows:
        target = row.target
        assert target is not None
        if row.qualitative and not row.itemised:  # an itemised row is measured by its items
            if only_words(target.text, settings["vague_words"]):
                found.append(_find(
                    "vague-target", "warning",
                    f"指标“{row.name}”的目标值“{target.text}”只是模糊表述，应量化或写明可检验的标准",
                    f"the target {target.text!r} of {row.name!r} is only vague words: quantify "
                    "it or state a standard that can be checked", row, key="target"))
            elif not _in(row, subject, settings["qualitative_categories"]):
                found.append(_find(
                    "qualitative-target", "warning",
                    f"指标“{row.name}”（{row.category.zh}）为定性目标，该类指标应量化",
                    f"{row.name!r} ({row.category.name}) has a qualitative target; targets of "
                    "this category should be quantified", row, key="target"))
        elif target.quantity is not None and not target.quantity.unit:
            found.append(_find(
                "no-unit", "warning", f"指标“{row.name}”的目标值“{target.text}”没有计量单位",
                f"the target {target.text!r} of {row.name!r} has no unit", row, key="target"))
    total = sum((row.points for row in rows), ZERO)
    words = sum((row.points for row in rows if row.qualitative and not row.itemised), ZERO)
    if total and words / total > settings["qualitative_share"]:
        share, most = _percent(words / total), _percent(settings["qualitative_share"])
        found.append(_find(
            "qualitative-share", "warning",
            f"定性指标分值占{share}，超过{most}", f"qualitative targets carry {share} of the "
            f"points, more than {most}"))
    return found


def _percent(share: Decimal) -> str:
    """A share as a percentage to one decimal, half up (50.25% → 50.3%) in any decimal context."""
    return format_decimal(round_half_up(share * HUNDRED, 1)) + "%"


# -- points and weights -------------------------------------------------------------------


def points(subject: ReviewSubject, settings: Settings) -> list[ReviewFinding]:
    """The points add up to the profile's total (an error otherwise, as evaluation refuses
    such a table); a row that applies carries more than 0 points (a warning)."""
    registry, total = subject.registry, subject.profile.total
    found: list[ReviewFinding] = []
    written = sum(subject.points_by_group.values(), ZERO)
    if written != total:
        zh = "，".join(f"{registry.group(g).zh}{format_decimal(p)}"
                      for g, p in subject.points_by_group.items())
        en = ", ".join(f"{g} {format_decimal(p)}" for g, p in subject.points_by_group.items())
        found.append(_find(  # the sum per group, when there is a group to show
            "points-sum", "error",
            f"分值合计{format_decimal(written)}，应为{format_decimal(total)}" + (f"（{zh}）" if zh else ""),
            f"the points add up to {format_decimal(written)}, not {format_decimal(total)}"
            + (f" ({en})" if en else ""),
            key="indicator" if subject.scheme.indicators else ""))
    if settings["zero_points"]:
        for row in _applicable(subject):
            if row.points == 0:
                found.append(_find("zero-points", "warning", f"指标“{row.name}”的分值为0",
                                   f"{row.name!r} carries 0 points", row, key="points"))
    return found


def _pair(value: Any) -> tuple[Decimal, Decimal]:
    if not isinstance(value, list) or len(value) != 2:
        raise ValueError(f"a range is [low, high], not {value!r}")
    low, high = decimal(0)(value[0]), decimal(0)(value[1])
    if low > high:
        raise ValueError(f"the range [{value[0]}, {value[1]}] has its low above its high")
    return low, high


def ranges(value: Any) -> dict[str, tuple[Decimal, Decimal]]:
    """A table of level-1 group keys (``outputs``, ``benefits+satisfaction``) → [low, high]."""
    if not isinstance(value, Mapping):
        raise ValueError(f"expected a table of [low, high] ranges, not {value!r}")
    return {str(key): _pair(pair) for key, pair in value.items()}


def weights(subject: ReviewSubject, settings: Settings) -> list[ReviewFinding]:
    """Each level-1 weight of the profile within its range (``ranges``, else the profile's
    default ± ``deviation``); outputs + benefits (``share_groups``) at least ``share_min`` of
    the total. A group the table leaves out entirely is not weighed here (completeness and
    satisfaction report it)."""
    registry, profile = subject.registry, subject.profile
    _known(subject, "group", settings["share_groups"])
    _known(subject, "group", tuple(g for key in settings["ranges"] for g in key.split("+")))
    by_group = subject.points_by_group
    found: list[ReviewFinding] = []
    bounds = {key: (w * (1 - settings["deviation"]), w * (1 + settings["deviation"]))
              for key, w in profile.weights.items()}
    bounds.update(settings["ranges"])
    for key, (low, high) in bounds.items():
        groups = [registry.group(g).name for g in key.split("+")]
        if not any(g in by_group for g in groups):
            continue
        carried = sum((by_group.get(g, ZERO) for g in groups), ZERO)
        if not low <= carried <= high:
            names = " + ".join(registry.group(g).zh for g in groups)
            span = f"{format_decimal(low)}–{format_decimal(high)}"
            found.append(_find(
                "weight-range", "warning", f"{names}合计{format_decimal(carried)}分，"
                f"不在{span}分之间", f"level 1 {'+'.join(groups)!r} carries "
                f"{format_decimal(carried)} points, outside {span}", source=CHOICE))
    shared = [registry.group(g).name for g in settings["share_groups"]]
    carried = sum((by_group.get(g, ZERO) for g in shared), ZERO)
    if profile.total and carried / profile.total < settings["share_min"]:
        names = " + ".join(registry.group(g).zh for g in shared)
        least = _percent(settings["share_min"])
        found.append(_find(
            "share", "warning", f"{names}合计{format_decimal(carried)}分，低于总分的{least}",
            f"{' + '.join(shared)} carry {format_decimal(carried)} points, "
            f"less than {least} of the total", source=WEIGHTS_SOURCE))
    return found


# -- cost and satisfaction ----------------------------------------------------------------


def cost(subject: ReviewSubject, settings: Settings) -> list[ReviewFinding]:
    """A cost target (成本指标) that applies, and among them a unit cost: a money unit per
    something (元/人, 万元/公里) or a name with one of ``unit_cost_words``."""
    _known(subject, "category", settings["categories"])
    rows = [row for row in _applicable(subject) if _in(row, subject, settings["categories"])]
    if not rows:
        return [_find("no-cost-target", "warning", "缺少成本指标",
                      "no cost target")]
    if any(_unit_cost(row, settings["unit_cost_words"]) for row in rows):
        return []
    return [_find("no-unit-cost", "warning", "成本指标未写明单位成本（如“元/人”）",
                  "no cost target states a unit cost (such as yuan per person)",
                  related=tuple(row.id for row in rows))]


def _unit_cost(row: ReviewRow, words: tuple[str, ...]) -> bool:
    unit = row.unit
    if unit is not None and unit.dimension.startswith("money/"):
        return True
    return any(word and word in row.name for word in words)


def satisfaction(subject: ReviewSubject, settings: Settings) -> list[ReviewFinding]:
    """Where the project has service users (``service_users``), a satisfaction target; each
    percentage target at least ``floor`` and not an upper bound."""
    _known(subject, "category", settings["categories"])
    rows = [row for row in _applicable(subject) if _in(row, subject, settings["categories"])]
    if not rows:
        if settings["service_users"]:
            return [_find("no-satisfaction", "warning", "有服务对象的项目缺少满意度指标",
                          "no satisfaction target, although the project has service users")]
        return []
    found: list[ReviewFinding] = []
    floor = settings["floor"]
    for row in rows:
        target = row.target
        assert target is not None
        if target.quantity is None or row.unit is None or row.unit.dimension != "percent":
            continue
        share = target.quantity.value / HUNDRED
        if share < floor or target.comparator in (Comparator.LE, Comparator.LT):
            found.append(_find(
                "satisfaction-floor", "warning",
                f"满意度目标“{target.text}”低于{_percent(floor)}或为上限",
                f"the satisfaction target {target.text!r} is below {_percent(floor)} or an "
                "upper bound", row, key="target"))
    return found


# -- duplicates and deadlines -------------------------------------------------------------


def duplicates(subject: ReviewSubject, settings: Settings) -> list[ReviewFinding]:
    """Equal names (after `normalised`) are an error; names at least ``similarity`` alike (1 −
    Levenshtein distance / the longer length) a warning, at the later row."""
    rows = subject.rows
    names = [normalised(row.name) for row in rows]
    found: list[ReviewFinding] = []
    for i, j in alike_pairs(names, settings["similarity"]):
        row, other = rows[i], rows[j]
        if names[i] == names[j]:
            found.append(_find(
                "duplicate", "error", f"指标“{row.name}”与“{other.name}”重复",
                f"{row.name!r} repeats {other.name!r} ({other.id})", row, related=(other.id,)))
        else:
            found.append(_find(
                "near-duplicate", "warning", f"指标“{row.name}”与“{other.name}”名称相近",
                f"{row.name!r} is nearly the same name as {other.name!r} ({other.id})", row,
                related=(other.id,)))
    return found


def deadline(subject: ReviewSubject, settings: Settings) -> list[ReviewFinding]:
    """Every date target falls inside the budget year (``year``, else the project's); without
    a year, one info finding says the dates were not checked."""
    year = settings["year"] or subject.year
    dated = [row for row in _applicable(subject)
             if row.target is not None and row.target.date is not None]
    if not dated:
        return []
    if year is None:
        return [_find("no-budget-year", "info", "未给出预算年度，完成时限未核对",
                      "no budget year (the project's year, or review.deadline.year): the "
                      "deadlines were not checked")]
    found = []
    for row in dated:
        assert row.target is not None and row.target.date is not None
        if row.target.date.year != year:
            found.append(_find(
                "deadline-outside-year", "error",
                f"指标“{row.name}”的完成时限{row.target.date.isoformat()}不在预算年度{year}年内",
                f"the deadline {row.target.date.isoformat()} of {row.name!r} is outside the "
                f"budget year {year}", row, key="target"))
    return found


VAGUE_WORDS = ("有效", "明显", "进一步", "逐步", "较好", "显著", "提升", "提高", "改善", "增强",
               "加强", "良好", "持续", "稳步", "不断", "有所", "得到", "一定", "大幅", "较大",
               "促进", "推进", "优化")
"""The default vague words: a target made only of these says nothing that can be checked."""

CHECKS = (
    ReviewCheck("completeness", "完整性", completeness, (
        Param("groups", text_list, ("outputs", "benefits"),
              "level-1 groups a table must have (an error when one is missing)"),
        Param("categories", text_list, ("quantity", "quality", "timeliness"),
              "output categories a table should have (a warning when one is missing)"),
    ), REGULATION, "产出 (数量, 质量, 时效) and 效益 present", order=10),
    ReviewCheck("measurability", "可衡量", measurability, (
        Param("qualitative_categories", text_list,
              ("economic", "social", "ecological", "sustainability"),
              "categories whose targets may be words (定性)"),
        Param("qualitative_share", decimal(0, 1), Decimal("0.5"),
              "the largest share of the points qualitative targets may carry"),
        Param("vague_words", text_list, VAGUE_WORDS,
              "a target made only of these words is flagged"),
    ), REGULATION, "targets quantified with a unit; words only where allowed", order=20),
    ReviewCheck("points", "分值合计", points, (
        Param("zero_points", boolean, True, "warn of a row that applies but carries 0 points"),
    ), "regulation: 财预〔2020〕10号", "the points add up to the profile's total", order=30),
    ReviewCheck("weights", "权重", weights, (
        Param("deviation", decimal(0, 1), Decimal("0.2"),
              "a level-1 weight may differ from the profile's default by this share"),
        Param("ranges", ranges, {}, "[low, high] points per level-1 group key"),
        Param("share_groups", text_list, ("outputs", "benefits"),
              "the groups whose points together must reach share_min"),
        Param("share_min", decimal(0, 1), Decimal("0.6"),
              "the least share of the total share_groups carry"),
    ), WEIGHTS_SOURCE, "level-1 weights within their ranges; 产出 + 效益 share", order=40),
    ReviewCheck("cost", "成本指标", cost, (
        Param("categories", text_list, ("cost",), "the categories of cost targets"),
        Param("unit_cost_words", text_list, ("单位", "单价", "人均", "平均", "每"),
              "a cost row whose name holds one of these states a unit cost"),
    ), REGULATION, "cost targets present, a unit cost stated", order=50),
    ReviewCheck("satisfaction", "满意度", satisfaction, (
        Param("service_users", boolean, True, "the project has service users"),
        Param("categories", text_list, ("satisfaction",), "the categories of satisfaction"),
        Param("floor", decimal(0, 1), Decimal("0.8"), "the least satisfaction target, a share"),
    ), REGULATION, "satisfaction targets present and not below a floor", order=60),
    ReviewCheck("duplicates", "重复指标", duplicates, (
        Param("similarity", decimal(0, 1), Decimal("0.8"),
              "names at least this alike are near-duplicates (1 − edit distance / length)"),
    ), CHOICE, "equal or near-equal indicator names", order=70),
    ReviewCheck("deadline", "完成时限", deadline, (
        Param("year", integer(0, 9999), 0, "the budget year; 0: the project's year"),
    ), REGULATION, "date targets inside the budget year", order=80),
)
"""The built-in checks, in the order they run."""


@hookimpl
def evalcore_review_checks() -> list[ReviewCheck]:
    return list(CHECKS)
