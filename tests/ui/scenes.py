"""Scene set-up the snapshot modules share: open an incident at a pane, move to an entry, press keys, hold
still. test_snapshots_panes (140x40) and test_snapshots_sizes (80x24 and 200x50) build their pictures with these.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.widgets import Input, TextArea

from workbench.ui.modals.taxonomy_picker import TaxonomyPicker
from workbench.ui.taxonomy_cache import cached_index

from .conftest import CLAUDE, settle
from .waiting import until, until_screen

Run = Callable[..., Awaitable[None]]


async def still(pilot) -> None:
    """No cursor in the picture: its blink phase is timing, not behaviour."""
    for widget in pilot.app.screen.query("Input, TextArea"):
        if isinstance(widget, (Input, TextArea)):
            widget.cursor_blink = False
    await pilot.pause()
    await pilot.pause()


def at_pane(incident_id: str, pane: str, entry: str | None = None, then: tuple[str, ...] = ()) -> Run:
    """The incident open at `pane`, the cursor on `entry`, then `then` pressed (a form or picker opens)."""

    async def run(pilot) -> None:
        await pilot.pause()
        pilot.app.open_incident(incident_id, pane)
        await settle(pilot)
        if pane == "taxonomy":
            await until(pilot, lambda: cached_index(pilot.app.store) is not None, "the taxonomy (read by a worker)")
            await settle(pilot)
        if entry:
            assert pilot.app.screen.pane(pane).focus_entry(entry)
            await pilot.pause()
        if then:
            await pilot.press(*then)
            await pilot.pause()
            await settle(pilot)
        await still(pilot)

    return run


async def taxonomy_picker(pilot) -> None:
    """The Taxonomy pane's picker over a cause, filtered with a typo ("retreival") and a second word."""
    await at_pane(CLAUDE, "taxonomy")(pilot)
    await pilot.press("t")
    await until_screen(pilot, TaxonomyPicker)
    await pilot.press(*"retreival", "space", *"stale")
    await still(pilot)
