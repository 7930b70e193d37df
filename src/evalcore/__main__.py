"""``python -m evalcore``: the same as the ``evalcore`` command."""

import sys

from .cli import main

sys.exit(main())
