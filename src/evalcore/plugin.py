"""The plugin author's API: everything a plugin may rely on, in one module.

A plugin (a category, a scoring rule, a profile, an aggregator, an output
format) imports from here and from `evalcore` only; every other module of
the package is the engine's own business and may change in any release. The
built-in plugins (`evalcore_builtin`) and the example PEFA distribution keep
to this rule, and a test walks their imports to hold them to it.

What is here, by what a plugin does with it:

- **register**: `hookimpl`, and what the hooks return: `Group`, `Category`,
  `RuleType` with its `Param` schema (converters `boolean`, `choice`,
  `decimal`, `integer`, `mapping`, `positive`, `text`, `text_list`),
  `Aggregator`, `Renderer`, `Unit`, `Function` (formula functions),
  `ProfileSource` (a profile's name and table; the registry resolves it into
  a `Profile`); `Definitions` and `load_definitions` read groups, categories,
  units, profiles and rule presets from a plugin's TOML.
- **score**: a rule's `compile(params, RuleContext) -> Scorer`; the scorer
  takes an `Observation` and returns an `Outcome` with a `Status`. The helpers
  `actual_number`, `extra_number`, `numeric_target`, `met`, `partial`,
  `outcome` and `notes` give every rule the same notes, statuses and units;
  `with_numbers` (a `NumbersFirst` scorer, statuses by `partial_status`) adds
  an optional numbers-only path that evalcore scores with, building the words
  only when they are read;
  `Target`, `Quantity`, `Value`, `Comparator` and `UnitTable` are the parsed
  forms; `compile_formula` is the safe formula language.
- **kernels** (optional, for the columnar path ``plan.evaluate_table``): a rule's
  ``RuleType.kernel`` (a `KernelBuilder`) returns a `Kernel` that scores a whole column:
  `KernelInput` in, `KernelOutput` out, exact int64 arithmetic (`product`,
  `scaled_integer`, `INT64_MAX`, `NUMBER_LIMIT`, `KERNEL_STATUSES`); a qualitative rule's
  ``RuleType.word_kernel`` (a `WordKernelBuilder`) returns a `WordKernel`: `WordInput` in
  (its distinct words and the assessed scores), the same `KernelOutput` out.
- **numbers**: `to_decimal`, `round_half_up`, `format_decimal`,
  `format_percent`, `format_approx`, `format_score`, `in_context` (evalcore's decimal
  context), and the constants `ZERO`, `ONE` and `HUNDRED`; all arithmetic in a plugin
  should be `Decimal`.
- **render**: `Evaluation` and its `Row`, `BudgetRow` (both `Scored`: points, score,
  status, explanations, trace), `Funds` (the 项目资金 block, scored or not; the form reads
  it through `Evaluation.funds_block`), `Subtotal`, `Finding` and `Trace`; `visible`,
  `terminal_text` and `json_safe` make a stranger's text safe to show.
- **review** (绩效目标审核): `ReviewCheck` (what ``evalcore_review_checks`` returns), the
  `ReviewSubject` and `ReviewRow` a check reads, the `ReviewFinding` it returns, and
  `REGULATION`, the ``source`` of a check the national rules ask for.
- **fail well**: `Problem` and `Origin` (a located message), `suggest` ("did
  you mean"), `quote` and `shorten` (a value in a message), and the errors:
  raise `ValueError` from a rule's compile or scorer for the user's mistake
  (evalcore locates it), `HintedError` when it comes with a suggestion (its
  ``hint``; `hint_of` reads it from any error), `PluginError` for a plugin's
  own, `EvaluationError` from an aggregator or renderer that cannot go on; a
  registry look-up of a name nothing registered raises `UnknownNameError`
  (a KeyError with ``kind``, ``name``, ``known``, ``suggestion`` and ``hint``).
"""

from __future__ import annotations

from .definitions import Definitions, load_definitions
from .errors import (
    EvalcoreError,
    EvaluationError,
    HintedError,
    LoadError,
    Origin,
    PluginError,
    Problem,
    UnknownNameError,
    ValidationError,
    hint_of,
    nearest,
    quote,
    shorten,
    suggest,
)
from .formula import FormulaError, FormulaEvaluationError, Function, compile_formula
from .hookspecs import hookimpl
from .kernels import (
    INT64_MAX,
    KERNEL_STATUSES,
    NUMBER_LIMIT,
    Kernel,
    KernelInput,
    KernelOutput,
    WordInput,
    WordKernel,
    product,
    scaled_integer,
)
from .loading import Document, load_file
from .model import BUDGET_ID, Actual, Budget, Indicator, Project, Scheme
from .numbers import (
    HUNDRED,
    ONE,
    ZERO,
    format_approx,
    format_decimal,
    format_percent,
    format_score,
    in_context,
    round_half_up,
    to_decimal,
)
from .params import boolean, choice, decimal, integer, mapping, positive, text, text_list
from .profile import Grade, Profile, ProfileSource
from .projection import Projected, Projection, Projector
from .quantities import Comparator, Quantity, Target, Value
from .reading import Reading
from .registrations import (
    Aggregator,
    Category,
    Group,
    KernelBuilder,
    Observation,
    Outcome,
    Param,
    Renderer,
    RuleContext,
    RuleType,
    Scorer,
    WordKernelBuilder,
)
from .registry import Registry
from .results import BudgetRow, Evaluation, Finding, Funds, Row, Scored, Status, Subtotal, Trace
from .review_model import REGULATION, ReviewCheck, ReviewFinding, ReviewRow, ReviewSubject
from .safetext import json_safe, terminal_text, visible
from .scoring import (
    NumbersFirst,
    actual_number,
    extra_number,
    met,
    notes,
    numeric_target,
    outcome,
    partial,
    partial_status,
    with_numbers,
)
from .units import Unit, UnitTable

__all__ = [
    "BUDGET_ID",
    "HUNDRED",
    "INT64_MAX",
    "KERNEL_STATUSES",
    "NUMBER_LIMIT",
    "ONE",
    "REGULATION",
    "ZERO",
    "Actual",
    "Aggregator",
    "Budget",
    "BudgetRow",
    "Category",
    "Comparator",
    "Definitions",
    "Document",
    "EvalcoreError",
    "Evaluation",
    "EvaluationError",
    "Finding",
    "FormulaError",
    "FormulaEvaluationError",
    "Function",
    "Funds",
    "Grade",
    "Group",
    "HintedError",
    "Indicator",
    "Kernel",
    "KernelBuilder",
    "KernelInput",
    "KernelOutput",
    "LoadError",
    "NumbersFirst",
    "Observation",
    "Origin",
    "Outcome",
    "Param",
    "PluginError",
    "Problem",
    "Profile",
    "ProfileSource",
    "Project",
    "Projected",
    "Projection",
    "Projector",
    "Quantity",
    "Reading",
    "Registry",
    "Renderer",
    "ReviewCheck",
    "ReviewFinding",
    "ReviewRow",
    "ReviewSubject",
    "Row",
    "RuleContext",
    "RuleType",
    "Scheme",
    "Scored",
    "Scorer",
    "Status",
    "Subtotal",
    "Target",
    "Trace",
    "Unit",
    "UnitTable",
    "UnknownNameError",
    "ValidationError",
    "Value",
    "WordInput",
    "WordKernel",
    "WordKernelBuilder",
    "actual_number",
    "boolean",
    "choice",
    "compile_formula",
    "decimal",
    "extra_number",
    "format_approx",
    "format_decimal",
    "format_percent",
    "format_score",
    "hint_of",
    "hookimpl",
    "in_context",
    "integer",
    "json_safe",
    "load_definitions",
    "load_file",
    "mapping",
    "met",
    "nearest",
    "notes",
    "numeric_target",
    "outcome",
    "partial",
    "partial_status",
    "positive",
    "product",
    "quote",
    "round_half_up",
    "scaled_integer",
    "shorten",
    "suggest",
    "terminal_text",
    "text",
    "text_list",
    "to_decimal",
    "visible",
    "with_numbers",
]
