"""A fitted table's rows drawn by RowPainter are the lines DataTable draws, segment for segment and style for
style (with the mouse metadata a click reads), in every state a pane's table is in: striped or not, the cursor
on the row or not, focused or not, cells cut with an ellipsis, styled, wide, empty or missing, narrow columns."""

from __future__ import annotations

from typing import Any

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Input

from workbench.ui.table_rows import RowPainter
from workbench.ui.tables import Fit, FitTable

from .conftest import CLAUDE, open_incident
from .waiting import until

CELLS: list[tuple[Any, ...]] = [
    ("e0", "a short event", Text("italic and long " * 6, style="italic"), "src"),
    ("e1", Text.assemble(("bold ", "bold"), ("red", "red"), " plain"), "", Text("NO SOURCE", style="bold #ffa62b")),
    ("e2", "markup [b]is[/b] read", "wide 漢字漢字漢字漢字漢字漢字漢字漢字漢字 and 🙂🙂🙂", None),
    ("e3", "[DATA GAP] as written", Text("x" * 200)),  # a cell missing at the end
    ("e4", "", "", ""),
    ("e5", Text("right", justify="right"), Text("tab\there", end="\n"), Text("two\nlines")),
]


class Tables(App[None]):
    def __init__(self, zebra: bool) -> None:
        super().__init__()
        self.zebra = zebra

    def compose(self) -> ComposeResult:
        yield Input(id="elsewhere")
        table = FitTable(
            {"event": Fit(flex_min=20), "note": Fit(compact=6)},
            cursor_type="row",
            zebra_stripes=self.zebra,
            id="t",
        )
        table.add_column("Id", key="id", width=4)
        table.add_column("Title", key="title", width=18)
        table.add_column("Event", key="event", width=40)
        table.add_column("Note", key="note", width=12)
        for n, cells in enumerate(CELLS * 3):
            table.add_row(*cells, key=f"r{n}")
        yield table


def assert_rows_as_datatable_draws_them(table: DataTable[Any]) -> int:
    """Every body row in view: RowPainter's line equals DataTable's own. Returns the rows compared."""
    painter = RowPainter(table)
    header = table.header_height if table.show_header else 0
    widths = [c.get_render_width(table) for c in table.ordered_columns]
    compared = 0
    for y in range(header, table.size.height):
        index = y - header + table.scroll_offset.y
        if index >= table.row_count:
            break
        row = table.ordered_rows[index]
        ours = painter.line(index, table.get_row(row.key), widths, on_cursor=index == table.cursor_row)
        assert ours is not None, f"row {index} left to DataTable"
        theirs = DataTable.render_line(table, y)
        assert list(ours) == list(theirs), f"row {index}: {ours.text!r} != {theirs.text!r}"
        compared += 1
    return compared


@pytest.mark.parametrize("zebra", [True, False])
@pytest.mark.parametrize("width", [60, 100])
async def test_painted_rows_are_datatables_rows(zebra: bool, width: int):
    app = Tables(zebra)
    async with app.run_test(size=(width, 30)) as pilot:
        table = app.query_one(FitTable)
        await until(pilot, lambda: table.row_count == len(CELLS) * 3 and table.size.width == width, "the rows")
        await pilot.pause()
        for focused in (False, True):
            (table if focused else app.query_one(Input)).focus()
            await pilot.pause()
            for cursor in (0, 1, 5, 8):
                table.move_cursor(row=cursor)
                await pilot.pause()
                assert assert_rows_as_datatable_draws_them(table) >= 18


@pytest.mark.parametrize("size", [(80, 24), (140, 40)])
async def test_the_panes_tables_are_drawn_as_datatable_draws_them(make_app, size):
    """The panes' own tables and cells (theme colours, flags, striped timeline), at 80x24 and at 140x40."""
    app = make_app()
    async with app.run_test(size=size) as pilot:
        screen = await open_incident(pilot, CLAUDE, "timeline")
        compared = 0
        for pane_id in ("timeline", "actions", "evidence", "diagnostics", "review"):
            screen.action_show_pane(pane_id)
            pane = screen.pane(pane_id)
            await until(pilot, lambda p=pane: p.is_mounted and p.display, f"the {pane_id} pane")
            await pilot.pause()
            for table in pane.query(FitTable):
                await until(pilot, lambda t=table: t.size.width > 0 or not t.display, f"{table.id} laid out")
                if table.size.width and table.size.height:
                    compared += assert_rows_as_datatable_draws_them(table)
        assert compared >= 20
