"""evalcore-pefa: the PEFA 2016 framework as an evalcore plugin (an example third-party plugin).

PEFA (Public Expenditure and Financial Accountability, pefa.org) scores a government's public
financial management on 31 indicators in 7 pillars; each indicator's dimensions are scored
A-D by an assessor and combined by the indicator's method, M1 (weakest link) or M2
(averaging). This distribution registers, through the ``evalcore`` entry-point group:

- the 7 pillars as groups and the 31 indicators as categories (``data/framework.toml``);
- the rule ``pefa-dimension`` (a row is a dimension; its actual value is the letter);
- the aggregators ``pefa-m1`` and ``pefa-m2``;
- the profile ``pefa-2016``;
- the output format ``pefa`` (``evalcore evaluate assessment.toml --format pefa``).

See :mod:`evalcore_pefa.scores` for how letters travel as Decimals.
"""

__version__ = "0.1.0"
