"""Labels for the finding codes: Chinese for pages printed in Chinese, English for English ones.

A finding carries a stable English code (``overachievement``) for programs and
a Chinese message for people. The official form shows the code as a short
Chinese label (超额完成) instead of ``[overachievement]``: this is the one table
of them. A test walks the engine's source for every code it can emit and
checks that each has a label here; a code a third-party plugin invents, and
this table does not know, is shown as it is. An English document shows the English label
(`FINDING_LABELS_EN`: a few words, not the code) beside the finding's English message.
"""

from __future__ import annotations

__all__ = ["FINDING_LABELS", "FINDING_LABELS_EN", "finding_label"]

FINDING_LABELS: dict[str, str] = {
    "missing-actual": "缺少实际值",
    "ignored-actual": "不适用项填有实际值",
    "missing-reason": "未说明偏差原因",
    "overachievement": "超额完成",
    "overspent": "超预算支出",
    "published-differs": "公布得分与计算不符",
    "scheme-warning": "方案提示",
    "points-sum": "分值合计不符",
    "ambiguous-direction": "目标方向不明",
    "signed-actual": "实际值带比较符号",
    "condition-not-met": "评价要点未满足",
}


FINDING_LABELS_EN: dict[str, str] = {
    "missing-actual": "Actual value missing",
    "ignored-actual": "Actual given for a row that does not apply",
    "missing-reason": "Reason for deviation missing",
    "overachievement": "Overachievement",
    "overspent": "Spending above budget",
    "published-differs": "Published score differs",
    "scheme-warning": "Scheme warning",
    "points-sum": "Points do not add up",
    "ambiguous-direction": "Direction of the target unclear",
    "signed-actual": "Actual written with a comparison sign",
    "condition-not-met": "Checklist condition not fully met",
}


def finding_label(code: str, lang: str = "zh") -> str:
    """The label of ``code`` in ``lang`` (Chinese by default); an unknown code (a plugin's
    own) as it is."""
    return (FINDING_LABELS_EN if lang == "en" else FINDING_LABELS).get(code, code)
