"""`evalcore schema`: the JSON Schema of project, scheme and golden case files.

The schema accepts every example and golden file, rejects a misspelled key and a wrong type,
and cannot drift from the reader: its keys are the build stage's key sets, so a key added to
the reader without a description here, or described here but not read, stops the schema from
being made. A property ties the two further: for any key, the reader calls it unknown exactly
when the schema refuses it.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import EXAMPLES, ROOT
from hypothesis import given
from hypothesis import strategies as st

import evalcore
from evalcore import build, golden, monitor_settings, progress, schema
from evalcore.build import build_project_parts, build_scheme_parts
from evalcore.cli import main
from evalcore.loading import Document
from evalcore.schema import SchemaDrift, json_schema

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

PEFA = EXAMPLES / "plugins" / "evalcore-pefa"
GANZHOU = EXAMPLES / "ganzhou-2021" / "project.toml"


def plain(value: Any) -> Any:
    """TOML data as a JSON tool such as Taplo sees it: dates and times are text."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return value


def read(path: Path) -> dict[str, Any]:
    return plain(tomllib.loads(path.read_text(encoding="utf-8")))


def validator(registry: evalcore.Registry | None = None, kind: str = "any"
              ) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json_schema(kind, registry))


def errors(data: dict[str, Any], registry: evalcore.Registry | None = None,
           kind: str = "any") -> list[str]:
    return [e.message for e in validator(registry, kind).iter_errors(plain(data))]


@functools.cache
def installed() -> jsonschema.Draft202012Validator:
    """A validator of the installed plugins' schema, made once (the properties use it often)."""
    return validator()


@pytest.fixture(scope="module")
def pefa_registry() -> Iterator[evalcore.Registry]:
    """The built-in plugins and the example third-party plugin evalcore-pefa."""
    sys.path.insert(0, str(PEFA / "src"))
    try:
        module = importlib.import_module("evalcore_pefa.plugin")
        yield evalcore.Registry.from_plugins(evalcore.get_plugin_manager(plugins=[module]))
    finally:
        sys.path.remove(str(PEFA / "src"))
        for name in [m for m in sys.modules if m.split(".")[0] == "evalcore_pefa"]:
            del sys.modules[name]


def input_files() -> list[Path]:
    """Every project, scheme and golden case file under examples/ and tests/golden (a plugin's
    own definitions under src/ are another format, read by `load_definitions`)."""
    files = [*EXAMPLES.rglob("*.toml"), *(ROOT / "tests" / "golden").rglob("*.toml")]
    return sorted(p for p in files if p.name != "pyproject.toml" and "src" not in p.parts)


# -- the schema itself --------------------------------------------------------------------------

@pytest.mark.parametrize("kind", schema.KINDS)
def test_the_schema_is_a_valid_draft_2020_12_schema(kind):
    made = json_schema(kind)
    assert made["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(made)


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown kind of file 'projects'"):
        json_schema("projects")


def test_the_files_are_the_example_projects_schemes_and_golden_cases():
    names = {p.relative_to(ROOT).as_posix() for p in input_files()}
    assert "examples/ganzhou-2021/project.toml" in names and "examples/shared-scheme/scheme.toml" in names
    assert "tests/golden/bands.toml" in names
    assert "examples/plugins/evalcore-pefa/examples/assessment.toml" in names
    assert len(names) >= 60


@pytest.mark.parametrize("path", input_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_example_and_golden_file_is_valid(path, pefa_registry):
    assert errors(read(path), pefa_registry) == []


@pytest.mark.parametrize(("path", "kind"), [(GANZHOU, "project"),
                                             (EXAMPLES / "shared-scheme" / "scheme.toml", "scheme"),
                                             (EXAMPLES / "shared-scheme" / "hekou.toml", "project"),
                                             (ROOT / "tests" / "golden" / "bands.toml", "case")])
def test_each_kind_of_file_is_valid_under_its_own_schema(path, kind):
    assert errors(read(path), kind=kind) == []


def test_a_project_is_not_valid_under_the_scheme_schema():
    assert errors(read(GANZHOU), kind="scheme")


# -- what it refuses ---------------------------------------------------------------------------

def ganzhou() -> dict[str, Any]:
    return read(GANZHOU)


def edited(path: tuple[str | int, ...], key: str, value: Any, drop: str | None = None) -> dict[str, Any]:
    data = ganzhou()
    table: Any = data
    for part in path:
        table = table[part]
    if drop is not None:
        del table[drop]
    table[key] = value
    return data


@pytest.mark.parametrize(("path", "wrong", "right"), [
    (("project",), "departmnet", "department"),
    (("goal",), "expectd", "expected"),
    (("budget",), "planed", "planned"),
    (("budget", "source", 0), "executd", "executed"),
    (("indicator", 0), "catgory", "category"),
])
def test_a_misspelled_key_is_refused(path, wrong, right):
    data = edited(path, wrong, "x")
    message = errors(data)
    assert any(repr(wrong) in m and "unexpected" in m for m in message), message


@pytest.mark.parametrize(("path", "key", "value"), [
    (("project",), "year", "2021"),
    (("project",), "name", 3),
    (("project",), "published", True),
    (("indicator", 0), "points", [5]),
    (("indicator", 0), "points", "five"),
    (("indicator", 0), "points", -1),
    (("indicator", 0), "target", {"value": 1}),
    (("indicator", 0), "category", "数量质标"),
    (("indicator", 0), "rule", "propotional"),
    (("budget",), "executed", "lots"),
])
def test_a_wrong_type_or_an_unknown_name_is_refused(path, key, value):
    assert errors(edited(path, key, value))


def test_a_scheme_refuses_actual_values_and_budget_figures():
    data = read(EXAMPLES / "shared-scheme" / "scheme.toml")
    data["indicator"][0]["actual"] = "1"
    assert any("'actual' was unexpected" in m for m in errors(data))
    data = read(EXAMPLES / "shared-scheme" / "scheme.toml")
    data["budget"]["planned"] = 100
    assert any("'planned' was unexpected" in m for m in errors(data))


def test_a_golden_case_refuses_a_misspelled_expectation():
    data = read(ROOT / "tests" / "golden" / "bands.toml")
    data["case"][0]["expect"]["scroe"] = "1"
    assert any("'scroe' was unexpected" in m for m in errors(data))


def test_a_settings_table_refuses_an_unknown_setting_and_a_rule_that_is_not_registered():
    assert any("'decimal' was unexpected" in m for m in errors(edited((), "settings", {"decimal": 2})))
    assert errors(edited((), "settings", {"rules": {"revers": {"method": "ratio"}}}))
    assert errors(edited((), "settings", {"decimals": 7}))
    assert errors(edited((), "settings", {"name": "mine"}))  # [settings] cannot rename the profile


# -- names from the registry -------------------------------------------------------------------

def test_the_enums_hold_every_spelling_the_registry_looks_up(registry):
    defs = json_schema()["$defs"]
    for name, entry in registry.categories.items():
        assert {name, entry.item.zh, *entry.item.aliases} <= set(defs["category"]["enum"])
    assert set(defs["rule"]["enum"]) == set(registry.rules)
    assert set(defs["profile"]["enum"]) == set(registry.profiles)


def test_an_installed_plugins_names_are_in_the_schema(pefa_registry):
    defs = json_schema(registry=pefa_registry)["$defs"]
    assert "pi-1" in defs["category"]["enum"] and "pefa-2016" in defs["profile"]["enum"]
    assert "pi-1" not in json_schema()["$defs"]["category"]["enum"]


# -- it cannot drift from the reader -----------------------------------------------------------

TABLES = {  # a definition of the schema → the key set the reader checks that table against
    "project-file": lambda: build.PROJECT_KEYS, "scheme-file": lambda: build.SCHEME_KEYS,
    "project": lambda: build.PROJECT_TABLE_KEYS, "goal": lambda: build.GOAL_KEYS,
    "scheme": lambda: build.SCHEME_TABLE_KEYS, "budget-scheme": lambda: build.BUDGET_SCHEME_KEYS,
    "budget-project": lambda: build.BUDGET_FIGURE_KEYS, "source": lambda: build.SOURCE_KEYS,
    "indicator": lambda: build.INDICATOR_KEYS,
    "indicator-inline": lambda: build.INDICATOR_KEYS | build.ACTUAL_KEYS | progress.PROGRESS_KEYS,
    "actual-entry": lambda: build.ACTUAL_TABLE_KEYS | progress.PROGRESS_KEYS,
    "monitoring": lambda: progress.MONITORING_KEYS,
    "monitor-settings": lambda: monitor_settings.MONITOR_SETTING_KEYS, "case": lambda: golden.CASE_KEYS,
    "expect": lambda: golden.EXPECT_KEYS,
}


@pytest.mark.parametrize("table", sorted(TABLES))
def test_each_table_has_exactly_the_keys_the_reader_accepts(table):
    definition = json_schema()["$defs"][table]
    assert set(definition["properties"]) == set(TABLES[table]())
    assert definition["additionalProperties"] is False
    assert all(p.get("description") for p in definition["properties"].values())


def test_a_key_added_to_the_reader_without_the_schema_stops_the_schema(monkeypatch):
    monkeypatch.setattr(build, "INDICATOR_KEYS", build.INDICATOR_KEYS | {"weight"})
    with pytest.raises(SchemaDrift, match="the reader accepts 'weight' in indicator"):
        json_schema()


def test_a_key_added_to_the_golden_reader_without_the_schema_stops_the_schema(monkeypatch):
    monkeypatch.setattr(golden, "EXPECT_KEYS", golden.EXPECT_KEYS | {"warnings"})
    with pytest.raises(SchemaDrift, match="'warnings' in expect"):
        json_schema()


def test_a_key_the_reader_no_longer_accepts_stops_the_schema(monkeypatch):
    monkeypatch.setattr(build, "GOAL_KEYS", {"expected"})
    with pytest.raises(SchemaDrift, match="describes 'achieved'"):
        json_schema()


KNOWN = sorted(set().union(*(keys() for keys in TABLES.values())))
KEYS = st.one_of(st.sampled_from(KNOWN), st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)),
                                                  min_size=1, max_size=12))


def unknown_key_problems(data: dict[str, Any], scheme: bool = False) -> bool:
    """Whether the reader finds an unknown key in ``data`` (a valid file with one key added)."""
    doc = Document(data, "file.toml", {})
    built = build_scheme_parts(doc, evalcore.default_registry()) if scheme else \
        build_project_parts(doc, evalcore.default_registry())
    return any(p.message.startswith("unknown key ") for p in built.problems)


def schema_refuses_key(data: dict[str, Any]) -> bool:
    """Whether the schema refuses a key of ``data`` (a valid file with one key added) by name."""
    return any(e.validator == "additionalProperties" for e in installed().iter_errors(plain(data)))


@given(key=KEYS, where=st.sampled_from([(), ("project",), ("goal",), ("budget",), ("indicator", 0),
                                         ("budget", "source", 0)]))
def test_the_reader_calls_a_key_unknown_exactly_when_the_schema_refuses_it(key, where):
    data = ganzhou()
    table: Any = data
    for part in where:
        table = table[part]
    if key in table:
        return  # replacing a key's value is a question of its type, not of its name
    table[key] = "x"
    assert unknown_key_problems(data) == schema_refuses_key(data), (where, key)


@given(key=KEYS, where=st.sampled_from([(), ("scheme",), ("budget",), ("indicator", 0)]))
def test_for_a_scheme_too_the_reader_and_the_schema_agree_on_every_key(key, where):
    data = read(EXAMPLES / "shared-scheme" / "scheme.toml")
    table: Any = data
    for part in where:
        table = table[part]
    if key in table or (where == () and key == "project"):
        return  # a [project] table makes it a project file: another schema, another reader
    table[key] = "x"
    reader = unknown_key_problems(data, scheme=True) or (
        # the scheme reader words a project's keys in a scheme as their own mistakes
        key in build.ACTUAL_KEYS | progress.PROGRESS_KEYS and where == ("indicator", 0)) or (
        key == "actual" and where == ())
    assert reader == schema_refuses_key(data), (where, key)



def documented_keys(heading: str) -> list[str]:
    """The keys of the key tables (``| `key` | ...``) in the section of docs/format.md whose
    heading contains ``heading``, up to the next heading."""
    text = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    start = next(m.end() for m in re.finditer(r"^#+ .*$", text, re.M) if heading in m.group())
    end = re.compile(r"^#+ ", re.M).search(text, start)
    section = text[start:end.start() if end else len(text)]
    return re.findall(r"^\| `([\w.]+)` \|", section, re.M)


@pytest.mark.parametrize(("heading", "table", "besides"), [
    ("`[project]`", "project", set()),
    ("`[goal]`", "goal", set()),
    ("`[budget]`", "budget-inline", {"source"}),  # [[budget.source]] has a section of its own
    ("`[[budget.source]]`", "source", set()),
    # the monitoring keys of a row have a section of their own (11.2)
    ("`[[indicator]]`: one", "indicator-inline", set(progress.PROGRESS_KEYS)),
    ("`[actual]`: one entry", "actual-entry", set(progress.PROGRESS_KEYS)),
    ("`[monitoring]`: the monitoring date", "monitoring", set()),
])
def test_the_file_format_page_documents_exactly_the_keys_of_each_table(heading, table, besides):
    keys = documented_keys(heading)
    assert keys and len(keys) == len(set(keys)), keys
    assert set(keys) | besides == set(json_schema()["$defs"][table]["properties"])


def test_the_file_format_page_documents_exactly_the_monitoring_keys_of_a_row():
    keys = documented_keys("Monitoring keys of a row")
    assert sorted(keys) == sorted(progress.PROGRESS_KEYS)


def test_the_file_format_page_documents_exactly_the_keys_of_a_scheme():
    keys = [tuple(k.split(".")) for k in documented_keys("2.1 The scheme file")]
    defs = json_schema()["$defs"]
    assert {k for t, k in keys if t == "scheme"} == set(defs["scheme"]["properties"])
    assert {k for t, k in keys if t == "budget"} == set(defs["budget-scheme"]["properties"])


# -- the command -------------------------------------------------------------------------------

def test_evalcore_schema_prints_the_schema(capsys):
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json_schema()


def test_evalcore_schema_writes_a_file_of_one_kind(tmp_path, capsys):
    out = tmp_path / "project.schema.json"
    assert main(["schema", "--kind", "project", "-o", str(out)]) == 0
    assert capsys.readouterr().out == ""
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["$ref"] == "#/$defs/project-file" and "数量指标" in written["$defs"]["category"]["enum"]


def test_evalcore_schema_to_a_folder_that_does_not_exist_is_a_located_error(tmp_path, capsys):
    target = tmp_path / "missing" / "schema.json"
    assert main(["schema", "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert f"{target}: error: cannot write the schema" in err and "Traceback" not in err


# -- in the editor: Taplo, the engine of Even Better TOML --------------------------------------

TAPLO = os.environ.get("EVALCORE_TAPLO") or shutil.which("taplo")


def taplo_config() -> str:
    """The .taplo.toml that docs/cli.md shows."""
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    match = re.search(r'```toml title="\.taplo\.toml"\n(.*?)```', text, re.S)
    assert match, "docs/cli.md shows no .taplo.toml"
    return match.group(1)


@pytest.mark.skipif(not TAPLO, reason="taplo is not installed (pip install taplo, or set "
                                      "EVALCORE_TAPLO to its path): the editor check is skipped")
def test_taplo_checks_the_files_with_the_schema_as_the_docs_set_it_up(tmp_path):
    shutil.copytree(EXAMPLES, tmp_path / "examples", ignore=shutil.ignore_patterns("plugins"))
    shutil.copytree(ROOT / "tests" / "golden", tmp_path / "tests" / "golden")
    assert main(["schema", "-o", str(tmp_path / "evalcore.schema.json")]) == 0
    (tmp_path / ".taplo.toml").write_text(taplo_config(), encoding="utf-8")
    run = subprocess.run([str(TAPLO), "check"], cwd=tmp_path, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    assert "found files total=" in run.stderr and "total=0" not in run.stderr
    # A file that names the schema itself, with one key misspelled, as the docs show it.
    typo = tmp_path / "examples" / "ganzhou-2021" / "typo.toml"
    typo.write_text("#:schema ../../evalcore.schema.json\n" + GANZHOU.read_text(encoding="utf-8")
                    .replace("\ndepartment = ", "\ndepartmnet = ", 1), encoding="utf-8")
    (tmp_path / ".taplo.toml").unlink()
    run = subprocess.run([str(TAPLO), "check", str(typo)], cwd=tmp_path, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode != 0 and "'departmnet' was unexpected" in run.stderr + run.stdout
