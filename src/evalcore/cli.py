"""The ``evalcore`` command: evaluate, explain, validate, test, plugins.

A mistake in a user's file never shows a traceback: the collected problems are
printed one per line (file:line: key: message (did you mean ...)) and the exit
status is 2. ``evalcore test`` exits 1 when a golden case fails.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from tabulate import tabulate

from . import api
from ._version import __version__
from .errors import EvalcoreError, Origin, Problem
from .explain import explain
from .plugins import default_registry
from .renderers import render_csv

__all__ = ["main"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="evalcore",
        description="Score publicly funded projects against their performance targets "
                    "(项目支出绩效自评) and render the self-evaluation table.")
    parser.add_argument("--version", action="version", version=f"evalcore {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ev = sub.add_parser("evaluate", help="score a project and print its 自评表",
                        description="Score a project file and print the result.")
    ev.add_argument("project", type=Path, help="the project's TOML file")
    ev.add_argument("--scheme", type=Path, help="score against this scheme file instead of the "
                    "project's own")
    ev.add_argument("--format", "-f", default="table",
                    help="output format: table (default), markdown, csv, json, html, xlsx (with -o), "
                         "or a plugin's")
    ev.add_argument("--output", "-o", type=Path, help="write to this file instead of stdout")
    ev.add_argument("--no-csv-guard", action="store_true",
                    help="csv: write a text cell that begins with = + - @ as it is, without the "
                         "leading ' that stops a spreadsheet from running it as a formula")

    ex = sub.add_parser("explain", help="show how one indicator's score was reached",
                        description="Print the trace of one row: rule, parameters, matched band, "
                                    "formula with values, raw, capped and rounded score.")
    ex.add_argument("project", type=Path, help="the project's TOML file")
    ex.add_argument("indicator", help="the indicator's id or name, or 'budget' for the funds row")
    ex.add_argument("--scheme", type=Path, help="score against this scheme file")

    va = sub.add_parser("validate", help="check scheme or project files without printing a table",
                        description="Check files; list every problem with its place.")
    va.add_argument("files", nargs="+", type=Path, metavar="FILE")

    te = sub.add_parser("test", help="run golden cases (expected scores) from TOML files",
                        description="Run the [[case]] tables of golden-case files: each input and "
                                    "the result it must give.")
    te.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="case files or folders")

    sub.add_parser("plugins", help="list the plugins and what each registers",
                   description="List categories, rules, profiles, units and formats, and the "
                               "plugin that registered each.")
    return parser


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def _evaluate(args: argparse.Namespace) -> int:
    project = api.load_project(args.project, scheme=args.scheme)
    evaluation = api.evaluate(project)
    if args.no_csv_guard and args.format == "csv":
        output: str | bytes = render_csv(evaluation, guard=False)
    else:
        output = api.render(evaluation, args.format)
    if isinstance(output, bytes) and not args.output:
        raise EvalcoreError([Problem(f"the {args.format} format is a binary file: write it with "
                                     f"-o FILE.{args.format}")])
    if args.output:
        try:
            if isinstance(output, bytes):
                args.output.write_bytes(output)
            else:
                args.output.write_text(output, encoding="utf-8")
        except OSError as exc:
            raise EvalcoreError([Problem(f"cannot write the output: {exc.strerror}",
                                         Origin(str(args.output)))]) from None
    else:
        assert isinstance(output, str)
        sys.stdout.write(output)
    return EXIT_OK


def _explain(args: argparse.Namespace) -> int:
    project = api.load_project(args.project, scheme=args.scheme)
    sys.stdout.write(explain(api.evaluate(project), args.indicator))
    return EXIT_OK


def _test(args: argparse.Namespace) -> int:
    from .golden import find_case_files, load_cases, run_case

    registry = default_registry()
    passed = failed = 0
    broken: list[Problem] = []
    for path in find_case_files(args.paths):
        try:
            cases = load_cases(path)
        except EvalcoreError as exc:
            broken.extend(exc.problems)
            continue
        for case in cases:
            failures = run_case(case, registry)
            if failures:
                failed += 1
                print(f"FAIL {case.id}")
                for failure in failures:
                    print(f"     {failure}")
            else:
                passed += 1
    _print_problems(broken)
    print(f"{passed} passed, {failed} failed")
    if broken:
        return EXIT_USAGE
    return EXIT_FAILED if failed else EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    status = EXIT_OK
    for path in args.files:
        try:
            warnings = api.validate(path)
        except EvalcoreError as exc:
            _print_problems(exc.problems)
            print(f"{path}: {len(exc.problems)} problem(s)", file=sys.stderr)
            status = EXIT_USAGE
            continue
        _print_problems(warnings)
        print(f"{path}: ok" + (f" ({len(warnings)} warning(s))" if warnings else ""))
    return status


def _plugins(args: argparse.Namespace) -> int:
    reg = default_registry()
    sections = [
        ("groups (一级指标)", [[n, e.item.zh, e.plugin] for n, e in reg.groups.items()],
         ["name", "中文", "plugin"]),
        ("categories (二级指标)",
         [[n, e.item.zh, e.item.group, e.item.default_rule, e.item.direction,
           e.item.aggregation or "(profile's)", ", ".join(e.item.aliases), e.plugin]
          for n, e in reg.categories.items()],
         ["name", "中文", "group", "default rule", "direction", "adds up by", "aliases", "plugin"]),
        ("rules", [[n, f"preset of {e.item.base}: " + ", ".join(e.item.preset) if e.item.base
                    else ", ".join(p.name for p in e.item.params), e.plugin]
                   for n, e in reg.rules.items()], ["name", "parameters", "plugin"]),
        ("profiles", [[n, e.item.title, e.item.source.get("extends") or "", e.plugin]
                      for n, e in reg.profiles.items()], ["name", "title", "extends", "plugin"]),
        ("aggregators", [[n, e.plugin] for n, e in reg.aggregators.items()], ["name", "plugin"]),
        ("output formats", [[n, e.plugin] for n, e in reg.renderers.items()], ["name", "plugin"]),
        ("units", [[e.item.name, e.item.dimension, e.item.factor, ", ".join(e.item.aliases),
                    e.plugin] for e in reg.unit_entries],
         ["name", "dimension", "factor", "aliases", "plugin"]),
    ]
    for title, rows, headers in sections:
        print(f"{title}:\n{tabulate(rows, headers, disable_numparse=True)}\n")
    if reg.plugin_versions:
        print("distributions: " + "; ".join(f"{k}: {v}" for k, v in sorted(reg.plugin_versions.items())))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    handler = {"evaluate": _evaluate, "explain": _explain, "validate": _validate,
               "test": _test, "plugins": _plugins}[args.command]
    try:
        return handler(args)
    except EvalcoreError as exc:
        _print_problems(exc.problems)
        return EXIT_USAGE
    except BrokenPipeError:  # `evalcore evaluate x | head`
        return EXIT_OK
