"""The canonical postmortem report (the method's template) and the shorter light-review format.

Everything structured comes from incident.toml; prose comes from postmortem.md sections. Missing
evidence is never filled in: it is shown as **[DATA GAP]**. Generated wording is blameless.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...domain.model import (
    AI_FACTORS,
    LENS_LABELS,
    STAGE_LABELS,
    ActionItem,
    Cause,
    Figure,
    Incident,
    durations,
    format_minutes,
)
from ...domain.narrative import SUMMARY_HEADINGS, sections, summary_source
from ...domain.taxonomy import Taxonomy
from ..taxonomy.frameworks import DISCLAIMER, framework_mapping, mapping_markdown_lines
from . import mermaid
from .diagnostics import diagnostics_table, summary_intervals
from .markup import (
    ASSUMPTION,
    DATA_GAP,
    bold,
    markers,
    cell,
    code,
    day,
    item,
    italic,
    number,
    one_line,
    shift_headings,
    strip_comments,
    utc,
)

# Headings of postmortem.md that feed a canonical section (others go to "Additional Narrative").
SECTION_ALIASES: dict[str, tuple[str, ...]] = {
    "Executive Summary": SUMMARY_HEADINGS,
    "Detection & Initial Response": (
        "detection & initial response",
        "detection & response",
        "detection and response",
        "detection and initial response",
        "detection",
        "detection and response",
    ),
    "Technical Analysis": ("technical analysis", "analysis", "root cause analysis"),
}
ADDITIONAL = "Additional Narrative"
PRIORITY_ORDER = {"P0": 0, "P1": 1, "P2": 2, "P3": 3}
FACTOR_LABELS = {
    "data": "Data",
    "evals": "Evals",
    "prompts": "Prompts",
    "nondeterminism": "Non-determinism",
    "opacity": "Opacity",
    "rapid_iteration": "Rapid iteration",
}
FIGURE_LABELS = {
    "users_affected": "Users affected",
    "requests_affected": "Requests affected",
    "p99_latency_delta_ms": "p99 latency delta",
    "compute_hours_lost": "Compute hours lost",
    "cost_usd": "Cost",
    "quality_delta": "Quality delta",
}
IMPACT_GROUPS = (
    ("Customers / users affected", ("users_affected", "requests_affected")),
    (
        "Business / compute / quality impact",
        ("p99_latency_delta_ms", "compute_hours_lost", "cost_usd", "quality_delta"),
    ),
)
KIND_HEADINGS = (
    ("proximate", "Proximate causes"),
    ("contributing", "Contributing factors"),
    ("systemic", "Systemic factors"),
)
KEY_TIMES = (("started", "Started"), ("detected", "Detected"), ("mitigated", "Mitigated"), ("resolved", "Resolved"))
NO_SUMMARY = f"{DATA_GAP} No summary has been written yet."
NO_DETECTION = f"{DATA_GAP} How the incident was detected and first handled has not been written up."
NO_ANALYSIS = f"{DATA_GAP} The technical analysis has not been written up."
NO_LIGHT_ANALYSIS = f"{DATA_GAP} What happened and why has not been written up."


@dataclass(frozen=True)
class Narrative:
    """postmortem.md split into what feeds each canonical section and what does not."""

    by_section: dict[str, str]
    other: list[tuple[str, str]]  # (heading, body) in file order; heading "" for the preamble
    source: str = ""  # the markdown as written, for the choice of the one executive summary

    @classmethod
    def parse(cls, markdown: str) -> Narrative:
        by_section: dict[str, list[str]] = {}
        other: list[tuple[str, str]] = []
        for s in sections(strip_comments(markdown)):
            body = s.body.strip("\n")
            if not body.strip():
                continue
            target = next(
                (name for name, aliases in SECTION_ALIASES.items() if s.heading.strip().casefold() in aliases), None
            )
            if target:
                by_section.setdefault(target, []).append(body)
            else:
                other.append((s.heading.strip(), body))
        return cls({k: "\n\n".join(v) for k, v in by_section.items()}, other, markdown)

    def body(self, name: str) -> str:
        return shift_headings(self.by_section.get(name, ""), minimum=3)


# --------------------------------------------------------------------------------- pieces
def figure_text(fig: Figure, unit_hint: str = "") -> str:
    parts = []
    if fig.value is not None:
        unit = fig.unit or unit_hint
        parts.append(bold(f"{number(fig.value)} {unit}".strip()))
    elif not fig.note.lstrip().startswith("[DATA GAP]"):
        parts.append(DATA_GAP)
    if fig.note:
        parts.append(f"— {markers(one_line(fig.note))}" if parts else markers(one_line(fig.note)))
    if fig.source:
        parts.append(f"(source: {one_line(fig.source)})")
    return " ".join(parts)


def impact_block(incident: Incident) -> list[str]:
    imp = incident.impact
    lines = ["**Impact**", ""]
    for group, names in IMPACT_GROUPS:
        lines.append(f"- {group}:")
        for name in names:
            hint = "ms" if name == "p99_latency_delta_ms" else ("USD" if name == "cost_usd" else "")
            lines.append(f"  - {FIGURE_LABELS[name]}: {figure_text(getattr(imp, name), hint)}")
    if imp.figures:
        lines.append("- Further figures from the source:")
        lines += [f"  - {figure_text(fig)}" for fig in imp.figures]
    lines.append("- Safety or trust exposure:")
    for label, exp in (("Safety exposure", imp.safety_exposure), ("Trust exposure", imp.trust_exposure)):
        text = markers(one_line(exp.text)) if exp.text else DATA_GAP
        source = f" (source: {one_line(exp.source)})" if exp.source else ""
        lines.append(f"  - {label}: {text}{source}")
    for ref in imp.regulatory:
        note = f" — {one_line(ref.note)}" if ref.note else ""
        lines.append(f"  - Framework reference: {one_line(ref.framework)}: {one_line(ref.reference)}{note}")
    if imp.regulatory:
        lines.append("  - Framework references are for orientation only, not a legal reading.")
    return lines


def ranked_actions(incident: Incident) -> list[ActionItem]:
    """Open work first, then by priority, due date and id: the 'top actions' of the summary."""
    live = [a for a in incident.actions if a.status != "wont-do"]
    return sorted(
        live,
        key=lambda a: (
            a.status not in ("open", "in-progress"),
            PRIORITY_ORDER[a.priority],
            a.due.isoformat() if a.due else "9999",
            a.id,
        ),
    )


def action_line(a: ActionItem) -> str:
    owner = one_line(a.owner) if a.owner else f"owner {DATA_GAP}"
    due = f"due {a.due.isoformat()}" if a.due else f"due {DATA_GAP}"
    return f"**{a.id}** ({a.priority}) {one_line(a.action)} — {owner}, {due}"


def top_actions(incident: Incident, limit: int = 3) -> list[str]:
    ranked = ranked_actions(incident)[:limit]
    if not ranked:
        return [f"{DATA_GAP} No action items yet."]
    return [f"{n}. {action_line(a)}" for n, a in enumerate(ranked, start=1)]


# A "top actions" list written into the summary by hand; the report prints its own, from the Actions pane.
_TOP_ACTIONS_RE = re.compile(
    r"^\s*(\*\*|__)?(top( 3| three)? (recommended )?actions|recommended actions)(\*\*|__)?"
    r"\s*:?\s*(\*\*|__)?\s*$",
    re.IGNORECASE,
)
_LIST_ITEM_RE = re.compile(r"^\s*([-*+]|\d+[.)])\s+")


def _without_action_list(text: str) -> str:
    """The summary without a hand-written top-actions list (heading line and the list under it)."""
    out: list[str] = []
    skipping = False
    for line in text.split("\n"):
        if _TOP_ACTIONS_RE.match(line):
            skipping = True
            continue
        if skipping and (not line.strip() or _LIST_ITEM_RE.match(line)):
            continue
        skipping = False
        out.append(line)
    return "\n".join(out).strip()


def summary_text(incident: Incident, narrative: Narrative) -> str:
    """The one executive summary: the Summary field (the TL;DR the Overview pane edits and the gate checks),
    or the narrative's Executive Summary section when the field is empty or the section holds all of the field
    and more (domain.narrative.summary_source). When both are written and differ, the check summary.conflict
    asks the author to reconcile them, so the section is never lost unseen. A hand-written top-actions list
    is left to the generated one."""
    if summary_source(incident.summary, narrative.source) == "summary":
        text = incident.summary.strip()
    else:
        text = narrative.body("Executive Summary").strip()
    text = _without_action_list(markers(text)) if text else ""
    return text or NO_SUMMARY


def title_block(incident: Incident, light: bool = False) -> list[str]:
    i = incident
    heading = "Light Review" if light else "Postmortem"
    rows = [
        ("Incident Date", day(i.started_on) or _first_day(i) or DATA_GAP),
        ("Postmortem Date", day(i.postmortem_date) or DATA_GAP),
        ("Severity", i.severity or f"{DATA_GAP} not stated"),
        ("Incident Commander", one_line(i.commander) or DATA_GAP),
        ("Postmortem Lead", one_line(i.lead) or DATA_GAP),
        ("Incident ID", code(i.id)),
        ("Kind", f"{i.kind}, {'light review' if i.review == 'light' else 'full postmortem'}"),
        ("Stage", STAGE_LABELS[i.stage]),
    ]
    if i.follow_up:
        rows.append(("Follow-up Review", day(i.follow_up)))
    if i.systems:
        rows.append(("Systems", ", ".join(code(s) for s in i.systems)))
    if i.models:
        rows.append(("Models", ", ".join(code(m) for m in i.models)))
    if i.tags:
        rows.append(("Tags", ", ".join(code(t) for t in i.tags)))
    if i.taxonomy:
        rows.append(("Failure Modes", ", ".join(code(t) for t in i.taxonomy)))
    # Two trailing spaces: a hard line break, so the block renders as lines, as in the template.
    return [f"# {heading}: {one_line(i.title)}", "", *(f"**{k}**: {v}  " for k, v in rows)]


def _first_day(incident: Incident) -> str:
    """The day the timeline starts on when no start time is known (a source giving a date, not an hour)."""
    days = [e.time for e in incident.timeline if e.data_gap]
    return f"{min(days):%Y-%m-%d} (time of day not stated {DATA_GAP})" if days else ""


def timeline_table(incident: Incident) -> list[str]:
    entries = incident.sorted_timeline()
    if not entries:
        return [f"{DATA_GAP} No timeline entries yet."]
    lines = ["| UTC Timestamp | Event | Source / Evidence | Kind |", "|---|---|---|---|"]
    for e in entries:
        event = markers(e.event)
        if e.data_gap and DATA_GAP not in event:  # the author's own marker counts: printed once
            event += f" {DATA_GAP}"
        if e.assumption and ASSUMPTION not in event:
            event += f" {ASSUMPTION}"
        source = e.source if e.source.strip() else f"{DATA_GAP} no source recorded"
        if e.note.strip():
            source += f" — note: {e.note}"
        # A day without a time of day is shown as a day: 00:00 would be a time nobody stated.
        when = (
            f"{e.time:%Y-%m-%d} (time unknown)"
            if e.data_gap and (e.time.hour, e.time.minute) == (0, 0)
            else utc(e.time)
        )
        lines.append(f"| {when} | {cell(event)} | {cell(source)} | {e.kind or ''} |")
    return lines


def key_times(incident: Incident) -> list[str]:
    t = incident.times
    lines = ["### Key times (UTC)", ""]
    for name, label in KEY_TIMES:
        value = getattr(t, name)
        lines.append(f"- {label}: {utc(value) if value else DATA_GAP}")
    d = durations(incident)
    lines.append(
        f"- Time to detect / mitigate / resolve: {bold(format_minutes(d.to_detect))} / "
        f"{bold(format_minutes(d.to_mitigate))} / {bold(format_minutes(d.to_resolve))}"
    )
    return lines


def ai_factors(incident: Incident) -> list[str]:
    lines = ["### AI-native factors", ""]
    for name in AI_FACTORS:
        f = getattr(incident.ai_factors, name)
        label = FACTOR_LABELS[name]
        if f.analysis.strip():
            lines.append(f"- **{label}**: {item(f.analysis)}")
        elif f.not_applicable:
            reason = one_line(f.reason) if f.reason.strip() else f"{DATA_GAP} no reason recorded"
            lines.append(f"- **{label}**: not applicable — {reason}")
        else:
            lines.append(f"- **{label}**: {DATA_GAP} not yet analysed")
    return lines


def observations(incident: Incident) -> list[str]:
    if not incident.observations:
        return []
    lines = [
        "### Model observations",
        "",
        "Each observation is what the model did in the recorded runs, not a claim about reliable behaviour.",
        "",
    ]
    for o in incident.observations:
        model = f"{code(o.model)}: " if o.model else ""
        cond = f" — under: {one_line(o.conditions)}" if o.conditions else ""
        if o.runs is None:
            runs = f"runs {DATA_GAP}"
        else:
            k = "?" if o.reproduced is None else str(o.reproduced)
            runs = f"reproduced in {bold(f'{k}/{o.runs}')} runs"
            if o.runs == 1:
                runs += " (a single run)"
        source = f" (source: {one_line(o.source)})" if o.source else ""
        lines.append(f"- **{o.id}** {model}{one_line(o.behaviour)}{cond}; {runs}{source}")
    return lines


def framework_mappings(incident: Incident, taxonomy: Taxonomy | None) -> list[str]:
    """The tagged failure modes with what each maps to, then the same by framework with the references the
    team recorded (services/taxonomy/frameworks.py). Information only; left out when the taxonomy cannot be read."""
    if taxonomy is None:
        return []
    tagged: list[str] = list(incident.taxonomy)
    for c in incident.causes:
        tagged.extend(t for t in c.taxonomy if t not in tagged)
    lines = ["### Failure modes and framework mappings", "", italic(DISCLAIMER), ""]
    if not tagged:
        lines += ["No failure modes are tagged yet.", ""]
    for tag in tagged:
        mode = taxonomy.resolve(tag)
        if mode is None:
            lines.append(f"- {code(tag)}: {DATA_GAP} not in this store's taxonomy")
            continue
        m = mode.mappings
        refs = []
        if m.atlas:
            refs.append("MITRE ATLAS " + ", ".join(code(a) for a in m.atlas))
        if m.owasp_llm:
            refs.append("OWASP LLM Top 10 " + ", ".join(code(o) for o in m.owasp_llm))
        if m.nist_ai_rmf:
            refs.append("NIST AI RMF " + ", ".join(f.upper() for f in m.nist_ai_rmf))
        renamed = f" (tagged as {code(tag)})" if mode.id != tag else ""
        lines.append(f"- {code(mode.id)} {one_line(mode.name)}{renamed}: {'; '.join(refs) or 'no mappings recorded'}")
    if tagged:
        lines.append("")
    # Unresolved tags are already flagged above as data gaps.
    lines += mapping_markdown_lines(framework_mapping(incident, taxonomy), quote=code, text=one_line, unresolved=False)
    return lines[:-1] if lines[-1] == "" else lines


def cause_line(incident: Incident, c: Cause) -> str:
    times = {e.id: e.time for e in incident.timeline}
    statement = c.statement if c.status == "confirmed" else italic(c.statement)
    meta: list[str] = [c.status]
    if c.lens:
        meta.append(f"lens: {LENS_LABELS[c.lens]}")
    if c.category:
        meta.append(f"category: {c.category}")
    if c.parent:
        meta.append(f"leads to: {c.parent}")
    if c.evidence:
        meta.append("evidence: " + ", ".join(f"{e} ({utc(times[e])} UTC)" if e in times else e for e in c.evidence))
    if c.taxonomy:
        meta.append("modes: " + ", ".join(code(t) for t in c.taxonomy))
    text = item(statement) if c.status == "confirmed" else statement
    return f"- **{c.id}** {text} ({'; '.join(meta)})"


def causes_block(incident: Incident) -> list[str]:
    lines: list[str] = []
    if not incident.causes:
        lines += [f"{DATA_GAP} No causes recorded yet.", ""]
    else:
        lines += [
            "Confirmed causes are plain text; *working hypotheses are in italics* until evidence confirms them.",
            "",
        ]
        for kind, heading in KIND_HEADINGS:
            these = [c for c in incident.causes if c.kind == kind]
            if these:
                lines += [f"### {heading}", "", *(cause_line(incident, c) for c in these), ""]
        for title, diagram in (
            ("Causal chain (fault tree)", mermaid.causal_chain(incident)),
            ("Fishbone by category", mermaid.fishbone(incident)),
        ):
            if diagram:
                lines += [f"### {title}", "", "```mermaid", diagram, "```", ""]
    if incident.barriers:
        lines += ["### Barriers", "", "| Control | Kind | Outcome | Note |", "|---|---|---|---|"]
        for b in incident.barriers:
            lines.append(f"| {cell(b.control)} | {b.kind} | {b.outcome} | {cell(b.note)} |")
        lines.append("")
    return lines[:-1] if lines and lines[-1] == "" else lines


_LESSONS_HEADING = re.compile(r"lesson|learn|takeaway|insight|reflection|went well|went wrong|went poorly", re.I)


def lessons_block(incident: Incident, narrative: Narrative | None = None) -> list[str]:
    prose = [h for h, _ in (narrative.other if narrative else []) if _LESSONS_HEADING.search(h)]

    def bullets(values: list[str]) -> list[str]:
        if not values and prose:  # written, as prose: not missing
            return [f"- (written as prose under {', '.join(repr(h) for h in prose)}, in the additional narrative)"]
        return [f"- {item(v)}" for v in values] or [f"- {DATA_GAP} none recorded yet"]

    return [
        "**What went well**",
        "",
        *bullets(incident.lessons.went_well),
        "",
        "**What could be improved**",
        "",
        *bullets(incident.lessons.to_improve),
    ]


def actions_table(incident: Incident) -> list[str]:
    if not incident.actions:
        return [f"{DATA_GAP} No action items yet."]
    lines = [
        "| ID | Action | Owner | Due Date | Verification Method | Priority | Status | Addresses |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for a in incident.actions:
        verification = cell(a.verification) or f"{DATA_GAP} how we will know it worked"
        if a.success_criteria.strip():
            verification += f"<br>Success criteria: {cell(one_line(a.success_criteria))}"
        status = a.status + (f" ({one_line(a.tracker)})" if a.tracker else "")
        lines.append(
            f"| {a.id} | {cell(a.action)} | {cell(a.owner) or DATA_GAP} | {day(a.due) or DATA_GAP} | "
            f"{verification} | {a.priority} | {cell(status)} | {', '.join(a.addresses)} |"
        )
    return lines


_MARKER_ANY_RE = re.compile(r"\[(DATA GAP|ASSUMPTION)\]")
_ENTRY_ID_RE = re.compile(r"\b(?:[a-z]{1,2}-[0-9a-f]{4,}|AI-\d{3,})\b")
_ROW_TIME_RE = re.compile(r"^\|\s*(\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2})?)\s*\|")
# Emphasis marks at a word's edge ("_*Removing", "load.*_"), not inside a name ("lazy_loading", "a*b").
_EMPHASIS_RE = re.compile(r"(?<![\w*_])[*_]+(?=\S)|(?<=\S)[*_]+(?![\w*_])")


def marker_inventory(report: str) -> list[tuple[str, str, str]]:
    """Every [DATA GAP]/[ASSUMPTION] in the report body: (marker, where, what the line says)."""
    out: list[tuple[str, str, str]] = []
    section, subsection = "Title block", ""
    in_fence = False
    for line in report.split("\n"):
        if line.startswith("```"):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if line.startswith("## "):
            section, subsection = line[3:].strip(), ""
            continue
        if line.startswith("### "):
            subsection = line[4:].strip()
            continue
        label = re.fullmatch(r"\*\*([^*]+)\*\*", line.strip())
        if label:  # "**What went well**": a bold label line names the list under it
            subsection = label.group(1)
            continue
        found = _MARKER_ANY_RE.findall(line)
        for kind in dict.fromkeys(found):  # one entry per line and kind, with how many it holds
            count = found.count(kind)
            where = section + (f" › {subsection}" if subsection else "")
            anchor = _ROW_TIME_RE.match(line)
            ids = _ENTRY_ID_RE.findall(line)
            if ids:
                where += f", {ids[0]}"
            if anchor:
                where += f" at {anchor.group(1)} UTC"
            context = _ROW_TIME_RE.sub("", line)
            context = re.sub(r"\*\*|<br>|\|", " ", context)
            context = _MARKER_ANY_RE.sub("", context)
            # An excerpt is plain text: an emphasis cut at 120 characters would leave its opening marks bare.
            context = _EMPHASIS_RE.sub("", context)
            context = " ".join(context.replace("- ", " ", 1).split()).strip(" .—-:")
            if ids and context.startswith(ids[0]):  # the id is already in `where`
                context = context[len(ids[0]) :].lstrip(" .—-:")
            marker = f"**[{kind}]**" if count == 1 else f"{count} × **[{kind}]**"
            out.append((marker, where, context[:120] + ("…" if len(context) > 120 else "")))
    return out


def gaps_block(incident: Incident, report: str = "") -> list[str]:
    """Every marker the report prints, with where it is, then the recorded gaps and open questions."""
    lines: list[str] = []
    for marker, where, context in marker_inventory(report):
        lines.append(f"- {marker} in {where}" + (f": {context}" if context else ""))
    for g in incident.gaps:
        marker = DATA_GAP if g.kind == "data-gap" else ASSUMPTION
        closes = f" — closes by: {one_line(g.closes_by)}" if g.closes_by else ""
        lines.append(f"- {marker} **{g.id}** ({g.status}) {one_line(g.text)}{closes}")
    for q in incident.questions:
        who = f" — specialist: {one_line(q.specialist)}" if q.specialist else ""
        lines.append(f"- Open question **{q.id}** ({'answered' if q.answered else 'open'}) {one_line(q.text)}{who}")
    return lines or ["- No data gaps or assumptions: no marker appears in this report and none is recorded."]


def missing(placeholder: str, narrative: Narrative) -> str:
    """A canonical section's [DATA GAP] line, pointing to the source's own sections when the narrative has some:
    an imported post's "The First Fix" may hold what the gap names, so the report does not call it absent."""
    if not narrative.other:
        return placeholder
    names = ", ".join(f"'{one_line(h) or 'Preamble'}'" for h, _ in narrative.other[:6])
    more = ", ..." if len(narrative.other) > 6 else ""
    return f"{placeholder} Sections under other headings are kept in {ADDITIONAL} below: {names}{more}."


def additional(narrative: Narrative) -> list[str]:
    if not narrative.other:
        return []
    lines = [f"## {ADDITIONAL}", ""]
    for heading, body in narrative.other:
        lines += [f"### {one_line(heading) or 'Preamble'}", "", shift_headings(body, minimum=4, by=1), ""]
    return lines[:-1]


def _spaced(lines: list[str]) -> list[str]:
    return ["", *lines] if lines else []


def _join(blocks: list[list[str]]) -> str:
    out: list[str] = []
    for block in blocks:
        if not block:
            continue
        if out:
            out.append("")
        out.extend(block)
    return "\n".join(out).rstrip() + "\n"


# --------------------------------------------------------------------------------- reports
def render_markdown(
    incident: Incident, narrative_md: str = "", taxonomy: Taxonomy | None = None, light: bool | None = None
) -> str:
    """The report as markdown. `light=None` follows the incident's review kind."""
    narrative = Narrative.parse(narrative_md)
    if light if light is not None else incident.review == "light":
        return _light(incident, narrative, taxonomy)
    diagram = mermaid.timeline(incident)
    timeline_extra = [["### Timeline diagram", "", "```mermaid", diagram, "```"]] if diagram else []
    detection = narrative.body("Detection & Initial Response") or missing(NO_DETECTION, narrative)
    analysis = narrative.body("Technical Analysis") or missing(NO_ANALYSIS, narrative)
    return _with_gaps(
        [
            title_block(incident),
            [
                "## Executive Summary",
                "",
                summary_text(incident, narrative),
                "",
                *summary_intervals(incident),
                "**Top actions**",
                "",
                *top_actions(incident),
                "",
                *impact_block(incident),
            ],
            ["## Timeline", "", *timeline_table(incident)],
            *timeline_extra,
            ["## Detection & Initial Response", "", detection, "", *key_times(incident)],
            ["## Technical Analysis", "", analysis, "", *ai_factors(incident), *_spaced(diagnostics_table(incident))],
            observations(incident),
            framework_mappings(incident, taxonomy),
            ["## Root Causes & Contributing Factors", "", *causes_block(incident)],
            ["## Lessons Learned", "", *lessons_block(incident, narrative)],
            ["## Action Items", "", *actions_table(incident)],
            additional(narrative),
        ],
        incident,
    )


def _with_gaps(blocks: list[list[str]], incident: Incident) -> str:
    """The report with its Data Gaps & Assumptions section built from the markers the rest prints, placed
    before any Additional Narrative (the last block when present)."""
    body, extra = (blocks[:-1], blocks[-1]) if blocks and blocks[-1][:1] == [f"## {ADDITIONAL}"] else (blocks, [])
    text = _join([*body, extra])
    return _join([*body, ["## Data Gaps & Assumptions", "", *gaps_block(incident, text)], extra])


def _light(incident: Incident, narrative: Narrative, taxonomy: Taxonomy | None) -> str:
    written = [b for b in (narrative.body("Detection & Initial Response"), narrative.body("Technical Analysis")) if b]
    analysis = "\n\n".join(written) or missing(NO_LIGHT_ANALYSIS, narrative)
    return _with_gaps(
        [
            title_block(incident, light=True),
            [
                "> A light incident review: the scope did not call for a full postmortem. Escalate to a full "
                "postmortem if new evidence widens the impact."
            ],
            [
                "## Summary",
                "",
                summary_text(incident, narrative),
                "",
                *summary_intervals(incident),
                "**Top actions**",
                "",
                *top_actions(incident),
                "",
                *impact_block(incident),
            ],
            ["## Timeline", "", *timeline_table(incident), "", *key_times(incident)],
            [
                "## What Happened and Why",
                "",
                analysis,
                "",
                *ai_factors(incident),
                *_spaced(diagnostics_table(incident)),
            ],
            observations(incident),
            [*causes_block(incident)],
            ["## Lessons Learned", "", *lessons_block(incident, narrative)],
            ["## Action Items", "", *actions_table(incident)],
            additional(narrative),
        ],
        incident,
    )
