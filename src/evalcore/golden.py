"""Golden cases: inputs and the results they must give, as TOML (in the spirit of the DMN TCK).

A case file holds ``[[case]]`` tables. A case scores either one indicator
(``[case.indicator]``, worth all the points), a budget row (``[case.budget]``),
or a whole project file (``project = "path"``, relative to the case file),
under a profile and settings, and states what must come out in
``[case.expect]``:

```toml
[[case]]
name = "positive: 300 of 400 scores 75%"
settings = { decimals = 2 }
[case.indicator]
category = "quantity"
target = "≥400批次"
actual = "300批次"
points = 10
[case.expect]
score = "7.50"
status = "partly-met"
rule = "positive"
```

Expectations: ``score``, ``status``, ``rule``, ``matched``, ``formula`` (a
substring of the trace's formula, in English or in Chinese) for one row; a score
written as text ("7.50") must match to the last digit, a number (7.5) only in
value; ``total``, ``grade``, ``rows = { id = { score, status } }``,
``categories = { name = score }`` and ``groups = { name = score }`` (subtotals)
for a project; ``findings`` (codes that must appear) for any;
``error`` (a substring of the expected error) when the input must be refused.
``evalcore test PATH...`` runs case files; the pytest plugin collects files
under folders named ``golden``.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from .api import evaluate, load_project
from .build import build_project
from .errors import EvalcoreError, Origin, Problem, ValidationError, raise_if_errors, shorten
from .loading import DEFAULT_MAX_FILE_SIZE, Document, load_file
from .model import BUDGET_ID
from .numbers import context, in_context, to_decimal
from .reader import Reader
from .registry import Registry
from .results import BudgetRow, Evaluation, Row

__all__ = ["GoldenCase", "find_case_files", "load_cases", "run_case"]

CASE_KEYS = {"name", "profile", "settings", "indicator", "budget", "project", "expect"}
ROW_KEYS = {"score", "status"}
"""What ``expect.rows.<id>`` may check: the row's score and status."""
EXPECT_KEYS = {"score", "status", "rule", "matched", "formula", "total", "grade", "rows",
               "categories", "groups", "findings", "error"}


@attrs.frozen
class GoldenCase:
    """One case: where it is written, its inputs, and what must come out."""

    name: str
    file: str
    index: int
    data: Mapping[str, Any] = attrs.field(repr=False)
    origin: Origin = attrs.field(eq=False, repr=False)

    @property
    def id(self) -> str:
        return f"{Path(self.file).name}::{self.name}"


def find_case_files(paths: list[str | Path]) -> Iterator[Path]:
    """The TOML files named, and the ones below named folders, in a stable order."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(path.rglob("*.toml"))
        else:
            yield path


@in_context
def load_cases(path: str | Path, max_file_size: int = DEFAULT_MAX_FILE_SIZE) -> list[GoldenCase]:
    """Read a case file (of at most ``max_file_size`` bytes); a malformed file is a
    ValidationError listing its problems."""
    doc = load_file(path, max_file_size)
    cases = doc.data.get("case")
    if not isinstance(cases, list) or not cases:
        raise ValidationError([Problem("a golden case file needs [[case]] tables", doc.origin())])
    r = Reader.of(doc)
    out = [_case(r, doc.file, i, case) for i, case in r.tables(doc.data, "case")]
    raise_if_errors(r.problems)
    return out


def _case(r: Reader, file: str, i: int, case: Mapping[str, Any]) -> GoldenCase:
    """One ``[[case]]`` table, its shape checked: one input, known expectations."""
    at = ("case", i)
    r.keys(case, CASE_KEYS, *at)
    for key in ("settings", "indicator", "budget"):
        r.table(case, key, *at)
    for key in ("project", "profile", "name"):
        r.text(case, key, *at)
    expect = r.table(case, "expect", *at)
    r.keys(expect, EXPECT_KEYS, *at, "expect", what="expectation")
    for key in ("rows", "categories", "groups"):
        r.table(expect, key, *at, "expect")
    rows = expect.get("rows", {})
    for ident, wanted in rows.items() if isinstance(rows, Mapping) else ():
        if not isinstance(wanted, Mapping):
            r.bad(f"expect.rows.{shorten(ident)} must be a table {{ score = ..., status = ... }}",
                  *at, "expect", "rows", ident)
        else:  # a key the runner would not check (a typo, a rule) is an error, not a pass
            r.keys(wanted, ROW_KEYS, *at, "expect", "rows", ident, what="row expectation")
    findings = expect.get("findings", [])
    if not isinstance(findings, list) or not all(isinstance(f, str) for f in findings):
        r.bad("expect.findings must be an array of finding codes", *at, "expect", "findings")
    if len([k for k in ("indicator", "budget", "project") if k in case]) != 1:
        r.bad("a case scores exactly one of: indicator, budget, project", *at)
    if not expect:
        r.bad("a case needs an [case.expect] table", *at)
    return GoldenCase(str(case.get("name", f"case {i + 1}")), file, i, case, r.origin(*at))


def _case_document(case: GoldenCase, registry: Registry) -> Document:
    """The project file a single-indicator or budget case stands for."""
    data = case.data
    settings = dict(data.get("settings", {}))
    project: dict[str, Any] = {"project": {"name": case.name}}
    if "profile" in data:
        project["project"]["profile"] = data["profile"]
    if "indicator" in data:
        row = {"id": "x", "name": case.name, **data["indicator"]}
        # The indicator carries all the points: the total follows it, weights are not checked.
        settings.setdefault("total", row.get("points", 100))
        settings.setdefault("weights", {})
        project["indicator"] = [row]
    else:
        # The budget row and one met filler indicator carrying the rest of the points.
        budget = dict(data["budget"])
        settings.setdefault("weights", {})
        project["budget"] = budget
        rest = to_decimal(settings.get("total", 100)) - to_decimal(budget.get("points", 0))
        filler = next(name for name, e in sorted(registry.categories.items())
                      if registry.rules[e.item.default_rule].item.input == "value")
        project["indicator"] = [{"id": "rest", "name": "rest", "category": filler,
                                 "points": str(rest), "target": "≥0", "actual": "0"}]
    project["settings"] = settings
    return Document(project, case.file, {})


def _evaluate(case: GoldenCase, registry: Registry, max_file_size: int) -> Evaluation:
    if "project" in case.data:
        path = Path(case.file).parent / str(case.data["project"])
        return evaluate(load_project(path, registry=registry, max_file_size=max_file_size),
                        registry)
    project = build_project(_case_document(case, registry), registry)
    return evaluate(project, registry)


def _same(expected: object, actual: object) -> bool:
    """Text expectations compare as text ("7.50" pins the rounding too); numbers by value."""
    if isinstance(actual, Decimal) and not isinstance(expected, str):
        try:
            return to_decimal(expected) == actual
        except ValueError:
            return False
    return str(expected) == str(actual)


def run_case(case: GoldenCase, registry: Registry,
             max_file_size: int = DEFAULT_MAX_FILE_SIZE, *, lang: str | None = None) -> list[str]:
    """The ways ``case`` fails (empty when it passes). Scores compare as exact text: "7.50".

    Runs in evalcore's decimal context; ``max_file_size`` bounds a project file the case names.
    With ``lang`` ("zh" or "en"), a failing case of one row ends with that row's explanation
    in the language, so the failure shows how the score came about.
    """
    with decimal.localcontext(context()):
        return _run_case(case, registry, max_file_size, lang)


def _run_case(case: GoldenCase, registry: Registry, max_file_size: int,
              lang: str | None = None) -> list[str]:
    expect = case.data["expect"]
    try:
        result = _evaluate(case, registry, max_file_size)
    except EvalcoreError as exc:
        wanted = expect.get("error")
        message = "; ".join(p.message for p in exc.problems)
        if wanted is None:
            return [f"expected a result, got an error: {message}"]
        return [] if str(wanted) in message else [f"expected an error with {wanted!r}, got: {message}"]
    if "error" in expect:
        return [f"expected an error with {expect['error']!r}, got a result (total {result.total})"]
    failures: list[str] = []

    def check(what: str, wanted: object, got: object) -> None:
        if wanted is not None and not _same(wanted, got):
            failures.append(f"{what}: expected {wanted}, got {got}")

    if "indicator" in case.data or "budget" in case.data:
        row = result.rows[0] if "indicator" in case.data else result.budget
        assert row is not None
        check("score", expect.get("score"), row.score)
        check("status", expect.get("status"), row.status.value)
        check("rule", expect.get("rule"), row.trace.rule)
        check("matched", expect.get("matched"), row.trace.matched)
        if "formula" in expect and not any(str(expect["formula"]) in text for text in
                                           (row.trace.formula, row.trace.formula_zh)):
            failures.append(f"formula: expected to contain {expect['formula']!r}, got {row.trace.formula!r}")
    check("total", expect.get("total"), result.total)
    check("grade", expect.get("grade"), result.grade)
    by_id: dict[str, Row | BudgetRow] = {r.id: r for r in result.rows}
    if result.budget is not None:
        by_id[BUDGET_ID] = result.budget
    for ident, wanted in dict(expect.get("rows", {})).items():
        row = by_id.get(ident)
        if row is None:
            failures.append(f"rows.{ident}: no such row")
            continue
        check(f"rows.{ident}.score", wanted.get("score"), row.score)
        check(f"rows.{ident}.status", wanted.get("status"), row.status.value)
    for kind, subtotals in (("categories", result.categories), ("groups", result.groups)):
        by_name = {t.name: t for t in subtotals}
        for name, wanted in dict(expect.get(kind, {})).items():
            if name not in by_name:
                failures.append(f"{kind}.{name}: no such subtotal (have {', '.join(by_name)})")
            else:
                check(f"{kind}.{name}", wanted, by_name[name].score)
    codes = [f.code for f in result.findings]
    for code in expect.get("findings", []):
        if code not in codes:
            failures.append(f"findings: expected {code!r}, got {codes}")
    if failures and lang is not None and ("indicator" in case.data or "budget" in case.data):
        row = result.rows[0] if "indicator" in case.data else result.budget
        assert row is not None
        failures.append(f"说明：{row.explanation_zh}" if lang == "zh"
                        else f"explanation: {row.explanation_en}")
    return failures
