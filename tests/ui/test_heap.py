"""Full garbage collections kept out of saves (ui/heap.py): an open incident screen's objects are frozen once
it is drawn, so a collection set off by a save walks only what was made since; closing the screen hands
everything back to the collector, collects once and freezes what survives."""

from __future__ import annotations

import gc

from workbench.ui import heap
from workbench.ui.screens.incident_list import IncidentListScreen

from .conftest import OPENAI, open_incident, settle
from .waiting import until

SIZE = (120, 36)


def _tracked(obj: object) -> bool:
    """In one of the collector's generations (a full collection walks it); frozen objects are in none."""
    return any(o is obj for o in gc.get_objects())


async def test_an_open_screen_is_frozen_and_closing_it_collects_once(make_app, monkeypatch):
    collections: list[int] = []
    real_collect = gc.collect
    monkeypatch.setattr(heap.gc, "collect", lambda *a: collections.append(1) or real_collect(*a))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, IncidentListScreen), "the list")
        screen = await open_incident(pilot, OPENAI, "overview")
        await settle(pilot)
        pane = screen.pane("overview")
        await until(pilot, lambda: not _tracked(screen) and not _tracked(pane), "the screen to be frozen")
        assert collections == []  # opening collects nothing: only the freeze
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, IncidentListScreen), "back to the list")
        await until(pilot, lambda: collections == [1], "the collection after closing")
        assert gc.get_freeze_count() > 0  # what survived is frozen again
