"""The ``evalcore`` command: evaluate, explain, validate, test, import, batch, plugins, schema,
audit, monitor, review.

A mistake in a user's file never shows a traceback: the collected problems are
printed one per line (file:line: key: message (did you mean ...)), at most
PROBLEM_LIMIT of them unless ``--all-problems`` is given, then a one-line
summary (``2 errors, 0 warnings in FILE``), and the exit status is 2. Every
line is printed with control characters escaped, so nothing from a file can
drive the terminal. ``evalcore test`` exits 1 when a golden case fails.

Engine module behind the ``evalcore`` command: nothing here is imported by users
or plugins, and its path may change in any release.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from tabulate import tabulate

from . import api
from ._version import __version__
from .auditing import Audit, tolerance_of
from .errors import (
    EXHAUSTED,
    MESSAGE_LIMIT,
    EvalcoreError,
    EvaluationError,
    Origin,
    Problem,
    ValidationError,
    shorten,
)
from .explain import explain
from .loading import DEFAULT_MAX_FILE_SIZE
from .model import Project
from .plugins import default_registry
from .results import Evaluation
from .safetext import one_line
from .schema import KINDS as SCHEMA_KINDS
from .schema import json_schema

__all__ = ["main"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
PROBLEM_LIMIT = 50  # problems printed per file without --all-problems

_SIZE = re.compile(r"^\s*(\d+)\s*(?:([KMG])(?:i?B)?|B)?\s*$", re.I)
_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}


def _size(text: str) -> int:
    """A file size for --max-file-size: bytes, or with K, M or G (KiB, MiB, GiB): 16M."""
    match = _SIZE.match(text)
    if not match or int(match.group(1)) == 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size: write bytes, or 512K, 16M, 1G")
    return int(match.group(1)) * _UNITS[(match.group(2) or "").upper()]


def _common() -> argparse.ArgumentParser:
    """The options of every command that reads files."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--max-file-size", type=_size, default=DEFAULT_MAX_FILE_SIZE, metavar="SIZE",
                        help="refuse files larger than this: bytes, or 512K, 16M, 1G "
                             "(default 16M)")
    common.add_argument("--all-problems", action="store_true",
                        help=f"print every problem, not only the first {PROBLEM_LIMIT} of a file")
    return common


LANGUAGES = ("zh", "en")


def _language() -> argparse.ArgumentParser:
    """The ``--lang`` option of the commands that print results for people."""
    lang = argparse.ArgumentParser(add_help=False)
    lang.add_argument("--lang", choices=LANGUAGES, default=None,
                      help="the language of the output: zh (Chinese, the default) or en "
                           "(English); problems with the input are reported in English")
    return lang


def _lang(args: argparse.Namespace) -> str:
    """The language asked with --lang, Chinese when none was."""
    return getattr(args, "lang", None) or "zh"


def _positive(text: str) -> int:
    """A whole number of at least 1, for --batch-size."""
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="evalcore",
        description="Score publicly funded projects against their performance targets "
                    "(项目支出绩效自评) and render the self-evaluation table.")
    parser.add_argument("--version", action="version", version=f"evalcore {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    common = _common()
    lang = _language()
    ev = sub.add_parser("evaluate", help="score a project and print its 自评表",
                        parents=[common, lang],
                        description="Score a project file and print the result.")
    ev.add_argument("project", type=Path, help="the project's TOML file, or an .xlsx or .docx "
                    "自评表")
    ev.add_argument("--scheme", type=Path, help="score against this scheme file instead of the "
                    "project's own")
    ev.add_argument("--format", "-f", default="table",
                    help="output format: table (default), markdown, csv, json, html, xlsx or docx (with -o), "
                         "or a plugin's")
    ev.add_argument("--output", "-o", type=Path, help="write to this file instead of stdout")
    ev.add_argument("--no-csv-guard", action="store_true",
                    help="csv: write a text cell that begins with = + - @ as it is, without the "
                         "leading ' that stops a spreadsheet from running it as a formula")
    ev.add_argument("--no-bom", action="store_true",
                    help="csv: leave out the byte-order mark (UTF-8-SIG) that lets Excel in a "
                         "Chinese locale open the file without mojibake")

    ex = sub.add_parser("explain", help="show how one indicator's score was reached",
                        parents=[common, lang],
                        description="Print the trace of one row: rule, parameters, matched band, "
                                    "formula with values, raw, capped and rounded score.")
    ex.add_argument("project", type=Path, help="the project's TOML file")
    ex.add_argument("indicator", help="the indicator's id or name, or 'budget' for the funds row")
    ex.add_argument("--scheme", type=Path, help="score against this scheme file")

    va = sub.add_parser("validate", help="check scheme or project files without printing a table",
                        parents=[common, lang],
                        description="Check files; list every problem with its place.")
    va.add_argument("files", nargs="+", type=Path, metavar="FILE")

    te = sub.add_parser("test", help="run golden cases (expected scores) from TOML files",
                        parents=[common, lang],
                        description="Run the [[case]] tables of golden-case files: each input and "
                                    "the result it must give.")
    te.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="case files or folders")

    ba = sub.add_parser("batch", help="score a portfolio: many projects, one scheme",
                        parents=[common, lang],
                        description="Score every project of a folder of project files, a CSV, a "
                                    "Parquet file or dataset, or an xlsx (one project per row) "
                                    "against one scheme; write the scores, an errors file and a "
                                    "portfolio summary.")
    ba.add_argument("input", type=Path, help="a folder of project files, or a .csv, .parquet "
                    "(file or partitioned folder) or .xlsx with one project per row")
    ba.add_argument("--scheme", type=Path, required=True, help="the scheme every project is "
                    "scored against")
    ba.add_argument("--output", "-o", type=Path, required=True,
                    help="the scores: .parquet, .csv or .jsonl (by its suffix)")
    ba.add_argument("--errors", type=Path, help="the projects that could not be scored, as JSON "
                    "Lines (default: beside the output, OUT's stem + .errors.jsonl)")
    ba.add_argument("--summary-json", type=Path, metavar="FILE",
                    help="also write the portfolio summary to FILE as JSON")
    ba.add_argument("--batch-size", type=_positive, default=50_000, metavar="N",
                    help="projects read, scored and written at a time (default 50000)")
    ba.add_argument("--scores-only", action="store_true",
                    help="scores, subtotals, totals and grades only: no findings column, and no "
                         "time spent looking for findings (a portfolio scored again after a rule "
                         "or profile changed)")

    sc = sub.add_parser("schema", help="print the JSON Schema of the TOML files, for editors",
                        description="Print the JSON Schema (draft 2020-12) of project, scheme and "
                                    "golden case files, with the installed plugins' names, for an "
                                    "editor such as Taplo / Even Better TOML.")
    sc.add_argument("--kind", choices=SCHEMA_KINDS, default="any",
                    help="the kind of file: any (the default: told apart by their tables), "
                         "project, scheme or case")
    sc.add_argument("--output", "-o", type=Path, help="write to this file instead of stdout")

    im = sub.add_parser("import", help="write an Excel or Word 自评表 as a project TOML file",
                        parents=[common],
                        description="Read a 自评表 table (.xlsx or .docx), find its blocks by their "
                                    "labels, and write it as a project file with its indicators "
                                    "inline; every 得分 is kept as the published score.")
    im.add_argument("project", type=Path, metavar="TABLE", help="the .xlsx or .docx table")
    im.add_argument("--output", "-o", type=Path, help="write the TOML to this file instead of "
                    "stdout")

    _audit_parser(sub, common, lang)
    _monitor_parser(sub, common, lang)
    _review_parser(sub, common, lang)

    sub.add_parser("plugins", help="list the plugins and what each registers",
                   description="List categories, rules, profiles, units and formats, and the "
                               "plugin that registered each.")
    return parser


def _count(n: int, what: str) -> str:
    return f"{n} {what}" + ("" if n == 1 else "s")


def _print_problems(problems: Sequence[Problem], args: argparse.Namespace) -> None:
    """Print ``problems`` to stderr, one a line: all with --all-problems, else the first
    PROBLEM_LIMIT and how many more there are."""
    shown = problems if getattr(args, "all_problems", False) else problems[:PROBLEM_LIMIT]
    for problem in shown:
        print(problem.in_language(_lang(args)), file=sys.stderr)
    if len(problems) > len(shown):
        print(f"… and {len(problems) - len(shown)} more problems (--all-problems to list them all)",
              file=sys.stderr)


def _report(problems: Sequence[Problem], args: argparse.Namespace, file: object = None) -> None:
    """The problems of one failed file, then one summary line, printed even when problems were
    left out: ``FILE: 3 problem(s)``, with ``(2 errors, 1 warning)`` when warnings are among
    them."""
    _print_problems(problems, args)
    errors = sum(p.severity == "error" for p in problems)
    summary = f"{len(problems)} problem(s)"
    if errors != len(problems):
        summary += f" ({_count(errors, 'error')}, {_count(len(problems) - errors, 'warning')})"
    if file is not None:
        summary = f"{shorten(file, MESSAGE_LIMIT)}: {summary}"
    print(one_line(summary), file=sys.stderr)


def _evaluated(args: argparse.Namespace) -> Evaluation:
    """The project scored; when it cannot be, every problem of every stage at once."""
    try:
        project = api.load_project(args.project, scheme=args.scheme,
                                   max_file_size=args.max_file_size)
        return api.evaluate(project)
    except (ValidationError, EvaluationError):
        api.check(args.project, args.scheme, max_file_size=args.max_file_size)
        raise


def _evaluate(args: argparse.Namespace) -> int:
    options = {"guard": False} if args.no_csv_guard else {}
    if args.no_bom:
        options["bom"] = False
    # --lang left out asks nothing of the format (a plugin's may take no lang option).
    output = api.render(_evaluated(args), args.format, options=options, lang=args.lang)
    if isinstance(output, bytes) and not args.output:
        raise EvalcoreError([Problem(f"the {args.format} format is a binary file: write it with "
                                     f"-o FILE.{args.format}")])
    _write(output, args.output)
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    text = json.dumps(json_schema(args.kind), ensure_ascii=False, indent=2) + "\n"
    _write(text, args.output, "the schema")
    return EXIT_OK


def _explain(args: argparse.Namespace) -> int:
    sys.stdout.write(explain(_evaluated(args), args.indicator, _lang(args)))
    return EXIT_OK


def _test(args: argparse.Namespace) -> int:
    from .golden import find_case_files, load_cases, run_case

    registry = default_registry()
    passed = failed = 0
    broken: list[tuple[Path, Sequence[Problem]]] = []
    for path in find_case_files(args.paths):
        try:
            cases = load_cases(path, args.max_file_size)
        except EvalcoreError as exc:
            broken.append((path, exc.problems))
            continue
        for case in cases:
            failures = run_case(case, registry, args.max_file_size, lang=_lang(args))
            if failures:
                failed += 1
                print(one_line(f"FAIL {shorten(case.id, MESSAGE_LIMIT)}"))
                for failure in failures:
                    print(one_line(f"     {shorten(failure, MESSAGE_LIMIT)}"))
            else:
                passed += 1
    for path, problems in broken:
        _report(problems, args, path)
    print(f"{passed} passed, {failed} failed")
    if broken:
        return EXIT_USAGE
    return EXIT_FAILED if failed else EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    status = EXIT_OK
    for path in args.files:
        try:
            warnings = api.validate(path, max_file_size=args.max_file_size)
        except EvalcoreError as exc:
            _report(exc.problems, args, path)
            status = EXIT_USAGE
            continue
        _print_problems(warnings, args)
        print(one_line(f"{shorten(path, MESSAGE_LIMIT)}: ok"
                        + (f" ({len(warnings)} warning(s))" if warnings else "")))
    return status


def _batch(args: argparse.Namespace) -> int:
    import json

    from .batch import run_batch

    result = run_batch(args.input, args.scheme, args.output, errors=args.errors,
                       batch_size=args.batch_size, max_file_size=args.max_file_size,
                       findings=not args.scores_only)
    summary = result.summary
    sys.stdout.write(summary.render(_lang(args)))
    if summary.in_error:
        print(one_line(f"{summary.in_error}个项目无法评分，见 {result.errors_file}"
                       if _lang(args) == "zh" else f"{summary.in_error} project(s) could not be "
                       f"scored: see {result.errors_file}"))
    if args.summary_json:
        text = json.dumps(summary.to_dict(), ensure_ascii=False, indent=2) + "\n"
        _write(text, args.summary_json, "the summary")
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    _write(api.import_table(args.project, max_file_size=args.max_file_size), args.output)
    return EXIT_OK


def _tolerance(text: str) -> Decimal:
    """A difference in points that still agrees, for ``audit --tolerance``: a number ≥ 0."""
    try:
        return tolerance_of(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{exc}; write a number of points ≥ 0, such as 0.5") \
            from None


def _audit_parser(sub: Any, common: argparse.ArgumentParser,
                  lang: argparse.ArgumentParser) -> None:
    au = sub.add_parser("audit", help="check a published 自评表: published against computed "
                        "scores (复核)", parents=[common, lang],
                        description="Score every row of each project file (a table whose points "
                                    "do not add up is audited too), compare every published "
                                    "score with the computed one at the table's own precision, "
                                    "and show the reviewer's scores beside them.")
    au.add_argument("files", nargs="+", type=Path, metavar="FILE",
                    help="project TOML files, or .xlsx or .docx 自评表")
    au.add_argument("--scheme", type=Path, help="score against this scheme file instead of "
                    "each project's own")
    au.add_argument("--tolerance", type=_tolerance, default=Decimal(0), metavar="T",
                    help="a difference of at most T points still agrees (default 0)")
    au.add_argument("--format", "-f", default="table",
                    help="output format: table (default), markdown, csv or json")
    au.add_argument("--output", "-o", type=Path, help="write to this file instead of stdout")


def _audit(args: argparse.Namespace) -> int:
    from .audit_output import check_audit_format, render_audits

    check_audit_format(args.format, _lang(args))
    status, done = EXIT_OK, []
    for path in args.files:
        try:
            done.append((str(path), _audited(path, args)))
        except EvalcoreError as exc:
            _report(exc.problems, args, path)
            status = EXIT_USAGE
    _write(render_audits(done, args.format, _lang(args)), args.output)
    return status


def _audited(path: Path, args: argparse.Namespace) -> Audit:
    """The file audited; when it cannot be, every problem of every stage at once (the points
    sum aside: an audit reports it as a finding)."""
    return api.audit(_loaded(path, args), tolerance=args.tolerance)


def _loaded(path: Path, args: argparse.Namespace) -> Project:
    """The project file (against ``--scheme`` if given); when it cannot be read, every problem
    of every stage at once, the points sum aside (audit and monitor report it themselves)."""
    try:
        return api.load_project(path, scheme=args.scheme, max_file_size=args.max_file_size)
    except (ValidationError, EvaluationError):
        api.check(path, args.scheme, max_file_size=args.max_file_size, points_sum=False)
        raise


def _as_of(text: str) -> date:
    """A monitoring date for ``monitor --as-of``: 2022-07-31."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write it as 2022-07-31") \
            from None


def _monitor_parser(sub: Any, common: argparse.ArgumentParser,
                    lang: argparse.ArgumentParser) -> None:
    mo = sub.add_parser("monitor", help="mid-year monitoring (绩效运行监控): progress to date, "
                        "projected year-end score, red/amber/green", parents=[common, lang],
                        description="Read a project's values to date, measure spending "
                                    "against 序时进度, project every row to the year's end, score "
                                    "the projection with the final evaluation's rules, and list "
                                    "the rows that need a cause and a correction.")
    mo.add_argument("project", type=Path, help="the project's TOML file, with its values to date")
    mo.add_argument("--as-of", type=_as_of, metavar="DATE",
                    help="the monitoring date, 2022-07-31 (default: the file's [monitoring] as_of)")
    mo.add_argument("--scheme", type=Path, help="score against this scheme file instead of the "
                    "project's own")
    mo.add_argument("--format", "-f", default="table",
                    help="output format: table (default), markdown or json")
    mo.add_argument("--output", "-o", type=Path, help="write to this file instead of stdout")


def _monitor(args: argparse.Namespace) -> int:
    from .monitor_output import check_monitor_format, render_monitor
    from .monitoring import monitor

    check_monitor_format(args.format, _lang(args))
    _write(render_monitor(monitor(_loaded(args.project, args), as_of=args.as_of), args.format,
                          _lang(args)),
           args.output)
    return EXIT_OK


def _review_parser(sub: Any, common: argparse.ArgumentParser,
                   lang: argparse.ArgumentParser) -> None:
    re_ = sub.add_parser("review", help="check a target table before the budget is approved "
                         "(绩效目标审核)", parents=[common, lang],
                         description="Check a scheme's (or a project's) targets before any "
                                     "actual value exists: completeness, measurability, "
                                     "points and weights, unit costs, "
                                     "duplicates, deadlines. Exit status 0 for 通过 and "
                                     "修改后通过, 1 for 不通过 (and for 修改后通过 with "
                                     "--strict), 2 for a file that cannot be read.")
    re_.add_argument("file", type=Path, metavar="SCHEME_OR_PROJECT",
                     help="a scheme or project TOML file, or an .xlsx or .docx 自评表")
    re_.add_argument("--format", "-f", default="table",
                     help="output format: table (default), markdown or json")
    re_.add_argument("--output", "-o", type=Path, help="write to this file instead of stdout")
    re_.add_argument("--strict", action="store_true",
                     help="exit 1 for 修改后通过 too, not only for 不通过")


def _review(args: argparse.Namespace) -> int:
    from .review_output import check_review_format, render_review

    check_review_format(args.format, _lang(args))
    args.project = args.file  # where _report names the file of a problem
    result = api.review(args.file, max_file_size=args.max_file_size)
    _write(render_review(result, args.format, _lang(args)), args.output)
    if result.conclusion == "不通过" or (args.strict and result.conclusion != "通过"):
        return EXIT_FAILED
    return EXIT_OK


def _write(output: str | bytes, path: Path | None, what: str = "the output") -> None:
    """``output`` to the file ``path`` (UTF-8 text, or bytes as they are), or to stdout without
    one; a file that cannot be written is a located error naming ``what`` was written."""
    if path is None:
        assert isinstance(output, str), "binary output goes to a file"
        sys.stdout.write(output)
        return
    try:
        if isinstance(output, bytes):
            path.write_bytes(output)
        else:
            path.write_text(output, encoding="utf-8")
    except OSError as exc:
        raise EvalcoreError([Problem(f"cannot write {what}: {exc.strerror}",
                                     Origin(str(path)))]) from None


def _plugins(args: argparse.Namespace) -> int:
    reg = default_registry()
    sections: list[tuple[str, list[list[Any]], list[str]]] = [
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
        ("profiles", [[n, e.item.title, e.item.extends or "", e.plugin]
                      for n, e in reg.profiles.items()], ["name", "title", "extends", "plugin"]),
        ("aggregators", [[n, e.plugin] for n, e in reg.aggregators.items()], ["name", "plugin"]),
        ("output formats", [[n, e.plugin] for n, e in reg.renderers.items()], ["name", "plugin"]),
        ("units", [[e.item.name, e.item.dimension, e.item.factor, ", ".join(e.item.aliases),
                    e.plugin] for e in reg.unit_entries],
         ["name", "dimension", "factor", "aliases", "plugin"]),
    ]
    if reg.review_checks:
        sections.append(("review checks (绩效目标审核)",
                         [[n, e.item.zh, e.item.source, e.plugin]
                          for n, e in reg.review_checks.items()],
                         ["name", "中文", "source", "plugin"]))
    for title, rows, headers in sections:
        print(f"{title}:\n{tabulate(rows, headers, disable_numparse=True)}\n")
    if reg.plugin_versions:
        print("distributions: " + "; ".join(f"{k}: {v}" for k, v in sorted(reg.plugin_versions.items())))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    handler = {"evaluate": _evaluate, "explain": _explain, "validate": _validate,
               "test": _test, "plugins": _plugins, "batch": _batch,
               "schema": _schema, "import": _import, "audit": _audit,
               "monitor": _monitor, "review": _review}[args.command]
    try:
        return handler(args)
    except EvalcoreError as exc:
        _report(exc.problems, args, getattr(args, "project", None))
        return EXIT_USAGE
    except EXHAUSTED as exc:  # an input beyond any limit a check could name in advance
        _report([Problem(f"the input is too large or too deeply nested to process "
                         f"({type(exc).__name__})")], args, getattr(args, "project", None))
        return EXIT_USAGE
    except BrokenPipeError:  # `evalcore evaluate x | head`
        return EXIT_OK
