"""postmortem.md: the narrative, as level-2 sections. Pure text functions, line-preserving."""

from __future__ import annotations

import re
from dataclasses import dataclass

# The narrative parts of the canonical report; the structured parts (timeline, causes, actions,
# lessons) live in incident.toml and are rendered from there.
CANONICAL_SECTIONS: tuple[str, ...] = ("Executive Summary", "Detection & Initial Response", "Technical Analysis")
LIGHT_SECTIONS: tuple[str, ...] = ("Executive Summary", "Technical Analysis")

_FENCE_RE = re.compile(r"^\s{0,3}(```|~~~)")
_H2_RE = re.compile(r"^##\s+(.+?)\s*#*\s*$")
_MARKS = "#`~"  # what a line starts with (after up to 3 spaces) to be a fence or a heading


@dataclass(frozen=True)
class Section:
    heading: str  # "" for text before the first heading
    body: str
    line: int  # 1-based line of the heading (or 1 for the preamble)


def sections(markdown: str) -> list[Section]:
    out: list[Section] = []
    heading, start = "", 1
    buf: list[str] = []
    in_fence = False
    for number, line in enumerate(markdown.splitlines(), start=1):
        if line[:1] not in _MARKS and not line[:1].isspace():  # most lines: neither a fence nor a heading
            buf.append(line)
            continue
        if _FENCE_RE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _H2_RE.match(line)
        if match:
            if heading or any(b.strip() for b in buf):
                out.append(Section(heading, "\n".join(buf).strip("\n"), start))
            heading, start, buf = match.group(1), number, []
        else:
            buf.append(line)
    if heading or any(b.strip() for b in buf):
        out.append(Section(heading, "\n".join(buf).strip("\n"), start))
    return out


def section_text(markdown: str, heading: str) -> str:
    wanted = heading.casefold()
    return next((s.body for s in sections(markdown) if s.heading.casefold() == wanted), "")


def template(light: bool = False) -> str:
    names = LIGHT_SECTIONS if light else CANONICAL_SECTIONS
    hints = {
        "Executive Summary": "2–4 sentences: what happened, the impact in numbers, and the top 3 actions.",
        "Detection & Initial Response": "How the incident was noticed, by whom (a role), and the first steps taken.",
        "Technical Analysis": (
            "What the system did and why, including the AI-native factors: data, evals, prompts, "
            "non-determinism, opacity, rapid iteration. Mark [DATA GAP] and [ASSUMPTION] where evidence is missing."
        ),
    }
    return "\n\n".join(f"## {name}\n\n<!-- {hints[name]} -->" for name in names) + "\n"


# Headings that hold the executive summary in postmortem.md (the report reads the same ones).
SUMMARY_HEADINGS: tuple[str, ...] = ("executive summary", "summary", "tl;dr", "tldr", "executive summary & impact")
_HINT_RE = re.compile(r"<!--.*?-->", re.DOTALL)


def narrative_summary(markdown: str) -> tuple[str, int | None]:
    """The narrative's executive summary (its sections under SUMMARY_HEADINGS, authoring hints removed)
    and the line of the first such heading; ("", None) when there is none or it holds only hints."""
    parts, line = [], None
    for s in sections(markdown):
        if s.heading.strip().casefold() in SUMMARY_HEADINGS:
            body = _HINT_RE.sub("", s.body).strip()
            if body:
                parts.append(body)
                line = s.line if line is None else line
    return "\n\n".join(parts), line


def summary_source(field: str, markdown: str) -> str:
    """Where the one executive summary comes from: "summary" (the field) or "postmortem.md" (the narrative's
    section). The field, unless it is empty or the section holds all of it and more (then printing the field
    would drop the rest). Two summaries that differ print the field; the check summary.conflict flags them."""
    section, _ = narrative_summary(markdown)
    if not field.strip():
        return "postmortem.md" if section else "summary"
    if section and same_summary(field, section) and len(_norm(section)) > len(_norm(field)):
        return "postmortem.md"
    return "summary"


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[*_`]", "", text).split()).casefold()


def same_summary(field: str, section: str) -> bool:
    """Whether the summary field and the narrative's summary say the same thing: one holds the other, up to
    whitespace and markdown emphasis. An empty side never disagrees."""
    a, b = _norm(field), _norm(section)
    return not a or not b or a in b or b in a
