"""The documents in one language: the html page, the workbook and the report, in zh and en.

Each document is read back (the page parsed, the workbook with openpyxl, the report with
python-docx) into its lines of text; the texts the user wrote (project, names, targets,
actuals, units, reasons, goals, sources) are removed from each line, and so are the engine's
explanations and finding messages, so that the words these renderers write are checked on
their own; the last test checks the engine's words in the documents too, by the rule of
tests/language.py. What is left must be English
for ``lang="en"`` (no CJK character, no full-width punctuation) and Chinese for ``lang="zh"``
(no ASCII word of two letters or more but the allow-listed identifiers). Every row must be
there in both, and the totals must be the same.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from html.parser import HTMLParser

import attrs
import pytest
from conftest import EXAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import evalcore
from evalcore.plugin import format_score
from evalcore.testing import projects, schemes
from evalcore_builtin import _form_labels, _text_labels
from evalcore_builtin._finding_labels import FINDING_LABELS, FINDING_LABELS_EN
from evalcore_builtin._report_words import OUTLINES, WORDS

openpyxl = pytest.importorskip("openpyxl")
docx = pytest.importorskip("docx")
pytest.importorskip("jinja2")

EXAMPLE_NAMES = ("ganzhou-2021", "jiangxi-2022", "hubei-2022", "sichuan-2022", "third-party-2022",
                 "department-wide-2023", "local-self-2023")
FORMATS = ("html", "xlsx", "docx")

CJK = re.compile(r"[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
                 r"\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")
"""A CJK character or CJK punctuation (、。「」), or a full-width form (，：（）)."""

ASCII_WORD = re.compile(r"[A-Za-z]{2,}")
ALLOWED_IN_ZH = {"evalcore"}
"""ASCII words a Chinese document may print: the program's name (the report's properties say it
was drafted by evalcore). The scheme's and profile's identifiers (``national-2020``) are removed
with the user's texts: they are names, not words."""


# -- reading the documents back into lines --------------------------------------------------------

class _Text(HTMLParser):
    """The page's text nodes (one line each) and the attributes people read (aria-label)."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.lines: list[str] = []
        self.skip = 0
        self.html_lang = ""
        self.feed(page)

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        values = dict(attributes)
        if tag == "html":
            self.html_lang = values.get("lang") or ""
        if tag == "style":
            self.skip += 1
        if values.get("aria-label"):
            self.lines.append(values["aria-label"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip and data.strip():
            self.lines.extend(line for line in data.splitlines() if line.strip())


def html_lines(page: str) -> list[str]:
    return _Text(page).lines


def xlsx_lines(data: bytes) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    lines = []
    for sheet in book:
        lines.append(sheet.title)
        lines.extend(str(v) for row in sheet.iter_rows(values_only=True) for v in row
                     if isinstance(v, str) and v.strip())
    return lines


def docx_lines(data: bytes) -> list[str]:
    doc = docx.Document(io.BytesIO(data))
    lines = [p.text for p in doc.paragraphs]
    lines += [p.text for t in doc.tables for row in t.rows for cell in row.cells
              for p in cell.paragraphs]
    lines += [doc.core_properties.title, doc.core_properties.comments]
    return [line for line in lines if line.strip()]


READERS: dict[str, Callable[[bytes | str], list[str]]] = {
    "html": lambda out: html_lines(str(out)),
    "xlsx": lambda out: xlsx_lines(bytes(out)),  # type: ignore[arg-type]
    "docx": lambda out: docx_lines(bytes(out)),  # type: ignore[arg-type]
}


def user_texts(e: evalcore.Evaluation) -> list[str]:
    """What the evaluation's user wrote, and the engine's own sentences (checked elsewhere):
    the texts removed from each line before its language is checked, longest first."""
    found = [e.project, e.department, e.implementer, e.goal_expected, e.goal_achieved, e.scheme,
             e.profile]
    for row in e.rows:
        found += [row.name, row.target, row.actual, row.reason, row.explanation_zh,
                  row.explanation_en]
    if e.budget is not None:
        b = e.budget
        found += [b.unit, b.reason, b.explanation_zh, b.explanation_en]
        for source in b.sources:
            found += [str(v) for v in source.values()]
    if e.funds_block is not None:  # the project's funds block, scored or not
        found.append(e.funds_block.unit)
        for source in e.funds_block.sources:
            found += [str(v) for v in source.values()]
    for f in e.findings:
        found += [f.message_zh, f.message_en]
    return sorted({t for t in found if t.strip()}, key=len, reverse=True)


def mixed_lines(lines: Iterable[str], lang: str, remove: Iterable[str] = ()) -> list[str]:
    """The lines with words of the other language, once the texts ``remove`` are taken out."""
    remove = list(remove)
    bad = []
    for line in lines:
        rest = line
        for text in remove:
            rest = rest.replace(text, " ")
        if lang == "en":
            if CJK.search(rest):
                bad.append(line)
        elif set(ASCII_WORD.findall(rest)) - ALLOWED_IN_ZH:
            bad.append(line)
    return bad


# -- the examples in both languages ---------------------------------------------------------------

@pytest.fixture(scope="module")
def examples() -> dict[str, evalcore.Evaluation]:
    return {name: evalcore.evaluate(evalcore.load_project(EXAMPLES / name / "project.toml"))
            for name in EXAMPLE_NAMES}


@pytest.fixture(scope="module")
def rendered(examples) -> dict[tuple[str, str, str], list[str]]:
    """Every example in every document and language, read back into lines."""
    return {(name, fmt, lang): READERS[fmt](evalcore.render(e, fmt, options={"lang": lang}))
            for name, e in examples.items() for fmt in FORMATS for lang in ("zh", "en")}


def findings_project(registry: evalcore.Registry) -> evalcore.Evaluation:
    """A project with findings of several kinds, a row that does not apply, a shortfall, a
    missing actual and a source of funds of its own besides a standard one."""
    scheme = evalcore.Scheme("scheme-s", (
        evalcore.Indicator("a", "甲项", "quantity", Decimal(30), "≥10"),
        evalcore.Indicator("b", "乙项", "quality", Decimal(30), "≥90%"),
        evalcore.Indicator("c", "丙项", "quantity", Decimal(20), "≥10"),
        evalcore.Indicator("d", "丁项", "social", Decimal(0), "/"),
    ), budget_points=Decimal(20), settings={"weights": {}})
    budget = evalcore.Budget(Decimal("300"), Decimal("271.5"), "万元", Decimal("280"), sources=(
        evalcore.FundSource("当年财政拨款", Decimal(250), Decimal(250), Decimal("230.5")),
        evalcore.FundSource("社会捐赠", Decimal(50), Decimal(50), Decimal(41))))
    project = evalcore.Project(evalcore.ProjectInfo("测试项目", "某部门", "某单位", year=2022),
                               scheme, budget,
                               {"a": evalcore.Actual("7"), "c": evalcore.Actual("30")})
    return evalcore.evaluate(project, registry)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_no_line_of_an_example_mixes_languages(rendered, examples, name, fmt, lang):
    lines = rendered[name, fmt, lang]
    assert lines
    assert mixed_lines(lines, lang, user_texts(examples[name])) == []


def plain_project(registry: evalcore.Registry) -> evalcore.Evaluation:
    """A project that loses no point, with no funds block, department, year or goals: the
    documents' other branches (the report's blanks for what the file does not say)."""
    scheme = evalcore.Scheme("scheme-p", (
        evalcore.Indicator("a", "甲项", "quantity", Decimal(60), "≥10"),
        evalcore.Indicator("b", "乙项", "satisfaction", Decimal(40), "≥90%"),
    ), settings={"weights": {}})
    project = evalcore.Project(evalcore.ProjectInfo("无部门项目"), scheme, None,
                               {"a": evalcore.Actual("10"), "b": evalcore.Actual("90%")})
    return evalcore.evaluate(project, registry)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_project_that_loses_nothing_and_says_little_keeps_to_one_language(registry, fmt, lang):
    e = plain_project(registry)
    assert e.total == e.points and not e.findings and e.budget is None
    lines = READERS[fmt](evalcore.render(e, fmt, options={"lang": lang}))
    assert mixed_lines(lines, lang, user_texts(e)) == []
    if fmt == "docx":
        assert WORDS[lang]["no_problems"] in lines


def _fixed_words(template: str) -> str:
    """A format template without its ``{placeholders}``: the words this code writes."""
    return re.sub(r"\{[^}]*\}", " ", template)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_word_of_the_tables_is_in_its_language(lang):
    """Every label, sentence and blank of the three documents, branches no example reaches
    included."""
    t = _form_labels.labels(lang)
    texts: list[str] = []
    for field in attrs.fields(type(t)):
        value = getattr(t, field.name)
        if field.name not in ("lang", "html_lang"):
            texts += list(value) if isinstance(value, tuple) else [value]
    texts += list(WORDS[lang].values()) + list(OUTLINES[lang])
    texts += list((FINDING_LABELS_EN if lang == "en" else FINDING_LABELS).values())
    if lang == "en":
        texts += [*_text_labels.GROUP_EN.values(), *_text_labels.CATEGORY_EN.values(),
                  *_form_labels.SOURCE_EN.values()]
    assert mixed_lines([_fixed_words(text) for text in texts], lang) == []


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_project_with_findings_keeps_to_one_language(registry, fmt, lang):
    e = findings_project(registry)
    assert {f.code for f in e.findings} >= {"missing-actual", "overachievement"}
    lines = READERS[fmt](evalcore.render(e, fmt, options={"lang": lang}))
    assert mixed_lines(lines, lang, user_texts(e)) == []
    labels = FINDING_LABELS_EN if lang == "en" else FINDING_LABELS
    text = "\n".join(lines)
    for f in e.findings:  # each finding under its label in the document's language, not its code
        assert labels[f.code] in text
        assert f"[{f.code}]" not in text


def test_the_check_finds_a_deliberately_mixed_line():
    assert mixed_lines(["Total 总分"], "en") == ["Total 总分"]
    assert mixed_lines(["Grade：excellent"], "en") == ["Grade：excellent"]
    assert mixed_lines(["总分 Total"], "zh") == ["总分 Total"]
    assert mixed_lines(["评分规则：national-2020"], "zh") == ["评分规则：national-2020"]
    assert mixed_lines(["评分规则：national-2020"], "zh", ["national-2020"]) == []
    assert mixed_lines(["Project: 项目甲"], "en", ["项目甲"]) == []
    assert mixed_lines(["evalcore 生成的草稿", "得分 98.6%"], "zh") == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_chinese_label_left_in_the_english_table_is_found(examples, monkeypatch, fmt):
    """The check on real output: one label of the English table put back in Chinese is
    reported, in every document."""
    monkeypatch.setattr(_form_labels, "EN", attrs.evolve(_form_labels.EN, total="总分"))
    e = examples["ganzhou-2021"]
    lines = READERS[fmt](evalcore.render(e, fmt, options={"lang": "en"}))
    assert [line for line in mixed_lines(lines, "en", user_texts(e)) if "总分" in line]


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_every_row_and_the_same_total_in_both_languages(examples, name):
    e = examples[name]
    total = format_score(e.total, e.decimals)
    names = [row.name for row in e.rows]
    pages = {lang: evalcore.render(e, "html", options={"lang": lang}) for lang in ("zh", "en")}
    for lang, page in pages.items():
        ids = re.findall(r'<tr class="indicator" data-id="([^"]*)"', str(page))
        assert ids == [row.id for row in e.rows], lang
        assert f'<td class="num score">{total}</td>' in str(page), lang
    assert '<html lang="en">' in str(pages["en"]) and '<html lang="zh-CN">' in str(pages["zh"])
    for lang in ("zh", "en"):
        book = openpyxl.load_workbook(io.BytesIO(evalcore.render(e, "xlsx", options={"lang": lang})))
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        header = next(i for i, r in enumerate(rows) if r[2] == _form_labels.labels(lang).indicator_headers[2])
        body = rows[header + 1:header + 1 + len(e.rows)]
        assert [r[2] for r in body] == names, lang
        assert [Decimal(str(r[6])) for r in body] == [row.score for row in e.rows], lang
        end = rows[header + 1 + len(e.rows)]
        assert end[0] == _form_labels.labels(lang).total and Decimal(str(end[6])) == e.total
        doc = docx.Document(io.BytesIO(evalcore.render(e, "docx", options={"lang": lang})))
        annex = doc.tables[-1]
        assert [r.cells[2].text for r in annex.rows[1:-1]] == names, lang
        assert annex.rows[-1].cells[6].text == total, lang


def test_the_english_documents_name_the_built_in_levels_in_english(examples):
    e = examples["ganzhou-2021"]
    page = str(evalcore.render(e, "html", options={"lang": "en"}))
    assert '<td class="group" rowspan="8">Outputs</td>' in page
    assert '<td class="category" rowspan="3">Quantity</td>' in page
    assert "of which: current-year appropriation" in page
    assert f"Grade: {e.grade_en}" in page
    assert "Project Expenditure Performance Self-Evaluation Form" in page


def test_an_english_report_follows_the_outline_and_sets_latin_type(examples):
    from evalcore_builtin import _report_style as style

    doc = docx.Document(io.BytesIO(evalcore.render(examples["ganzhou-2021"], "docx",
                                                   options={"lang": "en"})))
    headings = [p.text for p in doc.paragraphs if p.style.name in (style.HEADING_1, style.HEADING_2)]
    fixed = [h for h in headings if h in OUTLINES["en"]]
    assert fixed == list(OUTLINES["en"])
    assert any(p.text.startswith("[To be completed: ") and p.text.endswith("]")
               for p in doc.paragraphs)
    assert not any("【" in p.text for p in doc.paragraphs)
    body = doc.styles[style.BODY]
    fonts = body.element.rPr.rFonts
    assert body.font.name == "Times New Roman"
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "仿宋"
    assert body.paragraph_format.first_line_indent == 0
    assert doc.styles[style.HEADING_1].font.name == "Arial"


def test_a_plugin_s_own_level_is_named_by_its_identifier_in_english():
    table = _text_labels.CATEGORY_EN
    assert _text_labels.level_name("cost-control", "成本控制", "en", table) == "Cost control"
    assert _text_labels.level_name("cost-control", "成本控制", "zh", table) == "成本控制"
    assert _text_labels.level_name("social", "社会效益指标", "en", table) == "Social benefits"


def test_a_grade_without_an_english_name_is_shown_as_it_is_named(examples):
    e = attrs.evolve(examples["ganzhou-2021"], grade_en="")
    assert _form_labels.grade_name(e, "en") == e.grade == _form_labels.grade_name(e, "zh")
    assert f"Grade: {e.grade}" in str(evalcore.render(e, "html", options={"lang": "en"}))
    assert _form_labels.grade_name(examples["ganzhou-2021"], "en") == examples["ganzhou-2021"].grade_en


def test_every_finding_code_the_engine_emits_has_an_english_label():
    from test_documents import emitted_codes

    assert sorted(emitted_codes() - set(FINDING_LABELS_EN)) == []


def test_the_report_words_have_the_same_keys_in_both_languages():
    assert WORDS["zh"].keys() == WORDS["en"].keys()
    assert len(OUTLINES["zh"]) == len(OUTLINES["en"])
    assert FINDING_LABELS.keys() == FINDING_LABELS_EN.keys()


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_language_other_than_zh_or_en_is_refused_with_a_suggestion(examples, fmt):
    with pytest.raises(evalcore.EvalcoreError) as caught:
        evalcore.render(examples["ganzhou-2021"], fmt, options={"lang": "eng"})
    message = str(caught.value)
    assert "zh, en" in message and "'en'" in message


@pytest.mark.parametrize("fmt", FORMATS)
def test_chinese_is_the_default_and_the_same_as_asking_for_it(examples, fmt):
    e = examples["hubei-2022"]
    assert READERS[fmt](evalcore.render(e, fmt)) == READERS[fmt](
        evalcore.render(e, fmt, options={"lang": "zh"}))


# -- any evaluation --------------------------------------------------------------------------------

@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_evaluation_s_documents_keep_to_their_language_with_the_same_rows(data):
    scheme = data.draw(schemes(max_indicators=5))
    e = evalcore.evaluate(data.draw(projects(scheme, missing=True)))
    remove = user_texts(e)
    for fmt in FORMATS:
        out = {lang: evalcore.render(e, fmt, options={"lang": lang}) for lang in ("zh", "en")}
        for lang in ("zh", "en"):
            assert mixed_lines(READERS[fmt](out[lang]), lang, remove) == []
    pages = {lang: str(evalcore.render(e, "html", options={"lang": lang})) for lang in ("zh", "en")}
    ids = {lang: re.findall(r'data-id="([^"]*)"', page) for lang, page in pages.items()}
    scores = {lang: re.findall(r'class="num score">([^<]*)<', page) for lang, page in pages.items()}
    assert ids["zh"] == ids["en"] == [row.id for row in e.rows]
    assert scores["zh"] == scores["en"] == [format_score(e.total, e.decimals)]
    for lang in ("zh", "en"):
        book = openpyxl.load_workbook(io.BytesIO(evalcore.render(e, "xlsx", options={"lang": lang})))
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        end = next(r for r in rows if r[0] == _form_labels.labels(lang).total)
        assert Decimal(str(end[6])) == e.total, lang


# -- an English form is not read back ---------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_importing_an_english_form_says_it_reads_chinese_forms(examples, tmp_path, capsys, fmt):
    from evalcore.cli import main

    path = tmp_path / f"form.{fmt}"
    path.write_bytes(bytes(evalcore.render(examples["ganzhou-2021"], fmt, options={"lang": "en"})))
    with pytest.raises(evalcore.EvalcoreError) as caught:
        evalcore.load_project(path)
    assert len(caught.value.problems) == 1
    assert "English form written by evalcore --lang en; import reads Chinese forms" in str(caught.value)
    assert main(["import", str(path), "-o", str(tmp_path / "p.toml")]) == 2
    err = capsys.readouterr().err
    assert "import reads Chinese forms" in err and "Traceback" not in err
    assert not (tmp_path / "p.toml").exists()


def test_a_chinese_form_still_reads_back(examples, tmp_path):
    path = tmp_path / "form.xlsx"
    e = examples["ganzhou-2021"]
    path.write_bytes(bytes(evalcore.render(e, "xlsx")))
    project = evalcore.load_project(path)  # the English-form check leaves a Chinese form alone
    assert [i.name for i in project.scheme.indicators] == [row.name for row in e.rows]


# -- the engine's words in the documents, checked by the text formats' own rule ------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_the_engine_s_explanations_and_findings_in_a_document_keep_to_its_language(
        rendered, name, fmt, lang):
    """The same lines with only the user's own texts taken out, so that the rows'
    explanations and the findings' messages, which the engine words, are checked too, by the
    rule the text formats are held to (tests/language.py)."""
    from language import identifiers
    from language import mixed_lines as engine_mixed_lines
    from language import user_texts as texts_of

    path = EXAMPLES / name / "project.toml"
    project = evalcore.load_project(path)
    e = evalcore.evaluate(project)
    texts = texts_of(project, files=[path, project.scheme.origin.file])
    allowed = identifiers(e) | ALLOWED_IN_ZH
    lines = "\n".join(rendered[name, fmt, lang])
    assert engine_mixed_lines(lines, lang, texts, allowed) == []
