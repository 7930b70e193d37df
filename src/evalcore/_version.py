"""evalcore's version, and the name of the distribution that installs it.

The import package and the command are ``evalcore``; the distribution (what ``pip install``
and a plugin's ``dependencies`` name) is ``evalcore-jixiao``, because ``evalcore`` on the
package index is an unrelated project.
"""

__all__ = ["DISTRIBUTION", "__version__"]

__version__ = "0.1.0"

DISTRIBUTION = "evalcore-jixiao"
