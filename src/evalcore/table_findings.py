"""What the columnar path reports beside a row's scores: a missing reason, a published score
that differs, and which plugin a rule comes from.

`evalcore.table_scoring` (the indicators' columns) and `evalcore.table_funds` (the funds
block's) both report these the way the Decimal path does, in its order and with its Chinese
messages; here they are written once.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the public
surfaces); its own path may change in any release.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import numpy as np

from .column_scoring import CODES, ERROR, Column, FindingBatch, RowJob
from .published import compare, message_zh
from .results import Status
from .table_input import decimals_of, no_reason

__all__ = ["SHORT", "indicator_findings", "plugin_of", "published", "published_problems"]

_NA = CODES[Status.NOT_APPLICABLE]
SHORT = (CODES[Status.PARTLY_MET], CODES[Status.MISSED])
"""The status codes of a target not met: a reason is asked for."""


def plugin_of(plan: Any, job: RowJob) -> str:
    """The plugin that registered the row's rule, for the messages of its bugs."""
    entry = plan.registry.rules.get(job.compiled.rule.name)
    return entry.plugin if entry is not None else "?"


def indicator_findings(job: RowJob, columns: Mapping[str, Any], column: Column, n: int,
                       places: Any, compared: Any = None) -> None:
    """A shortfall without a reason, a published score that differs: after over-achievement,
    in the order the Decimal path reports them. ``compared``: the rows whose published score
    is compared (by default every row scored that applies)."""
    ind = job.compiled.indicator
    if compared is None:
        compared = (column.status != ERROR) & (column.status != _NA)
    if job.reason_required:
        short = (column.status == SHORT[0]) | (column.status == SHORT[1])
        short = no_reason(columns, f"{ind.id}.reason", short)
        column.findings.append(FindingBatch(np.flatnonzero(short), "missing-reason", ind.id,
                                            f"{ind.name}：未完成目标，但未填写偏差原因分析及改进措施"))
    published(job, columns, f"{ind.id}.published", column, compared, ind.name, ind.id, n, places)


def published_problems(columns: Mapping[str, Any], name: str, column: Column, n: int) -> None:
    """Scores only: a published score that cannot be read still stops its project (as when its
    findings are looked for), though it is compared with nothing."""
    if name in columns:
        decimals_of(columns, name, n, column.problems)


def published(job: RowJob, columns: Mapping[str, Any], name: str, column: Column, ok: Any,
              shown: str, ident: str, n: int, places: Any) -> None:
    """The published-differs findings of a row's published scores, each compared at its
    table's precision (`evalcore.published`)."""
    if name not in columns:
        return
    published = decimals_of(columns, name, n, column.problems)
    rows, messages = [], []
    # A portfolio repeats the same published score, score and precision: each is worded once
    # (None: they agree). The key holds the value's text, so 9 and 9.0 stay apart.
    seen: dict[tuple[str, int, int], str | None] = {}
    for row in np.flatnonzero(ok).tolist():
        value = published[row]
        if value is None:
            continue
        key = (str(value), int(column.score[row]), int(places[row]))
        if key not in seen:
            score = Decimal(key[1]).scaleb(-job.decimals)
            at, _ = compare(value, score, key[2] if key[2] >= 0 else None, job.decimals)
            seen[key] = None if value == at else message_zh(shown, value, score, at)
        message = seen[key]
        if message is not None:
            rows.append(row)
            messages.append(message)
    column.findings.append(FindingBatch(np.array(rows, np.int64), "published-differs", ident, messages))
