"""A table that draws only the rows on screen, for lists of any length (the incident list at 10,000 incidents).

A DataTable keeps a row object for every row and measures every cell when rows are added: seconds at 10,000
rows, before the first paint. This widget holds a plain sequence and renders the lines in view on demand
(Textual's line API over a ScrollView), so filling it costs nothing per row and a redraw costs one screen.

Columns narrow and drop by priority as the width shrinks: each column has one or more forms (full, compact)
and the table walks a ladder of steps -- "the id column takes its compact form", "the stage column its
compact form", "drop the id column" -- until the one flexible column (the title) has its minimum width.
The cell function is told which form each column is in and draws the cell to fit; text that still does not
fit ends in an ellipsis.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip


@dataclass(frozen=True)
class Column:
    key: str
    labels: tuple[str, ...]  # the header in each form, widest first
    widths: tuple[int, ...]  # the width of each form; a flexible column lists only its minimum
    flex: bool = False  # takes the width the other columns leave
    justify: str = "left"


@dataclass(frozen=True)
class Layout:
    """Each shown column with the form it is drawn in and its width."""

    columns: tuple[tuple[Column, int, int], ...]  # (column, form, width)

    def form(self, key: str) -> int | None:
        return next((f for c, f, _ in self.columns if c.key == key), None)


CellFunction = Callable[[Any, str, int, int], Text]  # (row, column key, form, width) -> the cell


def lay_out(columns: Sequence[Column], ladder: Sequence[tuple[str, int | None]], width: int) -> Layout:
    """The first step of the ladder at which the flexible column gets its minimum width (the last step
    when none does). A ladder step (key, form) puts that column in that form; form None drops it."""
    forms: dict[str, int | None] = {c.key: 0 for c in columns}

    def build() -> tuple[Layout, int]:
        shown = [c for c in columns if forms[c.key] is not None]
        fixed = sum(c.widths[forms[c.key] or 0] for c in shown if not c.flex)
        room = width - fixed - (len(shown) - 1)  # one space between columns
        out = []
        for c in shown:
            form = forms[c.key] or 0
            out.append((c, form, max(room, 1) if c.flex else c.widths[form]))
        return Layout(tuple(out)), room

    flex_min = next((c.widths[0] for c in columns if c.flex), 0)
    layout, room = build()
    for key, form in ladder:
        if room >= flex_min:
            break
        forms[key] = form
        layout, room = build()
    return layout


class VirtualTable(ScrollView, can_focus=True):
    """Rows from a sequence, drawn on demand; the header stays on top. Keys: arrows and j/k, page up/down,
    home/end (and g/G); enter selects. A click moves the cursor, a click on the cursor's row selects it."""

    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Row up", id="table.up", show=False),
        Binding("down,j", "cursor(1)", "Row down", id="table.down", show=False),
        Binding("pageup", "page(-1)", "Page up", id="table.page_up", show=False),
        Binding("pagedown", "page(1)", "Page down", id="table.page_down", show=False),
        Binding("home,g", "edge(-1)", "First row", id="table.first", show=False),
        Binding("end,G", "edge(1)", "Last row", id="table.last", show=False),
        Binding("enter", "select", "Select", id="table.select"),
    ]

    COMPONENT_CLASSES = {
        "virtual-table--header",
        "virtual-table--cursor",
        "virtual-table--cursor-blurred",
        "virtual-table--odd-row",
    }

    DEFAULT_CSS = """
    VirtualTable { background: $surface; overflow-x: hidden; overflow-y: auto; scrollbar-gutter: stable; }
    VirtualTable > .virtual-table--header { text-style: bold; background: $panel; color: $foreground; }
    VirtualTable > .virtual-table--cursor { background: $block-cursor-background; color: $block-cursor-foreground;
                                             text-style: $block-cursor-text-style; }
    VirtualTable > .virtual-table--cursor-blurred { background: $block-cursor-blurred-background;
                                                     color: $block-cursor-blurred-foreground; }
    VirtualTable > .virtual-table--odd-row { background: $surface-darken-1 40%; }
    """

    cursor_row: reactive[int] = reactive(0, always_update=True, init=False)

    class Highlighted(Message):
        def __init__(self, table: VirtualTable, key: str | None) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> VirtualTable:
            return self.table

    class Selected(Highlighted):
        pass

    def __init__(
        self,
        columns: Sequence[Column],
        ladder: Sequence[tuple[str, int | None]],
        cell: CellFunction,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.columns = list(columns)
        self.ladder = list(ladder)
        self.cell_function = cell
        self.rows: Sequence[Any] = ()
        self.keys: list[str] = []
        self._index: dict[str, int] | None = None
        self._layout: tuple[int, Layout] | None = None

    # ------------------------------------------------------------------------------------ content
    def set_rows(self, rows: Sequence[Any], keys: list[str], keep: str | None = None) -> None:
        """Show these rows (cost: none per row); the cursor stays on `keep` when it is still listed."""
        self.rows, self.keys, self._index = rows, keys, None
        self.virtual_size = Size(self.scrollable_content_region.width, len(rows) + 1)
        row = self.get_row_index(keep) if keep else None
        self._move(row if row is not None else min(self.cursor_row, max(len(rows) - 1, 0)), post=True)
        self.refresh()

    def set_column(self, column: Column) -> None:
        """Replace the column with the same key (say, a width that follows the data)."""
        if column not in self.columns:
            self.columns = [column if c.key == column.key else c for c in self.columns]
            self._layout = None
            self.refresh()

    @property
    def row_count(self) -> int:
        return len(self.rows)

    @property
    def cursor_key(self) -> str | None:
        return self.keys[self.cursor_row] if 0 <= self.cursor_row < len(self.keys) else None

    def get_row_index(self, key: str | None) -> int | None:
        if self._index is None:
            self._index = {k: n for n, k in enumerate(self.keys)}
        return self._index.get(key) if key is not None else None

    def get_cell(self, key: str, column: str) -> Text:
        """The cell as it is drawn now (in the column's current form; the full form when it is not shown)."""
        index = self.get_row_index(key)
        if index is None:
            raise KeyError(key)
        form = self.current_layout.form(column) or 0
        width = next((w for c, _, w in self.current_layout.columns if c.key == column), 0)
        return self.cell_function(self.rows[index], column, form, width)

    def move_cursor(self, row: int) -> None:
        self._move(row, post=True)

    def layout_for(self, width: int) -> Layout:
        if self._layout is None or self._layout[0] != width:
            self._layout = (width, lay_out(self.columns, self.ladder, width))
        return self._layout[1]

    @property
    def current_layout(self) -> Layout:
        return self.layout_for(self._text_width())

    def visible_range(self) -> range:
        """The rows on screen now."""
        first = int(self.scroll_y)
        return range(first, min(first + self._page(), len(self.rows)))

    # ------------------------------------------------------------------------------------ drawing
    def _text_width(self) -> int:
        return max(self.scrollable_content_region.width - 1, 1)  # one column of left padding

    def _page(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)  # the header takes a line

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        layout = self.layout_for(self._text_width())
        if y == 0:
            style = self.get_component_rich_style("virtual-table--header")
            line = Text(" ", style=style)
            for n, (column, form, w) in enumerate(layout.columns):
                label = column.labels[min(form, len(column.labels) - 1)]
                line.append_text(self._fit(Text(label), w, column.justify))
                if n < len(layout.columns) - 1:
                    line.append(" ")
            return self._strip(line, width, style)
        index = int(self.scroll_y) + y - 1
        if index >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        if index == self.cursor_row:
            style = self.get_component_rich_style(
                "virtual-table--cursor" if self.has_focus else "virtual-table--cursor-blurred"
            )
        elif index % 2:
            style = self.rich_style + self.get_component_rich_style("virtual-table--odd-row")
        else:
            style = self.rich_style
        row = self.rows[index]
        line = Text(" ", style=style)
        for n, (column, form, w) in enumerate(layout.columns):
            line.append_text(self._fit(self.cell_function(row, column.key, form, w), w, column.justify))
            if n < len(layout.columns) - 1:
                line.append(" ")
        if index == self.cursor_row:  # the cursor's colours win over the cells' own
            line.stylize(style)
        return self._strip(line, width, style)

    @staticmethod
    def _fit(text: Text, width: int, justify: str) -> Text:
        text = text.copy()
        text.truncate(width, overflow="ellipsis")
        pad = width - text.cell_len
        if pad > 0:
            if justify == "right":
                text = Text(" " * pad) + text
            else:
                text.append(" " * pad)
        return text

    def _strip(self, line: Text, width: int, style: Style) -> Strip:
        segments = [Segment(s.text, s.style) for s in line.render(self.app.console)]
        return Strip(segments).crop_extend(0, width, style)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.rows) + 1)
        self._scroll_to_cursor()
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # ------------------------------------------------------------------------------------ cursor
    def _move(self, row: int, post: bool) -> None:
        row = max(0, min(row, len(self.rows) - 1)) if self.rows else 0
        changed = row != self.cursor_row
        self.cursor_row = row
        self._scroll_to_cursor()
        if post or changed:
            self.post_message(self.Highlighted(self, self.cursor_key))

    def _scroll_to_cursor(self) -> None:
        top, page = int(self.scroll_y), self._page()
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + page:
            self.scroll_to(y=self.cursor_row - page + 1, animate=False, immediate=True)

    def watch_cursor_row(self) -> None:
        self.refresh()

    def action_cursor(self, step: int) -> None:
        self._move(self.cursor_row + step, post=False)

    def action_page(self, step: int) -> None:
        page = self._page()
        self.scroll_to(y=max(int(self.scroll_y) + step * page, 0), animate=False, immediate=True)
        self._move(self.cursor_row + step * page, post=False)

    def action_edge(self, step: int) -> None:
        self._move(0 if step < 0 else len(self.rows) - 1, post=False)

    def action_select(self) -> None:
        if self.cursor_key is not None:
            self.post_message(self.Selected(self, self.cursor_key))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return
        row = int(self.scroll_y) + offset.y - 1
        if row >= len(self.rows):
            return
        if row == self.cursor_row:
            self.action_select()
        else:
            self._move(row, post=False)
