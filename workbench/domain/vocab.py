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
STAGE_LABELS: dict[str, str] = {
    "scoping": "1 Scoping & safety",
    "data-collection": "2 Data collection",
    "timeline": "3 Timeline construction",
    "analysis": "4 Multi-lens analysis",
    "synthesis": "5 Synthesis & report",
    "review": "6 Review & refine",
    "tracking": "7 Close & track",
    "closed": "Closed",
}
NO_SEVERITY = "not set"  # how an absent severity reads wherever one is shown


def severity_label(value: str | None) -> str:
    """The severity as shown in lists and reports: 'P1', or 'not set' when the source stated none."""
    return value or NO_SEVERITY


ACTION_STATUSES: tuple[str, ...] = ("open", "in-progress", "done", "verified", "wont-do")
