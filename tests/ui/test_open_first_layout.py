"""What a screen shows in its first layout is what it settles on: a form knows its scrollbar before that layout, and a
search result's incident opens with the cursor and the detail on the matched entry (each was a second layout and
paint of the whole screen after the first frame). Keys typed meanwhile land after, in order."""

from __future__ import annotations

from typing import Any

import pytest
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from workbench.ui.app import WorkbenchApp
from workbench.ui.forms import FormBody, FormModal
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


def form_state(form: FormModal) -> tuple[bool, int]:
    return form.query_one(FormBody).show_vertical_scrollbar, form.query_one("#field-time", Input).size.width


@pytest.mark.parametrize("size", [(140, 40), (80, 24), (200, 50)])
async def test_a_form_is_laid_out_first_with_the_scrollbar_it_keeps(make_app, monkeypatch, size):
    """The Timeline form scrolls at 140x40 and 80x24 and fits at 200x50: either way its first layout has the
    scrollbar it settles with, so no field is narrowed (and everything drawn again) after the first frame."""
    firsts = first_layout_of(monkeypatch, FormModal, form_state)
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await open_incident(pilot, CLAUDE, "timeline")
        await settle(pilot)
        send_fast(app, ["a", *chars("Zq")])
        await until(pilot, lambda: isinstance(app.screen, FormModal) and firsts, "the form's first layout")
        form = app.screen
        assert isinstance(form, FormModal)
        await until(pilot, lambda: form.query_one("#field-time", Input).value == "Zq", "the keys typed at once")
        await settle(pilot)
        scrolls = size != (200, 50)
        assert form.query_one(FormBody).show_vertical_scrollbar is scrolls
        assert firsts == [form_state(form)], (firsts, form_state(form))


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
