"""Focus on an incident screen is the screen's own: the active pane's first focusable widget from the mount on,
never the tab strip first (Textual's AUTO_FOCUS), and back on the pane when what had focus went meanwhile."""

from __future__ import annotations

import pytest
from textual.screen import Screen
from textual.widgets import DataTable, Tabs

from .conftest import OPENAI, open_incident, settle
from .waiting import until


@pytest.mark.parametrize("pane_id", ["review", "timeline"])
async def test_the_panes_own_widget_is_the_only_one_focused_while_an_incident_opens(make_app, monkeypatch, pane_id):
    focused: list[object] = []
    real_set_focus = Screen.set_focus

    def record(self, widget, *args, **kwargs):
        focused.append(widget)
        return real_set_focus(self, widget, *args, **kwargs)

    monkeypatch.setattr(Screen, "set_focus", record)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_incident(pilot, OPENAI, pane_id)
        await settle(pilot)
        table = screen.pane(pane_id).query(DataTable).first()
        await until(pilot, lambda: screen.focused is table, f"the {pane_id} table focused")
        on_screen = [w for w in focused if w is not None and w.screen is screen]
        assert on_screen and all(w is table for w in on_screen)
        assert not any(isinstance(w, Tabs) for w in on_screen)


async def test_focus_that_went_while_a_form_was_open_comes_back_to_the_pane(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_incident(pilot, OPENAI, "timeline")
        await settle(pilot)
        table = screen.pane("timeline").query(DataTable).first()
        await until(pilot, lambda: screen.focused is table, "the timeline table focused")
        screen.pane("timeline").action_add()  # type: ignore[attr-defined]
        await until(pilot, lambda: app.screen is not screen, "the form")
        screen.set_focus(None)  # as when the focused widget is removed under the form
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, "back on the incident")
        await until(pilot, lambda: screen.focused is table, "the table focused again")
