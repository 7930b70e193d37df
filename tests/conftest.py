"""Shared fixtures: the registry of the installed plugins, and projects from TOML text."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

import evalcore
from evalcore.build import build_project
from evalcore.loading import load_text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

# Fast by default; CI=true runs the same properties with more examples.
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("ci", max_examples=200, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(scope="session")
def registry() -> evalcore.Registry:
    return evalcore.default_registry()


@pytest.fixture
def project_text(registry: evalcore.Registry):
    """Build a Project from TOML text (an inline project file)."""

    def build(text: str, file: str = "project.toml") -> evalcore.Project:
        return build_project(load_text(text, file), registry)

    return build
