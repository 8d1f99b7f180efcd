"""The report's Mermaid blocks drawn as inline SVG at publish time.

The report (services/report) writes its diagrams as Mermaid text in the grammar subset that
`report.mermaid.validate` defines. Reading that text back, rather than drawing from the incident model,
means the picture shows exactly what the report says, redaction included. A block outside the subset
(say, hand-written Mermaid in the narrative) is left as its source text: nothing is guessed.
"""

from __future__ import annotations

import html
import re

from ..report import mermaid
from . import svg

_NODE_RE = re.compile(r"([A-Za-z][A-Za-z0-9_]*)(?:\[\"((?:[^\"]|#quot;)*)\"\])?")
_PRE_RE = re.compile(r'<pre class="mermaid">(.*?)</pre>', re.S)


def _label(raw: str) -> str:
    return raw.replace("#quot;", '"')


def flowchart_svg(source: str, label: str) -> str | None:
    lines = source.split("\n")
    direction = lines[0].split()[1]
    nodes: dict[str, svg.Node] = {}
    edges: list[svg.Edge] = []
    dashed_classes: set[str] = set()
    for line in lines[1:]:
        body = line.strip()
        if body.startswith("classDef "):
            if "dasharray" in body:
                dashed_classes.add(body.split()[1])
            continue
        if body.startswith("class "):
            _, ids, cls = body.split()
            if cls in dashed_classes:
                for ident in ids.split(","):
                    if ident in nodes:
                        nodes[ident].dashed = True
            continue
        parts = _NODE_RE.findall(body)
        for ident, text in parts:
            if text or ident not in nodes:
                nodes[ident] = svg.Node(ident, _label(text) if text else ident)
        if len(parts) == 2:
            edges.append(svg.Edge(parts[0][0], parts[1][0], dashed="-.->" in body))
    return svg.flow_diagram(list(nodes.values()), edges, direction, label)


def timeline_svg(source: str, label: str) -> str | None:
    title = ""
    sections: list[tuple[str, list[tuple[str, str]]]] = []
    for line in source.split("\n")[1:]:
        body = line.strip()
        if body.startswith("title "):
            title = body[6:]
        elif body.startswith("section "):
            sections.append((body[8:], []))
        elif " : " in body:
            when, event = body.split(" : ", 1)
            if not sections:
                sections.append(("", []))
            sections[-1][1].append((when.replace(".", ":"), event))
    return svg.timeline_diagram(title, sections, label)


def diagram_svg(source: str, label: str) -> str | None:
    """SVG for one Mermaid block, or None when it is outside the subset we draw."""
    if mermaid.validate(source):
        return None
    kind = source.split("\n", 1)[0].split()[0]
    return flowchart_svg(source, label) if kind == "flowchart" else timeline_svg(source, label)


def inline_diagrams(body_html: str) -> tuple[str, int, int]:
    """Replace each `<pre class="mermaid">` in rendered report HTML by its SVG (inside a figure that keeps the
    source for copying). Returns the HTML, how many were drawn and how many were left as text."""
    drawn = left = 0

    def swap(match: re.Match[str]) -> str:
        nonlocal drawn, left
        source = html.unescape(match.group(1)).strip("\n")
        heading = _heading_before(body_html, match.start())
        picture = diagram_svg(source, heading or "Diagram")
        if picture is None:
            left += 1
            return match.group(0)
        drawn += 1
        return (
            f'<figure class="diagram">{picture}<details><summary>Mermaid source</summary>'
            f'<pre class="mermaid-source">{match.group(1)}</pre></details></figure>'
        )

    out = _PRE_RE.sub(swap, body_html)
    return out, drawn, left


def _heading_before(body_html: str, at: int) -> str:
    found = re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", body_html[:at])
    return html.unescape(re.sub(r"<[^>]*>", "", found[-1])) if found else ""
