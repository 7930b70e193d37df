"""Target review as a whole: the conclusion and its thresholds, settings read from profiles,
plugins' checks through ``evalcore_review_checks``, JSON, the examples."""

from __future__ import annotations

from pathlib import Path

import pytest
from review_helpers import codes, review_text, rows, table

import evalcore
from evalcore.plugin import ProfileSource, ReviewCheck, ReviewFinding, hookimpl
from evalcore.review_settings import Thresholds, conclude

ROOT = Path(__file__).resolve().parent.parent
S = "settings.review"


# -- the conclusion -------------------------------------------------------------------------


@pytest.mark.parametrize(("errors", "warnings", "thresholds", "conclusion"), [
    (0, 0, Thresholds(), "通过"),
    (0, 1, Thresholds(), "修改后通过"),
    (1, 0, Thresholds(), "不通过"),
    (0, 5, Thresholds(revise_warnings=6), "通过"),
    (0, 6, Thresholds(revise_warnings=6), "修改后通过"),
    (1, 0, Thresholds(fail_errors=2), "修改后通过"),
    (2, 0, Thresholds(fail_errors=2), "不通过"),
    (0, 2, Thresholds(fail_warnings=3), "修改后通过"),
    (0, 3, Thresholds(fail_warnings=3), "不通过"),
    (0, 99, Thresholds(fail_warnings=0), "修改后通过"),  # 0: warnings alone never fail
])
def test_the_conclusion_follows_the_thresholds_at_their_edges(errors, warnings, thresholds,
                                                             conclusion):
    assert conclude(errors, warnings, thresholds) == conclusion


def test_the_thresholds_are_profile_settings(registry):
    vague = rows(s1={"target": "有效提升"})  # one warning
    assert review_text(table(vague), registry).conclusion == "修改后通过"
    text = table(vague, settings=f"[{S}.conclusion]\nrevise_warnings = 2")
    assert review_text(text, registry).conclusion == "通过"
    text = table(vague, settings=f"[{S}.conclusion]\nfail_warnings = 1")
    review = review_text(text, registry)
    assert review.conclusion == "不通过" and not review.passed


def test_counts_add_up_the_findings_by_severity(registry):
    review = review_text(table(rows(n1={"points": 21}, s1={"target": "有效提升"}), year=None),
                         registry)
    assert (review.counts.errors, review.counts.warnings, review.counts.infos) == (1, 1, 1)
    assert review.conclusion == "不通过"


# -- what is reviewed -----------------------------------------------------------------------


def test_actual_values_are_ignored_and_the_review_says_so_once(registry):
    review = review_text(table(rows(), actual=True), registry)
    assert codes(review) == [("actuals-ignored", None)]
    assert review.findings[0].severity == "info" and review.conclusion == "通过"
    assert review.findings[0].source == "evalcore's choice"


def test_a_scheme_file_a_project_file_and_objects_are_reviewed_alike(registry):
    scheme_path = ROOT / "examples" / "shared-scheme" / "scheme.toml"
    scheme = evalcore.load_scheme(scheme_path)
    from_path, from_object = evalcore.review(scheme_path), evalcore.review(scheme)
    assert from_path == from_object
    assert from_path.file.endswith("scheme.toml") and from_path.year is None
    project = ROOT / "examples" / "shared-scheme" / "dongguan.toml"
    assert evalcore.review(project).checks == from_path.checks


def test_a_check_switched_off_does_not_run(registry):
    text = table(rows(c1=None, n1={"points": 30}), settings=f"[{S}.cost]\nenabled = false")
    review = review_text(text, registry)
    assert "cost" not in review.checks and review.findings == ()


def test_findings_are_located_at_their_row_line_and_key(registry):
    text = table(rows(q1={"target": "质量合格"}))
    finding = review_text(text, registry).findings[0]
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "质量合格" in t)
    assert (finding.file, finding.line, finding.key) == ("project.toml", line, "indicator[1].target")


def test_a_review_reads_back_from_its_json(registry):
    review = review_text(table(rows(n1={"points": 21}, s1={"target": "有效提升"})), registry)
    assert evalcore.Review.from_json(review.to_json()) == review


# -- settings -------------------------------------------------------------------------------


@pytest.mark.parametrize(("settings", "message"), [
    (f"[{S}.completness]\ngroups = []", r"no check 'completness' \(did you mean 'completeness'"),
    (f"[{S}.cost]\nunit_cost_word = []", r"no parameter 'unit_cost_word' \(did you mean"),
    (f"[{S}.satisfaction]\nfloor = 80", r"floor: 80 is above the maximum 1"),
    (f"[{S}.conclusion]\nfail_errors = 0", r"fail_errors: 0 is below the minimum 1"),
    (f"[{S}]\ncost = 1", r"review.cost must be a table"),
])
def test_a_wrong_setting_is_a_located_error(registry, settings, message):
    with pytest.raises(evalcore.ValidationError, match=message) as info:
        review_text(table(rows(), settings=settings), registry)
    assert all(p.origin.line is not None for p in info.value.problems)


def test_every_profile_inherits_the_national_review_settings(registry):
    for name in ("hubei", "jiangxi", "sichuan", "central-legacy"):
        settings = registry.profile(name).settings["review"]
        assert settings["satisfaction"]["floor"] == registry.profile("national-2020").settings[
            "review"]["satisfaction"]["floor"]


class BadProfile:
    @hookimpl
    def evalcore_profiles(self):
        return [ProfileSource("strict", {"extends": "national-2020",
                                         "review": {"duplicate": {"similarity": 0.9}}})]


def test_a_registered_profile_with_an_unknown_review_check_is_a_plugin_error():
    with pytest.raises(evalcore.PluginError, match="did you mean 'duplicates'"):
        evalcore.Registry.from_plugins(evalcore.get_plugin_manager(plugins=[BadProfile()]))


# -- a plugin's checks ----------------------------------------------------------------------


def _long_names(subject, settings):
    return [ReviewFinding(code="long-name", severity="warning", indicator=row.id,
                          message_zh=f"指标名称超过{settings['longest']}个字",
                          message_en=f"a name longer than {settings['longest']} characters")
            for row in subject.rows if len(row.name) > settings["longest"]]


class LongNames:
    @hookimpl
    def evalcore_review_checks(self):
        from evalcore.plugin import Param, integer
        return [ReviewCheck("long-names", "名称长度", _long_names,
                            (Param("longest", integer(1), 4, "the longest name"),), order=5)]


def test_a_plugin_check_runs_with_its_settings_and_its_findings_are_located():
    registry = evalcore.Registry.from_plugins(evalcore.get_plugin_manager(plugins=[LongNames()]))
    review = review_text(table(rows()), registry)
    assert review.checks[0] == "long-names"
    assert codes(review) == [("long-name", "q1"), ("long-name", "c1"), ("long-name", "sat")]
    assert review.findings[0].source == "evalcore's choice" and review.findings[0].line
    text = table(rows(), settings=f"[{S}.long-names]\nlongest = 6")
    assert codes(review_text(text, registry)) == []


class Raising:
    @hookimpl
    def evalcore_review_checks(self):
        def broken(subject, settings):
            raise KeyError("oops")

        def misspoken(subject, settings):
            return ["not a finding"]

        def refusing(subject, settings):
            raise ValueError("the table names no department")

        return [ReviewCheck("broken", "坏", broken), ReviewCheck("misspoken", "错", misspoken),
                ReviewCheck("refusing", "拒", refusing)]


@pytest.mark.parametrize(("off", "error", "message"), [
    (("misspoken", "refusing"), evalcore.PluginError, r"review check 'broken' raised KeyError"),
    (("broken", "refusing"), evalcore.PluginError, r"'misspoken' must return ReviewFinding"),
    (("broken", "misspoken"), evalcore.ValidationError, r"'refusing': the table names no dep"),
])
def test_a_check_that_breaks_is_the_plugins_error_and_its_value_error_the_users(
        off, error, message):
    registry = evalcore.Registry.from_plugins(evalcore.get_plugin_manager(plugins=[Raising()]))
    settings = "\n".join(f"[{S}.{name}]\nenabled = false" for name in off)
    with pytest.raises(error, match=message):
        review_text(table(rows(), settings=settings), registry)


class Twice:
    @hookimpl
    def evalcore_review_checks(self):
        return [ReviewCheck("cost", "成本", lambda subject, settings: [])]


def test_a_check_name_registered_twice_names_both_plugins():
    with pytest.raises(evalcore.PluginError, match="review check 'cost' is registered twice"):
        evalcore.Registry.from_plugins(evalcore.get_plugin_manager(plugins=[Twice()]))


def test_a_finding_of_an_unknown_severity_is_refused():
    with pytest.raises(ValueError, match="severity must be one of error, warning, info"):
        ReviewFinding(code="x", severity="fatal", message_zh="", message_en="")


# -- the examples ---------------------------------------------------------------------------

EXAMPLES = sorted([*ROOT.glob("examples/*/project.toml"), *ROOT.glob("examples/*/scheme.toml"),
                   *ROOT.glob("examples/shared-scheme/*.toml")])


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_example_can_be_reviewed(path):
    review = evalcore.review(path)
    # department-wide switches the cost check off (its framework has no cost indicators)
    expected = 7 if path.parent.name == "department-wide-2023" else 8
    assert len(review.checks) == expected
    assert review.conclusion in ("通过", "修改后通过", "不通过")


@pytest.mark.parametrize(("example", "conclusion", "found"), [
    ("ganzhou-2021/project.toml", "修改后通过",
     ["actuals-ignored", "qualitative-share", "qualitative-target", "qualitative-target",
      "qualitative-target", "vague-target", "qualitative-target", "no-unit-cost"]),
    ("hubei-2022/project.toml", "修改后通过", ["actuals-ignored", "missing-category"]),
    ("jiangxi-2022/project.toml", "修改后通过", ["actuals-ignored", "no-unit-cost"]),
    ("sichuan-2022/project.toml", "修改后通过", ["actuals-ignored", "no-cost-target"]),
    ("shared-scheme/scheme.toml", "通过", ["no-budget-year"]),
    ("shared-scheme/dongguan.toml", "通过", ["actuals-ignored"]),
    ("portfolio/scheme.toml", "通过", ["no-budget-year"]),
    # the framework tables: checklist and deduction rows are measured by their items
    ("third-party-2022/project.toml", "通过", ["actuals-ignored"]),
    ("department-wide-2023/project.toml", "通过", ["actuals-ignored"]),
    ("local-self-2023/project.toml", "通过", ["actuals-ignored"]),
])
def test_what_review_finds_in_the_examples(example, conclusion, found):
    review = evalcore.review(ROOT / "examples" / example)
    assert review.conclusion == conclusion
    assert [f.code for f in review.findings] == found


def test_an_excel_table_is_reviewed_like_a_file(registry):
    review = evalcore.review(ROOT / "tests" / "fixtures" / "tables" / "county.xlsx")
    assert "county.xlsx" in review.file and review.checks[0] == "completeness"
    assert any(f.code == "actuals-ignored" for f in review.findings)


def test_without_any_check_installed_a_review_refuses_rather_than_passes(monkeypatch):
    from evalcore.plugins import ENV_VAR

    monkeypatch.setenv(ENV_VAR, "units,groups,rules,profiles,aggregation,quantity,social,budget")
    registry = evalcore.Registry.from_plugins(evalcore.get_plugin_manager())
    assert registry.review_checks == {}
    only = [{"id": "n1", "category": "quantity", "name": "培训人数", "target": "≥100人",
             "points": 60}, {"id": "s1", "category": "social", "name": "就业率",
                             "target": "≥60%", "points": 30}]
    with pytest.raises(evalcore.ValidationError, match="no review checks are installed"):
        review_text(table(only), registry)
