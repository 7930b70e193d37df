"""Text for the cells of the report tables: a Markdown cell, a terminal cell, a folded cell.

`evalcore audit`, `evalcore monitor` and `evalcore review` lay their reports out as tables
(tabulate's "simple" for a terminal, "pipe" for Markdown) of texts that come from files, so
every cell goes through one of these: Markdown's special characters and HTML escaped, a
control character made visible (`evalcore.safetext`), a long explanation folded to a width
of terminal columns (a CJK character takes two).

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the public
surfaces); its own path may change in any release.
"""

from __future__ import annotations

import html
import re

from wcwidth import wcswidth, wcwidth

from .safetext import terminal_text, visible

__all__ = ["fold", "markdown_cell", "terminal_cell"]

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_~\[\]|])")


def markdown_cell(text: str) -> str:
    """Text for a Markdown table cell: HTML and the characters that make links, emphasis or
    a new cell escaped, line breaks as ``<br>``."""
    escaped = html.escape(visible(text), quote=False).replace("\t", " ")
    return "<br>".join(_MARKDOWN_SPECIAL.sub(r"\\\1", escaped).splitlines())


def terminal_cell(text: str) -> str:
    """Text for a terminal table's cell: control characters visible, tabs as spaces (a tab
    would break the columns)."""
    return terminal_text(text).replace("\t", " ")


def fold(text: str, width: int) -> str:
    """``text`` folded to ``width`` terminal columns a line: after a space or a Chinese
    punctuation mark where one is near the end of the line, anywhere where none is."""
    lines: list[str] = []
    for line in text.split("\n"):
        current, cut = "", -1
        for ch in line:
            if _width(current + ch) > width and current:
                at = cut if cut > len(current) // 2 else len(current)
                lines.append(current[:at].rstrip(" "))
                current = current[at:].lstrip(" ")
                cut = -1
            current += ch
            if ch in " ，；、：。,;":
                cut = len(current)
        lines.append(current.rstrip(" "))
    return "\n".join(lines)


def _width(text: str) -> int:
    """The columns ``text`` takes, measured as a whole: a spacing combining mark (U+1182C)
    has no width alone but one after its base, so a sum of characters' widths falls short."""
    width = wcswidth(text)
    return width if width >= 0 else sum(max(wcwidth(c), 0) for c in text)
