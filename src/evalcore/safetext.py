"""Text from a file, made safe to show: every control character written as a visible escape.

Files come from strangers. An ESC in a project name must not reach a terminal
(it starts an escape sequence), a C0 control cannot be stored in an xlsx cell
or an XML document, a lone surrogate cannot be encoded as UTF-8, and the
bidirectional overrides can reorder what a reader sees ("Trojan source"). Every
output and every printed problem passes its text through one of these two
functions, so the rule lives in one place.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

import re

__all__ = ["json_safe", "one_line", "terminal_text", "visible"]

# C0 controls but TAB, LF and CR; DEL and the C1 controls; the bidirectional marks, overrides and
# isolates; lone surrogates; U+FFFE and U+FFFF (not XML characters).
_UNSAFE = (r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
           r"\ud800-\udfff\ufffe\uffff")
_VISIBLE = re.compile(f"[{_UNSAFE}]")
_ONE_LINE = re.compile(f"[{_UNSAFE}\\n\\r\\u2028\\u2029]")


def escape(match: re.Match[str]) -> str:
    """A matched character as Python writes it in a string: ``\\x1b``, ``\\u202e``."""
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every unsafe character written as an escape (ESC becomes the four characters
    ``\\x1b``). TAB, LF and CR are kept: each format decides what a line break is."""
    return _VISIBLE.sub(escape, text)


def terminal_text(text: str) -> str:
    """``text`` for a terminal: `visible`, and every line break (CR, CRLF, U+2028, ...) a plain
    LF, so a carriage return cannot overwrite what was printed before it on the line."""
    return "\n".join(visible(text).splitlines())


def one_line(text: str) -> str:
    """`visible`, and line breaks escaped too: for a problem, which is printed as one line."""
    return _ONE_LINE.sub(escape, text)


def json_safe(json_text: str) -> str:
    """JSON text with every unsafe character written as a JSON escape (``\\u001b``): the text
    stays exact when read back, and the raw character never reaches a terminal."""
    return _VISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)
