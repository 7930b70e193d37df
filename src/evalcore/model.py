"""The input model: indicators, schemes, budgets, actual values, projects.

Frozen attrs classes with no knowledge of file formats: `evalcore.build`
turns TOML mappings into these, and anyone can construct them in code. A
`Scheme` is the indicator system (shared by many projects); a
`Project` is one project's facts (its funds and actual values) plus the
scheme it is scored against.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any, NoReturn

import attrs

from .errors import MESSAGE_LIMIT, Origin, Problem, quote, shorten, suggest
from .progress import MonitoringData

BUDGET_ID = "budget"  # the id of the funds row in results, findings and `evalcore explain`

__all__ = ["BUDGET_ID", "EMPTY_MAP", "Actual", "Budget", "FrozenMap", "FundSource", "Indicator", "Project",
           "ProjectInfo", "Scheme", "foreign_actuals", "scheme_label"]

SUGGESTIONS = 100  # "did you mean" hints among the ids for the first unknown ids of a project


class FrozenMap(Mapping[str, Any]):
    """A read-only mapping that pickles: the parameters, settings and actual values of the model.

    It replaces `types.MappingProxyType`, which is read-only too but cannot be pickled, so
    projects, schemes and plans could not travel to another process (a ``multiprocessing`` or
    Dask worker). It holds its own copy of the items; it compares equal to any mapping with
    the same items.
    """

    __slots__ = ("_data",)
    _data: dict[str, Any]

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        object.__setattr__(self, "_data", dict(data or {}))

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __bool__(self) -> bool:  # asked per row per project (``not actual.extra``): no len()
        return bool(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def get(self, key: str, default: Any = None) -> Any:
        return self._data.get(key, default)

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"a FrozenMap cannot be changed (its attribute {name!r})")

    def __reduce__(self) -> tuple[type[FrozenMap], tuple[dict[str, Any]]]:
        return FrozenMap, (self._data,)


EMPTY_MAP = FrozenMap()
"""The one empty FrozenMap the model's fields hold when given no items (no ``extra``, no
``params``): asking whether an actual has extra counts, once per row of every project scored,
is then mostly an identity check (``extra is EMPTY_MAP``) rather than a call of ``__bool__``."""


def _frozen_mapping(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    if type(value) is FrozenMap:
        return value
    return FrozenMap(value) if value else EMPTY_MAP


@attrs.frozen
class Indicator:
    """A level-3 indicator (三级指标) of a scheme, as written: its target is parsed at compile."""

    id: str
    name: str
    category: str
    points: Decimal
    target: object
    rule: str | None = None
    params: Mapping[str, Any] = attrs.field(factory=dict, converter=_frozen_mapping)
    group: str | None = None  # level-1 group; None = the category's
    notes: str = ""
    origin: Origin = attrs.field(default=Origin(), eq=False, repr=False)


@attrs.frozen
class Actual:
    """One project's 实际完成值 for one indicator, with the evaluator's notes."""

    value: object = None  # None = not reported
    reason: str = ""  # 偏差原因分析及改进措施
    assessed: Decimal | None = None  # the evaluator's own score, for qualitative rows
    published: Decimal | None = None  # the score printed in an existing table
    extra: Mapping[str, Any] = attrs.field(factory=dict, converter=_frozen_mapping)
    reviewed: Decimal | None = None  # a reviewer's own score (复核分), for `evalcore.audit`
    reviewed_reason: str = ""  # why the reviewer scored it so
    origin: Origin = attrs.field(default=Origin(), eq=False, repr=False)


@attrs.frozen
class FundSource:
    """A line of the funds block under 其中 (当年财政拨款, 上年结转资金, 其他资金)."""

    name: str
    initial: Decimal | None = None
    planned: Decimal | None = None
    executed: Decimal | None = None


@attrs.frozen
class Budget:
    """The funds block (项目资金) of one project, in ``unit``.

    ``planned`` is 全年预算数, the adjusted full-year budget including
    carry-over: the denominator of the execution rate. ``initial`` (年初预算数)
    is shown but never used for the rate.
    """

    planned: Decimal | None
    executed: Decimal | None
    unit: str = ""  # "": the profile's budget unit (万元 under national-2020)
    initial: Decimal | None = None
    sources: tuple[FundSource, ...] = ()
    reason: str = ""
    published: Decimal | None = None
    reviewed: Decimal | None = None  # a reviewer's own score (复核分) of the funds row
    reviewed_reason: str = ""
    origin: Origin = attrs.field(default=Origin(), eq=False, repr=False)
    received: Decimal | None = None  # 实际到位资金: what 资金到位率 (received / planned) reads


@attrs.frozen
class Scheme:
    """An indicator system (指标体系): the indicators, their points, and the profile.

    ``budget_points`` is the weight of the budget-execution row (None: no row).
    ``settings`` overrides the profile's settings for this scheme only.
    """

    name: str
    indicators: tuple[Indicator, ...]
    profile: str | None = None  # None: the profile the plugins mark as the default
    budget_points: Decimal | None = None
    settings: Mapping[str, Any] = attrs.field(factory=dict, converter=_frozen_mapping)
    origin: Origin = attrs.field(default=Origin(), eq=False, repr=False)

    def digest(self) -> str:
        """A SHA-256 of the scheme's content, for provenance: same scheme, same digest.

        Computed once per scheme object: a plan compares the digest of every project's scheme
        with its own, and projects read one by one each carry their own scheme object."""
        return self._digest

    @functools.cached_property
    def _digest(self) -> str:
        content = {
            "name": self.name,
            "profile": self.profile,
            "budget_points": self.budget_points,
            "settings": _plain(self.settings),
            "indicators": [
                {f.name: _plain(getattr(ind, f.name)) for f in attrs.fields(Indicator)
                 if f.name != "origin"}
                for ind in self.indicators
            ],
        }
        text = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
        return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


@attrs.frozen
class ProjectInfo:
    """The header of a 自评表: who spent the money on what, and the overall goal."""

    name: str
    department: str = ""  # 主管部门
    implementer: str = ""  # 实施单位
    year: int | None = None
    goal_expected: str = ""  # 年度总体目标: 预期目标
    goal_achieved: str = ""  # 年度总体目标: 实际完成情况
    published_total: Decimal | None = None


@attrs.frozen
class Project:
    """One project to evaluate: its header, funds, actual values, and its scheme (and, for
    mid-year monitoring, its values to date)."""

    info: ProjectInfo
    scheme: Scheme
    budget: Budget | None = None
    actuals: Mapping[str, Actual] = attrs.field(factory=dict, converter=_frozen_mapping)
    origin: Origin = attrs.field(default=Origin(), eq=False, repr=False)
    # What the file states for mid-year monitoring (`evalcore.monitor`); evaluation ignores it.
    monitoring: MonitoringData | None = None


def scheme_label(scheme: Scheme) -> str:
    """How a message names a scheme: its name and the file it came from."""
    where = scheme.origin.file or "built in code"
    return f"scheme {quote(scheme.name)} ({shorten(where, MESSAGE_LIMIT // 2)})"


def foreign_actuals(scheme: Scheme, actuals: Iterable[tuple[str, Origin]]) -> list[Problem]:
    """A problem for each actual value (its indicator id and where it is) that names no
    indicator of ``scheme``: the sign of a project written for another scheme.

    The one check behind both the build stage (a project file read against a scheme) and
    `Plan.evaluate` (a project scored by a plan compiled from another scheme).
    """
    ids = [ind.id for ind in scheme.indicators]
    known = set(ids)
    problems: list[Problem] = []
    listed = ""
    for ident, origin in actuals:
        if ident in known:
            continue
        # Each "did you mean" compares with every id: only the first few get one, so ten
        # thousand unknown ids against ten thousand rows do not cost 10⁸ comparisons.
        hint = suggest(ident, ids) if len(problems) < SUGGESTIONS else None
        if hint is None and not listed:
            listed = shorten(f"the ids are: {', '.join(ids)}", MESSAGE_LIMIT)
        problems.append(Problem(f"an actual value for {quote(ident)}, which is not an indicator "
                                f"of the {scheme_label(scheme)}", origin, hint or listed))
    return problems
