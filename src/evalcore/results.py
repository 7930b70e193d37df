"""The result of an evaluation: frozen objects with a lossless JSON round trip.

An `Evaluation` is everything a 自评表 shows and everything needed to
check it: each row's points, score, status, explanation and trace (`Scored`,
shared by the indicator rows and the funds row); subtotals; total and grade;
findings; provenance. ``Evaluation.from_json(e.to_json())``
gives back an equal object; Decimals travel as exact strings.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import json
import types
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from .json_reading import parse_json, read_data

__all__ = [
    "BudgetRow",
    "Evaluation",
    "Finding",
    "Funds",
    "Provenance",
    "Row",
    "Scored",
    "Status",
    "Subtotal",
    "Trace",
]

class Status(str, enum.Enum):
    """How an indicator row ended: the five statuses of the design."""

    MET = "met"
    PARTLY_MET = "partly-met"
    MISSED = "missed"
    MISSING = "missing"
    NOT_APPLICABLE = "not-applicable"

    @property
    def zh(self) -> str:
        return _STATUS_ZH[self]

    @property
    def en(self) -> str:
        """The status in words: "partly met", not the identifier "partly-met"."""
        return self.value.replace("-", " ")


_STATUS_ZH = {
    Status.MET: "达成",
    Status.PARTLY_MET: "部分达成",
    Status.MISSED: "未达成",
    Status.MISSING: "缺少实际值",
    Status.NOT_APPLICABLE: "不适用",
}


@attrs.frozen
class Trace:
    """How a score was reached: rule, bound parameters, formula with values, raw and final score."""

    rule: str
    params: Mapping[str, str] = attrs.field(factory=dict)
    via: str | None = None  # the selecting rule that chose ``rule`` (e.g. "standard")
    rescaled_from: Decimal | None = None  # the scheme's points before not-applicable rescaling
    formula: str = ""
    matched: str | None = None
    raw: Decimal | None = None  # what the rule computed, before capping to [0, points]
    capped: Decimal | None = None  # after capping, before rounding
    formula_zh: str = ""  # the formula worded in Chinese, when the rule gave one

    def formula_in(self, lang: str) -> str:
        """The formula as ``lang`` ("zh" or "en") shows it: ``formula_zh`` in Chinese when
        there is one, else ``formula`` (the trace's own text, which golden cases match)."""
        return (self.formula_zh or self.formula) if lang == "zh" else self.formula


@attrs.frozen(kw_only=True)
class Scored:
    """What every scored row of the 自评表 has, the indicator rows and the funds row alike.

    `Row` and `BudgetRow` are built from it by the one scoring path of
    `evalcore.evaluation` (observation → scorer → cap → round → explanation).
    """

    points: Decimal
    score: Decimal
    status: Status
    explanation_zh: str
    explanation_en: str
    trace: Trace
    reason: str = ""  # 偏差原因分析及改进措施, as the project gives it
    published: Decimal | None = None  # the score printed in an existing table, if given
    reviewed: Decimal | None = None  # a reviewer's own score (复核分), if given
    reviewed_reason: str = ""  # the reviewer's reason for it

    @property
    def lost(self) -> Decimal:
        """The points this row lost: ``points - score``."""
        return self.points - self.score


def _row_order(cls: type, fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
    """A row's field order, which is its JSON key order: required fields before optional ones,
    and within each the row's own before the `Scored` ones (the order results have always
    had; attrs would put every inherited field first)."""
    shared = {f.name for f in attrs.fields(Scored)}
    return sorted(fields, key=lambda f: (f.default is not attrs.NOTHING, f.name in shared))


@attrs.frozen(kw_only=True, field_transformer=_row_order)
class Row(Scored):
    """One level-3 indicator of the 自评表, scored."""

    id: str
    name: str
    category: str
    category_zh: str
    group: str
    group_zh: str
    target: str
    actual: str


@attrs.frozen(kw_only=True, field_transformer=_row_order)
class BudgetRow(Scored):
    """The funds block (项目资金) and its execution-rate row."""

    name: str  # the budget category's Chinese name, e.g. 预算执行率
    unit: str
    initial: Decimal | None
    planned: Decimal | None
    executed: Decimal | None
    rate: Decimal | None
    sources: tuple[Mapping[str, str], ...] = ()


@attrs.frozen(kw_only=True)
class Funds:
    """The project's funds block (项目资金) as it gave it, whether or not a funds row scores it.

    A framework evaluation (决策/过程/产出/效益) scores its funds through rows such as 资金到位率
    and 预算执行率, not through the national funds row, so its `Evaluation.budget` is None; the
    form still shows the block, from here. ``received`` (到位数, 实际到位资金) is what the
    framework's 资金到位率 reads; None when the project does not give it (the national form has
    no such column). ``sources`` are the 其中 lines, their figures as exact decimal text.
    """

    unit: str
    initial: Decimal | None = None  # 年初预算数
    planned: Decimal | None = None  # 全年预算数
    received: Decimal | None = None  # 到位数
    executed: Decimal | None = None  # 全年执行数
    sources: tuple[Mapping[str, str], ...] = ()

    @classmethod
    def of_budget(cls, row: BudgetRow) -> Funds:
        """The block a funds row shows (it has no ``received``): what an evaluation read from
        JSON written before `Evaluation.funds` existed, or built without it, renders."""
        return cls(unit=row.unit, initial=row.initial, planned=row.planned,
                   executed=row.executed, sources=row.sources)


@attrs.frozen
class Subtotal:
    """Points and score of a level-1 group or a category."""

    name: str
    zh: str
    points: Decimal
    score: Decimal


@attrs.frozen
class Finding:
    """Something a reviewer should look at: not an error, but not silent either."""

    code: str  # e.g. "missing-actual", "overachievement", "missing-reason", "published-differs"
    message_en: str
    message_zh: str
    indicator: str | None = None
    severity: str = "warning"


@attrs.frozen
class Provenance:
    """What produced the result: evalcore and plugin versions, and the scheme's digest."""

    evalcore: str
    plugins: Mapping[str, str]
    scheme_digest: str


class _Deferred:
    """Fields filled when first read: what `Evaluation` builds its words and subtotals with.

    Scoring a project needs the total and the grade only; the fields in ``DEFERRED`` are made
    by a function kept in a slot of their own (the field's value in ``DEFERRED`` names it:
    ``_pending`` makes the rows, funds block and findings, ``_subtotals`` the groups and
    categories), called the first time any of its fields is read, then dropped. A slot never
    set raises AttributeError, and only then does Python call ``__getattr__``: reading a filled
    field costs nothing extra. Equality, hashing, repr, pickling, `attrs.evolve` and the JSON
    all read the fields, so they see a whole object.
    """

    __slots__ = ("_pending", "_subtotals")
    DEFERRED: Mapping[str, str] = {}

    def __getattr__(self, name: str) -> Any:
        maker = type(self).DEFERRED.get(name)
        if maker is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        try:
            pending = object.__getattribute__(self, maker)
        except AttributeError:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}") from None
        for key, value in pending().items():
            object.__setattr__(self, key, value)
        with contextlib.suppress(AttributeError):  # another thread, reading too, was first
            object.__delattr__(self, maker)
        return object.__getattribute__(self, name)


@attrs.frozen
class Evaluation(_Deferred):
    """A scored project: the 自评表 as data.

    ``budget`` is the funds row of the national form (its points and score), None when the
    scheme scores no funds row; ``funds`` is the project's funds block (年初预算数, 全年预算数,
    到位数, 全年执行数), set whenever the project gives a ``[budget]``.

    From `Plan.evaluate` its ``budget``, ``funds``, ``rows`` and ``findings`` are built when first read
    (numbers first, words on demand), and so are its ``groups`` and ``categories`` when every
    aggregator is a plain sum; to anyone reading them it is the same frozen object.
    """

    DEFERRED = types.MappingProxyType({
        "budget": "_pending", "rows": "_pending", "findings": "_pending", "funds": "_pending",
        "groups": "_subtotals", "categories": "_subtotals"})

    project: str
    department: str
    implementer: str
    year: int | None
    goal_expected: str
    goal_achieved: str
    scheme: str
    profile: str
    decimals: int
    budget: BudgetRow | None
    rows: tuple[Row, ...]
    groups: tuple[Subtotal, ...]
    categories: tuple[Subtotal, ...]
    points: Decimal
    total: Decimal
    grade: str
    grade_en: str
    findings: tuple[Finding, ...]
    provenance: Provenance
    # The project's funds block, scored or not (None: the project gave no [budget]); last and
    # optional, so JSON written before it reads, and callers that build an Evaluation work.
    funds: Funds | None = None

    @property
    def funds_block(self) -> Funds | None:
        """The 项目资金 block the form shows: ``funds``, else (an evaluation without it, from
        older JSON or built by hand) the funds row's own figures; None when there is neither."""
        if self.funds is not None:
            return self.funds
        return Funds.of_budget(self.budget) if self.budget is not None else None

    @classmethod
    def deferred(cls, pending: Callable[[], Mapping[str, Any]],
                 subtotals: Callable[[], Mapping[str, Any]] | None = None,
                 **fields: Any) -> Evaluation:
        """An evaluation of ``fields`` whose ``budget``, ``rows`` and ``findings`` are made by
        ``pending`` when first read (the engine's numbers-first path), and its ``groups`` and
        ``categories`` by ``subtotals`` when it is given (else they are among ``fields``)."""
        evaluation = cls.__new__(cls)
        fill = object.__setattr__  # once per project scored: the name looked up once
        for name, value in fields.items():
            fill(evaluation, name, value)
        fill(evaluation, "_pending", pending)
        if subtotals is not None:
            fill(evaluation, "_subtotals", subtotals)
        return evaluation

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data; Decimals become exact strings."""
        data = _unstructure(self)
        assert isinstance(data, dict)
        # The design's stable names for consumers of the JSON.
        data["indicators"] = data.pop("rows")
        return data

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Evaluation:
        """The evaluation `to_dict` wrote; a ValidationError lists every problem of data that is
        not one, each at its key path as the JSON writes it (``indicators[2].score``)."""
        return read_data(data, cls, _WHAT, names={"rows": "indicators"})

    @classmethod
    def from_json(cls, text: str) -> Evaluation:
        """The evaluation `to_json` wrote; a ValidationError (at its line, or key path) for
        text that is not one."""
        return cls.from_dict(parse_json(text, _WHAT))


_WHAT = "an evaluation"


@functools.cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in attrs.fields(kind))


def _unstructure(value: Any) -> Any:
    kind: type = type(value)
    if attrs.has(kind):
        return {name: _unstructure(getattr(value, name)) for name in _field_names(kind)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _unstructure(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_unstructure(v) for v in value]
    return value


