"""``evalcore review``: its formats and languages, -o, and exit status 0 (通过, 修改后通过), 1
(不通过, or 修改后通过 with --strict) and 2 (a file that cannot be read)."""

from __future__ import annotations

import json

import pytest
from helpers import run, write
from review_helpers import rows, table

import evalcore


@pytest.fixture
def clean(tmp_path):
    return write(tmp_path / "clean.toml", table(rows()))


@pytest.fixture
def revise(tmp_path):
    return write(tmp_path / "revise.toml", table(rows(s1={"target": "有效提升"})))


@pytest.fixture
def failing(tmp_path):
    return write(tmp_path / "fail.toml", table(rows(n1={"points": 21})))


def test_a_passing_table_exits_0_with_its_conclusion(capsys, clean):
    code, out, err = run(capsys, "review", clean)
    assert code == 0 and err == ""
    assert "审核结论：通过（错误 0，警告 0，提示 0）" in out and "未发现问题" in out


def test_pass_after_revision_exits_0_and_1_with_strict(capsys, revise):
    code, out, _ = run(capsys, "review", revise)
    assert code == 0 and "修改后通过" in out and "有效提升" in out
    assert "依据：财预〔2015〕88号 / 财预〔2021〕101号（可衡量）" in out
    assert run(capsys, "review", revise, "--strict")[0] == 1


def test_a_failing_table_exits_1(capsys, failing):
    code, out, _ = run(capsys, "review", failing)
    assert code == 1 and "不通过" in out and "分值合计101，应为100" in out


def test_english_labels_and_messages(capsys, failing):
    code, out, _ = run(capsys, "review", failing, "--lang", "en", "-f", "markdown")
    assert code == 1
    assert "conclusion: fail; error 1, warning 0, info 0" in out
    assert "the points add up to 101, not 100 (outputs 51, benefits 30" in out
    assert "| points " in out and "source: 财预〔2020〕10号 (points)" in out


def test_markdown_is_a_heading_and_a_pipe_table(capsys, revise):
    code, out, _ = run(capsys, "review", revise, "-f", "markdown")
    assert code == 0 and out.startswith("## 绩效目标审核：审核测试")
    assert "| 级别" in out and "**审核结论：修改后通过" in out


def test_json_reads_back_as_the_review(capsys, revise, registry):
    code, out, _ = run(capsys, "review", revise, "--format", "json")
    assert code == 0
    review = evalcore.Review.from_json(out)
    assert review == evalcore.review(revise) and json.loads(out)["conclusion"] == "修改后通过"


def test_output_to_a_file(capsys, tmp_path, failing):
    target = tmp_path / "review.md"
    code, out, _ = run(capsys, "review", failing, "-f", "markdown", "-o", target)
    assert code == 1 and out == "" and "不通过" in target.read_text(encoding="utf-8")


def test_an_unknown_format_is_a_usage_error_with_a_suggestion(capsys, clean):
    code, _, err = run(capsys, "review", clean, "-f", "markdwn")
    assert code == 2 and "did you mean 'markdown'" in err and "Traceback" not in err


def test_an_unreadable_file_gives_located_problems_and_exit_2(capsys, tmp_path):
    broken = write(tmp_path / "broken.toml", table(rows(n1={"category": "数量指", "target": "≥x人"}),
                                                   settings="[settings.review.cost]\nunit = 1"))
    code, out, err = run(capsys, "review", broken)
    assert code == 2 and out == "" and "Traceback" not in err
    assert "broken.toml:" in err and "did you mean" in err
    missing = run(capsys, "review", tmp_path / "nothing.toml")
    assert missing[0] == 2 and "nothing.toml" in missing[2]


def test_a_bad_setting_is_a_located_usage_error(capsys, tmp_path):
    path = write(tmp_path / "p.toml", table(rows(), settings="[settings.review.cots]\nx = 1"))
    code, _, err = run(capsys, "review", path)
    assert code == 2 and "p.toml:" in err and "did you mean 'cost'" in err
