"""The executive one-pager: impact, the summary paragraph and the top 3 actions, on one 80x24 screen."""

from __future__ import annotations

import textwrap
import unicodedata

from ...domain.model import Incident, durations, format_minutes
from .canonical import FIGURE_LABELS, Narrative, ranked_actions, summary_text
from .markup import DATA_GAP, bold, number, one_line, strip_comments

WIDTH, HEIGHT = 80, 24


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1 for ch in text)


def _fit(text: str, width: int) -> str:
    """Cut to `width` columns with an ellipsis, closing any bold or code span the cut left open."""
    if display_width(text) <= width:
        return text

    def closed(t: str) -> str:
        t = t.rstrip() + "…"
        if t.count("**") % 2:
            t += "**"
        if t.replace("**", "").count("`") % 2:
            t += "`"
        return t

    text = text[:width]  # every character is at least one column wide
    while text and display_width(closed(text)) > width:
        text = text[:-1]
    return closed(text)


def _plain_summary(incident: Incident, narrative: Narrative) -> str:
    text = strip_comments(summary_text(incident, narrative))
    first = text.split("\n\n", 1)[0]  # one paragraph
    return one_line(first)


def _impact_lines(incident: Incident) -> list[str]:
    imp = incident.impact
    known, gaps = [], []
    for name, label in FIGURE_LABELS.items():
        fig = getattr(imp, name)
        if fig.value is None:
            gaps.append(label.lower())
            continue
        unit = fig.unit or ("ms" if name == "p99_latency_delta_ms" else "USD" if name == "cost_usd" else "")
        known.append(f"{label}: {bold(f'{number(fig.value)} {unit}'.strip())}")
    lines = [f"- {k}" for k in known[:3]]
    if len(known) > 3:
        lines.append(f"- {'; '.join(k.split(':')[0] for k in known[3:])}: see the full report")
    if gaps:
        lines.append(f"- {DATA_GAP} {', '.join(gaps)}")
    exposure = [
        f"{n}: {one_line(e.text)}"
        for n, e in (("Safety", imp.safety_exposure), ("Trust", imp.trust_exposure))
        if e.text.strip()
    ]
    lines.append("- " + ("; ".join(exposure) if exposure else f"Safety / trust exposure: {DATA_GAP}"))
    return [_fit(line, WIDTH) for line in lines[:4]]


def render_onepager(incident: Incident, narrative_md: str = "") -> str:
    narrative = Narrative.parse(narrative_md)
    i = incident
    d = durations(i)
    meta = [
        bold(i.severity) if i.severity else f"severity {DATA_GAP}",
        i.kind,
        f"started {i.started_on.isoformat()}" if i.started_on else f"start {DATA_GAP}",
    ]
    if d.to_resolve is not None:
        meta.append(f"resolved in {format_minutes(d.to_resolve)}")
    lines = [_fit(f"# {one_line(i.title)}", WIDTH), "", _fit(" · ".join(meta), WIDTH), ""]
    impact = _impact_lines(i)
    actions = ranked_actions(i)[:3]
    action_lines: list[str] = []
    for n, a in enumerate(actions, start=1):
        owner = one_line(a.owner) or f"owner {DATA_GAP}"
        due = a.due.isoformat() if a.due else f"due {DATA_GAP}"
        head, words, tail = f"{n}. **{a.id}** ", one_line(a.action).split(" "), f" — {owner}, {due}"
        # Owner and date always stay visible: the action text is what gets shortened.
        while True:
            action = " ".join(words) + ("" if len(words) == len(one_line(a.action).split(" ")) else " …")
            wrapped = textwrap.wrap(head + action + tail, WIDTH, subsequent_indent="   ", break_long_words=True)
            if len(wrapped) <= 2 or len(words) <= 1:
                break
            words = words[:-1]
        wrapped = wrapped[:2]
        action_lines.extend(_fit(w, WIDTH) for w in wrapped)
    if not actions:
        action_lines = [f"{DATA_GAP} No action items yet."]
    footer = _fit(f"Full report: `workbench report {i.id}`", WIDTH)
    fixed = len(lines) + 1 + 1 + len(impact) + 1 + 1 + len(action_lines) + 1 + 1
    room = max(1, HEIGHT - fixed)
    summary = textwrap.wrap("**Summary:** " + _plain_summary(i, narrative), WIDTH, max_lines=room, placeholder=" …")
    lines += [_fit(s, WIDTH) for s in summary]
    lines += ["", "**Impact**", *impact, "", "**Top 3 actions**", *action_lines, "", footer]
    return "\n".join(lines[:HEIGHT]) + "\n"
