"""A built piece's one-widget tables and lists are drawn as the piece is built, at the width the next layout gives
them (markdown_blocks.prime_blocks), so that layout only measures and paints them from the lines kept."""

from __future__ import annotations

from rich.table import Table
from textual.app import App, ComposeResult
from textual.widgets import Markdown

from workbench.ui.markdown_blocks import OneWidgetBulletList, OneWidgetOrderedList, OneWidgetTable
from workbench.ui.windowed_markdown import WindowedMarkdown

from .test_markdown_blocks import LISTS, TABLE
from .waiting import until

ONE_WIDGET = (OneWidgetTable, OneWidgetBulletList, OneWidgetOrderedList)
TEXT = "# Title\n\nIntro.\n\n" + TABLE + "\n" + LISTS + "\n## Two\n\n" + TABLE + "\nThe end.\n"


async def test_tables_and_lists_are_drawn_as_their_piece_is_built_at_the_width_they_are_laid_out_at(monkeypatch):
    drawn: list[int] = []  # the width of each drawing of a block's Rich table (these blocks hold no nested one)
    draw = Table.__rich_console__

    def counted(self, console, options):
        drawn.append(options.max_width)
        return draw(self, console, options)

    monkeypatch.setattr(Table, "__rich_console__", counted)
    at_build: list[tuple[int, int]] = []  # per piece built: its one-widget blocks, and the drawings made so far

    def built(markdown: Markdown) -> None:
        at_build.append((len([b for b in markdown.children if isinstance(b, ONE_WIDGET)]), len(drawn)))

    class One(App[None]):
        CSS = "#w { padding: 0 1; }"  # as the Report pane's preview

        def compose(self) -> ComposeResult:
            yield WindowedMarkdown(id="w", after_build=built)

    app = One()
    async with app.run_test(size=(90, 60)) as pilot:
        view = app.query_one(WindowedMarkdown)
        view.update(TEXT)
        await until(pilot, lambda: view.complete, "the pieces built")
        await pilot.pause()
        blocks = [b for b in view.query("MarkdownBlock") if isinstance(b, ONE_WIDGET)]
        assert len(blocks) == 4
        # Each piece's blocks were drawn before it was handed on (no layout between), one drawing a block...
        assert sum(n for n, _ in at_build) == 4
        total = 0
        for count, before in at_build:
            total += count
            assert before == total
        # ...at the width it was then laid out at: measuring and painting it drew nothing more.
        assert len(drawn) == 4
        assert sorted(drawn) == sorted(block.size.width for block in blocks)
