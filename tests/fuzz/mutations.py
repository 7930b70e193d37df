"""Hypothesis strategies that mutate a seed: its parsed mapping, or the characters of its text.

Structure mutations pick any node of the parsed TOML (a table, an array, a
value) and delete, duplicate, retype or replace it, with values chosen to
hurt: huge and negative numbers, NaN and infinities, decimal-looking text,
deep nesting, empty text and arrays, control characters, NUL, RTL marks and
newlines, odd targets, units, dates and formulas, unknown keys. Text
mutations edit the file as characters and lines: insert, delete, replace,
truncate, duplicate or swap. The result is a `Mutant`: the files to write
and a short log of what was done, for the failure report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs
import tomli
from hypothesis import strategies as st

from .seeds import Seed, seeds
from .toml_writer import Raw, dumps

__all__ = ["Mutant", "key_paths", "mutants", "structure_mutants", "text_mutants"]

Draw = Callable[[st.SearchStrategy[Any]], Any]
Path_ = tuple[str | int, ...]


@attrs.frozen
class Mutant:
    """A mutated seed: files to write side by side, the one to load, and what was changed."""

    seed: str
    files: dict[str, str]
    entry: str
    log: tuple[str, ...]

    def describe(self) -> str:
        parts = [f"seed {self.seed}; mutations: {'; '.join(self.log)}"]
        parts += [f"--- {name}\n{text}" for name, text in self.files.items()]
        return "\n".join(parts)


# ------------------------------------------------------------------ hostile values

_SPECIAL_TEXT = [
    "", " ", "\x00", "a\x00b", "\x1b[31mred\x1b[0m", "\x1b]0;title\x07", "\u202e\u202dabc", "\u2028",
    "\r\n", "line\nline", "\t", "\x7f", "\x9b31m", "\ufeff", "\ud7ff", "\U0010ffff",
    "<script>alert(1)</script>",
    "a|b", "=WEBSERVICE(\"http://x\")", "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3", "'", '"', "\\",
    "${x}", "{x}", "%s", "../../etc/passwd", "/dev/null", ".", "..", "project.toml", "scheme.toml",
    "批次", "万元", "元", "亿元", "%", "‰", "天", "次", "人次", "个", "km", "平方米", "m²", "xx",
]
_TARGETS = [
    "≥400批次", "≤30天", "=100%", "＞0", "<1次", "≥95%", "≤5‰", "≥-5%", "400", "400批次", "35万元", "/", "／",
    "—", "-", "不适用", "不少于四百批次", "≥四百", "四百批次", "不低于90%", "不超过30天", "按期完成",
    "显著提升",
    "2023-11-30", "2023年11月30日", "2022年13月", "2023年2月30日", "≥2023-06-30", "≥400批次以下",
    "400-500批次", "≥1e999999", "≥1E-999999", "≥NaN", "≥Infinity", "≥0", "≥0.000", "≥１２３", "≥1,000",
    "≥1_000", "≥ 400 批次", "≥400 批次 ", "≥400万元", "≥0.1亿元", "≤0", "≥" + "9" * 60, "合格", "优秀",
    "满意",
]
_NUMBER_TEXT = [
    "1E+999999", "-1e-999999", "NaN", "sNaN", "-Infinity", "-0", "0.000", "1_000", "１２３", "٣", "1,000",
    "12.5%", "14.995", "75.005", " 7 ", "0x10", "1e3", "+5", ".5", "5.", "9" * 5000, "-" + "9" * 40,
]
_FORMULAS = [
    "points * min(actual / target, 1)", "points if actual >= target else 0", "points * clamp(ratio, 0, 1)",
    "1/0", "actual / (target - target)", "__import__('os')", "().__class__.__bases__", "lambda: 1",
    "[x for x in (1,)]", "9**9**9", "(" * 30 + "1" + ")" * 30, "90if actual else 1",
    "round_half_up(ratio, 11)", "clamp(ratio, 1, 0)", "min()", "points * " * 70 + "1", "x" * 600,
    "actual > target", "ratio(actual, 0)", "abs(-points)", "1e999999", "9" * 40, "points - 1e-30",
]
_KEYS = [
    "id", "name", "category", "group", "points", "target", "actual", "rule", "params", "notes", "reason",
    "assessed", "published", "extra", "unit", "initial", "planned", "executed", "source", "profile",
    "scheme", "total", "decimals", "weights", "grades", "expression", "rows", "when", "share", "score",
    "hit", "priority", "aggregate", "items", "value", "year", "department", "implementer", "goal",
    "expected", "achieved", "budget", "indicator", "project", "settings", "extends", "pointz", "类别", "",
]


def _huge_int() -> st.SearchStrategy[Raw]:
    return st.builds(lambda sign, n: Raw(sign + "9" * n), st.sampled_from(["", "-", "+"]),
                     st.sampled_from([25, 29, 60, 4300, 4301, 5000]))


_NUMBERS: st.SearchStrategy[Any] = st.one_of(
    st.integers(-3, 200), st.integers(), st.integers(-(10**40), 10**40), _huge_int(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([14.995, 75.005, 0.1, 1e-30, -0.0, 1e308, 5e-324, 99.999999999999]),
)
_DATES: st.SearchStrategy[Any] = st.one_of(
    st.dates(), st.datetimes(timezones=st.just(dt.timezone(dt.timedelta(hours=8)))), st.times(),
    st.sampled_from([dt.date(2023, 11, 30), dt.date(1, 1, 1), dt.date(9999, 12, 31)]),
)
_TEXT: st.SearchStrategy[str] = st.one_of(
    st.sampled_from(_SPECIAL_TEXT + _TARGETS + _NUMBER_TEXT + _FORMULAS),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=30),
    st.builds(lambda a, b: a + b, st.sampled_from(_TARGETS + _NUMBER_TEXT), st.sampled_from(_SPECIAL_TEXT)),
    st.builds(lambda s, n: s * n, st.sampled_from(["批", "a", "9", "|", "("]), st.sampled_from([300, 5000])),
)


def _nested(depth: int, kind: str) -> Raw:
    """Arrays or inline tables nested ``depth`` deep, as text (no recursion on our side)."""
    if kind == "array":
        return Raw("[" * depth + "1" + "]" * depth)
    return Raw("{ a = " * depth + "1" + " }" * depth)


def scalars() -> st.SearchStrategy[Any]:
    """One hostile value of any scalar type."""
    return st.one_of(_NUMBERS, _TEXT, st.booleans(), _DATES)


def values() -> st.SearchStrategy[Any]:
    """A hostile value: a scalar, an empty or small container, or a deep nest."""
    return st.one_of(
        scalars(), scalars(),
        st.sampled_from([[], {}, [[]], [{}], {"": ""}]),
        st.lists(scalars(), max_size=4),
        st.dictionaries(st.sampled_from(_KEYS), scalars(), max_size=3),
        st.builds(_nested, st.sampled_from([2, 30, 200, 1000, 10_000]), st.sampled_from(["array", "table"])),
    )


# ------------------------------------------------------------------ structure mutations

def key_paths(node: Any, path: Path_ = ()) -> list[Path_]:
    """Every node's key path in a tree of dicts and lists (the root's is ``()``)."""
    out = [path]
    if isinstance(node, dict):
        for k, v in node.items():
            out += key_paths(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += key_paths(v, (*path, i))
    return out


def _get(node: Any, path: Path_) -> Any:
    for part in path:
        node = node[part]
    return node


_TEXT_FIELDS = {"name", "reason", "department", "implementer", "expected", "achieved", "notes", "doc",
                "actual", "target", "unit", "id"}


def _text_field(draw: Draw, doc: dict[str, Any], paths: list[Path_]) -> str | None:
    """Hostile text in a text field: it passes validation and reaches every output format."""
    text_paths = [p for p in paths if p and p[-1] in _TEXT_FIELDS and isinstance(_get(doc, p), str)]
    if not text_paths or not draw(st.booleans()):
        return None
    path = draw(st.sampled_from(text_paths))
    parent, old = _get(doc, path[:-1]), _get(doc, path)
    payload = draw(st.one_of(st.sampled_from(_SPECIAL_TEXT), st.text(max_size=12)))
    new = draw(st.sampled_from([old + payload, payload + old, payload]))
    parent[path[-1]] = new
    return f"{'.'.join(map(str, path))} = {_short(new)}"


def _points_and_total(draw: Draw, doc: dict[str, Any]) -> str | None:
    """In a single-indicator case the points are the total: change both together."""
    indicators, settings = doc.get("indicator"), doc.get("settings")
    if not (isinstance(indicators, list) and len(indicators) == 1 and isinstance(indicators[0], dict)
            and isinstance(settings, dict) and "total" in settings and draw(st.booleans())):
        return None
    points = draw(st.one_of(_NUMBERS, st.sampled_from(_NUMBER_TEXT)))
    indicators[0]["points"] = settings["total"] = points
    return f"points = total = {_short(points)}"


def _edit_table(draw: Draw, node: dict[str, Any], where: str) -> str:
    op = draw(st.sampled_from(["add-key", "delete-key", "duplicate-key", "clear"]))
    if op == "add-key" or not node:
        name = draw(st.one_of(st.sampled_from(_KEYS), st.text(max_size=8)))
        node[name] = draw(values())
        return f"{where}: add {name!r}"
    name = draw(st.sampled_from(list(node)))
    if op == "delete-key":
        del node[name]
    elif op == "duplicate-key":  # shared references are fine: the document is only written out
        node[draw(st.sampled_from(_KEYS)) + draw(st.sampled_from(["", "_", "2"]))] = node[name]
    else:
        node.clear()
    return f"{where}: {op} {name!r}"


def _edit_array(draw: Draw, node: list[Any], where: str) -> str:
    op = draw(st.sampled_from(["append", "delete", "duplicate", "clear", "repeat"]))
    if op == "append" or not node:
        node.append(draw(values()))
    elif op == "delete":
        del node[draw(st.integers(0, len(node) - 1))]
    elif op == "duplicate":
        node.append(node[draw(st.integers(0, len(node) - 1))])
    elif op == "repeat":  # up to ~3,000 elements: many rows, not an exhausted machine
        node.extend(node * min(draw(st.sampled_from([1, 5, 50])), 3000 // len(node)))
    else:
        node.clear()
    return f"{where}: {op}"


def _mutate_once(draw: Draw, doc: dict[str, Any]) -> str:
    """Apply one structural edit to ``doc`` in place; return what was done."""
    paths = key_paths(doc)
    done = _text_field(draw, doc, paths) or _points_and_total(draw, doc)
    if done:
        return done
    path = draw(st.sampled_from(paths))
    node = _get(doc, path)
    where = ".".join(map(str, path)) or "<root>"
    if isinstance(node, dict) and draw(st.booleans()):
        return _edit_table(draw, node, where)
    if isinstance(node, list) and draw(st.booleans()):
        return _edit_array(draw, node, where)
    if not path:
        return "<root>: unchanged"
    new = draw(st.one_of(_like(node), values()))
    _get(doc, path[:-1])[path[-1]] = new
    return f"{where} = {_short(new)}"


def _like(old: Any) -> st.SearchStrategy[Any]:
    """A replacement of the same kind as ``old``, so the mutant often gets past validation."""
    if isinstance(old, bool):
        return st.booleans()
    if isinstance(old, (int, float)):
        return _NUMBERS
    if isinstance(old, (dt.date, dt.time)):
        return _DATES
    if isinstance(old, str):
        return st.one_of(
            st.sampled_from(_TARGETS + _NUMBER_TEXT),
            st.builds(lambda extra, before: extra + old if before else old + extra,
                      st.sampled_from(_SPECIAL_TEXT), st.booleans()),
            # Long text, but not megabytes compounding over several edits.
            st.builds(lambda n: old * (n if len(old) <= 100 else 2), st.sampled_from([2, 1000])),
        )
    return values()


def _short(item: Any) -> str:
    text = repr(item)
    return text if len(text) <= 60 else text[:57] + "..."


_HOW_MANY = st.sampled_from([1, 1, 1, 2, 2, 3, 5])  # mostly few edits: most mutants should load


def _seeds() -> st.SearchStrategy[Seed]:
    """An example or a golden case, even odds (there are far more golden cases)."""
    every = seeds()
    examples = [s for s in every if s.name.startswith("examples/")]
    golden = [s for s in every if not s.name.startswith("examples/")]
    return st.one_of(st.sampled_from(examples), st.sampled_from(golden))


@st.composite
def structure_mutants(draw: Draw) -> Mutant:
    """A seed with one of its files parsed, edited one to four times, and written back."""
    seed = draw(_seeds())
    name = draw(st.sampled_from(sorted(seed.files)))
    doc = tomli.loads(seed.files[name])
    log = [f"structure of {name}"]
    for _ in range(draw(_HOW_MANY)):
        log.append(_mutate_once(draw, doc))
    return Mutant(seed.name, {**seed.files, name: dumps(doc)}, seed.entry, tuple(log))


# ------------------------------------------------------------------ text mutations

_TOML_CHARS = [*"[]{}\"'=#.,-+:_\\\n\r\t 0123456789eE", "\x00", "\u3000", "\ufeff", "批", "≥", '"""',
               "'''"]


def _edit_text(draw: Draw, text: str) -> tuple[str, str]:
    lines = text.split("\n")
    op = draw(st.sampled_from(["insert", "delete", "replace", "truncate", "dup-line", "del-line",
                               "swap-lines"]))
    at = draw(st.integers(0, max(len(text) - 1, 0)))
    if op in ("insert", "replace"):
        chunk = draw(st.one_of(st.sampled_from(_TOML_CHARS), st.text(max_size=4), _TEXT))
        end = at + (len(chunk) if op == "replace" else 0)
        return text[:at] + chunk + text[end:], f"{op} {chunk[:20]!r} at {at}"
    if op == "delete":
        size = draw(st.integers(1, 40))
        return text[:at] + text[at + size:], f"delete {size} at {at}"
    if op == "truncate":
        return text[:at], f"truncate at {at}"
    i = draw(st.integers(0, len(lines) - 1))
    if op == "dup-line":
        lines.insert(i, lines[i])
    elif op == "del-line":
        del lines[i]
    else:
        j = draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines), f"{op} {i + 1}"


@st.composite
def text_mutants(draw: Draw) -> Mutant:
    """A seed with one of its files edited as text one to five times."""
    seed = draw(_seeds())
    name = draw(st.sampled_from(sorted(seed.files)))
    text = seed.files[name]
    log = [f"text of {name}"]
    for _ in range(draw(_HOW_MANY)):
        text, what = _edit_text(draw, text)
        log.append(what)
    return Mutant(seed.name, {**seed.files, name: text}, seed.entry, tuple(log))


def mutants() -> st.SearchStrategy[Mutant]:
    """Either kind of mutant."""
    return st.one_of(structure_mutants(), text_mutants())
