"""A `<br>` in a Markdown table cell (how the report writes a line break inside a cell, e.g. an action's
verification then its success criteria) breaks the line in the one-widget table; the text itself keeps the tag."""

from __future__ import annotations

from textual.app import App, ComposeResult

from workbench.ui.markdown_blocks import LightMarkdown, OneWidgetTable

from .waiting import until

TABLE = (
    "| ID | Action | Verification |\n|---|---|---|\n"
    "| AI-001 | Add a canary for the retriever | Run a game day<br>Success criteria: no stale shard read |\n"
    "| AI-002 | Page the owner | Drill<br/>Success criteria: paged within 5 minutes |\n"
)


class One(App[None]):
    def compose(self) -> ComposeResult:
        yield LightMarkdown(TABLE, open_links=False)


async def test_a_br_in_a_cell_breaks_the_line_and_its_words_stay_apart():
    app = One()
    async with app.run_test(size=(120, 20)) as pilot:
        markdown = app.query_one(LightMarkdown)
        await until(pilot, lambda: bool(markdown.query(OneWidgetTable)), "the table")
        await pilot.pause()
        table = markdown.query_one(OneWidgetTable)
        assert table.source == TABLE  # the text (and so every export) keeps the tag
        lines = [strip.text for strip in table.render_lines(table.region.reset_offset)]
        text = "\n".join(lines)
        assert "game daySuccess" not in text and "DrillSuccess" not in text
        game_day = next(n for n, line in enumerate(lines) if "Run a game day" in line)
        assert "Success criteria: no stale shard read" in lines[game_day + 1]
        assert "Success criteria" not in lines[game_day]
        drill = next(n for n, line in enumerate(lines) if "Drill" in line)
        assert "Success criteria: paged within 5 minutes" in lines[drill + 1]
        assert table.plain_rows()[1][2] == "Run a game day\nSuccess criteria: no stale shard read"
