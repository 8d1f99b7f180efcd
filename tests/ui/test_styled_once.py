"""The incident screen's CSS is in the stylesheet before the first open, and a screen opened with no new CSS is
styled once, not twice: the open then parses no CSS and does not style every widget again, and what it shows is
the same as an open that did both (styles_ahead.py)."""

from __future__ import annotations

from textual import events

from workbench.ui import app as app_module
from workbench.ui.screens import incident as incident_module
from workbench.ui.forms import FormModal, form_styles_warmed, warm_form_styles
from workbench.ui.screens.incident import IncidentScreen, warm_incident_styles
from workbench.ui.screens.incident_list import IncidentListScreen
from workbench.ui.styles_ahead import css_sources, styled_once, warmed

from .conftest import CLAUDE, finding_counts_ready, settle
from .test_form_first_frame import until_form
from .waiting import until


def test_only_a_first_resume_with_no_new_css_skips_the_second_styling():
    for first, then, now, skipped in ((True, 40, 40, True), (True, 40, 43, False), (False, 40, 40, False)):
        event = events.ScreenResume()
        styled_once(event, first, then, now)
        assert event.refresh_styles is not skipped


class Restyles:
    """Whole-screen stylings of `screen` (App.update_styles called for the screen node itself)."""

    def __init__(self, app, monkeypatch) -> None:
        self.nodes: list[object] = []
        real = app.update_styles

        def spy(node=None, animate: bool = True) -> None:
            self.nodes.append(node)
            real(node, animate=animate)

        monkeypatch.setattr(app, "update_styles", spy)

    def of(self, screen) -> int:
        return sum(1 for node in self.nodes if node is screen)


def sources(app) -> dict:
    return {where: (s.is_defaults, s.tie_breaker, s.scope) for where, s in app.stylesheet.source.items()}


def same_sources(cold: dict, warm: dict) -> bool:
    """Each source the cold app held is in the warm one, as Textual made it: default or not, its scope, and its
    tie-breaker, or a lower one: Textual keeps the lowest a class's place in a chain of bases gives it (Screen's
    is -1 under the list's screen, -2 once a modal was pushed), and the warm app holds the chains of every
    screen the session may open, as a session that opened them all does."""
    return all(
        where in warm and warm[where][0] == defaults and warm[where][2] == scope and warm[where][1] <= tie_breaker
        for where, (defaults, tie_breaker, scope) in cold.items()
    )


def no_warm_ups(monkeypatch) -> None:
    """Warm-ups only where a test asks for them: the app's own (the prefetch's, a second after the index is
    ready; the forms', a second after an incident opens) land at times a loaded machine moves."""
    monkeypatch.setattr(app_module, "_prefetch_incident_screen", lambda *args: None)
    monkeypatch.setattr(incident_module, "FORM_STYLES_AFTER_S", 3600.0)


async def listed_then_warmed(pilot, app, warm=None) -> tuple[IncidentListScreen, int]:
    """The list read, then (if `warm` is given) that warm-up run on it; returns the list and its CSS source count."""
    await until(pilot, lambda: isinstance(app.screen, IncidentListScreen), "the list")
    await finding_counts_ready(pilot)
    listed = app.screen
    assert isinstance(listed, IncidentListScreen)
    if warm is not None:
        focused = app.focused
        warm(app)
        await until(pilot, lambda: warmed(listed), "the warm-up")
        assert app.focused is focused and app.screen is listed  # the hidden warm-up took nothing from the list
    await settle(pilot)
    return listed, css_sources(app)


async def open_and_draw(pilot, app, warm: bool, monkeypatch):
    _listed, before = await listed_then_warmed(pilot, app, warm_incident_styles if warm else None)
    restyles = Restyles(app, monkeypatch)
    app.open_incident(CLAUDE)
    screen = app.screen
    assert isinstance(screen, IncidentScreen)
    await until(pilot, lambda: screen.is_mounted and screen.focused is not None, "the incident screen")
    await settle(pilot)
    return screen, before, restyles


async def test_a_warmed_first_open_adds_no_css_styles_once_and_looks_the_same(make_app, monkeypatch):
    no_warm_ups(monkeypatch)
    cold = make_app()
    async with cold.run_test(size=(140, 40)) as pilot:
        screen, before, restyles = await open_and_draw(pilot, cold, False, monkeypatch)
        assert css_sources(cold) > before  # the open brought its CSS (parsed while it opened)
        assert restyles.of(screen) >= 1  # and styled every widget again as it was shown
        cold_picture, cold_sources = cold.export_screenshot(), sources(cold)
    warmed_app = make_app()
    async with warmed_app.run_test(size=(140, 40)) as pilot:
        screen, before, restyles = await open_and_draw(pilot, warmed_app, True, monkeypatch)
        assert css_sources(warmed_app) == before  # nothing to add: the warm-up put it there as Textual would
        assert restyles.of(screen) == 0  # styled as mounted, once
        warm_picture, warm_sources = warmed_app.export_screenshot(), sources(warmed_app)
    # Every source the open needed is there with the tie-breaker and scope Textual gave it in the cold app.
    assert {k: v for k, v in warm_sources.items() if k in cold_sources} == cold_sources
    assert warm_picture == cold_picture


async def test_a_form_opened_once_the_forms_css_is_warm_is_styled_once_and_looks_the_same(make_app, monkeypatch):
    no_warm_ups(monkeypatch)
    pictures = []
    for warm in (False, True):
        app = make_app()
        async with app.run_test(size=(140, 40)) as pilot:
            screen, _before, _restyles = await open_and_draw(pilot, app, False, monkeypatch)
            screen.action_show_pane("timeline")
            await until(pilot, lambda: screen.active_pane_id() == "timeline" and not screen.building, "Timeline")
            if warm:
                warm_form_styles(screen)
                await until(pilot, lambda: form_styles_warmed(screen), "the forms' CSS warmed")
            await settle(pilot)
            before = css_sources(app)
            restyles = Restyles(app, monkeypatch)
            await pilot.press("e")
            form = await until_form(pilot)
            await until(pilot, lambda: form.is_mounted and form.focused is not None, "the form's first field")
            await settle(pilot)
            assert isinstance(app.screen, FormModal)
            if warm:
                assert css_sources(app) == before and restyles.of(form) == 0
            else:
                assert css_sources(app) > before and restyles.of(form) >= 1
            pictures.append(app.export_screenshot())
    assert pictures[0] == pictures[1]
