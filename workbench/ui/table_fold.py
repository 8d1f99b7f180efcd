"""A one-widget Markdown table that folds its narrow columns under each row when the view is too narrow for it.

Rich shares a table's width among its columns: the short ones keep their content's width and the long ones wrap in
what is left. A report's action table has eight columns, six of them short (ID, owner, date, priority, status,
addresses): at 80 columns they took nearly all the width and Action was left one character wide, a letter a line.
Here, when the long columns would get fewer than MIN_LONG cells each, short columns are taken out from the right
until they fit or none is left (the first column, a row's key, and the long columns stay); each taken column's
value is written on a line under the row's text in the first long column ("Owner: Dana Kim · Due Date:
2025-10-01"), so every value stays on screen, whole. The width is known only when Rich draws the table, so the choice is made then,
per width (redraw.RenderedOnce keeps the lines per width). The Markdown text, and so every export, is unchanged.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.style import Style
from rich.table import Table
from rich.text import Text

MIN_LONG = 20  # cells a long column needs to be read (below it the short columns are folded)
FOLD_SEP = " · "


def fold_plan(longest: list[int], ratios: list[int | None], width: int, min_long: int = MIN_LONG) -> list[int]:
    """The columns to fold under the rows (by index, in the order they are written there) so that every long
    column (`ratios[n]` set: the long columns share the room the short ones leave by these) gets at least
    `min_long` cells of `width`; [] when the table fits as it is or has no
    long column to write the folded values in. A column is `longest[n]` cells at most; each column takes one
    border and two cells of padding."""
    long = [n for n, r in enumerate(ratios) if r is not None]
    if not long:
        return []
    keep = list(range(len(longest)))
    order = [n for n in reversed(keep) if n and ratios[n] is None]  # long columns are never folded
    folded: list[int] = []

    def room() -> int:
        frame = len(keep) + 1 + 2 * len(keep)  # borders and padding
        return width - frame - sum(longest[n] for n in keep if ratios[n] is None)

    def narrowest() -> float:  # the long columns share the room by their ratios
        shares = [ratios[k] or 0 for k in keep if ratios[k] is not None]
        return room() * min(shares) / sum(shares)

    for n in order:
        if narrowest() >= min_long:
            break
        keep.remove(n)
        folded.append(n)
    return sorted(folded)


class FoldingTable:
    """A Rich renderable: the table made by `make(folded)` for the width it is drawn at (`folded`: the columns
    written under the rows, [] for the whole table)."""

    def __init__(self, longest: list[int], ratios: list[int | None], make: Callable[[list[int]], Table]) -> None:
        self.longest = longest
        self.ratios = ratios
        self.make = make
        self._made: dict[tuple[int, ...], Table] = {}

    def table_at(self, width: int) -> Table:
        folded = tuple(fold_plan(self.longest, self.ratios, width))
        table = self._made.get(folded)
        if table is None:
            table = self._made[folded] = self.make(list(folded))
        return table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.table_at(options.max_width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.table_at(options.max_width))


def folded_line(labels: list[Text], values: list[Text], label_style: Style | str) -> Text:
    """The folded columns of one row as one line: "Label: value · Label: value" (empty values left out)."""
    line = Text()
    for label, value in zip(labels, values):
        if not value.plain.strip():
            continue
        if line:
            line.append(FOLD_SEP)
        line.append(f"{label.plain}: ", style=label_style)
        line.append_text(value)
    return line


def longest_cells(head: list[Text], body: list[list[Text]]) -> list[int]:
    """Per column, its widest cell in cells (the header's included; a cell broken onto lines: its longest)."""

    def width(cell: Text) -> int:
        return max(cell_len(line) for line in cell.plain.split("\n"))

    return [max([width(cell)] + [width(row[n]) for row in body if n < len(row)]) for n, cell in enumerate(head)]
