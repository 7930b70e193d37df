"""The ``checklist`` rule (评价要点): a row scored by conditions, each met, partly met or not.

The 决策 and 过程 rows of a department or third-party evaluation (domain.md §1, §7) are scored
this way: 立项依据充分性 lists four conditions (符合国家法律法规和发展规划, 与部门职责相适应 ...),
each worth 25% of the row's points. w = points; condition i is worth wᵢ (its ``share`` × w, or
its ``points``) and earns cᵢ: 1 when met, 0 when not met, its partly share when partly met:

    score = Σ wᵢ × cᵢ

Status: met when every condition is met, missed when the score is 0, partly met otherwise.

The conditions are the indicator's ``params.items``; the assessments are the actual's
``extra`` table, one key per condition, a status word or a table with the status, the partly
share and the evidence (佐证/依据), which the explanation and the trace show:

```toml
params.items = [
  { id = "law", name = "符合法律法规", share = 0.25 },
  { id = "plan", name = "符合发展规划", share = 0.25 },
]
# in the project file
extra = { law = "符合", plan = { status = "部分符合", share = 0.4, evidence = "规划未列入" } }
```

A table of projects (the columnar path) has no ``extra``: there the actual value itself
lists the assessments, ``"law=符合; plan=部分(0.4)"``.

How much a partly met condition earns when its share is not given is not set by any national
text: ``partly_share`` (a profile's ``[rules.checklist]``) says, 0.5 being evalcore's choice.
Every condition not fully met is a finding (``condition-not-met``), so every point lost has
its reason.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from evalcore.plugin import (
    ONE,
    ZERO,
    Finding,
    HintedError,
    Observation,
    Outcome,
    Param,
    Projected,
    Projection,
    RuleContext,
    RuleType,
    Scorer,
    Status,
    decimal,
    format_approx,
    hookimpl,
    positive,
    quote,
    suggest,
    to_decimal,
    with_numbers,
)
from evalcore.plugin import format_decimal as fmt

__all__ = ["WORDS", "Condition", "Conditions", "assessed_summary", "compile_checklist", "conditions",
           "project_checklist"]

WORDS: Mapping[str, str] = {
    "met": "met", "是": "met", "符合": "met", "达成": "met",
    "partly": "partly", "部分": "partly", "部分符合": "partly", "部分达成": "partly",
    "missed": "missed", "否": "missed", "不符合": "missed", "未达成": "missed",
}
"""The status words an assessment may use, each → met, partly or missed."""

_ZH = {"met": "符合", "partly": "部分符合", "missed": "不符合"}
_EN = {"met": "met", "partly": "partly met", "missed": "not met"}


@attrs.frozen
class Condition:
    """One condition of a checklist: its key in ``extra``, its name, and its share or points."""

    id: str
    name: str
    share: Decimal | None = None
    points: Decimal | None = None

    @property
    def label(self) -> str:
        return self.name or self.id

    def worth(self, w: Decimal) -> Decimal:
        """Its points in a row worth ``w``."""
        if self.points is not None:
            return self.points
        assert self.share is not None
        return self.share * w

    def __str__(self) -> str:
        name = f" {self.name}" if self.name else ""
        weight = (f"share {fmt(self.share)}" if self.share is not None
                  else f"{fmt(self.points or ZERO)} points")
        return f"{self.id}{name}: {weight}"


class Conditions(tuple[Condition, ...]):
    """The ``items`` parameter; shown in traces one condition after another."""

    def __str__(self) -> str:
        return "; ".join(str(c) for c in self)


ITEM_KEYS = ("id", "name", "share", "points")


def conditions(value: Any) -> Conditions:
    """``[{ id, name, share }, ...]`` (shares summing to 1) or ``[{ id, name, points }, ...]``
    (points summing to the row's, checked when the row is compiled); ids unique."""
    if not isinstance(value, list) or not value:
        raise ValueError("expected a non-empty array of tables { id, name, share } or { id, name, points }")
    out: list[Condition] = []
    for i, raw in enumerate(value):
        where = f"items[{i}]"
        if not isinstance(raw, Mapping):
            raise ValueError(f"{where} must be a table {{ id, name, share }}, not {raw!r}")
        for key in raw:
            if key not in ITEM_KEYS:
                raise HintedError(f"{where} has no key {quote(key)}",
                                  suggest(str(key), ITEM_KEYS) or f"the keys are {', '.join(ITEM_KEYS)}")
        ident = raw.get("id")
        if not isinstance(ident, str) or not ident.strip():
            raise ValueError(f"{where}.id must be non-empty text (the condition's key in the actual's extra)")
        if any(c.id == ident for c in out):
            raise ValueError(f"{where}.id {ident!r} is used by two conditions")
        name = raw.get("name", "")
        if not isinstance(name, str):
            raise ValueError(f"{where}.name must be text, not {name!r}")
        if ("share" in raw) == ("points" in raw):
            raise ValueError(f"{where} ({ident}) needs exactly one of share (of the row's points) or points")
        key = "share" if "share" in raw else "points"
        try:
            number = positive(raw[key])
        except ValueError as exc:
            raise ValueError(f"{where}.{key}: {exc}") from None
        if key == "share" and number > 1:
            raise ValueError(f"{where}.share: {fmt(number)} is above 1 (a share of the row's points)")
        out.append(Condition(ident, name, number if key == "share" else None,
                             number if key == "points" else None))
    if len({c.share is None for c in out}) > 1:
        raise ValueError("give every condition a share, or every condition points, not a mixture")
    if out[0].share is not None:
        total = sum((c.share or ZERO for c in out), ZERO)
        if total != 1:
            shares = " + ".join(fmt(c.share or ZERO) for c in out)
            raise ValueError(f"the shares add up to {shares} = {fmt(total)}, not 1")
    return Conditions(out)


# --- reading the assessments ---------------------------------------------------------------------


@attrs.frozen
class Assessment:
    """One condition as assessed: its status (met, partly, missed), what it earns (cᵢ), the word
    written, and the evidence."""

    condition: Condition
    status: str
    credit: Decimal
    word: str
    evidence: str = ""


ENTRY_KEYS = ("status", "share", "evidence")
_ENTRY = re.compile(r"^(?P<id>[^=:：]+?)\s*[=:：]\s*(?P<word>[^\s(（]+)\s*"
                    r"(?:[(（]\s*(?P<share>[^)）]*?)\s*[)）])?$")
_SEPARATORS = re.compile(r"[;；,，、\n]")


def _status(word: Any, where: str) -> str:
    if not isinstance(word, str):
        raise ValueError(f"{where} must be a status word (met, partly, missed, 是, 部分, 否 ...), "
                         f"not {word!r}")
    status = WORDS.get(word.strip()) or WORDS.get(word.strip().casefold())
    if status is None:
        raise HintedError(f"{where}: {quote(word)} is not a status word",
                          suggest(word.strip(), WORDS) or "write met, partly or missed; 是, 部分 or 否; "
                          "符合, 部分符合 or 不符合")
    return status


def _share(raw: Any, where: str) -> Decimal:
    try:
        share = to_decimal(raw)
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None
    if not ZERO <= share <= ONE:
        raise ValueError(f"{where}: {fmt(share)} is outside [0, 1] (the share of the condition's "
                         "points that a partly met condition earns)")
    return share


def _assessed(condition: Condition, raw: Any, where: str, default: Decimal) -> Assessment:
    """One condition's entry: a status word, or a table { status, share, evidence }; from the
    actual value's text, a pair (word, share) located at the value itself."""
    share_raw: Any = None
    evidence: Any = ""
    share_at = f"{where}.share"
    if isinstance(raw, tuple):  # "plan=部分(0.4)" in the actual value
        word, share_raw = raw
        status, share_at = _status(word, where), where
    elif isinstance(raw, Mapping):
        for key in raw:
            if key not in ENTRY_KEYS:
                raise HintedError(f"{where} has no key {quote(key)}",
                                  suggest(str(key), ENTRY_KEYS) or f"the keys are {', '.join(ENTRY_KEYS)}")
        if "status" not in raw:
            raise ValueError(f"{where} needs status (met, partly or missed)")
        word, share_raw, evidence = raw["status"], raw.get("share"), raw.get("evidence", "")
        if not isinstance(evidence, str):
            raise ValueError(f"{where}.evidence must be text, not {evidence!r}")
        status = _status(word, f"{where}.status")
    else:
        word, status = raw, _status(raw, where)
    if share_raw is not None and status != "partly":
        raise ValueError(f"{share_at}: a share is for a partly met condition; {quote(word)} is "
                         f"{_EN[status]}")
    credit = {"met": ONE, "missed": ZERO}.get(status)
    if credit is None:
        credit = default if share_raw is None else _share(share_raw, share_at)
    return Assessment(condition, status, credit, str(word).strip(), evidence.strip())


def _from_text(text: str) -> dict[str, Any]:
    """The assessments written in the actual value: ``"law=符合; plan=部分(0.4)"``."""
    out: dict[str, Any] = {}
    for part in _SEPARATORS.split(text):
        if not part.strip():
            continue
        match = _ENTRY.match(part.strip())
        if match is None:
            raise ValueError(f"the actual value lists the assessments as id=status, e.g. "
                             f"\"law=符合; plan=部分(0.4)\", not {quote(part.strip())}")
        ident = match["id"].strip()
        if ident in out:
            raise ValueError(f"the actual value assesses {quote(ident)} twice")
        out[ident] = (match["word"], match["share"])
    return out


def _assessments(conds: Conditions, obs: Observation, default: Decimal) -> list[Assessment]:
    """Every condition's assessment, from ``extra`` (or, without it, the actual value); each
    condition exactly once."""
    if obs.assessed is not None:
        raise ValueError("'assessed' is the evaluator's score for a qualitative row; a checklist is "
                         "scored from its conditions, so leave 'assessed' out")
    where_of = "extra.{}".format
    entries: Mapping[str, Any] = obs.extra
    if not entries:
        if not obs.value.text.strip():
            raise ValueError("the checklist's conditions are assessed in the actual's extra table, "
                             "e.g. extra = { " + ", ".join(f'{c.id} = "met"' for c in conds[:2]) + " }")
        entries, where_of = _from_text(obs.value.text), "{!r} in the actual value".format
    ids = [c.id for c in conds]
    for key in entries:
        if key not in ids:
            raise HintedError(f"{where_of(key)} is not a condition of this checklist",
                              suggest(str(key), ids) or f"the conditions are {', '.join(ids)}")
    missing = [c for c in conds if c.id not in entries]
    if missing:
        named = ", ".join(f"{c.id} ({c.name})" if c.name else c.id for c in missing)
        raise ValueError(f"not assessed: {named}; give each condition met, partly or missed")
    return [_assessed(c, entries[c.id], where_of(c.id), default) for c in conds]


# --- the rule ------------------------------------------------------------------------------------


def _status_of(assessments: list[Assessment], score: Decimal) -> Status:
    if all(a.status == "met" for a in assessments):
        return Status.MET
    return Status.MISSED if score <= 0 else Status.PARTLY_MET


def _term(a: Assessment, w: Decimal, lang: str) -> str:
    """One condition in the formula: its points × what it earns, and why (status, evidence)."""
    worth = f"{fmt(a.condition.worth(w))}×{fmt(a.credit)}"
    if lang == "zh":
        evidence = f"，依据：{a.evidence}" if a.evidence else ""
        return f"{worth}（{a.condition.label}：{_ZH[a.status]}{evidence}）"
    evidence = f", evidence: {a.evidence}" if a.evidence else ""
    return f"{worth} ({a.condition.label}: {_EN[a.status]}{evidence})"


def _finding(a: Assessment, w: Decimal) -> Finding:
    worth = a.condition.worth(w)
    lost = worth * (ONE - a.credit)
    evidence_zh = f"（依据：{a.evidence}）" if a.evidence else ""
    evidence_en = f" (evidence: {a.evidence})" if a.evidence else ""
    return Finding(
        "condition-not-met",
        f"the condition {a.condition.label!r} is {_EN[a.status]}{evidence_en}: "
        f"{format_approx(lost, 6)} of its {fmt(worth)} points lost",
        f"评价要点“{a.condition.label}”{_ZH[a.status]}{evidence_zh}，扣{format_approx(lost, 6)}分"
        f"（该要点{fmt(worth)}分）")


def _notes(assessments: list[Assessment], status: Status, full: bool) -> tuple[str, str]:
    counts = {s: sum(1 for a in assessments if a.status == s) for s in ("met", "partly", "missed")}
    zh = "、".join(f"{_ZH[s]}{n}项" for s, n in counts.items() if n)
    en = ", ".join(f"{n} {_EN[s]}" for s, n in counts.items() if n)
    head_zh, head_en = f"评价要点{len(assessments)}项：{zh}", f"{len(assessments)} conditions: {en}"
    if full:  # no formula follows in the explanation: the evidence is told here
        shown = [a for a in assessments if a.evidence]
        if shown:
            head_zh += "；依据：" + "；".join(f"{a.condition.label}：{a.evidence}" for a in shown)
            head_en += "; evidence: " + "; ".join(f"{a.condition.label}: {a.evidence}" for a in shown)
    return f"{head_zh}，{status.zh}", f"{head_en}: {status.en}"


def compile_checklist(params: Mapping[str, Any], ctx: RuleContext) -> Scorer:
    """Σ wᵢ × cᵢ over the conditions of ``items``: wᵢ their share × w (or their points), cᵢ 1
    met, 0 not met, the partly share when partly met (``partly_share`` unless the assessment
    gives its own ``share``). Each condition is assessed in the actual's ``extra`` table, as a
    status word (met / partly / missed, 是 / 部分 / 否, 符合 / 部分符合 / 不符合) or a table
    { status, share, evidence }; without ``extra`` the actual value lists them
    (``"law=符合; plan=部分(0.4)"``). Every condition must be assessed, exactly once.
    """
    conds: Conditions = params["items"]
    default: Decimal = params["partly_share"]
    w = ctx.points
    if not conds:
        raise ValueError("needs items, the conditions: [{ id, name, share }, ...] with shares adding "
                         "up to 1, or [{ id, name, points }, ...] with points adding up to the row's")
    target = ctx.target
    if target is not None and (target.quantity is not None or target.date is not None):
        raise ValueError(f"the checklist rule scores its conditions and never reads the target, so "
                         f"the target {ctx.target_text or target} would mislead; write it in words "
                         "(e.g. \"充分\", \"规范\") or leave it out")
    if conds[0].points is not None:
        total = sum((c.points or ZERO for c in conds), ZERO)
        if total != w:
            raise ValueError(f"the conditions' points add up to "
                             f"{' + '.join(fmt(c.points or ZERO) for c in conds)} = {fmt(total)}, "
                             f"not the row's {fmt(w)} points")

    def numbers(obs: Observation) -> tuple[Decimal, Status]:
        assessments = _assessments(conds, obs, default)
        raw = sum((a.condition.worth(w) * a.credit for a in assessments), ZERO)
        return raw, _status_of(assessments, raw)

    def score(obs: Observation) -> Outcome:
        assessments = _assessments(conds, obs, default)
        raw = sum((a.condition.worth(w) * a.credit for a in assessments), ZERO)
        status = _status_of(assessments, raw)
        total = f" = {format_approx(raw, 6)}"
        formula_en = " + ".join(_term(a, w, "en") for a in assessments) + total
        formula_zh = " + ".join(_term(a, w, "zh") for a in assessments) + total
        zh, en = _notes(assessments, status, raw == w)
        findings = tuple(_finding(a, w) for a in assessments if a.credit < 1)
        return Outcome(raw, status, formula_en, zh, en, None, None, formula_zh, formula_en, findings)

    return with_numbers(score, numbers)


# --- the form's short actual ---------------------------------------------------------------------

_ASSESSED = re.compile(r"：(符合|部分符合|不符合)(?:，依据：[^（）]*)?）")
_STATUS_OF_ZH = {zh: status for status, zh in _ZH.items()}
_SHORT_EN = {"met": "met", "partly": "partly", "missed": "not met"}


def assessed_summary(formula_zh: str, lang: str = "zh") -> str:
    """How many conditions a checklist row's trace (its Chinese formula) found met, partly met
    and not met, as a form's 实际完成值: "符合3项、部分符合1项" (zh), "3 met, 1 partly" (en); ""
    for a formula that assesses no condition (another rule's). The results keep no such
    actual (a checklist's value is its ``extra`` table), so the form reads it back from the
    trace, which every result carries."""
    found = [_STATUS_OF_ZH[m] for m in _ASSESSED.findall(formula_zh)]
    counts = [(s, found.count(s)) for s in ("met", "partly", "missed") if s in found]
    if lang == "en":
        return ", ".join(f"{n} {_SHORT_EN[s]}" for s, n in counts)
    return "、".join(f"{_ZH[s]}{n}项" for s, n in counts)


# --- monitoring ----------------------------------------------------------------------------------

_STATED = {"on-track": "met", "delayed": "partly", "stalled": "missed"}
"""A row's stated status in monitoring → the assessment it gives every condition."""


def project_checklist(p: Projection) -> Projected | None:
    """A checklist row in mid-year monitoring (`evalcore.monitor`): its assessments to date
    written as the value to date are held (the default); else the conditions as the file's
    ``extra`` assesses them so far are held (a 决策 row's conditions are mostly settled before
    the year starts); else the stated status gives every condition the same assessment
    (on track: met, delayed: partly met, stalled: not met); else nothing (flagged)."""
    if p.to_date is not None:
        return None
    if p.extra:
        return Projected(None, "held", "按已填写的评价要点", "as the conditions are assessed so far")
    status = _STATED.get(p.status)
    if status is None:
        return None
    conds: Conditions = p.params.get("items", Conditions())
    text = "; ".join(f"{c.id}={status}" for c in conds)
    return Projected(text, "status", f"按所述状态：各评价要点{_ZH[status]}",
                     f"by the stated status: every condition {_EN[status]}")


@hookimpl
def evalcore_rule_types() -> list[RuleType]:
    return [RuleType("checklist", compile_checklist, (
        Param("items", conditions, Conditions(),
              "The conditions, [{ id, name, share }] (shares adding up to 1) or [{ id, name, points }] "
              "(points adding up to the row's); each assessed in the actual's extra table."),
        Param("partly_share", decimal(0, 1), Decimal("0.5"),
              "What a partly met condition earns, as a share of its points, when its assessment "
              "gives none. Not set nationally; 0.5 is evalcore's choice."),
    ), compile_checklist.__doc__ or "", itemised=True, project=project_checklist)]
