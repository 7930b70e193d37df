"""The words of the draft 自评报告 (`evalcore_builtin.report`) in Chinese and in English.

The report's outline, its sentences and its blanks, one table per language with the same keys
(a test checks it), so the report's code says what goes where and this module says it in a
language. Each entry is a `str.format` template; what fills it in is a number already
formatted or a text from the user's file (never translated). The Chinese entries are the
report as it was first written: the outline of a published report and of ``domain.md`` §5.
"""

from __future__ import annotations

__all__ = ["BLANKS", "OUTLINES", "WORDS", "ordinal"]

OUTLINES = {
    "zh": ("一、基本情况", "（一）项目概况", "（二）资金情况", "（三）绩效目标",
           "二、自评工作开展情况", "三、评价结论", "四、绩效指标完成情况",
           "五、存在的问题及原因", "六、改进措施和建议", "附件：项目支出绩效自评表"),
    "en": ("1. Basic information", "(1) The project", "(2) Funds", "(3) Performance goals",
           "2. How the self-evaluation was done", "3. Conclusion",
           "4. Performance indicators", "5. Problems and their causes",
           "6. Measures and recommendations",
           "Annex: Project Expenditure Performance Self-Evaluation Form"),
}
"""The report's fixed headings, in order, per language. Section 四 (4) adds one heading per
二级 category."""

BLANKS = {"zh": ("【待填写：", "】"), "en": ("[To be completed: ", "]")}
"""How a blank left for a person begins and ends, per language."""

_NUMBERS = "一二三四五六七八九十"


def ordinal(n: int, lang: str = "zh") -> str:
    """The numbering of a second-level heading: （一）, （二） … （九十九） (（100） on), or
    (1), (2) … in English."""
    if lang == "en":
        return f"({n}) "
    if not 0 < n < 100:
        return f"（{n}）"
    tens, ones = divmod(n, 10)
    words = ("" if tens < 2 else _NUMBERS[tens - 1]) + ("十" if tens else "") + (
        _NUMBERS[ones - 1] if ones else "")
    return f"（{words}）"


WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "关于{year}{name}的绩效自评报告",
        "title_year": "{year}年度",
        "unit_blank": "单位名称",
        "draft_1": "本报告是依据项目支出绩效自评表生成的草稿：各项数据和得分取自自评表，",
        "draft_2": "标注",
        "draft_3": "处须由评价单位核实补充后定稿。",
        "draft_mark": "……",
        "basis_1": "根据",
        "basis_blank": "绩效评价依据的文件或要求",
        "basis_2": "，",
        "basis_3": "{unit}对{project}开展了绩效自评，现将自评情况报告如下：",
        "we": "我单位",
        "fact_project": "项目名称：{value}",
        "fact_department": "主管部门：{value}",
        "fact_implementer": "实施单位：{value}",
        "fact_year": "评价年度：{value}年度",
        "facts": "{facts}。",
        "facts_separator": "；",
        "background_blank": "项目背景、立项依据、主要内容及实施情况",
        "no_funds": "自评表未列项目资金。",
        "funds_blank": "资金投入和使用情况",
        "funds": "项目资金（{unit}）：{parts}。",
        "funds_initial": "年初预算数{value}", "funds_planned": "全年预算数{value}",
        "funds_received": "到位数{value}", "funds_executed": "全年执行数{value}",
        "funds_rate": "预算执行率{value}", "funds_separator": "，",
        "source": "其中：{name}，年初预算数{initial}，全年预算数{planned}，全年执行数{executed}。",
        "funds_reason": "执行情况说明：{reason}",
        "funds_header": "项目资金（{unit}）",
        "funds_use_blank": "资金管理和使用情况",
        "goal": "年度总体目标：{goal}",
        "goal_label": "年度总体目标：",
        "goal_blank": "年度总体目标",
        "levels": "绩效指标：自评表设一级指标{groups}个、二级指标{categories}个、三级指标{rows}个"
                  "{budget}，满分{points}分（各指标的年度指标值见第四部分和附件）。",
        "levels_budget": "，另设预算执行率",
        "places_whole": "取整数",
        "places": "保留{decimals}位小数",
        "work": "本次自评按评分规则“{profile}”{what}{rows}项三级指标逐项计分，各项得分{places}"
                "（四舍五入），总分为各项得分之和。",
        "work_budget": "对预算执行率和",
        "work_rows": "对",
        "work_blank": "自评的组织、依据、原则、方法和工作过程",
        "conclusion": "经自评，项目总体绩效得分为{total}分（满分{points}分），自评等级为“{grade}”。",
        "conclusion_budget": "预算执行率{rate}，得{score}分（分值{points}分）。",
        "group_part": "{name}得{score}分（分值{points}分）",
        "parts": "各部分得分：{parts}。",
        "parts_separator": "；",
        "conclusion_headers": "指标|分值|得分",
        "total": "总分",
        "grade": "自评等级",
        "achieved": "年度总体目标完成情况：{goal}",
        "achieved_label": "年度总体目标完成情况：",
        "achieved_blank": "年度总体目标的完成情况",
        "row_not_applicable": "{n}. {name}：年度指标值“{target}”，本项不适用，不计分。",
        "row": "{n}. {name}：年度指标值“{target}”，实际完成值“{actual}”，分值{points}分，得分{score}分。",
        "row_lost": "扣{lost}分：{explanation}。偏差原因：",
        "reason_blank": "偏差原因分析",
        "row_explained": "评分说明：{explanation}。",
        "budget_heading": "{name}（分值{points}分，得分{score}分）",
        "budget_explained": "{explanation}。",
        "budget_reason": "偏差原因：",
        "budget_reason_blank": "预算执行偏差原因分析",
        "category_heading": "{name}（{group}）",
        "category_scores": "：分值{points}分，得分{score}分",
        "problem_budget": "{n}. 预算执行不到位：{explanation}。原因：",
        "cause_blank": "原因分析",
        "problem_row": "{n}. {name}未完全达到年度指标值（年度指标值“{target}”，实际完成值“{actual}”），"
                       "扣{lost}分。原因：",
        "problem_finding": "{n}. {label}：{message}",
        "no_problems": "自评未发现失分的指标，也没有需关注的问题。",
        "problems_blank": "其他存在的问题及原因分析（如无，删去本段）",
        "measure_budget": "针对{name}：",
        "measure_budget_blank": "提高预算执行率的措施",
        "measure_reason": "针对{name}：自评表“偏差原因分析及改进措施”一栏写明：{reason}",
        "measure_row": "针对{name}：",
        "measure_blank": "改进措施",
        "measures_blank": "改进措施和建议",
        "annex_title": "项目支出绩效自评表{year}",
        "annex_year": "（{year}年度）",
        "annex_info": "项目基本信息",
        "annex_expected": "预期目标",
        "annex_achieved": "实际完成情况",
        "date_blank": "日期",
        "comments": "evalcore 生成的自评报告草稿",
    },
    "en": {
        "title": "Performance Self-Evaluation Report on {name}{year}",
        "title_year": " ({year})",
        "unit_blank": "name of the unit",
        "draft_1": "This report is a draft generated from the project expenditure performance "
                   "self-evaluation form: every figure and score is taken from the form; ",
        "draft_2": "the passages marked ",
        "draft_3": " must be checked and completed by the evaluating unit before it is final.",
        "draft_mark": "...",
        "basis_1": "In accordance with ",
        "basis_blank": "the documents or requirements the evaluation follows",
        "basis_2": ", ",
        "basis_3": "{unit} has carried out a performance self-evaluation of {project}. "
                   "It reports as follows:",
        "we": "our unit",
        "fact_project": "Project: {value}",
        "fact_department": "Competent department: {value}",
        "fact_implementer": "Implementing unit: {value}",
        "fact_year": "Year evaluated: {value}",
        "facts": "{facts}.",
        "facts_separator": "; ",
        "background_blank": "background, basis, main content and implementation of the project",
        "no_funds": "The self-evaluation form lists no project funds.",
        "funds_blank": "funds invested and how they were used",
        "funds": "Project funds ({unit}): {parts}.",
        "funds_initial": "budget at start of year {value}", "funds_planned": "full-year budget {value}",
        "funds_received": "received {value}", "funds_executed": "executed {value}",
        "funds_rate": "execution rate {value}", "funds_separator": ", ",
        "source": "Of which: {name}: budget at start of year {initial}, full-year budget "
                  "{planned}, executed {executed}.",
        "funds_reason": "Notes on execution: {reason}",
        "funds_header": "Project funds ({unit})",
        "funds_use_blank": "how the funds were managed and used",
        "goal": "Overall annual goal: {goal}",
        "goal_label": "Overall annual goal: ",
        "goal_blank": "overall annual goal",
        "levels": "Performance indicators: the form has {groups} level-1, {categories} level-2 and "
                  "{rows} level-3 indicators{budget}, {points} points in all (each indicator's "
                  "annual target is in part 4 and in the annex).",
        "levels_budget": ", and the budget execution rate",
        "places_whole": "rounded to whole points",
        "places": "rounded to {decimals} decimal places",
        "work": "This self-evaluation scored {what}{rows} level-3 indicators one by one by the "
                "scoring profile \u201c{profile}\u201d, each score {places} (half up); the total is "
                "the sum of the scores.",
        "work_budget": "the budget execution rate and ",
        "work_rows": "",
        "work_blank": "organisation, basis, principles, methods and process of the self-evaluation",
        "conclusion": "The self-evaluation gives the project a total performance score of {total} "
                      "({points} points in all), grade \u201c{grade}\u201d.",
        "conclusion_budget": "Budget execution rate {rate}: {score} points (of {points}).",
        "group_part": "{name} {score} points (of {points})",
        "parts": "Scores by part: {parts}.",
        "parts_separator": "; ",
        "conclusion_headers": "Indicator|Points|Score",
        "total": "Total",
        "grade": "Grade",
        "achieved": "Overall annual goal achieved: {goal}",
        "achieved_label": "Overall annual goal achieved: ",
        "achieved_blank": "how far the overall annual goal was achieved",
        "row_not_applicable": "{n}. {name}: annual target \u201c{target}\u201d; this indicator "
                              "does not apply and is not scored.",
        "row": "{n}. {name}: annual target \u201c{target}\u201d, actual \u201c{actual}\u201d, "
               "{points} points, score {score}.",
        "row_lost": "{lost} points lost: {explanation}. Reason for the deviation: ",
        "reason_blank": "analysis of the deviation",
        "row_explained": "How it was scored: {explanation}.",
        "budget_heading": "{name} ({points} points, score {score})",
        "budget_explained": "{explanation}.",
        "budget_reason": "Reason for the deviation: ",
        "budget_reason_blank": "analysis of the deviation in budget execution",
        "category_heading": "{name} ({group})",
        "category_scores": ": {points} points, score {score}",
        "problem_budget": "{n}. Budget not fully executed: {explanation}. Cause: ",
        "cause_blank": "analysis of the cause",
        "problem_row": "{n}. {name} fell short of its annual target (annual target "
                       "\u201c{target}\u201d, actual \u201c{actual}\u201d): {lost} points lost. Cause: ",
        "problem_finding": "{n}. {label}: {message}",
        "no_problems": "The self-evaluation found no indicator that lost points and nothing to "
                       "review.",
        "problems_blank": "other problems and their causes (delete this paragraph if there are none)",
        "measure_budget": "For the {name}: ",
        "measure_budget_blank": "measures to raise the execution rate",
        "measure_reason": "For {name}: the form's column \u201cReasons for deviation and "
                          "measures\u201d says: {reason}",
        "measure_row": "For {name}: ",
        "measure_blank": "measures",
        "measures_blank": "measures and recommendations",
        "annex_title": "Project Expenditure Performance Self-Evaluation Form{year}",
        "annex_year": " ({year})",
        "annex_info": "Project information",
        "annex_expected": "Expected",
        "annex_achieved": "Achieved",
        "date_blank": "date",
        "comments": "Draft self-evaluation report generated by evalcore",
    },
}
"""Every sentence of the report, per language: the same keys in both."""
