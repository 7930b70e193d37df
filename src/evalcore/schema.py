"""The JSON Schema (draft 2020-12) of evalcore's TOML input: project, scheme and golden case files.

An editor that knows JSON Schema (Taplo / Even Better TOML, through a ``#:schema`` line or a
``.taplo.toml``) then completes keys and flags a misspelled key or a wrong type as it is
typed, instead of when the file is run.

The schema cannot drift from the reader: the keys of every table are not written here but
read, each time a schema is made, from the key sets the build stage checks files against
(`evalcore.build`, `evalcore.golden`, `evalcore.profile`). This module only adds what each key
holds and what it means (from the file-format pages of the docs). A key the reader accepts
that has no entry here, or an entry for a key the reader does not accept, stops the schema
from being made at all (`SchemaDrift`), so a test fails as soon as the two differ. The names
of categories, groups, rules and profiles are enums taken from the registry, so an installed
plugin's names are in the schema too.

Engine module: import what it offers from `evalcore` (the public surface); its own path may
change in any release.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from . import build, golden, monitor_settings, profile, progress
from .registry import Registry

__all__ = ["DIALECT", "KINDS", "SchemaDrift", "json_schema"]

DIALECT = "https://json-schema.org/draft/2020-12/schema"
KINDS = ("any", "project", "scheme", "case")  # what `json_schema` can describe

Schema = dict[str, Any]


class SchemaDrift(RuntimeError):
    """The reader accepts a key this module does not describe, or the other way round: the
    schema would be wrong, so none is made. A developer's error, found by the tests."""


# -- what a value can be -----------------------------------------------------------------------

_DIGIT = "[0-9０-９]"
# A number written as text, as `evalcore.numbers.to_decimal` reads it: "7.50", "1,000", "1e3".
_NUMBER_TEXT = rf"^\s*[-+]?[0-9０-９.,，_]*{_DIGIT}[0-9０-９.,，_]*([eE][-+]?[0-9]+)?\s*$"
_AMOUNT_TEXT = rf"^\s*\+?[0-9０-９.,，_]*{_DIGIT}[0-9０-９.,，_]*([eE][-+]?[0-9]+)?\s*$"

TEXT: Schema = {"type": "string"}
FLAG: Schema = {"type": "boolean"}
TABLE: Schema = {"type": "object"}
TEXTS: Schema = {"type": "array", "items": TEXT}
# An amount or a score: never negative (the reader refuses one), a TOML number or the same
# number written as text.
AMOUNT: Schema = {"anyOf": [{"type": "number", "minimum": 0},
                            {"type": "string", "pattern": _AMOUNT_TEXT}]}
NUMBER: Schema = {"anyOf": [{"type": "number"}, {"type": "string", "pattern": _NUMBER_TEXT}]}
# A target or an actual value: text, a number or a date (a TOML date is text to a JSON tool).
VALUE: Schema = {"type": ["string", "number"]}
YEAR: Schema = {"type": "integer", "minimum": 1949, "maximum": 2200}


def _described(schema: Schema, description: str) -> Schema:
    return {**schema, "description": description}


# -- what each key holds and means, table by table ---------------------------------------------

_PROJECT = {
    "name": (TEXT, "项目名称. In the inline form it is also shown as the scheme name (评价方案)."),
    "department": (TEXT, "主管部门"),
    "implementer": (TEXT, "实施单位"),
    "year": (YEAR, "The year shown in the title: 项目支出绩效自评表（2021年度）. A number, not text."),
    "profile": ("profile", "The rule set (profile). Must be a registered profile; national-2020 "
                           "by default."),
    "scheme": (TEXT, "Split form: the path of the scheme file, relative to this file. Not "
                     "allowed together with [[indicator]]."),
    "published": (AMOUNT, "The 总分 printed in an existing table; a difference from evalcore's "
                          "total is a published-differs finding."),
}
_GOAL = {
    "expected": (TEXT, "年度总体目标: 预期目标"),
    "achieved": (TEXT, "年度总体目标: 实际完成情况"),
}
_SCHEME = {
    "name": (TEXT, "The scheme's name, shown as 评价方案."),
    "profile": ("profile", "The profile every project of this scheme is scored with; "
                           "national-2020 by default."),
    "doc": (TEXT, "A description. It is accepted but not used anywhere."),
}
_BUDGET = {
    "points": (AMOUNT, "The 分值 of the funds row (national default 10). Without points "
                       "there is no budget row."),
    "planned": (AMOUNT, "全年预算数 (A): the adjusted full-year budget, carry-over included; the "
                        "denominator of the execution rate. Never the 年初预算数."),
    "executed": (AMOUNT, "全年执行数 (B)"),
    "initial": (AMOUNT, "年初预算数. Shown in the table, never used in the rate."),
    "received": (AMOUNT, "实际到位资金: the funds that actually arrived, read by the framework's "
                         "rows 资金到位率 (received / planned, rule arrival-rate) and the process "
                         "rate of spending (实际支出 / 实际到位: executed / received, rule "
                         "spending-rate)."),
    "unit": (TEXT, "The unit of the amounts, shown in the heading 项目资金（万元）; 万元 by default."),
    "reason": (TEXT, "Why execution is below 100%."),
    "published": (AMOUNT, "The published 得分 of the budget row; a difference is a "
                          "published-differs finding."),
    "reviewed": (AMOUNT, "A reviewer's own score (复核分), from 0 to the row's points: shown by "
                         "`evalcore audit` beside the published and computed scores."),
    "reviewed_reason": (TEXT, "Why the reviewer scored the row so (复核意见)."),
    "source": ("sources", "The 其中 rows: 当年财政拨款, 上年结转资金, 其他资金 ..."),
}
_SOURCE = {
    "name": (TEXT, "The source of funds, e.g. 当年财政拨款, 上年结转资金, 其他资金"),
    "initial": (AMOUNT, "年初预算数 of this source"),
    "planned": (AMOUNT, "全年预算数 of this source"),
    "executed": (AMOUNT, "全年执行数 of this source"),
}
_INDICATOR = {
    "id": (TEXT, "The row's identifier, used in [actual] and in findings; <category>-<n> by "
                 "default. Unique."),
    "name": (TEXT, "三级指标, the indicator's own name"),
    "category": ("category", "二级指标: the English name, the Chinese name or an alias "
                             "(`evalcore plugins` lists them)."),
    "group": ("group", "一级指标: moves the row to another level-1 group; the category's group by "
                       "default."),
    "points": (AMOUNT, "分值. Fractions are allowed (7.5)."),
    "target": (VALUE, "年度指标值. Write \"/\" for a row that does not apply."),
    "rule": ("rule", "The scoring rule; the category's default (standard) when left out."),
    "params": (TABLE, "This row's rule parameters; they override the profile's "
                      "[rules.<rule>] for this row only."),
    "notes": (TEXT, "Free text, kept with the scheme and shown in no output."),
}
_ACTUAL = {  # the actual-value keys of an inline [[indicator]] (and of a golden case's)
    "actual": (VALUE, "实际完成值. Not a table here."),
    "reason": (TEXT, "偏差原因分析及改进措施"),
    "assessed": (AMOUNT, "The evaluator's own score for a qualitative row."),
    "published": (AMOUNT, "The 得分 printed in an existing table; a difference is a finding."),
    "reviewed": (AMOUNT, "A reviewer's own score (复核分), from 0 to the row's points: shown by "
                         "`evalcore audit` beside the published and computed scores."),
    "reviewed_reason": (TEXT, "Why the reviewer scored the row so (复核意见)."),
    "extra": (TABLE, "Counts and other inputs for rules that need them (deduction, formula)."),
}
_ACTUAL_ENTRY = {  # a table of the [actual] table of a split-form project
    "value": (VALUE, "实际完成值. If it is missing, the row counts as having no actual value."),
    "reason": (TEXT, "偏差原因分析及改进措施"),
    "assessed": (AMOUNT, "The evaluator's score for a qualitative row."),
    "published": (AMOUNT, "The published 得分 of this row."),
    "reviewed": (AMOUNT, "A reviewer's own score (复核分), from 0 to the row's points: shown by "
                         "`evalcore audit` beside the published and computed scores."),
    "reviewed_reason": (TEXT, "Why the reviewer scored the row so (复核意见)."),
    "extra": (TABLE, "Inputs for rules that need them."),
}
_PROGRESS = {  # an indicator's monitoring keys (evalcore monitor), inline or in [actual.<id>]
    "to_date": (VALUE, "The value to date (截至监控日的完成值), written like actual; "
                       "projected to the year's end by evalcore monitor."),
    "status": ({"type": "string"}, "The stated status: on-track (正常), delayed (滞后) or "
                                   "stalled (停滞); it projects deadlines and qualitative rows."),
    "expected": (VALUE, "A delayed deadline's expected completion date (2022-12-15)."),
    "cause_kind": (TEXT, "The class of the deviation's cause: 政策变化, 管理, 市场, 自然因素 or "
                         "其他 (the profile's [monitoring] causes)."),
    "cause": (TEXT, "偏差原因: why the row is off target."),
    "measure": (TEXT, "纠偏措施: the correction."),
}
_MONITORING = {  # a project's [monitoring]
    "as_of": (VALUE, "The monitoring date (2022-07-31), in the project's year; --as-of "
                     "overrides it."),
    "executed_to_date": (AMOUNT, "截至监控日的执行数, in the unit of [budget]."),
    "received_to_date": (AMOUNT, "资金到位数 to date, in the unit of [budget]."),
    "cause_kind": (TEXT, "The class of the budget deviation's cause (政策变化, 管理, 市场, "
                         "自然因素, 其他)."),
    "cause": (TEXT, "偏差原因 of the spending to date."),
    "measure": (TEXT, "纠偏措施 of the spending to date."),
}
_MONITOR_SETTINGS = {
    "elapsed": ({"enum": list(monitor_settings.ELAPSED)},
                "序时进度: days (days elapsed / days in the year) or months (whole months / 12)."),
    "budget_amber": (AMOUNT, "Budget execution behind 序时进度 by more than this many "
                             "percentage points is amber."),
    "budget_red": (AMOUNT, "… by more than this many points red."),
    "row_green": (AMOUNT, "A row projected to keep at least this share of its points is green."),
    "row_amber": (AMOUNT, "… at least this share amber; less red."),
    "cumulative": (TEXTS, "The unit kinds projected linearly (value to date / 序时进度)."),
    "causes": (TEXTS, "The cause classes a cause_kind may name."),
    "too_early_months": (AMOUNT, "While 序时进度 is below this many months / 12, linear "
                                 "projections are scored but not shown (0 to 12; 0: always shown)."),
}
_SETTINGS = {  # a file's [settings]: the profile's settings, overridden for this file
    "title": (TEXT, "The profile's title."),
    "doc": (TEXT, "A description of the profile."),
    "default": (FLAG, "Whether this is the profile of a file that names none."),
    "total": (AMOUNT, "The total the points must add up to (more than 0)."),
    "decimals": ({"type": "integer", "minimum": 0, "maximum": 6},
                 "Rows are rounded half up to this many decimals (0 to 6)."),
    "grades": ({"type": "array", "minItems": 1, "items": {
        "type": "object", "required": ["name", "min"], "additionalProperties": False,
        "properties": {"name": TEXT, "min": AMOUNT, "en": TEXT}}},
        "The grades, { name, en, min }: min inclusive; the lowest must start at 0."),
    "weights": ({"type": "object", "additionalProperties": AMOUNT},
                "Default level-1 weights by group; they must add up to total. Replaced whole."),
    "min_share": ({"type": "object", "additionalProperties": AMOUNT},
                  "The least share (percent of the points, 0 to 100) of a group or of groups "
                  "joined by +, e.g. {\"outputs+benefits\" = 60}. Replaced whole; {} turns it off."),
    "min_share_severity": ({"enum": ["error", "warning"]},
                           "How a share below min_share is reported: error (the default) or warning."),
    "overachievement": ({"type": "object", "additionalProperties": False, "properties": {
        "threshold": {"anyOf": [AMOUNT, {"const": False}]}}},
        "threshold: the over-achievement finding above this ratio; false turns it off."),
    "aggregation": (TEXT, "How scores add up the tree (sum)."),
    "budget": ({"type": "object", "additionalProperties": False,
                "properties": {"category": TEXT, "unit": TEXT}},
               "category: the category that scores the funds row; unit: the unit of a funds "
               "block that states none."),
    "not_applicable": ({"type": "object", "additionalProperties": False,
                        "properties": {"rescale": FLAG}},
                       "rescale: rescale the points of rows that do not apply."),
    "reasons": ({"type": "object", "additionalProperties": False,
                 "properties": {"required": FLAG, "budget_below": AMOUNT}},
                "required: report missing-reason findings; budget_below: an execution rate "
                "below this needs a reason."),
    "rules": ("rules", "Parameters of any registered rule: [settings.rules.<rule>]."),
    "monitoring": ("monitor-settings", "How evalcore monitor reads projects: 序时进度 and the "
                                       "red/amber/green thresholds."),
    "review": ({"type": "object", "additionalProperties": TABLE},
               "Target review (evalcore review): [settings.review.conclusion] thresholds and "
               "[settings.review.<check>] settings of any registered check."),
}
# A scheme's [settings] cannot change which profile it is (the compile stage says so).
_SETTINGS_FIXED = {"name", "extends"}
_CASE = {
    "name": (TEXT, "The case's name, shown when it fails."),
    "profile": ("profile", "The profile the case is scored with; national-2020 by default."),
    "settings": ("settings", "Overrides of the profile, as in a file's [settings]."),
    "indicator": ("case-indicator", "One indicator (the keys of an [[indicator]] table, actual "
                                    "value included) carrying all the points."),
    "budget": ("case-budget", "The budget row (the keys of [budget]), with a met filler "
                              "indicator carrying the rest."),
    "project": (TEXT, "A whole project file, relative to the case file."),
    "expect": ("expect", "What must come out."),
}
_RESULT = {"type": ["string", "number"]}
_EXPECT = {
    "score": (_RESULT, "The row's score: as text it must match to the last digit (\"7.50\")."),
    "status": ({"enum": ["met", "partly-met", "missed", "missing", "not-applicable"]},
               "The row's status."),
    "rule": (TEXT, "The rule that scored the row (after standard chose one)."),
    "matched": (TEXT, "The band or tier the rule matched."),
    "formula": (TEXT, "A substring of the formula in the trace, in English or in Chinese."),
    "total": (_RESULT, "The total."),
    "grade": (TEXT, "The grade."),
    "rows": ({"type": "object", "additionalProperties": TABLE},
             "{ id = { score = ..., status = ... } }; the budget row's id is budget."),
    "categories": (TABLE, "Subtotals by category."),
    "groups": (TABLE, "Subtotals by level-1 group."),
    "findings": (TEXTS, "Finding codes that must appear (others may appear too)."),
    "error": (TEXT, "A substring of the error the input must be refused with."),
}
_PROJECT_FILE = {
    "project": ("project", "The header of the 自评表."),
    "goal": ("goal", "年度总体目标"),
    "settings": ("settings", "Overrides of the profile for this file (inline form only)."),
    "budget": (TABLE, "项目资金 and the funds row."),
    "indicator": ({"type": "array"}, "The inline form: one table per 三级指标 row, its actual value "
                                     "included."),
    "actual": ("actuals", "The actual values by indicator id: a value, or a table with value, "
                          "reason ..."),
    "monitoring": ("monitoring", "Mid-year monitoring: the date, the funds executed and "
                                 "received to date (evalcore monitor)."),
}
_SCHEME_FILE = {
    "scheme": ("scheme", "The scheme's name and profile."),
    "settings": ("settings", "Overrides of the profile for every project of this scheme."),
    "budget": ("budget-scheme", "points: the funds row's points, the only key a scheme's "
                                "[budget] has."),
    "indicator": ("indicators", "One table per 三级指标 row, without actual values."),
}


def _reader_keys() -> dict[str, tuple[Collection[str], Mapping[str, tuple[Any, str]]]]:
    """Each table: the keys the reader accepts there (read now, from the build stage's sets),
    and this module's entries for them."""
    settings = set(profile.PROFILE_KEYS) - _SETTINGS_FIXED
    return {
        "project-file": (build.PROJECT_KEYS, _PROJECT_FILE),
        "scheme-file": (build.SCHEME_KEYS, _SCHEME_FILE),
        "project": (build.PROJECT_TABLE_KEYS, _PROJECT),
        "goal": (build.GOAL_KEYS, _GOAL),
        "scheme": (build.SCHEME_TABLE_KEYS, _SCHEME),
        "budget-scheme": (build.BUDGET_SCHEME_KEYS, _BUDGET),
        "budget-project": (build.BUDGET_FIGURE_KEYS, _BUDGET),
        "budget-inline": (build.BUDGET_FIGURE_KEYS | build.BUDGET_SCHEME_KEYS, _BUDGET),
        "source": (build.SOURCE_KEYS, _SOURCE),
        "indicator": (build.INDICATOR_KEYS, _INDICATOR),
        "indicator-inline": (build.INDICATOR_KEYS | build.ACTUAL_KEYS | progress.PROGRESS_KEYS,
                             {**_INDICATOR, **_ACTUAL, **_PROGRESS}),
        "actual-entry": (build.ACTUAL_TABLE_KEYS | progress.PROGRESS_KEYS,
                         {**_ACTUAL_ENTRY, **_PROGRESS}),
        "monitoring": (progress.MONITORING_KEYS, _MONITORING),
        "monitor-settings": (monitor_settings.MONITOR_SETTING_KEYS, _MONITOR_SETTINGS),
        "settings": (settings, _SETTINGS),
        "case": (golden.CASE_KEYS, _CASE),
        "case-indicator": (build.INDICATOR_KEYS | build.ACTUAL_KEYS, {**_INDICATOR, **_ACTUAL}),
        "case-budget": (build.BUDGET_FIGURE_KEYS | build.BUDGET_SCHEME_KEYS, _BUDGET),
        "expect": (golden.EXPECT_KEYS, _EXPECT),
    }


# Keys a table must have, as the reader requires them.
_REQUIRED = {
    "project": ["name"], "scheme": ["name"], "source": ["name"],
    "indicator": ["name", "category", "points", "target"],
    "indicator-inline": ["name", "category", "points", "target"],
    "project-file": ["project"], "scheme-file": ["scheme"],
}


def _closed_table(name: str, accepted: Collection[str], entries: Mapping[str, tuple[Any, str]],
                  refs: Mapping[str, Schema]) -> Schema:
    """The schema of a table with exactly the keys ``accepted``; SchemaDrift when this module's
    ``entries`` do not describe exactly those keys."""
    undescribed = sorted(set(accepted) - set(entries))
    if undescribed:
        raise SchemaDrift(f"the reader accepts {', '.join(map(repr, undescribed))} in {name} but "
                          "evalcore.schema does not describe it: add it there")
    properties = {}
    for key in sorted(accepted):
        value, description = entries[key]
        properties[key] = _described(refs[value] if isinstance(value, str) else value, description)
    schema: Schema = {"type": "object", "properties": properties, "additionalProperties": False}
    if name in _REQUIRED:
        schema["required"] = _REQUIRED[name]
    return schema


def _check_entries(tables: Mapping[str, tuple[Collection[str], Mapping[str, tuple[Any, str]]]]) -> None:
    """Every entry of this module describes a key some table of the reader accepts."""
    for entries in {id(e): e for _, e in tables.values()}.values():
        used = set().union(*(accepted for accepted, e in tables.values() if e is entries))
        stale = sorted(set(entries) - used)
        if stale:
            raise SchemaDrift(f"evalcore.schema describes {', '.join(map(repr, stale))}, which the "
                              "reader does not accept: remove it")


def _names(registry: Registry) -> dict[str, list[str]]:
    """Every spelling the reader looks a name up by: names, Chinese names and aliases."""
    def spellings(table: Mapping[str, Any]) -> list[str]:
        out: dict[str, None] = {}
        for name, entry in table.items():
            for spelling in (name, entry.item.zh, *entry.item.aliases):
                out.setdefault(spelling)
        return list(out)

    return {"category": spellings(registry.categories), "group": spellings(registry.groups),
            "rule": sorted(registry.rules), "profile": sorted(registry.profiles)}


def _definitions(registry: Registry) -> dict[str, Schema]:
    names = _names(registry)
    refs: dict[str, Schema] = {key: {"$ref": f"#/$defs/{key}"} for key in _reader_keys()}
    defs: dict[str, Schema] = {
        "category": {"enum": names["category"]},
        "group": {"enum": names["group"]},
        "rule": {"enum": names["rule"]},
        "profile": {"enum": names["profile"]},
        "rules": {"type": "object", "propertyNames": {"enum": names["rule"]},
                  "additionalProperties": TABLE},
        "sources": {"type": "array", "items": {"$ref": "#/$defs/source"}},
        "indicators": {"type": "array", "items": {"$ref": "#/$defs/indicator"}},
        "indicators-inline": {"type": "array", "items": {"$ref": "#/$defs/indicator-inline"}},
        "actuals": {"type": "object", "additionalProperties": {
            "anyOf": [VALUE, {"$ref": "#/$defs/actual-entry"}]}},
    }
    refs = {**refs, **{key: {"$ref": f"#/$defs/{key}"} for key in defs}}
    tables = _reader_keys()
    _check_entries(tables)
    for name, (accepted, entries) in tables.items():
        defs[name] = _closed_table(name, accepted, entries, refs)
    # A project lists its indicators (inline form: actual values and the budget's points in the
    # same file) or names a scheme (split form: figures only).
    defs["project-file"]["if"] = {"required": ["indicator"]}
    defs["project-file"]["then"] = {"properties": {
        "indicator": {"$ref": "#/$defs/indicators-inline"}, "budget": {"$ref": "#/$defs/budget-inline"}}}
    defs["project-file"]["else"] = {"properties": {"budget": {"$ref": "#/$defs/budget-project"}}}
    defs["case-file"] = {"type": "object", "required": ["case"], "additionalProperties": False,
                         "properties": {"case": {"type": "array", "minItems": 1,
                                                 "items": {"$ref": "#/$defs/case"},
                                                 "description": "The golden cases: one input "
                                                                "each and what must come out."}}}
    return defs


_TITLES = {
    "any": "evalcore input file (project, scheme or golden cases)",
    "project": "evalcore project file", "scheme": "evalcore scheme file",
    "case": "evalcore golden case file",
}


def json_schema(kind: str = "any", registry: Registry | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one kind of evalcore TOML file, as plain data.

    ``kind`` is ``"project"``, ``"scheme"``, ``"case"`` (golden cases) or ``"any"`` (the
    default: a file with ``[[case]]`` tables is a case file, one with ``[project]`` a project,
    any other a scheme). The names of categories, groups, rules and profiles come from
    ``registry`` (the installed plugins' by default). Raises ValueError for an unknown kind.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind of file {kind!r}: one of {', '.join(KINDS)}")
    if registry is None:
        from .plugins import default_registry

        registry = default_registry()
    defs = _definitions(registry)
    top: Schema
    if kind == "any":
        top = {"if": {"required": ["case"]}, "then": {"$ref": "#/$defs/case-file"},
               "else": {"if": {"required": ["project"]}, "then": {"$ref": "#/$defs/project-file"},
                        "else": {"$ref": "#/$defs/scheme-file"}}}
    else:
        top = {"$ref": f"#/$defs/{kind}-file"}
    return {"$schema": DIALECT, "title": _TITLES[kind], **top, "$defs": defs}
