"""`python -m workbench ...`: the same as the `workbench` command (git runs the merge driver this way)."""

import sys

from .cli import main

sys.exit(main())
