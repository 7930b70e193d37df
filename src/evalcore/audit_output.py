"""An `Audit` written out: the terminal table, Markdown, CSV and JSON of `evalcore audit`.

The table sets each row's published score (自评得分) beside the computed one, their
difference at the table's precision, the reviewer's score (复核分) and the reason, then one
summary line (rows checked, rows that differ, the totals, the grades) and the findings.
Labels are Chinese by default; ``lang="en"`` takes them from the English column of
`LABELS`. Every text from a file is made safe for where it goes (control characters
escaped for a terminal, Markdown escaped, a CSV cell never read as a formula).

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the public
surfaces); its own path may change in any release.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Sequence
from decimal import Decimal

from tabulate import tabulate

from .auditing import Audit, AuditSummary, Comparison
from .errors import EvalcoreError, Problem, quote, suggest
from .model import BUDGET_ID
from .numbers import format_decimal as fmt
from .safetext import visible
from .table_cells import fold, markdown_cell, terminal_cell

__all__ = ["AUDIT_FORMATS", "LABELS", "check_audit_format", "render_audit", "render_audits",
           "summary_line"]

AUDIT_FORMATS = ("table", "markdown", "csv", "json")

LABELS: dict[str, dict[str, str]] = {
    "zh": {"name": "指标", "points": "分值", "published": "自评得分", "computed": "计算得分",
           "difference": "差异", "check": "核对", "reviewed": "复核分", "why": "说明",
           "agrees": "一致", "differs": "不一致", "total": "总分", "title": "复核",
           "findings": "需关注的问题", "reviewer": "复核意见"},
    "en": {"name": "indicator", "points": "points", "published": "self-score",
           "computed": "computed", "difference": "difference", "check": "check",
           "reviewed": "reviewed", "why": "why", "agrees": "agrees", "differs": "differs",
           "total": "total", "title": "audit", "findings": "findings",
           "reviewer": "reviewer", "budget": "Budget execution rate"},
}
"""The labels of the audit's outputs in each language (Chinese by default)."""

_CSV_HEADERS = {
    "en": ["id", "name", "points", "published", "computed", "compared", "difference", "differs",
           "reviewed", "reviewed_reason", "status", "explanation"],
    "zh": ["编号", "指标", "分值", "自评得分", "计算得分", "按公布表精度", "差异", "不一致", "复核分",
           "复核意见", "状态", "说明"],
}
"""The CSV's columns: in English the names of `Comparison`'s fields, in Chinese the table's."""

_CSV_FILE = {"en": "file", "zh": "文件"}
_YES_NO = {"en": ("true", "false"), "zh": ("是", "否")}


def check_audit_format(format: str, lang: str = "zh") -> None:
    """An EvalcoreError, with "did you mean", for a format not in `AUDIT_FORMATS` or a
    language not in `LABELS`."""
    if format not in AUDIT_FORMATS:
        raise EvalcoreError([Problem(f"unknown audit format {quote(format)}",
                                     hint=suggest(format, AUDIT_FORMATS)
                                     or f"one of {', '.join(AUDIT_FORMATS)}")])
    if lang not in LABELS:
        raise EvalcoreError([Problem(f"unknown language {quote(lang)}",
                                     hint=suggest(lang, LABELS) or "zh or en")])


def render_audit(audit: Audit, format: str = "table", lang: str = "zh") -> str:
    """``audit`` as text in one of `AUDIT_FORMATS` (`check_audit_format`)."""
    return render_audits([("", audit)], format, lang)


def render_audits(audits: Sequence[tuple[str, Audit]], format: str = "table",
                  lang: str = "zh") -> str:
    """Several files' audits (file, audit) as one text: the tables one after the other, the
    JSON of one file as an object and of several as an array, the CSV of several with a
    first column ``file``."""
    check_audit_format(format, lang)
    if format == "json":
        if len(audits) == 1:
            return audits[0][1].to_json() + "\n"
        return json.dumps([a.to_dict() for _, a in audits], ensure_ascii=False, indent=2) + "\n"
    if format == "csv":
        return _csv(audits, lang)
    return "\n".join(_text(a, lang, markdown=format == "markdown") for _, a in audits)


def _number(value: Decimal | None) -> str:
    return "" if value is None else fmt(value)


def _signed(value: Decimal | None) -> str:
    """A difference with its sign: +1, -0.38, 0."""
    if value is None:
        return ""
    return f"+{fmt(value)}" if value > 0 else fmt(value)


def _check(c: Comparison, labels: dict[str, str]) -> str:
    if c.compared is None:
        return ""
    return labels["differs"] if c.differs else labels["agrees"]


def _why(c: Comparison, lang: str, labels: dict[str, str]) -> str:
    """The row's explanation, and the reviewer's reason when there is one."""
    text = c.explanation_zh if lang == "zh" else c.explanation_en
    if c.reviewed_reason:
        sep = "；" if lang == "zh" else "; "
        colon = "：" if lang == "zh" else ": "
        text = f"{text}{sep if text else ''}{labels['reviewer']}{colon}{c.reviewed_reason}"
    return text


def _name(c: Comparison, labels: dict[str, str]) -> str:
    """A row's name; the total's is the engine's, and so is the funds row's in English (in
    Chinese it is the budget category's own name), so they are said in the language asked."""
    if c.id == "total":
        return labels["total"]
    return labels.get("budget", c.name) if c.id == BUDGET_ID else c.name


def _lines(audit: Audit, lang: str) -> list[list[str]]:
    labels = LABELS[lang]
    rows = [[_name(c, labels), _number(c.points), _number(c.published), _number(c.computed),
             _signed(c.difference), _check(c, labels), _number(c.reviewed),
             _why(c, lang, labels)] for c in audit.rows]
    t = audit.total
    rows.append([labels["total"], _number(t.points), _number(t.published), _number(t.computed),
                 _signed(t.difference), _check(t, labels), _number(t.reviewed), ""])
    return rows


def summary_line(summary: AuditSummary, lang: str = "zh") -> str:
    """The audit in one line: rows checked and differing, totals, grades."""
    s = summary
    if lang == "zh":
        parts = [f"核对{s.rows_checked}行，不一致{s.rows_differ}行"]
        total = f"总分：计算{fmt(s.computed_total)}"
        if s.published_total is not None:
            total = f"总分：公布{fmt(s.published_total)}，计算{fmt(s.computed_total)}"
            if s.compared_total is not None and s.compared_total != s.computed_total:
                total += f"（按公布表精度{fmt(s.compared_total)}）"
        if s.reviewed_total is not None:
            total += f"，复核{fmt(s.reviewed_total)}"
        parts.append(total)
        grade = f"等级：计算{s.computed_grade}"
        if s.published_grade is not None:
            grade = f"等级：公布{s.published_grade}，计算{s.computed_grade}"
            grade += "（等级变化）" if s.grade_changed else "（不变）"
        if s.reviewed_grade is not None:
            grade += f"，复核{s.reviewed_grade}"
        parts.append(grade)
        return "；".join(parts)
    parts = [f"{s.rows_checked} rows checked, {s.rows_differ} differ"]
    total = f"total: computed {fmt(s.computed_total)}"
    if s.published_total is not None:
        total = f"total: published {fmt(s.published_total)}, computed {fmt(s.computed_total)}"
        if s.compared_total is not None and s.compared_total != s.computed_total:
            total += f" ({fmt(s.compared_total)} at the table's precision)"
    if s.reviewed_total is not None:
        total += f", reviewed {fmt(s.reviewed_total)}"
    parts.append(total)
    computed = s.computed_grade_en or s.computed_grade
    grade = f"grade: computed {computed}"
    if s.published_grade is not None:
        grade = f"grade: published {s.published_grade_en or s.published_grade}, computed {computed}"
        grade += " (changed)" if s.grade_changed else " (unchanged)"
    if s.reviewed_grade is not None:
        grade += f", reviewed {s.reviewed_grade_en or s.reviewed_grade}"
    parts.append(grade)
    return "; ".join(parts)


WHY_WIDTH = 48
"""How many terminal columns the 说明 column of the terminal table takes (a CJK character
takes two); longer explanations are folded onto more lines."""


def _text(audit: Audit, lang: str, markdown: bool) -> str:
    labels = LABELS[lang]
    cell: Callable[[str], str] = markdown_cell if markdown else terminal_cell
    headers = [labels[k] for k in ("name", "points", "published", "computed", "difference",
                                   "check", "reviewed", "why")]
    rows = [[cell(text) for text in row] for row in _lines(audit, lang)]
    if not markdown:
        rows = [[*row[:-1], fold(row[-1], WHY_WIDTH)] for row in rows]
    e = audit.evaluation
    title = f"{labels['title']}：{e.project}" if lang == "zh" else f"{labels['title']}: {e.project}"
    out = [("## " + cell(title)) if markdown else cell(title), "",
           tabulate(rows, headers, tablefmt="pipe" if markdown else "simple",
                    disable_numparse=True), "", cell(summary_line(audit.summary, lang))]
    if e.findings:
        out += ["", f"{'### ' if markdown else ''}{labels['findings']}"]
        out += [f"- {cell(f.message_zh if lang == 'zh' else f.message_en)}" for f in e.findings]
    return "\n".join(out) + "\n"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)")


def _guarded(text: str) -> str:
    """A CSV text cell a spreadsheet will not run as a formula (OWASP): one that begins with
    ``= + - @``, TAB or CR gets a leading ``'``, unless it is a plain number (-0.38)."""
    text = visible(text).replace("\r\n", "\n").replace("\r", "\n")
    if text.lstrip(" \n").startswith(_FORMULA_START) and not _NUMBER.fullmatch(text.strip()):
        return "'" + text
    return text


def _csv(audits: Sequence[tuple[str, Audit]], lang: str) -> str:
    """One line per comparison (the funds row first, the total last), numbers as exact
    decimals, a byte-order mark first so that Excel reads the UTF-8; with several files a
    first column names each line's file."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\n")
    several = len(audits) > 1
    headers = _CSV_HEADERS[lang]
    writer.writerow([_CSV_FILE[lang], *headers] if several else headers)
    for file, audit in audits:
        for c in (*audit.rows, audit.total):
            row = _csv_row(c, lang)
            writer.writerow([_guarded(file), *row] if several else row)
    return buffer.getvalue()


def _csv_row(c: Comparison, lang: str) -> Sequence[str]:
    """One comparison: numbers as exact decimals; the status and whether it differs in words
    of the language (达成/met ..., 是/否 or true/false), the status as in evaluate's CSV."""
    yes, no = _YES_NO[lang]
    status = "" if c.status is None else c.status.zh if lang == "zh" else c.status.value
    return [_guarded(c.id), _guarded(_name(c, LABELS[lang])), _number(c.points),
            _number(c.published), _number(c.computed), _number(c.compared), _number(c.difference),
            "" if c.compared is None else yes if c.differs else no, _number(c.reviewed),
            _guarded(c.reviewed_reason), status,
            _guarded(c.explanation_zh if lang == "zh" else c.explanation_en)]
