"""The words the text formats write around the user's data, in Chinese and in English.

The 自评表 is a Chinese form: its labels (项目名称, 年初预算数, 偏差原因分析及改进措施 ...)
are the keys of `LABELS`, and their English is the value, so a format is written once,
with its Chinese labels, and `label` gives the language asked. Languages are exactly
`LANGUAGES`; the renderers' ``lang`` option (`LANG`) accepts those and nothing else.
The html, xlsx and docx documents word the rest of the form's furniture themselves.
"""

from __future__ import annotations

from typing import Any

from evalcore.plugin import HintedError, Param, suggest

__all__ = ["CATEGORY_EN", "GROUP_EN", "LABELS", "LANG", "LANGUAGES", "label", "language",
           "level_name"]

LANGUAGES = ("zh", "en")
"""The languages every built-in renderer writes: Chinese (the default) and English."""

# What people write for the two languages, so that a near miss gets a "did you mean".
_MEANT = {"zh": ("cn", "chs", "zh-cn", "zh_cn", "zh-hans", "chinese", "中文", "zn"),
          "en": ("eng", "en-us", "en_us", "en-gb", "english", "英文")}


def language(value: Any) -> str:
    """``"zh"`` or ``"en"``; anything else is an error naming the two, with a "did you mean"
    for a near miss (``"cn"``, ``"zh-CN"``, ``"english"``)."""
    if value in LANGUAGES:
        return str(value)
    text = str(value).strip().lower()
    meant = next((lang for lang, names in _MEANT.items() if text in names), None)
    hint = f"did you mean {meant!r}?" if meant else suggest(text, LANGUAGES)
    raise HintedError(f"{value!r} is not one of zh, en (zh: Chinese, en: English)", hint)


LANG = Param("lang", language, "zh",
             "the language of the labels, explanations and findings: zh (Chinese, the default) "
             "or en (English)")
"""The ``lang`` option every built-in text format declares."""

LABELS: dict[str, str] = {
    "项目支出绩效自评表": "Project Expenditure Performance Self-Evaluation Form",
    "项目基本信息": "Project information",
    "项目名称": "Project",
    "主管部门": "Competent department",
    "实施单位": "Implementing unit",
    "评价方案 / 规则": "Scheme / profile",
    "项目资金": "Project funds",
    "年度资金总额": "Total annual funds",
    "其中": "of which",
    "年初预算数": "Budget at start of year",
    "全年预算数": "Full-year budget",
    "到位数": "Received",
    "全年执行数": "Executed",
    "分值": "Points",
    "执行率": "Execution rate",
    "得分": "Score",
    "年度总体目标": "Overall annual goal",
    "预期目标": "Expected",
    "实际完成情况": "Achieved",
    "一级指标": "Level-1 indicator",
    "二级指标": "Level-2 indicator",
    "三级指标": "Level-3 indicator",
    "年度指标值": "Annual target",
    "实际完成值": "Actual",
    "偏差原因分析及改进措施": "Reasons for deviation and measures",
    "总分": "Total",
    "自评等级": "Grade",
    "扣分说明": "Points lost",
    "扣分说明（每一处失分）": "Points lost (every one)",
    "需关注的问题": "Findings to review",
    "无：各项均得满分": "None: every row scored full points",
    "预算执行率": "Budget execution rate",
    "原因": "reason",
    "编号": "id",
    "状态": "Status",
    "说明": "Explanation",
}
"""Every Chinese label of the text formats, and its English."""


def label(text: str, lang: str) -> str:
    """``text`` (a key of `LABELS`) in ``lang``: itself in Chinese, its English otherwise."""
    return text if lang == "zh" else LABELS[text]


GROUP_EN = {
    "budget": "Budget execution", "outputs": "Outputs", "benefits": "Benefits",
    "satisfaction": "Satisfaction", "decision": "Decision", "process": "Process",
}
"""The English names of the built-in level-1 groups (一级指标), by identifier."""

CATEGORY_EN = {
    "budget": "Budget execution rate", "quantity": "Quantity", "quality": "Quality",
    "timeliness": "Timeliness", "cost": "Cost", "economic": "Economic benefits",
    "social": "Social benefits", "ecological": "Ecological benefits",
    "sustainability": "Sustainable impact", "satisfaction": "Beneficiary satisfaction",
    "project-initiation": "Project initiation", "performance-objectives": "Performance objectives",
    "funding-inputs": "Funding inputs", "fund-management": "Fund management",
    "implementation": "Implementation", "duties": "Duties",
    "project-benefits": "Project benefits",
}
"""The English names of the built-in level-2 categories (二级指标), by identifier."""


def level_name(name: str, zh: str, lang: str, table: dict[str, str]) -> str:
    """A group's or category's name in ``lang``: its Chinese name, or in English the built-in
    name from ``table``, else its identifier (a plugin's own, ASCII) in words
    (``cost-control`` → Cost control)."""
    if lang != "en":
        return zh
    words = name.replace("-", " ").replace("_", " ").strip()
    return table.get(name) or (words[:1].upper() + words[1:] if words else zh)
