"""The Review pane's turns on the event loop: its checks start once the pane has been laid out (their thread, spaCy
the first time, held the interpreter half the time while the pane's first layout and paint ran beside it), the
guide is drawn in the frame after the findings', and a highlight that shows the line already shown lays nothing
out (each was a layout of the whole screen)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static

from workbench.ui.panes.review import ReviewPane

from .conftest import OPENAI, open_incident, settle
from .waiting import until


async def test_the_checks_start_once_the_pane_is_laid_out_and_the_guide_follows_the_findings(make_app, monkeypatch):
    sizes: list[int] = []
    original = ReviewPane.show

    def show(pane: ReviewPane) -> None:
        sizes.append(pane.size.width)
        original(pane)

    monkeypatch.setattr(ReviewPane, "show", show)
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, OPENAI, "review")
        pane = screen.pane("review")
        await until(pilot, lambda: pane.loaded and pane.rows, "the findings", timeout=180)  # spaCy's first load
        assert sizes and sizes[0] > 0, sizes  # the first run of the checks began after the pane's layout
        guide = pane.query_one("#review-method-text", Static)
        await until(pilot, lambda: "What the method asks now" in str(guide.content), "the guide")
        await settle(pilot)
        assert isinstance(guide.content, Text)


async def test_a_highlight_showing_the_line_already_shown_lays_nothing_out(make_app, monkeypatch):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, OPENAI, "review")
        pane = screen.pane("review")
        await until(pilot, lambda: pane.loaded and pane.rows, "the findings")
        await settle(pilot)
        table = pane.query_one("#review-findings", DataTable)
        detail = pane.query_one("#review-detail", Static)
        shown = detail.content
        layouts: list[bool] = []
        refresh = detail.refresh

        def spy(*regions: Any, **kwargs: Any) -> Any:
            layouts.append(bool(kwargs.get("layout")))
            return refresh(*regions, **kwargs)

        monkeypatch.setattr(detail, "refresh", spy)
        row = table.cursor_row
        table.post_message(
            DataTable.RowHighlighted(table, row, table.coordinate_to_cell_key(Coordinate(row, 0)).row_key)
        )
        await settle(pilot)
        assert detail.content == shown
        assert not any(layouts), layouts
        # A highlight of another row still shows that row's finding.
        table.move_cursor(row=row + 1)
        await until(pilot, lambda: detail.content != shown, "the next row's finding")
