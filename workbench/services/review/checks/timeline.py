"""Timeline hygiene (step 3): UTC times, order, a kind on every entry, and silent stretches during response."""

from __future__ import annotations

import re
from datetime import timedelta

from .config import CheckConfig
from .findings import Finding
from .registry import Rule, register_check
from .text import Context

# A TOML datetime written with a non-UTC offset: loaded fine (converted), but the file should say Z.
_TOML_OFFSET_RE = re.compile(r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2})\b")
# Clock times in prose with a zone other than UTC.
_PROSE_ZONE_RE = re.compile(
    r"\b\d{1,2}:\d{2}(:\d{2})?\s*(am|pm)?\s*(PST|PDT|EST|EDT|CST|CDT|MST|MDT|BST|CET|CEST|IST|JST|AEST|AEDT|"
    r"[+-]\d{2}:?\d{2}|local( time)?)\b",
    re.IGNORECASE,
)


@register_check(
    "timeline",
    order=80,
    title="Timeline hygiene",
    why="Step 3: a precise shared timeline, in UTC, with sources.",
    rules=(
        Rule(
            "timeline.kind",
            "warning",
            "Timeline pane (2): press e on the entry and set its Kind.",
        ),
        Rule(
            "timeline.order",
            "info",
            "Timeline pane (2): press shift+up or shift+down to move the entry into time order.",
        ),
        Rule(
            "timeline.gap",
            "warning",
            "Timeline pane (2): press a and add what happened in between, from chat, paging and deploy logs.",
        ),
        Rule(
            "timeline.key-times",
            "info",
            "Timeline pane (2): press T to set the key times from the entries.",
        ),
        Rule(
            "timeline.utc",
            "warning",
            "Review pane (8): press enter on the finding to jump to the text and write the time in UTC with 'Z'.",
        ),
    ),
)
def check(ctx: Context) -> list[Finding]:
    i = ctx.incident
    config: CheckConfig = ctx.config  # type: ignore[assignment]  # Context.config is typed object on purpose
    out: list[Finding] = []
    previous = None
    for index, e in enumerate(i.timeline):
        line = ctx.toml_line(("timeline", index))
        if e.kind is None:
            out.append(
                Finding(
                    "timeline.kind",
                    "warning",
                    f"timeline entry {e.id} has no kind",
                    "Timeline pane (2): press e on the entry and set Kind: trigger, detection, escalation, "
                    "mitigation, resolution, decision, communication or context.",
                    entry=e.id,
                    field=f"timeline[{e.id}].kind",
                    line=line,
                )
            )
        if previous is not None and e.time < previous.time:
            out.append(
                Finding(
                    "timeline.order",
                    "info",
                    f"timeline entry {e.id} ({e.time:%Y-%m-%d %H:%M}Z) is "
                    f"listed after a later entry {previous.id} ({previous.time:%H:%M}Z)",
                    "Keep entries in time order in the file so the diff reads as a timeline.",
                    entry=e.id,
                    field=f"timeline[{e.id}].time",
                    line=line,
                )
            )
        if previous is None or e.time >= previous.time:
            previous = e
    detected, mitigated = i.times.detected, i.times.mitigated
    if detected and mitigated:
        span = timedelta(minutes=config.timeline_gap_minutes)
        window = [e for e in i.sorted_timeline() if detected <= e.time <= mitigated]
        points = [(detected, "detection"), *((e.time, e.id) for e in window), (mitigated, "mitigation")]
        for (t0, a), (t1, b) in zip(points, points[1:], strict=False):
            if t1 - t0 > span:
                hours = (t1 - t0).total_seconds() / 3600
                out.append(
                    Finding(
                        "timeline.gap",
                        "warning",
                        f"{hours:.1f} h with no timeline entry between {a} ({t0:%H:%M}Z) and {b} "
                        f"({t1:%H:%M}Z) during the response (limit {config.timeline_gap_minutes} min)",
                        "Timeline pane (2): press a and add what happened in between from chat, paging and "
                        "deploy records, or an entry marked [DATA GAP] that says what is missing.",
                        entry=b if b.startswith("t-") else None,
                        field="timeline",
                        line=ctx.toml_line(("timeline",)) or ctx.toml_line(("times",)),
                    )
                )
    elif i.timeline and detected is None and any(e.kind == "detection" for e in i.timeline):
        out.append(
            Finding(
                "timeline.key-times",
                "info",
                "the timeline has a detection entry but times.detected is not set",
                "Overview pane (1): press e and set Detected (or T in the Timeline pane, 2, derives it).",
                field="times.detected",
                line=ctx.toml_line(("times",)),
            )
        )
    if ctx.toml_text:
        for number, raw in enumerate(ctx.toml_text.splitlines(), start=1):
            m = _TOML_OFFSET_RE.search(raw)
            if m and m.group(3) not in ("+00:00", "-00:00"):
                out.append(
                    Finding(
                        "timeline.utc",
                        "warning",
                        f"time written with offset {m.group(3)}: {m.group(0)}",
                        "Write times in UTC with 'Z' (the workbench converts them on save).",
                        line=number,
                    )
                )
    for number, masked, raw, heading in ctx.narrative_lines():
        for m in _PROSE_ZONE_RE.finditer(masked):
            out.append(
                Finding(
                    "timeline.utc",
                    "warning",
                    f'time not in UTC: "{raw[m.start() : m.end()]}"',
                    "Give times in UTC (e.g. '14:05 UTC'); local times confuse a shared timeline.",
                    "postmortem.md",
                    heading or None,
                    "",
                    number,
                )
            )
    return out
