"""Failure classes the fuzzer finds on today's engine, each with its #7 item and reproducer.

While an entry is here, the fuzz tests step over failures of its class (so
they keep hunting for new ones) and ``tests/test_adversarial.py`` runs its
reproducer as a strict xfail: the moment the fix lands the reproducer passes,
the xfail turns into a failure, and the entry must be deleted (then the
fuzzer guards the fix too). A reproducer is a file under
tests/adversarial/fuzz/ (run through the whole oracle), or, when the input is
too big to keep as a file, the name of the test in test_adversarial.py that
generates it.
"""

from __future__ import annotations

import re

import attrs

__all__ = ["KNOWN", "Known", "known_for"]


@attrs.frozen
class Known:
    """A known failure class: a pattern on `Failure.key`, the issue item, the reproducer file."""

    pattern: str
    item: str
    reproducer: str  # a file under tests/adversarial/fuzz/, or a test in test_adversarial.py

    def matches(self, key: str) -> bool:
        return re.search(self.pattern, key) is not None


KNOWN: tuple[Known, ...] = (
    Known(r"^hostile context: Inexact at evalcore/numbers\.py:to_decimal",
          "#7 decimal context: to_decimal normalises in the caller's context",
          "hostile-context-inexact.toml"),
    Known(r"^hostile context: the result differs",
          "#7 decimal context: a bad number's message depends on the caller's context",
          "hostile-context-message.toml"),
    Known(r"^crash: ValueError at tomli/_re\.py:match_to_number",
          "#7 integers of more than 4,300 digits crash the loader with ValueError",
          "huge-integer.toml"),
    Known(r"^render xlsx: IllegalCharacterError",
          "#7 xlsx: control characters raise openpyxl's IllegalCharacterError",
          "xlsx-control-character.toml"),
    Known(r"^long-problem: ",
          "#7 bounded message: problems echo the user's value whole",
          "long-problem.toml"),
    Known(r"^score-range: ",
          "#7 rounding: a met row worth 14.995 scores 15.00, above its points and the total",
          "score-above-points.toml"),
    Known(r"^render table: ValueError at tabulate/__init__\.py:_wrap_text_to_colwidths",
          "#7 table: a cell such as '1,000' crashes tabulate's wrapping (it parses numbers anyway)",
          "table-thousands-name.toml"),
    Known(r"^timeout: render table",
          "#7 bounded cost: the terminal table wraps a long cell in quadratic time",
          "test_a_long_name_renders_in_the_terminal_table_quickly"),
)


def known_for(key: str) -> Known | None:
    """The known class a failure key belongs to, if any."""
    return next((k for k in KNOWN if k.matches(key)), None)
