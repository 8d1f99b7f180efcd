"""Panes whose work starts when they are first seen still do it when Textual drops their first Show.

Textual can drop a new widget's first Show: the end of its mount refreshes it, which reads its region, and when
the compositor's map is stale then it is rebuilt with the new widget in; the layout after finds nothing newly
shown (history13 found it with the History pane: 2 of 8 loaded runs never listed the log). The Narrative pane's
preview and the Taxonomy pane's suggestions started on Show only, so the same race left them empty. Here no Show
reaches the pane at all; the widgets inside it get theirs as usual."""

from __future__ import annotations

from textual import events

from workbench.ui.panes.narrative import NarrativePane
from workbench.ui.panes.taxonomy import TaxonomyPane

from .conftest import CLAUDE, open_incident, settle
from .waiting import until


def no_show_reaches(monkeypatch, pane) -> None:
    post = pane.post_message

    def no_show(message):
        return False if isinstance(message, events.Show) else post(message)

    monkeypatch.setattr(pane, "post_message", no_show)


async def test_the_narrative_preview_renders_with_no_show(make_app, monkeypatch):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "overview")
        await settle(pilot)
        pane = screen.pane("narrative")  # not mounted yet: mounted when first shown
        assert isinstance(pane, NarrativePane) and not pane.is_mounted
        no_show_reaches(monkeypatch, pane)
        await pilot.press("alt+6")
        await until(pilot, lambda: pane.preview_text == screen.session.narrative, "the preview rendered")


async def test_a_narrative_pane_mounted_hidden_renders_no_preview_until_shown(make_app):
    """Mounted to look for an entry (another pane's link) while another pane is shown: the preview waits until
    the pane is shown, as before."""
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "overview")
        await settle(pilot)
        pane = screen.pane("narrative")
        assert isinstance(pane, NarrativePane)
        mounted: list[bool] = []
        screen.with_pane("narrative", lambda _pane: mounted.append(True))
        await until(pilot, lambda: mounted, "the pane mounted, hidden")
        await settle(pilot)
        assert screen.active_pane_id() == "overview" and pane.preview_text is None
        await pilot.press("alt+6")
        await until(pilot, lambda: pane.preview_text == screen.session.narrative, "the preview once shown")


async def test_the_taxonomy_suggestions_start_with_no_show(make_app, monkeypatch):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "overview")
        await settle(pilot)
        pane = screen.pane("taxonomy")
        assert isinstance(pane, TaxonomyPane) and not pane.is_mounted
        no_show_reaches(monkeypatch, pane)
        screen.action_show_pane("taxonomy")
        await until(pilot, lambda: pane.suggester is not None and pane.learned_is_current(), "the suggestions")


async def test_a_taxonomy_pane_mounted_hidden_builds_nothing_until_shown(make_app):
    """The store-wide index is built the first time the pane is seen, not when it is mounted to look for an entry."""
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "overview")
        await settle(pilot)
        pane = screen.pane("taxonomy")
        assert isinstance(pane, TaxonomyPane)
        mounted: list[bool] = []
        screen.with_pane("taxonomy", lambda _pane: mounted.append(True))
        await until(pilot, lambda: mounted, "the pane mounted, hidden")
        await settle(pilot)
        assert not pane.learning_started
        screen.action_show_pane("taxonomy")
        await until(pilot, lambda: pane.suggester is not None and pane.learned_is_current(), "the suggestions")
