"""The 决策/过程/产出/效益 framework: its categories and aliases, its three profiles, and the
``min_share`` check (产出 + 效益 ≥ 60%) in the profile's weight checks."""

from __future__ import annotations

from decimal import Decimal

import pytest
from helpers import evaluate_text, project_toml
from hypothesis import given, settings
from hypothesis import strategies as st

import evalcore
from evalcore.build import build_project
from evalcore.loading import load_text
from evalcore.profile import read_profile

D = Decimal

CATEGORY_ALIASES = {
    # level-2 wording of real tables → the category it names
    "项目立项": "project-initiation", "立项依据": "project-initiation",
    "立项程序规范性": "project-initiation", "决策过程": "project-initiation",
    "绩效目标": "performance-objectives", "目标设置": "performance-objectives",
    "绩效指标明确性": "performance-objectives",
    "资金投入": "funding-inputs", "预算编制": "funding-inputs", "资金分配": "funding-inputs",
    "预算配置": "funding-inputs",
    "资金管理": "fund-management", "财务管理": "fund-management", "资金到位": "fund-management",
    "资金使用": "fund-management", "预算管理": "fund-management",
    "组织实施": "implementation", "业务管理": "implementation", "项目管理": "implementation",
    "管理制度": "implementation", "制度执行": "implementation",
    "职责履行": "duties",
    "项目效益": "project-benefits", "履职效益": "project-benefits",
    "产出数量": "quantity", "产出质量": "quality", "产出时效": "timeliness", "产出成本": "cost",
    "满意度": "satisfaction",
    "预算执行": "budget",  # the self-evaluation's budget row keeps its alias
}

GROUP_ALIASES = {
    "决策": "decision", "项目决策": "decision", "投入": "decision",
    "过程": "process", "管理": "process", "项目管理": "process",
    "产出": "outputs", "项目产出": "outputs",
    "效益": "benefits", "项目效益": "benefits", "效果": "benefits",
}


@pytest.mark.parametrize(("alias", "name"), CATEGORY_ALIASES.items())
def test_the_framework_wording_names_a_category(registry, alias, name):
    assert registry.category(alias).name == name


@pytest.mark.parametrize(("alias", "name"), GROUP_ALIASES.items())
def test_the_framework_wording_names_a_group(registry, alias, name):
    assert registry.group(alias).name == name


@pytest.mark.parametrize(("category", "group", "rule"), [
    ("project-initiation", "decision", "checklist"), ("performance-objectives", "decision", "checklist"),
    ("funding-inputs", "decision", "checklist"), ("fund-management", "process", "standard"),
    ("implementation", "process", "checklist"), ("duties", "outputs", "standard"),
    ("project-benefits", "benefits", "standard")])
def test_each_framework_category_sits_in_its_group_with_its_default_rule(registry, category, group, rule):
    item = registry.category(category)
    assert item.group == group
    assert item.default_rule == rule


def test_a_misspelled_framework_category_is_located_with_a_suggestion(registry):
    text = project_toml([row("a", "项目立向", 100)], profile="third-party",
                        settings={"min_share_severity": "warning"})
    with pytest.raises(evalcore.EvalcoreError) as info:
        evaluate_text(text, registry)
    assert "项目立向" in str(info.value) and "项目立项" in str(info.value)


# -- the profiles ---------------------------------------------------------------------------------

PROFILES = {
    "third-party": ({"decision": 20, "process": 20, "outputs": 30, "benefits+satisfaction": 30},
                    {"outputs+benefits+satisfaction": 60}, "error"),
    "department-wide": ({"decision": 10, "process": 30, "outputs": 30, "benefits+satisfaction": 30},
                        {"outputs+benefits+satisfaction": 60}, "warning"),
    "local-10-25-30-35": ({"decision": 10, "process": 25, "outputs": 30, "benefits+satisfaction": 35},
                          {}, "error"),
}


@pytest.mark.parametrize("name", PROFILES)
def test_each_framework_profile_has_its_weights_and_shares(registry, name):
    weights, shares, severity = PROFILES[name]
    profile = registry.profile(name)
    assert profile.weights == {k: D(v) for k, v in weights.items()}
    assert profile.min_share == {k: D(v) for k, v in shares.items()}
    assert profile.min_share_severity == severity
    # the rest is national-2020's: grades 90/80/60, 2 decimals, total 100
    assert [(g.name, g.minimum) for g in profile.grades] == [("优", 90), ("良", 80), ("中", 60), ("差", 0)]
    assert profile.decimals == 2 and profile.total == 100


def row(id: str, category: str, points: object, *, group: str | None = None,
        target: str = "≥1项", actual: str = "1项") -> dict[str, object]:
    """A met row (scored by ``standard``, even in a checklist category) of ``points``."""
    r: dict[str, object] = {"id": id, "name": id, "category": category, "points": points,
                            "target": target, "actual": actual, "rule": "standard"}
    if group:
        r["group"] = group
    return r


def framework_rows(decision: object, process: object, outputs: object, benefits: object,
                   satisfaction: object = 0) -> list[dict[str, object]]:
    rows = [row("d", "项目立项", decision), row("p", "资金管理", process),
            row("o", "产出数量", outputs), row("b", "项目效益", benefits)]
    if satisfaction:
        rows.append(row("s", "满意度", satisfaction))
    return rows


def test_local_table_with_its_weights_has_no_warning(registry):
    text = project_toml(framework_rows(10, 25, 30, 25, 10), profile="local-10-25-30-35")
    ev = evaluate_text(text, registry)
    assert ev.total == 100
    assert [g.name for g in ev.groups] == ["decision", "process", "outputs", "benefits", "satisfaction"]
    assert not [f for f in ev.findings if f.code == "scheme-warning"]


def test_local_table_with_other_weights_is_warned_per_group(registry):
    text = project_toml(framework_rows(20, 15, 30, 25, 10), profile="local-10-25-30-35")
    warnings = [f.message_en for f in evaluate_text(text, registry).findings if f.code == "scheme-warning"]
    assert any("'decision' carries 20" in w and "10 by default" in w for w in warnings)
    assert any("'process' carries 15" in w and "25 by default" in w for w in warnings)


def test_satisfaction_moved_under_benefits_counts_as_benefits(registry):
    rows = [*framework_rows(10, 25, 30, 25), row("s", "满意度", 10, group="效益")]
    ev = evaluate_text(project_toml(rows, profile="local-10-25-30-35"), registry)
    assert [(g.name, g.points) for g in ev.groups][-1] == ("benefits", 35)
    assert ev.rows[-1].group == "benefits" and ev.rows[-1].category == "satisfaction"
    assert not [f for f in ev.findings if f.code == "scheme-warning"]


# -- min_share: 产出 + 效益 ≥ 60% --------------------------------------------------------------------


def share_problems(registry, *points: object, profile: str = "third-party",
                   settings: dict[str, object] | None = None) -> list[evalcore.Problem]:
    """The min_share problems (errors or warnings) of compiling a framework project whose
    weights are set to what it carries, so that only min_share can speak."""
    decision, process, outputs, benefits = points
    weights = {"decision": decision, "process": process, "outputs": outputs, "benefits": benefits}
    text = project_toml(framework_rows(*points), profile=profile,
                        settings={"weights": weights, **(settings or {})})
    scheme = build_project(load_text(text, "project.toml"), registry).scheme
    try:
        found = list(evalcore.compile(scheme, registry).warnings)
    except evalcore.EvalcoreError as exc:
        found = list(exc.problems)
    return [p for p in found if "min_share" in p.message]


def test_sixty_percent_passes_and_fifty_nine_fails_with_a_located_message(registry):
    assert share_problems(registry, 20, 20, 30, 30) == []
    [problem] = share_problems(registry, 21, 20, 30, 29)
    assert problem.severity == "error"
    assert problem.origin.file == "project.toml"
    assert problem.message == ("level 1 'outputs+benefits+satisfaction' carries 59 of the 100 points "
                               "(59%); profile 'third-party' wants at least 60% (min_share)")
    assert problem.message_zh == ("产出指标 + 效益指标 + 满意度指标合计59分，占总分100分的59%，"
                                  "低于评价规则“third-party”要求的60%")


def test_a_short_share_stops_a_third_party_evaluation_with_exit_2(registry, tmp_path, capsys):
    from helpers import run
    path = tmp_path / "project.toml"
    path.write_text(project_toml(framework_rows(30, 20, 25, 25), profile="third-party",
                                 settings={"weights": {"decision": 30, "process": 20, "outputs": 25,
                                                       "benefits": 25}}), encoding="utf-8")
    code, _, err = run(capsys, "evaluate", path)
    assert code == 2
    assert "低于评价规则“third-party”要求的60%" in err and "project.toml" in err
    assert "Traceback" not in err
    code, _, err = run(capsys, "evaluate", path, "--lang", "en")
    assert code == 2 and "wants at least 60% (min_share)" in err


def test_a_short_share_is_a_warning_where_the_profile_says_so(registry):
    rows = framework_rows(20, 30, 25, 25)
    weights = {"decision": 20, "process": 30, "outputs": 25, "benefits": 25}
    ev = evaluate_text(project_toml(rows, profile="department-wide", settings={"weights": weights}),
                       registry)
    [finding] = [f for f in ev.findings if f.code == "scheme-warning"]
    assert "50%" in finding.message_en and "60%" in finding.message_zh
    ev = evaluate_text(project_toml(rows, profile="third-party",
                                    settings={"weights": weights, "min_share_severity": "warning"}),
                       registry)
    assert [f for f in ev.findings if f.code == "scheme-warning" and "min_share" in f.message_en]


def test_a_share_is_checked_on_the_points_the_scheme_carries_not_on_100(registry):
    # 150 points in all (a profile total of 150): 90 of 150 is exactly 60%
    text = project_toml(framework_rows(30, 30, 45, 45), profile="third-party",
                        settings={"total": 150, "weights": {}})
    assert evaluate_text(text, registry).total == 150
    text = project_toml(framework_rows(31, 30, 45, 44), profile="third-party",
                        settings={"total": 150, "weights": {}})
    with pytest.raises(evalcore.EvalcoreError, match=r"89 of the 150 points \(59.33%\)"):
        evaluate_text(text, registry)


@pytest.mark.parametrize(("table", "message"), [
    ({"min_share": {"outputs+benfits": 60}}, "min_share of the unknown group 'benfits'"),
    ({"min_share": {"outputs": 120}}, "from 0 to 100, not 120"),
    ({"min_share": {"outputs": "sixty"}}, "min_share.outputs"),
    ({"min_share_severity": "warn"}, "min_share_severity must be \"error\" or \"warning\""),
])
def test_a_wrong_min_share_setting_is_reported(registry, table, message):
    text = project_toml(framework_rows(20, 20, 30, 30), profile="third-party",
                        settings={"weights": {}, **table})
    with pytest.raises(evalcore.EvalcoreError) as info:
        evaluate_text(text, registry)
    shown = "\n".join(str(p) for p in info.value.problems)
    assert message in shown
    if "benfits" in message:
        assert "benefits" in shown  # did you mean


def test_read_profile_keeps_min_share_as_exact_decimals():
    profile, problems = read_profile({"name": "p", "aggregation": "sum",
                                      "grades": [{"name": "a", "min": 0}],
                                      "min_share": {"outputs+benefits": 62.5}})
    assert problems == []
    assert profile.min_share == {"outputs+benefits": D("62.5")}
    assert profile.min_share_severity == "error"


points = st.integers(min_value=0, max_value=100)


@settings(max_examples=60, deadline=None)
@given(decision=points, process=points, outputs=points, benefits=points,
       least=st.integers(min_value=0, max_value=100))
def test_a_share_is_reported_exactly_when_it_is_below_the_least(registry, decision, process, outputs,
                                                               benefits, least):
    total = decision + process + outputs + benefits
    if total == 0:
        return
    shares = {"min_share": {"outputs+benefits+satisfaction": least}, "total": total}
    problems = share_problems(registry, decision, process, outputs, benefits, settings=shares)
    short = (outputs + benefits) * 100 < least * total
    assert [p.severity for p in problems] == (["error"] if short else [])


# -- rendering: a framework table in every format, with its own level-1 groups ----------------

LEVEL1 = {"zh": ["决策", "过程", "产出指标", "效益指标"],
          "en": ["Decision", "Process", "Outputs", "Benefits"]}
LEVEL2 = {"zh": ["项目立项", "绩效目标", "资金投入", "资金管理", "组织实施", "项目效益"],
          "en": ["Project initiation", "Performance objectives", "Funding inputs", "Fund management",
                 "Implementation", "Project benefits"]}
NATIONAL_ONLY = {"zh": ["执行率线"], "en": ["Budget execution rate", "Execution rate"]}
"""The funds row's words (its 执行率 column, its chart, its English name): a framework table has
no funds row (its 预算执行率 is a 资金管理 row)."""

FUNDS_BLOCK = {"zh": ["年度资金总额", "全年预算数", "到位数", "全年执行数"],
               "en": ["Total annual funds", "Full-year budget", "Received", "Executed"]}
"""The 项目资金 block's words, which a framework table shows without a funds row."""


def _text(result: evalcore.Evaluation, fmt: str, lang: str) -> str:
    """What a reader of ``fmt`` sees: the text of every cell or paragraph, one per line."""
    import io
    import json

    out = evalcore.render(result, fmt, lang=lang)
    if fmt == "xlsx":
        openpyxl = pytest.importorskip("openpyxl")
        book = openpyxl.load_workbook(io.BytesIO(out))
        return "\n".join(str(c) for ws in book for r in ws.iter_rows(values_only=True) for c in r if c)
    if fmt == "docx":
        docx = pytest.importorskip("docx")
        doc = docx.Document(io.BytesIO(out))
        cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
        return "\n".join([*cells, *(p.text for p in doc.paragraphs)])  # the 自评表 first
    if fmt == "json":
        data = json.loads(out)
        return "\n".join([*(f"{g['name']} {g['zh']}" for g in data["groups"]),
                          *(f"{r['group']} {r['category']}" for r in data["indicators"])])
    assert isinstance(out, str)
    return out


@pytest.fixture(scope="module")
def local_result() -> evalcore.Evaluation:
    from conftest import EXAMPLES
    return evalcore.evaluate(evalcore.load_project(EXAMPLES / "local-self-2023" / "project.toml"))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "html", "xlsx", "docx"])
def test_a_framework_table_renders_its_own_level_1_groups_in_order(local_result, fmt, lang):
    if fmt == "html":
        pytest.importorskip("jinja2")
    text = _text(local_result, fmt, lang)
    positions = [text.find(name) for name in LEVEL1[lang]]
    assert -1 not in positions, (LEVEL1[lang], positions)
    assert positions == sorted(positions)  # in the table's order: 决策, 过程, 产出, 效益
    for name in LEVEL2[lang]:
        assert name in text
    for national in NATIONAL_ONLY[lang]:  # no funds row, no 满意度 group of its own
        assert national not in text
    for funds in FUNDS_BLOCK[lang]:  # but the project's funds, with 到位数
        assert funds in text, funds


def test_json_keeps_the_framework_groups_and_categories_by_identifier(local_result):
    text = _text(local_result, "json", "zh")
    assert text.splitlines()[:4] == ["decision 决策", "process 过程", "outputs 产出指标", "benefits 效益指标"]
    assert "process fund-management" in text and "benefits satisfaction" in text


@pytest.mark.parametrize(("lang", "where"), [("zh", "（资金管理 / 过程）"),
                                             ("en", "(Fund management / Process)")])
def test_explain_names_the_row_s_framework_category_and_group(capsys, lang, where):
    from conftest import EXAMPLES
    from helpers import run
    code, out, _ = run(capsys, "explain", EXAMPLES / "local-self-2023" / "project.toml", "compliance",
                       "--lang", lang)
    assert code == 0 and where in out.splitlines()[0]


def test_a_scheme_states_min_share_whole_and_an_empty_table_turns_it_off(registry):
    rows = framework_rows(30, 20, 25, 25)
    weights = {"decision": 30, "process": 20, "outputs": 25, "benefits": 25}
    ev = evaluate_text(project_toml(rows, profile="third-party",
                                    settings={"weights": weights, "min_share": {}}), registry)
    assert ev.total == 100 and not [f for f in ev.findings if "min_share" in f.message_en]
    # replaced, not merged: the profile's "outputs+benefits+satisfaction" = 60 is gone
    ev = evaluate_text(project_toml(rows, profile="third-party",
                                    settings={"weights": weights, "min_share": {"outputs": 20}}), registry)
    assert ev.total == 100
    with pytest.raises(evalcore.EvalcoreError, match="level 1 'outputs' carries 25 of the 100"):
        evaluate_text(project_toml(rows, profile="third-party",
                                   settings={"weights": weights, "min_share": {"outputs": 30}}), registry)


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_the_testing_strategies_draw_no_category_whose_rows_need_their_conditions(registry, data):
    from evalcore import testing
    indicator = data.draw(testing.indicators(registry))
    assert registry.category(indicator.category).default_rule != "checklist"


def test_the_testing_strategies_still_draw_the_framework_s_standard_categories(registry):
    from evalcore.testing import _scores_bare_rows
    assert _scores_bare_rows(registry, registry.category("fund-management"))
    assert not _scores_bare_rows(registry, registry.category("project-initiation"))


def test_an_audit_scores_a_table_with_a_short_share_and_reports_it(capsys):
    from conftest import ROOT
    from helpers import run
    path = ROOT / "tests" / "fixtures" / "framework" / "short-share.toml"
    audit = evalcore.audit(evalcore.load_project(path))
    assert audit.evaluation.total == 100
    [finding] = [f for f in audit.evaluation.findings if f.code == "scheme-warning"]
    assert "wants at least 60% (min_share)" in finding.message_en
    code, out, _ = run(capsys, "audit", path)
    assert code == 0 and "低于评价规则“third-party”要求的60%" in out
    code, _, err = run(capsys, "evaluate", path)  # an evaluation is refused all the same
    assert code == 2 and "要求的60%" in err
