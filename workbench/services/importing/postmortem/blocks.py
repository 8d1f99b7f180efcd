"""A markdown document as lines grouped into headed sections and blocks (tables, list items,
fences, other lines), keeping every original line so that nothing can be lost on the way."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FENCE_RE = re.compile(r"^\s{0,3}(```|~~~)")
HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
ITEM_RE = re.compile(r"^(\s*)(?:[-*+]|\d+[.)])\s+\S")
SETEXT_RE = re.compile(r"^\s{0,3}(=+|-{2,})\s*$")
DELIM_RE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


@dataclass
class Block:
    kind: str  # "table" | "item" | "fence" | "line" | "heading"
    lines: list[str]
    level: int = 0  # heading level, or list item indent
    title: str = ""  # heading text

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class Section:
    heading: str  # "" for the preamble
    heading_line: str  # as written (ATX), or the text line of a setext heading
    level: int
    blocks: list[Block] = field(default_factory=list)
    underline: list[str] = field(default_factory=list)  # a setext heading's === / --- line


def split_front_matter(lines: list[str]) -> tuple[list[str], list[str]]:
    if lines and lines[0].strip() == "---":
        for n in range(1, min(len(lines), 200)):
            if lines[n].strip() == "---":
                return lines[: n + 1], lines[n + 1 :]
    return [], lines


def table_cells(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [c.strip() for c in re.split(r"(?<!\\)\|", body)]


def blocks_of(lines: list[str]) -> list[Block]:
    out: list[Block] = []
    n = 0
    while n < len(lines):
        line = lines[n]
        fence = FENCE_RE.match(line)
        if fence:
            marker = fence.group(1)
            end = n + 1
            while end < len(lines) and not lines[end].lstrip().startswith(marker):
                end += 1
            out.append(Block("fence", lines[n : end + 1]))
            n = end + 1
            continue
        heading = HEADING_RE.match(line)
        if heading:
            out.append(Block("heading", [line], len(heading.group(1)), heading.group(2)))
            n += 1
            continue
        setext = SETEXT_RE.match(lines[n + 1]) if n + 1 < len(lines) else None
        if (
            line.strip()
            and setext
            and not ITEM_RE.match(line)
            and not line.lstrip().startswith(("|", ">", "<"))
            and not (out and out[-1].kind == "line" and out[-1].lines[0].strip())
        ):
            level = 1 if setext.group(1).startswith("=") else 2
            out.append(Block("heading", lines[n : n + 2], level, line.strip()))
            n += 2
            continue
        if line.lstrip().startswith("|") and n + 1 < len(lines) and DELIM_RE.match(lines[n + 1]):
            end = n + 2
            while end < len(lines) and lines[end].lstrip().startswith("|"):
                end += 1
            out.append(Block("table", lines[n:end]))
            n = end
            continue
        item = ITEM_RE.match(line)
        if item:
            indent = len(item.group(1))
            end = n + 1
            # continuation: indented deeper than the marker, or lazy text right below, until a blank/item/heading
            while end < len(lines):
                nxt = lines[end]
                if (
                    not nxt.strip()
                    or ITEM_RE.match(nxt)
                    or HEADING_RE.match(nxt)
                    or FENCE_RE.match(nxt)
                    or nxt.lstrip().startswith("|")
                ):
                    break
                end += 1
            out.append(Block("item", lines[n:end], indent))
            n = end
            continue
        out.append(Block("line", [line]))
        n += 1
    return out


def sectioned(lines: list[str]) -> list[Section]:
    """Level-1 and level-2 headings open sections (the first level-1 heading is the title, handled by
    the caller); deeper headings stay inside as blocks."""
    sections = [Section("", "", 0)]
    for block in blocks_of(lines):
        if block.kind == "heading" and block.level <= 2:
            sections.append(Section(block.title, block.lines[0], block.level, underline=block.lines[1:]))
        else:
            sections[-1].blocks.append(block)
    return sections
