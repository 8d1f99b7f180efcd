"""The Overview pane asked to draw while it is being torn down (the app closing as the pane mounts) draws
nothing instead of raising: a --latest run under load failed on exactly that race."""

from __future__ import annotations

from textual.widgets import Static

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
