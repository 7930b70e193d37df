"""The official 自评表's content, built once for the HTML page and the workbook.

What both documents show beyond the text formats' lines (`evalcore_builtin.formats`):
the funds block's 其中 lines in the form's standard order (当年财政拨款, 上年结转资金,
其他资金, then any other source), the indicator rows with how many rows each 一级 and
二级 cell spans, the findings with their labels, and the numbers of the two charts
(points scored and lost per 二级 category; the execution rate against the profile's
line). Every number stays a `Decimal`; the chart geometry is computed exactly and
written with one decimal. Each takes the document's language (``lang``, `_form_labels`): in
English the labels, the built-in group and category names, the standard sources, the lost
points and the findings are English; the user's own texts stay as written.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

import attrs

from evalcore.plugin import (
    BUDGET_ID,
    HUNDRED,
    ONE,
    ZERO,
    BudgetRow,
    Evaluation,
    Funds,
    UnknownNameError,
    format_score,
    round_half_up,
)
from evalcore.plugin import format_decimal as fmt

from ._finding_labels import finding_label
from ._form_labels import SOURCE_EN, grade_name, labels
from ._text_labels import CATEGORY_EN, GROUP_EN, level_name
from .checklist import assessed_summary
from .formats import (
    FUNDS_AMOUNTS,
    FUNDS_HEADERS,
    NOTHING_LOST,
    Cell,
    funds_columns,
    funds_line,
    headers,
    indicator_lines,
    lost_lines,
)

__all__ = [
    "STANDARD_SOURCES",
    "Bar",
    "FindingLine",
    "FormRow",
    "Gauge",
    "budget_line",
    "category_bars",
    "finding_lines",
    "form_funds_line",
    "form_indicator_lines",
    "form_lost_lines",
    "form_rows",
    "funds_headers",
    "funds_lines",
    "gauge",
    "review_scores",
    "source_lines",
    "svg_number",
]

STANDARD_SOURCES = ("当年财政拨款", "上年结转资金", "其他资金")
"""The 其中 lines every 自评表 prints, in this order, filled or blank."""

_DASH = Cell("—", "—")


def _amount(text: str | None) -> Cell:
    """A source's figure (the evaluation keeps them as exact decimal text) as a number."""
    if text is None or text == "":
        return Cell(None, "")
    try:
        return Cell(Decimal(text), text)
    except InvalidOperation:
        return Cell(text, text)


def source_lines(b: BudgetRow | Funds, lang: str = "zh",
                 columns: Sequence[str] = tuple(FUNDS_HEADERS[1:])) -> list[list[Cell]]:
    """The 其中 lines under 年度资金总额: the three standard sources (blank when the project
    gives none), then any other source the project names; the first is labelled ``其中：``
    (``of which:``; in English the standard sources have English names, the project's own
    keep theirs). ``columns`` are the block's (`formats.funds_columns`, the national form's
    by default): a source's 年初预算数, 全年预算数 and 全年执行数; its 到位数 is blank (the
    project gives it for the whole block only), and 分值, 执行率 and 得分 are the total line's
    alone (a dash)."""
    given = {str(s.get("name", "")).removeprefix("其中："): s for s in b.sources}
    names = [*STANDARD_SOURCES, *(n for n in given if n not in STANDARD_SOURCES)]
    t = labels(lang)
    lines = []
    for i, name in enumerate(names):
        source = given.get(name, {})
        shown = SOURCE_EN.get(name, name) if lang == "en" else name
        label = t.of_which.format(name=shown) if i == 0 else shown
        lines.append([Cell(label, label), *(
            _amount(source.get(FUNDS_AMOUNTS[c])) if c in FUNDS_AMOUNTS and c != "到位数"
            else Cell(None, "") if c in FUNDS_AMOUNTS else _DASH for c in columns)])
    return lines


def funds_lines(e: Evaluation, lang: str = "zh") -> list[list[Cell]]:
    """The whole 项目资金 block of the form (`Evaluation.funds_block`): its 年度资金总额 line
    and its 其中 lines, under `funds_headers`; empty when the evaluation has no funds."""
    block = e.funds_block
    if block is None:
        return []
    return [form_funds_line(e, lang), *source_lines(block, lang, funds_columns(e))]


def funds_headers(e: Evaluation, lang: str = "zh") -> list[str]:
    """The 项目资金 block's column labels after the line's label (`formats.funds_columns`)."""
    return headers(funds_columns(e), lang)


def review_scores(e: Evaluation) -> tuple[Decimal | None, ...] | None:
    """The reviewer's score (复核) of every indicator row (None for a row not reviewed), or
    None when no row was reviewed: then no 复核 column is shown, since a column of blanks
    would read as a review that happened. The scores are the file's ``reviewed`` keys (or an
    imported table's 复核分 column), see docs/audit.md."""
    reviewed = tuple(row.reviewed for row in e.rows)
    return reviewed if any(score is not None for score in reviewed) else None


@attrs.frozen
class FormRow:
    """One indicator row of the form: its cells (under `formats.INDICATOR_HEADERS`, with the
    复核 score after 得分 when there is one), and how many rows its 一级 and 二级 cells span:
    the first row of a run spans the run, the rows below it 0 (their cell is merged away)."""

    id: str
    cells: tuple[Cell, ...]
    group_span: int
    category_span: int


def form_funds_line(e: Evaluation, lang: str = "zh") -> list[Cell]:
    """The funds block's 年度资金总额 line (`formats.funds_line`), labelled in ``lang``."""
    line = funds_line(e)
    if lang == "en":
        line[0] = Cell(labels(lang).funds_total, labels(lang).funds_total)
    return line


def form_indicator_lines(e: Evaluation, lang: str = "zh") -> list[list[Cell]]:
    """The indicator block with its total line (`formats.indicator_lines`); in English the
    一级/二级 names, 总分 and the grade are English."""
    lines = indicator_lines(e)
    for line, row in zip(lines, e.rows, strict=False):
        # a row scored by its conditions has no actual value: the form shows their count
        short = assessed_summary(row.trace.formula_zh, lang) if (
            not row.actual and row.trace is not None) else ""
        if short:
            line[4] = Cell(short, short)
    if lang != "en":
        return lines
    t = labels(lang)
    for line, row in zip(lines, e.rows, strict=False):
        group = level_name(row.group, row.group_zh, lang, GROUP_EN)
        category = level_name(row.category, row.category_zh, lang, CATEGORY_EN)
        line[0], line[1] = Cell(group, group), Cell(category, category)
    total, grade = lines[-1], t.grade.format(grade=grade_name(e, lang))
    total[0], total[-1] = Cell(t.total, t.total), Cell(grade, grade)
    return lines


def form_lost_lines(e: Evaluation, lang: str = "zh") -> list[str]:
    """One line per row that lost points (`formats.lost_lines`), or the line saying none did;
    in English with the rows' English explanations."""
    if lang != "en":
        return lost_lines(e) or [NOTHING_LOST]
    t = labels(lang)
    lines = []
    b = e.budget
    if b is not None and b.trace.capped != b.points:
        reason = t.reason.format(reason=b.reason) if b.reason else ""
        lines.append(f"{t.budget_name}: {b.explanation_en}{reason}")
    for row in e.rows:
        if row.score < row.points or (row.trace.capped is not None and row.trace.capped < row.points):
            lines.append(f"{row.name}: {row.explanation_en}")
    return lines or [t.nothing_lost]


def form_rows(e: Evaluation, review: Sequence[Decimal | None] | None = None,
              lang: str = "zh") -> list[FormRow]:
    """The indicator rows (the total line excluded), 一级 and 二级 merged over each run of
    consecutive rows that share them (a group or category split by another is two runs)."""
    lines = form_indicator_lines(e, lang)[:-1]
    if review is not None:
        if len(review) != len(e.rows):
            raise ValueError(f"{len(review)} reviewer scores for {len(e.rows)} rows")
        lines = [[*line[:7], Cell(r, "" if r is None else format_score(r, e.decimals)), *line[7:]]
                 for line, r in zip(lines, review, strict=True)]
    keys = [(row.group, row.category) for row in e.rows]
    groups, categories = _spans([k[0] for k in keys]), _spans(keys)
    return [FormRow(row.id, tuple(line), g, c)
            for row, line, g, c in zip(e.rows, lines, groups, categories, strict=True)]


def _spans(keys: Sequence[object]) -> list[int]:
    """For each position, the length of the run of equal keys it starts; 0 inside a run."""
    spans = []
    for i, key in enumerate(keys):
        if i > 0 and keys[i - 1] == key:
            spans.append(0)
            continue
        n = 1
        while i + n < len(keys) and keys[i + n] == key:
            n += 1
        spans.append(n)
    return spans


@attrs.frozen
class FindingLine:
    """A finding as the form shows it: its label, the row it concerns, the message."""

    code: str
    label: str
    indicator: str
    message: str


def finding_lines(e: Evaluation, lang: str = "zh") -> list[FindingLine]:
    """Every finding, with the name of the row it concerns (blank for the whole project), its
    label and message in ``lang``."""
    names = {row.id: row.name for row in e.rows}
    if e.budget is not None:
        names[BUDGET_ID] = labels(lang).budget_name if lang == "en" else e.budget.name
    return [FindingLine(f.code, finding_label(f.code, lang),
                        names.get(f.indicator, f.indicator) if f.indicator else "",
                        f.message_en if lang == "en" else f.message_zh)
            for f in e.findings]


# -- the charts' numbers --------------------------------------------------------------------------

def svg_number(value: Decimal) -> str:
    """A coordinate for an SVG attribute: exact arithmetic, written with one decimal."""
    return fmt(round_half_up(value, 1))


@attrs.frozen
class Bar:
    """One 二级 category in the points chart: its points, score and lost points, and the
    bar's geometry (``scored`` and ``lost`` widths in the chart's units)."""

    name: str
    points: Decimal
    score: Decimal
    lost: Decimal
    y: str
    scored_width: str
    lost_x: str
    lost_width: str
    end_x: str

    @property
    def points_text(self) -> str:
        return fmt(self.points)

    @property
    def score_text(self) -> str:
        return fmt(self.score)

    @property
    def lost_text(self) -> str:
        return fmt(self.lost)


BAR_LEFT, BAR_WIDTH, BAR_HEIGHT = Decimal(170), Decimal(360), Decimal(24)
"""The charts' geometry: where the bars start, the longest bar, one bar's height."""


def category_bars(e: Evaluation, lang: str = "zh") -> list[Bar]:
    """One bar per 二级 category (the funds row's category too): the scored part and the lost
    part, on one scale, the category with the most points as wide as the chart; named in
    ``lang``."""
    largest = max((c.points for c in e.categories), default=ZERO)
    scale = BAR_WIDTH / largest if largest > 0 else ZERO
    bars = []
    for i, c in enumerate(e.categories):
        scored = max(c.score, ZERO) * scale
        lost = max(c.points - c.score, ZERO) * scale
        name = level_name(c.name, c.zh, lang, CATEGORY_EN)
        bars.append(Bar(name, c.points, c.score, c.points - c.score, svg_number(i * BAR_HEIGHT),
                        svg_number(scored), svg_number(BAR_LEFT + scored), svg_number(lost),
                        svg_number(BAR_LEFT + scored + lost + 6)))
    return bars


@attrs.frozen
class Gauge:
    """The budget chart: the execution rate as a bar against the profile's line, on an axis
    from 0 to ``top`` (at least 100%, more when the rate or the line is above it)."""

    rate: Decimal
    line: Decimal
    top: Decimal
    rate_width: str
    line_x: str
    full_x: str
    rate_text: str
    line_text: str

    @property
    def rate_value(self) -> str:
        """The exact rate, for the chart's ``data-rate``."""
        return str(self.rate)

    @property
    def line_value(self) -> str:
        return str(self.line)


def budget_line(e: Evaluation, option: Decimal | None) -> Decimal:
    """The execution rate the profile draws its line at: ``option`` when the caller gives one,
    else the rate below which the evaluation's profile asks for a reason
    (``reason_budget_below``, 100% in national-2020), read from the installed profiles; 100%
    for a profile they do not know."""
    if option is not None:
        return option
    import evalcore

    try:
        return evalcore.default_registry().profile(e.profile).reason_budget_below
    except UnknownNameError:
        return ONE


def gauge(e: Evaluation, line: Decimal) -> Gauge | None:
    """The budget chart's numbers, or None when there is no funds block or no rate."""
    if e.budget is None or e.budget.rate is None:
        return None
    rate = max(e.budget.rate, ZERO)
    top = max(ONE, min(rate, Decimal(2)), line)
    scale = BAR_WIDTH / top
    return Gauge(e.budget.rate, line, top, svg_number(min(rate, top) * scale),
                 svg_number(BAR_LEFT + line * scale), svg_number(BAR_LEFT + scale),
                 _percent(e.budget.rate), _percent(line))


def _percent(ratio: Decimal) -> str:
    return f"{fmt(round_half_up(ratio * HUNDRED, 2))}%"
