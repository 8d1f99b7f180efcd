"""The TL;DR (the method's first formatting rule): the summary opens the report with the impact and
the top actions, so a reader who stops there knows what happened, how bad, and what will change."""

from __future__ import annotations

import re

from ....domain.narrative import sections
from .findings import Finding, by_stage, stage_at_least
from .text import mask_quoted

_IMPACT_RE = re.compile(r"\d|\[DATA GAP\]|\[ASSUMPTION\]", re.IGNORECASE)
_MIN_WORDS = 15


def summary_text(incident, narrative: str) -> tuple[str, str]:
    """The executive summary as the report prints it: the summary field, else the narrative section."""
    if incident.summary.strip():
        return incident.summary, "summary"
    for s in sections(narrative):
        if s.heading.casefold() in ("executive summary", "tl;dr", "tldr", "summary"):
            return mask_quoted(s.body).replace("<!--", ""), "postmortem.md"
    return "", "summary"


def check(ctx) -> list[Finding]:
    i = ctx.incident
    if not stage_at_least(i, "synthesis"):
        return []  # the summary is written at synthesis
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
        return []
    fix = ("Overview pane (1): press e and write the Summary: what happened, the impact in numbers, and the "
           "top 3 actions (the report lists them under the summary from the Actions pane, 4; set their priority "
           "with e there).")
    return [Finding("summary.tldr", sev, "the TL;DR lacks " + "; ".join(missing), fix,
                    "incident.toml" if where == "summary" else "postmortem.md", None,
                    "summary" if where == "summary" else "", ctx.toml_line(("summary",)) if where == "summary"
                    else None)]
