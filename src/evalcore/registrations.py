"""What plugins register: groups, categories, rule types, aggregators, renderers.

These are the nouns of the plugin interface, and what a rule's scorer sees
(`Observation`) and returns (`Outcome`). A plugin's hook returns a list of
them; the `evalcore.registry.Registry` snapshots them together with the
plugin that registered each. (Units live in `evalcore.quantities`, profiles
in `evalcore.profile`, the `Status` of a row with the results.) Plugin
authors import them from `evalcore.plugin`.

Engine module: import what it offers from `evalcore` or `evalcore.plugin` (the
public surfaces); its own path may change in any release.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

import attrs

from .reading import Reading
from .results import Finding, Status

if TYPE_CHECKING:
    from .kernels import Kernel, WordKernel
    from .model import Indicator
    from .profile import Profile
    from .projection import Projector
    from .quantities import Target, Value
    from .units import UnitTable

__all__ = [
    "Aggregator",
    "Category",
    "Group",
    "KernelBuilder",
    "Observation",
    "Outcome",
    "Param",
    "Renderer",
    "RuleContext",
    "RuleType",
    "Scorer",
    "WordKernelBuilder",
]




@attrs.frozen
class Group:
    """A level-1 indicator group (一级指标), e.g. outputs / 产出指标."""

    name: str
    zh: str
    aliases: tuple[str, ...] = ()
    order: int = 0
    doc: str = ""


@attrs.frozen
class Category:
    """A level-2 category (二级指标), e.g. quantity / 数量指标, with its defaults.

    ``direction`` says which way is better when a target has no symbol:
    "higher" reads a bare ``90%`` as ≥90%, "lower" (cost) as ≤. ``aggregation``
    names the aggregator that adds its rows into its subtotal (PEFA's
    weakest-link for one indicator, averaging for another); by default the
    profile's.
    """

    name: str
    zh: str
    group: str
    aliases: tuple[str, ...] = ()
    default_rule: str = ""  # required: the rule a row of this category is scored by unless it names one
    direction: str = "higher"
    doc: str = ""
    aggregation: str | None = None  # how its rows add up to its subtotal; None: the profile's
    reading: Reading = attrs.field(factory=Reading)  # how a target without a sign is read


class _Required:
    """The default of a parameter that has none: the rule cannot work without it."""

    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()


@attrs.frozen
class Param:
    """One parameter of a rule type: its name, a converter that validates it, a default.

    ``convert`` receives the raw TOML value and returns the bound value or
    raises ValueError with a message for the user.
    """

    name: str
    convert: Callable[[Any], Any]
    default: Any = REQUIRED
    doc: str = ""

    @property
    def required(self) -> bool:
        return self.default is REQUIRED


@attrs.frozen
class Observation:
    """What a scorer is given for one project: the parsed actual and its companions."""

    value: Value
    assessed: Decimal | None = None  # the evaluator's own score (qualitative rows)
    extra: Mapping[str, Any] = attrs.field(factory=dict)
    year: int | None = None  # the project's year: a deadline without one (年底前) is read in it


@attrs.frozen
class Outcome:
    """What a scorer returns: the raw score (before capping and rounding) and why.

    ``formula`` is the calculation with values substituted, for the trace;
    ``note_zh``/``note_en`` compare actual and target in a few words;
    ``ratio`` is the achievement ratio when there is one (for the
    over-achievement finding); ``matched`` names a band or tier.

    ``formula_zh``/``formula_en`` are the formula worded in Chinese and in
    English, for a formula that holds words and not only arithmetic ("not met
    → 0" is "未达成 → 0" in Chinese): each language's explanation and trace
    use its own, and ``formula`` where it is empty. A rule that sets only
    ``formula`` keeps working; its words then show in both languages.

    ``findings`` are the rule's own findings on this row (a checklist condition not met):
    each message says what is wrong without naming the row, which the engine prefixes and
    whose id it sets, so the findings of every row read alike.
    """

    score: Decimal
    status: Status
    formula: str
    note_zh: str = ""
    note_en: str = ""
    ratio: Decimal | None = None
    matched: str | None = None
    formula_zh: str = ""
    formula_en: str = ""
    findings: tuple[Finding, ...] = ()

    def formula_in(self, lang: str) -> str:
        """The formula in ``lang`` ("zh" or "en"): its own wording, else ``formula``."""
        return (self.formula_zh if lang == "zh" else self.formula_en) or self.formula


class Scorer(Protocol):
    def __call__(self, observation: Observation, /) -> Outcome: ...


@attrs.frozen
class RuleContext:
    """What a rule type's ``compile`` knows about the indicator it scores."""

    indicator: Indicator
    category: Category
    target: Target | None
    points: Decimal
    profile: Profile
    units: UnitTable
    settings: Callable[[str], Mapping[str, Any]]  # bound parameters of another rule type
    target_text: str = ""  # the target as results show it, e.g. "≥400批次"
    functions: Mapping[str, Any] = attrs.field(factory=dict)  # formula functions by name

    def rule_settings(self, rule: str) -> Mapping[str, Any]:
        """The profile's bound parameters for ``rule`` (its defaults where unset)."""
        return self.settings(rule)


KernelBuilder = Callable[[Mapping[str, Any], RuleContext], "Kernel | None"]
"""``RuleType.kernel``: (bound params, context) → the row's vectorised `evalcore.kernels.Kernel`,
or None when this row is scored by the scorer instead."""


WordKernelBuilder = Callable[[Mapping[str, Any], RuleContext], "WordKernel | None"]
"""``RuleType.word_kernel``: (bound params, context) → the row's `evalcore.kernels.WordKernel`
for a column of words and assessed scores, or None when the scorer scores this row."""


@attrs.frozen
class RuleType:
    """A scoring rule: a name, a parameter schema, and ``compile(params, ctx) → scorer``.

    ``compile`` runs once per indicator when a scheme is compiled; it raises
    ValueError for parameters that do not fit the indicator (the message is
    located by the caller). The scorer it returns runs once per project.
    Parameters are bound in order: the declared defaults, then the profile's
    ``[rules.<name>]`` table, then the indicator's ``params``.
    """

    name: str
    compile: Callable[[Mapping[str, Any], RuleContext], Scorer]
    params: tuple[Param, ...] = ()
    doc: str = ""
    input: str = "value"  # "value": the indicator's actual; "budget": the funds block
    # (the 自评表's execution-rate row); "funds": an indicator row scored from the funds block
    # (资金到位率 = received / planned on a 过程 row), not from an actual value of its own
    # A selecting rule picks another rule by name from the parsed target at compile
    # time (``standard`` picks positive, reverse, ...); its ``compile`` is never called.
    select: Callable[[Target | None, Category], str] | None = None
    # A preset is another rule with some parameters fixed, declared as data ([[rule]] in a
    # plugin's TOML: name, base, params); its ``compile`` is never called either.
    base: str | None = None
    preset: Mapping[str, Any] = attrs.field(factory=dict)
    # Optional: a vectorised kernel for the columnar path (``plan.evaluate_table``), built
    # per row like the scorer; without one that path calls the scorer once per distinct value.
    kernel: KernelBuilder | None = None
    # Optional: how `evalcore.monitor` projects a row's value to date to the year's end (a
    # `evalcore.projection.Projector`); without one, or when it returns None, the default
    # projection (linear for cumulative units, held for rates, dates and words, by the stated
    # status for deadlines and qualitative rows).
    project: Projector | None = None
    # Optional: the same for a column of words (a qualitative rule): looked up per distinct
    # word and assessed score instead of one scorer call per distinct pair.
    word_kernel: WordKernelBuilder | None = None
    # Whether the rule scores a row by the conditions or items its parameters list (a
    # checklist's 评价要点, a deduction's 扣分项) rather than by comparing the actual with the
    # target: such a row's words target only names the standard, and target review
    # (`evalcore review`) does not ask for it to be quantified.
    itemised: bool = False


@attrs.frozen
class Aggregator:
    """How scores add up the tree: ``aggregate(scores, points) → score``."""

    name: str
    aggregate: Callable[[Sequence[Decimal], Sequence[Decimal]], Decimal]
    doc: str = ""
    # True when ``aggregate`` is the plain sum of the scores: the columnar path then adds
    # integers instead of calling it once per project.
    additive: bool = False


@attrs.frozen
class Renderer:
    """An output format: ``render(evaluation, **options) → text`` (or bytes when ``binary``).

    ``options`` is the schema of the keyword options the format takes
    (``evalcore.render(result, "csv", options={"guard": False})``), bound and
    checked like a rule's parameters: an unknown option is an error naming the
    known ones, and a missing one takes its default.
    """

    name: str
    render: Callable[..., str | bytes]
    doc: str = ""
    media_type: str = "text/plain"
    binary: bool = False  # render returns bytes (a workbook): written to a file, never a terminal
    options: tuple[Param, ...] = ()
