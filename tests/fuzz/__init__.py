"""A mutation fuzzer for evalcore's whole pipeline (load → evaluate → render).

Seed documents (the examples and the golden cases) are mutated at two levels,
structure (the parsed TOML mapping) and text (characters and lines of the
file), and every mutant is run through the public API. The oracle
(`fuzz.oracle`) states what must hold for *any* input: only `EvalcoreError`
escapes, scores stay within their points, every format renders, a hostile
caller's decimal context changes nothing, and the same input gives the same
bytes. ``tests/test_fuzz.py`` drives it with Hypothesis; ``make fuzz`` runs it
with a large budget.
"""
