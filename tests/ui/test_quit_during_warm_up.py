"""Quitting while the list's CSS warm-up mounts its hidden box ends the app cleanly. Textual's shutdown marks every
widget as pruned, and a widget so marked mounts none of its parts: the warm-up box's Select, caught before it
composed, then found no overlay in its Mount and raised NoMatches, ending the app with an error (seen in a test
under load). The app's quit now waits for the widgets being mounted (a few turns) before it shuts down."""

from __future__ import annotations

import asyncio

from textual.widgets import Select

from workbench.ui import forms
from workbench.ui.app import warm_styles_ahead
from workbench.ui.screens.incident_list import IncidentListScreen

from .conftest import finding_counts_ready
from .test_styled_once import no_warm_ups
from .waiting import until


class LateSelect(Select[str]):
    """A Select whose parts compose a while after it joined the screen, as on a loaded machine: the moment a
    quit caught the warm-up's Select, held open long enough for the quit to land in it every time."""

    async def on_compose(self) -> None:
        await asyncio.sleep(0.3)


def unmounted_selects(app) -> list[LateSelect]:
    return [select for select in app.screen.query(LateSelect) if not select.is_mounted]


async def warm_up_select_mounting(pilot) -> LateSelect:
    """The list shown, then the forms' warm-up started: its Select is in the screen, not mounted yet."""
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, IncidentListScreen), "the list")
    await finding_counts_ready(pilot)
    warm_styles_ahead(app)
    await until(pilot, lambda: unmounted_selects(app), "the warm-up's Select in the screen, not mounted", settle=False)
    return unmounted_selects(app)[0]


async def test_quitting_while_the_warm_up_box_mounts_ends_without_an_error(make_app, monkeypatch):
    no_warm_ups(monkeypatch)
    monkeypatch.setattr(forms, "Select", LateSelect)  # the one Select of the forms' warm-up box (form_warmup_box)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        select = await warm_up_select_mounting(pilot)
        # ctrl+q: Textual's quit, an app binding handled at once (the list's own q waits behind the warm-up, which
        # holds the screen's queue while it mounts); typed, as Pilot's press would wait for the Select to mount.
        app.simulate_key("ctrl+q")
        for _ in range(500):  # the app ends by itself; Pilot's own waits need it running
            if app.return_code is not None and not app.is_running:
                break
            await asyncio.sleep(0.01)
        assert not app.is_running
    # run_test re-raises what ended the app: NoMatches from the Select's Mount failed here.
    assert app.return_code == 0
    assert select.is_mounted  # it mounted whole before the app shut down


async def test_a_test_ending_while_the_warm_up_box_mounts_ends_without_an_error(make_app, monkeypatch):
    """Pilot's harness shuts the app down itself as a test's block ends (the failure seen under load): it waits
    for the mounts as a quit does (conftest.ends_as_a_quit_does)."""
    no_warm_ups(monkeypatch)
    monkeypatch.setattr(forms, "Select", LateSelect)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        select = await warm_up_select_mounting(pilot)
    # run_test re-raises what ended the app (NoMatches failed here); _handle_exception would have set 1.
    assert app.return_code is None
    assert select.is_mounted
