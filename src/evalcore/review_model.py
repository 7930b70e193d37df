"""What target review (绩效目标审核) is made of: the checks plugins register, what a check is
given, what it finds, and the frozen result.

A review reads a target table before any actual value exists (财预〔2015〕88号,
财预〔2021〕101号). Each thing it checks is a `ReviewCheck` registered by a plugin through
``evalcore_review_checks``, so a province can add, replace or switch off checks without
forking the engine; its settings live in the profile under ``[review.<check>]``. A check is
given a `ReviewSubject` (the compiled rows: parsed targets, categories, groups, units) and
returns `ReviewFinding` objects; the engine locates them, names their check and source, and
concludes 通过 / 修改后通过 / 不通过 (`Review`).

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the public
surfaces); its own path may change in any release.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from .model import Project, Scheme
from .profile import Profile
from .quantities import Target
from .registrations import Category, Group, Param
from .units import Unit

__all__ = ["CONCLUSIONS", "EVALCORE_CHOICE", "REGULATION", "SEVERITIES", "Review", "ReviewCheck",
           "ReviewCounts", "ReviewFinding", "ReviewRow", "ReviewSubject"]

SEVERITIES = ("error", "warning", "info")
"""A finding's severity, most serious first."""

CONCLUSIONS = {"通过": "pass", "修改后通过": "pass after revision", "不通过": "fail"}
"""The conclusions of a review (Chinese) and their English names."""

REGULATION = "regulation: 财预〔2015〕88号 / 财预〔2021〕101号"
"""The source of a check that the national rules on target review ask for."""

EVALCORE_CHOICE = "evalcore's choice"


def _ids(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _params(value: Iterable[Param]) -> tuple[Param, ...]:
    return tuple(value)


def _severity(value: str) -> str:
    if value not in SEVERITIES:
        raise ValueError(f"severity must be one of {', '.join(SEVERITIES)}, not {value!r}")
    return value


@attrs.frozen(kw_only=True)
class ReviewFinding:
    """One thing a review found: its ``code`` (``vague-target``), ``severity`` (error,
    warning or info), a message in Chinese and in English, and where: the indicator's id (None
    for the scheme as a whole) and the ids of other rows involved (``related``: the other row of
    a near-duplicate pair).

    A check fills in what it knows; the engine adds the check's name (``check``, and
    ``check_zh`` in Chinese), its ``source`` (unless the finding states its own) and the file,
    key and line of the row.
    """

    code: str
    severity: str = attrs.field(converter=_severity)
    message_zh: str
    message_en: str
    indicator: str | None = None
    related: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    check: str = ""
    check_zh: str = ""
    source: str = ""
    file: str = ""
    key: str = ""
    line: int | None = None

    def message(self, lang: str = "zh") -> str:
        """The message in ``lang`` (``"zh"`` or ``"en"``)."""
        return self.message_en if lang == "en" else self.message_zh


@attrs.frozen
class ReviewRow:
    """A level-3 row as a check sees it: compiled, with its target parsed (None when the row
    does not apply, "/"), its category, level-1 group and the unit of its target (None for a
    bare number or words)."""

    id: str
    name: str
    category: Category
    group: Group
    points: Decimal
    target: Target | None
    target_text: str
    unit: Unit | None = None
    itemised: bool = False  # its rule scores listed conditions or items (RuleType.itemised)

    @property
    def qualitative(self) -> bool:
        """Whether the target is words (定性), not a number, a date or a period."""
        return self.target is not None and self.target.qualitative


@attrs.frozen
class ReviewSubject:
    """What every check is given: the scheme, its effective profile (the scheme's
    ``[settings]`` applied), the registry, the compiled rows in file order, the points per
    level-1 group (the funds row's too), the budget year (the project's ``year``, None for a
    scheme on its own) and the project when one was reviewed."""

    scheme: Scheme
    profile: Profile
    registry: Any  # evalcore.Registry (typed loosely: the registry module imports this one)
    rows: tuple[ReviewRow, ...]
    points_by_group: Mapping[str, Decimal]
    year: int | None = None
    project: Project | None = None


@attrs.frozen
class ReviewCheck:
    """A check of target review, as a plugin registers it.

    ``check(subject, settings)`` returns the findings (an iterable of `ReviewFinding`);
    ``settings`` are the check's parameters bound from the profile's ``[review.<name>]``
    (and the scheme's ``[settings.review.<name>]``), by the schema ``params``. Every check
    also takes ``enabled`` (true by default): false switches it off. ``source`` says where
    the check comes from: `REGULATION` ("regulation: 财预〔2015〕88号 / 财预〔2021〕101号") or
    "evalcore's choice". ``zh`` is its Chinese name (完整性), ``doc`` one line for people,
    ``order`` where it runs and reports among the others (lowest first).
    """

    name: str
    zh: str
    check: Callable[[ReviewSubject, Mapping[str, Any]], Iterable[ReviewFinding]]
    params: tuple[Param, ...] = attrs.field(default=(), converter=_params)
    source: str = EVALCORE_CHOICE
    doc: str = ""
    order: int = 100


@attrs.frozen
class ReviewCounts:
    """How many findings of each severity a review made."""

    errors: int = 0
    warnings: int = 0
    infos: int = 0


@attrs.frozen(kw_only=True)
class Review:
    """A reviewed target table: which (scheme name, file, profile, budget year), the findings
    (check by check, then by row), their counts, the checks that ran, and the conclusion
    (通过 / 修改后通过 / 不通过, with ``conclusion_en``) the profile's thresholds give.
    Serialises to JSON and back without loss (`to_json`, `from_json`)."""

    scheme: str
    file: str
    profile: str
    year: int | None
    findings: tuple[ReviewFinding, ...]
    counts: ReviewCounts
    checks: tuple[str, ...]
    conclusion: str
    conclusion_en: str

    @property
    def passed(self) -> bool:
        """Whether the conclusion is 通过 or 修改后通过 (not 不通过)."""
        return self.conclusion != "不通过"

    def to_dict(self) -> dict[str, Any]:
        """The review as JSON data: plain values, the findings as objects."""
        data = attrs.asdict(self, recurse=True)
        data["findings"] = [attrs.asdict(f) for f in self.findings]
        data["checks"] = list(self.checks)
        for finding in data["findings"]:
            finding["related"] = list(finding["related"])
        return data

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Review:
        fields = dict(data)
        fields["findings"] = tuple(ReviewFinding(**f) for f in data["findings"])
        fields["counts"] = ReviewCounts(**data["counts"])
        fields["checks"] = tuple(data["checks"])
        return cls(**fields)

    @classmethod
    def from_json(cls, text: str) -> Review:
        return cls.from_dict(json.loads(text))
