"""Suggestions travel as attributes, not as strings to dig out: a registry look-up raises an
`UnknownNameError` (kind, name, known, suggestion, hint), and every error that carries a
suggestion is a `HintedError` with ``.hint``."""

from __future__ import annotations

import pytest
from helpers import evaluate_text, project_toml, single

import evalcore
from evalcore.errors import suggest
from evalcore.plugin import (
    FormulaError,
    HintedError,
    UnknownNameError,
    choice,
    compile_formula,
    hint_of,
)
from evalcore.quantities import parse_target
from evalcore.units import UnknownUnitError

# -- UnknownNameError ------------------------------------------------------------------------------


def test_an_unknown_category_names_its_kind_the_name_and_a_suggestion(registry):
    with pytest.raises(UnknownNameError) as info:
        registry.category("quantty")
    error = info.value
    assert (error.kind, error.name) == ("category", "quantty")
    assert error.suggestion is not None and "did you mean 'quantity'" in error.suggestion
    assert error.hint == error.suggestion
    assert error.known == tuple(sorted(registry.categories))


def test_an_unknown_name_with_nothing_close_hints_the_known_names(registry):
    with pytest.raises(UnknownNameError) as info:
        registry.renderer("xml")
    error = info.value
    assert error.suggestion is None
    assert error.hint == "known: " + ", ".join(sorted(registry.renderers))


@pytest.mark.parametrize(("lookup", "kind"), [
    ("category", "category"), ("group", "group"), ("rule", "rule"), ("profile", "profile"),
    ("aggregator", "aggregator"), ("renderer", "renderer"),
])
def test_every_registry_look_up_raises_the_structured_error(registry, lookup, kind):
    with pytest.raises(UnknownNameError) as info:
        getattr(registry, lookup)("no-such-thing")
    assert (info.value.kind, info.value.name) == (kind, "no-such-thing")


def test_an_unknown_name_error_is_a_key_error_with_a_readable_message(registry):
    with pytest.raises(KeyError) as info:
        registry.rule("postive")
    assert str(info.value) == "unknown rule 'postive' (did you mean 'positive'?)"


def test_a_registry_without_a_default_profile_says_how_to_name_one():
    registry = evalcore.Registry.from_plugins(evalcore.get_plugin_manager(entry_points=False))
    with pytest.raises(UnknownNameError) as info:
        registry.default_profile()
    assert info.value.hint is not None and "default = true" in info.value.hint


def test_an_aliased_name_is_suggested_too(registry):
    with pytest.raises(UnknownNameError) as info:
        registry.category("数量指")
    assert info.value.suggestion is not None and "数量指标" in info.value.suggestion


# -- HintedError -----------------------------------------------------------------------------------


def test_an_unknown_unit_is_a_hinted_error_with_the_close_unit(registry):
    with pytest.raises(UnknownUnitError) as info:
        parse_target("≥400 kmm", registry.units)
    assert isinstance(info.value, HintedError)
    assert info.value.hint == "did you mean 'mm' or 'km' or 'km2'?"
    assert info.value.hint not in str(info.value)  # the message and the hint stay apart


def test_a_formula_error_is_a_hinted_error_whose_text_holds_the_hint():
    with pytest.raises(FormulaError) as info:
        compile_formula("acutal * 2", ["actual"])
    error = info.value
    assert isinstance(error, HintedError)
    assert (error.message, error.hint) == ("unknown name 'acutal'", "did you mean 'actual'?")
    assert str(error) == "unknown name 'acutal' (column 1); did you mean 'actual'?"


def test_a_formula_with_a_far_off_name_lists_the_few_known_ones():
    with pytest.raises(FormulaError) as info:
        compile_formula("zzz", ["actual", "target"])
    assert info.value.hint is not None and info.value.hint.startswith("known names: ")


def test_a_choice_converter_raises_a_hinted_error():
    convert = choice("ratio", "linear")
    assert convert("ratio") == "ratio"
    with pytest.raises(HintedError) as info:
        convert("ratoi")
    assert (info.value.message, info.value.hint) == (
        "'ratoi' is not one of ratio, linear", "did you mean 'ratio'?")


def test_hint_of_reads_the_hint_of_any_error():
    assert hint_of(HintedError("bad", "try this")) == "try this"
    assert hint_of(UnknownNameError("rule", "x", ["y"])) == "known: y"
    assert hint_of(ValueError("plain")) is None


def test_there_is_one_suggest():
    import evalcore.formula

    assert not hasattr(evalcore.formula, "_suggest")
    assert suggest("acutal", ["actual", "target"]) == "did you mean 'actual'?"


def test_a_rule_parameter_hint_reaches_the_problem_text(registry):
    text = project_toml(single("≤100万元", "90万元", category="cost", rule="reverse",
                               params={"method": "ratoi"}))
    with pytest.raises(evalcore.ValidationError) as info:
        evaluate_text(text, registry)
    messages = [p.message for p in info.value.problems if p.severity == "error"]
    assert messages == ["method: 'ratoi' is not one of ratio, linear; did you mean 'ratio'?"]
