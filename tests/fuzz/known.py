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


KNOWN: tuple[Known, ...] = ()


def known_for(key: str) -> Known | None:
    """The known class a failure key belongs to, if any."""
    return next((k for k in KNOWN if k.matches(key)), None)
