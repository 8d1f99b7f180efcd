"""Markdown tables and simple lists drawn as one widget each, for the long previews (Report, Narrative).

Textual's Markdown makes a widget per table cell (a grid of Statics) and four per list item (a row holding the
bullet and a column holding the paragraph), and every layout of the screen walks every widget under it: the
report's timeline table alone was ~80 widgets, a 10-item list 41. Here a table is one widget drawing a Rich
table (each cell wraps inside the width, so a wide table never runs past the edge), and a list whose items are
each one paragraph is one widget drawing a two-column grid (the bullet, then the text wrapping under itself),
which reads as Textual's list does. Anything else (a list holding a code block or another list, a table inside a
list) is left to Textual's own blocks.

Each block re-reads its own source (the lines Textual's parser gave it, a public `source`) with the same parser:
the parsed cells are kept, and the Rich renderable is made at render time, so a theme change restyles it. It
is made, and drawn at a width, once for as long as the styles it is drawn with stay the same (redraw.KeptLines):
Textual asks for it again at each layout and each refresh, and draws it once to measure and once to paint.

Text selection: a Rich renderable carries no offsets, so a selection cannot start or end inside one of these
blocks, but one running through it (or ending on it) takes its whole text (`get_selection`, Textual's public hook
for a custom widget: a table's rows a line each, cells tab-separated; a list's items a line each, bullet first)
and draws the block in the selection's colours, as Textual's Digits does. Without it the text was left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from markdown_it import MarkdownIt
from markdown_it.token import Token
from rich import box
from rich.console import Group
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult, RenderResult
from textual.selection import Selection
from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownBlock

from .redraw import KeptLines, RenderedOnce
from .table_fold import FoldingTable, folded_line, longest_cells

# Textual's own block classes, from its public mapping: what a table or list falls back to when it is not one of
# the simple shapes drawn here (their module is private; the mapping is documented).
TextualTable = Markdown.BLOCKS["table_open"]
TextualBulletList = Markdown.BLOCKS["bullet_list_open"]
TextualOrderedList = Markdown.BLOCKS["ordered_list_open"]

BREAK = re.compile(r"<br\s*/?>", re.I)
LONG_CELL = 24  # a column whose longest cell is longer wraps, sharing the room the shorter columns leave


def column_ratios(longest: list[int], long: int = LONG_CELL) -> list[int | None]:
    """Per column, its share of the room left (None: as wide as its content). Columns of long text share what
    the short ones leave, in proportion to their length (2 to 4 shares); short columns keep their width."""
    return [max(2, min(n // long, 4)) if n > long else None for n in longest]


def _parse(source: str | None) -> list[Token]:
    return MarkdownIt("gfm-like").parse(source) if source else []


class _Inline:
    """Inline markdown tokens to a Rich Text, styled by the block's component classes (em, strong, code...)."""

    def __init__(self, block: MarkdownBlock) -> None:
        self.styles = {
            name: block.get_component_rich_style(name, partial=True) for name in ("em", "strong", "s", "code_inline")
        }

    @property
    def key(self) -> tuple[Style, ...]:
        """The styles it draws with, to tell when a block drawn with them must be drawn again."""
        return tuple(self.styles.values())

    def text(self, token: Token | None) -> Text:
        text = Text()
        if token is None or token.children is None:
            return text
        opened: list[tuple[Style, int]] = []
        for child in token.children:
            kind = child.type
            if kind == "text":
                text.append(re.sub(r"\s+", " ", child.content))
            elif kind == "softbreak":
                text.append(" ")
            elif kind == "hardbreak" or (kind == "html_inline" and BREAK.fullmatch(child.content.strip())):
                text.append("\n")  # a table cell's line break is written <br> (a cell is one source line)
            elif kind == "code_inline":
                text.append(child.content, style=self.styles["code_inline"])
            elif kind in ("em_open", "strong_open", "s_open"):
                opened.append((self.styles[kind[:-5]], len(text)))
            elif kind == "link_open":
                href = str(child.attrs.get("href", ""))
                opened.append((Style(underline=True) + Style.from_meta({"@click": f"link({href!r})"}), len(text)))
            elif kind == "image":
                text.append("🖼  " + (f"({child.attrs.get('alt', '')})" if child.attrs.get("alt") else ""))
                text.append("".join(grandchild.content for grandchild in child.children or ()))
            elif kind.endswith("_close") and opened:
                style, start = opened.pop()
                text.stylize(style, start, len(text))
        return text


def _longest_line(cell: Text) -> int:
    return max(len(line) for line in cell.plain.split("\n"))


def _selected(block: MarkdownBlock) -> Style | str:
    """The selection's colours while a selection covers the block (it is taken whole), else no style."""
    if block.text_selection is None:
        return ""
    return block.screen.get_component_rich_style("screen--selection", partial=True)


def _justify(token: Token) -> str:
    style = str(token.attrs.get("style", ""))
    for side in ("right", "center"):
        if f"text-align:{side}" in style:
            return side
    return "left"


class OneWidgetTable(TextualTable):  # type: ignore[misc,valid-type]  # a base from Textual's public BLOCKS mapping
    """A Markdown table as one widget: a Rich table, its cells wrapping inside the width."""

    COMPONENT_CLASSES = MarkdownBlock.COMPONENT_CLASSES | {"markdown-table--header", "markdown-table--lines"}
    DEFAULT_CSS = """
    OneWidgetTable { height: auto; }
    OneWidgetTable > .markdown-table--header { color: $primary; text-style: bold; }
    OneWidgetTable > .markdown-table--lines { color: $foreground 20%; }
    """

    cells: tuple[list[tuple[Token, str]], list[list[Token]]] | None = None  # header (inline, align), row inlines
    drawn: KeptLines  # the table made from the cells, and its lines

    def compose(self) -> ComposeResult:
        self.cells = self._read(_parse(self.source))
        self.drawn = KeptLines()
        if self.cells is None:  # not a table on its own (e.g. inside a list item): Textual's grid of cells
            yield from super().compose()

    @staticmethod
    def _read(tokens: list[Token]) -> tuple[list[tuple[Token, str]], list[list[Token]]] | None:
        if not tokens or tokens[0].type != "table_open" or tokens[0].level != 0:
            return None
        header: list[tuple[Token, str]] = []
        rows: list[list[Token]] = []
        in_head = False
        for n, token in enumerate(tokens):
            if token.type == "table_close":
                break
            if token.type == "thead_open":
                in_head = True
            elif token.type == "thead_close":
                in_head = False
            elif token.type == "tr_open" and not in_head:
                rows.append([])
            elif token.type == "inline" and n and tokens[n - 1].type in ("th_open", "td_open"):
                if in_head:
                    header.append((token, _justify(tokens[n - 1])))
                elif rows:
                    rows[-1].append(token)
        return (header, rows) if header else None

    @property
    def drawn_here(self) -> bool:
        """Drawn as one widget (a table on its own), not as Textual's grid of cells."""
        return self.cells is not None

    def plain_rows(self) -> list[list[str]]:
        """The table's text, header first, a list of cells per row (what a reader sees, without styles)."""
        if self.cells is None:
            return []
        header, rows = self.cells
        inline = _Inline(self)
        return [[inline.text(t).plain for t, _ in header]] + [[inline.text(t).plain for t in row] for row in rows]

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        if self.cells is None:
            return super().get_selection(selection)
        return "\n".join("\t".join(row) for row in self.plain_rows()), "\n"

    def render(self) -> RenderResult:
        if self.cells is None:
            return super().render()
        inline = _Inline(self)
        header_style = self.get_component_rich_style("markdown-table--header", partial=True)
        border_style = self.get_component_rich_style("markdown-table--lines", partial=True)
        style = _selected(self)
        return self.drawn.get(
            (*inline.key, header_style, border_style, style),
            lambda: self._table(inline, header_style, border_style, style),
        )

    def _table(self, inline: _Inline, header_style: Style, border_style: Style, style: Style | str) -> FoldingTable:
        """The table, drawn whole where the width allows; narrower, its short columns folded under each row's text
        (table_fold.py), so a long column is never squeezed to a letter a line."""
        assert self.cells is not None
        header, rows = self.cells
        head = [inline.text(token) for token, _ in header]
        body = [[inline.text(token) for token in row] for row in rows]
        longest = [
            max([_longest_line(cell)] + [_longest_line(row[n]) for row in body if n < len(row)])
            for n, cell in enumerate(head)
        ]
        ratios = column_ratios(longest)

        def make(folded: list[int]) -> Table:
            table = Table(
                box=box.SQUARE,
                show_lines=True,
                expand=True,
                padding=(0, 1),
                header_style=header_style,
                border_style=border_style,
                style=style,
            )
            kept = [n for n in range(len(head)) if n not in folded]
            under = next((n for n in kept if ratios[n] is not None), None)  # the first long column
            for n in kept:
                justify = header[n][1]
                table.add_column(head[n], justify=justify, ratio=ratios[n], overflow="fold")  # type: ignore[arg-type]  # justify: a str of the literals
            for row in body:
                if not folded:
                    table.add_row(*row[: len(head)])
                    continue
                cells = list(row[: len(head)]) + [Text()] * (len(head) - len(row))
                shown = []
                for n in kept:
                    cell = cells[n]
                    if n == under:
                        line = folded_line([head[k] for k in folded], [cells[k] for k in folded], header_style)
                        if line:
                            cell = Text.assemble(cell, "\n", line)
                    shown.append(cell)
                table.add_row(*shown)
            return table

        return FoldingTable(longest_cells(head, body), ratios, make)


# One list item: its bullet (or number), its paragraph's inline text, and the items of a list nested under it.
Item = tuple[str, Token, list["Item"]]
LIST_KINDS = ("bullet_list_open", "ordered_list_open")


def _read_list(tokens: list[Token], n: int, depth: int) -> tuple[list[Item], int] | None:
    """The list opened at `tokens[n]` when each item is one paragraph, optionally followed by one list of the same
    shape (nested to any depth): its items and the index after its close; None for any other shape. `depth`: the
    bullet items around it, which choose its bullet as Textual's Markdown does (• then ▪ ...)."""
    opener = tokens[n]
    numbered = opener.type == "ordered_list_open"
    close = opener.type.replace("_open", "_close")
    raw: list[tuple[str, Token, list[Item]]] = []
    n += 1
    while n < len(tokens) and not (tokens[n].type == close and tokens[n].level == opener.level):
        if tokens[n].type != "list_item_open" or n + 3 >= len(tokens):
            return None
        info = tokens[n].info
        para, inline, para_close = tokens[n + 1 : n + 4]
        if (para.type, inline.type, para_close.type) != ("paragraph_open", "inline", "paragraph_close"):
            return None  # an item starting with a code block, a quote, a list...
        n += 4
        children: list[Item] = []
        if n < len(tokens) and tokens[n].type in LIST_KINDS:
            nested = _read_list(tokens, n, depth + (0 if numbered else 1))
            if nested is None:
                return None
            children, n = nested
        if n >= len(tokens) or tokens[n].type != "list_item_close":
            return None  # a second paragraph, a second list, a code block...
        n += 1
        raw.append((info, inline, children))
    if n >= len(tokens) or not raw:
        return None
    bullets = _bullets([info for info, _, _ in raw], numbered, depth)
    return [(bullet, inline, children) for bullet, (_, inline, children) in zip(bullets, raw)], n + 1


def _bullets(numbers: list[str], numbered: bool, depth: int = 0) -> list[str]:
    if not numbered:
        return [Markdown.BULLETS[depth % len(Markdown.BULLETS)]] * len(numbers)
    try:
        start = int(numbers[0])
    except ValueError:
        start = 1
    symbols = [f"{n}. " for n in range(start, start + len(numbers))]
    width = max(len(s) for s in symbols)
    return [s.rjust(width + 1) for s in symbols]


class _OneWidgetList:
    """Shared by the bullet and the numbered list: one widget when every item is a single paragraph, with at most
    one list of the same shape nested under it (a report's Impact section: 11 items were 50 widgets)."""

    items: list[Item] | None = None
    drawn: KeptLines  # the grid made from the items, and its lines

    @property
    def drawn_here(self) -> bool:
        """Drawn as one widget (a simple list), not as Textual's rows of bullets and paragraphs."""
        return self.items is not None

    def _read_items(self, block: MarkdownBlock, tokens: list[Token], numbered: bool) -> list[Item] | None:
        kind = "ordered_list_open" if numbered else "bullet_list_open"
        if not tokens or tokens[0].type != kind or not block.has_class("level-0"):
            return None
        read = _read_list(tokens, 0, 0)
        if read is None or read[1] != len(tokens):
            return None  # more than the one list: not its own source
        return read[0]

    def _selected_text(self, block: MarkdownBlock, items: list[Item]) -> str:
        inline = _Inline(block)

        def lines(items: list[Item], indent: str) -> Iterable[str]:
            for bullet, token, children in items:
                yield f"{indent}{bullet.strip()} {inline.text(token).plain}"
                yield from lines(children, indent + "  ")

        return "\n".join(lines(items, ""))

    def _drawn(self, block: MarkdownBlock, items: list[Item]) -> RenderResult:
        inline = _Inline(block)
        bullet_style = block.get_component_rich_style("markdown-list--bullet", partial=True)
        style = _selected(block)
        return self.drawn.get(
            (*inline.key, bullet_style, style), lambda: self._grid(inline, bullet_style, style, items)
        )

    @staticmethod
    def _grid(inline: _Inline, bullet_style: Style, style: Style | str, items: list[Item]) -> Table:

        def grid_of(items: list[Item]) -> Table:
            grid = Table.grid(expand=True)
            grid.add_column(no_wrap=True)
            grid.add_column(ratio=1, overflow="fold")
            for bullet, token, children in items:
                text = inline.text(token)
                # A nested list sits under the item's text, indented by its bullet, as Textual's column does.
                grid.add_row(Text(bullet, style=bullet_style), Group(text, grid_of(children)) if children else text)
            return grid

        grid = grid_of(items)
        grid.style = style
        return grid


class OneWidgetBulletList(_OneWidgetList, TextualBulletList):  # type: ignore[misc,valid-type]  # a base from Textual's public BLOCKS mapping
    """A bullet list of one-paragraph items as one widget."""

    COMPONENT_CLASSES = MarkdownBlock.COMPONENT_CLASSES | {"markdown-list--bullet"}
    DEFAULT_CSS = """
    OneWidgetBulletList > .markdown-list--bullet { color: $text-primary; }
    OneWidgetBulletList:light > .markdown-list--bullet { color: $text-secondary; }
    """

    def compose(self) -> ComposeResult:
        self.items = self._read_items(self, _parse(self.source), numbered=False)
        self.drawn = KeptLines()
        if self.items is None:
            yield from super().compose()

    def render(self) -> RenderResult:
        return super().render() if self.items is None else self._drawn(self, self.items)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        if self.items is None:
            return super().get_selection(selection)
        return self._selected_text(self, self.items), "\n"


class OneWidgetOrderedList(_OneWidgetList, TextualOrderedList):  # type: ignore[misc,valid-type]  # a base from Textual's public BLOCKS mapping
    """A numbered list of one-paragraph items as one widget."""

    COMPONENT_CLASSES = MarkdownBlock.COMPONENT_CLASSES | {"markdown-list--bullet"}
    DEFAULT_CSS = """
    OneWidgetOrderedList > .markdown-list--bullet { color: $text-primary; }
    OneWidgetOrderedList:light > .markdown-list--bullet { color: $text-secondary; }
    """

    def compose(self) -> ComposeResult:
        self.items = self._read_items(self, _parse(self.source), numbered=True)
        self.drawn = KeptLines()
        if self.items is None:
            yield from super().compose()

    def render(self) -> RenderResult:
        return super().render() if self.items is None else self._drawn(self, self.items)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        if self.items is None:
            return super().get_selection(selection)
        return self._selected_text(self, self.items), "\n"


ONE_WIDGET_BLOCKS: dict[str, type[MarkdownBlock]] = {
    "table_open": OneWidgetTable,
    "bullet_list_open": OneWidgetBulletList,
    "ordered_list_open": OneWidgetOrderedList,
}


def prime_blocks(markdown: Markdown, width: int) -> None:
    """Draw the one-widget blocks of a just-built `markdown` now, at `width` (the width the screen's next layout
    will give them), in the caller's turn of the event loop. Left to that layout, they were drawn in the same turn
    as the measuring and painting of every new widget in view: ~20% of the Report pane's longest turn. At another
    width they are drawn then, as before (their lines are kept by width), so no picture can change."""
    if width <= 0 or not markdown.is_mounted:
        return
    app = markdown.app
    options = app.console_options.update_width(width).update(highlight=False)  # as Textual measures a Static
    for block in markdown.children:
        if isinstance(block, (OneWidgetTable, OneWidgetBulletList, OneWidgetOrderedList)) and block.drawn_here:
            drawn = block.render()
            if isinstance(drawn, RenderedOnce):
                drawn.prime(app.console, options)


class LightMarkdown(Markdown):
    """Textual's Markdown with tables and simple lists drawn as one widget each (see the module's docstring)."""

    def get_block_class(self, block_name: str) -> type[MarkdownBlock]:
        return ONE_WIDGET_BLOCKS.get(block_name) or super().get_block_class(block_name)
