"""An incident as readable plain text, for `workbench show`."""

from __future__ import annotations

from datetime import datetime

from ..domain.model import (
    LENS_LABELS,
    STAGE_LABELS,
    Impact,
    Incident,
    durations,
    format_minutes,
    severity_label,
)


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "—"


def render_incident(incident: Incident, narrative: str = "") -> str:
    i = incident
    lines = [f"{i.title}", "=" * min(len(i.title), 100), ""]
    lines += [
        f"id          {i.id}",
        f"severity    {severity_label(i.severity)}   kind {i.kind}   review {i.review}",
        f"stage       {STAGE_LABELS[i.stage]}",
        f"commander   {i.commander or '—'}   lead {i.lead or '—'}",
        f"started     {_when(i.times.started)}",
        f"detected    {_when(i.times.detected)}",
        f"mitigated   {_when(i.times.mitigated)}",
        f"resolved    {_when(i.times.resolved)}",
    ]
    d = durations(i)
    lines.append(
        f"durations   detect {format_minutes(d.to_detect)}   mitigate {format_minutes(d.to_mitigate)}   "
        f"resolve {format_minutes(d.to_resolve)}"
    )
    if i.systems:
        lines.append(f"systems     {', '.join(i.systems)}")
    if i.models:
        lines.append(f"models      {', '.join(i.models)}")
    if i.tags:
        lines.append(f"tags        {', '.join(i.tags)}")
    if i.taxonomy:
        lines.append(f"taxonomy    {', '.join(i.taxonomy)}")
    if i.summary:
        lines += ["", "Summary", "-------", i.summary]
    impact = [(name, getattr(i.impact, name)) for name in Impact.FIGURES]
    impact_lines = []
    for name, fig in impact:
        if fig.is_empty:
            continue
        value = "" if fig.value is None else f"{fig.value:g} {fig.unit}".strip()
        impact_lines.append(f"  {name.replace('_', ' ')}: {value} {fig.note}".rstrip())
    if impact_lines:
        lines += ["", "Impact", "------", *impact_lines]
    if i.timeline:
        lines += ["", "Timeline (UTC)", "--------------"]
        for e in i.sorted_timeline():
            marks = "".join(
                [
                    " [DATA GAP]" if e.data_gap else "",
                    " [ASSUMPTION]" if e.assumption else "",
                    "" if e.source else " [NO SOURCE]",
                ]
            )
            lines.append(f"  {e.time:%Y-%m-%d %H:%M}  {e.kind or '-':<13} {e.event}{marks}")
            if e.source:
                lines.append(f"  {'':16}  {'':13} source: {e.source}")
    if i.causes:
        lines += ["", "Causes", "------"]
        depth = _depths(i)
        for c in i.causes:
            status = "hypothesis" if c.status == "hypothesis" else "confirmed"
            lens = f", {LENS_LABELS[c.lens]}" if c.lens else ""
            lines.append(f"  {'  ' * depth[c.id]}{c.id} [{c.kind}, {status}{lens}] {c.statement}")
    if i.actions:
        lines += ["", "Actions", "-------"]
        for a in i.actions:
            lines.append(f"  {a.id} [{a.status}, {a.priority}] {a.action} — owner {a.owner or '—'}, due {a.due or '—'}")
    if narrative.strip():
        lines += ["", "Narrative", "---------", narrative.rstrip()]
    return "\n".join(lines) + "\n"


def _depths(incident: Incident) -> dict[str, int]:
    parent = {c.id: c.parent for c in incident.causes}
    out = {}
    for cid in parent:
        depth, node = 0, parent[cid]
        while node is not None and depth < 50:
            depth, node = depth + 1, parent.get(node)
        out[cid] = depth
    return out
