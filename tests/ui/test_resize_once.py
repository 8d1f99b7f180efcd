"""A screen is laid out once as it opens: the screens beneath it are not laid out again; a real resize still is."""

from __future__ import annotations

from textual.geometry import Size
from textual.screen import Screen

from workbench.ui.forms import FormModal
from workbench.ui.screens.incident import IncidentScreen
from workbench.ui.screens.incident_list import IncidentListScreen

from .conftest import CLAUDE, finding_counts_ready, open_incident, settle
from .test_form_first_frame import until_form
from .waiting import until


class Layouts:
    """How many times `screen` was laid out while another screen was on top of it (Textual publishes the signal
    after each layout of a screen; the app listens: a screen just pushed is not running yet)."""

    def __init__(self, app, screen: Screen) -> None:
        self.app, self.screen, self.count, self.total = app, screen, 0, 0
        screen.screen_layout_refresh_signal.subscribe(app, self._laid_out, immediate=True)

    def _laid_out(self, _screen: Screen) -> None:
        self.total += 1
        if self.app.screen is not self.screen:
            self.count += 1


async def test_opening_an_incident_does_not_lay_out_the_list_beneath_it_again(make_app):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, IncidentListScreen), "the list")
        await finding_counts_ready(pilot)
        await settle(pilot)
        listed = app.screen
        beneath = Layouts(app, listed)
        app.open_incident(CLAUDE)
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        own = Layouts(app, screen)
        await until(pilot, lambda: screen.is_mounted and screen.focused is not None, "the incident screen")
        await settle(pilot)
        # The list is hidden under an opaque screen of the same size: nothing of it changed.
        assert beneath.count == 0
        # A later change of the terminal's size still lays out the incident screen, and the list once back.
        await pilot.resize_terminal(100, 30)
        await until(pilot, lambda: screen.outer_size == Size(100, 30), "the incident screen at the new size")
        assert own.total >= 1
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is listed and listed.outer_size == Size(100, 30), "the list resized")


async def test_a_form_opening_does_not_lay_out_the_incident_screen_beneath_it(make_app):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "timeline")
        await settle(pilot)
        beneath = Layouts(app, screen)
        await pilot.press("a")
        form = await until_form(pilot)
        await until(pilot, lambda: form.is_mounted and form.focused is not None, "the form's first field")
        await settle(pilot)
        assert beneath.count == 0  # the form was laid out; the incident screen under it was not, again
        assert form.outer_size == Size(140, 40)
        # The terminal resized with the form open: both are laid out at the new size.
        await pilot.resize_terminal(90, 28)
        await until(
            pilot,
            lambda: form.outer_size == Size(90, 28) and screen.outer_size == Size(90, 28),
            "both screens at the new size",
        )
        assert isinstance(app.screen, FormModal)
        assert isinstance(app.screen_stack[-2], IncidentScreen)
