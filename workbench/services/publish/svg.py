"""A small SVG writer for the published site: bar charts, small-multiple series and the report's diagrams.

Everything is drawn at publish time into inline `<svg>` (no script, no CDN, no external font). Text is
escaped here, so callers pass plain strings. Sizes are in user units with a viewBox, so a chart scales
to the page width (the phone layout included).
"""

from __future__ import annotations

import hashlib
import html
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

FONT = "system-ui,-apple-system,'Segoe UI',Roboto,sans-serif"
INK = "#1b1f24"
MUTED = "#57606a"
LINE = "#8c959f"
FILL = "#ddf4ff"
ACCENT = "#0969da"
SEVERITY_COLOURS = {"P0": "#cf222e", "P1": "#bc4c00", "P2": "#0969da"}


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def svg(width: float, height: float, body: list[str], label: str, cls: str = "chart") -> str:
    """An inline, scalable SVG element with an accessible name."""
    return (
        f'<svg class="{cls}" role="img" aria-label="{esc(label)}" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="100%" style="max-width:{width:.0f}px" '
        f'font-family="{FONT}" font-size="12">'
        f"<title>{esc(label)}</title>{''.join(body)}</svg>"
    )


def text(
    x: float,
    y: float,
    value: str,
    *,
    anchor: str = "start",
    size: int = 12,
    fill: str = INK,
    weight: str = "normal",
    italic: bool = False,
) -> str:
    style = ' font-style="italic"' if italic else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{fill}" '
        f'font-weight="{weight}"{style}>{esc(value)}</text>'
    )


def wrap(value: str, width: int, lines: int = 3) -> list[str]:
    out = textwrap.wrap(" ".join(value.split()), width) or [""]
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: max(1, width - 1)].rstrip() + "…"
    return out


# ------------------------------------------------------------------------------------------ charts
def hbar_chart(rows: Sequence[tuple[str, int, str | None]], label: str, unit: str = "incidents") -> str:
    """Horizontal bars: (label, value, link or None) per row, largest scale = the largest value."""
    if not rows:
        return ""
    label_w, bar_w, row_h = 300, 320, 24
    top = max(v for _, v, _ in rows) or 1
    body = []
    for n, (name, value, href) in enumerate(rows):
        y = n * row_h
        name_text = text(label_w - 8, y + 16, name if len(name) <= 44 else name[:43] + "…", anchor="end")
        if href:
            name_text = f'<a href="{esc(href)}">{name_text}</a>'
        w = max(2.0, value / top * bar_w)
        body += [
            name_text,
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="{ACCENT}" rx="2">'
            f"<title>{esc(f'{name}: {value} {unit}')}</title></rect>",
            text(label_w + w + 6, y + 16, str(value), fill=MUTED),
        ]
    return svg(label_w + bar_w + 50, len(rows) * row_h + 4, body, label)


def series_chart(quarters: list[str], series: list[tuple[str, dict[str, int], str | None]], label: str) -> str:
    """Small multiples: one row per series, a column bar per quarter, all on the same scale so rows compare."""
    if not series or not quarters:
        return ""
    name_w, col_w, row_h, head = 260, max(6, min(28, 560 // max(1, len(quarters)))), 34, 18
    top = max((max(s.values(), default=0) for _, s, _ in series), default=0) or 1
    body = []
    step = max(1, -(-48 // col_w))  # label every few quarters so labels (about 48 units wide) never overlap
    for i, q in enumerate(quarters):
        if i % step == 0:
            body.append(text(name_w + i * col_w + col_w / 2, 12, q, anchor="middle", size=10, fill=MUTED))
    for n, (name, values, href) in enumerate(series):
        y0 = head + n * row_h
        name_text = text(name_w - 8, y0 + row_h - 12, name if len(name) <= 38 else name[:37] + "…", anchor="end")
        if href:
            name_text = f'<a href="{esc(href)}">{name_text}</a>'
        body.append(name_text)
        body.append(
            f'<line x1="{name_w}" y1="{y0 + row_h - 6}" x2="{name_w + len(quarters) * col_w}" '
            f'y2="{y0 + row_h - 6}" stroke="{LINE}" stroke-width="0.5"/>'
        )
        for i, q in enumerate(quarters):
            v = values.get(q, 0)
            if v <= 0:
                continue
            h = max(1.5, v / top * (row_h - 10))
            body.append(
                f'<rect x="{name_w + i * col_w + 1}" y="{y0 + row_h - 6 - h:.1f}" width="{col_w - 2}" '
                f'height="{h:.1f}" fill="{ACCENT}"><title>{esc(f"{name}, {q}: {v}")}</title></rect>'
            )
        total = sum(values.values())
        body.append(text(name_w + len(quarters) * col_w + 6, y0 + row_h - 12, str(total), fill=MUTED))
    return svg(name_w + len(quarters) * col_w + 50, head + len(series) * row_h + 4, body, label)


def stacked_columns(quarters: list[str], by_key: dict[str, dict[str, int]], colours: dict[str, str], label: str) -> str:
    """Columns per quarter stacked by key (severity), with a legend."""
    if not quarters:
        return ""
    col_w = max(6, min(36, 640 // max(1, len(quarters))))
    left, plot_h, head = 36, 160, 24
    totals = {q: sum(v.get(q, 0) for v in by_key.values()) for q in quarters}
    top = max(totals.values(), default=0) or 1
    body = []
    x = left
    for key in by_key:
        body += [
            f'<rect x="{x}" y="4" width="10" height="10" fill="{colours.get(key, ACCENT)}"/>',
            text(x + 14, 13, key, size=11),
        ]
        x += 50
    body.append(text(left - 4, head + 10, str(top), anchor="end", size=10, fill=MUTED))
    body.append(
        f'<line x1="{left}" y1="{head + plot_h}" x2="{left + len(quarters) * col_w}" y2="{head + plot_h}" '
        f'stroke="{LINE}"/>'
    )
    step = max(1, -(-48 // col_w))
    for i, q in enumerate(quarters):
        y: float = head + plot_h
        for key, values in by_key.items():
            v = values.get(q, 0)
            if v:
                h = v / top * plot_h
                y -= h
                body.append(
                    f'<rect x="{left + i * col_w + 1}" y="{y:.1f}" width="{col_w - 2}" height="{h:.1f}" '
                    f'fill="{colours.get(key, ACCENT)}"><title>{esc(f"{q} {key}: {v}")}</title></rect>'
                )
        if i % step == 0:
            body.append(text(left + i * col_w + col_w / 2, head + plot_h + 14, q, anchor="middle", size=10, fill=MUTED))
    return svg(left + len(quarters) * col_w + 10, head + plot_h + 22, body, label)


# ------------------------------------------------------------------------------------------ diagrams
@dataclass
class Node:
    id: str
    label: str
    dashed: bool = False


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    dashed: bool = False


def flow_diagram(nodes: list[Node], edges: list[Edge], direction: str, label: str) -> str:
    """A layered drawing of a small directed graph (each edge points from a cause to its effect).

    Layer = the longest path from the node to a sink, so effects sit on one side and root causes on the
    other: top for BT (fault tree, effect on top), right for LR (fishbone, effect on the right)."""
    by_id = {n.id: n for n in nodes}
    out: dict[str, list[str]] = {n.id: [] for n in nodes}
    for e in edges:
        if e.source in by_id and e.target in by_id:
            out[e.source].append(e.target)
    depth: dict[str, int] = {}

    def layer(node_id: str, seen: frozenset[str] = frozenset()) -> int:
        if node_id in depth:
            return depth[node_id]
        if node_id in seen:  # a cycle (never emitted by us): cut it
            return 0
        d = max((layer(t, seen | {node_id}) + 1 for t in out[node_id]), default=0)
        depth[node_id] = d
        return d

    for n in nodes:
        layer(n.id)
    layers: dict[int, list[Node]] = {}
    for n in nodes:
        layers.setdefault(depth[n.id], []).append(n)
    # Fewer crossings: each layer ordered by where its nodes' effects sit in the layer before (barycentre).
    for d in sorted(layers)[1:]:
        rank = {n.id: i for i, n in enumerate(layers.get(d - 1, []))}
        layers[d].sort(key=lambda n: sum(rank.get(t, 0) for t in out[n.id]) / max(1, len(out[n.id])))
    horizontal = direction in ("LR", "RL")
    box_w, chars = (200, 28) if horizontal else (180, 25)
    line_h = 15
    lines_of = {n.id: wrap(n.label, chars, 4) for n in nodes}
    box_h = {n.id: 12 + line_h * len(lines_of[n.id]) for n in nodes}
    gap_along, gap_across = (70, 14) if horizontal else (46, 18)
    n_layers = max(layers) + 1 if layers else 1
    # Across the layers: members side by side; each layer centred on the widest one.
    tall = max(box_h.values())
    span = {
        d: sum((box_h[n.id] + gap_across) if horizontal else (box_w + gap_across) for n in members) - gap_across
        for d, members in layers.items()
    }
    extent = max(span.values(), default=0) + 20
    pos: dict[str, tuple[float, float]] = {}
    for d, members in layers.items():
        along = 10 + ((n_layers - 1 - d) if direction == "LR" else d) * ((box_w if horizontal else tall) + gap_along)
        offset = 10 + (extent - 20 - span[d]) / 2
        for n in members:
            pos[n.id] = (along, offset) if horizontal else (offset, along)
            offset += (box_h[n.id] if horizontal else box_w) + gap_across
    if horizontal:
        width, height = 20 + n_layers * box_w + (n_layers - 1) * gap_along, extent
    else:
        width, height = extent, 20 + n_layers * tall + (n_layers - 1) * gap_along
    # A marker id of its own per diagram: several diagrams share one page, and ids must be unique there.
    marker = "arrow-" + hashlib.sha1("|".join([label, *sorted(by_id)]).encode()).hexdigest()[:10]
    body = [
        f'<defs><marker id="{marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{MUTED}"/></marker></defs>'
    ]
    for e in edges:
        if e.source not in pos or e.target not in pos:
            continue
        (sx, sy), (tx, ty) = pos[e.source], pos[e.target]
        if horizontal:
            x1, y1 = sx + box_w, sy + box_h[e.source] / 2
            x2, y2 = tx, ty + box_h[e.target] / 2
        else:
            x1, y1 = sx + box_w / 2, sy
            x2, y2 = tx + box_w / 2, ty + box_h[e.target]
        dash = ' stroke-dasharray="4 4"' if e.dashed else ""
        body.append(
            f'<line class="edge" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{MUTED}" '
            f'stroke-width="1.3"{dash} marker-end="url(#{marker})"/>'
        )
    for n in nodes:
        x, y = pos[n.id]
        dash = ' stroke-dasharray="5 4"' if n.dashed else ""
        body.append(
            f'<g class="node"><rect x="{x:.1f}" y="{y:.1f}" width="{box_w}" height="{box_h[n.id]}" rx="6" '
            f'fill="{FILL}" stroke="{ACCENT}" stroke-width="{1 if n.dashed else 2}"{dash}/>'
        )
        for i, line in enumerate(lines_of[n.id]):
            body.append(text(x + box_w / 2, y + 6 + line_h * (i + 1) - 3, line, anchor="middle", italic=n.dashed))
        body.append("</g>")
    return svg(width, height, body, label, cls="diagram")


def timeline_diagram(title: str, sections: list[tuple[str, list[tuple[str, str]]]], label: str) -> str:
    """A vertical timeline: a day heading per section, then `HH.MM  event` with a dot on a rail."""
    body = [text(10, 18, title, weight="bold", size=13)]
    y = 34.0
    rail_x = 70
    start = y
    for day, events in sections:
        body.append(text(10, y + 12, day, weight="bold", fill=MUTED))
        y += 22
        for when, event in events:
            lines = wrap(event, 80, 3)
            body.append(f'<circle cx="{rail_x}" cy="{y + 8}" r="4" fill="{ACCENT}"/>')
            body.append(text(rail_x - 10, y + 12, when, anchor="end", size=11, fill=MUTED))
            for i, line in enumerate(lines):
                body.append(text(rail_x + 12, y + 12 + i * 15, line))
            y += 8 + 15 * len(lines)
        y += 6
    body.insert(
        1, f'<line x1="{rail_x}" y1="{start + 22}" x2="{rail_x}" y2="{y - 10:.1f}" stroke="{LINE}" stroke-width="2"/>'
    )
    return svg(640, y + 4, body, label, cls="diagram")
