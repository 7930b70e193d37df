"""Chinese labels for the finding codes, for pages printed in Chinese.

A finding carries a stable English code (``overachievement``) for programs and
a Chinese message for people. The official form shows the code as a short
Chinese label (超额完成) instead of ``[overachievement]``: this is the one table
of them. A test walks the engine's source for every code it can emit and
checks that each has a label here; a code a third-party plugin invents, and
this table does not know, is shown as it is.
"""

from __future__ import annotations

__all__ = ["FINDING_LABELS", "finding_label"]

FINDING_LABELS: dict[str, str] = {
    "missing-actual": "缺少实际值",
    "ignored-actual": "不适用项填有实际值",
    "missing-reason": "未说明偏差原因",
    "overachievement": "超额完成",
    "overspent": "超预算支出",
    "published-differs": "公布得分与计算不符",
    "scheme-warning": "方案提示",
    "ambiguous-direction": "目标方向不明",
    "signed-actual": "实际值带比较符号",
}


def finding_label(code: str) -> str:
    """The Chinese label of ``code``; an unknown code (a plugin's own) as it is."""
    return FINDING_LABELS.get(code, code)
