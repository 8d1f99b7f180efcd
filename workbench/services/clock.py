"""Today's date, overridable so that scheduled jobs and tests can ask "what is due on DATE?".

Order: an explicit value (the CLI's hidden `--today`), then $WORKBENCH_TODAY, then the local date.
"""

from __future__ import annotations

import os
from datetime import date

from ..store import StoreError


def today(override: str | None = None) -> date:
    value = override or os.environ.get("WORKBENCH_TODAY", "").strip()
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        source = "--today" if override else "WORKBENCH_TODAY"
        raise StoreError(f"{source}={value!r} is not a date like 2026-01-15") from None
