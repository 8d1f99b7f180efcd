"""Never fabricate (hard rule 1): unsourced claims, the inventory of [DATA GAP]/[ASSUMPTION], and hypotheses."""

from __future__ import annotations

import re

from ....domain.model import Impact
from .findings import Finding, by_stage
from .registry import Rule, register_check
from .text import Context

MARKER_RE = re.compile(r"\[(DATA GAP|ASSUMPTION)\]", re.IGNORECASE)
# Italics mark working hypotheses in the method's style rules: *text* or _text_, not **bold**.
_ITALIC_RE = re.compile(r"(?<![*\w])\*(?!\*)([^*\n]+?)(?<!\s)\*(?!\*)|(?<![_\w])_(?!_)([^_\n]+?)(?<!\s)_(?![_\w])")
_MIN_CLOSE_WORDS = 3
_CLOSING_CUE_RE = re.compile(
    r"\b(need(s|ed)?|would (give|show|settle|close|confirm)|requires?|ask(ed)? (for|the)|"
    r"pending|awaiting|until|once|close[sd]? (it|by|when))\b",
    re.IGNORECASE,
)


def _marker_says_what_closes_it(text: str, start: int, end: int) -> bool:
    """A marker is followed by what is missing and what would close it, or its sentence says so."""
    after = re.split(r"(?<=[.!?])\s|\n", text[end:], maxsplit=1)[0]
    before = re.split(r"(?<=[.!?])\s|\n", text[:start])[-1]
    if len(re.findall(r"[A-Za-z0-9]+", MARKER_RE.sub("", after))) >= _MIN_CLOSE_WORDS:
        return True
    return bool(_CLOSING_CUE_RE.search(before + " " + after))


@register_check(
    "sources",
    order=20,
    title="Never fabricate",
    why="Hard rule 1: every claim has a source, or is marked [DATA GAP]/[ASSUMPTION] with what would close it.",
    rules=(
        Rule(
            "sources.timeline",
            "error",
            "Timeline pane (2): press e on the entry and fill in Source, or tick [DATA GAP] / [ASSUMPTION] and say what would close it.",
        ),
        Rule(
            "sources.figure",
            "error",
            "Overview pane (1): press i and fill in the figure's source: the query, dashboard, bill or eval run.",
        ),
        Rule(
            "sources.inventory",
            "info",
            "Review pane (8): press enter on the finding to jump to the text and close the marker with a source when the evidence arrives.",
        ),
        Rule(
            "sources.marker-unexplained",
            "warning",
            "Review pane (8): press enter on the finding to jump to the text and say after the marker what is missing and what would close it.",
        ),
        Rule(
            "sources.hypothesis",
            "info",
            "Causes pane (3): press l to link the evidence that confirms it and h to confirm it, or keep it a hypothesis in the report.",
        ),
    ),
)
def check(ctx: Context) -> list[Finding]:
    i = ctx.incident
    out: list[Finding] = []
    sev = by_stage(i, "synthesis")

    for index, e in enumerate(i.timeline):
        line = ctx.toml_line(("timeline", index))
        if e.data_gap or e.assumption:
            label = "[DATA GAP]" if e.data_gap else "[ASSUMPTION]"
            out.append(
                Finding(
                    "sources.inventory",
                    "info",
                    f"{label} timeline entry: {e.event[:80]}",
                    "Close it with a source (a log line, trace, commit, chat or page record) or keep "
                    "the marker in the report.",
                    entry=e.id,
                    field=f"timeline[{e.id}]",
                    line=line,
                )
            )
        elif not e.source.strip():
            out.append(
                Finding(
                    "sources.timeline",
                    sev,
                    f"timeline entry {e.id} has no source",
                    "Timeline pane (2): press e on the entry and fill in Source (log, trace, commit, dashboard, "
                    "chat or page record), or tick [DATA GAP] / [ASSUMPTION] and say what would close it.",
                    entry=e.id,
                    field=f"timeline[{e.id}].source",
                    line=line,
                )
            )

    for name in Impact.FIGURES:
        figure = getattr(i.impact, name)
        if figure.value is not None and not figure.source.strip():
            marked = MARKER_RE.search(figure.note or "")
            out.append(
                Finding(
                    "sources.figure",
                    "info" if marked else sev,
                    f"impact figure {name} = {figure.value:g} {figure.unit} has no source".replace("  ", " "),
                    "Overview pane (1): press i and fill in its source: the query, dashboard, bill or eval run.",
                    field=f"impact.{name}.source",
                    line=ctx.toml_line(("impact", name)),
                )
            )
    for name in ("safety_exposure", "trust_exposure"):
        exposure = getattr(i.impact, name)
        if exposure.text.strip() and not exposure.source.strip() and not MARKER_RE.search(exposure.text):
            out.append(
                Finding(
                    "sources.figure",
                    "warning",
                    f"impact {name} has no source",
                    "Overview pane (1): press i and name the evidence (reports, audit, transcripts) or mark it [ASSUMPTION].",
                    field=f"impact.{name}.source",
                    line=ctx.toml_line(("impact", name)),
                )
            )

    # The inventory: every marker in the text. What would close it is said beside the marker, or in a
    # [[gaps]] entry of the same kind (the structured home for "what would close it").
    closable = {g.kind for g in i.gaps if g.closes_by.strip() or g.status == "closed"}
    for span in ctx.all_spans():
        if span.file == "incident.toml" and span.field.startswith("gaps["):
            continue  # gap entries are listed below, with their closes_by
        for m in MARKER_RE.finditer(span.text):
            label = m.group(1).upper()
            where = span.field or (f"section '{span.entry}'" if span.entry else "narrative")
            said = _marker_says_what_closes_it(span.text, m.start(), m.end())
            if said or ("data-gap" if label == "DATA GAP" else "assumption") in closable:
                out.append(
                    Finding(
                        "sources.inventory",
                        "info",
                        f"[{label}] in {where}: {span.raw.strip()[:100]}",
                        "Close it when the evidence arrives."
                        if said
                        else "What would close it is recorded in the gaps list.",
                        span.file,
                        span.entry,
                        span.field,
                        span.line_at(m.start()),
                    )
                )
            else:
                out.append(
                    Finding(
                        "sources.marker-unexplained",
                        "warning",
                        f"[{label}] in {where} does not say what is missing or what would close it",
                        "Follow the marker with what is needed, e.g. '[DATA GAP] gateway logs before "
                        "14:00 UTC were rotated; ask the platform team for the archive', or add a gap "
                        "entry with closes_by.",
                        span.file,
                        span.entry,
                        span.field,
                        span.line_at(m.start()),
                    )
                )

    for index, g in enumerate(i.gaps):
        label = "[DATA GAP]" if g.kind == "data-gap" else "[ASSUMPTION]"
        line = ctx.toml_line(("gaps", index))
        if g.status == "open" and not g.closes_by.strip():
            out.append(
                Finding(
                    "sources.marker-unexplained",
                    "warning",
                    f"{label} {g.id} does not say what would close it",
                    "Fill in closes_by: the data, person or experiment that would settle it.",
                    entry=g.id,
                    field=f"gaps[{g.id}].closes_by",
                    line=line,
                )
            )
        else:
            state = "closed" if g.status == "closed" else f"closes by: {g.closes_by.strip()[:80]}"
            out.append(
                Finding(
                    "sources.inventory",
                    "info",
                    f"{label} {g.id} ({g.status}): {g.text[:80]} — {state}",
                    "",
                    entry=g.id,
                    field=f"gaps[{g.id}]",
                    line=line,
                )
            )

    for index, c in enumerate(i.causes):
        if c.status == "hypothesis":
            out.append(
                Finding(
                    "sources.hypothesis",
                    "info",
                    f"hypothesis {c.id} ({c.kind}): {c.statement[:100]}",
                    "Confirm it with evidence (link timeline entries) or keep it marked as a hypothesis in the report.",
                    entry=c.id,
                    field=f"causes[{c.id}].status",
                    line=ctx.toml_line(("causes", index)),
                )
            )
    for number, masked, _raw, heading in ctx.narrative_lines():
        for m in _ITALIC_RE.finditer(masked):
            text = m.group(1) or m.group(2)
            if len(text.split()) < 3:
                continue  # a word in italics for emphasis, not a claim
            out.append(
                Finding(
                    "sources.hypothesis",
                    "info",
                    f"working hypothesis (italics): {text[:100]}",
                    "Confirm it with evidence or keep it in italics as a hypothesis.",
                    "postmortem.md",
                    heading or None,
                    "",
                    number,
                )
            )
    return out
