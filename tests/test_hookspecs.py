"""Every hook specification is documented as pytest's are: what it is for, each parameter, what it
returns and what evalcore does with it, when it is called, and what is an error."""

from __future__ import annotations

import inspect
import re

import pytest

from evalcore import hookspecs

HOOKS = [name for name, value in vars(hookspecs).items()
         if name.startswith("evalcore_") and inspect.isfunction(value)]


def _doc(hook: str) -> str:
    return inspect.getdoc(getattr(hookspecs, hook)) or ""


def test_the_hooks_are_found():
    assert len(HOOKS) == 10 and "evalcore_validate_scheme" in HOOKS


@pytest.mark.parametrize("hook", HOOKS)
def test_every_parameter_is_documented_and_no_other(hook):
    parameters = list(inspect.signature(getattr(hookspecs, hook)).parameters)
    documented = re.findall(r"^:param (\w+):", _doc(hook), re.M)
    assert documented == parameters


def test_the_validation_hook_documents_scheme_and_registry():
    doc = _doc("evalcore_validate_scheme")
    assert ":param scheme:" in doc and ":param registry:" in doc


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_says_what_it_returns_when_it_is_called_and_what_is_an_error(hook):
    doc = _doc(hook)
    summary = doc.splitlines()[0]
    assert summary.endswith(".") or summary.endswith(")")
    assert re.search(r"^:returns: \S", doc, re.M), "a `:returns:` paragraph"
    assert "**Called**" in doc and "**Errors" in doc


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_returns_a_list_of_what_it_registers(hook):
    annotation = inspect.signature(getattr(hookspecs, hook)).return_annotation
    assert re.fullmatch(r"list\[\w+\]", annotation)
    item = annotation[5:-1]
    assert f"`{item}`" in _doc(hook), f"the :returns: paragraph names {item}"


def test_the_hooks_are_grouped_by_the_stage_that_calls_them():
    source = inspect.getsource(hookspecs)
    registration = source.index("# -- registration")
    validation = source.index("# -- validation")
    for hook in HOOKS:
        at = source.index(f"def {hook}(")
        takes_arguments = bool(inspect.signature(getattr(hookspecs, hook)).parameters)
        assert (at > validation) == takes_arguments, hook
        assert at > registration
