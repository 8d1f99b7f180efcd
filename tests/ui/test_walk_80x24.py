"""What a walk through the app at 80x24 in tmux found: keys typed right after "/" on the Taxonomy and Learning
screens were lost, and tree lines (the causes, the taxonomy) ran past the edge, clipped mid-word."""

from __future__ import annotations

from rich.style import Style
from textual.containers import VerticalScroll
from textual.widgets import Input, Tree

from workbench.ui.forms import FormModal
from workbench.ui.screens.learning import LearningScreen
from workbench.ui.screens.taxonomy import TaxonomyScreen

from .conftest import CLAUDE, open_incident, settle
from .test_keys_not_lost import chars, send_fast
from .waiting import until


def drawn(tree: Tree) -> list[tuple[int, str]]:
    """Each line as the tree draws it: its indent and its text (fold marker included)."""
    lines = []

    def walk(node, depth: int) -> None:
        for child in node.children:
            lines.append((tree.guide_depth * depth, tree.render_label(child, Style(), Style()).plain))
            walk(child, depth + 1)

    walk(tree.root, 0)
    return lines


def lines_fit(tree: Tree) -> list[str]:
    """The tree's lines that do not fit its width."""
    width = tree.scrollable_content_region.width
    return [text for indent, text in drawn(tree) if indent + len(text) > width]


async def test_slash_then_words_typed_at_once_land_in_the_taxonomy_filter(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("T")
        screen = app.screen
        assert isinstance(screen, TaxonomyScreen)
        await until(pilot, lambda: screen.data is not None, "the taxonomy")
        send_fast(app, [("slash", "/"), *chars("retreival stale")])  # r is Rename, e Edit, m Merge here
        box = screen.query_one("#tax-filter", Input)
        await until(pilot, lambda: box.value == "retreival stale", "the words in the filter")
        await pilot.pause()
        assert app.screen is screen and not isinstance(app.screen, FormModal)  # no form opened by a stray key
        await until(pilot, lambda: screen.hits and len(screen.hits) < 77, "the filtered tree")
        tree = screen.query_one(Tree)
        assert not lines_fit(tree)
        assert any(text.endswith("…") for _, text in drawn(tree))  # "Retrieval access-control leak" at 30 columns
        assert "Retrieval access-control leak" in {h.mode.name for h in screen.hits}


async def test_slash_then_a_date_typed_at_once_lands_in_the_learning_since_field(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("L")
        screen = app.screen
        assert isinstance(screen, LearningScreen)
        await until(pilot, lambda: screen.stats is not None, "the stats")
        send_fast(app, [("slash", "/"), *chars("2025-01-01"), "enter"])  # r would be Reload
        await until(pilot, lambda: screen.stats is not None and screen.stats.since is not None, "the since stats")
        assert screen.query_one("#since", Input).value == "2025-01-01"
        assert screen.stats.incidents == 1


async def test_cause_tree_lines_end_in_an_ellipsis_at_80_columns_and_read_whole_at_200(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "causes")
        await settle(pilot)
        tree = screen.pane("causes").query_one(Tree)
        await until(pilot, lambda: tree.scrollable_content_region.width > 0 and not lines_fit(tree), "fitted lines")
        labels = [n.label.plain for n in tree.root.children]
        assert any(label.endswith("…") for label in labels)
        assert not any("……" in label or ".…" in label for label in labels)  # one ellipsis, not two
        await pilot.resize_terminal(200, 50)
        await until(pilot, lambda: "· confirmed ·" in tree.root.children[0].label.plain, "the whole line at 200")
        assert not lines_fit(tree)


async def test_escape_on_a_typed_form_at_80x24_asks_where_it_can_be_seen(make_app):
    """The question under the fields was below the edge of a long form at 80x24: esc seemed to do nothing."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        send_fast(app, ["n", *chars("Fast typed title")])
        await until(pilot, lambda: isinstance(app.screen, FormModal), "the form")
        form = app.screen
        await until(pilot, lambda: form.query_one("#field-title", Input).value == "Fast typed title", "the title")
        assert not [line for line in form.query("#form-error") if line.display]  # nothing to say: no empty line
        await pilot.press("escape")
        await pilot.pause()
        line = form.query_one("#form-error")
        assert app.screen is form and "esc again discards" in str(line.render())
        box = form.query_one(VerticalScroll).region
        assert line.display and line.region.height > 0
        assert box.y <= line.region.y and line.region.bottom <= box.bottom  # inside the dialog, on screen
        assert line.region.bottom <= 24
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, FormModal)
