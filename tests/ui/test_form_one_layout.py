"""A form is laid out once at the size it keeps: its scrollbar is decided before the first layout, so no field is
narrowed (and the whole form, with the dimmed screen beneath, laid out and painted again) after its first frame,
and the text of a multi-line field is wrapped at its final width from that frame on. Keys typed while it opens
land in its first field, in order."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widget import Widget
from textual.widgets import Input

from workbench.ui.app import WorkbenchApp
from workbench.ui.forms import FormBody, FormModal

from .conftest import CLAUDE, OPENAI, open_incident, settle
from .test_keys_not_lost import chars, send_fast
from .waiting import until


def form_state(form: FormModal) -> tuple[Any, ...]:
    """What a layout gave the form: the body's scrollbar and every field's size (a multi-line field wraps its
    text at the width it is given)."""
    fields = form.query(".field-label, Input, TextArea, Select, Checkbox").results(Widget)
    return form.query_one(FormBody).show_vertical_scrollbar, tuple(f.size for f in fields)


def layouts_of_forms(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """`form_state` at every layout drawn of the forms pushed from now on (Textual publishes
    `screen_layout_refresh_signal` once a layout is drawn)."""
    seen: list[tuple[Any, ...]] = []
    push = WorkbenchApp.push_screen

    def pushed(self, screen, *args, **kwargs):
        if isinstance(screen, FormModal):
            screen.screen_layout_refresh_signal.subscribe(self, lambda s: seen.append(form_state(s)), immediate=True)
        return push(self, screen, *args, **kwargs)

    monkeypatch.setattr(WorkbenchApp, "push_screen", pushed)
    return seen


async def open_form(pilot, incident: str, pane: str, keys: list[str], entry: str | None = None) -> FormModal:
    await open_incident(pilot, incident, pane)
    await settle(pilot)
    if entry:
        assert pilot.app.screen.pane(pane).focus_entry(entry)
        await pilot.pause()
    send_fast(pilot.app, keys)
    await until(pilot, lambda: isinstance(pilot.app.screen, FormModal), "the form")
    form = pilot.app.screen
    assert isinstance(form, FormModal)
    return form


@pytest.mark.parametrize("size", [(140, 40), (80, 24), (200, 50)])
async def test_the_timeline_form_keeps_the_sizes_of_its_first_layout(make_app, monkeypatch, size):
    """The Timeline edit form scrolls at 140x40 and 80x24 and fits at 200x50; either way every layout after the
    first finds the scrollbar and the fields' sizes as the first left them (before, the first layout had no
    scrollbar at 140x40 and 80x24: every field was narrowed after it, and the event's text wrapped again)."""
    seen = layouts_of_forms(monkeypatch)
    app = make_app()
    async with app.run_test(size=size) as pilot:
        form = await open_form(pilot, CLAUDE, "timeline", ["e"])
        await settle(pilot)
        assert form.query_one(FormBody).show_vertical_scrollbar is (size != (200, 50))
        assert seen and seen[0] == form_state(form), (seen[0], form_state(form))
        assert all(state == seen[0] for state in seen), seen


@pytest.mark.parametrize(
    ("incident", "pane", "entry", "key"),
    [
        (CLAUDE, "causes", "c-a202", "e"),
        (CLAUDE, "actions", "AI-002", "e"),
        (OPENAI, "overview", None, "f"),
        (OPENAI, "overview", None, "l"),
        (OPENAI, "overview", None, "s"),
    ],
    ids=["cause", "action", "ai-factors", "lessons", "scope"],
)
async def test_every_form_is_laid_out_once_at_80x24(make_app, monkeypatch, incident, pane, entry, key):
    seen = layouts_of_forms(monkeypatch)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, incident, pane, [key], entry)
        await settle(pilot)
        assert seen and all(state == form_state(form) for state in seen), (seen, form_state(form))


async def test_keys_typed_as_a_scrolling_form_opens_land_in_order(make_app, monkeypatch):
    """At 80x24 the scrollbar is set before the first layout: the text typed with `a` lands whole."""
    seen = layouts_of_forms(monkeypatch)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        typed = "2024-12-11T10:00Z"
        form = await open_form(pilot, CLAUDE, "timeline", ["a", *chars(typed)])
        await until(pilot, lambda: form.query_one("#field-time", Input).value == typed, "the keys typed at once")
        await settle(pilot)
        assert form.query_one(FormBody).show_vertical_scrollbar
        assert all(state == seen[0] for state in seen), seen
