"""Mermaid diagrams for the report: timeline, causal chain (fault tree) and fishbone.

Labels are user text, so every label is cleaned to a subset that Mermaid cannot misread:
quotes become `#quot;` entity codes, structural characters are replaced, and long text is wrapped at
word boundaries with `<br>` (never cut mid-word). Clock times keep their digits: 23:12 reads 23h12, since
':' separates a timeline's period from its event.
`validate()` checks the exact grammar subset emitted here (tests run it on every diagram).
"""

from __future__ import annotations

import re

from ...domain.model import Cause, Incident, TimelineEntry

LABEL_MAX = 60  # characters per label line
LABEL_LINES = 4  # lines before a label ends at a word boundary with "…"
BREAK = "<br>"
CATEGORY_LABELS = {
    "process": "Process",
    "tooling": "Tooling",
    "infrastructure": "Infrastructure",
    "model": "Model",
    "data": "Data",
    "evaluation": "Evaluation",
    "monitoring": "Monitoring",
    "organisation": "Organisation",
    None: "Uncategorised",
}


def _shorten(text: str, limit: int = LABEL_MAX) -> str:
    """One line of at most `limit` characters, ended at a word boundary."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a markdown link reads as its text
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip() + "…"


def _wrap(text: str, width: int = LABEL_MAX, lines: int = LABEL_LINES) -> list[str]:
    """Whole words on lines of about `width` characters; past `lines` lines the last ends with "…"."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    out: list[str] = []
    for word in text.split():
        if out and len(out[-1]) + 1 + len(word) <= width:
            out[-1] += " " + word
        else:
            out.append(word)
    if len(out) > lines:
        out = out[:lines]
        out[-1] += " …"
    return out


def _clock(text: str) -> str:
    """23:12 -> 23h12 and 09:05:30 -> 09h05m30: the digits stay, the colon (Mermaid syntax) goes."""
    text = re.sub(r"\b(\d{1,2}):(\d{2}):(\d{2})\b", r"\1h\2m\3", text)
    return re.sub(r"\b(\d{1,2}):(\d{2})\b", r"\1h\2", text)


def flow_label(text: str) -> str:
    """A quoted flowchart label body: no raw quotes, brackets or markdown/HTML that Mermaid would parse;
    long text wraps onto lines joined by <br>."""
    return BREAK.join(_flow_line(line) for line in _wrap(text)) or "(empty)"


def _flow_line(text: str) -> str:
    text = text.replace("#", "no. ").replace(";", ",").replace("<", "‹").replace(">", "›")
    text = text.replace("`", "'").replace("*", "").replace("_", " ").replace("{", "(").replace("}", ")")
    text = text.replace("[", "(").replace("]", ")").replace("|", "/").replace('"', "#quot;")
    return text.strip() or "(empty)"


def timeline_text(text: str, wrap: bool = True) -> str:
    """Timeline event/period text: ':' separates events and '#'/'%%' start comments, so they go; clock
    times keep their digits, and long text wraps with <br>."""
    text = _clock(text)
    if not wrap:
        return _timeline_line(_shorten(text, 200))
    return BREAK.join(_timeline_line(line) for line in _wrap(text)) or "(empty)"


def _timeline_line(text: str) -> str:
    for old, new in (
        (":", " –"),
        ("#", "no. "),
        ("%", " pct"),
        (";", ","),
        ("`", "'"),
        ("<", "‹"),
        (">", "›"),
        ('"', "'"),
        ("{", "("),
        ("}", ")"),
    ):
        text = text.replace(old, new)
    text = " ".join(text.split())
    return text or "(empty)"


def node_id(entry_id: str) -> str:
    return "n_" + re.sub(r"[^A-Za-z0-9]", "_", entry_id)


def date_only(entry: TimelineEntry) -> bool:
    """A day the source gives without a time of day (kept at midnight UTC and marked as a data gap)."""
    return entry.data_gap and (entry.time.hour, entry.time.minute, entry.time.second) == (0, 0, 0)


def _period(entry: TimelineEntry) -> str:
    # A date-only entry is drawn as its day, under the day's section: 00h00 would be a time nobody stated.
    return "date only" if date_only(entry) else f"{entry.time:%H}h{entry.time:%M}"


def timeline(incident: Incident) -> str | None:
    entries = incident.sorted_timeline()
    if not entries:
        return None
    lines = ["timeline", f"    title {timeline_text(incident.title, wrap=False)} (UTC)"]
    current_day = None
    for e in entries:
        day = f"{e.time:%Y-%m-%d}"
        if day != current_day:
            lines.append(f"    section {day}")
            current_day = day
        marks = " (DATA GAP)" if e.data_gap or "[DATA GAP]" in e.event.upper() else ""
        marks += " (ASSUMPTION)" if e.assumption or "[ASSUMPTION]" in e.event.upper() else ""
        text = re.sub(r"\s*\*{0,2}\[(DATA GAP|ASSUMPTION)\]\*{0,2}\.?", "", e.event)  # said once, below
        lines.append(f"        {_period(e)} : {timeline_text(text)}{marks}")
    return "\n".join(lines)


KIND_ORDER = {"proximate": 0, "contributing": 1, "systemic": 2}


def _ordered(incident: Incident) -> list[Cause]:
    """Causes in the report's order (grouped by kind), so the diagrams list them as the text does."""
    return sorted(incident.causes, key=lambda c: KIND_ORDER[c.kind])


def causal_chain(incident: Incident) -> str | None:
    """Fault tree, top-down: the incident at the top, each cause under the effect it leads to.
    Hypotheses are dashed nodes on dotted edges; confirmed causes are solid."""
    if not incident.causes:
        return None
    causes = _ordered(incident)
    lines = ["flowchart BT", f'    top["{flow_label(incident.title)}"]']
    for c in causes:
        lines.append(f'    {node_id(c.id)}["{flow_label(f"{c.kind}: {c.statement}")}"]')
    for c in causes:
        target = node_id(c.parent) if c.parent else "top"
        arrow = "-.->" if c.status == "hypothesis" else "-->"
        lines.append(f"    {node_id(c.id)} {arrow} {target}")
    lines.append("    classDef hypothesis stroke-dasharray: 5 5,font-style:italic")
    lines.append("    classDef confirmed stroke-width:2px")
    hyp = [node_id(c.id) for c in causes if c.status == "hypothesis"]
    conf = [node_id(c.id) for c in causes if c.status != "hypothesis"]
    if hyp:
        lines.append(f"    class {','.join(hyp)} hypothesis")
    if conf:
        lines.append(f"    class {','.join(conf)} confirmed")
    return "\n".join(lines)


def fishbone(incident: Incident) -> str | None:
    """Ishikawa grouping as a flowchart: causes -> category -> the effect (Mermaid has no fishbone type)."""
    if not incident.causes:
        return None
    causes = _ordered(incident)
    lines = ["flowchart LR", f'    effect["{flow_label(incident.title)}"]']
    order = list(CATEGORY_LABELS)
    used = sorted({c.category for c in causes}, key=order.index)
    for category in used:
        cat_id = f"cat_{category or 'none'}"
        lines.append(f'    {cat_id}["{CATEGORY_LABELS[category]}"] --> effect')
        for c in causes:
            if c.category == category:
                arrow = "-.->" if c.status == "hypothesis" else "-->"
                lines.append(f'    {node_id(c.id)}["{flow_label(c.statement)}"] {arrow} {cat_id}')
    hyp = [node_id(c.id) for c in causes if c.status == "hypothesis"]
    lines.append("    classDef hypothesis stroke-dasharray: 5 5,font-style:italic")
    if hyp:
        lines.append(f"    class {','.join(hyp)} hypothesis")
    return "\n".join(lines)


# ----------------------------------------------------------------------------- validation
_ID = r"[A-Za-z][A-Za-z0-9_]*"
_LABEL = r"\[\"(?:[^\"\[\]{}|<>`;#\n]|#quot;|<br>)*\"\]"
_NODE = rf"{_ID}(?:{_LABEL})?"
_FLOW_LINE = re.compile(rf"^    {_NODE}(?: (?:-->|-\.->) {_NODE})?$")
_CLASSDEF = re.compile(rf"^    classDef {_ID} [a-z-]+:? ?[A-Za-z0-9 .:#,-]+$")
_CLASS = re.compile(rf"^    class {_ID}(?:,{_ID})* {_ID}$")
_TL_SECTION = re.compile(r"^    section [^:#%;\n]+$")
_TL_EVENT = re.compile(r"^        [^:#%;\n]+ : [^:#%;\n]+$")
_TL_TITLE = re.compile(r"^    title [^:#%;\n]+$")
_DIRECTIONS = {"TB", "TD", "BT", "LR", "RL"}
_RESERVED_IDS = {"end", "graph", "flowchart", "subgraph", "class", "classDef", "style", "click"}


def validate(diagram: str) -> list[str]:
    """Problems with a diagram under the grammar subset this module emits (empty list when valid):
    `flowchart DIR` with quoted-label nodes, `-->`/`-.->` edges, classDef/class lines; and `timeline`
    with title, sections and `period : event` lines. Every edge must join nodes that were defined."""
    lines = diagram.split("\n")
    if not lines or not lines[0].strip():
        return ["empty diagram"]
    head = lines[0].split()
    problems: list[str] = []
    if head[0] == "flowchart":
        if len(head) != 2 or head[1] not in _DIRECTIONS:
            problems.append(f"line 1: bad flowchart direction: {lines[0]!r}")
        defined: set[str] = set()
        edges: list[tuple[int, str]] = []
        classes: set[str] = set()
        for n, line in enumerate(lines[1:], start=2):
            if line.startswith("    classDef "):
                if not _CLASSDEF.match(line):
                    problems.append(f"line {n}: bad classDef: {line!r}")
                classes.add(line.split()[1])
                continue
            if line.startswith("    class "):
                if not _CLASS.match(line):
                    problems.append(f"line {n}: bad class line: {line!r}")
                    continue
                _, ids, cls = line.split()
                if cls not in classes:
                    problems.append(f"line {n}: class {cls!r} used before classDef")
                edges.extend((n, i) for i in ids.split(","))
                continue
            if not _FLOW_LINE.match(line):
                problems.append(f"line {n}: not a node or edge: {line!r}")
                continue
            for part in re.findall(rf"({_ID})(\[\"[^\"]*\"\])?", line):
                ident, label = part
                if ident in _RESERVED_IDS:
                    problems.append(f"line {n}: {ident!r} is a reserved word, not a node id")
                if label:
                    defined.add(ident)
                else:
                    edges.append((n, ident))
        for n, ident in edges:
            if ident not in defined:
                problems.append(f"line {n}: node {ident!r} is used but never defined")
    elif head[0] == "timeline":
        if len(head) != 1:
            problems.append("line 1: 'timeline' takes no arguments")
        for n, line in enumerate(lines[1:], start=2):
            if not (_TL_TITLE.match(line) or _TL_SECTION.match(line) or _TL_EVENT.match(line)):
                problems.append(f"line {n}: not a title, section or 'period : event' line: {line!r}")
    else:
        problems.append(f"line 1: unknown diagram type {head[0]!r}")
    return problems


def blocks(markdown: str) -> list[str]:
    """The bodies of every ```mermaid fenced block in a markdown document."""
    return [m.group(1) for m in re.finditer(r"^```mermaid\n(.*?)\n```$", markdown, re.S | re.M)]
