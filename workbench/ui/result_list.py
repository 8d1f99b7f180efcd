"""A list of search results, each two lines, that draws only the results on screen.

An OptionList measures every option when options are added (it renders each to count its lines): the search
screen's 50 results at every answer, of which 8-15 are in view. Every result here is two lines by construction
(no wrapping, an ellipsis at the edge), so the list's height is known without measuring, and a result is
rendered the first time one of its lines is on screen (Textual's line API over a ScrollView).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

LINES = 2  # lines per result


class ResultList(ScrollView, can_focus=True):
    """Items drawn by `render_item` (two lines of text each). Keys: arrows, page up/down, home/end move the
    highlight; enter selects. A click highlights and selects."""

    BINDINGS = [
        Binding("up", "cursor(-1)", "Result up", id="results.up", show=False),
        Binding("down", "cursor(1)", "Result down", id="results.down", show=False),
        Binding("pageup", "page(-1)", "Page up", id="results.page_up", show=False),
        Binding("pagedown", "page(1)", "Page down", id="results.page_down", show=False),
        Binding("home", "edge(-1)", "First result", id="results.first", show=False),
        Binding("end", "edge(1)", "Last result", id="results.last", show=False),
        Binding("enter", "select", "Open", id="results.select", show=False),
    ]

    COMPONENT_CLASSES = {"result-list--highlighted"}

    # As an OptionList looks (the search screen's results were one).
    DEFAULT_CSS = """
    ResultList {
        color: $foreground;
        overflow-x: hidden;
        overflow-y: auto;
        border: tall $border-blurred;
        padding: 0 1;
        background: $surface;
        & > .result-list--highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            border: tall $border;
            background-tint: $foreground 5%;
            & > .result-list--highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """

    highlighted: reactive[int | None] = reactive(None, init=False)

    class Highlighted(Message):
        """The highlight moved to item `index`."""

        def __init__(self, results: ResultList, index: int) -> None:
            super().__init__()
            self.results = results
            self.index = index

        @property
        def control(self) -> ResultList:
            return self.results

    class Selected(Highlighted):
        """Enter (or a click) on item `index`."""

    def __init__(self, render_item: Callable[[Any], Text], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.render_item = render_item
        self.items: Sequence[Any] = ()
        self._drawn: dict[tuple[int, int, bool], list[Strip]] = {}
        self.drawn_items: set[int] = set()  # items rendered since the last set_items (what a test can check)

    # ------------------------------------------------------------------------------------ content
    def set_items(self, items: Sequence[Any], highlighted: int | None = None) -> None:
        """Show these items (nothing is rendered until it is on screen), the highlight on `highlighted`."""
        self.items = items
        self._drawn.clear()
        self.drawn_items = set()
        self.virtual_size = Size(self.scrollable_content_region.width, LINES * len(items))
        self.scroll_to(y=0, animate=False, immediate=True)
        self.set_reactive(ResultList.highlighted, None)
        if items:
            self.highlighted = min(highlighted or 0, len(items) - 1)
        self.refresh()

    @property
    def item_count(self) -> int:
        return len(self.items)

    # ------------------------------------------------------------------------------------ drawing
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = int(self.scroll_y) + y
        index, part = divmod(line, LINES)
        if index >= len(self.items):
            index, part = -1, 0  # below the last result: a blank line, made once per width
        lit = index == self.highlighted
        key = (index, width, lit)
        strips = self._drawn.get(key)
        if strips is None:
            # Styles are read only when a result is first drawn: reading the widget's style costs about as much
            # as drawing a line, and a frame asks for every line in view.
            style = self.rich_style
            if lit:
                style += self.get_component_rich_style("result-list--highlighted")
            if index < 0:
                strips = [Strip.blank(width, style)]
            else:
                strips = self._item_strips(self.render_item(self.items[index]), width, style)
                self.drawn_items.add(index)
            self._drawn[key] = strips
        return strips[part] if part < len(strips) else strips[-1]

    def _item_strips(self, text: Text, width: int, style: Style) -> list[Strip]:
        out = []
        for line in text.split("\n", allow_blank=True)[:LINES]:
            line.truncate(width, overflow="ellipsis")
            segments = Segment.apply_style(line.render(self.app.console), style)
            out.append(Strip([Segment(s.text, s.style) for s in segments]).crop_extend(0, width, style))
        return out

    def on_resize(self, event: events.Resize) -> None:
        self._drawn.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, LINES * len(self.items))
        self._scroll_to_highlight()

    def notify_style_update(self) -> None:
        self._drawn.clear()  # a theme change: drawn again in the new colours
        super().notify_style_update()

    def on_focus(self) -> None:
        self._drawn.clear()  # the highlight's colours follow focus
        self.refresh()

    def on_blur(self) -> None:
        self._drawn.clear()
        self.refresh()

    # ------------------------------------------------------------------------------------ highlight
    def validate_highlighted(self, value: int | None) -> int | None:
        if value is None or not self.items:
            return None
        return max(0, min(value, len(self.items) - 1))

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        for index in (old, new):
            if index is not None:
                for width_key in [k for k in self._drawn if k[0] == index]:
                    del self._drawn[width_key]
        self.refresh()
        if new is not None:
            self._scroll_to_highlight()
            self.post_message(self.Highlighted(self, new))

    def _scroll_to_highlight(self) -> None:
        if self.highlighted is not None:
            region = Region(0, LINES * self.highlighted, max(self.scrollable_content_region.width, 1), LINES)
            self.scroll_to_region(region, animate=False, force=True, immediate=True)

    def _page(self) -> int:
        return max(self.scrollable_content_region.height // LINES, 1)

    def action_cursor(self, step: int) -> None:
        if self.items:
            self.highlighted = (self.highlighted or 0) + step if self.highlighted is not None else 0

    def action_page(self, step: int) -> None:
        self.action_cursor(step * self._page())

    def action_edge(self, step: int) -> None:
        if self.items:
            self.highlighted = 0 if step < 0 else len(self.items) - 1

    def action_select(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.Selected(self, self.highlighted))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = (int(self.scroll_y) + offset.y) // LINES
        if index < len(self.items):
            self.highlighted = index
            self.action_select()
