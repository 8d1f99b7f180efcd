"""The method's fixed lists of names, without pydantic: light enough for the search path and the CLI
(`workbench search` parses `stage:` and `status:` filters without loading the models).
`model.py` uses these same tuples; its Literal types must list the same names (a test checks)."""

from __future__ import annotations

STAGES: tuple[str, ...] = (
    "scoping",
    "data-collection",
    "timeline",
    "analysis",
    "synthesis",
    "review",
    "tracking",
    "closed",
)
ACTION_STATUSES: tuple[str, ...] = ("open", "in-progress", "done", "verified", "wont-do")
