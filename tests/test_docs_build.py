"""The documentation builds with ``mkdocs build --strict``, and that check can fail.

``make test`` relies on these tests for the docs (it no longer runs ``make
docs`` as well). The second test proves the check has teeth: a copy of the
docs with a dead page link, a dead anchor on the same page or on another
page, a link out of the docs folder and an absolute link must not build, and
each must be named in the warnings.
(``--quiet`` used to hide exactly these: mkdocs' strict mode counts only the
warnings it shows.)
"""

from __future__ import annotations

import os
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


def test_the_docs_build_strictly_without_a_warning(tmp_path: Path) -> None:
    result = build(ROOT / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    assert (tmp_path / "site" / "rules" / "index.html").exists()


DEAD = {
    "a page that does not exist": "[gone](no-such-page.md)",
    "an anchor that does not exist on this page": "[gone](#no-such-heading)",
    "an anchor that does not exist on another page": "[gone](rules.md#no-such-section)",
    "a file outside the docs": "[gone](../no-such-file-outside.md)",
    "an absolute link": "[gone](/no-such-absolute-path)",
}


def test_a_dead_link_or_anchor_fails_the_strict_build(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copy(ROOT / "CHANGELOG.md", tmp_path / "CHANGELOG.md")  # docs/changelog.md includes it
    for folder in ("src", "plugins"):  # mkdocstrings reads the API from here
        (tmp_path / folder).symlink_to(ROOT / folder, target_is_directory=True)
    page = tmp_path / "docs" / "cli.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n\n" + "\n\n".join(DEAD.values()) + "\n",
                    encoding="utf-8")
    result = build(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert result.returncode != 0
    for what, link in DEAD.items():
        target = link[link.index("(") + 1:-1].split("#")[-1].lstrip("./")
        assert target in result.stderr, f"{what} is not reported:\n{result.stderr}"
