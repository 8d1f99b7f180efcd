"""The agenda of a synchronous review meeting: the postmortem, section by section, as markdown."""

from __future__ import annotations

from dataclasses import dataclass

from ...domain.model import AI_FACTORS, Incident, severity_label
from ...domain.narrative import SUMMARY_HEADINGS, narrative_summary, same_summary, sections, summary_source

_FIGURES = {
    "users_affected": "Users affected",
    "requests_affected": "Requests affected",
    "p99_latency_delta_ms": "p99 latency delta (ms)",
    "compute_hours_lost": "Compute hours lost",
    "cost_usd": "Cost (USD)",
    "quality_delta": "Quality delta",
}


@dataclass(frozen=True)
class AgendaItem:
    title: str
    markdown: str


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def agenda(incident: Incident, narrative: str) -> list[AgendaItem]:
    i = incident
    parts = {s.heading.casefold(): s for s in sections(narrative) if s.heading}
    items: list[AgendaItem] = []

    summary = [f"**{severity_label(i.severity)}** · {i.kind} · {i.review} review · stage {i.stage}", ""]
    # One executive summary, by the report's rule (domain.narrative.summary_source): the Summary field, or the
    # narrative's summary section when the field is empty or the section holds all of it and more.
    written, _ = narrative_summary(narrative)
    for heading in SUMMARY_HEADINGS:
        parts.pop(heading, None)
    if summary_source(i.summary, narrative) == "summary":
        if i.summary.strip():
            summary += [i.summary.strip(), ""]
        if written and not same_summary(i.summary, written):
            summary += [
                "_The narrative's Executive Summary says something else; the report prints the Summary field "
                "above. Decide here what the one summary says, then fold it into the field (Overview `1`, `e`) "
                "and delete the section (Narrative `6`): the check `summary.conflict` holds the review gate "
                "until then._",
                "",
            ]
    else:
        summary += [written, ""]
    figures = [
        (label, getattr(i.impact, name)) for name, label in _FIGURES.items() if not getattr(i.impact, name).is_empty
    ]
    if figures:
        summary += ["| Impact | Figure | Source |", "|---|---|---|"]
        for label, f in figures:
            value = f"**{f.value:g} {f.unit}**".replace(" **", "**") if f.value is not None else _cell(f.note)
            summary.append(f"| {label} | {value} | {_cell(f.source) or '—'} |")
    items.append(AgendaItem("Executive Summary & Impact", "\n".join(summary).strip()))

    if i.timeline:
        rows = ["| UTC | Kind | Event | Source |", "|---|---|---|---|"]
        for e in i.sorted_timeline():
            marks = " [DATA GAP]" if e.data_gap else ""
            marks += " [ASSUMPTION]" if e.assumption else ""
            rows.append(
                f"| {e.time:%Y-%m-%d %H:%M} | {e.kind or '—'} | {_cell(e.event)}{marks} | "
                f"{_cell(e.source) or '**no source**'} |"
            )
        items.append(AgendaItem("Timeline", "\n".join(rows)))

    for section in list(parts.values()):
        items.append(AgendaItem(section.heading, section.body.strip() or "_(empty)_"))

    if i.causes:
        lines = []
        for c in i.causes:
            status = "confirmed" if c.status == "confirmed" else "*hypothesis*"
            lines.append(f"- **{c.id}** ({c.kind}, {status}): {c.statement}")
        items.append(AgendaItem("Root Causes & Contributing Factors", "\n".join(lines)))

    factors = []
    for name in AI_FACTORS:
        f = getattr(i.ai_factors, name)
        text = f.analysis or (f"_not applicable_: {f.reason}" if f.not_applicable else "**not addressed yet**")
        factors.append(f"- **{name.replace('_', ' ')}**: {text}")
    items.append(AgendaItem("AI-native factors", "\n".join(factors)))

    if i.lessons.went_well or i.lessons.to_improve:
        lines = [
            "**What went well**",
            *(f"- {t}" for t in i.lessons.went_well),
            "",
            "**What could be improved**",
            *(f"- {t}" for t in i.lessons.to_improve),
        ]
        items.append(AgendaItem("Lessons Learned", "\n".join(lines)))

    rows = ["| ID | Action | Owner | Due | Verification |", "|---|---|---|---|---|"]
    for a in i.actions:
        rows.append(
            f"| {a.id} | {_cell(a.action)} | {_cell(a.owner) or '—'} | {a.due or '—'} | "
            f"{_cell(a.verification) or '—'} |"
        )
    items.append(AgendaItem("Action Items", "\n".join(rows) if i.actions else "_No action items yet._"))
    return items


__all__ = ["AgendaItem", "agenda"]
