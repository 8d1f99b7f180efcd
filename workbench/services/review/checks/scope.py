"""Scope discipline (hard rule 11): a light review for minor issues, and every canonical section for a full one."""

from __future__ import annotations

import re

from ....domain.narrative import CANONICAL_SECTIONS, LIGHT_SECTIONS, narrative_summary, sections
from .findings import Finding, by_stage, stage_at_least
from .registry import Rule, register_check
from .text import Context, mask_quoted


def recommends_light(severity: str | None, kind: str) -> str | None:
    """Why a light review is enough, or None when a full postmortem is warranted."""
    if kind == "near-miss" and severity == "P2":
        return "a P2 near-miss: no customer impact, and the lesson fits a light review"
    if severity == "P2":
        return "P2: limited impact; a light review captures the lesson at a fraction of the cost"
    return None


def required_sections(review: str) -> tuple[str, ...]:
    return LIGHT_SECTIONS if review == "light" else CANONICAL_SECTIONS


def _written(body: str) -> bool:
    """Has prose beyond template hints (HTML comments) and blank lines."""
    return bool(re.sub(r"\s+", "", mask_quoted(body).replace("<!--", "")) or re.search(r"^\s*>", body, re.M))


@register_check(
    "scope",
    order=110,
    title="Scope discipline",
    why=(
        "Hard rule 11 and the canonical template: light review for minor issues, every section for a full postmortem."
    ),
    rules=(
        Rule(
            "scope.light-review",
            "warning",
            "Overview pane (1): press e and set Review to what the severity needs.",
        ),
        Rule(
            "scope.section",
            "error",
            "Narrative pane (6): write the missing section (the template hint says what it holds), then press ctrl+s to save.",
        ),
        Rule(
            "scope.severity",
            "warning",
            "Overview pane (1): press e and set the Severity (P0, P1 or P2) from the impact.",
        ),
    ),
)
def check(ctx: Context) -> list[Finding]:
    i = ctx.incident
    out: list[Finding] = []
    if i.severity is None:
        out.append(
            Finding(
                "scope.severity",
                "warning",
                "[DATA GAP] no severity is set (the source stated none)",
                "Decide the severity in scoping (P0, P1 or P2) from the impact; an import never guesses it.",
                field="severity",
                line=ctx.toml_line(("severity",)),
            )
        )
    reason = recommends_light(i.severity, i.kind)
    if reason and i.review == "full":
        out.append(
            Finding(
                "scope.light-review",
                "info",
                f"a light review is recommended: {reason}",
                "Overview pane (1): press e and set Review to light review (fewer sections: Executive "
                "Summary and Technical Analysis), or keep the full postmortem if the lesson is broad.",
                field="review",
                line=ctx.toml_line(("review",)) or ctx.toml_line(("severity",)),
            )
        )
    if i.review == "light" and i.severity in ("P0", "P1"):
        out.append(
            Finding(
                "scope.light-review",
                "warning",
                f"{i.severity} with a light review",
                "A P0/P1 needs the full postmortem: Overview pane (1), press e and set Review to full postmortem.",
                field="review",
                line=ctx.toml_line(("review",)),
            )
        )
    if not stage_at_least(i, "synthesis"):
        return out  # sections are written during synthesis
    present = {s.heading.casefold(): s for s in sections(ctx.narrative)}
    sev = by_stage(i, "review")
    for name in required_sections(i.review):
        section = present.get(name.casefold())
        if name == "Executive Summary" and (i.summary.strip() or narrative_summary(ctx.narrative)[0]):
            continue  # the report's one summary: the Summary field, or the narrative's section (tldr.py)
        if name == "Executive Summary" and section is None:
            out.append(
                Finding(
                    "scope.section",
                    sev,
                    f"the {i.review} postmortem has no Executive Summary",
                    "Overview pane (1): press e and write the Summary (2–4 sentences: what happened, the "
                    "impact in numbers, the top actions).",
                    field="summary",
                    line=None,
                )
            )
            continue
        if section is None:
            out.append(
                Finding(
                    "scope.section",
                    sev,
                    f"the {i.review} postmortem has no '{name}' section",
                    f"Narrative pane (6): add a '## {name}' section and save with ctrl+s.",
                    "postmortem.md",
                    name,
                    "",
                    None,
                )
            )
        elif not _written(section.body):
            out.append(
                Finding(
                    "scope.section",
                    sev,
                    f"section '{name}' is empty",
                    f"Narrative pane (6): write the {name} (the template hint says what it holds); ctrl+s saves.",
                    "postmortem.md",
                    name,
                    "",
                    section.line,
                )
            )
    if i.review == "full":
        structured = {
            "timeline": (bool(i.timeline), "Timeline pane (2): press a to add an entry"),
            "causes (Root Causes & Contributing Factors)": (bool(i.causes), "Causes pane (3): press a to add a cause"),
            "actions (Action Items)": (bool(i.actions), "Actions pane (4): press a to add an action"),
            "lessons (What went well / What could be improved)": (
                bool(i.lessons.went_well and i.lessons.to_improve),
                "Overview pane (1): press l (lessons) and write at least one of each",
            ),
        }
        for name, (ok, where) in structured.items():
            if not ok:
                out.append(
                    Finding(
                        "scope.section",
                        sev,
                        f"the full postmortem has no {name}",
                        f"{where}; the report renders it from there.",
                        field=name.split()[0],
                        line=None,
                    )
                )
    return out
