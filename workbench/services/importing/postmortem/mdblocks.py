"""A markdown document as blocks with source line numbers, from markdown-it-py's token stream.

Each block knows the headings above it, so a time under "### 2025-07-26 Saturday" or a list under
"## Action Items" is read in its context. Code blocks, HTML and footnote definitions are kept as
blocks (for the narrative) but marked as not prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

_MD = MarkdownIt("commonmark").enable("table")


@dataclass
class Heading:
    level: int
    text: str
    line: int  # 1-based line in the source file


@dataclass
class Block:
    kind: str  # "heading" | "paragraph" | "item" | "row" | "code" | "html" | "quote" | "rule"
    text: str  # plain text (markup removed); for a row, the cells joined with " | "
    line: int  # first line, 1-based, in the source file
    end: int  # last line, 1-based
    headings: tuple[Heading, ...] = ()  # the headings this block sits under, outermost first
    depth: int = 0  # list nesting (0 = top-level item)
    ordered: bool = False
    list_id: int = 0  # items of one list share it
    cells: list[str] = field(default_factory=list)  # a table row's cells
    header: list[str] = field(default_factory=list)  # the header cells of a row's table
    raw: str = ""  # the item's first line as written (ticks, bold, emoji)
    level: int = 0  # a heading's level
    quoted: bool = False  # inside a block quote: someone else's words (a reporter's steps, a tweet)
    label: str = ""  # a paragraph's leading bold words ("**Actions planned:**"), colon dropped
    head: str = ""  # an item's bold lead, else its first paragraph ("Root cause discovery and isolation")

    @property
    def only_label(self) -> bool:
        """A paragraph that is nothing but bold words: written as a heading without heading markup."""
        return bool(self.label) and self.text.rstrip(": ") == self.label

    @property
    def label_like(self) -> bool:
        """An item that is a field of a record: its bold lead is a label followed by ':' ("- **Date**: ...")."""
        return bool(self.head) and self.head != self.text and bool(re.match(r"[^:]{1,40}:", self.text))

    @property
    def prose(self) -> bool:
        return self.kind in ("heading", "paragraph", "item", "row", "quote") and not self.text.startswith("[^")


def split_front_matter(text: str) -> tuple[dict[str, str], int]:
    """Simple `key: value` front matter and the number of lines it takes (0 when there is none)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, 0
    for n in range(1, min(len(lines), 300)):
        if lines[n].strip() == "---":
            meta = {}
            for line in lines[1:n]:
                match = re.match(r"^([A-Za-z_][\w-]*):\s*(.*)$", line)
                if match:
                    meta[match.group(1).lower()] = match.group(2).strip().strip("\"'")
            return meta, n + 1
    return {}, 0


def _plain(token: Token) -> str:
    """The words of an inline token: text and code kept, markup, images and raw HTML dropped."""
    out: list[str] = []
    skip = 0
    for child in token.children or []:
        if child.type == "image":
            continue
        if child.type == "html_inline":
            continue
        if child.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif child.type in ("text", "code_inline"):
            out.append(child.content)
        skip += 0
    return re.sub(r"[ \t]+", " ", "".join(out)).strip()


# A bold label is heading-like only below every real heading level, so any real heading ends its reach.
LABEL_LEVEL = 7


def _leading_bold(token: Token) -> str:
    """The words of an inline token's leading bold run ("**Action taken:** ..." -> "Action taken")."""
    children = [c for c in token.children or [] if not (c.type == "text" and not c.content.strip())]
    if not children or children[0].type != "strong_open":
        return ""
    words: list[str] = []
    for child in children[1:]:
        if child.type == "strong_close":
            return re.sub(r"[ \t]+", " ", "".join(words)).strip().rstrip(":").strip()
        if child.type in ("text", "code_inline"):
            words.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            words.append(" ")
    return ""


def parse_blocks(body: str, offset: int = 0) -> list[Block]:
    """Blocks of `body` (the text after any front matter, which took `offset` lines)."""
    tokens = _MD.parse(body)
    blocks: list[Block] = []
    headings: list[Heading] = []
    lists: list[tuple[int, bool]] = []  # (list id, ordered) for each open list
    next_list = 0
    item_stack: list[Block | None] = []
    # Items that are only a bold label ("- **Review actions**:") and so head what is nested inside them.
    label_items: list[Block] = []
    header: list[str] = []
    row: list[str] | None = None
    row_map: list[int] | None = None
    in_head = False
    quote = 0
    i = 0

    def lines(tok: Token) -> tuple[int, int]:
        start, end = tok.map or (0, 1)
        return start + 1 + offset, max(start + 1, end) + offset

    source_lines = body.split("\n")
    while i < len(tokens):
        tok = tokens[i]
        t = tok.type
        if t == "heading_open":
            level = int(tok.tag[1])
            text = _plain(tokens[i + 1])
            line, end = lines(tok)
            while headings and headings[-1].level >= level:
                headings.pop()
            blocks.append(
                Block(
                    "heading",
                    text,
                    line,
                    end,
                    tuple(headings),
                    level=level,
                    raw=source_lines[line - 1 - offset] if line - 1 - offset < len(source_lines) else "",
                )
            )
            headings.append(Heading(level, text, line))
            i += 3
            continue
        if t in ("bullet_list_open", "ordered_list_open"):
            next_list += 1
            lists.append((next_list, t == "ordered_list_open"))
        elif t in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif t == "list_item_open":
            line, end = lines(tok)
            list_id, ordered = lists[-1]
            raw = source_lines[line - 1 - offset] if line - 1 - offset < len(source_lines) else ""
            block = Block(
                "item",
                "",
                line,
                end,
                tuple(headings),
                depth=len(lists) - 1,
                ordered=ordered,
                list_id=list_id,
                raw=raw,
                quoted=quote > 0,
            )
            blocks.append(block)
            item_stack.append(block)
        elif t == "list_item_close":
            closed = item_stack.pop()
            if label_items and closed is label_items[-1]:
                label_items.pop()
                while headings and headings[-1].level == LABEL_LEVEL and headings[-1].line == closed.line:
                    headings.pop()
        elif t == "blockquote_open":
            quote += 1
        elif t == "blockquote_close":
            quote -= 1
        elif t == "paragraph_open":
            text = _plain(tokens[i + 1])
            line, end = lines(tok)
            owner = item_stack[-1] if item_stack else None
            if owner is not None and (not lists or lists[-1][0] == owner.list_id):
                # A paragraph directly inside a list item belongs to the item's own text.
                first = not owner.text
                if first:
                    # "1.  **Scaling ingestion to clear backlog**" then its details: the bold lead names the item
                    owner.head = _leading_bold(tokens[i + 1]) or text
                owner.text = f"{owner.text} {text}".strip()
                bold = _leading_bold(tokens[i + 1]) if first else ""
                if bold and text.rstrip(": ") == bold and tokens[i + 3 :] and tokens[i + 3].type != "list_item_close":
                    # "- **Review actions**:" over a nested list or paragraph: a record's field written as a list
                    # item heads what is nested in it, as a heading would, until the item closes.
                    label_items.append(owner)
                    headings.append(Heading(LABEL_LEVEL, bold, line))
                owner.end = max(owner.end, end)
            else:
                label = "" if quote else _leading_bold(tokens[i + 1])
                block = Block("quote" if quote else "paragraph", text, line, end, tuple(headings), label=label)
                if label:
                    # "**Actions planned:**" on its own heads the blocks below it (until a real heading or the
                    # next label); "**Action taken:** We have ..." heads only its own paragraph.
                    while headings and headings[-1].level == LABEL_LEVEL:
                        headings.pop()
                    block.headings = (*headings, Heading(LABEL_LEVEL, label, line))
                    if block.only_label:
                        headings.append(Heading(LABEL_LEVEL, label, line))
                blocks.append(block)
            i += 3
            continue
        elif t == "thead_open":
            in_head, header = True, []
        elif t == "thead_close":
            in_head = False
        elif t == "tr_open":
            row, row_map = [], tok.map
        elif t in ("th_open", "td_open"):
            assert row is not None
            row.append(_plain(tokens[i + 1]))
            i += 3
            continue
        elif t == "tr_close":
            if in_head:
                header = row or []
            elif row is not None:
                line = (row_map[0] if row_map else 0) + 1 + offset
                blocks.append(
                    Block(
                        "row",
                        " | ".join(row),
                        line,
                        line,
                        tuple(headings),
                        cells=row,
                        header=list(header),
                        raw=source_lines[line - 1 - offset],
                    )
                )
            row = None
        elif t in ("fence", "code_block"):
            line, end = lines(tok)
            blocks.append(Block("code", tok.content, line, end, tuple(headings)))
        elif t == "html_block":
            line, end = lines(tok)
            blocks.append(Block("html", tok.content, line, end, tuple(headings)))
        elif t == "hr":
            line, end = lines(tok)
            blocks.append(Block("rule", "", line, end, tuple(headings)))
        i += 1
    return blocks
