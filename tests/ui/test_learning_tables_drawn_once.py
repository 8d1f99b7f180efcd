"""The Learning screen's Rich tables (failure modes by quarter, median times) are drawn once per width.

Its sections are mounted one a frame, and each mount lays the screen out again: a Rich table in a Static was
drawn afresh at every one of those layouts (to measure its height) and at every paint, ~20 drawings of each
table before the figures settled, much of the screen's longest turns on 10,000 incidents. Kept per width
(`redraw.RenderedOnce`), each is drawn once, however many layouts and paints follow.
"""

from __future__ import annotations

from collections import Counter

from learning_store import learning_copy, learning_root  # noqa: F401
from rich.table import Table

from .test_taxonomy_learning_pane import app_on
from .waiting import until


async def test_each_learning_table_is_drawn_once_per_width(learning_copy, monkeypatch):  # noqa: F811
    drawn: Counter[tuple[int, int]] = Counter()  # (table, width) -> drawings
    real = Table.__rich_console__

    def counted(self, console, options):
        drawn[(id(self), options.max_width)] += 1
        return real(self, console, options)

    monkeypatch.setattr(Table, "__rich_console__", counted)
    async with app_on(learning_copy).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("L")
        await until(pilot, lambda: getattr(pilot.app.screen, "figures_drawn", False), "the figures drawn")
        screen = pilot.app.screen
        for _ in range(3):  # more layouts and paints, as a resize or a scroll brings
            screen.refresh(layout=True)
            await pilot.pause()
        # Nested tables (a cell's own grid) aside, each table drawn at a width is drawn there once.
        assert drawn, "no table was drawn"
        assert max(drawn.values()) == 1, f"a table was drawn {max(drawn.values())} times at one width"
