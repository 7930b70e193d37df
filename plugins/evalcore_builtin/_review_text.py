"""Text measures of target review: how alike two indicator names are, and whether a target is
only vague words ("有效提升").

Names are compared after `normalised`: NFKC (full-width letters and digits folded),
case folded, whitespace and punctuation removed. Similarity is ``1 − d / n``, where ``d`` is
the Levenshtein distance (insertions, deletions and substitutions of one character) and
``n`` the length of the longer name: 培训人数 and 培训人次 are 0.75 alike, 产品质量监督抽检批次
and 食品质量监督抽检批次 0.9.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

__all__ = ["alike_pairs", "close_enough", "normalised", "only_words", "similarity"]

_SYMBOLS = set("≥≤=<>≧≦＞＜═")


def normalised(text: str) -> str:
    """``text`` NFKC-folded and case-folded, without whitespace, punctuation or symbols."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(c for c in folded if unicodedata.category(c)[0] not in "ZPS"
                   and c not in _SYMBOLS and not c.isspace())


def similarity(a: str, b: str) -> float:
    """How alike two normalised names are: 1 − Levenshtein distance / the longer length
    (1 for equal names, 0 for nothing in common). A float is fine here: it is a measure of
    text, compared with a threshold, never a score."""
    if a == b:
        return 1.0
    longer = max(len(a), len(b))
    return 1 - _distance(a, b) / longer


def close_enough(a: str, b: str, threshold: Decimal | float) -> bool:
    """Whether two normalised names are at least ``threshold`` alike; names whose lengths
    alone put them below it are not compared character by character."""
    return _close(a, b, frozenset(a), frozenset(b), Decimal(str(threshold)))


def alike_pairs(names: Sequence[str], threshold: Decimal) -> Iterator[tuple[int, int]]:
    """The pairs ``(i, j)``, ``j < i``, of ``names`` (normalised) at least ``threshold``
    alike, each name's characters taken once for all its comparisons."""
    chars = [frozenset(name) for name in names]
    for i, name in enumerate(names):
        for j in range(i):
            if _close(name, names[j], chars[i], chars[j], threshold):
                yield i, j


def _close(a: str, b: str, chars_a: frozenset[str], chars_b: frozenset[str],
           threshold: Decimal) -> bool:
    longer = max(len(a), len(b))
    if longer == 0:
        return False
    allowed = int((1 - threshold) * longer)  # the most edits that keep them alike enough
    # Each edit changes the length by at most one, and the set of characters by at most two
    # (a substitution takes one away and brings one): two cheap bounds before the distance.
    if abs(len(a) - len(b)) > allowed or len(chars_a ^ chars_b) > 2 * allowed:
        return False
    return _distance(a, b, allowed) <= allowed


def _distance(a: str, b: str, limit: int | None = None) -> int:
    """The Levenshtein distance of ``a`` and ``b``; with ``limit``, any answer above it once
    every way of lining them up has cost more (so most pairs of a table cost a row or two)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ca != cb)))
        if limit is not None and min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def only_words(text: str, words: Iterable[str]) -> bool:
    """Whether ``text`` (normalised) is made of ``words`` and nothing else: "有效提升" of 有效
    and 提升, "进一步提高" of 进一步 and 提高; "" is not."""
    body = normalised(text)
    vocabulary = {normalised(w) for w in words if normalised(w)}
    if not body or not vocabulary:
        return False
    longest = max(len(w) for w in vocabulary)
    reachable = [True] + [False] * len(body)  # reachable[i]: body[:i] splits into words
    for end in range(1, len(body) + 1):
        reachable[end] = any(reachable[start] and body[start:end] in vocabulary
                             for start in range(max(0, end - longest), end))
    return reachable[-1]
