"""The documentation builds with ``mkdocs build --strict``, in both languages, and that check can fail.

``make test`` relies on these tests for the docs (it no longer runs ``make
docs`` as well). The site is English at the root and Chinese under ``zh/``
(mkdocs-static-i18n): a page without its ``.zh.md`` translation yet is the
English page on the Chinese site, without a warning. The second test proves
the check has teeth in both languages: a copy of the docs with a dead page
link, a dead anchor on the same page or on another page, a link out of the
docs folder and an absolute link, in an English page and in a Chinese one,
must not build, and each must be named in the warnings with its page.
(``--quiet`` used to hide exactly these: mkdocs' strict mode counts only the
warnings it shows.)
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow  # a few seconds each: mkdocstrings reads the whole API


def build(config: Path, site: Path) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` as ``make docs`` runs it, into ``site``."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config),
         "--site-dir", str(site)],
        capture_output=True, text=True, timeout=300, cwd=config.parent,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


def _html(site: Path, page: str) -> str:
    folder = site / page.removesuffix(".md").removesuffix("index").rstrip("/")  # api/index.md: api/
    return (folder / "index.html").read_text(encoding="utf-8")


def test_the_docs_build_strictly_without_a_warning(tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = build(ROOT / "mkdocs.yml", site)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    assert (site / "rules" / "index.html").exists()
    docs = ROOT / "docs"
    pages = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md")
                   if not p.name.endswith(".zh.md"))
    for page in pages:  # every page in both languages, translated or not (then in English)
        english, chinese = _html(site, page), _html(site / "zh", page)
        assert '<html lang="en"' in english and '<html lang="zh"' in chinese, page
        assert 'hreflang="zh"' in english and 'hreflang="en"' in chinese, f"{page}: no language switch"
    assert "快速上手" in _html(site / "zh", "index.md")  # the navigation in Chinese
    for page in (p for p in pages if p.startswith("api/")):  # docstrings rendered, no raw reST markup
        for html in (_html(site, page), _html(site / "zh", page)):
            assert not re.search(r":(class|func|meth|mod|attr):(`|<code>)", html), page  # `X` is <code>
            assert not re.search(r"::\s*$", re.sub(r"<[^>]+>", "", html), re.M), page
    # Chinese search: jieba splits Chinese text into words with zero-width spaces, which the
    # search separator counts (it is written as the regex escape \u200b), so a word such as
    # 指标值 or 预算执行率 is found on the Chinese pages.
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert re.split(index["config"]["separator"], "年度\u200b指标值") == ["年度", "指标值"]
    chinese_words = [w for d in index["docs"] if d["location"].startswith("zh/")
                     for w in re.split(index["config"]["separator"], d["text"])]
    assert {"指标值", "得分"} <= set(chinese_words)


def test_the_chinese_site_uses_a_translated_page(tmp_path: Path) -> None:
    """Once docs/X.zh.md exists, zh/X/ is that page and X/ stays English."""
    copy = _copy_docs(tmp_path)
    (copy / "docs" / "limits.zh.md").write_text(
        "# 限制与安全 {#limits-and-safety}\n\n中文页面。[规则](rules.md#contents)\n", encoding="utf-8")
    result = build(copy / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 0 and "WARNING" not in result.stderr, result.stderr
    chinese = _html(tmp_path / "site" / "zh", "limits.md")
    assert "中文页面" in chinese and 'href="../rules/#contents"' in chinese
    assert "中文页面" not in _html(tmp_path / "site", "limits.md")


DEAD = {
    "a page that does not exist": "[gone](no-such-page.md)",
    "an anchor that does not exist on this page": "[gone](#no-such-heading)",
    "an anchor that does not exist on another page": "[gone](rules.md#no-such-section)",
    "a file outside the docs": "[gone](../no-such-file-outside.md)",
    "an absolute link": "[gone](/no-such-absolute-path)",
}


def _copy_docs(tmp_path: Path) -> Path:
    """A copy of what the site is built from, in ``tmp_path/copy``."""
    copy = tmp_path / "copy"
    shutil.copytree(ROOT / "docs", copy / "docs")
    shutil.copy(ROOT / "mkdocs.yml", copy / "mkdocs.yml")
    shutil.copy(ROOT / "CHANGELOG.md", copy / "CHANGELOG.md")  # docs/changelog.md includes it
    for folder in ("src", "plugins"):  # mkdocstrings reads the API from here
        (copy / folder).symlink_to(ROOT / folder, target_is_directory=True)
    return copy


def test_a_dead_link_or_anchor_fails_the_strict_build(tmp_path: Path) -> None:
    copy = _copy_docs(tmp_path)
    # The English cli.md, and the Chinese cli.zh.md (a copy of the English page while it is not
    # translated: the same anchors, so the only warnings are the dead links).
    chinese = copy / "docs" / "cli.zh.md"
    if not chinese.exists():
        shutil.copy(copy / "docs" / "cli.md", chinese)
    for page in (copy / "docs" / "cli.md", chinese):
        page.write_text(page.read_text(encoding="utf-8") + "\n\n" + "\n\n".join(DEAD.values()) + "\n",
                        encoding="utf-8")
    result = build(copy / "mkdocs.yml", tmp_path / "site")
    assert result.returncode != 0
    warnings = [line for line in result.stderr.splitlines() if line.startswith("WARNING")]
    for name in ("cli.md", "cli.zh.md"):
        for what, link in DEAD.items():
            target = link[link.index("(") + 1:-1].split("#")[-1].lstrip("./")
            assert any(f"'{name}'" in w and target in w for w in warnings), \
                f"{what} in {name} is not reported:\n{result.stderr}"


def test_a_chinese_page_must_keep_the_english_anchors(tmp_path: Path) -> None:
    """Links into a page name its English anchors (``cli.md#evaluate``), from either language: a
    Chinese heading without the English anchor (``{#evaluate}``) breaks them on the Chinese site."""
    copy = _copy_docs(tmp_path)
    text = (copy / "docs" / "cli.md").read_text(encoding="utf-8")
    (copy / "docs" / "cli.zh.md").write_text(re.sub(r"^## evaluate$", "## 评分", text, flags=re.M),
                                             encoding="utf-8")
    result = build(copy / "mkdocs.yml", tmp_path / "site")
    assert result.returncode != 0
    assert "does not contain an anchor '#evaluate'" in result.stderr, result.stderr
