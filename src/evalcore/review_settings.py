"""The ``[review]`` table of a profile: the conclusion's thresholds and each check's settings.

A profile (and a scheme's ``[settings]``) may hold:

```toml
[review.conclusion]
fail_errors = 1        # this many errors or more: 不通过
fail_warnings = 0      # this many warnings or more: 不通过 too (0: never)
revise_warnings = 1    # this many warnings or more (or any error below fail_errors): 修改后通过

[review.<check>]       # a registered check's parameters, and enabled = false to switch it off
```

Every key is checked: an unknown check or setting is a located problem with "did you mean",
like the other tables of a profile. Read when the registry checks its profiles and when a
scheme is reviewed.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the public
surfaces); its own path may change in any release.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from .errors import NOWHERE, Origin, Problem, known_names, suggest
from .params import bind_params, boolean, integer
from .registrations import Param
from .review_model import ReviewCheck

__all__ = ["CONCLUSION_PARAMS", "ENABLED", "Thresholds", "conclude", "read_review_settings"]

ENABLED = Param("enabled", boolean, True, "false switches the check off")
"""The setting every check takes beside its own."""

CONCLUSION_PARAMS = (
    Param("fail_errors", integer(1), 1, "this many errors or more: 不通过"),
    Param("fail_warnings", integer(0), 0, "this many warnings or more: 不通过 (0: never)"),
    Param("revise_warnings", integer(1), 1,
          "this many warnings or more, or fewer errors than fail_errors: 修改后通过"),
)
"""The settings of ``[review.conclusion]``."""

CONCLUSION = "conclusion"


@attrs.frozen
class Thresholds:
    """When a review fails or passes after revision (``[review.conclusion]``)."""

    fail_errors: int = 1
    fail_warnings: int = 0
    revise_warnings: int = 1


def conclude(errors: int, warnings: int, thresholds: Thresholds) -> str:
    """通过, 修改后通过 or 不通过 for these counts: 不通过 at ``fail_errors`` errors or (when
    set) ``fail_warnings`` warnings; 修改后通过 with any error below that or at
    ``revise_warnings`` warnings; else 通过."""
    if errors >= thresholds.fail_errors or (
            thresholds.fail_warnings and warnings >= thresholds.fail_warnings):
        return "不通过"
    if errors or warnings >= thresholds.revise_warnings:
        return "修改后通过"
    return "通过"


def read_review_settings(settings: Mapping[str, Any], checks: Mapping[str, ReviewCheck],
                         origin: Origin = NOWHERE
                         ) -> tuple[Thresholds, dict[str, dict[str, Any]], list[Problem]]:
    """The thresholds and every check's bound settings from a profile's whole table
    (``settings``: its ``review`` table is read), and the problems, located below
    ``origin``: a check nothing registered, a setting the check does not have, a value of
    the wrong kind."""
    problems: list[Problem] = []
    where = origin.child("review")
    table = settings.get("review", {})
    if not isinstance(table, Mapping):
        problems.append(Problem("review must be a table of [review.<check>] tables", where))
        table = {}
    known = [CONCLUSION, *checks]
    for key, value in table.items():
        if key != CONCLUSION and key not in checks:
            problems.append(Problem(f"review has no check {key!r}", where.child(key),
                                    suggest(key, known) or known_names(known)))
        elif not isinstance(value, Mapping):
            problems.append(Problem(f"review.{key} must be a table of settings", where.child(key)))
    raw = table.get(CONCLUSION, {})
    bound, found = bind_params(CONCLUSION_PARAMS, raw if isinstance(raw, Mapping) else {},
                               where.child(CONCLUSION), "review.conclusion")
    problems.extend(found)
    thresholds = Thresholds(**bound) if not found else Thresholds()
    bound_checks: dict[str, dict[str, Any]] = {}
    for name, check in checks.items():
        raw = table.get(name, {})
        values, found = bind_params((ENABLED, *check.params),
                                    raw if isinstance(raw, Mapping) else {},
                                    where.child(name), f"review check {name!r}")
        problems.extend(found)
        bound_checks[name] = values
    return thresholds, bound_checks, problems
