"""What a screen shows in its first layout is what it settles on: a search result's incident opens with the cursor and
the detail on the matched entry (moved after the first frame, that was a second layout and paint of the whole
screen). Keys typed meanwhile land after, in order."""

from __future__ import annotations

from typing import Any

import pytest
from textual.screen import Screen
from textual.widgets import DataTable, Static

from workbench.ui.app import WorkbenchApp
from workbench.ui.screens.incident import IncidentScreen
from workbench.ui.screens.search import SearchScreen
from workbench.ui.search_index import SearchIndex
from workbench.ui.tables import cursor_key

from .conftest import CLAUDE, OPENAI, open_incident, settle
from .test_keys_not_lost import chars, send_fast
from .waiting import until


def first_layout_of(
    monkeypatch: pytest.MonkeyPatch, kind: type[Screen], seen: Any, pushing: list[Any] | None = None
) -> list[Any]:
    """What `seen(screen)` says at the first layout drawn of each screen of `kind` pushed from now on (Textual
    publishes `screen_layout_refresh_signal` once a layout has been drawn). `pushing`: callables run as such a
    screen is pushed (before it is composed)."""
    firsts: list[Any] = []
    push = WorkbenchApp.push_screen

    def pushed(self, screen, *args, **kwargs):
        if isinstance(screen, kind):
            done: list[bool] = []

            def drawn(_screen) -> None:
                if not done:
                    done.append(True)
                    firsts.append(seen(screen))

            screen.screen_layout_refresh_signal.subscribe(self, drawn, immediate=True)
            for then in pushing or []:
                then()
        return push(self, screen, *args, **kwargs)

    monkeypatch.setattr(WorkbenchApp, "push_screen", pushed)
    return firsts


async def test_a_search_result_opens_with_the_cursor_and_detail_on_its_entry_and_keys_after_land(make_app, monkeypatch):
    def entry_shown(screen: IncidentScreen) -> tuple[str | None, str]:
        pane = screen.pane("timeline")
        table = pane.query_one(DataTable)
        return cursor_key(table), str(pane.query_one("#timeline-detail", Static).render())

    pushing: list[Any] = []
    firsts = first_layout_of(monkeypatch, IncidentScreen, entry_shown, pushing)
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: SearchIndex.of(app).ready, "the index")
        # An incident opened and closed first, as a user does before searching (the taxonomy names then cached).
        await open_incident(pilot, OPENAI, "overview")
        await settle(pilot)
        await pilot.press("escape")
        send_fast(app, ["ctrl+k", *chars("bedrok misrouting peak")])
        await until(
            pilot,
            lambda: isinstance(app.screen, SearchScreen) and app.screen.shown_text == "bedrok misrouting peak",
            "the typed query's answer",
        )
        search = app.screen
        assert isinstance(search, SearchScreen)
        hit = search.hits[0]
        assert hit.id == CLAUDE and hit.kind == "event"
        firsts.clear()
        # A key typed as the incident's screen is pushed, before it is composed: held, then delivered to its
        # table after the jump to the entry.
        pushing.append(lambda: send_fast(app, ["down"]))
        send_fast(app, ["enter"])
        await until(pilot, lambda: isinstance(app.screen, IncidentScreen) and firsts, "the incident's first layout")
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        key, detail = firsts[0]
        assert key == hit.entry and detail.startswith(hit.entry), firsts  # in the very first layout
        table = screen.pane("timeline").query_one(DataTable)
        below = table.coordinate_to_cell_key((table.get_row_index(hit.entry) + 1, 0)).row_key.value
        await until(pilot, lambda: cursor_key(table) == below, "the down typed with enter")
        await settle(pilot)
        assert cursor_key(table) == below
        pane = screen.pane("timeline")
        shown = str(pane.query_one("#timeline-detail", Static).render())
        assert below and (below.startswith("gap") or shown.startswith(below)), (below, shown)
