"""The TL;DR (the method's first formatting rule): the summary opens the report with the impact and
the top actions, so a reader who stops there knows what happened, how bad, and what will change."""

from __future__ import annotations

import re

from ....domain.model import Incident
from ....domain.narrative import narrative_summary, same_summary, summary_source
from .findings import Finding, by_stage, stage_at_least
from .registry import Rule, register_check
from .text import Context, mask_quoted

_IMPACT_RE = re.compile(r"\d|\[DATA GAP\]|\[ASSUMPTION\]", re.IGNORECASE)
_MIN_WORDS = 15


def summary_text(incident: Incident, narrative: str) -> tuple[str, str]:
    """The executive summary as the report prints it (domain.narrative.summary_source decides which)."""
    if summary_source(incident.summary, narrative) == "summary":
        return incident.summary, "summary"
    return mask_quoted(narrative_summary(narrative)[0]), "postmortem.md"


def conflict(ctx: Context) -> list[Finding]:
    """The report prints one executive summary, the Summary field; a narrative Executive Summary that says
    something else would be left out of it, so the author is asked to merge the two."""
    i = ctx.incident
    section, line = narrative_summary(ctx.narrative)
    if not i.summary.strip() or not section or same_summary(i.summary, section):
        return []
    return [
        Finding(
            "summary.conflict",
            by_stage(i, "review"),
            "two executive summaries that differ: the Summary field and the narrative's Executive Summary section; "
            "the report prints only the Summary field",
            "Overview pane (1): press e and fold what the narrative's Executive Summary adds into the Summary; then in "
            "the Narrative pane (6) delete that section (or make it repeat the Summary) and save with ctrl+s.",
            "postmortem.md",
            None,
            "",
            line,
        )
    ]


@register_check(
    "summary",
    order=100,
    title="TL;DR first",
    why="Formatting rule 1: open with a TL;DR holding the impact and the top 3 actions.",
    rules=(
        Rule(
            "summary.tldr",
            "error",
            "Overview pane (1): press e and write the Summary: what happened, the impact in numbers, the top 3 actions.",
        ),
        Rule(
            "summary.conflict",
            "error",
            "Overview pane (1): press e and fold what the narrative's Executive Summary adds into the Summary, then drop that section in the Narrative pane (6).",
        ),
    ),
)
def check(ctx: Context) -> list[Finding]:
    i = ctx.incident
    found = conflict(ctx)
    if not stage_at_least(i, "synthesis"):
        return found  # the summary is written at synthesis
    sev = by_stage(i, "review")
    text, where = summary_text(i, ctx.narrative)
    missing = []
    words = len(re.findall(r"[A-Za-z0-9]+", text))
    if words < _MIN_WORDS:
        missing.append(f"it has {words} words; 2–4 sentences are expected")
    if not _IMPACT_RE.search(text):
        missing.append("no impact figure (a number, or [DATA GAP] saying what would give it)")
    open_actions = [a for a in i.actions if a.status != "wont-do"]
    if not open_actions:
        missing.append("no action items to list as the top actions")
    if not missing:
        return found
    fix = (
        "Overview pane (1): press e and write the Summary: what happened, the impact in numbers, and the "
        "top 3 actions (the report lists them under the summary from the Actions pane, 4; set their priority "
        "with e there)."
    )
    return [
        *found,
        Finding(
            "summary.tldr",
            sev,
            "the TL;DR lacks " + "; ".join(missing),
            fix,
            "incident.toml" if where == "summary" else "postmortem.md",
            None,
            "summary" if where == "summary" else "",
            ctx.toml_line(("summary",)) if where == "summary" else None,
        ),
    ]
