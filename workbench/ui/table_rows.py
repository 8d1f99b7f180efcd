"""A DataTable body row drawn in one pass: the same line (segments and styles) that DataTable draws, at a
fraction of the cost.

DataTable draws each cell through Rich's layout machinery (the cell wrapped in `Padding` inside `Styled`,
rendered to lines, cut and padded twice) and works out the row's styles again for each cell and each line:
~1.2 ms a row on a loaded machine, most of a pane's first frame (30 rows in view). Here the shared styles are
worked out once per drawing (`RowPainter`), a cell's text is rendered by Rich (`console.render`: its own
truncation, ellipsis and spans) and only the padding and the row's styles are put around it. Anything this
does not draw the same way (a cell that is not Text, a hover, a horizontal scroll, fixed rows or columns, row
labels, other cursor types) is left to DataTable (`line` returns None)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip
from textual.widgets import DataTable

_EMPTY = Text(no_wrap=True, end="")  # what DataTable draws for an empty or missing cell


class RowPainter:
    """What every body row of one drawing of `table` shares (its styles, the cursor's, the console options)."""

    def __init__(self, table: DataTable[Any]) -> None:
        self.table = table
        self.console = table.app.console
        self.options = table.app.console_options
        self.base = table.rich_style
        self.width = table.size.width
        self.padding = table.cell_padding
        self.show_cursor = table.show_cursor
        self.zebra = table.zebra_stripes
        self.drawable = (
            table.cursor_type == "row"
            and not table.fixed_rows
            and not table.fixed_columns
            and table.scroll_offset.x == 0
        )
        self._row_styles: dict[bool, Style] = {}
        self._cursor_styles: dict[bool, tuple[Style, Style]] = {}
        self._options: dict[int, Any] = {}

    def row_style(self, index: int) -> Style:
        """DataTable's row style: the stripe's component style (it replaces the table's style), else the table's."""
        if not self.zebra:
            return self.base
        odd = bool(index % 2)
        if odd not in self._row_styles:
            name = "datatable--odd-row" if odd else "datatable--even-row"
            self._row_styles[odd] = self.table.get_component_styles(name).rich_style
        return self._row_styles[odd]

    def cursor_styles(self, on_cursor: bool) -> tuple[Style, Style]:
        """The cursor's style and the style put over a cell's own (DataTable's priorities: by default the
        cursor's colour over the text's, the text's background over the cursor's)."""
        if on_cursor not in self._cursor_styles:
            component = Style()
            if on_cursor and self.show_cursor:
                component += self.table.get_component_rich_style("datatable--cursor")
            table = self.table
            post = (
                Style.from_color(color=component.color) if table.cursor_foreground_priority == "css" else Style.null()
            ) + (
                Style.from_color(bgcolor=component.bgcolor)
                if table.cursor_background_priority == "css"
                else Style.null()
            )
            self._cursor_styles[on_cursor] = (component, post)
        return self._cursor_styles[on_cursor]

    def line(self, index: int, cells: Sequence[Any], widths: Sequence[int], on_cursor: bool) -> Strip | None:
        """Row `index` (one line high) with `cells` in columns of `widths` (padding included), or None when
        DataTable must draw it."""
        if not self.drawable:
            return None
        texts = []
        for cell in cells:
            if cell is None or cell == "":
                texts.append(_EMPTY)
            elif isinstance(cell, Text):
                texts.append(cell)
            else:
                return None
        if any(width <= 2 * self.padding for width in widths):
            return None  # a column with no room for text: Rich's padding of nothing is DataTable's to draw
        if len(texts) < len(widths):
            texts.extend([_EMPTY] * (len(widths) - len(texts)))
        row_style = self.row_style(index)
        component, post = self.cursor_styles(on_cursor)
        segments: list[Segment] = []
        add = segments.append
        for column, (text, width) in enumerate(zip(texts, widths, strict=False)):
            pre = row_style + Style.from_meta({"row": index, "column": column}) + component
            styled = (pre + post) if post else pre
            inner = width - 2 * self.padding
            if self.padding:
                add(Segment(" " * self.padding, styled))
            for segment in self._cell(text, inner):
                style = pre + segment.style
                add(Segment(segment.text, (style + post) if post else style))
            if self.padding:
                add(Segment(" " * self.padding, styled))
        # The row's style carried to the table's right edge (DataTable's "extend" part).
        remaining = max(0, self.width - sum(widths))
        extend = row_style + component + Style.from_meta({"row": index, "column": 0, "out_of_bounds": True})
        add(Segment(" " * remaining, extend))
        return Strip(segments).adjust_cell_length(self.width, self.base).simplify()

    def _cell(self, text: Text, width: int) -> list[Segment]:
        """The cell's text as Rich renders it at `width` on one line, padded to it (as DataTable's Padding)."""
        options = self._options.get(width)
        if options is None:
            options = self._options[width] = self.options.update_dimensions(width, 1).update(no_wrap=True)
        lines = Segment.split_and_crop_lines(
            self.console.render(text, options), width, style=Style.null(), pad=True, include_new_lines=False
        )
        return next(iter(lines), [Segment(" " * width, Style.null())])
