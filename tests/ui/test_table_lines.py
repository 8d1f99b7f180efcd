"""A fitted table draws again only the rows whose line changed: DataTable drew every visible row after any
change (its caches are keyed by a counter every edit bumps), 20-30 ms of the event loop per save."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import DataTable

from workbench.ui.table_rows import RowPainter
from workbench.ui.tables import Fit, FitTable

from .waiting import until


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        table = FitTable({"event": Fit(flex_min=20)}, cursor_type="row", zebra_stripes=True, id="t")
        table.add_column("Id", key="id", width=6)
        table.add_column("Event", key="event")
        for n in range(20):
            table.add_row(f"e{n}", f"event number {n}", key=f"e{n}")
        yield table


def spy(monkeypatch) -> list[int]:
    """The lines drawn (what the fitted table's cache did not have): by DataTable itself, or a row by
    RowPainter (its line is the row's index + 1, under the header: these tables do not scroll)."""
    drawn: list[int] = []
    original = DataTable.render_line
    painted = RowPainter.line

    def render_line(self, y: int):
        drawn.append(y)
        return original(self, y)

    def line(self, index: int, *args, **kwargs):
        drawn.append(index + 1)
        return painted(self, index, *args, **kwargs)

    monkeypatch.setattr(DataTable, "render_line", render_line)
    monkeypatch.setattr(RowPainter, "line", line)
    return drawn


def line_text(table: FitTable, y: int) -> str:
    return table.render_line(y).text


async def test_an_edited_row_is_the_only_row_drawn_again(monkeypatch):
    app = TableApp()
    async with app.run_test(size=(60, 30)) as pilot:
        table = app.query_one(FitTable)
        await until(pilot, lambda: "event number 5" in line_text(table, 6), "the rows drawn")
        drawn = spy(monkeypatch)
        table.update_cell("e5", "event", "changed in place")
        await until(pilot, lambda: 6 in drawn, "the edited row drawn")
        await pilot.pause()
        assert set(drawn) <= {0, 6}  # the header (never kept) and the edited row: no other row
        assert "changed in place" in line_text(table, 6)
        assert "event number 4" in line_text(table, 5) and "event number 6" in line_text(table, 7)

        drawn.clear()
        table.move_cursor(row=3)  # the cursor leaves row 0 for row 3: those two lines change, no other
        await until(pilot, lambda: 4 in drawn, "the new cursor row drawn")
        await pilot.pause()
        assert set(drawn) <= {0, 1, 4}


async def test_a_rebuilt_table_with_the_same_rows_draws_nothing_again(monkeypatch):
    """What a pane's show() does after a save: clear and add every row again, one of them changed."""
    app = TableApp()
    async with app.run_test(size=(60, 30)) as pilot:
        table = app.query_one(FitTable)
        await until(pilot, lambda: "event number 9" in line_text(table, 10), "the rows drawn")
        drawn = spy(monkeypatch)
        table.clear()
        for n in range(20):
            table.add_row(f"e{n}", "rebuilt row" if n == 9 else f"event number {n}", key=f"e{n}")
        await until(pilot, lambda: 10 in drawn, "the changed row drawn")
        await pilot.pause()
        assert set(drawn) <= {0, 10}
        assert "rebuilt row" in line_text(table, 10)
        assert "event number 8" in line_text(table, 9)


async def test_a_theme_or_width_change_draws_every_row_again(monkeypatch):
    app = TableApp()
    async with app.run_test(size=(60, 30)) as pilot:
        table = app.query_one(FitTable)
        await until(pilot, lambda: "event number 3" in line_text(table, 4), "the rows drawn")
        before = line_text(table, 4)
        drawn = spy(monkeypatch)
        await pilot.resize_terminal(80, 30)
        await until(pilot, lambda: {1, 2, 3, 4, 5} <= set(drawn), "every row drawn at the new width")
        assert len(line_text(table, 4)) > len(before)
        drawn.clear()
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await until(pilot, lambda: {1, 2, 3, 4, 5} <= set(drawn), "every row drawn in the new theme")


class TallTableApp(TableApp):
    CSS = "FitTable { height: 1fr; }"  # as in a pane: taller than its rows, blank lines under the last


async def test_a_whole_table_repaint_draws_no_row_and_no_blank_line_again(monkeypatch):
    """What a form closing over a pane does (Textual repaints the whole screen): rows and the blank lines under
    the last row come from the cache; only the header is drawn."""
    app = TallTableApp()
    async with app.run_test(size=(60, 30)) as pilot:
        table = app.query_one(FitTable)
        await until(pilot, lambda: "event number 19" in line_text(table, 20), "the rows drawn")
        await pilot.pause()
        drawn = spy(monkeypatch)
        table.refresh()
        await until(pilot, lambda: 0 in drawn, "the table drawn again")
        await pilot.pause()
        assert set(drawn) == {0}  # the header; not rows 1-20, nor the blank lines 21-29 under them
        assert line_text(table, 25).strip() == "" and "event number 19" in line_text(table, 20)
