"""A long Markdown document shown in pieces, only the pieces near the view built as widgets.

Textual's Markdown widget makes a widget per block (and per table cell, list bullet): a long report is ~600 of them,
mounted in one go (the Report pane held the event loop 354-386 ms near idle at 10,000 incidents). Mounting them a
frame at a time does not help: every layout of the screen walks every widget under it, offscreen ones included, so
each frame's layout grew with what was already mounted (50 ms a frame by the end). Here the document is cut into
pieces of a few top-level blocks, each piece its own Markdown; a piece is built when it comes near the view (the
visible ones first, one a frame) and let go again when the view is far from it, keeping its height, so the scroll
height stays true and the number of widgets stays that of a few screens whatever the document's length.

A piece is cut only before a block with no top margin (a paragraph, list, table or rule): Textual collapses the
margin between two blocks (the larger of the two), and between two pieces the margins add up instead; before such
a block the sum equals the larger, so the pieces lay out line for line as one document would
(tests/ui/test_windowed_markdown.py compares them). A piece starts at the first such block after a heading, so an
edit in one section leaves the cuts of the others as they were and their pieces are kept, not rebuilt.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable
from dataclasses import dataclass

from markdown_it import MarkdownIt
from textual import work
from textual.app import RenderResult
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Markdown

from .dom_display import displayed_in_dom
from .markdown_blocks import LightMarkdown, prime_blocks
from .markdown_update import update_markdown
from .reading_scroll import ReadingScroll

PIECE_BLOCKS = 6  # top-level blocks a piece holds at most (a cut waits for a block with no top margin)
AHEAD = 0.5  # screens built beyond the view, below and above
KEEP = 1.0  # a built piece farther than this many screens from the view is hidden (its height kept)
# A hidden piece farther than this is removed: reading back a few pages shows kept widgets again, but all of a
# long report kept would make every restyle of the pane (each visit to it) walk every one of them.
PARK = 3.0
# Blocks without a top margin in Textual's Markdown CSS: a piece may start with one of these.
NO_TOP_MARGIN = {"paragraph_open", "bullet_list_open", "ordered_list_open", "table_open", "hr"}
# Lines a block takes beyond its own text (margins, a table's rules), for the height of a piece not yet built.
EXTRA_LINES = {"heading_open": 3, "fence": 4, "code_block": 4, "blockquote_open": 2, "table_open": 3, "hr": 2}


@dataclass(frozen=True)
class PieceText:
    """One piece: its source, and per block its kind and the lengths of its source lines (for an estimate)."""

    text: str
    blocks: tuple[tuple[str, tuple[int, ...]], ...]

    def estimate(self, width: int) -> int:
        """Lines this piece is likely to take at `width` columns, until it is built and measured."""
        width = max(10, width)
        lines = 0
        for kind, lengths in self.blocks:
            if kind == "table_open":  # a row is a line and a rule between rows; the delimiter row is not shown
                lines += 2 * max(0, len(lengths) - 1) + EXTRA_LINES[kind]
                continue
            text_lines = sum(max(1, math.ceil(n / width)) for n in lengths if n)
            lines += text_lines + EXTRA_LINES.get(kind, 1)  # a paragraph or list: its bottom margin
        return max(1, lines)


def split_pieces(text: str, per_piece: int = PIECE_BLOCKS) -> list[PieceText]:
    """Cut `text` into pieces that, rendered one after another, lay out as the whole text does. Pure; run it off
    the event loop for a long text (it parses the whole document)."""
    lines = text.splitlines(keepends=True)
    starts: list[tuple[int, str]] = []
    for token in MarkdownIt("gfm-like").parse(text):  # the parser Textual's Markdown uses
        if token.level == 0 and token.nesting >= 0 and token.map is not None:
            starts.append((token.map[0], token.type))
    if not starts:
        return [PieceText(text, ())] if text else []
    cuts = [0]
    blocks_in_piece = 0
    after_heading = False
    for n, (line, kind) in enumerate(starts):
        if n and kind in NO_TOP_MARGIN and (after_heading or blocks_in_piece >= per_piece):
            cuts.append(line)
            blocks_in_piece = 0
        blocks_in_piece += 1
        after_heading = kind == "heading_open"
    cuts.append(len(lines))
    pieces: list[PieceText] = []
    block_at = dict(starts)
    block_lines = [line for line, _ in starts] + [len(lines)]
    for start, end in zip(cuts, cuts[1:]):
        if start >= end:
            continue
        blocks = tuple(
            (block_at[a], tuple(len(lines[i].rstrip("\n")) for i in range(a, min(b, end)) if lines[i].strip()))
            for a, b in zip(block_lines, block_lines[1:])
            if start <= a < end
        )
        pieces.append(PieceText("".join(lines[start:end]), blocks))
    return pieces


class Piece(Widget):
    """One piece's place in the document: empty at a fixed height until built, then its Markdown at its own."""

    DEFAULT_CSS = """
    Piece { height: auto; }
    """

    def __init__(self, piece: PieceText, height: int) -> None:
        super().__init__()
        self.piece = piece
        self.markdown: Markdown | None = None  # built and shown
        self.parked: Markdown | None = None  # built, then hidden while far from the view (kept for a return)
        self.measured = False  # built at least once: its height is known, not estimated
        self.styles.height = height

    @property
    def text(self) -> str:
        return self.piece.text

    def render(self) -> RenderResult:
        """Blank until built. Textual draws a childless widget's class name: an unbuilt piece in view (the frame
        before its build, seconds under load) showed "Piece" in the report at 80x24."""
        return ""

    def lines(self) -> int:
        """Its height in lines: as laid out once it has been, else the height it was given."""
        laid_out = self.outer_size.height
        if laid_out:
            return laid_out
        height = self.styles.height
        return int(height.value) if height is not None and height.is_cells else 0


def _auto(piece: Piece) -> bool:
    height = piece.styles.height
    return height is not None and height.is_auto


class WindowedMarkdown(ReadingScroll):
    """A scrolling Markdown document of which only the pieces near the view are widgets."""

    class Shown(Message):
        """A text is on screen: its pieces in place and those in or near the view built (`complete`)."""

        def __init__(self, document: WindowedMarkdown, source: str) -> None:
            super().__init__()
            self.document = document
            self.source = source

        @property
        def control(self) -> WindowedMarkdown:
            return self.document

    DEFAULT_CSS = """
    WindowedMarkdown > Piece > Markdown { margin: 0; }
    """

    def __init__(
        self,
        *,
        id: str | None = None,
        classes: str | None = None,
        can_focus: bool = True,
        after_build: Callable[[Markdown], None] | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes, can_focus=can_focus)
        self._source = ""
        self._shown_source: str | None = None  # the text the pieces are of, once they are in place
        self._after_build = after_build
        self._filling = False
        self._wanted_again = False
        self._pending: tuple[str, list[PieceText]] | None = None
        self._estimated_at = 0  # the text width the unbuilt pieces' heights were estimated at
        self._announced: str | None = None  # the last text a Shown message was posted for
        self._at_end_before = False  # the view was at the end when the last build began (`_build`, `_fit`)
        self._early_keys: list[Callable[[], float]] = []  # where keys pressed before the first text want the view

    @property
    def source(self) -> str:
        """The document's Markdown text (the last one asked for)."""
        return self._source

    @property
    def shown_source(self) -> str | None:
        """The text on screen (its pieces in place and those near the view built); None before the first."""
        return self._announced

    @property
    def pieces(self) -> list[Piece]:
        return list(self.query_children(Piece))

    @property
    def complete(self) -> bool:
        """The pieces are those of `source` and every piece in or near the view is built."""
        return (
            self._shown_source == self._source
            and self._pending is None
            and not self._filling
            and self._next_to_build() is None
        )

    def update(self, text: str, pieces: list[PieceText] | None = None) -> None:
        """Show `text`: cut into pieces in a thread (or `pieces`, its `split_pieces` made by the caller in its own
        thread), then the pieces that changed replaced, the view's built first."""
        self._source = text
        if pieces is None:
            self._split(text)
        else:
            self._place(text, pieces)

    @work(thread=True, exclusive=True, group="windowed-markdown-split", exit_on_error=False)
    def _split(self, text: str) -> None:
        pieces = split_pieces(text)
        self.app.call_from_thread(self._place, text, pieces)

    def _place(self, text: str, pieces: list[PieceText]) -> None:
        if text == self._source:  # else a newer text is on its way
            self._pending = (text, pieces)  # put in place by the filler, between two builds
            self._fill()

    async def _put_in_place(self, text: str, pieces: list[PieceText]) -> None:
        old = self.pieces
        # Pieces equal at the start and at the end are kept (a change in one section rebuilds that section only).
        head = 0
        while head < min(len(old), len(pieces)) and old[head].text == pieces[head].text:
            head += 1
        tail = 0
        while (
            tail < min(len(old), len(pieces)) - head
            and old[len(old) - 1 - tail].text == pieces[len(pieces) - 1 - tail].text
        ):
            tail += 1
        gone = old[head : len(old) - tail]
        width = self._estimated_at = self._text_width()
        new = [Piece(p, p.estimate(width)) for p in pieces[head : len(pieces) - tail]]
        if new:
            if tail:
                await self.mount_all(new, before=old[len(old) - tail])
            else:
                await self.mount_all(new)
        if gone:
            await asyncio.shield(self.remove_children(gone))
        self._shown_source = text

    def _text_width(self) -> int:
        return max(10, self.scrollable_content_region.width - 4)  # Markdown's own padding, 2 a side

    # ------------------------------------------------------------------------------ reading keys
    # Keys pressed with the one that showed the document (`9 pagedown pagedown` in the Report pane) reach it while
    # its text is still being made in a thread: with nothing in it yet they scrolled nothing and were lost. They
    # wait for its first text to be in place and laid out, then move the view in order.
    def _or_later(self, action: Callable[[], None], lines: Callable[[], float]) -> None:
        if self._shown_source is None:
            self._early_keys.append(lines)
        else:
            action()

    def action_scroll_up(self) -> None:
        self._or_later(super().action_scroll_up, lambda: self.scroll_y - 1)

    def action_scroll_down(self) -> None:
        self._or_later(super().action_scroll_down, lambda: self.scroll_y + 1)

    def action_page_up(self) -> None:
        self._or_later(super().action_page_up, lambda: self.scroll_y - self.scrollable_content_region.height)

    def action_page_down(self) -> None:
        self._or_later(super().action_page_down, lambda: self.scroll_y + self.scrollable_content_region.height)

    def action_scroll_home(self) -> None:
        self._or_later(super().action_scroll_home, lambda: 0)

    def action_scroll_end(self) -> None:
        self._or_later(super().action_scroll_end, lambda: self.max_scroll_y)

    def _apply_early_keys(self) -> None:
        """Each from where the one before left the view (at once: Textual's own scrolls wait for a refresh and
        start from where the view is then, so three keys moved it as far as the last alone)."""
        keys, self._early_keys = self._early_keys, []
        for to in keys:
            self.scroll_to(y=to(), animate=False, immediate=True)

    # ------------------------------------------------------------------------------ the window
    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._fill()

    def on_resize(self) -> None:
        width = self._text_width()
        if width == self._estimated_at:  # a piece's new height changes the virtual size: a Resize, the same width
            self._fill()
            return
        self._estimated_at = width
        for piece in self.pieces:
            if piece.parked is not None:  # laid out at the old width: built again when next in view
                piece.parked.remove()
                piece.parked, piece.measured = None, False
            if piece.markdown is None and not piece.measured:
                piece.styles.height = piece.piece.estimate(width)
        self._fill()

    def view_span(self) -> tuple[float, float, float]:
        """The lines in view: top, bottom and height (at least 1)."""
        top = self.scroll_y
        height = max(1, self.scrollable_content_region.height)
        return top, top + height, height

    def placed(self) -> list[tuple[Piece, int, int]]:
        """Every piece with the lines it spans in the document (from the heights, not the compositor: asking it
        for a widget's region after a scroll makes it lay out every widget of the screen again)."""
        y = 0
        placed = []
        for piece in self.pieces:
            lines = piece.lines()
            placed.append((piece, y, y + lines))
            y += lines
        return placed

    def _next_to_build(self) -> Piece | None:
        """The unbuilt piece nearest the view within AHEAD screens of it (the visible ones first, top down)."""
        top, bottom, height = self.view_span()
        best: tuple[float, int, Piece] | None = None
        for n, (piece, start, end) in enumerate(self.placed()):
            if piece.markdown is not None:
                continue
            distance = max(0.0, start - bottom, top - end)
            if distance > AHEAD * height:
                continue
            if best is None or (distance, n) < best[:2]:
                best = (distance, n, piece)
        return best[2] if best is not None else None

    def _far(self, parked: bool = False, screens: float = KEEP) -> list[Piece]:
        """Built pieces (`parked`: hidden ones) more than `screens` screens from the view."""
        top, bottom, height = self.view_span()
        return [
            piece
            for piece, start, end in self.placed()
            if (piece.parked if parked else piece.markdown) is not None
            and (end < top - screens * height or start > bottom + screens * height)
        ]

    def _fill(self) -> None:
        """Build what the view needs, one piece a frame, in a worker (awaiting mounts and frames)."""
        if not self._shown() or (self._shown_source is None and self._pending is None):
            return
        if self._filling:
            self._wanted_again = True
            return
        self._filling = True
        self._filler()

    @work(group="windowed-markdown-fill", exit_on_error=False)
    async def _filler(self) -> None:
        """One step a frame: the new text's pieces put in place with those in view built, else the pieces in view
        built (all of them, drawn in one frame: a page read up or down is never shown half blank), else one far
        from it let go, else one near it built. Stops while the document is hidden (another pane shown): its size
        is then stale, and it resumes when shown (on_show)."""
        try:
            while self._shown():
                self._wanted_again = False
                if self._pending is not None:
                    text, pieces = self._pending
                    self._pending = None
                    # The pieces and the first one in view built with no frame drawn between (each step drawn
                    # apart cost a full layout of the screen); the rest of the view in the next frame.
                    with self.app.batch_update():
                        await asyncio.shield(self._put_in_place(text, pieces))
                        built = await self._build(self._in_view_unbuilt()[:1])
                    await self._fit(built)
                    if self._early_keys:  # laid out with its text: the keys pressed before it move the view now
                        await self.wait_for_refresh()
                        self._apply_early_keys()
                elif visible := self._in_view_unbuilt():
                    with self.app.batch_update():
                        built = await self._build(visible)
                    await self._fit(built)
                elif far := self._far():
                    await asyncio.shield(self._let_go(far[0]))
                elif (nearest := self._next_to_build()) is not None:
                    with self.app.batch_update():
                        built = await self._build([nearest])
                    await self._fit(built)
                elif stale := self._far(parked=True, screens=PARK):
                    await asyncio.shield(self._drop(stale[0]))
                elif not self._wanted_again:
                    self._announce()
                    return
                else:
                    continue
                await self.wait_for_refresh()  # laid out and painted: the next step in the next frame
        finally:
            self._filling = False

    def on_show(self) -> None:
        self._fill()

    def _announce(self) -> None:
        if self._shown_source == self._source and self._pending is None and self._announced != self._source:
            self._announced = self._source
            self.post_message(self.Shown(self, self._source))

    def _shown(self) -> bool:
        """Displayed, as far as the DOM says (asking the compositor could make it lay out every widget)."""
        return self.is_mounted and displayed_in_dom(self)

    def _in_view_unbuilt(self) -> list[Piece]:
        """The pieces in the view not built, top down."""
        top, bottom, _height = self.view_span()
        return [piece for piece, start, end in self.placed() if piece.markdown is None and end > top and start < bottom]

    async def _build(self, pieces: list[Piece]) -> list[tuple[Piece, Markdown]]:
        """Mount each piece's Markdown (or show the one kept hidden). A piece that starts above the view keeps its
        height until `_fit` gives it its own once laid out (the view then moves with it); one in or below the view
        takes its own height at once, in the layout that draws it: nothing read moves, and the frame that showed
        it at its estimated height (clipped, or a gap below it) and the second layout and paint are saved."""
        top = self.scroll_y
        self._at_end_before = self.max_scroll_y > 0 and top >= self.max_scroll_y  # for `_fit`
        starts = {piece: start for piece, start, _end in self.placed()}
        built = []
        for piece in pieces:
            if not piece.is_mounted:
                continue
            markdown = piece.parked
            if markdown is not None and markdown.is_mounted:  # read before: shown again, not built again
                piece.parked = None
                piece.markdown = markdown
                markdown.display = True
            else:
                markdown = LightMarkdown(open_links=False)
                piece.parked = None
                piece.markdown = markdown
                await asyncio.shield(self._mount_markdown(piece, markdown))
                if not markdown.is_mounted:
                    continue
            if starts.get(piece, 0) >= top:
                piece.measured = True
                piece.styles.height = "auto"
            built.append((piece, markdown))
        return built

    async def _mount_markdown(self, piece: Piece, markdown: Markdown) -> None:
        await piece.mount(markdown)
        await update_markdown(markdown, piece.text)
        prime_blocks(markdown, self._text_width())  # its tables and lists drawn here, not in the next layout
        if markdown.is_mounted and self._after_build is not None:
            self._after_build(markdown)

    async def _fit(self, built: list[tuple[Piece, Markdown]]) -> None:
        """Once laid out, give the built pieces their own heights in one step. The view moves by what changed
        above its top (a piece begun above the view keeps what is read below it in place: reading back up does
        not jump), and stays at the end if it was there (read to the end, or sent there by End)."""
        if not built:
            return
        fixed = [(piece, markdown) for piece, markdown in built if not _auto(piece)]
        if not fixed and not self._at_end_before:
            return  # each took its own height in the layout that drew it (`_build`)
        await self.wait_for_refresh()  # laid out: their heights are known
        top = self.scroll_y
        at_end = self._at_end_before
        starts = {piece: start for piece, start, _end in self.placed()}
        shift = 0
        for piece, markdown in fixed:
            if not piece.is_mounted or not markdown.is_mounted or piece.markdown is not markdown:
                continue
            before = piece.lines()
            height = markdown.outer_size.height
            piece.measured = True
            piece.styles.height = "auto"
            if starts.get(piece, 0) < top:
                shift += height - before
        if self.is_scrolling:  # a scroll on its way (animated) goes where it was sent
            return
        if at_end:
            self.scroll_end(animate=False)
        elif shift:
            self.scroll_to(y=top + shift, animate=False, immediate=True)

    async def _let_go(self, piece: Piece) -> None:
        """Hide a piece far from the view, keeping its height: hidden widgets are left out of every layout and
        paint, and reading back up shows them again instead of building them again."""
        markdown = piece.markdown
        if markdown is None or not piece.is_mounted:
            return
        piece.styles.height = piece.lines()
        piece.markdown = None
        piece.parked = markdown
        markdown.display = False

    async def _drop(self, piece: Piece) -> None:
        """Remove a hidden piece's widgets (far from the view: built again if it is read again)."""
        markdown, piece.parked = piece.parked, None
        if markdown is not None and markdown.is_mounted:
            await markdown.remove()
