"""What a mixed-language line is, for the tests of both languages (tests/test_language.py).

A line of generated text is mixed when, once the user's own texts are taken out of it, it
holds words of the other language: CJK (characters or full-width punctuation) in English
output; an ASCII word of two letters or more in Chinese output, unless it is on the allow-list.

The user's texts are everything the project and its scheme hold as text (names, targets,
actual values, units, reasons, goals, band row ids, word lists, survey levels, deduction
items, formula expressions ...), found by walking the model objects, and the file names.
A user's text made of ASCII letters is removed only as a whole word, so a one-letter reason
such as "r" cannot hide a leaked "rows".

The allow-list for Chinese output holds identifiers, not words: the funds row's id
``budget``, the CSV's ``total`` row id and its funds lines' ids (``funds_planned`` ...)
(the ids `evalcore explain`, the JSON and the CSV use), the
trace's rule names, parameter names and bound values and matched band or tier ids (what a
scheme writes in ``rule``/``params``, e.g. ``qualitative``, ``strict_boundary_share``,
``zero``, ``partly``), the profile's id (``national-2020``), the formula functions
(``min``, ``max``, ``clamp`` ...: mathematical notation, as in ``10 − min(30×0.5, 4)``) and
``inf`` (interval notation, ``[1, +inf)``), and the formula language's keywords (``if``,
``else``, ``and``, ``or``, ``not``), which a ``formula`` rule's trace repeats from the user's
expression with the values put in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

import evalcore
from evalcore.errors import Origin
from evalcore.formula import BUILTIN_FUNCTIONS

__all__ = ["CJK", "identifiers", "mixed_lines", "user_texts"]

# CJK ideographs, CJK and full-width punctuation. Curly quotation marks (“ ” ‘ ’) are not
# counted: English typography uses the same characters as Chinese.
CJK = re.compile(r"[\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
                 r"\ufe30-\ufe4f\uff00-\uffef]")
WORD = re.compile(r"[A-Za-z][A-Za-z_]*[A-Za-z]")  # an identifier such as full_at is one word
UNIT = re.compile(r"\s*[≥≤<>=＞＜]*\s*[-+]?[\d.,]+\s*([^\d\s].*)")
FUNDS_IDS = ("funds_initial", "funds_planned", "funds_received", "funds_executed")
ALWAYS_ALLOWED = frozenset({"budget", "total", *FUNDS_IDS, "inf", *BUILTIN_FUNCTIONS, "min", "max",
                            "if", "else", "and", "or", "not"})


def _strings(value: Any, seen: set[int]) -> Iterator[str]:
    """Every text inside ``value``: attrs objects, mappings (keys too), sequences; locations
    (`Origin`) left out, since their key paths are the file format's, not the user's."""
    if isinstance(value, str):
        yield value
        return
    if isinstance(value, (Origin, Decimal, int, float, bool)) or value is None:
        return
    if id(value) in seen:
        return
    seen.add(id(value))
    if attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            yield from _strings(getattr(value, field.name), seen)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _strings(key, seen)
            yield from _strings(item, seen)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from _strings(item, seen)
    elif hasattr(value, "__dict__"):
        yield from _strings(vars(value), seen)


def user_texts(*sources: Any, files: Iterable[str | Path] = ()) -> list[str]:
    """The user's texts in ``sources`` (projects, schemes, mappings of a case file) and the
    names of ``files``, longest first (so a text is removed before any text inside it)."""
    found = {text.strip() for source in sources for text in _strings(source, set())}
    # The unit of a number the user wrote ("≥30天" → 天): a trace shows it after other numbers.
    found |= {m[1].strip() for text in list(found) if (m := UNIT.fullmatch(text))}
    for file in files:
        found.add(Path(file).name)
    return sorted((t for t in found if t), key=len, reverse=True)


def identifiers(evaluation: evalcore.Evaluation) -> frozenset[str]:
    """The identifiers an evaluation's trace shows: rule, parameter names and values, matched
    band or tier ids, the profile's id (split into their words)."""
    rows = [*evaluation.rows, *([evaluation.budget] if evaluation.budget is not None else [])]
    words: set[str] = set(WORD.findall(evaluation.profile))
    for row in rows:
        trace = row.trace
        for text in (trace.rule, trace.via or "", trace.matched or "",
                     *trace.params, *trace.params.values()):
            words.update(WORD.findall(text))
    return frozenset(words)


def _without(line: str, texts: Iterable[str]) -> str:
    """``line`` with the user's texts taken out: whole texts, and the cells of a terminal
    table that are part of one (the table folds a long text over several lines)."""
    texts = list(texts)
    cells = line.split("│")
    if len(cells) > 1:
        line = "│".join(" " if cell.strip() and any(cell.strip() in t for t in texts) else cell
                        for cell in cells)
    for text in texts:
        if text.isascii() and re.fullmatch(r"[\w\-. ]+", text):
            line = re.sub(rf"(?<![A-Za-z_]){re.escape(text)}(?![A-Za-z_])", " ", line)
        else:
            line = line.replace(text, " ")
    return line


def mixed_lines(text: str, lang: str, texts: Iterable[str] = (),
                allowed: Iterable[str] = ()) -> list[str]:
    """The lines of ``text`` that hold words of the language other than ``lang`` once the
    user's ``texts`` are taken out: CJK for ``"en"``; for ``"zh"`` an ASCII word of 2+ letters
    not in ``allowed`` (nor `ALWAYS_ALLOWED`)."""
    texts = list(texts)
    ok = ALWAYS_ALLOWED | set(allowed)
    bad = []
    for line in text.splitlines():
        rest = _without(line, texts)
        if lang == "en":
            if CJK.search(rest):
                bad.append(line)
        elif any(word not in ok for word in WORD.findall(rest)):
            bad.append(line)
    return bad
