"""What evalcore-pefa registers: the framework's shape, each indicator's method, the profile."""

from __future__ import annotations

from decimal import Decimal

import evalcore

from evalcore_pefa._data import dimensions

# Each indicator's method as its page in the PEFA 2016 Framework / Fieldguide states it (the
# sources are cited in data/framework.toml); single-dimension indicators use pefa-m1.
M1 = {2, 18, 20, 22, 23, 26, 28, 29, 30}
SINGLE = {1, 4, 5, 9}


def test_the_framework_has_7_pillars_31_indicators_and_94_dimensions() -> None:
    reg = evalcore.default_registry()
    pillars = [name for name, e in reg.groups.items() if e.plugin == "pefa"]
    indicators = [name for name, e in reg.categories.items() if e.plugin == "pefa"]
    assert len(pillars) == 7 and len(indicators) == 31
    assert sum(len(d) for d in dimensions().values()) == 94
    assert set(dimensions()) == set(indicators)


def test_every_indicator_adds_up_by_its_official_method() -> None:
    reg = evalcore.default_registry()
    for n in range(1, 32):
        category = reg.category(f"PI-{n}")
        expected = "pefa-m1" if n in M1 | SINGLE else "pefa-m2"
        assert category.aggregation == expected, category.name
        assert (len(dimensions()[category.name]) == 1) == (n in SINGLE)
        assert category.default_rule == "pefa-dimension"


def test_the_profile_scores_dimensions_without_grades_reasons_or_bonuses() -> None:
    profile = evalcore.default_registry().profile("pefa-2016")
    assert profile.total == Decimal(376)  # 94 dimensions × 4 points
    assert [g.name for g in profile.grades] == ["not graded"]
    assert profile.aggregation == "sum"
    assert profile.reason_required is False and profile.overachievement is None
