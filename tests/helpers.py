"""Small builders for test projects, so a test states only what it is about."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import evalcore
from evalcore.build import build_project
from evalcore.cli import main
from evalcore.loading import load_text


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict):
        return "{ " + ", ".join(f'"{k}" = {toml_value(v)}' for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def project_toml(indicators: list[dict[str, object]], *, budget: dict[str, object] | None = None,
                 settings: dict[str, object] | None = None, profile: str = "national-2020",
                 name: str = "测试项目") -> str:
    """An inline project file. Without ``budget`` there is no budget row."""
    lines = ["[project]", f"name = {toml_value(name)}", f"profile = {toml_value(profile)}", ""]
    if settings:
        lines.append("[settings]")
        lines += [f'"{k}" = {toml_value(v)}' for k, v in settings.items()]
        lines.append("")
    if budget:
        lines.append("[budget]")
        lines += [f"{k} = {toml_value(v)}" for k, v in budget.items()]
        lines.append("")
    for ind in indicators:
        lines.append("[[indicator]]")
        lines += [f"{k} = {toml_value(v)}" for k, v in ind.items()]
        lines.append("")
    return "\n".join(lines)


def single(target: object, actual: object, *, category: str = "quantity", points: int = 100,
           **extra: object) -> list[dict[str, object]]:
    """One indicator carrying all the points (no budget row), for rule tests."""
    row: dict[str, object] = {"id": "x", "name": "指标", "category": category, "points": points,
                              "target": target}
    if actual is not None:
        row["actual"] = actual
    row.update(extra)
    return [row]


def evaluate_text(text: str, registry: evalcore.Registry) -> evalcore.Evaluation:
    project = build_project(load_text(text, "project.toml"), registry)
    return evalcore.evaluate(project, registry)


def score_one(registry: evalcore.Registry, target: object, actual: object, *,
              points: int = 100, settings: dict[str, object] | None = None,
              **extra: object) -> evalcore.Row:
    """Score one indicator worth ``points`` (the whole 100 unless the profile total differs)."""
    text = project_toml(single(target, actual, points=points, **extra), settings=settings)
    return evaluate_text(text, registry).rows[0]


def write(path: Path, text: str) -> Path:
    """Write a UTF-8 test file and return its path."""
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """The 1-based line of the ``nth`` line of ``text`` containing ``needle``."""
    found = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(found) >= nth, f"{needle!r} is not in the text {nth} time(s)"
    return found[nth - 1]


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    """Run the command in-process: (exit status, stdout, stderr). argparse's exits count too
    (``--help`` 0, a usage error 2)."""
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    out, err = capsys.readouterr()
    return code, out, err
