"""An incident's first frame lays out and paints no container that only wraps others: Textual draws every widget's
whole region, containers included, before cutting what overlaps, so each such wrapper was one more full-screen
paint and arrange in the open's longest turn of the event loop (issue 15, stop 34)."""

from __future__ import annotations

from workbench.ui.screens.incident import IncidentScreen

from .conftest import OPENAI
from .test_open_first_layout import first_layout_of
from .waiting import until


def chain(screen: IncidentScreen) -> list[str]:
    """From the shown pane up to the screen: each widget's type (and id)."""
    pane = screen.pane(screen.active_pane_id())
    return [f"{type(w).__name__}#{w.id}" for w in pane.ancestors_with_self if w is not screen and w is not screen.app]


async def test_the_first_frame_has_the_pane_switcher_straight_under_the_screen(make_app, monkeypatch):
    firsts = first_layout_of(monkeypatch, IncidentScreen, lambda s: (chain(s), [c.id for c in s.children]))
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        app.open_incident(OPENAI, "overview")
        await until(pilot, lambda: isinstance(app.screen, IncidentScreen) and bool(firsts), "the first layout")
        ancestors, top = firsts[0]
        # The pane, its tab, the switcher: nothing between the switcher and the screen.
        assert ancestors == ["OverviewPane#pane-overview", "TabPane#tab-overview", "ContentSwitcher#pane-switcher"]
        # The screen's own children are what is drawn: the header, the status line, the pane bar, the switcher
        # and the key bar.
        assert top[1:4] == ["status", "pane-bar", "pane-switcher"], top
