"""The output format ``pefa``: letter scores per indicator, grouped by pillar.

PEFA reports a letter per indicator (A, B+, ..., D) with the letters of its dimensions, pillar
by pillar, and nothing above the indicator: "No standard methodology has been developed for
aggregation across indicators" (Framework section 2.2, pefa.org/node/4758). So this format
shows no pillar score and no total, although evalcore computes both (see the profile).

Everything comes from the :class:`~evalcore.results.Evaluation`: an indicator's letter from its
category subtotal (the M1 or M2 aggregator's score, decoded with
:func:`~evalcore_pefa.scores.level_of`), a dimension's mark from its row's actual value (D*
and NA as the assessor wrote them). Only the method's name (M1/M2) comes from evalcore-pefa's
own definitions, since an Evaluation does not record how a category was added up.
"""

from __future__ import annotations

from evalcore.plugin import Evaluation, Row, Status, Subtotal
from evalcore.plugin import format_decimal as fmt

from ._data import dimensions, framework
from .scores import NOT_APPLICABLE, indicator_letter, level_of

__all__ = ["indicator_score", "render_pefa"]

_METHODS = {"pefa-m1": "M1", "pefa-m2": "M2"}
LEGEND = (
    "M1 = weakest link (the lowest dimension, '+' if any other is higher); "
    "M2 = averaging (PEFA's conversion table).",
    "D* = D for lack of information (counted as D); NA = not applicable (left out of the score).",
    "PEFA defines no score for a pillar or for the whole assessment.",
)


def indicator_score(subtotal: Subtotal | None) -> str:
    """An indicator's letter from its category subtotal; NA when no dimension applied."""
    if subtotal is None:
        return NOT_APPLICABLE
    try:
        return indicator_letter(level_of(subtotal.score, subtotal.points))
    except (ValueError, ArithmeticError):
        return f"{fmt(subtotal.score)}/{fmt(subtotal.points)}"  # not a PEFA level: show the numbers


def _method(category: str) -> str:
    """M1, M2, or '1 dimension' for one of evalcore-pefa's indicators; '' for any other category."""
    ours = {c.name: c for c in framework().categories}
    if category not in ours:
        return ""
    if len(dimensions().get(category, ())) == 1:
        return "1 dimension"
    return _METHODS.get(ours[category].aggregation or "", "")


def _mark(row: Row) -> str:
    """The dimension's mark as the assessor wrote it (D* and NA kept)."""
    if row.status is Status.NOT_APPLICABLE and not row.actual.strip():
        return NOT_APPLICABLE
    return row.actual.strip() or "—"


def render_pefa(e: Evaluation) -> str:
    """PEFA letter scores: each indicator's score and method, its dimensions, pillar by pillar."""
    subtotals = {s.name: s for s in e.categories}
    pillars: dict[str, tuple[str, dict[str, tuple[str, list[Row]]]]] = {}
    for row in e.rows:
        _, indicators = pillars.setdefault(row.group, (row.group_zh, {}))
        indicators.setdefault(row.category, (row.category_zh, []))[1].append(row)
    width = max((len(zh) for _, inds in pillars.values() for zh, _ in inds.values()), default=0)
    dim_width = max((len(r.name) for r in e.rows), default=0)
    lines = [f"PEFA assessment: {e.project}"]
    lines.append(f"profile: {e.profile}" if e.scheme == e.project else
                 f"scheme: {e.scheme}; profile: {e.profile}")
    scores: list[str] = []
    for pillar_zh, indicators in pillars.values():
        lines += ["", pillar_zh]
        for category, (zh, rows) in indicators.items():
            score = indicator_score(subtotals.get(category))
            scores.append(f"{zh.split(' ')[0]} {score}")
            lines.append(f"  {zh.ljust(width)}  {score.ljust(3)}  {_method(category)}".rstrip())
            lines += [f"      {r.name.ljust(dim_width)}  {_mark(r)}" for r in rows]
    lines += ["", "Scores: " + ", ".join(scores), "", *LEGEND]
    return "\n".join(lines) + "\n"

