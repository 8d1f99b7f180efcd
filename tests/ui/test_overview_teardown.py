"""The app closing while an incident screen is still being made: the Overview pane asked to draw while it is
torn down draws nothing instead of raising (a --latest run under load failed on exactly that race), and an app
closed right after `open_incident` ends without an error."""

from __future__ import annotations

import gc

from textual.widgets import Static

from workbench.ui.screens.incident import IncidentScreen

from .conftest import CLAUDE, open_incident


async def test_show_while_torn_down_is_a_no_op(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "overview")
        pane = screen.pane("overview")
        await pane.query_one("#overview-facts", Static).remove()
        pane.show()  # raised NoMatches before
        assert not pane.query("#overview-facts")
        assert pane.query_one("#overview-impact", Static)  # the rest of the pane is still there, untouched


async def test_an_app_closed_while_an_incident_opens_ends_cleanly(make_app):
    """`exit()` right after `open_incident`, before the screen is mounted: Textual then skips mounting what the
    screen composed, and its mount handler found no stage bar (NoMatches during shutdown, failing the run)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_incident(CLAUDE)
        screen = app.screen_stack[-1]
        app.exit()
    assert isinstance(screen, IncidentScreen) and not screen.children
    assert gc.isenabled() and gc.get_freeze_count() == 0  # the build's collector pause ended with the app
