"""One row of an evaluation, explained as a person would read it (``evalcore explain``).

The text is in one language, ``lang``: Chinese (``"zh"``, the default) or English
(``"en"``); rule and parameter names are the identifiers a scheme writes, so they show as
they are in both. The text goes to a terminal, so it is made safe like the table's
(`evalcore.safetext.terminal_text`: control characters a visible escape, every
line break a plain LF), and its numbers are formatted in evalcore's decimal
context whatever the caller's.

Engine module behind the ``evalcore`` command: nothing here is imported by users
or plugins, and its path may change in any release.
"""

from __future__ import annotations

import re

from .errors import EvalcoreError, Problem, suggest
from .model import BUDGET_ID
from .numbers import format_decimal as fmt
from .numbers import format_score, in_context
from .results import BudgetRow, Evaluation, Row, Trace
from .safetext import terminal_text

__all__ = ["explain"]


def _find(evaluation: Evaluation, key: str) -> Row | BudgetRow:
    if key == BUDGET_ID and evaluation.budget is not None:
        return evaluation.budget
    for row in evaluation.rows:
        if key in (row.id, row.name):
            return row
    ids = [r.id for r in evaluation.rows] + ([BUDGET_ID] if evaluation.budget is not None else [])
    hint = suggest(key, ids + [r.name for r in evaluation.rows]) or (
        f"the ids are: {', '.join(ids)}" if ids else None)
    raise EvalcoreError([Problem(f"no indicator {key!r} in this project", hint=hint)])


# Each line's label, in Chinese and in English, padded so the values line up.
_LABELS = {
    "rule": ("规则：", "rule:        "),
    "parameters": ("参数：", "parameters:  "),
    "matched": ("命中：", "matched:     "),
    "formula": ("计算：", "formula:     "),
    "score": ("得分：", "score:       "),
    "points": ("分值：", "points:      "),
    "planned": ("全年预算数：", "planned:     "),
    "executed": ("全年执行数：", "executed:    "),
    "target": ("年度指标值：", "target:      "),
    "actual": ("实际完成值：", "actual:      "),
    "status": ("状态：", "status:      "),
    "result": ("结果：", "result:      "),
    "explanation": ("说明：", "explanation: "),
    "reason": ("偏差原因：", "reason:      "),
    "finding": ("问题：", "finding:     "),
}


def _say(key: str, value: str, lang: str) -> str:
    """One line: its label in ``lang``, then ``value``."""
    zh, en = _LABELS[key]
    return f"{zh if lang == 'zh' else en}{value}"


_ENTRIES = re.compile(r"\((\d+) entries\)")


def _value(shown: str, lang: str) -> str:
    """A parameter's value as the trace shows it, in ``lang``: a long table is
    ``(70 entries)`` in English and ``（共70项）`` in Chinese, an unset one ``none`` and ``无``;
    any other value is what the scheme wrote (a number, an identifier such as ``zero``)."""
    if lang != "zh":
        return shown
    if shown == "none":
        return "无"
    return _ENTRIES.sub(r"（共\1项）", shown)


def _trace_lines(trace: Trace, decimals: int, score: str, lang: str) -> list[str]:
    zh = lang == "zh"
    via = (f"（由 {trace.via} 选定）" if zh else f" (chosen by {trace.via})") if trace.via else ""
    lines = [_say("rule", trace.rule + via, lang)]
    if trace.params:
        lines.append(_say("parameters", ", ".join(f"{k} = {_value(v, lang)}"
                                                  for k, v in trace.params.items()), lang))
    if trace.matched:
        lines.append(_say("matched", trace.matched, lang))
    formula = trace.formula_in(lang)
    if formula:
        lines.append(_say("formula", formula, lang))
    if trace.raw is not None:
        capped = trace.capped is not None and trace.capped != trace.raw
        if zh:
            steps = f"计算得{fmt(trace.raw)}"
            if capped:
                steps += f" → 限于{fmt(trace.capped)}"  # type: ignore[arg-type]
            steps += f" → 四舍五入保留{decimals}位小数：{score}"
        else:
            steps = f"raw {fmt(trace.raw)}"
            if capped:
                steps += f" → capped to {fmt(trace.capped)}"  # type: ignore[arg-type]
            steps += f" → rounded half up to {decimals} decimals: {score}"
        lines.append(_say("score", steps, lang))
    if trace.rescaled_from is not None:
        lines.append(_say("points", f"由{fmt(trace.rescaled_from)}分按比例调整（有不适用的行）" if zh
                          else f"rescaled from {fmt(trace.rescaled_from)} (rows that do not apply)",
                          lang))
    return lines


@in_context
def explain(evaluation: Evaluation, key: str, lang: str = "zh") -> str:
    """The trace of the row with id or name ``key`` ("budget" for the funds row), in words of
    ``lang``: ``"zh"`` (the default) or ``"en"``."""
    if lang not in LANGUAGES:
        raise EvalcoreError([Problem(f"unknown language {lang!r}; the languages are "
                                     f"{', '.join(LANGUAGES)}", hint=suggest(lang, LANGUAGES))])
    zh = lang == "zh"
    row = _find(evaluation, key)
    score = format_score(row.score, evaluation.decimals)
    if isinstance(row, BudgetRow):
        planned = fmt(row.planned) if row.planned is not None else "—"
        executed = fmt(row.executed) if row.executed is not None else "—"
        head = [f"{BUDGET_ID}  {row.name if zh else 'the funds row (execution rate)'}",
                _say("planned", f"{planned} {row.unit}", lang),
                _say("executed", f"{executed} {row.unit}", lang)]
    else:
        where = (f"（{row.category_zh} / {row.group_zh}）" if zh else
                 f"  ({group_name(row.category, row.category_zh)} / "
                 f"{group_name(row.group, row.group_zh)})")
        head = [f"{row.id}  {row.name}{where}", _say("target", row.target, lang),
                _say("actual", row.actual or "—", lang)]
    status = row.status.zh if zh else row.status.en
    result = f"{score}（满分{fmt(row.points)}）" if zh else f"{score} of {fmt(row.points)}"
    lines = [*head, _say("points", fmt(row.points), lang), _say("status", status, lang),
             *_trace_lines(row.trace, evaluation.decimals, score, lang),
             _say("result", result, lang),
             _say("explanation", row.explanation_zh if zh else row.explanation_en, lang)]
    if row.reason:
        lines.append(_say("reason", row.reason, lang))
    related = [f for f in evaluation.findings if f.indicator == (BUDGET_ID if isinstance(row, BudgetRow)
                                                                 else row.id)]
    lines += [_say("finding", f.message_zh if zh else f.message_en, lang) for f in related]
    return terminal_text("\n".join(lines)) + "\n"


LANGUAGES = ("zh", "en")
"""The languages `explain` writes."""


def group_name(name: str, zh: str) -> str:
    """A group's or category's name in English: its identifier as words (outputs → Outputs)."""
    words = name.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else zh
