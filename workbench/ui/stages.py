"""One word per stage, for the compact forms of the stage bar and the list's Stage column at 80 columns."""

from __future__ import annotations

STAGE_WORD = {
    "scoping": "scoping",
    "data-collection": "data",
    "timeline": "timeline",
    "analysis": "analysis",
    "synthesis": "synthesis",
    "review": "review",
    "tracking": "tracking",
    "closed": "closed",
}


def stage_short(stage: str) -> str:
    """'3 timeline', '✓ closed': the step number and its word."""
    from ..domain.model import STAGES

    return "✓ closed" if stage == "closed" else f"{STAGES.index(stage) + 1} {STAGE_WORD[stage]}"
