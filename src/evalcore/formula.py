"""Safe scoring formulas: compile once, evaluate many times on Decimals.

Formulas such as ``points * min(actual / target, 1)`` come from TOML files
written by strangers, so user text is never handed to ``eval``/``exec`` or to
``compile()``.  Instead `compile_formula` parses the text with
``ast.parse(mode="eval")``, checks every node against an allow-list, resolves
every name and function up front, and turns the tree into nested closures.
`Formula.evaluate` then only walks those closures, so it is cheap enough
to run thousands of times per second.

All arithmetic is `decimal.Decimal` in a private high-precision context
that traps invalid operations, division by zero and overflow, so a result is
always a finite Decimal or a `FormulaEvaluationError`.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

import ast
import decimal
import operator
import re
import warnings
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Final, NoReturn, TypeAlias

import attrs

from .errors import HintedError, suggest
from .numbers import context, round_half_up

__all__ = [
    "BUILTIN_FUNCTIONS", "MAX_DEPTH", "MAX_LENGTH", "Formula", "FormulaError",
    "FormulaEvaluationError", "Function", "compile_formula",
]  # fmt: skip

MAX_LENGTH: Final = 500
"""Longest accepted formula text, in characters."""
MAX_DEPTH: Final = 20
"""Deepest accepted nesting of sub-expressions (see `compile_formula`)."""
_MAX_DIGITS: Final = 30  # digits in a number literal; also bounds its magnitude

_Value: TypeAlias = Decimal | bool  # bools only ever come from comparisons
_Node: TypeAlias = Callable[[dict[str, Decimal]], _Value]  # a compiled sub-expression

_CONTEXT: Final = context()  # evalcore's one context: never yields NaN or infinity
_BOOL_AS_NUMBER: Final = "a comparison result cannot be used as a number"
_NEWLINE: Final = re.compile(r"\r\n|\r|\n")  # the line ends Python's tokenizer knows


class FormulaError(HintedError):
    """A formula that cannot be compiled; meant to be shown to its author.

    ``message`` says what is wrong, ``column`` is the 1-based character offset
    in the formula text (``None`` when no position applies) and ``hint`` is an
    optional suggestion such as ``"did you mean 'actual'?"``. ``str()`` holds all
    three: ``unknown name 'acutal' (column 1); did you mean 'actual'?``.
    """

    def __init__(self, message: str, column: int | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.column = column

    def __str__(self) -> str:
        text = self.message if self.column is None else f"{self.message} (column {self.column})"
        return f"{text}; {self.hint}" if self.hint else text


class FormulaEvaluationError(ArithmeticError):
    """Evaluating a formula failed: division by zero, a function's domain error,
    a comparison used as a number, a missing value, ...

    ``expression`` is the text of the sub-expression that failed, so that a
    trace can point at e.g. ``actual / target`` rather than the whole formula.
    Plugin functions may raise it with an empty ``expression``; the call site
    fills it in.
    """

    def __init__(self, message: str, expression: str = "") -> None:
        self.message = message
        self.expression = expression
        super().__init__(f"{message} in {expression!r}" if expression else message)


@attrs.frozen
class Function:
    """A function formulas may call by name, e.g. ``min(a, b)``.

    ``arity`` is ``(min args, max args)`` with ``None`` meaning variadic; it is
    checked at compile time.  ``impl`` receives Decimals (never bools) and must
    return a Decimal; it runs inside the evaluation context and may raise
    `FormulaEvaluationError` (or any ``ArithmeticError``/``ValueError``)
    for inputs outside its domain.
    """

    name: str
    arity: tuple[int, int | None]
    impl: Callable[..., Decimal]
    doc: str

    def __attrs_post_init__(self) -> None:
        low, high = self.arity
        if not self.name.isidentifier():
            raise ValueError(f"function name {self.name!r} is not an identifier")
        if low < 0 or (high is not None and high < low):
            raise ValueError(f"invalid arity {self.arity!r} for function {self.name!r}")


def _clamp(x: Decimal, low: Decimal, high: Decimal) -> Decimal:
    if low > high:
        raise FormulaEvaluationError(f"clamp() lower bound {low} is above upper bound {high}")
    return min(max(x, low), high)


def _ratio(a: Decimal, b: Decimal) -> Decimal:
    if b == 0:
        raise FormulaEvaluationError("division by zero")
    return a / b


def _round_half_up(x: Decimal, places: Decimal = Decimal(0)) -> Decimal:
    if places != places.to_integral_value() or not 0 <= places <= 10:
        raise FormulaEvaluationError(f"round_half_up() places must be 0..10, not {places}")
    return round_half_up(x, int(places))


BUILTIN_FUNCTIONS: Final[MappingProxyType[str, Function]] = MappingProxyType({
    f.name: f
    for f in (
        Function("min", (2, None), lambda *args: min(args), "min(a, b, ...): the smallest."),
        Function("max", (2, None), lambda *args: max(args), "max(a, b, ...): the largest."),
        Function("abs", (1, 1), abs, "abs(x): the absolute value."),
        Function("clamp", (3, 3), _clamp, "clamp(x, lo, hi): x limited to lo..hi."),
        Function("ratio", (2, 2), _ratio, "ratio(a, b): a / b; an error when b is zero."),
        Function("round_half_up", (1, 2), _round_half_up,
                 "round_half_up(x, places=0): x to 0..10 decimals, halves away from zero."),
    )
})  # fmt: skip
"""The functions every formula may use; extend with ``BUILTIN_FUNCTIONS | plugins``."""


@attrs.frozen
class Formula:
    """A compiled formula; build it with `compile_formula`.

    ``names`` holds the declared input names the formula actually uses; those
    are the only keys `evaluate` and `substitute` need.
    """

    text: str
    names: frozenset[str]
    _root: _Node = attrs.field(eq=False, repr=False)
    _spans: tuple[tuple[int, int, str], ...] = attrs.field(eq=False, repr=False)

    def evaluate(self, values: Mapping[str, Decimal]) -> Decimal:
        """The formula's value for ``values``, which must map each used name to
        a finite Decimal (a non-Decimal is a ``TypeError``: a caller's bug)."""
        env = self._checked(values)
        with decimal.localcontext(_CONTEXT):
            result = self._root(env)
        if isinstance(result, bool):
            raise FormulaEvaluationError("the result is true/false, not a number", self.text)
        return result if result or not result.is_signed() else result.copy_abs()  # no -0

    def substitute(self, values: Mapping[str, Decimal]) -> str:
        """The text with every name replaced by its value, for traces, e.g.
        ``'10 * min(441 / 400, 1)'``.  Negative values are parenthesized."""
        env = self._checked(values)
        parts: list[str] = []
        position = 0
        for start, end, name in self._spans:
            parts += (self.text[position:start], _show(env[name]))
            position = end
        parts.append(self.text[position:])
        return "".join(parts)

    def _checked(self, values: Mapping[str, Decimal]) -> dict[str, Decimal]:
        """The used names' values, checked once per call so nodes need not."""
        env: dict[str, Decimal] = {}
        for name in self.names:
            try:
                value = values[name]
            except KeyError:
                raise FormulaEvaluationError(f"no value given for {name!r}", name) from None
            if not isinstance(value, Decimal):
                kind = type(value).__name__
                raise TypeError(f"value for {name!r} must be a Decimal, not {kind}")
            if not value.is_finite():
                raise FormulaEvaluationError(f"{name!r} is not a finite number: {value}", name)
            env[name] = value
        return env


def compile_formula(
    text: str, names: Iterable[str], functions: Mapping[str, Function] | None = None
) -> Formula:
    """Check ``text`` and compile it into a `Formula`, or raise `FormulaError`.

    ``names`` are the inputs the formula may use; ``functions`` defaults to
    `BUILTIN_FUNCTIONS` (pass ``BUILTIN_FUNCTIONS | plugins`` to extend).
    Nesting depth counts each sub-expression level, except that a chain of
    same-precedence operators (``a + b - c + d``) and an if/else chain
    (``x if a else y if b else z``) count as one level each, so long sums and
    many-band scales are limited by `MAX_LENGTH`, not `MAX_DEPTH`.
    """
    if not isinstance(text, str):
        raise TypeError(f"formula text must be a str, not {type(text).__name__}")
    if isinstance(names, str):
        raise TypeError("names must be an iterable of names, not a single string")
    declared = frozenset(names)
    if not all(isinstance(name, str) for name in declared):
        raise TypeError("names must be strings")
    if not text.strip():
        raise FormulaError("the formula is empty")
    if len(text) > MAX_LENGTH:
        message = f"the formula is {len(text)} characters long; the limit is {MAX_LENGTH}"
        raise FormulaError(message, MAX_LENGTH + 1)
    body = text.lstrip()  # leading blanks are an IndentationError in eval mode
    table = BUILTIN_FUNCTIONS if functions is None else functions
    compiler = _Compiler(body, len(text) - len(body), declared, table)
    try:
        with warnings.catch_warnings():
            # Python warns, on stderr and with no position, about text it still accepts
            # ("90if x else 0": invalid decimal literal). As errors they become SyntaxErrors,
            # reported below with their column, and nothing is printed.
            warnings.simplefilter("error")
            tree = ast.parse(body, mode="eval")
    except SyntaxError as exc:
        column = len(text.rstrip()) + 1  # Python gives no offset when the text ends too early
        if exc.lineno is not None and exc.offset:
            column = compiler.column(exc.lineno, exc.offset - 1, chars=True)
        hint = "put a space between a number and a word (90 if ...)" if "literal" in exc.msg else None
        raise FormulaError(f"syntax error: {exc.msg}", column, hint) from None
    except (ValueError, RecursionError, Warning) as exc:  # null bytes, surrogates, ...
        raise FormulaError(f"the formula cannot be parsed: {exc}") from None
    root = compiler.compile(tree.body, 1)
    return Formula(text, frozenset(compiler.used), root, tuple(sorted(compiler.spans)))


_FORBIDDEN: Final[Mapping[type[ast.AST], str]] = {
    ast.Attribute: "attribute access (x.y)", ast.Subscript: "subscripts (x[...])",
    ast.Slice: "slices (x[a:b])", ast.Lambda: "lambda functions",
    ast.ListComp: "list comprehensions", ast.SetComp: "set comprehensions",
    ast.DictComp: "dict comprehensions", ast.GeneratorExp: "generator expressions",
    ast.Starred: "starred arguments (*x)", ast.NamedExpr: "assignment expressions (walrus :=)",
    ast.JoinedStr: "f-strings", ast.FormattedValue: "f-strings", ast.Tuple: "tuples (a, b)",
    ast.List: "lists [a, b]", ast.Dict: "dicts {a: b}", ast.Set: "sets {a, b}",
    ast.Await: "'await'", ast.Yield: "'yield'", ast.YieldFrom: "'yield'",
    ast.Pow: "'**' (power)", ast.FloorDiv: "'//' (floor division)", ast.Mod: "'%' (remainder)",
    ast.MatMult: "'@' (matrix product)", ast.BitAnd: "'&' (bitwise and)",
    ast.BitOr: "'|' (bitwise or)", ast.BitXor: "'^' (bitwise xor)", ast.LShift: "'<<' (shift)",
    ast.RShift: "'>>' (shift)", ast.Invert: "'~' (bitwise not)",
    ast.Is: "'is'", ast.IsNot: "'is not'", ast.In: "'in'", ast.NotIn: "'not in'",
}  # fmt: skip
_SYMBOLS: Final[Mapping[type[ast.AST], str]] = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**", ast.FloorDiv: "//",
    ast.Mod: "%", ast.MatMult: "@", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^",
    ast.LShift: "<<", ast.RShift: ">>",
}  # fmt: skip
_ARITHMETIC: Final[Mapping[type[ast.AST], Callable[[Decimal, Decimal], Decimal]]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
}  # fmt: skip
_PRECEDENCE: Final[Mapping[type[ast.AST], int]] = {ast.Add: 1, ast.Sub: 1, ast.Mult: 2, ast.Div: 2}
_COMPARISONS: Final[Mapping[type[ast.AST], Callable[[Decimal, Decimal], bool]]] = {
    ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
    ast.Eq: operator.eq, ast.NotEq: operator.ne,
}  # fmt: skip


def _arithmetic_message(exc: BaseException) -> str:
    if isinstance(exc, ZeroDivisionError):
        return "division by zero"
    if isinstance(exc, decimal.Overflow):
        return "the result is too large"
    if isinstance(exc, decimal.DecimalException):
        return "invalid arithmetic operation"
    return str(exc) or type(exc).__name__


def _hint(word: str, candidates: Iterable[str], kind: str) -> str | None:
    """"did you mean" for a close name, else the known names when they are few (12 at most)."""
    options = sorted(set(candidates))
    listed = f"known {kind}: {', '.join(options)}" if 0 < len(options) <= 12 else None
    return suggest(word, options) or listed


def _show(value: Decimal) -> str:
    """A value as a trace shows it: no exponent for ordinary sizes, negatives in parentheses."""
    text = format(value, "f") if -_MAX_DIGITS <= value.adjusted() <= _MAX_DIGITS else str(value)
    text = text.lstrip("-") if not value else text
    return f"({text})" if value < 0 else text


def _check_number(value: _Value, text: str) -> Decimal:
    if isinstance(value, bool):
        raise FormulaEvaluationError(_BOOL_AS_NUMBER, text)
    return value


def _check_bool(value: _Value, text: str, message: str) -> bool:
    if not isinstance(value, bool):
        raise FormulaEvaluationError(message, text)
    return value


class _Compiler:
    """Checks one parsed formula against the allow-list and builds its closures."""

    def __init__(
        self, source: str, base: int, names: frozenset[str], functions: Mapping[str, Function]
    ) -> None:
        self.source = source  # the parsed text: the formula minus `base` leading blanks
        self.base = base
        self.names = names
        self.functions = functions
        self.line_starts = [0] + [m.end() for m in _NEWLINE.finditer(source)]
        self.used: set[str] = set()
        self.spans: list[tuple[int, int, str]] = []  # name positions in the original text

    def index(self, lineno: int, col: int, *, chars: bool = False) -> int:
        """0-based index into ``source`` of an AST position (``col`` in UTF-8 bytes)."""
        start = self.line_starts[max(1, min(lineno, len(self.line_starts))) - 1]
        if not chars:
            col = len(self.source[start:].encode()[:col].decode(errors="ignore"))
        return min(start + col, len(self.source))

    def column(self, lineno: int, col: int, *, chars: bool = False) -> int:
        """1-based column in the original formula text."""
        return self.base + self.index(lineno, col, chars=chars) + 1

    def segment(self, node: ast.expr) -> str:
        start = self.index(node.lineno, node.col_offset)
        end = self.index(node.end_lineno or node.lineno, node.end_col_offset or node.col_offset)
        return self.source[start:end]

    def fail(
        self, node: ast.expr | ast.keyword, what: str, hint: str | None = None, at: int = 0
    ) -> NoReturn:
        raise FormulaError(what, at or self.column(node.lineno, node.col_offset), hint)

    def forbid(self, node: ast.expr | ast.keyword, what: str, at: int = 0) -> NoReturn:
        self.fail(node, f"not allowed in a formula: {what}", at=at)

    def compile(self, node: ast.expr, depth: int) -> _Node:
        """The closure computing ``node``; raises FormulaError for anything not allowed."""
        if depth > MAX_DEPTH:
            self.fail(node, f"the formula is nested too deeply (more than {MAX_DEPTH} levels)")
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.BinOp):
            return self.binary(node, depth)
        if isinstance(node, ast.UnaryOp):
            return self.unary(node, depth)
        if isinstance(node, ast.Compare):
            return self.comparison(node, depth)
        if isinstance(node, ast.BoolOp):
            return self.boolean(node, depth)
        if isinstance(node, ast.IfExp):
            return self.conditional(node, depth)
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        self.forbid(node, _FORBIDDEN.get(type(node), type(node).__name__))

    def constant(self, node: ast.Constant) -> _Node:
        value = node.value
        if isinstance(value, bool) or value is None:
            hint = "true/false come from comparisons"
            self.fail(node, f"the constant {value} is not allowed", hint)
        if isinstance(value, (str, bytes)):
            self.forbid(node, "strings" if isinstance(value, str) else "bytes")
        if isinstance(value, complex):
            self.forbid(node, "complex numbers")
        literal = self.segment(node).replace("_", "")
        if not isinstance(value, (int, float)) or literal[:2].lower() in ("0x", "0o", "0b"):
            self.forbid(node, f"{literal} (only decimal numbers such as 12 or 0.5)")
        digits = sum(c.isdigit() for c in re.split("[eE]", literal)[0])
        try:  # from the source text, so 0.1 is exactly Decimal("0.1")
            with decimal.localcontext(_CONTEXT):  # traps on, whatever the caller's context
                number = Decimal(literal)
            too_big = bool(number) and not -_MAX_DIGITS <= number.adjusted() <= _MAX_DIGITS
        except decimal.DecimalException:
            too_big = True
        if digits > _MAX_DIGITS or too_big:
            self.fail(node, f"the number {literal} is too long or too large ({_MAX_DIGITS} digits)")
        return lambda env: number

    def name(self, node: ast.Name) -> _Node:
        name = node.id
        if name not in self.names:
            if name in self.functions:
                self.fail(node, f"{name!r} is a function; call it like {name}(...)")
            hint = _hint(name, [*self.names, *self.functions], "names")
            self.fail(node, f"unknown name {name!r}", hint)
        self.used.add(name)
        start = self.base + self.index(node.lineno, node.col_offset)
        self.spans.append((start, start + len(self.segment(node)), name))
        getter: _Node = operator.itemgetter(name)
        return getter

    def binary(self, node: ast.BinOp, depth: int) -> _Node:
        kind = type(node.op)
        if kind not in _ARITHMETIC:  # point at the operator, which sits between the operands
            after_left = self.index(node.left.end_lineno or 1, node.left.end_col_offset or 0)
            before_right = self.index(node.right.lineno, node.right.col_offset)
            found = self.source.find(_SYMBOLS.get(kind, "?"), after_left, before_right)
            self.forbid(node, _FORBIDDEN[kind], self.base + found + 1 if found >= 0 else 0)
        # A chain of same-precedence operators (a + b - c + ...) becomes one flat loop:
        # one nesting level, however long, and no deep recursion when evaluating.
        chain: list[ast.BinOp] = []
        first_node: ast.expr = node
        while isinstance(first_node, ast.BinOp) and (
            _PRECEDENCE.get(type(first_node.op)) == _PRECEDENCE[kind]
        ):
            chain.append(first_node)
            first_node = first_node.left
        first = self.compile(first_node, depth + 1)
        steps = [
            (_ARITHMETIC[type(n.op)], self.compile(n.right, depth + 1), self.segment(n))
            for n in reversed(chain)
        ]

        def run(env: dict[str, Decimal]) -> _Value:
            result = first(env)
            for apply, operand, text in steps:
                value = operand(env)
                if isinstance(result, bool) or isinstance(value, bool):
                    raise FormulaEvaluationError(_BOOL_AS_NUMBER, text)
                try:
                    result = apply(result, value)
                except decimal.DecimalException as exc:
                    raise FormulaEvaluationError(_arithmetic_message(exc), text) from exc
            return result

        return run

    def unary(self, node: ast.UnaryOp, depth: int) -> _Node:
        if isinstance(node.op, ast.Invert):
            self.forbid(node, _FORBIDDEN[ast.Invert])
        operand, text = self.compile(node.operand, depth + 1), self.segment(node)
        if isinstance(node.op, ast.Not):
            message = "'not' needs a comparison, not a number"
            return lambda env: not _check_bool(operand(env), text, message)
        apply = operator.neg if isinstance(node.op, ast.USub) else operator.pos

        def run(env: dict[str, Decimal]) -> _Value:
            value = _check_number(operand(env), text)
            try:
                return apply(value)
            except decimal.DecimalException as exc:
                raise FormulaEvaluationError(_arithmetic_message(exc), text) from exc

        return run

    def comparison(self, node: ast.Compare, depth: int) -> _Node:
        pairs = list(zip(node.ops, node.comparators, strict=True))
        for op, right in pairs:
            if type(op) not in _COMPARISONS:
                self.forbid(right, _FORBIDDEN[type(op)])
        first = self.compile(node.left, depth + 1)
        rest = [(_COMPARISONS[type(op)], self.compile(right, depth + 1)) for op, right in pairs]
        text = self.segment(node)

        def run(env: dict[str, Decimal]) -> _Value:
            a = _check_number(first(env), text)
            for compare, operand in rest:  # lazily, like Python: a < b < c
                b = _check_number(operand(env), text)
                if not compare(a, b):
                    return False
                a = b
            return True

        return run

    def boolean(self, node: ast.BoolOp, depth: int) -> _Node:
        is_and = isinstance(node.op, ast.And)
        message = f"'{'and' if is_and else 'or'}' needs comparisons on both sides, not numbers"
        parts = [(self.compile(value, depth + 1), self.segment(value)) for value in node.values]

        def run(env: dict[str, Decimal]) -> _Value:
            for part, text in parts:
                if _check_bool(part(env), text, message) is not is_and:
                    return not is_and  # short-circuit: False for 'and', True for 'or'
            return is_and

        return run

    def conditional(self, node: ast.IfExp, depth: int) -> _Node:
        test, body = self.compile(node.test, depth + 1), self.compile(node.body, depth + 1)
        # "x if a else y if b else z" reads as one flat choice: its tail adds no level.
        orelse = self.compile(node.orelse, depth + (not isinstance(node.orelse, ast.IfExp)))
        text, message = self.segment(node.test), "the condition after 'if' must be a comparison"
        return lambda env: body(env) if _check_bool(test(env), text, message) else orelse(env)

    def call(self, node: ast.Call, depth: int) -> _Node:
        if not isinstance(node.func, ast.Name):
            self.forbid(node, "calls of anything but a function name, as in min(a, b)")
        for keyword in node.keywords:
            self.forbid(keyword, "keyword arguments (f(x=1))" if keyword.arg else "** unpacking")
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                self.forbid(arg, _FORBIDDEN[ast.Starred])
        name = node.func.id
        function = self.functions.get(name)
        if function is None:
            if name in self.names:
                self.fail(node.func, f"{name!r} is an input, not a function")
            hint = _hint(name, self.functions, "functions")
            self.fail(node.func, f"unknown function {name!r}", hint)
        low, high = function.arity
        given = len(node.args)
        if given < low or (high is not None and given > high):
            expected = f"at least {low}" if high is None else f"{low} to {high}"
            expected = str(low) if high == low else expected
            self.fail(node, f"{name}() takes {expected} argument(s), but {given} given")
        args = [(self.compile(arg, depth + 1), self.segment(arg)) for arg in node.args]
        impl, text = function.impl, self.segment(node)

        def run(env: dict[str, Decimal]) -> _Value:
            values = [_check_number(arg(env), arg_text) for arg, arg_text in args]
            try:
                result = impl(*values)
            except FormulaEvaluationError as exc:
                raise FormulaEvaluationError(exc.message, exc.expression or text) from exc
            except (ArithmeticError, ValueError) as exc:
                raise FormulaEvaluationError(f"{name}(): {_arithmetic_message(exc)}", text) from exc
            if not isinstance(result, Decimal):
                raise TypeError(f"function {name!r} returned {type(result).__name__}, not Decimal")
            if not result.is_finite():
                raise FormulaEvaluationError(f"{name}() returned {result}", text)
            return result

        return run
