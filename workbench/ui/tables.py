"""DataTable helpers shared by every table-based pane and screen (rows are keyed by entry id): the cursor,
columns that fit the width (80 columns and up), text shortened for a cell or a commit subject, theme colours
for Rich text in cells."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget
from textual.coordinate import Coordinate
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

from .table_rows import RowPainter


def cursor_key(table: DataTable[Any]) -> str | None:
    """The key of the row under the cursor, or None for an empty table."""
    if table.row_count == 0:
        return None
    try:
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
    except Exception:  # the cursor can sit outside the rows while the table is being refilled
        return None


def move_to(table: DataTable[Any], key: str) -> bool:
    """Put the cursor on the row with `key`; False when there is no such row."""
    try:
        table.move_cursor(row=table.get_row_index(key))
    except Exception:
        return False
    return True


def place_cursor(table: DataTable[Any], key: str) -> bool:
    """Put the cursor on the row with `key` before the table's first layout, without scrolling; False when there is
    no such row. Textual's own move scrolls the row into view from a callback that can run before the table has a
    size, and scrolled it as if the table were one row tall (the row ended at the top). `move_to` once the table is
    laid out scrolls it into view, as far as needed (`cursor_into_view`)."""
    try:
        row = table.get_row_index(key)
    except Exception:
        return False
    table.set_reactive(DataTable.cursor_coordinate, Coordinate(row, table.cursor_coordinate.column))
    return True


def cursor_into_view(table: DataTable[Any]) -> None:
    """Scroll the row under the cursor into view (a move to where it is: no message, no redraw of the rows)."""
    if table.row_count:
        table.move_cursor(row=table.cursor_coordinate.row)


def shorten(text: str, limit: int = 40) -> str:
    """One line of at most `limit` characters, "..." marking a cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def theme_style(widget: Widget, style: str) -> str:
    """Theme variables ($warning) resolved to colours for Rich text in table cells."""
    variables = widget.app.theme_variables
    return " ".join(variables.get(part[1:], part) if part.startswith("$") else part for part in style.split())


@dataclass(frozen=True)
class Fit:
    """How a column of a FitTable gives way when the table is narrow: its width in the compact form, or, for
    the one flexible column, the width under which the other columns take their compact forms."""

    compact: int | None = None
    flex_min: int | None = None  # set on the flexible column: it takes the width the others leave


def one_line(cell: Any) -> Any:
    """A cell as one line that ends in an ellipsis where the column cuts it (a DataTable row is one line)."""
    if isinstance(cell, str):
        text = Text.from_markup(cell, end="")
    elif isinstance(cell, Text):
        text = cell.copy()
    else:
        return cell
    text.no_wrap = True
    text.overflow = "ellipsis"
    return text


class FitTable(DataTable):
    """A DataTable whose columns fit its width instead of scrolling sideways: the flexible column (an event,
    a finding, a message) takes what the others leave; when that is under its minimum, the columns listed in
    `fit` take their compact widths one by one, in order (a compact width of 0 drops the column). Cells end in
    an ellipsis where they are cut; the pane's detail area shows the whole value of the row under the cursor.

    The table keeps every row's cells, so a column dropped at 80 columns comes back when the terminal widens.

    It never scrolls sideways (overflow-x hidden): before its first fit (rows added while the columns are still
    sized to their content) it is wider than its region for a moment, and Textual re-evaluates a table's
    scrollbars only when its region or the scrollable part of it changes size. When the rows then exactly fill
    the height the scrollbar leaves (a Review pane at 80x24: header + 7 rows in 9 lines), narrowing the
    columns changes neither, and a horizontal scrollbar stayed on the table's last line.

    A row's line is drawn once for what it shows (`render_line`): DataTable keys its own line caches by a
    counter that every added, removed or updated row bumps, so after any edit (a save, a duplicated entry, a
    form closing) it drew every visible row again, ~0.7 ms each, 20-30 ms of the event loop for one change.
    Here a line is kept by what it is drawn from (the row's cells, the column widths, whether the cursor is
    on it, its stripe, the table's styles), so a change draws only the rows that changed."""

    DEFAULT_CSS = """
    FitTable { overflow-x: hidden; }
    """

    LINES_KEPT = 1000  # drawn lines kept (a few screens of a wide table); the cache starts again past it

    def __init__(self, fit: dict[str, Fit], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fit = fit
        self.spec: list[tuple[str, Any, int | None]] = []  # every column as added: key, label, width
        self.cells: dict[str, dict[str, Any]] = {}  # row key -> column key -> cell, for every column
        self.shown: list[str] = []  # the columns in the table now
        self._lines: dict[tuple[Any, ...], Strip] = {}
        self._pass: tuple[Any, ...] | None = None  # set while render_lines draws (see _shared)
        self._painter: RowPainter | None = None  # likewise: the row styles of this drawing
        self._labelled = False  # a row was given a label: DataTable then draws a label column in every row

    def add_column(
        self, label: Any, *, width: int | None = None, key: str | None = None, default: Any = None
    ) -> ColumnKey:
        key = key or f"c{len(self.spec)}"
        self.spec.append((key, label, width))
        self.shown.append(key)
        return super().add_column(label, width=width, key=key, default=default)

    def add_row(self, *cells: Any, key: str | None = None, **kwargs: Any) -> RowKey:
        row = {k: one_line(c) for (k, _, _), c in zip(self.spec, cells, strict=False)}
        self._labelled = self._labelled or kwargs.get("label") is not None
        added = super().add_row(*(row.get(k, "") for k in self.shown), key=key, **kwargs)
        self.cells[str(added.value)] = row
        return added

    def update_cell(
        self, row_key: RowKey | str, column_key: ColumnKey | str, value: Any, *, update_width: bool = False
    ) -> None:
        row, column = str(getattr(row_key, "value", row_key)), str(getattr(column_key, "value", column_key))
        self.cells.setdefault(row, {})[column] = one_line(value)
        if column in self.shown:
            super().update_cell(row_key, column_key, one_line(value), update_width=False)

    def remove_row(self, row_key: RowKey | str) -> None:
        self.cells.pop(str(getattr(row_key, "value", row_key)), None)
        super().remove_row(row_key)

    def clear(self, columns: bool = False) -> FitTable:
        self.cells = {}
        self._labelled = False
        if columns:
            self.spec, self.shown = [], []
        super().clear(columns)
        return self

    def on_resize(self) -> None:
        self.fit_columns()

    def render_lines(self, crop: Region) -> list[Strip]:
        # What every line of this pass is drawn with, worked out once (`_shared`): the table's style walks
        # every ancestor's styles (~0.3 ms), and it was worked out again for each of ~30 lines after a save.
        self._pass = self._shared()
        self._painter = RowPainter(self)
        try:
            return super().render_lines(crop)
        finally:
            self._pass = self._painter = None

    def render_line(self, y: int) -> Strip:
        key = self._line_key(y)
        if key is None:
            return super().render_line(y)
        strip = self._lines.get(key)
        if strip is None:
            if len(self._lines) >= self.LINES_KEPT:
                self._lines.clear()
            strip = self._lines[key] = self._drawn_row(y, key) or super().render_line(y)
        return strip

    def _drawn_row(self, y: int, key: tuple[Any, ...]) -> Strip | None:
        """Row line `y` drawn by `RowPainter` (DataTable's own drawing, ~1 ms a row, was most of a pane's first
        frame), or None for DataTable to draw it (the blank lines under the rows, anything it does not draw)."""
        if key[0] == "blank" or self._labelled:
            return None
        painter = self._painter if self._painter is not None else RowPainter(self)
        index = y - (self.header_height if self.show_header else 0) + self.scroll_offset.y
        row = self.ordered_rows[index]
        widths = [c.get_render_width(self) for c in self.ordered_columns]
        return painter.line(index, self.get_row(row.key), widths, on_cursor=key[4])

    def _shared(self) -> tuple[Any, ...]:
        """What a line is drawn from besides its row: the same for every line of one drawing."""
        return (
            tuple((c.key, c.get_render_width(self)) for c in self.ordered_columns),
            self.size,
            self.scroll_offset.x,
            self.rich_style,
            self.app.theme,
            self.get_pseudo_class_state(),
            self.cursor_type,
            self.show_cursor,
            self.cell_padding,
        )

    def _line_key(self, y: int) -> tuple[Any, ...] | None:
        """What line `y` is drawn from, or None where it is not worth keeping or not safe to: the header, a
        row taller than one line, and any line while the mouse is over the table (DataTable's hover cursor
        depends on where the mouse last moved, which it does not expose). The blank lines under the last row
        are kept too (each was drawn again with the table's style)."""
        header = self.header_height if self.show_header else 0
        if y < header or self.fixed_rows or self.fixed_columns or self.mouse_hover:
            return None
        shared = self._pass if self._pass is not None else self._shared()
        index = y - header + self.scroll_offset.y
        rows = self.ordered_rows
        if index >= len(rows) and y + self.scroll_offset.y >= self.virtual_size.height:
            return ("blank", shared)  # under the last row (whatever the rows' heights)
        if not 0 <= index < len(rows):
            return None
        row = rows[index]
        if row.height != 1:
            return None
        cursor = self.cursor_coordinate
        on_row = cursor.row == index
        return (
            row.key,
            tuple(_cell_key(c) for c in self.get_row(row.key)),
            None if row.label is None else _cell_key(row.label),
            shared,
            on_row,
            cursor.column if on_row else None,
            index % 2 if self.zebra_stripes else None,
        )

    def on_mount(self) -> None:
        self.call_after_refresh(self.fit_columns)

    def widths_for(self, width: int) -> dict[str, int]:
        """The shown columns and their widths at this width (the flexible one takes the rest)."""
        pad = 2 * self.cell_padding
        widths = {k: (w or len(str(label)) + 2) for k, label, w in self.spec}
        flex = next((k for k, f in self.fit.items() if f.flex_min is not None and k in widths), None)
        if flex is None:
            return widths
        flex_min = self.fit[flex].flex_min or 1

        def room() -> int:
            return width - sum(w + pad for k, w in widths.items() if k != flex) - pad

        for key, f in self.fit.items():
            if room() >= flex_min:
                break
            if f.compact is not None and key in widths and key != flex:
                if f.compact == 0:
                    del widths[key]
                else:
                    widths[key] = min(widths[key], f.compact)
        widths[flex] = max(room(), 8)  # under its minimum rather than wider than the table
        return widths

    def fit_columns(self) -> None:
        width = self.scrollable_content_region.width
        if not width or not self.spec:
            return
        widths = self.widths_for(width)
        keep = self.cursor_row
        shown = [k for k, _, _ in self.spec if k in widths]
        if shown != self.shown:  # a column goes or comes back: the table is rebuilt from the kept cells
            rows = [(str(r.key.value), self.cells.get(str(r.key.value), {})) for r in self.ordered_rows]
            spec = self.spec
            super().clear(columns=True)
            self.shown = shown
            for k, label, _ in spec:
                if k in widths:
                    DataTable.add_column(self, label, width=widths[k], key=k)
            for row_key, row in rows:
                DataTable.add_row(self, *(row.get(k, "") for k in shown), key=row_key)
            if rows:
                self.move_cursor(row=min(keep, len(rows) - 1))
            return
        changed = False
        for column in self.ordered_columns:
            w = widths[str(column.key.value)]
            if column.width != w or column.auto_width:
                column.width, column.auto_width, changed = w, False, True
        if changed:
            pad = 2 * self.cell_padding
            self.virtual_size = Size(sum(w + pad for w in widths.values()), self.virtual_size.height)
            self.notify_style_update()  # drops the cached rows, drawn again at the new widths


def _cell_key(cell: Any) -> Any:
    """A cell as a dictionary key: a Text by its characters, spans and styles (Text is not hashable)."""
    if isinstance(cell, Text):
        return (cell.plain, tuple(cell.spans), str(cell.style), cell.justify, cell.overflow)
    try:
        hash(cell)
    except TypeError:
        return (type(cell), id(cell))  # an unhashable renderable: kept while the same object is in the row
    return cell


def fit_markdown_tables(markdown: Widget, long: int = 24) -> None:
    """Make a rendered Markdown's tables fit its width: columns holding long text share the room left by the
    others (fr units, wrapping inside the cell); short columns keep their width. Textual sizes every column
    to its content otherwise, and a report's action table then runs past the right edge."""
    for table in markdown.query("MarkdownTableContent"):
        headers = getattr(table, "headers", None)
        rows = getattr(table, "rows", None)
        if not headers or rows is None:
            continue
        longest = [
            max([len(_plain(h))] + [len(_plain(r[n])) for r in rows if n < len(r)]) for n, h in enumerate(headers)
        ]
        if not any(n > long for n in longest):
            continue
        table.styles.grid_columns = " ".join(f"{max(2, min(n // long, 4))}fr" if n > long else "auto" for n in longest)


def _plain(cell: Any) -> str:
    return str(getattr(cell, "plain", cell))
