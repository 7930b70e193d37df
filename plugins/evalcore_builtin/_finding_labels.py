"""Chinese labels of the finding codes, for documents written in Chinese.

A finding's code (``missing-reason``) is an identifier for programs; a Chinese page shows
its label (缺少偏差原因) instead. The ``docx`` report keeps its own small table here rather
than share one with the form renderers, which are being rewritten in parallel; the two can
be merged into one module later. A code no table knows (a plugin's own) gets the generic
label `OTHER`, never the English identifier.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["FINDING_LABELS", "OTHER", "finding_label"]

FINDING_LABELS: Mapping[str, str] = MappingProxyType({
    "missing-actual": "缺少实际完成值",
    "ignored-actual": "不适用指标填有实际值",
    "missing-reason": "缺少偏差原因",
    "overachievement": "超额完成幅度较大",
    "overspent": "执行数超过预算数",
    "published-differs": "公布得分与计算得分不一致",
    "scheme-warning": "指标体系提示",
})
"""Finding code → its Chinese label."""

OTHER = "需关注的问题"
"""The label of a code not in `FINDING_LABELS`."""


def finding_label(code: str) -> str:
    """The Chinese label of a finding code (`OTHER` for a code this table does not know)."""
    return FINDING_LABELS.get(code, OTHER)
