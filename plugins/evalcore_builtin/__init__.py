"""evalcore's built-in plugins: the national indicator tree, units, rules and profiles.

Each module is a plugin registered through the ``evalcore`` entry-point group,
exactly as a third-party plugin would be. A category module is its TOML under
``indicators/`` plus a few lines; rules that need code live beside it.
"""
