"""The key bar at the foot of every screen, and what a pane switch costs in restyling.

The bar replaces Textual's Footer (one widget per key, rebuilt on every focus move); these tests hold it to what
the Footer did for a user (the keys in reach, the palette key at the right, a click presses a key) and to what
it is for (a switch restyles a handful of nodes, not hundreds).
"""

from __future__ import annotations


from workbench.ui.app import WorkbenchApp
from workbench.ui.keybar import KeyBar
from workbench.ui.screens.help import HelpScreen
from workbench.ui.screens.incident_list import IncidentListScreen
from workbench.ui.windowed_markdown import WindowedMarkdown

from .conftest import CLAUDE, open_incident
from .waiting import until


def _line(app: WorkbenchApp) -> str:
    bar = app.screen.query_one(KeyBar)
    return bar.render().plain


async def test_the_bar_shows_the_keys_in_reach_and_the_palette_at_the_right(make_app):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, IncidentListScreen), "the list")
        bar = app.screen.query_one(KeyBar)
        await until(pilot, lambda: bar.keys, "keys read")
        line = _line(app)
        new = next(k for k in bar.keys if k.key == "n")
        assert f" {new.display} {new.description} " in line
        assert bar.palette is not None
        assert line.rstrip().endswith(f"{bar.palette.display} {bar.palette.description}")
        assert len(line) == 140

        screen = await open_incident(pilot, CLAUDE, "timeline")
        bar = screen.query_one(KeyBar)
        await until(pilot, lambda: any(k.key == "a" for k in bar.keys), "the Timeline pane's keys")
        timeline_keys = {k.key for k in bar.keys}
        await pilot.press("alt+6")  # Narrative: its editor takes focus, and the keys in reach change
        await until(pilot, lambda: {k.key for k in bar.keys} != timeline_keys, "the Narrative pane's keys")
        assert "ctrl+s" in {k.key for k in bar.keys}
        assert "^s" in _line(app)


async def test_keys_that_do_not_fit_are_left_out_whole(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "timeline")
        bar = screen.query_one(KeyBar)
        await until(pilot, lambda: any(k.key == "a" for k in bar.keys), "the Timeline pane's keys")
        line = _line(app)
        assert len(line) == 80
        shown = [k for k in bar.keys if f" {k.display} {k.description} " in line]
        assert shown, line
        assert len(shown) < len(bar.keys), "at 80 columns the Timeline pane has more keys than fit"
        assert shown == list(bar.keys[: len(shown)]), "the keys shown are the first ones, each whole"
        assert bar.palette is not None and line.endswith(f"{bar.palette.display} {bar.palette.description} ")


async def test_a_click_on_a_key_presses_it(make_app):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, IncidentListScreen), "the list")
        bar = app.screen.query_one(KeyBar)
        await until(pilot, lambda: any(k.key == "question_mark" for k in bar.keys), "the help key")
        line = _line(app)
        help_cap = next(k for k in bar.keys if k.key == "question_mark")
        x = line.index(f" {help_cap.display} {help_cap.description} ") + 1
        await pilot.click(KeyBar, offset=(x, 0))
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help screen")


async def test_switching_to_the_report_does_not_restyle_its_blocks(make_app):
    """Focus used to restyle the focused scroll and every widget in it: about 600 for a rendered report."""
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "report")
        preview = screen.query_one("#report-preview", WindowedMarkdown)
        await until(pilot, lambda: preview.complete and len(list(preview.walk_children())) > 25, "the report rendered")
        blocks = len(list(preview.walk_children()))
        await pilot.press("alt+1")
        await until(pilot, lambda: screen.active_pane_id() == "overview", "the Overview pane")
        await pilot.pause()

        restyled: list[int] = []
        update_nodes = app.stylesheet.update_nodes

        def counting(nodes, animate: bool = False) -> None:
            nodes = list(nodes)
            restyled.append(len(nodes))
            update_nodes(nodes, animate=animate)

        app.stylesheet.update_nodes = counting  # type: ignore[method-assign]  # a spy on a public method
        try:
            app.simulate_key("alt+9")
            await until(pilot, lambda: screen.active_pane_id() == "report", "the Report pane")
            await until(pilot, lambda: screen.focused is preview, "the report focused")
            app.simulate_key("alt+1")
            await until(pilot, lambda: screen.active_pane_id() == "overview", "back to Overview")
            await pilot.pause()
        finally:
            app.stylesheet.update_nodes = update_nodes  # type: ignore[method-assign]
        assert blocks > 25
        assert restyled, "the switch restyled nothing at all: the spy is not wired"
        assert sum(restyled) < 25, f"restyled {sum(restyled)} nodes for a report of {blocks} widgets"


def test_animations_are_off_unless_asked_for(make_app, monkeypatch):
    monkeypatch.delenv("TEXTUAL_ANIMATIONS", raising=False)
    assert make_app().animation_level == "none"
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "full")
    assert make_app().animation_level == "full"
