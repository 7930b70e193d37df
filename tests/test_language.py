"""One language at a time: no mixed-language line in any text format or in `evalcore explain`.

Every example under examples/ (the PEFA plugin's assessment with its plugin) and every golden
case under tests/golden is rendered as table, markdown and csv and explained row by row, in
Chinese and in English; JSON, which carries both languages, is checked field by field (each
``*_zh`` text Chinese, each ``*_en`` text English). What a mixed line is, and the allow-list
of identifiers, is in tests/language.py. A Hypothesis property does the same over random
schemes and projects, and each check is shown failing on a deliberately mixed line.
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from language import identifiers, mixed_lines, user_texts

import evalcore
from evalcore import testing
from evalcore.explain import explain
from evalcore.golden import _evaluate, find_case_files, load_cases
from evalcore.plugins import get_plugin_manager

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
PEFA = EXAMPLES / "plugins" / "evalcore-pefa"
TEXT_FORMATS = ("table", "markdown", "csv")
LANGS = ("zh", "en")
PROJECTS = sorted([*EXAMPLES.glob("*/project.toml"),
                   *(p for p in (EXAMPLES / "shared-scheme").glob("*.toml") if p.name != "scheme.toml")])


def pefa_registry() -> evalcore.Registry:
    """The built-in plugins and the example PEFA plugin, from its source folder."""
    sys.path.insert(0, str(PEFA / "src"))
    try:
        import evalcore_pefa.plugin as plugin
    finally:
        sys.path.remove(str(PEFA / "src"))
    return evalcore.Registry.from_plugins(get_plugin_manager(plugins=[plugin]))


def problems_of(result: evalcore.Evaluation, texts: list[str], registry: evalcore.Registry,
                formats: tuple[str, ...] = TEXT_FORMATS) -> list[str]:
    """Every mixed line of ``result`` in every format, both languages, and in its explanations;
    each prefixed with where it was found."""
    allowed = identifiers(result)
    texts = sorted({*texts, *data_of(result)}, key=len, reverse=True)
    found: list[str] = []
    for lang in LANGS:
        outputs = [(fmt, plain(fmt, str(evalcore.render(result, fmt, registry, lang=lang))))
                   for fmt in formats]
        ids = [r.id for r in result.rows] + (["budget"] if result.budget is not None else [])
        outputs += [(f"explain {ident}", explain(result, ident, lang)) for ident in ids]
        for where, text in outputs:
            found += [f"{lang} {where}: {line}" for line in mixed_lines(text, lang, texts, allowed)]
    found += [f"json: {line}" for line in json_problems(result, texts, allowed)]
    return found


def data_of(result: evalcore.Evaluation) -> list[str]:
    """Texts an evaluation shows that are data, not words: the unit of the funds (the project's,
    or its profile's, e.g. 万元) and the bound parameters' values (a survey's answer levels)."""
    rows = [*result.rows, *([result.budget] if result.budget is not None else [])]
    return [*([result.budget.unit] if result.budget is not None else []),
            *([result.funds_block.unit] if result.funds_block is not None else []),
            *(value for row in rows for value in row.trace.params.values())]


def plain(fmt: str, text: str) -> str:
    """Markdown as read: its escapes (``\\_``, ``&gt;``) undone, ``<br>`` a line break; other
    formats as they are."""
    if fmt != "markdown":
        return text
    return html.unescape(re.sub(r"\\(.)", r"\1", text)).replace("<br>", "\n")


def json_problems(result: evalcore.Evaluation, texts: list[str], allowed: frozenset[str]) -> list[str]:
    """The JSON's texts in the wrong language: each ``*_zh`` field must be Chinese, each
    ``*_en`` field English (the trace's formula: ``formula_zh`` or else ``formula`` in Chinese,
    ``formula`` in English)."""
    data = json.loads(str(evalcore.render(result, "json")))
    found: list[str] = []
    for node in _tables(data):
        for key, value in node.items():
            if not isinstance(value, str):
                continue
            lang = "zh" if key.endswith("_zh") else "en" if key.endswith("_en") else None
            if lang is not None:
                found += mixed_lines(value, lang, texts, allowed)
        if "formula" in node and "formula_zh" in node:
            found += mixed_lines(node["formula_zh"] or node["formula"], "zh", texts, allowed)
    return found


def _tables(data: object) -> Iterator[dict[str, object]]:
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from _tables(value)
    elif isinstance(data, list):
        for value in data:
            yield from _tables(value)


# -- the examples and the golden cases ------------------------------------------------------------


@pytest.mark.parametrize("path", PROJECTS, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_no_example_has_a_mixed_language_line(path: Path, registry: evalcore.Registry):
    project = evalcore.load_project(path)
    result = evalcore.evaluate(project)
    assert not problems_of(result, user_texts(project, files=[path, project.scheme.origin.file]),
                           registry)


def test_the_pefa_example_has_no_mixed_language_line():
    registry = pefa_registry()
    path = PEFA / "examples" / "assessment.toml"
    project = evalcore.load_project(path, registry=registry)
    result = evalcore.evaluate(project, registry)
    # PEFA's names are English and the plugin keeps them in its `zh` fields on purpose (its
    # framework.toml says why): its pillars', indicators' and grade's names are the plugin's
    # data here, as a user's own names would be.
    names = [*(e.item.zh for e in registry.groups.values()),
             *(e.item.zh for e in registry.categories.values()),
             *(text for g in registry.profile("pefa-2016").grades for text in (g.name, g.en))]
    assert not problems_of(result, user_texts(project, names, files=[path]), registry)


def _golden_cases() -> list[object]:
    return [case for path in find_case_files([ROOT / "tests" / "golden"])
            for case in load_cases(path) if "error" not in case.data["expect"]]


@pytest.mark.parametrize("case", _golden_cases(), ids=lambda c: c.id)
def test_no_golden_case_has_a_mixed_language_line(case, registry: evalcore.Registry):
    result = _evaluate(case, registry, 2**24)
    sources: list[object] = [case.data, "rest"]  # "rest": the filler row of a budget case
    if "project" in case.data:
        sources.append(evalcore.load_project(Path(case.file).parent / case.data["project"]))
    assert not problems_of(result, user_texts(*sources, files=[case.file]), registry)


# -- any scheme, any project ----------------------------------------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_no_evaluation_of_a_random_project_has_a_mixed_language_line(data, registry):
    scheme = data.draw(testing.schemes(registry=registry))
    project = data.draw(testing.projects(scheme, missing=data.draw(st.booleans())))
    result = evalcore.compile(scheme, registry).evaluate(project)
    assert not problems_of(result, user_texts(project, scheme), registry)


# -- the checks can fail --------------------------------------------------------------------------


def test_the_check_finds_english_in_a_chinese_line_and_chinese_in_an_english_one():
    assert mixed_lines("总分 97，自评等级：优（excellent）", "zh") == ["总分 97，自评等级：优（excellent）"]
    assert mixed_lines("Total 97, grade: 优", "en") == ["Total 97, grade: 优"]
    assert mixed_lines("Total 97：excellent", "en") == ["Total 97：excellent"]  # full-width colon
    # The user's own texts do not count, nor do the identifiers allowed.
    assert mixed_lines("项目 Hello World 得分 5", "zh", ["Hello World"]) == []
    assert mixed_lines("target 批次数: met", "en", ["批次数"]) == []
    assert mixed_lines("规则：positive", "zh", allowed={"positive"}) == []
    assert mixed_lines("规则：positive", "zh") == ["规则：positive"]
    # A one-letter user text is taken out as a whole word only: "rows" stays a leak.
    assert mixed_lines("命中 rows", "zh", ["r"]) == ["命中 rows"]


def test_a_deliberately_mixed_explanation_is_found_in_every_format(registry):
    project = evalcore.load_project(EXAMPLES / "ganzhou-2021" / "project.toml")
    result = evalcore.evaluate(project)
    texts = user_texts(project, files=[project.origin.file])
    assert not problems_of(result, texts, registry)
    t2 = next(i for i, r in enumerate(result.rows) if r.id == "t2")
    rows = list(result.rows)
    rows[t2] = attrs.evolve(rows[t2], explanation_zh=rows[t2].explanation_zh + "，rounded half up",
                            explanation_en=rows[t2].explanation_en + "; 四舍五入")
    broken = attrs.evolve(result, rows=tuple(rows))
    found = problems_of(broken, texts, registry)
    for where in ("zh table", "zh markdown", "zh csv", "zh explain t2",
                  "en table", "en markdown", "en csv", "en explain t2", "json"):
        assert any(line.startswith(f"{where}:") for line in found), where


# -- every rule's words, over its inputs ---------------------------------------------------------

_NUMBERS = st.decimals(min_value=-50, max_value=300, places=2, allow_nan=False, allow_infinity=False)


def _row_problems(row: evalcore.Row, texts: list[str]) -> list[str]:
    """A scored row's own words in the wrong language: its explanations and trace formulas."""
    allowed = frozenset({*_trace_words(row)})
    texts = sorted(texts, key=len, reverse=True)
    return [*mixed_lines(row.explanation_zh, "zh", texts, allowed),
            *mixed_lines(row.trace.formula_in("zh"), "zh", texts, allowed),
            *mixed_lines(row.explanation_en, "en", texts, allowed),
            *mixed_lines(row.trace.formula_in("en"), "en", texts, allowed)]


def _trace_words(row: evalcore.Row) -> set[str]:
    """The identifiers a row's trace shows: rule, parameter names and values, band or tier."""
    trace = row.trace
    return {word for text in (trace.rule, trace.via or "", trace.matched or "", *trace.params,
                              *trace.params.values()) for word in re.findall(r"[A-Za-z_]+", text)}


@settings(max_examples=60, deadline=None)
@given(sign=st.sampled_from(["≥", ">", "≤", "<", "="]), a=st.sampled_from([0, 100]), b=_NUMBERS,
       rule=st.sampled_from([None, "threshold", "equality-symmetric", "equality-exact",
                             "reverse-linear"]))
def test_the_national_rules_word_every_outcome_in_each_language(registry, sign, a, b, rule):
    from helpers import score_one

    extra: dict[str, object] = {"reason": "r"}
    if rule == "threshold":
        extra["rule"] = "threshold"
    elif rule and rule.startswith("equality") and sign == "=":
        extra["params"] = {"method": rule.split("-")[1]}
    elif rule == "reverse-linear" and sign in "≤<":
        extra["params"] = {"method": "linear"}
    target, actual = f"{sign}{a}个", f"{b}个"
    try:
        row = score_one(registry, target, actual, **extra)
    except evalcore.EvalcoreError:
        return  # a target the rule refuses (a strict < 0): reported, not scored
    assert not _row_problems(row, [target, actual, "r", "个"])


@settings(max_examples=40, deadline=None)
@given(late=st.integers(-40, 400), per=st.sampled_from(["day", "month"]), grace=st.integers(0, 9))
def test_the_deadline_rule_words_every_outcome_in_each_language(registry, late, per, grace):
    import datetime as dt

    from helpers import score_one

    done = dt.date(2021, 12, 31) + dt.timedelta(days=late)
    row = score_one(registry, "≤2021-12-31", done.isoformat(), category="timeliness",
                    rule="deadline", params={"loss": 1, "per": per, "grace": grace}, reason="r")
    assert not _row_problems(row, ["≤2021-12-31", done.isoformat(), "r"])


@settings(max_examples=40, deadline=None)
@given(b=st.integers(50, 130), mode=st.sampled_from(["ceil", "floor", "proportional"]),
       on=st.sampled_from(["actual", "ratio"]))
def test_the_steps_rule_words_every_outcome_in_each_language(registry, b, mode, on):
    from helpers import score_one

    params = ({"full_at": 90, "every": 5, "deduct": 1, "partial": mode, "on": on} if on == "actual"
              else {"full_at": 0.9, "every": 0.05, "deduct": 1, "partial": mode, "on": on})
    row = score_one(registry, "≥90%", f"{b}%", category="quality", rule="steps", params=params,
                    reason="r")
    assert not _row_problems(row, ["≥90%", f"{b}%", "r"])


@settings(max_examples=40, deadline=None)
@given(counts=st.lists(st.integers(0, 50), min_size=2, max_size=2), strict=st.booleans())
def test_the_survey_rule_words_every_outcome_in_each_language(registry, counts, strict):
    from helpers import score_one

    if sum(counts) == 0:
        counts = [1, 0]
    target = ">90%" if strict else "≥90%"
    row = score_one(registry, target, None, category="satisfaction", rule="survey",
                    extra={"满意": counts[0], "不满意": counts[1]}, reason="r")
    assert not _row_problems(row, [target, "满意", "不满意", "r"])


def test_the_portfolio_summary_has_no_mixed_language_line(tmp_path):
    pytest.importorskip("pyarrow")
    from evalcore.batch import run_batch

    folder = EXAMPLES / "portfolio"
    lines = (folder / "projects.csv").read_text(encoding="utf-8").splitlines()
    small = tmp_path / "projects.csv"
    small.write_text("\n".join(lines[:41]) + "\n", encoding="utf-8")
    summary = run_batch(small, folder / "scheme.toml", tmp_path / "scores.jsonl",
                        progress=False).summary
    scheme = evalcore.load_scheme(folder / "scheme.toml")
    # The finding codes of the "by code" table are identifiers (the JSON's, rules.md lists them).
    codes = {word for code in summary.findings for word in re.findall(r"[A-Za-z]+", code)}
    texts = user_texts(scheme)
    for lang in LANGS:
        assert not mixed_lines(summary.render(lang), lang, texts, codes), lang
    assert mixed_lines(summary.render("en").replace("projects", "项目"), "en", texts, codes)
