"""The profiles under ``indicators/profiles/``: national-2020 and its variants."""

from __future__ import annotations

from evalcore.plugin import ProfileSource, hookimpl

from ._data import definitions, indicators_dir


@hookimpl
def evalcore_profiles() -> list[ProfileSource]:
    names = sorted(p.stem for p in (indicators_dir() / "profiles").glob("*.toml"))
    return [profile for name in names for profile in definitions(f"profiles/{name}").profiles]
