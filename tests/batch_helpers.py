"""What the batch and Dask tests compare with: each portfolio row as a project file, scored by
``plan.evaluate`` (the Decimal path), one project at a time."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from helpers import toml_value

import evalcore

ROOT = Path(__file__).resolve().parent.parent
PORTFOLIO = ROOT / "examples" / "portfolio"
SCHEME = PORTFOLIO / "scheme.toml"
CSV = PORTFOLIO / "projects.csv"
COMPANIONS = ("reason", "assessed", "published")


def csv_rows(path: Path = CSV) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def project_file(row: Mapping[str, str], folder: Path, n: int) -> Path:
    """A portfolio row as a project file of the split form (it names no scheme: the caller
    gives one). Text stays text, amounts become TOML numbers."""
    lines = ["[project]", f"name = {toml_value(row['project'])}"]
    for key in ("department", "implementer"):
        if row.get(key):
            lines.append(f"{key} = {toml_value(row[key])}")
    if row.get("published_total"):
        lines.append(f"published = {row['published_total']}")
    if row.get("budget_planned") or row.get("budget_executed"):
        lines += ["", "[budget]"]
        lines += [f"{key} = {row['budget_' + key]}" for key in ("planned", "executed")
                  if row.get("budget_" + key)]
    lines += ["", "[actual]"]
    ids = [k for k in row if "." not in k and k not in
           ("project", "department", "implementer", "published_total", "budget_planned",
            "budget_executed")]
    for ident in ids:
        parts = {}
        if row.get(ident):
            parts["value"] = toml_value(row[ident])
        for companion in COMPANIONS:
            cell = row.get(f"{ident}.{companion}")
            if cell:
                parts[companion] = toml_value(cell) if companion == "reason" else cell
        if parts:
            inner = ", ".join(f"{k} = {v}" for k, v in parts.items())
            lines.append(f'"{ident}" = {{ {inner} }}')
    path = folder / f"p{n:05d}.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def expected(rows: list[dict[str, str]], folder: Path, scheme: Path = SCHEME
             ) -> list[evalcore.Evaluation | evalcore.EvaluationError]:
    """Each row scored by the Decimal path: its evaluation, or the error that stops it."""
    folder.mkdir(parents=True, exist_ok=True)
    loaded = evalcore.load_scheme(scheme)
    plan = evalcore.compile(loaded)
    out: list[evalcore.Evaluation | evalcore.EvaluationError] = []
    for n, row in enumerate(rows):
        project = evalcore.load_project(project_file(row, folder, n), scheme=loaded)
        try:
            out.append(plan.evaluate(project))
        except evalcore.EvaluationError as exc:
            out.append(exc)
    return out


def scores_of(evaluation: evalcore.Evaluation) -> dict[str, Any]:
    """The figures a scored row of the batch holds, from an evaluation."""
    figures: dict[str, Any] = {"project": evaluation.project, "total": evaluation.total,
                               "grade": evaluation.grade}
    if evaluation.budget is not None:
        figures["budget"] = evaluation.budget.score
    figures.update({row.id: row.score for row in evaluation.rows})
    figures.update({f"group.{g.name}": g.score for g in evaluation.groups})
    figures["codes"] = sorted(f.code for f in evaluation.findings)
    return figures


def scores_of_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """The same figures from a row of the batch's output (findings as their codes)."""
    figures = {k: v for k, v in row.items() if k not in ("findings", "errors")}
    figures["codes"] = sorted(f["code"] for f in row["findings"])
    return figures
