"""Quantify impact (hard rule 5): which figures a severity requires, and figures given only in words."""

from __future__ import annotations

import re

from ....domain.model import Impact
from .findings import Finding, by_stage
from .registry import Rule, register_check
from .sources import MARKER_RE
from .text import Context

# Any one of these answers "business / compute / quality impact" in the canonical template.
BUSINESS_COMPUTE_QUALITY = (
    "requests_affected",
    "p99_latency_delta_ms",
    "compute_hours_lost",
    "cost_usd",
    "quality_delta",
)
# "Not applicable: no requests were served" says why there is no number, which the model allows.
_NOT_APPLICABLE_RE = re.compile(r"^\s*(not applicable|n/a)\b\W*(\w+\W+){3,}", re.IGNORECASE)
# Quantities in words where a number belongs.
_WORDY_RE = re.compile(
    r"\b(many|several|some|a (large|small|significant|huge) (number|amount|portion|share) of|a lot of|lots of|"
    r"numerous|countless|a few|a handful of|most|majority of)\s+(users|customers|requests|tenants|queries|"
    r"sessions|conversations|calls|dollars|gpu[- ]hours|hours|jobs|runs)\b"
    r"|\b(significant|substantial|major|minor|noticeable|massive|huge|severe|considerable)\s+(impact|cost|"
    r"degradation|latency|loss|drop|increase|spike|outage|waste)\b",
    re.IGNORECASE,
)


def _present(impact: Impact, name: str) -> bool:
    figure = getattr(impact, name)
    return figure.value is not None or bool(MARKER_RE.search(figure.note))


@register_check(
    "impact",
    order=30,
    title="Quantify impact",
    why="Hard rule 5: users affected, latency, compute, cost, quality, in numbers.",
    rules=(
        Rule(
            "impact.required",
            "error",
            "Overview pane (1): press i and give the users affected and a business, compute or quality figure, each with its source.",
        ),
        Rule(
            "impact.words-only",
            "warning",
            "Overview pane (1): press i and give a number (a range is fine), or [DATA GAP] with what would give it.",
        ),
    ),
)
def check(ctx: Context) -> list[Finding]:
    i = ctx.incident
    out: list[Finding] = []
    sev = by_stage(i, "synthesis")
    if i.severity in ("P0", "P1"):
        if not _present(i.impact, "users_affected"):
            out.append(
                Finding(
                    "impact.required",
                    sev,
                    f"{i.severity} needs the number of users affected",
                    "Overview pane (1): press i and give Users affected (with its source), or a note with "
                    "[DATA GAP] saying what would give the number.",
                    field="impact.users_affected",
                    line=ctx.toml_line(("impact",)),
                )
            )
        if not any(_present(i.impact, n) for n in BUSINESS_COMPUTE_QUALITY):
            out.append(
                Finding(
                    "impact.required",
                    sev,
                    f"{i.severity} needs a business, compute or quality figure",
                    "Overview pane (1): press i and give one of: requests affected, p99 latency delta, "
                    "compute hours lost, cost (USD), quality delta — with its source.",
                    field="impact",
                    line=ctx.toml_line(("impact",)),
                )
            )
    for name in Impact.FIGURES:
        figure = getattr(i.impact, name)
        if (
            figure.value is None
            and figure.note.strip()
            and not MARKER_RE.search(figure.note)
            and not _NOT_APPLICABLE_RE.match(figure.note)
        ):
            out.append(
                Finding(
                    "impact.words-only",
                    "warning",
                    f'impact {name} is given only in words: "{figure.note.strip()[:80]}"',
                    "Give a number (a range is fine), or add [DATA GAP] with what would give the number.",
                    field=f"impact.{name}",
                    line=ctx.toml_line(("impact", name)),
                )
            )
    for span in ctx.all_spans():
        if span.file == "incident.toml" and not span.field.startswith(("impact", "summary")):
            continue
        heading = (span.entry or "").casefold()
        if span.file == "postmortem.md" and "summary" not in heading and "impact" not in heading:
            continue  # 'most requests hit the cache' in the analysis is not an impact claim
        for m in _WORDY_RE.finditer(span.text):
            out.append(
                Finding(
                    "impact.words-only",
                    "warning",
                    f'impact in words: "{span.raw[m.start() : m.end()]}"',
                    "Replace with the figure (e.g. '**12,400 users**, 3.1% of weekly actives') or mark "
                    "[DATA GAP] with what would give it.",
                    span.file,
                    span.entry,
                    span.field,
                    span.line_at(m.start()),
                )
            )
    return out
