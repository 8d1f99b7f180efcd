"""What an incident screen alone needed goes when it closes (issue 15, memory with every screen opened): the
Review pane's spaCy pipeline (~35 MB) is let go once no incident screen is open, and kept while one is."""

from __future__ import annotations

import asyncio
import gc
import weakref

from workbench.services.review.checks import blame_grammar, parser_loaded
from workbench.ui import heap
from workbench.ui.screens.incident import IncidentScreen
from workbench.ui.screens.incident_list import IncidentListScreen

from .conftest import CLAUDE, open_incident
from .waiting import until, until_screen


async def test_the_parser_is_kept_while_an_incident_is_open_and_let_go_with_its_screen(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE)
        await asyncio.to_thread(blame_grammar.pipeline)  # as the Review pane's checks load it
        await pilot.press("alt+2")
        await until(pilot, lambda: app.screen.active_pane_id() == "timeline", "the timeline pane")
        assert blame_grammar.is_loaded()
        gone = weakref.ref(screen)
        del screen
        await pilot.press("escape")
        await until_screen(pilot, IncidentListScreen)
        await until(pilot, lambda: not blame_grammar.is_loaded(), "the parser let go")
        await until(pilot, lambda: gone() is None, "the closed screen collected")
        # The next incident's checks load it again and parse as before.
        assert [t.dep_ for t in blame_grammar.pipeline()("Jo wrecked the rollout.")][:2] == ["nsubj", "ROOT"]


async def test_the_parser_stays_while_another_incident_screen_is_open(make_app):
    """A screen closed under another incident screen (opened from it) leaves the parser to the one still open."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        first = await open_incident(pilot, CLAUDE)
        await asyncio.to_thread(blame_grammar.pipeline)
        app.open_incident(CLAUDE)  # a second screen over the first
        await until(pilot, lambda: isinstance(app.screen, IncidentScreen) and app.screen is not first, "the second")
        second = weakref.ref(app.screen)
        for _ in range(3):
            if app.screen is first:
                break
            await pilot.press("escape")
            await pilot.pause()
        await until(pilot, lambda: app.screen is first, "back to the first incident")
        await until(pilot, lambda: second() is None, "the closed screen collected (its release done)")
        assert blame_grammar.is_loaded()


async def test_the_parser_goes_when_its_screen_closes_not_at_the_idle_collection(make_app, monkeypatch):
    """The collection that frees a closed screen waits for an idle app (no key for a second, no worker of the
    shown screen: the Learning screen computes for seconds at 10,000 incidents). The pipeline does not wait with
    it: it is let go as the last incident screen closes (stop 28: spaCy was still loaded through the whole of the
    Learning screen's build, the run's peak)."""
    monkeypatch.setattr(heap, "RELEASE_AFTER", 3600.0)  # the deferred collection never comes in this test
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE)
        await asyncio.to_thread(blame_grammar.pipeline)  # as the Review pane's checks load it
        assert parser_loaded()
        gone = weakref.ref(screen)
        del screen
        await pilot.press("escape")
        await until_screen(pilot, IncidentListScreen)
        await until(pilot, lambda: not parser_loaded(), "the parser let go at the close")
        assert gone() is not None  # not collected: the let-go did not wait for the collection


async def test_the_learning_screen_collects_closed_incident_screens_before_its_build(make_app, monkeypatch):
    """The idle collection waits while the shown screen's worker runs: the Learning screen's figures were built on
    top of the incident screens closed just before (the peak of the 10k screens run). It has the closed screens
    collected first, then builds."""
    from workbench.services.learning import stats
    from workbench.ui.screens.learning import LearningScreen

    monkeypatch.setattr(heap, "RELEASE_AFTER", 3600.0)  # the idle collection never comes in this test
    done: list[str] = []
    real_release, real_stats = heap.release_waiting, stats.compute_stats

    def release_waiting() -> bool:
        collected = real_release()
        done.append(f"closed screens collected: {collected}")
        return collected

    def compute_stats(*args, **kwargs):
        done.append("figures built")
        return real_stats(*args, **kwargs)

    monkeypatch.setattr(heap, "release_waiting", release_waiting)
    monkeypatch.setattr(stats, "compute_stats", compute_stats)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_incident(pilot, CLAUDE)
        await pilot.press("escape")
        await until_screen(pilot, IncidentListScreen)
        await pilot.press("L")
        await until_screen(pilot, LearningScreen)
        await until(pilot, lambda: app.screen.stats is not None, "the figures")
    # True or False: a closed screen can still be held for a moment (a pane's worker finishing); it was asked.
    assert [d.split(":")[0] for d in done] == ["closed screens collected", "figures built"]


class _Node:
    pass


async def test_a_closed_incident_screen_is_freed_without_thawing_what_the_app_held_before_it(make_app, monkeypatch):
    """The incident screen is not frozen (only what was alive before it): its collection, when the Learning screen
    asks for it, frees it without thawing the list, the index and the modules (the walk that was the Learning
    screen's 537-652 ms stall on the 10k store). A cycle frozen before the open and dropped stays, as proof."""
    from workbench.ui.screens.learning import LearningScreen
    from workbench.ui.search_index import SearchIndex

    monkeypatch.setattr(heap, "TIDY_GROWTH", 1e9)  # no tidying (the thorough collection) in this test
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: SearchIndex.of(app).ready, "the index")
        node = _Node()
        node.me = node  # type: ignore[attr-defined]
        old = weakref.ref(node)
        gc.freeze()  # as the open does with what is alive before it
        del node
        screen = await open_incident(pilot, CLAUDE)
        gone = weakref.ref(screen)
        del screen
        await pilot.press("escape")
        await until_screen(pilot, IncidentListScreen)
        await pilot.press("L")
        await until_screen(pilot, LearningScreen)
        await until(pilot, lambda: app.screen.stats is not None, "the figures")
        await until(pilot, lambda: gone() is None, "the closed screen collected")
        assert old() is not None
