"""README.md and README.zh-CN.md are one README in two languages.

Each opens with a link to the other; they have the same sections in the same order (HEADINGS
maps each English heading to its Chinese one); and the same code: every code block identical,
in the same order, and the same commands quoted in the prose. The Chinese one may say more in
prose where the English says it in a code block's comments (code blocks are not translated).
Whether the code blocks run is tests/test_code_blocks.py's job, for both.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = ROOT / "README.md"
CHINESE = ROOT / "README.zh-CN.md"

# Every heading of README.md, in order → its heading in README.zh-CN.md.
HEADINGS = {
    "# evalcore": "# evalcore",
    "## Quick start": "## 快速开始",
    "## A 30-line tour": "## 30 行速览",
    "## Examples": "## 示例",
    "## Scoring a portfolio": "## 批量评价一组项目",
    "## Auditing a published table": "## 复核已公布的自评表",
    "## Mid-year monitoring": "## 绩效运行监控",
    "## Target review": "## 绩效目标审核",
    "## Writing a plugin": "## 编写插件",
    "## Documentation": "## 文档",
    "## Layout": "## 目录结构",
}

FENCE = re.compile(r"^```[^\n]*\n.*?^```[ \t]*$", re.M | re.S)
LINK = re.compile(r"(?<!!)\[[^\]]*\]\((?P<target>[^)\s]+)\)")
COMMAND = re.compile(r"`((?:make|evalcore|pip|git|python -m) [^`]*)`")


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def headings(readme: str) -> list[str]:
    return [line.rstrip() for line in FENCE.sub("", readme).splitlines() if re.match(r"#{1,6} ", line)]


def test_each_readme_opens_with_a_link_to_the_other():
    assert text(ENGLISH).splitlines()[0] == "[中文](README.zh-CN.md)"
    assert text(CHINESE).splitlines()[0] == "[English](README.md)"


def test_the_readmes_have_the_same_sections_in_the_same_order():
    assert headings(text(ENGLISH)) == list(HEADINGS), "a heading of README.md is not in HEADINGS"
    assert headings(text(CHINESE)) == list(HEADINGS.values())


def test_the_readmes_have_the_same_code_blocks_in_the_same_order():
    english, chinese = FENCE.findall(text(ENGLISH)), FENCE.findall(text(CHINESE))
    assert len(english) > 0
    assert chinese == english


def test_the_readmes_quote_the_same_commands_in_their_prose():
    """Every command the English prose quotes, the Chinese quotes too; and the Chinese quotes no
    command that is nowhere in the English (it may quote one the English has in a code block, to
    say in Chinese what a block's English comment says)."""
    def quoted(readme: str) -> set[str]:
        return set(COMMAND.findall(FENCE.sub("", readme)))

    assert quoted(text(ENGLISH)) - quoted(text(CHINESE)) == set()
    assert [c for c in quoted(text(CHINESE)) if c not in text(ENGLISH)] == []


@pytest.mark.parametrize("readme", [ENGLISH, CHINESE], ids=lambda p: p.name)
def test_the_links_of_a_readme_lead_somewhere(readme):
    """A link to a Chinese page (docs/X.zh.md) counts while only its English page exists: the
    translations are written page by page, and the site shows the English page meanwhile."""
    broken = []
    for m in LINK.finditer(FENCE.sub("", text(readme))):
        target = m["target"].split("#")[0]
        if not target or re.match(r"[a-z]+:", target):
            continue
        pending = target.endswith(".zh.md") and (ROOT / target.replace(".zh.md", ".md")).exists()
        if not ((ROOT / target).exists() or pending):
            broken.append(m["target"])
    assert broken == []


def test_the_chinese_readme_links_the_chinese_pages():
    links = [m["target"] for m in LINK.finditer(text(CHINESE)) if m["target"].startswith("docs/")]
    assert links and [t for t in links if not t.split("#")[0].endswith(".zh.md")] == []
