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
