"""Tables and simple lists drawn as one widget each (ui/markdown_blocks.py): the same text as Textual's own
blocks, in far fewer widgets, never wider than the view; other shapes left to Textual."""

from __future__ import annotations

from rich.table import Table
from textual.app import App, ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.selection import SELECT_ALL
from textual.widgets import Markdown

from workbench.ui.markdown_blocks import LightMarkdown, OneWidgetBulletList, OneWidgetOrderedList, OneWidgetTable

from .waiting import until

TABLE = (
    "| Bug | Onset | Fix |\n|---|:-:|--:|\n"
    "| Context-window routing | 2025-08-05 (~0.8%), worse after the 2025-08-29 load-balancing change | Deployed |\n"
    "| *TPU* output `corruption` | 2025-08-25 | Rolled back 2025-09-02; unexpected-character tests added |\n"
)
LISTS = "- one **bold** item\n- two, with a [link](https://example.com)\n\n3. third\n4. fourth\n\nAfter.\n"
NESTED = (
    "- outer\n\n  second paragraph\n\n  - inner\n- second\n\n1. a\n\n   ```\n   code\n   ```\n\n"
    "> | q | r |\n> |---|---|\n> | 1 | 2 |\n"
)
NESTED_LISTS = (
    "Before.\n\n- Customers / users affected:\n  - Users affected: **2200 users** (source: product analytics export)\n"
    "  - Requests affected: **[DATA GAP]**\n- Business / compute impact:\n"
    "  - Cost: **208000 USD**, compute wasted on failed requests, and a long tail of words to wrap around\n"
    "    1. deeper one\n    2. deeper two\n- Plain item\n\n1. first\n   - sub a\n   - sub b\n2. second\n\nAfter.\n"
)


class Pair(App[None]):
    """The same text through Textual's Markdown (left) and the light one (right)."""

    CSS = (
        "#pair { height: 1fr; } #plain, #light { width: 1fr; height: 1fr; }"  # not on bare types: they reach into lists
    )

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Horizontal(id="pair"):
            with VerticalScroll(id="plain"):
                yield Markdown(self.text, open_links=False)
            with VerticalScroll(id="light"):
                yield LightMarkdown(self.text, open_links=False)


async def test_a_table_is_one_widget_with_every_cell_and_never_wider_than_the_view():
    app = Pair(TABLE)
    async with app.run_test(size=(100, 40)) as pilot:
        light = app.query_one(LightMarkdown)
        await until(pilot, lambda: bool(light.query(OneWidgetTable)), "the table")
        await pilot.pause()
        table = light.query_one(OneWidgetTable)
        assert not table.children  # one widget, where Textual's table is a grid of a widget per cell
        plain = app.query_one("#plain Markdown", Markdown)
        assert len(list(plain.query("*"))) > 9  # nine cells: nine widgets and more
        assert table.plain_rows() == [
            ["Bug", "Onset", "Fix"],
            [
                "Context-window routing",
                "2025-08-05 (~0.8%), worse after the 2025-08-29 load-balancing change",
                "Deployed",
            ],
            ["TPU output corruption", "2025-08-25", "Rolled back 2025-09-02; unexpected-character tests added"],
        ]
        # Drawn: inside its own width (half a 100-column screen), every character of every cell there (cells
        # wrap, so a long one spans lines), the rows in order.
        lines = _lines(table)
        assert lines and all(len(line) <= table.size.width for line in lines)
        drawn = "".join(lines)
        cells = "".join(cell for row in table.plain_rows() for cell in row)
        assert sorted(c for c in drawn if c not in BOX and not c.isspace()) == sorted(c for c in cells if c != " ")
        assert drawn.index("Bug") < drawn.index("Context") < drawn.index("TPU")


BOX = set("┌┬┐├┼┤└┴┘─│")


async def test_simple_lists_are_one_widget_and_read_as_textuals_lists():
    app = Pair(LISTS)
    async with app.run_test(size=(120, 20)) as pilot:
        light = app.query_one(LightMarkdown)
        await until(pilot, lambda: bool(light.query(OneWidgetOrderedList)), "the lists")
        await pilot.pause()
        bullets, numbered = light.query_one(OneWidgetBulletList), light.query_one(OneWidgetOrderedList)
        assert not bullets.children and not numbered.children
        plain = app.query_one("#plain Markdown", Markdown)
        # Textual's lists: a row per item holding the bullet and the item's paragraph; the same lines here.
        symbols = [str(bullet.render()) for bullet in plain.query("MarkdownBullet")]
        items = [str(p.render()) for p in plain.query("MarkdownParagraph") if p.parent is not plain]
        want = [f"{symbol}{item}" for symbol, item in zip(symbols, items)]
        got = _lines(bullets) + _lines(numbered)
        assert got == want == ["• one bold item", "• two, with a link", " 3. third", " 4. fourth"]
        # Laid out line for line as Textual's: each list where Textual puts it, as tall, and what follows too.
        after = [b for b in plain.children if "After" in str(b.render())][0]
        assert [(b.region.y, b.region.height) for b in light.children] == [
            (b.region.y, b.region.height) for b in plain.children
        ]
        assert after.region.y == light.children[-1].region.y


def _lines(block) -> list[str]:
    """A one-widget block's drawn lines, as text (its own render at its laid-out size)."""
    return [strip.text.rstrip() for strip in block.render_lines(block.region.reset_offset)]


async def test_other_shapes_are_left_to_textuals_blocks_and_keep_their_text():
    app = Pair(NESTED)
    async with app.run_test(size=(120, 30)) as pilot:
        light = app.query_one(LightMarkdown)
        await until(pilot, lambda: len(light.children) >= 3, "the blocks")
        await pilot.pause()
        outer = light.query_one(OneWidgetBulletList)
        assert outer.children  # an item of two paragraphs: Textual's own rows
        assert light.query_one(OneWidgetOrderedList).children  # an item holding a code block
        text = " ".join(str(b.render()) for b in light.query("MarkdownParagraph"))
        assert "inner" in text and "second" in text
        quote = light.query_one("MarkdownBlockQuote")
        assert quote.query_one(OneWidgetTable).children  # a quoted table: not a table on its own source lines


def _picture(root, width: int, height: int) -> list[str]:
    """What the widgets under `root` draw, as text: each leaf widget's own lines put where it is laid out."""
    grid = [[" "] * width for _ in range(height)]
    for widget in root.query("*"):
        region = widget.region
        if widget.children or not region.height:
            continue
        for dy, strip in enumerate(widget.render_lines(region.reset_offset)):
            for dx, char in enumerate(strip.text):
                x, y = region.x - root.region.x + dx, region.y - root.region.y + dy
                if 0 <= x < width and 0 <= y < height and char != " ":
                    grid[y][x] = char
    return ["".join(row).rstrip() for row in grid]


async def test_nested_lists_of_one_paragraph_items_are_one_widget_drawn_as_textuals():
    app = Pair(NESTED_LISTS)
    async with app.run_test(size=(120, 40)) as pilot:
        light = app.query_one(LightMarkdown)
        await until(pilot, lambda: bool(light.query(OneWidgetOrderedList)), "the lists")
        await pilot.pause()
        plain = app.query_one("#plain Markdown", Markdown)
        bullets, numbered = light.query_one(OneWidgetBulletList), light.query_one(OneWidgetOrderedList)
        assert not bullets.children and not numbered.children  # Textual's: a row, a bullet and a column per item
        assert len(list(plain.query("*"))) > 40 and len(list(light.query("*"))) == 4
        drawn = _picture(light, 60, 24)
        assert drawn == _picture(plain, 60, 24)  # character for character, nested bullets and wrapping included
        assert "    ▪ Users affected: 2200 users (source: product" in drawn  # (a sanity check of the picture)
        assert "       1. deeper one" in drawn and "      • sub a" in drawn
        # Selected through, its text comes whole (a Rich renderable has no offsets to start inside it).
        assert bullets.get_selection(SELECT_ALL) == (
            "• Customers / users affected:\n  ▪ Users affected: 2200 users (source: product analytics export)\n"
            "  ▪ Requests affected: [DATA GAP]\n• Business / compute impact:\n"
            "  ▪ Cost: 208000 USD, compute wasted on failed requests, and a long tail of words to wrap around\n"
            "    1. deeper one\n    2. deeper two\n• Plain item",
            "\n",
        )


async def test_a_block_is_drawn_once_for_its_layouts_and_paints_and_again_when_its_styles_change(monkeypatch):
    """Textual asks a widget for its content at each layout and refresh, and draws it once to measure its height
    and again to paint it: a one-widget block keeps its lines (redraw.KeptLines) while its styles stay the same,
    and draws them again, restyled, when they change (a theme, a selection)."""
    drawn: list[int] = []  # the width of each drawing of a block's Rich table (these blocks hold no nested one)
    draw = Table.__rich_console__

    def counted(self, console, options):
        drawn.append(options.max_width)
        return draw(self, console, options)

    monkeypatch.setattr(Table, "__rich_console__", counted)
    app = Pair(TABLE + "\n" + LISTS)
    async with app.run_test(size=(100, 40)) as pilot:
        light = app.query_one(LightMarkdown)
        await until(pilot, lambda: bool(light.query(OneWidgetOrderedList)), "the blocks")
        await pilot.pause()
        blocks = [light.query_one(OneWidgetTable), light.query_one(OneWidgetBulletList)]
        blocks.append(light.query_one(OneWidgetOrderedList))
        # Measured and painted from one drawing each, at the width each is laid out at.
        assert sorted(drawn) == sorted(block.size.width for block in blocks)
        before = [_styled_lines(block) for block in blocks]
        for block in blocks:
            block.refresh(layout=True)  # asked for its content again, measured and painted again
        await pilot.pause()
        await pilot.pause()
        assert len(drawn) == 3 and [_styled_lines(block) for block in blocks] == before
        app.theme = "textual-light"  # new component styles: drawn again, the same text in the new colours
        await pilot.pause()
        await pilot.pause()
        after = [_styled_lines(block) for block in blocks]
        assert len(drawn) == 6
        assert [[text for text, _ in lines] for lines in after] == [[text for text, _ in lines] for lines in before]
        assert after != before
        table = blocks[0]
        header = table.get_component_rich_style("markdown-table--header", partial=True)
        assert any(style is not None and style.color == header.color for style in after[0][1][1])  # the header
        app.screen.selections = {table: SELECT_ALL}  # a selection through it: drawn again in the selection's colours
        await pilot.pause()
        await pilot.pause()
        assert len(drawn) == 7 and _styled_lines(table) != after[0]


def _styled_lines(block) -> list[tuple[str, list]]:
    """A block's drawn lines with their styles: per line, its text and the styles of its segments."""
    return [
        (strip.text, [segment.style for segment in strip]) for strip in block.render_lines(block.region.reset_offset)
    ]
