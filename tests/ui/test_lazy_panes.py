"""Opening an incident mounts only the pane shown first; the others are mounted when first shown or needed."""

from __future__ import annotations

from textual.widgets import TabPane

from workbench.ui.panes import Pane

from .conftest import CLAUDE, open_incident
from .waiting import until


def mounted_panes(screen) -> set[str]:
    return {p.pane_id for p in screen.panes if p.is_mounted}


async def test_debug(make_app):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE)
        await until(pilot, lambda: screen.is_mounted, "mounted")
        print(mounted_panes(screen))
        for pane in screen.panes[1:]:
            app.simulate_key(f"alt+{pane.key}" if pane.key.isdigit() else pane.key)
            try:
                await until(pilot, lambda p=pane: p.is_mounted and screen.active_pane_id() == p.pane_id and not screen.building, f"{pane.pane_id}", timeout=5)
            except AssertionError:
                print("FAIL", pane.pane_id, pane.is_mounted, screen.active_pane_id(), screen._mounting, app.focused); raise
            print(pane.pane_id, mounted_panes(screen), app.focused)
