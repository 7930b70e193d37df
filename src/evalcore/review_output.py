"""A `Review` written out: the terminal table, Markdown and JSON of ``evalcore review``.

The table says what was reviewed, the conclusion with the counts, then one line per
finding: its severity, row (id and line), check, message and source. Labels are Chinese by
default; ``lang="en"`` gives English. Text from a file is made safe for where it goes
(control characters escaped for a terminal, Markdown escaped).

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the public
surfaces); its own path may change in any release.
"""

from __future__ import annotations

from collections.abc import Callable

from tabulate import tabulate

from .errors import EvalcoreError, Problem, quote, suggest
from .review_model import Review, ReviewFinding
from .table_cells import fold, markdown_cell, terminal_cell

__all__ = ["REVIEW_FORMATS", "REVIEW_LABELS", "check_review_format", "render_review", "source_text"]

REVIEW_FORMATS = ("table", "markdown", "json")

MESSAGE_WIDTH = 48
"""How many terminal columns the message column of the terminal table takes."""

REVIEW_LABELS: dict[str, dict[str, str]] = {
    "zh": {"title": "绩效目标审核", "profile": "评价规则", "year": "预算年度",
           "conclusion": "审核结论", "error": "错误", "warning": "警告", "info": "提示",
           "severity": "级别", "row": "指标", "line": "行", "check": "检查", "message": "说明",
           "source": "依据", "none": "未发现问题", "checks": "已运行的检查"},
    "en": {"title": "Target review", "profile": "profile", "year": "budget year",
           "conclusion": "conclusion", "error": "error", "warning": "warning", "info": "info",
           "severity": "severity", "row": "row", "line": "line", "check": "check",
           "message": "message", "source": "source", "none": "nothing found",
           "checks": "checks run"},
}
"""The labels of the review's outputs in each language (Chinese by default)."""


def check_review_format(format: str, lang: str = "zh") -> None:
    """An EvalcoreError, with "did you mean", for a format not in `REVIEW_FORMATS` or a
    language not in `REVIEW_LABELS`."""
    if format not in REVIEW_FORMATS:
        raise EvalcoreError([Problem(f"unknown review format {quote(format)}",
                                     hint=suggest(format, REVIEW_FORMATS)
                                     or f"one of {', '.join(REVIEW_FORMATS)}")])
    if lang not in REVIEW_LABELS:
        raise EvalcoreError([Problem(f"unknown language {quote(lang)}",
                                     hint=suggest(lang, REVIEW_LABELS) or "zh or en")])


def source_text(source: str, lang: str) -> str:
    """A check's source in ``lang``: "regulation: 财预…" is 制度：财预… in Chinese, "evalcore's
    choice" is evalcore设定."""
    if lang != "zh":
        return source
    if source.startswith("regulation: "):
        return "制度：" + source.removeprefix("regulation: ")
    return "evalcore设定" if source == "evalcore's choice" else source


def _kind(source: str, lang: str) -> str:
    """The source in a word, for the table's column: regulation or evalcore's choice."""
    if source.startswith("regulation: "):
        return "制度" if lang == "zh" else "regulation"
    return source_text(source, lang)


def render_review(review: Review, format: str = "table", lang: str = "zh") -> str:
    """``review`` as text in one of `REVIEW_FORMATS` (`check_review_format`)."""
    check_review_format(format, lang)
    if format == "json":
        return review.to_json() + "\n"
    return _text(review, lang, markdown=format == "markdown")


def _check_name(finding: ReviewFinding, lang: str) -> str:
    return (finding.check_zh or finding.check) if lang == "zh" else finding.check


def _row(finding: ReviewFinding, labels: dict[str, str], lang: str) -> list[str]:
    ids = ([finding.indicator] if finding.indicator else []) + list(finding.related)
    return [labels[finding.severity], ", ".join(ids),
            "" if finding.line is None else str(finding.line), _check_name(finding, lang),
            finding.message(lang), _kind(finding.source, lang)]


def _sources(review: Review, lang: str) -> list[str]:
    """One line per regulation the findings rest on, with the checks that cite it."""
    cited: dict[str, list[str]] = {}
    for finding in review.findings:
        if finding.source.startswith("regulation: "):
            names = cited.setdefault(finding.source, [])
            if _check_name(finding, lang) not in names:
                names.append(_check_name(finding, lang))
    if lang == "zh":
        return [f"{s.removeprefix('regulation: ')}（{'、'.join(c)}）" for s, c in cited.items()]
    return [f"{s.removeprefix('regulation: ')} ({', '.join(c)})" for s, c in cited.items()]


def _text(review: Review, lang: str, markdown: bool) -> str:
    labels = REVIEW_LABELS[lang]
    cell: Callable[[str], str] = markdown_cell if markdown else terminal_cell
    colon, sep = ("：", "，") if lang == "zh" else (": ", ", ")
    what = review.scheme + (f" ({review.file})" if review.file else "")
    head = [f"{labels['title']}{colon}{what}",
            f"{labels['profile']}{colon}{review.profile}"
            + (f"{sep}{labels['year']}{colon}{review.year}" if review.year else "")]
    counts = review.counts
    tally = sep.join(f"{labels[k]} {n}" for k, n in (
        ("error", counts.errors), ("warning", counts.warnings), ("info", counts.infos)))
    conclusion = review.conclusion if lang == "zh" else review.conclusion_en
    verdict = f"{labels['conclusion']}{colon}{conclusion}（{tally}）" if lang == "zh" else \
        f"{labels['conclusion']}{colon}{conclusion}; {tally}"
    out = [("## " + cell(head[0])) if markdown else cell(head[0]), cell(head[1]), "",
           ("**" + cell(verdict) + "**") if markdown else cell(verdict), ""]
    if review.findings:
        headers = [labels[k] for k in ("severity", "row", "line", "check", "message", "source")]
        rows = [[cell(text) for text in _row(f, labels, lang)] for f in review.findings]
        if not markdown:
            rows = [[*row[:4], fold(row[4], MESSAGE_WIDTH), row[5]] for row in rows]
        out.append(tabulate(rows, headers, tablefmt="pipe" if markdown else "simple",
                            disable_numparse=True))
        sources = _sources(review, lang)
        if sources:
            out += ["", *(cell(f"{labels['source']}{colon}{line}") for line in sources)]
    else:
        out.append(labels["none"])
    out += ["", cell(f"{labels['checks']}{colon}{', '.join(review.checks)}")]
    return "\n".join(out) + "\n"
