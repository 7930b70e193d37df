"""Reading frozen result objects back from the JSON evalcore wrote, every mistake located.

A result written with ``to_json`` comes back with ``from_json``; text that is not such a
result (not JSON, a key missing or misspelt, a number that is not exact text, a date that
is not one) must say where and what, like any other input, not end in a KeyError.

`parse_json` reads the text (its problem at a line); `read_data` reads the data into an
attrs class by its type hints: exact Decimals from their text, dates from ISO text, enums
by value, tuples, optional fields, nested classes, and any class with a ``from_dict`` of
its own (an `evalcore.Evaluation`). Every problem is collected at its key path
(``rows[2].progress``) and raised together as one ValidationError.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the public
surfaces); its own path may change in any release.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import functools
import json
import types
import typing
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, TypeVar, Union

import attrs

from .errors import Origin, Problem, ValidationError, exception_text, quote, suggest

__all__ = ["parse_json", "read_data"]

T = TypeVar("T")


def parse_json(text: str | bytes, what: str) -> Any:
    """The data of the JSON ``text``; a ValidationError at its line when it is not JSON
    (``what`` names what it should be: "a monitor report")."""
    try:
        return json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        line = exc.lineno if isinstance(exc, json.JSONDecodeError) else None
        detail = (f"{exc.msg} (line {exc.lineno}, column {exc.colno})"
                  if isinstance(exc, json.JSONDecodeError) else exception_text(exc))
        raise ValidationError([Problem(f"not {what}: the text is not JSON: {detail}",
                                       Origin(line=line))]) from None


def read_data(data: Any, kind: type[T], what: str, names: Mapping[str, str] | None = None) -> T:
    """The ``kind`` object JSON ``data`` describes (``what`` names it in messages). A
    ValidationError lists every problem, each at its key path. ``names``: the JSON's own key
    for a field of ``kind`` where it differs (an evaluation's ``rows`` are ``indicators``)."""
    problems: list[Problem] = []
    if not isinstance(data, Mapping):
        raise ValidationError([Problem(f"not {what}: the JSON is {_kind(data)}, not an object")])
    result = _read_object(data, kind, (), problems, names or {})  # ``kind.from_dict`` may call this
    if problems or not isinstance(result, kind):
        raise ValidationError(problems or [Problem(f"not {what}")])
    return result


@functools.cache
def _hints(kind: type) -> dict[str, Any]:
    return typing.get_type_hints(kind)


def _kind(value: object) -> str:
    """What a JSON value is, in words: "an array", "the number 1.5", "null"."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {quote(value)}"
    if isinstance(value, str):
        return f"the text {quote(value)}"
    return "an array" if isinstance(value, list) else "an object"


def _bad(problems: list[Problem], path: tuple[str | int, ...], message: str,
         hint: str | None = None) -> None:
    problems.append(Problem(message, Origin(path=path), hint))


def _read(value: Any, kind: Any, path: tuple[str | int, ...], problems: list[Problem]) -> Any:
    """``value`` as ``kind`` (a type hint), or None with a problem recorded."""
    origin = typing.get_origin(kind)
    if origin in (Union, types.UnionType):
        args = typing.get_args(kind)
        if value is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _read(value, inner, path, problems)
    if origin is tuple:
        if not isinstance(value, list):
            _bad(problems, path, f"must be an array, not {_kind(value)}")
            return None
        inner = typing.get_args(kind)[0]
        return tuple(_read(v, inner, (*path, i), problems) for i, v in enumerate(value))
    if hasattr(kind, "from_dict"):  # a result with a reader of its own (Evaluation)
        try:
            return kind.from_dict(value)
        except ValidationError as exc:  # its problems, at their place in this JSON
            problems.extend(Problem(p.message, Origin(path=(*path, *p.origin.path)), p.hint)
                            for p in exc.problems)
            return None
        except (KeyError, TypeError, ValueError, AttributeError, ArithmeticError) as exc:
            _bad(problems, path, f"is not the JSON of {kind.__name__} ({exception_text(exc)})")
            return None
    if attrs.has(kind):
        return _read_object(value, kind, path, problems)
    return _read_scalar(value, kind, path, problems)


def _read_object(value: Any, kind: type, path: tuple[str | int, ...],
                 problems: list[Problem], names: Mapping[str, str] | None = None) -> Any:
    if not isinstance(value, Mapping):
        _bad(problems, path, f"must be an object ({kind.__name__}), not {_kind(value)}")
        return None
    names = names or {}
    fields = {names.get(f.name, f.name): f for f in attrs.fields(kind)}  # by their JSON key
    for key in value:
        if key not in fields:
            _bad(problems, (*path, key), f"unknown key {quote(key)} for {kind.__name__}",
                 suggest(str(key), fields) or f"known: {', '.join(fields)}")
    before = len(problems)
    read: dict[str, Any] = {}
    hints = _hints(kind)
    for key, field in fields.items():
        if key not in value:
            if field.default is attrs.NOTHING:
                _bad(problems, (*path, key), f"missing: {kind.__name__} needs {quote(key)}")
            continue
        read[field.name] = _read(value[key], hints[field.name], (*path, key), problems)
    if len(problems) > before:
        return None
    try:
        return kind(**read)
    except (TypeError, ValueError) as exc:
        _bad(problems, path, f"is not {kind.__name__} ({exception_text(exc)})")
        return None


def _read_scalar(value: Any, kind: Any, path: tuple[str | int, ...],
                 problems: list[Problem]) -> Any:
    if kind is Decimal:
        return _decimal(value, path, problems)
    if kind is dt.date:
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        _bad(problems, path, f"must be a date such as \"2022-07-31\", not {_kind(value)}")
        return None
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        choices = [str(member.value) for member in kind]
        try:
            return kind(value)
        except ValueError:
            _bad(problems, path, f"must be one of {', '.join(choices)}, not {_kind(value)}",
                 suggest(str(value), choices))
            return None
    expected = {str: (str,), bool: (bool,), int: (int,), Any: (object,)}.get(kind, (object,))
    if not isinstance(value, expected) or (kind is int and isinstance(value, bool)):
        name = {str: "text", bool: "true or false", int: "a whole number"}.get(kind, str(kind))
        _bad(problems, path, f"must be {name}, not {_kind(value)}")
        return None
    return value


def _decimal(value: Any, path: tuple[str | int, ...], problems: list[Problem]) -> Decimal | None:
    """An exact number: text ("16.60") or a whole number; a float is refused, not rounded."""
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, str):
        try:
            number = Decimal(value)
        except decimal.InvalidOperation:
            number = None
        if number is not None and number.is_finite():
            return number
    hint = "numbers are written as exact text, e.g. \"16.60\"" if isinstance(value, float) else None
    _bad(problems, path, f"must be an exact number written as text, not {_kind(value)}", hint)
    return None
