"""The words of the official documents (the HTML form, the workbook, the report's tables) in
Chinese and in English: one table, so the three documents say the same thing in each language.

The 自评表 is a Chinese form, so ``"zh"`` is the default and its labels are the form's own,
verbatim (the importer finds its blocks by them). ``"en"`` writes the same document in
English: every label, the names of the built-in 一级/二级 indicator groups, the funds
sources the form always prints, the signature block and the charts. What the user wrote
(project, indicator, target, actual, unit, reasons, goals, a plugin category's name) is
never translated: it is data.

The ``lang`` option, the languages and the English names of the groups and categories are
`evalcore_builtin._text_labels`'s, shared with the text formats.
"""

from __future__ import annotations

import attrs

from evalcore.plugin import Evaluation

__all__ = ["EN", "SOURCE_EN", "ZH", "FormLabels", "grade_name", "labels"]


@attrs.frozen
class FormLabels:
    """Every label a document of the form writes, in one language (but the 项目资金 block's
    column labels, which are `_text_labels.LABELS`'s, shared with the text formats)."""

    lang: str
    html_lang: str
    title: str
    year: str  # a format string with {year}
    page_title: str  # {project}
    project: str
    department: str
    implementer: str
    funds: str  # the funds block's label; {unit} when there is a unit
    funds_no_unit: str
    funds_total: str
    of_which: str  # {name}: the first 其中 line
    goal: str
    goal_expected: str
    goal_achieved: str
    indicator_headers: tuple[str, ...]
    review: str
    total: str
    grade: str  # {grade}
    signature: tuple[str, str, str, str]
    points_caption: str
    points_aria: str
    scored: str  # {score}
    lost_part: str  # {lost}
    budget_caption: str  # {profile} {line}
    budget_aria: str
    budget_rate: str
    line: str  # {line}
    lost_heading: str
    nothing_lost: str
    findings_heading: str
    findings_headers: tuple[str, str, str]
    no_findings: str
    reason: str  # {reason}: after a lost point's explanation
    footer: str  # {scheme} {profile}
    sheet_form: str
    sheet_notes: str
    budget_name: str  # the funds row's name (the budget category)


ZH = FormLabels(
    lang="zh", html_lang="zh-CN",
    title="项目支出绩效自评表", year="（{year}年度）", page_title="{project} 绩效自评表",
    project="项目名称", department="主管部门", implementer="实施单位",
    funds="项目资金（{unit}）", funds_no_unit="项目资金", funds_total="年度资金总额",
    of_which="其中：{name}",
    goal="年度总体目标", goal_expected="预期目标", goal_achieved="实际完成情况",
    indicator_headers=("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                       "偏差原因分析及改进措施"),
    review="复核", total="总分", grade="自评等级：{grade}",
    signature=("填表人：", "联系电话：", "填报日期：", "单位负责人："),
    points_caption="各二级指标得分与扣分（分）", points_aria="各二级指标得分与扣分",
    scored="得{score}", lost_part="，扣{lost}",
    budget_caption="预算执行率与{profile}的执行率线（{line}）", budget_aria="预算执行率",
    budget_rate="预算执行率", line="线 {line}",
    lost_heading="扣分说明", nothing_lost="无：各项均得满分",
    findings_heading="需关注的问题", findings_headers=("类别", "指标", "说明"), no_findings="无",
    reason="（原因：{reason}）", footer="评价方案：{scheme}；评分规则：{profile}",
    sheet_form="自评表", sheet_notes="说明", budget_name="预算执行率",
)

EN = FormLabels(
    lang="en", html_lang="en",
    title="Project Expenditure Performance Self-Evaluation Form", year="({year})",
    page_title="{project}: Performance Self-Evaluation Form",
    project="Project", department="Competent department", implementer="Implementing unit",
    funds="Project funds ({unit})", funds_no_unit="Project funds", funds_total="Total annual funds",
    of_which="of which: {name}",
    goal="Overall annual goal", goal_expected="Expected", goal_achieved="Achieved",
    indicator_headers=("Level-1 indicator", "Level-2 indicator", "Level-3 indicator",
                       "Annual target", "Actual", "Points", "Score",
                       "Reasons for deviation and measures"),
    review="Reviewed", total="Total", grade="Grade: {grade}",
    signature=("Filled in by:", "Telephone:", "Date:", "Head of unit:"),
    points_caption="Points scored and lost per level-2 indicator",
    points_aria="Points scored and lost per level-2 indicator",
    scored="scored {score}", lost_part=", lost {lost}",
    budget_caption="Budget execution rate against the line of {profile} ({line})",
    budget_aria="Budget execution rate", budget_rate="Execution rate", line="line {line}",
    lost_heading="Points lost", nothing_lost="None: every row scored full points",
    findings_heading="Findings to review", findings_headers=("Kind", "Indicator", "Message"),
    no_findings="None",
    reason=" (reason: {reason})", footer="Scheme: {scheme}; scoring profile: {profile}",
    sheet_form="Self-evaluation form", sheet_notes="Notes",
    budget_name="Budget execution rate",
)


def labels(lang: str) -> FormLabels:
    """The labels of ``lang`` (``zh`` or ``en``; the renderer option has checked it)."""
    return EN if lang == "en" else ZH


SOURCE_EN = {
    "当年财政拨款": "current-year appropriation",
    "上年结转资金": "carried over from last year",
    "其他资金": "other funds",
}
"""The English names of the three standard sources of funds (the 其中 lines)."""


def grade_name(e: Evaluation, lang: str) -> str:
    """The grade in ``lang``: in English its English name, or, for a profile's grade that has
    none, the grade as it is named."""
    return (e.grade_en or e.grade) if lang == "en" else e.grade
