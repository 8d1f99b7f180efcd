"""The search screen's, the help screen's, a confirmation's and a form's CSS (and their widgets') are in the
stylesheet once the app has warmed the incident screen's while the list is read (screens/later_styles.py,
forms.form_warmup_box): each then adds no CSS source as it opens, so Textual parses nothing (past 64 sources it
parses every source again for each new one), and what it shows is the same as when it brought its CSS itself."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from workbench.ui.app import WorkbenchApp, warm_styles_ahead
from workbench.ui.forms import FormField, FormModal, form_styles_warmed
from workbench.ui.modals.confirm import ConfirmModal
from workbench.ui.screens.help import HelpScreen
from workbench.ui.screens.search import SearchScreen
from workbench.ui.search_index import SearchIndex
from workbench.ui.styles_ahead import css_sources

from .conftest import settle
from .test_styled_once import listed_then_warmed, no_warm_ups, same_sources, sources
from .waiting import until

Opener = Callable[[Pilot, WorkbenchApp], Awaitable[None]]


async def open_search(pilot: Pilot, app: WorkbenchApp) -> None:
    await pilot.press("ctrl+k")
    await until(pilot, lambda: isinstance(app.screen, SearchScreen), "the search screen")
    for key in "bedrok":
        await pilot.press(key)
    screen = app.screen
    assert isinstance(screen, SearchScreen)
    await until(pilot, lambda: SearchIndex.of(app).ready and screen.shown_seq == screen.seq, "the results")
    assert screen.hits  # the picture compared below holds results


async def open_help(pilot: Pilot, app: WorkbenchApp) -> None:
    await pilot.press("question_mark")
    await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help screen")


async def open_confirm(pilot: Pilot, app: WorkbenchApp) -> None:
    app.push_screen(ConfirmModal("Delete the event t-1?\n\nThis makes a new commit.", yes="Delete"))
    await until(pilot, lambda: isinstance(app.screen, ConfirmModal), "the confirmation")


async def open_form(pilot: Pilot, app: WorkbenchApp) -> None:
    fields = [  # one field of each kind a form is made of: Input, Select, TextArea, Checkbox
        FormField("what", "What happened"),
        FormField("kind", "Kind", kind="select", options=[("Event", "event"), ("Decision", "decision")]),
        FormField("notes", "Notes", kind="multiline"),
        FormField("done", "Done", kind="bool"),
    ]
    app.push_screen(FormModal("Add an event", fields, {"kind": "event"}, lambda values: values))
    await until(pilot, lambda: isinstance(app.screen, FormModal), "the form")
    form = app.screen
    await until(pilot, lambda: isinstance(form.focused, Input), "the form's first field focused")


@pytest.mark.parametrize("opener", [open_search, open_help, open_confirm, open_form])
async def test_a_later_screen_after_the_warm_up_adds_no_css_and_looks_the_same(make_app, monkeypatch, opener):
    no_warm_ups(monkeypatch)
    seen = []
    for warm in (False, True):
        app = make_app()
        async with app.run_test(size=(120, 40)) as pilot:
            listed, before = await listed_then_warmed(pilot, app, warm_styles_ahead if warm else None)
            if warm:
                assert form_styles_warmed(listed)  # the forms' widgets came with it: the incident screen's is moot
            await opener(pilot, app)
            await settle(pilot)
            seen.append((css_sources(app) - before, sources(app), app.export_screenshot()))
    (cold_added, cold_sources, cold_picture), (warm_added, warm_sources, warm_picture) = seen
    assert cold_added >= 1  # the screen's own at least: past 64 sources, a parse of every source
    assert warm_added == 0
    assert same_sources(cold_sources, warm_sources)
    assert warm_picture == cold_picture


@pytest.mark.warm_up  # the app's own warm-up, which tests/ui/conftest.py turns off for every other test
async def test_the_app_warms_every_later_screens_css_by_itself_while_the_list_is_shown(make_app):
    """Not called by the test: the prefetch, once the list's index is ready, asks for the warm-up, which adds the
    incident screen's, the forms' and the later screens' CSS while the list stays the screen shown."""
    import inspect

    from workbench.ui.screens.incident import IncidentScreen
    from workbench.ui.screens.incident_list import IncidentListScreen
    from workbench.ui.styles_ahead import warmed

    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        listed = app.screen
        assert isinstance(listed, IncidentListScreen)
        incident_css = (inspect.getfile(IncidentScreen), "IncidentScreen.DEFAULT_CSS")
        search_css = (inspect.getfile(SearchScreen), "SearchScreen.DEFAULT_CSS")
        assert not app.stylesheet.has_source(*incident_css)
        await until(
            pilot,
            lambda: app.stylesheet.has_source(*search_css) and form_styles_warmed(listed) and warmed(listed),
            "the app's warm-up",
        )
        assert app.stylesheet.has_source(*incident_css) and app.screen is listed
