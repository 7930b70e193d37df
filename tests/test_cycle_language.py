"""One language at a time in the outputs of `evalcore monitor` and `evalcore review`.

tests/test_language.py holds evaluation's outputs to it; this holds the two other readings of
a scheme to the same rule (tests/language.py): their table and Markdown, in Chinese and in
English, for the monitoring example and for the review of every example and of an empty
table (the review with the most findings). The user's texts are taken out first; what else a
line may hold beside the language's own words:

- in both: the ids a user types to name a check (``completeness``) or a setting
  (``[settings.review.<check>]``), the profile's id, the file keys a finding asks the user to
  fill (``to_date``, ``executed_to_date``, ``[budget] planned``), and evalcore's name
  (``evalcore设定``: a source);
- in English: the citation of a regulation (财预〔2015〕88号), which has no English form, and
  a projected value written as the actual value it stands for (达成, a row's own word).
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from language import mixed_lines, user_texts
from test_language import plain

import evalcore
from evalcore.monitor_output import render_monitor
from evalcore.review_model import REGULATION
from evalcore.review_output import render_review

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
MONITORED = EXAMPLES / "monitoring-2022" / "project.toml"
REVIEWED = sorted([*EXAMPLES.glob("*/project.toml"), EXAMPLES / "shared-scheme" / "scheme.toml"])
KEYS = {"to_date", "executed_to_date", "planned", "evalcore", "received_to_date", "actual",
        "too_early_months", "monitoring", "budget"}
CITATIONS = ("财预〔2015〕88号", "财预〔2021〕101号", "财预〔2020〕10号")


def _problems(text: str, lang: str, texts: list[str], allowed: set[str]) -> list[str]:
    texts = sorted({*texts, *CITATIONS}, key=len, reverse=True)
    return mixed_lines(text, lang, texts, allowed)


def review_problems(review: evalcore.Review, texts: list[str]) -> list[str]:
    """Every mixed line of ``review`` as table and Markdown, in both languages."""
    allowed = {*review.checks, *review.profile.split("-"), *KEYS}
    return [f"{lang} {fmt}: {line}" for lang in ("zh", "en") for fmt in ("table", "markdown")
            for line in _problems(plain(fmt, render_review(review, fmt, lang)), lang, texts, allowed)]


def monitor_problems(report: evalcore.MonitorReport, texts: list[str]) -> list[str]:
    """Every mixed line of ``report`` as table and Markdown, in both languages."""
    data = [row.projected for row in report.rows if row.method == "status"]
    data += [report.budget.unit] if report.budget is not None else []
    allowed = {*report.projected.profile.split("-"), *KEYS}
    return [f"{lang} {fmt}: {line}" for lang in ("zh", "en") for fmt in ("table", "markdown")
            for line in _problems(plain(fmt, render_monitor(report, fmt, lang)), lang, [*texts, *data],
                                  allowed)]


def _texts(path: Path, subject: object) -> list[str]:
    return [*user_texts(subject, files=[path]), str(path), path.as_posix()]


@pytest.mark.parametrize("path", REVIEWED, ids=lambda p: p.parent.name)
def test_no_review_of_an_example_has_a_mixed_language_line(path: Path):
    subject = (evalcore.load_scheme(path) if path.name == "scheme.toml"
               else evalcore.load_project(path))
    review = evalcore.review(subject)
    assert review_problems(review, _texts(path, subject)) == []


def test_the_review_of_an_empty_table_has_no_mixed_language_line(tmp_path):
    path = tmp_path / "empty.toml"
    path.write_text('[scheme]\nname = "空表"\nprofile = "national-2020"\n', encoding="utf-8")
    scheme = evalcore.load_scheme(path)
    review = evalcore.review(scheme)
    assert review.counts.errors and review.counts.warnings  # every group and category missing
    assert review_problems(review, _texts(path, scheme)) == []


def test_the_monitoring_example_has_no_mixed_language_line():
    project = evalcore.load_project(MONITORED)
    report = evalcore.monitor(project)
    assert report.needing_cause and report.findings
    assert monitor_problems(report, _texts(MONITORED, project)) == []


def test_a_chinese_name_in_an_english_review_message_is_caught(tmp_path):
    """The check above fails on what it is for: a category's Chinese name in an English
    message, and a Chinese conclusion on the English conclusion line."""
    path = tmp_path / "empty.toml"
    path.write_text('[scheme]\nname = "空表"\nprofile = "national-2020"\n', encoding="utf-8")
    scheme = evalcore.load_scheme(path)
    review = evalcore.review(scheme)
    leaked = attrs.evolve(review, conclusion_en="不通过 (fail)", findings=(
        attrs.evolve(review.findings[0], message_en="no cost target (成本指标)"),
        *review.findings[1:]))
    found = review_problems(leaked, _texts(path, scheme))
    assert any("不通过 (fail)" in line for line in found)
    assert any("成本指标" in line for line in found)
    assert REGULATION.startswith("regulation: ")


def test_a_chinese_word_in_an_english_monitoring_line_is_caught():
    project = evalcore.load_project(MONITORED)
    report = evalcore.monitor(project)
    leaked = attrs.evolve(report, findings=(
        attrs.evolve(report.findings[0], message_en="maint-km: （未填写）"),))
    assert monitor_problems(leaked, _texts(MONITORED, project)) == [
        "en table: - maint-km: （未填写）", "en markdown: - maint-km: （未填写）"]
