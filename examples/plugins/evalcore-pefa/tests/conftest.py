"""Hypothesis settings for evalcore-pefa's tests: no example database (a run depends only on its
seed, not on failures saved by earlier runs), and no deadline (the first evaluation in a process
builds evalcore's registry, which is slow once)."""

from __future__ import annotations

from hypothesis import settings

settings.register_profile("evalcore-pefa", database=None, deadline=None)
settings.load_profile("evalcore-pefa")
